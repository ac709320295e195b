/* cb-filter-pane.h: check rows with live counts for every filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-store.h"

G_BEGIN_DECLS

#define CB_TYPE_FILTER_PANE (cb_filter_pane_get_type ())

G_DECLARE_FINAL_TYPE (CbFilterPane, cb_filter_pane, CB, FILTER_PANE, GtkWidget)

GtkWidget  *cb_filter_pane_new       (void);
void        cb_filter_pane_setup     (CbFilterPane    *self,
                                      CbStore         *store,
                                      CbCorpus        *outline);
void        cb_filter_pane_update    (CbFilterPane    *self,
                                      CbSearchResults *results);
char       *cb_facet_value_label     (CbFacet          facet,
                                      const char      *value,
                                      CbTaxonomy      *taxonomy,
                                      CbCorpus        *outline);
const char *cb_facet_title           (CbFacet          facet);

G_END_DECLS
