/* cb-cli.h: casebook-cli, the command line for scripts and librarians
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes */
#define CB_EXIT_OK      0
#define CB_EXIT_FAILURE 1
#define CB_EXIT_USAGE   2

int cb_cli_run (int    argc,
                char **argv);

G_END_DECLS
