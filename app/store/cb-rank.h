/* cb-rank.h: the BM25F ranking function registered with FTS5
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

int cb_rank_register (sqlite3 *db);

