/* casebook-gui-bench.c: how the window feels on a large corpus: the time
 * from a search to its results on screen, from choosing a result to its
 * text in the reading pane, frame intervals while a search is typed a key
 * at a time and from the last key to its results, and frame intervals
 * while the results scroll, beside those of a plain GtkListView of as many
 * one-line rows scrolled the same way in the same run (the floor that this
 * machine's renderer sets). A benchmark that prints its figures, not a
 * test.
 *
 *   casebook-gui-bench --corpus FILE --db INDEX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>

#include "cb-application.h"
#include "../cb-test-gui.h"
#include "cb-window.h"

static const char *queries[] = {
  "h", "he", "hea", "heal", "healt", "health",
  "racism", "\"cultural safety\"", "equit*", "leadership staff", "oximeter", "kind:case training",
};

/* Typed a key at a time, at five keys a second */
static const char typed_text[] = "leadership";
#define KEY_INTERVAL_MS 200

typedef struct _Bench Bench;
typedef void (*BenchStep) (Bench *bench);

struct _Bench {
  CbApplication *application;
  CbWindow      *window;
  GArray        *search_ms;
  GArray        *open_ms;
  GArray        *typing_ms;
  GArray        *frame_ms;
  GArray        *plain_ms;
  gint64         started;
  guint          opened;
  guint          query;

  /* Frames counted by a tick callback into one of the arrays above */
  GArray        *frames;
  gint64         last_frame;
  gint64         frames_until;
  BenchStep      after_frames;

  /* Typing */
  GtkEditable   *entry;
  guint          typed;
  gint64         last_key;
  double         key_to_results;

  gboolean       scroll_pending;

  GtkWidget     *plain_window;
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  if (values->len == 0)
    return 0;

  g_array_sort (values, compare_doubles);
  index = MIN (values->len - 1, (guint) (p * (values->len - 1) + 0.5));

  return g_array_index (values, double, index);
}

#define N_OPEN 10

static void next_query (Bench *bench);
static void start_typing (Bench *bench);
static void scroll_plain_list (Bench *bench);
static void count_frames (Bench *bench, GtkWidget *widget, gboolean scroll, GArray *frames, double seconds,
                          BenchStep after);

/* Opens the next of the first N_OPEN results as a click on it would */
static void
open_next (Bench *bench)
{
  CbSearchResults *results = cb_window_get_results (bench->window);

  if (bench->opened >= MIN (N_OPEN, cb_search_results_get_n_hits (results)))
    {
      printf ("\nChoosing a result to its text in the reading pane (%u items): p50 %.1f ms, max %.1f ms\n",
              bench->open_ms->len, percentile (bench->open_ms, 0.5), percentile (bench->open_ms, 1.0));
      start_typing (bench);
      return;
    }

  bench->started = g_get_monotonic_time ();
  cb_window_select_item (bench->window, cb_search_results_get_id (results, bench->opened++));
}

static void
on_item_shown (CbWindow   *window,
               const char *id,
               Bench      *bench)
{
  double ms = (g_get_monotonic_time () - bench->started) / 1000.0;

  if (bench->started == 0 || bench->opened == 0)
    return;

  g_array_append_val (bench->open_ms, ms);
  bench->started = 0;
  g_idle_add_once ((GSourceOnceFunc) open_next, bench);
}

static void
on_search_finished (CbWindow *window,
                    Bench    *bench)
{
  double ms = (g_get_monotonic_time () - bench->started) / 1000.0;

  CbQuery *query = cb_search_results_get_query (cb_window_get_results (window));

  /* The last key's search, when typing */
  if (bench->last_key != 0 && bench->key_to_results == 0
      && g_strcmp0 (cb_query_get_text (query), typed_text) == 0)
    {
      bench->key_to_results = (g_get_monotonic_time () - bench->last_key) / 1000.0;
      return;
    }

  if (bench->scroll_pending && g_strcmp0 (cb_query_get_text (query), "health") == 0)
    {
      bench->scroll_pending = FALSE;
      count_frames (bench, cb_test_find_widget (GTK_WIDGET (bench->window), GTK_TYPE_LIST_VIEW, TRUE), TRUE, bench->frame_ms, 3,
                    scroll_plain_list);
      return;
    }

  /* The window's own first search is not one of ours */
  if (bench->started == 0 || bench->query == 0)
    return;

  g_array_append_val (bench->search_ms, ms);
  printf ("  %-22s %8.1f ms  %7u results\n", queries[bench->query - 1], ms,
          cb_search_results_get_n_hits (cb_window_get_results (window)));
  bench->started = 0;
  g_idle_add_once ((GSourceOnceFunc) next_query, bench);
}

/* Records the interval between frames of @widget's frame clock into
 * bench->frames until bench->frames_until, then calls bench->after_frames.
 * A frame that the main loop could not start in time shows as a long
 * interval. With @scroll, moves the list @widget down 40 pixels a frame */
static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Bench *bench = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gboolean scroll = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "bench-scroll"));

  if (bench->last_frame != 0)
    {
      double ms = (now - bench->last_frame) / 1000.0;

      g_array_append_val (bench->frames, ms);
    }
  bench->last_frame = now;

  /* From the second frame on: the list lays out new results in the first */
  if (scroll && bench->frames->len > 0)
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 40);
    }

  if (g_get_monotonic_time () < bench->frames_until)
    return G_SOURCE_CONTINUE;

  bench->last_frame = 0;
  g_idle_add_once ((GSourceOnceFunc) bench->after_frames, bench);

  return G_SOURCE_REMOVE;
}

static void
count_frames (Bench     *bench,
              GtkWidget *widget,
              gboolean   scroll,
              GArray    *frames,
              double     seconds,
              BenchStep  after)
{
  g_object_set_data (G_OBJECT (widget), "bench-scroll", GINT_TO_POINTER (scroll));
  bench->frames = frames;
  bench->frames_until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  bench->after_frames = after;
  gtk_widget_add_tick_callback (widget, count_frame, bench, NULL);
}


static void
print_frames (const char *what,
              GArray     *frames)
{
  printf ("%s (%u frames): frame interval p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", what, frames->len,
          percentile (frames, 0.5), percentile (frames, 0.95), percentile (frames, 1.0));
}

static void
finish (Bench *bench)
{
  print_frames ("A plain GtkListView of as many one-line rows, scrolled the same way", bench->plain_ms);
  if (bench->frame_ms->len > 0 && bench->plain_ms->len > 0)
    printf ("Scrolling, ours / plain list: p50 %.2fx, p95 %.2fx\n",
            percentile (bench->frame_ms, 0.5) / percentile (bench->plain_ms, 0.5),
            percentile (bench->frame_ms, 0.95) / percentile (bench->plain_ms, 0.95));
  gtk_window_destroy (GTK_WINDOW (bench->plain_window));
  g_application_quit (G_APPLICATION (bench->application));
}

static void
setup_plain_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
bind_plain_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (string));
}

/* The baseline: a window of the same size with a plain list of as many
 * rows, scrolled the same way (a software renderer's frame time grows with
 * the window's area) */
static void
scroll_plain_list (Bench *bench)
{
  guint n = cb_search_results_get_n_hits (cb_window_get_results (bench->window));
  GtkStringList *strings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *plain;
  char **labels = g_new0 (char *, n + 1);

  print_frames ("\nScrolling the results of \"health\"", bench->frame_ms);

  for (guint i = 0; i < n; i++)
    labels[i] = g_strdup_printf ("Result %u of %u", i + 1, n);
  gtk_string_list_splice (strings, 0, 0, (const char * const *) labels);
  g_strfreev (labels);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_plain_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_plain_row), NULL);
  plain = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (strings))), factory);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), plain);

  bench->plain_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (bench->plain_window), gtk_widget_get_width (GTK_WIDGET (bench->window)),
                               gtk_widget_get_height (GTK_WIDGET (bench->window)));
  gtk_window_set_child (GTK_WINDOW (bench->plain_window), scroller);
  gtk_window_present (GTK_WINDOW (bench->plain_window));

  count_frames (bench, plain, TRUE, bench->plain_ms, 3, finish);
}

static void
scroll_results (Bench *bench)
{
  /* Scroll the results of the broadest query for three seconds, once
   * they show */
  bench->scroll_pending = TRUE;
  cb_window_set_search_text (bench->window, "health");
}

static void
typing_done (Bench *bench)
{
  print_frames ("\nTyping \"leadership\" at five keys a second, a search after each key", bench->typing_ms);
  printf ("From the last key to its results shown: %.1f ms\n", bench->key_to_results);
  scroll_results (bench);
}

static gboolean
type_key (gpointer user_data)
{
  Bench *bench = user_data;
  int position = gtk_editable_get_position (bench->entry);

  gtk_editable_insert_text (bench->entry, typed_text + bench->typed, 1, &position);
  gtk_editable_set_position (bench->entry, position);
  bench->last_key = g_get_monotonic_time ();

  return ++bench->typed < strlen (typed_text) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Types into the search box as a person would, with the search entry's own
 * delay and the window's own searches, and counts frames all the while */
static void
start_typing (Bench *bench)
{
  double seconds = (strlen (typed_text) * KEY_INTERVAL_MS + 1500) / 1000.0;

  bench->entry = GTK_EDITABLE (cb_test_find_widget (GTK_WIDGET (bench->window), GTK_TYPE_SEARCH_ENTRY, TRUE));
  cb_window_set_search_text (bench->window, "");
  gtk_widget_grab_focus (GTK_WIDGET (bench->entry));
  g_timeout_add (KEY_INTERVAL_MS, type_key, bench);
  count_frames (bench, GTK_WIDGET (bench->window), FALSE, bench->typing_ms, seconds, typing_done);
}

static void
next_query (Bench *bench)
{
  if (bench->query < G_N_ELEMENTS (queries))
    {
      bench->started = g_get_monotonic_time ();
      cb_window_set_search_text (bench->window, queries[bench->query++]);
      return;
    }

  printf ("\nSearch to results shown: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
          percentile (bench->search_ms, 0.5), percentile (bench->search_ms, 0.95),
          percentile (bench->search_ms, 1.0));

  /* Then open the first results of the last query */
  bench->started = 0;
  open_next (bench);
}

static void
on_store (CbWindow   *window,
          GParamSpec *pspec,
          Bench      *bench)
{
  double ms = (g_get_monotonic_time () - bench->started) / 1000.0;

  if (cb_window_get_store (window) == NULL)
    return;

  printf ("Start to index ready: %.0f ms\n\nSearch to results shown (each search replaces the last):\n", ms);
  bench->started = 0;
  g_timeout_add_once (500, (GSourceOnceFunc) next_query, bench);
}

static void
on_activate (GApplication *application,
             Bench        *bench)
{
  bench->window = CB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_signal_connect (bench->window, "search-finished", G_CALLBACK (on_search_finished), bench);
  g_signal_connect (bench->window, "notify::store", G_CALLBACK (on_store), bench);
  g_signal_connect (bench->window, "item-shown", G_CALLBACK (on_item_shown), bench);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  int status;

  bench.search_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.typing_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.plain_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.application = cb_application_new ();
  g_application_set_flags (G_APPLICATION (bench.application), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (bench.application, "activate", G_CALLBACK (on_activate), &bench);

  bench.started = g_get_monotonic_time ();
  status = g_application_run (G_APPLICATION (bench.application), argc, argv);

  g_object_unref (bench.application);
  g_array_unref (bench.search_ms);
  g_array_unref (bench.open_ms);
  g_array_unref (bench.typing_ms);
  g_array_unref (bench.frame_ms);
  g_array_unref (bench.plain_ms);

  return status;
}
