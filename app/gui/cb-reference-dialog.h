/* cb-reference-dialog.h: "New Reference": a reference typed in by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cb-corpus.h"

G_BEGIN_DECLS

#define CB_TYPE_REFERENCE_DIALOG (cb_reference_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CbReferenceDialog, cb_reference_dialog, CB, REFERENCE_DIALOG, AdwWindow)

CbReferenceDialog *cb_reference_dialog_new            (CbCorpus          *corpus,
                                                       GPtrArray         *taken);
CbReference       *cb_reference_dialog_dup_reference  (CbReferenceDialog *self);
gboolean           cb_reference_dialog_get_valid      (CbReferenceDialog *self);

char              *cb_reference_make_id               (CbCorpus          *corpus,
                                                       GPtrArray         *taken,
                                                       const char        *family,
                                                       const char        *year);

G_END_DECLS
