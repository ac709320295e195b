/* test-export-data.c: the data exports (Markdown, CSV, JSON, RIS, BibTeX and
 * the pack file), each read back by a parser that is not its writer, with
 * notes full of hostile text; bad pack files; atomic writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-export.h"
#include "cb-pack-file.h"
#include "cb-xml.h"

#define HOSTILE_NOTE "<script>alert(\"x\")</script> & \"quotes\", 'apos'"
#define FORMULA_NOTE "=SUM(A1)"
#define MULTILINE_NOTE "Line one, with a comma\nLine two\r\nLine three"
#define RTL_NOTE "ملاحظة: هذا نص عربي من اليمين إلى اليسار 🧭✅"
#define LINE_START_NOTE "- a dash\n+ a plus\n@someone\n# not a heading\n1. not a list\n    not code\n> not a quote\n---"
#define MARKUP_NOTE "Emoji 👩🏽‍⚕️, a \\ backslash, `code`, *stars*, _under_, [brackets](javascript:alert(1)) | pipe ~tilde~ &amp; entity"
#define MISSING_ID "case_study:9.9.9"

static CbCorpus *corpus;
static CbTaxonomy *taxonomy;

typedef struct {
  const char *id;
  const char *note;
} EntrySpec;

/* The test pack: items with lists, lead-ins, a table, shared references,
 * a glossary term and one the corpus does not have */
static const EntrySpec entries[] = {
  { "case_study:4.2.4", HOSTILE_NOTE },
  { "case_study:3.1.2", FORMULA_NOTE },
  { "glossary:race", MULTILINE_NOTE },
  { "inset_box:7.2.2", RTL_NOTE },
  { "inset_box:7.2.3", "" },
  { "case_study:6.2.2", LINE_START_NOTE },
  { "case_study:4.2.2", MARKUP_NOTE },
  { MISSING_ID, "This one was removed, but we keep it." },
};

/* Helpers */

static CbPack *
make_pack (void)
{
  CbPack *pack = cb_pack_new ("Safety <b>& \"trust\"</b> — briefing #1");

  cb_pack_set_description (pack, "For the board's *March* meeting.\nSecond line: [a link](javascript:alert(1))\n\nA second paragraph.");
  cb_pack_set_audience (pack, "Board members, non-executive directors");
  cb_pack_set_date (pack, "2025-03-01");
  cb_pack_set_created (pack, "2025-02-01T10:00:00Z");
  cb_pack_set_modified (pack, "2025-02-02T11:30:00Z");

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      CbItem *item = cb_corpus_lookup_item (corpus, entries[i].id);
      g_autofree char *label = item ? cb_item_dup_label (item) : g_strdup ("Case study 9.9.9");
      const char *title = item ? cb_item_get_title (item) : "A vanished study";

      cb_pack_add_entry (pack, cb_pack_entry_new (entries[i].id, label, title, entries[i].note));
    }

  return pack;
}

static GBytes *
export (CbPack         *pack,
        CbExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cb_export_to_bytes (pack, corpus, taxonomy, format, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_true (g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));

  return bytes;
}

static char *
bytes_to_string (GBytes *bytes)
{
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* (element-type CbReference): the references the pack's items cite, once
 * each, in order of first citation, worked out from the corpus */
static GPtrArray *
expected_references (CbPack *pack)
{
  GPtrArray *refs = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      CbItem *item = cb_corpus_lookup_item (corpus, cb_pack_get_entry (pack, i)->item_id);
      GPtrArray *ids = item ? cb_item_get_references (item) : NULL;

      for (guint j = 0; ids != NULL && j < ids->len; j++)
        {
          const char *id = g_ptr_array_index (ids, j);
          CbReference *reference = cb_corpus_lookup_reference (corpus, id);

          if (reference != NULL && !g_hash_table_contains (seen, id))
            {
              g_hash_table_add (seen, (gpointer) id);
              g_ptr_array_add (refs, reference);
            }
        }
    }

  return refs;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("casebook-export-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_chmod (dir, 0700);
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

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle && g_dir_read_name (handle) != NULL)
    n++;

  return n;
}

static void
write_file (const char *path,
            GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

/* Runs a program; NULL with a test message when it fails */
static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("Could not run %s: %s", argv[0], error->message);

  if (err != NULL && *err != '\0')
    g_test_message ("%s said: %s", argv[0], err);

  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s (%s)", argv[0], error->message, err ? err : "");

  return out;
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

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return json_node_get_string (node);
}

static gint64
member_int_or_zero (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);

  return JSON_NODE_HOLDS_NULL (node) ? 0 : json_node_get_int (node);
}

static void
assert_string_array (JsonArray *array,
                     GPtrArray *expected)
{
  g_assert_cmpuint (json_array_get_length (array), ==, expected ? expected->len : 0);
  for (guint i = 0; expected != NULL && i < expected->len; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, g_ptr_array_index (expected, i));
}

static char *
today (void)
{
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  g_autoptr(GDateTime) now = NULL;

  if (epoch != NULL && *epoch != '\0')
    now = g_date_time_new_from_unix_utc (g_ascii_strtoll (epoch, NULL, 10));
  if (now == NULL)
    now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* JSON */

static void
test_json (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_JSON);
  g_autofree char *text = bytes_to_string (bytes);
  g_autoptr(JsonNode) root = parse_json (text);
  g_autoptr(GPtrArray) refs = expected_references (pack);
  g_autofree char *guide_citation = cb_corpus_format_guide_citation (corpus);
  g_autofree char *date = today ();
  JsonObject *object, *pack_object;
  JsonArray *items, *references;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (member_string (object, "format"), ==, "casebook-pack-export");
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (member_string (object, "generated"), ==, date);

  pack_object = json_object_get_object_member (object, "pack");
  g_assert_cmpstr (member_string (pack_object, "name"), ==, cb_pack_get_name (pack));
  g_assert_cmpstr (member_string (pack_object, "description"), ==, cb_pack_get_description (pack));
  g_assert_cmpstr (member_string (pack_object, "audience"), ==, cb_pack_get_audience (pack));
  g_assert_cmpstr (member_string (pack_object, "date"), ==, "2025-03-01");
  g_assert_cmpstr (member_string (pack_object, "created"), ==, "2025-02-01T10:00:00Z");
  g_assert_cmpstr (member_string (pack_object, "modified"), ==, "2025-02-02T11:30:00Z");
  g_assert_cmpstr (member_string (json_object_get_object_member (object, "guide"), "citation"), ==, guide_citation);

  items = json_object_get_array_member (object, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (entries));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      JsonObject *item_object = json_array_get_object_element (items, i);
      CbPackEntry *entry = cb_pack_get_entry (pack, i);
      CbItem *item = cb_corpus_lookup_item (corpus, entries[i].id);
      JsonArray *parts = json_object_get_array_member (item_object, "parts");

      g_assert_cmpint (json_object_get_int_member (item_object, "position"), ==, i + 1);
      g_assert_cmpstr (member_string (item_object, "id"), ==, entries[i].id);
      g_assert_cmpstr (member_string (item_object, "label"), ==, entry->label);
      g_assert_cmpstr (member_string (item_object, "title"), ==, entry->title);
      g_assert_cmpstr (member_string (item_object, "note"), ==, entries[i].note);

      if (item == NULL)
        {
          g_assert_cmpstr (member_string (item_object, "status"), ==, "missing");
          g_assert_null (member_string (item_object, "citation"));
          g_assert_null (member_string (item_object, "location"));
          g_assert_null (member_string (item_object, "design"));
          g_assert_cmpint (member_int_or_zero (item_object, "chapter"), ==, 0);
          g_assert_cmpuint (json_array_get_length (parts), ==, 0);
          assert_string_array (json_object_get_array_member (item_object, "countries"), NULL);
          assert_string_array (json_object_get_array_member (item_object, "references"), NULL);
          continue;
        }

      {
        g_autofree char *location = cb_corpus_format_location (corpus, item);
        g_autofree char *citation = cb_corpus_format_citation (corpus, item);
        GPtrArray *item_parts = cb_item_get_parts (item);

        g_assert_cmpstr (member_string (item_object, "status"), ==, "current");
        g_assert_cmpint (member_int_or_zero (item_object, "chapter"), ==, cb_item_get_chapter (item));
        g_assert_cmpint (member_int_or_zero (item_object, "page"), ==, cb_item_get_page (item));
        g_assert_cmpstr (member_string (item_object, "section"), ==, cb_item_get_section (item));
        g_assert_cmpstr (member_string (item_object, "location"), ==, *location ? location : NULL);
        g_assert_cmpstr (member_string (item_object, "design"), ==, cb_item_get_design (item));
        g_assert_cmpstr (member_string (item_object, "citation"), ==, citation);
        assert_string_array (json_object_get_array_member (item_object, "countries"), cb_item_get_countries (item));
        assert_string_array (json_object_get_array_member (item_object, "interventions"),
                             cb_item_get_interventions (item));
        assert_string_array (json_object_get_array_member (item_object, "references"), cb_item_get_references (item));

        g_assert_cmpuint (json_array_get_length (parts), ==, item_parts->len);
        for (guint j = 0; j < item_parts->len; j++)
          {
            CbPart *part = g_ptr_array_index (item_parts, j);
            JsonObject *part_object = json_array_get_object_element (parts, j);
            g_autofree char *part_text = g_strchomp (cb_item_get_part_text (item, part->name));

            g_assert_cmpstr (member_string (part_object, "name"), ==, part->name);
            g_assert_cmpstr (member_string (part_object, "label"), ==, cb_part_name_label (part->name));
            g_assert_cmpstr (member_string (part_object, "text"), ==, part_text);
            g_assert_cmpstr (part_text, !=, "");
          }
      }
    }

  /* References: each cited one once, in order of first citation; two of
   * the items share one */
  references = json_object_get_array_member (object, "references");
  g_assert_cmpuint (json_array_get_length (references), ==, refs->len);
  g_assert_cmpuint (refs->len, >=, 5);
  for (guint i = 0; i < refs->len; i++)
    {
      CbReference *reference = g_ptr_array_index (refs, i);
      JsonObject *ref_object = json_array_get_object_element (references, i);
      JsonArray *authors = json_object_get_array_member (ref_object, "authors");
      GPtrArray *people = cb_reference_get_authors (reference);

      g_assert_cmpstr (member_string (ref_object, "id"), ==, cb_reference_get_id (reference));
      g_assert_cmpstr (member_string (ref_object, "title"), ==, cb_reference_get_title (reference));
      g_assert_cmpstr (member_string (ref_object, "year"), ==, cb_reference_get_year (reference));
      g_assert_cmpstr (member_string (ref_object, "container"), ==, cb_reference_get_container (reference));
      g_assert_cmpstr (member_string (ref_object, "volume"), ==, cb_reference_get_volume (reference));
      g_assert_cmpstr (member_string (ref_object, "issue"), ==, cb_reference_get_issue (reference));
      g_assert_cmpstr (member_string (ref_object, "pages"), ==, cb_reference_get_pages (reference));
      g_assert_cmpstr (member_string (ref_object, "publisher"), ==, cb_reference_get_publisher (reference));
      g_assert_cmpstr (member_string (ref_object, "doi"), ==, cb_reference_get_doi (reference));
      g_assert_cmpstr (member_string (ref_object, "url"), ==, cb_reference_get_url (reference));
      g_assert_cmpstr (member_string (ref_object, "text"), ==, cb_reference_get_text (reference));
      g_assert_cmpuint (json_array_get_length (authors), ==, people->len);
      for (guint j = 0; j < people->len; j++)
        {
          CbPerson *person = g_ptr_array_index (people, j);
          JsonObject *author = json_array_get_object_element (authors, j);

          g_assert_cmpstr (member_string (author, "family"), ==, person->family);
          g_assert_cmpstr (member_string (author, "given"), ==, person->given);
        }
    }
}

/* CSV */

static const char *csv_columns[] = {
  "position", "item_id", "label", "title", "status", "chapter", "section", "page",
  "countries", "interventions", "design", "note", "citation",
};

static char *
join_ids (GPtrArray *ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    g_string_append_printf (out, "%s%s", i ? "; " : "", (const char *) g_ptr_array_index (ids, i));

  return g_string_free (out, FALSE);
}

static char *
uint_or_empty (guint value)
{
  return value ? g_strdup_printf ("%u", value) : g_strdup ("");
}

static void
test_csv (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_CSV);
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "pack.csv", NULL);
  g_autofree char *script = g_build_filename (g_getenv ("CASEBOOK_TEST_SCRIPTS"), "read-csv.py", NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *output = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *data = g_bytes_get_data (bytes, NULL);
  gsize size = g_bytes_get_size (bytes);
  JsonArray *rows, *header;

  /* RFC 4180: CRLF after every record, no byte order mark */
  g_assert_cmpuint (size, >, 3);
  g_assert_false (memcmp (data, "\xEF\xBB\xBF", 3) == 0);
  g_assert_true (g_str_has_prefix (data, "position,item_id,label,title,status,"));
  g_assert_true (memcmp (data + size - 2, "\r\n", 2) == 0);
  g_assert_nonnull (g_strstr_len (data, size, "citation\r\n1,case_study:4.2.4,"));

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      remove_tree (dir);
      return;
    }

  write_file (path, bytes);
  {
    const char *argv[] = { python, script, path, NULL };

    output = run (argv);
  }
  root = parse_json (output);
  rows = json_node_get_array (root);

  g_assert_cmpuint (json_array_get_length (rows), ==, G_N_ELEMENTS (entries) + 1);
  header = json_array_get_array_element (rows, 0);
  g_assert_cmpuint (json_array_get_length (header), ==, G_N_ELEMENTS (csv_columns));
  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    g_assert_cmpstr (json_array_get_string_element (header, i), ==, csv_columns[i]);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      JsonArray *row = json_array_get_array_element (rows, i + 1);
      CbPackEntry *entry = cb_pack_get_entry (pack, i);
      CbItem *item = cb_corpus_lookup_item (corpus, entries[i].id);
      g_autofree char *position = g_strdup_printf ("%u", i + 1);
      g_autofree char *note = NULL;
      g_autofree char *countries = join_ids (item ? cb_item_get_countries (item) : NULL);
      g_autofree char *interventions = join_ids (item ? cb_item_get_interventions (item) : NULL);
      g_autofree char *chapter = uint_or_empty (item ? cb_item_get_chapter (item) : 0);
      g_autofree char *page = uint_or_empty (item ? cb_item_get_page (item) : 0);
      g_autofree char *citation = item ? cb_corpus_format_citation (corpus, item) : g_strdup ("");
      const char *section = item && cb_item_get_section (item) ? cb_item_get_section (item) : "";
      const char *design = item && cb_item_get_design (item) ? cb_item_get_design (item) : "";

      /* The documented defence against formula injection */
      if (entries[i].note[0] != '\0' && strchr ("=+-@\t\r", entries[i].note[0]) != NULL)
        note = g_strconcat ("'", entries[i].note, NULL);
      else
        note = g_strdup (entries[i].note);

      g_assert_cmpuint (json_array_get_length (row), ==, G_N_ELEMENTS (csv_columns));
      g_assert_cmpstr (json_array_get_string_element (row, 0), ==, position);
      g_assert_cmpstr (json_array_get_string_element (row, 1), ==, entries[i].id);
      g_assert_cmpstr (json_array_get_string_element (row, 2), ==, entry->label);
      g_assert_cmpstr (json_array_get_string_element (row, 3), ==, entry->title);
      g_assert_cmpstr (json_array_get_string_element (row, 4), ==, item ? "current" : "missing");
      g_assert_cmpstr (json_array_get_string_element (row, 5), ==, chapter);
      g_assert_cmpstr (json_array_get_string_element (row, 6), ==, section);
      g_assert_cmpstr (json_array_get_string_element (row, 7), ==, page);
      g_assert_cmpstr (json_array_get_string_element (row, 8), ==, countries);
      g_assert_cmpstr (json_array_get_string_element (row, 9), ==, interventions);
      g_assert_cmpstr (json_array_get_string_element (row, 10), ==, design);
      g_assert_cmpstr (json_array_get_string_element (row, 11), ==, note);
      g_assert_cmpstr (json_array_get_string_element (row, 12), ==, citation);
    }

  /* The spot checks the loop makes generic */
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 2), 11), ==, "'=SUM(A1)");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 3), 11), ==, MULTILINE_NOTE);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (rows, 1), 8), ==, "INT; NZ");

  remove_tree (dir);
}

/* A retired item says so in every format */
static void
test_retired (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  CbItem *item = cb_corpus_lookup_item (corpus, "case_study:3.1.2");
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) markdown = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *json_text = NULL;
  g_autofree char *markdown_text = NULL;

  cb_item_set_status (item, CB_ITEM_STATUS_RETIRED);
  csv = export (pack, CB_EXPORT_CSV);
  json = export (pack, CB_EXPORT_JSON);
  markdown = export (pack, CB_EXPORT_MARKDOWN);
  cb_item_set_status (item, CB_ITEM_STATUS_ACTIVE);

  csv_text = bytes_to_string (csv);
  json_text = bytes_to_string (json);
  markdown_text = bytes_to_string (markdown);
  g_assert_nonnull (strstr (csv_text, "\r\n2,case_study:3.1.2,Case study 3.1.2,"));
  g_assert_nonnull (strstr (csv_text, ",retired,3,3.1,39,US,"));
  {
    g_autoptr(JsonNode) root = parse_json (json_text);
    JsonArray *items = json_object_get_array_member (json_node_get_object (root), "items");

    g_assert_cmpstr (member_string (json_array_get_object_element (items, 1), "status"), ==, "retired");
  }
  g_assert_nonnull (strstr (markdown_text, "\n*Retired from the corpus*\n"));
}

/* RIS and BibTeX, read by bibutils */

typedef struct {
  char *title;
  char *family;
  char *doi;
  char *year;
} ModsRecord;

static void
mods_record_free (ModsRecord *record)
{
  g_free (record->title);
  g_free (record->family);
  g_free (record->doi);
  g_free (record->year);
  g_free (record);
}

static xmlNodePtr
first_child (xmlNodePtr  node,
             const char *name,
             const char *type)
{
  for (xmlNodePtr child = node ? node->children : NULL; child != NULL; child = child->next)
    {
      g_autofree char *child_type = NULL;

      if (!cb_xml_node_is (child, name))
        continue;
      child_type = cb_xml_node_get_attr (child, "type");
      if (g_strcmp0 (child_type, type) == 0)
        return child;
    }

  return NULL;
}

static char *
child_text (xmlNodePtr  node,
            const char *name,
            const char *type)
{
  xmlNodePtr child = first_child (node, name, type);

  return child ? cb_xml_node_get_text (child) : NULL;
}

/* (element-type ModsRecord): the records of MODS XML, as bibutils writes it */
static GPtrArray *
parse_mods (const char *xml)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) mods_record_free);
  xmlDocPtr doc;

  if (g_str_has_prefix (xml, "\xEF\xBB\xBF"))
    xml += 3;

  doc = cb_xml_read_memory (xml, strlen (xml), "bibutils output", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_xml_node_is (xmlDocGetRootElement (doc), "modsCollection"));

  for (xmlNodePtr mods = xmlDocGetRootElement (doc)->children; mods != NULL; mods = mods->next)
    {
      ModsRecord *record;
      xmlNodePtr title_info, name;
      g_autofree char *subtitle = NULL;

      if (!cb_xml_node_is (mods, "mods"))
        continue;

      record = g_new0 (ModsRecord, 1);
      title_info = first_child (mods, "titleInfo", NULL);
      record->title = child_text (title_info, "title", NULL);
      subtitle = child_text (title_info, "subTitle", NULL);
      if (subtitle != NULL)
        {
          char *whole = g_strdup_printf ("%s: %s", record->title, subtitle);

          g_free (record->title);
          record->title = whole;
        }

      /* A person has a family namePart, an organisation just a namePart */
      name = first_child (mods, "name", "personal");
      if (name == NULL)
        name = first_child (mods, "name", "corporate");
      if (name == NULL)
        name = first_child (mods, "name", NULL);
      record->family = child_text (name, "namePart", "family");
      if (record->family == NULL)
        record->family = child_text (name, "namePart", NULL);

      record->doi = child_text (mods, "identifier", "doi");
      record->year = child_text (first_child (mods, "originInfo", NULL), "dateIssued", NULL);
      if (record->year == NULL)
        record->year = child_text (first_child (mods, "part", NULL), "date", NULL);

      g_ptr_array_add (records, record);
    }

  xmlFreeDoc (doc);

  return records;
}

static void
assert_mods_match (GPtrArray *records,
                   GPtrArray *refs)
{
  g_assert_cmpuint (records->len, ==, refs->len);

  for (guint i = 0; i < refs->len; i++)
    {
      CbReference *reference = g_ptr_array_index (refs, i);
      ModsRecord *record = g_ptr_array_index (records, i);
      g_autofree char *year = cb_reference_get_year (reference)
                                ? g_strndup (cb_reference_get_year (reference), 4) : NULL;

      g_test_message ("%s: “%s”", cb_reference_get_id (reference), record->title);
      g_assert_cmpstr (record->title, ==, cb_reference_get_title (reference));
      g_assert_cmpstr (record->family, ==, cb_reference_get_first_family (reference));
      g_assert_cmpstr (record->doi, ==, cb_reference_get_doi (reference));
      g_assert_cmpstr (record->year, ==, year);
    }
}

/* The names bibutils must not split (organisations), one a line */
static void
write_organisations (const char *path,
                     GPtrArray  *refs)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < refs->len; i++)
    {
      GPtrArray *people = cb_reference_get_authors (g_ptr_array_index (refs, i));

      for (guint j = 0; j < people->len; j++)
        {
          CbPerson *person = g_ptr_array_index (people, j);

          if (person->given == NULL)
            g_string_append_printf (names, "%s\n", person->family);
        }
    }

  g_file_set_contents (path, names->str, names->len, &error);
  g_assert_no_error (error);
}

/* A corpus of one item citing a reference full of characters BibTeX,
 * LaTeX and RIS treat specially */
static CbCorpus *
make_awkward_corpus (CbPack **pack)
{
  g_autoptr(GError) error = NULL;
  CbCorpus *awkward = cb_corpus_new ();
  CbItem *item = cb_item_new ("case_study:1.1.1", CB_ITEM_KIND_CASE_STUDY);
  CbReference *reference = cb_reference_new ();

  cb_corpus_set_title (awkward, "A guide");
  cb_reference_set_id (reference, "reference:o'brien2020 x");
  cb_reference_set_kind (reference, "report");
  cb_reference_add_author (reference, "Ōtake-Smith", "M.");
  cb_reference_add_author (reference, "Health & Care {Trust}", NULL);
  cb_reference_set_year (reference, "2020b");
  /* bibutils reads \textasciicircum{} as U+2303 and leaves \textbackslash{}
   * alone, so ^ and \ are checked in the BibTeX text only (publisher) */
  cb_reference_set_title (reference, "Health & Care: 100% of cases at $5, #1 in_the ~ list {braced} — “quoted” Māori");
  cb_reference_set_publisher (reference, "Smith & Sons ^ \\ Co");
  cb_reference_set_pages (reference, "12–34");
  cb_reference_set_doi (reference, "10.1000/a_b%c");
  cb_reference_set_url (reference, "https://example.org/a_b?c=1&d=%20#frag");
  /* The corpus takes both */
  g_assert_true (cb_corpus_add_reference (awkward, reference, &error));
  g_assert_no_error (error);

  cb_item_set_title (item, "An awkward study");
  cb_item_add_reference (item, "reference:o'brien2020 x");
  g_assert_true (cb_corpus_add_item (awkward, item, &error));
  g_assert_no_error (error);

  *pack = cb_pack_new ("Awkward");
  cb_pack_add_entry (*pack, cb_pack_entry_new ("case_study:1.1.1", NULL, NULL, NULL));

  return awkward;
}

static void
test_ris (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_RIS);
  g_autoptr(GPtrArray) refs = expected_references (pack);
  g_autofree char *text = bytes_to_string (bytes);
  g_autofree char *program = g_find_program_in_path ("ris2xml");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *orgs = NULL;
  g_autofree char *mods = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_records = 0;

  /* Every line ends in CRLF; records open with TY and close with ER */
  g_assert_true (g_str_has_prefix (text, "TY  - JOUR\r\n"));
  g_assert_true (g_str_has_suffix (text, "ER  - \r\n"));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i + 1] != NULL; i++)
    {
      g_assert_true (g_str_has_suffix (lines[i], "\r"));
      n_records += g_str_has_prefix (lines[i], "ER  - ");
    }
  g_assert_cmpuint (n_records, ==, refs->len);
  g_assert_nonnull (strstr (text, "AU  - Curtis, E.\r\n"));
  g_assert_nonnull (strstr (text, "SP  - 4071\r\nEP  - 4111\r\n"));
  g_assert_nonnull (strstr (text, "TY  - ELEC\r\n"));
  g_assert_nonnull (strstr (text, "TY  - RPRT\r\n"));
  g_assert_nonnull (strstr (text, "ED  - Smedley, B.D.\r\n"));

  if (program == NULL)
    {
      g_test_skip ("ris2xml (bibutils) is not installed");
      return;
    }

  dir = make_temp_dir ();
  path = g_build_filename (dir, "pack.ris", NULL);
  orgs = g_build_filename (dir, "organisations.txt", NULL);
  write_file (path, bytes);
  write_organisations (orgs, refs);
  {
    /* -nt: keep titles whole; -un: no byte order mark; -as: organisations */
    const char *argv[] = { program, "-nt", "-un", "-as", orgs, path, NULL };

    mods = run (argv);
  }
  records = parse_mods (mods);
  assert_mods_match (records, refs);

  /* Awkward characters */
  {
    g_autoptr(CbPack) awkward_pack = NULL;
    g_autoptr(CbCorpus) awkward = make_awkward_corpus (&awkward_pack);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) awkward_bytes = cb_export_to_bytes (awkward_pack, awkward, taxonomy, CB_EXPORT_RIS,
                                                         NULL, &error);
    g_autoptr(GPtrArray) awkward_refs = g_ptr_array_new ();
    g_autoptr(GPtrArray) awkward_records = NULL;
    g_autofree char *awkward_mods = NULL;

    g_assert_no_error (error);
    g_ptr_array_add (awkward_refs, cb_corpus_lookup_reference (awkward, "reference:o'brien2020 x"));
    write_file (path, awkward_bytes);
    write_organisations (orgs, awkward_refs);
    {
      const char *argv[] = { program, "-nt", "-un", "-as", orgs, path, NULL };

      awkward_mods = run (argv);
    }
    awkward_records = parse_mods (awkward_mods);
    assert_mods_match (awkward_records, awkward_refs);
  }

  remove_tree (dir);
}

static void
test_bibtex (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_BIBTEX);
  g_autoptr(GPtrArray) refs = expected_references (pack);
  g_autofree char *text = bytes_to_string (bytes);
  g_autofree char *program = g_find_program_in_path ("bib2xml");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mods = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_assert_true (g_str_has_prefix (text, "@article{curtis2019,\n"));
  g_assert_nonnull (strstr (text, "  pages = {4071--4111},\n"));
  g_assert_nonnull (strstr (text, "@techreport{davey2009,\n"));
  g_assert_nonnull (strstr (text, "@online{collaborationforchangend,\n"));
  g_assert_nonnull (strstr (text, "  editor = {Smedley, B.D. and "));
  g_assert_nonnull (strstr (text, "{{Collaboration for Change}}"));
  g_assert_nonnull (strstr (text, " and others},\n"));
  g_assert_nonnull (strstr (text, "{COVID-19}"));

  if (program == NULL)
    {
      g_test_skip ("bib2xml (bibutils) is not installed");
      return;
    }

  dir = make_temp_dir ();
  path = g_build_filename (dir, "pack.bib", NULL);
  write_file (path, bytes);
  {
    const char *argv[] = { program, "-nt", "-un", path, NULL };

    mods = run (argv);
  }
  records = parse_mods (mods);
  assert_mods_match (records, refs);

  /* Awkward characters survive the escaping */
  {
    g_autoptr(CbPack) awkward_pack = NULL;
    g_autoptr(CbCorpus) awkward = make_awkward_corpus (&awkward_pack);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) awkward_bytes = cb_export_to_bytes (awkward_pack, awkward, taxonomy, CB_EXPORT_BIBTEX,
                                                         NULL, &error);
    g_autoptr(GPtrArray) awkward_refs = g_ptr_array_new ();
    g_autoptr(GPtrArray) awkward_records = NULL;
    g_autofree char *awkward_text = NULL;
    g_autofree char *awkward_mods = NULL;

    g_assert_no_error (error);
    awkward_text = bytes_to_string (awkward_bytes);
    g_test_message ("%s", awkward_text);
    g_assert_true (g_str_has_prefix (awkward_text, "@techreport{o_brien2020_x,\n"));
    g_assert_nonnull (strstr (awkward_text, "  institution = {Smith \\& Sons \\textasciicircum{} \\textbackslash{} Co},\n"));
    g_assert_nonnull (strstr (awkward_text, "  author = {Ōtake-Smith, M. and {Health \\& Care \\textbraceleft{}Trust\\textbraceright{}}},\n"));
    g_assert_nonnull (strstr (awkward_text, "  url = {https://example.org/a_b?c=1&d=%20#frag},\n"));
    g_ptr_array_add (awkward_refs, cb_corpus_lookup_reference (awkward, "reference:o'brien2020 x"));
    write_file (path, awkward_bytes);
    {
      const char *argv[] = { program, "-nt", "-un", path, NULL };

      awkward_mods = run (argv);
    }
    awkward_records = parse_mods (awkward_mods);
    assert_mods_match (awkward_records, awkward_refs);
  }

  remove_tree (dir);
}

/* Markdown */

/* Undoes the writer's escaping: backslash escapes and &lt; */
static char *
md_unescape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == '\\' && p[1] != '\0' && g_ascii_ispunct (p[1]))
        g_string_append_c (out, *++p);
      else if (g_str_has_prefix (p, "&lt;"))
        {
          g_string_append_c (out, '<');
          p += 3;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* The note of the entry whose heading is at @start, as the blockquote
 * after it says it, unescaped */
static char *
md_note (char **lines,
         guint  start)
{
  g_autoptr(GPtrArray) note_lines = g_ptr_array_new_with_free_func (g_free);
  guint i = start + 1;

  while (lines[i] != NULL && lines[i][0] != '>')
    {
      g_assert_false (g_str_has_prefix (lines[i], "## "));
      i++;
    }

  for (; lines[i] != NULL && lines[i][0] == '>'; i++)
    {
      g_autofree char *line = g_strdup (lines[i][1] == ' ' ? lines[i] + 2 : lines[i] + 1);
      gsize len = strlen (line);
      gsize backslashes = 0;
      const char *body = line;

      /* An odd run of backslashes at the end: the last is a hard break */
      while (backslashes < len && line[len - 1 - backslashes] == '\\')
        backslashes++;
      if (backslashes % 2 == 1)
        line[len - 1] = '\0';

      if (note_lines->len == 0)
        {
          g_assert_true (g_str_has_prefix (line, "**Note:**"));
          body = line + strlen ("**Note:**");
          if (*body == ' ')
            body++;
        }
      g_ptr_array_add (note_lines, md_unescape (body));
    }

  g_ptr_array_add (note_lines, NULL);

  return g_strjoinv ("\n", (char **) note_lines->pdata);
}

/* What the note should read as: Markdown keeps lines but not their
 * leading white space, and CRLF is a line end */
static char *
md_expected_note (const char *note)
{
  g_autofree char *unix_note = NULL;
  g_auto(GStrv) lines = NULL;
  GString *out = g_string_new (NULL);
  GString *buf = g_string_new (NULL);

  for (const char *p = note; *p; p++)
    {
      if (*p != '\r')
        g_string_append_c (buf, *p);
    }
  unix_note = g_string_free (buf, FALSE);

  lines = g_strsplit (unix_note, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s%s", i ? "\n" : "", g_strstrip (lines[i]));

  return g_string_free (out, FALSE);
}

static gboolean
has_line (char      **lines,
          const char *line)
{
  return g_strv_contains ((const char * const *) lines, line);
}

static void
test_markdown (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_MARKDOWN);
  g_autoptr(GPtrArray) refs = expected_references (pack);
  g_autofree char *text = bytes_to_string (bytes);
  g_autofree char *date = today ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) headings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) heading_lines = g_ptr_array_new ();
  guint n_headings = 0;
  CbItem *item;

  /* No raw HTML but our own anchors; nothing of the hostile note is live */
  g_assert_null (strstr (text, "<script"));
  g_assert_null (strstr (text, "<b>"));
  for (const char *p = strstr (text, "](javascript"); p != NULL; p = strstr (p + 1, "](javascript"))
    g_assert_true (p[-1] == '\\');
  for (const char *p = strchr (text, '<'); p != NULL; p = strchr (p + 1, '<'))
    g_assert_true (g_str_has_prefix (p, "<a id=\"item-") || g_str_has_prefix (p, "</a>") ||
                   g_str_has_prefix (p, "<br>"));
  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_null (strstr (text, "\r"));

  /* Top-level headings in order */
  g_ptr_array_add (headings, g_strdup ("# Safety &lt;b\\>\\& \"trust\"&lt;/b\\> — briefing \\#1"));
  g_ptr_array_add (headings, g_strdup ("## Contents"));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (pack, i);

      if (g_str_equal (entry->label, entry->title))
        g_ptr_array_add (headings, g_strdup_printf ("## <a id=\"item-%u\"></a>%s", i + 1, entry->title));
      else
        g_ptr_array_add (headings, g_strdup_printf ("## <a id=\"item-%u\"></a>%s: %s", i + 1, entry->label,
                                                    entry->title));
    }
  g_ptr_array_add (headings, g_strdup ("## References"));
  g_ptr_array_add (headings, g_strdup ("## How to cite the guide"));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "# ") || g_str_has_prefix (lines[i], "## "))
        {
          g_autofree char *got = md_unescape (lines[i]);
          g_autofree char *want = md_unescape (g_ptr_array_index (headings, n_headings));

          g_assert_cmpuint (n_headings, <, headings->len);
          g_assert_cmpstr (got, ==, want);
          g_ptr_array_add (heading_lines, GUINT_TO_POINTER (i));
          n_headings++;
        }
    }
  g_assert_cmpuint (n_headings, ==, headings->len);
  g_assert_cmpstr (lines[0], ==, g_ptr_array_index (headings, 0));

  /* The details and the contents list */
  g_assert_true (has_line (lines, "- **Audience:** Board members, non-executive directors"));
  g_assert_true (has_line (lines, "- **Date:** 2025-03-01"));
  {
    g_autofree char *exported = g_strdup_printf ("- **Exported:** %s", date);

    g_assert_true (has_line (lines, exported));
  }
  g_assert_true (has_line (lines, "For the board's \\*March\\* meeting.\\"));
  g_assert_true (has_line (lines, "Second line: \\[a link\\](javascript:alert(1))"));
  g_assert_true (has_line (lines, "1. [Case study 4.2.4: Moving from cultural competency to cultural safety "
                                  "to achieve health equity](#item-1)"));
  g_assert_true (has_line (lines, "8. [Case study 9.9.9: A vanished study](#item-8)"));

  /* Notes read back verbatim once unescaped */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      guint start = GPOINTER_TO_UINT (g_ptr_array_index (heading_lines, i + 2));
      g_autofree char *want = md_expected_note (entries[i].note);
      g_autofree char *got = NULL;

      if (entries[i].note[0] == '\0')
        continue;
      got = md_note (lines, start);
      g_assert_cmpstr (got, ==, want);
    }
  g_assert_true (has_line (lines, "> **Note:** &lt;script\\>alert(\"x\")&lt;/script\\> \\& \"quotes\", 'apos'"));
  g_assert_true (has_line (lines, "> **Note:** - a dash\\"));
  g_assert_true (has_line (lines, "> \\+ a plus\\"));
  g_assert_true (has_line (lines, "> \\# not a heading\\"));
  g_assert_true (has_line (lines, "> 1\\. not a list\\"));
  g_assert_true (has_line (lines, "> \\> not a quote\\"));
  g_assert_true (has_line (lines, "> \\---"));

  /* Case study 4.2.4 in full: part headings, paragraphs, list items */
  item = cb_corpus_lookup_item (corpus, "case_study:4.2.4");
  for (guint i = 0; i < cb_item_get_parts (item)->len; i++)
    {
      CbPart *part = g_ptr_array_index (cb_item_get_parts (item), i);
      g_autofree char *heading = g_strdup_printf ("### %s", cb_part_name_label (part->name));

      g_assert_true (has_line (lines, heading));
    }
  g_assert_true (has_line (lines, "- Centre the voices of affected communities"));
  g_assert_true (has_line (lines, "- Many cultural competence initiatives focus on learning about other cultures "
                                  "rather than critiquing dominant culture, power, and privilege."));

  /* A table with its header row; lead-ins in bold; numbered lists */
  g_assert_true (has_line (lines, "| Theme | Framing that supports understanding and action | "
                                  "Framing that can create barriers or requires careful use |"));
  g_assert_true (has_line (lines, "| --- | --- | --- |"));
  {
    gboolean bold_lead = FALSE, numbered = FALSE;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        bold_lead |= g_str_has_prefix (lines[i], "- **") && !g_str_has_prefix (lines[i], "- **Where") &&
                     !g_str_has_prefix (lines[i], "- **Countries") && !g_str_has_prefix (lines[i], "- **Intervention") &&
                     !g_str_has_prefix (lines[i], "- **Study") && !g_str_has_prefix (lines[i], "- **Audience") &&
                     !g_str_has_prefix (lines[i], "- **Date") && !g_str_has_prefix (lines[i], "- **Exported");
        numbered |= g_str_has_prefix (lines[i], "1. ") && !g_str_has_prefix (lines[i], "1. [");
      }
    g_assert_true (bold_lead);
    g_assert_true (numbered);
  }

  /* Metadata, status, citation */
  g_assert_true (has_line (lines, "- **Countries:** International, New Zealand"));
  g_assert_true (has_line (lines, "*No longer in the corpus*"));
  g_assert_true (has_line (lines, "### How to cite this item"));

  /* The reference list: each cited reference once, DOIs as links */
  {
    guint n = 0;
    gboolean in_references = FALSE;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (g_str_has_prefix (lines[i], "## "))
          in_references = g_str_equal (lines[i], "## References");
        else if (in_references && *lines[i] != '\0')
          {
            g_autofree char *prefix = g_strdup_printf ("%u. ", ++n);

            g_assert_true (g_str_has_prefix (lines[i], prefix));
          }
      }
    g_assert_cmpuint (n, ==, refs->len);
  }
  g_assert_nonnull (strstr (text, "[https://doi.org/10.1186/s12939-019-1082-3](https://doi.org/10.1186/s12939-019-1082-3)"));
  g_assert_nonnull (strstr (text, " *International Journal for Equity in Health*, 18(1), 174."));
}

/* The same handout through a real CommonMark parser, when there is one */
static void
test_markdown_cmark (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_MARKDOWN);
  g_autofree char *program = g_find_program_in_path ("cmark-gfm");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *html = NULL;
  guint n_h2 = 0;

  if (program == NULL)
    {
      g_test_skip ("cmark-gfm is not installed");
      return;
    }

  dir = make_temp_dir ();
  path = g_build_filename (dir, "pack.md", NULL);
  write_file (path, bytes);
  {
    /* --unsafe: let raw HTML through, to see that there is none of theirs */
    const char *argv[] = { program, "--unsafe", "--extension", "table", path, NULL };

    html = run (argv);
  }
  g_test_message ("%s", html);

  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<b>"));
  g_assert_null (strstr (html, "href=\"javascript"));
  g_assert_nonnull (strstr (html, "<strong>Note:</strong> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                                  "&amp; &quot;quotes&quot;, 'apos'"));
  g_assert_nonnull (strstr (html, "<h1>Safety &lt;b&gt;&amp; &quot;trust&quot;&lt;/b&gt; — briefing #1</h1>"));
  g_assert_nonnull (strstr (html, "<h2><a id=\"item-1\"></a>Case study 4.2.4: "));
  g_assert_nonnull (strstr (html, "<a href=\"#item-8\">Case study 9.9.9: A vanished study</a>"));
  g_assert_nonnull (strstr (html, "<th>Theme</th>"));
  g_assert_nonnull (strstr (html, "<li><strong>Trust:</strong> Low trust"));
  g_assert_nonnull (strstr (html, "<blockquote>\n<p><strong>Note:</strong> - a dash<br />\n+ a plus<br />\n@someone<br />\n"
                                  "# not a heading<br />\n1. not a list<br />\nnot code<br />\n&gt; not a quote<br />\n"
                                  "---</p>\n</blockquote>"));
  g_assert_nonnull (strstr (html, "a \\ backslash, `code`, *stars*, _under_, [brackets](javascript:alert(1)) | pipe "
                                  "~tilde~ &amp;amp; entity"));
  g_assert_nonnull (strstr (html, "<a href=\"https://doi.org/10.1186/s12939-019-1082-3\">"));

  for (const char *p = strstr (html, "<h2>"); p != NULL; p = strstr (p + 1, "<h2>"))
    n_h2++;
  g_assert_cmpuint (n_h2, ==, G_N_ELEMENTS (entries) + 3);
  g_assert_null (strstr (html, "<hr"));
  g_assert_null (strstr (html, "<pre"));
  g_assert_null (strstr (html, "<code"));

  remove_tree (dir);
}

/* Pack file */

static void
assert_same_pack (CbPack *got,
                  CbPack *want)
{
  g_assert_cmpint (cb_pack_get_id (got), ==, 0);
  g_assert_cmpstr (cb_pack_get_name (got), ==, cb_pack_get_name (want));
  g_assert_cmpstr (cb_pack_get_description (got), ==, cb_pack_get_description (want));
  g_assert_cmpstr (cb_pack_get_audience (got), ==, cb_pack_get_audience (want));
  g_assert_cmpstr (cb_pack_get_date (got), ==, cb_pack_get_date (want));
  g_assert_cmpstr (cb_pack_get_created (got), ==, cb_pack_get_created (want));
  g_assert_cmpstr (cb_pack_get_modified (got), ==, cb_pack_get_modified (want));
  g_assert_cmpuint (cb_pack_get_n_entries (got), ==, cb_pack_get_n_entries (want));

  for (guint i = 0; i < cb_pack_get_n_entries (want); i++)
    {
      CbPackEntry *a = cb_pack_get_entry (got, i);
      CbPackEntry *b = cb_pack_get_entry (want, i);

      g_assert_cmpstr (a->item_id, ==, b->item_id);
      g_assert_cmpstr (a->label, ==, b->label);
      g_assert_cmpstr (a->title, ==, b->title);
      g_assert_cmpstr (a->note, ==, b->note);
    }
}

static void
test_pack_file_round_trip (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CbPack) read = NULL;
  g_autoptr(CbPack) from_file = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "briefing.casebook-pack", NULL);
  g_autoptr(CbPack) empty = cb_pack_new ("Empty");
  g_autoptr(CbPack) empty_read = NULL;
  g_autoptr(GBytes) empty_bytes = NULL;

  cb_pack_set_id (pack, 42);
  bytes = export (pack, CB_EXPORT_PACK);
  text = bytes_to_string (bytes);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                         "<pack xmlns=\"urn:x-casebook:pack\" format=\"1\" generator=\"Casebook "));
  g_assert_nonnull (strstr (text, "<corpus title=\"Improving race equality in your organisation\" checksum=\""));
  g_assert_nonnull (strstr (text, "&lt;script&gt;"));
  g_assert_null (strstr (text, "<script"));
  g_assert_null (strstr (text, "<!DOCTYPE"));

  read = cb_pack_file_read_bytes (bytes, "briefing.casebook-pack", &error);
  g_assert_no_error (error);
  assert_same_pack (read, pack);
  g_assert_cmpstr (cb_pack_get_entry (read, 0)->note, ==, HOSTILE_NOTE);
  g_assert_cmpstr (cb_pack_get_entry (read, 2)->note, ==, MULTILINE_NOTE);
  g_assert_cmpstr (cb_pack_get_entry (read, 3)->note, ==, RTL_NOTE);
  g_assert_cmpstr (cb_pack_get_entry (read, 6)->note, ==, MARKUP_NOTE);

  /* Through a file, as the application saves and opens it */
  g_assert_true (cb_export_to_file (pack, corpus, taxonomy, CB_EXPORT_PACK, path, NULL, &error));
  g_assert_no_error (error);
  from_file = cb_pack_file_read (path, &error);
  g_assert_no_error (error);
  assert_same_pack (from_file, pack);

  /* The corpus has all but one */
  unknown = cb_pack_dup_unknown_items (read, corpus);
  g_assert_cmpuint (unknown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (unknown, 0), ==, MISSING_ID);

  /* An empty pack with no details */
  empty_bytes = export (empty, CB_EXPORT_PACK);
  empty_read = cb_pack_file_read_bytes (empty_bytes, "empty.casebook-pack", &error);
  g_assert_no_error (error);
  assert_same_pack (empty_read, empty);

  /* A creation time the store did not make is left out, not fatal */
  {
    g_autoptr(GBytes) odd_bytes = NULL;
    g_autoptr(CbPack) odd_read = NULL;

    cb_pack_set_created (empty, "yesterday");
    odd_bytes = export (empty, CB_EXPORT_PACK);
    odd_read = cb_pack_file_read_bytes (odd_bytes, "odd.casebook-pack", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cb_pack_get_created (odd_read), ==, "");
  }

  /* A missing file */
  {
    g_autofree char *missing = g_build_filename (dir, "missing.casebook-pack", NULL);
    g_autoptr(CbPack) none = cb_pack_file_read (missing, &error);

    g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
    g_assert_null (none);
    g_clear_error (&error);
  }

  remove_tree (dir);
}

/* Text XML cannot carry is refused, naming where it is */
static void
test_pack_file_unsafe_text (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_free (cb_pack_get_entry (pack, 1)->note);
  cb_pack_get_entry (pack, 1)->note = g_strdup ("bell \a here");
  bytes = cb_export_to_bytes (pack, corpus, taxonomy, CB_EXPORT_PACK, NULL, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_null (bytes);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "case_study:3.1.2"));
  g_assert_nonnull (strstr (error->message, "U+0007"));
  g_clear_error (&error);

  g_clear_object (&pack);
  pack = make_pack ();
  cb_pack_set_description (pack, "form\ffeed");
  bytes = cb_export_to_bytes (pack, corpus, taxonomy, CB_EXPORT_PACK, NULL, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_null (bytes);
  g_assert_nonnull (strstr (error->message, "description"));
}

typedef struct {
  const char *what;
  const char *data;
  gssize      len;
  int         code;
  const char *needle;
} BadFile;

#define PACK_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pack xmlns=\"urn:x-casebook:pack\" format=\"1\">\n"

static const BadFile bad_files[] = {
  { "malformed", PACK_OPEN "  <name>x</name>\n  <entries>\n</pack>\n", -1, CB_ERROR_PARSE, "bad.casebook-pack:5:" },
  { "empty", "", 0, CB_ERROR_PARSE, "empty" },
  { "only white space", "  \n\n", -1, CB_ERROR_PARSE, "bad.casebook-pack" },
  { "not XML", "name,item\nx,y\n", -1, CB_ERROR_PARSE, "bad.casebook-pack:1:" },
  { "wrong root", "<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\"/>", -1, CB_ERROR_INVALID,
    "not a Casebook pack file" },
  { "no namespace", "<pack format=\"1\"><name>x</name><entries/></pack>", -1, CB_ERROR_INVALID,
    "not a Casebook pack file" },
  { "entry without item", PACK_OPEN "  <name>x</name>\n  <entries>\n    <entry label=\"A\"/>\n  </entries>\n</pack>\n",
    -1, CB_ERROR_INVALID, "bad.casebook-pack:5: An <entry> has no item attribute" },
  { "bad item id", PACK_OPEN "  <name>x</name>\n  <entries>\n    <entry item=\"../../etc/passwd\"/>\n  </entries>\n</pack>\n",
    -1, CB_ERROR_INVALID, "bad.casebook-pack:5: “../../etc/passwd” is not an item id" },
  { "no name", PACK_OPEN "  <entries/>\n</pack>\n", -1, CB_ERROR_INVALID, "bad.casebook-pack:2: The pack has no <name>" },
  { "blank name", PACK_OPEN "  <name>   </name>\n  <entries/>\n</pack>\n", -1, CB_ERROR_INVALID,
    "bad.casebook-pack:3: A pack needs a name" },
  { "name on two lines", PACK_OPEN "  <name>one\ntwo</name>\n  <entries/>\n</pack>\n", -1, CB_ERROR_INVALID,
    "bad.casebook-pack:3: A pack name must fit on one line" },
  { "out of order", PACK_OPEN "  <entries/>\n  <name>x</name>\n</pack>\n", -1, CB_ERROR_INVALID,
    "bad.casebook-pack:" },
  { "bad corpus checksum", PACK_OPEN "  <name>x</name>\n  <corpus checksum=\"abc\"/>\n  <entries/>\n</pack>\n", -1,
    CB_ERROR_INVALID, "bad.casebook-pack:4" },
  { "unknown element", PACK_OPEN "  <name>x</name>\n  <script>x</script>\n  <entries/>\n</pack>\n", -1,
    CB_ERROR_INVALID, "bad.casebook-pack:4" },
  { "bad date", PACK_OPEN "  <name>x</name>\n  <date>2025-02-30</date>\n  <entries/>\n</pack>\n", -1,
    CB_ERROR_INVALID, "bad.casebook-pack:4: The pack’s date “2025-02-30” is not a date" },
  { "duplicate item", PACK_OPEN "  <name>x</name>\n  <entries>\n    <entry item=\"case_study:4.2.4\"/>\n"
    "    <entry item=\"glossary:race\"/>\n    <entry item=\"case_study:4.2.4\"/>\n  </entries>\n</pack>\n",
    -1, CB_ERROR_INVALID, "bad.casebook-pack:7: The pack lists the item “case_study:4.2.4” twice" },
  { "newer format", "<pack xmlns=\"urn:x-casebook:pack\" format=\"99\"><future/></pack>", -1, CB_ERROR_NEWER,
    "newer version of Casebook (format 99" },
  { "format zero", "<pack xmlns=\"urn:x-casebook:pack\" format=\"0\"><name>x</name><entries/></pack>", -1,
    CB_ERROR_INVALID, "bad.casebook-pack:1: The pack file format “0” is not a positive whole number" },
  { "format not a number", "<pack xmlns=\"urn:x-casebook:pack\" format=\"one\"><name>x</name><entries/></pack>", -1,
    CB_ERROR_INVALID, "bad.casebook-pack:1: The pack file format “one” is not a positive whole number" },
  { "no format", "<pack xmlns=\"urn:x-casebook:pack\"><name>x</name><entries/></pack>", -1,
    CB_ERROR_INVALID, "bad.casebook-pack:1: The <pack> element has no format attribute" },
  { "not UTF-8", PACK_OPEN "  <name>caf\xE9</name>\n  <entries/>\n</pack>\n", -1, CB_ERROR_PARSE,
    "bad.casebook-pack:3:" },
  { "control character", PACK_OPEN "  <name>x&#1;</name>\n  <entries/>\n</pack>\n", -1, CB_ERROR_PARSE,
    "bad.casebook-pack:3:" },
  { "billion laughs",
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE pack [\n"
    "  <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
    "  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
    "  <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
    "  <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
    "  <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
    "  <!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
    "  <!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
    "  <!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
    "]>\n"
    "<pack xmlns=\"urn:x-casebook:pack\" format=\"1\"><name>&h;</name><entries/></pack>\n",
    -1, CB_ERROR_UNSAFE, "DOCTYPE" },
  { "external entity",
    "<?xml version=\"1.0\"?>\n<!DOCTYPE pack [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
    "<pack xmlns=\"urn:x-casebook:pack\" format=\"1\"><name>&x;</name><entries/></pack>\n",
    -1, CB_ERROR_UNSAFE, "DOCTYPE" },
};

static void
test_pack_file_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      const BadFile *bad = &bad_files[i];
      gsize len = bad->len < 0 ? strlen (bad->data) : (gsize) bad->len;
      g_autoptr(GBytes) bytes = g_bytes_new_static (bad->data, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbPack) pack = cb_pack_file_read_bytes (bytes, "bad.casebook-pack", &error);

      g_test_message ("%s: %s", bad->what, error ? error->message : "(no error)");
      g_assert_null (pack);
      g_assert_error (error, CB_ERROR, bad->code);
      g_assert_nonnull (strstr (error->message, bad->needle));
    }

  /* A good file cut short anywhere is an error, never a shorter pack */
  {
    g_autoptr(CbPack) pack = make_pack ();
    g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PACK);
    const char *data = g_bytes_get_data (bytes, NULL);
    gsize size = g_bytes_get_size (bytes);

    for (gsize cut = 0; cut < size - 2; cut += MAX (1, size / 97))
      {
        g_autoptr(GBytes) truncated = g_bytes_new_static (data, cut);
        g_autoptr(GError) error = NULL;
        g_autoptr(CbPack) read = cb_pack_file_read_bytes (truncated, "cut.casebook-pack", &error);

        g_assert_null (read);
        g_assert_error (error, CB_ERROR, CB_ERROR_PARSE);
        g_assert_true (g_str_has_prefix (error->message, "cut.casebook-pack"));
      }
  }
}

/* Atomic writing */

static void
test_file_missing_folder (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "no", "such", "folder", "pack.md", NULL);

  g_assert_false (cb_export_to_file (pack, corpus, taxonomy, CB_EXPORT_MARKDOWN, path, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);

  remove_tree (dir);
}

static void
test_file_read_only (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "pack.csv", NULL);

  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  if (access (dir, W_OK) == 0)
    {
      g_test_skip ("Permissions do not apply (running as root?)");
      remove_tree (dir);
      return;
    }

  for (CbExportFormat format = CB_EXPORT_MARKDOWN; format <= CB_EXPORT_PACK; format++)
    {
      g_assert_false (cb_export_to_file (pack, corpus, taxonomy, format, path, NULL, &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_READ_ONLY);
      g_clear_error (&error);
    }

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);

  remove_tree (dir);
}

static void
test_file_overwrite (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "pack.json", NULL);
  g_autofree char *old = g_strnfill (2 * 1024 * 1024, 'x');
  g_autoptr(GBytes) expected = export (pack, CB_EXPORT_JSON);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_set_contents (path, old, -1, &error));
  g_assert_no_error (error);

  g_assert_true (cb_export_to_file (pack, corpus, taxonomy, CB_EXPORT_JSON, path, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_cmpmem (contents, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpuint (count_files (dir), ==, 1);

  remove_tree (dir);
}

/* Cancelled before the first item: an error, never a partial export */
static void
test_cancelled (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  for (CbExportFormat format = CB_EXPORT_MARKDOWN; format <= CB_EXPORT_PACK; format++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = cb_export_to_bytes (pack, corpus, taxonomy, format, cancellable, &error);

      g_assert_null (bytes);
      g_assert_error (error, CB_ERROR, CB_ERROR_CANCELLED);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  path = cb_get_bundled_corpus_path ();
  corpus = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/export/markdown/structure", test_markdown);
  g_test_add_func ("/export/markdown/cmark", test_markdown_cmark);
  g_test_add_func ("/export/csv/python", test_csv);
  g_test_add_func ("/export/csv/retired", test_retired);
  g_test_add_func ("/export/json/json-glib", test_json);
  g_test_add_func ("/export/ris/bibutils", test_ris);
  g_test_add_func ("/export/bibtex/bibutils", test_bibtex);
  g_test_add_func ("/export/pack-file/round-trip", test_pack_file_round_trip);
  g_test_add_func ("/export/pack-file/unsafe-text", test_pack_file_unsafe_text);
  g_test_add_func ("/export/pack-file/bad-input", test_pack_file_bad);
  g_test_add_func ("/export/file/atomic/missing-folder", test_file_missing_folder);
  g_test_add_func ("/export/file/atomic/read-only", test_file_read_only);
  g_test_add_func ("/export/file/atomic/overwrite", test_file_overwrite);
  g_test_add_func ("/export/cancelled", test_cancelled);

  ret = g_test_run ();

  g_clear_object (&corpus);
  g_clear_object (&taxonomy);

  return ret;
}
