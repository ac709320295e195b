/* cb-store.c: the search index
 *
 * The index is a cache of the corpus file in SQLite: one row per item (its
 * metadata, the text of each indexed column, and the item itself as an XML
 * fragment so one item can be shown without reading the corpus), its
 * countries, intervention types and references, and an FTS5 external-content
 * table over the item rows with a diacritic-folding tokenizer and prefix
 * indexes. It is rebuilt from the corpus file inside one transaction
 * whenever the corpus's content changes (its SHA-256 is kept in `meta`), and
 * never otherwise; a failed or interrupted rebuild leaves the previous index
 * as it was.
 *
 * Searching asks FTS5 only for the matching rows and their bm25 scores;
 * filters and facet counts are then computed in memory over an immutable
 * catalog of every item's metadata, so no facet costs an SQL GROUP BY.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cb-error.h"
#include "cb-rank.h"
#include "cb-store.h"
#include "cb-store-private.h"
#include "cb-xml.h"

/* title > findings and lessons > body > metadata > reference text */
#define BM25_WEIGHTS "6.0, 4.0, 2.0, 1.5, 1.0"
#define FTS_COLUMNS 5

/* The evidence comes first: a prior on the text score by kind, so that a
 * case study that matches well outranks a recommendation or section that
 * matches a little better. */
static double
kind_boost (const char *kind)
{
  if (g_str_equal (kind, "case_study"))
    return 1.35;
  if (g_str_equal (kind, "inset_box"))
    return 1.1;
  if (g_str_equal (kind, "glossary"))
    return 1.0;

  return 0.95;
}

struct _CbStore
{
  GObject       parent_instance;

  GMutex        lock;           /* the database */
  sqlite3      *db;
  char         *path;
  GMutex        catalog_lock;   /* only the catalog pointer: never held
                                 * across a query, so readers of the
                                 * catalog never wait on SQLite */
  CbCatalog    *catalog;
  CbTaxonomy   *taxonomy;
  GCancellable *cancellable;
  CbStoreFlags  flags;
  char         *damage;         /* what SQLite last found damaged */
  gboolean      recovered;
};

G_DEFINE_FINAL_TYPE (CbStore, cb_store, G_TYPE_OBJECT)

/* The catalog is immutable and reference counted: take a reference and
 * read it without any lock */
static CbCatalog *
dup_catalog (CbStore *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->catalog_lock);

  return self->catalog ? cb_catalog_ref (self->catalog) : NULL;
}

static void
set_catalog (CbStore   *self,
             CbCatalog *catalog)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->catalog_lock);

  g_clear_pointer (&self->catalog, cb_catalog_unref);
  self->catalog = catalog;
}

/* Ordered migrations: user_version is how many have been applied. */
static const char *migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE items ("
  "  ord INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  number TEXT,"
  "  chapter INTEGER,"
  "  section TEXT,"
  "  page INTEGER,"
  "  status INTEGER NOT NULL DEFAULT 0,"
  "  design TEXT,"
  "  title TEXT NOT NULL,"
  "  findings TEXT,"
  "  body TEXT,"
  "  meta TEXT,"
  "  refs TEXT,"
  "  xml BLOB NOT NULL);"
  "CREATE TABLE item_countries (item INTEGER NOT NULL, code TEXT NOT NULL);"
  "CREATE INDEX item_countries_item ON item_countries (item);"
  "CREATE TABLE item_interventions (item INTEGER NOT NULL, type TEXT NOT NULL);"
  "CREATE INDEX item_interventions_item ON item_interventions (item);"
  "CREATE TABLE item_references (item INTEGER NOT NULL, reference TEXT NOT NULL, ord INTEGER NOT NULL);"
  "CREATE INDEX item_references_reference ON item_references (reference);"
  "CREATE TABLE refs (id TEXT PRIMARY KEY, search TEXT NOT NULL, xml BLOB NOT NULL);"
  "CREATE TABLE contents (ord INTEGER PRIMARY KEY, kind TEXT NOT NULL, number TEXT, title TEXT NOT NULL, page INTEGER);"
  "CREATE VIRTUAL TABLE fts USING fts5 ("
  "  title, findings, body, meta, refs,"
  "  content='items', content_rowid='ord',"
  "  tokenize='porter unicode61 remove_diacritics 2',"
  "  prefix='2 3');",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CB_STORE_SCHEMA_VERSION);

/* Errors */

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return CB_ERROR_NO_SPACE;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return CB_ERROR_READ_ONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return CB_ERROR_CORRUPT;
    case SQLITE_INTERRUPT:
      return CB_ERROR_CANCELLED;
    default:
      return CB_ERROR_IO;
    }
}

static gboolean
set_sqlite_error (CbStore  *self,
                  int       rc,
                  GError  **error)
{
  int code = error_code_for (rc);

  switch (code)
    {
    case CB_ERROR_NO_SPACE:
      g_set_error (error, CB_ERROR, code,
                   _("The search index “%s” cannot grow: the disk is full. The index was left as it "
                     "was; free some space and try again."), self->path);
      break;
    case CB_ERROR_READ_ONLY:
      g_set_error (error, CB_ERROR, code, _("The search index “%s” cannot be written: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    case CB_ERROR_CORRUPT:
      g_free (self->damage);
      self->damage = g_strdup (self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      g_set_error (error, CB_ERROR, code,
                   _("The search index “%s” is damaged: %s. It holds only a copy of the corpus: "
                     "delete it and it is built again."), self->path, self->damage);
      break;
    case CB_ERROR_CANCELLED:
      g_set_error (error, CB_ERROR, code, _("The operation was interrupted"));
      break;
    default:
      g_set_error (error, CB_ERROR, code, _("The search index “%s” failed: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }

  return FALSE;
}

static gboolean
exec (CbStore     *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, error);

  return TRUE;
}

static sqlite3_stmt *
prepare (CbStore     *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static int
on_progress (void *user_data)
{
  CbStore *self = user_data;

  return self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable);
}

static gboolean
check_cancelled (GCancellable  *cancellable,
                 GError       **error)
{
  if (cancellable == NULL || !g_cancellable_is_cancelled (cancellable))
    return FALSE;

  g_set_error (error, CB_ERROR, CB_ERROR_CANCELLED, _("The operation was interrupted"));

  return TRUE;
}

/* Meta */

static char *
meta_get (CbStore    *self,
          const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT value FROM meta WHERE key = ?1", NULL);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return NULL;
}

static gboolean
meta_set (CbStore     *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);

  return TRUE;
}

/* Catalog from the database */

/* Where a (item, value) statement is: its current row is still to be
 * used, it needs stepping, or it is finished. A finished statement must
 * never be stepped again: SQLite would start it over, and every later
 * item would rescan the whole table. */
typedef enum {
  VALUES_STEP,
  VALUES_PENDING,
  VALUES_DONE,
} ValuesState;

static gboolean
load_values (CbStore          *self,
             sqlite3_stmt     *stmt,
             gint64            ord,
             CbCatalogBuilder *builder,
             CbFacet           facet,
             ValuesState      *state)
{
  /* @stmt walks (item, value) rows in item order */
  while (*state != VALUES_DONE)
    {
      gint64 item;

      if (*state == VALUES_STEP && sqlite3_step (stmt) != SQLITE_ROW)
        {
          *state = VALUES_DONE;
          break;
        }

      item = sqlite3_column_int64 (stmt, 0);
      if (item > ord)
        {
          *state = VALUES_PENDING;
          return TRUE;
        }

      *state = VALUES_STEP;
      if (item == ord)
        cb_catalog_builder_add_value (builder, facet, (const char *) sqlite3_column_text (stmt, 1));
    }

  return TRUE;
}

/* Every item's column lengths, kept with the catalog so that ranking need
 * not read them from FTS5 row by row (see cb-rank.c) */
static gboolean
load_column_sizes (CbStore          *self,
                   CbCatalogBuilder *builder,
                   GError          **error)
{
  int rc;
  CbColumnSizes *sizes = cb_column_sizes_load (self->db, "fts", FTS_COLUMNS,
                                               cb_catalog_builder_get_n_items (builder), &rc);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, error);

  cb_catalog_builder_set_column_sizes (builder, sizes);

  return TRUE;
}

static gboolean
load_catalog (CbStore  *self,
              GError  **error)
{
  g_autoptr(sqlite3_stmt) items = NULL;
  g_autoptr(sqlite3_stmt) countries = NULL;
  g_autoptr(sqlite3_stmt) interventions = NULL;
  CbCatalogBuilder *builder;
  ValuesState countries_state = VALUES_STEP, interventions_state = VALUES_STEP;
  int rc;

  items = prepare (self, "SELECT ord, id, title, number, status, kind, chapter, design FROM items ORDER BY ord", error);
  countries = prepare (self, "SELECT item, code FROM item_countries ORDER BY item, rowid", error);
  interventions = prepare (self, "SELECT item, type FROM item_interventions ORDER BY item, rowid", error);
  if (items == NULL || countries == NULL || interventions == NULL)
    return FALSE;

  builder = cb_catalog_builder_new ();

  while ((rc = sqlite3_step (items)) == SQLITE_ROW)
    {
      gint64 ord = sqlite3_column_int64 (items, 0);
      int chapter = sqlite3_column_int (items, 6);

      cb_catalog_builder_add_item (builder,
                                   (const char *) sqlite3_column_text (items, 1),
                                   (const char *) sqlite3_column_text (items, 2),
                                   (const char *) sqlite3_column_text (items, 3),
                                   sqlite3_column_int (items, 4) != 0);
      cb_catalog_builder_add_value (builder, CB_FACET_KIND, (const char *) sqlite3_column_text (items, 5));
      if (chapter > 0)
        {
          char buf[16];

          g_snprintf (buf, sizeof buf, "%d", chapter);
          cb_catalog_builder_add_value (builder, CB_FACET_CHAPTER, buf);
        }
      cb_catalog_builder_add_value (builder, CB_FACET_DESIGN, (const char *) sqlite3_column_text (items, 7));
      load_values (self, countries, ord, builder, CB_FACET_COUNTRY, &countries_state);
      load_values (self, interventions, ord, builder, CB_FACET_INTERVENTION, &interventions_state);
    }

  if (rc != SQLITE_DONE)
    {
      set_catalog (self, cb_catalog_builder_end (builder));
      return set_sqlite_error (self, rc, error);
    }

  if (!load_column_sizes (self, builder, error))
    {
      set_catalog (self, cb_catalog_builder_end (builder));
      return FALSE;
    }

  set_catalog (self, cb_catalog_builder_end (builder));

  return TRUE;
}

/* Opening */

static gboolean
migrate (CbStore  *self,
         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (self, sqlite3_errcode (self->db), error);
  version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > CB_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NEWER,
                   _("The search index “%s” was made by a newer version of Casebook (schema %d; this "
                     "version knows %d). Update Casebook, or delete that file to rebuild it."),
                   self->path, version, CB_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < CB_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
                                              migrations[v], v + 1);

      if (!exec (self, sql, error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  return TRUE;
}

static void
cb_store_finalize (GObject *object)
{
  CbStore *self = (CbStore *) object;

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->catalog, cb_catalog_unref);
  g_clear_object (&self->taxonomy);
  g_free (self->path);
  g_free (self->damage);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->catalog_lock);

  G_OBJECT_CLASS (cb_store_parent_class)->finalize (object);
}

static void
cb_store_class_init (CbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_store_finalize;
}

static void
cb_store_init (CbStore *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->catalog_lock);
}

/**
 * cb_store_get_default_path:
 *
 * Returns: (transfer full): `$CASEBOOK_DB` when set, else `index.sqlite` in
 *   Casebook's folder of the user data directory
 */
char *
cb_store_get_default_path (void)
{
  const char *env = g_getenv ("CASEBOOK_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "casebook", "index.sqlite", NULL);
}

/* PRAGMA quick_check reads every page and checks the structure of every
 * b-tree (not that indexes match their tables): about a millisecond per
 * megabyte of index. */
static gboolean
check_database (CbStore  *self,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA quick_check(1)", error);
  const char *result;
  int rc;

  if (stmt == NULL)
    return FALSE;

  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);

  result = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_free (self->damage);
      self->damage = g_strdup (result ? result : "?");
      g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT,
                   _("The search index “%s” is damaged: %s. It holds only a copy of the corpus: "
                     "delete it and it is built again."), self->path, self->damage);
      return FALSE;
    }

  return TRUE;
}

static gboolean
open_database (CbStore   *self,
               gboolean   check,
               GError   **error)
{
  int rc;

  g_assert (self->db == NULL);

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_clear_pointer (&self->db, sqlite3_close);
      return set_sqlite_error (self, rc, error);
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_progress_handler (self->db, 1000, on_progress, self);

  if ((rc = cb_rank_register (self->db)) != SQLITE_OK)
    return set_sqlite_error (self, rc, error);

  return exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", error) &&
         (!check || check_database (self, error)) &&
         migrate (self, error) &&
         load_catalog (self, error);
}

/* Keeps the latest damaged index only: older ones are of no use */
static void
remove_damaged_copies (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".damaged-", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_autofree char *old = g_build_filename (dir, name, NULL);

        g_unlink (old);
      }
}

/* The index is a cache of the corpus: a damaged one moves aside, as
 * `index.sqlite.damaged-DATE` (with its write-ahead log, if any), and a
 * new, empty one takes its place, for the next sync to fill. Nothing else
 * in the folder is touched. */
static gboolean
replace_damaged_locked (CbStore  *self,
                        GError  **error)
{
  g_autofree char *reason = g_steal_pointer (&self->damage);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strconcat (self->path, ".damaged-", stamp, NULL);
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *wal_aside = g_strconcat (aside, "-wal", NULL);
  g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);

  g_clear_pointer (&self->db, sqlite3_close_v2);
  set_catalog (self, cb_catalog_builder_end (cb_catalog_builder_new ()));

  remove_damaged_copies (self->path);
  if (g_rename (self->path, aside) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT,
                   _("The search index “%s” is damaged (%s) and could not be moved aside: %s"),
                   self->path, reason, g_strerror (saved_errno));
      return FALSE;
    }
  if (g_rename (wal, wal_aside) != 0)
    g_unlink (wal);
  g_unlink (shm);

  g_message ("The search index “%s” was damaged (%s): it was moved to “%s” and is rebuilt from the corpus",
             self->path, reason, aside);

  self->recovered = TRUE;

  return open_database (self, FALSE, error);
}

/* The index must live in a folder that can be written: besides the file
 * itself, SQLite keeps its write-ahead log and shared memory beside it */
static gboolean
check_folder (CbStore     *self,
              const char  *dir,
              GError     **error)
{
  if (g_access (dir, W_OK) == 0)
    return TRUE;

  g_set_error (error, CB_ERROR, CB_ERROR_READ_ONLY,
               _("The search index cannot be kept in the folder “%s”: %s. Make the folder writable, "
                 "or keep the index elsewhere with --db FILE."), dir, g_strerror (errno));

  return FALSE;
}

/**
 * cb_store_open:
 * @path: (nullable): the index file, or %NULL for the default
 * @error: return location for a #GError
 *
 * Opens or creates the index and brings its schema up to date. An index
 * made by a newer Casebook is refused with %CB_ERROR_NEWER; a damaged one
 * with %CB_ERROR_CORRUPT, and left as it is.
 *
 * Returns: (transfer full): the store
 */
CbStore *
cb_store_open (const char  *path,
               GError     **error)
{
  return cb_store_open_full (path, CB_STORE_NONE, error);
}

/**
 * cb_store_open_full:
 * @path: (nullable): the index file, or %NULL for the default
 * @flags: how to open it
 * @error: return location for a #GError
 *
 * Like cb_store_open(). With %CB_STORE_REPLACE_DAMAGED, the whole index is
 * checked first (`PRAGMA quick_check`), and a damaged one, found now or by
 * a later cb_store_sync(), is moved aside as `PATH.damaged-DATE` and
 * replaced by a new one; cb_store_was_recovered() then says so. Only the
 * index is ever replaced. A folder that cannot be written is refused with
 * %CB_ERROR_READ_ONLY, naming it.
 *
 * Returns: (transfer full): the store
 */
CbStore *
cb_store_open_full (const char    *path,
                    CbStoreFlags   flags,
                    GError       **error)
{
  g_autoptr(CbStore) self = g_object_new (CB_TYPE_STORE, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  gboolean replace = (flags & CB_STORE_REPLACE_DAMAGED) != 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->flags = flags;
  self->path = path ? g_strdup (path) : cb_store_get_default_path ();
  dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      cb_set_error_from_errno (error, errno, self->path, _("create"));
      return NULL;
    }

  if (!check_folder (self, dir, error))
    return NULL;

  if ((self->taxonomy = cb_taxonomy_get_default (error)) == NULL)
    return NULL;

  if (!open_database (self, replace, &local_error))
    {
      g_autoptr(GMutexLocker) locker = NULL;

      if (!replace || self->damage == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      locker = g_mutex_locker_new (&self->lock);
      if (!replace_damaged_locked (self, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * cb_store_was_recovered:
 * @self: a store
 *
 * Returns: whether a damaged index was replaced since @self was opened
 *   (with %CB_STORE_REPLACE_DAMAGED)
 */
gboolean
cb_store_was_recovered (CbStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CB_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);

  return self->recovered;
}

/**
 * cb_store_get_path:
 * @self: a store
 *
 * Returns: the index file
 */
const char *
cb_store_get_path (CbStore *self)
{
  g_return_val_if_fail (CB_IS_STORE (self), NULL);

  return self->path;
}

/**
 * cb_store_get_taxonomy:
 * @self: a store
 *
 * Returns: (transfer none): the taxonomy filter values come from
 */
CbTaxonomy *
cb_store_get_taxonomy (CbStore *self)
{
  g_return_val_if_fail (CB_IS_STORE (self), NULL);

  return self->taxonomy;
}

guint
cb_store_get_n_items (CbStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CB_IS_STORE (self), 0);

  locker = g_mutex_locker_new (&self->catalog_lock);

  return self->catalog ? self->catalog->n_items : 0;
}

/**
 * cb_store_dup_corpus_path:
 * @self: a store
 *
 * Returns: (transfer full) (nullable): the corpus file the index was built
 *   from
 */
char *
cb_store_dup_corpus_path (CbStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  return meta_get (self, "corpus_path");
}

/**
 * cb_store_dup_corpus_checksum:
 * @self: a store
 *
 * Returns: (transfer full) (nullable): the SHA-256 of that corpus file
 */
char *
cb_store_dup_corpus_checksum (CbStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  return meta_get (self, "corpus_sha256");
}

/* Rebuilding */

static char *
file_checksum (const char    *path,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  guchar buffer[65536];
  gssize n;

  if (stream == NULL)
    return NULL;

  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, cancellable, error)) > 0)
    g_checksum_update (checksum, buffer, n);

  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (checksum));
}

/* Superscript citation markers stick to words ("Group¹"); the index sees
 * them as spaces. Byte by byte: ¹ ² ³ are C2 B9, C2 B2 and C2 B3 in UTF-8,
 * U+2070 to U+207B are E2 81 B0 to E2 81 BB, and in valid UTF-8 those lead
 * bytes never occur inside another character. */
static char *
clean_for_index (const char *text)
{
  const guchar *p = (const guchar *) text;
  char *out, *q;

  if (text == NULL)
    return NULL;

  out = q = g_malloc (strlen (text) + 1);
  while (*p)
    {
      if (p[0] == 0xC2 && (p[1] == 0xB9 || p[1] == 0xB2 || p[1] == 0xB3))
        {
          *q++ = ' ';
          p += 2;
        }
      else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xB0 && p[2] <= 0xBB)
        {
          *q++ = ' ';
          p += 3;
        }
      else
        *q++ = (char) *p++;
    }
  *q = '\0';

  return out;
}

/* A rebuild runs in two threads: a reader parses and validates the corpus
 * and turns each reference and item into the rows to insert, and the
 * caller's thread, which alone uses the database, inserts them. On two
 * cores the parsing costs almost nothing then: it is as long as the
 * inserting and happens at the same time. At most MAX_QUEUED rows wait, so
 * memory stays bounded whatever the size of the corpus. */

#define MAX_QUEUED 256

typedef enum {
  ROW_REFERENCE,
  ROW_ITEM,
  ROW_END,
} RowKind;

typedef struct {
  RowKind      kind;
  double       fraction;   /* how much of the file was read */
  CbItem      *item;
  CbReference *reference;
  GBytes      *xml;
  char        *search;     /* a reference's searchable text */
  char        *title;
  char        *findings;
  char        *body;
  char        *meta;
  char        *ref_text;
  GError      *error;      /* why reading stopped, on ROW_END */
} Row;

static void
row_free (Row *row)
{
  g_clear_object (&row->item);
  g_clear_object (&row->reference);
  g_clear_pointer (&row->xml, g_bytes_unref);
  g_free (row->search);
  g_free (row->title);
  g_free (row->findings);
  g_free (row->body);
  g_free (row->meta);
  g_free (row->ref_text);
  g_clear_error (&row->error);
  g_free (row);
}

typedef struct {
  /* Shared, under mutex */
  GMutex        mutex;
  GCond         not_empty;
  GCond         not_full;
  GQueue        rows;
  gboolean      stop;
  /* The reader's own */
  const char   *corpus_path;
  CbCorpus     *outline;
  CbTaxonomy   *taxonomy;
  GHashTable   *reference_text;
  GCancellable *cancellable;
  double        fraction;
} Pipeline;

static void
pipeline_push (Pipeline *pipeline,
               Row      *row)
{
  g_mutex_lock (&pipeline->mutex);
  while (pipeline->rows.length >= MAX_QUEUED && !pipeline->stop)
    g_cond_wait (&pipeline->not_full, &pipeline->mutex);
  if (pipeline->stop && row->kind != ROW_END)
    row_free (row);
  else
    {
      g_queue_push_tail (&pipeline->rows, row);
      g_cond_signal (&pipeline->not_empty);
    }
  g_mutex_unlock (&pipeline->mutex);
}

static Row *
pipeline_pop (Pipeline *pipeline)
{
  Row *row;

  g_mutex_lock (&pipeline->mutex);
  while (pipeline->rows.length == 0)
    g_cond_wait (&pipeline->not_empty, &pipeline->mutex);
  row = g_queue_pop_head (&pipeline->rows);
  g_cond_signal (&pipeline->not_full);
  g_mutex_unlock (&pipeline->mutex);

  return row;
}

/* The inserting side failed or was cancelled: the reader stops at its next
 * reference or item, and its rows are thrown away, except the end of the
 * reading, which the inserting side waits for (the reader may be done) */
static void
pipeline_stop (Pipeline *pipeline)
{
  Row *row;
  GQueue kept = G_QUEUE_INIT;

  g_mutex_lock (&pipeline->mutex);
  pipeline->stop = TRUE;
  while ((row = g_queue_pop_head (&pipeline->rows)) != NULL)
    {
      if (row->kind == ROW_END)
        g_queue_push_tail (&kept, row);
      else
        row_free (row);
    }
  pipeline->rows = kept;
  g_cond_broadcast (&pipeline->not_full);
  g_mutex_unlock (&pipeline->mutex);
}

static gboolean
pipeline_stopped (Pipeline  *pipeline,
                  GError   **error)
{
  gboolean stop;

  if (check_cancelled (pipeline->cancellable, error))
    return TRUE;

  g_mutex_lock (&pipeline->mutex);
  stop = pipeline->stop;
  g_mutex_unlock (&pipeline->mutex);

  if (stop)
    g_set_error (error, CB_ERROR, CB_ERROR_CANCELLED, _("The operation was interrupted"));

  return stop;
}

static gboolean
read_reference (CbReference  *reference,
                gpointer      user_data,
                GError      **error)
{
  Pipeline *pipeline = user_data;
  Row *row;

  if (pipeline_stopped (pipeline, error))
    return FALSE;

  row = g_new0 (Row, 1);
  row->kind = ROW_REFERENCE;
  row->fraction = pipeline->fraction;
  row->reference = g_object_ref (reference);
  row->search = cb_reference_dup_search_text (reference);
  if ((row->xml = cb_reference_to_xml (reference, error)) == NULL)
    {
      row_free (row);
      return FALSE;
    }

  g_hash_table_insert (pipeline->reference_text, g_strdup (cb_reference_get_id (reference)), g_strdup (row->search));
  pipeline_push (pipeline, row);

  return TRUE;
}

static char *
parts_text (CbItem            *item,
            const char * const *names)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *text = cb_item_get_part_text (item, names[i]);

      if (text != NULL)
        g_string_append (out, text);
    }

  return g_string_free (out, FALSE);
}

static gboolean
read_item (CbItem    *item,
           gpointer   user_data,
           GError   **error)
{
  static const char * const findings_parts[] = { "key_findings", "key_outcome", "lessons_learned", NULL };
  static const char * const body_parts[] = { "background", "body", NULL };
  Pipeline *pipeline = user_data;
  CbTaxonomy *taxonomy = pipeline->taxonomy;
  GPtrArray *countries = cb_item_get_countries (item);
  GPtrArray *interventions = cb_item_get_interventions (item);
  GPtrArray *refs = cb_item_get_references (item);
  GString *meta = g_string_new (cb_item_get_number (item));
  GString *ref_text = g_string_new (NULL);
  g_autofree char *raw_findings = NULL;
  g_autofree char *raw_body = NULL;
  Row *row;

  if (pipeline_stopped (pipeline, error))
    {
      g_string_free (meta, TRUE);
      g_string_free (ref_text, TRUE);
      return FALSE;
    }

  /* Countries, types and design are searchable by name too */
  for (guint i = 0; i < countries->len; i++)
    g_string_append_printf (meta, "\n%s", cb_taxonomy_label (taxonomy, CB_TAXONOMY_COUNTRY,
                                                             g_ptr_array_index (countries, i)));
  for (guint i = 0; i < interventions->len; i++)
    g_string_append_printf (meta, "\n%s", cb_taxonomy_label (taxonomy, CB_TAXONOMY_INTERVENTION,
                                                             g_ptr_array_index (interventions, i)));
  if (cb_item_get_design (item) != NULL)
    g_string_append_printf (meta, "\n%s", cb_taxonomy_label (taxonomy, CB_TAXONOMY_DESIGN, cb_item_get_design (item)));

  for (guint i = 0; i < refs->len; i++)
    {
      const char *text = g_hash_table_lookup (pipeline->reference_text, g_ptr_array_index (refs, i));

      if (text != NULL)
        g_string_append_printf (ref_text, "%s\n", text);
    }

  raw_findings = parts_text (item, findings_parts);
  raw_body = parts_text (item, body_parts);

  row = g_new0 (Row, 1);
  row->kind = ROW_ITEM;
  row->fraction = pipeline->fraction;
  row->item = g_object_ref (item);
  row->meta = g_string_free (meta, FALSE);
  row->ref_text = g_string_free (ref_text, FALSE);
  row->title = clean_for_index (cb_item_get_title (item));
  row->findings = clean_for_index (raw_findings);
  row->body = clean_for_index (raw_body);
  pipeline_push (pipeline, row);

  return TRUE;
}

static void
read_progress (double   fraction,
               gpointer user_data)
{
  Pipeline *pipeline = user_data;

  pipeline->fraction = fraction;
}

static gpointer
read_corpus (gpointer data)
{
  Pipeline *pipeline = data;
  Row *end = g_new0 (Row, 1);

  end->kind = ROW_END;
  end->fraction = 1.0;
  if (!cb_corpus_read_streaming_full (pipeline->corpus_path, pipeline->outline, read_reference, read_item,
                                      read_progress, pipeline, &end->error) &&
      end->error == NULL)
    g_set_error_literal (&end->error, CB_ERROR, CB_ERROR_INVALID, _("The corpus could not be read"));
  pipeline_push (pipeline, end);

  return NULL;
}

typedef struct {
  CbStore          *self;
  CbCatalogBuilder *builder;
  sqlite3_stmt     *insert_item;
  sqlite3_stmt     *insert_country;
  sqlite3_stmt     *insert_intervention;
  sqlite3_stmt     *insert_reference;
  sqlite3_stmt     *insert_ref;
  sqlite3_stmt     *insert_fts;
  gint64            ord;
} Rebuild;

static gboolean
step_done (Rebuild       *rebuild,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (rebuild->self, rc, error);

  return TRUE;
}

static gboolean
insert_reference (Rebuild  *rebuild,
                  Row      *row,
                  GError  **error)
{
  gsize len;
  const char *data = g_bytes_get_data (row->xml, &len);

  sqlite3_bind_text (rebuild->insert_ref, 1, cb_reference_get_id (row->reference), -1, SQLITE_STATIC);
  sqlite3_bind_text (rebuild->insert_ref, 2, row->search, -1, SQLITE_STATIC);
  sqlite3_bind_blob (rebuild->insert_ref, 3, data, len, SQLITE_STATIC);

  return step_done (rebuild, rebuild->insert_ref, error);
}

static gboolean
insert_item (Rebuild  *rebuild,
             Row      *row,
             GError  **error)
{
  CbItem *item = row->item;
  GPtrArray *countries = cb_item_get_countries (item);
  GPtrArray *interventions = cb_item_get_interventions (item);
  GPtrArray *refs = cb_item_get_references (item);
  sqlite3_stmt *stmt = rebuild->insert_item;
  const char *kind = cb_item_kind_to_string (cb_item_get_kind (item));
  gboolean retired = cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED;
  g_autoptr(GBytes) xml = NULL;
  const char *data;
  gsize len;
  gint64 ord = ++rebuild->ord;

  /* Serialised here, as the reader is the busier thread */
  if ((xml = cb_item_to_xml (item, error)) == NULL)
    return FALSE;
  data = g_bytes_get_data (xml, &len);

  sqlite3_bind_int64 (stmt, 1, ord);
  sqlite3_bind_text (stmt, 2, cb_item_get_id (item), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, cb_item_get_number (item), -1, SQLITE_STATIC);
  if (cb_item_get_chapter (item) > 0)
    sqlite3_bind_int (stmt, 5, cb_item_get_chapter (item));
  sqlite3_bind_text (stmt, 6, cb_item_get_section (item), -1, SQLITE_STATIC);
  if (cb_item_get_page (item) > 0)
    sqlite3_bind_int (stmt, 7, cb_item_get_page (item));
  sqlite3_bind_int (stmt, 8, retired);
  sqlite3_bind_text (stmt, 9, cb_item_get_design (item), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, row->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, row->findings, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, row->body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, row->meta, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, row->ref_text, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 15, data, len, SQLITE_STATIC);
  if (!step_done (rebuild, stmt, error))
    return FALSE;

  /* The words go into the full-text index now, while the reader works on
   * the next items, rather than in one pass at the end */
  stmt = rebuild->insert_fts;
  sqlite3_bind_int64 (stmt, 1, ord);
  sqlite3_bind_text (stmt, 2, row->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->findings, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->body, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, row->meta, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row->ref_text, -1, SQLITE_STATIC);
  if (!step_done (rebuild, stmt, error))
    return FALSE;

  cb_catalog_builder_add_item (rebuild->builder, cb_item_get_id (item), cb_item_get_title (item),
                               cb_item_get_number (item), retired);
  cb_catalog_builder_add_value (rebuild->builder, CB_FACET_KIND, kind);
  if (cb_item_get_chapter (item) > 0)
    {
      char buf[16];

      g_snprintf (buf, sizeof buf, "%u", cb_item_get_chapter (item));
      cb_catalog_builder_add_value (rebuild->builder, CB_FACET_CHAPTER, buf);
    }
  cb_catalog_builder_add_value (rebuild->builder, CB_FACET_DESIGN, cb_item_get_design (item));

  for (guint i = 0; i < countries->len; i++)
    {
      sqlite3_bind_int64 (rebuild->insert_country, 1, ord);
      sqlite3_bind_text (rebuild->insert_country, 2, g_ptr_array_index (countries, i), -1, SQLITE_STATIC);
      if (!step_done (rebuild, rebuild->insert_country, error))
        return FALSE;
      cb_catalog_builder_add_value (rebuild->builder, CB_FACET_COUNTRY, g_ptr_array_index (countries, i));
    }

  for (guint i = 0; i < interventions->len; i++)
    {
      sqlite3_bind_int64 (rebuild->insert_intervention, 1, ord);
      sqlite3_bind_text (rebuild->insert_intervention, 2, g_ptr_array_index (interventions, i), -1, SQLITE_STATIC);
      if (!step_done (rebuild, rebuild->insert_intervention, error))
        return FALSE;
      cb_catalog_builder_add_value (rebuild->builder, CB_FACET_INTERVENTION, g_ptr_array_index (interventions, i));
    }

  for (guint i = 0; i < refs->len; i++)
    {
      sqlite3_bind_int64 (rebuild->insert_reference, 1, ord);
      sqlite3_bind_text (rebuild->insert_reference, 2, g_ptr_array_index (refs, i), -1, SQLITE_STATIC);
      sqlite3_bind_int (rebuild->insert_reference, 3, i);
      if (!step_done (rebuild, rebuild->insert_reference, error))
        return FALSE;
    }

  return TRUE;
}

/* Inserts the reader's rows as they come. Returns FALSE with @error set
 * when reading or inserting failed, or the rebuild was cancelled; the
 * reader has finished either way. */
static gboolean
insert_rows (Rebuild         *rebuild,
             Pipeline        *pipeline,
             CbProgressFunc   progress,
             gpointer         progress_data,
             GError         **error)
{
  double reported = 0;
  guint n = 0;

  for (;;)
    {
      Row *row = pipeline_pop (pipeline);
      gboolean ok = TRUE;

      if (row->kind == ROW_END)
        {
          if (row->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&row->error));
              ok = FALSE;
            }
          row_free (row);
          return ok;
        }

      if ((++n & 0x3f) == 0 && check_cancelled (pipeline->cancellable, error))
        ok = FALSE;
      else if (row->kind == ROW_REFERENCE)
        ok = insert_reference (rebuild, row, error);
      else
        ok = insert_item (rebuild, row, error);

      /* Reading and inserting is most of the work; the FTS build follows */
      if (ok && progress != NULL && row->fraction >= reported + 0.01)
        {
          reported = row->fraction;
          progress (reported * 0.85, progress_data);
        }
      row_free (row);

      if (!ok)
        {
          /* Stop the reader and wait for it to finish */
          pipeline_stop (pipeline);
          while ((row = pipeline_pop (pipeline))->kind != ROW_END)
            row_free (row);
          row_free (row);
          return FALSE;
        }
    }
}

static gboolean
write_outline (CbStore   *self,
               CbCorpus  *outline,
               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "INSERT INTO contents (ord, kind, number, title, page) "
                                                "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  GPtrArray *contents = cb_corpus_get_contents (outline);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < contents->len; i++)
    {
      CbContentsEntry *entry = g_ptr_array_index (contents, i);
      int rc;

      sqlite3_bind_int (stmt, 1, i + 1);
      sqlite3_bind_text (stmt, 2, cb_contents_kind_to_string (entry->kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, entry->number, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, entry->title, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, entry->page);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_sqlite_error (self, rc, error);
    }

  return meta_set (self, "title", cb_corpus_get_title (outline), error) &&
         meta_set (self, "subtitle", cb_corpus_get_subtitle (outline), error) &&
         meta_set (self, "publisher", cb_corpus_get_publisher (outline), error);
}

static gboolean
rebuild_locked (CbStore        *self,
                const char     *corpus_path,
                const char     *checksum,
                GStatBuf       *st,
                CbProgressFunc  progress,
                gpointer        progress_data,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(CbCorpus) outline = cb_corpus_new ();
  g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) st->st_size);
  g_autofree char *mtime = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) st->st_mtime);
  Rebuild rebuild = {
    .self = self,
    .builder = cb_catalog_builder_new (),
  };
  Pipeline pipeline = {
    .corpus_path = corpus_path,
    .outline = outline,
    .taxonomy = self->taxonomy,
    .reference_text = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    .cancellable = cancellable,
  };
  GThread *reader = NULL;
  gboolean ok;

  g_mutex_init (&pipeline.mutex);
  g_cond_init (&pipeline.not_empty);
  g_cond_init (&pipeline.not_full);
  g_queue_init (&pipeline.rows);

  ok = exec (self, "BEGIN IMMEDIATE;"
                   "DELETE FROM items; DELETE FROM item_countries; DELETE FROM item_interventions;"
                   "DELETE FROM item_references; DELETE FROM refs; DELETE FROM contents;"
                   "INSERT INTO fts (fts) VALUES ('delete-all');", error);

  if (ok)
    {
      rebuild.insert_item = prepare (self, "INSERT INTO items (ord, id, kind, number, chapter, section, page, status, "
                                           "design, title, findings, body, meta, refs, xml) VALUES "
                                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", error);
      rebuild.insert_country = prepare (self, "INSERT INTO item_countries (item, code) VALUES (?1, ?2)", NULL);
      rebuild.insert_intervention = prepare (self, "INSERT INTO item_interventions (item, type) VALUES (?1, ?2)", NULL);
      rebuild.insert_reference = prepare (self, "INSERT INTO item_references (item, reference, ord) VALUES (?1, ?2, ?3)", NULL);
      rebuild.insert_ref = prepare (self, "INSERT INTO refs (id, search, xml) VALUES (?1, ?2, ?3)", NULL);
      rebuild.insert_fts = prepare (self, "INSERT INTO fts (rowid, title, findings, body, meta, refs) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", NULL);
      ok = rebuild.insert_item && rebuild.insert_country && rebuild.insert_intervention &&
           rebuild.insert_reference && rebuild.insert_ref && rebuild.insert_fts;
      if (!ok && error != NULL && *error == NULL)
        set_sqlite_error (self, sqlite3_errcode (self->db), error);
    }

  self->cancellable = cancellable;

  if (ok && (reader = g_thread_try_new ("casebook-read", read_corpus, &pipeline, error)) == NULL)
    ok = FALSE;

  ok = ok &&
       insert_rows (&rebuild, &pipeline, progress, progress_data, error) &&
       write_outline (self, outline, error) &&
       load_column_sizes (self, rebuild.builder, error) &&
       meta_set (self, "corpus_path", corpus_path, error) &&
       meta_set (self, "corpus_sha256", checksum, error) &&
       meta_set (self, "corpus_size", size, error) &&
       meta_set (self, "corpus_mtime", mtime, error) &&
       exec (self, "COMMIT;", error);

  self->cancellable = NULL;

  if (reader != NULL)
    g_thread_join (reader);
  g_mutex_clear (&pipeline.mutex);
  g_cond_clear (&pipeline.not_empty);
  g_cond_clear (&pipeline.not_full);
  g_hash_table_unref (pipeline.reference_text);

  g_clear_pointer (&rebuild.insert_item, sqlite3_finalize);
  g_clear_pointer (&rebuild.insert_country, sqlite3_finalize);
  g_clear_pointer (&rebuild.insert_intervention, sqlite3_finalize);
  g_clear_pointer (&rebuild.insert_reference, sqlite3_finalize);
  g_clear_pointer (&rebuild.insert_ref, sqlite3_finalize);
  g_clear_pointer (&rebuild.insert_fts, sqlite3_finalize);

  if (!ok)
    {
      /* The previous index stays as it was. */
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      cb_catalog_unref (cb_catalog_builder_end (rebuild.builder));
      return FALSE;
    }

  set_catalog (self, cb_catalog_builder_end (rebuild.builder));

  /* A rebuild writes the whole index into the write-ahead log: fold it
   * back into the file and empty it, or every later start replays it and
   * the log stays the size of the index (best effort: a reader may hold
   * it, and the next checkpoint will do) */
  sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

  if (progress != NULL)
    progress (1.0, progress_data);

  return TRUE;
}

static gboolean
sync_locked (CbStore         *self,
             const char      *corpus_path,
             GStatBuf        *st,
             gboolean         force,
             CbProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             gboolean        *rebuilt,
             GError         **error)
{
  g_autofree char *stored_path = meta_get (self, "corpus_path");
  g_autofree char *stored_sha = meta_get (self, "corpus_sha256");
  g_autofree char *stored_size = meta_get (self, "corpus_size");
  g_autofree char *stored_mtime = meta_get (self, "corpus_mtime");
  g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) st->st_size);
  g_autofree char *mtime = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) st->st_mtime);
  g_autofree char *checksum = NULL;

  if (!force && stored_sha != NULL && g_strcmp0 (stored_path, corpus_path) == 0 &&
      g_strcmp0 (stored_size, size) == 0 && g_strcmp0 (stored_mtime, mtime) == 0)
    return TRUE;

  if ((checksum = file_checksum (corpus_path, cancellable, error)) == NULL)
    return FALSE;

  if (!force && g_strcmp0 (stored_sha, checksum) == 0)
    {
      /* Same content under another name or time: remember that, no rebuild */
      if (exec (self, "BEGIN IMMEDIATE;", error) &&
          meta_set (self, "corpus_path", corpus_path, error) &&
          meta_set (self, "corpus_size", size, error) &&
          meta_set (self, "corpus_mtime", mtime, error) &&
          exec (self, "COMMIT;", error))
        return TRUE;

      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  if (!rebuild_locked (self, corpus_path, checksum, st, progress, progress_data, cancellable, error))
    return FALSE;

  if (rebuilt != NULL)
    *rebuilt = TRUE;

  return TRUE;
}

/**
 * cb_store_sync:
 * @self: a store
 * @corpus_path: the corpus file to index
 * @force: rebuild even if the corpus has not changed
 * @progress: (scope call) (nullable): called during a rebuild
 * @progress_data: closure for @progress
 * @cancellable: (nullable): to interrupt a rebuild
 * @rebuilt: (out) (optional): whether the index was rebuilt
 * @error: return location for a #GError
 *
 * Rebuilds the index from @corpus_path, in one transaction, when the
 * corpus's content differs from what the index holds; a file whose size and
 * time have not changed is not even read. On failure or cancellation the
 * index is left as it was; %CB_ERROR_NO_SPACE says the disk is full. A
 * store opened with %CB_STORE_REPLACE_DAMAGED replaces an index found
 * damaged here with a new one, built from @corpus_path.
 */
gboolean
cb_store_sync (CbStore         *self,
               const char      *corpus_path,
               gboolean         force,
               CbProgressFunc   progress,
               gpointer         progress_data,
               GCancellable    *cancellable,
               gboolean        *rebuilt,
               GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  g_return_val_if_fail (CB_IS_STORE (self), FALSE);
  g_return_val_if_fail (corpus_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (rebuilt != NULL)
    *rebuilt = FALSE;

  if (g_stat (corpus_path, &st) != 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("%s: no such file"), corpus_path);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  g_clear_pointer (&self->damage, g_free);

  if (sync_locked (self, corpus_path, &st, force, progress, progress_data, cancellable, rebuilt, &local_error))
    return TRUE;

  /* Only what SQLite found damaged in the index itself: a damaged corpus
   * file leaves the index as it was */
  if ((self->flags & CB_STORE_REPLACE_DAMAGED) == 0 || self->damage == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return replace_damaged_locked (self, error) &&
         sync_locked (self, corpus_path, &st, TRUE, progress, progress_data, cancellable, rebuilt, error);
}

/**
 * cb_store_dup_outline:
 * @self: a store
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a corpus with the guide's title and contents
 *   (chapters and sections with their pages), without items
 */
CbCorpus *
cb_store_dup_outline (CbStore  *self,
                      GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CbCorpus) outline = cb_corpus_new ();
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *publisher = NULL;
  int rc;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);

  title = meta_get (self, "title");
  subtitle = meta_get (self, "subtitle");
  publisher = meta_get (self, "publisher");
  cb_corpus_set_title (outline, title);
  cb_corpus_set_subtitle (outline, subtitle);
  cb_corpus_set_publisher (outline, publisher);

  if ((stmt = prepare (self, "SELECT kind, number, title, page FROM contents ORDER BY ord", error)) == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbContentsKind kind = CB_CONTENTS_FRONT;

      cb_contents_kind_from_string ((const char *) sqlite3_column_text (stmt, 0), &kind);
      cb_corpus_add_contents_entry (outline, kind, (const char *) sqlite3_column_text (stmt, 1),
                                    (const char *) sqlite3_column_text (stmt, 2), sqlite3_column_int (stmt, 3));
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&outline);
}

/* Searching */

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const CbHit *ha = a;
  const CbHit *hb = b;

  if (ha->score != hb->score)
    return ha->score > hb->score ? -1 : 1;

  return (ha->index > hb->index) - (ha->index < hb->index);
}

/* Ranks facet values: kinds in kind order, chapters by number, taxonomy
 * values in taxonomy order, anything else after them by name. */
static guint
value_rank (CbTaxonomy  *taxonomy,
            CbFacet      facet,
            const char  *value)
{
  static const CbTaxonomyDimension dimensions[] = {
    [CB_FACET_COUNTRY] = CB_TAXONOMY_COUNTRY,
    [CB_FACET_INTERVENTION] = CB_TAXONOMY_INTERVENTION,
    [CB_FACET_DESIGN] = CB_TAXONOMY_DESIGN,
  };
  CbItemKind kind;

  switch (facet)
    {
    case CB_FACET_KIND:
      return cb_item_kind_from_string (value, &kind) ? (guint) kind : 1000;

    case CB_FACET_CHAPTER:
      return (guint) MIN (g_ascii_strtoull (value, NULL, 10), 999);

    case CB_FACET_COUNTRY:
    case CB_FACET_INTERVENTION:
    case CB_FACET_DESIGN:
      {
        GPtrArray *terms = cb_taxonomy_get_terms (taxonomy, dimensions[facet]);

        for (guint i = 0; i < terms->len; i++)
          {
            if (g_str_equal (((CbTerm *) g_ptr_array_index (terms, i))->id, value))
              return i;
          }
        return 1000;
      }

    default:
      return 1000;
    }
}

typedef struct {
  CbTaxonomy *taxonomy;
  CbFacet     facet;
} FacetSort;

static int
compare_facet_counts (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  const FacetSort *sort = user_data;
  const CbFacetCount *ca = a;
  const CbFacetCount *cb = b;
  guint ra = value_rank (sort->taxonomy, sort->facet, ca->value);
  guint rb = value_rank (sort->taxonomy, sort->facet, cb->value);

  if (ra != rb)
    return ra < rb ? -1 : 1;

  return g_strcmp0 (ca->value, cb->value);
}

/* Which rows match the text of @query, with their scores; an empty query
 * gives every row a score of 0. */
static GArray *
match_text_locked (CbStore       *self,
                   CbCatalog     *catalog,
                   CbQuery       *query,
                   GError       **error)
{
  const char *match = cb_query_get_match (query);
  const char *exclude = cb_query_get_exclude (query);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (CbHit));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *expression = NULL;
  g_autofree guint8 *excluded = NULL;
  int rc = SQLITE_DONE;

  if (match != NULL)
    {
      expression = exclude ? g_strdup_printf ("(%s) NOT (%s)", match, exclude) : g_strdup (match);
      if ((stmt = prepare (self, "SELECT rowid, cb_bm25f(fts, ?2, " BM25_WEIGHTS ") FROM fts WHERE fts MATCH ?1", error)) == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_STATIC);
      cb_column_sizes_bind (stmt, 2, catalog->column_sizes);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CbHit hit = { (guint) sqlite3_column_int64 (stmt, 0) - 1, -sqlite3_column_double (stmt, 1) };

          if (hit.index < catalog->n_items)
            {
              const char *kind = g_ptr_array_index (catalog->values[CB_FACET_KIND],
                                                    catalog->value_ids[CB_FACET_KIND][catalog->offsets[CB_FACET_KIND][hit.index]]);

              hit.score *= kind_boost (kind);
              g_array_append_val (candidates, hit);
            }
        }

      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (self, rc, error);
          return NULL;
        }

      return g_steal_pointer (&candidates);
    }

  if (exclude != NULL)
    {
      excluded = g_new0 (guint8, MAX (catalog->n_items, 1));
      if ((stmt = prepare (self, "SELECT rowid FROM fts WHERE fts MATCH ?1", error)) == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, exclude, -1, SQLITE_STATIC);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 rowid = sqlite3_column_int64 (stmt, 0);

          if (rowid >= 1 && rowid <= catalog->n_items)
            excluded[rowid - 1] = 1;
        }

      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  for (guint i = 0; i < catalog->n_items; i++)
    {
      CbHit hit = { i, 0 };

      if (excluded == NULL || !excluded[i])
        g_array_append_val (candidates, hit);
    }

  return g_steal_pointer (&candidates);
}

/**
 * cb_store_search:
 * @self: a store
 * @query: what to find
 * @cancellable: (nullable): cancelling interrupts the query at once
 * @error: return location for a #GError
 *
 * Ranks the items matching @query's text by bm25 (ties and text-less
 * queries in guide order), keeps those passing its filters (alternatives
 * within a dimension, all dimensions together), leaves retired items out
 * unless asked, and counts every facet value with the other dimensions'
 * filters applied.
 *
 * Returns: (transfer full): the results, or %NULL with %CB_ERROR_CANCELLED
 *   when cancelled
 */
CbSearchResults *
cb_store_search (CbStore       *self,
                 CbQuery       *query,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(CbCatalog) catalog = NULL;
  g_autoptr(CbQuery) snapshot = NULL;
  g_autoptr(GArray) candidates = NULL;
  GArray *hits;
  GArray *facets[CB_N_FACETS];
  guint8 *accepted[CB_N_FACETS] = { NULL };
  guint *counts[CB_N_FACETS] = { NULL };
  gboolean active[CB_N_FACETS];
  gboolean include_retired;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (CB_IS_QUERY (query), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  snapshot = cb_query_copy (query);
  include_retired = cb_query_get_include_retired (snapshot);

  {
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

    if (check_cancelled (cancellable, error))
      return NULL;

    catalog = dup_catalog (self);
    self->cancellable = cancellable;
    candidates = match_text_locked (self, catalog, snapshot, error);
    self->cancellable = NULL;

    if (candidates == NULL)
      return NULL;
  }

  if (check_cancelled (cancellable, error))
    return NULL;

  /* Filters as sets of accepted value indices */
  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *filter = cb_query_get_filter (snapshot, f);
      guint n_values = catalog->values[f]->len;

      active[f] = filter->len > 0;
      accepted[f] = g_new0 (guint8, MAX (n_values, 1));
      counts[f] = g_new0 (guint, MAX (n_values, 1));
      for (guint i = 0; i < filter->len; i++)
        {
          gint index = cb_catalog_value_index (catalog, f, g_ptr_array_index (filter, i));

          if (index >= 0)
            accepted[f][index] = 1;
        }
    }

  /* An item that passes every filter is a hit and counts in every
   * dimension; one that fails exactly one dimension counts in that one
   * only, as it would be a hit if that filter were lifted. */
  hits = g_array_sized_new (FALSE, FALSE, sizeof (CbHit), candidates->len);
  for (guint c = 0; c < candidates->len; c++)
    {
      CbHit *hit = &g_array_index (candidates, CbHit, c);
      guint i = hit->index;
      guint failures = 0;
      guint failed = 0;

      if ((c & 0x3fff) == 0 && g_cancellable_is_cancelled (cancellable))
        break;

      if (catalog->retired[i] && !include_retired)
        continue;

      for (guint f = 0; f < CB_N_FACETS && failures < 2; f++)
        {
          gboolean pass = !active[f];

          for (guint32 v = catalog->offsets[f][i]; !pass && v < catalog->offsets[f][i + 1]; v++)
            pass = accepted[f][catalog->value_ids[f][v]];

          if (!pass)
            {
              failures++;
              failed = f;
            }
        }

      if (failures == 0)
        {
          g_array_append_val (hits, *hit);
          for (guint f = 0; f < CB_N_FACETS; f++)
            for (guint32 v = catalog->offsets[f][i]; v < catalog->offsets[f][i + 1]; v++)
              counts[f][catalog->value_ids[f][v]]++;
        }
      else if (failures == 1)
        {
          for (guint32 v = catalog->offsets[failed][i]; v < catalog->offsets[failed][i + 1]; v++)
            counts[failed][catalog->value_ids[failed][v]]++;
        }
    }

  if (check_cancelled (cancellable, error))
    {
      g_array_unref (hits);
      for (guint f = 0; f < CB_N_FACETS; f++)
        {
          g_free (accepted[f]);
          g_free (counts[f]);
        }
      return NULL;
    }

  if (cb_query_get_match (snapshot) != NULL)
    g_array_sort (hits, compare_hits);

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *filter = cb_query_get_filter (snapshot, f);
      FacetSort sort = { self->taxonomy, f };

      facets[f] = g_array_new (FALSE, FALSE, sizeof (CbFacetCount));
      for (guint v = 0; v < catalog->values[f]->len; v++)
        {
          CbFacetCount count = { g_ptr_array_index (catalog->values[f], v), counts[f][v], accepted[f][v] };

          if (count.count > 0 || count.selected)
            g_array_append_val (facets[f], count);
        }

      /* Selected values no item has still show, with nothing */
      for (guint i = 0; i < filter->len; i++)
        {
          const char *value = g_ptr_array_index (filter, i);

          if (cb_catalog_value_index (catalog, f, value) < 0)
            {
              CbFacetCount count = { value, 0, TRUE };

              g_array_append_val (facets[f], count);
            }
        }

      g_array_sort_with_data (facets[f], compare_facet_counts, &sort);
      g_free (accepted[f]);
      g_free (counts[f]);
    }

  return _cb_search_results_new (catalog, snapshot, hits, facets);
}

static char *
leading_words (const char *text,
               guint       n_words)
{
  g_auto(GStrv) words = NULL;
  GString *out;
  guint i;

  if (text == NULL)
    return g_strdup ("");

  words = g_strsplit_set (text, " \n\t", -1);
  out = g_string_new (NULL);
  for (i = 0; words[i] && n_words > 0; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      n_words--;
    }

  for (; words[i]; i++)
    {
      if (*words[i] != '\0')
        {
          g_string_append (out, "…");
          break;
        }
    }

  return g_string_free (out, FALSE);
}

/* The first words of an item, when the search has no words to show
 * around (filters only) or matched nothing in the item's text */
static char *
dup_lead (CbStore  *self,
          gint64    rowid,
          GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = prepare (self, "SELECT coalesce(nullif(body, ''), findings, title) FROM items WHERE ord = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return leading_words ((const char *) sqlite3_column_text (stmt, 0), 30);

  if (rc == SQLITE_DONE)
    g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("The index changed; search again"));
  else
    set_sqlite_error (self, rc, error);

  return NULL;
}

/**
 * cb_store_snippets:
 * @self: a store
 * @results: results of cb_store_search()
 * @positions: (array length=n): positions in @results
 * @n: how many
 * @mark_start: (nullable): put before each matched word
 * @mark_end: (nullable): put after each matched word
 * @error: return location for a #GError
 *
 * The extracts of several results at once: one FTS5 query for all of them
 * (a page of results), not one each, which for a prefix search would merge
 * the whole match list once per result.
 *
 * Returns: (transfer full) (element-type utf8): one extract per position,
 *   in order, each on one line
 */
GPtrArray *
cb_store_snippets (CbStore          *self,
                   CbSearchResults  *results,
                   const guint      *positions,
                   guint             n,
                   const char       *mark_start,
                   const char       *mark_end,
                   GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) snippets = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GString) rowids = NULL;
  const char *match;
  int rc;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (results), NULL);
  g_return_val_if_fail (positions != NULL || n == 0, NULL);

  match = cb_query_get_match (cb_search_results_get_query (results));
  found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  rowids = g_string_new ("[");
  for (guint i = 0; i < n; i++)
    {
      g_return_val_if_fail (positions[i] < cb_search_results_get_n_hits (results), NULL);
      g_string_append_printf (rowids, "%s%u", i ? "," : "",
                              _cb_search_results_get_index (results, positions[i]) + 1);
    }
  g_string_append_c (rowids, ']');

  locker = g_mutex_locker_new (&self->lock);

  if (match != NULL && n > 0)
    {
      /* With a prefix, "+rowid" keeps FTS5 from seeking each row through
       * the whole merged match list; for plain words the seek is cheaper */
      g_autoptr(sqlite3_stmt) stmt =
        prepare (self, strchr (match, '*') != NULL
                       ? "SELECT rowid, snippet(fts, cb_best_column(fts, 1, 2, 4), ?1, ?2, '…', 24) FROM fts "
                         "WHERE fts MATCH ?3 AND +rowid IN (SELECT value FROM json_each(?4))"
                       : "SELECT rowid, snippet(fts, cb_best_column(fts, 1, 2, 4), ?1, ?2, '…', 24) FROM fts "
                         "WHERE fts MATCH ?3 AND rowid IN (SELECT value FROM json_each(?4))",
                 error);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, mark_start ? mark_start : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, mark_end ? mark_end : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, match, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, rowids->str, -1, SQLITE_STATIC);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 *rowid = g_new (gint64, 1);

          *rowid = sqlite3_column_int64 (stmt, 0);
          /* One line: paragraphs joined by spaces */
          g_hash_table_insert (found, rowid,
                               g_strdelimit (g_strdup ((const char *) sqlite3_column_text (stmt, 1)), "\n", ' '));
        }
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (self, rc, error);
          return NULL;
        }
    }

  snippets = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    {
      gint64 rowid = (gint64) _cb_search_results_get_index (results, positions[i]) + 1;
      char *snippet = g_hash_table_lookup (found, &rowid);

      if (snippet != NULL)
        g_ptr_array_add (snippets, g_strdup (snippet));
      else if ((snippet = dup_lead (self, rowid, error)) != NULL)
        g_ptr_array_add (snippets, snippet);
      else
        return NULL;
    }

  return g_steal_pointer (&snippets);
}

/**
 * cb_store_snippet:
 * @self: a store
 * @results: results of cb_store_search()
 * @position: a rank in @results
 * @mark_start: what to put before a matched term
 * @mark_end: what to put after it
 * @error: return location for a #GError
 *
 * The marks are the caller's, so a GUI can choose sentinels, escape the
 * text, then turn the sentinels into markup. The extract comes from the
 * findings, body or references (the title is shown anyway), whichever has
 * the most matches, on one line.
 *
 * Returns: (transfer full): a short extract with the matched terms marked,
 *   or the opening words when the query has no words to match
 */
char *
cb_store_snippet (CbStore          *self,
                  CbSearchResults  *results,
                  guint             position,
                  const char       *mark_start,
                  const char       *mark_end,
                  GError          **error)
{
  g_autoptr(GPtrArray) snippets = NULL;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (CB_IS_SEARCH_RESULTS (results), NULL);
  g_return_val_if_fail (position < cb_search_results_get_n_hits (results), NULL);

  if ((snippets = cb_store_snippets (self, results, &position, 1, mark_start, mark_end, error)) == NULL)
    return NULL;

  return g_strdup (g_ptr_array_index (snippets, 0));
}

/* The straightforward way: facet counts by SQL GROUP BY over the match. It
 * is the benchmark's baseline and the tests' independent check. */

static void
append_filter_sql (GString  *sql,
                   CbFacet   facet,
                   guint     n_values,
                   guint    *param)
{
  g_string_append (sql, " AND ");
  switch (facet)
    {
    case CB_FACET_KIND:
      g_string_append (sql, "items.kind IN (");
      break;
    case CB_FACET_CHAPTER:
      g_string_append (sql, "CAST(items.chapter AS TEXT) IN (");
      break;
    case CB_FACET_DESIGN:
      g_string_append (sql, "items.design IN (");
      break;
    case CB_FACET_COUNTRY:
      g_string_append (sql, "EXISTS (SELECT 1 FROM item_countries f WHERE f.item = items.ord AND f.code IN (");
      break;
    case CB_FACET_INTERVENTION:
      g_string_append (sql, "EXISTS (SELECT 1 FROM item_interventions f WHERE f.item = items.ord AND f.type IN (");
      break;
    default:
      g_assert_not_reached ();
    }

  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (sql, "%s?%u", i ? ", " : "", (*param)++);

  g_string_append (sql, facet == CB_FACET_COUNTRY || facet == CB_FACET_INTERVENTION ? "))" : ")");
}

/**
 * cb_store_facets_in_sql:
 * @self: a store
 * @query: a query
 * @facet: the dimension to count
 * @error: return location for a #GError
 *
 * Counts @facet's values for @query with SQL (GROUP BY over the FTS match,
 * the other dimensions' filters as SQL conditions). cb_store_search() gives
 * the same counts faster; this is the baseline it is measured and checked
 * against.
 *
 * Returns: (transfer full) (element-type utf8 guint): value → count
 */
GHashTable *
cb_store_facets_in_sql (CbStore  *self,
                        CbQuery  *query,
                        CbFacet   facet,
                        GError  **error)
{
  static const char *value_sql[] = {
    [CB_FACET_KIND] = "items.kind",
    [CB_FACET_CHAPTER] = "CAST(items.chapter AS TEXT)",
    [CB_FACET_COUNTRY] = "c.code",
    [CB_FACET_INTERVENTION] = "t.type",
    [CB_FACET_DESIGN] = "items.design",
  };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *expression = NULL;
  GHashTable *counts;
  guint param = 1;
  int rc;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (CB_IS_QUERY (query), NULL);
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  g_string_append_printf (sql, "SELECT %s, count(DISTINCT items.ord) FROM items", value_sql[facet]);
  if (facet == CB_FACET_COUNTRY)
    g_string_append (sql, " JOIN item_countries c ON c.item = items.ord");
  else if (facet == CB_FACET_INTERVENTION)
    g_string_append (sql, " JOIN item_interventions t ON t.item = items.ord");
  g_string_append_printf (sql, " WHERE %s IS NOT NULL", value_sql[facet]);

  if (!cb_query_get_include_retired (query))
    g_string_append (sql, " AND items.status = 0");

  if (cb_query_get_match (query) != NULL)
    {
      expression = cb_query_get_exclude (query)
        ? g_strdup_printf ("(%s) NOT (%s)", cb_query_get_match (query), cb_query_get_exclude (query))
        : g_strdup (cb_query_get_match (query));
      g_string_append_printf (sql, " AND items.ord IN (SELECT rowid FROM fts WHERE fts MATCH ?%u)", param++);
    }
  else if (cb_query_get_exclude (query) != NULL)
    {
      expression = g_strdup (cb_query_get_exclude (query));
      g_string_append_printf (sql, " AND items.ord NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?%u)", param++);
    }

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      guint n = cb_query_get_filter (query, f)->len;

      if (f != facet && n > 0)
        append_filter_sql (sql, f, n, &param);
    }

  g_string_append_printf (sql, " GROUP BY %s", value_sql[facet]);

  locker = g_mutex_locker_new (&self->lock);
  if ((stmt = prepare (self, sql->str, error)) == NULL)
    return NULL;

  param = 1;
  if (expression != NULL)
    sqlite3_bind_text (stmt, param++, expression, -1, SQLITE_STATIC);
  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GPtrArray *filter = cb_query_get_filter (query, f);

      if (f == facet)
        continue;
      for (guint i = 0; i < filter->len; i++)
        sqlite3_bind_text (stmt, param++, g_ptr_array_index (filter, i), -1, SQLITE_STATIC);
    }

  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER (sqlite3_column_int (stmt, 1)));

  if (rc != SQLITE_DONE)
    {
      g_hash_table_unref (counts);
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  return counts;
}

/* Items */

static GBytes *
load_blob (CbStore     *self,
           const char  *sql,
           const char  *id,
           GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

  if (rc == SQLITE_DONE)
    g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("No item “%s” in the index"), id);
  else
    set_sqlite_error (self, rc, error);

  return NULL;
}

/**
 * cb_store_load_item:
 * @self: a store
 * @id: an item id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the item, whole, without reading the corpus
 */
CbItem *
cb_store_load_item (CbStore     *self,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GBytes) xml = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if ((xml = load_blob (self, "SELECT xml FROM items WHERE id = ?1", id, error)) == NULL)
    return NULL;

  data = g_bytes_get_data (xml, &len);

  return cb_item_from_xml (data, len, error);
}

/**
 * cb_store_load_reference:
 * @self: a store
 * @id: a reference id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the reference
 */
CbReference *
cb_store_load_reference (CbStore     *self,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(GBytes) xml = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if ((xml = load_blob (self, "SELECT xml FROM refs WHERE id = ?1", id, error)) == NULL)
    return NULL;

  data = g_bytes_get_data (xml, &len);

  return cb_reference_from_xml (data, len, error);
}

typedef struct {
  guint index;
  guint shared;
} Related;

static int
compare_related (gconstpointer a,
                 gconstpointer b)
{
  const Related *ra = a;
  const Related *rb = b;

  if (ra->shared != rb->shared)
    return ra->shared > rb->shared ? -1 : 1;

  return (ra->index > rb->index) - (ra->index < rb->index);
}

/**
 * cb_store_dup_related:
 * @self: a store
 * @id: an item id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type utf8): ids of the active items
 *   that share an intervention type with @id, most shared types first, then
 *   in guide order
 */
GPtrArray *
cb_store_dup_related (CbStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_autoptr(CbCatalog) catalog = NULL;
  g_autoptr(GArray) related = g_array_new (FALSE, FALSE, sizeof (Related));
  g_autofree guint8 *types = NULL;
  GPtrArray *ids;
  const CbFacet f = CB_FACET_INTERVENTION;
  gint self_index;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  catalog = dup_catalog (self);

  if ((self_index = cb_catalog_lookup (catalog, id)) < 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("No item “%s” in the index"), id);
      return NULL;
    }

  types = g_new0 (guint8, MAX (catalog->values[f]->len, 1));
  for (guint32 v = catalog->offsets[f][self_index]; v < catalog->offsets[f][self_index + 1]; v++)
    types[catalog->value_ids[f][v]] = 1;

  for (guint i = 0; i < catalog->n_items; i++)
    {
      Related r = { i, 0 };

      if ((gint) i == self_index || catalog->retired[i])
        continue;
      for (guint32 v = catalog->offsets[f][i]; v < catalog->offsets[f][i + 1]; v++)
        r.shared += types[catalog->value_ids[f][v]];
      if (r.shared > 0)
        g_array_append_val (related, r);
    }

  g_array_sort (related, compare_related);

  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < related->len; i++)
    g_ptr_array_add (ids, g_strdup (catalog->ids[g_array_index (related, Related, i).index]));

  return ids;
}

/**
 * cb_store_describe:
 * @self: a store
 * @id: an item id
 * @kind: (out) (optional) (transfer full): its kind ("case_study")
 * @number: (out) (optional) (transfer full) (nullable): its number
 * @title: (out) (optional) (transfer full): its title
 *
 * Describes an item from memory, without touching the database: cheap
 * enough for the interface thread.
 *
 * Returns: %FALSE if the index has no such item
 */
gboolean
cb_store_describe (CbStore     *self,
                   const char  *id,
                   char       **kind,
                   char       **number,
                   char       **title)
{
  g_autoptr(CbCatalog) catalog = NULL;
  gint index;

  g_return_val_if_fail (CB_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  catalog = dup_catalog (self);

  if ((index = cb_catalog_lookup (catalog, id)) < 0)
    return FALSE;

  if (kind != NULL)
    *kind = g_strdup (g_ptr_array_index (catalog->values[CB_FACET_KIND],
                                         catalog->value_ids[CB_FACET_KIND][catalog->offsets[CB_FACET_KIND][index]]));
  if (number != NULL)
    *number = g_strdup (catalog->numbers[index]);
  if (title != NULL)
    *title = g_strdup (catalog->titles[index]);

  return TRUE;
}

/**
 * cb_store_is_retired:
 * @self: a store
 * @id: an item id
 *
 * From memory, like cb_store_describe().
 *
 * Returns: whether the item is in the index and retired from the corpus
 */
gboolean
cb_store_is_retired (CbStore    *self,
                     const char *id)
{
  g_autoptr(CbCatalog) catalog = NULL;
  gint index;

  g_return_val_if_fail (CB_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  catalog = dup_catalog (self);
  index = cb_catalog_lookup (catalog, id);

  return index >= 0 && catalog->retired[index];
}

/**
 * cb_store_dup_missing_items:
 * @self: a store
 * @pack: a pack
 *
 * Returns: (transfer full) (element-type utf8): the ids of the pack's
 *   items the index does not have, in pack order
 */
GPtrArray *
cb_store_dup_missing_items (CbStore *self,
                            CbPack  *pack)
{
  GPtrArray *missing;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (CB_IS_PACK (pack), NULL);

  missing = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      const char *id = cb_pack_get_entry (pack, i)->item_id;

      if (!cb_store_describe (self, id, NULL, NULL, NULL))
        g_ptr_array_add (missing, g_strdup (id));
    }

  return missing;
}

/**
 * cb_store_new_pack_entry:
 * @self: a store
 * @id: an item id
 * @error: set to %CB_ERROR_NOT_FOUND when the index has no such item
 *
 * Returns: (transfer full): a pack entry for @id with the item's label and
 *   title as they are now, and no note
 */
CbPackEntry *
cb_store_new_pack_entry (CbStore     *self,
                         const char  *id,
                         GError     **error)
{
  g_autofree char *kind_str = NULL;
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;
  CbItemKind kind;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cb_store_describe (self, id, &kind_str, &number, &title) ||
      !cb_item_kind_from_string (kind_str, &kind))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("There is no item “%s” in the corpus"), id);
      return NULL;
    }

  if (number != NULL && *number != '\0')
    /* Translators: an item's kind and number, "Case study 4.2.4" */
    label = g_strdup_printf (C_("item label", "%s %s"), cb_item_kind_label (kind), number);
  else
    label = g_strdup (cb_item_kind_label (kind));

  return cb_pack_entry_new (id, label, title, NULL);
}

/**
 * cb_store_dup_values:
 * @self: a store
 * @facet: a dimension
 *
 * Returns: (transfer full) (element-type utf8): every value some item has
 *   in @facet, in display order (kinds in kind order, chapters by number,
 *   taxonomy values in taxonomy order)
 */
GPtrArray *
cb_store_dup_values (CbStore *self,
                     CbFacet  facet)
{
  g_autoptr(CbCatalog) catalog = NULL;
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (CbFacetCount));
  FacetSort sort = { self->taxonomy, facet };
  GPtrArray *values;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  catalog = dup_catalog (self);

  for (guint v = 0; v < catalog->values[facet]->len; v++)
    {
      CbFacetCount count = { g_ptr_array_index (catalog->values[facet], v), 0, FALSE };

      g_array_append_val (counts, count);
    }
  g_array_sort_with_data (counts, compare_facet_counts, &sort);

  values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < counts->len; i++)
    g_ptr_array_add (values, g_strdup (g_array_index (counts, CbFacetCount, i).value));

  return values;
}

void
cb_cross_tab_free (CbCrossTab *tab)
{
  if (tab == NULL)
    return;

  g_ptr_array_unref (tab->rows);
  g_ptr_array_unref (tab->columns);
  g_free (tab->counts);
  g_free (tab);
}

guint
cb_cross_tab_get (CbCrossTab *tab,
                  guint       row,
                  guint       column)
{
  g_return_val_if_fail (tab != NULL, 0);
  g_return_val_if_fail (row < tab->rows->len && column < tab->columns->len, 0);

  return tab->counts[row * tab->columns->len + column];
}

/* Every taxonomy value of a dimension, so that empty rows and columns show;
 * chapters are those the corpus has. */
static GPtrArray *
axis_values (CbStore *self,
             CbFacet  facet)
{
  static const CbTaxonomyDimension dimensions[] = {
    [CB_FACET_COUNTRY] = CB_TAXONOMY_COUNTRY,
    [CB_FACET_INTERVENTION] = CB_TAXONOMY_INTERVENTION,
    [CB_FACET_DESIGN] = CB_TAXONOMY_DESIGN,
  };
  g_autoptr(GPtrArray) present = cb_store_dup_values (self, facet);
  GPtrArray *values;

  if (facet != CB_FACET_COUNTRY && facet != CB_FACET_INTERVENTION && facet != CB_FACET_DESIGN)
    return g_steal_pointer (&present);

  values = g_ptr_array_new_with_free_func (g_free);
  {
    GPtrArray *terms = cb_taxonomy_get_terms (self->taxonomy, dimensions[facet]);

    for (guint i = 0; i < terms->len; i++)
      g_ptr_array_add (values, g_strdup (((CbTerm *) g_ptr_array_index (terms, i))->id));
  }

  /* Values outside the taxonomy (a corpus ahead of it) still count */
  for (guint i = 0; i < present->len; i++)
    {
      if (!g_ptr_array_find_with_equal_func (values, g_ptr_array_index (present, i), g_str_equal, NULL))
        g_ptr_array_add (values, g_strdup (g_ptr_array_index (present, i)));
    }

  return values;
}

/**
 * cb_store_cross_tab:
 * @self: a store
 * @query: the current search
 * @row_facet: the dimension down the side (intervention types)
 * @column_facet: the dimension across (countries or chapters)
 * @cancellable: (nullable): to interrupt
 * @error: return location for a #GError
 *
 * Counts the results of @query, with its filters on @row_facet and
 * @column_facet lifted, for every pair of values. Rows and columns list
 * every value, so gaps in the evidence show as empty cells.
 *
 * Returns: (transfer full): the table
 */
CbCrossTab *
cb_store_cross_tab (CbStore       *self,
                    CbQuery       *query,
                    CbFacet        row_facet,
                    CbFacet        column_facet,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(CbQuery) lifted = NULL;
  g_autoptr(CbSearchResults) results = NULL;
  g_autofree gint *row_of = NULL;
  g_autofree gint *column_of = NULL;
  CbCrossTab *tab;
  CbCatalog *catalog;
  guint n;

  g_return_val_if_fail (CB_IS_STORE (self), NULL);
  g_return_val_if_fail (CB_IS_QUERY (query), NULL);
  g_return_val_if_fail (row_facet < CB_N_FACETS && column_facet < CB_N_FACETS, NULL);

  lifted = cb_query_copy (query);
  cb_query_clear_filter (lifted, row_facet);
  cb_query_clear_filter (lifted, column_facet);

  if ((results = cb_store_search (self, lifted, cancellable, error)) == NULL)
    return NULL;

  catalog = _cb_search_results_get_catalog (results);
  tab = g_new0 (CbCrossTab, 1);
  tab->rows = axis_values (self, row_facet);
  tab->columns = axis_values (self, column_facet);
  tab->counts = g_new0 (guint, MAX (tab->rows->len * tab->columns->len, 1));

  /* Catalog value index -> row or column */
  row_of = g_new (gint, MAX (catalog->values[row_facet]->len, 1));
  column_of = g_new (gint, MAX (catalog->values[column_facet]->len, 1));
  for (guint v = 0; v < catalog->values[row_facet]->len; v++)
    {
      guint at;

      row_of[v] = g_ptr_array_find_with_equal_func (tab->rows, g_ptr_array_index (catalog->values[row_facet], v),
                                                   g_str_equal, &at) ? (gint) at : -1;
    }
  for (guint v = 0; v < catalog->values[column_facet]->len; v++)
    {
      guint at;

      column_of[v] = g_ptr_array_find_with_equal_func (tab->columns,
                                                      g_ptr_array_index (catalog->values[column_facet], v),
                                                      g_str_equal, &at) ? (gint) at : -1;
    }

  n = cb_search_results_get_n_hits (results);
  for (guint h = 0; h < n; h++)
    {
      guint i = _cb_search_results_get_index (results, h);

      for (guint32 r = catalog->offsets[row_facet][i]; r < catalog->offsets[row_facet][i + 1]; r++)
        for (guint32 c = catalog->offsets[column_facet][i]; c < catalog->offsets[column_facet][i + 1]; c++)
          {
            gint row = row_of[catalog->value_ids[row_facet][r]];
            gint column = column_of[catalog->value_ids[column_facet][c]];

            if (row >= 0 && column >= 0)
              {
                guint *cell = &tab->counts[row * tab->columns->len + column];

                (*cell)++;
                tab->max = MAX (tab->max, *cell);
              }
          }
    }

  return tab;
}
