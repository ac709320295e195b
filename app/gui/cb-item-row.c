/* cb-item-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-item-row.h"

struct _CbItemRow
{
  GtkWidget  parent_instance;

  CbItem    *item;

  GtkWidget *box;
  GtkLabel  *kind_label;
  GtkLabel  *number_label;
  GtkLabel  *title_label;
};

G_DEFINE_FINAL_TYPE (CbItemRow, cb_item_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cb_item_row_dispose (GObject *object)
{
  CbItemRow *self = (CbItemRow *) object;

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_ITEM_ROW);

  G_OBJECT_CLASS (cb_item_row_parent_class)->dispose (object);
}

static void
cb_item_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CbItemRow *self = CB_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_item_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CbItemRow *self = CB_ITEM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      cb_item_row_set_item (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_item_row_class_init (CbItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_item_row_dispose;
  object_class->get_property = cb_item_row_get_property;
  object_class->set_property = cb_item_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, CB_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CbItemRow, box);
  gtk_widget_class_bind_template_child (widget_class, CbItemRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemRow, title_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cb_item_row_init (CbItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cb_item_row_new (void)
{
  return g_object_new (CB_TYPE_ITEM_ROW, NULL);
}

CbItem *
cb_item_row_get_item (CbItemRow *self)
{
  g_return_val_if_fail (CB_IS_ITEM_ROW (self), NULL);

  return self->item;
}

/**
 * cb_item_row_set_item:
 * @self: a row
 * @item: (nullable): the item to show
 *
 * Shows the item's kind, number and title, and gives the row an accessible
 * name, which GTK 4.8 list items otherwise lack.
 */
void
cb_item_row_set_item (CbItemRow *self,
                      CbItem    *item)
{
  const char *kind_css[] = { "section", "case_study", "inset_box", "recommendation",
                             "implementation", "glossary", "next_step" };
  g_autofree char *accessible = NULL;

  g_return_if_fail (CB_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || CB_IS_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->kind_label),
                                 kind_css[cb_item_get_kind (self->item)]);

  g_set_object (&self->item, item);

  if (item == NULL)
    {
      gtk_label_set_label (self->kind_label, "");
      gtk_label_set_label (self->number_label, "");
      gtk_label_set_label (self->title_label, "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
      return;
    }

  gtk_label_set_label (self->kind_label, cb_item_kind_label (cb_item_get_kind (item)));
  gtk_widget_add_css_class (GTK_WIDGET (self->kind_label), kind_css[cb_item_get_kind (item)]);
  gtk_label_set_label (self->number_label, cb_item_get_number (item) ? cb_item_get_number (item) : "");
  gtk_label_set_label (self->title_label, cb_item_get_title (item));

  /* Translators: the accessible name of a row: kind, number, title */
  accessible = g_strdup_printf (C_("item row", "%s %s: %s"), cb_item_kind_label (cb_item_get_kind (item)),
                                cb_item_get_number (item) ? cb_item_get_number (item) : "",
                                cb_item_get_title (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
