/* cb-test-gui.h: what the GUI test programs and the GUI benchmark share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *cb_test_find_widget (GtkWidget *root,
                                GType      type,
                                gboolean   mapped_only);

G_END_DECLS
