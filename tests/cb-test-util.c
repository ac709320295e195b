/* cb-test-util.c: what several test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cb-test-util.h"

/**
 * cb_test_remove_tree:
 * @path: a folder a test made
 *
 * Removes the folder and everything in it (symbolic links are removed,
 * not followed).
 */
void
cb_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        cb_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/**
 * cb_test_wait_until:
 * @done: says whether what the test waits for has happened
 * @data: for @done
 * @seconds: how long to wait at most
 *
 * Runs the main loop until @done returns %TRUE, and fails the test if
 * that takes longer than @seconds.
 */
void
cb_test_wait_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    guint      seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

/**
 * cb_test_run_for:
 * @milliseconds: how long
 *
 * Runs the main loop for @milliseconds, whatever happens meanwhile.
 */
void
cb_test_run_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * cb_test_flush_events:
 *
 * Dispatches whatever the main loop has ready, without waiting.
 */
void
cb_test_flush_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
