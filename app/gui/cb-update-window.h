/* cb-update-window.h: what a corpus update would change, with a choice
 * for every conflict with the librarian's own edits, before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-library.h"

G_BEGIN_DECLS

#define CB_TYPE_UPDATE_WINDOW (cb_update_window_get_type ())

G_DECLARE_FINAL_TYPE (CbUpdateWindow, cb_update_window, CB, UPDATE_WINDOW, AdwWindow)

GtkWidget       *cb_update_window_new         (GtkWindow       *parent,
                                               CbUpdatePreview *preview,
                                               const char      *file_name);
CbUpdatePreview *cb_update_window_get_preview (CbUpdateWindow  *self);
GHashTable      *cb_update_window_dup_choices (CbUpdateWindow  *self);
void             cb_update_window_set_choice  (CbUpdateWindow  *self,
                                               const char      *id,
                                               const char      *field,
                                               CbChoice         choice);
void             cb_update_window_show_error  (CbUpdateWindow  *self,
                                               const char      *message);

G_END_DECLS
