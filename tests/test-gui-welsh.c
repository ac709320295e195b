/* test-gui-welsh.c: the interface speaks the user's language: started with
 * LANGUAGE=cy, the window's labels are Welsh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-test-util.h"
#include "cb-window.h"
#include "cb-xml.h"

static CbApplication *application;
static CbWindow *window;

static gboolean
store_is_ready (gpointer data)
{
  return window != NULL && cb_window_get_store (window) != NULL;
}

static void
collect (GtkWidget *widget,
         GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget) && GTK_IS_TEXT (widget))
    g_string_append_printf (text, "%s\n", gtk_text_get_placeholder_text (GTK_TEXT (widget)) ?: "");

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect (child, text);
}

static void
test_welsh_window (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return;
    }

  adw_init ();
  cb_application_register_resources ();
  application = cb_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, NULL);
  g_application_activate (G_APPLICATION (application));
  window = CB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_assert_nonnull (window);

  cb_test_wait_until (store_is_ready, NULL, 20);
  cb_test_flush_events ();

  collect (GTK_WIDGET (window), text);

  /* The view switcher, the filters and the empty reading pane */
  g_assert_nonnull (strstr (text->str, "Canlyniadau"));
  g_assert_nonnull (strstr (text->str, "Pecynnau"));
  g_assert_null (strstr (text->str, "No Item Selected"));
  /* The guide's own words stay English: they are the evidence */
  g_assert_nonnull (strstr (text->str, "Introduction"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (application));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&application);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  int status;

  /* As a Welsh-speaking user starts it */
  g_setenv ("LANGUAGE", "cy", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cb_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("casebook-welsh-XXXXXX", NULL);
  db = g_build_filename (dir, "index.sqlite", NULL);
  g_setenv ("CASEBOOK_DB", db, TRUE);

  g_test_add_func ("/gui/welsh/window", test_welsh_window);
  status = g_test_run ();

  cb_test_remove_tree (dir);

  return status;
}
