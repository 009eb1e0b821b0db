/* core/date.c: civil dates as days since 1970-01-01. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "date.h"

static void test_from_ymd_known_days(void **state) {
  (void)state;
  assert_int_equal(date_from_ymd(1970, 1, 1), 0);
  assert_int_equal(date_from_ymd(1969, 12, 31), -1);
  assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
  assert_int_equal(date_from_ymd(2024, 2, 29), 19782);
  assert_int_equal(date_from_ymd(2026, 6, 30), 20634);
  assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
  assert_int_equal(date_from_ymd(2199, 12, 31), 84005);
  assert_int_equal(date_from_ymd(1600, 3, 1), -135080);
}

static void test_round_trip_every_day(void **state) {
  (void)state;
  int32_t from = date_from_ymd(1899, 12, 1), to = date_from_ymd(2200, 2, 1);
  int py = 1899, pm = 11, pd = 30;
  for (int32_t d = from; d <= to; d++) {
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    assert_true(date_valid_ymd(y, m, dd));
    assert_int_equal(date_from_ymd(y, m, dd), d);
    /* Consecutive days are consecutive dates. */
    if (dd != 1) {
      assert_int_equal(dd, pd + 1);
      assert_int_equal(m, pm);
    } else {
      assert_int_equal(m, pm == 12 ? 1 : pm + 1);
    }
    py = y;
    pm = m;
    pd = dd;
  }
  assert_int_equal(py, 2200);
}

static void test_valid_ymd(void **state) {
  (void)state;
  assert_true(date_valid_ymd(2024, 2, 29));
  assert_false(date_valid_ymd(2023, 2, 29));
  assert_false(date_valid_ymd(1900, 2, 29)); /* century, not leap */
  assert_true(date_valid_ymd(2000, 2, 29));  /* 400th year, leap */
  assert_false(date_valid_ymd(2024, 4, 31));
  assert_true(date_valid_ymd(2024, 12, 31));
  assert_false(date_valid_ymd(2024, 13, 1));
  assert_false(date_valid_ymd(2024, 0, 1));
  assert_false(date_valid_ymd(2024, 1, 0));
  assert_false(date_valid_ymd(0, 1, 1));
  assert_true(date_valid_ymd(9999, 12, 31));
  assert_false(date_valid_ymd(10000, 1, 1));
}

static void test_parse_valid(void **state) {
  (void)state;
  int32_t d = 0;
  assert_int_equal(date_parse("2024-02-29", &d), 0);
  assert_int_equal(d, 19782);
  assert_int_equal(date_parse("1970-01-01", &d), 0);
  assert_int_equal(d, 0);
  /* A time part after T (or a space) is ignored. */
  assert_int_equal(date_parse("2026-06-30T23:59:59Z", &d), 0);
  assert_int_equal(d, 20634);
  assert_int_equal(date_parse("2026-06-30 08:00", &d), 0);
  assert_int_equal(d, 20634);
}

static void test_parse_invalid(void **state) {
  (void)state;
  static const char *const bad[] = {
      "",           "2024",        "2024-02-30", "2023-02-29", "2024-13-01",
      "2024-00-10", "2024-01-00",  "2024-1-01",  "2024-01-1",  "20240101",
      "2024/01/01", "2024-01-01x", "0000-01-01", "2024-01-0a", " 2024-01-01",
      "24-01-01",   "2024-01-01-", "-024-01-01",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    int32_t d = 12345;
    if (date_parse(bad[i], &d) != -EINVAL) fail_msg("accepted '%s'", bad[i]);
    assert_int_equal(d, 12345); /* untouched */
  }
  int32_t d = 1;
  assert_int_equal(date_parse(NULL, &d), -EINVAL);
}

static void test_format(void **state) {
  (void)state;
  char buf[11];
  assert_string_equal(date_format(EXD_DATE_NONE, buf), "-");
  assert_string_equal(date_format(0, buf), "1970-01-01");
  assert_string_equal(date_format(-1, buf), "1969-12-31");
  assert_string_equal(date_format(19782, buf), "2024-02-29");
  assert_string_equal(date_format(date_from_ymd(987, 7, 4), buf), "0987-07-04");
  assert_string_equal(date_format(date_from_ymd(9999, 12, 31), buf),
                      "9999-12-31");
  assert_ptr_equal(date_format(0, buf), buf);
}

static void test_add_months_clamps(void **state) {
  (void)state;
  char buf[11];
  int32_t jan31 = date_from_ymd(2024, 1, 31);
  assert_string_equal(date_format(date_add_months(jan31, 1), buf),
                      "2024-02-29");
  assert_string_equal(
      date_format(date_add_months(date_from_ymd(2023, 1, 31), 1), buf),
      "2023-02-28");
  assert_string_equal(date_format(date_add_months(jan31, 12), buf),
                      "2025-01-31");
  assert_string_equal(date_format(date_add_months(jan31, 0), buf),
                      "2024-01-31");
  assert_string_equal(
      date_format(date_add_months(date_from_ymd(2024, 3, 31), -1), buf),
      "2024-02-29");
  assert_string_equal(
      date_format(date_add_months(date_from_ymd(2024, 3, 15), -15), buf),
      "2022-12-15");
  assert_string_equal(
      date_format(date_add_months(date_from_ymd(2024, 12, 5), 1), buf),
      "2025-01-05");
  assert_string_equal(
      date_format(date_add_months(date_from_ymd(2024, 8, 31), 25), buf),
      "2026-09-30");
}

static void test_month_start_and_month(void **state) {
  (void)state;
  char buf[11];
  assert_string_equal(
      date_format(date_month_start(date_from_ymd(2024, 2, 29)), buf),
      "2024-02-01");
  assert_int_equal(date_month_start(date_from_ymd(2024, 3, 1)),
                   date_from_ymd(2024, 3, 1));
  assert_string_equal(date_format(date_month_start(-1), buf), "1969-12-01");
  assert_int_equal(date_month(date_from_ymd(2024, 2, 29)), 2);
  assert_int_equal(date_month(date_from_ymd(2024, 12, 31)), 12);
  assert_int_equal(date_month(0), 1);
}

static void test_today(void **state) {
  (void)state;
  int32_t before = (int32_t)(time(NULL) / 86400);
  int32_t t = date_today();
  int32_t after = (int32_t)(time(NULL) / 86400);
  assert_true(t >= before && t <= after);
  assert_true(t > date_from_ymd(2024, 1, 1));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_from_ymd_known_days),
      cmocka_unit_test(test_round_trip_every_day),
      cmocka_unit_test(test_valid_ymd),
      cmocka_unit_test(test_parse_valid),
      cmocka_unit_test(test_parse_invalid),
      cmocka_unit_test(test_format),
      cmocka_unit_test(test_add_months_clamps),
      cmocka_unit_test(test_month_start_and_month),
      cmocka_unit_test(test_today),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
