/* cb-export-pdf.c: an evidence pack as an A4 PDF handout
 *
 * Text is laid out with Pango from plain strings and PangoAttrLists, so no
 * corpus or user string is ever parsed as markup. The document is rendered
 * twice with the same layout code: the first pass only paginates, to learn
 * where every item starts and how many pages there are; the second draws,
 * with page numbers in the contents and "Page N of M" footers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "cb-error.h"
#include "cb-export-private.h"

/* A4 in points, 2 cm side margins */
#define PAGE_WIDTH      595.276
#define PAGE_HEIGHT     841.89
#define MARGIN_X        56.69
#define CONTENT_TOP     64.0
#define CONTENT_BOTTOM  (PAGE_HEIGHT - 58.0)
#define CONTENT_WIDTH   (PAGE_WIDTH - 2 * MARGIN_X)
#define HEADER_BASELINE 40.0
#define FOOTER_BASELINE (PAGE_HEIGHT - 32.0)

#define FONT_FAMILY     "Sans"
#define LIST_INDENT     16.0
#define MARKER_WIDTH    60.0
#define MARKER_GAP      5.0
#define BOX_PADDING     8.0
#define BOX_BAR         3.0
#define CELL_PADDING    4.5
#define TRAILER_WIDTH   36.0

typedef enum {
  STYLE_BODY,
  STYLE_CELL,
  STYLE_CELL_HEADER,
  STYLE_SMALL,
  STYLE_META,
  STYLE_STATUS,
  STYLE_NOTE,
  STYLE_KICKER,
  STYLE_TITLE,
  STYLE_SUBTITLE,
  STYLE_SECTION,
  STYLE_PART,
  STYLE_BLOCK_HEADING,
  STYLE_FURNITURE,
  N_STYLES
} Style;

static const struct {
  double      size;
  PangoWeight weight;
  guint32     colour;
  double      spacing;
} styles[N_STYLES] = {
  [STYLE_BODY]          = { 10.0, PANGO_WEIGHT_NORMAL,   0x1f2328, 1.27 },
  [STYLE_CELL]          = {  8.5, PANGO_WEIGHT_NORMAL,   0x1f2328, 1.25 },
  [STYLE_CELL_HEADER]   = {  8.5, PANGO_WEIGHT_BOLD,     0x1f2328, 1.25 },
  [STYLE_SMALL]         = {  8.5, PANGO_WEIGHT_NORMAL,   0x1f2328, 1.3 },
  [STYLE_META]          = {  8.5, PANGO_WEIGHT_NORMAL,   0x59636e, 1.3 },
  [STYLE_STATUS]        = {  9.5, PANGO_WEIGHT_BOLD,     0xa51d2d, 1.2 },
  [STYLE_NOTE]          = {  9.5, PANGO_WEIGHT_NORMAL,   0x1f2328, 1.3 },
  [STYLE_KICKER]        = {  8.5, PANGO_WEIGHT_BOLD,     0x1a5fb4, 1.2 },
  [STYLE_TITLE]         = { 26.0, PANGO_WEIGHT_BOLD,     0x1f2328, 1.15 },
  [STYLE_SUBTITLE]      = { 13.0, PANGO_WEIGHT_NORMAL,   0x3d444d, 1.3 },
  [STYLE_SECTION]       = { 15.0, PANGO_WEIGHT_BOLD,     0x1f2328, 1.2 },
  [STYLE_PART]          = { 11.5, PANGO_WEIGHT_BOLD,     0x1a5fb4, 1.2 },
  [STYLE_BLOCK_HEADING] = { 10.0, PANGO_WEIGHT_BOLD,     0x1f2328, 1.25 },
  [STYLE_FURNITURE]     = {  8.0, PANGO_WEIGHT_NORMAL,   0x6e7781, 1.0 },
};

#define COLOUR_LINK       0x1a5fb4
#define COLOUR_RULE       0xc5cbd3
#define COLOUR_NOTE       0xfbf3dc
#define COLOUR_NOTE_BAR   0xd99a00
#define COLOUR_TABLE_HEAD 0xeef1f5

/* Text with its styles and links, kept apart so that nothing is parsed */
typedef struct {
  guint  start;
  guint  end;
  char  *target;    /* cairo link attributes: "uri='…'" or "dest='…'" */
} Link;

typedef struct {
  GString       *text;
  PangoAttrList *attrs;
  GArray        *links;
} RichText;

/* Where text goes: a column of the page or a table cell */
typedef struct {
  double   x;
  double   width;
  double   top;
  double   y;
  double   indent;
  Style    text_style;
  gboolean dry;        /* measure only */
  gboolean can_break;  /* FALSE inside table cells */
} Frame;

typedef struct {
  CbExportContext      *ctx;
  PangoContext         *pango;
  PangoFontDescription *fonts[N_STYLES];
  cairo_surface_t      *surface;
  cairo_t              *cr;           /* NULL in the paginating pass */
  Frame                 f;
  guint                 page;
  guint                 n_pages;      /* known in the drawing pass */
  guint                *item_pages;
  guint                 references_page;
  const char           *marker;       /* for the next list item */
} PdfWriter;

typedef struct {
  double      indent;
  const char *marker;         /* beside the first line: a bullet or number */
  const char *trailer;        /* right-aligned beside the last line */
  gboolean    boxed;          /* a shaded box, for the user's note */
  double      keep_with_next; /* room wanted below, for headings */
} FlowOptions;

typedef struct {
  double           top;
  double           bottom;
  double           baseline;
  double           x;
  PangoLayoutLine *line;
  gboolean         starts_paragraph;
} LineBox;

static RichText *
rich_text_new (void)
{
  RichText *rt = g_new0 (RichText, 1);

  rt->text = g_string_new (NULL);
  rt->attrs = pango_attr_list_new ();
  rt->links = g_array_new (FALSE, TRUE, sizeof (Link));

  return rt;
}

static void
rich_text_free (RichText *rt)
{
  for (guint i = 0; i < rt->links->len; i++)
    g_free (g_array_index (rt->links, Link, i).target);
  g_array_unref (rt->links);
  pango_attr_list_unref (rt->attrs);
  g_string_free (rt->text, TRUE);
  g_free (rt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RichText, rich_text_free)

static void
insert_attr (RichText       *rt,
             PangoAttribute *attr,
             guint           start,
             guint           end)
{
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (rt->attrs, attr);
}

static void
add_colour (RichText *rt,
            guint32   colour,
            guint     start,
            guint     end)
{
  insert_attr (rt, pango_attr_foreground_new (((colour >> 16) & 0xff) * 257,
                                              ((colour >> 8) & 0xff) * 257,
                                              (colour & 0xff) * 257), start, end);
}

/* @target: (nullable): cairo link attributes; the text is styled as a
 * link when @visible */
static void
rich_append_full (RichText    *rt,
                  const char  *text,
                  CbSpanFlags  flags,
                  const char  *target,
                  gboolean     visible)
{
  guint start = rt->text->len;
  guint end;

  g_string_append (rt->text, text);
  end = rt->text->len;
  if (start == end)
    return;

  if (flags & CB_SPAN_STRONG)
    insert_attr (rt, pango_attr_weight_new (PANGO_WEIGHT_BOLD), start, end);
  if (flags & CB_SPAN_EMPHASIS)
    insert_attr (rt, pango_attr_style_new (PANGO_STYLE_ITALIC), start, end);

  if (target != NULL)
    {
      Link link = { start, end, g_strdup (target) };

      g_array_append_val (rt->links, link);
      if (visible)
        {
          add_colour (rt, COLOUR_LINK, start, end);
          /* An address broken over two lines must not gain a hyphen */
          insert_attr (rt, pango_attr_insert_hyphens_new (FALSE), start, end);
        }
    }
}

static void
rich_append (RichText    *rt,
             const char  *text,
             CbSpanFlags  flags)
{
  rich_append_full (rt, text, flags, NULL, FALSE);
}

static RichText *
rich_text_new_plain (const char  *text,
                     CbSpanFlags  flags)
{
  RichText *rt = rich_text_new ();

  rich_append (rt, text, flags);

  return rt;
}

/* A quoted string for cairo's tag attributes */
static char *
dup_quoted (const char *value)
{
  GString *out = g_string_new ("'");

  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');

  return g_string_free (out, FALSE);
}

static char *
dup_uri_target (const char *uri)
{
  g_autofree char *quoted = dup_quoted (uri);

  return g_strconcat ("uri=", quoted, NULL);
}

static char *
dup_item_dest (guint position)
{
  return g_strdup_printf ("item-%u", position + 1);
}

static void
rich_append_spans (RichText    *rt,
                   GPtrArray   *spans,
                   CbSpanFlags  extra)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);
      g_autofree char *uri = _cb_export_dup_safe_href (span->href);
      g_autofree char *target = uri ? dup_uri_target (uri) : NULL;

      rich_append_full (rt, span->text, span->flags | extra, target, TRUE);

      /* On paper a link only helps if its address shows */
      if (uri != NULL && strstr (uri, span->text) == NULL && strstr (span->text, uri) == NULL)
        {
          rich_append (rt, " (", extra);
          rich_append_full (rt, uri, extra, target, TRUE);
          rich_append (rt, ")", extra);
        }
    }
}

static gboolean
is_drawing (PdfWriter *w)
{
  return w->cr != NULL && !w->f.dry;
}

static gboolean
at_frame_top (PdfWriter *w)
{
  return w->f.y <= w->f.top + 0.01;
}

static void
set_colour (cairo_t *cr,
            guint32  colour)
{
  cairo_set_source_rgb (cr,
                        ((colour >> 16) & 0xff) / 255.0,
                        ((colour >> 8) & 0xff) / 255.0,
                        (colour & 0xff) / 255.0);
}

static void
fill_rect (PdfWriter *w,
           guint32    colour,
           double     x,
           double     y,
           double     width,
           double     height)
{
  set_colour (w->cr, colour);
  cairo_rectangle (w->cr, x, y, width, height);
  cairo_fill (w->cr);
}

static PangoLayout *
new_layout (PdfWriter     *w,
            Style          style,
            double         width,
            const char    *text,
            PangoAttrList *attrs)
{
  PangoLayout *layout = pango_layout_new (w->pango);

  pango_layout_set_font_description (layout, w->fonts[style]);
  pango_layout_set_width (layout, (int) (MAX (width, 1.0) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_line_spacing (layout, styles[style].spacing);
  pango_layout_set_text (layout, text, -1);
  if (attrs != NULL)
    pango_layout_set_attributes (layout, attrs);

  return layout;
}

/* One line of text whose baseline sits at @baseline; cut short with "…"
 * when it is wider than @width. */
static void
draw_line (PdfWriter      *w,
           const char     *text,
           Style           style,
           double          x,
           double          baseline,
           double          width,
           PangoAlignment  alignment)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (!is_drawing (w))
    return;

  layout = new_layout (w, style, width, text, NULL);
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  set_colour (w->cr, styles[style].colour);
  cairo_move_to (w->cr, x, baseline - pango_layout_get_baseline (layout) / (double) PANGO_SCALE);
  pango_cairo_show_layout (w->cr, layout);
}

static void
draw_rule (PdfWriter *w,
           double     y)
{
  if (!is_drawing (w))
    return;

  set_colour (w->cr, COLOUR_RULE);
  cairo_set_line_width (w->cr, 0.6);
  cairo_move_to (w->cr, MARGIN_X, y);
  cairo_line_to (w->cr, PAGE_WIDTH - MARGIN_X, y);
  cairo_stroke (w->cr);
}

static void
emit_tag (PdfWriter  *w,
          const char *tag,
          const char *attributes)
{
  if (!is_drawing (w))
    return;

  cairo_tag_begin (w->cr, tag, attributes);
  cairo_tag_end (w->cr, tag);
}

/* Running header and footer, on every page but the title page */
static void
draw_page_furniture (PdfWriter *w)
{
  g_autofree char *footer = NULL;

  if (!is_drawing (w) || w->page < 2)
    return;

  draw_line (w, cb_pack_get_name (w->ctx->pack), STYLE_FURNITURE,
             MARGIN_X, HEADER_BASELINE, CONTENT_WIDTH * 0.75, PANGO_ALIGN_LEFT);
  draw_line (w, w->ctx->generated, STYLE_FURNITURE,
             PAGE_WIDTH - MARGIN_X - CONTENT_WIDTH * 0.25, HEADER_BASELINE,
             CONTENT_WIDTH * 0.25, PANGO_ALIGN_RIGHT);
  draw_rule (w, HEADER_BASELINE + 6);

  /* Translators: the footer of every page of a PDF handout */
  footer = g_strdup_printf (_("Page %u of %u"), w->page, w->n_pages);
  draw_line (w, footer, STYLE_FURNITURE, MARGIN_X, FOOTER_BASELINE, CONTENT_WIDTH, PANGO_ALIGN_CENTER);
}

static void
new_page (PdfWriter *w)
{
  g_assert (w->f.can_break);

  if (w->cr != NULL)
    cairo_show_page (w->cr);

  w->page++;
  w->f.top = w->f.y = CONTENT_TOP;
  draw_page_furniture (w);
}

static void
skip (PdfWriter *w,
      double     space)
{
  if (!at_frame_top (w))
    w->f.y = MIN (w->f.y + space, w->f.can_break ? CONTENT_BOTTOM : G_MAXDOUBLE);
}

/* Makes the link's text clickable on the lines @first to @last - 1, drawn
 * from @x, @top */
static void
draw_link_rects (PdfWriter  *w,
                 const Link *link,
                 LineBox    *lines,
                 guint       first,
                 guint       last,
                 double      x,
                 double      top)
{
  g_autoptr(GString) attributes = g_string_new (link->target);
  gboolean any = FALSE;

  g_string_append (attributes, " rect=[");
  for (guint k = first; k < last; k++)
    {
      PangoLayoutLine *line = lines[k].line;
      int start = MAX ((int) link->start, line->start_index);
      int end = MIN ((int) link->end, line->start_index + line->length);
      int *ranges = NULL;
      int n_ranges = 0;

      /* Outside the line, Pango would extend the range to the layout's edge */
      if (start >= end)
        continue;

      pango_layout_line_get_x_ranges (line, start, end, &ranges, &n_ranges);
      for (int r = 0; r < n_ranges; r++)
        {
          char buf[4][G_ASCII_DTOSTR_BUF_SIZE];
          double x0 = x + ranges[2 * r] / (double) PANGO_SCALE;
          double x1 = x + ranges[2 * r + 1] / (double) PANGO_SCALE;

          if (x1 - x0 < 0.5)
            continue;
          g_string_append_printf (attributes, "%s %s %s %s ",
                                  g_ascii_formatd (buf[0], sizeof buf[0], "%.2f", x0),
                                  g_ascii_formatd (buf[1], sizeof buf[1], "%.2f", top + lines[k].top - lines[first].top),
                                  g_ascii_formatd (buf[2], sizeof buf[2], "%.2f", x1 - x0),
                                  g_ascii_formatd (buf[3], sizeof buf[3], "%.2f", lines[k].bottom - lines[k].top));
          any = TRUE;
        }
      g_free (ranges);
    }
  g_string_append_c (attributes, ']');

  if (any)
    emit_tag (w, CAIRO_TAG_LINK, attributes->str);
}

/* Places @rt at the cursor, splitting it between pages by lines: a line
 * never leaves the page, the first line of a paragraph (of the text's
 * own paragraphs too) is not left alone at the foot of a page, nor its
 * last line at the head of the next. */
static void
flow (PdfWriter         *w,
      RichText          *rt,
      Style              style,
      const FlowOptions *options)
{
  static const FlowOptions defaults = { 0 };
  const FlowOptions *o = options ? options : &defaults;
  double pad = o->boxed ? BOX_PADDING : 0;
  double left = w->f.x + w->f.indent + o->indent;
  double right = w->f.x + w->f.width;
  double text_x = left + (o->boxed ? BOX_BAR + BOX_PADDING : 0);
  double width = right - pad - (o->trailer ? TRAILER_WIDTH : 0) - text_x;
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (LineBox));
  PangoLayoutIter *iter;
  LineBox *lines;
  guint n;
  guint i = 0;

  if (rt->text->len == 0)
    return;

  layout = new_layout (w, style, width, rt->text->str, rt->attrs);

  iter = pango_layout_get_iter (layout);
  do
    {
      LineBox box;
      PangoRectangle logical;
      int y0, y1;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      box.top = y0 / (double) PANGO_SCALE;
      box.bottom = y1 / (double) PANGO_SCALE;
      box.baseline = pango_layout_iter_get_baseline (iter) / (double) PANGO_SCALE;
      box.x = logical.x / (double) PANGO_SCALE;
      box.line = pango_layout_iter_get_line_readonly (iter);
      box.starts_paragraph = box.line->is_paragraph_start;
      g_array_append_val (boxes, box);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  lines = (LineBox *) (void *) boxes->data;
  n = boxes->len;

  /* A heading goes to the next page rather than end this one */
  if (w->f.can_break && !at_frame_top (w))
    {
      double height = lines[n - 1].bottom - lines[0].top + 2 * pad;

      if (w->f.y + height <= CONTENT_BOTTOM && w->f.y + height + o->keep_with_next > CONTENT_BOTTOM)
        new_page (w);
    }

  while (i < n)
    {
      guint j = i;
      double top = w->f.y;
      double height;

      if (w->f.can_break)
        {
          while (j < n && top + lines[j].bottom - lines[i].top + 2 * pad <= CONTENT_BOTTOM + 0.01)
            j++;

          if (j < n)
            {
              gboolean last_of_paragraph = j + 1 == n || lines[j + 1].starts_paragraph;

              /* Widow */
              if (last_of_paragraph && !lines[j].starts_paragraph && j > i + 1)
                j--;
              /* Orphan */
              if (j > i && lines[j - 1].starts_paragraph && !lines[j].starts_paragraph &&
                  (j > i + 1 || !at_frame_top (w)))
                j--;
            }

          if (j == i)
            {
              if (!at_frame_top (w))
                {
                  new_page (w);
                  continue;
                }
              j = i + 1;
            }
        }
      else
        {
          j = n;
        }

      height = lines[j - 1].bottom - lines[i].top + 2 * pad;

      if (is_drawing (w))
        {
          if (o->boxed)
            {
              fill_rect (w, COLOUR_NOTE, left, top, right - left, height);
              fill_rect (w, COLOUR_NOTE_BAR, left, top, BOX_BAR, height);
            }

          set_colour (w->cr, styles[style].colour);
          for (guint k = i; k < j; k++)
            {
              cairo_move_to (w->cr, text_x + lines[k].x, top + pad + lines[k].baseline - lines[i].top);
              pango_cairo_show_layout_line (w->cr, lines[k].line);
            }

          if (i == 0 && o->marker != NULL)
            draw_line (w, o->marker, style, left - MARKER_WIDTH - MARKER_GAP, top + pad + lines[0].baseline - lines[0].top,
                       MARKER_WIDTH, PANGO_ALIGN_RIGHT);
          if (j == n && o->trailer != NULL)
            draw_line (w, o->trailer, style, right - TRAILER_WIDTH, top + pad + lines[n - 1].baseline - lines[i].top,
                       TRAILER_WIDTH, PANGO_ALIGN_RIGHT);

          for (guint l = 0; l < rt->links->len; l++)
            draw_link_rects (w, &g_array_index (rt->links, Link, l), lines, i, j, text_x, top + pad);
        }

      w->f.y = top + height;
      i = j;
      if (i < n)
        new_page (w);
    }
}

static void
flow_text (PdfWriter  *w,
           const char *text,
           Style       style,
           CbSpanFlags flags)
{
  g_autoptr(RichText) rt = NULL;

  if (text == NULL || *text == '\0')
    return;

  rt = rich_text_new_plain (text, flags);
  flow (w, rt, style, NULL);
}

static void
flow_heading (PdfWriter  *w,
              const char *text,
              Style       style,
              double      space_before)
{
  g_autoptr(RichText) rt = rich_text_new_plain (text, CB_SPAN_PLAIN);
  FlowOptions options = { .keep_with_next = 48 };

  skip (w, space_before);
  flow (w, rt, style, &options);
  skip (w, 1);
}

static void render_block (PdfWriter *w,
                          CbBlock   *block);

static void
render_blocks (PdfWriter *w,
               GPtrArray *blocks)
{
  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    render_block (w, g_ptr_array_index (blocks, i));
}

/* Renders the cell's blocks inside its box; returns the height they take.
 * Measures without drawing when @dry. */
static double
render_cell (PdfWriter *w,
             CbBlock   *cell,
             gboolean   header,
             double     x,
             double     y,
             double     width,
             gboolean   dry)
{
  Frame saved = w->f;
  double height;

  w->f.x = x + CELL_PADDING;
  w->f.width = width - 2 * CELL_PADDING;
  w->f.top = w->f.y = y + CELL_PADDING;
  w->f.indent = 0;
  w->f.text_style = header ? STYLE_CELL_HEADER : STYLE_CELL;
  w->f.dry = saved.dry || dry;
  w->f.can_break = FALSE;

  render_blocks (w, cell->children);
  height = w->f.y - y + CELL_PADDING;

  w->f = saved;

  return height;
}

static double
measure_row (PdfWriter    *w,
             CbBlock      *row,
             const double *xs,
             const double *widths)
{
  double height = 0;

  for (guint c = 0; c < row->children->len; c++)
    height = MAX (height, render_cell (w, g_ptr_array_index (row->children, c), row->header,
                                       xs[c], 0, widths[c], TRUE));

  return height;
}

static void
draw_row (PdfWriter    *w,
          CbBlock      *row,
          const double *xs,
          const double *widths,
          guint         n_columns,
          double        height)
{
  double top = w->f.y;

  if (is_drawing (w))
    {
      if (row->header)
        fill_rect (w, COLOUR_TABLE_HEAD, xs[0], top, xs[n_columns - 1] + widths[n_columns - 1] - xs[0], height);

      set_colour (w->cr, COLOUR_RULE);
      cairo_set_line_width (w->cr, 0.6);
      for (guint c = 0; c < n_columns; c++)
        cairo_rectangle (w->cr, xs[c], top, widths[c], height);
      cairo_stroke (w->cr);
    }

  for (guint c = 0; c < row->children->len && c < n_columns; c++)
    render_cell (w, g_ptr_array_index (row->children, c), row->header, xs[c], top, widths[c], FALSE);

  w->f.y = top + height;
}

/* A grid with wrapped cell text; columns share the width by how much text
 * they hold; header rows repeat on each page the table spans. */
static void
render_table (PdfWriter *w,
              CbBlock   *table)
{
  guint n_columns = 0;
  g_autofree double *weights = NULL;
  g_autofree double *widths = NULL;
  g_autofree double *xs = NULL;
  double total = 0;
  double x;
  CbBlock *header = NULL;

  for (guint r = 0; r < table->children->len; r++)
    n_columns = MAX (n_columns, ((CbBlock *) g_ptr_array_index (table->children, r))->children->len);
  if (n_columns == 0)
    return;

  weights = g_new0 (double, n_columns);
  widths = g_new0 (double, n_columns);
  xs = g_new0 (double, n_columns);

  for (guint r = 0; r < table->children->len; r++)
    {
      CbBlock *row = g_ptr_array_index (table->children, r);

      for (guint c = 0; c < row->children->len; c++)
        {
          g_autoptr(GString) text = g_string_new (NULL);

          cb_block_append_text (g_ptr_array_index (row->children, c), text);
          weights[c] += g_utf8_strlen (text->str, -1);
        }
    }
  for (guint c = 0; c < n_columns; c++)
    total += (weights[c] = sqrt (weights[c] + 40.0));

  x = w->f.x + w->f.indent;
  for (guint c = 0; c < n_columns; c++)
    {
      widths[c] = (w->f.width - w->f.indent) * weights[c] / total;
      xs[c] = x;
      x += widths[c];
    }

  skip (w, 8);

  for (guint r = 0; r < table->children->len; r++)
    {
      CbBlock *row = g_ptr_array_index (table->children, r);
      double height = measure_row (w, row, xs, widths);

      if (row->header && header == NULL && r == 0)
        header = row;

      if (w->f.can_break && height > CONTENT_BOTTOM - CONTENT_TOP)
        {
          /* Taller than a page: its cells one after another instead */
          for (guint c = 0; c < row->children->len; c++)
            render_blocks (w, ((CbBlock *) g_ptr_array_index (row->children, c))->children);
          continue;
        }

      if (w->f.can_break && w->f.y + height > CONTENT_BOTTOM && !at_frame_top (w))
        {
          new_page (w);
          if (header != NULL && row != header)
            draw_row (w, header, xs, widths, n_columns, measure_row (w, header, xs, widths));
        }

      draw_row (w, row, xs, widths, n_columns, height);
    }

  skip (w, 4);
}

/* The one function that turns structured text into PDF; lists, tables and
 * cells recurse into it. */
static void
render_block (PdfWriter *w,
              CbBlock   *block)
{
  g_autoptr(RichText) rt = rich_text_new ();
  gboolean in_cell = !w->f.can_break;

  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      skip (w, in_cell ? 4 : 7);
      rich_append_spans (rt, block->spans, CB_SPAN_PLAIN);
      flow (w, rt, w->f.text_style, NULL);
      break;

    case CB_BLOCK_HEADING:
      {
        FlowOptions options = { .keep_with_next = 40 };

        skip (w, in_cell ? 4 : 10);
        if (block->number != NULL)
          {
            rich_append (rt, block->number, CB_SPAN_STRONG);
            rich_append (rt, "  ", CB_SPAN_PLAIN);
          }
        rich_append_spans (rt, block->spans, CB_SPAN_STRONG);
        flow (w, rt, in_cell ? STYLE_CELL_HEADER : STYLE_BLOCK_HEADING, &options);
      }
      break;

    case CB_BLOCK_LIST:
      skip (w, 2);
      w->f.indent += LIST_INDENT;
      for (guint i = 0; i < block->children->len; i++)
        {
          CbBlock *child = g_ptr_array_index (block->children, i);
          g_autofree char *marker = NULL;

          if (child->number != NULL)
            marker = g_strdup_printf ("%s.", child->number);
          else if (block->ordered)
            marker = g_strdup_printf ("%u.", i + 1);
          else
            marker = g_strdup ("•");

          w->marker = marker;
          render_block (w, child);
          w->marker = NULL;
        }
      w->f.indent -= LIST_INDENT;
      break;

    case CB_BLOCK_LIST_ITEM:
      {
        FlowOptions options = { .marker = w->marker ? w->marker : "•" };

        skip (w, in_cell ? 2 : 3);
        if (block->lead != NULL && block->lead->len > 0)
          {
            rich_append_spans (rt, block->lead, CB_SPAN_STRONG);
            rich_append (rt, " ", CB_SPAN_PLAIN);
          }
        rich_append_spans (rt, block->spans, CB_SPAN_PLAIN);
        flow (w, rt, w->f.text_style, &options);
      }
      break;

    case CB_BLOCK_TABLE:
      render_table (w, block);
      break;

    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
      render_blocks (w, block->children);
      break;

    case CB_BLOCK_ITEM_REF:
      {
        CbItem *item = block->ref ? cb_corpus_lookup_item (w->ctx->corpus, block->ref) : NULL;
        g_autofree char *text = NULL;
        g_autofree char *target = NULL;
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

        if (block->ref && cb_pack_lookup_entry (w->ctx->pack, block->ref, &position))
          {
            g_autofree char *dest = dup_item_dest (position);
            g_autofree char *quoted = dup_quoted (dest);

            target = g_strconcat ("dest=", quoted, NULL);
          }

        skip (w, in_cell ? 4 : 6);
        rich_append (rt, "→ ", CB_SPAN_EMPHASIS);
        rich_append_full (rt, text, CB_SPAN_EMPHASIS, target, target != NULL);
        flow (w, rt, w->f.text_style, NULL);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
flow_reference (PdfWriter   *w,
                CbReference *reference,
                guint        number)
{
  g_autoptr(GPtrArray) spans = _cb_export_dup_reference_spans (reference);
  g_autoptr(RichText) rt = rich_text_new ();
  g_autofree char *marker = g_strdup_printf ("%u.", number);
  FlowOptions options = { .indent = 20, .marker = marker };

  skip (w, 4);
  rich_append_spans (rt, spans, CB_SPAN_PLAIN);
  flow (w, rt, STYLE_SMALL, &options);
}

/* "Label: value", the label in bold */
static void
flow_fact (PdfWriter  *w,
           const char *label,
           const char *value,
           Style       style)
{
  g_autoptr(RichText) rt = NULL;

  if (value == NULL || *value == '\0')
    return;

  rt = rich_text_new ();
  rich_append (rt, label, CB_SPAN_STRONG);
  rich_append (rt, "  ", CB_SPAN_PLAIN);
  rich_append (rt, value, CB_SPAN_PLAIN);
  skip (w, 3);
  flow (w, rt, style, NULL);
}

static void
render_title_page (PdfWriter *w)
{
  CbExportContext *ctx = w->ctx;
  CbPack *pack = ctx->pack;
  guint n_entries = cb_pack_get_n_entries (pack);
  g_autofree char *count = g_strdup_printf (ngettext ("%u item", "%u items", n_entries), n_entries);

  if (is_drawing (w))
    fill_rect (w, styles[STYLE_KICKER].colour, 0, 0, PAGE_WIDTH, 10);

  w->f.y = 150;
  flow_text (w, _("Evidence pack"), STYLE_KICKER, CB_SPAN_PLAIN);
  skip (w, 8);
  flow_text (w, cb_pack_get_name (pack), STYLE_TITLE, CB_SPAN_PLAIN);
  skip (w, 14);
  flow_text (w, cb_pack_get_description (pack), STYLE_SUBTITLE, CB_SPAN_PLAIN);
  skip (w, 22);
  draw_rule (w, w->f.y);
  skip (w, 14);

  flow_fact (w, _("Audience"), cb_pack_get_audience (pack), STYLE_BODY);
  flow_fact (w, _("Date"), cb_pack_get_date (pack), STYLE_BODY);
  flow_fact (w, _("Items"), count, STYLE_BODY);
  flow_fact (w, _("Exported"), ctx->generated, STYLE_BODY);

  skip (w, 40);
  flow_heading (w, _("How to cite the guide"), STYLE_PART, 0);
  flow_text (w, ctx->guide_citation, STYLE_SMALL, CB_SPAN_PLAIN);
}

static void
add_outline (PdfWriter  *w,
             const char *title,
             const char *dest)
{
  g_autofree char *quoted = NULL;
  g_autofree char *attributes = NULL;

  if (!is_drawing (w))
    return;

  quoted = dup_quoted (dest);
  attributes = g_strdup_printf ("dest=%s", quoted);
  cairo_pdf_surface_add_outline (w->surface, CAIRO_PDF_OUTLINE_ROOT, title, attributes, 0);
}

/* A named destination at the top of the current frame */
static void
add_dest (PdfWriter  *w,
          const char *name)
{
  g_autofree char *quoted = dup_quoted (name);
  g_autofree char *attributes = NULL;
  char x[G_ASCII_DTOSTR_BUF_SIZE];
  char y[G_ASCII_DTOSTR_BUF_SIZE];

  attributes = g_strdup_printf ("name=%s x=%s y=%s", quoted,
                                g_ascii_formatd (x, sizeof x, "%.2f", MARGIN_X),
                                g_ascii_formatd (y, sizeof y, "%.2f", MAX (w->f.y - 12, 0)));
  emit_tag (w, CAIRO_TAG_DEST, attributes);
}

static void
render_contents (PdfWriter *w)
{
  guint n_entries = cb_pack_get_n_entries (w->ctx->pack);
  g_autofree char *references_page = NULL;

  new_page (w);
  add_dest (w, "contents");
  add_outline (w, _("Contents"), "contents");
  flow_heading (w, _("Contents"), STYLE_SECTION, 0);
  skip (w, 6);

  if (n_entries == 0)
    flow_text (w, _("This pack has no items yet."), STYLE_BODY, CB_SPAN_EMPHASIS);

  for (guint i = 0; i < n_entries; i++)
    {
      g_autofree char *heading = _cb_export_dup_heading (w->ctx, i);
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);
      g_autofree char *page = w->n_pages ? g_strdup_printf ("%u", w->item_pages[i]) : g_strdup ("");
      g_autofree char *dest = dup_item_dest (i);
      g_autofree char *quoted = dup_quoted (dest);
      g_autofree char *target = g_strconcat ("dest=", quoted, NULL);
      g_autoptr(RichText) rt = rich_text_new ();
      FlowOptions options = { .indent = 22, .marker = number, .trailer = page };
      const char *status = _cb_export_get_status (w->ctx, i);

      rich_append_full (rt, heading, CB_SPAN_PLAIN, target, FALSE);
      if (status != NULL)
        {
          rich_append (rt, " — ", CB_SPAN_PLAIN);
          rich_append (rt, status, CB_SPAN_EMPHASIS);
        }
      skip (w, 7);
      flow (w, rt, STYLE_BODY, &options);
    }

  {
    g_autoptr(RichText) rt = rich_text_new ();
    FlowOptions options = { .indent = 22, .trailer = NULL };

    references_page = w->n_pages ? g_strdup_printf ("%u", w->references_page) : g_strdup ("");
    options.trailer = references_page;
    rich_append_full (rt, _("References"), CB_SPAN_STRONG, "dest='references'", FALSE);
    skip (w, 14);
    flow (w, rt, STYLE_BODY, &options);
  }
}

static void
render_item (PdfWriter *w,
             guint      position)
{
  CbExportContext *ctx = w->ctx;
  CbPackEntry *entry = cb_pack_get_entry (ctx->pack, position);
  CbItem *item = g_ptr_array_index (ctx->items, position);
  g_autofree char *dest = dup_item_dest (position);
  /* Translators: above each item's heading in a PDF handout */
  g_autofree char *kicker = g_strdup_printf (_("Item %u of %u"), position + 1, cb_pack_get_n_entries (ctx->pack));
  g_autofree char *heading = _cb_export_dup_heading (ctx, position);
  g_autofree char *location = _cb_export_dup_location (ctx, position);
  g_autofree char *countries = _cb_export_dup_countries (ctx, position);
  g_autofree char *interventions = _cb_export_dup_interventions (ctx, position);
  g_autofree char *citation = _cb_export_dup_citation (ctx, position);
  g_autoptr(GPtrArray) references = _cb_export_dup_references (ctx, position);
  const char *status = _cb_export_get_status (ctx, position);
  const char *design = _cb_export_get_design (ctx, position);

  new_page (w);
  w->item_pages[position] = w->page;
  add_dest (w, dest);
  add_outline (w, heading, dest);

  flow_text (w, kicker, STYLE_KICKER, CB_SPAN_PLAIN);
  flow_heading (w, heading, STYLE_SECTION, 4);

  if (status != NULL)
    {
      skip (w, 2);
      flow_text (w, status, STYLE_STATUS, CB_SPAN_PLAIN);
    }

  skip (w, 2);
  flow_text (w, location, STYLE_META, CB_SPAN_PLAIN);
  flow_fact (w, _("Countries:"), countries, STYLE_META);
  flow_fact (w, _("Intervention types:"), interventions, STYLE_META);
  flow_fact (w, _("Design:"), design, STYLE_META);
  /* Beside the other facts, the citation never strands on a page of its own */
  if (citation != NULL)
    flow_fact (w, _("Cite as:"), citation, STYLE_META);

  if (entry->note != NULL && *entry->note)
    {
      g_autoptr(RichText) rt = rich_text_new ();
      FlowOptions options = { .boxed = TRUE };

      rich_append (rt, _("Note"), CB_SPAN_STRONG);
      rich_append (rt, "\n", CB_SPAN_PLAIN);
      rich_append (rt, entry->note, CB_SPAN_PLAIN);
      skip (w, 12);
      flow (w, rt, STYLE_NOTE, &options);
    }

  if (item != NULL)
    {
      GPtrArray *parts = cb_item_get_parts (item);

      for (guint i = 0; i < parts->len; i++)
        {
          CbPart *part = g_ptr_array_index (parts, i);

          if (!g_str_equal (part->name, "body"))
            flow_heading (w, cb_part_name_label (part->name), STYLE_PART, 14);
          else
            skip (w, 8);
          render_blocks (w, part->blocks);
        }
    }

  if (references->len > 0 || (item && cb_item_get_reference_note (item)))
    {
      flow_heading (w, _("References"), STYLE_PART, 14);
      if (item && cb_item_get_reference_note (item))
        flow_text (w, cb_item_get_reference_note (item), STYLE_SMALL, CB_SPAN_EMPHASIS);
      for (guint i = 0; i < references->len; i++)
        flow_reference (w, g_ptr_array_index (references, i), i + 1);
    }

}

static void
render_back_matter (PdfWriter *w)
{
  CbExportContext *ctx = w->ctx;

  new_page (w);
  w->references_page = w->page;
  add_dest (w, "references");
  add_outline (w, _("References"), "references");
  flow_heading (w, _("References"), STYLE_SECTION, 0);

  if (ctx->references->len == 0)
    flow_text (w, _("The items in this pack cite no references."), STYLE_BODY, CB_SPAN_EMPHASIS);
  for (guint i = 0; i < ctx->references->len; i++)
    flow_reference (w, g_ptr_array_index (ctx->references, i), i + 1);

  flow_heading (w, _("How to cite the guide"), STYLE_PART, 24);
  flow_text (w, ctx->guide_citation, STYLE_SMALL, CB_SPAN_PLAIN);
}

static gboolean
render_document (PdfWriter  *w,
                 GError    **error)
{
  w->page = 1;
  w->marker = NULL;
  w->f = (Frame) {
    .x = MARGIN_X,
    .width = CONTENT_WIDTH,
    .top = CONTENT_TOP,
    .y = CONTENT_TOP,
    .text_style = STYLE_BODY,
    .can_break = TRUE,
  };

  render_title_page (w);
  render_contents (w);

  for (guint i = 0; i < cb_pack_get_n_entries (w->ctx->pack); i++)
    {
      if (_cb_export_check_cancelled (w->ctx, error))
        return FALSE;

      render_item (w, i);
    }

  render_back_matter (w);

  return TRUE;
}

static PdfWriter *
pdf_writer_new (CbExportContext *ctx)
{
  PdfWriter *w = g_new0 (PdfWriter, 1);
  cairo_font_options_t *options = cairo_font_options_create ();

  w->ctx = ctx;
  w->item_pages = g_new0 (guint, MAX (cb_pack_get_n_entries (ctx->pack), 1));

  /* Unhinted metrics at 72 dpi: one Pango point is one PDF point, and both
   * passes lay out exactly alike. */
  w->pango = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (w->pango, options);
  pango_cairo_context_set_resolution (w->pango, 72.0);
  pango_context_set_round_glyph_positions (w->pango, FALSE);
  pango_context_set_language (w->pango, pango_language_from_string ("en"));
  cairo_font_options_destroy (options);

  for (guint i = 0; i < N_STYLES; i++)
    {
      w->fonts[i] = pango_font_description_new ();
      pango_font_description_set_family_static (w->fonts[i], FONT_FAMILY);
      pango_font_description_set_size (w->fonts[i], (int) (styles[i].size * PANGO_SCALE));
      pango_font_description_set_weight (w->fonts[i], styles[i].weight);
    }

  return w;
}

static void
pdf_writer_free (PdfWriter *w)
{
  for (guint i = 0; i < N_STYLES; i++)
    pango_font_description_free (w->fonts[i]);
  g_clear_object (&w->pango);
  g_free (w->item_pages);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdfWriter, pdf_writer_free)

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (cairo_surface_t *surface,
              CbExportContext *ctx)
{
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE (1, 16, 0)
  g_autofree char *date = g_strconcat (ctx->generated, "T00:00:00Z", NULL);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, cb_pack_get_name (ctx->pack));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, ctx->guide_citation);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME " " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, date);
#endif
}

GBytes *
_cb_export_pdf (CbExportContext *ctx,
                GError         **error)
{
  g_autoptr(PdfWriter) w = NULL;
  g_autoptr(GByteArray) data = NULL;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  w = pdf_writer_new (ctx);

  /* First pass: paginate only */
  if (!render_document (w, error))
    return NULL;
  w->n_pages = w->page;

  /* Second pass: draw, now that page numbers are known */
  data = g_byte_array_new ();
  w->surface = cairo_pdf_surface_create_for_stream (write_to_array, data, PAGE_WIDTH, PAGE_HEIGHT);
  set_metadata (w->surface, ctx);
  w->cr = cairo_create (w->surface);

  ok = render_document (w, error);
  if (ok)
    {
      cairo_show_page (w->cr);
      g_warn_if_fail (w->page == w->n_pages);
    }

  status = cairo_status (w->cr);
  g_clear_pointer (&w->cr, cairo_destroy);
  cairo_surface_finish (w->surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (w->surface);
  g_clear_pointer (&w->surface, cairo_surface_destroy);

  if (!ok)
    return NULL;

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_IO,
                   _("Could not write the PDF document: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}
