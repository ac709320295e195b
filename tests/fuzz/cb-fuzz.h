/* cb-fuzz.h: what every libFuzzer target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create() */
#endif

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Finds the bundled data (schemas are built in; the taxonomy and the
 * bundled corpus are files) and makes warnings and criticals abort, so a
 * broken contract (a g_return_if_fail() that fires) is a finding. Parse
 * errors are GErrors and are expected. */
static inline void
cb_fuzz_init (void)
{
  g_setenv ("CASEBOOK_DATA_DIR", SOURCE_DATADIR, FALSE);
  g_setenv ("G_SLICE", "always-malloc", FALSE);
  g_setenv ("G_DEBUG", "fatal-criticals", FALSE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* With CB_FUZZ_VERBOSE set, says why an input was refused: to check that
 * the seeds get past the first checks. */
static inline void
cb_fuzz_refused (const char   *what,
                 const GError *error)
{
  if (g_getenv ("CB_FUZZ_VERBOSE") != NULL)
    g_printerr ("%s: %s\n", what, error ? error->message : "(no error)");
}

/* Stops with a message: libFuzzer keeps the input as a crash. */
#define cb_fuzz_fail(...) \
  G_STMT_START { \
    g_printerr ("fuzz oracle failed: "); \
    g_printerr (__VA_ARGS__); \
    g_printerr ("\n"); \
    abort (); \
  } G_STMT_END

/* TRUE for about one input in @n, always the same ones (FNV-1a of the
 * bytes): for checks too slow to make on every input */
static inline gboolean
cb_fuzz_sample (const uint8_t *data,
                size_t         size,
                guint          n)
{
  guint32 hash = 2166136261u;

  for (size_t i = 0; i < size; i++)
    hash = (hash ^ data[i]) * 16777619u;

  return hash % n == 0;
}

/* A file only this process sees, for readers that take a path: an
 * anonymous memory file named by /proc/self/fd/N, so nothing is ever left
 * on disk, whatever way the fuzzer stops. */
typedef struct {
  int   fd;
  char *path;
} CbFuzzFile;

static inline void
cb_fuzz_file_open (CbFuzzFile *file)
{
  file->fd = memfd_create ("casebook-fuzz", MFD_CLOEXEC);
  if (file->fd < 0)
    g_error ("memfd_create: %s", g_strerror (errno));
  file->path = g_strdup_printf ("/proc/self/fd/%d", file->fd);
  if (!g_file_test (file->path, G_FILE_TEST_EXISTS))
    g_error ("%s is not there: is /proc mounted?", file->path);
}

/* Replaces the file's contents with @data */
static inline void
cb_fuzz_file_set (CbFuzzFile *file,
                  const void *data,
                  size_t      size)
{
  const char *p = data;

  if (ftruncate (file->fd, 0) != 0)
    g_error ("ftruncate: %s", g_strerror (errno));
  for (off_t offset = 0; (size_t) offset < size;)
    {
      ssize_t n = pwrite (file->fd, p + offset, size - offset, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("pwrite: %s", g_strerror (errno));
      offset += n;
    }
}
