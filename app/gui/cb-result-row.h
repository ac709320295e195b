/* cb-result-row.h: a row of the results list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-result.h"

G_BEGIN_DECLS

#define CB_TYPE_RESULT_ROW (cb_result_row_get_type ())

G_DECLARE_FINAL_TYPE (CbResultRow, cb_result_row, CB, RESULT_ROW, GtkWidget)

GtkWidget *cb_result_row_new        (void);
CbResult  *cb_result_row_get_result (CbResultRow *self);
void       cb_result_row_set_result (CbResultRow *self,
                                     CbResult    *result);

G_END_DECLS
