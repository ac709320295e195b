/* cb-filter-pane.c
 *
 * One section per dimension, one check row per value the corpus has. Each
 * search updates the counts in place (so keyboard focus stays where it is)
 * and hides values with no results unless they are ticked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-filter-pane.h"
#include "cb-widget-util.h"

typedef struct {
  CbFilterPane *pane;
  CbFacet       facet;
  char         *value;
  char         *label;
  GtkWidget    *check;
  GtkWidget    *count;
  gulong        handler;
} Row;

struct _CbFilterPane
{
  GtkWidget  parent_instance;

  GPtrArray *rows;      /* Row */
  GtkWidget *headings[CB_N_FACETS];

  GtkWidget *scroller;
  GtkWidget *sections;
};

G_DEFINE_FINAL_TYPE (CbFilterPane, cb_filter_pane, GTK_TYPE_WIDGET)

enum {
  TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *facet_titles[CB_N_FACETS] = {
  [CB_FACET_KIND] = N_("Kind"),
  [CB_FACET_CHAPTER] = N_("Chapter"),
  [CB_FACET_COUNTRY] = N_("Country"),
  [CB_FACET_INTERVENTION] = N_("Intervention Type"),
  [CB_FACET_DESIGN] = N_("Study Design"),
};

/**
 * cb_facet_title:
 * @facet: a dimension
 *
 * Returns: its translated name, for headings
 */
const char *
cb_facet_title (CbFacet facet)
{
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  return _(facet_titles[facet]);
}

/**
 * cb_facet_value_label:
 * @facet: a dimension
 * @value: a value
 * @taxonomy: (nullable): names of countries, types and designs
 * @outline: (nullable): chapter titles
 *
 * Returns: (transfer full): what people read for @value: "United Kingdom",
 *   "Case study", "5 · Health Systems Addressing the Social Determinants..."
 */
char *
cb_facet_value_label (CbFacet     facet,
                      const char *value,
                      CbTaxonomy *taxonomy,
                      CbCorpus   *outline)
{
  CbItemKind kind;

  switch (facet)
    {
    case CB_FACET_KIND:
      return g_strdup (cb_item_kind_from_string (value, &kind) ? cb_item_kind_label (kind) : value);

    case CB_FACET_CHAPTER:
      {
        CbChapter *chapter = outline ? cb_corpus_lookup_chapter (outline, (guint) g_ascii_strtoull (value, NULL, 10)) : NULL;

        /* Translators: a chapter number and its title */
        return chapter ? g_strdup_printf (_("%s · %s"), value, chapter->title) : g_strdup_printf (_("Chapter %s"), value);
      }

    case CB_FACET_COUNTRY:
      return g_strdup (taxonomy ? cb_taxonomy_label (taxonomy, CB_TAXONOMY_COUNTRY, value) : value);

    case CB_FACET_INTERVENTION:
      return g_strdup (taxonomy ? cb_taxonomy_label (taxonomy, CB_TAXONOMY_INTERVENTION, value) : value);

    case CB_FACET_DESIGN:
      return g_strdup (taxonomy ? cb_taxonomy_label (taxonomy, CB_TAXONOMY_DESIGN, value) : value);

    default:
      return g_strdup (value);
    }
}

static void
row_free (Row *row)
{
  g_free (row->value);
  g_free (row->label);
  g_free (row);
}

static void
on_check_toggled (GtkCheckButton *check,
                  Row            *row)
{
  g_signal_emit (row->pane, signals[TOGGLED], 0, row->facet, row->value, gtk_check_button_get_active (check));
}

static void
clear (CbFilterPane *self)
{
  cb_widget_remove_children (self->sections);
  g_ptr_array_set_size (self->rows, 0);
}

/**
 * cb_filter_pane_setup:
 * @self: a pane
 * @store: the index, for the values and their names
 * @outline: (nullable): the guide's outline, for chapter titles
 *
 * Builds a row for every value some item has.
 */
void
cb_filter_pane_setup (CbFilterPane *self,
                      CbStore      *store,
                      CbCorpus     *outline)
{
  CbTaxonomy *taxonomy;

  g_return_if_fail (CB_IS_FILTER_PANE (self));
  g_return_if_fail (CB_IS_STORE (store));

  clear (self);
  taxonomy = cb_store_get_taxonomy (store);

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      g_autoptr(GPtrArray) values = cb_store_dup_values (store, f);
      GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *heading = gtk_label_new (cb_facet_title (f));
      GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_add_css_class (heading, "facet-heading");
      gtk_box_append (GTK_BOX (section), heading);
      gtk_box_append (GTK_BOX (section), list);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
      self->headings[f] = heading;

      for (guint v = 0; v < values->len; v++)
        {
          Row *row = g_new0 (Row, 1);
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          GtkWidget *name;

          row->pane = self;
          row->facet = f;
          row->value = g_strdup (g_ptr_array_index (values, v));
          row->label = cb_facet_value_label (f, row->value, taxonomy, outline);

          name = gtk_label_new (row->label);
          gtk_label_set_xalign (GTK_LABEL (name), 0);
          gtk_label_set_wrap (GTK_LABEL (name), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
          gtk_widget_set_hexpand (name, TRUE);
          row->count = gtk_label_new (NULL);
          gtk_widget_add_css_class (row->count, "dim-label");
          gtk_widget_add_css_class (row->count, "numeric");
          gtk_widget_set_valign (row->count, GTK_ALIGN_START);
          gtk_box_append (GTK_BOX (box), name);
          gtk_box_append (GTK_BOX (box), row->count);

          row->check = gtk_check_button_new ();
          gtk_check_button_set_child (GTK_CHECK_BUTTON (row->check), box);
          gtk_widget_add_css_class (row->check, "facet-row");
          row->handler = g_signal_connect (row->check, "toggled", G_CALLBACK (on_check_toggled), row);
          gtk_box_append (GTK_BOX (list), row->check);
          g_ptr_array_add (self->rows, row);
        }

      gtk_box_append (GTK_BOX (self->sections), section);
    }
}

/**
 * cb_filter_pane_update:
 * @self: a pane
 * @results: the latest results
 *
 * Shows each value's count for these results, ticks the values the query
 * filters on, and hides values with no results that are not ticked.
 */
void
cb_filter_pane_update (CbFilterPane    *self,
                       CbSearchResults *results)
{
  CbQuery *query;
  guint visible[CB_N_FACETS] = { 0 };

  g_return_if_fail (CB_IS_FILTER_PANE (self));
  g_return_if_fail (CB_IS_SEARCH_RESULTS (results));

  query = cb_search_results_get_query (results);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      guint count = cb_search_results_get_facet_count (results, row->facet, row->value);
      gboolean selected = cb_query_has_filter (query, row->facet, row->value);
      g_autofree char *text = g_strdup_printf ("%u", count);
      g_autofree char *accessible = NULL;

      gtk_label_set_label (GTK_LABEL (row->count), text);
      g_signal_handler_block (row->check, row->handler);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (row->check), selected);
      g_signal_handler_unblock (row->check, row->handler);
      gtk_widget_set_visible (row->check, count > 0 || selected);
      visible[row->facet] += count > 0 || selected;

      accessible = g_strdup_printf (ngettext ("%s, %u result", "%s, %u results", count), row->label, count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->check), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
    }

  /* A dimension with nothing to pick hides its heading too */
  for (guint f = 0; f < CB_N_FACETS; f++)
    if (self->headings[f] != NULL)
      gtk_widget_set_visible (gtk_widget_get_parent (self->headings[f]), visible[f] > 0);
}

static void
cb_filter_pane_dispose (GObject *object)
{
  CbFilterPane *self = (CbFilterPane *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_FILTER_PANE);

  G_OBJECT_CLASS (cb_filter_pane_parent_class)->dispose (object);
}

static void
cb_filter_pane_finalize (GObject *object)
{
  CbFilterPane *self = (CbFilterPane *) object;

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (cb_filter_pane_parent_class)->finalize (object);
}

static void
cb_filter_pane_class_init (CbFilterPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_filter_pane_dispose;
  object_class->finalize = cb_filter_pane_finalize;

  /**
   * CbFilterPane::toggled:
   * @self: the pane
   * @facet: the dimension
   * @value: the value
   * @active: whether it is now ticked
   */
  signals[TOGGLED] =
    g_signal_new ("toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-filter-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, CbFilterPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbFilterPane, sections);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "filterpane");
}

static void
cb_filter_pane_init (CbFilterPane *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filters"), -1);
}

GtkWidget *
cb_filter_pane_new (void)
{
  return g_object_new (CB_TYPE_FILTER_PANE, NULL);
}
