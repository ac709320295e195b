/* cb-pack-file.h: reading Casebook pack files (XML, data/pack.rng)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-corpus.h"
#include "cb-pack.h"

G_BEGIN_DECLS

#define CB_PACK_FILE_FORMAT 1

CbPack    *cb_pack_file_read           (const char  *path,
                                        GError     **error);
CbPack    *cb_pack_file_read_bytes     (GBytes      *bytes,
                                        const char  *display_name,
                                        GError     **error);
GPtrArray *cb_pack_dup_unknown_items   (CbPack      *pack,
                                        CbCorpus    *corpus);

G_END_DECLS
