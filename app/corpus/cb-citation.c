/* cb-citation.c: a parser for the Harvard-style citations of the guide's
 * reference list
 *
 * The shapes it reads:
 *
 *   Saha, S., Korthuis, P.T. & Beach, M.C. (2013) 'Title', *Journal*, 28(5), pp. 622-629. doi: 10.1007/x.
 *   Priest, N. and Williams, D.R. (2015) Title? *BMJ*, 351:h3297. doi:10.1136/bmj.h3297
 *   Smedley, B.D. and Nelson, A.R. (eds.) (2003) *Book title*. Washington, DC: Publisher. doi: 10.17226/10260.
 *   NHS Race & Health Observatory (2021) “Title”. [online] Available at: <https://...>
 *   NHS Employers. Title. [online] Available at: <https://...>
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-citation.h"
#include "cb-error.h"

static char *
strip_copy (const char *start,
            gsize       len)
{
  char *copy = g_strndup (start, len);

  return g_strstrip (copy);
}

/* Trailing separators left after a field: " , ." */
static void
chomp_separators (char *str)
{
  gsize len = strlen (str);

  while (len > 0 && strchr (" ,.;", str[len - 1]) != NULL)
    str[--len] = '\0';
}

static gboolean
is_initials (const char *token)
{
  const char *p = token;

  if (*p == '\0')
    return FALSE;

  while (*p)
    {
      if (*p == '-')
        p++;
      if (!g_ascii_isupper (*p))
        return FALSE;
      p++;
      if (g_ascii_islower (*p))
        p++;
      if (*p != '.')
        return FALSE;
      p++;
      if (*p == ' ')
        p++;
    }

  return TRUE;
}

static char *
replace_all (const char *str,
             const char *pattern,
             const char *replacement)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, NULL);

  g_assert (regex != NULL);

  return g_regex_replace_literal (regex, str, -1, 0, replacement, 0, NULL);
}

static void
parse_authors (CbReference *reference,
               const char  *authors)
{
  g_auto(GStrv) tokens = NULL;
  g_autofree char *list = NULL;
  gboolean personal = FALSE;

  tokens = g_strsplit (authors, ", ", -1);
  for (guint i = 0; tokens[i]; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (tokens[i], " &", -1);

      for (guint j = 0; words[j]; j++)
        personal |= is_initials (words[j]) && g_ascii_isupper (words[j][0]);
    }
  g_clear_pointer (&tokens, g_strfreev);

  if (!personal)
    {
      cb_reference_add_author (reference, authors, NULL);
      return;
    }

  /* "A, B., C, D. and E, F." or "... & E, F." or "... et al." */
  list = replace_all (authors, " (&|and) ", ", ");
  tokens = g_strsplit (list, ",", -1);

  for (guint i = 0; tokens[i]; i++)
    {
      char *token = g_strstrip (tokens[i]);
      char *next = tokens[i + 1] ? g_strstrip (tokens[i + 1]) : NULL;

      if (*token == '\0')
        continue;

      if (g_str_equal (token, "et al.") || g_str_equal (token, "et al"))
        {
          cb_reference_set_et_al (reference, TRUE);
          continue;
        }

      if (next != NULL && is_initials (next))
        {
          cb_reference_add_author (reference, token, next);
          i++;
        }
      else
        {
          cb_reference_add_author (reference, token, NULL);
        }
    }
}

/* Finds where a quoted title closes: the closing mark followed by
 * punctuation or the end, so that apostrophes inside stay in the title. */
static const char *
find_closing_quote (const char *start,
                    const char *close_mark)
{
  gsize mark_len = strlen (close_mark);

  for (const char *p = strstr (start, close_mark); p != NULL; p = strstr (p + mark_len, close_mark))
    {
      const char *after = p + mark_len;

      if (*after == '\0' || strchr (",.;:", *after) != NULL)
        return p;
    }

  return NULL;
}

/* An unquoted title runs to the first sentence end followed by a capital,
 * an emphasis mark or a bracket. */
static const char *
find_title_end (const char *start)
{
  for (const char *p = start; *p; p++)
    {
      if ((*p == '.' || *p == '?' || *p == '!') && p[1] == ' ')
        {
          const char *next = p + 2;

          while (*next == ' ')
            next++;
          if (g_ascii_isupper (*next) || *next == '*' || *next == '[' || g_ascii_isdigit (*next))
            return p;
        }
    }

  return start + strlen (start);
}

static const char *
skip_separators (const char *p)
{
  while (*p == ' ' || *p == ',' || *p == '.')
    p++;

  return p;
}

static gboolean
looks_like_date (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^([0-9]{1,2} )?(January|February|March|April|May|June|July|"
                                         "August|September|October|November|December)( [0-9]{1,2})?\\.?$",
                                         0, 0, NULL);

  return g_regex_match (regex, text, 0, NULL);
}

/* ", 28(5), pp. 622-629" / ", 351:h3297" / ", 6(4): e236687" / ", 168, p. 111268" */
static void
parse_locator (CbReference *reference,
               const char  *text)
{
  const char *p = skip_separators (text);
  const char *start;
  g_autofree char *volume = NULL;

  start = p;
  while (g_ascii_isdigit (*p))
    p++;
  if (p == start)
    return;

  volume = g_strndup (start, p - start);
  cb_reference_set_volume (reference, volume);

  if (*p == '(')
    {
      const char *close = strchr (p, ')');

      if (close != NULL)
        {
          g_autofree char *issue = g_strndup (p + 1, close - p - 1);

          cb_reference_set_issue (reference, g_strstrip (issue));
          p = close + 1;
        }
    }

  if (*p == ':' || *p == ',')
    {
      g_autofree char *pages = NULL;

      p++;
      while (*p == ' ')
        p++;
      if (g_str_has_prefix (p, "pp."))
        p += 3;
      else if (g_str_has_prefix (p, "p."))
        p += 2;
      while (*p == ' ')
        p++;

      start = p;
      while (*p && *p != ',' && *p != ' ' && *p != ';')
        p++;
      pages = g_strndup (start, p - start);
      chomp_separators (pages);

      for (const char *q = pages; *q; q++)
        {
          if (g_ascii_isdigit (*q))
            {
              cb_reference_set_pages (reference, pages);
              break;
            }
        }
    }
}

static void
parse_publisher (CbReference *reference,
                 const char  *text)
{
  g_autofree char *rest = g_strdup (text);
  const char *colon;

  g_strstrip (rest);
  chomp_separators (rest);
  if (*rest == '\0' || looks_like_date (rest))
    return;

  colon = strstr (rest, ": ");
  if (colon != NULL)
    {
      g_autofree char *place = g_strndup (rest, colon - rest);

      cb_reference_set_place (reference, place);
      cb_reference_set_publisher (reference, colon + 2);
    }
  else
    {
      cb_reference_set_publisher (reference, rest);
    }
}

static char *
extract_doi (const char *text)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  char *doi = NULL;

  regex = g_regex_new ("(?:doi:\\s*|https?://(?:dx\\.)?doi\\.org/|/doi/(?:full/|abs/|pdf/|epdf/)?)"
                       "(10\\.[0-9]{4,9}/[^\\s<>]+)", G_REGEX_CASELESS, 0, NULL);
  if (g_regex_match (regex, text, 0, &match))
    {
      doi = g_match_info_fetch (match, 1);
      chomp_separators (doi);
    }

  return doi;
}

/**
 * cb_citation_parse:
 * @text: one citation as written in the reference list
 * @error: return location for a #GError
 *
 * Reads authors, year, title, container, volume, issue, pages, publisher,
 * DOI and URL. The DOI also comes from a URL that carries one
 * (`https://catalyst.nejm.org/doi/full/10.1056/...`).
 *
 * Returns: (transfer full): the reference without an id, or %NULL with
 *   %CB_ERROR_PARSE when @text has no title or no year, DOI or URL (a
 *   placeholder such as "Requires a reference from ...")
 */
CbReference *
cb_citation_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(CbReference) reference = NULL;
  g_autoptr(GRegex) url_regex = NULL;
  g_autoptr(GRegex) year_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *work = NULL;
  g_autofree char *url = NULL;
  g_autofree char *doi = NULL;
  g_autofree char *authors = NULL;
  g_autofree char *year = NULL;
  g_autofree char *title = NULL;
  const char *body;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reference = cb_reference_new ();
  work = g_strstrip (g_strdup (text));
  cb_reference_add_text (reference, work);

  url_regex = g_regex_new ("<(https?://[^\\s<>]+)>", 0, 0, NULL);
  if (g_regex_match (url_regex, work, 0, &match))
    url = g_match_info_fetch (match, 1);
  g_clear_pointer (&match, g_match_info_free);

  doi = extract_doi (work);

  /* Drop the access details, leaving "authors (year) title. container." */
  {
    char *stripped;

    stripped = replace_all (work, "\\s*Available at:\\s*<[^>]*>\\.?", "");
    g_free (work);
    work = stripped;
    stripped = replace_all (work, "\\s*\\[online\\]", "");
    g_free (work);
    work = stripped;
    stripped = replace_all (work, "\\s*(doi:\\s*|https?://(dx\\.)?doi\\.org/)10\\.[0-9]{4,9}/\\S+", "");
    g_free (work);
    work = stripped;
    stripped = replace_all (work, "\\s*<https?://[^>]*>\\.?", "");
    g_free (work);
    work = g_strstrip (stripped);
  }

  year_regex = g_regex_new ("\\s*\\(([0-9]{4}[a-z]?|n\\.d\\.)\\)\\s*", 0, 0, NULL);
  if (g_regex_match (year_regex, work, 0, &match))
    {
      int start, end;

      g_match_info_fetch_pos (match, 0, &start, &end);
      year = g_match_info_fetch (match, 1);
      authors = strip_copy (work, start);
      body = work + end;
    }
  else
    {
      /* "Organisation. Title. ..." with no year */
      const char *stop = strstr (work, ". ");

      if (stop == NULL)
        {
          g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                       _("Not a citation: no year in brackets and no “Author. Title.” form"));
          return NULL;
        }
      authors = strip_copy (work, stop - work);
      body = stop + 2;
    }
  g_clear_pointer (&match, g_match_info_free);

  if (g_str_has_suffix (authors, "(eds.)") || g_str_has_suffix (authors, "(ed.)"))
    {
      *strrchr (authors, '(') = '\0';
      g_strstrip (authors);
      cb_reference_set_editors (reference, TRUE);
    }

  if (*authors == '\0')
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("Not a citation: no author"));
      return NULL;
    }

  parse_authors (reference, authors);
  if (year != NULL && !g_str_equal (year, "n.d."))
    cb_reference_set_year (reference, year);

  /* Title */
  p = body;
  while (*p == ' ')
    p++;

  if (g_str_has_prefix (p, "‘") || g_str_has_prefix (p, "“") || *p == '\'' || *p == '"')
    {
      const char *close_mark;
      gsize open_len;
      const char *close;

      if (g_str_has_prefix (p, "‘"))
        close_mark = "’", open_len = strlen ("‘");
      else if (g_str_has_prefix (p, "“"))
        close_mark = "”", open_len = strlen ("“");
      else if (*p == '\'')
        close_mark = "'", open_len = 1;
      else
        close_mark = "\"", open_len = 1;

      close = find_closing_quote (p + open_len, close_mark);
      if (close != NULL)
        {
          title = strip_copy (p + open_len, close - (p + open_len));
          p = close + strlen (close_mark);
        }
    }
  else if (*p == '*' && strchr (p + 1, '*') != NULL)
    {
      const char *close = strchr (p + 1, '*');

      title = strip_copy (p + 1, close - (p + 1));
      p = close + 1;
      cb_reference_set_kind (reference, "book");
    }

  if (title == NULL)
    {
      const char *end = find_title_end (p);

      title = strip_copy (p, end - p);
      if (*end == '?' || *end == '!')
        {
          g_autofree char *with_mark = g_strdup_printf ("%s%c", title, *end);

          g_free (title);
          title = g_steal_pointer (&with_mark);
        }
      else
        {
          chomp_separators (title);
        }
      p = *end ? end + 1 : end;
    }

  cb_reference_set_title (reference, title);

  /* Container, volume, issue and pages */
  p = skip_separators (p);
  if (*p == '*' && strchr (p + 1, '*') != NULL)
    {
      const char *close = strchr (p + 1, '*');
      g_autofree char *container = strip_copy (p + 1, close - (p + 1));

      cb_reference_set_container (reference, container);
      cb_reference_set_kind (reference, "article");
      parse_locator (reference, close + 1);
    }
  else
    {
      parse_publisher (reference, p);
      if (g_str_equal (cb_reference_get_kind (reference), "article"))
        cb_reference_set_kind (reference,
                               cb_reference_get_publisher (reference) ? "report" : "webpage");
    }

  if (doi != NULL && cb_doi_is_valid (doi))
    cb_reference_set_doi (reference, doi);
  cb_reference_set_url (reference, url);

  if (cb_reference_get_title (reference) == NULL ||
      (cb_reference_get_year (reference) == NULL && url == NULL && cb_reference_get_doi (reference) == NULL))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE,
                   _("Not a citation: it needs a title and a year, DOI or link"));
      return NULL;
    }

  return g_steal_pointer (&reference);
}

/**
 * cb_citation_make_key:
 * @reference: a parsed reference
 *
 * Returns: (transfer full): the id stem `<first-author-surname><year>`,
 *   folded to lower-case ASCII letters and digits ("nd" when undated)
 */
char *
cb_citation_make_key (CbReference *reference)
{
  const char *family = cb_reference_get_first_family (reference);
  const char *year = cb_reference_get_year (reference);
  g_autofree char *ascii = g_str_to_ascii (family ? family : "anon", "C");
  GString *key = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
    }

  if (key->len == 0)
    g_string_append (key, "anon");

  if (year != NULL)
    {
      for (const char *p = year; *p && g_ascii_isdigit (*p); p++)
        g_string_append_c (key, *p);
    }
  else
    {
      g_string_append (key, "nd");
    }

  return g_string_free (key, FALSE);
}
