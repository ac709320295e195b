/* cb-search-results.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include "cb-store-private.h"

struct _CbSearchResults
{
  GObject    parent_instance;

  CbCatalog *catalog;
  CbQuery   *query;
  GArray    *hits;
  GArray    *facets[CB_N_FACETS];
};

G_DEFINE_FINAL_TYPE (CbSearchResults, cb_search_results, G_TYPE_OBJECT)

static void
cb_search_results_finalize (GObject *object)
{
  CbSearchResults *self = (CbSearchResults *) object;

  g_clear_pointer (&self->catalog, cb_catalog_unref);
  g_clear_object (&self->query);
  g_clear_pointer (&self->hits, g_array_unref);
  for (guint f = 0; f < CB_N_FACETS; f++)
    g_clear_pointer (&self->facets[f], g_array_unref);

  G_OBJECT_CLASS (cb_search_results_parent_class)->finalize (object);
}

static void
cb_search_results_class_init (CbSearchResultsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_search_results_finalize;
}

static void
cb_search_results_init (CbSearchResults *self)
{
}

/* Takes @hits and @facets. */
CbSearchResults *
_cb_search_results_new (CbCatalog *catalog,
                        CbQuery   *query,
                        GArray    *hits,
                        GArray   **facets)
{
  CbSearchResults *self = g_object_new (CB_TYPE_SEARCH_RESULTS, NULL);

  self->catalog = cb_catalog_ref (catalog);
  self->query = g_object_ref (query);
  self->hits = hits;
  for (guint f = 0; f < CB_N_FACETS; f++)
    self->facets[f] = facets[f];

  return self;
}

static guint
hit_index (CbSearchResults *self,
           guint            position)
{
  return g_array_index (self->hits, CbHit, position).index;
}

/* The catalog index of a hit: its SQLite rowid less one */
guint
_cb_search_results_get_index (CbSearchResults *self,
                              guint            position)
{
  return hit_index (self, position);
}

CbCatalog *
_cb_search_results_get_catalog (CbSearchResults *self)
{
  return self->catalog;
}

/**
 * cb_search_results_get_query:
 * @self: results
 *
 * Returns: (transfer none): the query they answer
 */
CbQuery *
cb_search_results_get_query (CbSearchResults *self)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), NULL);

  return self->query;
}

/**
 * cb_search_results_get_n_hits:
 * @self: results
 *
 * Returns: how many items match, after filters
 */
guint
cb_search_results_get_n_hits (CbSearchResults *self)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), 0);

  return self->hits->len;
}

/**
 * cb_search_results_get_id:
 * @self: results
 * @position: a rank, from 0 (best)
 *
 * Returns: the item id
 */
const char *
cb_search_results_get_id (CbSearchResults *self,
                          guint            position)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), NULL);
  g_return_val_if_fail (position < self->hits->len, NULL);

  return self->catalog->ids[hit_index (self, position)];
}

const char *
cb_search_results_get_title (CbSearchResults *self,
                             guint            position)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), NULL);
  g_return_val_if_fail (position < self->hits->len, NULL);

  return self->catalog->titles[hit_index (self, position)];
}

/**
 * cb_search_results_get_number:
 * @self: results
 * @position: a rank
 *
 * Returns: (nullable): the item number
 */
const char *
cb_search_results_get_number (CbSearchResults *self,
                              guint            position)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), NULL);
  g_return_val_if_fail (position < self->hits->len, NULL);

  return self->catalog->numbers[hit_index (self, position)];
}

/**
 * cb_search_results_get_score:
 * @self: results
 * @position: a rank
 *
 * Returns: the relevance (higher is better; 0 without search words)
 */
double
cb_search_results_get_score (CbSearchResults *self,
                             guint            position)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), 0);
  g_return_val_if_fail (position < self->hits->len, 0);

  return g_array_index (self->hits, CbHit, position).score;
}

/**
 * cb_search_results_dup_values:
 * @self: results
 * @position: a rank
 * @facet: a dimension
 *
 * Returns: (transfer container) (element-type utf8): the item's values in
 *   that dimension (its countries, its kind, ...)
 */
GPtrArray *
cb_search_results_dup_values (CbSearchResults *self,
                              guint            position,
                              CbFacet          facet)
{
  GPtrArray *values;
  guint index;
  CbCatalog *catalog;

  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), NULL);
  g_return_val_if_fail (position < self->hits->len, NULL);
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  catalog = self->catalog;
  index = hit_index (self, position);
  values = g_ptr_array_new ();
  for (guint32 v = catalog->offsets[facet][index]; v < catalog->offsets[facet][index + 1]; v++)
    g_ptr_array_add (values, g_ptr_array_index (catalog->values[facet], catalog->value_ids[facet][v]));

  return values;
}

/**
 * cb_search_results_get_facet:
 * @self: results
 * @facet: a dimension
 *
 * Returns: (transfer none) (element-type CbFacetCount): every value of the
 *   dimension that has results or is selected, in a stable order
 */
GArray *
cb_search_results_get_facet (CbSearchResults *self,
                             CbFacet          facet)
{
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), NULL);
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  return self->facets[facet];
}

/**
 * cb_search_results_get_facet_count:
 * @self: results
 * @facet: a dimension
 * @value: a value
 *
 * Returns: the count for @value, 0 if it has no results
 */
guint
cb_search_results_get_facet_count (CbSearchResults *self,
                                   CbFacet          facet,
                                   const char      *value)
{
  GArray *counts;

  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (self), 0);
  g_return_val_if_fail (facet < CB_N_FACETS, 0);

  counts = self->facets[facet];
  for (guint i = 0; i < counts->len; i++)
    {
      CbFacetCount *count = &g_array_index (counts, CbFacetCount, i);

      if (g_strcmp0 (count->value, value) == 0)
        return count->count;
    }

  return 0;
}
