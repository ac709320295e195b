/* cb-synth.c: a deterministic synthetic corpus for the benchmark
 *
 * Writes a valid corpus file of N items made from the bundled guide: it
 * reads the guide's corpus file and keeps its contents list, sentences,
 * list items, headings, titles, references and how its evidence is spread
 * over countries, intervention types and designs; then it makes new items
 * from them. Text mixes whole sentences of the guide with sentences walked
 * along the guide's own word bigrams, so every word is the guide's and
 * common words stay common while rare ones stay rare; names of places and
 * organisations are spliced from the guide's words, so the vocabulary grows
 * with N as a real corpus's does. Items sit in the guide's chapters and
 * sections, on pages the contents list gives those sections; case studies
 * and inset boxes carry metadata and cite references made from the guide's
 * authors, journals and titles, with DOIs.
 *
 * The same guide, N and seed give the same bytes: the generator has its own
 * PRNG (xoshiro256**), never walks a hash table, and takes its dates from
 * the seed, not the clock. Items are built with the corpus model and written
 * one at a time with cb_item_to_xml(), in the canonical form
 * cb_corpus_write_file() uses, so memory does not grow with N.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-synth.h"
#include "cb-taxonomy.h"

/* PRNG: xoshiro256**, seeded through splitmix64 */

typedef struct {
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);

  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed)
{
  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);

  return result;
}

/* 0 <= result < n */
static guint
rng_below (Rng   *rng,
           guint  n)
{
  g_assert (n > 0);

  return (guint) (((rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* lo <= result <= hi */
static guint
rng_range (Rng   *rng,
           guint  lo,
           guint  hi)
{
  return lo + rng_below (rng, hi - lo + 1);
}

static gboolean
rng_chance (Rng   *rng,
            guint  per_mille)
{
  return rng_below (rng, 1000) < per_mille;
}

static gpointer
pick (Rng       *rng,
      GPtrArray *array)
{
  return g_ptr_array_index (array, rng_below (rng, array->len));
}

/* Weighted choice */

typedef struct {
  GPtrArray *values;
  GArray    *cumulative;  /* guint */
} Weighted;

static void
weighted_init (Weighted *w)
{
  w->values = g_ptr_array_new ();
  w->cumulative = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
weighted_clear (Weighted *w)
{
  g_clear_pointer (&w->values, g_ptr_array_unref);
  g_clear_pointer (&w->cumulative, g_array_unref);
}

static void
weighted_add (Weighted *w,
              gpointer  value,
              guint     weight)
{
  guint total = w->cumulative->len ? g_array_index (w->cumulative, guint, w->cumulative->len - 1) : 0;

  total += weight;
  g_ptr_array_add (w->values, value);
  g_array_append_val (w->cumulative, total);
}

static gpointer
weighted_pick (Weighted *w,
               Rng      *rng)
{
  guint total = g_array_index (w->cumulative, guint, w->cumulative->len - 1);
  guint r = rng_below (rng, total);
  guint lo = 0, hi = w->cumulative->len - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (w->cumulative, guint, mid) > r)
        hi = mid;
      else
        lo = mid + 1;
    }

  return g_ptr_array_index (w->values, lo);
}

/* The generator */

#define END G_MAXUINT32
#define MAX_CHAPTERS 32
#define MAX_SECTIONS 16
#define N_RECENT 8

typedef struct {
  guint page;
  guint end_page;
  char *title;
} Place;

typedef struct {
  Rng           rng;
  guint64       seed;
  CbCorpus     *guide;
  CbTaxonomy   *taxonomy;
  GStringChunk *chunk;

  /* the guide's text */
  GPtrArray    *sentences;
  GPtrArray    *list_items;
  GPtrArray    *headings;
  GPtrArray    *phrases;
  GPtrArray    *evidence_titles;
  GPtrArray    *action_titles;
  GPtrArray    *stems;          /* lower-case words of six letters or more */

  /* its word bigrams */
  GHashTable   *word_ids;       /* word -> id + 1 (looked up, never walked) */
  GPtrArray    *words;          /* id -> word */
  GPtrArray    *successors;     /* id -> GArray of guint32 ids, END ends a sentence */
  GArray       *starts;         /* guint32 ids that start a sentence */

  /* its metadata and structure */
  Weighted      countries;
  Weighted      interventions;
  Weighted      designs;
  Weighted      chapters;       /* GUINT_TO_POINTER (number) */
  Place         sections[MAX_CHAPTERS][MAX_SECTIONS];  /* [chapter][section], page 0 when absent */
  GPtrArray    *front;          /* Place * */
  GPtrArray    *back;
  guint         glossary_front;
  guint         next_steps_back;

  /* its references */
  GPtrArray    *guide_refs;
  GPtrArray    *families;
  GPtrArray    *givens;
  GPtrArray    *organisations;
  GPtrArray    *containers;
  GPtrArray    *publishers;
  GPtrArray    *places;
  GPtrArray    *ref_titles;

  /* what has been written */
  GPtrArray    *ref_ids;
  GPtrArray    *ref_dois;       /* NULL where a reference has none */
  GHashTable   *used_ids;       /* set: looked up, never walked */
  char         *recent[N_RECENT];
  guint         n_recent;
  char         *import_date;
  char         *curation_date;
  char         *summary;

  FILE         *out;
  guint64       n_bytes;
  GError       *error;
} Synth;

static const char *org_types[] = {
  "NHS Foundation Trust", "Integrated Care Board", "Health Board", "Primary Care Network",
  "Community Health Centre", "University Hospitals", "County Health Department", "Health District",
  "Mental Health Trust", "Community Interest Company",
};

static void
place_free (gpointer data)
{
  Place *place = data;

  g_free (place->title);
  g_free (place);
}

static const char *
intern (Synth      *s,
        const char *text)
{
  return g_string_chunk_insert_const (s->chunk, text);
}

static guint
count_words (const char *text)
{
  guint n = 0;
  gboolean in_word = FALSE;

  for (const char *p = text; *p; p++)
    {
      gboolean space = g_ascii_isspace (*p);

      if (!space && !in_word)
        n++;
      in_word = !space;
    }

  return n;
}

static guint32
word_id (Synth      *s,
         const char *word)
{
  gpointer found = g_hash_table_lookup (s->word_ids, word);
  const char *interned;
  guint32 id;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  interned = intern (s, word);
  id = s->words->len;
  g_ptr_array_add (s->words, (gpointer) interned);
  g_ptr_array_add (s->successors, g_array_new (FALSE, FALSE, sizeof (guint32)));
  g_hash_table_insert (s->word_ids, (gpointer) interned, GUINT_TO_POINTER (id + 1));

  return id;
}

static void
learn_sentence (Synth      *s,
                const char *start,
                gsize       len)
{
  g_autofree char *sentence = g_strstrip (g_strndup (start, len));
  g_auto(GStrv) tokens = NULL;
  guint32 previous = END;

  if (count_words (sentence) < 4)
    return;

  g_ptr_array_add (s->sentences, (gpointer) intern (s, sentence));

  tokens = g_strsplit_set (sentence, " \n\t", -1);
  for (guint i = 0; tokens[i]; i++)
    {
      guint32 id;

      if (*tokens[i] == '\0')
        continue;

      id = word_id (s, tokens[i]);
      if (previous == END)
        g_array_append_val (s->starts, id);
      else
        g_array_append_val (g_ptr_array_index (s->successors, previous), id);
      previous = id;
    }

  if (previous != END)
    {
      guint32 end = END;

      g_array_append_val (g_ptr_array_index (s->successors, previous), end);
    }
}

/* Splits a paragraph into sentences: at ". ", "? " or "! " before a
 * capital or a digit */
static void
learn_text (Synth      *s,
            const char *text)
{
  const char *start = text;

  for (const char *p = text; *p; p++)
    {
      if ((*p == '.' || *p == '?' || *p == '!') && p[1] == ' ' &&
          (g_ascii_isupper (p[2]) || g_ascii_isdigit (p[2])))
        {
          learn_sentence (s, start, p + 1 - start);
          start = p + 2;
        }
    }

  learn_sentence (s, start, strlen (start));
}

static void
learn_block (Synth         *s,
             const CbBlock *block,
             gboolean       in_table,
             gboolean       in_header)
{
  g_autofree char *text = NULL;

  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      text = cb_spans_to_text (block->spans);
      if (in_header)
        g_ptr_array_add (s->headings, (gpointer) intern (s, text));
      else if (in_table && count_words (text) <= 8)
        g_ptr_array_add (s->phrases, (gpointer) intern (s, text));
      else
        learn_text (s, text);
      break;

    case CB_BLOCK_HEADING:
      text = cb_spans_to_text (block->spans);
      if (count_words (text) >= 1 && count_words (text) <= 12)
        g_ptr_array_add (s->headings, (gpointer) intern (s, text));
      break;

    case CB_BLOCK_LIST_ITEM:
      if (block->lead != NULL)
        {
          g_autofree char *lead = g_strstrip (cb_spans_to_text (block->lead));
          gsize len = strlen (lead);

          if (len > 1 && lead[len - 1] == ':')
            lead[len - 1] = '\0';
          if (*lead != '\0')
            g_ptr_array_add (s->headings, (gpointer) intern (s, lead));
        }
      text = g_strstrip (cb_spans_to_text (block->spans));
      if (count_words (text) >= 4)
        {
          g_ptr_array_add (s->list_items, (gpointer) intern (s, text));
          learn_text (s, text);
        }
      else if (*text != '\0')
        g_ptr_array_add (s->phrases, (gpointer) intern (s, text));
      break;

    case CB_BLOCK_LIST:
    case CB_BLOCK_TABLE:
    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
      for (guint i = 0; i < block->children->len; i++)
        learn_block (s, g_ptr_array_index (block->children, i),
                     in_table || block->kind == CB_BLOCK_TABLE,
                     in_header || (block->kind == CB_BLOCK_ROW && block->header));
      break;

    case CB_BLOCK_ITEM_REF:
    default:
      break;
    }
}

static void
count_term (GHashTable *counts,
            const char *id)
{
  g_hash_table_insert (counts, (gpointer) id, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, id)) + 1));
}

/* Every term of the dimension, weighted by how often the guide uses it */
static void
weigh_terms (Synth               *s,
             Weighted            *weighted,
             CbTaxonomyDimension  dimension,
             GHashTable          *counts)
{
  GPtrArray *terms = cb_taxonomy_get_terms (s->taxonomy, dimension);

  weighted_init (weighted);
  for (guint i = 0; i < terms->len; i++)
    {
      const CbTerm *term = g_ptr_array_index (terms, i);

      weighted_add (weighted, (gpointer) intern (s, term->id),
                    1 + 6 * GPOINTER_TO_UINT (g_hash_table_lookup (counts, term->id)));
    }
}

static void
learn_references (Synth *s)
{
  GPtrArray *references = cb_corpus_get_references (s->guide);

  for (guint i = 0; i < references->len; i++)
    {
      CbReference *reference = g_ptr_array_index (references, i);
      GPtrArray *authors = cb_reference_get_authors (reference);

      g_ptr_array_add (s->guide_refs, reference);
      for (guint j = 0; j < authors->len; j++)
        {
          CbPerson *person = g_ptr_array_index (authors, j);

          if (person->given == NULL)
            g_ptr_array_add (s->organisations, (gpointer) intern (s, person->family));
          else
            {
              g_ptr_array_add (s->families, (gpointer) intern (s, person->family));
              g_ptr_array_add (s->givens, (gpointer) intern (s, person->given));
            }
        }
      if (cb_reference_get_container (reference) != NULL)
        g_ptr_array_add (s->containers, (gpointer) intern (s, cb_reference_get_container (reference)));
      if (cb_reference_get_publisher (reference) != NULL)
        g_ptr_array_add (s->publishers, (gpointer) intern (s, cb_reference_get_publisher (reference)));
      if (cb_reference_get_place (reference) != NULL)
        g_ptr_array_add (s->places, (gpointer) intern (s, cb_reference_get_place (reference)));
      g_ptr_array_add (s->ref_titles, (gpointer) intern (s, cb_reference_get_title (reference)));
    }

  if (s->organisations->len == 0)
    g_ptr_array_add (s->organisations, (gpointer) intern (s, cb_corpus_get_publisher (s->guide) ?: "NHS"));
  if (s->publishers->len == 0)
    g_ptr_array_add (s->publishers, g_ptr_array_index (s->organisations, 0));
  if (s->containers->len == 0)
    g_ptr_array_add (s->containers, (gpointer) intern (s, "BMJ"));
  if (s->families->len == 0)
    {
      g_ptr_array_add (s->families, (gpointer) intern (s, "Smith"));
      g_ptr_array_add (s->givens, (gpointer) intern (s, "A."));
    }
}

static gboolean
learn_structure (Synth   *s,
                 GError **error)
{
  GPtrArray *contents = cb_corpus_get_contents (s->guide);
  GPtrArray *items = cb_corpus_get_items (s->guide);
  guint chapter_items[MAX_CHAPTERS] = { 0 };
  guint glossary_page = 0, next_steps_page = 0;

  for (guint i = 0; i < contents->len; i++)
    {
      CbContentsEntry *entry = g_ptr_array_index (contents, i);
      CbContentsEntry *next = i + 1 < contents->len ? g_ptr_array_index (contents, i + 1) : NULL;
      guint end_page = next && next->page > entry->page ? next->page : entry->page;
      Place *place;

      switch (entry->kind)
        {
        case CB_CONTENTS_SECTION:
          {
            guint chapter = 0, section = 0;

            if (entry->number == NULL || sscanf (entry->number, "%u.%u", &chapter, &section) != 2 ||
                chapter == 0 || chapter >= MAX_CHAPTERS || section == 0 || section >= MAX_SECTIONS)
              break;
            s->sections[chapter][section].page = MAX (entry->page, 1);
            s->sections[chapter][section].end_page = MAX (end_page, 1);
            s->sections[chapter][section].title = g_strdup (entry->title);
          }
          break;

        case CB_CONTENTS_FRONT:
        case CB_CONTENTS_BACK:
          place = g_new0 (Place, 1);
          place->page = MAX (entry->page, 1);
          place->end_page = MAX (end_page, 1);
          place->title = g_strdup (entry->title);
          g_ptr_array_add (entry->kind == CB_CONTENTS_FRONT ? s->front : s->back, place);
          break;

        case CB_CONTENTS_CHAPTER:
        default:
          break;
        }
    }

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);

      if (cb_item_get_chapter (item) < MAX_CHAPTERS)
        chapter_items[cb_item_get_chapter (item)]++;
      if (cb_item_get_kind (item) == CB_ITEM_KIND_GLOSSARY && glossary_page == 0)
        glossary_page = cb_item_get_page (item);
      if (cb_item_get_kind (item) == CB_ITEM_KIND_NEXT_STEP && next_steps_page == 0)
        next_steps_page = cb_item_get_page (item);
    }

  weighted_init (&s->chapters);
  for (guint c = 1; c < MAX_CHAPTERS; c++)
    {
      gboolean any = FALSE;

      for (guint k = 1; k < MAX_SECTIONS; k++)
        any = any || s->sections[c][k].page > 0;
      if (any)
        weighted_add (&s->chapters, GUINT_TO_POINTER (c), 1 + chapter_items[c]);
    }

  if (s->chapters.values->len == 0 || s->front->len == 0 || s->back->len == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   "The guide's contents list has no numbered sections, front matter or back matter");
      return FALSE;
    }

  for (guint i = 0; i < s->front->len; i++)
    {
      if (((Place *) g_ptr_array_index (s->front, i))->page == glossary_page)
        {
          s->glossary_front = i;
          break;
        }
    }
  for (guint i = 0; i < s->back->len; i++)
    {
      if (((Place *) g_ptr_array_index (s->back, i))->page == next_steps_page)
        {
          s->next_steps_back = i;
          break;
        }
    }

  return TRUE;
}

static gboolean
learn_guide (Synth       *s,
             const char  *guide_path,
             GError     **error)
{
  GPtrArray *items;
  g_autoptr(GHashTable) countries = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) interventions = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) designs = g_hash_table_new (g_str_hash, g_str_equal);

  if ((s->guide = cb_corpus_read_file (guide_path, error)) == NULL ||
      (s->taxonomy = cb_taxonomy_get_default (error)) == NULL ||
      !learn_structure (s, error))
    return FALSE;

  items = cb_corpus_get_items (s->guide);
  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);
      GPtrArray *parts = cb_item_get_parts (item);
      const char *title = cb_item_get_title (item);

      switch (cb_item_get_kind (item))
        {
        case CB_ITEM_KIND_CASE_STUDY:
        case CB_ITEM_KIND_INSET_BOX:
          g_ptr_array_add (s->evidence_titles, (gpointer) intern (s, title));
          break;
        case CB_ITEM_KIND_RECOMMENDATION:
        case CB_ITEM_KIND_IMPLEMENTATION:
        case CB_ITEM_KIND_NEXT_STEP:
          g_ptr_array_add (s->action_titles, (gpointer) intern (s, title));
          break;
        default:
          g_ptr_array_add (s->headings, (gpointer) intern (s, title));
          break;
        }

      for (guint j = 0; j < parts->len; j++)
        {
          CbPart *part = g_ptr_array_index (parts, j);

          for (guint k = 0; k < part->blocks->len; k++)
            learn_block (s, g_ptr_array_index (part->blocks, k), FALSE, FALSE);
        }

      for (guint j = 0; j < cb_item_get_countries (item)->len; j++)
        count_term (countries, g_ptr_array_index (cb_item_get_countries (item), j));
      for (guint j = 0; j < cb_item_get_interventions (item)->len; j++)
        count_term (interventions, g_ptr_array_index (cb_item_get_interventions (item), j));
      if (cb_item_get_design (item) != NULL)
        count_term (designs, cb_item_get_design (item));
    }

  weigh_terms (s, &s->countries, CB_TAXONOMY_COUNTRY, countries);
  weigh_terms (s, &s->interventions, CB_TAXONOMY_INTERVENTION, interventions);
  weigh_terms (s, &s->designs, CB_TAXONOMY_DESIGN, designs);

  for (guint id = 0; id < s->words->len; id++)
    {
      const char *word = g_ptr_array_index (s->words, id);
      gboolean plain = strlen (word) >= 6;

      for (const char *p = word; plain && *p; p++)
        plain = *p >= 'a' && *p <= 'z';
      if (plain)
        g_ptr_array_add (s->stems, (gpointer) word);
    }

  learn_references (s);

  if (s->starts->len == 0 || s->stems->len == 0 || s->evidence_titles->len == 0 ||
      s->action_titles->len == 0 || s->list_items->len == 0 || s->headings->len == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, "%s: too little text to learn from", guide_path);
      return FALSE;
    }
  if (s->phrases->len == 0)
    g_ptr_array_extend (s->phrases, s->headings, NULL, NULL);

  return TRUE;
}

/* Text */

static char *
markov_sentence (Synth *s,
                 guint  max_words)
{
  GString *out = g_string_new (NULL);
  gboolean cut = FALSE;

  for (guint attempt = 0; attempt < 4; attempt++)
    {
      guint32 id = g_array_index (s->starts, guint32, rng_below (&s->rng, s->starts->len));
      guint n = 0;

      g_string_truncate (out, 0);
      cut = FALSE;
      while (TRUE)
        {
          GArray *next = g_ptr_array_index (s->successors, id);

          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append (out, g_ptr_array_index (s->words, id));
          n++;

          id = g_array_index (next, guint32, rng_below (&s->rng, next->len));
          if (id == END)
            break;
          if (n >= max_words)
            {
              cut = TRUE;
              break;
            }
        }

      if (n >= 6)
        break;
    }

  if (cut)
    {
      while (out->len > 0 && strchr (",;:(-", out->str[out->len - 1]) != NULL)
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '.');
    }

  return g_string_free (out, FALSE);
}

static char *
sentence (Synth *s)
{
  if (rng_chance (&s->rng, 350))
    return g_strdup (pick (&s->rng, s->sentences));

  return markov_sentence (s, 40);
}

static void
capitalize_like (char       *word,
                 const char *model)
{
  if (g_ascii_isupper (*model))
    *word = g_ascii_toupper (*word);
}

/* A name spliced from two of the guide's words: "Commuwork" */
static char *
place_name (Synth *s)
{
  const char *a = pick (&s->rng, s->stems);
  const char *b = pick (&s->rng, s->stems);
  guint la = rng_range (&s->rng, 3, MIN (5, strlen (a) - 1));
  guint lb = rng_range (&s->rng, 3, MIN (4, strlen (b) - 2));
  char *name = g_strdup_printf ("%.*s%s", la, a, b + strlen (b) - lb);

  name[0] = g_ascii_toupper (name[0]);

  return name;
}

static char *
organisation_name (Synth *s)
{
  g_autofree char *name = place_name (s);

  return g_strdup_printf ("%s %s", name, org_types[rng_below (&s->rng, G_N_ELEMENTS (org_types))]);
}

/* A title of the guide with up to two words swapped for others of its
 * words, and sometimes a place */
static char *
vary_title (Synth      *s,
            const char *title,
            const char *place)
{
  g_auto(GStrv) words = g_strsplit (title, " ", -1);
  guint n = g_strv_length (words);
  guint swaps = rng_below (&s->rng, 3);

  for (guint k = 0; k < swaps && n > 0; k++)
    {
      guint i = rng_below (&s->rng, n);
      gboolean plain = strlen (words[i]) >= 5;

      for (const char *p = words[i]; plain && *p; p++)
        plain = g_ascii_isalpha (*p);
      if (plain)
        {
          char *word = g_strdup (pick (&s->rng, s->stems));

          capitalize_like (word, words[i]);
          g_free (words[i]);
          words[i] = word;
        }
    }

  if (place != NULL)
    {
      g_autofree char *joined = g_strjoinv (" ", words);

      return g_strdup_printf ("%s in %s", joined, place);
    }

  return g_strjoinv (" ", words);
}

static void
append_doi_link (Synth   *s,
                 CbBlock *block)
{
  const char *doi = NULL;

  for (guint tries = 0; tries < 4 && doi == NULL && s->ref_dois->len > 0; tries++)
    doi = pick (&s->rng, s->ref_dois);
  if (doi == NULL)
    return;

  {
    g_autofree char *href = g_strconcat ("https://doi.org/", doi, NULL);
    g_autofree char *label = g_strconcat ("doi:", doi, NULL);

    cb_block_add_span (block, cb_span_new (" (", CB_SPAN_PLAIN, NULL));
    cb_block_add_span (block, cb_span_new (label, CB_SPAN_PLAIN, href));
    cb_block_add_span (block, cb_span_new (")", CB_SPAN_PLAIN, NULL));
  }
}

/* A paragraph of @min to @max sentences; @opening, if any, leads into the
 * first one ("At Commuwork Health Board, ...") */
static CbBlock *
paragraph (Synth      *s,
           guint       min,
           guint       max,
           const char *opening)
{
  CbBlock *block = cb_block_new (CB_BLOCK_PARAGRAPH);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = rng_range (&s->rng, min, max);

  if (opening == NULL && rng_chance (&s->rng, 50))
    {
      g_autofree char *lead = g_strconcat (pick (&s->rng, s->headings), ":", NULL);

      cb_block_add_span (block, cb_span_new (lead, rng_chance (&s->rng, 800) ? CB_SPAN_STRONG : CB_SPAN_EMPHASIS, NULL));
      g_string_append_c (text, ' ');
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *one = sentence (s);

      if (i == 0 && opening != NULL)
        {
          g_string_append (text, opening);
          if (g_ascii_isupper (one[0]) && g_ascii_islower (one[1]))
            one[0] = g_ascii_tolower (one[0]);
        }
      else if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, one);
    }

  cb_block_add_span (block, cb_span_new (text->str, CB_SPAN_PLAIN, NULL));
  if (rng_chance (&s->rng, 30))
    append_doi_link (s, block);

  return block;
}

static CbBlock *
heading (Synth *s)
{
  CbBlock *block = cb_block_new (CB_BLOCK_HEADING);

  cb_block_add_span (block, cb_span_new (pick (&s->rng, s->headings), CB_SPAN_PLAIN, NULL));

  return block;
}

static CbBlock *
list (Synth *s,
      guint  min,
      guint  max)
{
  CbBlock *block = cb_block_new (CB_BLOCK_LIST);
  gboolean leads = rng_chance (&s->rng, 150);
  guint n = rng_range (&s->rng, min, max);

  block->ordered = rng_chance (&s->rng, 200);
  for (guint i = 0; i < n; i++)
    {
      CbBlock *li = cb_block_new (CB_BLOCK_LIST_ITEM);
      g_autofree char *text = rng_chance (&s->rng, 500) ? g_strdup (pick (&s->rng, s->list_items))
                                                          : markov_sentence (s, 30);

      if (block->ordered)
        li->number = g_strdup_printf ("%u", i + 1);
      if (leads)
        {
          g_autofree char *lead = g_strconcat (pick (&s->rng, s->headings), ":", NULL);
          g_autofree char *spaced = g_strconcat (" ", text, NULL);

          cb_block_add_lead_span (li, cb_span_new (lead, CB_SPAN_PLAIN, NULL));
          cb_block_add_span (li, cb_span_new (spaced, CB_SPAN_PLAIN, NULL));
        }
      else
        cb_block_add_span (li, cb_span_new (text, CB_SPAN_PLAIN, NULL));
      cb_block_add_child (block, li);
    }

  return block;
}

static CbBlock *
cell_with (CbBlock *content)
{
  CbBlock *cell = cb_block_new (CB_BLOCK_CELL);

  cb_block_add_child (cell, content);

  return cell;
}

static CbBlock *
phrase_paragraph (const char *text)
{
  CbBlock *block = cb_block_new (CB_BLOCK_PARAGRAPH);

  cb_block_add_span (block, cb_span_new (text, CB_SPAN_PLAIN, NULL));

  return block;
}

static CbBlock *
table (Synth *s)
{
  CbBlock *block = cb_block_new (CB_BLOCK_TABLE);
  guint columns = rng_range (&s->rng, 2, 3);
  guint rows = rng_range (&s->rng, 3, 6);

  for (guint r = 0; r < rows; r++)
    {
      CbBlock *row = cb_block_new (CB_BLOCK_ROW);

      row->header = r == 0;
      for (guint c = 0; c < columns; c++)
        {
          CbBlock *content;

          if (r == 0)
            content = phrase_paragraph (pick (&s->rng, s->headings));
          else if (c == 0)
            content = phrase_paragraph (pick (&s->rng, s->phrases));
          else if (rng_chance (&s->rng, 200))
            content = list (s, 2, 3);
          else
            content = paragraph (s, 1, 2, NULL);
          cb_block_add_child (row, cell_with (content));
        }
      cb_block_add_child (block, row);
    }

  return block;
}

/* Metadata and citations */

static void
add_distinct (Synth    *s,
              CbItem   *item,
              Weighted *weighted,
              guint     n,
              gboolean  countries)
{
  for (guint i = 0, tries = 0; i < n && tries < 20; tries++)
    {
      const char *value = weighted_pick (weighted, &s->rng);
      GPtrArray *have = countries ? cb_item_get_countries (item) : cb_item_get_interventions (item);

      if (g_ptr_array_find_with_equal_func (have, value, g_str_equal, NULL))
        continue;
      if (countries)
        cb_item_add_country (item, value);
      else
        cb_item_add_intervention (item, value);
      i++;
    }
}

static char *
join_values (GPtrArray *values)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", (const char *) g_ptr_array_index (values, i));

  return g_string_free (out, FALSE);
}

static void
add_metadata (Synth  *s,
              CbItem *item)
{
  guint r = rng_below (&s->rng, 100);
  CbRevision *revision;

  add_distinct (s, item, &s->countries, r < 75 ? 1 : r < 93 ? 2 : 3, TRUE);
  r = rng_below (&s->rng, 100);
  add_distinct (s, item, &s->interventions, r < 45 ? 1 : r < 85 ? 2 : 3, FALSE);
  if (rng_chance (&s->rng, 970))
    cb_item_set_design (item, weighted_pick (&s->designs, &s->rng));

  revision = cb_revision_new (s->curation_date, "Casebook librarians",
                              "Curated metadata: countries, intervention types and study design");
  {
    g_autofree char *countries = join_values (cb_item_get_countries (item));
    g_autofree char *interventions = join_values (cb_item_get_interventions (item));

    cb_revision_add_change (revision, "countries", NULL, countries);
    cb_revision_add_change (revision, "interventions", NULL, interventions);
    if (cb_item_get_design (item) != NULL)
      cb_revision_add_change (revision, "design", NULL, cb_item_get_design (item));
  }
  cb_item_add_revision (item, revision);
}

/* Some references are cited far more than others */
static void
add_citations (Synth  *s,
               CbItem *item,
               guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      guint64 r = rng_below (&s->rng, 1 << 16);
      guint index = (guint) ((r * r * s->ref_ids->len) >> 32);
      const char *id = g_ptr_array_index (s->ref_ids, MIN (index, s->ref_ids->len - 1));

      if (!cb_item_cites (item, id))
        cb_item_add_reference (item, id);
    }
}

/* References */

static char *
slug (const char *text,
      guint       max_words,
      char        separator)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);
  guint words = 0;
  gboolean gap = TRUE;

  for (const char *p = ascii; *p; p++)
    {
      if (!g_ascii_isalnum (*p))
        {
          gap = TRUE;
          continue;
        }

      if (gap)
        {
          if (words == max_words)
            break;
          if (out->len > 0 && separator != '\0')
            g_string_append_c (out, separator);
          words++;
          gap = FALSE;
        }
      g_string_append_c (out, g_ascii_tolower (*p));
    }

  return g_string_free (out, FALSE);
}

/* @base, or @base followed by letters, whichever no id has yet */
static char *
unique_id (Synth      *s,
           const char *base,
           gboolean    letters)
{
  char *id = g_strdup (base);

  for (guint k = 0; g_hash_table_contains (s->used_ids, id); k++)
    {
      g_free (id);
      if (letters)
        {
          char suffix[8];
          guint i = 0;

          for (guint n = k; i < sizeof suffix - 1; n = n / 26 - 1)
            {
              suffix[i++] = 'a' + n % 26;
              if (n < 26)
                break;
            }
          suffix[i] = '\0';
          g_strreverse (suffix);
          id = g_strconcat (base, suffix, NULL);
        }
      else
        id = g_strdup_printf ("%s-%u", base, k + 2);
    }

  g_hash_table_add (s->used_ids, id);

  return g_strdup (id);
}

static char *
reference_title (Synth *s)
{
  char *title;

  if (rng_chance (&s->rng, 500))
    return vary_title (s, pick (&s->rng, s->ref_titles), NULL);

  title = markov_sentence (s, rng_range (&s->rng, 6, 14));
  g_strchomp (title);
  while (*title && strchr (".,;:", title[strlen (title) - 1]) != NULL)
    title[strlen (title) - 1] = '\0';
  if (*title == '\0')
    {
      g_free (title);
      return g_strdup (pick (&s->rng, s->ref_titles));
    }
  title[0] = g_ascii_toupper (title[0]);

  return title;
}

static CbReference *
make_reference (Synth *s,
                guint  index)
{
  CbReference *base = pick (&s->rng, s->guide_refs);
  CbReference *ref = cb_reference_new ();
  const char *kind = cb_reference_get_kind (base);
  GPtrArray *base_authors = cb_reference_get_authors (base);
  gboolean by_organisation = base_authors->len > 0 &&
                             ((CbPerson *) g_ptr_array_index (base_authors, 0))->given == NULL;
  g_autofree char *year = g_strdup_printf ("%u", rng_range (&s->rng, 1995, 2025));
  g_autofree char *title = reference_title (s);
  g_autofree char *authors = NULL;
  g_autofree char *id_base = NULL;
  g_autofree char *id = NULL;
  g_autofree char *doi = NULL;
  g_autofree char *url = NULL;
  GString *text;

  cb_reference_set_kind (ref, kind);

  if (by_organisation && rng_chance (&s->rng, 700))
    cb_reference_add_author (ref, pick (&s->rng, s->organisations), NULL);
  else
    {
      static const guint author_mix[] = { 15, 35, 60, 75, 85, 100 };
      guint r = rng_below (&s->rng, 100), n = 1;

      while (n < G_N_ELEMENTS (author_mix) && r >= author_mix[n - 1])
        n++;
      for (guint i = 0; i < n; i++)
        cb_reference_add_author (ref, pick (&s->rng, s->families), pick (&s->rng, s->givens));
      if (n == G_N_ELEMENTS (author_mix) && rng_chance (&s->rng, 300))
        cb_reference_set_et_al (ref, TRUE);
    }

  cb_reference_set_year (ref, year);
  cb_reference_set_title (ref, title);

  if (g_str_equal (kind, "article"))
    {
      const char *container = pick (&s->rng, s->containers);
      g_autofree char *volume = g_strdup_printf ("%u", rng_range (&s->rng, 1, 400));
      g_autofree char *initials = NULL;

      cb_reference_set_container (ref, container);
      cb_reference_set_volume (ref, volume);
      if (rng_chance (&s->rng, 600))
        {
          g_autofree char *issue = g_strdup_printf ("%u", rng_range (&s->rng, 1, 12));

          cb_reference_set_issue (ref, issue);
        }
      if (rng_chance (&s->rng, 800))
        {
          guint first = rng_range (&s->rng, 1, 2000);
          g_autofree char *pages = g_strdup_printf ("%u-%u", first, first + rng_range (&s->rng, 4, 30));

          cb_reference_set_pages (ref, pages);
        }
      if (rng_chance (&s->rng, 900))
        {
          const char *base_doi = cb_reference_get_doi (base);
          const char *slash = base_doi ? strchr (base_doi, '/') : NULL;
          g_autofree char *registrant = slash ? g_strndup (base_doi, slash - base_doi)
                                              : g_strdup_printf ("10.%u", rng_range (&s->rng, 1000, 9999));

          initials = slug (container, 1, '\0');
          doi = g_strdup_printf ("%s/%.6s.%s.%u", registrant, initials, year, 1000 + index);
        }
    }
  else
    {
      const char *publisher = rng_chance (&s->rng, 500) ? pick (&s->rng, s->publishers)
                                                          : pick (&s->rng, s->organisations);

      if (!g_str_equal (kind, "webpage"))
        {
          cb_reference_set_publisher (ref, publisher);
          if (s->places->len > 0 && rng_chance (&s->rng, 500))
            cb_reference_set_place (ref, pick (&s->rng, s->places));
          if (rng_chance (&s->rng, 250))
            doi = g_strdup_printf ("10.%u/report.%s.%u", rng_range (&s->rng, 1000, 9999), year, 1000 + index);
        }
      if (g_str_equal (kind, "webpage") || rng_chance (&s->rng, 500))
        {
          g_autofree char *site = slug (publisher, 3, '\0');
          g_autofree char *path = slug (title, 6, '-');

          url = g_strdup_printf ("https://www.%s.org/%s/%u", site, path, index);
        }
    }

  if (doi != NULL)
    cb_reference_set_doi (ref, doi);
  if (url != NULL)
    cb_reference_set_url (ref, url);

  /* Harvard style, as the guide's reference list has it */
  authors = cb_reference_format_authors (ref);
  text = g_string_new (NULL);
  g_string_append_printf (text, "%s (%s) ", authors, year);
  if (cb_reference_get_container (ref) != NULL)
    {
      g_string_append_printf (text, "‘%s’, *%s*, %s", title, cb_reference_get_container (ref),
                              cb_reference_get_volume (ref));
      if (cb_reference_get_issue (ref) != NULL)
        g_string_append_printf (text, "(%s)", cb_reference_get_issue (ref));
      if (cb_reference_get_pages (ref) != NULL)
        g_string_append_printf (text, ", pp. %s", cb_reference_get_pages (ref));
      g_string_append_c (text, '.');
    }
  else if (cb_reference_get_publisher (ref) != NULL)
    g_string_append_printf (text, "%s. %s%s%s.", title, cb_reference_get_place (ref) ?: "",
                            cb_reference_get_place (ref) ? ": " : "", cb_reference_get_publisher (ref));
  else
    g_string_append_printf (text, "%s.", title);
  if (doi != NULL)
    g_string_append_printf (text, " doi: %s.", doi);
  if (url != NULL)
    g_string_append_printf (text, " Available at: <%s>", url);
  cb_reference_add_text (ref, text->str);
  g_string_free (text, TRUE);

  id_base = slug (cb_reference_get_first_family (ref), 8, '\0');
  {
    g_autofree char *base_id = g_strdup_printf ("reference:%s%s", *id_base ? id_base : "anon", year);

    id = unique_id (s, base_id, TRUE);
  }
  cb_reference_set_id (ref, id);

  g_ptr_array_add (s->ref_ids, (gpointer) intern (s, id));
  g_ptr_array_add (s->ref_dois, doi ? (gpointer) intern (s, doi) : NULL);

  return ref;
}

/* Items */

typedef struct {
  guint32 seq;
  guint8  group;      /* 0 front matter, then chapter numbers, BACK */
  guint8  place;      /* section number in a chapter, else index of front or back matter */
  guint8  rank;       /* order within a section */
  guint8  kind;
} Plan;

#define BACK 255

static int
compare_plans (const void *a,
               const void *b)
{
  const Plan *pa = a;
  const Plan *pb = b;

  if (pa->group != pb->group)
    return pa->group < pb->group ? -1 : 1;
  if (pa->place != pb->place)
    return pa->place < pb->place ? -1 : 1;
  if (pa->rank != pb->rank)
    return pa->rank < pb->rank ? -1 : 1;

  return (pa->seq > pb->seq) - (pa->seq < pb->seq);
}

static guint
section_or_any (Synth *s,
                guint  chapter,
                guint  section)
{
  if (s->sections[chapter][section].page > 0)
    return section;

  for (guint k = 1; k < MAX_SECTIONS; k++)
    if (s->sections[chapter][k].page > 0)
      return k;

  g_assert_not_reached ();
}

static void
plan_item (Synth *s,
           Plan  *plan)
{
  static const struct {
    CbItemKind kind;
    guint      weight;
    guint8     rank;
  } mix[] = {
    { CB_ITEM_KIND_CASE_STUDY, 38, 1 },
    { CB_ITEM_KIND_INSET_BOX, 22, 1 },
    { CB_ITEM_KIND_RECOMMENDATION, 14, 2 },
    { CB_ITEM_KIND_IMPLEMENTATION, 14, 3 },
    { CB_ITEM_KIND_SECTION, 6, 0 },
    { CB_ITEM_KIND_GLOSSARY, 3, 1 },
    { CB_ITEM_KIND_NEXT_STEP, 3, 1 },
  };
  guint r = rng_below (&s->rng, 100), k = 0;
  guint chapter = GPOINTER_TO_UINT (weighted_pick (&s->chapters, &s->rng));

  while (r >= mix[k].weight)
    r -= mix[k++].weight;

  plan->kind = mix[k].kind;
  plan->rank = mix[k].rank;
  plan->group = chapter;

  switch (mix[k].kind)
    {
    case CB_ITEM_KIND_CASE_STUDY:
    case CB_ITEM_KIND_INSET_BOX:
      plan->place = section_or_any (s, chapter, rng_chance (&s->rng, 150) ? 1 : 2);
      break;
    case CB_ITEM_KIND_RECOMMENDATION:
      plan->place = section_or_any (s, chapter, 3);
      break;
    case CB_ITEM_KIND_IMPLEMENTATION:
      plan->place = section_or_any (s, chapter, 4);
      break;
    case CB_ITEM_KIND_SECTION:
      r = rng_below (&s->rng, 100);
      if (r < 20)
        {
          plan->group = 0;
          plan->place = rng_below (&s->rng, s->front->len);
        }
      else if (r < 25)
        {
          plan->group = BACK;
          plan->place = rng_below (&s->rng, s->back->len);
        }
      else
        plan->place = section_or_any (s, chapter, rng_range (&s->rng, 1, 5));
      break;
    case CB_ITEM_KIND_GLOSSARY:
      plan->group = 0;
      plan->place = s->glossary_front;
      break;
    case CB_ITEM_KIND_NEXT_STEP:
    default:
      plan->group = BACK;
      plan->place = s->next_steps_back;
      break;
    }
}

static Place *
place_of (Synth      *s,
          const Plan *plan)
{
  if (plan->group == 0)
    return g_ptr_array_index (s->front, plan->place);
  if (plan->group == BACK)
    return g_ptr_array_index (s->back, plan->place);

  return &s->sections[plan->group][plan->place];
}

static CbPart *
new_part (const char *name)
{
  return cb_part_new (name);
}

static void
remember (Synth      *s,
          const char *id)
{
  g_free (s->recent[s->n_recent % N_RECENT]);
  s->recent[s->n_recent % N_RECENT] = g_strdup (id);
  s->n_recent++;
}

static CbItem *
make_item (Synth      *s,
           const Plan *plan,
           guint       number)
{
  Place *place = place_of (s, plan);
  g_autofree char *id = NULL;
  g_autofree char *num = NULL;
  g_autofree char *section = NULL;
  g_autofree char *title = NULL;
  CbItem *item;
  CbPart *part;
  guint n_refs;

  if (plan->group != 0 && plan->group != BACK)
    section = g_strdup_printf ("%u.%u", plan->group, plan->place);

  switch ((CbItemKind) plan->kind)
    {
    case CB_ITEM_KIND_CASE_STUDY:
    case CB_ITEM_KIND_INSET_BOX:
    case CB_ITEM_KIND_RECOMMENDATION:
    case CB_ITEM_KIND_IMPLEMENTATION:
      num = g_strdup_printf ("%s.%u", section, number);
      id = g_strdup_printf ("%s:%s", cb_item_kind_to_string (plan->kind), num);
      break;
    case CB_ITEM_KIND_SECTION:
      if (section != NULL)
        {
          /* The section itself, then unnumbered parts of it */
          if (number == 1)
            num = g_strdup (section);
          id = number == 1 ? g_strdup_printf ("section:%s", section) : g_strdup_printf ("section:%s-%u", section, number);
        }
      else
        {
          g_autofree char *words = slug (place->title, 8, '-');
          g_autofree char *base = g_strdup_printf ("section:%s", words);

          id = unique_id (s, base, FALSE);
        }
      break;
    case CB_ITEM_KIND_GLOSSARY:
      {
        g_autofree char *base = g_strdup_printf ("glossary:%s", (const char *) pick (&s->rng, s->stems));

        id = unique_id (s, base, FALSE);
      }
      break;
    case CB_ITEM_KIND_NEXT_STEP:
    default:
      num = g_strdup_printf ("%u", number);
      id = g_strdup_printf ("next_step:%s", num);
      break;
    }

  item = cb_item_new (id, plan->kind);
  cb_item_add_revision (item, cb_revision_new (s->import_date, "casebook import-guide", s->summary));
  cb_item_set_number (item, num);
  if (section != NULL)
    {
      cb_item_set_chapter (item, plan->group);
      cb_item_set_section (item, section);
    }
  cb_item_set_page (item, rng_range (&s->rng, place->page, place->end_page));
  if (rng_chance (&s->rng, 20))
    cb_item_set_origin (item, "local");
  if (rng_chance (&s->rng, 5))
    cb_item_set_status (item, CB_ITEM_STATUS_RETIRED);

  switch ((CbItemKind) plan->kind)
    {
    case CB_ITEM_KIND_CASE_STUDY:
      {
        g_autofree char *org = organisation_name (s);
        g_autofree char *opening = g_strdup_printf ("At %s, ", org);
        g_autofree char *where = NULL;

        if (rng_chance (&s->rng, 350))
          where = place_name (s);
        title = vary_title (s, pick (&s->rng, s->evidence_titles), where);
        cb_item_set_title (item, title);
        add_metadata (s, item);

        part = new_part ("background");
        g_ptr_array_add (part->blocks, paragraph (s, 2, 5, opening));
        if (rng_chance (&s->rng, 400))
          g_ptr_array_add (part->blocks, paragraph (s, 2, 4, NULL));
        cb_item_add_part (item, part);

        part = new_part ("key_findings");
        g_ptr_array_add (part->blocks, paragraph (s, 1, 2, NULL));
        if (rng_chance (&s->rng, 600))
          g_ptr_array_add (part->blocks, list (s, 3, 6));
        else
          g_ptr_array_add (part->blocks, paragraph (s, 2, 4, NULL));
        cb_item_add_part (item, part);

        if (rng_chance (&s->rng, 150))
          {
            part = new_part ("key_outcome");
            g_ptr_array_add (part->blocks, paragraph (s, 1, 3, NULL));
            cb_item_add_part (item, part);
          }

        part = new_part ("lessons_learned");
        g_ptr_array_add (part->blocks, paragraph (s, 2, 4, NULL));
        if (rng_chance (&s->rng, 150))
          g_ptr_array_add (part->blocks, list (s, 2, 4));
        cb_item_add_part (item, part);

        add_citations (s, item, rng_range (&s->rng, 1, 3));
      }
      break;

    case CB_ITEM_KIND_INSET_BOX:
      title = vary_title (s, pick (&s->rng, s->evidence_titles), NULL);
      cb_item_set_title (item, title);
      add_metadata (s, item);

      part = new_part ("body");
      g_ptr_array_add (part->blocks, paragraph (s, 2, 5, NULL));
      if (rng_chance (&s->rng, 150))
        {
          g_ptr_array_add (part->blocks, heading (s));
          g_ptr_array_add (part->blocks, paragraph (s, 2, 4, NULL));
        }
      if (rng_chance (&s->rng, 70))
        g_ptr_array_add (part->blocks, table (s));
      else if (rng_chance (&s->rng, 430))
        g_ptr_array_add (part->blocks, list (s, 3, 9));
      if (rng_chance (&s->rng, 500))
        g_ptr_array_add (part->blocks, paragraph (s, 1, 3, NULL));
      cb_item_add_part (item, part);

      if (rng_chance (&s->rng, 700))
        add_citations (s, item, rng_range (&s->rng, 1, 2));
      break;

    case CB_ITEM_KIND_RECOMMENDATION:
    case CB_ITEM_KIND_IMPLEMENTATION:
      title = vary_title (s, pick (&s->rng, s->action_titles), NULL);
      cb_item_set_title (item, title);
      part = new_part ("body");
      g_ptr_array_add (part->blocks, paragraph (s, 2, 3, NULL));
      if (plan->kind == CB_ITEM_KIND_IMPLEMENTATION && rng_chance (&s->rng, 200))
        g_ptr_array_add (part->blocks, list (s, 2, 4));
      cb_item_add_part (item, part);
      if (rng_chance (&s->rng, 100))
        add_citations (s, item, 1);
      break;

    case CB_ITEM_KIND_SECTION:
      cb_item_set_title (item, place->title);
      part = new_part ("body");
      for (guint i = 0, n = rng_range (&s->rng, 2, 5); i < n; i++)
        {
          if (i > 0 && rng_chance (&s->rng, 100))
            g_ptr_array_add (part->blocks, heading (s));
          g_ptr_array_add (part->blocks, paragraph (s, 2, 5, NULL));
        }
      if (rng_chance (&s->rng, 300))
        g_ptr_array_add (part->blocks, list (s, 3, 6));
      n_refs = rng_range (&s->rng, 0, 3);
      for (guint i = 0; i < MIN (n_refs, s->n_recent); i++)
        {
          CbBlock *ref = cb_block_new (CB_BLOCK_ITEM_REF);

          ref->ref = g_strdup (s->recent[(s->n_recent - 1 - i) % N_RECENT]);
          g_ptr_array_add (part->blocks, ref);
        }
      cb_item_add_part (item, part);
      break;

    case CB_ITEM_KIND_GLOSSARY:
      {
        title = g_strdup (strchr (id, ':') + 1);
        if (strchr (title, '-') != NULL)
          *strchr (title, '-') = '\0';
        title[0] = g_ascii_toupper (title[0]);
        cb_item_set_title (item, title);
        part = new_part ("body");
        g_ptr_array_add (part->blocks, paragraph (s, 1, 2, NULL));
        cb_item_add_part (item, part);
      }
      break;

    case CB_ITEM_KIND_NEXT_STEP:
    default:
      title = vary_title (s, pick (&s->rng, s->action_titles), NULL);
      cb_item_set_title (item, title);
      part = new_part ("body");
      g_ptr_array_add (part->blocks, list (s, 2, 4));
      cb_item_add_part (item, part);
      break;
    }

  if (plan->kind == CB_ITEM_KIND_CASE_STUDY || plan->kind == CB_ITEM_KIND_INSET_BOX)
    remember (s, id);

  return item;
}

/* Output */

static void
out_write (Synth      *s,
           const char *data,
           gsize       len)
{
  if (s->error != NULL || len == 0)
    return;

  if (fwrite (data, 1, len, s->out) != len)
    {
      int saved = errno;

      g_set_error (&s->error, CB_ERROR, saved == ENOSPC ? CB_ERROR_NO_SPACE : CB_ERROR_IO,
                   "Could not write the synthetic corpus: %s", g_strerror (saved));
      return;
    }

  s->n_bytes += len;
}

static void
out_string (Synth      *s,
            const char *text)
{
  out_write (s, text, strlen (text));
}

/* An <item> or <reference> fragment from cb_item_to_xml(), without the
 * namespace declaration a fragment carries on its own */
static void
out_fragment (Synth  *s,
              GBytes *bytes)
{
  static const char xmlns[] = " xmlns=\"" CB_CORPUS_NAMESPACE "\"";
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *at = g_strstr_len (data, MIN (len, 256), xmlns);

  while (len > 0 && data[len - 1] == '\n')
    len--;

  if (at == NULL)
    {
      out_write (s, data, len);
      return;
    }

  out_write (s, data, at - data);
  out_write (s, at + strlen (xmlns), len - (at - data) - strlen (xmlns));
}

static void
out_element (Synth      *s,
             const char *indent,
             const char *name,
             const char *text)
{
  g_autofree char *escaped = NULL;
  g_autofree char *line = NULL;

  if (text == NULL)
    return;

  escaped = g_markup_escape_text (text, -1);
  line = g_strdup_printf ("\n%s<%s>%s</%s>", indent, name, escaped, name);
  out_string (s, line);
}

static void
out_prolog (Synth *s,
            guint  n_items)
{
  GPtrArray *contents = cb_corpus_get_contents (s->guide);
  g_autofree char *title = g_strdup_printf ("%s (synthetic, %u items, seed %" G_GUINT64_FORMAT ")",
                                            cb_corpus_get_title (s->guide) ?: "Casebook", n_items, s->seed);

  out_string (s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<corpus xmlns=\"" CB_CORPUS_NAMESPACE "\" format=\"1\">\n"
                 "  <guide>");
  out_element (s, "    ", "title", title);
  out_element (s, "    ", "subtitle", cb_corpus_get_subtitle (s->guide));
  out_element (s, "    ", "publisher", cb_corpus_get_publisher (s->guide));
  if (contents->len > 0)
    {
      out_string (s, "\n    <contents>");
      for (guint i = 0; i < contents->len; i++)
        {
          CbContentsEntry *entry = g_ptr_array_index (contents, i);
          g_autofree char *escaped = g_markup_escape_text (entry->title, -1);
          g_autofree char *number = entry->number ? g_strdup_printf (" number=\"%s\"", entry->number) : g_strdup ("");
          g_autofree char *page = entry->page ? g_strdup_printf (" page=\"%u\"", entry->page) : g_strdup ("");
          g_autofree char *line = g_strdup_printf ("\n      <entry kind=\"%s\"%s%s>%s</entry>",
                                                   cb_contents_kind_to_string (entry->kind), number, page, escaped);

          out_string (s, line);
        }
      out_string (s, "\n    </contents>");
    }
  out_string (s, "\n  </guide>");
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

static void
synth_clear (Synth *s)
{
  g_clear_object (&s->guide);
  g_clear_object (&s->taxonomy);
  g_clear_pointer (&s->sentences, g_ptr_array_unref);
  g_clear_pointer (&s->list_items, g_ptr_array_unref);
  g_clear_pointer (&s->headings, g_ptr_array_unref);
  g_clear_pointer (&s->phrases, g_ptr_array_unref);
  g_clear_pointer (&s->evidence_titles, g_ptr_array_unref);
  g_clear_pointer (&s->action_titles, g_ptr_array_unref);
  g_clear_pointer (&s->stems, g_ptr_array_unref);
  g_clear_pointer (&s->word_ids, g_hash_table_unref);
  g_clear_pointer (&s->words, g_ptr_array_unref);
  g_clear_pointer (&s->successors, g_ptr_array_unref);
  g_clear_pointer (&s->starts, g_array_unref);
  weighted_clear (&s->countries);
  weighted_clear (&s->interventions);
  weighted_clear (&s->designs);
  weighted_clear (&s->chapters);
  for (guint c = 0; c < MAX_CHAPTERS; c++)
    for (guint k = 0; k < MAX_SECTIONS; k++)
      g_free (s->sections[c][k].title);
  g_clear_pointer (&s->front, g_ptr_array_unref);
  g_clear_pointer (&s->back, g_ptr_array_unref);
  g_clear_pointer (&s->guide_refs, g_ptr_array_unref);
  g_clear_pointer (&s->families, g_ptr_array_unref);
  g_clear_pointer (&s->givens, g_ptr_array_unref);
  g_clear_pointer (&s->organisations, g_ptr_array_unref);
  g_clear_pointer (&s->containers, g_ptr_array_unref);
  g_clear_pointer (&s->publishers, g_ptr_array_unref);
  g_clear_pointer (&s->places, g_ptr_array_unref);
  g_clear_pointer (&s->ref_titles, g_ptr_array_unref);
  g_clear_pointer (&s->ref_ids, g_ptr_array_unref);
  g_clear_pointer (&s->ref_dois, g_ptr_array_unref);
  g_clear_pointer (&s->used_ids, g_hash_table_unref);
  for (guint i = 0; i < N_RECENT; i++)
    g_free (s->recent[i]);
  g_free (s->import_date);
  g_free (s->curation_date);
  g_free (s->summary);
  g_clear_pointer (&s->chunk, g_string_chunk_free);
  g_clear_error (&s->error);
}

/**
 * cb_synth_write_corpus:
 * @guide_path: the bundled corpus file, to learn from
 * @n_items: how many items to write
 * @seed: the same seed gives the same file, byte for byte
 * @path: where to write (atomically: a temporary file renamed over it)
 * @stats: (out) (optional): what was written
 * @error: return location for a #GError
 *
 * Writes a corpus file of @n_items items made from the guide's text,
 * structure, metadata and references, valid against the corpus schema.
 * Memory does not grow with @n_items beyond a few bytes per item and the
 * ids of the references (a quarter as many as the items).
 */
gboolean
cb_synth_write_corpus (const char    *guide_path,
                       guint          n_items,
                       guint64        seed,
                       const char    *path,
                       CbSynthStats  *stats,
                       GError       **error)
{
  Synth s = { 0 };
  g_autofree Plan *plans = NULL;
  g_autofree char *tmp_path = NULL;
  guint n_references = MAX (30, n_items / 4);
  guint counts[CB_N_ITEM_KINDS] = { 0 };
  guint next_steps = 0;
  int fd;
  gboolean ok;

  g_return_val_if_fail (guide_path != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s.seed = seed;
  rng_init (&s.rng, seed);
  s.chunk = g_string_chunk_new (1 << 16);
  s.sentences = g_ptr_array_new ();
  s.list_items = g_ptr_array_new ();
  s.headings = g_ptr_array_new ();
  s.phrases = g_ptr_array_new ();
  s.evidence_titles = g_ptr_array_new ();
  s.action_titles = g_ptr_array_new ();
  s.stems = g_ptr_array_new ();
  s.word_ids = g_hash_table_new (g_str_hash, g_str_equal);
  s.words = g_ptr_array_new ();
  s.successors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  s.starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  s.front = g_ptr_array_new_with_free_func (place_free);
  s.back = g_ptr_array_new_with_free_func (place_free);
  s.guide_refs = g_ptr_array_new ();
  s.families = g_ptr_array_new ();
  s.givens = g_ptr_array_new ();
  s.organisations = g_ptr_array_new ();
  s.containers = g_ptr_array_new ();
  s.publishers = g_ptr_array_new ();
  s.places = g_ptr_array_new ();
  s.ref_titles = g_ptr_array_new ();
  s.ref_ids = g_ptr_array_sized_new (n_references);
  s.ref_dois = g_ptr_array_sized_new (n_references);
  s.used_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Dates from the seed: a day in 2020-2023 */
  s.import_date = format_date (G_GINT64_CONSTANT (1577872800) + (gint64) (seed % 1461) * 86400);
  s.curation_date = format_date (G_GINT64_CONSTANT (1577876400) + (gint64) (seed % 1461) * 86400);
  s.summary = g_strdup_printf ("Generated by casebook-bench from the guide's text (seed %" G_GUINT64_FORMAT ")", seed);

  if (!learn_guide (&s, guide_path, error))
    {
      synth_clear (&s);
      return FALSE;
    }

  /* Where every item goes, then the items in guide order */
  plans = g_new0 (Plan, MAX (n_items, 1));
  for (guint i = 0; i < n_items; i++)
    {
      plans[i].seq = i;
      plan_item (&s, &plans[i]);
    }
  qsort (plans, n_items, sizeof (Plan), compare_plans);

  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *base = g_path_get_basename (path);
    g_autofree char *template = g_strdup_printf ("%s/.%s-XXXXXX", dir, base);

    fd = g_mkstemp_full (template, O_WRONLY, 0644);
    if (fd < 0)
      {
        int saved = errno;

        g_set_error (error, CB_ERROR, CB_ERROR_IO, "%s: %s", path, g_strerror (saved));
        synth_clear (&s);
        return FALSE;
      }
    tmp_path = g_steal_pointer (&template);
  }
  s.out = fdopen (fd, "w");
  setvbuf (s.out, NULL, _IOFBF, 1 << 20);

  out_prolog (&s, n_items);

  out_string (&s, "\n  <references>");
  for (guint i = 0; i < n_references && s.error == NULL; i++)
    {
      g_autoptr(CbReference) reference = make_reference (&s, i);
      g_autoptr(GBytes) bytes = cb_reference_to_xml (reference, &s.error);

      if (bytes != NULL)
        out_fragment (&s, bytes);
    }
  out_string (&s, "\n  </references>");

  out_string (&s, "\n  <items>");
  for (guint i = 0; i < n_items && s.error == NULL; i++)
    {
      g_autoptr(CbItem) item = NULL;
      g_autoptr(GBytes) bytes = NULL;
      guint number;

      if (i == 0 || plans[i].group != plans[i - 1].group || plans[i].place != plans[i - 1].place)
        memset (counts, 0, sizeof counts);
      number = plans[i].kind == CB_ITEM_KIND_NEXT_STEP ? ++next_steps : ++counts[plans[i].kind];

      item = make_item (&s, &plans[i], number);
      if ((bytes = cb_item_to_xml (item, &s.error)) != NULL)
        out_fragment (&s, bytes);
    }
  out_string (&s, "\n  </items>\n</corpus>\n");

  ok = s.error == NULL;
  if (fflush (s.out) != 0 && ok)
    {
      g_set_error (&s.error, CB_ERROR, CB_ERROR_IO, "%s: %s", path, g_strerror (errno));
      ok = FALSE;
    }
  if (fclose (s.out) != 0 && ok)
    {
      g_set_error (&s.error, CB_ERROR, CB_ERROR_IO, "%s: %s", path, g_strerror (errno));
      ok = FALSE;
    }
  if (ok && g_rename (tmp_path, path) != 0)
    {
      g_set_error (&s.error, CB_ERROR, CB_ERROR_IO, "%s: %s", path, g_strerror (errno));
      ok = FALSE;
    }

  if (!ok)
    {
      g_unlink (tmp_path);
      g_propagate_error (error, g_steal_pointer (&s.error));
      synth_clear (&s);
      return FALSE;
    }

  if (stats != NULL)
    {
      stats->n_items = n_items;
      stats->n_references = n_references;
      stats->n_bytes = s.n_bytes;
    }

  synth_clear (&s);

  return TRUE;
}
