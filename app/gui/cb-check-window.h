/* cb-check-window.h: the problems a check of the corpus found, by
 * severity, each one a click away from its item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-corpus.h"

G_BEGIN_DECLS

#define CB_TYPE_CHECK_WINDOW (cb_check_window_get_type ())

G_DECLARE_FINAL_TYPE (CbCheckWindow, cb_check_window, CB, CHECK_WINDOW, AdwWindow)

GtkWidget *cb_check_window_new (GtkWindow  *parent,
                                GPtrArray  *anomalies,
                                const char *corpus_name);

G_END_DECLS
