/*
 * Ranking (core/rank.c): the order (actionable before held, then expected
 * value, propensity, account name, account, type, product), totals, and the
 * bounded top-N heap giving exactly the first N of a full sort -- checked by
 * hand on a small model and as a property over random models.
 */
#include "score_fixtures.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

static rank_entry entry(uint32_t acct, int type, int held, int cat, float ev,
                        float prop) {
  rank_entry r = {acct, (uint8_t)type, (uint8_t)held, (int16_t)cat, ev, prop};
  return r;
}

static void cmp_order(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account_named(&f, "B", "Beta", NULL, NA);
  fx_account_named(&f, "A", "Alpha", NULL, NA);
  fx_account_named(&f, "A2", "Alpha", NULL, NA);
  fx_finalize(&f);
  uint32_t a = fx_idx(&f, "A"), a2 = fx_idx(&f, "A2"), b = fx_idx(&f, "B");
  assert_true(a < a2);
  const model *m = f.m;
  rank_entry x, y;
  /* Actionable before held, whatever the value. */
  x = entry(b, 1, 0, 0, 1, 1);
  y = entry(a, 1, 1, 0, 1000, 99);
  assert_true(rank_cmp(m, &x, &y) < 0);
  assert_true(rank_cmp(m, &y, &x) > 0);
  /* Higher expected value first. */
  x = entry(b, 1, 0, 0, 200, 10);
  y = entry(a, 1, 0, 0, 100, 90);
  assert_true(rank_cmp(m, &x, &y) < 0);
  /* Same value: higher propensity first. */
  x = entry(b, 1, 0, 0, 100, 60);
  y = entry(a, 1, 0, 0, 100, 50);
  assert_true(rank_cmp(m, &x, &y) < 0);
  /* Same value and propensity: account name. */
  x = entry(b, 1, 0, 0, 100, 50);
  y = entry(a, 2, 0, 3, 100, 50);
  assert_true(rank_cmp(m, &y, &x) < 0);
  /* Same name: the account first seen. */
  x = entry(a2, 1, 0, 0, 100, 50);
  y = entry(a, 4, 0, 5, 100, 50);
  assert_true(rank_cmp(m, &y, &x) < 0);
  /* Same account: type, then product. */
  x = entry(a, EXD_OPP_CROSS_SELL, 0, 0, 100, 50);
  y = entry(a, EXD_OPP_UPSELL, 0, 5, 100, 50);
  assert_true(rank_cmp(m, &y, &x) < 0);
  x = entry(a, EXD_OPP_CROSS_SELL, 0, 4, 100, 50);
  y = entry(a, EXD_OPP_CROSS_SELL, 0, 3, 100, 50);
  assert_true(rank_cmp(m, &y, &x) < 0);
  assert_int_equal(rank_cmp(m, &x, &x), 0);
  fx_free(&f);
}

/* Solo and Twin: nothing known but similar = 0 (nobody owns anything),
   so propensity 0.6 x 0 -> 1; Held: an open escalation, so engagement 60
   (support part), base 0.6 x (60 + 0) / 2 = 18, minus 0.5 x 10 points:
   13. Each has three cross-sells: Analytics 5000, Core Basic 1 seat x 100,
   Sync Lite 1 seat x 20. */
static void small_ranking(fx *f) {
  setup(f);
  fx_account_named(f, "S", "Solo", NULL, NA);
  fx_account_named(f, "H", "Held", NULL, NA);
  fx_escalation(f, "H", "E1", NULL, NULL, T - 3, ND);
  fx_account_named(f, "W", "Twin", NULL, NA);
  fx_finalize(f);
}

static void rank_all_small(void **state) {
  (void)state;
  fx f;
  small_ranking(&f);
  ranking r;
  rank_all(f.m, &f.p, &f.sp, 0, &r);
  assert_int_equal(r.total, 9);
  assert_int_equal(r.total_held, 3);
  assert_int_equal(r.accounts_scored, 3);
  assert_int_equal(r.n, 9);
  int an = fx_catidx(&f, "Analytics"), cb = fx_catidx(&f, "Core Basic"),
      sl = fx_catidx(&f, "Sync Lite");
  struct {
    const char *acct;
    int cat, held;
    double ev, prop;
  } want[] = {
      {"S", an, 0, 50, 1},   {"W", an, 0, 50, 1},  {"S", cb, 0, 1, 1},
      {"W", cb, 0, 1, 1},    {"S", sl, 0, 0.2, 1}, {"W", sl, 0, 0.2, 1},
      {"H", an, 1, 650, 13}, {"H", cb, 1, 13, 13}, {"H", sl, 1, 2.6, 13}};
  for (size_t i = 0; i < 9; i++) {
    assert_int_equal(r.v[i].acct, fx_idx(&f, want[i].acct));
    assert_int_equal(r.v[i].type, EXD_OPP_CROSS_SELL);
    assert_int_equal(r.v[i].cat, want[i].cat);
    assert_int_equal(r.v[i].held, want[i].held);
    assert_true(r.v[i].ev == (float)want[i].ev);
    assert_true(r.v[i].propensity == (float)want[i].prop);
  }
  ranking top;
  rank_all(f.m, &f.p, &f.sp, 4, &top);
  assert_int_equal(top.n, 4);
  assert_int_equal(top.total, 9);
  assert_int_equal(top.total_held, 3);
  assert_memory_equal(top.v, r.v, 4 * sizeof(*r.v));
  ranking_free(&top);
  ranking_free(&r);
  assert_null(r.v);
  fx_free(&f);
}

/* ---- property: top-N == first N of the full sort ---- */

static uint64_t rng_state;
static uint32_t rnd(uint32_t n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}

static void random_model(fx *f, uint64_t seed, int n) {
  static const char *const prods[] = {"Core Basic",      "Core Pro",
                                      "Core Enterprise", "Sync Lite",
                                      "Sync Plus",       "Analytics"};
  static const char *const inds[] = {NULL, "Retail", "Energy", "Health"};
  static const char *const trig[] = {"funding", "layoffs", "new_executive",
                                     "hiring_surge"};
  static const char *const depts[] = {"Sales", "Legal", "Ops"};
  rng_state = seed;
  setup(f);
  char id[16], name[16];
  for (int i = 0; i < n; i++) {
    snprintf(id, sizeof(id), "R%04d", i);
    snprintf(name, sizeof(name), "Co %02u", rnd(40)); /* names repeat */
    exd_record r = fx_rec(EXD_REC_ACCOUNT, id);
    r.account.name = name;
    r.u.account.industry = inds[rnd(4)];
    r.u.account.employees = rnd(3) ? 10 + rnd(9000) : NA;
    r.u.account.renewal_date = rnd(2) ? T - 400 + (int32_t)rnd(800) : ND;
    r.u.account.fy_start_month = (int)rnd(13);
    r.u.account.nps = rnd(2) ? (double)rnd(201) - 100 : NA;
    fx_add(f, &r);
    uint32_t np = rnd(3);
    for (uint32_t k = 0; k < np; k++) {
      double seats = 5 + rnd(200);
      fx_product(f, id, prods[rnd(6)], seats, rnd(4) ? rnd(240) : NA,
                 rnd(2) ? 50 + rnd(100) : NA);
    }
    for (uint32_t k = rnd(4); k > 0; k--)
      fx_health(f, id, T - (int32_t)rnd(300), rnd(101));
    for (uint32_t k = rnd(4); k > 0; k--)
      fx_usage(f, id, T - (int32_t)rnd(300), np ? prods[rnd(6)] : NULL,
               rnd(5) ? NULL : depts[rnd(3)], rnd(250));
    if (!rnd(5)) fx_escalation(f, id, "E", "P2", NULL, T - 10, ND);
    if (!rnd(4))
      fx_intent(f, id, T - (int32_t)rnd(120), prods[rnd(6)], rnd(101),
                "Decision", NULL, NULL);
    if (!rnd(4)) fx_trigger(f, id, T - (int32_t)rnd(120), trig[rnd(4)], NULL);
    if (!rnd(6))
      fx_opp(f, id, "O", prods[rnd(6)], EXD_OPP_OPEN, NULL, T - 30, ND, 1);
    if (!rnd(6))
      fx_contact(f, id, "C", NULL, NULL, EXD_ROLE_CHAMPION, T - 500,
                 rnd(2) ? T - (int32_t)rnd(200) : ND);
  }
  fx_finalize(f);
}

static void assert_same_entries(const rank_entry *a, const rank_entry *b,
                                size_t n) {
  for (size_t i = 0; i < n; i++)
    if (a[i].acct != b[i].acct || a[i].type != b[i].type ||
        a[i].cat != b[i].cat || a[i].held != b[i].held || a[i].ev != b[i].ev ||
        a[i].propensity != b[i].propensity)
      fail_msg("entry %zu differs: acct %u/%u type %d/%d cat %d/%d", i,
               a[i].acct, b[i].acct, a[i].type, b[i].type, a[i].cat, b[i].cat);
}

static void top_n_equals_full_sort(void **state) {
  (void)state;
  for (uint64_t seed = 1; seed <= 3; seed++) {
    fx f;
    random_model(&f, 0x9E3779B97F4A7C15ULL * seed, 300);
    ranking full;
    rank_all(f.m, &f.p, &f.sp, 0, &full);
    assert_int_equal(full.n, full.total);
    assert_int_equal(full.accounts_scored, 300);
    assert_true(full.total > 500);
    assert_true(full.total_held > 0 && full.total_held < full.total);
    size_t held = 0;
    for (size_t i = 0; i < full.n; i++) {
      held += full.v[i].held;
      if (i + 1 < full.n && rank_cmp(f.m, &full.v[i], &full.v[i + 1]) >= 0)
        fail_msg("seed %d: entries %zu and %zu out of order", (int)seed, i,
                 i + 1);
    }
    assert_int_equal(held, full.total_held);
    size_t keeps[] = {
        1, 2, 7, 50, 333, full.total - 1, full.total, full.total + 5};
    for (size_t k = 0; k < EXD_ARRAY_LEN(keeps); k++) {
      ranking top;
      rank_all(f.m, &f.p, &f.sp, keeps[k], &top);
      size_t want = keeps[k] < full.total ? keeps[k] : full.total;
      assert_int_equal(top.n, want);
      assert_int_equal(top.total, full.total);
      assert_int_equal(top.total_held, full.total_held);
      assert_same_entries(top.v, full.v, want);
      ranking_free(&top);
    }
    /* Two ranges (parallel scoring), merged and cut: the same top 25. */
    uint32_t half = 150;
    ranking r1, r2;
    rank_range(f.m, &f.p, &f.sp, 0, half, 25, &r1);
    rank_range(f.m, &f.p, &f.sp, half, 300, 25, &r2);
    ranking merged = {0};
    merged.n = r1.n + r2.n;
    merged.v = xmalloc(merged.n * sizeof(*merged.v));
    memcpy(merged.v, r1.v, r1.n * sizeof(*r1.v));
    memcpy(merged.v + r1.n, r2.v, r2.n * sizeof(*r2.v));
    rank_sort(f.m, &merged, 25);
    assert_int_equal(merged.n, 25);
    assert_int_equal(r1.total + r2.total, full.total);
    assert_same_entries(merged.v, full.v, 25);
    ranking_free(&merged);
    ranking_free(&r1);
    ranking_free(&r2);
    /* Deterministic: a second full ranking is identical. */
    ranking again;
    rank_all(f.m, &f.p, &f.sp, 0, &again);
    assert_int_equal(again.n, full.n);
    assert_same_entries(again.v, full.v, full.n);
    ranking_free(&again);
    ranking_free(&full);
    fx_free(&f);
  }
}

static void ranking_matches_evaluations(void **state) {
  (void)state;
  fx f;
  random_model(&f, 77, 120);
  ranking r;
  rank_all(f.m, &f.p, &f.sp, 0, &r);
  size_t total = 0, held = 0;
  for (uint32_t a = 0; a < f.m->n_acct; a++) {
    memset(f.e, 0, sizeof(*f.e));
    score_account(f.m, &f.p, &f.sp, a, f.e);
    total += f.e->n_opps;
    for (size_t i = 0; i < f.e->n_opps; i++)
      held += f.e->opps[i].holds != 0;
  }
  assert_int_equal(r.total, total);
  assert_int_equal(r.total_held, held);
  /* Every entry is its opportunity's EV, propensity and hold. */
  for (size_t i = 0; i < r.n; i++) {
    memset(f.e, 0, sizeof(*f.e));
    score_account(f.m, &f.p, &f.sp, r.v[i].acct, f.e);
    const opp *o = fx_opp_of(f.e, r.v[i].type, r.v[i].cat);
    assert_true(r.v[i].ev == (float)o->ev);
    assert_true(r.v[i].propensity == (float)o->propensity);
    assert_int_equal(r.v[i].held, o->holds != 0);
  }
  ranking_free(&r);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cmp_order),
      cmocka_unit_test(rank_all_small),
      cmocka_unit_test(top_n_equals_full_sort),
      cmocka_unit_test(ranking_matches_evaluations),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
