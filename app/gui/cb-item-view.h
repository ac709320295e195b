/* cb-item-view.h: the reading pane: an item rendered from its structure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cb-store.h"

G_BEGIN_DECLS

#define CB_TYPE_ITEM_VIEW (cb_item_view_get_type ())

G_DECLARE_FINAL_TYPE (CbItemView, cb_item_view, CB, ITEM_VIEW, GtkWidget)

GtkWidget *cb_item_view_new          (void);
void       cb_item_view_set_context  (CbItemView *self,
                                      CbStore    *store,
                                      CbCorpus   *outline);
void       cb_item_view_show         (CbItemView *self,
                                      CbItem     *item,
                                      GPtrArray  *references,
                                      GPtrArray  *related);
CbItem    *cb_item_view_get_item     (CbItemView *self);
char      *cb_item_view_dup_citation (CbItemView *self);

char      *cb_spans_to_markup    (GPtrArray  *spans);
gboolean   cb_uri_is_openable    (const char *uri);

G_END_DECLS
