/* cb-item-editor.c: the librarian's form for one item
 *
 * Every field of an item is shown as the text cb_item_dup_field() gives and
 * read back through cb_item_set_field(), so the form and the command line
 * agree on what a field can be. Fields left as they were are not set
 * again: an item edited and saved without changes comes back the same.
 * A field the text cannot be, or one the corpus check refuses, is marked
 * on its row and explained in words under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "casebook-gui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cb-error.h"
#include "cb-item-editor.h"
#include "cb-reference-dialog.h"

/* How much of a reference the References group shows */
#define REFERENCE_TITLE_CHARS 150
#define TEXT_VIEW_LINES 4

typedef struct {
  char      *name;
  GtkWidget *row;
  GtkWidget *heading;
  GtkWidget *view;
  GtkWidget *error_box;
  GtkLabel  *error_label;
} PartEditor;

struct _CbItemEditor
{
  GtkWidget      parent_instance;

  CbItem        *item;
  CbCorpus      *corpus;
  CbTaxonomy    *taxonomy;
  gboolean       is_new;
  gboolean       modified;
  guint          loading;
  gboolean       updating_choices;
  guint          choices_source;

  GArray        *kinds;             /* CbItemKind, as in kind_model */
  GArray        *chapters;          /* guint, as in chapter_model; 0 for none */
  GPtrArray     *designs;           /* ids as in design_model; NULL for none */
  GPtrArray     *countries;         /* the chosen codes, in order */
  GPtrArray     *interventions;     /* the chosen ids, in order */
  GPtrArray     *country_rows;      /* owned by countries_row */
  GPtrArray     *intervention_rows; /* owned by interventions_row */
  GPtrArray     *parts;             /* PartEditor, in the canonical order */
  GPtrArray     *cited;             /* reference ids, in order */
  GPtrArray     *reference_rows;    /* owned by references_group */
  GPtrArray     *new_references;    /* CbReference made in this session */
  GPtrArray     *choices;           /* reference ids as in the drop-down;
                                     * NULL for the "Choose…" placeholder */
  GtkStringList *choice_model;

  GtkWidget     *page;
  GtkWidget     *problem_group;
  GtkLabel      *problem_label;
  GtkWidget     *kind_row;
  GtkStringList *kind_model;
  GtkWidget     *id_row;
  GtkWidget     *number_row;
  GtkWidget     *number_error_row;
  GtkLabel      *number_error_label;
  GtkWidget     *title_row;
  GtkWidget     *title_error_row;
  GtkLabel      *title_error_label;
  GtkWidget     *chapter_row;
  GtkStringList *chapter_model;
  GtkWidget     *chapter_error_row;
  GtkLabel      *chapter_error_label;
  GtkWidget     *section_row;
  GtkWidget     *section_error_row;
  GtkLabel      *section_error_label;
  GtkWidget     *page_row;
  GtkWidget     *page_error_row;
  GtkLabel      *page_error_label;
  GtkWidget     *countries_row;
  GtkWidget     *countries_error_row;
  GtkLabel      *countries_error_label;
  GtkWidget     *interventions_row;
  GtkWidget     *interventions_error_row;
  GtkLabel      *interventions_error_label;
  GtkWidget     *design_row;
  GtkStringList *design_model;
  GtkWidget     *design_error_row;
  GtkLabel      *design_error_label;
  GtkWidget     *text_group;
  GtkWidget     *add_part_button;
  GtkWidget     *text_help_label;
  GtkWidget     *references_group;
  GtkWidget     *add_reference_row;
  GtkWidget     *reference_drop_down;
  GtkWidget     *new_reference_row;
  GtkWidget     *references_error_box;
  GtkLabel      *references_error_label;
};

G_DEFINE_FINAL_TYPE (CbItemEditor, cb_item_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const case_study_parts[] = { "background", "key_findings", "key_outcome", "lessons_learned", NULL };
static const char * const other_parts[] = { "body", NULL };

static void rebuild_reference_rows (CbItemEditor *self);
static void schedule_rebuild_choices (CbItemEditor *self);
static void clear_field_error (CbItemEditor *self,
                               const char   *field);

/* Small helpers */

static void
part_editor_free (PartEditor *part)
{
  g_free (part->name);
  g_object_unref (part->row);
  g_free (part);
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                         const char *str)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (array, i), str) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
join_strings (GPtrArray *strings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (strings, i));
    }

  return g_string_free (out, FALSE);
}

static char *
dup_entry_text (GtkWidget *row)
{
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
}

static const char *
part_label (const char *name)
{
  /* cb_part_name_label() calls the body "Text", which is the group's name
   * here */
  if (g_strcmp0 (name, "body") == 0)
    return _("Body");

  return cb_part_name_label (name);
}

static CbItemKind
current_kind (CbItemEditor *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->kind_row));

  if (self->is_new && selected < self->kinds->len)
    return g_array_index (self->kinds, CbItemKind, selected);

  return self->item ? cb_item_get_kind (self->item) : CB_ITEM_KIND_CASE_STUDY;
}

static const char * const *
parts_for_kind (CbItemKind kind)
{
  return kind == CB_ITEM_KIND_CASE_STUDY ? case_study_parts : other_parts;
}

static void
set_modified (CbItemEditor *self)
{
  if (self->loading > 0 || self->modified)
    return;

  self->modified = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Errors */

typedef struct {
  GtkWidget *row;
  GtkWidget *heading;
  GtkWidget *error_row;
  GtkLabel  *label;
  GtkWidget *focus;
} FieldUi;

static PartEditor *
find_part (CbItemEditor *self,
           const char   *name)
{
  for (guint i = 0; self->parts && i < self->parts->len; i++)
    {
      PartEditor *part = g_ptr_array_index (self->parts, i);

      if (g_str_equal (part->name, name))
        return part;
    }

  return NULL;
}

static gboolean
lookup_field (CbItemEditor *self,
              const char   *field,
              FieldUi      *ui)
{
  struct {
    const char *field;
    GtkWidget  *row;
    GtkWidget  *error_row;
    GtkLabel   *label;
  } fields[] = {
    { "number", self->number_row, self->number_error_row, self->number_error_label },
    { "id", self->number_row, self->number_error_row, self->number_error_label },
    { "kind", self->number_row, self->number_error_row, self->number_error_label },
    { "title", self->title_row, self->title_error_row, self->title_error_label },
    { "chapter", self->chapter_row, self->chapter_error_row, self->chapter_error_label },
    { "section", self->section_row, self->section_error_row, self->section_error_label },
    { "page", self->page_row, self->page_error_row, self->page_error_label },
    { "countries", self->countries_row, self->countries_error_row, self->countries_error_label },
    { "interventions", self->interventions_row, self->interventions_error_row, self->interventions_error_label },
    { "design", self->design_row, self->design_error_row, self->design_error_label },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (field, fields[i].field))
        {
          ui->row = fields[i].row;
          ui->error_row = fields[i].error_row;
          ui->label = fields[i].label;
          ui->focus = fields[i].row;
          return TRUE;
        }
    }

  if (g_str_equal (field, "references"))
    {
      ui->row = self->add_reference_row;
      ui->error_row = self->references_error_box;
      ui->label = self->references_error_label;
      ui->focus = self->reference_drop_down;
      return TRUE;
    }

  if (g_str_has_prefix (field, "part:"))
    {
      PartEditor *part = find_part (self, field + strlen ("part:"));

      if (part != NULL)
        {
          ui->row = part->view;
          ui->heading = part->heading;
          ui->error_row = part->error_box;
          ui->label = part->error_label;
          ui->focus = part->view;
          return TRUE;
        }
    }

  return FALSE;
}

static void
mark_row (GtkWidget *row,
          GtkLabel  *label,
          gboolean   invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      label, NULL, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

static void add_part (CbItemEditor *self,
                      const char   *name,
                      const char   *text);

static void
show_error (CbItemEditor *self,
            const char   *field,
            const char   *message,
            gboolean      grab_focus)
{
  FieldUi ui = { NULL, };

  /* A part the corpus check misses is given a row to type it in */
  if (g_str_has_prefix (field, "part:") && cb_part_name_is_known (field + strlen ("part:")) &&
      find_part (self, field + strlen ("part:")) == NULL)
    add_part (self, field + strlen ("part:"), "");

  if (!lookup_field (self, field, &ui))
    {
      /* Fields the form does not show (status, reference note) are
       * explained above the form */
      gtk_label_set_label (self->problem_label, message);
      gtk_widget_set_visible (self->problem_group, TRUE);
      return;
    }

  gtk_label_set_label (ui.label, message);
  gtk_widget_set_visible (ui.error_row, TRUE);
  mark_row (ui.row, ui.label, TRUE);
  if (ui.heading != NULL)
    gtk_widget_add_css_class (ui.heading, "error");

  if (grab_focus && ui.focus != NULL)
    {
      if (!gtk_widget_grab_focus (ui.focus))
        gtk_widget_child_focus (ui.focus, GTK_DIR_TAB_FORWARD);
    }
}

static void
clear_field_error (CbItemEditor *self,
                   const char   *field)
{
  FieldUi ui = { NULL, };

  if (!lookup_field (self, field, &ui))
    return;

  if (!gtk_widget_get_visible (ui.error_row))
    return;

  gtk_widget_set_visible (ui.error_row, FALSE);
  gtk_label_set_label (ui.label, "");
  mark_row (ui.row, ui.label, FALSE);
  if (ui.heading != NULL)
    gtk_widget_remove_css_class (ui.heading, "error");
}

/* Change tracking */

static void
update_id_subtitle (CbItemEditor *self)
{
  g_autofree char *number = NULL;
  g_autofree char *subtitle = NULL;

  if (!self->is_new)
    return;

  number = g_strstrip (dup_entry_text (self->number_row));
  if (*number == '\0')
    subtitle = g_strdup (_("The id is the kind and the number"));
  else
    /* Translators: %s:%s is an item id, "case_study:4.2.9" */
    subtitle = g_strdup_printf (_("Saved as %s:%s"), cb_item_kind_to_string (current_kind (self)), number);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kind_row), subtitle);
}

static void update_add_part_menu (CbItemEditor *self);

static void
on_entry_changed (GtkEditable  *editable,
                  CbItemEditor *self)
{
  const char *field = g_object_get_data (G_OBJECT (editable), "cb-field");

  if (self->loading > 0)
    return;

  clear_field_error (self, field);
  if (g_str_equal (field, "number"))
    update_id_subtitle (self);
  set_modified (self);
}

static void
on_combo_selected (AdwComboRow  *row,
                   GParamSpec   *pspec,
                   CbItemEditor *self)
{
  const char *field = g_object_get_data (G_OBJECT (row), "cb-field");

  if (self->loading > 0)
    return;

  if (g_str_equal (field, "kind"))
    {
      clear_field_error (self, "number");
      update_id_subtitle (self);
      update_add_part_menu (self);
    }
  else
    {
      clear_field_error (self, field);
    }

  set_modified (self);
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   CbItemEditor  *self)
{
  const char *name = g_object_get_data (G_OBJECT (buffer), "cb-part");
  g_autofree char *field = g_strconcat ("part:", name, NULL);

  if (self->loading > 0)
    return;

  clear_field_error (self, field);
  set_modified (self);
}

/* Countries and intervention types */

static void
update_term_subtitle (CbItemEditor        *self,
                      CbTaxonomyDimension  dimension)
{
  GPtrArray *chosen = dimension == CB_TAXONOMY_COUNTRY ? self->countries : self->interventions;
  GtkWidget *row = dimension == CB_TAXONOMY_COUNTRY ? self->countries_row : self->interventions_row;
  GString *subtitle = g_string_new (NULL);

  for (guint i = 0; i < chosen->len; i++)
    {
      const char *id = g_ptr_array_index (chosen, i);
      const char *label = self->taxonomy ? cb_taxonomy_label (self->taxonomy, dimension, id) : NULL;

      if (i > 0)
        g_string_append (subtitle, ", ");
      g_string_append (subtitle, label ? label : id);
    }

  if (subtitle->len == 0)
    g_string_append (subtitle, C_("countries or intervention types", "None"));

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  g_string_free (subtitle, TRUE);
}

static void
on_term_toggled (GtkCheckButton *check,
                 CbItemEditor   *self)
{
  CbTaxonomyDimension dimension = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "cb-dimension"));
  const char *id = g_object_get_data (G_OBJECT (check), "cb-term");
  GPtrArray *chosen = dimension == CB_TAXONOMY_COUNTRY ? self->countries : self->interventions;
  gboolean active = gtk_check_button_get_active (check);
  guint index;

  if (self->loading > 0)
    return;

  if (active && !ptr_array_has_string (chosen, id))
    g_ptr_array_add (chosen, g_strdup (id));
  else if (!active && g_ptr_array_find_with_equal_func (chosen, id, g_str_equal, &index))
    g_ptr_array_remove_index (chosen, index);

  update_term_subtitle (self, dimension);
  clear_field_error (self, dimension == CB_TAXONOMY_COUNTRY ? "countries" : "interventions");
  set_modified (self);
}

static void
fill_terms (CbItemEditor        *self,
            CbTaxonomyDimension  dimension,
            GPtrArray           *chosen_in_item)
{
  GtkWidget *expander = dimension == CB_TAXONOMY_COUNTRY ? self->countries_row : self->interventions_row;
  GPtrArray *rows = dimension == CB_TAXONOMY_COUNTRY ? self->country_rows : self->intervention_rows;
  GPtrArray *chosen = dimension == CB_TAXONOMY_COUNTRY ? self->countries : self->interventions;
  GPtrArray *terms = self->taxonomy ? cb_taxonomy_get_terms (self->taxonomy, dimension) : NULL;

  for (guint i = 0; i < rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (expander), g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);

  g_ptr_array_set_size (chosen, 0);
  for (guint i = 0; chosen_in_item && i < chosen_in_item->len; i++)
    g_ptr_array_add (chosen, g_strdup (g_ptr_array_index (chosen_in_item, i)));

  for (guint i = 0; terms && i < terms->len; i++)
    {
      const CbTerm *term = g_ptr_array_index (terms, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      /* Translators: a country or an intervention type and its code: "New Zealand (NZ)" */
      g_autofree char *name = g_strdup_printf (C_("taxonomy term", "%s (%s)"), term->label, term->id);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (dimension == CB_TAXONOMY_COUNTRY)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
        }
      else
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), term->label);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), term->id);
        }

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), ptr_array_has_string (chosen, term->id));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      if (term->description != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        term->description, -1);
      g_object_set_data_full (G_OBJECT (check), "cb-term", g_strdup (term->id), g_free);
      g_object_set_data (G_OBJECT (check), "cb-dimension", GINT_TO_POINTER (dimension));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_term_toggled), self, 0);

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      if (term->description != NULL)
        gtk_widget_set_tooltip_text (row, term->description);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      g_ptr_array_add (rows, row);
    }

  update_term_subtitle (self, dimension);
}

/* Chapter and design */

static void
fill_chapters (CbItemEditor *self)
{
  GPtrArray *chapters = self->corpus ? cb_corpus_get_chapters (self->corpus) : NULL;
  guint chapter = cb_item_get_chapter (self->item);
  guint none = 0;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = 0;

  g_array_set_size (self->chapters, 0);

  g_strv_builder_add (builder, C_("chapter", "None"));
  g_array_append_val (self->chapters, none);

  for (guint i = 0; chapters && i < chapters->len; i++)
    {
      CbChapter *c = g_ptr_array_index (chapters, i);
      /* Translators: a chapter in the chapter chooser: "4 · Creating Culturally Safe Care" */
      g_autofree char *label = g_strdup_printf (C_("chapter", "%u · %s"), c->number, c->title);

      if (c->number == chapter)
        selected = self->chapters->len;
      g_strv_builder_add (builder, label);
      g_array_append_val (self->chapters, c->number);
    }

  /* A chapter the corpus does not list still round-trips */
  if (chapter != 0 && selected == 0)
    {
      /* Translators: a chapter the guide's contents do not list */
      g_autofree char *label = g_strdup_printf (C_("chapter", "Chapter %u"), chapter);

      selected = self->chapters->len;
      g_strv_builder_add (builder, label);
      g_array_append_val (self->chapters, chapter);
    }

  labels = g_strv_builder_end (builder);
  gtk_string_list_splice (self->chapter_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->chapter_model)),
                          (const char * const *) labels);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->chapter_row), selected);
}

static void
fill_designs (CbItemEditor *self)
{
  GPtrArray *terms = self->taxonomy ? cb_taxonomy_get_terms (self->taxonomy, CB_TAXONOMY_DESIGN) : NULL;
  const char *design = cb_item_get_design (self->item);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = 0;

  g_ptr_array_set_size (self->designs, 0);

  g_strv_builder_add (builder, C_("study design", "None"));
  g_ptr_array_add (self->designs, NULL);

  for (guint i = 0; terms && i < terms->len; i++)
    {
      const CbTerm *term = g_ptr_array_index (terms, i);

      if (g_strcmp0 (term->id, design) == 0)
        selected = self->designs->len;
      g_strv_builder_add (builder, term->label);
      g_ptr_array_add (self->designs, g_strdup (term->id));
    }

  if (design != NULL && selected == 0)
    {
      selected = self->designs->len;
      g_strv_builder_add (builder, design);
      g_ptr_array_add (self->designs, g_strdup (design));
    }

  labels = g_strv_builder_end (builder);
  gtk_string_list_splice (self->design_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->design_model)),
                          (const char * const *) labels);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->design_row), selected);
}

static void
fill_kinds (CbItemEditor *self)
{
  CbItemKind offered[] = { CB_ITEM_KIND_CASE_STUDY, CB_ITEM_KIND_INSET_BOX };
  CbItemKind kind = cb_item_get_kind (self->item);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = 0;

  g_array_set_size (self->kinds, 0);
  for (guint i = 0; i < G_N_ELEMENTS (offered); i++)
    {
      if (offered[i] == kind)
        selected = i;
      g_array_append_val (self->kinds, offered[i]);
      g_strv_builder_add (builder, cb_item_kind_label (offered[i]));
    }

  if (kind != CB_ITEM_KIND_CASE_STUDY && kind != CB_ITEM_KIND_INSET_BOX)
    {
      selected = self->kinds->len;
      g_array_append_val (self->kinds, kind);
      g_strv_builder_add (builder, cb_item_kind_label (kind));
    }

  labels = g_strv_builder_end (builder);
  gtk_string_list_splice (self->kind_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->kind_model)),
                          (const char * const *) labels);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->kind_row), selected);
}

/* Parts */

static gboolean
remeasure_view (gpointer user_data)
{
  GtkWidget *view = user_data;

  g_object_set_data (G_OBJECT (view), "cb-remeasure", NULL);
  gtk_widget_queue_resize (view);

  return G_SOURCE_REMOVE;
}

/* A text view outside a scrolled window measures its height with the
 * width it last had, and does not ask again when its lines are laid out
 * at the width it gets. Its vertical adjustment follows the height of the
 * text: when that changes, the view is measured again. */
static void
on_view_height_changed (GtkAdjustment *adjustment,
                        GParamSpec    *pspec,
                        GtkWidget     *view)
{
  int height = gtk_widget_get_height (view);

  if (g_object_get_data (G_OBJECT (view), "cb-remeasure") != NULL ||
      (int) gtk_adjustment_get_upper (adjustment) == height)
    return;

  g_object_set_data (G_OBJECT (view), "cb-remeasure", GUINT_TO_POINTER (1));
  g_idle_add_full (G_PRIORITY_LOW, remeasure_view, g_object_ref (view), g_object_unref);
}

static PartEditor *
part_editor_new (CbItemEditor *self,
                 const char   *name,
                 const char   *text)
{
  PartEditor *part = g_new0 (PartEditor, 1);
  const char *label = part_label (name);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *heading;
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkTextBuffer *buffer;
  PangoFontMetrics *metrics;
  int line_height;
  /* Translators: the accessible name of the button that removes a part, "Remove Background" */
  g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), label);

  part->name = g_strdup (name);
  part->row = g_object_ref_sink (adw_preferences_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (part->row), label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (part->row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (part->row), FALSE);
  gtk_widget_set_focusable (part->row, FALSE);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 12);

  part->heading = heading = gtk_label_new (label);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (header), heading);

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove This Part"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "editor.remove-part");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove), g_variant_new_string (name));
  gtk_box_append (GTK_BOX (header), remove);
  gtk_box_append (GTK_BOX (box), header);

  part->view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (part->view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (part->view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (part->view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (part->view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (part->view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (part->view), 8);
  gtk_widget_set_hexpand (part->view, TRUE);
  metrics = pango_context_get_metrics (gtk_widget_get_pango_context (part->view), NULL, NULL);
  line_height = pango_font_metrics_get_height (metrics) / PANGO_SCALE;
  pango_font_metrics_unref (metrics);
  gtk_widget_set_size_request (part->view, -1, TEXT_VIEW_LINES * MAX (line_height, 16) + 16);
  gtk_accessible_update_property (GTK_ACCESSIBLE (part->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (part->view), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->text_help_label, NULL, -1);
  gtk_scrollable_set_vadjustment (GTK_SCROLLABLE (part->view), gtk_adjustment_new (0, 0, 0, 0, 0, 0));
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (part->view)), "notify::upper",
                           G_CALLBACK (on_view_height_changed), part->view, 0);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (part->view));
  self->loading++;
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  self->loading--;
  g_object_set_data_full (G_OBJECT (buffer), "cb-part", g_strdup (name), g_free);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed), self, 0);

  gtk_frame_set_child (GTK_FRAME (frame), part->view);
  gtk_box_append (GTK_BOX (box), frame);

  part->error_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_visible (part->error_box, FALSE);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_add_css_class (icon, "error");
  gtk_box_append (GTK_BOX (part->error_box), icon);
  part->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (part->error_label, TRUE);
  gtk_label_set_wrap_mode (part->error_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (part->error_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (part->error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (part->error_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (part->error_label), "error");
  gtk_box_append (GTK_BOX (part->error_box), GTK_WIDGET (part->error_label));
  gtk_box_append (GTK_BOX (box), part->error_box);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (part->row), box);

  return part;
}

static int
part_rank (const PartEditor *part)
{
  int order = cb_part_name_order (part->name);

  return order < 0 ? G_MAXINT : order;
}

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  int ra = part_rank (*(PartEditor **) a);
  int rb = part_rank (*(PartEditor **) b);

  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

static void
update_add_part_menu (CbItemEditor *self)
{
  const char * const *names = parts_for_kind (current_kind (self));
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (find_part (self, names[i]) != NULL)
        continue;

      item = g_menu_item_new (part_label (names[i]), NULL);
      g_menu_item_set_action_and_target_value (item, "editor.add-part", g_variant_new_string (names[i]));
      g_menu_append_item (menu, item);
    }

  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->add_part_button), G_MENU_MODEL (menu));
  gtk_widget_set_visible (self->add_part_button, g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0);
}

/* Puts the part rows in the group in the canonical order */
static void
place_part_rows (CbItemEditor *self)
{
  for (guint i = 0; i < self->parts->len; i++)
    {
      PartEditor *part = g_ptr_array_index (self->parts, i);

      if (gtk_widget_get_parent (part->row) != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->text_group), part->row);
    }

  g_ptr_array_sort (self->parts, compare_parts);

  for (guint i = 0; i < self->parts->len; i++)
    {
      PartEditor *part = g_ptr_array_index (self->parts, i);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->text_group), part->row);
    }

  update_add_part_menu (self);
}

static void
add_part (CbItemEditor *self,
          const char   *name,
          const char   *text)
{
  if (find_part (self, name) != NULL)
    return;

  g_ptr_array_add (self->parts, part_editor_new (self, name, text));
  place_part_rows (self);
}

static void
remove_parts (CbItemEditor *self)
{
  for (guint i = 0; i < self->parts->len; i++)
    {
      PartEditor *part = g_ptr_array_index (self->parts, i);

      if (gtk_widget_get_parent (part->row) != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->text_group), part->row);
    }

  g_ptr_array_set_size (self->parts, 0);
}

static void
add_part_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbItemEditor *self = CB_ITEM_EDITOR (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  PartEditor *part;

  if (!cb_part_name_is_known (name))
    return;

  add_part (self, name, "");
  if ((part = find_part (self, name)) != NULL)
    gtk_widget_grab_focus (part->view);
}

static void
remove_part_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CbItemEditor *self = CB_ITEM_EDITOR (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  PartEditor *part = find_part (self, name);
  GtkTextBuffer *buffer;
  gboolean had_text;

  if (part == NULL)
    return;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (part->view));
  had_text = gtk_text_buffer_get_char_count (buffer) > 0 ||
             (self->item != NULL && cb_item_get_part (self->item, name) != NULL);

  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->text_group), part->row);
  g_ptr_array_remove (self->parts, part);
  update_add_part_menu (self);
  gtk_widget_grab_focus (self->add_part_button);

  if (had_text)
    set_modified (self);
}

/* References */

static CbReference *
lookup_reference (CbItemEditor *self,
                  const char   *id)
{
  CbReference *reference = self->corpus ? cb_corpus_lookup_reference (self->corpus, id) : NULL;

  for (guint i = 0; reference == NULL && i < self->new_references->len; i++)
    {
      if (g_strcmp0 (cb_reference_get_id (g_ptr_array_index (self->new_references, i)), id) == 0)
        reference = g_ptr_array_index (self->new_references, i);
    }

  return reference;
}

/* "Curtis, E., Jones, R. and Reid, P. (2019) Title. Journal." */
static char *
format_reference (CbReference *reference)
{
  g_autofree char *authors = NULL;
  GString *out;

  if (cb_reference_get_text (reference) != NULL)
    return g_strdup (cb_reference_get_text (reference));

  authors = cb_reference_format_authors (reference);
  out = g_string_new (authors);
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append_printf (out, "(%s) %s.", cb_reference_get_year (reference) ? cb_reference_get_year (reference) : _("n.d."),
                          cb_reference_get_title (reference) ? cb_reference_get_title (reference) : "");
  if (cb_reference_get_container (reference) != NULL)
    g_string_append_printf (out, " %s.", cb_reference_get_container (reference));

  return g_string_free (out, FALSE);
}

static char *
shorten (const char *text,
         guint       max_chars)
{
  if (g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);

  {
    g_autofree char *start = g_utf8_substring (text, 0, max_chars - 1);

    return g_strconcat (g_strchomp (start), "…", NULL);
  }
}

/* "Curtis 2019 · Why cultural safety rather than cultural competency…" */
static char *
choice_label (CbReference *reference)
{
  const char *family = cb_reference_get_first_family (reference);
  const char *year = cb_reference_get_year (reference);

  /* Translators: a reference in the Add Reference chooser: first author, year, title */
  return g_strdup_printf (C_("reference chooser", "%s %s · %s"), family ? family : _("Anonymous"),
                          year ? year : _("n.d."),
                          cb_reference_get_title (reference) ? cb_reference_get_title (reference) : "");
}

static GtkWidget *
make_reference_row (CbItemEditor *self,
                    const char   *id)
{
  CbReference *reference = lookup_reference (self, id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (reference != NULL)
    {
      g_autofree char *text = format_reference (reference);

      title = shorten (text, REFERENCE_TITLE_CHARS);
      if (cb_reference_get_doi (reference) != NULL)
        subtitle = g_strconcat ("doi:", cb_reference_get_doi (reference), NULL);
      else if (cb_reference_get_url (reference) != NULL)
        subtitle = g_strdup (cb_reference_get_url (reference));
      else
        subtitle = g_strdup (id);
    }
  else
    {
      title = g_strdup (id);
      subtitle = g_strdup (_("Not in the reference list"));
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_focusable (row, FALSE);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Remove Reference"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove reference"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.remove-reference");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  g_object_set_data_full (G_OBJECT (row), "cb-reference", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (row), "cb-remove-button", button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
rebuild_reference_rows (CbItemEditor *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self->references_group);

  for (guint i = 0; i < self->reference_rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (self->reference_rows, i));
  g_ptr_array_set_size (self->reference_rows, 0);

  /* The chooser rows stay last */
  adw_preferences_group_remove (group, self->add_reference_row);
  adw_preferences_group_remove (group, self->new_reference_row);

  for (guint i = 0; i < self->cited->len; i++)
    {
      GtkWidget *row = make_reference_row (self, g_ptr_array_index (self->cited, i));

      adw_preferences_group_add (group, row);
      g_ptr_array_add (self->reference_rows, row);
    }

  adw_preferences_group_add (group, self->add_reference_row);
  adw_preferences_group_add (group, self->new_reference_row);
}

typedef struct {
  char *label;
  char *key;
  char *id;
} Choice;

static void
choice_clear (Choice *choice)
{
  g_free (choice->label);
  g_free (choice->key);
  g_free (choice->id);
}

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Choice *) a)->key, ((const Choice *) b)->key);
}

/* The drop-down offers every reference not cited yet, by first author */
static void
rebuild_choices (CbItemEditor *self)
{
  GPtrArray *references = self->corpus ? cb_corpus_get_references (self->corpus) : NULL;
  g_autoptr(GArray) choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;

  g_array_set_clear_func (choices, (GDestroyNotify) choice_clear);
  g_ptr_array_set_size (self->choices, 0);

  /* A drop-down always shows an item: this one says what it is for */
  g_strv_builder_add (builder, _("Choose…"));
  g_ptr_array_add (self->choices, NULL);

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *list = pass == 0 ? references : self->new_references;

      for (guint i = 0; list && i < list->len; i++)
        {
          CbReference *reference = g_ptr_array_index (list, i);
          Choice choice;

          if (ptr_array_has_string (self->cited, cb_reference_get_id (reference)))
            continue;

          choice.label = choice_label (reference);
          choice.key = g_utf8_collate_key (choice.label, -1);
          choice.id = g_strdup (cb_reference_get_id (reference));
          g_array_append_val (choices, choice);
        }
    }

  g_array_sort (choices, compare_choices);
  for (guint i = 0; i < choices->len; i++)
    {
      Choice *choice = &g_array_index (choices, Choice, i);

      g_strv_builder_add (builder, choice->label);
      g_ptr_array_add (self->choices, g_steal_pointer (&choice->id));
    }

  labels = g_strv_builder_end (builder);

  self->updating_choices = TRUE;
  gtk_string_list_splice (self->choice_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->choice_model)),
                          (const char * const *) labels);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->reference_drop_down), 0);
  self->updating_choices = FALSE;

  gtk_widget_set_sensitive (self->reference_drop_down, self->choices->len > 1);
}

static gboolean
rebuild_choices_cb (gpointer user_data)
{
  CbItemEditor *self = user_data;

  self->choices_source = 0;
  rebuild_choices (self);

  return G_SOURCE_REMOVE;
}

/* The drop-down is not changed under the popover that chose: later */
static void
schedule_rebuild_choices (CbItemEditor *self)
{
  if (self->choices_source == 0)
    self->choices_source = g_idle_add (rebuild_choices_cb, self);
}

static void
cite (CbItemEditor *self,
      const char   *id)
{
  if (!ptr_array_has_string (self->cited, id))
    {
      g_ptr_array_add (self->cited, g_strdup (id));
      rebuild_reference_rows (self);
      clear_field_error (self, "references");
      set_modified (self);
    }
}

static void
on_reference_chosen (GtkDropDown  *drop_down,
                     GParamSpec   *pspec,
                     CbItemEditor *self)
{
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (self->updating_choices || self->loading > 0 ||
      selected >= self->choices->len || g_ptr_array_index (self->choices, selected) == NULL)
    return;

  cite (self, g_ptr_array_index (self->choices, selected));
  schedule_rebuild_choices (self);
}

static void
remove_reference_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CbItemEditor *self = CB_ITEM_EDITOR (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  guint index;

  if (!g_ptr_array_find_with_equal_func (self->cited, id, g_str_equal, &index))
    return;

  g_ptr_array_remove_index (self->cited, index);
  rebuild_reference_rows (self);
  rebuild_choices (self);
  clear_field_error (self, "references");
  set_modified (self);

  /* The focus goes to the reference that took its place, else to the
   * chooser */
  if (index < self->reference_rows->len)
    gtk_widget_grab_focus (g_object_get_data (g_ptr_array_index (self->reference_rows, index),
                                              "cb-remove-button"));
  else if (index > 0)
    gtk_widget_grab_focus (g_object_get_data (g_ptr_array_index (self->reference_rows, index - 1),
                                              "cb-remove-button"));
  else
    gtk_widget_grab_focus (self->reference_drop_down);
}

static void
on_reference_saved (CbReferenceDialog *dialog,
                    CbReference       *reference,
                    CbItemEditor      *self)
{
  g_ptr_array_add (self->new_references, g_object_ref (reference));
  cite (self, cb_reference_get_id (reference));
  set_modified (self);
}

static void
new_reference_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbItemEditor *self = CB_ITEM_EDITOR (widget);
  CbReferenceDialog *dialog = cb_reference_dialog_new (self->corpus, self->new_references);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_reference_saved), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
cb_item_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbItemEditor *self = CB_ITEM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_item_editor_dispose (GObject *object)
{
  CbItemEditor *self = CB_ITEM_EDITOR (object);

  /* Nothing the children say while they go is an edit */
  self->loading++;
  self->updating_choices = TRUE;
  g_clear_handle_id (&self->choices_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_ITEM_EDITOR);
  g_clear_pointer (&self->parts, g_ptr_array_unref);
  g_clear_object (&self->add_reference_row);
  g_clear_object (&self->new_reference_row);
  g_clear_object (&self->choice_model);
  g_clear_object (&self->item);
  g_clear_object (&self->corpus);
  g_clear_object (&self->taxonomy);
  g_clear_pointer (&self->new_references, g_ptr_array_unref);

  G_OBJECT_CLASS (cb_item_editor_parent_class)->dispose (object);
}

static void
cb_item_editor_finalize (GObject *object)
{
  CbItemEditor *self = CB_ITEM_EDITOR (object);

  g_clear_pointer (&self->kinds, g_array_unref);
  g_clear_pointer (&self->chapters, g_array_unref);
  g_clear_pointer (&self->designs, g_ptr_array_unref);
  g_clear_pointer (&self->countries, g_ptr_array_unref);
  g_clear_pointer (&self->interventions, g_ptr_array_unref);
  g_clear_pointer (&self->country_rows, g_ptr_array_unref);
  g_clear_pointer (&self->intervention_rows, g_ptr_array_unref);
  g_clear_pointer (&self->cited, g_ptr_array_unref);
  g_clear_pointer (&self->reference_rows, g_ptr_array_unref);
  g_clear_pointer (&self->choices, g_ptr_array_unref);

  G_OBJECT_CLASS (cb_item_editor_parent_class)->finalize (object);
}

static void
cb_item_editor_class_init (CbItemEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cb_item_editor_get_property;
  object_class->dispose = cb_item_editor_dispose;
  object_class->finalize = cb_item_editor_finalize;

  /**
   * CbItemEditor:modified:
   *
   * Whether anything was changed since cb_item_editor_set_item().
   */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/casebook/Casebook/cb-item-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, page);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, problem_group);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, kind_model);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, id_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, number_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, number_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, number_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, title_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, title_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, chapter_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, chapter_model);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, chapter_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, chapter_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, section_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, section_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, section_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, page_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, page_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, page_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, countries_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, countries_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, countries_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, interventions_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, interventions_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, interventions_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, design_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, design_model);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, design_error_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, design_error_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, text_group);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, add_part_button);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, text_help_label);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, references_group);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, add_reference_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, reference_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, new_reference_row);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, references_error_box);
  gtk_widget_class_bind_template_child (widget_class, CbItemEditor, references_error_label);

  gtk_widget_class_install_action (widget_class, "editor.add-part", "s", add_part_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-part", "s", remove_part_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-reference", "s", remove_reference_action);
  gtk_widget_class_install_action (widget_class, "editor.new-reference", NULL, new_reference_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "itemeditor");
}

static void
setup_choice (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_choice (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  gboolean placeholder = gtk_list_item_get_position (list_item) == 0;

  gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (label, placeholder ? NULL : gtk_string_object_get_string (string));

  /* The button only shows "Choose…": the references are given room in
   * the list, without widening the row */
  gtk_label_set_width_chars (GTK_LABEL (label), placeholder ? 10 : 40);
}

/* The chapter chooser's list wraps long titles instead of cutting them,
 * and marks the chosen one as the default list does */
static void
setup_wrapping (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"), -1);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (list_item, box);
}

static void
update_wrapping_check (GtkListItem *list_item,
                       GParamSpec  *pspec,
                       AdwComboRow *row)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);

  gtk_widget_set_opacity (gtk_widget_get_last_child (box),
                          adw_combo_row_get_selected (row) == gtk_list_item_get_position (list_item) ? 1 : 0);
}

static void
bind_wrapping (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               AdwComboRow              *row)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), gtk_string_object_get_string (string));
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_wrapping_check), list_item, G_CONNECT_SWAPPED);
  update_wrapping_check (list_item, NULL, row);
}

static void
unbind_wrapping (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, update_wrapping_check, list_item);
}

static void
cb_item_editor_init (CbItemEditor *self)
{
  g_autoptr(GtkListItemFactory) choice_factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) chapter_factory = gtk_signal_list_item_factory_new ();
  static const char * const entry_fields[] = { "number", "title", "section", "page" };
  static const char * const combo_fields[] = { "kind", "chapter", "design" };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The drop-down's own button has no name of its own */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->reference_drop_down))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a reference"), -1);

  self->kinds = g_array_new (FALSE, FALSE, sizeof (CbItemKind));
  self->chapters = g_array_new (FALSE, FALSE, sizeof (guint));
  self->designs = g_ptr_array_new_with_free_func (g_free);
  self->countries = g_ptr_array_new_with_free_func (g_free);
  self->interventions = g_ptr_array_new_with_free_func (g_free);
  self->country_rows = g_ptr_array_new ();
  self->intervention_rows = g_ptr_array_new ();
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_editor_free);
  self->cited = g_ptr_array_new_with_free_func (g_free);
  self->reference_rows = g_ptr_array_new ();
  self->new_references = g_ptr_array_new_with_free_func (g_object_unref);
  self->choices = g_ptr_array_new_with_free_func (g_free);

  /* These two rows are taken out and put back as references come and go */
  g_object_ref (self->add_reference_row);
  g_object_ref (self->new_reference_row);

  {
    GtkWidget *entries[] = { self->number_row, self->title_row, self->section_row, self->page_row };
    GtkWidget *combos[] = { self->kind_row, self->chapter_row, self->design_row };

    G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (entry_fields));
    G_STATIC_ASSERT (G_N_ELEMENTS (combos) == G_N_ELEMENTS (combo_fields));

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      {
        g_object_set_data (G_OBJECT (entries[i]), "cb-field", (gpointer) entry_fields[i]);
        g_signal_connect_object (entries[i], "changed", G_CALLBACK (on_entry_changed), self, 0);
      }

    for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
      {
        g_object_set_data (G_OBJECT (combos[i]), "cb-field", (gpointer) combo_fields[i]);
        g_signal_connect_object (combos[i], "notify::selected", G_CALLBACK (on_combo_selected), self, 0);
      }
  }

  g_signal_connect (chapter_factory, "setup", G_CALLBACK (setup_wrapping), NULL);
  g_signal_connect (chapter_factory, "bind", G_CALLBACK (bind_wrapping), self->chapter_row);
  g_signal_connect (chapter_factory, "unbind", G_CALLBACK (unbind_wrapping), self->chapter_row);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (self->chapter_row), chapter_factory);

  self->choice_model = gtk_string_list_new (NULL);
  g_signal_connect (choice_factory, "setup", G_CALLBACK (setup_choice), NULL);
  g_signal_connect (choice_factory, "bind", G_CALLBACK (bind_choice), NULL);
  self->updating_choices = TRUE;
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->reference_drop_down), choice_factory);
  gtk_drop_down_set_expression (GTK_DROP_DOWN (self->reference_drop_down),
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->reference_drop_down), G_LIST_MODEL (self->choice_model));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->reference_drop_down), GTK_INVALID_LIST_POSITION);
  self->updating_choices = FALSE;
  g_signal_connect_object (self->reference_drop_down, "notify::selected",
                           G_CALLBACK (on_reference_chosen), self, 0);

  gtk_widget_set_visible (self->id_row, FALSE);
  update_add_part_menu (self);
}

GtkWidget *
cb_item_editor_new (void)
{
  return g_object_new (CB_TYPE_ITEM_EDITOR, NULL);
}

/**
 * cb_item_editor_set_item:
 * @self: an editor
 * @item: the item to edit; the editor keeps a copy
 * @corpus: (nullable): the corpus, for the references to choose from and
 *   the chapters
 * @taxonomy: (nullable): the countries, intervention types and designs
 * @is_new: whether @item is a new item, whose kind and number can be set
 *   (its id is then kind:number)
 *
 * Shows @item for editing; nothing is modified yet, no error is shown and
 * no reference is new.
 */
void
cb_item_editor_set_item (CbItemEditor *self,
                         CbItem       *item,
                         CbCorpus     *corpus,
                         CbTaxonomy   *taxonomy,
                         gboolean      is_new)
{
  GPtrArray *parts;
  g_autofree char *page = NULL;

  g_return_if_fail (CB_IS_ITEM_EDITOR (self));
  g_return_if_fail (CB_IS_ITEM (item));
  g_return_if_fail (corpus == NULL || CB_IS_CORPUS (corpus));
  g_return_if_fail (taxonomy == NULL || CB_IS_TAXONOMY (taxonomy));

  self->loading++;

  g_clear_object (&self->item);
  self->item = cb_item_copy (item);
  g_set_object (&self->corpus, corpus);
  g_set_object (&self->taxonomy, taxonomy);
  self->is_new = is_new;

  cb_item_editor_clear_errors (self);

  /* Kind, number and id */
  fill_kinds (self);
  gtk_widget_set_visible (self->kind_row, is_new);
  gtk_widget_set_visible (self->id_row, !is_new);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->id_row), cb_item_kind_label (cb_item_get_kind (item)));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->id_row), cb_item_get_id (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->id_row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cb_item_kind_label (cb_item_get_kind (item)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, cb_item_get_id (item),
                                  -1);

  gtk_editable_set_text (GTK_EDITABLE (self->number_row), cb_item_get_number (item) ? cb_item_get_number (item) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), cb_item_get_title (item) ? cb_item_get_title (item) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->section_row), cb_item_get_section (item) ? cb_item_get_section (item) : "");
  page = cb_item_dup_field (item, "page");
  gtk_editable_set_text (GTK_EDITABLE (self->page_row), page);
  update_id_subtitle (self);

  fill_chapters (self);
  fill_terms (self, CB_TAXONOMY_COUNTRY, cb_item_get_countries (item));
  fill_terms (self, CB_TAXONOMY_INTERVENTION, cb_item_get_interventions (item));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->countries_row), FALSE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->interventions_row), FALSE);
  fill_designs (self);

  /* Text */
  remove_parts (self);
  parts = cb_item_get_parts (item);
  for (guint i = 0; i < parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (parts, i);
      g_autofree char *text = cb_part_to_text (part);

      g_ptr_array_add (self->parts, part_editor_new (self, part->name, text));
    }
  place_part_rows (self);

  /* References */
  g_ptr_array_set_size (self->new_references, 0);
  g_ptr_array_set_size (self->cited, 0);
  for (guint i = 0; i < cb_item_get_references (item)->len; i++)
    g_ptr_array_add (self->cited, g_strdup (g_ptr_array_index (cb_item_get_references (item), i)));
  rebuild_reference_rows (self);
  g_clear_handle_id (&self->choices_source, g_source_remove);
  rebuild_choices (self);

  self->loading--;

  if (self->modified)
    {
      self->modified = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
}

/**
 * cb_item_editor_get_item:
 * @self: an editor
 *
 * Returns: (transfer none) (nullable): the editor's copy of the item as it
 *   was given to cb_item_editor_set_item(), without the edits
 */
CbItem *
cb_item_editor_get_item (CbItemEditor *self)
{
  g_return_val_if_fail (CB_IS_ITEM_EDITOR (self), NULL);

  return self->item;
}

/* Each field as the form has it, in the order of the form */
static void
collect_fields (CbItemEditor *self,
                GPtrArray    *names,
                GPtrArray    *values)
{
  guint chapter_index = adw_combo_row_get_selected (ADW_COMBO_ROW (self->chapter_row));
  guint design_index = adw_combo_row_get_selected (ADW_COMBO_ROW (self->design_row));
  guint chapter = chapter_index < self->chapters->len ? g_array_index (self->chapters, guint, chapter_index) : 0;
  const char *design = design_index < self->designs->len ? g_ptr_array_index (self->designs, design_index) : NULL;
  GPtrArray *original_parts = cb_item_get_parts (self->item);

#define ADD(name, value) G_STMT_START { \
    g_ptr_array_add (names, g_strdup (name)); \
    g_ptr_array_add (values, (value)); \
  } G_STMT_END

  ADD ("number", dup_entry_text (self->number_row));
  ADD ("title", dup_entry_text (self->title_row));
  ADD ("chapter", chapter ? g_strdup_printf ("%u", chapter) : g_strdup (""));
  ADD ("section", dup_entry_text (self->section_row));
  ADD ("page", dup_entry_text (self->page_row));
  ADD ("countries", join_strings (self->countries));
  ADD ("interventions", join_strings (self->interventions));
  ADD ("design", g_strdup (design ? design : ""));
  ADD ("references", join_strings (self->cited));

  for (guint i = 0; i < self->parts->len; i++)
    {
      PartEditor *part = g_ptr_array_index (self->parts, i);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (part->view));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      g_ptr_array_add (names, g_strconcat ("part:", part->name, NULL));
      g_ptr_array_add (values, gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
    }

  /* A part removed from the form is removed from the item */
  for (guint i = 0; i < original_parts->len; i++)
    {
      CbPart *part = g_ptr_array_index (original_parts, i);

      if (find_part (self, part->name) == NULL)
        {
          g_ptr_array_add (names, g_strconcat ("part:", part->name, NULL));
          g_ptr_array_add (values, g_strdup (""));
        }
    }

#undef ADD
}

/* A new item with @id and @kind and every field of @from */
static CbItem *
new_item_like (CbItem     *from,
               const char *id,
               CbItemKind  kind)
{
  CbItem *item = cb_item_new (id, kind);
  const char * const *names = cb_item_get_field_names (from);
  GPtrArray *history = cb_item_get_history (from);

  for (guint i = 0; names[i] != NULL; i++)
    cb_item_copy_field (item, from, names[i]);
  cb_item_set_origin (item, cb_item_get_origin (from));
  for (guint i = 0; i < history->len; i++)
    cb_item_add_revision (item, cb_revision_copy (g_ptr_array_index (history, i)));

  return item;
}

/**
 * cb_item_editor_dup_item:
 * @self: an editor
 * @bad_field: (out) (optional) (transfer full): the first field the text
 *   cannot be, when %NULL is returned
 * @error: return location for a #GError
 *
 * The item as edited: a copy of the item given with each field set through
 * cb_item_set_field(); fields left as they were are not set again. A new
 * item's id is its kind and number. On a field the text cannot be (a page
 * that is not a number, a part whose text does not read) the reason is
 * shown beside every such field and the first one takes the focus.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL with @bad_field
 *   and @error set
 */
CbItem *
cb_item_editor_dup_item (CbItemEditor  *self,
                         char         **bad_field,
                         GError       **error)
{
  g_autoptr(CbItem) item = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first_field = NULL;
  g_autoptr(GError) first_error = NULL;

  g_return_val_if_fail (CB_IS_ITEM_EDITOR (self), NULL);
  g_return_val_if_fail (self->item != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cb_item_editor_clear_errors (self);
  collect_fields (self, names, values);

  if (self->is_new)
    {
      g_autofree char *number = g_strstrip (dup_entry_text (self->number_row));
      CbItemKind kind = current_kind (self);
      g_autofree char *id = g_strdup_printf ("%s:%s", cb_item_kind_to_string (kind), number);

      if (*number == '\0')
        first_error = g_error_new (CB_ERROR, CB_ERROR_INVALID, _("A new item needs a number, like 4.2.9"));
      else if (!cb_item_id_is_valid (id))
        first_error = g_error_new (CB_ERROR, CB_ERROR_INVALID,
                                   /* Translators: %s is the number as typed */
                                   _("“%s” cannot be a number: use letters, digits, “.”, “-” and “_”"), number);

      if (first_error != NULL)
        {
          first_field = g_strdup ("number");
          show_error (self, first_field, first_error->message, TRUE);
        }

      /* The item is still read, to report every other field too */
      item = new_item_like (self->item, first_error ? cb_item_get_id (self->item) : id, kind);
    }
  else
    {
      item = cb_item_copy (self->item);
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *original = cb_item_dup_field (self->item, name);
      g_autoptr(GError) local_error = NULL;

      if (g_strcmp0 (original, value) == 0 && !(self->is_new && g_str_equal (name, "title")))
        continue;

      if (!cb_item_set_field (item, name, value, &local_error))
        {
          show_error (self, name, local_error->message, first_error == NULL);
          if (first_error == NULL)
            {
              first_field = g_strdup (name);
              first_error = g_steal_pointer (&local_error);
            }
        }
    }

  if (first_error != NULL)
    {
      if (bad_field != NULL)
        *bad_field = g_steal_pointer (&first_field);
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }

  return g_steal_pointer (&item);
}

/**
 * cb_item_editor_show_error:
 * @self: an editor
 * @field: a field name ("countries", "part:background", ...); "id" and
 *   "kind" are shown at the number
 * @message: why the field was refused
 *
 * Marks the field's row as wrong, says @message under it and moves the
 * focus there. A field the form does not show is explained above the form.
 */
void
cb_item_editor_show_error (CbItemEditor *self,
                           const char   *field,
                           const char   *message)
{
  g_return_if_fail (CB_IS_ITEM_EDITOR (self));
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  show_error (self, field, message, TRUE);
}

/**
 * cb_item_editor_clear_errors:
 * @self: an editor
 *
 * Takes away every error shown.
 */
void
cb_item_editor_clear_errors (CbItemEditor *self)
{
  const char *fields[] = { "number", "title", "chapter", "section", "page", "countries", "interventions",
                           "design", "references" };

  g_return_if_fail (CB_IS_ITEM_EDITOR (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    clear_field_error (self, fields[i]);

  for (guint i = 0; i < self->parts->len; i++)
    {
      PartEditor *part = g_ptr_array_index (self->parts, i);
      g_autofree char *field = g_strconcat ("part:", part->name, NULL);

      clear_field_error (self, field);
    }

  gtk_label_set_label (self->problem_label, "");
  gtk_widget_set_visible (self->problem_group, FALSE);
}

/**
 * cb_item_editor_get_new_references:
 * @self: an editor
 *
 * Returns: (transfer none) (element-type CbReference): the references made
 *   with "New Reference…" since cb_item_editor_set_item(), to be saved
 *   before the item
 */
GPtrArray *
cb_item_editor_get_new_references (CbItemEditor *self)
{
  g_return_val_if_fail (CB_IS_ITEM_EDITOR (self), NULL);

  return self->new_references;
}

gboolean
cb_item_editor_get_modified (CbItemEditor *self)
{
  g_return_val_if_fail (CB_IS_ITEM_EDITOR (self), FALSE);

  return self->modified;
}
