/* test-corpus-xml.c: the corpus file: round trips, the bundled corpus, and
 * every kind of bad file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cb-corpus-check.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-xml.h"

static char *
read_all (const char *path,
          gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  if (!g_file_get_contents (path, &data, len, &error))
    g_error ("%s", error->message);

  return data;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casebook-test-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle && g_dir_read_name (handle) != NULL)
    n++;

  return n;
}

/* Reading and writing the bundled corpus changes nothing. */
static void
test_round_trip (void)
{
  g_autofree char *path = cb_get_bundled_corpus_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (path, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *original = NULL;
  gsize len;

  g_assert_no_error (error);
  bytes = cb_corpus_write_bytes (corpus, &error);
  g_assert_no_error (error);

  original = read_all (path, &len);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), original, len);
}

/* Re-importing the bundled guide text with the bundled corpus as the merge
 * base reproduces the bundled corpus byte for byte: curation survives and
 * the two never drift. */
static void
test_reimport_reproduces_bundled (void)
{
  g_autofree char *corpus_path = cb_get_bundled_corpus_path ();
  g_autofree char *guide_path = cb_get_bundled_guide_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) base = cb_corpus_read_file (corpus_path, &error);
  g_autoptr(CbGuideImporter) importer = cb_guide_importer_new ();
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *original = NULL;
  gsize len;

  g_assert_no_error (error);
  cb_guide_importer_set_base (importer, base);
  corpus = cb_guide_importer_import_file (importer, guide_path, &error);
  g_assert_no_error (error);
  bytes = cb_corpus_write_bytes (corpus, &error);
  g_assert_no_error (error);

  original = read_all (corpus_path, &len);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), original, len);
  g_assert_cmpuint (cb_guide_importer_get_merge_notes (importer)->len, ==, 0);
}

/* The bundled corpus is curated: every case study and inset box has its
 * countries, intervention types and design, and the checks find no error. */
static void
test_bundled_is_curated (void)
{
  g_autofree char *path = cb_get_bundled_corpus_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (path, &error);
  g_autoptr(CbTaxonomy) taxonomy = cb_taxonomy_get_default (&error);
  g_autoptr(GPtrArray) report = NULL;
  GPtrArray *items;
  CbItem *canadian;

  g_assert_no_error (error);
  items = cb_corpus_get_items (corpus);
  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);
      CbItemKind kind = cb_item_get_kind (item);

      g_assert_cmpuint (cb_item_get_history (item)->len, >=, 1);
      if (kind != CB_ITEM_KIND_CASE_STUDY && kind != CB_ITEM_KIND_INSET_BOX)
        continue;

      g_assert_cmpuint (cb_item_get_countries (item)->len, >=, 1);
      g_assert_cmpuint (cb_item_get_interventions (item)->len, >=, 1);
      g_assert_nonnull (cb_item_get_design (item));
      g_assert_cmpuint (cb_item_get_history (item)->len, >=, 2);
    }

  /* The Well Living House is in Toronto */
  canadian = cb_corpus_lookup_item (corpus, "case_study:1.2.1");
  g_assert_cmpstr (g_ptr_array_index (cb_item_get_countries (canadian), 0), ==, "CA");
  g_assert_cmpstr (cb_item_get_title (cb_corpus_lookup_item (corpus, "inset_box:5.1.a")), ==,
                   "Lessons from South Africa: Racism as a structural determinant of health");

  report = cb_corpus_check (corpus, taxonomy);
  for (guint i = 0; i < report->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (report, i);

      g_test_message ("%s: %s: %s", cb_severity_to_string (anomaly->severity), anomaly->item, anomaly->message);
      g_assert_cmpint (anomaly->severity, !=, CB_SEVERITY_ERROR);
      g_assert_cmpstr (anomaly->code, !=, "missing-metadata");
    }
}

typedef struct {
  guint    references;
  guint    items;
  gboolean item_before_reference;
} Counts;

static gboolean
count_reference (CbReference  *reference,
                 gpointer      user_data,
                 GError      **error)
{
  Counts *counts = user_data;

  counts->item_before_reference |= counts->items > 0;
  counts->references++;

  return TRUE;
}

static gboolean
count_item (CbItem   *item,
            gpointer  user_data,
            GError  **error)
{
  ((Counts *) user_data)->items++;

  if (g_str_equal (cb_item_get_id (item), "case_study:2.2.2"))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_CANCELLED, "stop here");
      return FALSE;
    }

  return TRUE;
}

static void
test_streaming (void)
{
  g_autofree char *path = cb_get_bundled_corpus_path ();
  g_autoptr(CbCorpus) outline = cb_corpus_new ();
  g_autoptr(GError) error = NULL;
  Counts counts = { 0 };

  /* References come first, items one at a time; a consumer can stop. */
  g_assert_false (cb_corpus_read_streaming (path, outline, count_reference, count_item, &counts, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CANCELLED);
  g_assert_cmpuint (counts.references, ==, 30);
  g_assert_false (counts.item_before_reference);
  g_assert_cmpuint (counts.items, >, 10);
  g_assert_cmpuint (counts.items, <, 100);
  g_assert_cmpuint (cb_corpus_get_items (outline)->len, ==, 0);
  g_assert_cmpuint (cb_corpus_get_chapters (outline)->len, ==, 7);
}

static const char minimal_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n"
  "  <guide><title>T</title></guide>\n"
  "  <references/>\n";

static void
test_bad_files (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *bundled_path = cb_get_bundled_corpus_path ();
  g_autofree char *bundled = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *doctype_after_comment = NULL;
  gsize bundled_len;
  const struct {
    const char *name;
    const char *content;
    int code;
    const char *expect;
  } cases[] = {
    { "empty", "", CB_ERROR_PARSE, ":1:" },
    { "not-xml", "this is not XML\n", CB_ERROR_PARSE, ":1:" },
    { "unclosed",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n  <guide>\n",
      CB_ERROR_PARSE, ":" },
    { "schema",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n"
      "  <guide><title>T</title></guide>\n  <references/>\n  <items>\n"
      "    <item id=\"case_study:1.1.1\" kind=\"case_study\" origin=\"guide\" status=\"maybe\"><title>x</title></item>\n"
      "  </items>\n</corpus>\n",
      CB_ERROR_INVALID, ":6:" },
    { "bad-country",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n"
      "  <guide><title>T</title></guide>\n  <references/>\n  <items>\n"
      "    <item id=\"case_study:1.1.1\" kind=\"case_study\" origin=\"guide\" status=\"active\"><title>x</title>"
      "<countries><country>uk</country></countries></item>\n"
      "  </items>\n</corpus>\n",
      CB_ERROR_INVALID, ":6:" },
    { "newer",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"7\">\n"
      "  <guide><title>T</title></guide>\n  <references/>\n  <items/>\n</corpus>\n",
      CB_ERROR_NEWER, "newer version" },
    { "xxe",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE corpus [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\"><guide><title>&xxe;</title></guide>"
      "<references/><items/></corpus>\n",
      CB_ERROR_UNSAFE, "DOCTYPE" },
    { "billion-laughs",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
      " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
      " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
      " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
      " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
      " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
      "]>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\"><guide><title>&lol9;</title></guide>"
      "<references/><items/></corpus>\n",
      CB_ERROR_UNSAFE, "DOCTYPE" },
    { "duplicate-id",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n"
      "  <guide><title>T</title></guide>\n  <references/>\n  <items>\n"
      "    <item id=\"glossary:race\" kind=\"glossary\" origin=\"guide\" status=\"active\"><title>Race</title></item>\n"
      "    <item id=\"glossary:race\" kind=\"glossary\" origin=\"guide\" status=\"active\"><title>Race</title></item>\n"
      "  </items>\n</corpus>\n",
      CB_ERROR_CONFLICT, ":7: Duplicate item id “glossary:race”" },
    { "truncated", NULL, CB_ERROR_PARSE, "truncated" },
    /* Found in review: each once crashed or misbehaved */
    { "lone-paragraph", "<p/>", CB_ERROR_INVALID, ":1:" },
    { "cite-without-ref",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n"
      "  <guide><title>T</title></guide>\n  <references/>\n  <items>\n"
      "    <item id=\"glossary:race\" kind=\"glossary\" origin=\"guide\" status=\"active\"><title>Race</title>"
      "<cites><cite/></cites></item>\n  </items>\n</corpus>\n",
      CB_ERROR_INVALID, ":6:" },
    { "reference-without-id",
      "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n"
      "  <guide><title>T</title></guide>\n  <references>\n    <reference kind=\"book\"/>\n  </references>\n"
      "  <items/>\n</corpus>\n",
      CB_ERROR_INVALID, ":5:" },
    { "doctype-after-comment", NULL, CB_ERROR_UNSAFE, "DOCTYPE" },
  };

  bundled = read_all (bundled_path, &bundled_len);
  truncated = g_strndup (bundled, bundled_len / 2);
  {
    /* A DOCTYPE hidden behind a comment longer than any fixed window */
    g_autoptr(GString) padded = g_string_new ("<?xml version=\"1.0\"?>\n<!--");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (padded, 'x');
    g_string_append (padded, "-->\n<!DOCTYPE corpus [<!ENTITY a \"b\">]>\n<corpus/>\n");
    doctype_after_comment = g_string_free (g_steal_pointer (&padded), FALSE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbCorpus) corpus = NULL;

      const char *content = cases[i].content;

      if (content == NULL)
        content = g_str_equal (cases[i].name, "truncated") ? truncated : doctype_after_comment;
      g_assert_true (g_file_set_contents (path, content, -1, NULL));
      corpus = cb_corpus_read_file (path, &error);
      g_assert_null (corpus);
      if (error == NULL || error->code != cases[i].code || strstr (error->message, cases[i].expect) == NULL ||
          strstr (error->message, path) == NULL)
        g_error ("%s: unexpected error: %s", cases[i].name, error ? error->message : "(none)");
      g_test_message ("%s: %s", cases[i].name, error->message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing = g_build_filename (dir, "missing.xml", NULL);

    g_assert_null (cb_corpus_read_file (missing, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  }

  remove_dir (dir);
}

/* Deeply nested tables in a valid file (frames reallocated while reading) */
static void
test_deep_nesting (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "deep.xml", NULL);
  g_autoptr(GString) xml = g_string_new (minimal_head);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) corpus = NULL;
  CbBlock *block;
  guint depth = 0;

  g_string_append (xml, "  <items>\n    <item id=\"inset_box:1.1.1\" kind=\"inset_box\" origin=\"guide\" "
                        "status=\"active\" number=\"1.1.1\"><title>Deep</title><part name=\"body\">");
  for (guint i = 0; i < 12; i++)
    g_string_append (xml, "<table><row><cell>");
  g_string_append (xml, "<list><li n=\"1\"><lead><strong><em>Lead</em></strong></lead> text</li></list>");
  for (guint i = 0; i < 12; i++)
    g_string_append (xml, "</cell></row></table>");
  g_string_append (xml, "</part></item>\n  </items>\n</corpus>\n");

  g_assert_true (g_file_set_contents (path, xml->str, -1, NULL));
  corpus = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);

  block = g_ptr_array_index (cb_item_get_part (cb_corpus_lookup_item (corpus, "inset_box:1.1.1"), "body")->blocks, 0);
  while (block->kind == CB_BLOCK_TABLE)
    {
      block = g_ptr_array_index (((CbBlock *) g_ptr_array_index (block->children, 0))->children, 0);
      block = g_ptr_array_index (block->children, 0);
      depth++;
    }
  g_assert_cmpuint (depth, ==, 12);
  g_assert_cmpint (block->kind, ==, CB_BLOCK_LIST);
  block = g_ptr_array_index (block->children, 0);
  g_assert_cmpstr (((CbSpan *) g_ptr_array_index (block->lead, 0))->text, ==, "Lead");
  g_assert_cmpint (((CbSpan *) g_ptr_array_index (block->lead, 0))->flags, ==, CB_SPAN_STRONG | CB_SPAN_EMPHASIS);

  remove_dir (dir);
}

/* The index's item fragments are read without the schema. Revisions and
 * changes nested where they do not belong (found by fuzzing: a crash on a
 * NULL revision or change, and a leaked <before> when there were two) read
 * without harm, whatever they give. */
static void
test_fragment_nesting (void)
{
  const char *fragments[] = {
    "<item id=\"section:x\" kind=\"section\"><history><revision date=\"2025-01-01T00:00:00Z\" author=\"a\">"
    "<revision date=\"2025-01-01T00:00:00Z\" author=\"b\"/><summary>s</summary></revision></history></item>",
    "<item id=\"section:x\" kind=\"section\"><history><revision date=\"2025-01-01T00:00:00Z\" author=\"a\">"
    "<summary>s<revision date=\"2025-01-01T00:00:00Z\" author=\"b\"/></summary></revision></history></item>",
    "<item id=\"section:x\" kind=\"section\"><history><revision date=\"2025-01-01T00:00:00Z\" author=\"a\">"
    "<change field=\"title\"><change field=\"x\"/><before>a</before></change></revision></history></item>",
    "<item id=\"section:x\" kind=\"section\"><history><revision date=\"2025-01-01T00:00:00Z\" author=\"a\">"
    "<change field=\"title\"><before>a</before><before>b</before><after>c</after><after>d</after></change>"
    "</revision></history></item>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fragments); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbItem) item = cb_item_from_xml (fragments[i], strlen (fragments[i]), &error);

      g_assert_true ((item != NULL) != (error != NULL));
      if (item != NULL)
        g_assert_cmpstr (cb_item_get_id (item), ==, "section:x");
    }
}

static void
test_minimal_document (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "minimal.xml", NULL);
  g_autofree char *content = g_strconcat (minimal_head, "  <items/>\n</corpus>\n", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) corpus = NULL;

  g_assert_true (g_file_set_contents (path, content, -1, NULL));
  corpus = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_corpus_get_title (corpus), ==, "T");
  remove_dir (dir);
}

/* A write that fails leaves the old file whole and no temporary file. */
static void
test_atomic_write (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "corpus.xml", NULL);
  g_autofree char *vanished = g_build_filename (dir, "gone", "corpus.xml", NULL);
  g_autoptr(CbCorpus) corpus = cb_corpus_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CbItem *item;

  cb_corpus_set_title (corpus, "A title with <markup> & “quotes”");
  item = cb_item_new ("glossary:race", CB_ITEM_KIND_GLOSSARY);
  cb_item_set_title (item, "Race");
  cb_corpus_add_item (corpus, item, NULL);

  g_assert_true (cb_corpus_write_file (corpus, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  before = read_all (path, NULL);

  /* A control character cannot go into XML: refused, nothing changes. */
  cb_item_set_title (item, "Race\x01");
  g_assert_false (cb_corpus_write_file (corpus, path, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "glossary:race"));
  g_clear_error (&error);
  after = read_all (path, NULL);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_files (dir), ==, 1);

  /* A folder that does not exist */
  cb_item_set_title (item, "Race");
  g_assert_false (cb_corpus_write_file (corpus, vanished, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_clear_error (&error);

  /* The written file reads back with its escaped text intact */
  {
    g_autoptr(CbCorpus) back = cb_corpus_read_file (path, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (cb_corpus_get_title (back), ==, "A title with <markup> & “quotes”");
  }

  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/corpus-xml/round-trip", test_round_trip);
  g_test_add_func ("/corpus-xml/reimport-reproduces-bundled", test_reimport_reproduces_bundled);
  g_test_add_func ("/corpus-xml/bundled-is-curated", test_bundled_is_curated);
  g_test_add_func ("/corpus-xml/streaming", test_streaming);
  g_test_add_func ("/corpus-xml/bad-files", test_bad_files);
  g_test_add_func ("/corpus-xml/minimal", test_minimal_document);
  g_test_add_func ("/corpus-xml/deep-nesting", test_deep_nesting);
  g_test_add_func ("/corpus-xml/fragment-nesting", test_fragment_nesting);
  g_test_add_func ("/corpus-xml/atomic-write", test_atomic_write);

  return g_test_run ();
}
