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
#include "cb-corpus-check.h"
#include "cb-corpus-json.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-guide-importer.h"
#include "cb-taxonomy.h"
#include "cb-xml.h"

typedef struct {
  const char *corpus_path;
} Globals;

typedef int (*CommandFunc) (Globals  *globals,
                            int       argc,
                            char    **argv);

typedef struct {
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
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
static int
parse_options (const char    *command,
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
      print_error ("%s", error->message);
      fprintf (stderr, _("Try “casebook-cli %s --help”.\n"), command);
      return CB_EXIT_USAGE;
    }

  return CB_EXIT_OK;
}

static gboolean
check_extra_args (const char *command,
                  int         argc,
                  int         expected)
{
  if (argc - 1 != expected)
    {
      print_error (argc - 1 > expected ? _("%s: too many arguments") : _("%s: missing argument"), command);
      fprintf (stderr, _("Try “casebook-cli %s --help”.\n"), command);
      return FALSE;
    }

  return TRUE;
}

static CbCorpus *
load_corpus (Globals *globals)
{
  g_autofree char *bundled = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = globals->corpus_path;
  CbCorpus *corpus;

  if (path == NULL)
    path = bundled = cb_get_bundled_corpus_path ();

  corpus = cb_corpus_read_file (path, &error);
  if (corpus == NULL)
    print_error ("%s", error->message);

  return corpus;
}

static int
print_json (JsonNode *node)
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

  status = parse_options ("import-guide", _("GUIDE.txt"),
                          _("Import the guide text into a corpus file, reporting the guide’s flaws."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!check_extra_args ("import-guide", argc, 1))
    return CB_EXIT_USAGE;
  if (output == NULL)
    {
      print_error (_("import-guide: the output file is required (-o OUT.xml)"));
      return CB_EXIT_USAGE;
    }

  if (merge != NULL)
    {
      g_autoptr(CbCorpus) base = cb_corpus_read_file (merge, &error);

      if (base == NULL)
        {
          print_error ("%s", error->message);
          return CB_EXIT_FAILURE;
        }
      cb_guide_importer_set_base (importer, base);
    }

  corpus = cb_guide_importer_import_file (importer, argv[1], &error);
  if (corpus == NULL || !cb_corpus_write_file (corpus, output, &error))
    {
      print_error ("%s", error->message);
      return CB_EXIT_FAILURE;
    }

  printf (_("Imported %u items and %u references into %s\n"),
          cb_corpus_get_items (corpus)->len, cb_corpus_get_references (corpus)->len, output);
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

  status = parse_options ("validate", _("[CORPUS.xml]"),
                          _("Check a corpus file: the schema, its consistency, and the guide’s flaws the "
                            "importer reported. Broken corpus files are errors (exit status 1); the guide’s "
                            "own flaws are warnings."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (argc > 2)
    return check_extra_args ("validate", argc, 1) ? CB_EXIT_OK : CB_EXIT_USAGE;

  path = argc == 2 ? argv[1] : globals->corpus_path;
  if (path == NULL)
    path = bundled = cb_get_bundled_corpus_path ();

  if ((taxonomy = cb_taxonomy_get_default (&error)) == NULL)
    {
      print_error ("%s", error->message);
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
          print_json (json_builder_get_root (builder));
        }
      else
        {
          fprintf (stderr, "error: %s\n", error->message);
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
      print_json (json_builder_get_root (builder));
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

  status = parse_options ("list", "", _("List the items of the corpus in guide order."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!check_extra_args ("list", argc, 0))
    return CB_EXIT_USAGE;
  if (kind_str != NULL && !cb_item_kind_from_string (kind_str, &kind))
    {
      print_error (_("list: unknown kind “%s”"), kind_str);
      return CB_EXIT_USAGE;
    }

  if ((corpus = load_corpus (globals)) == NULL)
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
      print_json (node);
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

  g_string_append_printf (out, " (%s) %s.", cb_reference_get_year (reference) ? cb_reference_get_year (reference) : "n.d.",
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

  status = parse_options ("show", _("ID"), _("Show one item in full, with its references."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!check_extra_args ("show", argc, 1))
    return CB_EXIT_USAGE;

  if ((corpus = load_corpus (globals)) == NULL)
    return CB_EXIT_FAILURE;

  if ((item = cb_corpus_lookup_item (corpus, argv[1])) == NULL)
    {
      print_error (_("show: no item “%s” (see “casebook-cli list”)"), argv[1]);
      return CB_EXIT_FAILURE;
    }

  if (json)
    return print_json (cb_item_to_json (item, corpus, TRUE));

  if ((taxonomy = cb_taxonomy_get_default (&error)) == NULL)
    {
      print_error ("%s", error->message);
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

  status = parse_options ("stats", "", _("Count the corpus’s items, references and reported flaws."),
                          entries, &argc, &argv);
  if (status != CB_EXIT_OK)
    return status;
  if (!check_extra_args ("stats", argc, 0))
    return CB_EXIT_USAGE;

  if ((corpus = load_corpus (globals)) == NULL)
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
    return print_json (json_builder_get_root (builder));

  printf (_("Items: %u (%u retired)\n"), items->len, retired);
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

static const Command commands[] = {
  { "import-guide", "GUIDE.txt [--merge CORPUS.xml] -o OUT.xml", N_("Import the guide text into a corpus file"), cmd_import_guide },
  { "validate", "[CORPUS.xml] [--json]", N_("Check a corpus file and report the guide’s flaws"), cmd_validate },
  { "list", "[--kind K] [--json]", N_("List items"), cmd_list },
  { "show", "ID [--json]", N_("Show an item in full"), cmd_show },
  { "stats", "[--json]", N_("Count items, references and flaws"), cmd_stats },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, _("Usage: casebook-cli [--corpus FILE] COMMAND [OPTION…]\n\n"
                     "Casebook’s command line: the evidence of “Improving race equality in your\n"
                     "organisation” for scripts and librarians.\n\n"
                     "Options:\n"
                     "  --corpus FILE   Use this corpus file instead of the bundled one\n"
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
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
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
      else
        {
          print_error (_("unknown option “%s”"), argv[i]);
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

  print_error (_("unknown command “%s”"), argv[i]);
  print_usage (stderr);

  return CB_EXIT_USAGE;
}
