/* cb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-application.h"
#include "cb-gui-resources.h"
#include "cb-window.h"
#include "cb-xml.h"

struct _CbApplication
{
  AdwApplication  parent_instance;

  char           *corpus_path;
  char           *item_id;
};

G_DEFINE_FINAL_TYPE (CbApplication, cb_application, ADW_TYPE_APPLICATION)

static void
cb_application_activate (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      g_autofree char *bundled = cb_get_bundled_corpus_path ();

      window = GTK_WINDOW (cb_window_new (GTK_APPLICATION (application)));
      cb_window_load (CB_WINDOW (window), self->corpus_path ? self->corpus_path : bundled, self->item_id);
    }

  gtk_window_present (window);
}

static int
cb_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CbApplication *self = CB_APPLICATION (application);
  const char *path = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("casebook %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "corpus", "^&ay", &path))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      g_free (self->corpus_path);
      self->corpus_path = g_file_get_path (file);
    }

  if (g_variant_dict_lookup (options, "item", "&s", &path))
    {
      g_free (self->item_id);
      self->item_id = g_strdup (path);
    }

  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  const char *developers[] = { "Casebook developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Casebook"),
                        "application-icon", APP_ID,
                        "developer-name", _("Casebook developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("An evidence browser for “Improving race equality in your "
                                      "organisation”, the NHS Race & Health Observatory’s guide for NHS leaders"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
cb_application_startup (GApplication *application)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *about_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (cb_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions, G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.about", about_accels);
}

static void
cb_application_finalize (GObject *object)
{
  CbApplication *self = (CbApplication *) object;

  g_free (self->corpus_path);
  g_free (self->item_id);

  G_OBJECT_CLASS (cb_application_parent_class)->finalize (object);
}

static void
cb_application_class_init (CbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  cb_application_register_resources ();

  object_class->finalize = cb_application_finalize;
  app_class->activate = cb_application_activate;
  app_class->startup = cb_application_startup;
  app_class->handle_local_options = cb_application_handle_local_options;
}

/**
 * cb_application_register_resources:
 *
 * Makes the interface's templates and style sheet available; tests that
 * build widgets without an application call it too.
 */
void
cb_application_register_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      cb_gui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static void
cb_application_init (CbApplication *self)
{
  const GOptionEntry options[] = {
    { "corpus", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this corpus file instead of the bundled one"), N_("FILE") },
    { "item", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open on this item (case_study:2.2.4)"), N_("ID") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Browse the evidence of “Improving race equality in your organisation”."));
}

CbApplication *
cb_application_new (void)
{
  return g_object_new (CB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/casebook/Casebook",
                       NULL);
}
