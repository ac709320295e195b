/* test-query.c: the search box language and what it becomes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cb-query.h"

static CbTaxonomy *taxonomy;

static void
test_expressions (void)
{
  const struct {
    const char *input;
    const char *match;
    const char *exclude;
  } cases[] = {
    { "pulse oximeter", "\"pulse\" AND \"oximeter\"", NULL },
    { "\"social prescribing\"", "\"social prescribing\"", NULL },
    { "prescrib*", "\"prescrib\" *", NULL },
    { "\"pulse oxim*\"", "\"pulse oxim\" *", NULL },
    { "a OR b c", "(\"a\" OR \"b\") AND \"c\"", NULL },
    { "training -cultural", "\"training\"", "\"cultural\"" },
    { "training NOT cultural", "\"training\"", "\"cultural\"" },
    { "-racism", NULL, "\"racism\"" },
    { "doi:10.1002/hec.4645", "\"10.1002/hec.4645\"", NULL },
    { "https://doi.org/10.1136/bmj.h3297", "\"10.1136/bmj.h3297\"", NULL },
    /* Operators are words, quoted, never FTS5 syntax */
    { "\"pulse\" NEAR \"oximeter\"", "\"pulse\" AND \"NEAR\" AND \"oximeter\"", NULL },
    { "NEAR(a b)", "\"NEAR(a\" AND \"b)\"", NULL },
    { "title:pulse", "\"title:pulse\"", NULL },
    { "a\"b", "\"a\" AND \"b\"", NULL },
    { "say \"\"quoted\"\" words", "\"say\" AND \"quoted\" AND \"words\"", NULL },
    /* Nothing to match */
    { "", NULL, NULL },
    { "*", NULL, NULL },
    { "OR AND NOT", NULL, NULL },
    { "( ) ^ : - --", NULL, NULL },
    { "\"unclosed", "\"unclosed\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbQuery) query = cb_query_parse (cases[i].input, taxonomy);

      g_test_message ("%s", cases[i].input);
      g_assert_cmpstr (cb_query_get_match (query), ==, cases[i].match);
      g_assert_cmpstr (cb_query_get_exclude (query), ==, cases[i].exclude);
      g_assert_cmpstr (cb_query_get_text (query), ==, cases[i].input);
    }
}

static void
test_filters (void)
{
  g_autoptr(CbQuery) query =
    cb_query_parse ("data country:uk country:Aotearoa chapter:05 kind:case type:\"Social prescribing and link workers\" "
                    "design:RCT country:Atlantis", taxonomy);
  GPtrArray *countries = cb_query_get_filter (query, CB_FACET_COUNTRY);

  g_assert_cmpstr (cb_query_get_match (query), ==, "\"data\"");
  g_assert_cmpuint (countries->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (countries, 0), ==, "GB");
  g_assert_cmpstr (g_ptr_array_index (countries, 1), ==, "NZ");
  /* Unknown values stay, and match nothing */
  g_assert_cmpstr (g_ptr_array_index (countries, 2), ==, "Atlantis");
  g_assert_true (cb_query_has_filter (query, CB_FACET_CHAPTER, "5"));
  g_assert_true (cb_query_has_filter (query, CB_FACET_KIND, "case_study"));
  g_assert_true (cb_query_has_filter (query, CB_FACET_INTERVENTION, "social-prescribing"));
  g_assert_true (cb_query_has_filter (query, CB_FACET_DESIGN, "randomised-trial"));

  g_assert_false (cb_query_add_filter (query, taxonomy, CB_FACET_KIND, "poem"));
  g_assert_true (cb_query_add_filter (query, taxonomy, CB_FACET_KIND, "box"));
  cb_query_remove_filter (query, CB_FACET_KIND, "case_study");
  g_assert_false (cb_query_has_filter (query, CB_FACET_KIND, "case_study"));
  g_assert_true (cb_query_has_filters (query));
  cb_query_clear_filter (query, CB_FACET_COUNTRY);
  g_assert_cmpuint (countries->len, ==, 0);
  g_assert_true (cb_query_has_filter (query, CB_FACET_CHAPTER, "5"));
  cb_query_clear_filters (query);
  g_assert_false (cb_query_has_filters (query));
}

static void
test_hostile (void)
{
  g_autoptr(GString) long_input = g_string_new (NULL);
  const char *inputs[] = {
    "\x01\x02\x7f control \x1b[31m characters",
    "\xff\xfe invalid utf-8",
    "emoji 🙂 and \u202eright-to-left\u202c and zero\u200bwidth",
    "((((((((((",
    "\"\"\"\"\"\"",
    "****** ::::: ------",
    "country: chapter: kind:",
    "'; DROP TABLE items; --",
  };

  for (guint i = 0; i < 2000; i++)
    g_string_append (long_input, "word ");

  {
    g_autoptr(CbQuery) query = cb_query_parse (long_input->str, taxonomy);
    guint terms = 0;

    /* Capped at the maximum number of terms */
    for (const char *p = cb_query_get_match (query); (p = strstr (p, " AND ")) != NULL; p++)
      terms++;
    g_assert_cmpuint (terms + 1, ==, CB_QUERY_MAX_TERMS);
  }

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(CbQuery) query = cb_query_parse (inputs[i], taxonomy);
      const char *match = cb_query_get_match (query);

      /* Every term of the expression is a quoted string */
      if (match != NULL)
        g_assert_true (match[0] == '"' || match[0] == '(');
      if (match != NULL)
        g_assert_null (strchr (match, '\x01'));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/query/expressions", test_expressions);
  g_test_add_func ("/query/filters", test_filters);
  g_test_add_func ("/query/hostile", test_hostile);

  return g_test_run ();
}
