/* test-cli.c: casebook-cli as scripts use it: exit codes, JSON, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cb-corpus-xml.h"
#include "cb-test-util.h"
#include "cb-xml.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run *run,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CASEBOOK_CLI"));
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static void
test_usage (void)
{
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "import-guide"));
    g_assert_nonnull (strstr (run.out, "validate"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "--version", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "casebook-cli " PACKAGE_VERSION));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "list", "--help", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "--kind"));
  }

  /* Usage errors exit with 2 and say what to do */
  {
    const char *cases[][5] = {
      { NULL },
      { "frobnicate", NULL },
      { "--bogus", NULL },
      { "list", "--kind", "poem", NULL },
      { "list", "extra", NULL },
      { "show", NULL },
      { "import-guide", "guide.txt", NULL },
      { "pack", NULL },
      { "pack", "frobnicate", NULL },
      { "pack", "add", "Board", NULL },
      { "pack", "export", "Board", NULL },
      { "pack", "move", "Board", "case_study:4.2.4", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(Run) run = { 0 };

        run_cli (&run, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4], NULL);
        g_assert_cmpint (run.status, ==, 2);
        g_assert_cmpstr (run.err, !=, "");
      }
  }
}

static void
test_list_json (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  guint cases = 0;

  run_cli (&run, "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 191);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *keys[] = { "id", "kind", "number", "title", "chapter", "section", "page",
                             "countries", "interventions", "design", "references" };

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        g_assert_true (json_object_has_member (object, keys[k]));

      if (g_str_equal (json_object_get_string_member (object, "id"), "case_study:1.2.1"))
        {
          JsonArray *countries = json_object_get_array_member (object, "countries");

          g_assert_cmpuint (json_array_get_length (countries), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (countries, 0), ==, "CA");
          g_assert_cmpint (json_object_get_int_member (object, "chapter"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (object, "page"), ==, 22);
        }
      cases += g_str_equal (json_object_get_string_member (object, "kind"), "case_study");
    }
  g_assert_cmpuint (cases, ==, 23);

  {
    g_auto(Run) boxes = { 0 };
    g_autoptr(JsonNode) box_root = NULL;

    run_cli (&boxes, "list", "--kind", "box", "--json", NULL);
    g_assert_cmpint (boxes.status, ==, 0);
    box_root = parse_json (boxes.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (box_root)), ==, 13);
  }
}

static void
test_show (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) missing = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *findings, *list, *reference;
  JsonArray *parts, *records;

  run_cli (&run, "show", "case_study:3.1.2", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  parts = json_object_get_array_member (object, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  findings = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (json_object_get_string_member (findings, "name"), ==, "key_findings");
  list = json_array_get_object_element (json_object_get_array_member (findings, "blocks"), 2);
  g_assert_cmpstr (json_object_get_string_member (list, "type"), ==, "list");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "items")), ==, 4);

  records = json_object_get_array_member (object, "reference_records");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  reference = json_array_get_object_element (records, 0);
  g_assert_cmpstr (json_object_get_string_member (reference, "doi"), ==, "10.1257/aer.20181865");
  g_assert_cmpstr (json_object_get_string_member (reference, "year"), ==, "2019");

  run_cli (&text, "show", "case_study:3.1.2", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "KEY FINDINGS"));
  g_assert_nonnull (strstr (text.out, "Guide, p. 39"));
  g_assert_nonnull (strstr (text.out, "https://doi.org/10.1257/aer.20181865"));

  run_cli (&missing, "show", "case_study:9.9.9", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "case_study:9.9.9"));
}

static void
test_validate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("casebook-cli-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.xml", NULL);
  g_auto(Run) run = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) json = { 0 };
  g_autoptr(JsonNode) root = NULL;

  /* The guide's flaws are warnings: exit 0, and each is reported */
  run_cli (&run, "validate", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "3.2.1"));
  g_assert_nonnull (strstr (run.out, "Requires a reference from Janet Smylie"));
  g_assert_nonnull (strstr (run.out, "improving-race-equality-guide.txt:1807:"));
  g_assert_nonnull (strstr (run.out, "0 errors"));

  run_cli (&json, "validate", "--json", NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_json (json.out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "valid"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "guide")), >, 40);

  /* A broken corpus file is an error with its line and column */
  g_assert_true (g_file_set_contents (broken, "<corpus xmlns='urn:x-casebook:corpus' format='1'>\n<guide>\n</corpus>\n",
                                      -1, NULL));
  run_cli (&bad, "validate", broken, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "broken.xml:3:"));

  g_unlink (broken);
  g_rmdir (dir);
}

static void
test_import_guide (void)
{
  g_autofree char *dir = g_dir_make_tmp ("casebook-cli-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out.xml", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.txt", NULL);
  g_autofree char *bad_out = g_build_filename (dir, "bad.xml", NULL);
  g_autofree char *guide = cb_get_bundled_guide_path ();
  g_autofree char *bundled = cb_get_bundled_corpus_path ();
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) failed = { 0 };

  run_cli (&run, "import-guide", guide, "--merge", bundled, "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &actual, NULL, NULL));
  g_assert_true (g_file_get_contents (bundled, &expected, NULL, NULL));
  g_assert_cmpstr (actual, ==, expected);

  /* Bad input: an error, and no output file left behind */
  g_assert_true (g_file_set_contents (bad, "Title\n\nSubtitle\n\nContents\n\nIntro\xc3\x28\t4\n", -1, NULL));
  run_cli (&failed, "import-guide", bad, "-o", bad_out, NULL);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_nonnull (strstr (failed.err, "not valid UTF-8"));
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));

  g_unlink (out);
  g_unlink (bad);
  g_rmdir (dir);
}

/* Whether @out has a merge note line "CODE ID ..." */
static gboolean
has_note (const char *out,
          const char *code,
          const char *id)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);

      if (g_strv_length (words) >= 2 && g_str_equal (words[0], code) && g_str_equal (words[1], id))
        return TRUE;
    }

  return FALSE;
}

/* A new edition of the guide merged with the curated corpus: the command
 * lists what is new, changed and gone, and curation survives */
static void
test_import_guide_new_edition (void)
{
  g_autofree char *dir = g_dir_make_tmp ("casebook-cli-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "out.xml", NULL);
  g_autofree char *edition = g_build_filename (g_getenv ("CASEBOOK_FIXTURES"), "edition-2-guide.txt", NULL);
  g_autofree char *bundled = cb_get_bundled_corpus_path ();
  g_autoptr(CbCorpus) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  CbItem *item;

  run_cli (&run, "import-guide", edition, "--merge", bundled, "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_test_message ("%s", run.out);
  g_assert_true (has_note (run.out, "new", "case_study:4.2.5"));
  g_assert_true (has_note (run.out, "changed", "case_study:3.1.2"));
  g_assert_true (has_note (run.out, "vanished", "inset_box:7.2.2"));
  g_assert_false (has_note (run.out, "changed", "case_study:3.1.1"));
  g_assert_false (has_note (run.out, "vanished", "inset_box:7.2.3"));

  merged = cb_corpus_read_file (out, &error);
  g_assert_no_error (error);
  item = cb_corpus_lookup_item (merged, "case_study:3.1.2");
  g_assert_cmpstr (g_ptr_array_index (cb_item_get_countries (item), 0), ==, "US");
  g_assert_cmpstr (cb_item_get_design (item), ==, "randomised-trial");
  g_assert_cmpint (cb_item_get_status (cb_corpus_lookup_item (merged, "inset_box:7.2.2")), ==,
                   CB_ITEM_STATUS_RETIRED);
  g_assert_cmpuint (cb_item_get_countries (cb_corpus_lookup_item (merged, "case_study:4.2.5"))->len, ==, 0);

  g_unlink (out);
  g_rmdir (dir);
}

static void
test_search (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) text = { 0 };
  g_auto(Run) filtered = { 0 };
  g_auto(Run) excluded = { 0 };
  g_auto(Run) bad_limit = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) filtered_root = NULL;
  JsonArray *array;
  JsonObject *first;

  run_cli (&run, "search", "pulse oximeter", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), >=, 2);
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "case_study:6.2.1");
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "case_study");
  g_assert_cmpstr (json_object_get_string_member (first, "number"), ==, "6.2.1");
  g_assert_cmpint (json_object_get_int_member (first, "chapter"), ==, 6);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (first, "countries"), 0), ==, "GB");
  g_assert_cmpstr (json_object_get_string_member (first, "design"), ==, "policy-guidance");
  g_assert_cmpfloat (json_object_get_double_member (first, "score"), >,
                     json_object_get_double_member (json_array_get_object_element (array, 1), "score"));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "snippet"), "<mark>"));

  run_cli (&text, "search", "hypertension", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "case_study:5.2.1"));
  /* Matched words are marked, stemmed forms too */
  g_assert_nonnull (strstr (text.out, "[hypertensive]"));

  /* Repeated filters are alternatives */
  run_cli (&filtered, "search", "", "--country", "NZ", "--country", "South Africa", "--kind", "box", "--kind",
           "case", "--json", "--limit", "0", NULL);
  g_assert_cmpint (filtered.status, ==, 0);
  filtered_root = parse_json (filtered.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (filtered_root)), ==, 3);

  /* "--" lets a query start with "-" */
  run_cli (&excluded, "search", "--", "-racism", NULL);
  g_assert_cmpint (excluded.status, ==, 0);
  g_assert_nonnull (strstr (excluded.out, "results"));

  run_cli (&bad_limit, "search", "x", "--limit", "-3", NULL);
  g_assert_cmpint (bad_limit.status, ==, 2);
}

static void
test_facets (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *facets;
  JsonArray *kinds;
  guint selected = 0;

  run_cli (&run, "facets", "training", "--kind", "case", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  facets = json_object_get_object_member (json_node_get_object (root), "facets");
  kinds = json_object_get_array_member (facets, "kind");
  for (guint i = 0; i < json_array_get_length (kinds); i++)
    {
      JsonObject *kind = json_array_get_object_element (kinds, i);

      if (json_object_get_boolean_member (kind, "selected"))
        {
          selected++;
          g_assert_cmpstr (json_object_get_string_member (kind, "value"), ==, "case_study");
          g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "total"), ==,
                           json_object_get_int_member (kind, "count"));
        }
    }
  g_assert_cmpuint (selected, ==, 1);
  g_assert_true (json_object_has_member (facets, "country"));
  g_assert_true (json_object_has_member (facets, "type"));
  g_assert_true (json_object_has_member (facets, "design"));
  g_assert_true (json_object_has_member (facets, "chapter"));
}

static void
test_index (void)
{
  g_auto(Run) run = { 0 };
  g_auto(Run) again = { 0 };

  run_cli (&run, "index", "--rebuild", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Items: 191"));
  g_assert_nonnull (strstr (run.out, "Rebuilt"));

  run_cli (&again, "index", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "Up to date"));
}

static void
test_stats (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *kinds;

  run_cli (&run, "stats", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "items"), ==, 191);
  kinds = json_object_get_object_member (json_node_get_object (root), "kinds");
  g_assert_cmpint (json_object_get_int_member (kinds, "case_study"), ==, 23);
  g_assert_cmpint (json_object_get_int_member (kinds, "inset_box"), ==, 13);
}

static JsonObject *
pack_json (JsonNode  **root,
           const char *name)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "pack", "show", name, "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  *root = parse_json (run.out);

  return json_node_get_object (*root);
}

static char *
pack_ids (const char *name)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = json_object_get_array_member (pack_json (&root, name), "items");
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (items, i), "id"));

  return g_string_free (ids, FALSE);
}

static void
test_pack_commands (void)
{
  g_autofree char *dir = g_dir_make_tmp ("casebook-cli-pack-XXXXXX", NULL);
  g_autofree char *note_path = g_build_filename (dir, "note.txt", NULL);
  const char *note = "Ask the group: <script>alert(\"x\")</script> & 'WRES'?\nمرحبا 🎉";
  g_autofree char *ids = NULL;

  /* Made with its details; a date that is not one is refused */
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) bad = { 0 };

    run_cli (&run, "pack", "new", "Board", "--description", "For the Board", "--audience", "Trust Board",
             "--date", "2027-01-14", NULL);
    g_assert_cmpint (run.status, ==, 0);
    run_cli (&bad, "pack", "new", "Other", "--date", "2027-02-30", NULL);
    g_assert_cmpint (bad.status, ==, 1);
    g_assert_nonnull (strstr (bad.err, "2027-02-30"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "pack", "new", "board", NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "already a pack"));
  }

  /* A typo in one id adds none of them */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "pack", "add", "Board", "case_study:4.2.4", "case_study:9.9.9", NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "case_study:9.9.9"));
    ids = pack_ids ("Board");
    g_assert_cmpstr (ids, ==, "");
    g_clear_pointer (&ids, g_free);
  }
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) at = { 0 };

    run_cli (&run, "pack", "add", "Board", "case_study:4.2.4", "case_study:3.1.2", NULL);
    g_assert_cmpint (run.status, ==, 0);
    run_cli (&at, "pack", "add", "Board", "inset_box:5.1.a", "--at", "1", NULL);
    g_assert_cmpint (at.status, ==, 0);
    ids = pack_ids ("Board");
    g_assert_cmpstr (ids, ==, "inset_box:5.1.a case_study:4.2.4 case_study:3.1.2");
    g_clear_pointer (&ids, g_free);
  }

  /* An id already in the pack, even after a good one, adds nothing */
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "pack", "add", "Board", "inset_box:7.3.1", "case_study:4.2.4", NULL);
    g_assert_cmpint (run.status, ==, 1);
    ids = pack_ids ("Board");
    g_assert_cmpstr (ids, ==, "inset_box:5.1.a case_study:4.2.4 case_study:3.1.2");
    g_clear_pointer (&ids, g_free);
  }

  /* Moving counts from 1 */
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) bad = { 0 };

    run_cli (&run, "pack", "move", "Board", "inset_box:5.1.a", "3", NULL);
    g_assert_cmpint (run.status, ==, 0);
    ids = pack_ids ("Board");
    g_assert_cmpstr (ids, ==, "case_study:4.2.4 case_study:3.1.2 inset_box:5.1.a");
    g_clear_pointer (&ids, g_free);
    run_cli (&bad, "pack", "move", "Board", "inset_box:5.1.a", "0", NULL);
    g_assert_cmpint (bad.status, ==, 2);
  }

  /* Notes, from the command line or a file, come back verbatim */
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) from_file = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *items;

    run_cli (&run, "pack", "note", "Board", "case_study:4.2.4", note, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_set_contents (note_path, "From a file\n", -1, NULL));
    run_cli (&from_file, "pack", "note", "Board", "case_study:3.1.2", "--file", note_path, NULL);
    g_assert_cmpint (from_file.status, ==, 0);

    items = json_object_get_array_member (pack_json (&root, "Board"), "items");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "note"), ==, note);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "note"), ==,
                     "From a file");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "status"), ==,
                     "current");
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "pack", "note", "Board", "case_study:1.1.1", "no such item in the pack", NULL);
    g_assert_cmpint (run.status, ==, 1);
  }

  /* Every format exports; a folder that is not there gets an error and
   * no file */
  {
    const char *formats[] = { "html", "pdf", "md", "csv", "json", "ris", "bibtex", "pack" };

    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_auto(Run) run = { 0 };
        g_autofree char *name = g_strdup_printf ("board.%s", formats[i]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *contents = NULL;
        gsize length = 0;

        run_cli (&run, "pack", "export", "Board", "--format", formats[i], "-o", path, NULL);
        g_assert_cmpint (run.status, ==, 0);
        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        g_assert_cmpuint (length, >, 100);
      }
  }
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) unknown = { 0 };
    g_autofree char *lost = g_build_filename (dir, "missing", "board.html", NULL);
    g_autofree char *by_name = g_build_filename (dir, "by-name.md", NULL);
    g_auto(Run) from_name = { 0 };

    run_cli (&run, "pack", "export", "Board", "-o", lost, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_false (g_file_test (lost, G_FILE_TEST_EXISTS));
    run_cli (&unknown, "pack", "export", "Board", "--format", "docx", "-o", by_name, NULL);
    g_assert_cmpint (unknown.status, ==, 2);
    run_cli (&from_name, "pack", "export", "Board", "-o", by_name, NULL);
    g_assert_cmpint (from_name.status, ==, 0);
    g_assert_true (g_file_test (by_name, G_FILE_TEST_EXISTS));
  }

  /* The pack file comes back as a second pack, notes and all */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *path = g_build_filename (dir, "board.pack", NULL);
    g_autofree char *copy = NULL;

    run_cli (&run, "pack", "import", path, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Board (2)"));
    copy = pack_ids ("Board (2)");
    ids = pack_ids ("Board");
    g_assert_cmpstr (copy, ==, ids);
    g_clear_pointer (&ids, g_free);
  }

  /* Items the corpus lacks are kept and named */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *path = g_build_filename (dir, "lost.casebook-pack", NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonArray *items;
    const char *xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<pack xmlns=\"urn:x-casebook:pack\" format=\"1\">\n"
      "  <name>  Lost and found  </name>\n"
      "  <entries>\n"
      "    <entry item=\"case_study:9.9.9\" label=\"Case study 9.9.9\"><title>A vanished study</title>"
      "<note>Still worth a mention</note></entry>\n"
      "    <entry item=\"case_study:4.2.4\" label=\"Case study 4.2.4\"><title>Cultural safety</title></entry>\n"
      "  </entries>\n"
      "</pack>\n";

    g_assert_true (g_file_set_contents (path, xml, -1, NULL));
    run_cli (&run, "pack", "import", path, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.err, "case_study:9.9.9"));
    g_assert_null (strstr (run.err, "case_study:4.2.4"));
    items = json_object_get_array_member (pack_json (&root, "Lost and found"), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "status"), ==,
                     "missing");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "note"), ==,
                     "Still worth a mention");
  }

  /* A file that is not a pack imports nothing */
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) list = { 0 };
    g_autofree char *path = g_build_filename (dir, "board.html", NULL);

    run_cli (&run, "pack", "import", path, NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "nothing was imported"));
    run_cli (&list, "pack", "list", NULL);
    g_assert_null (strstr (list.out, "Board (3)"));
  }

  /* Rename, duplicate, remove, delete */
  {
    g_auto(Run) rename = { 0 };
    g_auto(Run) duplicate = { 0 };
    g_auto(Run) remove = { 0 };
    g_auto(Run) delete = { 0 };
    g_auto(Run) list = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *packs;

    run_cli (&rename, "pack", "rename", "Board (2)", "Induction", NULL);
    g_assert_cmpint (rename.status, ==, 0);
    run_cli (&duplicate, "pack", "duplicate", "Induction", NULL);
    g_assert_cmpint (duplicate.status, ==, 0);
    g_assert_nonnull (strstr (duplicate.out, "Induction (copy)"));
    run_cli (&remove, "pack", "remove", "Induction", "case_study:4.2.4", NULL);
    g_assert_cmpint (remove.status, ==, 0);
    ids = pack_ids ("Induction");
    g_assert_cmpstr (ids, ==, "case_study:3.1.2 inset_box:5.1.a");
    g_clear_pointer (&ids, g_free);
    run_cli (&delete, "pack", "delete", "Induction (copy)", NULL);
    g_assert_cmpint (delete.status, ==, 0);

    run_cli (&list, "pack", "list", "--json", NULL);
    g_assert_cmpint (list.status, ==, 0);
    root = parse_json (list.out);
    packs = json_node_get_array (root);
    g_assert_cmpuint (json_array_get_length (packs), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (packs, 0), "name"), ==, "Board");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (packs, 1), "name"), ==,
                     "Induction");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (packs, 2), "name"), ==,
                     "Lost and found");
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (&run, "pack", "show", "No such pack", NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "No such pack"));
  }

  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

static char *
field_in (const char *db,
          const char *id,
          const char *field)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, "--db", db, "item", "get", id, field, NULL);
  g_assert_cmpint (run.status, ==, 0);

  return g_strchomp (g_strdup (run.out));
}

static gboolean
search_finds (const char *db,
              const char *query,
              const char *id,
              gboolean    retired)
{
  g_auto(Run) run = { 0 };

  if (retired)
    run_cli (&run, "--db", db, "search", query, "--retired", "--limit", "0", NULL);
  else
    run_cli (&run, "--db", db, "search", query, "--limit", "0", NULL);
  g_assert_cmpint (run.status, ==, 0);

  return strstr (run.out, id) != NULL;
}

/* Two laptops: A is the librarian's, B receives the updates */
static void
test_librarian_commands (void)
{
  g_autofree char *dir = g_dir_make_tmp ("casebook-cli-librarian-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a", "index.sqlite", NULL);
  g_autofree char *b = g_build_filename (dir, "b", "index.sqlite", NULL);
  g_autofree char *update = g_build_filename (dir, "update-1.xml", NULL);
  g_autofree char *update2 = g_build_filename (dir, "update-2.xml", NULL);
  g_autofree char *value = NULL;
  g_autofree char *bundled = cb_get_bundled_corpus_path ();

  g_setenv ("CASEBOOK_AUTHOR", "Test Librarian", TRUE);

  /* A field changes, is checked, indexed and kept in the history */
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) bad = { 0 };
    g_auto(Run) empty = { 0 };

    run_cli (&run, "--db", a, "item", "set", "case_study:4.2.4", "countries", "NZ, INT, GB", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (search_finds (a, "cultural safety country:GB", "case_study:4.2.4", FALSE));

    run_cli (&bad, "--db", a, "item", "set", "case_study:4.2.4", "countries", "ZZ", NULL);
    g_assert_cmpint (bad.status, ==, 1);
    g_assert_nonnull (strstr (bad.err, "ZZ"));
    run_cli (&empty, "--db", a, "item", "set", "case_study:4.2.4", "title", "", NULL);
    g_assert_cmpint (empty.status, ==, 1);
    value = field_in (a, "case_study:4.2.4", "countries");
    g_assert_cmpstr (value, ==, "NZ, INT, GB");
    g_clear_pointer (&value, g_free);
  }
  {
    g_auto(Run) run = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonArray *history;
    JsonObject *last;
    JsonObject *change;

    run_cli (&run, "--db", a, "item", "history", "case_study:4.2.4", "--json", NULL);
    g_assert_cmpint (run.status, ==, 0);
    root = parse_json (run.out);
    history = json_node_get_array (root);
    last = json_array_get_object_element (history, json_array_get_length (history) - 1);
    g_assert_cmpstr (json_object_get_string_member (last, "author"), ==, "Test Librarian");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last, "changes")), ==, 1);
    change = json_array_get_object_element (json_object_get_array_member (last, "changes"), 0);
    g_assert_cmpstr (json_object_get_string_member (change, "field"), ==, "countries");
    g_assert_cmpstr (json_object_get_string_member (change, "before"), ==, "INT, NZ");
    g_assert_cmpstr (json_object_get_string_member (change, "after"), ==, "NZ, INT, GB");
  }

  /* Retired items leave search, and come back */
  {
    g_auto(Run) retire = { 0 };
    g_auto(Run) restore = { 0 };

    run_cli (&retire, "--db", a, "item", "retire", "inset_box:5.1.a", NULL);
    g_assert_cmpint (retire.status, ==, 0);
    g_assert_false (search_finds (a, "South Africa", "inset_box:5.1.a", FALSE));
    g_assert_true (search_finds (a, "South Africa", "inset_box:5.1.a", TRUE));
    run_cli (&restore, "--db", a, "item", "restore", "inset_box:5.1.a", NULL);
    g_assert_cmpint (restore.status, ==, 0);
    g_assert_true (search_finds (a, "South Africa", "inset_box:5.1.a", FALSE));
  }

  /* The update file carries the edits, a version and a checksum */
  {
    g_auto(Run) retire = { 0 };
    g_auto(Run) run = { 0 };
    g_auto(Run) diff = { 0 };
    g_autofree char *contents = NULL;

    run_cli (&retire, "--db", a, "item", "retire", "inset_box:7.2.2", NULL);
    g_assert_cmpint (retire.status, ==, 0);
    run_cli (&run, "--db", a, "corpus", "export", "-o", update, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "version 1"));
    g_assert_true (g_file_get_contents (update, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "checksum=\"sha256:"));

    run_cli (&diff, "corpus", "diff", bundled, update, NULL);
    g_assert_cmpint (diff.status, ==, 0);
    g_assert_nonnull (strstr (diff.out, "~ case_study:4.2.4"));
    g_assert_nonnull (strstr (diff.out, "~ inset_box:7.2.2"));
    g_assert_null (strstr (diff.out, "inset_box:5.1.a"));
  }

  /* B previews, then applies; its pack keeps the item the update retires */
  {
    g_auto(Run) pack = { 0 };
    g_auto(Run) add = { 0 };
    g_auto(Run) dry = { 0 };
    g_auto(Run) run = { 0 };
    g_auto(Run) show = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *entry;

    run_cli (&pack, "--db", b, "pack", "new", "Session", NULL);
    run_cli (&add, "--db", b, "pack", "add", "Session", "inset_box:7.2.2", NULL);
    g_assert_cmpint (add.status, ==, 0);

    run_cli (&dry, "--db", b, "corpus", "apply", update, "--dry-run", NULL);
    g_assert_cmpint (dry.status, ==, 0);
    g_assert_nonnull (strstr (dry.out, "case_study:4.2.4"));
    value = field_in (b, "case_study:4.2.4", "countries");
    g_assert_cmpstr (value, ==, "INT, NZ");
    g_clear_pointer (&value, g_free);

    run_cli (&run, "--db", b, "corpus", "apply", update, NULL);
    g_assert_cmpint (run.status, ==, 0);
    value = field_in (b, "case_study:4.2.4", "countries");
    g_assert_cmpstr (value, ==, "NZ, INT, GB");
    g_clear_pointer (&value, g_free);
    g_assert_true (search_finds (b, "cultural safety country:GB", "case_study:4.2.4", FALSE));

    run_cli (&show, "--db", b, "pack", "show", "Session", "--json", NULL);
    g_assert_cmpint (show.status, ==, 0);
    root = parse_json (show.out);
    entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "items"), 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, "inset_box:7.2.2");
    g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "retired");
  }

  /* Both change one title: a conflict, settled by choice, never silently */
  {
    g_auto(Run) set_a = { 0 };
    g_auto(Run) export = { 0 };
    g_auto(Run) set_b = { 0 };
    g_auto(Run) refused = { 0 };
    g_auto(Run) chosen = { 0 };

    run_cli (&set_a, "--db", a, "item", "set", "case_study:3.1.2", "title", "Title from A", NULL);
    g_assert_cmpint (set_a.status, ==, 0);
    run_cli (&export, "--db", a, "corpus", "export", "-o", update2, NULL);
    g_assert_nonnull (strstr (export.out, "version 2"));
    run_cli (&set_b, "--db", b, "item", "set", "case_study:3.1.2", "title", "Title from B", NULL);
    g_assert_cmpint (set_b.status, ==, 0);

    run_cli (&refused, "--db", b, "corpus", "apply", update2, NULL);
    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.out, "case_study:3.1.2:title"));
    g_assert_nonnull (strstr (refused.err, "nothing was changed"));
    value = field_in (b, "case_study:3.1.2", "title");
    g_assert_cmpstr (value, ==, "Title from B");
    g_clear_pointer (&value, g_free);

    run_cli (&chosen, "--db", b, "corpus", "apply", update2, "--local", "case_study:3.1.2:title", NULL);
    g_assert_cmpint (chosen.status, ==, 0);
    value = field_in (b, "case_study:3.1.2", "title");
    g_assert_cmpstr (value, ==, "Title from B");
    g_clear_pointer (&value, g_free);
  }

  /* Damaged, cut short, newer or already applied: refused, nothing changes */
  {
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_autofree char *cut = g_build_filename (dir, "cut.xml", NULL);
    g_autofree char *flipped = g_build_filename (dir, "flipped.xml", NULL);
    g_autofree char *newer = g_build_filename (dir, "newer.xml", NULL);
    const char *files[] = { cut, flipped, newer, update2 };
    const char *reasons[] = { "", "changed or damaged", "newer", "already" };
    char *pos;

    g_assert_true (g_file_get_contents (update2, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (cut, contents, length / 2, NULL));
    pos = strstr (contents, "Title from A");
    pos[0] = 'X';
    g_assert_true (g_file_set_contents (flipped, contents, length, NULL));
    pos[0] = 'T';
    pos = strstr (contents, "format=\"1\"");
    pos[8] = '2';
    g_assert_true (g_file_set_contents (newer, contents, length, NULL));

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_auto(Run) run = { 0 };

        run_cli (&run, "--db", b, "corpus", "apply", files[i], NULL);
        g_assert_cmpint (run.status, ==, 1);
        g_assert_nonnull (strstr (run.err, reasons[i]));
        g_assert_nonnull (strstr (run.err, "nothing was changed"));
      }
    value = field_in (b, "case_study:3.1.2", "title");
    g_assert_cmpstr (value, ==, "Title from B");
  }

  g_unsetenv ("CASEBOOK_AUTHOR");
  cb_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The commands keep their index in a folder of this run */
  dir = g_dir_make_tmp ("casebook-cli-db-XXXXXX", NULL);
  db = g_build_filename (dir, "index.sqlite", NULL);
  g_setenv ("CASEBOOK_DB", db, TRUE);

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/list-json", test_list_json);
  g_test_add_func ("/cli/show", test_show);
  g_test_add_func ("/cli/validate", test_validate);
  g_test_add_func ("/cli/import-guide", test_import_guide);
  g_test_add_func ("/cli/import-guide/new-edition", test_import_guide_new_edition);
  g_test_add_func ("/cli/stats", test_stats);
  g_test_add_func ("/cli/search", test_search);
  g_test_add_func ("/cli/facets", test_facets);
  g_test_add_func ("/cli/index", test_index);
  g_test_add_func ("/cli/pack/commands", test_pack_commands);
  g_test_add_func ("/cli/librarian/commands", test_librarian_commands);

  status = g_test_run ();

  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    g_autofree char *user_db = g_build_filename (dir, "user.sqlite", NULL);

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
        g_autofree char *user_path = g_strconcat (user_db, suffixes[i], NULL);

        g_unlink (path);
        g_unlink (user_path);
      }
    g_rmdir (dir);
  }

  return status;
}
