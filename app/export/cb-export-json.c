/* cb-export-json.c: the pack as JSON, for other programs
 *
 *   {
 *     "format": "casebook-pack-export", "version": 1, "generated": "...",
 *     "pack": { "name", "description", "audience", "date", "created", "modified" },
 *     "guide": { "citation" },
 *     "items": [ { "position" (from 1), "id", "label", "title",
 *                  "status" ("current", "retired" or "missing"),
 *                  "chapter", "section", "page", "location",
 *                  "countries": [ids], "interventions": [ids], "design",
 *                  "note", "citation",
 *                  "parts": [ { "name", "label", "text" } ],
 *                  "references": [ids] } ],
 *     "references": [ { "id", "kind", "authors": [ { "family", "given" } ],
 *                       "editors", "et_al", "year", "title", "container",
 *                       "volume", "issue", "pages", "publisher", "place",
 *                       "doi", "url", "text" } ]
 *   }
 *
 * A value the item or reference does not have is null; lists are empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cb-corpus-json.h"
#include "cb-error.h"
#include "cb-export-private.h"

#define CB_JSON_EXPORT_VERSION 1

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_uint (JsonBuilder *builder,
          const char  *member,
          guint        value)
{
  json_builder_set_member_name (builder, member);
  if (value > 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *member,
                  GPtrArray   *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && i < values->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (values, i));
  json_builder_end_array (builder);
}

static void
add_parts (JsonBuilder *builder,
           CbItem      *item)
{
  GPtrArray *parts = item ? cb_item_get_parts (item) : NULL;

  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint j = 0; j < part->blocks->len; j++)
        cb_block_append_text (g_ptr_array_index (part->blocks, j), text);
      g_strchomp (text->str);

      json_builder_begin_object (builder);
      add_string (builder, "name", part->name);
      add_string (builder, "label", cb_part_name_label (part->name));
      add_string (builder, "text", text->str);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_item (CbExportContext *ctx,
          JsonBuilder     *builder,
          guint            position)
{
  CbPackEntry *entry = cb_pack_get_entry (ctx->pack, position);
  CbItem *item = g_ptr_array_index (ctx->items, position);
  g_autofree char *label = _cb_export_dup_label (ctx, position);
  g_autofree char *location = _cb_export_dup_location (ctx, position);
  g_autofree char *citation = _cb_export_dup_citation (ctx, position);
  const char *status = item == NULL ? "missing" :
                       cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED ? "retired" : "current";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, position + 1);
  add_string (builder, "id", entry->item_id);
  add_string (builder, "label", label);
  add_string (builder, "title", _cb_export_get_title (ctx, position));
  add_string (builder, "status", status);
  add_uint (builder, "chapter", item ? cb_item_get_chapter (item) : 0);
  add_string (builder, "section", item ? cb_item_get_section (item) : NULL);
  add_uint (builder, "page", item ? cb_item_get_page (item) : 0);
  add_string (builder, "location", location && *location ? location : NULL);
  add_string_array (builder, "countries", item ? cb_item_get_countries (item) : NULL);
  add_string_array (builder, "interventions", item ? cb_item_get_interventions (item) : NULL);
  add_string (builder, "design", item ? cb_item_get_design (item) : NULL);
  add_string (builder, "note", entry->note);
  add_string (builder, "citation", citation);
  add_parts (builder, item);
  add_string_array (builder, "references", item ? cb_item_get_references (item) : NULL);
  json_builder_end_object (builder);
}

/* JSON is UTF-8: refuse text that is not, naming where it is */
static gboolean
check_utf8 (CbExportContext  *ctx,
            GError          **error)
{
  CbPack *pack = ctx->pack;
  const char *fields[] = {
    cb_pack_get_name (pack), cb_pack_get_description (pack), cb_pack_get_audience (pack),
    cb_pack_get_date (pack), cb_pack_get_created (pack), cb_pack_get_modified (pack),
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (!g_utf8_validate (fields[i], -1, NULL))
        {
          g_set_error_literal (error, CB_ERROR, CB_ERROR_INVALID,
                               _("The pack’s details are not valid UTF-8 text"));
          return FALSE;
        }
    }

  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (pack, i);

      if (!g_utf8_validate (entry->item_id, -1, NULL) || !g_utf8_validate (entry->label, -1, NULL) ||
          !g_utf8_validate (entry->title, -1, NULL) || !g_utf8_validate (entry->note, -1, NULL))
        {
          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       _("Entry %u of the pack is not valid UTF-8 text"), i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

GBytes *
_cb_export_json (CbExportContext  *ctx,
                 GError          **error)
{
  CbPack *pack = ctx->pack;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  char *data;
  gsize len;

  if (!check_utf8 (ctx, error))
    return NULL;

  json_builder_begin_object (builder);
  add_string (builder, "format", "casebook-pack-export");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, CB_JSON_EXPORT_VERSION);
  add_string (builder, "generated", ctx->generated);

  json_builder_set_member_name (builder, "pack");
  json_builder_begin_object (builder);
  add_string (builder, "name", cb_pack_get_name (pack));
  add_string (builder, "description", cb_pack_get_description (pack));
  add_string (builder, "audience", cb_pack_get_audience (pack));
  add_string (builder, "date", cb_pack_get_date (pack));
  add_string (builder, "created", cb_pack_get_created (pack));
  add_string (builder, "modified", cb_pack_get_modified (pack));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "guide");
  json_builder_begin_object (builder);
  add_string (builder, "citation", ctx->guide_citation);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      if (_cb_export_check_cancelled (ctx, error))
        return NULL;
      add_item (ctx, builder, i);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "references");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ctx->references->len; i++)
    json_builder_add_value (builder, cb_reference_to_json (g_ptr_array_index (ctx->references, i)));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);

  /* End the file with a newline, as text files do */
  data = g_realloc (data, len + 2);
  data[len++] = '\n';
  data[len] = '\0';

  return g_bytes_new_take (data, len);
}
