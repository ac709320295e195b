/* test-export-document.c: the HTML and PDF handouts, read back with
 * libxml2's HTML parser and with Poppler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <poppler.h>

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-export.h"
#include "cb-taxonomy.h"

#define PACK_NAME      "Cultural safety briefing"
#define PACK_AUDIENCE  "Trust board & staff network"
#define PACK_DATE      "2026-01-15"
#define GENERATED      "2025-11-26" /* SOURCE_DATE_EPOCH in tests/meson.build */
#define VANISHED_ID    "case_study:9.9.9"
#define HOSTILE_NOTE   "<script>alert(\"x\")</script> & \"quotes\" 'apos'"
#define WORLD_NOTE     "Arabic: مرحبا بالعالم\n" \
                       "Hebrew: שלום עולם\n" \
                       "Emoji: 😀🎉\n" \
                       "Several lines, kept as written."

/* A4 and the writer's 2 cm side margins, in points */
#define PAGE_WIDTH     595.276
#define PAGE_HEIGHT    841.89
#define MARGIN_X       56.69
#define SLACK          2.0

static CbCorpus *corpus;
static CbTaxonomy *taxonomy;

static const struct {
  const char *id;
  const char *note;
} pack_entries[] = {
  { "case_study:4.2.4", HOSTILE_NOTE },
  { "case_study:3.1.2", WORLD_NOTE },
  { "inset_box:7.2.2", "Discuss the framing table with the communications team." },
  { "glossary:racism", "" },
  { VANISHED_ID, "It was in the 2025 edition." },
};

static void
add_entry (CbPack     *pack,
           const char *id,
           const char *note)
{
  CbItem *item = cb_corpus_lookup_item (corpus, id);
  g_autofree char *label = item ? cb_item_dup_label (item) : g_strdup ("Case study 9.9.9");
  const char *title = item ? cb_item_get_title (item) : "A vanished study";

  cb_pack_add_entry (pack, cb_pack_entry_new (id, label, title, note));
}

static CbPack *
make_pack (void)
{
  CbPack *pack = cb_pack_new (PACK_NAME);

  cb_pack_set_description (pack, "Evidence for the board's away day on cultural safety.");
  cb_pack_set_audience (pack, PACK_AUDIENCE);
  cb_pack_set_date (pack, PACK_DATE);
  for (guint i = 0; i < G_N_ELEMENTS (pack_entries); i++)
    add_entry (pack, pack_entries[i].id, pack_entries[i].note);

  return pack;
}

/* What _cb_export_dup_heading() makes of entry @i */
static char *
dup_expected_heading (CbPack *pack,
                      guint   i)
{
  CbPackEntry *entry = cb_pack_get_entry (pack, i);
  CbItem *item = cb_corpus_lookup_item (corpus, entry->item_id);
  g_autofree char *label = item ? cb_item_dup_label (item) : g_strdup (entry->label);

  return g_strdup_printf ("%s: %s", label, item ? cb_item_get_title (item) : entry->title);
}

static GBytes *
export (CbPack         *pack,
        CbExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = cb_export_to_bytes (pack, corpus, taxonomy, format, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 0);

  return bytes;
}

/* The DOI of the first reference of @id that has one */
static const char *
get_item_doi (const char *id)
{
  CbItem *item = cb_corpus_lookup_item (corpus, id);
  GPtrArray *refs = cb_item_get_references (item);

  for (guint i = 0; i < refs->len; i++)
    {
      CbReference *ref = cb_corpus_lookup_reference (corpus, g_ptr_array_index (refs, i));

      if (ref != NULL && cb_reference_get_doi (ref) != NULL)
        return cb_reference_get_doi (ref);
    }

  return NULL;
}

static CbBlock *
find_block (GPtrArray   *blocks,
            CbBlockKind  kind)
{
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      CbBlock *block = g_ptr_array_index (blocks, i);
      CbBlock *found;

      if (block->kind == kind)
        return block;
      if ((found = find_block (block->children, kind)) != NULL)
        return found;
    }

  return NULL;
}

static CbBlock *
find_item_block (const char  *id,
                 CbBlockKind  kind)
{
  GPtrArray *parts = cb_item_get_parts (cb_corpus_lookup_item (corpus, id));

  for (guint i = 0; i < parts->len; i++)
    {
      CbBlock *found = find_block (((CbPart *) g_ptr_array_index (parts, i))->blocks, kind);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* HTML */

typedef struct {
  GBytes             *bytes;
  htmlDocPtr          doc;
  xmlXPathContextPtr  xpath;
} Html;

static Html *
html_new (CbPack *pack)
{
  Html *html = g_new0 (Html, 1);
  gsize size;
  const char *data;

  html->bytes = export (pack, CB_EXPORT_HTML);
  data = g_bytes_get_data (html->bytes, &size);
  html->doc = htmlReadMemory (data, size, "pack.html", "UTF-8",
                              HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  g_assert_nonnull (html->doc);
  html->xpath = xmlXPathNewContext (html->doc);

  return html;
}

static void
html_free (Html *html)
{
  xmlXPathFreeContext (html->xpath);
  xmlFreeDoc (html->doc);
  g_bytes_unref (html->bytes);
  g_free (html);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Html, html_free)

/* (transfer full): the nodes @expr selects, under @node if given */
static GPtrArray *
html_select (Html       *html,
             xmlNodePtr  node,
             const char *expr)
{
  GPtrArray *nodes = g_ptr_array_new ();
  xmlXPathObjectPtr result;

  html->xpath->node = node ? node : xmlDocGetRootElement (html->doc);
  result = xmlXPathEvalExpression (BAD_CAST expr, html->xpath);
  g_assert_nonnull (result);

  for (int i = 0; result->nodesetval && i < result->nodesetval->nodeNr; i++)
    g_ptr_array_add (nodes, result->nodesetval->nodeTab[i]);
  xmlXPathFreeObject (result);

  return nodes;
}

static char *
node_text (xmlNodePtr node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup ((const char *) content);

  xmlFree (content);

  return text;
}

static char *
html_select_text (Html       *html,
                  xmlNodePtr  node,
                  const char *expr)
{
  g_autoptr(GPtrArray) nodes = html_select (html, node, expr);

  g_assert_cmpuint (nodes->len, ==, 1);

  return node_text (g_ptr_array_index (nodes, 0));
}

static gboolean
html_any_text_equals (Html       *html,
                      xmlNodePtr  node,
                      const char *expr,
                      const char *text)
{
  g_autoptr(GPtrArray) nodes = html_select (html, node, expr);

  for (guint i = 0; i < nodes->len; i++)
    {
      g_autofree char *content = node_text (g_ptr_array_index (nodes, i));

      if (g_str_equal (content, text))
        return TRUE;
    }

  return FALSE;
}

static char *
get_attr (xmlNodePtr  node,
          const char *name)
{
  xmlChar *value = xmlGetProp (node, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);

  return copy;
}

static void
test_html_safe (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  g_autoptr(GPtrArray) scripts = html_select (html, NULL, "//script");
  g_autoptr(GPtrArray) external = html_select (html, NULL, "//*[@src] | //link | //iframe | //object | //embed");
  g_autoptr(GPtrArray) handlers = html_select (html, NULL, "//@*[starts-with(name(), 'on')]");
  g_autoptr(GPtrArray) links = html_select (html, NULL, "//a");
  g_autofree char *style = html_select_text (html, NULL, "/html/head/style");
  g_autofree char *lang = get_attr (xmlDocGetRootElement (html->doc), "lang");
  g_autoptr(GPtrArray) charset = html_select (html, NULL, "/html/head/meta[@charset]");
  const char *data = g_bytes_get_data (html->bytes, NULL);

  g_assert_true (g_str_has_prefix (data, "<!DOCTYPE html>"));
  g_assert_true (g_utf8_validate (data, g_bytes_get_size (html->bytes), NULL));
  g_assert_cmpstr (lang, ==, "en");
  g_assert_cmpuint (charset->len, ==, 1);

  /* Not the hostile note, not anything else */
  g_assert_cmpuint (scripts->len, ==, 0);
  g_assert_cmpuint (external->len, ==, 0);
  g_assert_cmpuint (handlers->len, ==, 0);
  g_assert_null (g_strstr_len (data, g_bytes_get_size (html->bytes), "<script"));

  /* Every link stays in the page or goes to the web */
  g_assert_cmpuint (links->len, >, 0);
  for (guint i = 0; i < links->len; i++)
    {
      g_autofree char *href = get_attr (g_ptr_array_index (links, i), "href");

      g_assert_nonnull (href);
      g_assert_false (g_ascii_strncasecmp (g_strstrip (href), "javascript:", 11) == 0);
      g_assert_true (href[0] == '#' || g_str_has_prefix (href, "https://") || g_str_has_prefix (href, "http://"));
    }

  g_assert_nonnull (strstr (style, "@media print"));
  g_assert_nonnull (strstr (style, "@page"));
  g_assert_nonnull (strstr (style, "prefers-color-scheme: dark"));
}

static void
test_html_header (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  g_autofree char *h1 = html_select_text (html, NULL, "//h1");
  g_autofree char *title = html_select_text (html, NULL, "/html/head/title");
  g_autofree char *header = html_select_text (html, NULL, "//header");
  g_autofree char *count = g_strdup_printf ("%u items", (guint) G_N_ELEMENTS (pack_entries));

  g_assert_cmpstr (h1, ==, PACK_NAME);
  g_assert_cmpstr (title, ==, PACK_NAME);
  g_assert_nonnull (strstr (header, cb_pack_get_description (pack)));
  g_assert_nonnull (strstr (header, PACK_AUDIENCE));
  g_assert_nonnull (strstr (header, PACK_DATE));
  g_assert_nonnull (strstr (header, GENERATED));
  g_assert_nonnull (strstr (header, count));
}

static void
test_html_contents (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  g_autoptr(GPtrArray) links = html_select (html, NULL, "//nav//li/a");
  g_autoptr(GPtrArray) articles = html_select (html, NULL, "//article");

  g_assert_cmpuint (links->len, ==, cb_pack_get_n_entries (pack));
  g_assert_cmpuint (articles->len, ==, cb_pack_get_n_entries (pack));

  for (guint i = 0; i < links->len; i++)
    {
      xmlNodePtr link = g_ptr_array_index (links, i);
      g_autofree char *href = get_attr (link, "href");
      g_autofree char *text = node_text (link);
      g_autofree char *expected = dup_expected_heading (pack, i);
      g_autofree char *expr = NULL;
      g_autoptr(GPtrArray) targets = NULL;

      g_assert_nonnull (href);
      g_assert_cmpint (href[0], ==, '#');
      g_assert_cmpstr (text, ==, expected);

      expr = g_strdup_printf ("//*[@id='%s']", href + 1);
      targets = html_select (html, NULL, expr);
      g_assert_cmpuint (targets->len, ==, 1);
      /* ...and in the pack's order */
      g_assert_true (g_ptr_array_index (targets, 0) == g_ptr_array_index (articles, i));
    }
}

static void
test_html_items (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  g_autoptr(GPtrArray) articles = html_select (html, NULL, "//article");
  CbItem *case_study = cb_corpus_lookup_item (corpus, "case_study:4.2.4");
  GPtrArray *parts = cb_item_get_parts (case_study);
  CbBlock *list = find_item_block ("case_study:4.2.4", CB_BLOCK_LIST);
  g_autofree char *list_item = cb_spans_to_text (((CbBlock *) g_ptr_array_index (list->children, 0))->spans);
  g_autofree char *vanished = NULL;
  g_autofree char *glossary = NULL;

  g_assert_cmpuint (articles->len, ==, G_N_ELEMENTS (pack_entries));

  for (guint i = 0; i < articles->len; i++)
    {
      g_autofree char *heading = html_select_text (html, g_ptr_array_index (articles, i), "h2");
      g_autofree char *expected = dup_expected_heading (pack, i);

      g_assert_cmpstr (heading, ==, expected);
    }

  /* Every part of the case study under its own heading, with its text */
  g_assert_cmpuint (parts->len, >=, 3);
  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);

      g_assert_true (html_any_text_equals (html, g_ptr_array_index (articles, 0), ".//h3",
                                           cb_part_name_label (part->name)));
    }
  g_assert_true (html_any_text_equals (html, g_ptr_array_index (articles, 0), ".//h3", "Key findings"));
  g_assert_true (html_any_text_equals (html, g_ptr_array_index (articles, 0), ".//ul/li", list_item));

  /* The item's citation */
  g_assert_true (html_any_text_equals (html, g_ptr_array_index (articles, 0), ".//strong", "Cite as:"));

  /* A glossary term has only a body, which gets no heading of its own */
  glossary = html_select_text (html, g_ptr_array_index (articles, 3), ".");
  g_assert_nonnull (strstr (glossary, "A system of power"));
  g_assert_false (html_any_text_equals (html, g_ptr_array_index (articles, 3), ".//h3", "Text"));

  vanished = html_select_text (html, g_ptr_array_index (articles, 4), ".//*[@class='status']");
  g_assert_cmpstr (vanished, ==, "No longer in the corpus");
}

static void
test_html_table (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  g_autoptr(GPtrArray) articles = html_select (html, NULL, "//article");
  xmlNodePtr article = g_ptr_array_index (articles, 2);
  CbBlock *table = find_item_block ("inset_box:7.2.2", CB_BLOCK_TABLE);
  g_autoptr(GPtrArray) rows = html_select (html, article, ".//table//tr");
  g_autoptr(GPtrArray) header_cells = html_select (html, article, ".//table/thead/tr/th");
  CbBlock *header = g_ptr_array_index (table->children, 0);
  CbBlock *cell = g_ptr_array_index (((CbBlock *) g_ptr_array_index (table->children, 1))->children, 1);
  g_autofree char *cell_text = NULL;

  g_assert_nonnull (table);
  g_assert_true (header->header);
  g_assert_cmpuint (rows->len, ==, table->children->len);
  g_assert_cmpuint (header_cells->len, ==, header->children->len);

  for (guint i = 0; i < header->children->len; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *th = node_text (g_ptr_array_index (header_cells, i));

      cb_block_append_text (g_ptr_array_index (header->children, i), text);
      g_assert_cmpstr (g_strstrip (th), ==, g_strstrip (text->str));
    }

  /* Cells hold blocks: the paragraph comes out as a paragraph in the cell */
  cell_text = cb_spans_to_text (((CbBlock *) g_ptr_array_index (cell->children, 0))->spans);
  g_assert_true (html_any_text_equals (html, article, ".//table/tbody/tr[1]/td[2]/p", cell_text));
}

static void
test_html_notes (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  g_autoptr(GPtrArray) articles = html_select (html, NULL, "//article");

  for (guint i = 0; i < articles->len; i++)
    {
      const char *note = pack_entries[i].note;
      g_autoptr(GPtrArray) notes = html_select (html, g_ptr_array_index (articles, i),
                                                ".//*[@class='note-text']");
      g_autofree char *text = NULL;

      if (*note == '\0')
        {
          g_assert_cmpuint (notes->len, ==, 0);
          continue;
        }

      g_assert_cmpuint (notes->len, ==, 1);
      text = node_text (g_ptr_array_index (notes, 0));
      /* Verbatim: markup as text, quotes, right-to-left, emoji, newlines */
      g_assert_cmpstr (text, ==, note);
    }
}

static void
test_html_references (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(Html) html = html_new (pack);
  const char *doi = get_item_doi ("case_study:4.2.4");
  g_autofree char *references = html_select_text (html, NULL, "//*[@id='references']");
  g_autofree char *expr = NULL;
  g_autoptr(GPtrArray) doi_links = NULL;
  g_autofree char *guide = cb_corpus_format_guide_citation (corpus);
  g_autofree char *cite = html_select_text (html, NULL, "//*[@id='cite-guide']");

  g_assert_nonnull (doi);
  g_assert_nonnull (strstr (references, doi));

  expr = g_strdup_printf ("//*[@id='references']//a[@href='https://doi.org/%s']", doi);
  doi_links = html_select (html, NULL, expr);
  g_assert_cmpuint (doi_links->len, ==, 1);

  g_assert_nonnull (strstr (cite, "How to cite the guide"));
  g_assert_nonnull (strstr (cite, guide));
}

/* A reference to another item links to it when the pack has it too */
static void
test_html_item_refs (void)
{
  g_autoptr(CbPack) pack = cb_pack_new ("Cross references");
  g_autoptr(Html) html = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;

  add_entry (pack, "section:3.2", "");
  add_entry (pack, "case_study:3.2.2", "");
  html = html_new (pack);
  expected = dup_expected_heading (pack, 1);

  linked = html_select (html, NULL, "//article[@id='item-1']//p[@class='item-ref']/a[@href='#item-2']");
  g_assert_cmpuint (linked->len, ==, 1);
  text = node_text (g_ptr_array_index (linked, 0));
  g_assert_cmpstr (text, ==, expected);

  /* 3.2.3 and 3.2.4 are not in the pack: named, not linked */
  refs = html_select (html, NULL, "//article[@id='item-1']//p[@class='item-ref']");
  g_assert_cmpuint (refs->len, ==, 3);
  for (guint i = 1; i < refs->len; i++)
    {
      g_autoptr(GPtrArray) links = html_select (html, g_ptr_array_index (refs, i), "a");
      g_autofree char *ref_text = node_text (g_ptr_array_index (refs, i));

      g_assert_cmpuint (links->len, ==, 0);
      g_assert_true (g_str_has_prefix (ref_text, "→ Case study 3.2."));
    }
}

static void
test_html_empty (void)
{
  g_autoptr(CbPack) pack = cb_pack_new ("Nothing yet");
  g_autoptr(Html) html = html_new (pack);
  g_autofree char *h1 = html_select_text (html, NULL, "//h1");
  g_autoptr(GPtrArray) articles = html_select (html, NULL, "//article");
  g_autoptr(GPtrArray) cite = html_select (html, NULL, "//*[@id='cite-guide']");

  g_assert_cmpstr (h1, ==, "Nothing yet");
  g_assert_cmpuint (articles->len, ==, 0);
  g_assert_cmpuint (cite->len, ==, 1);
}

/* PDF */

/* Poppler 22.12 has no g_autoptr() support; aliases do not clash with the
 * versions that have it */
typedef PopplerDocument PdfDoc;
typedef PopplerPage PdfPage;
typedef PopplerDest PdfDest;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdfDoc, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdfPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdfDest, poppler_dest_free)

static PopplerDocument *
pdf_open (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);

  return doc;
}

static char *
page_text (PopplerDocument *doc,
           int              index)
{
  g_autoptr(PdfPage) page = poppler_document_get_page (doc, index);

  return poppler_page_get_text (page);
}

/* Text extraction breaks lines and pages where it likes: compare texts
 * without any white space. */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
document_text (PopplerDocument *doc)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autofree char *text = page_text (doc, i);

      g_string_append (out, text);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

static void
assert_contains_squeezed (const char *squeezed_haystack,
                          const char *needle)
{
  g_autofree char *squeezed = squeeze (needle);

  if (strstr (squeezed_haystack, squeezed) == NULL)
    g_error ("the PDF text does not contain “%s”", needle);
}

/* Every glyph on the page, within the side margins, and in the running
 * header band, the body or the footer band: nothing clipped, nothing
 * drawn over the header or the footer. */
static void
assert_text_within_margins (PopplerDocument *doc)
{
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PdfPage) page = poppler_document_get_page (doc, i);
      g_autofree PopplerRectangle *rects = NULL;
      g_autofree char *text = poppler_page_get_text (page);
      guint n_rects = 0;
      double width, height;

      poppler_page_get_size (page, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, PAGE_WIDTH, 0.5);
      g_assert_cmpfloat_with_epsilon (height, PAGE_HEIGHT, 0.5);

      g_assert_true (poppler_page_get_text_layout (page, &rects, &n_rects));
      g_assert_cmpuint (n_rects, >, 0);

      for (guint r = 0; r < n_rects; r++)
        {
          const PopplerRectangle *rect = &rects[r];
          gboolean header = rect->y2 <= 50;
          gboolean body = rect->y1 >= 58 && rect->y2 <= PAGE_HEIGHT - 52;
          gboolean footer = rect->y1 >= PAGE_HEIGHT - 50 && rect->y2 <= PAGE_HEIGHT - 16;

          if (rect->x1 < MARGIN_X - SLACK || rect->x2 > PAGE_WIDTH - MARGIN_X + SLACK ||
              rect->y1 < 16 || !(header || body || footer))
            g_error ("page %d: text box %u (%.1f, %.1f)–(%.1f, %.1f) is outside the margins",
                     i + 1, r, rect->x1, rect->y1, rect->x2, rect->y2);
        }
    }
}

static void
test_pdf_structure (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PDF);
  g_autoptr(PdfDoc) doc = pdf_open (bytes);
  int n_pages = poppler_document_get_n_pages (doc);
  g_autofree char *first = page_text (doc, 0);
  g_autofree char *second = page_text (doc, 1);
  g_autofree char *footer = g_strdup_printf ("Page 2 of %d", n_pages);
  g_autofree char *first_footer = g_strdup_printf ("Page 1 of %d", n_pages);
  g_autofree char *title = poppler_document_get_title (doc);
  const char *data = g_bytes_get_data (bytes, NULL);

  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  /* A title page, a contents page, a page per item at least, references */
  g_assert_cmpint (n_pages, >=, 1 + (int) cb_pack_get_n_entries (pack));
  g_assert_nonnull (strstr (first, PACK_NAME));
  g_assert_nonnull (strstr (first, PACK_AUDIENCE));
  g_assert_null (strstr (first, first_footer));
  g_assert_nonnull (strstr (second, footer));
  g_assert_nonnull (strstr (second, "Contents"));
  g_assert_cmpstr (title, ==, PACK_NAME);

  for (int i = 1; i < n_pages; i++)
    {
      g_autofree char *text = page_text (doc, i);
      g_autofree char *expected = g_strdup_printf ("Page %d of %d", i + 1, n_pages);

      g_assert_nonnull (strstr (text, expected));
      g_assert_nonnull (strstr (text, PACK_NAME));
    }
}

static void
test_pdf_text (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PDF);
  g_autoptr(PdfDoc) doc = pdf_open (bytes);
  g_autofree char *text = document_text (doc);
  g_autofree char *squeezed = squeeze (text);
  g_autofree char *guide = cb_corpus_format_guide_citation (corpus);
  CbBlock *list = find_item_block ("case_study:4.2.4", CB_BLOCK_LIST);
  g_autofree char *list_item = cb_spans_to_text (((CbBlock *) g_ptr_array_index (list->children, 0))->spans);
  CbBlock *table = find_item_block ("inset_box:7.2.2", CB_BLOCK_TABLE);
  CbBlock *cell = g_ptr_array_index (((CbBlock *) g_ptr_array_index (table->children, 0))->children, 1);
  g_autoptr(GString) cell_text = g_string_new (NULL);

  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      g_autofree char *heading = dup_expected_heading (pack, i);

      assert_contains_squeezed (squeezed, heading);
    }

  assert_contains_squeezed (squeezed, HOSTILE_NOTE);
  assert_contains_squeezed (squeezed, "Several lines, kept as written.");
  assert_contains_squeezed (squeezed, "Key findings");
  assert_contains_squeezed (squeezed, "Lessons learned");
  assert_contains_squeezed (squeezed, list_item);
  cb_block_append_text (cell, cell_text);
  assert_contains_squeezed (squeezed, cell_text->str);
  assert_contains_squeezed (squeezed, "No longer in the corpus");
  assert_contains_squeezed (squeezed, get_item_doi ("case_study:4.2.4"));
  assert_contains_squeezed (squeezed, get_item_doi ("case_study:3.1.2"));
  assert_contains_squeezed (squeezed, "How to cite the guide");
  assert_contains_squeezed (squeezed, guide);
  assert_contains_squeezed (squeezed, "Cite as:");
}

static void
test_pdf_margins (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PDF);
  g_autoptr(PdfDoc) doc = pdf_open (bytes);

  assert_text_within_margins (doc);
}

/* Every glyph of @text on @page lies inside @area, a link's area */
static void
assert_link_covers (PopplerPage      *page,
                    PopplerRectangle *area,
                    const char       *text)
{
  g_autofree char *page_chars = poppler_page_get_text (page);
  g_autofree PopplerRectangle *rects = NULL;
  g_autoptr(GArray) glyphs = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) squeezed = g_string_new (NULL);
  g_autofree char *needle = squeeze (text);
  guint n_rects = 0;
  guint index = 0;
  double height;
  const char *found;

  g_assert_true (poppler_page_get_text_layout (page, &rects, &n_rects));
  poppler_page_get_size (page, NULL, &height);

  /* The page's text without white space, each character with its box */
  for (const char *p = page_chars; *p; p = g_utf8_next_char (p), index++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      for (guint b = 0; b < (guint) g_unichar_to_utf8 (c, NULL); b++)
        g_array_append_val (glyphs, index);
      g_string_append_unichar (squeezed, c);
    }

  found = strstr (squeezed->str, needle);
  g_assert_nonnull (found);

  for (gsize i = found - squeezed->str; i < (found - squeezed->str) + strlen (needle); i++)
    {
      const PopplerRectangle *glyph = &rects[g_array_index (glyphs, guint, i)];
      double x = (glyph->x1 + glyph->x2) / 2;
      /* Link areas count from the foot of the page, text from the top */
      double y = height - (glyph->y1 + glyph->y2) / 2;

      g_assert_cmpuint (g_array_index (glyphs, guint, i), <, n_rects);
      if (x < area->x1 || x > area->x2 || y < area->y1 || y > area->y2)
        g_error ("the link (%.1f, %.1f)–(%.1f, %.1f) does not cover “%s” at (%.1f, %.1f)",
                 area->x1, area->y1, area->x2, area->y2, text, x, y);
    }
}

static void
test_pdf_links (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PDF);
  g_autoptr(PdfDoc) doc = pdf_open (bytes);
  g_autofree char *doi_link = g_strconcat ("https://doi.org/", get_item_doi ("case_study:4.2.4"), NULL);
  gboolean found_doi = FALSE;
  guint n_contents_links = 0;

  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autoptr(PdfPage) page = poppler_document_get_page (doc, i);
      GList *mapping = poppler_page_get_link_mapping (page);

      for (GList *l = mapping; l != NULL; l = l->next)
        {
          PopplerLinkMapping *link = l->data;

          if (link->action->type == POPPLER_ACTION_URI)
            {
              const char *uri = link->action->uri.uri;

              g_assert_true (g_str_has_prefix (uri, "https://") || g_str_has_prefix (uri, "http://"));
              if (g_str_equal (uri, doi_link))
                {
                  assert_link_covers (page, &link->area, get_item_doi ("case_study:4.2.4"));
                  found_doi = TRUE;
                }
            }
          else if (link->action->type == POPPLER_ACTION_GOTO_DEST && i == 1)
            {
              PopplerDest *dest = link->action->goto_dest.dest;
              g_autoptr(PdfDest) target = NULL;

              g_assert_cmpint (dest->type, ==, POPPLER_DEST_NAMED);
              target = poppler_document_find_dest (doc, dest->named_dest);
              g_assert_nonnull (target);
              g_assert_cmpint (target->page_num, >, 2);
              n_contents_links++;
            }
        }
      poppler_page_free_link_mapping (mapping);
    }

  g_assert_true (found_doi);
  /* One per item and one for the references */
  g_assert_cmpuint (n_contents_links, ==, cb_pack_get_n_entries (pack) + 1);
}

/* Each item starts on a new page, where the contents and the bookmarks
 * send the reader */
static void
test_pdf_destinations (void)
{
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PDF);
  g_autoptr(PdfDoc) doc = pdf_open (bytes);
  guint n_entries = cb_pack_get_n_entries (pack);
  int previous = 2;

  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *name = g_strdup_printf ("item-%u", i + 1);
      g_autofree char *marker = g_strdup_printf ("Item %u of %u", i + 1, n_entries);
      g_autofree char *heading = dup_expected_heading (pack, i);
      g_autofree char *squeezed_heading = squeeze (heading);
      g_autoptr(PdfDest) dest = poppler_document_find_dest (doc, name);
      g_autofree char *text = NULL;
      g_autofree char *squeezed = NULL;

      g_assert_nonnull (dest);
      g_assert_cmpint (dest->page_num, >, previous);
      previous = dest->page_num;

      /* page_num counts from 1 */
      text = page_text (doc, dest->page_num - 1);
      squeezed = squeeze (text);
      g_assert_nonnull (strstr (text, marker));
      g_assert_nonnull (strstr (squeezed, squeezed_heading));
    }
}

static char *
make_long_note (guint n_paragraphs,
                guint n_words)
{
  GString *note = g_string_new (NULL);

  for (guint p = 0; p < n_paragraphs; p++)
    {
      if (p > 0)
        g_string_append (note, "\n\n");
      for (guint w = 0; w < n_words; w++)
        g_string_append_printf (note, "%sw%04u", w ? " " : "", p * n_words + w);
    }

  return g_string_free (note, FALSE);
}

static void
test_pdf_long_note (void)
{
  g_autoptr(CbPack) pack = cb_pack_new ("Long notes");
  g_autofree char *note = make_long_note (30, 200);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PdfDoc) doc = NULL;
  g_autofree char *text = NULL;
  const char *cursor;

  add_entry (pack, "glossary:racism", note);
  bytes = export (pack, CB_EXPORT_PDF);
  doc = pdf_open (bytes);

  /* Title, contents, at least three pages of note, references */
  g_assert_cmpint (poppler_document_get_n_pages (doc), >=, 6);
  assert_text_within_margins (doc);

  /* Every word of it, in order: no line lost at a page break */
  text = document_text (doc);
  cursor = text;
  for (guint w = 0; w < 30 * 200; w++)
    {
      char word[8];

      g_snprintf (word, sizeof word, "w%04u", w);
      cursor = strstr (cursor, word);
      if (cursor == NULL)
        g_error ("word %s of the long note is missing from the PDF", word);
      cursor += strlen (word);
    }
}

/* An item of its own corpus with a table of @n_rows rows, a header row
 * first */
static CbCorpus *
make_table_corpus (guint n_rows)
{
  CbCorpus *table_corpus = cb_corpus_new ();
  CbItem *item = cb_item_new ("inset_box:9.1.1", CB_ITEM_KIND_INSET_BOX);
  CbPart *part = cb_part_new ("body");
  CbBlock *table = cb_block_new (CB_BLOCK_TABLE);
  g_autoptr(GError) error = NULL;

  for (guint r = 0; r <= n_rows; r++)
    {
      CbBlock *row = cb_block_new (CB_BLOCK_ROW);

      row->header = r == 0;
      for (guint c = 0; c < 3; c++)
        {
          CbBlock *cell = cb_block_new (CB_BLOCK_CELL);
          CbBlock *paragraph = cb_block_new (CB_BLOCK_PARAGRAPH);
          g_autofree char *text = r == 0 ? g_strdup_printf ("Heading %u", c + 1)
                                         : g_strdup_printf ("r%03uc%u and some words to wrap %s", r, c,
                                                            c == 2 ? "over two or three lines of this column" : "");

          cb_block_add_span (paragraph, cb_span_new (text, CB_SPAN_PLAIN, NULL));
          cb_block_add_child (cell, paragraph);
          cb_block_add_child (row, cell);
        }
      cb_block_add_child (table, row);
    }

  g_ptr_array_add (part->blocks, table);
  cb_item_set_number (item, "9.1.1");
  cb_item_set_title (item, "A table longer than a page");
  cb_item_add_part (item, part);
  g_assert_true (cb_corpus_add_item (table_corpus, g_steal_pointer (&item), &error));
  g_assert_no_error (error);

  return table_corpus;
}

static void
test_pdf_long_table (void)
{
  g_autoptr(CbCorpus) table_corpus = make_table_corpus (80);
  g_autoptr(CbPack) pack = cb_pack_new ("Long table");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PdfDoc) doc = NULL;
  g_autofree char *text = NULL;
  const char *cursor;
  guint pages_with_header = 0;

  cb_pack_add_entry (pack, cb_pack_entry_new ("inset_box:9.1.1", "Inset box 9.1.1", "A table longer than a page", ""));
  bytes = cb_export_to_bytes (pack, table_corpus, taxonomy, CB_EXPORT_PDF, NULL, &error);
  g_assert_no_error (error);
  doc = pdf_open (bytes);
  assert_text_within_margins (doc);

  /* Every cell, row by row */
  text = document_text (doc);
  cursor = text;
  for (guint r = 1; r <= 80; r++)
    for (guint c = 0; c < 3; c++)
      {
        char cell[16];

        g_snprintf (cell, sizeof cell, "r%03uc%u", r, c);
        cursor = strstr (cursor, cell);
        if (cursor == NULL)
          g_error ("cell %s is missing from the PDF, or out of order", cell);
      }

  /* The header row again on every page the table continues on */
  for (int i = 2; i < poppler_document_get_n_pages (doc); i++)
    {
      g_autofree char *page = page_text (doc, i);

      if (strstr (page, "r0") != NULL)
        {
          g_assert_nonnull (strstr (page, "Heading 3"));
          pages_with_header++;
        }
    }
  g_assert_cmpuint (pages_with_header, >=, 2);
}

static void
test_pdf_empty (void)
{
  g_autoptr(CbPack) pack = cb_pack_new ("Nothing yet");
  g_autoptr(GBytes) bytes = export (pack, CB_EXPORT_PDF);
  g_autoptr(PdfDoc) doc = pdf_open (bytes);
  g_autofree char *first = page_text (doc, 0);

  g_assert_cmpint (poppler_document_get_n_pages (doc), >=, 1);
  g_assert_nonnull (strstr (first, "Nothing yet"));
  assert_text_within_margins (doc);
}

static void
test_cancelled (gconstpointer data)
{
  CbExportFormat format = GPOINTER_TO_UINT (data);
  g_autoptr(CbPack) pack = make_pack ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_cancellable_cancel (cancellable);
  bytes = cb_export_to_bytes (pack, corpus, taxonomy, format, cancellable, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_CANCELLED);
  g_assert_null (bytes);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = g_build_filename (g_getenv ("CASEBOOK_DATA_DIR"), "corpus", "guide.xml", NULL);
  corpus = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/export/html/safe", test_html_safe);
  g_test_add_func ("/export/html/header", test_html_header);
  g_test_add_func ("/export/html/contents", test_html_contents);
  g_test_add_func ("/export/html/items", test_html_items);
  g_test_add_func ("/export/html/table", test_html_table);
  g_test_add_func ("/export/html/notes", test_html_notes);
  g_test_add_func ("/export/html/references", test_html_references);
  g_test_add_func ("/export/html/item-refs", test_html_item_refs);
  g_test_add_func ("/export/html/empty", test_html_empty);
  g_test_add_data_func ("/export/html/cancelled", GUINT_TO_POINTER (CB_EXPORT_HTML), test_cancelled);
  g_test_add_func ("/export/pdf/structure", test_pdf_structure);
  g_test_add_func ("/export/pdf/text", test_pdf_text);
  g_test_add_func ("/export/pdf/margins", test_pdf_margins);
  g_test_add_func ("/export/pdf/links", test_pdf_links);
  g_test_add_func ("/export/pdf/destinations", test_pdf_destinations);
  g_test_add_func ("/export/pdf/long-note", test_pdf_long_note);
  g_test_add_func ("/export/pdf/long-table", test_pdf_long_table);
  g_test_add_func ("/export/pdf/empty", test_pdf_empty);
  g_test_add_data_func ("/export/pdf/cancelled", GUINT_TO_POINTER (CB_EXPORT_PDF), test_cancelled);

  status = g_test_run ();

  g_clear_object (&corpus);
  g_clear_object (&taxonomy);

  return status;
}
