/* cb-widget-util.c: small helpers the widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cb-widget-util.h"

/**
 * cb_widget_remove_children:
 * @parent: a box, a grid, or any widget whose children are its own
 *
 * Removes every child, the way gtk_box_remove() and gtk_grid_remove() do
 * one at a time.
 */
void
cb_widget_remove_children (GtkWidget *parent)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (parent));

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    gtk_widget_unparent (child);
}
