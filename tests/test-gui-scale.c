/* test-gui-scale.c: the window on a corpus of thousands of items, as
 * `casebook --corpus FILE` would open it
 *
 * A list of results makes row objects only for the rows it shows, also
 * when one search replaces another, and the extracts of the rows at the
 * top arrive while thousands of others wait.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "bench/cb-synth.h"
#include "cb-application.h"
#include "cb-result.h"
#include "cb-results-model.h"
#include "cb-test-gui.h"
#include "cb-test-util.h"
#include "cb-window.h"
#include "cb-xml.h"

#define N_ITEMS 2000

static char *tmp_dir;
static char *corpus;

/* Runs the main loop until @done says so, failing after five minutes (an
 * index of thousands of items builds slowly under the leak checker) */
static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  cb_test_wait_until (done, data, 300);
}

static gboolean
store_is_ready (gpointer data)
{
  return cb_window_get_store (data) != NULL && cb_window_get_results (data) != NULL;
}

static guint searches_finished;

static void
on_search_finished (CbWindow *window)
{
  searches_finished++;
}

static gboolean
search_count_reached (gpointer data)
{
  return searches_finished >= GPOINTER_TO_UINT (data);
}

static void
search (CbWindow   *window,
        const char *text)
{
  guint target = searches_finished + 1;

  cb_window_set_search_text (window, text);
  wait_until (search_count_reached, GUINT_TO_POINTER (target));
}

static gboolean
first_row_has_extract (gpointer data)
{
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (data));
  g_autoptr(CbResult) first = g_list_model_get_item (rows, 0);

  return first != NULL && cb_result_get_snippet (first) != NULL && cb_result_get_snippet (first)[0] != '\0';
}

/* Of the first @n rows, which the list has made already */
static guint
rows_with_extract (GListModel *model,
                   guint       n)
{
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbResult) row = g_list_model_get_item (model, i);

      if (cb_result_get_snippet (row) != NULL && cb_result_get_snippet (row)[0] != '\0')
        count++;
    }

  return count;
}

static void
check_rows (CbWindow *window)
{
  GtkListView *list;
  CbResultsModel *model;
  guint n_hits, rows;

  wait_until (store_is_ready, window);
  g_signal_connect (window, "search-finished", G_CALLBACK (on_search_finished), NULL);
  list = GTK_LIST_VIEW (cb_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW, TRUE));
  g_assert_nonnull (list);
  model = CB_RESULTS_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list))));

  /* Two broad searches, one replacing the other */
  search (window, "health");
  g_assert_cmpuint (cb_search_results_get_n_hits (cb_window_get_results (window)), >=, N_ITEMS / 2);
  wait_until (first_row_has_extract, list);

  search (window, "equit*");
  n_hits = cb_search_results_get_n_hits (cb_window_get_results (window));
  g_assert_cmpuint (n_hits, >=, N_ITEMS / 2);

  /* The rows that a window can show (GTK keeps some two hundred around
   * the visible ones), not one per result */
  rows = cb_results_model_get_n_made (model);
  g_test_message ("%u rows made for %u results", rows, n_hits);
  g_assert_cmpuint (rows, >, 0);
  g_assert_cmpuint (rows, <, n_hits / 4);

  /* The extracts of the rows on top come first: when the best result's
   * arrives, most of the other rows made are still waiting for theirs */
  wait_until (first_row_has_extract, list);
  g_assert_cmpuint (rows_with_extract (G_LIST_MODEL (model), rows), <, rows / 2);
}

static void
on_activate (GApplication *app)
{
  CbWindow *window = CB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  check_rows (window);
  g_application_quit (app);
}

static void
test_replaced_results_make_only_shown_rows (void)
{
  g_autoptr(CbApplication) app = cb_application_new ();
  char *argv[] = { (char *) "casebook", (char *) "--corpus", corpus, NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* After the application's own handler, which opens the window */
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);

  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autofree char *bundled = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }

  tmp_dir = g_dir_make_tmp ("casebook-gui-scale-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (tmp_dir, "index.sqlite", NULL);
  g_setenv ("CASEBOOK_DB", db, TRUE);

  bundled = cb_get_bundled_corpus_path ();
  corpus = g_build_filename (tmp_dir, "synth.xml", NULL);
  g_assert_true (cb_synth_write_corpus (bundled, N_ITEMS, 1, corpus, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui-scale/replaced-results-make-only-shown-rows", test_replaced_results_make_only_shown_rows);

  status = g_test_run ();

  cb_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (corpus);

  return status;
}
