/* test-store.c: the search index: golden searches, facet counts checked
 * against independent counts, rebuild rules, hostile input, bad databases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cb-error.h"
#include "cb-rank.h"
#include "cb-store.h"
#include "cb-xml.h"

typedef struct {
  char    *dir;
  char    *db_path;
  CbStore *store;
} Fixture;

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casebook-store-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *corpus = cb_get_bundled_corpus_path ();
  g_autoptr(GError) error = NULL;
  gboolean rebuilt = FALSE;

  fixture->dir = temp_dir ();
  fixture->db_path = g_build_filename (fixture->dir, "index.sqlite", NULL);
  fixture->store = cb_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_sync (fixture->store, corpus, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_no_error (error);
  g_assert_true (rebuilt);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static CbSearchResults *
search (Fixture    *fixture,
        const char *text)
{
  g_autoptr(CbQuery) query = cb_query_parse (text, cb_store_get_taxonomy (fixture->store));
  g_autoptr(GError) error = NULL;
  CbSearchResults *results = cb_store_search (fixture->store, query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);

  return results;
}

/* The golden file: queries and the ids their results must start with */
static void
test_golden (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("CASEBOOK_GOLDEN"), "search.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint checked = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) expected = NULL;
      g_autoptr(CbSearchResults) results = NULL;
      guint n_expected;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;

      fields = g_strsplit (lines[i], "\t", 2);
      g_assert_nonnull (fields[1]);
      expected = g_strsplit (fields[1], " ", -1);
      results = search (fixture, fields[0]);
      n_expected = g_str_equal (fields[1], "-") ? 0 : g_strv_length (expected);

      if (n_expected == 0 && cb_search_results_get_n_hits (results) != 0)
        g_error ("line %u: “%s” should match nothing but matches %s", i + 1, fields[0],
                 cb_search_results_get_id (results, 0));

      for (guint e = 0; e < n_expected; e++)
        {
          const char *got = e < cb_search_results_get_n_hits (results)
            ? cb_search_results_get_id (results, e) : "(nothing)";

          if (!g_str_equal (got, expected[e]))
            g_error ("line %u: “%s”: result %u is %s, expected %s", i + 1, fields[0], e + 1, got, expected[e]);
        }

      checked++;
    }

  g_assert_cmpuint (checked, >=, 25);
}

static void
test_empty_query_lists_everything (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(CbSearchResults) results = search (fixture, "");
  g_autofree char *corpus_path = cb_get_bundled_corpus_path ();
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (corpus_path, NULL);
  GPtrArray *items = cb_corpus_get_items (corpus);

  /* Everything, in guide order */
  g_assert_cmpuint (cb_search_results_get_n_hits (results), ==, items->len);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpstr (cb_search_results_get_id (results, i), ==, cb_item_get_id (g_ptr_array_index (items, i)));
}

static void
test_ranking_ties_in_guide_order (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(CbSearchResults) results = search (fixture, "racism");

  for (guint i = 1; i < cb_search_results_get_n_hits (results); i++)
    {
      double previous = cb_search_results_get_score (results, i - 1);
      double score = cb_search_results_get_score (results, i);

      g_assert_cmpfloat (previous, >=, score);
    }
}

static void
test_snippets (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CbSearchResults) results = search (fixture, "pulse oximeter");
  g_autoptr(CbSearchResults) all = search (fixture, "kind:case country:GB");
  g_autoptr(GError) error = NULL;
  g_autofree char *snippet = NULL;
  g_autofree char *lead = NULL;

  g_assert_cmpstr (cb_search_results_get_id (results, 0), ==, "case_study:6.2.1");
  snippet = cb_store_snippet (fixture->store, results, 0, "\x01", "\x02", &error);
  g_assert_no_error (error);
  /* Marked with the caller's marks, stems included */
  g_assert_nonnull (strstr (snippet, "\x01pulse\x02"));
  g_assert_nonnull (strstr (snippet, "\x01oximeters\x02"));
  g_assert_null (strchr (snippet, '\n'));

  /* No words to match: the opening words */
  for (guint i = 0; i < cb_search_results_get_n_hits (all); i++)
    {
      if (g_str_equal (cb_search_results_get_id (all, i), "case_study:6.2.1"))
        lead = cb_store_snippet (fixture->store, all, i, "[", "]", &error);
    }
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (lead, "In July 2021, the NHS Race and Health Observatory"));
  g_assert_true (g_str_has_suffix (lead, "…"));
}

/* Facet counts as the store gives them against SQL GROUP BY counts, over
 * many queries and filter combinations. */
static void
compare_facets (Fixture *fixture,
                CbQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSearchResults) results = cb_store_search (fixture->store, query, NULL, &error);

  g_assert_no_error (error);

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      g_autoptr(GHashTable) expected = cb_store_facets_in_sql (fixture->store, query, f, &error);
      GArray *counts = cb_search_results_get_facet (results, f);
      guint nonzero = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < counts->len; i++)
        {
          CbFacetCount *count = &g_array_index (counts, CbFacetCount, i);
          guint sql_count = GPOINTER_TO_UINT (g_hash_table_lookup (expected, count->value));

          if (sql_count != count->count)
            g_error ("“%s”: %s=%s: %u in memory, %u by SQL", cb_query_get_text (query),
                     cb_facet_to_string (f), count->value, count->count, sql_count);
          nonzero += count->count > 0;
        }
      g_assert_cmpuint (nonzero, ==, g_hash_table_size (expected));
    }
}

static void
test_facets_match_sql (Fixture       *fixture,
                       gconstpointer  data)
{
  CbTaxonomy *taxonomy = cb_store_get_taxonomy (fixture->store);
  const char *texts[] = { "", "racism", "training -cultural", "data OR leadership", "-racism", "communit*",
                          "zzzz" };
  const char *filter_sets[][3] = {
    { NULL },
    { "country:GB", NULL },
    { "country:GB", "country:US", NULL },
    { "kind:case", "chapter:4", NULL },
    { "type:community-co-design", "design:case-description", NULL },
    { "chapter:2", "chapter:5", NULL },
  };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (guint s = 0; s < G_N_ELEMENTS (filter_sets); s++)
      {
        g_autoptr(GString) text = g_string_new (texts[t]);
        g_autoptr(CbQuery) query = NULL;

        for (guint f = 0; filter_sets[s][f]; f++)
          g_string_append_printf (text, " %s", filter_sets[s][f]);
        query = cb_query_parse (text->str, taxonomy);
        compare_facets (fixture, query);
      }
}

/* Filter-only counts against counts made from the corpus file itself */
static void
test_facets_match_corpus (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *corpus_path = cb_get_bundled_corpus_path ();
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (corpus_path, NULL);
  g_autoptr(CbSearchResults) results = search (fixture, "kind:case");
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *items = cb_corpus_get_items (corpus);
  guint cases = 0, boxes = 0;
  GArray *facet;

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);

      if (cb_item_get_kind (item) == CB_ITEM_KIND_INSET_BOX)
        boxes++;
      if (cb_item_get_kind (item) != CB_ITEM_KIND_CASE_STUDY)
        continue;
      cases++;
      for (guint c = 0; c < cb_item_get_countries (item)->len; c++)
        {
          const char *code = g_ptr_array_index (cb_item_get_countries (item), c);

          g_hash_table_insert (countries, (gpointer) code,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (countries, code)) + 1));
        }
    }

  g_assert_cmpuint (cb_search_results_get_n_hits (results), ==, cases);
  /* The kind facet ignores its own filter: every kind keeps its count */
  g_assert_cmpuint (cb_search_results_get_facet_count (results, CB_FACET_KIND, "case_study"), ==, cases);
  g_assert_cmpuint (cb_search_results_get_facet_count (results, CB_FACET_KIND, "inset_box"), ==, boxes);

  facet = cb_search_results_get_facet (results, CB_FACET_COUNTRY);
  g_assert_cmpuint (facet->len, ==, g_hash_table_size (countries));
  for (guint i = 0; i < facet->len; i++)
    {
      CbFacetCount *count = &g_array_index (facet, CbFacetCount, i);

      g_assert_cmpuint (count->count, ==, GPOINTER_TO_UINT (g_hash_table_lookup (countries, count->value)));
    }
}

static void
test_filters_within_and_across (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CbSearchResults) gb = search (fixture, "country:GB");
  g_autoptr(CbSearchResults) us = search (fixture, "country:US");
  g_autoptr(CbSearchResults) either = search (fixture, "country:GB country:US");
  g_autoptr(CbSearchResults) both = search (fixture, "country:GB kind:case");
  g_autoptr(CbSearchResults) unknown = search (fixture, "country:Atlantis");
  GArray *facet;
  gboolean found = FALSE;

  /* No item is both British and American here, so "either" adds up */
  g_assert_cmpuint (cb_search_results_get_n_hits (either), ==,
                    cb_search_results_get_n_hits (gb) + cb_search_results_get_n_hits (us));
  g_assert_cmpuint (cb_search_results_get_n_hits (both), <, cb_search_results_get_n_hits (gb));
  for (guint i = 0; i < cb_search_results_get_n_hits (both); i++)
    g_assert_true (g_str_has_prefix (cb_search_results_get_id (both, i), "case_study:"));

  /* A filter on a value no item has shows it selected, with nothing */
  g_assert_cmpuint (cb_search_results_get_n_hits (unknown), ==, 0);
  facet = cb_search_results_get_facet (unknown, CB_FACET_COUNTRY);
  for (guint i = 0; i < facet->len; i++)
    {
      CbFacetCount *count = &g_array_index (facet, CbFacetCount, i);

      if (g_str_equal (count->value, "Atlantis"))
        {
          found = TRUE;
          g_assert_true (count->selected);
          g_assert_cmpuint (count->count, ==, 0);
        }
    }
  g_assert_true (found);
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GString) long_word = g_string_new (NULL);
  const char *inputs[] = {
    "\"", "\"\"", "\"a", "a\"", "OR", "AND", "NOT", "- -", "*", "**", "a*b*c*", "NEAR(", "NEAR(a b, 3)",
    "a:b:c", "col:umn", "{title body}: x", "^title", "title : x", "\x01\x02\x03", "\x7f",
    "'; DROP TABLE items; --", "\" OR 1=1 --", "😀", "\u202eevil", "\xff\xfe", "a OR OR b", "OR a", "a OR",
    "-", "--", "---racism", "(((((", ")))))", "[x](y)", "<script>alert(1)</script>",
  };

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_word, 'a' + (i % 26));
  for (guint i = 0; i < 2000; i++)
    g_string_append (long_text, "racism OR \"data ");

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(CbSearchResults) results = search (fixture, inputs[i]);

      g_assert_cmpuint (cb_search_results_get_n_hits (results), <=, cb_store_get_n_items (fixture->store));
    }

  {
    g_autoptr(CbSearchResults) results = search (fixture, long_word->str);

    g_assert_cmpuint (cb_search_results_get_n_hits (results), ==, 0);
  }
  {
    g_autoptr(CbSearchResults) results = search (fixture, long_text->str);

    g_assert_cmpuint (cb_search_results_get_n_hits (results), >, 0);
  }

  /* The tables are all still there */
  {
    g_autoptr(CbSearchResults) results = search (fixture, "");

    g_assert_cmpuint (cb_search_results_get_n_hits (results), ==, 191);
  }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CbQuery) query = cb_query_parse ("racism", NULL);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (cb_store_search (fixture->store, query, cancellable, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CANCELLED);
}

typedef struct {
  GCancellable *cancellable;
  gboolean      waited;
} LateCancel;

/* The first progress report waits long enough for the reading thread to
 * queue the whole (small) corpus, then cancels */
static void
cancel_late (double   fraction,
             gpointer user_data)
{
  LateCancel *late = user_data;

  if (!late->waited)
    {
      g_usleep (300 * 1000);
      late->waited = TRUE;
      g_cancellable_cancel (late->cancellable);
    }
}

/* A rebuild that stops on the writing side after the corpus has been read
 * returns (it once waited forever for a reader that had finished) and
 * leaves the index as it was */
static void
test_rebuild_cancelled_after_reading (Fixture       *fixture,
                                      gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *corpus = cb_get_bundled_corpus_path ();
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(CbSearchResults) results = NULL;
      LateCancel late = { cancellable, FALSE };
      guint n_items = cb_store_get_n_items (fixture->store);

      g_assert_false (cb_store_sync (fixture->store, corpus, TRUE, cancel_late, &late, cancellable, NULL, &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_CANCELLED);
      g_assert_true (late.waited);
      g_assert_cmpuint (cb_store_get_n_items (fixture->store), ==, n_items);
      results = search (fixture, "cultural safety");
      g_assert_cmpstr (cb_search_results_get_id (results, 0), ==, "case_study:4.2.4");
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_load_item (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *corpus_path = cb_get_bundled_corpus_path ();
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (corpus_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbItem) item = cb_store_load_item (fixture->store, "inset_box:7.3.1", &error);
  g_autoptr(CbReference) reference = cb_store_load_reference (fixture->store, "reference:saha2013", &error);
  g_autoptr(CbCorpus) outline = cb_store_dup_outline (fixture->store, &error);
  g_autoptr(CbItem) missing = NULL;
  CbItem *original = cb_corpus_lookup_item (corpus, "inset_box:7.3.1");

  g_assert_no_error (error);
  g_assert_true (cb_item_same_text (item, original));
  g_assert_cmpstr (cb_item_get_design (item), ==, cb_item_get_design (original));
  g_assert_true (cb_reference_equal (reference, cb_corpus_lookup_reference (corpus, "reference:saha2013")));
  g_assert_cmpuint (cb_corpus_get_chapters (outline)->len, ==, 7);
  g_assert_cmpstr (cb_corpus_get_title (outline), ==, "Improving race equality in your organisation");

  missing = cb_store_load_item (fixture->store, "case_study:9.9.9", &error);
  g_assert_null (missing);
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
}

static void
test_related (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) related = cb_store_dup_related (fixture->store, "case_study:2.2.4", &error);
  g_autoptr(CbItem) item = cb_store_load_item (fixture->store, "case_study:2.2.4", NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (related->len, >, 0);
  for (guint i = 0; i < related->len; i++)
    {
      g_autoptr(CbItem) other = cb_store_load_item (fixture->store, g_ptr_array_index (related, i), NULL);
      gboolean shares = FALSE;

      g_assert_cmpstr (g_ptr_array_index (related, i), !=, "case_study:2.2.4");
      for (guint t = 0; t < cb_item_get_interventions (other)->len; t++)
        for (guint u = 0; u < cb_item_get_interventions (item)->len; u++)
          shares |= g_str_equal (g_ptr_array_index (cb_item_get_interventions (other), t),
                                 g_ptr_array_index (cb_item_get_interventions (item), u));
      g_assert_true (shares);
    }
}

/* The index is rebuilt when the corpus content changes, and only then;
 * a failed rebuild leaves it as it was. */
static void
test_sync_rules (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autofree char *corpus = g_build_filename (dir, "corpus.xml", NULL);
  g_autofree char *bundled = cb_get_bundled_corpus_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbCorpus) modified = NULL;
  gboolean rebuilt;
  gsize len;

  g_assert_true (g_file_get_contents (bundled, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (corpus, contents, len, NULL));

  store = cb_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_store_get_n_items (store), ==, 0);

  g_assert_true (cb_store_sync (store, corpus, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_true (rebuilt);
  g_assert_cmpuint (cb_store_get_n_items (store), ==, 191);

  /* Nothing changed */
  g_assert_true (cb_store_sync (store, corpus, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_false (rebuilt);

  /* Same content, new time: read and hashed, not rebuilt */
  g_usleep (1100 * 1000);
  g_assert_true (g_file_set_contents (corpus, contents, len, NULL));
  g_assert_true (cb_store_sync (store, corpus, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_false (rebuilt);

  /* A reopened store keeps its index */
  g_clear_object (&store);
  store = cb_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_store_get_n_items (store), ==, 191);

  /* A broken corpus: the rebuild fails and the old index stays */
  g_assert_true (g_file_set_contents (corpus, contents, len / 2, NULL));
  g_assert_false (cb_store_sync (store, corpus, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (rebuilt);
  g_assert_cmpuint (cb_store_get_n_items (store), ==, 191);
  {
    g_autoptr(CbQuery) query = cb_query_parse ("hypertension", NULL);
    g_autoptr(CbSearchResults) results = cb_store_search (store, query, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cb_search_results_get_id (results, 0), ==, "case_study:5.2.1");
  }

  /* Changed content: rebuilt; a retired item leaves search by default */
  modified = cb_corpus_read_file (bundled, &error);
  g_assert_no_error (error);
  cb_item_set_status (cb_corpus_lookup_item (modified, "case_study:5.2.1"), CB_ITEM_STATUS_RETIRED);
  g_assert_true (cb_corpus_write_file (modified, corpus, &error));
  g_assert_true (cb_store_sync (store, corpus, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_true (rebuilt);
  {
    g_autoptr(CbQuery) query = cb_query_parse ("hypertension", NULL);
    g_autoptr(CbSearchResults) results = cb_store_search (store, query, NULL, &error);
    g_autoptr(CbSearchResults) with_retired = NULL;

    g_assert_cmpuint (cb_search_results_get_n_hits (results), ==, 0);
    cb_query_set_include_retired (query, TRUE);
    with_retired = cb_store_search (store, query, NULL, &error);
    g_assert_cmpstr (cb_search_results_get_id (with_retired, 0), ==, "case_study:5.2.1");
  }

  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_newer_database_refused (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = cb_store_open (db, &error);
  sqlite3 *handle;

  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  store = cb_store_open (db, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "newer version"));

  remove_tree (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;

  g_assert_true (g_file_set_contents (db, "this is not an SQLite database, it is a text file of some length "
                                          "that goes on and on and on", -1, NULL));
  store = cb_store_open (db, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_CORRUPT);
  /* Never deleted */
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));

  remove_tree (dir);
}

/* The evidence map: every pair counted from the corpus file itself */
static void
test_cross_tab_matches_corpus (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *corpus_path = cb_get_bundled_corpus_path ();
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (corpus_path, NULL);
  CbTaxonomy *taxonomy = cb_store_get_taxonomy (fixture->store);
  GPtrArray *items = cb_corpus_get_items (corpus);
  g_autoptr(CbQuery) everything = cb_query_new ();
  g_autoptr(CbQuery) filtered = NULL;
  g_autoptr(CbCrossTab) table = NULL;
  g_autoptr(CbCrossTab) narrowed = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0, max = 0;

  table = cb_store_cross_tab (fixture->store, everything, CB_FACET_INTERVENTION, CB_FACET_COUNTRY, NULL, &error);
  g_assert_no_error (error);

  /* Every type and every country is a row or a column, used or not */
  g_assert_cmpuint (table->rows->len, ==, cb_taxonomy_get_terms (taxonomy, CB_TAXONOMY_INTERVENTION)->len);
  g_assert_cmpuint (table->columns->len, ==, cb_taxonomy_get_terms (taxonomy, CB_TAXONOMY_COUNTRY)->len);

  for (guint r = 0; r < table->rows->len; r++)
    for (guint c = 0; c < table->columns->len; c++)
      {
        const char *type = g_ptr_array_index (table->rows, r);
        const char *country = g_ptr_array_index (table->columns, c);
        guint expected = 0;

        for (guint i = 0; i < items->len; i++)
          {
            CbItem *item = g_ptr_array_index (items, i);

            if (cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED)
              continue;
            expected += g_ptr_array_find_with_equal_func (cb_item_get_interventions (item), type, g_str_equal, NULL) &&
                        g_ptr_array_find_with_equal_func (cb_item_get_countries (item), country, g_str_equal, NULL);
          }

        g_assert_cmpuint (cb_cross_tab_get (table, r, c), ==, expected);
        total += expected;
        max = MAX (max, expected);
      }
  g_assert_cmpuint (total, >, 20);
  g_assert_cmpuint (table->max, ==, max);

  /* Words narrow the map; the map's own dimensions' filters do not */
  filtered = cb_query_parse ("structural country:US type:cultural-safety", taxonomy);
  narrowed = cb_store_cross_tab (fixture->store, filtered, CB_FACET_INTERVENTION, CB_FACET_COUNTRY, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CbQuery) words = cb_query_parse ("structural", taxonomy);
    g_autoptr(CbSearchResults) results = cb_store_search (fixture->store, words, NULL, NULL);
    guint sum = 0, with_types = 0;

    for (guint r = 0; r < narrowed->rows->len; r++)
      for (guint c = 0; c < narrowed->columns->len; c++)
        {
          g_assert_cmpuint (cb_cross_tab_get (narrowed, r, c), <=, cb_cross_tab_get (table, r, c));
          sum += cb_cross_tab_get (narrowed, r, c);
        }
    for (guint h = 0; h < cb_search_results_get_n_hits (results); h++)
      {
        g_autoptr(GPtrArray) types = cb_search_results_dup_values (results, h, CB_FACET_INTERVENTION);
        g_autoptr(GPtrArray) countries = cb_search_results_dup_values (results, h, CB_FACET_COUNTRY);

        with_types += types->len * countries->len;
      }
    g_assert_cmpuint (sum, ==, with_types);
    g_assert_cmpuint (sum, <, total);
  }

  /* Chapters as columns: one per chapter, in order */
  {
    g_autoptr(CbCrossTab) chapters = cb_store_cross_tab (fixture->store, everything, CB_FACET_INTERVENTION,
                                                         CB_FACET_CHAPTER, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (chapters->columns->len, ==, 7);
    for (guint c = 0; c < chapters->columns->len; c++)
      {
        g_autofree char *expected = g_strdup_printf ("%u", c + 1);

        g_assert_cmpstr (g_ptr_array_index (chapters->columns, c), ==, expected);
      }
  }
}

static void
test_describe_and_values (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *kind = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GPtrArray) chapters = NULL;

  g_assert_true (cb_store_describe (fixture->store, "case_study:4.2.4", &kind, &number, &title));
  g_assert_cmpstr (kind, ==, "case_study");
  g_assert_cmpstr (number, ==, "4.2.4");
  g_assert_cmpstr (title, ==, "Moving from cultural competency to cultural safety to achieve health equity");
  g_assert_false (cb_store_describe (fixture->store, "case_study:9.9.9", NULL, NULL, NULL));
  g_assert_false (cb_store_describe (fixture->store, "", NULL, NULL, NULL));

  /* The values the filter pane offers, in the order it shows them */
  kinds = cb_store_dup_values (fixture->store, CB_FACET_KIND);
  g_assert_true (g_ptr_array_find_with_equal_func (kinds, "case_study", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (kinds, "glossary", g_str_equal, NULL));
  chapters = cb_store_dup_values (fixture->store, CB_FACET_CHAPTER);
  g_assert_cmpuint (chapters->len, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (chapters, 0), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (chapters, 6), ==, "7");
}

/* "Copy citation": one line, with the guide and the page */
static void
test_citation (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) outline = cb_store_dup_outline (fixture->store, &error);
  g_autoptr(CbItem) item = cb_store_load_item (fixture->store, "case_study:4.2.4", &error);
  g_autoptr(CbItem) term = cb_store_load_item (fixture->store, "glossary:race", NULL);
  g_autofree char *citation = NULL;

  g_assert_no_error (error);
  citation = cb_corpus_format_citation (outline, item);
  g_assert_cmpstr (citation, ==,
                   "“Moving from cultural competency to cultural safety to achieve health equity” (Case study 4.2.4). "
                   "In: NHS Race & Health Observatory. Improving race equality in your organisation: "
                   "An evidence based guide for NHS leaders. Chapter 4, p. 56.");
  g_assert_null (strchr (citation, '\n'));

  /* A glossary term has no number */
  g_assert_nonnull (term);
  {
    g_autofree char *line = cb_corpus_format_citation (outline, term);

    g_assert_true (g_str_has_prefix (line, "“Race” (Glossary term). In: NHS Race"));
  }
}

/* Citation markers stuck to words ("Walmart⁸", "countries³⁻⁵") do not hide
 * the words from search */
static void
test_superscripts (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *words[] = { "Walmart", "Amazon", "Group", "countries", "Health" };

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      g_autoptr(CbSearchResults) results = search (fixture, words[w]);

      if (cb_search_results_get_n_hits (results) == 0)
        g_error ("“%s” finds nothing", words[w]);
    }

  {
    g_autoptr(CbSearchResults) results = search (fixture, "Walmart");
    g_autoptr(GError) error = NULL;
    g_autofree char *snippet = cb_store_snippet (fixture->store, results, 0, "[", "]", &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (snippet, "[Walmart]"));
  }
}

/* Ranking with the column lengths held in memory gives every row exactly
 * the score it gets with the lengths FTS5 reads itself */
static void
test_rank_column_sizes (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *matches[] = { "health", "racism", "cultural safety", "equit*", "\"social prescribing\"", "nhs OR data" };
  g_autoptr(CbColumnSizes) sizes = NULL;
  sqlite3 *db = NULL;
  guint n_rows = cb_store_get_n_items (fixture->store);
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (cb_rank_register (db), ==, SQLITE_OK);

  sizes = cb_column_sizes_load (db, "fts", 5, n_rows, &rc);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_nonnull (sizes);

  /* The wrong number of rows is refused, not half used */
  g_assert_null (cb_column_sizes_load (db, "fts", 5, n_rows + 1, &rc));
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_null (cb_column_sizes_load (db, "fts", 5, n_rows - 1, &rc));

  for (guint m = 0; m < G_N_ELEMENTS (matches); m++)
    {
      sqlite3_stmt *stmt = NULL;
      guint n = 0;

      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid, cb_bm25f(fts, NULL, 6, 4, 2, 1.5, 1), "
                                               "cb_bm25f(fts, ?2, 6, 4, 2, 1.5, 1) FROM fts WHERE fts MATCH ?1",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, matches[m], -1, SQLITE_STATIC);
      g_assert_cmpint (cb_column_sizes_bind (stmt, 2, sizes), ==, SQLITE_OK);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          double from_fts = sqlite3_column_double (stmt, 1);
          double from_memory = sqlite3_column_double (stmt, 2);

          if (from_fts != from_memory)
            g_error ("“%s”, row %lld: %g with the lengths in memory, %g from FTS5", matches[m],
                     (long long) sqlite3_column_int64 (stmt, 0), from_memory, from_fts);
          g_assert_cmpfloat (from_fts, <, 0);
          n++;
        }
      g_assert_cmpint (rc, ==, SQLITE_DONE);
      g_assert_cmpuint (n, >, 0);
      sqlite3_finalize (stmt);
    }

  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("golden", test_golden);
  ADD ("empty-query-lists-everything", test_empty_query_lists_everything);
  ADD ("ranking-ties-in-guide-order", test_ranking_ties_in_guide_order);
  ADD ("rank-column-sizes", test_rank_column_sizes);
  ADD ("superscripts", test_superscripts);
  ADD ("snippets", test_snippets);
  ADD ("facets-match-sql", test_facets_match_sql);
  ADD ("facets-match-corpus", test_facets_match_corpus);
  ADD ("filters-within-and-across", test_filters_within_and_across);
  ADD ("hostile", test_hostile);
  ADD ("cancel", test_cancel);
  ADD ("rebuild-cancelled-after-reading", test_rebuild_cancelled_after_reading);
  ADD ("load-item", test_load_item);
  ADD ("related", test_related);
  ADD ("cross-tab-matches-corpus", test_cross_tab_matches_corpus);
  ADD ("describe-and-values", test_describe_and_values);
  ADD ("citation", test_citation);
  g_test_add_func ("/store/sync-rules", test_sync_rules);
  g_test_add_func ("/store/newer-database-refused", test_newer_database_refused);
  g_test_add_func ("/store/not-a-database", test_not_a_database);

#undef ADD

  return g_test_run ();
}
