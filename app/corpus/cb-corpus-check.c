/* cb-corpus-check.c: what `casebook-cli validate` reports beyond the schema,
 * and the check of one item before the editor saves it
 *
 * Errors make a corpus unusable: references or item links that point
 * nowhere, metadata outside the taxonomy, two items with one number, ids
 * that differ only in letter case. Warnings are curation gaps a librarian
 * should close: items without countries, intervention types or design,
 * numbers that disagree with their chapter or section, missing references,
 * malformed DOIs, references no item cites.
 *
 * The anomaly codes are stable (scripts read them): bad-id, duplicate-id,
 * id-number-mismatch, duplicate-number, misplaced-number, chapter-mismatch,
 * unknown-country, unknown-intervention, unknown-design, unknown-reference,
 * unknown-item-ref, placeholder-link, missing-metadata, missing-reference,
 * placeholder-reference, malformed-doi, uncited-reference.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-corpus-check.h"
#include "cb-error.h"
#include "cb-xml.h"

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

/* The chapter a number or section number starts with ("3" of "3.2.1"),
 * or 0 */
static guint
leading_number (const char *number)
{
  guint64 value;
  char *end;

  if (number == NULL || !g_ascii_isdigit (*number))
    return 0;

  value = g_ascii_strtoull (number, &end, 10);
  if ((*end != '\0' && *end != '.') || value > G_MAXUINT)
    return 0;

  return (guint) value;
}

/* Whether @number sits in @section: "3.1.2" in "3.1"; a chapter section's
 * own item carries the section's number. */
static gboolean
number_in_section (CbItemKind  kind,
                   const char *number,
                   const char *section)
{
  if (kind == CB_ITEM_KIND_SECTION)
    return g_str_equal (number, section);

  return g_str_has_prefix (number, section) && number[strlen (section)] == '.';
}

/* The key of an id when it looks like a number ("3.1.2" of
 * "case_study:3.1.2", "5.1.a" of "inset_box:5.1.a"), else NULL */
static const char *
numeric_key (const char *id)
{
  const char *key = id ? strchr (id, ':') : NULL;
  const char *p;

  if (key == NULL)
    return NULL;

  for (p = ++key;; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          while (g_ascii_isdigit (p[1]))
            p++;
        }
      else if (p != key && g_ascii_islower (*p))
        {
          while (g_ascii_islower (p[1]))
            p++;
          return p[1] == '\0' ? key : NULL;
        }
      else
        return NULL;

      if (p[1] == '\0')
        return key;
      if (*++p != '.')
        return NULL;
    }
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

  if (cb_item_get_number (item) != NULL && cb_item_get_section (item) != NULL &&
      !number_in_section (kind, cb_item_get_number (item), cb_item_get_section (item)))
    add (check, CB_SEVERITY_WARNING, "misplaced-number", id,
         _("Numbered %s but sits in section %s"), cb_item_get_number (item),
         cb_item_get_section (item));

  if (cb_item_get_chapter (item) != 0)
    {
      guint chapter = cb_item_get_chapter (item);
      const char *number = cb_item_get_number (item);
      const char *section = cb_item_get_section (item);

      if (number != NULL && strchr (number, '.') != NULL && leading_number (number) != chapter)
        add (check, CB_SEVERITY_WARNING, "chapter-mismatch", id,
             _("Numbered %s but sits in chapter %u"), number, chapter);
      else if (section != NULL && leading_number (section) != chapter)
        add (check, CB_SEVERITY_WARNING, "chapter-mismatch", id,
             _("In section %s but in chapter %u"), section, chapter);
    }

  if (numeric_key (id) != NULL && g_strcmp0 (numeric_key (id), cb_item_get_number (item)) != 0)
    add (check, CB_SEVERITY_WARNING, "id-number-mismatch", id,
         _("The id says %s but the item is numbered %s"), numeric_key (id),
         cb_item_get_number (item) ? cb_item_get_number (item) : _("nothing"));

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

  /* The corpus refuses two items with one id, but ids that differ only in
   * letter case name one item for people, file systems and search. */
  {
    g_autoptr(GHashTable) folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < items->len; i++)
      {
        const char *id = cb_item_get_id (g_ptr_array_index (items, i));
        char *key = g_ascii_strdown (id, -1);
        const char *other = g_hash_table_lookup (folded, key);

        if (other != NULL)
          {
            add (&check, CB_SEVERITY_ERROR, "duplicate-id", id,
                 _("%s and %s are one id in different letter case"), other, id);
            g_free (key);
          }
        else
          g_hash_table_insert (folded, key, (gpointer) id);
      }

    g_hash_table_remove_all (folded);
    for (guint i = 0; i < references->len; i++)
      {
        const char *id = cb_reference_get_id (g_ptr_array_index (references, i));
        char *key = g_ascii_strdown (id, -1);
        const char *other = g_hash_table_lookup (folded, key);

        if (other != NULL)
          {
            add (&check, CB_SEVERITY_ERROR, "duplicate-id", id,
                 _("%s and %s are one id in different letter case"), other, id);
            g_free (key);
          }
        else
          g_hash_table_insert (folded, key, (gpointer) id);
      }
  }

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

/* Checking one item before the editor saves it */

static gboolean
fail (char       **field,
      GError     **error,
      int          code,
      const char  *name,
      const char  *format,
      ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail (char       **field,
      GError     **error,
      int          code,
      const char  *name,
      const char  *format,
      ...)
{
  va_list args;

  if (field != NULL)
    *field = g_strdup (name);

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (CB_ERROR, code, format, args);
  va_end (args);

  return FALSE;
}

/* "GB, US, CA" */
static char *
list_terms (CbTaxonomy          *taxonomy,
            CbTaxonomyDimension  dimension)
{
  GPtrArray *terms = cb_taxonomy_get_terms (taxonomy, dimension);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < terms->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", ((CbTerm *) g_ptr_array_index (terms, i))->id);

  return g_string_free (out, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p && *p; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }

  return TRUE;
}

/* Whether @number matches the schema: "3.1.2", "5.1.a", "4" */
static gboolean
number_is_well_formed (const char *number,
                       gboolean    letters)
{
  const char *p = number;

  for (;;)
    {
      if (g_ascii_isdigit (*p))
        {
          while (g_ascii_isdigit (*p))
            p++;
        }
      else if (letters && p != number && g_ascii_islower (*p))
        {
          while (g_ascii_islower (*p))
            p++;
          return *p == '\0';
        }
      else
        return FALSE;

      if (*p == '\0')
        return TRUE;
      if (*p++ != '.')
        return FALSE;
    }
}

/* The first item-ref in @blocks whose item the corpus lacks, or NULL */
static const char *
find_unknown_item_ref (CbCorpus  *corpus,
                       GPtrArray *blocks)
{
  for (guint i = 0; blocks && i < blocks->len; i++)
    {
      CbBlock *block = g_ptr_array_index (blocks, i);
      const char *found;

      if (block->kind == CB_BLOCK_ITEM_REF && cb_corpus_lookup_item (corpus, block->ref) == NULL)
        return block->ref;
      if ((found = find_unknown_item_ref (corpus, block->children)) != NULL)
        return found;
    }

  return NULL;
}

static gboolean
validate_place (CbCorpus    *corpus,
                CbItem      *item,
                const char  *replaces_id,
                char       **field,
                GError     **error)
{
  CbItemKind kind = cb_item_get_kind (item);
  const char *number = cb_item_get_number (item);
  const char *section = cb_item_get_section (item);
  guint chapter = cb_item_get_chapter (item);
  gboolean has_outline = cb_corpus_get_chapters (corpus)->len > 0;
  GPtrArray *items = cb_corpus_get_items (corpus);

  if (chapter != 0 && has_outline && cb_corpus_lookup_chapter (corpus, chapter) == NULL)
    {
      GPtrArray *chapters = cb_corpus_get_chapters (corpus);
      g_autoptr(GString) allowed = g_string_new (NULL);

      for (guint i = 0; i < chapters->len; i++)
        g_string_append_printf (allowed, "%s%u", i ? ", " : "", ((CbChapter *) g_ptr_array_index (chapters, i))->number);

      return fail (field, error, CB_ERROR_INVALID, "chapter",
                   _("The guide has no chapter %u; choose one of its chapters (%s), or none."),
                   chapter, allowed->str);
    }

  if (section != NULL)
    {
      if (!number_is_well_formed (section, FALSE))
        return fail (field, error, CB_ERROR_INVALID, "section",
                     _("“%s” is not a section number; write it as the guide does, such as 3.1"), section);
      if (chapter != 0 && leading_number (section) != chapter)
        return fail (field, error, CB_ERROR_INVALID, "section",
                     _("Section %s is not in chapter %u; choose a section that starts with %u."),
                     section, chapter, chapter);
      if (has_outline && cb_corpus_lookup_section (corpus, section) == NULL)
        return fail (field, error, CB_ERROR_INVALID, "section",
                     _("The guide has no section %s; choose one of the sections of its contents."), section);
    }

  if (number == NULL)
    return TRUE;

  if (!number_is_well_formed (number, TRUE))
    return fail (field, error, CB_ERROR_INVALID, "number",
                 _("“%s” is not an item number; use numbers separated by dots, such as 3.1.2, "
                   "with at most a final letter, such as 5.1.a"), number);

  if (chapter != 0 && strchr (number, '.') != NULL && leading_number (number) != chapter)
    return fail (field, error, CB_ERROR_INVALID, "number",
                 _("Number %s does not belong in chapter %u; numbers in chapter %u start with %u."),
                 number, chapter, chapter, chapter);

  if (section != NULL && kind == CB_ITEM_KIND_SECTION && !number_in_section (kind, number, section))
    return fail (field, error, CB_ERROR_INVALID, "number",
                 _("Number %s does not match section %s; a section item carries its section’s number."),
                 number, section);

  if (section != NULL && !number_in_section (kind, number, section))
    return fail (field, error, CB_ERROR_INVALID, "number",
                 _("Number %s does not belong in section %s; numbers in that section start with %s."),
                 number, section, section);

  /* Two active items of one kind never share a number (retired ones keep
   * theirs, as cb_corpus_check() does). */
  if (cb_item_get_status (item) == CB_ITEM_STATUS_ACTIVE)
    {
      for (guint i = 0; i < items->len; i++)
        {
          CbItem *other = g_ptr_array_index (items, i);

          if (cb_item_get_kind (other) == kind && other != item &&
              cb_item_get_status (other) == CB_ITEM_STATUS_ACTIVE &&
              g_strcmp0 (cb_item_get_id (other), replaces_id) != 0 &&
              g_strcmp0 (cb_item_get_id (other), cb_item_get_id (item)) != 0 &&
              g_strcmp0 (cb_item_get_number (other), number) == 0)
            return fail (field, error, CB_ERROR_CONFLICT, "number",
                         _("%s already carries the number %s; each %s needs a number of its own."),
                         cb_item_get_id (other), number, cb_item_kind_label (kind));
        }
    }

  return TRUE;
}

static gboolean
validate_metadata (CbTaxonomy  *taxonomy,
                   CbItem      *item,
                   char       **field,
                   GError     **error)
{
  GPtrArray *countries = cb_item_get_countries (item);
  GPtrArray *interventions = cb_item_get_interventions (item);
  const char *design = cb_item_get_design (item);

  for (guint i = 0; i < countries->len; i++)
    {
      const char *code = g_ptr_array_index (countries, i);

      if (cb_taxonomy_lookup (taxonomy, CB_TAXONOMY_COUNTRY, code) == NULL)
        {
          g_autofree char *allowed = list_terms (taxonomy, CB_TAXONOMY_COUNTRY);

          return fail (field, error, CB_ERROR_INVALID, "countries",
                       _("“%s” is not a country of the taxonomy; use its country codes (%s), "
                         "INT meaning international evidence."), code, allowed);
        }
    }

  for (guint i = 0; i < interventions->len; i++)
    {
      const char *type = g_ptr_array_index (interventions, i);

      if (cb_taxonomy_lookup (taxonomy, CB_TAXONOMY_INTERVENTION, type) == NULL)
        {
          g_autofree char *allowed = list_terms (taxonomy, CB_TAXONOMY_INTERVENTION);

          return fail (field, error, CB_ERROR_INVALID, "interventions",
                       _("“%s” is not an intervention type of the taxonomy; use one of: %s."), type, allowed);
        }
    }

  if (design != NULL && *design != '\0' && cb_taxonomy_lookup (taxonomy, CB_TAXONOMY_DESIGN, design) == NULL)
    {
      g_autofree char *allowed = list_terms (taxonomy, CB_TAXONOMY_DESIGN);

      return fail (field, error, CB_ERROR_INVALID, "design",
                   _("“%s” is not a study design of the taxonomy; use one of: %s, or leave it empty."),
                   design, allowed);
    }

  return TRUE;
}

/**
 * cb_corpus_validate_item:
 * @corpus: the corpus the item is to be saved in
 * @taxonomy: the taxonomy its metadata must come from
 * @item: the edited or new item
 * @replaces_id: (nullable): the id of the item it replaces, when an
 *   existing item is edited (its id and number do not count as taken)
 * @field: (out) (optional) (transfer full): on failure, the field at fault:
 *   "id", "title", "number", "chapter", "section", "countries",
 *   "interventions", "design", "references", "reference_note" or
 *   "part:<name>"; %NULL on success
 * @error: return location for a #GError
 *
 * Checks one item before it is saved: a non-empty title; a valid id for
 * its kind that no other item has (in any letter case); a number of the
 * guide's form, in its chapter and section, that no other active item of
 * its kind carries; a chapter and section the guide has; countries,
 * intervention types and design from the taxonomy (the design may be
 * empty); cited references the corpus has; known parts and links to items
 * that exist; text a corpus file can carry. Missing curation is not an
 * error here: cb_corpus_check() reports it.
 *
 * Returns: %FALSE with @field set and %CB_ERROR_INVALID, or
 *   %CB_ERROR_CONFLICT when the id or number is taken, and a sentence
 *   saying what is wrong and what is allowed
 */
gboolean
cb_corpus_validate_item (CbCorpus    *corpus,
                         CbTaxonomy  *taxonomy,
                         CbItem      *item,
                         const char  *replaces_id,
                         char       **field,
                         GError     **error)
{
  const char *id;
  CbItemKind kind;
  g_autofree char *prefix = NULL;
  GPtrArray *items;
  GPtrArray *refs;
  GPtrArray *parts;
  gunichar bad;

  g_return_val_if_fail (CB_IS_CORPUS (corpus), FALSE);
  g_return_val_if_fail (CB_IS_TAXONOMY (taxonomy), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (item), FALSE);
  g_return_val_if_fail (field == NULL || *field == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = cb_item_get_id (item);
  kind = cb_item_get_kind (item);
  prefix = g_strconcat (cb_item_kind_to_string (kind), ":", NULL);
  items = cb_corpus_get_items (corpus);

  if (cb_item_get_title (item) == NULL || is_blank (cb_item_get_title (item)))
    return fail (field, error, CB_ERROR_INVALID, "title", _("The title is empty; every item needs a title."));
  if (!cb_text_is_xml_safe (cb_item_get_title (item), &bad))
    return fail (field, error, CB_ERROR_INVALID, "title",
                 _("The title holds a character a corpus cannot carry (U+%04X); remove it."), bad);

  if (!cb_item_id_is_valid (id) || !g_str_has_prefix (id, prefix))
    return fail (field, error, CB_ERROR_INVALID, "id",
                 _("“%s” is not a valid id for a %s; it must be “%s” followed by letters, digits, "
                   "“.”, “-” or “_”, such as %s3.1.2."), id, cb_item_kind_label (kind), prefix, prefix);

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *other = g_ptr_array_index (items, i);
      const char *other_id = cb_item_get_id (other);

      if (other == item || g_strcmp0 (other_id, replaces_id) == 0)
        continue;

      if (g_str_equal (other_id, id))
        return fail (field, error, CB_ERROR_CONFLICT, "id",
                     _("The id “%s” belongs to another item already (its number may have changed "
                       "since); choose another number."), id);
      if (g_ascii_strcasecmp (other_id, id) == 0)
        return fail (field, error, CB_ERROR_CONFLICT, "id",
                     _("The id “%s” differs from “%s” only in letter case; choose an id no item has."),
                     id, other_id);
    }

  if (!validate_place (corpus, item, replaces_id, field, error))
    return FALSE;

  if (!validate_metadata (taxonomy, item, field, error))
    return FALSE;

  refs = cb_item_get_references (item);
  for (guint i = 0; i < refs->len; i++)
    {
      const char *ref = g_ptr_array_index (refs, i);

      if (cb_corpus_lookup_reference (corpus, ref) == NULL)
        return fail (field, error, CB_ERROR_INVALID, "references",
                     _("“%s” is not in the reference list; cite references the corpus has, "
                       "or add the reference to the list first."), ref);
    }

  if (cb_item_get_reference_note (item) != NULL &&
      (is_blank (cb_item_get_reference_note (item)) ||
       !cb_text_is_xml_safe (cb_item_get_reference_note (item), NULL)))
    return fail (field, error, CB_ERROR_INVALID, "reference_note",
                 _("The reference note is blank or holds a character a corpus cannot carry; "
                   "write a sentence, or remove the note."));

  parts = cb_item_get_parts (item);
  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);
      g_autofree char *name = g_strconcat ("part:", part->name ? part->name : "", NULL);
      g_autofree char *text = NULL;
      const char *missing;

      if (!cb_part_name_is_known (part->name))
        return fail (field, error, CB_ERROR_INVALID, name,
                     _("“%s” is not a part an item can have; use background, key_findings, key_outcome, "
                       "lessons_learned or body."), part->name ? part->name : "");

      for (guint j = 0; j < i; j++)
        {
          if (g_strcmp0 (((CbPart *) g_ptr_array_index (parts, j))->name, part->name) == 0)
            return fail (field, error, CB_ERROR_INVALID, name,
                         _("The item has two “%s” parts; merge them into one."), part->name);
        }

      text = cb_item_get_part_text (item, part->name);
      if (!cb_text_is_xml_safe (text, &bad))
        return fail (field, error, CB_ERROR_INVALID, name,
                     _("The text holds a character a corpus cannot carry (U+%04X); remove it."), bad);

      if ((missing = find_unknown_item_ref (corpus, part->blocks)) != NULL &&
          g_strcmp0 (missing, id) != 0)
        return fail (field, error, CB_ERROR_INVALID, name,
                     _("The text links to “%s”, which is not in the corpus; link to items that exist."), missing);
    }

  if (field != NULL)
    *field = NULL;

  return TRUE;
}
