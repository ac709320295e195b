/* cb-synth.h: a deterministic synthetic corpus for the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CbSynthStats:
 * @n_items: items written
 * @n_references: references written
 * @n_bytes: size of the file
 */
typedef struct {
  guint   n_items;
  guint   n_references;
  guint64 n_bytes;
} CbSynthStats;

gboolean cb_synth_write_corpus (const char    *guide_path,
                                guint          n_items,
                                guint64        seed,
                                const char    *path,
                                CbSynthStats  *stats,
                                GError       **error);

G_END_DECLS
