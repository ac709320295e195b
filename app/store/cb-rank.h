/* cb-rank.h: the BM25F ranking function registered with FTS5
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/**
 * CbColumnSizes:
 * @sizes: the token count of column c of the row with rowid r at
 *   `sizes[(r - 1) * n_columns + c]`
 * @n_rows: rows, with rowids 1 to @n_rows
 * @n_columns: columns of the FTS5 table
 *
 * Every row's column lengths, held in memory so that ranking does not read
 * them from the FTS5 table's docsize table once per matching row.
 */
typedef struct {
  guint32 *sizes;
  guint    n_rows;
  guint    n_columns;
} CbColumnSizes;

int            cb_rank_register         (sqlite3        *db);

CbColumnSizes *cb_column_sizes_load     (sqlite3        *db,
                                         const char     *fts_table,
                                         guint           n_columns,
                                         guint           n_rows,
                                         int            *rc);
void           cb_column_sizes_free     (CbColumnSizes  *sizes);
int            cb_column_sizes_bind     (sqlite3_stmt   *stmt,
                                         int             param,
                                         CbColumnSizes  *sizes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbColumnSizes, cb_column_sizes_free)

G_END_DECLS
