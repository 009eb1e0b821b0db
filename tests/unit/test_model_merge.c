/*
 * core/model.c + core/model_merge.c: collection and the merge pass. Accounts
 * merge by CRM id, then domain, then normalised name, and different ids or
 * different domains never merge; unmatched records are counted and reported
 * once per source; future-dated facts are dropped or converted; product
 * lines merge; ARR, owner and renewal are derived; slices are per account.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_build.h"

#define AS_OF "2024-06-30"
#define D(s) mb_date(s)

typedef struct fx {
  model *m;
  int a, b; /* sources "crm/a" and "cs/b", in config order */
  char *notes;
} fx;

static int setup(void **state) {
  fx *f = xcalloc(1, sizeof(*f));
  f->m = model_new(D(AS_OF));
  f->a = model_add_source(f->m, "crm/a");
  f->b = model_add_source(f->m, "cs/b");
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  model_free(f->m);
  free(f->notes);
  free(f);
  return 0;
}

static void finalize_ok(fx *f) {
  int rc = mb_finalize(f->m, &f->notes);
  if (rc != 0) fail_msg("model_finalize: %d; notes: %s", rc, f->notes);
}

static void add_ok(fx *f, int src, const exd_record *r) {
  int rc = mb_add(f->m, src, r);
  if (rc != 0) fail_msg("model_add: %d (%s)", rc, mb_why());
}

/* ---- the merge ---- */

static void test_merge_by_crm_id_15_18(void **state) {
  fx *f = *state;
  exd_record r =
      mb_rec(EXD_REC_ACCOUNT, MB_KEY("001A0000006Vm9r", NULL, "Acme"), "a:1");
  r.u.account.industry = "Software";
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_ACCOUNT,
             MB_KEY("001a0000006vm9riac", NULL, "Totally Different Name"),
             "b:1");
  r.u.account.industry = "Retail";
  r.u.account.country = "US";
  add_ok(f, f->b, &r);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 1);
  const m_account *a = &f->m->acct[0];
  assert_string_equal(a->crm_id, "001A0000006Vm9rIAC");
  assert_string_equal(a->name, "Acme");
  assert_string_equal(a->industry, "Software"); /* first source wins */
  assert_string_equal(a->country, "US");        /* absent: filled */
  assert_string_equal(a->origin, "a:1");
  assert_int_equal(a->sources, 3);
  assert_string_equal(f->notes, "");
}

static void test_merge_by_domain(void **state) {
  fx *f = *state;
  assert_int_equal(
      mb_account(f->m, f->a,
                 MB_KEY(NULL, "https://www.globex.com/about", "Globex")),
      0);
  assert_int_equal(
      mb_account(f->m, f->b,
                 MB_KEY(NULL, "GLOBEX.COM", "Globex International")),
      0);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 1);
  assert_string_equal(f->m->acct[0].domain, "globex.com");
  assert_string_equal(f->m->acct[0].name, "Globex");
  assert_string_equal(f->m->acct[0].name_key, "globex");
}

static void test_merge_by_normalised_name(void **state) {
  fx *f = *state;
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, NULL, "Initech, Inc.")),
                   0);
  assert_int_equal(mb_account(f->m, f->b, MB_KEY(NULL, NULL, "INITECH LLC")),
                   0);
  /* The same words in the same source: the same account. */
  assert_int_equal(mb_account(f->m, f->b, MB_KEY(NULL, NULL, "initech, llc.")),
                   0);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 1);
  assert_string_equal(f->m->acct[0].name, "Initech, Inc.");
  assert_null(f->m->acct[0].crm_id);
  assert_null(f->m->acct[0].domain);
}

static void test_same_source_name_clash_kept_apart(void **state) {
  fx *f = *state;
  /* One export with "Acme GmbH" and "Acme Inc": two companies whose names
     normalize alike. They stay apart, with a note; records naming "Acme"
     go to the first. */
  exd_record r =
      mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "Acme GmbH"), "a.csv:2");
  r.u.account.employees = 100;
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "Acme Inc"), "a.csv:3");
  r.u.account.employees = 5000;
  add_ok(f, f->a, &r);
  assert_int_equal(
      mb_health(f->m, f->a, MB_KEY(NULL, NULL, "ACME"), D("2024-01-01"), 50),
      0);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 2);
  assert_true(mb_acct(f->m, "Acme GmbH")->employees == 100);
  assert_true(mb_acct(f->m, "Acme Inc")->employees == 5000);
  assert_int_equal(mb_acct(f->m, "Acme GmbH")->cnt[MK_HEALTH], 1);
  assert_string_equal(
      f->notes,
      "1 account shares a normalized name with another account of the same "
      "source (e.g. 'Acme GmbH' and 'Acme Inc' at a.csv:3); they are kept "
      "apart and records that name them only by name go to the first; give "
      "ids or domains to tell them apart\n");
}

static void test_different_ids_never_merge(void **state) {
  fx *f = *state;
  /* Same name, same domain, but two CRM ids: two accounts. */
  assert_int_equal(mb_account(f->m, f->a, MB_KEY("ID-1", "acme.com", "Acme")),
                   0);
  assert_int_equal(mb_account(f->m, f->b, MB_KEY("ID-2", "acme.com", "Acme")),
                   0);
  assert_int_equal(mb_account(f->m, f->b, MB_KEY("ID-3", NULL, "ACME Inc")), 0);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 3);
  assert_string_equal(f->m->acct[0].crm_id, "ID-1");
  assert_string_equal(f->m->acct[1].crm_id, "ID-2");
  assert_string_equal(f->m->acct[2].crm_id, "ID-3");
  assert_string_equal(f->m->acct[1].domain, "acme.com");
  assert_null(f->m->acct[2].domain);
}

static void test_different_domains_never_merge(void **state) {
  fx *f = *state;
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, "acme.com", "Acme")), 0);
  assert_int_equal(mb_account(f->m, f->b, MB_KEY(NULL, "acme.de", "Acme")), 0);
  /* A name-only key joins the first account with that name. */
  exd_record h = mb_rec(EXD_REC_HEALTH, MB_KEY(NULL, NULL, "ACME"), "b:2");
  h.u.health.date = D("2024-01-01");
  h.u.health.score = 70;
  add_ok(f, f->b, &h);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 2);
  assert_string_equal(f->m->acct[0].domain, "acme.com");
  assert_string_equal(f->m->acct[1].domain, "acme.de");
  assert_int_equal(f->m->acct[0].cnt[MK_HEALTH], 1);
  assert_int_equal(f->m->acct[1].cnt[MK_HEALTH], 0);
}

static void test_weaker_key_adds_ids(void **state) {
  fx *f = *state;
  /* id + name, then domain + same name: one account that now has both; a
     later domain-only record and an id-only record find it. */
  assert_int_equal(mb_account(f->m, f->a, MB_KEY("ID-9", NULL, "Umbrella")), 0);
  assert_int_equal(
      mb_account(f->m, f->b, MB_KEY(NULL, "umbrella.com", "Umbrella Corp")), 0);
  assert_int_equal(mb_product(f->m, f->b, MB_KEY(NULL, "umbrella.com", NULL),
                              "Widget", 5, EXD_NONE, EXD_NONE),
                   0);
  assert_int_equal(
      mb_health(f->m, f->a, MB_KEY("ID-9", NULL, NULL), D("2024-05-01"), 55),
      0);
  /* A third account with another id and this domain stays apart. */
  assert_int_equal(
      mb_account(f->m, f->b, MB_KEY("ID-10", "umbrella.com", "Umbrella")), 0);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 2);
  const m_account *u = &f->m->acct[0];
  assert_string_equal(u->crm_id, "ID-9");
  assert_string_equal(u->domain, "umbrella.com");
  assert_int_equal(u->cnt[MK_PRODUCT], 1);
  assert_int_equal(u->cnt[MK_HEALTH], 1);
  assert_string_equal(f->m->acct[1].crm_id, "ID-10");
  assert_int_equal(f->m->acct[1].cnt[MK_PRODUCT], 0);
}

static void test_display_name_from_account_record(void **state) {
  fx *f = *state;
  /* A health record spells the key first; the ACCOUNT record's spelling is
     the display name all the same. */
  assert_int_equal(
      mb_health(f->m, f->a, MB_KEY(NULL, NULL, "ACME"), D("2024-01-01"), 50),
      0);
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, NULL, "Acme, Inc.")), 0);
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, NULL, "ACME Inc")), 0);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 1);
  assert_string_equal(f->m->acct[0].name, "Acme, Inc.");
  assert_int_equal(f->m->acct[0].cnt[MK_HEALTH], 1);
}

static void test_same_key_other_source(void **state) {
  fx *f = *state;
  /* The same raw key from two sources in a row: two source keys, each
     unmatched record counted against its own source. */
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, "acme.com", "Acme")), 0);
  assert_int_equal(mb_health(f->m, f->b, MB_KEY(NULL, "nowhere.com", NULL),
                             D("2024-01-01"), 50),
                   0);
  assert_int_equal(mb_health(f->m, f->a, MB_KEY(NULL, "nowhere.com", NULL),
                             D("2024-01-02"), 50),
                   0);
  assert_int_equal(mb_health(f->m, f->a, MB_KEY(NULL, "acme.com", NULL),
                             D("2024-01-03"), 50),
                   0);
  assert_int_equal(mb_health(f->m, f->b, MB_KEY(NULL, "acme.com", NULL),
                             D("2024-01-04"), 50),
                   0);
  finalize_ok(f);
  assert_int_equal(f->m->src[f->a].unmatched[EXD_REC_HEALTH], 1);
  assert_int_equal(f->m->src[f->b].unmatched[EXD_REC_HEALTH], 1);
  assert_int_equal(f->m->acct[0].cnt[MK_HEALTH], 2);
  assert_string_equal(
      f->notes,
      "crm/a: 1 records reference no known account (1 health); first at "
      "mb:health (domain nowhere.com)\n"
      "cs/b: 1 records reference no known account (1 health); first at "
      "mb:health (domain nowhere.com)\n");
}

static void test_account_fields_and_employees(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "hooli.com", "Hooli");
  exd_record r = mb_rec(EXD_REC_ACCOUNT, k, "a:1");
  r.u.account.industry = "Software";
  r.u.account.employees = 100; /* undated */
  add_ok(f, f->a, &r);
  /* Same key, same source: merged at add time; a dated count beats an
     undated one. */
  r = mb_rec(EXD_REC_ACCOUNT, k, "a:2");
  r.u.account.employees = 300;
  r.u.account.as_of = D("2023-06-01");
  r.u.account.revenue = 5e6;
  r.u.account.industry = "Ignored";
  add_ok(f, f->a, &r);
  /* Another source: fills absent fields; a later dated count wins. */
  r = mb_rec(EXD_REC_ACCOUNT, k, "b:1");
  r.u.account.employees = 250;
  r.u.account.as_of = D("2024-01-01");
  r.u.account.industry = "Retail";
  r.u.account.country = "US";
  r.u.account.fy_start_month = 4;
  r.u.account.nps = -20;
  add_ok(f, f->b, &r);
  /* An older dated count from a later record does not win. */
  r = mb_rec(EXD_REC_ACCOUNT, k, "b:2");
  r.u.account.employees = 90;
  r.u.account.as_of = D("2022-01-01");
  add_ok(f, f->b, &r);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 1);
  const m_account *a = &f->m->acct[0];
  assert_string_equal(a->industry, "Software");
  assert_string_equal(a->country, "US");
  assert_true(a->revenue == 5e6);
  assert_true(a->nps == -20);
  assert_int_equal(a->fy_start_month, 4);
  assert_true(a->employees == 250);
  assert_int_equal(a->firmo_as_of, D("2024-01-01"));
  /* The dated counts form the history, in emit order. */
  size_t n;
  const m_employees *e = MODEL_SLICE(f->m, a, MK_EMPLOYEES, m_employees, &n);
  assert_int_equal(n, 3);
  assert_int_equal(e[0].date, D("2023-06-01"));
  assert_true(e[0].employees == 300);
  assert_int_equal(e[1].date, D("2024-01-01"));
  assert_int_equal(e[2].date, D("2022-01-01"));
}

static void test_parents(void **state) {
  fx *f = *state;
  exd_record r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "Child"), "a:1");
  r.u.account.parent = MB_KEY(NULL, NULL, "Parent Co");
  add_ok(f, f->a, &r);
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, NULL, "Parent Co.")), 0);
  r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "Lonely"), "a:3");
  r.u.account.parent = MB_KEY(NULL, "gone.com", NULL);
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "Selfie"), "a:4");
  r.u.account.parent = MB_KEY(NULL, NULL, "SELFIE Inc");
  add_ok(f, f->a, &r);
  /* A later source naming another parent for Child is ignored. */
  r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "child"), "b:1");
  r.u.account.parent = MB_KEY(NULL, NULL, "Lonely");
  add_ok(f, f->b, &r);
  finalize_ok(f);
  assert_int_equal(f->m->n_acct, 4);
  /* "Parent Co." keeps its own spelling although the parent reference
     "Parent Co" (the same normalised key) came first. */
  const m_account *child = mb_acct(f->m, "Child");
  assert_int_equal(child->parent, mb_find_name(f->m, "Parent Co."));
  assert_null(child->parent_label);
  const m_account *lonely = mb_acct(f->m, "Lonely");
  assert_int_equal(lonely->parent, -1);
  assert_string_equal(lonely->parent_label, "gone.com");
  const m_account *selfie = mb_acct(f->m, "Selfie");
  assert_int_equal(selfie->parent, -1);
  /* Its parent is itself (same normalised name): kept as a label, as
     given. */
  assert_string_equal(selfie->parent_label, "SELFIE Inc");
  assert_int_equal(mb_acct(f->m, "Parent Co.")->parent, -1);
  assert_string_equal(f->notes,
                      "2 accounts name a parent that is not among the "
                      "accounts (e.g. 'gone.com'); kept as a label\n");
}

/* ---- unmatched and future records ---- */

static void test_unmatched_counted_once(void **state) {
  fx *f = *state;
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, "acme.com", "Acme")), 0);
  exd_record r =
      mb_rec(EXD_REC_PRODUCT, MB_KEY(NULL, "nowhere.com", NULL), "usage.csv:7");
  r.u.product.product = "Widget";
  add_ok(f, f->b, &r);
  r.origin = "usage.csv:8";
  add_ok(f, f->b, &r);
  exd_record h =
      mb_rec(EXD_REC_HEALTH, MB_KEY("ID-404", NULL, "Ghost"), "health.csv:2");
  h.u.health.date = D("2024-01-01");
  h.u.health.score = 10;
  add_ok(f, f->b, &h);
  /* A matched record of the same source is not counted. */
  h.account = MB_KEY(NULL, "acme.com", NULL);
  add_ok(f, f->b, &h);
  finalize_ok(f);
  assert_int_equal(f->m->src[f->b].unmatched[EXD_REC_PRODUCT], 2);
  assert_int_equal(f->m->src[f->b].unmatched[EXD_REC_HEALTH], 1);
  assert_int_equal(f->m->src[f->b].accepted[EXD_REC_HEALTH], 2);
  assert_int_equal(f->m->products.n, 0);
  assert_int_equal(f->m->health.n, 1);
  assert_string_equal(f->notes,
                      "cs/b: 3 records reference no known account (2 product, "
                      "1 health); first at usage.csv:7 (domain nowhere.com)\n");
}

static void test_unmatched_empty_key(void **state) {
  fx *f = *state;
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, "acme.com", "Acme")), 0);
  exd_record h = mb_rec(EXD_REC_HEALTH, MB_KEY("", NULL, ""), "h.csv:3");
  h.u.health.date = D("2024-01-01");
  h.u.health.score = 10;
  assert_int_equal(mb_add(f->m, f->a, &h), 0);
  exd_record t = mb_rec(EXD_REC_TRIGGER, MB_KEY(NULL, NULL, "Nobody"), "t:9");
  t.u.trigger.date = D("2024-01-01");
  t.u.trigger.type = "funding";
  assert_int_equal(mb_add(f->m, f->a, &t), 0);
  finalize_ok(f);
  assert_string_equal(f->notes,
                      "crm/a: 2 records reference no known account (1 health, "
                      "1 trigger); first at h.csv:3 (it names no account)\n");
}

static void test_future_dated_dropped(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  assert_int_equal(mb_health(f->m, f->a, k, D("2024-07-01"), 50), 0);
  assert_int_equal(mb_health(f->m, f->a, k, D(AS_OF), 60), 0); /* kept */
  exd_record p = mb_rec(EXD_REC_PRODUCT, k, "p:1");
  p.u.product.product = "Widget";
  p.u.product.start = D("2025-01-01");
  assert_int_equal(mb_add(f->m, f->a, &p), 0);
  exd_record c = mb_rec(EXD_REC_CONTACT, k, "c:1");
  c.u.contact.name = "Joins Later";
  c.u.contact.since = D("2024-08-01");
  assert_int_equal(mb_add(f->m, f->b, &c), 0);
  /* A future firmographics snapshot is dropped whole. */
  exd_record a = mb_rec(EXD_REC_ACCOUNT, k, "a:9");
  a.u.account.as_of = D("2024-12-31");
  a.u.account.employees = 999;
  assert_int_equal(mb_add(f->m, f->a, &a), 0);
  finalize_ok(f);
  const m_account *acct = &f->m->acct[0];
  assert_int_equal(acct->cnt[MK_HEALTH], 1);
  assert_int_equal(acct->cnt[MK_PRODUCT], 0);
  assert_int_equal(acct->cnt[MK_CONTACT], 0);
  assert_true(EXD_IS_NONE(acct->employees));
  assert_int_equal(f->m->src[f->a].future, 3);
  assert_int_equal(f->m->src[f->b].future, 1);
  assert_string_equal(f->notes,
                      "crm/a: 3 records dated after 2024-06-30 ignored\n"
                      "cs/b: 1 records dated after 2024-06-30 ignored\n");
}

static void test_opportunity_as_of(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  /* Won after as_of: as of that date it was open. */
  assert_int_equal(mb_opportunity(f->m, f->a, k, "Widget", EXD_OPP_WON,
                                  D("2024-03-01"), D("2024-09-01"), 1000, NULL),
                   0);
  /* Lost before as_of: stays lost. */
  assert_int_equal(mb_opportunity(f->m, f->a, k, "Widget", EXD_OPP_LOST,
                                  D("2024-01-01"), D("2024-02-01"), 2000, NULL),
                   0);
  /* Created after as_of: did not exist yet. */
  assert_int_equal(mb_opportunity(f->m, f->a, k, "Widget", EXD_OPP_OPEN,
                                  D("2024-07-15"), D("2024-12-01"), 3000, NULL),
                   0);
  /* Open, no created date, expected close after as_of: the close date of an
     open deal is an expectation, not a fact from the future. */
  assert_int_equal(mb_opportunity(f->m, f->a, k, "Widget", EXD_OPP_OPEN,
                                  EXD_DATE_NONE, D("2024-10-01"), 4000, NULL),
                   0);
  /* Won with no created date and closed after as_of: dated by its close,
     which is in the future: dropped. */
  assert_int_equal(mb_opportunity(f->m, f->a, k, "Widget", EXD_OPP_WON,
                                  EXD_DATE_NONE, D("2024-10-01"), 5000, NULL),
                   0);
  finalize_ok(f);
  size_t n;
  const m_opp *o = MODEL_SLICE(f->m, &f->m->acct[0], MK_OPP, m_opp, &n);
  assert_int_equal(n, 3);
  assert_true(o[0].amount == 1000);
  assert_int_equal(o[0].status, EXD_OPP_OPEN);
  assert_int_equal(o[0].closed, D("2024-09-01"));
  assert_true(o[1].amount == 2000);
  assert_int_equal(o[1].status, EXD_OPP_LOST);
  assert_true(o[2].amount == 4000);
  assert_int_equal(o[2].status, EXD_OPP_OPEN);
  assert_int_equal(f->m->src[f->a].future, 2);
}

static void test_contact_and_escalation_as_of(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  exd_record c = mb_rec(EXD_REC_CONTACT, k, "c:1");
  c.u.contact.name = "Leaves Later";
  c.u.contact.roles = EXD_ROLE_CHAMPION;
  c.u.contact.since = D("2022-01-01");
  c.u.contact.left = D("2024-09-01");
  add_ok(f, f->a, &c);
  c.u.contact.name = "Left Already";
  c.u.contact.left = D("2024-06-30");
  add_ok(f, f->a, &c);
  exd_record e = mb_rec(EXD_REC_ESCALATION, k, "e:1");
  e.u.escalation.id = "ESC-1";
  e.u.escalation.opened = D("2024-06-01");
  e.u.escalation.closed = D("2024-07-02");
  add_ok(f, f->a, &e);
  finalize_ok(f);
  size_t n;
  const m_contact *ct =
      MODEL_SLICE(f->m, &f->m->acct[0], MK_CONTACT, m_contact, &n);
  assert_int_equal(n, 2);
  assert_string_equal(ct[0].name, "Leaves Later");
  assert_int_equal(ct[0].left, EXD_DATE_NONE); /* has not left as of */
  assert_int_equal(ct[0].roles, EXD_ROLE_CHAMPION);
  assert_int_equal(ct[1].left, D("2024-06-30"));
  const m_escalation *es =
      MODEL_SLICE(f->m, &f->m->acct[0], MK_ESCALATION, m_escalation, &n);
  assert_int_equal(n, 1);
  assert_string_equal(es[0].id, "ESC-1");
  assert_int_equal(es[0].closed, EXD_DATE_NONE); /* still open as of */
}

/* ---- products ---- */

static void test_product_lines_same_source(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  assert_int_equal(
      mb_catalogue(f->m, f->a, "Widget", "Widget", 0, 150, EXD_PRICE_PER_SEAT),
      0);
  exd_record p = mb_rec(EXD_REC_PRODUCT, k, "deals.csv:2");
  p.u.product.product = "Widget";
  p.u.product.seats_purchased = 10;
  p.u.product.seats_active = 8;
  p.u.product.unit_price = 100;
  p.u.product.start = D("2023-05-01");
  p.u.product.end = D("2025-04-30");
  add_ok(f, f->a, &p);
  p.u.product.product = "widget"; /* the same catalogue product */
  p.u.product.seats_purchased = 30;
  p.u.product.seats_active = 20;
  p.u.product.unit_price = 200;
  p.u.product.start = D("2022-01-01");
  p.u.product.end = D("2024-12-31");
  add_ok(f, f->a, &p);
  /* A line without a price adds seats, not to the price. */
  p.u.product.seats_purchased = 10;
  p.u.product.seats_active = EXD_NONE;
  p.u.product.unit_price = EXD_NONE;
  p.u.product.start = EXD_DATE_NONE;
  p.u.product.end = D("2026-01-31");
  add_ok(f, f->a, &p);
  finalize_ok(f);
  size_t n;
  const m_product *pr =
      MODEL_SLICE(f->m, &f->m->acct[0], MK_PRODUCT, m_product, &n);
  assert_int_equal(n, 1);
  assert_int_equal(pr[0].cat, 0);
  assert_true(pr[0].seats_purchased == 50);
  assert_true(pr[0].seats_active == 28);
  /* (10 × 100 + 30 × 200) / 40 */
  assert_true(pr[0].unit_price == 175);
  assert_int_equal(pr[0].start, D("2022-01-01"));
  assert_int_equal(pr[0].end, D("2026-01-31"));
  assert_int_equal(pr[0].lines, 3);
  assert_true(f->m->acct[0].owned == 1);
  /* ARR derived from the merged line: 50 seats × 175. */
  assert_true(f->m->acct[0].arr == 8750);
  assert_int_equal(f->m->acct[0].arr_derived, 1);
}

static void test_product_lines_across_sources(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  exd_record p = mb_rec(EXD_REC_PRODUCT, k, "a:2");
  p.u.product.product = "Gadget";
  p.u.product.seats_purchased = 10;
  add_ok(f, f->a, &p);
  p = mb_rec(EXD_REC_PRODUCT, k, "b:2");
  p.u.product.product = "GADGET"; /* not in the catalogue: raw name differs */
  p.u.product.seats_purchased = 99;
  add_ok(f, f->b, &p);
  p.u.product.product = "Gadget";
  p.u.product.tier = "Gold";
  p.u.product.seats_purchased = 99;
  p.u.product.seats_active = 7;
  p.u.product.unit_price = 50;
  p.u.product.start = D("2023-01-01");
  add_ok(f, f->b, &p);
  finalize_ok(f);
  size_t n;
  const m_product *pr =
      MODEL_SLICE(f->m, &f->m->acct[0], MK_PRODUCT, m_product, &n);
  assert_int_equal(n, 2);
  /* Uncatalogued lines merge by their exact raw name only. */
  assert_string_equal(pr[0].prod_raw, "Gadget");
  assert_int_equal(pr[0].cat, -1);
  assert_true(pr[0].seats_purchased == 10); /* the first source's */
  assert_true(pr[0].seats_active == 7);     /* absent: filled */
  assert_true(pr[0].unit_price == 50);
  assert_int_equal(pr[0].start, D("2023-01-01"));
  assert_string_equal(pr[0].tier_raw, "Gold");
  assert_int_equal(pr[0].lines, 1);
  assert_string_equal(pr[1].prod_raw, "GADGET");
  assert_true(pr[1].seats_purchased == 99);
  assert_string_equal(
      f->notes,
      "product 'Gadget' (2 records) is not in the catalogue; add it or an "
      "alias under catalogue:\n"
      "product 'GADGET' (1 records) is not in the catalogue; add it or an "
      "alias under catalogue:\n");
}

static void test_derived_arr(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  exd_key g = MB_KEY(NULL, "given.com", "Given");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  exd_record acc = mb_rec(EXD_REC_ACCOUNT, g, "a:2");
  acc.u.account.arr = 777;
  add_ok(f, f->a, &acc);
  assert_int_equal(
      mb_catalogue(f->m, f->a, "Seats", "Seats", 0, 100, EXD_PRICE_PER_SEAT),
      0);
  assert_int_equal(
      mb_catalogue(f->m, f->a, "Support", "Support", 0, 5000, EXD_PRICE_FLAT),
      0);
  assert_int_equal(mb_catalogue(f->m, f->a, "Connectors", "Connectors", 0, 400,
                                EXD_PRICE_FLAT),
                   0);
  assert_int_equal(
      mb_catalogue(f->m, f->a, "Legacy", "Legacy", 0, 10, EXD_PRICE_PER_SEAT),
      0);
  /* 10 seats at list price 100 = 1000. */
  assert_int_equal(mb_product(f->m, f->a, k, "Seats", 10, EXD_NONE, EXD_NONE),
                   0);
  /* Flat, no price: list price once = 5000 (seats ignored). */
  assert_int_equal(mb_product(f->m, f->a, k, "Support", 3, EXD_NONE, EXD_NONE),
                   0);
  /* Flat with a unit price: units × price = 2 × 3000. */
  assert_int_equal(mb_product(f->m, f->a, k, "Connectors", 2, EXD_NONE, 3000),
                   0);
  /* Ended before as_of: neither owned nor in the ARR. */
  exd_record p = mb_rec(EXD_REC_PRODUCT, k, "p:9");
  p.u.product.product = "Legacy";
  p.u.product.seats_purchased = 100;
  p.u.product.end = D("2024-06-29");
  add_ok(f, f->a, &p);
  /* Not in the catalogue, with a price: 5 × 10 = 50. */
  assert_int_equal(mb_product(f->m, f->a, k, "Custom", 5, EXD_NONE, 10), 0);
  /* The given ARR is kept; owned products still recorded. */
  assert_int_equal(mb_product(f->m, f->a, g, "Seats", 1, EXD_NONE, EXD_NONE),
                   0);
  finalize_ok(f);
  const m_account *a = mb_acct(f->m, "Acme");
  assert_true(a->arr == 1000 + 5000 + 6000 + 50);
  assert_int_equal(a->arr_derived, 1);
  assert_true(a->owned == 0x7); /* Seats, Support, Connectors; not Legacy */
  const m_account *gv = mb_acct(f->m, "Given");
  assert_true(gv->arr == 777);
  assert_int_equal(gv->arr_derived, 0);
  assert_true(gv->owned == 0x1);
}

/* ---- other derived fields ---- */

static void test_derived_owner(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  exd_key o = MB_KEY(NULL, "owned.com", "Owned");
  exd_key u = MB_KEY(NULL, "undated.com", "Undated");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  exd_record r = mb_rec(EXD_REC_ACCOUNT, o, "a:2");
  r.u.account.owner = "Given Owner";
  add_ok(f, f->a, &r);
  assert_int_equal(mb_account(f->m, f->a, u), 0);
  assert_int_equal(mb_opportunity(f->m, f->a, k, NULL, EXD_OPP_OPEN,
                                  D("2024-04-01"), D("2024-05-01"), 1, "Ann"),
                   0);
  assert_int_equal(mb_opportunity(f->m, f->a, k, NULL, EXD_OPP_WON,
                                  D("2022-04-01"), D("2023-01-01"), 1, "Bob"),
                   0);
  assert_int_equal(mb_opportunity(f->m, f->a, k, NULL, EXD_OPP_WON,
                                  D("2023-04-01"), D("2024-01-01"), 1, "Cid"),
                   0);
  assert_int_equal(mb_opportunity(f->m, f->a, k, NULL, EXD_OPP_WON,
                                  EXD_DATE_NONE, EXD_DATE_NONE, 1, "Undated"),
                   0);
  assert_int_equal(mb_opportunity(f->m, f->a, o, NULL, EXD_OPP_WON,
                                  D("2023-04-01"), D("2024-01-01"), 1, "Eve"),
                   0);
  /* The only opportunity has an owner but no dates: still the owner. */
  assert_int_equal(mb_opportunity(f->m, f->a, u, NULL, EXD_OPP_OPEN,
                                  EXD_DATE_NONE, EXD_DATE_NONE, 1, "Dee"),
                   0);
  finalize_ok(f);
  /* A won deal beats an open one; the latest won deal wins. */
  assert_string_equal(mb_acct(f->m, "Acme")->owner, "Cid");
  assert_string_equal(mb_acct(f->m, "Owned")->owner, "Given Owner");
  assert_string_equal(mb_acct(f->m, "Undated")->owner, "Dee");
}

static void test_derived_renewal(void **state) {
  fx *f = *state;
  exd_record r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "One"), "a:1");
  r.u.account.contract_start = D("2023-07-01");
  r.u.account.contract_end = D("2025-06-30");
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_ACCOUNT, MB_KEY(NULL, NULL, "Two"), "a:2");
  r.u.account.contract_end = D("2025-06-30");
  r.u.account.renewal_date = D("2025-04-01");
  add_ok(f, f->a, &r);
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, NULL, "Three")), 0);
  finalize_ok(f);
  assert_int_equal(mb_acct(f->m, "One")->renewal, D("2025-06-30"));
  assert_int_equal(mb_acct(f->m, "One")->contract_start, D("2023-07-01"));
  assert_int_equal(mb_acct(f->m, "Two")->renewal, D("2025-04-01"));
  assert_int_equal(mb_acct(f->m, "Three")->renewal, EXD_DATE_NONE);
}

/* ---- slices and per-type storage ---- */

static void test_slices_per_account(void **state) {
  fx *f = *state;
  exd_key x = MB_KEY(NULL, NULL, "X"), y = MB_KEY(NULL, NULL, "Y"),
          z = MB_KEY(NULL, NULL, "Z");
  assert_int_equal(mb_account(f->m, f->a, x), 0);
  assert_int_equal(mb_account(f->m, f->a, y), 0);
  assert_int_equal(mb_account(f->m, f->a, z), 0);
  /* Interleaved: Y, X, Y, Z(b), X, Y. */
  static const char *const who = "YXYZXY";
  for (int i = 0; i < 6; i++) {
    exd_key k = who[i] == 'X' ? x : who[i] == 'Y' ? y : z;
    assert_int_equal(mb_health(f->m, who[i] == 'Z' ? f->b : f->a, k,
                               D("2024-01-01") + i, 10 * i),
                     0);
  }
  finalize_ok(f);
  size_t n;
  const m_health *h =
      MODEL_SLICE(f->m, mb_acct(f->m, "X"), MK_HEALTH, m_health, &n);
  assert_int_equal(n, 2);
  assert_true(h[0].score == 10 && h[1].score == 40);
  h = MODEL_SLICE(f->m, mb_acct(f->m, "Y"), MK_HEALTH, m_health, &n);
  assert_int_equal(n, 3);
  assert_true(h[0].score == 0 && h[1].score == 20 && h[2].score == 50);
  assert_int_equal(h[2].date, D("2024-01-06"));
  h = MODEL_SLICE(f->m, mb_acct(f->m, "Z"), MK_HEALTH, m_health, &n);
  assert_int_equal(n, 1);
  assert_true(h[0].score == 30);
  /* Slices are contiguous, in account order. */
  for (size_t i = 0; i < f->m->health.n; i++)
    if (i) assert_true(f->m->health.v[i - 1].acct <= f->m->health.v[i].acct);
  assert_null(model_slice(f->m, mb_acct(f->m, "X"), MK__COUNT, &n));
  assert_int_equal(n, 0);
}

static void test_stored_values(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, "acme.com", "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  assert_int_equal(mb_catalogue(f->m, f->a, "Analytics", "Analytics", 0, 10,
                                EXD_PRICE_PER_SEAT),
                   0);
  exd_record r = mb_rec(EXD_REC_INTENT, k, "i:1");
  r.u.intent.date = D("2024-06-01");
  r.u.intent.product = "ANALYTICS";
  r.u.intent.score = 80;
  r.u.intent.stage = "Decision";
  r.u.intent.profile_fit = "moderate";
  const char *topics[] = {"Data Warehouse", "ETL"};
  r.u.intent.topics = topics;
  r.u.intent.n_topics = 2;
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_TRIGGER, k, "t:1");
  r.u.trigger.date = D("2024-05-01");
  r.u.trigger.type = "Funding";
  r.u.trigger.detail = "Series C";
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_USAGE, k, "u:1");
  r.u.usage.date = D("2024-06-01");
  r.u.usage.department = "Finance";
  r.u.usage.active_users = 12;
  add_ok(f, f->a, &r);
  r.u.usage.department = "Sales";
  add_ok(f, f->a, &r);
  r.u.usage.department = "Finance";
  r.u.usage.product = "Unknown Thing";
  add_ok(f, f->a, &r);
  r = mb_rec(EXD_REC_FEATURE, k, "f:1");
  r.u.feature.date = D("2024-06-01");
  r.u.feature.feature = "Dashboards";
  r.u.feature.adoption = 0.25;
  add_ok(f, f->a, &r);
  r.u.feature.feature = "DASHBOARDS";
  add_ok(f, f->a, &r);
  finalize_ok(f);
  const m_account *a = &f->m->acct[0];
  size_t n;
  const m_intent *in = MODEL_SLICE(f->m, a, MK_INTENT, m_intent, &n);
  assert_int_equal(n, 1);
  assert_int_equal(in[0].cat, 0);
  assert_int_equal(in[0].stage, ST_DECISION);
  assert_int_equal(in[0].fit, FIT_MODERATE);
  assert_true(in[0].score == 80);
  assert_true(EXD_IS_NONE(in[0].profile_score));
  assert_int_equal(in[0].n_topics, 2);
  assert_string_equal(in[0].topics[0], "data warehouse");
  assert_string_equal(in[0].topics[1], "etl");
  assert_string_equal(in[0].prod_raw, "ANALYTICS");
  const m_trigger *t = MODEL_SLICE(f->m, a, MK_TRIGGER, m_trigger, &n);
  assert_int_equal(n, 1);
  assert_string_equal(t[0].type, "funding");
  assert_string_equal(t[0].detail, "Series C");
  const m_usage *u = MODEL_SLICE(f->m, a, MK_USAGE, m_usage, &n);
  assert_int_equal(n, 3);
  assert_int_equal(u[0].dept, 1);
  assert_int_equal(u[1].dept, 2);
  assert_int_equal(u[2].dept, 1);
  assert_string_equal(f->m->depts.v[1], "Finance");
  assert_string_equal(f->m->depts.v[2], "Sales");
  assert_int_equal(u[0].cat, -1);
  assert_int_equal(u[2].cat, -1); /* unknown product */
  assert_true(u[0].active == 12);
  assert_true(EXD_IS_NONE(u[0].cap_used));
  const m_feature *fe = MODEL_SLICE(f->m, a, MK_FEATURE, m_feature, &n);
  assert_int_equal(n, 2);
  assert_int_equal(fe[0].feature, 1);
  assert_int_equal(fe[1].feature, 1); /* case-folded: one name */
  assert_string_equal(f->m->fnames.v[1], "dashboards");
  assert_true(fe[0].adoption == 0.25f);
  assert_string_equal(f->notes,
                      "product 'Unknown Thing' (1 records) is not in the "
                      "catalogue; add it or an alias under catalogue:\n");
}

/* ---- errors and limits ---- */

static void test_rejected_and_state_errors(void **state) {
  fx *f = *state;
  exd_record h = mb_rec(EXD_REC_HEALTH, MB_KEY(NULL, "acme.com", NULL), "h:1");
  h.u.health.date = D("2024-01-01");
  h.u.health.score = 140;
  assert_int_equal(mb_add(f->m, f->a, &h), EXD_EDATA);
  assert_string_equal(mb_why(), "health.score: 140 is outside 0..100");
  assert_int_equal(f->m->src[f->a].rejected, 1);
  model_note_rejected(f->m, f->b);
  model_note_rejected(f->m, 7); /* no such source: ignored */
  assert_int_equal(f->m->src[f->b].rejected, 1);
  h.u.health.score = 40;
  assert_int_equal(mb_add(f->m, 2, &h), -EINVAL);
  assert_int_equal(mb_add(f->m, -1, &h), -EINVAL);
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, "acme.com", NULL)), 0);
  finalize_ok(f);
  assert_int_equal(mb_add(f->m, f->a, &h), -EINVAL);
  sb n = {0};
  assert_int_equal(model_finalize(f->m, &n), -EINVAL);
  sb_free(&n);
}

static void test_no_accounts(void **state) {
  fx *f = *state;
  assert_int_equal(mb_health(f->m, f->a, MB_KEY(NULL, "acme.com", NULL),
                             D("2024-01-01"), 40),
                   0);
  assert_int_equal(mb_finalize(f->m, &f->notes), EXD_ENOACCT);
  assert_int_equal(f->m->n_acct, 0);
  assert_string_equal(f->notes,
                      "crm/a: 1 records reference no known account (1 "
                      "health); first at mb:health (domain acme.com)\n");
}

static void test_too_many_sources(void **state) {
  fx *f = *state;
  for (int i = 2; i < MODEL_MAX_SOURCES; i++)
    assert_int_equal(model_add_source(f->m, "more"), i);
  assert_int_equal(model_add_source(f->m, "one too many"), -E2BIG);
  assert_int_equal(f->m->n_src, MODEL_MAX_SOURCES);
}

static void test_catalogue_too_big(void **state) {
  fx *f = *state;
  char name[32];
  for (int i = 0; i <= CATALOG_MAX; i++) {
    snprintf(name, sizeof(name), "P%d", i);
    assert_int_equal(mb_catalogue(f->m, f->a, name, name, 0, 1, EXD_PRICE_FLAT),
                     0);
  }
  assert_int_equal(f->m->src[f->a].accepted[EXD_REC_CATALOGUE], 65);
  assert_int_equal(mb_account(f->m, f->a, MB_KEY(NULL, NULL, "Acme")), 0);
  assert_int_equal(mb_finalize(f->m, &f->notes), EXD_EDATA);
  assert_string_equal(
      f->notes, "the catalogue has 65 products; at most 64 are supported\n");
}

static void test_describe(void **state) {
  fx *f = *state;
  exd_key k = MB_KEY(NULL, NULL, "Acme");
  assert_int_equal(mb_account(f->m, f->a, k), 0);
  assert_int_equal(mb_health(f->m, f->a, k, D("2024-01-01"), 40), 0);
  finalize_ok(f);
  sb out = {0};
  size_t bytes = model_describe(f->m, &out);
  assert_string_equal(sb_str(&out),
                      "accounts 1 (0 MB), products 0 (0 MB), health 1 (0 MB), "
                      "usage 0 (0 MB), features 0 (0 MB), contacts 0 (0 MB), "
                      "escalations 0 (0 MB), intents 0 (0 MB), triggers 0 (0 "
                      "MB), opportunities 0 (0 MB), employees 0 (0 MB), "
                      "strings 0 MB");
  assert_int_equal(bytes, sizeof(m_account) + sizeof(m_health) +
                              pool_bytes(f->m->pool));
  assert_int_equal(model_describe(f->m, NULL), bytes);
  sb_free(&out);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      T(test_merge_by_crm_id_15_18),
      T(test_merge_by_domain),
      T(test_merge_by_normalised_name),
      T(test_same_source_name_clash_kept_apart),
      T(test_different_ids_never_merge),
      T(test_different_domains_never_merge),
      T(test_weaker_key_adds_ids),
      T(test_display_name_from_account_record),
      T(test_same_key_other_source),
      T(test_account_fields_and_employees),
      T(test_parents),
      T(test_unmatched_counted_once),
      T(test_unmatched_empty_key),
      T(test_future_dated_dropped),
      T(test_opportunity_as_of),
      T(test_contact_and_escalation_as_of),
      T(test_product_lines_same_source),
      T(test_product_lines_across_sources),
      T(test_derived_arr),
      T(test_derived_owner),
      T(test_derived_renewal),
      T(test_slices_per_account),
      T(test_stored_values),
      T(test_rejected_and_state_errors),
      T(test_no_accounts),
      T(test_too_many_sources),
      T(test_catalogue_too_big),
      T(test_describe),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
