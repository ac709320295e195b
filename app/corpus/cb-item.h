/* cb-item.h: one item of the corpus (a case study, inset box, section,
 * recommendation, implementation step, glossary term or next step)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "cb-block.h"

G_BEGIN_DECLS

typedef enum {
  CB_ITEM_KIND_SECTION,
  CB_ITEM_KIND_CASE_STUDY,
  CB_ITEM_KIND_INSET_BOX,
  CB_ITEM_KIND_RECOMMENDATION,
  CB_ITEM_KIND_IMPLEMENTATION,
  CB_ITEM_KIND_GLOSSARY,
  CB_ITEM_KIND_NEXT_STEP,
  CB_N_ITEM_KINDS
} CbItemKind;

typedef enum {
  CB_ITEM_STATUS_ACTIVE,
  CB_ITEM_STATUS_RETIRED,
} CbItemStatus;

const char *cb_item_kind_to_string   (CbItemKind   kind);
gboolean    cb_item_kind_from_string (const char  *str,
                                      CbItemKind  *kind);
const char *cb_item_kind_label       (CbItemKind   kind);

/**
 * CbChange:
 * @field: the field that changed ("title", "countries", "part:background", ...)
 * @before: (nullable): the old value as text
 * @after: (nullable): the new value as text
 */
typedef struct {
  char *field;
  char *before;
  char *after;
} CbChange;

/**
 * CbRevision:
 * @date: ISO 8601 UTC time of the change
 * @author: who made it
 * @summary: one line saying what was done
 * @changes: (element-type CbChange): field-level changes, may be empty
 */
typedef struct {
  char      *date;
  char      *author;
  char      *summary;
  GPtrArray *changes;
} CbRevision;

CbRevision *cb_revision_new        (const char       *date,
                                    const char       *author,
                                    const char       *summary);
CbRevision *cb_revision_copy       (const CbRevision *revision);
void        cb_revision_free       (CbRevision       *revision);
void        cb_revision_add_change (CbRevision       *revision,
                                    const char       *field,
                                    const char       *before,
                                    const char       *after);

#define CB_TYPE_ITEM (cb_item_get_type ())

G_DECLARE_FINAL_TYPE (CbItem, cb_item, CB, ITEM, GObject)

CbItem       *cb_item_new                (const char    *id,
                                          CbItemKind     kind);
CbItem       *cb_item_copy               (CbItem        *self);
gboolean      cb_item_id_is_valid        (const char    *id);
char         *cb_item_dup_label          (CbItem        *self);

const char   *cb_item_get_id             (CbItem        *self);
CbItemKind    cb_item_get_kind           (CbItem        *self);
const char   *cb_item_get_number         (CbItem        *self);
void          cb_item_set_number         (CbItem        *self,
                                          const char    *number);
const char   *cb_item_get_title          (CbItem        *self);
void          cb_item_set_title          (CbItem        *self,
                                          const char    *title);
guint         cb_item_get_chapter        (CbItem        *self);
void          cb_item_set_chapter        (CbItem        *self,
                                          guint          chapter);
const char   *cb_item_get_section        (CbItem        *self);
void          cb_item_set_section        (CbItem        *self,
                                          const char    *section);
guint         cb_item_get_page           (CbItem        *self);
void          cb_item_set_page           (CbItem        *self,
                                          guint          page);
const char   *cb_item_get_origin         (CbItem        *self);
void          cb_item_set_origin         (CbItem        *self,
                                          const char    *origin);
CbItemStatus  cb_item_get_status         (CbItem        *self);
void          cb_item_set_status         (CbItem        *self,
                                          CbItemStatus   status);

GPtrArray    *cb_item_get_countries      (CbItem        *self);
void          cb_item_add_country        (CbItem        *self,
                                          const char    *code);
GPtrArray    *cb_item_get_interventions  (CbItem        *self);
void          cb_item_add_intervention   (CbItem        *self,
                                          const char    *id);
const char   *cb_item_get_design         (CbItem        *self);
void          cb_item_set_design         (CbItem        *self,
                                          const char    *design);
void          cb_item_clear_metadata     (CbItem        *self);

GPtrArray    *cb_item_get_parts          (CbItem        *self);
CbPart       *cb_item_get_part           (CbItem        *self,
                                          const char    *name);
void          cb_item_add_part           (CbItem        *self,
                                          CbPart        *part);

GPtrArray    *cb_item_get_references     (CbItem        *self);
void          cb_item_add_reference      (CbItem        *self,
                                          const char    *reference_id);
void          cb_item_clear_references   (CbItem        *self);
gboolean      cb_item_cites              (CbItem        *self,
                                          const char    *reference_id);
const char   *cb_item_get_reference_note (CbItem        *self);
void          cb_item_set_reference_note (CbItem        *self,
                                          const char    *note);

GPtrArray    *cb_item_get_history        (CbItem        *self);
void          cb_item_add_revision       (CbItem        *self,
                                          CbRevision    *revision);

const char * const *cb_item_get_field_names (CbItem  *self);
char         *cb_item_dup_field          (CbItem        *self,
                                          const char    *field);
gboolean      cb_item_set_field          (CbItem        *self,
                                          const char    *field,
                                          const char    *value,
                                          GError       **error);
gboolean      cb_item_copy_field         (CbItem        *self,
                                          CbItem        *from,
                                          const char    *field);
gboolean      cb_item_same_fields        (CbItem        *self,
                                          CbItem        *other);

char         *cb_item_get_text           (CbItem        *self);
char         *cb_item_get_part_text      (CbItem        *self,
                                          const char    *name);
gboolean      cb_item_same_text          (CbItem        *self,
                                          CbItem        *other);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbRevision, cb_revision_free)

G_END_DECLS
