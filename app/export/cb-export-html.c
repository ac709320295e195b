/* cb-export-html.c: an evidence pack as one self-contained HTML5 handout
 *
 * The document is built as a libxml2 tree, so every string from the corpus
 * or from the user becomes a text node or an attribute value and is escaped
 * by the serialiser; nothing is ever pasted into markup. No scripts, no
 * external resources: one file that opens anywhere and prints on A4.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "cb-error.h"
#include "cb-export-private.h"

static const char stylesheet[] =
  "\n"
  ":root {\n"
  "  color-scheme: light dark;\n"
  "  --text: #1f2328;\n"
  "  --muted: #5c6570;\n"
  "  --background: #ffffff;\n"
  "  --accent: #1a5fb4;\n"
  "  --rule: #d5dae0;\n"
  "  --surface: #f3f5f8;\n"
  "  --note-background: #fff6dc;\n"
  "  --note-border: #d99a00;\n"
  "  --status-background: #fbe3e4;\n"
  "  --status-text: #a51d2d;\n"
  "}\n"
  "@media (prefers-color-scheme: dark) {\n"
  "  :root {\n"
  "    --text: #e8e8e8;\n"
  "    --muted: #a4acb5;\n"
  "    --background: #1d1f21;\n"
  "    --accent: #8cb8f2;\n"
  "    --rule: #3e4247;\n"
  "    --surface: #282b2e;\n"
  "    --note-background: #3a321c;\n"
  "    --note-border: #e0a800;\n"
  "    --status-background: #4a2326;\n"
  "    --status-text: #ffb8bd;\n"
  "  }\n"
  "}\n"
  "*, *::before, *::after { box-sizing: border-box; }\n"
  "html { background: var(--background); color: var(--text); }\n"
  "body {\n"
  "  margin: 0 auto;\n"
  "  max-width: 48rem;\n"
  "  padding: 2.5rem 1.25rem 4rem;\n"
  "  font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, Cantarell, \"Noto Sans\",\n"
  "               \"DejaVu Sans\", \"Helvetica Neue\", Arial, sans-serif;\n"
  "  font-size: 1.0625rem;\n"
  "  line-height: 1.6;\n"
  "  overflow-wrap: break-word;\n"
  "}\n"
  "h1, h2, h3, h4 { line-height: 1.25; margin: 1.75em 0 0.5em; }\n"
  "h1 { font-size: 2.1rem; margin-top: 0; letter-spacing: -0.01em; }\n"
  "h2 { font-size: 1.45rem; }\n"
  "h3 { font-size: 1.12rem; }\n"
  "h4 { font-size: 1rem; }\n"
  "p, ul, ol, dl, table { margin: 0 0 1em; }\n"
  "ul, ol { padding-inline-start: 1.6em; }\n"
  "li { margin-bottom: 0.35em; }\n"
  "a { color: var(--accent); text-underline-offset: 0.15em; }\n"
  ".pack-header { border-bottom: 2px solid var(--rule); padding-bottom: 1.25rem; margin-bottom: 2rem; }\n"
  ".description { font-size: 1.2rem; margin-bottom: 1.25rem; }\n"
  ".facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1.25rem;\n"
  "         font-size: 0.95rem; margin: 0; }\n"
  ".facts dt { color: var(--muted); }\n"
  ".facts dd { margin: 0; }\n"
  ".toc { background: var(--surface); border-radius: 8px; padding: 1rem 1.5rem 0.5rem; }\n"
  ".toc h2 { margin-top: 0; font-size: 1.1rem; }\n"
  ".toc a { text-decoration: none; }\n"
  ".toc a:hover, .toc a:focus { text-decoration: underline; }\n"
  ".item { border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: 0.5rem; }\n"
  ".item > h2 { margin-top: 1rem; }\n"
  ".status { display: inline-block; background: var(--status-background); color: var(--status-text);\n"
  "          border-radius: 4px; padding: 0.1em 0.6em; font-size: 0.9rem; font-weight: 600; }\n"
  ".meta { color: var(--muted); font-size: 0.92rem; margin-bottom: 0.25em; }\n"
  ".meta-facts { color: var(--muted); font-size: 0.92rem; display: flex; flex-wrap: wrap;\n"
  "              gap: 0 1.25rem; margin: 0 0 1rem; }\n"
  ".meta-facts div { display: flex; gap: 0.35em; }\n"
  ".meta-facts dt { font-weight: 600; }\n"
  ".meta-facts dt::after { content: \":\"; }\n"
  ".meta-facts dd { margin: 0; }\n"
  ".note { background: var(--note-background); border-inline-start: 4px solid var(--note-border);\n"
  "        border-radius: 6px; padding: 0.75rem 1rem; margin: 1.25rem 0 1.5rem; }\n"
  ".note-label { font-size: 0.78rem; font-weight: 700; letter-spacing: 0.06em;\n"
  "              text-transform: uppercase; margin: 0 0 0.25rem; }\n"
  ".note-text { white-space: pre-wrap; unicode-bidi: plaintext; margin: 0; }\n"
  ".block-heading { font-size: 1rem; }\n"
  ".item-ref { font-style: italic; }\n"
  ".table-wrap { overflow-x: auto; margin: 0 0 1.25em; }\n"
  "table { border-collapse: collapse; width: 100%; font-size: 0.92rem; line-height: 1.45; margin: 0; }\n"
  "th, td { border: 1px solid var(--rule); padding: 0.5rem 0.65rem; vertical-align: top; text-align: start; }\n"
  "th { background: var(--surface); }\n"
  "th > :last-child, td > :last-child { margin-bottom: 0; }\n"
  ".item-references ol, .references { font-size: 0.92rem; }\n"
  ".references li, .item-references li { margin-bottom: 0.6em; }\n"
  ".cite { color: var(--muted); font-size: 0.92rem; }\n"
  ".cite strong { color: var(--text); }\n"
  ".empty { color: var(--muted); font-style: italic; }\n"
  ".guide-citation { font-size: 0.95rem; }\n"
  "@media print {\n"
  "  @page { size: A4; margin: 2cm; }\n"
  "  :root {\n"
  "    color-scheme: light;\n"
  "    --text: #000000; --muted: #444444; --background: #ffffff; --accent: #000000;\n"
  "    --rule: #999999; --surface: #f2f2f2; --note-background: #f6f6f6; --note-border: #777777;\n"
  "    --status-background: #ffffff; --status-text: #000000;\n"
  "  }\n"
  "  html, body { background: #ffffff; color: #000000; }\n"
  "  body { max-width: none; padding: 0; font-size: 11pt; line-height: 1.45; }\n"
  "  .item { break-before: page; page-break-before: always; border-top: none; margin-top: 0; padding-top: 0; }\n"
  "  .item > h2 { margin-top: 0; }\n"
  "  .all-references { break-before: page; page-break-before: always; }\n"
  "  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }\n"
  "  tr, li, .note, .cite { break-inside: avoid; page-break-inside: avoid; }\n"
  "  .status { border: 1px solid #000000; }\n"
  "  .toc { background: none; padding: 0; }\n"
  "  a { color: #000000; }\n"
  "  a[href^=\"http\"]:not(.shown)::after { content: \" (\" attr(href) \")\"; font-size: 0.85em; overflow-wrap: anywhere; }\n"
  "  .toc a::after { content: none; }\n"
  "}\n";

static xmlNodePtr
add_element (xmlNodePtr  parent,
             const char *name,
             const char *class_name)
{
  xmlNodePtr node = xmlNewChild (parent, NULL, BAD_CAST name, NULL);

  if (class_name != NULL)
    xmlSetProp (node, BAD_CAST "class", BAD_CAST class_name);

  return node;
}

/* A text node: the serialiser escapes it, whatever it holds. */
static void
add_text (xmlNodePtr  parent,
          const char *text)
{
  xmlAddChild (parent, xmlNewDocText (parent->doc, BAD_CAST text));
}

static xmlNodePtr
add_text_element (xmlNodePtr  parent,
                  const char *name,
                  const char *class_name,
                  const char *text)
{
  xmlNodePtr node = add_element (parent, name, class_name);

  add_text (node, text);

  return node;
}

static xmlNodePtr
add_link (xmlNodePtr  parent,
          const char *href,
          const char *class_name)
{
  xmlNodePtr link = add_element (parent, "a", class_name);

  xmlSetProp (link, BAD_CAST "href", BAD_CAST href);

  return link;
}

static void
add_spans (xmlNodePtr  parent,
           GPtrArray  *spans)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);
      g_autofree char *href = _cb_export_dup_safe_href (span->href);
      xmlNodePtr node = parent;

      /* "shown": the text already says where it goes, print needs no more */
      if (href != NULL)
        node = add_link (node, href,
                         strstr (href, span->text) || strstr (span->text, href) ? "shown" : NULL);
      if (span->flags & CB_SPAN_STRONG)
        node = add_element (node, "strong", NULL);
      if (span->flags & CB_SPAN_EMPHASIS)
        node = add_element (node, "em", NULL);
      add_text (node, span->text);
    }
}

static void
add_reference (xmlNodePtr   list,
               CbReference *reference)
{
  g_autoptr(GPtrArray) spans = _cb_export_dup_reference_spans (reference);
  xmlNodePtr li = add_element (list, "li", NULL);

  add_spans (li, spans);
}

static char *
dup_anchor (guint position)
{
  return g_strdup_printf ("item-%u", position + 1);
}

static void add_blocks (CbExportContext *ctx,
                        xmlNodePtr       parent,
                        GPtrArray       *blocks);

/* The one function that turns structured text into HTML; lists, tables and
 * cells recurse into it. */
static void
add_block (CbExportContext *ctx,
           xmlNodePtr       parent,
           CbBlock         *block)
{
  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      add_spans (add_element (parent, "p", NULL), block->spans);
      break;

    case CB_BLOCK_HEADING:
      {
        xmlNodePtr heading = add_element (parent, "h4", "block-heading");

        if (block->number != NULL)
          {
            add_text (heading, block->number);
            add_text (heading, " ");
          }
        add_spans (heading, block->spans);
      }
      break;

    case CB_BLOCK_LIST:
      add_blocks (ctx, add_element (parent, block->ordered ? "ol" : "ul", NULL), block->children);
      break;

    case CB_BLOCK_LIST_ITEM:
      {
        gboolean in_list = xmlStrEqual (parent->name, BAD_CAST "ol") || xmlStrEqual (parent->name, BAD_CAST "ul");
        gboolean numbered = xmlStrEqual (parent->name, BAD_CAST "ol");
        xmlNodePtr li = add_element (parent, in_list ? "li" : "p", NULL);

        if (block->number != NULL)
          {
            /* The guide's own numbering, when an ordered list can say it */
            if (numbered && block->number[0] && strspn (block->number, "0123456789") == strlen (block->number))
              xmlSetProp (li, BAD_CAST "value", BAD_CAST block->number);
            else
              {
                add_text (li, block->number);
                add_text (li, ". ");
              }
          }
        if (block->lead != NULL && block->lead->len > 0)
          {
            add_spans (add_element (li, "strong", NULL), block->lead);
            add_text (li, " ");
          }
        add_spans (li, block->spans);
      }
      break;

    case CB_BLOCK_TABLE:
      {
        xmlNodePtr table = add_element (add_element (parent, "div", "table-wrap"), "table", NULL);
        xmlNodePtr head = NULL;
        xmlNodePtr body = NULL;

        for (guint i = 0; i < block->children->len; i++)
          {
            CbBlock *row = g_ptr_array_index (block->children, i);

            if (row->header && body == NULL)
              {
                if (head == NULL)
                  head = add_element (table, "thead", NULL);
                add_block (ctx, head, row);
              }
            else
              {
                if (body == NULL)
                  body = add_element (table, "tbody", NULL);
                add_block (ctx, body, row);
              }
          }
      }
      break;

    case CB_BLOCK_ROW:
      {
        xmlNodePtr tr = add_element (parent, "tr", NULL);

        for (guint i = 0; i < block->children->len; i++)
          {
            CbBlock *cell = g_ptr_array_index (block->children, i);
            xmlNodePtr td = add_element (tr, block->header ? "th" : "td", NULL);

            if (block->header)
              xmlSetProp (td, BAD_CAST "scope", BAD_CAST "col");
            add_blocks (ctx, td, cell->children);
          }
      }
      break;

    case CB_BLOCK_CELL:
      add_blocks (ctx, add_element (parent, "div", NULL), block->children);
      break;

    case CB_BLOCK_ITEM_REF:
      {
        CbItem *item = block->ref ? cb_corpus_lookup_item (ctx->corpus, block->ref) : NULL;
        xmlNodePtr p = add_element (parent, "p", "item-ref");
        g_autofree char *text = NULL;
        guint position;

        if (item != NULL)
          {
            g_autofree char *label = cb_item_dup_label (item);

            /* Translators: a reference to another item, "Case study 3.2.2: Title" */
            text = g_strdup_printf (_("%s: %s"), label, cb_item_get_title (item));
          }
        else
          {
            text = g_strdup (block->ref ? block->ref : "");
          }

        add_text (p, "→ ");
        if (block->ref && cb_pack_lookup_entry (ctx->pack, block->ref, &position))
          {
            g_autofree char *anchor = dup_anchor (position);
            g_autofree char *href = g_strconcat ("#", anchor, NULL);

            add_text (add_link (p, href, NULL), text);
          }
        else
          {
            add_text (p, text);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
add_blocks (CbExportContext *ctx,
            xmlNodePtr       parent,
            GPtrArray       *blocks)
{
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    add_block (ctx, parent, g_ptr_array_index (blocks, i));
}

static void
add_fact (xmlNodePtr  list,
          const char *term,
          const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  add_text_element (list, "dt", NULL, term);
  add_text_element (list, "dd", NULL, value);
}

static void
add_header (CbExportContext *ctx,
            xmlNodePtr       body)
{
  CbPack *pack = ctx->pack;
  guint n_entries = cb_pack_get_n_entries (pack);
  xmlNodePtr header = add_element (body, "header", "pack-header");
  xmlNodePtr facts;
  g_autofree char *count = g_strdup_printf (ngettext ("%u item", "%u items", n_entries), n_entries);
  const char *description = cb_pack_get_description (pack);

  add_text_element (header, "h1", NULL, cb_pack_get_name (pack));
  if (description != NULL && *description)
    add_text_element (header, "p", "description", description);

  facts = add_element (header, "dl", "facts");
  add_fact (facts, _("Audience"), cb_pack_get_audience (pack));
  add_fact (facts, _("Date"), cb_pack_get_date (pack));
  add_fact (facts, _("Items"), count);
  add_fact (facts, _("Exported"), ctx->generated);
}

static void
add_contents (CbExportContext *ctx,
              xmlNodePtr       body)
{
  guint n_entries = cb_pack_get_n_entries (ctx->pack);
  xmlNodePtr nav = add_element (body, "nav", "toc");
  xmlNodePtr list;

  xmlSetProp (nav, BAD_CAST "aria-labelledby", BAD_CAST "contents");
  xmlSetProp (add_text_element (nav, "h2", NULL, _("Contents")), BAD_CAST "id", BAD_CAST "contents");

  if (n_entries == 0)
    {
      add_text_element (nav, "p", "empty", _("This pack has no items yet."));
      return;
    }

  list = add_element (nav, "ol", NULL);
  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *heading = _cb_export_dup_heading (ctx, i);
      g_autofree char *anchor = dup_anchor (i);
      g_autofree char *href = g_strconcat ("#", anchor, NULL);
      const char *status = _cb_export_get_status (ctx, i);
      xmlNodePtr li = add_element (list, "li", NULL);

      add_text (add_link (li, href, NULL), heading);
      if (status != NULL)
        {
          add_text (li, " — ");
          add_text_element (li, "em", NULL, status);
        }
    }
}

static void
add_item (CbExportContext *ctx,
          xmlNodePtr       body,
          guint            position)
{
  CbPackEntry *entry = cb_pack_get_entry (ctx->pack, position);
  CbItem *item = g_ptr_array_index (ctx->items, position);
  g_autofree char *anchor = dup_anchor (position);
  g_autofree char *heading = _cb_export_dup_heading (ctx, position);
  g_autofree char *location = _cb_export_dup_location (ctx, position);
  g_autofree char *countries = _cb_export_dup_countries (ctx, position);
  g_autofree char *interventions = _cb_export_dup_interventions (ctx, position);
  g_autofree char *citation = _cb_export_dup_citation (ctx, position);
  g_autoptr(GPtrArray) references = _cb_export_dup_references (ctx, position);
  const char *status = _cb_export_get_status (ctx, position);
  const char *design = _cb_export_get_design (ctx, position);
  xmlNodePtr article = add_element (body, "article", "item");
  xmlNodePtr facts;

  xmlSetProp (article, BAD_CAST "id", BAD_CAST anchor);
  add_text_element (article, "h2", NULL, heading);

  if (status != NULL)
    add_text_element (add_element (article, "p", NULL), "span", "status", status);

  if (location != NULL && *location)
    add_text_element (article, "p", "meta", location);

  if (*countries || *interventions || *design)
    {
      facts = add_element (article, "dl", "meta-facts");
      if (*countries)
        add_fact (add_element (facts, "div", NULL), _("Countries"), countries);
      if (*interventions)
        add_fact (add_element (facts, "div", NULL), _("Intervention types"), interventions);
      if (*design)
        add_fact (add_element (facts, "div", NULL), _("Design"), design);
    }

  if (entry->note != NULL && *entry->note)
    {
      xmlNodePtr note = add_element (article, "aside", "note");

      xmlSetProp (note, BAD_CAST "aria-label", BAD_CAST _("Note"));
      add_text_element (note, "p", "note-label", _("Note"));
      add_text_element (note, "p", "note-text", entry->note);
    }

  if (item != NULL)
    {
      GPtrArray *parts = cb_item_get_parts (item);

      for (guint i = 0; i < parts->len; i++)
        {
          CbPart *part = g_ptr_array_index (parts, i);
          xmlNodePtr section = add_element (article, "section", "part");

          if (!g_str_equal (part->name, "body"))
            add_text_element (section, "h3", NULL, cb_part_name_label (part->name));
          add_blocks (ctx, section, part->blocks);
        }
    }

  if (references->len > 0 || (item && cb_item_get_reference_note (item)))
    {
      xmlNodePtr section = add_element (article, "section", "item-references");

      add_text_element (section, "h3", NULL, _("References"));
      if (item && cb_item_get_reference_note (item))
        add_text_element (section, "p", "empty", cb_item_get_reference_note (item));
      if (references->len > 0)
        {
          xmlNodePtr list = add_element (section, "ol", NULL);

          for (guint i = 0; i < references->len; i++)
            add_reference (list, g_ptr_array_index (references, i));
        }
    }

  if (citation != NULL)
    {
      xmlNodePtr cite = add_element (article, "p", "cite");

      add_text_element (cite, "strong", NULL, _("Cite as:"));
      add_text (cite, " ");
      add_text (cite, citation);
    }
}

static void
add_back_matter (CbExportContext *ctx,
                 xmlNodePtr       body)
{
  xmlNodePtr section = add_element (body, "section", "all-references");
  xmlNodePtr cite;

  xmlSetProp (section, BAD_CAST "id", BAD_CAST "references");
  add_text_element (section, "h2", NULL, _("References"));

  if (ctx->references->len == 0)
    {
      add_text_element (section, "p", "empty", _("The items in this pack cite no references."));
    }
  else
    {
      xmlNodePtr list = add_element (section, "ol", "references");

      for (guint i = 0; i < ctx->references->len; i++)
        add_reference (list, g_ptr_array_index (ctx->references, i));
    }

  cite = add_element (body, "section", "guide-citation");
  xmlSetProp (cite, BAD_CAST "id", BAD_CAST "cite-guide");
  add_text_element (cite, "h2", NULL, _("How to cite the guide"));
  add_text_element (cite, "p", NULL, ctx->guide_citation);
}

static void
add_head (CbExportContext *ctx,
          xmlNodePtr       html)
{
  xmlNodePtr head = add_element (html, "head", NULL);
  xmlNodePtr meta;
  xmlNodePtr style;

  meta = add_element (head, "meta", NULL);
  xmlSetProp (meta, BAD_CAST "charset", BAD_CAST "utf-8");

  meta = add_element (head, "meta", NULL);
  xmlSetProp (meta, BAD_CAST "name", BAD_CAST "viewport");
  xmlSetProp (meta, BAD_CAST "content", BAD_CAST "width=device-width, initial-scale=1");

  meta = add_element (head, "meta", NULL);
  xmlSetProp (meta, BAD_CAST "name", BAD_CAST "generator");
  xmlSetProp (meta, BAD_CAST "content", BAD_CAST PACKAGE_NAME " " PACKAGE_VERSION);

  add_text_element (head, "title", NULL, cb_pack_get_name (ctx->pack));

  /* The serialiser writes <style> content raw: only our constant goes in. */
  style = add_element (head, "style", NULL);
  add_text (style, stylesheet);
}

static GBytes *
serialise (xmlDocPtr  doc,
           GError   **error)
{
  xmlBufferPtr buffer = xmlBufferCreate ();
  xmlOutputBufferPtr output;
  GBytes *bytes = NULL;

  /* No encoder: the UTF-8 text goes out as it is, not as entities. */
  output = xmlOutputBufferCreateBuffer (buffer, NULL);
  if (output != NULL)
    {
      htmlDocContentDumpFormatOutput (output, doc, "UTF-8", 1);
      if (xmlOutputBufferClose (output) >= 0)
        bytes = g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));
    }
  xmlBufferFree (buffer);

  if (bytes == NULL)
    g_set_error_literal (error, CB_ERROR, CB_ERROR_IO, _("Could not write the HTML document"));

  return bytes;
}

GBytes *
_cb_export_html (CbExportContext *ctx,
                 GError         **error)
{
  xmlDocPtr doc;
  xmlNodePtr html;
  xmlNodePtr body;
  xmlNodePtr main_node;
  GBytes *bytes;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = htmlNewDocNoDtD (NULL, NULL);
  xmlCreateIntSubset (doc, BAD_CAST "html", NULL, NULL);
  html = xmlNewDocNode (doc, NULL, BAD_CAST "html", NULL);
  xmlDocSetRootElement (doc, html);
  xmlSetProp (html, BAD_CAST "lang", BAD_CAST "en");

  add_head (ctx, html);
  body = add_element (html, "body", NULL);
  add_header (ctx, body);
  add_contents (ctx, body);

  main_node = add_element (body, "main", NULL);
  for (guint i = 0; i < cb_pack_get_n_entries (ctx->pack); i++)
    {
      if (_cb_export_check_cancelled (ctx, error))
        {
          xmlFreeDoc (doc);
          return NULL;
        }

      add_item (ctx, main_node, i);
    }

  add_back_matter (ctx, body);

  bytes = serialise (doc, error);
  xmlFreeDoc (doc);

  return bytes;
}
