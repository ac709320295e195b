/* cb-taxonomy.h: countries, intervention types and study designs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CB_TAXONOMY_COUNTRY,
  CB_TAXONOMY_INTERVENTION,
  CB_TAXONOMY_DESIGN,
} CbTaxonomyDimension;

/**
 * CbTerm:
 * @id: the country code or the id
 * @label: the name people read
 * @description: (nullable): one line for interventions and designs
 * @synonyms: (array zero-terminated=1): other names people type
 * @rank: evidence-strength order of a design (1 strongest), else 0
 */
typedef struct {
  char   *id;
  char   *label;
  char   *description;
  char  **synonyms;
  guint   rank;
} CbTerm;

#define CB_TYPE_TAXONOMY (cb_taxonomy_get_type ())

G_DECLARE_FINAL_TYPE (CbTaxonomy, cb_taxonomy, CB, TAXONOMY, GObject)

CbTaxonomy   *cb_taxonomy_new_from_file (const char           *path,
                                         GError              **error);
CbTaxonomy   *cb_taxonomy_get_default   (GError              **error);
GPtrArray    *cb_taxonomy_get_terms     (CbTaxonomy           *self,
                                         CbTaxonomyDimension   dimension);
const CbTerm *cb_taxonomy_lookup        (CbTaxonomy           *self,
                                         CbTaxonomyDimension   dimension,
                                         const char           *id);
const CbTerm *cb_taxonomy_resolve       (CbTaxonomy           *self,
                                         CbTaxonomyDimension   dimension,
                                         const char           *text);
const char   *cb_taxonomy_label         (CbTaxonomy           *self,
                                         CbTaxonomyDimension   dimension,
                                         const char           *id);

G_END_DECLS
