/* cb-item-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-item-view.h"
#include "cb-filter-pane.h"
#include "cb-widget-util.h"
#include "cb-wrap-box.h"

#define ITEM_URI_SCHEME "casebook-item:"

struct _CbItemView
{
  GtkWidget  parent_instance;

  CbStore   *store;
  CbCorpus  *outline;
  CbItem    *item;

  GtkWidget *box;
  GtkLabel  *kind_label;
  GtkLabel  *title_label;
  GtkLabel  *meta_label;
  GtkWidget *chips;
  GtkWidget *retired_label;
  GtkWidget *content_box;
  GtkWidget *references_heading;
  GtkWidget *references_box;
  GtkWidget *related_heading;
  GtkWidget *related_box;
  GtkWidget *history_heading;
  GtkWidget *history_box;
};

G_DEFINE_FINAL_TYPE (CbItemView, cb_item_view, GTK_TYPE_WIDGET)

enum {
  OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * cb_spans_to_markup:
 * @spans: (element-type CbSpan): spans
 *
 * Escapes every span's text, then adds Pango markup for emphasis and links,
 * so corpus text can never inject markup.
 *
 * Returns: (transfer full): Pango markup
 */
char *
cb_spans_to_markup (GPtrArray *spans)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; spans && i < spans->len; i++)
    {
      CbSpan *span = g_ptr_array_index (spans, i);
      g_autofree char *text = g_markup_escape_text (span->text, -1);

      if (span->href != NULL)
        {
          g_autofree char *href = g_markup_escape_text (span->href, -1);

          g_string_append_printf (out, "<a href=\"%s\">", href);
        }
      if (span->flags & CB_SPAN_STRONG)
        g_string_append (out, "<b>");
      if (span->flags & CB_SPAN_EMPHASIS)
        g_string_append (out, "<i>");
      g_string_append (out, text);
      if (span->flags & CB_SPAN_EMPHASIS)
        g_string_append (out, "</i>");
      if (span->flags & CB_SPAN_STRONG)
        g_string_append (out, "</b>");
      if (span->href != NULL)
        g_string_append (out, "</a>");
    }

  return g_string_free (out, FALSE);
}

/**
 * cb_uri_is_openable:
 * @uri: a link target
 *
 * Only web pages and DOIs are opened; anything else (a "#" placeholder, a
 * file: or javascript: URI) is refused.
 */
gboolean
cb_uri_is_openable (const char *uri)
{
  g_autofree char *scheme = uri ? g_uri_parse_scheme (uri) : NULL;

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0 ||
          g_ascii_strcasecmp (scheme, "doi") == 0);
}

static gboolean
on_activate_link (GtkLabel   *label,
                  const char *uri,
                  CbItemView *self)
{
  if (g_str_has_prefix (uri, ITEM_URI_SCHEME))
    {
      g_signal_emit (self, signals[OPEN_ITEM], 0, uri + strlen (ITEM_URI_SCHEME));
      return TRUE;
    }

  if (cb_uri_is_openable (uri))
    {
      g_autofree char *target = g_ascii_strncasecmp (uri, "doi:", 4) == 0
        ? g_strconcat ("https://doi.org/", uri + 4, NULL)
        : g_strdup (uri);
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, target, GDK_CURRENT_TIME);
    }

  /* Handled either way: links the guide left empty ("#") go nowhere. */
  return TRUE;
}

static GtkWidget *
text_label (CbItemView *self,
            const char *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  g_signal_connect_object (label, "activate-link", G_CALLBACK (on_activate_link), self, 0);

  return label;
}

static GtkWidget *render_block (CbItemView *self,
                                CbBlock    *block);

/* "→ Case study 2.2.1: Title" as a link to the item, from the index's
 * memory; NULL if the index does not know the id */
static char *
item_link_markup (CbItemView *self,
                  const char *id)
{
  g_autofree char *kind = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  CbItemKind item_kind = CB_ITEM_KIND_SECTION;

  if (self->store == NULL || !cb_store_describe (self->store, id, &kind, &number, &title))
    return NULL;

  cb_item_kind_from_string (kind, &item_kind);

  return g_markup_printf_escaped ("→ <a href=\"" ITEM_URI_SCHEME "%s\">%s%s%s: %s</a>", id,
                                  cb_item_kind_label (item_kind), number ? " " : "", number ? number : "", title);
}

static GtkWidget *
render_list (CbItemView *self,
             CbBlock    *list)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, _("List"), -1);

  for (guint i = 0; i < list->children->len; i++)
    {
      CbBlock *item = g_ptr_array_index (list->children, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      g_autofree char *marker = item->number ? g_strdup_printf ("%s.", item->number) : g_strdup ("•");
      g_autofree char *text = cb_spans_to_markup (item->spans);
      g_autofree char *markup = NULL;
      GtkWidget *marker_label = gtk_label_new (marker);

      if (item->lead != NULL)
        {
          g_autofree char *lead = cb_spans_to_markup (item->lead);

          markup = g_strdup_printf ("<b>%s</b> %s", lead, text);
        }
      else
        {
          markup = g_steal_pointer (&text);
        }

      gtk_label_set_yalign (GTK_LABEL (marker_label), 0);
      gtk_widget_set_size_request (marker_label, 18, -1);
      gtk_label_set_xalign (GTK_LABEL (marker_label), 1);
      gtk_widget_add_css_class (marker_label, "dim-label");
      gtk_widget_add_css_class (marker_label, "numeric");
      gtk_box_append (GTK_BOX (row), marker_label);
      gtk_box_append (GTK_BOX (row), text_label (self, markup));
      gtk_box_append (GTK_BOX (box), row);
    }

  return box;
}

static GtkWidget *
render_table (CbItemView *self,
              CbBlock    *table)
{
  GtkWidget *grid = gtk_grid_new ();
  guint columns = 0;

  gtk_widget_add_css_class (grid, "evidence-table");
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Table"), -1);

  for (guint r = 0; r < table->children->len; r++)
    {
      CbBlock *row = g_ptr_array_index (table->children, r);

      columns = MAX (columns, row->children->len);
      for (guint c = 0; c < row->children->len; c++)
        {
          CbBlock *cell = g_ptr_array_index (row->children, c);
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

          gtk_widget_add_css_class (box, "cell");
          if (row->header)
            gtk_widget_add_css_class (box, "header");
          for (guint b = 0; b < cell->children->len; b++)
            gtk_box_append (GTK_BOX (box), render_block (self, g_ptr_array_index (cell->children, b)));
          gtk_grid_attach (GTK_GRID (grid), box, c, r, 1, 1);
        }
    }

  return grid;
}

static GtkWidget *
render_block (CbItemView *self,
              CbBlock    *block)
{
  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      {
        g_autofree char *markup = cb_spans_to_markup (block->spans);

        return text_label (self, markup);
      }

    case CB_BLOCK_HEADING:
      {
        g_autofree char *text = cb_spans_to_markup (block->spans);
        g_autofree char *number = block->number ? g_markup_escape_text (block->number, -1) : NULL;
        g_autofree char *markup = number ? g_strdup_printf ("%s  %s", number, text) : g_steal_pointer (&text);
        GtkWidget *label = text_label (self, markup);

        gtk_widget_add_css_class (label, "block-heading");
        return label;
      }

    case CB_BLOCK_LIST:
      return render_list (self, block);

    case CB_BLOCK_TABLE:
      return render_table (self, block);

    case CB_BLOCK_ITEM_REF:
      {
        g_autofree char *markup = item_link_markup (self, block->ref);

        return markup ? text_label (self, markup) : gtk_label_new (block->ref);
      }

    case CB_BLOCK_LIST_ITEM:
    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
    default:
      return gtk_label_new (NULL);
    }
}


/* g_string_append_printf(), with the arguments escaped for markup */
G_GNUC_PRINTF (2, 3)
static void
append_escaped (GString    *out,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_markup_vprintf_escaped (format, args);
  va_end (args);

  g_string_append (out, text);
}

static char *
reference_markup (CbReference *reference)
{
  g_autofree char *authors = cb_reference_format_authors (reference);
  g_autofree char *link = cb_reference_dup_link (reference);
  const char *year = cb_reference_get_year (reference);
  GString *out = g_string_new (NULL);

  append_escaped (out, "%s", authors);
  append_escaped (out, " (%s) ", year ? year : _("n.d."));
  if (cb_reference_get_container (reference) != NULL)
    {
      append_escaped (out, "%s. ", cb_reference_get_title (reference));
      append_escaped (out, "<i>%s</i>", cb_reference_get_container (reference));
      if (cb_reference_get_volume (reference))
        append_escaped (out, ", %s", cb_reference_get_volume (reference));
      if (cb_reference_get_issue (reference))
        append_escaped (out, "(%s)", cb_reference_get_issue (reference));
      if (cb_reference_get_pages (reference))
        append_escaped (out, ", %s", cb_reference_get_pages (reference));
      g_string_append (out, ".");
    }
  else
    {
      append_escaped (out, "<i>%s</i>.", cb_reference_get_title (reference));
      if (cb_reference_get_publisher (reference))
        append_escaped (out, " %s.", cb_reference_get_publisher (reference));
    }

  if (link != NULL && cb_uri_is_openable (link))
    {
      g_autofree char *shown = cb_reference_get_doi (reference)
        ? g_strconcat ("doi:", cb_reference_get_doi (reference), NULL)
        : g_strdup (link);
      g_autofree char *anchor = g_markup_printf_escaped (" <a href=\"%s\">%s</a>", link, shown);

      g_string_append (out, anchor);
    }

  return g_string_free (out, FALSE);
}

/* History */

/* Longest value of a change shown, in characters */
#define SHORT_VALUE 200

/* "26 Nov 2026, 08:30" in local time, or the stored text if it is not a
 * date */
static char *
format_revision_date (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = iso ? g_date_time_new_from_iso8601 (iso, utc) : NULL;
  g_autoptr(GDateTime) local = date ? g_date_time_to_local (date) : NULL;

  if (local == NULL)
    return g_strdup (iso ? iso : "");

  /* Translators: the date of a revision, see g_date_time_format() ("26 Nov 2026, 08:30") */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static GtkWidget *
plain_label (const char *text)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);

  return label;
}

static GtkWidget *
revision_widget (CbRevision *revision)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *date = format_revision_date (revision->date);
  g_autofree char *byline = revision->author && *revision->author
    /* Translators: when and by whom ("26 Nov 2026, 08:30 · Sam Lee") */
    ? g_strdup_printf (_("%s · %s"), date, revision->author)
    : g_strdup (date);
  GtkWidget *label;

  label = plain_label (byline);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  label = plain_label (revision->summary ? revision->summary : "");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);

  if (revision->changes != NULL && revision->changes->len > 0)
    {
      guint n = revision->changes->len;
      g_autofree char *title = g_strdup_printf (ngettext ("%u change", "%u changes", n), n);
      GtkWidget *expander = gtk_expander_new (title);
      GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

      gtk_widget_set_margin_start (list, 18);
      gtk_widget_set_margin_top (list, 4);
      for (guint i = 0; i < n; i++)
        {
          CbChange *change = g_ptr_array_index (revision->changes, i);
          g_autofree char *before = cb_text_shorten (change->before, SHORT_VALUE, NULL);
          g_autofree char *after = cb_text_shorten (change->after, SHORT_VALUE, NULL);
          /* Translators: a field's value before and after an edit ("title: Old → New") */
          g_autofree char *text = g_strdup_printf (_("%s: %s → %s"), change->field, before, after);

          label = plain_label (text);
          gtk_label_set_selectable (GTK_LABEL (label), TRUE);
          gtk_box_append (GTK_BOX (list), label);
        }
      gtk_expander_set_child (GTK_EXPANDER (expander), list);
      /* GTK 4.8 does not name an expander after its title */
      gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_box_append (GTK_BOX (box), expander);
    }

  return box;
}

static gint64
revision_time (const CbRevision *revision)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = revision->date ? g_date_time_new_from_iso8601 (revision->date, utc) : NULL;

  return date ? g_date_time_to_unix (date) : G_MININT64;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  gint64 time_a = revision_time (*(CbRevision **) a);
  gint64 time_b = revision_time (*(CbRevision **) b);

  return time_a < time_b ? 1 : time_a > time_b ? -1 : 0;
}

/* Newest first; revisions with the same time (or none) latest added first */
static void
show_history (CbItemView *self,
              CbItem     *item)
{
  GPtrArray *history = cb_item_get_history (item);
  g_autoptr(GPtrArray) newest_first = g_ptr_array_new ();

  for (guint i = history ? history->len : 0; i > 0; i--)
    g_ptr_array_add (newest_first, g_ptr_array_index (history, i - 1));
  /* A stable sort */
  g_ptr_array_sort (newest_first, compare_newest_first);

  for (guint i = 0; i < newest_first->len; i++)
    gtk_box_append (GTK_BOX (self->history_box), revision_widget (g_ptr_array_index (newest_first, i)));

  gtk_widget_set_visible (self->history_heading, gtk_widget_get_first_child (self->history_box) != NULL);
}

static void
cb_item_view_dispose (GObject *object)
{
  CbItemView *self = (CbItemView *) object;

  g_clear_object (&self->item);
  g_clear_object (&self->store);
  g_clear_object (&self->outline);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_ITEM_VIEW);

  G_OBJECT_CLASS (cb_item_view_parent_class)->dispose (object);
}

static void
cb_item_view_class_init (CbItemViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_item_view_dispose;

  /**
   * CbItemView::open-item:
   * @self: the view
   * @id: the id of the item a link points to
   *
   * Emitted when a link to another item is followed.
   */
  signals[OPEN_ITEM] =
    g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CB_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-item-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbItemView, box);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, meta_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, chips);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, retired_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, content_box);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, references_heading);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, references_box);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, related_heading);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, related_box);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, history_heading);
  gtk_widget_class_bind_template_child (widget_class, CbItemView, history_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "itemview");
}

static void
cb_item_view_init (CbItemView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cb_item_view_new (void)
{
  return g_object_new (CB_TYPE_ITEM_VIEW, NULL);
}

/**
 * cb_item_view_get_item:
 * @self: a view
 *
 * Returns: (transfer none) (nullable): the item shown
 */
CbItem *
cb_item_view_get_item (CbItemView *self)
{
  g_return_val_if_fail (CB_IS_ITEM_VIEW (self), NULL);

  return self->item;
}

static void
add_chip (CbItemView *self,
          CbFacet     facet,
          const char *value,
          const char *css_class)
{
  CbTaxonomy *taxonomy = self->store ? cb_store_get_taxonomy (self->store) : NULL;
  g_autofree char *text = cb_facet_value_label (facet, value, taxonomy, self->outline);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", cb_facet_title (facet), text);
  GtkWidget *chip = gtk_label_new (text);

  gtk_widget_set_halign (chip, GTK_ALIGN_START);
  gtk_widget_add_css_class (chip, "chip");
  gtk_widget_add_css_class (chip, css_class);
  gtk_widget_set_tooltip_text (chip, cb_facet_title (facet));
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  cb_wrap_box_append (CB_WRAP_BOX (self->chips), chip);
}

/**
 * cb_item_view_set_context:
 * @self: a view
 * @store: (nullable): the index, for names of linked and related items
 * @outline: (nullable): the guide's outline, for chapter and section titles
 */
void
cb_item_view_set_context (CbItemView *self,
                          CbStore    *store,
                          CbCorpus   *outline)
{
  g_return_if_fail (CB_IS_ITEM_VIEW (self));

  g_set_object (&self->store, store);
  g_set_object (&self->outline, outline);
}

/**
 * cb_item_view_show:
 * @self: a view
 * @item: (nullable): the item to show
 * @references: (element-type CbReference) (nullable): its references, in order
 * @related: (element-type utf8) (nullable): ids of related items
 *
 * Renders the item from its structure: title, place in the guide,
 * metadata, parts, lists and tables, references with their links, and
 * related items one click away.
 */
void
cb_item_view_show (CbItemView *self,
                   CbItem     *item,
                   GPtrArray  *references,
                   GPtrArray  *related)
{
  g_autofree char *meta = NULL;
  g_autofree char *kind = NULL;
  GPtrArray *parts;
  guint n_related = 0;

  g_return_if_fail (CB_IS_ITEM_VIEW (self));
  g_return_if_fail (item == NULL || CB_IS_ITEM (item));

  g_set_object (&self->item, item);

  cb_widget_remove_children (self->content_box);
  cb_widget_remove_children (self->references_box);
  cb_widget_remove_children (self->related_box);
  cb_widget_remove_children (self->history_box);
  cb_wrap_box_remove_all (CB_WRAP_BOX (self->chips));

  if (item == NULL)
    {
      gtk_label_set_label (self->kind_label, "");
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->meta_label, "");
      gtk_widget_set_visible (self->references_heading, FALSE);
      gtk_widget_set_visible (self->related_heading, FALSE);
      gtk_widget_set_visible (self->history_heading, FALSE);
      gtk_widget_set_visible (self->retired_label, FALSE);
      gtk_widget_set_visible (self->chips, FALSE);
      return;
    }

  kind = cb_item_dup_label (item);
  gtk_label_set_label (self->kind_label, kind);
  gtk_label_set_label (self->title_label, cb_item_get_title (item));
  meta = cb_corpus_format_location (self->outline, item);
  gtk_label_set_label (self->meta_label, meta);
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), *meta != '\0');
  gtk_widget_set_visible (self->retired_label, cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED);

  for (guint i = 0; i < cb_item_get_countries (item)->len; i++)
    add_chip (self, CB_FACET_COUNTRY, g_ptr_array_index (cb_item_get_countries (item), i), "country");
  for (guint i = 0; i < cb_item_get_interventions (item)->len; i++)
    add_chip (self, CB_FACET_INTERVENTION, g_ptr_array_index (cb_item_get_interventions (item), i), "intervention");
  if (cb_item_get_design (item) != NULL)
    add_chip (self, CB_FACET_DESIGN, cb_item_get_design (item), "design");
  gtk_widget_set_visible (self->chips, gtk_widget_get_first_child (self->chips) != NULL);

  parts = cb_item_get_parts (item);
  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);

      if (!g_str_equal (part->name, "body"))
        {
          GtkWidget *heading = gtk_label_new (cb_part_name_label (part->name));

          gtk_label_set_xalign (GTK_LABEL (heading), 0);
          gtk_widget_add_css_class (heading, "heading");
          gtk_widget_add_css_class (heading, "part-heading");
          gtk_box_append (GTK_BOX (self->content_box), heading);
        }

      for (guint j = 0; j < part->blocks->len; j++)
        gtk_box_append (GTK_BOX (self->content_box), render_block (self, g_ptr_array_index (part->blocks, j)));
    }

  for (guint i = 0; references && i < references->len; i++)
    {
      g_autofree char *markup = reference_markup (g_ptr_array_index (references, i));
      GtkWidget *label = text_label (self, markup);

      gtk_widget_add_css_class (label, "reference");
      gtk_box_append (GTK_BOX (self->references_box), label);
    }

  if (cb_item_get_reference_note (item) != NULL)
    {
      g_autofree char *note = g_markup_printf_escaped (_("<i>The guide gives no reference here: “%s”</i>"),
                                                       cb_item_get_reference_note (item));

      gtk_box_append (GTK_BOX (self->references_box), text_label (self, note));
    }

  gtk_widget_set_visible (self->references_heading, gtk_widget_get_first_child (self->references_box) != NULL);

  for (guint i = 0; related && i < related->len && n_related < 8; i++)
    {
      g_autofree char *markup = item_link_markup (self, g_ptr_array_index (related, i));

      if (markup != NULL)
        {
          gtk_box_append (GTK_BOX (self->related_box), text_label (self, markup));
          n_related++;
        }
    }
  gtk_widget_set_visible (self->related_heading, n_related > 0);

  show_history (self, item);
}

/**
 * cb_item_view_dup_citation:
 * @self: a view
 *
 * Returns: (transfer full) (nullable): a one-line citation of the item
 *   shown, with the guide and its page
 */
char *
cb_item_view_dup_citation (CbItemView *self)
{
  g_return_val_if_fail (CB_IS_ITEM_VIEW (self), NULL);

  if (self->item == NULL || self->outline == NULL)
    return NULL;

  return cb_corpus_format_citation (self->outline, self->item);
}
