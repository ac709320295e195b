/* test-gui-librarian-windows.c: the librarian's corpus update and corpus
 * check windows, and the history in the reading pane
 *
 * Each window is built from data made here, shown, and used the way a
 * person would: choosing in the rows, pressing the buttons, activating
 * rows and expanding what is folded away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-check-window.h"
#include "cb-corpus-xml.h"
#include "cb-item-view.h"
#include "cb-update-window.h"

static gboolean have_display;

static gboolean
require_display (void)
{
  if (!have_display)
    g_test_skip ("no display");

  return have_display;
}

static void
flush_events (void)
{
  for (int i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

/* Widgets */

/* Whether @widget and every parent of it is visible */
static gboolean
is_visible (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (!gtk_widget_get_visible (widget))
      return FALSE;

  return TRUE;
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  /* Hidden, or a stack's page not shown */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  /* What a folded expander hides is not shown */
  if (GTK_IS_EXPANDER (widget) && !gtk_expander_get_expanded (GTK_EXPANDER (widget)))
    {
      g_string_append (text, gtk_expander_get_label (GTK_EXPANDER (widget)));
      g_string_append_c (text, '\n');
      return;
    }

  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

static char *
shown_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);

  return g_string_free (text, FALSE);
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    find_all (child, type, found);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  find_all (widget, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);

  return NULL;
}

static GtkWidget *
find_row (GtkWidget  *widget,
          GType       type,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find_all (widget, type, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);

  return NULL;
}

/* Every button says what it does, in text or a tooltip, and every row
 * has a title */
static void
assert_labelled (GtkWidget *window)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  find_all (window, GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);

      if (!is_visible (widget) || gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL)
        continue;

      if (GTK_IS_BUTTON (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL)
        {
          g_autofree char *text = shown_text (widget);
          const char *tooltip = gtk_widget_get_tooltip_text (widget);

          /* A menu button's tooltip is on the menu button */
          if (tooltip == NULL && GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
            tooltip = gtk_widget_get_tooltip_text (gtk_widget_get_parent (widget));

          if (*text == '\0' && tooltip == NULL)
            g_error ("A %s in a %s has neither a label nor a tooltip", G_OBJECT_TYPE_NAME (widget),
                     G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
        }

      if (ADW_IS_PREFERENCES_ROW (widget))
        g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), !=, "");
    }
}

/* Data */

static void
change_free (CbChange *change)
{
  g_free (change->field);
  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

static CbDiffEntry *
diff_entry (CbDiffKind  kind,
            const char *id,
            const char *label)
{
  CbDiffEntry *entry = g_new0 (CbDiffEntry, 1);

  entry->kind = kind;
  entry->id = g_strdup (id);
  entry->label = g_strdup (label);
  entry->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  return entry;
}

static void
add_change (CbDiffEntry *entry,
            const char  *field,
            const char  *before,
            const char  *after)
{
  CbChange *change = g_new0 (CbChange, 1);

  change->field = g_strdup (field);
  change->before = g_strdup (before);
  change->after = g_strdup (after);
  g_ptr_array_add (entry->changes, change);
}

static CbConflict *
conflict (const char *id,
          const char *label,
          const char *field,
          const char *base,
          const char *local,
          const char *update)
{
  CbConflict *c = g_new0 (CbConflict, 1);

  c->id = g_strdup (id);
  c->label = g_strdup (label);
  c->field = g_strdup (field);
  c->base = g_strdup (base);
  c->local = g_strdup (local);
  c->update = g_strdup (update);

  return c;
}

static char *
long_text (void)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < 40; i++)
    g_string_append (text, "The programme ran for three years in four clinics. ");

  return g_string_free (text, FALSE);
}

/* An update with one item added, one changed in two fields, one retired
 * and one reference changed, and two conflicts */
static CbUpdatePreview *
make_preview (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CASEBOOK_DATA_DIR"), "corpus", "guide.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *background = long_text ();
  CbUpdatePreview *preview = g_new0 (CbUpdatePreview, 1);
  CbDiffEntry *entry;

  preview->update = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  preview->version = 3;
  preview->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_diff_entry_free);
  preview->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_conflict_free);

  g_ptr_array_add (preview->changes, diff_entry (CB_DIFF_ADDED, "case_study:9.1.1", "Case study 9.1.1: Mobile clinics"));

  entry = diff_entry (CB_DIFF_CHANGED, "case_study:2.2.1", "Case study 2.2.1: Pay <b>review</b> & grading");
  add_change (entry, "title", "Pay review", "Pay <b>review</b> & grading");
  add_change (entry, "part:background", NULL, background);
  g_ptr_array_add (preview->changes, entry);

  entry = diff_entry (CB_DIFF_CHANGED, "inset_box:7.3.1", "Inset box 7.3.1: An old programme");
  add_change (entry, "status", "active", "retired");
  g_ptr_array_add (preview->changes, entry);

  entry = diff_entry (CB_DIFF_CHANGED, "reference:curtis2019", "Curtis et al. 2019");
  add_change (entry, "doi", "10.1000/old", "10.1000/new");
  g_ptr_array_add (preview->changes, entry);

  g_ptr_array_add (preview->conflicts, conflict ("case_study:2.2.1", "Case study 2.2.1: Pay review", "countries",
                                                 "AU", "AU, NZ", "AU, CA"));
  g_ptr_array_add (preview->conflicts, conflict ("recommendation:1", "Recommendation 1: Train staff", "title",
                                                 "Train", "Train all staff", background));

  return preview;
}

static void
on_apply (CbUpdateWindow *window,
          guint          *count)
{
  (*count)++;
}

static void
test_update_window (void)
{
  CbUpdatePreview *preview;
  g_autoptr(GPtrArray) combos = g_ptr_array_new ();
  g_autoptr(GHashTable) choices = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key1 = cb_conflict_key ("case_study:2.2.1", "countries");
  g_autofree char *key2 = cb_conflict_key ("recommendation:1", "title");
  GtkWidget *window;
  GtkWidget *apply;
  GtkWidget *row;
  gpointer value;
  guint applied = 0;

  if (!require_display ())
    return;

  preview = make_preview ();
  window = cb_update_window_new (NULL, preview, "guide-v3.xml");
  g_object_ref (window);
  g_assert_true (cb_update_window_get_preview (CB_UPDATE_WINDOW (window)) == preview);
  g_signal_connect (window, "apply", G_CALLBACK (on_apply), &applied);
  gtk_window_present (GTK_WINDOW (window));
  flush_events ();

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Corpus Update");
  text = shown_text (window);
  g_assert_nonnull (strstr (text, "Corpus Update"));
  g_assert_nonnull (strstr (text, "Version 3 · guide-v3.xml"));
  g_assert_nonnull (strstr (text, "1 item added, 1 changed, 1 retired, 1 reference changed; "
                                  "2 conflicts with your edits"));
  g_assert_nonnull (strstr (text, "Conflicts (2)"));
  g_assert_nonnull (strstr (text, "Added (1)"));
  g_assert_nonnull (strstr (text, "Changed (2)"));
  g_assert_nonnull (strstr (text, "Removed or Retired (1)"));
  g_assert_nonnull (strstr (text, "Case study 9.1.1: Mobile clinics"));
  g_assert_nonnull (strstr (text, "New item"));
  /* Corpus text is text, not markup */
  g_assert_nonnull (strstr (text, "Case study 2.2.1: Pay <b>review</b> & grading"));
  g_assert_nonnull (strstr (text, "Inset box 7.3.1: An old programme"));
  g_assert_nonnull (strstr (text, "Curtis et al. 2019"));
  g_assert_nonnull (strstr (text, "Reference · 1 field changed"));
  g_assert_nonnull (strstr (text, "Case study 2.2.1: Pay review — countries"));
  g_assert_nonnull (strstr (text, "Yours: AU, NZ\nUpdate: AU, CA"));
  /* Long values are shortened; the tooltip has them whole */
  g_assert_nonnull (strstr (text, "Yours: Train all staff\nUpdate: The programme ran"));
  g_assert_nonnull (strstr (text, "…"));
  row = find_row (window, ADW_TYPE_COMBO_ROW, "Recommendation 1: Train staff — title");
  g_assert_nonnull (row);
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    g_autofree char *whole = NULL;
    GtkPopover *popover;

    find_all (row, GTK_TYPE_MENU_BUTTON, buttons);
    g_assert_cmpuint (buttons->len, ==, 1);
    gtk_menu_button_popup (g_ptr_array_index (buttons, 0));
    flush_events ();
    popover = gtk_menu_button_get_popover (g_ptr_array_index (buttons, 0));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
    whole = shown_text (GTK_WIDGET (popover));
    g_assert_nonnull (strstr (whole, ((CbConflict *) g_ptr_array_index (preview->conflicts, 1))->update));
    g_assert_nonnull (strstr (whole, "Before either\nTrain\n"));
    gtk_menu_button_popdown (g_ptr_array_index (buttons, 0));
  }
  /* Field changes show once the entry is expanded */
  g_assert_null (strstr (text, "Pay review → Pay <b>review</b> & grading"));
  g_clear_pointer (&text, g_free);

  row = find_row (window, ADW_TYPE_EXPANDER_ROW, "Case study 2.2.1: Pay <b>review</b> & grading");
  g_assert_nonnull (row);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  flush_events ();
  text = shown_text (row);
  g_assert_nonnull (strstr (text, "title\nPay review → Pay <b>review</b> & grading"));
  g_assert_nonnull (strstr (text, "part:background\n(empty) → The programme ran"));
  g_clear_pointer (&text, g_free);
  assert_labelled (window);

  /* Apply waits for a choice in every conflict, made in the rows */
  apply = find_button (window, "_Apply");
  g_assert_nonnull (apply);
  g_assert_false (gtk_widget_is_sensitive (apply));
  find_all (window, ADW_TYPE_COMBO_ROW, combos);
  g_assert_cmpuint (combos->len, ==, 2);
  adw_combo_row_set_selected (g_ptr_array_index (combos, 0), 1);
  flush_events ();
  g_assert_false (gtk_widget_is_sensitive (apply));
  choices = cb_update_window_dup_choices (CB_UPDATE_WINDOW (window));
  g_assert_cmpuint (g_hash_table_size (choices), ==, 1);
  g_clear_pointer (&choices, g_hash_table_unref);

  adw_combo_row_set_selected (g_ptr_array_index (combos, 1), 2);
  flush_events ();
  g_assert_true (gtk_widget_is_sensitive (apply));

  choices = cb_update_window_dup_choices (CB_UPDATE_WINDOW (window));
  g_assert_cmpuint (g_hash_table_size (choices), ==, 2);
  g_assert_true (g_hash_table_lookup_extended (choices, key1, NULL, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, CB_CHOOSE_LOCAL);
  g_assert_true (g_hash_table_lookup_extended (choices, key2, NULL, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, CB_CHOOSE_UPDATE);
  g_clear_pointer (&choices, g_hash_table_unref);

  /* The same choices can be made from code, and for all at once */
  cb_update_window_set_choice (CB_UPDATE_WINDOW (window), "recommendation:1", "title", CB_CHOOSE_LOCAL);
  g_assert_cmpuint (adw_combo_row_get_selected (g_ptr_array_index (combos, 1)), ==, 1);
  g_signal_emit_by_name (find_button (window, "All _Updates"), "clicked");
  choices = cb_update_window_dup_choices (CB_UPDATE_WINDOW (window));
  g_assert_true (g_hash_table_lookup_extended (choices, key1, NULL, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, CB_CHOOSE_UPDATE);
  g_assert_true (g_hash_table_lookup_extended (choices, key2, NULL, &value));
  g_assert_cmpint (GPOINTER_TO_INT (value), ==, CB_CHOOSE_UPDATE);
  g_clear_pointer (&choices, g_hash_table_unref);

  g_signal_emit_by_name (apply, "clicked");
  g_assert_cmpuint (applied, ==, 1);

  /* An error is shown as text, above the update */
  cb_update_window_show_error (CB_UPDATE_WINDOW (window), "The corpus file is <locked> & read-only");
  flush_events ();
  text = shown_text (window);
  g_assert_nonnull (strstr (text, "The corpus file is <locked> & read-only"));
  g_clear_pointer (&text, g_free);
  {
    g_autoptr(GPtrArray) revealers = g_ptr_array_new ();

    guint n = 0;

    /* The error's own revealer, not an expander row's */
    find_all (window, GTK_TYPE_REVEALER, revealers);
    for (guint i = 0; i < revealers->len; i++)
      {
        g_autofree char *shown = shown_text (g_ptr_array_index (revealers, i));

        if (strstr (shown, "<locked>") != NULL)
          {
            g_assert_true (gtk_revealer_get_reveal_child (g_ptr_array_index (revealers, i)));
            n++;
          }
      }
    g_assert_cmpuint (n, ==, 1);
  }

  /* Cancel closes */
  g_signal_emit_by_name (find_button (window, "_Cancel"), "clicked");
  flush_events ();
  g_assert_false (gtk_widget_get_visible (window));
  g_assert_finalize_object (window);
}

/* Without conflicts, Apply is ready at once */
static void
test_update_window_without_conflicts (void)
{
  CbUpdatePreview *preview;
  g_autoptr(GHashTable) choices = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window;

  if (!require_display ())
    return;

  preview = make_preview ();
  g_ptr_array_set_size (preview->conflicts, 0);
  window = g_object_ref (cb_update_window_new (NULL, preview, NULL));
  gtk_window_present (GTK_WINDOW (window));
  flush_events ();

  text = shown_text (window);
  g_assert_nonnull (strstr (text, "Version 3\n"));
  g_assert_null (strstr (text, "Conflicts"));
  g_assert_null (strstr (text, "conflict"));
  g_assert_true (gtk_widget_is_sensitive (find_button (window, "_Apply")));
  choices = cb_update_window_dup_choices (CB_UPDATE_WINDOW (window));
  g_assert_cmpuint (g_hash_table_size (choices), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Check window */

static void
on_open_item (CbCheckWindow *window,
              const char    *id,
              char         **opened)
{
  g_free (*opened);
  *opened = g_strdup (id);
}

static void
test_check_window (void)
{
  g_autoptr(GPtrArray) anomalies = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_anomaly_free);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autofree char *text = NULL;
  g_autofree char *opened = NULL;
  GtkWidget *window;
  GtkWidget *row;

  if (!require_display ())
    return;

  g_ptr_array_add (anomalies, cb_anomaly_new (CB_SEVERITY_WARNING, "missing-metadata", 12, "inset_box:7.3.1",
                                              "No country <or> study design"));
  g_ptr_array_add (anomalies, cb_anomaly_new (CB_SEVERITY_ERROR, "duplicate-id", 0, "case_study:2.2.1",
                                              "Two items have the id case_study:2.2.1"));
  g_ptr_array_add (anomalies, cb_anomaly_new (CB_SEVERITY_INFO, "guide-note", 40, NULL,
                                              "The guide skips page 41"));

  window = g_object_ref (cb_check_window_new (NULL, anomalies, "Working corpus"));
  /* Copied: the caller's array can go */
  g_clear_pointer (&anomalies, g_ptr_array_unref);
  g_signal_connect (window, "open-item", G_CALLBACK (on_open_item), &opened);
  gtk_window_present (GTK_WINDOW (window));
  flush_events ();

  text = shown_text (window);
  g_assert_nonnull (strstr (text, "Corpus Check"));
  g_assert_nonnull (strstr (text, "Working corpus"));
  g_assert_nonnull (strstr (text, "missing references"));
  g_assert_nonnull (strstr (text, "malformed DOIs"));
  g_assert_nonnull (strstr (text, "No country <or> study design"));
  g_assert_nonnull (strstr (text, "missing-metadata · inset_box:7.3.1 · line 12"));
  g_assert_nonnull (strstr (text, "duplicate-id · case_study:2.2.1\n"));
  g_assert_nonnull (strstr (text, "guide-note · line 40"));
  g_assert_null (strstr (text, "No Problems Found"));

  /* Grouped by severity, the worst first, with counts */
  find_all (window, ADW_TYPE_PREFERENCES_GROUP, groups);
  {
    const char *expected[] = { "Errors (1)", "Warnings (1)", "Notes (1)" };
    guint n = 0;

    for (guint i = 0; i < groups->len; i++)
      {
        AdwPreferencesGroup *group = g_ptr_array_index (groups, i);
        const char *title = adw_preferences_group_get_title (group);

        if (title == NULL || *title == '\0')
          continue;
        g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
        g_assert_cmpstr (title, ==, expected[n]);
        n++;
      }
    g_assert_cmpuint (n, ==, 3);
  }
  row = find_row (window, ADW_TYPE_ACTION_ROW, "Two items have the id case_study:2.2.1");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_is_ancestor (row, g_ptr_array_index (groups, 1)));

  /* A row naming an item opens it; one without does nothing */
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_activate (row);
  g_assert_cmpstr (opened, ==, "case_study:2.2.1");
  row = find_row (window, ADW_TYPE_ACTION_ROW, "No country <or> study design");
  gtk_widget_activate (row);
  g_assert_cmpstr (opened, ==, "inset_box:7.3.1");
  row = find_row (window, ADW_TYPE_ACTION_ROW, "The guide skips page 41");
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  assert_labelled (window);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_check_window_empty (void)
{
  g_autoptr(GPtrArray) anomalies = g_ptr_array_new ();
  g_autofree char *text = NULL;
  GtkWidget *window;
  GtkWidget *status;

  if (!require_display ())
    return;

  window = g_object_ref (cb_check_window_new (NULL, anomalies, "Working corpus"));
  gtk_window_present (GTK_WINDOW (window));
  flush_events ();

  {
    g_autoptr(GPtrArray) pages = g_ptr_array_new ();

    find_all (window, ADW_TYPE_STATUS_PAGE, pages);
    g_assert_cmpuint (pages->len, ==, 1);
    status = g_ptr_array_index (pages, 0);
  }
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Problems Found");
  text = shown_text (status);
  g_assert_nonnull (strstr (text, "duplicate ids"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* History in the reading pane */

static int
position_of (const char *text,
             const char *part)
{
  const char *found = strstr (text, part);

  g_assert_nonnull (found);
  return found - text;
}

static void
test_item_view_history (void)
{
  g_autoptr(CbItem) item = cb_item_new ("case_study:9.1.1", CB_ITEM_KIND_CASE_STUDY);
  g_autofree char *background = long_text ();
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
  g_autofree char *text = NULL;
  CbRevision *revision;
  GtkWidget *window;
  GtkWidget *view;

  if (!require_display ())
    return;

  cb_item_set_number (item, "9.1.1");
  cb_item_set_title (item, "Mobile clinics");
  cb_item_add_revision (item, cb_revision_new ("2026-01-05T10:00:00Z", "Ann Ito", "Imported from the guide"));
  revision = cb_revision_new ("2026-11-26T08:30:00Z", "Sam <Lee>", "Fixed the title & countries");
  cb_revision_add_change (revision, "title", "Mobile clinic", "Mobile clinics");
  cb_revision_add_change (revision, "part:background", NULL, background);
  cb_item_add_revision (item, revision);

  view = cb_item_view_new ();
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  cb_item_view_show (CB_ITEM_VIEW (view), item, NULL, NULL);
  flush_events ();

  text = shown_text (view);
  g_assert_nonnull (strstr (text, "History\n"));
  /* Newest first, dated in local time (UTC here) */
  g_assert_cmpint (position_of (text, "Fixed the title & countries"), <, position_of (text, "Imported from the guide"));
  g_assert_nonnull (strstr (text, "26 Nov 2026, 08:30 · Sam <Lee>"));
  g_assert_nonnull (strstr (text, "5 Jan 2026, 10:00 · Ann Ito"));
  g_assert_nonnull (strstr (text, "2 changes"));
  g_assert_null (strstr (text, "Mobile clinic → Mobile clinics"));
  g_clear_pointer (&text, g_free);

  find_all (view, GTK_TYPE_EXPANDER, expanders);
  g_assert_cmpuint (expanders->len, ==, 1);
  gtk_expander_set_expanded (g_ptr_array_index (expanders, 0), TRUE);
  flush_events ();
  text = shown_text (view);
  g_assert_nonnull (strstr (text, "title: Mobile clinic → Mobile clinics"));
  g_assert_nonnull (strstr (text, "part:background: (empty) → The programme ran"));
  /* Long values are cut short */
  g_assert_nonnull (strstr (text, "…"));
  g_assert_null (strstr (text, background));
  g_clear_pointer (&text, g_free);

  /* An item without history has no History heading */
  {
    g_autoptr(CbItem) plain = cb_item_new ("case_study:9.1.2", CB_ITEM_KIND_CASE_STUDY);

    cb_item_set_title (plain, "Plain");
    cb_item_view_show (CB_ITEM_VIEW (view), plain, NULL, NULL);
    text = shown_text (view);
    g_assert_null (strstr (text, "History"));
    g_assert_null (strstr (text, "Imported from the guide"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      cb_application_register_resources ();
    }

  g_test_add_func ("/gui/librarian/update-window", test_update_window);
  g_test_add_func ("/gui/librarian/update-window-without-conflicts", test_update_window_without_conflicts);
  g_test_add_func ("/gui/librarian/check-window", test_check_window);
  g_test_add_func ("/gui/librarian/check-window-empty", test_check_window_empty);
  g_test_add_func ("/gui/librarian/item-view-history", test_item_view_history);

  return g_test_run ();
}
