/* cb-export-bib.c: the pack's references as a reading list, in RIS and in
 * BibTeX
 *
 * Both list ctx->references: every reference the pack's items cite, once,
 * in order of first citation.
 *
 * RIS: one record per reference, "TAG  - value" lines ending in CRLF (as the
 * RIS specification has it), "ER  - " closing each record. The type comes
 * from the reference's kind (article JOUR, book BOOK, report RPRT, webpage
 * ELEC, anything else GEN). Editors of a book are ED, not AU. Values are one
 * line each. A reference with a DOI but no URL gets its doi.org link as UR.
 *
 * BibTeX: @article, @book, @techreport, @online (webpages; BibTeX styles
 * without @online treat it as @misc) or @misc. Values are braced; the
 * characters BibTeX and LaTeX treat specially are escaped, words with
 * capitals in titles are braced so that styles do not lower-case them,
 * organisations are braced so that they are not split into names, and
 * non-ASCII text stays UTF-8 (biblatex, biber and bibutils read it). DOIs
 * and URLs are written as they are, since biblatex reads them verbatim;
 * only the characters that would unbalance the braces are percent-encoded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-error.h"
#include "cb-export-private.h"

/* Splits "622-629", "4071–4111" (en dash) or "45—58" into its first and
 * last page; a single page ("h3297") has no last one. */
static void
split_pages (const char  *pages,
             char       **first,
             char       **last)
{
  static const char *dashes[] = { "--", "\xE2\x80\x93", "\xE2\x80\x94", "-" };

  *first = NULL;
  *last = NULL;

  if (pages == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
    {
      const char *dash = strstr (pages, dashes[i]);

      if (dash != NULL && dash != pages)
        {
          *first = g_strstrip (g_strndup (pages, dash - pages));
          *last = g_strstrip (g_strdup (dash + strlen (dashes[i])));
          if (**last == '\0')
            g_clear_pointer (last, g_free);
          return;
        }
    }

  *first = g_strstrip (g_strdup (pages));
}

/* The four digits of "2021a" */
static char *
dup_year (CbReference *reference)
{
  const char *year = cb_reference_get_year (reference);
  gsize n = 0;

  if (year == NULL)
    return NULL;

  while (g_ascii_isdigit (year[n]))
    n++;

  return n > 0 ? g_strndup (year, n) : g_strdup (year);
}

/* RIS */

static void
ris_line (GString    *out,
          const char *tag,
          const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  g_string_append_printf (out, "%s  - ", tag);
  for (const char *p = value; *p; p++)
    g_string_append_c (out, (*p == '\r' || *p == '\n') ? ' ' : *p);
  g_string_append (out, "\r\n");
}

static const char *
ris_type (const char *kind)
{
  if (g_strcmp0 (kind, "article") == 0)
    return "JOUR";
  if (g_strcmp0 (kind, "book") == 0)
    return "BOOK";
  if (g_strcmp0 (kind, "report") == 0)
    return "RPRT";
  if (g_strcmp0 (kind, "webpage") == 0)
    return "ELEC";

  return "GEN";
}

/* Labels of the pack items that cite @reference */
static char *
dup_citing_labels (CbExportContext *ctx,
                   CbReference     *reference)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ctx->items->len; i++)
    {
      CbItem *item = g_ptr_array_index (ctx->items, i);
      g_autofree char *label = NULL;

      if (item == NULL || !cb_item_cites (item, cb_reference_get_id (reference)))
        continue;

      label = _cb_export_dup_label (ctx, i);
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, label);
    }

  return g_string_free (out, FALSE);
}

GBytes *
_cb_export_ris (CbExportContext  *ctx,
                GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len;

  for (guint i = 0; i < ctx->references->len; i++)
    {
      CbReference *reference = g_ptr_array_index (ctx->references, i);
      GPtrArray *authors = cb_reference_get_authors (reference);
      const char *kind = cb_reference_get_kind (reference);
      const char *author_tag = cb_reference_get_editors (reference) ? "ED" : "AU";
      g_autofree char *year = dup_year (reference);
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      g_autofree char *cited_by = dup_citing_labels (ctx, reference);

      if (_cb_export_check_cancelled (ctx, error))
        return NULL;

      if (i > 0)
        g_string_append (out, "\r\n");

      ris_line (out, "TY", ris_type (kind));
      for (guint j = 0; j < authors->len; j++)
        {
          CbPerson *person = g_ptr_array_index (authors, j);

          /* An organisation is one name without a comma */
          if (person->given != NULL)
            {
              g_autofree char *name = g_strdup_printf ("%s, %s", person->family, person->given);

              ris_line (out, author_tag, name);
            }
          else
            {
              ris_line (out, author_tag, person->family);
            }
        }
      ris_line (out, "PY", year);
      ris_line (out, "TI", cb_reference_get_title (reference));
      ris_line (out, "T2", cb_reference_get_container (reference));
      ris_line (out, "VL", cb_reference_get_volume (reference));
      ris_line (out, "IS", cb_reference_get_issue (reference));
      split_pages (cb_reference_get_pages (reference), &first, &last);
      ris_line (out, "SP", first);
      ris_line (out, "EP", last);
      ris_line (out, "PB", cb_reference_get_publisher (reference));
      ris_line (out, "CY", cb_reference_get_place (reference));
      ris_line (out, "DO", cb_reference_get_doi (reference));
      if (cb_reference_get_url (reference) != NULL)
        ris_line (out, "UR", cb_reference_get_url (reference));
      else if (cb_reference_get_doi (reference) != NULL)
        {
          /* The DOI as a link too: some readers (bibutils) take DO only
           * for some types, but find a DOI in a doi.org link */
          g_autofree char *link = cb_reference_dup_link (reference);

          ris_line (out, "UR", link);
        }
      if (*cited_by != '\0')
        {
          /* Translators: in a reading list, the pack items that cite a
           * reference: "Cited by: Case study 4.2.4; Inset box 7.2.2" */
          g_autofree char *note = g_strdup_printf (_("Cited by: %s"), cited_by);

          ris_line (out, "N1", note);
        }
      g_string_append (out, "ER  - \r\n");
    }

  len = out->len;

  return g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), len);
}

/* BibTeX */

static void
bib_escape (GString    *out,
            const char *text)
{
  for (const char *p = text; *p; p++)
    {
      switch (*p)
        {
        case '&': case '%': case '$': case '#': case '_':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
          break;

        /* Escaped braces would still count for BibTeX's brace matching */
        case '{':
          g_string_append (out, "\\textbraceleft{}");
          break;

        case '}':
          g_string_append (out, "\\textbraceright{}");
          break;

        case '~':
          g_string_append (out, "\\textasciitilde{}");
          break;

        case '^':
          g_string_append (out, "\\textasciicircum{}");
          break;

        case '\\':
          g_string_append (out, "\\textbackslash{}");
          break;

        case '\r':
        case '\n':
        case '\t':
          g_string_append_c (out, ' ');
          break;

        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

static gboolean
has_upper_after_first (const char *word,
                       gboolean    first_word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      if (g_unichar_isupper (g_utf8_get_char (p)) && !(first_word && p == word))
        return TRUE;
    }

  return FALSE;
}

/* A title, with every word that has a capital (other than the title's
 * first letter) braced, its punctuation outside: {NHS}, {COVID-19},
 * {Māori}, {Disparities}: so that styles keep the capitals the source
 * has, proper nouns and acronyms included */
static void
bib_title (GString    *out,
           const char *title)
{
  g_auto(GStrv) words = g_strsplit (title, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      const char *start = NULL;
      const char *end = NULL;

      if (i > 0)
        g_string_append_c (out, ' ');

      if (g_utf8_validate (word, -1, NULL))
        {
          for (const char *p = word; *p; p = g_utf8_next_char (p))
            {
              if (g_unichar_isalnum (g_utf8_get_char (p)))
                {
                  if (start == NULL)
                    start = p;
                  end = g_utf8_next_char (p);
                }
            }
        }

      if (start != NULL)
        {
          g_autofree char *before = g_strndup (word, start - word);
          g_autofree char *core = g_strndup (start, end - start);

          if (has_upper_after_first (core, i == 0 && start == word))
            {
              bib_escape (out, before);
              g_string_append_c (out, '{');
              bib_escape (out, core);
              g_string_append_c (out, '}');
              bib_escape (out, end);
              continue;
            }
        }

      bib_escape (out, word);
    }
}

/* DOIs and URLs are read verbatim: keep them, but never unbalance braces */
static void
bib_verbatim (GString    *out,
              const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '{' || *p == '}' || *p == '\\' || *p == '\r' || *p == '\n' || *p == ' ')
        g_string_append_printf (out, "%%%02X", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
}

typedef enum {
  BIB_TEXT,
  BIB_TITLE,
  BIB_VERBATIM,
} BibValue;

static void
bib_field (GString    *out,
           const char *name,
           const char *value,
           BibValue    how)
{
  if (value == NULL || *value == '\0')
    return;

  g_string_append_printf (out, "  %s = {", name);
  if (how == BIB_TITLE)
    bib_title (out, value);
  else if (how == BIB_VERBATIM)
    bib_verbatim (out, value);
  else
    bib_escape (out, value);
  g_string_append (out, "},\n");
}

static void
bib_names (GString    *out,
           const char *field,
           GPtrArray  *people,
           gboolean    et_al)
{
  if (people->len == 0)
    return;

  g_string_append_printf (out, "  %s = {", field);
  for (guint i = 0; i < people->len; i++)
    {
      CbPerson *person = g_ptr_array_index (people, i);

      if (i > 0)
        g_string_append (out, " and ");

      if (person->given == NULL)
        {
          /* Braced, an organisation is one name, never "Observatory, NHS" */
          g_string_append_c (out, '{');
          bib_escape (out, person->family);
          g_string_append_c (out, '}');
        }
      else
        {
          bib_escape (out, person->family);
          g_string_append (out, ", ");
          bib_escape (out, person->given);
        }
    }
  if (et_al)
    g_string_append (out, " and others");
  g_string_append (out, "},\n");
}

static const char *
bib_type (const char *kind)
{
  if (g_strcmp0 (kind, "article") == 0)
    return "article";
  if (g_strcmp0 (kind, "book") == 0)
    return "book";
  if (g_strcmp0 (kind, "report") == 0)
    return "techreport";
  if (g_strcmp0 (kind, "webpage") == 0)
    return "online";

  return "misc";
}

/* "reference:curtis2019" → "curtis2019"; only [A-Za-z0-9_:-], unique */
static char *
bib_key (CbReference *reference,
         GHashTable  *used)
{
  const char *id = cb_reference_get_id (reference);
  GString *key = g_string_new (NULL);
  g_autofree char *base = NULL;

  if (id != NULL && g_str_has_prefix (id, "reference:"))
    id += strlen ("reference:");

  for (const char *p = id ? id : ""; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '_' || *p == ':' || *p == '-')
        g_string_append_c (key, *p);
      else if (key->len > 0 && key->str[key->len - 1] != '_')
        g_string_append_c (key, '_');
    }
  if (key->len == 0)
    g_string_append (key, "ref");

  base = g_strdup (key->str);
  for (guint n = 2; g_hash_table_contains (used, key->str); n++)
    g_string_printf (key, "%s-%u", base, n);

  g_hash_table_add (used, g_strdup (key->str));

  return g_string_free (key, FALSE);
}

GBytes *
_cb_export_bibtex (CbExportContext  *ctx,
                   GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize len;

  for (guint i = 0; i < ctx->references->len; i++)
    {
      CbReference *reference = g_ptr_array_index (ctx->references, i);
      const char *kind = cb_reference_get_kind (reference);
      const char *type = bib_type (kind);
      g_autofree char *key = bib_key (reference, used);
      g_autofree char *year = dup_year (reference);
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      g_autofree char *pages = NULL;

      if (_cb_export_check_cancelled (ctx, error))
        return NULL;

      split_pages (cb_reference_get_pages (reference), &first, &last);
      if (first != NULL)
        pages = last ? g_strconcat (first, "--", last, NULL) : g_strdup (first);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "@%s{%s,\n", type, key);
      bib_names (out, cb_reference_get_editors (reference) ? "editor" : "author",
                 cb_reference_get_authors (reference), cb_reference_get_et_al (reference));
      bib_field (out, "title", cb_reference_get_title (reference), BIB_TITLE);
      if (g_str_equal (type, "article"))
        bib_field (out, "journal", cb_reference_get_container (reference), BIB_TEXT);
      else
        bib_field (out, "booktitle", cb_reference_get_container (reference), BIB_TEXT);
      bib_field (out, "year", year, BIB_TEXT);
      bib_field (out, "volume", cb_reference_get_volume (reference), BIB_TEXT);
      bib_field (out, "number", cb_reference_get_issue (reference), BIB_TEXT);
      bib_field (out, "pages", pages, BIB_TEXT);
      bib_field (out, g_str_equal (type, "techreport") ? "institution" : "publisher",
                 cb_reference_get_publisher (reference), BIB_TEXT);
      bib_field (out, "address", cb_reference_get_place (reference), BIB_TEXT);
      bib_field (out, "doi", cb_reference_get_doi (reference), BIB_VERBATIM);
      bib_field (out, "url", cb_reference_get_url (reference), BIB_VERBATIM);
      g_string_append (out, "}\n");
    }

  len = out->len;

  return g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), len);
}
