/*
 * Look-alike statistics (core/peers.c): employee bands, the shrunk
 * global / industry / segment rates with leave-one-out counts, the basket
 * rate, seat ratios, nearest neighbours and the subsidiary index.
 */
#include "score_fixtures.h"

static const int32_t T = 19905; /* 2024-07-01 */

static void setup(fx *f) {
  fx_init(f, T);
  fx_std_catalogue(f);
}

static void bands(void **state) {
  (void)state;
  assert_int_equal(peers_band(NA), 0);
  assert_int_equal(peers_band(0), 1);
  assert_int_equal(peers_band(49), 1);
  assert_int_equal(peers_band(50), 2);
  assert_int_equal(peers_band(199), 2);
  assert_int_equal(peers_band(200), 3);
  assert_int_equal(peers_band(999), 3);
  assert_int_equal(peers_band(1000), 4);
  assert_int_equal(peers_band(4999), 4);
  assert_int_equal(peers_band(5000), 5);
  assert_string_equal(peers_band_name(0), "unknown size");
  assert_string_equal(peers_band_name(1), "1-49 employees");
  assert_string_equal(peers_band_name(3), "200-999 employees");
  assert_string_equal(peers_band_name(4), "1,000-4,999 employees");
  assert_string_equal(peers_band_name(5), "5,000+ employees");
  assert_string_equal(peers_band_name(6), "unknown size");
  assert_string_equal(peers_band_name(-1), "unknown size");
}

/* Ten accounts: Retail 200-999 (A, B, C, D, E), Retail 5,000+ (F, G),
   Energy 200-999 (H, I, J). B, C, D and H own Sync Lite. */
static void segment_model(fx *f) {
  setup(f);
  const char *retail[] = {"A", "B", "C", "D", "E"};
  for (int i = 0; i < 5; i++)
    fx_account(f, retail[i], "Retail", 500);
  fx_account(f, "F", "Retail", 6000);
  fx_account(f, "G", "retail", 6000); /* same industry, any case */
  fx_account(f, "H", "Energy", 500);
  fx_account(f, "I", "Energy", 500);
  fx_account(f, "J", "Energy", 500);
  const char *owners[] = {"B", "C", "D", "H"};
  for (int i = 0; i < 4; i++)
    fx_product(f, owners[i], "Sync Lite", 10, NA, NA);
  fx_finalize(f);
}

static void rate_segment_shrinkage(void **state) {
  (void)state;
  fx f;
  segment_model(&f);
  int q = fx_catidx(&f, "Sync Lite");
  peer_ev ev;
  /* A owns nothing: g = 4/9; industry i = (3 + 5g) / (6 + 5) = 47/99;
     segment s = (3 + 5i) / (4 + 5) = 532/891; rate = s. */
  double r = peers_rate(f.m, &f.p, fx_idx(&f, "A"), q, 5, &ev);
  assert_near(r, 532.0 / 891.0);
  assert_near(ev.rate, 532.0 / 891.0);
  assert_near(ev.seg_rate, 532.0 / 891.0);
  assert_int_equal(ev.seg_n, 4);
  assert_int_equal(ev.seg_own, 3);
  assert_string_equal(ev.industry, "Retail");
  assert_int_equal(ev.band, 3);
  assert_none(ev.basket_rate);
  assert_int_equal(ev.basket_from, -1);
  /* F: its segment (F, G) has one other account and no owner:
     s = (0 + 5 x 47/99) / (1 + 5) = 235/594. */
  r = peers_rate(f.m, &f.p, fx_idx(&f, "F"), q, 5, &ev);
  assert_near(r, 235.0 / 594.0);
  assert_int_equal(ev.seg_n, 1);
  assert_int_equal(ev.seg_own, 0);
  /* min_peers 1 borrows less: i = (3 + 4/9) / 7 = 31/63,
     s = (3 + 31/63) / 5 = 220/315. */
  r = peers_rate(f.m, &f.p, fx_idx(&f, "A"), q, 1, NULL);
  assert_near(r, 220.0 / 315.0);
  fx_free(&f);
}

static void rate_leave_one_out(void **state) {
  (void)state;
  fx f;
  segment_model(&f);
  int q = fx_catidx(&f, "Sync Lite");
  peer_ev ev;
  /* B owns q itself: g = 3/9, i = (2 + 5/3) / 11 = 1/3,
     s = (2 + 5/3) / 9 = 11/27; its only product is q: no basket. */
  double r = peers_rate(f.m, &f.p, fx_idx(&f, "B"), q, 5, &ev);
  assert_near(r, 11.0 / 27.0);
  assert_int_equal(ev.seg_n, 4);
  assert_int_equal(ev.seg_own, 2);
  assert_none(ev.basket_rate);
  fx_free(&f);
}

static void rate_industry_and_global(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* Industry known, size unknown: the industry rate. */
  fx_account(&f, "K", "Retail", NA);
  fx_account(&f, "L", "Retail", NA);
  fx_account(&f, "M", "Retail", NA);
  fx_product(&f, "L", "Sync Lite", 10, NA, NA);
  /* Neither known: the global rate. */
  fx_account(&f, "X", NULL, 300);
  fx_product(&f, "X", "Sync Lite", 10, NA, NA);
  fx_account(&f, "Y", NULL, NA);
  fx_finalize(&f);
  int q = fx_catidx(&f, "Sync Lite");
  peer_ev ev;
  /* K: g = 2/4; i = (1 + 5/2) / (2 + 5) = 1/2. */
  double r = peers_rate(f.m, &f.p, fx_idx(&f, "K"), q, 5, &ev);
  assert_near(r, 0.5);
  assert_int_equal(ev.seg_n, 2);
  assert_int_equal(ev.seg_own, 1);
  assert_string_equal(ev.industry, "Retail");
  assert_int_equal(ev.band, 0);
  /* Y: g = 2/4. */
  r = peers_rate(f.m, &f.p, fx_idx(&f, "Y"), q, 5, &ev);
  assert_near(r, 0.5);
  assert_int_equal(ev.seg_n, 4);
  assert_int_equal(ev.seg_own, 2);
  assert_null(ev.industry);
  assert_int_equal(ev.band, 0);
  /* X owns q: g = 1/4; industry unknown, band known: still global. */
  r = peers_rate(f.m, &f.p, fx_idx(&f, "X"), q, 5, &ev);
  assert_near(r, 0.25);
  assert_int_equal(ev.band, 3);
  assert_int_equal(ev.seg_own, 1);
  fx_free(&f);
}

static void rate_basket(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "P1", NULL, NA);
  fx_product(&f, "P1", "Core Basic", 10, NA, NA);
  fx_product(&f, "P1", "Sync Lite", 10, NA, NA);
  fx_account(&f, "P2", NULL, NA);
  fx_product(&f, "P2", "Core Basic", 10, NA, NA);
  fx_product(&f, "P2", "Sync Lite", 10, NA, NA);
  fx_account(&f, "P3", NULL, NA);
  fx_product(&f, "P3", "Core Basic", 10, NA, NA);
  fx_account(&f, "P4", NULL, NA);
  fx_product(&f, "P4", "Analytics", NA, NA, NA);
  fx_product(&f, "P4", "Sync Lite", 10, NA, NA);
  fx_account(&f, "A", NULL, NA);
  fx_product(&f, "A", "Core Basic", 10, NA, NA);
  fx_product(&f, "A", "Analytics", NA, NA, NA);
  fx_finalize(&f);
  peer_ev ev;
  /* g = s = 3/4. Basket: Core Basic owners other than A: 3, 2 of them own
     Sync Lite: (2 + 5 x 3/4) / (3 + 5) = 23/32; Analytics: 1 other owner,
     who owns it: (1 + 15/4) / (1 + 5) = 19/24; mean 145/192;
     rate (3/4 + 145/192) / 2 = 289/384. */
  double r = peers_rate(f.m, &f.p, fx_idx(&f, "A"), fx_catidx(&f, "Sync Lite"),
                        5, &ev);
  assert_near(ev.seg_rate, 0.75);
  assert_near(ev.basket_rate, 145.0 / 192.0);
  assert_near(r, 289.0 / 384.0);
  assert_int_equal(ev.basket_from, fx_catidx(&f, "Analytics"));
  assert_int_equal(ev.basket_n, 1);
  assert_int_equal(ev.basket_own, 1);
  fx_free(&f);
}

static void rate_undefined(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "ONLY", "Retail", 500);
  fx_finalize(&f);
  peer_ev ev;
  assert_none(peers_rate(f.m, &f.p, 0, 0, 5, &ev)); /* one account */
  assert_none(ev.rate);
  assert_int_equal(ev.basket_from, -1);
  fx_free(&f);
  segment_model(&f);
  assert_none(peers_rate(f.m, &f.p, 0, -1, 5, NULL));
  assert_none(peers_rate(f.m, &f.p, 0, (int)f.m->cat.n, 5, NULL));
  fx_free(&f);
}

static void industries_case_insensitive(void **state) {
  (void)state;
  fx f;
  segment_model(&f);
  assert_int_equal(f.p.n_ind, 3); /* none, Retail, Energy */
  assert_int_equal(f.p.acct_ind[fx_idx(&f, "F")],
                   f.p.acct_ind[fx_idx(&f, "G")]);
  assert_int_equal(f.p.ind_n[f.p.acct_ind[fx_idx(&f, "A")]], 7);
  assert_int_equal(f.p.glob_n, 10);
  assert_int_equal(f.p.glob_own[fx_catidx(&f, "Sync Lite")], 4);
  fx_free(&f);
}

static void seat_ratios(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "SA", NULL, NA);
  fx_product(&f, "SA", "Core Basic", 100, NA, NA);
  fx_product(&f, "SA", "Sync Lite", 50, NA, NA); /* 0.5 */
  fx_account(&f, "SB", NULL, NA);
  fx_product(&f, "SB", "Core Basic", 200, NA, NA);
  fx_product(&f, "SB", "Sync Lite", 50, NA, NA); /* 0.25 */
  fx_account(&f, "SC", NULL, NA);
  fx_product(&f, "SC", "Sync Lite", 40, NA, NA); /* 1: its largest */
  fx_account(&f, "SD", NULL, NA);
  fx_product(&f, "SD", "Analytics", NA, NA, NA); /* flat only */
  fx_account(&f, "SE", NULL, NA);
  fx_product(&f, "SE", "Sync Plus", 10, NA, NA);
  fx_product(&f, "SE", "Core Basic", NA, NA, NA); /* no seats */
  fx_finalize(&f);
  assert_near(f.p.seat_ratio[fx_catidx(&f, "Sync Lite")], 0.5);
  assert_int_equal(f.p.seat_ratio_n[fx_catidx(&f, "Sync Lite")], 3);
  assert_near(f.p.seat_ratio[fx_catidx(&f, "Core Basic")], 1);
  assert_int_equal(f.p.seat_ratio_n[fx_catidx(&f, "Core Basic")], 2);
  assert_near(f.p.seat_ratio[fx_catidx(&f, "Sync Plus")], 1);
  assert_none(f.p.seat_ratio[fx_catidx(&f, "Core Pro")]);
  assert_int_equal(f.p.seat_ratio_n[fx_catidx(&f, "Core Pro")], 0);
  assert_none(f.p.seat_ratio[fx_catidx(&f, "Analytics")]);
  fx_free(&f);
  /* An even count: the mean of the middle two, (0.25 + 0.5) / 2. */
  setup(&f);
  fx_account(&f, "SA", NULL, NA);
  fx_product(&f, "SA", "Core Basic", 100, NA, NA);
  fx_product(&f, "SA", "Sync Lite", 50, NA, NA);
  fx_account(&f, "SB", NULL, NA);
  fx_product(&f, "SB", "Core Basic", 200, NA, NA);
  fx_product(&f, "SB", "Sync Lite", 50, NA, NA);
  fx_account(&f, "SC", NULL, NA);
  fx_product(&f, "SC", "Sync Lite", 40, NA, NA);
  fx_account(&f, "SF", NULL, NA);
  fx_product(&f, "SF", "Core Basic", 100, NA, NA);
  fx_product(&f, "SF", "Sync Lite", 25, NA, NA);
  fx_finalize(&f);
  assert_near(f.p.seat_ratio[fx_catidx(&f, "Sync Lite")], 0.375);
  assert_int_equal(f.p.seat_ratio_n[fx_catidx(&f, "Sync Lite")], 4);
  fx_free(&f);
}

static void neighbours_order(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "N0", "Retail", 1000);
  fx_product(&f, "N0", "Core Basic", 10, NA, NA);
  fx_product(&f, "N0", "Sync Lite", 10, NA, NA);
  fx_account(&f, "N1", "Retail", 1000); /* identical: 1 */
  fx_product(&f, "N1", "Core Basic", 10, NA, NA);
  fx_product(&f, "N1", "Sync Lite", 10, NA, NA);
  fx_account(&f, "N2", "Retail", 99); /* smaller, half the products */
  fx_product(&f, "N2", "Core Basic", 10, NA, NA);
  fx_account(&f, "N3", "Energy", 1000); /* other industry */
  fx_product(&f, "N3", "Core Basic", 10, NA, NA);
  fx_product(&f, "N3", "Sync Lite", 10, NA, NA);
  fx_account(&f, "N4", NULL, NA); /* nothing in common */
  fx_account(&f, "N5", "Energy", 1000);
  fx_product(&f, "N5", "Sync Lite", 10, NA, NA);
  fx_account(&f, "N6", "Energy", 1000); /* ties with N5 */
  fx_product(&f, "N6", "Sync Lite", 10, NA, NA);
  fx_finalize(&f);
  uint32_t idx[8];
  double sim[8];
  size_t n = peers_neighbours(f.m, &f.p, fx_idx(&f, "N0"), 8, idx, sim);
  assert_int_equal(n, 6);
  const char *want[] = {"N1", "N2", "N3", "N5", "N6", "N4"};
  double d2 = fabs(log10(1001.0) - log10(100.0)) / 2;
  double wsim[] = {1.0,
                   0.35 + 0.25 * (1 - d2) + 0.4 * 0.5,
                   0.25 + 0.4,
                   0.25 + 0.4 * 0.5,
                   0.25 + 0.4 * 0.5,
                   0};
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(idx[i], fx_idx(&f, want[i]));
    assert_near(sim[i], wsim[i]);
  }
  /* The best 3 only. */
  n = peers_neighbours(f.m, &f.p, fx_idx(&f, "N0"), 3, idx, sim);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(idx[i], fx_idx(&f, want[i]));
  fx_free(&f);
}

static void subsidiaries_index(void **state) {
  (void)state;
  fx f;
  setup(&f);
  fx_account(&f, "P", NULL, NA);
  const char *kids[] = {"C1", "X", "C2"};
  for (int i = 0; i < 3; i++) {
    exd_record r = fx_rec(EXD_REC_ACCOUNT, kids[i]);
    if (i != 1) r.u.account.parent.crm_id = "P";
    fx_add(&f, &r);
  }
  fx_finalize(&f);
  uint32_t p = fx_idx(&f, "P");
  assert_int_equal(f.p.child_off[p + 1] - f.p.child_off[p], 2);
  assert_int_equal(f.p.child_idx[f.p.child_off[p]], fx_idx(&f, "C1"));
  assert_int_equal(f.p.child_idx[f.p.child_off[p] + 1], fx_idx(&f, "C2"));
  uint32_t x = fx_idx(&f, "X");
  assert_int_equal(f.p.child_off[x + 1] - f.p.child_off[x], 0);
  fx_free(&f);
}

static void seat_ratio_ignores_ended_products(void **state) {
  (void)state;
  fx f;
  setup(&f);
  /* The ended 1,000-seat Core Basic is not the largest deployment: Sync
     Lite's share is 50 / 50, not 50 / 1,000. */
  fx_account(&f, "A", NULL, NA);
  exd_record r = fx_rec(EXD_REC_PRODUCT, "A");
  r.u.product.product = "Core Basic";
  r.u.product.seats_purchased = 1000;
  r.u.product.end = T - 1;
  fx_add(&f, &r);
  fx_product(&f, "A", "Sync Lite", 50, NA, NA);
  fx_finalize(&f);
  assert_near(f.p.seat_ratio[fx_catidx(&f, "Sync Lite")], 1);
  assert_none(f.p.seat_ratio[fx_catidx(&f, "Core Basic")]);
  assert_int_equal(f.p.glob_own[fx_catidx(&f, "Core Basic")], 0);
  fx_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bands),
      cmocka_unit_test(rate_segment_shrinkage),
      cmocka_unit_test(rate_leave_one_out),
      cmocka_unit_test(rate_industry_and_global),
      cmocka_unit_test(rate_basket),
      cmocka_unit_test(rate_undefined),
      cmocka_unit_test(industries_case_insensitive),
      cmocka_unit_test(seat_ratios),
      cmocka_unit_test(neighbours_order),
      cmocka_unit_test(subsidiaries_index),
      cmocka_unit_test(seat_ratio_ignores_ended_products),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
