/*
 * Account-level components (core/components.c): health, usage (seats,
 * capacity, adoption, growth) and engagement (people, nps, support, deals),
 * each part present or absent, and the mean of the parts present. The
 * timing component is in test_timing.c.
 */
#include "score_fixtures.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

static const comp_ev *comps(fx *f, const char *id) {
  acct_eval *e = fx_signals(f, id);
  components_compute(f->m, &f->sp, e->acct, e);
  return &e->comp;
}

static const char *explain(fx *f, int comp, char *buf, size_t n) {
  sb b = {0};
  explain_component(f->m, f->e, NULL, comp, &b);
  snprintf(buf, n, "%s", sb_str(&b));
  sb_free(&b);
  return buf;
}

static void health_latest_not_stale(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_health(&f, "A1", T - 10, 80);
  fx_health(&f, "A1", T - 100, 70);
  fx_health(&f, "A1", T - 400, 90);
  fx_account(&f, "STALE", NULL, NA);
  fx_health(&f, "STALE", T - 366, 90);
  fx_account(&f, "NONE", NULL, NA);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  assert_near(c->value[COMP_HEALTH], 80);
  assert_int_equal(c->health_date, T - 10);
  assert_string_equal(explain(&f, COMP_HEALTH, buf, sizeof(buf)),
                      "health score 80 on 2024-06-21");
  c = comps(&f, "STALE");
  assert_none(c->value[COMP_HEALTH]);
  assert_int_equal(c->health_date, ND);
  assert_none(comps(&f, "NONE")->value[COMP_HEALTH]);
  fx_free(&f);
}

static void usage_seats_part(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_product(&f, "A1", "Core Basic", 100, 80, NA);
  fx_product(&f, "A1", "Sync Lite", 50, 45, NA);
  fx_product(&f, "A1", "Core Pro", 40, NA, NA);  /* active unknown: skipped */
  fx_product(&f, "A1", "Analytics", NA, NA, NA); /* flat: not seats */
  fx_account(&f, "ZERO", NULL, NA);
  fx_product(&f, "ZERO", "Core Basic", 100, 0, NA);
  fx_account(&f, "OVER", NULL, NA);
  fx_product(&f, "OVER", "Core Basic", 100, 120, NA);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  assert_near(c->seat_active, 125);
  assert_near(c->seat_purchased, 150);
  assert_near(c->seat_util, 125.0 / 150.0);
  assert_near(c->value[COMP_USAGE], 100.0 * 125.0 / 150.0);
  assert_string_equal(explain(&f, COMP_USAGE, buf, sizeof(buf)),
                      "seat use 83% (125 of 150)");
  c = comps(&f, "ZERO"); /* zero is a value, not absent */
  assert_near(c->seat_util, 0);
  assert_near(c->value[COMP_USAGE], 0);
  c = comps(&f, "OVER");
  assert_near(c->seat_util, 1.2);
  assert_near(c->value[COMP_USAGE], 100);
  fx_free(&f);
}

static void usage_capacity_part(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_capacity(&f, "A1", T - 100, NULL, 390, 400);
  fx_capacity(&f, "A1", T - 10, NULL, 300, 400);
  fx_account(&f, "STALE", NULL, NA);
  fx_capacity(&f, "STALE", T - 400, NULL, 390, 400);
  fx_account(&f, "NOLIMIT", NULL, NA);
  fx_capacity(&f, "NOLIMIT", T - 10, NULL, 390, 0);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  assert_near(c->cap_util, 0.75);
  assert_near(c->value[COMP_USAGE], 75);
  assert_string_equal(explain(&f, COMP_USAGE, buf, sizeof(buf)),
                      "capacity 75% used");
  assert_none(comps(&f, "STALE")->value[COMP_USAGE]);
  assert_none(comps(&f, "NOLIMIT")->cap_util);
  fx_free(&f);
}

static void usage_adoption_part(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_feature(&f, "A1", T - 10, "Reports", 0.6);
  fx_feature(&f, "A1", T - 100, "reports", 0.4); /* older value */
  fx_feature(&f, "A1", T - 50, "Alerts", 0.2);
  fx_feature(&f, "A1", T - 400, "Old", 0.9); /* stale */
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  /* mean(0.6, 0.2); the model stores adoption as float. */
  double want = ((double)0.6f + (double)0.2f) / 2;
  assert_near(c->adoption, want);
  assert_near(c->value[COMP_USAGE], 100 * want);
  assert_string_equal(explain(&f, COMP_USAGE, buf, sizeof(buf)),
                      "feature adoption 40%");
  fx_free(&f);
}

static void usage_growth_part(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  const char *ids[] = {"G10", "G30", "D30"};
  double later[] = {110, 130, 70};
  double want[] = {75, 100, 0};
  for (int i = 0; i < 3; i++) {
    fx_account(&f, ids[i], NULL, NA);
    fx_usage(&f, ids[i], T - 100, NULL, NULL, 100);
    fx_usage(&f, ids[i], T - 50, NULL, NULL, 50); /* < 80 days before */
    fx_usage(&f, ids[i], T - 10, NULL, NULL, later[i]);
  }
  fx_account(&f, "SHORT", NULL, NA); /* 79 days apart: no growth */
  fx_usage(&f, "SHORT", T - 89, NULL, NULL, 100);
  fx_usage(&f, "SHORT", T - 10, NULL, NULL, 150);
  fx_finalize(&f);
  for (int i = 0; i < 3; i++) {
    const comp_ev *c = comps(&f, ids[i]);
    assert_near(c->user_growth, (later[i] - 100) / 100);
    assert_near(c->value[COMP_USAGE], want[i]);
  }
  comps(&f, "G10");
  assert_string_equal(explain(&f, COMP_USAGE, buf, sizeof(buf)),
                      "active users +10% over the quarter");
  assert_none(comps(&f, "SHORT")->value[COMP_USAGE]);
  fx_free(&f);
}

static void usage_mean_of_parts(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  /* Two per-seat products; no account-level usage, so growth is that of
     the main (largest) product, Sync Lite: 100 -> 104 = +4% -> 60. Seats:
     Core Basic has no active count, Sync Lite 104 of 200 -> 52. */
  fx_account(&f, "A1", NULL, NA);
  fx_product(&f, "A1", "Core Basic", 100, NA, NA);
  fx_product(&f, "A1", "Sync Lite", 200, NA, NA);
  fx_usage(&f, "A1", T - 100, "Sync Lite", NULL, 100);
  fx_usage(&f, "A1", T - 10, "Sync Lite", NULL, 104);
  fx_account(&f, "EMPTY", NULL, NA);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  assert_near(c->seat_util, 0.52);
  assert_near(c->user_growth, 0.04);
  assert_near(c->value[COMP_USAGE], (52.0 + 60.0) / 2);
  assert_string_equal(explain(&f, COMP_USAGE, buf, sizeof(buf)),
                      "seat use 52% (104 of 200), active users +4% over the "
                      "quarter");
  c = comps(&f, "EMPTY");
  assert_none(c->value[COMP_USAGE]);
  assert_none(c->seat_util);
  assert_none(c->cap_util);
  assert_none(c->adoption);
  assert_none(c->user_growth);
  fx_free(&f);
}

static void engagement_people_part(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "CH2", NULL, NA);
  fx_contact(&f, "CH2", "A", NULL, NULL, EXD_ROLE_CHAMPION, ND, ND);
  fx_contact(&f, "CH2", "B", NULL, NULL, EXD_ROLE_POWER_USER, ND, ND);
  fx_contact(&f, "CH2", "C", NULL, NULL, EXD_ROLE_POWER_USER, ND, ND);
  fx_contact(&f, "CH2", "D", NULL, NULL, EXD_ROLE_POWER_USER, ND, T - 5);
  fx_account(&f, "PU5", NULL, NA);
  for (int i = 0; i < 5; i++)
    fx_contact(&f, "PU5", "P", NULL, NULL, EXD_ROLE_POWER_USER, ND, ND);
  fx_account(&f, "LEFT", NULL, NA); /* known contacts, none active: 0 */
  fx_contact(&f, "LEFT", "A", NULL, NULL, EXD_ROLE_CHAMPION, T - 500, T - 400);
  fx_account(&f, "NONE", NULL, NA);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "CH2");
  assert_int_equal(c->champions, 1);
  assert_int_equal(c->power_users, 2);
  assert_near(c->people, 60 + 40.0 * 2 / 3);
  assert_near(c->value[COMP_ENGAGEMENT], 60 + 40.0 * 2 / 3);
  assert_near(comps(&f, "PU5")->people, 40);
  c = comps(&f, "LEFT");
  assert_near(c->people, 0);
  assert_near(c->value[COMP_ENGAGEMENT], 0);
  c = comps(&f, "NONE");
  assert_none(c->people);
  assert_none(c->value[COMP_ENGAGEMENT]);
  fx_free(&f);
}

static void engagement_nps_part(void **state) {
  (void)state;
  fx f;
  setup(&f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "N40");
  r.u.account.nps = 40;
  fx_add(&f, &r);
  r = fx_rec(EXD_REC_ACCOUNT, "N-100");
  r.u.account.nps = -100;
  fx_add(&f, &r);
  fx_finalize(&f);
  assert_near(comps(&f, "N40")->nps_part, 70);
  assert_near(f.e->comp.value[COMP_ENGAGEMENT], 70);
  assert_near(comps(&f, "N-100")->value[COMP_ENGAGEMENT], 0);
  fx_free(&f);
}

static void engagement_support_part(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  fx_account(&f, "NONE", NULL, NA);
  fx_account(&f, "CLOSED", NULL, NA);
  fx_escalation(&f, "CLOSED", "E1", NULL, NULL, T - 400, T - 365);
  fx_account(&f, "STALE", NULL, NA); /* closed more than stale_days ago */
  fx_escalation(&f, "STALE", "E1", NULL, NULL, T - 900, T - 366);
  fx_account(&f, "OPEN2", NULL, NA);
  fx_escalation(&f, "OPEN2", "E1", NULL, NULL, T - 9, ND);
  fx_escalation(&f, "OPEN2", "E2", NULL, NULL, T - 8, ND);
  fx_account(&f, "OPEN3", NULL, NA); /* open ones count however old */
  for (int i = 0; i < 3; i++)
    fx_escalation(&f, "OPEN3", "E", NULL, NULL, T - 900, ND);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "NONE");
  assert_none(c->support_part); /* no escalation record: absent */
  assert_none(c->value[COMP_ENGAGEMENT]);
  c = comps(&f, "CLOSED"); /* one closed escalation: 100 */
  assert_near(c->support_part, 100);
  assert_near(c->value[COMP_ENGAGEMENT], 100);
  assert_string_equal(explain(&f, COMP_ENGAGEMENT, buf, sizeof(buf)),
                      "0 open escalations");
  c = comps(&f, "STALE");
  assert_none(c->support_part);
  assert_none(c->value[COMP_ENGAGEMENT]);
  c = comps(&f, "OPEN2");
  assert_int_equal(c->open_escalations, 2);
  assert_near(c->support_part, 20);
  assert_near(comps(&f, "OPEN3")->support_part, 0);
  fx_free(&f);
}

static void engagement_deals_part(void **state) {
  (void)state;
  fx f;
  char buf[128];
  setup(&f);
  fx_account(&f, "W2L1", NULL, NA);
  fx_opp(&f, "W2L1", "o1", NULL, EXD_OPP_WON, NULL, ND, T - 10, 1);
  fx_opp(&f, "W2L1", "o2", NULL, EXD_OPP_WON, NULL, ND, T - 365, 1);
  fx_opp(&f, "W2L1", "o3", NULL, EXD_OPP_LOST, NULL, ND, T - 100, 1);
  fx_opp(&f, "W2L1", "o4", NULL, EXD_OPP_OPEN, NULL, T - 10, ND, 1);
  fx_account(&f, "TWO", NULL, NA); /* a third deal closed 366 days ago */
  fx_opp(&f, "TWO", "o1", NULL, EXD_OPP_WON, NULL, ND, T - 10, 1);
  fx_opp(&f, "TWO", "o2", NULL, EXD_OPP_WON, NULL, ND, T - 20, 1);
  fx_opp(&f, "TWO", "o3", NULL, EXD_OPP_LOST, NULL, ND, T - 366, 1);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "W2L1");
  assert_int_equal(c->deals_closed, 3);
  assert_near(c->win_rate, 2.0 / 3);
  assert_near(c->value[COMP_ENGAGEMENT], 200.0 / 3);
  assert_string_equal(explain(&f, COMP_ENGAGEMENT, buf, sizeof(buf)),
                      "won 2 of 3 deals in the last 12 months");
  c = comps(&f, "TWO");
  assert_int_equal(c->deals_closed, 2);
  assert_none(c->win_rate);
  assert_none(c->value[COMP_ENGAGEMENT]);
  fx_free(&f);
}

static void engagement_mean_of_parts(void **state) {
  (void)state;
  fx f;
  char buf[160];
  setup(&f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "A1");
  r.u.account.nps = 40;
  fx_add(&f, &r);
  fx_contact(&f, "A1", "Ann", NULL, NULL, EXD_ROLE_CHAMPION, ND, ND);
  fx_escalation(&f, "A1", "E1", NULL, NULL, T - 90, T - 80);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  assert_near(c->people, 60);
  assert_near(c->nps_part, 70);
  assert_near(c->support_part, 100);
  assert_none(c->win_rate);
  assert_near(c->value[COMP_ENGAGEMENT], (60.0 + 70 + 100) / 3);
  assert_string_equal(explain(&f, COMP_ENGAGEMENT, buf, sizeof(buf)),
                      "champion active, 0 power users, NPS 40, 0 open "
                      "escalations");
  fx_free(&f);
}

static void stale_days_param(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_health(&f, "A1", T - 40, 70);
  fx_capacity(&f, "A1", T - 40, NULL, 50, 100);
  fx_feature(&f, "A1", T - 40, "reports", 0.5);
  fx_finalize(&f);
  const comp_ev *c = comps(&f, "A1");
  assert_near(c->value[COMP_HEALTH], 70);
  assert_near(c->value[COMP_USAGE], (50.0 + 50.0) / 2);
  f.sp.stale_days = 39;
  c = comps(&f, "A1");
  assert_none(c->value[COMP_HEALTH]);
  assert_none(c->value[COMP_USAGE]);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(health_latest_not_stale),
      cmocka_unit_test(usage_seats_part),
      cmocka_unit_test(usage_capacity_part),
      cmocka_unit_test(usage_adoption_part),
      cmocka_unit_test(usage_growth_part),
      cmocka_unit_test(usage_mean_of_parts),
      cmocka_unit_test(engagement_people_part),
      cmocka_unit_test(engagement_nps_part),
      cmocka_unit_test(engagement_support_part),
      cmocka_unit_test(engagement_deals_part),
      cmocka_unit_test(engagement_mean_of_parts),
      cmocka_unit_test(stale_days_param),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
