/* test-gui-recovery.c: the application started on a corpus file it cannot
 * read, as `casebook --corpus FILE` would be
 *
 * With an index from an earlier start, the window keeps showing that
 * evidence and says what is wrong; with none, it says why it has nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-store.h"
#include "cb-window.h"
#include "cb-xml.h"

static char *tmp_dir;
static char *broken_corpus;

typedef struct {
  GApplication *app;
  gboolean  ready;
  guint     n_results;
  char     *text;
} Outcome;

static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text);
}

static gboolean
look (gpointer user_data)
{
  Outcome *outcome = user_data;
  GApplication *app = outcome->app;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GString *text;
  CbSearchResults *results;

  if (window == NULL)
    return G_SOURCE_CONTINUE;

  text = g_string_new (NULL);

  collect_labels (GTK_WIDGET (window), text);
  results = cb_window_get_results (CB_WINDOW (window));

  /* Either the results or the reason for their absence */
  if (results == NULL && strstr (text->str, "Could Not Be Loaded") == NULL)
    {
      g_string_free (text, TRUE);
      return G_SOURCE_CONTINUE;
    }

  outcome->ready = TRUE;
  outcome->n_results = results ? cb_search_results_get_n_hits (results) : 0;
  outcome->text = g_string_free (text, FALSE);
  g_application_quit (app);

  return G_SOURCE_REMOVE;
}

static guint give_up_id;

static gboolean
give_up (gpointer user_data)
{
  give_up_id = 0;
  g_application_quit (user_data);

  return G_SOURCE_REMOVE;
}

/* Runs the application as `casebook --corpus BROKEN` until its window
 * shows an outcome */
static void
run_on_broken_corpus (Outcome *outcome)
{
  g_autoptr(CbApplication) app = cb_application_new ();
  char *argv[] = { (char *) "casebook", (char *) "--corpus", broken_corpus, NULL };
  guint look_id;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  outcome->app = G_APPLICATION (app);
  look_id = g_timeout_add (50, look, outcome);
  give_up_id = g_timeout_add_seconds (20, give_up, app);

  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 0);
  if (!outcome->ready)
    g_source_remove (look_id);
  g_clear_handle_id (&give_up_id, g_source_remove);
  g_assert_true (outcome->ready);

  /* The next start is a new application, with a new window */
  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
}

static void
test_keeps_last_good_index (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "good.sqlite", NULL);
  g_autofree char *bundled = cb_get_bundled_corpus_path ();
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };
  guint indexed;

  /* An earlier start indexed the bundled corpus */
  {
    g_autoptr(CbStore) store = cb_store_open (db, &error);

    g_assert_no_error (error);
    g_assert_true (cb_store_sync (store, bundled, FALSE, NULL, NULL, NULL, NULL, &error));
    indexed = cb_store_get_n_items (store);
  }

  g_setenv ("CASEBOOK_DB", db, TRUE);
  run_on_broken_corpus (&outcome);

  /* Nothing lost: every item is still there, and the user is told why
   * the file was not read */
  g_assert_cmpuint (outcome.n_results, ==, indexed);
  g_assert_nonnull (strstr (outcome.text, "broken.xml"));
  g_assert_nonnull (strstr (outcome.text, "ends inside"));
  g_assert_nonnull (strstr (outcome.text, "Showing the evidence as it was last read"));
  g_free (outcome.text);
}

static void
test_explains_missing_evidence (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "empty.sqlite", NULL);
  Outcome outcome = { 0 };

  g_setenv ("CASEBOOK_DB", db, TRUE);
  run_on_broken_corpus (&outcome);

  g_assert_cmpuint (outcome.n_results, ==, 0);
  g_assert_nonnull (strstr (outcome.text, "The Evidence Could Not Be Loaded"));
  g_assert_nonnull (strstr (outcome.text, "broken.xml"));
  g_free (outcome.text);
}

int
main (int   argc,
      char *argv[])
{
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

  tmp_dir = g_dir_make_tmp ("casebook-recovery-XXXXXX", &error);
  g_assert_no_error (error);
  broken_corpus = g_build_filename (tmp_dir, "broken.xml", NULL);
  g_assert_true (g_file_set_contents (broken_corpus, "<?xml version=\"1.0\"?>\n<corpus xmlns=\"urn:x-casebook:corpus\" format=\"1\">\n  <guide>\n",
                                      -1, NULL));

  g_test_add_func ("/gui-recovery/keeps-last-good-index", test_keeps_last_good_index);
  g_test_add_func ("/gui-recovery/explains-missing-evidence", test_explains_missing_evidence);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }

  return status;
}
