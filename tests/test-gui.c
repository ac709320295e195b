/* test-gui.c: the window under a real display (Xvfb in the README's test
 * command)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-item-row.h"
#include "cb-item-view.h"
#include "cb-window.h"
#include "cb-xml.h"

static gboolean have_display;

static gboolean
require_display (void)
{
  if (!have_display)
    g_test_skip ("no display");

  return have_display;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, failing after ten seconds. */
static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, on_timeout, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
corpus_loaded (gpointer data)
{
  return cb_window_get_corpus (data) != NULL;
}

static gboolean
find_label (GtkWidget  *widget,
            const char *needle)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (find_label (child, needle))
        return TRUE;
    }

  return FALSE;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found)
        return found;
    }

  return NULL;
}

static void
test_templates (void)
{
  GtkWidget *row, *view;
  CbWindow *window;

  if (!require_display ())
    return;

  row = g_object_ref_sink (cb_item_row_new ());
  view = g_object_ref_sink (cb_item_view_new ());
  window = cb_window_new (NULL);

  g_assert_finalize_object (row);
  g_assert_finalize_object (view);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_shows_item (void)
{
  g_autofree char *path = cb_get_bundled_corpus_path ();
  CbWindow *window;
  GtkWidget *view;

  if (!require_display ())
    return;

  window = cb_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  cb_window_load (window, path, NULL);
  wait_until (corpus_loaded, window);

  /* The list holds every item, each row named for screen readers */
  g_assert_true (find_label (GTK_WIDGET (window), "List of Experts"));

  g_assert_true (cb_window_select_item (window, "case_study:3.1.2"));
  view = find_widget (GTK_WIDGET (window), CB_TYPE_ITEM_VIEW);
  g_assert_nonnull (view);
  g_assert_true (find_label (view, "Engagement of Black patients with health services"));
  g_assert_true (find_label (view, "Guide, p. 39"));
  g_assert_true (find_label (view, "72% more likely to complete cholesterol screening."));
  g_assert_true (find_label (view, "doi:10.1257/aer.20181865"));

  /* A table of an inset box is a table */
  g_assert_true (cb_window_select_item (window, "inset_box:7.3.1"));
  g_assert_nonnull (find_widget (view, GTK_TYPE_GRID));
  g_assert_true (find_label (view, "Mentor practitioners from underrepresented groups."));

  g_assert_false (cb_window_select_item (window, "case_study:9.9.9"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
error_shown (gpointer data)
{
  return find_label (data, "broken.xml:2:");
}

static void
test_window_reports_bad_corpus (void)
{
  g_autofree char *dir = g_dir_make_tmp ("casebook-gui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.xml", NULL);
  CbWindow *window;

  if (!require_display ())
    return;

  g_assert_true (g_file_set_contents (path, "<corpus xmlns='urn:x-casebook:corpus' format='1'>\n<guide>\n", -1, NULL));

  window = cb_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  cb_window_load (window, path, NULL);
  /* The message names the file and the line */
  wait_until (error_shown, window);
  gtk_window_destroy (GTK_WINDOW (window));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");

  have_display = gtk_init_check ();
  if (!have_display && g_getenv ("CI") != NULL)
    g_error ("CI is set but there is no display: run the GUI tests under xvfb-run");
  if (have_display)
    {
      adw_init ();
      cb_application_register_resources ();
    }

  g_test_add_func ("/gui/templates", test_templates);
  g_test_add_func ("/gui/window-shows-item", test_window_shows_item);
  g_test_add_func ("/gui/window-reports-bad-corpus", test_window_reports_bad_corpus);

  return g_test_run ();
}
