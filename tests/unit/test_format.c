/*
 * core/format.c: the output schema of ranked opportunities as JSON objects
 * and CSV rows (run --format json|csv, host->format_result).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "format.h"

static const char *const holds[] = {"open escalation ESC-1", "champion left"};
static const exd_reason reasons[] = {
    {"usage_ceiling", "Seats 95% used, 95 of 100", 15.04},
    {"open_escalation", "1 open escalation", -10},
};
static const exd_objection objections[] = {
    {"Budget is \"frozen\"", "Start small"},
    {"No time", "Two-week pilot"},
};

static exd_opportunity full(void) {
  exd_opportunity o;
  memset(&o, 0, sizeof(o));
  o.struct_size = sizeof(o);
  o.rank = 1;
  o.key = "001A0000006Vm9rIAC|upsell|GTX Pro|2024-07-01";
  o.account_id = "001A0000006Vm9rIAC";
  o.account_name = "Acme, Inc.";
  o.type = EXD_OPP_UPSELL;
  o.type_name = "upsell";
  o.product = "GTX Pro";
  o.propensity = 72.34;
  o.expected_uplift = 12000.456;
  o.expected_value = 8681.1;
  o.window_start = date_from_ymd(2024, 7, 1);
  o.window_end = date_from_ymd(2024, 9, 28);
  o.holds = holds;
  o.n_holds = 2;
  o.reasons = reasons;
  o.n_reasons = 2;
  o.current_arr = 48000;
  o.roi = "12000 more ARR for 0 new seats";
  o.objections = objections;
  o.n_objections = 2;
  o.entry_point = "Jane Doe (champion)";
  o.next_action = "Call Jane";
  return o;
}

static exd_opportunity empty(void) {
  exd_opportunity o;
  memset(&o, 0, sizeof(o));
  o.struct_size = sizeof(o);
  o.rank = 2;
  o.propensity = o.expected_uplift = o.expected_value = EXD_NONE;
  o.current_arr = EXD_NONE;
  o.window_start = o.window_end = EXD_DATE_NONE;
  return o;
}

static void expect_format(const exd_opportunity *o, int fmt, const char *want) {
  sb b = {0};
  sb_put(&b, ">"); /* appends, never replaces */
  assert_int_equal(format_opportunity(o, fmt, &b), 0);
  assert_string_equal(sb_str(&b) + 1, want);
  assert_int_equal(sb_str(&b)[0], '>');
  sb_free(&b);
}

static void test_json_full(void **state) {
  (void)state;
  exd_opportunity o = full();
  expect_format(
      &o, EXD_FMT_JSON,
      "{\"rank\":1,\"key\":\"001A0000006Vm9rIAC|upsell|GTX Pro|2024-07-01\","
      "\"account\":\"Acme, Inc.\",\"account_id\":\"001A0000006Vm9rIAC\","
      "\"type\":\"upsell\",\"product\":\"GTX Pro\",\"propensity\":72.3,"
      "\"expected_uplift\":12000.46,\"expected_value\":8681.1,"
      "\"window\":{\"start\":\"2024-07-01\",\"end\":\"2024-09-28\"},"
      "\"hold\":[\"open escalation ESC-1\",\"champion left\"],"
      "\"reasons\":[{\"code\":\"usage_ceiling\",\"text\":\"Seats 95% used, 95 "
      "of 100\",\"weight\":15.0},{\"code\":\"open_escalation\",\"text\":\"1 "
      "open escalation\",\"weight\":-10.0}],"
      "\"business_case\":{\"current_arr\":48000.0,\"uplift\":12000.46,"
      "\"roi\":\"12000 more ARR for 0 new seats\",\"objections\":["
      "{\"objection\":\"Budget is \\\"frozen\\\"\",\"response\":\"Start "
      "small\"},{\"objection\":\"No time\",\"response\":\"Two-week pilot\"}],"
      "\"entry_point\":\"Jane Doe (champion)\"},\"next_action\":\"Call "
      "Jane\"}");
}

static void test_json_absent_values(void **state) {
  (void)state;
  exd_opportunity o = empty();
  expect_format(
      &o, EXD_FMT_JSON,
      "{\"rank\":2,\"key\":null,\"account\":null,\"account_id\":null,"
      "\"type\":null,\"product\":null,\"propensity\":null,"
      "\"expected_uplift\":null,\"expected_value\":null,"
      "\"window\":{\"start\":null,\"end\":null},\"hold\":[],\"reasons\":[],"
      "\"business_case\":{\"current_arr\":null,\"uplift\":null,\"roi\":null,"
      "\"objections\":[],\"entry_point\":null},\"next_action\":null}");
}

static void test_json_object_types(void **state) {
  (void)state;
  exd_opportunity o = full();
  json_t *j = format_opportunity_json(&o);
  assert_true(json_is_integer(json_object_get(j, "rank")));
  assert_true(json_is_real(json_object_get(j, "propensity")));
  assert_true(json_is_array(json_object_get(j, "hold")));
  assert_int_equal(json_array_size(json_object_get(j, "reasons")), 2);
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(j, "window"), "end")),
      "2024-09-28");
  assert_int_equal(json_object_size(j), 14);
  json_decref(j);
}

static void test_csv_header(void **state) {
  (void)state;
  expect_format(NULL, EXD_FMT_CSV_HEADER,
                "rank,account,account_id,type,product,propensity,"
                "expected_uplift,expected_value,window_start,window_end,hold,"
                "reasons,current_arr,roi,objections,entry_point,next_action,"
                "key");
}

static void test_csv_full(void **state) {
  (void)state;
  exd_opportunity o = full();
  expect_format(&o, EXD_FMT_CSV,
                "1,\"Acme, Inc.\",001A0000006Vm9rIAC,upsell,GTX Pro,72.3,"
                "12000.46,8681.10,2024-07-01,2024-09-28,"
                "open escalation ESC-1 | champion left,"
                "\"usage_ceiling (+15.0): Seats 95% used, 95 of 100 | "
                "open_escalation (-10.0): 1 open escalation\","
                "48000.00,12000 more ARR for 0 new seats,"
                "\"Budget is \"\"frozen\"\" -> Start small | No time -> "
                "Two-week pilot\","
                "Jane Doe (champion),Call Jane,"
                "001A0000006Vm9rIAC|upsell|GTX Pro|2024-07-01");
}

static void test_csv_absent_values(void **state) {
  (void)state;
  exd_opportunity o = empty();
  /* 18 columns, every one but the rank empty. */
  expect_format(&o, EXD_FMT_CSV, "2,,,,,,,,,,,,,,,,,");
}

static void test_csv_line_breaks_quoted(void **state) {
  (void)state;
  exd_opportunity o = empty();
  o.next_action = "Call\r\nJane";
  o.account_name = "Plain";
  expect_format(&o, EXD_FMT_CSV, "2,Plain,,,,,,,,,,,,,,,\"Call\r\nJane\",");
}

static void test_csv_field(void **state) {
  (void)state;
  sb b = {0};
  format_csv_field(&b, NULL);
  assert_string_equal(sb_str(&b), "");
  format_csv_field(&b, "plain text");
  format_csv_field(&b, "|");
  format_csv_field(&b, "a,b");
  format_csv_field(&b, "|");
  format_csv_field(&b, "say \"hi\"");
  format_csv_field(&b, "|");
  format_csv_field(&b, "line\nbreak");
  assert_string_equal(sb_str(&b), "plain text|\"a,b\"|\"say \"\"hi\"\"\"|"
                                  "\"line\nbreak\"");
  sb_free(&b);
}

static void test_round(void **state) {
  (void)state;
  assert_true(format_round(1.25, 1) == 1.3); /* half away from zero */
  assert_true(format_round(-1.25, 1) == -1.3);
  assert_true(format_round(2.5, 0) == 3);
  assert_true(format_round(1234.5678, 2) == 1234.57);
  assert_true(format_round(72.34, 1) == 72.3);
  assert_true(format_round(0, 2) == 0);
}

static void test_unknown_format(void **state) {
  (void)state;
  exd_opportunity o = full();
  sb b = {0};
  sb_put(&b, "x");
  assert_int_equal(format_opportunity(&o, 0, &b), -EINVAL);
  assert_int_equal(format_opportunity(&o, 99, &b), -EINVAL);
  assert_string_equal(sb_str(&b), "x");
  sb_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_json_full),
      cmocka_unit_test(test_json_absent_values),
      cmocka_unit_test(test_json_object_types),
      cmocka_unit_test(test_csv_header),
      cmocka_unit_test(test_csv_full),
      cmocka_unit_test(test_csv_absent_values),
      cmocka_unit_test(test_csv_line_breaks_quoted),
      cmocka_unit_test(test_csv_field),
      cmocka_unit_test(test_round),
      cmocka_unit_test(test_unknown_format),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
