/*
 * Look-alike statistics (pure). A segment is (industry, employee band).
 * For an account a and a product q, with m = min_peers and counts taken
 * leave-one-out (a itself excluded):
 *   global   g = owners(q) / accounts
 *   industry i = (owners in industry + m g) / (accounts in industry + m)
 *   segment  s = (owners in segment + m i) / (accounts in segment + m)
 *   basket   b = mean over products p that a owns of
 *                (owners of p and q + m g) / (owners of p + m)
 *   rate     = (s + b) / 2, or s when a owns nothing in the catalogue;
 *              absent when there are fewer than two other accounts.
 * Small groups thus borrow from the wider group instead of swinging on a
 * handful of accounts.
 *
 * Seat ratio of a per-seat product q: the median, over accounts owning q
 * with seats, of seats(q) / the account's largest per-seat deployment. A
 * cross-sell of q is sized as that share of the candidate's largest
 * deployment: owners of an analytics add-on typically license it for a
 * part of their users, not all of them. Counts are one pass over the accounts:
 * O(n x P^2) with P <= 64 products, so 1M accounts are fine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"
#include "score.h"

int peers_band(double employees) {
  if (EXD_IS_NONE(employees)) return 0;
  if (employees < 50) return 1;
  if (employees < 200) return 2;
  if (employees < 1000) return 3;
  if (employees < 5000) return 4;
  return 5;
}

const char *peers_band_name(int band) {
  static const char *const names[] = {
      "unknown size",      "1-49 employees",        "50-199 employees",
      "200-999 employees", "1,000-4,999 employees", "5,000+ employees"};
  return band >= 0 && band < PEER_BANDS ? names[band] : names[0];
}

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return x < y ? -1 : x > y;
}

void peers_build(const model *m, peers *p) {
  memset(p, 0, sizeof(*p));
  size_t n = m->n_acct, P = m->cat.n ? m->cat.n : 1;
  p->n_acct = n;
  p->n_prod = P;
  p->acct_ind = xcalloc(n ? n : 1, sizeof(*p->acct_ind));
  p->acct_band = xcalloc(n ? n : 1, sizeof(*p->acct_band));
  VEC(const char *) inds = {0};
  VEC_PUSH(&inds, (const char *)NULL);
  hmap cache = {0};
  for (size_t i = 0; i < n; i++) {
    const char *ind = m->acct[i].industry;
    uint32_t k = 0;
    if (ind) {
      k = hmap_get(&cache, (uint64_t)(uintptr_t)ind);
      if (k == UINT32_MAX) {
        for (k = 1; k < inds.n; k++)
          if (str_ieq(inds.v[k], ind)) break;
        if (k == inds.n) VEC_PUSH(&inds, ind);
        hmap_put(&cache, (uint64_t)(uintptr_t)ind, k);
      }
    }
    p->acct_ind[i] = (uint16_t)(k < UINT16_MAX ? k : 0);
    p->acct_band[i] = (uint8_t)peers_band(m->acct[i].employees);
  }
  hmap_free(&cache);
  p->industries = inds.v;
  p->n_ind = inds.n;
  size_t NI = p->n_ind, NS = NI * PEER_BANDS;
  p->ind_n = xcalloc(NI, sizeof(uint32_t));
  p->ind_own = xcalloc(NI * P, sizeof(uint32_t));
  p->seg_n = xcalloc(NS, sizeof(uint32_t));
  p->seg_own = xcalloc(NS * P, sizeof(uint32_t));
  p->co = xcalloc(P * P, sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    uint64_t own = m->acct[i].owned;
    size_t ind = p->acct_ind[i], seg = ind * PEER_BANDS + p->acct_band[i];
    p->glob_n++;
    p->ind_n[ind]++;
    p->seg_n[seg]++;
    for (uint64_t o = own; o; o &= o - 1) {
      int q = __builtin_ctzll(o);
      p->glob_own[q]++;
      p->ind_own[ind * P + q]++;
      p->seg_own[seg * P + q]++;
      for (uint64_t o2 = own; o2; o2 &= o2 - 1)
        p->co[(size_t)q * P + (size_t)__builtin_ctzll(o2)]++;
    }
  }
  /* Seat ratios. */
  {
    VEC(float) r[CATALOG_MAX];
    memset(r, 0, sizeof(r));
    for (size_t i = 0; i < n; i++) {
      const m_account *a = &m->acct[i];
      size_t np;
      const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &np);
      double big = 0;
      for (size_t k = 0; k < np; k++)
        if (score_seat_product(m, &pr[k]) && pr[k].seats_purchased > big)
          big = pr[k].seats_purchased;
      if (!(big > 0)) continue;
      for (size_t k = 0; k < np; k++)
        if (score_seat_product(m, &pr[k]))
          VEC_PUSH(&r[pr[k].cat], (float)(pr[k].seats_purchased / big));
    }
    for (size_t q = 0; q < CATALOG_MAX; q++) {
      p->seat_ratio[q] = EXD_NONE;
      p->seat_ratio_n[q] = (uint32_t)r[q].n;
      if (r[q].n) {
        qsort(r[q].v, r[q].n, sizeof(float), cmp_float);
        size_t h = r[q].n / 2;
        p->seat_ratio[q] =
            r[q].n % 2 ? r[q].v[h] : (r[q].v[h - 1] + r[q].v[h]) / 2.0;
      }
      free(r[q].v);
    }
  }
  /* Subsidiaries (CSR by parent). */
  p->child_off = xcalloc(n + 1, sizeof(uint32_t));
  for (size_t i = 0; i < n; i++)
    if (m->acct[i].parent >= 0) p->child_off[m->acct[i].parent + 1]++;
  for (size_t i = 0; i < n; i++)
    p->child_off[i + 1] += p->child_off[i];
  p->child_idx =
      xcalloc(p->child_off[n] ? p->child_off[n] : 1, sizeof(uint32_t));
  uint32_t *fill = xcalloc(n ? n : 1, sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    int32_t par = m->acct[i].parent;
    if (par >= 0) p->child_idx[p->child_off[par] + fill[par]++] = (uint32_t)i;
  }
  free(fill);
}

void peers_free(peers *p) {
  free(p->acct_ind);
  free(p->acct_band);
  free(p->industries);
  free(p->ind_n);
  free(p->ind_own);
  free(p->seg_n);
  free(p->seg_own);
  free(p->co);
  free(p->child_off);
  free(p->child_idx);
  memset(p, 0, sizeof(*p));
}

double peers_rate(const model *m, const peers *p, uint32_t a, int q,
                  int min_peers, peer_ev *ev) {
  peer_ev local;
  if (!ev) ev = &local;
  memset(ev, 0, sizeof(*ev));
  ev->rate = ev->seg_rate = ev->basket_rate = EXD_NONE;
  ev->basket_from = -1;
  /* Fewer than two other accounts: nothing to compare with (one other
     owner would make "100% of similar customers"). */
  if (q < 0 || (size_t)q >= p->n_prod || p->glob_n < 3) return EXD_NONE;
  size_t P = p->n_prod;
  uint64_t own = m->acct[a].owned;
  uint32_t self_q = (own >> q) & 1;
  double M = min_peers;
  double g = (double)(p->glob_own[q] - self_q) / (double)(p->glob_n - 1);
  size_t ind = p->acct_ind[a], band = p->acct_band[a];
  double r = g;
  if (ind) {
    double n = p->ind_n[ind] - 1, o = p->ind_own[ind * P + q] - self_q;
    r = (o + M * g) / (n + M);
  }
  ev->industry = ind ? p->industries[ind] : NULL;
  ev->band = (int)band;
  if (ind && band) {
    size_t seg = ind * PEER_BANDS + band;
    ev->seg_n = p->seg_n[seg] - 1;
    ev->seg_own = p->seg_own[seg * P + q] - self_q;
    r = (ev->seg_own + M * r) / (ev->seg_n + M);
  } else if (ind) {
    ev->seg_n = p->ind_n[ind] - 1;
    ev->seg_own = p->ind_own[ind * P + q] - self_q;
  } else {
    ev->seg_n = p->glob_n - 1;
    ev->seg_own = p->glob_own[q] - self_q;
  }
  ev->seg_rate = r;
  double bsum = 0, best = -1;
  int nb = 0;
  for (uint64_t o = own; o; o &= o - 1) {
    int pp = __builtin_ctzll(o);
    if (pp == q) continue;
    double n = (double)p->glob_own[pp] - 1;
    double both = (double)p->co[(size_t)pp * P + (size_t)q] - self_q;
    double b = (both + M * g) / (n + M);
    bsum += b;
    nb++;
    if (b > best) {
      best = b;
      ev->basket_from = pp;
      ev->basket_n = (uint32_t)n;
      ev->basket_own = (uint32_t)both;
    }
  }
  if (nb) {
    ev->basket_rate = bsum / nb;
    ev->rate = (r + ev->basket_rate) / 2.0;
  } else {
    ev->rate = r;
  }
  return ev->rate;
}

size_t peers_neighbours(const model *m, const peers *p, uint32_t a, size_t k,
                        uint32_t *idx, double *sim) {
  size_t got = 0;
  const m_account *x = &m->acct[a];
  double lx = EXD_IS_NONE(x->employees) ? EXD_NONE : log10(x->employees + 1);
  for (size_t i = 0; i < m->n_acct; i++) {
    if (i == a) continue;
    const m_account *y = &m->acct[i];
    double s = 0;
    if (p->acct_ind[a] && p->acct_ind[a] == p->acct_ind[i]) s += 0.35;
    if (!EXD_IS_NONE(lx) && !EXD_IS_NONE(y->employees)) {
      double d = fabs(lx - log10(y->employees + 1)) / 2.0;
      s += 0.25 * (d > 1 ? 0 : 1 - d);
    }
    uint64_t u = x->owned | y->owned, n = x->owned & y->owned;
    if (u)
      s += 0.40 * (double)__builtin_popcountll(n) / __builtin_popcountll(u);
    /* insert into the top-k (ties: lower index first) */
    size_t pos = got;
    while (pos > 0 && sim[pos - 1] < s)
      pos--;
    if (pos >= k) continue;
    size_t last = got < k ? got : k - 1;
    for (size_t j = last; j > pos; j--) {
      idx[j] = idx[j - 1];
      sim[j] = sim[j - 1];
    }
    idx[pos] = (uint32_t)i;
    sim[pos] = s;
    if (got < k) got++;
  }
  return got;
}
