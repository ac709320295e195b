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
 * Used as cb_bm25f(fts, w0, w1, ...); it returns minus the score, like
 * bm25(), so that smaller is better. cb_best_column() helps snippets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <glib.h>
#include <math.h>

#include "cb-rank.h"

#define K1 1.2
#define B 0.75

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
  Statistics *statistics;
  double weights[16];
  double normalised[16];
  double *tf;
  double score = 0;
  int n_inst = 0;
  int rc = SQLITE_OK;

  if ((statistics = get_statistics (api, fts, &rc)) == NULL)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  if (statistics->n_columns > (int) G_N_ELEMENTS (weights))
    {
      sqlite3_result_error (context, "cb_bm25f: too many columns", -1);
      return;
    }

  for (int c = 0; c < statistics->n_columns; c++)
    {
      int length = 0;

      weights[c] = c < n_values ? sqlite3_value_double (values[c]) : 1.0;
      if ((rc = api->xColumnSize (fts, c, &length)) != SQLITE_OK)
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

  tf = g_new0 (double, MAX (statistics->n_phrases, 1));
  for (int i = 0; i < n_inst; i++)
    {
      int phrase, column, offset;

      if (api->xInst (fts, i, &phrase, &column, &offset) == SQLITE_OK &&
          phrase < statistics->n_phrases && column < statistics->n_columns)
        tf[phrase] += normalised[column];
    }

  for (int p = 0; p < statistics->n_phrases; p++)
    score += statistics->idf[p] * tf[p] / (K1 + tf[p]);

  g_free (tf);
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
  int counts[16] = { 0 };
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
