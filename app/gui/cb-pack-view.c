/* cb-pack-view.c: the Packs view: choose a pack, order its items, write
 * notes, export and import
 *
 * Every change goes straight to the pack store, one transaction each; the
 * view then reloads from the store, so what is shown is what is saved.
 * Changes that lose something (removing, deleting, reordering, renaming)
 * offer Undo, which puts back the pack as it was before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-pack-file.h"
#include "cb-pack-row.h"
#include "cb-pack-view.h"
#include "cb-settings.h"

struct _CbPackView
{
  GtkWidget              parent_instance;

  CbPackStore           *packs;
  CbStore               *store;
  CbPack                *pack;
  GArray                *pack_ids;
  GtkStringList         *names;
  struct _Undo          *last_undo;
  char                  *focus_item;
  GCancellable          *cancellable;
  GtkNativeDialog       *chooser;
  gboolean               updating;
  gboolean               saving_note;

  GtkWidget             *box;
  GtkDropDown           *pack_dropdown;
  GtkMenuButton         *export_button;
  GtkMenuButton         *menu_button;
  GtkLabel              *details_label;
  GtkStack              *stack;
  GtkListBox            *list_box;
  AdwStatusPage         *error_page;
  GtkWidget             *new_pack_button;
  GtkWidget             *import_pack_button;
};

G_DEFINE_FINAL_TYPE (CbPackView, cb_pack_view, GTK_TYPE_WIDGET)

enum {
  OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reload (CbPackView *self);
static void flush_notes (CbPackView *self);

/* Toasts */

static void
show_toast (CbPackView *self,
            AdwToast   *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

/* Toast titles are markup */
static void
toast (CbPackView *self,
       const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 5);
  show_toast (self, t);
}

/* Undo puts back what one change took away, and nothing else: a removed
 * item comes back where it was with its note, a moved one goes back, a
 * deleted pack is restored, details get their old values. Changes made
 * since (a note typed, another item added) stay. Each toast undoes its
 * own change; Ctrl+Z undoes the latest. */

typedef enum {
  UNDO_REMOVE,    /* take out the item that was added */
  UNDO_REINSERT,  /* put back the entry that was removed */
  UNDO_MOVE,      /* move the item back */
  UNDO_DETAILS,   /* give the pack its old details */
  UNDO_RESTORE,   /* bring back the deleted pack */
} UndoKind;

typedef struct _Undo {
  UndoKind     kind;
  gint64       pack_id;
  CbPackEntry *entry;
  guint        position;
  CbPack      *pack;
  gboolean     done;
} Undo;

static void
undo_clear (Undo *undo)
{
  g_clear_pointer (&undo->entry, cb_pack_entry_free);
  g_clear_object (&undo->pack);
}

static Undo *
undo_new (UndoKind kind,
          gint64   pack_id)
{
  Undo *undo = g_rc_box_new0 (Undo);

  undo->kind = kind;
  undo->pack_id = pack_id;

  return undo;
}

static void
undo_unref (gpointer undo)
{
  g_rc_box_release_full (undo, (GDestroyNotify) undo_clear);
}

static void
undo_unref_closure (gpointer  undo,
                    GClosure *closure)
{
  undo_unref (undo);
}

static gboolean
apply_undo (CbPackView  *self,
            Undo        *undo,
            GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  switch (undo->kind)
    {
    case UNDO_REMOVE:
      return cb_pack_store_remove_item (self->packs, undo->pack_id, undo->entry->item_id, error);

    case UNDO_REINSERT:
      entries = g_ptr_array_new ();
      g_ptr_array_add (entries, undo->entry);
      return cb_pack_store_add_entries (self->packs, undo->pack_id, entries, undo->position, error);

    case UNDO_MOVE:
      return cb_pack_store_move_item (self->packs, undo->pack_id, undo->entry->item_id, undo->position, error);

    case UNDO_DETAILS:
      return cb_pack_store_set_details (self->packs, undo->pack_id, cb_pack_get_name (undo->pack),
                                        cb_pack_get_description (undo->pack), cb_pack_get_audience (undo->pack),
                                        cb_pack_get_date (undo->pack), error);

    case UNDO_RESTORE:
      return cb_pack_store_save (self->packs, undo->pack, error) != 0;

    default:
      g_assert_not_reached ();
    }
}

static void
run_undo (CbPackView *self,
          Undo       *undo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;

  if (undo == NULL || undo->done || self->packs == NULL)
    return;

  undo->done = TRUE;
  if (self->last_undo == undo)
    g_clear_pointer (&self->last_undo, undo_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pack.undo", self->last_undo != NULL);

  flush_notes (self);
  if (undo->entry != NULL && undo->kind != UNDO_REMOVE)
    {
      g_free (self->focus_item);
      self->focus_item = g_strdup (undo->entry->item_id);
    }

  if (!apply_undo (self, undo, &error))
    {
      g_autofree char *message = g_strdup_printf (_("That cannot be undone now: %s"), error->message);

      toast (self, message);
      return;
    }

  /* Show the pack that changed back */
  if ((pack = cb_pack_store_load (self->packs, undo->pack_id, NULL)) != NULL)
    cb_pack_view_select_pack (self, cb_pack_get_name (pack));
}

static void
on_undo_clicked (AdwToast *t,
                 Undo     *undo)
{
  CbPackView *self = g_object_get_data (G_OBJECT (t), "pack-view");

  if (self != NULL)
    run_undo (self, undo);
}

/* Says what was done, offering to undo it (@undo: transfer full) */
static void
toast_with_undo (CbPackView *self,
                 Undo       *undo,
                 const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *t = adw_toast_new (escaped);

  g_clear_pointer (&self->last_undo, undo_unref);
  self->last_undo = g_rc_box_acquire (undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pack.undo", TRUE);

  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_timeout (t, 8);
  g_object_set_data_full (G_OBJECT (t), "pack-view", g_object_ref (self), g_object_unref);
  g_signal_connect_data (t, "button-clicked", G_CALLBACK (on_undo_clicked), undo, undo_unref_closure, 0);
  show_toast (self, t);
}

/* Notes waiting for typing to stop are saved before anything reloads */
static void
flush_notes (CbPackView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (CB_IS_PACK_ROW (child))
      cb_pack_row_flush_note (CB_PACK_ROW (child));
}

/* Rows */

static void
describe_entry (CbPackView         *self,
                const CbPackEntry  *entry,
                char              **label,
                char              **title,
                const char        **status)
{
  g_autoptr(CbPackEntry) current = NULL;

  *status = NULL;

  if (self->store == NULL)
    {
      *label = g_strdup (*entry->label ? entry->label : entry->item_id);
      *title = g_strdup (entry->title);
      return;
    }

  current = cb_store_new_pack_entry (self->store, entry->item_id, NULL);
  if (current == NULL)
    {
      *label = g_strdup (*entry->label ? entry->label : entry->item_id);
      *title = g_strdup (*entry->title ? entry->title : entry->item_id);
      *status = _("No longer in the corpus");
      return;
    }

  *label = g_strdup (current->label);
  *title = g_strdup (current->title);
  if (cb_store_is_retired (self->store, entry->item_id))
    *status = _("Retired from the corpus");
}

static void
move_item (CbPackView *self,
           const char *item_id,
           guint       position)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  CbPackEntry *entry;
  Undo *undo;
  guint from;

  flush_notes (self);
  if ((entry = cb_pack_lookup_entry (self->pack, item_id, &from)) == NULL)
    return;

  undo = undo_new (UNDO_MOVE, cb_pack_get_id (self->pack));
  undo->entry = cb_pack_entry_copy (entry);
  undo->position = from;
  g_free (self->focus_item);
  self->focus_item = g_strdup (item_id);

  if (!cb_pack_store_move_item (self->packs, cb_pack_get_id (self->pack), item_id, position, &error))
    {
      undo_unref (undo);
      toast (self, error->message);
      return;
    }

  /* Translators: said after an item of a pack was moved, to a screen reader too */
  message = g_strdup_printf (_("Moved to position %u"), position + 1);
  toast_with_undo (self, undo, message);
}

static void
on_row_move (CbPackRow  *row,
             int         delta,
             CbPackView *self)
{
  guint position = cb_pack_row_get_position (row);
  guint n = cb_pack_get_n_entries (self->pack);

  if ((delta < 0 && position == 0) || (delta > 0 && position + 1 >= n))
    {
      gtk_widget_error_bell (GTK_WIDGET (row));
      return;
    }

  move_item (self, cb_pack_row_get_item_id (row), position + delta);
}

static void
on_row_remove (CbPackRow  *row,
               CbPackView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint position = cb_pack_row_get_position (row);
  g_autofree char *item_id = g_strdup (cb_pack_row_get_item_id (row));
  g_autofree char *pack_name = g_strdup (cb_pack_get_name (self->pack));
  CbPackEntry *entry;
  Undo *undo;

  /* The undo puts the note back as it is now, typing included */
  flush_notes (self);
  if ((entry = cb_pack_lookup_entry (self->pack, item_id, NULL)) == NULL)
    return;
  undo = undo_new (UNDO_REINSERT, cb_pack_get_id (self->pack));
  undo->entry = cb_pack_entry_copy (entry);
  undo->position = position;

  /* The focus goes to the row that takes its place */
  if (position + 1 < cb_pack_get_n_entries (self->pack))
    {
      g_free (self->focus_item);
      self->focus_item = g_strdup (cb_pack_get_entry (self->pack, position + 1)->item_id);
    }
  else if (position > 0)
    {
      g_free (self->focus_item);
      self->focus_item = g_strdup (cb_pack_get_entry (self->pack, position - 1)->item_id);
    }

  if (!cb_pack_store_remove_item (self->packs, cb_pack_get_id (self->pack), item_id, &error))
    {
      undo_unref (undo);
      toast (self, error->message);
      return;
    }

  message = g_strdup_printf (_("Removed from “%s”"), pack_name);
  toast_with_undo (self, undo, message);
}

static void
on_row_note_changed (CbPackRow  *row,
                     const char *note,
                     CbPackView *self)
{
  g_autoptr(GError) error = NULL;
  CbPackEntry *entry;

  if (self->pack == NULL || self->packs == NULL)
    return;

  entry = cb_pack_lookup_entry (self->pack, cb_pack_row_get_item_id (row), NULL);
  if (entry == NULL || g_strcmp0 (entry->note, note) == 0)
    return;

  /* The row already shows the note: no need to rebuild under the typing */
  self->saving_note = TRUE;
  if (cb_pack_store_set_note (self->packs, cb_pack_get_id (self->pack), entry->item_id, note, &error))
    {
      g_free (entry->note);
      entry->note = g_strdup (note);
    }
  else
    toast (self, error->message);
  self->saving_note = FALSE;
}

/* Drag and drop: the handle drags the item id; a row takes it */

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 CbPackRow     *row)
{
  return gdk_content_provider_new_typed (G_TYPE_STRING, cb_pack_row_get_item_id (row));
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               CbPackRow     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (row));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CbPackRow     *row)
{
  CbPackView *self = CB_PACK_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (row), CB_TYPE_PACK_VIEW));
  const char *item_id = g_value_get_string (value);
  guint from;

  if (self == NULL || self->pack == NULL || item_id == NULL ||
      cb_pack_lookup_entry (self->pack, item_id, &from) == NULL ||
      from == cb_pack_row_get_position (row))
    return FALSE;

  move_item (self, item_id, cb_pack_row_get_position (row));

  return TRUE;
}

static GtkWidget *
make_row (CbPackView        *self,
          const CbPackEntry *entry,
          guint              position,
          guint              n_entries)
{
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  const char *status;
  GtkWidget *row;
  GtkDragSource *source;
  GtkDropTarget *target;

  describe_entry (self, entry, &label, &title, &status);
  row = cb_pack_row_new (entry, label, title, status, position, n_entries);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  g_signal_connect_object (row, "move", G_CALLBACK (on_row_move), self, 0);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_row_remove), self, 0);
  g_signal_connect_object (row, "note-changed", G_CALLBACK (on_row_note_changed), self, 0);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect_object (source, "prepare", G_CALLBACK (on_drag_prepare), row, 0);
  g_signal_connect_object (source, "drag-begin", G_CALLBACK (on_drag_begin), row, 0);
  gtk_widget_add_controller (cb_pack_row_get_handle (CB_PACK_ROW (row)), GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), row, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));

  return row;
}

static void
update_details (CbPackView *self)
{
  GString *details = g_string_new (NULL);

  if (self->pack != NULL)
    {
      guint n = cb_pack_get_n_entries (self->pack);

      if (*cb_pack_get_description (self->pack))
        g_string_append (details, cb_pack_get_description (self->pack));
      if (*cb_pack_get_audience (self->pack))
        {
          g_string_append (details, details->len ? " · " : "");
          /* Translators: who a pack is for */
          g_string_append_printf (details, _("For %s"), cb_pack_get_audience (self->pack));
        }
      if (*cb_pack_get_date (self->pack))
        {
          g_string_append (details, details->len ? " · " : "");
          g_string_append (details, cb_pack_get_date (self->pack));
        }
      g_string_append (details, details->len ? " · " : "");
      g_string_append_printf (details, ngettext ("%u item", "%u items", n), n);
    }

  gtk_label_set_label (self->details_label, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details->len > 0);
  g_string_free (details, TRUE);
}

static void
update_actions (CbPackView *self)
{
  gboolean has_pack = self->pack != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "pack.new", self->packs != NULL);
  gtk_widget_action_set_enabled (widget, "pack.import", self->packs != NULL);
  gtk_widget_action_set_enabled (widget, "pack.details", has_pack);
  gtk_widget_action_set_enabled (widget, "pack.duplicate", has_pack);
  gtk_widget_action_set_enabled (widget, "pack.delete", has_pack);
  gtk_widget_action_set_enabled (widget, "pack.export", has_pack && self->store != NULL);
  gtk_widget_action_set_enabled (widget, "pack.undo", self->last_undo != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), has_pack && self->store != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pack_dropdown), has_pack);
}

static void
rebuild_rows (CbPackView *self)
{
  GPtrArray *entries;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  gboolean had_focus = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_box));
  GtkWidget *focus_row = NULL;
  GtkWidget *child;
  gboolean in_note = FALSE;

  /* Someone typing a note keeps typing in it, whatever else changed */
  if (had_focus && GTK_IS_TEXT_VIEW (focus) && self->focus_item == NULL)
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, CB_TYPE_PACK_ROW);

      if (row != NULL)
        {
          self->focus_item = g_strdup (cb_pack_row_get_item_id (CB_PACK_ROW (row)));
          in_note = TRUE;
        }
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  if (self->pack == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  entries = cb_pack_get_entries (self->pack);
  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);
      GtkWidget *row = make_row (self, entry, i, entries->len);

      gtk_list_box_append (self->list_box, row);
      if (g_strcmp0 (entry->item_id, self->focus_item) == 0)
        focus_row = row;
    }

  gtk_stack_set_visible_child_name (self->stack, entries->len ? "list" : "empty");

  if (focus_row != NULL && in_note)
    {
      GtkTextView *note = GTK_TEXT_VIEW (cb_pack_row_get_note_view (CB_PACK_ROW (focus_row)));
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (note);
      GtkTextIter end;

      gtk_widget_grab_focus (GTK_WIDGET (note));
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_place_cursor (buffer, &end);
    }
  else if (focus_row != NULL && (had_focus || focus == NULL))
    gtk_widget_grab_focus (focus_row);
  g_clear_pointer (&self->focus_item, g_free);
}

/* The dropdown of packs */

static void
on_pack_selected (GtkDropDown *dropdown,
                  GParamSpec  *pspec,
                  CbPackView  *self)
{
  guint position = gtk_drop_down_get_selected (dropdown);
  const char *name;

  if (self->updating || position == GTK_INVALID_LIST_POSITION || position >= self->pack_ids->len)
    return;

  flush_notes (self);
  name = gtk_string_list_get_string (self->names, position);
  g_object_set (cb_settings_get_default (), "current-pack", name, NULL);
  reload (self);
}

static void
reload (CbPackView *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = GTK_INVALID_LIST_POSITION;

  if (self->packs == NULL)
    return;

  /* A note half typed is saved before the rows are made again from the
   * store, or they would show it as it was */
  flush_notes (self);

  if ((list = cb_pack_store_list (self->packs, &error)) == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  g_object_get (cb_settings_get_default (), "current-pack", &current, NULL);
  g_array_set_size (self->pack_ids, 0);
  g_clear_object (&self->pack);

  for (guint i = 0; i < list->len; i++)
    {
      CbPack *pack = g_ptr_array_index (list, i);
      gint64 id = cb_pack_get_id (pack);

      g_array_append_val (self->pack_ids, id);
      g_ptr_array_add (names, (char *) cb_pack_get_name (pack));
      if (g_strcmp0 (cb_pack_get_name (pack), current) == 0)
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION && list->len > 0)
    selected = 0;
  if (selected != GTK_INVALID_LIST_POSITION)
    self->pack = g_object_ref (g_ptr_array_index (list, selected));

  g_ptr_array_add (names, NULL);
  self->updating = TRUE;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->pack_dropdown, selected);
  self->updating = FALSE;

  if (self->pack != NULL)
    g_object_set (cb_settings_get_default (), "current-pack", cb_pack_get_name (self->pack), NULL);

  update_details (self);
  rebuild_rows (self);
  update_actions (self);
}

static void
on_packs_changed (CbPackStore *packs,
                  gint64       pack_id,
                  CbPackView  *self)
{
  if (self->saving_note)
    {
      update_details (self);
      return;
    }

  reload (self);
}

static void
on_row_activated (GtkListBox    *list_box,
                  GtkListBoxRow *row,
                  CbPackView    *self)
{
  const char *item_id = cb_pack_row_get_item_id (CB_PACK_ROW (row));

  if (self->store == NULL || !cb_store_describe (self->store, item_id, NULL, NULL, NULL))
    {
      toast (self, _("This item is no longer in the corpus; its title and your note are kept in the pack."));
      return;
    }

  g_signal_emit (self, signals[OPEN_ITEM], 0, item_id);
}

/* Pack details: one dialog for a new pack and for changing one */

typedef struct {
  CbPackView   *self;
  gint64        pack_id;
  AdwEntryRow  *name_row;
  AdwEntryRow  *description_row;
  AdwEntryRow  *audience_row;
  AdwEntryRow  *date_row;
  GtkLabel     *error_label;
} DetailsDialog;

static void
details_dialog_free (gpointer  user_data,
                     GClosure *closure)
{
  DetailsDialog *data = user_data;

  g_object_unref (data->self);
  g_free (data);
}

/* Checks the fields as they are typed; the reason shows under them */
static void
validate_details (DetailsDialog *data)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_widget_get_root (GTK_WIDGET (data->name_row)));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (data->name_row));
  const char *date = gtk_editable_get_text (GTK_EDITABLE (data->date_row));
  g_autoptr(GError) error = NULL;
  gboolean name_ok, date_ok;
  gint64 existing = 0;

  name_ok = cb_pack_name_is_valid (name, &error);
  if (name_ok)
    {
      existing = cb_pack_store_lookup (data->self->packs, name, NULL);
      if (existing != 0 && existing != data->pack_id)
        {
          name_ok = FALSE;
          g_set_error (&error, CB_ERROR, CB_ERROR_CONFLICT, _("There is already a pack called “%s”"), name);
        }
    }
  date_ok = cb_pack_date_is_valid (date);
  if (name_ok && !date_ok)
    g_set_error_literal (&error, CB_ERROR, CB_ERROR_INVALID, _("Write the date as YYYY-MM-DD, or leave it empty"));

  if (name_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (data->name_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (data->name_row), "error");
  if (date_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (data->date_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (data->date_row), "error");

  /* An empty name on a new pack is not an error yet, just not done */
  gtk_label_set_label (data->error_label, error && *name ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), error != NULL && *name);
  adw_message_dialog_set_response_enabled (dialog, "save", name_ok && date_ok);
}

static void
on_details_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DetailsDialog    *data)
{
  CbPackView *self = data->self;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (data->name_row));
  const char *description = gtk_editable_get_text (GTK_EDITABLE (data->description_row));
  const char *audience = gtk_editable_get_text (GTK_EDITABLE (data->audience_row));
  const char *date = gtk_editable_get_text (GTK_EDITABLE (data->date_row));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save") || self->packs == NULL)
    return;

  if (data->pack_id == 0)
    {
      if (cb_pack_view_new_pack (self, name, description, audience, date, &error) == 0)
        toast (self, error->message);
      return;
    }

  {
    Undo *undo = undo_new (UNDO_DETAILS, data->pack_id);

    undo->pack = cb_pack_copy (self->pack);
    if (!cb_pack_store_set_details (self->packs, data->pack_id, name, description, audience, date, &error))
      {
        undo_unref (undo);
        toast (self, error->message);
        return;
      }
    g_object_set (cb_settings_get_default (), "current-pack", name, NULL);
    reload (self);
    toast_with_undo (self, undo, _("Pack details saved"));
  }
}

static AdwEntryRow *
add_entry_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *text,
               DetailsDialog       *data)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  g_signal_connect_swapped (row, "changed", G_CALLBACK (validate_details), data);
  adw_preferences_group_add (group, GTK_WIDGET (row));

  return row;
}

static void
show_details_dialog (CbPackView *self,
                     CbPack     *pack)
{
  DetailsDialog *data = g_new0 (DetailsDialog, 1);
  GtkWidget *dialog, *box, *group;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  data->self = g_object_ref (self);
  data->pack_id = pack ? cb_pack_get_id (pack) : 0;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   pack ? _("Pack Details") : _("New Pack"), NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The name, description, audience and date head the exported handout."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  group = adw_preferences_group_new ();
  gtk_box_append (GTK_BOX (box), group);
  data->name_row = add_entry_row (ADW_PREFERENCES_GROUP (group), _("_Name"),
                                  pack ? cb_pack_get_name (pack) : NULL, data);
  data->description_row = add_entry_row (ADW_PREFERENCES_GROUP (group), _("_Description"),
                                         pack ? cb_pack_get_description (pack) : NULL, data);
  data->audience_row = add_entry_row (ADW_PREFERENCES_GROUP (group), _("_Audience"),
                                      pack ? cb_pack_get_audience (pack) : NULL, data);
  /* Translators: the date field of a pack; the format is given in brackets */
  data->date_row = add_entry_row (ADW_PREFERENCES_GROUP (group), _("D_ate (YYYY-MM-DD)"),
                                  pack ? cb_pack_get_date (pack) : NULL, data);
  data->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (data->error_label, TRUE);
  gtk_label_set_xalign (data->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (data->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->error_label));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", pack ? _("_Save") : _("_Create"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_details_response), data,
                         details_dialog_free, 0);

  validate_details (data);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (data->name_row));
}

/* Actions */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  show_details_dialog (CB_PACK_VIEW (widget), NULL);
}

static void
details_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbPackView *self = CB_PACK_VIEW (widget);

  if (self->pack != NULL)
    show_details_dialog (self, self->pack);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbPackView *self = CB_PACK_VIEW (widget);
  g_autoptr(CbPack) copy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->pack == NULL)
    return;

  flush_notes (self);
  if ((id = cb_pack_store_duplicate (self->packs, cb_pack_get_id (self->pack), NULL, &error)) == 0 ||
      (copy = cb_pack_store_load (self->packs, id, &error)) == NULL)
    {
      toast (self, error->message);
      return;
    }

  cb_pack_view_select_pack (self, cb_pack_get_name (copy));
  {
    g_autofree char *message = g_strdup_printf (_("Made “%s”"), cb_pack_get_name (copy));

    toast (self, message);
  }
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbPackView *self = CB_PACK_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  Undo *undo;

  if (self->pack == NULL)
    return;

  /* The whole pack as it is now, notes typed a moment ago included */
  flush_notes (self);
  undo = undo_new (UNDO_RESTORE, cb_pack_get_id (self->pack));
  if ((undo->pack = cb_pack_store_load (self->packs, undo->pack_id, &error)) == NULL ||
      !cb_pack_store_delete (self->packs, undo->pack_id, &error))
    {
      undo_unref (undo);
      toast (self, error->message);
      return;
    }

  message = g_strdup_printf (_("Deleted “%s”"), cb_pack_get_name (undo->pack));
  toast_with_undo (self, undo, message);
}

/* Ctrl+Z: in a note, the note's own undo has it; when the note has nothing
 * left to undo, the key must not fall through to the pack */
static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbPackView *self = CB_PACK_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, widget) &&
      (GTK_IS_TEXT_VIEW (focus) || GTK_IS_EDITABLE (focus)))
    return;

  run_undo (self, self->last_undo);
}

/* Export */

typedef struct {
  CbPack         *pack;
  char           *corpus_path;
  CbTaxonomy     *taxonomy;
  CbExportFormat  format;
  GFile          *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->pack);
  g_free (data->corpus_path);
  g_clear_object (&data->taxonomy);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(CbCorpus) corpus = NULL;
  g_autofree char *path = g_file_get_path (data->file);
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, CB_ERROR, CB_ERROR_IO, _("Casebook can only export to a local file"));
      return;
    }

  if ((corpus = cb_corpus_read_file (data->corpus_path, &error)) == NULL ||
      !cb_export_to_file (data->pack, corpus, data->taxonomy, data->format, path, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * cb_pack_view_export_async:
 * @self: a pack view
 * @format: the format
 * @file: where to write (replaced whole, or not at all)
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Exports the current pack, notes saved first, in a worker thread.
 */
void
cb_pack_view_export_async (CbPackView          *self,
                           CbExportFormat       format,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (CB_IS_PACK_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_pack_view_export_async);

  if (self->pack == NULL || self->store == NULL)
    {
      g_task_return_new_error (task, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no pack to export"));
      return;
    }

  flush_notes (self);
  data = g_new0 (ExportData, 1);
  data->pack = cb_pack_copy (self->pack);
  data->corpus_path = cb_store_dup_corpus_path (self->store);
  data->taxonomy = g_object_ref (cb_store_get_taxonomy (self->store));
  data->format = format;
  data->file = g_object_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
cb_pack_view_export_finish (CbPackView    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_open_exported (AdwToast *t,
                  GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkApplication *application = GTK_APPLICATION (g_application_get_default ());
  GtkWindow *window = application ? gtk_application_get_active_window (application) : NULL;

  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static void
unref_file (gpointer  file,
            GClosure *closure)
{
  g_object_unref (file);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbPackView *self = CB_PACK_VIEW (source);
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *t;

  if (!cb_pack_view_export_finish (self, result, &error))
    {
      if (!g_error_matches (error, CB_ERROR, CB_ERROR_CANCELLED))
        {
          g_autofree char *failed = g_strdup_printf (_("The pack was not exported: %s"), error->message);

          toast (self, failed);
        }
      return;
    }

  basename = g_file_get_basename (data->file);
  message = g_strdup_printf (_("Exported to %s"), basename);
  escaped = g_markup_escape_text (message, -1);
  t = adw_toast_new (escaped);
  adw_toast_set_button_label (t, _("_Open"));
  g_signal_connect_data (t, "button-clicked", G_CALLBACK (on_open_exported), g_object_ref (data->file),
                         unref_file, 0);
  show_toast (self, t);
}

static void
on_export_chosen (GtkNativeDialog *chooser,
                  int              response,
                  CbPackView      *self)
{
  CbExportFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "format"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    cb_pack_view_export_async (self, format, file, self->cancellable, export_done, NULL);
}

static GtkFileFilter *
filter_for (CbExportFormat format)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", cb_export_format_extension (format));

  gtk_file_filter_set_name (filter, cb_export_format_label (format));
  gtk_file_filter_add_mime_type (filter, cb_export_format_mime_type (format));
  gtk_file_filter_add_pattern (filter, pattern);

  return filter;
}

/* A file name from the pack name, without characters file systems refuse */
static char *
suggest_file_name (CbPack         *pack,
                   CbExportFormat  format)
{
  g_autofree char *name = g_strdup (cb_pack_get_name (pack));

  g_strdelimit (name, "/\\:*?\"<>|", '-');
  if (name[0] == '.')
    name[0] = '-';

  return g_strdup_printf ("%s.%s", name, cb_export_format_extension (format));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbPackView *self = CB_PACK_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *title = NULL;
  CbExportFormat format;
  GtkFileChooserNative *chooser;

  if (self->pack == NULL || !cb_export_format_from_string (g_variant_get_string (parameter, NULL), &format))
    return;

  /* Translators: the title of the export file chooser: "Export as Handout (PDF)" */
  title = g_strdup_printf (_("Export as %s"), cb_export_format_label (format));
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  file_name = suggest_file_name (self->pack, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  filter = filter_for (format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data (G_OBJECT (chooser), "format", GUINT_TO_POINTER (format));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_chosen), self, 0);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* Import */

typedef struct {
  char      *path;
  CbStore   *store;
  CbPack    *pack;
  GPtrArray *missing;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->path);
  g_clear_object (&data->store);
  g_clear_object (&data->pack);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_free (data);
}

/* Reading and checking the file is the slow part: it runs here */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;

  if ((data->pack = cb_pack_file_read (data->path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->missing = data->store ? cb_store_dup_missing_items (data->store, data->pack)
                              : g_ptr_array_new_with_free_func (g_free);
  g_task_return_boolean (task, TRUE);
}

/**
 * cb_pack_view_import_async:
 * @self: a pack view
 * @file: a pack file
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads and checks the pack file in a worker thread; finishing stores it
 * under its own name, made unique, and shows it.
 */
void
cb_pack_view_import_async (CbPackView          *self,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (CB_IS_PACK_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_pack_view_import_async);

  if (self->packs == NULL)
    {
      g_task_return_new_error (task, CB_ERROR, CB_ERROR_IO, _("Your packs cannot be opened"));
      return;
    }

  data = g_new0 (ImportData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  if ((data->path = g_file_get_path (file)) == NULL)
    {
      g_task_return_new_error (task, CB_ERROR, CB_ERROR_IO, _("Casebook can only import a local file"));
      return;
    }
  data->store = self->store ? g_object_ref (self->store) : NULL;
  g_task_run_in_thread (task, import_thread);
}

/**
 * cb_pack_view_import_finish:
 * @self: a pack view
 * @result: the result
 * @error: return location for an error; nothing is imported then
 *
 * Stores the pack read by cb_pack_view_import_async(), whole or not at
 * all, shows it, and says in a toast which items the corpus lacks (they
 * are kept, marked).
 *
 * Returns: the new pack's id, or 0
 */
gint64
cb_pack_view_import_finish (CbPackView    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  ImportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(CbPack) imported = NULL;
  g_autofree char *message = NULL;
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return 0;

  flush_notes (self);
  if ((id = cb_pack_store_import (self->packs, data->pack, NULL, error)) == 0 ||
      (imported = cb_pack_store_load (self->packs, id, error)) == NULL)
    return 0;

  cb_pack_view_select_pack (self, cb_pack_get_name (imported));

  if (data->missing->len > 0)
    {
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < MIN (data->missing->len, 3); i++)
        g_string_append_printf (ids, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (data->missing, i));
      if (data->missing->len > 3)
        g_string_append (ids, ", …");
      message = g_strdup_printf (ngettext ("Imported “%s”; kept %u item this corpus does not have: %s",
                                           "Imported “%s”; kept %u items this corpus does not have: %s",
                                           data->missing->len),
                                 cb_pack_get_name (imported), data->missing->len, ids->str);
    }
  else
    message = g_strdup_printf (_("Imported “%s”"), cb_pack_get_name (imported));
  toast (self, message);

  return id;
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbPackView *self = CB_PACK_VIEW (source);
  g_autoptr(GError) error = NULL;

  if (cb_pack_view_import_finish (self, result, &error) == 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was imported: %s"), error->message);

      toast (self, message);
    }
}

static void
on_import_chosen (GtkNativeDialog *chooser,
                  int              response,
                  CbPackView      *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    cb_pack_view_import_async (self, file, self->cancellable, import_done, NULL);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbPackView *self = CB_PACK_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = filter_for (CB_EXPORT_PACK);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Import Pack File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_chosen), self, 0);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* Object */

static void
cb_pack_view_dispose (GObject *object)
{
  CbPackView *self = CB_PACK_VIEW (object);

  if (self->list_box != NULL)
    flush_notes (self);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_PACK_VIEW);

  g_clear_object (&self->packs);
  g_clear_object (&self->store);
  g_clear_object (&self->pack);
  g_clear_pointer (&self->last_undo, undo_unref);
  g_clear_object (&self->names);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cb_pack_view_parent_class)->dispose (object);
}

static void
cb_pack_view_finalize (GObject *object)
{
  CbPackView *self = CB_PACK_VIEW (object);

  g_clear_pointer (&self->pack_ids, g_array_unref);
  g_clear_pointer (&self->focus_item, g_free);

  G_OBJECT_CLASS (cb_pack_view_parent_class)->finalize (object);
}

static void
cb_pack_view_class_init (CbPackViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_pack_view_dispose;
  object_class->finalize = cb_pack_view_finalize;

  /**
   * CbPackView::open-item:
   * @self: the view
   * @id: the item to show in the reading pane
   */
  signals[OPEN_ITEM] = g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-pack-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPackView, box);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, pack_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, export_button);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, details_label);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, stack);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, list_box);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, new_pack_button);
  gtk_widget_class_bind_template_child (widget_class, CbPackView, import_pack_button);

  gtk_widget_class_install_action (widget_class, "pack.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "pack.details", NULL, details_action);
  gtk_widget_class_install_action (widget_class, "pack.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "pack.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "pack.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "pack.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "pack.import", NULL, import_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "pack.undo", NULL);
}

static void
cb_pack_view_init (CbPackView *self)
{
  g_autoptr(GMenu) formats = g_menu_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button with a mnemonic twice; the label widget names
   * it well. The drop-down's own button has no name of its own. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->new_pack_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->import_pack_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->pack_dropdown))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a pack"), -1);

  self->pack_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  self->names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->pack_dropdown, G_LIST_MODEL (self->names));
  g_signal_connect_object (self->pack_dropdown, "notify::selected", G_CALLBACK (on_pack_selected), self, 0);
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (on_row_activated), self, 0);

  /* The formats, from the export layer's own list */
  for (CbExportFormat format = 0; format < CB_N_EXPORT_FORMATS; format++)
    {
      /* Translators: a menu item, "Handout (PDF)…" */
      g_autofree char *label = g_strdup_printf (_("%s…"), cb_export_format_label (format));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "pack.export", "s", cb_export_format_to_string (format));
      g_menu_append_item (formats, item);
    }
  gtk_menu_button_set_menu_model (self->export_button, G_MENU_MODEL (formats));

  update_actions (self);
}

/**
 * cb_pack_view_set_pack_store:
 * @self: a pack view
 * @packs: (nullable): the user's packs
 * @error_message: (nullable): why they could not be opened
 */
void
cb_pack_view_set_pack_store (CbPackView  *self,
                             CbPackStore *packs,
                             const char  *error_message)
{
  g_return_if_fail (CB_IS_PACK_VIEW (self));
  g_return_if_fail (packs == NULL || CB_IS_PACK_STORE (packs));

  if (self->packs != NULL)
    g_signal_handlers_disconnect_by_data (self->packs, self);
  g_set_object (&self->packs, packs);

  if (packs == NULL)
    {
      adw_status_page_set_description (self->error_page, error_message ? error_message : "");
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      return;
    }

  g_signal_connect_object (packs, "changed", G_CALLBACK (on_packs_changed), self, 0);
  reload (self);
}

/**
 * cb_pack_view_set_store:
 * @self: a pack view
 * @store: the index, for item titles, status and exports
 */
void
cb_pack_view_set_store (CbPackView *self,
                        CbStore    *store)
{
  g_return_if_fail (CB_IS_PACK_VIEW (self));

  g_set_object (&self->store, store);
  flush_notes (self);
  rebuild_rows (self);
  update_actions (self);
}

CbPackStore *
cb_pack_view_get_pack_store (CbPackView *self)
{
  g_return_val_if_fail (CB_IS_PACK_VIEW (self), NULL);

  return self->packs;
}

/**
 * cb_pack_view_get_pack:
 * @self: a pack view
 *
 * Returns: (transfer none) (nullable): the pack shown, as last loaded
 */
CbPack *
cb_pack_view_get_pack (CbPackView *self)
{
  g_return_val_if_fail (CB_IS_PACK_VIEW (self), NULL);

  return self->pack;
}

/**
 * cb_pack_view_select_pack:
 * @self: a pack view
 * @name: a pack name
 *
 * Returns: whether there is such a pack
 */
gboolean
cb_pack_view_select_pack (CbPackView *self,
                          const char *name)
{
  g_return_val_if_fail (CB_IS_PACK_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  flush_notes (self);
  g_object_set (cb_settings_get_default (), "current-pack", name, NULL);
  reload (self);

  return self->pack != NULL && g_strcmp0 (cb_pack_get_name (self->pack), name) == 0;
}

/**
 * cb_pack_view_new_pack:
 * @self: a pack view
 * @name: the name
 * @description: (nullable): what it is for
 * @audience: (nullable): who it is for
 * @date: (nullable): "YYYY-MM-DD" or ""
 * @error: return location for an error
 *
 * Makes a pack and shows it.
 *
 * Returns: its id, or 0
 */
gint64
cb_pack_view_new_pack (CbPackView  *self,
                       const char  *name,
                       const char  *description,
                       const char  *audience,
                       const char  *date,
                       GError     **error)
{
  g_autoptr(CbPack) pack = NULL;
  gint64 id;

  g_return_val_if_fail (CB_IS_PACK_VIEW (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (self->packs == NULL)
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_IO, _("Your packs cannot be opened"));
      return 0;
    }

  pack = cb_pack_new (name);
  cb_pack_set_description (pack, description);
  cb_pack_set_audience (pack, audience);
  cb_pack_set_date (pack, date);
  flush_notes (self);
  g_object_set (cb_settings_get_default (), "current-pack", name, NULL);
  if ((id = cb_pack_store_save (self->packs, pack, error)) == 0)
    return 0;

  return id;
}

/**
 * cb_pack_view_add_item:
 * @self: a pack view
 * @item_id: the item to add to the current pack
 *
 * Adds the item at the end of the current pack, making a pack first if
 * there is none, and says so in a toast that offers Undo.
 *
 * Returns: whether the item was added
 */
gboolean
cb_pack_view_add_item (CbPackView *self,
                       const char *item_id)
{
  g_autoptr(CbPackEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *pack_name = NULL;
  gint64 pack_id;
  Undo *undo;

  g_return_val_if_fail (CB_IS_PACK_VIEW (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  if (self->packs == NULL || self->store == NULL)
    {
      toast (self, _("Your packs cannot be opened; see the Packs view"));
      return FALSE;
    }

  if ((entry = cb_store_new_pack_entry (self->store, item_id, &error)) == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }

  if (self->pack == NULL)
    {
      /* Translators: the name of the pack made when the first item is added */
      g_autofree char *name = cb_pack_store_dup_free_name (self->packs, _("My Pack"));

      if (cb_pack_view_new_pack (self, name, NULL, NULL, NULL, &error) == 0)
        {
          toast (self, error->message);
          return FALSE;
        }
    }

  if (cb_pack_lookup_entry (self->pack, item_id, NULL) != NULL)
    {
      message = g_strdup_printf (_("“%s” already has %s"), cb_pack_get_name (self->pack), entry->label);
      toast (self, message);
      return FALSE;
    }

  flush_notes (self);
  pack_id = cb_pack_get_id (self->pack);
  pack_name = g_strdup (cb_pack_get_name (self->pack));
  if (!cb_pack_store_add_item (self->packs, pack_id, item_id, entry->label, entry->title, -1, &error))
    {
      toast (self, error->message);
      return FALSE;
    }

  undo = undo_new (UNDO_REMOVE, pack_id);
  undo->entry = g_steal_pointer (&entry);
  /* Translators: "Added Case study 4.2.4 to “Board paper”" */
  message = g_strdup_printf (_("Added %s to “%s”"), undo->entry->label, pack_name);
  toast_with_undo (self, undo, message);

  return TRUE;
}

/**
 * cb_pack_view_get_row:
 * @self: a pack view
 * @position: a position
 *
 * Returns: (transfer none) (nullable): the row of the entry at @position
 */
GtkWidget *
cb_pack_view_get_row (CbPackView *self,
                      guint       position)
{
  g_return_val_if_fail (CB_IS_PACK_VIEW (self), NULL);

  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list_box, position));
}
