/* cb-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-corpus-xml.h"
#include "cb-item-row.h"
#include "cb-item-view.h"
#include "cb-window.h"

struct _CbWindow
{
  AdwApplicationWindow  parent_instance;

  CbCorpus             *corpus;
  GListStore           *items;
  GtkSingleSelection   *selection;
  GCancellable         *cancellable;
  char                 *pending_item;

  AdwLeaflet           *leaflet;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwStatusPage        *error_page;
  AdwWindowTitle       *sidebar_title;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  GtkScrolledWindow    *item_scroller;
  CbItemView           *item_view;
};

G_DEFINE_FINAL_TYPE (CbWindow, cb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CORPUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_item (CbWindow *self,
           CbItem   *item,
           gboolean  navigate)
{
  cb_item_view_set_item (self->item_view, self->corpus, item);

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      adw_window_title_set_title (self->content_title, "");
      return;
    }

  adw_window_title_set_title (self->content_title, cb_item_kind_label (cb_item_get_kind (item)));
  adw_window_title_set_subtitle (self->content_title, cb_item_get_number (item) ? cb_item_get_number (item) : "");
  gtk_stack_set_visible_child_name (self->content_stack, "item");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->item_scroller), 0);

  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_selection_changed (GtkSingleSelection *selection,
                      guint               position,
                      guint               n_items,
                      CbWindow           *self)
{
  show_item (self, gtk_single_selection_get_selected_item (selection), FALSE);
}

static void
on_list_activate (GtkListView *list_view,
                  guint        position,
                  CbWindow    *self)
{
  g_autoptr(CbItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  gtk_single_selection_set_selected (self->selection, position);
  show_item (self, item, TRUE);
}

static void
on_open_item (CbItemView *view,
              const char *id,
              CbWindow   *self)
{
  cb_window_select_item (self, id);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, cb_item_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  cb_item_row_set_item (CB_ITEM_ROW (gtk_list_item_get_child (list_item)),
                        gtk_list_item_get_item (list_item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  cb_item_row_set_item (CB_ITEM_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CbCorpus *corpus = cb_corpus_read_file (task_data, &error);

  if (corpus == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, corpus, g_object_unref);
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) corpus = g_task_propagate_pointer (G_TASK (result), &error);
  GPtrArray *items;
  g_autofree char *subtitle = NULL;

  if (corpus == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_autofree char *description = g_markup_escape_text (error->message, -1);

      /* The description is Pango markup: escape the message */
      adw_status_page_set_description (self->error_page, description);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }

  g_set_object (&self->corpus, corpus);
  items = cb_corpus_get_items (corpus);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);

  subtitle = g_strdup_printf (ngettext ("%u item", "%u items", items->len), items->len);
  adw_window_title_set_subtitle (self->sidebar_title, subtitle);
  gtk_stack_set_visible_child_name (self->list_stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORPUS]);

  if (self->pending_item != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_item);

      if (!cb_window_select_item (self, id))
        {
          g_autofree char *message = g_markup_printf_escaped (_("There is no item “%s”"), id);

          adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->content_stack, "empty")),
                                           message);
        }
    }
}

/**
 * cb_window_load:
 * @self: a window
 * @corpus_path: a corpus file
 * @item_id: (nullable): an item to show once loaded
 *
 * Reads the corpus in a worker thread; the window shows progress and then
 * the items, or the error with its file, line and column.
 */
void
cb_window_load (CbWindow   *self,
                const char *corpus_path,
                const char *item_id)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (corpus_path != NULL);

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_free (self->pending_item);
  self->pending_item = g_strdup (item_id);
  gtk_stack_set_visible_child_name (self->list_stack, "loading");

  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, cb_window_load);
  g_task_set_task_data (task, g_strdup (corpus_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * cb_window_get_corpus:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the corpus once loaded
 */
CbCorpus *
cb_window_get_corpus (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->corpus;
}

/**
 * cb_window_select_item:
 * @self: a window
 * @id: an item id
 *
 * Selects the item in the list and shows it.
 *
 * Returns: %FALSE if there is no such item
 */
gboolean
cb_window_select_item (CbWindow   *self,
                       const char *id)
{
  guint n;

  g_return_val_if_fail (CB_IS_WINDOW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_str_equal (cb_item_get_id (item), id))
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          show_item (self, item, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}

static void
cb_window_dispose (GObject *object)
{
  CbWindow *self = (CbWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->corpus);
  g_clear_pointer (&self->pending_item, g_free);

  G_OBJECT_CLASS (cb_window_parent_class)->dispose (object);
}

static void
cb_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CbWindow *self = CB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CORPUS:
      g_value_set_object (value, self->corpus);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_window_class_init (CbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_window_dispose;
  object_class->get_property = cb_window_get_property;

  properties[PROP_CORPUS] =
    g_param_spec_object ("corpus", NULL, NULL, CB_TYPE_CORPUS,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CB_TYPE_ITEM_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, item_scroller);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, item_view);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
cb_window_init (CbWindow *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (CB_TYPE_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed), self, 0);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (on_list_activate), self, 0);
  g_signal_connect_object (self->item_view, "open-item", G_CALLBACK (on_open_item), self, 0);
}

CbWindow *
cb_window_new (GtkApplication *application)
{
  return g_object_new (CB_TYPE_WINDOW, "application", application, NULL);
}
