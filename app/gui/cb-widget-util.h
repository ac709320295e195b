/* cb-widget-util.h: small helpers the widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  cb_widget_remove_children (GtkWidget  *parent);
char *cb_text_shorten           (const char *text,
                                 guint       max,
                                 gboolean   *shortened);

G_END_DECLS
