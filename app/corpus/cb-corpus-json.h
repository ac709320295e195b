/* cb-corpus-json.h: JSON views of items, references and reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cb-corpus.h"

G_BEGIN_DECLS

JsonNode *cb_item_to_json      (CbItem      *item,
                                CbCorpus    *corpus,
                                gboolean     full);
JsonNode *cb_reference_to_json (CbReference *reference);
JsonNode *cb_block_to_json     (CbBlock     *block);
JsonNode *cb_anomaly_to_json   (CbAnomaly   *anomaly);
char     *cb_json_to_string    (JsonNode    *node,
                                gboolean     pretty);

G_END_DECLS
