/* cb-results-model.h: search results as a GListModel of CbResult, built
 * row by row as they are shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-store.h"

G_BEGIN_DECLS

#define CB_TYPE_RESULTS_MODEL (cb_results_model_get_type ())

G_DECLARE_FINAL_TYPE (CbResultsModel, cb_results_model, CB, RESULTS_MODEL, GObject)

CbResultsModel  *cb_results_model_new         (void);
void             cb_results_model_set_results (CbResultsModel  *self,
                                               CbStore         *store,
                                               CbSearchResults *results);
CbSearchResults *cb_results_model_get_results (CbResultsModel  *self);
gint             cb_results_model_find        (CbResultsModel  *self,
                                               const char      *id);
guint            cb_results_model_get_n_made  (CbResultsModel  *self);

G_END_DECLS
