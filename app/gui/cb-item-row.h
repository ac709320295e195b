/* cb-item-row.h: one row of the item list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-item.h"

G_BEGIN_DECLS

#define CB_TYPE_ITEM_ROW (cb_item_row_get_type ())

G_DECLARE_FINAL_TYPE (CbItemRow, cb_item_row, CB, ITEM_ROW, GtkWidget)

GtkWidget *cb_item_row_new      (void);
CbItem    *cb_item_row_get_item (CbItemRow *self);
void       cb_item_row_set_item (CbItemRow *self,
                                 CbItem    *item);

G_END_DECLS
