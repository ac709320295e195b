/* casebook-bench: how fast the store builds and searches, measured against
 * the straightforward way on the same database in the same run
 *
 *   casebook-bench [--corpus FILE | --items N [--seed S]] [--dir DIR] [--repeat R]
 *
 * It indexes a corpus (the bundled one by default; with --items, a
 * synthetic corpus of N items made from the bundled guide by cb-synth.c,
 * written to DIR/synth-N-S.xml unless that file exists) with
 * cb_store_sync() in DIR (a temporary folder by default), then runs a fixed
 * mix of 20 queries, each --repeat times, and prints percentiles of:
 *
 *   facets       cb_store_search(): the match, ranked ids and every facet
 *                count (counted in memory over the matching rows)
 *     naive      the same counts the straightforward way: one SQL GROUP BY
 *                over the match per dimension (cb_store_facets_in_sql())
 *   first page   cb_store_search() plus cb_store_snippets() for the first 50
 *                results: what the application does for one keystroke
 *     naive      FTS5 "... MATCH ? ORDER BY rank LIMIT 50" with snippet()
 *                (joined to the item rows, with the filters as SQL
 *                conditions, when the query has filters)
 *   index build  cb_store_sync() of the corpus into an empty index
 *     naive      a bulk load of the same item rows into a fresh database
 *                with the same items and FTS5 tables, in one transaction,
 *                then the FTS5 'rebuild' the store also ends with
 *
 * Generating the corpus and the bulk load run in child processes, so the
 * peak memory (ru_maxrss) of each step is its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cb-error.h"
#include "cb-store.h"
#include "cb-synth.h"
#include "cb-xml.h"

static const char *queries[] = {
  /* rare words */
  "hypertension", "Kukutai", "oximeter", "concordance",
  /* common words */
  "racism", "health", "equity data", "leadership staff",
  /* phrases */
  "\"social prescribing\"", "\"cultural safety\"", "\"health outcomes\"",
  /* prefixes */
  "prescrib*", "organis*", "equit*",
  /* with filters */
  "racism country:GB", "training kind:case", "data chapter:2", "equity type:community-co-design",
  "health design:rct country:US", "kind:case",
};

#define N_QUERIES G_N_ELEMENTS (queries)
#define PAGE_SIZE 50

typedef enum {
  OURS_FACETS,
  NAIVE_FACETS,
  OURS_PAGE,
  NAIVE_PAGE,
  N_SERIES
} SeriesId;

typedef enum {
  WALL,
  CPU,
  N_CLOCKS
} Clock;

typedef struct {
  GArray *all[N_CLOCKS];
  GArray *per_query[N_CLOCKS][N_QUERIES];
} Series;

typedef struct {
  double wall;
  double cpu;
} Stamp;

static double
now_us (void)
{
  return g_get_monotonic_time ();
}

/* CPU time of the process: what a step costs, whatever else the machine
 * is doing */
static double
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);

  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static Stamp
stamp (void)
{
  Stamp st = { now_us (), cpu_us () };

  return st;
}

static Stamp
since (Stamp start)
{
  Stamp st = { now_us () - start.wall, cpu_us () - start.cpu };

  return st;
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
     guint   query,
     Stamp   value)
{
  g_array_append_val (series->all[WALL], value.wall);
  g_array_append_val (series->per_query[WALL][query], value.wall);
  g_array_append_val (series->all[CPU], value.cpu);
  g_array_append_val (series->per_query[CPU][query], value.cpu);
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return usage.ru_maxrss / 1024.0;
}

static char *
load_average (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return g_strdup ("?");

  fields = g_strsplit (contents, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("?");

  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Child processes */

#define N_VALUES 4

typedef gboolean (*ChildFunc) (gpointer   data,
                               double     values[N_VALUES],
                               GError   **error);

/* Runs @func in a child process: its values come back through a pipe and
 * its peak memory through wait4() */
static gboolean
run_in_child (ChildFunc   func,
              gpointer    data,
              double      values[N_VALUES],
              double     *peak_mb,
              GError    **error)
{
  struct rusage usage;
  int fds[2];
  int status = 0;
  pid_t pid;
  gsize done = 0;

  if (pipe (fds) != 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_IO, "pipe: %s", g_strerror (errno));
      return FALSE;
    }

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_IO, "fork: %s", g_strerror (errno));
      close (fds[0]);
      close (fds[1]);
      return FALSE;
    }

  if (pid == 0)
    {
      double out[N_VALUES] = { 0 };
      GError *child_error = NULL;
      gboolean ok;

      close (fds[0]);
      ok = func (data, out, &child_error);
      if (!ok)
        g_printerr ("casebook-bench: %s\n", child_error ? child_error->message : "failed");
      if (write (fds[1], out, sizeof out) != (ssize_t) sizeof out)
        ok = FALSE;
      _exit (ok ? 0 : 1);
    }

  close (fds[1]);
  while (done < sizeof (double) * N_VALUES)
    {
      ssize_t n = read (fds[0], (char *) values + done, sizeof (double) * N_VALUES - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  close (fds[0]);

  while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
    ;
  *peak_mb = usage.ru_maxrss / 1024.0;

  if (done != sizeof (double) * N_VALUES || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_IO, "a child process failed");
      return FALSE;
    }

  return TRUE;
}

typedef struct {
  const char *guide;
  const char *path;
  guint       n_items;
  guint64     seed;
} Generate;

static gboolean
generate (gpointer   data,
          double     values[N_VALUES],
          GError   **error)
{
  Generate *gen = data;
  CbSynthStats stats = { 0 };
  Stamp start = stamp (), took;

  if (!cb_synth_write_corpus (gen->guide, gen->n_items, gen->seed, gen->path, &stats, error))
    return FALSE;

  took = since (start);
  values[0] = took.wall;
  values[1] = stats.n_bytes;
  values[2] = stats.n_references;
  values[3] = took.cpu;

  return TRUE;
}

typedef struct {
  const char *source;
  const char *target;
} BulkLoad;

static gboolean
sqlite_failed (sqlite3     *db,
               const char  *what,
               GError     **error)
{
  g_set_error (error, CB_ERROR, CB_ERROR_IO, "%s: %s", what, db ? sqlite3_errmsg (db) : "cannot open");

  return FALSE;
}

/* The item rows of the store's index, loaded (untimed) into memory, then
 * written (timed) into a fresh database with the same items and FTS5
 * tables in one transaction, ending with the FTS5 'rebuild'. Values: the
 * time, the size of the database, the size of its WAL, the CPU time. */
static gboolean
bulk_load (gpointer   data,
           double     values[N_VALUES],
           GError   **error)
{
  BulkLoad *load = data;
  sqlite3 *source = NULL, *target = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) schema = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *insert = NULL;
  g_autofree char *wal = g_strconcat (load->target, "-wal", NULL);
  int n_columns = 0;
  Stamp start, took;
  gboolean ok = TRUE;

  if (sqlite3_open_v2 (load->source, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return sqlite_failed (source, load->source, error);

  /* The tables as the store made them: items first, the FTS5 table over it */
  if (sqlite3_prepare_v2 (source, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name IN ('items', 'fts') "
                                  "ORDER BY name = 'fts'", -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_failed (source, "schema", error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (schema, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (schema->len != 2)
    {
      sqlite3_close (source);
      g_set_error (error, CB_ERROR, CB_ERROR_IO, "%s: no items and fts tables", load->source);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (source, "SELECT * FROM items ORDER BY ord", -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_failed (source, "items", error);
  n_columns = sqlite3_column_count (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < n_columns; c++)
      g_ptr_array_add (rows, sqlite3_value_dup (sqlite3_column_value (stmt, c)));
  sqlite3_finalize (stmt);
  sqlite3_close (source);

  {
    GString *sql = g_string_new ("INSERT INTO items VALUES (");

    for (int c = 0; c < n_columns; c++)
      g_string_append_printf (sql, "%s?%d", c ? ", " : "", c + 1);
    g_string_append_c (sql, ')');
    insert = g_string_free (sql, FALSE);
  }

  remove_database (load->target);
  if (sqlite3_open (load->target, &target) != SQLITE_OK ||
      sqlite3_exec (target, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (target, g_ptr_array_index (schema, 0), NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_exec (target, g_ptr_array_index (schema, 1), NULL, NULL, NULL) != SQLITE_OK)
    ok = sqlite_failed (target, load->target, error);

  start = stamp ();
  if (ok && (sqlite3_exec (target, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
             sqlite3_prepare_v2 (target, insert, -1, &stmt, NULL) != SQLITE_OK))
    ok = sqlite_failed (target, "insert", error);

  for (guint r = 0; ok && r < rows->len; r += n_columns)
    {
      for (int c = 0; c < n_columns; c++)
        sqlite3_bind_value (stmt, c + 1, g_ptr_array_index (rows, r + c));
      if (sqlite3_step (stmt) != SQLITE_DONE)
        ok = sqlite_failed (target, "insert", error);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  if (ok && (sqlite3_exec (target, "INSERT INTO fts (fts) VALUES ('rebuild')", NULL, NULL, NULL) != SQLITE_OK ||
             sqlite3_exec (target, "COMMIT", NULL, NULL, NULL) != SQLITE_OK))
    ok = sqlite_failed (target, "rebuild", error);

  took = since (start);
  values[0] = took.wall;
  values[1] = file_size (load->target);
  values[2] = file_size (wal);
  values[3] = took.cpu;

  sqlite3_close (target);
  for (guint i = 0; i < rows->len; i++)
    sqlite3_value_free (g_ptr_array_index (rows, i));

  return ok;
}

/* The naive first page */

static void
append_filter_sql (GString  *sql,
                   CbFacet   facet,
                   guint     n_values,
                   guint    *param)
{
  static const char *opening[] = {
    [CB_FACET_KIND] = " AND items.kind IN (",
    [CB_FACET_CHAPTER] = " AND CAST(items.chapter AS TEXT) IN (",
    [CB_FACET_COUNTRY] = " AND EXISTS (SELECT 1 FROM item_countries f WHERE f.item = items.ord AND f.code IN (",
    [CB_FACET_INTERVENTION] = " AND EXISTS (SELECT 1 FROM item_interventions f WHERE f.item = items.ord AND f.type IN (",
    [CB_FACET_DESIGN] = " AND items.design IN (",
  };

  g_string_append (sql, opening[facet]);
  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (sql, "%s?%u", i ? ", " : "", (*param)++);
  g_string_append (sql, facet == CB_FACET_COUNTRY || facet == CB_FACET_INTERVENTION ? "))" : ")");
}

/* FTS5 "MATCH ? ORDER BY rank LIMIT 50" with snippet(); with filters, the
 * same joined to the item rows with the filters as SQL conditions; with
 * filters only, the first 50 matching rows in guide order with their
 * opening text. Returns the number of rows. */
static guint
naive_page (sqlite3 *db,
            CbQuery *query)
{
  const char *match = cb_query_get_match (query);
  const char *exclude = cb_query_get_exclude (query);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *expression = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean filtered = FALSE;
  guint param = 1, n = 0;

  for (guint f = 0; f < CB_N_FACETS; f++)
    filtered = filtered || cb_query_get_filter (query, f)->len > 0;

  if (match != NULL)
    {
      expression = exclude ? g_strdup_printf ("(%s) NOT (%s)", match, exclude) : g_strdup (match);
      param++;
      if (!filtered)
        g_string_append (sql, "SELECT rowid, snippet(fts, -1, '[', ']', '…', 24) FROM fts "
                              "WHERE fts MATCH ?1 ORDER BY rank LIMIT 50");
      else
        g_string_append (sql, "SELECT items.ord, snippet(fts, -1, '[', ']', '…', 24) FROM fts "
                              "JOIN items ON items.ord = fts.rowid WHERE fts MATCH ?1 AND items.status = 0");
    }
  else
    {
      g_string_append (sql, "SELECT ord, substr(coalesce(nullif(body, ''), findings, title), 1, 240) "
                            "FROM items WHERE status = 0");
      if (exclude != NULL)
        {
          expression = g_strdup (exclude);
          param++;
          g_string_append (sql, " AND ord NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?1)");
        }
    }

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      guint count = cb_query_get_filter (query, f)->len;

      if (count > 0)
        append_filter_sql (sql, f, count, &param);
    }

  if (match != NULL && filtered)
    g_string_append (sql, " ORDER BY rank LIMIT 50");
  else if (match == NULL)
    g_string_append (sql, " ORDER BY ord LIMIT 50");

  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("casebook-bench: %s\n", sqlite3_errmsg (db));
      return 0;
    }

  param = 1;
  if (expression != NULL)
    sqlite3_bind_text (stmt, param++, expression, -1, SQLITE_STATIC);
  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *filter = cb_query_get_filter (query, f);

      for (guint i = 0; i < filter->len; i++)
        sqlite3_bind_text (stmt, param++, g_ptr_array_index (filter, i), -1, SQLITE_STATIC);
    }

  while (sqlite3_step (stmt) == SQLITE_ROW)
    n++;
  sqlite3_finalize (stmt);

  return n;
}

/* What the index build spends before SQLite, step by step: each step is
 * measured on its own, the later ones including the earlier ones' work */

static gboolean
checksum_file (const char *path)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  guchar buffer[65536];
  gssize n;

  if (stream == NULL)
    return FALSE;

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL, NULL)) > 0)
    g_checksum_update (checksum, buffer, n);

  return n == 0 && g_checksum_get_string (checksum) != NULL;
}

static gboolean
parse_file (const char *path,
            gboolean    validate)
{
  xmlTextReaderPtr reader;
  gboolean valid = TRUE;
  int ret;

  cb_xml_init ();
  if ((reader = xmlReaderForFile (path, NULL, CB_XML_PARSE_OPTIONS)) == NULL)
    return FALSE;
  if (validate && xmlTextReaderRelaxNGSetSchema (reader, cb_xml_get_schema ("corpus", NULL)) != 0)
    valid = FALSE;

  while ((ret = xmlTextReaderRead (reader)) == 1)
    ;

  if (validate && xmlTextReaderIsValid (reader) != 1)
    valid = FALSE;
  xmlFreeTextReader (reader);

  return ret == 0 && valid;
}

static gboolean
read_items (const char *path)
{
  g_autoptr(CbCorpus) outline = cb_corpus_new ();

  return cb_corpus_read_streaming (path, outline, NULL, NULL, NULL, NULL);
}

/* Output */

static void
print_ratio_row (const char *name,
                 GArray     *ours,
                 GArray     *naive,
                 double      target)
{
  double ratio50 = quantile (ours, 0.5) / MAX (quantile (naive, 0.5), 1);
  double ratio95 = quantile (ours, 0.95) / MAX (quantile (naive, 0.95), 1);

  g_print ("%-12s %9.0f %9.0f %9.0f  %9.0f %9.0f %9.0f  %6.2fx %6.2fx", name,
           quantile (ours, 0.5), quantile (ours, 0.95), quantile (ours, 0.99),
           quantile (naive, 0.5), quantile (naive, 0.95), quantile (naive, 0.99), ratio50, ratio95);
  if (target > 0)
    g_print ("  <= %.1fx %s", target, ratio50 <= target ? "met" : "MISSED");
  g_print ("\n");
}

static void
print_query_table (Series     *series,
                   Clock       clock,
                   const char *title)
{
  g_print ("%-12s %29s  %29s  %15s\n", title, "ours", "naive", "ours / naive");
  g_print ("%-12s %9s %9s %9s  %9s %9s %9s  %7s %7s  %s\n", "(µs)", "p50", "p95", "p99", "p50", "p95", "p99",
           "p50", "p95", clock == WALL ? "target (p50)" : "");
  print_ratio_row ("facets", series[OURS_FACETS].all[clock], series[NAIVE_FACETS].all[clock],
                   clock == WALL ? 0.3 : 0);
  print_ratio_row ("first page", series[OURS_PAGE].all[clock], series[NAIVE_PAGE].all[clock],
                   clock == WALL ? 0.8 : 0);
}

static void
measure (Stamp      *total,
         const char *what,
         gboolean  (*func) (const char *path),
         const char *path)
{
  Stamp start = stamp ();

  if (!func (path))
    g_printerr ("casebook-bench: %s failed\n", what);
  *total = since (start);
}

static gboolean
validate_file (const char *path)
{
  return parse_file (path, TRUE);
}

static gboolean
parse_only (const char *path)
{
  return parse_file (path, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *corpus = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *bulk_path = NULL;
  g_autofree char *load_before = NULL;
  g_autofree char *load_after = NULL;
  int repeat = 50;
  int n_items = 0;
  gint64 seed = 1;
  gboolean generate_only = FALSE;
  GOptionEntry entries[] = {
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, &corpus, "The corpus to index (default: the bundled one)", "FILE" },
    { "items", 'n', 0, G_OPTION_ARG_INT, &n_items, "Index a synthetic corpus of N items instead", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the synthetic corpus (default 1)", "S" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where to keep the corpus and the index (default: a temporary folder)", "DIR" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Runs of each query (default 50)", "R" },
    { "generate-only", 0, 0, G_OPTION_ARG_NONE, &generate_only, "Write the synthetic corpus, print its SHA-256 and stop", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Casebook's benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  Series series[N_SERIES];
  guint hits[N_QUERIES] = { 0 }, naive_rows[N_QUERIES] = { 0 };
  double values[N_VALUES] = { 0 };
  double gen_peak = 0, bulk_peak = 0, build_peak, query_peak;
  Stamp start, build, bulk = { 0, 0 }, reopen, sha, parse, validate, items;
  gint64 db_size, wal_size, corpus_size, bulk_size = 0, bulk_wal = 0;
  gboolean temporary = FALSE, generated = FALSE, corpus_is_temporary = FALSE;
  sqlite3 *db;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 2;
    }
  if (n_items < 0 || repeat < 1 || seed < 0 || (n_items > 0 && corpus != NULL) || (generate_only && n_items == 0))
    {
      g_printerr ("casebook-bench: use --corpus or --items N (N > 0), --repeat at least 1, --seed at least 0\n");
      return 2;
    }

  load_before = load_average ();

  if (dir == NULL)
    {
      if ((dir = g_dir_make_tmp ("casebook-bench-XXXXXX", &error)) == NULL)
        {
          g_printerr ("casebook-bench: %s\n", error->message);
          return 1;
        }
      temporary = TRUE;
    }
  else if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_printerr ("casebook-bench: %s: %s\n", dir, g_strerror (errno));
      return 1;
    }

  /* The corpus */
  if (n_items > 0)
    {
      g_autofree char *name = g_strdup_printf ("synth-%d-%" G_GINT64_FORMAT ".xml", n_items, seed);
      g_autofree char *guide = cb_get_bundled_corpus_path ();

      corpus = g_build_filename (dir, name, NULL);
      corpus_is_temporary = temporary;
      if (!g_file_test (corpus, G_FILE_TEST_EXISTS))
        {
          Generate gen = { guide, corpus, n_items, seed };

          if (!run_in_child (generate, &gen, values, &gen_peak, &error))
            {
              g_printerr ("casebook-bench: generating %s: %s\n", corpus, error->message);
              return 1;
            }
          generated = TRUE;
          g_print ("Generated %s: %d items, %.0f references, %.1f MB in %.1f s (CPU %.1f s); peak memory %.1f MB\n",
                   corpus, n_items, values[2], values[1] / 1e6, values[0] / 1e6, values[3] / 1e6, gen_peak);
        }
      if (generate_only)
        {
          g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
          g_autoptr(GMappedFile) mapped = g_mapped_file_new (corpus, FALSE, NULL);

          if (mapped != NULL)
            {
              g_checksum_update (checksum, (const guchar *) g_mapped_file_get_contents (mapped),
                                 g_mapped_file_get_length (mapped));
              g_print ("%s  %s\n", g_checksum_get_string (checksum), corpus);
            }
          return mapped != NULL ? 0 : 1;
        }
    }
  else if (corpus == NULL)
    corpus = cb_get_bundled_corpus_path ();
  corpus_size = file_size (corpus);

  /* Our index build */
  db_path = g_build_filename (dir, "bench.sqlite", NULL);
  bulk_path = g_build_filename (dir, "bulk.sqlite", NULL);
  remove_database (db_path);

  for (guint s = 0; s < N_SERIES; s++)
    for (guint c = 0; c < N_CLOCKS; c++)
      {
        series[s].all[c] = g_array_new (FALSE, FALSE, sizeof (double));
        for (guint q = 0; q < N_QUERIES; q++)
          series[s].per_query[c][q] = g_array_new (FALSE, FALSE, sizeof (double));
      }

  if ((store = cb_store_open (db_path, &error)) == NULL)
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 1;
    }

  start = stamp ();
  if (!cb_store_sync (store, corpus, TRUE, NULL, NULL, NULL, NULL, &error))
    {
      g_printerr ("casebook-bench: %s\n", error->message);
      return 1;
    }
  build = since (start);
  build_peak = peak_rss_mb ();
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);

    db_size = file_size (db_path);
    wal_size = file_size (wal);
  }

  /* Opening the built index, as the application does when it starts:
   * cb_store_open() loads the catalog */
  {
    g_autoptr(CbStore) again = NULL;

    start = stamp ();
    if ((again = cb_store_open (db_path, &error)) == NULL)
      {
        g_printerr ("casebook-bench: reopening: %s\n", error->message);
        return 1;
      }
    reopen = since (start);
  }

  /* The steps of the build before SQLite, each on its own */
  measure (&sha, "SHA-256", checksum_file, corpus);
  measure (&parse, "parsing", parse_only, corpus);
  measure (&validate, "validating", validate_file, corpus);
  measure (&items, "reading", read_items, corpus);

  /* The queries */
  sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL);

  for (int r = 0; r < repeat; r++)
    {
      for (guint q = 0; q < N_QUERIES; q++)
        {
          g_autoptr(CbQuery) query = cb_query_parse (queries[q], cb_store_get_taxonomy (store));
          g_autoptr(CbSearchResults) results = NULL;
          Stamp t0, t1;

          t0 = stamp ();
          results = cb_store_search (store, query, NULL, NULL);
          add (&series[OURS_FACETS], q, since (t0));
          {
            guint page[PAGE_SIZE];
            guint n = MIN (PAGE_SIZE, cb_search_results_get_n_hits (results));
            g_autoptr(GPtrArray) snippets = NULL;

            for (guint i = 0; i < n; i++)
              page[i] = i;
            snippets = cb_store_snippets (store, results, page, n, "[", "]", NULL);
          }
          add (&series[OURS_PAGE], q, since (t0));
          hits[q] = cb_search_results_get_n_hits (results);

          t1 = stamp ();
          for (guint f = 0; f < CB_N_FACETS; f++)
            g_hash_table_unref (cb_store_facets_in_sql (store, query, f, NULL));
          add (&series[NAIVE_FACETS], q, since (t1));

          t1 = stamp ();
          naive_rows[q] = naive_page (db, query);
          add (&series[NAIVE_PAGE], q, since (t1));
        }
    }

  sqlite3_close (db);
  query_peak = peak_rss_mb ();

  /* The bulk load of the same rows */
  {
    BulkLoad load = { db_path, bulk_path };

    if (!run_in_child (bulk_load, &load, values, &bulk_peak, &error))
      {
        g_printerr ("casebook-bench: bulk load: %s\n", error->message);
        return 1;
      }
    bulk.wall = values[0];
    bulk.cpu = values[3];
    bulk_size = values[1];
    bulk_wal = values[2];
    remove_database (bulk_path);
  }

  load_after = load_average ();

  /* The report */
  if (n_items > 0)
    g_print ("Corpus: synthetic, %u items (seed %" G_GINT64_FORMAT "), %.1f MB%s\n", cb_store_get_n_items (store), seed,
             corpus_size / 1e6, generated ? "" : " (reused)");
  else
    g_print ("Corpus: %s (%u items), %.1f MB\n", corpus, cb_store_get_n_items (store), corpus_size / 1e6);
  g_print ("Load average: %s before, %s after (%u CPUs)\n\n", load_before, load_after, g_get_num_processors ());

  print_query_table (series, WALL, "wall clock");
  g_print ("\n");
  print_query_table (series, CPU, "CPU time");
  g_print ("(%u queries x %d runs; facets: cb_store_search() vs SQL GROUP BY x %d; first page: search + %d "
           "snippets vs ORDER BY rank LIMIT %d with snippet())\n\n",
           (guint) N_QUERIES, repeat, CB_N_FACETS, PAGE_SIZE, PAGE_SIZE);

  g_print ("%-12s %10s %10s %10s  %s\n", "index build", "ours", "bulk load", "ours/bulk", "target");
  g_print ("%-12s %8.2f s %8.2f s %9.2fx  <= 1.3x %s\n", "wall clock", build.wall / 1e6, bulk.wall / 1e6,
           build.wall / MAX (bulk.wall, 1), build.wall / MAX (bulk.wall, 1) <= 1.3 ? "met" : "MISSED");
  g_print ("%-12s %8.2f s %8.2f s %9.2fx\n", "CPU time", build.cpu / 1e6, bulk.cpu / 1e6, build.cpu / MAX (bulk.cpu, 1));
  g_print ("%-12s %7.1f MB %7.1f MB %9.2fx\n", "database", (db_size + wal_size) / 1e6, (bulk_size + bulk_wal) / 1e6,
           (double) (db_size + wal_size) / MAX (bulk_size + bulk_wal, 1));
  g_print ("%-12s %7.1f MB %7.1f MB   (of the above: the write-ahead log left beside the file)\n", "  WAL",
           wal_size / 1e6, bulk_wal / 1e6);
  g_print ("%-12s %8.2f s (CPU %.2f s): cb_store_open() of the built index, as at start-up\n", "reopen",
           reopen.wall / 1e6, reopen.cpu / 1e6);
  g_print ("CPU time of the steps before SQLite, each measured alone: SHA-256 %.2f s; XML parse %.2f s; "
           "parse + RelaxNG validation %.2f s; + building the items (cb_corpus_read_streaming) %.2f s\n\n",
           sha.cpu / 1e6, parse.cpu / 1e6, validate.cpu / 1e6, items.cpu / 1e6);

  g_print ("Peak memory (ru_maxrss): index build %.1f MB, after the queries %.1f MB; "
           "bulk load %.1f MB (its rows held in memory)", build_peak, query_peak, bulk_peak);
  if (generated)
    g_print ("; corpus generation %.1f MB", gen_peak);
  g_print ("\n");

  g_print ("\nPer query: p50 CPU µs       %8s %10s %10s %10s %10s\n", "hits", "facets", "naive", "page", "naive");
  for (guint q = 0; q < N_QUERIES; q++)
    g_print ("  %-32s %8u %10.0f %10.0f %10.0f %10.0f%s\n", queries[q], hits[q],
             quantile (series[OURS_FACETS].per_query[CPU][q], 0.5),
             quantile (series[NAIVE_FACETS].per_query[CPU][q], 0.5),
             quantile (series[OURS_PAGE].per_query[CPU][q], 0.5),
             quantile (series[NAIVE_PAGE].per_query[CPU][q], 0.5),
             naive_rows[q] != MIN (hits[q], PAGE_SIZE) ? " (naive rows differ)" : "");

  g_clear_object (&store);
  if (temporary)
    {
      remove_database (db_path);
      if (corpus_is_temporary)
        g_unlink (corpus);
      g_rmdir (dir);
    }

  for (guint s = 0; s < N_SERIES; s++)
    for (guint c = 0; c < N_CLOCKS; c++)
      {
        g_array_unref (series[s].all[c]);
        for (guint q = 0; q < N_QUERIES; q++)
          g_array_unref (series[s].per_query[c][q]);
      }

  return 0;
}
