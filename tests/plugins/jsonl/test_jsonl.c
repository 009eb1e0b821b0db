/*
 * The jsonl sink through the mock host: file contents equal the host's
 * formatted results, CSV header and rows, both formats, default and
 * relative paths, I/O errors, atomic replacement, and targets that are not
 * regular files (FIFO, directory, socket, symbolic links).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "date.h"
#include "mock_host.h"
#include "util.h"

extern const exd_plugin expansiond_plugin;

/* ---- three ranked opportunities ---- */

static const char *const holds2[] = {"open escalation ESC-2-1 (P2)"};
static const exd_reason reasons1[] = {
    {"usage_ceiling", "seats 96% used, full by 2026-09-14", 12.5},
    {"intent_alignment", "researching \"dashboards\", reporting", 8.0}};
static const exd_reason reasons2[] = {
    {"new_use_case", "Marketing started using Workspace", 6.0}};
static const exd_objection objections1[] = {
    {"Budget is frozen", "Phase the rollout, start next quarter"}};

static exd_opportunity opps[3];

static void make_opps(void) {
  memset(opps, 0, sizeof(opps));
  for (int i = 0; i < 3; i++) {
    opps[i].struct_size = sizeof(exd_opportunity);
    opps[i].rank = (uint32_t)i + 1;
    opps[i].window_start = date_from_ymd(2026, 7, 1 + i);
    opps[i].window_end = date_from_ymd(2026, 9, 30);
  }
  opps[0].key = "0017Y00UFj8SpgWQMS|upsell|Workspace Business|2026-07-01";
  opps[0].account_id = "0017Y00UFj8SpgWQMS";
  opps[0].account_name = "Blue Field Data, \"the\" GmbH";
  opps[0].type = EXD_OPP_UPSELL;
  opps[0].type_name = "upsell";
  opps[0].product = "Workspace Business";
  opps[0].propensity = 81.25;
  opps[0].expected_uplift = 24000;
  opps[0].expected_value = 19500;
  opps[0].reasons = reasons1;
  opps[0].n_reasons = 2;
  opps[0].current_arr = 60000;
  opps[0].roi = "pays back in 4 months";
  opps[0].objections = objections1;
  opps[0].n_objections = 1;
  opps[0].entry_point = "Ava Müller (champion)";
  opps[0].next_action = "Book a seat review with the champion";

  opps[1].key = "0017Y00UHgVMcpzQMD|use_case_expansion|Workspace Starter|x";
  opps[1].account_id = "0017Y00UHgVMcpzQMD";
  opps[1].account_name = "Hawk Ridge Devices Pvt Ltd";
  opps[1].type = EXD_OPP_USE_CASE;
  opps[1].type_name = "use_case_expansion";
  opps[1].product = "Workspace Starter";
  opps[1].propensity = 55;
  opps[1].expected_uplift = 3600;
  opps[1].expected_value = 1980;
  opps[1].holds = holds2;
  opps[1].n_holds = 1;
  opps[1].reasons = reasons2;
  opps[1].n_reasons = 1;
  opps[1].current_arr = 12000;

  opps[2].key = "001|cross_sell|Integration Hub|y";
  opps[2].account_id = "001";
  opps[2].account_name = "Line\nBreak Corp";
  opps[2].type = EXD_OPP_CROSS_SELL;
  opps[2].type_name = "cross_sell";
  opps[2].product = "Integration Hub";
  opps[2].propensity = EXD_NONE;
  opps[2].expected_uplift = 9600;
  opps[2].expected_value = EXD_NONE;
  opps[2].current_arr = EXD_NONE;
}

/* ---- fixture ---- */

typedef struct fx {
  char dir[64];
  char other[64]; /* a second temp dir, "" until other_dir() */
  mock_host *m;
  void *state;
} fx;

static int setup(void **state) {
  fx *f = xcalloc(1, sizeof(*f));
  snprintf(f->dir, sizeof(f->dir), "/tmp/exd-jsonl-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  make_opps();
  *state = f;
  return 0;
}

static void rm_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *p = xasprintf("%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
      rm_tree(p);
    else
      unlink(p);
    free(p);
  }
  closedir(d);
  rmdir(dir);
}

static int teardown(void **state) {
  fx *f = *state;
  if (f->m) {
    if (f->state) expansiond_plugin.destroy(f->state);
    mock_host_free(f->m);
  }
  rm_tree(f->dir);
  if (f->other[0]) rm_tree(f->other);
  free(f);
  return 0;
}

/* A second temp dir (created on first use), removed by teardown. */
static const char *other_dir(fx *f) {
  if (!f->other[0]) {
    snprintf(f->other, sizeof(f->other), "/tmp/exd-jsonl-other-XXXXXX");
    assert_non_null(mkdtemp(f->other));
  }
  return f->other;
}

/* Config text with every "@" replaced by the temp dir. */
static char *conf(fx *f, const char *yaml) {
  sb b = {0};
  for (const char *p = yaml; *p; p++)
    if (*p == '@')
      sb_put(&b, f->dir);
    else
      sb_putc(&b, *p);
  return sb_steal(&b);
}

/* Create the host and init the plugin; returns init's code. */
static int start(fx *f, const char *yaml) {
  char *text = conf(f, yaml);
  char *file = xasprintf("%s/conf.yaml", f->dir);
  f->m = mock_host_new(text, file, expansiond_plugin.config_keys);
  free(text);
  free(file);
  assert_string_equal(mock_config_errors(f->m), "");
  return expansiond_plugin.init(mock_api(f->m), mock_instance(f->m), &f->state);
}

static int push(fx *f, size_t n) {
  mock_set_results(f->m, opps, n);
  assert_int_equal(expansiond_plugin.push(f->state, mock_push(f->m)), 0);
  assert_int_equal(mock_push_done_calls(f->m), 1);
  return mock_push_status(f->m);
}

static char *slurp(fx *f, const char *name) {
  char *p = xasprintf("%s/%s", f->dir, name);
  char *data = NULL;
  int rc = read_file(p, &data, NULL);
  free(p);
  return rc == 0 ? data : NULL;
}

/* What the host's formatter gives, one line per result. */
static char *expected(fx *f, size_t n, int fmt) {
  const exd_host_api *h = mock_api(f->m);
  sb b = {0};
  /* JSON Lines end in LF, CSV rows in CRLF. */
  const char *eol = fmt == EXD_FMT_CSV ? "\r\n" : "\n";
  if (fmt == EXD_FMT_CSV)
    sb_printf(&b, "%s%s",
              h->format_result(mock_push(f->m), 0, EXD_FMT_CSV_HEADER), eol);
  for (size_t i = 0; i < n; i++)
    sb_printf(&b, "%s%s", h->format_result(mock_push(f->m), i, fmt), eol);
  return sb_steal(&b);
}

/* Sorted, space-separated names in dir. */
static char *listing_of(const char *dir) {
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  assert_true(n >= 0);
  sb b = {0};
  for (int i = 0; i < n; i++) {
    if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
      sb_printf(&b, "%s%s", b.len ? " " : "", names[i]->d_name);
    free(names[i]);
  }
  free(names);
  return sb_steal(&b);
}

static char *listing(fx *f) {
  return listing_of(f->dir);
}

static void assert_listing(fx *f, const char *want) {
  char *got = listing(f);
  assert_string_equal(got, want);
  free(got);
}

static const char csv_header[] =
    "rank,account,account_id,type,product,propensity,expected_uplift,"
    "expected_value,window_start,window_end,hold,reasons,current_arr,roi,"
    "objections,entry_point,next_action,key\r\n";

/* ---- tests ---- */

static void test_jsonl_default(void **state) {
  fx *f = *state;
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 3), 0);
  char *got = slurp(f, "out.jsonl");
  char *want = expected(f, 3, EXD_FMT_JSON);
  assert_non_null(got);
  assert_string_equal(got, want);
  /* Spot-check the content itself, not only the round trip. */
  assert_memory_equal(got, "{\"rank\":1,\"key\":", 16);
  assert_non_null(strstr(got, "\"account\":\"Blue Field Data, \\\"the\\\" "
                              "GmbH\""));
  assert_non_null(strstr(got, "\"account\":\"Line\\nBreak Corp\""));
  size_t lines = 0;
  for (const char *p = got; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, 3);
  assert_listing(f, "out.jsonl");
  char *out = xasprintf("6: wrote 3 opportunities to %s/out.jsonl\n", f->dir);
  assert_string_equal(mock_log(f->m), out);
  free(out);
  free(got);
  free(want);
}

static void test_csv_only_default_path(void **state) {
  fx *f = *state;
  assert_int_equal(start(f, "path: @/ranked.v2.jsonl\nformat: csv\n"), 0);
  assert_int_equal(push(f, 3), 0);
  char *got = slurp(f, "ranked.v2.csv");
  char *want = expected(f, 3, EXD_FMT_CSV);
  assert_non_null(got);
  assert_string_equal(got, want);
  assert_memory_equal(got, csv_header, strlen(csv_header));
  assert_non_null(strstr(got, "\n1,\"Blue Field Data, \"\"the\"\" GmbH\","
                              "0017Y00UFj8SpgWQMS,upsell,"));
  assert_listing(f, "ranked.v2.csv");
  free(got);
  free(want);
}

static void test_both(void **state) {
  fx *f = *state;
  assert_int_equal(start(f, "path: @/out.jsonl\nformat: both\n"
                            "csv_path: @/sub.csv\n"),
                   0);
  assert_int_equal(push(f, 2), 0);
  char *js = slurp(f, "out.jsonl"), *csv = slurp(f, "sub.csv");
  char *wj = expected(f, 2, EXD_FMT_JSON), *wc = expected(f, 2, EXD_FMT_CSV);
  assert_string_equal(js, wj);
  assert_string_equal(csv, wc);
  assert_listing(f, "out.jsonl sub.csv");
  free(js);
  free(csv);
  free(wj);
  free(wc);
}

static void test_relative_path_and_no_results(void **state) {
  fx *f = *state;
  /* Relative to the directory of the config file that names it. */
  assert_int_equal(start(f, "path: out\nformat: both\n"), 0);
  assert_int_equal(push(f, 0), 0);
  char *js = slurp(f, "out"), *csv = slurp(f, "out.csv");
  assert_string_equal(js, "");
  assert_string_equal(csv, csv_header);
  assert_listing(f, "out out.csv");
  free(js);
  free(csv);
}

static void test_replaces_existing(void **state) {
  fx *f = *state;
  char *p = xasprintf("%s/out.jsonl", f->dir);
  FILE *o = fopen(p, "w");
  fputs("old contents\n", o);
  fclose(o);
  free(p);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 1), 0);
  char *got = slurp(f, "out.jsonl"), *want = expected(f, 1, EXD_FMT_JSON);
  assert_string_equal(got, want);
  free(got);
  free(want);
}

static void test_missing_directory(void **state) {
  fx *f = *state;
  assert_int_equal(start(f, "path: @/missing/out.jsonl\n"), 0);
  assert_int_equal(push(f, 3), -ENOENT);
  char *want =
      xasprintf("3: cannot write %s/missing/out.jsonl: create "
                "%s/missing/out.jsonl.tmp.%ld: No such file or directory\n",
                f->dir, f->dir, (long)getpid());
  assert_string_equal(mock_log(f->m), want);
  free(want);
  assert_listing(f, "");
}

static void test_parent_is_a_file(void **state) {
  fx *f = *state;
  char *p = xasprintf("%s/file", f->dir);
  FILE *o = fopen(p, "w");
  fclose(o);
  free(p);
  assert_int_equal(start(f, "path: @/file/out.jsonl\n"), 0);
  assert_int_equal(push(f, 3), -ENOTDIR);
  char *want = xasprintf("3: cannot write %s/file/out.jsonl: create "
                         "%s/file/out.jsonl.tmp.%ld: Not a directory\n",
                         f->dir, f->dir, (long)getpid());
  assert_string_equal(mock_log(f->m), want);
  free(want);
}

/* The JSON file is complete before the CSV one fails: neither is replaced
   and no temporary file is left. */
static void test_atomic_on_failure(void **state) {
  fx *f = *state;
  char *p = xasprintf("%s/out.jsonl", f->dir);
  FILE *o = fopen(p, "w");
  fputs("old contents\n", o);
  fclose(o);
  free(p);
  assert_int_equal(start(f, "path: @/out.jsonl\nformat: both\n"
                            "csv_path: @/nope/out.csv\n"),
                   0);
  assert_int_equal(push(f, 3), -ENOENT);
  char *got = slurp(f, "out.jsonl");
  assert_string_equal(got, "old contents\n");
  free(got);
  assert_listing(f, "out.jsonl");
  assert_non_null(strstr(mock_log(f->m), "/nope/out.csv: create "));
}

static void test_same_file_twice(void **state) {
  fx *f = *state;
  assert_int_equal(start(f, "path: @/x.csv\nformat: both\n"), EXD_ECONFIG);
  f->state = NULL;
  char *want = xasprintf("%s/conf.yaml:1:7: csv_path: %s/x.csv is also the "
                         "JSON Lines path; with format both, set csv_path to "
                         "another file\n",
                         f->dir, f->dir);
  assert_string_equal(mock_config_errors(f->m), want);
  free(want);
}

static void test_csv_default_names(void **state) {
  fx *f = *state;
  static const struct {
    const char *path, *csv;
  } cases[] = {
      {"@/noext", "noext.csv"},
      {"@/.hidden", ".hidden.csv"},
      {"@/a.b/out", "a.b/out.csv"},
      {"@/r.json", "r.csv"},
  };
  char *sub = xasprintf("%s/a.b", f->dir);
  assert_int_equal(mkdir(sub, 0755), 0);
  free(sub);
  for (size_t i = 0; i < EXD_ARRAY_LEN(cases); i++) {
    char *yaml = xasprintf("path: %s\nformat: csv\n", cases[i].path);
    assert_int_equal(start(f, yaml), 0);
    free(yaml);
    assert_int_equal(push(f, 1), 0);
    char *got = slurp(f, cases[i].csv);
    assert_non_null(got);
    assert_memory_equal(got, csv_header, strlen(csv_header));
    free(got);
    expansiond_plugin.destroy(f->state);
    mock_host_free(f->m);
    f->m = NULL;
    f->state = NULL;
  }
}

static void test_config_errors(void **state) {
  fx *f = *state;
  char *file = xasprintf("%s/conf.yaml", f->dir);
  mock_host *m =
      mock_host_new("format: csv\n", file, expansiond_plugin.config_keys);
  assert_non_null(strstr(mock_config_errors(m), "missing required key 'path'"));
  mock_host_free(m);
  m = mock_host_new("path: x\nformat: xml\n", file,
                    expansiond_plugin.config_keys);
  char *want = xasprintf("%s:2:9: format: 'xml' is not one of: jsonl, csv, "
                         "both\n",
                         file);
  assert_string_equal(mock_config_errors(m), want);
  free(want);
  mock_host_free(m);
  free(file);
}

static void test_descriptor(void **state) {
  (void)state;
  assert_string_equal(expansiond_plugin.name, "jsonl");
  assert_int_equal(expansiond_plugin.capabilities, EXD_CAP_SINK);
  assert_null(expansiond_plugin.collect);
  assert_non_null(expansiond_plugin.push);
  const exd_config_key *k = expansiond_plugin.config_keys;
  assert_string_equal(k[0].name, "path");
  assert_int_equal(k[0].type, EXD_CFG_PATH);
  assert_int_equal(k[0].flags, EXD_CFG_REQUIRED);
  assert_string_equal(k[1].name, "format");
  assert_string_equal(k[1].default_value, "jsonl");
  assert_string_equal(k[2].name, "csv_path");
  assert_null(k[3].name);
}

/* ---- targets that are not regular files ---- */

static void write_text(const char *path, const char *text) {
  FILE *o = fopen(path, "w");
  assert_non_null(o);
  fputs(text, o);
  fclose(o);
}

static char *read_text(const char *path) {
  char *data = NULL;
  return read_file(path, &data, NULL) == 0 ? data : NULL;
}

static mode_t lmode(const char *path) {
  struct stat st;
  assert_int_equal(lstat(path, &st), 0);
  return st.st_mode;
}

/* The plugin's whole log equals the formatted text. */
static void assert_log(fx *f, const char *fmt, ...) EXD_PRINTF(2, 3);
static void assert_log(fx *f, const char *fmt, ...) {
  sb want = {0};
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&want, fmt, ap);
  va_end(ap);
  assert_string_equal(mock_log(f->m), sb_str(&want));
  sb_free(&want);
}

static void test_refuses_fifo(void **state) {
  fx *f = *state;
  char *p = xasprintf("%s/out.jsonl", f->dir);
  assert_int_equal(mkfifo(p, 0600), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  /* Refused before opening it: a FIFO with no reader would block. */
  assert_int_equal(push(f, 3), EXD_ECONFIG);
  assert_log(f,
             "3: cannot write %s: it is a FIFO (named pipe), not a regular "
             "file\n",
             p);
  assert_true(S_ISFIFO(lmode(p)));
  assert_listing(f, "out.jsonl");
  free(p);
}

static void test_refuses_directory(void **state) {
  fx *f = *state;
  char *p = xasprintf("%s/out.jsonl", f->dir);
  assert_int_equal(mkdir(p, 0755), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 3), EXD_ECONFIG);
  assert_log(f, "3: cannot write %s: it is a directory, not a regular file\n",
             p);
  assert_true(S_ISDIR(lmode(p)));
  assert_listing(f, "out.jsonl");
  char *inside = listing_of(p);
  assert_string_equal(inside, "");
  free(inside);
  free(p);
}

static void test_refuses_socket(void **state) {
  fx *f = *state;
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/out.csv", f->dir);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\nformat: csv\n"), 0);
  assert_int_equal(push(f, 3), EXD_ECONFIG);
  assert_log(f, "3: cannot write %s: it is a socket, not a regular file\n",
             sa.sun_path);
  assert_true(S_ISSOCK(lmode(sa.sun_path)));
  assert_listing(f, "out.csv");
  close(fd);
}

/* A symbolic link to a regular file elsewhere (absolute), and a relative
   one: the files they resolve to are replaced, the links stay. */
static void test_symlink_to_file(void **state) {
  fx *f = *state;
  const char *o = other_dir(f);
  char *real = xasprintf("%s/real.jsonl", o);
  char *link = xasprintf("%s/out.jsonl", f->dir);
  char *sub = xasprintf("%s/sub", f->dir);
  char *rel = xasprintf("%s/rel.csv", f->dir);
  char *rel_real = xasprintf("%s/sub/real.csv", f->dir);
  write_text(real, "old contents\n");
  assert_int_equal(mkdir(sub, 0755), 0);
  write_text(rel_real, "old csv\n");
  assert_int_equal(symlink(real, link), 0);
  assert_int_equal(symlink("sub/real.csv", rel), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\nformat: both\n"
                            "csv_path: @/rel.csv\n"),
                   0);
  assert_int_equal(push(f, 3), 0);

  char *got = read_text(real), *want = expected(f, 3, EXD_FMT_JSON);
  assert_string_equal(got, want);
  free(got);
  free(want);
  got = read_text(rel_real);
  want = expected(f, 3, EXD_FMT_CSV);
  assert_string_equal(got, want);
  free(got);
  free(want);
  /* The links are still links, to the same places. */
  char buf[512];
  assert_true(S_ISLNK(lmode(link)));
  ssize_t n = readlink(link, buf, sizeof(buf) - 1);
  assert_true(n > 0);
  buf[n] = '\0';
  assert_string_equal(buf, real);
  assert_true(S_ISLNK(lmode(rel)));
  n = readlink(rel, buf, sizeof(buf) - 1);
  assert_true(n > 0);
  buf[n] = '\0';
  assert_string_equal(buf, "sub/real.csv");
  assert_true(S_ISREG(lmode(real)));
  /* No temporary file left anywhere. */
  assert_listing(f, "out.jsonl rel.csv sub");
  char *l = listing_of(o);
  assert_string_equal(l, "real.jsonl");
  free(l);
  l = listing_of(sub);
  assert_string_equal(l, "real.csv");
  free(l);
  assert_log(f, "6: wrote 3 opportunities to %s and %s\n", link, rel);
  free(real);
  free(link);
  free(sub);
  free(rel);
  free(rel_real);
}

/* A link to /dev/null is refused before anything is written: /dev/null is
   only looked at (stat), never opened or replaced. */
static void test_symlink_to_dev_null(void **state) {
  fx *f = *state;
  struct stat before, after;
  if (stat("/dev/null", &before) != 0 || !S_ISCHR(before.st_mode)) skip();
  char *link = xasprintf("%s/out.jsonl", f->dir);
  assert_int_equal(symlink("/dev/null", link), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 3), EXD_ECONFIG);
  assert_log(f,
             "3: cannot write %s: it is a symbolic link to /dev/null, a "
             "character device, not a regular file\n",
             link);
  assert_int_equal(stat("/dev/null", &after), 0);
  assert_true(S_ISCHR(after.st_mode));
  assert_true(after.st_rdev == before.st_rdev);
  assert_true(after.st_ino == before.st_ino);
  char *tmp = xasprintf("/dev/null.tmp.%ld", (long)getpid());
  errno = 0;
  assert_int_equal(access(tmp, F_OK), -1);
  assert_int_equal(errno, ENOENT);
  free(tmp);
  assert_true(S_ISLNK(lmode(link)));
  assert_listing(f, "out.jsonl");
  free(link);
}

static void test_symlink_to_fifo(void **state) {
  fx *f = *state;
  char *fifo = xasprintf("%s/pipe", other_dir(f));
  char *link = xasprintf("%s/out.jsonl", f->dir);
  assert_int_equal(mkfifo(fifo, 0600), 0);
  assert_int_equal(symlink(fifo, link), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 1), EXD_ECONFIG);
  char *real = realpath(fifo, NULL);
  assert_non_null(real);
  assert_log(f,
             "3: cannot write %s: it is a symbolic link to %s, a FIFO "
             "(named pipe), not a regular file\n",
             link, real);
  assert_true(S_ISFIFO(lmode(fifo)));
  char *l = listing_of(f->other);
  assert_string_equal(l, "pipe");
  free(l);
  free(real);
  free(fifo);
  free(link);
}

static void test_dangling_symlink(void **state) {
  fx *f = *state;
  char *link = xasprintf("%s/out.jsonl", f->dir);
  assert_int_equal(symlink("missing/x.jsonl", link), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 1), -ENOENT);
  assert_log(f,
             "3: cannot write %s: it is a symbolic link to %s, which does "
             "not exist\n",
             link, "missing/x.jsonl");
  assert_listing(f, "out.jsonl");
  free(link);
}

static void test_symlink_loop(void **state) {
  fx *f = *state;
  char *a = xasprintf("%s/out.jsonl", f->dir);
  char *b = xasprintf("%s/b", f->dir);
  assert_int_equal(symlink(b, a), 0);
  assert_int_equal(symlink(a, b), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\n"), 0);
  assert_int_equal(push(f, 1), -ELOOP);
  assert_log(f, "3: cannot write %s: resolve symbolic link %s: %s\n", a, a,
             strerror(ELOOP));
  assert_listing(f, "b out.jsonl");
  free(a);
  free(b);
}

/* With format both, a refused CSV target stops the JSON file too: both are
   checked before either is written. */
static void test_both_checked_before_writing(void **state) {
  fx *f = *state;
  char *js = xasprintf("%s/out.jsonl", f->dir);
  char *csv = xasprintf("%s/out.csv", f->dir);
  write_text(js, "old contents\n");
  assert_int_equal(mkfifo(csv, 0600), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\nformat: both\n"), 0);
  assert_int_equal(push(f, 3), EXD_ECONFIG);
  char *got = read_text(js);
  assert_string_equal(got, "old contents\n");
  free(got);
  assert_listing(f, "out.csv out.jsonl");
  assert_log(f,
             "3: cannot write %s: it is a FIFO (named pipe), not a regular "
             "file\n",
             csv);
  free(js);
  free(csv);
}

/* csv_path is a link to the JSON Lines file: one file, two formats. */
static void test_both_same_target(void **state) {
  fx *f = *state;
  char *js = xasprintf("%s/out.jsonl", f->dir);
  char *csv = xasprintf("%s/out.csv", f->dir);
  write_text(js, "old contents\n");
  assert_int_equal(symlink("out.jsonl", csv), 0);
  assert_int_equal(start(f, "path: @/out.jsonl\nformat: both\n"), 0);
  assert_int_equal(push(f, 3), EXD_ECONFIG);
  char *real = realpath(js, NULL);
  assert_non_null(real);
  char *want = xasprintf("3: cannot write %s and %s: both are the file %s; "
                         "set csv_path to another file\n",
                         js, csv, real);
  assert_string_equal(mock_log(f->m), want);
  free(want);
  char *got = read_text(js);
  assert_string_equal(got, "old contents\n");
  free(got);
  assert_listing(f, "out.csv out.jsonl");
  free(real);
  free(js);
  free(csv);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_descriptor),
      T(test_jsonl_default),
      T(test_csv_only_default_path),
      T(test_both),
      T(test_relative_path_and_no_results),
      T(test_replaces_existing),
      T(test_missing_directory),
      T(test_parent_is_a_file),
      T(test_atomic_on_failure),
      T(test_same_file_twice),
      T(test_csv_default_names),
      T(test_config_errors),
      T(test_refuses_fifo),
      T(test_refuses_directory),
      T(test_refuses_socket),
      T(test_symlink_to_file),
      T(test_symlink_to_dev_null),
      T(test_symlink_to_fifo),
      T(test_dangling_symlink),
      T(test_symlink_loop),
      T(test_both_checked_before_writing),
      T(test_both_same_target),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
