/*
 * The config error corpus (tests/config/README.md): every broken config in
 * tests/config/bad must fail with exactly the text of its .expected file,
 * every message must start FILE:LINE:COL: at a real position of that file,
 * and every config in tests/config/good must load.
 *
 * Runs from the source tree ($EXD_SRC, else the current directory) so paths
 * in messages are "tests/config/bad/NN-name.yaml". Instances of the plugin
 * "testplug" get their config validated against testplug_keys below, as the
 * host does with a real plugin's table after loading the config.
 *
 * With EXD_CORPUS_ACTUAL=DIR set, the actual text of each failing case is
 * written to DIR/NAME.actual (to review and update .expected files).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#define BAD_DIR "tests/config/bad"
#define GOOD_DIR "tests/config/good"

static const char *const testplug_modes[] = {"fast", "safe", NULL};
static const exd_config_key testplug_keys[] = {
    {"path", EXD_CFG_PATH, EXD_CFG_REQUIRED, NULL, "input file", NULL, 0, 0, 0,
     NULL},
    {"token", EXD_CFG_STRING, EXD_CFG_SECRET, NULL, "API token", NULL, 0, 0, 0,
     NULL},
    {"mode", EXD_CFG_STRING, 0, "fast", "fast or safe", NULL, 0, 0, 0,
     testplug_modes},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

typedef struct corpus_case {
  char *name;     /* "NN-short-name" */
  char *path;     /* the file to load */
  char *expected; /* its .expected file */
} corpus_case;

static int g_in_tree = 0;

/* Load path as the daemon's `check` would: the config, then every testplug
   instance's config. Returns 0 and sets *cfg_out, or the error text. */
static char *check_config(const char *path, exd_config **cfg_out) {
  exd_config *cfg = NULL;
  char *err = NULL;
  if (cfg_load(path, &cfg, &err) != 0) return err ? err : xstrdup("?\n");
  sb errs = {0};
  cfg_instance *lists[2] = {cfg->sources, cfg->sinks};
  size_t counts[2] = {cfg->n_sources, cfg->n_sinks};
  for (int l = 0; l < 2; l++)
    for (size_t i = 0; i < counts[l]; i++)
      if (lists[l][i].plugin && !strcmp(lists[l][i].plugin, "testplug"))
        cfg_validate(cfg, lists[l][i].config, testplug_keys, &errs);
  if (errs.len) {
    cfg_free(cfg);
    return sb_steal(&errs);
  }
  sb_free(&errs);
  *cfg_out = cfg;
  return NULL;
}

static char *slurp(const char *path) {
  char *text = NULL;
  size_t len = 0;
  if (read_file(path, &text, &len) != 0) return NULL;
  return text;
}

/* Lines of text (1-based); NULL when beyond. Length in characters. */
static int line_chars(const char *text, int line, int *chars) {
  const char *p = text;
  for (int l = 1; l < line; l++) {
    p = strchr(p, '\n');
    if (!p) return -1;
    p++;
  }
  int n = 0;
  for (; *p && *p != '\n'; p++)
    if (((unsigned char)*p & 0xC0) != 0x80) n++;
  *chars = n;
  return 0;
}

/* Each message line is "FILE:LINE:COL: text" with FILE a file of the case
   and LINE:COL inside it (COL may be one past the end of the line, and
   LINE one past the last line, for errors at the end of input). */
static void check_positions(const corpus_case *c, const char *errs) {
  char *copy = xstrdup(errs);
  for (char *ln = strtok(copy, "\n"); ln; ln = strtok(NULL, "\n")) {
    char file[512];
    int line = 0, col = 0, used = 0;
    if (sscanf(ln, "%511[^:]:%d:%d: %n", file, &line, &col, &used) != 3 ||
        used == 0)
      fail_msg("%s: message without FILE:LINE:COL: '%s'", c->name, ln);
    assert_true(strncmp(file, c->path, strlen(BAD_DIR)) == 0);
    char *text = slurp(file);
    if (!text)
      fail_msg("%s: message names unreadable file '%s'", c->name, file);
    int chars = 0;
    size_t n_lines = 0;
    for (const char *p = text; *p; p++)
      n_lines += *p == '\n';
    assert_true(line >= 1 && (size_t)line <= n_lines + 1);
    if ((size_t)line <= n_lines) {
      assert_int_equal(line_chars(text, line, &chars), 0);
      if (col < 1 || col > chars + 1)
        fail_msg("%s: column %d outside line %d (%d chars): '%s'", c->name, col,
                 line, chars, ln);
    }
    free(text);
  }
  free(copy);
}

static void test_bad_case(void **state) {
  const corpus_case *c = *state;
  exd_config *cfg = NULL;
  char *actual = check_config(c->path, &cfg);
  if (!actual) {
    cfg_free(cfg);
    fail_msg("%s: loaded without error", c->name);
  }
  char *expected = slurp(c->expected);
  const char *dump_dir = getenv("EXD_CORPUS_ACTUAL");
  if (dump_dir && (!expected || strcmp(actual, expected) != 0)) {
    char *p = xasprintf("%s/%s.actual", dump_dir, c->name);
    FILE *f = fopen(p, "w");
    if (f) {
      fputs(actual, f);
      fclose(f);
    }
    free(p);
  }
  if (!expected) fail_msg("%s: no %s", c->name, c->expected);
  assert_string_equal(actual, expected);
  check_positions(c, actual);
  free(expected);
  free(actual);
}

static void test_good_case(void **state) {
  const corpus_case *c = *state;
  exd_config *cfg = NULL;
  char *err = check_config(c->path, &cfg);
  if (err) fail_msg("%s:\n%s", c->name, err);
  /* The effective config prints and reads back. */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cfg_dump(cfg, f);
  fclose(f);
  exd_config *again = NULL;
  char *err2 = NULL;
  if (cfg_load_string("dump.yaml", buf, len, &again, &err2) != 0)
    fail_msg("%s: dump does not re-load:\n%s\n%s", c->name, err2, buf);
  assert_int_equal(again->n_sources, cfg->n_sources);
  assert_int_equal(again->n_sinks, cfg->n_sinks);
  cfg_free(again);
  free(buf);
  cfg_free(cfg);
}

/* Specific facts about the good configs. */
static void test_good_details(void **state) {
  (void)state;
  if (!g_in_tree) skip();
  exd_config *cfg = NULL;
  assert_null(check_config(GOOD_DIR "/full.yaml", &cfg));
  assert_int_equal(cfg->n_files, 2);
  assert_string_equal(cfg->files[1], GOOD_DIR "/full.d/10-more.yaml");
  assert_string_equal(cfg->plugin_dir, GOOD_DIR "/../../../build/plugins");
  assert_int_equal(cfg->n_sources, 2);
  assert_int_equal(cfg->n_sinks, 2);
  assert_string_equal(cfg->sinks[1].name, "csv-out");
  assert_string_equal(cfg_get_str(cfg->sinks[1].config, "path", NULL),
                      "out/ranked.csv"); /* jsonl validates its own keys */
  const exd_node *tp = cfg->sources[1].config;
  assert_int_equal(cfg->sources[1].enabled, 0);
  assert_string_equal(cfg_get_str(tp, "token", NULL), "tok-123");
  assert_int_equal(cfg_get(tp, "token")->secret, 1);
  assert_string_equal(cfg_get_str(tp, "path", NULL),
                      GOOD_DIR "/data/accounts.csv");
  assert_int_equal(cfg->catalogue->n, 3);
  assert_int_equal(cfg_get_int(cfg->output, "top", 0), 25);
  cfg_free(cfg);

  cfg = NULL;
  assert_null(check_config(GOOD_DIR "/with-conf-d/main.yaml", &cfg));
  assert_int_equal(cfg->n_files, 3);
  assert_string_equal(cfg->files[2],
                      GOOD_DIR "/with-conf-d/conf.d/20-scoring.yml");
  assert_int_equal(cfg->n_sources, 2);
  assert_string_equal(cfg->sources[1].name, "crm");
  assert_true(cfg_get_double(cfg_get(cfg->scoring, "weights"), "health", 0) ==
              0.5);
  cfg_free(cfg);

  cfg = NULL;
  assert_null(check_config(GOOD_DIR "/env-defaults.yaml", &cfg));
  assert_int_equal(cfg->log_level, EXD_LOG_WARN);
  assert_string_equal(cfg_get_str(cfg->sources[0].config, "path", NULL),
                      "data/accounts.csv");
  assert_string_equal(cfg_get_str(cfg->sources[0].config, "note", NULL),
                      "price in $");
  cfg_free(cfg);
}

static int cmp_case(const void *a, const void *b) {
  return strcmp(((const corpus_case *)a)->name, ((const corpus_case *)b)->name);
}

/* Cases in dir: NAME.yaml files and NAME/ directories (NAME/main.yaml). */
static size_t find_cases(const char *dir, corpus_case **out, int bad) {
  VEC(corpus_case) v = {0};
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL) {
    const char *n = de->d_name;
    corpus_case c = {0};
    struct stat st;
    char *full = xasprintf("%s/%s", dir, n);
    int ok = n[0] != '.' && stat(full, &st) == 0;
    free(full);
    if (!ok) continue;
    if (S_ISDIR(st.st_mode)) {
      if (!bad && !strcmp(n, "full.d")) continue;
      c.name = xstrdup(n);
      c.path = xasprintf("%s/%s/main.yaml", dir, n);
    } else if (str_has_suffix(n, ".yaml")) {
      c.name = xstrndup(n, strlen(n) - 5);
      c.path = xasprintf("%s/%s", dir, n);
    } else {
      continue;
    }
    c.expected = xasprintf("%s/%s.expected", dir, c.name);
    VEC_PUSH(&v, c);
  }
  if (d) closedir(d);
  if (v.n) qsort(v.v, v.n, sizeof(*v.v), cmp_case);
  *out = v.v;
  return v.n;
}

static corpus_case *g_bad, *g_good;
static size_t g_n_bad, g_n_good;

/* The corpus is big enough, and every .expected file has its case. */
static void test_corpus_complete(void **state) {
  (void)state;
  if (!g_in_tree) skip();
  assert_true(g_n_bad >= 25);
  assert_true(g_n_good >= 4);
  DIR *d = opendir(BAD_DIR);
  assert_non_null(d);
  struct dirent *de;
  size_t n_expected = 0;
  while ((de = readdir(d)) != NULL) {
    if (!str_has_suffix(de->d_name, ".expected")) continue;
    n_expected++;
    size_t len = strlen(de->d_name) - strlen(".expected");
    int found = 0;
    for (size_t i = 0; i < g_n_bad; i++)
      found |= strlen(g_bad[i].name) == len &&
               !strncmp(g_bad[i].name, de->d_name, len);
    if (!found) fail_msg("%s has no case", de->d_name);
  }
  closedir(d);
  assert_int_equal(n_expected, g_n_bad);
}

int main(void) {
  const char *src = getenv("EXD_SRC");
  if (src && chdir(src) != 0) {
    perror(src);
    return 1;
  }
  struct stat st;
  g_in_tree = stat(BAD_DIR, &st) == 0 && S_ISDIR(st.st_mode);
  unsetenv("EXD_CORPUS_UNSET");
  g_n_bad = g_in_tree ? find_cases(BAD_DIR, &g_bad, 1) : 0;
  g_n_good = g_in_tree ? find_cases(GOOD_DIR, &g_good, 0) : 0;

  size_t n = 0, cap = g_n_bad + g_n_good + 2;
  struct CMUnitTest *tests = calloc(cap, sizeof(*tests));
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_corpus_complete);
  tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_details);
  for (size_t i = 0; i < g_n_bad; i++) {
    tests[n] =
        (struct CMUnitTest)cmocka_unit_test_prestate(test_bad_case, &g_bad[i]);
    tests[n++].name = g_bad[i].name;
  }
  for (size_t i = 0; i < g_n_good; i++) {
    tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_good_case,
                                                            &g_good[i]);
    tests[n++].name = g_good[i].path;
  }
  int rc = _cmocka_run_group_tests("config_corpus", tests, n, NULL, NULL);
  free(tests);
  corpus_case *all[2] = {g_bad, g_good};
  size_t counts[2] = {g_n_bad, g_n_good};
  for (int k = 0; k < 2; k++) {
    for (size_t i = 0; i < counts[k]; i++) {
      free(all[k][i].name);
      free(all[k][i].path);
      free(all[k][i].expected);
    }
    free(all[k]);
  }
  return rc;
}
