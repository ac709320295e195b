/* cb-catalog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-store"

#include "config.h"

#include "cb-catalog.h"

struct _CbCatalogBuilder
{
  CbCatalog *catalog;
  GPtrArray *ids;
  GPtrArray *titles;
  GPtrArray *numbers;
  GArray    *retired;
  GArray    *offsets[CB_N_FACETS];
  GArray    *value_ids[CB_N_FACETS];
};

CbCatalogBuilder *
cb_catalog_builder_new (void)
{
  CbCatalogBuilder *builder = g_new0 (CbCatalogBuilder, 1);
  CbCatalog *catalog = g_new0 (CbCatalog, 1);

  g_atomic_ref_count_init (&catalog->ref);
  catalog->strings = g_string_chunk_new (64 * 1024);
  catalog->by_id = g_hash_table_new (g_str_hash, g_str_equal);

  builder->catalog = catalog;
  builder->ids = g_ptr_array_new ();
  builder->titles = g_ptr_array_new ();
  builder->numbers = g_ptr_array_new ();
  builder->retired = g_array_new (FALSE, FALSE, sizeof (guint8));

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      guint32 zero = 0;

      catalog->values[f] = g_ptr_array_new ();
      catalog->value_index[f] = g_hash_table_new (g_str_hash, g_str_equal);
      builder->offsets[f] = g_array_new (FALSE, FALSE, sizeof (guint32));
      builder->value_ids[f] = g_array_new (FALSE, FALSE, sizeof (guint16));
      g_array_append_val (builder->offsets[f], zero);
    }

  return builder;
}

static void
close_item (CbCatalogBuilder *builder)
{
  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      guint32 end = builder->value_ids[f]->len;

      g_array_append_val (builder->offsets[f], end);
    }
}

/**
 * cb_catalog_builder_add_item:
 * @builder: a builder
 * @id: the item id
 * @title: its title
 * @number: (nullable): its number
 * @retired: whether it left search
 *
 * Starts the next item, in guide order; its facet values follow with
 * cb_catalog_builder_add_value().
 */
void
cb_catalog_builder_add_item (CbCatalogBuilder *builder,
                             const char       *id,
                             const char       *title,
                             const char       *number,
                             gboolean          retired)
{
  CbCatalog *catalog = builder->catalog;
  char *stored_id = g_string_chunk_insert (catalog->strings, id);
  guint8 flag = retired ? 1 : 0;

  if (builder->ids->len > 0)
    close_item (builder);

  g_ptr_array_add (builder->ids, stored_id);
  g_ptr_array_add (builder->titles, g_string_chunk_insert (catalog->strings, title ? title : ""));
  g_ptr_array_add (builder->numbers, number ? g_string_chunk_insert (catalog->strings, number) : NULL);
  g_array_append_val (builder->retired, flag);
  g_hash_table_insert (catalog->by_id, stored_id, GUINT_TO_POINTER (builder->ids->len));
}

void
cb_catalog_builder_add_value (CbCatalogBuilder *builder,
                              CbFacet           facet,
                              const char       *value)
{
  CbCatalog *catalog = builder->catalog;
  gpointer index;
  guint16 id;

  g_return_if_fail (builder->ids->len > 0);
  g_return_if_fail (facet < CB_N_FACETS);

  if (value == NULL)
    return;

  index = g_hash_table_lookup (catalog->value_index[facet], value);
  if (index == NULL)
    {
      char *stored;

      if (catalog->values[facet]->len >= CB_CATALOG_NONE - 1)
        return;

      stored = g_string_chunk_insert_const (catalog->strings, value);
      g_ptr_array_add (catalog->values[facet], stored);
      index = GUINT_TO_POINTER (catalog->values[facet]->len);
      g_hash_table_insert (catalog->value_index[facet], stored, index);
    }

  id = GPOINTER_TO_UINT (index) - 1;
  g_array_append_val (builder->value_ids[facet], id);
}

guint
cb_catalog_builder_get_n_items (CbCatalogBuilder *builder)
{
  return builder->ids->len;
}

/**
 * cb_catalog_builder_set_column_sizes:
 * @builder: a builder
 * @sizes: (transfer full) (nullable): the column lengths of every item
 *
 * Lengths that do not describe exactly the items added are dropped when
 * the catalog is made.
 */
void
cb_catalog_builder_set_column_sizes (CbCatalogBuilder *builder,
                                     CbColumnSizes    *sizes)
{
  CbCatalog *catalog = builder->catalog;

  g_clear_pointer (&catalog->column_sizes, cb_column_sizes_free);
  catalog->column_sizes = sizes;
}

/**
 * cb_catalog_builder_end:
 * @builder: (transfer full): a builder
 *
 * Returns: (transfer full): the catalog
 */
CbCatalog *
cb_catalog_builder_end (CbCatalogBuilder *builder)
{
  CbCatalog *catalog = builder->catalog;

  if (builder->ids->len > 0)
    close_item (builder);

  catalog->n_items = builder->ids->len;
  catalog->ids = (char **) g_ptr_array_free (builder->ids, FALSE);
  catalog->titles = (char **) g_ptr_array_free (builder->titles, FALSE);
  catalog->numbers = (char **) g_ptr_array_free (builder->numbers, FALSE);
  catalog->retired = (guint8 *) g_array_free (builder->retired, FALSE);
  if (catalog->column_sizes != NULL && catalog->column_sizes->n_rows != catalog->n_items)
    g_clear_pointer (&catalog->column_sizes, cb_column_sizes_free);

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      catalog->offsets[f] = (guint32 *) g_array_free (builder->offsets[f], FALSE);
      catalog->value_ids[f] = (guint16 *) g_array_free (builder->value_ids[f], FALSE);
    }

  g_free (builder);

  return catalog;
}

CbCatalog *
cb_catalog_ref (CbCatalog *catalog)
{
  g_atomic_ref_count_inc (&catalog->ref);

  return catalog;
}

void
cb_catalog_unref (CbCatalog *catalog)
{
  if (catalog == NULL || !g_atomic_ref_count_dec (&catalog->ref))
    return;

  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      g_ptr_array_unref (catalog->values[f]);
      g_hash_table_unref (catalog->value_index[f]);
      g_free (catalog->offsets[f]);
      g_free (catalog->value_ids[f]);
    }

  g_hash_table_unref (catalog->by_id);
  g_free (catalog->ids);
  g_free (catalog->titles);
  g_free (catalog->numbers);
  g_free (catalog->retired);
  g_string_chunk_free (catalog->strings);
  cb_column_sizes_free (catalog->column_sizes);
  g_free (catalog);
}

/**
 * cb_catalog_lookup:
 * @catalog: a catalog
 * @id: an item id
 *
 * Returns: the item's index, or -1
 */
gint
cb_catalog_lookup (CbCatalog  *catalog,
                   const char *id)
{
  return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (catalog->by_id, id)) - 1;
}

/**
 * cb_catalog_value_index:
 * @catalog: a catalog
 * @facet: a dimension
 * @value: a value
 *
 * Returns: the value's index in `values[facet]`, or -1 if no item has it
 */
gint
cb_catalog_value_index (CbCatalog  *catalog,
                        CbFacet     facet,
                        const char *value)
{
  return (gint) GPOINTER_TO_UINT (g_hash_table_lookup (catalog->value_index[facet], value)) - 1;
}
