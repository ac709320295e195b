/* cb-corpus-diff.h: what changed between two corpora, field by field, and
 * the three-way merge of a corpus update into a librarian's working corpus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cb-corpus.h"

G_BEGIN_DECLS

typedef enum {
  CB_DIFF_ADDED,
  CB_DIFF_REMOVED,
  CB_DIFF_CHANGED,
} CbDiffKind;

/**
 * CbDiffEntry:
 * @kind: added, removed or changed
 * @id: an item id ("case_study:4.2.4"), a reference id
 *   ("reference:curtis2019") or "corpus" for the guide's own metadata
 *   (title, subtitle, publisher, version)
 * @label: for people: "Case study 4.2.4: Title", a reference's first
 *   author and year, or "The guide"
 * @changes: (element-type CbChange): for a changed entry, every field that
 *   differs with its text before and after (cb_item_dup_field() names and
 *   values; "status" shows a retirement); empty for added and removed
 */
typedef struct {
  CbDiffKind  kind;
  char       *id;
  char       *label;
  GPtrArray  *changes;
} CbDiffEntry;

void        cb_diff_entry_free   (CbDiffEntry *entry);
const char *cb_diff_kind_to_string (CbDiffKind kind);

/* (element-type CbDiffEntry) (transfer full): the corpus metadata first,
 * then references, then items, each in @b's order (removed ones in @a's) */
GPtrArray  *cb_corpus_diff       (CbCorpus    *a,
                                  CbCorpus    *b);
JsonNode   *cb_diff_to_json      (GPtrArray   *diff);

/**
 * CbConflict:
 * @id: the item or reference
 * @label: for people
 * @field: the field both sides changed
 * @base: (nullable): its value in the common base
 * @local: (nullable): the librarian's value
 * @update: (nullable): the update's value
 */
typedef struct {
  char *id;
  char *label;
  char *field;
  char *base;
  char *local;
  char *update;
} CbConflict;

void        cb_conflict_free     (CbConflict  *conflict);

typedef enum {
  CB_CHOOSE_LOCAL,
  CB_CHOOSE_UPDATE,
} CbChoice;

/* The key of a choice in the table cb_corpus_merge() takes: "ID\tFIELD" */
char       *cb_conflict_key      (const char  *id,
                                  const char  *field);

CbCorpus   *cb_corpus_merge      (CbCorpus    *base,
                                  CbCorpus    *local,
                                  CbCorpus    *update,
                                  GHashTable  *choices,
                                  GPtrArray  **conflicts,
                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbDiffEntry, cb_diff_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbConflict, cb_conflict_free)

G_END_DECLS
