/* cb-settings.c
 *
 * Code and tests read and write these properties; each is bound to the
 * GSettings key of the same name, so nothing else touches keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <gio/gio.h>

#include "cb-settings.h"

struct _CbSettings
{
  GObject    parent_instance;

  GSettings *settings;
  int        window_width;
  int        window_height;
  gboolean   window_maximized;
  gboolean   filters_revealed;
  char      *view;
  char      *map_columns;
  char      *last_query;
  char     **last_filters;
  gboolean   restore_search;
  gboolean   include_retired;
  char      *current_pack;
  gboolean   librarian_mode;
  char      *librarian_name;
};

G_DEFINE_FINAL_TYPE (CbSettings, cb_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  PROP_FILTERS_REVEALED,
  PROP_VIEW,
  PROP_MAP_COLUMNS,
  PROP_LAST_QUERY,
  PROP_LAST_FILTERS,
  PROP_RESTORE_SEARCH,
  PROP_INCLUDE_RETIRED,
  PROP_CURRENT_PACK,
  PROP_LIBRARIAN_MODE,
  PROP_LIBRARIAN_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cb_settings_finalize (GObject *object)
{
  CbSettings *self = (CbSettings *) object;

  g_clear_object (&self->settings);
  g_free (self->view);
  g_free (self->map_columns);
  g_free (self->last_query);
  g_free (self->current_pack);
  g_free (self->librarian_name);
  g_strfreev (self->last_filters);

  G_OBJECT_CLASS (cb_settings_parent_class)->finalize (object);
}

static void
cb_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CbSettings *self = CB_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_WINDOW_WIDTH: g_value_set_int (value, self->window_width); break;
    case PROP_WINDOW_HEIGHT: g_value_set_int (value, self->window_height); break;
    case PROP_WINDOW_MAXIMIZED: g_value_set_boolean (value, self->window_maximized); break;
    case PROP_FILTERS_REVEALED: g_value_set_boolean (value, self->filters_revealed); break;
    case PROP_VIEW: g_value_set_string (value, self->view); break;
    case PROP_MAP_COLUMNS: g_value_set_string (value, self->map_columns); break;
    case PROP_LAST_QUERY: g_value_set_string (value, self->last_query); break;
    case PROP_LAST_FILTERS: g_value_set_boxed (value, self->last_filters); break;
    case PROP_RESTORE_SEARCH: g_value_set_boolean (value, self->restore_search); break;
    case PROP_INCLUDE_RETIRED: g_value_set_boolean (value, self->include_retired); break;
    case PROP_CURRENT_PACK: g_value_set_string (value, self->current_pack); break;
    case PROP_LIBRARIAN_MODE: g_value_set_boolean (value, self->librarian_mode); break;
    case PROP_LIBRARIAN_NAME: g_value_set_string (value, self->librarian_name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
cb_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CbSettings *self = CB_SETTINGS (object);
  gboolean changed = FALSE;

  switch (prop_id)
    {
    case PROP_WINDOW_WIDTH:
      changed = self->window_width != g_value_get_int (value);
      self->window_width = g_value_get_int (value);
      break;
    case PROP_WINDOW_HEIGHT:
      changed = self->window_height != g_value_get_int (value);
      self->window_height = g_value_get_int (value);
      break;
    case PROP_WINDOW_MAXIMIZED:
      changed = self->window_maximized != g_value_get_boolean (value);
      self->window_maximized = g_value_get_boolean (value);
      break;
    case PROP_FILTERS_REVEALED:
      changed = self->filters_revealed != g_value_get_boolean (value);
      self->filters_revealed = g_value_get_boolean (value);
      break;
    case PROP_VIEW:
      changed = set_string (&self->view, g_value_get_string (value));
      break;
    case PROP_MAP_COLUMNS:
      changed = set_string (&self->map_columns, g_value_get_string (value));
      break;
    case PROP_LAST_QUERY:
      changed = set_string (&self->last_query, g_value_get_string (value));
      break;
    case PROP_LAST_FILTERS:
      {
        const char * const *filters = g_value_get_boxed (value);

        changed = !(self->last_filters && filters && g_strv_equal ((const char * const *) self->last_filters, filters));
        if (changed)
          {
            g_strfreev (self->last_filters);
            self->last_filters = g_strdupv ((char **) filters);
          }
      }
      break;
    case PROP_RESTORE_SEARCH:
      changed = self->restore_search != g_value_get_boolean (value);
      self->restore_search = g_value_get_boolean (value);
      break;
    case PROP_INCLUDE_RETIRED:
      changed = self->include_retired != g_value_get_boolean (value);
      self->include_retired = g_value_get_boolean (value);
      break;
    case PROP_CURRENT_PACK:
      changed = set_string (&self->current_pack, g_value_get_string (value));
      break;
    case PROP_LIBRARIAN_MODE:
      changed = self->librarian_mode != g_value_get_boolean (value);
      self->librarian_mode = g_value_get_boolean (value);
      break;
    case PROP_LIBRARIAN_NAME:
      changed = set_string (&self->librarian_name, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (changed)
    g_object_notify_by_pspec (object, pspec);
}

static void
cb_settings_class_init (CbSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cb_settings_finalize;
  object_class->get_property = cb_settings_get_property;
  object_class->set_property = cb_settings_set_property;

  properties[PROP_WINDOW_WIDTH] = g_param_spec_int ("window-width", NULL, NULL, 0, G_MAXINT, 1280, flags);
  properties[PROP_WINDOW_HEIGHT] = g_param_spec_int ("window-height", NULL, NULL, 0, G_MAXINT, 760, flags);
  properties[PROP_WINDOW_MAXIMIZED] = g_param_spec_boolean ("window-maximized", NULL, NULL, FALSE, flags);
  properties[PROP_FILTERS_REVEALED] = g_param_spec_boolean ("filters-revealed", NULL, NULL, TRUE, flags);
  properties[PROP_VIEW] = g_param_spec_string ("view", NULL, NULL, "results", flags);
  properties[PROP_MAP_COLUMNS] = g_param_spec_string ("map-columns", NULL, NULL, "countries", flags);
  properties[PROP_LAST_QUERY] = g_param_spec_string ("last-query", NULL, NULL, "", flags);
  properties[PROP_LAST_FILTERS] = g_param_spec_boxed ("last-filters", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_RESTORE_SEARCH] = g_param_spec_boolean ("restore-search", NULL, NULL, TRUE, flags);
  properties[PROP_INCLUDE_RETIRED] = g_param_spec_boolean ("include-retired", NULL, NULL, FALSE, flags);
  properties[PROP_CURRENT_PACK] = g_param_spec_string ("current-pack", NULL, NULL, "", flags);
  properties[PROP_LIBRARIAN_MODE] = g_param_spec_boolean ("librarian-mode", NULL, NULL, FALSE, flags);
  properties[PROP_LIBRARIAN_NAME] = g_param_spec_string ("librarian-name", NULL, NULL, "", flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cb_settings_init (CbSettings *self)
{
  self->settings = g_settings_new (APP_ID);

  for (guint i = 1; i < N_PROPS; i++)
    {
      const char *name = g_param_spec_get_name (properties[i]);

      g_settings_bind (self->settings, name, self, name, G_SETTINGS_BIND_DEFAULT);
    }
}

/**
 * cb_settings_get_default:
 *
 * Returns: (transfer none): the settings of this process
 */
CbSettings *
cb_settings_get_default (void)
{
  static CbSettings *settings;

  if (settings == NULL)
    settings = g_object_new (CB_TYPE_SETTINGS, NULL);

  return settings;
}
