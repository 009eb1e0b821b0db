/*
 * Opportunities (core/opportunity.c): eligibility and uplift of each type,
 * the cross-sell product and seat estimate, propensity (components with
 * redistributed weights and component_share, signal points with the
 * apply_factor rules, the clamp), expected value, opportunity holds and the
 * opportunity window. T = 2024-07-01, default params.
 */
#include "score_fixtures.h"

#include "config.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

/* ---- upsell ---- */

static void upsell_next_tier(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A", NULL, NA);
  fx_product(&f, "A", "Core Basic", 40, NA, 100);
  fx_account(&f, "C", NULL, NA); /* Basic and Pro: from Pro */
  fx_product(&f, "C", "Core Basic", 10, NA, NA);
  fx_product(&f, "C", "Core Pro", 30, NA, NA);
  fx_account(&f, "E", NULL, NA); /* seats unknown: 1 */
  fx_product(&f, "E", "Core Basic", NA, NA, NA);
  fx_account(&f, "F", NULL, NA);
  fx_product(&f, "F", "Sync Lite", 10, NA, NA);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  assert_int_equal(fx_nopp(e, EXD_OPP_UPSELL), 1);
  const opp *o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Core Pro"));
  assert_int_equal(o->from_cat, fx_catidx(&f, "Core Basic"));
  assert_near(o->seats, 40);
  assert_int_equal(o->seats_estimated, 0);
  assert_near(o->unit_price, 50); /* 150 - 100 */
  assert_near(o->uplift, 2000);
  e = fx_eval(&f, "C");
  o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Core Enterprise"));
  assert_int_equal(o->from_cat, fx_catidx(&f, "Core Pro"));
  assert_near(o->uplift, 70 * 30);
  e = fx_eval(&f, "E");
  o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Core Pro"));
  assert_near(o->seats, 1);
  assert_int_equal(o->seats_estimated, 1);
  assert_near(o->uplift, 50);
  e = fx_eval(&f, "F");
  o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Sync Plus"));
  assert_near(o->uplift, 15 * 10);
  fx_free(&f);
}

static void upsell_not_eligible(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_cat(&f, "Box S", "Box", 1, 100, EXD_PRICE_FLAT);
  fx_cat(&f, "Box M", "Box", 2, 100, EXD_PRICE_FLAT);
  fx_cat(&f, "Box L", "Box", 3, 300, EXD_PRICE_FLAT);
  fx_account(&f, "TOP", NULL, NA); /* top tier */
  fx_product(&f, "TOP", "Core Enterprise", 10, NA, NA);
  fx_account(&f, "GAP", NULL, NA); /* highest owned is the top tier */
  fx_product(&f, "GAP", "Core Basic", 10, NA, NA);
  fx_product(&f, "GAP", "Core Enterprise", 10, NA, NA);
  fx_account(&f, "BOXS", NULL, NA); /* next tier costs no more */
  fx_product(&f, "BOXS", "Box S", NA, NA, NA);
  fx_account(&f, "BOXM", NULL, NA); /* 3 units of a flat product */
  fx_product(&f, "BOXM", "Box M", 3, NA, NA);
  fx_account(&f, "ENDED", NULL, NA); /* contract over: not owned */
  exd_record r = fx_rec(EXD_REC_PRODUCT, "ENDED");
  r.u.product.product = "Core Basic";
  r.u.product.seats_purchased = 10;
  r.u.product.end = T - 1;
  fx_add(&f, &r);
  fx_finalize(&f);
  assert_int_equal(fx_nopp(fx_eval(&f, "TOP"), EXD_OPP_UPSELL), 0);
  assert_int_equal(fx_nopp(fx_eval(&f, "GAP"), EXD_OPP_UPSELL), 0);
  assert_int_equal(fx_nopp(fx_eval(&f, "BOXS"), EXD_OPP_UPSELL), 0);
  acct_eval *e = fx_eval(&f, "BOXM");
  const opp *o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Box L"));
  assert_near(o->uplift, 200 * 3);
  e = fx_eval(&f, "ENDED");
  assert_int_equal(fx_nopp(e, EXD_OPP_UPSELL), 0);
  assert_int_equal(fx_nopp(e, EXD_OPP_SEAT_EXPANSION), 0);
  /* Core is a cross-sell family for it again (Enterprise: 2 of 4 own it). */
  assert_non_null(
      eval_find(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Core Enterprise")));
  fx_free(&f);
}

/* ---- cross-sell ---- */

static void cross_sell_family_choice(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "X", NULL, NA);
  fx_product(&f, "X", "Core Basic", 40, NA, NA);
  fx_account(&f, "P1", NULL, NA);
  fx_product(&f, "P1", "Sync Plus", NA, NA, NA);
  fx_account(&f, "P2", NULL, NA);
  fx_product(&f, "P2", "Sync Plus", NA, NA, NA);
  fx_account(&f, "P3", NULL, NA);
  fx_product(&f, "P3", "Sync Lite", NA, NA, NA);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "X");
  assert_int_equal(fx_nopp(e, EXD_OPP_CROSS_SELL), 2); /* Sync, Analytics */
  /* Nobody else owns Core Basic, so the basket rate is the global rate:
     Sync Plus 2/3 beats Sync Lite 1/3. */
  const opp *o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Sync Plus"));
  assert_near(o->similar, 100.0 * 2 / 3);
  assert_near(o->peer.rate, 2.0 / 3);
  assert_int_equal(o->from_cat, -1);
  /* Nobody owns Analytics: 0 is a value, not absent; flat: list price. */
  o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Analytics"));
  assert_near(o->similar, 0);
  assert_none(o->seats);
  assert_near(o->uplift, 5000);
  fx_free(&f);
  /* A tie: the lower tier. */
  setup(&f);
  fx_account(&f, "X", NULL, NA);
  fx_account(&f, "P1", NULL, NA);
  fx_product(&f, "P1", "Sync Plus", NA, NA, NA);
  fx_account(&f, "P2", NULL, NA);
  fx_product(&f, "P2", "Sync Lite", NA, NA, NA);
  fx_finalize(&f);
  e = fx_eval(&f, "X");
  assert_non_null(eval_find(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Sync Lite")));
  assert_null(eval_find(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Sync Plus")));
  assert_non_null(
      eval_find(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Core Basic")));
  fx_free(&f);
}

static void cross_sell_seats(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* Owners of Sync Plus license it for half their largest deployment. */
  fx_account(&f, "P1", NULL, NA);
  fx_product(&f, "P1", "Core Basic", 100, NA, NA);
  fx_product(&f, "P1", "Sync Plus", 50, NA, NA);
  fx_account(&f, "P2", NULL, NA);
  fx_product(&f, "P2", "Core Basic", 200, NA, NA);
  fx_product(&f, "P2", "Sync Plus", 100, NA, NA);
  fx_account(&f, "X", NULL, NA);
  fx_product(&f, "X", "Core Basic", 40, NA, NA);
  fx_account(&f, "USERS", NULL, 250); /* no per-seat product */
  fx_product(&f, "USERS", "Analytics", NA, NA, NA);
  fx_usage(&f, "USERS", T - 400, NULL, NULL, 99); /* stale */
  fx_usage(&f, "USERS", T - 10, NULL, NULL, 33);
  fx_account(&f, "EMPL", NULL, 250);
  fx_account(&f, "BARE", NULL, NA);
  fx_finalize(&f);
  int plus = fx_catidx(&f, "Sync Plus");
  assert_near(f.p.seat_ratio[plus], 0.5);
  acct_eval *e = fx_eval(&f, "X");
  const opp *o = fx_opp_of(e, EXD_OPP_CROSS_SELL, plus);
  assert_near(o->seats, 20); /* 40 x 0.5 */
  assert_int_equal(o->seats_estimated, 1);
  assert_near(o->unit_price, 35);
  assert_near(o->uplift, 700);
  /* X owns Core: no Core cross-sell. */
  assert_null(eval_find(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Core Basic")));
  e = fx_eval(&f, "USERS"); /* latest active users */
  o = fx_opp_of(e, EXD_OPP_CROSS_SELL, plus);
  assert_near(o->seats, 33);
  e = fx_eval(&f, "EMPL"); /* 10% of employees */
  assert_near(fx_opp_of(e, EXD_OPP_CROSS_SELL, plus)->seats, 25);
  e = fx_eval(&f, "BARE");
  assert_near(fx_opp_of(e, EXD_OPP_CROSS_SELL, plus)->seats, 1);
  fx_free(&f);
  /* No owner with seats: the whole largest deployment. */
  setup(&f);
  fx_account(&f, "P1", NULL, NA);
  fx_product(&f, "P1", "Sync Plus", NA, NA, NA);
  fx_account(&f, "X", NULL, NA);
  fx_product(&f, "X", "Core Basic", 40, NA, NA);
  fx_account(&f, "Z", NULL, NA); /* look-alikes need two other accounts */
  fx_finalize(&f);
  e = fx_eval(&f, "X");
  assert_near(fx_opp_of(e, EXD_OPP_CROSS_SELL, plus)->seats, 40);
  fx_free(&f);
}

/* ---- seat expansion ---- */

static void seat_expansion_threshold(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "S85", NULL, NA);
  fx_product(&f, "S85", "Core Basic", 100, 85, 90);
  fx_account(&f, "S84", NULL, NA);
  fx_product(&f, "S84", "Core Basic", 100, 84, 90);
  fx_account(&f, "S95", NULL, NA);
  fx_product(&f, "S95", "Core Basic", 100, 95, NA);
  fx_account(&f, "FLAT", NULL, NA);
  fx_product(&f, "FLAT", "Analytics", 1, 1, NA);
  fx_finalize(&f);
  /* At the threshold but 1.1 x 85 = 93.5 seats needed: enough seats, so
     no proposal. */
  acct_eval *e = fx_eval(&f, "S85");
  assert_int_equal(fx_nopp(e, EXD_OPP_SEAT_EXPANSION), 0);
  assert_int_equal(fx_nopp(fx_eval(&f, "S84"), EXD_OPP_SEAT_EXPANSION), 0);
  e = fx_eval(&f, "S95"); /* ceil(104.5 - 100) = 5 at list price */
  const opp *o =
      fx_opp_of(e, EXD_OPP_SEAT_EXPANSION, fx_catidx(&f, "Core Basic"));
  assert_near(o->seats, 5);
  assert_near(o->uplift, 500);
  assert_int_equal(o->from_cat, o->cat);
  assert_none(o->similar);                 /* no similar-customer component */
  assert_int_equal(o->size_date, T + 180); /* no renewal: the horizon */
  assert_near(o->size_active, 95);
  assert_int_equal(fx_nopp(fx_eval(&f, "FLAT"), EXD_OPP_SEAT_EXPANSION), 0);
  /* 20% headroom: ceil(1.2 x 85 - 100) = 2 seats, under 5% of the 100
     purchased: not worth its own conversation. 30%: 11 seats, at the
     product's own price. */
  f.sp.seat_headroom = 0.2;
  assert_int_equal(fx_nopp(fx_eval(&f, "S85"), EXD_OPP_SEAT_EXPANSION), 0);
  f.sp.seat_headroom = 0.3;
  o = fx_opp_of(fx_eval(&f, "S85"), EXD_OPP_SEAT_EXPANSION,
                fx_catidx(&f, "Core Basic"));
  assert_near(o->seats, 11);
  assert_near(o->uplift, 990);
  /* Under the threshold nothing is proposed, whatever the headroom. */
  assert_int_equal(fx_nopp(fx_eval(&f, "S84"), EXD_OPP_SEAT_EXPANSION), 0);
  f.sp.seat_threshold = 0.84;
  assert_int_equal(fx_nopp(fx_eval(&f, "S84"), EXD_OPP_SEAT_EXPANSION), 1);
  fx_free(&f);
}

static void seat_expansion_forecast(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* 0.5 seats a day: 90 today, 180 at the horizon; full on T+20. */
  fx_account(&f, "FAST", NULL, NA);
  fx_product(&f, "FAST", "Core Basic", 100, NA, NA);
  fx_usage(&f, "FAST", T - 60, "Core Basic", NULL, 60);
  fx_usage(&f, "FAST", T - 30, "Core Basic", NULL, 75);
  fx_usage(&f, "FAST", T, "Core Basic", NULL, 90);
  /* 0.25 a day from 60 of 100: under the threshold, full on T+160. */
  fx_account(&f, "SLOW", NULL, NA);
  fx_product(&f, "SLOW", "Core Basic", 100, NA, NA);
  fx_usage(&f, "SLOW", T - 60, "Core Basic", NULL, 45);
  fx_usage(&f, "SLOW", T - 30, "Core Basic", NULL, 52.5);
  fx_usage(&f, "SLOW", T, "Core Basic", NULL, 60);
  fx_finalize(&f);
  int basic = fx_catidx(&f, "Core Basic");
  acct_eval *e = fx_eval(&f, "FAST");
  const opp *o = fx_opp_of(e, EXD_OPP_SEAT_EXPANSION, basic);
  assert_near(o->seats, 98); /* ceil(1.1 x 180 - 100) */
  assert_near(o->uplift, 9800);
  assert_int_equal(o->ceiling_date, T + 20);
  /* Act before the seats run out: [T, max(T+20-14, T+14)]. */
  assert_int_equal(o->win.start, T);
  assert_int_equal(o->win.end, T + 14);
  assert_int_equal(e->win.end, T + 90); /* the account's window is kept */
  e = fx_eval(&f, "SLOW");
  o = fx_opp_of(e, EXD_OPP_SEAT_EXPANSION, basic);
  assert_near(o->seats, 16); /* ceil(1.1 x 105 - 100) */
  assert_int_equal(o->ceiling_date, T + 160);
  assert_int_equal(o->win.start, T); /* full after the window ends */
  assert_int_equal(o->win.end, T + 90);
  fx_free(&f);
}

/* ---- use case ---- */

static void use_case_expansion(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "MKT", NULL, NA);
  fx_product(&f, "MKT", "Core Basic", 40, 10, 90);
  fx_product(&f, "MKT", "Sync Lite", 100, 10, NA); /* bigger, not named */
  fx_usage(&f, "MKT", T - 200, NULL, NULL, 10);
  fx_usage(&f, "MKT", T - 30, "Core Basic", "Marketing", 12);
  fx_account(&f, "LEGAL", NULL, NA);
  fx_product(&f, "LEGAL", "Core Basic", 40, 10, NA);
  fx_product(&f, "LEGAL", "Sync Lite", 100, 10, NA);
  fx_contact(&f, "LEGAL", "Lee", NULL, "Legal", 0, T - 10, ND);
  fx_account(&f, "NOSEAT", NULL, NA);
  fx_product(&f, "NOSEAT", "Analytics", NA, NA, NA);
  fx_contact(&f, "NOSEAT", "Lee", NULL, "Legal", 0, T - 10, ND);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "MKT");
  assert_int_equal(fx_nopp(e, EXD_OPP_USE_CASE), 1);
  const opp *o = fx_opp_of(e, EXD_OPP_USE_CASE, fx_catidx(&f, "Core Basic"));
  assert_string_equal(o->dept, "Marketing");
  assert_near(o->seats, 12);
  assert_int_equal(o->seats_estimated, 0);
  assert_near(o->unit_price, 90);
  assert_near(o->uplift, 1080);
  assert_none(o->similar);
  /* No product named, no user count: the biggest per-seat product,
     10 users estimated. */
  e = fx_eval(&f, "LEGAL");
  o = fx_opp_of(e, EXD_OPP_USE_CASE, fx_catidx(&f, "Sync Lite"));
  assert_string_equal(o->dept, "Legal");
  assert_near(o->seats, 10);
  assert_int_equal(o->seats_estimated, 1);
  assert_near(o->uplift, 200);
  assert_int_equal(fx_nopp(fx_eval(&f, "NOSEAT"), EXD_OPP_USE_CASE), 0);
  fx_free(&f);
}

/* ---- propensity ---- */

static void propensity_exact(void **state) {
  (void)state;
  fx f;
  setup(&f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "A");
  r.account.name = "A";
  r.u.account.nps = 20;
  r.u.account.renewal_date = T + 100;
  fx_add(&f, &r);
  fx_product(&f, "A", "Core Basic", 40, 30, NA);
  fx_health(&f, "A", T - 10, 80);
  fx_account(&f, "B", NULL, NA);
  fx_product(&f, "B", "Core Basic", 10, NA, NA);
  fx_account(&f, "C", NULL, NA); /* look-alikes need two other accounts */
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  const opp *o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Core Pro"));
  /* health 80, usage 75 (30 of 40 seats), engagement 60 (NPS 20), timing
     100 (renewal window open), similar 0 (B owns Basic, not Pro). */
  assert_near(e->comp.value[COMP_HEALTH], 80);
  assert_near(e->comp.value[COMP_USAGE], 75);
  assert_near(e->comp.value[COMP_ENGAGEMENT], 60);
  assert_near(e->comp.value[COMP_TIMING], 100);
  assert_near(o->similar, 0);
  double w[] = {0.25, 0.25, 0.20, 0.10, 0.20};
  double v[] = {80, 75, 60, 100, 0};
  for (int c = 0; c < COMP__COUNT; c++) {
    assert_near(o->weight_used[c], w[c]);
    assert_near(o->comp_points[c], 0.6 * w[c] * v[c]);
  }
  assert_near(o->base, 0.6 * 60.75);
  /* usage ceiling (0.75 - 0.7) / 0.3 = 1/6 of 15 points. */
  const exsig *s = fx_sig(e, SIG_USAGE_CEILING, -2);
  assert_near(o->sig_points[fx_sigpos(e, s)], 2.5);
  assert_near(o->points, 2.5);
  assert_near(o->propensity, 36.45 + 2.5);
  assert_near(o->uplift, 2000);
  assert_near(o->ev, 0.3895 * 2000);
  /* The Sync cross-sell: tie at 0, Sync Lite; 40 seats; no ceiling
     points for a cross-sell. */
  o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Sync Lite"));
  assert_near(o->base, 36.45);
  assert_near(o->points, 0);
  assert_near(o->uplift, 800);
  assert_near(o->ev, 0.3645 * 800);
  fx_free(&f);
}

static void weights_redistributed(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A", NULL, NA); /* the only account: similar absent */
  fx_health(&f, "A", T - 10, 80);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  const opp *o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Core Basic"));
  assert_none(o->similar);
  assert_near(o->weight_used[COMP_HEALTH], 1);
  for (int c = 1; c < COMP__COUNT; c++) {
    assert_near(o->weight_used[c], 0);
    assert_near(o->comp_points[c], 0);
  }
  assert_near(o->base, 0.6 * 80);
  assert_near(o->propensity, 48);
  f.sp.component_share = 1.0;
  e = fx_eval(&f, "A");
  assert_near(e->opps[0].propensity, 80);
  f.sp.component_share = 0.6;
  f.sp.weight[COMP_HEALTH] = 0; /* a zero weight: as if absent */
  e = fx_eval(&f, "A");
  assert_near(e->opps[0].weight_used[COMP_HEALTH], 0);
  assert_near(e->opps[0].base, 0.6 * 50); /* nothing left: 50 */
  fx_free(&f);
  /* Health and timing: 0.25 and 0.10 shared as 0.25/0.35 and 0.10/0.35. */
  setup(&f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "A");
  r.u.account.renewal_date = T + 100;
  fx_add(&f, &r);
  fx_health(&f, "A", T - 10, 80);
  fx_finalize(&f);
  e = fx_eval(&f, "A");
  o = &e->opps[0];
  assert_near(o->weight_used[COMP_HEALTH], 0.25 / 0.35);
  assert_near(o->weight_used[COMP_TIMING], 0.10 / 0.35);
  assert_near(o->base, 0.6 * (80 * 0.25 + 100 * 0.10) / 0.35);
  fx_free(&f);
}

static void no_components(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A", NULL, NA);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  assert_int_equal(e->n_opps, 3); /* a cross-sell per family */
  for (size_t i = 0; i < e->n_opps; i++) {
    assert_near(e->opps[i].base, 30); /* 0.6 x 50 */
    assert_near(e->opps[i].propensity, 30);
    assert_near(e->opps[i].ev, 0.3 * e->opps[i].uplift);
  }
  fx_free(&f);
}

static void propensity_clamp(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "LOW", NULL, NA);
  fx_health(&f, "LOW", T - 180, 80);
  fx_health(&f, "LOW", T - 90, 65);
  fx_health(&f, "LOW", T, 50);
  fx_escalation(&f, "LOW", "E1", "P1", NULL, T - 10, ND);
  fx_contact(&f, "LOW", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 300, T - 9);
  fx_account(&f, "HIGH", NULL, NA);
  fx_health(&f, "HIGH", T - 1, 100);
  fx_intent(&f, "HIGH", T - 1, "Analytics", 100, "Decision", NULL, NULL);
  fx_account(&f, "Z", NULL, NA); /* look-alikes need two other accounts */
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "LOW");
  const opp *o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Analytics"));
  /* base 0.6 x (0.25 x 50 + 0.20 x 30 + 0.20 x 0) / 0.65 (health 50;
     engagement: no active champion 0, one open escalation 60; nobody owns
     Analytics: similar 0), then -15 -10 -12 points: under 1. */
  assert_near(o->base, 0.6 * (0.25 * 50 + 0.20 * 30) / 0.65);
  assert_near(o->points, -15 - 10 - 12);
  assert_true(o->base + o->points < 1);
  assert_near(o->propensity, 1);
  assert_near(o->ev, 0.01 * 5000);
  f.sp.points[SIG_INTENT] = 100;
  e = fx_eval(&f, "HIGH");
  o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Analytics"));
  assert_near(o->points, 100);
  assert_near(o->propensity, 99);
  assert_near(o->ev, 0.99 * 5000);
  fx_free(&f);
}

/* One account with a signal of most kinds and an opportunity of each
   type: the points each signal gives each opportunity. */
static void apply_factor_rules(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "MP", NULL, NA);
  fx_product(&f, "MP", "Sync Plus", 10, NA, NA);
  fx_product(&f, "MP", "Core Pro", 10, NA, NA);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "M");
  r.account.name = "M";
  r.u.account.parent.crm_id = "MP";
  fx_add(&f, &r);
  fx_product(&f, "M", "Core Basic", 100, NA, NA);
  fx_usage(&f, "M", T - 200, NULL, NULL, 10);
  fx_usage(&f, "M", T - 60, "Core Basic", NULL, 60);
  fx_usage(&f, "M", T - 30, "Core Basic", NULL, 75);
  fx_usage(&f, "M", T, "Core Basic", NULL, 90);
  fx_capacity(&f, "M", T, NULL, 900, 1000);
  fx_usage(&f, "M", T - 30, "Core Basic", "Marketing", 12);
  fx_trigger(&f, "M", T - 10, "funding", NULL);
  fx_contact(&f, "M", "Ann", "CFO", NULL, EXD_ROLE_EXECUTIVE, T - 5, ND);
  fx_intent(&f, "M", T - 3, "Analytics", 100, "Decision", NULL, NULL);
  fx_intent(&f, "M", T - 3, "Core Pro", 50, "Decision", NULL, NULL);
  fx_intent(&f, "M", T - 3, "Core Basic", 40, "Decision", NULL, NULL);
  fx_health(&f, "M", T - 180, 60);
  fx_health(&f, "M", T - 90, 67.5);
  fx_health(&f, "M", T, 75);
  fx_account(&f, "Z", NULL, NA); /* look-alikes need two other accounts */
  fx_opp(&f, "M", "L1", "Sync Plus", EXD_OPP_LOST, NULL, ND, T - 30, 100);
  fx_opp(&f, "M", "L2", "Core Pro", EXD_OPP_LOST, NULL, ND, T - 120, 100);
  fx_finalize(&f);
  int basic = fx_catidx(&f, "Core Basic"), pro = fx_catidx(&f, "Core Pro"),
      plus = fx_catidx(&f, "Sync Plus"), an = fx_catidx(&f, "Analytics");
  acct_eval *e = fx_eval(&f, "M");
  assert_int_equal(e->n_sig, 13);
  const exsig *seats = NULL, *cap = NULL;
  for (size_t i = 0; i < e->n_sig; i++)
    if (e->sig[i].kind == SIG_USAGE_CEILING)
      *(e->sig[i].cat < 0 ? &cap : &seats) = &e->sig[i];
  assert_non_null(seats);
  assert_non_null(cap);
  const exsig *sig[] = {
      seats,
      cap,
      fx_sig(e, SIG_NEW_USE_CASE, -2),
      fx_sig(e, SIG_ORG_GROWTH, -2),
      fx_sig(e, SIG_NEW_STAKEHOLDER, -2),
      fx_sig(e, SIG_INTENT, an),
      fx_sig(e, SIG_INTENT, pro),
      fx_sig(e, SIG_INTENT, basic),
      fx_sig(e, SIG_HEALTH_UP, -2),
      fx_sig(e, SIG_LOST_DEAL, plus),
      fx_sig(e, SIG_RELATED_OWNS, plus),
      fx_sig(e, SIG_LOST_DEAL, pro),
      fx_sig(e, SIG_RELATED_OWNS, pro),
  };
  /* strengths: 8/9, 2/3, 1, 0.8, 1, 1, 0.5, 0.4, 0.5, 1, 1, 0.5, 1 */
  double full[] = {
      15 * 8.0 / 9, 15 * 2.0 / 3, 10, 6.4, 5, 12, 6, 4.8, 3, -8, 6, -4, 6};
  /* apply factors per opportunity, in the order of sig[] */
  double up[] = {1, 1, 0.5, 0.5, 1, 0, 1, 0.5, 1, 0, 0, 1, 1};
  double xs_plus[] = {0, 0, 0.5, 0.5, 1, 0, 0, 0, 1, 1, 1, 0, 0};
  double xs_an[] = {0, 0, 0.5, 0.5, 1, 1, 0, 0, 1, 0, 0, 0, 0};
  double seat[] = {1, 0, 0.5, 1, 0.5, 0, 0, 0.5, 1, 0, 0, 0, 0};
  double uc[] = {0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0};
  const opp *opps[] = {fx_opp_of(e, EXD_OPP_UPSELL, pro),
                       fx_opp_of(e, EXD_OPP_CROSS_SELL, plus),
                       fx_opp_of(e, EXD_OPP_CROSS_SELL, an),
                       fx_opp_of(e, EXD_OPP_SEAT_EXPANSION, basic),
                       fx_opp_of(e, EXD_OPP_USE_CASE, basic)};
  const double *factor[] = {up, xs_plus, xs_an, seat, uc};
  for (int k = 0; k < 5; k++) {
    double total = 0;
    for (int i = 0; i < 13; i++) {
      double want = full[i] * factor[k][i];
      double got = opps[k]->sig_points[fx_sigpos(e, sig[i])];
      if (fabs(got - want) > EPS)
        fail_msg("%s on %s: signal %s (cat %d) gave %.17g, expected %.17g",
                 opp_type_name(opps[k]->type), f.m->cat.v[opps[k]->cat].name,
                 sig_name(sig[i]->kind), sig[i]->cat, got, want);
      total += want;
    }
    assert_near(opps[k]->points, total);
    assert_near(opps[k]->propensity, fmin(99, fmax(1, opps[k]->base + total)));
  }
  fx_free(&f);
}

/* ---- holds ---- */

static void hold_open_opportunity(void **state) {
  (void)state;
  fx f;
  char buf[200];
  setup(&f);
  fx_account(&f, "A", NULL, NA);
  fx_product(&f, "A", "Core Basic", 40, NA, NA);
  fx_opp(&f, "A", "O-1", "Sync Lite", EXD_OPP_WON, NULL, ND, T - 50, 1);
  fx_opp(&f, "A", "O-9", "Core Pro", EXD_OPP_OPEN, "Proposal", T - 20, T + 30,
         1);
  fx_account(&f, "B", NULL, NA); /* lost after as_of: open as of T */
  fx_product(&f, "B", "Core Basic", 40, NA, NA);
  fx_opp(&f, "B", "O-2", "Core Pro", EXD_OPP_LOST, NULL, T - 20, T + 5, 1);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  assert_int_equal(e->holds, 0);
  const opp *o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Core Pro"));
  assert_int_equal(o->holds, HOLD_OPEN_OPP);
  assert_int_equal(o->open_opp, 1);
  sb b = {0};
  explain_hold(f.m, e, o, HOLD_OPEN_OPP, &b);
  snprintf(buf, sizeof(buf), "%s", sb_str(&b));
  sb_free(&b);
  assert_string_equal(buf, "already in the pipeline: open opportunity O-9 "
                           "for Core Pro (Proposal, since 2024-06-11)");
  o = fx_opp_of(e, EXD_OPP_CROSS_SELL, fx_catidx(&f, "Sync Lite"));
  assert_int_equal(o->holds, 0); /* won, not open */
  assert_int_equal(o->open_opp, -1);
  e = fx_eval(&f, "B");
  o = fx_opp_of(e, EXD_OPP_UPSELL, fx_catidx(&f, "Core Pro"));
  assert_int_equal(o->holds, HOLD_OPEN_OPP);
  fx_free(&f);
}

static void account_holds_on_every_opportunity(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A", NULL, NA);
  fx_product(&f, "A", "Core Basic", 40, 39, NA);
  fx_escalation(&f, "A", "E1", NULL, NULL, T - 5, ND);
  fx_opp(&f, "A", "O-9", "Core Pro", EXD_OPP_OPEN, NULL, T - 20, ND, 1);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  assert_int_equal(e->n_opps, 4); /* upsell, 2 cross-sells, seats */
  for (size_t i = 0; i < e->n_opps; i++) {
    const opp *o = &e->opps[i];
    uint32_t want = HOLD_ESCALATION;
    if (o->type == EXD_OPP_UPSELL) want |= HOLD_OPEN_OPP;
    assert_int_equal(o->holds, want);
  }
  fx_free(&f);
}

/* ---- products whose contract ended ---- */

static void ended_product_not_owned(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* A moved from Core Basic (ended last month, 500 seats, all active) to
     Sync Lite (100 seats, 90 active per the account's usage). */
  fx_account(&f, "A", NULL, NA);
  exd_record r = fx_rec(EXD_REC_PRODUCT, "A");
  r.u.product.product = "Core Basic";
  r.u.product.seats_purchased = 500;
  r.u.product.seats_active = 500;
  r.u.product.end = T - 30;
  fx_add(&f, &r);
  fx_product(&f, "A", "Sync Lite", 100, NA, NA);
  fx_usage(&f, "A", T, NULL, NULL, 90);
  fx_account(&f, "B", NULL, NA); /* owns Sync Plus with seats */
  fx_product(&f, "B", "Core Basic", 100, NA, NA);
  fx_product(&f, "B", "Sync Plus", 50, NA, NA);
  fx_account(&f, "Z", NULL, NA); /* look-alikes need two other accounts */
  fx_finalize(&f);
  int basic = fx_catidx(&f, "Core Basic"), lite = fx_catidx(&f, "Sync Lite");
  acct_eval *e = fx_eval(&f, "A");
  /* The only owned per-seat product is Sync Lite: the account's usage is
     its usage, and Core Basic has no ceiling. */
  assert_int_equal(fx_nsig(e, SIG_USAGE_CEILING), 1);
  const exsig *s = fx_sig(e, SIG_USAGE_CEILING, lite);
  assert_near(s->v[0], 90);
  assert_near(e->comp.seat_purchased, 100);
  assert_near(e->comp.value[COMP_USAGE], 90);
  /* 90 of 100 with 10% headroom fits: no true-up; with 20%: 8 seats of
     Sync Lite, never of the ended Core Basic. */
  assert_int_equal(fx_nopp(e, EXD_OPP_SEAT_EXPANSION), 0);
  /* Core is a cross-sell again, sized on the 100 owned Sync Lite seats. */
  const opp *o = fx_opp_of(e, EXD_OPP_CROSS_SELL, basic);
  assert_near(o->seats, 100);
  f.sp.seat_headroom = 0.2;
  e = fx_eval(&f, "A");
  assert_int_equal(fx_nopp(e, EXD_OPP_SEAT_EXPANSION), 1);
  assert_near(fx_opp_of(e, EXD_OPP_SEAT_EXPANSION, lite)->seats, 8);
  fx_free(&f);
}

/* ---- params and names ---- */

static double key_default(const exd_config_key *table, const char *name) {
  for (size_t i = 0; table[i].name; i++)
    if (!strcmp(table[i].name, name))
      return strtod(table[i].default_value, NULL);
  fail_msg("no key %s", name);
  return NA;
}

static const exd_config_key *key_children(const char *name) {
  for (size_t i = 0; cfg_scoring_keys[i].name; i++)
    if (!strcmp(cfg_scoring_keys[i].name, name))
      return cfg_scoring_keys[i].children;
  fail_msg("no key %s", name);
  return NULL;
}

static void params_defaults(void **state) {
  (void)state;
  score_params p;
  score_params_default(&p);
  double w[] = {0.25, 0.25, 0.20, 0.10, 0.20};
  double pts[] = {15, 10, 8, 12, 5, 6, 6, -15, -12, -10, -8};
  for (int c = 0; c < COMP__COUNT; c++) {
    assert_near(p.weight[c], w[c]);
    assert_near(p.weight[c],
                key_default(key_children("weights"), comp_name(c)));
  }
  for (int s = 0; s < SIG__COUNT; s++) {
    assert_near(p.points[s], pts[s]);
    assert_near(p.points[s], key_default(key_children("signals"), sig_name(s)));
  }
  assert_near(p.seat_threshold, 0.85);
  assert_int_equal(p.horizon_days, 180);
  assert_int_equal(p.window_days, 90);
  assert_int_equal(p.recent_days, 90);
  assert_int_equal(p.stale_days, 365);
  assert_int_equal(p.min_peers, 5);
  assert_near(p.hold_health_below, 40);
  assert_near(p.component_share, 0.6);
  const exd_config_key *k = cfg_scoring_keys;
  assert_near(p.seat_threshold, key_default(k, "seat_threshold"));
  assert_near(p.horizon_days, key_default(k, "horizon_days"));
  assert_near(p.window_days, key_default(k, "window_days"));
  assert_near(p.recent_days, key_default(k, "recent_days"));
  assert_near(p.stale_days, key_default(k, "stale_days"));
  assert_near(p.min_peers, key_default(k, "min_peers"));
  assert_near(p.hold_health_below, key_default(k, "hold_health_below"));
  assert_near(p.component_share, key_default(k, "component_share"));
}

static void params_from_config(void **state) {
  (void)state;
  const char *y = "scoring:\n"
                  "  weights:\n"
                  "    health: 0.5\n"
                  "    similar: 0\n"
                  "  signals:\n"
                  "    lost_deal: -20\n"
                  "  horizon_days: 365\n"
                  "  min_peers: 3\n"
                  "  component_share: 0.5\n";
  exd_config *cfg = NULL;
  char *err = NULL;
  assert_int_equal(cfg_load_string("t.yaml", y, strlen(y), &cfg, &err), 0);
  score_params p, d;
  memset(&p, 0, sizeof(p)); /* padding, for the memory comparison below */
  memset(&d, 0, sizeof(d));
  score_params_from_config(&p, cfg->scoring);
  score_params_default(&d);
  assert_near(p.weight[COMP_HEALTH], 0.5);
  assert_near(p.weight[COMP_SIMILAR], 0);
  assert_near(p.weight[COMP_USAGE], d.weight[COMP_USAGE]);
  assert_near(p.points[SIG_LOST_DEAL], -20);
  assert_near(p.points[SIG_INTENT], 12);
  assert_int_equal(p.horizon_days, 365);
  assert_int_equal(p.min_peers, 3);
  assert_near(p.component_share, 0.5);
  assert_int_equal(p.recent_days, 90);
  cfg_free(cfg);
  score_params_from_config(&p, NULL); /* no scoring section: defaults */
  assert_memory_equal(&p, &d, sizeof(p));
}

static void names(void **state) {
  (void)state;
  const char *comps[] = {"health", "usage", "engagement", "timing", "similar"};
  for (int c = 0; c < COMP__COUNT; c++)
    assert_string_equal(comp_name(c), comps[c]);
  const char *sigs[] = {
      "usage_ceiling",        "new_use_case",     "org_growth",
      "intent_alignment",     "new_stakeholder",  "health_improving",
      "related_account_owns", "health_declining", "champion_left",
      "open_escalation",      "lost_deal"};
  for (int s = 0; s < SIG__COUNT; s++)
    assert_string_equal(sig_name(s), sigs[s]);
  assert_string_equal(opp_type_name(EXD_OPP_UPSELL), "upsell");
  assert_string_equal(opp_type_name(EXD_OPP_CROSS_SELL), "cross_sell");
  assert_string_equal(opp_type_name(EXD_OPP_SEAT_EXPANSION), "seat_expansion");
  assert_string_equal(opp_type_name(EXD_OPP_USE_CASE), "use_case_expansion");
  assert_string_equal(opp_type_name(0), "?");
  assert_string_equal(comp_name(COMP__COUNT), "?");
  assert_string_equal(sig_name(-1), "?");
}

/* More families than OPP_MAX: the list stops at OPP_MAX, nothing overflows. */
static void opportunity_cap(void **state) {
  (void)state;
  fx f;
  setup(&f);
  char name[16];
  for (int i = 0; i < 20; i++) {
    snprintf(name, sizeof(name), "Addon %02d", i);
    fx_cat(&f, name, name, 1, 100 + i, EXD_PRICE_FLAT);
  }
  fx_account(&f, "A", NULL, NA);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A");
  assert_int_equal(f.m->cat.n_families, 23);
  assert_int_equal(e->n_opps, OPP_MAX);
  for (size_t i = 0; i < e->n_opps; i++)
    assert_int_equal(e->opps[i].type, EXD_OPP_CROSS_SELL);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(upsell_next_tier),
      cmocka_unit_test(upsell_not_eligible),
      cmocka_unit_test(cross_sell_family_choice),
      cmocka_unit_test(cross_sell_seats),
      cmocka_unit_test(seat_expansion_threshold),
      cmocka_unit_test(seat_expansion_forecast),
      cmocka_unit_test(use_case_expansion),
      cmocka_unit_test(propensity_exact),
      cmocka_unit_test(weights_redistributed),
      cmocka_unit_test(no_components),
      cmocka_unit_test(propensity_clamp),
      cmocka_unit_test(apply_factor_rules),
      cmocka_unit_test(hold_open_opportunity),
      cmocka_unit_test(account_holds_on_every_opportunity),
      cmocka_unit_test(ended_product_not_owned),
      cmocka_unit_test(params_defaults),
      cmocka_unit_test(params_from_config),
      cmocka_unit_test(names),
      cmocka_unit_test(opportunity_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
