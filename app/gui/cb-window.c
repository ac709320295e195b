/* cb-window.c: the main window
 *
 * Three panes: filters (an AdwFlap that folds over the results on narrow
 * windows), the results or the evidence map, and the reading pane (an
 * AdwLeaflet page that folds behind the results). Every search, item load
 * and map count runs in a worker thread; a newer search cancels the older
 * one, which interrupts its SQLite query.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-check-window.h"
#include "cb-corpus-check.h"
#include "cb-error.h"
#include "cb-evidence-map.h"
#include "cb-filter-pane.h"
#include "cb-item-editor.h"
#include "cb-item-view.h"
#include "cb-pack-view.h"
#include "cb-result-row.h"
#include "cb-results-model.h"
#include "cb-settings.h"
#include "cb-update-window.h"
#include "cb-window.h"
#include "cb-wrap-box.h"

struct _CbWindow
{
  AdwApplicationWindow  parent_instance;

  CbStore              *store;
  CbCorpus             *outline;
  CbQuery              *filters;        /* the filters the user ticked */
  CbSearchResults      *results;
  CbResultsModel       *model;
  GtkSingleSelection   *selection;
  GCancellable         *search_cancellable;
  GCancellable         *item_cancellable;
  GCancellable         *map_cancellable;
  char                 *item_id;
  char                 *searched_text;  /* the text of the latest search */
  guint                 search_serial;
  gboolean              focus_results_pending;
  gint64                focus_frame;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *main_column;
  AdwHeaderBar         *main_header;
  GtkWidget            *reader_separator;
  GtkWidget            *reader_column;
  GtkWidget            *back_button;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget            *filters_button;
  GtkSearchEntry       *search_entry;
  GtkLabel             *count_label;
  GtkWidget            *chips;
  AdwFlap              *flap;
  CbFilterPane         *filter_pane;
  AdwViewStack         *view_stack;
  GtkStack             *results_stack;
  AdwStatusPage        *preparing_page;
  GtkProgressBar       *progress_bar;
  GtkListView          *list_view;
  AdwStatusPage        *empty_page;
  GtkWidget            *empty_clear_button;
  GtkWidget            *clear_filters_button;
  AdwStatusPage        *error_page;
  CbEvidenceMap        *evidence_map;
  CbPackView           *pack_view;
  CbItemEditor         *item_editor;
  GtkWidget            *copy_button;
  GtkWidget            *add_to_pack_button;
  GtkWidget            *edit_button;
  GtkWidget            *retire_button;
  GtkWidget            *edit_save_button;
  GtkWidget            *edit_cancel_button;

  CbLibrary            *library;
  GCancellable         *reindex_cancellable;
  GtkNativeDialog      *chooser;
  CbItem               *edit_before;
  CbItem               *undo_item;
  gboolean              edit_is_new;
  gboolean              editing;
  AdwWindowTitle       *reader_title;
  GtkStack             *reader_stack;
  GtkScrolledWindow    *item_scroller;
  CbItemView           *item_view;
};

G_DEFINE_FINAL_TYPE (CbWindow, cb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  SEARCH_FINISHED,
  ITEM_SHOWN,
  REINDEXED,
  UPDATE_PREVIEWED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_search (CbWindow *self);

/* Toast titles are markup; @text is not. A @timeout of 0 keeps the toast
 * until dismissed. */
static void
add_toast (CbWindow   *self,
           const char *text,
           guint       timeout)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Status page descriptions are markup; @message is not */
static void
show_error_page (CbWindow   *self,
                 const char *message)
{
  g_autofree char *description = g_markup_escape_text (message, -1);

  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->results_stack, "error");
}

/* A newer request replaced this one: the task was cancelled, or SQLite
 * was interrupted mid-query */
static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, CB_ERROR, CB_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void update_map    (CbWindow   *self);
static void update_librarian (CbWindow *self);
static void cancel_edit_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter);
static void remove_filter (CbWindow   *self,
                           CbFacet     facet,
                           const char *value);

/* Cancels the task whose cancellable is in @slot, and runs @func in a
 * worker thread with a new one; @done gets @data back */
static void
restart_task (CbWindow            *self,
              GCancellable       **slot,
              gpointer             source_tag,
              gpointer             data,
              GDestroyNotify       data_free,
              GTaskThreadFunc      func,
              GAsyncReadyCallback  done)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (*slot);
  g_clear_object (slot);
  *slot = g_cancellable_new ();

  task = g_task_new (self, *slot, done, NULL);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, data_free);
  g_task_run_in_thread (task, func);
}

/* The query: the search box's text, the ticked filters, and the
 * preferences */
static CbQuery *
build_query (CbWindow *self)
{
  CbTaxonomy *taxonomy = self->store ? cb_store_get_taxonomy (self->store) : NULL;
  CbQuery *query = cb_query_parse (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), taxonomy);

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *values = cb_query_get_filter (self->filters, f);

      for (guint i = 0; i < values->len; i++)
        cb_query_add_filter (query, taxonomy, f, g_ptr_array_index (values, i));
    }

  {
    gboolean include_retired = FALSE;

    g_object_get (cb_settings_get_default (), "include-retired", &include_retired, NULL);
    cb_query_set_include_retired (query, include_retired);
  }

  return query;
}

static void
save_search (CbWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) filters = NULL;

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *values = cb_query_get_filter (self->filters, f);

      for (guint i = 0; i < values->len; i++)
        {
          g_autofree char *pair = g_strconcat (cb_facet_to_string (f), ":", (char *) g_ptr_array_index (values, i), NULL);

          g_strv_builder_add (builder, pair);
        }
    }

  filters = g_strv_builder_end (builder);
  g_object_set (cb_settings_get_default (),
                "last-query", gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                "last-filters", filters,
                NULL);
}

/* Chips */

static void
on_chip_clicked (GtkButton *button,
                 CbWindow  *self)
{
  CbFacet facet = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "facet"));
  const char *value = g_object_get_data (G_OBJECT (button), "value");

  remove_filter (self, facet, value);
  run_search (self);
}

static void
update_chips (CbWindow *self,
              CbQuery  *query)
{
  CbTaxonomy *taxonomy = cb_store_get_taxonomy (self->store);
  gboolean any = FALSE;

  cb_wrap_box_remove_all (CB_WRAP_BOX (self->chips));

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *values = cb_query_get_filter (query, f);

      for (guint i = 0; i < values->len; i++)
        {
          const char *value = g_ptr_array_index (values, i);
          g_autofree char *label = cb_facet_value_label (f, value, taxonomy, self->outline);
          g_autofree char *accessible = g_strdup_printf (_("Remove the filter %s: %s"), cb_facet_title (f), label);
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
          GtkWidget *text = gtk_label_new (label);
          GtkWidget *button = gtk_button_new ();

          gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (text), 28);
          gtk_box_append (GTK_BOX (box), text);
          gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
          gtk_button_set_child (GTK_BUTTON (button), box);
          gtk_widget_set_halign (button, GTK_ALIGN_START);
          gtk_widget_add_css_class (button, "filter-chip");
          gtk_widget_set_tooltip_text (button, accessible);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
          g_object_set_data (G_OBJECT (button), "facet", GUINT_TO_POINTER (f));
          g_object_set_data_full (G_OBJECT (button), "value", g_strdup (value), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (on_chip_clicked), self);
          cb_wrap_box_append (CB_WRAP_BOX (self->chips), button);
          any = TRUE;
        }
    }

  gtk_widget_set_visible (self->chips, any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-filters", any);
}

/* Searching */

typedef struct {
  CbStore *store;
  CbQuery *query;
  guint    serial;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->query);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  GError *error = NULL;
  CbSearchResults *results = cb_store_search (data->store, data->query, cancellable, &error);

  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, g_object_unref);
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  SearchData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSearchResults) results = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *subtitle = NULL;
  guint n;

  /* A newer search has started: this one is stale */
  if (data->serial != self->search_serial)
    return;

  if (results == NULL)
    {
      if (!is_cancelled (error))
        show_error_page (self, error->message);
      return;
    }

  g_set_object (&self->results, results);
  n = cb_search_results_get_n_hits (results);

  cb_results_model_set_results (self->model, self->store, results);
  cb_filter_pane_update (self->filter_pane, results);
  update_chips (self, cb_search_results_get_query (results));

  subtitle = g_strdup_printf (ngettext ("%u result", "%u results", n), n);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
  gtk_label_set_label (self->count_label, subtitle);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->results_stack, "list");
    }
  else
    {
      gboolean filtered = cb_query_has_filters (cb_search_results_get_query (results));

      adw_status_page_set_description (self->empty_page,
                                       filtered ? _("No item matches both the words and the filters. Clear the "
                                                    "filters, or try fewer words.")
                                                : _("No item has all these words. Try fewer words, or a prefix "
                                                    "such as prescrib*."));
      gtk_widget_set_visible (self->empty_clear_button, filtered);
      gtk_stack_set_visible_child_name (self->results_stack, "empty");
    }

  update_map (self);
  save_search (self);

  g_signal_emit (self, signals[SEARCH_FINISHED], 0);
}

static void
run_search (CbWindow *self)
{
  SearchData *data;

  if (self->store == NULL)
    return;

  g_free (self->searched_text);
  self->searched_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  data = g_new0 (SearchData, 1);
  data->store = g_object_ref (self->store);
  data->query = build_query (self);
  data->serial = ++self->search_serial;

  restart_task (self, &self->search_cancellable, run_search, data, (GDestroyNotify) search_data_free,
                search_thread, search_done);
}

/* The entry reports a change a moment after the last keystroke; a text the
 * window set itself has been searched already */
static void
on_search_changed (GtkSearchEntry *entry,
                   CbWindow       *self)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), self->searched_text) == 0)
    return;

  /* Typing a search while a pack shows means: show me the results */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "packs") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "results");
  run_search (self);
}

/* Replacing the text empties the entry first, which the entry reports at
 * once: that is not a search */
static void
set_text_quietly (CbWindow   *self,
                  const char *text)
{
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed, self);
}

/* Filters come from the ticks (and chips, and map cells) and from words
 * typed in the search box ("country:NZ"). To the user they are the same,
 * so removing one removes it from wherever it came from. */

/* The words of @text: runs of characters between spaces, where a quoted
 * stretch ("a phrase", type:"Social prescribing") counts as one */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        quoted = !quoted;

      if (!quoted && g_ascii_isspace (*p))
        {
          if (word->len > 0)
            g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      else
        {
          g_string_append_c (word, *p);
        }
    }
  if (word->len > 0)
    g_ptr_array_add (words, g_strdup (word->str));
  g_string_free (word, TRUE);

  return words;
}

/* Drops from the search box the words that filter on @facet (every facet
 * when it is CB_N_FACETS), on @value or, when it is NULL, on any value */
static void
drop_filter_words (CbWindow   *self,
                   guint       facet,
                   const char *value)
{
  CbTaxonomy *taxonomy = cb_store_get_taxonomy (self->store);
  g_autoptr(GPtrArray) words = split_words (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) text = NULL;
  gboolean dropped = FALSE;

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      g_autoptr(CbQuery) alone = strchr (word, ':') ? cb_query_parse (word, taxonomy) : NULL;
      gboolean drop = FALSE;

      for (guint f = 0; alone != NULL && f < CB_N_FACETS && !drop; f++)
        if (facet == CB_N_FACETS || facet == f)
          drop = value ? cb_query_has_filter (alone, f, value) : cb_query_get_filter (alone, f)->len > 0;

      if (drop)
        dropped = TRUE;
      else
        g_strv_builder_add (kept, word);
    }

  if (dropped)
    {
      g_autofree char *joined = NULL;

      text = g_strv_builder_end (kept);
      joined = g_strjoinv (" ", text);
      set_text_quietly (self, joined);
    }
}

static void
remove_filter (CbWindow   *self,
               CbFacet     facet,
               const char *value)
{
  cb_query_remove_filter (self->filters, facet, value);
  drop_filter_words (self, facet, value);
}

static void
clear_facet (CbWindow *self,
             CbFacet   facet)
{
  cb_query_clear_filter (self->filters, facet);
  drop_filter_words (self, facet, NULL);
}

static void
clear_filters (CbWindow *self)
{
  cb_query_clear_filters (self->filters);
  drop_filter_words (self, CB_N_FACETS, NULL);
}

static void
on_preference_changed (CbWindow *self)
{
  run_search (self);
}

static void
on_stop_search (GtkSearchEntry *entry,
                CbWindow       *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_filter_toggled (CbFilterPane *pane,
                   CbFacet       facet,
                   const char   *value,
                   gboolean      active,
                   CbWindow     *self)
{
  if (active)
    cb_query_add_filter (self->filters, NULL, facet, value);
  else
    remove_filter (self, facet, value);

  run_search (self);
}

/* The evidence map */

typedef struct {
  CbStore    *store;
  CbQuery    *query;
  CbFacet     columns;
  CbCrossTab *table;
} MapData;

static void
map_data_free (MapData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->query);
  g_clear_pointer (&data->table, cb_cross_tab_free);
  g_free (data);
}

static void
map_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  MapData *data = task_data;
  GError *error = NULL;

  data->table = cb_store_cross_tab (data->store, data->query, CB_FACET_INTERVENTION, data->columns,
                                    cancellable, &error);
  if (data->table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
map_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  MapData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!is_cancelled (error))
        g_warning ("The evidence map could not be counted: %s", error->message);
      return;
    }

  cb_evidence_map_set_table (self->evidence_map, data->table, data->columns,
                             cb_store_get_taxonomy (self->store), self->outline);
}

static void
update_map (CbWindow *self)
{
  MapData *data;

  if (self->store == NULL || self->results == NULL ||
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "map") != 0)
    return;

  data = g_new0 (MapData, 1);
  data->store = g_object_ref (self->store);
  data->query = cb_query_copy (cb_search_results_get_query (self->results));
  data->columns = cb_evidence_map_get_column_facet (self->evidence_map);

  restart_task (self, &self->map_cancellable, update_map, data, (GDestroyNotify) map_data_free,
                map_thread, map_done);
}

static void
on_cell_activated (CbEvidenceMap *map,
                   const char    *row_value,
                   const char    *column_value,
                   CbWindow      *self)
{
  CbFacet columns = cb_evidence_map_get_column_facet (map);

  /* The cell's two values replace the filters of their dimensions */
  clear_facet (self, CB_FACET_INTERVENTION);
  clear_facet (self, columns);

  cb_query_add_filter (self->filters, NULL, CB_FACET_INTERVENTION, row_value);
  cb_query_add_filter (self->filters, NULL, columns, column_value);
  adw_view_stack_set_visible_child_name (self->view_stack, "results");
  run_search (self);
}

/* The window's buttons sit at the end of the last header shown: the
 * reading pane's, unless it is hidden (narrow window, or the map) */
static void
update_title_buttons (CbWindow *self)
{
  adw_header_bar_set_show_end_title_buttons (self->main_header,
                                             adw_leaflet_get_folded (self->leaflet) ||
                                             !gtk_widget_get_visible (self->reader_column));
}

static void on_flap_folded (CbWindow *self);

/* The map needs the width more than an empty reading pane does: while it
 * shows, the results column takes the whole window. The filters narrow
 * the results and the map, not a pack: they step aside for the packs */
static void
on_view_changed (GObject    *stack,
                 GParamSpec *pspec,
                 CbWindow   *self)
{
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean map = g_strcmp0 (view, "map") == 0;
  gboolean packs = g_strcmp0 (view, "packs") == 0;

  gtk_widget_set_visible (self->reader_column, !map);
  gtk_widget_set_visible (self->reader_separator, !map);
  gtk_widget_set_hexpand (self->main_column, map);
  gtk_widget_set_visible (self->filters_button, !packs);
  if (packs)
    adw_flap_set_reveal_flap (self->flap, FALSE);
  else
    on_flap_folded (self);
  update_title_buttons (self);
  update_map (self);
}

static void
on_map_columns_changed (GObject    *map,
                        GParamSpec *pspec,
                        CbWindow   *self)
{
  update_map (self);
}

/* The reading pane */

typedef struct {
  CbStore   *store;
  char      *id;
  CbItem    *item;
  GPtrArray *references;
  GPtrArray *related;
} ItemData;

static void
item_data_free (ItemData *data)
{
  g_clear_object (&data->store);
  g_free (data->id);
  g_clear_object (&data->item);
  g_clear_pointer (&data->references, g_ptr_array_unref);
  g_clear_pointer (&data->related, g_ptr_array_unref);
  g_free (data);
}

static void
item_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ItemData *data = task_data;
  GError *error = NULL;
  GPtrArray *refs;

  if ((data->item = cb_store_load_item (data->store, data->id, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data->references = g_ptr_array_new_with_free_func (g_object_unref);
  refs = cb_item_get_references (data->item);
  for (guint i = 0; i < refs->len; i++)
    {
      CbReference *reference = cb_store_load_reference (data->store, g_ptr_array_index (refs, i), NULL);

      if (reference != NULL)
        g_ptr_array_add (data->references, reference);
    }

  data->related = cb_store_dup_related (data->store, data->id, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
item_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  ItemData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  CbItem *item;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!is_cancelled (error))
        add_toast (self, error->message, 5);
      return;
    }

  if (g_strcmp0 (data->id, self->item_id) != 0)
    return;

  item = data->item;
  cb_item_view_show (self->item_view, item, data->references, data->related);
  /* While an item is edited, the header names that one */
  if (!self->editing)
    {
      adw_window_title_set_title (self->reader_title, cb_item_kind_label (cb_item_get_kind (item)));
      adw_window_title_set_subtitle (self->reader_title,
                                     cb_item_get_number (item) ? cb_item_get_number (item) : "");
    }
  /* An item opened while another is being edited waits behind the editor */
  if (!self->editing)
    gtk_stack_set_visible_child_name (self->reader_stack, "item");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->item_scroller), 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-citation", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-to-pack", TRUE);
  update_librarian (self);

  g_signal_emit (self, signals[ITEM_SHOWN], 0, data->id);
}

static void
open_item (CbWindow   *self,
           const char *id)
{
  ItemData *data;

  if (self->store == NULL || id == NULL)
    return;

  g_free (self->item_id);
  self->item_id = g_strdup (id);

  data = g_new0 (ItemData, 1);
  data->store = g_object_ref (self->store);
  data->id = g_strdup (id);

  restart_task (self, &self->item_cancellable, open_item, data, (GDestroyNotify) item_data_free,
                item_thread, item_done);
}

static void
on_selection_changed (GtkSingleSelection *selection,
                      guint               position,
                      guint               n_items,
                      CbWindow           *self)
{
  CbResult *result = gtk_single_selection_get_selected_item (selection);

  if (result != NULL && g_strcmp0 (cb_result_get_id (result), self->item_id) != 0)
    open_item (self, cb_result_get_id (result));
}

/* The focus, leaving the hidden results, would land on the first selectable
 * label of the reading pane and select all its text */
static void
focus_reader (CbWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (GTK_IS_LABEL (focus) && gtk_widget_is_ancestor (focus, self->reader_column))
    gtk_label_select_region (GTK_LABEL (focus), 0, 0);

  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == self->reader_column)
    gtk_widget_grab_focus (self->back_button);
}

/* On a narrow window, the leaflet shows its visible child; setting it even
 * while the window is wide means it stays right when the window narrows */
static void
show_reader (CbWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* The leaflet moves the focus into its new visible child: right when
   * folded, not when the results stay in view */
  adw_leaflet_set_visible_child (self->leaflet, self->reader_column);
  if (!adw_leaflet_get_folded (self->leaflet) && focus != NULL)
    gtk_widget_grab_focus (focus);
  else
    focus_reader (self);
}

static void
on_list_activate (GtkListView *list_view,
                  guint        position,
                  CbWindow    *self)
{
  gtk_single_selection_set_selected (self->selection, position);
  show_reader (self);
}

static void
on_list_clicked (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 CbWindow        *self)
{
  if (gtk_single_selection_get_selected_item (self->selection) != NULL)
    show_reader (self);
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
  gtk_list_item_set_child (list_item, cb_result_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  cb_result_row_set_result (CB_RESULT_ROW (gtk_list_item_get_child (list_item)), gtk_list_item_get_item (list_item));
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  cb_result_row_set_result (CB_RESULT_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* The filter pane. A wide window shows it or not as the user last chose; a
 * narrow one folds it over the results, hidden until asked for, and that
 * is not a choice to remember. */

static void
save_filters_revealed (CbWindow *self)
{
  if (!adw_flap_get_folded (self->flap))
    g_object_set (cb_settings_get_default (), "filters-revealed", adw_flap_get_reveal_flap (self->flap), NULL);
}

static void
on_flap_folded (CbWindow *self)
{
  gboolean revealed = TRUE;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "packs") == 0)
    {
      adw_flap_set_reveal_flap (self->flap, FALSE);
      return;
    }

  if (adw_flap_get_folded (self->flap))
    return;

  g_object_get (cb_settings_get_default (), "filters-revealed", &revealed, NULL);
  adw_flap_set_reveal_flap (self->flap, revealed);
}

/* Actions */

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->main_column);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (parameter, NULL));
  adw_leaflet_set_visible_child (self->leaflet, self->main_column);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  clear_filters (self);
  run_search (self);
}

/* The row of the selected result, once the list has laid it out */
static gboolean
focus_selected_row (GtkWidget     *list_view,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  CbWindow *self = user_data;
  CbResult *selected = gtk_single_selection_get_selected_item (self->selection);

  /* The scroll is laid out in the frame after the one it was asked in */
  if (gdk_frame_clock_get_frame_counter (clock) <= self->focus_frame)
    return G_SOURCE_CONTINUE;

  for (GtkWidget *row = gtk_widget_get_first_child (list_view); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);

      if (selected != NULL && gtk_widget_get_mapped (row) && CB_IS_RESULT_ROW (child) &&
          cb_result_row_get_result (CB_RESULT_ROW (child)) == selected)
        {
          gtk_widget_grab_focus (row);
          return G_SOURCE_REMOVE;
        }
    }

  gtk_widget_grab_focus (list_view);
  return G_SOURCE_REMOVE;
}

/* Back to the row the item came from: scrolled into view (the list must be
 * shown for that), and focused, so that the arrows go on from there. GTK
 * 4.8 lists cannot focus a row by position: the row is found once laid
 * out. */
static void
focus_selected_result (CbWindow *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view));

  if (position == GTK_INVALID_LIST_POSITION || clock == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  self->focus_frame = gdk_frame_clock_get_frame_counter (clock);
  gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), focus_selected_row, self, NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->main_column);
  if (adw_leaflet_get_child_transition_running (self->leaflet))
    self->focus_results_pending = TRUE;
  else
    focus_selected_result (self);
}

static void
on_transition_running (CbWindow *self)
{
  if (self->focus_results_pending && !adw_leaflet_get_child_transition_running (self->leaflet))
    {
      self->focus_results_pending = FALSE;
      focus_selected_result (self);
    }
}

/* Escape: goes back from the reading pane of a narrow window, else clears
 * the search words, then the filters */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->editing)
    cancel_edit_action (widget, NULL, NULL);
  else if (adw_leaflet_get_folded (self->leaflet) &&
           adw_leaflet_get_visible_child (self->leaflet) == self->reader_column)
    back_action (widget, NULL, NULL);
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else if (cb_query_has_filters (self->filters))
    clear_filters_action (widget, NULL, NULL);
}

static void
toggle_filters_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
  save_filters_revealed (self);
}

static void
copy_citation_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autofree char *citation = cb_item_view_dup_citation (self->item_view);

  if (citation == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), citation);
  add_toast (self, _("Citation copied"), 2);
}

static void
add_to_pack_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->item_id != NULL)
    cb_pack_view_add_item (self->pack_view, self->item_id);
}

static void
on_pack_open_item (CbPackView *view,
                   const char *id,
                   CbWindow   *self)
{
  cb_window_select_item (self, id);
}

/* Librarian: editing, new items, retiring, corpus updates and the check.
 * Every change goes through the library (the working corpus), then the
 * index follows in a worker thread. */

static gboolean
librarian_mode (void)
{
  gboolean on = FALSE;

  g_object_get (cb_settings_get_default (), "librarian-mode", &on, NULL);

  return on;
}

static void
update_librarian (CbWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  CbItem *item = cb_item_view_get_item (self->item_view);
  gboolean on = librarian_mode () && self->library != NULL && self->store != NULL;
  gboolean shown = item != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->reader_stack), "empty") != 0;
  gboolean retired = item != NULL && cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED;

  gtk_widget_action_set_enabled (widget, "win.new-item", on && !self->editing);
  gtk_widget_action_set_enabled (widget, "win.check-corpus", on);
  gtk_widget_action_set_enabled (widget, "win.import-update", on && !self->editing);
  gtk_widget_action_set_enabled (widget, "win.export-update", on && !self->editing);
  gtk_widget_action_set_enabled (widget, "win.edit-item", on && shown && !self->editing);
  gtk_widget_action_set_enabled (widget, "win.toggle-retired", on && shown && !self->editing);
  gtk_widget_action_set_enabled (widget, "win.save-edit", self->editing);
  gtk_widget_action_set_enabled (widget, "win.cancel-edit", self->editing);

  gtk_widget_set_visible (self->edit_button, on && !self->editing);
  gtk_widget_set_visible (self->retire_button, on && !self->editing);
  gtk_widget_set_visible (self->copy_button, !self->editing);
  gtk_widget_set_visible (self->add_to_pack_button, !self->editing);
  gtk_widget_set_visible (self->edit_save_button, self->editing);
  gtk_widget_set_visible (self->edit_cancel_button, self->editing);

  gtk_button_set_icon_name (GTK_BUTTON (self->retire_button),
                            retired ? "edit-undo-symbolic" : "user-trash-symbolic");
  gtk_widget_set_tooltip_text (self->retire_button, retired ? _("Restore the Item") : _("Retire the Item"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->retire_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  retired ? _("Restore the item") : _("Retire the item"), -1);
}

typedef struct {
  CbStore *store;
  char    *corpus_path;
  char    *select_id;
} ReindexData;

static void
reindex_data_free (ReindexData *data)
{
  g_clear_object (&data->store);
  g_free (data->corpus_path);
  g_free (data->select_id);
  g_free (data);
}

static void
reindex_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReindexData *data = task_data;
  GError *error = NULL;

  if (!cb_store_sync (data->store, data->corpus_path, FALSE, NULL, NULL, cancellable, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
reindex_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  ReindexData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!is_cancelled (error))
        cb_window_show_warning (self, error->message);
      return;
    }

  /* The results, the filters' counts, the pack titles and the item shown
   * all come from the index again */
  run_search (self);
  cb_pack_view_set_store (self->pack_view, self->store);
  /* The item shown is read again: it may be the one that changed */
  if (data->select_id != NULL)
    cb_window_select_item (self, data->select_id);
  if (self->item_id != NULL)
    {
      g_autofree char *id = g_strdup (self->item_id);

      open_item (self, id);
    }
  g_signal_emit (self, signals[REINDEXED], 0);
}

/* The corpus changed: bring the index up to date, then show @select_id */
static void
reindex (CbWindow   *self,
         const char *select_id)
{
  g_autoptr(GTask) task = NULL;
  ReindexData *data;

  g_cancellable_cancel (self->reindex_cancellable);
  g_clear_object (&self->reindex_cancellable);
  self->reindex_cancellable = g_cancellable_new ();

  data = g_new0 (ReindexData, 1);
  data->store = g_object_ref (self->store);
  data->corpus_path = g_strdup (cb_library_get_corpus_path (self->library));
  data->select_id = g_strdup (select_id);

  task = g_task_new (self, self->reindex_cancellable, reindex_done, NULL);
  g_task_set_source_tag (task, reindex);
  g_task_set_task_data (task, data, (GDestroyNotify) reindex_data_free);
  g_task_run_in_thread (task, reindex_thread);
}

/* Undo puts the item back as it was, as a new revision that says so:
 * history is never rewritten. Each toast undoes its own change; Ctrl+Z
 * (win.undo-edit) the latest. */
static void
run_undo_edit (CbWindow *self,
               CbItem   *before)
{
  g_autoptr(GError) error = NULL;
  /* Ctrl+Z passes self->undo_item, which is cleared below */
  g_autoptr(CbItem) keep = g_object_ref (before);
  CbItem *after = g_object_get_data (G_OBJECT (before), "after");
  const char *id = cb_item_get_id (before);

  if (g_object_get_data (G_OBJECT (before), "undone") != NULL || self->editing)
    return;
  g_object_set_data (G_OBJECT (before), "undone", GINT_TO_POINTER (TRUE));
  if (self->undo_item == before)
    g_clear_object (&self->undo_item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-edit", self->undo_item != NULL);

  /* The reverse of that one change: the fields it changed go back, as long
   * as nothing else changed them since; the history keeps both */
  if (!cb_library_save_edit (self->library, before, id, after, NULL, "Undid the last change", NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("That cannot be undone now: %s"), error->message);

      add_toast (self, message, 8);
      return;
    }

  reindex (self, id);
}

static void
on_undo_edit_clicked (AdwToast *toast,
                      CbItem   *before)
{
  CbWindow *self = g_object_get_data (G_OBJECT (toast), "window");

  if (self != NULL)
    run_undo_edit (self, before);
}

static void
undo_edit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);

  if (self->undo_item != NULL && !self->editing)
    run_undo_edit (self, self->undo_item);
}

static void
unref_closure_data (gpointer  data,
                    GClosure *closure)
{
  g_object_unref (data);
}

/* @before and @after: the item before and after the change to undo */
static void
toast_with_undo_edit (CbWindow   *self,
                      const char *message,
                      CbItem     *before,
                      CbItem     *after)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_clear_object (&self->undo_item);
  self->undo_item = cb_item_copy (before);
  g_object_set_data_full (G_OBJECT (self->undo_item), "after", cb_item_copy (after), g_object_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-edit", TRUE);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 8);
  g_object_set_data_full (G_OBJECT (toast), "window", g_object_ref (self), g_object_unref);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_edit_clicked),
                         g_object_ref (self->undo_item), unref_closure_data, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_editing (CbWindow *self,
             gboolean  editing)
{
  CbItem *shown = cb_item_view_get_item (self->item_view);

  self->editing = editing;
  gtk_stack_set_visible_child_name (self->reader_stack, editing ? "edit" : (shown ? "item" : "empty"));
  if (!editing && shown != NULL)
    {
      adw_window_title_set_title (self->reader_title, cb_item_kind_label (cb_item_get_kind (shown)));
      adw_window_title_set_subtitle (self->reader_title, cb_item_get_number (shown) ? cb_item_get_number (shown) : "");
    }
  update_librarian (self);
}

static void
start_editing (CbWindow *self,
               CbItem   *item,
               CbCorpus *corpus,
               gboolean  is_new)
{
  g_autofree char *label = cb_item_dup_label (item);

  g_clear_object (&self->edit_before);
  if (!is_new)
    self->edit_before = cb_item_copy (item);
  self->edit_is_new = is_new;

  cb_item_editor_set_item (self->item_editor, item, corpus, cb_store_get_taxonomy (self->store), is_new);
  adw_window_title_set_title (self->reader_title, is_new ? _("New Item") : _("Editing"));
  adw_window_title_set_subtitle (self->reader_title, is_new ? "" : label);
  set_editing (self, TRUE);
  show_reader (self);
  /* The form's first field, ready to type in */
  gtk_widget_child_focus (GTK_WIDGET (self->item_editor), GTK_DIR_TAB_FORWARD);
}

static void
edit_item_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) error = NULL;
  CbItem *item;

  if (self->item_id == NULL || self->library == NULL)
    return;

  if ((corpus = cb_library_load (self->library, &error)) == NULL)
    {
      add_toast (self, error->message, 5);
      return;
    }

  if ((item = cb_corpus_lookup_item (corpus, self->item_id)) == NULL)
    {
      add_toast (self, _("This item is not in the working corpus"), 5);
      return;
    }

  start_editing (self, item, corpus, FALSE);
}

static void
new_item_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CbItem *shown = cb_item_view_get_item (self->item_view);
  CbItemKind kind;

  if (!cb_item_kind_from_string (g_variant_get_string (parameter, NULL), &kind) || self->library == NULL)
    return;

  if ((corpus = cb_library_load (self->library, &error)) == NULL)
    {
      add_toast (self, error->message, 5);
      return;
    }

  /* The number decides the id when it is saved */
  id = g_strdup_printf ("%s:new", cb_item_kind_to_string (kind));
  item = cb_item_new (id, kind);
  /* Where the librarian is reading is the likeliest place for it */
  if (shown != NULL)
    {
      cb_item_set_chapter (item, cb_item_get_chapter (shown));
      cb_item_set_section (item, cb_item_get_section (shown));
    }

  start_editing (self, item, corpus, TRUE);
}

static void
save_edit_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(CbItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;
  GPtrArray *references;

  if (!self->editing)
    return;

  cb_item_editor_clear_errors (self->item_editor);
  if ((item = cb_item_editor_dup_item (self->item_editor, &bad_field, &error)) == NULL)
    return;

  /* The item and the references typed in, checked together and written
   * once: a refusal writes nothing */
  references = cb_item_editor_get_new_references (self->item_editor);
  if (!cb_library_save_edit (self->library, item, self->edit_is_new ? NULL : cb_item_get_id (item),
                             self->edit_before, references, NULL, &bad_field, &error))
    {
      cb_item_editor_show_error (self->item_editor, bad_field ? bad_field : "title", error->message);
      return;
    }

  label = cb_item_dup_label (item);
  set_editing (self, FALSE);
  if (self->edit_is_new)
    {
      /* Translators: after a new item was saved: "Added Case study 4.2.9" */
      message = g_strdup_printf (_("Added %s"), label);
      add_toast (self, message, 5);
    }
  else
    {
      message = g_strdup_printf (_("Saved %s"), label);
      toast_with_undo_edit (self, message, self->edit_before, item);
    }
  g_clear_object (&self->edit_before);

  reindex (self, cb_item_get_id (item));
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     CbWindow         *self)
{
  if (g_str_equal (response, "discard"))
    set_editing (self, FALSE);
}

static void
cancel_edit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  GtkWidget *dialog;

  if (!self->editing)
    return;

  if (!cb_item_editor_get_modified (self->item_editor))
    {
      set_editing (self, FALSE);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Discard Your Changes?"),
                                   _("The changes to this item have not been saved."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toggle_retired_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbItem) before = NULL;
  g_autoptr(CbItem) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;
  CbItem *item;
  gboolean retire;

  if (self->item_id == NULL || self->library == NULL)
    return;

  if ((corpus = cb_library_load (self->library, &error)) == NULL ||
      (item = cb_corpus_lookup_item (corpus, self->item_id)) == NULL)
    {
      add_toast (self, error ? error->message : _("This item is not in the working corpus"), 5);
      return;
    }

  before = cb_item_copy (item);
  retire = cb_item_get_status (item) != CB_ITEM_STATUS_RETIRED;
  if (!cb_library_set_retired (self->library, self->item_id, retire, &error))
    {
      add_toast (self, error->message, 5);
      return;
    }

  after = cb_item_copy (before);
  cb_item_set_status (after, retire ? CB_ITEM_STATUS_RETIRED : CB_ITEM_STATUS_ACTIVE);
  label = cb_item_dup_label (item);
  /* Translators: "Retired Case study 4.2.4" / "Restored Case study 4.2.4" */
  message = g_strdup_printf (retire ? _("Retired %s") : _("Restored %s"), label);
  toast_with_undo_edit (self, message, before, after);
  reindex (self, self->item_id);
}

/* Corpus update files */

static void
on_export_update_chosen (GtkNativeDialog *chooser,
                         int              response,
                         CbWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  guint version = 0;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file == NULL || (path = g_file_get_path (file)) == NULL)
    return;

  if (!cb_library_export_update (self->library, path, &version, &error))
    {
      message = g_strdup_printf (_("The update was not exported: %s"), error->message);
      add_toast (self, message, 8);
      return;
    }

  message = g_strdup_printf (_("Exported corpus update version %u"), version);
  add_toast (self, message, 5);
}

static GtkFileChooserNative *
new_update_chooser (CbWindow             *self,
                    const char           *title,
                    GtkFileChooserAction  action,
                    const char           *accept)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Corpus update files"));
  gtk_file_filter_add_mime_type (filter, "application/x-casebook-corpus-update");
  gtk_file_filter_add_pattern (filter, "*.casebook-update");
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (chooser);

  return chooser;
}

static void
export_update_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  GtkFileChooserNative *chooser = new_update_chooser (self, _("Export a Corpus Update"),
                                                      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "corpus.casebook-update");
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_update_chosen), self, 0);
  gtk_native_dialog_show (self->chooser);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CbWindow *self = source_object;
  GError *error = NULL;
  CbUpdatePreview *preview = cb_library_preview_update (self->library, task_data, &error);

  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) cb_update_preview_free);
}

static void
on_update_apply (CbUpdateWindow *window,
                 CbWindow       *self)
{
  CbUpdatePreview *preview = cb_update_window_get_preview (window);
  g_autoptr(GHashTable) choices = cb_update_window_dup_choices (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!cb_library_apply_update (self->library, preview, choices, &error))
    {
      cb_update_window_show_error (window, error->message);
      return;
    }

  message = g_strdup_printf (_("Applied corpus update version %u"), preview->version);
  gtk_window_destroy (GTK_WINDOW (window));
  add_toast (self, message, 5);
  reindex (self, NULL);
}

static void
preview_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbWindow *self = CB_WINDOW (source);
  g_autofree char *path = g_strdup (g_task_get_task_data (G_TASK (result)));
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GError) error = NULL;
  CbUpdatePreview *preview;
  GtkWidget *window;

  if ((preview = g_task_propagate_pointer (G_TASK (result), &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The update was not applied: %s"), error->message);

      add_toast (self, message, 10);
      return;
    }

  window = cb_update_window_new (GTK_WINDOW (self), preview, name);
  g_signal_connect_object (window, "apply", G_CALLBACK (on_update_apply), self, 0);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_emit (self, signals[UPDATE_PREVIEWED], 0, window);
}

/**
 * cb_window_preview_update:
 * @self: a window
 * @path: a corpus update file
 *
 * Reads and checks the update in a worker thread, then shows what it
 * would change, with the conflicts to settle, in a window whose Apply
 * applies it.
 */
void
cb_window_preview_update (CbWindow   *self,
                          const char *path)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->library == NULL)
    return;

  task = g_task_new (self, NULL, preview_done, NULL);
  g_task_set_source_tag (task, cb_window_preview_update);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, preview_thread);
}

static void
on_import_update_chosen (GtkNativeDialog *chooser,
                         int              response,
                         CbWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL && (path = g_file_get_path (file)) != NULL)
    cb_window_preview_update (self, path);
}

static void
import_update_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  GtkFileChooserNative *chooser = new_update_chooser (self, _("Apply a Corpus Update"),
                                                      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"));

  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_update_chosen), self, 0);
  gtk_native_dialog_show (self->chooser);
}

/* The corpus check */

static void
on_check_open_item (CbCheckWindow *window,
                    const char    *id,
                    CbWindow      *self)
{
  if (!cb_window_select_item (self, id))
    add_toast (self, _("That item is not in the index"), 5);
}

static void
check_corpus_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CbWindow *self = CB_WINDOW (widget);
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GPtrArray) anomalies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GtkWidget *window;

  if (self->library == NULL || self->store == NULL)
    return;

  if ((corpus = cb_library_load (self->library, &error)) == NULL)
    {
      add_toast (self, error->message, 8);
      return;
    }

  anomalies = cb_corpus_check (corpus, cb_store_get_taxonomy (self->store));
  name = g_path_get_basename (cb_library_get_corpus_path (self->library));
  window = cb_check_window_new (GTK_WINDOW (self), anomalies, name);
  g_signal_connect_object (window, "open-item", G_CALLBACK (on_check_open_item), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

/* Public */

/**
 * cb_window_set_progress:
 * @self: a window
 * @fraction: how much of the index is built
 *
 * Shows the first-start indexing progress.
 */
void
cb_window_set_progress (CbWindow *self,
                        double    fraction)
{
  g_autofree char *text = NULL;

  g_return_if_fail (CB_IS_WINDOW (self));

  text = g_strdup_printf (_("%.0f%%"), CLAMP (fraction, 0, 1) * 100);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_stack_set_visible_child_name (self->results_stack, "preparing");
}

/**
 * cb_window_show_error:
 * @self: a window
 * @message: why the evidence cannot be shown
 */
void
cb_window_show_error (CbWindow   *self,
                      const char *message)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  show_error_page (self, message);

  /* Nothing to search or filter */
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
  adw_flap_set_reveal_flap (self->flap, FALSE);
  gtk_widget_set_sensitive (self->filters_button, FALSE);
}

/**
 * cb_window_show_warning:
 * @self: a window
 * @message: what went wrong that the user should know, though the window
 *   works
 *
 * Shows @message in a toast that stays until dismissed.
 */
void
cb_window_show_warning (CbWindow   *self,
                        const char *message)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  add_toast (self, message, 0);
}

/**
 * cb_window_set_store:
 * @self: a window
 * @store: the index, ready to search
 * @outline: the guide's title and contents
 *
 * Fills the filters, restores the last search if the preference says so,
 * and runs it.
 */
void
cb_window_set_store (CbWindow *self,
                     CbStore  *store,
                     CbCorpus *outline)
{
  CbSettings *settings = cb_settings_get_default ();
  gboolean restore = FALSE;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (CB_IS_STORE (store));

  g_set_object (&self->store, store);
  g_set_object (&self->outline, outline);
  cb_pack_view_set_store (self->pack_view, store);
  update_librarian (self);

  cb_filter_pane_setup (self->filter_pane, store, outline);
  cb_item_view_set_context (self->item_view, store, outline);

  g_object_get (settings, "restore-search", &restore, NULL);
  if (restore)
    {
      g_autofree char *text = NULL;
      g_auto(GStrv) filters = NULL;

      g_object_get (settings, "last-query", &text, "last-filters", &filters, NULL);
      for (guint i = 0; filters && filters[i]; i++)
        {
          g_auto(GStrv) pair = g_strsplit (filters[i], ":", 2);
          CbFacet facet;

          if (pair[0] && pair[1] && cb_facet_from_string (pair[0], &facet))
            cb_query_add_filter (self->filters, NULL, facet, pair[1]);
        }

      set_text_quietly (self, text ? text : "");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  run_search (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * cb_window_set_packs:
 * @self: a window
 * @packs: (nullable): the user's packs
 * @error_message: (nullable): why they could not be opened
 */
void
cb_window_set_packs (CbWindow    *self,
                     CbPackStore *packs,
                     const char  *error_message)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  cb_pack_view_set_pack_store (self->pack_view, packs, error_message);
}

static void
on_pack_imported (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cb_pack_view_import_finish (CB_PACK_VIEW (source), result, &error) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was imported: %s"), error->message);

      add_toast (self, message, 10);
    }
}

/**
 * cb_window_open_file:
 * @self: a window
 * @file: a Casebook pack file or a corpus update file
 *
 * What opening a file with Casebook does: a pack file is imported and
 * shown in the Packs view; a corpus update is previewed, to apply or not.
 * Anything else is refused with a reason.
 */
void
cb_window_open_file (CbWindow *self,
                     GFile    *file)
{
  g_autofree char *path = NULL;
  g_autofree char *head = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  path = g_file_get_path (file);
  head = g_malloc0 (4097);
  if (path == NULL || (stream = g_file_read (file, NULL, &error)) == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, 4096, &length, NULL, &error))
    {
      message = g_strdup_printf (_("Casebook cannot open “%s”: %s"), name,
                                 error ? error->message : _("it is not a local file"));
      add_toast (self, message, 10);
      return;
    }

  /* The namespace of the root element says what the file is; the readers
   * check the rest */
  if (strstr (head, "urn:x-casebook:pack") != NULL)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "packs");
      cb_pack_view_import_async (self->pack_view, file, NULL, on_pack_imported, g_object_ref (self));
    }
  else if (strstr (head, "urn:x-casebook:corpus") != NULL)
    cb_window_preview_update (self, path);
  else
    {
      message = g_strdup_printf (_("Casebook cannot open “%s”: it is neither a pack file nor a corpus update"), name);
      add_toast (self, message, 10);
    }
}

/**
 * cb_window_set_library:
 * @self: a window
 * @library: the librarian's working corpus
 */
void
cb_window_set_library (CbWindow  *self,
                       CbLibrary *library)
{
  g_return_if_fail (CB_IS_WINDOW (self));
  g_return_if_fail (CB_IS_LIBRARY (library));

  g_set_object (&self->library, library);
  update_librarian (self);
}

/**
 * cb_window_get_pack_view:
 * @self: a window
 *
 * Returns: (transfer none): the Packs view
 */
CbPackView *
cb_window_get_pack_view (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->pack_view;
}

/**
 * cb_window_get_store:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the index, once ready
 */
CbStore *
cb_window_get_store (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * cb_window_get_results:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the results shown
 */
CbSearchResults *
cb_window_get_results (CbWindow *self)
{
  g_return_val_if_fail (CB_IS_WINDOW (self), NULL);

  return self->results;
}

/**
 * cb_window_set_search_text:
 * @self: a window
 * @text: what to search for
 *
 * Puts @text in the search box, replacing what was there, and searches.
 */
void
cb_window_set_search_text (CbWindow   *self,
                           const char *text)
{
  g_return_if_fail (CB_IS_WINDOW (self));

  set_text_quietly (self, text);
  run_search (self);
}

/**
 * cb_window_select_item:
 * @self: a window
 * @id: an item id
 *
 * Shows the item in the reading pane, selecting it in the results when it
 * is one of them.
 *
 * Returns: %FALSE if the index has no such item
 */
gboolean
cb_window_select_item (CbWindow   *self,
                       const char *id)
{
  gint position;

  g_return_val_if_fail (CB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->store == NULL || !cb_store_describe (self->store, id, NULL, NULL, NULL))
    return FALSE;

  /* The map hides the reading pane; a pack keeps it */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "map") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "results");

  position = cb_results_model_find (self->model, id);
  if (position >= 0)
    {
      gtk_single_selection_set_selected (self->selection, position);
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
    }
  else
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
    }

  if (g_strcmp0 (self->item_id, id) != 0)
    open_item (self, id);
  show_reader (self);

  return TRUE;
}

/* Object */

static void
on_close_discard_response (AdwMessageDialog *dialog,
                           const char       *response,
                           CbWindow         *self)
{
  if (!g_str_equal (response, "discard"))
    return;

  set_editing (self, FALSE);
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
cb_window_close_request (GtkWindow *window)
{
  CbWindow *self = CB_WINDOW (window);
  int width, height;

  /* Unsaved changes to an item are not thrown away without asking */
  if (self->editing && cb_item_editor_get_modified (self->item_editor))
    {
      GtkWidget *dialog = adw_message_dialog_new (window, _("Discard Your Changes?"),
                                                  _("The changes to the item you are editing have not been "
                                                    "saved."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep Editing"),
                                        "discard", _("_Discard and Close"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_discard_response), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);
  g_object_set (cb_settings_get_default (),
                "window-width", width,
                "window-height", height,
                "window-maximized", gtk_window_is_maximized (window),
                NULL);
  if (self->store != NULL)
    save_search (self);

  return GTK_WINDOW_CLASS (cb_window_parent_class)->close_request (window);
}

static void
cb_window_dispose (GObject *object)
{
  CbWindow *self = (CbWindow *) object;

  g_cancellable_cancel (self->search_cancellable);
  g_cancellable_cancel (self->item_cancellable);
  g_cancellable_cancel (self->map_cancellable);
  g_cancellable_cancel (self->reindex_cancellable);
  g_clear_object (&self->reindex_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->edit_before);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->item_cancellable);
  g_clear_object (&self->map_cancellable);

  /* Its snippet batches hold it; stop them */
  if (self->model != NULL)
    cb_results_model_set_results (self->model, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->results);
  g_clear_object (&self->filters);
  g_clear_object (&self->store);
  g_clear_object (&self->outline);
  g_clear_object (&self->library);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->searched_text, g_free);

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
    case PROP_STORE:
      g_value_set_object (value, self->store);
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
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cb_window_dispose;
  object_class->get_property = cb_window_get_property;
  window_class->close_request = cb_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CB_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbWindow::search-finished:
   * @self: the window
   *
   * Emitted when the results of the latest search are shown.
   */
  signals[SEARCH_FINISHED] =
    g_signal_new ("search-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CbWindow::item-shown:
   * @self: the window
   * @id: the item now in the reading pane
   */
  signals[ITEM_SHOWN] =
    g_signal_new ("item-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CbWindow::reindexed:
   * @self: the window
   *
   * Emitted when the index has caught up with a change to the corpus.
   */
  signals[REINDEXED] =
    g_signal_new ("reindexed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * CbWindow::update-previewed:
   * @self: the window
   * @update_window: the window showing what a corpus update would do
   */
  signals[UPDATE_PREVIEWED] =
    g_signal_new ("update-previewed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, GTK_TYPE_WIDGET);

  g_type_ensure (CB_TYPE_ITEM_VIEW);
  g_type_ensure (CB_TYPE_ITEM_EDITOR);
  g_type_ensure (CB_TYPE_FILTER_PANE);
  g_type_ensure (CB_TYPE_EVIDENCE_MAP);
  g_type_ensure (CB_TYPE_WRAP_BOX);
  g_type_ensure (CB_TYPE_PACK_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, main_column);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, main_header);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, reader_separator);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, reader_column);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, filters_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, chips);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, filter_pane);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, preparing_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, empty_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, clear_filters_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, evidence_map);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, pack_view);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, item_editor);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, add_to_pack_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, retire_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, edit_save_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, edit_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, reader_title);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, reader_stack);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, item_scroller);
  gtk_widget_class_bind_template_child (widget_class, CbWindow, item_view);

  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.clear-filters", NULL, clear_filters_action);
  gtk_widget_class_install_action (widget_class, "win.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-filters", NULL, toggle_filters_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.copy-citation", NULL, copy_citation_action);
  gtk_widget_class_install_action (widget_class, "win.add-to-pack", NULL, add_to_pack_action);
  gtk_widget_class_install_action (widget_class, "win.edit-item", NULL, edit_item_action);
  gtk_widget_class_install_action (widget_class, "win.new-item", "s", new_item_action);
  gtk_widget_class_install_action (widget_class, "win.save-edit", NULL, save_edit_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-edit", NULL, cancel_edit_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-retired", NULL, toggle_retired_action);
  gtk_widget_class_install_action (widget_class, "win.undo-edit", NULL, undo_edit_action);
  gtk_widget_class_install_action (widget_class, "win.export-update", NULL, export_update_action);
  gtk_widget_class_install_action (widget_class, "win.import-update", NULL, import_update_action);
  gtk_widget_class_install_action (widget_class, "win.check-corpus", NULL, check_corpus_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
}

static void
cb_window_init (CbWindow *self)
{
  CbSettings *settings = cb_settings_get_default ();
  GtkListItemFactory *factory;
  GtkGesture *click;
  int width = 1280, height = 760;
  gboolean maximized = FALSE;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button whose label has a mnemonic twice (the label as
   * typed, then the label widget's text): let the label widget name it */
  {
    GtkWidget *labelled[] = { self->clear_filters_button, self->empty_clear_button,
                              self->edit_save_button, self->edit_cancel_button };

    for (guint i = 0; i < G_N_ELEMENTS (labelled); i++)
      gtk_accessible_reset_property (GTK_ACCESSIBLE (labelled[i]), GTK_ACCESSIBLE_PROPERTY_LABEL);
  }

  self->filters = cb_query_new ();
  self->model = cb_results_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
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

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_BUBBLE);
  g_signal_connect_object (click, "released", G_CALLBACK (on_list_clicked), self, G_CONNECT_AFTER);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self, 0);
  g_signal_connect_object (self->search_entry, "stop-search", G_CALLBACK (on_stop_search), self, 0);
  g_signal_connect_object (self->filter_pane, "toggled", G_CALLBACK (on_filter_toggled), self, 0);
  g_signal_connect_object (self->evidence_map, "cell-activated", G_CALLBACK (on_cell_activated), self, 0);
  g_signal_connect_object (self->evidence_map, "notify::columns", G_CALLBACK (on_map_columns_changed), self, 0);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name", G_CALLBACK (on_view_changed), self, 0);
  on_view_changed (G_OBJECT (self->view_stack), NULL, self);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (focus_reader), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (update_title_buttons), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::child-transition-running", G_CALLBACK (on_transition_running),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->item_view, "open-item", G_CALLBACK (on_open_item), self, 0);
  g_signal_connect_object (self->pack_view, "open-item", G_CALLBACK (on_pack_open_item), self, 0);

  g_object_bind_property (self->flap, "reveal-flap", self->filters_button, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (self->filters_button, "clicked", G_CALLBACK (save_filters_revealed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded", G_CALLBACK (on_flap_folded), self, G_CONNECT_SWAPPED);
  on_flap_folded (self);
  g_object_bind_property (settings, "view", self->view_stack, "visible-child-name",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (settings, "map-columns", self->evidence_map, "columns",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  g_object_get (settings, "window-width", &width, "window-height", &height, "window-maximized", &maximized, NULL);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (maximized)
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (settings, "notify::include-retired", G_CALLBACK (on_preference_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "notify::librarian-mode", G_CALLBACK (update_librarian), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-citation", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-to-pack", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-filters", FALSE);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  update_librarian (self);
  cb_window_set_progress (self, 0);
}

CbWindow *
cb_window_new (GtkApplication *application)
{
  return g_object_new (CB_TYPE_WINDOW, "application", application, NULL);
}
