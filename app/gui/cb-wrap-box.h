/* cb-wrap-box.h: children in a row that wraps, like words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CB_TYPE_WRAP_BOX (cb_wrap_box_get_type ())

G_DECLARE_FINAL_TYPE (CbWrapBox, cb_wrap_box, CB, WRAP_BOX, GtkWidget)

GtkWidget *cb_wrap_box_new        (void);
void       cb_wrap_box_append     (CbWrapBox *self,
                                   GtkWidget *child);
void       cb_wrap_box_remove_all (CbWrapBox *self);
guint      cb_wrap_box_get_n_children (CbWrapBox *self);

G_END_DECLS
