/* cb-export-private.h: what every writer shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cb-export.h"

G_BEGIN_DECLS

/**
 * CbExportContext:
 * @pack: the pack being written
 * @corpus: the corpus its items come from
 * @taxonomy: labels for countries, intervention types and designs
 * @items: (element-type CbItem): one per pack entry, in order; %NULL where
 *   the corpus no longer has the item
 * @references: (element-type CbReference): the references cited by the
 *   pack's items, deduplicated, in order of first citation
 * @guide_citation: how to cite the guide itself
 * @generated: the export date, "YYYY-MM-DD" (honours SOURCE_DATE_EPOCH so
 *   that exports are reproducible)
 * @cancellable: (nullable): checked between items by slow writers
 */
typedef struct {
  CbPack       *pack;
  CbCorpus     *corpus;
  CbTaxonomy   *taxonomy;
  GPtrArray    *items;
  GPtrArray    *references;
  char         *guide_citation;
  char         *generated;
  GCancellable *cancellable;
} CbExportContext;

CbExportContext *_cb_export_context_new       (CbPack          *pack,
                                               CbCorpus        *corpus,
                                               CbTaxonomy      *taxonomy,
                                               GCancellable    *cancellable);
void             _cb_export_context_free      (CbExportContext *ctx);

/* "Case study 4.2.4", from the corpus item or the entry's snapshot */
char            *_cb_export_dup_label         (CbExportContext *ctx,
                                               guint            position);
/* The item's title, from the corpus item or the entry's snapshot */
const char      *_cb_export_get_title         (CbExportContext *ctx,
                                               guint            position);
/* "Case study 4.2.4: Title" */
char            *_cb_export_dup_heading       (CbExportContext *ctx,
                                               guint            position);
/* %NULL for a current item, else "Retired from the corpus" or
 * "No longer in the corpus" */
const char      *_cb_export_get_status        (CbExportContext *ctx,
                                               guint            position);
/* "Chapter 4: Title of chapter, section 4.2 What works, page 56", or %NULL
 * when the item is not in the corpus */
char            *_cb_export_dup_location      (CbExportContext *ctx,
                                               guint            position);
/* "United Kingdom, International", "" when none */
char            *_cb_export_dup_countries     (CbExportContext *ctx,
                                               guint            position);
/* "Leadership and accountability; Ethnicity data", "" when none */
char            *_cb_export_dup_interventions (CbExportContext *ctx,
                                               guint            position);
/* "Randomised trial", "" when none */
const char      *_cb_export_get_design        (CbExportContext *ctx,
                                               guint            position);
/* The item's citation of the guide with its page, or %NULL */
char            *_cb_export_dup_citation      (CbExportContext *ctx,
                                               guint            position);
/* (element-type CbReference) (transfer container): the item's references */
GPtrArray       *_cb_export_dup_references    (CbExportContext *ctx,
                                               guint            position);
/* An http(s) or doi.org address for @href, or %NULL when it is none */
char            *_cb_export_dup_safe_href     (const char      *href);
/* (element-type CbSpan): the reference as spans, its DOI or URL a link */
GPtrArray       *_cb_export_dup_reference_spans (CbReference   *reference);
gboolean         _cb_export_check_cancelled   (CbExportContext *ctx,
                                               GError         **error);
/* A reference as one line of text, as the guide's reference list has it */
char            *_cb_export_format_reference  (CbReference     *reference);

GBytes          *_cb_export_html              (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_pdf               (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_markdown          (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_csv               (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_json              (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_ris               (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_bibtex            (CbExportContext *ctx,
                                               GError         **error);
GBytes          *_cb_export_pack_file         (CbExportContext *ctx,
                                               GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbExportContext, _cb_export_context_free)

G_END_DECLS
