/* cb-application.c
 *
 * One instance per session. The index is prepared once, in a worker
 * thread, when the first window opens: opening the database, rebuilding it
 * when the corpus file changed (with the progress shown in every window),
 * and reading the guide's outline. Windows opened later share it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-application.h"
#include "cb-error.h"
#include "cb-gui-resources.h"
#include "cb-library.h"
#include "cb-pack-store.h"
#include "cb-preferences-window.h"
#include "cb-settings.h"
#include "cb-store.h"
#include "cb-window.h"
#include "cb-xml.h"

struct _CbApplication
{
  AdwApplication  parent_instance;

  char           *corpus_path;
  char           *db_path;
  char           *item_id;

  CbStore        *store;
  CbCorpus       *outline;
  CbPackStore    *packs;
  char           *packs_error;
  CbLibrary      *library;
  GPtrArray      *pending_files;
  char           *error_message;
  char           *warning;
  gboolean        preparing;
};

G_DEFINE_FINAL_TYPE (CbApplication, cb_application, ADW_TYPE_APPLICATION)

static void show_item (CbApplication *self,
                       const char    *id);

/* Preparing the index */

typedef struct {
  char        *corpus_path;
  char        *db_path;
  CbStore     *store;
  CbCorpus    *outline;
  char        *warning;
  CbPackStore *packs;
  char        *packs_error;
  CbLibrary   *library;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_free (data->corpus_path);
  g_free (data->db_path);
  g_clear_object (&data->store);
  g_clear_object (&data->outline);
  g_free (data->warning);
  g_clear_object (&data->packs);
  g_free (data->packs_error);
  g_clear_object (&data->library);
  g_free (data);
}

typedef struct {
  CbApplication *application;
  double         fraction;
} Progress;

static gboolean
show_progress (gpointer user_data)
{
  Progress *progress = user_data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (progress->application)); l; l = l->next)
    if (CB_IS_WINDOW (l->data))
      cb_window_set_progress (l->data, progress->fraction);

  return G_SOURCE_REMOVE;
}

static void
on_progress (double   fraction,
             gpointer user_data)
{
  Progress *progress = g_new (Progress, 1);

  /* The application is held until the preparation ends */
  progress->application = user_data;
  progress->fraction = fraction;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_progress, progress, g_free);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  GError *error = NULL;
  g_autofree char *packs_path = cb_pack_store_get_default_path (data->db_path);

  /* The packs live apart from the index: a damaged one of either leaves
   * the other usable */
  if ((data->packs = cb_pack_store_open (packs_path, &error)) == NULL)
    {
      data->packs_error = g_strdup (error->message);
      g_message ("The packs could not be opened: %s", error->message);
      g_clear_error (&error);
    }

  /* The index is a cache of the corpus: a damaged one is rebuilt */
  if ((data->store = cb_store_open_full (data->db_path, CB_STORE_REPLACE_DAMAGED, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The corpus is the librarian's working copy once there is one */
  data->library = cb_library_new_for_index (data->corpus_path, data->db_path, cb_store_get_taxonomy (data->store));

  /* A corpus file that cannot be read loses nothing: the index keeps the
   * last version that could, and says so */
  if (!cb_store_sync (data->store, cb_library_get_corpus_path (data->library), FALSE, on_progress, source_object, cancellable, NULL, &error))
    {
      if (cb_store_get_n_items (data->store) == 0)
        {
          g_task_return_error (task, error);
          return;
        }

      data->warning = g_strdup_printf (_("%s. Showing the evidence as it was last read."), error->message);
      g_clear_error (&error);
    }
  else if (cb_store_was_recovered (data->store))
    data->warning = g_strdup (_("The search index was damaged and has been rebuilt"));

  if ((data->outline = cb_store_dup_outline (data->store, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
give_store (CbApplication *self,
            CbWindow      *window)
{
  if (self->packs != NULL || self->packs_error != NULL)
    cb_window_set_packs (window, self->packs, self->packs_error);
  if (self->library != NULL)
    cb_window_set_library (window, self->library);

  if (self->error_message != NULL)
    cb_window_show_error (window, self->error_message);
  else if (self->store != NULL && cb_window_get_store (window) == NULL)
    {
      cb_window_set_store (window, self->store, self->outline);
      if (self->warning != NULL)
        cb_window_show_warning (window, self->warning);
    }
}

/* Files given on the command line or from the file manager open once the
 * index is ready */
static void
open_pending_files (CbApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->store == NULL || !CB_IS_WINDOW (window) || self->pending_files == NULL)
    return;

  for (guint i = 0; i < self->pending_files->len; i++)
    cb_window_open_file (CB_WINDOW (window), g_ptr_array_index (self->pending_files, i));
  g_ptr_array_set_size (self->pending_files, 0);
}

/* History names the librarian as the preferences say, else the user */
static void
on_librarian_name_changed (CbApplication *self)
{
  g_autofree char *name = NULL;

  g_object_get (cb_settings_get_default (), "librarian-name", &name, NULL);
  cb_library_set_author (self->library, name);
}

static void
prepare_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbApplication *self = CB_APPLICATION (source);
  PrepareData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->preparing = FALSE;
  self->packs = g_steal_pointer (&data->packs);
  self->packs_error = g_steal_pointer (&data->packs_error);
  if ((self->library = g_steal_pointer (&data->library)) != NULL)
    {
      g_signal_connect_object (cb_settings_get_default (), "notify::librarian-name",
                               G_CALLBACK (on_librarian_name_changed), self, G_CONNECT_SWAPPED);
      on_librarian_name_changed (self);
    }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      self->error_message = g_strdup (error->message);
      g_message ("The evidence could not be opened: %s", error->message);
    }
  else
    {
      self->store = g_steal_pointer (&data->store);
      self->outline = g_steal_pointer (&data->outline);
      self->warning = g_steal_pointer (&data->warning);
      if (self->warning != NULL)
        g_message ("%s", self->warning);
    }

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (CB_IS_WINDOW (l->data))
      give_store (self, l->data);

  if (self->store != NULL && self->item_id != NULL)
    show_item (self, self->item_id);

  open_pending_files (self);

  g_application_release (G_APPLICATION (self));
}

static void
prepare_store (CbApplication *self)
{
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  if (self->preparing || self->store != NULL || self->error_message != NULL)
    return;

  data = g_new0 (PrepareData, 1);
  data->corpus_path = g_strdup (self->corpus_path);
  data->db_path = self->db_path ? g_strdup (self->db_path) : cb_store_get_default_path ();

  self->preparing = TRUE;
  g_application_hold (G_APPLICATION (self));

  task = g_task_new (self, NULL, prepare_done, NULL);
  g_task_set_source_tag (task, prepare_store);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, prepare_thread);
}

/* Shows @id in the active window, or says the index has no such item */
static void
show_item (CbApplication *self,
           const char    *id)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!CB_IS_WINDOW (window))
    return;

  if (!cb_window_select_item (CB_WINDOW (window), id))
    {
      g_autofree char *message = g_strdup_printf (_("The evidence has no item “%s”"), id);

      cb_window_show_warning (CB_WINDOW (window), message);
    }
}

/* "casebook --item ID", in this instance or in a second one */
static void
open_item_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CbApplication *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->store == NULL)
    {
      /* The index is being prepared: the item shows once it is ready */
      g_free (self->item_id);
      self->item_id = g_strdup (id);
      return;
    }

  show_item (self, id);
}

/* GApplication */

static void
cb_application_activate (GApplication *application)
{
  CbApplication *self = CB_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (cb_window_new (GTK_APPLICATION (application)));
      give_store (self, CB_WINDOW (window));
      prepare_store (self);
    }

  gtk_window_present (window);
}

/* "casebook board.casebook-pack" or "casebook update.xml", in this
 * instance or in a second one */
static void
cb_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  CbApplication *self = CB_APPLICATION (application);

  g_application_activate (application);

  if (self->pending_files == NULL)
    self->pending_files = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < n_files; i++)
    g_ptr_array_add (self->pending_files, g_object_ref (files[i]));

  open_pending_files (self);
}

static int
cb_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  CbApplication *self = CB_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *path = NULL;
  const char *item = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("casebook %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* A second "casebook --item ID" hands the item to the running one */
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("casebook: %s\n", error->message);
      return 1;
    }

  if (g_application_get_is_remote (application))
    {
      if (g_variant_dict_contains (options, "corpus") || g_variant_dict_contains (options, "db"))
        g_printerr (_("casebook: Casebook is already running; --corpus and --db apply when it starts\n"));
      if (g_variant_dict_lookup (options, "item", "&s", &item))
        g_action_group_activate_action (G_ACTION_GROUP (application), "open-item", g_variant_new_string (item));
      return -1;
    }

  if (g_variant_dict_lookup (options, "corpus", "^&ay", &path))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      g_free (self->corpus_path);
      self->corpus_path = g_file_get_path (file);
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &path))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      g_free (self->db_path);
      self->db_path = g_file_get_path (file);
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
  const char *developers[] = { _("Casebook developers"), NULL };
  /* The comments are markup */
  g_autofree char *comments = g_markup_escape_text (_("An evidence browser for “Improving race equality in your "
                                                      "organisation”, the NHS Race & Health Observatory’s guide "
                                                      "for NHS leaders"), -1);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Casebook"),
                        "application-icon", APP_ID,
                        "developer-name", _("Casebook developers"),
                        "version", PACKAGE_VERSION,
                        "comments", comments,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *application = user_data;
  gtk_window_present (GTK_WINDOW (cb_preferences_window_new (gtk_application_get_active_window (application))));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (application));

  /* Closing saves each window's size and search */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);

  /* A window that asks first (unsaved changes to an item) keeps the
   * application running until it has its answer */
  if (gtk_application_get_windows (application) == NULL)
    g_application_quit (G_APPLICATION (application));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "open-item", open_item_action, "s" },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
cb_application_startup (GApplication *application)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.about", { "F1", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.focus-search", { "<Control>f", NULL } },
    { "win.show-view::results", { "<Control>1", NULL } },
    { "win.show-view::map", { "<Control>2", NULL } },
    { "win.show-view::packs", { "<Control>3", NULL } },
    { "win.add-to-pack", { "<Control>d", NULL } },
    { "win.edit-item", { "<Control>e", NULL } },
    { "win.save-edit", { "<Control>s", NULL } },
    { "win.toggle-filters", { "F9", NULL } },
    { "win.copy-citation", { "<Control><Shift>c", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (cb_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions, G_N_ELEMENTS (app_actions), application);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), accels[i].action, accels[i].accels);
}

static void
cb_application_finalize (GObject *object)
{
  CbApplication *self = (CbApplication *) object;

  g_free (self->corpus_path);
  g_free (self->db_path);
  g_free (self->item_id);
  g_free (self->error_message);
  g_free (self->warning);
  g_clear_object (&self->store);
  g_clear_object (&self->outline);
  g_clear_object (&self->packs);
  g_clear_pointer (&self->packs_error, g_free);
  g_clear_object (&self->library);
  g_clear_pointer (&self->pending_files, g_ptr_array_unref);

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
  app_class->open = cb_application_open;
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
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Keep the search index in this file"), N_("FILE") },
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
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/casebook/Casebook",
                       NULL);
}
