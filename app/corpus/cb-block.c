/* cb-block.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-block.h"
#include "cb-error.h"

CbSpan *
cb_span_new (const char  *text,
             CbSpanFlags  flags,
             const char  *href)
{
  CbSpan *span = g_new0 (CbSpan, 1);

  span->text = g_strdup (text ? text : "");
  span->flags = flags;
  span->href = g_strdup (href);

  return span;
}

void
cb_span_free (CbSpan *span)
{
  if (span == NULL)
    return;

  g_free (span->text);
  g_free (span->href);
  g_free (span);
}

static CbSpan *
cb_span_copy (const CbSpan *span)
{
  return cb_span_new (span->text, span->flags, span->href);
}

GPtrArray *
cb_spans_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cb_span_free);
}

static GPtrArray *
cb_spans_copy (GPtrArray *spans)
{
  GPtrArray *copy;

  if (spans == NULL)
    return NULL;

  copy = cb_spans_new ();
  for (guint i = 0; i < spans->len; i++)
    g_ptr_array_add (copy, cb_span_copy (g_ptr_array_index (spans, i)));

  return copy;
}

static gboolean
cb_span_same_style (const CbSpan *a,
                    const CbSpan *b)
{
  return a->flags == b->flags && g_strcmp0 (a->href, b->href) == 0;
}

gboolean
cb_spans_equal (GPtrArray *a,
                GPtrArray *b)
{
  guint len_a = a ? a->len : 0;
  guint len_b = b ? b->len : 0;

  if (len_a != len_b)
    return FALSE;

  for (guint i = 0; i < len_a; i++)
    {
      const CbSpan *sa = g_ptr_array_index (a, i);
      const CbSpan *sb = g_ptr_array_index (b, i);

      if (!cb_span_same_style (sa, sb) || g_strcmp0 (sa->text, sb->text) != 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * cb_spans_normalize:
 * @spans: (element-type CbSpan): spans
 *
 * Merges neighbours of the same style and drops empty spans, so that equal
 * text always has one representation. One pass, so long runs of spans cost
 * linear time.
 */
void
cb_spans_normalize (GPtrArray *spans)
{
  g_autoptr(GString) text = NULL;
  CbSpan *current = NULL;
  guint out = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      CbSpan *span = g_ptr_array_index (spans, i);

      if (span->text[0] == '\0')
        {
          cb_span_free (span);
          continue;
        }

      if (current != NULL && cb_span_same_style (current, span))
        {
          if (text == NULL)
            text = g_string_new (current->text);
          g_string_append (text, span->text);
          cb_span_free (span);
          continue;
        }

      if (current != NULL && text != NULL)
        {
          g_free (current->text);
          current->text = g_string_free (g_steal_pointer (&text), FALSE);
        }

      current = span;
      spans->pdata[out++] = span;
    }

  if (current != NULL && text != NULL)
    {
      g_free (current->text);
      current->text = g_string_free (g_steal_pointer (&text), FALSE);
    }

  /* The dropped spans are freed already: shrink without freeing again. */
  g_ptr_array_set_free_func (spans, NULL);
  g_ptr_array_set_size (spans, out);
  g_ptr_array_set_free_func (spans, (GDestroyNotify) cb_span_free);
}

void
cb_spans_append_text (GPtrArray *spans,
                      GString   *out)
{
  if (spans == NULL)
    return;

  for (guint i = 0; i < spans->len; i++)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);

      g_string_append (out, span->text);
    }
}

char *
cb_spans_to_text (GPtrArray *spans)
{
  GString *out = g_string_new (NULL);

  cb_spans_append_text (spans, out);

  return g_string_free (out, FALSE);
}

/* Inline syntax of the guide text: **strong**, *emphasis*, [label](target)
 * and <https://autolinks>. Markers without a partner stay literal text.
 *
 * Each level of the parse remembers, per closing marker, the first position
 * from which a search found nothing: a later search from further on cannot
 * succeed, so a long line full of unclosed openers stays linear. */

enum {
  MEMO_STRONG,
  MEMO_EMPHASIS,
  MEMO_LINK_MIDDLE,
  MEMO_LINK_CLOSE,
  MEMO_AUTOLINK,
  N_MEMOS
};

static void parse_inline_range (const char  *text,
                                gsize        start,
                                gsize        end,
                                CbSpanFlags  flags,
                                const char  *href,
                                GPtrArray   *out);

static void
flush_literal (GString     *buf,
               CbSpanFlags  flags,
               const char  *href,
               GPtrArray   *out)
{
  if (buf->len == 0)
    return;

  g_ptr_array_add (out, cb_span_new (buf->str, flags, href));
  g_string_truncate (buf, 0);
}

static const char *
find_in_range (const char *text,
               gsize       from,
               gsize       end,
               const char *needle,
               gsize      *failed_from)
{
  gsize needle_len = strlen (needle);

  if (from >= *failed_from)
    return NULL;

  for (gsize i = from; i + needle_len <= end; i++)
    {
      if (memcmp (text + i, needle, needle_len) == 0)
        return text + i;
    }

  *failed_from = from;

  return NULL;
}

static guint
count_stars (const char *from,
             const char *to)
{
  guint n = 0;

  for (const char *p = from; p < to; p++)
    n += *p == '*';

  return n;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n';
}

static void
parse_inline_range (const char  *text,
                    gsize        start,
                    gsize        end,
                    CbSpanFlags  flags,
                    const char  *href,
                    GPtrArray   *out)
{
  g_autoptr(GString) buf = g_string_new (NULL);
  gsize memo[N_MEMOS];
  gsize i = start;

  for (guint m = 0; m < N_MEMOS; m++)
    memo[m] = G_MAXSIZE;

  while (i < end)
    {
      char c = text[i];

      if (c == '*' && i + 1 < end && text[i + 1] == '*')
        {
          const char *close = find_in_range (text, i + 2, end, "**", &memo[MEMO_STRONG]);

          /* "***x***": when the strong text holds an unclosed emphasis
           * marker and the closer is the start of a run of three, the
           * emphasis closes first and the last two close the strong text. */
          if (close != NULL && (gsize) (close - text) + 2 < end && close[2] == '*' &&
              count_stars (text + i + 2, close) % 2 == 1)
            close++;

          if (close != NULL && (gsize) (close - text) > i + 2)
            {
              flush_literal (buf, flags, href, out);
              parse_inline_range (text, i + 2, close - text, flags | CB_SPAN_STRONG, href, out);
              i = (close - text) + 2;
              continue;
            }
        }
      else if (c == '*' && i + 1 < end && !is_space (text[i + 1]) && i + 1 < memo[MEMO_EMPHASIS])
        {
          guint pairs = 0;
          gsize j;

          /* "**" inside emphasis opens or closes strong text; a run of
           * three while no strong text is open closes the emphasis and
           * opens strong text ("*a***b**"). */
          for (j = i + 1; j < end; j++)
            {
              if (text[j] == '*')
                {
                  if (j + 1 < end && text[j + 1] == '*')
                    {
                      if (pairs % 2 == 0 && j + 2 < end && text[j + 2] == '*')
                        break;
                      pairs++;
                      j++;
                      continue;
                    }
                  break;
                }
            }

          if (j >= end)
            memo[MEMO_EMPHASIS] = i + 1;

          if (j < end && !is_space (text[j - 1]))
            {
              flush_literal (buf, flags, href, out);
              parse_inline_range (text, i + 1, j, flags | CB_SPAN_EMPHASIS, href, out);
              i = j + 1;
              continue;
            }
        }
      else if (c == '[' && href == NULL)
        {
          const char *mid = find_in_range (text, i + 1, end, "](", &memo[MEMO_LINK_MIDDLE]);
          const char *close = mid ? find_in_range (text, (mid - text) + 2, end, ")", &memo[MEMO_LINK_CLOSE]) : NULL;

          if (close != NULL)
            {
              g_autofree char *target = g_strndup (mid + 2, close - (mid + 2));

              if (target[0] != '\0' && strpbrk (target, " \t") == NULL)
                {
                  flush_literal (buf, flags, href, out);
                  parse_inline_range (text, i + 1, mid - text, flags, target, out);
                  i = (close - text) + 1;
                  continue;
                }
            }
        }
      else if (c == '<' && href == NULL &&
               (g_str_has_prefix (text + i, "<https://") || g_str_has_prefix (text + i, "<http://")))
        {
          const char *close = find_in_range (text, i + 1, end, ">", &memo[MEMO_AUTOLINK]);

          if (close != NULL)
            {
              g_autofree char *url = g_strndup (text + i + 1, close - (text + i + 1));

              if (strpbrk (url, " \t<") == NULL)
                {
                  flush_literal (buf, flags, href, out);
                  g_ptr_array_add (out, cb_span_new (url, flags, url));
                  i = (close - text) + 1;
                  continue;
                }
            }
        }

      g_string_append_c (buf, c);
      i++;
    }

  flush_literal (buf, flags, href, out);
}

/**
 * cb_spans_parse_inline:
 * @text: a line of guide text
 *
 * Returns: (transfer full) (element-type CbSpan): the spans of @text
 */
GPtrArray *
cb_spans_parse_inline (const char *text)
{
  GPtrArray *spans = cb_spans_new ();

  g_return_val_if_fail (text != NULL, spans);

  parse_inline_range (text, 0, strlen (text), CB_SPAN_PLAIN, NULL, spans);
  cb_spans_normalize (spans);

  return spans;
}

G_DEFINE_BOXED_TYPE (CbBlock, cb_block, cb_block_copy, cb_block_free)

CbBlock *
cb_block_new (CbBlockKind kind)
{
  CbBlock *block = g_new0 (CbBlock, 1);

  block->kind = kind;

  switch (kind)
    {
    case CB_BLOCK_PARAGRAPH:
    case CB_BLOCK_HEADING:
    case CB_BLOCK_LIST_ITEM:
      block->spans = cb_spans_new ();
      break;

    case CB_BLOCK_LIST:
    case CB_BLOCK_TABLE:
    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
      block->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_block_free);
      break;

    case CB_BLOCK_ITEM_REF:
    default:
      break;
    }

  return block;
}

CbBlock *
cb_block_copy (const CbBlock *block)
{
  CbBlock *copy;

  g_return_val_if_fail (block != NULL, NULL);

  copy = g_new0 (CbBlock, 1);
  copy->kind = block->kind;
  copy->spans = cb_spans_copy (block->spans);
  copy->lead = cb_spans_copy (block->lead);
  copy->number = g_strdup (block->number);
  copy->ref = g_strdup (block->ref);
  copy->ordered = block->ordered;
  copy->header = block->header;
  copy->line = block->line;

  if (block->children != NULL)
    {
      copy->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_block_free);
      for (guint i = 0; i < block->children->len; i++)
        g_ptr_array_add (copy->children, cb_block_copy (g_ptr_array_index (block->children, i)));
    }

  return copy;
}

void
cb_block_free (CbBlock *block)
{
  if (block == NULL)
    return;

  g_clear_pointer (&block->spans, g_ptr_array_unref);
  g_clear_pointer (&block->lead, g_ptr_array_unref);
  g_clear_pointer (&block->children, g_ptr_array_unref);
  g_free (block->number);
  g_free (block->ref);
  g_free (block);
}

void
cb_block_add_child (CbBlock *block,
                    CbBlock *child)
{
  g_return_if_fail (block != NULL && block->children != NULL);
  g_return_if_fail (child != NULL);

  g_ptr_array_add (block->children, child);
}

void
cb_block_add_span (CbBlock *block,
                   CbSpan  *span)
{
  g_return_if_fail (block != NULL && block->spans != NULL);

  g_ptr_array_add (block->spans, span);
}

void
cb_block_add_lead_span (CbBlock *block,
                        CbSpan  *span)
{
  g_return_if_fail (block != NULL && block->kind == CB_BLOCK_LIST_ITEM);

  if (block->lead == NULL)
    block->lead = cb_spans_new ();

  g_ptr_array_add (block->lead, span);
}

gboolean
cb_block_equal (const CbBlock *a,
                const CbBlock *b)
{
  guint n_a, n_b;

  if (a->kind != b->kind ||
      a->ordered != b->ordered ||
      a->header != b->header ||
      g_strcmp0 (a->number, b->number) != 0 ||
      g_strcmp0 (a->ref, b->ref) != 0 ||
      !cb_spans_equal (a->spans, b->spans) ||
      !cb_spans_equal (a->lead, b->lead))
    return FALSE;

  n_a = a->children ? a->children->len : 0;
  n_b = b->children ? b->children->len : 0;
  if (n_a != n_b)
    return FALSE;

  for (guint i = 0; i < n_a; i++)
    {
      if (!cb_block_equal (g_ptr_array_index (a->children, i),
                           g_ptr_array_index (b->children, i)))
        return FALSE;
    }

  return TRUE;
}

/**
 * cb_block_append_text:
 * @block: a block
 * @out: where to append
 *
 * Appends the block as plain text, one line per paragraph, list item or
 * table row, the form used for searching and for comparing editions.
 */
void
cb_block_append_text (const CbBlock *block,
                      GString       *out)
{
  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
    case CB_BLOCK_HEADING:
      if (block->number != NULL)
        g_string_append_printf (out, "%s ", block->number);
      cb_spans_append_text (block->spans, out);
      g_string_append_c (out, '\n');
      break;

    case CB_BLOCK_LIST_ITEM:
      if (block->number != NULL)
        g_string_append_printf (out, "%s ", block->number);
      if (block->lead != NULL)
        {
          cb_spans_append_text (block->lead, out);
          if (block->spans->len > 0)
            g_string_append_c (out, ' ');
        }
      cb_spans_append_text (block->spans, out);
      g_string_append_c (out, '\n');
      break;

    case CB_BLOCK_LIST:
    case CB_BLOCK_TABLE:
    case CB_BLOCK_CELL:
      for (guint i = 0; i < block->children->len; i++)
        cb_block_append_text (g_ptr_array_index (block->children, i), out);
      break;

    case CB_BLOCK_ROW:
      for (guint i = 0; i < block->children->len; i++)
        {
          g_autoptr(GString) cell = g_string_new (NULL);

          cb_block_append_text (g_ptr_array_index (block->children, i), cell);
          g_strchomp (cell->str);
          g_strdelimit (cell->str, "\n", ' ');
          if (i > 0)
            g_string_append (out, " | ");
          g_string_append (out, cell->str);
        }
      g_string_append_c (out, '\n');
      break;

    case CB_BLOCK_ITEM_REF:
    default:
      break;
    }
}

G_DEFINE_BOXED_TYPE (CbPart, cb_part, cb_part_copy, cb_part_free)

CbPart *
cb_part_new (const char *name)
{
  CbPart *part = g_new0 (CbPart, 1);

  part->name = g_strdup (name);
  part->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_block_free);

  return part;
}

CbPart *
cb_part_copy (const CbPart *part)
{
  CbPart *copy = cb_part_new (part->name);

  for (guint i = 0; i < part->blocks->len; i++)
    g_ptr_array_add (copy->blocks, cb_block_copy (g_ptr_array_index (part->blocks, i)));

  return copy;
}

void
cb_part_free (CbPart *part)
{
  if (part == NULL)
    return;

  g_free (part->name);
  g_ptr_array_unref (part->blocks);
  g_free (part);
}

gboolean
cb_part_equal (const CbPart *a,
               const CbPart *b)
{
  if (g_strcmp0 (a->name, b->name) != 0 || a->blocks->len != b->blocks->len)
    return FALSE;

  for (guint i = 0; i < a->blocks->len; i++)
    {
      if (!cb_block_equal (g_ptr_array_index (a->blocks, i), g_ptr_array_index (b->blocks, i)))
        return FALSE;
    }

  return TRUE;
}

static const struct {
  const char *name;
  const char *label;
} part_names[] = {
  { "background", N_("Background") },
  { "key_findings", N_("Key findings") },
  { "key_outcome", N_("Key outcome") },
  { "lessons_learned", N_("Lessons learned") },
  { "body", N_("Text") },
};

gboolean
cb_part_name_is_known (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (part_names); i++)
    {
      if (g_strcmp0 (part_names[i].name, name) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * cb_part_name_label:
 * @name: a part name
 *
 * Returns: the translated heading of the part, or @name if unknown
 */
const char *
cb_part_name_label (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (part_names); i++)
    {
      if (g_strcmp0 (part_names[i].name, name) == 0)
        return _(part_names[i].label);
    }

  return name;
}

/**
 * cb_part_name_order:
 * @name: a part name
 *
 * Returns: the place of @name in the canonical order of parts
 *   (background, key findings, key outcome, lessons learned, body), or -1
 */
int
cb_part_name_order (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (part_names); i++)
    {
      if (g_strcmp0 (part_names[i].name, name) == 0)
        return i;
    }

  return -1;
}

/* Part text: the light text form of a part that librarians type.
 *
 *   Blocks are separated by a blank line.
 *   A paragraph is a line of inline text (more lines are joined by spaces).
 *   "### Heading" or "### 2. Heading" (the written number)
 *   "- item", "1. item" (the written number), "#. item" (numbered list
 *   without a written number); "**Lead:** rest" gives a list item its
 *   bold lead-in.
 *   "| a | b |" table rows; a "|---|" line after a row makes it a header
 *   row; inside a cell "<br>" breaks the line.
 *   "→ case_study:1.2.1" (or "-> ...") refers to another item.
 *   Inline: **strong**, *emphasis*, [text](href).
 *
 * A backslash takes the next character (anything but a letter or digit)
 * literally; a backslash at the end of a line keeps the line break inside
 * the text. cb_part_to_text() escapes * [ ] | \, blanks at either end of a
 * line and markers at the start of a line, so that text round-trips.
 *
 * Reading reuses cb_spans_parse_inline(): escaped characters that mean
 * something to it stand in as noncharacters (U+FDD0 + index) while it runs.
 */

static const char inline_specials[] = "*[]()<> \t\n";

#define PLACEHOLDER_LEAD_1 '\xef'
#define PLACEHOLDER_LEAD_2 '\xb7'
#define PLACEHOLDER_FIRST  0x90

static gboolean
is_escapable (const char *p)
{
  return *p != '\0' && !g_ascii_isalnum (*p);
}

static gsize
escaped_len (const char *p,
             gsize       available)
{
  return MIN ((gsize) (g_utf8_next_char (p) - p), available);
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* The length of @s without unescaped blanks at its end */
static gsize
content_end (const char *s,
             gsize       len)
{
  gsize end = 0;

  for (gsize i = 0; i < len;)
    {
      if (s[i] == '\\' && i + 1 < len && is_escapable (s + i + 1))
        {
          i += 1 + escaped_len (s + i + 1, len - i - 1);
          end = i;
        }
      else
        {
          if (!is_blank (s[i]))
            end = i + 1;
          i++;
        }
    }

  return end;
}

static char *
strdup_trimmed (const char *s,
                gsize       len)
{
  while (len > 0 && is_blank (*s))
    {
      s++;
      len--;
    }

  return g_strndup (s, content_end (s, len));
}

/* Drops the backslashes: characters the inline parser would read as
 * markup become placeholders. */
static char *
unescape_for_inline (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));

  for (const char *p = s; *p;)
    {
      if (p[0] == '\\' && is_escapable (p + 1))
        {
          const char *special = strchr (inline_specials, p[1]);
          gsize len = escaped_len (p + 1, strlen (p + 1));

          if (len == 1 && special != NULL)
            {
              g_string_append_c (out, PLACEHOLDER_LEAD_1);
              g_string_append_c (out, PLACEHOLDER_LEAD_2);
              g_string_append_c (out, (char) (PLACEHOLDER_FIRST + (special - inline_specials)));
            }
          else
            g_string_append_len (out, p + 1, len);
          p += 1 + len;
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

static void
restore_placeholders (char *s)
{
  char *out = s;

  if (s == NULL)
    return;

  for (const char *p = s; *p;)
    {
      if (p[0] == PLACEHOLDER_LEAD_1 && p[1] == PLACEHOLDER_LEAD_2 &&
          (guchar) p[2] >= PLACEHOLDER_FIRST &&
          (guchar) p[2] < PLACEHOLDER_FIRST + sizeof inline_specials - 1)
        {
          *out++ = inline_specials[(guchar) p[2] - PLACEHOLDER_FIRST];
          p += 3;
        }
      else
        *out++ = *p++;
    }
  *out = '\0';
}

/* @raw: unescaped text with placeholders */
static GPtrArray *
parse_raw_inline (const char *raw,
                  gsize       len)
{
  g_autofree char *copy = g_strndup (raw, len);
  GPtrArray *spans = cb_spans_parse_inline (copy);

  for (guint i = 0; i < spans->len; i++)
    {
      CbSpan *span = g_ptr_array_index (spans, i);

      restore_placeholders (span->text);
      restore_placeholders (span->href);
    }

  return spans;
}

/* @s: a line or part of one, escapes intact */
static GPtrArray *
parse_segment (const char *s)
{
  g_autofree char *trimmed = strdup_trimmed (s, strlen (s));
  g_autofree char *raw = unescape_for_inline (trimmed);

  return parse_raw_inline (raw, strlen (raw));
}

/* A list item's text: "**Lead:** rest" gives the item a lead-in when the
 * bold text at its start is followed by a blank and more text, as the
 * importer reads the guide. */
static void
fill_list_item (CbBlock    *item,
                const char *s)
{
  g_autofree char *trimmed = strdup_trimmed (s, strlen (s));
  g_autofree char *raw = unescape_for_inline (trimmed);
  gsize len = strlen (raw);

  if (g_str_has_prefix (raw, "**"))
    {
      const char *close = strstr (raw + 2, "**");

      if (close != NULL && close[2] == '*' && count_stars (raw + 2, close) % 2 == 1)
        close++;

      if (close != NULL && close > raw + 2 && is_blank (close[2]))
        {
          const char *rest = close + 2;

          while (is_blank (*rest))
            rest++;

          if (*rest != '\0')
            {
              g_autoptr(GPtrArray) spans = parse_raw_inline (rest, len - (rest - raw));

              g_clear_pointer (&item->lead, g_ptr_array_unref);
              item->lead = parse_raw_inline (raw + 2, close - (raw + 2));
              g_ptr_array_extend_and_steal (item->spans, g_steal_pointer (&spans));
              return;
            }
        }
    }

  g_ptr_array_extend_and_steal (item->spans, parse_raw_inline (raw, len));
}

typedef struct {
  char  *text;
  guint  number;
} Line;

static void
line_free (Line *line)
{
  g_free (line->text);
  g_free (line);
}

/* Whether the line ends with a backslash that escapes its line break */
static gboolean
ends_with_escaped_break (const char *s,
                         gsize       len)
{
  for (gsize i = 0; i < len;)
    {
      if (s[i] == '\\' && i + 1 == len)
        return TRUE;
      if (s[i] == '\\' && is_escapable (s + i + 1))
        i += 1 + escaped_len (s + i + 1, len - i - 1);
      else
        i++;
    }

  return FALSE;
}

/* Splits @text into lines, joining a line that ends with a backslash to
 * the next one with the line break kept (escaped) inside. */
static void
split_lines (const char *text,
             guint       first_number,
             GPtrArray  *lines)
{
  g_auto(GStrv) physical = g_strsplit (text, "\n", -1);
  Line *current = NULL;

  for (guint i = 0; physical[i] != NULL; i++)
    {
      char *s = physical[i];
      gsize len = strlen (s);
      gboolean continued;

      if (len > 0 && s[len - 1] == '\r')
        s[--len] = '\0';

      if (current != NULL)
        {
          char *joined = g_strconcat (current->text, "\n", s, NULL);

          g_free (current->text);
          current->text = joined;
        }
      else
        {
          current = g_new0 (Line, 1);
          current->text = g_strdup (s);
          current->number = first_number + (first_number > 0 ? i : 0);
          g_ptr_array_add (lines, current);
        }

      continued = ends_with_escaped_break (current->text, strlen (current->text));
      if (!continued || physical[i + 1] == NULL)
        current = NULL;
    }
}

typedef enum {
  LINE_BLANK,
  LINE_PARAGRAPH,
  LINE_HEADING,
  LINE_BULLET,
  LINE_NUMBERED,
  LINE_REF,
  LINE_ROW,
} LineKind;

#define ARROW "\xe2\x86\x92"

/* "12." followed by a blank or the end: returns the length of the digits */
static gsize
number_marker (const char *p)
{
  gsize k = 0;

  while (g_ascii_isdigit (p[k]))
    k++;

  if (k > 0 && p[k] == '.' && (p[k + 1] == '\0' || is_blank (p[k + 1])))
    return k;

  return 0;
}

static gboolean
ref_is_valid (const char *ref)
{
  const char *colon = strchr (ref, ':');

  if (colon == NULL || colon == ref || colon[1] == '\0')
    return FALSE;

  for (const char *p = ref; p < colon; p++)
    {
      if (!g_ascii_islower (*p) && *p != '_')
        return FALSE;
    }

  for (const char *p = colon + 1; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
        return FALSE;
    }

  return TRUE;
}

static LineKind
classify_line (const char  *s,
               const char **content,
               char       **number)
{
  const char *p = s;
  gsize k;

  *number = NULL;

  while (is_blank (*p))
    p++;

  *content = p;

  if (content_end (p, strlen (p)) == 0)
    return LINE_BLANK;

  if (*p == '|')
    return LINE_ROW;

  for (k = 0; p[k] == '#'; k++)
    ;
  if (k >= 1 && k <= 6 && (p[k] == '\0' || is_blank (p[k])))
    {
      p += k;
      while (is_blank (*p))
        p++;
      if ((k = number_marker (p)) > 0)
        {
          *number = g_strndup (p, k);
          p += k + 1;
        }
      *content = p;
      return LINE_HEADING;
    }

  if (p[0] == '#' && p[1] == '.' && (p[2] == '\0' || is_blank (p[2])))
    {
      *content = p + 2;
      return LINE_NUMBERED;
    }

  if ((g_str_has_prefix (p, ARROW) && is_blank (p[strlen (ARROW)])) ||
      (g_str_has_prefix (p, "->") && is_blank (p[2])))
    {
      const char *ref = p + (p[0] == '-' ? 2 : strlen (ARROW));
      g_autofree char *token = NULL;

      while (is_blank (*ref))
        ref++;
      token = strdup_trimmed (ref, strlen (ref));
      if (token[0] != '\0' && strpbrk (token, " \t") == NULL)
        {
          *content = ref;
          return LINE_REF;
        }
    }

  if (p[0] == '-' && (p[1] == '\0' || is_blank (p[1])))
    {
      *content = p + 1;
      return LINE_BULLET;
    }

  if ((k = number_marker (p)) > 0)
    {
      *number = g_strndup (p, k);
      *content = p + k + 1;
      return LINE_NUMBERED;
    }

  return LINE_PARAGRAPH;
}

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

typedef enum {
  PENDING_NONE,
  PENDING_PARAGRAPH,
  PENDING_LIST,
  PENDING_TABLE,
} PendingKind;

typedef struct {
  GPtrArray   *blocks;
  PendingKind  pending;
  GString     *text;
  CbBlock     *list;
  GPtrArray   *items;
  CbBlock     *table;
  guint        columns;
} Assembler;

static void
assembler_flush (Assembler *as)
{
  switch (as->pending)
    {
    case PENDING_PARAGRAPH:
      {
        CbBlock *block = cb_block_new (CB_BLOCK_PARAGRAPH);

        g_ptr_array_extend_and_steal (block->spans, parse_segment (as->text->str));
        g_ptr_array_add (as->blocks, block);
        g_string_truncate (as->text, 0);
      }
      break;

    case PENDING_LIST:
      for (guint i = 0; i < as->list->children->len; i++)
        fill_list_item (g_ptr_array_index (as->list->children, i),
                        ((GString *) g_ptr_array_index (as->items, i))->str);
      g_ptr_array_add (as->blocks, g_steal_pointer (&as->list));
      g_ptr_array_set_size (as->items, 0);
      break;

    case PENDING_TABLE:
      g_ptr_array_add (as->blocks, g_steal_pointer (&as->table));
      break;

    case PENDING_NONE:
    default:
      break;
    }

  as->pending = PENDING_NONE;
}

static gboolean parse_lines (GPtrArray  *lines,
                             GPtrArray  *blocks,
                             GError    **error);

/* Positions of the unescaped "|" of a row */
static GArray *
find_pipes (const char *s,
            gsize       len)
{
  GArray *pipes = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize i = 0; i < len;)
    {
      if (s[i] == '\\' && i + 1 < len && is_escapable (s + i + 1))
        {
          i += 1 + escaped_len (s + i + 1, len - i - 1);
          continue;
        }
      if (s[i] == '|')
        g_array_append_val (pipes, i);
      i++;
    }

  return pipes;
}

static gboolean
is_separator_cell (const char *s)
{
  g_autofree char *cell = strdup_trimmed (s, strlen (s));
  const char *p = cell;
  gboolean dash = FALSE;

  if (*p == ':')
    p++;
  for (; *p == '-'; p++)
    dash = TRUE;
  if (*p == ':')
    p++;

  return dash && *p == '\0';
}

/* A cell's text as lines: "<br>" breaks the line, "\<br>" breaks it
 * inside the text. */
static char *
cell_to_lines (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p;)
    {
      if (g_str_has_prefix (p, "\\<br>"))
        {
          g_string_append (out, "\\\n");
          p += 5;
        }
      else if (p[0] == '\\' && is_escapable (p + 1))
        {
          gsize len = escaped_len (p + 1, strlen (p + 1));

          g_string_append_len (out, p, 1 + len);
          p += 1 + len;
        }
      else if (g_str_has_prefix (p, "<br>"))
        {
          g_string_append_c (out, '\n');
          p += 4;
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

static gboolean
add_row (Assembler   *as,
         const char  *s,
         guint        number,
         GError     **error)
{
  gsize len = content_end (s, strlen (s));
  g_autoptr(GArray) pipes = find_pipes (s, len);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  gboolean separator = TRUE;
  CbBlock *row;

  if (pipes->len < 2 || g_array_index (pipes, gsize, pipes->len - 1) != len - 1)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("Line %u: a table row starts and ends with “|”"), number);
      return FALSE;
    }

  for (guint i = 0; i + 1 < pipes->len; i++)
    {
      gsize from = g_array_index (pipes, gsize, i) + 1;
      gsize to = g_array_index (pipes, gsize, i + 1);
      char *cell = g_strndup (s + from, to - from);

      g_ptr_array_add (cells, cell);
      separator = separator && is_separator_cell (cell);
    }

  if (separator)
    {
      CbBlock *last;

      if (as->pending != PENDING_TABLE || as->table->children->len == 0)
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       _("Line %u: a “|---|” line belongs under a table’s header row"), number);
          return FALSE;
        }

      last = g_ptr_array_index (as->table->children, as->table->children->len - 1);
      last->header = TRUE;
      return TRUE;
    }

  if (as->pending != PENDING_TABLE)
    {
      assembler_flush (as);
      as->pending = PENDING_TABLE;
      as->table = cb_block_new (CB_BLOCK_TABLE);
      as->columns = cells->len;
    }
  else if (cells->len != as->columns)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   ngettext ("Line %u: this table row has %u cell where the table has %u",
                             "Line %u: this table row has %u cells where the table has %u",
                             cells->len),
                   number, cells->len, as->columns);
      return FALSE;
    }

  row = cb_block_new (CB_BLOCK_ROW);
  cb_block_add_child (as->table, row);

  for (guint i = 0; i < cells->len; i++)
    {
      g_autofree char *text = cell_to_lines (g_ptr_array_index (cells, i));
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
      CbBlock *cell = cb_block_new (CB_BLOCK_CELL);

      cb_block_add_child (row, cell);
      split_lines (text, 0, lines);
      for (guint j = 0; j < lines->len; j++)
        ((Line *) g_ptr_array_index (lines, j))->number = number;

      if (!parse_lines (lines, cell->children, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
parse_lines (GPtrArray  *lines,
             GPtrArray  *blocks,
             GError    **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (string_free);
  g_autoptr(GString) text = g_string_new (NULL);
  Assembler as = { blocks, PENDING_NONE, text, NULL, items, NULL, 0 };
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);
      const char *content;
      g_autofree char *number = NULL;
      LineKind kind = classify_line (line->text, &content, &number);

      switch (kind)
        {
        case LINE_BLANK:
          assembler_flush (&as);
          break;

        case LINE_PARAGRAPH:
          if (as.pending == PENDING_LIST)
            {
              GString *item = g_ptr_array_index (as.items, as.items->len - 1);

              g_string_append_c (item, ' ');
              g_string_append (item, content);
              break;
            }
          if (as.pending == PENDING_PARAGRAPH)
            g_string_append_c (as.text, ' ');
          else
            assembler_flush (&as);
          as.pending = PENDING_PARAGRAPH;
          g_string_append (as.text, content);
          break;

        case LINE_HEADING:
          {
            CbBlock *block = cb_block_new (CB_BLOCK_HEADING);

            assembler_flush (&as);
            block->number = g_steal_pointer (&number);
            g_ptr_array_extend_and_steal (block->spans, parse_segment (content));
            g_ptr_array_add (blocks, block);
          }
          break;

        case LINE_BULLET:
        case LINE_NUMBERED:
          {
            CbBlock *item = cb_block_new (CB_BLOCK_LIST_ITEM);

            if (as.pending != PENDING_LIST)
              {
                assembler_flush (&as);
                as.pending = PENDING_LIST;
                as.list = cb_block_new (CB_BLOCK_LIST);
                as.list->ordered = kind == LINE_NUMBERED;
              }
            item->number = g_steal_pointer (&number);
            cb_block_add_child (as.list, item);
            g_ptr_array_add (as.items, g_string_new (content));
          }
          break;

        case LINE_REF:
          {
            g_autofree char *trimmed = strdup_trimmed (content, strlen (content));
            g_autofree char *ref = unescape_for_inline (trimmed);
            CbBlock *block;

            restore_placeholders (ref);
            if (!ref_is_valid (ref))
              {
                g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                             _("Line %u: “%s” is not an item id"), line->number, ref);
                ok = FALSE;
                break;
              }

            assembler_flush (&as);
            block = cb_block_new (CB_BLOCK_ITEM_REF);
            block->ref = g_steal_pointer (&ref);
            g_ptr_array_add (blocks, block);
          }
          break;

        case LINE_ROW:
          ok = add_row (&as, content, line->number, error);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (ok)
    assembler_flush (&as);

  g_clear_pointer (&as.list, cb_block_free);
  g_clear_pointer (&as.table, cb_block_free);

  return ok;
}

/**
 * cb_part_from_text:
 * @name: the part name
 * @text: the part in the text form of cb_part_to_text()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the part, or %NULL with
 *   %CB_ERROR_INVALID (an unknown part name, a table row with the wrong
 *   number of cells, a reference that is not an item id), the message
 *   naming the line
 */
CbPart *
cb_part_from_text (const char  *name,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(CbPart) part = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cb_part_name_is_known (name))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("Unknown part “%s”"), name ? name : "");
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The text is not valid UTF-8"));
      return NULL;
    }

  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  split_lines (text, 1, lines);

  part = cb_part_new (name);
  if (!parse_lines (lines, part->blocks, error))
    return NULL;

  return g_steal_pointer (&part);
}

/* Writing */

static void
append_escaped (GString    *out,
                const char *text,
                gboolean    escape_first_blank,
                gboolean    escape_last_blank)
{
  for (const char *p = text; *p; p++)
    {
      char c = *p;

      switch (c)
        {
        case '\\':
        case '*':
        case '[':
        case ']':
        case '|':
          g_string_append_c (out, '\\');
          break;

        case '<':
          if (g_str_has_prefix (p, "<http://") || g_str_has_prefix (p, "<https://"))
            g_string_append_c (out, '\\');
          break;

        case '>':
          if (p - text >= 3 && strncmp (p - 3, "<br", 3) == 0)
            g_string_append_c (out, '\\');
          break;

        case '\n':
          g_string_append_c (out, '\\');
          break;

        case ' ':
        case '\t':
          if ((p == text && escape_first_blank) || (p[1] == '\0' && escape_last_blank))
            g_string_append_c (out, '\\');
          break;

        default:
          break;
        }

      g_string_append_c (out, c);
    }
}

static void
append_href (GString    *out,
             const char *href)
{
  for (const char *p = href; *p; p++)
    {
      if (strchr ("\\)| \t\n", *p) != NULL ||
          (*p == '>' && p - href >= 3 && strncmp (p - 3, "<br", 3) == 0))
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

static void
append_unit (GString      *out,
             const CbSpan *span,
             gboolean      first,
             gboolean      last)
{
  if (span->flags & CB_SPAN_EMPHASIS)
    {
      g_string_append_c (out, '*');
      append_escaped (out, span->text, TRUE, TRUE);
      g_string_append_c (out, '*');
    }
  else
    append_escaped (out, span->text, first, last);
}

/* Strong runs are written around the emphasis inside them: "**a *b* c**" */
static void
append_styled (GString   *out,
               GPtrArray *spans,
               guint      from,
               guint      to,
               guint      guard)
{
  guint n = spans->len;

  for (guint i = from; i < to;)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);

      if (span->flags & CB_SPAN_STRONG)
        {
          guint j;

          g_string_append (out, "**");
          for (j = i; j < to && (((CbSpan *) g_ptr_array_index (spans, j))->flags & CB_SPAN_STRONG); j++)
            append_unit (out, g_ptr_array_index (spans, j), j == 0 || j == guard, j + 1 == n);
          g_string_append (out, "**");
          i = j;
        }
      else
        {
          append_unit (out, span, i == 0 || i == guard, i + 1 == n);
          i++;
        }
    }
}

/* @guard_lead: a list item without a lead-in: if its text starts with
 * strong text, escape the blank after it so it does not read as one. */
static void
append_spans (GString   *out,
              GPtrArray *in,
              gboolean   guard_lead)
{
  g_autoptr(GPtrArray) spans = cb_spans_copy (in);
  guint guard = G_MAXUINT;
  guint n;

  if (spans == NULL)
    return;

  cb_spans_normalize (spans);
  n = spans->len;

  if (guard_lead && n > 0)
    {
      const CbSpan *first = g_ptr_array_index (spans, 0);

      if ((first->flags & CB_SPAN_STRONG) && first->href == NULL)
        {
          for (guard = 1; guard < n; guard++)
            {
              const CbSpan *span = g_ptr_array_index (spans, guard);

              if (!(span->flags & CB_SPAN_STRONG) || span->href != NULL)
                break;
            }
        }
    }

  for (guint i = 0; i < n;)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);
      guint j = i + 1;

      while (j < n && g_strcmp0 (((CbSpan *) g_ptr_array_index (spans, j))->href, span->href) == 0)
        j++;

      if (span->href != NULL && span->href[0] != '\0')
        {
          g_string_append_c (out, '[');
          append_styled (out, spans, i, j, guard);
          g_string_append (out, "](");
          append_href (out, span->href);
          g_string_append_c (out, ')');
        }
      else
        append_styled (out, spans, i, j, guard);

      i = j;
    }
}

/* Keeps text at the start of a line from reading as a block marker */
static void
protect_line_start (GString  *line,
                    gboolean  numbers_only)
{
  gsize k = 0;

  if (!numbers_only &&
      (line->str[0] == '#' || line->str[0] == '-' || g_str_has_prefix (line->str, ARROW)))
    {
      g_string_prepend_c (line, '\\');
      return;
    }

  while (g_ascii_isdigit (line->str[k]))
    k++;
  if (k > 0 && line->str[k] == '.')
    g_string_insert_c (line, k, '\\');
}

static void append_blocks (GString   *out,
                           GPtrArray *blocks,
                           gboolean   in_cell);

static void
append_marker_and_text (GString    *out,
                        const char *marker,
                        GString    *text)
{
  g_string_append (out, marker);
  if (text->len > 0)
    {
      g_string_append_c (out, ' ');
      g_string_append_len (out, text->str, text->len);
    }
}

static void
append_list_item (GString       *out,
                  const CbBlock *list,
                  const CbBlock *item)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *marker = item->number ? g_strdup_printf ("%s.", item->number)
                                         : g_strdup (list->ordered ? "#." : "-");

  if (item->lead != NULL && item->lead->len > 0)
    {
      g_string_append (text, "**");
      append_spans (text, item->lead, FALSE);
      g_string_append (text, "**");
      if (item->spans != NULL && item->spans->len > 0)
        {
          g_string_append_c (text, ' ');
          append_spans (text, item->spans, FALSE);
        }
    }
  else
    append_spans (text, item->spans, TRUE);

  append_marker_and_text (out, marker, text);
}

static void
append_table (GString       *out,
              const CbBlock *table)
{
  for (guint i = 0; i < table->children->len; i++)
    {
      const CbBlock *row = g_ptr_array_index (table->children, i);

      if (i > 0)
        g_string_append_c (out, '\n');

      g_string_append_c (out, '|');
      for (guint j = 0; row->children && j < row->children->len; j++)
        {
          const CbBlock *cell = g_ptr_array_index (row->children, j);
          g_autoptr(GString) text = g_string_new (NULL);

          if (cell->children != NULL)
            append_blocks (text, cell->children, TRUE);
          g_string_replace (text, "\n", "<br>", 0);
          g_string_append_c (out, ' ');
          g_string_append_len (out, text->str, text->len);
          g_string_append (out, text->len > 0 ? " |" : "|");
        }

      if (row->header)
        {
          g_string_append (out, "\n|");
          for (guint j = 0; row->children && j < row->children->len; j++)
            g_string_append (out, "---|");
        }
    }
}

static void
append_blocks (GString   *out,
               GPtrArray *blocks,
               gboolean   in_cell)
{
  gboolean first = TRUE;

  for (guint i = 0; i < blocks->len; i++)
    {
      const CbBlock *block = g_ptr_array_index (blocks, i);
      g_autoptr(GString) text = g_string_new (NULL);

      switch (block->kind)
        {
        case CB_BLOCK_PARAGRAPH:
          append_spans (text, block->spans, FALSE);
          protect_line_start (text, FALSE);
          break;

        case CB_BLOCK_HEADING:
          {
            g_autoptr(GString) heading = g_string_new (NULL);
            g_autofree char *marker = block->number ? g_strdup_printf ("### %s.", block->number)
                                                    : g_strdup ("###");

            append_spans (heading, block->spans, FALSE);
            if (block->number == NULL)
              protect_line_start (heading, TRUE);
            append_marker_and_text (text, marker, heading);
          }
          break;

        case CB_BLOCK_LIST:
          for (guint j = 0; j < block->children->len; j++)
            {
              if (j > 0)
                g_string_append_c (text, '\n');
              append_list_item (text, block, g_ptr_array_index (block->children, j));
            }
          break;

        case CB_BLOCK_ITEM_REF:
          g_string_append_printf (text, ARROW " %s", block->ref ? block->ref : "");
          break;

        case CB_BLOCK_TABLE:
          if (!in_cell)
            {
              append_table (text, block);
              break;
            }
          else
            {
              /* A table inside a table cell has no text form: keep its
               * words as paragraphs. */
              g_autoptr(GString) plain = g_string_new (NULL);
              g_auto(GStrv) rows = NULL;

              cb_block_append_text (block, plain);
              rows = g_strsplit (plain->str, "\n", -1);
              for (guint j = 0; rows[j] != NULL; j++)
                {
                  g_autoptr(GString) line = g_string_new (NULL);

                  if (rows[j][0] == '\0')
                    continue;
                  append_escaped (line, rows[j], TRUE, TRUE);
                  protect_line_start (line, FALSE);
                  if (text->len > 0)
                    g_string_append (text, "\n\n");
                  g_string_append_len (text, line->str, line->len);
                }
            }
          break;

        case CB_BLOCK_LIST_ITEM:
        case CB_BLOCK_ROW:
        case CB_BLOCK_CELL:
        default:
          break;
        }

      if (text->len == 0)
        continue;

      if (!first)
        g_string_append (out, "\n\n");
      g_string_append_len (out, text->str, text->len);
      first = FALSE;
    }
}

/**
 * cb_part_to_text:
 * @part: a part
 *
 * Writes the part in the light text form librarians edit (see the comment
 * above): cb_part_from_text() reads it back to an equal part.
 *
 * Returns: (transfer full): the text, without a final line break
 */
char *
cb_part_to_text (const CbPart *part)
{
  GString *out;

  g_return_val_if_fail (part != NULL, NULL);

  out = g_string_new (NULL);
  append_blocks (out, part->blocks, FALSE);

  return g_string_free (out, FALSE);
}
