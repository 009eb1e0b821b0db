/*
 * core/host.c (with core/cycle.c driving it): the host API table and plugin
 * instances, against the fixture plugins in $EXD_FIXTURE_DIR: good.so,
 * init_fails.so, garbage.so and never_done.so (the C files in
 * tests/fixtures/plugins document exactly what each one does). stderr is
 * captured by redirecting fd 2 to a temporary file, so the exact error lines
 * are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "cycle.h"
#include "date.h"
#include "err.h"
#include "host.h"
#include "log.h"
#include "results.h"
#include "model_build.h"

#define AS_OF "2024-06-30"

/* ---- fixtures and helpers ---- */

static const char *fixture_dir(void) {
  const char *d = getenv("EXD_FIXTURE_DIR");
  if (!d || !*d) {
    print_message("SKIP: EXD_FIXTURE_DIR is not set (run via tests/run-tests)"
                  "\n");
    skip();
  }
  return d;
}

static int is_loaded(const char *name) {
  char *path = xasprintf("%s/%s.so", fixture_dir(), name);
  void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
  free(path);
  if (h) dlclose(h);
  return h != NULL;
}

/* Config "host.yaml": plugin_dir and as_of first (lines 1-2), then body. */
static exd_config *load_cfg(const char *body) {
  char *text =
      xasprintf("plugin_dir: %s\nas_of: " AS_OF "\n%s", fixture_dir(), body);
  exd_config *cfg = NULL;
  char *err = NULL;
  if (cfg_load_string("host.yaml", text, strlen(text), &cfg, &err) != 0)
    fail_msg("config: %s", err ? err : "?");
  free(err);
  free(text);
  return cfg;
}

static int saved_fd = -1;
static char capture_path[64];

static void capture_begin(void) {
  fflush(stderr);
  strcpy(capture_path, "/tmp/exd-host-XXXXXX");
  int fd = mkstemp(capture_path);
  assert_true(fd >= 0);
  saved_fd = dup(2);
  assert_true(saved_fd >= 0);
  assert_int_equal(dup2(fd, 2), 2);
  close(fd);
}

/* The text written to stderr since capture_begin (malloc'd). */
static char *capture_end(void) {
  fflush(stderr);
  assert_int_equal(dup2(saved_fd, 2), 2);
  close(saved_fd);
  saved_fd = -1;
  char *out = NULL;
  assert_int_equal(read_file(capture_path, &out, NULL), 0);
  unlink(capture_path);
  return out;
}

static int teardown(void **state) {
  (void)state;
  if (saved_fd >= 0) { /* a failed assertion inside a capture */
    char *s = capture_end();
    fprintf(stderr, "captured stderr:\n%s", s);
    free(s);
  }
  log_set_level(EXD_LOG_INFO);
  return 0;
}

/* What on_scored saw. */
typedef struct seen {
  int called;
  size_t n_acct;
  char *notes;
  size_t ranked;
  char *garbage_health; /* "date:score,..." of Garbage Corp */
  double alpha_seats;
  char *alpha_industry;
  double garbage_employees;
  char *result_lines; /* what good.so as a sink "out" should log */
} seen;

static void on_scored(cycle *c, void *arg) {
  seen *s = arg;
  s->called++;
  s->n_acct = c->m->n_acct;
  s->notes = xstrdup(sb_str(&c->notes));
  s->ranked = c->r.n;
  s->alpha_seats = EXD_NONE;
  long a = mb_find_name(c->m, "Alpha Corp");
  if (a >= 0) {
    size_t n;
    const m_product *p =
        MODEL_SLICE(c->m, &c->m->acct[a], MK_PRODUCT, m_product, &n);
    if (n == 1) s->alpha_seats = p[0].seats_purchased;
    s->alpha_industry = xstrdup(c->m->acct[a].industry);
  }
  /* The lines good.so logs per result it is pushed. */
  sb lines = {0};
  results rs;
  results_init(&rs, c->m, &c->p, &c->sp, &c->r);
  for (size_t i = 0; i < c->r.n; i++) {
    const exd_opportunity *o = results_get(&rs, i);
    sb_printf(&lines, "expansiond: info: [good/out] result %u: %s %s %s\n",
              (unsigned)o->rank, o->account_name ? o->account_name : "-",
              o->type_name ? o->type_name : "-", o->product ? o->product : "-");
  }
  results_free(&rs);
  s->result_lines = sb_steal(&lines);
  long g = mb_find_name(c->m, "Garbage Corp");
  if (g >= 0) {
    sb b = {0};
    size_t n;
    const m_health *h =
        MODEL_SLICE(c->m, &c->m->acct[g], MK_HEALTH, m_health, &n);
    for (size_t i = 0; i < n; i++)
      sb_printf(&b, "%s%d:%g", i ? "," : "", (int)(h[i].date - c->as_of),
                (double)h[i].score);
    s->garbage_health = sb_steal(&b);
    s->garbage_employees = c->m->acct[g].employees;
  }
}

static void seen_free(seen *s) {
  free(s->notes);
  free(s->garbage_health);
  free(s->alpha_industry);
  free(s->result_lines);
}

/* Run one cycle of body; returns the exit code, *err the stderr text. */
static int run(const char *body, int flags, seen *s, char **err) {
  exd_config *cfg = load_cfg(body);
  capture_begin();
  int code = cycle_run(cfg, mb_date(AS_OF), flags, 0, on_scored, s);
  *err = capture_end();
  cfg_free(cfg);
  return code;
}

/* Beta GmbH is in EUR, and no exchange rate is configured. */
#define EUR_NOTE                                                               \
  "expansiond: warning: 1 account is in EUR (e.g. Beta GmbH) but "             \
  "exchange_rates has no EUR rate into USD: their own prices and ARR are not " \
  "used (add exchange_rates: {EUR: ...})\n"
#define WIDGET_NOTE                                                            \
  "expansiond: warning: product 'Widget' (1 records) is not in the "           \
  "catalogue; add it or an alias under catalogue:\n" EUR_NOTE

/* ---- the API table ---- */

static void test_api_table(void **state) {
  (void)state;
  const exd_host_api *h = &host_api;
  assert_int_equal(h->struct_size, sizeof(exd_host_api));
  assert_int_equal(h->abi_major, EXD_ABI_MAJOR);
  assert_int_equal(h->abi_minor, EXD_ABI_MINOR);
  assert_true(EXD_HOST_HAS(h, push_done));
  /* Every member is set. */
  assert_non_null(h->log);
  assert_non_null(h->instance_name);
  assert_non_null(h->strerror);
  assert_non_null(h->config);
  assert_non_null(h->node_get);
  assert_non_null(h->node_type);
  assert_non_null(h->node_len);
  assert_non_null(h->node_at);
  assert_non_null(h->node_key_at);
  assert_non_null(h->node_str);
  assert_non_null(h->node_int);
  assert_non_null(h->node_double);
  assert_non_null(h->node_bool);
  assert_non_null(h->node_where);
  assert_non_null(h->config_error);
  assert_non_null(h->as_of);
  assert_non_null(h->date_parse);
  assert_non_null(h->defer);
  assert_non_null(h->record_init);
  assert_non_null(h->emit);
  assert_non_null(h->data_error);
  assert_non_null(h->collect_done);
  assert_non_null(h->result_count);
  assert_non_null(h->result);
  assert_non_null(h->format_result);
  assert_non_null(h->push_done);
  /* push_done is the last member: the table has no trailing gap. */
  assert_int_equal(offsetof(exd_host_api, push_done) + sizeof(h->push_done),
                   sizeof(exd_host_api));
  /* Pass-throughs. */
  assert_string_equal(h->strerror(EXD_EDATA), "invalid input data");
  assert_string_equal(h->strerror(-ENOENT), "No such file or directory");
  int32_t d = 0;
  assert_int_equal(h->date_parse("2024-02-29", &d), 0);
  assert_int_equal(d, 19782);
  assert_int_equal(h->date_parse("2024-02-30", &d), -EINVAL);
  exd_record r;
  h->record_init(&r, (uint32_t)sizeof(r), EXD_REC_HEALTH);
  assert_int_equal(r.type, EXD_REC_HEALTH);
  assert_true(EXD_IS_NONE(r.u.health.score));
}

static void nop(void *arg) {
  (void)arg;
}

static void test_api_null_handles(void **state) {
  (void)state;
  const exd_host_api *h = &host_api;
  exd_record r;
  h->record_init(&r, (uint32_t)sizeof(r), EXD_REC_HEALTH);
  assert_int_equal(h->emit(NULL, &r), -EINVAL);
  assert_int_equal(h->defer(NULL, nop, NULL), -EINVAL);
  assert_null(h->instance_name(NULL));
  assert_null(h->config(NULL));
  assert_null(h->node_get(NULL, "x"));
  assert_int_equal(h->node_type(NULL), 0);
  assert_int_equal(h->node_len(NULL), 0);
  assert_null(h->node_at(NULL, 0));
  assert_null(h->node_key_at(NULL, 0));
  assert_string_equal(h->node_where(NULL), "?");
  assert_int_equal(h->result_count(NULL), 0);
  assert_null(h->result(NULL, 0));
  assert_null(h->format_result(NULL, 0, EXD_FMT_JSON));
  capture_begin();
  h->collect_done(NULL, 0);
  h->push_done(NULL, 0);
  h->data_error(NULL, "x", "ignored %d", 1);
  h->config_error(NULL, NULL, "no instance %d", 7);
  char *err = capture_end();
  assert_string_equal(err, "expansiond: error: ?: no instance 7\n");
  free(err);
}

static void test_api_nodes(void **state) {
  (void)state;
  exd_config *cfg = load_cfg("sources:\n"
                             "  - plugin: good\n"
                             "    config:\n"
                             "      greeting: hello\n"
                             "      seats: 12\n");
  const exd_host_api *h = &host_api;
  const exd_node *c = cfg->sources[0].config;
  assert_int_equal(h->node_type(c), EXD_NODE_MAP);
  assert_int_equal(h->node_len(c), 2);
  assert_string_equal(h->node_key_at(c, 1), "seats");
  assert_null(h->node_key_at(c, 2));
  const exd_node *g = h->node_get(c, "greeting");
  assert_string_equal(h->node_str(g), "hello");
  assert_string_equal(h->node_where(g), "host.yaml:6:17");
  assert_int_equal(h->node_len(g), 0); /* a scalar has no items */
  assert_null(h->node_at(g, 0));
  int64_t v = 0;
  assert_int_equal(h->node_int(h->node_at(c, 1), &v), 0);
  assert_int_equal(v, 12);
  cfg_free(cfg);
}

/* ---- good.so ---- */

static void test_good_source(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  int code = run("sources:\n"
                 "  - plugin: good\n"
                 "    config:\n"
                 "      greeting: hi\n"
                 "      seats: 7\n",
                 0, &s, &err);
  assert_int_equal(code, 0);
  assert_string_equal(
      err, "expansiond: info: [good/good] greeting: hi\n" WIDGET_NOTE);
  assert_int_equal(s.called, 1);
  assert_int_equal(s.n_acct, 2);
  assert_true(s.alpha_seats == 7);
  assert_string_equal(s.alpha_industry, "Software");
  free(err);
  seen_free(&s);
  assert_false(is_loaded("good")); /* unloaded when the cycle ended */
}

static void test_good_async_two_instances(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  /* Two instances of one plugin; one finishes on a later loop turn. Both
     emit the same accounts: they merge into two accounts. */
  int code = run("sources:\n"
                 "  - plugin: good\n"
                 "    name: first\n"
                 "    config: {greeting: one, async: true}\n"
                 "  - plugin: good\n"
                 "    name: second\n"
                 "    config: {greeting: two, seats: 3}\n",
                 0, &s, &err);
  assert_int_equal(code, 0);
  assert_string_equal(err, "expansiond: info: [good/first] greeting: one\n"
                           "expansiond: info: [good/second] greeting: two\n"
                           "expansiond: warning: product 'Widget' (2 records) "
                           "is not in the catalogue; add it or an alias under "
                           "catalogue:\n" EUR_NOTE);
  assert_int_equal(s.n_acct, 2);
  /* Across sources the first source's seats win (10 from "first"). */
  assert_true(s.alpha_seats == 10);
  free(err);
  seen_free(&s);
}

static void test_good_collect_fails(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  int code = run("sources:\n"
                 "  - plugin: good\n"
                 "    config: {greeting: hi, fail: collect}\n",
                 0, &s, &err);
  /* 65, but what it emitted before failing is still merged and scored. */
  assert_int_equal(code, 65);
  assert_string_equal(err, "expansiond: info: [good/good] greeting: hi\n"
                           "expansiond: error: [good/good] collection failed: "
                           "invalid input data\n" WIDGET_NOTE);
  assert_int_equal(s.called, 1);
  assert_int_equal(s.n_acct, 2);
  free(err);
  seen_free(&s);
}

static void test_good_sink_push(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  int code = run("catalogue:\n"
                 "  - {product: Widget, family: Widget, list_price: 120}\n"
                 "  - {product: Widget Pro, family: Widget, list_price: 200}\n"
                 "sources:\n"
                 "  - plugin: good\n"
                 "    config: {greeting: src}\n"
                 "sinks:\n"
                 "  - plugin: good\n"
                 "    name: out\n"
                 "    config: {greeting: sink, async: true, fail: push}\n",
                 CYCLE_RANK | CYCLE_PUSH, &s, &err);
  /* The sink gets every ranked opportunity, in rank order, then its
     failure gives 74. */
  assert_int_equal(code, 74);
  assert_true(s.ranked >= 1);
  /* Alpha owns Widget (tier 1 of its family): Widget Pro is its upsell. */
  assert_non_null(strstr(s.result_lines, ": Alpha Corp upsell Widget Pro\n"));
  char *want =
      xasprintf("expansiond: info: [good/good] greeting: src\n"
                "expansiond: info: [good/out] greeting: sink\n" EUR_NOTE "%s"
                "expansiond: info: [good/out] pushed %zu results\n"
                "expansiond: error: [good/out] push failed: invalid "
                "input data\n",
                s.result_lines, s.ranked);
  assert_string_equal(err, want);
  free(want);
  free(err);
  seen_free(&s);
}

/* ---- init_fails.so ---- */

static void test_init_fails(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  /* init reports a config error at its `reason` node and fails: exit 78,
     destroy is never called (the fixture aborts if it is), unloaded. */
  int code = run("sources:\n"
                 "  - plugin: init_fails\n"
                 "    config:\n"
                 "      reason: maintenance\n",
                 0, &s, &err);
  assert_int_equal(code, 78);
  assert_string_equal(err, "host.yaml:6:15: init_fails: refusing to start "
                           "(reason: maintenance)\n");
  assert_int_equal(s.called, 0);
  assert_false(is_loaded("init_fails"));
  free(err);
  seen_free(&s);
}

static void test_init_fails_beside_good(void **state) {
  (void)state;
  exd_config *cfg = load_cfg("sources:\n"
                             "  - plugin: good\n"
                             "    config: {greeting: hi}\n"
                             "  - plugin: init_fails\n");
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  host *h = host_new(&loop, cfg, mb_date(AS_OF));
  sb errs = {0};
  /* Validation only: nothing fails. */
  capture_begin();
  assert_int_equal(host_start(h, &errs, 0), 0);
  char *err = capture_end();
  assert_string_equal(err, ""); /* good's init did not run either */
  free(err);
  assert_string_equal(sb_str(&errs), "");
  assert_true(is_loaded("init_fails"));
  host_close(h);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  host_free(h);
  assert_false(is_loaded("init_fails"));
  assert_false(is_loaded("good"));

  /* With init: the error at the (defaulted) reason node, and the good
     instance stays up until host_close. */
  h = host_new(&loop, cfg, mb_date(AS_OF));
  capture_begin();
  assert_int_equal(host_start(h, &errs, 1), EXD_ECONFIG);
  err = capture_end();
  assert_string_equal(err, "expansiond: info: [good/good] greeting: hi\n");
  free(err);
  /* A defaulted node sits at the list item it was filled into. */
  assert_string_equal(sb_str(&errs), "host.yaml:6:5: init_fails: refusing to "
                                     "start (reason: always)\n");
  assert_false(is_loaded("init_fails"));
  assert_true(is_loaded("good"));
  host_close(h);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  host_free(h);
  assert_false(is_loaded("good"));
  assert_int_equal(uv_loop_close(&loop), 0);
  sb_free(&errs);
  cfg_free(cfg);
}

static void test_start_errors(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  /* Every instance is tried; each error names its position. */
  int code = run("sources:\n"
                 "  - plugin: no_such_plugin\n"
                 "sinks:\n"
                 "  - plugin: garbage\n",
                 CYCLE_RANK | CYCLE_PUSH, &s, &err);
  assert_int_equal(code, 78);
  char *want = xasprintf(
      "host.yaml:4:13: plugin 'no_such_plugin': "
      "%s/no_such_plugin.so: cannot load plugin: No such file or directory\n"
      "host.yaml:6:13: plugin 'garbage' cannot be a sink (it is a source)\n",
      fixture_dir());
  assert_string_equal(err, want);
  assert_int_equal(s.called, 0);
  free(want);
  free(err);
  seen_free(&s);
}

/* ---- garbage.so ---- */

static const char garbage_log[] =
    "expansiond: debug: [garbage/garbage] emit #0 returned 0\n"
    "expansiond: error: [garbage/garbage] garbage#1: record: unknown record "
    "type 0; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #1 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#2: record: unknown record "
    "type 999; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #2 returned -4004\n"
    "expansiond: error: [garbage/garbage] (no origin): record: struct_size 0 "
    "is not between 40 and 160 (was it initialised with EXD_RECORD_INIT?); "
    "record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #3 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#4: record: struct_size 224 "
    "is not between 40 and 160 (was it initialised with EXD_RECORD_INIT?); "
    "record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #4 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#5: health.score: 140 is "
    "outside 0..100; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #5 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#6: "
    "product.seats_purchased: -5 is negative; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #6 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#7: account.key.name: "
    "invalid UTF-8 at byte offset 4; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #7 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#8: account.account: has no "
    "id, domain or name; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #8 returned -4004\n"
    "expansiond: error: [garbage/garbage] garbage#9: opportunity.status: "
    "unknown status 7; record rejected\n"
    "expansiond: debug: [garbage/garbage] emit #9 returned -4004\n"
    "expansiond: debug: [garbage/garbage] emit #10 returned 0\n"
    "expansiond: debug: [garbage/garbage] emit #11 returned 0\n"
    "expansiond: debug: [garbage/garbage] emit #12 returned 0\n"
    "expansiond: error: [garbage/garbage] collect_done called more than once; "
    "ignored (plugin bug)\n"
    "expansiond: warning: 9 input errors (see above)\n"
    "expansiond: warning: garbage/garbage: 1 records dated after 2024-06-30 "
    "ignored\n";

static void test_garbage(void **state) {
  (void)state;
  log_set_level(EXD_LOG_DEBUG);
  seen s = {0};
  char *err = NULL;
  int code = run("log_level: debug\n"
                 "sources:\n"
                 "  - plugin: garbage\n",
                 0, &s, &err);
  assert_int_equal(code, 0);
  assert_string_equal(err, garbage_log);
  /* The good records survive: the account (#0) and the health scores of
     #11 (NULL origin, accepted) and #12; #10 (future) is dropped. */
  assert_int_equal(s.called, 1);
  assert_int_equal(s.n_acct, 1);
  assert_string_equal(s.garbage_health, "-2:60,-3:70");
  assert_true(s.garbage_employees == 100);
  assert_string_equal(s.notes, "garbage/garbage: 1 records dated after "
                               "2024-06-30 ignored\n");
  free(err);
  seen_free(&s);
}

static void test_garbage_strict_beside_good(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  /* Strict: any rejected record fails the run (65), and the other source's
     records are still there. */
  int code = run("sources:\n"
                 "  - plugin: garbage\n"
                 "  - plugin: good\n"
                 "    config: {greeting: hi}\n",
                 CYCLE_STRICT, &s, &err);
  assert_int_equal(code, 65);
  assert_int_equal(s.n_acct, 3);
  assert_true(s.alpha_seats == 10);
  assert_string_equal(s.garbage_health, "-2:60,-3:70");
  /* The second collect_done is reported once. */
  const char *twice = "collect_done called more than once";
  const char *first = strstr(err, twice);
  assert_non_null(first);
  assert_null(strstr(first + 1, twice));
  assert_non_null(strstr(err, "expansiond: warning: 9 input errors (see "
                              "above)\n"));
  free(err);
  seen_free(&s);
}

static void after_collect(void *arg) {
  ++*(int *)arg;
}

static void test_host_collect_direct(void **state) {
  (void)state;
  exd_config *cfg = load_cfg("sources:\n"
                             "  - plugin: garbage\n"
                             "    name: g1\n");
  uv_loop_t loop;
  assert_int_equal(uv_loop_init(&loop), 0);
  model *m = model_new(mb_date(AS_OF));
  host *h = host_new(&loop, cfg, mb_date(AS_OF));
  sb errs = {0};
  assert_int_equal(host_start(h, &errs, 1), 0);
  int done = 0;
  capture_begin();
  host_collect(h, m, after_collect, &done);
  /* garbage finished inside collect; done runs on a later loop turn. */
  assert_int_equal(done, 0);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  char *err = capture_end();
  assert_int_equal(done, 1);
  assert_int_equal(host_source_count(h), 1);
  const host_source_status *st = host_source_status_at(h, 0);
  assert_string_equal(st->label, "garbage/g1");
  assert_int_equal(st->done, 1);
  assert_int_equal(st->status, 0);
  assert_null(host_source_status_at(h, 1));
  assert_int_equal(host_sink_count(h), 0);
  assert_int_equal(m->src[0].rejected, 9);
  assert_int_equal(m->src[0].future, 1);
  assert_int_equal(m->src[0].accepted[EXD_REC_ACCOUNT], 1);
  assert_int_equal(m->src[0].accepted[EXD_REC_HEALTH], 2);
  assert_non_null(strstr(err, "[garbage/g1] garbage#5: health.score"));
  free(err);
  host_close(h);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(uv_loop_close(&loop), 0);
  host_free(h);
  model_free(m);
  sb_free(&errs);
  cfg_free(cfg);
}

/* ---- never_done.so ---- */

static void test_never_done_detected(void **state) {
  (void)state;
  seen s = {0};
  char *err = NULL;
  int code = run("sources:\n"
                 "  - plugin: good\n"
                 "    config: {greeting: hi, async: true}\n"
                 "  - plugin: never_done\n",
                 0, &s, &err);
  assert_int_equal(code, 70);
  assert_string_equal(
      err, "expansiond: info: [good/good] greeting: hi\n"
           "expansiond: error: [never_done/never_done] never called "
           "collect_done\n"
           "expansiond: error: a plugin never finished its collect or push "
           "and left nothing pending on the loop (plugin bug)\n");
  assert_int_equal(s.called, 0);
  assert_false(is_loaded("never_done"));
  free(err);
  seen_free(&s);
}

int main(void) {
  unsetenv("JOURNAL_STREAM"); /* plain "expansiond: LEVEL: " lines */
#define T(f) cmocka_unit_test_teardown(f, teardown)
  const struct CMUnitTest tests[] = {
      T(test_api_table),
      T(test_api_null_handles),
      T(test_api_nodes),
      T(test_good_source),
      T(test_good_async_two_instances),
      T(test_good_collect_fails),
      T(test_good_sink_push),
      T(test_init_fails),
      T(test_init_fails_beside_good),
      T(test_start_errors),
      T(test_garbage),
      T(test_garbage_strict_beside_good),
      T(test_host_collect_direct),
      T(test_never_done_detected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
