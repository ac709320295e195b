/* fuzz-guide-importer.c: cb_guide_importer_import_bytes() on a guide text
 *
 * The import merges with the bundled corpus, as `casebook-cli
 * import-guide` does. A corpus that imports must also save and read back:
 * the librarian's next step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cb-fuzz.h"

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-xml.h"

static CbCorpus *base;
static CbFuzzFile saved;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  cb_fuzz_init ();

  path = cb_get_bundled_corpus_path ();
  base = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  cb_fuzz_file_open (&saved);

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CbGuideImporter) importer = cb_guide_importer_new ();
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) error = NULL;
  guint n_lines;

  cb_guide_importer_set_base (importer, base);
  cb_guide_importer_set_timestamp (importer, "2025-11-26T00:00:00Z");
  cb_guide_importer_set_author (importer, "Fuzzer");

  corpus = cb_guide_importer_import_bytes (importer, (const char *) data, size, "guide.txt", &error);
  if (corpus == NULL)
    {
      cb_fuzz_refused ("guide", error);
      if (error == NULL || error->domain != CB_ERROR)
        cb_fuzz_fail ("no corpus and no CB_ERROR");
      return 0;
    }
  if (error != NULL)
    cb_fuzz_fail ("a corpus and an error");

  /* What the CLI's import report reads */
  n_lines = cb_guide_importer_get_n_lines (importer);
  for (guint line = 1; line < n_lines; line++)
    {
      const char *owner = cb_guide_importer_get_line_owner (importer, line);

      if (cb_guide_importer_get_line_text (importer, line) == NULL)
        cb_fuzz_fail ("line %u has no text", line);
      if (owner != NULL && !g_utf8_validate (owner, -1, NULL))
        cb_fuzz_fail ("line %u has an owner that is not UTF-8", line);
      (void) cb_guide_importer_get_line_claims (importer, line);
    }
  (void) cb_guide_importer_get_merge_notes (importer);

  /* The corpus must save, and the saved file must open. Both cost more
   * than the import (the reader validates the whole file), so they are
   * done for one input in four, picked by its bytes so a crash reproduces. */
  if (cb_fuzz_sample (data, size, 4))
    {
      g_autoptr(GBytes) xml = NULL;
      g_autoptr(CbCorpus) back = NULL;

      xml = cb_corpus_write_bytes (corpus, &error);
      if (xml == NULL)
        cb_fuzz_fail ("an imported corpus cannot be saved: %s", error->message);

      cb_fuzz_file_set (&saved, g_bytes_get_data (xml, NULL), g_bytes_get_size (xml));
      back = cb_corpus_read_file (saved.path, &error);
      if (back == NULL)
        cb_fuzz_fail ("an imported corpus, saved, cannot be read: %s", error->message);
      if (cb_corpus_get_items (back)->len != cb_corpus_get_items (corpus)->len)
        cb_fuzz_fail ("an imported corpus, saved and read, has %u items, not %u",
                      cb_corpus_get_items (back)->len, cb_corpus_get_items (corpus)->len);
    }

  return 0;
}
