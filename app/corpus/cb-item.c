/* cb-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-error.h"
#include "cb-item.h"

struct _CbItem
{
  GObject       parent_instance;

  char         *id;
  CbItemKind    kind;
  char         *number;
  char         *title;
  guint         chapter;
  char         *section;
  guint         page;
  char         *origin;
  CbItemStatus  status;
  GPtrArray    *countries;
  GPtrArray    *interventions;
  char         *design;
  GPtrArray    *parts;
  GPtrArray    *references;
  char         *reference_note;
  GPtrArray    *history;
  GStrv         field_names;
};

G_DEFINE_FINAL_TYPE (CbItem, cb_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TITLE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *name;
  const char *label;
} kinds[CB_N_ITEM_KINDS] = {
  [CB_ITEM_KIND_SECTION] = { "section", N_("Section") },
  [CB_ITEM_KIND_CASE_STUDY] = { "case_study", N_("Case study") },
  [CB_ITEM_KIND_INSET_BOX] = { "inset_box", N_("Inset box") },
  [CB_ITEM_KIND_RECOMMENDATION] = { "recommendation", N_("Recommendation") },
  [CB_ITEM_KIND_IMPLEMENTATION] = { "implementation", N_("Implementation step") },
  [CB_ITEM_KIND_GLOSSARY] = { "glossary", N_("Glossary term") },
  [CB_ITEM_KIND_NEXT_STEP] = { "next_step", N_("Next step") },
};

const char *
cb_item_kind_to_string (CbItemKind kind)
{
  g_return_val_if_fail (kind < CB_N_ITEM_KINDS, NULL);

  return kinds[kind].name;
}

/**
 * cb_item_kind_from_string:
 * @str: "case_study", or a short form people type ("case", "box", "rec")
 * @kind: (out): the kind
 *
 * Returns: %TRUE if @str names a kind
 */
gboolean
cb_item_kind_from_string (const char *str,
                          CbItemKind *kind)
{
  static const struct {
    const char *alias;
    CbItemKind kind;
  } aliases[] = {
    { "case", CB_ITEM_KIND_CASE_STUDY },
    { "case-study", CB_ITEM_KIND_CASE_STUDY },
    { "box", CB_ITEM_KIND_INSET_BOX },
    { "inset", CB_ITEM_KIND_INSET_BOX },
    { "inset-box", CB_ITEM_KIND_INSET_BOX },
    { "rec", CB_ITEM_KIND_RECOMMENDATION },
    { "implementation-step", CB_ITEM_KIND_IMPLEMENTATION },
    { "step", CB_ITEM_KIND_IMPLEMENTATION },
    { "term", CB_ITEM_KIND_GLOSSARY },
    { "next-step", CB_ITEM_KIND_NEXT_STEP },
  };

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < CB_N_ITEM_KINDS; i++)
    {
      if (g_ascii_strcasecmp (str, kinds[i].name) == 0)
        {
          *kind = i;
          return TRUE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      if (g_ascii_strcasecmp (str, aliases[i].alias) == 0)
        {
          *kind = aliases[i].kind;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cb_item_kind_label (CbItemKind kind)
{
  g_return_val_if_fail (kind < CB_N_ITEM_KINDS, NULL);

  return _(kinds[kind].label);
}

/**
 * cb_item_dup_label:
 * @self: an item
 *
 * Returns: (transfer full): what the guide calls the item: its kind and
 *   number ("Case study 4.2.4", "Glossary term")
 */
char *
cb_item_dup_label (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  if (self->number == NULL || *self->number == '\0')
    return g_strdup (cb_item_kind_label (self->kind));

  /* Translators: an item's kind and number, "Case study 4.2.4" */
  return g_strdup_printf (C_("item label", "%s %s"), cb_item_kind_label (self->kind), self->number);
}

/**
 * cb_item_id_is_valid:
 * @id: a candidate item id
 *
 * Item ids are `<kind>:<key>`, the key made of letters, digits, '.', '-'
 * and '_' (`case_study:2.2.4`, `glossary:racism`).
 */
gboolean
cb_item_id_is_valid (const char *id)
{
  const char *colon;
  g_autofree char *kind_str = NULL;
  CbItemKind kind;

  if (id == NULL || (colon = strchr (id, ':')) == NULL || colon[1] == '\0')
    return FALSE;

  kind_str = g_strndup (id, colon - id);
  if (!cb_item_kind_from_string (kind_str, &kind) ||
      strcmp (kind_str, cb_item_kind_to_string (kind)) != 0)
    return FALSE;

  for (const char *p = colon + 1; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
        return FALSE;
    }

  return strlen (id) <= 200;
}

CbRevision *
cb_revision_new (const char *date,
                 const char *author,
                 const char *summary)
{
  CbRevision *revision = g_new0 (CbRevision, 1);

  revision->date = g_strdup (date);
  revision->author = g_strdup (author);
  revision->summary = g_strdup (summary);
  revision->changes = g_ptr_array_new ();

  return revision;
}

static void
cb_change_free (CbChange *change)
{
  g_free (change->field);
  g_free (change->before);
  g_free (change->after);
  g_free (change);
}

void
cb_revision_add_change (CbRevision *revision,
                        const char *field,
                        const char *before,
                        const char *after)
{
  CbChange *change = g_new0 (CbChange, 1);

  change->field = g_strdup (field);
  change->before = g_strdup (before);
  change->after = g_strdup (after);
  g_ptr_array_add (revision->changes, change);
}

CbRevision *
cb_revision_copy (const CbRevision *revision)
{
  CbRevision *copy = cb_revision_new (revision->date, revision->author, revision->summary);

  for (guint i = 0; i < revision->changes->len; i++)
    {
      const CbChange *change = g_ptr_array_index (revision->changes, i);

      cb_revision_add_change (copy, change->field, change->before, change->after);
    }

  return copy;
}

void
cb_revision_free (CbRevision *revision)
{
  if (revision == NULL)
    return;

  g_free (revision->date);
  g_free (revision->author);
  g_free (revision->summary);
  for (guint i = 0; i < revision->changes->len; i++)
    cb_change_free (g_ptr_array_index (revision->changes, i));
  g_ptr_array_unref (revision->changes);
  g_free (revision);
}

static void
cb_item_finalize (GObject *object)
{
  CbItem *self = (CbItem *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->section, g_free);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->countries, g_ptr_array_unref);
  g_clear_pointer (&self->interventions, g_ptr_array_unref);
  g_clear_pointer (&self->design, g_free);
  g_clear_pointer (&self->parts, g_ptr_array_unref);
  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_pointer (&self->reference_note, g_free);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->field_names, g_strfreev);

  G_OBJECT_CLASS (cb_item_parent_class)->finalize (object);
}

static void
cb_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CbItem *self = CB_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_item_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CbItem *self = CB_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_KIND:
      self->kind = g_value_get_uint (value);
      break;

    case PROP_TITLE:
      cb_item_set_title (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      cb_item_set_status (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_item_class_init (CbItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_item_finalize;
  object_class->get_property = cb_item_get_property;
  object_class->set_property = cb_item_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, 0, CB_N_ITEM_KINDS - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, CB_ITEM_STATUS_RETIRED, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_item_init (CbItem *self)
{
  self->origin = g_strdup ("guide");
  self->countries = g_ptr_array_new_with_free_func (g_free);
  self->interventions = g_ptr_array_new_with_free_func (g_free);
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_part_free);
  self->references = g_ptr_array_new_with_free_func (g_free);
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_revision_free);
}

CbItem *
cb_item_new (const char *id,
             CbItemKind  kind)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (kind < CB_N_ITEM_KINDS, NULL);

  return g_object_new (CB_TYPE_ITEM, "id", id, "kind", kind, NULL);
}

static void
copy_strings (GPtrArray *from,
              GPtrArray *to)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

/**
 * cb_item_copy:
 * @self: an item
 *
 * Returns: (transfer full): a deep copy of @self
 */
CbItem *
cb_item_copy (CbItem *self)
{
  CbItem *copy;

  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  copy = cb_item_new (self->id, self->kind);
  copy->number = g_strdup (self->number);
  copy->title = g_strdup (self->title);
  copy->chapter = self->chapter;
  copy->section = g_strdup (self->section);
  copy->page = self->page;
  g_free (copy->origin);
  copy->origin = g_strdup (self->origin);
  copy->status = self->status;
  copy_strings (self->countries, copy->countries);
  copy_strings (self->interventions, copy->interventions);
  copy->design = g_strdup (self->design);
  for (guint i = 0; i < self->parts->len; i++)
    g_ptr_array_add (copy->parts, cb_part_copy (g_ptr_array_index (self->parts, i)));
  copy_strings (self->references, copy->references);
  copy->reference_note = g_strdup (self->reference_note);
  for (guint i = 0; i < self->history->len; i++)
    g_ptr_array_add (copy->history, cb_revision_copy (g_ptr_array_index (self->history, i)));

  return copy;
}

const char *
cb_item_get_id (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->id;
}

CbItemKind
cb_item_get_kind (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), 0);

  return self->kind;
}

const char *
cb_item_get_number (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->number;
}

void
cb_item_set_number (CbItem     *self,
                    const char *number)
{
  g_return_if_fail (CB_IS_ITEM (self));

  g_free (self->number);
  self->number = g_strdup (number);
}

const char *
cb_item_get_title (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->title;
}

void
cb_item_set_title (CbItem     *self,
                   const char *title)
{
  g_return_if_fail (CB_IS_ITEM (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

guint
cb_item_get_chapter (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), 0);

  return self->chapter;
}

void
cb_item_set_chapter (CbItem *self,
                     guint   chapter)
{
  g_return_if_fail (CB_IS_ITEM (self));

  self->chapter = chapter;
}

const char *
cb_item_get_section (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->section;
}

void
cb_item_set_section (CbItem     *self,
                     const char *section)
{
  g_return_if_fail (CB_IS_ITEM (self));

  g_free (self->section);
  self->section = g_strdup (section);
}

guint
cb_item_get_page (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), 0);

  return self->page;
}

void
cb_item_set_page (CbItem *self,
                  guint   page)
{
  g_return_if_fail (CB_IS_ITEM (self));

  self->page = page;
}

/**
 * cb_item_get_origin:
 * @self: an item
 *
 * Returns: "guide" for items the importer made from the guide text, "local"
 *   for items a librarian added
 */
const char *
cb_item_get_origin (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->origin;
}

void
cb_item_set_origin (CbItem     *self,
                    const char *origin)
{
  g_return_if_fail (CB_IS_ITEM (self));
  g_return_if_fail (origin != NULL);

  g_free (self->origin);
  self->origin = g_strdup (origin);
}

CbItemStatus
cb_item_get_status (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), CB_ITEM_STATUS_ACTIVE);

  return self->status;
}

void
cb_item_set_status (CbItem       *self,
                    CbItemStatus  status)
{
  g_return_if_fail (CB_IS_ITEM (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static gboolean
strings_contain (GPtrArray  *strings,
                 const char *str)
{
  for (guint i = 0; i < strings->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (strings, i), str) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * cb_item_get_countries:
 * @self: an item
 *
 * Returns: (transfer none) (element-type utf8): ISO 3166-1 alpha-2 codes,
 *   or `INT` for international evidence
 */
GPtrArray *
cb_item_get_countries (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->countries;
}

void
cb_item_add_country (CbItem     *self,
                     const char *code)
{
  g_return_if_fail (CB_IS_ITEM (self));
  g_return_if_fail (code != NULL);

  if (!strings_contain (self->countries, code))
    g_ptr_array_add (self->countries, g_strdup (code));
}

/**
 * cb_item_get_interventions:
 * @self: an item
 *
 * Returns: (transfer none) (element-type utf8): intervention type ids
 */
GPtrArray *
cb_item_get_interventions (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->interventions;
}

void
cb_item_add_intervention (CbItem     *self,
                          const char *id)
{
  g_return_if_fail (CB_IS_ITEM (self));
  g_return_if_fail (id != NULL);

  if (!strings_contain (self->interventions, id))
    g_ptr_array_add (self->interventions, g_strdup (id));
}

const char *
cb_item_get_design (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->design;
}

void
cb_item_set_design (CbItem     *self,
                    const char *design)
{
  g_return_if_fail (CB_IS_ITEM (self));

  g_free (self->design);
  self->design = g_strdup (design);
}

/**
 * cb_item_clear_metadata:
 * @self: an item
 *
 * Drops countries, intervention types and design.
 */
void
cb_item_clear_metadata (CbItem *self)
{
  g_return_if_fail (CB_IS_ITEM (self));

  g_ptr_array_set_size (self->countries, 0);
  g_ptr_array_set_size (self->interventions, 0);
  g_clear_pointer (&self->design, g_free);
}

/**
 * cb_item_get_parts:
 * @self: an item
 *
 * Returns: (transfer none) (element-type CbPart): the parts in order
 */
GPtrArray *
cb_item_get_parts (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->parts;
}

/**
 * cb_item_get_part:
 * @self: an item
 * @name: a part name
 *
 * Returns: (transfer none) (nullable): the part called @name
 */
CbPart *
cb_item_get_part (CbItem     *self,
                  const char *name)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  for (guint i = 0; i < self->parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (self->parts, i);

      if (g_strcmp0 (part->name, name) == 0)
        return part;
    }

  return NULL;
}

void
cb_item_add_part (CbItem *self,
                  CbPart *part)
{
  g_return_if_fail (CB_IS_ITEM (self));
  g_return_if_fail (part != NULL);

  g_ptr_array_add (self->parts, part);
}

/**
 * cb_item_get_references:
 * @self: an item
 *
 * Returns: (transfer none) (element-type utf8): ids of the references the
 *   item cites, in the order the guide lists them
 */
GPtrArray *
cb_item_get_references (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->references;
}

void
cb_item_add_reference (CbItem     *self,
                       const char *reference_id)
{
  g_return_if_fail (CB_IS_ITEM (self));
  g_return_if_fail (reference_id != NULL);

  if (!strings_contain (self->references, reference_id))
    g_ptr_array_add (self->references, g_strdup (reference_id));
}

void
cb_item_clear_references (CbItem *self)
{
  g_return_if_fail (CB_IS_ITEM (self));

  g_ptr_array_set_size (self->references, 0);
}

gboolean
cb_item_cites (CbItem     *self,
               const char *reference_id)
{
  g_return_val_if_fail (CB_IS_ITEM (self), FALSE);

  return strings_contain (self->references, reference_id);
}

/**
 * cb_item_get_reference_note:
 * @self: an item
 *
 * Returns: (nullable): the text the guide's reference list gives in place of
 *   a citation ("Requires a reference from ...")
 */
const char *
cb_item_get_reference_note (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->reference_note;
}

void
cb_item_set_reference_note (CbItem     *self,
                            const char *note)
{
  g_return_if_fail (CB_IS_ITEM (self));

  g_free (self->reference_note);
  self->reference_note = g_strdup (note);
}

/**
 * cb_item_get_history:
 * @self: an item
 *
 * Returns: (transfer none) (element-type CbRevision): revisions, oldest first
 */
GPtrArray *
cb_item_get_history (CbItem *self)
{
  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  return self->history;
}

void
cb_item_add_revision (CbItem     *self,
                      CbRevision *revision)
{
  g_return_if_fail (CB_IS_ITEM (self));
  g_return_if_fail (revision != NULL);

  g_ptr_array_add (self->history, revision);
}

/**
 * cb_item_get_part_text:
 * @self: an item
 * @name: a part name
 *
 * Returns: (transfer full) (nullable): the part as plain text, or %NULL if
 *   the item has no such part
 */
char *
cb_item_get_part_text (CbItem     *self,
                       const char *name)
{
  CbPart *part;
  GString *out;

  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  if ((part = cb_item_get_part (self, name)) == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < part->blocks->len; i++)
    cb_block_append_text (g_ptr_array_index (part->blocks, i), out);

  return g_string_free (out, FALSE);
}

/**
 * cb_item_get_text:
 * @self: an item
 *
 * Returns: (transfer full): the title and every part as plain text
 */
char *
cb_item_get_text (CbItem *self)
{
  GString *out;

  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  out = g_string_new (self->title);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < self->parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (self->parts, i);

      for (guint j = 0; j < part->blocks->len; j++)
        cb_block_append_text (g_ptr_array_index (part->blocks, j), out);
    }

  return g_string_free (out, FALSE);
}

/**
 * cb_item_same_text:
 * @self: an item
 * @other: another item
 *
 * Returns: %TRUE if the two items have the same title and structured text
 */
gboolean
cb_item_same_text (CbItem *self,
                   CbItem *other)
{
  g_return_val_if_fail (CB_IS_ITEM (self), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (other), FALSE);

  if (g_strcmp0 (self->title, other->title) != 0 || self->parts->len != other->parts->len)
    return FALSE;

  for (guint i = 0; i < self->parts->len; i++)
    {
      if (!cb_part_equal (g_ptr_array_index (self->parts, i), g_ptr_array_index (other->parts, i)))
        return FALSE;
    }

  return TRUE;
}

/* Fields: the item as named pieces of text, for editing one at a time,
 * recording history and comparing editions */

static const char *base_fields[] = {
  "title", "number", "chapter", "section", "page", "status", "countries",
  "interventions", "design", "references", "reference_note",
};

#define PART_PREFIX "part:"

/**
 * cb_item_get_field_names:
 * @self: an item
 *
 * The fields a librarian can edit, in display order: "title", "number",
 * "chapter", "section", "page", "status", "countries", "interventions",
 * "design", "references", "reference_note", then "part:<name>" for each
 * part the item has.
 *
 * Returns: (transfer none) (array zero-terminated=1): the names, valid until
 *   the item's parts change
 */
const char * const *
cb_item_get_field_names (CbItem *self)
{
  guint n_base = G_N_ELEMENTS (base_fields);
  gboolean same;
  GStrvBuilder *builder;

  g_return_val_if_fail (CB_IS_ITEM (self), NULL);

  same = self->field_names != NULL && g_strv_length (self->field_names) == n_base + self->parts->len;
  for (guint i = 0; same && i < self->parts->len; i++)
    {
      const CbPart *part = g_ptr_array_index (self->parts, i);

      same = g_str_has_prefix (self->field_names[n_base + i], PART_PREFIX) &&
             g_strcmp0 (self->field_names[n_base + i] + strlen (PART_PREFIX), part->name) == 0;
    }

  if (same)
    return (const char * const *) self->field_names;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n_base; i++)
    g_strv_builder_add (builder, base_fields[i]);
  for (guint i = 0; i < self->parts->len; i++)
    {
      const CbPart *part = g_ptr_array_index (self->parts, i);
      g_autofree char *name = g_strconcat (PART_PREFIX, part->name ? part->name : "", NULL);

      g_strv_builder_add (builder, name);
    }

  g_strfreev (self->field_names);
  self->field_names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return (const char * const *) self->field_names;
}

static char *
join_strings (GPtrArray *strings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (strings, i));
    }

  return g_string_free (out, FALSE);
}

/* The part name of a "part:<name>" field, or NULL */
static const char *
field_part_name (const char *field)
{
  if (!g_str_has_prefix (field, PART_PREFIX))
    return NULL;

  return field + strlen (PART_PREFIX);
}

/**
 * cb_item_dup_field:
 * @self: an item
 * @field: a field name (see cb_item_get_field_names())
 *
 * Returns: (transfer full) (nullable): the field as text: "" when empty,
 *   numbers in decimal ("" for none), the status "active" or "retired",
 *   lists joined with ", ", a part in the text form of cb_part_to_text()
 *   ("" when the item lacks it); %NULL for an unknown field
 */
char *
cb_item_dup_field (CbItem     *self,
                   const char *field)
{
  const char *part_name;

  g_return_val_if_fail (CB_IS_ITEM (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

#define STRING_FIELD(name) \
  if (g_str_equal (field, #name)) \
    return g_strdup (self->name ? self->name : "");
#define UINT_FIELD(name) \
  if (g_str_equal (field, #name)) \
    return self->name ? g_strdup_printf ("%u", self->name) : g_strdup ("");

  STRING_FIELD (title)
  STRING_FIELD (number)
  UINT_FIELD (chapter)
  STRING_FIELD (section)
  UINT_FIELD (page)
  STRING_FIELD (design)
  STRING_FIELD (reference_note)

#undef STRING_FIELD
#undef UINT_FIELD

  if (g_str_equal (field, "status"))
    return g_strdup (self->status == CB_ITEM_STATUS_RETIRED ? "retired" : "active");
  if (g_str_equal (field, "countries"))
    return join_strings (self->countries);
  if (g_str_equal (field, "interventions"))
    return join_strings (self->interventions);
  if (g_str_equal (field, "references"))
    return join_strings (self->references);

  if ((part_name = field_part_name (field)) != NULL && cb_part_name_is_known (part_name))
    {
      CbPart *part = cb_item_get_part (self, part_name);

      return part ? cb_part_to_text (part) : g_strdup ("");
    }

  return NULL;
}

/* Puts @part (transfer full) in place of the item's part called @name,
 * or in the canonical order when the item lacks one; %NULL removes it */
static void
put_part (CbItem     *self,
          const char *name,
          CbPart     *part)
{
  int order = cb_part_name_order (name);
  guint index;

  for (index = 0; index < self->parts->len; index++)
    {
      if (g_strcmp0 (((CbPart *) g_ptr_array_index (self->parts, index))->name, name) == 0)
        break;
    }

  if (index < self->parts->len)
    {
      if (part != NULL)
        {
          cb_part_free (self->parts->pdata[index]);
          self->parts->pdata[index] = part;
        }
      else
        g_ptr_array_remove_index (self->parts, index);
      return;
    }

  if (part == NULL)
    return;

  for (index = 0; index < self->parts->len; index++)
    {
      int other = cb_part_name_order (((CbPart *) g_ptr_array_index (self->parts, index))->name);

      if (order >= 0 && (other < 0 || other > order))
        break;
    }

  g_ptr_array_insert (self->parts, index, part);
}

static gboolean
is_single_line (const char *value)
{
  return strpbrk (value, "\r\n") == NULL;
}

static gboolean
parse_count (const char  *field,
             const char  *value,
             guint       *out,
             GError     **error)
{
  guint64 number = 0;

  if (*value == '\0')
    {
      *out = 0;
      return TRUE;
    }

  for (const char *p = value; *p; p++)
    {
      if (!g_ascii_isdigit (*p) || number > G_MAXUINT / 10)
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       /* Translators: the first %s is a field name ("page") */
                       _("The %s must be a whole number, not “%s”"), field, value);
          return FALSE;
        }
      number = number * 10 + (*p - '0');
    }

  if (number > G_MAXUINT)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The %s “%s” is too large"), field, value);
      return FALSE;
    }

  *out = (guint) number;

  return TRUE;
}

static GPtrArray *
parse_list (const char  *field,
            const char  *value,
            GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit_set (value, ", \t\r\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;

      for (guint j = 0; j < list->len; j++)
        {
          if (g_str_equal (g_ptr_array_index (list, j), words[i]))
            {
              g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                           /* Translators: the second %s is a field name ("countries") */
                           _("“%s” is listed twice in %s"), words[i], field);
              return NULL;
            }
        }

      g_ptr_array_add (list, g_strdup (words[i]));
    }

  return g_steal_pointer (&list);
}

static void
replace_strings (GPtrArray *strings,
                 GPtrArray *with)
{
  g_ptr_array_set_size (strings, 0);
  copy_strings (with, strings);
}

/**
 * cb_item_set_field:
 * @self: an item
 * @field: a field name (see cb_item_get_field_names())
 * @value: the new value as text, in the form cb_item_dup_field() gives
 * @error: return location for a #GError
 *
 * Sets one field from text. Only the syntax is checked here (a title is
 * one non-empty line, chapter and page are whole numbers, the status is
 * "active" or "retired", lists have no entry twice, the design is one
 * term, part text reads); whether a country code is known or a number is
 * taken is for cb_corpus_check(). Lists are split on commas and blanks.
 * An empty part text removes the part; a known part the item lacks is
 * added in the canonical order.
 *
 * Returns: %TRUE if the field was set; %FALSE with %CB_ERROR_INVALID, the
 *   item unchanged
 */
gboolean
cb_item_set_field (CbItem      *self,
                   const char  *field,
                   const char  *value,
                   GError     **error)
{
  g_autofree char *text = NULL;
  const char *part_name;

  g_return_val_if_fail (CB_IS_ITEM (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The %s is not valid UTF-8"), field);
      return FALSE;
    }

  if ((part_name = field_part_name (field)) != NULL)
    {
      g_autoptr(CbPart) part = NULL;
      g_autofree char *stripped = g_strstrip (g_strdup (value));

      if (!cb_part_name_is_known (part_name))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("Unknown field “%s”"), field);
          return FALSE;
        }

      if (stripped[0] != '\0' && (part = cb_part_from_text (part_name, value, error)) == NULL)
        return FALSE;

      put_part (self, part_name, g_steal_pointer (&part));
      return TRUE;
    }

  text = g_strstrip (g_strdup (value));

  if (g_str_equal (field, "title"))
    {
      if (text[0] == '\0')
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The title cannot be empty"));
          return FALSE;
        }
      if (!is_single_line (text))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The title must be a single line"));
          return FALSE;
        }
      cb_item_set_title (self, text);
    }
  else if (g_str_equal (field, "number") || g_str_equal (field, "section") ||
           g_str_equal (field, "design"))
    {
      if (!is_single_line (text))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("The %s must be a single line"), field);
          return FALSE;
        }
      if (g_str_equal (field, "design") && strpbrk (text, " \t,") != NULL)
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       _("The design is one term (“randomised-trial”), not “%s”"), text);
          return FALSE;
        }

      if (g_str_equal (field, "number"))
        cb_item_set_number (self, text[0] ? text : NULL);
      else if (g_str_equal (field, "section"))
        cb_item_set_section (self, text[0] ? text : NULL);
      else
        cb_item_set_design (self, text[0] ? text : NULL);
    }
  else if (g_str_equal (field, "chapter") || g_str_equal (field, "page"))
    {
      guint number;

      if (!parse_count (field, text, &number, error))
        return FALSE;

      if (g_str_equal (field, "chapter"))
        cb_item_set_chapter (self, number);
      else
        cb_item_set_page (self, number);
    }
  else if (g_str_equal (field, "status"))
    {
      if (g_ascii_strcasecmp (text, "active") == 0)
        cb_item_set_status (self, CB_ITEM_STATUS_ACTIVE);
      else if (g_ascii_strcasecmp (text, "retired") == 0)
        cb_item_set_status (self, CB_ITEM_STATUS_RETIRED);
      else
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       _("The status is “active” or “retired”, not “%s”"), text);
          return FALSE;
        }
    }
  else if (g_str_equal (field, "countries") || g_str_equal (field, "interventions") ||
           g_str_equal (field, "references"))
    {
      g_autoptr(GPtrArray) list = parse_list (field, text, error);

      if (list == NULL)
        return FALSE;

      replace_strings (g_str_equal (field, "countries") ? self->countries :
                       g_str_equal (field, "interventions") ? self->interventions : self->references,
                       list);
    }
  else if (g_str_equal (field, "reference_note"))
    cb_item_set_reference_note (self, text[0] ? text : NULL);
  else
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("Unknown field “%s”"), field);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_item_copy_field:
 * @self: an item
 * @from: another item
 * @field: a field name
 *
 * Gives @self the value @from has in @field, without going through text
 * (a "part:<name>" @from lacks is removed).
 *
 * Returns: %FALSE for an unknown field
 */
gboolean
cb_item_copy_field (CbItem     *self,
                    CbItem     *from,
                    const char *field)
{
  const char *part_name;

  g_return_val_if_fail (CB_IS_ITEM (self), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (from), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (g_str_equal (field, "title"))
    cb_item_set_title (self, from->title);
  else if (g_str_equal (field, "number"))
    cb_item_set_number (self, from->number);
  else if (g_str_equal (field, "chapter"))
    cb_item_set_chapter (self, from->chapter);
  else if (g_str_equal (field, "section"))
    cb_item_set_section (self, from->section);
  else if (g_str_equal (field, "page"))
    cb_item_set_page (self, from->page);
  else if (g_str_equal (field, "status"))
    cb_item_set_status (self, from->status);
  else if (g_str_equal (field, "countries"))
    replace_strings (self->countries, from->countries);
  else if (g_str_equal (field, "interventions"))
    replace_strings (self->interventions, from->interventions);
  else if (g_str_equal (field, "design"))
    cb_item_set_design (self, from->design);
  else if (g_str_equal (field, "references"))
    replace_strings (self->references, from->references);
  else if (g_str_equal (field, "reference_note"))
    cb_item_set_reference_note (self, from->reference_note);
  else if ((part_name = field_part_name (field)) != NULL && cb_part_name_is_known (part_name))
    {
      CbPart *part = cb_item_get_part (from, part_name);

      put_part (self, part_name, part ? cb_part_copy (part) : NULL);
    }
  else
    return FALSE;

  return TRUE;
}

static gboolean
same_field (CbItem     *self,
            CbItem     *other,
            const char *field)
{
  g_autofree char *a = cb_item_dup_field (self, field);
  g_autofree char *b = cb_item_dup_field (other, field);

  return g_strcmp0 (a, b) == 0;
}

/**
 * cb_item_same_fields:
 * @self: an item
 * @other: another item
 *
 * Returns: %TRUE if every field (see cb_item_get_field_names()) of the two
 *   items has the same text; history, id, kind and origin are not fields
 */
gboolean
cb_item_same_fields (CbItem *self,
                     CbItem *other)
{
  g_return_val_if_fail (CB_IS_ITEM (self), FALSE);
  g_return_val_if_fail (CB_IS_ITEM (other), FALSE);

  for (guint pass = 0; pass < 2; pass++)
    {
      CbItem *item = pass == 0 ? self : other;
      const char * const *names = cb_item_get_field_names (item);

      for (guint i = 0; names[i] != NULL; i++)
        {
          if (!same_field (self, other, names[i]))
            return FALSE;
        }
    }

  return TRUE;
}
