/* test-importer.c: the guide text importer on the real guide and on bad
 * input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cb-corpus-check.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-xml.h"

typedef struct {
  CbGuideImporter *importer;
  CbCorpus        *corpus;
} Fixture;

static char *guide_text;
static gsize guide_len;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->importer = cb_guide_importer_new ();
  fixture->corpus = cb_guide_importer_import_bytes (fixture->importer, guide_text, guide_len,
                                                    "improving-race-equality-guide.txt", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->corpus);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->corpus);
  g_assert_finalize_object (fixture->importer);
}

static CbItem *
item (Fixture    *fixture,
      const char *id)
{
  CbItem *found = cb_corpus_lookup_item (fixture->corpus, id);

  if (found == NULL)
    g_error ("no item %s", id);

  return found;
}

static CbBlock *
block_at (CbItem     *it,
          const char *part_name,
          guint       index)
{
  CbPart *part = cb_item_get_part (it, part_name);

  g_assert_nonnull (part);
  g_assert_cmpuint (index, <, part->blocks->len);

  return g_ptr_array_index (part->blocks, index);
}

static char *
span_text (CbBlock *block)
{
  return cb_spans_to_text (block->spans);
}

static void
test_counts (Fixture       *fixture,
             gconstpointer  data)
{
  GPtrArray *chapters = cb_corpus_get_chapters (fixture->corpus);
  guint numbered_boxes = 0;

  g_assert_cmpuint (cb_corpus_count_items (fixture->corpus, CB_ITEM_KIND_CASE_STUDY), ==, 23);
  g_assert_cmpuint (cb_corpus_count_items (fixture->corpus, CB_ITEM_KIND_INSET_BOX), ==, 13);
  g_assert_cmpuint (cb_corpus_count_items (fixture->corpus, CB_ITEM_KIND_GLOSSARY), ==, 8);
  g_assert_cmpuint (cb_corpus_count_items (fixture->corpus, CB_ITEM_KIND_RECOMMENDATION), ==, 41);
  g_assert_cmpuint (cb_corpus_count_items (fixture->corpus, CB_ITEM_KIND_IMPLEMENTATION), ==, 48);
  g_assert_cmpuint (cb_corpus_count_items (fixture->corpus, CB_ITEM_KIND_NEXT_STEP), ==, 6);

  for (guint i = 0; i < cb_corpus_get_items (fixture->corpus)->len; i++)
    {
      CbItem *it = g_ptr_array_index (cb_corpus_get_items (fixture->corpus), i);

      if (cb_item_get_kind (it) == CB_ITEM_KIND_INSET_BOX && !g_str_has_prefix (cb_item_get_id (it), "inset_box:5.1."))
        numbered_boxes++;
    }
  g_assert_cmpuint (numbered_boxes, ==, 11);
  g_assert_nonnull (cb_corpus_lookup_item (fixture->corpus, "inset_box:5.1.a"));
  g_assert_nonnull (cb_corpus_lookup_item (fixture->corpus, "inset_box:5.1.b"));

  /* Seven chapters of five sections, each with its page from the contents */
  g_assert_cmpuint (chapters->len, ==, 7);
  for (guint i = 0; i < chapters->len; i++)
    {
      CbChapter *chapter = g_ptr_array_index (chapters, i);

      g_assert_cmpuint (chapter->number, ==, i + 1);
      g_assert_cmpuint (chapter->sections->len, ==, 5);
      g_assert_cmpuint (chapter->page, >, 0);
    }
  g_assert_cmpstr (((CbChapter *) g_ptr_array_index (chapters, 3))->title, ==,
                   "Creating Culturally Safe Care and Work Environments");
  g_assert_cmpuint (cb_corpus_lookup_section (fixture->corpus, "4.2")->page, ==, 56);

  /* Every chapter section has its narrative item */
  for (guint c = 1; c <= 7; c++)
    for (guint s = 1; s <= 5; s++)
      {
        g_autofree char *id = g_strdup_printf ("section:%u.%u", c, s);

        g_assert_nonnull (cb_corpus_lookup_item (fixture->corpus, id));
      }

  g_assert_cmpuint (cb_corpus_get_references (fixture->corpus)->len, ==, 30);
}

static void
test_case_study (Fixture       *fixture,
                 gconstpointer  data)
{
  CbItem *it = item (fixture, "case_study:3.1.2");
  const char *bullets[] = {
    "29% more likely to discuss other health issues",
    "47% more likely to undergo diabetes screening",
    "56% more likely to receive a flu vaccine",
    "72% more likely to complete cholesterol screening.",
  };
  GPtrArray *parts = cb_item_get_parts (it);
  CbBlock *list;
  g_autofree char *lead = NULL;

  g_assert_cmpstr (cb_item_get_number (it), ==, "3.1.2");
  g_assert_cmpstr (cb_item_get_title (it), ==,
                   "Engagement of Black patients with health services increases when their physician is of the same race");
  g_assert_cmpuint (cb_item_get_chapter (it), ==, 3);
  g_assert_cmpstr (cb_item_get_section (it), ==, "3.1");
  g_assert_cmpuint (cb_item_get_page (it), ==, 39);

  g_assert_cmpuint (parts->len, ==, 3);
  g_assert_cmpstr (((CbPart *) g_ptr_array_index (parts, 0))->name, ==, "background");
  g_assert_cmpstr (((CbPart *) g_ptr_array_index (parts, 1))->name, ==, "key_findings");
  g_assert_cmpstr (((CbPart *) g_ptr_array_index (parts, 2))->name, ==, "lessons_learned");

  lead = span_text (block_at (it, "key_findings", 1));
  g_assert_cmpstr (lead, ==, "Specifically:");

  list = block_at (it, "key_findings", 2);
  g_assert_cmpint (list->kind, ==, CB_BLOCK_LIST);
  g_assert_false (list->ordered);
  g_assert_cmpuint (list->children->len, ==, G_N_ELEMENTS (bullets));
  for (guint i = 0; i < G_N_ELEMENTS (bullets); i++)
    {
      g_autofree char *text = span_text (g_ptr_array_index (list->children, i));

      g_assert_cmpstr (text, ==, bullets[i]);
    }

  /* The reference list calls it 3.2.1; it is matched by title. */
  g_assert_cmpuint (cb_item_get_references (it)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (cb_item_get_references (it), 0), ==, "reference:alsan2019");
}

static void
test_case_study_parts (Fixture       *fixture,
                       gconstpointer  data)
{
  CbItem *with_outcome = item (fixture, "case_study:1.2.1");
  CbItem *long_lessons = item (fixture, "case_study:4.2.4");
  CbPart *lessons = cb_item_get_part (long_lessons, "lessons_learned");
  g_autofree char *outcome = cb_item_get_part_text (with_outcome, "key_outcome");
  g_autofree char *last = NULL;

  g_assert_nonnull (outcome);
  g_assert_true (g_str_has_prefix (outcome, "Two years after completion of the report"));

  /* A colon-led lessons part keeps its list and closing paragraph... */
  g_assert_cmpuint (lessons->blocks->len, ==, 3);
  last = span_text (g_ptr_array_index (lessons->blocks, 2));
  g_assert_true (g_str_has_prefix (last, "Leadership, continuous evaluation"));

  /* ...but the narrative after a case study is the section's. */
  for (guint i = 0; i < cb_corpus_get_items (fixture->corpus)->len; i++)
    {
      CbItem *it = g_ptr_array_index (cb_corpus_get_items (fixture->corpus), i);
      g_autofree char *text = NULL;

      if (cb_item_get_kind (it) != CB_ITEM_KIND_CASE_STUDY)
        continue;

      g_assert_nonnull (cb_item_get_part (it, "background"));
      g_assert_nonnull (cb_item_get_part (it, "key_findings"));
      g_assert_nonnull (cb_item_get_part (it, "lessons_learned"));
      text = cb_item_get_text (it);
      g_assert_null (strstr (text, "Once differences of disparities are identified"));
      g_assert_null (strstr (text, "The following case study"));
    }
}

static void
test_wres_indicators (Fixture       *fixture,
                      gconstpointer  data)
{
  CbItem *it = item (fixture, "inset_box:2.2.1");
  CbPart *body = cb_item_get_part (it, "body");
  const char *indicators[] = {
    "Representation across Agenda for Change bands and Very Senior Management",
    "Relative likelihood of appointment from shortlisting",
    "Relative likelihood of entering the formal disciplinary process",
    "Access to non-mandatory training and CPD",
    "Bullying, harassment, or abuse from patients or the public",
    "Bullying, harassment, or abuse from other staff",
    "Belief that the organisation provides equal opportunities for progression",
    "Experiences of discrimination from managers or senior staff",
    "Voting Board membership compared with overall workforce composition",
  };
  const char *domains[] = {
    "Workforce representation and processes",
    "Workplace culture and experience",
    "Leadership diversity",
  };
  guint n_indicators = 0, n_domains = 0;
  g_autofree char *text = cb_item_get_text (it);

  for (guint i = 0; i < body->blocks->len; i++)
    {
      CbBlock *block = g_ptr_array_index (body->blocks, i);

      if (block->kind == CB_BLOCK_HEADING)
        {
          g_autofree char *heading = span_text (block);

          if (n_domains < G_N_ELEMENTS (domains) && g_str_equal (heading, domains[n_domains]))
            n_domains++;
        }

      if (block->kind != CB_BLOCK_LIST)
        continue;

      g_assert_true (block->ordered);
      for (guint j = 0; j < block->children->len; j++)
        {
          CbBlock *li = g_ptr_array_index (block->children, j);
          g_autofree char *indicator = span_text (li);
          g_autofree char *number = g_strdup_printf ("%u", n_indicators + 1);

          g_assert_cmpuint (n_indicators, <, G_N_ELEMENTS (indicators));
          g_assert_cmpstr (li->number, ==, number);
          g_assert_cmpstr (indicator, ==, indicators[n_indicators]);
          n_indicators++;
        }
    }

  g_assert_cmpuint (n_indicators, ==, 9);
  g_assert_cmpuint (n_domains, ==, 3);

  /* The box keeps its closing paragraph but not the bridge to section 2.3 */
  g_assert_nonnull (strstr (text, "WRES illustrates the importance of coupling"));
  g_assert_null (strstr (text, "The experience of WRES reinforces"));
}

static void
test_inset_boxes (Fixture       *fixture,
                  gconstpointer  data)
{
  CbItem *principles = item (fixture, "inset_box:1.1.1");
  CbItem *pillars = item (fixture, "inset_box:5.2.1");
  CbItem *competence = item (fixture, "inset_box:4.1.1");
  CbItem *structural = item (fixture, "inset_box:4.2.1");
  CbItem *personal = item (fixture, "inset_box:6.2.1");
  CbItem *south_africa = item (fixture, "inset_box:5.1.a");
  CbItem *uk = item (fixture, "inset_box:5.1.b");
  CbBlock *list, *pillar;
  g_autofree char *lead = NULL;
  g_autofree char *pillar_text = NULL;
  g_autofree char *competence_text = cb_item_get_text (competence);
  g_autofree char *structural_text = cb_item_get_text (structural);
  g_autofree char *personal_text = cb_item_get_text (personal);
  g_autofree char *uk_text = cb_item_get_text (uk);

  /* Seven numbered principles, then the box ends. */
  g_assert_cmpuint (cb_item_get_part (principles, "body")->blocks->len, ==, 1);
  list = block_at (principles, "body", 0);
  g_assert_cmpuint (list->children->len, ==, 7);
  g_assert_cmpstr (((CbBlock *) g_ptr_array_index (list->children, 6))->number, ==, "7");

  /* Bold lead-ins: "- 1 Name and eliminate racism**" over its description */
  list = block_at (pillars, "body", 0);
  g_assert_cmpuint (list->children->len, ==, 5);
  pillar = g_ptr_array_index (list->children, 0);
  lead = cb_spans_to_text (pillar->lead);
  pillar_text = span_text (pillar);
  g_assert_cmpstr (lead, ==, "Name and eliminate racism");
  g_assert_cmpstr (pillar_text, ==,
                   "Recognise and address structural and interpersonal racism within the health system and community.");

  /* Capitalised headings take the reference list's letter case */
  g_assert_cmpstr (cb_item_get_title (competence), ==, "What does it look like to be high on cultural competence?");
  g_assert_cmpstr (cb_item_get_title (personal), ==, "Personal experiences: Pulse oximeters and equity");
  g_assert_true (g_str_has_prefix (cb_item_get_title (south_africa), "Lessons from south africa"));

  /* Statements without markers become a list; the closing paragraph stays
   * with the box and the bridge onwards does not. */
  list = block_at (competence, "body", 1);
  g_assert_cmpint (list->kind, ==, CB_BLOCK_LIST);
  g_assert_cmpuint (list->children->len, ==, 6);
  g_assert_nonnull (strstr (competence_text, "Together, these behaviours demonstrate"));
  g_assert_nonnull (strstr (structural_text, "Structural competence moves beyond individual bias"));
  g_assert_null (strstr (structural_text, "Building on structural competency"));
  g_assert_null (strstr (personal_text, "While technology can support health monitoring"));

  /* An unnumbered box stops at the next capitalised heading, and the
   * paragraph split by a page break is whole again. */
  g_assert_nonnull (strstr (uk_text, "structurally focused interventions can shift local systems toward equity"));
  g_assert_null (strstr (uk_text, "WHY THIS MATTERS"));
  g_assert_cmpstr (cb_item_get_section (uk), ==, "5.1");
}

static void
test_tables (Fixture       *fixture,
             gconstpointer  data)
{
  CbBlock *table = block_at (item (fixture, "inset_box:7.2.2"), "body", 1);
  CbBlock *actions = block_at (item (fixture, "inset_box:7.3.1"), "body", 0);
  CbBlock *header, *row, *cell, *list;
  g_autofree char *first = NULL;

  g_assert_cmpint (table->kind, ==, CB_BLOCK_TABLE);
  /* The header repeated after a page break is merged, not a row */
  g_assert_cmpuint (table->children->len, ==, 5);
  header = g_ptr_array_index (table->children, 0);
  g_assert_true (header->header);
  g_assert_cmpuint (header->children->len, ==, 3);

  /* <p> fragments in a cell are paragraphs */
  row = g_ptr_array_index (table->children, 4);
  g_assert_false (row->header);
  cell = g_ptr_array_index (row->children, 1);
  g_assert_cmpuint (cell->children->len, ==, 2);
  first = span_text (g_ptr_array_index (cell->children, 0));
  g_assert_true (g_str_has_prefix (first, "Interdependence and shared fate:"));

  /* A <ul> whose items are "•" separated is a list of three */
  g_assert_cmpint (actions->kind, ==, CB_BLOCK_TABLE);
  g_assert_cmpuint (actions->children->len, ==, 5);
  for (guint r = 1; r < actions->children->len; r++)
    {
      row = g_ptr_array_index (actions->children, r);
      cell = g_ptr_array_index (row->children, 1);
      list = g_ptr_array_index (cell->children, 0);
      g_assert_cmpint (list->kind, ==, CB_BLOCK_LIST);
      g_assert_cmpuint (list->children->len, ==, 3);
    }
}

static void
test_glossary_and_steps (Fixture       *fixture,
                         gconstpointer  data)
{
  CbItem *racism = item (fixture, "glossary:racism");
  CbItem *rec = item (fixture, "recommendation:3.3.1");
  CbItem *step = item (fixture, "implementation:2.4.2");
  CbItem *next = item (fixture, "next_step:4");
  g_autofree char *definition = cb_item_get_part_text (racism, "body");
  g_autofree char *rec_text = cb_item_get_part_text (rec, "body");
  g_autofree char *step_text = cb_item_get_part_text (step, "body");

  g_assert_cmpstr (cb_item_get_title (racism), ==, "Racism");
  g_assert_true (g_str_has_prefix (definition, "A system of power that operates"));

  /* A recommendation may run over several paragraphs */
  g_assert_cmpstr (cb_item_get_title (rec), ==,
                   "Prioritise representation and tackle segregation across all levels of the workforce");
  g_assert_cmpuint (cb_item_get_part (rec, "body")->blocks->len, ==, 3);
  g_assert_nonnull (strstr (rec_text, "system-wide responsibility"));

  /* "carefully tailored" / "to local context" joined across a page break */
  g_assert_cmpstr (cb_item_get_title (step), ==, "Design targeted interventions");
  g_assert_nonnull (strstr (step_text, "carefully tailored to local context"));

  g_assert_cmpstr (cb_item_get_title (next), ==, "Integrate equity into existing nhs improvement frameworks");
  g_assert_cmpuint (block_at (next, "body", 0)->children->len, ==, 3);
}

static const CbAnomaly *
find_anomaly (Fixture    *fixture,
              const char *code,
              const char *item_id)
{
  GPtrArray *anomalies = cb_corpus_get_anomalies (fixture->corpus);

  for (guint i = 0; i < anomalies->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      if (g_str_equal (anomaly->code, code) && g_strcmp0 (anomaly->item, item_id) == 0)
        return anomaly;
    }

  return NULL;
}

static guint
count_anomalies (Fixture    *fixture,
                 const char *code)
{
  GPtrArray *anomalies = cb_corpus_get_anomalies (fixture->corpus);
  guint n = 0;

  for (guint i = 0; i < anomalies->len; i++)
    n += g_str_equal (((CbAnomaly *) g_ptr_array_index (anomalies, i))->code, code);

  return n;
}

static void
test_anomalies (Fixture       *fixture,
                gconstpointer  data)
{
  const CbAnomaly *anomaly;

  anomaly = find_anomaly (fixture, "reference-number-mismatch", "case_study:3.1.2");
  g_assert_nonnull (anomaly);
  g_assert_cmpuint (anomaly->line, ==, 1859);
  g_assert_nonnull (strstr (anomaly->message, "3.2.1"));

  anomaly = find_anomaly (fixture, "malformed-reference-label", "inset_box:2.2.1");
  g_assert_nonnull (anomaly);
  g_assert_cmpuint (anomaly->line, ==, 1807);

  anomaly = find_anomaly (fixture, "placeholder-reference", "case_study:1.2.1");
  g_assert_nonnull (anomaly);
  g_assert_cmpuint (anomaly->line, ==, 1836);
  g_assert_cmpstr (cb_item_get_reference_note (item (fixture, "case_study:1.2.1")), ==,
                   "Requires a reference from Janet Smylie");

  g_assert_nonnull (find_anomaly (fixture, "empty-reference-entry", "inset_box:2.2.1"));
  g_assert_nonnull (find_anomaly (fixture, "missing-reference", "inset_box:7.3.1"));
  g_assert_nonnull (find_anomaly (fixture, "missing-reference", "inset_box:5.1.a"));
  g_assert_nonnull (find_anomaly (fixture, "missing-reference", "inset_box:5.1.b"));
  g_assert_cmpuint (count_anomalies (fixture, "missing-reference"), ==, 3);

  anomaly = find_anomaly (fixture, "doi-mismatch", "case_study:5.2.4");
  g_assert_nonnull (anomaly);
  g_assert_nonnull (strstr (anomaly->message, "10.1056/CAT.21.0098"));
  g_assert_nonnull (strstr (anomaly->message, "10.1056/CAT.21.0145"));

  /* Five links to "#": the BMJ article, digital apps, pulse oximetry and
   * two in the next steps */
  g_assert_cmpuint (count_anomalies (fixture, "placeholder-link"), ==, 5);
  anomaly = find_anomaly (fixture, "placeholder-link", "section:nhs-context");
  g_assert_nonnull (anomaly);
  g_assert_cmpuint (anomaly->line, ==, 157);

  /* Superscript markers, one report per line that has them */
  anomaly = find_anomaly (fixture, "citation-marker", "section:background-racial-and-ethnic-inequity-and-health");
  g_assert_nonnull (anomaly);
  g_assert_cmpuint (count_anomalies (fixture, "citation-marker"), ==, 29);

  /* Every anomaly but the import-wide ones carries a line */
  for (guint i = 0; i < cb_corpus_get_anomalies (fixture->corpus)->len; i++)
    g_assert_cmpuint (((CbAnomaly *) g_ptr_array_index (cb_corpus_get_anomalies (fixture->corpus), i))->line, >, 0);
}

static void
test_references (Fixture       *fixture,
                 gconstpointer  data)
{
  CbReference *saha = cb_corpus_lookup_reference (fixture->corpus, "reference:saha2013");
  g_autoptr(GPtrArray) citing = NULL;

  g_assert_nonnull (saha);
  g_assert_cmpstr (cb_reference_get_doi (saha), ==, "10.1007/s11606-012-2298-8");

  /* One record for a work cited by several items */
  citing = cb_corpus_dup_citing_items (fixture->corpus, "reference:saha2013");
  g_assert_cmpuint (citing->len, ==, 2);
  g_clear_pointer (&citing, g_ptr_array_unref);
  citing = cb_corpus_dup_citing_items (fixture->corpus, "reference:davey2009");
  g_assert_cmpuint (citing->len, ==, 3);

  /* Two DOIs for one title: two records, a and b */
  g_assert_nonnull (cb_corpus_lookup_reference (fixture->corpus, "reference:ansell2021a"));
  g_assert_nonnull (cb_corpus_lookup_reference (fixture->corpus, "reference:ansell2021b"));
  g_assert_null (cb_corpus_lookup_reference (fixture->corpus, "reference:ansell2021"));

  /* Two citations for one case study */
  g_assert_cmpuint (cb_item_get_references (item (fixture, "case_study:2.2.4"))->len, ==, 2);
}

/* Every non-blank line lands in exactly one place, and its words are in
 * that place. */
static GPtrArray *
words_of (const char *text)
{
  /* HTML tags and link targets are markup, not text */
  g_autoptr(GRegex) tags = g_regex_new ("<[^>]*>|\\]\\([^)\\s]*\\)", 0, 0, NULL);
  g_autofree char *stripped = g_regex_replace_literal (tags, text, -1, 0, " ", 0, NULL);
  g_autofree char *folded = g_utf8_casefold (stripped, -1);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);

  for (const char *p = folded;; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c != 0 && g_unichar_isalnum (c) && g_unichar_type (c) != G_UNICODE_OTHER_NUMBER)
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0)
        {
          g_ptr_array_add (words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }

  g_string_free (word, TRUE);

  return words;
}

static gboolean
contains_run (GPtrArray *haystack,
              GPtrArray *needle)
{
  if (needle->len == 0)
    return TRUE;

  for (guint i = 0; i + needle->len <= haystack->len; i++)
    {
      guint j;

      for (j = 0; j < needle->len; j++)
        {
          if (!g_str_equal (g_ptr_array_index (haystack, i + j), g_ptr_array_index (needle, j)))
            break;
        }
      if (j == needle->len)
        return TRUE;
    }

  return FALSE;
}

static char *
place_text (Fixture    *fixture,
            const char *owner)
{
  GString *text = g_string_new (NULL);

  if (g_str_equal (owner, "guide"))
    {
      g_string_append_printf (text, "%s\n%s", cb_corpus_get_title (fixture->corpus),
                              cb_corpus_get_subtitle (fixture->corpus));
    }
  else if (g_str_equal (owner, "contents") || g_str_has_prefix (owner, "chapter:"))
    {
      GPtrArray *contents = cb_corpus_get_contents (fixture->corpus);

      g_string_append (text, "Contents\n");
      for (guint i = 0; i < contents->len; i++)
        {
          CbContentsEntry *entry = g_ptr_array_index (contents, i);

          g_string_append_printf (text, "%s%s%s%s %u\n",
                                  entry->kind == CB_CONTENTS_CHAPTER ? "Chapter " : "",
                                  entry->number ? entry->number : "",
                                  entry->kind == CB_CONTENTS_CHAPTER ? ": " : entry->number ? " " : "",
                                  entry->title, entry->page);
        }
    }
  else if (g_str_equal (owner, "references"))
    {
      GPtrArray *refs = cb_corpus_get_references (fixture->corpus);
      GPtrArray *items = cb_corpus_get_items (fixture->corpus);
      GPtrArray *anomalies = cb_corpus_get_anomalies (fixture->corpus);

      g_string_append (text, "References\nInset boxes\nCase studies\n");
      for (guint i = 0; i < refs->len; i++)
        {
          GPtrArray *texts = cb_reference_get_texts (g_ptr_array_index (refs, i));

          for (guint t = 0; t < texts->len; t++)
            g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (texts, t));
        }
      for (guint i = 0; i < items->len; i++)
        {
          CbItem *it = g_ptr_array_index (items, i);

          g_string_append_printf (text, "%s %s %s\n%s\n", cb_item_kind_label (cb_item_get_kind (it)),
                                  cb_item_get_number (it) ? cb_item_get_number (it) : "",
                                  cb_item_get_title (it),
                                  cb_item_get_reference_note (it) ? cb_item_get_reference_note (it) : "");
        }
      /* What the guide gets wrong is quoted in the report. */
      for (guint i = 0; i < anomalies->len; i++)
        g_string_append_printf (text, "%s\n", ((CbAnomaly *) g_ptr_array_index (anomalies, i))->message);
    }
  else
    {
      CbItem *it = cb_corpus_lookup_item (fixture->corpus, owner);
      g_autofree char *body = NULL;
      GPtrArray *parts;

      g_assert_nonnull (it);
      body = cb_item_get_text (it);
      parts = cb_item_get_parts (it);
      g_string_append_printf (text, "%s %s %s\n", cb_item_kind_label (cb_item_get_kind (it)),
                              cb_item_get_number (it) ? cb_item_get_number (it) : "", cb_item_get_title (it));
      for (guint i = 0; i < parts->len; i++)
        g_string_append_printf (text, "%s\n", cb_part_name_label (((CbPart *) g_ptr_array_index (parts, i))->name));
      g_string_append (text, body);
    }

  return g_string_free (text, FALSE);
}

static void
test_every_line_lands_once (Fixture       *fixture,
                            gconstpointer  data)
{
  CbGuideImporter *importer = fixture->importer;
  guint n_lines = cb_guide_importer_get_n_lines (importer);
  guint checked = 0;

  g_assert_cmpuint (n_lines, >, 1900);

  for (guint line = 1; line < n_lines; line++)
    {
      const char *text = cb_guide_importer_get_line_text (importer, line);
      const char *owner = cb_guide_importer_get_line_owner (importer, line);
      g_autofree char *place = NULL;
      g_autoptr(GPtrArray) line_words = NULL;
      g_autoptr(GPtrArray) place_words = NULL;

      if (*text == '\0')
        {
          g_assert_cmpuint (cb_guide_importer_get_line_claims (importer, line), ==, 0);
          continue;
        }

      if (cb_guide_importer_get_line_claims (importer, line) != 1)
        g_error ("line %u is claimed %u times: %s", line,
                 cb_guide_importer_get_line_claims (importer, line), text);
      g_assert_nonnull (owner);

      place = place_text (fixture, owner);
      line_words = words_of (text);
      place_words = words_of (place);
      if (!contains_run (place_words, line_words))
        g_error ("the words of line %u are not in %s: %s", line, owner, text);
      checked++;
    }

  g_assert_cmpuint (checked, >, 1000);
}

static void
test_bad_input (void)
{
  g_autofree char *truncated = g_strndup (guide_text, guide_len / 2);
  g_autofree char *no_contents = NULL;
  g_autofree char *duplicate = NULL;
  g_autofree char *binary = g_strdup ("Title\n\nSub\n\nContents\n\nIntro\xff\xfe\t4\n");
  g_autofree char *control = NULL;
  g_autofree char *untitled = NULL;
  const char *empty = "";
  const char *only_blank = "\n\n   \n";
  /* A term defined twice in a glossary before the contents (found by
   * fuzzing: the front-matter section holding it leaked, which the
   * sanitizer run reports) */
  const char *twice_in_glossary = "Title\n\nSubtitle\n\n"
                                  "Racism\tprejudice or discrimination against a person because of their ethnicity.\n"
                                  "Racism\tthe same term, defined a second time.\n\n"
                                  "Contents\n\nIntroduction\t4\n";

  {
    g_autoptr(GString) s = g_string_new (guide_text);

    g_string_replace (s, "\nContents\n", "\nTable\n", 1);
    no_contents = g_string_free (g_steal_pointer (&s), FALSE);
  }
  {
    g_autoptr(GString) s = g_string_new (guide_text);

    g_string_replace (s, "CASE STUDY 2.2.2\n", "CASE STUDY 2.2.1\n", 1);
    duplicate = g_string_free (g_steal_pointer (&s), FALSE);
  }
  {
    g_autoptr(GString) s = g_string_new (guide_text);

    g_string_replace (s, "Targets alone do not drive", "Targets \x1b[2J alone", 1);
    control = g_string_free (g_steal_pointer (&s), FALSE);
  }
  {
    g_autoptr(GString) s = g_string_new (guide_text);

    g_assert_cmpuint (g_string_replace (s, "INSET BOX 7.2.3\n\nWhat reduces the racial gap in empathy?\n",
                                        "INSET BOX 7.2.3\n", 1), ==, 1);
    untitled = g_string_free (g_steal_pointer (&s), FALSE);
  }

  {
    const struct {
      const char *data;
      gsize len;
      const char *expect;
    } cases[] = {
      { empty, 0, "empty" },
      { only_blank, strlen (only_blank), "empty" },
      { binary, strlen (binary), "guide.txt:7:6: the guide text is not valid UTF-8" },
      { truncated, strlen (truncated), "truncated" },
      { no_contents, strlen (no_contents), "Contents" },
      { duplicate, strlen (duplicate), "case_study:2.2.1" },
      { control, strlen (control), "control character (U+001B)" },
      { untitled, strlen (untitled), "inset box 7.2.3 has no title" },
      { twice_in_glossary, strlen (twice_in_glossary), "glossary:racism" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(CbGuideImporter) importer = cb_guide_importer_new ();
        g_autoptr(GError) error = NULL;
        g_autoptr(CbCorpus) corpus = cb_guide_importer_import_bytes (importer, cases[i].data, cases[i].len,
                                                                    "guide.txt", &error);

        g_assert_null (corpus);
        g_assert_error (error, CB_ERROR, error->code);
        g_test_message ("%s", error->message);
        if (strstr (error->message, cases[i].expect) == NULL)
          g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].expect);
      }
  }
}

/* Long lines full of unclosed link and emphasis openers, and lone CR line
 * ends, import in linear time */
static void
test_hostile_lines (void)
{
  g_autoptr(GString) text = g_string_new (guide_text);
  g_autoptr(GString) line = g_string_new ("- ");
  g_autoptr(CbGuideImporter) importer = cb_guide_importer_new ();
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 60000; i++)
    g_string_append (line, i % 3 == 0 ? "[x](" : i % 3 == 1 ? "<https://" : "*a");
  g_string_append_c (line, '\n');
  g_string_replace (text, "- Courageous, accountable leadership\n", line->str, 1);
  g_string_replace (text, "\n", "\r", 0);

  /* Quadratic parsing took minutes here; the test's timeout catches that */
  corpus = cb_guide_importer_import_bytes (importer, text->str, text->len, "guide.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cb_corpus_count_items (corpus, CB_ITEM_KIND_CASE_STUDY), ==, 23);
  g_assert_cmpuint (cb_corpus_count_items (corpus, CB_ITEM_KIND_INSET_BOX), ==, 13);
}

/* A new edition of the guide (tests/fixtures/edition-2-guide.txt: the
 * bundled text with one new case study, 4.2.5, one changed finding in
 * 3.1.2, and inset box 7.2.2 removed with its reference list entry),
 * merged with the curated corpus */

typedef struct {
  CbCorpus        *base;
  CbGuideImporter *importer;
  CbCorpus        *corpus;
} Edition;

static void
edition_set_up (Edition       *edition,
                gconstpointer  data)
{
  g_autofree char *base_path = cb_get_bundled_corpus_path ();
  g_autofree char *path = g_build_filename (g_getenv ("CASEBOOK_FIXTURES"), "edition-2-guide.txt", NULL);
  g_autoptr(GError) error = NULL;

  edition->base = cb_corpus_read_file (base_path, &error);
  g_assert_no_error (error);
  edition->importer = cb_guide_importer_new ();
  cb_guide_importer_set_base (edition->importer, edition->base);
  edition->corpus = cb_guide_importer_import_file (edition->importer, path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (edition->corpus);
}

static void
edition_tear_down (Edition       *edition,
                   gconstpointer  data)
{
  g_assert_finalize_object (edition->corpus);
  g_assert_finalize_object (edition->importer);
  g_assert_finalize_object (edition->base);
}

static gboolean
same_strings (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }

  return TRUE;
}

/* The item keeps the base's curation and its history, in order, with at
 * most @added revisions after it */
static void
assert_curation_kept (Edition    *edition,
                      const char *id,
                      guint       added)
{
  CbItem *old = cb_corpus_lookup_item (edition->base, id);
  CbItem *now = cb_corpus_lookup_item (edition->corpus, id);
  GPtrArray *old_history, *history;

  g_assert_nonnull (old);
  g_assert_nonnull (now);
  g_assert_cmpuint (cb_item_get_countries (old)->len, >, 0);
  g_assert_true (same_strings (cb_item_get_countries (old), cb_item_get_countries (now)));
  g_assert_true (same_strings (cb_item_get_interventions (old), cb_item_get_interventions (now)));
  g_assert_nonnull (cb_item_get_design (old));
  g_assert_cmpstr (cb_item_get_design (old), ==, cb_item_get_design (now));
  g_assert_cmpstr (cb_item_get_title (old), ==, cb_item_get_title (now));

  old_history = cb_item_get_history (old);
  history = cb_item_get_history (now);
  g_assert_cmpuint (history->len, ==, old_history->len + added);
  for (guint i = 0; i < old_history->len; i++)
    {
      CbRevision *a = g_ptr_array_index (old_history, i);
      CbRevision *b = g_ptr_array_index (history, i);

      g_assert_cmpstr (a->date, ==, b->date);
      g_assert_cmpstr (a->author, ==, b->author);
      g_assert_cmpstr (a->summary, ==, b->summary);
      g_assert_cmpuint (a->changes->len, ==, b->changes->len);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the merge notes with @code, sorted, as "a b c" */
static char *
noted (Edition    *edition,
       const char *code)
{
  GPtrArray *notes = cb_guide_importer_get_merge_notes (edition->importer);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < notes->len; i++)
    {
      CbAnomaly *note = g_ptr_array_index (notes, i);

      if (g_str_equal (note->code, code))
        g_ptr_array_add (ids, note->item);
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (" ", (char **) ids->pdata);
}

static void
test_edition_notes (Edition       *edition,
                    gconstpointer  data)
{
  g_autofree char *changed = noted (edition, "changed");
  g_autofree char *added = noted (edition, "new");
  g_autofree char *vanished = noted (edition, "vanished");
  g_autofree char *renumbered = noted (edition, "renumbered");

  /* 3.1.2's finding; the sections gain and lose their links to the new
   * case study and the removed box */
  g_assert_cmpstr (changed, ==, "case_study:3.1.2 section:4.2 section:7.2");
  g_assert_cmpstr (added, ==, "case_study:4.2.5");
  g_assert_cmpstr (vanished, ==, "inset_box:7.2.2");
  g_assert_cmpstr (renumbered, ==, "");
}

static void
test_edition_keeps_curation (Edition       *edition,
                             gconstpointer  data)
{
  const char *unchanged[] = {
    "case_study:1.2.1", "case_study:3.1.1", "case_study:4.2.4", "inset_box:4.2.1",
    "inset_box:5.1.a", "inset_box:7.2.1", "inset_box:7.2.3", "case_study:7.2.1",
  };
  CbItem *finding = cb_corpus_lookup_item (edition->corpus, "case_study:3.1.2");
  CbRevision *last;
  CbChange *change = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (unchanged); i++)
    {
      assert_curation_kept (edition, unchanged[i], 0);
      g_assert_true (cb_item_same_text (cb_corpus_lookup_item (edition->base, unchanged[i]),
                                        cb_corpus_lookup_item (edition->corpus, unchanged[i])));
    }

  /* The changed case study keeps its curation and says what changed */
  assert_curation_kept (edition, "case_study:3.1.2", 1);
  last = g_ptr_array_index (cb_item_get_history (finding), cb_item_get_history (finding)->len - 1);
  g_assert_cmpstr (last->summary, ==, "Text changed in the new edition of the guide");
  for (guint i = 0; i < last->changes->len; i++)
    {
      CbChange *c = g_ptr_array_index (last->changes, i);

      g_assert_cmpstr (c->field, !=, "title");
      if (g_str_equal (c->field, "part:key_findings"))
        change = c;
    }
  g_assert_nonnull (change);
  g_assert_cmpuint (last->changes->len, ==, 1);
  g_assert_nonnull (strstr (change->before, "47% more likely to undergo diabetes screening"));
  g_assert_nonnull (strstr (change->after, "49% more likely to undergo diabetes screening"));
  g_assert_cmpstr (g_ptr_array_index (cb_item_get_references (finding), 0), ==, "reference:alsan2019");

  /* The removed box stays, retired, with its curation and citation */
  {
    CbItem *old = cb_corpus_lookup_item (edition->base, "inset_box:7.2.2");
    CbItem *box = cb_corpus_lookup_item (edition->corpus, "inset_box:7.2.2");
    CbRevision *retired;

    g_assert_nonnull (box);
    g_assert_cmpint (cb_item_get_status (box), ==, CB_ITEM_STATUS_RETIRED);
    assert_curation_kept (edition, "inset_box:7.2.2", 1);
    retired = g_ptr_array_index (cb_item_get_history (box), cb_item_get_history (box)->len - 1);
    g_assert_cmpstr (retired->summary, ==, "Retired: no longer in the guide text");
    g_assert_true (cb_item_same_text (old, box));
    g_assert_nonnull (cb_corpus_lookup_reference (edition->corpus,
                                                  g_ptr_array_index (cb_item_get_references (box), 0)));
  }

  g_assert_cmpuint (cb_corpus_count_items (edition->corpus, CB_ITEM_KIND_CASE_STUDY), ==, 24);
  g_assert_cmpuint (cb_corpus_count_items (edition->corpus, CB_ITEM_KIND_INSET_BOX), ==, 13);
  g_assert_cmpuint (cb_corpus_get_items (edition->corpus)->len, ==, cb_corpus_get_items (edition->base)->len + 1);
}

static void
test_edition_new_case_study (Edition       *edition,
                             gconstpointer  data)
{
  CbItem *added = cb_corpus_lookup_item (edition->corpus, "case_study:4.2.5");
  g_autoptr(CbTaxonomy) taxonomy = NULL;
  g_autoptr(GPtrArray) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *findings = NULL;
  g_autofree char *lessons = NULL;
  g_autoptr(GPtrArray) citing = NULL;
  guint missing = 0;

  g_assert_nonnull (added);
  g_assert_cmpstr (cb_item_get_title (added), ==,
                   "Defining cultural safety with the communities a health service is accountable to");
  g_assert_cmpuint (cb_item_get_chapter (added), ==, 4);
  g_assert_cmpstr (cb_item_get_section (added), ==, "4.2");
  g_assert_cmpint (cb_item_get_status (added), ==, CB_ITEM_STATUS_ACTIVE);

  /* In guide order, after 4.2.4 */
  {
    GPtrArray *items = cb_corpus_get_items (edition->corpus);
    guint before = 0, after = 0;

    g_assert_true (g_ptr_array_find (items, cb_corpus_lookup_item (edition->corpus, "case_study:4.2.4"), &before));
    g_assert_true (g_ptr_array_find (items, added, &after));
    g_assert_cmpuint (after, ==, before + 1);
  }

  /* Whole: background, findings with their list, and lessons */
  g_assert_cmpuint (cb_item_get_parts (added)->len, ==, 3);
  findings = cb_item_get_part_text (added, "key_findings");
  lessons = cb_item_get_part_text (added, "lessons_learned");
  g_assert_nonnull (strstr (findings, "Measure success through progress towards health equity."));
  g_assert_true (g_str_has_prefix (lessons, "Cultural safety becomes achievable"));
  g_assert_null (strstr (lessons, "Recommendations"));

  /* It cites the work 4.2.4 cites: one record for both */
  g_assert_cmpuint (cb_item_get_references (added)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (cb_item_get_references (added), 0), ==, "reference:curtis2019");
  citing = cb_corpus_dup_citing_items (edition->corpus, "reference:curtis2019");
  g_assert_cmpuint (citing->len, ==, 2);

  /* No curation yet: one import revision, and the checks ask for it */
  g_assert_cmpuint (cb_item_get_countries (added)->len, ==, 0);
  g_assert_cmpuint (cb_item_get_interventions (added)->len, ==, 0);
  g_assert_null (cb_item_get_design (added));
  g_assert_cmpuint (cb_item_get_history (added)->len, ==, 1);

  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);
  report = cb_corpus_check (edition->corpus, taxonomy);
  for (guint i = 0; i < report->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (report, i);

      g_assert_cmpint (anomaly->severity, !=, CB_SEVERITY_ERROR);
      if (g_str_equal (anomaly->code, "missing-metadata"))
        {
          g_assert_cmpstr (anomaly->item, ==, "case_study:4.2.5");
          g_assert_nonnull (strstr (anomaly->message, "country"));
          g_assert_nonnull (strstr (anomaly->message, "intervention type"));
          g_assert_nonnull (strstr (anomaly->message, "study design"));
          missing++;
        }
    }
  g_assert_cmpuint (missing, ==, 1);

  /* The merged corpus is a valid corpus file */
  {
    g_autoptr(GBytes) bytes = cb_corpus_write_bytes (edition->corpus, &error);

    g_assert_no_error (error);
    g_assert_nonnull (bytes);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);

  path = cb_get_bundled_guide_path ();
  if (!g_file_get_contents (path, &guide_text, &guide_len, &error))
    g_error ("%s", error->message);

#define ADD(name, func) \
  g_test_add ("/importer/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("counts", test_counts);
  ADD ("case-study", test_case_study);
  ADD ("case-study-parts", test_case_study_parts);
  ADD ("wres-indicators", test_wres_indicators);
  ADD ("inset-boxes", test_inset_boxes);
  ADD ("tables", test_tables);
  ADD ("glossary-and-steps", test_glossary_and_steps);
  ADD ("anomalies", test_anomalies);
  ADD ("references", test_references);
  ADD ("every-line-lands-once", test_every_line_lands_once);
  g_test_add ("/importer/new-edition/merge-notes", Edition, NULL, edition_set_up, test_edition_notes,
              edition_tear_down);
  g_test_add ("/importer/new-edition/keeps-curation", Edition, NULL, edition_set_up, test_edition_keeps_curation,
              edition_tear_down);
  g_test_add ("/importer/new-edition/new-case-study", Edition, NULL, edition_set_up, test_edition_new_case_study,
              edition_tear_down);
  g_test_add_func ("/importer/bad-input", test_bad_input);
  g_test_add_func ("/importer/hostile-lines", test_hostile_lines);

#undef ADD

  return g_test_run ();
}
