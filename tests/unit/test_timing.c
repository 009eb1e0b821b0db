/*
 * Timing (core/timing.c): the action window (trigger, renewal incl. a past
 * renewal rolled forward, fiscal-year budget incl. the next year, default,
 * the horizon), the timing component and the account-level holds with
 * their texts. T = 2024-07-01, horizon 180, window 90, recent 90.
 */
#include "score_fixtures.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

static void account_dates(fx *f, const char *id, int32_t renewal,
                          int32_t contract_end, int fy) {
  exd_record r = fx_rec(EXD_REC_ACCOUNT, id);
  r.account.name = id;
  r.u.account.renewal_date = renewal;
  r.u.account.contract_end = contract_end;
  r.u.account.fy_start_month = fy;
  fx_add(f, &r);
}

static void assert_window(const window *w, int32_t start, int32_t end, int kind,
                          int32_t anchor) {
  assert_int_equal(w->start, start);
  assert_int_equal(w->end, end);
  assert_int_equal(w->kind, kind);
  assert_int_equal(w->anchor, anchor);
}

static const char *timing_text(fx *f, char *buf, size_t n) {
  sb b = {0};
  explain_component(f->m, f->e, NULL, COMP_TIMING, &b);
  snprintf(buf, n, "%s", sb_str(&b));
  sb_free(&b);
  return buf;
}

static const char *hold_text(fx *f, uint32_t bit, char *buf, size_t n) {
  sb b = {0};
  explain_hold(f->m, f->e, NULL, bit, &b);
  snprintf(buf, n, "%s", sb_str(&b));
  sb_free(&b);
  return buf;
}

static void default_window(void **state) {
  (void)state;
  fx f;
  char buf[160];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_trigger(&f, "A1", T - 91, "funding", NULL); /* too old */
  fx_trigger(&f, "A1", T - 1, "award", NULL);    /* not a known moment */
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A1");
  assert_window(&e->win, T, T + 90, WIN_DEFAULT, ND);
  assert_none(e->comp.value[COMP_TIMING]); /* no timing data at all */
  assert_int_equal(e->holds, 0);
  assert_string_equal(timing_text(&f, buf, sizeof(buf)),
                      "no renewal, budget or trigger moment within the "
                      "horizon");
  fx_free(&f);
}

static void trigger_window(void **state) {
  (void)state;
  fx f;
  char buf[160];
  setup(&f);
  fx_account(&f, "A1", NULL, NA);
  fx_trigger(&f, "A1", T - 30, "funding", NULL);
  fx_trigger(&f, "A1", T - 10, "expansion", "New plant"); /* most recent */
  fx_trigger(&f, "A1", T - 5, "award", NULL);
  account_dates(&f, "A1", T + 100, ND, 10); /* the trigger wins */
  fx_account(&f, "PL", NULL, NA);
  fx_trigger(&f, "PL", T - 90, "product_launch", NULL);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "A1");
  assert_window(&e->win, T, T + 45, WIN_TRIGGER, T - 10);
  assert_string_equal(e->win.what, "expansion");
  assert_near(e->comp.value[COMP_TIMING], 100);
  assert_string_equal(timing_text(&f, buf, sizeof(buf)),
                      "expansion on 2024-06-21: act while it is fresh (window "
                      "2024-07-01 to 2024-08-15)");
  /* product_launch is not a trigger the scoring knows: no window. */
  e = fx_eval(&f, "PL");
  assert_window(&e->win, T, T + 90, WIN_DEFAULT, ND);
  assert_none(e->comp.value[COMP_TIMING]);
  fx_free(&f);
}

static void renewal_windows(void **state) {
  (void)state;
  fx f;
  char buf[160];
  setup(&f);
  account_dates(&f, "R100", T + 100, ND, 0);
  account_dates(&f, "R200", T + 200, ND, 0);
  account_dates(&f, "R20", T + 20, ND, 0);
  account_dates(&f, "R30", T + 30, ND, 0);
  account_dates(&f, "R0", T, ND, 0);
  fx_finalize(&f);
  /* [R-120, R-30] = [T-20, T+70], clipped to start today. */
  acct_eval *e = fx_eval(&f, "R100");
  assert_window(&e->win, T, T + 70, WIN_RENEWAL, T + 100);
  assert_near(e->comp.value[COMP_TIMING], 100);
  assert_string_equal(timing_text(&f, buf, sizeof(buf)),
                      "renewal on 2024-10-09 (window 2024-07-01 to "
                      "2024-09-09)");
  /* Opens in 80 days: 100 - 0.5 x 80. */
  e = fx_eval(&f, "R200");
  assert_window(&e->win, T + 80, T + 170, WIN_RENEWAL, T + 200);
  assert_near(e->comp.value[COMP_TIMING], 60);
  /* R-30 already past: co-term at renewal, [T, R]. */
  e = fx_eval(&f, "R20");
  assert_window(&e->win, T, T + 20, WIN_RENEWAL, T + 20);
  /* R-30 is today: a one-day window would be useless; co-term, [T, R]. */
  e = fx_eval(&f, "R30");
  assert_window(&e->win, T, T + 30, WIN_RENEWAL, T + 30);
  e = fx_eval(&f, "R0"); /* renewal today: not rolled forward */
  assert_window(&e->win, T, T, WIN_RENEWAL, T);
  fx_free(&f);
}

static void renewal_rolled_forward(void **state) {
  (void)state;
  fx f;
  setup(&f);
  account_dates(&f, "ONE", D(2023, 9, 15), ND, 0);
  account_dates(&f, "THREE", D(2021, 9, 15), ND, 0);
  account_dates(&f, "END", ND, D(2023, 9, 15), 0); /* from contract_end */
  fx_finalize(&f);
  const char *ids[] = {"ONE", "THREE", "END"};
  for (int i = 0; i < 3; i++) {
    acct_eval *e = fx_eval(&f, ids[i]);
    /* Next renewal 2024-09-15 = T+76: [T-44 -> T, T+46]. */
    assert_window(&e->win, T, T + 46, WIN_RENEWAL, D(2024, 9, 15));
    assert_near(e->comp.value[COMP_TIMING], 100);
  }
  fx_free(&f);
}

static void horizon_boundary(void **state) {
  (void)state;
  fx f;
  setup(&f);
  account_dates(&f, "R300", T + 300, ND, 0); /* opens T+180 = horizon */
  account_dates(&f, "R301", T + 301, ND, 0); /* opens T+181 */
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "R300");
  assert_window(&e->win, T + 180, T + 270, WIN_RENEWAL, T + 300);
  assert_near(e->comp.value[COMP_TIMING], 10); /* 100 - 90 */
  e = fx_eval(&f, "R301");
  assert_window(&e->win, T, T + 90, WIN_DEFAULT, ND);
  assert_near(e->comp.value[COMP_TIMING], 30); /* data, default window */
  fx_free(&f);
}

static void budget_windows(void **state) {
  (void)state;
  fx f;
  char buf[160];
  setup(&f);
  account_dates(&f, "FY10", ND, ND, 10);
  account_dates(&f, "FY8", ND, ND, 8);
  account_dates(&f, "FY7", ND, ND, 7);
  fx_finalize(&f);
  /* S = 2024-10-01: [S-90, S-30] = [2024-07-03, 2024-09-01]. */
  acct_eval *e = fx_eval(&f, "FY10");
  assert_window(&e->win, D(2024, 7, 3), D(2024, 9, 1), WIN_BUDGET,
                D(2024, 10, 1));
  assert_near(e->comp.value[COMP_TIMING], 99); /* opens in 2 days */
  assert_string_equal(timing_text(&f, buf, sizeof(buf)),
                      "fiscal year starts 2024-10-01: budget planning (window "
                      "2024-07-03 to 2024-09-01)");
  /* S = 2024-08-01: [2024-05-03 -> T, 2024-07-02]. */
  e = fx_eval(&f, "FY8");
  assert_window(&e->win, T, D(2024, 7, 2), WIN_BUDGET, D(2024, 8, 1));
  assert_near(e->comp.value[COMP_TIMING], 100);
  /* S = T itself is not "next": 2025-07-01, window opens 2025-04-02,
     beyond the horizon; with a longer horizon it is the window. */
  e = fx_eval(&f, "FY7");
  assert_window(&e->win, T, T + 90, WIN_DEFAULT, ND);
  assert_near(e->comp.value[COMP_TIMING], 30);
  f.sp.horizon_days = 400;
  e = fx_eval(&f, "FY7");
  assert_window(&e->win, D(2025, 4, 2), D(2025, 6, 1), WIN_BUDGET,
                D(2025, 7, 1));
  assert_near(e->comp.value[COMP_TIMING], 10); /* 275 days away: floor */
  fx_free(&f);
}

static void budget_next_year(void **state) {
  (void)state;
  fx f;
  int32_t T2 = D(2024, 7, 15);
  fx_init(&f, T2);
  account_dates(&f, "FY8", ND, ND, 8);
  fx_finalize(&f);
  /* S = 2024-08-01 but S-30 = 2024-07-02 is past: the next year's. */
  f.sp.horizon_days = 400;
  acct_eval *e = fx_eval(&f, "FY8");
  assert_window(&e->win, D(2025, 5, 3), D(2025, 7, 2), WIN_BUDGET,
                D(2025, 8, 1));
  f.sp.horizon_days = 180;
  e = fx_eval(&f, "FY8");
  assert_window(&e->win, T2, T2 + 90, WIN_DEFAULT, ND);
  fx_free(&f);
}

static void earliest_candidate(void **state) {
  (void)state;
  fx f;
  setup(&f);
  account_dates(&f, "BUD", T + 200, ND, 10); /* renewal opens T+80 */
  account_dates(&f, "TIE", T + 100, ND, 8);  /* both open today */
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "BUD");
  assert_int_equal(e->win.kind, WIN_BUDGET);
  assert_int_equal(e->win.start, D(2024, 7, 3));
  e = fx_eval(&f, "TIE");
  assert_window(&e->win, T, T + 70, WIN_RENEWAL, T + 100);
  fx_free(&f);
}

static void timing_value_formula(void **state) {
  (void)state;
  score_params sp;
  score_params_default(&sp);
  window w = {T, T + 90, WIN_DEFAULT, ND, NULL};
  assert_none(timing_value(&sp, T, &w, 0));
  assert_near(timing_value(&sp, T, &w, 1), 30);
  w.kind = WIN_RENEWAL;
  assert_near(timing_value(&sp, T, &w, 1), 100);
  w.start = T - 5; /* opened already */
  assert_near(timing_value(&sp, T, &w, 1), 100);
  w.start = T + 20;
  assert_near(timing_value(&sp, T, &w, 1), 90);
  w.start = T + 179;
  assert_near(timing_value(&sp, T, &w, 1), 10.5);
  w.start = T + 180;
  assert_near(timing_value(&sp, T, &w, 1), 10);
  w.start = T + 300;
  assert_near(timing_value(&sp, T, &w, 1), 10);
}

static void health3(fx *f, const char *a, double h0, double h1, double h2) {
  fx_account(f, a, NULL, NA);
  fx_health(f, a, T - 180, h0);
  fx_health(f, a, T - 90, h1);
  fx_health(f, a, T, h2);
}

static void holds_health(void **state) {
  (void)state;
  fx f;
  char buf[200];
  setup(&f);
  fx_account(&f, "H39", NULL, NA);
  fx_health(&f, "H39", T - 10, 39);
  fx_account(&f, "H40", NULL, NA);
  fx_health(&f, "H40", T - 10, 40);
  health3(&f, "DOWN", 80, 65, 50);     /* strength 1, health 50 */
  health3(&f, "DOWN04", 70, 64, 58);   /* -6 a quarter: 0.4 */
  health3(&f, "DOWN05", 70, 62.5, 55); /* -7.5 a quarter: 0.5 */
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "H39");
  assert_int_equal(e->holds, HOLD_HEALTH);
  assert_string_equal(hold_text(&f, HOLD_HEALTH, buf, sizeof(buf)),
                      "health 39 is low");
  assert_int_equal(fx_eval(&f, "H40")->holds, 0);
  e = fx_eval(&f, "DOWN");
  assert_int_equal(e->holds, HOLD_HEALTH);
  assert_string_equal(hold_text(&f, HOLD_HEALTH, buf, sizeof(buf)),
                      "health declining: health 80 -> 50 between 2024-01-03 "
                      "and 2024-07-01 (-15.0 points a quarter)");
  assert_int_equal(fx_eval(&f, "DOWN04")->holds, 0);
  assert_int_equal(fx_eval(&f, "DOWN05")->holds, HOLD_HEALTH);
  f.sp.hold_health_below = 60;
  e = fx_eval(&f, "DOWN04");
  assert_int_equal(e->holds, HOLD_HEALTH);
  assert_string_equal(hold_text(&f, HOLD_HEALTH, buf, sizeof(buf)),
                      "health 58 is low");
  fx_free(&f);
}

static void holds_escalation_champion(void **state) {
  (void)state;
  fx f;
  char buf[200];
  setup(&f);
  fx_account(&f, "ESC", NULL, NA);
  fx_escalation(&f, "ESC", "E1", "P2", "Sync broken", T - 20, ND);
  fx_escalation(&f, "ESC", "E0", "P1", "Old", T - 200, T - 100);
  fx_account(&f, "CH", NULL, NA);
  fx_contact(&f, "CH", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 300, T - 20);
  fx_account(&f, "BOTH", NULL, NA);
  fx_escalation(&f, "BOTH", "E1", NULL, NULL, T - 20, ND);
  fx_contact(&f, "BOTH", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 300, T - 20);
  fx_finalize(&f);
  acct_eval *e = fx_eval(&f, "ESC");
  assert_int_equal(e->holds, HOLD_ESCALATION);
  assert_string_equal(hold_text(&f, HOLD_ESCALATION, buf, sizeof(buf)),
                      "1 open escalation; P2 'Sync broken' open since "
                      "2024-06-11");
  e = fx_eval(&f, "CH");
  assert_int_equal(e->holds, HOLD_CHAMPION_LEFT);
  assert_string_equal(hold_text(&f, HOLD_CHAMPION_LEFT, buf, sizeof(buf)),
                      "champion Cal left on 2024-06-11; no champion since");
  assert_int_equal(fx_eval(&f, "BOTH")->holds,
                   HOLD_ESCALATION | HOLD_CHAMPION_LEFT);
  fx_free(&f);
}

static void holds_negative_trigger(void **state) {
  (void)state;
  fx f;
  char buf[200];
  setup(&f);
  const char *bad[] = {"layoffs", "Budget_Freeze", "hiring_freeze"};
  char ids[3][4];
  for (int i = 0; i < 3; i++) {
    snprintf(ids[i], sizeof(ids[i]), "N%d", i);
    fx_account(&f, ids[i], NULL, NA);
    fx_trigger(&f, ids[i], T - 10, bad[i], i == 0 ? "10% cut" : NULL);
  }
  fx_account(&f, "OLD", NULL, NA);
  fx_trigger(&f, "OLD", T - 91, "layoffs", NULL);
  /* The recent freeze causes the hold; an older layoff is listed after
     it. The text names the most recent one. */
  fx_account(&f, "TWO", NULL, NA);
  fx_trigger(&f, "TWO", T - 10, "budget_freeze", "Q3 freeze");
  fx_trigger(&f, "TWO", T - 200, "layoffs", "Old cut");
  fx_finalize(&f);
  for (int i = 0; i < 3; i++) {
    acct_eval *e = fx_eval(&f, ids[i]);
    assert_int_equal(e->holds, HOLD_NEG_TRIGGER);
    assert_window(&e->win, T, T + 90, WIN_DEFAULT, ND); /* not a moment */
  }
  fx_eval(&f, "N0");
  assert_string_equal(hold_text(&f, HOLD_NEG_TRIGGER, buf, sizeof(buf)),
                      "layoffs on 2024-06-21: 10% cut");
  assert_int_equal(fx_eval(&f, "OLD")->holds, 0);
  assert_int_equal(fx_eval(&f, "TWO")->holds, HOLD_NEG_TRIGGER);
  assert_string_equal(hold_text(&f, HOLD_NEG_TRIGGER, buf, sizeof(buf)),
                      "budget_freeze on 2024-06-21: Q3 freeze");
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(default_window),
      cmocka_unit_test(trigger_window),
      cmocka_unit_test(renewal_windows),
      cmocka_unit_test(renewal_rolled_forward),
      cmocka_unit_test(horizon_boundary),
      cmocka_unit_test(budget_windows),
      cmocka_unit_test(budget_next_year),
      cmocka_unit_test(earliest_candidate),
      cmocka_unit_test(timing_value_formula),
      cmocka_unit_test(holds_health),
      cmocka_unit_test(holds_escalation_champion),
      cmocka_unit_test(holds_negative_trigger),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
