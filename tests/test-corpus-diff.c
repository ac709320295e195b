/* test-corpus-diff.c: part text, item fields as text, corpus diff and the
 * three-way merge of a corpus update
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cb-corpus-diff.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"

static CbCorpus *
load_guide (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("CASEBOOK_DATA_DIR"), "corpus", "guide.xml", NULL);
  CbCorpus *corpus = cb_corpus_read_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (corpus);

  return corpus;
}

/* A copy of @corpus without the item @skip (the corpus has no removal) */
static CbCorpus *
copy_corpus_without (CbCorpus   *corpus,
                     const char *skip)
{
  CbCorpus *copy = cb_corpus_new ();
  GPtrArray *contents = cb_corpus_get_contents (corpus);
  GPtrArray *references = cb_corpus_get_references (corpus);
  GPtrArray *items = cb_corpus_get_items (corpus);

  cb_corpus_set_title (copy, cb_corpus_get_title (corpus));
  cb_corpus_set_subtitle (copy, cb_corpus_get_subtitle (corpus));
  cb_corpus_set_publisher (copy, cb_corpus_get_publisher (corpus));
  for (guint i = 0; i < contents->len; i++)
    {
      CbContentsEntry *entry = g_ptr_array_index (contents, i);

      cb_corpus_add_contents_entry (copy, entry->kind, entry->number, entry->title, entry->page);
    }
  for (guint i = 0; i < references->len; i++)
    g_assert_true (cb_corpus_add_reference (copy, cb_reference_copy (g_ptr_array_index (references, i)), NULL));
  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (cb_item_get_id (item), skip) != 0)
        g_assert_true (cb_corpus_add_item (copy, cb_item_copy (item), NULL));
    }

  return copy;
}

static void
set_field (CbCorpus   *corpus,
           const char *id,
           const char *field,
           const char *value)
{
  g_autoptr(GError) error = NULL;
  CbItem *item = cb_corpus_lookup_item (corpus, id);

  g_assert_nonnull (item);
  g_assert_true (cb_item_set_field (item, field, value, &error));
  g_assert_no_error (error);
}

static char *
dup_field (CbCorpus   *corpus,
           const char *id,
           const char *field)
{
  CbItem *item = cb_corpus_lookup_item (corpus, id);

  g_assert_nonnull (item);

  return cb_item_dup_field (item, field);
}

static void
assert_field (CbCorpus   *corpus,
              const char *id,
              const char *field,
              const char *expected)
{
  g_autofree char *value = dup_field (corpus, id, field);

  g_assert_cmpstr (value, ==, expected);
}

/* Part text */

static void
assert_part_round_trip (const CbPart *part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cb_part_to_text (part);
  g_autoptr(CbPart) back = cb_part_from_text (part->name, text, &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (back);
  if (!cb_part_equal (part, back))
    g_error ("part “%s” does not round-trip:\n%s", part->name, text);

  again = cb_part_to_text (back);
  g_assert_cmpstr (again, ==, text);
}

static void
test_part_text_guide (void)
{
  g_autoptr(CbCorpus) corpus = load_guide ();
  GPtrArray *items = cb_corpus_get_items (corpus);
  guint n_parts = 0;

  for (guint i = 0; i < items->len; i++)
    {
      GPtrArray *parts = cb_item_get_parts (g_ptr_array_index (items, i));

      for (guint j = 0; j < parts->len; j++, n_parts++)
        assert_part_round_trip (g_ptr_array_index (parts, j));
    }

  g_assert_cmpuint (n_parts, >, 200);
}

static CbBlock *
paragraph (const char *first,
           ...)
{
  CbBlock *block = cb_block_new (CB_BLOCK_PARAGRAPH);
  va_list args;

  /* text, flags, href triples */
  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    {
      CbSpanFlags flags = va_arg (args, CbSpanFlags);
      const char *href = va_arg (args, const char *);

      cb_block_add_span (block, cb_span_new (text, flags, href));
    }
  va_end (args);

  return block;
}

static void
test_part_text_escapes (void)
{
  g_autoptr(CbPart) part = cb_part_new ("body");
  CbBlock *list, *item, *table, *row, *cell, *heading, *ref;
  const char *awkward[] = {
    "- not a list", "# not a heading", "12. not a number", "→ case_study:1.2.1",
    "-> case_study:1.2.1", "| not | a row |", "#. not numbered", "---", "a\\b\\", "*",
    "**", "***", "[x](y)", "<https://example.org>", "a <br> b", " edges ", "\tTab",
    "line one\nline two", "trailing\n", "2019.",
  };
  const CbSpanFlags S = CB_SPAN_STRONG, E = CB_SPAN_EMPHASIS, SE = CB_SPAN_STRONG | CB_SPAN_EMPHASIS;

  for (guint i = 0; i < G_N_ELEMENTS (awkward); i++)
    g_ptr_array_add (part->blocks, paragraph (awkward[i], CB_SPAN_PLAIN, NULL, NULL));

  /* every pair of neighbouring styles */
  g_ptr_array_add (part->blocks, paragraph ("a", S, NULL, "b", E, NULL, "c", SE, NULL, "d", CB_SPAN_PLAIN, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph ("a", E, NULL, "b", S, NULL, "c", E, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph ("a", E, NULL, "b", SE, NULL, "c", S, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph ("all", SE, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph ("a", SE, NULL, "b", E, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph ("a", S, NULL, "b", SE, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph (" spaced ", E, NULL, " strong ", S, NULL, "*", E, NULL, NULL));
  g_ptr_array_add (part->blocks, paragraph ("see ", CB_SPAN_PLAIN, NULL, "the ", CB_SPAN_PLAIN, "https://x.org/a_(b) c",
                                            "guide", S, "https://x.org/a_(b) c", " [1]", E, "#", ".", CB_SPAN_PLAIN, NULL,
                                            NULL));

  heading = cb_block_new (CB_BLOCK_HEADING);
  heading->number = g_strdup ("2");
  cb_block_add_span (heading, cb_span_new ("3. Separate fates", CB_SPAN_PLAIN, NULL));
  g_ptr_array_add (part->blocks, heading);
  heading = cb_block_new (CB_BLOCK_HEADING);
  cb_block_add_span (heading, cb_span_new ("2019. A year", CB_SPAN_PLAIN, NULL));
  g_ptr_array_add (part->blocks, heading);

  list = cb_block_new (CB_BLOCK_LIST);
  item = cb_block_new (CB_BLOCK_LIST_ITEM);
  cb_block_add_lead_span (item, cb_span_new ("Lead:", CB_SPAN_PLAIN, NULL));
  cb_block_add_lead_span (item, cb_span_new ("ing", CB_SPAN_EMPHASIS, NULL));
  cb_block_add_span (item, cb_span_new (" rest", CB_SPAN_PLAIN, NULL));
  cb_block_add_child (list, item);
  item = cb_block_new (CB_BLOCK_LIST_ITEM);
  cb_block_add_span (item, cb_span_new ("Bold", CB_SPAN_STRONG, NULL));
  cb_block_add_span (item, cb_span_new (" but no lead", CB_SPAN_PLAIN, NULL));
  cb_block_add_child (list, item);
  item = cb_block_new (CB_BLOCK_LIST_ITEM);
  cb_block_add_span (item, cb_span_new ("Only bold", CB_SPAN_STRONG, NULL));
  cb_block_add_child (list, item);
  item = cb_block_new (CB_BLOCK_LIST_ITEM);
  cb_block_add_span (item, cb_span_new ("1. numbered-looking", CB_SPAN_PLAIN, NULL));
  cb_block_add_child (list, item);
  g_ptr_array_add (part->blocks, list);

  list = cb_block_new (CB_BLOCK_LIST);
  list->ordered = TRUE;
  for (guint i = 0; i < 3; i++)
    {
      item = cb_block_new (CB_BLOCK_LIST_ITEM);
      item->number = i < 2 ? g_strdup_printf ("%u", i + 5) : NULL;
      cb_block_add_span (item, cb_span_new ("step", CB_SPAN_PLAIN, NULL));
      cb_block_add_child (list, item);
    }
  g_ptr_array_add (part->blocks, list);

  table = cb_block_new (CB_BLOCK_TABLE);
  for (guint r = 0; r < 3; r++)
    {
      row = cb_block_new (CB_BLOCK_ROW);
      row->header = r == 0;
      cb_block_add_child (table, row);
      for (guint c = 0; c < 2; c++)
        {
          cell = cb_block_new (CB_BLOCK_CELL);
          cb_block_add_child (row, cell);
          if (r == 1 && c == 1)
            {
              CbBlock *cell_list = cb_block_new (CB_BLOCK_LIST);
              CbBlock *cell_item = cb_block_new (CB_BLOCK_LIST_ITEM);

              cb_block_add_span (cell_item, cb_span_new ("in | a cell <br>", CB_SPAN_PLAIN, NULL));
              cb_block_add_child (cell_list, cell_item);
              cb_block_add_child (cell, paragraph ("first", CB_SPAN_PLAIN, NULL, NULL));
              cb_block_add_child (cell, paragraph ("second\nline", E, NULL, NULL));
              cb_block_add_child (cell, cell_list);
            }
          else if (r != 2 || c != 0)
            cb_block_add_child (cell, paragraph (c ? "---" : "cell", CB_SPAN_PLAIN, NULL, NULL));
        }
    }
  g_ptr_array_add (part->blocks, table);

  ref = cb_block_new (CB_BLOCK_ITEM_REF);
  ref->ref = g_strdup ("case_study:1.2.1");
  g_ptr_array_add (part->blocks, ref);

  assert_part_round_trip (part);
}

/* Random spans with every awkward character, in paragraphs, list items
 * (with and without lead-ins) and table cells */
static void
add_random_spans (CbBlock  *block,
                  gboolean  lead)
{
  static const char *pieces[] = {
    "a", "b", " ", "*", "**", "[", "]", "(", ")", "|", "\\", "<", ">", "<br>",
    "<https://x.org>", "\n", "\t", "-", "#", "1.", "→", "two words", "](", "é",
  };
  static const char *hrefs[] = { NULL, NULL, "#", "https://a.org/b_(c)", "with space", "x|y" };
  guint n = g_test_rand_int_range (1, 6);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      CbSpanFlags flags = g_test_rand_int_range (0, 4);
      const char *href = lead ? NULL : hrefs[g_test_rand_int_range (0, G_N_ELEMENTS (hrefs))];
      guint n_pieces = g_test_rand_int_range (1, 4);

      for (guint j = 0; j < n_pieces; j++)
        g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);

      if (lead)
        cb_block_add_lead_span (block, cb_span_new (text->str, flags & ~CB_SPAN_STRONG, NULL));
      else
        cb_block_add_span (block, cb_span_new (text->str, flags, href));
    }

  cb_spans_normalize (lead ? block->lead : block->spans);
}

static void
test_part_text_random (void)
{
  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(CbPart) part = cb_part_new ("body");
      CbBlock *block;

      switch (g_test_rand_int_range (0, 3))
        {
        case 0:
          block = cb_block_new (CB_BLOCK_PARAGRAPH);
          add_random_spans (block, FALSE);
          g_ptr_array_add (part->blocks, block);
          break;

        case 1:
          block = cb_block_new (CB_BLOCK_LIST_ITEM);
          if (g_test_rand_bit ())
            add_random_spans (block, TRUE);
          add_random_spans (block, FALSE);
          g_ptr_array_add (part->blocks, cb_block_new (CB_BLOCK_LIST));
          cb_block_add_child (g_ptr_array_index (part->blocks, 0), block);
          break;

        default:
          {
            CbBlock *row = cb_block_new (CB_BLOCK_ROW);
            CbBlock *cell = cb_block_new (CB_BLOCK_CELL);

            block = cb_block_new (CB_BLOCK_PARAGRAPH);
            add_random_spans (block, FALSE);
            cb_block_add_child (cell, block);
            cb_block_add_child (row, cell);
            g_ptr_array_add (part->blocks, cb_block_new (CB_BLOCK_TABLE));
            cb_block_add_child (g_ptr_array_index (part->blocks, 0), row);
          }
          break;
        }

      assert_part_round_trip (part);
    }
}

static void
test_part_text_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbPart) part =
    cb_part_from_text ("key_findings",
                       "A paragraph\nwrapped over *two* lines.\n\n"
                       "- **Lead:** the rest\n- plain [link](https://x.org)\n  continued\n"
                       "\n3. three\n4. four\n\n"
                       "### KEY INSIGHTS\n"
                       "| Theme | Framing |\n|---|---|\n| a | b<br>c |\n\n"
                       "→ case_study:4.2.4\n",
                       &error);
  CbBlock *block, *child;
  CbSpan *span;

  g_assert_no_error (error);
  g_assert_cmpstr (part->name, ==, "key_findings");
  g_assert_cmpuint (part->blocks->len, ==, 6);

  block = g_ptr_array_index (part->blocks, 0);
  g_assert_cmpint (block->kind, ==, CB_BLOCK_PARAGRAPH);
  g_assert_cmpuint (block->spans->len, ==, 3);
  span = g_ptr_array_index (block->spans, 0);
  g_assert_cmpstr (span->text, ==, "A paragraph wrapped over ");
  span = g_ptr_array_index (block->spans, 1);
  g_assert_cmpint (span->flags, ==, CB_SPAN_EMPHASIS);

  block = g_ptr_array_index (part->blocks, 1);
  g_assert_cmpint (block->kind, ==, CB_BLOCK_LIST);
  g_assert_false (block->ordered);
  g_assert_cmpuint (block->children->len, ==, 2);
  child = g_ptr_array_index (block->children, 0);
  g_assert_cmpuint (child->lead->len, ==, 1);
  g_assert_cmpstr (((CbSpan *) g_ptr_array_index (child->lead, 0))->text, ==, "Lead:");
  g_assert_cmpstr (((CbSpan *) g_ptr_array_index (child->spans, 0))->text, ==, "the rest");
  child = g_ptr_array_index (block->children, 1);
  g_assert_null (child->lead);
  g_assert_cmpuint (child->spans->len, ==, 3);
  g_assert_cmpstr (((CbSpan *) g_ptr_array_index (child->spans, 1))->href, ==, "https://x.org");
  g_assert_cmpstr (((CbSpan *) g_ptr_array_index (child->spans, 2))->text, ==, " continued");

  block = g_ptr_array_index (part->blocks, 2);
  g_assert_true (block->ordered);
  g_assert_cmpstr (((CbBlock *) g_ptr_array_index (block->children, 1))->number, ==, "4");

  block = g_ptr_array_index (part->blocks, 3);
  g_assert_cmpint (block->kind, ==, CB_BLOCK_HEADING);
  g_assert_null (block->number);

  block = g_ptr_array_index (part->blocks, 4);
  g_assert_cmpint (block->kind, ==, CB_BLOCK_TABLE);
  g_assert_cmpuint (block->children->len, ==, 2);
  g_assert_true (((CbBlock *) g_ptr_array_index (block->children, 0))->header);
  g_assert_false (((CbBlock *) g_ptr_array_index (block->children, 1))->header);
  child = g_ptr_array_index (((CbBlock *) g_ptr_array_index (block->children, 1))->children, 1);
  g_assert_cmpuint (child->children->len, ==, 1);
  span = g_ptr_array_index (((CbBlock *) g_ptr_array_index (child->children, 0))->spans, 0);
  g_assert_cmpstr (span->text, ==, "b c");

  block = g_ptr_array_index (part->blocks, 5);
  g_assert_cmpint (block->kind, ==, CB_BLOCK_ITEM_REF);
  g_assert_cmpstr (block->ref, ==, "case_study:4.2.4");
}

static void
test_part_text_errors (void)
{
  const struct {
    const char *name;
    const char *text;
    const char *message;
  } cases[] = {
    { "body", "Intro\n\n| a | b |\n|---|---|\n| c |\n", "Line 5:" },
    { "body", "| a | b |\n| c | d\n", "Line 2:" },
    { "body", "text\n\n|---|\n", "Line 3:" },
    { "body", "→ not-an-id\n", "Line 1:" },
    { "summary", "Some text", "summary" },
    { NULL, "Some text", "Unknown part" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbPart) part = cb_part_from_text (cases[i].name, cases[i].text, &error);

      g_assert_null (part);
      g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* Item fields */

static void
test_fields_round_trip (void)
{
  g_autoptr(CbCorpus) corpus = load_guide ();
  GPtrArray *items = cb_corpus_get_items (corpus);

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);
      g_autoptr(CbItem) copy = cb_item_new (cb_item_get_id (item), cb_item_get_kind (item));
      const char * const *names = cb_item_get_field_names (item);

      for (guint j = 0; names[j] != NULL; j++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *value = cb_item_dup_field (item, names[j]);
          g_autofree char *back = NULL;

          g_assert_nonnull (value);
          if (!cb_item_set_field (copy, names[j], value, &error))
            g_error ("%s %s: %s", cb_item_get_id (item), names[j], error->message);

          back = cb_item_dup_field (copy, names[j]);
          g_assert_cmpstr (back, ==, value);
        }

      /* built from text alone, field by field, the copy is the item */
      g_assert_true (cb_item_same_fields (item, copy));
      g_assert_true (cb_item_same_text (item, copy));
      g_assert_cmpuint (cb_item_get_countries (copy)->len, ==, cb_item_get_countries (item)->len);
      g_assert_cmpint (cb_item_get_status (copy), ==, cb_item_get_status (item));
    }
}

static void
test_fields_values (void)
{
  g_autoptr(CbCorpus) corpus = load_guide ();
  CbItem *item = cb_corpus_lookup_item (corpus, "case_study:3.1.2");
  const char * const expected[] = {
    "title", "number", "chapter", "section", "page", "status", "countries", "interventions",
    "design", "references", "reference_note", "part:background", "part:key_findings",
    "part:lessons_learned", NULL,
  };
  const char * const *names = cb_item_get_field_names (item);
  GPtrArray *parts;

  g_assert_cmpstrv (names, expected);

  assert_field (corpus, "case_study:3.1.2", "number", "3.1.2");
  assert_field (corpus, "case_study:3.1.2", "chapter", "3");
  assert_field (corpus, "case_study:3.1.2", "page", "39");
  assert_field (corpus, "case_study:3.1.2", "status", "active");
  assert_field (corpus, "case_study:3.1.2", "countries", "US");
  assert_field (corpus, "case_study:3.1.2", "interventions", "racial-concordance, workforce-representation");
  assert_field (corpus, "case_study:3.1.2", "design", "randomised-trial");
  assert_field (corpus, "case_study:3.1.2", "references", "reference:alsan2019");
  assert_field (corpus, "case_study:3.1.2", "reference_note", "");
  assert_field (corpus, "case_study:3.1.2", "part:body", "");
  assert_field (corpus, "case_study:3.1.2", "part:key_findings",
                "Black men who saw a Black physician were more engaged with their healthcare.\n\n"
                "Specifically:\n\n"
                "- 29% more likely to discuss other health issues\n"
                "- 47% more likely to undergo diabetes screening\n"
                "- 56% more likely to receive a flu vaccine\n"
                "- 72% more likely to complete cholesterol screening.");
  assert_field (corpus, "case_study:3.1.2", "colour", NULL);
  assert_field (corpus, "case_study:3.1.2", "part:summary", NULL);

  set_field (corpus, "case_study:3.1.2", "countries", " GB,US  FR ,");
  assert_field (corpus, "case_study:3.1.2", "countries", "GB, US, FR");
  set_field (corpus, "case_study:3.1.2", "page", "");
  assert_field (corpus, "case_study:3.1.2", "page", "");
  g_assert_cmpuint (cb_item_get_page (item), ==, 0);
  set_field (corpus, "case_study:3.1.2", "status", "retired");
  g_assert_cmpint (cb_item_get_status (item), ==, CB_ITEM_STATUS_RETIRED);
  set_field (corpus, "case_study:3.1.2", "design", "");
  g_assert_null (cb_item_get_design (item));

  /* a missing part joins in the canonical order; "" removes a part */
  set_field (corpus, "case_study:3.1.2", "part:key_outcome", "More screening.");
  parts = cb_item_get_parts (item);
  g_assert_cmpuint (parts->len, ==, 4);
  g_assert_cmpstr (((CbPart *) g_ptr_array_index (parts, 2))->name, ==, "key_outcome");
  names = cb_item_get_field_names (item);
  g_assert_cmpstr (names[13], ==, "part:key_outcome");
  set_field (corpus, "case_study:3.1.2", "part:background", "");
  g_assert_null (cb_item_get_part (item, "background"));
  g_assert_cmpstr (((CbPart *) g_ptr_array_index (parts, 0))->name, ==, "key_findings");
}

static void
test_fields_refused (void)
{
  g_autoptr(CbCorpus) corpus = load_guide ();
  CbItem *item = cb_corpus_lookup_item (corpus, "case_study:4.2.4");
  g_autoptr(CbItem) before = cb_item_copy (item);
  const struct {
    const char *field;
    const char *value;
  } cases[] = {
    { "title", "" },
    { "title", "  " },
    { "title", "Two\nlines" },
    { "page", "twelve" },
    { "chapter", "-1" },
    { "page", "99999999999" },
    { "status", "pending" },
    { "countries", "GB, US, GB" },
    { "interventions", "a b a" },
    { "design", "two words" },
    { "part:key_findings", "| a | b |\n| c |" },
    { "part:summary", "Text" },
    { "colour", "blue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cb_item_set_field (item, cases[i].field, cases[i].value, &error));
      g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
      g_assert_true (cb_item_same_fields (item, before));
      g_assert_true (cb_item_same_text (item, before));
    }

  {
    g_autoptr(GError) error = NULL;

    cb_item_set_field (item, "colour", "blue", &error);
    g_assert_nonnull (strstr (error->message, "Unknown field"));
  }
}

/* Diff */

static void
test_diff_same (void)
{
  g_autoptr(CbCorpus) a = load_guide ();
  g_autoptr(CbCorpus) b = load_guide ();
  g_autoptr(GPtrArray) self_diff = cb_corpus_diff (a, a);
  g_autoptr(GPtrArray) diff = cb_corpus_diff (a, b);
  g_autoptr(JsonNode) json = cb_diff_to_json (diff);

  g_assert_cmpuint (self_diff->len, ==, 0);
  g_assert_cmpuint (diff->len, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 0);
}

static CbChange *
entry_change (CbDiffEntry *entry,
              guint        index)
{
  g_assert_cmpuint (index, <, entry->changes->len);

  return g_ptr_array_index (entry->changes, index);
}

static void
test_diff_changes (void)
{
  g_autoptr(CbCorpus) a = load_guide ();
  g_autoptr(CbCorpus) edited = load_guide ();
  g_autoptr(CbCorpus) b = NULL;
  g_autoptr(GPtrArray) diff = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *findings = dup_field (edited, "case_study:3.1.2", "part:key_findings");
  g_autofree char *changed = NULL;
  CbItem *added;
  CbReference *reference;
  CbDiffEntry *entry;
  JsonObject *object;

  /* (a) one finding changes */
  changed = g_strdup (findings);
  memcpy (strstr (changed, "47%"), "48%", 3);
  set_field (edited, "case_study:3.1.2", "part:key_findings", changed);
  /* (b) a box is retired */
  set_field (edited, "inset_box:5.1.a", "status", "retired");
  /* (c) a new case study */
  added = cb_item_new ("case_study:4.2.99", CB_ITEM_KIND_CASE_STUDY);
  cb_item_set_title (added, "A new case study");
  cb_item_set_number (added, "4.2.99");
  cb_item_set_origin (added, "local");
  g_assert_true (cb_corpus_add_item (edited, added, NULL));
  /* (e) a DOI is corrected */
  reference = cb_corpus_lookup_reference (edited, "reference:alsan2019");
  g_assert_nonnull (reference);
  cb_reference_set_doi (reference, "10.1257/aer.20191234");
  /* (d) a case study goes */
  b = copy_corpus_without (edited, "case_study:3.2.2");

  diff = cb_corpus_diff (a, b);
  g_assert_cmpuint (diff->len, ==, 5);

  entry = g_ptr_array_index (diff, 0);
  g_assert_cmpint (entry->kind, ==, CB_DIFF_CHANGED);
  g_assert_cmpstr (entry->id, ==, "reference:alsan2019");
  g_assert_cmpuint (entry->changes->len, ==, 1);
  g_assert_cmpstr (entry_change (entry, 0)->field, ==, "doi");
  g_assert_cmpstr (entry_change (entry, 0)->before, ==, cb_reference_get_doi (cb_corpus_lookup_reference (a, "reference:alsan2019")));
  g_assert_cmpstr (entry_change (entry, 0)->after, ==, "10.1257/aer.20191234");

  entry = g_ptr_array_index (diff, 1);
  g_assert_cmpint (entry->kind, ==, CB_DIFF_CHANGED);
  g_assert_cmpstr (entry->id, ==, "case_study:3.1.2");
  g_assert_true (g_str_has_prefix (entry->label, "Case study 3.1.2: Engagement"));
  g_assert_cmpuint (entry->changes->len, ==, 1);
  g_assert_cmpstr (entry_change (entry, 0)->field, ==, "part:key_findings");
  g_assert_cmpstr (entry_change (entry, 0)->before, ==, findings);
  g_assert_cmpstr (entry_change (entry, 0)->after, ==, changed);

  entry = g_ptr_array_index (diff, 2);
  g_assert_cmpint (entry->kind, ==, CB_DIFF_REMOVED);
  g_assert_cmpstr (entry->id, ==, "case_study:3.2.2");
  g_assert_cmpuint (entry->changes->len, ==, 0);

  entry = g_ptr_array_index (diff, 3);
  g_assert_cmpint (entry->kind, ==, CB_DIFF_CHANGED);
  g_assert_cmpstr (entry->id, ==, "inset_box:5.1.a");
  g_assert_cmpuint (entry->changes->len, ==, 1);
  g_assert_cmpstr (entry_change (entry, 0)->field, ==, "status");
  g_assert_cmpstr (entry_change (entry, 0)->before, ==, "active");
  g_assert_cmpstr (entry_change (entry, 0)->after, ==, "retired");

  /* added at the end of the corpus, so last */
  entry = g_ptr_array_index (diff, 4);
  g_assert_cmpint (entry->kind, ==, CB_DIFF_ADDED);
  g_assert_cmpstr (entry->id, ==, "case_study:4.2.99");
  g_assert_cmpstr (entry->label, ==, "Case study 4.2.99: A new case study");

  json = cb_diff_to_json (diff);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, 5);
  object = json_array_get_object_element (json_node_get_array (json), 3);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "changed");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "inset_box:5.1.a");
  object = json_array_get_object_element (json_object_get_array_member (object, "changes"), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "field"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (object, "before"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (object, "after"), ==, "retired");
  object = json_array_get_object_element (json_node_get_array (json), 2);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "removed");
}

static void
test_diff_metadata (void)
{
  g_autoptr(CbCorpus) a = load_guide ();
  g_autoptr(CbCorpus) b = load_guide ();
  g_autoptr(GPtrArray) diff = NULL;
  CbDiffEntry *entry;

  cb_corpus_set_subtitle (b, "Second edition");
  cb_corpus_set_version (b, 3);
  diff = cb_corpus_diff (a, b);
  g_assert_cmpuint (diff->len, ==, 1);
  entry = g_ptr_array_index (diff, 0);
  g_assert_cmpstr (entry->id, ==, "corpus");
  g_assert_cmpstr (entry->label, ==, "The guide");
  /* The version is not content */
  g_assert_cmpuint (entry->changes->len, ==, 1);
  g_assert_cmpstr (entry_change (entry, 0)->field, ==, "subtitle");
  g_assert_cmpstr (entry_change (entry, 0)->after, ==, "Second edition");
}

/* Merge */

static void
assert_unchanged (CbCorpus *corpus)
{
  g_autoptr(CbCorpus) fresh = load_guide ();
  g_autoptr(GPtrArray) diff = cb_corpus_diff (fresh, corpus);

  g_assert_cmpuint (diff->len, ==, 0);
}

static GHashTable *
choices_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
choose (GHashTable *choices,
        const char *id,
        const char *field,
        CbChoice    choice)
{
  g_hash_table_insert (choices, cb_conflict_key (id, field), GINT_TO_POINTER (choice));
}

static CbCorpus *
merge_ok (CbCorpus   *base,
          CbCorpus   *local,
          CbCorpus   *update,
          GHashTable *choices,
          guint       n_conflicts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  CbCorpus *merged = cb_corpus_merge (base, local, update, choices, &conflicts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (merged);
  g_assert_cmpuint (conflicts->len, ==, n_conflicts);

  return merged;
}

static void
test_merge_independent (void)
{
  g_autoptr(CbCorpus) base = load_guide ();
  g_autoptr(CbCorpus) local = load_guide ();
  g_autoptr(CbCorpus) update = load_guide ();
  g_autoptr(CbCorpus) merged = NULL;
  g_autoptr(GPtrArray) diff = NULL;

  set_field (local, "case_study:4.2.4", "countries", "GB, NZ");
  set_field (update, "case_study:4.2.4", "title", "A retitled case study");
  cb_corpus_set_version (update, 2);

  merged = merge_ok (base, local, update, NULL, 0);
  assert_field (merged, "case_study:4.2.4", "countries", "GB, NZ");
  assert_field (merged, "case_study:4.2.4", "title", "A retitled case study");
  g_assert_cmpuint (cb_corpus_get_items (merged)->len, ==, cb_corpus_get_items (update)->len);
  g_assert_cmpstr (cb_corpus_get_title (merged), ==, cb_corpus_get_title (update));
  g_assert_cmpuint (cb_corpus_get_version (merged), ==, 2);
  g_assert_cmpuint (cb_corpus_get_chapters (merged)->len, ==, cb_corpus_get_chapters (update)->len);

  /* only the two edits differ from the base (the version is no content) */
  diff = cb_corpus_diff (base, merged);
  g_assert_cmpuint (diff->len, ==, 1);
  g_assert_cmpstr (((CbDiffEntry *) g_ptr_array_index (diff, 0))->id, ==, "case_study:4.2.4");
  g_assert_cmpuint (((CbDiffEntry *) g_ptr_array_index (diff, 0))->changes->len, ==, 2);

  /* the inputs are untouched, the result shares nothing with them */
  assert_unchanged (base);
  {
    g_autofree char *title = dup_field (base, "case_study:4.2.4", "title");

    assert_field (local, "case_study:4.2.4", "title", title);
  }
  g_assert_true (cb_corpus_lookup_item (merged, "case_study:4.2.4") != cb_corpus_lookup_item (update, "case_study:4.2.4"));
}

static void
test_merge_conflict (void)
{
  g_autoptr(CbCorpus) base = load_guide ();
  g_autoptr(CbCorpus) local = load_guide ();
  g_autoptr(CbCorpus) update = load_guide ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GHashTable) choices = choices_new ();
  g_autofree char *base_title = dup_field (base, "case_study:4.2.4", "title");
  CbCorpus *merged;
  CbConflict *conflict;

  set_field (local, "case_study:4.2.4", "title", "The librarian's title");
  set_field (update, "case_study:4.2.4", "title", "The update's title");

  merged = cb_corpus_merge (base, local, update, NULL, &conflicts, &error);
  g_assert_null (merged);
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "1 conflict needs a choice");
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, "case_study:4.2.4");
  g_assert_cmpstr (conflict->field, ==, "title");
  g_assert_cmpstr (conflict->base, ==, base_title);
  g_assert_cmpstr (conflict->local, ==, "The librarian's title");
  g_assert_cmpstr (conflict->update, ==, "The update's title");
  g_assert_true (g_str_has_prefix (conflict->label, "Case study 4.2.4"));

  /* a choice for something else does not settle it */
  choose (choices, "case_study:4.2.4", "countries", CB_CHOOSE_LOCAL);
  g_clear_error (&error);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_assert_null (cb_corpus_merge (base, local, update, choices, &conflicts, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);

  choose (choices, "case_study:4.2.4", "title", CB_CHOOSE_LOCAL);
  {
    g_autoptr(CbCorpus) chosen = merge_ok (base, local, update, choices, 1);

    assert_field (chosen, "case_study:4.2.4", "title", "The librarian's title");
  }

  choose (choices, "case_study:4.2.4", "title", CB_CHOOSE_UPDATE);
  {
    g_autoptr(CbCorpus) chosen = merge_ok (base, local, update, choices, 1);

    assert_field (chosen, "case_study:4.2.4", "title", "The update's title");
  }

  /* the same change on both sides is no conflict */
  set_field (update, "case_study:4.2.4", "title", "The librarian's title");
  {
    g_autoptr(CbCorpus) same = merge_ok (base, local, update, NULL, 0);

    assert_field (same, "case_study:4.2.4", "title", "The librarian's title");
  }
}

static void
test_merge_local_item (void)
{
  g_autoptr(CbCorpus) base = load_guide ();
  g_autoptr(CbCorpus) local = load_guide ();
  g_autoptr(CbCorpus) update = load_guide ();
  g_autoptr(CbCorpus) merged = NULL;
  GPtrArray *items;
  CbItem *item = cb_item_new ("case_study:local-1", CB_ITEM_KIND_CASE_STUDY);
  guint index;

  cb_item_set_title (item, "A local case study");
  cb_item_set_origin (item, "local");
  g_assert_true (cb_corpus_add_item (local, item, NULL));
  set_field (update, "case_study:3.1.2", "page", "40");

  merged = merge_ok (base, local, update, NULL, 0);
  item = cb_corpus_lookup_item (merged, "case_study:local-1");
  g_assert_nonnull (item);
  g_assert_cmpstr (cb_item_get_title (item), ==, "A local case study");
  g_assert_cmpstr (cb_item_get_origin (item), ==, "local");
  assert_field (merged, "case_study:3.1.2", "page", "40");

  /* it keeps its place: after the item it followed */
  items = cb_corpus_get_items (merged);
  g_assert_true (g_ptr_array_find (items, item, &index));
  g_assert_cmpuint (index, ==, items->len - 1);

  /* the update adding the same id differently: a conflict per field */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) conflicts = NULL;
    CbItem *theirs = cb_item_new ("case_study:local-1", CB_ITEM_KIND_CASE_STUDY);

    cb_item_set_title (theirs, "The update's case study");
    cb_item_set_page (theirs, 7);
    g_assert_true (cb_corpus_add_item (update, theirs, NULL));
    g_assert_null (cb_corpus_merge (base, local, update, NULL, &conflicts, &error));
    g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
    g_assert_cmpuint (conflicts->len, ==, 2);
    g_assert_cmpstr (((CbConflict *) g_ptr_array_index (conflicts, 0))->field, ==, "title");
    g_assert_null (((CbConflict *) g_ptr_array_index (conflicts, 0))->base);
    g_assert_cmpstr (((CbConflict *) g_ptr_array_index (conflicts, 1))->field, ==, "page");
  }
}

static void
test_merge_retired (void)
{
  g_autoptr(CbCorpus) base = load_guide ();
  g_autoptr(CbCorpus) local = load_guide ();
  g_autoptr(CbCorpus) update = load_guide ();
  g_autoptr(CbCorpus) merged = NULL;

  /* the update retires a box the librarian left alone */
  set_field (update, "inset_box:5.1.a", "status", "retired");
  /* the librarian retired a case study the update changed otherwise */
  set_field (local, "case_study:3.1.2", "status", "retired");
  set_field (update, "case_study:3.1.2", "title", "Updated title");

  merged = merge_ok (base, local, update, NULL, 0);
  assert_field (merged, "inset_box:5.1.a", "status", "retired");
  assert_field (merged, "case_study:3.1.2", "status", "retired");
  assert_field (merged, "case_study:3.1.2", "title", "Updated title");
}

static void
test_merge_removed (void)
{
  g_autoptr(CbCorpus) base = load_guide ();
  g_autoptr(CbCorpus) local = load_guide ();
  g_autoptr(CbCorpus) full_update = load_guide ();
  g_autoptr(CbCorpus) update = NULL;
  g_autoptr(GHashTable) choices = choices_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  CbConflict *conflict;

  set_field (local, "case_study:4.2.4", "countries", "GB");
  update = copy_corpus_without (full_update, "case_study:4.2.4");

  g_assert_null (cb_corpus_merge (base, local, update, NULL, &conflicts, &error));
  g_assert_error (error, CB_ERROR, CB_ERROR_CONFLICT);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, "case_study:4.2.4");
  g_assert_cmpstr (conflict->field, ==, "status");
  g_assert_cmpstr (conflict->base, ==, "active");
  g_assert_cmpstr (conflict->local, ==, "active");
  g_assert_null (conflict->update);

  choose (choices, "case_study:4.2.4", "status", CB_CHOOSE_LOCAL);
  {
    g_autoptr(CbCorpus) kept = merge_ok (base, local, update, choices, 1);

    assert_field (kept, "case_study:4.2.4", "countries", "GB");
  }

  choose (choices, "case_study:4.2.4", "status", CB_CHOOSE_UPDATE);
  {
    g_autoptr(CbCorpus) removed = merge_ok (base, local, update, choices, 1);

    /* Taking the update's side retires it: it stays readable, in packs
     * and history */
    assert_field (removed, "case_study:4.2.4", "status", "retired");
  }

  /* an item the librarian did not touch is retired, with a word in its
   * history saying why */
  {
    g_autoptr(CbCorpus) update2 = copy_corpus_without (full_update, "case_study:3.2.2");
    g_autoptr(CbCorpus) merged = merge_ok (base, local, update2, NULL, 0);
    CbItem *item = cb_corpus_lookup_item (merged, "case_study:3.2.2");
    GPtrArray *history;
    CbRevision *last;

    g_assert_nonnull (item);
    g_assert_cmpint (cb_item_get_status (item), ==, CB_ITEM_STATUS_RETIRED);
    history = cb_item_get_history (item);
    last = g_ptr_array_index (history, history->len - 1);
    g_assert_nonnull (strstr (last->summary, "no longer has"));
    assert_field (merged, "case_study:4.2.4", "countries", "GB");
  }
}

static void
test_merge_history (void)
{
  g_autoptr(CbCorpus) base = load_guide ();
  g_autoptr(CbCorpus) local = load_guide ();
  g_autoptr(CbCorpus) update = load_guide ();
  g_autoptr(CbCorpus) merged = NULL;
  CbItem *item;
  CbRevision *revision;
  GPtrArray *history;
  guint n_base = cb_item_get_history (cb_corpus_lookup_item (base, "case_study:4.2.4"))->len;

  item = cb_corpus_lookup_item (local, "case_study:4.2.4");
  set_field (local, "case_study:4.2.4", "countries", "GB");
  revision = cb_revision_new ("2027-02-01T10:00:00Z", "A librarian", "Countries corrected");
  cb_revision_add_change (revision, "countries", "US", "GB");
  cb_item_add_revision (item, revision);

  item = cb_corpus_lookup_item (update, "case_study:4.2.4");
  set_field (update, "case_study:4.2.4", "title", "Retitled");
  cb_item_add_revision (item, cb_revision_new ("2027-01-15T09:00:00Z", "casebook import-guide", "Second edition"));

  merged = merge_ok (base, local, update, NULL, 0);
  history = cb_item_get_history (cb_corpus_lookup_item (merged, "case_study:4.2.4"));
  g_assert_cmpuint (history->len, ==, n_base + 2);
  revision = g_ptr_array_index (history, n_base);
  g_assert_cmpstr (revision->summary, ==, "Second edition");
  revision = g_ptr_array_index (history, n_base + 1);
  g_assert_cmpstr (revision->summary, ==, "Countries corrected");
  g_assert_cmpuint (revision->changes->len, ==, 1);

  for (guint i = 1; i < history->len; i++)
    g_assert_cmpstr (((CbRevision *) g_ptr_array_index (history, i - 1))->date, <=,
                     ((CbRevision *) g_ptr_array_index (history, i))->date);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/corpus-diff/part-text/guide", test_part_text_guide);
  g_test_add_func ("/corpus-diff/part-text/escapes", test_part_text_escapes);
  g_test_add_func ("/corpus-diff/part-text/random", test_part_text_random);
  g_test_add_func ("/corpus-diff/part-text/read", test_part_text_read);
  g_test_add_func ("/corpus-diff/part-text/errors", test_part_text_errors);
  g_test_add_func ("/corpus-diff/fields/round-trip", test_fields_round_trip);
  g_test_add_func ("/corpus-diff/fields/values", test_fields_values);
  g_test_add_func ("/corpus-diff/fields/refused", test_fields_refused);
  g_test_add_func ("/corpus-diff/diff/same", test_diff_same);
  g_test_add_func ("/corpus-diff/diff/changes", test_diff_changes);
  g_test_add_func ("/corpus-diff/diff/metadata", test_diff_metadata);
  g_test_add_func ("/corpus-diff/merge/independent", test_merge_independent);
  g_test_add_func ("/corpus-diff/merge/conflict", test_merge_conflict);
  g_test_add_func ("/corpus-diff/merge/local-item", test_merge_local_item);
  g_test_add_func ("/corpus-diff/merge/retired", test_merge_retired);
  g_test_add_func ("/corpus-diff/merge/removed", test_merge_removed);
  g_test_add_func ("/corpus-diff/merge/history", test_merge_history);

  return g_test_run ();
}
