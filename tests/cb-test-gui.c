/* cb-test-gui.c: what the GUI test programs and the GUI benchmark share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cb-test-gui.h"

/**
 * cb_test_find_widget:
 * @root: where to start
 * @type: the type of widget to find
 * @mapped_only: whether to skip widgets that are not on screen
 *
 * Returns: (transfer none) (nullable): the first widget of @type in @root
 *   or under it, depth first
 */
GtkWidget *
cb_test_find_widget (GtkWidget *root,
                     GType      type,
                     gboolean   mapped_only)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (!mapped_only || gtk_widget_get_mapped (root)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cb_test_find_widget (child, type, mapped_only);

      if (found != NULL)
        return found;
    }

  return NULL;
}
