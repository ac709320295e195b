/* fuzz-pack-file.c: cb_pack_file_read_bytes() on a file someone sent
 *
 * A pack that reads must also save: it is written back as a pack file
 * (which reads its own output again) and must come back the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cb-fuzz.h"

#include <string.h>

#include "cb-error.h"
#include "cb-export.h"
#include "cb-pack-file.h"

static CbTaxonomy *taxonomy;
static CbCorpus *corpus;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  cb_fuzz_init ();

  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);
  corpus = cb_corpus_new ();

  return 0;
}

static void
check_same (CbPack *a,
            CbPack *b)
{
  if (g_strcmp0 (cb_pack_get_name (a), cb_pack_get_name (b)) != 0 ||
      g_strcmp0 (cb_pack_get_description (a), cb_pack_get_description (b)) != 0 ||
      g_strcmp0 (cb_pack_get_audience (a), cb_pack_get_audience (b)) != 0 ||
      g_strcmp0 (cb_pack_get_date (a), cb_pack_get_date (b)) != 0)
    cb_fuzz_fail ("a pack changes when saved and read again");

  if (cb_pack_get_n_entries (a) != cb_pack_get_n_entries (b))
    cb_fuzz_fail ("a pack has %u entries, %u when saved and read again",
                  cb_pack_get_n_entries (a), cb_pack_get_n_entries (b));

  for (guint i = 0; i < cb_pack_get_n_entries (a); i++)
    {
      CbPackEntry *x = cb_pack_get_entry (a, i);
      CbPackEntry *y = cb_pack_get_entry (b, i);

      if (g_strcmp0 (x->item_id, y->item_id) != 0 || g_strcmp0 (x->label, y->label) != 0 ||
          g_strcmp0 (x->title, y->title) != 0 || g_strcmp0 (x->note, y->note) != 0)
        cb_fuzz_fail ("entry %u changes when saved and read again", i);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(CbPack) back = NULL;

  pack = cb_pack_file_read_bytes (bytes, "fuzz.pack", &error);
  if (pack == NULL)
    {
      cb_fuzz_refused ("pack", error);
      if (error == NULL || error->domain != CB_ERROR)
        cb_fuzz_fail ("no pack and no CB_ERROR");
      return 0;
    }

  if (!cb_pack_name_is_valid (cb_pack_get_name (pack), NULL))
    cb_fuzz_fail ("a pack read with an invalid name");
  if (!cb_pack_date_is_valid (cb_pack_get_date (pack)))
    cb_fuzz_fail ("a pack read with an invalid date");

  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (pack, i);

      if (entry->item_id == NULL || entry->label == NULL || entry->title == NULL || entry->note == NULL)
        cb_fuzz_fail ("entry %u has a NULL field", i);
      if (!g_hash_table_add (seen, entry->item_id))
        cb_fuzz_fail ("the item %s is in the pack twice", entry->item_id);
    }

  saved = cb_export_to_bytes (pack, corpus, taxonomy, CB_EXPORT_PACK, NULL, &error);
  if (saved == NULL)
    cb_fuzz_fail ("a pack that was read cannot be saved: %s", error->message);

  back = cb_pack_file_read_bytes (saved, "saved.pack", &error);
  if (back == NULL)
    cb_fuzz_fail ("a saved pack cannot be read: %s", error->message);
  check_same (pack, back);

  return 0;
}
