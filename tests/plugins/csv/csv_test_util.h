/*
 * Helpers shared by the csv plugin tests (header-only: each test binary is
 * one .c file). A scratch directory per binary holds the CSV files and is
 * the directory of the config file, so `dir` defaults to it.
 */
#ifndef CSV_TEST_UTIL_H
#define CSV_TEST_UTIL_H

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "expansiond/plugin.h"
#include "mock_host.h"
#include "util.h"

extern const exd_plugin expansiond_plugin;

static char tdir[256]; /* scratch directory */
static char tcfg[320]; /* tdir/t.yaml: the config file's name */

static inline int rm_entry(const char *path, const struct stat *st, int flag,
                           struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

static inline int tdir_setup(void **state) {
  (void)state;
  snprintf(tdir, sizeof(tdir), "/tmp/exd-csv-test.XXXXXX");
  if (!mkdtemp(tdir)) return -1;
  snprintf(tcfg, sizeof(tcfg), "%s/t.yaml", tdir);
  return 0;
}

static inline int tdir_teardown(void **state) {
  (void)state;
  return nftw(tdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void write_file(const char *name, const char *text) {
  char path[600];
  snprintf(path, sizeof(path), "%s/%s", tdir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
  fclose(f);
}

typedef struct crun {
  mock_host *m;
  void *st;
  int init_rc;
} crun;

/* Validate yaml (positions as tcfg, or name when given) and init. */
static inline crun crun_init_as(const char *yaml, const char *name) {
  crun r = {0};
  r.m = mock_host_new(yaml, name ? name : tcfg, expansiond_plugin.config_keys);
  r.init_rc = EXD_ECONFIG;
  if (!*mock_config_errors(r.m))
    r.init_rc =
        expansiond_plugin.init(mock_api(r.m), mock_instance(r.m), &r.st);
  return r;
}

/* Init, collect, run the loop; asserts collect_done was called once. */
static inline crun crun_collect(const char *yaml) {
  crun r = crun_init_as(yaml, NULL);
  if (r.init_rc) print_message("config errors:\n%s", mock_config_errors(r.m));
  assert_int_equal(r.init_rc, 0);
  assert_int_equal(expansiond_plugin.collect(r.st, mock_collect(r.m)), 0);
  mock_run_deferred(r.m);
  assert_int_equal(mock_collect_done_calls(r.m), 1);
  return r;
}

static inline void crun_free(crun *r) {
  if (r->st) expansiond_plugin.destroy(r->st);
  mock_host_free(r->m);
}

/* All data errors, one per line. Caller frees. */
static inline char *data_errors(const mock_host *m) {
  sb b = {0};
  sb_put(&b, "");
  for (size_t i = 0; i < mock_n_data_errors(m); i++) {
    sb_put(&b, mock_data_error(m, i));
    sb_putc(&b, '\n');
  }
  return sb_steal(&b);
}

#define ASSERT_DATA_ERRORS(m, expected)                                        \
  do {                                                                         \
    char *e_ = data_errors(m);                                                 \
    assert_string_equal(e_, expected);                                         \
    free(e_);                                                                  \
  } while (0)

static inline const exd_record *rec(const mock_host *m, size_t i) {
  const exd_record *r = mock_record(m, i);
  assert_non_null(r);
  return r;
}

#endif
