/* cb-store-private.h: internals shared by the store's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-catalog.h"
#include "cb-search-results.h"

G_BEGIN_DECLS

typedef struct {
  guint  index;
  double score;
} CbHit;

CbSearchResults *_cb_search_results_new       (CbCatalog       *catalog,
                                               CbQuery         *query,
                                               GArray          *hits,
                                               GArray         **facets);
guint            _cb_search_results_get_index (CbSearchResults *self,
                                               guint            position);
CbCatalog       *_cb_search_results_get_catalog (CbSearchResults *self);

G_END_DECLS
