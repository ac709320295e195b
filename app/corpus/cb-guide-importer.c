/* cb-guide-importer.c: the guide text importer
 *
 * The guide is plain text, one paragraph per line, blank lines between
 * blocks. The importer works in three steps:
 *
 *  1. The contents list gives every heading in order: front matter,
 *     chapters, sections, back matter. Each heading is found in the body,
 *     which cuts the text into regions. A heading that cannot be found means
 *     the file is truncated or damaged, and the import stops.
 *  2. Each region is tokenised into raw blocks (paragraphs, lists, tables),
 *     joining a paragraph that a page break split. Chapter sections are then
 *     segmented into case studies, inset boxes, recommendations and
 *     implementation steps; what is left is the section's narrative.
 *  3. The reference list is matched to the items it names and parsed into
 *     deduplicated references; the guide's own flaws are reported as
 *     anomalies with their line numbers.
 *
 * Where the text does not mark where an item ends, these rules decide:
 *  - a case study ends after the first paragraph of LESSONS LEARNED (with
 *    the list and closing paragraph when that paragraph ends with a colon);
 *  - an inset box that opens with a list or table (after at most one
 *    introductory paragraph) ends after it, keeping one closing paragraph
 *    when it has an introduction;
 *  - any other inset box runs to the next item or heading, less the
 *    trailing paragraphs that lead into what follows ("The following case
 *    study...", "While ...").
 *
 * With a merge base (the curated corpus) the importer keeps the curation of
 * every item that still exists: metadata, status, history, and titles whose
 * letter case a librarian corrected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/HTMLparser.h>
#include <string.h>

#include "cb-citation.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-xml.h"

struct _CbGuideImporter
{
  GObject    parent_instance;

  CbCorpus  *base;
  char      *timestamp;
  char      *author;

  /* Results of the last import */
  GPtrArray *lines;       /* char *, index 0 unused */
  GPtrArray *owners;      /* char *, index 0 unused */
  GArray    *claims;      /* guint, index 0 unused */
  GPtrArray *merge_notes; /* CbAnomaly */
};

G_DEFINE_FINAL_TYPE (CbGuideImporter, cb_guide_importer, G_TYPE_OBJECT)

typedef struct {
  char    *number;
  char    *text;
  GString *continuation;
  guint    line;
} RawListItem;

typedef enum {
  RAW_PARA,
  RAW_LIST,
  RAW_TABLE,
} RawKind;

typedef struct {
  RawKind    kind;
  char      *text;
  GArray    *lines;
  GPtrArray *items;
  GPtrArray *rows;
  GArray    *row_lines;
  gboolean   ordered;
} Raw;

typedef struct {
  guint       chapter;
  const char *number;
  const char *title;
  guint       page;
} SectionInfo;

typedef struct {
  CbGuideImporter *self;
  CbCorpus        *corpus;
  char           **lines;
  guint            n_lines;
  GHashTable      *item_lines;     /* id -> first line */
  GHashTable      *referenced;     /* item ids the reference list names */
  GHashTable      *caps_titles;    /* item ids whose heading was in capitals */
} Ctx;

static const char *bridge_cues[] = {
  "case study", "case studies", "inset box", "the following", "that follow",
  "the next", "next example", "these experiences", "this example",
};

static const char *case_parts[][2] = {
  { "BACKGROUND", "background" },
  { "KEY FINDINGS", "key_findings" },
  { "KEY OUTCOME", "key_outcome" },
  { "LESSONS LEARNED", "lessons_learned" },
};

/* Raw blocks */

static void
raw_list_item_free (RawListItem *item)
{
  g_free (item->number);
  g_free (item->text);
  if (item->continuation)
    g_string_free (item->continuation, TRUE);
  g_free (item);
}

static Raw *
raw_new (RawKind kind)
{
  Raw *raw = g_new0 (Raw, 1);

  raw->kind = kind;
  raw->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  if (kind == RAW_LIST)
    raw->items = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_list_item_free);
  if (kind == RAW_TABLE)
    {
      raw->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      raw->row_lines = g_array_new (FALSE, FALSE, sizeof (guint));
    }

  return raw;
}

static void
raw_free (Raw *raw)
{
  g_free (raw->text);
  g_array_unref (raw->lines);
  g_clear_pointer (&raw->items, g_ptr_array_unref);
  g_clear_pointer (&raw->rows, g_ptr_array_unref);
  g_clear_pointer (&raw->row_lines, g_array_unref);
  g_free (raw);
}

static guint
raw_first_line (Raw *raw)
{
  return raw->lines->len > 0 ? g_array_index (raw->lines, guint, 0) : 0;
}

static gboolean
text_is_caps (const char *text)
{
  guint upper = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_islower (c))
        return FALSE;
      if (g_unichar_isupper (c))
        upper++;
    }

  return upper >= 2;
}

static gboolean
ends_with_terminal (const char *text)
{
  static const char *terminals[] = { ".", "!", "?", ":", ";", "\"", "”", "’", ")", "*", "'" };

  for (guint i = 0; i < G_N_ELEMENTS (terminals); i++)
    {
      if (g_str_has_suffix (text, terminals[i]))
        return TRUE;
    }

  return FALSE;
}

/* A short line with no closing punctuation that does not start lower-case. */
static gboolean
text_is_heading_like (const char *text)
{
  gsize len = g_utf8_strlen (text, -1);
  char last;

  if (len == 0 || len > 100 || strstr (text, "**") != NULL || g_str_has_prefix (text, "- "))
    return FALSE;

  if (g_unichar_islower (g_utf8_get_char (text)))
    return FALSE;

  last = text[strlen (text) - 1];

  return strchr (".,;:!?", last) == NULL;
}

static gboolean
raw_is_heading_like (Raw *raw)
{
  return raw->kind == RAW_PARA && text_is_heading_like (raw->text);
}

static gboolean
raw_is_caps_heading (Raw *raw)
{
  return raw_is_heading_like (raw) && text_is_caps (raw->text);
}

/* "2.2.1": ASCII digits in two or more dot-separated groups */
static gboolean
number_is_valid (const char *p)
{
  guint groups = 0;

  while (*p)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
      groups++;
      if (*p == '.')
        {
          p++;
          if (*p == '\0')
            return FALSE;
        }
      else if (*p != '\0')
        return FALSE;
    }

  return groups >= 2;
}

/* "a" ... "z", "aa", "ab" ...: letters for the nth unnumbered item */
static char *
letters_for (guint n)
{
  GString *out = g_string_new (NULL);

  do
    {
      g_string_prepend_c (out, 'a' + n % 26);
      n = n / 26;
    }
  while (n-- > 0);

  return g_string_free (out, FALSE);
}

/* Guide text quoted in a message: control characters shown as escapes,
 * long lines cut, so a message stays one readable line. */
static char *
quote_text (const char *text)
{
  GString *out = g_string_new (NULL);
  guint chars = 0;

  for (const char *p = text; *p && chars < 240; p = g_utf8_next_char (p), chars++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }

  if (chars >= 240 && *g_utf8_offset_to_pointer (text, chars) != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/* "CASE STUDY 2.2.1" -> "2.2.1" */
static const char *
raw_label_number (Raw        *raw,
                  const char *label)
{
  const char *p;

  if (raw->kind != RAW_PARA || !g_str_has_prefix (raw->text, label))
    return NULL;

  p = raw->text + strlen (label);

  return number_is_valid (p) ? p : NULL;
}

static gboolean
is_bridge (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  if (g_str_has_prefix (text, "While "))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (bridge_cues); i++)
    {
      if (strstr (lower, bridge_cues[i]) != NULL)
        return TRUE;
    }

  return FALSE;
}

static char *
sentence_case (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  GString *out = g_string_new (NULL);
  gboolean capital = TRUE;

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (capital && g_unichar_isalpha (c))
        {
          c = g_unichar_toupper (c);
          capital = FALSE;
        }
      g_string_append_unichar (out, c);
      if (c == ':')
        capital = TRUE;
    }

  return g_string_free (out, FALSE);
}

static char *
slugify (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);
  gboolean dash = FALSE;

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (dash && out->len > 0)
            g_string_append_c (out, '-');
          g_string_append_c (out, g_ascii_tolower (*p));
          dash = FALSE;
        }
      else
        {
          dash = TRUE;
        }
    }

  return g_string_free (out, FALSE);
}

static char *
normalize_for_match (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static gboolean
same_words (const char *a,
            const char *b)
{
  g_autofree char *na = normalize_for_match (a);
  g_autofree char *nb = normalize_for_match (b);

  return strcmp (na, nb) == 0;
}

/* Context helpers */

static gboolean
is_blank (Ctx   *ctx,
          guint  line)
{
  return ctx->lines[line][0] == '\0';
}

static void
claim (Ctx        *ctx,
       guint       line,
       const char *owner)
{
  CbGuideImporter *self = ctx->self;

  g_array_index (self->claims, guint, line)++;
  if (g_ptr_array_index (self->owners, line) == NULL)
    g_ptr_array_index (self->owners, line) = g_strdup (owner);
}

static void
claim_raw (Ctx        *ctx,
           Raw        *raw,
           const char *owner)
{
  for (guint i = 0; i < raw->lines->len; i++)
    claim (ctx, g_array_index (raw->lines, guint, i), owner);
}

static void
report (Ctx        *ctx,
        CbSeverity  severity,
        const char *code,
        guint       line,
        const char *item,
        const char *format,
        ...) G_GNUC_PRINTF (6, 7);

static void
report (Ctx        *ctx,
        CbSeverity  severity,
        const char *code,
        guint       line,
        const char *item,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  cb_corpus_add_anomaly (ctx->corpus, cb_anomaly_new (severity, code, line, item, message));
}

/* Tokeniser */

static gboolean
is_table_line (const char *text)
{
  return strchr (text, '\t') != NULL;
}

typedef enum {
  LIST_NONE,
  LIST_BULLET,
  LIST_NUMBERED,
} ListType;

static ListType
list_type (const char *text)
{
  const char *p = text;

  if (g_str_has_prefix (text, "- "))
    return LIST_BULLET;

  while (g_ascii_isdigit (*p))
    p++;

  if (p != text && p - text <= 3 && p[0] == '.' && p[1] == ' ')
    return LIST_NUMBERED;

  return LIST_NONE;
}

static RawListItem *
list_item_new (const char *text,
               guint       line)
{
  RawListItem *item = g_new0 (RawListItem, 1);
  const char *p;

  item->line = line;

  if (g_str_has_prefix (text, "- "))
    {
      text += 2;
      for (p = text; g_ascii_isdigit (*p); p++)
        ;
      if (p != text && *p == ' ')
        {
          item->number = g_strndup (text, p - text);
          text = p + 1;
        }
    }
  else
    {
      for (p = text; g_ascii_isdigit (*p); p++)
        ;
      item->number = g_strndup (text, p - text);
      text = p + 2;
    }

  item->text = g_strstrip (g_strdup (text));

  return item;
}

static guint
next_nonblank (Ctx   *ctx,
               guint  from,
               guint  end)
{
  while (from < end && is_blank (ctx, from))
    from++;

  return from;
}

static GPtrArray *
tokenize (Ctx   *ctx,
          guint  start,
          guint  end)
{
  GPtrArray *raws = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);
  guint i = start;

  while (i < end)
    {
      const char *text = ctx->lines[i];
      Raw *raw;

      if (is_blank (ctx, i))
        {
          i++;
          continue;
        }

      if (is_table_line (text))
        {
          raw = raw_new (RAW_TABLE);

          while (i < end)
            {
              if (is_blank (ctx, i))
                {
                  guint j = next_nonblank (ctx, i, end);

                  if (j < end && is_table_line (ctx->lines[j]))
                    {
                      i = j;
                      continue;
                    }
                  break;
                }

              if (!is_table_line (ctx->lines[i]))
                break;

              g_array_append_val (raw->lines, i);

              if (raw->rows->len > 1 &&
                  g_strcmp0 (ctx->lines[i], ctx->lines[g_array_index (raw->row_lines, guint, 0)]) == 0)
                {
                  report (ctx, CB_SEVERITY_INFO, "repeated-table-header", i, NULL,
                          _("A table repeats its header row (a page break); the repeat was merged into the table"));
                }
              else
                {
                  g_ptr_array_add (raw->rows, g_strsplit (ctx->lines[i], "\t", -1));
                  g_array_append_val (raw->row_lines, i);
                }
              i++;
            }

          g_ptr_array_add (raws, raw);
          continue;
        }

      if (list_type (text) != LIST_NONE)
        {
          ListType type = list_type (text);
          gboolean ordered = TRUE;

          raw = raw_new (RAW_LIST);

          while (i < end)
            {
              if (is_blank (ctx, i))
                {
                  guint j = next_nonblank (ctx, i, end);

                  if (j < end && list_type (ctx->lines[j]) == type)
                    {
                      i = j;
                      continue;
                    }
                  break;
                }

              if (list_type (ctx->lines[i]) == type)
                {
                  RawListItem *item = list_item_new (ctx->lines[i], i);

                  ordered &= item->number != NULL;
                  g_ptr_array_add (raw->items, item);
                  g_array_append_val (raw->lines, i);
                  i++;
                }
              else if (!is_blank (ctx, i - 1) && !is_table_line (ctx->lines[i]) &&
                       list_type (ctx->lines[i]) == LIST_NONE)
                {
                  /* A line right under a list item continues it. */
                  RawListItem *item = g_ptr_array_index (raw->items, raw->items->len - 1);

                  if (item->continuation == NULL)
                    item->continuation = g_string_new (ctx->lines[i]);
                  else
                    g_string_append_printf (item->continuation, " %s", ctx->lines[i]);
                  g_array_append_val (raw->lines, i);
                  i++;
                }
              else
                {
                  break;
                }
            }

          raw->ordered = ordered;
          g_ptr_array_add (raws, raw);
          continue;
        }

      raw = raw_new (RAW_PARA);
      raw->text = g_strdup (text);
      g_array_append_val (raw->lines, i);
      i++;

      /* A paragraph that stops mid-sentence and resumes lower-case after
       * blank lines was split by a page break. */
      while (!ends_with_terminal (raw->text))
        {
          guint j = next_nonblank (ctx, i, end);
          char *joined;

          if (j >= end || !g_ascii_islower (ctx->lines[j][0]) ||
              list_type (ctx->lines[j]) != LIST_NONE || is_table_line (ctx->lines[j]))
            break;

          joined = g_strconcat (raw->text, " ", ctx->lines[j], NULL);
          g_free (raw->text);
          raw->text = joined;
          g_array_append_val (raw->lines, j);
          report (ctx, CB_SEVERITY_INFO, "page-break", j, NULL,
                  _("A paragraph continues after a page break (lines %u and %u); the two were joined"),
                  raw_first_line (raw), j);
          i = j + 1;
        }

      g_ptr_array_add (raws, raw);
    }

  return raws;
}

/* Inside inset boxes, three or more short one-sentence paragraphs in a row
 * are a list without markers (inset boxes 4.1.1 and 4.2.1). */
static guint
merge_statement_runs (GPtrArray *raws,
                      guint      from,
                      guint      to)
{
  guint removed = 0;
  guint i = from;

  while (i < to)
    {
      guint j = i;

      while (j < to)
        {
          Raw *raw = g_ptr_array_index (raws, j);
          const char *stop;

          if (raw->kind != RAW_PARA || g_utf8_strlen (raw->text, -1) > 110 ||
              text_is_caps (raw->text) || g_ascii_isdigit (raw->text[0]))
            break;

          stop = strpbrk (raw->text, ".!?:;");
          if (!(stop == NULL && text_is_heading_like (raw->text)) &&
              !(stop != NULL && stop[1] == '\0' && *stop == '.'))
            break;

          j++;
        }

      if (j - i >= 3)
        {
          Raw *list = raw_new (RAW_LIST);

          for (guint k = i; k < j; k++)
            {
              Raw *raw = g_ptr_array_index (raws, k);
              RawListItem *item = g_new0 (RawListItem, 1);

              item->text = g_strdup (raw->text);
              item->line = raw_first_line (raw);
              g_ptr_array_add (list->items, item);
              g_array_append_vals (list->lines, raw->lines->data, raw->lines->len);
            }

          g_ptr_array_remove_range (raws, i, j - i);
          g_ptr_array_insert (raws, i, list);
          to -= (j - i) - 1;
          removed += (j - i) - 1;
          i++;
        }
      else
        {
          i = MAX (j, i + 1);
        }
    }

  return removed;
}

/* Blocks */

static void
append_html_inline (xmlNodePtr   node,
                    CbSpanFlags  flags,
                    const char  *href,
                    GPtrArray   *spans)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE)
        {
          g_ptr_array_add (spans, cb_span_new ((const char *) child->content, flags, href));
        }
      else if (child->type == XML_ELEMENT_NODE)
        {
          const char *name = (const char *) child->name;
          CbSpanFlags child_flags = flags;
          g_autofree char *child_href = NULL;

          if (g_ascii_strcasecmp (name, "strong") == 0 || g_ascii_strcasecmp (name, "b") == 0)
            child_flags |= CB_SPAN_STRONG;
          else if (g_ascii_strcasecmp (name, "em") == 0 || g_ascii_strcasecmp (name, "i") == 0)
            child_flags |= CB_SPAN_EMPHASIS;
          else if (g_ascii_strcasecmp (name, "a") == 0)
            child_href = cb_xml_node_get_attr (child, "href");
          else if (g_ascii_strcasecmp (name, "br") == 0)
            {
              g_ptr_array_add (spans, cb_span_new (" ", flags, href));
              continue;
            }

          append_html_inline (child, child_flags, child_href ? child_href : href, spans);
        }
    }
}

/* Collapses white space as HTML does and trims the ends. */
static void
collapse_spaces (GPtrArray *spans)
{
  gboolean last_space = TRUE;

  for (guint i = 0; i < spans->len; i++)
    {
      CbSpan *span = g_ptr_array_index (spans, i);
      GString *out = g_string_new (NULL);

      for (const char *p = span->text; *p; p++)
        {
          if (g_ascii_isspace (*p))
            {
              if (!last_space)
                g_string_append_c (out, ' ');
              last_space = TRUE;
            }
          else
            {
              g_string_append_c (out, *p);
              last_space = FALSE;
            }
        }

      g_free (span->text);
      span->text = g_string_free (out, FALSE);
    }

  for (gint i = (gint) spans->len - 1; i >= 0; i--)
    {
      CbSpan *span = g_ptr_array_index (spans, i);

      g_strchomp (span->text);
      if (span->text[0] != '\0')
        break;
    }

  cb_spans_normalize (spans);
}

static void
strip_bullet_glyph (GPtrArray *spans)
{
  CbSpan *first;
  char *p;

  if (spans->len == 0)
    return;

  first = g_ptr_array_index (spans, 0);
  p = first->text;
  while (g_str_has_prefix (p, "•") || *p == ' ')
    p += (*p == ' ') ? 1 : strlen ("•");

  if (p != first->text)
    {
      char *rest = g_strdup (p);

      g_free (first->text);
      first->text = rest;
      cb_spans_normalize (spans);
    }
}

typedef struct {
  Ctx        *ctx;
  guint       line;
  const char *owner;
} CellSource;

static void
split_bullets (CellSource *source,
               xmlNodePtr  list_node,
               CbBlock    *list)
{
  g_autofree char *text = cb_xml_node_get_text (list_node);
  g_auto(GStrv) pieces = g_strsplit (text, "•", -1);

  for (guint i = 0; pieces[i]; i++)
    {
      g_autoptr(GPtrArray) spans = NULL;
      CbBlock *item;

      g_strstrip (pieces[i]);
      if (pieces[i][0] == '\0')
        continue;

      item = cb_block_new (CB_BLOCK_LIST_ITEM);
      spans = cb_spans_parse_inline (pieces[i]);
      collapse_spaces (spans);
      g_ptr_array_extend_and_steal (item->spans, g_steal_pointer (&spans));
      cb_block_add_child (list, item);
    }

  report (source->ctx, CB_SEVERITY_WARNING, "malformed-html", source->line, source->owner,
          _("A table cell holds an HTML list with no <li> elements; its “•” bullets were read as list items"));
}

static void
html_to_blocks (CellSource *source,
                xmlNodePtr  parent,
                CbBlock    *cell)
{
  for (xmlNodePtr node = parent->children; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type == XML_TEXT_NODE)
        {
          g_autofree char *text = g_strstrip (g_strdup ((const char *) node->content));

          if (*text != '\0')
            {
              CbBlock *para = cb_block_new (CB_BLOCK_PARAGRAPH);

              cb_block_add_span (para, cb_span_new (text, CB_SPAN_PLAIN, NULL));
              cb_block_add_child (cell, para);
            }
        }
      else if (node->type != XML_ELEMENT_NODE)
        {
          continue;
        }
      else if (g_ascii_strcasecmp (name, "ul") == 0 || g_ascii_strcasecmp (name, "ol") == 0)
        {
          CbBlock *list = cb_block_new (CB_BLOCK_LIST);

          list->ordered = g_ascii_strcasecmp (name, "ol") == 0;
          for (xmlNodePtr li = node->children; li != NULL; li = li->next)
            {
              CbBlock *item;

              if (li->type != XML_ELEMENT_NODE || g_ascii_strcasecmp ((const char *) li->name, "li") != 0)
                continue;

              item = cb_block_new (CB_BLOCK_LIST_ITEM);
              append_html_inline (li, CB_SPAN_PLAIN, NULL, item->spans);
              collapse_spaces (item->spans);
              strip_bullet_glyph (item->spans);
              cb_block_add_child (list, item);
            }
          if (list->children->len == 0)
            split_bullets (source, node, list);
          if (list->children->len > 0)
            cb_block_add_child (cell, list);
          else
            cb_block_free (list);
        }
      else if (g_ascii_strcasecmp (name, "p") == 0)
        {
          CbBlock *para = cb_block_new (CB_BLOCK_PARAGRAPH);

          append_html_inline (node, CB_SPAN_PLAIN, NULL, para->spans);
          collapse_spaces (para->spans);
          if (para->spans->len > 0)
            cb_block_add_child (cell, para);
          else
            cb_block_free (para);
        }
      else
        {
          html_to_blocks (source, node, cell);
        }
    }
}

static gboolean
looks_like_html (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("<(p|ul|ol|li|br|div|span|strong|em|b|i|a)[\\s>/]",
                                         G_REGEX_CASELESS, 0, NULL);

  return g_regex_match (regex, text, 0, NULL);
}

/* A table cell: plain text with inline marks, or an HTML fragment read
 * with libxml2's HTML parser. */
static CbBlock *
cell_to_block (CellSource *source,
               const char *text)
{
  CbBlock *cell = cb_block_new (CB_BLOCK_CELL);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (looks_like_html (trimmed))
    {
      g_autofree char *html = g_strconcat ("<html><body>", trimmed, "</body></html>", NULL);
      htmlDocPtr doc;

      doc = htmlReadMemory (html, (int) strlen (html), NULL, "UTF-8",
                            HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
      if (doc != NULL)
        {
          xmlNodePtr root = xmlDocGetRootElement (doc);

          for (xmlNodePtr node = root ? root->children : NULL; node != NULL; node = node->next)
            {
              if (node->type == XML_ELEMENT_NODE && g_ascii_strcasecmp ((const char *) node->name, "body") == 0)
                html_to_blocks (source, node, cell);
            }
          xmlFreeDoc (doc);
        }
    }

  if (cell->children->len == 0 && *trimmed != '\0')
    {
      CbBlock *para = cb_block_new (CB_BLOCK_PARAGRAPH);

      g_ptr_array_extend_and_steal (para->spans, cb_spans_parse_inline (trimmed));
      cb_block_add_child (cell, para);
    }

  return cell;
}

static gboolean
row_is_header_like (char **cells)
{
  for (guint i = 0; cells[i]; i++)
    {
      if (g_utf8_strlen (cells[i], -1) > 80 || looks_like_html (cells[i]) ||
          g_str_has_suffix (g_strchomp (cells[i]), "."))
        return FALSE;
    }

  return TRUE;
}

static CbBlock *
table_to_block (Ctx        *ctx,
                Raw        *raw,
                const char *owner)
{
  CbBlock *table = cb_block_new (CB_BLOCK_TABLE);
  gboolean header = raw->rows->len > 1 && row_is_header_like (g_ptr_array_index (raw->rows, 0));

  table->line = raw_first_line (raw);

  for (guint r = 0; r < raw->rows->len; r++)
    {
      char **cells = g_ptr_array_index (raw->rows, r);
      CbBlock *row = cb_block_new (CB_BLOCK_ROW);

      row->header = header && r == 0;
      row->line = g_array_index (raw->row_lines, guint, r);
      for (guint c = 0; cells[c]; c++)
        {
          CellSource source = { ctx, row->line, owner };

          cb_block_add_child (row, cell_to_block (&source, cells[c]));
        }
      cb_block_add_child (table, row);
    }

  return table;
}

static CbBlock *
list_item_to_block (Ctx         *ctx,
                    RawListItem *raw_item,
                    const char  *owner)
{
  CbBlock *item = cb_block_new (CB_BLOCK_LIST_ITEM);
  const char *text = raw_item->text;

  item->number = g_strdup (raw_item->number);
  item->line = raw_item->line;

  /* "Name and eliminate racism**" over its description: a bold lead-in
   * whose opening marker is missing. */
  if (g_str_has_suffix (text, "**") && strstr (text, "**") == text + strlen (text) - 2)
    {
      g_autofree char *lead = g_strndup (text, strlen (text) - 2);

      g_autofree char *quoted = quote_text (lead);

      report (ctx, CB_SEVERITY_WARNING, "unbalanced-markup", raw_item->line, owner,
              _("Bold marker “**” without its opening partner after “%s”; read as a bold lead-in"), quoted);
      cb_block_add_lead_span (item, cb_span_new (g_strstrip (lead), CB_SPAN_PLAIN, NULL));
      if (raw_item->continuation)
        g_ptr_array_extend_and_steal (item->spans, cb_spans_parse_inline (raw_item->continuation->str));
      return item;
    }

  {
    g_autofree char *full = raw_item->continuation
      ? g_strconcat (text, " ", raw_item->continuation->str, NULL)
      : g_strdup (text);
    g_autoptr(GPtrArray) spans = cb_spans_parse_inline (full);

    if (spans->len > 1 && ((CbSpan *) g_ptr_array_index (spans, 0))->flags == CB_SPAN_STRONG &&
        ((CbSpan *) g_ptr_array_index (spans, 0))->href == NULL)
      {
        CbSpan *lead = g_ptr_array_steal_index (spans, 0);
        CbSpan *next = g_ptr_array_index (spans, 0);
        char *rest;

        lead->flags = CB_SPAN_PLAIN;
        cb_block_add_lead_span (item, lead);
        rest = g_strdup (next->text + strspn (next->text, " "));
        g_free (next->text);
        next->text = rest;
        cb_spans_normalize (spans);
      }

    g_ptr_array_extend_and_steal (item->spans, g_steal_pointer (&spans));
  }

  return item;
}

static CbBlock *
raw_to_block (Ctx        *ctx,
              Raw        *raw,
              gboolean    heading_ok,
              const char *owner)
{
  CbBlock *block = NULL;

  switch (raw->kind)
    {
    case RAW_PARA:
      if (heading_ok && raw_is_heading_like (raw))
        {
          const char *p = raw->text;

          block = cb_block_new (CB_BLOCK_HEADING);
          while (g_ascii_isdigit (*p))
            p++;
          if (p != raw->text && *p == ' ' && p - raw->text <= 2)
            {
              block->number = g_strndup (raw->text, p - raw->text);
              g_ptr_array_extend_and_steal (block->spans, cb_spans_parse_inline (p + 1));
              break;
            }
        }
      else
        {
          block = cb_block_new (CB_BLOCK_PARAGRAPH);
        }
      g_ptr_array_extend_and_steal (block->spans, cb_spans_parse_inline (raw->text));
      break;

    case RAW_LIST:
      block = cb_block_new (CB_BLOCK_LIST);
      block->ordered = raw->ordered;
      for (guint i = 0; i < raw->items->len; i++)
        cb_block_add_child (block, list_item_to_block (ctx, g_ptr_array_index (raw->items, i), owner));
      break;

    case RAW_TABLE:
      block = table_to_block (ctx, raw, owner);
      break;

    default:
      g_assert_not_reached ();
    }

  if (block->line == 0)
    block->line = raw_first_line (raw);

  return block;
}

/* Items */

static CbItem *
item_new (Ctx               *ctx,
          CbItemKind         kind,
          const char        *key,
          const char        *title,
          const SectionInfo *section,
          guint              line)
{
  g_autofree char *id = g_strconcat (cb_item_kind_to_string (kind), ":", key, NULL);
  CbItem *item = cb_item_new (id, kind);

  cb_item_set_title (item, title);
  if (section != NULL)
    {
      cb_item_set_chapter (item, section->chapter);
      cb_item_set_section (item, section->number);
      cb_item_set_page (item, section->page);
    }

  g_hash_table_insert (ctx->item_lines, g_strdup (id), GUINT_TO_POINTER (line));

  return item;
}

static gboolean
add_item (Ctx     *ctx,
          CbItem  *item,
          GError **error)
{
  const char *id = cb_item_get_id (item);

  if (cb_corpus_lookup_item (ctx->corpus, id) != NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("Line %u: “%s” appears twice in the guide; ids must be unique"),
                   GPOINTER_TO_UINT (g_hash_table_lookup (ctx->item_lines, id)), id);
      g_object_unref (item);
      return FALSE;
    }

  return cb_corpus_add_item (ctx->corpus, item, error);
}

static void
add_item_ref (CbPart     *narrative,
              CbItem     *item)
{
  CbBlock *ref = cb_block_new (CB_BLOCK_ITEM_REF);

  ref->ref = g_strdup (cb_item_get_id (item));
  g_ptr_array_add (narrative->blocks, ref);
}

static gboolean
raw_starts_item (GPtrArray *raws,
                 guint      i,
                 gboolean   chapter_section)
{
  Raw *raw = g_ptr_array_index (raws, i);

  if (raw_label_number (raw, "CASE STUDY ") || raw_label_number (raw, "INSET BOX "))
    return TRUE;

  /* An unnumbered box: two capitalised heading lines in a row */
  return chapter_section && i + 1 < raws->len &&
         raw_is_caps_heading (raw) && raw_is_caps_heading (g_ptr_array_index (raws, i + 1));
}

/* Reads a title after a CASE STUDY or INSET BOX label. Two capitalised lines
 * in a row make a title and its subtitle (inset box 6.2.1). */
static char *
read_title (Ctx        *ctx,
            GPtrArray  *raws,
            guint      *i,
            guint       end,
            const char *owner)
{
  Raw *raw;
  char *title;

  if (*i >= end || (raw = g_ptr_array_index (raws, *i))->kind != RAW_PARA || raw_starts_item (raws, *i, FALSE))
    return g_strdup ("");

  claim_raw (ctx, raw, owner);
  (*i)++;

  if (text_is_caps (raw->text) && raw_is_heading_like (raw) && *i < end &&
      raw_is_caps_heading (g_ptr_array_index (raws, *i)))
    {
      Raw *subtitle = g_ptr_array_index (raws, *i);

      claim_raw (ctx, subtitle, owner);
      (*i)++;
      title = g_strconcat (raw->text, ": ", subtitle->text, NULL);
    }
  else
    {
      title = g_strdup (raw->text);
    }

  if (text_is_caps (title))
    {
      char *cased = sentence_case (title);

      g_free (title);
      title = cased;
      g_hash_table_add (ctx->caps_titles, g_strdup (owner));
    }

  return title;
}

static void
add_blocks (Ctx       *ctx,
            CbPart    *part,
            GPtrArray *raws,
            guint      from,
            guint      to,
            gboolean   heading_ok,
            const char *owner)
{
  for (guint k = from; k < to; k++)
    {
      Raw *raw = g_ptr_array_index (raws, k);

      claim_raw (ctx, raw, owner);
      g_ptr_array_add (part->blocks, raw_to_block (ctx, raw, heading_ok, owner));
    }
}

static void
check_number (Ctx               *ctx,
              CbItem            *item,
              const SectionInfo *section,
              guint              line)
{
  const char *number = cb_item_get_number (item);
  g_autofree char *prefix = g_strconcat (section->number, ".", NULL);

  if (!g_str_has_prefix (number, prefix))
    report (ctx, CB_SEVERITY_WARNING, "misplaced-number", line, cb_item_get_id (item),
            _("%s %s sits in section %s"), cb_item_kind_label (cb_item_get_kind (item)), number,
            section->number);
}

static guint
parse_case_study (Ctx                *ctx,
                  GPtrArray          *raws,
                  guint               i,
                  guint               end,
                  const SectionInfo  *section,
                  CbPart             *narrative,
                  GError            **error)
{
  Raw *label = g_ptr_array_index (raws, i);
  const char *number = raw_label_number (label, "CASE STUDY ");
  g_autofree char *id = g_strconcat ("case_study:", number, NULL);
  g_autofree char *title = NULL;
  CbItem *item;
  CbPart *part = NULL;
  guint line = raw_first_line (label);

  claim_raw (ctx, label, id);
  i++;
  title = read_title (ctx, raws, &i, end, id);
  if (*title == '\0')
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("Line %u: case study %s has no title line"), line, number);
      return G_MAXUINT;
    }

  item = item_new (ctx, CB_ITEM_KIND_CASE_STUDY, number, title, section, line);
  cb_item_set_number (item, number);
  check_number (ctx, item, section, line);

  while (i < end && !raw_starts_item (raws, i, TRUE))
    {
      Raw *raw = g_ptr_array_index (raws, i);
      const char *part_name = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (case_parts); k++)
        {
          if (raw->kind == RAW_PARA && g_str_equal (raw->text, case_parts[k][0]))
            part_name = case_parts[k][1];
        }

      if (part_name != NULL)
        {
          claim_raw (ctx, raw, id);
          part = cb_part_new (part_name);
          cb_item_add_part (item, part);
          i++;

          if (g_str_equal (part_name, "lessons_learned") && i < end && !raw_starts_item (raws, i, TRUE))
            {
              Raw *first = g_ptr_array_index (raws, i);
              guint stop = i + 1;

              /* One paragraph; a paragraph ending with a colon brings its
               * list and the paragraph that closes it. */
              if (first->kind == RAW_PARA && g_str_has_suffix (first->text, ":") &&
                  stop < end && ((Raw *) g_ptr_array_index (raws, stop))->kind == RAW_LIST)
                {
                  stop++;
                  if (stop < end && ((Raw *) g_ptr_array_index (raws, stop))->kind == RAW_PARA &&
                      !raw_starts_item (raws, stop, TRUE) &&
                      !raw_is_heading_like (g_ptr_array_index (raws, stop)))
                    stop++;
                }

              add_blocks (ctx, part, raws, i, stop, FALSE, id);
              i = stop;
              break;
            }
          continue;
        }

      if (part == NULL)
        {
          part = cb_part_new ("background");
          cb_item_add_part (item, part);
          report (ctx, CB_SEVERITY_WARNING, "missing-part-label", raw_first_line (raw), id,
                  _("Case study %s has text before its BACKGROUND label"), number);
        }

      add_blocks (ctx, part, raws, i, i + 1, FALSE, id);
      i++;
    }

  if (cb_item_get_part (item, "lessons_learned") == NULL)
    report (ctx, CB_SEVERITY_WARNING, "missing-part", line, id,
            _("Case study %s has no LESSONS LEARNED part"), number);

  add_item_ref (narrative, item);
  if (!add_item (ctx, item, error))
    return G_MAXUINT;

  return i;
}

static guint
parse_inset_box (Ctx                *ctx,
                 GPtrArray          *raws,
                 guint               i,
                 guint              *end,
                 const SectionInfo  *section,
                 const char         *letter,
                 CbPart             *narrative,
                 GError            **error)
{
  Raw *label = g_ptr_array_index (raws, i);
  g_autofree char *number = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  CbItem *item;
  CbPart *part;
  guint line = raw_first_line (label);
  guint body, stop, k;

  if (letter != NULL)
    number = g_strconcat (section->number, ".", letter, NULL);
  else
    number = g_strdup (raw_label_number (label, "INSET BOX "));

  id = g_strconcat ("inset_box:", number, NULL);

  if (letter == NULL)
    {
      claim_raw (ctx, label, id);
      i++;
    }
  title = read_title (ctx, raws, &i, *end, id);
  if (*title == '\0')
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("Line %u: inset box %s has no title line"), line, number);
      return G_MAXUINT;
    }

  item = item_new (ctx, CB_ITEM_KIND_INSET_BOX, number, title, section, line);
  cb_item_set_number (item, number);
  if (letter == NULL)
    check_number (ctx, item, section, line);

  body = i;
  stop = body;
  while (stop < *end && !raw_starts_item (raws, stop, TRUE))
    {
      /* An unnumbered box ends at the next capitalised heading. */
      if (letter != NULL && raw_is_caps_heading (g_ptr_array_index (raws, stop)))
        break;
      stop++;
    }

  {
    guint removed = merge_statement_runs (raws, body, stop);

    stop -= removed;
    *end -= removed;
  }

  k = body;
  if (k < stop && ((Raw *) g_ptr_array_index (raws, k))->kind == RAW_PARA &&
      !raw_is_heading_like (g_ptr_array_index (raws, k)) &&
      k + 1 < stop && ((Raw *) g_ptr_array_index (raws, k + 1))->kind != RAW_PARA)
    k++;

  if (k < stop && ((Raw *) g_ptr_array_index (raws, k))->kind != RAW_PARA)
    {
      /* A box that opens with a list or table ends after it. */
      guint list_end = k + 1;

      if (k > body && list_end < stop)
        {
          Raw *closing = g_ptr_array_index (raws, list_end);

          if (closing->kind == RAW_PARA && !raw_is_heading_like (closing) && !is_bridge (closing->text))
            list_end++;
        }
      stop = list_end;
    }
  else
    {
      /* A prose box gives back the paragraphs that lead on. */
      while (stop > body)
        {
          Raw *last = g_ptr_array_index (raws, stop - 1);

          if (last->kind != RAW_PARA || !is_bridge (last->text))
            break;
          stop--;
        }
    }

  part = cb_part_new ("body");
  cb_item_add_part (item, part);
  add_blocks (ctx, part, raws, body, stop, TRUE, id);

  add_item_ref (narrative, item);
  if (!add_item (ctx, item, error))
    return G_MAXUINT;

  return stop;
}

static gboolean
parse_steps (Ctx                *ctx,
             GPtrArray          *raws,
             const SectionInfo  *section,
             CbItemKind          kind,
             CbPart             *narrative,
             GError            **error)
{
  guint n = 0;
  guint i = 0;
  guint end = raws->len;

  while (i < end)
    {
      Raw *raw = g_ptr_array_index (raws, i);

      if (raw_label_number (raw, "INSET BOX "))
        {
          if ((i = parse_inset_box (ctx, raws, i, &end, section, NULL, narrative, error)) == G_MAXUINT)
            return FALSE;
          continue;
        }

      if (raw_label_number (raw, "CASE STUDY "))
        {
          if ((i = parse_case_study (ctx, raws, i, end, section, narrative, error)) == G_MAXUINT)
            return FALSE;
          continue;
        }

      if (raw_is_heading_like (raw))
        {
          g_autofree char *number = g_strdup_printf ("%s.%u", section->number, ++n);
          g_autofree char *id = g_strconcat (cb_item_kind_to_string (kind), ":", number, NULL);
          CbItem *item = item_new (ctx, kind, number, raw->text, section, raw_first_line (raw));
          CbPart *part = cb_part_new ("body");
          guint stop = i + 1;

          cb_item_set_number (item, number);
          cb_item_add_part (item, part);
          claim_raw (ctx, raw, id);

          while (stop < end && !raw_starts_item (raws, stop, FALSE) &&
                 !raw_is_heading_like (g_ptr_array_index (raws, stop)))
            stop++;

          add_blocks (ctx, part, raws, i + 1, stop, FALSE, id);
          add_item_ref (narrative, item);
          if (!add_item (ctx, item, error))
            return FALSE;
          i = stop;
          continue;
        }

      {
        g_autofree char *owner = g_strconcat ("section:", section->number, NULL);

        add_blocks (ctx, narrative, raws, i, i + 1, FALSE, owner);
      }
      i++;
    }

  return TRUE;
}

/* Narrative blocks; heading-like lines at the very end (a signature) stay
 * paragraphs. */
static void
add_narrative (Ctx        *ctx,
               CbPart     *narrative,
               GPtrArray  *raws,
               guint       i,
               const char *owner)
{
  Raw *raw = g_ptr_array_index (raws, i);
  gboolean trailing = TRUE;

  for (guint k = i; k < raws->len; k++)
    {
      if (!raw_is_heading_like (g_ptr_array_index (raws, k)))
        {
          trailing = FALSE;
          break;
        }
    }

  claim_raw (ctx, raw, owner);
  g_ptr_array_add (narrative->blocks, raw_to_block (ctx, raw, !trailing, owner));
}

static gboolean
parse_chapter_section (Ctx                *ctx,
                       GPtrArray          *raws,
                       const SectionInfo  *section,
                       CbItem             *section_item,
                       GError            **error)
{
  g_autofree char *owner = g_strconcat ("section:", section->number, NULL);
  CbPart *narrative = cb_item_get_part (section_item, "body");
  guint letter = 0;
  guint end = raws->len;
  guint i = 0;

  if (g_str_equal (section->title, "Recommendations"))
    return parse_steps (ctx, raws, section, CB_ITEM_KIND_RECOMMENDATION, narrative, error);
  if (g_str_equal (section->title, "Implementation for impact"))
    return parse_steps (ctx, raws, section, CB_ITEM_KIND_IMPLEMENTATION, narrative, error);

  while (i < end)
    {
      Raw *raw = g_ptr_array_index (raws, i);

      if (raw_label_number (raw, "CASE STUDY "))
        i = parse_case_study (ctx, raws, i, end, section, narrative, error);
      else if (raw_label_number (raw, "INSET BOX "))
        i = parse_inset_box (ctx, raws, i, &end, section, NULL, narrative, error);
      else if (raw_starts_item (raws, i, TRUE))
        {
          g_autofree char *key = letters_for (letter++);

          i = parse_inset_box (ctx, raws, i, &end, section, key, narrative, error);
        }
      else
        {
          add_narrative (ctx, narrative, raws, i, owner);
          i++;
        }

      if (i == G_MAXUINT)
        return FALSE;
    }

  return TRUE;
}

/* Front and back matter: narrative, with a two-column table of terms read
 * as the glossary. */
static gboolean
parse_plain_section (Ctx         *ctx,
                     GPtrArray   *raws,
                     CbItem      *section_item,
                     gboolean     front,
                     GError     **error)
{
  CbPart *narrative = cb_item_get_part (section_item, "body");
  const char *owner = cb_item_get_id (section_item);

  for (guint i = 0; i < raws->len; i++)
    {
      Raw *raw = g_ptr_array_index (raws, i);
      gboolean glossary = front && raw->kind == RAW_TABLE;

      for (guint r = 0; glossary && r < raw->rows->len; r++)
        glossary = g_strv_length (g_ptr_array_index (raw->rows, r)) == 2 &&
                   !row_is_header_like (g_ptr_array_index (raw->rows, r));

      if (!glossary)
        {
          add_narrative (ctx, narrative, raws, i, owner);
          continue;
        }

      for (guint r = 0; r < raw->rows->len; r++)
        {
          char **cells = g_ptr_array_index (raw->rows, r);
          guint line = g_array_index (raw->row_lines, guint, r);
          g_autofree char *term = g_strstrip (g_strdup (cells[0]));
          g_autofree char *slug = slugify (term);
          g_autofree char *key = *slug ? g_steal_pointer (&slug) : g_strdup_printf ("term-%u", line);
          g_autofree char *id = g_strconcat ("glossary:", key, NULL);
          CbItem *item = item_new (ctx, CB_ITEM_KIND_GLOSSARY, key, term, NULL, line);
          CbPart *part = cb_part_new ("body");
          CbBlock *para = cb_block_new (CB_BLOCK_PARAGRAPH);

          cb_item_set_page (item, cb_item_get_page (section_item));
          g_ptr_array_extend_and_steal (para->spans, cb_spans_parse_inline (g_strstrip (cells[1])));
          para->line = line;
          g_ptr_array_add (part->blocks, para);
          cb_item_add_part (item, part);
          claim (ctx, line, id);
          add_item_ref (narrative, item);
          if (!add_item (ctx, item, error))
            return FALSE;
        }

      /* Repeated header lines inside the table, if any, belong to it. */
      for (guint l = 0; l < raw->lines->len; l++)
        {
          guint line = g_array_index (raw->lines, guint, l);

          if (g_array_index (ctx->self->claims, guint, line) == 0)
            claim (ctx, line, owner);
        }
    }

  return TRUE;
}

static gboolean
parse_next_steps (Ctx        *ctx,
                  GPtrArray  *raws,
                  CbItem     *section_item,
                  GError    **error)
{
  CbPart *narrative = cb_item_get_part (section_item, "body");
  const char *owner = cb_item_get_id (section_item);

  for (guint i = 0; i < raws->len; i++)
    {
      Raw *raw = g_ptr_array_index (raws, i);
      RawListItem *head;

      if (raw->kind == RAW_LIST && raw->ordered && raw->items->len == 1 &&
          text_is_caps ((head = g_ptr_array_index (raw->items, 0))->text))
        {
          g_autofree char *title = sentence_case (head->text);
          g_autofree char *id = g_strconcat ("next_step:", head->number, NULL);
          CbItem *item = item_new (ctx, CB_ITEM_KIND_NEXT_STEP, head->number, title, NULL, head->line);
          CbPart *part = cb_part_new ("body");

          cb_item_set_number (item, head->number);
          cb_item_set_page (item, cb_item_get_page (section_item));
          cb_item_add_part (item, part);
          claim_raw (ctx, raw, id);

          if (i + 1 < raws->len && ((Raw *) g_ptr_array_index (raws, i + 1))->kind == RAW_LIST &&
              !((Raw *) g_ptr_array_index (raws, i + 1))->ordered)
            {
              add_blocks (ctx, part, raws, i + 1, i + 2, FALSE, id);
              i++;
            }

          add_item_ref (narrative, item);
          if (!add_item (ctx, item, error))
            return FALSE;
          continue;
        }

      add_narrative (ctx, narrative, raws, i, owner);
    }

  return TRUE;
}

/* The reference list */

typedef struct {
  CbItemKind   kind;
  char        *number;
  char        *title;
  guint        line;
  gboolean     malformed;
  GPtrArray   *citations; /* char * */
  GArray      *citation_lines;
} RefEntry;

static void
ref_entry_free (RefEntry *entry)
{
  g_free (entry->number);
  g_free (entry->title);
  g_ptr_array_unref (entry->citations);
  g_array_unref (entry->citation_lines);
  g_free (entry);
}

static RefEntry *
parse_ref_header (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^(Inset box|Case study)(:?)\\s*([0-9]+(?:\\.[0-9]+)+):\\s*(.+)$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *label = NULL;
  g_autofree char *colon = NULL;
  RefEntry *entry;

  if (!g_regex_match (regex, text, 0, &match))
    return NULL;

  entry = g_new0 (RefEntry, 1);
  label = g_match_info_fetch (match, 1);
  colon = g_match_info_fetch (match, 2);
  entry->kind = g_str_equal (label, "Inset box") ? CB_ITEM_KIND_INSET_BOX : CB_ITEM_KIND_CASE_STUDY;
  entry->malformed = colon[0] != '\0';
  entry->number = g_match_info_fetch (match, 3);
  entry->title = g_strstrip (g_match_info_fetch (match, 4));
  entry->citations = g_ptr_array_new_with_free_func (g_free);
  entry->citation_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  return entry;
}

static CbItem *
find_item_by_title (Ctx        *ctx,
                    CbItemKind  kind,
                    const char *title)
{
  GPtrArray *items = cb_corpus_get_items (ctx->corpus);

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);

      if (cb_item_get_kind (item) == kind && same_words (cb_item_get_title (item), title))
        return item;
    }

  return NULL;
}

static CbItem *
match_entry (Ctx      *ctx,
             RefEntry *entry,
             const char *header_text)
{
  g_autofree char *id = g_strconcat (cb_item_kind_to_string (entry->kind), ":", entry->number, NULL);
  CbItem *by_number = cb_corpus_lookup_item (ctx->corpus, id);
  CbItem *by_title = NULL;
  const char *label = cb_item_kind_label (entry->kind);
  g_autofree char *quoted = quote_text (header_text);
  g_autofree char *quoted_title = quote_text (entry->title);

  if (by_number != NULL && same_words (cb_item_get_title (by_number), entry->title))
    return by_number;

  by_title = find_item_by_title (ctx, entry->kind, entry->title);
  if (by_title != NULL)
    {
      report (ctx, CB_SEVERITY_WARNING, "reference-number-mismatch", entry->line, cb_item_get_id (by_title),
              _("%s %s is listed as “%s” in the reference list; matched by its title"),
              label, cb_item_get_number (by_title), quoted);
      return by_title;
    }

  if (by_number != NULL)
    {
      report (ctx, CB_SEVERITY_WARNING, "reference-title-mismatch", entry->line, cb_item_get_id (by_number),
              _("The reference list names %s %s “%s”, but the body calls it “%s”"),
              label, entry->number, quoted_title, cb_item_get_title (by_number));
      return by_number;
    }

  report (ctx, CB_SEVERITY_WARNING, "unknown-reference-entry", entry->line, NULL,
          _("The reference list names “%s”, which is not in the guide"), quoted);

  return NULL;
}

static GPtrArray *
item_citations (CbItem *item)
{
  GPtrArray *cites = g_object_get_data (G_OBJECT (item), "casebook-cites");

  if (cites == NULL)
    {
      cites = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (item), "casebook-cites", cites, (GDestroyNotify) g_ptr_array_unref);
    }

  return cites;
}

static gboolean
parse_reference_list (Ctx     *ctx,
                      guint    start,
                      guint    end,
                      GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ref_entry_free);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) record_lines = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) key_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) key_next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RefEntry *current = NULL;

  for (guint i = start; i < end; i++)
    {
      RefEntry *entry;

      if (is_blank (ctx, i))
        continue;

      if (g_array_index (ctx->self->claims, guint, i) > 0)
        {
          /* A heading of the reference list ("Inset boxes") */
          current = NULL;
          continue;
        }

      claim (ctx, i, "references");

      if ((entry = parse_ref_header (ctx->lines[i])) != NULL)
        {
          entry->line = i;
          g_ptr_array_add (entries, entry);
          current = entry;
          continue;
        }

      if (current == NULL)
        {
          report (ctx, CB_SEVERITY_WARNING, "stray-reference", i, NULL,
                  _("A citation in the reference list is not under any case study or inset box: “%s”"),
                  ctx->lines[i]);
          continue;
        }

      g_ptr_array_add (current->citations, g_strdup (ctx->lines[i]));
      g_array_append_val (current->citation_lines, i);
    }

  for (guint e = 0; e < entries->len; e++)
    {
      RefEntry *entry = g_ptr_array_index (entries, e);
      const char *header = ctx->lines[entry->line];
      CbItem *item = match_entry (ctx, entry, header);
      const char *item_id = item ? cb_item_get_id (item) : NULL;
      g_autoptr(GString) note = g_string_new (NULL);

      if (entry->malformed)
        {
          g_autofree char *quoted = quote_text (header);

          report (ctx, CB_SEVERITY_WARNING, "malformed-reference-label", entry->line, item_id,
                  _("Malformed label in the reference list: “%s” (a colon before the number)"), quoted);
        }

      if (item != NULL)
        {
          g_hash_table_add (ctx->referenced, g_strdup (item_id));

          /* A capitalised heading takes the reference list's letter case. */
          if (g_hash_table_contains (ctx->caps_titles, item_id) &&
              same_words (cb_item_get_title (item), entry->title))
            cb_item_set_title (item, entry->title);
        }

      if (entry->citations->len == 0)
        report (ctx, CB_SEVERITY_WARNING, "empty-reference-entry", entry->line, item_id,
                _("%s %s is listed in the reference list with no citation"),
                cb_item_kind_label (entry->kind), entry->number);

      for (guint c = 0; c < entry->citations->len; c++)
        {
          const char *text = g_ptr_array_index (entry->citations, c);
          guint line = g_array_index (entry->citation_lines, guint, c);
          g_autoptr(GError) parse_error = NULL;
          g_autoptr(CbReference) reference = cb_citation_parse (text, &parse_error);
          CbReference *record = NULL;

          if (reference == NULL)
            {
              g_autofree char *quoted = quote_text (text);

              report (ctx, CB_SEVERITY_WARNING, "placeholder-reference", line, item_id,
                      _("%s %s has a placeholder instead of a reference: “%s”"),
                      cb_item_kind_label (entry->kind), entry->number, quoted);
              if (note->len > 0)
                g_string_append_c (note, '\n');
              g_string_append (note, text);
              continue;
            }

          for (guint r = 0; r < records->len && record == NULL; r++)
            {
              CbReference *other = g_ptr_array_index (records, r);

              if (cb_reference_same_work (other, reference))
                record = other;
              else if (cb_reference_get_doi (other) && cb_reference_get_doi (reference) &&
                       same_words (cb_reference_get_title (other), cb_reference_get_title (reference)) &&
                       g_strcmp0 (cb_reference_get_year (other), cb_reference_get_year (reference)) == 0)
                report (ctx, CB_SEVERITY_WARNING, "doi-mismatch", line, item_id,
                        _("“%s” (%s) is cited with two different DOIs: %s (line %u) and %s"),
                        cb_reference_get_title (reference), cb_reference_get_year (reference),
                        cb_reference_get_doi (other),
                        GPOINTER_TO_UINT (g_hash_table_lookup (record_lines, other)),
                        cb_reference_get_doi (reference));
            }

          if (record != NULL)
            cb_reference_add_text (record, cb_reference_get_text (reference));
          else
            {
              g_autofree char *key = cb_citation_make_key (reference);
              guint count = GPOINTER_TO_UINT (g_hash_table_lookup (key_counts, key));

              g_hash_table_insert (key_counts, g_strdup (key), GUINT_TO_POINTER (count + 1));
              cb_reference_set_id (reference, key);
              record = g_object_ref (reference);
              g_ptr_array_add (records, record);
              g_hash_table_insert (record_lines, record, GUINT_TO_POINTER (line));
            }

          /* Ids are assigned once every record is known. */
          if (item != NULL)
            g_ptr_array_add (item_citations (item), record);
        }

      if (item != NULL && note->len > 0)
        cb_item_set_reference_note (item, note->str);
    }

  /* reference:<surname><year>, with a, b, ... where two works share it */
  for (guint r = 0; r < records->len; r++)
    {
      CbReference *record = g_ptr_array_index (records, r);
      const char *key = cb_reference_get_id (record);
      g_autofree char *id = NULL;

      if (GPOINTER_TO_UINT (g_hash_table_lookup (key_counts, key)) > 1)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (key_next, key));

          g_autofree char *suffix = letters_for (n);

          g_hash_table_insert (key_next, g_strdup (key), GUINT_TO_POINTER (n + 1));
          id = g_strdup_printf ("reference:%s%s", key, suffix);
        }
      else
        {
          id = g_strdup_printf ("reference:%s", key);
        }

      cb_reference_set_id (record, id);
    }

  for (guint r = 0; r < records->len; r++)
    {
      if (!cb_corpus_add_reference (ctx->corpus, g_object_ref (g_ptr_array_index (records, r)), error))
        return FALSE;
    }

  {
    GPtrArray *items = cb_corpus_get_items (ctx->corpus);

    for (guint i = 0; i < items->len; i++)
      {
        CbItem *item = g_ptr_array_index (items, i);
        GPtrArray *cites = g_object_get_data (G_OBJECT (item), "casebook-cites");

        for (guint c = 0; cites && c < cites->len; c++)
          cb_item_add_reference (item, cb_reference_get_id (g_ptr_array_index (cites, c)));
        g_object_set_data (G_OBJECT (item), "casebook-cites", NULL);

        if ((cb_item_get_kind (item) == CB_ITEM_KIND_CASE_STUDY ||
             cb_item_get_kind (item) == CB_ITEM_KIND_INSET_BOX) &&
            !g_hash_table_contains (ctx->referenced, cb_item_get_id (item)))
          report (ctx, CB_SEVERITY_WARNING, "missing-reference",
                  GPOINTER_TO_UINT (g_hash_table_lookup (ctx->item_lines, cb_item_get_id (item))),
                  cb_item_get_id (item), _("%s %s has no entry in the reference list"),
                  cb_item_kind_label (cb_item_get_kind (item)), cb_item_get_number (item));
      }
  }

  return TRUE;
}

/* Flaws visible in single lines: links to "#" and superscript citation
 * markers with no numbered list to point to. */
static void
scan_line_flaws (Ctx *ctx)
{
  g_autoptr(GRegex) link_regex = g_regex_new ("\\[([^\\]]*)\\]\\(#\\)", 0, 0, NULL);
  g_autoptr(GRegex) marker_regex = g_regex_new ("[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?", 0, 0, NULL);

  for (guint i = 1; i < ctx->n_lines; i++)
    {
      const char *owner = g_ptr_array_index (ctx->self->owners, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autoptr(GString) markers = NULL;
      const char *item = (owner && strchr (owner, ':') && !g_str_has_prefix (owner, "chapter:")) ? owner : NULL;

      if (g_regex_match (link_regex, ctx->lines[i], 0, &match))
        {
          do
            {
              g_autofree char *label = g_match_info_fetch (match, 1);
              g_autoptr(GPtrArray) spans = cb_spans_parse_inline (label);
              g_autofree char *plain = cb_spans_to_text (spans);

              report (ctx, CB_SEVERITY_WARNING, "placeholder-link", i, item,
                      _("The link “%s” has no target (#)"), plain);
            }
          while (g_match_info_next (match, NULL));
        }
      g_clear_pointer (&match, g_match_info_free);

      if (g_regex_match (marker_regex, ctx->lines[i], 0, &match))
        {
          markers = g_string_new (NULL);
          do
            {
              g_autofree char *marker = g_match_info_fetch (match, 0);

              if (markers->len > 0)
                g_string_append (markers, ", ");
              g_string_append (markers, marker);
            }
          while (g_match_info_next (match, NULL));

          report (ctx, CB_SEVERITY_WARNING, "citation-marker", i, item,
                  _("Citation markers %s point to a numbered reference list the guide does not have"),
                  markers->str);
        }
    }
}

/* Contents list and regions */

typedef struct {
  CbContentsKind kind;
  char          *number;
  char          *title;     /* without the number */
  char          *heading;   /* the line as written */
  guint          page;
  guint          contents_line;
  guint          body_line;
} Heading;

static void
heading_free (Heading *heading)
{
  g_free (heading->number);
  g_free (heading->title);
  g_free (heading->heading);
  g_free (heading);
}

static GPtrArray *
parse_contents (Ctx     *ctx,
                guint    contents_line,
                guint   *after,
                GError **error)
{
  g_autoptr(GRegex) chapter_regex = g_regex_new ("^Chapter ([0-9]+): (.+)$", 0, 0, NULL);
  g_autoptr(GRegex) section_regex = g_regex_new ("^([0-9]+\\.[0-9]+) (.+)$", 0, 0, NULL);
  GPtrArray *headings = g_ptr_array_new_with_free_func ((GDestroyNotify) heading_free);
  gboolean seen_chapter = FALSE;
  guint i;

  for (i = contents_line + 1; i < ctx->n_lines; i++)
    {
      g_auto(GStrv) parts = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      Heading *heading;
      char *end;
      guint64 page;

      if (is_blank (ctx, i))
        continue;
      if (!is_table_line (ctx->lines[i]))
        break;

      parts = g_strsplit (ctx->lines[i], "\t", 2);
      page = g_ascii_strtoull (g_strstrip (parts[1]), &end, 10);
      if (*end != '\0' || page == 0 || page > 100000)
        {
          g_autofree char *quoted = quote_text (ctx->lines[i]);

          g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                       _("Line %u: a contents entry must end with a page number: “%s”"), i, quoted);
          g_ptr_array_unref (headings);
          return NULL;
        }

      heading = g_new0 (Heading, 1);
      heading->heading = g_strstrip (g_strdup (parts[0]));
      heading->page = (guint) page;
      heading->contents_line = i;
      claim (ctx, i, "contents");

      if (g_regex_match (chapter_regex, heading->heading, 0, &match))
        {
          heading->kind = CB_CONTENTS_CHAPTER;
          heading->number = g_match_info_fetch (match, 1);
          heading->title = g_match_info_fetch (match, 2);
          seen_chapter = TRUE;
        }
      g_clear_pointer (&match, g_match_info_free);

      if (heading->kind != CB_CONTENTS_CHAPTER)
        {
          if (seen_chapter && g_regex_match (section_regex, heading->heading, 0, &match))
            {
              heading->kind = CB_CONTENTS_SECTION;
              heading->number = g_match_info_fetch (match, 1);
              heading->title = g_match_info_fetch (match, 2);
            }
          else
            {
              heading->kind = seen_chapter ? CB_CONTENTS_BACK : CB_CONTENTS_FRONT;
              heading->title = g_strdup (heading->heading);
            }
        }

      g_ptr_array_add (headings, heading);
    }

  if (headings->len == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("Line %u: the contents list is empty"), contents_line);
      g_ptr_array_unref (headings);
      return NULL;
    }

  *after = i;

  return headings;
}

static CbItem *
section_item_new (Ctx        *ctx,
                  const char *key,
                  const char *title,
                  const char *number,
                  guint       chapter,
                  guint       page,
                  guint       line)
{
  CbItem *item = item_new (ctx, CB_ITEM_KIND_SECTION, key, title, NULL, line);

  cb_item_set_number (item, number);
  cb_item_set_chapter (item, chapter);
  cb_item_set_section (item, number);
  cb_item_set_page (item, page);
  cb_item_add_part (item, cb_part_new ("body"));

  return item;
}

/* Merge with the curated corpus */

static void
note_merge (CbGuideImporter *self,
            const char      *code,
            const char      *item,
            const char      *message)
{
  g_ptr_array_add (self->merge_notes, cb_anomaly_new (CB_SEVERITY_INFO, code, 0, item, message));
}

static void
add_text_change (CbRevision *revision,
                 CbItem     *before,
                 CbItem     *after)
{
  GPtrArray *parts = cb_item_get_parts (after);

  if (g_strcmp0 (cb_item_get_title (before), cb_item_get_title (after)) != 0)
    cb_revision_add_change (revision, "title", cb_item_get_title (before), cb_item_get_title (after));

  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);
      CbPart *old = cb_item_get_part (before, part->name);
      g_autofree char *field = g_strconcat ("part:", part->name, NULL);
      g_autofree char *old_text = cb_item_get_part_text (before, part->name);
      g_autofree char *new_text = cb_item_get_part_text (after, part->name);

      if (old == NULL || !cb_part_equal (old, part))
        cb_revision_add_change (revision, field, old_text, new_text);
    }

  parts = cb_item_get_parts (before);
  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);

      if (cb_item_get_part (after, part->name) == NULL)
        {
          g_autofree char *field = g_strconcat ("part:", part->name, NULL);
          g_autofree char *old_text = cb_item_get_part_text (before, part->name);

          cb_revision_add_change (revision, field, old_text, NULL);
        }
    }
}

/* A kept item cites references of the base. Ids are given anew at every
 * import, so map each to the new record of the same work, or bring the old
 * record over under an id no other work has. */
static void
keep_references (Ctx    *ctx,
                 CbItem *kept)
{
  g_autoptr(GPtrArray) old_ids = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *records = cb_corpus_get_references (ctx->corpus);

  for (guint r = 0; r < cb_item_get_references (kept)->len; r++)
    g_ptr_array_add (old_ids, g_strdup (g_ptr_array_index (cb_item_get_references (kept), r)));
  cb_item_clear_references (kept);

  for (guint r = 0; r < old_ids->len; r++)
    {
      const char *old_id = g_ptr_array_index (old_ids, r);
      CbReference *old = cb_corpus_lookup_reference (ctx->self->base, old_id);
      CbReference *match = NULL;

      if (old == NULL)
        {
          cb_item_add_reference (kept, old_id);
          continue;
        }

      for (guint i = 0; i < records->len && match == NULL; i++)
        {
          if (cb_reference_same_work (g_ptr_array_index (records, i), old))
            match = g_ptr_array_index (records, i);
        }

      if (match == NULL)
        {
          g_autoptr(CbReference) copy = cb_reference_copy (old);
          g_autofree char *id = g_strdup (old_id);

          for (guint n = 0; cb_corpus_lookup_reference (ctx->corpus, id) != NULL; n++)
            {
              g_autofree char *suffix = letters_for (n);

              g_free (id);
              id = g_strconcat (old_id, suffix, NULL);
            }

          cb_reference_set_id (copy, id);
          match = copy;
          cb_corpus_add_reference (ctx->corpus, g_steal_pointer (&copy), NULL);
        }

      cb_item_add_reference (kept, cb_reference_get_id (match));
    }
}

static void
merge_base (Ctx *ctx)
{
  CbGuideImporter *self = ctx->self;
  GPtrArray *items = cb_corpus_get_items (ctx->corpus);
  GPtrArray *base_items;
  g_autoptr(GHashTable) matched = g_hash_table_new (NULL, NULL);
  g_autofree char *summary = g_strdup_printf (_("Imported from the guide text (%s)"),
                                              cb_corpus_get_source_name (ctx->corpus));

  if (self->base == NULL)
    {
      for (guint i = 0; i < items->len; i++)
        cb_item_add_revision (g_ptr_array_index (items, i),
                              cb_revision_new (self->timestamp, self->author, summary));
      return;
    }

  base_items = cb_corpus_get_items (self->base);

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);
      CbItem *old = cb_corpus_lookup_item (self->base, cb_item_get_id (item));
      GPtrArray *history;

      if (old != NULL && g_hash_table_contains (matched, old))
        old = NULL;

      if (old == NULL)
        {
          /* Renumbered: the same kind and title under another number */
          for (guint j = 0; j < base_items->len && old == NULL; j++)
            {
              CbItem *candidate = g_ptr_array_index (base_items, j);

              if (cb_item_get_kind (candidate) == cb_item_get_kind (item) &&
                  g_str_equal (cb_item_get_origin (candidate), "guide") &&
                  !g_hash_table_contains (matched, candidate) &&
                  cb_corpus_lookup_item (ctx->corpus, cb_item_get_id (candidate)) == NULL &&
                  same_words (cb_item_get_title (candidate), cb_item_get_title (item)))
                {
                  g_autofree char *message = g_strdup_printf (_("%s is now %s"), cb_item_get_id (candidate),
                                                              cb_item_get_id (item));

                  old = candidate;
                  note_merge (self, "renumbered", cb_item_get_id (item), message);
                }
            }
        }

      if (old == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("New in this edition: %s"), cb_item_get_title (item));

          cb_item_add_revision (item, cb_revision_new (self->timestamp, self->author, summary));
          note_merge (self, "new", cb_item_get_id (item), message);
          continue;
        }

      g_hash_table_add (matched, old);

      /* A librarian's correction of letter case survives. */
      if (cb_item_get_title (old) != NULL && cb_item_get_title (item) != NULL)
        {
          g_autofree char *a = g_utf8_casefold (cb_item_get_title (old), -1);
          g_autofree char *b = g_utf8_casefold (cb_item_get_title (item), -1);

          if (g_str_equal (a, b))
            cb_item_set_title (item, cb_item_get_title (old));
        }

      cb_item_clear_metadata (item);
      for (guint c = 0; c < cb_item_get_countries (old)->len; c++)
        cb_item_add_country (item, g_ptr_array_index (cb_item_get_countries (old), c));
      for (guint c = 0; c < cb_item_get_interventions (old)->len; c++)
        cb_item_add_intervention (item, g_ptr_array_index (cb_item_get_interventions (old), c));
      cb_item_set_design (item, cb_item_get_design (old));
      cb_item_set_status (item, cb_item_get_status (old));

      history = cb_item_get_history (old);
      for (guint h = 0; h < history->len; h++)
        cb_item_add_revision (item, cb_revision_copy (g_ptr_array_index (history, h)));

      if (!cb_item_same_text (old, item))
        {
          g_autoptr(CbRevision) revision = cb_revision_new (self->timestamp, self->author,
                                                            _("Text changed in the new edition of the guide"));
          g_autofree char *message = g_strdup_printf (_("Text changed: %s"), cb_item_get_title (item));

          add_text_change (revision, old, item);
          cb_item_add_revision (item, g_steal_pointer (&revision));
          note_merge (self, "changed", cb_item_get_id (item), message);
        }
    }

  /* Items the new text no longer has: a librarian's own items stay as
   * they are; guide items stay, retired, so packs and history keep them. */
  for (guint j = 0; j < base_items->len; j++)
    {
      CbItem *old = g_ptr_array_index (base_items, j);
      g_autoptr(CbItem) kept = NULL;

      if (g_hash_table_contains (matched, old) || cb_corpus_lookup_item (ctx->corpus, cb_item_get_id (old)))
        continue;

      kept = cb_item_copy (old);
      if (g_str_equal (cb_item_get_origin (old), "guide"))
        {
          g_autofree char *message = g_strdup_printf (_("No longer in the guide: %s"), cb_item_get_title (old));

          note_merge (self, "vanished", cb_item_get_id (old), message);
          if (cb_item_get_status (kept) != CB_ITEM_STATUS_RETIRED)
            {
              cb_item_set_status (kept, CB_ITEM_STATUS_RETIRED);
              cb_item_add_revision (kept, cb_revision_new (self->timestamp, self->author,
                                                           _("Retired: no longer in the guide text")));
            }
        }

      keep_references (ctx, kept);

      cb_corpus_add_item (ctx->corpus, g_steal_pointer (&kept), NULL);
    }
}

/* The importer */

static void
cb_guide_importer_finalize (GObject *object)
{
  CbGuideImporter *self = (CbGuideImporter *) object;

  g_clear_object (&self->base);
  g_free (self->timestamp);
  g_free (self->author);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  g_clear_pointer (&self->claims, g_array_unref);
  g_clear_pointer (&self->merge_notes, g_ptr_array_unref);

  G_OBJECT_CLASS (cb_guide_importer_parent_class)->finalize (object);
}

static void
cb_guide_importer_class_init (CbGuideImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_guide_importer_finalize;
}

static void
cb_guide_importer_init (CbGuideImporter *self)
{
  self->timestamp = cb_now_timestamp ();
  self->author = g_strdup ("casebook import-guide");
  self->merge_notes = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_anomaly_free);
}

CbGuideImporter *
cb_guide_importer_new (void)
{
  return g_object_new (CB_TYPE_GUIDE_IMPORTER, NULL);
}

/**
 * cb_now_timestamp:
 *
 * Returns: (transfer full): the current UTC time as ISO 8601, or the time
 *   `$SOURCE_DATE_EPOCH` gives, for reproducible output
 */
char *
cb_now_timestamp (void)
{
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  g_autoptr(GDateTime) now = NULL;

  if (epoch != NULL && *epoch != '\0')
    now = g_date_time_new_from_unix_utc (g_ascii_strtoll (epoch, NULL, 10));
  if (now == NULL)
    now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * cb_guide_importer_set_base:
 * @self: an importer
 * @base: (nullable): the curated corpus whose curation to keep
 */
void
cb_guide_importer_set_base (CbGuideImporter *self,
                            CbCorpus        *base)
{
  g_return_if_fail (CB_IS_GUIDE_IMPORTER (self));
  g_return_if_fail (base == NULL || CB_IS_CORPUS (base));

  g_set_object (&self->base, base);
}

void
cb_guide_importer_set_timestamp (CbGuideImporter *self,
                                 const char      *timestamp)
{
  g_return_if_fail (CB_IS_GUIDE_IMPORTER (self));
  g_return_if_fail (timestamp != NULL);

  g_free (self->timestamp);
  self->timestamp = g_strdup (timestamp);
}

void
cb_guide_importer_set_author (CbGuideImporter *self,
                              const char      *author)
{
  g_return_if_fail (CB_IS_GUIDE_IMPORTER (self));
  g_return_if_fail (author != NULL);

  g_free (self->author);
  self->author = g_strdup (author);
}

static gboolean
split_lines (CbGuideImporter  *self,
             const char       *data,
             gsize             len,
             const char       *source_name,
             GError          **error)
{
  const char *end_valid;
  const char *p = data;
  const char *end = data + len;
  guint line = 1;

  if (!g_utf8_validate (data, len, &end_valid))
    {
      guint bad_line = 1;
      const char *line_start = data;

      for (const char *q = data; q < end_valid; q++)
        {
          if (*q == '\n')
            {
              bad_line++;
              line_start = q + 1;
            }
        }

      g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                   _("%s:%u:%u: the guide text is not valid UTF-8 (byte 0x%02x)"),
                   source_name, bad_line, (guint) g_utf8_strlen (line_start, end_valid - line_start) + 1,
                   (guint) (guchar) *end_valid);
      return FALSE;
    }

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  g_clear_pointer (&self->claims, g_array_unref);
  g_ptr_array_set_size (self->merge_notes, 0);

  self->lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->lines, g_strdup (""));

  while (p < end)
    {
      const char *nl = p;
      const char *stop;
      char *text;
      gunichar bad;

      /* Lines end with \n, \r\n or a lone \r */
      while (nl < end && *nl != '\n' && *nl != '\r')
        nl++;
      stop = nl;
      if (nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n')
        nl++;
      if (nl >= end)
        nl = NULL;
      text = g_strndup (p, stop - p);

      if (!cb_text_is_xml_safe (text, &bad))
        {
          const char *where = text;
          guint column = 1;

          for (; *where && g_utf8_get_char (where) != bad; where = g_utf8_next_char (where))
            column++;
          g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                       _("%s:%u:%u: the guide text holds a control character (U+%04X)"),
                       source_name, line, column, bad);
          g_free (text);
          return FALSE;
        }

      g_strstrip (text);
      /* A line of only no-break spaces is blank too. */
      if (g_str_equal (text, "\xc2\xa0"))
        text[0] = '\0';
      g_ptr_array_add (self->lines, text);
      p = nl ? nl + 1 : end;
      line++;
    }

  self->owners = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_set_size (self->owners, self->lines->len);
  self->claims = g_array_new (FALSE, TRUE, sizeof (guint));
  g_array_set_size (self->claims, self->lines->len);

  return TRUE;
}

static guint
find_line (Ctx        *ctx,
           guint       from,
           const char *text)
{
  for (guint i = from; i < ctx->n_lines; i++)
    {
      if (g_str_equal (ctx->lines[i], text))
        return i;
    }

  return 0;
}

static gboolean
import_lines (Ctx     *ctx,
              GError **error)
{
  g_autoptr(GPtrArray) headings = NULL;
  guint first = 0, second = 0, contents_line, after_contents, pos;
  guint references_index = G_MAXUINT;
  guint acknowledgements;

  /* Title and subtitle */
  for (guint i = 1; i < ctx->n_lines && second == 0; i++)
    {
      if (is_blank (ctx, i))
        continue;
      if (first == 0)
        first = i;
      else
        second = i;
    }

  contents_line = find_line (ctx, 1, "Contents");
  if (first == 0 || second == 0 || contents_line == 0 || contents_line < second)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                   first == 0 ? _("The guide text is empty")
                              : _("The guide text has no “Contents” list after its title"));
      return FALSE;
    }

  cb_corpus_set_title (ctx->corpus, ctx->lines[first]);
  cb_corpus_set_subtitle (ctx->corpus, ctx->lines[second]);
  claim (ctx, first, "guide");
  claim (ctx, second, "guide");
  claim (ctx, contents_line, "contents");

  /* Anything between the subtitle and the contents (the list of experts) */
  {
    g_autoptr(GPtrArray) raws = tokenize (ctx, second + 1, contents_line);

    if (raws->len > 0)
      {
        Raw *head = g_ptr_array_index (raws, 0);
        g_autofree char *key = NULL;
        CbItem *item;

        if (raw_is_heading_like (head))
          {
            key = slugify (head->text);
            if (*key == '\0')
              {
                g_free (key);
                key = g_strdup_printf ("section-%u", raw_first_line (head));
              }
            item = section_item_new (ctx, key, head->text, NULL, 0, 0, raw_first_line (head));
            claim_raw (ctx, head, cb_item_get_id (item));
            g_ptr_array_remove_index (raws, 0);
          }
        else
          {
            item = section_item_new (ctx, "front-matter", _("Front matter"), NULL, 0, 0, raw_first_line (head));
          }

        if (!parse_plain_section (ctx, raws, item, TRUE, error))
          {
            g_object_unref (item);
            return FALSE;
          }
        if (!add_item (ctx, item, error))
          return FALSE;
      }
  }

  headings = parse_contents (ctx, contents_line, &after_contents, error);
  if (headings == NULL)
    return FALSE;

  /* Find every heading in the body, in order. */
  pos = after_contents;
  for (guint h = 0; h < headings->len; h++)
    {
      Heading *heading = g_ptr_array_index (headings, h);
      guint line = find_line (ctx, pos, heading->heading);

      if (line == 0)
        {
          g_autofree char *quoted = quote_text (heading->heading);

          g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                       _("The heading “%s” (contents, line %u) is not in the text after line %u; "
                         "the guide text may be truncated"),
                       quoted, heading->contents_line, pos);
          return FALSE;
        }

      heading->body_line = line;
      pos = line + 1;

      cb_corpus_add_contents_entry (ctx->corpus, heading->kind, heading->number, heading->title, heading->page);
      if (heading->kind == CB_CONTENTS_BACK && g_str_equal (heading->title, "References"))
        references_index = h;
    }

  if (references_index == G_MAXUINT)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("The contents list has no “References” entry"));
      return FALSE;
    }

  acknowledgements = find_line (ctx, ((Heading *) g_ptr_array_index (headings, headings->len - 1))->body_line + 1,
                                "Acknowledgements");

  for (guint h = 0; h < headings->len; h++)
    {
      Heading *heading = g_ptr_array_index (headings, h);
      guint start = heading->body_line + 1;
      guint end = h + 1 < headings->len ? ((Heading *) g_ptr_array_index (headings, h + 1))->body_line
                                        : (acknowledgements ? acknowledgements : ctx->n_lines);
      g_autoptr(GPtrArray) raws = NULL;

      if (h >= references_index)
        {
          claim (ctx, heading->body_line, "references");
          if (h + 1 == headings->len && !parse_reference_list (ctx, references_index < headings->len ?
                                                                ((Heading *) g_ptr_array_index (headings, references_index))->body_line + 1 : start,
                                                                end, error))
            return FALSE;
          continue;
        }

      raws = tokenize (ctx, start, end);

      if (heading->kind == CB_CONTENTS_CHAPTER)
        {
          g_autofree char *owner = g_strconcat ("chapter:", heading->number, NULL);

          claim (ctx, heading->body_line, owner);
          if (raws->len > 0)
            {
              CbItem *item = section_item_new (ctx, heading->number, heading->title, heading->number,
                                               (guint) g_ascii_strtoull (heading->number, NULL, 10),
                                               heading->page, heading->body_line);

              if (!parse_plain_section (ctx, raws, item, FALSE, error) || !add_item (ctx, item, error))
                return FALSE;
            }
        }
      else if (heading->kind == CB_CONTENTS_SECTION)
        {
          SectionInfo info = {
            .chapter = (guint) g_ascii_strtoull (heading->number, NULL, 10),
            .number = heading->number,
            .title = heading->title,
            .page = heading->page,
          };
          CbItem *item = section_item_new (ctx, heading->number, heading->title, heading->number,
                                           info.chapter, heading->page, heading->body_line);

          claim (ctx, heading->body_line, cb_item_get_id (item));

          /* The section item goes first so that guide order holds. */
          if (!add_item (ctx, item, error) || !parse_chapter_section (ctx, raws, &info, item, error))
            return FALSE;
        }
      else
        {
          g_autofree char *slug = slugify (heading->title);
          g_autofree char *key = *slug ? g_steal_pointer (&slug) : g_strdup_printf ("section-%u", heading->body_line);
          CbItem *item = section_item_new (ctx, key, heading->title, NULL, 0, heading->page, heading->body_line);

          claim (ctx, heading->body_line, cb_item_get_id (item));
          if (!add_item (ctx, item, error))
            return FALSE;

          if (g_str_equal (heading->title, "Next Steps"))
            {
              if (!parse_next_steps (ctx, raws, item, error))
                return FALSE;
            }
          else if (!parse_plain_section (ctx, raws, item, heading->kind == CB_CONTENTS_FRONT, error))
            {
              return FALSE;
            }
        }
    }

  if (acknowledgements != 0)
    {
      g_autoptr(GPtrArray) raws = tokenize (ctx, acknowledgements + 1, ctx->n_lines);
      CbItem *item = section_item_new (ctx, "acknowledgements", "Acknowledgements", NULL, 0, 0, acknowledgements);

      claim (ctx, acknowledgements, cb_item_get_id (item));
      if (!add_item (ctx, item, error) || !parse_plain_section (ctx, raws, item, FALSE, error))
        return FALSE;
    }

  scan_line_flaws (ctx);

  return TRUE;
}

/**
 * cb_guide_importer_import_bytes:
 * @self: an importer
 * @data: the guide text, UTF-8
 * @len: its length
 * @source_name: the file name, for messages and the corpus's record
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the corpus, or %NULL if the text is not valid
 *   UTF-8, is empty, lacks its contents list, is truncated (a heading the
 *   contents list promises is missing) or names an item twice
 */
CbCorpus *
cb_guide_importer_import_bytes (CbGuideImporter  *self,
                                const char       *data,
                                gsize             len,
                                const char       *source_name,
                                GError          **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *base_name = NULL;
  Ctx ctx = { 0 };
  gboolean ok;

  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (source_name == NULL)
    source_name = "guide.txt";

  if (len == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("%s: the guide text is empty"), source_name);
      return NULL;
    }

  if (!split_lines (self, data, len, source_name, error))
    return NULL;

  corpus = cb_corpus_new ();
  checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
  base_name = g_path_get_basename (source_name);
  cb_corpus_set_source (corpus, base_name, checksum);
  cb_corpus_set_publisher (corpus, "NHS Race & Health Observatory");

  ctx.self = self;
  ctx.corpus = corpus;
  ctx.lines = (char **) self->lines->pdata;
  ctx.n_lines = self->lines->len;
  ctx.item_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx.referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx.caps_titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ok = import_lines (&ctx, error);
  if (ok)
    merge_base (&ctx);

  g_hash_table_unref (ctx.item_lines);
  g_hash_table_unref (ctx.referenced);
  g_hash_table_unref (ctx.caps_titles);

  if (!ok)
    {
      g_prefix_error (error, "%s: ", source_name);
      return NULL;
    }

  return g_steal_pointer (&corpus);
}

/**
 * cb_guide_importer_import_file:
 * @self: an importer
 * @path: the guide text file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the corpus
 */
CbCorpus *
cb_guide_importer_import_file (CbGuideImporter  *self,
                               const char       *path,
                               GError          **error)
{
  g_autofree char *data = NULL;
  gsize len;
  GError *local_error = NULL;

  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, &local_error))
    {
      g_set_error (error, CB_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? CB_ERROR_NOT_FOUND : CB_ERROR_IO,
                   "%s", local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  return cb_guide_importer_import_bytes (self, data, len, path, error);
}

/**
 * cb_guide_importer_get_n_lines:
 * @self: an importer
 *
 * Returns: the number of lines of the last import, plus one (lines count
 *   from 1)
 */
guint
cb_guide_importer_get_n_lines (CbGuideImporter *self)
{
  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), 0);

  return self->lines ? self->lines->len : 0;
}

const char *
cb_guide_importer_get_line_text (CbGuideImporter *self,
                                 guint            line)
{
  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), NULL);
  g_return_val_if_fail (self->lines != NULL && line < self->lines->len, NULL);

  return g_ptr_array_index (self->lines, line);
}

/**
 * cb_guide_importer_get_line_owner:
 * @self: an importer
 * @line: a line number of the last import
 *
 * Returns: (nullable): where the line landed: an item id, "chapter:N",
 *   "contents", "references" or "guide" (title and subtitle)
 */
const char *
cb_guide_importer_get_line_owner (CbGuideImporter *self,
                                  guint            line)
{
  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), NULL);
  g_return_val_if_fail (self->owners != NULL && line < self->owners->len, NULL);

  return g_ptr_array_index (self->owners, line);
}

/**
 * cb_guide_importer_get_line_claims:
 * @self: an importer
 * @line: a line number of the last import
 *
 * Returns: how many places of the model took the line (1 for every
 *   non-blank line when nothing is lost or doubled)
 */
guint
cb_guide_importer_get_line_claims (CbGuideImporter *self,
                                   guint            line)
{
  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), 0);
  g_return_val_if_fail (self->claims != NULL && line < self->claims->len, 0);

  return g_array_index (self->claims, guint, line);
}

/**
 * cb_guide_importer_get_merge_notes:
 * @self: an importer
 *
 * Returns: (transfer none) (element-type CbAnomaly): what a merge with the
 *   base found: new, changed, renumbered and vanished items
 */
GPtrArray *
cb_guide_importer_get_merge_notes (CbGuideImporter *self)
{
  g_return_val_if_fail (CB_IS_GUIDE_IMPORTER (self), NULL);

  return self->merge_notes;
}
