/*
 * core/record.c: record_init (every field absent) and record_check (the
 * validation of every record type, with the exact reason text).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "record.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static exd_record rec_of(int type) {
  exd_record r;
  record_init(&r, (uint32_t)sizeof(r), type);
  r.origin = "t.csv:2";
  r.account.domain = "acme.com";
  return r;
}

/* record_check(r) must give rc and exactly why ("" when accepted). */
static void expect(const exd_record *r, int rc, const char *why) {
  sb b = {0};
  exd_record out;
  int got = record_check(r, &out, &b);
  if (got != rc || strcmp(sb_str(&b), why) != 0)
    fail_msg("record_check: got %d '%s', want %d '%s'", got, sb_str(&b), rc,
             why);
  sb_free(&b);
}
#define OK(r) expect(&(r), 0, "")
#define BAD(r, why) expect(&(r), EXD_EDATA, why)

/* ---- record_init ---- */

static void test_init_all_absent(void **state) {
  (void)state;
  exd_record r;
  memset(&r, 0x5a, sizeof(r));
  record_init(&r, (uint32_t)sizeof(r), EXD_REC_ACCOUNT);
  assert_int_equal(r.struct_size, sizeof(r));
  assert_int_equal(r.type, EXD_REC_ACCOUNT);
  assert_null(r.origin);
  assert_null(r.account.crm_id);
  assert_null(r.account.domain);
  assert_null(r.account.name);
  const exd_rec_account *a = &r.u.account;
  assert_null(a->parent.name);
  assert_null(a->industry);
  assert_null(a->owner);
  assert_true(EXD_IS_NONE(a->employees) && EXD_IS_NONE(a->revenue));
  assert_true(EXD_IS_NONE(a->arr) && EXD_IS_NONE(a->nps));
  assert_int_equal(a->fy_start_month, 0);
  assert_int_equal(a->contract_start, EXD_DATE_NONE);
  assert_int_equal(a->contract_end, EXD_DATE_NONE);
  assert_int_equal(a->renewal_date, EXD_DATE_NONE);
  assert_int_equal(a->as_of, EXD_DATE_NONE);

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_PRODUCT);
  assert_int_equal(r.type, EXD_REC_PRODUCT);
  assert_null(r.u.product.product);
  assert_true(EXD_IS_NONE(r.u.product.seats_purchased));
  assert_true(EXD_IS_NONE(r.u.product.seats_active));
  assert_true(EXD_IS_NONE(r.u.product.unit_price));
  assert_int_equal(r.u.product.start, EXD_DATE_NONE);
  assert_int_equal(r.u.product.end, EXD_DATE_NONE);

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_OPPORTUNITY);
  assert_int_equal(r.u.opportunity.status, EXD_OPP_UNKNOWN);
  assert_true(EXD_IS_NONE(r.u.opportunity.amount));
  assert_int_equal(r.u.opportunity.created, EXD_DATE_NONE);
  assert_int_equal(r.u.opportunity.closed, EXD_DATE_NONE);

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_USAGE);
  assert_int_equal(r.u.usage.date, EXD_DATE_NONE);
  assert_true(EXD_IS_NONE(r.u.usage.active_users));
  assert_true(EXD_IS_NONE(r.u.usage.capacity_used));
  assert_true(EXD_IS_NONE(r.u.usage.capacity_limit));

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_CONTACT);
  assert_int_equal(r.u.contact.roles, 0);
  assert_int_equal(r.u.contact.since, EXD_DATE_NONE);
  assert_int_equal(r.u.contact.left, EXD_DATE_NONE);

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_INTENT);
  assert_true(EXD_IS_NONE(r.u.intent.score));
  assert_true(EXD_IS_NONE(r.u.intent.profile_score));
  assert_null(r.u.intent.topics);
  assert_int_equal(r.u.intent.n_topics, 0);

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_CATALOGUE);
  assert_true(EXD_IS_NONE(r.u.catalogue.list_price));
  assert_int_equal(r.u.catalogue.tier, 0);
  assert_int_equal(r.u.catalogue.pricing, EXD_PRICE_UNKNOWN);

  record_init(&r, (uint32_t)sizeof(r), EXD_REC_ESCALATION);
  assert_int_equal(r.u.escalation.opened, EXD_DATE_NONE);
  assert_int_equal(r.u.escalation.closed, EXD_DATE_NONE);
}

static void test_init_writes_only_size_bytes(void **state) {
  (void)state;
  unsigned char buf[sizeof(exd_record) + 16];
  memset(buf, 0xa5, sizeof(buf));
  uint32_t small = (uint32_t)(offsetof(exd_record, u) + sizeof(exd_rec_health));
  record_init((exd_record *)(void *)buf, small, EXD_REC_HEALTH);
  exd_record *r = (exd_record *)(void *)buf;
  assert_int_equal(r->struct_size, small);
  assert_int_equal(r->type, EXD_REC_HEALTH);
  assert_int_equal(r->u.health.date, EXD_DATE_NONE);
  assert_true(EXD_IS_NONE(r->u.health.score));
  for (size_t i = small; i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0xa5);
  /* A larger struct_size than the host knows: only its own size written, the
     struct_size still says what the plugin passed. */
  memset(buf, 0xa5, sizeof(buf));
  record_init((exd_record *)(void *)buf, (uint32_t)sizeof(buf),
              EXD_REC_TRIGGER);
  assert_int_equal(r->struct_size, sizeof(buf));
  for (size_t i = sizeof(exd_record); i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0xa5);
}

static void test_init_tiny_size_sets_own_size(void **state) {
  (void)state;
  /* Room for struct_size only: it must say 4, not the host's full size
     (which would make record_check read past the plugin's struct). */
  unsigned char buf[16];
  memset(buf, 0xa5, sizeof(buf));
  record_init((exd_record *)(void *)buf, 4, EXD_REC_HEALTH);
  uint32_t sz;
  memcpy(&sz, buf, 4);
  assert_int_equal(sz, 4);
  for (size_t i = 4; i < sizeof(buf); i++)
    assert_int_equal(buf[i], 0xa5);
}

static void test_init_unknown_type(void **state) {
  (void)state;
  exd_record r;
  memset(&r, 0x5a, sizeof(r));
  record_init(&r, (uint32_t)sizeof(r), 999);
  assert_int_equal(r.type, 999);
  assert_int_equal(r.struct_size, sizeof(r));
  assert_null(r.origin);
  assert_null(r.account.name);
}

static void test_type_names(void **state) {
  (void)state;
  static const char *const want[] = {NULL,      "account",     "product",
                                     "health",  "usage",       "feature",
                                     "contact", "escalation",  "intent",
                                     "trigger", "opportunity", "catalogue"};
  for (int t = 1; t < EXD_REC_TYPE_COUNT_; t++)
    assert_string_equal(record_type_name(t), want[t]);
  assert_null(record_type_name(0));
  assert_null(record_type_name(-1));
  assert_null(record_type_name(EXD_REC_TYPE_COUNT_));
}

/* ---- record_check: envelope ---- */

static void test_check_envelope(void **state) {
  (void)state;
  sb b = {0};
  exd_record out;
  assert_int_equal(record_check(NULL, &out, &b), EXD_EDATA);
  assert_string_equal(sb_str(&b), "record: NULL record");
  sb_free(&b);

  exd_record r = rec_of(EXD_REC_HEALTH);
  r.struct_size = 0;
  BAD(r, "record: struct_size 0 is not between 40 and 160 (was it "
         "initialised with EXD_RECORD_INIT?)");
  r.struct_size = 39;
  BAD(r, "record: struct_size 39 is not between 40 and 160 (was it "
         "initialised with EXD_RECORD_INIT?)");
  r.struct_size = 161;
  BAD(r, "record: struct_size 161 is not between 40 and 160 (was it "
         "initialised with EXD_RECORD_INIT?)");
  r = rec_of(EXD_REC_ACCOUNT);
  r.type = 0;
  BAD(r, "record: unknown record type 0");
  r.type = 999;
  BAD(r, "record: unknown record type 999");
  r = rec_of(EXD_REC_ACCOUNT);
  r.origin = "bad\xc3(";
  BAD(r, "record: origin is not valid UTF-8 text");
}

static void test_check_torn_struct_size(void **state) {
  (void)state;
  /* A struct_size that ends inside a member would copy half a pointer: the
     host must refuse it rather than follow a wild pointer. */
  exd_record r = rec_of(EXD_REC_PRODUCT);
  r.u.product.product = "Widget";
  r.struct_size = (uint32_t)offsetof(exd_record, u) + 4;
  BAD(r, "record: struct_size 44 is not a multiple of 8 (was it initialised "
         "with EXD_RECORD_INIT?)");
}

static void test_check_older_smaller_struct(void **state) {
  (void)state;
  /* An older plugin's record that ends before health.score: the copy gets
     the missing fields absent, so the required score is reported. */
  exd_record r = rec_of(EXD_REC_HEALTH);
  r.u.health.date = D(2024, 1, 1);
  r.u.health.score = 50;
  r.struct_size = (uint32_t)(offsetof(exd_record, u) + 8);
  BAD(r, "health.score: is required");
  r.struct_size = (uint32_t)(offsetof(exd_record, u) + sizeof(exd_rec_health));
  sb b = {0};
  exd_record out;
  assert_int_equal(record_check(&r, &out, &b), 0);
  assert_int_equal(out.struct_size, sizeof(out)); /* normalised */
  assert_true(out.u.health.score == 50);
  sb_free(&b);
}

static void test_check_strings_borrowed(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_PRODUCT);
  const char *name = "Widget";
  r.u.product.product = name;
  sb b = {0};
  exd_record out;
  assert_int_equal(record_check(&r, &out, &b), 0);
  assert_ptr_equal(out.u.product.product, name);
  assert_ptr_equal(out.origin, r.origin);
  sb_free(&b);
}

/* ---- record_check: keys and strings ---- */

static void test_check_key(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_ACCOUNT);
  r.account.domain = NULL;
  BAD(r, "account.account: has no id, domain or name");
  r.account.crm_id = r.account.domain = r.account.name = "";
  BAD(r, "account.account: has no id, domain or name");
  r.account.name = "Bad \xff\xfe Name";
  BAD(r, "account.key.name: invalid UTF-8 at byte offset 4");
  r.account.name = NULL;
  r.account.crm_id = "\xc0\x80";
  BAD(r, "account.key.crm_id: invalid UTF-8 at byte offset 0");
  r = rec_of(EXD_REC_ACCOUNT);
  r.u.account.parent.domain = "x\xed\xa0\x80.com";
  BAD(r, "account.parent.domain: invalid UTF-8 at byte offset 1");
  r = rec_of(EXD_REC_HEALTH);
  r.u.health.date = D(2024, 1, 1);
  r.u.health.score = 1;
  r.account.name = "\xff";
  BAD(r, "health.key.name: invalid UTF-8 at byte offset 0");
  /* Non-account records may have an empty key (the model counts them). */
  r.account.name = r.account.domain = NULL;
  OK(r);
}

static void test_check_string_length(void **state) {
  (void)state;
  char *s = malloc(4098);
  memset(s, 'x', 4097);
  s[4097] = '\0';
  exd_record r = rec_of(EXD_REC_TRIGGER);
  r.u.trigger.date = D(2024, 1, 1);
  r.u.trigger.type = "funding";
  r.u.trigger.detail = s;
  BAD(r, "trigger.detail: longer than 4096 bytes");
  s[4096] = '\0'; /* exactly 4096 bytes */
  OK(r);
  free(s);
}

static void test_check_first_problem_only(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_ACCOUNT);
  r.u.account.employees = -1;
  r.u.account.nps = 500;
  BAD(r, "account.employees: -1 is negative");
}

/* ---- record_check: per type ---- */

static void test_check_account(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_ACCOUNT);
  OK(r);
  r.u.account.nps = 101;
  BAD(r, "account.nps: 101 is outside -100..100");
  r.u.account.nps = -100;
  OK(r);
  r.u.account.arr = INFINITY;
  BAD(r, "account.arr: is not a finite number");
  r.u.account.arr = 1e13;
  OK(r);
  r.u.account.arr = 1.5e13;
  BAD(r, "account.arr: 1.5e+13 is outside 0..1e+13");
  r = rec_of(EXD_REC_ACCOUNT);
  r.u.account.fy_start_month = 13;
  BAD(r, "account.fy_start_month: 13 is outside 1..12");
  r.u.account.fy_start_month = -1;
  BAD(r, "account.fy_start_month: -1 is outside 1..12");
  r.u.account.fy_start_month = 12;
  OK(r);
  r.u.account.contract_start = D(2024, 6, 1);
  r.u.account.contract_end = D(2024, 5, 31);
  BAD(r, "account.contract_end: is before contract_start");
  r.u.account.contract_end = D(2024, 6, 1);
  OK(r);
  r.u.account.as_of = D(1899, 12, 31);
  BAD(r, "account.as_of: 1899-12-31 is outside 1900-01-01..2199-12-31");
  r.u.account.as_of = D(2200, 1, 1);
  BAD(r, "account.as_of: 2200-01-01 is outside 1900-01-01..2199-12-31");
  r.u.account.as_of = D(1900, 1, 1);
  OK(r);
  r.u.account.owner = "\xff";
  BAD(r, "account.owner: invalid UTF-8 at byte offset 0");
}

static void test_check_product(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_PRODUCT);
  BAD(r, "product.product: is required");
  r.u.product.product = "";
  BAD(r, "product.product: is required");
  r.u.product.product = "Widget";
  OK(r);
  r.u.product.seats_purchased = -5;
  r.u.product.seats_active = -3;
  BAD(r, "product.seats_purchased: -5 is negative");
  r.u.product.seats_purchased = 5;
  BAD(r, "product.seats_active: -3 is negative");
  r.u.product.seats_active = 7; /* over-use is allowed */
  OK(r);
  r.u.product.unit_price = -0.5;
  BAD(r, "product.unit_price: -0.5 is negative");
}

static void test_check_health_usage_feature(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_HEALTH);
  BAD(r, "health.date: is required");
  r.u.health.date = D(2024, 1, 1);
  BAD(r, "health.score: is required");
  r.u.health.score = 140;
  BAD(r, "health.score: 140 is outside 0..100");
  r.u.health.score = 100;
  OK(r);

  r = rec_of(EXD_REC_USAGE);
  r.u.usage.date = D(2024, 1, 1);
  BAD(r, "usage.active_users: is required (or capacity_used)");
  r.u.usage.capacity_used = 5;
  OK(r);
  r.u.usage.capacity_limit = -1;
  BAD(r, "usage.capacity_limit: -1 is negative");

  r = rec_of(EXD_REC_FEATURE);
  r.u.feature.date = D(2024, 1, 1);
  r.u.feature.adoption = 0.5;
  BAD(r, "feature.feature: is required");
  r.u.feature.feature = "Dashboards";
  OK(r);
  r.u.feature.adoption = 1.5;
  BAD(r, "feature.adoption: 1.5 is outside 0..1");
  r.u.feature.adoption = EXD_NONE;
  BAD(r, "feature.adoption: is required");
}

static void test_check_contact(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_CONTACT);
  BAD(r, "contact.name: is required (or title or roles)");
  /* "" is absent (plugin.h), so an empty name is no name. */
  r.u.contact.name = "";
  BAD(r, "contact.name: is required (or title or roles)");
  r.u.contact.title = "";
  BAD(r, "contact.name: is required (or title or roles)");
  r.u.contact.roles = EXD_ROLE_CHAMPION;
  OK(r);
  r.u.contact.roles = 1u << 5;
  BAD(r, "contact.roles: unknown role bits 0x20");
  r.u.contact.roles = 0;
  r.u.contact.title = "CFO";
  OK(r);
  r.u.contact.left = D(2300, 1, 1);
  BAD(r, "contact.left: 2300-01-01 is outside 1900-01-01..2199-12-31");
}

static void test_check_escalation(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_ESCALATION);
  BAD(r, "escalation.opened: is required");
  r.u.escalation.opened = D(2024, 3, 10);
  OK(r);
  r.u.escalation.closed = D(2024, 3, 9);
  BAD(r, "escalation.closed: is before opened");
  r.u.escalation.closed = D(2024, 3, 10);
  OK(r);
}

static void test_check_intent(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_INTENT);
  r.u.intent.date = D(2024, 1, 1);
  BAD(r, "intent.product: is required (or topics)");
  r.u.intent.product = "";
  BAD(r, "intent.product: is required (or topics)");
  r.u.intent.product = "Analytics";
  OK(r);
  r.u.intent.stage = "Buying";
  BAD(r, "intent.stage: 'Buying' is not one of target, awareness, "
         "consideration, decision, purchase");
  r.u.intent.stage = "DECISION"; /* case-insensitive */
  OK(r);
  r.u.intent.profile_fit = "great";
  BAD(r, "intent.profile_fit: 'great' is not one of strong, moderate, weak");
  r.u.intent.profile_fit = "Strong";
  r.u.intent.score = 100.5;
  BAD(r, "intent.score: 100.5 is outside 0..100");
  r.u.intent.score = 80;
  const char *topics[] = {"data warehouse", NULL};
  r.u.intent.topics = topics;
  r.u.intent.n_topics = 2;
  BAD(r, "intent.topics: item 1 is NULL");
  r.u.intent.topics = NULL;
  r.u.intent.n_topics = 1;
  BAD(r, "intent.topics: 1 items but no array");
  r.u.intent.topics = topics;
  r.u.intent.n_topics = 257;
  BAD(r, "intent.topics: 257 items; at most 256");
  r.u.intent.n_topics = 1;
  r.u.intent.product = NULL; /* topics alone are enough */
  OK(r);
}

static void test_check_trigger_and_opportunity(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_TRIGGER);
  BAD(r, "trigger.date: is required");
  r.u.trigger.date = D(2024, 1, 1);
  BAD(r, "trigger.type: is required");
  r.u.trigger.type = "funding";
  OK(r);

  r = rec_of(EXD_REC_OPPORTUNITY);
  OK(r); /* nothing is required */
  r.u.opportunity.status = 7;
  BAD(r, "opportunity.status: unknown status 7");
  r.u.opportunity.status = -1;
  BAD(r, "opportunity.status: unknown status -1");
  r.u.opportunity.status = EXD_OPP_LOST;
  r.u.opportunity.amount = -5;
  BAD(r, "opportunity.amount: -5 is negative");
}

static void test_check_catalogue(void **state) {
  (void)state;
  exd_record r = rec_of(EXD_REC_CATALOGUE);
  BAD(r, "catalogue.product: is required");
  r.u.catalogue.product = "Analytics Pro";
  BAD(r, "catalogue.family: is required");
  r.u.catalogue.family = "Analytics";
  BAD(r, "catalogue.list_price: is required");
  r.u.catalogue.list_price = 1200;
  OK(r);
  r.u.catalogue.tier = 101;
  BAD(r, "catalogue.tier: 101 is outside 0..100");
  r.u.catalogue.tier = 2;
  r.u.catalogue.pricing = 3;
  BAD(r, "catalogue.pricing: unknown pricing 3");
  r.u.catalogue.pricing = EXD_PRICE_FLAT;
  const char *aliases[] = {"AP", "An\xffPro"};
  r.u.catalogue.aliases = aliases;
  r.u.catalogue.n_aliases = 2;
  BAD(r, "catalogue.aliases: invalid UTF-8 at byte offset 2");
  r.u.catalogue.n_aliases = 1;
  OK(r);
  /* The account key of a catalogue record is not looked at. */
  r.account.name = "\xff";
  OK(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_init_all_absent),
      cmocka_unit_test(test_init_writes_only_size_bytes),
      cmocka_unit_test(test_init_tiny_size_sets_own_size),
      cmocka_unit_test(test_init_unknown_type),
      cmocka_unit_test(test_type_names),
      cmocka_unit_test(test_check_envelope),
      cmocka_unit_test(test_check_torn_struct_size),
      cmocka_unit_test(test_check_older_smaller_struct),
      cmocka_unit_test(test_check_strings_borrowed),
      cmocka_unit_test(test_check_key),
      cmocka_unit_test(test_check_string_length),
      cmocka_unit_test(test_check_first_problem_only),
      cmocka_unit_test(test_check_account),
      cmocka_unit_test(test_check_product),
      cmocka_unit_test(test_check_health_usage_feature),
      cmocka_unit_test(test_check_contact),
      cmocka_unit_test(test_check_escalation),
      cmocka_unit_test(test_check_intent),
      cmocka_unit_test(test_check_trigger_and_opportunity),
      cmocka_unit_test(test_check_catalogue),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
