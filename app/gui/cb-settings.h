/* cb-settings.h: Casebook's settings as properties bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CB_TYPE_SETTINGS (cb_settings_get_type ())

G_DECLARE_FINAL_TYPE (CbSettings, cb_settings, CB, SETTINGS, GObject)

CbSettings *cb_settings_get_default (void);

G_END_DECLS
