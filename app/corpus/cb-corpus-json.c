/* cb-corpus-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include "cb-corpus-json.h"

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_uint_or_null (JsonBuilder *builder,
                  const char  *name,
                  guint        value)
{
  json_builder_set_member_name (builder, name);
  if (value != 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_strings (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (values, i));
  json_builder_end_array (builder);
}

static void
add_spans (JsonBuilder *builder,
           const char  *name,
           GPtrArray   *spans)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; spans && i < spans->len; i++)
    {
      CbSpan *span = g_ptr_array_index (spans, i);

      json_builder_begin_object (builder);
      add_string (builder, "text", span->text);
      if (span->flags & CB_SPAN_STRONG)
        {
          json_builder_set_member_name (builder, "strong");
          json_builder_add_boolean_value (builder, TRUE);
        }
      if (span->flags & CB_SPAN_EMPHASIS)
        {
          json_builder_set_member_name (builder, "emphasis");
          json_builder_add_boolean_value (builder, TRUE);
        }
      if (span->href != NULL)
        add_string (builder, "href", span->href);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
build_block (JsonBuilder *builder,
             CbBlock     *block)
{
  static const char *types[] = {
    [CB_BLOCK_PARAGRAPH] = "paragraph", [CB_BLOCK_HEADING] = "heading",
    [CB_BLOCK_LIST] = "list", [CB_BLOCK_LIST_ITEM] = "list-item",
    [CB_BLOCK_TABLE] = "table", [CB_BLOCK_ROW] = "row", [CB_BLOCK_CELL] = "cell",
    [CB_BLOCK_ITEM_REF] = "item-ref",
  };

  json_builder_begin_object (builder);
  add_string (builder, "type", types[block->kind]);

  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
    case CB_BLOCK_HEADING:
    case CB_BLOCK_LIST_ITEM:
      {
        g_autofree char *text = cb_spans_to_text (block->spans);

        if (block->number != NULL)
          add_string (builder, "number", block->number);
        if (block->lead != NULL)
          {
            g_autofree char *lead = cb_spans_to_text (block->lead);

            add_string (builder, "lead", lead);
          }
        add_string (builder, "text", text);
        add_spans (builder, "spans", block->spans);
      }
      break;

    case CB_BLOCK_LIST:
      json_builder_set_member_name (builder, "ordered");
      json_builder_add_boolean_value (builder, block->ordered);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      for (guint i = 0; i < block->children->len; i++)
        build_block (builder, g_ptr_array_index (block->children, i));
      json_builder_end_array (builder);
      break;

    case CB_BLOCK_TABLE:
      json_builder_set_member_name (builder, "rows");
      json_builder_begin_array (builder);
      for (guint i = 0; i < block->children->len; i++)
        build_block (builder, g_ptr_array_index (block->children, i));
      json_builder_end_array (builder);
      break;

    case CB_BLOCK_ROW:
      json_builder_set_member_name (builder, "header");
      json_builder_add_boolean_value (builder, block->header);
      json_builder_set_member_name (builder, "cells");
      json_builder_begin_array (builder);
      for (guint i = 0; i < block->children->len; i++)
        build_block (builder, g_ptr_array_index (block->children, i));
      json_builder_end_array (builder);
      break;

    case CB_BLOCK_CELL:
      json_builder_set_member_name (builder, "blocks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < block->children->len; i++)
        build_block (builder, g_ptr_array_index (block->children, i));
      json_builder_end_array (builder);
      break;

    case CB_BLOCK_ITEM_REF:
      add_string (builder, "ref", block->ref);
      break;

    default:
      break;
    }

  json_builder_end_object (builder);
}

/**
 * cb_block_to_json:
 * @block: a block
 *
 * Returns: (transfer full): the block as a JSON object
 */
JsonNode *
cb_block_to_json (CbBlock *block)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_block (builder, block);

  return json_builder_get_root (builder);
}

static void
build_reference (JsonBuilder *builder,
                 CbReference *reference)
{
  GPtrArray *authors = cb_reference_get_authors (reference);
  g_autofree char *link = cb_reference_dup_link (reference);

  json_builder_begin_object (builder);
  add_string (builder, "id", cb_reference_get_id (reference));
  add_string (builder, "kind", cb_reference_get_kind (reference));
  json_builder_set_member_name (builder, "authors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < authors->len; i++)
    {
      CbPerson *person = g_ptr_array_index (authors, i);

      json_builder_begin_object (builder);
      add_string (builder, "family", person->family);
      add_string (builder, "given", person->given);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "editors");
  json_builder_add_boolean_value (builder, cb_reference_get_editors (reference));
  json_builder_set_member_name (builder, "et_al");
  json_builder_add_boolean_value (builder, cb_reference_get_et_al (reference));
  add_string (builder, "year", cb_reference_get_year (reference));
  add_string (builder, "title", cb_reference_get_title (reference));
  add_string (builder, "container", cb_reference_get_container (reference));
  add_string (builder, "volume", cb_reference_get_volume (reference));
  add_string (builder, "issue", cb_reference_get_issue (reference));
  add_string (builder, "pages", cb_reference_get_pages (reference));
  add_string (builder, "publisher", cb_reference_get_publisher (reference));
  add_string (builder, "place", cb_reference_get_place (reference));
  add_string (builder, "doi", cb_reference_get_doi (reference));
  add_string (builder, "url", cb_reference_get_url (reference));
  add_string (builder, "link", link);
  add_string (builder, "text", cb_reference_get_text (reference));
  json_builder_end_object (builder);
}

/**
 * cb_reference_to_json:
 * @reference: a reference
 *
 * Returns: (transfer full): the full reference record
 */
JsonNode *
cb_reference_to_json (CbReference *reference)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_reference (builder, reference);

  return json_builder_get_root (builder);
}

/**
 * cb_item_to_json:
 * @item: an item
 * @corpus: (nullable): the corpus, to resolve references when @full
 * @full: whether to add parts, full references and history
 *
 * Returns: (transfer full): the item as a JSON object with `id`, `kind`,
 *   `number`, `title`, `chapter`, `section`, `page`, `status`, `countries`,
 *   `interventions`, `design` and `references` (ids)
 */
JsonNode *
cb_item_to_json (CbItem   *item,
                 CbCorpus *corpus,
                 gboolean  full)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "id", cb_item_get_id (item));
  add_string (builder, "kind", cb_item_kind_to_string (cb_item_get_kind (item)));
  add_string (builder, "number", cb_item_get_number (item));
  add_string (builder, "title", cb_item_get_title (item));
  add_uint_or_null (builder, "chapter", cb_item_get_chapter (item));
  add_string (builder, "section", cb_item_get_section (item));
  add_uint_or_null (builder, "page", cb_item_get_page (item));
  add_string (builder, "status", cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED ? "retired" : "active");
  add_strings (builder, "countries", cb_item_get_countries (item));
  add_strings (builder, "interventions", cb_item_get_interventions (item));
  add_string (builder, "design", cb_item_get_design (item));
  add_strings (builder, "references", cb_item_get_references (item));

  if (full)
    {
      GPtrArray *parts = cb_item_get_parts (item);
      GPtrArray *refs = cb_item_get_references (item);
      GPtrArray *history = cb_item_get_history (item);

      add_string (builder, "origin", cb_item_get_origin (item));
      add_string (builder, "reference_note", cb_item_get_reference_note (item));

      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < parts->len; i++)
        {
          CbPart *part = g_ptr_array_index (parts, i);

          json_builder_begin_object (builder);
          add_string (builder, "name", part->name);
          json_builder_set_member_name (builder, "blocks");
          json_builder_begin_array (builder);
          for (guint j = 0; j < part->blocks->len; j++)
            build_block (builder, g_ptr_array_index (part->blocks, j));
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "reference_records");
      json_builder_begin_array (builder);
      for (guint i = 0; corpus && i < refs->len; i++)
        {
          CbReference *reference = cb_corpus_lookup_reference (corpus, g_ptr_array_index (refs, i));

          if (reference != NULL)
            build_reference (builder, reference);
        }
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "history");
      json_builder_begin_array (builder);
      for (guint i = 0; i < history->len; i++)
        {
          CbRevision *revision = g_ptr_array_index (history, i);

          json_builder_begin_object (builder);
          add_string (builder, "date", revision->date);
          add_string (builder, "author", revision->author);
          add_string (builder, "summary", revision->summary);
          json_builder_set_member_name (builder, "changes");
          json_builder_begin_array (builder);
          for (guint j = 0; j < revision->changes->len; j++)
            {
              CbChange *change = g_ptr_array_index (revision->changes, j);

              json_builder_begin_object (builder);
              add_string (builder, "field", change->field);
              add_string (builder, "before", change->before);
              add_string (builder, "after", change->after);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * cb_anomaly_to_json:
 * @anomaly: an anomaly
 *
 * Returns: (transfer full): {severity, code, line, item, message}
 */
JsonNode *
cb_anomaly_to_json (CbAnomaly *anomaly)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "severity", cb_severity_to_string (anomaly->severity));
  add_string (builder, "code", anomaly->code);
  add_uint_or_null (builder, "line", anomaly->line);
  add_string (builder, "item", anomaly->item);
  add_string (builder, "message", anomaly->message);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * cb_json_to_string:
 * @node: a JSON node
 * @pretty: indent
 *
 * Returns: (transfer full): the JSON text
 */
char *
cb_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}
