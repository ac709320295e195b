/* cb-reference-dialog.c: "New Reference": a reference typed in by hand
 *
 * The fields are checked as they are typed: the DOI with cb_doi_is_valid(),
 * the year and the URL against the corpus schema. Save stays disabled
 * while anything is wrong or authors and title are missing, and each
 * problem is said in words under its field. The new reference gets an id
 * no reference of the corpus (or of the editing session) has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "cb-reference-dialog.h"

struct _CbReferenceDialog
{
  AdwWindow   parent_instance;

  CbCorpus   *corpus;
  GPtrArray  *taken;

  GtkWidget  *save_button;
  GtkWidget  *authors_row;
  GtkLabel   *authors_hint_label;
  GtkWidget  *year_row;
  GtkWidget  *year_error_row;
  GtkLabel   *year_error_label;
  GtkWidget  *title_row;
  GtkWidget  *container_row;
  GtkWidget  *volume_row;
  GtkWidget  *issue_row;
  GtkWidget  *pages_row;
  GtkWidget  *doi_row;
  GtkWidget  *doi_error_row;
  GtkLabel   *doi_error_label;
  GtkWidget  *url_row;
  GtkWidget  *url_error_row;
  GtkLabel   *url_error_label;
  GtkLabel   *id_label;
};

G_DEFINE_FINAL_TYPE (CbReferenceDialog, cb_reference_dialog, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_row_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* NULL for an empty field */
static char *
dup_row_value (GtkWidget *row)
{
  char *text = dup_row_text (row);

  if (*text == '\0')
    g_clear_pointer (&text, g_free);

  return text;
}

typedef struct {
  char *family;
  char *given;
} Author;

static void
author_clear (Author *author)
{
  g_free (author->family);
  g_free (author->given);
}

/* "Curtis, E.; Jones, R.; NHS England; et al." into authors; FALSE with a
 * sentence when an entry has no family name */
static gboolean
parse_authors (const char  *text,
               GArray      *authors,
               gboolean    *et_al,
               char       **problem)
{
  g_auto(GStrv) entries = g_strsplit (text, ";", -1);

  *et_al = FALSE;
  for (guint i = 0; entries[i] != NULL; i++)
    {
      char *entry = g_strstrip (entries[i]);
      const char *comma;
      Author author = { NULL, NULL };

      if (*entry == '\0')
        continue;

      if (g_ascii_strcasecmp (entry, "et al.") == 0 || g_ascii_strcasecmp (entry, "et al") == 0)
        {
          *et_al = TRUE;
          continue;
        }

      if ((comma = strchr (entry, ',')) != NULL)
        {
          author.family = g_strstrip (g_strndup (entry, comma - entry));
          author.given = g_strstrip (g_strdup (comma + 1));
          if (*author.given == '\0')
            g_clear_pointer (&author.given, g_free);
        }
      else
        {
          author.family = g_strdup (entry);
        }

      if (*author.family == '\0')
        {
          if (problem != NULL)
            /* Translators: %s is what was typed for one author */
            *problem = g_strdup_printf (_("“%s” has no family name: write “Family, G.”"), entry);
          author_clear (&author);
          return FALSE;
        }

      g_array_append_val (authors, author);
    }

  return TRUE;
}

static gboolean
year_is_valid (const char *year)
{
  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isdigit (year[i]))
        return FALSE;
    }

  return year[4] == '\0' || (g_ascii_islower (year[4]) && year[5] == '\0');
}

/* The DOI without a "doi:" or https://doi.org/ in front */
static char *
normalize_doi (const char *text)
{
  const char *prefixes[] = { "https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                             "http://dx.doi.org/", "doi:" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      if (g_ascii_strncasecmp (text, prefixes[i], strlen (prefixes[i])) == 0)
        return g_strstrip (g_strdup (text + strlen (prefixes[i])));
    }

  return g_strdup (text);
}

static gboolean
url_is_valid (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return FALSE;

  for (const char *p = url; *p; p++)
    {
      if (g_ascii_isspace (*p))
        return FALSE;
    }

  return g_uri_is_valid (url, G_URI_FLAGS_PARSE_RELAXED, NULL) && strstr (url, "://") != NULL &&
         strstr (url, "://")[3] != '\0';
}

static void
set_field_error (GtkWidget  *row,
                 GtkWidget  *error_row,
                 GtkLabel   *error_label,
                 const char *message)
{
  gtk_label_set_label (error_label, message ? message : "");
  gtk_widget_set_visible (error_row, message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      error_label, NULL, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

static char *
make_id_for_fields (CbReferenceDialog *self)
{
  g_autofree char *authors_text = dup_row_text (self->authors_row);
  g_autofree char *year = dup_row_value (self->year_row);
  g_autoptr(GArray) authors = g_array_new (FALSE, TRUE, sizeof (Author));
  gboolean et_al;

  g_array_set_clear_func (authors, (GDestroyNotify) author_clear);
  if (!parse_authors (authors_text, authors, &et_al, NULL) || authors->len == 0)
    return NULL;

  if (year != NULL && !year_is_valid (year))
    g_clear_pointer (&year, g_free);

  return cb_reference_make_id (self->corpus, self->taken, g_array_index (authors, Author, 0).family, year);
}

/* Checks every field, says what is wrong under it, and enables Save when
 * the reference can be saved */
static gboolean
validate (CbReferenceDialog *self)
{
  g_autofree char *authors_text = dup_row_text (self->authors_row);
  g_autofree char *year = dup_row_value (self->year_row);
  g_autofree char *title = dup_row_value (self->title_row);
  g_autofree char *doi_text = dup_row_value (self->doi_row);
  g_autofree char *doi = doi_text ? normalize_doi (doi_text) : NULL;
  g_autofree char *url = dup_row_value (self->url_row);
  g_autofree char *authors_problem = NULL;
  g_autofree char *year_problem = NULL;
  g_autofree char *doi_problem = NULL;
  g_autofree char *url_problem = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GArray) authors = g_array_new (FALSE, TRUE, sizeof (Author));
  gboolean et_al;
  gboolean valid;

  g_array_set_clear_func (authors, (GDestroyNotify) author_clear);
  parse_authors (authors_text, authors, &et_al, &authors_problem);

  if (year != NULL && !year_is_valid (year))
    /* Translators: %s is the year as typed */
    year_problem = g_strdup_printf (_("“%s” is not a year: write four digits, like 2019 (or 2019a)"), year);

  if (doi != NULL && *doi != '\0' && !cb_doi_is_valid (doi))
    /* Translators: %s is the DOI as typed */
    doi_problem = g_strdup_printf (_("“%s” is not a DOI: a DOI is “10.”, four or more digits, “/” and "
                                     "the rest, like 10.1186/s12939-019-1082-3"), doi);

  if (url != NULL && !url_is_valid (url))
    /* Translators: %s is the URL as typed */
    url_problem = g_strdup_printf (_("“%s” is not a web address: it starts with https:// or http://"), url);

  /* The authors' row always shows how to write them; a mistake replaces
   * the hint */
  if (authors_problem != NULL)
    {
      gtk_label_set_label (self->authors_hint_label, authors_problem);
      gtk_widget_remove_css_class (GTK_WIDGET (self->authors_hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->authors_hint_label), "error");
      gtk_widget_add_css_class (self->authors_row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->authors_row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_label_set_label (self->authors_hint_label,
                           _("Family name, then initials; “;” between people: “Curtis, E.; Jones, R.”. "
                             "An organisation is written as its name."));
      gtk_widget_add_css_class (GTK_WIDGET (self->authors_hint_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->authors_hint_label), "error");
      gtk_widget_remove_css_class (self->authors_row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->authors_row), GTK_ACCESSIBLE_STATE_INVALID);
    }

  set_field_error (self->year_row, self->year_error_row, self->year_error_label, year_problem);
  set_field_error (self->doi_row, self->doi_error_row, self->doi_error_label, doi_problem);
  set_field_error (self->url_row, self->url_error_row, self->url_error_label, url_problem);

  valid = authors_problem == NULL && authors->len > 0 && title != NULL &&
          year_problem == NULL && doi_problem == NULL && url_problem == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reference.save", valid);

  /* Save says why it cannot save */
  if (valid)
    gtk_widget_set_tooltip_text (self->save_button, _("Add the reference to the item (Ctrl+Enter)"));
  else if (authors_problem || year_problem || doi_problem || url_problem)
    gtk_widget_set_tooltip_text (self->save_button, authors_problem ? authors_problem :
                                                    year_problem ? year_problem :
                                                    doi_problem ? doi_problem : url_problem);
  else
    gtk_widget_set_tooltip_text (self->save_button, _("Authors and title are required"));

  id = make_id_for_fields (self);
  if (id != NULL)
    {
      /* Translators: %s is an id, "reference:curtis2019" */
      g_autofree char *text = g_strdup_printf (_("Saved as %s"), id);

      gtk_label_set_label (self->id_label, text);
    }
  else
    {
      gtk_label_set_label (self->id_label, _("The id is made from the first author’s family name and the year."));
    }

  return valid;
}

static void
on_field_changed (CbReferenceDialog *self)
{
  validate (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CbReferenceDialog *self = CB_REFERENCE_DIALOG (widget);
  g_autoptr(CbReference) reference = cb_reference_dialog_dup_reference (self);

  if (reference == NULL)
    return;

  g_signal_emit (self, signals[SAVED], 0, reference);
  gtk_window_close (GTK_WINDOW (self));
}

static void
cb_reference_dialog_dispose (GObject *object)
{
  CbReferenceDialog *self = CB_REFERENCE_DIALOG (object);

  g_clear_object (&self->corpus);
  g_clear_pointer (&self->taken, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_REFERENCE_DIALOG);

  G_OBJECT_CLASS (cb_reference_dialog_parent_class)->dispose (object);
}

static void
cb_reference_dialog_class_init (CbReferenceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_reference_dialog_dispose;

  /**
   * CbReferenceDialog::saved:
   * @self: the dialog
   * @reference: the new reference, with its id
   *
   * Emitted on Save, just before the dialog closes.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, CB_TYPE_REFERENCE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-reference-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, authors_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, authors_hint_label);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, year_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, year_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, year_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, container_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, volume_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, issue_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, pages_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, doi_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, doi_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, doi_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, url_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, url_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbReferenceDialog, id_label);

  gtk_widget_class_install_action (widget_class, "reference.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "reference.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "reference.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cb_reference_dialog_init (CbReferenceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  {
    GtkWidget *rows[] = { self->authors_row, self->year_row, self->title_row, self->doi_row, self->url_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_object (rows[i], "changed", G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
  }

  validate (self);
}

/**
 * cb_reference_dialog_new:
 * @corpus: (nullable): the corpus, whose reference ids are taken
 * @taken: (element-type CbReference) (nullable): more references whose ids
 *   are taken (made earlier in the same editing session)
 *
 * Returns: (transfer none): a dialog, owned by GTK like every window;
 *   connect to #CbReferenceDialog::saved, set a transient parent and
 *   present it
 */
CbReferenceDialog *
cb_reference_dialog_new (CbCorpus  *corpus,
                         GPtrArray *taken)
{
  CbReferenceDialog *self;

  g_return_val_if_fail (corpus == NULL || CB_IS_CORPUS (corpus), NULL);

  self = g_object_new (CB_TYPE_REFERENCE_DIALOG, NULL);
  g_set_object (&self->corpus, corpus);
  self->taken = taken ? g_ptr_array_ref (taken) : NULL;
  validate (self);

  return self;
}

/**
 * cb_reference_dialog_get_valid:
 * @self: a dialog
 *
 * Returns: whether the fields make a reference (Save is enabled)
 */
gboolean
cb_reference_dialog_get_valid (CbReferenceDialog *self)
{
  g_return_val_if_fail (CB_IS_REFERENCE_DIALOG (self), FALSE);

  return validate (self);
}

/**
 * cb_reference_dialog_dup_reference:
 * @self: a dialog
 *
 * Returns: (transfer full) (nullable): the reference as typed, with a fresh
 *   id, or %NULL while the fields are not valid
 */
CbReference *
cb_reference_dialog_dup_reference (CbReferenceDialog *self)
{
  g_autofree char *authors_text = NULL;
  g_autofree char *doi_text = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GArray) authors = NULL;
  CbReference *reference;
  gboolean et_al = FALSE;
  struct {
    GtkWidget *row;
    void (*set) (CbReference *, const char *);
  } fields[] = {
    { self->year_row, cb_reference_set_year },
    { self->title_row, cb_reference_set_title },
    { self->container_row, cb_reference_set_container },
    { self->volume_row, cb_reference_set_volume },
    { self->issue_row, cb_reference_set_issue },
    { self->pages_row, cb_reference_set_pages },
    { self->url_row, cb_reference_set_url },
  };

  g_return_val_if_fail (CB_IS_REFERENCE_DIALOG (self), NULL);

  if (!validate (self))
    return NULL;

  authors_text = dup_row_text (self->authors_row);
  authors = g_array_new (FALSE, TRUE, sizeof (Author));
  g_array_set_clear_func (authors, (GDestroyNotify) author_clear);
  parse_authors (authors_text, authors, &et_al, NULL);

  id = make_id_for_fields (self);
  reference = cb_reference_new ();
  cb_reference_set_id (reference, id);
  for (guint i = 0; i < authors->len; i++)
    {
      Author *author = &g_array_index (authors, Author, i);

      cb_reference_add_author (reference, author->family, author->given);
    }
  cb_reference_set_et_al (reference, et_al);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = dup_row_value (fields[i].row);

      if (value != NULL)
        fields[i].set (reference, value);
    }

  doi_text = dup_row_value (self->doi_row);
  if (doi_text != NULL)
    {
      g_autofree char *doi = normalize_doi (doi_text);

      if (*doi != '\0')
        cb_reference_set_doi (reference, doi);
    }

  if (cb_reference_get_container (reference) != NULL)
    cb_reference_set_kind (reference, "article");
  else if (cb_reference_get_url (reference) != NULL && cb_reference_get_doi (reference) == NULL)
    cb_reference_set_kind (reference, "webpage");
  else
    cb_reference_set_kind (reference, "book");

  return reference;
}

static gboolean
id_is_taken (CbCorpus   *corpus,
             GPtrArray  *taken,
             const char *id)
{
  if (corpus != NULL && cb_corpus_lookup_reference (corpus, id) != NULL)
    return TRUE;

  for (guint i = 0; taken && i < taken->len; i++)
    {
      if (g_strcmp0 (cb_reference_get_id (g_ptr_array_index (taken, i)), id) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * cb_reference_make_id:
 * @corpus: (nullable): the corpus whose reference ids are taken
 * @taken: (element-type CbReference) (nullable): more references whose ids
 *   are taken
 * @family: the first author's family name (or organisation)
 * @year: (nullable): the year, "2019" or "2019a"
 *
 * Returns: (transfer full): "reference:<family><year>", the family name
 *   in lower-case ASCII letters and digits, with a letter after it ("a",
 *   "b", ...) when the plain id is taken
 */
char *
cb_reference_make_id (CbCorpus   *corpus,
                      GPtrArray  *taken,
                      const char *family,
                      const char *year)
{
  g_autofree char *ascii = g_str_to_ascii (family ? family : "", "C");
  GString *base = g_string_new ("reference:");
  gsize prefix_len = base->len;
  g_autofree char *id = NULL;

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (base, g_ascii_tolower (*p));
    }
  if (base->len == prefix_len)
    g_string_append (base, "ref");

  for (const char *p = year; p && *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (base, g_ascii_tolower (*p));
    }

  if (!id_is_taken (corpus, taken, base->str))
    return g_string_free (base, FALSE);

  for (char letter = 'a'; letter <= 'z'; letter++)
    {
      g_free (id);
      id = g_strdup_printf ("%s%c", base->str, letter);
      if (!id_is_taken (corpus, taken, id))
        {
          g_string_free (base, TRUE);
          return g_steal_pointer (&id);
        }
    }

  for (guint n = 2; ; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%sz%u", base->str, n);
      if (!id_is_taken (corpus, taken, id))
        {
          g_string_free (base, TRUE);
          return g_steal_pointer (&id);
        }
    }
}
