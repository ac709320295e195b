/* cb-citation.h: parse a Harvard-style citation into a CbReference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-reference.h"

G_BEGIN_DECLS

CbReference *cb_citation_parse    (const char  *text,
                                   GError     **error);
char        *cb_citation_make_key (CbReference *reference);

G_END_DECLS
