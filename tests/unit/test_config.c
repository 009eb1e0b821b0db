/* Tests for core/config.c and core/config_print.c: loading, conf.d,
   merging, ${VAR} expansion, the typed view, dump and key tables
   (cfg_validate itself: test_config_validate.c). */
#include "config_fixtures.h"

/* ---- cfg_load: main file ---- */

static void test_load_missing_file(void **state) {
  (void)state;
  exd_config *cfg = NULL;
  char *err = NULL;
  assert_int_equal(cfg_load("nope.yaml", &cfg, &err), -ENOENT);
  assert_null(cfg);
  assert_string_equal(err, "nope.yaml: cannot read config: No such file or "
                           "directory\n");
  free(err);
  mkdir("d.yaml", 0755);
  assert_int_equal(cfg_load("d.yaml", &cfg, &err), -EISDIR);
  assert_string_equal(err, "d.yaml: cannot read config: Is a directory\n");
  free(err);
}

static void test_load_top_level_kinds(void **state) {
  (void)state;
  write_file("list.yaml", "# a list\n- a\n- b\n");
  load_fails("list.yaml", "list.yaml:2:1: the top level of a config file must "
                          "be a mapping, found a list\n");
  write_file("scalar.yaml", "hello\n");
  load_fails("scalar.yaml", "scalar.yaml:1:1: the top level of a config file "
                            "must be a mapping, found 'hello'\n");
}

static void test_load_empty_file(void **state) {
  (void)state;
  write_file("empty.yaml", "");
  exd_config *cfg = load_ok("empty.yaml");
  assert_int_equal(cfg->n_files, 1);
  assert_string_equal(cfg->files[0], "empty.yaml");
  assert_string_equal(cfg->path, "empty.yaml");
  assert_int_equal(cfg->n_sources, 0);
  assert_int_equal(cfg->n_sinks, 0);
  assert_null(cfg->catalogue);
  assert_null(cfg->plugin_dir);
  assert_int_equal(cfg->as_of, EXD_DATE_NONE);
  assert_int_equal(cfg->log_level, EXD_LOG_INFO);
  assert_non_null(cfg->scoring);
  assert_non_null(cfg->output);
  cfg_free(cfg);
}

/* ---- conf.d ---- */

static void test_conf_d_order_and_skip(void **state) {
  (void)state;
  write_file("etc/main.yaml", "sources:\n  - plugin: main\n");
  const char *names[] = {"20-b.yaml",
                         "10-a.yml",
                         "B-upper.yaml",
                         "100-c.yaml",
                         ".hidden.yaml",
                         "30-x.yaml~",
                         "30-x.yaml.bak",
                         "30-x.yaml.orig",
                         "30-x.yaml.rej",
                         "30-x.yaml.swp",
                         "30-x.yaml.dpkg-old",
                         "30-x.yaml.dpkg-new",
                         "30-x.yaml.dpkg-dist",
                         "30-x.yaml.rpmnew",
                         "30-x.yaml.rpmsave",
                         "notes.txt",
                         "README"};
  for (size_t i = 0; i < EXD_ARRAY_LEN(names); i++) {
    char *p = xasprintf("etc/conf.d/%s", names[i]);
    char *t = xasprintf("sources:\n  - plugin: \"%s\"\n", names[i]);
    write_file(p, t);
    free(p);
    free(t);
  }
  mkdir("etc/conf.d/dir.yaml", 0755); /* not a regular file */
  exd_config *cfg = load_ok("etc/main.yaml");
  const char *want[] = {"etc/main.yaml", "etc/conf.d/10-a.yml",
                        "etc/conf.d/100-c.yaml", "etc/conf.d/20-b.yaml",
                        "etc/conf.d/B-upper.yaml"};
  assert_int_equal(cfg->n_files, EXD_ARRAY_LEN(want));
  for (size_t i = 0; i < EXD_ARRAY_LEN(want); i++)
    assert_string_equal(cfg->files[i], want[i]);
  const char *plugins[] = {"main", "10-a.yml", "100-c.yaml", "20-b.yaml",
                           "B-upper.yaml"};
  assert_int_equal(cfg->n_sources, EXD_ARRAY_LEN(plugins));
  for (size_t i = 0; i < EXD_ARRAY_LEN(plugins); i++)
    assert_string_equal(cfg->sources[i].plugin, plugins[i]);
  assert_string_equal(cfg->sources[3].item->where, "etc/conf.d/20-b.yaml:2:5");
  cfg_free(cfg);
}

static void test_conf_d_merge_rules(void **state) {
  (void)state;
  write_file("main.yaml", "log_level: warn\n"
                          "as_of: 2020-01-01\n"
                          "scoring:\n"
                          "  weights: {health: 0.5, usage: 0.3}\n"
                          "  horizon_days: 100\n"
                          "catalogue:\n"
                          "  - {product: A, family: F, list_price: 1}\n"
                          "output: {top: 3}\n");
  write_file("conf.d/10.yaml", "log_level: debug\n"
                               "scoring:\n"
                               "  weights: {usage: 0.1}\n"
                               "catalogue:\n"
                               "  - {product: B, family: F, list_price: 2}\n"
                               "output:\n");
  write_file("conf.d/20.yaml", "scoring: {window_days: 30}\n"
                               "catalogue: ~\n");
  exd_config *cfg = load_ok("main.yaml");
  assert_int_equal(cfg->log_level, EXD_LOG_DEBUG); /* scalar replaced */
  assert_int_equal(cfg->as_of, date_from_ymd(2020, 1, 1));
  const exd_node *w = cfg_get(cfg->scoring, "weights");
  assert_true(cfg_get_double(w, "health", -1) == 0.5);  /* kept */
  assert_true(cfg_get_double(w, "usage", -1) == 0.1);   /* replaced */
  assert_true(cfg_get_double(w, "timing", -1) == 0.10); /* default */
  assert_int_equal(cfg_get_int(cfg->scoring, "horizon_days", -1), 100);
  assert_int_equal(cfg_get_int(cfg->scoring, "window_days", -1), 30);
  assert_string_equal(cfg_get(cfg->scoring, "window_days")->file,
                      "conf.d/20.yaml");
  /* Lists append; an empty value over a list or map changes nothing. */
  assert_int_equal(cfg->catalogue->n, 2);
  assert_string_equal(cfg_get_str(cfg->catalogue->items[1], "product", NULL),
                      "B");
  assert_int_equal(cfg_get_int(cfg->output, "top", -1), 3);
  cfg_free(cfg);
}

static void test_conf_d_kind_change_replaces(void **state) {
  (void)state;
  write_file("main.yaml", "output: {top: 3}\n");
  write_file("conf.d/10.yaml", "output: [1]\n");
  load_fails("main.yaml", "conf.d/10.yaml:1:9: output: expected a mapping, "
                          "found a list\n");
}

static void test_conf_d_errors_all_reported(void **state) {
  (void)state;
  write_file("main.yaml", "log_level: info\n");
  write_file("conf.d/10-ok.yaml", "output: {top: 5}\n");
  write_file("conf.d/20-bad.yaml", "output: [1, 2\n");
  write_file("conf.d/30-dir.yaml", "conf_d: other\n");
  write_file("conf.d/40-list.yaml", "- a\n");
  write_file("conf.d/50-dup.yaml", "a: 1\na: 2\n");
  load_fails("main.yaml",
             "conf.d/20-bad.yaml:2:1: did not find expected ',' or ']' "
             "(while parsing a flow sequence that starts at line 1, column "
             "9)\n"
             "conf.d/30-dir.yaml:1:1: conf_d may only be set in the main "
             "config file\n"
             "conf.d/40-list.yaml:1:1: the top level of a config file must "
             "be a mapping, found a list\n"
             "conf.d/50-dup.yaml:2:1: duplicate key 'a' (first at line 1)\n");
}

static void test_conf_d_location(void **state) {
  (void)state;
  /* Default: conf.d beside the main file; missing is fine. */
  write_file("a/main.yaml", "log_level: info\n");
  exd_config *cfg = load_ok("a/main.yaml");
  assert_int_equal(cfg->n_files, 1);
  assert_string_equal(cfg_get_str(cfg->root, "conf_d", NULL), "a/conf.d");
  cfg_free(cfg);
  /* Explicit and missing: an error at the key's value. */
  write_file("b/main.yaml", "log_level: info\nconf_d: drop\n");
  load_fails("b/main.yaml", "b/main.yaml:2:9: conf_d: cannot open directory "
                            "'b/drop': No such file or directory\n");
  /* Explicit, relative to the main file, with ${VAR}. */
  setenv("EXD_TEST_DROP", "drop", 1);
  write_file("c/main.yaml", "conf_d: ${EXD_TEST_DROP}\n");
  write_file("c/drop/1.yaml", "log_level: error\n");
  cfg = load_ok("c/main.yaml");
  assert_int_equal(cfg->log_level, EXD_LOG_ERROR);
  assert_int_equal(cfg->n_files, 2);
  assert_string_equal(cfg->files[1], "c/drop/1.yaml");
  assert_string_equal(cfg_get_str(cfg->root, "conf_d", NULL), "c/drop");
  cfg_free(cfg);
  unsetenv("EXD_TEST_DROP");
  /* The default name present but not a directory is an error. */
  write_file("d/main.yaml", "log_level: info\n");
  write_file("d/conf.d", "oops\n");
  load_fails("d/main.yaml", "d/main.yaml:1:1: cannot open the conf.d "
                            "directory 'd/conf.d': Not a directory\n");
}

static void test_load_string_conf_d(void **state) {
  (void)state;
  /* From a string, conf.d is read only when named. */
  write_file("conf.d/1.yaml", "log_level: error\n");
  exd_config *cfg = string_ok("log_level: warn\n");
  assert_int_equal(cfg->log_level, EXD_LOG_WARN);
  assert_int_equal(cfg->n_files, 1);
  assert_null(cfg_get(cfg->root, "conf_d"));
  cfg_free(cfg);
  cfg = string_ok("log_level: warn\nconf_d: conf.d\n");
  assert_int_equal(cfg->log_level, EXD_LOG_ERROR);
  assert_int_equal(cfg->n_files, 2);
  assert_string_equal(cfg->files[1], "conf.d/1.yaml");
  cfg_free(cfg);
}

/* ---- ${VAR} ---- */

static void test_env_expansion(void **state) {
  (void)state;
  setenv("EXD_T_A", "alpha", 1);
  setenv("EXD_T_EMPTY", "", 1);
  setenv("EXD_T_REF", "${EXD_T_A}", 1);
  unsetenv("EXD_T_UNSET");
  exd_config *cfg = string_ok("sources:\n"
                              "  - plugin: p\n"
                              "    config:\n"
                              "      a: ${EXD_T_A}\n"
                              "      b: x-${EXD_T_A}-${EXD_T_A}-y\n"
                              "      c: ${EXD_T_UNSET:-fallback value}\n"
                              "      d: ${EXD_T_EMPTY:-used when empty}\n"
                              "      e: [\"${EXD_T_EMPTY}\"]\n"
                              "      f: cost $$5 and $ alone, $x too\n"
                              "      g: ${EXD_T_REF}\n"
                              "      h: ${EXD_T_UNSET:-}\n"
                              "      ${EXD_T_A}: key\n");
  const exd_node *c = cfg->sources[0].config;
  assert_string_equal(cfg_get_str(c, "a", NULL), "alpha");
  assert_string_equal(cfg_get_str(c, "b", NULL), "x-alpha-alpha-y");
  assert_string_equal(cfg_get_str(c, "c", NULL), "fallback value");
  assert_string_equal(cfg_get_str(c, "d", NULL), "used when empty");
  assert_string_equal(cfg_get(c, "e")->items[0]->value, "");
  assert_string_equal(cfg_get_str(c, "f", NULL), "cost $5 and $ alone, $x too");
  /* Expanded text is not expanded again. */
  assert_string_equal(cfg_get_str(c, "g", NULL), "${EXD_T_A}");
  assert_string_equal(cfg_get(c, "h")->value, "");
  /* Keys are not expanded. */
  assert_string_equal(cfg_get_str(c, "${EXD_T_A}", NULL), "key");
  cfg_free(cfg);
  unsetenv("EXD_T_A");
  unsetenv("EXD_T_EMPTY");
  unsetenv("EXD_T_REF");
}

/* A value with line ends or control characters keeps its message on one
   line. */
static void test_messages_one_line(void **state) {
  (void)state;
  string_fails("output:\n  format: \"x\\ny\\t\\u0001\"\n",
               "s.yaml:2:11: output.format: 'x\\ny\\t\\x01' is not one of: "
               "table, json, csv\n");
  string_fails("just a\n  folded scalar\n",
               "s.yaml:1:1: the top level of a config file must be a mapping, "
               "found 'just a folded scalar'\n");
  string_fails("\"a\\nb\": 1\n",
               "s.yaml:1:1: unknown key 'a\\nb' at the top level; valid keys: "
               "plugin_dir, conf_d, currency, exchange_rates, as_of, "
               "log_level, sources, sinks, "
               "catalogue, scoring, output\n");
}

static void test_env_errors(void **state) {
  (void)state;
  unsetenv("EXD_T_UNSET");
  string_fails("log_level: ${EXD_T_UNSET}\n"
               "output:\n"
               "  format: \"${oops\"\n"
               "  top: ${1X}\n"
               "sources:\n"
               "  - plugin: ${EXD_T_UNSET:-ok}\n"
               "    config: {k: \"${A B}\"}\n",
               "s.yaml:1:12: environment variable EXD_T_UNSET is not set "
               "(write ${EXD_T_UNSET:-default} to give a default)\n"
               "s.yaml:3:11: unterminated '${' (write $$ for a literal $)\n"
               "s.yaml:4:8: invalid variable reference '${1X}' (a name is "
               "letters, digits and _, not starting with a digit)\n"
               "s.yaml:7:17: invalid variable reference '${A B}' (a name is "
               "letters, digits and _, not starting with a digit)\n");
  /* A value a drop-in replaces is never expanded. */
  write_file("main.yaml", "log_level: ${EXD_T_UNSET}\n");
  write_file("conf.d/1.yaml", "log_level: debug\n");
  exd_config *cfg = load_ok("main.yaml");
  assert_int_equal(cfg->log_level, EXD_LOG_DEBUG);
  cfg_free(cfg);
  /* Invalid UTF-8 from the environment is refused. */
  setenv("EXD_T_BAD", "\xff", 1);
  string_fails("log_level: ${EXD_T_BAD}\n",
               "s.yaml:1:12: environment variable EXD_T_BAD is not valid "
               "UTF-8\n");
  unsetenv("EXD_T_BAD");
}

static void test_cfg_expand_env_public(void **state) {
  (void)state;
  setenv("EXD_T_X", "1", 1);
  vres *r = validate_text("p.yaml", "path: x\n", plug_keys);
  exd_node *n = node_scalar(r->cfg.arena, "${EXD_T_X}$$", "p.yaml", 1, 1);
  sb errs = {0};
  assert_int_equal(cfg_expand_env(&r->cfg, n, &errs), 0);
  assert_string_equal(n->value, "1$");
  exd_node *bad = node_scalar(r->cfg.arena, "${", "p.yaml", 4, 2);
  assert_int_equal(cfg_expand_env(&r->cfg, bad, &errs), EXD_ECONFIG);
  assert_string_equal(sb_str(&errs), "p.yaml:4:2: unterminated '${' (write "
                                     "$$ for a literal $)\n");
  sb_free(&errs);
  vres_free(r);
  unsetenv("EXD_T_X");
}

/* ---- paths, defaults, typed view ---- */

static void test_path_resolution(void **state) {
  (void)state;
  write_file("etc/main.yaml", "plugin_dir: lib/plugins\n");
  exd_config *cfg = load_ok("etc/main.yaml");
  assert_string_equal(cfg->plugin_dir, "etc/lib/plugins");
  cfg_free(cfg);
  write_file("abs/main.yaml", "plugin_dir: /usr/lib/x\n");
  cfg = load_ok("abs/main.yaml");
  assert_string_equal(cfg->plugin_dir, "/usr/lib/x");
  cfg_free(cfg);
  /* A path given in a drop-in resolves against the drop-in's directory,
     also inside a plugin's config (validated later by the host). */
  write_file("d/main.yaml", "sources:\n  - plugin: p\n    config: {path: "
                            "main.csv}\n");
  write_file("d/conf.d/10.yaml", "plugin_dir: plugins\n"
                                 "sources:\n  - plugin: q\n    config: {path: "
                                 "../data/q.csv, files: [f.csv]}\n");
  cfg = load_ok("d/main.yaml");
  assert_string_equal(cfg->plugin_dir, "d/conf.d/plugins");
  sb errs = {0};
  assert_int_equal(cfg_validate(cfg, cfg->sources[0].config, plug_keys, &errs),
                   0);
  assert_int_equal(cfg_validate(cfg, cfg->sources[1].config, plug_keys, &errs),
                   0);
  assert_string_equal(sb_str(&errs), "");
  assert_string_equal(cfg_get_str(cfg->sources[0].config, "path", NULL),
                      "d/main.csv");
  assert_string_equal(cfg_get_str(cfg->sources[1].config, "path", NULL),
                      "d/conf.d/../data/q.csv");
  assert_string_equal(cfg_get(cfg->sources[1].config, "files")->items[0]->value,
                      "d/conf.d/f.csv");
  sb_free(&errs);
  cfg_free(cfg);
}

static void test_defaults_filled(void **state) {
  (void)state;
  exd_config *cfg = string_ok("scoring:\n  weights:\n    health: 0.4\n");
  const exd_node *s = cfg->scoring;
  const exd_node *w = cfg_get(s, "weights");
  const exd_node *sig = cfg_get(s, "signals");
  assert_non_null(w);
  assert_non_null(sig);
  assert_true(cfg_get_double(w, "health", -1) == 0.4);
  assert_int_equal(cfg_get(w, "health")->is_default, 0);
  assert_true(cfg_get_double(w, "usage", -1) == 0.25);
  assert_true(cfg_get_double(w, "engagement", -1) == 0.20);
  assert_true(cfg_get_double(w, "similar", -1) == 0.20);
  assert_int_equal(cfg_get(w, "usage")->is_default, 1);
  assert_string_equal(cfg_get(w, "usage")->where, "s.yaml:3:5");
  assert_true(cfg_get_double(sig, "health_declining", 0) == -15);
  assert_true(cfg_get_double(sig, "lost_deal", 0) == -8);
  assert_string_equal(sig->where, "s.yaml:2:3");
  assert_true(cfg_get_double(s, "seat_threshold", -1) == 0.85);
  assert_int_equal(cfg_get_int(s, "horizon_days", -1), 180);
  assert_int_equal(cfg_get_int(s, "min_peers", -1), 5);
  /* Every scoring key that has a default is present. */
  for (const exd_config_key *k = cfg_scoring_keys; k->name; k++)
    assert_non_null(cfg_get(s, k->name));
  assert_int_equal(cfg_get_int(cfg->output, "top", -1), 10);
  assert_string_equal(cfg_get_str(cfg->output, "format", NULL), "table");
  assert_string_equal(cfg_get_str(cfg->root, "log_level", NULL), "info");
  cfg_free(cfg);
}

static void test_typed_view(void **state) {
  (void)state;
  exd_config *cfg = string_ok("as_of: 2017-12-31\n"
                              "log_level: warn\n"
                              "sources:\n"
                              "  - plugin: csv\n"
                              "    name: crm\n"
                              "    config: {path: x}\n"
                              "  - plugin: sample\n"
                              "    enabled: false\n"
                              "sinks:\n"
                              "  - plugin: jsonl\n"
                              "catalogue:\n"
                              "  - product: Basic\n"
                              "    family: Core\n"
                              "    list_price: 100\n"
                              "    tier: 1\n"
                              "    aliases: [basic]\n");
  assert_int_equal(cfg->as_of, date_from_ymd(2017, 12, 31));
  assert_int_equal(cfg->log_level, EXD_LOG_WARN);
  assert_null(cfg->plugin_dir);
  assert_int_equal(cfg->n_sources, 2);
  assert_string_equal(cfg->sources[0].name, "crm");
  assert_string_equal(cfg->sources[0].plugin, "csv");
  assert_int_equal(cfg->sources[0].enabled, 1);
  assert_string_equal(cfg_get_str(cfg->sources[0].config, "path", NULL), "x");
  assert_string_equal(cfg->sources[0].item->where, "s.yaml:4:5");
  assert_string_equal(cfg->sources[1].name, "sample");
  assert_int_equal(cfg->sources[1].enabled, 0);
  assert_int_equal(cfg->sources[1].config->type, EXD_NODE_MAP);
  assert_int_equal(cfg->sources[1].config->n, 0);
  assert_ptr_equal(cfg_get(cfg->sources[1].item, "config"),
                   cfg->sources[1].config);
  assert_int_equal(cfg->n_sinks, 1);
  assert_string_equal(cfg->sinks[0].name, "jsonl");
  assert_non_null(cfg->catalogue);
  assert_int_equal(cfg->catalogue->n, 1);
  assert_string_equal(cfg_get_str(cfg->catalogue->items[0], "pricing", NULL),
                      "per_seat");
  cfg_free(cfg);
}

static void test_duplicate_instance_names(void **state) {
  (void)state;
  string_fails("sources:\n"
               "  - plugin: csv\n"
               "    name: crm\n"
               "  - plugin: crm\n"
               "sinks:\n"
               "  - plugin: jsonl\n"
               "    name: crm\n"
               "  - plugin: jsonl\n",
               "s.yaml:4:13: duplicate instance name 'crm' (also at "
               "s.yaml:3:11)\n"
               "s.yaml:7:11: duplicate instance name 'crm' (also at "
               "s.yaml:3:11)\n");
  string_fails("sinks:\n  - plugin: a\n  - plugin: a\n    name: \"\"\n",
               "s.yaml:3:13: duplicate instance name 'a' (also at "
               "s.yaml:2:13)\n");
}

/* ---- printing ---- */

static char *dump_to_string(const exd_config *cfg) {
  FILE *f = tmpfile();
  assert_non_null(f);
  cfg_dump(cfg, f);
  sb out = {0};
  char chunk[4096];
  size_t n;
  rewind(f);
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    sb_putn(&out, chunk, n);
  fclose(f);
  return sb_steal(&out);
}

static void test_dump_masks_and_reparses(void **state) {
  (void)state;
  write_file(
      "main.yaml",
      "log_level: debug\n"
      "sources:\n"
      "  - plugin: p\n"
      "    config:\n"
      "      path: data.csv\n"
      "      token_file: tok.txt\n"
      "      labels: {\"a: b\": \"#x\", t: \"true\", n: \"-\", e: \"\"}\n"
      "      files: [\"line\\nbreak\", \"q\\\"uote\", '---x', "
      "\" lead\", café]\n"
      "      extra: {deep: [[1, 2], [], {}]}\n");
  write_file("tok.txt", "hunter2\n");
  write_file("conf.d/1.yaml", "output: {top: 7}\n");
  exd_config *cfg = load_ok("main.yaml");
  sb errs = {0};
  assert_int_equal(cfg_validate(cfg, cfg->sources[0].config, plug_keys, &errs),
                   0);
  char *text = dump_to_string(cfg);
  assert_null(strstr(text, "hunter2"));
  assert_non_null(strstr(text, "      token: \"********\"\n"));
  assert_true(strncmp(text,
                      "# expansiond: effective configuration (defaults filled "
                      "in, secrets masked)\n# files read, in order:\n"
                      "#   main.yaml\n#   conf.d/1.yaml\n"
                      "# conf_d: conf.d (merged below)\n"
                      "log_level: debug\n"
                      "sources:\n"
                      "  - plugin: p\n"
                      "    config:\n"
                      "      path: data.csv\n",
                      strlen("# expansiond: effective configuration (defaults "
                             "filled in, secrets masked)\n# files read, in "
                             "order:\n#   main.yaml\n#   conf.d/1.yaml\n"
                             "# conf_d: conf.d (merged below)\n"
                             "log_level: debug\nsources:\n  - plugin: p\n"
                             "    config:\n      path: data.csv\n")) == 0);
  assert_non_null(strstr(text, "  top: 7\n  format: table  # default\n"));
  /* Re-parse the dump: same values, same kinds. */
  exd_config *again = NULL;
  char *err = NULL;
  int rc = cfg_load_string("dump.yaml", text, strlen(text), &again, &err);
  if (rc) fprintf(stderr, "%s\n---\n%s", err, text);
  assert_int_equal(rc, 0);
  const exd_node *c = again->sources[0].config;
  const exd_node *labels = cfg_get(c, "labels");
  assert_string_equal(cfg_get_str(labels, "a: b", NULL), "#x");
  assert_string_equal(cfg_get_str(labels, "t", NULL), "true");
  assert_int_equal(cfg_get(labels, "t")->plain, 0); /* still a string */
  assert_string_equal(cfg_get_str(labels, "n", NULL), "-");
  assert_string_equal(cfg_get(labels, "e")->value, "");
  const exd_node *files = cfg_get(c, "files");
  assert_string_equal(files->items[0]->value, "line\nbreak");
  assert_string_equal(files->items[1]->value, "q\"uote");
  assert_string_equal(files->items[2]->value, "---x");
  assert_string_equal(files->items[3]->value, " lead");
  assert_string_equal(files->items[4]->value, "café");
  const exd_node *deep = cfg_get(cfg_get(c, "extra"), "deep");
  assert_int_equal(deep->n, 3);
  assert_int_equal(deep->items[0]->type, EXD_NODE_LIST);
  assert_string_equal(deep->items[0]->items[1]->value, "2");
  assert_int_equal(deep->items[1]->type, EXD_NODE_LIST);
  assert_int_equal(deep->items[2]->type, EXD_NODE_MAP);
  assert_string_equal(cfg_get_str(c, "token", NULL), "********");
  assert_int_equal(cfg_get_int(again->output, "top", -1), 7);
  assert_int_equal(again->log_level, EXD_LOG_DEBUG);
  assert_int_equal(again->n_files, 1); /* conf_d is not in the dump */
  /* Dumping the re-parsed config gives the same body. */
  char *text2 = dump_to_string(again);
  const char *body1 = strstr(text, "log_level:");
  const char *body2 = strstr(text2, "log_level:");
  assert_non_null(body2);
  /* Defaults lose their "# default" mark once written out. */
  char *b1 = xstrdup(body1);
  sb stripped = {0};
  for (char *line = strtok(b1, "\n"); line; line = strtok(NULL, "\n")) {
    char *mark = strstr(line, "  # default");
    if (mark) *mark = '\0';
    sb_printf(&stripped, "%s\n", line);
  }
  assert_string_equal(body2, sb_str(&stripped));
  sb_free(&stripped);
  free(b1);
  free(text2);
  free(err);
  cfg_free(again);
  free(text);
  sb_free(&errs);
  cfg_free(cfg);
}

/* Values YAML would not read back as written are escaped; a null stays a
   null. */
static void test_dump_special_values(void **state) {
  (void)state;
  exd_config *cfg = string_ok(
      "sources:\n"
      "  - plugin: p\n"
      "    config:\n"
      "      money: cost $$5 \"${EXD_T_NOPE:-$$}\"\n"
      "      null1:\n"
      "      list: [~, '', \"\\N\", \"a\\Lb\", \"\\x80\", \"\\uFEFF\", "
      "\"\\u00e9\\t\"]\n");
  char *text = dump_to_string(cfg);
  assert_non_null(strstr(text, "      money: cost $$5 \"$$$$\"\n"
                               "      null1:\n"
                               "      list:\n"
                               "        - ~\n"
                               "        - \"\"\n"
                               "        - \"\\x85\"\n"
                               "        - \"a\\u2028b\"\n"
                               "        - \"\\x80\"\n"
                               "        - \"\\ufeff\"\n"
                               "        - \"\xc3\xa9\\t\"\n"));
  exd_config *again = string_ok(text);
  const exd_node *c = again->sources[0].config;
  assert_string_equal(cfg_get_str(c, "money", NULL), "cost $5 \"$$\"");
  assert_string_equal(cfg_get(c, "null1")->value, "");
  assert_int_equal(cfg_get(c, "null1")->plain, 1);
  const exd_node *l = cfg_get(c, "list");
  const char *want[] = {"~",
                        "",
                        "\xc2\x85",
                        "a\xe2\x80\xa8"
                        "b",
                        "\xc2\x80",
                        "\xef\xbb\xbf",
                        "\xc3\xa9\t"};
  assert_int_equal(l->n, EXD_ARRAY_LEN(want));
  for (size_t i = 0; i < EXD_ARRAY_LEN(want); i++)
    assert_string_equal(l->items[i]->value, want[i]);
  assert_int_equal(l->items[1]->plain, 0);
  cfg_free(again);
  free(text);
  cfg_free(cfg);
}

static void test_dump_empty(void **state) {
  (void)state;
  exd_config cfg = {0};
  const char *files[] = {"x.yaml"};
  cfg.files = files;
  cfg.n_files = 1;
  char *text = dump_to_string(&cfg);
  assert_string_equal(text, "# expansiond: effective configuration (defaults "
                            "filled in, secrets masked)\n"
                            "# files read, in order:\n#   x.yaml\n{}\n");
  free(text);
}

static void test_print_keys(void **state) {
  (void)state;
  static const char *const ab[] = {"a|b", "c", NULL};
  static const exd_config_key kids[] = {
      {"n", EXD_CFG_INT, EXD_CFG_REQUIRED, NULL, "count", NULL, 0, 1, 5, NULL},
      {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
  static const exd_config_key t[] = {
      {"mode", EXD_CFG_STRING, 0, "c", "pick | one", NULL, 0, 0, 0, ab},
      {"key", EXD_CFG_STRING, EXD_CFG_SECRET, NULL, "API key", NULL, 0, 0, 0,
       NULL},
      {"items", EXD_CFG_LIST, 0, NULL, "things", kids, EXD_CFG_MAP, 0, 0, NULL},
      {"opts", EXD_CFG_MAP, 0, NULL, "options", kids, 0, 0, 0, NULL},
      {"tags", EXD_CFG_MAP, 0, NULL, "tags", NULL, EXD_CFG_STRING, 0, 0, NULL},
      {"w", EXD_CFG_DOUBLE, 0, "0.5", "weight", NULL, 0, 0, 2.5, NULL},
      {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cfg_print_keys(f, t, "sources[].config");
  fclose(f);
  assert_string_equal(
      buf,
      "| key | type | default | description |\n"
      "|---|---|---|---|\n"
      "| `sources[].config.mode` | string: a\\|b, c | `c` | pick \\| one |\n"
      "| `sources[].config.key` | string, secret (or KEY_file) |  | API key |\n"
      "| `sources[].config.items` | list of mappings |  | things |\n"
      "| `sources[].config.items[].n` | integer (1..5) | required | count |\n"
      "| `sources[].config.opts` | mapping |  | options |\n"
      "| `sources[].config.opts.n` | integer (1..5) | required | count |\n"
      "| `sources[].config.tags` | mapping of strings |  | tags |\n"
      "| `sources[].config.w` | number (0..2.5) | `0.5` | weight |\n");
  free(buf);
  /* The core tables: dotted names down to the leaves. */
  f = open_memstream(&buf, &len);
  cfg_print_keys(f, cfg_core_keys, NULL);
  fclose(f);
  assert_non_null(strstr(buf, "| `scoring.weights.health` | number (0..100) "
                              "| `0.25` | weight of the health component |\n"));
  assert_non_null(strstr(buf, "| `sources[].plugin` | string | required | "
                              "plugin to load: PLUGIN_DIR/<plugin>.so |\n"));
  assert_non_null(strstr(buf, "| `catalogue[].pricing` | string: per_seat, "
                              "flat | `per_seat` | per_seat or flat |\n"));
  free(buf);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_load_missing_file),
      T(test_load_top_level_kinds),
      T(test_load_empty_file),
      T(test_conf_d_order_and_skip),
      T(test_conf_d_merge_rules),
      T(test_conf_d_kind_change_replaces),
      T(test_conf_d_errors_all_reported),
      T(test_conf_d_location),
      T(test_load_string_conf_d),
      T(test_env_expansion),
      T(test_env_errors),
      T(test_messages_one_line),
      T(test_cfg_expand_env_public),
      T(test_path_resolution),
      T(test_defaults_filled),
      T(test_typed_view),
      T(test_duplicate_instance_names),
      T(test_dump_masks_and_reparses),
      T(test_dump_special_values),
      T(test_dump_empty),
      T(test_print_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
