/* cb-export-markdown.c: the pack as a CommonMark handout
 *
 * Every text that comes from the corpus or the user is escaped so that it
 * reads back as the same text and never as markup:
 *
 *  - \ ` * _ [ ] # | ~ ^ $ > & are backslash-escaped wherever they appear
 *    (emphasis, code, links, headings, tables, strike-through, maths,
 *    block quotes and entity references);
 *  - < is written as &lt;, so that nothing a note says (<script>) is ever
 *    raw HTML;
 *  - at the start of a line, - + = and the . or ) after digits are escaped
 *    too (lists, thematic breaks, setext headings), and leading white space
 *    is dropped (indented code);
 *  - links are written only for http, https and doi targets, their
 *    destinations percent-encoded.
 *
 * The only raw HTML is our own: an anchor in each item heading, so that the
 * contents list can link to it in any CommonMark renderer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-error.h"
#include "cb-export-private.h"

static gboolean
is_markdown_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Appends @text (one line: newlines become spaces) escaped. @line_start
 * says that the text begins a line, where more characters matter. */
static void
append_escaped (GString    *out,
                const char *text,
                gboolean    line_start)
{
  const char *p = text;

  if (text == NULL)
    return;

  if (line_start)
    {
      const char *digits;

      while (is_markdown_space (*p))
        p++;

      if (*p == '-' || *p == '+' || *p == '=')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p++);
        }
      else if (g_ascii_isdigit (*p))
        {
          for (digits = p; g_ascii_isdigit (*p); p++)
            ;
          g_string_append_len (out, digits, p - digits);
          if (*p == '.' || *p == ')')
            {
              g_string_append_c (out, '\\');
              g_string_append_c (out, *p++);
            }
        }
    }

  for (; *p; p++)
    {
      switch (*p)
        {
        case '\\': case '`': case '*': case '_': case '[': case ']':
        case '#': case '|': case '~': case '^': case '$': case '>': case '&':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
          break;

        case '<':
          g_string_append (out, "&lt;");
          break;

        case '\r':
        case '\n':
          g_string_append_c (out, ' ');
          break;

        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

/* The link target for @href, or %NULL when it is not a web or DOI link */
static char *
link_target (const char *href)
{
  if (href == NULL)
    return NULL;

  if (g_ascii_strncasecmp (href, "https://", 8) == 0 || g_ascii_strncasecmp (href, "http://", 7) == 0)
    return g_strdup (href);

  if (g_ascii_strncasecmp (href, "doi:", 4) == 0)
    {
      const char *doi = href + 4;

      while (*doi == ' ')
        doi++;
      if (*doi != '\0')
        return g_strconcat ("https://doi.org/", doi, NULL);
    }

  return NULL;
}

/* A link destination with everything that could end or confuse it
 * (spaces, parentheses, angle brackets, backslashes, non-ASCII)
 * percent-encoded */
static void
append_destination (GString    *out,
                    const char *url)
{
  static const char safe[] = "-._~:/?#[]@!$&'*+,;=%";

  for (const guchar *p = (const guchar *) url; *p; p++)
    {
      if (g_ascii_isalnum (*p) || (*p < 0x80 && strchr (safe, *p) != NULL))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
}

static void
append_link (GString    *out,
             const char *text,
             const char *url)
{
  g_string_append_c (out, '[');
  append_escaped (out, text, FALSE);
  g_string_append (out, "](");
  append_destination (out, url);
  g_string_append_c (out, ')');
}

/* Emphasis markers only work hugging their text: white space at either
 * end of a span goes outside them. Returns whether anything but white
 * space was written. */
static gboolean
append_span (GString      *out,
             const CbSpan *span,
             CbSpanFlags   extra,
             gboolean      line_start)
{
  CbSpanFlags flags = span->flags | extra;
  g_autofree char *target = link_target (span->href);
  const char *start = span->text;
  const char *end = span->text + strlen (span->text);
  g_autofree char *core = NULL;
  const char *markers;

  while (start < end && is_markdown_space (*start))
    start++;
  while (end > start && is_markdown_space (end[-1]))
    end--;

  if (start > span->text && !line_start)
    g_string_append_c (out, ' ');

  if (start == end)
    return FALSE;

  core = g_strndup (start, end - start);
  markers = (flags & CB_SPAN_STRONG) && (flags & CB_SPAN_EMPHASIS) ? "***" :
            (flags & CB_SPAN_STRONG) ? "**" :
            (flags & CB_SPAN_EMPHASIS) ? "*" : "";

  if (target != NULL)
    g_string_append_c (out, '[');
  g_string_append (out, markers);
  append_escaped (out, core, line_start && target == NULL && *markers == '\0');
  g_string_append (out, markers);
  if (target != NULL)
    {
      g_string_append (out, "](");
      append_destination (out, target);
      g_string_append_c (out, ')');
    }

  if (*end != '\0')
    g_string_append_c (out, ' ');

  return TRUE;
}

static void
append_spans (GString     *out,
              GPtrArray   *spans,
              CbSpanFlags  extra,
              gboolean     line_start)
{
  /* The line start is where the first visible text goes */
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      if (append_span (out, g_ptr_array_index (spans, i), extra, line_start))
        line_start = FALSE;
    }
}

/* Spans of one line; a fresh buffer knows whether it is at the line start */
static char *
spans_to_markdown (GPtrArray   *spans,
                   CbSpanFlags  extra)
{
  GString *out = g_string_new (NULL);

  append_spans (out, spans, extra, TRUE);

  return g_string_free (out, FALSE);
}

static char *
list_item_to_markdown (const CbBlock *item)
{
  GString *out = g_string_new (NULL);

  if (item->lead != NULL && item->lead->len > 0)
    {
      append_spans (out, item->lead, CB_SPAN_STRONG, TRUE);
      if (item->spans->len > 0)
        g_string_append_c (out, ' ');
    }
  append_spans (out, item->spans, CB_SPAN_PLAIN, out->len == 0);

  return g_string_free (out, FALSE);
}

/* A table cell is one line: its blocks joined by line breaks */
static void
append_cell_text (GString       *out,
                  const CbBlock *block)
{
  g_autofree char *text = NULL;

  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
    case CB_BLOCK_HEADING:
      text = spans_to_markdown (block->spans, block->kind == CB_BLOCK_HEADING ? CB_SPAN_STRONG : 0);
      break;

    case CB_BLOCK_LIST_ITEM:
      {
        g_autofree char *item = list_item_to_markdown (block);

        text = g_strconcat ("• ", item, NULL);
      }
      break;

    case CB_BLOCK_LIST:
    case CB_BLOCK_TABLE:
    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
      for (guint i = 0; i < block->children->len; i++)
        append_cell_text (out, g_ptr_array_index (block->children, i));
      return;

    case CB_BLOCK_ITEM_REF:
    default:
      return;
    }

  if (*text == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, "<br>");
  g_string_append (out, text);
}

static void
append_table (GString       *out,
              const CbBlock *table)
{
  guint columns = 0;

  for (guint r = 0; r < table->children->len; r++)
    columns = MAX (columns, ((CbBlock *) g_ptr_array_index (table->children, r))->children->len);

  if (columns == 0)
    return;

  /* A pipe table always has a header row: the first row is it. */
  for (guint r = 0; r < table->children->len; r++)
    {
      const CbBlock *row = g_ptr_array_index (table->children, r);

      g_string_append (out, "|");
      for (guint c = 0; c < columns; c++)
        {
          g_autoptr(GString) cell = g_string_new (NULL);

          if (c < row->children->len)
            append_cell_text (cell, g_ptr_array_index (row->children, c));
          g_string_append_printf (out, " %s |", cell->str);
        }
      g_string_append_c (out, '\n');

      if (r == 0)
        {
          g_string_append (out, "|");
          for (guint c = 0; c < columns; c++)
            g_string_append (out, " --- |");
          g_string_append_c (out, '\n');
        }
    }
  g_string_append_c (out, '\n');
}

static void
append_block (CbExportContext *ctx,
              GString         *out,
              const CbBlock   *block)
{
  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      {
        g_autofree char *text = spans_to_markdown (block->spans, 0);

        if (*text != '\0')
          g_string_append_printf (out, "%s\n\n", text);
      }
      break;

    case CB_BLOCK_HEADING:
      {
        g_autofree char *text = spans_to_markdown (block->spans, 0);

        g_string_append (out, "#### ");
        if (block->number != NULL)
          {
            append_escaped (out, block->number, FALSE);
            g_string_append_c (out, ' ');
          }
        g_string_append_printf (out, "%s\n\n", text);
      }
      break;

    case CB_BLOCK_LIST:
      for (guint i = 0; i < block->children->len; i++)
        {
          const CbBlock *item = g_ptr_array_index (block->children, i);
          g_autofree char *text = list_item_to_markdown (item);
          guint64 number = i + 1;

          if (block->ordered)
            {
              if (item->number != NULL)
                g_ascii_string_to_unsigned (item->number, 10, 0, 999999999, &number, NULL);
              g_string_append_printf (out, "%" G_GUINT64_FORMAT ". %s\n", number, text);
            }
          else
            {
              g_string_append_printf (out, "- %s\n", text);
            }
        }
      g_string_append_c (out, '\n');
      break;

    case CB_BLOCK_TABLE:
      append_table (out, block);
      break;

    case CB_BLOCK_ITEM_REF:
      {
        CbItem *item = cb_corpus_lookup_item (ctx->corpus, block->ref);
        g_autofree char *label = item ? cb_item_dup_label (item) : NULL;

        g_string_append (out, "- ");
        if (item != NULL && cb_item_get_title (item) != NULL && g_strcmp0 (label, cb_item_get_title (item)) != 0)
          {
            append_escaped (out, label, TRUE);
            g_string_append (out, ": ");
            append_escaped (out, cb_item_get_title (item), FALSE);
          }
        else
          {
            append_escaped (out, label ? label : block->ref, TRUE);
          }
        g_string_append_c (out, '\n');
      }
      break;

    case CB_BLOCK_LIST_ITEM:
    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
    default:
      break;
    }
}

/* Multi-line user text (a note, the description), each line prefixed with
 * @prefix; @first_prefix (markup of ours) opens the first line. Lines keep
 * their breaks (a backslash at the end), empty lines separate paragraphs. */
static void
append_text_lines (GString    *out,
                   const char *text,
                   const char *prefix,
                   const char *first_prefix)
{
  g_autofree char *normal = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  /* CRLF and lone CR are line ends too */
  {
    GString *buf = g_string_new (NULL);

    for (const char *p = text; *p; p++)
      {
        if (*p == '\r')
          {
            g_string_append_c (buf, '\n');
            if (p[1] == '\n')
              p++;
          }
        else
          {
            g_string_append_c (buf, *p);
          }
      }
    normal = g_string_free (buf, FALSE);
  }

  lines = g_strsplit (normal, "\n", -1);
  n = g_strv_length (lines);

  for (guint i = 0; i < n; i++)
    {
      gboolean has_first = i == 0 && first_prefix != NULL;
      gboolean empty = *g_strstrip (lines[i]) == '\0' && !has_first;
      gboolean next_empty = i + 1 >= n || *g_strstrip (lines[i + 1]) == '\0';

      if (empty)
        {
          g_autofree char *bare = g_strchomp (g_strdup (prefix));

          g_string_append_printf (out, "%s\n", bare);
          continue;
        }

      g_string_append (out, prefix);
      if (has_first)
        {
          g_string_append (out, first_prefix);
          if (*lines[i] != '\0')
            g_string_append_c (out, ' ');
        }
      append_escaped (out, lines[i], !has_first);
      if (!next_empty)
        g_string_append_c (out, '\\');
      g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
}

static void
append_field (GString    *out,
              const char *label,
              const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  g_string_append_printf (out, "- **%s** ", label);
  append_escaped (out, value, FALSE);
  g_string_append_c (out, '\n');
}

static void
append_reference (GString     *out,
                  CbReference *reference)
{
  g_autofree char *text = _cb_export_format_reference (reference);
  g_autoptr(GPtrArray) spans = NULL;
  const char *doi = cb_reference_get_doi (reference);
  const char *url = cb_reference_get_url (reference);
  g_autofree char *target = NULL;
  gboolean has_url = FALSE;

  /* The guide's reference texts use its inline syntax (*Journal*,
   * <https://...>); a text made from the fields is plain. */
  if (cb_reference_get_text (reference) != NULL)
    {
      spans = cb_spans_parse_inline (text);
    }
  else
    {
      spans = cb_spans_new ();
      g_ptr_array_add (spans, cb_span_new (text, CB_SPAN_PLAIN, NULL));
    }

  for (guint i = 0; i < spans->len; i++)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);

      has_url |= url != NULL && g_strcmp0 (span->href, url) == 0;
    }

  append_spans (out, spans, CB_SPAN_PLAIN, TRUE);

  if (doi != NULL)
    {
      g_autofree char *link = g_strconcat ("https://doi.org/", doi, NULL);

      g_string_append (out, " ");
      append_link (out, link, link);
    }
  else if (url != NULL && !has_url && (target = link_target (url)) != NULL)
    {
      g_string_append (out, " ");
      append_link (out, url, target);
    }
}

static void
append_entry (CbExportContext *ctx,
              GString         *out,
              guint            position)
{
  CbItem *item = g_ptr_array_index (ctx->items, position);
  CbPackEntry *entry = cb_pack_get_entry (ctx->pack, position);
  g_autofree char *heading = _cb_export_dup_heading (ctx, position);
  const char *status = _cb_export_get_status (ctx, position);
  g_autofree char *location = _cb_export_dup_location (ctx, position);
  g_autofree char *countries = _cb_export_dup_countries (ctx, position);
  g_autofree char *interventions = _cb_export_dup_interventions (ctx, position);
  g_autofree char *citation = _cb_export_dup_citation (ctx, position);
  g_autoptr(GPtrArray) references = _cb_export_dup_references (ctx, position);
  gboolean has_meta;

  g_string_append_printf (out, "## <a id=\"item-%u\"></a>", position + 1);
  append_escaped (out, heading, FALSE);
  g_string_append (out, "\n\n");

  if (status != NULL)
    {
      g_string_append_c (out, '*');
      append_escaped (out, status, FALSE);
      g_string_append (out, "*\n\n");
    }

  has_meta = (location && *location) || *countries || *interventions || *_cb_export_get_design (ctx, position);
  append_field (out, _("Where in the guide:"), location);
  append_field (out, _("Countries:"), countries);
  append_field (out, _("Intervention types:"), interventions);
  append_field (out, _("Study design:"), _cb_export_get_design (ctx, position));
  if (has_meta)
    g_string_append_c (out, '\n');

  if (*entry->note != '\0')
    {
      g_autofree char *first = g_strdup_printf ("**%s**", _("Note:"));

      append_text_lines (out, entry->note, "> ", first);
    }

  if (item != NULL)
    {
      GPtrArray *parts = cb_item_get_parts (item);

      for (guint i = 0; i < parts->len; i++)
        {
          CbPart *part = g_ptr_array_index (parts, i);
          gboolean in_refs = FALSE;

          if (g_strcmp0 (part->name, "body") != 0)
            {
              g_string_append (out, "### ");
              append_escaped (out, cb_part_name_label (part->name), FALSE);
              g_string_append (out, "\n\n");
            }

          for (guint j = 0; j < part->blocks->len; j++)
            {
              const CbBlock *block = g_ptr_array_index (part->blocks, j);

              /* A run of item references is one list */
              if (in_refs && block->kind != CB_BLOCK_ITEM_REF)
                g_string_append_c (out, '\n');
              in_refs = block->kind == CB_BLOCK_ITEM_REF;
              append_block (ctx, out, block);
            }
          if (in_refs)
            g_string_append_c (out, '\n');
        }
    }

  if (references->len > 0)
    {
      g_string_append_printf (out, "### %s\n\n", _("References"));
      for (guint i = 0; i < references->len; i++)
        {
          g_string_append (out, "- ");
          append_reference (out, g_ptr_array_index (references, i));
          g_string_append_c (out, '\n');
        }
      g_string_append_c (out, '\n');
    }

  if (citation != NULL)
    {
      g_string_append_printf (out, "### %s\n\n", _("How to cite this item"));
      append_escaped (out, citation, TRUE);
      g_string_append (out, "\n\n");
    }
}

GBytes *
_cb_export_markdown (CbExportContext  *ctx,
                     GError          **error)
{
  CbPack *pack = ctx->pack;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_entries = cb_pack_get_n_entries (pack);
  gsize len;

  g_string_append (out, "# ");
  append_escaped (out, cb_pack_get_name (pack), FALSE);
  g_string_append (out, "\n\n");

  if (*cb_pack_get_description (pack) != '\0')
    append_text_lines (out, cb_pack_get_description (pack), "", NULL);

  append_field (out, _("Audience:"), cb_pack_get_audience (pack));
  append_field (out, _("Date:"), cb_pack_get_date (pack));
  append_field (out, _("Exported:"), ctx->generated);
  g_string_append_c (out, '\n');

  g_string_append_printf (out, "## %s\n\n", _("Contents"));
  if (n_entries == 0)
    g_string_append_printf (out, "%s\n\n", _("This pack has no items yet."));
  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *heading = _cb_export_dup_heading (ctx, i);
      g_autofree char *anchor = g_strdup_printf ("#item-%u", i + 1);

      g_string_append_printf (out, "%u. ", i + 1);
      append_link (out, heading, anchor);
      g_string_append_c (out, '\n');
    }
  if (n_entries > 0)
    g_string_append_c (out, '\n');

  for (guint i = 0; i < n_entries; i++)
    {
      if (_cb_export_check_cancelled (ctx, error))
        return NULL;
      append_entry (ctx, out, i);
    }

  g_string_append_printf (out, "## %s\n\n", _("References"));
  if (ctx->references->len == 0)
    g_string_append_printf (out, "%s\n\n", _("The items in this pack cite no references."));
  for (guint i = 0; i < ctx->references->len; i++)
    {
      g_string_append_printf (out, "%u. ", i + 1);
      append_reference (out, g_ptr_array_index (ctx->references, i));
      g_string_append_c (out, '\n');
    }
  if (ctx->references->len > 0)
    g_string_append_c (out, '\n');

  g_string_append_printf (out, "## %s\n\n", _("How to cite the guide"));
  append_escaped (out, ctx->guide_citation, TRUE);
  g_string_append_c (out, '\n');

  len = out->len;

  return g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), len);
}
