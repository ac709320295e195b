/* cb-taxonomy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-error.h"
#include "cb-taxonomy.h"
#include "cb-xml.h"

#define N_DIMENSIONS 3

struct _CbTaxonomy
{
  GObject     parent_instance;

  GPtrArray  *terms[N_DIMENSIONS];
  GHashTable *by_id[N_DIMENSIONS];
  GHashTable *by_name[N_DIMENSIONS];
};

G_DEFINE_FINAL_TYPE (CbTaxonomy, cb_taxonomy, G_TYPE_OBJECT)

static void
cb_term_free (CbTerm *term)
{
  g_free (term->id);
  g_free (term->label);
  g_free (term->description);
  g_strfreev (term->synonyms);
  g_free (term);
}

static void
cb_taxonomy_finalize (GObject *object)
{
  CbTaxonomy *self = (CbTaxonomy *) object;

  for (guint i = 0; i < N_DIMENSIONS; i++)
    {
      g_clear_pointer (&self->by_name[i], g_hash_table_unref);
      g_clear_pointer (&self->by_id[i], g_hash_table_unref);
      g_clear_pointer (&self->terms[i], g_ptr_array_unref);
    }

  G_OBJECT_CLASS (cb_taxonomy_parent_class)->finalize (object);
}

static void
cb_taxonomy_class_init (CbTaxonomyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cb_taxonomy_finalize;
}

static void
cb_taxonomy_init (CbTaxonomy *self)
{
  for (guint i = 0; i < N_DIMENSIONS; i++)
    {
      self->terms[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_term_free);
      self->by_id[i] = g_hash_table_new (g_str_hash, g_str_equal);
      self->by_name[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
}

/* "U.S.", "Aotearoa", "Māori" -> "us", "aotearoa", "maori" */
static char *
fold_name (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }

  return g_string_free (out, FALSE);
}

static void
index_name (CbTaxonomy          *self,
            CbTaxonomyDimension  dimension,
            const char          *name,
            CbTerm              *term)
{
  char *key = fold_name (name);

  if (*key == '\0' || g_hash_table_contains (self->by_name[dimension], key))
    {
      g_free (key);
      return;
    }

  g_hash_table_insert (self->by_name[dimension], key, term);
}

static gboolean
load_terms (CbTaxonomy           *self,
            CbTaxonomyDimension   dimension,
            xmlNodePtr            group,
            const char           *path,
            GError              **error)
{
  const char *id_attr = dimension == CB_TAXONOMY_COUNTRY ? "code" : "id";
  const char *label_element = dimension == CB_TAXONOMY_COUNTRY ? "name" : "label";

  for (xmlNodePtr node = group->children; node != NULL; node = node->next)
    {
      g_autoptr(GPtrArray) synonyms = g_ptr_array_new_with_free_func (g_free);
      CbTerm *term;

      if (node->type != XML_ELEMENT_NODE)
        continue;

      term = g_new0 (CbTerm, 1);
      term->id = cb_xml_node_get_attr (node, id_attr);

      if (dimension == CB_TAXONOMY_DESIGN)
        {
          g_autofree char *rank = cb_xml_node_get_attr (node, "rank");

          term->rank = (guint) g_ascii_strtoull (rank, NULL, 10);
        }

      for (xmlNodePtr child = node->children; child != NULL; child = child->next)
        {
          if (cb_xml_node_is (child, label_element))
            term->label = g_strstrip (cb_xml_node_get_text (child));
          else if (cb_xml_node_is (child, "description"))
            term->description = g_strstrip (cb_xml_node_get_text (child));
          else if (cb_xml_node_is (child, "synonym"))
            g_ptr_array_add (synonyms, g_strstrip (cb_xml_node_get_text (child)));
        }

      g_ptr_array_add (synonyms, NULL);
      term->synonyms = (char **) g_ptr_array_steal (synonyms, NULL);

      if (g_hash_table_contains (self->by_id[dimension], term->id))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("%s:%d: “%s” is defined twice"),
                       path, (int) xmlGetLineNo (node), term->id);
          cb_term_free (term);
          return FALSE;
        }

      g_ptr_array_add (self->terms[dimension], term);
      g_hash_table_insert (self->by_id[dimension], term->id, term);
      index_name (self, dimension, term->id, term);
      index_name (self, dimension, term->label, term);
      for (guint i = 0; term->synonyms[i]; i++)
        index_name (self, dimension, term->synonyms[i], term);
    }

  return TRUE;
}

/**
 * cb_taxonomy_new_from_file:
 * @path: a taxonomy XML file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the taxonomy, or %NULL if the file is missing,
 *   malformed, breaks the schema or defines an id twice
 */
CbTaxonomy *
cb_taxonomy_new_from_file (const char  *path,
                           GError     **error)
{
  g_autoptr(CbTaxonomy) self = NULL;
  xmlDocPtr doc;
  xmlNodePtr root;
  gboolean ok = TRUE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((doc = cb_xml_read_file (path, "taxonomy", error)) == NULL)
    return NULL;

  self = g_object_new (CB_TYPE_TAXONOMY, NULL);
  root = xmlDocGetRootElement (doc);

  for (xmlNodePtr node = root->children; node != NULL && ok; node = node->next)
    {
      if (cb_xml_node_is (node, "countries"))
        ok = load_terms (self, CB_TAXONOMY_COUNTRY, node, path, error);
      else if (cb_xml_node_is (node, "interventions"))
        ok = load_terms (self, CB_TAXONOMY_INTERVENTION, node, path, error);
      else if (cb_xml_node_is (node, "designs"))
        ok = load_terms (self, CB_TAXONOMY_DESIGN, node, path, error);
    }

  xmlFreeDoc (doc);

  return ok ? g_steal_pointer (&self) : NULL;
}

/**
 * cb_taxonomy_get_default:
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the bundled taxonomy, loaded once per process
 */
CbTaxonomy *
cb_taxonomy_get_default (GError **error)
{
  static GMutex lock;
  static CbTaxonomy *taxonomy;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  if (taxonomy == NULL)
    {
      g_autofree char *path = cb_get_taxonomy_path ();

      taxonomy = cb_taxonomy_new_from_file (path, error);
      if (taxonomy == NULL)
        return NULL;
    }

  return g_object_ref (taxonomy);
}

/**
 * cb_taxonomy_get_terms:
 * @self: a taxonomy
 * @dimension: which list
 *
 * Returns: (transfer none) (element-type CbTerm): the terms in file order
 */
GPtrArray *
cb_taxonomy_get_terms (CbTaxonomy          *self,
                       CbTaxonomyDimension  dimension)
{
  g_return_val_if_fail (CB_IS_TAXONOMY (self), NULL);
  g_return_val_if_fail (dimension < N_DIMENSIONS, NULL);

  return self->terms[dimension];
}

/**
 * cb_taxonomy_lookup:
 * @self: a taxonomy
 * @dimension: which list
 * @id: an exact code or id
 *
 * Returns: (nullable) (transfer none): the term
 */
const CbTerm *
cb_taxonomy_lookup (CbTaxonomy          *self,
                    CbTaxonomyDimension  dimension,
                    const char          *id)
{
  g_return_val_if_fail (CB_IS_TAXONOMY (self), NULL);
  g_return_val_if_fail (dimension < N_DIMENSIONS, NULL);

  if (id == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_id[dimension], id);
}

/**
 * cb_taxonomy_resolve:
 * @self: a taxonomy
 * @dimension: which list
 * @text: what a person typed: a code, id, name or synonym, in any case,
 *   with or without accents and punctuation ("uk", "Aotearoa", "U.S.")
 *
 * Returns: (nullable) (transfer none): the term
 */
const CbTerm *
cb_taxonomy_resolve (CbTaxonomy          *self,
                     CbTaxonomyDimension  dimension,
                     const char          *text)
{
  g_autofree char *key = NULL;
  const CbTerm *term;

  g_return_val_if_fail (CB_IS_TAXONOMY (self), NULL);
  g_return_val_if_fail (dimension < N_DIMENSIONS, NULL);

  if (text == NULL)
    return NULL;

  if ((term = cb_taxonomy_lookup (self, dimension, text)) != NULL)
    return term;

  key = fold_name (text);

  return g_hash_table_lookup (self->by_name[dimension], key);
}

/**
 * cb_taxonomy_label:
 * @self: a taxonomy
 * @dimension: which list
 * @id: an id
 *
 * Returns: the label of @id, or @id itself when unknown
 */
const char *
cb_taxonomy_label (CbTaxonomy          *self,
                   CbTaxonomyDimension  dimension,
                   const char          *id)
{
  const CbTerm *term = cb_taxonomy_lookup (self, dimension, id);

  return term ? term->label : id;
}
