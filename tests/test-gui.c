/* test-gui.c: the application under a real display (Xvfb in the README's
 * test command)
 *
 * One application runs for the whole file, as a user would run it: it
 * builds its index on first start, then each test types, ticks, selects
 * and clicks as a person would, and checks what the window shows against
 * what the store says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-corpus-xml.h"
#include "cb-evidence-map.h"
#include "cb-filter-pane.h"
#include "cb-item-editor.h"
#include "cb-item-view.h"
#include "cb-pack-row.h"
#include "cb-pack-view.h"
#include "cb-preferences-window.h"
#include "cb-result.h"
#include "cb-result-row.h"
#include "cb-settings.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-update-window.h"
#include "cb-window.h"
#include "cb-wrap-box.h"

static gboolean have_display;
static CbApplication *application;
static CbWindow *window;
static char *tmp_dir;

static gboolean
require_display (void)
{
  if (!have_display)
    g_test_skip ("no display");

  return have_display;
}

/* Waiting */

/* Runs the main loop until @done says so, failing after twenty seconds. */
static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  cb_test_wait_until (done, data, 20);
}

#define flush_events cb_test_flush_events

static guint searches_finished;
static char *item_shown;

static void
on_search_finished (CbWindow *self)
{
  searches_finished++;
}

static void
on_item_shown (CbWindow   *self,
               const char *id)
{
  g_free (item_shown);
  item_shown = g_strdup (id);
}

static gboolean
search_count_reached (gpointer data)
{
  return searches_finished >= GPOINTER_TO_UINT (data);
}

/* Runs @action, then waits for the search it starts to be shown */
#define AFTER_SEARCH(action) \
  G_STMT_START { \
    guint target_ = searches_finished + 1; \
    action; \
    wait_until (search_count_reached, GUINT_TO_POINTER (target_)); \
  } G_STMT_END

static gboolean
item_is_shown (gpointer data)
{
  return g_strcmp0 (item_shown, data) == 0;
}

static gboolean
store_is_ready (gpointer data)
{
  return cb_window_get_store (data) != NULL && cb_window_get_results (data) != NULL;
}

/* Looking at widgets */

static gboolean
is_shown (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      collect_labels (child, text);
}

/* All the text the widget shows */
static char *
shown_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_labels (widget, text);

  return g_string_free (text, FALSE);
}

/* The check row of the filter pane whose label is @label */
static GtkWidget *
find_filter_check (GtkWidget  *widget,
                   const char *label)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      GtkWidget *box = gtk_check_button_get_child (GTK_CHECK_BUTTON (widget));

      if (box != NULL && GTK_IS_LABEL (gtk_widget_get_first_child (box)) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (box))), label) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_filter_check (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The count the filter row shows beside its label */
static guint
filter_check_count (GtkWidget *check)
{
  GtkWidget *box = gtk_check_button_get_child (GTK_CHECK_BUTTON (check));
  GtkWidget *count = gtk_widget_get_last_child (box);

  g_assert_true (GTK_IS_LABEL (count));

  return (guint) g_ascii_strtoull (gtk_label_get_text (GTK_LABEL (count)), NULL, 10);
}

/* The first widget of @type that is not in a popover (a drop-down's own
 * search entry, say) nor in the item editor, whose rows have lists and
 * entries of their own */
static GtkWidget *
find_outside_popovers (GtkWidget *widget,
                       GType      type)
{
  if (GTK_IS_POPOVER (widget))
    return NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  if (CB_IS_ITEM_EDITOR (widget))
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_outside_popovers (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
search_entry (void)
{
  GtkWidget *entry = find_outside_popovers (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);

  return entry;
}

static GtkWidget *
window_part (GType type)
{
  GtkWidget *widget = find_outside_popovers (GTK_WIDGET (window), type);

  g_assert_nonnull (widget);

  return widget;
}

/* The active filters' chips (the reading pane has chips too) */
static GtkWidget *
filter_chips (void)
{
  GPtrArray *stack = g_ptr_array_new ();
  GtkWidget *found = NULL;

  g_ptr_array_add (stack, window);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (CB_IS_WRAP_BOX (widget) && gtk_widget_get_ancestor (widget, CB_TYPE_ITEM_VIEW) == NULL)
        found = widget;

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);
  g_assert_nonnull (found);

  return found;
}

static guint
shown_results (void)
{
  GtkListView *list = GTK_LIST_VIEW (window_part (GTK_TYPE_LIST_VIEW));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list)));
}

static const char *
search_text (void)
{
  return gtk_editable_get_text (GTK_EDITABLE (search_entry ()));
}

/* Types into the search box a key at a time, as fast as a script can */
static void
type_text (const char *text)
{
  GtkEditable *entry = GTK_EDITABLE (search_entry ());

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      int position = -1;
      char key[8] = { 0 };

      g_unichar_to_utf8 (g_utf8_get_char (p), key);
      position = g_utf8_strlen (gtk_editable_get_text (entry), -1);
      gtk_editable_insert_text (entry, key, -1, &position);
    }
}

/* What the store finds for @text, without the window */
static guint
store_count (const char *text,
             CbFacet     facet,
             const char *value)
{
  CbStore *store = cb_window_get_store (window);
  g_autoptr(CbQuery) query = cb_query_parse (text, cb_store_get_taxonomy (store));
  g_autoptr(CbSearchResults) results = NULL;
  g_autoptr(GError) error = NULL;

  if (value != NULL)
    cb_query_add_filter (query, cb_store_get_taxonomy (store), facet, value);

  results = cb_store_search (store, query, NULL, &error);
  g_assert_no_error (error);

  return cb_search_results_get_n_hits (results);
}

/* Each test starts from an empty search, no filters, the results view */
static void
reset_window (void)
{
  CbSearchResults *results = cb_window_get_results (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "results");
  if (*search_text () != '\0')
    AFTER_SEARCH (cb_window_set_search_text (window, ""));

  results = cb_window_get_results (window);
  if (cb_query_has_filters (cb_search_results_get_query (results)))
    AFTER_SEARCH (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL));
}

/* Tests */

static void
test_templates (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWidget *widgets[] = {
    cb_item_view_new (),
    cb_filter_pane_new (),
    cb_evidence_map_new (),
    cb_result_row_new (),
    cb_wrap_box_new (),
  };
  GtkWidget *preferences;

  if (!require_display ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      g_object_ref_sink (widgets[i]);
      if (!CB_IS_WRAP_BOX (widgets[i]))
        g_assert_nonnull (gtk_widget_get_first_child (widgets[i]));
      g_object_unref (widgets[i]);
    }

  /* The map offers both column sets */
  {
    GtkWidget *map = g_object_ref_sink (cb_evidence_map_new ());

    g_assert_cmpstr (cb_evidence_map_get_columns (CB_EVIDENCE_MAP (map)), ==, "countries");
    cb_evidence_map_set_columns (CB_EVIDENCE_MAP (map), "chapters");
    g_assert_cmpint (cb_evidence_map_get_column_facet (CB_EVIDENCE_MAP (map)), ==, CB_FACET_CHAPTER);
    g_object_unref (map);
  }

  preferences = cb_preferences_window_new (GTK_WINDOW (window));
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (preferences));
  g_assert_nonnull (cb_test_find_widget (preferences, GTK_TYPE_SWITCH, FALSE));
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* About: under G_DEBUG=fatal-warnings a markup warning would abort */
  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  flush_events ();
  for (GList *l = gtk_window_list_toplevels (); l; l = g_list_delete_link (l, l))
    if (ADW_IS_ABOUT_WINDOW (l->data))
      {
        g_assert_cmpstr (adw_about_window_get_application_name (l->data), ==, "Casebook");
        g_assert_nonnull (strstr (adw_about_window_get_comments (l->data), "Race &amp; Health"));
        gtk_window_destroy (l->data);
      }

  builder = gtk_builder_new_from_resource ("/io/github/casebook/Casebook/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static void
test_first_start (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "index.sqlite", NULL);
  g_autofree char *count = NULL;
  CbSearchResults *results;
  guint n;

  if (!require_display ())
    return;

  /* main() started the application on an empty data directory: the index
   * was built in the background and the last search restored */
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  results = cb_window_get_results (window);
  g_assert_cmpstr (search_text (), ==, "cultural safety");
  g_assert_true (cb_query_has_filters (cb_search_results_get_query (results)));

  n = cb_search_results_get_n_hits (results);
  g_assert_cmpuint (n, ==, store_count ("cultural safety", CB_FACET_KIND, "recommendation"));
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (shown_results (), ==, n);

  /* The active filter shows as a chip above the results */
  {
    g_autofree char *text = shown_text (filter_chips ());

    g_assert_nonnull (strstr (text, "Recommendation"));
  }

  count = g_strdup_printf ("%u results", n);
  {
    g_autofree char *text = shown_text (GTK_WIDGET (window));

    g_assert_nonnull (strstr (text, count));
  }
}

static void
test_typing_changes_results (void)
{
  guint all, typed;

  if (!require_display ())
    return;

  reset_window ();
  all = shown_results ();
  g_assert_cmpuint (all, ==, store_count ("", 0, NULL));

  AFTER_SEARCH (cb_window_set_search_text (window, "pulse oximeter"));
  typed = shown_results ();
  g_assert_cmpuint (typed, ==, store_count ("pulse oximeter", 0, NULL));
  g_assert_cmpuint (typed, >, 0);
  g_assert_cmpuint (typed, <, all);

  /* One search per text, not a second when the entry reports the change */
  {
    guint before = searches_finished;

    cb_test_run_for (500);
    g_assert_cmpuint (searches_finished, ==, before);
  }

  /* Quick keystrokes: only the last query's results are shown */
  AFTER_SEARCH (cb_window_set_search_text (window, ""));
  AFTER_SEARCH (type_text ("patient"));
  g_assert_cmpuint (shown_results (), ==, store_count ("patient", 0, NULL));
  g_assert_cmpstr (cb_query_get_text (cb_search_results_get_query (cb_window_get_results (window))), ==, "patient");

  /* The search is remembered for the next start */
  {
    g_autofree char *last = NULL;

    g_object_get (cb_settings_get_default (), "last-query", &last, NULL);
    g_assert_cmpstr (last, ==, "patient");
  }

  /* Escape clears the words */
  AFTER_SEARCH (gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL));
  g_assert_cmpstr (search_text (), ==, "");
  g_assert_cmpuint (shown_results (), ==, all);
}

static void
test_filter_changes_results_as_predicted (void)
{
  GtkWidget *pane, *check;
  guint predicted, narrowed;

  if (!require_display ())
    return;

  reset_window ();
  AFTER_SEARCH (cb_window_set_search_text (window, "leadership"));
  pane = window_part (CB_TYPE_FILTER_PANE);
  g_assert_true (is_shown (pane));

  check = find_filter_check (pane, "United Kingdom");
  g_assert_nonnull (check);
  g_assert_true (is_shown (check));
  predicted = filter_check_count (check);
  g_assert_cmpuint (predicted, >, 0);
  g_assert_cmpuint (predicted, <, shown_results ());

  AFTER_SEARCH (gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE));
  g_assert_cmpuint (shown_results (), ==, predicted);
  g_assert_cmpuint (predicted, ==, store_count ("leadership", CB_FACET_COUNTRY, "GB"));

  /* Ticking a second kind of filter narrows further, as its count said */
  check = find_filter_check (pane, "Case study");
  g_assert_nonnull (check);
  narrowed = filter_check_count (check);
  AFTER_SEARCH (gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE));
  g_assert_cmpuint (shown_results (), ==, narrowed);
  g_assert_cmpuint (narrowed, <=, predicted);

  /* The chips name the filters; removing one widens the results again */
  {
    GtkWidget *chips = filter_chips ();
    g_autofree char *text = shown_text (chips);
    GtkWidget *chip = gtk_widget_get_first_child (chips);

    g_assert_true (is_shown (chips));
    g_assert_nonnull (strstr (text, "United Kingdom"));
    g_assert_nonnull (strstr (text, "Case study"));
    g_assert_cmpuint (cb_wrap_box_get_n_children (CB_WRAP_BOX (chips)), ==, 2);

    AFTER_SEARCH (g_signal_emit_by_name (chip, "clicked"));
    g_assert_cmpuint (cb_wrap_box_get_n_children (CB_WRAP_BOX (chips)), ==, 1);
    g_assert_cmpuint (shown_results (), >=, narrowed);
  }

  /* Clear Filters removes the rest and unticks the rows */
  AFTER_SEARCH (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL));
  g_assert_cmpuint (shown_results (), ==, store_count ("leadership", 0, NULL));
  g_assert_false (is_shown (filter_chips ()));
  check = find_filter_check (pane, "United Kingdom");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
}

/* A filter typed as a word is a filter like any other: its chip removes
 * the word, and Clear Filters clears it */
static void
test_typed_filters_are_removable (void)
{
  GtkWidget *chips;
  guint with_filter;

  if (!require_display ())
    return;

  reset_window ();
  AFTER_SEARCH (cb_window_set_search_text (window, "leadership country:uk type:\"Leadership commitment and accountability\""));
  with_filter = shown_results ();
  g_assert_cmpuint (with_filter, ==,
                    store_count ("leadership country:GB type:leadership-accountability", 0, NULL));
  chips = filter_chips ();
  g_assert_cmpuint (cb_wrap_box_get_n_children (CB_WRAP_BOX (chips)), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (find_filter_check (window_part (CB_TYPE_FILTER_PANE), "United Kingdom")));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_filter_check (window_part (CB_TYPE_FILTER_PANE),
                                                                                    "United Kingdom"))));

  /* The country's chip takes its word out of the search box */
  AFTER_SEARCH (g_signal_emit_by_name (gtk_widget_get_first_child (chips), "clicked"));
  g_assert_cmpstr (search_text (), ==, "leadership type:\"Leadership commitment and accountability\"");
  g_assert_cmpuint (cb_wrap_box_get_n_children (CB_WRAP_BOX (chips)), ==, 1);

  /* Unticking works the same way */
  {
    GtkWidget *check = find_filter_check (window_part (CB_TYPE_FILTER_PANE), "Leadership commitment and accountability");

    g_assert_nonnull (check);
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    AFTER_SEARCH (gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE));
    g_assert_cmpstr (search_text (), ==, "leadership");
    g_assert_false (is_shown (filter_chips ()));
  }

  /* And Clear Filters, with the words kept */
  AFTER_SEARCH (cb_window_set_search_text (window, "kind:case leadership"));
  AFTER_SEARCH (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL));
  g_assert_cmpstr (search_text (), ==, "leadership");
  g_assert_cmpuint (shown_results (), ==, store_count ("leadership", 0, NULL));
}

static void
test_empty_results_offer_to_clear (void)
{
  g_autofree char *text = NULL;
  GtkWidget *check;

  if (!require_display ())
    return;

  reset_window ();
  AFTER_SEARCH (cb_window_set_search_text (window, "oximeter"));
  check = find_filter_check (window_part (CB_TYPE_FILTER_PANE), "Case study");
  g_assert_nonnull (check);
  AFTER_SEARCH (gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE));
  AFTER_SEARCH (cb_window_set_search_text (window, "oximeter zebra"));

  g_assert_cmpuint (shown_results (), ==, 0);
  text = shown_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, "No Results"));
  g_assert_nonnull (strstr (text, "Clear the filters"));

  AFTER_SEARCH (gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-filters", NULL));
  g_assert_false (cb_query_has_filters (cb_search_results_get_query (cb_window_get_results (window))));
}

static void
test_selecting_shows_item (void)
{
  GtkListView *list;
  GtkSingleSelection *selection;
  CbResult *result;
  CbStore *store;
  g_autoptr(CbItem) item = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  GtkWidget *reader;
  GPtrArray *refs;

  if (!require_display ())
    return;

  reset_window ();
  AFTER_SEARCH (cb_window_set_search_text (window, "pulse oximeter"));
  list = GTK_LIST_VIEW (window_part (GTK_TYPE_LIST_VIEW));
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (list));

  /* Enter on the first row opens it */
  result = g_list_model_get_item (G_LIST_MODEL (selection), 0);
  id = g_strdup (cb_result_get_id (result));
  g_object_unref (result);
  g_signal_emit_by_name (list, "activate", 0);
  wait_until (item_is_shown, id);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);

  /* The results stay in view and keep the focus: arrows go on moving */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_nonnull (focus);
    g_assert_false (gtk_widget_is_ancestor (focus, window_part (CB_TYPE_ITEM_VIEW)));
  }

  store = cb_window_get_store (window);
  item = cb_store_load_item (store, id, NULL);
  g_assert_nonnull (item);
  refs = cb_item_get_references (item);
  g_assert_cmpuint (refs->len, >, 0);

  reader = window_part (CB_TYPE_ITEM_VIEW);
  g_assert_true (is_shown (reader));
  text = shown_text (reader);
  g_assert_nonnull (strstr (text, cb_item_get_title (item)));
  g_assert_nonnull (strstr (text, "Guide, p."));
  g_assert_nonnull (strstr (text, "References"));

  /* Every reference is there in full */
  for (guint i = 0; i < refs->len; i++)
    {
      g_autoptr(CbReference) reference = cb_store_load_reference (store, g_ptr_array_index (refs, i), NULL);

      g_assert_nonnull (reference);
      g_assert_nonnull (strstr (text, cb_reference_get_title (reference)));
    }

  /* Related items are one click away */
  {
    g_autoptr(GPtrArray) related = cb_store_dup_related (store, id, NULL);

    if (related != NULL && related->len > 0)
      {
        g_autofree char *title = NULL;

        g_assert_true (cb_store_describe (store, g_ptr_array_index (related, 0), NULL, NULL, &title));
        g_assert_nonnull (strstr (text, title));
      }
  }
}

static void
on_clipboard_text (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_copy_citation (void)
{
  g_autofree char *text = NULL;

  if (!require_display ())
    return;

  reset_window ();
  g_assert_true (cb_window_select_item (window, "case_study:4.2.4"));
  wait_until (item_is_shown, "case_study:4.2.4");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-citation", NULL);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL, on_clipboard_text, &text);
  wait_until (pointer_is_set, &text);

  g_assert_nonnull (strstr (text, "Moving from cultural competency to cultural safety"));
  g_assert_nonnull (strstr (text, "4.2.4"));
  g_assert_nonnull (strstr (text, "p. 56"));
  g_assert_nonnull (strstr (text, "Improving race equality in your organisation"));
  g_assert_null (strchr (text, '\n'));
}

typedef struct {
  const char *row;
  const char *column;
} Cell;

static gboolean
map_cell_exists (gpointer data)
{
  Cell *cell = data;
  CbEvidenceMap *map = CB_EVIDENCE_MAP (window_part (CB_TYPE_EVIDENCE_MAP));

  return cb_evidence_map_get_cell (map, cell->row, cell->column) != NULL;
}

static void
test_map_cell_applies_filters (void)
{
  g_autoptr(CbQuery) all = cb_query_new ();
  g_autoptr(CbCrossTab) table = NULL;
  CbEvidenceMap *map;
  CbQuery *query;
  Cell cell = { NULL, NULL };
  guint count = 0, zero_row = G_MAXUINT, zero_column = 0;
  GtkWidget *button;

  if (!require_display ())
    return;

  reset_window ();
  table = cb_store_cross_tab (cb_window_get_store (window), all, CB_FACET_INTERVENTION, CB_FACET_COUNTRY, NULL, NULL);
  g_assert_nonnull (table);
  for (guint r = 0; r < table->rows->len; r++)
    for (guint c = 0; c < table->columns->len; c++)
      {
        guint n = cb_cross_tab_get (table, r, c);

        if (n > count)
          {
            count = n;
            cell.row = g_ptr_array_index (table->rows, r);
            cell.column = g_ptr_array_index (table->columns, c);
          }
        if (n == 0 && zero_row == G_MAXUINT)
          {
            zero_row = r;
            zero_column = c;
          }
      }
  g_assert_nonnull (cell.row);
  g_assert_cmpuint (zero_row, !=, G_MAXUINT);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "map");
  map = CB_EVIDENCE_MAP (window_part (CB_TYPE_EVIDENCE_MAP));
  cb_evidence_map_set_columns (map, "countries");
  wait_until (map_cell_exists, &cell);
  flush_events ();
  g_assert_true (is_shown (GTK_WIDGET (map)));

  /* The reading pane gives the map its width, and its window buttons */
  {
    GtkWidget *header = gtk_widget_get_ancestor (window_part (ADW_TYPE_VIEW_SWITCHER_TITLE), ADW_TYPE_HEADER_BAR);

    g_assert_true (adw_header_bar_get_show_end_title_buttons (ADW_HEADER_BAR (header)));
  }

  /* Empty cells are shown, say so, and can be reached from the keyboard */
  button = cb_evidence_map_get_cell (map, g_ptr_array_index (table->rows, zero_row),
                                     g_ptr_array_index (table->columns, zero_column));
  g_assert_nonnull (button);
  g_assert_true (is_shown (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "0");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_focusable (button));

  button = cb_evidence_map_get_cell (map, cell.row, cell.column);
  g_assert_cmpuint ((guint) g_ascii_strtoull (gtk_button_get_label (GTK_BUTTON (button)), NULL, 10), ==, count);

  AFTER_SEARCH (g_signal_emit_by_name (button, "clicked"));
  query = cb_search_results_get_query (cb_window_get_results (window));
  g_assert_cmpuint (cb_query_get_filter (query, CB_FACET_INTERVENTION)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (cb_query_get_filter (query, CB_FACET_INTERVENTION), 0), ==, cell.row);
  g_assert_cmpuint (cb_query_get_filter (query, CB_FACET_COUNTRY)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (cb_query_get_filter (query, CB_FACET_COUNTRY), 0), ==, cell.column);
  g_assert_cmpuint (shown_results (), ==, count);

  /* The results show the cell's items */
  flush_events ();
  g_assert_true (is_shown (window_part (GTK_TYPE_LIST_VIEW)));
  g_assert_false (is_shown (GTK_WIDGET (map)));
}

static void
test_map_follows_the_search (void)
{
  CbEvidenceMap *map;
  Cell cell = { "cultural-competence", "US" };
  GtkWidget *button;
  guint before;

  if (!require_display ())
    return;

  reset_window ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "map");
  map = CB_EVIDENCE_MAP (window_part (CB_TYPE_EVIDENCE_MAP));
  wait_until (map_cell_exists, &cell);
  button = cb_evidence_map_get_cell (map, cell.row, cell.column);
  before = (guint) g_ascii_strtoull (gtk_button_get_label (GTK_BUTTON (button)), NULL, 10);
  g_assert_cmpuint (before, >, 1);

  /* Words typed in the map view count only the matching items */
  AFTER_SEARCH (cb_window_set_search_text (window, "\"structural competency\""));
  g_assert_true (is_shown (GTK_WIDGET (map)));
  {
    gboolean changed = FALSE;

    for (int i = 0; i < 200 && !changed; i++)
      {
        GtkWidget *now;

        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
        now = cb_evidence_map_get_cell (map, cell.row, cell.column);
        changed = now != NULL && (guint) g_ascii_strtoull (gtk_button_get_label (GTK_BUTTON (now)), NULL, 10) < before;
      }
    g_assert_true (changed);
  }
}

static void
test_every_control_is_labelled (void)
{
  GPtrArray *stack;
  guint checked = 0;

  if (!require_display ())
    return;

  /* Every button names what it does, in text or a tooltip (which screen
   * readers also read) */
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, window);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if ((GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) && gtk_widget_get_visible (widget) &&
          !G_TYPE_CHECK_INSTANCE_TYPE (widget, g_type_from_name ("GtkModelButton")))
        {
          g_autofree char *text = shown_text (widget);
          const char *tooltip = gtk_widget_get_tooltip_text (widget);

          if (*text == '\0' && tooltip == NULL && gtk_widget_get_parent (widget) != NULL &&
              GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
            tooltip = gtk_widget_get_tooltip_text (gtk_widget_get_parent (widget));

          /* Not ours: the window's close, minimise and maximise buttons,
           * and the close button of a toast */
          if (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) == NULL &&
              gtk_widget_get_ancestor (widget, g_type_from_name ("AdwToastWidget")) == NULL)
            {
              if (*text == '\0' && tooltip == NULL)
                g_error ("A %s in a %s has neither a label nor a tooltip", G_OBJECT_TYPE_NAME (widget),
                         G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
              checked++;
            }
        }

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);

  g_assert_cmpuint (checked, >, 10);
}

static void
wait_for_transition (AdwLeaflet *leaflet)
{
  for (int i = 0; i < 300 && adw_leaflet_get_child_transition_running (leaflet); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_false (adw_leaflet_get_child_transition_running (leaflet));
  flush_events ();
}

static void
test_narrow_window_folds (void)
{
  AdwLeaflet *leaflet;
  GtkWidget *back;

  if (!require_display ())
    return;

  reset_window ();
  leaflet = ADW_LEAFLET (window_part (ADW_TYPE_LEAFLET));
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 600);
  for (int i = 0; i < 100 && !adw_leaflet_get_folded (leaflet); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_true (adw_leaflet_get_folded (leaflet));

  /* Opening an item shows the reading pane alone, with a way back */
  g_assert_true (cb_window_select_item (window, "inset_box:7.3.1"));
  wait_until (item_is_shown, "inset_box:7.3.1");
  wait_for_transition (leaflet);
  g_assert_true (is_shown (window_part (CB_TYPE_ITEM_VIEW)));
  g_assert_false (is_shown (search_entry ()));
  /* The focus is on the way back, not on a label with all its text selected */
  g_assert_true (GTK_IS_BUTTON (gtk_root_get_focus (GTK_ROOT (window))));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.escape", NULL);
  wait_for_transition (leaflet);
  back = search_entry ();
  g_assert_true (gtk_widget_is_ancestor (back, adw_leaflet_get_visible_child (leaflet)));

  /* The focus is back in the results, on a row that can be seen */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, window_part (GTK_TYPE_LIST_VIEW)) ||
                   focus == window_part (GTK_TYPE_LIST_VIEW));
    /* Once the list has been laid out again */
    for (int i = 0; i < 100 && !gtk_widget_get_mapped (focus); i++)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    g_assert_true (gtk_widget_get_mapped (focus));
  }

  gtk_window_set_default_size (GTK_WINDOW (window), 1366, 768);
  for (int i = 0; i < 100 && adw_leaflet_get_folded (leaflet); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_false (adw_leaflet_get_folded (leaflet));
}

static void
test_uri_policy (void)
{
  g_assert_true (cb_uri_is_openable ("https://doi.org/10.1000/1"));
  g_assert_true (cb_uri_is_openable ("http://example.org/"));
  g_assert_true (cb_uri_is_openable ("doi:10.1000/1"));
  g_assert_false (cb_uri_is_openable ("file:///etc/passwd"));
  g_assert_false (cb_uri_is_openable ("javascript:alert(1)"));
  g_assert_false (cb_uri_is_openable ("#"));
  g_assert_false (cb_uri_is_openable (""));
}

static void
test_snippet_markup (void)
{
  g_autofree char *markup = cb_snippet_to_markup ("a <b> & \x01" "match\x02 end", "\x01", "\x02");

  /* Escaped first, then marked: the text's own brackets stay text */
  g_assert_cmpstr (markup, ==, "a &lt;b&gt; &amp; <b>match</b> end");
}

/* A librarian's edit can put any character anywhere: the reading pane
 * shows it as text, never as markup */
static void
test_item_view_shows_text_as_text (void)
{
  static const char item_xml[] =
    "<item id=\"case_study:9.1.1\" kind=\"case_study\" origin=\"local\" status=\"active\" number=\"9.1.1\" "
    "chapter=\"9\" page=\"3\">"
    "<title>Pay &amp; grading &lt;b&gt;review&lt;/b&gt;</title>"
    "<part name=\"background\"><p>Bands 5 &lt; 6 &amp; 7</p></part>"
    "</item>";
  static const char reference_xml[] =
    "<reference id=\"reference:x2024\" kind=\"article\">"
    "<authors><organisation>A &amp; B</organisation></authors>"
    "<year>2024 &lt;i&gt;</year><title>T &lt;x&gt;</title><container>J &amp; K</container>"
    "<volume>3 &amp; 4</volume><issue>&lt;2&gt;</issue><pages>1&amp;2</pages>"
    "<doi>10.1000/a&lt;b</doi><text>A &amp; B (2024)</text></reference>";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbItem) item = cb_item_from_xml (item_xml, sizeof item_xml - 1, &error);
  g_autoptr(CbReference) reference = NULL;
  g_autoptr(GPtrArray) references = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = NULL;
  GtkWidget *view;

  if (!require_display ())
    return;

  g_assert_no_error (error);
  reference = cb_reference_from_xml (reference_xml, sizeof reference_xml - 1, &error);
  g_assert_no_error (error);
  g_ptr_array_add (references, g_object_ref (reference));

  view = g_object_ref_sink (cb_item_view_new ());
  cb_item_view_show (CB_ITEM_VIEW (view), item, references, NULL);
  text = shown_text (view);
  g_assert_nonnull (strstr (text, "Pay & grading <b>review</b>"));
  g_assert_nonnull (strstr (text, "Bands 5 < 6 & 7"));
  g_assert_nonnull (strstr (text, "A & B (2024 <i>) T <x>. J & K, 3 & 4(<2>), 1&2."));
  g_assert_nonnull (strstr (text, "doi:10.1000/a<b"));
  g_object_unref (view);
}

/* Evidence packs */

static CbPackView *
pack_view (void)
{
  return cb_window_get_pack_view (window);
}

static CbPack *
stored_pack (const char *name)
{
  CbPackStore *packs = cb_pack_view_get_pack_store (pack_view ());
  g_autoptr(GError) error = NULL;
  gint64 id = cb_pack_store_lookup (packs, name, &error);
  CbPack *pack;

  if (id == 0)
    return NULL;

  pack = cb_pack_store_load (packs, id, &error);
  g_assert_no_error (error);

  return pack;
}

static char *
pack_order (const char *name)
{
  g_autoptr(CbPack) pack = stored_pack (name);
  GString *order = g_string_new (NULL);

  g_assert_nonnull (pack);
  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    g_string_append_printf (order, "%s%s", i ? " " : "", cb_pack_get_entry (pack, i)->item_id);

  return g_string_free (order, FALSE);
}

static void
remove_all_packs (void)
{
  CbPackStore *packs = cb_pack_view_get_pack_store (pack_view ());
  g_autoptr(GPtrArray) list = cb_pack_store_list (packs, NULL);

  for (guint i = 0; list && i < list->len; i++)
    g_assert_true (cb_pack_store_delete (packs, cb_pack_get_id (g_ptr_array_index (list, i)), NULL));
}

static void
show_and_add (const char *id)
{
  g_assert_true (cb_window_select_item (window, id));
  wait_until (item_is_shown, (gpointer) id);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-to-pack", NULL);
}

static gboolean
filter_pane_hidden (gpointer data)
{
  return !is_shown (GTK_WIDGET (window_part (CB_TYPE_FILTER_PANE)));
}

static void
test_add_to_pack_with_undo (void)
{
  g_autoptr(CbPack) pack = NULL;
  g_autofree char *order = NULL;
  g_autofree char *text = NULL;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();

  /* With no pack yet, the first Ctrl+D makes one */
  show_and_add ("case_study:4.2.4");
  order = pack_order ("My Pack");
  g_assert_cmpstr (order, ==, "case_study:4.2.4");
  g_clear_pointer (&order, g_free);

  show_and_add ("case_study:3.1.2");
  order = pack_order ("My Pack");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 case_study:3.1.2");
  g_clear_pointer (&order, g_free);

  /* Adding it twice changes nothing */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-to-pack", NULL);
  order = pack_order ("My Pack");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 case_study:3.1.2");
  g_clear_pointer (&order, g_free);

  /* Undo takes the last one out again */
  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  order = pack_order ("My Pack");
  g_assert_cmpstr (order, ==, "case_study:4.2.4");

  /* The Packs view shows the pack, its item with its title */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "packs");
  flush_events ();
  g_assert_true (is_shown (GTK_WIDGET (pack_view ())));
  text = shown_text (GTK_WIDGET (pack_view ()));
  g_assert_nonnull (strstr (text, "Moving from cultural competency to cultural safety"));
  g_assert_nonnull (strstr (text, "1 · Case study 4.2.4"));
  /* The filters do not apply to packs, so they step aside (once the
   * flap's animation has run, which takes a while on a slow machine) */
  wait_until (filter_pane_hidden, NULL);
}

static gboolean
note_is_saved (gpointer data)
{
  g_autoptr(CbPack) pack = stored_pack ("Session");

  return pack != NULL && g_strcmp0 (cb_pack_get_entry (pack, 1)->note, data) == 0;
}

static void
test_pack_keyboard_and_notes (void)
{
  CbPackStore *packs;
  GtkWidget *row;
  GtkTextBuffer *buffer;
  g_autofree char *order = NULL;
  const char *note = "Ask the group: <b>what</b> would WRES look like here? & \"why\"\nمرحبا";
  gint64 id;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();
  packs = cb_pack_view_get_pack_store (pack_view ());
  id = cb_pack_view_new_pack (pack_view (), "Session", "Induction", "New starters", "2027-01-14", NULL);
  g_assert_cmpint (id, >, 0);
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:4.2.4", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:3.1.2", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_add_item (packs, id, "inset_box:5.1.a", NULL, NULL, -1, NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "packs");
  flush_events ();

  /* Alt+Down on the first row moves it down, and the focus goes with it */
  row = cb_pack_view_get_row (pack_view (), 0);
  gtk_widget_grab_focus (row);
  gtk_widget_activate_action (row, "row.move-down", NULL);
  flush_events ();
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:3.1.2 case_study:4.2.4 inset_box:5.1.a");
  g_clear_pointer (&order, g_free);
  row = cb_pack_view_get_row (pack_view (), 1);
  g_assert_cmpstr (cb_pack_row_get_item_id (CB_PACK_ROW (row)), ==, "case_study:4.2.4");
  g_assert_true (gtk_widget_has_focus (row));

  /* The first row cannot go further up */
  gtk_widget_activate_action (cb_pack_view_get_row (pack_view (), 0), "row.move-up", NULL);
  flush_events ();
  flush_events ();
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:3.1.2 case_study:4.2.4 inset_box:5.1.a");
  g_clear_pointer (&order, g_free);

  /* Undo puts the order back */
  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 case_study:3.1.2 inset_box:5.1.a");
  g_clear_pointer (&order, g_free);

  /* A note typed in place is saved, verbatim, once typing stops */
  row = cb_pack_view_get_row (pack_view (), 1);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cb_pack_row_get_note_view (CB_PACK_ROW (row))));
  gtk_text_buffer_set_text (buffer, note, -1);
  wait_until (note_is_saved, (gpointer) note);

  /* Delete removes the row; the note goes with it, and comes back on undo */
  gtk_widget_activate_action (row, "row.remove", NULL);
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 inset_box:5.1.a");
  g_clear_pointer (&order, g_free);
  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  g_assert_true (note_is_saved ((gpointer) note));
}

/* Undo puts back what one change took away, and leaves later work alone */
static void
test_pack_undo_keeps_later_work (void)
{
  CbPackStore *packs;
  g_autoptr(CbPack) pack = NULL;
  g_autofree char *order = NULL;
  GtkWidget *row;
  GtkTextBuffer *buffer;
  gint64 id;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();
  packs = cb_pack_view_get_pack_store (pack_view ());
  id = cb_pack_view_new_pack (pack_view (), "Session", NULL, NULL, NULL, NULL);
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:4.2.4", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:3.1.2", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_set_note (packs, id, "case_study:4.2.4", "first note", NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "packs");
  flush_events ();

  /* Remove the first item with a note typed a moment before (not yet
   * saved): undo brings it back, typing included */
  row = cb_pack_view_get_row (pack_view (), 0);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cb_pack_row_get_note_view (CB_PACK_ROW (row))));
  gtk_text_buffer_set_text (buffer, "first note, and more", -1);
  gtk_widget_activate_action (row, "row.remove", NULL);
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:3.1.2");
  g_clear_pointer (&order, g_free);

  /* Later work: a note on the other item, and an item added elsewhere */
  g_assert_true (cb_pack_store_set_note (packs, id, "case_study:3.1.2", "later note", NULL));
  g_assert_true (cb_pack_store_add_item (packs, id, "inset_box:5.1.a", NULL, NULL, -1, NULL));

  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  pack = stored_pack ("Session");
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 case_study:3.1.2 inset_box:5.1.a");
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "first note, and more");
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->note, ==, "later note");
  g_clear_pointer (&order, g_free);

  /* Undone once is undone: a second Ctrl+Z changes nothing */
  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 case_study:3.1.2 inset_box:5.1.a");
  g_clear_pointer (&order, g_free);

  /* Ctrl+Z in a note belongs to the note, never to the pack */
  gtk_widget_activate_action (cb_pack_view_get_row (pack_view (), 2), "row.remove", NULL);
  row = cb_pack_view_get_row (pack_view (), 0);
  gtk_widget_grab_focus (cb_pack_row_get_note_view (CB_PACK_ROW (row)));
  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  order = pack_order ("Session");
  g_assert_cmpstr (order, ==, "case_study:4.2.4 case_study:3.1.2");
  g_clear_pointer (&order, g_free);

  /* A change made elsewhere while a note is being typed: the note keeps
   * its text and its focus */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cb_pack_row_get_note_view (CB_PACK_ROW (row))));
  gtk_text_buffer_set_text (buffer, "half a thou", -1);
  g_assert_true (cb_pack_store_set_note (packs, id, "case_study:3.1.2", "elsewhere", NULL));
  flush_events ();
  g_clear_object (&pack);
  pack = stored_pack ("Session");
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "half a thou");
  row = cb_pack_view_get_row (pack_view (), 0);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (cb_pack_row_get_note_view (CB_PACK_ROW (row))));
  {
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, "half a thou");
  }
  g_assert_true (gtk_widget_has_focus (cb_pack_row_get_note_view (CB_PACK_ROW (row))));
}

/* Screen readers name every control of a pack row, and the row itself
 * with its position and item */
static void
test_pack_rows_are_named (void)
{
  CbPackStore *packs;
  GtkWidget *row;
  guint buttons = 0;
  gint64 id;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();
  packs = cb_pack_view_get_pack_store (pack_view ());
  id = cb_pack_view_new_pack (pack_view (), "Named", NULL, NULL, NULL, NULL);
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:4.2.4", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:3.1.2", NULL, NULL, -1, NULL));
  flush_events ();

  row = cb_pack_view_get_row (pack_view (), 1);
  gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "2 of 2: Case study 3.1.2: Engagement of Black patients with health services "
                                       "increases when their physician is of the same race");
  gtk_test_accessible_assert_property (cb_pack_row_get_note_view (CB_PACK_ROW (row)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Note on Case study 3.1.2");
  for (GtkWidget *child = gtk_widget_get_first_child (row); child; )
    {
      if (GTK_IS_BUTTON (child))
        {
          g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL));
          buttons++;
        }

      /* Depth first through the row */
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != row && gtk_widget_get_next_sibling (child) == NULL)
            child = gtk_widget_get_parent (child);
          child = child == row ? NULL : gtk_widget_get_next_sibling (child);
        }
    }
  g_assert_cmpuint (buttons, ==, 3);
}

static void
test_pack_delete_and_duplicate (void)
{
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  g_autoptr(CbPack) copy = NULL;
  CbPackStore *packs;
  gint64 id;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();
  packs = cb_pack_view_get_pack_store (pack_view ());
  id = cb_pack_view_new_pack (pack_view (), "Board", "Why it matters", NULL, NULL, NULL);
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:4.2.4", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_set_note (packs, id, "case_study:4.2.4", "lead with this", NULL));
  before = stored_pack ("Board");

  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.duplicate", NULL);
  copy = stored_pack ("Board (copy)");
  g_assert_nonnull (copy);
  g_assert_cmpstr (cb_pack_get_entry (copy, 0)->note, ==, "lead with this");
  g_assert_cmpstr (cb_pack_get_name (cb_pack_view_get_pack (pack_view ())), ==, "Board (copy)");

  g_assert_true (cb_pack_view_select_pack (pack_view (), "Board"));
  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.delete", NULL);
  g_assert_null (stored_pack ("Board"));

  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.undo", NULL);
  after = stored_pack ("Board");
  g_assert_nonnull (after);
  g_assert_cmpint (cb_pack_get_id (after), ==, cb_pack_get_id (before));
  g_assert_cmpstr (cb_pack_get_description (after), ==, "Why it matters");
  g_assert_cmpstr (cb_pack_get_entry (after, 0)->note, ==, "lead with this");
}

static GtkWidget *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (toplevel))
        return toplevel;
    }

  return NULL;
}

static GtkEditable *
dialog_row (GtkWidget  *dialog,
            const char *title)
{
  GPtrArray *stack = g_ptr_array_new ();
  GtkEditable *found = NULL;

  g_ptr_array_add (stack, dialog);
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (ADW_IS_ENTRY_ROW (widget) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
        found = GTK_EDITABLE (widget);

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);
  g_assert_nonnull (found);

  return found;
}

static void
test_pack_details_dialog_refuses_in_place (void)
{
  AdwMessageDialog *dialog;
  g_autoptr(CbPack) made = NULL;
  g_autofree char *text = NULL;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();
  g_assert_cmpint (cb_pack_view_new_pack (pack_view (), "Existing", NULL, NULL, NULL, NULL), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (pack_view ()), "pack.new", NULL);
  flush_events ();
  dialog = ADW_MESSAGE_DIALOG (find_dialog ());
  g_assert_nonnull (dialog);

  /* A name that is taken, or a date that is not one, cannot be saved; the
   * dialog says why, beside the fields */
  gtk_editable_set_text (dialog_row (GTK_WIDGET (dialog), "_Name"), "existing");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  text = shown_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "There is already a pack called “existing”"));
  g_clear_pointer (&text, g_free);

  gtk_editable_set_text (dialog_row (GTK_WIDGET (dialog), "_Name"), "Team brief");
  gtk_editable_set_text (dialog_row (GTK_WIDGET (dialog), "D_ate (YYYY-MM-DD)"), "2027-02-30");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  text = shown_text (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (text, "YYYY-MM-DD"));

  gtk_editable_set_text (dialog_row (GTK_WIDGET (dialog), "D_ate (YYYY-MM-DD)"), "2027-02-28");
  gtk_editable_set_text (dialog_row (GTK_WIDGET (dialog), "_Audience"), "Ward managers");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  flush_events ();

  made = stored_pack ("Team brief");
  g_assert_nonnull (made);
  g_assert_cmpstr (cb_pack_get_date (made), ==, "2027-02-28");
  g_assert_cmpstr (cb_pack_get_audience (made), ==, "Ward managers");
  g_assert_cmpstr (cb_pack_get_name (cb_pack_view_get_pack (pack_view ())), ==, "Team brief");
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (!cb_pack_view_export_finish (CB_PACK_VIEW (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static gboolean
error_is_set (gpointer data)
{
  return *(GError **) data != NULL;
}

typedef struct {
  gboolean  done;
  gint64    id;
  GError  **error;
} Imported;

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Imported *imported = user_data;

  imported->id = cb_pack_view_import_finish (CB_PACK_VIEW (source), result, imported->error);
  imported->done = TRUE;
}

static gboolean
import_is_done (gpointer data)
{
  return ((Imported *) data)->done;
}

static gint64
import_pack_file (GFile   *file,
                  GError **error)
{
  Imported imported = { FALSE, 0, error };

  cb_pack_view_import_async (pack_view (), file, NULL, on_imported, &imported);
  wait_until (import_is_done, &imported);

  return imported.id;
}

static void
test_pack_export_and_import (void)
{
  CbPackStore *packs;
  g_autofree char *html_path = g_build_filename (tmp_dir, "Board handout.html", NULL);
  g_autofree char *pack_path = g_build_filename (tmp_dir, "board.casebook-pack", NULL);
  g_autofree char *lost_path = g_build_filename (tmp_dir, "no-such-folder", "board.pdf", NULL);
  g_autoptr(GFile) html_file = g_file_new_for_path (html_path);
  g_autoptr(GFile) pack_file = g_file_new_for_path (pack_path);
  g_autoptr(GFile) lost_file = g_file_new_for_path (lost_path);
  g_autofree char *html = NULL;
  g_autoptr(CbPack) imported = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;
  gint64 id;

  if (!require_display ())
    return;

  reset_window ();
  remove_all_packs ();
  packs = cb_pack_view_get_pack_store (pack_view ());
  id = cb_pack_view_new_pack (pack_view (), "Board", "For the January Board", NULL, NULL, NULL);
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:4.2.4", NULL, NULL, -1, NULL));
  g_assert_true (cb_pack_store_add_item (packs, id, "case_study:9.9.9", "Case study 9.9.9", "A vanished study", -1,
                                         NULL));
  g_assert_true (cb_pack_store_set_note (packs, id, "case_study:4.2.4", "<script>alert(1)</script>", NULL));
  g_assert_true (cb_pack_view_select_pack (pack_view (), "Board"));

  /* An item the corpus lost stays, marked */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "packs");
  flush_events ();
  text = shown_text (GTK_WIDGET (pack_view ()));
  g_assert_nonnull (strstr (text, "A vanished study"));
  g_assert_nonnull (strstr (text, "No longer in the corpus"));

  cb_pack_view_export_async (pack_view (), CB_EXPORT_HTML, html_file, NULL, on_exported, &error);
  wait_until (error_is_set, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (html_path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "For the January Board"));
  g_assert_nonnull (strstr (html, "&lt;script&gt;alert(1)&lt;/script&gt;"));

  /* A folder that is not there: an error, and no file */
  cb_pack_view_export_async (pack_view (), CB_EXPORT_PDF, lost_file, NULL, on_exported, &error);
  wait_until (error_is_set, &error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));
  g_clear_error (&error);
  g_assert_false (g_file_test (lost_path, G_FILE_TEST_EXISTS));

  /* The pack file comes back in as a second pack, notes and all */
  cb_pack_view_export_async (pack_view (), CB_EXPORT_PACK, pack_file, NULL, on_exported, &error);
  wait_until (error_is_set, &error);
  g_clear_error (&error);
  g_assert_cmpint (import_pack_file (pack_file, &error), >, 0);
  g_assert_no_error (error);
  imported = stored_pack ("Board (2)");
  g_assert_nonnull (imported);
  g_assert_cmpuint (cb_pack_get_n_entries (imported), ==, 2);
  g_assert_cmpstr (cb_pack_get_entry (imported, 0)->note, ==, "<script>alert(1)</script>");
  g_assert_cmpstr (cb_pack_get_entry (imported, 1)->title, ==, "A vanished study");
  g_assert_cmpstr (cb_pack_get_name (cb_pack_view_get_pack (pack_view ())), ==, "Board (2)");

  /* A file that is not a pack imports nothing */
  g_assert_cmpint (import_pack_file (html_file, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (stored_pack ("Board (3)"));
}

/* Librarian: these run last, as they change the working corpus */

static gboolean reindexed;

static void
on_reindexed (CbWindow *self)
{
  reindexed = TRUE;
}

static gboolean
is_reindexed (gpointer data)
{
  return reindexed;
}

/* The entry row of the item editor whose title is @title */
static GtkEditable *
editor_row (const char *title)
{
  GPtrArray *stack = g_ptr_array_new ();
  GtkEditable *found = NULL;

  g_ptr_array_add (stack, window_part (CB_TYPE_ITEM_EDITOR));
  while (stack->len > 0 && found == NULL)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (ADW_IS_ENTRY_ROW (widget) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
        found = GTK_EDITABLE (widget);

      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);
  g_assert_nonnull (found);

  return found;
}

static void
save_and_wait (void)
{
  g_clear_pointer (&item_shown, g_free);
  reindexed = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-edit", NULL);
  wait_until (is_reindexed, NULL);
  flush_events ();
}

static void
test_librarian_edit_and_undo (void)
{
  const char *id = "case_study:3.1.2";
  g_autofree char *text = NULL;
  g_autofree char *old_title = NULL;

  if (!require_display ())
    return;

  reset_window ();
  g_object_set (cb_settings_get_default (), "librarian-mode", FALSE, NULL);
  g_assert_true (cb_window_select_item (window, id));
  wait_until (item_is_shown, (gpointer) id);
  /* No editing tools outside librarian mode */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window_part (CB_TYPE_ITEM_EDITOR))) &&
                  is_shown (GTK_WIDGET (window_part (CB_TYPE_ITEM_EDITOR))));
  g_object_set (cb_settings_get_default (), "librarian-mode", TRUE, "librarian-name", "Test Librarian", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-item", NULL);
  flush_events ();
  g_assert_true (is_shown (window_part (CB_TYPE_ITEM_EDITOR)));
  old_title = g_strdup (gtk_editable_get_text (editor_row ("Title")));

  /* A refused field says why beside it, and nothing is saved */
  gtk_editable_set_text (editor_row ("Title"), "");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-edit", NULL);
  flush_events ();
  g_assert_true (is_shown (window_part (CB_TYPE_ITEM_EDITOR)));
  text = shown_text (window_part (CB_TYPE_ITEM_EDITOR));
  g_assert_nonnull (strstr (text, "title"));
  g_clear_pointer (&text, g_free);

  /* A good one is saved, indexed and found */
  gtk_editable_set_text (editor_row ("Title"), "Racial concordance with a physician and engagement");
  save_and_wait ();
  wait_until (item_is_shown, (gpointer) id);
  g_assert_true (is_shown (window_part (CB_TYPE_ITEM_VIEW)));
  g_assert_cmpuint (store_count ("concordance physician engagement", 0, NULL), >=, 1);
  text = shown_text (window_part (CB_TYPE_ITEM_VIEW));
  g_assert_nonnull (strstr (text, "Racial concordance with a physician and engagement"));
  /* The history says who changed what */
  g_assert_nonnull (strstr (text, "Test Librarian"));
  g_clear_pointer (&text, g_free);

  /* Undo puts the old title back */
  {
    CbLibrary *library = NULL;
    g_autoptr(GPtrArray) history = NULL;
    g_autoptr(CbCorpus) corpus = NULL;
    CbRevision *last;

    library = cb_library_new_for_index (NULL, g_getenv ("CASEBOOK_DB"), cb_store_get_taxonomy (cb_window_get_store (window)));
    history = cb_library_dup_history (library, id, NULL);
    last = g_ptr_array_index (history, history->len - 1);
    g_assert_cmpstr (last->author, ==, "Test Librarian");
    g_assert_cmpstr (((CbChange *) g_ptr_array_index (last->changes, 0))->field, ==, "title");
    g_assert_cmpstr (((CbChange *) g_ptr_array_index (last->changes, 0))->before, ==, old_title);

    reindexed = FALSE;
    g_clear_pointer (&item_shown, g_free);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-edit", NULL);
    wait_until (is_reindexed, NULL);
    wait_until (item_is_shown, (gpointer) id);
    corpus = cb_library_load (library, NULL);
    g_assert_cmpstr (cb_item_get_title (cb_corpus_lookup_item (corpus, id)), ==, old_title);
    /* The history keeps the change and its undoing */
    g_clear_pointer (&history, g_ptr_array_unref);
    history = cb_library_dup_history (library, id, NULL);
    g_assert_cmpstr (((CbRevision *) g_ptr_array_index (history, history->len - 1))->summary, ==,
                     "Undid the last change");
    g_assert_cmpstr (((CbRevision *) g_ptr_array_index (history, history->len - 2))->summary, ==, "Changed title");
    g_object_unref (library);
  }
}

static void
test_librarian_new_case_study (void)
{
  const char *id = "case_study:4.2.9";

  if (!require_display ())
    return;

  reset_window ();
  g_object_set (cb_settings_get_default (), "librarian-mode", TRUE, NULL);
  g_assert_true (cb_window_select_item (window, "case_study:4.2.4"));
  wait_until (item_is_shown, "case_study:4.2.4");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-item", "s", "case_study");
  flush_events ();
  g_assert_true (is_shown (window_part (CB_TYPE_ITEM_EDITOR)));

  /* A number another case study has is refused beside the field */
  gtk_editable_set_text (editor_row ("Number"), "4.2.4");
  gtk_editable_set_text (editor_row ("Title"), "Telehealth interpreters for language-concordant care");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-edit", NULL);
  flush_events ();
  g_assert_true (is_shown (window_part (CB_TYPE_ITEM_EDITOR)));

  gtk_editable_set_text (editor_row ("Number"), "4.2.9");
  save_and_wait ();
  wait_until (item_is_shown, (gpointer) id);
  g_assert_cmpuint (store_count ("telehealth interpreters", 0, NULL), ==, 1);
  AFTER_SEARCH (cb_window_set_search_text (window, "telehealth interpreters"));
  g_assert_cmpuint (shown_results (), ==, 1);
}

static GtkWidget *previewed;

static void
on_update_previewed (CbWindow  *self,
                     GtkWidget *update_window)
{
  previewed = update_window;
}

static gboolean
update_is_previewed (gpointer data)
{
  return previewed != NULL;
}

/* Another laptop's update arrives: a conflict is settled in the preview
 * window, and the rest applies */
static void
test_librarian_apply_update (void)
{
  CbTaxonomy *taxonomy;
  g_autofree char *other_db = g_build_filename (tmp_dir, "other", "index.sqlite", NULL);
  g_autofree char *update = g_build_filename (tmp_dir, "other", "update.xml", NULL);
  g_autoptr(CbLibrary) other = NULL;
  g_autoptr(CbLibrary) mine = NULL;
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) choices = NULL;
  g_autofree char *text = NULL;

  if (!require_display ())
    return;

  reset_window ();
  taxonomy = cb_store_get_taxonomy (cb_window_get_store (window));
  other = cb_library_new_for_index (NULL, other_db, taxonomy);
  g_assert_true (cb_library_set_field (other, "case_study:4.2.4", "countries", "NZ, INT, GB", &error));
  g_assert_true (cb_library_set_field (other, "case_study:2.2.4", "title", "Title from the other laptop", &error));
  g_assert_true (cb_library_export_update (other, update, NULL, &error));
  g_assert_no_error (error);

  mine = cb_library_new_for_index (NULL, g_getenv ("CASEBOOK_DB"), taxonomy);
  g_assert_true (cb_library_set_field (mine, "case_study:2.2.4", "title", "My own title", &error));

  previewed = NULL;
  cb_window_preview_update (window, update);
  wait_until (update_is_previewed, NULL);
  flush_events ();
  text = shown_text (previewed);
  g_assert_nonnull (strstr (text, "My own title"));
  g_assert_nonnull (strstr (text, "Title from the other laptop"));

  /* Apply waits for the conflict to be settled */
  reindexed = FALSE;
  gtk_widget_activate_action (previewed, "update.apply", NULL);
  flush_events ();
  g_assert_false (reindexed);
  cb_update_window_set_choice (CB_UPDATE_WINDOW (previewed), "case_study:2.2.4", "title", CB_CHOOSE_LOCAL);
  gtk_widget_activate_action (previewed, "update.apply", NULL);
  wait_until (is_reindexed, NULL);

  corpus = cb_library_load (mine, NULL);
  g_assert_cmpstr (cb_item_get_title (cb_corpus_lookup_item (corpus, "case_study:2.2.4")), ==, "My own title");
  g_assert_cmpuint (store_count ("cultural safety", CB_FACET_COUNTRY, "GB"), >=, 1);
}

/* Setup */

static void
on_activate (GApplication *app)
{
  window = CB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_signal_connect (window, "search-finished", G_CALLBACK (on_search_finished), NULL);
  g_signal_connect (window, "item-shown", G_CALLBACK (on_item_shown), NULL);
  g_signal_connect (window, "reindexed", G_CALLBACK (on_reindexed), NULL);
  g_signal_connect (window, "update-previewed", G_CALLBACK (on_update_previewed), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;
  const char *filters[] = { "kind:recommendation", NULL };
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("casebook-gui-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (tmp_dir, "index.sqlite", NULL);
  g_setenv ("CASEBOOK_DB", db, TRUE);

  g_test_add_func ("/gui/uri-policy", test_uri_policy);
  g_test_add_func ("/gui/snippet-markup", test_snippet_markup);
  g_test_add_func ("/gui/item-view-shows-text-as-text", test_item_view_shows_text_as_text);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      cb_application_register_resources ();

      /* What the last session left: it is restored on start */
      g_object_set (cb_settings_get_default (),
                    "last-query", "cultural safety",
                    "last-filters", filters,
                    "window-width", 1366,
                    "window-height", 768,
                    NULL);

      application = cb_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_signal_connect_after (application, "activate", G_CALLBACK (on_activate), NULL);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
      g_application_activate (G_APPLICATION (application));
      wait_until (store_is_ready, window);
    }

  g_test_add_func ("/gui/templates", test_templates);
  g_test_add_func ("/gui/first-start", test_first_start);
  g_test_add_func ("/gui/typing-changes-results", test_typing_changes_results);
  g_test_add_func ("/gui/filter-changes-results-as-predicted", test_filter_changes_results_as_predicted);
  g_test_add_func ("/gui/typed-filters-are-removable", test_typed_filters_are_removable);
  g_test_add_func ("/gui/empty-results-offer-to-clear", test_empty_results_offer_to_clear);
  g_test_add_func ("/gui/selecting-shows-item", test_selecting_shows_item);
  g_test_add_func ("/gui/copy-citation", test_copy_citation);
  g_test_add_func ("/gui/map-cell-applies-filters", test_map_cell_applies_filters);
  g_test_add_func ("/gui/map-follows-the-search", test_map_follows_the_search);
  g_test_add_func ("/gui/every-control-is-labelled", test_every_control_is_labelled);
  g_test_add_func ("/gui/narrow-window-folds", test_narrow_window_folds);
  g_test_add_func ("/gui/packs/add-with-undo", test_add_to_pack_with_undo);
  g_test_add_func ("/gui/packs/keyboard-and-notes", test_pack_keyboard_and_notes);
  g_test_add_func ("/gui/packs/undo-keeps-later-work", test_pack_undo_keeps_later_work);
  g_test_add_func ("/gui/packs/rows-are-named", test_pack_rows_are_named);
  g_test_add_func ("/gui/packs/delete-and-duplicate", test_pack_delete_and_duplicate);
  g_test_add_func ("/gui/packs/details-refused-in-place", test_pack_details_dialog_refuses_in_place);
  g_test_add_func ("/gui/packs/export-and-import", test_pack_export_and_import);
  g_test_add_func ("/gui/librarian/edit-and-undo", test_librarian_edit_and_undo);
  g_test_add_func ("/gui/librarian/new-case-study", test_librarian_new_case_study);
  g_test_add_func ("/gui/librarian/apply-update", test_librarian_apply_update);

  status = g_test_run ();

  if (application != NULL)
    {
      g_application_quit (G_APPLICATION (application));
      flush_events ();
      g_clear_object (&application);
    }
  g_clear_pointer (&item_shown, g_free);

  cb_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return status;
}
