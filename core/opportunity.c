/*
 * Opportunities, propensity, uplift, expected value and ranking (pure).
 *
 * Candidates per account:
 *   upsell          per owned family: the next tier above the highest owned
 *                   one, when it exists and is not owned.
 *   cross_sell      per family the account owns nothing of: the product of
 *                   that family most owned by look-alikes (ties: lower tier).
 *   seat_expansion  per owned per-seat product with seats purchased: when
 *                   utilization >= seat_threshold or seats are forecast to
 *                   run out within horizon_days.
 *   use_case_expansion  the strongest new_use_case signal, on the product
 *                   it names or else the account's main per-seat product.
 *
 * Propensity = clamp(base + signal points, 1, 99) where
 *   base   = component_share x sum(w_c x C_c) / sum(w_c) over the
 *            components present (health, usage, engagement, timing,
 *            similar); component_share x 50 when none is. Components say
 *            how ready an account is; with the default share 0.6 a perfect
 *            account with no signal of need scores 60, not 100;
 *   points = sum over the account's signals of
 *            points[signal] x strength x applicability(signal, opportunity)
 *            (applicability: see apply_factor below).
 * similar = 100 x peers_rate(target product) for upsell and cross-sell;
 * absent for seat and use-case expansion.
 *
 * Uplift (per year):
 *   upsell      (list(target) - list(current)) x quantity of the current
 *               product (seats, or units of a flat product; 1 if unknown);
 *   cross_sell  list(target) x estimated seats for per-seat products (the
 *               largest owned per-seat deployment x the median share that
 *               owners of the target license it for -- see peers.c -- else
 *               the latest active users, else 10% of employees, else 1),
 *               list(target) for flat ones;
 *   seat        extra seats x unit price (the product's, else list), extra
 *               = ceil((1 + seat_headroom) x max(active, the trend's
 *               forecast at the next renewal, or at the horizon when the
 *               renewal is further or unknown) - purchased); no proposal
 *               when that is < 1 (busy, but enough seats) or under 5% of
 *               the seats purchased (not worth its own conversation);
 *   use case    users of the new department (10 if unknown: "estimated") x
 *               unit price of the product.
 * Expected value = propensity / 100 x uplift.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

/* ---- params and names ---- */

static const char *const comp_names[COMP__COUNT] = {
    "health", "usage", "engagement", "timing", "similar"};
static const char *const sig_names[SIG__COUNT] = {
    "usage_ceiling",        "new_use_case",     "org_growth",
    "intent_alignment",     "new_stakeholder",  "health_improving",
    "related_account_owns", "health_declining", "champion_left",
    "open_escalation",      "lost_deal"};
static const double sig_default_points[SIG__COUNT] = {15, 10,  8,   12,  5, 6,
                                                      6,  -15, -12, -10, -8};
static const double comp_default_weights[COMP__COUNT] = {0.25, 0.25, 0.20, 0.10,
                                                         0.20};

const char *comp_name(int c) {
  return c >= 0 && c < COMP__COUNT ? comp_names[c] : "?";
}
const char *sig_name(int s) {
  return s >= 0 && s < SIG__COUNT ? sig_names[s] : "?";
}

const char *opp_type_name(int t) {
  switch (t) {
  case EXD_OPP_UPSELL: return "upsell";
  case EXD_OPP_CROSS_SELL: return "cross_sell";
  case EXD_OPP_SEAT_EXPANSION: return "seat_expansion";
  case EXD_OPP_USE_CASE: return "use_case_expansion";
  default: return "?";
  }
}

void score_params_default(score_params *p) {
  memcpy(p->weight, comp_default_weights, sizeof(p->weight));
  memcpy(p->points, sig_default_points, sizeof(p->points));
  p->seat_threshold = 0.85;
  p->horizon_days = 180;
  p->window_days = 90;
  p->recent_days = 90;
  p->stale_days = 365;
  p->min_peers = 5;
  p->hold_health_below = 40;
  p->component_share = 0.6;
  p->seat_headroom = 0.10;
}

void score_params_from_config(score_params *p, const exd_node *sc) {
  score_params_default(p);
  if (!sc) return;
  const exd_node *w = cfg_get(sc, "weights"), *s = cfg_get(sc, "signals");
  for (int i = 0; i < COMP__COUNT; i++)
    p->weight[i] = cfg_get_double(w, comp_names[i], p->weight[i]);
  for (int i = 0; i < SIG__COUNT; i++)
    p->points[i] = cfg_get_double(s, sig_names[i], p->points[i]);
  p->seat_threshold = cfg_get_double(sc, "seat_threshold", p->seat_threshold);
  p->horizon_days = (int)cfg_get_int(sc, "horizon_days", p->horizon_days);
  p->window_days = (int)cfg_get_int(sc, "window_days", p->window_days);
  p->recent_days = (int)cfg_get_int(sc, "recent_days", p->recent_days);
  p->stale_days = (int)cfg_get_int(sc, "stale_days", p->stale_days);
  p->min_peers = (int)cfg_get_int(sc, "min_peers", p->min_peers);
  p->hold_health_below =
      cfg_get_double(sc, "hold_health_below", p->hold_health_below);
  p->seat_headroom = cfg_get_double(sc, "seat_headroom", p->seat_headroom);
  p->component_share =
      cfg_get_double(sc, "component_share", p->component_share);
}

/* ---- helpers ---- */

static const m_product *owned_product(const model *m, const m_account *a,
                                      int cat) {
  size_t n;
  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &n);
  for (size_t i = 0; i < n; i++)
    if (pr[i].cat == cat &&
        (pr[i].end == EXD_DATE_NONE || pr[i].end >= m->as_of))
      return &pr[i];
  return NULL;
}

static int same_family(const model *m, int a, int b) {
  return a >= 0 && b >= 0 && m->cat.v[a].family_idx == m->cat.v[b].family_idx;
}

/* How much of a signal's points apply to an opportunity (0..1). */
static double apply_factor(const model *m, const exsig *s, const opp *o) {
  int t = o->type;
  switch (s->kind) {
  case SIG_USAGE_CEILING:
    if (t == EXD_OPP_SEAT_EXPANSION)
      return s->cat == o->from_cat && s->s[0] && !strcmp(s->s[0], "seats") ? 1
                                                                           : 0;
    if (t == EXD_OPP_UPSELL) return s->cat == o->from_cat || s->cat < 0 ? 1 : 0;
    return 0;
  case SIG_NEW_USE_CASE:
    if (t == EXD_OPP_USE_CASE) return o->dept && s->s[0] == o->dept ? 1 : 0.5;
    return 0.5;
  case SIG_ORG_GROWTH:
    return t == EXD_OPP_SEAT_EXPANSION || t == EXD_OPP_USE_CASE ? 1 : 0.5;
  case SIG_INTENT:
    if (s->cat == o->cat) return t == EXD_OPP_SEAT_EXPANSION ? 0.5 : 1;
    if ((t == EXD_OPP_UPSELL || t == EXD_OPP_CROSS_SELL) &&
        same_family(m, s->cat, o->cat))
      return 0.5;
    return 0;
  case SIG_NEW_STAKEHOLDER: return t == EXD_OPP_SEAT_EXPANSION ? 0.5 : 1;
  case SIG_RELATED_OWNS:
  case SIG_LOST_DEAL:
    return (t == EXD_OPP_UPSELL || t == EXD_OPP_CROSS_SELL) && s->cat == o->cat
               ? 1
               : 0;
  case SIG_HEALTH_UP:
  case SIG_HEALTH_DOWN:
  case SIG_CHAMPION_LEFT:
  case SIG_ESCALATION: return 1;
  default: return 0;
  }
}

/* Seats for a per-seat cross-sell of q: the account's largest per-seat
   deployment x the median share owners of q license it for; without such
   a deployment, the latest active users, 10% of employees, or 1. */
static double cross_seats(const model *m, const peers *p,
                          const score_params *sp, const m_account *a, int q,
                          int *estimated) {
  size_t n, nu;
  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &n);
  double best = EXD_NONE;
  for (size_t i = 0; i < n; i++)
    if (score_seat_product(m, &pr[i]) &&
        (EXD_IS_NONE(best) || pr[i].seats_purchased > best))
      best = pr[i].seats_purchased;
  if (!EXD_IS_NONE(best)) {
    double r = p->seat_ratio[q];
    *estimated = 1;
    if (EXD_IS_NONE(r)) return best;
    double s = round(best * r);
    return s < 1 ? 1 : s;
  }
  *estimated = 1;
  const m_usage *us = MODEL_SLICE(m, a, MK_USAGE, m_usage, &nu);
  int32_t ld = EXD_DATE_NONE;
  for (size_t i = 0; i < nu; i++)
    if (!us[i].dept && us[i].cat < 0 && !isnan(us[i].active) &&
        us[i].date >= m->as_of - sp->stale_days &&
        (ld == EXD_DATE_NONE || us[i].date >= ld)) {
      ld = us[i].date;
      best = us[i].active;
    }
  if (!EXD_IS_NONE(best) && best >= 1) return best;
  if (!EXD_IS_NONE(a->employees) && a->employees >= 10)
    return round(a->employees * 0.1);
  return 1;
}

/* A price from the account's own data, converted to the reporting
   currency; the list price when there is none or no exchange rate. */
static double own_price(const model *m, const m_account *a, double own,
                        double list) {
  double fx = model_fx(m, a->currency);
  return own > 0 && !EXD_IS_NONE(fx) ? own * fx : list;
}

static opp *new_opp(acct_eval *e, int type, int cat, int from) {
  if (e->n_opps >= OPP_MAX) return NULL;
  opp *o = &e->opps[e->n_opps++];
  memset(o, 0, sizeof(*o));
  o->type = (uint8_t)type;
  o->cat = (int16_t)cat;
  o->from_cat = (int16_t)from;
  o->seats = o->unit_price = o->similar = EXD_NONE;
  o->ceiling_date = EXD_DATE_NONE;
  o->open_opp = -1;
  return o;
}

static void candidates(const model *m, const peers *p, const score_params *sp,
                       uint32_t ai, acct_eval *e) {
  const m_account *a = &m->acct[ai];
  const catalog *c = &m->cat;
  for (size_t f = 0; f < c->n_families; f++) {
    int top = 0, top_cat = -1;
    for (size_t q = 0; q < c->n; q++)
      if (c->v[q].family_idx == (int)f && ((a->owned >> q) & 1) &&
          c->v[q].tier > top) {
        top = c->v[q].tier;
        top_cat = (int)q;
      }
    if (top_cat >= 0) {
      int next = catalog_at_tier(c, (int)f, top + 1);
      if (next < 0 || ((a->owned >> next) & 1)) continue;
      const m_product *cur = owned_product(m, a, top_cat);
      double qty =
          cur && cur->seats_purchased > 0 ? cur->seats_purchased : EXD_NONE;
      double diff = c->v[next].list_price - c->v[top_cat].list_price;
      if (!(diff > 0)) continue;
      opp *o = new_opp(e, EXD_OPP_UPSELL, next, top_cat);
      if (!o) return;
      o->seats = EXD_IS_NONE(qty) ? 1 : qty;
      o->seats_estimated = EXD_IS_NONE(qty);
      o->unit_price = diff;
      o->uplift = diff * o->seats;
      o->similar = 100.0 * peers_rate(m, p, ai, next, sp->min_peers, &o->peer);
    } else {
      int best = -1;
      double br = -1;
      peer_ev bev;
      for (size_t q = 0; q < c->n; q++) {
        if (c->v[q].family_idx != (int)f) continue;
        peer_ev ev;
        double r = peers_rate(m, p, ai, (int)q, sp->min_peers, &ev);
        if (EXD_IS_NONE(r)) r = 0;
        if (best < 0 || r > br || (r == br && c->v[q].tier < c->v[best].tier)) {
          best = (int)q;
          br = r;
          bev = ev;
        }
      }
      if (best < 0) continue;
      opp *o = new_opp(e, EXD_OPP_CROSS_SELL, best, -1);
      if (!o) return;
      o->peer = bev;
      o->similar = EXD_IS_NONE(bev.rate) ? EXD_NONE : 100.0 * bev.rate;
      if (c->v[best].pricing == EXD_PRICE_PER_SEAT) {
        o->seats = cross_seats(m, p, sp, a, best, &o->seats_estimated);
        o->unit_price = c->v[best].list_price;
        o->uplift = o->unit_price * o->seats;
      } else {
        o->unit_price = c->v[best].list_price;
        o->uplift = o->unit_price;
      }
    }
  }
  /* Seat expansion. */
  size_t np;
  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &np);
  int per_seat = 0;
  for (size_t i = 0; i < np; i++)
    if (score_seat_product(m, &pr[i])) per_seat++;
  for (size_t i = 0; i < np; i++) {
    const m_product *x = &pr[i];
    if (!score_seat_product(m, x)) continue;
    double active = score_product_active(m, sp, a, x, per_seat);
    if (EXD_IS_NONE(active)) continue;
    const exsig *ceil_sig = NULL;
    for (size_t k = 0; k < e->n_sig; k++)
      if (e->sig[k].kind == SIG_USAGE_CEILING && e->sig[k].cat == x->cat &&
          e->sig[k].s[0] && !strcmp(e->sig[k].s[0], "seats"))
        ceil_sig = &e->sig[k];
    double util = active / x->seats_purchased;
    int32_t when = ceil_sig ? ceil_sig->d[0] : EXD_DATE_NONE;
    int soon = when != EXD_DATE_NONE && when - m->as_of <= sp->horizon_days;
    if (util < sp->seat_threshold && !soon) continue;
    /* Size the true-up for the next renewal (or the horizon): today's
       active seats or the trend's forecast then, plus headroom. */
    int32_t size_date = timing_next_renewal(a, m->as_of);
    if (size_date == EXD_DATE_NONE || size_date <= m->as_of ||
        size_date > m->as_of + sp->horizon_days)
      size_date = m->as_of + sp->horizon_days;
    double per30 =
        ceil_sig && !EXD_IS_NONE(ceil_sig->v[2]) ? ceil_sig->v[2] : 0;
    double future =
        active + (per30 > 0 ? per30 / 30.0 * (size_date - m->as_of) : 0);
    double need =
        (1.0 + sp->seat_headroom) * fmax(active, future) - x->seats_purchased;
    double extra = ceil(need - 1e-9);
    /* Busy, but enough seats even with headroom; or a true-up under 5% of
       the deployment, not worth its own conversation. */
    if (extra < 1 || extra < ceil(0.05 * x->seats_purchased - 1e-9)) continue;
    opp *o = new_opp(e, EXD_OPP_SEAT_EXPANSION, x->cat, x->cat);
    if (!o) return;
    o->seats = extra;
    o->unit_price = own_price(m, a, x->unit_price, c->v[x->cat].list_price);
    o->uplift = extra * o->unit_price;
    o->ceiling_date = when;
    o->size_date = size_date;
    o->size_active = fmax(active, future);
  }
  /* Use-case expansion: the strongest new department. */
  const exsig *uc = NULL;
  for (size_t k = 0; k < e->n_sig; k++)
    if (e->sig[k].kind == SIG_NEW_USE_CASE &&
        (!uc || e->sig[k].strength > uc->strength))
      uc = &e->sig[k];
  if (uc) {
    const m_product *target = NULL;
    if (uc->cat >= 0 && c->v[uc->cat].pricing == EXD_PRICE_PER_SEAT)
      target = owned_product(m, a, uc->cat);
    for (size_t i = 0; i < np && !target; i++)
      if (score_seat_product(m, &pr[i])) target = &pr[i];
    for (size_t i = 0; i < np && target; i++) /* prefer the biggest */
      if (score_seat_product(m, &pr[i]) &&
          pr[i].seats_purchased > target->seats_purchased &&
          !(uc->cat >= 0 && target->cat == uc->cat))
        target = &pr[i];
    if (target) {
      opp *o = new_opp(e, EXD_OPP_USE_CASE, target->cat, target->cat);
      if (o) {
        o->dept = uc->s[0];
        o->seats_estimated = EXD_IS_NONE(uc->v[0]) || uc->v[0] < 1;
        o->seats = o->seats_estimated ? 10 : uc->v[0];
        o->unit_price =
            own_price(m, a, target->unit_price, c->v[target->cat].list_price);
        o->uplift = o->seats * o->unit_price;
      }
    }
  }
}

static void finish(const model *m, const score_params *sp, acct_eval *e,
                   opp *o) {
  const m_account *a = &m->acct[e->acct];
  double wsum = 0, acc = 0;
  for (int c = 0; c < COMP__COUNT; c++) {
    double v = c == COMP_SIMILAR ? o->similar : e->comp.value[c];
    o->weight_used[c] = 0;
    o->comp_points[c] = 0;
    if (EXD_IS_NONE(v) || !(sp->weight[c] > 0)) continue;
    wsum += sp->weight[c];
  }
  for (int c = 0; c < COMP__COUNT && wsum > 0; c++) {
    double v = c == COMP_SIMILAR ? o->similar : e->comp.value[c];
    if (EXD_IS_NONE(v) || !(sp->weight[c] > 0)) continue;
    o->weight_used[c] = sp->weight[c] / wsum;
    o->comp_points[c] = sp->component_share * o->weight_used[c] * v;
    acc += o->comp_points[c];
  }
  /* Components describe readiness and give at most component_share x 100
     points; the rest must come from signals (need). */
  o->base = wsum > 0 ? acc : sp->component_share * 50.0;
  o->points = 0;
  for (size_t k = 0; k < e->n_sig; k++) {
    const exsig *s = &e->sig[k];
    o->sig_points[k] =
        sp->points[s->kind] * s->strength * apply_factor(m, s, o);
    o->points += o->sig_points[k];
  }
  double pr = o->base + o->points;
  o->propensity = pr < 1 ? 1 : pr > 99 ? 99 : pr;
  o->ev = o->propensity / 100.0 * o->uplift;
  o->holds = e->holds;
  size_t no;
  const m_opp *op = MODEL_SLICE(m, a, MK_OPP, m_opp, &no);
  for (size_t i = 0; i < no; i++)
    if (op[i].status == EXD_OPP_OPEN && op[i].cat == o->cat && o->cat >= 0) {
      o->holds |= HOLD_OPEN_OPP;
      o->open_opp = (int)i;
      break;
    }
  o->win = e->win;
  if (o->ceiling_date != EXD_DATE_NONE && o->ceiling_date < o->win.end) {
    /* Act before the seats run out. */
    int32_t end = o->ceiling_date - 14;
    if (end < m->as_of + 14) end = m->as_of + 14;
    o->win.start = m->as_of;
    o->win.end = end;
  }
}

void score_account(const model *m, const peers *p, const score_params *sp,
                   uint32_t a, acct_eval *e) {
  e->acct = a;
  e->n_opps = 0;
  signals_detect(m, sp, a, e);
  signals_related(m, p, a, e);
  components_compute(m, sp, a, e);
  timing_compute(m, sp, a, e);
  candidates(m, p, sp, a, e);
  for (size_t i = 0; i < e->n_opps; i++)
    finish(m, sp, e, &e->opps[i]);
}

const exsig *eval_signal(const acct_eval *e, int kind, int cat) {
  for (size_t i = 0; i < e->n_sig; i++)
    if (e->sig[i].kind == kind && (cat < -1 || e->sig[i].cat == cat))
      return &e->sig[i];
  return NULL;
}

const char *score_product_name(const model *m, int cat) {
  return cat >= 0 && (size_t)cat < m->cat.n ? m->cat.v[cat].name
                                            : "the product";
}

const opp *eval_find(const acct_eval *e, int type, int cat) {
  for (size_t i = 0; i < e->n_opps; i++)
    if (e->opps[i].type == type && e->opps[i].cat == cat) return &e->opps[i];
  return NULL;
}
