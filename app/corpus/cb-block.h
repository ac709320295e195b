/* cb-block.h: structured text of an item (paragraphs, lists, tables) and
 * the inline spans inside them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CB_SPAN_PLAIN    = 0,
  CB_SPAN_STRONG   = 1 << 0,
  CB_SPAN_EMPHASIS = 1 << 1,
} CbSpanFlags;

/**
 * CbSpan:
 * @text: the text, never %NULL
 * @href: the link target, or %NULL when the span is not a link
 * @flags: emphasis
 *
 * A run of text with one style.
 */
typedef struct {
  char        *text;
  char        *href;
  CbSpanFlags  flags;
} CbSpan;

CbSpan    *cb_span_new  (const char  *text,
                         CbSpanFlags  flags,
                         const char  *href);
void       cb_span_free (CbSpan      *span);

typedef enum {
  CB_BLOCK_PARAGRAPH,
  CB_BLOCK_HEADING,
  CB_BLOCK_LIST,
  CB_BLOCK_LIST_ITEM,
  CB_BLOCK_TABLE,
  CB_BLOCK_ROW,
  CB_BLOCK_CELL,
  CB_BLOCK_ITEM_REF,
} CbBlockKind;

typedef struct _CbBlock CbBlock;

/**
 * CbBlock:
 * @kind: what the block is
 * @spans: (element-type CbSpan): the inline text of a paragraph, heading or
 *   list item
 * @lead: (element-type CbSpan) (nullable): the bold lead-in of a list item
 * @children: (element-type CbBlock): list items of a list, rows of a table,
 *   cells of a row, blocks of a cell
 * @number: the written number of a list item or a heading, or %NULL
 * @ref: the id an item reference points to
 * @ordered: whether a list is numbered
 * @header: whether a row is a header row
 * @line: the guide line the block starts on, when it came from the importer
 */
struct _CbBlock {
  CbBlockKind  kind;
  GPtrArray   *spans;
  GPtrArray   *lead;
  GPtrArray   *children;
  char        *number;
  char        *ref;
  gboolean     ordered;
  gboolean     header;
  guint        line;
};

#define CB_TYPE_BLOCK (cb_block_get_type ())

GType       cb_block_get_type      (void) G_GNUC_CONST;
CbBlock    *cb_block_new           (CbBlockKind      kind);
CbBlock    *cb_block_copy          (const CbBlock   *block);
void        cb_block_free          (CbBlock         *block);
void        cb_block_add_child     (CbBlock         *block,
                                    CbBlock         *child);
void        cb_block_add_span      (CbBlock         *block,
                                    CbSpan          *span);
void        cb_block_add_lead_span (CbBlock         *block,
                                    CbSpan          *span);
gboolean    cb_block_equal         (const CbBlock   *a,
                                    const CbBlock   *b);
void        cb_block_append_text   (const CbBlock   *block,
                                    GString         *out);

void        cb_spans_append_text   (GPtrArray       *spans,
                                    GString         *out);
char       *cb_spans_to_text       (GPtrArray       *spans);
GPtrArray  *cb_spans_new           (void);
GPtrArray  *cb_spans_parse_inline  (const char      *text);
gboolean    cb_spans_equal         (GPtrArray       *a,
                                    GPtrArray       *b);
void        cb_spans_normalize     (GPtrArray       *spans);

/**
 * CbPart:
 * @name: "background", "key_findings", "key_outcome", "lessons_learned"
 *   or "body"
 * @blocks: (element-type CbBlock): the part's blocks in order
 */
typedef struct {
  char      *name;
  GPtrArray *blocks;
} CbPart;

#define CB_TYPE_PART (cb_part_get_type ())

GType       cb_part_get_type       (void) G_GNUC_CONST;
CbPart     *cb_part_new            (const char      *name);
CbPart     *cb_part_copy           (const CbPart    *part);
void        cb_part_free           (CbPart          *part);
gboolean    cb_part_equal          (const CbPart    *a,
                                    const CbPart    *b);
const char *cb_part_name_label     (const char      *name);
gboolean    cb_part_name_is_known  (const char      *name);
int         cb_part_name_order     (const char      *name);

char       *cb_part_to_text        (const CbPart    *part);
CbPart     *cb_part_from_text      (const char      *name,
                                    const char      *text,
                                    GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSpan, cb_span_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbBlock, cb_block_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPart, cb_part_free)

G_END_DECLS
