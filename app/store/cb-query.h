/* cb-query.h: the search box language, parsed into a safe FTS5 expression
 * and filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-taxonomy.h"

G_BEGIN_DECLS

/**
 * CbFacet:
 * @CB_FACET_KIND: item kind ("case_study")
 * @CB_FACET_CHAPTER: chapter number ("5")
 * @CB_FACET_COUNTRY: ISO 3166-1 alpha-2 code or "INT"
 * @CB_FACET_INTERVENTION: intervention type id
 * @CB_FACET_DESIGN: study design id
 *
 * The dimensions results can be filtered and counted by.
 */
typedef enum {
  CB_FACET_KIND,
  CB_FACET_CHAPTER,
  CB_FACET_COUNTRY,
  CB_FACET_INTERVENTION,
  CB_FACET_DESIGN,
  CB_N_FACETS
} CbFacet;

const char *cb_facet_to_string   (CbFacet     facet);
gboolean    cb_facet_from_string (const char *str,
                                  CbFacet    *facet);

#define CB_QUERY_MAX_TERMS 32
#define CB_QUERY_MAX_TERM_LENGTH 200

#define CB_TYPE_QUERY (cb_query_get_type ())

G_DECLARE_FINAL_TYPE (CbQuery, cb_query, CB, QUERY, GObject)

CbQuery    *cb_query_new             (void);
CbQuery    *cb_query_parse           (const char  *text,
                                      CbTaxonomy  *taxonomy);
const char *cb_query_get_text        (CbQuery     *self);
const char *cb_query_get_match       (CbQuery     *self);
const char *cb_query_get_exclude     (CbQuery     *self);
gboolean    cb_query_has_text        (CbQuery     *self);
GPtrArray  *cb_query_get_filter      (CbQuery     *self,
                                      CbFacet      facet);
gboolean    cb_query_add_filter      (CbQuery     *self,
                                      CbTaxonomy  *taxonomy,
                                      CbFacet      facet,
                                      const char  *value);
void        cb_query_remove_filter   (CbQuery     *self,
                                      CbFacet      facet,
                                      const char  *value);
gboolean    cb_query_has_filter      (CbQuery     *self,
                                      CbFacet      facet,
                                      const char  *value);
void        cb_query_clear_filter    (CbQuery     *self,
                                      CbFacet      facet);
void        cb_query_clear_filters   (CbQuery     *self);
gboolean    cb_query_has_filters     (CbQuery     *self);
gboolean    cb_query_get_include_retired (CbQuery *self);
void        cb_query_set_include_retired (CbQuery *self,
                                          gboolean include);
CbQuery    *cb_query_copy            (CbQuery     *self);

G_END_DECLS
