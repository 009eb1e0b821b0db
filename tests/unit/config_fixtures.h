/* Shared fixtures for the config tests (test_config.c,
   test_config_validate.c): each test runs in a fresh temporary directory
   (its cwd), so paths in messages are short and relative. */
#ifndef EXD_TEST_CONFIG_FIXTURES_H
#define EXD_TEST_CONFIG_FIXTURES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg_yaml.h"
#include "config.h"
#include "date.h"

#define FIXTURE __attribute__((unused)) static

FIXTURE char g_old_cwd[PATH_MAX];
FIXTURE char g_dir[64];

FIXTURE int rm_entry(const char *p, const struct stat *st, int flag,
                     struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(p);
}

FIXTURE int setup(void **state) {
  (void)state;
  if (!getcwd(g_old_cwd, sizeof(g_old_cwd))) return -1;
  snprintf(g_dir, sizeof(g_dir), "/tmp/exd-test-config-XXXXXX");
  if (!mkdtemp(g_dir) || chdir(g_dir) != 0) return -1;
  return 0;
}

FIXTURE int teardown(void **state) {
  (void)state;
  if (chdir(g_old_cwd) != 0) return -1;
  return nftw(g_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write text to rel (relative to the test's directory), creating parents. */
FIXTURE void write_file(const char *rel, const char *text) {
  char *p = xstrdup(rel);
  for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    mkdir(p, 0755);
    *s = '/';
  }
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  free(p);
}

FIXTURE exd_config *load_ok(const char *path) {
  exd_config *cfg = NULL;
  char *err = NULL;
  int rc = cfg_load(path, &cfg, &err);
  if (rc != 0) fprintf(stderr, "unexpected errors:\n%s", err ? err : "");
  assert_int_equal(rc, 0);
  assert_null(err);
  return cfg;
}

/* Load path, expect failure with exactly msg. */
FIXTURE void load_fails(const char *path, const char *msg) {
  exd_config *cfg = (exd_config *)0x1;
  char *err = NULL;
  int rc = cfg_load(path, &cfg, &err);
  assert_int_equal(rc, EXD_ECONFIG);
  assert_ptr_equal(cfg, (exd_config *)0x1); /* *out untouched */
  assert_non_null(err);
  assert_string_equal(err, msg);
  free(err);
}

FIXTURE exd_config *string_ok(const char *text) {
  exd_config *cfg = NULL;
  char *err = NULL;
  int rc = cfg_load_string("s.yaml", text, strlen(text), &cfg, &err);
  if (rc != 0) fprintf(stderr, "unexpected errors:\n%s", err ? err : "");
  assert_int_equal(rc, 0);
  return cfg;
}

FIXTURE void string_fails(const char *text, const char *msg) {
  exd_config *cfg = NULL;
  char *err = NULL;
  int rc = cfg_load_string("s.yaml", text, strlen(text), &cfg, &err);
  assert_int_equal(rc, EXD_ECONFIG);
  assert_null(cfg);
  assert_non_null(err);
  assert_string_equal(err, msg);
  free(err);
}

/* A plugin-style key table exercising every type. */
static const char *const modes[] = {"fast", "safe", NULL};
static const exd_config_key tuning_keys[] = {
    {"depth", EXD_CFG_INT, 0, "3", "search depth", NULL, 0, 1, 9, NULL},
    {"label", EXD_CFG_STRING, 0, NULL, "a label", NULL, 0, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
static const exd_config_key plug_keys[] = {
    {"path", EXD_CFG_PATH, EXD_CFG_REQUIRED, NULL, "input file", NULL, 0, 0, 0,
     NULL},
    {"token", EXD_CFG_STRING, EXD_CFG_SECRET, NULL, "API token", NULL, 0, 0, 0,
     NULL},
    {"mode", EXD_CFG_STRING, 0, "fast", "fast or safe", NULL, 0, 0, 0, modes},
    {"retries", EXD_CFG_INT, 0, "2", "retries", NULL, 0, 0, 10, NULL},
    {"ratio", EXD_CFG_DOUBLE, 0, NULL, "a ratio", NULL, 0, 0, 1, NULL},
    {"verbose", EXD_CFG_BOOL, 0, "false", "say more", NULL, 0, 0, 0, NULL},
    {"since", EXD_CFG_DATE, 0, NULL, "start date", NULL, 0, 0, 0, NULL},
    {"tuning", EXD_CFG_MAP, 0, NULL, "knobs", tuning_keys, 0, 0, 0, NULL},
    {"labels", EXD_CFG_MAP, 0, NULL, "labels", NULL, EXD_CFG_STRING, 0, 0,
     NULL},
    {"limits", EXD_CFG_MAP, 0, NULL, "limits", NULL, EXD_CFG_INT, 0, 100, NULL},
    {"groups", EXD_CFG_MAP, 0, NULL, "groups", NULL, EXD_CFG_MAP, 0, 0, NULL},
    {"files", EXD_CFG_LIST, 0, NULL, "more inputs", NULL, EXD_CFG_PATH, 0, 0,
     NULL},
    {"extra", EXD_CFG_MAP, 0, NULL, "anything", NULL, 0, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

/* Parse text as file and validate it against table with a minimal
   exd_config (only the arena), the way the mock host does. */
typedef struct vres {
  exd_config cfg;
  exd_node *root;
  sb errs;
  int rc;
} vres;

FIXTURE vres *validate_text(const char *file, const char *text,
                            const exd_config_key *table) {
  vres *r = calloc(1, sizeof(*r));
  r->cfg.arena = cfg_arena_new();
  const char *f = arena_strdup(r->cfg.arena, file);
  assert_int_equal(
      yaml_parse(r->cfg.arena, f, text, strlen(text), &r->root, &r->errs), 0);
  if (!r->root) r->root = node_new(r->cfg.arena, EXD_NODE_MAP, f, 1, 1);
  r->rc = cfg_validate(&r->cfg, r->root, table, &r->errs);
  return r;
}

FIXTURE void vres_free(vres *r) {
  sb_free(&r->errs);
  cfg_arena_free(r->cfg.arena);
  free(r);
}

FIXTURE void validate_fails(const char *text, const char *msg) {
  vres *r = validate_text("p.yaml", text, plug_keys);
  assert_int_equal(r->rc, EXD_ECONFIG);
  assert_string_equal(sb_str(&r->errs), msg);
  vres_free(r);
}

#endif
