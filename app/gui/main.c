/* main.c: casebook, the GTK application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-xml.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CbApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cb_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Casebook"));
  application = cb_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
