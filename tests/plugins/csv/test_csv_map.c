/* Pure parts of the csv plugin: field tables, value parsing, row mapping
   (plugins/csv/csv_map.c) and the join lookup table (csv_join.c). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_join.h"
#include "csv_map.h"
#include "date.h"
#include "record.h"

static void test_record_types(void **state) {
  (void)state;
  static const char *const names[] = {
      "account",    "product", "health",  "usage",       "feature",  "contact",
      "escalation", "intent",  "trigger", "opportunity", "catalogue"};
  for (int i = 0; i < 11; i++) {
    assert_int_equal(csv_record_type(names[i]), i + 1);
    assert_string_equal(csv_record_name(i + 1), names[i]);
  }
  assert_int_equal(csv_record_type("accounts"), 0);
  assert_int_equal(csv_record_type(NULL), 0);
  assert_string_equal(csv_record_name(0), "?");
  assert_string_equal(csv_record_name(EXD_REC_TYPE_COUNT_), "?");
}

static void test_field_tables(void **state) {
  (void)state;
  char buf[512];
  csv_field_names(EXD_REC_TRIGGER, buf, sizeof(buf));
  assert_string_equal(buf,
                      "account_id, account_domain, account_name, date, type, "
                      "detail");
  csv_field_names(EXD_REC_CATALOGUE, buf, sizeof(buf));
  assert_string_equal(buf, "product, family, tier, tier_name, list_price, "
                           "pricing, aliases, topics");
  /* synonyms only in account files */
  assert_ptr_equal(csv_field_find(EXD_REC_ACCOUNT, "name"),
                   csv_field_find(EXD_REC_ACCOUNT, "account_name"));
  assert_ptr_equal(csv_field_find(EXD_REC_ACCOUNT, "id"),
                   csv_field_find(EXD_REC_ACCOUNT, "account_id"));
  assert_ptr_equal(csv_field_find(EXD_REC_ACCOUNT, "domain"),
                   csv_field_find(EXD_REC_ACCOUNT, "account_domain"));
  const csv_field_def *f = csv_field_find(EXD_REC_CONTACT, "name");
  assert_non_null(f);
  assert_int_equal(f->off, offsetof(exd_record, u.contact.name));
  assert_null(csv_field_find(EXD_REC_CONTACT, "id"));
  assert_null(csv_field_find(EXD_REC_CATALOGUE, "account_id"));
  assert_null(csv_field_find(EXD_REC_OPPORTUNITY, "Amount"));
  f = csv_field_find(EXD_REC_INTENT, "topics");
  assert_int_equal(f->kind, CSV_K_LIST);
  assert_int_equal(f->off2, offsetof(exd_record, u.intent.n_topics));
  f = csv_field_find(EXD_REC_ACCOUNT, "parent_domain");
  assert_int_equal(f->off, offsetof(exd_record, u.account.parent.domain));
  /* every type has its key fields except the catalogue */
  size_t n;
  for (int t = 1; t < EXD_REC_TYPE_COUNT_; t++) {
    const csv_field_def *all = csv_fields(t, &n);
    assert_true(n > 2);
    assert_int_equal(strcmp(all[0].name, "account_id") == 0,
                     t != EXD_REC_CATALOGUE);
  }
  assert_null(csv_fields(0, &n));
  assert_int_equal(n, 0);
}

static void test_numbers(void **state) {
  (void)state;
  static const struct {
    const char *in;
    double want;
  } ok[] = {{"0", 0},
            {"-0.5", -0.5},
            {" 42 ", 42},
            {"1,234", 1234},
            {"12,345,678.25", 12345678.25},
            {"$5", 5},
            {"-$5", -5},
            {"$-5", -5},
            {"+7", 7},
            {"\xE2\x82\xAC"
             "3.5",
             3.5},
            {"\xC2\xA3"
             "1,000",
             1000},
            {".5", 0.5},
            {"5.", 5},
            {"1e3", 1000},
            {"2.5E-1", 0.25},
            {"007", 7}};
  for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
    double v = -1;
    assert_int_equal(csv_parse_number(ok[i].in, &v), 0);
    assert_true(v == ok[i].want);
  }
  static const char *const bad[] = {
      "",    " ",     "abc", "1,2",   "1,2345", ",123", "12,34,567", "1 000",
      "$",   "--1",   "+-1", "$$1",   "1e",     "1e+",  "0x10",      "inf",
      "nan", "1.2.3", "45%", "1e999", "-$-1",   "5 $",  "1,000,",    "."};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    double v = -1;
    assert_int_equal(csv_parse_number(bad[i], &v), -EINVAL);
    assert_true(v == -1);
  }
  char longnum[200];
  memset(longnum, '1', sizeof(longnum) - 1);
  longnum[sizeof(longnum) - 1] = '\0';
  double v;
  assert_int_equal(csv_parse_number(longnum, &v), -EINVAL);
}

static void test_date_formats(void **state) {
  (void)state;
  char why[256];
  assert_int_equal(csv_check_date_format("%Y-%m-%d", why, sizeof(why)), 0);
  assert_int_equal(csv_check_date_format("%d.%m.%y", why, sizeof(why)), 0);
  assert_int_equal(csv_check_date_format("%b %d %Y %%", why, sizeof(why)), 0);
  assert_int_equal(csv_check_date_format("%Y-%m", why, sizeof(why)), -EINVAL);
  assert_string_equal(why, "the format needs one year (%Y or %y), one month "
                           "(%m or %b) and one day (%d)");
  assert_int_equal(csv_check_date_format("%Y-%m-%d %H", why, sizeof(why)),
                   -EINVAL);
  assert_string_equal(why, "unknown conversion '%H' (use %Y %y %m %b %d %%)");
  assert_int_equal(csv_check_date_format("%Y-%m-%d%", why, sizeof(why)),
                   -EINVAL);
  assert_string_equal(why, "the format ends with a lone '%'");
  assert_int_equal(csv_check_date_format("%Y %Y %m %d", why, sizeof(why)),
                   -EINVAL);
}

static void test_dates(void **state) {
  (void)state;
  static const struct {
    const char *in, *fmt;
    int rc, y, m, d;
  } cases[] = {
      {"2017-12-31", "%Y-%m-%d", 0, 2017, 12, 31},
      {"2017-1-5", "%Y-%m-%d", 0, 2017, 1, 5},
      {"2017-12-31T23:59:59Z", "%Y-%m-%d", 0, 2017, 12, 31},
      {"2017-12-31 23:59", "%Y-%m-%d", 0, 2017, 12, 31},
      {"2017-12-31T", "%Y-%m-%d", -EINVAL, 0, 0, 0},
      {"2017-12-31x", "%Y-%m-%d", -EINVAL, 0, 0, 0},
      {"17-12-31", "%Y-%m-%d", -EINVAL, 0, 0, 0},
      {"2017-02-29", "%Y-%m-%d", -ERANGE, 0, 0, 0},
      {"2016-02-29", "%Y-%m-%d", 0, 2016, 2, 29},
      {"2000-02-29", "%Y-%m-%d", 0, 2000, 2, 29},
      {"1900-02-29", "%Y-%m-%d", -ERANGE, 0, 0, 0},
      {"2017-00-10", "%Y-%m-%d", -ERANGE, 0, 0, 0},
      {"2017-13-10", "%Y-%m-%d", -ERANGE, 0, 0, 0},
      {"0000-01-01", "%Y-%m-%d", -ERANGE, 0, 0, 0},
      {"31/12/2017", "%d/%m/%Y", 0, 2017, 12, 31},
      {"12/31/17", "%m/%d/%y", 0, 2017, 12, 31},
      {"01/01/69", "%m/%d/%y", 0, 1969, 1, 1},
      {"01/01/68", "%m/%d/%y", 0, 2068, 1, 1},
      {"5-Mar-2024", "%d-%b-%Y", 0, 2024, 3, 5},
      {"5-march-2024", "%d-%b-%Y", 0, 2024, 3, 5},
      {"5-Marc-2024", "%d-%b-%Y", -EINVAL, 0, 0, 0},
      {"SEPT 9 2024", "%b %d %Y", 0, 2024, 9, 9},
      {"20240305", "%Y%m%d", 0, 2024, 3, 5},
      {"2024 100%", "%Y %d%%", -EINVAL, 0, 0, 0},
      {"", "%Y-%m-%d", -EINVAL, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    int32_t days = 12345;
    int rc = csv_parse_date(cases[i].in, cases[i].fmt, &days);
    if (rc != cases[i].rc) print_message("case %zu: %s\n", i, cases[i].in);
    assert_int_equal(rc, cases[i].rc);
    if (rc == 0)
      assert_int_equal(days, date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
    else
      assert_int_equal(days, 12345);
  }
  int32_t days;
  assert_int_equal(csv_parse_date("1970-01-01", "%Y-%m-%d", &days), 0);
  assert_int_equal(days, 0);
}

static void test_enums(void **state) {
  (void)state;
  assert_int_equal(csv_parse_month("3"), 3);
  assert_int_equal(csv_parse_month("03"), 3);
  assert_int_equal(csv_parse_month("12"), 12);
  assert_int_equal(csv_parse_month("13"), 0);
  assert_int_equal(csv_parse_month("0"), 0);
  assert_int_equal(csv_parse_month("003"), 0);
  assert_int_equal(csv_parse_month("mar"), 3);
  assert_int_equal(csv_parse_month("March"), 3);
  assert_int_equal(csv_parse_month("SEPT"), 9);
  assert_int_equal(csv_parse_month("Sep"), 9);
  assert_int_equal(csv_parse_month("Marc"), 0);
  assert_int_equal(csv_parse_month("Smarch"), 0);
  assert_int_equal(csv_parse_month(""), 0);

  assert_int_equal(csv_parse_role("champion", 8), EXD_ROLE_CHAMPION);
  assert_int_equal(csv_parse_role("Power User", 10), EXD_ROLE_POWER_USER);
  assert_int_equal(csv_parse_role("economic-buyer", 14),
                   EXD_ROLE_ECONOMIC_BUYER);
  assert_int_equal(csv_parse_role("EXECUTIVE", 9), EXD_ROLE_EXECUTIVE);
  assert_int_equal(csv_parse_role("admin;x", 5), EXD_ROLE_ADMIN);
  assert_int_equal(csv_parse_role("admins", 6), 0);
  assert_int_equal(csv_parse_role("", 0), 0);

  assert_int_equal(csv_status_from_stage("Won"), EXD_OPP_WON);
  assert_int_equal(csv_status_from_stage("Closed Won"), EXD_OPP_WON);
  assert_int_equal(csv_status_from_stage("closed_won"), EXD_OPP_WON);
  assert_int_equal(csv_status_from_stage("LOST"), EXD_OPP_LOST);
  assert_int_equal(csv_status_from_stage("Closed-Lost"), EXD_OPP_LOST);
  assert_int_equal(csv_status_from_stage("Prospecting"), EXD_OPP_OPEN);
  assert_int_equal(csv_status_from_stage("Won back later"), EXD_OPP_OPEN);
  assert_int_equal(csv_status_from_stage(""), EXD_OPP_UNKNOWN);
  assert_int_equal(csv_status_from_stage(NULL), EXD_OPP_UNKNOWN);
}

/* csv_value_check's reason for text in field name of type. */
static const char *why_of(int type, const char *name, const char *text) {
  static char why[320];
  const csv_field_def *f = csv_field_find(type, name);
  assert_non_null(f);
  why[0] = '\0';
  if (csv_value_check(f, text, 1, "%Y-%m-%d", ';', why, sizeof(why)) == 0)
    return "ok";
  return why;
}

static void test_value_checks(void **state) {
  (void)state;
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "nps", "-100"), "ok");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "nps", "101"),
                      "'101' is out of range (-100..100)");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "employees", "-1"),
                      "'-1' is negative");
  assert_string_equal(why_of(EXD_REC_HEALTH, "score", "100.5"),
                      "'100.5' is out of range (0..100)");
  assert_string_equal(why_of(EXD_REC_FEATURE, "adoption", "100%"), "ok");
  assert_string_equal(why_of(EXD_REC_FEATURE, "adoption", "140%"),
                      "'140%' is out of range (0..1, or 0%..100%)");
  assert_string_equal(why_of(EXD_REC_FEATURE, "adoption", "1.2"),
                      "'1.2' is out of range (0..1, or 0%..100%)");
  assert_string_equal(why_of(EXD_REC_FEATURE, "adoption", "x%"),
                      "'x%' is not a number or percentage");
  assert_string_equal(why_of(EXD_REC_FEATURE, "adoption", "%"),
                      "'%' is not a number or percentage");
  assert_string_equal(why_of(EXD_REC_CATALOGUE, "tier", "0"),
                      "'0' is out of range (1..100)");
  assert_string_equal(why_of(EXD_REC_CATALOGUE, "tier", "two"),
                      "'two' is not a whole number");
  assert_string_equal(why_of(EXD_REC_CATALOGUE, "pricing", "Per-Seat"), "ok");
  assert_string_equal(why_of(EXD_REC_CATALOGUE, "pricing", "monthly"),
                      "'monthly' is not a pricing (per_seat or flat)");
  assert_string_equal(why_of(EXD_REC_OPPORTUNITY, "status", "Closed Won"),
                      "'Closed Won' is not a status (open, won or lost)");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "fy_start_month", "Smarch"),
                      "'Smarch' is not a month (1-12 or a month name)");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "contract_end", "2017-02-30"),
                      "'2017-02-30' is not a valid date");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "contract_end", "30.1.2017"),
                      "'30.1.2017' does not match the date format "
                      "'%Y-%m-%d'");
  assert_string_equal(why_of(EXD_REC_CONTACT, "roles", "admin; champion"),
                      "ok");
  assert_string_equal(why_of(EXD_REC_CONTACT, "roles", "admin; boss ;x"),
                      "'boss' is not a role (champion, power_user, "
                      "economic_buyer, executive or admin)");
  assert_string_equal(why_of(EXD_REC_INTENT, "topics", "anything;at all"),
                      "ok");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "industry", "anything"), "ok");
  /* long values are cut on a character boundary; controls escaped */
  assert_string_equal(
      why_of(EXD_REC_ACCOUNT, "employees",
             "\xC3\xA9"
             "123456789012345678901234567890123456789012345678901234"
             "567890"),
      "'\xC3\xA9"
      "1234567890123456789012345678901234567890123456789012345678"
      "...' is not a number");
  assert_string_equal(why_of(EXD_REC_ACCOUNT, "employees", "1\n2\t3"),
                      "'1\\x0a2\\x093' is not a number");
}

/* A mapping over cells: 0 acct, 1 users, 2 when, 3 roles, 4 tenant. */
static csv_binding bind(int type, const char *field, const char *column,
                        int col) {
  csv_binding b = {0};
  b.def = csv_field_find(type, field);
  assert_non_null(b.def);
  b.column = column;
  b.col = col;
  b.join = b.join_col = b.slot = -1;
  b.scale = 1;
  return b;
}

static void test_map_row(void **state) {
  (void)state;
  static const csv_alias dept_alias[] = {{"eng", "Engineering"}, {"none", ""}};
  csv_binding b[5];
  b[0] = bind(EXD_REC_USAGE, "account_id", "acct", 0);
  b[0].join = 0; /* from tenants.csv when the cell is empty */
  b[0].join_column = "sfdc_id";
  b[0].join_col = 0;
  b[1] = bind(EXD_REC_USAGE, "date", "when", 2);
  b[2] = bind(EXD_REC_USAGE, "department", "dept", 3);
  b[2].aliases = dept_alias;
  b[2].n_aliases = 2;
  b[2].constant = "Sales";
  b[3] = bind(EXD_REC_USAGE, "active_users", "users", 1);
  b[3].scale = 10;
  b[3].join = 0;
  b[3].join_column = "seats";
  b[3].join_col = 1;
  b[4] = bind(EXD_REC_USAGE, "capacity_limit", NULL, -1);
  b[4].constant = "1,000";
  static const int join_on[] = {4};
  static const char *const join_files[] = {"tenants.csv"};
  csv_mapping m = {EXD_REC_USAGE, b, 5,       "%d.%m.%Y",
                   ';',           1, join_on, join_files};
  csv_rowbuf buf = {0};
  csv_map_error err;
  exd_record r;

  char c0[] = " 001A ", c1[] = "7", c2[] = "5.3.2024", c3[] = "ENG",
       c4[] = "T1";
  char *cells[] = {c0, c1, c2, c3, c4};
  char j0[] = "009Z", j1[] = "abc";
  char *jrow[] = {j0, j1};
  char *const *jrows[] = {jrow};
  record_init(&r, sizeof(r), EXD_REC_USAGE);
  assert_int_equal(csv_map_row(&m, cells, jrows, &r, &buf, &err), 0);
  assert_string_equal(r.account.crm_id, "001A"); /* trimmed; the cell wins */
  assert_int_equal(r.u.usage.date, date_from_ymd(2024, 3, 5));
  assert_string_equal(r.u.usage.department, "Engineering");
  assert_true(r.u.usage.active_users == 70);
  assert_true(r.u.usage.capacity_limit == 1000);
  assert_true(EXD_IS_NONE(r.u.usage.capacity_used));

  /* Empty cells: join, then constant; an alias to "" is absent. */
  char d0[] = "", d1[] = "  ", d2[] = "1.1.2024", d3[] = "none", d4[] = "T1";
  char *cells2[] = {d0, d1, d2, d3, d4};
  char k0[] = "009Z", k1[] = "12";
  char *jrow2[] = {k0, k1};
  char *const *jrows2[] = {jrow2};
  record_init(&r, sizeof(r), EXD_REC_USAGE);
  assert_int_equal(csv_map_row(&m, cells2, jrows2, &r, &buf, &err), 0);
  assert_string_equal(r.account.crm_id, "009Z");
  assert_true(r.u.usage.active_users == 120);
  assert_null(r.u.usage.department);

  char e3[] = "";
  cells2[3] = e3;
  record_init(&r, sizeof(r), EXD_REC_USAGE);
  assert_int_equal(csv_map_row(&m, cells2, NULL, &r, &buf, &err), 0);
  assert_null(r.account.crm_id); /* no join row */
  assert_string_equal(r.u.usage.department, "Sales");
  assert_true(EXD_IS_NONE(r.u.usage.active_users));

  /* A bad value from the join points at the join's `on` cell. */
  char f1[] = "";
  cells[1] = f1;
  record_init(&r, sizeof(r), EXD_REC_USAGE);
  assert_int_equal(csv_map_row(&m, cells, jrows, &r, &buf, &err), -EINVAL);
  assert_int_equal(err.cell, 4);
  assert_string_equal(err.msg, "column 'seats' of tenants.csv (field "
                               "active_users): 'abc' is not a number");
  /* A bad value from the row points at its cell. */
  char g2[] = "2024-03-05";
  cells[2] = g2;
  record_init(&r, sizeof(r), EXD_REC_USAGE);
  assert_int_equal(csv_map_row(&m, cells, jrows, &r, &buf, &err), -EINVAL);
  assert_int_equal(err.cell, 2);
  assert_string_equal(err.msg, "column 'when' (field date): '2024-03-05' does "
                               "not match the date format '%d.%m.%Y'");
  csv_rowbuf_free(&buf);
}

static void test_map_lists(void **state) {
  (void)state;
  static const csv_alias topic_alias[] = {{"ml", "machine learning"},
                                          {"drop", ""}};
  csv_binding b[3];
  b[0] = bind(EXD_REC_CATALOGUE, "product", "p", 0);
  b[1] = bind(EXD_REC_CATALOGUE, "aliases", "a", 1);
  b[1].slot = 0;
  b[2] = bind(EXD_REC_CATALOGUE, "topics", "t", 2);
  b[2].slot = 1;
  b[2].aliases = topic_alias;
  b[2].n_aliases = 2;
  csv_mapping m = {EXD_REC_CATALOGUE, b, 3, "%Y-%m-%d", '|', 0, NULL, NULL};
  csv_rowbuf buf = {0};
  csv_map_error err;
  exd_record r;
  char c0[] = "X", c1[] = " a | b |", c2[] = "ML|drop|| crm ";
  char *cells[] = {c0, c1, c2};
  record_init(&r, sizeof(r), EXD_REC_CATALOGUE);
  assert_int_equal(csv_map_row(&m, cells, NULL, &r, &buf, &err), 0);
  assert_int_equal(r.u.catalogue.n_aliases, 2);
  assert_string_equal(r.u.catalogue.aliases[0], "a");
  assert_string_equal(r.u.catalogue.aliases[1], "b");
  assert_int_equal(r.u.catalogue.n_topics, 2);
  assert_string_equal(r.u.catalogue.topics[0], "machine learning");
  assert_string_equal(r.u.catalogue.topics[1], "crm");
  /* the cells themselves are untouched by list splitting */
  assert_string_equal(c2, "ML|drop|| crm");
  char d1[] = "|||", d2[] = "drop";
  cells[1] = d1;
  cells[2] = d2;
  record_init(&r, sizeof(r), EXD_REC_CATALOGUE);
  assert_int_equal(csv_map_row(&m, cells, NULL, &r, &buf, &err), 0);
  assert_int_equal(r.u.catalogue.n_aliases, 0);
  assert_null(r.u.catalogue.aliases);
  assert_int_equal(r.u.catalogue.n_topics, 0);
  csv_rowbuf_free(&buf);
}

static void test_lookup(void **state) {
  (void)state;
  csv_lookup lk;
  assert_int_equal(csv_lookup_init(&lk, 2), 0);
  const char *v1[] = {"001A", "EU"}, *v2[] = {"002B", "US"},
             *v3[] = {"999", "XX"};
  unsigned long first = 0, line = 0;
  assert_int_equal(csv_lookup_add(&lk, "T1", v1, 2, &first), 0);
  assert_int_equal(csv_lookup_add(&lk, "T2", v2, 3, &first), 0);
  assert_int_equal(csv_lookup_add(&lk, "T1", v3, 4, &first), 1);
  assert_int_equal(first, 2);
  assert_int_equal(csv_lookup_add(&lk, "", v3, 5, &first), 0); /* ignored */
  assert_int_equal(csv_lookup_rows(&lk), 2);
  char *const *row = csv_lookup_get(&lk, "T1", &line);
  assert_non_null(row);
  assert_string_equal(row[0], "001A");
  assert_string_equal(row[1], "EU");
  assert_int_equal(line, 2);
  assert_null(csv_lookup_get(&lk, "t1", NULL)); /* exact match only */
  assert_null(csv_lookup_get(&lk, "", NULL));
  /* many keys: the table grows and keeps every row */
  char key[32], val[32];
  for (int i = 0; i < 5000; i++) {
    snprintf(key, sizeof(key), "K%d", i);
    snprintf(val, sizeof(val), "V%d", i * 7);
    const char *v[] = {val, key};
    assert_int_equal(csv_lookup_add(&lk, key, v, (unsigned long)i + 10, NULL),
                     0);
  }
  assert_int_equal(csv_lookup_rows(&lk), 5002);
  for (int i = 0; i < 5000; i += 499) {
    snprintf(key, sizeof(key), "K%d", i);
    snprintf(val, sizeof(val), "V%d", i * 7);
    row = csv_lookup_get(&lk, key, &line);
    assert_non_null(row);
    assert_string_equal(row[0], val);
    assert_string_equal(row[1], key);
    assert_int_equal(line, (unsigned long)i + 10);
  }
  assert_string_equal(csv_lookup_get(&lk, "T2", NULL)[1], "US");
  csv_lookup_free(&lk);
  /* an empty table answers nothing */
  assert_int_equal(csv_lookup_init(&lk, 0), 0);
  assert_null(csv_lookup_get(&lk, "x", NULL));
  csv_lookup_free(&lk);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_record_types), cmocka_unit_test(test_field_tables),
      cmocka_unit_test(test_numbers),      cmocka_unit_test(test_date_formats),
      cmocka_unit_test(test_dates),        cmocka_unit_test(test_enums),
      cmocka_unit_test(test_value_checks), cmocka_unit_test(test_map_row),
      cmocka_unit_test(test_map_lists),    cmocka_unit_test(test_lookup),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
