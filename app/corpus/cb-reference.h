/* cb-reference.h: a structured citation from the guide's reference list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CbPerson:
 * @family: family name, or the whole name of an organisation
 * @given: initials or given names, %NULL for an organisation
 */
typedef struct {
  char *family;
  char *given;
} CbPerson;

CbPerson *cb_person_new  (const char *family,
                          const char *given);
void      cb_person_free (CbPerson   *person);

#define CB_TYPE_REFERENCE (cb_reference_get_type ())

G_DECLARE_FINAL_TYPE (CbReference, cb_reference, CB, REFERENCE, GObject)

CbReference *cb_reference_new            (void);
CbReference *cb_reference_copy           (CbReference *self);

const char  *cb_reference_get_id         (CbReference *self);
void         cb_reference_set_id         (CbReference *self,
                                          const char  *id);
const char  *cb_reference_get_kind       (CbReference *self);
void         cb_reference_set_kind       (CbReference *self,
                                          const char  *kind);
GPtrArray   *cb_reference_get_authors    (CbReference *self);
void         cb_reference_add_author     (CbReference *self,
                                          const char  *family,
                                          const char  *given);
gboolean     cb_reference_get_editors    (CbReference *self);
void         cb_reference_set_editors    (CbReference *self,
                                          gboolean     editors);
gboolean     cb_reference_get_et_al      (CbReference *self);
void         cb_reference_set_et_al      (CbReference *self,
                                          gboolean     et_al);
const char  *cb_reference_get_year       (CbReference *self);
void         cb_reference_set_year       (CbReference *self,
                                          const char  *year);
const char  *cb_reference_get_title      (CbReference *self);
void         cb_reference_set_title      (CbReference *self,
                                          const char  *title);
const char  *cb_reference_get_container  (CbReference *self);
void         cb_reference_set_container  (CbReference *self,
                                          const char  *container);
const char  *cb_reference_get_volume     (CbReference *self);
void         cb_reference_set_volume     (CbReference *self,
                                          const char  *volume);
const char  *cb_reference_get_issue      (CbReference *self);
void         cb_reference_set_issue      (CbReference *self,
                                          const char  *issue);
const char  *cb_reference_get_pages      (CbReference *self);
void         cb_reference_set_pages      (CbReference *self,
                                          const char  *pages);
const char  *cb_reference_get_publisher  (CbReference *self);
void         cb_reference_set_publisher  (CbReference *self,
                                          const char  *publisher);
const char  *cb_reference_get_place      (CbReference *self);
void         cb_reference_set_place      (CbReference *self,
                                          const char  *place);
const char  *cb_reference_get_doi        (CbReference *self);
void         cb_reference_set_doi        (CbReference *self,
                                          const char  *doi);
const char  *cb_reference_get_url        (CbReference *self);
void         cb_reference_set_url        (CbReference *self,
                                          const char  *url);
const char  *cb_reference_get_text       (CbReference *self);
GPtrArray   *cb_reference_get_texts      (CbReference *self);
void         cb_reference_add_text       (CbReference *self,
                                          const char  *text);

const char  *cb_reference_get_first_family (CbReference *self);
char        *cb_reference_format_authors   (CbReference *self);
char        *cb_reference_dup_link         (CbReference *self);
char        *cb_reference_dup_search_text  (CbReference *self);
gboolean     cb_reference_same_work        (CbReference *self,
                                            CbReference *other);
gboolean     cb_reference_equal            (CbReference *self,
                                            CbReference *other);

gboolean     cb_doi_is_valid               (const char  *doi);

G_END_DECLS
