/* The csv plugin's init-time checks (required fields, dir) and its per-file
   summary when the core rejects emitted records. */
#include <errno.h>
#include <sys/stat.h>

#include "csv_map.h"
#include "csv_test_util.h"
#include "record.h"

/* ---- csv_missing_required (pure) ---------------------------------------- */

/* given[] with the named fields of type set. */
static void mark(int type, unsigned char *given, const char *const *names) {
  size_t n;
  const csv_field_def *f = csv_fields(type, &n);
  memset(given, 0, n);
  for (; *names; names++) {
    const csv_field_def *d = csv_field_find(type, *names);
    assert_non_null(d);
    given[d - f] = 1;
  }
}

static void test_missing_required_text(void **state) {
  (void)state;
  static const struct {
    int type;
    const char *given[4];
    size_t n;
    const char *want;
  } cases[] = {
      {EXD_REC_ACCOUNT,
       {NULL},
       1,
       "account_id, account_domain or account_name"},
      {EXD_REC_ACCOUNT, {"name", NULL}, 0, ""},
      {EXD_REC_ACCOUNT, {"account_domain", NULL}, 0, ""},
      {EXD_REC_PRODUCT, {"account_id", NULL}, 1, "product"},
      {EXD_REC_HEALTH, {NULL}, 2, "date, score"},
      {EXD_REC_HEALTH, {"score", NULL}, 1, "date"},
      {EXD_REC_USAGE, {NULL}, 2, "date, active_users or capacity_used"},
      {EXD_REC_USAGE, {"date", "capacity_used", NULL}, 0, ""},
      {EXD_REC_USAGE, {"active_users", NULL}, 1, "date"},
      {EXD_REC_FEATURE, {"feature", NULL}, 2, "date, adoption"},
      {EXD_REC_CONTACT, {"department", NULL}, 1, "name, title or roles"},
      {EXD_REC_CONTACT, {"roles", NULL}, 0, ""},
      {EXD_REC_ESCALATION, {"closed", NULL}, 1, "opened"},
      {EXD_REC_INTENT, {"date", NULL}, 1, "product or topics"},
      {EXD_REC_INTENT, {"date", "topics", NULL}, 0, ""},
      {EXD_REC_TRIGGER, {"detail", NULL}, 2, "date, type"},
      {EXD_REC_OPPORTUNITY, {NULL}, 0, ""},
      {EXD_REC_CATALOGUE, {"tier", NULL}, 3, "product, family, list_price"},
      {EXD_REC_CATALOGUE, {"product", "family", "list_price", NULL}, 0, ""},
  };
  unsigned char given[32];
  char buf[256];
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    mark(cases[i].type, given, cases[i].given);
    size_t n = csv_missing_required(cases[i].type, given, buf, sizeof(buf));
    assert_int_equal(n, cases[i].n);
    assert_string_equal(buf, cases[i].want);
  }
  /* A short buffer is cut, never overrun; an unknown type needs nothing. */
  mark(EXD_REC_USAGE, given, (const char *const[]){NULL});
  assert_int_equal(csv_missing_required(EXD_REC_USAGE, given, buf, 12), 2);
  assert_string_equal(buf, "date, activ");
  assert_int_equal(csv_missing_required(0, given, buf, sizeof(buf)), 0);
  assert_string_equal(buf, "");
}

/* ---- required fields at init -------------------------------------------- */

static void test_required_fields_reported(void **state) {
  (void)state;
  crun r = crun_init_as("files:\n"                                    /* 1 */
                        "  - path: a.csv\n"                           /* 2 */
                        "    record: account\n"                       /* 3 */
                        "    columns: {industry: Industry}\n"         /* 4 */
                        "  - path: h.csv\n"                           /* 5 */
                        "    record: health\n"                        /* 6 */
                        "    columns: {account_id: id, score: s}\n"   /* 7 */
                        "  - path: u.csv\n"                           /* 8 */
                        "    record: usage\n"                         /* 9 */
                        "    columns:\n"                              /* 10 */
                        "      capacity_limit: lim\n"                 /* 11 */
                        "  - path: f.csv\n"                           /* 12 */
                        "    record: feature\n"                       /* 13 */
                        "    columns: {account_id: id, product: p}\n" /* 14 */
                        "  - path: c.csv\n"                           /* 15 */
                        "    record: contact\n"                       /* 16 */
                        "    columns: {department: d, since: s}\n"    /* 17 */
                        "  - path: e.csv\n"                           /* 18 */
                        "    record: escalation\n"                    /* 19 */
                        "    columns: {closed: c}\n"                  /* 20 */
                        "  - path: i.csv\n"                           /* 21 */
                        "    record: intent\n"                        /* 22 */
                        "    columns: {score: s, stage: st}\n"        /* 23 */
                        "  - path: t.csv\n"                           /* 24 */
                        "    record: trigger\n"                       /* 25 */
                        "    columns: {detail: d}\n"                  /* 26 */
                        "  - path: k.csv\n"                           /* 27 */
                        "    record: catalogue\n"                     /* 28 */
                        "    columns: {tier: t, aliases: a}\n"        /* 29 */
                        "  - path: p.csv\n"                           /* 30 */
                        "    record: product\n"                       /* 31 */
                        "    columns: {seats_purchased: s}\n"         /* 32 */
                        "  - path: o.csv\n"                           /* 33 */
                        "    record: opportunity\n"                   /* 34 */
                        "    columns: {id: i, stage: s}\n"            /* 35 */
                        "    owned_from_won: true\n"                  /* 36 */
                        "  - path: o2.csv\n"                          /* 37 */
                        "    record: opportunity\n"                   /* 38 */
                        "    columns: {id: i}\n",                     /* 39 */
                        "conf/t.yaml");
  assert_int_equal(r.init_rc, EXD_ECONFIG);
  assert_null(r.st);
  assert_string_equal(
      mock_config_errors(r.m),
      "conf/t.yaml:4:14: record account needs field(s) account_id, "
      "account_domain or account_name (map a column or give a constant)\n"
      "conf/t.yaml:7:14: record health needs field(s) date (map a column or "
      "give a constant)\n"
      "conf/t.yaml:11:7: record usage needs field(s) date, active_users or "
      "capacity_used (map a column or give a constant)\n"
      "conf/t.yaml:14:14: record feature needs field(s) date, feature, "
      "adoption (map a column or give a constant)\n"
      "conf/t.yaml:17:14: record contact needs field(s) name, title or roles "
      "(map a column or give a constant)\n"
      "conf/t.yaml:20:14: record escalation needs field(s) opened (map a "
      "column or give a constant)\n"
      "conf/t.yaml:23:14: record intent needs field(s) date, product or "
      "topics (map a column or give a constant)\n"
      "conf/t.yaml:26:14: record trigger needs field(s) date, type (map a "
      "column or give a constant)\n"
      "conf/t.yaml:29:14: record catalogue needs field(s) product, family, "
      "list_price (map a column or give a constant)\n"
      "conf/t.yaml:32:14: record product needs field(s) product (map a "
      "column or give a constant)\n"
      "conf/t.yaml:35:14: record opportunity with owned_from_won needs "
      "field(s) product (map a column or give a constant)\n");
  crun_free(&r);
}

/* Columns, synonyms, joins, constants and either of two alternatives all
   count; a field named with a bad entry is reported once, for that entry,
   and after an unknown field name (likely the missing one, misspelt) the
   missing fields are not reported. */
static void test_required_fields_met(void **state) {
  (void)state;
  crun r = crun_init_as(
      "files:\n"
      "  - {path: a.csv, record: account, columns: {domain: d}}\n"
      "  - path: u.csv\n"
      "    record: usage\n"
      "    columns: {capacity_used: c}\n"
      "    constants: {date: 2024-01-01}\n"
      "  - path: u2.csv\n"
      "    record: usage\n"
      "    columns: {account_id: a}\n"
      "    join:\n"
      "      - {file: t.csv, on: a, key: a,\n"
      "         columns: {date: d, active_users: u}}\n"
      "  - path: c.csv\n"
      "    record: contact\n"
      "    columns: {account_id: a}\n"
      "    constants: {roles: champion}\n"
      "  - {path: i.csv, record: intent, columns: {date: d, topics: t}}\n"
      "  - path: k.csv\n"
      "    record: catalogue\n"
      "    columns: {product: p, family: f}\n"
      "    constants: {list_price: \"1,000\"}\n"
      "  - path: o.csv\n"
      "    record: opportunity\n"
      "    columns: {id: i}\n"
      "    constants: {product: Widget}\n"
      "    owned_from_won: true\n",
      NULL);
  assert_string_equal(mock_config_errors(r.m), "");
  assert_int_equal(r.init_rc, 0);
  assert_string_equal(mock_log(r.m), "");
  crun_free(&r);

  r = crun_init_as("files:\n"
                   "  - path: h.csv\n"
                   "    record: health\n"
                   "    columns: {account_id: id, score: s}\n"
                   "    constants: {date: yesterday}\n"
                   "  - path: h.csv\n"
                   "    record: health\n"
                   "    columns: {dat: Date, score: s}\n"
                   "  - path: h.csv\n"
                   "    record: health\n"
                   "    columns: {score: s}\n"
                   "    scale: {scor: 2}\n",
                   "conf/t.yaml");
  assert_int_equal(r.init_rc, EXD_ECONFIG);
  assert_string_equal(
      mock_config_errors(r.m),
      "conf/t.yaml:5:23: constants: date: 'yesterday' does not match the "
      "date format '%Y-%m-%d'\n"
      "conf/t.yaml:8:20: unknown field 'dat' in columns for record health; "
      "valid fields: account_id, account_domain, account_name, date, score\n"
      "conf/t.yaml:12:19: unknown field 'scor' in scale for record health; "
      "valid fields: account_id, account_domain, account_name, date, score\n"
      "conf/t.yaml:11:14: record health needs field(s) date (map a column or "
      "give a constant)\n");
  crun_free(&r);
}

/* ---- dir ----------------------------------------------------------------- */

static void test_dir_missing_is_a_warning(void **state) {
  (void)state;
  char want[2048];
  static const char files[] =
      "files: [{path: a.csv, record: account, columns: {name: n}}]\n";
  char *yaml = xasprintf("dir: nope\n%s", files);
  crun r = crun_init_as(yaml, NULL);
  free(yaml);
  assert_string_equal(mock_config_errors(r.m), "");
  assert_int_equal(r.init_rc, 0);
  snprintf(want, sizeof(want),
           "4: %s:1:6: dir '%s/nope' does not exist; its files cannot be "
           "read until it is created\n",
           tcfg, tdir);
  assert_string_equal(mock_log(r.m), want);
  crun_free(&r);

  write_file("plain", "x\n");
  yaml = xasprintf("delimiter: \",\"\ndir: plain\n%s", files);
  r = crun_init_as(yaml, NULL);
  free(yaml);
  assert_int_equal(r.init_rc, 0);
  snprintf(want, sizeof(want),
           "4: %s:2:6: dir '%s/plain' is not a directory; its files cannot be "
           "read\n",
           tcfg, tdir);
  assert_string_equal(mock_log(r.m), want);
  crun_free(&r);

  /* A path through a file: ENOTDIR from stat. */
  yaml = xasprintf("dir: plain/sub\n%s", files);
  r = crun_init_as(yaml, NULL);
  free(yaml);
  assert_int_equal(r.init_rc, 0);
  snprintf(want, sizeof(want),
           "4: %s:1:6: dir '%s/plain/sub': Not a directory; its files may not "
           "be readable\n",
           tcfg, tdir);
  assert_string_equal(mock_log(r.m), want);
  crun_free(&r);

  /* Every path absolute: dir is not used, nothing to say. */
  yaml = xasprintf("dir: nope\nfiles:\n"
                   "  - path: /x/a.csv\n"
                   "    record: usage\n"
                   "    columns: {date: d, active_users: u}\n"
                   "    join: [{file: /x/t.csv, on: a, key: a,\n"
                   "            columns: {account_id: id}}]\n");
  r = crun_init_as(yaml, NULL);
  free(yaml);
  assert_int_equal(r.init_rc, 0);
  assert_string_equal(mock_log(r.m), "");
  crun_free(&r);

  /* ... but a relative join file reads from it. */
  yaml = xasprintf("dir: nope\nfiles:\n"
                   "  - path: /x/a.csv\n"
                   "    record: usage\n"
                   "    columns: {date: d, active_users: u}\n"
                   "    join: [{file: t.csv, on: a, key: a,\n"
                   "            columns: {account_id: id}}]\n");
  r = crun_init_as(yaml, NULL);
  free(yaml);
  assert_int_equal(r.init_rc, 0);
  snprintf(want, sizeof(want),
           "4: %s:1:6: dir '%s/nope' does not exist; its files cannot be "
           "read until it is created\n",
           tcfg, tdir);
  assert_string_equal(mock_log(r.m), want);
  crun_free(&r);

  /* The default dir (the config file's) exists: no warning. */
  r = crun_init_as(files, NULL);
  assert_int_equal(r.init_rc, 0);
  assert_string_equal(mock_log(r.m), "");
  crun_free(&r);
}

/* ---- emit failures in the summary --------------------------------------- */

/* The mock host's emit, behind the core's own record check: what the core
   rejects is counted here and not passed on. */
static int (*mock_emit)(exd_collect *, const exd_record *);
static size_t core_rejected;

static int checked_emit(exd_collect *c, const exd_record *rec) {
  exd_record out;
  sb why = {0};
  int rc = record_check(rec, &out, &why);
  sb_free(&why);
  if (rc < 0) {
    core_rejected++;
    return rc;
  }
  return mock_emit(c, rec);
}

static void test_summary_counts_emit_failures(void **state) {
  (void)state;
  /* O2: a negative amount the plugin takes and the core rejects, twice
     (the deal and its owned product); O3 once; O4 is the plugin's own. */
  write_file("opps.csv", "id,acct,product,stage,amount,closed\n"
                         "O1,001A,Widget,Closed Won,500,2024-01-10\n"
                         "O2,001A,Widget,Closed Won,-500,2024-01-11\n"
                         "O3,001A,Widget,Open,-1,2024-02-01\n"
                         "O4,001A,Widget,Open,lots,2024-02-01\n"
                         "O5,001A,Widget,Open,20,2024-02-01\n");
  mock_host *m = mock_host_new("files:\n"
                               "  - path: opps.csv\n"
                               "    record: opportunity\n"
                               "    columns: {id: id, account_id: acct,\n"
                               "      product: product, stage: stage,\n"
                               "      amount: amount, closed: closed}\n"
                               "    owned_from_won: true\n",
                               tcfg, expansiond_plugin.config_keys);
  assert_string_equal(mock_config_errors(m), "");
  exd_host_api api = *mock_api(m);
  mock_emit = api.emit;
  api.emit = checked_emit;
  core_rejected = 0;
  void *st = NULL;
  assert_int_equal(expansiond_plugin.init(&api, mock_instance(m), &st), 0);
  assert_int_equal(expansiond_plugin.collect(st, mock_collect(m)), 0);
  mock_run_deferred(m);
  assert_int_equal(mock_collect_done_calls(m), 1);
  assert_int_equal(mock_collect_status(m), 0);
  ASSERT_DATA_ERRORS(m, "opps.csv:5:21: column 'amount' (field amount): "
                        "'lots' is not a number\n");
  assert_int_equal(core_rejected, 3);
  assert_int_equal(mock_n_records(m), 3); /* O1, its product, O5 */
  assert_string_equal(rec(m, 0)->u.opportunity.id, "O1");
  assert_int_equal(rec(m, 1)->type, EXD_REC_PRODUCT);
  assert_string_equal(rec(m, 2)->u.opportunity.id, "O5");
  assert_string_equal(mock_log(m), "6: opps.csv: 5 rows, 3 records, 4 "
                                   "rejected\n");
  expansiond_plugin.destroy(st);
  mock_host_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_missing_required_text),
      cmocka_unit_test(test_required_fields_reported),
      cmocka_unit_test(test_required_fields_met),
      cmocka_unit_test(test_dir_missing_is_a_warning),
      cmocka_unit_test(test_summary_counts_emit_failures),
  };
  return cmocka_run_group_tests(tests, tdir_setup, tdir_teardown);
}
