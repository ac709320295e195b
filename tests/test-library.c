/* test-library.c: the librarian's working corpus: the first save, field
 * edits and their history, refusals that write nothing, new and retired
 * items, references, and corpus update files between two laptops
 * (export, preview, apply, conflicts, old and damaged updates)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-library.h"

#define AUTHOR "Test Librarian"

/* One librarian's machine: a folder with a copy of the bundled corpus as
 * the seed, and the working corpus and its base beside it */
typedef struct {
  char      *dir;
  char      *seed;
  char      *working;
  char      *base;
  GBytes    *seed_bytes;
  CbLibrary *library;
} Laptop;

typedef struct {
  Laptop a;
  Laptop b;
} Fixture;

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

static void
laptop_set_up (Laptop     *laptop,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTaxonomy) taxonomy = NULL;
  g_autofree char *bundled = g_build_filename (g_getenv ("CASEBOOK_DATA_DIR"), "corpus", "guide.xml", NULL);
  g_autofree char *template = g_strdup_printf ("casebook-library-%s-XXXXXX", name);

  laptop->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);

  /* The seed is a copy, so nothing in data/ can ever be written */
  laptop->seed = g_build_filename (laptop->dir, "guide.xml", NULL);
  laptop->seed_bytes = read_bytes (bundled);
  write_bytes (laptop->seed, laptop->seed_bytes);

  laptop->working = g_build_filename (laptop->dir, "corpus.xml", NULL);
  laptop->base = g_build_filename (laptop->dir, "corpus-base.xml", NULL);

  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);

  laptop->library = cb_library_new (laptop->seed, laptop->working, laptop->base, taxonomy);
  cb_library_set_author (laptop->library, AUTHOR);
  g_assert_cmpstr (cb_library_get_author (laptop->library), ==, AUTHOR);
}

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
laptop_tear_down (Laptop *laptop)
{
  g_assert_finalize_object (laptop->library);

  /* Whatever happened, the seed was never written */
  assert_file_is (laptop->seed, laptop->seed_bytes);

  remove_tree (laptop->dir);
  g_bytes_unref (laptop->seed_bytes);
  g_free (laptop->dir);
  g_free (laptop->seed);
  g_free (laptop->working);
  g_free (laptop->base);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  laptop_set_up (&fixture->a, "a");
  laptop_set_up (&fixture->b, "b");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  laptop_tear_down (&fixture->a);
  laptop_tear_down (&fixture->b);
}

/* Helpers */

static CbCorpus *
load (CbLibrary *library)
{
  g_autoptr(GError) error = NULL;
  CbCorpus *corpus = cb_library_load (library, &error);

  g_assert_no_error (error);
  g_assert_nonnull (corpus);

  return corpus;
}

static CbItem *
dup_item (CbLibrary  *library,
          const char *id)
{
  g_autoptr(CbCorpus) corpus = load (library);
  CbItem *item = cb_corpus_lookup_item (corpus, id);

  g_assert_nonnull (item);

  return cb_item_copy (item);
}

static char *
dup_field (CbLibrary  *library,
           const char *id,
           const char *field)
{
  g_autoptr(CbItem) item = dup_item (library, id);
  char *value = cb_item_dup_field (item, field);

  g_assert_nonnull (value);

  return value;
}

static guint
item_index (CbCorpus   *corpus,
            const char *id)
{
  GPtrArray *items = cb_corpus_get_items (corpus);

  for (guint i = 0; i < items->len; i++)
    {
      if (g_str_equal (cb_item_get_id (g_ptr_array_index (items, i)), id))
        return i;
    }

  g_assert_not_reached ();
}

static GPtrArray *
dup_history (CbLibrary  *library,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *history = cb_library_dup_history (library, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (history);

  return history;
}

/* The revision the last save of @item recorded: by us, with a date that
 * reads as ISO 8601 */
static const CbRevision *
last_revision (CbItem *item)
{
  GPtrArray *history = cb_item_get_history (item);
  const CbRevision *revision;
  g_autoptr(GDateTime) date = NULL;

  g_assert_cmpuint (history->len, >, 0);
  revision = g_ptr_array_index (history, history->len - 1);
  g_assert_cmpstr (revision->author, ==, AUTHOR);
  g_assert_nonnull (revision->date);
  date = g_date_time_new_from_iso8601 (revision->date, NULL);
  g_assert_nonnull (date);

  return revision;
}

static void
set_field (CbLibrary  *library,
           const char *id,
           const char *field,
           const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_library_set_field (library, id, field, value, &error));
  g_assert_no_error (error);
}

static guint
export (Laptop     *laptop,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (laptop->dir, name, NULL);
  guint version = 0;

  g_assert_true (cb_library_export_update (laptop->library, path, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (version, >, 0);

  return version;
}

static CbUpdatePreview *
preview (Laptop     *laptop,
         const char *path)
{
  g_autoptr(GError) error = NULL;
  CbUpdatePreview *preview = cb_library_preview_update (laptop->library, path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_nonnull (preview->update);
  g_assert_nonnull (preview->changes);
  g_assert_nonnull (preview->conflicts);

  return preview;
}

static const CbDiffEntry *
find_entry (GPtrArray  *changes,
            const char *id)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const CbDiffEntry *entry = g_ptr_array_index (changes, i);

      if (g_str_equal (entry->id, id))
        return entry;
    }

  return NULL;
}

static const CbChange *
find_change (GPtrArray  *changes,
             const char *field)
{
  for (guint i = 0; i < changes->len; i++)
    {
      const CbChange *change = g_ptr_array_index (changes, i);

      if (g_str_equal (change->field, field))
        return change;
    }

  return NULL;
}

/* Before any edit the library reads the seed; the first save makes the
 * working corpus and its base and leaves the seed alone */
static void
test_first_save (Fixture       *fixture,
                 gconstpointer  data)
{
  Laptop *a = &fixture->a;
  g_autofree char *title = NULL;

  g_assert_cmpstr (cb_library_get_corpus_path (a->library), ==, a->seed);
  g_assert_false (cb_library_has_local_copy (a->library));
  g_assert_false (g_file_test (a->working, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (a->base, G_FILE_TEST_EXISTS));

  /* Reading is no edit */
  {
    g_autoptr(CbCorpus) corpus = load (a->library);
    g_autoptr(GPtrArray) history = dup_history (a->library, "case_study:3.1.2");
    g_autofree char *free_id = cb_library_dup_free_id (a->library, CB_ITEM_KIND_CASE_STUDY, "4.2.9");

    g_assert_cmpuint (cb_corpus_get_items (corpus)->len, >, 100);
    g_assert_cmpstr (free_id, ==, "case_study:4.2.9");
    g_assert_false (cb_library_has_local_copy (a->library));
  }

  set_field (a->library, "case_study:3.1.2", "title", "A first edit");

  g_assert_true (cb_library_has_local_copy (a->library));
  g_assert_cmpstr (cb_library_get_corpus_path (a->library), ==, a->working);
  g_assert_true (g_file_test (a->working, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (a->base, G_FILE_TEST_IS_REGULAR));

  /* The base is the corpus the working one was made from: the seed */
  assert_file_is (a->base, a->seed_bytes);
  assert_file_is (a->seed, a->seed_bytes);

  title = dup_field (a->library, "case_study:3.1.2", "title");
  g_assert_cmpstr (title, ==, "A first edit");

  /* A second edit touches neither the seed nor the base */
  set_field (a->library, "case_study:3.1.2", "title", "A second edit");
  assert_file_is (a->base, a->seed_bytes);
  assert_file_is (a->seed, a->seed_bytes);
}

/* Sets @field and checks what a librarian sees afterwards: the value, and
 * one new revision by us changing exactly that field from @before */
static void
check_edit (CbLibrary  *library,
            const char *id,
            const char *field,
            const char *value,
            const char *expected)
{
  g_autoptr(CbItem) old = dup_item (library, id);
  g_autoptr(CbItem) new = NULL;
  g_autofree char *before = cb_item_dup_field (old, field);
  g_autofree char *after = NULL;
  const CbRevision *revision;
  const CbChange *change;

  g_assert_cmpstr (before, !=, expected);

  set_field (library, id, field, value);

  new = dup_item (library, id);
  after = cb_item_dup_field (new, field);
  g_assert_cmpstr (after, ==, expected);

  g_assert_cmpuint (cb_item_get_history (new)->len, ==, cb_item_get_history (old)->len + 1);
  revision = last_revision (new);
  g_assert_cmpuint (revision->changes->len, ==, 1);
  change = g_ptr_array_index (revision->changes, 0);
  g_assert_cmpstr (change->field, ==, field);
  g_assert_cmpstr (change->before, ==, before);
  g_assert_cmpstr (change->after, ==, expected);
  g_assert_nonnull (revision->summary);
  g_assert_nonnull (strstr (revision->summary, field));
}

static void
test_set_field (Fixture       *fixture,
                gconstpointer  data)
{
  CbLibrary *library = fixture->a.library;
  const char *id = "case_study:3.1.2";
  const char *findings = "Black men who saw a Black physician took up more screening.\n"
                         "\n"
                         "- 47% more likely to undergo diabetes screening\n"
                         "- 72% more likely to complete cholesterol screening";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPart) part = cb_part_from_text ("key_findings", findings, &error);
  g_autofree char *findings_text = NULL;

  g_assert_no_error (error);
  findings_text = cb_part_to_text (part);

  check_edit (library, id, "countries", "GB,  US", "GB, US");
  check_edit (library, id, "title", "  Same-race physicians and engagement  ", "Same-race physicians and engagement");
  check_edit (library, id, "part:key_findings", findings, findings_text);

  /* Other fields and other items are as they were */
  {
    g_autoptr(CbCorpus) seed = cb_corpus_read_file (fixture->a.seed, &error);
    g_autoptr(CbCorpus) working = load (library);
    g_autoptr(GPtrArray) diff = NULL;
    const CbDiffEntry *entry;

    g_assert_no_error (error);
    diff = cb_corpus_diff (seed, working);
    g_assert_cmpuint (diff->len, ==, 1);
    entry = g_ptr_array_index (diff, 0);
    g_assert_cmpstr (entry->id, ==, id);
    g_assert_cmpuint (entry->changes->len, ==, 3);
    g_assert_nonnull (find_change (entry->changes, "countries"));
    g_assert_nonnull (find_change (entry->changes, "title"));
    g_assert_nonnull (find_change (entry->changes, "part:key_findings"));
  }

  /* A save with no change records nothing and writes nothing */
  {
    g_autoptr(GBytes) before = read_bytes (fixture->a.working);
    g_autoptr(CbItem) item = dup_item (library, id);
    g_autoptr(GPtrArray) history_after = NULL;

    set_field (library, id, "title", "Same-race physicians and engagement");
    set_field (library, id, "countries", "GB US");
    g_assert_true (cb_library_save_item (library, item, id, NULL, NULL, &error));
    g_assert_no_error (error);

    history_after = dup_history (library, id);
    g_assert_cmpuint (history_after->len, ==, cb_item_get_history (item)->len);
    assert_file_is (fixture->a.working, before);
  }

  /* Two fields at once: one revision naming both, with the given summary */
  {
    g_autoptr(CbItem) item = dup_item (library, id);
    g_autoptr(CbItem) saved = NULL;
    const CbRevision *revision;

    g_assert_true (cb_item_set_field (item, "design", "cohort", NULL));
    g_assert_true (cb_item_set_field (item, "interventions", "racial-concordance", NULL));
    g_assert_true (cb_library_save_item (library, item, id, "Recoded the study", NULL, &error));
    g_assert_no_error (error);

    saved = dup_item (library, id);
    revision = last_revision (saved);
    g_assert_cmpstr (revision->summary, ==, "Recoded the study");
    g_assert_cmpuint (revision->changes->len, ==, 2);
    g_assert_cmpstr (find_change (revision->changes, "design")->before, ==, "randomised-trial");
    g_assert_cmpstr (find_change (revision->changes, "design")->after, ==, "cohort");
    g_assert_cmpstr (find_change (revision->changes, "interventions")->before, ==,
                     "racial-concordance, workforce-representation");
    g_assert_cmpstr (find_change (revision->changes, "interventions")->after, ==, "racial-concordance");
  }
}

/* Checks that saving @item is refused for @field and writes nothing */
static void
assert_refused (Laptop     *laptop,
                CbItem     *item,
                const char *replaces_id,
                int         code,
                const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  g_autoptr(GBytes) before = read_bytes (laptop->working);
  g_autoptr(GBytes) base_before = read_bytes (laptop->base);

  g_assert_false (cb_library_save_item (laptop->library, item, replaces_id, NULL, &bad_field, &error));
  g_assert_error (error, CB_ERROR, code);
  g_assert_cmpstr (bad_field, ==, field);
  g_assert_cmpuint (strlen (error->message), >, 0);

  assert_file_is (laptop->working, before);
  assert_file_is (laptop->base, base_before);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  Laptop *a = &fixture->a;
  CbLibrary *library = a->library;
  const char *id = "case_study:3.1.2";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;

  /* A refusal before any edit makes no local copy */
  {
    g_autoptr(CbItem) item = dup_item (library, id);
    g_autofree char *bad_field = NULL;

    cb_item_set_title (item, "");
    g_assert_false (cb_library_save_item (library, item, id, NULL, &bad_field, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
    g_assert_cmpstr (bad_field, ==, "title");
    g_clear_error (&error);
    g_assert_false (cb_library_has_local_copy (library));
    g_assert_false (g_file_test (a->base, G_FILE_TEST_EXISTS));
  }

  set_field (library, id, "countries", "GB, US");
  history = dup_history (library, id);

  /* Empty title */
  {
    g_autoptr(CbItem) item = dup_item (library, id);

    cb_item_set_title (item, "   ");
    assert_refused (a, item, id, CB_ERROR_INVALID, "title");
  }

  /* A country the taxonomy lacks */
  {
    g_autoptr(CbItem) item = dup_item (library, id);

    g_assert_true (cb_item_set_field (item, "countries", "GB, ZZ", NULL));
    assert_refused (a, item, id, CB_ERROR_INVALID, "countries");
  }

  /* A number another case study has */
  {
    g_autoptr(CbItem) item = dup_item (library, "case_study:4.2.4");

    cb_item_set_number (item, "4.2.3");
    assert_refused (a, item, "case_study:4.2.4", CB_ERROR_CONFLICT, "number");
  }

  /* A changed id */
  {
    g_autoptr(CbItem) old = dup_item (library, id);
    g_autoptr(CbItem) item = cb_item_new ("case_study:3.1.9", CB_ITEM_KIND_CASE_STUDY);
    const char * const *fields = cb_item_get_field_names (old);

    for (guint i = 0; fields[i] != NULL; i++)
      g_assert_true (cb_item_copy_field (item, old, fields[i]));
    assert_refused (a, item, id, CB_ERROR_INVALID, "id");
  }

  /* A reference the corpus does not have */
  {
    g_autoptr(CbItem) item = dup_item (library, id);

    g_assert_true (cb_item_set_field (item, "references", "reference:alsan2019, reference:nosuchpaper", NULL));
    assert_refused (a, item, id, CB_ERROR_INVALID, "references");
  }

  /* Refusals through set_field: unknown field, empty title, unknown item */
  {
    g_autoptr(GBytes) before = read_bytes (a->working);

    g_assert_false (cb_library_set_field (library, id, "colour", "red", &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
    g_clear_error (&error);

    g_assert_false (cb_library_set_field (library, id, "title", " ", &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
    g_clear_error (&error);

    g_assert_false (cb_library_set_field (library, id, "countries", "ZZ", &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
    g_clear_error (&error);

    g_assert_false (cb_library_set_field (library, "case_study:9.9.9", "title", "T", &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
    g_clear_error (&error);

    g_assert_false (cb_library_set_retired (library, "case_study:9.9.9", TRUE, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
    g_clear_error (&error);

    assert_file_is (a->working, before);
  }

  /* None of it reached the history */
  {
    g_autoptr(GPtrArray) after = dup_history (library, id);

    g_assert_cmpuint (after->len, ==, history->len);
  }
}

static CbItem *
new_case_study (const char *number)
{
  g_autofree char *id = g_strconcat ("case_study:", number, NULL);
  CbItem *item = cb_item_new (id, CB_ITEM_KIND_CASE_STUDY);
  g_autoptr(GError) error = NULL;
  CbPart *part;

  cb_item_set_number (item, number);
  cb_item_set_chapter (item, 4);
  cb_item_set_section (item, "4.2");
  cb_item_set_title (item, "Peer mentoring for internationally educated nurses");
  part = cb_part_from_text ("key_findings", "Retention rose in the first year.\n\n- fewer leavers\n- more promotions",
                            &error);
  g_assert_no_error (error);
  cb_item_add_part (item, part);
  cb_item_add_country (item, "GB");
  cb_item_add_intervention (item, "mentoring-development");
  cb_item_set_design (item, "programme-evaluation");

  return item;
}

static void
test_new_item (Fixture       *fixture,
               gconstpointer  data)
{
  CbLibrary *library = fixture->a.library;
  g_autoptr(CbItem) item = new_case_study ("4.2.9");
  g_autoptr(GError) error = NULL;
  g_autofree char *taken = cb_library_dup_free_id (library, CB_ITEM_KIND_CASE_STUDY, "4.2.4");
  g_autofree char *free_id = cb_library_dup_free_id (library, CB_ITEM_KIND_CASE_STUDY, "4.2.9");
  g_autofree char *last_in_section = NULL;
  guint n_items;

  g_assert_null (taken);
  g_assert_cmpstr (free_id, ==, "case_study:4.2.9");

  /* The last item of section 4.2 before the new one */
  {
    g_autoptr(CbCorpus) corpus = load (library);
    GPtrArray *items = cb_corpus_get_items (corpus);

    for (guint i = 0; i < items->len; i++)
      {
        CbItem *other = g_ptr_array_index (items, i);

        if (g_strcmp0 (cb_item_get_section (other), "4.2") == 0)
          {
            g_free (last_in_section);
            last_in_section = g_strdup (cb_item_get_id (other));
          }
      }
    g_assert_cmpstr (last_in_section, ==, "case_study:4.2.4");
    n_items = items->len;
  }

  g_assert_true (cb_library_save_item (library, item, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  {
    g_autoptr(CbCorpus) corpus = load (library);
    CbItem *saved = cb_corpus_lookup_item (corpus, "case_study:4.2.9");
    GPtrArray *history;
    const CbRevision *revision;
    g_autofree char *findings = NULL;

    g_assert_nonnull (saved);
    g_assert_cmpuint (cb_corpus_get_items (corpus)->len, ==, n_items + 1);
    g_assert_cmpuint (item_index (corpus, "case_study:4.2.9"), ==, item_index (corpus, last_in_section) + 1);
    g_assert_cmpstr (cb_item_get_title (saved), ==, "Peer mentoring for internationally educated nurses");
    g_assert_cmpstr (cb_item_get_number (saved), ==, "4.2.9");
    g_assert_cmpuint (cb_item_get_chapter (saved), ==, 4);
    g_assert_cmpstr (cb_item_get_design (saved), ==, "programme-evaluation");
    findings = cb_item_get_part_text (saved, "key_findings");
    g_assert_nonnull (strstr (findings, "Retention rose"));

    history = cb_item_get_history (saved);
    g_assert_cmpuint (history->len, ==, 1);
    revision = g_ptr_array_index (history, 0);
    g_assert_cmpstr (revision->summary, ==, "Added");
    g_assert_cmpstr (revision->author, ==, AUTHOR);
    g_assert_nonnull (find_change (revision->changes, "title"));
    g_assert_null (find_change (revision->changes, "title")->before);
  }

  /* The same id again is refused and nothing is written */
  {
    g_autoptr(CbItem) again = new_case_study ("4.2.9");
    g_autoptr(GBytes) before = read_bytes (fixture->a.working);
    g_autofree char *bad_field = NULL;

    cb_item_set_title (again, "Another title");
    g_assert_false (cb_library_save_item (library, again, NULL, NULL, &bad_field, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
    g_assert_cmpstr (bad_field, ==, "id");
    g_clear_error (&error);
    assert_file_is (fixture->a.working, before);
  }

  g_clear_pointer (&taken, g_free);
  g_clear_pointer (&free_id, g_free);
  taken = cb_library_dup_free_id (library, CB_ITEM_KIND_CASE_STUDY, "4.2.9");
  free_id = cb_library_dup_free_id (library, CB_ITEM_KIND_CASE_STUDY, "4.2.10");
  g_assert_null (taken);
  g_assert_cmpstr (free_id, ==, "case_study:4.2.10");
}

static void
test_retire (Fixture       *fixture,
             gconstpointer  data)
{
  CbLibrary *library = fixture->a.library;
  const char *id = "case_study:4.2.1";
  g_autoptr(GError) error = NULL;
  const struct {
    gboolean    retired;
    const char *summary;
    const char *before;
    const char *after;
  } steps[] = {
    { TRUE, "Retired", "active", "retired" },
    { FALSE, "Restored", "retired", "active" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      const CbRevision *revision;
      g_autoptr(CbItem) item = NULL;
      g_autofree char *status = NULL;

      g_assert_true (cb_library_set_retired (library, id, steps[i].retired, &error));
      g_assert_no_error (error);

      item = dup_item (library, id);
      status = cb_item_dup_field (item, "status");
      g_assert_cmpstr (status, ==, steps[i].after);
      g_assert_cmpint (cb_item_get_status (item), ==,
                       steps[i].retired ? CB_ITEM_STATUS_RETIRED : CB_ITEM_STATUS_ACTIVE);

      revision = last_revision (item);
      g_assert_cmpstr (revision->summary, ==, steps[i].summary);
      g_assert_cmpuint (revision->changes->len, ==, 1);
      g_assert_cmpstr (find_change (revision->changes, "status")->before, ==, steps[i].before);
      g_assert_cmpstr (find_change (revision->changes, "status")->after, ==, steps[i].after);
    }

  /* Restoring an active item changes nothing */
  {
    g_autoptr(GPtrArray) history = dup_history (library, id);
    g_autoptr(GPtrArray) after = NULL;

    g_assert_true (cb_library_set_retired (library, id, FALSE, &error));
    g_assert_no_error (error);
    after = dup_history (library, id);
    g_assert_cmpuint (after->len, ==, history->len);
  }
}

static void
test_reference (Fixture       *fixture,
                gconstpointer  data)
{
  Laptop *a = &fixture->a;
  g_autoptr(CbReference) reference = cb_reference_new ();
  g_autoptr(GError) error = NULL;

  cb_reference_set_id (reference, "reference:testlibrarian2024");
  cb_reference_set_kind (reference, "article");
  cb_reference_set_year (reference, "2024");
  cb_reference_set_title (reference, "Mentoring internationally educated nurses");
  cb_reference_set_container (reference, "Nursing Times");

  cb_reference_set_doi (reference, "doi:not a doi");
  g_assert_false (cb_library_save_reference (a->library, reference, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_library_has_local_copy (a->library));

  /* An id no corpus file can carry is refused when the corpus is written:
   * still nothing is written, not even the first local copy */
  cb_reference_set_doi (reference, "10.1186/s12939-019-1082-3");
  cb_reference_set_id (reference, "reference:Not A Valid Id");
  g_assert_false (cb_library_save_reference (a->library, reference, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cb_library_has_local_copy (a->library));
  g_assert_cmpstr (cb_library_get_corpus_path (a->library), ==, a->seed);

  cb_reference_set_id (reference, "reference:testlibrarian2024");
  g_assert_true (cb_library_save_reference (a->library, reference, &error));
  g_assert_no_error (error);

  {
    g_autoptr(CbCorpus) corpus = load (a->library);
    CbReference *saved = cb_corpus_lookup_reference (corpus, "reference:testlibrarian2024");

    g_assert_nonnull (saved);
    g_assert_cmpstr (cb_reference_get_title (saved), ==, "Mentoring internationally educated nurses");
    g_assert_cmpstr (cb_reference_get_doi (saved), ==, "10.1186/s12939-019-1082-3");
  }

  /* An item can now cite it */
  set_field (a->library, "case_study:3.1.2", "references", "reference:alsan2019, reference:testlibrarian2024");

  /* A changed reference replaces the old one */
  cb_reference_set_year (reference, "2025");
  g_assert_true (cb_library_save_reference (a->library, reference, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CbCorpus) corpus = load (a->library);

    g_assert_cmpstr (cb_reference_get_year (cb_corpus_lookup_reference (corpus, "reference:testlibrarian2024")),
                     ==, "2025");
  }
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  Laptop *a = &fixture->a;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (a->dir, "update.xml", NULL);

  set_field (a->library, "case_study:3.1.2", "countries", "GB, US");

  for (guint expected = 1; expected <= 2; expected++)
    {
      g_autoptr(CbCorpus) update = NULL;
      g_autoptr(CbCorpus) working = NULL;
      g_autofree char *countries = NULL;
      guint version = 0;

      g_assert_true (cb_library_export_update (a->library, path, &version, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (version, ==, expected);

      update = cb_corpus_read_update (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (cb_corpus_get_version (update), ==, expected);
      countries = cb_item_dup_field (cb_corpus_lookup_item (update, "case_study:3.1.2"), "countries");
      g_assert_cmpstr (countries, ==, "GB, US");

      working = load (a->library);
      g_assert_cmpuint (cb_corpus_get_version (working), ==, expected);
    }
}

/* A edits and exports; B previews and applies */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbUpdatePreview) update = NULL;
  g_autofree char *path = g_build_filename (a->dir, "update.xml", NULL);
  g_autofree char *title = NULL;
  const CbDiffEntry *entry;
  const CbChange *change;

  set_field (a->library, "case_study:2.2.1", "title", "Title from laptop A");
  g_assert_cmpuint (export (a, "update.xml"), ==, 1);

  update = preview (b, path);
  g_assert_cmpuint (update->version, ==, 1);
  g_assert_cmpuint (update->conflicts->len, ==, 0);

  /* The preview shows A's edit and nothing else but the version */
  entry = find_entry (update->changes, "case_study:2.2.1");
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->kind, ==, CB_DIFF_CHANGED);
  g_assert_cmpuint (entry->changes->len, ==, 1);
  change = g_ptr_array_index (entry->changes, 0);
  g_assert_cmpstr (change->field, ==, "title");
  g_assert_cmpstr (change->after, ==, "Title from laptop A");
  for (guint i = 0; i < update->changes->len; i++)
    {
      const CbDiffEntry *other = g_ptr_array_index (update->changes, i);

      g_assert_true (g_str_equal (other->id, "case_study:2.2.1") || g_str_equal (other->id, "corpus"));
    }

  /* Previewing wrote nothing */
  g_assert_false (cb_library_has_local_copy (b->library));
  g_assert_false (g_file_test (b->base, G_FILE_TEST_EXISTS));

  g_assert_true (cb_library_apply_update (b->library, update, NULL, &error));
  g_assert_no_error (error);

  title = dup_field (b->library, "case_study:2.2.1", "title");
  g_assert_cmpstr (title, ==, "Title from laptop A");

  /* A's revision came with it (history is by date, and the seed's dates
   * may be later than SOURCE_DATE_EPOCH, so look for it) */
  {
    g_autoptr(GPtrArray) history = dup_history (b->library, "case_study:2.2.1");
    gboolean found = FALSE;

    for (guint i = 0; i < history->len; i++)
      {
        const CbRevision *revision = g_ptr_array_index (history, i);
        const CbChange *title_change = find_change (revision->changes, "title");

        found |= g_strcmp0 (revision->author, AUTHOR) == 0 && title_change != NULL &&
                 g_strcmp0 (title_change->after, "Title from laptop A") == 0;
      }
    g_assert_true (found);
  }

  /* B's base is now A's update */
  {
    g_autoptr(CbCorpus) base = cb_corpus_read_file (b->base, &error);
    g_autoptr(CbCorpus) shipped = cb_corpus_read_update (path, &error);
    g_autoptr(GPtrArray) diff = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (cb_corpus_get_version (base), ==, 1);
    diff = cb_corpus_diff (base, shipped);
    g_assert_cmpuint (diff->len, ==, 0);
  }

  /* The same update again is refused, and nothing is written */
  {
    g_autoptr(GBytes) working = read_bytes (b->working);
    g_autoptr(GBytes) base = read_bytes (b->base);
    g_autoptr(CbUpdatePreview) again = cb_library_preview_update (b->library, path, &error);

    g_assert_null (again);
    g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
    g_clear_error (&error);
    assert_file_is (b->working, working);
    assert_file_is (b->base, base);
  }
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  const char *id = "case_study:3.1.2";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbUpdatePreview) update = NULL;
  g_autofree char *path = g_build_filename (a->dir, "update.xml", NULL);
  g_autofree char *original = dup_field (b->library, id, "title");
  g_autoptr(GBytes) working = NULL;
  g_autoptr(GBytes) base = NULL;
  const CbConflict *conflict;
  const CbDiffEntry *entry;

  set_field (a->library, id, "title", "Title from laptop A");
  set_field (a->library, id, "countries", "GB, US");
  export (a, "update.xml");

  set_field (b->library, id, "title", "Title from laptop B");
  set_field (b->library, "case_study:4.2.4", "countries", "INT, NZ, AU");

  update = preview (b, path);
  g_assert_cmpuint (update->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (update->conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, id);
  g_assert_cmpstr (conflict->field, ==, "title");
  g_assert_cmpstr (conflict->base, ==, original);
  g_assert_cmpstr (conflict->local, ==, "Title from laptop B");
  g_assert_cmpstr (conflict->update, ==, "Title from laptop A");
  g_assert_nonnull (conflict->label);

  /* The changes show the update's side, and leave B's own edit alone */
  entry = find_entry (update->changes, id);
  g_assert_nonnull (entry);
  g_assert_cmpstr (find_change (entry->changes, "title")->after, ==, "Title from laptop A");
  g_assert_cmpstr (find_change (entry->changes, "countries")->after, ==, "GB, US");
  g_assert_null (find_entry (update->changes, "case_study:4.2.4"));

  working = read_bytes (b->working);
  base = read_bytes (b->base);

  /* Without a choice nothing is applied */
  g_assert_false (cb_library_apply_update (b->library, update, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_clear_error (&error);
  assert_file_is (b->working, working);
  assert_file_is (b->base, base);

  /* An empty table is no choice either */
  {
    g_autoptr(GHashTable) none = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    g_assert_false (cb_library_apply_update (b->library, update, none, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
    g_clear_error (&error);
    assert_file_is (b->working, working);
    assert_file_is (b->base, base);
  }

  for (CbChoice choice = CB_CHOOSE_LOCAL; choice <= CB_CHOOSE_UPDATE; choice++)
    {
      g_autoptr(GHashTable) choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *title = NULL;
      g_autofree char *countries = NULL;
      g_autofree char *b_countries = NULL;

      /* Back to B before the update */
      write_bytes (b->working, working);
      write_bytes (b->base, base);

      g_hash_table_insert (choices, cb_conflict_key (id, "title"), GINT_TO_POINTER (choice));
      g_assert_true (cb_library_apply_update (b->library, update, choices, &error));
      g_assert_no_error (error);

      title = dup_field (b->library, id, "title");
      countries = dup_field (b->library, id, "countries");
      b_countries = dup_field (b->library, "case_study:4.2.4", "countries");
      g_assert_cmpstr (title, ==, choice == CB_CHOOSE_LOCAL ? "Title from laptop B" : "Title from laptop A");
      g_assert_cmpstr (countries, ==, "GB, US");
      g_assert_cmpstr (b_countries, ==, "INT, NZ, AU");

      /* The update is B's base now, whatever was chosen */
      {
        g_autoptr(CbCorpus) new_base = cb_corpus_read_file (b->base, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (cb_corpus_get_version (new_base), ==, update->version);
        g_assert_cmpstr (cb_item_get_title (cb_corpus_lookup_item (new_base, id)), ==, "Title from laptop A");
      }
    }
}

static void
test_retire_update (Fixture       *fixture,
                    gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  const char *id = "case_study:4.2.1";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbUpdatePreview) update = NULL;
  g_autofree char *path = g_build_filename (a->dir, "update.xml", NULL);
  g_autofree char *status = NULL;
  g_autofree char *countries = NULL;
  const CbDiffEntry *entry;

  g_assert_true (cb_library_set_retired (a->library, id, TRUE, &error));
  g_assert_no_error (error);
  export (a, "update.xml");

  set_field (b->library, "case_study:4.2.4", "countries", "INT, NZ, AU");

  update = preview (b, path);
  g_assert_cmpuint (update->conflicts->len, ==, 0);
  entry = find_entry (update->changes, id);
  g_assert_nonnull (entry);
  g_assert_cmpstr (find_change (entry->changes, "status")->before, ==, "active");
  g_assert_cmpstr (find_change (entry->changes, "status")->after, ==, "retired");

  g_assert_true (cb_library_apply_update (b->library, update, NULL, &error));
  g_assert_no_error (error);

  status = dup_field (b->library, id, "status");
  countries = dup_field (b->library, "case_study:4.2.4", "countries");
  g_assert_cmpstr (status, ==, "retired");
  g_assert_cmpstr (countries, ==, "INT, NZ, AU");
}

static void
test_older_update (Fixture       *fixture,
                   gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_build_filename (a->dir, "update-1.xml", NULL);
  g_autofree char *second = g_build_filename (a->dir, "update-2.xml", NULL);

  set_field (a->library, "case_study:2.2.1", "title", "First title from A");
  g_assert_cmpuint (export (a, "update-1.xml"), ==, 1);
  set_field (a->library, "case_study:2.2.1", "title", "Second title from A");
  g_assert_cmpuint (export (a, "update-2.xml"), ==, 2);

  {
    g_autoptr(CbUpdatePreview) update = preview (b, second);

    g_assert_cmpuint (update->version, ==, 2);
    g_assert_true (cb_library_apply_update (b->library, update, NULL, &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr(GBytes) working = read_bytes (b->working);
    g_autoptr(GBytes) base = read_bytes (b->base);
    g_autoptr(CbUpdatePreview) old = cb_library_preview_update (b->library, first, &error);
    g_autofree char *title = NULL;

    g_assert_null (old);
    g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
    g_clear_error (&error);
    assert_file_is (b->working, working);
    assert_file_is (b->base, base);

    title = dup_field (b->library, "case_study:2.2.1", "title");
    g_assert_cmpstr (title, ==, "Second title from A");
  }
}

/* The base is the corpus the working one was made from. Should it go
 * missing, it is the seed again, not the working corpus with the local
 * edits in it: otherwise the next update would overwrite them unasked. */
static void
test_lost_base (Fixture       *fixture,
                gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  const char *id = "case_study:3.1.2";
  g_autofree char *path = g_build_filename (b->dir, "update.xml", NULL);
  g_autoptr(CbUpdatePreview) update = NULL;
  const CbConflict *conflict;

  set_field (a->library, id, "title", "Title from laptop A");
  g_assert_cmpint (g_unlink (a->base), ==, 0);
  set_field (a->library, id, "countries", "GB, US");
  assert_file_is (a->base, a->seed_bytes);

  set_field (b->library, id, "title", "Title from laptop B");
  export (b, "update.xml");

  update = preview (a, path);
  g_assert_cmpuint (update->conflicts->len, ==, 1);
  conflict = g_ptr_array_index (update->conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "title");
  g_assert_cmpstr (conflict->local, ==, "Title from laptop A");
  g_assert_cmpstr (conflict->update, ==, "Title from laptop B");
}

/* A preview kept open while a newer update is applied cannot take the
 * corpus back to the older one */
static void
test_stale_preview (Fixture       *fixture,
                    gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = g_build_filename (a->dir, "update-1.xml", NULL);
  g_autofree char *second = g_build_filename (a->dir, "update-2.xml", NULL);
  g_autoptr(CbUpdatePreview) older = NULL;
  g_autoptr(CbUpdatePreview) newer = NULL;
  g_autoptr(GBytes) working = NULL;
  g_autoptr(GBytes) base = NULL;

  set_field (a->library, "case_study:2.2.1", "title", "First title from A");
  export (a, "update-1.xml");
  set_field (a->library, "case_study:2.2.1", "title", "Second title from A");
  export (a, "update-2.xml");

  older = preview (b, first);
  newer = preview (b, second);
  g_assert_true (cb_library_apply_update (b->library, newer, NULL, &error));
  g_assert_no_error (error);

  working = read_bytes (b->working);
  base = read_bytes (b->base);
  g_assert_false (cb_library_apply_update (b->library, older, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  assert_file_is (b->working, working);
  assert_file_is (b->base, base);
}

static void
test_bad_update (Fixture       *fixture,
                 gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  g_autofree char *path = g_build_filename (a->dir, "update.xml", NULL);
  g_autofree char *bad = g_build_filename (a->dir, "bad.xml", NULL);
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) working = NULL;
  g_autoptr(GBytes) base = NULL;
  const char *data_good;
  gsize len;
  const char *title;
  const char *letter = "Dear librarian,\nplease find the update attached.\n";
  struct {
    const char *name;
    GBytes     *bytes;
    int         code;
  } cases[4];

  set_field (a->library, "case_study:2.2.1", "title", "Title from laptop A");
  export (a, "update.xml");
  good = read_bytes (path);
  data_good = g_bytes_get_data (good, &len);

  /* Cut short */
  cases[0].name = "truncated";
  cases[0].bytes = g_bytes_new (data_good, len / 2);
  cases[0].code = CB_ERROR_PARSE;

  /* One byte changed inside an item's title */
  title = g_strstr_len (data_good, len, "Title from laptop A");
  g_assert_nonnull (title);
  {
    char *copy = g_memdup2 (data_good, len);

    copy[title - data_good] = 'M';
    cases[1].name = "one byte changed";
    cases[1].bytes = g_bytes_new_take (copy, len);
    cases[1].code = CB_ERROR_CORRUPT;
  }

  /* A corpus file, but no update: no checksum */
  cases[2].name = "not an update";
  cases[2].bytes = g_bytes_ref (a->seed_bytes);
  cases[2].code = CB_ERROR_INVALID;

  /* Not a corpus at all */
  cases[3].name = "not a corpus";
  cases[3].bytes = g_bytes_new_static (letter, strlen (letter));
  cases[3].code = CB_ERROR_PARSE;

  set_field (b->library, "case_study:4.2.4", "countries", "INT, NZ, AU");
  working = read_bytes (b->working);
  base = read_bytes (b->base);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbUpdatePreview) update = NULL;

      g_test_message ("%s", cases[i].name);
      write_bytes (bad, cases[i].bytes);
      update = cb_library_preview_update (b->library, bad, &error);
      g_assert_null (update);
      g_assert_error (error, CB_ERROR, cases[i].code);
      assert_file_is (b->working, working);
      assert_file_is (b->base, base);
      g_bytes_unref (cases[i].bytes);
    }

  /* A missing file */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing = g_build_filename (a->dir, "missing.xml", NULL);
    g_autoptr(CbUpdatePreview) update = cb_library_preview_update (b->library, missing, &error);

    g_assert_null (update);
    g_assert_error (error, CB_ERROR, CB_ERROR_NOT_FOUND);
  }

  /* The good file still previews */
  {
    g_autoptr(CbUpdatePreview) update = preview (b, path);

    g_assert_nonnull (find_entry (update->changes, "case_study:2.2.1"));
  }

  assert_file_is (b->working, working);
  assert_file_is (b->base, base);
}

/* From review: an edit changes only what the editor changed, keeps the
 * history, and refuses a field someone changed meanwhile */
static void
test_edit_three_way (Fixture       *fixture,
                     gconstpointer  data)
{
  CbLibrary *library = fixture->a.library;
  const char *id = "case_study:4.2.4";
  g_autoptr(CbItem) expected = dup_item (library, id);
  g_autoptr(CbItem) form = cb_item_copy (expected);
  g_autoptr(CbItem) saved = NULL;
  g_autoptr(CbItem) undone = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autofree char *bad_field = NULL;
  g_autofree char *old_title = g_strdup (cb_item_get_title (expected));
  guint n;

  /* Meanwhile, elsewhere (the command line): the countries */
  set_field (library, id, "countries", "GB");

  g_assert_true (cb_item_set_field (form, "title", "Cultural safety, not competency", &error));
  g_assert_true (cb_library_save_edit (library, form, id, expected, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  saved = dup_item (library, id);
  g_assert_cmpstr (cb_item_get_title (saved), ==, "Cultural safety, not competency");
  {
    g_autofree char *countries = cb_item_dup_field (saved, "countries");

    g_assert_cmpstr (countries, ==, "GB");
  }
  history = dup_history (library, id);
  n = history->len;
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (((CbRevision *) g_ptr_array_index (history, n - 2))->summary, ==, "Changed countries");
  g_assert_cmpstr (((CbRevision *) g_ptr_array_index (history, n - 1))->summary, ==, "Changed title");
  g_clear_pointer (&history, g_ptr_array_unref);

  /* Undo is the reverse of that change: the title goes back, the
   * countries stay, and history keeps both */
  g_assert_true (cb_library_save_edit (library, expected, id, form, NULL, "Undid the last change", NULL, &error));
  undone = dup_item (library, id);
  g_assert_cmpstr (cb_item_get_title (undone), ==, old_title);
  {
    g_autofree char *countries = cb_item_dup_field (undone, "countries");

    g_assert_cmpstr (countries, ==, "GB");
  }
  history = dup_history (library, id);
  g_assert_cmpuint (history->len, ==, n + 1);
  g_assert_cmpstr (((CbRevision *) g_ptr_array_index (history, n - 1))->summary, ==, "Changed title");

  /* The same field changed both here and elsewhere: refused, nothing written */
  g_clear_object (&expected);
  expected = dup_item (library, id);
  g_clear_object (&form);
  form = cb_item_copy (expected);
  g_assert_true (cb_item_set_field (form, "title", "Mine", &error));
  set_field (library, id, "title", "Theirs");
  before = read_bytes (fixture->a.working);
  g_assert_false (cb_library_save_edit (library, form, id, expected, NULL, NULL, &bad_field, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_assert_cmpstr (bad_field, ==, "title");
  assert_file_is (fixture->a.working, before);
}

/* A refused item writes none of the references typed with it */
static void
test_edit_with_new_reference (Fixture       *fixture,
                              gconstpointer  data)
{
  CbLibrary *library = fixture->a.library;
  g_autoptr(CbItem) item = new_case_study ("4.2.4");
  g_autoptr(CbReference) reference = cb_reference_new ();
  g_autoptr(GPtrArray) references = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  g_autoptr(CbCorpus) corpus = NULL;

  cb_reference_set_id (reference, "reference:orphan2030");
  cb_reference_set_title (reference, "A study nobody cites");
  cb_reference_set_year (reference, "2030");
  cb_reference_add_author (reference, "Orphan", "O.");
  g_ptr_array_add (references, reference);
  cb_item_clear_references (item);
  cb_item_add_reference (item, "reference:orphan2030");

  /* 4.2.4 is taken */
  g_assert_false (cb_library_save_edit (library, item, NULL, NULL, references, NULL, &bad_field, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_assert_true (g_str_equal (bad_field, "id") || g_str_equal (bad_field, "number"));
  g_clear_error (&error);
  g_assert_false (cb_library_has_local_copy (library));

  g_clear_object (&item);
  item = new_case_study ("4.2.9");
  cb_item_clear_references (item);
  cb_item_add_reference (item, "reference:orphan2030");
  g_assert_true (cb_library_save_edit (library, item, NULL, NULL, references, NULL, NULL, &error));
  g_assert_no_error (error);
  corpus = load (library);
  g_assert_nonnull (cb_corpus_lookup_reference (corpus, "reference:orphan2030"));
  /* A librarian's own item: a new edition of the guide never retires it */
  g_assert_cmpstr (cb_item_get_origin (cb_corpus_lookup_item (corpus, "case_study:4.2.9")), ==, "local");
}

/* A kill between the two files of an apply: the marker decides */
static void
test_interrupted_apply (Fixture       *fixture,
                        gconstpointer  data)
{
  Laptop *b = &fixture->b;
  g_autofree char *working_new = g_strconcat (b->working, ".new", NULL);
  g_autofree char *base_new = g_strconcat (b->base, ".new", NULL);
  g_autofree char *marker = g_strconcat (b->working, ".apply", NULL);
  g_autoptr(GBytes) edited = NULL;
  g_autoptr(GBytes) old = NULL;
  g_autoptr(CbTaxonomy) taxonomy = cb_taxonomy_get_default (NULL);
  CbLibrary *again;

  set_field (b->library, "case_study:4.2.4", "countries", "GB");
  old = read_bytes (b->working);
  set_field (b->library, "case_study:4.2.4", "countries", "US");
  edited = read_bytes (b->working);
  write_bytes (b->working, old);

  /* Killed before the marker: the apply never happened */
  write_bytes (working_new, edited);
  write_bytes (base_new, edited);
  again = cb_library_new (b->seed, b->working, b->base, taxonomy);
  assert_file_is (b->working, old);
  g_assert_false (g_file_test (working_new, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (base_new, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (again);

  /* Killed after it: both new files go into place */
  write_bytes (working_new, edited);
  write_bytes (base_new, edited);
  g_assert_true (g_file_set_contents (marker, "apply\n", -1, NULL));
  again = cb_library_new (b->seed, b->working, b->base, taxonomy);
  assert_file_is (b->working, edited);
  assert_file_is (b->base, edited);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (again);
}

/* An update that would leave the corpus broken is refused; one with the
 * same version but other content is a different update, not the same */
static void
test_update_checked (Fixture       *fixture,
                     gconstpointer  data)
{
  Laptop *a = &fixture->a;
  Laptop *b = &fixture->b;
  g_autofree char *path = g_build_filename (a->dir, "broken.xml", NULL);
  g_autofree char *first = g_build_filename (a->dir, "first.xml", NULL);
  g_autofree char *other = g_build_filename (a->dir, "other.xml", NULL);
  g_autoptr(CbCorpus) corpus = load (a->library);
  g_autoptr(CbUpdatePreview) update = NULL;
  g_autoptr(GError) error = NULL;
  CbItem *item = cb_corpus_lookup_item (corpus, "case_study:3.1.2");

  /* A reference the corpus lacks */
  cb_item_add_reference (item, "reference:nobody1999");
  cb_corpus_set_version (corpus, 5);
  g_assert_true (cb_corpus_write_update_file (corpus, path, &error));
  update = cb_library_preview_update (b->library, path, &error);
  if (update != NULL)
    g_assert_false (cb_library_apply_update (b->library, update, NULL, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "would break the corpus"));
  g_assert_false (cb_library_has_local_copy (b->library));
  g_clear_error (&error);
  g_clear_pointer (&update, cb_update_preview_free);

  /* Version 1 from A, applied; a different version 1 is still an update;
   * the same file again is not */
  set_field (a->library, "case_study:4.2.4", "countries", "GB");
  g_assert_true (cb_library_export_update (a->library, first, NULL, &error));
  update = preview (b, first);
  g_assert_true (cb_library_apply_update (b->library, update, NULL, &error));
  g_clear_pointer (&update, cb_update_preview_free);
  g_assert_null (cb_library_preview_update (b->library, first, &error));
  g_assert_nonnull (strstr (error->message, "already applied"));
  g_clear_error (&error);

  g_clear_object (&corpus);
  corpus = load (a->library);
  cb_item_set_title (cb_corpus_lookup_item (corpus, "case_study:3.1.2"), "Another version one");
  cb_corpus_set_version (corpus, 1);
  g_assert_true (cb_corpus_write_update_file (corpus, other, &error));
  update = preview (b, other);
  g_assert_nonnull (find_entry (update->changes, "case_study:3.1.2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/library/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("first-save", test_first_save);
  ADD ("set-field", test_set_field);
  ADD ("refusals", test_refusals);
  ADD ("new-item", test_new_item);
  ADD ("retire", test_retire);
  ADD ("reference", test_reference);
  ADD ("export", test_export);
  ADD ("update/round-trip", test_round_trip);
  ADD ("update/conflict", test_conflict);
  ADD ("update/retire", test_retire_update);
  ADD ("update/older", test_older_update);
  ADD ("update/lost-base", test_lost_base);
  ADD ("update/stale-preview", test_stale_preview);
  ADD ("update/bad", test_bad_update);
  ADD ("edit/three-way", test_edit_three_way);
  ADD ("edit/new-reference", test_edit_with_new_reference);
  ADD ("update/interrupted", test_interrupted_apply);
  ADD ("update/checked", test_update_checked);

#undef ADD

  return g_test_run ();
}
