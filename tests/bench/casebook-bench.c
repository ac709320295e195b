/* casebook-bench: how fast the store builds and searches, measured against
 * the straightforward way on the same database in the same run
 *
 *   casebook-bench [--corpus FILE] [--dir DIR] [--repeat N]
 *
 * It builds the index of the corpus (the bundled one by default) in DIR (a
 * temporary folder by default), then runs a fixed mix of 20 queries, each
 * --repeat times, and prints percentiles of:
 *
 *   search   cb_store_search(): the match, ranked ids and every facet
 *            count (counted in memory over the matching rows)
 *   sql      the same facet counts the straightforward way: one SQL
 *            GROUP BY over the match per dimension
 *   page     search plus the snippets of the first 50 results
 *   naive    FTS5 "ORDER BY rank LIMIT 50" with snippet()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/resource.h>

#include "cb-store.h"
#include "cb-xml.h"

static const char *queries[] = {
  /* rare words */
  "hypertension", "Kukutai", "oximeter", "concordance",
  /* common words */
  "racism", "health", "equity data", "leadership staff",
  /* phrases */
  "\"social prescribing\"", "\"cultural safety\"", "\"health outcomes\"",
  /* prefixes */
  "prescrib*", "communit*", "equit*",
  /* with filters */
  "racism country:GB", "training kind:case", "data chapter:2", "equity type:community-co-design",
  "health design:rct country:US", "kind:case",
};

typedef struct {
  const char *name;
  GArray     *samples;
} Series;

static double
now_us (void)
{
  return g_get_monotonic_time ();
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
quantile (GArray *samples,
          double  q)
{
  g_autoptr(GArray) sorted = g_array_copy (samples);
  guint index;

  if (sorted->len == 0)
    return 0;

  g_array_sort (sorted, compare_doubles);
  index = (guint) MIN (sorted->len - 1, (guint) (q * (sorted->len - 1) + 0.5));

  return g_array_index (sorted, double, index);
}

static void
add (Series *series,
     double  value)
{
  g_array_append_val (series->samples, value);
}

static void
naive_page (sqlite3    *db,
            const char *match)
{
  sqlite3_stmt *stmt = NULL;

  if (match == NULL)
    return;

  sqlite3_prepare_v2 (db, "SELECT rowid, snippet(fts, -1, '[', ']', '…', 24) FROM fts WHERE fts MATCH ?1 "
                          "ORDER BY rank LIMIT 50", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_finalize (stmt);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *corpus = NULL;
  g_autofree char *dir = NULL;
  int repeat = 50;
  GOptionEntry entries[] = {
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, &corpus, "The corpus to index (default: the bundled one)", "FILE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where to build the index (default: a temporary folder)", "DIR" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Runs of each query (default 50)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Casebook's benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autofree char *db_path = NULL;
  Series search = { "search: match, rank, all facets in memory" },
         sql = { "naive facets: SQL GROUP BY x 5" },
         page = { "first page of 50 with snippets" },
         naive = { "naive page: ORDER BY rank LIMIT 50" };
  Series *all[] = { &search, &sql, &page, &naive };
  sqlite3 *db;
  double start, build;
  gboolean temporary = FALSE;
  GStatBuf st;
  struct rusage usage;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 2;
    }

  if (corpus == NULL)
    corpus = cb_get_bundled_corpus_path ();
  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("casebook-bench-XXXXXX", &error);
      temporary = TRUE;
    }
  db_path = g_build_filename (dir, "bench.sqlite", NULL);
  g_unlink (db_path);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    all[i]->samples = g_array_new (FALSE, FALSE, sizeof (double));

  if ((store = cb_store_open (db_path, &error)) == NULL)
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 1;
    }

  start = now_us ();
  if (!cb_store_sync (store, corpus, TRUE, NULL, NULL, NULL, NULL, &error))
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 1;
    }
  build = now_us () - start;
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    GStatBuf wal_st = { 0 };

    g_stat (db_path, &st);
    if (g_stat (wal, &wal_st) == 0)
      st.st_size += wal_st.st_size;
  }

  sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL);

  for (int r = 0; r < repeat; r++)
    {
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autoptr(CbQuery) query = cb_query_parse (queries[q], cb_store_get_taxonomy (store));
          g_autoptr(CbSearchResults) results = NULL;
          double t0, t1, t2;

          t0 = now_us ();
          results = cb_store_search (store, query, NULL, NULL);
          t1 = now_us ();
          for (guint i = 0; i < MIN (50, cb_search_results_get_n_hits (results)); i++)
            g_free (cb_store_snippet (store, results, i, "[", "]", NULL));
          t2 = now_us ();
          add (&search, t1 - t0);
          add (&page, t2 - t0);

          t0 = now_us ();
          for (guint f = 0; f < CB_N_FACETS; f++)
            g_hash_table_unref (cb_store_facets_in_sql (store, query, f, NULL));
          add (&sql, now_us () - t0);

          t0 = now_us ();
          naive_page (db, cb_query_get_match (query));
          add (&naive, now_us () - t0);
        }
    }

  sqlite3_close (db);
  getrusage (RUSAGE_SELF, &usage);

  g_print ("Corpus: %s (%u items)\n", corpus, cb_store_get_n_items (store));
  g_print ("Index build: %.1f ms; database %.1f MB\n", build / 1000, st.st_size / 1e6);
  g_print ("%u queries x %d runs; times in microseconds\n\n", (guint) G_N_ELEMENTS (queries), repeat);
  g_print ("%-44s %10s %10s %10s\n", "", "p50", "p95", "p99");
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_print ("%-44s %10.1f %10.1f %10.1f\n", all[i]->name, quantile (all[i]->samples, 0.5),
             quantile (all[i]->samples, 0.95), quantile (all[i]->samples, 0.99));
  g_print ("\nRatios (ours / naive, p50): first page %.2fx; facets %.2fx\n",
           quantile (page.samples, 0.5) / MAX (quantile (naive.samples, 0.5), 1),
           quantile (search.samples, 0.5) / MAX (quantile (sql.samples, 0.5), 1));
  g_print ("Peak memory: %.1f MB\n", usage.ru_maxrss / 1024.0);

  if (temporary)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      g_clear_object (&store);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

          g_unlink (path);
        }
      g_rmdir (dir);
    }

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_array_unref (all[i]->samples);

  return 0;
}
