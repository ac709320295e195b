/* cb-library.h: the librarian's working corpus: edits with history, new
 * and retired items, corpus update files in and out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cb-corpus.h"
#include "cb-corpus-diff.h"
#include "cb-taxonomy.h"

G_BEGIN_DECLS

/**
 * CbUpdatePreview:
 * @update: the update's corpus
 * @version: its version
 * @changes: (element-type CbDiffEntry): what applying it changes in the
 *   working corpus, with every conflict decided for the update
 * @conflicts: (element-type CbConflict): fields both the librarian and the
 *   update changed, each needing a choice
 * @path: (nullable): the update file
 *
 * What a corpus update would do, before it is applied.
 */
typedef struct {
  CbCorpus  *update;
  guint      version;
  GPtrArray *changes;
  GPtrArray *conflicts;
  char      *path;
} CbUpdatePreview;

void cb_update_preview_free (CbUpdatePreview *preview);

#define CB_TYPE_LIBRARY (cb_library_get_type ())

G_DECLARE_FINAL_TYPE (CbLibrary, cb_library, CB, LIBRARY, GObject)

CbLibrary       *cb_library_new              (const char       *seed_path,
                                              const char       *working_path,
                                              const char       *base_path,
                                              CbTaxonomy       *taxonomy);
CbLibrary       *cb_library_new_for_index    (const char       *corpus_path,
                                              const char       *index_path,
                                              CbTaxonomy       *taxonomy);
const char      *cb_library_get_corpus_path  (CbLibrary        *self);
gboolean         cb_library_has_local_copy   (CbLibrary        *self);
void             cb_library_set_author       (CbLibrary        *self,
                                              const char       *author);
const char      *cb_library_get_author       (CbLibrary        *self);

CbCorpus        *cb_library_load             (CbLibrary        *self,
                                              GError          **error);
gboolean         cb_library_save_item        (CbLibrary        *self,
                                              CbItem           *item,
                                              const char       *replaces_id,
                                              const char       *summary,
                                              char            **bad_field,
                                              GError          **error);
gboolean         cb_library_save_edit        (CbLibrary        *self,
                                              CbItem           *item,
                                              const char       *replaces_id,
                                              CbItem           *expected,
                                              GPtrArray        *new_references,
                                              const char       *summary,
                                              char            **bad_field,
                                              GError          **error);
gboolean         cb_library_set_field        (CbLibrary        *self,
                                              const char       *id,
                                              const char       *field,
                                              const char       *value,
                                              GError          **error);
gboolean         cb_library_set_retired      (CbLibrary        *self,
                                              const char       *id,
                                              gboolean          retired,
                                              GError          **error);
gboolean         cb_library_save_reference   (CbLibrary        *self,
                                              CbReference      *reference,
                                              GError          **error);
GPtrArray       *cb_library_dup_history      (CbLibrary        *self,
                                              const char       *id,
                                              GError          **error);
char            *cb_library_dup_free_id      (CbLibrary        *self,
                                              CbItemKind        kind,
                                              const char       *number);

gboolean         cb_library_export_update    (CbLibrary        *self,
                                              const char       *path,
                                              guint            *version,
                                              GError          **error);
CbUpdatePreview *cb_library_preview_update   (CbLibrary        *self,
                                              const char       *path,
                                              GError          **error);
GPtrArray       *cb_library_dup_changes      (CbLibrary        *self,
                                              CbUpdatePreview  *preview,
                                              GHashTable       *choices,
                                              GError          **error);
gboolean         cb_library_apply_update     (CbLibrary        *self,
                                              CbUpdatePreview  *preview,
                                              GHashTable       *choices,
                                              GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbUpdatePreview, cb_update_preview_free)

G_END_DECLS
