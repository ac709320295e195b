/* cb-pack-store.h: the user's evidence packs, kept in their own SQLite
 * database beside the index, which a re-index never touches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-pack.h"

G_BEGIN_DECLS

#define CB_PACK_STORE_SCHEMA_VERSION 1

#define CB_TYPE_PACK_STORE (cb_pack_store_get_type ())

G_DECLARE_FINAL_TYPE (CbPackStore, cb_pack_store, CB, PACK_STORE, GObject)

char        *cb_pack_store_get_default_path (const char   *index_path);
CbPackStore *cb_pack_store_open          (const char   *path,
                                          GError      **error);
const char  *cb_pack_store_get_path      (CbPackStore  *self);

GPtrArray   *cb_pack_store_list          (CbPackStore  *self,
                                          GError      **error);
CbPack      *cb_pack_store_load          (CbPackStore  *self,
                                          gint64        pack_id,
                                          GError      **error);
gint64       cb_pack_store_lookup        (CbPackStore  *self,
                                          const char   *name,
                                          GError      **error);
char        *cb_pack_store_dup_free_name (CbPackStore  *self,
                                          const char   *name);

gint64       cb_pack_store_create        (CbPackStore  *self,
                                          const char   *name,
                                          GError      **error);
gboolean     cb_pack_store_set_details   (CbPackStore  *self,
                                          gint64        pack_id,
                                          const char   *name,
                                          const char   *description,
                                          const char   *audience,
                                          const char   *date,
                                          GError      **error);
gint64       cb_pack_store_duplicate     (CbPackStore  *self,
                                          gint64        pack_id,
                                          const char   *name,
                                          GError      **error);
gboolean     cb_pack_store_delete        (CbPackStore  *self,
                                          gint64        pack_id,
                                          GError      **error);
gint64       cb_pack_store_import        (CbPackStore  *self,
                                          CbPack       *pack,
                                          const char   *name,
                                          GError      **error);
gint64       cb_pack_store_save          (CbPackStore  *self,
                                          CbPack       *pack,
                                          GError      **error);

gboolean     cb_pack_store_add_entries   (CbPackStore  *self,
                                          gint64        pack_id,
                                          GPtrArray    *entries,
                                          int           position,
                                          GError      **error);
gboolean     cb_pack_store_add_item      (CbPackStore  *self,
                                          gint64        pack_id,
                                          const char   *item_id,
                                          const char   *label,
                                          const char   *title,
                                          int           position,
                                          GError      **error);
gboolean     cb_pack_store_remove_item   (CbPackStore  *self,
                                          gint64        pack_id,
                                          const char   *item_id,
                                          GError      **error);
gboolean     cb_pack_store_move_item     (CbPackStore  *self,
                                          gint64        pack_id,
                                          const char   *item_id,
                                          guint         position,
                                          GError      **error);
gboolean     cb_pack_store_set_note      (CbPackStore  *self,
                                          gint64        pack_id,
                                          const char   *item_id,
                                          const char   *note,
                                          GError      **error);

G_END_DECLS
