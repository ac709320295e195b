/* cb-corpus-check.c: what `casebook-cli validate` reports beyond the schema
 *
 * Errors make a corpus unusable: references or item links that point
 * nowhere, metadata outside the taxonomy, two items with one number.
 * Warnings are curation gaps a librarian should close: items without
 * countries, intervention types or design, missing references, malformed
 * DOIs, references no item cites.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-corpus-check.h"

typedef struct {
  CbCorpus   *corpus;
  CbTaxonomy *taxonomy;
  GPtrArray  *report;
  GHashTable *reported; /* "code item" pairs already in the import report */
} Check;

static void
add (Check      *check,
     CbSeverity  severity,
     const char *code,
     const char *item,
     const char *format,
     ...) G_GNUC_PRINTF (5, 6);

static void
add (Check      *check,
     CbSeverity  severity,
     const char *code,
     const char *item,
     const char *format,
     ...)
{
  g_autofree char *key = g_strconcat (code, " ", item ? item : "", NULL);
  g_autofree char *message = NULL;
  va_list args;

  if (g_hash_table_contains (check->reported, key))
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (check->report, cb_anomaly_new (severity, code, 0, item, message));
}

static void
check_blocks (Check      *check,
              CbItem     *item,
              GPtrArray  *blocks)
{
  for (guint i = 0; blocks && i < blocks->len; i++)
    {
      CbBlock *block = g_ptr_array_index (blocks, i);

      if (block->kind == CB_BLOCK_ITEM_REF && cb_corpus_lookup_item (check->corpus, block->ref) == NULL)
        add (check, CB_SEVERITY_ERROR, "unknown-item-ref", cb_item_get_id (item),
             _("Points to “%s”, which is not in the corpus"), block->ref);

      for (guint s = 0; block->spans && s < block->spans->len; s++)
        {
          CbSpan *span = g_ptr_array_index (block->spans, s);

          if (span->href != NULL && g_str_equal (span->href, "#"))
            add (check, CB_SEVERITY_WARNING, "placeholder-link", cb_item_get_id (item),
                 _("Has a link with no target: “%s”"), span->text);
        }

      check_blocks (check, item, block->children);
    }
}

static void
check_item (Check      *check,
            CbItem     *item,
            GHashTable *numbers,
            GHashTable *cited)
{
  const char *id = cb_item_get_id (item);
  CbItemKind kind = cb_item_get_kind (item);
  gboolean evidence = kind == CB_ITEM_KIND_CASE_STUDY || kind == CB_ITEM_KIND_INSET_BOX;
  gboolean active = cb_item_get_status (item) == CB_ITEM_STATUS_ACTIVE;
  g_autofree char *prefix = g_strconcat (cb_item_kind_to_string (kind), ":", NULL);
  GPtrArray *countries = cb_item_get_countries (item);
  GPtrArray *interventions = cb_item_get_interventions (item);
  GPtrArray *refs = cb_item_get_references (item);
  GPtrArray *parts = cb_item_get_parts (item);
  g_autoptr(GString) missing = g_string_new (NULL);

  if (!cb_item_id_is_valid (id) || !g_str_has_prefix (id, prefix))
    add (check, CB_SEVERITY_ERROR, "bad-id", id,
         _("“%s” is not a valid id for a %s"), id, cb_item_kind_label (kind));

  if (cb_item_get_number (item) != NULL && active)
    {
      g_autofree char *key = g_strconcat (prefix, cb_item_get_number (item), NULL);
      const char *other = g_hash_table_lookup (numbers, key);

      if (other != NULL && !g_str_equal (other, id))
        add (check, CB_SEVERITY_ERROR, "duplicate-number", id,
             _("%s and %s both carry the number %s"), other, id, cb_item_get_number (item));
      else
        g_hash_table_insert (numbers, g_steal_pointer (&key), (gpointer) id);
    }

  if (evidence && cb_item_get_number (item) != NULL && cb_item_get_section (item) != NULL)
    {
      g_autofree char *section_prefix = g_strconcat (cb_item_get_section (item), ".", NULL);

      if (!g_str_has_prefix (cb_item_get_number (item), section_prefix))
        add (check, CB_SEVERITY_WARNING, "misplaced-number", id,
             _("Numbered %s but sits in section %s"), cb_item_get_number (item),
             cb_item_get_section (item));
    }

  for (guint i = 0; i < countries->len; i++)
    {
      const char *code = g_ptr_array_index (countries, i);

      if (cb_taxonomy_lookup (check->taxonomy, CB_TAXONOMY_COUNTRY, code) == NULL)
        add (check, CB_SEVERITY_ERROR, "unknown-country", id,
             _("Names the country “%s”, which the taxonomy does not have"), code);
    }

  for (guint i = 0; i < interventions->len; i++)
    {
      const char *type = g_ptr_array_index (interventions, i);

      if (cb_taxonomy_lookup (check->taxonomy, CB_TAXONOMY_INTERVENTION, type) == NULL)
        add (check, CB_SEVERITY_ERROR, "unknown-intervention", id,
             _("Names the intervention type “%s”, which the taxonomy does not have"), type);
    }

  if (cb_item_get_design (item) != NULL &&
      cb_taxonomy_lookup (check->taxonomy, CB_TAXONOMY_DESIGN, cb_item_get_design (item)) == NULL)
    add (check, CB_SEVERITY_ERROR, "unknown-design", id,
         _("Names the study design “%s”, which the taxonomy does not have"), cb_item_get_design (item));

  for (guint i = 0; i < refs->len; i++)
    {
      const char *ref = g_ptr_array_index (refs, i);

      g_hash_table_add (cited, (gpointer) ref);
      if (cb_corpus_lookup_reference (check->corpus, ref) == NULL)
        add (check, CB_SEVERITY_ERROR, "unknown-reference", id,
             _("Cites “%s”, which is not in the reference list"), ref);
    }

  for (guint i = 0; i < parts->len; i++)
    check_blocks (check, item, ((CbPart *) g_ptr_array_index (parts, i))->blocks);

  if (!evidence || !active)
    return;

  if (countries->len == 0)
    g_string_append (missing, _("country"));
  if (interventions->len == 0)
    g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", _("intervention type"));
  if (cb_item_get_design (item) == NULL)
    g_string_append_printf (missing, "%s%s", missing->len ? _(" or ") : "", _("study design"));
  if (missing->len > 0)
    add (check, CB_SEVERITY_WARNING, "missing-metadata", id, _("No %s"), missing->str);

  if (refs->len == 0 && cb_item_get_reference_note (item) == NULL)
    add (check, CB_SEVERITY_WARNING, "missing-reference", id, _("Cites no reference"));
  else if (cb_item_get_reference_note (item) != NULL)
    add (check, CB_SEVERITY_WARNING, "placeholder-reference", id,
         _("A placeholder instead of a reference: “%s”"), cb_item_get_reference_note (item));
}

/**
 * cb_corpus_check:
 * @corpus: a corpus
 * @taxonomy: the taxonomy its metadata must come from
 *
 * Returns: (transfer full) (element-type CbAnomaly): errors and warnings,
 *   without repeating what the corpus's import report already says
 */
GPtrArray *
cb_corpus_check (CbCorpus   *corpus,
                 CbTaxonomy *taxonomy)
{
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cited = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *items = cb_corpus_get_items (corpus);
  GPtrArray *references = cb_corpus_get_references (corpus);
  GPtrArray *anomalies = cb_corpus_get_anomalies (corpus);
  Check check = {
    .corpus = corpus,
    .taxonomy = taxonomy,
    .report = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_anomaly_free),
    .reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };

  g_return_val_if_fail (CB_IS_CORPUS (corpus), NULL);
  g_return_val_if_fail (CB_IS_TAXONOMY (taxonomy), NULL);

  for (guint i = 0; i < anomalies->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      g_hash_table_add (check.reported, g_strconcat (anomaly->code, " ", anomaly->item ? anomaly->item : "", NULL));
      /* An empty entry in the guide's reference list is the missing
       * reference already. */
      if (g_str_equal (anomaly->code, "empty-reference-entry"))
        g_hash_table_add (check.reported, g_strconcat ("missing-reference ", anomaly->item ? anomaly->item : "", NULL));
    }

  for (guint i = 0; i < items->len; i++)
    check_item (&check, g_ptr_array_index (items, i), numbers, cited);

  for (guint i = 0; i < references->len; i++)
    {
      CbReference *reference = g_ptr_array_index (references, i);
      const char *id = cb_reference_get_id (reference);

      if (cb_reference_get_doi (reference) != NULL && !cb_doi_is_valid (cb_reference_get_doi (reference)))
        add (&check, CB_SEVERITY_WARNING, "malformed-doi", id,
             _("Malformed DOI: “%s”"), cb_reference_get_doi (reference));

      if (!g_hash_table_contains (cited, id))
        add (&check, CB_SEVERITY_WARNING, "uncited-reference", id, _("No item cites this reference"));
    }

  g_hash_table_unref (check.reported);

  return check.report;
}
