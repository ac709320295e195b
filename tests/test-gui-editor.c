/* test-gui-editor.c: the librarian's item editor and its New Reference
 * dialog, under a real display (Xvfb in the README's test command)
 *
 * Each test shows case study 4.2.4 of the bundled corpus in a window,
 * types, ticks and chooses as a librarian would, and checks the item the
 * editor gives back field by field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "cb-application.h"
#include "cb-corpus-xml.h"
#include "cb-error.h"
#include "cb-item-editor.h"
#include "cb-reference-dialog.h"
#include "cb-test-util.h"

#define ITEM_ID "case_study:4.2.4"

static gboolean have_display;
static CbCorpus *corpus;
static CbTaxonomy *taxonomy;

typedef struct {
  GtkWidget    *window;
  CbItemEditor *editor;
  CbItem       *item;
  guint         modified_notifies;
} Fixture;

/* Waiting */

#define flush_events cb_test_flush_events

/* Lets the window lay out and draw */
static void
settle (void)
{
  cb_test_run_for (50);
  flush_events ();
}

/* Finding widgets */

typedef gboolean (*WidgetPredicate) (GtkWidget *widget,
                                     gconstpointer data);

static GtkWidget *
find_widget (GtkWidget       *widget,
             WidgetPredicate  predicate,
             gconstpointer    data)
{
  if (predicate (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
find_row (gpointer    root,
          const char *title)
{
  GtkWidget *row = find_widget (GTK_WIDGET (root), is_row_titled, title);

  g_assert_nonnull (row);

  return row;
}

static GtkWidget *
find_type (gpointer root,
           GType    type)
{
  return find_widget (GTK_WIDGET (root), is_of_type, GSIZE_TO_POINTER (type));
}

/* The row that says why a field was refused comes right under the field */
static GtkLabel *
error_label_under (GtkWidget *row)
{
  GtkWidget *error_row = gtk_widget_get_next_sibling (row);

  g_assert_nonnull (error_row);

  return GTK_LABEL (find_type (error_row, GTK_TYPE_LABEL));
}

static gboolean
error_shown_under (GtkWidget *row)
{
  GtkWidget *error_row = gtk_widget_get_next_sibling (row);
  GtkWidget *label = GTK_WIDGET (error_label_under (row));

  return gtk_widget_get_visible (error_row) && gtk_widget_is_drawable (label) &&
         gtk_widget_has_css_class (label, "error") && *gtk_label_get_text (GTK_LABEL (label)) != '\0';
}

static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (text, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      collect_labels (child, text);
}

/* All the text the widget shows, until the next call */
static const char *
shown_text (GtkWidget *widget)
{
  static GString *text = NULL;

  if (text == NULL)
    text = g_string_new (NULL);
  g_string_truncate (text, 0);
  collect_labels (widget, text);

  return text->str;
}

/* A part's text says why it was refused under the text */
static gboolean
error_shown_in_part (GtkTextView *view,
                     const char  *message)
{
  GtkWidget *frame = gtk_widget_get_parent (GTK_WIDGET (view));
  GtkWidget *error_box = gtk_widget_get_next_sibling (frame);
  GtkWidget *label = find_type (error_box, GTK_TYPE_LABEL);

  return gtk_widget_get_visible (error_box) && gtk_widget_is_drawable (label) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), message) == 0;
}

static GtkTextView *
part_view (Fixture    *fixture,
           const char *label)
{
  GtkWidget *row = find_row (fixture->editor, label);
  GtkWidget *view = find_type (row, GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (view);

  return GTK_TEXT_VIEW (view);
}

static gboolean
focus_is_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static CbReferenceDialog *
find_reference_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CB_IS_REFERENCE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return CB_REFERENCE_DIALOG (window);
    }

  return NULL;
}

static gboolean
require_display (void)
{
  if (!have_display)
    g_test_skip ("no display");

  return have_display;
}

/* Fixture */

static void
on_modified (CbItemEditor *editor,
             GParamSpec   *pspec,
             Fixture      *fixture)
{
  fixture->modified_notifies++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!have_display)
    return;

  fixture->item = g_object_ref (cb_corpus_lookup_item (corpus, ITEM_ID));
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  fixture->editor = CB_ITEM_EDITOR (cb_item_editor_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->editor));
  cb_item_editor_set_item (fixture->editor, fixture->item, corpus, taxonomy, FALSE);
  g_signal_connect (fixture->editor, "notify::modified", G_CALLBACK (on_modified), fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
  settle ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  CbReferenceDialog *dialog;

  if (!have_display)
    return;

  while ((dialog = find_reference_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  /* Nothing keeps the editor alive once its window is gone */
  g_object_add_weak_pointer (G_OBJECT (fixture->editor), (gpointer *) &fixture->editor);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  settle ();
  g_assert_null (fixture->editor);
  g_clear_object (&fixture->item);
}

static CbItem *
dup_item_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  CbItem *item = cb_item_editor_dup_item (fixture->editor, &bad_field, &error);

  g_assert_no_error (error);
  g_assert_null (bad_field);
  g_assert_nonnull (item);

  return item;
}

static void
assert_field (CbItem     *item,
              const char *field,
              const char *expected)
{
  g_autofree char *value = cb_item_dup_field (item, field);

  g_assert_cmpstr (value, ==, expected);
}

/* Tests */

static void
test_unchanged (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CbItem) item = NULL;
  const char * const *names;

  if (!require_display ())
    return;

  item = dup_item_ok (fixture);
  g_assert_cmpstr (cb_item_get_id (item), ==, ITEM_ID);
  g_assert_cmpint (cb_item_get_kind (item), ==, CB_ITEM_KIND_CASE_STUDY);

  names = cb_item_get_field_names (fixture->item);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, g_strv_length ((char **) cb_item_get_field_names (item)));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *before = cb_item_dup_field (fixture->item, names[i]);
      g_autofree char *after = cb_item_dup_field (item, names[i]);

      g_assert_cmpstr (after, ==, before);
    }
  g_assert_true (cb_item_same_fields (item, fixture->item));

  g_assert_false (cb_item_editor_get_modified (fixture->editor));
  g_assert_cmpuint (fixture->modified_notifies, ==, 0);
  g_assert_cmpuint (cb_item_editor_get_new_references (fixture->editor)->len, ==, 0);

  /* The id is shown, not editable; the kind chooser is for new items */
  g_assert_true (gtk_widget_get_visible (find_row (fixture->editor, "Case study")));
  g_assert_false (gtk_widget_get_visible (find_row (fixture->editor, "Kind")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (fixture->editor, "Case study"))),
                   ==, ITEM_ID);
}

static void
test_title_and_country (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CbItem) item = NULL;
  GtkWidget *country_row;
  GtkWidget *check;

  if (!require_display ())
    return;

  gtk_editable_set_text (GTK_EDITABLE (find_row (fixture->editor, "Title")), "Cultural safety, not competency");
  g_assert_true (cb_item_editor_get_modified (fixture->editor));
  g_assert_cmpuint (fixture->modified_notifies, ==, 1);

  country_row = find_row (fixture->editor, "United Kingdom (GB)");
  check = find_type (country_row, GTK_TYPE_CHECK_BUTTON);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_cmpuint (fixture->modified_notifies, ==, 1);

  /* The countries row says what is chosen, in words */
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (find_row (fixture->editor, "Countries"))),
                            "United Kingdom"));

  item = dup_item_ok (fixture);
  assert_field (item, "title", "Cultural safety, not competency");
  assert_field (item, "countries", "INT, NZ, GB");
  assert_field (item, "interventions", "cultural-safety");
  assert_field (item, "page", "56");
  g_assert_true (cb_item_editor_get_modified (fixture->editor));

  /* Unticking takes the country away again */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_clear_object (&item);
  item = dup_item_ok (fixture);
  assert_field (item, "countries", "INT, NZ");
}

static void
test_page_not_a_number (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  g_autoptr(CbItem) item = NULL;
  GtkWidget *page_row;

  if (!require_display ())
    return;

  page_row = find_row (fixture->editor, "Page");

  g_assert_false (error_shown_under (page_row));

  gtk_editable_set_text (GTK_EDITABLE (page_row), "twelve");
  item = cb_item_editor_dup_item (fixture->editor, &bad_field, &error);
  g_assert_null (item);
  g_assert_cmpstr (bad_field, ==, "page");
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  settle ();

  /* Beside the field: the row is marked and a sentence under it says why */
  g_assert_true (gtk_widget_has_css_class (page_row, "error"));
  g_assert_true (error_shown_under (page_row));
  g_assert_cmpstr (gtk_label_get_text (error_label_under (page_row)), ==, error->message);
  g_assert_nonnull (strstr (gtk_label_get_text (error_label_under (page_row)), "twelve"));
  g_assert_true (focus_is_within (page_row));
  gtk_test_accessible_assert_state (page_row, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);

  /* Other fields are not blamed */
  g_assert_false (error_shown_under (find_row (fixture->editor, "Title")));

  /* Typing again takes the error away; a number is fine */
  gtk_editable_set_text (GTK_EDITABLE (page_row), "57");
  g_assert_false (gtk_widget_has_css_class (page_row, "error"));
  g_assert_false (error_shown_under (page_row));
  g_clear_object (&item);
  item = dup_item_ok (fixture);
  assert_field (item, "page", "57");
}

static void
test_show_error (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *message = "“XX” is not a country the taxonomy knows";
  GtkWidget *countries_row;

  if (!require_display ())
    return;

  countries_row = find_row (fixture->editor, "Countries");

  gtk_widget_grab_focus (find_row (fixture->editor, "Title"));
  cb_item_editor_show_error (fixture->editor, "countries", message);
  settle ();

  g_assert_true (gtk_widget_has_css_class (countries_row, "error"));
  g_assert_true (error_shown_under (countries_row));
  g_assert_cmpstr (gtk_label_get_text (error_label_under (countries_row)), ==, message);
  g_assert_true (focus_is_within (countries_row));

  /* A field refused for a part shows under the part's text */
  cb_item_editor_show_error (fixture->editor, "part:lessons_learned", "Line 2: a table row needs 3 cells");
  settle ();
  g_assert_true (focus_is_within (GTK_WIDGET (part_view (fixture, "Lessons learned"))));

  /* A field the form does not show is explained above it */
  cb_item_editor_show_error (fixture->editor, "status", "The status is “active” or “retired”");
  g_assert_nonnull (strstr (shown_text (GTK_WIDGET (fixture->editor)), "The status is “active” or “retired”"));

  cb_item_editor_clear_errors (fixture->editor);
  g_assert_null (strstr (shown_text (GTK_WIDGET (fixture->editor)), "The status is"));
  g_assert_false (gtk_widget_has_css_class (countries_row, "error"));
  g_assert_false (error_shown_under (countries_row));
  g_assert_false (cb_item_editor_get_modified (fixture->editor));
}

static void
test_part_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CbItem) item = NULL;
  GtkTextBuffer *buffer;
  CbPart *before;
  CbBlock *list_before;
  CbPart *after;
  CbBlock *list_after;
  CbBlock *last;
  g_autofree char *text = NULL;
  GtkTextIter end;

  if (!require_display ())
    return;

  buffer = gtk_text_view_get_buffer (part_view (fixture, "Key findings"));
  before = cb_item_get_part (fixture->item, "key_findings");
  list_before = g_ptr_array_index (before->blocks, before->blocks->len - 1);
  g_assert_cmpint (list_before->kind, ==, CB_BLOCK_LIST);

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "\n- new finding", -1);
  g_assert_true (cb_item_editor_get_modified (fixture->editor));

  item = dup_item_ok (fixture);
  after = cb_item_get_part (item, "key_findings");
  g_assert_cmpuint (after->blocks->len, ==, before->blocks->len);
  list_after = g_ptr_array_index (after->blocks, after->blocks->len - 1);
  g_assert_cmpint (list_after->kind, ==, CB_BLOCK_LIST);
  g_assert_cmpuint (list_after->children->len, ==, list_before->children->len + 1);
  last = g_ptr_array_index (list_after->children, list_after->children->len - 1);
  text = cb_spans_to_text (last->spans);
  g_assert_cmpstr (text, ==, "new finding");

  /* The other parts are as they were */
  g_assert_true (cb_part_equal (cb_item_get_part (item, "background"), cb_item_get_part (fixture->item, "background")));
}

static void
test_part_text_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  g_autoptr(CbItem) item = NULL;
  GtkTextView *view;

  if (!require_display ())
    return;

  view = part_view (fixture, "Lessons learned");

  /* A table whose rows do not have the same number of cells does not read */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "| a | b |\n|---|---|\n| c |", -1);
  item = cb_item_editor_dup_item (fixture->editor, &bad_field, &error);
  g_assert_null (item);
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_assert_cmpstr (bad_field, ==, "part:lessons_learned");
  settle ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (view), "error"));
  g_assert_true (focus_is_within (GTK_WIDGET (view)));
  g_assert_true (error_shown_in_part (view, error->message));

  /* Mending the text takes the error away */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "| a | b |\n|---|---|\n| c | d |", -1);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (view), "error"));
  g_clear_object (&item);
  item = dup_item_ok (fixture);
  g_assert_cmpint (((CbBlock *) g_ptr_array_index (cb_item_get_part (item, "lessons_learned")->blocks, 0))->kind,
                   ==, CB_BLOCK_TABLE);
}

static guint
choice_position (GtkDropDown *drop_down,
                 const char  *prefix)
{
  GListModel *model = gtk_drop_down_get_model (drop_down);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (model, i);

      if (g_str_has_prefix (gtk_string_object_get_string (string), prefix))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
test_references (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CbItem) item = NULL;
  GtkWidget *remove;
  GtkDropDown *drop_down;
  guint position;

  if (!require_display ())
    return;

  assert_field (fixture->item, "references", "reference:curtis2019");

  /* Each cited reference is a row with its link and a remove button */
  remove = find_widget (GTK_WIDGET (fixture->editor), is_action_button, "editor.remove-reference");
  g_assert_nonnull (remove);
  gtk_test_accessible_assert_property (remove, GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove reference");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_ancestor (remove, ADW_TYPE_ACTION_ROW))),
                            "10."));

  drop_down = GTK_DROP_DOWN (find_type (fixture->editor, GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (gtk_drop_down_get_selected (drop_down), ==, 0);
  /* What is cited is not offered again */
  g_assert_cmpuint (choice_position (drop_down, "Curtis 2019"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_true (gtk_drop_down_get_enable_search (drop_down));

  g_signal_emit_by_name (remove, "clicked");
  settle ();
  g_assert_null (find_widget (GTK_WIDGET (fixture->editor), is_action_button, "editor.remove-reference"));
  g_assert_true (cb_item_editor_get_modified (fixture->editor));
  g_assert_cmpuint (choice_position (drop_down, "Curtis 2019"), !=, GTK_INVALID_LIST_POSITION);

  position = choice_position (drop_down, "Priest 2015 · Promoting equality");
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (drop_down, position);
  settle ();

  /* Chosen, cited, and the chooser is ready for another */
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->editor), is_action_button, "editor.remove-reference"));
  g_assert_cmpuint (gtk_drop_down_get_selected (drop_down), ==, 0);
  g_assert_cmpuint (choice_position (drop_down, "Priest 2015"), ==, GTK_INVALID_LIST_POSITION);

  item = dup_item_ok (fixture);
  assert_field (item, "references", "reference:priest2015");
  g_assert_cmpuint (cb_item_editor_get_new_references (fixture->editor)->len, ==, 0);
}

static void
type_in (CbReferenceDialog *dialog,
         const char        *title,
         const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, title)), text);
}

static void
test_new_reference (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CbItem) item = NULL;
  CbReferenceDialog *dialog;
  GtkWidget *save;
  GtkWidget *doi_row;
  GPtrArray *new_references;
  CbReference *reference;
  g_autofree char *references = NULL;
  g_autofree char *expected = NULL;

  if (!require_display ())
    return;

  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.new-reference", NULL);
  settle ();
  dialog = find_reference_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  save = find_widget (GTK_WIDGET (dialog), is_action_button, "reference.save");
  g_assert_nonnull (save);

  /* Authors and title are required */
  g_assert_false (gtk_widget_get_sensitive (save));
  type_in (dialog, "Authors", "Williams, D.R.; Lawrence, J.A.; Davis, B.A.");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_in (dialog, "Year", "2019");
  type_in (dialog, "Title", "Understanding how discrimination can affect health");
  g_assert_true (gtk_widget_get_sensitive (save));
  type_in (dialog, "Journal or Publisher", "Health Services Research");
  type_in (dialog, "Volume", "54");
  type_in (dialog, "Pages", "1374-1388");

  /* A DOI is checked as it is typed */
  doi_row = find_row (dialog, "DOI");
  type_in (dialog, "DOI", "10.1234");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_false (cb_reference_dialog_get_valid (dialog));
  g_assert_null (cb_reference_dialog_dup_reference (dialog));
  settle ();
  g_assert_true (gtk_widget_has_css_class (doi_row, "error"));
  g_assert_true (error_shown_under (doi_row));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label_under (doi_row)), "10.1234"));

  type_in (dialog, "DOI", "10.1186/s12939-019-1082-3");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_has_css_class (doi_row, "error"));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_next_sibling (doi_row)));

  /* A year is four digits */
  type_in (dialog, "Year", "19");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (error_shown_under (find_row (dialog, "Year")));
  type_in (dialog, "Year", "2019");
  g_assert_true (gtk_widget_get_sensitive (save));

  expected = cb_reference_make_id (corpus, NULL, "Williams", "2019");
  g_signal_emit_by_name (save, "clicked");
  settle ();
  g_assert_null (find_reference_dialog ());

  new_references = cb_item_editor_get_new_references (fixture->editor);
  g_assert_cmpuint (new_references->len, ==, 1);
  reference = g_ptr_array_index (new_references, 0);
  g_assert_cmpstr (cb_reference_get_id (reference), ==, expected);
  g_assert_true (g_str_has_prefix (expected, "reference:williams2019"));
  g_assert_null (cb_corpus_lookup_reference (corpus, expected));
  g_assert_cmpstr (cb_reference_get_doi (reference), ==, "10.1186/s12939-019-1082-3");
  g_assert_cmpstr (cb_reference_get_title (reference), ==, "Understanding how discrimination can affect health");
  g_assert_cmpstr (cb_reference_get_container (reference), ==, "Health Services Research");
  g_assert_cmpstr (cb_reference_get_first_family (reference), ==, "Williams");
  g_assert_cmpuint (cb_reference_get_authors (reference)->len, ==, 3);
  g_assert_true (cb_item_editor_get_modified (fixture->editor));

  item = dup_item_ok (fixture);
  references = g_strdup_printf ("reference:curtis2019, %s", expected);
  assert_field (item, "references", references);
}

static void
test_reference_ids (void)
{
  g_autofree char *taken = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *accented = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) session = g_ptr_array_new_with_free_func (g_object_unref);
  CbReference *made = cb_reference_new ();

  /* curtis2019 is in the corpus: the next one gets a letter */
  g_assert_nonnull (cb_corpus_lookup_reference (corpus, "reference:curtis2019"));
  taken = cb_reference_make_id (corpus, NULL, "Curtis", "2019");
  g_assert_cmpstr (taken, ==, "reference:curtis2019a");

  fresh = cb_reference_make_id (corpus, NULL, "Zzyzx", "2031");
  g_assert_cmpstr (fresh, ==, "reference:zzyzx2031");

  accented = cb_reference_make_id (corpus, NULL, "Ó Súilleabháin-Smith", "2031");
  g_assert_cmpstr (accented, ==, "reference:osuilleabhainsmith2031");

  /* and ids made earlier in the session are taken too */
  cb_reference_set_id (made, "reference:zzyzx2031");
  g_ptr_array_add (session, made);
  next = cb_reference_make_id (corpus, session, "Zzyzx", "2031");
  g_assert_cmpstr (next, ==, "reference:zzyzx2031a");
}

static void
test_new_item (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CbItem) draft = cb_item_new ("case_study:new", CB_ITEM_KIND_CASE_STUDY);
  g_autoptr(CbItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_field = NULL;
  GtkWidget *kind_row;
  GtkWidget *chapter_row;
  GListModel *chapters;
  guint chapter_position = GTK_INVALID_LIST_POSITION;
  CbPart *part;

  if (!require_display ())
    return;

  cb_item_editor_set_item (fixture->editor, draft, corpus, taxonomy, TRUE);
  settle ();
  g_assert_false (cb_item_editor_get_modified (fixture->editor));

  kind_row = find_row (fixture->editor, "Kind");
  g_assert_true (gtk_widget_get_visible (kind_row));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (kind_row))), ==, 2);

  /* Without a number there is no id */
  item = cb_item_editor_dup_item (fixture->editor, &bad_field, &error);
  g_assert_null (item);
  g_assert_cmpstr (bad_field, ==, "number");
  g_assert_error (error, CB_ERROR, CB_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&bad_field, g_free);
  settle ();
  g_assert_true (error_shown_under (find_row (fixture->editor, "Number")));
  /* and a new item needs a title */
  g_assert_true (error_shown_under (find_row (fixture->editor, "Title")));

  adw_combo_row_set_selected (ADW_COMBO_ROW (kind_row), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind_row), 0);
  gtk_editable_set_text (GTK_EDITABLE (find_row (fixture->editor, "Number")), "4.2.9");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (kind_row)), ==, "Saved as case_study:4.2.9");
  gtk_editable_set_text (GTK_EDITABLE (find_row (fixture->editor, "Title")), "Peer support for international nurses");
  gtk_editable_set_text (GTK_EDITABLE (find_row (fixture->editor, "Section")), "4.2");

  chapter_row = find_row (fixture->editor, "Chapter");
  chapters = adw_combo_row_get_model (ADW_COMBO_ROW (chapter_row));
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (chapters, i);

      if (g_str_has_prefix (gtk_string_object_get_string (string), "4 · "))
        chapter_position = i;
    }
  g_assert_cmpuint (chapter_position, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (ADW_COMBO_ROW (chapter_row), chapter_position);

  /* A case study starts with no parts; any of the four can be added */
  g_assert_true (gtk_widget_get_visible (find_type (fixture->editor, GTK_TYPE_MENU_BUTTON)));
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.add-part", "s", "background");
  settle ();
  g_assert_true (focus_is_within (GTK_WIDGET (part_view (fixture, "Background"))));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (part_view (fixture, "Background")),
                            "A trust paired **new** nurses with peers.", -1);
  g_assert_true (cb_item_editor_get_modified (fixture->editor));

  item = dup_item_ok (fixture);
  g_assert_cmpstr (cb_item_get_id (item), ==, "case_study:4.2.9");
  g_assert_cmpint (cb_item_get_kind (item), ==, CB_ITEM_KIND_CASE_STUDY);
  assert_field (item, "number", "4.2.9");
  assert_field (item, "chapter", "4");
  assert_field (item, "section", "4.2");
  assert_field (item, "title", "Peer support for international nurses");
  g_assert_cmpuint (cb_item_get_parts (item)->len, ==, 1);
  part = cb_item_get_part (item, "background");
  g_assert_nonnull (part);
  g_assert_cmpuint (part->blocks->len, ==, 1);
  g_assert_cmpuint (((CbBlock *) g_ptr_array_index (part->blocks, 0))->spans->len, ==, 3);

  /* An inset box has a body instead */
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind_row), 1);
  g_clear_object (&item);
  item = dup_item_ok (fixture);
  g_assert_cmpstr (cb_item_get_id (item), ==, "inset_box:4.2.9");
}

/* Every control can be named by a screen reader */

static void
assert_labelled (GtkWidget *widget)
{
  /* A label, or a relation to the label that names it (libadwaita's rows
   * name themselves by their title that way) */
  gboolean labelled = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  if (!labelled && GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    labelled = *gtk_button_get_label (GTK_BUTTON (widget)) != '\0' && gtk_button_get_use_underline (GTK_BUTTON (widget));

  if (!labelled)
    g_error ("%s (%s) has no accessible label", G_OBJECT_TYPE_NAME (widget),
             GTK_IS_BUTTON (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget))
               ? gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) : "");
}

static guint
check_controls (GtkWidget *widget)
{
  guint n = 0;

  /* Controls made of smaller ones are named as a whole */
  if (ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget) || ADW_IS_EXPANDER_ROW (widget) ||
      GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget))
    {
      assert_labelled (widget);
      n++;
      if (!ADW_IS_EXPANDER_ROW (widget))
        return n;
    }
  else if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_TEXT_VIEW (widget) ||
           GTK_IS_EDITABLE (widget))
    {
      assert_labelled (widget);
      n++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += check_controls (child);

  return n;
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  CbReferenceDialog *dialog;

  if (!require_display ())
    return;

  /* 4 entries, 2 combos, 2 expanders + 11 countries + 22 interventions,
   * 1 menu button, 3 text views with their remove buttons, 1 reference,
   * the chooser */
  g_assert_cmpuint (check_controls (GTK_WIDGET (fixture->editor)), >=, 40);

  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.new-reference", NULL);
  settle ();
  dialog = find_reference_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpuint (check_controls (GTK_WIDGET (dialog)), >=, 11);
  gtk_window_close (GTK_WINDOW (dialog));
  settle ();
  g_assert_cmpuint (cb_item_editor_get_new_references (fixture->editor)->len, ==, 0);
  g_assert_false (cb_item_editor_get_modified (fixture->editor));
}

/* Tab goes through the whole form */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *targets[15];
  gboolean reached[G_N_ELEMENTS (targets)] = { FALSE, };
  guint n = 0;

  if (!require_display ())
    return;

  targets[n++] = find_row (fixture->editor, "Number");
  targets[n++] = find_row (fixture->editor, "Title");
  targets[n++] = find_row (fixture->editor, "Chapter");
  targets[n++] = find_row (fixture->editor, "Section");
  targets[n++] = find_row (fixture->editor, "Page");
  targets[n++] = find_row (fixture->editor, "Countries");
  targets[n++] = find_row (fixture->editor, "Intervention Types");
  targets[n++] = find_row (fixture->editor, "Study Design");
  targets[n++] = GTK_WIDGET (part_view (fixture, "Background"));
  targets[n++] = GTK_WIDGET (part_view (fixture, "Key findings"));
  targets[n++] = GTK_WIDGET (part_view (fixture, "Lessons learned"));
  targets[n++] = find_type (fixture->editor, GTK_TYPE_MENU_BUTTON);
  targets[n++] = find_widget (GTK_WIDGET (fixture->editor), is_action_button, "editor.remove-reference");
  targets[n++] = find_type (fixture->editor, GTK_TYPE_DROP_DOWN);
  targets[n++] = find_row (fixture->editor, "_New Reference…");
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (targets));

  gtk_widget_grab_focus (targets[0]);
  for (guint step = 0; step < 200; step++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
        reached[i] |= focus_is_within (targets[i]);

      g_assert_true (gtk_widget_child_focus (fixture->window, GTK_DIR_TAB_FORWARD) ||
                     gtk_widget_child_focus (fixture->window, GTK_DIR_TAB_FORWARD));
    }

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      if (!reached[i])
        g_error ("Tab never reaches target %u (%s)", i, G_OBJECT_TYPE_NAME (targets[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      cb_application_register_resources ();
    }

  path = g_build_filename (g_getenv ("CASEBOOK_DATA_DIR"), "corpus", "guide.xml", NULL);
  corpus = cb_corpus_read_file (path, &error);
  g_assert_no_error (error);
  taxonomy = cb_taxonomy_get_default (&error);
  g_assert_no_error (error);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/editor/unchanged", test_unchanged);
  ADD ("/editor/title-and-country", test_title_and_country);
  ADD ("/editor/page-not-a-number", test_page_not_a_number);
  ADD ("/editor/show-error", test_show_error);
  ADD ("/editor/part-text", test_part_text);
  ADD ("/editor/part-text-error", test_part_text_error);
  ADD ("/editor/references", test_references);
  ADD ("/editor/new-reference", test_new_reference);
  ADD ("/editor/new-item", test_new_item);
  ADD ("/editor/accessible", test_accessible);
  ADD ("/editor/keyboard", test_keyboard);
#undef ADD
  g_test_add_func ("/editor/reference-ids", test_reference_ids);

  return g_test_run ();
}
