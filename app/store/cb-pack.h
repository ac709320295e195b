/* cb-pack.h: an evidence pack: a named, ordered and annotated selection of
 * corpus items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CbPackEntry:
 * @item_id: the corpus item id ("case_study:4.2.4"); it may no longer be in
 *   the corpus
 * @label: what the item was called when it was added ("Case study 4.2.4"),
 *   shown when the corpus no longer has it
 * @title: the item's title when it was added, for the same reason
 * @note: the user's note for this item in this pack, never %NULL ("" for
 *   none); plain text, newlines allowed
 *
 * One item of a pack, in the pack's order.
 */
typedef struct {
  char *item_id;
  char *label;
  char *title;
  char *note;
} CbPackEntry;

CbPackEntry *cb_pack_entry_new  (const char        *item_id,
                                 const char        *label,
                                 const char        *title,
                                 const char        *note);
CbPackEntry *cb_pack_entry_copy (const CbPackEntry *entry);
void         cb_pack_entry_free (CbPackEntry       *entry);

#define CB_TYPE_PACK (cb_pack_get_type ())

G_DECLARE_FINAL_TYPE (CbPack, cb_pack, CB, PACK, GObject)

CbPack      *cb_pack_new             (const char  *name);
CbPack      *cb_pack_copy            (CbPack      *self);
gint64       cb_pack_get_id          (CbPack      *self);
void         cb_pack_set_id          (CbPack      *self,
                                      gint64       id);
const char  *cb_pack_get_name        (CbPack      *self);
void         cb_pack_set_name        (CbPack      *self,
                                      const char  *name);
const char  *cb_pack_get_description (CbPack      *self);
void         cb_pack_set_description (CbPack      *self,
                                      const char  *description);
const char  *cb_pack_get_audience    (CbPack      *self);
void         cb_pack_set_audience    (CbPack      *self,
                                      const char  *audience);
const char  *cb_pack_get_date        (CbPack      *self);
void         cb_pack_set_date        (CbPack      *self,
                                      const char  *date);
const char  *cb_pack_get_created     (CbPack      *self);
void         cb_pack_set_created     (CbPack      *self,
                                      const char  *created);
const char  *cb_pack_get_modified    (CbPack      *self);
void         cb_pack_set_modified    (CbPack      *self,
                                      const char  *modified);
GPtrArray   *cb_pack_get_entries     (CbPack      *self);
guint        cb_pack_get_n_entries   (CbPack      *self);
CbPackEntry *cb_pack_get_entry       (CbPack      *self,
                                      guint        position);
CbPackEntry *cb_pack_lookup_entry    (CbPack      *self,
                                      const char  *item_id,
                                      guint       *position);
void         cb_pack_add_entry       (CbPack      *self,
                                      CbPackEntry *entry);

gboolean     cb_pack_name_is_valid   (const char  *name,
                                      GError     **error);
gboolean     cb_pack_date_is_valid   (const char  *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPackEntry, cb_pack_entry_free)

G_END_DECLS
