/* cb-pack-row.h: one item of an evidence pack, with its note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-pack.h"

G_BEGIN_DECLS

#define CB_TYPE_PACK_ROW (cb_pack_row_get_type ())

G_DECLARE_FINAL_TYPE (CbPackRow, cb_pack_row, CB, PACK_ROW, GtkListBoxRow)

GtkWidget  *cb_pack_row_new          (const CbPackEntry *entry,
                                      const char        *label,
                                      const char        *title,
                                      const char        *status,
                                      guint              position,
                                      guint              n_entries);
const char *cb_pack_row_get_item_id  (CbPackRow         *self);
guint       cb_pack_row_get_position (CbPackRow         *self);
char       *cb_pack_row_dup_note     (CbPackRow         *self);
void        cb_pack_row_set_note     (CbPackRow         *self,
                                      const char        *note);
void        cb_pack_row_flush_note   (CbPackRow         *self);
GtkWidget  *cb_pack_row_get_note_view (CbPackRow        *self);
GtkWidget  *cb_pack_row_get_handle   (CbPackRow         *self);

G_END_DECLS
