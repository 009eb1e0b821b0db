/*
 * The pure sample generator: Salesforce ids, identities, uniqueness,
 * order independence, the destiny distribution, and its speed (reported,
 * not asserted; EXD_SAMPLE_BENCH_ACCOUNTS=1000000 for the full figure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "record.h"
#include "sample_gen.h"
#include "util.h"

#include "record_text.h"

static sample_gen *gen(uint64_t seed) {
  sample_params p = {seed, 12, date_from_ymd(2026, 6, 30)};
  sample_gen *g = sample_gen_new(&p, record_init);
  assert_non_null(g);
  return g;
}

static void test_sfid_suffix(void **state) {
  (void)state;
  char s[4] = {0};
  /* Examples from Salesforce's documentation of 18-character ids. */
  sample_sfid_suffix("001A0000006Vm9r", s);
  assert_string_equal(s, "IAC");
  sample_sfid_suffix("0015000000VALDt", s);
  assert_string_equal(s, "AAP");
  sample_sfid_suffix("ABCDEABCDEABCDE", s);
  assert_string_equal(s, "555");
  sample_sfid_suffix("abcdeabcdeabcde", s);
  assert_string_equal(s, "AAA");
}

static void test_identity_golden(void **state) {
  (void)state;
  sample_gen *g = gen(42);
  char id[19], name[SAMPLE_NAME_MAX], domain[SAMPLE_NAME_MAX];
  sample_gen_identity(g, 0, id, name, domain);
  assert_string_equal(id, "0017Y00UFj8SpgWQMS");
  assert_string_equal(name, "Blue Field Data GmbH");
  assert_string_equal(domain, "bluefielddata.de");
  sample_gen_identity(g, 1, id, name, domain);
  assert_string_equal(id, "0017Y00UHgVMcpzQMD");
  assert_string_equal(name, "Hawk Ridge Devices Pvt Ltd");
  assert_string_equal(domain, "hawkridgedevices.in");
  /* Past the 48,000 name combinations a number keeps names unique. */
  sample_gen_identity(g, 48000, id, name, domain);
  assert_string_equal(id, "0017Y00vn64sXY8QAM");
  assert_string_equal(name, "Blue Field Data 2 Ltd");
  assert_string_equal(domain, "bluefielddata2.co.uk");
  sample_gen_identity(g, 9999999, id, name, domain);
  assert_string_equal(name, "Atlantic Sky Networks 209 Pvt Ltd");
  sample_gen_free(g);

  g = gen(43);
  sample_gen_identity(g, 0, id, name, domain);
  assert_string_not_equal(id, "0017Y00UFj8SpgWQMS");
  sample_gen_free(g);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No two of v[0..n) are equal. */
static void assert_unique(char **v, size_t n, const char *what) {
  qsort(v, n, sizeof(*v), cmp_str);
  for (size_t i = 1; i < n; i++)
    if (strcmp(v[i - 1], v[i]) == 0) fail_msg("duplicate %s %s", what, v[i]);
}

static void test_identities_unique(void **state) {
  (void)state;
  const size_t N = 100000;
  sample_gen *g = gen(42);
  char **ids = xmalloc(N * sizeof(*ids));
  char **names = xmalloc(N * sizeof(*names));
  char **domains = xmalloc(N * sizeof(*domains));
  char **bases = xmalloc(N * sizeof(*bases));
  for (size_t i = 0; i < N; i++) {
    char id[19], name[SAMPLE_NAME_MAX], domain[SAMPLE_NAME_MAX];
    sample_gen_identity(g, (int64_t)i, id, name, domain);
    ids[i] = xstrdup(id);
    names[i] = xstrdup(name);
    domains[i] = xstrdup(domain);
    /* The domain without its TLD: unique, so the names without their legal
       suffix (what name matching compares) are unique too. */
    char *dot = strchr(domain, '.');
    *dot = '\0';
    bases[i] = xstrdup(domain);
  }
  assert_unique(ids, N, "id");
  assert_unique(names, N, "name");
  assert_unique(domains, N, "domain");
  assert_unique(bases, N, "domain base");
  for (size_t i = 0; i < N; i++) {
    free(ids[i]);
    free(names[i]);
    free(domains[i]);
    free(bases[i]);
  }
  free(ids);
  free(names);
  free(domains);
  free(bases);
  sample_gen_free(g);
}

static int text_cb(void *ctx, const exd_record *rec) {
  record_text(ctx, rec);
  return 0;
}

static void test_order_independent(void **state) {
  (void)state;
  sample_gen *g = gen(42);
  sb alone = {0}, after = {0}, other = {0};
  sample_gen_account(g, 777, text_cb, &alone);
  for (int64_t i = 0; i < 777; i++) {
    sb skip = {0};
    sample_gen_account(g, i, text_cb, &skip);
    sb_free(&skip);
  }
  sample_gen_account(g, 777, text_cb, &after);
  assert_string_equal(sb_str(&alone), sb_str(&after));
  sample_gen_free(g);
  /* A fresh generator with the same seed agrees too. */
  g = gen(42);
  sample_gen_account(g, 777, text_cb, &other);
  assert_string_equal(sb_str(&alone), sb_str(&other));
  assert_non_null(strstr(sb_str(&alone), "|sample#778|"));
  sb_free(&alone);
  sb_free(&after);
  sb_free(&other);
  sample_gen_free(g);
}

static int reject_every_third(void *ctx, const exd_record *rec) {
  (void)rec;
  return ++*(int *)ctx % 3 == 0 ? EXD_EDATA : 0;
}

static void test_rejections_counted(void **state) {
  (void)state;
  sample_gen *g = gen(1);
  int calls = 0;
  size_t n = sample_gen_catalogue(g, reject_every_third, &calls);
  assert_int_equal(n, 11);
  assert_int_equal(sample_gen_rejected(g), 3);
  n += sample_gen_account(g, 0, reject_every_third, &calls);
  assert_int_equal((size_t)calls, n);
  assert_int_equal(sample_gen_rejected(g), n / 3);
  sample_gen_free(g);
}

static void test_destiny(void **state) {
  (void)state;
  const int N = 20000;
  sample_gen *g = gen(42);
  int low = 0, high = 0;
  double sum = 0;
  for (int i = 0; i < N; i++) {
    double d = sample_gen_destiny(g, i);
    assert_true(d >= 0 && d <= 1);
    sum += d;
    low += d < 0.27;
    high += d > 0.72;
  }
  assert_in_range(low * 1000 / N, 100, 140);
  assert_in_range(high * 1000 / N, 130, 170);
  assert_in_range((int)(sum / N * 1000), 480, 520);
  sample_gen_free(g);
}

static int count_cb(void *ctx, const exd_record *rec) {
  ++*(uint64_t *)ctx;
  return rec->type > 0 ? 0 : -1;
}

static void test_speed_report(void **state) {
  (void)state;
  const char *env = getenv("EXD_SAMPLE_BENCH_ACCOUNTS");
  int64_t n = env && *env ? atoll(env) : 200000;
  sample_gen *g = gen(42);
  uint64_t calls = 0, records = 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int64_t i = 0; i < n; i++)
    records += sample_gen_account(g, i, count_cb, &calls);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  print_message("sample_gen: %lld accounts, %llu records (%.2f per account) "
                "in %.3f s: %.0f accounts/s, %.2f s per million\n",
                (long long)n, (unsigned long long)records,
                (double)records / (double)n, s, (double)n / s,
                s * 1e6 / (double)n);
  assert_int_equal(calls, records);
  assert_int_equal(sample_gen_rejected(g), 0);
  assert_true((double)records / (double)n <= 40.0);
  sample_gen_free(g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sfid_suffix),
      cmocka_unit_test(test_identity_golden),
      cmocka_unit_test(test_identities_unique),
      cmocka_unit_test(test_order_independent),
      cmocka_unit_test(test_rejections_counted),
      cmocka_unit_test(test_destiny),
      cmocka_unit_test(test_speed_report),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
