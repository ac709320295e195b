/* cb-corpus.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-corpus.h"
#include "cb-error.h"

struct _CbCorpus
{
  GObject     parent_instance;

  char       *title;
  char       *subtitle;
  char       *publisher;
  char       *source_name;
  char       *source_checksum;
  guint       version;
  GPtrArray  *contents;
  GPtrArray  *chapters;
  GPtrArray  *items;
  GHashTable *items_by_id;
  GPtrArray  *references;
  GHashTable *references_by_id;
  GPtrArray  *anomalies;
};

G_DEFINE_FINAL_TYPE (CbCorpus, cb_corpus, G_TYPE_OBJECT)

static void
cb_section_free (CbSection *section)
{
  g_free (section->number);
  g_free (section->title);
  g_free (section);
}

CbChapter *
cb_chapter_new (guint       number,
                const char *title,
                guint       page)
{
  CbChapter *chapter = g_new0 (CbChapter, 1);

  chapter->number = number;
  chapter->title = g_strdup (title);
  chapter->page = page;
  chapter->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_section_free);

  return chapter;
}

void
cb_chapter_free (CbChapter *chapter)
{
  if (chapter == NULL)
    return;

  g_free (chapter->title);
  g_ptr_array_unref (chapter->sections);
  g_free (chapter);
}

/**
 * cb_chapter_add_section:
 * @chapter: a chapter
 * @number: "1.2"
 * @title: "What works"
 * @page: the guide page
 *
 * Returns: (transfer none): the new section
 */
CbSection *
cb_chapter_add_section (CbChapter  *chapter,
                        const char *number,
                        const char *title,
                        guint       page)
{
  CbSection *section = g_new0 (CbSection, 1);

  section->number = g_strdup (number);
  section->title = g_strdup (title);
  section->page = page;
  g_ptr_array_add (chapter->sections, section);

  return section;
}

static const char *contents_kinds[] = { "front", "chapter", "section", "back" };

const char *
cb_contents_kind_to_string (CbContentsKind kind)
{
  g_return_val_if_fail (kind <= CB_CONTENTS_BACK, NULL);

  return contents_kinds[kind];
}

gboolean
cb_contents_kind_from_string (const char     *str,
                              CbContentsKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (contents_kinds); i++)
    {
      if (g_strcmp0 (str, contents_kinds[i]) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
cb_contents_entry_free (CbContentsEntry *entry)
{
  g_free (entry->number);
  g_free (entry->title);
  g_free (entry);
}

static const char *severities[] = { "info", "warning", "error" };

const char *
cb_severity_to_string (CbSeverity severity)
{
  g_return_val_if_fail (severity <= CB_SEVERITY_ERROR, NULL);

  return severities[severity];
}

gboolean
cb_severity_from_string (const char *str,
                         CbSeverity *severity)
{
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    {
      if (g_strcmp0 (str, severities[i]) == 0)
        {
          *severity = i;
          return TRUE;
        }
    }

  return FALSE;
}

CbAnomaly *
cb_anomaly_new (CbSeverity  severity,
                const char *code,
                guint       line,
                const char *item,
                const char *message)
{
  CbAnomaly *anomaly = g_new0 (CbAnomaly, 1);

  anomaly->severity = severity;
  anomaly->code = g_strdup (code);
  anomaly->line = line;
  anomaly->item = g_strdup (item);
  anomaly->message = g_strdup (message);

  return anomaly;
}

void
cb_anomaly_free (CbAnomaly *anomaly)
{
  if (anomaly == NULL)
    return;

  g_free (anomaly->code);
  g_free (anomaly->item);
  g_free (anomaly->message);
  g_free (anomaly);
}

static void
cb_corpus_finalize (GObject *object)
{
  CbCorpus *self = (CbCorpus *) object;

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->publisher);
  g_free (self->source_name);
  g_free (self->source_checksum);
  g_ptr_array_unref (self->contents);
  g_ptr_array_unref (self->chapters);
  g_hash_table_unref (self->items_by_id);
  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->references_by_id);
  g_ptr_array_unref (self->references);
  g_ptr_array_unref (self->anomalies);

  G_OBJECT_CLASS (cb_corpus_parent_class)->finalize (object);
}

static void
cb_corpus_class_init (CbCorpusClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_corpus_finalize;
}

static void
cb_corpus_init (CbCorpus *self)
{
  self->contents = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_contents_entry_free);
  self->chapters = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_chapter_free);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->items_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->references = g_ptr_array_new_with_free_func (g_object_unref);
  self->references_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->anomalies = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_anomaly_free);
}

CbCorpus *
cb_corpus_new (void)
{
  return g_object_new (CB_TYPE_CORPUS, NULL);
}

#define STRING_ACCESSORS(field)                                 \
const char *                                                    \
cb_corpus_get_##field (CbCorpus *self)                          \
{                                                               \
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);             \
  return self->field;                                           \
}                                                               \
                                                                \
void                                                            \
cb_corpus_set_##field (CbCorpus   *self,                        \
                       const char *value)                       \
{                                                               \
  g_return_if_fail (CB_IS_CORPUS (self));                       \
  g_free (self->field);                                         \
  self->field = g_strdup (value);                               \
}

STRING_ACCESSORS (title)
STRING_ACCESSORS (subtitle)
STRING_ACCESSORS (publisher)

#undef STRING_ACCESSORS

/**
 * cb_corpus_get_source_name:
 * @self: a corpus
 *
 * Returns: (nullable): the file name of the guide text the corpus was
 *   imported from
 */
const char *
cb_corpus_get_source_name (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->source_name;
}

/**
 * cb_corpus_get_source_checksum:
 * @self: a corpus
 *
 * Returns: (nullable): the SHA-256 of that guide text
 */
const char *
cb_corpus_get_source_checksum (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->source_checksum;
}

void
cb_corpus_set_source (CbCorpus   *self,
                      const char *name,
                      const char *sha256)
{
  g_return_if_fail (CB_IS_CORPUS (self));

  g_free (self->source_name);
  g_free (self->source_checksum);
  self->source_name = g_strdup (name);
  self->source_checksum = g_strdup (sha256);
}

/**
 * cb_corpus_get_version:
 * @self: a corpus
 *
 * The version a librarian gives each corpus update file they ship, so that
 * a laptop can tell a newer corpus from the one it has.
 *
 * Returns: the corpus version, or 0 when the corpus is unversioned
 */
guint
cb_corpus_get_version (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), 0);

  return self->version;
}

/**
 * cb_corpus_set_version:
 * @self: a corpus
 * @version: the corpus version, or 0 for none
 *
 * The version is written as the `version` attribute of the corpus file's
 * root, and only when it is not 0.
 */
void
cb_corpus_set_version (CbCorpus *self,
                       guint     version)
{
  g_return_if_fail (CB_IS_CORPUS (self));

  self->version = version;
}

/**
 * cb_corpus_get_chapters:
 * @self: a corpus
 *
 * Returns: (transfer none) (element-type CbChapter): the chapters in order
 */
GPtrArray *
cb_corpus_get_chapters (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->chapters;
}

/**
 * cb_corpus_get_contents:
 * @self: a corpus
 *
 * Returns: (transfer none) (element-type CbContentsEntry): the guide's
 *   contents list, in order
 */
GPtrArray *
cb_corpus_get_contents (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->contents;
}

/**
 * cb_corpus_add_contents_entry:
 * @self: a corpus
 * @kind: what the entry is
 * @number: (nullable): the chapter or section number
 * @title: the title
 * @page: the page, or 0
 *
 * Adds a line of the contents list; chapters and sections also become
 * part of cb_corpus_get_chapters(). A section joins the chapter its number
 * starts with.
 */
void
cb_corpus_add_contents_entry (CbCorpus       *self,
                              CbContentsKind  kind,
                              const char     *number,
                              const char     *title,
                              guint           page)
{
  CbContentsEntry *entry;

  g_return_if_fail (CB_IS_CORPUS (self));
  g_return_if_fail (title != NULL);

  entry = g_new0 (CbContentsEntry, 1);
  entry->kind = kind;
  entry->number = g_strdup (number);
  entry->title = g_strdup (title);
  entry->page = page;
  g_ptr_array_add (self->contents, entry);

  if (kind == CB_CONTENTS_CHAPTER && number != NULL)
    {
      g_ptr_array_add (self->chapters, cb_chapter_new ((guint) g_ascii_strtoull (number, NULL, 10), title, page));
    }
  else if (kind == CB_CONTENTS_SECTION && number != NULL)
    {
      CbChapter *chapter = cb_corpus_lookup_chapter (self, (guint) g_ascii_strtoull (number, NULL, 10));

      if (chapter != NULL)
        cb_chapter_add_section (chapter, number, title, page);
    }
}

/**
 * cb_corpus_lookup_chapter:
 * @self: a corpus
 * @number: a chapter number
 *
 * Returns: (transfer none) (nullable): the chapter
 */
CbChapter *
cb_corpus_lookup_chapter (CbCorpus *self,
                          guint     number)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  for (guint i = 0; i < self->chapters->len; i++)
    {
      CbChapter *chapter = g_ptr_array_index (self->chapters, i);

      if (chapter->number == number)
        return chapter;
    }

  return NULL;
}

/**
 * cb_corpus_lookup_section:
 * @self: a corpus
 * @number: "2.2"
 *
 * Returns: (transfer none) (nullable): the section
 */
const CbSection *
cb_corpus_lookup_section (CbCorpus   *self,
                          const char *number)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  if (number == NULL)
    return NULL;

  for (guint i = 0; i < self->chapters->len; i++)
    {
      CbChapter *chapter = g_ptr_array_index (self->chapters, i);

      for (guint j = 0; j < chapter->sections->len; j++)
        {
          CbSection *section = g_ptr_array_index (chapter->sections, j);

          if (g_strcmp0 (section->number, number) == 0)
            return section;
        }
    }

  return NULL;
}

/**
 * cb_corpus_get_items:
 * @self: a corpus
 *
 * Returns: (transfer none) (element-type CbItem): the items in guide order
 */
GPtrArray *
cb_corpus_get_items (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->items;
}

/**
 * cb_corpus_lookup_item:
 * @self: a corpus
 * @id: an item id
 *
 * Returns: (transfer none) (nullable): the item
 */
CbItem *
cb_corpus_lookup_item (CbCorpus   *self,
                       const char *id)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->items_by_id, id);
}

/**
 * cb_corpus_add_item:
 * @self: a corpus
 * @item: (transfer full): the item
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %CB_ERROR_CONFLICT if the id is taken
 */
gboolean
cb_corpus_add_item (CbCorpus  *self,
                    CbItem    *item,
                    GError   **error)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (item), FALSE);

  if (g_hash_table_contains (self->items_by_id, cb_item_get_id (item)))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT, _("Duplicate item id “%s”"), cb_item_get_id (item));
      g_object_unref (item);
      return FALSE;
    }

  g_ptr_array_add (self->items, item);
  g_hash_table_insert (self->items_by_id, (gpointer) cb_item_get_id (item), item);

  return TRUE;
}

/**
 * cb_corpus_insert_item:
 * @self: a corpus
 * @item: (transfer full): a new item
 * @position: where it goes in guide order; past the end appends
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %CB_ERROR_CONFLICT if the id is taken
 */
gboolean
cb_corpus_insert_item (CbCorpus  *self,
                       CbItem    *item,
                       guint      position,
                       GError   **error)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (item), FALSE);

  if (!cb_corpus_add_item (self, item, error))
    return FALSE;

  if (position < self->items->len - 1)
    {
      g_ptr_array_steal_index (self->items, self->items->len - 1);
      g_ptr_array_insert (self->items, position, item);
    }

  return TRUE;
}

/**
 * cb_corpus_replace_item:
 * @self: a corpus
 * @item: (transfer full): the new version of an item the corpus has (the
 *   same id), which takes its place in guide order
 */
void
cb_corpus_replace_item (CbCorpus *self,
                        CbItem   *item)
{
  CbItem *old;
  guint index;

  g_return_if_fail (CB_IS_CORPUS (self));
  g_return_if_fail (CB_IS_ITEM (item));

  old = g_hash_table_lookup (self->items_by_id, cb_item_get_id (item));
  if (old == NULL || !g_ptr_array_find (self->items, old, &index))
    {
      g_critical ("%s: the corpus has no item %s", G_STRFUNC, cb_item_get_id (item));
      g_object_unref (item);
      return;
    }

  /* replace, not insert: the key is the old item's own string */
  g_hash_table_replace (self->items_by_id, (gpointer) cb_item_get_id (item), item);
  g_object_unref (g_ptr_array_steal_index (self->items, index));
  g_ptr_array_insert (self->items, index, item);
}

guint
cb_corpus_count_items (CbCorpus   *self,
                       CbItemKind  kind)
{
  guint count = 0;

  g_return_val_if_fail (CB_IS_CORPUS (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    {
      if (cb_item_get_kind (g_ptr_array_index (self->items, i)) == kind)
        count++;
    }

  return count;
}

/**
 * cb_corpus_get_references:
 * @self: a corpus
 *
 * Returns: (transfer none) (element-type CbReference): the references in
 *   the order the reference list first names them
 */
GPtrArray *
cb_corpus_get_references (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->references;
}

/**
 * cb_corpus_lookup_reference:
 * @self: a corpus
 * @id: a reference id
 *
 * Returns: (transfer none) (nullable): the reference
 */
CbReference *
cb_corpus_lookup_reference (CbCorpus   *self,
                            const char *id)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->references_by_id, id);
}

/**
 * cb_corpus_add_reference:
 * @self: a corpus
 * @reference: (transfer full): a reference with an id
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %CB_ERROR_CONFLICT if the id is taken
 */
gboolean
cb_corpus_add_reference (CbCorpus     *self,
                         CbReference  *reference,
                         GError      **error)
{
  const char *id;

  g_return_val_if_fail (CB_IS_CORPUS (self), FALSE);
  g_return_val_if_fail (CB_IS_REFERENCE (reference), FALSE);

  id = cb_reference_get_id (reference);
  g_return_val_if_fail (id != NULL, FALSE);

  if (g_hash_table_contains (self->references_by_id, id))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT, _("Duplicate reference id “%s”"), id);
      g_object_unref (reference);
      return FALSE;
    }

  g_ptr_array_add (self->references, reference);
  g_hash_table_insert (self->references_by_id, (gpointer) id, reference);

  return TRUE;
}

/**
 * cb_corpus_replace_reference:
 * @self: a corpus
 * @reference: (transfer full): the new version of a reference the corpus
 *   has (the same id)
 */
void
cb_corpus_replace_reference (CbCorpus    *self,
                             CbReference *reference)
{
  CbReference *old;
  guint index;

  g_return_if_fail (CB_IS_CORPUS (self));
  g_return_if_fail (CB_IS_REFERENCE (reference));

  old = g_hash_table_lookup (self->references_by_id, cb_reference_get_id (reference));
  if (old == NULL || !g_ptr_array_find (self->references, old, &index))
    {
      g_critical ("%s: the corpus has no reference %s", G_STRFUNC, cb_reference_get_id (reference));
      g_object_unref (reference);
      return;
    }

  g_hash_table_replace (self->references_by_id, (gpointer) cb_reference_get_id (reference), reference);
  g_object_unref (g_ptr_array_steal_index (self->references, index));
  g_ptr_array_insert (self->references, index, reference);
}

/**
 * cb_corpus_dup_citing_items:
 * @self: a corpus
 * @reference_id: a reference id
 *
 * Returns: (transfer container) (element-type CbItem): the items citing it
 */
GPtrArray *
cb_corpus_dup_citing_items (CbCorpus   *self,
                            const char *reference_id)
{
  GPtrArray *citing;

  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  citing = g_ptr_array_new ();
  for (guint i = 0; i < self->items->len; i++)
    {
      CbItem *item = g_ptr_array_index (self->items, i);

      if (cb_item_cites (item, reference_id))
        g_ptr_array_add (citing, item);
    }

  return citing;
}

/**
 * cb_corpus_get_anomalies:
 * @self: a corpus
 *
 * Returns: (transfer none) (element-type CbAnomaly): what the importer
 *   found wrong in the guide text
 */
GPtrArray *
cb_corpus_get_anomalies (CbCorpus *self)
{
  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  return self->anomalies;
}

void
cb_corpus_add_anomaly (CbCorpus  *self,
                       CbAnomaly *anomaly)
{
  g_return_if_fail (CB_IS_CORPUS (self));
  g_return_if_fail (anomaly != NULL);

  g_ptr_array_add (self->anomalies, anomaly);
}

/**
 * cb_corpus_format_guide_citation:
 * @self: a corpus (its outline is enough)
 *
 * Returns: (transfer full): "NHS Race & Health Observatory. Improving race
 *   equality in your organisation: An evidence based guide for NHS leaders."
 */
char *
cb_corpus_format_guide_citation (CbCorpus *self)
{
  GString *out;

  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);

  out = g_string_new (NULL);
  if (self->publisher != NULL)
    g_string_append_printf (out, "%s. ", self->publisher);
  g_string_append (out, self->title ? self->title : _("Improving race equality in your organisation"));
  if (self->subtitle != NULL)
    g_string_append_printf (out, ": %s", self->subtitle);
  g_string_append_c (out, '.');

  return g_string_free (out, FALSE);
}

/**
 * cb_corpus_format_location:
 * @self: (nullable): the corpus the item belongs to (its outline is enough)
 * @item: an item
 *
 * Returns: (transfer full): where the item is in the guide: "Chapter 3:
 *   Diversifying the leadership · 3.2 What works · Guide, p. 39", or ""
 */
char *
cb_corpus_format_location (CbCorpus *self,
                           CbItem   *item)
{
  GString *meta;
  guint chapter;
  const char *section;

  g_return_val_if_fail (self == NULL || CB_IS_CORPUS (self), NULL);
  g_return_val_if_fail (CB_IS_ITEM (item), NULL);

  meta = g_string_new (NULL);
  chapter = cb_item_get_chapter (item);
  section = cb_item_get_section (item);

  if (chapter != 0)
    {
      CbChapter *info = self ? cb_corpus_lookup_chapter (self, chapter) : NULL;

      /* Translators: "Chapter 3: Diversifying the Leadership..." */
      g_string_append_printf (meta, _("Chapter %u: %s"), chapter, info ? info->title : "");
    }

  if (section != NULL && cb_item_get_kind (item) != CB_ITEM_KIND_SECTION)
    {
      const CbSection *info = self ? cb_corpus_lookup_section (self, section) : NULL;

      g_string_append (meta, meta->len ? " · " : "");
      g_string_append_printf (meta, "%s %s", section, info ? info->title : "");
    }

  if (cb_item_get_page (item) != 0)
    {
      g_string_append (meta, meta->len ? " · " : "");
      /* Translators: where the item is in the printed guide */
      g_string_append_printf (meta, _("Guide, p. %u"), cb_item_get_page (item));
    }

  g_strchomp (meta->str);
  meta->len = strlen (meta->str);

  return g_string_free (meta, FALSE);
}

/**
 * cb_corpus_format_citation:
 * @self: the corpus the item belongs to (its outline is enough)
 * @item: an item
 *
 * Returns: (transfer full): a one-line citation of the item with the guide
 *   and its page: "“Title” (Case study 3.1.2). In: NHS Race & Health
 *   Observatory. Improving race equality in your organisation: An evidence
 *   based guide for NHS leaders. Chapter 3, p. 39."
 */
char *
cb_corpus_format_citation (CbCorpus *self,
                           CbItem   *item)
{
  g_autofree char *guide = NULL;
  GString *out;

  g_return_val_if_fail (CB_IS_CORPUS (self), NULL);
  g_return_val_if_fail (CB_IS_ITEM (item), NULL);

  guide = cb_corpus_format_guide_citation (self);
  out = g_string_new (NULL);

  g_string_append_printf (out, "“%s” (%s%s%s). ", cb_item_get_title (item),
                          cb_item_kind_label (cb_item_get_kind (item)),
                          cb_item_get_number (item) ? " " : "",
                          cb_item_get_number (item) ? cb_item_get_number (item) : "");
  /* Translators: "In:" introduces the book a citation is from */
  g_string_append_printf (out, _("In: %s"), guide);

  if (cb_item_get_chapter (item) > 0)
    g_string_append_printf (out, _(" Chapter %u"), cb_item_get_chapter (item));
  if (cb_item_get_page (item) > 0)
    g_string_append_printf (out, cb_item_get_chapter (item) > 0 ? _(", p. %u") : _(" p. %u"),
                            cb_item_get_page (item));
  if (cb_item_get_chapter (item) > 0 || cb_item_get_page (item) > 0)
    g_string_append_c (out, '.');

  return g_string_free (out, FALSE);
}
