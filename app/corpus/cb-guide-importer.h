/* cb-guide-importer.h: turns the guide's plain text into a corpus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-corpus.h"

G_BEGIN_DECLS

#define CB_TYPE_GUIDE_IMPORTER (cb_guide_importer_get_type ())

G_DECLARE_FINAL_TYPE (CbGuideImporter, cb_guide_importer, CB, GUIDE_IMPORTER, GObject)

CbGuideImporter *cb_guide_importer_new            (void);
void             cb_guide_importer_set_base       (CbGuideImporter  *self,
                                                   CbCorpus         *base);
void             cb_guide_importer_set_timestamp  (CbGuideImporter  *self,
                                                   const char       *timestamp);
void             cb_guide_importer_set_author     (CbGuideImporter  *self,
                                                   const char       *author);
CbCorpus        *cb_guide_importer_import_bytes   (CbGuideImporter  *self,
                                                   const char       *data,
                                                   gsize             len,
                                                   const char       *source_name,
                                                   GError          **error);
CbCorpus        *cb_guide_importer_import_file    (CbGuideImporter  *self,
                                                   const char       *path,
                                                   GError          **error);
guint            cb_guide_importer_get_n_lines    (CbGuideImporter  *self);
const char      *cb_guide_importer_get_line_text  (CbGuideImporter  *self,
                                                   guint             line);
const char      *cb_guide_importer_get_line_owner (CbGuideImporter  *self,
                                                   guint             line);
guint            cb_guide_importer_get_line_claims (CbGuideImporter *self,
                                                   guint             line);
GPtrArray       *cb_guide_importer_get_merge_notes (CbGuideImporter *self);

char            *cb_now_timestamp                 (void);

G_END_DECLS
