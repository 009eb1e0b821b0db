/*
 * Ranked results (core/results.c): the exd_opportunity a sink receives --
 * key format, ids, figures, reasons (texts, points, order, the
 * weights_redistributed note), holds, business case fields, and lookup
 * through a ranking. T = 2024-07-01.
 */
#include "score_fixtures.h"

#include "results.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

static const exd_opportunity *result_of(fx *f, results *rs, const char *id,
                                        int type, const char *product,
                                        uint32_t rank) {
  const acct_eval *e = results_eval(rs, fx_idx(f, id));
  const opp *o = eval_find(e, type, fx_catidx(f, product));
  if (!o) fail_msg("no %s %s for %s", opp_type_name(type), product, id);
  return results_build(rs, e, o, rank);
}

static void assert_reason(const exd_opportunity *x, size_t i, const char *code,
                          const char *text, double weight) {
  assert_true(i < x->n_reasons);
  assert_string_equal(x->reasons[i].code, code);
  assert_string_equal(x->reasons[i].text, text);
  assert_near(x->reasons[i].weight, weight);
}

/* A: health 80, 30 of 40 Core Basic seats, NPS 20, renewal in 100 days;
   B owns Core Basic. (test_opportunity.c: propensity_exact.) */
static void model_ab(fx *f) {
  setup(f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "A");
  r.account.name = "Acme";
  r.u.account.nps = 20;
  r.u.account.renewal_date = T + 100;
  r.u.account.arr = 4000;
  fx_add(f, &r);
  fx_product(f, "A", "Core Basic", 40, 30, NA);
  fx_health(f, "A", T - 10, 80);
  fx_contact(f, "A", "Cat", "COO", NULL, EXD_ROLE_CHAMPION, T - 400, ND);
  fx_account(f, "B", NULL, NA);
  fx_product(f, "B", "Core Basic", 10, NA, NA);
  fx_account(f, "C", NULL, NA); /* look-alikes need two other accounts */
  fx_finalize(f);
}

static void fields_and_key(void **state) {
  (void)state;
  fx f;
  results rs;
  model_ab(&f);
  results_init(&rs, f.m, &f.p, &f.sp, NULL);
  const exd_opportunity *x =
      result_of(&f, &rs, "A", EXD_OPP_UPSELL, "Core Pro", 3);
  assert_int_equal(x->struct_size, sizeof(exd_opportunity));
  assert_int_equal(x->rank, 3);
  assert_string_equal(x->key, "A|upsell|Core Pro|renewal:2024-10-09");
  assert_string_equal(x->account_id, "A");
  assert_string_equal(x->account_name, "Acme");
  assert_int_equal(x->type, EXD_OPP_UPSELL);
  assert_string_equal(x->type_name, "upsell");
  assert_string_equal(x->product, "Core Pro");
  assert_near(x->propensity, 38.95);
  assert_near(x->expected_uplift, 2000);
  assert_near(x->expected_value, 779);
  assert_int_equal(x->window_start, T);
  assert_int_equal(x->window_end, T + 70);
  assert_int_equal(x->n_holds, 0);
  assert_near(x->current_arr, 4000);
  assert_string_equal(x->roi,
                      "Moving 40 seats from Core Basic to Core Pro adds $2,000 "
                      "a year (+50% on $4,000 current); 0% of similar "
                      "customers own it. Expected value $779 at 39% "
                      "propensity.");
  assert_string_equal(x->entry_point, "Cat (COO, champion)");
  assert_string_equal(x->next_action,
                      "Book a value review of Core Pro with Cat (COO, "
                      "champion) between 2024-07-01 and 2024-09-09.");
  assert_int_equal(x->n_objections, 1);
  assert_string_equal(x->objections[0].objection,
                      "There is no budget for this now.");
  assert_string_equal(x->objections[0].response,
                      "Co-term it with the renewal on 2024-10-09 and phase "
                      "the ramp.");
  x = result_of(&f, &rs, "A", EXD_OPP_CROSS_SELL, "Analytics", 1);
  assert_string_equal(x->key, "A|cross_sell|Analytics|renewal:2024-10-09");
  assert_string_equal(x->type_name, "cross_sell");
  results_free(&rs);
  fx_free(&f);
}

static void account_id_fallbacks(void **state) {
  (void)state;
  fx f;
  results rs;
  setup(&f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, NULL);
  r.account.domain = "https://www.Acme.com/about";
  fx_add(&f, &r);
  r = fx_rec(EXD_REC_ACCOUNT, NULL);
  r.account.name = "Beta Ltd.";
  fx_add(&f, &r);
  fx_finalize(&f);
  results_init(&rs, f.m, &f.p, &f.sp, NULL);
  const acct_eval *e = results_eval(&rs, (uint32_t)model_find(f.m, "acme.com"));
  const exd_opportunity *x = results_build(&rs, e, &e->opps[0], 1);
  assert_string_equal(x->account_id, "acme.com");
  assert_string_equal(x->account_name, "acme.com");
  assert_string_equal(x->key, "acme.com|cross_sell|Core Basic|2024-Q3");
  e = results_eval(&rs, (uint32_t)model_find(f.m, "Beta Ltd."));
  x = results_build(&rs, e, &e->opps[0], 1);
  assert_string_equal(x->account_id, "beta");
  assert_string_equal(x->account_name, "Beta Ltd.");
  results_free(&rs);
  fx_free(&f);
}

static void reasons_all_components(void **state) {
  (void)state;
  fx f;
  results rs;
  model_ab(&f);
  results_init(&rs, f.m, &f.p, &f.sp, NULL);
  const exd_opportunity *x =
      result_of(&f, &rs, "A", EXD_OPP_UPSELL, "Core Pro", 1);
  assert_int_equal(x->n_reasons, 6);
  assert_reason(x, 0, "health",
                "health score 80 on 2024-06-21 [health 80/100 x weight 0.25 x "
                "share 0.60]",
                12);
  assert_reason(x, 1, "usage",
                "seat use 75% (30 of 40) [usage 75/100 x weight 0.25 x share "
                "0.60]",
                11.25);
  /* engagement: champion active 60 (no power users) and NPS 20 -> 60 */
  assert_reason(x, 2, "engagement",
                "champion active, 0 power users, NPS 20 [engagement 60/100 x "
                "weight 0.20 x share 0.60]",
                7.2);
  assert_reason(x, 3, "timing",
                "renewal on 2024-10-09 (window 2024-07-01 to 2024-09-09) "
                "[timing 100/100 x weight 0.10 x share 0.60]",
                6);
  assert_reason(x, 4, "usage_ceiling",
                "Core Basic: 30 of 40 seats active (75%)", 2.5);
  assert_reason(x, 5, "similar_customers",
                "0 of 2 look-alikes own Core Pro; 0 of 1 owners of Core Basic "
                "do (rate smoothed toward the wider base: 0%) [similar 0/100 x "
                "weight 0.20 x share "
                "0.60]",
                0);
  /* A cross-sell: the ceiling gives it no points, so it is not listed. */
  x = result_of(&f, &rs, "A", EXD_OPP_CROSS_SELL, "Sync Lite", 1);
  for (size_t i = 0; i < x->n_reasons; i++)
    assert_string_not_equal(x->reasons[i].code, "usage_ceiling");
  assert_int_equal(x->n_reasons, 5);
  results_free(&rs);
  fx_free(&f);
}

static void reasons_redistributed_and_holds(void **state) {
  (void)state;
  fx f;
  results rs;
  setup(&f);
  fx_account(&f, "S", NULL, NA); /* the only account: no similar */
  fx_health(&f, "S", T - 10, 80);
  fx_escalation(&f, "S", "E1", "P1", "Outage", T - 3, ND);
  fx_finalize(&f);
  results_init(&rs, f.m, &f.p, &f.sp, NULL);
  const exd_opportunity *x =
      result_of(&f, &rs, "S", EXD_OPP_CROSS_SELL, "Analytics", 1);
  /* health 80 and engagement 60 (one open escalation) share 0.45. */
  assert_int_equal(x->n_reasons, 4);
  assert_reason(x, 0, "health",
                "health score 80 on 2024-06-21 [health 80/100 x weight 0.56 x "
                "share 0.60]",
                0.6 * 0.25 / 0.45 * 80);
  assert_reason(x, 1, "engagement",
                "1 open escalation [engagement 60/100 x weight 0.44 x share "
                "0.60]",
                0.6 * 0.20 / 0.45 * 60);
  assert_reason(x, 2, "open_escalation",
                "1 open escalation; P1 'Outage' open since 2024-06-28", -10);
  assert_reason(x, 3, "weights_redistributed",
                "no usage or timing or similar data: their weight 0.55 was "
                "shared by the other components",
                0);
  assert_near(x->propensity, 0.6 * (0.25 * 80 + 0.20 * 60) / 0.45 - 10);
  assert_int_equal(x->n_holds, 1);
  assert_string_equal(x->holds[0],
                      "1 open escalation; P1 'Outage' open since 2024-06-28");
  assert_string_equal(x->next_action,
                      "Hold: 1 open escalation; P1 'Outage' open since "
                      "2024-06-28. Revisit when it clears.");
  assert_string_equal(x->objections[0].objection,
                      "We have an open escalation with you.");
  results_free(&rs);
  fx_free(&f);
}

static void reasons_tie_by_code_and_hold_order(void **state) {
  (void)state;
  fx f;
  results rs;
  setup(&f);
  fx_account(&f, "T", NULL, NA);
  fx_health(&f, "T", T - 180, 60);
  fx_health(&f, "T", T - 90, 67.5);
  fx_health(&f, "T", T, 75);
  fx_trigger(&f, "T", T - 3, "new_executive", NULL);
  fx_account(&f, "H", NULL, NA); /* three holds */
  fx_product(&f, "H", "Core Basic", 10, NA, NA);
  fx_health(&f, "H", T - 1, 30);
  fx_trigger(&f, "H", T - 2, "layoffs", NULL);
  fx_opp(&f, "H", "O-9", "Core Pro", EXD_OPP_OPEN, "Proposal", T - 20, ND, 1);
  fx_account(&f, "Z", NULL, NA); /* look-alikes need two other accounts */
  fx_finalize(&f);
  results_init(&rs, f.m, &f.p, &f.sp, NULL);
  const exd_opportunity *x =
      result_of(&f, &rs, "T", EXD_OPP_CROSS_SELL, "Analytics", 1);
  /* health 75 and timing 100 (trigger window), similar 0 (nobody owns
     Analytics) share 0.55; health_improving 6 x 0.5 = 3 and
     new_stakeholder 5 x 0.6 = 3 tie and are ordered by code. */
  assert_int_equal(x->n_reasons, 6);
  assert_string_equal(x->reasons[0].code, "health");
  assert_near(x->reasons[0].weight, 0.6 * 0.25 / 0.55 * 75);
  assert_string_equal(x->reasons[1].code, "timing");
  assert_near(x->reasons[1].weight, 0.6 * 0.10 / 0.55 * 100);
  assert_reason(x, 2, "health_improving",
                "health 60 -> 75 between 2024-01-03 and 2024-07-01 (+7.5 "
                "points a quarter)",
                3);
  assert_reason(x, 3, "new_stakeholder", "new_executive on 2024-06-28", 3);
  assert_string_equal(x->reasons[4].code, "similar_customers");
  assert_reason(x, 5, "weights_redistributed",
                "no usage or engagement data: their weight 0.45 was shared "
                "by the other components",
                0);
  x = result_of(&f, &rs, "H", EXD_OPP_UPSELL, "Core Pro", 1);
  assert_int_equal(x->n_holds, 3);
  assert_string_equal(x->holds[0], "health 30 is low");
  assert_string_equal(x->holds[1], "layoffs on 2024-06-29");
  assert_string_equal(x->holds[2],
                      "already in the pipeline: open opportunity O-9 for Core "
                      "Pro (Proposal, since 2024-06-11)");
  results_free(&rs);
  fx_free(&f);
}

static void results_through_ranking(void **state) {
  (void)state;
  fx f;
  results rs;
  model_ab(&f);
  ranking r;
  rank_all(f.m, &f.p, &f.sp, 0, &r);
  results_init(&rs, f.m, &f.p, &f.sp, &r);
  for (size_t i = 0; i < r.n; i++) {
    const exd_opportunity *x = results_get(&rs, i);
    assert_non_null(x);
    assert_int_equal(x->rank, i + 1);
    assert_int_equal(x->type, r.v[i].type);
    assert_string_equal(x->product, f.m->cat.v[r.v[i].cat].name);
    assert_string_equal(x->account_id, f.m->acct[r.v[i].acct].crm_id);
    assert_true((float)x->expected_value == r.v[i].ev);
    assert_true((float)x->propensity == r.v[i].propensity);
  }
  assert_null(results_get(&rs, r.n));
  /* The first is A's Analytics cross-sell: 5000 x its propensity. */
  const exd_opportunity *x = results_get(&rs, 0);
  assert_string_equal(x->key, "A|cross_sell|Analytics|renewal:2024-10-09");
  results_free(&rs);
  ranking_free(&r);
  fx_free(&f);
}

/* As many signals as fit: every one applies, plus the components and the
   note; the reason list holds them all, sorted by |points|. */
static void reasons_at_capacity(void **state) {
  (void)state;
  fx f;
  results rs;
  setup(&f);
  fx_account(&f, "S", NULL, NA);
  fx_health(&f, "S", T - 1, 50);
  for (int i = 0; i < SIG_MAX; i++)
    fx_trigger(&f, "S", T - i, i % 2 ? "funding" : "hiring_surge", NULL);
  fx_finalize(&f);
  results_init(&rs, f.m, &f.p, &f.sp, NULL);
  const exd_opportunity *x =
      result_of(&f, &rs, "S", EXD_OPP_CROSS_SELL, "Analytics", 1);
  /* health, timing (trigger window), 32 signals, the note */
  assert_int_equal(x->n_reasons, 2 + SIG_MAX + 1);
  assert_true(x->n_reasons <= REASON_MAX);
  for (size_t i = 0; i + 2 < x->n_reasons; i++)
    assert_true(fabs(x->reasons[i].weight) >= fabs(x->reasons[i + 1].weight));
  assert_string_equal(x->reasons[x->n_reasons - 1].code,
                      "weights_redistributed");
  assert_near(x->propensity, 99); /* 16 x 3.2 + 16 x 2.4 points */
  results_free(&rs);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fields_and_key),
      cmocka_unit_test(account_id_fallbacks),
      cmocka_unit_test(reasons_all_components),
      cmocka_unit_test(reasons_redistributed_and_holds),
      cmocka_unit_test(reasons_tie_by_code_and_hold_order),
      cmocka_unit_test(results_through_ranking),
      cmocka_unit_test(reasons_at_capacity),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
