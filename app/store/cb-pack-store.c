/* cb-pack-store.c: the user's evidence packs, kept in their own SQLite
 * database beside the index, which a re-index never touches
 *
 * Every change is one IMMEDIATE transaction with synchronous=FULL, so a
 * crash or a kill leaves each pack as it was before the change or after it,
 * never in between.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-pack-store.h"
#include "cb-xml.h"

struct _CbPackStore {
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (CbPackStore, cb_pack_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *migrations[] = {
  /* 1 */
  /* AUTOINCREMENT: a new pack never takes the id of a deleted one, so
   * saving the deleted pack back (undo) cannot replace the new one. */
  "CREATE TABLE packs ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  description TEXT NOT NULL DEFAULT '',"
  "  audience TEXT NOT NULL DEFAULT '',"
  "  date TEXT NOT NULL DEFAULT '',"
  "  created TEXT NOT NULL,"
  "  modified TEXT NOT NULL);"
  "CREATE TABLE pack_items ("
  "  pack_id INTEGER NOT NULL REFERENCES packs (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  item_id TEXT NOT NULL,"
  "  label TEXT NOT NULL DEFAULT '',"
  "  title TEXT NOT NULL DEFAULT '',"
  "  note TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (pack_id, item_id)) WITHOUT ROWID;"
  "CREATE INDEX pack_items_order ON pack_items (pack_id, position);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CB_PACK_STORE_SCHEMA_VERSION);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Errors */

static gboolean
set_sqlite_error (CbPackStore  *self,
                  int           rc,
                  GError      **error)
{
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CB_ERROR, CB_ERROR_NO_SPACE,
                   _("Your packs could not be saved in “%s”: the disk is full. Nothing was changed."),
                   self->path);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      g_set_error (error, CB_ERROR, CB_ERROR_READ_ONLY,
                   _("Your packs in “%s” cannot be written: %s"), self->path, detail);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT,
                   _("Your packs database “%s” is damaged (%s). Casebook has not changed or "
                     "removed it; keep a copy before you try to repair it."),
                   self->path, detail);
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT, _("The change clashes with another pack: %s"), detail);
      break;
    default:
      g_set_error (error, CB_ERROR, CB_ERROR_IO, _("Your packs in “%s” could not be used: %s"),
                   self->path, detail);
      break;
    }

  return FALSE;
}

/* Refuses bytes that are not UTF-8, which would break the window and the
 * exported documents later. */
static gboolean
check_text (const char  *text,
            GError     **error)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID, _("A pack can only hold text"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
exec (CbPackStore  *self,
      const char   *sql,
      GError      **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, error);

  return TRUE;
}

/* Prepares @sql and binds the arguments that follow it: a type character
 * ('i' for gint64, 's' for a string) and the value, ending with 0. */
static sqlite3_stmt *
prepare (CbPackStore  *self,
         GError      **error,
         const char   *sql,
         ...)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  va_list args;
  int type;
  int n = 1;

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  va_start (args, sql);
  while ((type = va_arg (args, int)) != 0)
    {
      if (type == 'i')
        rc = sqlite3_bind_int64 (stmt, n++, va_arg (args, gint64));
      else
        rc = sqlite3_bind_text (stmt, n++, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
      if (rc != SQLITE_OK)
        break;
    }
  va_end (args);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

/* Steps a statement that returns no rows. */
static gboolean
run (CbPackStore   *self,
     sqlite3_stmt  *stmt,
     GError       **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);

  return TRUE;
}

static gboolean
begin (CbPackStore  *self,
       GError      **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (CbPackStore  *self,
        gint64        pack_id,
        GError      **error)
{
  if (!exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  g_signal_emit (self, signals[CHANGED], 0, pack_id);

  return TRUE;
}

static void
rollback (CbPackStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
cb_pack_store_finalize (GObject *object)
{
  CbPackStore *self = CB_PACK_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cb_pack_store_parent_class)->finalize (object);
}

static void
cb_pack_store_class_init (CbPackStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_pack_store_finalize;

  /**
   * CbPackStore::changed:
   * @self: the store
   * @pack_id: the pack that changed, was created or was deleted
   *
   * Emitted after every committed change.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
cb_pack_store_init (CbPackStore *self)
{
}

/**
 * cb_pack_store_get_default_path:
 * @index_path: (nullable): the search index in use
 *
 * Returns: (transfer full): `$CASEBOOK_USER_DB` if set, else `user.sqlite`
 *   in the folder of @index_path, else in the user data folder
 *   (`~/.local/share/casebook/user.sqlite`)
 */
char *
cb_pack_store_get_default_path (const char *index_path)
{
  const char *env = g_getenv ("CASEBOOK_USER_DB");
  g_autofree char *dir = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  if (index_path != NULL)
    {
      dir = g_path_get_dirname (index_path);
      return g_build_filename (dir, "user.sqlite", NULL);
    }

  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, "user.sqlite", NULL);
}

static gboolean
read_version (CbPackStore  *self,
              int          *version,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, error, "PRAGMA user_version", 0);
  int rc;

  if (stmt == NULL)
    return FALSE;

  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);

  *version = sqlite3_column_int (stmt, 0);

  if (*version > CB_PACK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NEWER,
                   _("Your packs in “%s” were saved by a newer version of Casebook (format %d; this "
                     "version reads up to %d). Nothing was changed."),
                   self->path, *version, CB_PACK_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (CbPackStore  *self,
         GError      **error)
{
  int version;

  if (!read_version (self, &version, error))
    return FALSE;

  if (version == CB_PACK_STORE_SCHEMA_VERSION)
    return TRUE;

  if (!begin (self, error))
    return FALSE;

  /* Read again under the write lock: another process opening the same new
   * database (the window and the command line on a first run) may have
   * created the tables meanwhile. */
  if (!read_version (self, &version, error))
    goto fail;

  for (int v = version; v < CB_PACK_STORE_SCHEMA_VERSION; v++)
    {
      /* Only our own constant SQL and a number are formatted in here. */
      g_autofree char *sql = g_strdup_printf ("%s PRAGMA user_version = %d;", migrations[v], v + 1);

      if (!exec (self, sql, error))
        goto fail;
    }

  if (!exec (self, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static gboolean
use_wal (CbPackStore  *self,
         GError      **error)
{
  int rc;

  /* Switching a new database to WAL needs an exclusive lock, which SQLite
   * takes without calling the busy handler: wait here, as long as the busy
   * timeout would, while another process opens the same new database. */
  for (guint attempt = 0; ; attempt++)
    {
      rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
      if ((rc & 0xff) != SQLITE_BUSY || attempt == 500)
        break;
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, error);

  return exec (self, "PRAGMA synchronous = FULL", error);
}

/* Whether to open @path as an immutable, read-only database: when the user
 * cannot write it (restored read-only from a backup, read-only media) and
 * it has no WAL with changes in it. Opened the usual way, SQLite would
 * leave -wal and -shm files beside it with its read-only mode, and those
 * would keep the packs read-only after the user made the file writable. */
static gboolean
must_open_immutable (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  if (g_access (path, F_OK) != 0 || g_access (path, W_OK) == 0)
    return FALSE;

  return g_stat (wal, &st) != 0 || st.st_size == 0;
}

static int
open_database (CbPackStore *self)
{
  g_autofree char *absolute = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *immutable = NULL;

  if (!must_open_immutable (self->path))
    return sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

  absolute = g_canonicalize_filename (self->path, NULL);
  uri = g_filename_to_uri (absolute, NULL, NULL);
  if (uri == NULL)
    return sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READONLY, NULL);

  immutable = g_strconcat (uri, "?immutable=1", NULL);

  return sqlite3_open_v2 (immutable, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
}

/**
 * cb_pack_store_open:
 * @path: (nullable): the database, or %NULL for the default
 * @error: return location for a #GError
 *
 * Opens or creates the packs database. A damaged database is reported
 * with %CB_ERROR_CORRUPT and left as it is; one from a newer Casebook with
 * %CB_ERROR_NEWER. One the user cannot write is opened for reading, and
 * each change to it fails with %CB_ERROR_READ_ONLY.
 *
 * Returns: (transfer full): the store
 */
CbPackStore *
cb_pack_store_open (const char  *path,
                    GError     **error)
{
  g_autoptr(CbPackStore) self = g_object_new (CB_TYPE_PACK_STORE, NULL);
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->path = path ? g_strdup (path) : cb_pack_store_get_default_path (NULL);
  dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      cb_set_error_from_errno (error, errno, self->path, _("create"));
      return NULL;
    }

  rc = open_database (self);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self, "PRAGMA foreign_keys = ON", error) || !migrate (self, error))
    return NULL;

  /* A read-only database is read as it is; its changes fail later, each
   * with a message that names it. */
  if (sqlite3_db_readonly (self->db, "main") != 1 && !use_wal (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cb_pack_store_get_path (CbPackStore *self)
{
  g_return_val_if_fail (CB_IS_PACK_STORE (self), NULL);

  return self->path;
}

static CbPack *
pack_from_row (sqlite3_stmt *stmt)
{
  CbPack *pack = cb_pack_new ((const char *) sqlite3_column_text (stmt, 1));

  cb_pack_set_id (pack, sqlite3_column_int64 (stmt, 0));
  cb_pack_set_description (pack, (const char *) sqlite3_column_text (stmt, 2));
  cb_pack_set_audience (pack, (const char *) sqlite3_column_text (stmt, 3));
  cb_pack_set_date (pack, (const char *) sqlite3_column_text (stmt, 4));
  cb_pack_set_created (pack, (const char *) sqlite3_column_text (stmt, 5));
  cb_pack_set_modified (pack, (const char *) sqlite3_column_text (stmt, 6));

  return pack;
}

#define PACK_COLUMNS "id, name, description, audience, date, created, modified"

static gboolean
load_entries (CbPackStore  *self,
              CbPack       *pack,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, error,
             "SELECT item_id, label, title, note FROM pack_items WHERE pack_id = ? ORDER BY position",
             'i', cb_pack_get_id (pack), 0);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    cb_pack_add_entry (pack, cb_pack_entry_new ((const char *) sqlite3_column_text (stmt, 0),
                                                (const char *) sqlite3_column_text (stmt, 1),
                                                (const char *) sqlite3_column_text (stmt, 2),
                                                (const char *) sqlite3_column_text (stmt, 3)));

  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);

  return TRUE;
}

/**
 * cb_pack_store_list:
 * @self: a store
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CbPack): every pack with its
 *   entries, by name
 */
GPtrArray *
cb_pack_store_list (CbPackStore  *self,
                    GError      **error)
{
  g_autoptr(GPtrArray) packs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* One read transaction, so the list is one consistent snapshot. */
  if (!exec (self, "BEGIN", error))
    return NULL;

  stmt = prepare (self, error, "SELECT " PACK_COLUMNS " FROM packs ORDER BY name COLLATE NOCASE, id", 0);
  if (stmt == NULL)
    {
      rollback (self);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (packs, pack_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      rollback (self);
      return NULL;
    }

  for (guint i = 0; i < packs->len; i++)
    {
      if (!load_entries (self, g_ptr_array_index (packs, i), error))
        {
          rollback (self);
          return NULL;
        }
    }

  rollback (self);

  return g_steal_pointer (&packs);
}

/**
 * cb_pack_store_load:
 * @self: a store
 * @pack_id: a pack
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the pack with its entries in order
 */
CbPack *
cb_pack_store_load (CbPackStore  *self,
                    gint64        pack_id,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CbPack) pack = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!exec (self, "BEGIN", error))
    return NULL;

  stmt = prepare (self, error, "SELECT " PACK_COLUMNS " FROM packs WHERE id = ?", 'i', pack_id, 0);
  if (stmt == NULL)
    goto out;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      pack = pack_from_row (stmt);
      if (!load_entries (self, pack, error))
        g_clear_object (&pack);
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no such pack"));
  else
    set_sqlite_error (self, rc, error);

out:
  rollback (self);

  return g_steal_pointer (&pack);
}

/* What two names must not share: the name without the spaces around it,
 * with case folded in every script, not only in ASCII as SQLite's NOCASE
 * does, so that no two packs look alike in the list. */
static char *
name_key (const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));
  g_autofree char *folded = NULL;

  if (!g_utf8_validate (stripped, -1, NULL))
    return g_steal_pointer (&stripped);

  folded = g_utf8_casefold (stripped, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_DEFAULT_COMPOSE);
}

/* Returns the id of the pack whose name is @name, or else one whose name
 * has the same key, or 0. */
static gint64
find_name (CbPackStore  *self,
           const char   *name,
           gint64        except_id,
           GError      **error)
{
  g_autofree char *key = name_key (name);
  g_autoptr(sqlite3_stmt) stmt = prepare (self, error, "SELECT id, name FROM packs WHERE id != ?",
                                          'i', except_id, 0);
  gint64 found = 0;
  int rc;

  if (stmt == NULL)
    return 0;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *other = (const char *) sqlite3_column_text (stmt, 1);
      g_autofree char *other_key = NULL;

      if (g_str_equal (other, name))
        return sqlite3_column_int64 (stmt, 0);

      other_key = name_key (other);
      if (found == 0 && g_strcmp0 (key, other_key) == 0)
        found = sqlite3_column_int64 (stmt, 0);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return 0;
    }

  return found;
}

/**
 * cb_pack_store_lookup:
 * @self: a store
 * @name: a pack name (any case)
 * @error: set to %CB_ERROR_NOT_FOUND when there is no such pack
 *
 * Returns: the pack's id, or 0
 */
gint64
cb_pack_store_lookup (CbPackStore  *self,
                      const char   *name,
                      GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  id = find_name (self, name, 0, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (id == 0)
    g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no pack called “%s”"), name);

  return id;
}

static gboolean
name_is_taken (CbPackStore *self,
               const char  *name,
               gint64       except_id)
{
  return find_name (self, name, except_id, NULL) != 0;
}

/* Puts @base where @pattern has a "\1", shortening @base as far as
 * needed for the result to stay a valid name ("A very long name (copy)"). */
static char *
fill_name (const char *pattern,
           const char *base)
{
  g_auto(GStrv) pieces = g_strsplit (pattern, "\1", 2);
  glong length = g_utf8_validate (base, -1, NULL) ? g_utf8_strlen (base, -1) : 0;
  char *name = g_strjoinv (base, pieces);

  for (glong keep = length - 1; keep > 0 && !cb_pack_name_is_valid (name, NULL); keep--)
    {
      g_autofree char *part = g_utf8_substring (base, 0, keep);

      g_free (name);
      name = g_strjoinv (g_strchomp (part), pieces);
    }

  return name;
}

/* Fills @pattern with @base, then with "@pattern (2)", "@pattern (3)" ...
 * until no pack has the name. */
static char *
dup_free_name_with (CbPackStore *self,
                    const char  *pattern,
                    const char  *base)
{
  g_autofree char *name = fill_name (pattern, base);

  if (!name_is_taken (self, name, 0))
    return g_steal_pointer (&name);

  for (guint n = 2; ; n++)
    {
      /* Translators: a pack name made unique: "Board paper (2)" */
      g_autofree char *numbered = g_strdup_printf (_("%s (%u)"), pattern, n);
      g_autofree char *candidate = fill_name (numbered, base);

      if (!name_is_taken (self, candidate, 0))
        return g_steal_pointer (&candidate);
    }
}

/**
 * cb_pack_store_dup_free_name:
 * @self: a store
 * @name: a wanted name
 *
 * Returns: (transfer full): @name if no pack has it, else "@name (2)",
 *   "@name (3)", ..., with @name shortened if need be to keep within the
 *   length a name may have
 */
char *
cb_pack_store_dup_free_name (CbPackStore *self,
                             const char  *name)
{
  g_return_val_if_fail (CB_IS_PACK_STORE (self), NULL);
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  stripped = g_strstrip (g_strdup (name));

  return dup_free_name_with (self, "\1", stripped);
}

static gboolean
check_name (CbPackStore  *self,
            const char   *name,
            gint64        except_id,
            GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!cb_pack_name_is_valid (name, error))
    return FALSE;

  if (find_name (self, name, except_id, &local_error) != 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT, _("There is already a pack called “%s”"), name);
      return FALSE;
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static gboolean
touch (CbPackStore  *self,
       gint64        pack_id,
       GError      **error)
{
  g_autofree char *now = cb_now_timestamp ();
  g_autoptr(sqlite3_stmt) stmt = prepare (self, error, "UPDATE packs SET modified = ? WHERE id = ?",
                                          's', now, 'i', pack_id, 0);

  if (!run (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no such pack"));
      return FALSE;
    }

  return TRUE;
}

static gint64
insert_pack (CbPackStore  *self,
             CbPack       *pack,
             gint64        id,
             GError      **error)
{
  g_autofree char *now = cb_now_timestamp ();
  const char *created = *cb_pack_get_created (pack) ? cb_pack_get_created (pack) : now;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (id > 0)
    stmt = prepare (self, error,
                    "INSERT INTO packs (id, name, description, audience, date, created, modified) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    'i', id, 's', cb_pack_get_name (pack), 's', cb_pack_get_description (pack),
                    's', cb_pack_get_audience (pack), 's', cb_pack_get_date (pack),
                    's', created, 's', now, 0);
  else
    stmt = prepare (self, error,
                    "INSERT INTO packs (name, description, audience, date, created, modified) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    's', cb_pack_get_name (pack), 's', cb_pack_get_description (pack),
                    's', cb_pack_get_audience (pack), 's', cb_pack_get_date (pack),
                    's', created, 's', now, 0);

  if (!run (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
insert_entries (CbPackStore  *self,
                gint64        pack_id,
                CbPack       *pack,
                GError      **error)
{
  GPtrArray *entries = cb_pack_get_entries (pack);

  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(sqlite3_stmt) stmt =
        prepare (self, error,
                 "INSERT INTO pack_items (pack_id, position, item_id, label, title, note) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 'i', pack_id, 'i', (gint64) i, 's', entry->item_id, 's', entry->label,
                 's', entry->title, 's', entry->note, 0);

      if (!run (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_pack (CbPack  *pack,
            GError **error)
{
  GPtrArray *entries = cb_pack_get_entries (pack);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!check_text (cb_pack_get_description (pack), error) ||
      !check_text (cb_pack_get_audience (pack), error))
    return FALSE;

  if (!cb_pack_date_is_valid (cb_pack_get_date (pack)))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("“%s” is not a date; write it as YYYY-MM-DD"),
                   cb_pack_get_date (pack));
      return FALSE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);

      if (!check_text (entry->item_id, error) || !check_text (entry->label, error) ||
          !check_text (entry->title, error) || !check_text (entry->note, error))
        return FALSE;

      if (!g_hash_table_add (seen, entry->item_id))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT, _("The pack lists %s twice"), entry->item_id);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * cb_pack_store_create:
 * @self: a store
 * @name: the new pack's name, unique (ignoring case)
 * @error: return location for a #GError
 *
 * Returns: the new pack's id, or 0 on error
 */
gint64
cb_pack_store_create (CbPackStore  *self,
                      const char   *name,
                      GError      **error)
{
  g_autoptr(CbPack) pack = NULL;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  pack = cb_pack_new (name);

  return cb_pack_store_save (self, pack, error);
}

/**
 * cb_pack_store_save:
 * @self: a store
 * @pack: a whole pack
 * @error: return location for a #GError
 *
 * Stores @pack with its details and entries in one transaction. A pack
 * whose id is 0 or unknown is created (keeping its id when it has one, so
 * a deleted pack comes back as it was); an existing one is replaced.
 *
 * Returns: the pack's id, or 0 on error
 */
gint64
cb_pack_store_save (CbPackStore  *self,
                    CbPack       *pack,
                    GError      **error)
{
  gint64 id;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), 0);
  g_return_val_if_fail (CB_IS_PACK (pack), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_pack (pack, error) || !begin (self, error))
    return 0;

  id = cb_pack_get_id (pack);
  if (!check_name (self, cb_pack_get_name (pack), id, error))
    goto fail;

  if (id > 0)
    {
      g_autoptr(sqlite3_stmt) del = prepare (self, error, "DELETE FROM packs WHERE id = ?", 'i', id, 0);

      if (!run (self, del, error))
        goto fail;
    }

  if ((id = insert_pack (self, pack, id, error)) == 0 ||
      !insert_entries (self, id, pack, error) ||
      !commit (self, id, error))
    goto fail;

  return id;

fail:
  rollback (self);
  return 0;
}

/**
 * cb_pack_store_import:
 * @self: a store
 * @pack: a pack read from a pack file
 * @name: (nullable): the name to give it, or %NULL for its own name, made
 *   unique ("Board (2)")
 * @error: return location for a #GError
 *
 * Stores @pack as a new pack, whole or not at all. What `pack import` and
 * Import Pack File… do.
 *
 * Returns: the new pack's id, or 0
 */
gint64
cb_pack_store_import (CbPackStore  *self,
                      CbPack       *pack,
                      const char   *name,
                      GError      **error)
{
  g_autoptr(CbPack) copy = NULL;
  g_autofree char *free_name = NULL;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), 0);
  g_return_val_if_fail (CB_IS_PACK (pack), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  copy = cb_pack_copy (pack);
  cb_pack_set_id (copy, 0);
  if (name == NULL)
    name = free_name = cb_pack_store_dup_free_name (self, cb_pack_get_name (pack));
  cb_pack_set_name (copy, name);

  return cb_pack_store_save (self, copy, error);
}

/**
 * cb_pack_store_set_details:
 * @self: a store
 * @pack_id: a pack
 * @name: (nullable): the new name, or %NULL to keep it
 * @description: (nullable): the new description, or %NULL to keep it
 * @audience: (nullable): the new audience, or %NULL to keep it
 * @date: (nullable): the new date ("YYYY-MM-DD" or ""), or %NULL to keep it
 * @error: return location for a #GError
 */
gboolean
cb_pack_store_set_details (CbPackStore  *self,
                           gint64        pack_id,
                           const char   *name,
                           const char   *description,
                           const char   *audience,
                           const char   *date,
                           GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_text (name, error) || !check_text (description, error) || !check_text (audience, error) ||
      !check_text (date, error))
    return FALSE;

  /* Spaces around a name are not part of it */
  if (name != NULL)
    name = stripped = g_strstrip (g_strdup (name));

  if (date != NULL && !cb_pack_date_is_valid (date))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("“%s” is not a date; write it as YYYY-MM-DD"), date);
      return FALSE;
    }

  if (!begin (self, error))
    return FALSE;

  if (name != NULL && !check_name (self, name, pack_id, error))
    goto fail;

  stmt = prepare (self, error,
                  "UPDATE packs SET name = coalesce (?1, name), description = coalesce (?2, description), "
                  "audience = coalesce (?3, audience), date = coalesce (?4, date) WHERE id = ?5",
                  's', name, 's', description, 's', audience, 's', date, 'i', pack_id, 0);
  if (!run (self, stmt, error) || !touch (self, pack_id, error) || !commit (self, pack_id, error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

/**
 * cb_pack_store_duplicate:
 * @self: a store
 * @pack_id: the pack to copy
 * @name: (nullable): the copy's name, or %NULL for "Name (copy)" made unique
 * @error: return location for a #GError
 *
 * Returns: the copy's id, or 0 on error
 */
gint64
cb_pack_store_duplicate (CbPackStore  *self,
                         gint64        pack_id,
                         const char   *name,
                         GError      **error)
{
  g_autoptr(CbPack) copy = NULL;
  g_autofree char *new_name = NULL;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if ((copy = cb_pack_store_load (self, pack_id, error)) == NULL)
    return 0;

  if (name == NULL)
    {
      /* Translators: the name of a duplicated pack */
      g_autofree char *pattern = g_strdup_printf (_("%s (copy)"), "\1");

      new_name = dup_free_name_with (self, pattern, cb_pack_get_name (copy));
    }

  cb_pack_set_id (copy, 0);
  cb_pack_set_created (copy, NULL);
  cb_pack_set_name (copy, name ? name : new_name);

  return cb_pack_store_save (self, copy, error);
}

/**
 * cb_pack_store_delete:
 * @self: a store
 * @pack_id: a pack
 * @error: return location for a #GError
 */
gboolean
cb_pack_store_delete (CbPackStore  *self,
                      gint64        pack_id,
                      GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, error, "DELETE FROM packs WHERE id = ?", 'i', pack_id, 0);
  if (!run (self, stmt, error))
    goto fail;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no such pack"));
      goto fail;
    }

  if (!commit (self, pack_id, error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

static GPtrArray *
load_order (CbPackStore  *self,
            gint64        pack_id,
            GError      **error)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, error, "SELECT item_id FROM pack_items WHERE pack_id = ? ORDER BY position",
             'i', pack_id, 0);
  int rc;

  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (order, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&order);
}

static gboolean
write_order (CbPackStore  *self,
             gint64        pack_id,
             GPtrArray    *order,
             GError      **error)
{
  for (guint i = 0; i < order->len; i++)
    {
      g_autoptr(sqlite3_stmt) stmt =
        prepare (self, error, "UPDATE pack_items SET position = ? WHERE pack_id = ? AND item_id = ?",
                 'i', (gint64) i, 'i', pack_id, 's', (const char *) g_ptr_array_index (order, i), 0);

      if (!run (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
find_in_order (GPtrArray  *order,
               const char *item_id,
               guint      *index)
{
  return g_ptr_array_find_with_equal_func (order, item_id, g_str_equal, index);
}

/**
 * cb_pack_store_add_entries:
 * @self: a store
 * @pack_id: a pack
 * @entries: (element-type CbPackEntry): the items to add, with their label,
 *   title and note, in order
 * @position: where to put the first, or -1 for the end
 * @error: set to %CB_ERROR_CONFLICT if the pack has one of them already,
 *   or one is listed twice
 *
 * Adds every entry, or none: one transaction.
 */
gboolean
cb_pack_store_add_entries (CbPackStore  *self,
                           gint64        pack_id,
                           GPtrArray    *entries,
                           int           position,
                           GError      **error)
{
  g_autoptr(GPtrArray) order = NULL;
  guint at;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);

      if (!check_text (entry->item_id, error) || !check_text (entry->label, error) ||
          !check_text (entry->title, error) || !check_text (entry->note, error))
        return FALSE;
    }

  if (!begin (self, error))
    return FALSE;

  if (!touch (self, pack_id, error) || (order = load_order (self, pack_id, error)) == NULL)
    goto fail;

  at = position >= 0 && (guint) position < order->len ? (guint) position : order->len;
  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (find_in_order (order, entry->item_id, NULL))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_CONFLICT, _("The pack already has %s"), entry->item_id);
          goto fail;
        }

      stmt = prepare (self, error,
                      "INSERT INTO pack_items (pack_id, position, item_id, label, title, note) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      'i', pack_id, 'i', (gint64) order->len, 's', entry->item_id, 's', entry->label,
                      's', entry->title, 's', entry->note, 0);
      if (!run (self, stmt, error))
        goto fail;
      g_ptr_array_insert (order, at + i, g_strdup (entry->item_id));
    }

  if (!write_order (self, pack_id, order, error) || !commit (self, pack_id, error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

/**
 * cb_pack_store_add_item:
 * @self: a store
 * @pack_id: a pack
 * @item_id: the item to add
 * @label: (nullable): what the item is called, kept in case the corpus
 *   loses it
 * @title: (nullable): its title, kept for the same reason
 * @position: where to put it, or -1 for the end
 * @error: set to %CB_ERROR_CONFLICT if the pack has the item already
 */
gboolean
cb_pack_store_add_item (CbPackStore  *self,
                        gint64        pack_id,
                        const char   *item_id,
                        const char   *label,
                        const char   *title,
                        int           position,
                        GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_pack_entry_free);

  g_return_val_if_fail (item_id != NULL, FALSE);

  g_ptr_array_add (entries, cb_pack_entry_new (item_id, label, title, NULL));

  return cb_pack_store_add_entries (self, pack_id, entries, position, error);
}

/**
 * cb_pack_store_remove_item:
 * @self: a store
 * @pack_id: a pack
 * @item_id: the item to take out, with its note
 * @error: return location for a #GError
 */
gboolean
cb_pack_store_remove_item (CbPackStore  *self,
                           gint64        pack_id,
                           const char   *item_id,
                           GError      **error)
{
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint index;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin (self, error))
    return FALSE;

  if (!touch (self, pack_id, error) || (order = load_order (self, pack_id, error)) == NULL)
    goto fail;

  if (!find_in_order (order, item_id, &index))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("The pack does not have %s"), item_id);
      goto fail;
    }

  stmt = prepare (self, error, "DELETE FROM pack_items WHERE pack_id = ? AND item_id = ?",
                  'i', pack_id, 's', item_id, 0);
  g_ptr_array_remove_index (order, index);
  if (!run (self, stmt, error) || !write_order (self, pack_id, order, error) || !commit (self, pack_id, error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

/**
 * cb_pack_store_move_item:
 * @self: a store
 * @pack_id: a pack
 * @item_id: the item to move
 * @position: its new position, counted after taking it out; clamped to
 *   the end
 * @error: return location for a #GError
 */
gboolean
cb_pack_store_move_item (CbPackStore  *self,
                         gint64        pack_id,
                         const char   *item_id,
                         guint         position,
                         GError      **error)
{
  g_autoptr(GPtrArray) order = NULL;
  char *moving;
  guint index;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin (self, error))
    return FALSE;

  if (!touch (self, pack_id, error) || (order = load_order (self, pack_id, error)) == NULL)
    goto fail;

  if (!find_in_order (order, item_id, &index))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("The pack does not have %s"), item_id);
      goto fail;
    }

  moving = g_ptr_array_steal_index (order, index);
  g_ptr_array_insert (order, MIN (position, order->len), moving);

  if (!write_order (self, pack_id, order, error) || !commit (self, pack_id, error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}

/**
 * cb_pack_store_set_note:
 * @self: a store
 * @pack_id: a pack
 * @item_id: an item of the pack
 * @note: (nullable): the note, plain text; %NULL or "" for none
 * @error: return location for a #GError
 */
gboolean
cb_pack_store_set_note (CbPackStore  *self,
                        gint64        pack_id,
                        const char   *item_id,
                        const char   *note,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CB_IS_PACK_STORE (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_text (note, error))
    return FALSE;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, error, "UPDATE pack_items SET note = ? WHERE pack_id = ? AND item_id = ?",
                  's', note ? note : "", 'i', pack_id, 's', item_id, 0);
  if (!run (self, stmt, error))
    goto fail;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("The pack does not have %s"), item_id);
      goto fail;
    }

  if (!touch (self, pack_id, error) || !commit (self, pack_id, error))
    goto fail;

  return TRUE;

fail:
  rollback (self);
  return FALSE;
}
