/* cb-library.c: the librarian's working corpus: edits with history, new
 * and retired items, corpus update files in and out
 *
 * The bundled corpus is never written. The first edit copies it to the
 * working corpus (corpus.xml beside the index) and keeps a second copy as
 * the base (corpus-base.xml): the corpus the working one was made from.
 * Local edits are what differs between the two, which is how an update is
 * merged without losing them: the update becomes the new base.
 *
 * Every write is atomic (a temporary file, then a rename).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cb-corpus-check.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-library.h"
#include "cb-xml.h"

struct _CbLibrary {
  GObject     parent_instance;

  char       *seed_path;
  char       *working_path;
  char       *base_path;
  char       *author;
  CbTaxonomy *taxonomy;
};

G_DEFINE_FINAL_TYPE (CbLibrary, cb_library, G_TYPE_OBJECT)

void
cb_update_preview_free (CbUpdatePreview *preview)
{
  if (preview == NULL)
    return;

  g_clear_object (&preview->update);
  g_clear_pointer (&preview->path, g_free);
  g_clear_pointer (&preview->changes, g_ptr_array_unref);
  g_clear_pointer (&preview->conflicts, g_ptr_array_unref);
  g_free (preview);
}

static void
cb_library_finalize (GObject *object)
{
  CbLibrary *self = CB_LIBRARY (object);

  g_free (self->seed_path);
  g_free (self->working_path);
  g_free (self->base_path);
  g_free (self->author);
  g_clear_object (&self->taxonomy);

  G_OBJECT_CLASS (cb_library_parent_class)->finalize (object);
}

static void
cb_library_class_init (CbLibraryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_library_finalize;
}

static void
cb_library_init (CbLibrary *self)
{
  const char *name = g_get_real_name ();

  /* GLib says "Unknown" when the system has no real name */
  if (name == NULL || *name == '\0' || g_str_equal (name, "Unknown"))
    name = g_get_user_name ();
  self->author = g_strdup (name);
}

/* Applying an update writes two files; the rename of both is made one
 * step by a marker file. With the marker, both new files are complete and
 * go into place; without it, the apply never happened and any new file is
 * thrown away. */
static char *
pending_path (const char *path)
{
  return g_strconcat (path, ".new", NULL);
}

static char *
marker_path (CbLibrary *self)
{
  return g_strconcat (self->working_path, ".apply", NULL);
}

/* Temporary files a killed atomic write left beside our two files (the
 * writer names them ".corpus.xml.XXXXXX"); only old ones, so as not to
 * take one from a write going on in another process */
static void
remove_stale_temporaries (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (".", base, ".", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, prefix))
        continue;

      child = g_build_filename (dir, name, NULL);
      if (g_stat (child, &st) == 0 && now - st.st_mtime > 600)
        g_unlink (child);
    }
}

/* @interrupted: whether a crash may have left this, at start */
static void
finish_pending_apply (CbLibrary *self,
                      gboolean   interrupted)
{
  g_autofree char *marker = marker_path (self);
  g_autofree char *working_new = pending_path (self->working_path);
  g_autofree char *base_new = pending_path (self->base_path);

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    {
      if (g_file_test (working_new, G_FILE_TEST_EXISTS))
        g_rename (working_new, self->working_path);
      if (g_file_test (base_new, G_FILE_TEST_EXISTS))
        g_rename (base_new, self->base_path);
      g_unlink (marker);
      if (interrupted)
        g_message ("Finished applying a corpus update that was interrupted");
      return;
    }

  g_unlink (working_new);
  g_unlink (base_new);
  if (interrupted)
    {
      remove_stale_temporaries (self->working_path);
      remove_stale_temporaries (self->base_path);
      remove_stale_temporaries (working_new);
      remove_stale_temporaries (base_new);
    }
}

/**
 * cb_library_new:
 * @seed_path: the corpus to start from (the bundled one), never written
 * @working_path: the working corpus, made from @seed_path on the first edit
 * @base_path: the corpus the working one was made from or last updated to
 * @taxonomy: the taxonomy edits are checked against
 *
 * Returns: (transfer full): a library
 */
CbLibrary *
cb_library_new (const char *seed_path,
                const char *working_path,
                const char *base_path,
                CbTaxonomy *taxonomy)
{
  CbLibrary *self;

  g_return_val_if_fail (seed_path != NULL, NULL);
  g_return_val_if_fail (working_path != NULL, NULL);
  g_return_val_if_fail (base_path != NULL, NULL);
  g_return_val_if_fail (CB_IS_TAXONOMY (taxonomy), NULL);

  self = g_object_new (CB_TYPE_LIBRARY, NULL);
  self->seed_path = g_strdup (seed_path);
  self->working_path = g_strdup (working_path);
  self->base_path = g_strdup (base_path);
  self->taxonomy = g_object_ref (taxonomy);
  finish_pending_apply (self, TRUE);

  return self;
}

/**
 * cb_library_new_for_index:
 * @corpus_path: (nullable): a corpus the user named (`--corpus`), which is
 *   then the working corpus itself; %NULL for the bundled one
 * @index_path: (nullable): the index in use, whose folder holds the
 *   working corpus (corpus.xml) and its base (corpus-base.xml); %NULL for
 *   the default index
 * @taxonomy: the taxonomy edits are checked against
 *
 * Returns: (transfer full): the library the app and the command line use
 */
CbLibrary *
cb_library_new_for_index (const char *corpus_path,
                          const char *index_path,
                          CbTaxonomy *taxonomy)
{
  g_autofree char *bundled = NULL;
  g_autofree char *default_index = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *working = NULL;
  g_autofree char *base = NULL;

  if (corpus_path != NULL)
    {
      base = g_strconcat (corpus_path, ".base", NULL);
      return cb_library_new (corpus_path, corpus_path, base, taxonomy);
    }

  if (index_path == NULL)
    {
      const char *env = g_getenv ("CASEBOOK_DB");

      index_path = default_index = env && *env ? g_strdup (env)
                                               : g_build_filename (g_get_user_data_dir (), PACKAGE_NAME,
                                                                   "index.sqlite", NULL);
    }

  bundled = cb_get_bundled_corpus_path ();
  dir = g_path_get_dirname (index_path);
  working = g_build_filename (dir, "corpus.xml", NULL);
  base = g_build_filename (dir, "corpus-base.xml", NULL);

  return cb_library_new (bundled, working, base, taxonomy);
}

/**
 * cb_library_get_corpus_path:
 * @self: a library
 *
 * Returns: the corpus to read and index: the working one once there is
 *   one, else the seed
 */
const char *
cb_library_get_corpus_path (CbLibrary *self)
{
  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);

  return cb_library_has_local_copy (self) ? self->working_path : self->seed_path;
}

gboolean
cb_library_has_local_copy (CbLibrary *self)
{
  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);

  return g_file_test (self->working_path, G_FILE_TEST_EXISTS);
}

/**
 * cb_library_set_author:
 * @self: a library
 * @author: (nullable): the name history records; %NULL or "" for the
 *   user's own name
 */
void
cb_library_set_author (CbLibrary  *self,
                       const char *author)
{
  g_return_if_fail (CB_IS_LIBRARY (self));

  if (author == NULL || *author == '\0')
    {
      const char *name = g_get_real_name ();

      author = (name && *name && !g_str_equal (name, "Unknown")) ? name : g_get_user_name ();
    }

  g_free (self->author);
  self->author = g_strdup (author);
}

const char *
cb_library_get_author (CbLibrary *self)
{
  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);

  return self->author;
}

/**
 * cb_library_load:
 * @self: a library
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the working corpus as it is now
 */
CbCorpus *
cb_library_load (CbLibrary  *self,
                 GError    **error)
{
  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);

  return cb_corpus_read_file (cb_library_get_corpus_path (self), error);
}

static CbCorpus *
load_base (CbLibrary  *self,
           GError    **error)
{
  if (g_file_test (self->base_path, G_FILE_TEST_EXISTS))
    return cb_corpus_read_file (self->base_path, error);

  return cb_corpus_read_file (self->seed_path, error);
}

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (from, &contents, &length, error))
    return FALSE;

  return cb_file_set_contents_atomic (to, contents, length, error);
}

/* Writes the working corpus, atomically. The first write also makes the
 * base: the seed, which is what the working corpus was made from. A lost
 * base is the seed again, as load_base() reads it, never the working
 * corpus: its local edits would then look like the base's, and the next
 * update would overwrite them without a conflict. A refused write leaves
 * no base behind. */
static gboolean
ensure_folder (CbLibrary  *self,
               GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (self->working_path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      cb_set_error_from_errno (error, errno, dir, _("create"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_working (CbLibrary  *self,
               CbCorpus   *corpus,
               GError    **error)
{
  gboolean made_base = FALSE;

  if (!ensure_folder (self, error))
    return FALSE;

  if (!g_file_test (self->base_path, G_FILE_TEST_EXISTS))
    {
      if (!copy_file (self->seed_path, self->base_path, error))
        return FALSE;
      made_base = TRUE;
    }

  if (!cb_corpus_write_file (corpus, self->working_path, error))
    {
      if (made_base)
        g_unlink (self->base_path);
      return FALSE;
    }

  return TRUE;
}

/* "Changed title and countries". History is data of the corpus, shared by
 * everyone who gets it, so it is written in the corpus's language
 * (English), never in the interface's */
static char *
summarize (CbRevision *revision,
           gboolean    added)
{
  g_autoptr(GString) fields = g_string_new (NULL);

  if (added)
    return g_strdup ("Added");

  for (guint i = 0; i < revision->changes->len; i++)
    {
      CbChange *change = g_ptr_array_index (revision->changes, i);

      if (i > 0)
        g_string_append (fields, i + 1 == revision->changes->len ? " and " : ", ");
      g_string_append (fields, change->field);
    }

  return g_strdup_printf ("Changed %s", fields->str);
}

static void
add_field_names (GPtrArray *names,
                 CbItem    *item)
{
  const char * const *fields = cb_item_get_field_names (item);

  for (guint i = 0; fields[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (names, fields[i], g_str_equal, NULL))
      g_ptr_array_add (names, (gpointer) fields[i]);
}

/* Where a new item goes: after the last one of its section, else of its
 * chapter, else at the end */
static guint
insert_position (CbCorpus *corpus,
                 CbItem   *item)
{
  GPtrArray *items = cb_corpus_get_items (corpus);
  gint in_section = -1, in_chapter = -1;

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *other = g_ptr_array_index (items, i);

      if (cb_item_get_chapter (other) != cb_item_get_chapter (item) || cb_item_get_chapter (item) == 0)
        continue;
      in_chapter = i;
      if (g_strcmp0 (cb_item_get_section (other), cb_item_get_section (item)) == 0)
        in_section = i;
    }

  if (in_section >= 0)
    return in_section + 1;
  if (in_chapter >= 0)
    return in_chapter + 1;

  return items->len;
}

/* A reference a librarian typed in: a title, an id, and a DOI of the
 * right form when there is one */
static gboolean
check_reference (CbReference  *reference,
                 GError      **error)
{
  const char *doi = cb_reference_get_doi (reference);

  if (doi != NULL && *doi != '\0' && !cb_doi_is_valid (doi))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("“%s” is not a DOI: a DOI looks like 10.1186/s12939-019-1082-3"), doi);
      return FALSE;
    }

  if (cb_reference_get_id (reference) == NULL || cb_reference_get_title (reference) == NULL ||
      *cb_reference_get_title (reference) == '\0')
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID, _("A reference needs an id and a title"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
put_reference (CbCorpus     *corpus,
               CbReference  *reference,
               GError      **error)
{
  if (!check_reference (reference, error))
    return FALSE;

  if (cb_corpus_lookup_reference (corpus, cb_reference_get_id (reference)) != NULL)
    {
      cb_corpus_replace_reference (corpus, cb_reference_copy (reference));
      return TRUE;
    }

  return cb_corpus_add_reference (corpus, cb_reference_copy (reference), error);
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a ? a : "", b ? b : "") == 0;
}

/* The item to store: @item's changes from @expected (the item as the
 * editor first saw it) made to @current (the item as it is now), so a
 * change made elsewhere to another field meanwhile stays. A field changed
 * both here and elsewhere is refused. History always comes from @current:
 * no caller can rewrite it. */
static CbItem *
apply_edit (CbItem      *current,
            CbItem      *item,
            CbItem      *expected,
            char       **bad_field,
            GError     **error)
{
  g_autoptr(CbItem) result = cb_item_copy (current);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();

  add_field_names (fields, current);
  add_field_names (fields, item);
  add_field_names (fields, expected);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);
      g_autofree char *mine = cb_item_dup_field (item, field);
      g_autofree char *start = cb_item_dup_field (expected, field);
      g_autofree char *now = cb_item_dup_field (current, field);

      if (same_text (mine, start))
        continue;

      if (!same_text (now, start) && !same_text (now, mine))
        {
          if (bad_field != NULL)
            *bad_field = g_strdup (field);
          g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT,
                       _("The %s was changed elsewhere since this edit began; it is now “%s”"), field,
                       now ? now : "");
          return NULL;
        }

      if (!cb_item_copy_field (result, item, field))
        {
          if (bad_field != NULL)
            *bad_field = g_strdup (field);
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The %s cannot be changed this way"), field);
          return NULL;
        }
    }

  return g_steal_pointer (&result);
}

/**
 * cb_library_save_edit:
 * @self: a library
 * @item: the item as edited
 * @replaces_id: (nullable): the id of the item it changes, or %NULL for a
 *   new item
 * @expected: (nullable): the item as the edit began: only the fields that
 *   differ from it are changed, and a field changed elsewhere since is
 *   refused (%CB_ERROR_CONFLICT); %NULL to store @item's fields as they are
 * @new_references: (nullable) (element-type CbReference): references the
 *   librarian typed in, stored with the item, in the same write
 * @summary: (nullable): what was done, for the history; %NULL to say which
 *   fields changed
 * @bad_field: (out) (optional) (transfer full): on a refusal, the field at
 *   fault ("title", "countries", "id", ...)
 * @error: return location for a #GError
 *
 * Checks the item (and the references) against the corpus and the
 * taxonomy, records who changed which field from what to what in its
 * history, and writes the working corpus once. An item's id never
 * changes: packs and history refer to it. A new item is marked as the
 * library's own (origin "local"), so a new edition of the guide never
 * retires it.
 *
 * Returns: %FALSE with nothing written when anything is refused
 */
gboolean
cb_library_save_edit (CbLibrary   *self,
                      CbItem      *item,
                      const char  *replaces_id,
                      CbItem      *expected,
                      GPtrArray   *new_references,
                      const char  *summary,
                      char       **bad_field,
                      GError     **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbItem) saved = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autofree char *now = cb_now_timestamp ();
  g_autofree char *auto_summary = NULL;
  CbItem *old = NULL;
  CbRevision *revision;

  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (item), FALSE);
  g_return_val_if_fail (expected == NULL || CB_IS_ITEM (expected), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((corpus = cb_library_load (self, error)) == NULL)
    return FALSE;

  if (replaces_id != NULL)
    {
      if ((old = cb_corpus_lookup_item (corpus, replaces_id)) == NULL)
        {
          g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no item “%s” in the corpus"), replaces_id);
          return FALSE;
        }
      if (!g_str_equal (cb_item_get_id (item), replaces_id))
        {
          if (bad_field != NULL)
            *bad_field = g_strdup ("id");
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       _("An item keeps its id (%s): packs and history refer to it"), replaces_id);
          return FALSE;
        }
    }

  /* The references first: the item may cite them */
  for (guint i = 0; new_references != NULL && i < new_references->len; i++)
    {
      if (!put_reference (corpus, g_ptr_array_index (new_references, i), error))
        {
          if (bad_field != NULL)
            *bad_field = g_strdup ("references");
          return FALSE;
        }
    }

  if (old != NULL)
    saved = apply_edit (old, item, expected ? expected : old, bad_field, error);
  else
    {
      saved = cb_item_copy (item);
      cb_item_set_origin (saved, "local");
    }
  if (saved == NULL)
    return FALSE;

  if (!cb_corpus_validate_item (corpus, self->taxonomy, saved, replaces_id, bad_field, error))
    return FALSE;

  revision = cb_revision_new (now, self->author, NULL);
  if (old != NULL)
    add_field_names (fields, old);
  add_field_names (fields, saved);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);
      g_autofree char *before = old ? cb_item_dup_field (old, field) : NULL;
      g_autofree char *after = cb_item_dup_field (saved, field);

      if (!same_text (before, after))
        cb_revision_add_change (revision, field, before, after);
    }

  if (old != NULL && revision->changes->len == 0 && (new_references == NULL || new_references->len == 0))
    {
      /* Nothing to record, nothing to write */
      cb_revision_free (revision);
      return TRUE;
    }

  auto_summary = summary ? g_strdup (summary) : summarize (revision, old == NULL);
  g_free (revision->summary);
  revision->summary = g_steal_pointer (&auto_summary);
  if (revision->changes->len > 0 || old == NULL)
    cb_item_add_revision (saved, revision);
  else
    cb_revision_free (revision);

  if (old != NULL)
    cb_corpus_replace_item (corpus, g_object_ref (saved));
  else if (!cb_corpus_insert_item (corpus, g_object_ref (saved), insert_position (corpus, saved), error))
    return FALSE;

  return write_working (self, corpus, error);
}

/**
 * cb_library_save_item:
 * @self: a library
 * @item: the item as it should be
 * @replaces_id: (nullable): the id of the item it replaces, or %NULL for a
 *   new item
 * @summary: (nullable): what was done, for the history
 * @bad_field: (out) (optional) (transfer full): on a refusal, the field at
 *   fault
 * @error: return location for a #GError
 *
 * cb_library_save_edit() with every field of @item as it is.
 */
gboolean
cb_library_save_item (CbLibrary   *self,
                      CbItem      *item,
                      const char  *replaces_id,
                      const char  *summary,
                      char       **bad_field,
                      GError     **error)
{
  return cb_library_save_edit (self, item, replaces_id, NULL, NULL, summary, bad_field, error);
}

/**
 * cb_library_set_field:
 * @self: a library
 * @id: an item id
 * @field: a field name (cb_item_get_field_names())
 * @value: its new value as text
 * @error: return location for a #GError
 *
 * What `casebook-cli item set` does.
 */
gboolean
cb_library_set_field (CbLibrary   *self,
                      const char  *id,
                      const char  *field,
                      const char  *value,
                      GError     **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbItem) copy = NULL;
  g_autofree char *bad_field = NULL;
  CbItem *item;

  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (id != NULL && field != NULL && value != NULL, FALSE);

  if ((corpus = cb_library_load (self, error)) == NULL)
    return FALSE;

  if ((item = cb_corpus_lookup_item (corpus, id)) == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no item “%s” in the corpus"), id);
      return FALSE;
    }

  copy = cb_item_copy (item);
  if (!cb_item_set_field (copy, field, value, error))
    return FALSE;

  return cb_library_save_item (self, copy, id, NULL, &bad_field, error);
}

/**
 * cb_library_set_retired:
 * @self: a library
 * @id: an item id
 * @retired: %TRUE to retire the item, %FALSE to restore it
 * @error: return location for a #GError
 *
 * A retired item leaves search by default but stays in the corpus, in
 * packs and in history.
 */
gboolean
cb_library_set_retired (CbLibrary   *self,
                        const char  *id,
                        gboolean     retired,
                        GError     **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbItem) copy = NULL;
  CbItem *item;

  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if ((corpus = cb_library_load (self, error)) == NULL)
    return FALSE;

  if ((item = cb_corpus_lookup_item (corpus, id)) == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no item “%s” in the corpus"), id);
      return FALSE;
    }

  copy = cb_item_copy (item);
  cb_item_set_status (copy, retired ? CB_ITEM_STATUS_RETIRED : CB_ITEM_STATUS_ACTIVE);

  return cb_library_save_item (self, copy, id, retired ? "Retired" : "Restored", NULL, error);
}

/**
 * cb_library_save_reference:
 * @self: a library
 * @reference: a new reference, or a changed one (same id)
 * @error: return location for a #GError
 *
 * The DOI, when there is one, must have the form of a DOI.
 */
gboolean
cb_library_save_reference (CbLibrary    *self,
                           CbReference  *reference,
                           GError      **error)
{
  g_autoptr(CbCorpus) corpus = NULL;

  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (CB_IS_REFERENCE (reference), FALSE);

  if (!check_reference (reference, error) || (corpus = cb_library_load (self, error)) == NULL ||
      !put_reference (corpus, reference, error))
    return FALSE;

  return write_working (self, corpus, error);
}

/**
 * cb_library_dup_history:
 * @self: a library
 * @id: an item id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CbRevision): the item's history,
 *   oldest first
 */
GPtrArray *
cb_library_dup_history (CbLibrary   *self,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  GPtrArray *history;
  CbItem *item;

  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if ((corpus = cb_library_load (self, error)) == NULL)
    return NULL;

  if ((item = cb_corpus_lookup_item (corpus, id)) == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no item “%s” in the corpus"), id);
      return NULL;
    }

  history = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_revision_free);
  for (guint i = 0; i < cb_item_get_history (item)->len; i++)
    g_ptr_array_add (history, cb_revision_copy (g_ptr_array_index (cb_item_get_history (item), i)));

  return history;
}

/**
 * cb_library_dup_free_id:
 * @self: a library
 * @kind: the kind of a new item
 * @number: its number ("4.2.5")
 *
 * Returns: (transfer full) (nullable): the id a new item with this number
 *   gets, or %NULL if an item has it already
 */
char *
cb_library_dup_free_id (CbLibrary  *self,
                        CbItemKind  kind,
                        const char *number)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  id = g_strdup_printf ("%s:%s", cb_item_kind_to_string (kind), number);
  if (!cb_item_id_is_valid (id))
    return NULL;

  if ((corpus = cb_library_load (self, NULL)) == NULL || cb_corpus_lookup_item (corpus, id) != NULL)
    return NULL;

  return g_steal_pointer (&id);
}

/**
 * cb_library_export_update:
 * @self: a library
 * @path: where to write the update file
 * @version: (out) (optional): the version it was given
 * @error: return location for a #GError
 *
 * Writes the working corpus as an update file for everyone else, with the
 * next version number and a checksum.
 */
gboolean
cb_library_export_update (CbLibrary   *self,
                          const char  *path,
                          guint       *version,
                          GError     **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbCorpus) base = NULL;
  guint next;

  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((corpus = cb_library_load (self, error)) == NULL || (base = load_base (self, error)) == NULL)
    return FALSE;

  next = MAX (cb_corpus_get_version (corpus), cb_corpus_get_version (base)) + 1;
  cb_corpus_set_version (corpus, next);

  /* The working corpus takes the version first, so that no two different
   * update files ever carry the same number */
  if (!write_working (self, corpus, error) || !cb_corpus_write_update_file (corpus, path, error))
    return FALSE;

  if (version != NULL)
    *version = next;

  return TRUE;
}

static char *
dup_file_checksum (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);

  if (file == NULL)
    return NULL;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) g_mapped_file_get_contents (file),
                                      g_mapped_file_get_length (file));
}

/* An update applies over an older base only: it is refused when it is the
 * one the base is (the same bytes: the
 * base is a copy of the last update applied) or older than it */
static gboolean
check_version (CbLibrary   *self,
               CbCorpus    *base,
               const char  *update_path,
               guint        version,
               GError     **error)
{
  guint have = cb_corpus_get_version (base);
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;

  if (update_path != NULL && g_file_test (self->base_path, G_FILE_TEST_EXISTS) &&
      (ours = dup_file_checksum (self->base_path)) != NULL &&
      (theirs = dup_file_checksum (update_path)) != NULL && g_str_equal (ours, theirs))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT,
                   _("This update (version %u) is the one you have already applied; nothing to do"), version);
      return FALSE;
    }

  if (have == 0 || version >= have)
    return TRUE;

  g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT,
               _("This update (version %u) is older than the corpus you have (version %u)"), version, have);

  return FALSE;
}

/* The errors a corpus check finds in @after that it does not find in
 * @before: an update must not break the corpus */
static gboolean
check_merged (CbLibrary  *self,
              CbCorpus   *before,
              CbCorpus   *after,
              GError    **error)
{
  g_autoptr(GPtrArray) old_anomalies = cb_corpus_check (before, self->taxonomy);
  g_autoptr(GPtrArray) new_anomalies = cb_corpus_check (after, self->taxonomy);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CbAnomaly *first = NULL;
  guint n = 0;

  for (guint i = 0; i < old_anomalies->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (old_anomalies, i);

      g_hash_table_add (known, g_strdup_printf ("%s %s", anomaly->code, anomaly->item ? anomaly->item : ""));
    }

  for (guint i = 0; i < new_anomalies->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (new_anomalies, i);
      g_autofree char *key = g_strdup_printf ("%s %s", anomaly->code, anomaly->item ? anomaly->item : "");

      if (anomaly->severity == CB_SEVERITY_ERROR && !g_hash_table_contains (known, key))
        {
          if (first == NULL)
            first = anomaly;
          n++;
        }
    }

  if (first == NULL)
    return TRUE;

  if (n == 1)
    g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The update would break the corpus: %s"), first->message);
  else
    g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                 ngettext ("The update would break the corpus: %s (and %u more problem)",
                           "The update would break the corpus: %s (and %u more problems)", n - 1),
                 first->message, n - 1);

  return FALSE;
}

/**
 * cb_library_preview_update:
 * @self: a library
 * @path: an update file
 * @error: return location for a #GError; a damaged, truncated, newer or
 *   older update is refused here, before anything changes
 *
 * Returns: (transfer full): what applying the update would change, and
 *   the conflicts with local edits
 */
CbUpdatePreview *
cb_library_preview_update (CbLibrary   *self,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(CbUpdatePreview) preview = g_new0 (CbUpdatePreview, 1);
  g_autoptr(CbCorpus) base = NULL;
  g_autoptr(CbCorpus) local = NULL;
  g_autoptr(CbCorpus) merged = NULL;
  g_autoptr(GHashTable) choices = NULL;
  g_autoptr(GError) local_error = NULL;
  GPtrArray *conflicts = NULL;

  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if ((preview->update = cb_corpus_read_update (path, error)) == NULL ||
      (base = load_base (self, error)) == NULL ||
      (local = cb_library_load (self, error)) == NULL)
    return NULL;

  preview->version = cb_corpus_get_version (preview->update);
  preview->path = g_strdup (path);
  if (!check_version (self, base, path, preview->version, error))
    return NULL;

  /* First the conflicts, then what the update does with each decided for
   * it: the preview shows the update's side */
  merged = cb_corpus_merge (base, local, preview->update, NULL, &conflicts, &local_error);
  preview->conflicts = conflicts ? conflicts : g_ptr_array_new_with_free_func ((GDestroyNotify) cb_conflict_free);
  if (merged == NULL)
    {
      if (!g_error_matches (local_error, CB_ERROR, CB_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < preview->conflicts->len; i++)
        {
          CbConflict *conflict = g_ptr_array_index (preview->conflicts, i);

          g_hash_table_insert (choices, cb_conflict_key (conflict->id, conflict->field),
                               GINT_TO_POINTER (CB_CHOOSE_UPDATE));
        }
      if ((merged = cb_corpus_merge (base, local, preview->update, choices, NULL, error)) == NULL)
        return NULL;
    }

  preview->changes = cb_corpus_diff (local, merged);

  return g_steal_pointer (&preview);
}

/**
 * cb_library_dup_changes:
 * @self: a library
 * @preview: a preview from cb_library_preview_update()
 * @choices: (nullable): a choice for each conflict
 * @error: %CB_ERROR_CONFLICT when a conflict has no choice
 *
 * Returns: (transfer full) (element-type CbDiffEntry): what applying the
 *   update with these choices changes in the working corpus
 */
GPtrArray *
cb_library_dup_changes (CbLibrary        *self,
                        CbUpdatePreview  *preview,
                        GHashTable       *choices,
                        GError          **error)
{
  g_autoptr(CbCorpus) base = NULL;
  g_autoptr(CbCorpus) local = NULL;
  g_autoptr(CbCorpus) merged = NULL;

  g_return_val_if_fail (CB_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (preview != NULL, NULL);

  if ((base = load_base (self, error)) == NULL ||
      (local = cb_library_load (self, error)) == NULL ||
      (merged = cb_corpus_merge (base, local, preview->update, choices, NULL, error)) == NULL)
    return NULL;

  return cb_corpus_diff (local, merged);
}

/**
 * cb_library_apply_update:
 * @self: a library
 * @preview: a preview from cb_library_preview_update()
 * @choices: (nullable): a choice for each conflict, keyed by
 *   cb_conflict_key()
 * @error: return location for a #GError; %CB_ERROR_CONFLICT when a
 *   conflict has no choice
 *
 * Merges the update into the working corpus, keeping local edits, and
 * makes it the new base. Nothing is written unless all of it can be.
 */
gboolean
cb_library_apply_update (CbLibrary        *self,
                         CbUpdatePreview  *preview,
                         GHashTable       *choices,
                         GError          **error)
{
  g_autoptr(CbCorpus) base = NULL;
  g_autoptr(CbCorpus) local = NULL;
  g_autoptr(CbCorpus) merged = NULL;

  g_return_val_if_fail (CB_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (preview != NULL, FALSE);

  g_autofree char *marker = marker_path (self);
  g_autofree char *working_new = pending_path (self->working_path);
  g_autofree char *base_new = pending_path (self->base_path);

  /* The preview may be older than the base by now: another update was
   * applied while it was open */
  if ((base = load_base (self, error)) == NULL ||
      !check_version (self, base, preview->path, cb_corpus_get_version (preview->update), error) ||
      (local = cb_library_load (self, error)) == NULL ||
      (merged = cb_corpus_merge (base, local, preview->update, choices, NULL, error)) == NULL ||
      !check_merged (self, local, merged, error))
    return FALSE;

  /* Both files are written beside their places, then the marker makes
   * the two renames one step: a kill at any moment leaves the old pair or
   * the new pair (see finish_pending_apply()). The base is the update
   * file itself, byte for byte. */
  if (!ensure_folder (self, error) ||
      !cb_corpus_write_file (merged, working_new, error) ||
      !(preview->path ? copy_file (preview->path, base_new, error)
                      : cb_corpus_write_file (preview->update, base_new, error)) ||
      !cb_file_set_contents_atomic (marker, "apply\n", -1, error))
    {
      g_unlink (working_new);
      g_unlink (base_new);
      return FALSE;
    }

  finish_pending_apply (self, FALSE);

  return TRUE;
}
