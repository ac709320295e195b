/* cb-evidence-map.c
 *
 * Every intervention type is a row and every country (or chapter) a
 * column, including those with no evidence: the empty cells are the point.
 * A cell shows its count as a number and as a shade; selecting it filters
 * the results by both values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-evidence-map.h"
#include "cb-filter-pane.h"
#include "cb-widget-util.h"

struct _CbEvidenceMap
{
  GtkWidget   parent_instance;

  char       *columns;
  GHashTable *cells;   /* "row\tcolumn" -> button */

  GtkWidget  *box;
  GtkWidget  *legend;
  GtkWidget  *countries_button;
  GtkWidget  *chapters_button;
  GtkWidget  *scroller;
  GtkWidget  *grid;
};

G_DEFINE_FINAL_TYPE (CbEvidenceMap, cb_evidence_map, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_COLUMNS,
  N_PROPS
};

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Empty cells stay focusable, so that keyboard and screen reader users
 * meet the gaps too; they have no results to show */
static void
on_cell_clicked (GtkButton     *button,
                 CbEvidenceMap *self)
{
  if (g_object_get_data (G_OBJECT (button), "empty") != NULL)
    return;

  g_signal_emit (self, signals[CELL_ACTIVATED], 0,
                 g_object_get_data (G_OBJECT (button), "row-value"),
                 g_object_get_data (G_OBJECT (button), "column-value"));
}

static void
clear_grid (CbEvidenceMap *self)
{
  cb_widget_remove_children (self->grid);
  g_hash_table_remove_all (self->cells);
}

/**
 * cb_evidence_map_set_table:
 * @self: a map
 * @table: the counts
 * @column_facet: what the columns are (%CB_FACET_COUNTRY or %CB_FACET_CHAPTER)
 * @taxonomy: names of types and countries
 * @outline: (nullable): chapter titles
 *
 * Rebuilds the grid.
 */
void
cb_evidence_map_set_table (CbEvidenceMap *self,
                           CbCrossTab    *table,
                           CbFacet        column_facet,
                           CbTaxonomy    *taxonomy,
                           CbCorpus      *outline)
{
  g_return_if_fail (CB_IS_EVIDENCE_MAP (self));
  g_return_if_fail (table != NULL);

  clear_grid (self);

  for (guint c = 0; c < table->columns->len; c++)
    {
      const char *value = g_ptr_array_index (table->columns, c);
      g_autofree char *name = cb_facet_value_label (column_facet, value, taxonomy, outline);
      GtkWidget *header = gtk_label_new (value);

      gtk_widget_set_tooltip_text (header, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_add_css_class (header, "map-column");
      gtk_widget_add_css_class (header, "heading");
      gtk_grid_attach (GTK_GRID (self->grid), header, c + 1, 0, 1, 1);
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      const char *row_value = g_ptr_array_index (table->rows, r);
      g_autofree char *row_name = cb_facet_value_label (CB_FACET_INTERVENTION, row_value, taxonomy, outline);
      GtkWidget *header = gtk_label_new (row_name);

      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_label_set_wrap (GTK_LABEL (header), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (header), 28);
      gtk_widget_add_css_class (header, "map-row");
      gtk_grid_attach (GTK_GRID (self->grid), header, 0, r + 1, 1, 1);

      for (guint c = 0; c < table->columns->len; c++)
        {
          const char *column_value = g_ptr_array_index (table->columns, c);
          g_autofree char *column_name = cb_facet_value_label (column_facet, column_value, taxonomy, outline);
          guint count = cb_cross_tab_get (table, r, c);
          guint level = count == 0 ? 0 : 1 + (3 * (count - 1)) / MAX (table->max - 1, 1);
          g_autofree char *text = g_strdup_printf ("%u", count);
          g_autofree char *level_class = g_strdup_printf ("heat-%u", MIN (level, 4));
          g_autofree char *accessible =
            /* Translators: a cell of the evidence map: type, place, count */
            g_strdup_printf (ngettext ("%s, %s: %u item", "%s, %s: %u items", count), row_name, column_name, count);
          GtkWidget *cell = gtk_button_new_with_label (text);

          gtk_widget_add_css_class (cell, "map-cell");
          gtk_widget_add_css_class (cell, level_class);
          gtk_widget_set_tooltip_text (cell, accessible);
          gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
          if (count == 0)
            g_object_set_data (G_OBJECT (cell), "empty", GINT_TO_POINTER (TRUE));
          g_object_set_data_full (G_OBJECT (cell), "row-value", g_strdup (row_value), g_free);
          g_object_set_data_full (G_OBJECT (cell), "column-value", g_strdup (column_value), g_free);
          g_signal_connect (cell, "clicked", G_CALLBACK (on_cell_clicked), self);
          gtk_grid_attach (GTK_GRID (self->grid), cell, c + 1, r + 1, 1, 1);
          g_hash_table_insert (self->cells, g_strconcat (row_value, "\t", column_value, NULL), cell);
        }
    }
}

/**
 * cb_evidence_map_get_cell:
 * @self: a map
 * @row_value: an intervention type
 * @column_value: a country code or chapter number
 *
 * Returns: (transfer none) (nullable): the cell's button
 */
GtkWidget *
cb_evidence_map_get_cell (CbEvidenceMap *self,
                          const char    *row_value,
                          const char    *column_value)
{
  g_autofree char *key = g_strconcat (row_value, "\t", column_value, NULL);

  g_return_val_if_fail (CB_IS_EVIDENCE_MAP (self), NULL);

  return g_hash_table_lookup (self->cells, key);
}

/**
 * cb_evidence_map_get_columns:
 * @self: a map
 *
 * Returns: "countries" or "chapters"
 */
const char *
cb_evidence_map_get_columns (CbEvidenceMap *self)
{
  g_return_val_if_fail (CB_IS_EVIDENCE_MAP (self), NULL);

  return self->columns;
}

CbFacet
cb_evidence_map_get_column_facet (CbEvidenceMap *self)
{
  g_return_val_if_fail (CB_IS_EVIDENCE_MAP (self), CB_FACET_COUNTRY);

  return g_strcmp0 (self->columns, "chapters") == 0 ? CB_FACET_CHAPTER : CB_FACET_COUNTRY;
}

void
cb_evidence_map_set_columns (CbEvidenceMap *self,
                             const char    *columns)
{
  g_return_if_fail (CB_IS_EVIDENCE_MAP (self));

  if (g_strcmp0 (columns, "chapters") != 0)
    columns = "countries";

  if (g_strcmp0 (self->columns, columns) == 0)
    return;

  g_free (self->columns);
  self->columns = g_strdup (columns);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (g_str_equal (columns, "chapters") ? self->chapters_button
                                                                                     : self->countries_button), TRUE);
  gtk_label_set_label (GTK_LABEL (self->legend),
                       g_str_equal (columns, "chapters")
                       ? _("Items for each intervention type and chapter. Darker cells hold more; select a cell to "
                           "see its items.")
                       : _("Items for each intervention type and country. Darker cells hold more; select a cell to "
                           "see its items."));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLUMNS]);
}

static void
on_mode_toggled (GtkToggleButton *button,
                 CbEvidenceMap   *self)
{
  if (gtk_toggle_button_get_active (button))
    cb_evidence_map_set_columns (self, (GtkWidget *) button == self->chapters_button ? "chapters" : "countries");
}

static void
cb_evidence_map_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CbEvidenceMap *self = CB_EVIDENCE_MAP (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      g_value_set_string (value, self->columns);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_evidence_map_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CbEvidenceMap *self = CB_EVIDENCE_MAP (object);

  switch (prop_id)
    {
    case PROP_COLUMNS:
      cb_evidence_map_set_columns (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_evidence_map_dispose (GObject *object)
{
  CbEvidenceMap *self = (CbEvidenceMap *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_EVIDENCE_MAP);

  G_OBJECT_CLASS (cb_evidence_map_parent_class)->dispose (object);
}

static void
cb_evidence_map_finalize (GObject *object)
{
  CbEvidenceMap *self = (CbEvidenceMap *) object;

  g_free (self->columns);
  g_hash_table_unref (self->cells);

  G_OBJECT_CLASS (cb_evidence_map_parent_class)->finalize (object);
}

static void
cb_evidence_map_class_init (CbEvidenceMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_evidence_map_dispose;
  object_class->finalize = cb_evidence_map_finalize;
  object_class->get_property = cb_evidence_map_get_property;
  object_class->set_property = cb_evidence_map_set_property;

  properties[PROP_COLUMNS] =
    g_param_spec_string ("columns", NULL, NULL, "countries",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbEvidenceMap::cell-activated:
   * @self: the map
   * @row_value: the intervention type
   * @column_value: the country code or chapter number
   */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-evidence-map.ui");
  gtk_widget_class_bind_template_child (widget_class, CbEvidenceMap, box);
  gtk_widget_class_bind_template_child (widget_class, CbEvidenceMap, legend);
  gtk_widget_class_bind_template_child (widget_class, CbEvidenceMap, countries_button);
  gtk_widget_class_bind_template_child (widget_class, CbEvidenceMap, chapters_button);
  gtk_widget_class_bind_template_child (widget_class, CbEvidenceMap, scroller);
  gtk_widget_class_bind_template_child (widget_class, CbEvidenceMap, grid);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "evidencemap");
}

static void
cb_evidence_map_init (CbEvidenceMap *self)
{
  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* GTK 4.8 names a button with a mnemonic twice, "_Countries Countries":
   * its label as typed, then the label widget that shows it. The label
   * widget alone names it. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->countries_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->chapters_button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  cb_evidence_map_set_columns (self, "countries");
  g_signal_connect (self->countries_button, "toggled", G_CALLBACK (on_mode_toggled), self);
  g_signal_connect (self->chapters_button, "toggled", G_CALLBACK (on_mode_toggled), self);
}

GtkWidget *
cb_evidence_map_new (void)
{
  return g_object_new (CB_TYPE_EVIDENCE_MAP, NULL);
}
