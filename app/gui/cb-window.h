/* cb-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-library.h"
#include "cb-pack-view.h"
#include "cb-store.h"

G_BEGIN_DECLS

#define CB_TYPE_WINDOW (cb_window_get_type ())

G_DECLARE_FINAL_TYPE (CbWindow, cb_window, CB, WINDOW, AdwApplicationWindow)

CbWindow        *cb_window_new             (GtkApplication *application);
void             cb_window_set_progress    (CbWindow       *self,
                                            double          fraction);
void             cb_window_show_error      (CbWindow       *self,
                                            const char     *message);
void             cb_window_show_warning    (CbWindow       *self,
                                            const char     *message);
void             cb_window_set_store       (CbWindow       *self,
                                            CbStore        *store,
                                            CbCorpus       *outline);
void             cb_window_set_packs       (CbWindow       *self,
                                            CbPackStore    *packs,
                                            const char     *error_message);
void             cb_window_set_library     (CbWindow       *self,
                                            CbLibrary      *library);
void             cb_window_open_file       (CbWindow       *self,
                                            GFile          *file);
void             cb_window_preview_update  (CbWindow       *self,
                                            const char     *path);
CbPackView      *cb_window_get_pack_view   (CbWindow       *self);
CbStore         *cb_window_get_store       (CbWindow       *self);
CbSearchResults *cb_window_get_results     (CbWindow       *self);
void             cb_window_set_search_text (CbWindow       *self,
                                            const char     *text);
gboolean         cb_window_select_item     (CbWindow       *self,
                                            const char     *id);

G_END_DECLS
