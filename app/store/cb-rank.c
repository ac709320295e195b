/* cb-rank.c: BM25F, a ranking function for FTS5
 *
 * FTS5's bm25() applies column weights to term frequencies but normalises
 * by the length of the whole row, so a long case study that mentions a word
 * often in its findings can outrank one that has both words in its title.
 * BM25F normalises each column by its own average length before weighting,
 * then saturates once per term:
 *
 *   t(p) = sum over columns c of  w[c] * tf(p, c) / (1 - b + b * len(c) / avglen(c))
 *   score = sum over phrases p of  idf(p) * t(p) / (k1 + t(p))
 *
 * Used as cb_bm25f(fts, sizes, w0, w1, ...); it returns minus the score,
 * like bm25(), so that smaller is better. sizes is a #CbColumnSizes bound
 * with cb_column_sizes_bind(), or NULL: FTS5 reads a row's column lengths
 * from its docsize table with one B-tree lookup per matching row, which for
 * a word in most of 100,000 items is most of the time a search takes, and
 * the table from memory gives the same lengths for free. cb_best_column()
 * helps snippets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "cb-rank.h"

#define K1 1.2
#define B 0.75
#define MAX_COLUMNS 16
#define MAX_PHRASES 64
#define COLUMN_SIZES_TYPE "cb_column_sizes"

typedef struct {
  int     n_phrases;
  int     n_columns;
  double *idf;
  double *average;
} Statistics;

static void
statistics_free (void *data)
{
  Statistics *statistics = data;

  g_free (statistics->idf);
  g_free (statistics->average);
  g_free (statistics);
}

static int
count_row (const Fts5ExtensionApi *api,
           Fts5Context            *fts,
           void                   *user_data)
{
  (*(sqlite3_int64 *) user_data)++;

  return SQLITE_OK;
}

/* Row count, average column lengths and phrase IDFs: once per query */
static Statistics *
get_statistics (const Fts5ExtensionApi *api,
                Fts5Context            *fts,
                int                    *rc)
{
  Statistics *statistics = api->xGetAuxdata (fts, 0);
  sqlite3_int64 n_rows = 0;

  if (statistics != NULL)
    return statistics;

  statistics = g_new0 (Statistics, 1);
  statistics->n_phrases = api->xPhraseCount (fts);
  statistics->n_columns = api->xColumnCount (fts);
  statistics->idf = g_new0 (double, MAX (statistics->n_phrases, 1));
  statistics->average = g_new0 (double, MAX (statistics->n_columns, 1));

  if ((*rc = api->xRowCount (fts, &n_rows)) != SQLITE_OK)
    goto out;

  for (int c = 0; c < statistics->n_columns; c++)
    {
      sqlite3_int64 total = 0;

      if ((*rc = api->xColumnTotalSize (fts, c, &total)) != SQLITE_OK)
        goto out;
      statistics->average[c] = n_rows > 0 ? MAX ((double) total / n_rows, 1.0) : 1.0;
    }

  for (int p = 0; p < statistics->n_phrases; p++)
    {
      sqlite3_int64 hits = 0;
      double idf;

      if ((*rc = api->xQueryPhrase (fts, p, &hits, count_row)) != SQLITE_OK)
        goto out;

      idf = log ((n_rows - hits + 0.5) / (hits + 0.5));
      statistics->idf[p] = MAX (idf, 1e-6);
    }

out:
  if (*rc != SQLITE_OK)
    {
      statistics_free (statistics);
      return NULL;
    }

  if ((*rc = api->xSetAuxdata (fts, statistics, statistics_free)) != SQLITE_OK)
    return NULL;

  return statistics;
}

static void
bm25f (const Fts5ExtensionApi  *api,
       Fts5Context             *fts,
       sqlite3_context         *context,
       int                      n_values,
       sqlite3_value          **values)
{
  const CbColumnSizes *sizes = NULL;
  Statistics *statistics;
  double weights[MAX_COLUMNS];
  double normalised[MAX_COLUMNS];
  double tf_buffer[MAX_PHRASES];
  g_autofree double *tf_heap = NULL;
  const guint32 *row_sizes = NULL;
  double *tf;
  double score = 0;
  int n_inst = 0;
  int rc = SQLITE_OK;

  if (n_values > 0)
    {
      sizes = sqlite3_value_pointer (values[0], COLUMN_SIZES_TYPE);
      values++;
      n_values--;
    }

  if ((statistics = get_statistics (api, fts, &rc)) == NULL)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  if (statistics->n_columns > MAX_COLUMNS)
    {
      sqlite3_result_error (context, "cb_bm25f: too many columns", -1);
      return;
    }

  if (sizes != NULL && sizes->n_columns == (guint) statistics->n_columns)
    {
      sqlite3_int64 rowid = api->xRowid (fts);

      if (rowid >= 1 && rowid <= sizes->n_rows)
        row_sizes = sizes->sizes + (rowid - 1) * sizes->n_columns;
    }

  for (int c = 0; c < statistics->n_columns; c++)
    {
      int length = 0;

      weights[c] = c < n_values ? sqlite3_value_double (values[c]) : 1.0;
      if (row_sizes != NULL)
        length = (int) MIN (row_sizes[c], G_MAXINT);
      else if ((rc = api->xColumnSize (fts, c, &length)) != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      normalised[c] = weights[c] / (1.0 - B + B * length / statistics->average[c]);
    }

  if ((rc = api->xInstCount (fts, &n_inst)) != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  if (statistics->n_phrases <= MAX_PHRASES)
    {
      tf = tf_buffer;
      memset (tf, 0, sizeof tf_buffer);
    }
  else
    tf = tf_heap = g_new0 (double, statistics->n_phrases);

  for (int i = 0; i < n_inst; i++)
    {
      int phrase, column, offset;

      if (api->xInst (fts, i, &phrase, &column, &offset) == SQLITE_OK &&
          phrase < statistics->n_phrases && column < statistics->n_columns)
        tf[phrase] += normalised[column];
    }

  for (int p = 0; p < statistics->n_phrases; p++)
    score += statistics->idf[p] * tf[p] / (K1 + tf[p]);

  sqlite3_result_double (context, -score);
}

/* cb_best_column(fts, c0, c1, ...): of the listed columns, the one with the
 * most matches, or -1 when none of them has one; for snippet() to show the
 * text rather than the title. */
static void
best_column (const Fts5ExtensionApi  *api,
             Fts5Context             *fts,
             sqlite3_context         *context,
             int                      n_values,
             sqlite3_value          **values)
{
  int counts[MAX_COLUMNS] = { 0 };
  int n_inst = 0;
  int best = -1, best_count = 0;
  int n_columns = api->xColumnCount (fts);

  if (api->xInstCount (fts, &n_inst) == SQLITE_OK)
    {
      for (int i = 0; i < n_inst; i++)
        {
          int phrase, column, offset;

          if (api->xInst (fts, i, &phrase, &column, &offset) == SQLITE_OK &&
              column >= 0 && column < (int) G_N_ELEMENTS (counts))
            counts[column]++;
        }
    }

  for (int v = 0; v < n_values; v++)
    {
      int column = sqlite3_value_int (values[v]);

      if (column >= 0 && column < MIN (n_columns, (int) G_N_ELEMENTS (counts)) && counts[column] > best_count)
        {
          best = column;
          best_count = counts[column];
        }
    }

  sqlite3_result_int (context, best);
}

/**
 * cb_rank_register:
 * @db: a connection
 *
 * Makes cb_bm25f() available to FTS5 queries on @db.
 *
 * Returns: an SQLite result code
 */
int
cb_rank_register (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;

  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  rc = sqlite3_finalize (stmt);
  if (rc != SQLITE_OK)
    return rc;
  if (api == NULL)
    return SQLITE_ERROR;

  rc = api->xCreateFunction (api, "cb_bm25f", NULL, bm25f, NULL);
  if (rc != SQLITE_OK)
    return rc;

  return api->xCreateFunction (api, "cb_best_column", NULL, best_column, NULL);
}

/* SQLite's variable-length integers, as FTS5 writes them in its docsize
 * table: big-endian groups of 7 bits, a set high bit meaning more follow,
 * and a ninth byte of 8 bits. Returns the bytes read, or 0 when @p runs
 * past @end. */
static guint
read_varint (const guchar *p,
             const guchar *end,
             guint64      *value)
{
  guint64 v = 0;

  for (guint i = 0; i < 9 && p + i < end; i++)
    {
      if (i == 8)
        {
          *value = (v << 8) | p[i];
          return 9;
        }

      v = (v << 7) | (p[i] & 0x7f);
      if ((p[i] & 0x80) == 0)
        {
          *value = v;
          return i + 1;
        }
    }

  return 0;
}

/**
 * cb_column_sizes_load:
 * @db: a connection
 * @fts_table: the name of an FTS5 table with the default columnsize=1
 * @n_columns: its columns
 * @n_rows: its rows, whose rowids must be 1 to @n_rows
 * @rc: (out): an SQLite result code
 *
 * Reads every row's column lengths from the table's docsize table.
 *
 * Returns: (transfer full) (nullable): the lengths, or %NULL when they
 *   cannot be read (@rc says why if SQLite failed) or do not describe
 *   exactly rows 1 to @n_rows, in which case ranking asks FTS5
 */
CbColumnSizes *
cb_column_sizes_load (sqlite3    *db,
                      const char *fts_table,
                      guint       n_columns,
                      guint       n_rows,
                      int        *rc)
{
  g_autoptr(CbColumnSizes) sizes = NULL;
  g_autofree guint8 *seen = NULL;
  sqlite3_stmt *stmt = NULL;
  char *sql;
  guint n_seen = 0;
  gboolean complete = TRUE;

  *rc = SQLITE_OK;
  if (n_columns == 0 || n_rows == 0 || n_rows > G_MAXUINT32 / n_columns)
    return NULL;

  sql = sqlite3_mprintf ("SELECT id, sz FROM \"%w_docsize\"", fts_table);
  *rc = sql ? sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) : SQLITE_NOMEM;
  sqlite3_free (sql);
  if (*rc != SQLITE_OK)
    return NULL;

  sizes = g_new0 (CbColumnSizes, 1);
  sizes->n_rows = n_rows;
  sizes->n_columns = n_columns;
  sizes->sizes = g_new0 (guint32, (gsize) n_rows * n_columns);
  seen = g_new0 (guint8, n_rows);

  while (complete && (*rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_int64 rowid = sqlite3_column_int64 (stmt, 0);
      const guchar *p = sqlite3_column_blob (stmt, 1);
      const guchar *end = p + sqlite3_column_bytes (stmt, 1);

      if (rowid < 1 || rowid > n_rows || seen[rowid - 1] || p == NULL)
        {
          complete = FALSE;
          break;
        }
      seen[rowid - 1] = 1;
      n_seen++;

      for (guint c = 0; c < n_columns; c++)
        {
          guint64 value;
          guint n = read_varint (p, end, &value);

          if (n == 0)
            {
              complete = FALSE;
              break;
            }
          sizes->sizes[(rowid - 1) * n_columns + c] = (guint32) MIN (value, G_MAXUINT32);
          p += n;
        }
    }

  if (*rc == SQLITE_DONE || *rc == SQLITE_ROW)
    *rc = SQLITE_OK;
  sqlite3_finalize (stmt);

  if (*rc != SQLITE_OK || !complete || n_seen != n_rows)
    return NULL;

  return g_steal_pointer (&sizes);
}

void
cb_column_sizes_free (CbColumnSizes *sizes)
{
  if (sizes == NULL)
    return;

  g_free (sizes->sizes);
  g_free (sizes);
}

/**
 * cb_column_sizes_bind:
 * @stmt: a statement calling cb_bm25f()
 * @param: the parameter given as its sizes argument
 * @sizes: (nullable): the column lengths, which must outlive the statement
 *   (or its next reset)
 *
 * Returns: an SQLite result code
 */
int
cb_column_sizes_bind (sqlite3_stmt  *stmt,
                      int            param,
                      CbColumnSizes *sizes)
{
  if (sizes == NULL)
    return sqlite3_bind_null (stmt, param);

  return sqlite3_bind_pointer (stmt, param, sizes, COLUMN_SIZES_TYPE, NULL);
}
