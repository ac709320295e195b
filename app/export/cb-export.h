/* cb-export.h: evidence-pack writers (HTML, PDF, Markdown, CSV, JSON, RIS,
 * BibTeX and the Casebook pack file)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-corpus.h"
#include "cb-pack.h"
#include "cb-taxonomy.h"

G_BEGIN_DECLS

typedef enum {
  CB_EXPORT_HTML,
  CB_EXPORT_PDF,
  CB_EXPORT_MARKDOWN,
  CB_EXPORT_CSV,
  CB_EXPORT_JSON,
  CB_EXPORT_RIS,
  CB_EXPORT_BIBTEX,
  CB_EXPORT_PACK,
  CB_N_EXPORT_FORMATS
} CbExportFormat;

const char *cb_export_format_to_string   (CbExportFormat  format);
gboolean    cb_export_format_from_string (const char     *str,
                                          CbExportFormat *format);
const char *cb_export_format_label       (CbExportFormat  format);
const char *cb_export_format_extension   (CbExportFormat  format);
const char *cb_export_format_mime_type   (CbExportFormat  format);

GBytes     *cb_export_to_bytes           (CbPack         *pack,
                                          CbCorpus       *corpus,
                                          CbTaxonomy     *taxonomy,
                                          CbExportFormat  format,
                                          GCancellable   *cancellable,
                                          GError        **error);
gboolean    cb_export_to_file            (CbPack         *pack,
                                          CbCorpus       *corpus,
                                          CbTaxonomy     *taxonomy,
                                          CbExportFormat  format,
                                          const char     *path,
                                          GCancellable   *cancellable,
                                          GError        **error);

G_END_DECLS
