/* test-corpus-update.c: corpus versions, corpus update files and every way
 * one is refused, the corpus checks, and the check of one edited item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cb-corpus-check.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-xml.h"

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casebook-update-XXXXXX", &error);

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

static CbCorpus *
read_bundled (void)
{
  g_autofree char *path = cb_get_bundled_corpus_path ();
  g_autoptr(GError) error = NULL;
  CbCorpus *corpus = cb_corpus_read_file (path, &error);

  g_assert_no_error (error);

  return corpus;
}

/* The checksum as the update format defines it, computed here on its own:
 * the SHA-256 of the bytes with the checksum's value empty. Fills in
 * `checksum=""` in @xml. */
static char *
seal (const char *xml)
{
  const char *slot = strstr (xml, "checksum=\"\"");
  g_autofree char *sum = NULL;
  gsize offset;

  g_assert_nonnull (slot);
  offset = slot - xml + strlen ("checksum=\"");
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, xml, -1);

  return g_strdup_printf ("%.*ssha256:%s%s", (int) offset, xml, sum, xml + offset);
}

/* Versions */

static void
test_version (void)
{
  g_autoptr(CbCorpus) corpus = cb_corpus_new ();
  g_autoptr(GBytes) unversioned = NULL;
  g_autoptr(GBytes) versioned = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "corpus.xml", NULL);

  g_assert_cmpuint (cb_corpus_get_version (corpus), ==, 0);
  cb_corpus_set_title (corpus, "T");

  /* Unversioned corpora are written as before: no attribute */
  unversioned = cb_corpus_write_bytes (corpus, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (unversioned, NULL), g_bytes_get_size (unversioned),
                                  "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">"));

  cb_corpus_set_version (corpus, 3);
  g_assert_cmpuint (cb_corpus_get_version (corpus), ==, 3);
  versioned = cb_corpus_write_bytes (corpus, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (versioned, NULL), g_bytes_get_size (versioned),
                                  "format=\"1\" version=\"3\">"));

  /* Any corpus file keeps its version */
  cb_corpus_set_version (corpus, G_MAXUINT);
  g_assert_true (cb_corpus_write_file (corpus, path, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CbCorpus) back = cb_corpus_read_file (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cb_corpus_get_version (back), ==, G_MAXUINT);
  }

  /* The schema takes positive integers that fit */
  {
    const char *bad[] = { "0", "-1", "x", "4294967296" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *xml = g_strdup_printf ("<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" "
                                                "format=\"1\" version=\"%s\">\n  <guide><title>T</title></guide>\n"
                                                "  <references/>\n  <items/>\n</corpus>\n", bad[i]);
        g_autoptr(CbCorpus) refused = NULL;

        g_assert_true (g_file_set_contents (path, xml, -1, NULL));
        refused = cb_corpus_read_file (path, &error);
        g_assert_null (refused);
        g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
        g_clear_error (&error);
      }
  }

  remove_dir (dir);
}

/* Update files */

static void
test_round_trip (void)
{
  g_autoptr(CbCorpus) corpus = read_bundled ();
  g_autoptr(CbCorpus) back = NULL;
  g_autoptr(CbCorpus) plain = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) actual = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "update.xml", NULL);
  g_autofree char *data = NULL;
  g_autofree char *blanked = NULL;
  g_autofree char *sum = NULL;
  GPtrArray *items, *back_items;
  const char *value;
  gsize len;

  cb_corpus_set_version (corpus, 7);
  g_assert_true (cb_corpus_write_update_file (corpus, path, &error));
  g_assert_no_error (error);

  /* The root carries the version and the checksum of the bytes with the
   * checksum's value empty */
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_true (g_str_has_prefix (data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                         "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\" version=\"7\" "
                                         "checksum=\"sha256:"));
  value = strstr (data, "sha256:") + strlen ("sha256:");
  blanked = g_strdup_printf ("%.*s%s", (int) (value - data - strlen ("sha256:")), data, value + 64);
  sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, blanked, -1);
  g_assert_cmpmem (value, 64, sum, 64);

  back = cb_corpus_read_update (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpuint (cb_corpus_get_version (back), ==, 7);

  items = cb_corpus_get_items (corpus);
  back_items = cb_corpus_get_items (back);
  g_assert_cmpuint (back_items->len, ==, items->len);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(GBytes) a = cb_item_to_xml (g_ptr_array_index (items, i), NULL);
      g_autoptr(GBytes) b = cb_item_to_xml (g_ptr_array_index (back_items, i), NULL);

      g_assert_true (g_bytes_equal (a, b));
    }
  g_assert_cmpuint (cb_corpus_get_references (back)->len, ==, cb_corpus_get_references (corpus)->len);

  /* Everything else survives too */
  expected = cb_corpus_write_bytes (corpus, &error);
  g_assert_no_error (error);
  actual = cb_corpus_write_bytes (back, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (expected, actual));

  /* An update file is a corpus file */
  plain = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_corpus_get_version (plain), ==, 7);

  /* The bytes are the file */
  {
    g_autoptr(GBytes) bytes = cb_corpus_write_update (corpus, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, len);
  }

  remove_dir (dir);
}

/* A corpus that cannot be written leaves the old update file as it was */
static void
test_write_refused (void)
{
  g_autoptr(CbCorpus) corpus = cb_corpus_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "update.xml", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CbItem *item = cb_item_new ("glossary:race", CB_ITEM_KIND_GLOSSARY);

  cb_item_set_title (item, "Race");
  cb_corpus_set_title (corpus, "T");
  cb_corpus_add_item (corpus, item, NULL);
  g_assert_true (cb_corpus_write_update_file (corpus, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  cb_item_set_title (item, "Race\x01");
  g_assert_false (cb_corpus_write_update_file (corpus, path, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);

  remove_dir (dir);
}

typedef struct {
  const char *name;
  char       *content;
  gssize      len;
  int         code;
  const char *expect;
} Refusal;

static void
test_refusals (void)
{
  g_autoptr(CbCorpus) corpus = read_bundled ();
  g_autoptr(GBytes) update = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *good = NULL;
  g_autofree char *head = NULL;
  const char *text;
  gsize len;
#define MINIMAL(format, items) \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
    "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"" format "\" version=\"2\" checksum=\"\">\n" \
    "  <guide><title>T</title></guide>\n" \
    "  <references/>\n" \
    "  <items>\n" items "  </items>\n" \
    "</corpus>\n"
#define GLOSSARY(status) \
    "    <item id=\"glossary:race\" kind=\"glossary\" origin=\"guide\" status=\"" status "\"><title>Race</title></item>\n"
  const char *valid_minimal = MINIMAL ("1", GLOSSARY ("active"));
  const char *schema_minimal = MINIMAL ("1", GLOSSARY ("maybe"));
  const char *duplicate_minimal = MINIMAL ("1", GLOSSARY ("active") GLOSSARY ("active"));
  const char *newer_minimal = MINIMAL ("2", "    <future-element/>\n");
  GPtrArray *cases = g_ptr_array_new ();
  Refusal *c;

#define ADD_CASE(n, data, length, error_code, expected) \
  G_STMT_START { \
    c = g_newa (Refusal, 1); \
    c->name = (n); c->content = (data); c->len = (length); c->code = (error_code); c->expect = (expected); \
    g_ptr_array_add (cases, c); \
  } G_STMT_END

  cb_corpus_set_version (corpus, 7);
  update = cb_corpus_write_update (corpus, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (update, &len);
  good = g_strndup (text, len);
  head = g_strndup (text, strstr (text, "<guide>") - text);

  /* The file as made is fine */
  {
    g_autoptr(CbCorpus) back = cb_corpus_read_update_bytes (update, "good.xml", &error);

    g_assert_no_error (error);
    g_assert_nonnull (back);
  }

  /* Cut short anywhere inside: not well-formed */
  ADD_CASE ("truncated-in-head", g_strndup (good, 60), -1, CB_ERROR_PARSE, "truncated-in-head:");
  ADD_CASE ("truncated-in-guide", g_strndup (good, strstr (good, "<contents>") - good + 20), -1,
            CB_ERROR_PARSE, "truncated");
  ADD_CASE ("truncated-in-half", g_strndup (good, len / 2), -1, CB_ERROR_PARSE, "truncated");
  ADD_CASE ("truncated-in-item", g_strndup (good, strstr (good, "Engagement of Black patients") - good + 10), -1,
            CB_ERROR_PARSE, "truncated");
  ADD_CASE ("truncated-at-end", g_strndup (good, len - 5), -1, CB_ERROR_PARSE, ":");
  /* Only the last newline gone: still XML, but not the file that was made */
  ADD_CASE ("truncated-newline", g_strndup (good, len - 1), -1, CB_ERROR_CORRUPT,
            "changed or damaged after it was made");

  /* One byte changed in an item's text, and in a country code (which also
   * breaks the schema: damage is what is reported) */
  {
    char *flipped = g_strdup (good);
    char *country = g_strdup (good);

    *strstr (flipped, "Engagement of Black patients") ^= 0x01;
    strstr (country, "<country>GB</country>")[strlen ("<country>")] = 'g';
    ADD_CASE ("flipped-text", flipped, -1, CB_ERROR_CORRUPT, "changed or damaged after it was made");
    ADD_CASE ("flipped-country", country, -1, CB_ERROR_CORRUPT, "changed or damaged after it was made");
  }

  /* A checksum in another form, or none */
  {
    g_autoptr(GString) s = g_string_new (good);
    g_autoptr(GString) none = g_string_new (good);
    g_autoptr(GString) upper = g_string_new (good);
    const char *value = strstr (good, "checksum=\"") + strlen ("checksum=\"");

    g_string_replace (s, "checksum=\"sha256:", "checksum=\"md5:", 1);
    ADD_CASE ("md5", g_strdup (s->str), -1, CB_ERROR_CORRUPT, "sha256:HEX");

    g_string_erase (none, value - good - strlen (" checksum=\""), strlen (" checksum=\"sha256:\"") + 64);
    g_assert_true (g_str_has_prefix (none->str + strlen ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
                                     "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\" version=\"7\">\n"));
    ADD_CASE ("no-checksum", g_strdup (none->str), -1, CB_ERROR_INVALID, "not a corpus update file: it has no checksum");

    for (gsize i = 0; i < 64; i++)
      upper->str[value - good + strlen ("sha256:") + i] = g_ascii_toupper (value[strlen ("sha256:") + i]);
    ADD_CASE ("upper-case-checksum", g_strdup (upper->str), -1, CB_ERROR_CORRUPT, "sha256:HEX");
  }

  /* A plain corpus file is no update file */
  {
    g_autofree char *path = cb_get_bundled_corpus_path ();
    char *bundled = NULL;

    g_assert_true (g_file_get_contents (path, &bundled, NULL, NULL));
    ADD_CASE ("bundled", bundled, -1, CB_ERROR_INVALID, "it has no checksum");
  }

  /* A newer format says so, whatever its checksum or schema */
  {
    g_autoptr(GString) s = g_string_new (good);

    g_string_replace (s, "format=\"1\"", "format=\"2\"", 1);
    ADD_CASE ("format-2", g_strdup (s->str), -1, CB_ERROR_NEWER, "made by a newer version of Casebook");
    ADD_CASE ("format-2-sealed", seal (newer_minimal), -1, CB_ERROR_NEWER, "made by a newer version of Casebook");
  }

  /* Sealed, but breaking the schema or repeating an id */
  ADD_CASE ("schema", seal (schema_minimal), -1, CB_ERROR_INVALID, "schema:6:");
  ADD_CASE ("duplicate-id", seal (duplicate_minimal), -1, CB_ERROR_CONFLICT, "Duplicate item id “glossary:race”");

  /* What a corpus file refuses */
  ADD_CASE ("empty", g_strdup (""), 0, CB_ERROR_PARSE, "empty:1:1:");
  ADD_CASE ("not-xml", g_strdup ("this is not XML\n"), -1, CB_ERROR_PARSE, "not-xml:1:");
  ADD_CASE ("binary", g_strdup ("\x89PNG\r\n\x1a\n"), 8, CB_ERROR_PARSE, "binary:");
  {
    g_autofree char *body = g_strdup (good + strlen (head));
    g_autoptr(GString) padded = g_string_new ("<?xml version=\"1.0\"?>\n<!--");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (padded, 'x');
    g_string_append (padded, "-->\n<!DOCTYPE corpus [<!ENTITY a \"b\">]>\n<corpus/>\n");

    ADD_CASE ("doctype", g_strconcat ("<?xml version=\"1.0\"?>\n<!DOCTYPE corpus [<!ENTITY xxe SYSTEM "
                                      "\"file:///etc/passwd\">]>\n", head + strlen ("<?xml version=\"1.0\" "
                                                                                    "encoding=\"UTF-8\"?>\n"),
                                      body, NULL),
              -1, CB_ERROR_UNSAFE, "doctype:2:1: Documents with a DOCTYPE are refused");
    ADD_CASE ("doctype-after-comment", g_strdup (padded->str), -1, CB_ERROR_UNSAFE, "DOCTYPE");
    ADD_CASE ("billion-laughs",
              g_strdup ("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
                        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
                        "]>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\" checksum=\"\">"
                        "<guide><title>&lol2;</title></guide><references/><items/></corpus>\n"),
              -1, CB_ERROR_UNSAFE, "DOCTYPE");
    ADD_CASE ("entity", seal ("<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\" "
                              "checksum=\"\"><guide><title>&xxe;</title></guide><references/><items/></corpus>\n"),
              -1, CB_ERROR_PARSE, "entity:2:");
  }

  /* The sealed minimal file itself is fine */
  {
    g_autofree char *sealed = seal (valid_minimal);
    g_autoptr(GBytes) bytes = g_bytes_new (sealed, strlen (sealed));
    g_autoptr(CbCorpus) minimal_corpus = cb_corpus_read_update_bytes (bytes, "minimal.xml", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (cb_corpus_get_version (minimal_corpus), ==, 2);
    g_assert_nonnull (cb_corpus_lookup_item (minimal_corpus, "glossary:race"));
  }

  for (guint i = 0; i < cases->len; i++)
    {
      Refusal *r = g_ptr_array_index (cases, i);
      g_autofree char *path = g_build_filename (dir, r->name, NULL);
      gsize size = r->len < 0 ? strlen (r->content) : (gsize) r->len;
      g_autoptr(GBytes) bytes = g_bytes_new (r->content, size);
      g_autoptr(CbCorpus) from_file = NULL;
      g_autoptr(CbCorpus) from_bytes = NULL;
      g_autoptr(GError) file_error = NULL;
      g_autoptr(GError) bytes_error = NULL;

      g_assert_true (g_file_set_contents (path, r->content, size, NULL));
      from_file = cb_corpus_read_update (path, &file_error);
      from_bytes = cb_corpus_read_update_bytes (bytes, r->name, &bytes_error);

      g_test_message ("%s: %s", r->name, file_error ? file_error->message : "(no error)");
      if (from_file != NULL || file_error == NULL || !g_error_matches (file_error, CB_ERROR, r->code) ||
          strstr (file_error->message, path) == NULL)
        g_error ("%s: expected code %d naming %s, got %s", r->name, r->code, path,
                 file_error ? file_error->message : "a corpus");
      if (from_bytes != NULL || bytes_error == NULL || !g_error_matches (bytes_error, CB_ERROR, r->code) ||
          !g_str_has_prefix (bytes_error->message, r->name) || strstr (bytes_error->message, r->expect) == NULL)
        g_error ("%s: expected code %d with “%s”, got %s", r->name, r->code, r->expect,
                 bytes_error ? bytes_error->message : "a corpus");

      /* Parse errors carry the line and column */
      if (r->code == CB_ERROR_PARSE)
        {
          g_autoptr(GRegex) where = g_regex_new ("^[^:]+:[0-9]+:[0-9]+: ", 0, 0, NULL);

          if (!g_regex_match (where, bytes_error->message, 0, NULL))
            g_error ("%s: no line and column in “%s”", r->name, bytes_error->message);
        }

      g_free (r->content);
    }

  {
    g_autofree char *missing = g_build_filename (dir, "missing.xml", NULL);
    g_autoptr(CbCorpus) none = cb_corpus_read_update (missing, &error);

    g_assert_null (none);
    g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
    g_clear_error (&error);
  }

#undef ADD_CASE
#undef GLOSSARY
#undef MINIMAL

  g_ptr_array_unref (cases);
  remove_dir (dir);
}

/* Corpus checks */

static CbTaxonomy *
taxonomy (void)
{
  g_autoptr(GError) error = NULL;
  CbTaxonomy *result = cb_taxonomy_get_default (&error);

  g_assert_no_error (error);

  return result;
}

static CbReference *
reference_new (const char *id,
               const char *doi)
{
  CbReference *reference = cb_reference_new ();

  cb_reference_set_id (reference, id);
  cb_reference_set_kind (reference, "article");
  cb_reference_set_title (reference, "A study");
  cb_reference_set_year (reference, "2019");
  cb_reference_set_doi (reference, doi);

  return reference;
}

static CbItem *
evidence_new (const char *id,
              CbItemKind  kind,
              const char *number,
              guint       chapter,
              const char *section)
{
  CbItem *item = cb_item_new (id, kind);
  CbPart *part = cb_part_new (kind == CB_ITEM_KIND_CASE_STUDY ? "background" : "body");
  CbBlock *paragraph = cb_block_new (CB_BLOCK_PARAGRAPH);

  cb_item_set_title (item, "A curated item");
  cb_item_set_number (item, number);
  cb_item_set_chapter (item, chapter);
  cb_item_set_section (item, section);
  cb_item_add_country (item, "GB");
  cb_item_add_intervention (item, "racial-concordance");
  cb_item_set_design (item, "randomised-trial");
  cb_item_add_reference (item, "reference:alsan2019");
  g_ptr_array_add (paragraph->spans, cb_span_new ("Some text.", 0, NULL));
  g_ptr_array_add (part->blocks, paragraph);
  cb_item_add_part (item, part);

  return item;
}

/* A small clean corpus: chapters 3 and 4 with two sections each, two
 * curated case studies, one inset box and a cited reference */
static CbCorpus *
clean_corpus (void)
{
  CbCorpus *corpus = cb_corpus_new ();

  cb_corpus_set_title (corpus, "T");
  cb_corpus_add_contents_entry (corpus, CB_CONTENTS_CHAPTER, "3", "Three", 30);
  cb_corpus_add_contents_entry (corpus, CB_CONTENTS_SECTION, "3.1", "One", 31);
  cb_corpus_add_contents_entry (corpus, CB_CONTENTS_SECTION, "3.2", "Two", 32);
  cb_corpus_add_contents_entry (corpus, CB_CONTENTS_CHAPTER, "4", "Four", 40);
  cb_corpus_add_contents_entry (corpus, CB_CONTENTS_SECTION, "4.1", "One", 41);
  cb_corpus_add_contents_entry (corpus, CB_CONTENTS_SECTION, "4.2", "Two", 42);
  g_assert_true (cb_corpus_add_reference (corpus, reference_new ("reference:alsan2019", "10.1257/aer.20181865"), NULL));
  g_assert_true (cb_corpus_add_item (corpus, evidence_new ("case_study:3.1.1", CB_ITEM_KIND_CASE_STUDY,
                                                           "3.1.1", 3, "3.1"), NULL));
  g_assert_true (cb_corpus_add_item (corpus, evidence_new ("case_study:3.1.2", CB_ITEM_KIND_CASE_STUDY,
                                                           "3.1.2", 3, "3.1"), NULL));
  g_assert_true (cb_corpus_add_item (corpus, evidence_new ("inset_box:4.2.1", CB_ITEM_KIND_INSET_BOX,
                                                           "4.2.1", 4, "4.2"), NULL));

  return corpus;
}

static gboolean
has_anomaly (GPtrArray  *report,
             const char *code,
             const char *item)
{
  for (guint i = 0; i < report->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (report, i);

      if (g_str_equal (anomaly->code, code) && g_strcmp0 (anomaly->item, item) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
assert_reports (CbCorpus   *corpus,
                const char *code,
                const char *item,
                CbSeverity  severity)
{
  g_autoptr(CbTaxonomy) tax = taxonomy ();
  g_autoptr(GPtrArray) report = cb_corpus_check (corpus, tax);

  for (guint i = 0; i < report->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (report, i);

      g_test_message ("%s %s %s: %s", cb_severity_to_string (anomaly->severity), anomaly->code,
                      anomaly->item, anomaly->message);
      if (g_str_equal (anomaly->code, code) && g_strcmp0 (anomaly->item, item) == 0)
        {
          g_assert_cmpint (anomaly->severity, ==, severity);
          return;
        }
    }

  g_error ("no %s for %s", code, item);
}

static void
test_check_clean (void)
{
  g_autoptr(CbCorpus) corpus = clean_corpus ();
  g_autoptr(CbTaxonomy) tax = taxonomy ();
  g_autoptr(GPtrArray) report = cb_corpus_check (corpus, tax);

  for (guint i = 0; i < report->len; i++)
    g_test_message ("%s: %s", ((CbAnomaly *) g_ptr_array_index (report, i))->code,
                    ((CbAnomaly *) g_ptr_array_index (report, i))->message);
  g_assert_cmpuint (report->len, ==, 0);
}

static void
test_check_problems (void)
{
  /* An item cites a reference the corpus lacks */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_item_add_reference (cb_corpus_lookup_item (corpus, "case_study:3.1.2"), "reference:nobody2020");
    assert_reports (corpus, "unknown-reference", "case_study:3.1.2", CB_SEVERITY_ERROR);
  }

  /* Case study 3.2.1 in chapter 4, and in section 3.1 */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_corpus_add_item (corpus, evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 4, "4.2"), NULL);
    assert_reports (corpus, "chapter-mismatch", "case_study:3.2.1", CB_SEVERITY_WARNING);
  }
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_corpus_add_item (corpus, evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.1"), NULL);
    assert_reports (corpus, "misplaced-number", "case_study:3.2.1", CB_SEVERITY_WARNING);
  }
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    CbItem *recommendation = cb_item_new ("recommendation:4.3.1", CB_ITEM_KIND_RECOMMENDATION);

    /* The section disagrees with the chapter, and the number with the
     * section, for a recommendation too */
    cb_item_set_title (recommendation, "Do this");
    cb_item_set_number (recommendation, "4.3.1");
    cb_item_set_chapter (recommendation, 4);
    cb_item_set_section (recommendation, "3.3");
    cb_corpus_add_item (corpus, recommendation, NULL);
    assert_reports (corpus, "misplaced-number", "recommendation:4.3.1", CB_SEVERITY_WARNING);
  }
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    CbItem *section = cb_item_new ("section:4.1", CB_ITEM_KIND_SECTION);

    cb_item_set_title (section, "One");
    cb_item_set_number (section, "4.1");
    cb_item_set_chapter (section, 3);
    cb_item_set_section (section, "4.1");
    cb_corpus_add_item (corpus, section, NULL);
    assert_reports (corpus, "chapter-mismatch", "section:4.1", CB_SEVERITY_WARNING);
  }

  /* Two case studies numbered 3.1.1; an id that says another number */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_corpus_add_item (corpus, evidence_new ("case_study:copy", CB_ITEM_KIND_CASE_STUDY, "3.1.1", 3, "3.1"), NULL);
    assert_reports (corpus, "duplicate-number", "case_study:copy", CB_SEVERITY_ERROR);
  }
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_corpus_add_item (corpus, evidence_new ("case_study:3.1.9", CB_ITEM_KIND_CASE_STUDY, "3.1.3", 3, "3.1"), NULL);
    assert_reports (corpus, "id-number-mismatch", "case_study:3.1.9", CB_SEVERITY_WARNING);
  }
  /* ...but a retired item keeps its number without a clash */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    g_autoptr(CbTaxonomy) tax = taxonomy ();
    g_autoptr(GPtrArray) report = NULL;
    CbItem *retired = evidence_new ("case_study:old", CB_ITEM_KIND_CASE_STUDY, "3.1.1", 3, "3.1");

    cb_item_set_status (retired, CB_ITEM_STATUS_RETIRED);
    cb_corpus_add_item (corpus, retired, NULL);
    report = cb_corpus_check (corpus, tax);
    g_assert_false (has_anomaly (report, "duplicate-number", "case_study:old"));
  }

  /* Ids one letter case apart (the corpus refuses exact duplicates) */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    CbItem *a = cb_item_new ("glossary:race", CB_ITEM_KIND_GLOSSARY);
    CbItem *b = cb_item_new ("glossary:Race", CB_ITEM_KIND_GLOSSARY);
    CbItem *c = cb_item_new ("glossary:race", CB_ITEM_KIND_GLOSSARY);
    g_autoptr(GError) error = NULL;

    cb_item_set_title (a, "Race");
    cb_item_set_title (b, "Race");
    cb_corpus_add_item (corpus, a, NULL);
    cb_corpus_add_item (corpus, b, NULL);
    g_assert_false (cb_corpus_add_item (corpus, c, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
    assert_reports (corpus, "duplicate-id", "glossary:Race", CB_SEVERITY_ERROR);

    g_assert_true (cb_corpus_add_reference (corpus, reference_new ("reference:Alsan2019", NULL), NULL));
    cb_item_add_reference (a, "reference:Alsan2019");
    assert_reports (corpus, "duplicate-id", "reference:Alsan2019", CB_SEVERITY_ERROR);
  }

  /* Case studies and inset boxes without country, intervention type or
   * design */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_item_clear_metadata (cb_corpus_lookup_item (corpus, "case_study:3.1.1"));
    cb_item_clear_metadata (cb_corpus_lookup_item (corpus, "inset_box:4.2.1"));
    assert_reports (corpus, "missing-metadata", "case_study:3.1.1", CB_SEVERITY_WARNING);
    assert_reports (corpus, "missing-metadata", "inset_box:4.2.1", CB_SEVERITY_WARNING);
  }
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    CbItem *item = cb_corpus_lookup_item (corpus, "case_study:3.1.1");

    cb_item_set_design (item, NULL);
    assert_reports (corpus, "missing-metadata", "case_study:3.1.1", CB_SEVERITY_WARNING);
  }

  /* Terms the taxonomy lacks */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    CbItem *item = cb_corpus_lookup_item (corpus, "case_study:3.1.1");

    cb_item_add_country (item, "XX");
    cb_item_add_intervention (item, "wishful-thinking");
    cb_item_set_design (item, "hunch");
    assert_reports (corpus, "unknown-country", "case_study:3.1.1", CB_SEVERITY_ERROR);
    assert_reports (corpus, "unknown-intervention", "case_study:3.1.1", CB_SEVERITY_ERROR);
    assert_reports (corpus, "unknown-design", "case_study:3.1.1", CB_SEVERITY_ERROR);
  }

  /* A malformed DOI, and a reference no item cites */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();

    cb_reference_set_doi (cb_corpus_lookup_reference (corpus, "reference:alsan2019"), "10.12/aer");
    cb_corpus_add_reference (corpus, reference_new ("reference:lonely2020", "10.1000/lonely"), NULL);
    assert_reports (corpus, "malformed-doi", "reference:alsan2019", CB_SEVERITY_WARNING);
    assert_reports (corpus, "uncited-reference", "reference:lonely2020", CB_SEVERITY_WARNING);
  }

  /* An id of the wrong kind, and a link to an item the corpus lacks */
  {
    g_autoptr(CbCorpus) corpus = clean_corpus ();
    CbItem *wrong = evidence_new ("inset_box:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");
    CbBlock *link = cb_block_new (CB_BLOCK_ITEM_REF);

    link->ref = g_strdup ("case_study:9.9.9");
    g_ptr_array_add (cb_item_get_part (wrong, "background")->blocks, link);
    cb_corpus_add_item (corpus, wrong, NULL);
    assert_reports (corpus, "bad-id", "inset_box:3.2.1", CB_SEVERITY_ERROR);
    assert_reports (corpus, "unknown-item-ref", "inset_box:3.2.1", CB_SEVERITY_ERROR);
  }
}

/* The bundled corpus passes the new checks without a new warning kind */
static void
test_check_bundled (void)
{
  g_autoptr(CbCorpus) corpus = read_bundled ();
  g_autoptr(CbTaxonomy) tax = taxonomy ();
  g_autoptr(GPtrArray) report = cb_corpus_check (corpus, tax);
  const char *new_codes[] = { "duplicate-id", "id-number-mismatch", "chapter-mismatch", "misplaced-number",
                              "duplicate-number" };

  for (guint i = 0; i < report->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (report, i);

      g_assert_cmpint (anomaly->severity, !=, CB_SEVERITY_ERROR);
      for (guint j = 0; j < G_N_ELEMENTS (new_codes); j++)
        g_assert_cmpstr (anomaly->code, !=, new_codes[j]);
    }
}

/* Checking one item before it is saved */

static void
assert_refused (CbCorpus   *corpus,
                CbItem     *item,
                const char *replaces_id,
                const char *field,
                int         code,
                const char *expect)
{
  g_autoptr(CbTaxonomy) tax = taxonomy ();
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  g_assert_false (cb_corpus_validate_item (corpus, tax, item, replaces_id, &found, &error));
  g_test_message ("%s: %s", found, error ? error->message : "(no error)");
  g_assert_error (error, CB_ERROR, code);
  g_assert_cmpstr (found, ==, field);
  if (strstr (error->message, expect) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expect);
}

static void
test_validate_item (void)
{
  g_autoptr(CbCorpus) corpus = clean_corpus ();
  g_autoptr(CbTaxonomy) tax = taxonomy ();
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  /* A good new item, and an edit of an existing one under its own id */
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");
    g_autoptr(CbItem) edited = cb_item_copy (cb_corpus_lookup_item (corpus, "case_study:3.1.2"));
    g_autoptr(CbItem) local = cb_item_new ("glossary:equity", CB_ITEM_KIND_GLOSSARY);

    g_assert_true (cb_corpus_validate_item (corpus, tax, item, NULL, &field, &error));
    g_assert_no_error (error);
    g_assert_null (field);

    cb_item_set_title (edited, "A better title");
    cb_item_set_design (edited, NULL);
    g_assert_true (cb_corpus_validate_item (corpus, tax, edited, "case_study:3.1.2", &field, &error));
    g_assert_no_error (error);

    /* No chapter, section or number at all is fine */
    cb_item_set_title (local, "Equity");
    g_assert_true (cb_corpus_validate_item (corpus, tax, local, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  /* The same edit without saying what it replaces takes an id and number */
  {
    g_autoptr(CbItem) edited = cb_item_copy (cb_corpus_lookup_item (corpus, "case_study:3.1.2"));

    assert_refused (corpus, edited, NULL, "id", CB_ERROR_CONFLICT, "case_study:3.1.2");
  }

  /* Each bad field names itself */
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_set_title (item, "  ");
    assert_refused (corpus, item, NULL, "title", CB_ERROR_INVALID, "title is empty");
    cb_item_set_title (item, NULL);
    assert_refused (corpus, item, NULL, "title", CB_ERROR_INVALID, "title is empty");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3 2 1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    assert_refused (corpus, item, NULL, "id", CB_ERROR_INVALID, "not a valid id");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("inset_box:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    assert_refused (corpus, item, NULL, "id", CB_ERROR_INVALID, "“case_study:”");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.1.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    assert_refused (corpus, item, NULL, "id", CB_ERROR_CONFLICT, "belongs to another item");
    /* Replacing 3.1.2 does not free 3.1.1 */
    assert_refused (corpus, item, "case_study:3.1.2", "id", CB_ERROR_CONFLICT, "belongs to another item");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.1.1", CB_ITEM_KIND_CASE_STUDY, "3.1.1", 3, "3.1");

    /* An edit keeps its own id and number, and may renumber it */
    g_assert_true (cb_corpus_validate_item (corpus, tax, item, "case_study:3.1.1", NULL, &error));
    g_assert_no_error (error);
    cb_item_set_number (item, "3.1.9");
    g_assert_true (cb_corpus_validate_item (corpus, tax, item, "case_study:3.1.1", NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:CASE", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");
    g_autoptr(CbItem) glossary = cb_item_new ("glossary:Race", CB_ITEM_KIND_GLOSSARY);
    CbItem *race = cb_item_new ("glossary:race", CB_ITEM_KIND_GLOSSARY);

    cb_item_set_title (race, "Race");
    cb_corpus_add_item (corpus, race, NULL);
    cb_item_set_title (glossary, "Race");
    assert_refused (corpus, glossary, NULL, "id", CB_ERROR_CONFLICT, "letter case");
    g_assert_true (cb_corpus_validate_item (corpus, tax, item, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  /* Numbers: unique within a kind, of the guide's form, in their chapter
   * and section */
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:new", CB_ITEM_KIND_CASE_STUDY, "3.1.1", 3, "3.1");
    g_autoptr(CbItem) box = evidence_new ("inset_box:3.1.1", CB_ITEM_KIND_INSET_BOX, "3.1.1", 3, "3.1");

    assert_refused (corpus, item, NULL, "number", CB_ERROR_CONFLICT, "case_study:3.1.1 already carries the number 3.1.1");
    assert_refused (corpus, item, "case_study:3.1.2", "number", CB_ERROR_CONFLICT, "3.1.1");
    /* ...but the item it replaces does not count, nor other kinds */
    g_assert_true (cb_corpus_validate_item (corpus, tax, item, "case_study:3.1.1", NULL, &error));
    g_assert_no_error (error);
    g_assert_true (cb_corpus_validate_item (corpus, tax, box, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 4, "4.2");

    assert_refused (corpus, item, NULL, "number", CB_ERROR_INVALID, "chapter 4");
    cb_item_set_chapter (item, 3);
    cb_item_set_section (item, "3.1");
    assert_refused (corpus, item, NULL, "number", CB_ERROR_INVALID, "section 3.1");
    cb_item_set_number (item, "3.2.A");
    cb_item_set_section (item, "3.2");
    assert_refused (corpus, item, NULL, "number", CB_ERROR_INVALID, "such as 3.1.2");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 9, NULL);

    assert_refused (corpus, item, NULL, "chapter", CB_ERROR_INVALID, "no chapter 9; choose one of its chapters (3, 4)");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "4.2");

    assert_refused (corpus, item, NULL, "section", CB_ERROR_INVALID, "not in chapter 3");
    cb_item_set_section (item, "3.7");
    assert_refused (corpus, item, NULL, "section", CB_ERROR_INVALID, "no section 3.7");
  }

  /* Metadata from the taxonomy; a design may be empty */
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_add_country (item, "UK");
    assert_refused (corpus, item, NULL, "countries", CB_ERROR_INVALID, "GB, US");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_add_intervention (item, "Racial concordance");
    assert_refused (corpus, item, NULL, "interventions", CB_ERROR_INVALID, "racial-concordance");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_set_design (item, "RCT");
    assert_refused (corpus, item, NULL, "design", CB_ERROR_INVALID, "randomised-trial");
    cb_item_set_design (item, "");
    g_assert_true (cb_corpus_validate_item (corpus, tax, item, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  /* Cited references exist */
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_add_reference (item, "reference:nobody2020");
    assert_refused (corpus, item, NULL, "references", CB_ERROR_INVALID, "reference:nobody2020");
  }

  /* Text a corpus can carry, in known parts, linking to items that exist */
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_set_reference_note (item, " ");
    assert_refused (corpus, item, NULL, "reference_note", CB_ERROR_INVALID, "reference note");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");

    cb_item_add_part (item, cb_part_new ("epilogue"));
    assert_refused (corpus, item, NULL, "part:epilogue", CB_ERROR_INVALID, "lessons_learned");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");
    CbBlock *paragraph = cb_block_new (CB_BLOCK_PARAGRAPH);
    CbPart *part = cb_part_new ("key_findings");

    g_ptr_array_add (paragraph->spans, cb_span_new ("Bell\x07", 0, NULL));
    g_ptr_array_add (part->blocks, paragraph);
    cb_item_add_part (item, part);
    assert_refused (corpus, item, NULL, "part:key_findings", CB_ERROR_INVALID, "U+0007");
  }
  {
    g_autoptr(CbItem) item = evidence_new ("case_study:3.2.1", CB_ITEM_KIND_CASE_STUDY, "3.2.1", 3, "3.2");
    CbBlock *link = cb_block_new (CB_BLOCK_ITEM_REF);

    link->ref = g_strdup ("case_study:9.9.9");
    g_ptr_array_add (cb_item_get_part (item, "background")->blocks, link);
    assert_refused (corpus, item, NULL, "part:background", CB_ERROR_INVALID, "case_study:9.9.9");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/corpus-update/version", test_version);
  g_test_add_func ("/corpus-update/round-trip", test_round_trip);
  g_test_add_func ("/corpus-update/write-refused", test_write_refused);
  g_test_add_func ("/corpus-update/refusals", test_refusals);
  g_test_add_func ("/corpus-check/clean", test_check_clean);
  g_test_add_func ("/corpus-check/problems", test_check_problems);
  g_test_add_func ("/corpus-check/bundled", test_check_bundled);
  g_test_add_func ("/corpus-check/validate-item", test_validate_item);

  return g_test_run ();
}
