/* cb-item-editor.h: the librarian's form for one item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-corpus.h"
#include "cb-taxonomy.h"

G_BEGIN_DECLS

#define CB_TYPE_ITEM_EDITOR (cb_item_editor_get_type ())

G_DECLARE_FINAL_TYPE (CbItemEditor, cb_item_editor, CB, ITEM_EDITOR, GtkWidget)

GtkWidget *cb_item_editor_new                (void);
void       cb_item_editor_set_item           (CbItemEditor  *self,
                                              CbItem        *item,
                                              CbCorpus      *corpus,
                                              CbTaxonomy    *taxonomy,
                                              gboolean       is_new);
CbItem    *cb_item_editor_get_item           (CbItemEditor  *self);
CbItem    *cb_item_editor_dup_item           (CbItemEditor  *self,
                                              char         **bad_field,
                                              GError       **error);
void       cb_item_editor_show_error         (CbItemEditor  *self,
                                              const char    *field,
                                              const char    *message);
void       cb_item_editor_clear_errors       (CbItemEditor  *self);
GPtrArray *cb_item_editor_get_new_references (CbItemEditor  *self);
gboolean   cb_item_editor_get_modified       (CbItemEditor  *self);

G_END_DECLS
