/* cb-corpus-diff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-corpus-diff.h"
#include "cb-guide-importer.h"
#include "cb-error.h"

static CbChange *
change_new (const char *field,
            const char *before,
            const char *after)
{
  CbChange *change = g_new0 (CbChange, 1);

  change->field = g_strdup (field);
  change->before = before && *before ? g_strdup (before) : NULL;
  change->after = after && *after ? g_strdup (after) : NULL;

  return change;
}

static void
change_free (CbChange *change)
{
  g_free (change->field);
  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

void
cb_diff_entry_free (CbDiffEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->id);
  g_free (entry->label);
  g_clear_pointer (&entry->changes, g_ptr_array_unref);
  g_free (entry);
}

static CbDiffEntry *
diff_entry_new (CbDiffKind  kind,
                const char *id,
                char       *label)
{
  CbDiffEntry *entry = g_new0 (CbDiffEntry, 1);

  entry->kind = kind;
  entry->id = g_strdup (id);
  entry->label = label;
  entry->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  return entry;
}

const char *
cb_diff_kind_to_string (CbDiffKind kind)
{
  switch (kind)
    {
    case CB_DIFF_ADDED:
      return "added";
    case CB_DIFF_REMOVED:
      return "removed";
    case CB_DIFF_CHANGED:
      return "changed";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
cb_conflict_free (CbConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->id);
  g_free (conflict->label);
  g_free (conflict->field);
  g_free (conflict->base);
  g_free (conflict->local);
  g_free (conflict->update);
  g_free (conflict);
}

/**
 * cb_conflict_key:
 * @id: an item or reference id
 * @field: a field name
 *
 * Returns: (transfer full): "ID\tFIELD", the key of a choice in the table
 *   cb_corpus_merge() takes
 */
char *
cb_conflict_key (const char *id,
                 const char *field)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return g_strconcat (id, "\t", field, NULL);
}

/* Reference fields as text */

static const char *reference_fields[] = {
  "authors", "year", "title", "container", "volume", "issue", "pages",
  "publisher", "place", "doi", "url",
};

/* "Family, G.; Family2, H." with "; et al." and " (eds.)" when the
 * reference says so */
static char *
reference_dup_authors (CbReference *reference)
{
  GPtrArray *authors = cb_reference_get_authors (reference);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < authors->len; i++)
    {
      const CbPerson *person = g_ptr_array_index (authors, i);

      if (i > 0)
        g_string_append (out, "; ");
      g_string_append (out, person->family ? person->family : "");
      if (person->given != NULL)
        g_string_append_printf (out, ", %s", person->given);
    }

  if (cb_reference_get_et_al (reference))
    g_string_append (out, out->len ? "; et al." : "et al.");
  if (cb_reference_get_editors (reference))
    g_string_append (out, authors->len > 1 ? " (eds.)" : " (ed.)");

  return g_string_free (out, FALSE);
}

static const char *
reference_get_field (CbReference *reference,
                     const char  *field)
{
  if (g_str_equal (field, "year"))
    return cb_reference_get_year (reference);
  if (g_str_equal (field, "title"))
    return cb_reference_get_title (reference);
  if (g_str_equal (field, "container"))
    return cb_reference_get_container (reference);
  if (g_str_equal (field, "volume"))
    return cb_reference_get_volume (reference);
  if (g_str_equal (field, "issue"))
    return cb_reference_get_issue (reference);
  if (g_str_equal (field, "pages"))
    return cb_reference_get_pages (reference);
  if (g_str_equal (field, "publisher"))
    return cb_reference_get_publisher (reference);
  if (g_str_equal (field, "place"))
    return cb_reference_get_place (reference);
  if (g_str_equal (field, "doi"))
    return cb_reference_get_doi (reference);
  if (g_str_equal (field, "url"))
    return cb_reference_get_url (reference);

  g_return_val_if_reached (NULL);
}

static void
reference_set_field (CbReference *reference,
                     const char  *field,
                     const char  *value)
{
  if (g_str_equal (field, "year"))
    cb_reference_set_year (reference, value);
  else if (g_str_equal (field, "title"))
    cb_reference_set_title (reference, value);
  else if (g_str_equal (field, "container"))
    cb_reference_set_container (reference, value);
  else if (g_str_equal (field, "volume"))
    cb_reference_set_volume (reference, value);
  else if (g_str_equal (field, "issue"))
    cb_reference_set_issue (reference, value);
  else if (g_str_equal (field, "pages"))
    cb_reference_set_pages (reference, value);
  else if (g_str_equal (field, "publisher"))
    cb_reference_set_publisher (reference, value);
  else if (g_str_equal (field, "place"))
    cb_reference_set_place (reference, value);
  else if (g_str_equal (field, "doi"))
    cb_reference_set_doi (reference, value);
  else if (g_str_equal (field, "url"))
    cb_reference_set_url (reference, value);
  else
    g_return_if_reached ();
}

/* Entities: items and references, compared and merged the same way */

typedef struct {
  GPtrArray   *(*list)        (CbCorpus   *corpus);
  gpointer     (*lookup)      (CbCorpus   *corpus,
                               const char *id);
  const char  *(*get_id)      (gpointer    object);
  char        *(*dup_label)   (gpointer    object);
  void         (*add_fields)  (gpointer    object,
                               GPtrArray  *fields);
  char        *(*dup_field)   (gpointer    object,
                               const char *field);
  gpointer     (*copy)        (gpointer    object);
  /* returns the object with the field from @from: @dest or a new one */
  gpointer     (*copy_field)  (gpointer    dest,
                               gpointer    from,
                               const char *field);
  void         (*finish)      (gpointer    result,
                               gpointer    local,
                               gpointer    update);
  void         (*add)         (CbCorpus   *corpus,
                               gpointer    object);
} EntityClass;

static void
add_field_name (GPtrArray  *fields,
                const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (fields, i), name))
        return;
    }

  g_ptr_array_add (fields, g_strdup (name));
}

/* Items */

static GPtrArray *
item_list (CbCorpus *corpus)
{
  return cb_corpus_get_items (corpus);
}

static gpointer
item_lookup (CbCorpus   *corpus,
             const char *id)
{
  return cb_corpus_lookup_item (corpus, id);
}

static const char *
item_get_id (gpointer object)
{
  return cb_item_get_id (object);
}

static char *
item_dup_label (gpointer object)
{
  g_autofree char *label = cb_item_dup_label (object);
  const char *title = cb_item_get_title (object);

  if (title == NULL || *title == '\0')
    return g_steal_pointer (&label);

  /* Translators: an item's label and title, "Case study 4.2.4: Title" */
  return g_strdup_printf (_("%s: %s"), label, title);
}

static void
item_add_fields (gpointer   object,
                 GPtrArray *fields)
{
  const char * const *names = cb_item_get_field_names (object);

  for (guint i = 0; names[i] != NULL; i++)
    add_field_name (fields, names[i]);
}

static char *
item_dup_field (gpointer    object,
                const char *field)
{
  return cb_item_dup_field (object, field);
}

static gpointer
item_copy (gpointer object)
{
  return cb_item_copy (object);
}

static gpointer
item_copy_field (gpointer    dest,
                 gpointer    from,
                 const char *field)
{
  cb_item_copy_field (dest, from, field);

  return dest;
}

static gboolean
same_revision (const CbRevision *a,
               const CbRevision *b)
{
  return g_strcmp0 (a->date, b->date) == 0 &&
         g_strcmp0 (a->author, b->author) == 0 &&
         g_strcmp0 (a->summary, b->summary) == 0;
}

static int
compare_revisions (gconstpointer a,
                   gconstpointer b)
{
  const CbRevision *ra = *(const CbRevision **) a;
  const CbRevision *rb = *(const CbRevision **) b;

  return g_strcmp0 (ra->date, rb->date);
}

/* The update's revisions and the local ones it lacks, by date */
static void
item_finish (gpointer result,
             gpointer local,
             gpointer update)
{
  GPtrArray *history = cb_item_get_history (result);
  GPtrArray *local_history;
  guint n_update;

  if (local == NULL || update == NULL || result == local)
    return;

  local_history = cb_item_get_history (local);
  n_update = history->len;

  for (guint i = 0; i < local_history->len; i++)
    {
      const CbRevision *revision = g_ptr_array_index (local_history, i);
      gboolean known = FALSE;

      for (guint j = 0; !known && j < n_update; j++)
        known = same_revision (revision, g_ptr_array_index (history, j));

      if (!known)
        cb_item_add_revision (result, cb_revision_copy (revision));
    }

  /* stable: revisions of the same date keep their order */
  g_ptr_array_sort (history, compare_revisions);
}

static void
item_add (CbCorpus *corpus,
          gpointer  object)
{
  gboolean added = cb_corpus_add_item (corpus, object, NULL);

  g_assert (added);
}

static const EntityClass item_class = {
  item_list, item_lookup, item_get_id, item_dup_label, item_add_fields,
  item_dup_field, item_copy, item_copy_field, item_finish, item_add,
};

/* References */

static GPtrArray *
reference_list (CbCorpus *corpus)
{
  return cb_corpus_get_references (corpus);
}

static gpointer
reference_lookup (CbCorpus   *corpus,
                  const char *id)
{
  return cb_corpus_lookup_reference (corpus, id);
}

static const char *
reference_get_id (gpointer object)
{
  return cb_reference_get_id (object);
}

static char *
reference_dup_label (gpointer object)
{
  const char *family = cb_reference_get_first_family (object);
  const char *year = cb_reference_get_year (object);

  if (family == NULL || *family == '\0')
    return g_strdup (cb_reference_get_id (object));

  if (year == NULL || *year == '\0')
    return g_strdup (family);

  /* Translators: a reference's first author and year, "Alsan (2019)" */
  return g_strdup_printf (_("%s (%s)"), family, year);
}

static void
reference_add_fields (gpointer   object,
                      GPtrArray *fields)
{
  for (guint i = 0; i < G_N_ELEMENTS (reference_fields); i++)
    add_field_name (fields, reference_fields[i]);
}

static char *
reference_dup_field (gpointer    object,
                     const char *field)
{
  const char *value;

  if (g_str_equal (field, "authors"))
    return reference_dup_authors (object);

  value = reference_get_field (object, field);

  return g_strdup (value ? value : "");
}

static gpointer
reference_copy (gpointer object)
{
  return cb_reference_copy (object);
}

static gpointer
reference_copy_field (gpointer    dest,
                      gpointer    from,
                      const char *field)
{
  CbReference *result;
  GPtrArray *authors;
  GPtrArray *texts;

  if (!g_str_equal (field, "authors"))
    {
      reference_set_field (dest, field, reference_get_field (from, field));
      return dest;
    }

  /* Authors cannot be taken away from a reference: build a new one. */
  result = cb_reference_new ();
  cb_reference_set_id (result, cb_reference_get_id (dest));
  cb_reference_set_kind (result, cb_reference_get_kind (dest));

  authors = cb_reference_get_authors (from);
  for (guint i = 0; i < authors->len; i++)
    {
      const CbPerson *person = g_ptr_array_index (authors, i);

      cb_reference_add_author (result, person->family, person->given);
    }
  cb_reference_set_et_al (result, cb_reference_get_et_al (from));
  cb_reference_set_editors (result, cb_reference_get_editors (from));

  for (guint i = 0; i < G_N_ELEMENTS (reference_fields); i++)
    {
      if (!g_str_equal (reference_fields[i], "authors"))
        reference_set_field (result, reference_fields[i], reference_get_field (dest, reference_fields[i]));
    }

  texts = cb_reference_get_texts (dest);
  for (guint i = 0; texts != NULL && i < texts->len; i++)
    cb_reference_add_text (result, g_ptr_array_index (texts, i));

  g_object_unref (dest);

  return result;
}

static void
reference_finish (gpointer result,
                  gpointer local,
                  gpointer update)
{
}

static void
reference_add (CbCorpus *corpus,
               gpointer  object)
{
  gboolean added = cb_corpus_add_reference (corpus, object, NULL);

  g_assert (added);
}

static const EntityClass reference_class = {
  reference_list, reference_lookup, reference_get_id, reference_dup_label,
  reference_add_fields, reference_dup_field, reference_copy, reference_copy_field,
  reference_finish, reference_add,
};

/* The ids of @primary in its order, those only @secondary has placed
 * after the nearest one before them in @secondary that @primary has too.
 * (element-type utf8) (transfer container) */
static GPtrArray *
merged_order (const EntityClass *klass,
              CbCorpus          *primary,
              CbCorpus          *secondary)
{
  g_autoptr(GHashTable) after = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  GPtrArray *primary_list = klass->list (primary);
  GPtrArray *secondary_list = klass->list (secondary);
  GPtrArray *order = g_ptr_array_new ();
  const char *anchor = "";
  GPtrArray *run;

  for (guint i = 0; i < secondary_list->len; i++)
    {
      const char *id = klass->get_id (g_ptr_array_index (secondary_list, i));

      if (klass->lookup (primary, id) != NULL)
        {
          anchor = id;
          continue;
        }

      run = g_hash_table_lookup (after, anchor);
      if (run == NULL)
        {
          run = g_ptr_array_new ();
          g_hash_table_insert (after, (gpointer) anchor, run);
        }
      g_ptr_array_add (run, (gpointer) id);
    }

  if ((run = g_hash_table_lookup (after, "")) != NULL)
    g_ptr_array_extend (order, run, NULL, NULL);

  for (guint i = 0; i < primary_list->len; i++)
    {
      const char *id = klass->get_id (g_ptr_array_index (primary_list, i));

      g_ptr_array_add (order, (gpointer) id);
      if ((run = g_hash_table_lookup (after, id)) != NULL)
        g_ptr_array_extend (order, run, NULL, NULL);
    }

  return order;
}

/* The union of the field names of up to three objects, in their order.
 * (element-type utf8) (transfer full) */
static GPtrArray *
union_fields (const EntityClass *klass,
              gpointer           a,
              gpointer           b,
              gpointer           c)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  gpointer objects[] = { a, b, c };

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      if (objects[i] != NULL)
        klass->add_fields (objects[i], fields);
    }

  return fields;
}

static gboolean
same_fields (const EntityClass *klass,
             gpointer           a,
             gpointer           b)
{
  g_autoptr(GPtrArray) fields = union_fields (klass, a, b, NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *va = klass->dup_field (a, g_ptr_array_index (fields, i));
      g_autofree char *vb = klass->dup_field (b, g_ptr_array_index (fields, i));

      if (g_strcmp0 (va, vb) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
diff_entities (const EntityClass *klass,
               CbCorpus          *a,
               CbCorpus          *b,
               GPtrArray         *diff)
{
  g_autoptr(GPtrArray) order = merged_order (klass, b, a);

  for (guint i = 0; i < order->len; i++)
    {
      const char *id = g_ptr_array_index (order, i);
      gpointer old = klass->lookup (a, id);
      gpointer new = klass->lookup (b, id);
      g_autoptr(GPtrArray) fields = NULL;
      CbDiffEntry *entry;

      if (old == NULL)
        {
          g_ptr_array_add (diff, diff_entry_new (CB_DIFF_ADDED, id, klass->dup_label (new)));
          continue;
        }

      if (new == NULL)
        {
          g_ptr_array_add (diff, diff_entry_new (CB_DIFF_REMOVED, id, klass->dup_label (old)));
          continue;
        }

      entry = diff_entry_new (CB_DIFF_CHANGED, id, klass->dup_label (new));
      fields = union_fields (klass, new, old, NULL);
      for (guint j = 0; j < fields->len; j++)
        {
          const char *field = g_ptr_array_index (fields, j);
          g_autofree char *before = klass->dup_field (old, field);
          g_autofree char *after = klass->dup_field (new, field);

          if (g_strcmp0 (before, after) != 0)
            g_ptr_array_add (entry->changes, change_new (field, before, after));
        }

      if (entry->changes->len > 0)
        g_ptr_array_add (diff, entry);
      else
        cb_diff_entry_free (entry);
    }
}

/**
 * cb_corpus_diff:
 * @a: the older corpus
 * @b: the newer corpus
 *
 * Compares the guide's metadata (title, subtitle, publisher, version), the
 * references field by field and the items field by field (the fields of
 * cb_item_get_field_names(); history is not a field). Empty values are
 * %NULL in the changes.
 *
 * Returns: (transfer full) (element-type CbDiffEntry): what changed, the
 *   metadata first, then references, then items, each in @b's order with
 *   removed ones after their neighbour in @a
 */
GPtrArray *
cb_corpus_diff (CbCorpus *a,
                CbCorpus *b)
{
  GPtrArray *diff;
  CbDiffEntry *guide;
  const struct {
    const char *field;
    const char *(*get) (CbCorpus *corpus);
  } metadata[] = {
    { "title", cb_corpus_get_title },
    { "subtitle", cb_corpus_get_subtitle },
    { "publisher", cb_corpus_get_publisher },
  };

  g_return_val_if_fail (CB_IS_CORPUS (a), NULL);
  g_return_val_if_fail (CB_IS_CORPUS (b), NULL);

  diff = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_diff_entry_free);

  guide = diff_entry_new (CB_DIFF_CHANGED, "corpus", g_strdup (_("The guide")));
  for (guint i = 0; i < G_N_ELEMENTS (metadata); i++)
    {
      const char *before = metadata[i].get (a);
      const char *after = metadata[i].get (b);

      if (g_strcmp0 (before ? before : "", after ? after : "") != 0)
        g_ptr_array_add (guide->changes, change_new (metadata[i].field, before, after));
    }
  /* The version numbers the file, not its content: an update always
   * changes it, and saying so tells nobody anything */
  if (guide->changes->len > 0)
    g_ptr_array_add (diff, guide);
  else
    cb_diff_entry_free (guide);

  diff_entities (&reference_class, a, b, diff);
  diff_entities (&item_class, a, b, diff);

  return diff;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * cb_diff_to_json:
 * @diff: (element-type CbDiffEntry): a diff
 *
 * Returns: (transfer full): an array of {kind, id, label, changes: [{field,
 *   before, after}]}, empty values null
 */
JsonNode *
cb_diff_to_json (GPtrArray *diff)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (diff != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < diff->len; i++)
    {
      const CbDiffEntry *entry = g_ptr_array_index (diff, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "kind", cb_diff_kind_to_string (entry->kind));
      add_nullable_string (builder, "id", entry->id);
      add_nullable_string (builder, "label", entry->label);
      json_builder_set_member_name (builder, "changes");
      json_builder_begin_array (builder);
      for (guint j = 0; entry->changes != NULL && j < entry->changes->len; j++)
        {
          const CbChange *change = g_ptr_array_index (entry->changes, j);

          json_builder_begin_object (builder);
          add_nullable_string (builder, "field", change->field);
          add_nullable_string (builder, "before", change->before);
          add_nullable_string (builder, "after", change->after);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/* Merging */

typedef struct {
  GHashTable *choices;
  GPtrArray  *conflicts;
  guint       unresolved;
} Merge;

/* Lists a conflict and returns the librarian's choice for it (the
 * update's value stands in while there is none) */
static CbChoice
add_conflict (Merge      *merge,
              const char *id,
              char       *label,
              const char *field,
              const char *base,
              const char *local,
              const char *update)
{
  g_autofree char *key = cb_conflict_key (id, field);
  CbConflict *conflict = g_new0 (CbConflict, 1);
  gpointer choice;

  conflict->id = g_strdup (id);
  conflict->label = label;
  conflict->field = g_strdup (field);
  conflict->base = g_strdup (base);
  conflict->local = g_strdup (local);
  conflict->update = g_strdup (update);
  g_ptr_array_add (merge->conflicts, conflict);

  if (merge->choices != NULL && g_hash_table_lookup_extended (merge->choices, key, NULL, &choice))
    return GPOINTER_TO_INT (choice) == CB_CHOOSE_LOCAL ? CB_CHOOSE_LOCAL : CB_CHOOSE_UPDATE;

  merge->unresolved++;

  return CB_CHOOSE_UPDATE;
}

/* Which side a field takes: the side that changed it, or a conflict when
 * both changed it differently */
static CbChoice
decide (Merge      *merge,
        const char *id,
        char     *(*dup_label) (gpointer),
        gpointer    labelled,
        const char *field,
        const char *base,
        const char *local,
        const char *update)
{
  if (g_strcmp0 (local, base) == 0 || g_strcmp0 (local, update) == 0)
    return CB_CHOOSE_UPDATE;
  if (g_strcmp0 (update, base) == 0)
    return CB_CHOOSE_LOCAL;

  return add_conflict (merge, id, dup_label (labelled), field, base, local, update);
}

/* An item or reference only one side still has: the other side removed
 * it. Without changes since the base the removal stands; otherwise it is
 * a conflict on "status". Returns the side whose state to keep. */
static CbChoice
decide_existence (Merge             *merge,
                  const EntityClass *klass,
                  const char        *id,
                  gpointer           base,
                  gpointer           local,
                  gpointer           update)
{
  gpointer kept = local ? local : update;
  g_autofree char *base_status = NULL;
  g_autofree char *local_status = NULL;
  g_autofree char *update_status = NULL;

  if (same_fields (klass, base, kept))
    return local ? CB_CHOOSE_UPDATE : CB_CHOOSE_LOCAL;

  base_status = klass == &item_class ? klass->dup_field (base, "status") : g_strdup ("active");
  if (local != NULL)
    local_status = klass == &item_class ? klass->dup_field (local, "status") : g_strdup ("active");
  if (update != NULL)
    update_status = klass == &item_class ? klass->dup_field (update, "status") : g_strdup ("active");

  return add_conflict (merge, id, klass->dup_label (kept), "status", base_status, local_status, update_status);
}

static gpointer
retire_copy (gpointer entity)
{
  CbItem *item = cb_item_copy (entity);
  g_autofree char *now = cb_now_timestamp ();
  CbRevision *revision;

  if (cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED)
    return item;

  /* History is corpus data, in the corpus's language */
  revision = cb_revision_new (now, "Corpus update", "Retired: the corpus update no longer has this item");
  cb_revision_add_change (revision, "status", "active", "retired");
  cb_item_set_status (item, CB_ITEM_STATUS_RETIRED);
  cb_item_add_revision (item, revision);

  return item;
}

static void
merge_entities (Merge             *merge,
                const EntityClass *klass,
                CbCorpus          *base,
                CbCorpus          *local,
                CbCorpus          *update,
                CbCorpus          *result)
{
  g_autoptr(GPtrArray) order = merged_order (klass, update, local);

  for (guint i = 0; i < order->len; i++)
    {
      const char *id = g_ptr_array_index (order, i);
      gpointer b = klass->lookup (base, id);
      gpointer l = klass->lookup (local, id);
      gpointer u = klass->lookup (update, id);
      g_autoptr(GPtrArray) fields = NULL;
      gpointer merged;

      if (l == NULL || u == NULL)
        {
          gpointer present = l ? l : u;

          if (b != NULL && decide_existence (merge, klass, id, b, l, u) != (l ? CB_CHOOSE_LOCAL : CB_CHOOSE_UPDATE))
            {
              /* The update no longer has it: an item stays readable, in
               * packs and history, retired; a reference stays for the
               * items that may still cite it */
              if (l != NULL)
                klass->add (result, klass == &item_class ? retire_copy (l) : klass->copy (l));
              continue;
            }

          klass->add (result, klass->copy (present));
          continue;
        }

      merged = klass->copy (u);
      fields = union_fields (klass, u, l, b);
      for (guint j = 0; j < fields->len; j++)
        {
          const char *field = g_ptr_array_index (fields, j);
          g_autofree char *vb = b ? klass->dup_field (b, field) : NULL;
          g_autofree char *vl = klass->dup_field (l, field);
          g_autofree char *vu = klass->dup_field (u, field);

          if (decide (merge, id, klass->dup_label, u, field, vb, vl, vu) == CB_CHOOSE_LOCAL)
            merged = klass->copy_field (merged, l, field);
        }

      klass->finish (merged, l, u);
      klass->add (result, merged);
    }
}

/**
 * cb_corpus_merge:
 * @base: the corpus the librarian's copy started from
 * @local: the librarian's working corpus
 * @update: the new corpus
 * @choices: (nullable) (element-type utf8 gint): for conflicts, keyed by
 *   cb_conflict_key(), GINT_TO_POINTER() of a #CbChoice
 * @conflicts: (out) (optional) (element-type CbConflict) (transfer full):
 *   every field both sides changed differently, in corpus order
 *   (references, then items)
 * @error: return location for a #GError
 *
 * Replays the librarian's edits on the update, field by field: a field
 * only the librarian changed keeps the librarian's value, a field only the
 * update changed takes the update's. Items and references only the
 * librarian added are kept; one the update removed but the librarian
 * changed (or the other way round) is a conflict on "status", choosing
 * the local side keeps the librarian's state. An item the update removed
 * is kept, retired (it stays readable in packs and history); a reference
 * it removed is kept for the items that may cite it. Item history is the update's
 * revisions and the librarian's ones it lacks, by date. The guide's
 * metadata (version too), contents and import report come from the update. The inputs
 * are not changed.
 *
 * Returns: (transfer full) (nullable): a new corpus, or %NULL with
 *   %CB_ERROR_CONFLICT if a conflict has no choice
 */
CbCorpus *
cb_corpus_merge (CbCorpus    *base,
                 CbCorpus    *local,
                 CbCorpus    *update,
                 GHashTable  *choices,
                 GPtrArray  **conflicts,
                 GError     **error)
{
  g_autoptr(CbCorpus) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GPtrArray *contents;
  GPtrArray *anomalies;
  Merge merge;

  g_return_val_if_fail (CB_IS_CORPUS (base), NULL);
  g_return_val_if_fail (CB_IS_CORPUS (local), NULL);
  g_return_val_if_fail (CB_IS_CORPUS (update), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_conflict_free);
  merge = (Merge) { choices, found, 0 };

  result = cb_corpus_new ();
  cb_corpus_set_title (result, cb_corpus_get_title (update));
  cb_corpus_set_subtitle (result, cb_corpus_get_subtitle (update));
  cb_corpus_set_publisher (result, cb_corpus_get_publisher (update));
  cb_corpus_set_source (result, cb_corpus_get_source_name (update), cb_corpus_get_source_checksum (update));
  cb_corpus_set_version (result, cb_corpus_get_version (update));

  contents = cb_corpus_get_contents (update);
  for (guint i = 0; i < contents->len; i++)
    {
      const CbContentsEntry *entry = g_ptr_array_index (contents, i);

      cb_corpus_add_contents_entry (result, entry->kind, entry->number, entry->title, entry->page);
    }

  anomalies = cb_corpus_get_anomalies (update);
  for (guint i = 0; i < anomalies->len; i++)
    {
      const CbAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      cb_corpus_add_anomaly (result, cb_anomaly_new (anomaly->severity, anomaly->code, anomaly->line,
                                                     anomaly->item, anomaly->message));
    }

  merge_entities (&merge, &reference_class, base, local, update, result);
  merge_entities (&merge, &item_class, base, local, update, result);

  if (merge.unresolved > 0)
    g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT,
                 ngettext ("%u conflict needs a choice", "%u conflicts need a choice", merge.unresolved),
                 merge.unresolved);

  if (conflicts != NULL)
    *conflicts = g_steal_pointer (&found);

  if (merge.unresolved > 0)
    return NULL;

  return g_steal_pointer (&result);
}
