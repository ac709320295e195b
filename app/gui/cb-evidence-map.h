/* cb-evidence-map.h: intervention types against countries or chapters, as
 * a grid of counts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-store.h"

G_BEGIN_DECLS

#define CB_TYPE_EVIDENCE_MAP (cb_evidence_map_get_type ())

G_DECLARE_FINAL_TYPE (CbEvidenceMap, cb_evidence_map, CB, EVIDENCE_MAP, GtkWidget)

GtkWidget  *cb_evidence_map_new              (void);
void        cb_evidence_map_set_table        (CbEvidenceMap *self,
                                              CbCrossTab    *table,
                                              CbFacet        column_facet,
                                              CbTaxonomy    *taxonomy,
                                              CbCorpus      *outline);
const char *cb_evidence_map_get_columns      (CbEvidenceMap *self);
void        cb_evidence_map_set_columns      (CbEvidenceMap *self,
                                              const char    *columns);
CbFacet     cb_evidence_map_get_column_facet (CbEvidenceMap *self);
GtkWidget  *cb_evidence_map_get_cell         (CbEvidenceMap *self,
                                              const char    *row_value,
                                              const char    *column_value);

G_END_DECLS
