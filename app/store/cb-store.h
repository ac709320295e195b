/* cb-store.h: the search index (SQLite FTS5) built from a corpus file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-corpus-xml.h"
#include "cb-pack.h"
#include "cb-query.h"
#include "cb-search-results.h"

G_BEGIN_DECLS

#define CB_STORE_SCHEMA_VERSION 1

/**
 * CbCrossTab:
 * @rows: (element-type utf8): row values, in display order
 * @columns: (element-type utf8): column values, in display order
 * @counts: `rows->len * columns->len` counts, row by row
 * @max: the largest count
 *
 * How many results have each pair of values: the evidence map.
 */
typedef struct {
  GPtrArray *rows;
  GPtrArray *columns;
  guint     *counts;
  guint      max;
} CbCrossTab;

void cb_cross_tab_free  (CbCrossTab *tab);
guint cb_cross_tab_get  (CbCrossTab *tab,
                         guint       row,
                         guint       column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCrossTab, cb_cross_tab_free)

/**
 * CbStoreFlags:
 * @CB_STORE_NONE: report a damaged index with %CB_ERROR_CORRUPT
 * @CB_STORE_REPLACE_DAMAGED: check the index when opening it, and replace
 *   one found damaged (at open or by a sync) with a new one: it is a cache
 *   of the corpus
 *
 * How cb_store_open_full() opens the index.
 */
typedef enum {
  CB_STORE_NONE            = 0,
  CB_STORE_REPLACE_DAMAGED = 1 << 0,
} CbStoreFlags;

#define CB_TYPE_STORE (cb_store_get_type ())

G_DECLARE_FINAL_TYPE (CbStore, cb_store, CB, STORE, GObject)

char            *cb_store_get_default_path   (void);
CbStore         *cb_store_open               (const char       *path,
                                              GError          **error);
CbStore         *cb_store_open_full          (const char       *path,
                                              CbStoreFlags      flags,
                                              GError          **error);
gboolean         cb_store_was_recovered      (CbStore          *self);
const char      *cb_store_get_path           (CbStore          *self);
gboolean         cb_store_sync               (CbStore          *self,
                                              const char       *corpus_path,
                                              gboolean          force,
                                              CbProgressFunc    progress,
                                              gpointer          progress_data,
                                              GCancellable     *cancellable,
                                              gboolean         *rebuilt,
                                              GError          **error);
guint            cb_store_get_n_items        (CbStore          *self);
char            *cb_store_dup_corpus_path    (CbStore          *self);
char            *cb_store_dup_corpus_checksum (CbStore         *self);
CbCorpus        *cb_store_dup_outline        (CbStore          *self,
                                              GError          **error);
CbTaxonomy      *cb_store_get_taxonomy       (CbStore          *self);

CbSearchResults *cb_store_search             (CbStore          *self,
                                              CbQuery          *query,
                                              GCancellable     *cancellable,
                                              GError          **error);
char            *cb_store_snippet            (CbStore          *self,
                                              CbSearchResults  *results,
                                              guint             position,
                                              const char       *mark_start,
                                              const char       *mark_end,
                                              GError          **error);
GPtrArray       *cb_store_snippets           (CbStore          *self,
                                              CbSearchResults  *results,
                                              const guint      *positions,
                                              guint             n,
                                              const char       *mark_start,
                                              const char       *mark_end,
                                              GError          **error);
GHashTable      *cb_store_facets_in_sql      (CbStore          *self,
                                              CbQuery          *query,
                                              CbFacet           facet,
                                              GError          **error);
CbItem          *cb_store_load_item          (CbStore          *self,
                                              const char       *id,
                                              GError          **error);
CbReference     *cb_store_load_reference     (CbStore          *self,
                                              const char       *id,
                                              GError          **error);
GPtrArray       *cb_store_dup_related        (CbStore          *self,
                                              const char       *id,
                                              GError          **error);
gboolean         cb_store_describe           (CbStore          *self,
                                              const char       *id,
                                              char            **kind,
                                              char            **number,
                                              char            **title);
gboolean         cb_store_is_retired         (CbStore          *self,
                                              const char       *id);
GPtrArray       *cb_store_dup_missing_items  (CbStore          *self,
                                              CbPack           *pack);
CbPackEntry     *cb_store_new_pack_entry     (CbStore          *self,
                                              const char       *id,
                                              GError          **error);
GPtrArray       *cb_store_dup_values         (CbStore          *self,
                                              CbFacet           facet);
CbCrossTab      *cb_store_cross_tab          (CbStore          *self,
                                              CbQuery          *query,
                                              CbFacet           row_facet,
                                              CbFacet           column_facet,
                                              GCancellable     *cancellable,
                                              GError          **error);

G_END_DECLS
