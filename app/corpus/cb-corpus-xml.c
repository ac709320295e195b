/* cb-corpus-xml.c: reading and writing corpus files
 *
 * The reader streams: it walks the file with libxml2's xmlTextReader,
 * validating against the RELAX NG schema as it goes, and hands each item and
 * reference over as soon as it is complete, so memory does not grow with the
 * size of the file unless the caller keeps the items. References come before
 * items in the file so that a streaming consumer has them when items cite
 * them.
 *
 * The writer produces one canonical form (fixed element order, two-space
 * indentation, no indentation inside mixed content), so that reading and
 * writing a file changes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libxml/xmlwriter.h>
#include <string.h>
#include <unistd.h>

#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-xml.h"

/* Writer */

typedef struct {
  int         fd;
  GByteArray *bytes;
  int         saved_errno;
} Sink;

static int
sink_write (void       *context,
            const char *buffer,
            int         len)
{
  Sink *sink = context;
  int done = 0;

  if (sink->bytes != NULL)
    {
      g_byte_array_append (sink->bytes, (const guint8 *) buffer, len);
      return len;
    }

  while (done < len)
    {
      gssize n = write (sink->fd, buffer + done, len - done);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          sink->saved_errno = errno;
          return -1;
        }
      done += n;
    }

  return len;
}

static int
sink_close (void *context)
{
  return 0;
}

typedef struct {
  xmlTextWriterPtr  w;
  GError           *error;
  const char       *where;
  gboolean          fragment;
} Writer;

static void
w_fail (Writer     *wr,
        const char *message)
{
  if (wr->error == NULL)
    g_set_error (&wr->error, CB_ERROR, CB_ERROR_IO, "%s", message);
}

static void
w_indent (Writer *wr,
          guint   depth)
{
  static const char spaces[] = "                                                                ";
  char buf[sizeof spaces + 2];

  depth = MIN (depth * 2, sizeof spaces - 1);
  buf[0] = '\n';
  memcpy (buf + 1, spaces, depth);
  buf[depth + 1] = '\0';

  if (wr->error == NULL && xmlTextWriterWriteRaw (wr->w, BAD_CAST buf) < 0)
    w_fail (wr, _("Could not write the corpus"));
}

static gboolean
w_check (Writer     *wr,
         const char *text)
{
  gunichar bad;

  if (wr->error != NULL)
    return FALSE;

  if (!cb_text_is_xml_safe (text, &bad))
    {
      g_set_error (&wr->error, CB_ERROR, CB_ERROR_INVALID,
                   _("%s holds a character a corpus file cannot carry (U+%04X)"),
                   wr->where ? wr->where : _("The corpus"), bad);
      return FALSE;
    }

  return TRUE;
}

static void
w_start (Writer     *wr,
         const char *name)
{
  if (wr->error == NULL && xmlTextWriterStartElement (wr->w, BAD_CAST name) < 0)
    w_fail (wr, _("Could not write the corpus"));
}

static void
w_end (Writer *wr)
{
  if (wr->error == NULL && xmlTextWriterEndElement (wr->w) < 0)
    w_fail (wr, _("Could not write the corpus"));
}

static void
w_attr (Writer     *wr,
        const char *name,
        const char *value)
{
  if (value == NULL || !w_check (wr, value))
    return;

  if (xmlTextWriterWriteAttribute (wr->w, BAD_CAST name, BAD_CAST value) < 0)
    w_fail (wr, _("Could not write the corpus"));
}

static void
w_attr_uint (Writer     *wr,
             const char *name,
             guint       value)
{
  char buf[16];

  if (value == 0)
    return;

  g_snprintf (buf, sizeof buf, "%u", value);
  w_attr (wr, name, buf);
}

static void
w_text (Writer     *wr,
        const char *text)
{
  if (text == NULL || !w_check (wr, text))
    return;

  if (xmlTextWriterWriteString (wr->w, BAD_CAST text) < 0)
    w_fail (wr, _("Could not write the corpus"));
}

/* <name>text</name> on its own line; nothing when text is NULL */
static void
w_element (Writer     *wr,
           guint       depth,
           const char *name,
           const char *text)
{
  if (text == NULL)
    return;

  w_indent (wr, depth);
  w_start (wr, name);
  w_text (wr, text);
  w_end (wr);
}

static void
w_spans (Writer    *wr,
         GPtrArray *spans)
{
  for (guint i = 0; spans && i < spans->len; i++)
    {
      const CbSpan *span = g_ptr_array_index (spans, i);

      if (span->href != NULL)
        {
          w_start (wr, "link");
          w_attr (wr, "href", span->href);
        }
      if (span->flags & CB_SPAN_STRONG)
        w_start (wr, "strong");
      if (span->flags & CB_SPAN_EMPHASIS)
        w_start (wr, "em");

      w_text (wr, span->text);

      if (span->flags & CB_SPAN_EMPHASIS)
        w_end (wr);
      if (span->flags & CB_SPAN_STRONG)
        w_end (wr);
      if (span->href != NULL)
        w_end (wr);
    }
}

static void
w_block (Writer  *wr,
         guint    depth,
         CbBlock *block)
{
  w_indent (wr, depth);

  switch (block->kind)
    {
    case CB_BLOCK_PARAGRAPH:
      w_start (wr, "p");
      w_spans (wr, block->spans);
      w_end (wr);
      break;

    case CB_BLOCK_HEADING:
      w_start (wr, "heading");
      w_attr (wr, "n", block->number);
      w_spans (wr, block->spans);
      w_end (wr);
      break;

    case CB_BLOCK_LIST_ITEM:
      w_start (wr, "li");
      w_attr (wr, "n", block->number);
      if (block->lead != NULL)
        {
          w_start (wr, "lead");
          w_spans (wr, block->lead);
          w_end (wr);
        }
      w_spans (wr, block->spans);
      w_end (wr);
      break;

    case CB_BLOCK_ITEM_REF:
      w_start (wr, "item-ref");
      w_attr (wr, "ref", block->ref);
      w_end (wr);
      break;

    case CB_BLOCK_LIST:
    case CB_BLOCK_TABLE:
    case CB_BLOCK_ROW:
    case CB_BLOCK_CELL:
      w_start (wr, block->kind == CB_BLOCK_LIST ? "list" :
                   block->kind == CB_BLOCK_TABLE ? "table" :
                   block->kind == CB_BLOCK_ROW ? "row" : "cell");
      if (block->kind == CB_BLOCK_LIST && block->ordered)
        w_attr (wr, "ordered", "true");
      if (block->kind == CB_BLOCK_ROW && block->header)
        w_attr (wr, "header", "true");
      for (guint i = 0; i < block->children->len; i++)
        w_block (wr, depth + 1, g_ptr_array_index (block->children, i));
      if (block->children->len > 0)
        w_indent (wr, depth);
      w_end (wr);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
w_string_list (Writer     *wr,
               guint       depth,
               const char *group,
               const char *name,
               GPtrArray  *values)
{
  if (values->len == 0)
    return;

  w_indent (wr, depth);
  w_start (wr, group);
  for (guint i = 0; i < values->len; i++)
    w_element (wr, depth + 1, name, g_ptr_array_index (values, i));
  w_indent (wr, depth);
  w_end (wr);
}

static void
w_item (Writer *wr,
        CbItem *item)
{
  GPtrArray *parts = cb_item_get_parts (item);
  GPtrArray *refs = cb_item_get_references (item);
  GPtrArray *history = cb_item_get_history (item);

  wr->where = cb_item_get_id (item);

  w_indent (wr, 2);
  w_start (wr, "item");
  if (wr->fragment)
    w_attr (wr, "xmlns", CB_CORPUS_NAMESPACE);
  w_attr (wr, "id", cb_item_get_id (item));
  w_attr (wr, "kind", cb_item_kind_to_string (cb_item_get_kind (item)));
  w_attr (wr, "origin", cb_item_get_origin (item));
  w_attr (wr, "status", cb_item_get_status (item) == CB_ITEM_STATUS_RETIRED ? "retired" : "active");
  w_attr (wr, "number", cb_item_get_number (item));
  w_attr_uint (wr, "chapter", cb_item_get_chapter (item));
  w_attr (wr, "section", cb_item_get_section (item));
  w_attr_uint (wr, "page", cb_item_get_page (item));

  w_element (wr, 3, "title", cb_item_get_title (item) ? cb_item_get_title (item) : "");
  w_string_list (wr, 3, "countries", "country", cb_item_get_countries (item));
  w_string_list (wr, 3, "interventions", "intervention", cb_item_get_interventions (item));
  w_element (wr, 3, "design", cb_item_get_design (item));

  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);

      w_indent (wr, 3);
      w_start (wr, "part");
      w_attr (wr, "name", part->name);
      for (guint j = 0; j < part->blocks->len; j++)
        w_block (wr, 4, g_ptr_array_index (part->blocks, j));
      if (part->blocks->len > 0)
        w_indent (wr, 3);
      w_end (wr);
    }

  if (refs->len > 0)
    {
      w_indent (wr, 3);
      w_start (wr, "cites");
      for (guint i = 0; i < refs->len; i++)
        {
          w_indent (wr, 4);
          w_start (wr, "cite");
          w_attr (wr, "ref", g_ptr_array_index (refs, i));
          w_end (wr);
        }
      w_indent (wr, 3);
      w_end (wr);
    }

  w_element (wr, 3, "reference-note", cb_item_get_reference_note (item));

  if (history->len > 0)
    {
      w_indent (wr, 3);
      w_start (wr, "history");
      for (guint i = 0; i < history->len; i++)
        {
          CbRevision *revision = g_ptr_array_index (history, i);

          w_indent (wr, 4);
          w_start (wr, "revision");
          w_attr (wr, "date", revision->date);
          w_attr (wr, "author", revision->author);
          w_element (wr, 5, "summary", revision->summary);
          for (guint j = 0; j < revision->changes->len; j++)
            {
              CbChange *change = g_ptr_array_index (revision->changes, j);

              w_indent (wr, 5);
              w_start (wr, "change");
              w_attr (wr, "field", change->field);
              w_element (wr, 6, "before", change->before);
              w_element (wr, 6, "after", change->after);
              if (change->before || change->after)
                w_indent (wr, 5);
              w_end (wr);
            }
          w_indent (wr, 4);
          w_end (wr);
        }
      w_indent (wr, 3);
      w_end (wr);
    }

  w_indent (wr, 2);
  w_end (wr);
  wr->where = NULL;
}

static void
w_reference (Writer      *wr,
             CbReference *reference)
{
  GPtrArray *authors = cb_reference_get_authors (reference);

  wr->where = cb_reference_get_id (reference);

  w_indent (wr, 2);
  w_start (wr, "reference");
  if (wr->fragment)
    w_attr (wr, "xmlns", CB_CORPUS_NAMESPACE);
  w_attr (wr, "id", cb_reference_get_id (reference));
  w_attr (wr, "kind", cb_reference_get_kind (reference));

  if (authors->len > 0 || cb_reference_get_et_al (reference))
    {
      w_indent (wr, 3);
      w_start (wr, "authors");
      if (cb_reference_get_editors (reference))
        w_attr (wr, "role", "editors");
      if (cb_reference_get_et_al (reference))
        w_attr (wr, "et-al", "true");
      for (guint i = 0; i < authors->len; i++)
        {
          CbPerson *person = g_ptr_array_index (authors, i);

          if (person->given == NULL)
            {
              w_element (wr, 4, "organisation", person->family);
              continue;
            }

          w_indent (wr, 4);
          w_start (wr, "person");
          w_attr (wr, "family", person->family);
          w_attr (wr, "given", person->given);
          w_end (wr);
        }
      w_indent (wr, 3);
      w_end (wr);
    }

  w_element (wr, 3, "year", cb_reference_get_year (reference));
  w_element (wr, 3, "title", cb_reference_get_title (reference));
  w_element (wr, 3, "container", cb_reference_get_container (reference));
  w_element (wr, 3, "volume", cb_reference_get_volume (reference));
  w_element (wr, 3, "issue", cb_reference_get_issue (reference));
  w_element (wr, 3, "pages", cb_reference_get_pages (reference));
  if (cb_reference_get_publisher (reference) != NULL)
    {
      w_indent (wr, 3);
      w_start (wr, "publisher");
      w_attr (wr, "place", cb_reference_get_place (reference));
      w_text (wr, cb_reference_get_publisher (reference));
      w_end (wr);
    }
  w_element (wr, 3, "doi", cb_reference_get_doi (reference));
  w_element (wr, 3, "url", cb_reference_get_url (reference));
  for (guint i = 0; i < cb_reference_get_texts (reference)->len; i++)
    w_element (wr, 3, "text", g_ptr_array_index (cb_reference_get_texts (reference), i));

  w_indent (wr, 2);
  w_end (wr);
  wr->where = NULL;
}

/* With @checksum_slot, the root carries an empty `checksum` attribute for
 * cb_corpus_write_update() to fill in. */
static gboolean
write_corpus (CbCorpus          *corpus,
              xmlOutputBufferPtr out,
              gboolean           checksum_slot,
              GError           **error)
{
  Writer wr = { 0 };
  GPtrArray *contents = cb_corpus_get_contents (corpus);
  GPtrArray *references = cb_corpus_get_references (corpus);
  GPtrArray *items = cb_corpus_get_items (corpus);
  GPtrArray *anomalies = cb_corpus_get_anomalies (corpus);
  char format[8];

  wr.w = xmlNewTextWriter (out);
  if (wr.w == NULL)
    {
      xmlOutputBufferClose (out);
      g_set_error (error, CB_ERROR, CB_ERROR_IO, _("Could not start writing the corpus"));
      return FALSE;
    }

  g_snprintf (format, sizeof format, "%d", CB_CORPUS_FORMAT);

  if (xmlTextWriterStartDocument (wr.w, "1.0", "UTF-8", NULL) < 0)
    w_fail (&wr, _("Could not write the corpus"));

  w_start (&wr, "corpus");
  w_attr (&wr, "xmlns", CB_CORPUS_NAMESPACE);
  w_attr (&wr, "format", format);
  w_attr_uint (&wr, "version", cb_corpus_get_version (corpus));
  if (checksum_slot)
    w_attr (&wr, "checksum", "");

  w_indent (&wr, 1);
  w_start (&wr, "guide");
  w_element (&wr, 2, "title", cb_corpus_get_title (corpus) ? cb_corpus_get_title (corpus) : "");
  w_element (&wr, 2, "subtitle", cb_corpus_get_subtitle (corpus));
  w_element (&wr, 2, "publisher", cb_corpus_get_publisher (corpus));
  if (cb_corpus_get_source_name (corpus) != NULL)
    {
      w_indent (&wr, 2);
      w_start (&wr, "source");
      w_attr (&wr, "name", cb_corpus_get_source_name (corpus));
      w_attr (&wr, "sha256", cb_corpus_get_source_checksum (corpus));
      w_end (&wr);
    }
  if (contents->len > 0)
    {
      w_indent (&wr, 2);
      w_start (&wr, "contents");
      for (guint i = 0; i < contents->len; i++)
        {
          CbContentsEntry *entry = g_ptr_array_index (contents, i);

          w_indent (&wr, 3);
          w_start (&wr, "entry");
          w_attr (&wr, "kind", cb_contents_kind_to_string (entry->kind));
          w_attr (&wr, "number", entry->number);
          w_attr_uint (&wr, "page", entry->page);
          w_text (&wr, entry->title);
          w_end (&wr);
        }
      w_indent (&wr, 2);
      w_end (&wr);
    }
  w_indent (&wr, 1);
  w_end (&wr);

  w_indent (&wr, 1);
  w_start (&wr, "references");
  for (guint i = 0; i < references->len && wr.error == NULL; i++)
    w_reference (&wr, g_ptr_array_index (references, i));
  if (references->len > 0)
    w_indent (&wr, 1);
  w_end (&wr);

  w_indent (&wr, 1);
  w_start (&wr, "items");
  for (guint i = 0; i < items->len && wr.error == NULL; i++)
    w_item (&wr, g_ptr_array_index (items, i));
  if (items->len > 0)
    w_indent (&wr, 1);
  w_end (&wr);

  if (anomalies->len > 0)
    {
      w_indent (&wr, 1);
      w_start (&wr, "import-report");
      for (guint i = 0; i < anomalies->len; i++)
        {
          CbAnomaly *anomaly = g_ptr_array_index (anomalies, i);

          w_indent (&wr, 2);
          w_start (&wr, "anomaly");
          w_attr (&wr, "severity", cb_severity_to_string (anomaly->severity));
          w_attr (&wr, "code", anomaly->code);
          w_attr_uint (&wr, "line", anomaly->line);
          w_attr (&wr, "item", anomaly->item);
          w_text (&wr, anomaly->message);
          w_end (&wr);
        }
      w_indent (&wr, 1);
      w_end (&wr);
    }

  w_indent (&wr, 0);
  w_end (&wr);

  if (wr.error == NULL && xmlTextWriterEndDocument (wr.w) < 0)
    w_fail (&wr, _("Could not write the corpus"));

  xmlFreeTextWriter (wr.w);

  if (wr.error != NULL)
    {
      g_propagate_error (error, wr.error);
      return FALSE;
    }

  return TRUE;
}

/**
 * cb_corpus_write_bytes:
 * @corpus: a corpus
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the corpus file's bytes
 */
GBytes *
cb_corpus_write_bytes (CbCorpus  *corpus,
                       GError   **error)
{
  Sink sink = { .fd = -1, .bytes = g_byte_array_new () };
  xmlOutputBufferPtr out;

  g_return_val_if_fail (CB_IS_CORPUS (corpus), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cb_xml_init ();
  out = xmlOutputBufferCreateIO (sink_write, sink_close, &sink, NULL);

  if (!write_corpus (corpus, out, FALSE, error))
    {
      g_byte_array_unref (sink.bytes);
      return NULL;
    }

  return g_byte_array_free_to_bytes (sink.bytes);
}

/**
 * cb_corpus_write_file:
 * @corpus: a corpus
 * @path: where to write
 * @error: return location for a #GError
 *
 * Writes atomically: a temporary file beside @path is written, synced and
 * renamed over @path. On any failure (a full disk, a folder that cannot be
 * written) @path is left as it was and no temporary file remains.
 */
gboolean
cb_corpus_write_file (CbCorpus    *corpus,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *tmp_path = NULL;
  Sink sink = { 0 };
  xmlOutputBufferPtr out;

  g_return_val_if_fail (CB_IS_CORPUS (corpus), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  cb_xml_init ();

  sink.fd = cb_atomic_file_open (path, &tmp_path, error);
  if (sink.fd < 0)
    return FALSE;

  out = xmlOutputBufferCreateIO (sink_write, sink_close, &sink, NULL);

  if (!write_corpus (corpus, out, FALSE, error) || sink.saved_errno != 0)
    {
      cb_atomic_file_abort (sink.fd, tmp_path);
      if (sink.saved_errno != 0)
        {
          g_clear_error (error);
          cb_set_error_from_errno (error, sink.saved_errno, path, _("write"));
        }
      return FALSE;
    }

  /* What is written must read back: check it against the schema before it
   * replaces anything. */
  {
    g_autoptr(CbCorpus) outline = cb_corpus_new ();
    g_autoptr(GError) invalid = NULL;

    if (!cb_corpus_read_streaming (tmp_path, outline, NULL, NULL, NULL, &invalid))
      {
        cb_atomic_file_abort (sink.fd, tmp_path);
        g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                     _("Nothing was written to “%s”: the corpus would not be valid (%s)"), path, invalid->message);
        return FALSE;
      }
  }

  return cb_atomic_file_commit (sink.fd, tmp_path, path, error);
}

static GBytes *
write_fragment (CbItem      *item,
                CbReference *reference,
                GError     **error)
{
  Sink sink = { .fd = -1, .bytes = g_byte_array_new () };
  Writer wr = { .fragment = TRUE };

  cb_xml_init ();
  wr.w = xmlNewTextWriter (xmlOutputBufferCreateIO (sink_write, sink_close, &sink, NULL));
  if (item != NULL)
    w_item (&wr, item);
  else
    w_reference (&wr, reference);
  if (wr.error == NULL && xmlTextWriterEndDocument (wr.w) < 0)
    w_fail (&wr, _("Could not write the corpus"));
  xmlFreeTextWriter (wr.w);

  if (wr.error != NULL)
    {
      g_propagate_error (error, wr.error);
      g_byte_array_unref (sink.bytes);
      return NULL;
    }

  return g_byte_array_free_to_bytes (sink.bytes);
}

/**
 * cb_item_to_xml:
 * @item: an item
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the item as one `<item>` element, the form the
 *   search index keeps to show an item without loading the whole corpus
 */
GBytes *
cb_item_to_xml (CbItem  *item,
                GError **error)
{
  g_return_val_if_fail (CB_IS_ITEM (item), NULL);

  return write_fragment (item, NULL, error);
}

/**
 * cb_reference_to_xml:
 * @reference: a reference
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the reference as one `<reference>` element
 */
GBytes *
cb_reference_to_xml (CbReference  *reference,
                     GError      **error)
{
  g_return_val_if_fail (CB_IS_REFERENCE (reference), NULL);

  return write_fragment (NULL, reference, error);
}

/* Reader */

typedef enum {
  FRAME_OTHER,
  FRAME_TEXT,
  FRAME_ITEM,
  FRAME_PART,
  FRAME_CONTAINER,
  FRAME_INLINE,
  FRAME_REFERENCE,
  FRAME_REVISION,
  FRAME_CHANGE,
} FrameKind;

typedef struct {
  FrameKind    kind;
  char        *name;
  gpointer     object;
  GPtrArray   *spans;
  CbSpanFlags  flags;
  char        *href;
} Frame;

typedef struct {
  xmlTextReaderPtr       reader;
  const char            *path;
  CbCorpus              *outline;
  CbCorpusReferenceFunc  reference_func;
  CbCorpusItemFunc       item_func;
  gpointer               user_data;
  GArray                *frames;
  GString               *text;
  CbItem                *item;
  CbReference           *reference;
  CbRevision            *revision;
  CbChange              *change;
  GError                *error;
  int                    item_line;
  int                    reference_line;
  /* attributes of the element whose text is being collected */
  char                  *attr_a;
  char                  *attr_b;
  char                  *attr_c;
  char                  *attr_d;
} Reader;

static void
frame_clear (Frame *frame)
{
  g_free (frame->name);
  g_free (frame->href);
}

static Frame *
top (Reader *rd)
{
  return rd->frames->len ? &g_array_index (rd->frames, Frame, rd->frames->len - 1) : NULL;
}

static Frame *
parent_frame (Reader *rd)
{
  return rd->frames->len > 1 ? &g_array_index (rd->frames, Frame, rd->frames->len - 2) : NULL;
}

static char *
attr (Reader     *rd,
      const char *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (rd->reader, BAD_CAST name);
  char *copy = value ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);

  return copy;
}

static guint
attr_uint (Reader     *rd,
           const char *name)
{
  g_autofree char *value = attr (rd, name);

  return value ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

/* The line of the node the reader is on (the parser itself may be ahead) */
static int
current_line (Reader *rd)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (rd->reader);
  long line = node ? xmlGetLineNo (node) : -1;

  return line > 0 ? (int) line : xmlTextReaderGetParserLineNumber (rd->reader);
}

static void
rd_fail (Reader     *rd,
         int         code,
         const char *message)
{
  if (rd->error != NULL)
    return;

  g_set_error (&rd->error, CB_ERROR, code, "%s:%d: %s", rd->path, current_line (rd), message);
}

static Frame *
push (Reader     *rd,
      FrameKind   kind,
      const char *name,
      gpointer    object)
{
  Frame frame = { kind, g_strdup (name), object, NULL, 0, NULL };
  Frame *parent = top (rd);

  if (parent != NULL && parent->kind == FRAME_INLINE)
    {
      frame.flags = parent->flags;
      frame.href = g_strdup (parent->href);
      frame.spans = parent->spans;
    }

  g_array_append_val (rd->frames, frame);

  return top (rd);
}

static void
collect_attrs (Reader     *rd,
               const char *a,
               const char *b,
               const char *c,
               const char *d)
{
  g_clear_pointer (&rd->attr_a, g_free);
  g_clear_pointer (&rd->attr_b, g_free);
  g_clear_pointer (&rd->attr_c, g_free);
  g_clear_pointer (&rd->attr_d, g_free);
  rd->attr_a = a ? attr (rd, a) : NULL;
  rd->attr_b = b ? attr (rd, b) : NULL;
  rd->attr_c = c ? attr (rd, c) : NULL;
  rd->attr_d = d ? attr (rd, d) : NULL;
}

/* Adds a block to the part or list, table, row or cell it is in; anywhere
 * else the file is broken. */
static gboolean
add_block (Reader     *rd,
           const char *name,
           CbBlock    *block)
{
  Frame *parent = top (rd);

  if (parent != NULL && parent->kind == FRAME_PART)
    {
      g_ptr_array_add (((CbPart *) parent->object)->blocks, block);
      return TRUE;
    }

  if (parent != NULL && parent->kind == FRAME_CONTAINER)
    {
      cb_block_add_child (parent->object, block);
      return TRUE;
    }

  cb_block_free (block);
  {
    g_autofree char *message = g_strdup_printf (_("<%s> is not inside a part of an item"), name);

    rd_fail (rd, CB_ERROR_INVALID, message);
  }

  return FALSE;
}

static void
fail_missing (Reader     *rd,
              const char *element,
              const char *attribute)
{
  g_autofree char *message = g_strdup_printf (_("<%s> has no %s"), element, attribute);

  rd_fail (rd, CB_ERROR_INVALID, message);
}

/* Reports a missing required attribute; TRUE when it is missing. */
static gboolean
id_missing (Reader     *rd,
            const char *element,
            const char *attribute)
{
  g_autofree char *value = attr (rd, attribute);

  if (value != NULL && *value != '\0')
    return FALSE;

  fail_missing (rd, element, attribute);

  return TRUE;
}

static const char *text_elements[] = {
  "title", "subtitle", "publisher", "entry", "country", "intervention", "design",
  "organisation", "year", "container", "volume", "issue", "pages", "doi", "url", "text",
  "reference-note", "summary", "before", "after", "anomaly",
};

static void
start_element (Reader     *rd,
               const char *name)
{
  /* push() may move the frames: keep copies, not pointers into them */
  Frame *top_frame = top (rd);
  FrameKind parent_kind = top_frame ? top_frame->kind : FRAME_OTHER;
  gpointer parent_object = top_frame ? top_frame->object : NULL;

  if (g_str_equal (name, "corpus"))
    {
      guint format = attr_uint (rd, "format");

      if (format > CB_CORPUS_FORMAT)
        {
          g_autofree char *message =
            g_strdup_printf (_("This corpus file was made by a newer version of Casebook "
                               "(format %u; this version reads format %d)"), format, CB_CORPUS_FORMAT);

          rd_fail (rd, CB_ERROR_NEWER, message);
        }
      cb_corpus_set_version (rd->outline, attr_uint (rd, "version"));
      push (rd, FRAME_OTHER, name, NULL);
      return;
    }

  if (parent_kind == FRAME_INLINE)
    {
      Frame *frame = push (rd, FRAME_INLINE, name, NULL);

      if (g_str_equal (name, "strong"))
        frame->flags |= CB_SPAN_STRONG;
      else if (g_str_equal (name, "em"))
        frame->flags |= CB_SPAN_EMPHASIS;
      else if (g_str_equal (name, "link"))
        {
          g_free (frame->href);
          frame->href = attr (rd, "href");
        }
      else if (g_str_equal (name, "lead") && parent_object != NULL &&
               ((CbBlock *) parent_object)->kind == CB_BLOCK_LIST_ITEM)
        {
          CbBlock *block = parent_object;

          if (block->lead == NULL)
            block->lead = cb_spans_new ();
          frame->spans = block->lead;
        }
      else
        {
          g_autofree char *message = g_strdup_printf (_("<%s> cannot be inside text"), name);

          frame->spans = NULL;
          rd_fail (rd, CB_ERROR_INVALID, message);
        }
      return;
    }

  if (g_str_equal (name, "source"))
    {
      g_autofree char *source_name = attr (rd, "name");
      g_autofree char *sha = attr (rd, "sha256");

      cb_corpus_set_source (rd->outline, source_name, sha);
      push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "item") && (rd->item != NULL || (id_missing (rd, name, "id"))))
    {
      if (rd->item != NULL)
        rd_fail (rd, CB_ERROR_INVALID, _("An <item> cannot be inside another"));
      push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "item"))
    {
      g_autofree char *id = attr (rd, "id");
      g_autofree char *kind_str = attr (rd, "kind");
      g_autofree char *origin = attr (rd, "origin");
      g_autofree char *status = attr (rd, "status");
      g_autofree char *number = attr (rd, "number");
      g_autofree char *section = attr (rd, "section");
      CbItemKind kind = CB_ITEM_KIND_SECTION;

      cb_item_kind_from_string (kind_str, &kind);
      g_clear_object (&rd->item);
      rd->item = cb_item_new (id ? id : "", kind);
      rd->item_line = current_line (rd);
      if (origin)
        cb_item_set_origin (rd->item, origin);
      cb_item_set_status (rd->item, g_strcmp0 (status, "retired") == 0 ? CB_ITEM_STATUS_RETIRED
                                                                          : CB_ITEM_STATUS_ACTIVE);
      cb_item_set_number (rd->item, number);
      cb_item_set_chapter (rd->item, attr_uint (rd, "chapter"));
      cb_item_set_section (rd->item, section);
      cb_item_set_page (rd->item, attr_uint (rd, "page"));
      push (rd, FRAME_ITEM, name, rd->item);
    }
  else if (g_str_equal (name, "part") && rd->item != NULL)
    {
      g_autofree char *part_name = attr (rd, "name");
      CbPart *part = cb_part_new (part_name);

      cb_item_add_part (rd->item, part);
      push (rd, FRAME_PART, name, part);
    }
  else if (g_str_equal (name, "p") || g_str_equal (name, "heading") || g_str_equal (name, "li"))
    {
      CbBlock *block = cb_block_new (g_str_equal (name, "p") ? CB_BLOCK_PARAGRAPH :
                                     g_str_equal (name, "li") ? CB_BLOCK_LIST_ITEM : CB_BLOCK_HEADING);
      Frame *frame;

      if (!g_str_equal (name, "p"))
        block->number = attr (rd, "n");
      if (!add_block (rd, name, block))
        {
          push (rd, FRAME_OTHER, name, NULL);
          return;
        }
      frame = push (rd, FRAME_INLINE, name, block);
      frame->spans = block->spans;
    }
  else if (g_str_equal (name, "list") || g_str_equal (name, "table") ||
           g_str_equal (name, "row") || g_str_equal (name, "cell"))
    {
      CbBlock *block = cb_block_new (g_str_equal (name, "list") ? CB_BLOCK_LIST :
                                     g_str_equal (name, "table") ? CB_BLOCK_TABLE :
                                     g_str_equal (name, "row") ? CB_BLOCK_ROW : CB_BLOCK_CELL);
      g_autofree char *ordered = attr (rd, "ordered");
      g_autofree char *header = attr (rd, "header");

      block->ordered = g_strcmp0 (ordered, "true") == 0;
      block->header = g_strcmp0 (header, "true") == 0;
      if (add_block (rd, name, block))
        push (rd, FRAME_CONTAINER, name, block);
      else
        push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "item-ref"))
    {
      CbBlock *block = cb_block_new (CB_BLOCK_ITEM_REF);

      block->ref = attr (rd, "ref");
      if (block->ref == NULL)
        fail_missing (rd, name, "ref");
      add_block (rd, name, block);
      push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "cite") && rd->item != NULL)
    {
      g_autofree char *ref = attr (rd, "ref");

      if (ref != NULL)
        cb_item_add_reference (rd->item, ref);
      else
        fail_missing (rd, name, "ref");
      push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "revision") && rd->item != NULL)
    {
      g_autofree char *date = attr (rd, "date");
      g_autofree char *author = attr (rd, "author");

      rd->revision = cb_revision_new (date, author, NULL);
      cb_item_add_revision (rd->item, rd->revision);
      push (rd, FRAME_REVISION, name, rd->revision);
    }
  else if (g_str_equal (name, "change") && rd->revision != NULL)
    {
      g_autofree char *field = attr (rd, "field");

      cb_revision_add_change (rd->revision, field, NULL, NULL);
      rd->change = g_ptr_array_index (rd->revision->changes, rd->revision->changes->len - 1);
      push (rd, FRAME_CHANGE, name, rd->change);
    }
  else if (g_str_equal (name, "reference") && (rd->reference != NULL || rd->item != NULL ||
                                               id_missing (rd, name, "id")))
    {
      rd_fail (rd, CB_ERROR_INVALID, _("A <reference> cannot be inside an item or another reference"));
      push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "reference"))
    {
      g_autofree char *id = attr (rd, "id");
      g_autofree char *kind = attr (rd, "kind");

      g_clear_object (&rd->reference);
      rd->reference = cb_reference_new ();
      rd->reference_line = current_line (rd);
      cb_reference_set_id (rd->reference, id);
      if (kind)
        cb_reference_set_kind (rd->reference, kind);
      push (rd, FRAME_REFERENCE, name, rd->reference);
    }
  else if (g_str_equal (name, "authors") && rd->reference != NULL)
    {
      g_autofree char *role = attr (rd, "role");
      g_autofree char *et_al = attr (rd, "et-al");

      cb_reference_set_editors (rd->reference, g_strcmp0 (role, "editors") == 0);
      cb_reference_set_et_al (rd->reference, g_strcmp0 (et_al, "true") == 0);
      push (rd, FRAME_OTHER, name, NULL);
    }
  else if (g_str_equal (name, "person") && rd->reference != NULL)
    {
      g_autofree char *family = attr (rd, "family");
      g_autofree char *given = attr (rd, "given");

      cb_reference_add_author (rd->reference, family ? family : "", given);
      push (rd, FRAME_OTHER, name, NULL);
    }
  else
    {
      gboolean text = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (text_elements); i++)
        text |= g_str_equal (name, text_elements[i]);

      if (text)
        {
          g_string_truncate (rd->text, 0);
          if (g_str_equal (name, "entry"))
            collect_attrs (rd, "kind", "number", "page", NULL);
          else if (g_str_equal (name, "publisher"))
            collect_attrs (rd, "place", NULL, NULL, NULL);
          else if (g_str_equal (name, "anomaly"))
            collect_attrs (rd, "severity", "code", "line", "item");
          push (rd, FRAME_TEXT, name, NULL);
        }
      else
        {
          push (rd, FRAME_OTHER, name, NULL);
        }
    }
}

static void
end_text_element (Reader     *rd,
                  const char *name,
                  FrameKind   parent_kind)
{
  const char *text = rd->text->str;

  if (parent_kind == FRAME_ITEM)
    {
      if (g_str_equal (name, "title"))
        cb_item_set_title (rd->item, text);
      else if (g_str_equal (name, "design"))
        cb_item_set_design (rd->item, text);
      else if (g_str_equal (name, "reference-note"))
        cb_item_set_reference_note (rd->item, text);
    }
  else if (parent_kind == FRAME_REFERENCE)
    {
      if (g_str_equal (name, "year"))
        cb_reference_set_year (rd->reference, text);
      else if (g_str_equal (name, "title"))
        cb_reference_set_title (rd->reference, text);
      else if (g_str_equal (name, "container"))
        cb_reference_set_container (rd->reference, text);
      else if (g_str_equal (name, "volume"))
        cb_reference_set_volume (rd->reference, text);
      else if (g_str_equal (name, "issue"))
        cb_reference_set_issue (rd->reference, text);
      else if (g_str_equal (name, "pages"))
        cb_reference_set_pages (rd->reference, text);
      else if (g_str_equal (name, "doi"))
        cb_reference_set_doi (rd->reference, text);
      else if (g_str_equal (name, "url"))
        cb_reference_set_url (rd->reference, text);
      else if (g_str_equal (name, "text"))
        cb_reference_add_text (rd->reference, text);
      else if (g_str_equal (name, "publisher"))
        {
          cb_reference_set_publisher (rd->reference, text);
          cb_reference_set_place (rd->reference, rd->attr_a);
        }
    }
  /* A nested <revision> or <change> (only the unvalidated fragment reader
   * meets one) ends before its parent's text does and clears these */
  else if (parent_kind == FRAME_REVISION && rd->revision != NULL && g_str_equal (name, "summary"))
    {
      g_free (rd->revision->summary);
      rd->revision->summary = g_strdup (text);
    }
  else if (parent_kind == FRAME_CHANGE && rd->change != NULL)
    {
      if (g_str_equal (name, "before"))
        {
          g_free (rd->change->before);
          rd->change->before = g_strdup (text);
        }
      else if (g_str_equal (name, "after"))
        {
          g_free (rd->change->after);
          rd->change->after = g_strdup (text);
        }
    }
  else if (g_str_equal (name, "country") && rd->item != NULL)
    cb_item_add_country (rd->item, text);
  else if (g_str_equal (name, "intervention") && rd->item != NULL)
    cb_item_add_intervention (rd->item, text);
  else if (g_str_equal (name, "organisation") && rd->reference != NULL)
    cb_reference_add_author (rd->reference, text, NULL);
  else if (g_str_equal (name, "entry"))
    {
      CbContentsKind kind = CB_CONTENTS_FRONT;

      cb_contents_kind_from_string (rd->attr_a, &kind);
      cb_corpus_add_contents_entry (rd->outline, kind, rd->attr_b, text,
                                    rd->attr_c ? (guint) g_ascii_strtoull (rd->attr_c, NULL, 10) : 0);
    }
  else if (g_str_equal (name, "anomaly"))
    {
      CbSeverity severity = CB_SEVERITY_WARNING;

      cb_severity_from_string (rd->attr_a, &severity);
      cb_corpus_add_anomaly (rd->outline,
                             cb_anomaly_new (severity, rd->attr_b,
                                             rd->attr_c ? (guint) g_ascii_strtoull (rd->attr_c, NULL, 10) : 0,
                                             rd->attr_d, text));
    }
  else if (g_str_equal (name, "title"))
    cb_corpus_set_title (rd->outline, text);
  else if (g_str_equal (name, "subtitle"))
    cb_corpus_set_subtitle (rd->outline, text);
  else if (g_str_equal (name, "publisher"))
    cb_corpus_set_publisher (rd->outline, text);
}

static void
end_element (Reader *rd)
{
  Frame *frame = top (rd);
  Frame *parent = parent_frame (rd);

  switch (frame->kind)
    {
    case FRAME_TEXT:
      end_text_element (rd, frame->name, parent ? parent->kind : FRAME_OTHER);
      break;

    case FRAME_INLINE:
      if (frame->spans != NULL && (frame->object != NULL || g_str_equal (frame->name, "lead")))
        cb_spans_normalize (frame->spans);
      break;

    case FRAME_ITEM:
      if (rd->error == NULL && rd->item_func != NULL &&
          !rd->item_func (rd->item, rd->user_data, &rd->error))
        g_prefix_error (&rd->error, "%s:%d: ", rd->path, rd->item_line);
      g_clear_object (&rd->item);
      break;

    case FRAME_REFERENCE:
      if (rd->error == NULL && rd->reference_func != NULL &&
          !rd->reference_func (rd->reference, rd->user_data, &rd->error))
        g_prefix_error (&rd->error, "%s:%d: ", rd->path, rd->reference_line);
      g_clear_object (&rd->reference);
      break;

    case FRAME_REVISION:
      rd->revision = NULL;
      break;

    case FRAME_CHANGE:
      rd->change = NULL;
      break;

    case FRAME_OTHER:
    case FRAME_PART:
    case FRAME_CONTAINER:
    default:
      break;
    }

  frame_clear (frame);
  g_array_set_size (rd->frames, rd->frames->len - 1);
}

static void
characters (Reader     *rd,
            const char *text)
{
  Frame *frame = top (rd);

  if (frame == NULL)
    return;

  if (frame->kind == FRAME_TEXT)
    g_string_append (rd->text, text);
  else if (frame->kind == FRAME_INLINE && frame->spans != NULL)
    g_ptr_array_add (frame->spans, cb_span_new (text, frame->flags, frame->href));
}

static gboolean
read_with (xmlTextReaderPtr        reader,
           CbXmlErrors            *errors,
           const char             *path,
           goffset                 total_bytes,
           CbCorpus               *outline,
           CbCorpusReferenceFunc   reference_func,
           CbCorpusItemFunc        item_func,
           CbProgressFunc          progress_func,
           gpointer                user_data,
           gboolean                validating,
           GError                **error)
{
  Reader rd = { 0 };
  guint count = 0;
  int ret;

  rd.reader = reader;
  rd.path = path;
  rd.outline = outline;
  rd.reference_func = reference_func;
  rd.item_func = item_func;
  rd.user_data = user_data;
  rd.frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  rd.text = g_string_new (NULL);

  while (rd.error == NULL && !cb_xml_errors_any (errors) && (ret = xmlTextReaderRead (rd.reader)) == 1)
    {
      int type;

      type = xmlTextReaderNodeType (rd.reader);

      /* The node that raised the first error is not handled, but a root
       * from a newer format says so rather than breaking the schema. */
      if (cb_xml_errors_any (errors))
        {
          if (type == XML_READER_TYPE_ELEMENT &&
              g_str_equal ((const char *) xmlTextReaderConstLocalName (rd.reader), "corpus"))
            start_element (&rd, "corpus");
          break;
        }

      if (progress_func != NULL && total_bytes > 0 && (++count & 0xfff) == 0)
        progress_func (MIN (1.0, (double) xmlTextReaderByteConsumed (rd.reader) / total_bytes), user_data);

      switch (type)
        {
        case XML_READER_TYPE_DOCUMENT_TYPE:
          rd_fail (&rd, CB_ERROR_UNSAFE, _("Corpus files with a DOCTYPE are refused (no DTDs or entities)"));
          break;

        case XML_READER_TYPE_ENTITY_REFERENCE:
          rd_fail (&rd, CB_ERROR_UNSAFE, _("Corpus files may not use entities"));
          break;

        case XML_READER_TYPE_ELEMENT:
          {
            const char *name = (const char *) xmlTextReaderConstLocalName (rd.reader);
            gboolean empty = xmlTextReaderIsEmptyElement (rd.reader);

            start_element (&rd, name);
            if (empty)
              end_element (&rd);
          }
          break;

        case XML_READER_TYPE_END_ELEMENT:
          if (rd.frames->len > 0)
            end_element (&rd);
          break;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          characters (&rd, (const char *) xmlTextReaderConstValue (rd.reader));
          break;

        default:
          break;
        }
    }

  /* The streaming parser calls a file that stops inside an element "extra
   * content at the end"; say what it is. */
  if (rd.error == NULL && cb_xml_errors_any (errors) && cb_xml_errors_get_code (errors) == XML_ERR_DOCUMENT_END &&
      rd.frames->len > 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("The file ends inside <%s>: it is incomplete or truncated"),
                         g_array_index (rd.frames, Frame, rd.frames->len - 1).name);

      cb_xml_errors_replace (errors, message);
    }

  if (validating && rd.error == NULL && !cb_xml_errors_any (errors) && xmlTextReaderIsValid (rd.reader) != 1)
    cb_xml_errors_add (errors, xmlTextReaderGetParserLineNumber (rd.reader), 0,
                       _("The file does not match the corpus schema"));

  xmlFreeTextReader (rd.reader);
  for (guint i = 0; i < rd.frames->len; i++)
    frame_clear (&g_array_index (rd.frames, Frame, i));
  g_array_unref (rd.frames);
  g_string_free (rd.text, TRUE);
  g_clear_object (&rd.item);
  g_clear_object (&rd.reference);
  g_free (rd.attr_a);
  g_free (rd.attr_b);
  g_free (rd.attr_c);
  g_free (rd.attr_d);

  /* A newer format or an unsafe document explains itself better than the
   * schema errors it causes. */
  if (rd.error != NULL)
    {
      g_propagate_error (error, rd.error);
      return FALSE;
    }

  if (cb_xml_errors_any (errors))
    {
      cb_xml_errors_propagate (errors, error, CB_ERROR_INVALID);
      return FALSE;
    }

  return TRUE;
}

/* Reads with @reader (which it frees), validating against @schema */
static gboolean
read_validating (xmlTextReaderPtr        reader,
                 xmlRelaxNGPtr           schema,
                 const char             *path,
                 goffset                 total_bytes,
                 CbCorpus               *outline,
                 CbCorpusReferenceFunc   reference_func,
                 CbCorpusItemFunc        item_func,
                 CbProgressFunc          progress_func,
                 gpointer                user_data,
                 GError                **error)
{
  g_autoptr(CbXmlErrors) errors = cb_xml_errors_new (path);

  xmlTextReaderSetStructuredErrorHandler (reader, cb_xml_errors_handler, errors);
  if (xmlTextReaderRelaxNGSetSchema (reader, schema) != 0)
    {
      xmlFreeTextReader (reader);
      g_set_error (error, CB_ERROR, CB_ERROR_IO, _("%s: the schema cannot be used"), path);
      return FALSE;
    }

  if (!read_with (reader, errors, path, total_bytes, outline, reference_func, item_func,
                  progress_func, user_data, TRUE, error))
    return FALSE;

  if (progress_func != NULL)
    progress_func (1.0, user_data);

  return TRUE;
}

/**
 * cb_corpus_read_streaming_full:
 * @path: a corpus file
 * @outline: a corpus that receives the guide's title, contents and import
 *   report (but not the items or references)
 * @reference_func: (scope call) (nullable): called for each reference
 * @item_func: (scope call) (nullable): called for each item
 * @progress_func: (scope call) (nullable): called now and then with the
 *   fraction of the file read
 * @user_data: closure for the callbacks
 * @error: return location for a #GError
 *
 * Reads @path, validating it against the corpus schema as it goes, with
 * network access, DTDs and entities off. Errors carry the file, line and
 * column.
 */
gboolean
cb_corpus_read_streaming_full (const char             *path,
                               CbCorpus               *outline,
                               CbCorpusReferenceFunc   reference_func,
                               CbCorpusItemFunc        item_func,
                               CbProgressFunc          progress_func,
                               gpointer                user_data,
                               GError                **error)
{
  xmlTextReaderPtr reader;
  xmlRelaxNGPtr schema;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (CB_IS_CORPUS (outline), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((schema = cb_xml_get_schema ("corpus", error)) == NULL)
    return FALSE;

  if (g_stat (path, &st) != 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("%s: no such file"), path);
      return FALSE;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("%s:1:1: the file is empty"), path);
      return FALSE;
    }

  if (!cb_xml_check_no_doctype (path, error))
    return FALSE;

  reader = xmlReaderForFile (path, NULL, CB_XML_PARSE_OPTIONS);
  if (reader == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_IO, _("%s: the file cannot be read"), path);
      return FALSE;
    }

  return read_validating (reader, schema, path, st.st_size, outline, reference_func, item_func,
                          progress_func, user_data, error);
}

/**
 * cb_corpus_read_streaming:
 * @path: a corpus file
 * @outline: a corpus that receives the guide's title, contents and import
 *   report
 * @reference_func: (scope call) (nullable): called for each reference
 * @item_func: (scope call) (nullable): called for each item
 * @user_data: closure for both
 * @error: return location for a #GError
 *
 * cb_corpus_read_streaming_full() without progress.
 */
gboolean
cb_corpus_read_streaming (const char             *path,
                          CbCorpus               *outline,
                          CbCorpusReferenceFunc   reference_func,
                          CbCorpusItemFunc        item_func,
                          gpointer                user_data,
                          GError                **error)
{
  return cb_corpus_read_streaming_full (path, outline, reference_func, item_func, NULL, user_data, error);
}

typedef struct {
  CbItem      *item;
  CbReference *reference;
} Fragment;

static gboolean
keep_fragment_item (CbItem   *item,
                    gpointer  user_data,
                    GError  **error)
{
  Fragment *fragment = user_data;

  if (fragment->item == NULL)
    fragment->item = g_object_ref (item);

  return TRUE;
}

static gboolean
keep_fragment_reference (CbReference  *reference,
                         gpointer      user_data,
                         GError      **error)
{
  Fragment *fragment = user_data;

  if (fragment->reference == NULL)
    fragment->reference = g_object_ref (reference);

  return TRUE;
}

static gboolean
read_fragment (const char  *data,
               gsize        len,
               Fragment    *fragment,
               GError     **error)
{
  g_autoptr(CbXmlErrors) errors = cb_xml_errors_new ("(item)");
  g_autoptr(CbCorpus) outline = cb_corpus_new ();
  xmlTextReaderPtr reader;

  cb_xml_init ();

  if (len > G_MAXINT || g_strstr_len (data, MIN (len, 4096), "<!DOCTYPE") != NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_UNSAFE, _("The stored item is not a plain item element"));
      return FALSE;
    }

  reader = xmlReaderForMemory (data, (int) len, NULL, "UTF-8", CB_XML_PARSE_OPTIONS);
  if (reader == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("The stored item cannot be read"));
      return FALSE;
    }
  xmlTextReaderSetStructuredErrorHandler (reader, cb_xml_errors_handler, errors);

  return read_with (reader, errors, "(item)", 0, outline, keep_fragment_reference, keep_fragment_item,
                    NULL, fragment, FALSE, error);
}

/**
 * cb_item_from_xml:
 * @data: an `<item>` element as cb_item_to_xml() wrote it
 * @len: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the item
 */
CbItem *
cb_item_from_xml (const char  *data,
                  gsize        len,
                  GError     **error)
{
  Fragment fragment = { 0 };

  if (!read_fragment (data, len, &fragment, error))
    {
      g_clear_object (&fragment.item);
      g_clear_object (&fragment.reference);
      return NULL;
    }

  g_clear_object (&fragment.reference);
  if (fragment.item == NULL)
    g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT, _("The stored data holds no item"));

  return fragment.item;
}

/**
 * cb_reference_from_xml:
 * @data: a `<reference>` element as cb_reference_to_xml() wrote it
 * @len: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the reference
 */
CbReference *
cb_reference_from_xml (const char  *data,
                       gsize        len,
                       GError     **error)
{
  Fragment fragment = { 0 };

  if (!read_fragment (data, len, &fragment, error))
    {
      g_clear_object (&fragment.item);
      g_clear_object (&fragment.reference);
      return NULL;
    }

  g_clear_object (&fragment.item);
  if (fragment.reference == NULL)
    g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT, _("The stored data holds no reference"));

  return fragment.reference;
}

static gboolean
collect_reference (CbReference  *reference,
                   gpointer      user_data,
                   GError      **error)
{
  return cb_corpus_add_reference (user_data, g_object_ref (reference), error);
}

static gboolean
collect_item (CbItem   *item,
              gpointer  user_data,
              GError  **error)
{
  return cb_corpus_add_item (user_data, g_object_ref (item), error);
}

/**
 * cb_corpus_read_file:
 * @path: a corpus file
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the corpus, or %NULL if the file is missing, not
 *   well-formed, unsafe, breaks the schema, comes from a newer version or
 *   repeats an id
 */
CbCorpus *
cb_corpus_read_file (const char  *path,
                     GError     **error)
{
  g_autoptr(CbCorpus) corpus = cb_corpus_new ();

  if (!cb_corpus_read_streaming (path, corpus, collect_reference, collect_item, corpus, error))
    return NULL;

  return g_steal_pointer (&corpus);
}

/* Corpus update files
 *
 * An update file is a corpus file whose root also carries the corpus
 * version and `checksum="sha256:HEX"`: the SHA-256 of the file's exact
 * bytes with that attribute's value empty. Laptops refuse a file that was
 * cut short, edited or damaged on the way, and never take in part of one.
 */

#define CHECKSUM_PREFIX "sha256:"

/* Where the root element starts: after a byte order mark and the prolog
 * (the XML declaration, comments, processing instructions, white space).
 * The whole prolog is walked, however long, so a DOCTYPE hidden behind a
 * long comment is found before libxml2 reads any entity declaration. */
typedef struct {
  gsize    root;      /* the root's '<', or the length when there is none */
  gboolean doctype;
  guint    line;
  guint    column;
} Prolog;

static void
scan_prolog (const char *data,
             gsize       len,
             Prolog     *prolog)
{
  gsize i = 0;

  prolog->root = len;
  prolog->doctype = FALSE;
  prolog->line = 1;
  prolog->column = 1;

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;

  while (i < len)
    {
      const char *end = NULL;
      gsize skip = 0;

      if (data[i] == '\n')
        {
          prolog->line++, prolog->column = 1, i++;
          continue;
        }
      if (data[i] == ' ' || data[i] == '\t' || data[i] == '\r')
        {
          prolog->column++, i++;
          continue;
        }
      if (data[i] != '<')
        return;

      if (i + 1 < len && data[i + 1] == '?')
        end = g_strstr_len (data + i + 2, len - i - 2, "?>"), skip = 2;
      else if (i + 3 < len && memcmp (data + i + 1, "!--", 3) == 0)
        end = g_strstr_len (data + i + 4, len - i - 4, "-->"), skip = 3;
      else
        {
          if (len - i >= 9 && g_ascii_strncasecmp (data + i + 1, "!DOCTYPE", 8) == 0)
            prolog->doctype = TRUE;
          else
            prolog->root = i;
          return;
        }

      if (end == NULL)
        return;

      for (; i < (gsize) (end - data) + skip; i++)
        {
          if (data[i] == '\n')
            prolog->line++, prolog->column = 1;
          else
            prolog->column++;
        }
    }
}

static gboolean
is_xml_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Finds the value of attribute @name in the start tag at @root, as byte
 * offsets of what is between its quotes. */
static gboolean
find_root_attribute (const char *data,
                     gsize       len,
                     gsize       root,
                     const char *name,
                     gsize      *value_start,
                     gsize      *value_end)
{
  gsize name_len = strlen (name);
  gsize i = root + 1;

  if (root >= len || data[root] != '<')
    return FALSE;

  while (i < len && !is_xml_space (data[i]) && data[i] != '>' && data[i] != '/')
    i++;

  for (;;)
    {
      gsize attr_start, attr_end;
      char quote;

      while (i < len && is_xml_space (data[i]))
        i++;
      if (i >= len || data[i] == '>' || data[i] == '/')
        return FALSE;

      attr_start = i;
      while (i < len && !is_xml_space (data[i]) && data[i] != '=' && data[i] != '>')
        i++;
      attr_end = i;
      while (i < len && is_xml_space (data[i]))
        i++;
      if (i >= len || data[i] != '=')
        return FALSE;
      i++;
      while (i < len && is_xml_space (data[i]))
        i++;
      if (i >= len || (data[i] != '"' && data[i] != '\''))
        return FALSE;

      quote = data[i++];
      *value_start = i;
      while (i < len && data[i] != quote && data[i] != '<')
        i++;
      if (i >= len || data[i] != quote)
        return FALSE;
      *value_end = i++;

      if (attr_end - attr_start == name_len && memcmp (data + attr_start, name, name_len) == 0)
        return TRUE;
    }
}

typedef enum {
  CHECKSUM_OK,
  CHECKSUM_MISSING,
  CHECKSUM_MALFORMED,
  CHECKSUM_MISMATCH,
} ChecksumVerdict;

static gboolean
is_sha256_hex (const char *text,
               gsize       len)
{
  if (len != 64)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
        return FALSE;
    }

  return TRUE;
}

/* The SHA-256 of @data with the bytes from @hole_start to @hole_end left
 * out */
static char *
checksum_without (const char *data,
                  gsize       len,
                  gsize       hole_start,
                  gsize       hole_end)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) data, hole_start);
  g_checksum_update (checksum, (const guchar *) data + hole_end, len - hole_end);

  return g_strdup (g_checksum_get_string (checksum));
}

static ChecksumVerdict
verify_checksum (const char *data,
                 gsize       len,
                 gsize       root)
{
  g_autofree char *actual = NULL;
  gsize start, end;
  const char *hex;

  if (!find_root_attribute (data, len, root, "checksum", &start, &end))
    return CHECKSUM_MISSING;

  hex = data + start + strlen (CHECKSUM_PREFIX);
  if (end - start < strlen (CHECKSUM_PREFIX) ||
      memcmp (data + start, CHECKSUM_PREFIX, strlen (CHECKSUM_PREFIX)) != 0 ||
      !is_sha256_hex (hex, data + end - hex))
    return CHECKSUM_MALFORMED;

  actual = checksum_without (data, len, start, end);

  return memcmp (actual, hex, 64) == 0 ? CHECKSUM_OK : CHECKSUM_MISMATCH;
}

static void
set_checksum_error (GError          **error,
                    ChecksumVerdict   verdict,
                    const char       *name)
{
  switch (verdict)
    {
    case CHECKSUM_MISSING:
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("%s: not a corpus update file: it has no checksum"), name);
      break;

    case CHECKSUM_MALFORMED:
      g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT,
                   _("%s: the file was changed or damaged after it was made: "
                     "its checksum is not of the form sha256:HEX"), name);
      break;

    case CHECKSUM_MISMATCH:
      g_set_error (error, CB_ERROR, CB_ERROR_CORRUPT,
                   _("%s: the file was changed or damaged after it was made: "
                     "its contents do not match its checksum"), name);
      break;

    case CHECKSUM_OK:
    default:
      g_assert_not_reached ();
    }
}

/**
 * cb_corpus_read_update_bytes:
 * @bytes: the contents of a corpus update file
 * @display_name: the name errors mention (the file's path)
 * @error: return location for a #GError
 *
 * Reads a corpus update file as cb_corpus_write_update() made it. The file
 * is refused as a whole, never taken in part:
 *
 * - %CB_ERROR_PARSE when it is empty, truncated or not well-formed XML
 *   (with the line and column);
 * - %CB_ERROR_UNSAFE when it has a DOCTYPE or entities;
 * - %CB_ERROR_NEWER when its format is newer than %CB_CORPUS_FORMAT (this
 *   is told before anything about the schema or the checksum);
 * - %CB_ERROR_INVALID when it has no checksum, so is no update file;
 * - %CB_ERROR_CORRUPT when its checksum does not match its bytes;
 * - %CB_ERROR_INVALID when it breaks the corpus schema, and
 *   %CB_ERROR_CONFLICT when it repeats an id.
 *
 * A file that is damaged and therefore also breaks the schema is reported
 * as damaged. Every message starts with @display_name.
 *
 * Returns: (transfer full): the corpus with its version, or %NULL
 */
CbCorpus *
cb_corpus_read_update_bytes (GBytes      *bytes,
                             const char  *display_name,
                             GError     **error)
{
  g_autoptr(CbCorpus) corpus = NULL;
  g_autoptr(GError) local_error = NULL;
  xmlTextReaderPtr reader;
  xmlRelaxNGPtr schema;
  ChecksumVerdict verdict;
  const char *data;
  gsize len;
  Prolog prolog;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = _("(corpus update)");

  data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_PARSE, _("%s:1:1: the file is empty"), display_name);
      return NULL;
    }
  if (len > G_MAXINT)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID, _("%s: the file is too large"), display_name);
      return NULL;
    }

  scan_prolog (data, len, &prolog);
  if (prolog.doctype)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_UNSAFE,
                   _("%s:%u:%u: Documents with a DOCTYPE are refused (no DTDs or entities)"),
                   display_name, prolog.line, prolog.column);
      return NULL;
    }

  if ((schema = cb_xml_get_schema ("corpus", error)) == NULL)
    return NULL;

  verdict = verify_checksum (data, len, prolog.root);

  reader = xmlReaderForMemory (data, (int) len, display_name, NULL, CB_XML_PARSE_OPTIONS);
  if (reader == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_IO, _("%s: the file cannot be read"), display_name);
      return NULL;
    }

  /* One pass: what is not well-formed, unsafe or newer says so first; a
   * file that fails its checksum is damaged, whatever else is wrong. */
  corpus = cb_corpus_new ();
  if (!read_validating (reader, schema, display_name, len, corpus, collect_reference, collect_item,
                        NULL, corpus, &local_error))
    {
      if (verdict != CHECKSUM_OK &&
          (local_error->code == CB_ERROR_INVALID || local_error->code == CB_ERROR_CONFLICT))
        set_checksum_error (error, verdict, display_name);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (verdict != CHECKSUM_OK)
    {
      set_checksum_error (error, verdict, display_name);
      return NULL;
    }

  return g_steal_pointer (&corpus);
}

/**
 * cb_corpus_read_update:
 * @path: a corpus update file
 * @error: return location for a #GError
 *
 * Like cb_corpus_read_update_bytes() for a file; a missing file is
 * %CB_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full): the corpus with its version, or %NULL
 */
CbCorpus *
cb_corpus_read_update (const char  *path,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, CB_ERROR, CB_ERROR_NOT_FOUND, _("%s: no such file"), path);
      else
        g_set_error (error, CB_ERROR, CB_ERROR_IO, _("%s: the file cannot be read: %s"), path,
                     local_error->message);
      return NULL;
    }

  bytes = g_bytes_new_take (contents, len);

  return cb_corpus_read_update_bytes (bytes, path, error);
}

/**
 * cb_corpus_write_update:
 * @corpus: a corpus, usually with a version (cb_corpus_set_version())
 * @error: return location for a #GError
 *
 * Writes @corpus as a corpus update file: the corpus file with its
 * `version` and `checksum="sha256:HEX"` on the root, HEX being the SHA-256
 * of the file's exact bytes with that attribute's value empty. The result
 * is read back before it is returned, so what is shipped can be read.
 *
 * Returns: (transfer full): the file's bytes, or %NULL
 */
GBytes *
cb_corpus_write_update (CbCorpus  *corpus,
                        GError   **error)
{
  Sink sink = { .fd = -1, .bytes = g_byte_array_new () };
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CbCorpus) check = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autofree char *sum = NULL;
  gsize start, end;
  Prolog prolog;

  g_return_val_if_fail (CB_IS_CORPUS (corpus), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cb_xml_init ();

  if (!write_corpus (corpus, xmlOutputBufferCreateIO (sink_write, sink_close, &sink, NULL), TRUE, error))
    {
      g_byte_array_unref (sink.bytes);
      return NULL;
    }
  out = sink.bytes;

  scan_prolog ((const char *) out->data, out->len, &prolog);
  if (!find_root_attribute ((const char *) out->data, out->len, prolog.root, "checksum", &start, &end) ||
      start != end)
    g_assert_not_reached ();

  sum = checksum_without ((const char *) out->data, out->len, start, end);
  {
    g_autofree char *value = g_strconcat (CHECKSUM_PREFIX, sum, NULL);
    GByteArray *whole = g_byte_array_sized_new (out->len + strlen (value));

    g_byte_array_append (whole, out->data, start);
    g_byte_array_append (whole, (const guint8 *) value, strlen (value));
    g_byte_array_append (whole, out->data + start, out->len - start);
    bytes = g_byte_array_free_to_bytes (whole);
  }

  check = cb_corpus_read_update_bytes (bytes, _("(corpus update)"), &invalid);
  if (check == NULL)
    {
      g_set_error (error, CB_ERROR, CB_ERROR_INVALID,
                   _("The corpus update would not be valid (%s)"), invalid->message);
      return NULL;
    }

  return g_steal_pointer (&bytes);
}

/**
 * cb_corpus_write_update_file:
 * @corpus: a corpus
 * @path: where to write
 * @error: return location for a #GError
 *
 * Writes cb_corpus_write_update() to @path atomically: on any failure
 * @path is left as it was.
 */
gboolean
cb_corpus_write_update_file (CbCorpus    *corpus,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (CB_IS_CORPUS (corpus), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = cb_corpus_write_update (corpus, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, CB_ERROR, local_error->code, _("Nothing was written to “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }

  data = g_bytes_get_data (bytes, &len);

  return cb_file_set_contents_atomic (path, data, len, error);
}
