/* cb-pack-row.c: one item of an evidence pack, with its note
 *
 * The note is edited in place and saved a moment after typing stops, when
 * the focus leaves it, or when the pack view asks (before it reorders).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-pack-row.h"

#define NOTE_SAVE_DELAY_MS 600

struct _CbPackRow
{
  GtkListBoxRow  parent_instance;

  char          *item_id;
  guint          position;
  guint          save_source;
  gboolean       setting_note;

  GtkWidget     *handle;
  GtkLabel      *label_label;
  GtkLabel      *title_label;
  GtkLabel      *status_label;
  GtkTextView   *note_view;
  GtkWidget     *placeholder_label;
  GtkWidget     *up_button;
  GtkWidget     *down_button;
  GtkWidget     *remove_button;
};

G_DEFINE_FINAL_TYPE (CbPackRow, cb_pack_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  MOVE,
  REMOVE,
  NOTE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
save_note (gpointer user_data)
{
  CbPackRow *self = user_data;
  g_autofree char *note = cb_pack_row_dup_note (self);

  self->save_source = 0;
  g_signal_emit (self, signals[NOTE_CHANGED], 0, note);

  return G_SOURCE_REMOVE;
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   CbPackRow     *self)
{
  gtk_widget_set_visible (self->placeholder_label, gtk_text_buffer_get_char_count (buffer) == 0);

  if (self->setting_note)
    return;

  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (NOTE_SAVE_DELAY_MS, save_note, self);
}

/* A text view measures its height with the width it last had, and a new
 * one has had none: once it is on screen, it measures again */
static gboolean
remeasure_note (gpointer user_data)
{
  GtkWidget *note_view = user_data;

  gtk_widget_queue_resize (note_view);

  return G_SOURCE_REMOVE;
}

static void
on_note_mapped (GtkWidget *note_view)
{
  g_idle_add_full (G_PRIORITY_LOW, remeasure_note, g_object_ref (note_view), g_object_unref);
}

static void
on_note_focus_leave (CbPackRow *self)
{
  cb_pack_row_flush_note (self);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[MOVE], 0, g_str_equal (action_name, "row.move-up") ? -1 : 1);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE], 0);
}

static void
cb_pack_row_dispose (GObject *object)
{
  CbPackRow *self = CB_PACK_ROW (object);

  /* The view saves notes before it takes rows away; this is the last
   * chance for one typed just before the window closed */
  cb_pack_row_flush_note (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_PACK_ROW);

  G_OBJECT_CLASS (cb_pack_row_parent_class)->dispose (object);
}

static void
cb_pack_row_finalize (GObject *object)
{
  CbPackRow *self = CB_PACK_ROW (object);

  g_free (self->item_id);

  G_OBJECT_CLASS (cb_pack_row_parent_class)->finalize (object);
}

static void
cb_pack_row_class_init (CbPackRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_pack_row_dispose;
  object_class->finalize = cb_pack_row_finalize;

  /**
   * CbPackRow::move:
   * @self: the row
   * @delta: -1 to move up, 1 to move down
   */
  signals[MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_INT);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
  /**
   * CbPackRow::note-changed:
   * @self: the row
   * @note: the note as it now is
   */
  signals[NOTE_CHANGED] = g_signal_new ("note-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-pack-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, handle);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, label_label);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, note_view);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, up_button);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, down_button);
  gtk_widget_class_bind_template_child (widget_class, CbPackRow, remove_button);

  gtk_widget_class_install_action (widget_class, "row.move-up", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "row.move-down", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "row.remove", NULL, remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "row.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Up, GDK_ALT_MASK, "row.move-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "row.move-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Down, GDK_ALT_MASK, "row.move-down", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "row.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "row.remove", NULL);
}

static void
cb_pack_row_init (CbPackRow *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->note_view), "changed",
                           G_CALLBACK (on_buffer_changed), self, 0);
  g_signal_connect (self->note_view, "map", G_CALLBACK (on_note_mapped), NULL);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_note_focus_leave), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->note_view), focus);
}

/**
 * cb_pack_row_new:
 * @entry: the pack entry
 * @label: what the item is called ("Case study 4.2.4")
 * @title: its title
 * @status: (nullable): "No longer in the corpus" or "Retired", or %NULL
 * @position: the entry's position, from 0
 * @n_entries: how many entries the pack has
 *
 * Returns: (transfer floating): a row
 */
GtkWidget *
cb_pack_row_new (const CbPackEntry *entry,
                 const char        *label,
                 const char        *title,
                 const char        *status,
                 guint              position,
                 guint              n_entries)
{
  CbPackRow *self;
  g_autofree char *number = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note_name = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (CB_TYPE_PACK_ROW, NULL);
  self->item_id = g_strdup (entry->item_id);
  self->position = position;

  /* Translators: "2 · Case study 4.2.4": the position in the pack, then the item */
  number = g_strdup_printf (C_("pack row", "%u · %s"), position + 1, label);
  gtk_label_set_label (self->label_label, number);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->status_label, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  cb_pack_row_set_note (self, entry->note);

  /* The ends cannot go further; the keys then ring the bell */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.move-up", position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.move-down", position + 1 < n_entries);

  /* Translators: how a screen reader names a pack row: "2 of 5: Case study 4.2.4: Title" */
  name = g_strdup_printf (C_("pack row", "%u of %u: %s: %s"), position + 1, n_entries, label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status ? status : "",
                                  -1);
  /* Translators: the accessible name of the note field of a pack row */
  note_name = g_strdup_printf (_("Note on %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, note_name,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->up_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Move up"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->down_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Move down"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove from pack"), -1);

  return GTK_WIDGET (self);
}

const char *
cb_pack_row_get_item_id (CbPackRow *self)
{
  g_return_val_if_fail (CB_IS_PACK_ROW (self), NULL);

  return self->item_id;
}

guint
cb_pack_row_get_position (CbPackRow *self)
{
  g_return_val_if_fail (CB_IS_PACK_ROW (self), 0);

  return self->position;
}

/**
 * cb_pack_row_dup_note:
 * @self: a row
 *
 * Returns: (transfer full): the note as typed
 */
char *
cb_pack_row_dup_note (CbPackRow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CB_IS_PACK_ROW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->note_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/**
 * cb_pack_row_set_note:
 * @self: a row
 * @note: the note
 *
 * Shows @note without reporting it as a change.
 */
void
cb_pack_row_set_note (CbPackRow  *self,
                      const char *note)
{
  g_return_if_fail (CB_IS_PACK_ROW (self));

  self->setting_note = TRUE;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), note ? note : "", -1);
  self->setting_note = FALSE;
}

/**
 * cb_pack_row_flush_note:
 * @self: a row
 *
 * Reports a note change that is waiting for typing to stop, now.
 */
void
cb_pack_row_flush_note (CbPackRow *self)
{
  g_return_if_fail (CB_IS_PACK_ROW (self));

  if (self->save_source != 0)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      save_note (self);
    }
}

GtkWidget *
cb_pack_row_get_note_view (CbPackRow *self)
{
  g_return_val_if_fail (CB_IS_PACK_ROW (self), NULL);

  return GTK_WIDGET (self->note_view);
}

GtkWidget *
cb_pack_row_get_handle (CbPackRow *self)
{
  g_return_val_if_fail (CB_IS_PACK_ROW (self), NULL);

  return self->handle;
}
