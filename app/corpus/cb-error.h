/* cb-error.h: the error domain shared by every Casebook layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CB_ERROR (cb_error_quark ())

/**
 * CbError:
 * @CB_ERROR_PARSE: the input is not well-formed (text, XML, JSON)
 * @CB_ERROR_INVALID: the input is well-formed but breaks a schema or a rule
 * @CB_ERROR_NOT_FOUND: an id, file or record does not exist
 * @CB_ERROR_UNSAFE: the input asks for something refused on principle
 *   (a DTD, external entities, a non-http link)
 * @CB_ERROR_CORRUPT: stored data is damaged
 * @CB_ERROR_NO_SPACE: the disk or the database is full
 * @CB_ERROR_READ_ONLY: the target cannot be written
 * @CB_ERROR_NEWER: the data comes from a newer version of Casebook
 * @CB_ERROR_IO: another input/output failure
 * @CB_ERROR_CANCELLED: the operation was cancelled or interrupted
 * @CB_ERROR_CONFLICT: the change clashes with other data (a duplicate id)
 */
typedef enum {
  CB_ERROR_PARSE,
  CB_ERROR_INVALID,
  CB_ERROR_NOT_FOUND,
  CB_ERROR_UNSAFE,
  CB_ERROR_CORRUPT,
  CB_ERROR_NO_SPACE,
  CB_ERROR_READ_ONLY,
  CB_ERROR_NEWER,
  CB_ERROR_IO,
  CB_ERROR_CANCELLED,
  CB_ERROR_CONFLICT,
} CbError;

GQuark cb_error_quark (void);

G_END_DECLS
