/* cb-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-corpus"

#include "config.h"

#include "cb-error.h"

G_DEFINE_QUARK (casebook-error-quark, cb_error)
