/* test-block.c: inline marks and structured text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cb-block.h"

static void
assert_span (GPtrArray   *spans,
             guint        index,
             const char  *text,
             CbSpanFlags  flags,
             const char  *href)
{
  CbSpan *span;

  g_assert_cmpuint (index, <, spans->len);
  span = g_ptr_array_index (spans, index);
  g_assert_cmpstr (span->text, ==, text);
  g_assert_cmpint (span->flags, ==, flags);
  g_assert_cmpstr (span->href, ==, href);
}

static void
test_inline_marks (void)
{
  g_autoptr(GPtrArray) spans = cb_spans_parse_inline ("A **bold** and *emphasised* word");

  g_assert_cmpuint (spans->len, ==, 5);
  assert_span (spans, 0, "A ", CB_SPAN_PLAIN, NULL);
  assert_span (spans, 1, "bold", CB_SPAN_STRONG, NULL);
  assert_span (spans, 2, " and ", CB_SPAN_PLAIN, NULL);
  assert_span (spans, 3, "emphasised", CB_SPAN_EMPHASIS, NULL);
  assert_span (spans, 4, " word", CB_SPAN_PLAIN, NULL);
}

static void
test_inline_links (void)
{
  g_autoptr(GPtrArray) spans =
    cb_spans_parse_inline ("see [**Promoting Equality**](#) at <https://nhsrho.org/x>.");

  g_assert_cmpuint (spans->len, ==, 5);
  assert_span (spans, 0, "see ", CB_SPAN_PLAIN, NULL);
  assert_span (spans, 1, "Promoting Equality", CB_SPAN_STRONG, "#");
  assert_span (spans, 2, " at ", CB_SPAN_PLAIN, NULL);
  assert_span (spans, 3, "https://nhsrho.org/x", CB_SPAN_PLAIN, "https://nhsrho.org/x");
  assert_span (spans, 4, ".", CB_SPAN_PLAIN, NULL);
}

static void
test_inline_unbalanced (void)
{
  const char *inputs[] = {
    "Name and eliminate racism**",
    "a * b * c",
    "[label](",
    "[label](with space)",
    "<https://unclosed",
    "****",
    "*",
    "",
  };

  /* Markers without partners stay literal: no text is lost. */
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GPtrArray) spans = cb_spans_parse_inline (inputs[i]);
      g_autofree char *text = cb_spans_to_text (spans);

      g_assert_cmpstr (text, ==, inputs[i]);
    }
}

static void
test_block_text_and_equal (void)
{
  g_autoptr(CbBlock) list = cb_block_new (CB_BLOCK_LIST);
  g_autoptr(CbBlock) copy = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CbBlock *item = cb_block_new (CB_BLOCK_LIST_ITEM);

  item->number = g_strdup ("1");
  cb_block_add_lead_span (item, cb_span_new ("Trust:", CB_SPAN_PLAIN, NULL));
  cb_block_add_span (item, cb_span_new ("Low trust in health systems", CB_SPAN_PLAIN, NULL));
  list->ordered = TRUE;
  cb_block_add_child (list, item);

  cb_block_append_text (list, out);
  g_assert_cmpstr (out->str, ==, "1 Trust: Low trust in health systems\n");

  copy = cb_block_copy (list);
  g_assert_true (cb_block_equal (list, copy));

  cb_block_add_span (g_ptr_array_index (copy->children, 0), cb_span_new (".", CB_SPAN_PLAIN, NULL));
  g_assert_false (cb_block_equal (list, copy));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/block/inline/marks", test_inline_marks);
  g_test_add_func ("/block/inline/links", test_inline_links);
  g_test_add_func ("/block/inline/unbalanced", test_inline_unbalanced);
  g_test_add_func ("/block/text-and-equal", test_block_text_and_equal);

  return g_test_run ();
}
