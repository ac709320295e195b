/* cb-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-corpus.h"

G_BEGIN_DECLS

#define CB_TYPE_WINDOW (cb_window_get_type ())

G_DECLARE_FINAL_TYPE (CbWindow, cb_window, CB, WINDOW, AdwApplicationWindow)

CbWindow *cb_window_new         (GtkApplication *application);
void      cb_window_load        (CbWindow       *self,
                                 const char     *corpus_path,
                                 const char     *item_id);
CbCorpus *cb_window_get_corpus  (CbWindow       *self);
gboolean  cb_window_select_item (CbWindow       *self,
                                 const char     *id);

G_END_DECLS
