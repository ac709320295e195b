/* cb-cli-library.c: casebook-cli item and corpus: the librarian's
 * commands (edit fields, retire and restore, history, update files)
 *
 * Every change goes to the working corpus through CbLibrary, then the
 * index is brought up to date, as the app does.
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
#include "cb-corpus-diff.h"
#include "cb-corpus-json.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"

/* After a change: the index follows the working corpus */
static int
reindex (Globals *globals)
{
  g_autoptr(CbStore) store = cb_cli_open_store (globals, FALSE, NULL);

  return store != NULL ? CB_EXIT_OK : CB_EXIT_FAILURE;
}

static int
fail (GError *error)
{
  cb_cli_print_error ("%s", error->message);

  return CB_EXIT_FAILURE;
}

/* item get */

static int
cmd_item_get (Globals  *globals,
              int       argc,
              char    **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbCorpus) corpus = NULL;
  CbItem *item;
  int status;

  status = cb_cli_parse_command ("item get", _("ID [FIELD]"),
                                 _("Print one field of an item as text, or every field with its name."),
                                 entries, 1, 2, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if ((corpus = cb_cli_load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if ((item = cb_corpus_lookup_item (corpus, argv[1])) == NULL)
    {
      cb_cli_print_error (_("item get: no item “%s” (see “casebook-cli list”)"), argv[1]);
      return CB_EXIT_FAILURE;
    }

  if (argc == 3)
    {
      g_autofree char *value = cb_item_dup_field (item, argv[2]);

      if (value == NULL)
        {
          cb_cli_print_error (_("item get: %s has no field “%s”"), argv[1], argv[2]);
          return CB_EXIT_FAILURE;
        }
      printf ("%s\n", value);
      return CB_EXIT_OK;
    }

  for (const char * const *field = cb_item_get_field_names (item); *field != NULL; field++)
    {
      g_autofree char *value = cb_item_dup_field (item, *field);

      if (strchr (value, '\n') != NULL)
        printf ("%s:\n%s\n\n", *field, value);
      else
        printf ("%s: %s\n", *field, value);
    }

  return CB_EXIT_OK;
}

/* item set */

static int
cmd_item_set (Globals  *globals,
              int       argc,
              char    **argv)
{
  g_autofree char *file = NULL;
  g_autofree char *contents = NULL;
  GOptionEntry entries[] = {
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the value from this file (- for standard input)"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(CbLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  const char *value;
  int status;

  status = cb_cli_parse_command ("item set", _("ID FIELD [VALUE]"),
                                 _("Change one field of an item in the working corpus; the change is checked first, "
                            "recorded in the item’s history and indexed. Fields: title, number, chapter, "
                            "section, page, status, countries, interventions, design, references, "
                            "reference_note and part:NAME (see “casebook-cli item get ID”)."),
                                 entries, 2, 3, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if ((argc == 4) == (file != NULL))
    {
      cb_cli_print_error (_("item set: give the value as VALUE or with --file, not both, not neither"));
      return CB_EXIT_USAGE;
    }

  if (file != NULL)
    {
      if ((contents = cb_cli_read_text (file, &error)) == NULL)
        return fail (error);
      value = contents;
    }
  else
    value = argv[3];

  if ((library = cb_cli_open_library (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if (!cb_library_set_field (library, argv[1], argv[2], value, &error))
    return fail (error);

  return reindex (globals);
}

/* item retire, item restore */

static int
set_retired (Globals     *globals,
             int          argc,
             char       **argv,
             gboolean     retired)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(CbLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cb_cli_parse_command (retired ? "item retire" : "item restore", _("ID"),
                                 retired ? _("Retire an item: it leaves search by default but stays in packs and history.")
                                         : _("Bring a retired item back into search."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if ((library = cb_cli_open_library (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if (!cb_library_set_retired (library, argv[1], retired, &error))
    return fail (error);

  return reindex (globals);
}

static int
cmd_item_retire (Globals  *globals,
                 int       argc,
                 char    **argv)
{
  return set_retired (globals, argc, argv, TRUE);
}

static int
cmd_item_restore (Globals  *globals,
                  int       argc,
                  char    **argv)
{
  return set_retired (globals, argc, argv, FALSE);
}

/* item history */

static JsonNode *
history_to_json (GPtrArray *history)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < history->len; i++)
    {
      CbRevision *revision = g_ptr_array_index (history, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, revision->date);
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, revision->author);
      json_builder_set_member_name (builder, "summary");
      json_builder_add_string_value (builder, revision->summary);
      json_builder_set_member_name (builder, "changes");
      json_builder_begin_array (builder);
      for (guint j = 0; j < revision->changes->len; j++)
        {
          CbChange *change = g_ptr_array_index (revision->changes, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "field");
          json_builder_add_string_value (builder, change->field);
          json_builder_set_member_name (builder, "before");
          json_builder_add_string_value (builder, change->before);
          json_builder_set_member_name (builder, "after");
          json_builder_add_string_value (builder, change->after);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static void
print_value (const char *label,
             const char *value)
{
  if (value == NULL || *value == '\0')
    printf ("      %s %s\n", label, _("(empty)"));
  else if (strchr (value, '\n') == NULL)
    printf ("      %s %s\n", label, value);
  else
    {
      g_auto(GStrv) lines = g_strsplit (value, "\n", -1);

      printf ("      %s\n", label);
      for (guint i = 0; lines[i] != NULL; i++)
        printf ("        %s\n", lines[i]);
    }
}

static int
cmd_item_history (Globals  *globals,
                  int       argc,
                  char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array, oldest first"), NULL },
    { NULL }
  };
  g_autoptr(CbLibrary) library = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cb_cli_parse_command ("item history", _("ID"),
                                 _("Show who changed an item, when, and each field before and after."),
                                 entries, 1, 1, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if ((library = cb_cli_open_library (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if ((history = cb_library_dup_history (library, argv[1], &error)) == NULL)
    return fail (error);

  if (json)
    return cb_cli_print_json (history_to_json (history));

  for (guint i = 0; i < history->len; i++)
    {
      CbRevision *revision = g_ptr_array_index (history, i);

      printf ("%s  %s  %s\n", revision->date, revision->author, revision->summary ? revision->summary : "");
      for (guint j = 0; j < revision->changes->len; j++)
        {
          CbChange *change = g_ptr_array_index (revision->changes, j);

          printf ("    %s\n", change->field);
          /* Translators: the value of a field before a change, in `item history` */
          print_value (_("before:"), change->before);
          /* Translators: the value of a field after a change, in `item history` */
          print_value (_("after: "), change->after);
        }
    }

  return CB_EXIT_OK;
}

static const Command item_commands[] = {
  { "get", "ID [FIELD]", N_("Print an item’s fields as text"), cmd_item_get },
  { "set", "ID FIELD VALUE | --file FILE", N_("Change a field"), cmd_item_set },
  { "retire", "ID", N_("Retire an item"), cmd_item_retire },
  { "restore", "ID", N_("Bring a retired item back"), cmd_item_restore },
  { "history", "ID [--json]", N_("Show an item’s history"), cmd_item_history },
};

int
cb_cli_item (Globals  *globals,
             int       argc,
             char    **argv)
{
  return cb_cli_run_group (globals, "item",
                           _("Edit the items of the working corpus: changes are checked, kept in each item’s "
                             "history and indexed."),
                           item_commands, G_N_ELEMENTS (item_commands), argc, argv);
}

/* corpus export */

static int
cmd_corpus_export (Globals  *globals,
                   int       argc,
                   char    **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the update file here (required)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(CbLibrary) library = NULL;
  g_autoptr(GError) error = NULL;
  guint version = 0;
  int status;

  status = cb_cli_parse_command ("corpus export", "-o FILE",
                                 _("Write the working corpus as an update file (with the next version number and a "
                            "checksum) for other Casebooks to apply."),
                                 entries, 0, 0, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (output == NULL)
    {
      cb_cli_print_error (_("corpus export: the output file is required (-o FILE)"));
      return CB_EXIT_USAGE;
    }
  if ((library = cb_cli_open_library (globals)) == NULL)
    return CB_EXIT_FAILURE;
  if (!cb_library_export_update (library, output, &version, &error))
    return fail (error);

  printf (_("Wrote corpus update version %u to %s\n"), version, output);

  return CB_EXIT_OK;
}

/* corpus diff */

static void
print_diff (GPtrArray *diff)
{
  if (diff->len == 0)
    printf (_("No differences.\n"));

  for (guint i = 0; i < diff->len; i++)
    {
      CbDiffEntry *entry = g_ptr_array_index (diff, i);
      const char *sign = entry->kind == CB_DIFF_ADDED ? "+" : entry->kind == CB_DIFF_REMOVED ? "-" : "~";

      printf ("%s %s  %s\n", sign, entry->id, entry->label);
      for (guint j = 0; entry->changes && j < entry->changes->len; j++)
        {
          CbChange *change = g_ptr_array_index (entry->changes, j);

          printf ("    %s\n", change->field);
          print_value (_("before:"), change->before);
          print_value (_("after: "), change->after);
        }
    }
}

static int
cmd_corpus_diff (Globals  *globals,
                 int       argc,
                 char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  g_autoptr(CbCorpus) a = NULL;
  g_autoptr(CbCorpus) b = NULL;
  g_autoptr(GPtrArray) diff = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = cb_cli_parse_command ("corpus diff", _("A.xml B.xml"),
                                 _("List what changed from corpus A to corpus B: items and references added, removed, "
                            "and changed field by field. Update files are read too (their checksum checked)."),
                                 entries, 2, 2, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;

  if ((a = cb_corpus_read_file (argv[1], &error)) == NULL || (b = cb_corpus_read_file (argv[2], &error)) == NULL)
    return fail (error);

  diff = cb_corpus_diff (a, b);
  if (json)
    return cb_cli_print_json (cb_diff_to_json (diff));

  print_diff (diff);

  return CB_EXIT_OK;
}

/* corpus apply */

typedef struct {
  char  *choose;
  char **local;
  char **update;
} ApplyOptions;

static gboolean
add_choices (GHashTable  *choices,
             char       **specs,
             CbChoice     choice)
{
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      const char *colon = strrchr (specs[i], ':');
      g_autofree char *id = NULL;

      /* ID:FIELD, where the id has a colon of its own (case_study:4.2.4:title) */
      if (colon == NULL || colon == specs[i] || strchr (specs[i], ':') == colon)
        {
          cb_cli_print_error (_("corpus apply: “%s” is not ID:FIELD (case_study:4.2.4:title)"), specs[i]);
          return FALSE;
        }
      id = g_strndup (specs[i], colon - specs[i]);
      g_hash_table_insert (choices, cb_conflict_key (id, colon + 1), GINT_TO_POINTER (choice));
    }

  return TRUE;
}

static void
print_conflicts (GPtrArray *conflicts)
{
  for (guint i = 0; i < conflicts->len; i++)
    {
      CbConflict *conflict = g_ptr_array_index (conflicts, i);

      printf ("! %s:%s  %s\n", conflict->id, conflict->field, conflict->label);
      print_value (_("base:  "), conflict->base);
      /* Translators: the librarian's own value in a conflict */
      print_value (_("yours: "), conflict->local);
      print_value (_("update:"), conflict->update);
    }
}

static int
cmd_corpus_apply (Globals  *globals,
                  int       argc,
                  char    **argv)
{
  gboolean dry_run = FALSE;
  ApplyOptions options = { 0 };
  GOptionEntry entries[] = {
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show what would change and the conflicts; change nothing"),
      NULL },
    { "choose", 0, 0, G_OPTION_ARG_STRING, &options.choose,
      N_("Settle every conflict the same way: local (keep yours) or update"), N_("local|update") },
    { "local", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.local, N_("Keep your value of this field (repeat)"),
      N_("ID:FIELD") },
    { "update", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.update, N_("Take the update’s value of this field (repeat)"),
      N_("ID:FIELD") },
    { NULL }
  };
  g_autoptr(CbLibrary) library = NULL;
  g_autoptr(CbUpdatePreview) preview = NULL;
  g_autoptr(GHashTable) choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  int status;

  status = cb_cli_parse_command ("corpus apply", _("FILE"),
                                 _("Apply a corpus update file to the working corpus, keeping your local edits. Fields "
                            "both you and the update changed are conflicts: settle them with --choose, --local "
                            "or --update, or nothing is applied. Your packs are never touched."),
                                 entries, 1, 1, &argc, &argv);
  if (status == CB_EXIT_OK && options.choose != NULL &&
      !g_str_equal (options.choose, "local") && !g_str_equal (options.choose, "update"))
    {
      cb_cli_print_error (_("corpus apply: --choose takes local or update"));
      status = CB_EXIT_USAGE;
    }
  if (status == CB_EXIT_OK &&
      (!add_choices (choices, options.local, CB_CHOOSE_LOCAL) || !add_choices (choices, options.update, CB_CHOOSE_UPDATE)))
    status = CB_EXIT_USAGE;
  if (status != CB_EXIT_OK)
    goto out;

  if ((library = cb_cli_open_library (globals)) == NULL)
    {
      status = CB_EXIT_FAILURE;
      goto out;
    }
  if ((preview = cb_library_preview_update (library, argv[1], &error)) == NULL)
    {
      cb_cli_print_error (_("%s; nothing was changed"), error->message);
      status = CB_EXIT_FAILURE;
      goto out;
    }

  if (options.choose != NULL)
    for (guint i = 0; i < preview->conflicts->len; i++)
      {
        CbConflict *conflict = g_ptr_array_index (preview->conflicts, i);
        char *key = cb_conflict_key (conflict->id, conflict->field);

        if (!g_hash_table_contains (choices, key))
          g_hash_table_insert (choices, key,
                               GINT_TO_POINTER (g_str_equal (options.choose, "local") ? CB_CHOOSE_LOCAL
                                                                                      : CB_CHOOSE_UPDATE));
        else
          g_free (key);
      }

  printf (_("Corpus update version %u\n"), preview->version);
  {
    /* What it changes with the choices given; the update's side where a
     * conflict has none yet */
    g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) changes = NULL;

    for (guint i = 0; i < preview->conflicts->len; i++)
      {
        CbConflict *conflict = g_ptr_array_index (preview->conflicts, i);
        g_autofree char *key = cb_conflict_key (conflict->id, conflict->field);
        gpointer choice = g_hash_table_lookup (choices, key);

        g_hash_table_insert (shown, g_steal_pointer (&key),
                             choice ? choice : GINT_TO_POINTER (CB_CHOOSE_UPDATE));
      }
    if ((changes = cb_library_dup_changes (library, preview, shown, &error)) == NULL)
      {
        cb_cli_print_error ("%s", error->message);
        status = CB_EXIT_FAILURE;
        goto out;
      }
    print_diff (changes);
  }
  if (preview->conflicts->len > 0)
    {
      printf (ngettext ("\n%u conflict between your edits and the update:\n",
                        "\n%u conflicts between your edits and the update:\n", preview->conflicts->len),
              preview->conflicts->len);
      print_conflicts (preview->conflicts);
    }

  if (dry_run)
    goto out;

  if (!cb_library_apply_update (library, preview, choices, &error))
    {
      if (g_error_matches (error, CB_ERROR, CB_ERROR_CONFLICT))
        cb_cli_print_error (_("%s: settle each with --local ID:FIELD or --update ID:FIELD, or all with --choose; "
                              "nothing was changed"), error->message);
      else
        cb_cli_print_error (_("%s; nothing was changed"), error->message);
      status = CB_EXIT_FAILURE;
      goto out;
    }

  printf (_("Applied.\n"));
  status = reindex (globals);

out:
  g_free (options.choose);
  g_strfreev (options.local);
  g_strfreev (options.update);

  return status;
}

static const Command corpus_commands[] = {
  { "export", "-o FILE", N_("Write the working corpus as an update file"), cmd_corpus_export },
  { "diff", "A.xml B.xml [--json]", N_("List what changed between two corpora"), cmd_corpus_diff },
  { "apply", "FILE [--dry-run] [--choose local|update] [--local ID:FIELD] [--update ID:FIELD]",
    N_("Apply a corpus update, keeping local edits"), cmd_corpus_apply },
};

int
cb_cli_corpus (Globals  *globals,
               int       argc,
               char    **argv)
{
  return cb_cli_run_group (globals, "corpus",
                           _("Corpus update files: make them from the working corpus, compare corpora, and apply "
                             "updates with a preview."),
                           corpus_commands, G_N_ELEMENTS (corpus_commands), argc, argv);
}
