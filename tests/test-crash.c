/* test-crash.c: the search index and the working corpus when the process
 * is killed at random moments, when the index file is damaged, when the
 * disk is full and when the data folder is read-only
 *
 * A writer of packs killed at random moments is tested in
 * test-pack-store.c (/store/packs/kill-safety); here every kill also checks
 * that the packs beside the index are as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cb-error.h"
#include "cb-library.h"
#include "cb-pack-store.h"
#include "cb-store.h"
#include "cb-xml.h"

#define KILL_RUNS 20
#define MARKED_ID "case_study:5.2.1"
#define MARKED_TITLE "Zebracrossing outreach in rural clinics"
#define MARKED_WORD "zebracrossing"
#define PACK_NAME "Kept through every crash"

static char *self_exe;
static guint n_damage_messages;

/* One corpus file the index may hold, and what it holds */
typedef struct {
  char  *path;
  char  *sha;
  guint  n_items;
  guint  n_refs;
  guint  n_contents;
  char  *title;
  guint  seen;
} Known;

typedef struct {
  char   *dir;
  char   *index;
  char   *packs;
  GBytes *packs_bytes;
  gint64  pack_id;
  Known   a;            /* the bundled corpus */
  Known   b;            /* the same with a new title for MARKED_ID */
} Fixture;

/* Helpers */

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  g_chmod (dir, 0755);
  handle = g_dir_open (dir, 0, NULL);
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

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
write_bytes (const char *path,
             GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

static void
assert_file_is (const char *path,
                GBytes     *expected)
{
  g_autoptr(GBytes) actual = read_bytes (path);

  g_assert_true (g_bytes_equal (actual, expected));
}

static char *
file_sha256 (const char *path)
{
  g_autoptr(GBytes) bytes = read_bytes (path);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);

  return db;
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
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
}

static guint
query_count (sqlite3    *db,
             const char *sql)
{
  g_autofree char *text = query_text (db, sql);

  g_assert_nonnull (text);

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

static guint
count_files_with_prefix (const char *dir,
                         const char *prefix)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (handle && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;

  return n;
}

static void
known_init (Known      *known,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) corpus = cb_corpus_read_file (path, &error);

  g_assert_no_error (error);
  known->path = g_strdup (path);
  known->sha = file_sha256 (path);
  known->n_items = cb_corpus_get_items (corpus)->len;
  known->n_refs = cb_corpus_get_references (corpus)->len;
  known->n_contents = cb_corpus_get_contents (corpus)->len;
  known->title = g_strdup (cb_item_get_title (cb_corpus_lookup_item (corpus, MARKED_ID)));
}

static void
known_clear (Known *known)
{
  g_free (known->path);
  g_free (known->sha);
  g_free (known->title);
}

static CbCorpus *
read_bundled (void)
{
  g_autofree char *bundled = cb_get_bundled_corpus_path ();
  g_autoptr(GError) error = NULL;
  CbCorpus *corpus = cb_corpus_read_file (bundled, &error);

  g_assert_no_error (error);

  return corpus;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *bundled = cb_get_bundled_corpus_path ();
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GBytes) bundled_bytes = read_bytes (bundled);
  g_autoptr(CbCorpus) variant = read_bundled ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPackStore) packs = NULL;

  fixture->dir = g_dir_make_tmp ("casebook-crash-XXXXXX", &error);
  g_assert_no_error (error);
  /* "nobody" must reach the folders inside it (the read-only test) */
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  fixture->index = g_build_filename (fixture->dir, "index.sqlite", NULL);

  path_a = g_build_filename (fixture->dir, "corpus-a.xml", NULL);
  write_bytes (path_a, bundled_bytes);
  known_init (&fixture->a, path_a);

  path_b = g_build_filename (fixture->dir, "corpus-b.xml", NULL);
  cb_item_set_title (cb_corpus_lookup_item (variant, MARKED_ID), MARKED_TITLE);
  g_assert_true (cb_corpus_write_file (variant, path_b, &error));
  g_assert_no_error (error);
  known_init (&fixture->b, path_b);
  g_assert_cmpstr (fixture->b.title, ==, MARKED_TITLE);
  g_assert_cmpstr (fixture->a.title, !=, MARKED_TITLE);
  g_assert_cmpuint (fixture->a.n_items, ==, fixture->b.n_items);

  /* The user's packs, beside the index, where the app keeps them */
  fixture->packs = cb_pack_store_get_default_path (fixture->index);
  packs = cb_pack_store_open (fixture->packs, &error);
  g_assert_no_error (error);
  fixture->pack_id = cb_pack_store_create (packs, PACK_NAME, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      const char *ids[] = { "case_study:2.2.4", MARKED_ID, "inset_box:2.2.1" };

      g_assert_true (cb_pack_store_add_item (packs, fixture->pack_id, ids[i], ids[i], ids[i], -1, &error));
      g_assert_no_error (error);
    }
  g_assert_finalize_object (g_steal_pointer (&packs));
  wal = g_strconcat (fixture->packs, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  fixture->packs_bytes = read_bytes (fixture->packs);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  known_clear (&fixture->a);
  known_clear (&fixture->b);
  g_bytes_unref (fixture->packs_bytes);
  g_free (fixture->packs);
  g_free (fixture->index);
  g_free (fixture->dir);
}

/* The packs are exactly as they were made, and whole */
static void
check_packs (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autofree char *integrity = NULL;
  sqlite3 *db;

  assert_file_is (fixture->packs, fixture->packs_bytes);

  db = open_raw (fixture->packs);
  integrity = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  sqlite3_close (db);

  packs = cb_pack_store_open (fixture->packs, &error);
  g_assert_no_error (error);
  pack = cb_pack_store_load (packs, fixture->pack_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cb_pack_get_name (pack), ==, PACK_NAME);
  g_assert_cmpuint (cb_pack_get_n_entries (pack), ==, 3);
}

static void
build_index (Fixture *fixture,
             Known   *known)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = cb_store_open (fixture->index, &error);

  g_assert_no_error (error);
  g_assert_true (cb_store_sync (store, known->path, TRUE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cb_store_get_n_items (store), ==, known->n_items);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static guint
count_matches (CbStore    *store,
               const char *text)
{
  g_autoptr(CbQuery) query = cb_query_parse (text, cb_store_get_taxonomy (store));
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSearchResults) results = NULL;

  cb_query_set_include_retired (query, TRUE);
  results = cb_store_search (store, query, NULL, &error);
  g_assert_no_error (error);

  return cb_search_results_get_n_hits (results);
}

/* The index is whole and holds one of the two corpora completely:
 * returns which */
static Known *
check_index (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;
  g_autofree char *stored = NULL;
  Known *known;
  sqlite3 *db = open_raw (fixture->index);

  integrity = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  exec_raw (db, "INSERT INTO fts (fts) VALUES ('integrity-check')");

  sha = query_text (db, "SELECT value FROM meta WHERE key = 'corpus_sha256'");
  g_assert_nonnull (sha);
  known = g_str_equal (sha, fixture->a.sha) ? &fixture->a : &fixture->b;
  g_assert_cmpstr (sha, ==, known->sha);

  /* Its stored checksum names the file, and the rows are that file's */
  path = query_text (db, "SELECT value FROM meta WHERE key = 'corpus_path'");
  g_assert_cmpstr (path, ==, known->path);
  stored = file_sha256 (path);
  g_assert_cmpstr (stored, ==, sha);
  g_assert_cmpuint (query_count (db, "SELECT count(*) FROM items"), ==, known->n_items);
  g_assert_cmpuint (query_count (db, "SELECT count(*) FROM refs"), ==, known->n_refs);
  g_assert_cmpuint (query_count (db, "SELECT count(*) FROM contents"), ==, known->n_contents);
  title = query_text (db, "SELECT title FROM items WHERE id = '" MARKED_ID "'");
  g_assert_cmpstr (title, ==, known->title);
  g_assert_cmpuint (query_count (db, "SELECT count(*) FROM fts WHERE fts MATCH '" MARKED_WORD "'"), ==,
                    known == &fixture->b ? 1 : 0);
  sqlite3_close (db);

  /* And the app opens it as it is */
  store = cb_store_open_full (fixture->index, CB_STORE_REPLACE_DAMAGED, &error);
  g_assert_no_error (error);
  g_assert_false (cb_store_was_recovered (store));
  g_assert_cmpuint (cb_store_get_n_items (store), ==, known->n_items);
  g_assert_cmpuint (count_matches (store, MARKED_WORD), ==, known == &fixture->b ? 1 : 0);
  g_assert_finalize_object (g_steal_pointer (&store));

  known->seen++;

  return known;
}

/* Starts this program as `MODE DIR`, kills it @delay ms after its first
 * mark (the start of its work, however long starting took on a busy
 * machine) and returns the marks it wrote before it died */
static char *
run_and_kill (const char *mode,
              const char *dir,
              guint       delay)
{
  const char *argv[] = { self_exe, mode, dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) marks = g_string_new (NULL);
  int out = -1;
  int status = 0;
  char buffer[256];
  gssize n;
  GPid pid;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if ((n = read (out, buffer, 1)) > 0)
    g_string_append_len (marks, buffer, n);
  g_usleep (delay * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);

  /* Still working when it was killed: it did not stop on an error */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  while ((n = read (out, buffer, sizeof buffer)) > 0)
    g_string_append_len (marks, buffer, n);
  close (out);

  return g_string_free (g_steal_pointer (&marks), FALSE);
}

static void
mark (char c)
{
  /* Unbuffered: the parent sees every mark made before the kill */
  while (write (STDOUT_FILENO, &c, 1) < 0 && errno == EINTR)
    ;
}

/* Kills during a rebuild */

/* The child: rebuilds the index from one corpus file, then the other,
 * forever; 'b' before each rebuild, 'e' after */
static int
run_rebuilder (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *index = g_build_filename (dir, "index.sqlite", NULL);
  g_autofree char *path_a = g_build_filename (dir, "corpus-a.xml", NULL);
  g_autofree char *path_b = g_build_filename (dir, "corpus-b.xml", NULL);
  g_autofree char *sha_a = file_sha256 (path_a);
  const char *paths[2] = { path_a, path_b };
  g_autoptr(CbStore) store = cb_store_open_full (index, CB_STORE_REPLACE_DAMAGED, &error);
  g_autofree char *stored = NULL;
  guint next;

  if (store == NULL)
    goto fail;

  /* Each rebuild changes what the index holds */
  stored = cb_store_dup_corpus_checksum (store);
  next = g_strcmp0 (stored, sha_a) == 0 ? 1 : 0;

  for (;; next = 1 - next)
    {
      mark ('b');
      if (!cb_store_sync (store, paths[next], TRUE, NULL, NULL, NULL, NULL, &error))
        goto fail;
      mark ('e');
    }

fail:
  g_printerr ("rebuilder: %s\n", error ? error->message : "failed");
  return 1;
}

static void
test_kill_rebuild (Fixture       *fixture,
                   gconstpointer  data)
{
  Known *before = &fixture->a;
  guint in_rebuild = 0, between = 0, committed_unmarked = 0, rebuilds = 0;
  gint64 start = g_get_monotonic_time ();

  build_index (fixture, &fixture->a);

  for (guint run = 0; run < KILL_RUNS; run++)
    {
      guint delay = g_test_rand_int_range (20, 301);
      g_autofree char *marks = run_and_kill ("--rebuilder", fixture->dir, delay);
      guint done = 0;
      char last = marks[0] ? marks[strlen (marks) - 1] : '\0';
      Known *expected, *after;

      for (const char *p = marks; *p; p++)
        done += *p == 'e';
      rebuilds += done;
      expected = done % 2 == 0 ? before : (before == &fixture->a ? &fixture->b : &fixture->a);

      after = check_index (fixture);
      check_packs (fixture);

      /* The previous corpus or the next, never a mix; the next only if
       * the kill came during its rebuild, after its commit */
      if (last == 'b' && after != expected)
        committed_unmarked++;
      else
        g_assert_true (after == expected);

      if (last == 'b')
        in_rebuild++;
      else
        between++;

      g_test_message ("Run %u: killed after %u ms, %u rebuilds done, %s; the index holds corpus %s",
                      run, delay, done, last == 'b' ? "in a rebuild" : "between rebuilds",
                      after == &fixture->a ? "A" : "B");
      before = after;
    }

  g_test_message ("%u kills: %u in a rebuild (%u of them after its commit), %u between; "
                  "%u rebuilds completed; corpus A seen %u times, B %u times; %.1f s",
                  KILL_RUNS, in_rebuild, committed_unmarked, between, rebuilds,
                  fixture->a.seen, fixture->b.seen, (g_get_monotonic_time () - start) / 1e6);

  /* The kills did land in the middle of rebuilds */
  g_assert_cmpuint (in_rebuild, >=, KILL_RUNS / 4);
}

/* Kills during a corpus update */

#define OTHER_TITLE "Windmill outreach in rural clinics"
#define SMALL_ITEMS 25

/* The bundled corpus cut to its first items: an apply takes tens of
 * milliseconds rather than hundreds, so that kills land in every part of
 * it, the writes and renames at its end included */
static void
write_small_corpus (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCorpus) bundled = read_bundled ();
  g_autoptr(CbCorpus) small = cb_corpus_new ();
  GPtrArray *contents = cb_corpus_get_contents (bundled);
  GPtrArray *references = cb_corpus_get_references (bundled);
  GPtrArray *items = cb_corpus_get_items (bundled);

  cb_corpus_set_title (small, cb_corpus_get_title (bundled));
  cb_corpus_set_subtitle (small, cb_corpus_get_subtitle (bundled));
  cb_corpus_set_publisher (small, cb_corpus_get_publisher (bundled));
  for (guint i = 0; i < contents->len; i++)
    {
      CbContentsEntry *entry = g_ptr_array_index (contents, i);

      cb_corpus_add_contents_entry (small, entry->kind, entry->number, entry->title, entry->page);
    }
  for (guint i = 0; i < references->len; i++)
    {
      g_assert_true (cb_corpus_add_reference (small, cb_reference_copy (g_ptr_array_index (references, i)), &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < SMALL_ITEMS; i++)
    {
      g_assert_true (cb_corpus_add_item (small, cb_item_copy (g_ptr_array_index (items, i)), &error));
      g_assert_no_error (error);
    }
  if (cb_corpus_lookup_item (small, MARKED_ID) == NULL)
    {
      g_assert_true (cb_corpus_add_item (small, cb_item_copy (cb_corpus_lookup_item (bundled, MARKED_ID)), &error));
      g_assert_no_error (error);
    }

  g_assert_true (cb_corpus_write_file (small, path, &error));
  g_assert_no_error (error);
}

typedef struct {
  char      *seed;
  char      *working;
  char      *base;
  char      *updates[2];
  CbLibrary *library;
} Librarian;

static void
librarian_init (Librarian  *librarian,
                const char *dir)
{
  librarian->seed = g_build_filename (dir, "corpus-small.xml", NULL);
  librarian->working = g_build_filename (dir, "corpus.xml", NULL);
  librarian->base = g_build_filename (dir, "corpus-base.xml", NULL);
  librarian->updates[0] = g_build_filename (dir, "update-1.xml", NULL);
  librarian->updates[1] = g_build_filename (dir, "update-2.xml", NULL);
}

/* A new library, as the app or the command line makes at its start: it
 * finishes or throws away an apply that was interrupted */
static void
librarian_start (Librarian *librarian)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTaxonomy) taxonomy = cb_taxonomy_get_default (&error);

  g_assert_no_error (error);
  g_clear_object (&librarian->library);
  librarian->library = cb_library_new (librarian->seed, librarian->working, librarian->base, taxonomy);
}

static void
librarian_clear (Librarian *librarian)
{
  g_clear_object (&librarian->library);
  g_free (librarian->seed);
  g_free (librarian->working);
  g_free (librarian->base);
  g_free (librarian->updates[0]);
  g_free (librarian->updates[1]);
}

static gboolean
apply_update (Librarian   *librarian,
              guint        which,
              GError     **error)
{
  g_autoptr(CbUpdatePreview) preview = cb_library_preview_update (librarian->library, librarian->updates[which],
                                                                  error);

  if (preview == NULL)
    return FALSE;

  return cb_library_apply_update (librarian->library, preview, NULL, error);
}

/* Which update the base is */
static guint
current_update (Librarian *librarian)
{
  g_autoptr(GBytes) base = read_bytes (librarian->base);
  g_autoptr(GBytes) first = read_bytes (librarian->updates[0]);

  return g_bytes_equal (base, first) ? 0 : 1;
}

/* The child: applies one update, then the other, forever; 'a' before
 * each apply, 'A' after */
static int
run_updater (const char *dir)
{
  g_autoptr(GError) error = NULL;
  Librarian librarian = { 0 };
  guint next;

  librarian_init (&librarian, dir);
  librarian_start (&librarian);
  next = 1 - current_update (&librarian);

  for (;; next = 1 - next)
    {
      mark ('a');
      if (!apply_update (&librarian, next, &error))
        goto fail;
      mark ('A');
    }

fail:
  g_printerr ("updater: %s\n", error ? error->message : "failed");
  librarian_clear (&librarian);
  return 1;
}

/* @path, if it is there, holds one of @states: returns which, or -1 */
static int
file_state (const char *path,
            GBytes     *states[2])
{
  g_autoptr(GBytes) bytes = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return -1;

  bytes = read_bytes (path);
  for (int i = 0; i < 2; i++)
    if (g_bytes_equal (bytes, states[i]))
      return i;

  g_error ("%s is none of its known states", path);
}

static void
test_kill_update (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *working_new = NULL;
  g_autofree char *base_new = NULL;
  GBytes *merged[2] = { NULL, NULL };
  GBytes *bases[2] = { NULL, NULL };
  Librarian librarian = { 0 };
  guint seen[2] = { 0 };
  guint in_apply = 0, between = 0, applies = 0, pending = 0, partial = 0, late = 0;
  guint before;
  gint64 start = g_get_monotonic_time ();

  librarian_init (&librarian, fixture->dir);
  marker = g_strconcat (librarian.working, ".apply", NULL);
  working_new = g_strconcat (librarian.working, ".new", NULL);
  base_new = g_strconcat (librarian.base, ".new", NULL);

  /* Two updates of the same version, each with its own title */
  write_small_corpus (librarian.seed);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CbCorpus) update = cb_corpus_read_file (librarian.seed, &error);

      cb_item_set_title (cb_corpus_lookup_item (update, MARKED_ID), i == 0 ? MARKED_TITLE : OTHER_TITLE);
      cb_corpus_set_version (update, cb_corpus_get_version (update) + 1);
      g_assert_true (cb_corpus_write_update_file (update, librarian.updates[i], &error));
      g_assert_no_error (error);
      bases[i] = read_bytes (librarian.updates[i]);
    }

  /* The states the files can be in: the base is the update file itself,
   * and the working corpus the same after each round */
  librarian_start (&librarian);
  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(GBytes) working = NULL;

      g_assert_true (apply_update (&librarian, round % 2, &error));
      g_assert_no_error (error);
      working = read_bytes (librarian.working);
      assert_file_is (librarian.base, bases[round % 2]);
      if (merged[round % 2] == NULL)
        merged[round % 2] = g_bytes_ref (working);
      else
        g_assert_true (g_bytes_equal (working, merged[round % 2]));
    }
  g_assert_false (g_bytes_equal (merged[0], merged[1]));
  g_clear_object (&librarian.library);
  before = 1;

  for (guint run = 0; run < KILL_RUNS; run++)
    {
      guint delay = g_test_rand_int_range (20, 301);
      g_autofree char *marks = run_and_kill ("--updater", fixture->dir, delay);
      char last = marks[0] ? marks[strlen (marks) - 1] : '\0';
      g_autoptr(CbCorpus) working_corpus = NULL;
      g_autoptr(CbUpdatePreview) preview = NULL;
      guint done = 0, expected, after;
      int working_state, base_state;

      for (const char *p = marks; *p; p++)
        done += *p == 'A';
      applies += done;
      expected = (before + done) % 2;

      /* As the kill left them: each file one of its known states, and
       * with the marker, both new files complete */
      working_state = file_state (librarian.working, merged);
      base_state = file_state (librarian.base, bases);
      g_assert_cmpint (working_state, >=, 0);
      g_assert_cmpint (base_state, >=, 0);
      if (g_file_test (marker, G_FILE_TEST_EXISTS))
        {
          pending++;
          file_state (working_new, merged);
          file_state (base_new, bases);
        }
      else if (g_file_test (working_new, G_FILE_TEST_EXISTS) || g_file_test (base_new, G_FILE_TEST_EXISTS))
        partial++;

      /* As the next start sees them: the old pair or the new pair */
      librarian_start (&librarian);
      g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (working_new, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (base_new, G_FILE_TEST_EXISTS));
      after = (guint) file_state (librarian.base, bases);
      g_assert_cmpint (file_state (librarian.working, merged), ==, after);
      seen[after]++;

      working_corpus = cb_corpus_read_file (librarian.working, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cb_corpus_get_items (working_corpus)->len, ==, SMALL_ITEMS + 1);
      g_assert_cmpstr (cb_item_get_title (cb_corpus_lookup_item (working_corpus, MARKED_ID)), ==,
                       after == 0 ? MARKED_TITLE : OTHER_TITLE);

      /* The previous update or the next, the next only if the kill came
       * after its commit */
      if (last == 'a' && after != expected)
        late++;
      else
        g_assert_cmpuint (after, ==, expected);

      /* And the librarian can go on: the other update applies, this one
       * is there already */
      preview = cb_library_preview_update (librarian.library, librarian.updates[1 - after], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (preview->conflicts->len, ==, 0);
      g_assert_null (cb_library_preview_update (librarian.library, librarian.updates[after], &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
      g_clear_error (&error);
      g_clear_object (&librarian.library);

      check_packs (fixture);

      if (last == 'a')
        in_apply++;
      else
        between++;

      g_test_message ("Run %u: killed after %u ms %s, %u applies done; update %u is in place", run, delay,
                      last == 'a' ? "in an apply" : "between applies", done, after + 1);
      before = after;
    }

  g_test_message ("%u kills: %u in an apply (%u of them after its commit), %u between; "
                  "%u applies completed; found %u with the marker (finished at the next start), %u with "
                  "new files and no marker (thrown away); update 1 in place %u times, update 2 %u times; "
                  "%u temporary files left behind; %.1f s",
                  KILL_RUNS, in_apply, late, between, applies, pending, partial, seen[0], seen[1],
                  count_files_with_prefix (fixture->dir, "."), (g_get_monotonic_time () - start) / 1e6);

  /* The kills did land in the middle of applies */
  g_assert_cmpuint (in_apply, >=, KILL_RUNS / 4);

  for (guint i = 0; i < 2; i++)
    {
      g_bytes_unref (merged[i]);
      g_bytes_unref (bases[i]);
    }
  librarian_clear (&librarian);
}

/* A damaged index */

/* What the app does when it starts (cb-application.c, prepare_thread):
 * the packs, then the index, then a sync with the corpus */
typedef struct {
  CbPackStore *packs;
  GError      *packs_error;
  CbStore     *store;
} Started;

static void
start_like_app (Fixture *fixture,
                Known   *corpus,
                Started *started)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *packs_path = cb_pack_store_get_default_path (fixture->index);

  started->packs = cb_pack_store_open (packs_path, &started->packs_error);
  started->store = cb_store_open_full (fixture->index, CB_STORE_REPLACE_DAMAGED, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_sync (started->store, corpus->path, FALSE, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
started_clear (Started *started)
{
  g_clear_object (&started->packs);
  g_clear_error (&started->packs_error);
  if (started->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&started->store));
}

/* Starts like the app on a damaged index: it is rebuilt, aside from the
 * latest damaged copy, and the packs are untouched */
static void
assert_rebuilt (Fixture *fixture,
                Known   *corpus)
{
  Started started = { 0 };
  const char *prefix = "index.sqlite.damaged-";

  guint messages = n_damage_messages;

  start_like_app (fixture, corpus, &started);
  g_assert_cmpuint (n_damage_messages, ==, messages + 1);

  g_assert_true (cb_store_was_recovered (started.store));
  g_assert_cmpuint (cb_store_get_n_items (started.store), ==, corpus->n_items);
  g_assert_cmpuint (count_matches (started.store, "hypertension"), >, 0);
  g_assert_no_error (started.packs_error);
  started_clear (&started);

  g_assert_cmpuint (count_files_with_prefix (fixture->dir, prefix), ==, 1);
  g_assert_true (check_index (fixture) == corpus);
  check_packs (fixture);
}

static void
test_damaged_garbage (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *garbage = g_strnfill (10000, 'x');

  build_index (fixture, &fixture->a);
  g_assert_true (g_file_set_contents (fixture->index, garbage, -1, NULL));
  assert_rebuilt (fixture, &fixture->a);

  /* Damaged again: only the latest damaged copy is kept */
  g_assert_true (g_file_set_contents (fixture->index, "SQLite format 3\0 and then nonsense", 34, NULL));
  assert_rebuilt (fixture, &fixture->a);
}

static void
test_damaged_truncated (Fixture       *fixture,
                        gconstpointer  data)
{
  GStatBuf st;

  build_index (fixture, &fixture->b);
  g_assert_cmpint (g_stat (fixture->index, &st), ==, 0);
  g_assert_cmpint (truncate (fixture->index, st.st_size / 2 + 100), ==, 0);
  assert_rebuilt (fixture, &fixture->b);
}

static void
damage_page (const char *path,
             guint       page)
{
  guchar junk[4096];
  int fd = g_open (path, O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guchar) g_test_rand_int_range (0, 256);
  g_assert_cmpint (pwrite (fd, junk, sizeof junk, (off_t) (page - 1) * sizeof junk), ==, sizeof junk);
  g_assert_cmpint (close (fd), ==, 0);
}

/* A valid SQLite file with one page in the middle overwritten */
static void
test_damaged_page (Fixture       *fixture,
                   gconstpointer  data)
{
  sqlite3 *db;
  guint n_pages;

  build_index (fixture, &fixture->a);
  db = open_raw (fixture->index);
  g_assert_cmpuint (query_count (db, "PRAGMA page_size"), ==, 4096);
  g_assert_cmpuint (query_count (db, "PRAGMA freelist_count"), ==, 0);
  n_pages = query_count (db, "PRAGMA page_count");
  sqlite3_close (db);

  damage_page (fixture->index, n_pages / 2);
  assert_rebuilt (fixture, &fixture->a);
}

/* Damage that shows only once the app is running: the next sync finds it */
static void
test_damaged_during_sync (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  const char *prefix = "index.sqlite.damaged-";
  gboolean rebuilt = FALSE;
  guint messages;
  sqlite3 *db;
  guint items_root;

  build_index (fixture, &fixture->a);
  store = cb_store_open_full (fixture->index, CB_STORE_REPLACE_DAMAGED, &error);
  g_assert_no_error (error);
  g_assert_false (cb_store_was_recovered (store));

  /* The disk fails under the open index; another connection's write makes
   * the store read the file again rather than its cache */
  db = open_raw (fixture->index);
  items_root = query_count (db, "SELECT rootpage FROM sqlite_master WHERE name = 'items'");
  damage_page (fixture->index, items_root);
  exec_raw (db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('touched', 'yes')");
  sqlite3_close (db);

  messages = n_damage_messages;
  g_assert_true (cb_store_sync (store, fixture->b.path, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_damage_messages, ==, messages + 1);
  g_assert_true (rebuilt);
  g_assert_true (cb_store_was_recovered (store));
  g_assert_cmpuint (cb_store_get_n_items (store), ==, fixture->b.n_items);
  g_assert_cmpuint (count_matches (store, MARKED_WORD), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_cmpuint (count_files_with_prefix (fixture->dir, prefix), ==, 1);
  g_assert_true (check_index (fixture) == &fixture->b);
  check_packs (fixture);
}

/* Without the flag (the command line), a damaged index is reported and
 * left as it is */
static void
test_damaged_reported (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autofree char *garbage = g_strnfill (10000, 'x');

  g_assert_true (g_file_set_contents (fixture->index, garbage, -1, NULL));
  before = read_bytes (fixture->index);
  store = cb_store_open (fixture->index, &error);
  g_assert_null (store);
  g_assert_error (error, CB_ERROR, CB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, fixture->index));
  g_assert_nonnull (strstr (error->message, "damaged"));
  assert_file_is (fixture->index, before);
}

/* A damaged packs database is reported and never touched, whatever
 * happens to the index beside it */
static void
test_damaged_user_data (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char text[] = "These are not packs, and not SQLite either. "
                             "They must survive every start of the app.";
  g_autoptr(GBytes) garbage = g_bytes_new_static (text, sizeof text - 1);
  Started started = { 0 };

  build_index (fixture, &fixture->a);
  write_bytes (fixture->packs, garbage);

  for (guint round = 0; round < 2; round++)
    {
      guint messages = n_damage_messages;

      /* The second time the index is damaged too */
      if (round == 1)
        g_assert_true (g_file_set_contents (fixture->index, "not an index either", -1, NULL));

      start_like_app (fixture, &fixture->a, &started);
      g_assert_cmpuint (n_damage_messages, ==, messages + round);
      g_assert_null (started.packs);
      g_assert_error (started.packs_error, CB_ERROR, CB_ERROR_CORRUPT);
      g_assert_nonnull (strstr (started.packs_error->message, fixture->packs));
      g_assert_nonnull (strstr (started.packs_error->message, "damaged"));
      g_assert_nonnull (strstr (started.packs_error->message, "has not changed or removed it"));
      g_assert_cmpint (cb_store_was_recovered (started.store), ==, round == 1);
      g_assert_cmpuint (cb_store_get_n_items (started.store), ==, fixture->a.n_items);
      started_clear (&started);

      assert_file_is (fixture->packs, garbage);
      g_assert_cmpuint (count_files_with_prefix (fixture->dir, "user.sqlite"), ==, 1);
    }
}

/* A full disk */

/* The store's own connection, caught as SQLite opens it, so that the test
 * can lower its page limit: PRAGMA max_page_count binds one connection */
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
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbCorpus) bigger = read_bundled ();
  g_autofree char *bigger_path = g_build_filename (fixture->dir, "corpus-bigger.xml", NULL);
  g_autofree char *checksum = NULL;
  g_autoptr(GString) filler = g_string_new (NULL);
  GPtrArray *items = cb_corpus_get_items (bigger);
  gboolean rebuilt = TRUE;

  /* The same corpus with longer titles: more pages than the index has */
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (filler, " filler%u", i);
  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);
      g_autofree char *title = g_strconcat (cb_item_get_title (item), filler->str, NULL);

      cb_item_set_title (item, title);
    }
  g_assert_true (cb_corpus_write_file (bigger, bigger_path, &error));
  g_assert_no_error (error);

  build_index (fixture, &fixture->a);

  caught_connection = NULL;
  g_assert_cmpint (sqlite3_auto_extension ((void (*) (void)) catch_connection), ==, SQLITE_OK);
  store = cb_store_open_full (fixture->index, CB_STORE_REPLACE_DAMAGED, &error);
  sqlite3_cancel_auto_extension ((void (*) (void)) catch_connection);
  g_assert_no_error (error);
  g_assert_nonnull (caught_connection);

  /* No more pages than the index has now: what SQLite says when the disk
   * is full */
  exec_raw (caught_connection, "PRAGMA max_page_count = 1");
  g_assert_false (cb_store_sync (store, bigger_path, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, fixture->index));
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (rebuilt);

  /* The previous index is complete and usable */
  g_assert_false (cb_store_was_recovered (store));
  g_assert_cmpuint (cb_store_get_n_items (store), ==, fixture->a.n_items);
  checksum = cb_store_dup_corpus_checksum (store);
  g_assert_cmpstr (checksum, ==, fixture->a.sha);
  g_assert_cmpuint (count_matches (store, "hypertension"), >, 0);
  g_assert_cmpuint (count_matches (store, "filler7"), ==, 0);
  g_assert_true (check_index (fixture) == &fixture->a);

  /* With room again, the rebuild goes through */
  exec_raw (caught_connection, "PRAGMA max_page_count = 1073741823");
  caught_connection = NULL;
  g_assert_true (cb_store_sync (store, bigger_path, FALSE, NULL, NULL, NULL, &rebuilt, &error));
  g_assert_no_error (error);
  g_assert_true (rebuilt);
  g_assert_cmpuint (count_matches (store, "filler7"), ==, fixture->a.n_items);
  g_assert_finalize_object (g_steal_pointer (&store));
  check_packs (fixture);
}

/* A read-only folder */

static void
check_read_only_folder (const char *dir)
{
  g_autofree char *index = g_build_filename (dir, "index.sqlite", NULL);

  for (guint flags = CB_STORE_NONE; flags <= CB_STORE_REPLACE_DAMAGED; flags++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbStore) store = cb_store_open_full (index, flags, &error);

      g_assert_null (store);
      g_assert_error (error, CB_ERROR, CB_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, dir));
      g_assert_nonnull (strstr (error->message, "cannot be kept in the folder"));
    }
}

static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->dir, "empty", NULL);
  g_autofree char *built = g_build_filename (fixture->dir, "built", NULL);
  g_autofree char *built_index = g_build_filename (built, "index.sqlite", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (empty, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (built, 0755), ==, 0);
  {
    g_autoptr(CbStore) store = cb_store_open (built_index, &error);

    g_assert_no_error (error);
    g_assert_true (cb_store_sync (store, fixture->a.path, FALSE, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  before = read_bytes (built_index);
  g_assert_cmpint (g_chmod (empty, 0555), ==, 0);
  g_assert_cmpint (g_chmod (built, 0555), ==, 0);

  if (geteuid () != 0)
    {
      if (access (empty, W_OK) == 0)
        {
          g_test_skip ("A folder with mode 0555 is still writable here");
          return;
        }
      check_read_only_folder (empty);
      check_read_only_folder (built);
    }
  else
    {
      /* Root writes anywhere: check as "nobody" in a child process */
      int status = 0;
      pid_t pid;

      fflush (stdout);
      fflush (stderr);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          if (setgroups (0, NULL) != 0 || setgid (65534) != 0 || setuid (65534) != 0)
            _exit (77);
          if (access (empty, W_OK) == 0)
            _exit (77);
          check_read_only_folder (empty);
          check_read_only_folder (built);
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

  /* Nothing was written or made */
  assert_file_is (built_index, before);
  g_assert_cmpuint (count_files_with_prefix (built, ""), ==, 1);
  g_assert_cmpuint (count_files_with_prefix (empty, ""), ==, 0);
}

/* The project logs structured, where g_test_expect_message() sees
 * nothing: count the store's messages about a damaged index here */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }

  if ((level & G_LOG_LEVEL_MESSAGE) && g_strcmp0 (domain, "casebook-store") == 0 && message != NULL &&
      g_pattern_match_simple ("The search index *was damaged*", message))
    {
      n_damage_messages++;
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_unsetenv ("CASEBOOK_DB");
  g_unsetenv ("CASEBOOK_USER_DB");

  if (argc == 3 && g_str_equal (argv[1], "--rebuilder"))
    return run_rebuilder (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "--updater"))
    return run_updater (argv[2]);

  g_log_set_writer_func (log_writer, NULL, NULL);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_canonicalize_filename (argv[0], NULL);

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/crash/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("kill-rebuild", test_kill_rebuild);
  ADD ("kill-update", test_kill_update);
  ADD ("damaged/garbage", test_damaged_garbage);
  ADD ("damaged/truncated", test_damaged_truncated);
  ADD ("damaged/page", test_damaged_page);
  ADD ("damaged/during-sync", test_damaged_during_sync);
  ADD ("damaged/reported", test_damaged_reported);
  ADD ("damaged/user-data", test_damaged_user_data);
  ADD ("full-disk", test_full_disk);
  ADD ("read-only-folder", test_read_only_folder);

#undef ADD

  status = g_test_run ();

  g_free (self_exe);

  return status;
}
