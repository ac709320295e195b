/* cb-check-window.c: the problems a check of the corpus found
 *
 * Errors, warnings and notes each have a group with its count; a problem
 * with an item is a row that opens the item. Messages are plain text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-check-window.h"
#include "cb-item.h"

struct _CbCheckWindow
{
  AdwWindow            parent_instance;

  GPtrArray           *anomalies;

  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  GtkLabel            *summary_label;
  AdwPreferencesGroup *errors_group;
  AdwPreferencesGroup *warnings_group;
  AdwPreferencesGroup *notes_group;
  AdwStatusPage       *empty_page;
};

G_DEFINE_FINAL_TYPE (CbCheckWindow, cb_check_window, ADW_TYPE_WINDOW)

enum {
  OPEN_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
checked_text (void)
{
  return _("The check looks for missing references and links that point nowhere, item numbering out of "
           "place, duplicate ids, items without a country, intervention type or study design, malformed "
           "DOIs, and references no item cites.");
}

static void
on_row_activated (AdwActionRow  *row,
                  CbCheckWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "item-id");

  if (id != NULL)
    g_signal_emit (self, signals[OPEN_ITEM], 0, id);
}

static GtkWidget *
anomaly_row_new (CbCheckWindow *self,
                 CbAnomaly     *anomaly)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autoptr(GString) subtitle = g_string_new (anomaly->code);
  const char *icon_name;
  const char *severity;
  const char *css_class;

  switch (anomaly->severity)
    {
    case CB_SEVERITY_ERROR:
      icon_name = "dialog-error-symbolic";
      severity = _("Error");
      css_class = "error";
      break;
    case CB_SEVERITY_WARNING:
      icon_name = "dialog-warning-symbolic";
      severity = _("Warning");
      css_class = "warning";
      break;
    case CB_SEVERITY_INFO:
    default:
      icon_name = "dialog-information-symbolic";
      severity = _("Note");
      css_class = "dim-label";
      break;
    }

  if (anomaly->item != NULL)
    g_string_append_printf (subtitle, " · %s", anomaly->item);
  if (anomaly->line > 0)
    {
      /* Translators: where in the guide a problem is */
      g_autofree char *line = g_strdup_printf (_("line %u"), anomaly->line);

      g_string_append_printf (subtitle, " · %s", line);
    }

  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css_class);
  gtk_widget_set_tooltip_text (icon, severity);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, severity, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), anomaly->message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  /* Items open in the reading pane; references are not items (the message
   * names the reference) */
  if (anomaly->item != NULL && cb_item_id_is_valid (anomaly->item))
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Open %s"), anomaly->item);

      gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, tooltip);
      g_object_set_data_full (G_OBJECT (row), "item-id", g_strdup (anomaly->item), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_row_activated), self, 0);
    }

  return row;
}

static void
populate (CbCheckWindow *self)
{
  guint counts[3] = { 0 };
  guint with_item = 0;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < self->anomalies->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (self->anomalies, i);
      AdwPreferencesGroup *group;

      switch (anomaly->severity)
        {
        case CB_SEVERITY_ERROR:
          group = self->errors_group;
          counts[0]++;
          break;
        case CB_SEVERITY_WARNING:
          group = self->warnings_group;
          counts[1]++;
          break;
        case CB_SEVERITY_INFO:
        default:
          group = self->notes_group;
          counts[2]++;
          break;
        }
      adw_preferences_group_add (group, anomaly_row_new (self, anomaly));
      if (anomaly->item != NULL)
        with_item++;
    }

  {
    /* Translators: group titles with how many problems each has; the
     * title names the group, so it can stay plural */
    g_autofree char *errors = g_strdup_printf (ngettext ("Errors (%u)", "Errors (%u)", counts[0]), counts[0]);
    g_autofree char *warnings = g_strdup_printf (ngettext ("Warnings (%u)", "Warnings (%u)", counts[1]), counts[1]);
    g_autofree char *notes = g_strdup_printf (ngettext ("Notes (%u)", "Notes (%u)", counts[2]), counts[2]);

    adw_preferences_group_set_title (self->errors_group, errors);
    adw_preferences_group_set_title (self->warnings_group, warnings);
    adw_preferences_group_set_title (self->notes_group, notes);
    gtk_widget_set_visible (GTK_WIDGET (self->errors_group), counts[0] > 0);
    gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), counts[1] > 0);
    gtk_widget_set_visible (GTK_WIDGET (self->notes_group), counts[2] > 0);
  }

  if (with_item > 0)
    summary = g_strdup_printf ("%s %s", checked_text (), _("Activate a problem to open its item."));
  gtk_label_set_text (self->summary_label, summary ? summary : checked_text ());
  adw_status_page_set_description (self->empty_page, checked_text ());
  gtk_stack_set_visible_child_name (self->stack, self->anomalies->len > 0 ? "problems" : "empty");
}

static void
cb_check_window_finalize (GObject *object)
{
  CbCheckWindow *self = (CbCheckWindow *) object;

  g_clear_pointer (&self->anomalies, g_ptr_array_unref);

  G_OBJECT_CLASS (cb_check_window_parent_class)->finalize (object);
}

static void
cb_check_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CB_TYPE_CHECK_WINDOW);

  G_OBJECT_CLASS (cb_check_window_parent_class)->dispose (object);
}

static void
cb_check_window_class_init (CbCheckWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_check_window_dispose;
  object_class->finalize = cb_check_window_finalize;

  /**
   * CbCheckWindow::open-item:
   * @self: the window
   * @id: the item (or reference) a problem is about
   *
   * Emitted when a problem naming an item is activated.
   */
  signals[OPEN_ITEM] =
    g_signal_new ("open-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-check-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, errors_group);
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, notes_group);
  gtk_widget_class_bind_template_child (widget_class, CbCheckWindow, empty_page);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_check_window_init (CbCheckWindow *self)
{
  self->anomalies = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_anomaly_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cb_check_window_new:
 * @parent: (nullable): the main window
 * @anomalies: (element-type CbAnomaly) (transfer none) (nullable): what
 *   the check found; copied
 * @corpus_name: (nullable): the corpus checked, for the subtitle
 *
 * Returns: (transfer floating): a modal window listing @anomalies
 */
GtkWidget *
cb_check_window_new (GtkWindow  *parent,
                     GPtrArray  *anomalies,
                     const char *corpus_name)
{
  CbCheckWindow *self;
  int width = 640, height = 560;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    {
      width = MIN (width, gtk_widget_get_width (GTK_WIDGET (parent)));
      height = MIN (height, gtk_widget_get_height (GTK_WIDGET (parent)));
    }

  self = g_object_new (CB_TYPE_CHECK_WINDOW,
                       "transient-for", parent,
                       "default-width", width,
                       "default-height", height,
                       NULL);

  for (guint i = 0; anomalies != NULL && i < anomalies->len; i++)
    {
      CbAnomaly *anomaly = g_ptr_array_index (anomalies, i);

      g_ptr_array_add (self->anomalies, cb_anomaly_new (anomaly->severity, anomaly->code, anomaly->line,
                                                        anomaly->item, anomaly->message));
    }

  adw_window_title_set_subtitle (self->window_title, corpus_name ? corpus_name : "");
  populate (self);

  return GTK_WIDGET (self);
}
