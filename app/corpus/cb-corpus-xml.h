/* cb-corpus-xml.h: the corpus file (XML, RELAX NG schema in data/)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-corpus.h"

G_BEGIN_DECLS

#define CB_CORPUS_FORMAT 1
#define CB_CORPUS_NAMESPACE "urn:x-casebook:corpus"

/**
 * CbCorpusItemFunc:
 * @item: (transfer none): an item, complete
 * @user_data: closure
 * @error: return location for a #GError
 *
 * Returns: %FALSE to stop reading with @error set
 */
typedef gboolean (*CbCorpusItemFunc)      (CbItem       *item,
                                           gpointer      user_data,
                                           GError      **error);
typedef gboolean (*CbCorpusReferenceFunc) (CbReference  *reference,
                                           gpointer      user_data,
                                           GError      **error);

/**
 * CbProgressFunc:
 * @fraction: how much is done, from 0 to 1
 * @user_data: closure
 */
typedef void     (*CbProgressFunc)        (double        fraction,
                                           gpointer      user_data);

CbCorpus *cb_corpus_read_file       (const char             *path,
                                     GError                **error);
gboolean  cb_corpus_read_streaming_full (const char         *path,
                                     CbCorpus               *outline,
                                     CbCorpusReferenceFunc   reference_func,
                                     CbCorpusItemFunc        item_func,
                                     CbProgressFunc          progress_func,
                                     gpointer                user_data,
                                     GError                **error);
gboolean  cb_corpus_read_streaming  (const char             *path,
                                     CbCorpus               *outline,
                                     CbCorpusReferenceFunc   reference_func,
                                     CbCorpusItemFunc        item_func,
                                     gpointer                user_data,
                                     GError                **error);
gboolean  cb_corpus_write_file      (CbCorpus               *corpus,
                                     const char             *path,
                                     GError                **error);
GBytes   *cb_corpus_write_bytes     (CbCorpus               *corpus,
                                     GError                **error);

GBytes   *cb_corpus_write_update    (CbCorpus               *corpus,
                                     GError                **error);
gboolean  cb_corpus_write_update_file (CbCorpus             *corpus,
                                     const char             *path,
                                     GError                **error);
CbCorpus *cb_corpus_read_update     (const char             *path,
                                     GError                **error);
CbCorpus *cb_corpus_read_update_bytes (GBytes               *bytes,
                                     const char             *display_name,
                                     GError                **error);

GBytes      *cb_item_to_xml         (CbItem                 *item,
                                     GError                **error);
CbItem      *cb_item_from_xml       (const char             *data,
                                     gsize                   len,
                                     GError                **error);
GBytes      *cb_reference_to_xml    (CbReference            *reference,
                                     GError                **error);
CbReference *cb_reference_from_xml  (const char             *data,
                                     gsize                   len,
                                     GError                **error);

G_END_DECLS
