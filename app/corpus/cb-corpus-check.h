/* cb-corpus-check.h: consistency checks of a corpus (`casebook-cli validate`)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-corpus.h"
#include "cb-taxonomy.h"

G_BEGIN_DECLS

GPtrArray *cb_corpus_check (CbCorpus   *corpus,
                            CbTaxonomy *taxonomy);

G_END_DECLS
