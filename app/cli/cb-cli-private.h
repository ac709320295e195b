/* cb-cli-private.h: what the command files of casebook-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cb-corpus.h"
#include "cb-library.h"
#include "cb-store.h"

G_BEGIN_DECLS

typedef struct {
  const char *corpus_path;
  const char *db_path;
} Globals;

typedef int (*CommandFunc) (Globals  *globals,
                            int       argc,
                            char    **argv);

typedef struct {
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

void      cb_cli_print_error      (const char    *format,
                                   ...) G_GNUC_PRINTF (1, 2);
int       cb_cli_parse_options    (const char    *command,
                                   const char    *parameter,
                                   const char    *summary,
                                   GOptionEntry  *entries,
                                   int           *argc,
                                   char        ***argv);
int       cb_cli_parse_command    (const char    *command,
                                   const char    *parameter,
                                   const char    *summary,
                                   GOptionEntry  *entries,
                                   int            min,
                                   int            max,
                                   int           *argc,
                                   char        ***argv);
char     *cb_cli_read_text        (const char    *file,
                                   GError       **error);
gboolean  cb_cli_check_extra_args (const char    *command,
                                   int            argc,
                                   int            expected);
CbCorpus *cb_cli_load_corpus      (Globals       *globals);
CbLibrary *cb_cli_open_library    (Globals       *globals);
int       cb_cli_print_json       (JsonNode      *node);
CbStore  *cb_cli_open_store       (Globals       *globals,
                                   gboolean       force,
                                   gboolean      *rebuilt);

int       cb_cli_run_group        (Globals       *globals,
                                   const char    *group,
                                   const char    *summary,
                                   const Command *commands,
                                   guint          n_commands,
                                   int            argc,
                                   char         **argv);

int       cb_cli_pack             (Globals       *globals,
                                   int            argc,
                                   char         **argv);
int       cb_cli_item             (Globals       *globals,
                                   int            argc,
                                   char         **argv);
int       cb_cli_corpus           (Globals       *globals,
                                   int            argc,
                                   char         **argv);

G_END_DECLS
