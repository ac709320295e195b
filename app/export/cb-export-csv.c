/* cb-export-csv.c: the pack as a spreadsheet (CSV, RFC 4180)
 *
 * One header row, then one row per entry in pack order. Records end in CRLF;
 * a field is quoted when it holds a comma, a quote, CR or LF, quotes inside
 * doubled. No byte order mark: the file is plain UTF-8.
 *
 * Formula injection: spreadsheets run a cell that starts with = + - or @
 * (and some also one that starts with a tab or CR) as a formula, so a note
 * saying "=HYPERLINK(...)" would become live. Such a field gets a leading
 * apostrophe ('=SUM(A1)), which spreadsheets show as text and hide; other
 * readers see the apostrophe. Numbers we write ourselves never start so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cb-error.h"
#include "cb-export-private.h"

static const char *columns[] = {
  "position", "item_id", "label", "title", "status", "chapter", "section", "page",
  "countries", "interventions", "design", "note", "citation",
};

static void
append_field (GString    *out,
              const char *value,
              gboolean    first)
{
  if (!first)
    g_string_append_c (out, ',');

  if (value == NULL)
    return;

  if (value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL)
    {
      /* See the top of the file: defuse formulas */
      g_autofree char *defused = g_strconcat ("'", value, NULL);

      append_field (out, defused, TRUE);
      return;
    }

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
join_ids (GPtrArray *ids)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      if (i > 0)
        g_string_append (out, "; ");
      g_string_append (out, g_ptr_array_index (ids, i));
    }

  return g_string_free (out, FALSE);
}

static char *
uint_or_empty (guint value)
{
  return value > 0 ? g_strdup_printf ("%u", value) : g_strdup ("");
}

GBytes *
_cb_export_csv (CbExportContext  *ctx,
                GError          **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    append_field (out, columns[i], i == 0);
  g_string_append (out, "\r\n");

  for (guint i = 0; i < cb_pack_get_n_entries (ctx->pack); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (ctx->pack, i);
      CbItem *item = g_ptr_array_index (ctx->items, i);
      g_autofree char *position = g_strdup_printf ("%u", i + 1);
      g_autofree char *label = _cb_export_dup_label (ctx, i);
      g_autofree char *chapter = uint_or_empty (item ? cb_item_get_chapter (item) : 0);
      g_autofree char *page = uint_or_empty (item ? cb_item_get_page (item) : 0);
      g_autofree char *countries = join_ids (item ? cb_item_get_countries (item) : NULL);
      g_autofree char *interventions = join_ids (item ? cb_item_get_interventions (item) : NULL);
      g_autofree char *citation = _cb_export_dup_citation (ctx, i);
      const char *status = item == NULL ? "missing" :
                           cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED ? "retired" : "current";
      const char *fields[] = {
        position,
        entry->item_id,
        label,
        _cb_export_get_title (ctx, i),
        status,
        chapter,
        item ? cb_item_get_section (item) : NULL,
        page,
        countries,
        interventions,
        item ? cb_item_get_design (item) : NULL,
        entry->note,
        citation,
      };

      G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (columns));

      if (g_cancellable_is_cancelled (ctx->cancellable))
        {
          g_set_error_literal (error, CB_ERROR, CB_ERROR_CANCELLED, _("The export was cancelled"));
          return NULL;
        }

      for (guint j = 0; j < G_N_ELEMENTS (fields); j++)
        append_field (out, fields[j], j == 0);
      g_string_append (out, "\r\n");
    }

  len = out->len;

  return g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), len);
}
