/*
 * The CSV corpus: every tests/csv/bad/NN-name.csv is read through the csv
 * plugin (mock host) with the mapping given at the top of NN-name.expected:
 *
 *   # record: opportunity            record type of the file
 *   # columns: {id: opportunity_id}  its column mapping (YAML flow map)
 *   # yaml: date_format: "%d/%m/%Y"  more keys of the file item (optional)
 *   # emitted: 2 4                   lines of the rows that must be emitted
 *   # status: -4004                  collect_done status (default 0)
 *   # log: text                      a line the log must contain (optional)
 *   FILE:LINE:COL: message           the exact data errors, in order
 *
 * and tests/csv/good/ (one row of every record type) must load cleanly.
 */
#include <dirent.h>

#include "csv_test_util.h"

static char bad_dir[4096], good_dir[4096];

typedef struct expect {
  char record[64];
  char columns[1024];
  sb yaml;    /* extra file-item lines */
  sb errors;  /* expected data errors */
  sb emitted; /* "FILE:L " ... */
  char log[512];
  int status;
} expect;

static void read_expect(const char *path, const char *csv_name, expect *e) {
  char *text = NULL;
  size_t len = 0;
  assert_int_equal(read_file(path, &text, &len), 0);
  memset(e, 0, sizeof(*e));
  sb_put(&e->yaml, "");
  sb_put(&e->errors, "");
  sb_put(&e->emitted, "");
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (strncmp(line, "# record: ", 10) == 0) {
      snprintf(e->record, sizeof(e->record), "%s", line + 10);
    } else if (strncmp(line, "# columns: ", 11) == 0) {
      snprintf(e->columns, sizeof(e->columns), "%s", line + 11);
    } else if (strncmp(line, "# yaml: ", 8) == 0) {
      sb_printf(&e->yaml, "    %s\n", line + 8);
    } else if (strncmp(line, "# status: ", 10) == 0) {
      e->status = atoi(line + 10);
    } else if (strncmp(line, "# log: ", 7) == 0) {
      snprintf(e->log, sizeof(e->log), "%s", line + 7);
    } else if (strncmp(line, "# emitted:", 10) == 0) {
      char *save = NULL;
      for (char *n = strtok_r(line + 10, " ", &save); n;
           n = strtok_r(NULL, " ", &save))
        sb_printf(&e->emitted, "%s:%s\n", csv_name, n);
    } else if (line[0] == '#') {
      fail_msg("%s: unknown directive '%s'", path, line);
    } else {
      sb_printf(&e->errors, "%s\n", line);
    }
  }
  free(text);
  assert_true(e->record[0] && e->columns[0]);
}

static void test_bad_file(void **state) {
  const char *name = *state; /* NN-name.csv */
  char path[4200], cfg[4200];
  expect e;
  snprintf(path, sizeof(path), "%s/%.*s.expected", bad_dir,
           (int)(strlen(name) - 4), name);
  read_expect(path, name, &e);
  sb yaml = {0};
  sb_printf(&yaml, "files:\n  - path: %s\n    record: %s\n    columns: %s\n%s",
            name, e.record, e.columns, sb_str(&e.yaml));
  snprintf(cfg, sizeof(cfg), "%s/corpus.yaml", bad_dir);
  crun r = crun_init_as(sb_str(&yaml), cfg);
  if (r.init_rc) print_message("%s", mock_config_errors(r.m));
  assert_int_equal(r.init_rc, 0);
  assert_int_equal(expansiond_plugin.collect(r.st, mock_collect(r.m)), 0);
  mock_run_deferred(r.m);
  assert_int_equal(mock_collect_done_calls(r.m), 1);

  ASSERT_DATA_ERRORS(r.m, sb_str(&e.errors));
  sb got = {0};
  sb_put(&got, "");
  for (size_t i = 0; i < mock_n_records(r.m); i++)
    sb_printf(&got, "%s\n", rec(r.m, i)->origin);
  assert_string_equal(sb_str(&got), sb_str(&e.emitted));
  assert_int_equal(mock_collect_status(r.m), e.status);
  if (e.log[0]) assert_non_null(strstr(mock_log(r.m), e.log));
  sb_free(&got);
  sb_free(&yaml);
  sb_free(&e.yaml);
  sb_free(&e.errors);
  sb_free(&e.emitted);
  crun_free(&r);
}

/* tests/csv/good/config.yaml is a csv `config:` block over small files that
   give one or more rows of every record type; it loads without a problem. */
static void test_good_fixtures(void **state) {
  (void)state;
  char cfg[4200];
  char *text = NULL;
  size_t len = 0;
  snprintf(cfg, sizeof(cfg), "%s/config.yaml", good_dir);
  assert_int_equal(read_file(cfg, &text, &len), 0);
  crun r = crun_init_as(text, cfg);
  free(text);
  if (r.init_rc) print_message("%s", mock_config_errors(r.m));
  assert_int_equal(r.init_rc, 0);
  assert_int_equal(expansiond_plugin.collect(r.st, mock_collect(r.m)), 0);
  mock_run_deferred(r.m);
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_collect_status(r.m), 0);
  size_t n[EXD_REC_TYPE_COUNT_] = {0};
  for (size_t i = 0; i < mock_n_records(r.m); i++)
    n[rec(r.m, i)->type]++;
  assert_int_equal(n[EXD_REC_ACCOUNT], 3);
  assert_int_equal(n[EXD_REC_PRODUCT], 3 + 1); /* + one won deal */
  assert_int_equal(n[EXD_REC_HEALTH], 4);
  assert_int_equal(n[EXD_REC_USAGE], 3);
  assert_int_equal(n[EXD_REC_FEATURE], 2);
  assert_int_equal(n[EXD_REC_CONTACT], 3);
  assert_int_equal(n[EXD_REC_ESCALATION], 1);
  assert_int_equal(n[EXD_REC_INTENT], 2);
  assert_int_equal(n[EXD_REC_TRIGGER], 2);
  assert_int_equal(n[EXD_REC_OPPORTUNITY], 3);
  assert_int_equal(n[EXD_REC_CATALOGUE], 4);
  /* the usage rows got their account id through the tenants join */
  for (size_t i = 0; i < mock_n_records(r.m); i++) {
    const exd_record *x = rec(r.m, i);
    if (x->type == EXD_REC_USAGE) assert_non_null(x->account.crm_id);
    if (x->type == EXD_REC_ACCOUNT && !strcmp(x->account.crm_id, "0011x000001"))
      assert_string_equal(x->account.name, "Northwind Traders");
  }
  crun_free(&r);
}

static int is_csv(const struct dirent *d) {
  size_t n = strlen(d->d_name);
  return n > 4 && strcmp(d->d_name + n - 4, ".csv") == 0;
}

int main(void) {
  const char *src = getenv("EXD_SRC");
  snprintf(bad_dir, sizeof(bad_dir), "%s/tests/csv/bad", src ? src : ".");
  snprintf(good_dir, sizeof(good_dir), "%s/tests/csv/good", src ? src : ".");
  struct dirent **ents = NULL;
  int n = scandir(bad_dir, &ents, is_csv, alphasort);
  if (n < 18) {
    fprintf(stderr, "%s: expected at least 18 .csv files, found %d\n", bad_dir,
            n);
    return 1;
  }
  struct CMUnitTest *tests = calloc((size_t)n + 1, sizeof(*tests));
  for (int i = 0; i < n; i++) {
    tests[i].name = ents[i]->d_name;
    tests[i].test_func = test_bad_file;
    tests[i].initial_state = ents[i]->d_name;
  }
  tests[n].name = "test_good_fixtures";
  tests[n].test_func = test_good_fixtures;
  int rc =
      _cmocka_run_group_tests("csv_corpus", tests, (size_t)n + 1, NULL, NULL);
  for (int i = 0; i < n; i++)
    free(ents[i]);
  free(ents);
  free(tests);
  return rc;
}
