/* casebook-gui-bench.c: how the window feels on a large corpus: the time
 * from a search to its results on screen, from choosing a result to its
 * text in the reading pane, and frame times while the results scroll. A
 * benchmark that prints its figures, not a test.
 *
 *   casebook-gui-bench --corpus FILE --db INDEX
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "cb-application.h"
#include "cb-window.h"

static const char *queries[] = {
  "h", "he", "hea", "heal", "healt", "health",
  "racism", "\"cultural safety\"", "equit*", "leadership staff", "oximeter", "kind:case training",
};

typedef struct {
  CbApplication *application;
  CbWindow      *window;
  GArray        *search_ms;
  GArray        *frame_ms;
  GArray        *open_ms;
  gint64         started;
  guint          opened;
  gint64         last_frame;
  guint          query;
  guint          scroll_tick;
  gint64         scroll_until;
} Bench;

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
static void start_scrolling (Bench *bench);

/* Opens the next of the first N_OPEN results as a click on it would */
static void
open_next (Bench *bench)
{
  CbSearchResults *results = cb_window_get_results (bench->window);

  if (bench->opened >= MIN (N_OPEN, cb_search_results_get_n_hits (results)))
    {
      printf ("\nChoosing a result to its text in the reading pane (%u items): p50 %.1f ms, max %.1f ms\n",
              bench->open_ms->len, percentile (bench->open_ms, 0.5), percentile (bench->open_ms, 1.0));
      start_scrolling (bench);
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

  /* The window's own first search is not one of ours */
  if (bench->started == 0 || bench->query == 0)
    return;

  g_array_append_val (bench->search_ms, ms);
  printf ("  %-22s %8.1f ms  %7u results\n", queries[bench->query - 1], ms,
          cb_search_results_get_n_hits (cb_window_get_results (window)));
  bench->started = 0;
  g_idle_add_once ((GSourceOnceFunc) next_query, bench);
}

static gboolean
scroll_step (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Bench *bench = user_data;
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (bench->last_frame != 0)
    {
      double ms = (now - bench->last_frame) / 1000.0;

      g_array_append_val (bench->frame_ms, ms);
    }
  bench->last_frame = now;

  /* A steady scroll, 40 pixels a frame */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 40);

  if (g_get_monotonic_time () < bench->scroll_until)
    return G_SOURCE_CONTINUE;

  printf ("\nScrolling the results (%u frames): frame interval p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
          bench->frame_ms->len, percentile (bench->frame_ms, 0.5), percentile (bench->frame_ms, 0.95),
          percentile (bench->frame_ms, 1.0));
  g_application_quit (G_APPLICATION (bench->application));

  return G_SOURCE_REMOVE;
}

static GtkWidget *
find_list (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget) && gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list (child);

      if (found != NULL)
        return found;
    }

  return NULL;
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
start_scrolling (Bench *bench)
{
  /* Scroll the results of the broadest query for three seconds */
  bench->started = 0;
  cb_window_set_search_text (bench->window, "health");
  bench->scroll_until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  gtk_widget_add_tick_callback (find_list (GTK_WIDGET (bench->window)), scroll_step, bench, NULL);
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
  bench.frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.application = cb_application_new ();
  g_application_set_flags (G_APPLICATION (bench.application), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (bench.application, "activate", G_CALLBACK (on_activate), &bench);

  bench.started = g_get_monotonic_time ();
  status = g_application_run (G_APPLICATION (bench.application), argc, argv);

  g_object_unref (bench.application);
  g_array_unref (bench.search_ms);
  g_array_unref (bench.frame_ms);
  g_array_unref (bench.open_ms);

  return status;
}
