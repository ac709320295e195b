/* cb-preferences-window.c: the settings people can change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include "cb-preferences-window.h"
#include "cb-settings.h"

struct _CbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkWidget            *retired_switch;
  GtkWidget            *restore_switch;
  GtkWidget            *librarian_switch;
  GtkWidget            *librarian_name_row;
};

G_DEFINE_FINAL_TYPE (CbPreferencesWindow, cb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
cb_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (cb_preferences_window_parent_class)->dispose (object);
}

static void
cb_preferences_window_class_init (CbPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cb_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, retired_switch);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, restore_switch);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, librarian_switch);
  gtk_widget_class_bind_template_child (widget_class, CbPreferencesWindow, librarian_name_row);
}

static void
cb_preferences_window_init (CbPreferencesWindow *self)
{
  CbSettings *settings = cb_settings_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_object_bind_property (settings, "include-retired", self->retired_switch, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (settings, "restore-search", self->restore_switch, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (settings, "librarian-mode", self->librarian_switch, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (settings, "librarian-name", self->librarian_name_row, "text",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
}

GtkWidget *
cb_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (CB_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
}
