/* cb-pack-view.h: the Packs view: choose a pack, order its items, write
 * notes, export and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-export.h"
#include "cb-pack-store.h"
#include "cb-store.h"

G_BEGIN_DECLS

#define CB_TYPE_PACK_VIEW (cb_pack_view_get_type ())

G_DECLARE_FINAL_TYPE (CbPackView, cb_pack_view, CB, PACK_VIEW, GtkWidget)

void          cb_pack_view_set_pack_store (CbPackView          *self,
                                           CbPackStore         *packs,
                                           const char          *error_message);
void          cb_pack_view_set_store      (CbPackView          *self,
                                           CbStore             *store);
CbPackStore  *cb_pack_view_get_pack_store (CbPackView          *self);
CbPack       *cb_pack_view_get_pack       (CbPackView          *self);
gboolean      cb_pack_view_select_pack    (CbPackView          *self,
                                           const char          *name);
gint64        cb_pack_view_new_pack       (CbPackView          *self,
                                           const char          *name,
                                           const char          *description,
                                           const char          *audience,
                                           const char          *date,
                                           GError             **error);
gboolean      cb_pack_view_add_item       (CbPackView          *self,
                                           const char          *item_id);
GtkWidget    *cb_pack_view_get_row        (CbPackView          *self,
                                           guint                position);
void          cb_pack_view_export_async   (CbPackView          *self,
                                           CbExportFormat       format,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      cb_pack_view_export_finish  (CbPackView          *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void          cb_pack_view_import_async   (CbPackView          *self,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gint64        cb_pack_view_import_finish  (CbPackView          *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
