/* cb-result-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-item.h"
#include "cb-result-row.h"

struct _CbResultRow
{
  GtkWidget  parent_instance;

  CbResult  *result;
  gulong     snippet_handler;
  char      *kind_class;

  GtkWidget *box;
  GtkLabel  *kind_label;
  GtkLabel  *number_label;
  GtkLabel  *meta_label;
  GtkLabel  *title_label;
  GtkLabel  *snippet_label;
};

G_DEFINE_FINAL_TYPE (CbResultRow, cb_result_row, GTK_TYPE_WIDGET)

/* The row is the child of a list item, and the list item is what takes the
 * keyboard focus and what screen readers announce; GTK 4.8 gives it no name
 * of its own. So the list item is named after the row's content too. */
static void
update_accessible (CbResultRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  const char *number;
  const char *meta;
  const char *snippet;
  CbItemKind kind = CB_ITEM_KIND_SECTION;

  if (parent != NULL && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) != GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    parent = NULL;

  if (self->result == NULL)
    {
      if (parent != NULL)
        {
          gtk_accessible_reset_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL);
          gtk_accessible_reset_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
        }
      return;
    }

  cb_item_kind_from_string (cb_result_get_kind (self->result), &kind);
  number = cb_result_get_number (self->result);
  if (number != NULL && *number != '\0')
    /* Translators: a result row read by a screen reader: kind, number, title */
    name = g_strdup_printf (C_("result row", "%s %s: %s"), cb_item_kind_label (kind), number,
                            cb_result_get_title (self->result));
  else
    /* Translators: a result row with no number read by a screen reader: kind, title */
    name = g_strdup_printf (C_("result row", "%s: %s"), cb_item_kind_label (kind), cb_result_get_title (self->result));
  meta = gtk_label_get_text (self->meta_label);
  snippet = gtk_label_get_text (self->snippet_label);
  if (*meta != '\0' && snippet != NULL && *snippet != '\0')
    description = g_strdup_printf ("%s. %s", meta, snippet);
  else
    description = g_strdup (*meta != '\0' ? meta : snippet ? snippet : "");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  if (parent != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
}

static void
on_parent_changed (CbResultRow *self,
                   GParamSpec  *pspec,
                   gpointer     user_data)
{
  update_accessible (self);
}

static void
on_snippet_changed (CbResult    *result,
                    GParamSpec  *pspec,
                    CbResultRow *self)
{
  const char *snippet = cb_result_get_snippet (result);

  gtk_label_set_markup (self->snippet_label, snippet ? snippet : "");
  gtk_widget_set_visible (GTK_WIDGET (self->snippet_label), snippet && *snippet);
  update_accessible (self);
}

static void
cb_result_row_dispose (GObject *object)
{
  CbResultRow *self = (CbResultRow *) object;

  cb_result_row_set_result (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_RESULT_ROW);

  G_OBJECT_CLASS (cb_result_row_parent_class)->dispose (object);
}

static void
cb_result_row_finalize (GObject *object)
{
  CbResultRow *self = (CbResultRow *) object;

  g_free (self->kind_class);

  G_OBJECT_CLASS (cb_result_row_parent_class)->finalize (object);
}

static void
cb_result_row_class_init (CbResultRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_result_row_dispose;
  object_class->finalize = cb_result_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-result-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CbResultRow, box);
  gtk_widget_class_bind_template_child (widget_class, CbResultRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbResultRow, snippet_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cb_result_row_init (CbResultRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::parent", G_CALLBACK (on_parent_changed), NULL);
}

GtkWidget *
cb_result_row_new (void)
{
  return g_object_new (CB_TYPE_RESULT_ROW, NULL);
}

/**
 * cb_result_row_get_result:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the result shown
 */
CbResult *
cb_result_row_get_result (CbResultRow *self)
{
  g_return_val_if_fail (CB_IS_RESULT_ROW (self), NULL);

  return self->result;
}

void
cb_result_row_set_result (CbResultRow *self,
                          CbResult    *result)
{
  g_autoptr(GString) meta = NULL;
  const char * const *countries;
  CbItemKind kind = CB_ITEM_KIND_SECTION;

  g_return_if_fail (CB_IS_RESULT_ROW (self));

  if (self->result == result)
    return;

  if (self->result != NULL)
    {
      g_clear_signal_handler (&self->snippet_handler, self->result);
      g_clear_object (&self->result);
    }
  if (self->kind_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->kind_label), self->kind_class);
      g_clear_pointer (&self->kind_class, g_free);
    }

  if (result == NULL)
    {
      update_accessible (self);
      return;
    }

  self->result = g_object_ref (result);
  self->snippet_handler = g_signal_connect_object (result, "notify::snippet",
                                                   G_CALLBACK (on_snippet_changed), self, 0);

  cb_item_kind_from_string (cb_result_get_kind (result), &kind);
  self->kind_class = g_strdup (cb_result_get_kind (result));
  gtk_widget_add_css_class (GTK_WIDGET (self->kind_label), self->kind_class);
  gtk_label_set_label (self->kind_label, cb_item_kind_label (kind));
  gtk_label_set_label (self->number_label, cb_result_get_number (result) ? cb_result_get_number (result) : "");
  gtk_label_set_label (self->title_label, cb_result_get_title (result));

  meta = g_string_new (NULL);
  if (cb_result_get_chapter (result) > 0)
    /* Translators: the short form of "Chapter 5" in a result row */
    g_string_append_printf (meta, _("Ch. %u"), cb_result_get_chapter (result));
  countries = cb_result_get_countries (result);
  for (guint i = 0; countries && countries[i]; i++)
    g_string_append_printf (meta, "%s%s", i == 0 ? (meta->len ? " · " : "") : ", ", countries[i]);
  gtk_label_set_label (self->meta_label, meta->str);

  on_snippet_changed (result, NULL, self);
}
