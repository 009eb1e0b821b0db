/*
 * Business case (core/bizcase.c): ROI statement per type, objections in
 * their order of priority (at most 3, "Why now?" when none applies), the
 * entry point precedence and the next action wording; fmt_money.
 * T = 2024-07-01; the default window is 2024-07-01 to 2024-09-29.
 */
#include "score_fixtures.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

static const opp *build(fx *f, const char *id, int type, const char *product,
                        bizcase *bc) {
  acct_eval *e = fx_eval(f, id);
  const opp *o = fx_opp_of(e, type, fx_catidx(f, product));
  bizcase_build(f->m, &f->sp, e, o, bc);
  return o;
}

static void account_full(fx *f, const char *id, double arr, const char *owner,
                         int32_t renewal, int fy) {
  exd_record r = fx_rec(EXD_REC_ACCOUNT, id);
  r.account.name = id;
  r.u.account.arr = arr;
  r.u.account.owner = owner;
  r.u.account.renewal_date = renewal;
  r.u.account.fy_start_month = fy;
  fx_add(f, &r);
}

static void assert_objection(bizcase *bc, size_t i, const char *obj,
                             const char *resp) {
  assert_true(i < bc->n_objections);
  assert_string_equal(sb_str(&bc->objection[i]), obj);
  assert_string_equal(sb_str(&bc->response[i]), resp);
}

/* ---- objections ---- */

static void objections_first_three(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "A", 1000, NULL, ND, 0);
  fx_product(&f, "A", "Core Basic", 40, 10, NA);
  fx_health(&f, "A", T - 180, 80);
  fx_health(&f, "A", T - 90, 65);
  fx_health(&f, "A", T, 50);
  fx_escalation(&f, "A", "E1", "P2", "Sync broken", T - 20, ND);
  fx_contact(&f, "A", "Cal", NULL, NULL, EXD_ROLE_CHAMPION, T - 300, T - 20);
  fx_opp(&f, "A", "O-7", "Core Pro", EXD_OPP_LOST, NULL, ND, T - 30, 1);
  fx_finalize(&f);
  build(&f, "A", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_int_equal(bc.n_objections, 3);
  assert_objection(&bc, 0, "Your product is not delivering for us right now.",
                   "Acknowledge the health drop (80 -> 50); agree a recovery "
                   "plan first and tie the expansion to its milestones.");
  assert_objection(&bc, 1, "We have an open escalation with you.",
                   "Close 'Sync broken' first; reopen the conversation once "
                   "the customer confirms the fix.");
  assert_objection(&bc, 2, "Nobody here owns this any more.",
                   "Rebuild sponsorship after Cal's departure: start with the "
                   "account team (no customer contact on record) before any "
                   "pricing.");
  bizcase_free(&bc);
  fx_free(&f);
}

static void objections_lost_budget_usage(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "B", 4000, NULL, ND, 0);
  fx_product(&f, "B", "Core Basic", 40, 20, NA);
  fx_opp(&f, "B", "O-7", "Core Pro", EXD_OPP_LOST, NULL, ND, T - 30, 1);
  fx_finalize(&f);
  build(&f, "B", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_int_equal(bc.n_objections, 3);
  assert_objection(&bc, 0, "We looked at this before and passed.",
                   "Ask what has changed since the Core Pro evaluation "
                   "(2024-06-01) and bring evidence from similar customers.");
  assert_objection(&bc, 1, "There is no budget for this now.",
                   "Offer a phased start or a pilot; the full case is 50% on "
                   "top of today's spend.");
  assert_objection(&bc, 2, "We don't fully use what we already have.",
                   "Open with an adoption review: 50% of purchased seats are "
                   "active; show how Core Pro raises the value of the "
                   "existing seats.");
  bizcase_free(&bc);
  /* The lost deal was for Core Pro, and 40 x 20 = 800 is within 30% of
     the ARR: only the usage objection is left for Sync Lite. */
  build(&f, "B", EXD_OPP_CROSS_SELL, "Sync Lite", &bc);
  assert_int_equal(bc.n_objections, 1);
  assert_string_equal(sb_str(&bc.objection[0]),
                      "We don't fully use what we already have.");
  bizcase_free(&bc);
  fx_free(&f);
}

static void objection_budget_and_low_health_variants(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "REN", 1000, NULL, T + 100, 0);
  fx_product(&f, "REN", "Core Basic", 40, NA, NA);
  account_full(&f, "FY", 1000, NULL, ND, 10);
  fx_product(&f, "FY", "Core Basic", 40, NA, NA);
  account_full(&f, "LOW", 1e6, NULL, ND, 0); /* no budget objection */
  fx_product(&f, "LOW", "Core Basic", 40, NA, NA);
  fx_health(&f, "LOW", T - 5, 35);
  fx_finalize(&f);
  build(&f, "REN", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_int_equal(bc.n_objections, 1);
  assert_objection(&bc, 0, "There is no budget for this now.",
                   "Co-term it with the renewal on 2024-10-09 and phase the "
                   "ramp.");
  bizcase_free(&bc);
  build(&f, "FY", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_objection(&bc, 0, "There is no budget for this now.",
                   "Get it into the budget planned before the fiscal year "
                   "starts on 2024-10-01.");
  bizcase_free(&bc);
  build(&f, "LOW", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_int_equal(bc.n_objections, 1);
  assert_objection(&bc, 0, "Your product is not delivering for us right now.",
                   "Lead with a success review (health 35) and a recovery "
                   "plan; propose the expansion once it is on track.");
  bizcase_free(&bc);
  fx_free(&f);
}

static void objection_why_now(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "INT", 1e6, NULL, ND, 0);
  fx_product(&f, "INT", "Core Basic", 40, NA, NA);
  fx_intent(&f, "INT", T - 10, "Core Pro", 90, "Decision", NULL, NULL);
  fx_trigger(&f, "INT", T - 10, "funding", NULL); /* weaker: 3.2 points */
  account_full(&f, "PEER", 1e6, NULL, ND, 0);
  fx_product(&f, "PEER", "Core Basic", 10, NA, NA);
  fx_product(&f, "PEER", "Sync Plus", 10, NA, NA);
  fx_product(&f, "PEER", "Core Pro", 10, NA, NA);
  account_full(&f, "SEAT", 1e6, NULL, ND, 0);
  fx_product(&f, "SEAT", "Core Basic", 100, 95, NA);
  fx_finalize(&f);
  build(&f, "INT", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_objection(&bc, 0, "Why now?",
                   "Point to buying intent 90 for Core Pro (Decision stage) "
                   "on 2024-06-21.");
  bizcase_free(&bc);
  /* No signal that applies: the share of similar customers that own it.
     1 of SEAT's 2 look-alikes owns Sync Plus (1/2); of the 2 other owners
     of Core Basic 1 does: (1 + 5/2) / (2 + 5) = 1/2. */
  const opp *o = build(&f, "SEAT", EXD_OPP_CROSS_SELL, "Sync Plus", &bc);
  assert_near(o->points, 0);
  assert_near(o->peer.rate, 0.5);
  assert_objection(&bc, 0, "Why now?",
                   "Point to 50% of similar customers already own Sync Plus.");
  bizcase_free(&bc);
  build(&f, "SEAT", EXD_OPP_SEAT_EXPANSION, "Core Basic", &bc);
  assert_objection(&bc, 0, "Why now?",
                   "Point to Core Basic: 95 of 100 seats active (95%).");
  bizcase_free(&bc);
  fx_free(&f);
}

static void objection_why_now_without_peers(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "ONLY", 1e6, NULL, ND, 0); /* the only account */
  fx_finalize(&f);
  const opp *o = build(&f, "ONLY", EXD_OPP_CROSS_SELL, "Analytics", &bc);
  assert_none(o->peer.rate);
  assert_int_equal(bc.n_objections, 1);
  assert_string_equal(sb_str(&bc.objection[0]), "Why now?");
  /* No share of similar customers to quote: never "nan%". */
  assert_null(strstr(sb_str(&bc.response[0]), "nan"));
  assert_string_equal(
      sb_str(&bc.response[0]),
      "Nothing in the data says now: open with discovery "
      "questions about their plans before proposing Analytics.");
  assert_string_equal(sb_str(&bc.roi),
                      "Analytics adds $5,000 a year (+0% on $1,000,000 "
                      "current). Expected value $1,500 at 30% propensity.");
  bizcase_free(&bc);
  fx_free(&f);
}

/* ---- entry point ---- */

static void entry_point_precedence(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  const char *ids[] = {"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8"};
  for (int i = 0; i < 8; i++) {
    account_full(&f, ids[i], 1e6, i == 4 ? "Olga" : NULL, ND, 0);
    fx_product(&f, ids[i], "Core Basic", 10, NA, NA);
  }
  fx_contact(&f, "E1", "Pat", NULL, NULL, EXD_ROLE_POWER_USER, T - 900, ND);
  fx_contact(&f, "E1", "Eve", "CEO", NULL, EXD_ROLE_EXECUTIVE, T - 900, ND);
  fx_contact(&f, "E1", "Cal", "VP", NULL, EXD_ROLE_CHAMPION, T - 900, T - 400);
  fx_contact(&f, "E1", "Cat", NULL, NULL, EXD_ROLE_CHAMPION, T - 100, ND);
  fx_contact(&f, "E2", "Eve", "CEO", NULL, EXD_ROLE_EXECUTIVE, T - 900, ND);
  fx_contact(&f, "E2", "Bob", "CFO", NULL, EXD_ROLE_ECONOMIC_BUYER, T - 200,
             ND);
  fx_contact(&f, "E2", "Bea", "VP Finance", NULL, EXD_ROLE_ECONOMIC_BUYER,
             T - 300, ND);
  fx_contact(&f, "E3", "Pat", NULL, NULL, EXD_ROLE_POWER_USER, T - 900, ND);
  fx_contact(&f, "E3", "Eve", "CEO", NULL, EXD_ROLE_EXECUTIVE, T - 900, ND);
  fx_contact(&f, "E4", "Pat", NULL, NULL, EXD_ROLE_POWER_USER, T - 900, ND);
  fx_contact(&f, "E7", NULL, "Head of IT", NULL, EXD_ROLE_CHAMPION, T - 900,
             ND); /* no name: not an entry point */
  fx_contact(&f, "E7", "Pat", NULL, NULL, EXD_ROLE_POWER_USER, T - 900, ND);
  fx_contact(&f, "E8", "Nod", NULL, NULL, EXD_ROLE_ECONOMIC_BUYER, ND, ND);
  fx_contact(&f, "E8", "Dee", NULL, NULL, EXD_ROLE_ECONOMIC_BUYER, T - 50, ND);
  fx_finalize(&f);
  const char *want[] = {
      "Cat (champion)",
      "Bea (VP Finance, economic buyer)",
      "Eve (CEO, executive)",
      "Pat (power user)",
      "account owner Olga (no customer contact on record)",
      "the account team (no customer contact on record)",
      "Pat (power user)",
      "Dee (economic buyer)",
  };
  for (int i = 0; i < 8; i++) {
    build(&f, ids[i], EXD_OPP_UPSELL, "Core Pro", &bc);
    assert_string_equal(sb_str(&bc.entry_point), want[i]);
    bizcase_free(&bc);
  }
  fx_free(&f);
}

/* ---- next action ---- */

static void next_action_by_type(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "C", 1e6, "Olga", ND, 0);
  fx_product(&f, "C", "Core Basic", 100, 95, NA);
  fx_contact(&f, "C", "Cat", NULL, NULL, EXD_ROLE_CHAMPION, T - 900, ND);
  fx_usage(&f, "C", T - 200, "Core Basic", NULL, 95);
  fx_usage(&f, "C", T - 30, "Core Basic", "Marketing", 12);
  account_full(&f, "N", 1e6, "Olga", ND, 0);
  fx_product(&f, "N", "Core Basic", 10, NA, NA);
  account_full(&f, "Z", 1e6, NULL, ND, 0);
  fx_product(&f, "Z", "Core Basic", 10, NA, NA);
  fx_finalize(&f);
  struct {
    const char *id;
    int type;
    const char *product, *want;
  } cases[] = {
      {"C", EXD_OPP_UPSELL, "Core Pro",
       "Book a value review of Core Pro with Cat (champion) between "
       "2024-07-01 and 2024-09-29."},
      {"N", EXD_OPP_UPSELL, "Core Pro",
       "Olga: find the buyer and book a value review of Core Pro between "
       "2024-07-01 and 2024-09-29."},
      {"Z", EXD_OPP_UPSELL, "Core Pro",
       "Account team: find the buyer and book a value review of Core Pro "
       "between 2024-07-01 and 2024-09-29."},
      {"C", EXD_OPP_CROSS_SELL, "Sync Lite",
       "Introduce Sync Lite to Cat (champion) with a reference from a "
       "similar customer, 2024-07-01 to 2024-09-29."},
      {"N", EXD_OPP_CROSS_SELL, "Sync Lite",
       "Olga: find the buyer and introduce Sync Lite with a reference from "
       "a similar customer, 2024-07-01 to 2024-09-29."},
      {"C", EXD_OPP_SEAT_EXPANSION, "Core Basic",
       "Propose a 5-seat Core Basic true-up to Cat (champion) before "
       "2024-09-29; offer the seats at the Core Pro tier too (its upsell)."},
      {"C", EXD_OPP_USE_CASE, "Core Basic",
       "Meet the Marketing lead with Cat (champion) to scope a Core Basic "
       "rollout by 2024-09-29."},
  };
  for (size_t i = 0; i < EXD_ARRAY_LEN(cases); i++) {
    build(&f, cases[i].id, cases[i].type, cases[i].product, &bc);
    assert_string_equal(sb_str(&bc.next_action), cases[i].want);
    bizcase_free(&bc);
  }
  fx_free(&f);
}

static void next_action_held(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "ESC", 1e6, NULL, ND, 0);
  fx_product(&f, "ESC", "Core Basic", 10, NA, NA);
  fx_escalation(&f, "ESC", "E1", NULL, NULL, T - 3, ND);
  account_full(&f, "OPP", 1e6, NULL, ND, 0);
  fx_product(&f, "OPP", "Core Basic", 10, NA, NA);
  fx_opp(&f, "OPP", "O-9", "Core Pro", EXD_OPP_OPEN, NULL, T - 20, ND, 1);
  account_full(&f, "TWO", 1e6, NULL, ND, 0);
  fx_product(&f, "TWO", "Core Basic", 10, NA, NA);
  fx_health(&f, "TWO", T - 1, 20);
  fx_escalation(&f, "TWO", "E1", NULL, NULL, T - 3, ND);
  fx_finalize(&f);
  build(&f, "ESC", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_string_equal(sb_str(&bc.next_action),
                      "Hold: 1 open escalation; 'E1' open since 2024-06-28. "
                      "Revisit when it clears.");
  bizcase_free(&bc);
  build(&f, "OPP", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_string_equal(sb_str(&bc.next_action),
                      "Hold: already in the pipeline: open opportunity O-9 "
                      "for Core Pro (since 2024-06-11). Revisit when it "
                      "clears or work the open opportunity instead.");
  bizcase_free(&bc);
  /* Several holds: the first (lowest) one is named. */
  build(&f, "TWO", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_string_equal(sb_str(&bc.next_action),
                      "Hold: health 20 is low. Revisit when it clears.");
  bizcase_free(&bc);
  fx_free(&f);
}

/* ---- ROI ---- */

static void roi_texts(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  setup(&f);
  account_full(&f, "R", 4000, NULL, ND, 0);
  fx_product(&f, "R", "Core Basic", 40, NA, NA);
  account_full(&f, "Q", NA, NULL, ND, 0);
  fx_product(&f, "Q", "Core Basic", 100, 95, 90);
  fx_product(&f, "Q", "Core Pro", 10, NA, NA);
  fx_usage(&f, "Q", T - 200, "Core Basic", NULL, 95);
  fx_usage(&f, "Q", T - 30, "Core Basic", "Marketing", 12);
  account_full(&f, "Q2", NA, NULL, ND, 0);
  fx_product(&f, "Q2", "Core Basic", 10, NA, NA);
  fx_product(&f, "Q2", "Core Pro", 10, NA, NA);
  fx_finalize(&f);
  /* R: similar 100 (Q and Q2, its two look-alikes, own Basic and Pro),
     nothing else: propensity 0.6 x 100 = 60. */
  const opp *o = build(&f, "R", EXD_OPP_UPSELL, "Core Pro", &bc);
  assert_near(o->propensity, 60);
  assert_string_equal(sb_str(&bc.roi),
                      "Moving 40 seats from Core Basic to Core Pro adds $2,000 "
                      "a year (+50% on $4,000 current); 100% of similar "
                      "customers own it. Expected value $1,200 at 60% "
                      "propensity.");
  assert_near(bc.current_arr, 4000);
  bizcase_free(&bc);
  build(&f, "R", EXD_OPP_CROSS_SELL, "Sync Lite", &bc);
  assert_string_equal(sb_str(&bc.roi),
                      "Sync Lite for ~40 seats adds $800 a year (+20% on "
                      "$4,000 current); 0% of similar customers own it. "
                      "Expected value $8 at 1% propensity.");
  bizcase_free(&bc);
  build(&f, "R", EXD_OPP_CROSS_SELL, "Analytics", &bc);
  assert_string_equal(sb_str(&bc.roi),
                      "Analytics adds $5,000 a year (+125% on $4,000 "
                      "current); 0% of similar customers own it. Expected "
                      "value $50 at 1% propensity.");
  bizcase_free(&bc);
  /* Q: ARR derived from its products, 100 x 90 + 10 x 150 = 10,500. */
  o = build(&f, "Q", EXD_OPP_SEAT_EXPANSION, "Core Basic", &bc);
  assert_near(bc.current_arr, 10500);
  sb want = {0};
  sb_put(&want, "95 of 100 Core Basic seats in use (95%); 5 more seats (for "
                "95 active by 2024-12-28, plus 10% headroom) at $90 add $450 "
                "a year (+4% on $10,500 current). Expected value ");
  fmt_money(&want, o->ev, NULL);
  sb_printf(&want, " at %.0f%% propensity.", o->propensity);
  assert_string_equal(sb_str(&bc.roi), sb_str(&want));
  bizcase_free(&bc);
  o = build(&f, "Q", EXD_OPP_USE_CASE, "Core Basic", &bc);
  sb_reset(&want);
  sb_put(&want,
         "Formalising Core Basic for the Marketing team (12 users) "
         "adds $1,080 a year (+10% on $10,500 current). Expected value ");
  fmt_money(&want, o->ev, NULL);
  sb_printf(&want, " at %.0f%% propensity.", o->propensity);
  assert_string_equal(sb_str(&bc.roi), sb_str(&want));
  sb_free(&want);
  bizcase_free(&bc);
  fx_free(&f);
}

static void money(void **state) {
  (void)state;
  struct {
    double v;
    const char *cur, *want;
  } cases[] = {
      {1234567, NULL, "$1,234,567"},
      {1234567, "USD", "$1,234,567"},
      {999.5, NULL, "$1,000"},
      {100.4, NULL, "$100"},
      {99.5, NULL, "$99.50"},
      {8, NULL, "$8"},
      {0, NULL, "$0"},
      {-1500, NULL, "-$1,500"},
      {NA, NULL, "n/a"},
      {12, "EUR", "\u20ac12"},
      {2500, "GBP", "\u00a32,500"},
      {1000, "CHF", "CHF 1,000"},
      {123, NULL, "$123"},
      {123456, NULL, "$123,456"},
  };
  for (size_t i = 0; i < EXD_ARRAY_LEN(cases); i++) {
    sb b = {0};
    fmt_money(&b, cases[i].v, cases[i].cur);
    assert_string_equal(sb_str(&b), cases[i].want);
    sb_free(&b);
  }
}

static void roi_in_account_currency(void **state) {
  (void)state;
  fx f;
  bizcase bc;
  /* Amounts are in the reporting currency. An EUR account without an
     exchange rate: no current ARR to compare with. */
  setup(&f);
  exd_record r = fx_rec(EXD_REC_ACCOUNT, "EU");
  r.u.account.currency = "EUR";
  r.u.account.arr = 1e6;
  fx_add(&f, &r);
  fx_finalize(&f);
  build(&f, "EU", EXD_OPP_CROSS_SELL, "Analytics", &bc);
  assert_string_equal(sb_str(&bc.roi),
                      "Analytics adds $5,000 a year. Expected value $1,500 at "
                      "30% propensity.");
  assert_none(bc.current_arr);
  bizcase_free(&bc);
  fx_free(&f);
  /* With a rate (1 EUR = 1.10 USD) its ARR is converted. */
  setup(&f);
  m_rate rates[] = {{"EUR", 1.10}};
  model_set_currency(f.m, "USD", rates, 1);
  r = fx_rec(EXD_REC_ACCOUNT, "EU");
  r.u.account.currency = "EUR";
  r.u.account.arr = 1e6;
  fx_add(&f, &r);
  fx_finalize(&f);
  build(&f, "EU", EXD_OPP_CROSS_SELL, "Analytics", &bc);
  assert_near(bc.current_arr, 1.1e6);
  assert_string_equal(sb_str(&bc.roi),
                      "Analytics adds $5,000 a year (+0% on $1,100,000 "
                      "current). Expected value $1,500 at 30% propensity.");
  bizcase_free(&bc);
  fx_free(&f);
  /* A catalogue in EUR: amounts print in euros. */
  setup(&f);
  model_set_currency(f.m, "EUR", NULL, 0);
  r = fx_rec(EXD_REC_ACCOUNT, "EU");
  r.u.account.currency = "EUR";
  r.u.account.arr = 1e6;
  fx_add(&f, &r);
  fx_finalize(&f);
  build(&f, "EU", EXD_OPP_CROSS_SELL, "Analytics", &bc);
  assert_string_equal(sb_str(&bc.roi),
                      "Analytics adds \u20ac5,000 a year (+0% on "
                      "\u20ac1,000,000 current). Expected value \u20ac1,500 at "
                      "30% propensity.");
  bizcase_free(&bc);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(objections_first_three),
      cmocka_unit_test(objections_lost_budget_usage),
      cmocka_unit_test(objection_budget_and_low_health_variants),
      cmocka_unit_test(objection_why_now),
      cmocka_unit_test(objection_why_now_without_peers),
      cmocka_unit_test(entry_point_precedence),
      cmocka_unit_test(next_action_by_type),
      cmocka_unit_test(next_action_held),
      cmocka_unit_test(roi_texts),
      cmocka_unit_test(money),
      cmocka_unit_test(roi_in_account_currency),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
