/* cb-xml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cb-corpus-resources.h"
#include "cb-error.h"
#include "cb-xml.h"

#define SCHEMA_RESOURCE_PATH "/io/github/casebook/Casebook/schema/"

struct _CbXmlErrors
{
  char     *display_name;
  char     *message;
  int       line;
  int       column;
  gboolean  unsafe;
  gboolean  validity;
  int       code;
};

void
cb_xml_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

CbXmlErrors *
cb_xml_errors_new (const char *display_name)
{
  CbXmlErrors *errors = g_new0 (CbXmlErrors, 1);

  errors->display_name = g_strdup (display_name ? display_name : "(input)");

  return errors;
}

void
cb_xml_errors_free (CbXmlErrors *errors)
{
  if (errors == NULL)
    return;

  g_free (errors->display_name);
  g_free (errors->message);
  g_free (errors);
}

/**
 * cb_xml_errors_add:
 * @errors: the collector
 * @line: line, or 0 when unknown
 * @column: column, or 0 when unknown
 * @message: what went wrong
 *
 * Keeps the first error only: later ones are usually consequences of it.
 */
void
cb_xml_errors_add (CbXmlErrors *errors,
                   int          line,
                   int          column,
                   const char  *message)
{
  if (errors->message != NULL)
    return;

  errors->message = g_strstrip (g_strdelimit (g_strdup (message ? message : _("Unknown error")), "\r\n", ' '));
  errors->line = line;
  errors->column = column;
}

/**
 * cb_xml_errors_handler:
 * @errors: (type CbXmlErrors): the collector
 * @error: an error from libxml2
 *
 * A structured error callback for libxml2 parsers, readers and validators.
 */
void
cb_xml_errors_handler (void        *errors,
                       xmlErrorPtr  error)
{
  CbXmlErrors *self = errors;

  if (error == NULL || error->level == XML_ERR_WARNING)
    return;

  if (self->message != NULL)
    return;

  self->code = error->code;
  self->validity = error->domain == XML_FROM_RELAXNGV || error->domain == XML_FROM_VALID ||
                   error->domain == XML_FROM_SCHEMASV;

  /* A validity error is about a node: its line is the node's, where a
   * streaming reader may already be further on. */
  if (self->validity && error->node != NULL && xmlGetLineNo (error->node) > 0)
    cb_xml_errors_add (errors, (int) xmlGetLineNo (error->node), 0, error->message);
  else
    cb_xml_errors_add (errors, error->line, error->int2, error->message);
}

gboolean
cb_xml_errors_any (CbXmlErrors *errors)
{
  return errors->message != NULL;
}

/**
 * cb_xml_errors_get_code:
 * @errors: the collector
 *
 * Returns: the libxml2 error code of the first error (an #xmlParserErrors)
 */
int
cb_xml_errors_get_code (CbXmlErrors *errors)
{
  return errors->code;
}

/**
 * cb_xml_errors_replace:
 * @errors: the collector
 * @message: a clearer message for the first error
 */
void
cb_xml_errors_replace (CbXmlErrors *errors,
                       const char  *message)
{
  g_free (errors->message);
  errors->message = g_strdup (message);
}

void
cb_xml_errors_propagate (CbXmlErrors  *errors,
                         GError      **error,
                         int           code)
{
  if (errors->unsafe)
    code = CB_ERROR_UNSAFE;
  else if (code == CB_ERROR_INVALID && !errors->validity)
    code = CB_ERROR_PARSE;

  if (errors->line > 0 && errors->column > 0)
    g_set_error (error, CB_ERROR, code, "%s:%d:%d: %s",
                 errors->display_name, errors->line, errors->column, errors->message);
  else if (errors->line > 0)
    g_set_error (error, CB_ERROR, code, "%s:%d: %s",
                 errors->display_name, errors->line, errors->message);
  else
    g_set_error (error, CB_ERROR, code, "%s: %s", errors->display_name, errors->message);
}

static GMutex schema_lock;
static GHashTable *schemas;

/**
 * cb_xml_get_schema:
 * @name: "corpus", "taxonomy" or "pack"
 * @error: return location for a #GError
 *
 * Returns: (transfer none): the compiled RELAX NG schema, loaded once from
 *   the resources built into Casebook
 */
xmlRelaxNGPtr
cb_xml_get_schema (const char  *name,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schema_lock);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CbXmlErrors) errors = NULL;
  xmlRelaxNGParserCtxtPtr ctxt;
  xmlRelaxNGPtr schema;

  cb_xml_init ();

  if (schemas == NULL)
    schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if ((schema = g_hash_table_lookup (schemas, name)) != NULL)
    return schema;

  path = g_strconcat (SCHEMA_RESOURCE_PATH, name, ".rng", NULL);
  bytes = g_resource_lookup_data (cb_corpus_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  errors = cb_xml_errors_new (path);
  ctxt = xmlRelaxNGNewMemParserCtxt (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  xmlRelaxNGSetParserStructuredErrors (ctxt, cb_xml_errors_handler, errors);
  schema = xmlRelaxNGParse (ctxt);
  xmlRelaxNGFreeParserCtxt (ctxt);

  if (schema == NULL)
    {
      cb_xml_errors_propagate (errors, error, CB_ERROR_INVALID);
      return NULL;
    }

  g_hash_table_insert (schemas, g_strdup (name), schema);

  return schema;
}

static void
refuse_internal_subset (void          *ctx,
                        const xmlChar *name,
                        const xmlChar *external_id,
                        const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = ctx;
  CbXmlErrors *errors = ctxt->_private;

  cb_xml_errors_add (errors, xmlSAX2GetLineNumber (ctxt), xmlSAX2GetColumnNumber (ctxt),
                     _("Documents with a DOCTYPE are refused (no DTDs or entities)"));
  errors->unsafe = TRUE;
  xmlStopParser (ctxt);
}

static void
parser_error_handler (void        *ctx,
                      xmlErrorPtr  error)
{
  xmlParserCtxtPtr ctxt = ctx;

  cb_xml_errors_handler (ctxt->_private, error);
}

static gboolean
validate (xmlDocPtr     doc,
          const char   *schema_name,
          CbXmlErrors  *errors,
          GError      **error)
{
  xmlRelaxNGPtr schema;
  xmlRelaxNGValidCtxtPtr vctxt;
  int ret;

  if ((schema = cb_xml_get_schema (schema_name, error)) == NULL)
    return FALSE;

  vctxt = xmlRelaxNGNewValidCtxt (schema);
  xmlRelaxNGSetValidStructuredErrors (vctxt, cb_xml_errors_handler, errors);
  ret = xmlRelaxNGValidateDoc (vctxt, doc);
  xmlRelaxNGFreeValidCtxt (vctxt);

  if (ret != 0)
    {
      if (!cb_xml_errors_any (errors))
        cb_xml_errors_add (errors, 0, 0, _("The document does not match its schema"));
      cb_xml_errors_propagate (errors, error, CB_ERROR_INVALID);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_xml_read_memory:
 * @data: the document
 * @len: its length
 * @display_name: the name errors mention (a file name)
 * @schema: (nullable): the schema to validate against ("corpus", ...)
 * @error: return location for a #GError
 *
 * Parses with network access, DTDs and entity substitution off; a document
 * that declares a DOCTYPE is refused before any entity is read.
 *
 * Returns: (transfer full): the document, or %NULL with an error of the form
 *   "name:line:column: message"
 */
xmlDocPtr
cb_xml_read_memory (const char  *data,
                    gsize        len,
                    const char  *display_name,
                    const char  *schema,
                    GError     **error)
{
  g_autoptr(CbXmlErrors) errors = cb_xml_errors_new (display_name);
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  gboolean well_formed;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cb_xml_init ();

  if (len > G_MAXINT)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("%s: the file is too large"), display_name);
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  ctxt->_private = errors;
  ctxt->sax->internalSubset = refuse_internal_subset;
  ctxt->sax->serror = parser_error_handler;
  ctxt->vctxt.error = NULL;
  ctxt->vctxt.warning = NULL;

  doc = xmlCtxtReadMemory (ctxt, data ? data : "", (int) len, display_name, NULL, CB_XML_PARSE_OPTIONS);
  well_formed = ctxt->wellFormed;
  xmlFreeParserCtxt (ctxt);

  if (doc == NULL || !well_formed || cb_xml_errors_any (errors))
    {
      if (!cb_xml_errors_any (errors))
        cb_xml_errors_add (errors, 0, 0, _("The document is not well-formed XML"));
      g_clear_pointer (&doc, xmlFreeDoc);
      cb_xml_errors_propagate (errors, error, CB_ERROR_PARSE);
      return NULL;
    }

  if (schema != NULL && !validate (doc, schema, errors, error))
    {
      xmlFreeDoc (doc);
      return NULL;
    }

  return doc;
}

/**
 * cb_xml_read_file:
 * @path: a file
 * @schema: (nullable): the schema to validate against
 * @error: return location for a #GError
 *
 * Like cb_xml_read_memory() for a file.
 *
 * Returns: (transfer full): the document
 */
xmlDocPtr
cb_xml_read_file (const char  *path,
                  const char  *schema,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len;
  GError *local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, CB_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? CB_ERROR_NOT_FOUND : CB_ERROR_IO,
                   "%s", local_error->message);
      g_error_free (local_error);
      return NULL;
    }

  return cb_xml_read_memory (contents, len, path, schema, error);
}

/* Reads until @terminator (like "-->") has been consumed. */
static gboolean
skip_past (FILE       *file,
           const char *terminator,
           guint      *line,
           guint      *column)
{
  gsize matched = 0;
  gsize len = strlen (terminator);
  int c;

  while ((c = getc (file)) != EOF)
    {
      if (c == '\n')
        (*line)++, *column = 1;
      else
        (*column)++;

      if (c == terminator[matched])
        {
          if (++matched == len)
            return TRUE;
        }
      else
        {
          matched = c == terminator[0] ? 1 : 0;
        }
    }

  return FALSE;
}

/**
 * cb_xml_check_no_doctype:
 * @path: an XML file
 * @error: return location for a #GError
 *
 * Streaming readers see a DOCTYPE only after libxml2 has parsed its entity
 * declarations; this refuses such files before any parsing. It walks the
 * prolog (the XML declaration, comments, processing instructions and white
 * space, however long) up to the root element.
 *
 * Returns: %FALSE with %CB_ERROR_UNSAFE if the file declares a DOCTYPE
 */
gboolean
cb_xml_check_no_doctype (const char  *path,
                         GError     **error)
{
  FILE *file = g_fopen (path, "rb");
  guint line = 1, column = 1;
  gboolean refused = FALSE;
  int c;

  if (file == NULL)
    return TRUE;

  /* A UTF-8 byte order mark */
  if ((c = getc (file)) == 0xEF)
    {
      getc (file);
      getc (file);
    }
  else if (c != EOF)
    {
      ungetc (c, file);
    }

  while ((c = getc (file)) != EOF)
    {
      char head[9] = { 0 };
      gsize n;

      if (c == '\n')
        {
          line++, column = 1;
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\r')
        {
          column++;
          continue;
        }
      if (c != '<')
        break;

      head[0] = '<';
      n = fread (head + 1, 1, 8, file);
      if (n >= 1 && head[1] == '?')
        {
          fseek (file, -(long) n + 1, SEEK_CUR);
          column += 2;
          if (!skip_past (file, "?>", &line, &column))
            break;
          continue;
        }
      if (n >= 3 && memcmp (head + 1, "!--", 3) == 0)
        {
          fseek (file, -(long) n + 3, SEEK_CUR);
          column += 4;
          if (!skip_past (file, "-->", &line, &column))
            break;
          continue;
        }
      if (n >= 8 && g_ascii_strncasecmp (head + 1, "!DOCTYPE", 8) == 0)
        refused = TRUE;

      /* The root element, or something the parser will report */
      break;
    }

  fclose (file);

  if (refused)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_UNSAFE,
                   _("%s:%u:%u: Documents with a DOCTYPE are refused (no DTDs or entities)"),
                   path, line, column);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_xml_node_get_attr:
 * @node: an element
 * @name: attribute name
 *
 * Returns: (transfer full) (nullable): the attribute value as a GLib string
 */
char *
cb_xml_node_get_attr (xmlNodePtr  node,
                      const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;

  copy = g_strdup ((const char *) value);
  xmlFree (value);

  return copy;
}

/**
 * cb_xml_node_get_text:
 * @node: an element
 *
 * Returns: (transfer full): the element's text content
 */
char *
cb_xml_node_get_text (xmlNodePtr node)
{
  xmlChar *value = xmlNodeGetContent (node);
  char *copy = g_strdup (value ? (const char *) value : "");

  xmlFree (value);

  return copy;
}

gboolean
cb_xml_node_is (xmlNodePtr  node,
                const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         xmlStrEqual (node->name, (const xmlChar *) name);
}

/**
 * cb_text_is_xml_safe:
 * @text: UTF-8 text
 * @bad_char: (out) (optional): the first character XML cannot carry
 *
 * Returns: %TRUE if @text is valid UTF-8 made only of characters XML 1.0
 *   allows (no control characters except tab and newlines)
 */
gboolean
cb_text_is_xml_safe (const char *text,
                     gunichar   *bad_char)
{
  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      if (bad_char)
        *bad_char = 0xFFFD;
      return FALSE;
    }

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!(c == 0x9 || c == 0xA || c == 0xD ||
            (c >= 0x20 && c <= 0xD7FF) ||
            (c >= 0xE000 && c <= 0xFFFD) ||
            (c >= 0x10000 && c <= 0x10FFFF)))
        {
          if (bad_char)
            *bad_char = c;
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * cb_set_error_from_errno:
 * @error: return location for a #GError
 * @saved_errno: an errno value
 * @path: the file concerned
 * @what: what was being done ("write", "create")
 *
 * Maps errno values onto #CbError codes a user can act on.
 */
void
cb_set_error_from_errno (GError     **error,
                         int          saved_errno,
                         const char  *path,
                         const char  *what)
{
  int code;
  g_autofree char *dir = g_path_get_dirname (path);

  switch (saved_errno)
    {
    case ENOSPC:
    case EDQUOT:
      code = CB_ERROR_NO_SPACE;
      g_set_error (error, CB_ERROR, code, _("Could not %s “%s”: the disk is full"), what, path);
      return;

    case EFBIG:
      code = CB_ERROR_NO_SPACE;
      g_set_error (error, CB_ERROR, code, _("Could not %s “%s”: the file would be larger than allowed"), what, path);
      return;

    case EACCES:
    case EPERM:
    case EROFS:
      code = CB_ERROR_READ_ONLY;
      g_set_error (error, CB_ERROR, code, _("Could not %s “%s”: the folder “%s” cannot be written to"),
                   what, path, dir);
      return;

    case ENOENT:
    case ENOTDIR:
      code = CB_ERROR_NOT_FOUND;
      g_set_error (error, CB_ERROR, code, _("Could not %s “%s”: the folder “%s” does not exist"),
                   what, path, dir);
      return;

    default:
      code = CB_ERROR_IO;
      g_set_error (error, CB_ERROR, code, _("Could not %s “%s”: %s"), what, path, g_strerror (saved_errno));
      return;
    }
}

/**
 * cb_atomic_file_open:
 * @path: the file to replace
 * @tmp_path: (out) (transfer full): the temporary file beside it
 * @error: return location for a #GError
 *
 * Opens a temporary file in the folder of @path. Write to it, then call
 * cb_atomic_file_commit() to replace @path in one step, or
 * cb_atomic_file_abort() to leave everything as it was.
 *
 * Returns: a file descriptor, or -1 with @error set
 */
int
cb_atomic_file_open (const char  *path,
                     char       **tmp_path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd;

  g_return_val_if_fail (path != NULL, -1);
  g_return_val_if_fail (tmp_path != NULL, -1);

  fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      cb_set_error_from_errno (error, errno, path, _("create"));
      return -1;
    }

  *tmp_path = g_steal_pointer (&tmpl);

  return fd;
}

gboolean
cb_atomic_file_commit (int          fd,
                       const char  *tmp_path,
                       const char  *path,
                       GError     **error)
{
  g_autofree char *dir = NULL;
  int dir_fd;

  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (tmp_path);
      cb_set_error_from_errno (error, saved_errno, path, _("write"));
      return FALSE;
    }

  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      cb_set_error_from_errno (error, saved_errno, path, _("write"));
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      cb_set_error_from_errno (error, saved_errno, path, _("replace"));
      return FALSE;
    }

  /* Make the rename itself durable. */
  dir = g_path_get_dirname (path);
  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }

  return TRUE;
}

void
cb_atomic_file_abort (int         fd,
                      const char *tmp_path)
{
  if (fd >= 0)
    close (fd);
  if (tmp_path != NULL)
    g_unlink (tmp_path);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len,
           int         *saved_errno)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }

      data += n;
      len -= n;
    }

  return TRUE;
}

/**
 * cb_file_set_contents_atomic:
 * @path: the file to write
 * @contents: the bytes
 * @length: their length, or -1 for a NUL-terminated string
 * @error: return location for a #GError
 *
 * Writes a temporary file beside @path, syncs it and renames it over @path:
 * readers see the old file or the new one, never a part.
 */
gboolean
cb_file_set_contents_atomic (const char  *path,
                             const char  *contents,
                             gssize       length,
                             GError     **error)
{
  g_autofree char *tmp_path = NULL;
  int saved_errno = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  if (length < 0)
    length = strlen (contents);

  if ((fd = cb_atomic_file_open (path, &tmp_path, error)) < 0)
    return FALSE;

  if (!write_all (fd, contents, length, &saved_errno))
    {
      cb_atomic_file_abort (fd, tmp_path);
      cb_set_error_from_errno (error, saved_errno, path, _("write"));
      return FALSE;
    }

  return cb_atomic_file_commit (fd, tmp_path, path, error);
}

/**
 * cb_get_locale_dir:
 *
 * Returns: the folder of Casebook's translations: `$CASEBOOK_LOCALE_DIR`
 *   when set (the build tree's po/, for tests and `meson devenv`), else
 *   the installed one
 */
const char *
cb_get_locale_dir (void)
{
  const char *env = g_getenv ("CASEBOOK_LOCALE_DIR");

  return env != NULL && *env != '\0' ? env : LOCALEDIR;
}

/**
 * cb_get_data_dir:
 *
 * Returns: the folder of Casebook's bundled data: `$CASEBOOK_DATA_DIR` when
 *   set, else the installed one
 */
const char *
cb_get_data_dir (void)
{
  static gsize initialized = 0;
  static char *data_dir;

  if (g_once_init_enter (&initialized))
    {
      const char *env = g_getenv ("CASEBOOK_DATA_DIR");
      char *dir;

      if (env != NULL && *env != '\0')
        dir = g_strdup (env);
      else if (g_file_test (PKGDATADIR, G_FILE_TEST_IS_DIR))
        dir = g_strdup (PKGDATADIR);
      else
        dir = g_strdup (SOURCE_DATADIR);

      data_dir = dir;
      g_once_init_leave (&initialized, 1);
    }

  return data_dir;
}

char *
cb_get_bundled_corpus_path (void)
{
  return g_build_filename (cb_get_data_dir (), "corpus", "guide.xml", NULL);
}

char *
cb_get_taxonomy_path (void)
{
  return g_build_filename (cb_get_data_dir (), "taxonomy.xml", NULL);
}

char *
cb_get_bundled_guide_path (void)
{
  return g_build_filename (cb_get_data_dir (), "guide", "improving-race-equality-guide.txt", NULL);
}
