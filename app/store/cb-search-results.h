/* cb-search-results.h: the ranked results of a search and its facet counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-query.h"

G_BEGIN_DECLS

/**
 * CbFacetCount:
 * @value: the value ("NZ", "5", "case_study", "social-prescribing")
 * @count: how many results would have it with this dimension's own filter
 *   lifted (the other dimensions' filters applied)
 * @selected: whether the query filters on it
 */
typedef struct {
  const char *value;
  guint       count;
  gboolean    selected;
} CbFacetCount;

#define CB_TYPE_SEARCH_RESULTS (cb_search_results_get_type ())

G_DECLARE_FINAL_TYPE (CbSearchResults, cb_search_results, CB, SEARCH_RESULTS, GObject)

CbQuery    *cb_search_results_get_query       (CbSearchResults *self);
guint       cb_search_results_get_n_hits      (CbSearchResults *self);
const char *cb_search_results_get_id          (CbSearchResults *self,
                                               guint            position);
const char *cb_search_results_get_title       (CbSearchResults *self,
                                               guint            position);
const char *cb_search_results_get_number      (CbSearchResults *self,
                                               guint            position);
double      cb_search_results_get_score       (CbSearchResults *self,
                                               guint            position);
GPtrArray  *cb_search_results_dup_values      (CbSearchResults *self,
                                               guint            position,
                                               CbFacet          facet);
GArray     *cb_search_results_get_facet       (CbSearchResults *self,
                                               CbFacet          facet);
guint       cb_search_results_get_facet_count (CbSearchResults *self,
                                               CbFacet          facet,
                                               const char      *value);

G_END_DECLS
