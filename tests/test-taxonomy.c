/* test-taxonomy.c: the bundled taxonomy and name resolution
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cb-error.h"
#include "cb-taxonomy.h"

static void
test_bundled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTaxonomy) taxonomy = cb_taxonomy_get_default (&error);
  GPtrArray *designs;
  guint n_interventions;

  g_assert_no_error (error);
  g_assert_nonnull (taxonomy);

  n_interventions = cb_taxonomy_get_terms (taxonomy, CB_TAXONOMY_INTERVENTION)->len;
  g_assert_cmpuint (n_interventions, >=, 15);
  g_assert_cmpuint (n_interventions, <=, 25);

  for (guint i = 0; i < n_interventions; i++)
    {
      CbTerm *term = g_ptr_array_index (cb_taxonomy_get_terms (taxonomy, CB_TAXONOMY_INTERVENTION), i);

      g_assert_nonnull (term->description);
      g_assert_cmpuint (strlen (term->description), >, 20);
    }

  /* Designs carry an evidence-strength order with no ties. */
  designs = cb_taxonomy_get_terms (taxonomy, CB_TAXONOMY_DESIGN);
  for (guint i = 0; i < designs->len; i++)
    g_assert_cmpuint (((CbTerm *) g_ptr_array_index (designs, i))->rank, ==, i + 1);

  g_assert_nonnull (cb_taxonomy_lookup (taxonomy, CB_TAXONOMY_COUNTRY, "INT"));
}

static void
test_resolve (void)
{
  g_autoptr(CbTaxonomy) taxonomy = cb_taxonomy_get_default (NULL);
  const struct {
    CbTaxonomyDimension dimension;
    const char *text;
    const char *id;
  } cases[] = {
    { CB_TAXONOMY_COUNTRY, "GB", "GB" },
    { CB_TAXONOMY_COUNTRY, "uk", "GB" },
    { CB_TAXONOMY_COUNTRY, "England", "GB" },
    { CB_TAXONOMY_COUNTRY, "Aotearoa", "NZ" },
    { CB_TAXONOMY_COUNTRY, "U.S.", "US" },
    { CB_TAXONOMY_COUNTRY, "south africa", "ZA" },
    { CB_TAXONOMY_COUNTRY, "Atlantis", NULL },
    { CB_TAXONOMY_DESIGN, "RCT", "randomised-trial" },
    { CB_TAXONOMY_DESIGN, "Cohort study", "cohort" },
    { CB_TAXONOMY_INTERVENTION, "Social prescribing and link workers", "social-prescribing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CbTerm *term = cb_taxonomy_resolve (taxonomy, cases[i].dimension, cases[i].text);

      g_assert_cmpstr (term ? term->id : NULL, ==, cases[i].id);
    }
}

static void
test_bad_files (void)
{
  const struct {
    const char *content;
    int code;
  } cases[] = {
    { "", CB_ERROR_PARSE },
    { "<taxonomy xmlns='urn:x-casebook:taxonomy' format='1'><countries>", CB_ERROR_PARSE },
    { "<taxonomy xmlns='urn:x-casebook:taxonomy' format='1'><countries><country code='gb'>"
      "<name>x</name></country></countries><interventions/><designs/></taxonomy>", CB_ERROR_INVALID },
    { "<?xml version='1.0'?><!DOCTYPE t [<!ENTITY a 'b'>]><taxonomy/>", CB_ERROR_UNSAFE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CbTaxonomy) taxonomy = NULL;
      int fd = g_file_open_tmp ("taxonomy-XXXXXX.xml", &path, NULL);

      g_assert_cmpint (fd, >=, 0);
      close (fd);
      g_assert_true (g_file_set_contents (path, cases[i].content, -1, NULL));

      taxonomy = cb_taxonomy_new_from_file (path, &error);
      g_assert_null (taxonomy);
      g_assert_error (error, CB_ERROR, cases[i].code);
      /* Errors name the file, and the line where there is one. */
      g_assert_nonnull (strstr (error->message, path));
      g_unlink (path);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/taxonomy/bundled", test_bundled);
  g_test_add_func ("/taxonomy/resolve", test_resolve);
  g_test_add_func ("/taxonomy/bad-files", test_bad_files);

  return g_test_run ();
}
