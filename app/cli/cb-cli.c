/* cb-cli.c: the commands of casebook-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cb-cli.h"
#include "cb-cli-private.h"
#include "cb-corpus-check.h"
#include "cb-corpus-json.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-library.h"
#include "cb-store.h"
#include "cb-taxonomy.h"
#include "cb-xml.h"

void
cb_cli_print_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fprintf (stderr, "casebook-cli: %s\n", message);
}

/* Parses a command's options; prints help and returns -1 on --help,
 * returns CB_EXIT_USAGE on bad usage, else CB_EXIT_OK. */
int
cb_cli_parse_options (const char    *command,
                      const char    *parameter,
                      const char    *summary,
                      GOptionEntry  *entries,
                      int           *argc,
                      char        ***argv)
{
  g_autofree char *usage = g_strdup_printf ("%s %s", command, parameter);
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cb_cli_print_error ("%s", error->message);
      fprintf (stderr, _("Try “casebook-cli %s --help”.\n"), command);
      return CB_EXIT_USAGE;
    }

  /* "--" ends the options ("search -- -word"); it is not an argument. */
  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal ((*argv)[i], "--"))
        {
          memmove (*argv + i, *argv + i + 1, (*argc - i) * sizeof (char *));
          (*argc)--;
          break;
        }
    }

  return CB_EXIT_OK;
}

/**
 * cb_cli_parse_command:
 * @command: the command ("pack add")
 * @parameter: its arguments, for --help
 * @summary: what it does, for --help
 * @entries: its options
 * @min: the fewest arguments it takes
 * @max: the most
 * @argc: (inout): the arguments
 * @argv: (inout): the arguments
 *
 * Returns: %CB_EXIT_OK, or the status to exit with
 */
int
cb_cli_parse_command (const char    *command,
                      const char    *parameter,
                      const char    *summary,
                      GOptionEntry  *entries,
                      int            min,
                      int            max,
                      int           *argc,
                      char        ***argv)
{
  int status = cb_cli_parse_options (command, parameter, summary, entries, argc, argv);

  if (status != CB_EXIT_OK)
    return status;

  if (*argc - 1 < min && !cb_cli_check_extra_args (command, *argc, min))
    return CB_EXIT_USAGE;
  if (*argc - 1 > max && !cb_cli_check_extra_args (command, *argc, max))
    return CB_EXIT_USAGE;

  return CB_EXIT_OK;
}

/**
 * cb_cli_read_text:
 * @file: a file name, or "-" for standard input
 * @error: return location for an error
 *
 * Returns: (transfer full): the file's text without trailing white space,
 *   or %NULL when it cannot be read or is not UTF-8 text
 */
char *
cb_cli_read_text (const char  *file,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_str_equal (file, "-"))
    {
      g_autoptr(GString) in = g_string_new (NULL);
      char buffer[4096];
      size_t n;

      while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
        g_string_append_len (in, buffer, n);
      length = in->len;
      contents = g_string_free (g_steal_pointer (&in), FALSE);
    }
  else if (!g_file_get_contents (file, &contents, &length, error))
    return NULL;

  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("%s is not UTF-8 text"), file);
      return NULL;
    }

  return g_strchomp (g_steal_pointer (&contents));
}

gboolean
cb_cli_check_extra_args (const char *command,
                         int         argc,
                         int         expected)
{
  if (argc - 1 != expected)
    {
      cb_cli_print_error (argc - 1 > expected ? _("%s: too many arguments") : _("%s: missing argument"), command);
      fprintf (stderr, _("Try “casebook-cli %s --help”.\n"), command);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_cli_open_library:
 * @globals: the global options
 *
 * Returns: (transfer full) (nullable): the working corpus `--corpus` and
 *   `--db` point at; history names `$CASEBOOK_AUTHOR`, else the user
 */
CbLibrary *
cb_cli_open_library (Globals *globals)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTaxonomy) taxonomy = cb_taxonomy_get_default (&error);
  CbLibrary *library;

  if (taxonomy == NULL)
    {
      cb_cli_print_error ("%s", error->message);
      return NULL;
    }

  library = cb_library_new_for_index (globals->corpus_path, globals->db_path, taxonomy);
  cb_library_set_author (library, g_getenv ("CASEBOOK_AUTHOR"));

  return library;
}

/* The corpus the commands read: `--corpus`, else the librarian's working
 * corpus once there is one, else the bundled one */
static char *
dup_corpus_path (Globals *globals)
{
  g_autoptr(CbLibrary) library = cb_cli_open_library (globals);

  if (library == NULL)
    return globals->corpus_path ? g_strdup (globals->corpus_path) : cb_get_bundled_corpus_path ();

  return g_strdup (cb_library_get_corpus_path (library));
}

CbCorpus *
cb_cli_load_corpus (Globals *globals)
{
  g_autofree char *path = dup_corpus_path (globals);
  g_autoptr(GError) error = NULL;
  CbCorpus *corpus;

  corpus = cb_corpus_read_file (path, &error);
  if (corpus == NULL)
    cb_cli_print_error ("%s", error->message);

  return corpus;
}

int
cb_cli_print_json (JsonNode *node)
{
  g_autofree char *text = cb_json_to_string (node, TRUE);

  json_node_unref (node);
  printf ("%s\n", text);

  return CB_EXIT_OK;
}

/* import-guide */

static int
cmd_import_guide (Globals  *globals,
                  int       argc,
                  char    **argv)
{
  g_autofree char *merge = NULL;
  g_autofree char *output = NULL;
  g_autoptr(CbGuideImporter) importer = cb_guide_importer_new ();
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *notes;
  GOptionEntry entries[] = {
    { "merge", 'm', 0, G_OPTION_ARG_FILENAME, &merge,
      N_("Keep the curation of this corpus (metadata, history, retired items)"), N_("CORPUS.xml") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the corpus here (required)"), N_("OUT.xml") },
    { NULL }
  };
  int status;

  status = cb_cli_parse_options ("import-guide", _("GUIDE.txt"),
                          _("Import the guide text into a corpus file, reporting the guide’s flaws."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("import-guide", argc, 1))
    return CB_EXIT_USAGE;
  if (output == NULL)
    {
      cb_cli_print_error (_("import-guide: the output file is required (-o OUT.xml)"));
      return CB_EXIT_USAGE;
    }

  if (merge != NULL)
    {
      g_autoptr(CbCorpus) base = cb_corpus_read_file (merge, &error);

      if (base == NULL)
        {
          cb_cli_print_error ("%s", error->message);
          return CB_EXIT_FAILURE;
        }
      cb_guide_importer_set_base (importer, base);
    }

  corpus = cb_guide_importer_import_file (importer, argv[1], &error);
  if (corpus == NULL || !cb_corpus_write_file (corpus, output, &error))
    {
      cb_cli_print_error ("%s", error->message);
      return CB_EXIT_FAILURE;
    }

  printf (ngettext ("Imported %u item", "Imported %u items", cb_corpus_get_items (corpus)->len),
          cb_corpus_get_items (corpus)->len);
  printf (ngettext (" and %u reference into %s\n", " and %u references into %s\n",
                    cb_corpus_get_references (corpus)->len),
          cb_corpus_get_references (corpus)->len, output);
  printf (ngettext ("The guide text has %u reported flaw; see “casebook-cli validate %s”\n",
                    "The guide text has %u reported flaws; see “casebook-cli validate %s”\n",
                    cb_corpus_get_anomalies (corpus)->len),
          cb_corpus_get_anomalies (corpus)->len, output);

  notes = cb_guide_importer_get_merge_notes (importer);
  for (guint i = 0; i < notes->len; i++)
    {
      CbAnomaly *note = g_ptr_array_index (notes, i);

      printf ("  %-10s %-28s %s\n", note->code, note->item, note->message);
    }

  return CB_EXIT_OK;
}

/* validate */

static void
print_anomaly (CbAnomaly  *anomaly,
               const char *file)
{
  g_autoptr(GString) where = g_string_new (NULL);

  if (anomaly->line > 0)
    g_string_append_printf (where, "%s:%u: ", file, anomaly->line);
  if (anomaly->item != NULL)
    g_string_append_printf (where, "%s: ", anomaly->item);

  printf ("  %s: %s%s\n", cb_severity_to_string (anomaly->severity), where->str, anomaly->message);
}

static int
cmd_validate (Globals  *globals,
              int       argc,
              char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  g_autofree char *bundled = NULL;
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbTaxonomy) taxonomy = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  GPtrArray *anomalies;
  const char *path;
  guint counts[3] = { 0, 0, 0 };
  int status;

  status = cb_cli_parse_options ("validate", _("[CORPUS.xml]"),
                          _("Check a corpus file: the schema, its consistency, and the guide’s flaws the "
                            "importer reported. Broken corpus files are errors (exit status 1); the guide’s "
                            "own flaws are warnings."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (argc > 2)
    return cb_cli_check_extra_args ("validate", argc, 1) ? CB_EXIT_OK : CB_EXIT_USAGE;

  path = argc == 2 ? argv[1] : (bundled = dup_corpus_path (globals));

  if ((taxonomy = cb_taxonomy_get_default (&error)) == NULL)
    {
      cb_cli_print_error ("%s", error->message);
      return CB_EXIT_FAILURE;
    }

  corpus = cb_corpus_read_file (path, &error);
  if (corpus == NULL)
    {
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "valid");
          json_builder_add_boolean_value (builder, FALSE);
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, error->message);
          json_builder_end_object (builder);
          cb_cli_print_json (json_builder_get_root (builder));
        }
      else
        {
          cb_cli_print_error ("%s", error->message);
        }
      return CB_EXIT_FAILURE;
    }

  anomalies = cb_corpus_get_anomalies (corpus);
  checks = cb_corpus_check (corpus, taxonomy);

  for (guint i = 0; i < anomalies->len; i++)
    counts[((CbAnomaly *) g_ptr_array_index (anomalies, i))->severity]++;
  for (guint i = 0; i < checks->len; i++)
    counts[((CbAnomaly *) g_ptr_array_index (checks, i))->severity]++;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, counts[CB_SEVERITY_ERROR] == 0);
      json_builder_set_member_name (builder, "guide");
      json_builder_begin_array (builder);
      for (guint i = 0; i < anomalies->len; i++)
        json_builder_add_value (builder, cb_anomaly_to_json (g_ptr_array_index (anomalies, i)));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "checks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < checks->len; i++)
        json_builder_add_value (builder, cb_anomaly_to_json (g_ptr_array_index (checks, i)));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cb_cli_print_json (json_builder_get_root (builder));
    }
  else
    {
      source = g_strdup (cb_corpus_get_source_name (corpus) ? cb_corpus_get_source_name (corpus) : "guide");

      printf (_("%s: well-formed and valid against the corpus schema\n"), path);

      if (anomalies->len > 0)
        {
          printf (_("\nFlaws in the guide text (%s), found at import:\n"), source);
          for (guint i = 0; i < anomalies->len; i++)
            print_anomaly (g_ptr_array_index (anomalies, i), source);
        }

      printf (_("\nCorpus checks:\n"));
      if (checks->len == 0)
        printf (_("  nothing to report\n"));
      for (guint i = 0; i < checks->len; i++)
        print_anomaly (g_ptr_array_index (checks, i), path);

      printf ("\n");
      printf (ngettext ("%u error", "%u errors", counts[CB_SEVERITY_ERROR]), counts[CB_SEVERITY_ERROR]);
      printf (", ");
      printf (ngettext ("%u warning", "%u warnings", counts[CB_SEVERITY_WARNING]), counts[CB_SEVERITY_WARNING]);
      printf (", ");
      printf (ngettext ("%u note", "%u notes", counts[CB_SEVERITY_INFO]), counts[CB_SEVERITY_INFO]);
      printf ("\n");
    }

  return counts[CB_SEVERITY_ERROR] > 0 ? CB_EXIT_FAILURE : CB_EXIT_OK;
}

/* list */

static int
cmd_list (Globals  *globals,
          int       argc,
          char    **argv)
{
  g_autofree char *kind_str = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind_str,
      N_("Only items of this kind: case_study (or case), inset_box (box), section, recommendation, "
         "implementation, glossary, next_step"), N_("KIND") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  g_autoptr(CbCorpus) corpus = NULL;
  CbItemKind kind = 0;
  GPtrArray *items;
  JsonArray *array = NULL;
  int status;

  status = cb_cli_parse_options ("list", "", _("List the items of the corpus in guide order."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("list", argc, 0))
    return CB_EXIT_USAGE;
  if (kind_str != NULL && !cb_item_kind_from_string (kind_str, &kind))
    {
      cb_cli_print_error (_("list: unknown kind “%s”"), kind_str);
      return CB_EXIT_USAGE;
    }

  if ((corpus = cb_cli_load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;

  items = cb_corpus_get_items (corpus);
  if (json)
    array = json_array_new ();

  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);

      if (kind_str != NULL && cb_item_get_kind (item) != kind)
        continue;

      if (json)
        json_array_add_element (array, cb_item_to_json (item, corpus, FALSE));
      else
        printf ("%s\t%s\t%s\n", cb_item_get_id (item),
                cb_item_get_number (item) ? cb_item_get_number (item) : "-",
                cb_item_get_title (item));
    }

  if (json)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (node, array);
      cb_cli_print_json (node);
    }

  return CB_EXIT_OK;
}

/* show */

static void
wrap (GString    *out,
      const char *text,
      const char *first_indent,
      const char *indent)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  glong column = 0;
  const glong width = 78;

  g_string_append (out, first_indent);
  column = g_utf8_strlen (first_indent, -1);

  for (guint i = 0; words[i]; i++)
    {
      glong len = g_utf8_strlen (words[i], -1);

      if (len == 0)
        continue;
      if (column > g_utf8_strlen (indent, -1) && column + 1 + len > width)
        {
          g_string_append_c (out, '\n');
          g_string_append (out, indent);
          column = g_utf8_strlen (indent, -1);
        }
      else if (column > g_utf8_strlen (first_indent, -1) || (column > 0 && i > 0 && out->str[out->len - 1] != ' '))
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
    }
  g_string_append_c (out, '\n');
}

static void
render_block (GString *out,
              CbBlock *block,
              guint    depth)
{
  g_autofree char *pad = g_strnfill (depth * 2, ' ');

  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      {
        g_autofree char *text = cb_spans_to_text (block->spans);

        wrap (out, text, pad, pad);
        g_string_append_c (out, '\n');
      }
      break;

    case CB_BLOCK_HEADING:
      {
        g_autofree char *text = cb_spans_to_text (block->spans);
        g_autofree char *upper = g_utf8_strup (text, -1);

        g_string_append_printf (out, "%s%s%s%s\n\n", pad, block->number ? block->number : "",
                                block->number ? " " : "", upper);
      }
      break;

    case CB_BLOCK_LIST:
      for (guint i = 0; i < block->children->len; i++)
        {
          CbBlock *item = g_ptr_array_index (block->children, i);
          g_autofree char *text = cb_spans_to_text (item->spans);
          g_autofree char *lead = item->lead ? cb_spans_to_text (item->lead) : NULL;
          g_autofree char *marker = item->number ? g_strdup_printf ("%s%s. ", pad, item->number)
                                                 : g_strdup_printf ("%s• ", pad);
          g_autofree char *hang = g_strnfill (g_utf8_strlen (marker, -1), ' ');
          g_autofree char *full = lead ? g_strconcat (lead, " ", text, NULL) : g_strdup (text);

          wrap (out, full, marker, hang);
        }
      g_string_append_c (out, '\n');
      break;

    case CB_BLOCK_TABLE:
      for (guint r = 0; r < block->children->len; r++)
        {
          CbBlock *row = g_ptr_array_index (block->children, r);

          for (guint c = 0; c < row->children->len; c++)
            {
              g_autoptr(GString) cell = g_string_new (NULL);

              cb_block_append_text (g_ptr_array_index (row->children, c), cell);
              g_strchomp (cell->str);
              g_strdelimit (cell->str, "\n", ' ');
              wrap (out, cell->str, c == 0 ? (row->header ? "  ▸ " : "  ■ ") : "    │ ", "    │ ");
            }
        }
      g_string_append_c (out, '\n');
      break;

    case CB_BLOCK_ITEM_REF:
      g_string_append_printf (out, "%s→ %s\n\n", pad, block->ref);
      break;

    default:
      break;
    }
}

static char *
format_reference (CbReference *reference)
{
  g_autofree char *authors = cb_reference_format_authors (reference);
  g_autofree char *link = cb_reference_dup_link (reference);
  GString *out = g_string_new (authors);

  g_string_append_printf (out, " (%s) %s.", cb_reference_get_year (reference) ? cb_reference_get_year (reference) : _("n.d."),
                          cb_reference_get_title (reference));
  if (cb_reference_get_container (reference))
    g_string_append_printf (out, " %s", cb_reference_get_container (reference));
  if (cb_reference_get_volume (reference))
    g_string_append_printf (out, ", %s", cb_reference_get_volume (reference));
  if (cb_reference_get_issue (reference))
    g_string_append_printf (out, "(%s)", cb_reference_get_issue (reference));
  if (cb_reference_get_pages (reference))
    g_string_append_printf (out, ", %s", cb_reference_get_pages (reference));
  if (cb_reference_get_publisher (reference))
    g_string_append_printf (out, " %s%s%s", cb_reference_get_place (reference) ? cb_reference_get_place (reference) : "",
                            cb_reference_get_place (reference) ? ": " : "", cb_reference_get_publisher (reference));
  if (link)
    g_string_append_printf (out, " %s", link);

  return g_string_free (out, FALSE);
}

static int
cmd_show (Globals  *globals,
          int       argc,
          char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object with the parts and full references"), NULL },
    { NULL }
  };
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(CbTaxonomy) taxonomy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  CbItem *item;
  GPtrArray *parts, *refs;
  int status;

  status = cb_cli_parse_options ("show", _("ID"), _("Show one item in full, with its references."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("show", argc, 1))
    return CB_EXIT_USAGE;

  if ((corpus = cb_cli_load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;

  if ((item = cb_corpus_lookup_item (corpus, argv[1])) == NULL)
    {
      cb_cli_print_error (_("show: no item “%s” (see “casebook-cli list”)"), argv[1]);
      return CB_EXIT_FAILURE;
    }

  if (json)
    return cb_cli_print_json (cb_item_to_json (item, corpus, TRUE));

  if ((taxonomy = cb_taxonomy_get_default (&error)) == NULL)
    {
      cb_cli_print_error ("%s", error->message);
      return CB_EXIT_FAILURE;
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s%s%s: %s\n", cb_item_kind_label (cb_item_get_kind (item)),
                          cb_item_get_number (item) ? " " : "",
                          cb_item_get_number (item) ? cb_item_get_number (item) : "",
                          cb_item_get_title (item));
  if (cb_item_get_chapter (item) != 0)
    g_string_append_printf (out, _("Chapter %u"), cb_item_get_chapter (item));
  if (cb_item_get_section (item) != NULL && cb_item_get_kind (item) != CB_ITEM_KIND_SECTION)
    g_string_append_printf (out, _(", section %s"), cb_item_get_section (item));
  if (cb_item_get_page (item) != 0)
    g_string_append_printf (out, "%s%s", cb_item_get_chapter (item) ? " · " : "", "");
  if (cb_item_get_page (item) != 0)
    g_string_append_printf (out, _("Guide, p. %u"), cb_item_get_page (item));
  if (cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED)
    g_string_append (out, _(" · retired"));
  g_string_append_c (out, '\n');

  if (cb_item_get_countries (item)->len > 0)
    {
      g_string_append (out, _("Countries: "));
      for (guint i = 0; i < cb_item_get_countries (item)->len; i++)
        {
          const char *code = g_ptr_array_index (cb_item_get_countries (item), i);

          g_string_append_printf (out, "%s%s (%s)", i ? ", " : "",
                                  cb_taxonomy_label (taxonomy, CB_TAXONOMY_COUNTRY, code), code);
        }
      g_string_append_c (out, '\n');
    }
  if (cb_item_get_interventions (item)->len > 0)
    {
      g_string_append (out, _("Intervention types: "));
      for (guint i = 0; i < cb_item_get_interventions (item)->len; i++)
        g_string_append_printf (out, "%s%s", i ? "; " : "",
                                cb_taxonomy_label (taxonomy, CB_TAXONOMY_INTERVENTION,
                                                   g_ptr_array_index (cb_item_get_interventions (item), i)));
      g_string_append_c (out, '\n');
    }
  if (cb_item_get_design (item) != NULL)
    g_string_append_printf (out, _("Study design: %s\n"),
                            cb_taxonomy_label (taxonomy, CB_TAXONOMY_DESIGN, cb_item_get_design (item)));
  g_string_append_c (out, '\n');

  parts = cb_item_get_parts (item);
  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);

      if (!g_str_equal (part->name, "body"))
        {
          g_autofree char *heading = g_utf8_strup (cb_part_name_label (part->name), -1);

          g_string_append_printf (out, "%s\n\n", heading);
        }
      for (guint j = 0; j < part->blocks->len; j++)
        render_block (out, g_ptr_array_index (part->blocks, j), 0);
    }

  refs = cb_item_get_references (item);
  if (refs->len > 0 || cb_item_get_reference_note (item) != NULL)
    {
      g_string_append_printf (out, "%s\n\n", _("REFERENCES"));
      for (guint i = 0; i < refs->len; i++)
        {
          CbReference *reference = cb_corpus_lookup_reference (corpus, g_ptr_array_index (refs, i));
          g_autofree char *text = reference ? format_reference (reference) : g_strdup (g_ptr_array_index (refs, i));
          g_autofree char *marker = g_strdup_printf ("[%u] ", i + 1);

          wrap (out, text, marker, "    ");
        }
      if (cb_item_get_reference_note (item) != NULL)
        g_string_append_printf (out, _("Note: %s\n"), cb_item_get_reference_note (item));
    }

  fputs (out->str, stdout);

  return CB_EXIT_OK;
}

/* stats */

static int
cmd_stats (Globals  *globals,
           int       argc,
           char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL }
  };
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GHashTable) countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint retired = 0;
  GPtrArray *items;
  int status;

  status = cb_cli_parse_options ("stats", "", _("Count the corpus’s items, references and reported flaws."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("stats", argc, 0))
    return CB_EXIT_USAGE;

  if ((corpus = cb_cli_load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;

  items = cb_corpus_get_items (corpus);
  for (guint i = 0; i < items->len; i++)
    {
      CbItem *item = g_ptr_array_index (items, i);
      GPtrArray *codes = cb_item_get_countries (item);

      retired += cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED;
      for (guint c = 0; c < codes->len; c++)
        {
          const char *code = g_ptr_array_index (codes, c);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (countries, code));

          g_hash_table_insert (countries, g_strdup (code), GUINT_TO_POINTER (n + 1));
        }
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_add_int_value (builder, items->len);
  json_builder_set_member_name (builder, "kinds");
  json_builder_begin_object (builder);
  for (guint k = 0; k < CB_N_ITEM_KINDS; k++)
    {
      json_builder_set_member_name (builder, cb_item_kind_to_string (k));
      json_builder_add_int_value (builder, cb_corpus_count_items (corpus, k));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "retired");
  json_builder_add_int_value (builder, retired);
  json_builder_set_member_name (builder, "references");
  json_builder_add_int_value (builder, cb_corpus_get_references (corpus)->len);
  json_builder_set_member_name (builder, "chapters");
  json_builder_add_int_value (builder, cb_corpus_get_chapters (corpus)->len);
  json_builder_set_member_name (builder, "anomalies");
  json_builder_add_int_value (builder, cb_corpus_get_anomalies (corpus)->len);
  json_builder_set_member_name (builder, "countries");
  json_builder_begin_object (builder);
  {
    g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (countries), (GCompareFunc) strcmp);

    for (GList *l = keys; l; l = l->next)
      {
        json_builder_set_member_name (builder, l->data);
        json_builder_add_int_value (builder, GPOINTER_TO_UINT (g_hash_table_lookup (countries, l->data)));
      }
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  if (json)
    return cb_cli_print_json (json_builder_get_root (builder));

  /* Translators: the count of items, then how many of them are retired */
  printf (ngettext ("Items: %u (%u retired)\n", "Items: %u (%u retired)\n", retired), items->len, retired);
  for (guint k = 0; k < CB_N_ITEM_KINDS; k++)
    printf ("  %-22s %u\n", cb_item_kind_label (k), cb_corpus_count_items (corpus, k));
  printf (_("References: %u\n"), cb_corpus_get_references (corpus)->len);
  printf (_("Chapters: %u\n"), cb_corpus_get_chapters (corpus)->len);
  printf (_("Flaws reported in the guide text: %u\n"), cb_corpus_get_anomalies (corpus)->len);
  printf (_("Evidence by country:\n"));
  {
    g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (countries), (GCompareFunc) strcmp);

    for (GList *l = keys; l; l = l->next)
      printf ("  %-4s %u\n", (char *) l->data, GPOINTER_TO_UINT (g_hash_table_lookup (countries, l->data)));
  }

  return CB_EXIT_OK;
}


/* search, facets, index */

CbStore *
cb_cli_open_store (Globals  *globals,
                   gboolean  force,
                   gboolean *rebuilt)
{
  g_autoptr(GError) error = NULL;
  /* The index is a cache of the corpus: a damaged one is rebuilt */
  g_autoptr(CbStore) store = cb_store_open_full (globals->db_path, CB_STORE_REPLACE_DAMAGED, &error);
  g_autofree char *corpus = NULL;

  if (store == NULL)
    {
      cb_cli_print_error ("%s", error->message);
      return NULL;
    }

  corpus = dup_corpus_path (globals);

  if (!cb_store_sync (store, corpus, force, NULL, NULL, NULL, rebuilt, &error))
    {
      cb_cli_print_error ("%s", error->message);
      return NULL;
    }

  return g_steal_pointer (&store);
}

typedef struct {
  char **kinds;
  char **chapters;
  char **countries;
  char **types;
  char **designs;
  int    limit;
  gboolean json;
  gboolean retired;
} SearchOptions;

static void
search_options_clear (SearchOptions *options)
{
  g_strfreev (options->kinds);
  g_strfreev (options->chapters);
  g_strfreev (options->countries);
  g_strfreev (options->types);
  g_strfreev (options->designs);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SearchOptions, search_options_clear)

static CbQuery *
build_query (CbStore       *store,
             const char    *text,
             SearchOptions *options)
{
  CbTaxonomy *taxonomy = cb_store_get_taxonomy (store);
  CbQuery *query = cb_query_parse (text, taxonomy);
  char **filters[CB_N_FACETS] = {
    [CB_FACET_KIND] = options->kinds,
    [CB_FACET_CHAPTER] = options->chapters,
    [CB_FACET_COUNTRY] = options->countries,
    [CB_FACET_INTERVENTION] = options->types,
    [CB_FACET_DESIGN] = options->designs,
  };

  for (guint f = 0; f < CB_N_FACETS; f++)
    for (guint i = 0; filters[f] && filters[f][i]; i++)
      if (!cb_query_add_filter (query, taxonomy, f, filters[f][i]))
        fprintf (stderr, _("casebook-cli: note: no %s is known as “%s”; it matches nothing\n"),
                 cb_facet_to_string (f), filters[f][i]);

  cb_query_set_include_retired (query, options->retired);

  return query;
}

static const char *
facet_label (CbTaxonomy *taxonomy,
             CbFacet     facet,
             const char *value)
{
  CbItemKind kind;

  switch (facet)
    {
    case CB_FACET_KIND:
      return cb_item_kind_from_string (value, &kind) ? cb_item_kind_label (kind) : value;
    case CB_FACET_COUNTRY:
      return cb_taxonomy_label (taxonomy, CB_TAXONOMY_COUNTRY, value);
    case CB_FACET_INTERVENTION:
      return cb_taxonomy_label (taxonomy, CB_TAXONOMY_INTERVENTION, value);
    case CB_FACET_DESIGN:
      return cb_taxonomy_label (taxonomy, CB_TAXONOMY_DESIGN, value);
    case CB_FACET_CHAPTER:
    default:
      return value;
    }
}

#define SEARCH_OPTION_ENTRIES(options) \
    { "kind", 'k', 0, G_OPTION_ARG_STRING_ARRAY, &(options).kinds, N_("Only this kind of item (repeat for either)"), N_("KIND") }, \
    { "chapter", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &(options).chapters, N_("Only this chapter (repeat for either)"), N_("N") }, \
    { "country", 0, 0, G_OPTION_ARG_STRING_ARRAY, &(options).countries, N_("Only evidence from this country: a code, name or synonym (repeat for either)"), N_("CC") }, \
    { "type", 't', 0, G_OPTION_ARG_STRING_ARRAY, &(options).types, N_("Only this intervention type (repeat for either)"), N_("ID") }, \
    { "design", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &(options).designs, N_("Only this study design (repeat for either)"), N_("ID") }, \
    { "retired", 0, 0, G_OPTION_ARG_NONE, &(options).retired, N_("Include retired items"), NULL }

static int
cmd_search (Globals  *globals,
            int       argc,
            char    **argv)
{
  g_auto(SearchOptions) options = { .limit = 20 };
  GOptionEntry entries[] = {
    SEARCH_OPTION_ENTRIES (options),
    { "limit", 'n', 0, G_OPTION_ARG_INT, &options.limit, N_("Show at most N results (0 for all; default 20)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json, N_("Print a JSON array, best first"), NULL },
    { NULL }
  };
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbQuery) query = NULL;
  g_autoptr(CbSearchResults) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GPtrArray) snippets = NULL;
  guint n, shown;
  int status;

  status = cb_cli_parse_options ("search", _("QUERY"),
                          _("Search the evidence. The query takes words (all must match), \"quoted phrases\", "
                            "prefix*, OR, -word to exclude, and filters such as country:NZ, chapter:5, kind:case, "
                            "type:social-prescribing, design:rct. An empty query lists everything in guide order."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("search", argc, 1))
    return CB_EXIT_USAGE;
  if (options.limit < 0)
    {
      cb_cli_print_error (_("search: --limit must be 0 or more"));
      return CB_EXIT_USAGE;
    }

  if ((store = cb_cli_open_store (globals, FALSE, NULL)) == NULL)
    return CB_EXIT_FAILURE;

  query = build_query (store, argv[1], &options);
  if ((results = cb_store_search (store, query, NULL, &error)) == NULL)
    {
      cb_cli_print_error ("%s", error->message);
      return CB_EXIT_FAILURE;
    }

  n = cb_search_results_get_n_hits (results);
  shown = options.limit > 0 ? MIN (n, (guint) options.limit) : n;

  if (options.json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else
    {
      printf (ngettext ("%u result\n", "%u results\n", n), n);
    }

  {
    g_autofree guint *page = g_new (guint, MAX (shown, 1));

    for (guint i = 0; i < shown; i++)
      page[i] = i;
    snippets = cb_store_snippets (store, results, page, shown, options.json ? "<mark>" : "[",
                                  options.json ? "</mark>" : "]", NULL);
  }

  for (guint i = 0; i < shown; i++)
    {
      const char *id = cb_search_results_get_id (results, i);
      const char *snippet = snippets ? g_ptr_array_index (snippets, i) : NULL;
      g_autoptr(GPtrArray) kinds = cb_search_results_dup_values (results, i, CB_FACET_KIND);
      g_autoptr(GPtrArray) chapters = cb_search_results_dup_values (results, i, CB_FACET_CHAPTER);
      g_autoptr(GPtrArray) countries = cb_search_results_dup_values (results, i, CB_FACET_COUNTRY);
      g_autoptr(GPtrArray) types = cb_search_results_dup_values (results, i, CB_FACET_INTERVENTION);
      g_autoptr(GPtrArray) designs = cb_search_results_dup_values (results, i, CB_FACET_DESIGN);

      if (!options.json)
        {
          printf ("%3u. %s  %s\n", i + 1, id, cb_search_results_get_title (results, i));
          if (snippet != NULL && *snippet != '\0')
            printf ("     %s\n", snippet);
          continue;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kinds->len ? g_ptr_array_index (kinds, 0) : NULL);
      json_builder_set_member_name (builder, "number");
      json_builder_add_string_value (builder, cb_search_results_get_number (results, i));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, cb_search_results_get_title (results, i));
      json_builder_set_member_name (builder, "chapter");
      if (chapters->len)
        json_builder_add_int_value (builder, g_ascii_strtoll (g_ptr_array_index (chapters, 0), NULL, 10));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "countries");
      json_builder_begin_array (builder);
      for (guint c = 0; c < countries->len; c++)
        json_builder_add_string_value (builder, g_ptr_array_index (countries, c));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "interventions");
      json_builder_begin_array (builder);
      for (guint c = 0; c < types->len; c++)
        json_builder_add_string_value (builder, g_ptr_array_index (types, c));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "design");
      json_builder_add_string_value (builder, designs->len ? g_ptr_array_index (designs, 0) : NULL);
      json_builder_set_member_name (builder, "score");
      json_builder_add_double_value (builder, cb_search_results_get_score (results, i));
      json_builder_set_member_name (builder, "snippet");
      json_builder_add_string_value (builder, snippet);
      json_builder_end_object (builder);
    }

  if (options.json)
    {
      json_builder_end_array (builder);
      return cb_cli_print_json (json_builder_get_root (builder));
    }

  if (shown < n)
    printf (ngettext ("… and %u more (use --limit)\n", "… and %u more (use --limit)\n", n - shown), n - shown);

  return CB_EXIT_OK;
}

static int
cmd_facets (Globals  *globals,
            int       argc,
            char    **argv)
{
  g_auto(SearchOptions) options = { 0 };
  GOptionEntry entries[] = {
    SEARCH_OPTION_ENTRIES (options),
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json, N_("Print a JSON object"), NULL },
    { NULL }
  };
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbQuery) query = NULL;
  g_autoptr(CbSearchResults) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  CbTaxonomy *taxonomy;
  int status;

  status = cb_cli_parse_options ("facets", _("QUERY"),
                          _("Count the results of a query by kind, chapter, country, intervention type and "
                            "study design; each dimension is counted with the other dimensions' filters applied."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("facets", argc, 1))
    return CB_EXIT_USAGE;

  if ((store = cb_cli_open_store (globals, FALSE, NULL)) == NULL)
    return CB_EXIT_FAILURE;

  taxonomy = cb_store_get_taxonomy (store);
  query = build_query (store, argv[1], &options);
  if ((results = cb_store_search (store, query, NULL, &error)) == NULL)
    {
      cb_cli_print_error ("%s", error->message);
      return CB_EXIT_FAILURE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, cb_search_results_get_n_hits (results));
  json_builder_set_member_name (builder, "facets");
  json_builder_begin_object (builder);
  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GArray *counts = cb_search_results_get_facet (results, f);

      json_builder_set_member_name (builder, cb_facet_to_string (f));
      json_builder_begin_array (builder);
      for (guint i = 0; i < counts->len; i++)
        {
          CbFacetCount *count = &g_array_index (counts, CbFacetCount, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, count->value);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, facet_label (taxonomy, f, count->value));
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, count->count);
          json_builder_set_member_name (builder, "selected");
          json_builder_add_boolean_value (builder, count->selected);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  if (options.json)
    return cb_cli_print_json (json_builder_get_root (builder));

  printf (ngettext ("%u result\n", "%u results\n", cb_search_results_get_n_hits (results)),
          cb_search_results_get_n_hits (results));
  for (guint f = 0; f < CB_N_FACETS; f++)
    {
      GArray *counts = cb_search_results_get_facet (results, f);

      printf ("\n%s\n", cb_facet_to_string (f));
      for (guint i = 0; i < counts->len; i++)
        {
          CbFacetCount *count = &g_array_index (counts, CbFacetCount, i);

          printf ("  %s %5u  %s\n", count->selected ? "*" : " ", count->count, facet_label (taxonomy, f, count->value));
        }
    }

  return CB_EXIT_OK;
}

static int
cmd_index (Globals  *globals,
           int       argc,
           char    **argv)
{
  gboolean rebuild = FALSE;
  GOptionEntry entries[] = {
    { "rebuild", 0, 0, G_OPTION_ARG_NONE, &rebuild, N_("Rebuild the index even if the corpus has not changed"), NULL },
    { NULL }
  };
  g_autoptr(CbStore) store = NULL;
  g_autofree char *corpus = NULL;
  g_autofree char *checksum = NULL;
  gboolean rebuilt = FALSE;
  int status;

  status = cb_cli_parse_options ("index", "", _("Bring the search index up to date with the corpus and describe it."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!cb_cli_check_extra_args ("index", argc, 0))
    return CB_EXIT_USAGE;

  if ((store = cb_cli_open_store (globals, rebuild, &rebuilt)) == NULL)
    return CB_EXIT_FAILURE;

  corpus = cb_store_dup_corpus_path (store);
  checksum = cb_store_dup_corpus_checksum (store);
  printf (_("Index: %s\n"), cb_store_get_path (store));
  printf (_("Corpus: %s\n"), corpus);
  printf (_("Corpus SHA-256: %s\n"), checksum);
  printf (_("Items: %u\n"), cb_store_get_n_items (store));
  printf ("%s\n", rebuilt ? _("Rebuilt from the corpus.") : _("Up to date."));

  return CB_EXIT_OK;
}

static void
print_group_usage (FILE          *stream,
                   const char    *group,
                   const char    *summary,
                   const Command *commands,
                   guint          n_commands)
{
  fprintf (stream, _("Usage: casebook-cli %s COMMAND [OPTION…]\n\n%s\n\nCommands:\n"), group, summary);
  for (guint i = 0; i < n_commands; i++)
    fprintf (stream, "  %-10s %s\n  %-10s   %s\n", commands[i].name, commands[i].args, "", _(commands[i].summary));
  fprintf (stream, _("\nRun “casebook-cli %s COMMAND --help” for a command’s options.\n"), group);
}

/**
 * cb_cli_run_group:
 * @globals: the global options
 * @group: the group's name ("pack")
 * @summary: what the group is for
 * @commands: (array length=n_commands): its commands
 * @n_commands: how many
 * @argc: arguments from the group's name on
 * @argv: the arguments
 *
 * Runs one command of a group (`casebook-cli pack add …`).
 *
 * Returns: the exit status
 */
int
cb_cli_run_group (Globals        *globals,
                  const char     *group,
                  const char     *summary,
                  const Command  *commands,
                  guint           n_commands,
                  int             argc,
                  char          **argv)
{
  if (argc < 2)
    {
      print_group_usage (stderr, group, summary, commands, n_commands);
      return CB_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_group_usage (stdout, group, summary, commands, n_commands);
      return CB_EXIT_OK;
    }

  for (guint i = 0; i < n_commands; i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (globals, argc - 1, argv + 1);
    }

  cb_cli_print_error (_("unknown %s command “%s”"), group, argv[1]);
  print_group_usage (stderr, group, summary, commands, n_commands);

  return CB_EXIT_USAGE;
}

static const Command commands[] = {
  { "import-guide", "GUIDE.txt [--merge CORPUS.xml] -o OUT.xml", N_("Import the guide text into a corpus file"), cmd_import_guide },
  { "validate", "[CORPUS.xml] [--json]", N_("Check a corpus file and report the guide’s flaws"), cmd_validate },
  { "list", "[--kind K] [--json]", N_("List items"), cmd_list },
  { "show", "ID [--json]", N_("Show an item in full"), cmd_show },
  { "stats", "[--json]", N_("Count items, references and flaws"), cmd_stats },
  { "search", "QUERY [--kind K] [--chapter N] [--country CC] [--type ID] [--design ID] [--limit N] [--json]",
    N_("Search the evidence, best first"), cmd_search },
  { "facets", "QUERY [the filters of search] [--json]", N_("Count results by kind, chapter, country, type, design"), cmd_facets },
  { "index", "[--rebuild]", N_("Bring the search index up to date"), cmd_index },
  { "pack", "new|rename|duplicate|edit|delete|list|show|add|remove|move|note|export|import …",
    N_("Make, change, export and import evidence packs"), cb_cli_pack },
  { "item", "get|set|retire|restore|history …", N_("Edit items of the working corpus (librarians)"), cb_cli_item },
  { "corpus", "export|diff|apply …", N_("Make, compare and apply corpus update files (librarians)"), cb_cli_corpus },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, _("Usage: casebook-cli [--corpus FILE] COMMAND [OPTION…]\n\n"
                     "Casebook’s command line: the evidence of “Improving race equality in your\n"
                     "organisation” for scripts and librarians.\n\n"
                     "Options:\n"
                     "  --corpus FILE   Use this corpus file instead of the bundled one\n"
                     "  --db FILE       Keep the search index here ($CASEBOOK_DB, else in the\n"
                     "                  user data folder); packs are kept beside it in\n"
                     "                  user.sqlite ($CASEBOOK_USER_DB overrides)\n"
                     "  -h, --help      Show this help\n"
                     "  --version       Show the version\n\n"
                     "Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-14s %s\n  %-14s   %s\n", commands[i].name, commands[i].args, "", _(commands[i].summary));
  fprintf (stream, _("\nRun “casebook-cli COMMAND --help” for a command’s options.\n"
                     "Exit status: 0 success, 1 failure (invalid corpus, unknown id), 2 usage error.\n"));
}

/**
 * cb_cli_run:
 * @argc: argument count
 * @argv: arguments
 *
 * Returns: the exit status
 */
int
cb_cli_run (int    argc,
            char **argv)
{
  Globals globals = { 0 };
  int i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cb_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_usage (stdout);
          return CB_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          printf ("casebook-cli %s\n", PACKAGE_VERSION);
          return CB_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--corpus") && i + 1 < argc)
        {
          globals.corpus_path = argv[++i];
        }
      else if (g_str_has_prefix (argv[i], "--corpus="))
        {
          globals.corpus_path = argv[i] + strlen ("--corpus=");
        }
      else if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        {
          globals.db_path = argv[++i];
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          globals.db_path = argv[i] + strlen ("--db=");
        }
      else
        {
          cb_cli_print_error (_("unknown option “%s”"), argv[i]);
          print_usage (stderr);
          return CB_EXIT_USAGE;
        }
    }

  if (i >= argc)
    {
      print_usage (stderr);
      return CB_EXIT_USAGE;
    }

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      if (g_str_equal (argv[i], commands[c].name))
        return commands[c].func (&globals, argc - i, argv + i);
    }

  cb_cli_print_error (_("unknown command “%s”"), argv[i]);
  print_usage (stderr);

  return CB_EXIT_USAGE;
}
