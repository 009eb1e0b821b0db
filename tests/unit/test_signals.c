/*
 * Signals (core/signals.c): presence, the strength formula, evidence values
 * and texts, and the boundary cases where a signal must not fire (just under
 * a threshold, stale data, future data). T = 2024-07-01; default params
 * (horizon 180, recent 90, stale 365).
 */
#include "score_fixtures.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  assert_int_equal(D(2024, 7, 1), T);
  fx_init(f, T);
  fx_std_catalogue(f);
}

/* Account a with one product (seats, active), no usage. */
static void seat_account(fx *f, const char *a, double seats, double active) {
  fx_account(f, a, NULL, NA);
  fx_product(f, a, "Core Basic", seats, active, NA);
}

/* ---- usage ceiling ---- */

static void ceiling_seats_with_trend(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  seat_account(&f, "A1", 100, NA);
  fx_usage(&f, "A1", T - 60, "Core Basic", NULL, 60);
  fx_usage(&f, "A1", T - 30, "Core Basic", NULL, 75);
  fx_usage(&f, "A1", T, "Core Basic", NULL, 90);
  fx_finalize(&f);
  acct_eval *e = fx_signals(&f, "A1");
  assert_int_equal(e->n_sig, 1);
  const exsig *s = fx_sig(e, SIG_USAGE_CEILING, -2);
  assert_int_equal(s->cat, fx_catidx(&f, "Core Basic"));
  /* slope 0.5 a day: 10 free seats gone in 20 days; util 0.9 gives
     (0.9-0.7)/0.3 = 2/3, the forecast 1 - 20/180 = 8/9 (the larger). */
  assert_near(s->strength, 1.0 - 20.0 / 180.0);
  assert_near(s->v[0], 90);
  assert_near(s->v[1], 100);
  assert_near(s->v[2], 15);
  assert_near(s->v[3], 0.9);
  assert_int_equal(s->d[0], T + 20);
  assert_string_equal(s->s[0], "seats");
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "Core Basic: 90 of 100 seats active (90%), +15.0 a "
                      "month; full by 2024-07-21 at this trend");
  fx_free(&f);
}

static void ceiling_seats_active_fallback(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  seat_account(&f, "A1", 100, 85); /* no usage: the product's seats_active */
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_USAGE_CEILING, -2);
  assert_near(s->strength, (0.85 - 0.7) / 0.3);
  assert_near(s->v[0], 85);
  assert_none(s->v[2]);
  assert_near(s->v[3], 0.85);
  assert_int_equal(s->d[0], ND);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "Core Basic: 85 of 100 seats active (85%)");
  fx_free(&f);
}

static void ceiling_over_limit(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  seat_account(&f, "A1", 100, 110);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_USAGE_CEILING, -2);
  assert_near(s->strength, 1.0);
  assert_int_equal(s->d[0], T); /* already over: the forecast is today */
  assert_near(s->v[3], 1.1);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "Core Basic: 110 of 100 seats active (110%); at or over "
                      "the limit");
  fx_free(&f);
}

static void ceiling_threshold_boundary(void **state) {
  (void)state;
  fx f;
  setup(&f);
  seat_account(&f, "A70", 100, 70); /* util 0.7: strength 0, no signal */
  seat_account(&f, "A69", 100, 69);
  seat_account(&f, "A71", 100, 71);
  fx_finalize(&f);
  assert_int_equal(fx_signals(&f, "A70")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "A69")->n_sig, 0);
  const exsig *s = fx_sig(fx_signals(&f, "A71"), SIG_USAGE_CEILING, -2);
  assert_near(s->strength, (0.71 - 0.7) / 0.3);
  fx_free(&f);
}

static void ceiling_forecast_horizon_boundary(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* slope 0.25 a day; 45 free seats last exactly 180 days = horizon:
     1 - 180/180 = 0 and util 0.55: no signal. */
  seat_account(&f, "AT", 100, NA);
  fx_usage(&f, "AT", T - 60, "Core Basic", NULL, 40);
  fx_usage(&f, "AT", T - 30, "Core Basic", NULL, 47.5);
  fx_usage(&f, "AT", T, "Core Basic", NULL, 55);
  /* 44.75 free seats: full in 179 days, strength 1/180. */
  seat_account(&f, "AU", 100, NA);
  fx_usage(&f, "AU", T - 60, "Core Basic", NULL, 40.25);
  fx_usage(&f, "AU", T - 30, "Core Basic", NULL, 47.75);
  fx_usage(&f, "AU", T, "Core Basic", NULL, 55.25);
  fx_finalize(&f);
  assert_int_equal(fx_signals(&f, "AT")->n_sig, 0);
  const exsig *s = fx_sig(fx_signals(&f, "AU"), SIG_USAGE_CEILING, -2);
  assert_int_equal(s->d[0], T + 179);
  assert_near(s->strength, 1.0 / 180.0);
  assert_near(s->v[2], 7.5);
  fx_free(&f);
}

static void ceiling_trend_needs_30_days(void **state) {
  (void)state;
  fx f;
  setup(&f);
  seat_account(&f, "A29", 100, NA); /* two points 29 days apart: no trend */
  fx_usage(&f, "A29", T - 29, "Core Basic", NULL, 70);
  fx_usage(&f, "A29", T, "Core Basic", NULL, 80);
  seat_account(&f, "A32", 100, NA); /* 32 days apart: slope 0.25 */
  fx_usage(&f, "A32", T - 32, "Core Basic", NULL, 72);
  fx_usage(&f, "A32", T, "Core Basic", NULL, 80);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A29"), SIG_USAGE_CEILING, -2);
  assert_near(s->strength, (0.8 - 0.7) / 0.3);
  assert_none(s->v[2]);
  assert_int_equal(s->d[0], ND);
  s = fx_sig(fx_signals(&f, "A32"), SIG_USAGE_CEILING, -2);
  assert_int_equal(s->d[0], T + 80);
  assert_near(s->strength, 1.0 - 80.0 / 180.0);
  assert_near(s->v[2], 7.5);
  fx_free(&f);
}

static void ceiling_stale_usage_ignored(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* A point 181 days old is outside the trend window: one point left. */
  seat_account(&f, "A1", 100, NA);
  fx_usage(&f, "A1", T - 181, "Core Basic", NULL, 50);
  fx_usage(&f, "A1", T, "Core Basic", NULL, 80);
  /* Usage older than stale_days is not the active count either. */
  seat_account(&f, "A2", 100, NA);
  fx_usage(&f, "A2", T - 366, "Core Basic", NULL, 95);
  seat_account(&f, "A3", 100, 60);
  fx_usage(&f, "A3", T - 366, "Core Basic", NULL, 95);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_USAGE_CEILING, -2);
  assert_none(s->v[2]);
  assert_near(s->strength, (0.8 - 0.7) / 0.3);
  assert_int_equal(fx_signals(&f, "A2")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "A3")->n_sig, 0);
  const m_account *a3 = &f.m->acct[fx_idx(&f, "A3")];
  size_t np;
  const m_product *pr = MODEL_SLICE(f.m, a3, MK_PRODUCT, m_product, &np);
  assert_int_equal(np, 1);
  assert_near(score_product_active(f.m, &f.sp, a3, pr, 1), 60);
  fx_free(&f);
}

static void ceiling_account_usage_for_single_product(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* One per-seat product: account-level usage counts as its usage. */
  seat_account(&f, "A1", 100, NA);
  fx_usage(&f, "A1", T, NULL, NULL, 90);
  /* Two per-seat products: account-level usage is not split among them. */
  seat_account(&f, "A2", 100, 50);
  fx_product(&f, "A2", "Sync Lite", 100, 50, NA);
  fx_usage(&f, "A2", T, NULL, NULL, 90);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_USAGE_CEILING, -2);
  assert_near(s->v[0], 90);
  assert_near(s->strength, (0.9 - 0.7) / 0.3);
  assert_int_equal(fx_signals(&f, "A2")->n_sig, 0);
  fx_free(&f);
}

static void ceiling_capacity(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_capacity(&f, "A1", T - 64, NULL, 836, 1000);
  fx_capacity(&f, "A1", T - 32, NULL, 868, 1000);
  fx_capacity(&f, "A1", T, NULL, 900, 1000);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_USAGE_CEILING, -2);
  assert_int_equal(s->cat, -1);
  assert_string_equal(s->s[0], "capacity");
  /* slope 1 a day: full in 100 days (4/9) < util (0.9-0.7)/0.3 = 2/3. */
  assert_near(s->strength, 2.0 / 3.0);
  assert_int_equal(s->d[0], T + 100);
  assert_near(s->v[0], 900);
  assert_near(s->v[1], 1000);
  assert_near(s->v[2], 30);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "capacity 900 of 1000 used (90%), +30.0 a month; full "
                      "by 2024-10-09 at this trend");
  fx_free(&f);
}

/* A slow trend towards a huge limit: the forecast is millions of years
   away (more days than an int32 holds) and must not wrap into a date in
   the past that looks like "full now". */
static void ceiling_far_forecast(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_capacity(&f, "A1", T - 60, NULL, 1e6 - 60, 1e12);
  fx_capacity(&f, "A1", T - 30, NULL, 1e6 - 30, 1e12);
  fx_capacity(&f, "A1", T, NULL, 1e6, 1e12);
  seat_account(&f, "A2", 1e9, NA);
  fx_usage(&f, "A2", T - 60, "Core Basic", NULL, 940);
  fx_usage(&f, "A2", T - 30, "Core Basic", NULL, 970);
  fx_usage(&f, "A2", T, "Core Basic", NULL, 1000);
  fx_finalize(&f);
  assert_int_equal(fx_signals(&f, "A1")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "A2")->n_sig, 0);
  acct_eval *e = fx_eval(&f, "A2");
  assert_int_equal(fx_nopp(e, EXD_OPP_SEAT_EXPANSION), 0);
  fx_free(&f);
}

/* ---- new use case ---- */

static void use_case_from_usage(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  const char *ids[] = {"A12", "A4", "A2", "A35"};
  double users[] = {12, 4, 2, 5};
  double want[] = {1.0, 0.4, 0.3, 0.5};
  for (int i = 0; i < 4; i++) {
    seat_account(&f, ids[i], 100, 10);
    fx_usage(&f, ids[i], T - 200, NULL, NULL, 10); /* older usage */
  }
  fx_usage(&f, "A12", T - 30, "Core Basic", "Marketing", 12);
  fx_usage(&f, "A4", T - 30, NULL, "Sales", 4);
  fx_usage(&f, "A2", T - 30, NULL, "Ops", 2);
  fx_usage(&f, "A35", T - 60, NULL, "Legal", 3); /* latest count: 5 */
  fx_usage(&f, "A35", T - 10, NULL, "Legal", 5);
  fx_finalize(&f);
  for (int i = 0; i < 4; i++) {
    const exsig *s = fx_sig(fx_signals(&f, ids[i]), SIG_NEW_USE_CASE, -2);
    assert_near(s->strength, want[i]);
    assert_near(s->v[0], users[i]);
  }
  const exsig *s = fx_sig(fx_signals(&f, "A12"), SIG_NEW_USE_CASE, -2);
  assert_int_equal(s->cat, fx_catidx(&f, "Core Basic"));
  assert_string_equal(s->s[0], "Marketing");
  assert_int_equal(s->d[0], T - 30);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "Marketing team started using Core Basic on 2024-06-01 "
                      "(12 active users)");
  s = fx_sig(fx_signals(&f, "A35"), SIG_NEW_USE_CASE, -2);
  assert_int_equal(s->d[0], T - 60); /* first seen */
  assert_int_equal(s->cat, -1);
  fx_free(&f);
}

static void use_case_not_triggered(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* First departmental usage 91 days ago: not recent. */
  seat_account(&f, "OLD", 100, 10);
  fx_usage(&f, "OLD", T - 200, NULL, NULL, 10);
  fx_usage(&f, "OLD", T - 91, NULL, "Sales", 3);
  fx_usage(&f, "OLD", T - 10, NULL, "Sales", 8);
  /* Exactly 90 days ago: recent (inclusive). */
  seat_account(&f, "EDGE", 100, 10);
  fx_usage(&f, "EDGE", T - 200, NULL, NULL, 10);
  fx_usage(&f, "EDGE", T - 90, NULL, "Sales", 3);
  /* All usage recent: nothing older to compare with. */
  seat_account(&f, "NEW", 100, 10);
  fx_usage(&f, "NEW", T - 50, NULL, NULL, 10);
  fx_usage(&f, "NEW", T - 30, NULL, "Sales", 3);
  fx_finalize(&f);
  assert_int_equal(fx_nsig(fx_signals(&f, "OLD"), SIG_NEW_USE_CASE), 0);
  assert_near(fx_sig(fx_signals(&f, "EDGE"), SIG_NEW_USE_CASE, -2)->strength,
              0.3);
  assert_int_equal(fx_nsig(fx_signals(&f, "NEW"), SIG_NEW_USE_CASE), 0);
  fx_free(&f);
}

static void use_case_from_contact(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_contact(&f, "A1", "Lee", NULL, "Legal", 0, T - 10, ND);
  /* The department already uses the product. */
  fx_account(&f, "A2", NULL, NA);
  fx_usage(&f, "A2", T - 300, NULL, "Legal", 4);
  fx_contact(&f, "A2", "Lee", NULL, "Legal", 0, T - 10, ND);
  /* An older contact from the same department. */
  fx_account(&f, "A3", NULL, NA);
  fx_contact(&f, "A3", "Old", NULL, "legal", 0, T - 200, ND);
  fx_contact(&f, "A3", "Lee", NULL, "Legal", 0, T - 10, ND);
  /* Not recent; left. */
  fx_account(&f, "A4", NULL, NA);
  fx_contact(&f, "A4", "Lee", NULL, "Legal", 0, T - 91, ND);
  fx_contact(&f, "A4", "Kim", NULL, "Finance", 0, T - 10, T - 2);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_NEW_USE_CASE, -2);
  assert_near(s->strength, 0.4);
  assert_int_equal(s->cat, -1);
  assert_string_equal(s->s[0], "Legal");
  assert_string_equal(s->s[1], "Lee");
  assert_int_equal(s->d[0], T - 10);
  assert_none(s->v[0]);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "new Legal contact Lee since 2024-06-21");
  assert_int_equal(fx_nsig(fx_signals(&f, "A2"), SIG_NEW_USE_CASE), 0);
  assert_int_equal(fx_nsig(fx_signals(&f, "A3"), SIG_NEW_USE_CASE), 0);
  assert_int_equal(fx_nsig(fx_signals(&f, "A4"), SIG_NEW_USE_CASE), 0);
  fx_free(&f);
}

/* ---- organisational growth ---- */

/* Account a with a dated head count then and one today. */
static void headcount(fx *f, const char *a, int32_t then, double before,
                      double now) {
  exd_record r = fx_rec(EXD_REC_ACCOUNT, a);
  r.account.name = a;
  r.u.account.employees = before;
  r.u.account.as_of = then;
  fx_add(f, &r);
  r.u.account.employees = now;
  r.u.account.as_of = T;
  fx_add(f, &r);
}

static void growth_from_headcount(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  headcount(&f, "G15", T - 200, 100, 115);
  headcount(&f, "G5", T - 200, 100, 105); /* exactly 5% */
  headcount(&f, "G4", T - 200, 100, 104);
  headcount(&f, "G40", T - 200, 100, 140); /* capped at 1 */
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "G15"), SIG_ORG_GROWTH, -2);
  assert_near(s->strength, 0.15 / 0.3);
  assert_near(s->v[0], 100);
  assert_near(s->v[1], 115);
  assert_near(s->v[2], 0.15);
  assert_int_equal(s->d[0], T - 200);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "headcount 100 -> 115 (+15%) since 2023-12-14");
  assert_near(fx_sig(fx_signals(&f, "G5"), SIG_ORG_GROWTH, -2)->strength,
              0.05 / 0.3);
  assert_int_equal(fx_signals(&f, "G4")->n_sig, 0);
  assert_near(fx_sig(fx_signals(&f, "G40"), SIG_ORG_GROWTH, -2)->strength, 1);
  fx_free(&f);
}

static void growth_baseline_window(void **state) {
  (void)state;
  fx f;
  setup(&f);
  headcount(&f, "N89", T - 89, 100, 150);   /* baseline too recent */
  headcount(&f, "N401", T - 401, 100, 150); /* baseline too old */
  headcount(&f, "N400", T - 400, 100, 150);
  headcount(&f, "N90", T - 90, 100, 130);
  fx_finalize(&f);
  assert_int_equal(fx_signals(&f, "N89")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "N401")->n_sig, 0);
  assert_near(fx_sig(fx_signals(&f, "N400"), SIG_ORG_GROWTH, -2)->strength, 1);
  assert_near(fx_sig(fx_signals(&f, "N90"), SIG_ORG_GROWTH, -2)->strength, 1);
  fx_free(&f);
}

static void growth_from_triggers(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  const char *types[] = {"Funding",      "ipo",        "acquisition", "merger",
                         "hiring_surge", "new_office", "expansion"};
  double want[] = {0.8, 0.8, 0.8, 0.8, 0.6, 0.6, 0.6};
  char ids[7][4];
  for (int i = 0; i < 7; i++) {
    snprintf(ids[i], sizeof(ids[i]), "T%d", i);
    fx_account(&f, ids[i], NULL, NA);
    fx_trigger(&f, ids[i], T - 10, types[i], i == 0 ? "Series C" : NULL);
  }
  fx_account(&f, "OLD", NULL, NA);
  fx_trigger(&f, "OLD", T - 91, "funding", NULL);
  fx_account(&f, "AWD", NULL, NA);
  fx_trigger(&f, "AWD", T - 1, "award", NULL);
  fx_finalize(&f);
  for (int i = 0; i < 7; i++) {
    const exsig *s = fx_sig(fx_signals(&f, ids[i]), SIG_ORG_GROWTH, -2);
    assert_near(s->strength, want[i]);
    assert_int_equal(s->d[1], T - 10);
  }
  const exsig *s = fx_sig(fx_signals(&f, "T0"), SIG_ORG_GROWTH, -2);
  assert_string_equal(s->s[0], "funding"); /* lower-cased */
  assert_string_equal(s->s[1], "Series C");
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "funding on 2024-06-21: Series C");
  assert_int_equal(fx_signals(&f, "OLD")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "AWD")->n_sig, 0);
  fx_free(&f);
}

/* ---- stakeholders ---- */

static void new_stakeholder_contacts(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  unsigned roles[] = {EXD_ROLE_EXECUTIVE, EXD_ROLE_ECONOMIC_BUYER,
                      EXD_ROLE_CHAMPION, EXD_ROLE_POWER_USER};
  double want[] = {1.0, 1.0, 0.7, 0};
  const char *ids[] = {"EX", "EB", "CH", "PU"};
  for (int i = 0; i < 4; i++) {
    fx_account(&f, ids[i], NULL, NA);
    fx_contact(&f, ids[i], "Ann", "CFO", NULL, roles[i], T - 5, ND);
  }
  fx_account(&f, "OLD", NULL, NA);
  fx_contact(&f, "OLD", "Ann", NULL, NULL, EXD_ROLE_EXECUTIVE, T - 91, ND);
  fx_account(&f, "GONE", NULL, NA);
  fx_contact(&f, "GONE", "Ann", NULL, NULL, EXD_ROLE_EXECUTIVE, T - 5, T - 1);
  fx_finalize(&f);
  for (int i = 0; i < 3; i++) {
    const exsig *s = fx_sig(fx_signals(&f, ids[i]), SIG_NEW_STAKEHOLDER, -2);
    assert_near(s->strength, want[i]);
    assert_string_equal(s->s[0], "Ann");
    assert_string_equal(s->s[1], "CFO");
    assert_int_equal(s->d[0], T - 5);
    assert_near(s->v[0], roles[i]);
  }
  assert_int_equal(fx_signals(&f, "PU")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "OLD")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "GONE")->n_sig, 0);
  const exsig *s = fx_sig(fx_signals(&f, "EX"), SIG_NEW_STAKEHOLDER, -2);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "new executive Ann (CFO) engaged since 2024-06-26");
  s = fx_sig(fx_signals(&f, "EB"), SIG_NEW_STAKEHOLDER, -2);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "new economic buyer Ann (CFO) engaged since 2024-06-26");
  fx_free(&f);
}

static void new_stakeholder_trigger(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_trigger(&f, "A1", T - 3, "new_executive", "New CIO");
  fx_account(&f, "A2", NULL, NA);
  fx_trigger(&f, "A2", T - 3, "leadership_change", NULL);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_NEW_STAKEHOLDER, -2);
  assert_near(s->strength, 0.6);
  assert_int_equal(fx_nsig(f.e, SIG_ORG_GROWTH), 0);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "new_executive on 2024-06-28: New CIO");
  assert_near(fx_sig(fx_signals(&f, "A2"), SIG_NEW_STAKEHOLDER, -2)->strength,
              0.6);
  fx_free(&f);
}

static void champion_left(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_contact(&f, "A1", "Cal", "VP Ops", NULL, EXD_ROLE_CHAMPION, T - 400,
             T - 30);
  fx_account(&f, "REPL", NULL, NA); /* another champion remains */
  fx_contact(&f, "REPL", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 400, T - 30);
  fx_contact(&f, "REPL", "Dee", NULL, NULL, EXD_ROLE_CHAMPION, T - 400, ND);
  fx_account(&f, "L181", NULL, NA);
  fx_contact(&f, "L181", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 400,
             T - 181);
  fx_account(&f, "L180", NULL, NA);
  fx_contact(&f, "L180", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 400,
             T - 180);
  fx_account(&f, "LATER", NULL, NA); /* leaves after as_of: still here */
  fx_contact(&f, "LATER", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 400,
             T + 10);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_CHAMPION_LEFT, -2);
  assert_near(s->strength, 1.0);
  assert_string_equal(s->s[0], "Cal");
  assert_string_equal(s->s[1], "VP Ops");
  assert_int_equal(s->d[0], T - 30);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "champion Cal (VP Ops) left on 2024-06-01; no champion "
                      "since");
  assert_int_equal(fx_signals(&f, "REPL")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "L181")->n_sig, 0);
  assert_int_equal(fx_nsig(fx_signals(&f, "L180"), SIG_CHAMPION_LEFT), 1);
  assert_int_equal(fx_signals(&f, "LATER")->n_sig, 0);
  fx_free(&f);
}

/* Contacts given by title or role only: no stray spaces in the texts. */
static void people_texts_without_names(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_contact(&f, "A1", NULL, "CFO", NULL, EXD_ROLE_EXECUTIVE, T - 5, ND);
  fx_contact(&f, "A1", NULL, NULL, NULL, EXD_ROLE_CHAMPION, T - 400, T - 30);
  fx_finalize(&f);
  acct_eval *e = fx_signals(&f, "A1");
  assert_string_equal(
      fx_explain(&f, fx_sig(e, SIG_NEW_STAKEHOLDER, -2), buf, sizeof(buf)),
      "new executive (CFO) engaged since 2024-06-26");
  assert_string_equal(
      fx_explain(&f, fx_sig(e, SIG_CHAMPION_LEFT, -2), buf, sizeof(buf)),
      "champion left on 2024-06-01; no champion since");
  fx_free(&f);
}

/* ---- intent ---- */

static void intent_score_stage_fit(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  const char *stage[] = {"Decision", "Consideration", "Awareness", "Target",
                         NULL,       "purchase"};
  const char *fit[] = {"Strong", "Moderate", "Weak", NULL, NULL, "strong"};
  double want[] = {0.8,       0.8 * 0.8 * 0.9, 0.8 * 0.5 * 0.7,
                   0.8 * 0.3, 0.8 * 0.7,       0.8};
  char ids[6][4];
  for (int i = 0; i < 6; i++) {
    snprintf(ids[i], sizeof(ids[i]), "I%d", i);
    fx_account(&f, ids[i], NULL, NA);
    fx_intent(&f, ids[i], T - 10, "Analytics", 80, stage[i], fit[i], NULL);
  }
  fx_finalize(&f);
  for (int i = 0; i < 6; i++) {
    const exsig *s = fx_sig(fx_signals(&f, ids[i]), SIG_INTENT, -2);
    assert_near(s->strength, want[i]);
    assert_int_equal(s->cat, fx_catidx(&f, "Analytics"));
  }
  const exsig *s = fx_sig(fx_signals(&f, "I0"), SIG_INTENT, -2);
  assert_near(s->v[0], 80);
  assert_near(s->v[1], ST_DECISION);
  assert_near(s->v[2], 0);
  assert_near(s->v[3], FIT_STRONG);
  assert_int_equal(s->d[0], T - 10);
  assert_null(s->s[0]);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "buying intent 80 for Analytics (Decision stage) on "
                      "2024-06-21");
  fx_free(&f);
}

static void intent_recent_and_strongest(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "OLD", NULL, NA);
  fx_intent(&f, "OLD", T - 91, "Analytics", 90, "Decision", NULL, NULL);
  fx_account(&f, "UP", NULL, NA); /* weaker first, then stronger */
  fx_intent(&f, "UP", T - 10, "Analytics", 50, "Decision", NULL, NULL);
  fx_intent(&f, "UP", T - 5, "Analytics", 90, "Decision", NULL, NULL);
  fx_account(&f, "DOWN", NULL, NA); /* stronger first */
  fx_intent(&f, "DOWN", T - 5, "Analytics", 90, "Decision", NULL, NULL);
  fx_intent(&f, "DOWN", T - 10, "Analytics", 50, "Decision", NULL, NULL);
  fx_account(&f, "EDGE", NULL, NA);
  fx_intent(&f, "EDGE", T - 90, "Analytics", 90, "Decision", NULL, NULL);
  fx_finalize(&f);
  assert_int_equal(fx_signals(&f, "OLD")->n_sig, 0);
  const exsig *s = fx_sig(fx_signals(&f, "UP"), SIG_INTENT, -2);
  assert_near(s->strength, 0.9);
  assert_int_equal(s->d[0], T - 5);
  s = fx_sig(fx_signals(&f, "DOWN"), SIG_INTENT, -2);
  assert_near(s->strength, 0.9);
  assert_int_equal(s->d[0], T - 5);
  assert_int_equal(fx_nsig(fx_signals(&f, "EDGE"), SIG_INTENT), 1);
  fx_free(&f);
}

static void intent_topics(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  static const char *const two[] = {"CRM", "Dashboards", "Reporting", NULL};
  static const char *const one[] = {"bi", NULL};
  static const char *const none[] = {"crm", NULL};
  fx_account(&f, "TWO", NULL, NA);
  fx_intent(&f, "TWO", T - 10, NULL, 50, NULL, NULL, two);
  fx_account(&f, "ONE", NULL, NA);
  fx_intent(&f, "ONE", T - 10, NULL, NA, NULL, NULL, one);
  fx_account(&f, "NONE", NULL, NA);
  fx_intent(&f, "NONE", T - 10, NULL, 90, NULL, NULL, none);
  fx_account(&f, "PROD", NULL, NA); /* product without a score: topics */
  fx_intent(&f, "PROD", T - 10, "Analytics", NA, NULL, NULL, two);
  fx_account(&f, "BARE", NULL, NA); /* product, no score, no topic */
  fx_intent(&f, "BARE", T - 10, "Analytics", NA, NULL, NULL, none);
  fx_finalize(&f);
  int an = fx_catidx(&f, "Analytics");
  const exsig *s = fx_sig(fx_signals(&f, "TWO"), SIG_INTENT, -2);
  assert_int_equal(s->cat, an);
  assert_near(s->strength, 1.0 * 0.5); /* min(1, 2/2) x 50/100 */
  assert_near(s->v[2], 2);
  assert_string_equal(s->s[0], "dashboards");
  s = fx_sig(fx_signals(&f, "ONE"), SIG_INTENT, -2);
  assert_near(s->strength, 0.5 * 0.6); /* min(1, 1/2) x 0.6 */
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "researching topics Analytics answers, topic 'bi' on "
                      "2024-06-21");
  assert_int_equal(fx_signals(&f, "NONE")->n_sig, 0);
  s = fx_sig(fx_signals(&f, "PROD"), SIG_INTENT, -2);
  assert_near(s->strength, 0.6);
  assert_int_equal(fx_signals(&f, "BARE")->n_sig, 0);
  fx_free(&f);
}

/* ---- health trend ---- */

static void health3(fx *f, const char *a, double h0, double h1, double h2) {
  fx_account(f, a, NULL, NA);
  fx_health(f, a, T - 180, h0);
  fx_health(f, a, T - 90, h1);
  fx_health(f, a, T, h2);
}

static void health_up_and_down(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  health3(&f, "UP", 60, 67.5, 75);
  health3(&f, "DOWN", 80, 65, 50);
  health3(&f, "FLAT", 60, 64.5, 69); /* +4.5 a quarter: neither */
  fx_finalize(&f);
  acct_eval *e = fx_signals(&f, "UP");
  assert_int_equal(e->n_sig, 1);
  const exsig *s = fx_sig(e, SIG_HEALTH_UP, -2);
  assert_near(s->strength, 0.5); /* 7.5 points a quarter / 15 */
  assert_near(s->v[0], 60);
  assert_near(s->v[1], 75);
  assert_near(s->v[2], 7.5);
  assert_int_equal(s->d[0], T - 180);
  assert_int_equal(s->d[1], T);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "health 60 -> 75 between 2024-01-03 and 2024-07-01 "
                      "(+7.5 points a quarter)");
  s = fx_sig(fx_signals(&f, "DOWN"), SIG_HEALTH_DOWN, -2);
  assert_near(s->strength, 1.0);
  assert_near(s->v[2], -15);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "health 80 -> 50 between 2024-01-03 and 2024-07-01 "
                      "(-15.0 points a quarter)");
  assert_int_equal(fx_signals(&f, "FLAT")->n_sig, 0);
  fx_free(&f);
}

static void health_trend_needs_data(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "TWO", NULL, NA); /* two points only */
  fx_health(&f, "TWO", T - 180, 40);
  fx_health(&f, "TWO", T, 90);
  fx_account(&f, "SHORT", NULL, NA); /* 59 days */
  fx_health(&f, "SHORT", T - 59, 40);
  fx_health(&f, "SHORT", T - 30, 65);
  fx_health(&f, "SHORT", T, 90);
  fx_account(&f, "STALE", NULL, NA); /* first point 181 days old */
  fx_health(&f, "STALE", T - 181, 40);
  fx_health(&f, "STALE", T - 90, 65);
  fx_health(&f, "STALE", T, 90);
  fx_account(&f, "SPAN60", NULL, NA); /* 60 days: enough */
  fx_health(&f, "SPAN60", T - 60, 50);
  fx_health(&f, "SPAN60", T - 30, 55);
  fx_health(&f, "SPAN60", T, 60);
  fx_finalize(&f);
  assert_int_equal(fx_signals(&f, "TWO")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "SHORT")->n_sig, 0);
  assert_int_equal(fx_signals(&f, "STALE")->n_sig, 0);
  /* 10 points in 60 days = 15 a quarter: strength 1. */
  assert_near(fx_sig(fx_signals(&f, "SPAN60"), SIG_HEALTH_UP, -2)->strength,
              1.0);
  fx_free(&f);
}

static void future_data_ignored(void **state) {
  (void)state;
  fx f;
  setup(&f);
  health3(&f, "A1", 60, 67.5, 75);
  fx_health(&f, "A1", T + 30, 0); /* after as_of: dropped at add */
  fx_intent(&f, "A1", T + 1, "Analytics", 99, "Decision", NULL, NULL);
  fx_trigger(&f, "A1", T + 1, "funding", NULL);
  fx_finalize(&f);
  assert_int_equal(f.m->src[0].future, 3);
  acct_eval *e = fx_signals(&f, "A1");
  assert_int_equal(e->n_sig, 1);
  assert_near(fx_sig(e, SIG_HEALTH_UP, -2)->strength, 0.5);
  fx_free(&f);
}

/* ---- escalations ---- */

static void escalations(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "ONE", NULL, NA);
  fx_escalation(&f, "ONE", "E1", "P3", "Login slow", T - 20, ND);
  fx_account(&f, "TWO", NULL, NA);
  fx_escalation(&f, "TWO", "E2", "P3", "Newer", T - 20, ND);
  fx_escalation(&f, "TWO", "E3", "P3", "Older", T - 40, ND);
  fx_account(&f, "SEV", NULL, NA);
  fx_escalation(&f, "SEV", "E4", "P3", "Older", T - 40, ND);
  fx_escalation(&f, "SEV", "E5", "Critical", NULL, T - 5, ND);
  fx_account(&f, "CLOSED", NULL, NA);
  fx_escalation(&f, "CLOSED", "E6", "P1", "x", T - 40, T - 3);
  fx_account(&f, "LATER", NULL, NA); /* closed after as_of: open then */
  fx_escalation(&f, "LATER", "E7", NULL, NULL, T - 40, T + 5);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "ONE"), SIG_ESCALATION, -2);
  assert_near(s->strength, 0.5);
  assert_near(s->v[0], 1);
  assert_string_equal(s->s[0], "P3");
  assert_string_equal(s->s[1], "Login slow");
  assert_int_equal(s->d[0], T - 20);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "1 open escalation; P3 'Login slow' open since "
                      "2024-06-11");
  s = fx_sig(fx_signals(&f, "TWO"), SIG_ESCALATION, -2);
  assert_near(s->strength, 1.0);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "2 open escalations; P3 'Older' open since 2024-05-22");
  s = fx_sig(fx_signals(&f, "SEV"), SIG_ESCALATION, -2);
  assert_near(s->strength, 1.0);
  assert_string_equal(s->s[0], "Critical");
  assert_string_equal(s->s[1], "E5"); /* no subject: the id */
  assert_int_equal(fx_signals(&f, "CLOSED")->n_sig, 0);
  s = fx_sig(fx_signals(&f, "LATER"), SIG_ESCALATION, -2);
  assert_near(s->strength, 0.5);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "1 open escalation; 'E7' open since 2024-05-22");
  fx_free(&f);
}

/* ---- lost deals ---- */

static void lost_deals(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "R", NULL, NA);
  fx_opp(&f, "R", "O-1", "Analytics", EXD_OPP_LOST, NULL, ND, T - 30, 5000);
  fx_account(&f, "H", NULL, NA);
  fx_opp(&f, "H", "O-2", "Analytics", EXD_OPP_LOST, NULL, ND, T - 120, 5000);
  fx_account(&f, "X", NULL, NA);
  fx_opp(&f, "X", "O-3", "Analytics", EXD_OPP_LOST, NULL, ND, T - 181, 5000);
  fx_account(&f, "TWO", NULL, NA);
  fx_opp(&f, "TWO", "O-4", "Analytics", EXD_OPP_LOST, NULL, ND, T - 150, 1);
  fx_opp(&f, "TWO", "O-5", "Analytics", EXD_OPP_LOST, NULL, ND, T - 60, 2);
  fx_opp(&f, "TWO", "O-6", "Analytics", EXD_OPP_LOST, NULL, ND, T - 170, 3);
  fx_account(&f, "WON", NULL, NA);
  fx_opp(&f, "WON", "O-7", "Analytics", EXD_OPP_WON, NULL, ND, T - 30, 5000);
  fx_finalize(&f);
  const exsig *s = fx_sig(fx_signals(&f, "R"), SIG_LOST_DEAL, -2);
  assert_near(s->strength, 1.0);
  assert_int_equal(s->cat, fx_catidx(&f, "Analytics"));
  assert_int_equal(s->d[0], T - 30);
  assert_near(s->v[0], 5000);
  assert_string_equal(s->s[0], "O-1");
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "lost deal O-1 for Analytics on 2024-06-01");
  assert_near(fx_sig(fx_signals(&f, "H"), SIG_LOST_DEAL, -2)->strength, 0.5);
  assert_int_equal(fx_signals(&f, "X")->n_sig, 0);
  s = fx_sig(fx_signals(&f, "TWO"), SIG_LOST_DEAL, -2);
  assert_int_equal(s->d[0], T - 60); /* the latest loss */
  assert_string_equal(s->s[0], "O-5");
  assert_near(s->v[0], 2);
  assert_near(s->strength, 1.0);
  assert_int_equal(fx_signals(&f, "WON")->n_sig, 0);
  fx_free(&f);
}

/* ---- related accounts ---- */

static void child_of(fx *f, const char *a, const char *parent) {
  exd_record r = fx_rec(EXD_REC_ACCOUNT, a);
  r.account.name = a;
  r.u.account.parent.crm_id = parent;
  fx_add(f, &r);
}

static void related_account_owns(void **state) {
  (void)state;
  fx f;
  char buf[256];
  setup(&f);
  fx_account(&f, "P", NULL, NA);
  fx_product(&f, "P", "Analytics", NA, NA, NA);
  fx_product(&f, "P", "Sync Lite", 10, NA, NA);
  child_of(&f, "C1", "P");
  fx_product(&f, "C1", "Core Basic", 10, NA, NA);
  child_of(&f, "C2", "P");
  fx_product(&f, "C2", "Sync Lite", 10, NA, NA);
  fx_product(&f, "C2", "Sync Plus", 10, NA, NA);
  child_of(&f, "S1", "C1");
  fx_product(&f, "S1", "Core Pro", 10, NA, NA);
  fx_finalize(&f);
  acct_eval *e = fx_signals(&f, "C1");
  signals_related(f.m, &f.p, fx_idx(&f, "C1"), e);
  assert_int_equal(fx_nsig(e, SIG_RELATED_OWNS), 4);
  const exsig *s = fx_sig(e, SIG_RELATED_OWNS, fx_catidx(&f, "Analytics"));
  assert_near(s->strength, 1.0);
  assert_near(s->v[0], 1);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "parent company P owns Analytics");
  /* Parent and sister both own Sync Lite: the parent (stronger) counts. */
  s = fx_sig(e, SIG_RELATED_OWNS, fx_catidx(&f, "Sync Lite"));
  assert_near(s->strength, 1.0);
  assert_string_equal(s->s[0], "P");
  s = fx_sig(e, SIG_RELATED_OWNS, fx_catidx(&f, "Sync Plus"));
  assert_near(s->strength, 0.7);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "sister company C2 owns Sync Plus");
  s = fx_sig(e, SIG_RELATED_OWNS, fx_catidx(&f, "Core Pro"));
  assert_near(s->strength, 1.0);
  assert_string_equal(fx_explain(&f, s, buf, sizeof(buf)),
                      "subsidiary S1 owns Core Pro");
  /* The parent sees its subsidiaries' products. */
  e = fx_signals(&f, "P");
  signals_related(f.m, &f.p, fx_idx(&f, "P"), e);
  assert_int_equal(fx_nsig(e, SIG_RELATED_OWNS), 2);
  assert_near(fx_sig(e, SIG_RELATED_OWNS, fx_catidx(&f, "Core Basic"))->v[0],
              3);
  fx_free(&f);
}

/* ---- caps ---- */

static void use_case_at_most_three(void **state) {
  (void)state;
  fx f;
  setup(&f);
  seat_account(&f, "A1", 100, 10);
  fx_usage(&f, "A1", T - 200, NULL, NULL, 10);
  const char *depts[] = {"Sales", "Legal", "Ops", "Finance"};
  for (int i = 0; i < 4; i++)
    fx_usage(&f, "A1", T - 10 - i, NULL, depts[i], 5);
  fx_contact(&f, "A1", "Lee", NULL, "Support", 0, T - 5, ND);
  fx_finalize(&f);
  acct_eval *e = fx_signals(&f, "A1");
  assert_int_equal(fx_nsig(e, SIG_NEW_USE_CASE), 3);
  for (int i = 0; i < 3; i++)
    assert_string_equal(e->sig[i].s[0], depts[i]);
  fx_free(&f);
}

static void signals_at_most_sig_max(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  for (int i = 0; i < SIG_MAX + 8; i++)
    fx_trigger(&f, "A1", T - i, "funding", NULL);
  fx_finalize(&f);
  acct_eval *e = fx_signals(&f, "A1");
  assert_int_equal(e->n_sig, SIG_MAX);
  e = fx_eval(&f, "A1"); /* and the whole evaluation copes */
  assert_int_equal(e->n_sig, SIG_MAX);
  assert_true(e->n_opps > 0);
  fx_free(&f);
}

static void intent_topics_best_product(void **state) {
  (void)state;
  fx f;
  setup(&f);
  static const char *const sync_topics[] = {"backup", "sync", NULL};
  static const char *const bi_topics[] = {"sync", "bi", "reporting", NULL};
  fx_cat_topics(&f, "Mirror", "Mirror", 1, 10, EXD_PRICE_FLAT, sync_topics);
  fx_cat_topics(&f, "Insight", "Insight", 1, 10, EXD_PRICE_FLAT, bi_topics);
  static const char *const topics[] = {"Sync", "BI", "backup", "reporting",
                                       NULL};
  fx_account(&f, "A1", NULL, NA);
  fx_intent(&f, "A1", T - 1, NULL, 80, NULL, NULL, topics);
  fx_finalize(&f);
  /* Analytics matches bi, reporting (2); Mirror sync, backup (2); Insight
     sync, bi, reporting (3): Insight, min(1, 3/2) x 0.8. */
  const exsig *s = fx_sig(fx_signals(&f, "A1"), SIG_INTENT, -2);
  assert_int_equal(s->cat, fx_catidx(&f, "Insight"));
  assert_near(s->v[2], 3);
  assert_near(s->strength, 0.8);
  assert_string_equal(s->s[0], "sync");
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ceiling_seats_with_trend),
      cmocka_unit_test(ceiling_seats_active_fallback),
      cmocka_unit_test(ceiling_over_limit),
      cmocka_unit_test(ceiling_threshold_boundary),
      cmocka_unit_test(ceiling_forecast_horizon_boundary),
      cmocka_unit_test(ceiling_trend_needs_30_days),
      cmocka_unit_test(ceiling_stale_usage_ignored),
      cmocka_unit_test(ceiling_account_usage_for_single_product),
      cmocka_unit_test(ceiling_capacity),
      cmocka_unit_test(ceiling_far_forecast),
      cmocka_unit_test(use_case_from_usage),
      cmocka_unit_test(use_case_not_triggered),
      cmocka_unit_test(use_case_from_contact),
      cmocka_unit_test(growth_from_headcount),
      cmocka_unit_test(growth_baseline_window),
      cmocka_unit_test(growth_from_triggers),
      cmocka_unit_test(new_stakeholder_contacts),
      cmocka_unit_test(new_stakeholder_trigger),
      cmocka_unit_test(champion_left),
      cmocka_unit_test(people_texts_without_names),
      cmocka_unit_test(intent_score_stage_fit),
      cmocka_unit_test(intent_recent_and_strongest),
      cmocka_unit_test(intent_topics),
      cmocka_unit_test(health_up_and_down),
      cmocka_unit_test(health_trend_needs_data),
      cmocka_unit_test(future_data_ignored),
      cmocka_unit_test(escalations),
      cmocka_unit_test(lost_deals),
      cmocka_unit_test(related_account_owns),
      cmocka_unit_test(use_case_at_most_three),
      cmocka_unit_test(signals_at_most_sig_max),
      cmocka_unit_test(intent_topics_best_product),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
