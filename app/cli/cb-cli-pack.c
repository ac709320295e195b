/* cb-cli-pack.c: casebook-cli pack: make, change, export and import
 * evidence packs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cb-cli.h"
#include "cb-cli-private.h"
#include "cb-error.h"
#include "cb-export.h"
#include "cb-pack-file.h"
#include "cb-pack-store.h"
#include "cb-taxonomy.h"

static CbPackStore *
open_packs (Globals *globals)
{
  g_autofree char *index_path = globals->db_path ? g_strdup (globals->db_path) : cb_store_get_default_path ();
  g_autofree char *path = cb_pack_store_get_default_path (index_path);
  g_autoptr(GError) error = NULL;
  CbPackStore *packs = cb_pack_store_open (path, &error);

  if (packs == NULL)
    cb_cli_print_error ("%s", error->message);

  return packs;
}

/* Looks a pack up by name and prints the error; 0 when there is none. */
static gint64
find_pack (CbPackStore *packs,
           const char  *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cb_pack_store_lookup (packs, name, &error);

  if (id == 0)
    {
      cb_cli_print_error ("%s", error->message);
      if (g_error_matches (error, CB_ERROR, CB_ERROR_NOT_FOUND))
        fprintf (stderr, _("See “casebook-cli pack list”.\n"));
    }

  return id;
}

/* @error is a pointer to the error, read only after @ok has been computed:
 * report (f (&error), &error) must not read the error before f() sets it */
/* Opens the packs and finds the one called @name; prints why not */
static gboolean
open_pack (Globals      *globals,
           const char   *name,
           CbPackStore **packs,
           gint64       *id)
{
  if ((*packs = open_packs (globals)) == NULL)
    return FALSE;

  return (*id = find_pack (*packs, name)) != 0;
}

static int
report (gboolean   ok,
        GError   **error)
{
  if (!ok)
    {
      cb_cli_print_error ("%s", (*error)->message);
      return CB_EXIT_FAILURE;
    }

  return CB_EXIT_OK;
}

/* Reads a 1-based position; returns FALSE on anything else. */
static gboolean
parse_position (const char *text,
                guint      *position)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &value, NULL))
    return FALSE;

  *position = (guint) value - 1;

  return TRUE;
}

/* pack new */

static int
cmd_new (Globals  *globals,
         int       argc,
         char    **argv)
{
  g_autofree char *description = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *date = NULL;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("What the pack is for"), N_("TEXT") },
    { "audience", 0, 0, G_OPTION_ARG_STRING, &audience, N_("Who it is for"), N_("TEXT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("When it will be used"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cb_cli_parse_command ("pack new", _("NAME"), _("Make a new, empty evidence pack."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if ((packs = open_packs (globals)) == NULL)
    return CB_EXIT_FAILURE;

  pack = cb_pack_new (argv[1]);
  cb_pack_set_description (pack, description);
  cb_pack_set_audience (pack, audience);
  cb_pack_set_date (pack, date);
  if (cb_pack_store_save (packs, pack, &error) == 0)
    return report (FALSE, &error);

  printf (_("Made the pack “%s”\n"), argv[1]);

  return CB_EXIT_OK;
}

/* pack rename */

static int
cmd_rename (Globals  *globals,
            int       argc,
            char    **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack rename", _("NAME NEW-NAME"), _("Rename a pack."),
                                 entries, 2, 2, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  return report (cb_pack_store_set_details (packs, id, argv[2], NULL, NULL, NULL, &error), &error);
}

/* pack edit */

static int
cmd_edit (Globals  *globals,
          int       argc,
          char    **argv)
{
  g_autofree char *description = NULL;
  g_autofree char *audience = NULL;
  g_autofree char *date = NULL;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("What the pack is for"), N_("TEXT") },
    { "audience", 0, 0, G_OPTION_ARG_STRING, &audience, N_("Who it is for"), N_("TEXT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("When it will be used (\"\" for none)"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack edit", _("NAME"), _("Change a pack’s description, audience or date."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  return report (cb_pack_store_set_details (packs, id, NULL, description, audience, date, &error), &error);
}

/* pack duplicate */

static int
cmd_duplicate (Globals  *globals,
               int       argc,
               char    **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbPack) copy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack duplicate", _("NAME [NEW-NAME]"), _("Copy a pack with its items and notes."),
                                 entries, 1, 2, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  if ((id = cb_pack_store_duplicate (packs, id, argc > 2 ? argv[2] : NULL, &error)) == 0 ||
      (copy = cb_pack_store_load (packs, id, &error)) == NULL)
    return report (FALSE, &error);

  printf (_("Made the pack “%s”\n"), cb_pack_get_name (copy));

  return CB_EXIT_OK;
}

/* pack delete */

static int
cmd_delete (Globals  *globals,
            int       argc,
            char    **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack delete", _("NAME"), _("Delete a pack with its notes."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  return report (cb_pack_store_delete (packs, id, &error), &error);
}

/* pack list */

static JsonNode *
pack_to_json (CbPack   *pack,
              CbCorpus *corpus)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *entries = cb_pack_get_entries (pack);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, cb_pack_get_name (pack));
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, cb_pack_get_description (pack));
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, cb_pack_get_audience (pack));
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, cb_pack_get_date (pack));
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, cb_pack_get_created (pack));
  json_builder_set_member_name (builder, "modified");
  json_builder_add_string_value (builder, cb_pack_get_modified (pack));
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (entries, i);
      CbItem *item = corpus ? cb_corpus_lookup_item (corpus, entry->item_id) : NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->item_id);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, entry->label);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, item ? cb_item_get_title (item) : entry->title);
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, entry->note);
      if (corpus != NULL)
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder,
                                         item == NULL ? "missing" :
                                         cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED ? "retired" :
                                         "current");
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static int
cmd_list (Globals  *globals,
          int       argc,
          char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cb_cli_parse_command ("pack list", "", _("List your evidence packs."),
                                 entries, 0, 0, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if ((packs = open_packs (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if ((list = cb_pack_store_list (packs, &error)) == NULL)
    return report (FALSE, &error);

  if (json)
    {
      JsonArray *array = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, pack_to_json (g_ptr_array_index (list, i), NULL));
      json_node_take_array (node, array);

      return cb_cli_print_json (node);
    }

  if (list->len == 0)
    printf (_("No packs yet; make one with “casebook-cli pack new NAME”.\n"));

  for (guint i = 0; i < list->len; i++)
    {
      CbPack *pack = g_ptr_array_index (list, i);
      guint n = cb_pack_get_n_entries (pack);

      printf (ngettext ("%s\t%u item\n", "%s\t%u items\n", n), cb_pack_get_name (pack), n);
    }

  return CB_EXIT_OK;
}

/* pack show */

static void
print_indented (const char *label,
                const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    printf ("     %s%s\n", i == 0 ? label : "", lines[i]);
}

static int
cmd_show (Globals  *globals,
          int       argc,
          char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack show", _("NAME"), _("Show a pack’s items in order, with their notes."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;
  if ((pack = cb_pack_store_load (packs, id, &error)) == NULL)
    return report (FALSE, &error);
  if ((corpus = cb_cli_load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;

  if (json)
    return cb_cli_print_json (pack_to_json (pack, corpus));

  printf ("%s\n", cb_pack_get_name (pack));
  if (*cb_pack_get_description (pack))
    printf ("%s\n", cb_pack_get_description (pack));
  if (*cb_pack_get_audience (pack))
    printf (_("For: %s\n"), cb_pack_get_audience (pack));
  if (*cb_pack_get_date (pack))
    printf (_("Date: %s\n"), cb_pack_get_date (pack));
  printf ("\n");

  items = cb_pack_get_entries (pack);
  if (items->len == 0)
    printf (_("The pack is empty; add items with “casebook-cli pack add %s ID”.\n"), argv[1]);

  for (guint i = 0; i < items->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (items, i);
      CbItem *item = cb_corpus_lookup_item (corpus, entry->item_id);
      g_autofree char *label = item ? cb_item_dup_label (item) : g_strdup (entry->label);

      printf ("%2u. %s: %s\n", i + 1, label, item ? cb_item_get_title (item) : entry->title);
      printf ("     %s", entry->item_id);
      if (item == NULL)
        printf (" (%s)", _("no longer in the corpus"));
      else if (cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED)
        printf (" (%s)", _("retired"));
      printf ("\n");
      if (*entry->note)
        print_indented (_("Note: "), entry->note);
    }

  return CB_EXIT_OK;
}

/* pack add */

static int
cmd_add (Globals  *globals,
         int       argc,
         char    **argv)
{
  int at = 0;
  GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_INT, &at, N_("Put the items here (1 for first; default: at the end)"), N_("N") },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(GPtrArray) new_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_pack_entry_free);
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack add", _("NAME ID…"), _("Add items to a pack, at the end or at a position."),
                                 entries, 2, G_MAXINT - 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (at < 0)
    {
      cb_cli_print_error (_("pack add: --at counts from 1"));
      return CB_EXIT_USAGE;
    }
  if (!open_pack (globals, argv[1], &packs, &id) || (store = cb_cli_open_store (globals, FALSE, NULL)) == NULL)
    return CB_EXIT_FAILURE;

  /* Check every id before adding any, so that a typo adds nothing. */
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      CbPackEntry *entry = cb_store_new_pack_entry (store, argv[i], &error);

      if (entry == NULL)
        {
          cb_cli_print_error (_("%s; nothing was added (see “casebook-cli search”)"), error->message);
          return CB_EXIT_FAILURE;
        }
      g_ptr_array_add (new_entries, entry);
    }

  {
    g_autoptr(GError) error = NULL;

    /* All of them or none */
    if (!cb_pack_store_add_entries (packs, id, new_entries, at > 0 ? at - 1 : -1, &error))
      return report (FALSE, &error);
  }

  for (guint i = 0; i < new_entries->len; i++)
    {
      CbPackEntry *entry = g_ptr_array_index (new_entries, i);

      printf (_("Added %s: %s\n"), entry->label, entry->title);
    }

  return CB_EXIT_OK;
}

/* pack remove */

static int
cmd_remove (Globals  *globals,
            int       argc,
            char    **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack remove", _("NAME ID"), _("Take an item, with its note, out of a pack."),
                                 entries, 2, 2, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  return report (cb_pack_store_remove_item (packs, id, argv[2], &error), &error);
}

/* pack move */

static int
cmd_move (Globals  *globals,
          int       argc,
          char    **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GError) error = NULL;
  guint position;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack move", _("NAME ID POSITION"),
                                 _("Move an item of a pack to a position (1 for first)."),
                                 entries, 3, 3, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!parse_position (argv[3], &position))
    {
      cb_cli_print_error (_("pack move: “%s” is not a position (1 for first)"), argv[3]);
      return CB_EXIT_USAGE;
    }
  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  return report (cb_pack_store_move_item (packs, id, argv[2], position, &error), &error);
}

/* pack note */

static int
cmd_note (Globals  *globals,
          int       argc,
          char    **argv)
{
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  GOptionEntry entries[] = {
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the note from this file (- for standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(GError) error = NULL;
  const char *note;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack note", _("NAME ID [TEXT]"),
                                 _("Set the note of an item in a pack; with no text and no --file, clear it."),
                                 entries, 2, 3, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (file != NULL && argc != 3)
    {
      cb_cli_print_error (_("pack note: give the note as TEXT or with --file, not both"));
      return CB_EXIT_USAGE;
    }

  if (file != NULL)
    {
      if ((contents = cb_cli_read_text (file, &error)) == NULL)
        return report (FALSE, &error);
      note = contents;
    }
  else
    note = argc > 3 ? argv[3] : "";

  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;

  return report (cb_pack_store_set_note (packs, id, argv[2], note, &error), &error);
}

/* pack export */

static int
cmd_export (Globals  *globals,
            int       argc,
            char    **argv)
{
  g_autofree char *format_str = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_str,
      N_("html, pdf, md, csv, json, ris, bibtex or pack (default: from the file name)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write here (required)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbTaxonomy) taxonomy = NULL;
  g_autoptr(GError) error = NULL;
  CbExportFormat format;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack export", _("NAME -o FILE [--format FORMAT]"),
                                 _("Export a pack as a handout (HTML, PDF, Markdown), a table (CSV, JSON), "
                            "a reading list (RIS, BibTeX) or a pack file for another Casebook."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (output == NULL)
    {
      cb_cli_print_error (_("pack export: the output file is required (-o FILE)"));
      return CB_EXIT_USAGE;
    }

  if (format_str == NULL)
    {
      const char *dot = strrchr (output, '.');

      if (dot == NULL || !cb_export_format_from_string (dot + 1, &format))
        {
          cb_cli_print_error (_("pack export: say which format with --format (html, pdf, md, csv, json, ris, "
                                "bibtex, pack)"));
          return CB_EXIT_USAGE;
        }
    }
  else if (!cb_export_format_from_string (format_str, &format))
    {
      cb_cli_print_error (_("pack export: unknown format “%s” (html, pdf, md, csv, json, ris, bibtex, pack)"),
                          format_str);
      return CB_EXIT_USAGE;
    }

  if (!open_pack (globals, argv[1], &packs, &id))
    return CB_EXIT_FAILURE;
  if ((pack = cb_pack_store_load (packs, id, &error)) == NULL)
    return report (FALSE, &error);
  if ((corpus = cb_cli_load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if ((taxonomy = cb_taxonomy_get_default (&error)) == NULL ||
      !cb_export_to_file (pack, corpus, taxonomy, format, output, NULL, &error))
    return report (FALSE, &error);

  printf (_("Exported “%s” as %s to %s\n"), cb_pack_get_name (pack), cb_export_format_label (format), output);

  return CB_EXIT_OK;
}

/* pack import */

static int
cmd_import (Globals  *globals,
            int       argc,
            char    **argv)
{
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("Name the imported pack (default: its own name, made unique)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(CbPackStore) packs = NULL;
  g_autoptr(CbPack) pack = NULL;
  g_autoptr(CbPack) imported = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = cb_cli_parse_command ("pack import", _("FILE"),
                                 _("Import a pack file made by Casebook. Items the corpus does not have are "
                                   "reported and kept in the pack, marked as no longer in the corpus."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;

  if ((pack = cb_pack_file_read (argv[1], &error)) == NULL)
    {
      cb_cli_print_error (_("%s; nothing was imported"), error->message);
      return CB_EXIT_FAILURE;
    }
  if ((store = cb_cli_open_store (globals, FALSE, NULL)) == NULL || (packs = open_packs (globals)) == NULL)
    return CB_EXIT_FAILURE;

  if ((id = cb_pack_store_import (packs, pack, name, &error)) == 0 ||
      (imported = cb_pack_store_load (packs, id, &error)) == NULL)
    {
      cb_cli_print_error (_("%s; nothing was imported"), error->message);
      return CB_EXIT_FAILURE;
    }

  printf (ngettext ("Imported the pack “%s” with %u item\n", "Imported the pack “%s” with %u items\n",
                    cb_pack_get_n_entries (imported)),
          cb_pack_get_name (imported), cb_pack_get_n_entries (imported));

  unknown = cb_store_dup_missing_items (store, imported);
  if (unknown->len > 0)
    {
      fprintf (stderr, ngettext ("casebook-cli: %u item of the pack is not in this corpus; it is kept, marked as "
                                 "no longer in the corpus:\n",
                                 "casebook-cli: %u items of the pack are not in this corpus; they are kept, marked "
                                 "as no longer in the corpus:\n", unknown->len),
               unknown->len);
      for (guint i = 0; i < unknown->len; i++)
        fprintf (stderr, "  %s\n", (const char *) g_ptr_array_index (unknown, i));
    }

  return CB_EXIT_OK;
}

static const Command pack_commands[] = {
  { "new", "NAME [--description T] [--audience T] [--date YYYY-MM-DD]", N_("Make a new pack"), cmd_new },
  { "rename", "NAME NEW-NAME", N_("Rename a pack"), cmd_rename },
  { "edit", "NAME [--description T] [--audience T] [--date YYYY-MM-DD]", N_("Change a pack’s details"), cmd_edit },
  { "duplicate", "NAME [NEW-NAME]", N_("Copy a pack"), cmd_duplicate },
  { "delete", "NAME", N_("Delete a pack"), cmd_delete },
  { "list", "[--json]", N_("List packs"), cmd_list },
  { "show", "NAME [--json]", N_("Show a pack’s items and notes"), cmd_show },
  { "add", "NAME ID… [--at N]", N_("Add items"), cmd_add },
  { "remove", "NAME ID", N_("Take an item out"), cmd_remove },
  { "move", "NAME ID POSITION", N_("Move an item (1 for first)"), cmd_move },
  { "note", "NAME ID [TEXT | --file FILE]", N_("Set or clear an item’s note"), cmd_note },
  { "export", "NAME -o FILE [--format html|pdf|md|csv|json|ris|bibtex|pack]", N_("Export a pack"), cmd_export },
  { "import", "FILE [--name NAME]", N_("Import a pack file"), cmd_import },
};

int
cb_cli_pack (Globals  *globals,
             int       argc,
             char    **argv)
{
  return cb_cli_run_group (globals, "pack",
                           _("Evidence packs: named, ordered selections of items with a note on each."),
                           pack_commands, G_N_ELEMENTS (pack_commands), argc, argv);
}
