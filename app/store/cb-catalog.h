/* cb-catalog.h: an immutable in-memory table of every indexed item's
 * metadata, for filtering and facet counting without SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cb-query.h"
#include "cb-rank.h"

G_BEGIN_DECLS

#define CB_CATALOG_NONE G_MAXUINT16

/**
 * CbCatalog:
 *
 * Item i (from 0) is the item with SQLite rowid i + 1, in guide order. For
 * each facet, the values of item i are
 * `value_ids[f][offsets[f][i] .. offsets[f][i + 1]]`, indices into
 * `values[f]`. @column_sizes, when not %NULL, has the token count of every
 * item's indexed columns, for ranking.
 */
typedef struct {
  gatomicrefcount  ref;
  guint            n_items;
  char           **ids;
  char           **titles;
  char           **numbers;
  guint8          *retired;
  GPtrArray       *values[CB_N_FACETS];
  GHashTable      *value_index[CB_N_FACETS];
  guint32         *offsets[CB_N_FACETS];
  guint16         *value_ids[CB_N_FACETS];
  GHashTable      *by_id;
  GStringChunk    *strings;
  CbColumnSizes   *column_sizes;
} CbCatalog;

typedef struct _CbCatalogBuilder CbCatalogBuilder;

CbCatalogBuilder *cb_catalog_builder_new       (void);
void              cb_catalog_builder_add_item  (CbCatalogBuilder *builder,
                                                const char       *id,
                                                const char       *title,
                                                const char       *number,
                                                gboolean          retired);
void              cb_catalog_builder_add_value (CbCatalogBuilder *builder,
                                                CbFacet           facet,
                                                const char       *value);
guint             cb_catalog_builder_get_n_items (CbCatalogBuilder *builder);
void              cb_catalog_builder_set_column_sizes (CbCatalogBuilder *builder,
                                                       CbColumnSizes    *sizes);
CbCatalog        *cb_catalog_builder_end       (CbCatalogBuilder *builder);

CbCatalog        *cb_catalog_ref               (CbCatalog        *catalog);
void              cb_catalog_unref             (CbCatalog        *catalog);
gint              cb_catalog_lookup            (CbCatalog        *catalog,
                                                const char       *id);
gint              cb_catalog_value_index       (CbCatalog        *catalog,
                                                CbFacet           facet,
                                                const char       *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCatalog, cb_catalog_unref)

G_END_DECLS
