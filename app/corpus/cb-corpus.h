/* cb-corpus.h: the whole corpus: guide outline, items, references and the
 * importer's report on the guide
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-item.h"
#include "cb-reference.h"

G_BEGIN_DECLS

typedef struct {
  char  *number;
  char  *title;
  guint  page;
} CbSection;

typedef struct {
  guint      number;
  char      *title;
  guint      page;
  GPtrArray *sections;
} CbChapter;

CbChapter  *cb_chapter_new          (guint        number,
                                     const char  *title,
                                     guint        page);
void        cb_chapter_free         (CbChapter   *chapter);
CbSection  *cb_chapter_add_section  (CbChapter   *chapter,
                                     const char  *number,
                                     const char  *title,
                                     guint        page);

typedef enum {
  CB_CONTENTS_FRONT,
  CB_CONTENTS_CHAPTER,
  CB_CONTENTS_SECTION,
  CB_CONTENTS_BACK,
} CbContentsKind;

/**
 * CbContentsEntry:
 * @kind: front matter, chapter, section or back matter
 * @number: (nullable): "3" for a chapter, "3.2" for a section
 * @title: the title without its number ("What works")
 * @page: the guide page
 *
 * One line of the guide's contents list.
 */
typedef struct {
  CbContentsKind  kind;
  char           *number;
  char           *title;
  guint           page;
} CbContentsEntry;

const char *cb_contents_kind_to_string   (CbContentsKind  kind);
gboolean    cb_contents_kind_from_string (const char     *str,
                                          CbContentsKind *kind);

typedef enum {
  CB_SEVERITY_INFO,
  CB_SEVERITY_WARNING,
  CB_SEVERITY_ERROR,
} CbSeverity;

const char *cb_severity_to_string   (CbSeverity   severity);
gboolean    cb_severity_from_string (const char  *str,
                                     CbSeverity  *severity);

/**
 * CbAnomaly:
 * @severity: how serious
 * @code: a stable machine name ("reference-number-mismatch", ...)
 * @line: the guide line, or 0
 * @item: (nullable): the item concerned
 * @message: a sentence for people
 */
typedef struct {
  CbSeverity  severity;
  char       *code;
  guint       line;
  char       *item;
  char       *message;
} CbAnomaly;

CbAnomaly  *cb_anomaly_new          (CbSeverity   severity,
                                     const char  *code,
                                     guint        line,
                                     const char  *item,
                                     const char  *message);
void        cb_anomaly_free         (CbAnomaly   *anomaly);

#define CB_TYPE_CORPUS (cb_corpus_get_type ())

G_DECLARE_FINAL_TYPE (CbCorpus, cb_corpus, CB, CORPUS, GObject)

CbCorpus    *cb_corpus_new                 (void);

const char  *cb_corpus_get_title           (CbCorpus    *self);
void         cb_corpus_set_title           (CbCorpus    *self,
                                            const char  *title);
const char  *cb_corpus_get_subtitle        (CbCorpus    *self);
void         cb_corpus_set_subtitle        (CbCorpus    *self,
                                            const char  *subtitle);
const char  *cb_corpus_get_publisher       (CbCorpus    *self);
void         cb_corpus_set_publisher       (CbCorpus    *self,
                                            const char  *publisher);
const char  *cb_corpus_get_source_name     (CbCorpus    *self);
const char  *cb_corpus_get_source_checksum (CbCorpus    *self);
void         cb_corpus_set_source          (CbCorpus    *self,
                                            const char  *name,
                                            const char  *sha256);
guint        cb_corpus_get_version         (CbCorpus    *self);
void         cb_corpus_set_version         (CbCorpus    *self,
                                            guint        version);

GPtrArray   *cb_corpus_get_contents        (CbCorpus    *self);
void         cb_corpus_add_contents_entry  (CbCorpus    *self,
                                            CbContentsKind kind,
                                            const char  *number,
                                            const char  *title,
                                            guint        page);
GPtrArray   *cb_corpus_get_chapters        (CbCorpus    *self);
CbChapter   *cb_corpus_lookup_chapter      (CbCorpus    *self,
                                            guint        number);
const CbSection *cb_corpus_lookup_section  (CbCorpus    *self,
                                            const char  *number);

GPtrArray   *cb_corpus_get_items           (CbCorpus    *self);
CbItem      *cb_corpus_lookup_item         (CbCorpus    *self,
                                            const char  *id);
gboolean     cb_corpus_add_item            (CbCorpus    *self,
                                            CbItem      *item,
                                            GError     **error);
gboolean     cb_corpus_insert_item         (CbCorpus    *self,
                                            CbItem      *item,
                                            guint        position,
                                            GError     **error);
void         cb_corpus_replace_item        (CbCorpus    *self,
                                            CbItem      *item);
guint        cb_corpus_count_items         (CbCorpus    *self,
                                            CbItemKind   kind);

GPtrArray   *cb_corpus_get_references      (CbCorpus    *self);
CbReference *cb_corpus_lookup_reference    (CbCorpus    *self,
                                            const char  *id);
gboolean     cb_corpus_add_reference       (CbCorpus    *self,
                                            CbReference *reference,
                                            GError     **error);
void         cb_corpus_replace_reference   (CbCorpus    *self,
                                            CbReference *reference);
GPtrArray   *cb_corpus_dup_citing_items    (CbCorpus    *self,
                                            const char  *reference_id);

char        *cb_corpus_format_citation     (CbCorpus    *self,
                                            CbItem      *item);
char        *cb_corpus_format_guide_citation (CbCorpus  *self);
char        *cb_corpus_format_location     (CbCorpus    *self,
                                            CbItem      *item);

GPtrArray   *cb_corpus_get_anomalies       (CbCorpus    *self);
void         cb_corpus_add_anomaly         (CbCorpus    *self,
                                            CbAnomaly   *anomaly);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbChapter, cb_chapter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbAnomaly, cb_anomaly_free)

G_END_DECLS
