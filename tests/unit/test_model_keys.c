/*
 * core/model.c key normalisation (Salesforce ids 15 → 18 with case restored
 * from the suffix, domains, names with legal suffixes) and model_find.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "model_build.h"

static void expect_id(const char *in, const char *want) {
  char out[64];
  model_norm_id(in, out, sizeof(out));
  if (strcmp(out, want) != 0)
    fail_msg("model_norm_id('%s') = '%s', want '%s'", in, out, want);
}

static void expect_domain(const char *in, const char *want) {
  char out[64];
  model_norm_domain(in, out, sizeof(out));
  if (strcmp(out, want) != 0)
    fail_msg("model_norm_domain('%s') = '%s', want '%s'", in, out, want);
}

static void expect_name(const char *in, const char *want) {
  char out[128];
  model_norm_name(in, out, sizeof(out));
  if (strcmp(out, want) != 0)
    fail_msg("model_norm_name('%s') = '%s', want '%s'", in, out, want);
}

static void test_id_15_to_18(void **state) {
  (void)state;
  /* The documented Salesforce example and a few computed by hand. */
  expect_id("001A0000006Vm9r", "001A0000006Vm9rIAC");
  expect_id("0015g00000AbCdE", "0015g00000AbCdEAAV");
  expect_id("001d000000ZZZzz", "001d000000ZZZzzAAH");
  expect_id("a0B5g00000XyZw1", "a0B5g00000XyZw1EAF");
  expect_id("ABCDEABCDEABCDE", "ABCDEABCDEABCDE555");
  expect_id("  001A0000006Vm9r\t", "001A0000006Vm9rIAC"); /* trimmed */
}

static void test_id_18_kept_and_case_restored(void **state) {
  (void)state;
  expect_id("001A0000006Vm9rIAC", "001A0000006Vm9rIAC");
  /* Lower- or upper-cased by a spreadsheet: the suffix restores the case. */
  expect_id("001a0000006vm9riac", "001A0000006Vm9rIAC");
  expect_id("001A0000006VM9RIAC", "001A0000006Vm9rIAC");
  expect_id("0015G00000ABCDEAAV", "0015g00000AbCdEAAV");
  /* The suffix is authoritative for the body's letter case. */
  expect_id("001A0000006Vm9rIAS", "001A0000006Vm9RIAS");
}

static void test_id_other_kept(void **state) {
  (void)state;
  /* A suffix that marks a digit upper-case: not a Salesforce id. */
  expect_id("001A0000006Vm9rIAD", "001A0000006Vm9rIAD");
  /* A suffix character outside the alphabet. */
  expect_id("001A0000006Vm9rIA9", "001A0000006Vm9rIA9");
  /* All digits, other lengths, punctuation: kept (trimmed). */
  expect_id("000000000000001", "000000000000001");
  expect_id(" 4711 ", "4711");
  expect_id("ACME-CORP-12345", "ACME-CORP-12345");
  expect_id("001A0000006Vm9rI", "001A0000006Vm9rI");
  expect_id("", "");
  /* No room for 18 characters: kept, truncated to fit. */
  char small[8];
  model_norm_id("001A0000006Vm9r", small, sizeof(small));
  assert_string_equal(small, "001A000");
}

static void test_domain(void **state) {
  (void)state;
  expect_domain("acme.com", "acme.com");
  expect_domain("HTTPS://WWW.Example.COM:8080/path?x=1", "example.com");
  expect_domain("  www.acme.io/  ", "acme.io");
  expect_domain("example.com.", "example.com");
  expect_domain("bob@Example.com", "example.com");
  expect_domain("mailto:bob@acme.io", "acme.io");
  expect_domain("http://user@host.com/a@b", "host.com");
  expect_domain("acme.io#about", "acme.io");
  expect_domain("www2.acme.io", "www2.acme.io");
  expect_domain("http://", "");
  char small[6];
  model_norm_domain("www.example.com", small, sizeof(small));
  assert_string_equal(small, "examp");
}

static void test_name(void **state) {
  (void)state;
  expect_name("Acme, Inc.", "acme");
  expect_name("ACME Inc", "acme");
  expect_name("The Acme Company, Inc.", "acme");
  expect_name("  Globex   Corporation  ", "globex");
  expect_name("Macy's", "macys");
  expect_name("A.C.M.E. GmbH", "acme");
  expect_name("AT&T Inc.", "at t");
  expect_name("Procter & Gamble Co", "procter gamble");
  expect_name("Procter and Gamble", "procter gamble");
  expect_name("M\u00fcller GmbH & Co. KG", "m\u00fcller");
  expect_name("Foo Bar Ltd Limited", "foo bar");
  expect_name("Sociedad S.A.", "sociedad");
  expect_name("Initech LLC.", "initech");
  expect_name("Caf\xc3\xa9 M\xc3\xbcller AG", "caf\xc3\xa9 m\xc3\xbcller");
  /* A name that is only a suffix or only "the" stays. */
  expect_name("Inc", "inc");
  expect_name("The", "the");
  expect_name("The Co", "co");
  expect_name("", "");
  expect_name("---", "");
}

/* ---- model_find ---- */

static model *find_model(void) {
  model *m = model_new(mb_date("2024-06-30"));
  int s = model_add_source(m, "crm/a");
  assert_int_equal(s, 0);
  assert_int_equal(
      mb_account(m, s,
                 MB_KEY("001A0000006Vm9r", "acme.com", "Acme Corporation")),
      0);
  assert_int_equal(mb_account(m, s, MB_KEY(NULL, "globex.com", "Globex")), 0);
  assert_int_equal(
      mb_account(m, s, MB_KEY(NULL, "globex-eu.com", "Globex Europe")), 0);
  assert_int_equal(mb_account(m, s, MB_KEY("X-1", NULL, "Initech, Inc.")), 0);
  assert_int_equal(mb_account(m, s, MB_KEY("X-2", NULL, "INITECH LLC")), 0);
  char *notes = NULL;
  assert_int_equal(mb_finalize(m, &notes), 0);
  assert_string_equal(notes, "");
  free(notes);
  assert_int_equal(m->n_acct, 5);
  return m;
}

static void test_find(void **state) {
  (void)state;
  model *m = find_model();
  long acme = mb_find_name(m, "Acme Corporation");
  long globex = mb_find_name(m, "Globex");
  long globex_eu = mb_find_name(m, "Globex Europe");
  assert_true(acme >= 0 && globex >= 0 && globex_eu >= 0);
  /* CRM id: 18-char, 15-char, case-folded 18-char. */
  assert_int_equal(model_find(m, "001A0000006Vm9rIAC"), acme);
  assert_int_equal(model_find(m, "001A0000006Vm9r"), acme);
  assert_int_equal(model_find(m, "001a0000006vm9riac"), acme);
  assert_int_equal(model_find(m, "X-2"), mb_find_name(m, "INITECH LLC"));
  /* Exact name, then domain (only when it has a dot), then normalised. */
  assert_int_equal(model_find(m, "Globex"), globex);
  assert_int_equal(model_find(m, "https://www.globex-eu.com/"), globex_eu);
  assert_int_equal(model_find(m, "ACME CORP."), acme);
  /* Two accounts share the normalised name "initech": ambiguous. */
  assert_int_equal(model_find(m, "initech"), -2);
  /* Unique case-insensitive prefix of the name. */
  assert_int_equal(model_find(m, "acme c"), acme);
  assert_int_equal(model_find(m, "globex e"), globex_eu);
  assert_int_equal(model_find(m, "glob"), -2);
  assert_int_equal(model_find(m, "Umbrella"), -1);
  assert_int_equal(model_find(m, ""), -1);
  assert_int_equal(model_find(m, NULL), -1);
  model_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_id_15_to_18),
      cmocka_unit_test(test_id_18_kept_and_case_restored),
      cmocka_unit_test(test_id_other_kept),
      cmocka_unit_test(test_domain),
      cmocka_unit_test(test_name),
      cmocka_unit_test(test_find),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
