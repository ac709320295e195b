/* fuzz-corpus-reader.c: the corpus file readers on one input
 *
 * The same bytes go to cb_corpus_read_file() (through an anonymous memory
 * file, so no temporary file is left behind), to
 * cb_corpus_read_update_bytes() (the checksum rarely matches, but the file
 * is still parsed and validated in full before that is told) and to
 * cb_item_from_xml() / cb_reference_from_xml(), which read back what the
 * index stores and do not validate. A corpus that reads must save, and
 * read back to the same corpus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cb-fuzz.h"

#include "cb-corpus-xml.h"
#include "cb-error.h"

static CbFuzzFile input;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cb_fuzz_init ();
  cb_fuzz_file_open (&input);

  return 0;
}

static void
check_error (const char *what,
             gboolean    ok,
             GError     *error)
{
  if (ok && error != NULL)
    cb_fuzz_fail ("%s gave a result and an error", what);
  if (!ok)
    cb_fuzz_refused (what, error);
  if (!ok && (error == NULL || error->domain != CB_ERROR))
    cb_fuzz_fail ("%s gave no result and no CB_ERROR", what);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  {
    g_autoptr(CbCorpus) corpus = NULL;
    g_autoptr(GError) error = NULL;

    cb_fuzz_file_set (&input, data, size);
    corpus = cb_corpus_read_file (input.path, &error);
    check_error ("cb_corpus_read_file()", corpus != NULL, error);

    /* What reads must save, and saving what was read back must give the
     * same bytes: nothing is lost or changed on the way */
    if (corpus != NULL)
      {
        g_autoptr(GBytes) xml = cb_corpus_write_bytes (corpus, &error);
        g_autoptr(GBytes) again = NULL;
        g_autoptr(CbCorpus) back = NULL;

        if (xml == NULL)
          cb_fuzz_fail ("a corpus that was read cannot be saved: %s", error->message);

        cb_fuzz_file_set (&input, g_bytes_get_data (xml, NULL), g_bytes_get_size (xml));
        back = cb_corpus_read_file (input.path, &error);
        if (back == NULL)
          cb_fuzz_fail ("a saved corpus cannot be read: %s", error->message);
        again = cb_corpus_write_bytes (back, &error);
        if (again == NULL)
          cb_fuzz_fail ("a saved corpus, read again, cannot be saved: %s", error->message);
        if (!g_bytes_equal (xml, again))
          cb_fuzz_fail ("a corpus changes when saved and read again:\n%.*s\n----\n%.*s",
                        (int) g_bytes_get_size (xml), (const char *) g_bytes_get_data (xml, NULL),
                        (int) g_bytes_get_size (again), (const char *) g_bytes_get_data (again, NULL));
      }
  }

  {
    g_autoptr(CbCorpus) corpus = NULL;
    g_autoptr(GError) error = NULL;

    corpus = cb_corpus_read_update_bytes (bytes, "update.xml", &error);
    check_error ("cb_corpus_read_update_bytes()", corpus != NULL, error);
  }

  {
    g_autoptr(CbItem) item = NULL;
    g_autoptr(CbReference) reference = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) reference_error = NULL;

    item = cb_item_from_xml ((const char *) data, size, &error);
    check_error ("cb_item_from_xml()", item != NULL, error);
    reference = cb_reference_from_xml ((const char *) data, size, &reference_error);
    check_error ("cb_reference_from_xml()", reference != NULL, reference_error);

    /* The index writes what it reads back the same way */
    if (item != NULL)
      {
        g_autoptr(GBytes) xml = cb_item_to_xml (item, &error);
        g_autoptr(GBytes) again = NULL;
        g_autoptr(CbItem) back = NULL;

        if (xml == NULL)
          cb_fuzz_fail ("an item that was read cannot be stored: %s", error->message);
        back = cb_item_from_xml (g_bytes_get_data (xml, NULL), g_bytes_get_size (xml), &error);
        if (back == NULL)
          cb_fuzz_fail ("a stored item cannot be read: %s", error->message);
        again = cb_item_to_xml (back, &error);
        if (again == NULL || !g_bytes_equal (xml, again))
          cb_fuzz_fail ("an item changes when stored and read again");
      }
    if (reference != NULL)
      {
        g_autoptr(GBytes) xml = cb_reference_to_xml (reference, &reference_error);
        g_autoptr(CbReference) back = NULL;

        if (xml == NULL)
          cb_fuzz_fail ("a reference that was read cannot be stored: %s", reference_error->message);
        back = cb_reference_from_xml (g_bytes_get_data (xml, NULL), g_bytes_get_size (xml), &reference_error);
        if (back == NULL)
          cb_fuzz_fail ("a stored reference cannot be read: %s", reference_error->message);
        if (!cb_reference_equal (reference, back))
          cb_fuzz_fail ("a reference changes when stored and read again");
      }
  }

  return 0;
}
