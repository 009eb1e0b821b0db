/* Tests for cfg_validate (core/config.c): key tables, types, defaults,
   secrets, paths and the messages for each kind of mistake. */
#include "config_fixtures.h"

static void test_validate_defaults_and_types(void **state) {
  (void)state;
  vres *r = validate_text("conf/p.yaml",
                          "path: data.csv\n"
                          "ratio: 0.5\n"
                          "since: 2024-02-29\n"
                          "verbose: true\n"
                          "labels: {team: sales}\n"
                          "limits: {a: 5}\n"
                          "groups: {g1: {x: y}}\n"
                          "files: [/abs/x.csv, rel/y.csv]\n"
                          "extra: {anything: [1, 2]}\n",
                          plug_keys);
  assert_int_equal(r->rc, 0);
  assert_string_equal(sb_str(&r->errs), "");
  const exd_node *m = r->root;
  assert_string_equal(cfg_get_str(m, "path", NULL), "conf/data.csv");
  assert_string_equal(cfg_get_str(m, "mode", NULL), "fast");
  assert_int_equal(cfg_get(m, "mode")->is_default, 1);
  assert_int_equal(cfg_get(m, "path")->is_default, 0);
  assert_int_equal(cfg_get_int(m, "retries", -1), 2);
  int b = -1;
  assert_int_equal(cfg_bool(cfg_get(m, "verbose"), &b), 0);
  assert_int_equal(b, 1);
  /* A missing MAP with children is created so its defaults exist. */
  const exd_node *t = cfg_get(m, "tuning");
  assert_non_null(t);
  assert_int_equal(t->type, EXD_NODE_MAP);
  assert_int_equal(cfg_get_int(t, "depth", -1), 3);
  assert_string_equal(t->where, "conf/p.yaml:1:1");
  assert_null(cfg_get(t, "label"));
  const exd_node *files = cfg_get(m, "files");
  assert_string_equal(files->items[0]->value, "/abs/x.csv");
  assert_string_equal(files->items[1]->value, "conf/rel/y.csv");
  assert_null(cfg_get(m, "token"));
  vres_free(r);
}

static void test_validate_errors_all(void **state) {
  (void)state;
  validate_fails("mode: slow\n"
                 "retries: 11\n"
                 "ratio: abc\n"
                 "verbose: yes\n"
                 "since: 2023-02-30\n"
                 "tuning: [1]\n"
                 "labels: {a: [x]}\n"
                 "limits: {a: 500, b: x}\n"
                 "groups: {g: 1}\n"
                 "files: [\"\"]\n"
                 "extra: 5\n",
                 "p.yaml:1:7: mode: 'slow' is not one of: fast, safe\n"
                 "p.yaml:2:10: retries: 11 is out of range (0..10)\n"
                 "p.yaml:3:8: ratio: 'abc' is not a number\n"
                 "p.yaml:4:10: verbose: 'yes' is not a boolean; use true or "
                 "false\n"
                 "p.yaml:5:8: since: '2023-02-30' is not a valid date "
                 "(YYYY-MM-DD)\n"
                 "p.yaml:6:9: tuning: expected a mapping, found a list\n"
                 "p.yaml:7:13: labels.a: expected a string, found a list\n"
                 "p.yaml:8:13: limits.a: 500 is out of range (0..100)\n"
                 "p.yaml:8:21: limits.b: 'x' is not an integer\n"
                 "p.yaml:9:13: groups.g: expected a mapping, found '1'\n"
                 "p.yaml:10:9: files[0]: a path must not be empty\n"
                 "p.yaml:11:8: extra: expected a mapping, found '5'\n"
                 "p.yaml:1:1: missing required key 'path' at the top level\n");
}

static void test_validate_unknown_keys(void **state) {
  (void)state;
  validate_fails("pth: x\nzzz: 1\ntuning:\n  dpeth: 4\n",
                 "p.yaml:1:1: unknown key 'pth' at the top level; valid keys: "
                 "path, token, mode, retries, ratio, verbose, since, tuning, "
                 "labels, limits, groups, files, extra (did you mean "
                 "'path'?)\n"
                 "p.yaml:2:1: unknown key 'zzz' at the top level; valid keys: "
                 "path, token, mode, retries, ratio, verbose, since, tuning, "
                 "labels, limits, groups, files, extra\n"
                 "p.yaml:4:3: unknown key 'dpeth' in tuning; valid keys: "
                 "depth, label (did you mean 'depth'?)\n"
                 "p.yaml:1:1: missing required key 'path' at the top level\n");
}

static void test_validate_bool_forms(void **state) {
  (void)state;
  validate_fails("path: x\nverbose: on\n",
                 "p.yaml:2:10: verbose: 'on' is not a boolean; use true or "
                 "false\n");
  validate_fails("path: x\nverbose: \"true\"\n",
                 "p.yaml:2:10: verbose: \"true\" is quoted, so it is a string; "
                 "use true or false\n");
  validate_fails("path: x\nverbose: True\n",
                 "p.yaml:2:10: verbose: 'True' is not a boolean; use true or "
                 "false\n");
  validate_fails("path: x\nverbose: 1\n",
                 "p.yaml:2:10: verbose: '1' is not a boolean; use true or "
                 "false\n");
  vres *r = validate_text("p.yaml", "path: x\nverbose: false\n", plug_keys);
  assert_int_equal(r->rc, 0);
  vres_free(r);
}

static void test_validate_numbers(void **state) {
  (void)state;
  const char *bad_ints[] = {
      "+5", "\" 5\"", "0x10", "1e3", "1.0", "9223372036854775808", "''"};
  for (size_t i = 0; i < EXD_ARRAY_LEN(bad_ints); i++) {
    char *text = xasprintf("path: x\nretries: %s\n", bad_ints[i]);
    vres *r = validate_text("p.yaml", text, plug_keys);
    assert_int_equal(r->rc, EXD_ECONFIG);
    assert_non_null(strstr(sb_str(&r->errs), "is not an integer\n"));
    vres_free(r);
    free(text);
  }
  const char *bad_doubles[] = {"nan", ".inf", "1,5", "0x1p-2", "'-'", "1e999"};
  for (size_t i = 0; i < EXD_ARRAY_LEN(bad_doubles); i++) {
    char *text = xasprintf("path: x\nratio: %s\n", bad_doubles[i]);
    vres *r = validate_text("p.yaml", text, plug_keys);
    assert_int_equal(r->rc, EXD_ECONFIG);
    assert_non_null(strstr(sb_str(&r->errs), "is not a number\n"));
    vres_free(r);
    free(text);
  }
  vres *r =
      validate_text("p.yaml", "path: x\nratio: .25\nretries: -0\n", plug_keys);
  assert_int_equal(r->rc, 0);
  assert_true(cfg_get_double(r->root, "ratio", -1) == 0.25);
  vres_free(r);
  validate_fails("path: x\nratio: 1.5\n",
                 "p.yaml:2:8: ratio: 1.5 is out of range (0..1)\n");
  validate_fails("path: x\nratio: -1e-9\n",
                 "p.yaml:2:8: ratio: -1e-9 is out of range (0..1)\n");
}

static void test_validate_strings_and_paths(void **state) {
  (void)state;
  static const exd_config_key req[] = {
      {"name", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL, "", NULL, 0, 0, 0, NULL},
      {"note", EXD_CFG_STRING, 0, NULL, "", NULL, 0, 0, 0, NULL},
      {"dir", EXD_CFG_PATH, 0, NULL, "", NULL, 0, 0, 0, NULL},
      {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
  vres *r =
      validate_text("a/b/p.yaml", "name: \"\"\nnote: \"\"\ndir: {x: 1}\n", req);
  assert_int_equal(r->rc, EXD_ECONFIG);
  assert_string_equal(sb_str(&r->errs),
                      "a/b/p.yaml:1:7: name: must not be empty\n"
                      "a/b/p.yaml:3:6: dir: expected a path, found a "
                      "mapping\n");
  vres_free(r);
  r = validate_text("a/b/p.yaml", "name: n\ndir: ./x/../y\n", req);
  assert_int_equal(r->rc, 0);
  assert_string_equal(cfg_get_str(r->root, "dir", NULL), "a/b/x/../y");
  vres_free(r);
  r = validate_text("a/b/p.yaml", "name: n\ndir: .\n", req);
  assert_string_equal(cfg_get_str(r->root, "dir", NULL), "a/b");
  vres_free(r);
  r = validate_text("p.yaml", "name: n\ndir: x\n", req);
  assert_string_equal(cfg_get_str(r->root, "dir", NULL), "x");
  vres_free(r);
}

static void test_validate_null_collections(void **state) {
  (void)state;
  /* `key:` with nothing is YAML's null: an empty mapping or list where one
     is expected (so the map's defaults are filled). */
  vres *r = validate_text(
      "p.yaml", "path: x\ntuning:\nfiles: ~\nlabels: null\n", plug_keys);
  assert_int_equal(r->rc, 0);
  const exd_node *t = cfg_get(r->root, "tuning");
  assert_int_equal(t->type, EXD_NODE_MAP);
  assert_int_equal(cfg_get_int(t, "depth", -1), 3);
  assert_int_equal(cfg_get(r->root, "files")->type, EXD_NODE_LIST);
  assert_int_equal(cfg_get(r->root, "files")->n, 0);
  assert_int_equal(cfg_get(r->root, "labels")->type, EXD_NODE_MAP);
  vres_free(r);
  /* A quoted empty string is not null. */
  validate_fails("path: x\ntuning: \"\"\n",
                 "p.yaml:2:9: tuning: expected a mapping, found an empty "
                 "value\n");
}

static void test_validate_secret_file(void **state) {
  (void)state;
  write_file("etc/secrets/token.txt", "s3cr3t\r\n\n");
  vres *r = validate_text(
      "etc/p.yaml", "path: x\ntoken_file: secrets/token.txt\n", plug_keys);
  assert_string_equal(sb_str(&r->errs), "");
  assert_int_equal(r->rc, 0);
  const exd_node *tok = cfg_get(r->root, "token");
  assert_non_null(tok);
  assert_null(cfg_get(r->root, "token_file"));
  assert_string_equal(tok->value, "s3cr3t");
  assert_int_equal(tok->secret, 1);
  assert_string_equal(tok->where, "etc/p.yaml:2:13");
  vres_free(r);
  /* Given directly, a secret key is marked too. */
  r = validate_text("p.yaml", "path: x\ntoken: abc\n", plug_keys);
  assert_int_equal(cfg_get(r->root, "token")->secret, 1);
  assert_int_equal(cfg_get(r->root, "path")->secret, 0);
  vres_free(r);
}

static void test_validate_secret_errors(void **state) {
  (void)state;
  write_file("t.txt", "x\n");
  mkdir("adir", 0755);
  validate_fails("path: x\ntoken: a\ntoken_file: t.txt\n",
                 "p.yaml:3:1: token_file: both 'token' and 'token_file' are "
                 "given; use one\n");
  validate_fails("path: x\ntoken_file: missing.txt\n",
                 "p.yaml:2:13: token_file: cannot read secret file "
                 "'missing.txt': No such file or directory\n");
  validate_fails("path: x\ntoken_file: adir\n",
                 "p.yaml:2:13: token_file: cannot read secret file 'adir': "
                 "Is a directory\n");
  validate_fails("path: x\ntoken_file: [a]\n",
                 "p.yaml:2:13: token_file: expected a path, found a list\n");
  /* _file is only for SECRET keys. */
  validate_fails("path: x\nmode_file: t.txt\n",
                 "p.yaml:2:1: unknown key 'mode_file' at the top level; valid "
                 "keys: path, token, mode, retries, ratio, verbose, since, "
                 "tuning, labels, limits, groups, files, extra\n");
}

static void test_validate_required_secret(void **state) {
  (void)state;
  static const exd_config_key t[] = {
      {"key", EXD_CFG_STRING, EXD_CFG_REQUIRED | EXD_CFG_SECRET, NULL, "", NULL,
       0, 0, 0, NULL},
      {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
  vres *r = validate_text("p.yaml", "{}\n", t);
  assert_int_equal(r->rc, EXD_ECONFIG);
  assert_string_equal(sb_str(&r->errs), "p.yaml:1:1: missing required key "
                                        "'key' (or 'key_file') at the top "
                                        "level\n");
  vres_free(r);
  write_file("k", "\n");
  r = validate_text("p.yaml", "key_file: k\n", t);
  assert_string_equal(sb_str(&r->errs), "p.yaml:1:11: key: must not be "
                                        "empty\n");
  vres_free(r);
}

static void test_validate_error_cap(void **state) {
  (void)state;
  static const exd_config_key one[] = {
      {"only", EXD_CFG_INT, 0, NULL, "", NULL, 0, 0, 0, NULL},
      {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
  sb text = {0};
  for (int i = 0; i < 60; i++)
    sb_printf(&text, "k%02d: 1\n", i);
  vres *r = validate_text("p.yaml", sb_str(&text), one);
  assert_int_equal(r->rc, EXD_ECONFIG);
  const char *e = sb_str(&r->errs);
  size_t lines = 0;
  for (const char *p = e; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, 51);
  assert_non_null(strstr(e, "p.yaml:50:1: unknown key 'k49' at the top level; "
                            "valid keys: only\n"
                            "p.yaml:51:1: too many errors; stopping after "
                            "50\n"));
  vres_free(r);
  sb_free(&text);
}

static void test_validate_not_a_map_and_args(void **state) {
  (void)state;
  exd_config cfg = {0};
  cfg.arena = cfg_arena_new();
  sb errs = {0};
  exd_node *list = node_new(cfg.arena, EXD_NODE_LIST, "x.yaml", 2, 3);
  assert_int_equal(cfg_validate(&cfg, list, plug_keys, &errs), EXD_ECONFIG);
  assert_string_equal(sb_str(&errs),
                      "x.yaml:2:3: expected a mapping, found a list\n");
  assert_int_equal(cfg_validate(&cfg, NULL, plug_keys, &errs), -EINVAL);
  sb_free(&errs);
  cfg_arena_free(cfg.arena);
}

/* The host validates an instance's config inside a loaded tree: the
   context names where that mapping is. */
static void test_validate_context_in_tree(void **state) {
  (void)state;
  write_file("main.yaml", "sources:\n"
                          "  - plugin: a\n"
                          "  - plugin: b\n"
                          "    config:\n"
                          "      tuning: {dept: 1}\n");
  exd_config *cfg = load_ok("main.yaml");
  sb errs = {0};
  assert_int_equal(cfg_validate(cfg, cfg->sources[1].config, plug_keys, &errs),
                   EXD_ECONFIG);
  assert_string_equal(sb_str(&errs),
                      "main.yaml:5:16: unknown key 'dept' in "
                      "sources[1].config.tuning; valid keys: depth, label "
                      "(did you mean 'depth'?)\n"
                      "main.yaml:5:7: missing required key 'path' in "
                      "sources[1].config\n");
  sb_reset(&errs);
  /* An absent config is an empty mapping placed in the tree. */
  assert_int_equal(cfg_validate(cfg, cfg->sources[0].config, plug_keys, &errs),
                   EXD_ECONFIG);
  assert_string_equal(sb_str(&errs), "main.yaml:2:5: missing required key "
                                     "'path' in sources[0].config\n");
  sb_free(&errs);
  cfg_free(cfg);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_validate_defaults_and_types),
      T(test_validate_errors_all),
      T(test_validate_unknown_keys),
      T(test_validate_bool_forms),
      T(test_validate_numbers),
      T(test_validate_strings_and_paths),
      T(test_validate_null_collections),
      T(test_validate_secret_file),
      T(test_validate_secret_errors),
      T(test_validate_required_secret),
      T(test_validate_error_cap),
      T(test_validate_not_a_map_and_args),
      T(test_validate_context_in_tree),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
