/* test-pack-store.c: the user's evidence packs: creating, filling, ordering
 * and annotating packs, undo by saving a whole pack, names and dates the
 * user may type, damaged, newer, full and read-only databases, and a
 * writer killed at random moments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb-error.h"
#include "cb-pack-store.h"

/* 1764115200, the SOURCE_DATE_EPOCH of tests/meson.build */
#define EPOCH_TIMESTAMP "2025-11-26T00:00:00Z"

#define KILL_PACK "Kill test"
#define KILL_ITEMS 30
#define KILL_RUNS 20

static char *self_exe;

typedef struct {
  char        *dir;
  char        *path;
  CbPackStore *store;
  GArray      *changes;
} Fixture;

/* Helpers */

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
on_changed (CbPackStore *store,
            gint64       pack_id,
            Fixture     *fixture)
{
  g_array_append_val (fixture->changes, pack_id);
}

static void
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fixture->store);
  fixture->store = cb_pack_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (CB_IS_PACK_STORE (fixture->store));
  g_assert_cmpstr (cb_pack_store_get_path (fixture->store), ==, fixture->path);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), fixture);
}

static void
close_store (Fixture *fixture)
{
  CbPackStore *store = g_steal_pointer (&fixture->store);

  g_assert_finalize_object (store);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("casebook-packs-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "user.sqlite", NULL);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  open_store (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    close_store (fixture);
  g_chmod (fixture->dir, 0700);
  remove_tree (fixture->dir);
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
  g_array_unref (fixture->changes);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Asserts that exactly one change, to @pack_id, was announced since the
 * last check. */
static void
assert_changed (Fixture *fixture,
                gint64   pack_id)
{
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->changes, gint64, 0), ==, pack_id);
  g_array_set_size (fixture->changes, 0);
}

static void
assert_unchanged (Fixture *fixture)
{
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

static gint64
create_pack (Fixture    *fixture,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cb_pack_store_create (fixture->store, name, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_changed (fixture, id);

  return id;
}

static void
add_item (Fixture    *fixture,
          gint64      pack_id,
          const char *item_id,
          int         position)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = g_strdup_printf ("Label of %s", item_id);
  g_autofree char *title = g_strdup_printf ("Title of %s", item_id);

  g_assert_true (cb_pack_store_add_item (fixture->store, pack_id, item_id, label, title, position, &error));
  g_assert_no_error (error);
  assert_changed (fixture, pack_id);
}

/* A pack with the items named in @items, separated by spaces. */
static gint64
create_filled_pack (Fixture    *fixture,
                    const char *name,
                    const char *items)
{
  g_auto(GStrv) ids = g_strsplit (items, " ", -1);
  gint64 id = create_pack (fixture, name);

  for (guint i = 0; ids[i] != NULL; i++)
    add_item (fixture, id, ids[i], -1);

  return id;
}

static void
set_note (Fixture    *fixture,
          gint64      pack_id,
          const char *item_id,
          const char *note)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_pack_store_set_note (fixture->store, pack_id, item_id, note, &error));
  g_assert_no_error (error);
  assert_changed (fixture, pack_id);
}

static CbPack *
load (Fixture *fixture,
      gint64   pack_id)
{
  g_autoptr(GError) error = NULL;
  CbPack *pack = cb_pack_store_load (fixture->store, pack_id, &error);

  g_assert_no_error (error);
  g_assert_true (CB_IS_PACK (pack));
  g_assert_cmpint (cb_pack_get_id (pack), ==, pack_id);

  return pack;
}

static GPtrArray *
list (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *packs = cb_pack_store_list (fixture->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (packs);

  return packs;
}

/* The pack's item ids in order, separated by spaces. */
static char *
order_of (CbPack *pack)
{
  GString *order = g_string_new (NULL);

  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      if (i > 0)
        g_string_append_c (order, ' ');
      g_string_append (order, cb_pack_get_entry (pack, i)->item_id);
    }

  return g_string_free (order, FALSE);
}

static char *
stored_order (Fixture *fixture,
              gint64   pack_id)
{
  g_autoptr(CbPack) pack = load (fixture, pack_id);

  return order_of (pack);
}

static char *
names_of (GPtrArray *packs)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < packs->len; i++)
    {
      if (i > 0)
        g_string_append (names, " | ");
      g_string_append (names, cb_pack_get_name (g_ptr_array_index (packs, i)));
    }

  return g_string_free (names, FALSE);
}

static char *
stored_names (Fixture *fixture)
{
  g_autoptr(GPtrArray) packs = list (fixture);

  return names_of (packs);
}

#define assert_order(fixture, pack_id, expected)                    \
  G_STMT_START {                                                    \
    g_autofree char *order__ = stored_order ((fixture), (pack_id)); \
    g_assert_cmpstr (order__, ==, (expected));                      \
  } G_STMT_END

#define assert_names(fixture, expected)                             \
  G_STMT_START {                                                    \
    g_autofree char *names__ = stored_names (fixture);              \
    g_assert_cmpstr (names__, ==, (expected));                      \
  } G_STMT_END

static void
assert_entries_equal (CbPack *a,
                      CbPack *b)
{
  g_assert_cmpuint (cb_pack_get_n_entries (a), ==, cb_pack_get_n_entries (b));
  for (guint i = 0; i < cb_pack_get_n_entries (a); i++)
    {
      CbPackEntry *x = cb_pack_get_entry (a, i);
      CbPackEntry *y = cb_pack_get_entry (b, i);

      g_assert_cmpstr (x->item_id, ==, y->item_id);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpstr (x->title, ==, y->title);
      g_assert_cmpstr (x->note, ==, y->note);
    }
}

/* Everything the user sees of a pack, apart from its id and when it was
 * last changed. */
static void
assert_packs_equal (CbPack *a,
                    CbPack *b)
{
  g_assert_cmpstr (cb_pack_get_name (a), ==, cb_pack_get_name (b));
  g_assert_cmpstr (cb_pack_get_description (a), ==, cb_pack_get_description (b));
  g_assert_cmpstr (cb_pack_get_audience (a), ==, cb_pack_get_audience (b));
  g_assert_cmpstr (cb_pack_get_date (a), ==, cb_pack_get_date (b));
  g_assert_cmpstr (cb_pack_get_created (a), ==, cb_pack_get_created (b));
  assert_entries_equal (a, b);
}

static void
assert_pack_lists_equal (GPtrArray *a,
                         GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      CbPack *x = g_ptr_array_index (a, i);
      CbPack *y = g_ptr_array_index (b, i);

      g_assert_cmpint (cb_pack_get_id (x), ==, cb_pack_get_id (y));
      g_assert_cmpstr (cb_pack_get_modified (x), ==, cb_pack_get_modified (y));
      assert_packs_equal (x, y);
    }
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static void
close_raw (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* The pack's positions as stored, lowest first: the order must be a plain
 * 0 .. n-1, with no gap and no position used twice. */
static void
assert_positions_contiguous (const char *path,
                             gint64      pack_id,
                             guint       n_items)
{
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *stmt = NULL;
  gint64 expected = 0;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT position FROM pack_items WHERE pack_id = ? ORDER BY position",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, pack_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, expected++);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_cmpint (expected, ==, n_items);
  sqlite3_finalize (stmt);
  close_raw (db);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
assert_file_unchanged (const char *path,
                       GBytes     *before)
{
  g_autoptr(GBytes) after = read_file (path);

  g_assert_true (g_bytes_equal (before, after));
}

/* Create, list and load */

static void
test_create_list_load (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(CbPack) board = NULL;
  g_autoptr(CbPack) appendix = NULL;
  gint64 board_id, appendix_id;

  packs = list (fixture);
  g_assert_cmpuint (packs->len, ==, 0);
  g_clear_pointer (&packs, g_ptr_array_unref);

  board_id = create_pack (fixture, "Board paper");
  appendix_id = create_pack (fixture, "appendix for the audit");
  g_assert_cmpint (board_id, !=, appendix_id);

  g_assert_true (cb_pack_store_set_details (fixture->store, board_id, NULL,
                                            "What the board must see\nbefore March",
                                            "Board members", "2026-03-01", &error));
  g_assert_no_error (error);
  assert_changed (fixture, board_id);
  add_item (fixture, board_id, "case_study:4.2.4", -1);

  /* Listed by name, ignoring case, each with its entries. */
  packs = list (fixture);
  g_assert_cmpuint (packs->len, ==, 2);
  g_assert_cmpint (cb_pack_get_id (g_ptr_array_index (packs, 0)), ==, appendix_id);
  g_assert_cmpint (cb_pack_get_id (g_ptr_array_index (packs, 1)), ==, board_id);
  g_assert_cmpuint (cb_pack_get_n_entries (g_ptr_array_index (packs, 0)), ==, 0);
  g_assert_cmpuint (cb_pack_get_n_entries (g_ptr_array_index (packs, 1)), ==, 1);

  board = load (fixture, board_id);
  g_assert_cmpstr (cb_pack_get_name (board), ==, "Board paper");
  g_assert_cmpstr (cb_pack_get_description (board), ==, "What the board must see\nbefore March");
  g_assert_cmpstr (cb_pack_get_audience (board), ==, "Board members");
  g_assert_cmpstr (cb_pack_get_date (board), ==, "2026-03-01");
  g_assert_cmpstr (cb_pack_get_created (board), ==, EPOCH_TIMESTAMP);
  g_assert_cmpstr (cb_pack_get_modified (board), ==, EPOCH_TIMESTAMP);
  g_assert_cmpuint (cb_pack_get_n_entries (board), ==, 1);
  g_assert_cmpstr (cb_pack_get_entry (board, 0)->item_id, ==, "case_study:4.2.4");
  g_assert_cmpstr (cb_pack_get_entry (board, 0)->label, ==, "Label of case_study:4.2.4");
  g_assert_cmpstr (cb_pack_get_entry (board, 0)->title, ==, "Title of case_study:4.2.4");
  g_assert_cmpstr (cb_pack_get_entry (board, 0)->note, ==, "");
  assert_packs_equal (board, g_ptr_array_index (packs, 1));

  /* A new pack has empty details, not NULL ones. */
  appendix = load (fixture, appendix_id);
  g_assert_cmpstr (cb_pack_get_name (appendix), ==, "appendix for the audit");
  g_assert_cmpstr (cb_pack_get_description (appendix), ==, "");
  g_assert_cmpstr (cb_pack_get_audience (appendix), ==, "");
  g_assert_cmpstr (cb_pack_get_date (appendix), ==, "");
  g_assert_cmpstr (cb_pack_get_created (appendix), ==, EPOCH_TIMESTAMP);

  /* Looked up by name in any case. */
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "BOARD PAPER", &error), ==, board_id);
  g_assert_no_error (error);
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "Board", &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A pack that does not exist */
  g_assert_null (cb_pack_store_load (fixture->store, board_id + appendix_id + 100, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_add_item (fixture->store, 999, "x", NULL, NULL, -1, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_details (fixture->store, 999, "Ghost", NULL, NULL, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_delete (fixture->store, 999, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_unchanged (fixture);
  assert_names (fixture, "appendix for the audit | Board paper");
}

static void
test_timestamps (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *epoch = g_strdup (g_getenv ("SOURCE_DATE_EPOCH"));
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  g_autoptr(CbPack) unchanged = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = create_pack (fixture, "Dated");
  gint64 other = create_pack (fixture, "Other");

  g_assert_cmpstr (epoch, ==, "1764115200");
  before = load (fixture, id);

  /* A day later, every kind of change moves "modified" but not "created". */
  g_setenv ("SOURCE_DATE_EPOCH", "1764201600", TRUE);
  add_item (fixture, id, "a", -1);
  after = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_created (after), ==, EPOCH_TIMESTAMP);
  g_assert_cmpstr (cb_pack_get_modified (after), ==, "2025-11-27T00:00:00Z");
  g_clear_object (&after);

  g_setenv ("SOURCE_DATE_EPOCH", "1764288000", TRUE);
  set_note (fixture, id, "a", "seen");
  after = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_modified (after), ==, "2025-11-28T00:00:00Z");
  g_clear_object (&after);

  g_setenv ("SOURCE_DATE_EPOCH", "1764374400", TRUE);
  g_assert_true (cb_pack_store_set_details (fixture->store, id, NULL, "d", NULL, NULL, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  after = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_created (after), ==, EPOCH_TIMESTAMP);
  g_assert_cmpstr (cb_pack_get_modified (after), ==, "2025-11-29T00:00:00Z");

  /* The other pack was not touched. */
  unchanged = load (fixture, other);
  g_assert_cmpstr (cb_pack_get_modified (unchanged), ==, EPOCH_TIMESTAMP);

  g_setenv ("SOURCE_DATE_EPOCH", epoch, TRUE);
  g_assert_cmpstr (cb_pack_get_modified (before), ==, EPOCH_TIMESTAMP);
}

/* Names */

static void
test_name_unique (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *clashes[] = { "Board", "board", "BOARD", "bOaRd", " Board ", "board  " };
  gint64 board = create_pack (fixture, "Board");
  gint64 umlaut;

  for (guint i = 0; i < G_N_ELEMENTS (clashes); i++)
    {
      g_test_message ("Name “%s”", clashes[i]);
      g_assert_cmpint (cb_pack_store_create (fixture->store, clashes[i], &error), ==, 0);
      g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
      g_clear_error (&error);
    }

  /* Case is ignored beyond ASCII too. */
  umlaut = create_pack (fixture, "Ärger im Amt");
  g_assert_cmpint (cb_pack_store_create (fixture->store, "ärger im amt", &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "ÄRGER IM AMT", &error), ==, umlaut);
  g_assert_no_error (error);

  assert_unchanged (fixture);
  assert_names (fixture, "Board | Ärger im Amt");
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "board", &error), ==, board);
  g_assert_no_error (error);

  /* Similar names are fine. */
  create_pack (fixture, "Board 2");
  create_pack (fixture, "Boards");
  assert_names (fixture, "Board | Board 2 | Boards | Ärger im Amt");
}

static void
test_name_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_ascii = g_strnfill (201, 'x');
  g_autofree char *max_ascii = g_strnfill (200, 'y');
  GString *long_utf8 = g_string_new (NULL);
  g_autofree char *max_utf8 = NULL;
  const char *invalid[] = {
    "", " ", "   \t  ", "\n", "Board\npaper", "Board\rpaper", "Board\tpaper",
    long_ascii, "Board \xff paper",
  };
  gint64 id;

  for (guint i = 0; i < 200; i++)
    g_string_append (long_utf8, "é");
  max_utf8 = g_strdup (long_utf8->str);
  g_string_append (long_utf8, "é");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("Name %u", i);
      g_assert_cmpint (cb_pack_store_create (fixture->store, invalid[i], &error), ==, 0);
      g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);
    }

  /* 200 characters, not bytes, is the limit. */
  g_assert_cmpint (cb_pack_store_create (fixture->store, long_utf8->str, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (fixture);
  assert_names (fixture, "");

  create_pack (fixture, max_ascii);
  id = create_pack (fixture, max_utf8);

  /* Renaming to an invalid name keeps the old one. */
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (cb_pack_store_set_details (fixture->store, id, invalid[i], "new description",
                                                 NULL, NULL, &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
      g_clear_error (&error);
    }
  assert_unchanged (fixture);

  {
    g_autoptr(CbPack) pack = load (fixture, id);

    g_assert_cmpstr (cb_pack_get_name (pack), ==, max_utf8);
    g_assert_cmpstr (cb_pack_get_description (pack), ==, "");
  }

  g_string_free (long_utf8, TRUE);
}

static void
test_date_invalid (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  g_autoptr(CbPack) dated = NULL;
  const char *invalid[] = {
    "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-04-31", "0000-01-01",
    "tomorrow", "yesterday!", "26-02-03", "2026-2-3", "2026/02/03", "03.02.2026", "2026-02-03T10:00",
    " 2026-2-03", "2026-+2-03", "+026-02-03", "-001-02-03", "2026-02- 3", "2026-02-3 ", "２０２６-02-03",
  };
  const char *valid[] = { "2024-02-29", "2026-12-31", "1999-01-01", "" };
  gint64 id = create_pack (fixture, "Dated");

  g_assert_true (cb_pack_store_set_details (fixture->store, id, NULL, "Kept", "Kept too", "2026-01-15", &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  before = load (fixture, id);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("Date “%s”", invalid[i]);
      g_assert_false (cb_pack_date_is_valid (invalid[i]));
      g_assert_false (cb_pack_store_set_details (fixture->store, id, "Renamed", "Changed", "Changed",
                                                 invalid[i], &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
      g_clear_error (&error);
    }
  assert_unchanged (fixture);

  /* Nothing of the refused changes was kept, not even the other fields. */
  after = load (fixture, id);
  assert_packs_equal (before, after);
  g_assert_cmpstr (cb_pack_get_modified (before), ==, cb_pack_get_modified (after));

  /* A whole pack with a bad date is refused too. */
  cb_pack_set_date (after, "2026-02-30");
  cb_pack_set_description (after, "Changed");
  g_assert_cmpint (cb_pack_store_save (fixture->store, after, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_assert_true (cb_pack_date_is_valid (valid[i]));
      g_assert_true (cb_pack_store_set_details (fixture->store, id, NULL, NULL, NULL, valid[i], &error));
      g_assert_no_error (error);
      assert_changed (fixture, id);
      dated = load (fixture, id);
      g_assert_cmpstr (cb_pack_get_date (dated), ==, valid[i]);
      g_assert_cmpstr (cb_pack_get_description (dated), ==, "Kept");
      g_clear_object (&dated);
    }
}

/* Items */

static void
test_add_items (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = create_filled_pack (fixture, "Board", "a b c");
  gint64 other = create_filled_pack (fixture, "Other", "b");

  assert_order (fixture, id, "a b c");

  add_item (fixture, id, "x", 1);
  assert_order (fixture, id, "a x b c");
  add_item (fixture, id, "first", 0);
  assert_order (fixture, id, "first a x b c");
  add_item (fixture, id, "fourth", 4);
  assert_order (fixture, id, "first a x b fourth c");
  add_item (fixture, id, "last", 6);
  assert_order (fixture, id, "first a x b fourth c last");
  add_item (fixture, id, "beyond", 1000);
  assert_order (fixture, id, "first a x b fourth c last beyond");
  add_item (fixture, id, "end", -1);
  assert_order (fixture, id, "first a x b fourth c last beyond end");
  assert_positions_contiguous (fixture->path, id, 9);

  /* The other pack was not touched. */
  assert_order (fixture, other, "b");
  assert_positions_contiguous (fixture->path, other, 1);
}

static void
test_add_duplicate_item (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  gint64 id = create_filled_pack (fixture, "Board", "a b c");

  set_note (fixture, id, "b", "My note on b");
  before = load (fixture, id);

  for (int position = -1; position <= 3; position++)
    {
      g_assert_false (cb_pack_store_add_item (fixture->store, id, "b", "New label", "New title", position, &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
      g_clear_error (&error);
    }
  assert_unchanged (fixture);

  /* Same order, same note, same label, same modification time. */
  after = load (fixture, id);
  assert_packs_equal (before, after);
  g_assert_cmpstr (cb_pack_get_modified (before), ==, cb_pack_get_modified (after));
  assert_positions_contiguous (fixture->path, id, 3);

  /* Item ids are compared exactly. */
  add_item (fixture, id, "B", -1);
  assert_order (fixture, id, "a b c B");
}

/* Several items go in together or not at all, notes and all */
static void
test_add_entries_all_or_none (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_pack_entry_free);
  g_autoptr(CbPack) pack = NULL;
  gint64 id = create_filled_pack (fixture, "Board", "a b c");

  g_ptr_array_add (entries, cb_pack_entry_new ("x", "X", "Title x", "note x"));
  g_ptr_array_add (entries, cb_pack_entry_new ("b", "B", "Title b", NULL));
  g_assert_false (cb_pack_store_add_entries (fixture->store, id, entries, -1, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  assert_order (fixture, id, "a b c");

  g_ptr_array_remove_index (entries, 1);
  g_ptr_array_add (entries, cb_pack_entry_new ("y", "Y", "Title y", "note y"));
  g_assert_true (cb_pack_store_add_entries (fixture->store, id, entries, 1, &error));
  g_assert_no_error (error);
  assert_order (fixture, id, "a x y b c");
  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (pack, 2)->note, ==, "note y");
  assert_positions_contiguous (fixture->path, id, 5);
}

/* Spaces around a name are not part of it */
static void
test_name_trimmed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cb_pack_store_create (fixture->store, "   Board   ", &error);
  g_autofree char *free_name = NULL;

  g_assert_no_error (error);
  g_assert_true (cb_pack_store_set_details (fixture->store, id, "  Board paper\n", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_names (fixture, "Board paper");
  free_name = cb_pack_store_dup_free_name (fixture->store, "  Board paper ");
  g_assert_cmpstr (free_name, ==, "Board paper (2)");
}

static void
test_remove_items (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  gint64 id = create_filled_pack (fixture, "Board", "a b c d e f");
  gint64 other = create_filled_pack (fixture, "Other", "a b c");

  set_note (fixture, id, "d", "note d");

  g_assert_true (cb_pack_store_remove_item (fixture->store, id, "c", &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_order (fixture, id, "a b d e f");
  assert_positions_contiguous (fixture->path, id, 5);

  g_assert_true (cb_pack_store_remove_item (fixture->store, id, "a", &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_order (fixture, id, "b d e f");
  assert_positions_contiguous (fixture->path, id, 4);

  g_assert_true (cb_pack_store_remove_item (fixture->store, id, "f", &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_order (fixture, id, "b d e");
  assert_positions_contiguous (fixture->path, id, 3);

  /* Notes stay with their items. */
  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->note, ==, "note d");

  g_assert_false (cb_pack_store_remove_item (fixture->store, id, "a", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_remove_item (fixture->store, id, "nothing", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_unchanged (fixture);

  /* Re-adding an item gives it no note back. */
  add_item (fixture, id, "a", 0);
  g_clear_object (&pack);
  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->item_id, ==, "a");
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "");

  for (const char *item = "bdea"; *item; item++)
    {
      char item_id[2] = { *item, '\0' };

      g_assert_true (cb_pack_store_remove_item (fixture->store, id, item_id, &error));
      g_assert_no_error (error);
      assert_changed (fixture, id);
    }
  assert_order (fixture, id, "");
  assert_positions_contiguous (fixture->path, id, 0);

  assert_order (fixture, other, "a b c");
}

static void
move (Fixture    *fixture,
      gint64      pack_id,
      const char *item_id,
      guint       position)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_pack_store_move_item (fixture->store, pack_id, item_id, position, &error));
  g_assert_no_error (error);
  assert_changed (fixture, pack_id);
}

static void
test_move_items (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  gint64 id = create_filled_pack (fixture, "Board", "a b c d e");

  set_note (fixture, id, "c", "note c");

  move (fixture, id, "e", 0);
  assert_order (fixture, id, "e a b c d");
  move (fixture, id, "e", 2);
  assert_order (fixture, id, "a b e c d");
  move (fixture, id, "a", 4);
  assert_order (fixture, id, "b e c d a");
  move (fixture, id, "b", 2);
  assert_order (fixture, id, "e c b d a");
  move (fixture, id, "e", 1000);
  assert_order (fixture, id, "c b d a e");
  move (fixture, id, "c", G_MAXUINT);
  assert_order (fixture, id, "b d a e c");
  move (fixture, id, "a", 2);
  assert_order (fixture, id, "b d a e c");
  move (fixture, id, "c", 0);
  assert_order (fixture, id, "c b d a e");
  assert_positions_contiguous (fixture->path, id, 5);

  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "note c");
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->note, ==, "");

  g_assert_false (cb_pack_store_move_item (fixture->store, id, "z", 0, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_unchanged (fixture);
  assert_order (fixture, id, "c b d a e");

  /* A one-item pack */
  id = create_filled_pack (fixture, "Single", "only");
  move (fixture, id, "only", 5);
  assert_order (fixture, id, "only");
  assert_positions_contiguous (fixture->path, id, 1);
}

static void
test_notes (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  GString *big = g_string_new (NULL);
  const char *hostile[] = {
    "<script>alert('x')</script>",
    "Fish & chips & <b>bold</b> &amp; &lt;",
    "\"double\" and 'single' quotes; DROP TABLE pack_items; --",
    "שלום עולם — مرحبا بالعالم \u202eevil\u202c",
    "Emoji 🧪📎👩🏽‍⚖️ and a flag 🇪🇺",
    "Line one\nLine two\r\nLine three\n\n",
    "  padded  ",
    "%s %d %n {} ${HOME} $(ls) `id` \\ \\\\",
  };
  const char *items[G_N_ELEMENTS (hostile) + 1];
  gint64 id = create_pack (fixture, "Notes");
  gint64 other = create_pack (fixture, "Other");

  while (big->len < 100 * 1024)
    g_string_append_printf (big, "Line %u of a long note: <&> \"quoted\" ünïcödé ✓\n", (guint) big->len);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *item_id = g_strdup_printf ("item:%u", i);

      items[i] = g_intern_string (item_id);
      add_item (fixture, id, items[i], -1);
    }
  add_item (fixture, other, items[0], -1);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    set_note (fixture, id, items[i], hostile[i]);
  set_note (fixture, id, items[G_N_ELEMENTS (hostile)], big->str);

  pack = load (fixture, id);
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    g_assert_cmpstr (cb_pack_get_entry (pack, i)->note, ==, hostile[i]);
  g_assert_cmpuint (strlen (cb_pack_get_entry (pack, G_N_ELEMENTS (hostile))->note), ==, big->len);
  g_assert_cmpstr (cb_pack_get_entry (pack, G_N_ELEMENTS (hostile))->note, ==, big->str);
  g_clear_object (&pack);

  /* Notes belong to the item in this pack only. */
  pack = load (fixture, other);
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "");
  g_clear_object (&pack);

  /* Clearing */
  set_note (fixture, id, items[0], "");
  set_note (fixture, id, items[1], NULL);
  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "");
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->note, ==, "");
  g_assert_cmpstr (cb_pack_get_entry (pack, 2)->note, ==, hostile[2]);
  g_clear_object (&pack);

  /* Not in the pack, not text, no such pack */
  g_assert_false (cb_pack_store_set_note (fixture->store, id, "not:here", "lost?", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_note (fixture->store, other, items[1], "lost?", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_note (fixture->store, 999, items[1], "lost?", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_note (fixture->store, id, items[2], "bad \xc3\x28 text", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (fixture);

  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (pack, 2)->note, ==, hostile[2]);
  g_assert_null (cb_pack_lookup_entry (pack, "not:here", NULL));

  g_string_free (big, TRUE);
}

static void
test_not_text (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  g_autoptr(CbPack) broken = NULL;
  const char *bad = "half \xe2\x82 a euro";
  gint64 id = create_filled_pack (fixture, "Text only", "a b");

  set_note (fixture, id, "a", "fine");
  before = load (fixture, id);

  g_assert_false (cb_pack_store_set_details (fixture->store, id, NULL, bad, NULL, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_details (fixture->store, id, NULL, NULL, bad, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_add_item (fixture->store, id, bad, NULL, NULL, -1, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_add_item (fixture->store, id, "c", bad, NULL, -1, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_add_item (fixture->store, id, "c", NULL, bad, -1, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_note (fixture->store, id, "a", bad, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);

  broken = cb_pack_copy (before);
  cb_pack_add_entry (broken, cb_pack_entry_new ("c", "", "", bad));
  g_assert_cmpint (cb_pack_store_save (fixture->store, broken, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&broken);
  broken = cb_pack_copy (before);
  cb_pack_set_audience (broken, bad);
  g_assert_cmpint (cb_pack_store_save (fixture->store, broken, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (fixture);

  after = load (fixture, id);
  assert_packs_equal (before, after);
  g_assert_cmpstr (cb_pack_get_modified (before), ==, cb_pack_get_modified (after));
}

/* Whole packs */

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  gint64 id = create_filled_pack (fixture, "Draft", "a b");
  gint64 taken = create_pack (fixture, "Final");

  g_assert_true (cb_pack_store_set_details (fixture->store, id, "Board paper", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_names (fixture, "Board paper | Final");
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "Draft", &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "board paper", &error), ==, id);
  g_assert_no_error (error);
  assert_order (fixture, id, "a b");

  /* To a taken name, in any case: refused, nothing changed. */
  g_assert_false (cb_pack_store_set_details (fixture->store, id, "final", "new", "new", "2026-01-01", &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  assert_unchanged (fixture);
  pack = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_name (pack), ==, "Board paper");
  g_assert_cmpstr (cb_pack_get_description (pack), ==, "");
  g_assert_cmpstr (cb_pack_get_date (pack), ==, "");
  g_clear_object (&pack);

  /* A pack may change the case of its own name, or keep it. */
  g_assert_true (cb_pack_store_set_details (fixture->store, id, "BOARD PAPER", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  g_assert_true (cb_pack_store_set_details (fixture->store, id, "BOARD PAPER", "same name", NULL, NULL, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_names (fixture, "BOARD PAPER | Final");

  /* And the name it gave up is free. */
  g_assert_true (cb_pack_store_set_details (fixture->store, taken, "Draft", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_changed (fixture, taken);
  assert_names (fixture, "BOARD PAPER | Draft");
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) original = NULL;
  g_autoptr(CbPack) copy = NULL;
  g_autoptr(CbPack) copy2 = NULL;
  gint64 id = create_filled_pack (fixture, "X", "a b c");
  gint64 copy_id, copy2_id, named_id;

  set_note (fixture, id, "a", "note <a>");
  set_note (fixture, id, "c", "note\nc");
  g_assert_true (cb_pack_store_set_details (fixture->store, id, NULL, "Desc", "Aud", "2026-02-01", &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  original = load (fixture, id);

  copy_id = cb_pack_store_duplicate (fixture->store, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy_id, >, 0);
  g_assert_cmpint (copy_id, !=, id);
  assert_changed (fixture, copy_id);

  copy2_id = cb_pack_store_duplicate (fixture->store, id, NULL, &error);
  g_assert_no_error (error);
  assert_changed (fixture, copy2_id);
  assert_names (fixture, "X | X (copy) | X (copy) (2)");

  copy = load (fixture, copy_id);
  copy2 = load (fixture, copy2_id);
  g_assert_cmpstr (cb_pack_get_name (copy), ==, "X (copy)");
  g_assert_cmpstr (cb_pack_get_name (copy2), ==, "X (copy) (2)");
  g_assert_cmpstr (cb_pack_get_description (copy), ==, "Desc");
  g_assert_cmpstr (cb_pack_get_audience (copy), ==, "Aud");
  g_assert_cmpstr (cb_pack_get_date (copy), ==, "2026-02-01");
  g_assert_cmpstr (cb_pack_get_created (copy), ==, EPOCH_TIMESTAMP);
  assert_entries_equal (original, copy);
  assert_entries_equal (original, copy2);
  assert_positions_contiguous (fixture->path, copy_id, 3);

  /* A name of one's own; a taken one is refused. */
  named_id = cb_pack_store_duplicate (fixture->store, id, "For the auditors", &error);
  g_assert_no_error (error);
  assert_changed (fixture, named_id);
  g_assert_cmpint (cb_pack_store_duplicate (fixture->store, id, "x (COPY)", &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (cb_pack_store_duplicate (fixture->store, 999, NULL, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_unchanged (fixture);

  /* Independent afterwards, both ways. */
  add_item (fixture, copy_id, "d", 0);
  set_note (fixture, copy_id, "a", "changed in the copy");
  g_assert_true (cb_pack_store_remove_item (fixture->store, copy_id, "b", &error));
  g_assert_no_error (error);
  assert_changed (fixture, copy_id);
  set_note (fixture, id, "c", "changed in the original");
  move (fixture, id, "c", 0);

  g_clear_object (&copy);
  copy = load (fixture, copy_id);
  g_clear_object (&copy2);
  copy2 = load (fixture, copy2_id);
  assert_order (fixture, id, "c a b");
  assert_order (fixture, copy_id, "d a c");
  g_assert_cmpstr (cb_pack_get_entry (copy, 1)->note, ==, "changed in the copy");
  g_assert_cmpstr (cb_pack_get_entry (copy, 2)->note, ==, "note\nc");
  assert_entries_equal (original, copy2);
  {
    g_autoptr(CbPack) now = load (fixture, id);

    g_assert_cmpstr (cb_pack_get_entry (now, 0)->note, ==, "changed in the original");
    g_assert_cmpstr (cb_pack_get_entry (now, 1)->note, ==, "note <a>");
  }

  /* Deleting the original leaves the copies. */
  g_assert_true (cb_pack_store_delete (fixture->store, id, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_order (fixture, copy2_id, "a b c");
}

static void
test_duplicate_long_name (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strnfill (200, 'n');
  g_autofree char *free_name = NULL;
  gint64 id = create_filled_pack (fixture, name, "a");

  /* A pack with the longest name can still be duplicated, twice. */
  for (guint i = 0; i < 2; i++)
    {
      gint64 copy_id = cb_pack_store_duplicate (fixture->store, id, NULL, &error);
      g_autoptr(CbPack) copy = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (copy_id, >, 0);
      assert_changed (fixture, copy_id);
      copy = load (fixture, copy_id);
      g_assert_cmpuint (g_utf8_strlen (cb_pack_get_name (copy), -1), <=, 200);
      g_assert_true (g_str_has_prefix (cb_pack_get_name (copy), "nnnnnnnnnn"));
      g_assert_true (g_str_has_suffix (cb_pack_get_name (copy), i == 0 ? " (copy)" : " (copy) (2)"));
      assert_order (fixture, copy_id, "a");
    }

  /* A free name the store proposes is one it accepts. */
  free_name = cb_pack_store_dup_free_name (fixture->store, name);
  g_assert_true (cb_pack_name_is_valid (free_name, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (free_name, " (2)"));
  create_pack (fixture, free_name);
}

static void
test_delete_restore (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) restored = NULL;
  g_autoptr(CbPack) bystander_before = NULL;
  g_autoptr(CbPack) bystander_after = NULL;
  gint64 id = create_filled_pack (fixture, "Board", "a b c d");
  gint64 bystander = create_filled_pack (fixture, "Bystander", "a d");
  gint64 restored_id;

  set_note (fixture, id, "b", "Note b\nwith two lines");
  set_note (fixture, id, "d", "Note d <&>");
  set_note (fixture, bystander, "a", "Bystander note");
  move (fixture, id, "d", 0);
  g_assert_true (cb_pack_store_set_details (fixture->store, id, NULL, "Desc", "Aud", "2026-05-05", &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);

  /* The GUI keeps the pack it shows, deletes it, and on undo saves it. */
  before = load (fixture, id);
  bystander_before = load (fixture, bystander);
  g_assert_true (cb_pack_store_delete (fixture->store, id, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  assert_names (fixture, "Bystander");
  g_assert_null (cb_pack_store_load (fixture->store, id, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_delete (fixture->store, id, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_unchanged (fixture);
  assert_positions_contiguous (fixture->path, id, 0);

  /* Its name is free while it is gone. */
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "Board", &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  restored_id = cb_pack_store_save (fixture->store, before, &error);
  g_assert_no_error (error);
  g_assert_cmpint (restored_id, ==, id);
  assert_changed (fixture, id);

  restored = load (fixture, id);
  assert_packs_equal (before, restored);
  assert_order (fixture, id, "d a b c");
  assert_positions_contiguous (fixture->path, id, 4);
  assert_names (fixture, "Board | Bystander");

  bystander_after = load (fixture, bystander);
  assert_packs_equal (bystander_before, bystander_after);

  /* Undo once more, after a new pack took the name: refused, nothing lost. */
  g_assert_true (cb_pack_store_delete (fixture->store, id, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  create_pack (fixture, "board");
  g_assert_cmpint (cb_pack_store_save (fixture->store, before, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  assert_unchanged (fixture);
  assert_names (fixture, "board | Bystander");
}

static void
test_restore_after_create (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) deleted = NULL;
  g_autoptr(CbPack) newer = NULL;
  gint64 first = create_filled_pack (fixture, "First", "a");
  gint64 last = create_filled_pack (fixture, "Last", "b c");
  gint64 created;

  /* Delete the newest pack, make another, then undo the delete: both
   * packs are there afterwards. */
  set_note (fixture, last, "b", "Undo brings me back");
  deleted = load (fixture, last);
  g_assert_true (cb_pack_store_delete (fixture->store, last, &error));
  g_assert_no_error (error);
  assert_changed (fixture, last);

  created = create_filled_pack (fixture, "Made after the delete", "x y z");
  g_assert_cmpint (created, !=, last);
  set_note (fixture, created, "y", "Mine");

  g_assert_cmpint (cb_pack_store_save (fixture->store, deleted, &error), ==, last);
  g_assert_no_error (error);
  assert_changed (fixture, last);

  assert_names (fixture, "First | Last | Made after the delete");
  assert_order (fixture, last, "b c");
  assert_order (fixture, created, "x y z");
  assert_order (fixture, first, "a");
  newer = load (fixture, created);
  g_assert_cmpstr (cb_pack_get_entry (newer, 1)->note, ==, "Mine");

  /* The same after the store was closed between delete and create. */
  g_assert_true (cb_pack_store_delete (fixture->store, created, &error));
  g_assert_no_error (error);
  assert_changed (fixture, created);
  close_store (fixture);
  open_store (fixture);
  g_assert_cmpint (create_pack (fixture, "Another"), >, created);
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = cb_pack_new ("Saved whole");
  g_autoptr(CbPack) loaded = NULL;
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) twice = NULL;
  gint64 id, other;

  cb_pack_set_description (pack, "Desc");
  cb_pack_set_audience (pack, "Aud");
  cb_pack_set_date (pack, "2026-06-30");
  cb_pack_add_entry (pack, cb_pack_entry_new ("b", "Label b", "Title b", "Note b"));
  cb_pack_add_entry (pack, cb_pack_entry_new ("a", NULL, NULL, NULL));
  cb_pack_add_entry (pack, cb_pack_entry_new ("c", "Label c", "", "Note\nc"));

  /* A pack with id 0 is created. */
  id = cb_pack_store_save (fixture->store, pack, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  assert_changed (fixture, id);
  loaded = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_name (loaded), ==, "Saved whole");
  g_assert_cmpstr (cb_pack_get_created (loaded), ==, EPOCH_TIMESTAMP);
  g_assert_cmpstr (cb_pack_get_modified (loaded), ==, EPOCH_TIMESTAMP);
  cb_pack_set_created (pack, EPOCH_TIMESTAMP);
  assert_packs_equal (pack, loaded);
  assert_positions_contiguous (fixture->path, id, 3);

  /* Saving it again with id 0 would make a second pack of the same name. */
  g_assert_cmpint (cb_pack_store_save (fixture->store, pack, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  assert_unchanged (fixture);

  /* Saving a loaded pack replaces it: order, notes and details. */
  g_ptr_array_remove_index (cb_pack_get_entries (loaded), 0);
  cb_pack_add_entry (loaded, cb_pack_entry_new ("d", "Label d", "Title d", "Note d"));
  g_free (cb_pack_get_entry (loaded, 0)->note);
  cb_pack_get_entry (loaded, 0)->note = g_strdup ("Now a");
  cb_pack_set_description (loaded, "New desc");
  cb_pack_set_name (loaded, "Renamed whole");
  g_assert_cmpint (cb_pack_store_save (fixture->store, loaded, &error), ==, id);
  g_assert_no_error (error);
  assert_changed (fixture, id);
  twice = load (fixture, id);
  assert_packs_equal (loaded, twice);
  assert_order (fixture, id, "a c d");
  assert_positions_contiguous (fixture->path, id, 3);
  assert_names (fixture, "Renamed whole");

  /* Duplicate item ids in a pack are refused, and nothing changes. */
  other = create_filled_pack (fixture, "Other", "x");
  before = load (fixture, id);
  cb_pack_add_entry (twice, cb_pack_entry_new ("c", "Again", "Again", "Again"));
  cb_pack_set_description (twice, "Should not be kept");
  g_assert_cmpint (cb_pack_store_save (fixture->store, twice, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);

  /* So is a name another pack has, or no name. */
  g_ptr_array_remove_index (cb_pack_get_entries (twice), cb_pack_get_n_entries (twice) - 1);
  cb_pack_set_name (twice, "OTHER");
  g_assert_cmpint (cb_pack_store_save (fixture->store, twice, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  cb_pack_set_name (twice, " ");
  g_assert_cmpint (cb_pack_store_save (fixture->store, twice, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (fixture);

  g_clear_object (&loaded);
  loaded = load (fixture, id);
  assert_packs_equal (before, loaded);
  assert_order (fixture, other, "x");
  assert_names (fixture, "Other | Renamed whole");
}

static void
test_changed_signal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_autofree char *free_name = NULL;
  gint64 a = create_pack (fixture, "A");
  gint64 b = create_pack (fixture, "B");
  gint64 c;

  /* Every change was checked to come once with its pack by the helpers;
   * here reading and refused changes are checked to be quiet. */
  add_item (fixture, a, "one", -1);
  add_item (fixture, b, "one", -1);
  add_item (fixture, a, "two", 0);
  move (fixture, a, "one", 0);
  set_note (fixture, b, "one", "n");

  pack = load (fixture, a);
  packs = list (fixture);
  g_assert_cmpint (cb_pack_store_lookup (fixture->store, "a", &error), ==, a);
  g_assert_no_error (error);
  free_name = cb_pack_store_dup_free_name (fixture->store, "A");
  g_assert_cmpstr (free_name, ==, "A (2)");
  assert_unchanged (fixture);

  g_assert_cmpint (cb_pack_store_create (fixture->store, "a", &error), ==, 0);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_add_item (fixture->store, a, "one", NULL, NULL, -1, &error));
  g_clear_error (&error);
  g_assert_false (cb_pack_store_remove_item (fixture->store, a, "three", &error));
  g_clear_error (&error);
  g_assert_false (cb_pack_store_move_item (fixture->store, a, "three", 0, &error));
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_note (fixture->store, a, "three", "n", &error));
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_details (fixture->store, a, "B", NULL, NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_details (fixture->store, a, NULL, NULL, NULL, "2026-02-30", &error));
  g_clear_error (&error);
  g_assert_cmpint (cb_pack_store_duplicate (fixture->store, a, "b", &error), ==, 0);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_delete (fixture->store, 999, &error));
  g_clear_error (&error);
  cb_pack_set_name (pack, "b");
  g_assert_cmpint (cb_pack_store_save (fixture->store, pack, &error), ==, 0);
  g_clear_error (&error);
  assert_unchanged (fixture);

  /* One signal for a whole-pack change, with the pack's id. */
  c = cb_pack_store_duplicate (fixture->store, a, NULL, &error);
  g_assert_no_error (error);
  assert_changed (fixture, c);
  cb_pack_set_name (pack, "A renamed");
  g_assert_cmpint (cb_pack_store_save (fixture->store, pack, &error), ==, a);
  g_assert_no_error (error);
  assert_changed (fixture, a);
  g_assert_true (cb_pack_store_remove_item (fixture->store, a, "two", &error));
  g_assert_no_error (error);
  assert_changed (fixture, a);
  g_assert_true (cb_pack_store_delete (fixture->store, b, &error));
  g_assert_no_error (error);
  assert_changed (fixture, b);
}

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 a = create_filled_pack (fixture, "Zeta", "z1 z2 z3");
  gint64 b = create_filled_pack (fixture, "alpha", "a1 a2");
  gint64 c = create_pack (fixture, "Empty");

  set_note (fixture, a, "z2", "Kept across runs\n✓");
  move (fixture, a, "z3", 0);
  g_assert_true (cb_pack_store_set_details (fixture->store, b, NULL, "D", "A", "2026-07-07", &error));
  g_assert_no_error (error);
  assert_changed (fixture, b);
  before = list (fixture);

  close_store (fixture);
  open_store (fixture);
  after = list (fixture);
  assert_pack_lists_equal (before, after);
  assert_names (fixture, "alpha | Empty | Zeta");
  assert_order (fixture, a, "z3 z1 z2");

  /* And it keeps working: new ids do not reuse old ones. */
  {
    gint64 d = create_pack (fixture, "New");

    g_assert_cmpint (d, !=, a);
    g_assert_cmpint (d, !=, b);
    g_assert_cmpint (d, !=, c);
  }
  close_store (fixture);
  open_store (fixture);
  assert_names (fixture, "alpha | Empty | New | Zeta");
}

static void
test_unknown_item (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  gint64 id = create_pack (fixture, "Lost items");

  /* The store does not consult the corpus: an item the corpus lost stays
   * in the pack with the label and title it had. */
  g_assert_true (cb_pack_store_add_item (fixture->store, id, "case_study:99.99.99", "Case study 99.99.99",
                                         "A case the corpus no longer has", -1, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  g_assert_true (cb_pack_store_add_item (fixture->store, id, "no such kind:1", NULL, NULL, -1, &error));
  g_assert_no_error (error);
  assert_changed (fixture, id);
  set_note (fixture, id, "case_study:99.99.99", "Why it mattered");

  close_store (fixture);
  open_store (fixture);
  pack = load (fixture, id);
  g_assert_cmpuint (cb_pack_get_n_entries (pack), ==, 2);
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->item_id, ==, "case_study:99.99.99");
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->label, ==, "Case study 99.99.99");
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->title, ==, "A case the corpus no longer has");
  g_assert_cmpstr (cb_pack_get_entry (pack, 0)->note, ==, "Why it mattered");
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->item_id, ==, "no such kind:1");
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->label, ==, "");
  g_assert_cmpstr (cb_pack_get_entry (pack, 1)->title, ==, "");
}

/* Bad databases */

static void
assert_only_file (const char *dir,
                  const char *name)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint n = 0;

  while ((entry = g_dir_read_name (handle)) != NULL)
    {
      g_assert_cmpstr (entry, ==, name);
      n++;
    }
  g_assert_cmpuint (n, ==, 1);
}

static void
test_garbage_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(CbPackStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint8 garbage[4096];

  close_store (fixture);
  dir = g_build_filename (fixture->dir, "garbage", NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  path = g_build_filename (dir, "user.sqlite", NULL);

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_test_rand_int_range (0, 256);
  g_file_set_contents (path, (const char *) garbage, sizeof garbage, &error);
  g_assert_no_error (error);
  before = read_file (path);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      store = cb_pack_store_open (path, &error);
      g_assert_null (store);
      g_assert_error (error, CB_ERROR, CB_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, path));
      g_clear_error (&error);
    }

  /* Never deleted, rewritten or given a journal beside it. */
  assert_file_unchanged (path, before);
  assert_only_file (dir, "user.sqlite");
}

static void
test_newer_schema (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(CbPackStore) store = NULL;
  sqlite3 *db;

  create_filled_pack (fixture, "From the future", "a b");
  close_store (fixture);

  db = open_raw (fixture->path);
  exec_raw (db, "PRAGMA user_version = 99");
  close_raw (db);
  assert_only_file (fixture->dir, "user.sqlite");
  before = read_file (fixture->path);

  store = cb_pack_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);

  assert_file_unchanged (fixture->path, before);
  db = open_raw (fixture->path);
  {
    g_autofree char *version = query_text (db, "PRAGMA user_version");

    g_assert_cmpstr (version, ==, "99");
  }
  close_raw (db);
}

/* The store's own connection, caught as SQLite opens it, so that the test
 * can lower its page limit: PRAGMA max_page_count binds one connection
 * only, and the store offers no way to set it. */
static sqlite3 *caught_connection;

static int
catch_connection (sqlite3                           *db,
                  const char                       **message,
                  const struct sqlite3_api_routines *api)
{
  caught_connection = db;
  return SQLITE_OK;
}

static void
test_full_disk (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  g_autoptr(CbPack) whole = NULL;
  g_autofree char *big = g_strnfill (256 * 1024, 'n');
  gint64 id;

  close_store (fixture);
  caught_connection = NULL;
  g_assert_cmpint (sqlite3_auto_extension ((void (*) (void)) catch_connection), ==, SQLITE_OK);
  open_store (fixture);
  sqlite3_cancel_auto_extension ((void (*) (void)) catch_connection);
  g_assert_nonnull (caught_connection);

  id = create_filled_pack (fixture, "Full", "a b c");
  set_note (fixture, id, "b", "short note");
  before = load (fixture, id);

  /* No more pages than the database has now: what SQLite reports when
   * the disk is full. */
  exec_raw (caught_connection, "PRAGMA max_page_count = 1");

  g_assert_false (cb_pack_store_set_note (fixture->store, id, "a", big, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_clear_error (&error);

  g_assert_false (cb_pack_store_add_item (fixture->store, id, "d", big, big, 1, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NO_SPACE);
  g_clear_error (&error);

  whole = cb_pack_copy (before);
  for (guint i = 0; i < cb_pack_get_n_entries (whole); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (whole, i);

      g_free (entry->note);
      entry->note = g_strdup (big);
    }
  g_assert_cmpint (cb_pack_store_save (fixture->store, whole, &error), ==, 0);
  g_assert_error (error, CB_ERROR, CB_ERROR_NO_SPACE);
  g_clear_error (&error);
  assert_unchanged (fixture);

  /* Nothing was changed, and reading still works. */
  after = load (fixture, id);
  assert_packs_equal (before, after);
  assert_positions_contiguous (fixture->path, id, 3);
  g_clear_object (&after);

  /* With space again, the same changes go through. */
  exec_raw (caught_connection, "PRAGMA max_page_count = 1073741823");
  caught_connection = NULL;
  g_assert_cmpint (cb_pack_store_save (fixture->store, whole, &error), ==, id);
  g_assert_no_error (error);
  assert_changed (fixture, id);
  set_note (fixture, id, "a", "small again");
  after = load (fixture, id);
  g_assert_cmpstr (cb_pack_get_entry (after, 0)->note, ==, "small again");
  g_assert_cmpstr (cb_pack_get_entry (after, 1)->note, ==, big);
}

static void
assert_read_only_error (GError     *error,
                        const char *path)
{
  g_assert_error (error, CB_ERROR, CB_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, path));
}

static void
count_change (CbPackStore *store,
              gint64       pack_id,
              guint       *n_changes)
{
  (*n_changes)++;
}

/* Runs in the test or, for root, in a child that is not root. */
static void
check_read_only (const char *path,
                 gint64      pack_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPackStore) store = cb_pack_store_open (path, &error);
  g_autoptr(CbPack) before = NULL;
  g_autoptr(CbPack) after = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  guint n_changes = 0;

  /* The packs can be read. */
  g_assert_no_error (error);
  g_signal_connect (store, "changed", G_CALLBACK (count_change), &n_changes);
  before = cb_pack_store_load (store, pack_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_pack_get_n_entries (before), ==, 3);
  packs = cb_pack_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 1);

  /* Every kind of change is refused, naming the file. */
  g_assert_cmpint (cb_pack_store_create (store, "New", &error), ==, 0);
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_add_item (store, pack_id, "d", NULL, NULL, -1, &error));
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_remove_item (store, pack_id, "a", &error));
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_move_item (store, pack_id, "c", 0, &error));
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_note (store, pack_id, "a", "note", &error));
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_set_details (store, pack_id, "Renamed", NULL, NULL, NULL, &error));
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_cmpint (cb_pack_store_save (store, before, &error), ==, 0);
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_cmpint (cb_pack_store_duplicate (store, pack_id, NULL, &error), ==, 0);
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_false (cb_pack_store_delete (store, pack_id, &error));
  assert_read_only_error (error, path);
  g_clear_error (&error);
  g_assert_cmpuint (n_changes, ==, 0);

  after = cb_pack_store_load (store, pack_id, &error);
  g_assert_no_error (error);
  assert_packs_equal (before, after);
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(CbPack) pack_before = NULL;
  g_autoptr(CbPack) pack_after = NULL;
  gint64 id = create_filled_pack (fixture, "Read only", "a b c");

  set_note (fixture, id, "a", "note a");
  pack_before = load (fixture, id);
  close_store (fixture);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);
  before = read_file (fixture->path);

  if (geteuid () != 0)
    {
      if (access (fixture->path, W_OK) == 0)
        {
          g_test_skip ("A file with mode 0444 is still writable here");
          return;
        }
      check_read_only (fixture->path, id);
    }
  else
    {
      /* Root writes any file: check as "nobody" in a child process. */
      int status = 0;
      pid_t pid;

      g_assert_cmpint (g_chmod (fixture->dir, 0777), ==, 0);
      fflush (stdout);
      fflush (stderr);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
            _exit (77);
          if (access (fixture->path, W_OK) == 0)
            _exit (77);
          check_read_only (fixture->path, id);
          _exit (0);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFEXITED (status));
      if (WEXITSTATUS (status) == 77)
        {
          g_test_skip ("Running as root and cannot become nobody");
          return;
        }
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }

  /* Nothing was written, not even beside the file. */
  assert_file_unchanged (fixture->path, before);
  assert_only_file (fixture->dir, "user.sqlite");

  /* Writable again, all is as it was and changes work. */
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  open_store (fixture);
  pack_after = load (fixture, id);
  assert_packs_equal (pack_before, pack_after);
  add_item (fixture, id, "d", -1);
  assert_order (fixture, id, "a b c d");
}

/* Two processes (here threads) opening a new database at once, as when the
 * window and the command line start together on a first run */

typedef struct {
  GMutex      lock;
  GCond       cond;
  gboolean    go;
  const char *path;
} OpenRace;

static gpointer
race_open (gpointer data)
{
  OpenRace *race = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPackStore) store = NULL;

  g_mutex_lock (&race->lock);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);

  store = cb_pack_store_open (race->path, &error);

  return error ? g_strdup (error->message) : NULL;
}

static void
test_concurrent_first_open (Fixture       *fixture,
                            gconstpointer  data)
{
  for (guint trial = 0; trial < 10; trial++)
    {
      g_autofree char *name = g_strdup_printf ("race-%u.sqlite", trial);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      OpenRace race = { .path = path };
      GThread *threads[4];

      g_mutex_init (&race.lock);
      g_cond_init (&race.cond);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("open", race_open, &race);
      g_mutex_lock (&race.lock);
      race.go = TRUE;
      g_cond_broadcast (&race.cond);
      g_mutex_unlock (&race.lock);

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          g_autofree char *failure = g_thread_join (threads[i]);

          g_assert_cmpstr (failure, ==, NULL);
        }
      g_mutex_clear (&race.lock);
      g_cond_clear (&race.cond);

      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CbPackStore) store = cb_pack_store_open (path, &error);
        g_autoptr(GPtrArray) packs = NULL;

        g_assert_no_error (error);
        g_assert_cmpint (cb_pack_store_create (store, "After the race", &error), >, 0);
        g_assert_no_error (error);
        packs = cb_pack_store_list (store, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (packs->len, ==, 1);
      }
    }
}

/* Kill safety */

static guint64
round_of (CbPack *pack)
{
  const char *note = cb_pack_get_entry (pack, 0)->note;

  g_assert_true (g_str_has_prefix (note, "round "));

  return g_ascii_strtoull (note + strlen ("round "), NULL, 10);
}

/* The child: reorders the pack and rewrites all its notes, alternating,
 * until it is killed. */
static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPackStore) store = cb_pack_store_open (path, &error);
  g_autoptr(CbPack) pack = NULL;
  guint64 round;
  gint64 id;

  if (store == NULL)
    goto fail;
  if ((id = cb_pack_store_lookup (store, KILL_PACK, &error)) == 0 ||
      (pack = cb_pack_store_load (store, id, &error)) == NULL)
    goto fail;

  for (round = round_of (pack) + 1; ; round++)
    {
      g_clear_object (&pack);
      if ((pack = cb_pack_store_load (store, id, &error)) == NULL)
        goto fail;

      if (round % 2 == 1)
        {
          CbPackEntry *last = cb_pack_get_entry (pack, cb_pack_get_n_entries (pack) - 1);

          if (!cb_pack_store_move_item (store, id, last->item_id, 0, &error))
            goto fail;
        }
      else
        {
          g_autofree char *note = g_strdup_printf ("round %" G_GUINT64_FORMAT, round);

          for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
            {
              CbPackEntry *entry = cb_pack_get_entry (pack, i);

              g_free (entry->note);
              entry->note = g_strdup (note);
            }
          if (cb_pack_store_save (store, pack, &error) != id)
            goto fail;
        }
    }

fail:
  g_printerr ("writer: %s\n", error ? error->message : "failed");
  return 1;
}

/* Checks the database a killed writer left, and returns where item 0 is
 * and the round the notes are at. */
static void
check_after_kill (const char *path,
                  gint64      id,
                  guint      *offset,
                  guint64    *round)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPackStore) store = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autofree char *integrity = NULL;
  sqlite3 *db = open_raw (path);

  integrity = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  close_raw (db);

  store = cb_pack_store_open (path, &error);
  g_assert_no_error (error);
  pack = cb_pack_store_load (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_pack_get_name (pack), ==, KILL_PACK);
  g_assert_cmpuint (cb_pack_get_n_entries (pack), ==, KILL_ITEMS);

  /* Moving the last item first only ever rotates the pack: the same 30
   * items, in the same cyclic order. */
  g_assert_nonnull (cb_pack_lookup_entry (pack, "item-00", offset));
  for (guint i = 0; i < KILL_ITEMS; i++)
    {
      g_autofree char *item_id = g_strdup_printf ("item-%02u", i);

      g_assert_cmpstr (cb_pack_get_entry (pack, (*offset + i) % KILL_ITEMS)->item_id, ==, item_id);
    }
  assert_positions_contiguous (path, id, KILL_ITEMS);

  /* A whole-pack save is all or nothing. */
  *round = round_of (pack);
  for (guint i = 1; i < KILL_ITEMS; i++)
    g_assert_cmpstr (cb_pack_get_entry (pack, i)->note, ==, cb_pack_get_entry (pack, 0)->note);
}

static void
test_kill_safety (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_changed = 0;
  guint offset = 0;
  guint64 round = 0;
  gint64 id = create_pack (fixture, KILL_PACK);

  for (guint i = 0; i < KILL_ITEMS; i++)
    {
      g_autofree char *item_id = g_strdup_printf ("item-%02u", i);

      add_item (fixture, id, item_id, -1);
      set_note (fixture, id, item_id, "round 0");
    }
  close_store (fixture);

  for (guint run = 0; run < KILL_RUNS; run++)
    {
      const char *argv[] = { self_exe, "--writer", fixture->path, NULL };
      guint delay = g_test_rand_int_range (50, 301);
      guint64 last_round = round;
      guint last_offset = offset;
      GPid pid;
      int status = 0;

      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, &pid, &error);
      g_assert_no_error (error);
      g_usleep (delay * 1000);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);

      /* Still writing when it was killed: it did not stop on an error. */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

      check_after_kill (fixture->path, id, &offset, &round);
      g_test_message ("Run %u: killed after %u ms at round %" G_GUINT64_FORMAT ", rotated by %u",
                      run, delay, round, offset);
      g_assert_cmpuint (round, >=, last_round);
      if (round != last_round || offset != last_offset)
        n_changed++;
    }

  /* The kills did land in the middle of real work. */
  g_assert_cmpuint (n_changed, >, KILL_RUNS / 2);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_canonicalize_filename (argv[0], NULL);

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/packs/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create-list-load", test_create_list_load);
  ADD ("timestamps", test_timestamps);
  ADD ("name-unique", test_name_unique);
  ADD ("name-invalid", test_name_invalid);
  ADD ("date-invalid", test_date_invalid);
  ADD ("add-items", test_add_items);
  ADD ("add-duplicate-item", test_add_duplicate_item);
  ADD ("add-entries-all-or-none", test_add_entries_all_or_none);
  ADD ("name-trimmed", test_name_trimmed);
  ADD ("remove-items", test_remove_items);
  ADD ("move-items", test_move_items);
  ADD ("notes", test_notes);
  ADD ("not-text", test_not_text);
  ADD ("rename", test_rename);
  ADD ("duplicate", test_duplicate);
  ADD ("duplicate-long-name", test_duplicate_long_name);
  ADD ("delete-restore", test_delete_restore);
  ADD ("restore-after-create", test_restore_after_create);
  ADD ("save", test_save);
  ADD ("changed-signal", test_changed_signal);
  ADD ("persistence", test_persistence);
  ADD ("unknown-item", test_unknown_item);
  ADD ("garbage-file", test_garbage_file);
  ADD ("newer-schema", test_newer_schema);
  ADD ("full-disk", test_full_disk);
  ADD ("read-only", test_read_only);
  ADD ("concurrent-first-open", test_concurrent_first_open);
  ADD ("kill-safety", test_kill_safety);

#undef ADD

  return g_test_run ();
}
