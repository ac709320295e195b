/* cb-pack-file.c: the Casebook pack file: one evidence pack as XML in
 * the namespace urn:x-casebook:pack (schema data/pack.rng)
 *
 *   <pack xmlns="urn:x-casebook:pack" format="1" generator="Casebook 0.1.0">
 *     <name>…</name>
 *     <description>…</description>          (each of these when not empty)
 *     <audience>…</audience>
 *     <date>2025-03-01</date>
 *     <created>…</created>
 *     <modified>…</modified>
 *     <corpus title="…" checksum="…"/>      (when the corpus has one)
 *     <entries>
 *       <entry item="case_study:4.2.4" label="Case study 4.2.4">
 *         <title>…</title>
 *         <note>…</note>                     (when not empty)
 *       </entry>
 *     </entries>
 *   </pack>
 *
 * The writer builds a libxml2 tree, so every text is escaped by
 * construction, and reads its own output back before handing it over. The
 * reader refuses DTDs and entities (cb_xml_read_memory()), reports a newer
 * format before validating, validates against the schema and only then
 * builds the pack: a bad file never gives a half-built one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-export"

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/tree.h>
#include <libxml/xmlschemastypes.h>
#include <string.h>

#include "cb-error.h"
#include "cb-export-private.h"
#include "cb-pack-file.h"
#include "cb-xml.h"

#define CB_PACK_NAMESPACE "urn:x-casebook:pack"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

/* Writer */

static gboolean
check_text (const char  *text,
            const char  *field,
            GError     **error)
{
  gunichar bad = 0;

  if (cb_text_is_xml_safe (text, &bad))
    return TRUE;

  /* Translators: the first %s names a field ("The pack's note on Case
   * study 4.2.4"), then a character code */
  g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
               _("%s holds a character a pack file cannot carry (U+%04X)"), field, bad);

  return FALSE;
}

/* Adds <name>text</name>; xmlNewTextChild() escapes the text. */
static void
add_text_child (xmlNodePtr  parent,
                xmlNsPtr    ns,
                const char *name,
                const char *text)
{
  xmlNewTextChild (parent, ns, BAD_CAST name, BAD_CAST text);
}

/* The item ids data/pack.rng accepts */
static gboolean
item_id_is_valid (const char *id)
{
  const char *p = id;

  if (!g_ascii_islower (*p))
    return FALSE;
  while (g_ascii_islower (*p) || *p == '_')
    p++;
  if (*p++ != ':' || *p == '\0')
    return FALSE;
  for (; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
        return FALSE;
    }

  return strlen (id) <= 200;
}

/* A SHA-256 as data/pack.rng wants it: 64 lower-case hex digits */
static gboolean
is_sha256 (const char *text)
{
  gsize n = 0;

  for (; text[n] != '\0'; n++)
    {
      if (!g_ascii_isdigit (text[n]) && !(text[n] >= 'a' && text[n] <= 'f'))
        return FALSE;
    }

  return n == 64;
}

/* The check data/pack.rng makes of <created> and <modified> */
static gboolean
is_xsd_date_time (const char *text)
{
  xmlSchemaTypePtr type;

  xmlSchemaInitTypes ();
  type = xmlSchemaGetBuiltInType (XML_SCHEMAS_DATETIME);

  return type != NULL && xmlSchemaValPredefTypeNode (type, BAD_CAST text, NULL, NULL) == 0;
}

static xmlDocPtr
build_document (CbExportContext  *ctx,
                GError          **error)
{
  CbPack *pack = ctx->pack;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *format = g_strdup_printf ("%d", CB_PACK_FILE_FORMAT);
  const char *checksum = cb_corpus_get_source_checksum (ctx->corpus);
  GError *invalid = NULL;
  xmlNodePtr root, entries;
  xmlNsPtr ns;
  const struct {
    const char *element;
    const char *value;
    const char *field;
  } details[] = {
    { "description", cb_pack_get_description (pack), _("The pack’s description") },
    { "audience", cb_pack_get_audience (pack), _("The pack’s audience") },
    { "date", cb_pack_get_date (pack), _("The pack’s date") },
    { "created", cb_pack_get_created (pack), _("The pack’s creation time") },
    { "modified", cb_pack_get_modified (pack), _("The pack’s modification time") },
  };

  if (!check_text (cb_pack_get_name (pack), _("The pack’s name"), error))
    return NULL;
  if (!cb_pack_name_is_valid (cb_pack_get_name (pack), &invalid))
    {
      g_propagate_prefixed_error (error, invalid, _("The pack cannot be saved: "));
      return NULL;
    }
  if (!cb_pack_date_is_valid (cb_pack_get_date (pack)))
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("The pack’s date “%s” is not a date (YYYY-MM-DD)"), cb_pack_get_date (pack));
      return NULL;
    }

  doc = xmlNewDoc (BAD_CAST "1.0");
  root = xmlNewNode (NULL, BAD_CAST "pack");
  xmlDocSetRootElement (doc, root);
  ns = xmlNewNs (root, BAD_CAST CB_PACK_NAMESPACE, NULL);
  xmlSetNs (root, ns);
  xmlNewProp (root, BAD_CAST "format", BAD_CAST format);
  xmlNewProp (root, BAD_CAST "generator", BAD_CAST "Casebook " PACKAGE_VERSION);

  add_text_child (root, ns, "name", cb_pack_get_name (pack));
  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    {
      if (*details[i].value == '\0')
        continue;
      if (!check_text (details[i].value, details[i].field, error))
        return NULL;

      /* The pack store keeps these; a value it did not make is only
       * information, not worth refusing the file for */
      if ((g_str_equal (details[i].element, "created") || g_str_equal (details[i].element, "modified")) &&
          !is_xsd_date_time (details[i].value))
        {
          g_debug ("Leaving out <%s>: “%s” is not an ISO 8601 time", details[i].element, details[i].value);
          continue;
        }

      add_text_child (root, ns, details[i].element, details[i].value);
    }

  /* Which corpus the pack was made with, so that a reader can tell */
  if (checksum != NULL && is_sha256 (checksum))
    {
      xmlNodePtr corpus = xmlNewChild (root, ns, BAD_CAST "corpus", NULL);
      const char *title = cb_corpus_get_title (ctx->corpus);

      if (title != NULL && check_text (title, _("The corpus title"), NULL))
        xmlNewProp (corpus, BAD_CAST "title", BAD_CAST title);
      xmlNewProp (corpus, BAD_CAST "checksum", BAD_CAST checksum);
    }

  entries = xmlNewChild (root, ns, BAD_CAST "entries", NULL);
  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (pack, i);
      g_autofree char *label_field = NULL;
      g_autofree char *title_field = NULL;
      g_autofree char *note_field = NULL;
      xmlNodePtr node;

      if (_cb_export_check_cancelled (ctx, error))
        return NULL;

      if (!cb_text_is_xml_safe (entry->item_id, NULL) || !item_id_is_valid (entry->item_id))
        {
          g_autofree char *shown = g_utf8_make_valid (entry->item_id, -1);

          g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                       _("Entry %u of the pack has an item id a pack file cannot carry (“%s”)"),
                       i + 1, shown);
          return NULL;
        }

      /* Translators: %s is an item id, "case_study:4.2.4" */
      label_field = g_strdup_printf (_("The label of “%s”"), entry->item_id);
      title_field = g_strdup_printf (_("The title of “%s”"), entry->item_id);
      note_field = g_strdup_printf (_("The note on “%s”"), entry->item_id);
      if (!check_text (entry->label, label_field, error) ||
          !check_text (entry->title, title_field, error) ||
          !check_text (entry->note, note_field, error))
        return NULL;

      node = xmlNewChild (entries, ns, BAD_CAST "entry", NULL);
      xmlNewProp (node, BAD_CAST "item", BAD_CAST entry->item_id);
      if (*entry->label != '\0')
        xmlNewProp (node, BAD_CAST "label", BAD_CAST entry->label);
      add_text_child (node, ns, "title", entry->title);
      if (*entry->note != '\0')
        add_text_child (node, ns, "note", entry->note);
    }

  return g_steal_pointer (&doc);
}

GBytes *
_cb_export_pack_file (CbExportContext  *ctx,
                      GError          **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(CbPack) check = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GBytes) bytes = NULL;
  xmlChar *mem = NULL;
  int size = 0;

  cb_xml_init ();

  if ((doc = build_document (ctx, error)) == NULL)
    return NULL;

  xmlDocDumpFormatMemoryEnc (doc, &mem, &size, "UTF-8", 1);
  if (mem == NULL || size <= 0)
    {
      xmlFree (mem);
      g_set_error_literal (error, CB_ERROR, CB_ERROR_IO, _("Could not write the pack file"));
      return NULL;
    }

  bytes = g_bytes_new (mem, size);
  xmlFree (mem);

  /* What is written must read back: a file Casebook cannot open again is
   * worse than no file. */
  check = cb_pack_file_read_bytes (bytes, cb_pack_get_name (ctx->pack), &invalid);
  if (check == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("The pack file would not be valid (%s)"), invalid->message);
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

/* Reader */

static void
fail_at (GError     **error,
         int          code,
         const char  *display_name,
         xmlNodePtr   node,
         const char  *message)
{
  long line = node ? xmlGetLineNo (node) : -1;

  if (line > 0)
    g_set_error (error, CB_ERROR, code, "%s:%ld: %s", display_name, line, message);
  else
    g_set_error (error, CB_ERROR, code, "%s: %s", display_name, message);
}

static gboolean
validate (xmlDocPtr    doc,
          const char  *display_name,
          GError     **error)
{
  g_autoptr(CbXmlErrors) errors = cb_xml_errors_new (display_name);
  xmlRelaxNGValidCtxtPtr vctxt;
  xmlRelaxNGPtr schema;
  int ret;

  if ((schema = cb_xml_get_schema ("pack", error)) == NULL)
    return FALSE;

  vctxt = xmlRelaxNGNewValidCtxt (schema);
  xmlRelaxNGSetValidStructuredErrors (vctxt, cb_xml_errors_handler, errors);
  ret = xmlRelaxNGValidateDoc (vctxt, doc);
  xmlRelaxNGFreeValidCtxt (vctxt);

  if (ret != 0)
    {
      if (!cb_xml_errors_any (errors))
        cb_xml_errors_add (errors, 0, 0, _("The pack file does not match its schema"));
      cb_xml_errors_propagate (errors, error, CB_ERROR_INVALID);
      return FALSE;
    }

  return TRUE;
}

/* The root is a <pack> in our namespace, in a format this version reads. */
static gboolean
check_root (xmlNodePtr   root,
            const char  *display_name,
            GError     **error)
{
  g_autofree char *format = NULL;
  guint64 number = 0;

  if (root == NULL || !cb_xml_node_is (root, "pack"))
    {
      g_autofree char *message =
        g_strdup_printf (_("This is not a Casebook pack file (its root element is <%s>, not <pack>)"),
                         root ? (const char *) root->name : "");

      fail_at (error, CB_ERROR_INVALID, display_name, root, message);
      return FALSE;
    }

  if (root->ns == NULL || !xmlStrEqual (root->ns->href, BAD_CAST CB_PACK_NAMESPACE))
    {
      g_autofree char *message =
        g_strdup_printf (_("This is not a Casebook pack file (its <pack> is not in the namespace %s)"),
                         CB_PACK_NAMESPACE);

      fail_at (error, CB_ERROR_INVALID, display_name, root, message);
      return FALSE;
    }

  format = cb_xml_node_get_attr (root, "format");
  if (format == NULL || !g_ascii_string_to_unsigned (format, 10, 1, G_MAXUINT64, &number, NULL))
    {
      g_autofree char *message = format == NULL
        ? g_strdup (_("The <pack> element has no format attribute"))
        : g_strdup_printf (_("The pack file format “%s” is not a positive whole number"), format);

      fail_at (error, CB_ERROR_INVALID, display_name, root, message);
      return FALSE;
    }

  if (number > CB_PACK_FILE_FORMAT)
    {
      g_autofree char *found = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
      /* Translators: the first %s is a number, the format of the file */
      g_autofree char *message =
        g_strdup_printf (_("This pack file was made by a newer version of Casebook "
                           "(format %s; this version reads format %d)"),
                         found, CB_PACK_FILE_FORMAT);

      fail_at (error, CB_ERROR_NEWER, display_name, root, message);
      return FALSE;
    }

  return TRUE;
}

/* The rules a person fixing a file by hand needs in words, with a line:
 * the schema would say them too, but libxml2's messages are terse and
 * some come without a line. The schema then checks everything else. */
static gboolean
check_content (xmlNodePtr   root,
               const char  *display_name,
               GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean has_name = FALSE;

  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      if (cb_xml_node_is (node, "name"))
        {
          g_autofree char *name = cb_xml_node_get_text (node);
          g_autoptr(GError) invalid = NULL;

          has_name = TRUE;
          if (!cb_pack_name_is_valid (name, &invalid))
            {
              fail_at (error, CB_ERROR_INVALID, display_name, node, invalid->message);
              return FALSE;
            }
        }
      else if (cb_xml_node_is (node, "date"))
        {
          g_autofree char *date = g_strstrip (cb_xml_node_get_text (node));

          if (!cb_pack_date_is_valid (date))
            {
              g_autofree char *message =
                g_strdup_printf (_("The pack’s date “%s” is not a date (YYYY-MM-DD)"), date);

              fail_at (error, CB_ERROR_INVALID, display_name, node, message);
              return FALSE;
            }
        }
      else if (cb_xml_node_is (node, "entries"))
        {
          for (xmlNodePtr child = node->children; child != NULL; child = child->next)
            {
              g_autofree char *item = NULL;

              if (!cb_xml_node_is (child, "entry"))
                continue;

              item = cb_xml_node_get_attr (child, "item");
              if (item == NULL)
                {
                  fail_at (error, CB_ERROR_INVALID, display_name, child,
                           _("An <entry> has no item attribute (the id of the item it holds)"));
                  return FALSE;
                }

              if (!item_id_is_valid (item))
                {
                  g_autofree char *message =
                    g_strdup_printf (_("“%s” is not an item id (like case_study:4.2.4)"), item);

                  fail_at (error, CB_ERROR_INVALID, display_name, child, message);
                  return FALSE;
                }

              if (g_hash_table_contains (seen, item))
                {
                  g_autofree char *message =
                    g_strdup_printf (_("The pack lists the item “%s” twice"), item);

                  fail_at (error, CB_ERROR_INVALID, display_name, child, message);
                  return FALSE;
                }
              g_hash_table_add (seen, g_steal_pointer (&item));
            }
        }
    }

  if (!has_name)
    {
      fail_at (error, CB_ERROR_INVALID, display_name, root, _("The pack has no <name>"));
      return FALSE;
    }

  return TRUE;
}

/* Builds the pack from a document that passed every check */
static CbPack *
build_pack (xmlNodePtr root)
{
  CbPack *pack = cb_pack_new (NULL);

  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      g_autofree char *text = NULL;

      if (node->type != XML_ELEMENT_NODE)
        continue;

      if (cb_xml_node_is (node, "entries"))
        {
          for (xmlNodePtr child = node->children; child != NULL; child = child->next)
            {
              g_autofree char *item = NULL;
              g_autofree char *label = NULL;
              g_autofree char *title = NULL;
              g_autofree char *note = NULL;

              if (!cb_xml_node_is (child, "entry"))
                continue;

              item = cb_xml_node_get_attr (child, "item");
              label = cb_xml_node_get_attr (child, "label");
              for (xmlNodePtr part = child->children; part != NULL; part = part->next)
                {
                  if (cb_xml_node_is (part, "title"))
                    {
                      g_free (title);
                      title = cb_xml_node_get_text (part);
                    }
                  else if (cb_xml_node_is (part, "note"))
                    {
                      g_free (note);
                      note = cb_xml_node_get_text (part);
                    }
                }

              cb_pack_add_entry (pack, cb_pack_entry_new (item, label, title, note));
            }
          continue;
        }

      text = cb_xml_node_get_text (node);
      if (cb_xml_node_is (node, "name"))
        cb_pack_set_name (pack, text);
      else if (cb_xml_node_is (node, "description"))
        cb_pack_set_description (pack, text);
      else if (cb_xml_node_is (node, "audience"))
        cb_pack_set_audience (pack, text);
      else if (cb_xml_node_is (node, "date"))
        cb_pack_set_date (pack, g_strstrip (text));
      else if (cb_xml_node_is (node, "created"))
        cb_pack_set_created (pack, g_strstrip (text));
      else if (cb_xml_node_is (node, "modified"))
        cb_pack_set_modified (pack, g_strstrip (text));
    }

  return pack;
}

/**
 * cb_pack_file_read_bytes:
 * @bytes: the contents of a pack file
 * @display_name: the name errors mention (the file's name)
 * @error: return location for a #GError
 *
 * Reads a pack file. DTDs, entities and network access are refused; the
 * file must match data/pack.rng and list each item once. A file from a
 * newer Casebook gives %CB_ERROR_NEWER.
 *
 * Returns: (transfer full): the pack, not stored (its id is 0), or %NULL
 *   with an error of the form "name:line:column: message"
 */
CbPack *
cb_pack_file_read_bytes (GBytes      *bytes,
                         const char  *display_name,
                         GError     **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  const char *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = _("(pack file)");

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("%s: the file is empty"), display_name);
      return NULL;
    }

  /* Well-formedness first, without the schema: a newer format must be
   * reported as such, not as a schema violation. */
  if ((doc = cb_xml_read_memory (data, len, display_name, NULL, error)) == NULL)
    return NULL;

  if (!check_root (xmlDocGetRootElement (doc), display_name, error) ||
      !check_content (xmlDocGetRootElement (doc), display_name, error) ||
      !validate (doc, display_name, error))
    return NULL;

  return build_pack (xmlDocGetRootElement (doc));
}

/**
 * cb_pack_file_read:
 * @path: a pack file
 * @error: return location for a #GError
 *
 * Like cb_pack_file_read_bytes() for a file.
 *
 * Returns: (transfer full): the pack, or %NULL
 */
CbPack *
cb_pack_file_read (const char  *path,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error_literal (error, CB_ERROR,
                           g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                             ? CB_ERROR_NOT_FOUND : CB_ERROR_IO,
                           local_error->message);
      return NULL;
    }

  bytes = g_bytes_new_take (contents, len);

  return cb_pack_file_read_bytes (bytes, path, error);
}

/**
 * cb_pack_dup_unknown_items:
 * @pack: a pack
 * @corpus: a corpus
 *
 * Returns: (transfer full) (element-type utf8): the ids of the pack's
 *   entries that @corpus does not have, in pack order
 */
GPtrArray *
cb_pack_dup_unknown_items (CbPack   *pack,
                           CbCorpus *corpus)
{
  GPtrArray *unknown;

  g_return_val_if_fail (CB_IS_PACK (pack), NULL);
  g_return_val_if_fail (CB_IS_CORPUS (corpus), NULL);

  unknown = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < cb_pack_get_n_entries (pack); i++)
    {
      CbPackEntry *entry = cb_pack_get_entry (pack, i);

      if (cb_corpus_lookup_item (corpus, entry->item_id) == NULL)
        g_ptr_array_add (unknown, g_strdup (entry->item_id));
    }

  return unknown;
}
