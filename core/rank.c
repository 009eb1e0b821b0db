/* Ranking of scored opportunities; see score.h (rank_*). */
#include <stdlib.h>
#include <string.h>

#include "score.h"

int rank_cmp(const model *m, const rank_entry *a, const rank_entry *b) {
  if (a->held != b->held) return a->held - b->held;
  if (a->ev != b->ev) return a->ev > b->ev ? -1 : 1;
  if (a->propensity != b->propensity)
    return a->propensity > b->propensity ? -1 : 1;
  if (a->acct != b->acct) {
    const char *na = m->acct[a->acct].name, *nb = m->acct[b->acct].name;
    int c = strcmp(na ? na : "", nb ? nb : "");
    if (c) return c;
    return a->acct < b->acct ? -1 : 1;
  }
  if (a->type != b->type) return a->type - b->type;
  return a->cat - b->cat;
}

/* Bounded max-heap on rank order: v[0] is the worst entry kept. */
static void sift_down(const model *m, rank_entry *v, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, w = i;
    if (l < n && rank_cmp(m, &v[l], &v[w]) > 0) w = l;
    if (r < n && rank_cmp(m, &v[r], &v[w]) > 0) w = r;
    if (w == i) return;
    rank_entry t = v[i];
    v[i] = v[w];
    v[w] = t;
    i = w;
  }
}

static void sift_up(const model *m, rank_entry *v, size_t i) {
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (rank_cmp(m, &v[i], &v[p]) <= 0) return;
    rank_entry t = v[i];
    v[i] = v[p];
    v[p] = t;
    i = p;
  }
}

static void add(const model *m, ranking *out, size_t *cap, size_t keep,
                const rank_entry *r) {
  if (keep && out->n == keep) {
    if (rank_cmp(m, r, &out->v[0]) >= 0) return;
    out->v[0] = *r;
    sift_down(m, out->v, out->n, 0);
    return;
  }
  if (out->n == *cap) xgrow((void **)&out->v, cap, out->n + 1, sizeof(*out->v));
  out->v[out->n++] = *r;
  if (keep) sift_up(m, out->v, out->n - 1);
}

void rank_range(const model *m, const peers *p, const score_params *sp,
                uint32_t from, uint32_t to, size_t keep, ranking *out) {
  memset(out, 0, sizeof(*out));
  size_t cap = 0;
  acct_eval *e = xmalloc(sizeof(*e));
  for (uint32_t a = from; a < to; a++) {
    score_account(m, p, sp, a, e);
    out->accounts_scored++;
    for (size_t i = 0; i < e->n_opps; i++) {
      const opp *o = &e->opps[i];
      rank_entry r = {a,      o->type,      o->holds ? 1 : 0,
                      o->cat, (float)o->ev, (float)o->propensity};
      out->total++;
      out->total_held += r.held;
      add(m, out, &cap, keep, &r);
    }
  }
  free(e);
}

static int cmp_sort(const void *x, const void *y, void *ctx) {
  return rank_cmp(ctx, x, y);
}

void rank_sort(const model *m, ranking *r, size_t keep) {
  qsort_r(r->v, r->n, sizeof(*r->v), cmp_sort, (void *)m);
  if (keep && r->n > keep) r->n = keep;
}

void rank_all(const model *m, const peers *p, const score_params *sp,
              size_t keep, ranking *out) {
  rank_range(m, p, sp, 0, (uint32_t)m->n_acct, keep, out);
  rank_sort(m, out, keep);
}

void ranking_free(ranking *r) {
  free(r->v);
  memset(r, 0, sizeof(*r));
}
