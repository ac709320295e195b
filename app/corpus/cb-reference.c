/* cb-reference.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <string.h>

#include "cb-reference.h"

struct _CbReference
{
  GObject    parent_instance;

  char      *id;
  char      *kind;
  GPtrArray *authors;
  gboolean   editors;
  gboolean   et_al;
  char      *year;
  char      *title;
  char      *container;
  char      *volume;
  char      *issue;
  char      *pages;
  char      *publisher;
  char      *place;
  char      *doi;
  char      *url;
  GPtrArray *texts;
};

G_DEFINE_FINAL_TYPE (CbReference, cb_reference, G_TYPE_OBJECT)

CbPerson *
cb_person_new (const char *family,
               const char *given)
{
  CbPerson *person = g_new0 (CbPerson, 1);

  person->family = g_strdup (family);
  person->given = g_strdup (given);

  return person;
}

void
cb_person_free (CbPerson *person)
{
  if (person == NULL)
    return;

  g_free (person->family);
  g_free (person->given);
  g_free (person);
}

static void
cb_reference_finalize (GObject *object)
{
  CbReference *self = (CbReference *) object;

  g_free (self->id);
  g_free (self->kind);
  g_ptr_array_unref (self->authors);
  g_free (self->year);
  g_free (self->title);
  g_free (self->container);
  g_free (self->volume);
  g_free (self->issue);
  g_free (self->pages);
  g_free (self->publisher);
  g_free (self->place);
  g_free (self->doi);
  g_free (self->url);
  g_ptr_array_unref (self->texts);

  G_OBJECT_CLASS (cb_reference_parent_class)->finalize (object);
}

static void
cb_reference_class_init (CbReferenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_reference_finalize;
}

static void
cb_reference_init (CbReference *self)
{
  self->kind = g_strdup ("article");
  self->authors = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_person_free);
  self->texts = g_ptr_array_new_with_free_func (g_free);
}

CbReference *
cb_reference_new (void)
{
  return g_object_new (CB_TYPE_REFERENCE, NULL);
}

/**
 * cb_reference_copy:
 * @self: a reference
 *
 * Returns: (transfer full): a deep copy
 */
CbReference *
cb_reference_copy (CbReference *self)
{
  CbReference *copy;

  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  copy = cb_reference_new ();
  copy->id = g_strdup (self->id);
  g_free (copy->kind);
  copy->kind = g_strdup (self->kind);
  for (guint i = 0; i < self->authors->len; i++)
    {
      CbPerson *person = g_ptr_array_index (self->authors, i);

      cb_reference_add_author (copy, person->family, person->given);
    }
  copy->editors = self->editors;
  copy->et_al = self->et_al;
  copy->year = g_strdup (self->year);
  copy->title = g_strdup (self->title);
  copy->container = g_strdup (self->container);
  copy->volume = g_strdup (self->volume);
  copy->issue = g_strdup (self->issue);
  copy->pages = g_strdup (self->pages);
  copy->publisher = g_strdup (self->publisher);
  copy->place = g_strdup (self->place);
  copy->doi = g_strdup (self->doi);
  copy->url = g_strdup (self->url);
  for (guint i = 0; i < self->texts->len; i++)
    cb_reference_add_text (copy, g_ptr_array_index (self->texts, i));

  return copy;
}

#define STRING_ACCESSORS(field)                                   \
const char *                                                      \
cb_reference_get_##field (CbReference *self)                      \
{                                                                 \
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);            \
  return self->field;                                             \
}                                                                 \
                                                                  \
void                                                              \
cb_reference_set_##field (CbReference *self,                      \
                          const char  *value)                     \
{                                                                 \
  g_return_if_fail (CB_IS_REFERENCE (self));                      \
  g_free (self->field);                                           \
  self->field = (value && *value) ? g_strdup (value) : NULL;      \
}

STRING_ACCESSORS (id)
STRING_ACCESSORS (year)
STRING_ACCESSORS (title)
STRING_ACCESSORS (container)
STRING_ACCESSORS (volume)
STRING_ACCESSORS (issue)
STRING_ACCESSORS (pages)
STRING_ACCESSORS (publisher)
STRING_ACCESSORS (place)
STRING_ACCESSORS (doi)
STRING_ACCESSORS (url)

#undef STRING_ACCESSORS

/**
 * cb_reference_get_text:
 * @self: a reference
 *
 * Returns: (nullable): the citation as the reference list first wrote it
 */
const char *
cb_reference_get_text (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  return self->texts->len > 0 ? g_ptr_array_index (self->texts, 0) : NULL;
}

/**
 * cb_reference_get_texts:
 * @self: a reference
 *
 * Returns: (transfer none) (element-type utf8): every distinct way the
 *   reference list writes this citation, first one first
 */
GPtrArray *
cb_reference_get_texts (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  return self->texts;
}

/**
 * cb_reference_add_text:
 * @self: a reference
 * @text: a citation as written
 *
 * Keeps another form of the citation, unless it is already known.
 */
void
cb_reference_add_text (CbReference *self,
                       const char  *text)
{
  g_return_if_fail (CB_IS_REFERENCE (self));
  g_return_if_fail (text != NULL);

  for (guint i = 0; i < self->texts->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->texts, i), text))
        return;
    }

  g_ptr_array_add (self->texts, g_strdup (text));
}

/**
 * cb_reference_get_kind:
 * @self: a reference
 *
 * Returns: "article", "book", "report" or "webpage"
 */
const char *
cb_reference_get_kind (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  return self->kind;
}

void
cb_reference_set_kind (CbReference *self,
                       const char  *kind)
{
  g_return_if_fail (CB_IS_REFERENCE (self));
  g_return_if_fail (kind != NULL);

  g_free (self->kind);
  self->kind = g_strdup (kind);
}

/**
 * cb_reference_get_authors:
 * @self: a reference
 *
 * Returns: (transfer none) (element-type CbPerson): authors (or editors)
 */
GPtrArray *
cb_reference_get_authors (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  return self->authors;
}

void
cb_reference_add_author (CbReference *self,
                         const char  *family,
                         const char  *given)
{
  g_return_if_fail (CB_IS_REFERENCE (self));
  g_return_if_fail (family != NULL);

  g_ptr_array_add (self->authors, cb_person_new (family, (given && *given) ? given : NULL));
}

gboolean
cb_reference_get_editors (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), FALSE);

  return self->editors;
}

void
cb_reference_set_editors (CbReference *self,
                          gboolean     editors)
{
  g_return_if_fail (CB_IS_REFERENCE (self));

  self->editors = !!editors;
}

gboolean
cb_reference_get_et_al (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), FALSE);

  return self->et_al;
}

void
cb_reference_set_et_al (CbReference *self,
                        gboolean     et_al)
{
  g_return_if_fail (CB_IS_REFERENCE (self));

  self->et_al = !!et_al;
}

/**
 * cb_reference_get_first_family:
 * @self: a reference
 *
 * Returns: (nullable): the first author's family name or organisation
 */
const char *
cb_reference_get_first_family (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  if (self->authors->len == 0)
    return NULL;

  return ((CbPerson *) g_ptr_array_index (self->authors, 0))->family;
}

/**
 * cb_reference_format_authors:
 * @self: a reference
 *
 * Returns: (transfer full): "Saha, S., Korthuis, P.T. and Beach, M.C."
 */
char *
cb_reference_format_authors (CbReference *self)
{
  GString *out;

  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->authors->len; i++)
    {
      CbPerson *person = g_ptr_array_index (self->authors, i);

      if (i > 0)
        g_string_append (out, (i + 1 == self->authors->len && !self->et_al) ? " and " : ", ");
      g_string_append (out, person->family);
      if (person->given != NULL)
        g_string_append_printf (out, ", %s", person->given);
    }

  if (self->et_al)
    g_string_append (out, ", et al.");
  if (self->editors)
    g_string_append (out, self->authors->len > 1 ? " (eds.)" : " (ed.)");

  return g_string_free (out, FALSE);
}

/**
 * cb_reference_dup_link:
 * @self: a reference
 *
 * Returns: (transfer full) (nullable): the DOI as an https://doi.org/ link,
 *   else the URL
 */
char *
cb_reference_dup_link (CbReference *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  if (self->doi != NULL)
    return g_strconcat ("https://doi.org/", self->doi, NULL);

  return g_strdup (self->url);
}

/**
 * cb_reference_dup_search_text:
 * @self: a reference
 *
 * Returns: (transfer full): the words of the reference a search should find
 */
char *
cb_reference_dup_search_text (CbReference *self)
{
  g_autofree char *authors = NULL;
  GString *out;

  g_return_val_if_fail (CB_IS_REFERENCE (self), NULL);

  authors = cb_reference_format_authors (self);
  out = g_string_new (authors);

  {
    const char *fields[] = { self->year, self->title, self->container, self->publisher,
                             self->place, self->doi, self->url };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        if (fields[i] != NULL)
          g_string_append_printf (out, "\n%s", fields[i]);
      }
  }

  return g_string_free (out, FALSE);
}

static char *
normalize_title (const char *title)
{
  g_autofree char *folded = NULL;
  GString *out;

  if (title == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (title, -1);
  out = g_string_new (NULL);
  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * cb_reference_same_work:
 * @self: a reference
 * @other: another reference
 *
 * Two citations name the same work when their DOIs match, or, where either
 * lacks a DOI, when year and title match once case and punctuation are
 * ignored.
 */
gboolean
cb_reference_same_work (CbReference *self,
                        CbReference *other)
{
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;

  g_return_val_if_fail (CB_IS_REFERENCE (self), FALSE);
  g_return_val_if_fail (CB_IS_REFERENCE (other), FALSE);

  if (self->doi != NULL && other->doi != NULL)
    return g_ascii_strcasecmp (self->doi, other->doi) == 0;

  title_a = normalize_title (self->title);
  title_b = normalize_title (other->title);

  return title_a[0] != '\0' &&
         g_strcmp0 (self->year, other->year) == 0 &&
         strcmp (title_a, title_b) == 0;
}

static gboolean
texts_equal (GPtrArray *a,
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

gboolean
cb_reference_equal (CbReference *self,
                    CbReference *other)
{
  g_return_val_if_fail (CB_IS_REFERENCE (self), FALSE);
  g_return_val_if_fail (CB_IS_REFERENCE (other), FALSE);

  if (self->authors->len != other->authors->len)
    return FALSE;

  for (guint i = 0; i < self->authors->len; i++)
    {
      CbPerson *a = g_ptr_array_index (self->authors, i);
      CbPerson *b = g_ptr_array_index (other->authors, i);

      if (g_strcmp0 (a->family, b->family) != 0 || g_strcmp0 (a->given, b->given) != 0)
        return FALSE;
    }

  return g_strcmp0 (self->id, other->id) == 0 &&
         g_strcmp0 (self->kind, other->kind) == 0 &&
         self->editors == other->editors &&
         self->et_al == other->et_al &&
         g_strcmp0 (self->year, other->year) == 0 &&
         g_strcmp0 (self->title, other->title) == 0 &&
         g_strcmp0 (self->container, other->container) == 0 &&
         g_strcmp0 (self->volume, other->volume) == 0 &&
         g_strcmp0 (self->issue, other->issue) == 0 &&
         g_strcmp0 (self->pages, other->pages) == 0 &&
         g_strcmp0 (self->publisher, other->publisher) == 0 &&
         g_strcmp0 (self->place, other->place) == 0 &&
         g_strcmp0 (self->doi, other->doi) == 0 &&
         g_strcmp0 (self->url, other->url) == 0 &&
         texts_equal (self->texts, other->texts);
}

/**
 * cb_doi_is_valid:
 * @doi: a DOI without the "doi:" or https://doi.org/ prefix
 *
 * Checks the form Crossref recommends: `10.<4-9 digits>/<suffix>` with the
 * suffix made of letters, digits and `-._;()/:`.
 */
gboolean
cb_doi_is_valid (const char *doi)
{
  const char *p;
  guint digits = 0;

  if (doi == NULL || !g_str_has_prefix (doi, "10."))
    return FALSE;

  for (p = doi + 3; g_ascii_isdigit (*p); p++)
    digits++;

  if (digits < 4 || digits > 9 || *p != '/' || p[1] == '\0')
    return FALSE;

  for (p++; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("-._;()/:", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}
