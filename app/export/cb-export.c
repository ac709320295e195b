/* cb-export.c: evidence-pack export: formats, the shared context and the
 * atomic write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-error.h"
#include "cb-export-private.h"
#include "cb-guide-importer.h"
#include "cb-xml.h"

typedef GBytes *(*CbWriterFunc) (CbExportContext *ctx,
                                 GError         **error);

static const struct {
  const char   *name;
  const char   *label;
  const char   *extension;
  const char   *mime_type;
  CbWriterFunc  write;
} formats[] = {
  [CB_EXPORT_HTML]     = { "html",   N_("Handout (HTML)"),        "html",          "text/html",                      _cb_export_html },
  [CB_EXPORT_PDF]      = { "pdf",    N_("Handout (PDF)"),         "pdf",           "application/pdf",                _cb_export_pdf },
  [CB_EXPORT_MARKDOWN] = { "md",     N_("Markdown"),              "md",            "text/markdown",                  _cb_export_markdown },
  [CB_EXPORT_CSV]      = { "csv",    N_("Spreadsheet (CSV)"),     "csv",           "text/csv",                       _cb_export_csv },
  [CB_EXPORT_JSON]     = { "json",   N_("JSON"),                  "json",          "application/json",               _cb_export_json },
  [CB_EXPORT_RIS]      = { "ris",    N_("Reading list (RIS)"),    "ris",           "application/x-research-info-systems", _cb_export_ris },
  [CB_EXPORT_BIBTEX]   = { "bibtex", N_("Reading list (BibTeX)"), "bib",           "text/x-bibtex",                  _cb_export_bibtex },
  [CB_EXPORT_PACK]     = { "pack",   N_("Casebook pack file"),    "casebook-pack", "application/x-casebook-pack",    _cb_export_pack_file },
};

G_STATIC_ASSERT (G_N_ELEMENTS (formats) == CB_N_EXPORT_FORMATS);

const char *
cb_export_format_to_string (CbExportFormat format)
{
  g_return_val_if_fail (format < CB_N_EXPORT_FORMATS, NULL);

  return formats[format].name;
}

/**
 * cb_export_format_from_string:
 * @str: "html", "pdf", "md", "csv", "json", "ris", "bibtex" or "pack"
 *   ("markdown" and "bib" are accepted too)
 * @format: (out): the format
 */
gboolean
cb_export_format_from_string (const char     *str,
                              CbExportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < CB_N_EXPORT_FORMATS; i++)
    {
      if (g_ascii_strcasecmp (str, formats[i].name) == 0 ||
          g_ascii_strcasecmp (str, formats[i].extension) == 0)
        {
          *format = i;
          return TRUE;
        }
    }

  if (g_ascii_strcasecmp (str, "markdown") == 0)
    {
      *format = CB_EXPORT_MARKDOWN;
      return TRUE;
    }

  return FALSE;
}

const char *
cb_export_format_label (CbExportFormat format)
{
  g_return_val_if_fail (format < CB_N_EXPORT_FORMATS, NULL);

  return _(formats[format].label);
}

const char *
cb_export_format_extension (CbExportFormat format)
{
  g_return_val_if_fail (format < CB_N_EXPORT_FORMATS, NULL);

  return formats[format].extension;
}

const char *
cb_export_format_mime_type (CbExportFormat format)
{
  g_return_val_if_fail (format < CB_N_EXPORT_FORMATS, NULL);

  return formats[format].mime_type;
}

/* The items array holds NULL where the corpus lost an item */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
add_unique_reference (GPtrArray   *references,
                      CbReference *reference)
{
  for (guint i = 0; i < references->len; i++)
    {
      CbReference *other = g_ptr_array_index (references, i);

      if (other == reference || g_str_equal (cb_reference_get_id (other), cb_reference_get_id (reference)))
        return;
    }

  g_ptr_array_add (references, g_object_ref (reference));
}

CbExportContext *
_cb_export_context_new (CbPack       *pack,
                        CbCorpus     *corpus,
                        CbTaxonomy   *taxonomy,
                        GCancellable *cancellable)
{
  CbExportContext *ctx = g_new0 (CbExportContext, 1);
  g_autofree char *timestamp = cb_now_timestamp ();
  GPtrArray *entries = cb_pack_get_entries (pack);

  ctx->pack = g_object_ref (pack);
  ctx->corpus = g_object_ref (corpus);
  ctx->taxonomy = g_object_ref (taxonomy);
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  ctx->items = g_ptr_array_new_full (entries->len, unref_item);
  ctx->references = g_ptr_array_new_with_free_func (g_object_unref);
  ctx->guide_citation = cb_corpus_format_guide_citation (corpus);
  ctx->generated = g_strndup (timestamp, 10);

  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);
      CbItem *item = cb_corpus_lookup_item (corpus, entry->item_id);

      g_ptr_array_add (ctx->items, item ? g_object_ref (item) : NULL);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GPtrArray) refs = _cb_export_dup_references (ctx, i);

      for (guint j = 0; j < refs->len; j++)
        add_unique_reference (ctx->references, g_ptr_array_index (refs, j));
    }

  return ctx;
}

void
_cb_export_context_free (CbExportContext *ctx)
{
  if (ctx == NULL)
    return;

  g_clear_object (&ctx->pack);
  g_clear_object (&ctx->corpus);
  g_clear_object (&ctx->taxonomy);
  g_clear_object (&ctx->cancellable);
  g_clear_pointer (&ctx->items, g_ptr_array_unref);
  g_clear_pointer (&ctx->references, g_ptr_array_unref);
  g_clear_pointer (&ctx->guide_citation, g_free);
  g_clear_pointer (&ctx->generated, g_free);
  g_free (ctx);
}

static CbItem *
get_item (CbExportContext *ctx,
          guint            position)
{
  g_return_val_if_fail (position < ctx->items->len, NULL);

  return g_ptr_array_index (ctx->items, position);
}

char *
_cb_export_dup_label (CbExportContext *ctx,
                      guint            position)
{
  CbItem *item = get_item (ctx, position);
  CbPackEntry *entry = cb_pack_get_entry (ctx->pack, position);

  if (item != NULL)
    return cb_item_dup_label (item);

  return g_strdup (*entry->label ? entry->label : entry->item_id);
}

const char *
_cb_export_get_title (CbExportContext *ctx,
                      guint            position)
{
  CbItem *item = get_item (ctx, position);
  CbPackEntry *entry = cb_pack_get_entry (ctx->pack, position);

  if (item != NULL && cb_item_get_title (item) != NULL)
    return cb_item_get_title (item);

  return *entry->title ? entry->title : entry->item_id;
}

char *
_cb_export_dup_heading (CbExportContext *ctx,
                        guint            position)
{
  g_autofree char *label = _cb_export_dup_label (ctx, position);
  const char *title = _cb_export_get_title (ctx, position);

  if (g_str_equal (label, title))
    return g_strdup (title);

  /* Translators: a pack item's heading, "Case study 4.2.4: Title" */
  return g_strdup_printf (_("%s: %s"), label, title);
}

const char *
_cb_export_get_status (CbExportContext *ctx,
                       guint            position)
{
  CbItem *item = get_item (ctx, position);

  if (item == NULL)
    return _("No longer in the corpus");
  if (cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED)
    return _("Retired from the corpus");

  return NULL;
}

char *
_cb_export_dup_location (CbExportContext *ctx,
                         guint            position)
{
  CbItem *item = get_item (ctx, position);

  if (item == NULL)
    return NULL;

  return cb_corpus_format_location (ctx->corpus, item);
}

static char *
join_labels (CbExportContext     *ctx,
             CbTaxonomyDimension  dimension,
             GPtrArray           *ids,
             const char          *separator)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const char *label = cb_taxonomy_label (ctx->taxonomy, dimension, id);

      if (out->len > 0)
        g_string_append (out, separator);
      g_string_append (out, label ? label : id);
    }

  return g_string_free (out, FALSE);
}

char *
_cb_export_dup_countries (CbExportContext *ctx,
                          guint            position)
{
  CbItem *item = get_item (ctx, position);

  if (item == NULL)
    return g_strdup ("");

  return join_labels (ctx, CB_TAXONOMY_COUNTRY, cb_item_get_countries (item), ", ");
}

char *
_cb_export_dup_interventions (CbExportContext *ctx,
                              guint            position)
{
  CbItem *item = get_item (ctx, position);

  if (item == NULL)
    return g_strdup ("");

  return join_labels (ctx, CB_TAXONOMY_INTERVENTION, cb_item_get_interventions (item), "; ");
}

const char *
_cb_export_get_design (CbExportContext *ctx,
                       guint            position)
{
  CbItem *item = get_item (ctx, position);
  const char *design;
  const char *label;

  if (item == NULL || (design = cb_item_get_design (item)) == NULL)
    return "";

  label = cb_taxonomy_label (ctx->taxonomy, CB_TAXONOMY_DESIGN, design);

  return label ? label : design;
}

char *
_cb_export_dup_citation (CbExportContext *ctx,
                         guint            position)
{
  CbItem *item = get_item (ctx, position);

  if (item == NULL)
    return NULL;

  return cb_corpus_format_citation (ctx->corpus, item);
}

GPtrArray *
_cb_export_dup_references (CbExportContext *ctx,
                           guint            position)
{
  CbItem *item = get_item (ctx, position);
  GPtrArray *refs = g_ptr_array_new ();
  GPtrArray *ids;

  if (item == NULL)
    return refs;

  ids = cb_item_get_references (item);
  for (guint i = 0; i < ids->len; i++)
    {
      CbReference *reference = cb_corpus_lookup_reference (ctx->corpus, g_ptr_array_index (ids, i));

      if (reference != NULL)
        g_ptr_array_add (refs, reference);
    }

  return refs;
}

char *
_cb_export_format_reference (CbReference *reference)
{
  const char *text = cb_reference_get_text (reference);
  g_autofree char *authors = NULL;
  GString *out;

  if (text != NULL)
    return g_strdup (text);

  out = g_string_new (NULL);
  authors = cb_reference_format_authors (reference);
  if (authors != NULL && *authors)
    g_string_append_printf (out, "%s ", authors);
  if (cb_reference_get_year (reference))
    g_string_append_printf (out, "(%s) ", cb_reference_get_year (reference));
  if (cb_reference_get_title (reference))
    g_string_append_printf (out, "%s. ", cb_reference_get_title (reference));
  if (cb_reference_get_container (reference))
    g_string_append_printf (out, "%s. ", cb_reference_get_container (reference));
  if (cb_reference_get_doi (reference))
    g_string_append_printf (out, "doi:%s", cb_reference_get_doi (reference));
  g_strchomp (out->str);

  return g_string_free (out, FALSE);
}

/* Only web and DOI links are followed; anything else ("#", "javascript:",
 * "file:") stays plain text. */
char *
_cb_export_dup_safe_href (const char *href)
{
  if (href == NULL)
    return NULL;

  if (g_ascii_strncasecmp (href, "https://", 8) == 0 ||
      g_ascii_strncasecmp (href, "http://", 7) == 0)
    return strpbrk (href, " \t\r\n\"<>") ? NULL : g_strdup (href);

  if (g_ascii_strncasecmp (href, "doi:", 4) == 0 && cb_doi_is_valid (href + 4))
    return g_strconcat ("https://doi.org/", href + 4, NULL);

  if (cb_doi_is_valid (href))
    return g_strconcat ("https://doi.org/", href, NULL);

  return NULL;
}

/* The reference as the guide's list has it, as spans, with its DOI (or
 * else its URL) made a link: in place where the text mentions it, added at
 * the end where it does not. */
GPtrArray *
_cb_export_dup_reference_spans (CbReference *reference)
{
  g_autofree char *text = _cb_export_format_reference (reference);
  g_autofree char *link = cb_reference_dup_link (reference);
  const char *doi = cb_reference_get_doi (reference);
  const char *needle = doi ? doi : cb_reference_get_url (reference);
  GPtrArray *spans = cb_spans_parse_inline (text);

  if (link == NULL || needle == NULL)
    return spans;

  for (guint i = 0; i < spans->len; i++)
    {
      CbSpan *span = g_ptr_array_index (spans, i);
      const char *found;

      if (span->href != NULL && strstr (span->href, needle) != NULL)
        return spans;

      if (span->href == NULL && (found = strstr (span->text, needle)) != NULL)
        {
          g_autofree char *before = g_strndup (span->text, found - span->text);
          const char *after = found + strlen (needle);

          g_ptr_array_insert (spans, i + 1, cb_span_new (needle, span->flags, link));
          if (*after)
            g_ptr_array_insert (spans, i + 2, cb_span_new (after, span->flags, NULL));
          g_free (span->text);
          span->text = g_steal_pointer (&before);
          cb_spans_normalize (spans);
          return spans;
        }
    }

  g_ptr_array_add (spans, cb_span_new (" ", CB_SPAN_PLAIN, NULL));
  g_ptr_array_add (spans, cb_span_new (link, CB_SPAN_PLAIN, link));

  return spans;
}

/**
 * _cb_export_check_cancelled:
 * @ctx: an export
 * @error: set to %CB_ERROR_CANCELLED if the export was cancelled
 *
 * Returns: %TRUE when the writer should stop
 */
gboolean
_cb_export_check_cancelled (CbExportContext  *ctx,
                            GError          **error)
{
  if (!g_cancellable_is_cancelled (ctx->cancellable))
    return FALSE;

  g_set_error_literal (error, CB_ERROR, CB_ERROR_CANCELLED, _("The export was cancelled"));

  return TRUE;
}

/**
 * cb_export_to_bytes:
 * @pack: the pack to export
 * @corpus: the corpus its items come from
 * @taxonomy: the taxonomy, for labels
 * @format: the format
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Returns: (transfer full): the exported document
 */
GBytes *
cb_export_to_bytes (CbPack          *pack,
                    CbCorpus        *corpus,
                    CbTaxonomy      *taxonomy,
                    CbExportFormat   format,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(CbExportContext) ctx = NULL;
  GBytes *bytes;

  g_return_val_if_fail (CB_IS_PACK (pack), NULL);
  g_return_val_if_fail (CB_IS_CORPUS (corpus), NULL);
  g_return_val_if_fail (CB_IS_TAXONOMY (taxonomy), NULL);
  g_return_val_if_fail (format < CB_N_EXPORT_FORMATS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ctx = _cb_export_context_new (pack, corpus, taxonomy, cancellable);
  bytes = formats[format].write (ctx, error);

  if (bytes != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      g_set_error_literal (error, CB_ERROR, CB_ERROR_CANCELLED, _("The export was cancelled"));
    }

  return bytes;
}

/**
 * cb_export_to_file:
 * @pack: the pack to export
 * @corpus: the corpus its items come from
 * @taxonomy: the taxonomy, for labels
 * @format: the format
 * @path: where to write; replaced atomically (a temporary file in the same
 *   folder, then a rename), so a failure never leaves a partial file
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 */
gboolean
cb_export_to_file (CbPack          *pack,
                   CbCorpus        *corpus,
                   CbTaxonomy      *taxonomy,
                   CbExportFormat   format,
                   const char      *path,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = cb_export_to_bytes (pack, corpus, taxonomy, format, cancellable, error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);

  return cb_file_set_contents_atomic (path, data, size, error);
}
