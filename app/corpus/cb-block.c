/* cb-block.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-block.h"

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
          gsize j;

          for (j = i + 1; j < end; j++)
            {
              if (text[j] == '*')
                {
                  if (j + 1 < end && text[j + 1] == '*')
                    {
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
