/* cb-pack.c: an evidence pack: a named, ordered and annotated selection of
 * corpus items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-error.h"
#include "cb-pack.h"

#define CB_PACK_NAME_MAX 200

struct _CbPack {
  GObject    parent_instance;

  gint64     id;
  char      *name;
  char      *description;
  char      *audience;
  char      *date;
  char      *created;
  char      *modified;
  GPtrArray *entries;
};

G_DEFINE_FINAL_TYPE (CbPack, cb_pack, G_TYPE_OBJECT)

/**
 * cb_pack_entry_new:
 * @item_id: the item id
 * @label: (nullable): what the item is called ("Case study 4.2.4")
 * @title: (nullable): the item's title
 * @note: (nullable): the user's note
 *
 * Returns: (transfer full): a new entry
 */
CbPackEntry *
cb_pack_entry_new (const char *item_id,
                   const char *label,
                   const char *title,
                   const char *note)
{
  CbPackEntry *entry;

  g_return_val_if_fail (item_id != NULL, NULL);

  entry = g_new0 (CbPackEntry, 1);
  entry->item_id = g_strdup (item_id);
  entry->label = g_strdup (label ? label : "");
  entry->title = g_strdup (title ? title : "");
  entry->note = g_strdup (note ? note : "");

  return entry;
}

CbPackEntry *
cb_pack_entry_copy (const CbPackEntry *entry)
{
  g_return_val_if_fail (entry != NULL, NULL);

  return cb_pack_entry_new (entry->item_id, entry->label, entry->title, entry->note);
}

void
cb_pack_entry_free (CbPackEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->item_id);
  g_free (entry->label);
  g_free (entry->title);
  g_free (entry->note);
  g_free (entry);
}

static void
cb_pack_finalize (GObject *object)
{
  CbPack *self = CB_PACK (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->audience, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->created, g_free);
  g_clear_pointer (&self->modified, g_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (cb_pack_parent_class)->finalize (object);
}

static void
cb_pack_class_init (CbPackClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_pack_finalize;
}

static void
cb_pack_init (CbPack *self)
{
  self->name = g_strdup ("");
  self->description = g_strdup ("");
  self->audience = g_strdup ("");
  self->date = g_strdup ("");
  self->created = g_strdup ("");
  self->modified = g_strdup ("");
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_pack_entry_free);
}

/**
 * cb_pack_new:
 * @name: the pack's name
 *
 * Returns: (transfer full): an empty pack, not yet stored (its id is 0)
 */
CbPack *
cb_pack_new (const char *name)
{
  CbPack *self = g_object_new (CB_TYPE_PACK, NULL);

  cb_pack_set_name (self, name);

  return self;
}

/**
 * cb_pack_copy:
 * @self: a pack
 *
 * Returns: (transfer full): a deep copy, with the same id
 */
CbPack *
cb_pack_copy (CbPack *self)
{
  CbPack *copy;

  g_return_val_if_fail (CB_IS_PACK (self), NULL);

  copy = cb_pack_new (self->name);
  copy->id = self->id;
  cb_pack_set_description (copy, self->description);
  cb_pack_set_audience (copy, self->audience);
  cb_pack_set_date (copy, self->date);
  cb_pack_set_created (copy, self->created);
  cb_pack_set_modified (copy, self->modified);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (copy->entries, cb_pack_entry_copy (g_ptr_array_index (self->entries, i)));

  return copy;
}

gint64
cb_pack_get_id (CbPack *self)
{
  g_return_val_if_fail (CB_IS_PACK (self), 0);

  return self->id;
}

void
cb_pack_set_id (CbPack *self,
                gint64  id)
{
  g_return_if_fail (CB_IS_PACK (self));

  self->id = id;
}

#define STRING_ACCESSORS(field)                                     \
  const char *                                                      \
  cb_pack_get_##field (CbPack *self)                                \
  {                                                                 \
    g_return_val_if_fail (CB_IS_PACK (self), NULL);                 \
    return self->field;                                             \
  }                                                                 \
                                                                    \
  void                                                              \
  cb_pack_set_##field (CbPack     *self,                            \
                       const char *value)                           \
  {                                                                 \
    g_return_if_fail (CB_IS_PACK (self));                           \
    g_free (self->field);                                           \
    self->field = g_strdup (value ? value : "");                    \
  }

const char *
cb_pack_get_name (CbPack *self)
{
  g_return_val_if_fail (CB_IS_PACK (self), NULL);

  return self->name;
}

/**
 * cb_pack_set_name:
 * @self: a pack
 * @name: (nullable): its name; spaces around it are dropped
 */
void
cb_pack_set_name (CbPack     *self,
                  const char *name)
{
  g_return_if_fail (CB_IS_PACK (self));

  g_free (self->name);
  self->name = g_strstrip (g_strdup (name ? name : ""));
}

STRING_ACCESSORS (description)
STRING_ACCESSORS (audience)
STRING_ACCESSORS (date)
STRING_ACCESSORS (created)
STRING_ACCESSORS (modified)

#undef STRING_ACCESSORS

/**
 * cb_pack_get_entries:
 * @self: a pack
 *
 * Returns: (transfer none) (element-type CbPackEntry): the entries in order
 */
GPtrArray *
cb_pack_get_entries (CbPack *self)
{
  g_return_val_if_fail (CB_IS_PACK (self), NULL);

  return self->entries;
}

guint
cb_pack_get_n_entries (CbPack *self)
{
  g_return_val_if_fail (CB_IS_PACK (self), 0);

  return self->entries->len;
}

CbPackEntry *
cb_pack_get_entry (CbPack *self,
                   guint   position)
{
  g_return_val_if_fail (CB_IS_PACK (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return g_ptr_array_index (self->entries, position);
}

/**
 * cb_pack_lookup_entry:
 * @self: a pack
 * @item_id: an item id
 * @position: (out) (optional): where the entry is
 *
 * Returns: (transfer none) (nullable): the entry for @item_id
 */
CbPackEntry *
cb_pack_lookup_entry (CbPack     *self,
                      const char *item_id,
                      guint      *position)
{
  g_return_val_if_fail (CB_IS_PACK (self), NULL);
  g_return_val_if_fail (item_id != NULL, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->item_id, item_id))
        {
          if (position != NULL)
            *position = i;
          return entry;
        }
    }

  return NULL;
}

/**
 * cb_pack_add_entry:
 * @self: a pack
 * @entry: (transfer full): an entry, appended
 */
void
cb_pack_add_entry (CbPack      *self,
                   CbPackEntry *entry)
{
  g_return_if_fail (CB_IS_PACK (self));
  g_return_if_fail (entry != NULL);

  g_ptr_array_add (self->entries, entry);
}

/**
 * cb_pack_name_is_valid:
 * @name: a proposed pack name
 * @error: set to %CB_ERROR_INVALID with the reason
 *
 * A name is one line of at most 200 characters with something in it.
 */
gboolean
cb_pack_name_is_valid (const char  *name,
                       GError     **error)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID, _("A pack name must be text"));
      return FALSE;
    }

  stripped = g_strstrip (g_strdup (name));
  if (*stripped == '\0')
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID, _("A pack needs a name"));
      return FALSE;
    }

  if (strpbrk (name, "\n\r\t") != NULL)
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID, _("A pack name must fit on one line"));
      return FALSE;
    }

  if (g_utf8_strlen (name, -1) > CB_PACK_NAME_MAX)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   ngettext ("A pack name can have at most %d character",
                             "A pack name can have at most %d characters", CB_PACK_NAME_MAX),
                   CB_PACK_NAME_MAX);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_pack_date_is_valid:
 * @date: "" or a calendar date as "YYYY-MM-DD"
 *
 * Returns: whether @date is empty or a real date
 */
gboolean
cb_pack_date_is_valid (const char *date)
{
  unsigned year, month, day;

  if (date == NULL || *date == '\0')
    return TRUE;

  /* Exactly four, two and two ASCII digits: sscanf() alone would take signs,
   * spaces and one-digit fields ("2026-+2- 3"). */
  if (strlen (date) != 10 || date[4] != '-' || date[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
        return FALSE;
    }

  year = g_ascii_digit_value (date[0]) * 1000 + g_ascii_digit_value (date[1]) * 100 +
         g_ascii_digit_value (date[2]) * 10 + g_ascii_digit_value (date[3]);
  month = g_ascii_digit_value (date[5]) * 10 + g_ascii_digit_value (date[6]);
  day = g_ascii_digit_value (date[8]) * 10 + g_ascii_digit_value (date[9]);

  return g_date_valid_dmy (day, month, year);
}
