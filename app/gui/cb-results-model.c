/* cb-results-model.c
 *
 * A list of 100,000 results creates objects only for the rows a list view
 * asks for. Their snippets are fetched from the store by a worker thread,
 * in batches, and appear when ready; replacing the results cancels what is
 * still pending.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include "cb-result.h"
#include "cb-results-model.h"

#define MARK_START "\x01"
#define MARK_END "\x02"
#define MAX_BATCH 64

struct _CbResultsModel
{
  GObject          parent_instance;

  CbStore         *store;
  CbSearchResults *results;
  GPtrArray       *rows;      /* CbResult or NULL, by position */
  GArray          *pending;   /* positions waiting for a snippet */
  guint            burst;     /* where in pending the latest requests start */
  gboolean         taken;     /* a batch was taken since the latest request */
  GCancellable    *cancellable;
  gboolean         loading;
  guint            n_made;    /* rows made since the results were set */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbResultsModel, cb_results_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

typedef struct {
  CbStore         *store;
  CbSearchResults *results;
  GArray          *positions;
  GPtrArray       *snippets;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->store);
  g_clear_object (&batch->results);
  g_clear_pointer (&batch->positions, g_array_unref);
  g_clear_pointer (&batch->snippets, g_ptr_array_unref);
  g_free (batch);
}

static void
load_batch_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Batch *batch = task_data;

  g_autoptr(GPtrArray) snippets = NULL;

  /* The whole batch in one query */
  snippets = cb_store_snippets (batch->store, batch->results, (const guint *) batch->positions->data,
                                batch->positions->len, MARK_START, MARK_END, NULL);
  batch->snippets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < batch->positions->len; i++)
    {
      const char *snippet = snippets ? g_ptr_array_index (snippets, i) : NULL;

      g_ptr_array_add (batch->snippets, snippet ? cb_snippet_to_markup (snippet, MARK_START, MARK_END) : g_strdup (""));
    }

  g_task_return_boolean (task, TRUE);
}

static void load_pending (CbResultsModel *self);

static void
load_batch_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CbResultsModel *self = CB_RESULTS_MODEL (source);
  Batch *batch = g_task_get_task_data (G_TASK (result));

  if (g_task_had_error (G_TASK (result)) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self->loading = FALSE;

  if (batch->results == self->results)
    {
      for (guint i = 0; i < batch->snippets->len; i++)
        {
          guint position = g_array_index (batch->positions, guint, i);
          CbResult *row = position < self->rows->len ? g_ptr_array_index (self->rows, position) : NULL;

          if (row != NULL)
            cb_result_set_snippet (row, g_ptr_array_index (batch->snippets, i));
        }
    }

  load_pending (self);
}

static void
load_pending (CbResultsModel *self)
{
  g_autoptr(GTask) task = NULL;
  Batch *batch;
  guint n;

  if (self->loading || self->pending->len == 0 || self->store == NULL)
    return;

  batch = g_new0 (Batch, 1);
  batch->store = g_object_ref (self->store);
  batch->results = g_object_ref (self->results);

  /* A page at a time, so that the store is busy for no longer than that.
   * The rows asked for latest come first, in the order the list asked for
   * them (from the top of what it shows); then the rows asked for before,
   * the latest first. */
  if (self->burst >= self->pending->len)
    self->burst = self->pending->len - MIN (self->pending->len, MAX_BATCH);
  n = MIN (self->pending->len - self->burst, MAX_BATCH);
  batch->positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  g_array_append_vals (batch->positions, &g_array_index (self->pending, guint, self->burst), n);
  g_array_remove_range (self->pending, self->burst, n);
  self->taken = TRUE;

  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, load_batch_done, NULL);
  g_task_set_source_tag (task, load_pending);
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (task, load_batch_thread);
}

static gboolean
load_pending_idle (gpointer user_data)
{
  load_pending (user_data);

  return G_SOURCE_REMOVE;
}

static GType
get_item_type (GListModel *model)
{
  return CB_TYPE_RESULT;
}

static guint
get_n_items (GListModel *model)
{
  CbResultsModel *self = CB_RESULTS_MODEL (model);

  return self->rows->len;
}

static char **
values_of (CbSearchResults *results,
           guint            position,
           CbFacet          facet)
{
  g_autoptr(GPtrArray) values = cb_search_results_dup_values (results, position, facet);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (guint i = 0; i < values->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (values, i));
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return strv;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CbResultsModel *self = CB_RESULTS_MODEL (model);
  CbResult *row;

  if (position >= self->rows->len)
    return NULL;

  row = g_ptr_array_index (self->rows, position);
  if (row == NULL)
    {
      g_auto(GStrv) kinds = values_of (self->results, position, CB_FACET_KIND);
      g_auto(GStrv) chapters = values_of (self->results, position, CB_FACET_CHAPTER);
      g_auto(GStrv) countries = values_of (self->results, position, CB_FACET_COUNTRY);

      row = cb_result_new (cb_search_results_get_id (self->results, position),
                           kinds[0] ? kinds[0] : "section",
                           cb_search_results_get_number (self->results, position),
                           cb_search_results_get_title (self->results, position),
                           chapters[0] ? (guint) g_ascii_strtoull (chapters[0], NULL, 10) : 0,
                           (const char * const *) countries);
      g_ptr_array_index (self->rows, position) = row;
      self->n_made++;

      if (self->taken)
        {
          self->burst = self->pending->len;
          self->taken = FALSE;
        }
      g_array_append_val (self->pending, position);
      if (!self->loading && self->pending->len == 1)
        g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, load_pending_idle, g_object_ref (self), g_object_unref);
    }

  return g_object_ref (row);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
cb_results_model_dispose (GObject *object)
{
  CbResultsModel *self = (CbResultsModel *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (cb_results_model_parent_class)->dispose (object);
}

static void
cb_results_model_finalize (GObject *object)
{
  CbResultsModel *self = (CbResultsModel *) object;

  g_ptr_array_unref (self->rows);
  g_array_unref (self->pending);

  G_OBJECT_CLASS (cb_results_model_parent_class)->finalize (object);
}

static void
cb_results_model_class_init (CbResultsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cb_results_model_dispose;
  object_class->finalize = cb_results_model_finalize;
}

static void
unref_if_set (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
cb_results_model_init (CbResultsModel *self)
{
  self->rows = g_ptr_array_new_with_free_func (unref_if_set);
  self->pending = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cancellable = g_cancellable_new ();
}

CbResultsModel *
cb_results_model_new (void)
{
  return g_object_new (CB_TYPE_RESULTS_MODEL, NULL);
}

/**
 * cb_results_model_set_results:
 * @self: a model
 * @store: (nullable): where the results come from, for their snippets
 * @results: (nullable): new results, or %NULL for none
 *
 * Replaces every row at once.
 */
void
cb_results_model_set_results (CbResultsModel  *self,
                              CbStore         *store,
                              CbSearchResults *results)
{
  guint removed, added;

  g_return_if_fail (CB_IS_RESULTS_MODEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;
  g_array_set_size (self->pending, 0);
  self->burst = 0;
  self->taken = FALSE;

  g_set_object (&self->store, store);
  g_set_object (&self->results, results);

  removed = self->rows->len;
  added = results ? cb_search_results_get_n_hits (results) : 0;

  /* Two changes, not one: told of rows replaced, GTK 4.8's list view and
   * selection look for the rows they showed among all the new ones, which
   * makes every one of 100,000 rows. Told of rows removed then added, they
   * make only the rows they show. */
  g_ptr_array_set_size (self->rows, 0);
  self->n_made = 0;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  g_ptr_array_set_size (self->rows, added);
  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, added);
}

/**
 * cb_results_model_get_results:
 * @self: a model
 *
 * Returns: (transfer none) (nullable): the results shown
 */
CbSearchResults *
cb_results_model_get_results (CbResultsModel *self)
{
  g_return_val_if_fail (CB_IS_RESULTS_MODEL (self), NULL);

  return self->results;
}

/**
 * cb_results_model_get_n_made:
 * @self: a model
 *
 * The rows made since the results were set, for tests and diagnostics: a
 * list shows some of them; the others are positions only.
 *
 * Returns: how many rows have been asked for
 */
guint
cb_results_model_get_n_made (CbResultsModel *self)
{
  g_return_val_if_fail (CB_IS_RESULTS_MODEL (self), 0);

  return self->n_made;
}

/**
 * cb_results_model_find:
 * @self: a model
 * @id: an item id
 *
 * Returns: the position of the item, or -1
 */
gint
cb_results_model_find (CbResultsModel *self,
                       const char     *id)
{
  g_return_val_if_fail (CB_IS_RESULTS_MODEL (self), -1);

  for (guint i = 0; self->results && i < self->rows->len; i++)
    {
      if (g_str_equal (cb_search_results_get_id (self->results, i), id))
        return (gint) i;
    }

  return -1;
}
