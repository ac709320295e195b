/* cb-result.h: one search result, as a list row shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CB_TYPE_RESULT (cb_result_get_type ())

G_DECLARE_FINAL_TYPE (CbResult, cb_result, CB, RESULT, GObject)

CbResult           *cb_result_new           (const char         *id,
                                             const char         *kind,
                                             const char         *number,
                                             const char         *title,
                                             guint               chapter,
                                             const char * const *countries);
const char         *cb_result_get_id        (CbResult           *self);
const char         *cb_result_get_kind      (CbResult           *self);
const char         *cb_result_get_number    (CbResult           *self);
const char         *cb_result_get_title     (CbResult           *self);
guint               cb_result_get_chapter   (CbResult           *self);
const char * const *cb_result_get_countries (CbResult           *self);
const char         *cb_result_get_snippet   (CbResult           *self);
void                cb_result_set_snippet   (CbResult           *self,
                                             const char         *markup);

char               *cb_snippet_to_markup    (const char         *snippet,
                                             const char         *mark_start,
                                             const char         *mark_end);

G_END_DECLS
