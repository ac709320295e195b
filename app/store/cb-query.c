/* cb-query.c: the search box language
 *
 *   words            every word must match
 *   "a phrase"       the words in this order
 *   prefix*          words starting with "prefix"
 *   a OR b           either (binds tighter than the implicit AND)
 *   -word, NOT word  exclude
 *   country:NZ  country:Aotearoa  chapter:5  kind:case  type:social-prescribing
 *   design:rct       filters; a value may be "quoted"; repeated filters of
 *                    one kind are alternatives
 *
 * User text is never handed to FTS5 as written: every term is rebuilt as a
 * double-quoted FTS5 string (so no operator, column filter or NEAR() can get
 * through) and the whole expression is bound as a parameter. Input of any
 * shape parses; at worst it matches nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include <string.h>

#include "cb-item.h"
#include "cb-query.h"

#define MAX_INPUT_BYTES 4096

struct _CbQuery
{
  GObject    parent_instance;

  char      *text;
  char      *match;
  char      *exclude;
  GPtrArray *filters[CB_N_FACETS];
  gboolean   include_retired;
};

G_DEFINE_FINAL_TYPE (CbQuery, cb_query, G_TYPE_OBJECT)

static const char *facet_names[CB_N_FACETS] = {
  [CB_FACET_KIND] = "kind",
  [CB_FACET_CHAPTER] = "chapter",
  [CB_FACET_COUNTRY] = "country",
  [CB_FACET_INTERVENTION] = "type",
  [CB_FACET_DESIGN] = "design",
};

const char *
cb_facet_to_string (CbFacet facet)
{
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  return facet_names[facet];
}

/**
 * cb_facet_from_string:
 * @str: "kind", "chapter", "country", "type" (or "intervention") or "design"
 * @facet: (out): the facet
 *
 * Returns: %TRUE if @str names a facet, in any letter case
 */
gboolean
cb_facet_from_string (const char *str,
                      CbFacet    *facet)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < CB_N_FACETS; i++)
    {
      if (g_ascii_strcasecmp (str, facet_names[i]) == 0)
        {
          *facet = i;
          return TRUE;
        }
    }

  if (g_ascii_strcasecmp (str, "intervention") == 0)
    {
      *facet = CB_FACET_INTERVENTION;
      return TRUE;
    }

  return FALSE;
}

static void
cb_query_finalize (GObject *object)
{
  CbQuery *self = (CbQuery *) object;

  g_free (self->text);
  g_free (self->match);
  g_free (self->exclude);
  for (guint i = 0; i < CB_N_FACETS; i++)
    g_ptr_array_unref (self->filters[i]);

  G_OBJECT_CLASS (cb_query_parent_class)->finalize (object);
}

static void
cb_query_class_init (CbQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_query_finalize;
}

static void
cb_query_init (CbQuery *self)
{
  self->text = g_strdup ("");
  for (guint i = 0; i < CB_N_FACETS; i++)
    self->filters[i] = g_ptr_array_new_with_free_func (g_free);
}

/**
 * cb_query_new:
 *
 * Returns: (transfer full): a query that matches everything
 */
CbQuery *
cb_query_new (void)
{
  return g_object_new (CB_TYPE_QUERY, NULL);
}

/**
 * cb_query_copy:
 * @self: a query
 *
 * Returns: (transfer full): an independent copy
 */
CbQuery *
cb_query_copy (CbQuery *self)
{
  CbQuery *copy;

  g_return_val_if_fail (CB_IS_QUERY (self), NULL);

  copy = cb_query_new ();
  g_free (copy->text);
  copy->text = g_strdup (self->text);
  copy->match = g_strdup (self->match);
  copy->exclude = g_strdup (self->exclude);
  copy->include_retired = self->include_retired;
  for (guint i = 0; i < CB_N_FACETS; i++)
    for (guint j = 0; j < self->filters[i]->len; j++)
      g_ptr_array_add (copy->filters[i], g_strdup (g_ptr_array_index (self->filters[i], j)));

  return copy;
}

/* Parsing */

typedef struct {
  char     *text;
  gboolean  prefix;
} Term;

static void
term_free (Term *term)
{
  g_free (term->text);
  g_free (term);
}

/* A term must hold something the tokenizer indexes: a letter or digit. */
static gboolean
has_token_char (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        return TRUE;
    }

  return FALSE;
}

static char *
sanitize (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *end;

  if (text == NULL)
    return g_string_free (out, FALSE);

  /* Invalid UTF-8 stops the text where it becomes invalid. */
  g_utf8_validate (text, -1, &end);

  for (const char *p = text; p < end && out->len < MAX_INPUT_BYTES; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || g_unichar_type (c) == G_UNICODE_CONTROL ||
          g_unichar_type (c) == G_UNICODE_FORMAT || g_unichar_isspace (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
fts_string (Term *term)
{
  GString *out = g_string_new ("\"");

  for (const char *p = term->text; *p; p++)
    {
      if (*p == '"')
        g_string_append (out, "\"\"");
      else
        g_string_append_c (out, *p);
    }

  g_string_append_c (out, '"');
  if (term->prefix)
    g_string_append (out, " *");

  return g_string_free (out, FALSE);
}

static char *
limit_term (const char *text)
{
  const char *p = text;
  guint chars = 0;

  while (*p && chars < CB_QUERY_MAX_TERM_LENGTH)
    {
      p = g_utf8_next_char (p);
      chars++;
    }

  return g_strndup (text, p - text);
}

/* Reads a "phrase" starting after the opening quote; an unclosed quote
 * runs to the end of the text. */
static char *
read_phrase (const char **cursor)
{
  const char *start = *cursor;
  const char *close = strchr (start, '"');
  char *phrase;

  if (close == NULL)
    {
      phrase = g_strdup (start);
      *cursor = start + strlen (start);
    }
  else
    {
      phrase = g_strndup (start, close - start);
      *cursor = close + 1;
    }

  return phrase;
}

static char *
read_word (const char **cursor)
{
  const char *start = *cursor;
  const char *p = start;

  while (*p && *p != ' ' && *p != '"')
    p++;

  *cursor = p;

  return g_strndup (start, p - start);
}

static char *
normalize_filter_value (CbTaxonomy *taxonomy,
                        CbFacet     facet,
                        const char *value,
                        gboolean   *known)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  const CbTerm *term = NULL;
  CbItemKind kind;

  *known = FALSE;

  switch (facet)
    {
    case CB_FACET_KIND:
      if (cb_item_kind_from_string (trimmed, &kind))
        {
          *known = TRUE;
          return g_strdup (cb_item_kind_to_string (kind));
        }
      return g_ascii_strdown (trimmed, -1);

    case CB_FACET_CHAPTER:
      {
        char *end = NULL;
        guint64 number = g_ascii_strtoull (trimmed, &end, 10);

        if (*trimmed != '\0' && end != NULL && *end == '\0' && number > 0 && number < 1000)
          {
            *known = TRUE;
            return g_strdup_printf ("%u", (guint) number);
          }
        return g_strdup (trimmed);
      }

    case CB_FACET_COUNTRY:
      term = taxonomy ? cb_taxonomy_resolve (taxonomy, CB_TAXONOMY_COUNTRY, trimmed) : NULL;
      break;

    case CB_FACET_INTERVENTION:
      term = taxonomy ? cb_taxonomy_resolve (taxonomy, CB_TAXONOMY_INTERVENTION, trimmed) : NULL;
      break;

    case CB_FACET_DESIGN:
      term = taxonomy ? cb_taxonomy_resolve (taxonomy, CB_TAXONOMY_DESIGN, trimmed) : NULL;
      break;

    default:
      g_assert_not_reached ();
    }

  if (term != NULL)
    {
      *known = TRUE;
      return g_strdup (term->id);
    }

  return g_strdup (trimmed);
}

/**
 * cb_query_add_filter:
 * @self: a query
 * @taxonomy: (nullable): resolves names and synonyms ("Aotearoa" is NZ)
 * @facet: the dimension
 * @value: a code, id, name or synonym
 *
 * Adds an alternative to the filter of @facet. A value nothing is known by
 * is kept as written: it then matches no item.
 *
 * Returns: %TRUE if @value was recognised
 */
gboolean
cb_query_add_filter (CbQuery    *self,
                     CbTaxonomy *taxonomy,
                     CbFacet     facet,
                     const char *value)
{
  g_autofree char *normalized = NULL;
  gboolean known;

  g_return_val_if_fail (CB_IS_QUERY (self), FALSE);
  g_return_val_if_fail (facet < CB_N_FACETS, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  normalized = normalize_filter_value (taxonomy, facet, value, &known);
  if (*normalized == '\0')
    return FALSE;

  if (!cb_query_has_filter (self, facet, normalized))
    g_ptr_array_add (self->filters[facet], g_steal_pointer (&normalized));

  return known;
}

void
cb_query_remove_filter (CbQuery    *self,
                        CbFacet     facet,
                        const char *value)
{
  g_return_if_fail (CB_IS_QUERY (self));
  g_return_if_fail (facet < CB_N_FACETS);

  for (guint i = 0; i < self->filters[facet]->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->filters[facet], i), value) == 0)
        {
          g_ptr_array_remove_index (self->filters[facet], i);
          return;
        }
    }
}

gboolean
cb_query_has_filter (CbQuery    *self,
                     CbFacet     facet,
                     const char *value)
{
  g_return_val_if_fail (CB_IS_QUERY (self), FALSE);
  g_return_val_if_fail (facet < CB_N_FACETS, FALSE);

  for (guint i = 0; i < self->filters[facet]->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->filters[facet], i), value) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * cb_query_clear_filter:
 * @self: a query
 * @facet: a dimension
 *
 * Drops every filter on @facet.
 */
void
cb_query_clear_filter (CbQuery *self,
                       CbFacet  facet)
{
  g_return_if_fail (CB_IS_QUERY (self));
  g_return_if_fail (facet < CB_N_FACETS);

  g_ptr_array_set_size (self->filters[facet], 0);
}

void
cb_query_clear_filters (CbQuery *self)
{
  g_return_if_fail (CB_IS_QUERY (self));

  for (guint i = 0; i < CB_N_FACETS; i++)
    g_ptr_array_set_size (self->filters[i], 0);
}

gboolean
cb_query_has_filters (CbQuery *self)
{
  g_return_val_if_fail (CB_IS_QUERY (self), FALSE);

  for (guint i = 0; i < CB_N_FACETS; i++)
    {
      if (self->filters[i]->len > 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * cb_query_parse:
 * @text: (nullable): what was typed in the search box
 * @taxonomy: (nullable): to resolve filter values
 *
 * Never fails: control characters are spaces, unclosed quotes run to the
 * end, lone operators and terms without letters or digits are dropped, and
 * at most %CB_QUERY_MAX_TERMS terms of %CB_QUERY_MAX_TERM_LENGTH characters
 * are kept.
 *
 * Returns: (transfer full): the query
 */
CbQuery *
cb_query_parse (const char *text,
                CbTaxonomy *taxonomy)
{
  g_autoptr(CbQuery) self = cb_query_new ();
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) negatives = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);
  g_autofree char *clean = sanitize (text);
  const char *cursor = clean;
  gboolean pending_or = FALSE;
  gboolean negate_next = FALSE;
  guint n_terms = 0;

  g_free (self->text);
  self->text = g_strdup (text ? text : "");

  while (*cursor)
    {
      gboolean negative = negate_next;
      gboolean quoted = FALSE;
      g_autofree char *word = NULL;
      Term *term;

      if (*cursor == ' ')
        {
          cursor++;
          continue;
        }

      negate_next = FALSE;

      if (*cursor == '-' && cursor[1] != '\0' && cursor[1] != ' ' && cursor[1] != '-')
        {
          negative = TRUE;
          cursor++;
        }

      if (*cursor == '"')
        {
          cursor++;
          word = read_phrase (&cursor);
          quoted = TRUE;
        }
      else
        {
          word = read_word (&cursor);
        }

      if (!quoted)
        {
          const char *colon = strchr (word, ':');
          CbFacet facet;

          if (g_str_equal (word, "OR"))
            {
              pending_or = groups->len > 0;
              continue;
            }
          if (g_str_equal (word, "AND"))
            continue;
          if (g_str_equal (word, "NOT"))
            {
              negate_next = TRUE;
              continue;
            }

          if (colon != NULL && colon != word)
            {
              g_autofree char *key = g_strndup (word, colon - word);

              if (cb_facet_from_string (key, &facet))
                {
                  g_autofree char *value = NULL;

                  if (colon[1] != '\0')
                    value = g_strdup (colon + 1);
                  else if (*cursor == '"')
                    {
                      cursor++;
                      value = read_phrase (&cursor);
                    }

                  if (value != NULL && !negative)
                    cb_query_add_filter (self, taxonomy, facet, value);
                  pending_or = FALSE;
                  continue;
                }
            }
        }

      /* A pasted DOI: the words of "doi:10.1002/hec.4645" are 10 1002 hec 4645 */
      if (!quoted)
        {
          static const char *doi_prefixes[] = { "doi:", "https://doi.org/", "http://doi.org/",
                                                "https://dx.doi.org/", "http://dx.doi.org/" };

          for (guint i = 0; i < G_N_ELEMENTS (doi_prefixes); i++)
            {
              if (g_ascii_strncasecmp (word, doi_prefixes[i], strlen (doi_prefixes[i])) == 0)
                {
                  char *rest = g_strdup (word + strlen (doi_prefixes[i]));

                  g_free (word);
                  word = rest;
                  break;
                }
            }
        }

      term = g_new0 (Term, 1);

      /* prefix* (a trailing star only; stars inside a word are dropped) */
      if (!quoted)
        {
          gsize len = strlen (word);

          while (len > 0 && word[len - 1] == '*')
            {
              word[--len] = '\0';
              term->prefix = TRUE;
            }
          g_strdelimit (word, "*", ' ');
        }
      else if (g_str_has_suffix (word, "*"))
        {
          /* "a phrase*" : a prefix on the last word */
          word[strlen (word) - 1] = '\0';
          term->prefix = TRUE;
        }

      term->text = limit_term (g_strstrip (word));

      if (!has_token_char (term->text) || n_terms >= CB_QUERY_MAX_TERMS)
        {
          term_free (term);
          pending_or = FALSE;
          continue;
        }

      n_terms++;

      if (negative)
        {
          g_ptr_array_add (negatives, term);
        }
      else if (pending_or)
        {
          g_ptr_array_add (g_ptr_array_index (groups, groups->len - 1), term);
        }
      else
        {
          GPtrArray *group = g_ptr_array_new_with_free_func ((GDestroyNotify) term_free);

          g_ptr_array_add (group, term);
          g_ptr_array_add (groups, group);
        }

      pending_or = FALSE;
    }

  if (groups->len > 0)
    {
      GString *match = g_string_new (NULL);

      for (guint g = 0; g < groups->len; g++)
        {
          GPtrArray *group = g_ptr_array_index (groups, g);

          if (g > 0)
            g_string_append (match, " AND ");
          if (group->len > 1)
            g_string_append_c (match, '(');
          for (guint t = 0; t < group->len; t++)
            {
              g_autofree char *string = fts_string (g_ptr_array_index (group, t));

              if (t > 0)
                g_string_append (match, " OR ");
              g_string_append (match, string);
            }
          if (group->len > 1)
            g_string_append_c (match, ')');
        }

      self->match = g_string_free (match, FALSE);
    }

  if (negatives->len > 0)
    {
      GString *exclude = g_string_new (NULL);

      for (guint t = 0; t < negatives->len; t++)
        {
          g_autofree char *string = fts_string (g_ptr_array_index (negatives, t));

          if (t > 0)
            g_string_append (exclude, " OR ");
          g_string_append (exclude, string);
        }

      self->exclude = g_string_free (exclude, FALSE);
    }

  return g_steal_pointer (&self);
}

/**
 * cb_query_get_text:
 * @self: a query
 *
 * Returns: the text as typed
 */
const char *
cb_query_get_text (CbQuery *self)
{
  g_return_val_if_fail (CB_IS_QUERY (self), NULL);

  return self->text;
}

/**
 * cb_query_get_match:
 * @self: a query
 *
 * Returns: (nullable): the FTS5 expression every result must match, every
 *   term a quoted string; %NULL when the query has no positive terms
 */
const char *
cb_query_get_match (CbQuery *self)
{
  g_return_val_if_fail (CB_IS_QUERY (self), NULL);

  return self->match;
}

/**
 * cb_query_get_exclude:
 * @self: a query
 *
 * Returns: (nullable): the FTS5 expression no result may match
 */
const char *
cb_query_get_exclude (CbQuery *self)
{
  g_return_val_if_fail (CB_IS_QUERY (self), NULL);

  return self->exclude;
}

/**
 * cb_query_has_text:
 * @self: a query
 *
 * Returns: %TRUE if the query has words to match or exclude
 */
gboolean
cb_query_has_text (CbQuery *self)
{
  g_return_val_if_fail (CB_IS_QUERY (self), FALSE);

  return self->match != NULL || self->exclude != NULL;
}

/**
 * cb_query_get_filter:
 * @self: a query
 * @facet: a dimension
 *
 * Returns: (transfer none) (element-type utf8): the accepted values (any of
 *   them matches)
 */
GPtrArray *
cb_query_get_filter (CbQuery *self,
                     CbFacet  facet)
{
  g_return_val_if_fail (CB_IS_QUERY (self), NULL);
  g_return_val_if_fail (facet < CB_N_FACETS, NULL);

  return self->filters[facet];
}

gboolean
cb_query_get_include_retired (CbQuery *self)
{
  g_return_val_if_fail (CB_IS_QUERY (self), FALSE);

  return self->include_retired;
}

/**
 * cb_query_set_include_retired:
 * @self: a query
 * @include: whether retired items are results too
 *
 * Retired items leave search by default.
 */
void
cb_query_set_include_retired (CbQuery  *self,
                              gboolean  include)
{
  g_return_if_fail (CB_IS_QUERY (self));

  self->include_retired = !!include;
}
