/* cb-xml.h: safe XML reading (no network, no DTD, no entities), RELAX NG
 * validation with file:line:column errors, and atomic file writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libxml/tree.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>

G_BEGIN_DECLS

/* Options for every parser and reader: no network, no DTD loading, no
 * entity substitution. Documents that carry a DOCTYPE are refused. */
#define CB_XML_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)

void             cb_xml_init                  (void);
xmlRelaxNGPtr    cb_xml_get_schema            (const char        *name,
                                               GError           **error);
xmlDocPtr        cb_xml_read_file             (const char        *path,
                                               const char        *schema,
                                               GError           **error);
xmlDocPtr        cb_xml_read_memory           (const char        *data,
                                               gsize              len,
                                               const char        *display_name,
                                               const char        *schema,
                                               GError           **error);

typedef struct _CbXmlErrors CbXmlErrors;

CbXmlErrors     *cb_xml_errors_new            (const char        *display_name);
void             cb_xml_errors_free           (CbXmlErrors       *errors);
void             cb_xml_errors_handler        (void              *errors,
                                               xmlErrorPtr        error);
gboolean         cb_xml_errors_any            (CbXmlErrors       *errors);
int              cb_xml_errors_get_code       (CbXmlErrors       *errors);
void             cb_xml_errors_replace        (CbXmlErrors       *errors,
                                               const char        *message);
void             cb_xml_errors_add            (CbXmlErrors       *errors,
                                               int                line,
                                               int                column,
                                               const char        *message);
void             cb_xml_errors_propagate      (CbXmlErrors       *errors,
                                               GError           **error,
                                               int                code);

gboolean         cb_xml_check_no_doctype      (const char        *path,
                                               GError           **error);
char            *cb_xml_node_get_attr         (xmlNodePtr         node,
                                               const char        *name);
char            *cb_xml_node_get_text         (xmlNodePtr         node);
gboolean         cb_xml_node_is               (xmlNodePtr         node,
                                               const char        *name);

gboolean         cb_text_is_xml_safe          (const char        *text,
                                               gunichar          *bad_char);

gboolean         cb_file_set_contents_atomic  (const char        *path,
                                               const char        *contents,
                                               gssize             length,
                                               GError           **error);
int              cb_atomic_file_open          (const char        *path,
                                               char             **tmp_path,
                                               GError           **error);
gboolean         cb_atomic_file_commit        (int                fd,
                                               const char        *tmp_path,
                                               const char        *path,
                                               GError           **error);
void             cb_atomic_file_abort         (int                fd,
                                               const char        *tmp_path);
void             cb_set_error_from_errno      (GError           **error,
                                               int                saved_errno,
                                               const char        *path,
                                               const char        *what);

const char      *cb_get_data_dir              (void);
const char      *cb_get_locale_dir            (void);
char            *cb_get_bundled_corpus_path   (void);
char            *cb_get_taxonomy_path         (void);
char            *cb_get_bundled_guide_path    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbXmlErrors, cb_xml_errors_free)

G_END_DECLS
