/* cb-update-window.c: what a corpus update would change, before it is
 * applied
 *
 * The window shows the preview the library made: a one-line summary, the
 * fields both the librarian and the update changed (each needing a choice
 * before Apply is possible), then what is added, changed, and removed or
 * retired. Applying is the caller's work: the window says "apply" and
 * either gets closed or shows the error it is given.
 *
 * All corpus text is set as plain text, never as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-update-window.h"
#include "cb-widget-util.h"

/* Longest value shown in a row, in characters; a button shows all of it */
#define SHORT_VALUE 160

enum {
  CHOICE_NONE,
  CHOICE_MINE,
  CHOICE_UPDATE,
};

struct _CbUpdateWindow
{
  AdwWindow            parent_instance;

  CbUpdatePreview     *preview;
  GPtrArray           *conflict_rows;  /* AdwComboRow, one per conflict, same order */

  AdwWindowTitle      *window_title;
  GtkWidget           *apply_button;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkLabel            *summary_label;
  AdwPreferencesGroup *conflicts_group;
  AdwPreferencesGroup *added_group;
  AdwPreferencesGroup *changed_group;
  AdwPreferencesGroup *removed_group;
};

G_DEFINE_FINAL_TYPE (CbUpdateWindow, cb_update_window, ADW_TYPE_WINDOW)

enum {
  APPLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Values as text */

static const char *
or_empty (const char *text)
{
  return text != NULL && *text != '\0' ? text : _("(empty)");
}

/* What an entry is about */

typedef enum {
  ABOUT_ITEM,
  ABOUT_REFERENCE,
  ABOUT_GUIDE,
} About;

static About
entry_about (const char *id)
{
  if (g_strcmp0 (id, "corpus") == 0)
    return ABOUT_GUIDE;
  if (g_str_has_prefix (id, "reference:"))
    return ABOUT_REFERENCE;

  return ABOUT_ITEM;
}

static gboolean
entry_is_retired (CbDiffEntry *entry)
{
  if (entry->kind != CB_DIFF_CHANGED || entry->changes == NULL)
    return FALSE;

  for (guint i = 0; i < entry->changes->len; i++)
    {
      CbChange *change = g_ptr_array_index (entry->changes, i);

      if (g_strcmp0 (change->field, "status") == 0 && g_strcmp0 (change->after, "retired") == 0)
        return TRUE;
    }

  return FALSE;
}

/* The summary line */

typedef struct {
  guint added;
  guint changed;
  guint retired;
  guint removed;
} Counts;

/* The first count of a kind names it ("3 items added"), the rest don't
 * ("5 changed") */
static void
add_count (GPtrArray *parts,
           gboolean  *named,
           char      *with_noun,
           char      *bare)
{
  if (!*named)
    {
      g_ptr_array_add (parts, with_noun);
      g_free (bare);
      *named = TRUE;
    }
  else
    {
      g_ptr_array_add (parts, bare);
      g_free (with_noun);
    }
}

static char *
format_summary (CbUpdatePreview *preview)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *changes = NULL;
  Counts items = { 0 }, references = { 0 };
  gboolean guide = FALSE;
  gboolean named = FALSE;
  guint n_conflicts = preview->conflicts ? preview->conflicts->len : 0;

  for (guint i = 0; preview->changes && i < preview->changes->len; i++)
    {
      CbDiffEntry *entry = g_ptr_array_index (preview->changes, i);
      About about = entry_about (entry->id);
      Counts *counts = about == ABOUT_REFERENCE ? &references : &items;

      if (about == ABOUT_GUIDE)
        guide = TRUE;
      else if (entry->kind == CB_DIFF_ADDED)
        counts->added++;
      else if (entry->kind == CB_DIFF_REMOVED)
        counts->removed++;
      else if (entry_is_retired (entry))
        counts->retired++;
      else
        counts->changed++;
    }

  /* Translators: the parts of a list like "3 items added, 5 changed,
   * 1 retired, 2 references changed"; the first part of each kind names
   * it, the others leave the name out */
  if (items.added > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u item added", "%u items added", items.added), items.added),
               g_strdup_printf (ngettext ("%u added", "%u added", items.added), items.added));
  if (items.changed > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u item changed", "%u items changed", items.changed), items.changed),
               g_strdup_printf (ngettext ("%u changed", "%u changed", items.changed), items.changed));
  if (items.retired > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u item retired", "%u items retired", items.retired), items.retired),
               g_strdup_printf (ngettext ("%u retired", "%u retired", items.retired), items.retired));
  if (items.removed > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u item removed", "%u items removed", items.removed), items.removed),
               g_strdup_printf (ngettext ("%u removed", "%u removed", items.removed), items.removed));

  named = FALSE;
  if (references.added > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u reference added", "%u references added", references.added),
                                references.added),
               g_strdup_printf (ngettext ("%u added", "%u added", references.added), references.added));
  if (references.changed + references.retired > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u reference changed", "%u references changed",
                                          references.changed + references.retired),
                                references.changed + references.retired),
               g_strdup_printf (ngettext ("%u changed", "%u changed", references.changed + references.retired),
                                references.changed + references.retired));
  if (references.removed > 0)
    add_count (parts, &named,
               g_strdup_printf (ngettext ("%u reference removed", "%u references removed", references.removed),
                                references.removed),
               g_strdup_printf (ngettext ("%u removed", "%u removed", references.removed), references.removed));

  if (guide)
    g_ptr_array_add (parts, g_strdup (_("the guide’s details changed")));

  if (parts->len == 0)
    changes = g_strdup (_("This update changes nothing in your corpus"));
  else
    {
      g_ptr_array_add (parts, NULL);
      changes = g_strjoinv (", ", (char **) parts->pdata);
      /* The guide's details may come first: start with a capital */
      if (g_ascii_islower (changes[0]))
        changes[0] = g_ascii_toupper (changes[0]);
    }

  if (n_conflicts == 0)
    return g_steal_pointer (&changes);

  {
    g_autofree char *conflicts = g_strdup_printf (ngettext ("%u conflict with your edits",
                                                            "%u conflicts with your edits", n_conflicts),
                                                  n_conflicts);

    /* Translators: what changes; how many conflicts ("3 items added; 1 conflict with your edits") */
    return g_strdup_printf (_("%s; %s"), changes, conflicts);
  }
}

/* Rows */

/* "+", "−" or "~" before a row, so a change is never told by colour alone */
static GtkWidget *
symbol_new (const char *symbol,
            const char *css_class,
            const char *meaning)
{
  GtkWidget *label = gtk_label_new (symbol);

  gtk_widget_add_css_class (label, "title-3");
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_size_request (label, 20, -1);
  gtk_widget_set_tooltip_text (label, meaning);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, meaning, -1);

  return label;
}

static void
set_row_text (AdwPreferencesRow *row,
              const char        *title,
              const char        *subtitle)
{
  adw_preferences_row_set_use_markup (row, FALSE);
  adw_preferences_row_set_title (row, title);
  if (ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  else if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
}

/* A button that shows long values whole, in a popover. The varargs are
 * pairs of a heading and a (nullable) value, ended by a NULL heading. */
static GtkWidget *
full_text_button_new (const char *tooltip,
                      ...)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char *heading;
  va_list args;

  va_start (args, tooltip);
  while ((heading = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      GtkWidget *title = gtk_label_new (heading);
      GtkWidget *text = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "heading");
      if (gtk_widget_get_first_child (box) != NULL)
        gtk_widget_set_margin_top (title, 6);
      gtk_label_set_text (GTK_LABEL (text), or_empty (value));
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (text), 40);
      gtk_label_set_max_width_chars (GTK_LABEL (text), 60);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), text);
    }
  va_end (args);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-reveal-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);

  return button;
}

/* One row per changed field, "before → after" */
static GtkWidget *
change_row_new (CbChange *change)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean shortened = FALSE;
  g_autofree char *before = cb_text_shorten (change->before, SHORT_VALUE, &shortened);
  g_autofree char *after = cb_text_shorten (change->after, SHORT_VALUE, &shortened);
  /* Translators: a field's value before and after the update */
  g_autofree char *subtitle = g_strdup_printf (_("%s → %s"), before, after);

  set_row_text (ADW_PREFERENCES_ROW (row), change->field, subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (shortened)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               full_text_button_new (_("Show before and after in full"),
                                                     _("Before"), change->before,
                                                     _("After"), change->after,
                                                     NULL));

  return row;
}

/* The field rows are made when an entry is first expanded, so an update
 * that touches every item does not build every field's row up front */
static void
on_entry_expanded (AdwExpanderRow *row,
                   GParamSpec     *pspec,
                   CbDiffEntry    *entry)
{
  if (!adw_expander_row_get_expanded (row) || g_object_get_data (G_OBJECT (row), "filled") != NULL)
    return;

  g_object_set_data (G_OBJECT (row), "filled", GINT_TO_POINTER (TRUE));
  for (guint i = 0; i < entry->changes->len; i++)
    adw_expander_row_add_row (row, change_row_new (g_ptr_array_index (entry->changes, i)));
}

static const char *
about_noun (About about)
{
  switch (about)
    {
    case ABOUT_REFERENCE:
      return _("Reference");
    case ABOUT_GUIDE:
      return _("Guide details");
    case ABOUT_ITEM:
    default:
      return _("Item");
    }
}

static GtkWidget *
entry_row_new (CbDiffEntry *entry,
               gboolean     retired)
{
  About about = entry_about (entry->id);
  guint n_changes = entry->changes ? entry->changes->len : 0;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *symbol;

  switch (entry->kind)
    {
    case CB_DIFF_ADDED:
      subtitle = g_strdup (about == ABOUT_REFERENCE ? _("New reference") : _("New item"));
      symbol = symbol_new ("+", "success", _("Added"));
      break;

    case CB_DIFF_REMOVED:
      subtitle = g_strdup (about == ABOUT_REFERENCE ? _("Reference removed from the corpus")
                                                    : _("Item removed from the corpus"));
      symbol = symbol_new ("−", "error", _("Removed"));
      break;

    case CB_DIFF_CHANGED:
    default:
      if (retired)
        {
          subtitle = g_strdup (_("Item retired: it stays readable, but is no longer current"));
          symbol = symbol_new ("−", "warning", _("Retired"));
        }
      else
        {
          /* Translators: "Item · 3 fields changed" */
          g_autofree char *fields = g_strdup_printf (ngettext ("%u field changed", "%u fields changed", n_changes),
                                                     n_changes);

          subtitle = g_strdup_printf (_("%s · %s"), about_noun (about), fields);
          symbol = symbol_new ("~", "accent", _("Changed"));
        }
      break;
    }

  if (n_changes > 0)
    {
      row = adw_expander_row_new ();
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), symbol);
      g_signal_connect (row, "notify::expanded", G_CALLBACK (on_entry_expanded), entry);
    }
  else
    {
      row = adw_action_row_new ();
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), symbol);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
    }
  set_row_text (ADW_PREFERENCES_ROW (row), entry->label ? entry->label : entry->id, subtitle);
  gtk_widget_set_tooltip_text (row, entry->id);

  return row;
}

/* Conflicts */

static void
update_apply (CbUpdateWindow *self)
{
  guint missing = 0;

  for (guint i = 0; i < self->conflict_rows->len; i++)
    if (adw_combo_row_get_selected (g_ptr_array_index (self->conflict_rows, i)) == CHOICE_NONE)
      missing++;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "update.apply", missing == 0);
  if (missing == 0)
    gtk_widget_set_tooltip_text (self->apply_button, _("Apply the update to your working corpus"));
  else
    {
      g_autofree char *tooltip = g_strdup_printf (ngettext ("Choose which version to keep for %u more conflict first",
                                                            "Choose which version to keep for %u more conflicts first",
                                                            missing),
                                                  missing);

      gtk_widget_set_tooltip_text (self->apply_button, tooltip);
    }
}

static void
on_choice_changed (CbUpdateWindow *self)
{
  update_apply (self);
}

static GtkWidget *
conflict_row_new (CbUpdateWindow *self,
                  CbConflict     *conflict)
{
  const char *choices[] = { _("Choose…"), _("Keep Mine"), _("Take the Update"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (choices);
  GtkWidget *row = adw_combo_row_new ();
  gboolean shortened = FALSE;
  g_autofree char *mine = cb_text_shorten (conflict->local, SHORT_VALUE, &shortened);
  g_autofree char *theirs = cb_text_shorten (conflict->update, SHORT_VALUE, &shortened);
  /* Translators: a conflict's item and field ("Case study 4.2.4: Title — countries") */
  g_autofree char *title = g_strdup_printf (_("%s — %s"), conflict->label ? conflict->label : conflict->id,
                                            conflict->field);
  g_autofree char *subtitle = g_strdup_printf (_("Yours: %s\nUpdate: %s"), mine, theirs);

  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  set_row_text (ADW_PREFERENCES_ROW (row), title, subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  /* The whole of both versions, and what both started from */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             full_text_button_new (shortened ? _("Show both versions in full")
                                                             : _("Show both versions and the one before"),
                                                   _("Yours"), conflict->local,
                                                   _("Update"), conflict->update,
                                                   _("Before either"), conflict->base,
                                                   NULL));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_choice_changed), self, G_CONNECT_SWAPPED);

  return row;
}

static void
choose_all (CbUpdateWindow *self,
            guint           choice)
{
  for (guint i = 0; i < self->conflict_rows->len; i++)
    adw_combo_row_set_selected (g_ptr_array_index (self->conflict_rows, i), choice);
}

static void
on_keep_all_mine (CbUpdateWindow *self)
{
  choose_all (self, CHOICE_MINE);
}

static void
on_take_all_updates (CbUpdateWindow *self)
{
  choose_all (self, CHOICE_UPDATE);
}

static GtkWidget *
choose_all_buttons_new (CbUpdateWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *mine = gtk_button_new_with_mnemonic (_("All _Mine"));
  GtkWidget *theirs = gtk_button_new_with_mnemonic (_("All _Updates"));

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_valign (box, GTK_ALIGN_END);
  gtk_widget_set_tooltip_text (mine, _("Keep your version of every conflicting field"));
  gtk_widget_set_tooltip_text (theirs, _("Take the update’s version of every conflicting field"));
  g_signal_connect_object (mine, "clicked", G_CALLBACK (on_keep_all_mine), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (theirs, "clicked", G_CALLBACK (on_take_all_updates), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), mine);
  gtk_box_append (GTK_BOX (box), theirs);

  return box;
}

/* Building the page */

static void
set_group_title (AdwPreferencesGroup *group,
                 const char          *title,
                 guint                count)
{
  /* Translators: a group title and how many rows it has ("Added (3)") */
  g_autofree char *text = g_strdup_printf (_("%s (%u)"), title, count);

  adw_preferences_group_set_title (group, text);
  gtk_widget_set_visible (GTK_WIDGET (group), count > 0);
}

static void
populate (CbUpdateWindow *self)
{
  CbUpdatePreview *preview = self->preview;
  g_autofree char *summary = format_summary (preview);
  guint n_added = 0, n_changed = 0, n_removed = 0;

  gtk_label_set_text (self->summary_label, summary);

  for (guint i = 0; preview->conflicts && i < preview->conflicts->len; i++)
    {
      GtkWidget *row = conflict_row_new (self, g_ptr_array_index (preview->conflicts, i));

      g_ptr_array_add (self->conflict_rows, row);
      adw_preferences_group_add (self->conflicts_group, row);
    }
  set_group_title (self->conflicts_group, _("Conflicts"), self->conflict_rows->len);
  if (self->conflict_rows->len > 1)
    adw_preferences_group_set_header_suffix (self->conflicts_group, choose_all_buttons_new (self));

  for (guint i = 0; preview->changes && i < preview->changes->len; i++)
    {
      CbDiffEntry *entry = g_ptr_array_index (preview->changes, i);
      gboolean retired = entry_is_retired (entry);
      GtkWidget *row = entry_row_new (entry, retired);

      if (entry->kind == CB_DIFF_ADDED)
        {
          adw_preferences_group_add (self->added_group, row);
          n_added++;
        }
      else if (entry->kind == CB_DIFF_REMOVED || retired)
        {
          adw_preferences_group_add (self->removed_group, row);
          n_removed++;
        }
      else
        {
          adw_preferences_group_add (self->changed_group, row);
          n_changed++;
        }
    }
  set_group_title (self->added_group, _("Added"), n_added);
  set_group_title (self->changed_group, _("Changed"), n_changed);
  set_group_title (self->removed_group, _("Removed or Retired"), n_removed);

  update_apply (self);
}

/* Actions */

static void
apply_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbUpdateWindow *self = CB_UPDATE_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  g_signal_emit (self, signals[APPLY], 0);
}

static void
cb_update_window_dispose (GObject *object)
{
  CbUpdateWindow *self = (CbUpdateWindow *) object;

  g_clear_pointer (&self->conflict_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_UPDATE_WINDOW);

  G_OBJECT_CLASS (cb_update_window_parent_class)->dispose (object);
}

static void
cb_update_window_finalize (GObject *object)
{
  CbUpdateWindow *self = (CbUpdateWindow *) object;

  /* After dispose: the rows' handlers point into the preview's entries */
  g_clear_pointer (&self->preview, cb_update_preview_free);

  G_OBJECT_CLASS (cb_update_window_parent_class)->finalize (object);
}

static void
cb_update_window_class_init (CbUpdateWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_update_window_dispose;
  object_class->finalize = cb_update_window_finalize;

  /**
   * CbUpdateWindow::apply:
   * @self: the window
   *
   * Emitted when the user presses Apply, once every conflict has a
   * choice. The handler applies the update with
   * cb_update_window_dup_choices(), then closes the window or calls
   * cb_update_window_show_error().
   */
  signals[APPLY] =
    g_signal_new ("apply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-update-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, apply_button);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, added_group);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, changed_group);
  gtk_widget_class_bind_template_child (widget_class, CbUpdateWindow, removed_group);

  gtk_widget_class_install_action (widget_class, "update.apply", NULL, apply_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_update_window_init (CbUpdateWindow *self)
{
  self->conflict_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cb_update_window_new:
 * @parent: (nullable): the main window
 * @preview: (transfer full): what the update would do
 * @file_name: (nullable): the update file's name, for the subtitle
 *
 * Returns: (transfer floating): a modal window showing @preview
 */
GtkWidget *
cb_update_window_new (GtkWindow       *parent,
                      CbUpdatePreview *preview,
                      const char      *file_name)
{
  CbUpdateWindow *self;
  g_autofree char *subtitle = NULL;
  int width = 720, height = 640;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (preview != NULL, NULL);

  /* Never bigger than the window it belongs to, on a small screen */
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    {
      width = MIN (width, gtk_widget_get_width (GTK_WIDGET (parent)));
      height = MIN (height, gtk_widget_get_height (GTK_WIDGET (parent)));
    }

  self = g_object_new (CB_TYPE_UPDATE_WINDOW,
                       "transient-for", parent,
                       "default-width", width,
                       "default-height", height,
                       NULL);
  self->preview = preview;

  if (file_name != NULL)
    /* Translators: the update's version and file ("Version 3 · guide-v3.casebook-update") */
    subtitle = g_strdup_printf (_("Version %u · %s"), preview->version, file_name);
  else
    subtitle = g_strdup_printf (_("Version %u"), preview->version);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  populate (self);

  return GTK_WIDGET (self);
}

/**
 * cb_update_window_get_preview:
 * @self: a window
 *
 * Returns: (transfer none): the preview shown
 */
CbUpdatePreview *
cb_update_window_get_preview (CbUpdateWindow *self)
{
  g_return_val_if_fail (CB_IS_UPDATE_WINDOW (self), NULL);

  return self->preview;
}

/**
 * cb_update_window_dup_choices:
 * @self: a window
 *
 * Returns: (transfer full) (element-type utf8 gint): the choice made for
 *   each conflict (a #CbChoice), keyed by cb_conflict_key(); conflicts
 *   without a choice yet are left out
 */
GHashTable *
cb_update_window_dup_choices (CbUpdateWindow *self)
{
  GHashTable *choices;

  g_return_val_if_fail (CB_IS_UPDATE_WINDOW (self), NULL);

  choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->conflict_rows->len; i++)
    {
      CbConflict *conflict = g_ptr_array_index (self->preview->conflicts, i);
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->conflict_rows, i));

      if (selected == CHOICE_MINE || selected == CHOICE_UPDATE)
        g_hash_table_insert (choices, cb_conflict_key (conflict->id, conflict->field),
                             GINT_TO_POINTER (selected == CHOICE_MINE ? CB_CHOOSE_LOCAL : CB_CHOOSE_UPDATE));
    }

  return choices;
}

/**
 * cb_update_window_set_choice:
 * @self: a window
 * @id: the conflict's item or reference
 * @field: its field
 * @choice: which version to keep
 *
 * Chooses for one conflict, as picking it in its row does.
 */
void
cb_update_window_set_choice (CbUpdateWindow *self,
                             const char     *id,
                             const char     *field,
                             CbChoice        choice)
{
  g_return_if_fail (CB_IS_UPDATE_WINDOW (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (field != NULL);

  for (guint i = 0; i < self->conflict_rows->len; i++)
    {
      CbConflict *conflict = g_ptr_array_index (self->preview->conflicts, i);

      if (g_str_equal (conflict->id, id) && g_str_equal (conflict->field, field))
        {
          adw_combo_row_set_selected (g_ptr_array_index (self->conflict_rows, i),
                                      choice == CB_CHOOSE_LOCAL ? CHOICE_MINE : CHOICE_UPDATE);
          return;
        }
    }

  g_warning ("No conflict in %s field %s", id, field);
}

/**
 * cb_update_window_show_error:
 * @self: a window
 * @message: why the update could not be applied
 *
 * Shows @message above the update, as plain text; pressing Apply again
 * hides it.
 */
void
cb_update_window_show_error (CbUpdateWindow *self,
                             const char     *message)
{
  g_return_if_fail (CB_IS_UPDATE_WINDOW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}
