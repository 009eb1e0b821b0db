/* The csv plugin's error reporting through the mock host: config errors
   with exact positions, unreadable files, missing columns, failed joins. */
#include <errno.h>

#include "csv_test_util.h"

static void test_join_errors(void **state) {
  (void)state;
  char want[2048];
  write_file("tenants2.csv", "tenant_id,sfdc_id\nT1,001A\n");
  write_file("u2.csv", "tenant,date,users\nT1,2024-01-01,5\n");
  write_file("u3.csv", "date,users\n2024-01-01,5\n");
  crun r = crun_collect(
      "files:\n"
      "  - path: u2.csv\n"
      "    record: usage\n"
      "    columns: {date: date, active_users: users}\n"
      "    join:\n"
      "      - {file: tenants2.csv, on: tenant, key: id,\n"
      "         columns: {account_id: sfdc}}\n"
      "  - path: u2.csv\n"
      "    record: usage\n"
      "    columns: {date: date, active_users: users}\n"
      "    join:\n"
      "      - {file: nope.csv, on: tenant, key: id,\n"
      "         columns: {account_id: sfdc}}\n"
      "  - path: u3.csv\n"
      "    record: usage\n"
      "    columns: {date: date, active_users: users}\n"
      "    join:\n"
      "      - {file: tenants2.csv, on: tenant,\n"
      "         key: tenant_id, columns: {account_id: sfdc_id}}\n");
  snprintf(want, sizeof(want),
           "tenants2.csv:1:1: missing columns 'id' (join key), 'sfdc' (join "
           "column); the header has: tenant_id, sfdc_id\n"
           "%s:12:16: cannot open '%s/nope.csv': No such file or directory\n"
           "u3.csv:1:1: missing column 'tenant' (join on tenants2.csv); the "
           "header has: date, users\n",
           tcfg, tdir);
  ASSERT_DATA_ERRORS(r.m, want);
  assert_int_equal(mock_n_records(r.m), 0);
  assert_int_equal(mock_collect_status(r.m), EXD_EDATA);
  crun_free(&r);
}

static void test_missing_file(void **state) {
  (void)state;
  char want[1024];
  write_file("good.csv", "n\nAcme\n");
  crun r = crun_collect("files:\n"
                        "  - path: missing.csv\n"
                        "    record: account\n"
                        "    columns: {name: n}\n"
                        "  - path: good.csv\n"
                        "    record: account\n"
                        "    columns: {name: n}\n");
  snprintf(want, sizeof(want),
           "%s:2:11: cannot open '%s/missing.csv': No such file or directory\n",
           tcfg, tdir);
  ASSERT_DATA_ERRORS(r.m, want);
  assert_int_equal(mock_collect_status(r.m), -ENOENT);
  assert_int_equal(mock_n_records(r.m), 1);
  assert_string_equal(rec(r.m, 0)->account.name, "Acme");
  crun_free(&r);
}

static void test_missing_columns(void **state) {
  (void)state;
  write_file("hdr.csv", "account,sectr,employees\nAcme,tech,5\n");
  write_file("hdr_ok.csv", " Account ,EMPLOYEES\nBeta,7\n");
  crun r = crun_collect("files:\n"
                        "  - path: hdr.csv\n"
                        "    record: account\n"
                        "    columns: {name: account, industry: sector}\n"
                        "  - path: hdr.csv\n"
                        "    record: account\n"
                        "    columns: {name: account, industry: sector,\n"
                        "      employees: staff}\n"
                        "  - path: hdr_ok.csv\n"
                        "    record: account\n"
                        "    columns: {name: account, employees: employees}\n");
  ASSERT_DATA_ERRORS(r.m,
                     "hdr.csv:1:1: missing column 'sector' (field industry); "
                     "the header has: account, sectr, employees\n"
                     "hdr.csv:1:1: missing columns 'sector' (field industry), "
                     "'staff' (field employees); the header has: account, "
                     "sectr, employees\n");
  assert_int_equal(mock_collect_status(r.m), EXD_EDATA);
  /* header names match case-insensitively and trimmed when not exact */
  assert_int_equal(mock_n_records(r.m), 1);
  assert_string_equal(rec(r.m, 0)->account.name, "Beta");
  assert_true(rec(r.m, 0)->u.account.employees == 7);
  crun_free(&r);
}

static void test_config_errors(void **state) {
  (void)state;
  crun r =
      crun_init_as("files:\n"                                           /* 1 */
                   "  - path: a.csv\n"                                  /* 2 */
                   "    record: account\n"                              /* 3 */
                   "    columns:\n"                                     /* 4 */
                   "      name: account\n"                              /* 5 */
                   "      indstry: sector\n"                            /* 6 */
                   "    values:\n"                                      /* 7 */
                   "      sectr: {a: b}\n"                              /* 8 */
                   "    scale:\n"                                       /* 9 */
                   "      country: 10\n"                                /* 10 */
                   "      revnue: 5\n"                                  /* 11 */
                   "    constants:\n"                                   /* 12 */
                   "      employees: many\n"                            /* 13 */
                   "      fy_start_month: Smarch\n"                     /* 14 */
                   "    date_format: \"%Y-%q\"\n"                       /* 15 */
                   "    owned_from_won: true\n"                         /* 16 */
                   "  - path: b.csv\n"                                  /* 17 */
                   "    record: opportunity\n"                          /* 18 */
                   "    columns: {status: s, stage: st, amount: amt}\n" /* 19 */
                   "    values:\n"                                      /* 20 */
                   "      status: {Booked: booked}\n"                   /* 21 */
                   "    join:\n"                                        /* 22 */
                   "      - file: t.csv\n"                              /* 23 */
                   "        on: t\n"                                    /* 24 */
                   "        key: id\n"                                  /* 25 */
                   "        columns: {acount_id: sfdc, amount: amt2}\n" /* 26 */
                   "delimiter: \";;\"\n",                               /* 27 */
                   "conf/t.yaml");
  assert_int_equal(r.init_rc, EXD_ECONFIG);
  assert_null(r.st);
  assert_string_equal(
      mock_config_errors(r.m),
      "conf/t.yaml:27:12: delimiter: expected one character or \"tab\", found "
      "';;'\n"
      "conf/t.yaml:15:18: date_format: unknown conversion '%q' (use %Y %y %m "
      "%b %d %%)\n"
      "conf/t.yaml:16:21: owned_from_won applies to record opportunity only\n"
      "conf/t.yaml:6:16: unknown field 'indstry' in columns for record "
      "account; valid fields: account_id, account_domain, account_name, "
      "parent_id, parent_domain, parent_name, industry, employees, revenue, "
      "country, fy_start_month, arr, currency, contract_start, contract_end, "
      "renewal_date, nps, owner, as_of\n"
      "conf/t.yaml:8:14: unknown field 'sectr' in values for record account; "
      "valid fields: account_id, account_domain, account_name, parent_id, "
      "parent_domain, parent_name, industry, employees, revenue, country, "
      "fy_start_month, arr, currency, contract_start, contract_end, "
      "renewal_date, nps, owner, as_of\n"
      "conf/t.yaml:10:16: scale: field 'country' is not a number field\n"
      "conf/t.yaml:11:15: unknown field 'revnue' in scale for record account; "
      "valid fields: account_id, account_domain, account_name, parent_id, "
      "parent_domain, parent_name, industry, employees, revenue, country, "
      "fy_start_month, arr, currency, contract_start, contract_end, "
      "renewal_date, nps, owner, as_of\n"
      "conf/t.yaml:13:18: constants: employees: 'many' is not a number\n"
      "conf/t.yaml:14:23: constants: fy_start_month: 'Smarch' is not a month "
      "(1-12 or a month name)\n"
      "conf/t.yaml:26:30: unknown field 'acount_id' in join columns for record "
      "opportunity; valid fields: account_id, account_domain, account_name, "
      "id, product, stage, status, amount, created, closed, owner\n"
      "conf/t.yaml:21:24: values: status: 'booked' is not a status (open, won "
      "or lost)\n");
  crun_free(&r);
}

static void test_config_errors_more(void **state) {
  (void)state;
  crun r = crun_init_as("files: []\n", "conf/t.yaml");
  assert_int_equal(r.init_rc, EXD_ECONFIG);
  assert_string_equal(
      mock_config_errors(r.m),
      "conf/t.yaml:1:8: files: at least one file is required\n");
  crun_free(&r);

  r = crun_init_as("list_separator: \"\"\n"
                   "files:\n"
                   "  - path: a.csv\n"
                   "    record: account\n"
                   "    columns: {account_name: a, name: b}\n"
                   "    constants: {roles: x}\n"
                   "  - path: a.csv\n"
                   "    record: contact\n"
                   "    columns: {roles: r}\n"
                   "    constants: {since: 2024-02-30}\n"
                   "    values: {roles: {boss: chief}}\n",
                   "conf/t.yaml");
  assert_int_equal(r.init_rc, EXD_ECONFIG);
  assert_string_equal(
      mock_config_errors(r.m),
      "conf/t.yaml:1:17: list_separator: expected one character or "
      "\"tab\", found ''\n"
      "conf/t.yaml:5:38: columns: field 'account_name' is given twice (as "
      "'account_name' and 'name')\n"
      "conf/t.yaml:6:24: unknown field 'roles' in constants for record "
      "account; valid fields: account_id, account_domain, account_name, "
      "parent_id, parent_domain, parent_name, industry, employees, "
      "revenue, country, fy_start_month, arr, currency, contract_start, "
      "contract_end, renewal_date, nps, owner, as_of\n"
      "conf/t.yaml:10:24: constants: since: '2024-02-30' is not a valid "
      "date\n"
      "conf/t.yaml:11:28: values: roles: 'chief' is not a role (champion, "
      "power_user, economic_buyer, executive or admin)\n");
  crun_free(&r);
}

static void test_config_core_checks(void **state) {
  (void)state;
  /* The key table reaches the core's validator: a typo in `record`. */
  crun r = crun_init_as("files:\n"
                        "  - path: a.csv\n"
                        "    record: acount\n"
                        "    columns: {name: n}\n",
                        "conf/t.yaml");
  assert_int_equal(r.init_rc, EXD_ECONFIG);
  const char *e = mock_config_errors(r.m);
  assert_non_null(strstr(e, "conf/t.yaml:3:13: "));
  assert_non_null(strstr(e, "'acount' is not one of: account, product"));
  crun_free(&r);
  /* defaults: dir is the config file's directory */
  write_file("d.csv", "n\nX\n");
  r = crun_collect(
      "files: [{path: d.csv, record: account, columns: {name: n}}]\n");
  assert_int_equal(mock_n_records(r.m), 1);
  crun_free(&r);
}

static void test_join_duplicates(void **state) {
  (void)state;
  write_file("dup_t.csv", "k,v\nA,1\nA,2\nA,3\nB,4\nB,5\nA,6\n");
  write_file("dup_u.csv", "k,date,users\nA,2024-01-01,1\nB,2024-01-01,2\n");
  crun r = crun_collect("files:\n"
                        "  - path: dup_u.csv\n"
                        "    record: usage\n"
                        "    columns: {date: date, active_users: users}\n"
                        "    join:\n"
                        "      - {file: dup_t.csv, on: k, key: k,\n"
                        "         columns: {account_id: v}}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_n_records(r.m), 2);
  assert_string_equal(rec(r.m, 0)->account.crm_id, "1");
  assert_string_equal(rec(r.m, 1)->account.crm_id, "4");
  const char *log = mock_log(r.m);
  assert_non_null(strstr(log, "4: dup_t.csv:3: duplicate key 'A' (first at "
                              "line 2); the first row is used\n"
                              "4: dup_t.csv:4: duplicate key 'A' (first at "
                              "line 2); the first row is used\n"
                              "4: dup_t.csv:6: duplicate key 'B' (first at "
                              "line 5); the first row is used\n"
                              "4: dup_t.csv: 1 more duplicate key\n"));
  crun_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_join_errors),
      cmocka_unit_test(test_join_duplicates),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_missing_columns),
      cmocka_unit_test(test_config_errors),
      cmocka_unit_test(test_config_errors_more),
      cmocka_unit_test(test_config_core_checks),
  };
  return cmocka_run_group_tests(tests, tdir_setup, tdir_teardown);
}
