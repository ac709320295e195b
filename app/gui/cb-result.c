/* cb-result.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <string.h>

#include "cb-result.h"

struct _CbResult
{
  GObject   parent_instance;

  char     *id;
  char     *kind;
  char     *number;
  char     *title;
  guint     chapter;
  char    **countries;
  char     *snippet;
};

G_DEFINE_FINAL_TYPE (CbResult, cb_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SNIPPET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cb_result_finalize (GObject *object)
{
  CbResult *self = (CbResult *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->number);
  g_free (self->title);
  g_strfreev (self->countries);
  g_free (self->snippet);

  G_OBJECT_CLASS (cb_result_parent_class)->finalize (object);
}

static void
cb_result_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CbResult *self = CB_RESULT (object);

  switch (prop_id)
    {
    case PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_result_class_init (CbResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cb_result_finalize;
  object_class->get_property = cb_result_get_property;

  /**
   * CbResult:snippet:
   *
   * Pango markup of an extract with the matched words in bold; %NULL until
   * it has been loaded.
   */
  properties[PROP_SNIPPET] =
    g_param_spec_string ("snippet", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_result_init (CbResult *self)
{
}

CbResult *
cb_result_new (const char         *id,
               const char         *kind,
               const char         *number,
               const char         *title,
               guint               chapter,
               const char * const *countries)
{
  CbResult *self = g_object_new (CB_TYPE_RESULT, NULL);

  self->id = g_strdup (id);
  self->kind = g_strdup (kind);
  self->number = g_strdup (number);
  self->title = g_strdup (title);
  self->chapter = chapter;
  self->countries = g_strdupv ((char **) countries);

  return self;
}

const char *
cb_result_get_id (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), NULL);

  return self->id;
}

const char *
cb_result_get_kind (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), NULL);

  return self->kind;
}

/**
 * cb_result_get_number:
 * @self: a result
 *
 * Returns: (nullable): the item number
 */
const char *
cb_result_get_number (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), NULL);

  return self->number;
}

const char *
cb_result_get_title (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), NULL);

  return self->title;
}

/**
 * cb_result_get_chapter:
 * @self: a result
 *
 * Returns: the chapter, or 0 for front and back matter
 */
guint
cb_result_get_chapter (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), 0);

  return self->chapter;
}

/**
 * cb_result_get_countries:
 * @self: a result
 *
 * Returns: (transfer none): country codes
 */
const char * const *
cb_result_get_countries (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), NULL);

  return (const char * const *) self->countries;
}

/**
 * cb_result_get_snippet:
 * @self: a result
 *
 * Returns: (nullable): the snippet markup once loaded
 */
const char *
cb_result_get_snippet (CbResult *self)
{
  g_return_val_if_fail (CB_IS_RESULT (self), NULL);

  return self->snippet;
}

void
cb_result_set_snippet (CbResult   *self,
                       const char *markup)
{
  g_return_if_fail (CB_IS_RESULT (self));

  if (g_strcmp0 (self->snippet, markup) == 0)
    return;

  g_free (self->snippet);
  self->snippet = g_strdup (markup);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNIPPET]);
}

/**
 * cb_snippet_to_markup:
 * @snippet: an extract with the store's marks around matched words
 * @mark_start: the opening mark used
 * @mark_end: the closing mark used
 *
 * Escapes the text between the marks, then turns the marks into bold, so
 * no corpus text can become markup.
 *
 * Returns: (transfer full): Pango markup
 */
char *
cb_snippet_to_markup (const char *snippet,
                      const char *mark_start,
                      const char *mark_end)
{
  GString *out = g_string_new (NULL);
  const char *p = snippet;
  gboolean open = FALSE;

  while (p != NULL && *p)
    {
      const char *next = strstr (p, open ? mark_end : mark_start);
      g_autofree char *piece = g_strndup (p, next ? (gsize) (next - p) : strlen (p));
      g_autofree char *escaped = g_markup_escape_text (piece, -1);

      g_string_append (out, escaped);
      if (next == NULL)
        break;

      g_string_append (out, open ? "</b>" : "<b>");
      open = !open;
      p = next + strlen (open ? mark_start : mark_end);
    }

  if (open)
    g_string_append (out, "</b>");

  return g_string_free (out, FALSE);
}
