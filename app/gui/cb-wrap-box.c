/* cb-wrap-box.c: children in a row that wraps, like words
 *
 * GtkFlowBox lines its children up in columns, which spreads short chips
 * apart; GTK 4.8 has no wrapping box, so this one lays each child at its
 * natural width, left to right (right to left in RTL locales), starting a
 * new line when the next child would not fit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cb-wrap-box.h"
#include "cb-widget-util.h"

struct _CbWrapBox
{
  GtkWidget  parent_instance;

  int        spacing;
  int        line_spacing;
};

G_DEFINE_FINAL_TYPE (CbWrapBox, cb_wrap_box, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPACING,
  PROP_LINE_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
child_width (GtkWidget *child,
             int        available)
{
  int min, nat;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);

  return CLAMP (nat, min, MAX (available, min));
}

/* Lays the children out in @width; with @allocate, places them too.
 * Returns the height used. */
static int
layout (CbWrapBox *self,
        int        width,
        gboolean   allocate)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  GtkWidget *line_start = NULL;
  int x = 0, y = 0, line_height = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int w, h;

      if (!gtk_widget_should_layout (child))
        continue;

      w = child_width (child, width);
      if (line_start != NULL && x + w > width)
        {
          y += line_height + self->line_spacing;
          x = 0;
          line_height = 0;
          line_start = NULL;
        }

      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, &h, NULL, NULL, NULL);
      if (allocate)
        {
          GtkAllocation allocation = { rtl ? width - x - w : x, y, w, h };

          gtk_widget_size_allocate (child, &allocation, -1);
        }

      if (line_start == NULL)
        line_start = child;
      x += w + self->spacing;
      line_height = MAX (line_height, h);
    }

  return line_start != NULL || y > 0 ? y + line_height : 0;
}

static void
cb_wrap_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  CbWrapBox *self = CB_WRAP_BOX (widget);

  *minimum = *natural = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int n = 0;

      /* Narrowest: one child a line; widest: all on one line */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        {
          int min, nat;

          if (!gtk_widget_should_layout (child))
            continue;

          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += nat + (n++ > 0 ? self->spacing : 0);
        }
    }
  else
    {
      int width = for_size, unused;

      if (width < 0)
        cb_wrap_box_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &width, &unused, NULL, NULL);

      *minimum = *natural = layout (self, width, FALSE);
    }
}

static GtkSizeRequestMode
cb_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cb_wrap_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  layout (CB_WRAP_BOX (widget), width, TRUE);
}

static void
cb_wrap_box_dispose (GObject *object)
{
  cb_wrap_box_remove_all (CB_WRAP_BOX (object));

  G_OBJECT_CLASS (cb_wrap_box_parent_class)->dispose (object);
}

static void
cb_wrap_box_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CbWrapBox *self = CB_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;

    case PROP_LINE_SPACING:
      g_value_set_int (value, self->line_spacing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_wrap_box_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CbWrapBox *self = CB_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    case PROP_LINE_SPACING:
      self->line_spacing = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_wrap_box_class_init (CbWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_wrap_box_dispose;
  object_class->get_property = cb_wrap_box_get_property;
  object_class->set_property = cb_wrap_box_set_property;
  widget_class->measure = cb_wrap_box_measure;
  widget_class->get_request_mode = cb_wrap_box_get_request_mode;
  widget_class->size_allocate = cb_wrap_box_size_allocate;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 6,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE_SPACING] =
    g_param_spec_int ("line-spacing", NULL, NULL, 0, G_MAXINT, 6,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "wrapbox");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cb_wrap_box_init (CbWrapBox *self)
{
  self->spacing = 6;
  self->line_spacing = 6;
}

GtkWidget *
cb_wrap_box_new (void)
{
  return g_object_new (CB_TYPE_WRAP_BOX, NULL);
}

/**
 * cb_wrap_box_append:
 * @self: a wrap box
 * @child: a widget without a parent
 */
void
cb_wrap_box_append (CbWrapBox *self,
                    GtkWidget *child)
{
  g_return_if_fail (CB_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));

  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}

/**
 * cb_wrap_box_remove_all:
 * @self: a wrap box
 */
void
cb_wrap_box_remove_all (CbWrapBox *self)
{
  g_return_if_fail (CB_IS_WRAP_BOX (self));

  cb_widget_remove_children (GTK_WIDGET (self));
}

/**
 * cb_wrap_box_get_n_children:
 * @self: a wrap box
 *
 * Returns: how many children it holds
 */
guint
cb_wrap_box_get_n_children (CbWrapBox *self)
{
  guint n = 0;

  g_return_val_if_fail (CB_IS_WRAP_BOX (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child; child = gtk_widget_get_next_sibling (child))
    n++;

  return n;
}
