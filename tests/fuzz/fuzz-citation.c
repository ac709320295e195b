/* fuzz-citation.c: cb_citation_parse() on one line of text
 *
 * The importer hands the citation parser single lines of valid UTF-8 that
 * hold no character XML cannot carry, so other input is skipped. What
 * parses must also survive what the importer does next with it: a key, a
 * copy, and a trip through the corpus XML and back, unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cb-fuzz.h"

#include <string.h>

#include "cb-citation.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-xml.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  cb_fuzz_init ();
  return 0;
}

static void
check_utf8 (const char *what,
            const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    cb_fuzz_fail ("the reference's %s is not valid UTF-8", what);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  g_autoptr(CbReference) reference = NULL;
  g_autoptr(CbReference) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *authors = NULL;
  g_autofree char *link = NULL;
  g_autofree char *search = NULL;

  if (size > 4096 || memchr (data, '\0', size) != NULL || memchr (data, '\n', size) != NULL ||
      memchr (data, '\r', size) != NULL)
    return -1;

  text = g_strndup ((const char *) data, size);
  if (!g_utf8_validate (text, -1, NULL) || !cb_text_is_xml_safe (text, NULL))
    return -1;

  reference = cb_citation_parse (text, &error);
  if (reference == NULL)
    {
      cb_fuzz_refused ("citation", error);
      if (error == NULL || error->domain != CB_ERROR)
        cb_fuzz_fail ("no reference and no CB_ERROR");
      return 0;
    }
  if (error != NULL)
    cb_fuzz_fail ("a reference and an error");

  check_utf8 ("title", cb_reference_get_title (reference));
  check_utf8 ("year", cb_reference_get_year (reference));
  check_utf8 ("container", cb_reference_get_container (reference));
  check_utf8 ("volume", cb_reference_get_volume (reference));
  check_utf8 ("issue", cb_reference_get_issue (reference));
  check_utf8 ("pages", cb_reference_get_pages (reference));
  check_utf8 ("publisher", cb_reference_get_publisher (reference));
  check_utf8 ("place", cb_reference_get_place (reference));
  check_utf8 ("doi", cb_reference_get_doi (reference));
  check_utf8 ("url", cb_reference_get_url (reference));

  key = cb_citation_make_key (reference);
  if (key == NULL || *key == '\0')
    cb_fuzz_fail ("empty key");
  authors = cb_reference_format_authors (reference);
  check_utf8 ("authors", authors);
  link = cb_reference_dup_link (reference);
  search = cb_reference_dup_search_text (reference);
  check_utf8 ("search text", search);

  copy = cb_reference_copy (reference);
  if (!cb_reference_equal (reference, copy))
    cb_fuzz_fail ("a copy is not equal to its original");

  /* The importer gives each reference an id and stores it as XML */
  {
    g_autoptr(GBytes) xml = NULL;
    g_autoptr(CbReference) back = NULL;
    g_autoptr(GError) xml_error = NULL;
    g_autofree char *id = g_strconcat (key, "a", NULL);

    cb_reference_set_id (reference, id);
    xml = cb_reference_to_xml (reference, &xml_error);
    if (xml == NULL)
      cb_fuzz_fail ("cannot write the reference: %s", xml_error->message);

    back = cb_reference_from_xml (g_bytes_get_data (xml, NULL), g_bytes_get_size (xml), &xml_error);
    if (back == NULL)
      cb_fuzz_fail ("cannot read the reference back: %s\n%.*s", xml_error->message,
                    (int) g_bytes_get_size (xml), (const char *) g_bytes_get_data (xml, NULL));
    if (!cb_reference_equal (reference, back))
      cb_fuzz_fail ("the reference changes when stored and read back:\n%.*s",
                    (int) g_bytes_get_size (xml), (const char *) g_bytes_get_data (xml, NULL));
  }

  return 0;
}
