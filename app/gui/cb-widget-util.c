/* cb-widget-util.c: small helpers the widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

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

/**
 * cb_text_shorten:
 * @text: (nullable): a value to show
 * @max: how many characters at most
 * @shortened: (out) (optional): set to %TRUE when something was left out
 *
 * Returns: (transfer full): @text on one line, at most @max characters with "…"; "(empty)"
 *   for nothing
 */
char *
cb_text_shorten (const char *text,
                 guint       max,
                 gboolean   *shortened)
{
  GString *out;
  gboolean space = FALSE;
  guint n = 0;

  if (text == NULL || *text == '\0')
    return g_strdup (_("(empty)"));

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (n >= max)
        {
          g_string_append (out, "…");
          if (shortened)
            *shortened = TRUE;
          return g_string_free (out, FALSE);
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          n++;
          space = FALSE;
        }
      g_string_append_unichar (out, c);
      n++;
    }

  return g_string_free (out, FALSE);
}
