/* cb-corpus-check.h: consistency checks of a corpus (`casebook-cli validate`)
 * and of one item before the editor saves it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-corpus.h"
#include "cb-taxonomy.h"

G_BEGIN_DECLS

GPtrArray *cb_corpus_check         (CbCorpus    *corpus,
                                    CbTaxonomy  *taxonomy);
gboolean   cb_corpus_validate_item (CbCorpus    *corpus,
                                    CbTaxonomy  *taxonomy,
                                    CbItem      *item,
                                    const char  *replaces_id,
                                    char       **field,
                                    GError     **error);

G_END_DECLS
