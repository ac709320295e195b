/* cb-test-util.h: what several test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cb_test_remove_tree  (const char *path);
void cb_test_wait_until   (gboolean   (*done) (gpointer),
                           gpointer     data,
                           guint        seconds);
void cb_test_run_for      (guint       milliseconds);
void cb_test_flush_events (void);

G_END_DECLS
