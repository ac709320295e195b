/* fuzz-query.c: cb_query_parse() on whatever is typed in the search box
 *
 * The parser promises that input of any shape parses and that what it
 * builds is a safe FTS5 expression. So each expression is also run, as the
 * store runs it, against an FTS5 table made like the store's: FTS5 must
 * never refuse it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cb-fuzz.h"

#include <sqlite3.h>
#include <string.h>

#include "cb-query.h"

static CbTaxonomy *taxonomy;
static sqlite3 *db;
static sqlite3_stmt *match_stmt;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  char *message = NULL;

  cb_fuzz_init ();

  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);

  if (sqlite3_open (":memory:", &db) != SQLITE_OK ||
      sqlite3_exec (db,
                    "CREATE VIRTUAL TABLE fts USING fts5 ("
                    "  title, findings, body, meta, refs,"
                    "  tokenize='porter unicode61 remove_diacritics 2',"
                    "  prefix='2 3');"
                    "INSERT INTO fts VALUES ('Pulse oximeters and equity', 'Māori data sovereignty',"
                    "  'Blood pressure checks in barbershops', 'country:NZ type:cultural-safety',"
                    "  'doi 10 1002 hec 4645');"
                    "INSERT INTO fts VALUES ('Link workers', 'Social prescribing', 'life expectancy',"
                    "  'kind:case', 'Smylie 2020');",
                    NULL, NULL, &message) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT rowid FROM fts WHERE fts MATCH ?1", -1, &match_stmt, NULL) != SQLITE_OK)
    g_error ("Cannot set up the FTS5 table: %s", message ? message : sqlite3_errmsg (db));

  return 0;
}

static void
check_expression (const char *expression)
{
  int rc;

  sqlite3_reset (match_stmt);
  sqlite3_bind_text (match_stmt, 1, expression, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (match_stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    cb_fuzz_fail ("FTS5 refuses the expression «%s»: %s", expression, sqlite3_errmsg (db));
  sqlite3_reset (match_stmt);
  sqlite3_clear_bindings (match_stmt);
}

static void
check_query (CbQuery    *query,
             const char *text)
{
  const char *match = cb_query_get_match (query);
  const char *exclude = cb_query_get_exclude (query);

  if (g_strcmp0 (cb_query_get_text (query), text ? text : "") != 0)
    cb_fuzz_fail ("the query does not keep its text");

  if (match != NULL)
    {
      g_autofree char *expression = exclude ? g_strdup_printf ("(%s) NOT (%s)", match, exclude) : g_strdup (match);

      if (!g_utf8_validate (match, -1, NULL))
        cb_fuzz_fail ("the match expression is not valid UTF-8");
      check_expression (expression);
    }
  else if (exclude != NULL)
    {
      check_expression (exclude);
    }

  if (exclude != NULL && !g_utf8_validate (exclude, -1, NULL))
    cb_fuzz_fail ("the exclusion is not valid UTF-8");

  for (CbFacet facet = 0; facet < CB_N_FACETS; facet++)
    {
      GPtrArray *values = cb_query_get_filter (query, facet);

      for (guint i = 0; i < values->len; i++)
        {
          const char *value = g_ptr_array_index (values, i);

          if (*value == '\0')
            cb_fuzz_fail ("an empty %s filter", cb_facet_to_string (facet));
          if (!cb_query_has_filter (query, facet, value))
            cb_fuzz_fail ("a filter the query does not have");
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(CbQuery) query = NULL;
  g_autoptr(CbQuery) plain = NULL;
  g_autoptr(CbQuery) copy = NULL;

  /* With the taxonomy, as the window and the CLI parse, and without */
  query = cb_query_parse (text, taxonomy);
  check_query (query, text);
  plain = cb_query_parse (text, NULL);
  check_query (plain, text);

  copy = cb_query_copy (query);
  check_query (copy, text);
  if (g_strcmp0 (cb_query_get_match (copy), cb_query_get_match (query)) != 0 ||
      g_strcmp0 (cb_query_get_exclude (copy), cb_query_get_exclude (query)) != 0)
    cb_fuzz_fail ("a copy differs from its query");

  /* A chip removes its filter */
  for (CbFacet facet = 0; facet < CB_N_FACETS; facet++)
    {
      GPtrArray *values = cb_query_get_filter (copy, facet);

      while (values->len > 0)
        {
          g_autofree char *value = g_strdup (g_ptr_array_index (values, 0));
          guint before = values->len;

          cb_query_remove_filter (copy, facet, value);
          if (values->len != before - 1 || cb_query_has_filter (copy, facet, value))
            cb_fuzz_fail ("removing the %s filter «%s» does not remove it", cb_facet_to_string (facet), value);
        }
    }
  if (cb_query_has_filters (copy))
    cb_fuzz_fail ("filters left after removing them all");

  return 0;
}
