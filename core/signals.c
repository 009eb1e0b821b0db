/*
 * Signal detection (pure). Each signal has a strength 0..1 and evidence.
 * T = model->as_of; "recent" = the last recent_days days; all windows are
 * inclusive of T.
 *
 * usage_ceiling  per owned per-seat product with seats purchased: active =
 *                latest active users of that product (or of the account when
 *                it owns one per-seat product, or the product's seats_active);
 *                util = active / purchased; slope = least-squares active users
 *                per day over the last 180 days (>= 2 points, >= 30 days
 *                apart); forecast = T + (purchased - active) / slope when
 *                slope > 0 and active < purchased (T when already over; none
 *                beyond 100 years).
 *                strength = max(clamp((util - 0.7) / 0.3), 1 - days to the
 *                forecast / horizon_days when within the horizon).
 *                Capacity (capacity_used / capacity_limit) likewise.
 * new_use_case   a department whose first usage is recent while the account
 *                has older usage: strength = clamp(users / 10, 0.3, 1); a
 *                recent contact (not an executive, economic buyer or
 *                champion: those are new stakeholders) from a department
 *                never seen before: 0.4.
 * org_growth     employee count up >= 5% over >= 90 days (within 400 days):
 *                strength = min(1, growth / 0.3); a recent growth trigger
 *                (funding, ipo, acquisition, merger: 0.8; hiring_surge,
 *                new_office, expansion: 0.6).
 * intent         recent intent per product: score/100 x stage factor
 *                (purchase/decision 1, consideration .8, awareness .5,
 *                target .3, unknown .7) x fit (strong 1, moderate .9,
 *                weak .7); topics matching a catalogue product's topics:
 *                min(1, matches / 2) x (score/100, or .6 without a score).
 * new_stakeholder a recent executive or economic buyer (1.0) or champion
 *                (0.7) contact; a recent new_executive / leadership_change
 *                trigger (0.6).
 * related_account_owns  the parent, a sibling or a subsidiary owns a product
 *                this account does not: 1.0 (parent/subsidiary), 0.7 sibling.
 * health_up/down least-squares slope of health over the last 180 days (>= 3
 *                points over >= 60 days), as points per 90 days d:
 *                up when d >= 5 (min(1, d/15)), down when d <= -5.
 * champion_left  a champion left within horizon_days and no champion
 *                remains: 1.0.
 * open_escalation open escalations: min(1, 0.5 x count); a P1/critical/
 *                high/urgent one: 1.0.
 * lost_deal      a lost opportunity for a product closed within
 *                horizon_days: 1.0 within recent_days, else 0.5.
 */
#include <math.h>
#include <string.h>

#include "score.h"

static double clamp01(double x) {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

static exsig *add_sig(acct_eval *e, int kind, int cat, double strength) {
  if (e->n_sig >= SIG_MAX || !(strength > 0)) return NULL;
  exsig *s = &e->sig[e->n_sig++];
  memset(s, 0, sizeof(*s));
  s->kind = (uint8_t)kind;
  s->cat = (int16_t)cat;
  s->strength = clamp01(strength);
  for (int i = 0; i < 4; i++)
    s->v[i] = EXD_NONE;
  s->d[0] = s->d[1] = EXD_DATE_NONE;
  return s;
}

/* Least-squares slope (per day) of (x, y); NaN when undefined. */
static double slope(const double *x, const double *y, size_t n) {
  if (n < 2) return EXD_NONE;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= (double)n;
  my /= (double)n;
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : EXD_NONE;
}

#define SERIES_MAX 64

typedef struct series {
  double x[SERIES_MAX], y[SERIES_MAX];
  size_t n;
  int32_t first_date, last_date;
  double first, last;
} series;

static void series_add(series *s, int32_t date, double v) {
  if (EXD_IS_NONE(v)) return;
  if (s->n == 0 || date > s->last_date) {
    s->last_date = date;
    s->last = v;
  }
  if (s->n == 0 || date < s->first_date) {
    s->first_date = date;
    s->first = v;
  }
  if (s->n < SERIES_MAX) {
    s->x[s->n] = date;
    s->y[s->n] = v;
    s->n++;
  }
}

/* ---- usage ceiling ---- */

int score_seat_product(const model *m, const m_product *p) {
  return p->cat >= 0 && m->cat.v[p->cat].pricing == EXD_PRICE_PER_SEAT &&
         p->seats_purchased > 0 &&
         (p->end == EXD_DATE_NONE || p->end >= m->as_of);
}

/* Active seats of an owned product: its latest usage (or the account's
   when it has one per-seat product), else the product's seats_active. */
double score_product_active(const model *m, const score_params *sp,
                            const m_account *a, const m_product *p,
                            int per_seat_products) {
  size_t nu;
  const m_usage *us = MODEL_SLICE(m, a, MK_USAGE, m_usage, &nu);
  int32_t stale = m->as_of - sp->stale_days, latest = EXD_DATE_NONE;
  double active = p->seats_active;
  for (size_t k = 0; k < nu; k++) {
    const m_usage *u = &us[k];
    if (u->dept || u->date < stale || isnan(u->active)) continue;
    if (u->cat != p->cat && !(u->cat < 0 && per_seat_products == 1)) continue;
    if (latest == EXD_DATE_NONE || u->date >= latest) {
      latest = u->date;
      active = u->active;
    }
  }
  return active;
}

static void ceiling(const score_params *sp, int32_t T, acct_eval *e, int cat,
                    const char *what, const series *s, double used,
                    double limit) {
  if (!(limit > 0) || EXD_IS_NONE(used)) return;
  double util = used / limit;
  double sl = EXD_NONE;
  if (s && s->n >= 2 && s->last_date - s->first_date >= 30)
    sl = slope(s->x, s->y, s->n);
  int32_t when = EXD_DATE_NONE;
  if (used >= limit)
    when = T;
  else if (!EXD_IS_NONE(sl) && sl > 0) {
    double days = ceil((limit - used) / sl);
    if (days <= 36525) when = T + (int32_t)days; /* else none in sight */
  }
  double st = clamp01((util - 0.7) / 0.3);
  if (when != EXD_DATE_NONE && when - T <= sp->horizon_days) {
    double st2 = 1.0 - (double)(when - T) / sp->horizon_days;
    if (st2 > st) st = st2;
  }
  exsig *g = add_sig(e, SIG_USAGE_CEILING, cat, st);
  if (!g) return;
  g->v[0] = used;
  g->v[1] = limit;
  g->v[2] = EXD_IS_NONE(sl) ? EXD_NONE : sl * 30.0;
  g->v[3] = util;
  g->d[0] = when;
  g->s[0] = what;
}

static void detect_ceilings(const model *m, const score_params *sp,
                            const m_account *a, acct_eval *e) {
  int32_t T = m->as_of, since = T - 180;
  size_t np, nu;
  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &np);
  const m_usage *us = MODEL_SLICE(m, a, MK_USAGE, m_usage, &nu);
  int per_seat = 0;
  for (size_t i = 0; i < np; i++)
    if (score_seat_product(m, &pr[i])) per_seat++;
  for (size_t i = 0; i < np; i++) {
    const m_product *p = &pr[i];
    if (!score_seat_product(m, p)) continue;
    series s = {0};
    for (size_t k = 0; k < nu; k++) {
      const m_usage *u = &us[k];
      if (u->dept || u->date < since || isnan(u->active)) continue;
      if (u->cat == p->cat || (u->cat < 0 && per_seat == 1))
        series_add(&s, u->date, u->active);
    }
    double active = score_product_active(m, sp, a, p, per_seat);
    ceiling(sp, T, e, p->cat, "seats", &s, active, p->seats_purchased);
  }
  /* Capacity (account level or per product). */
  double limit = EXD_NONE;
  int ccat = -1;
  int32_t ldate = EXD_DATE_NONE;
  for (size_t k = 0; k < nu; k++) {
    const m_usage *u = &us[k];
    if (u->dept || u->date < since || isnan(u->cap_used) || isnan(u->cap_limit))
      continue;
    if (ldate == EXD_DATE_NONE || u->date >= ldate) {
      ldate = u->date;
      limit = u->cap_limit;
      ccat = u->cat;
    }
  }
  /* The trend of the product (or account) the latest limit belongs to. */
  series cs = {0};
  for (size_t k = 0; k < nu && ldate != EXD_DATE_NONE; k++) {
    const m_usage *u = &us[k];
    if (u->dept || u->date < since || isnan(u->cap_used) || u->cat != ccat)
      continue;
    series_add(&cs, u->date, u->cap_used);
  }
  if (cs.n) ceiling(sp, T, e, ccat, "capacity", &cs, cs.last, limit);
}

/* ---- new use case ---- */

static void detect_use_cases(const model *m, const score_params *sp,
                             const m_account *a, acct_eval *e) {
  int32_t T = m->as_of, recent = T - sp->recent_days;
  size_t nu, nc;
  const m_usage *us = MODEL_SLICE(m, a, MK_USAGE, m_usage, &nu);
  const m_contact *cs = MODEL_SLICE(m, a, MK_CONTACT, m_contact, &nc);
  int32_t oldest = EXD_DATE_NONE;
  for (size_t k = 0; k < nu; k++)
    if (oldest == EXD_DATE_NONE || us[k].date < oldest) oldest = us[k].date;
  int found = 0;
  /* Departments by first appearance. */
  for (size_t k = 0; k < nu && found < 3; k++) {
    uint16_t d = us[k].dept;
    if (!d) continue;
    int seen_before = 0;
    int32_t first = EXD_DATE_NONE, latest = EXD_DATE_NONE;
    double users = EXD_NONE;
    int cat = -1;
    for (size_t j = 0; j < nu; j++) {
      if (us[j].dept != d) continue;
      if (j < k) seen_before = 1;
      if (first == EXD_DATE_NONE || us[j].date < first) first = us[j].date;
      if (latest == EXD_DATE_NONE || us[j].date >= latest) {
        latest = us[j].date;
        users = us[j].active;
        cat = us[j].cat;
      }
    }
    if (seen_before || first < recent || oldest >= recent) continue;
    double st = EXD_IS_NONE(users) ? 0.3 : users / 10.0;
    if (st < 0.3) st = 0.3;
    exsig *g = add_sig(e, SIG_NEW_USE_CASE, cat, st);
    if (!g) return;
    g->s[0] = m->depts.v[d];
    g->v[0] = users;
    g->d[0] = first;
    found++;
  }
  /* Contacts from a department never seen before. */
  for (size_t k = 0; k < nc && found < 3; k++) {
    const m_contact *c = &cs[k];
    if (!c->department || c->since == EXD_DATE_NONE || c->since < recent ||
        c->left != EXD_DATE_NONE)
      continue;
    /* A new executive, buyer or champion is a new_stakeholder, not a new
       team (it would count twice). */
    if (c->roles &
        (EXD_ROLE_EXECUTIVE | EXD_ROLE_ECONOMIC_BUYER | EXD_ROLE_CHAMPION))
      continue;
    int known = 0;
    for (size_t j = 0; j < nu && !known; j++)
      if (us[j].dept && str_ieq(m->depts.v[us[j].dept], c->department))
        known = 1;
    for (size_t j = 0; j < nc && !known; j++)
      if (j != k && cs[j].department &&
          str_ieq(cs[j].department, c->department) &&
          (cs[j].since == EXD_DATE_NONE || cs[j].since < c->since || j < k))
        known = 1;
    for (size_t j = 0; j < e->n_sig && !known; j++)
      if (e->sig[j].kind == SIG_NEW_USE_CASE &&
          str_ieq(e->sig[j].s[0], c->department))
        known = 1;
    if (known) continue;
    exsig *g = add_sig(e, SIG_NEW_USE_CASE, -1, 0.4);
    if (!g) return;
    g->s[0] = c->department;
    g->s[1] = c->name;
    g->d[0] = c->since;
    found++;
  }
}

/* ---- growth, stakeholders, triggers ---- */

static int trig_is(const char *t, const char *const *set) {
  for (size_t i = 0; t && set[i]; i++)
    if (!strcmp(t, set[i])) return 1;
  return 0;
}

static void detect_growth(const model *m, const score_params *sp,
                          const m_account *a, acct_eval *e) {
  int32_t T = m->as_of, recent = T - sp->recent_days;
  size_t ne, nt;
  const m_employees *em = MODEL_SLICE(m, a, MK_EMPLOYEES, m_employees, &ne);
  double then = EXD_NONE;
  int32_t then_d = EXD_DATE_NONE;
  for (size_t i = 0; i < ne; i++)
    if (em[i].date >= T - 400 && em[i].date <= T - 90 &&
        (then_d == EXD_DATE_NONE || em[i].date < then_d)) {
      then_d = em[i].date;
      then = em[i].employees;
    }
  if (!EXD_IS_NONE(then) && then > 0 && !EXD_IS_NONE(a->employees)) {
    double g = (a->employees - then) / then;
    if (g >= 0.05) {
      exsig *s = add_sig(e, SIG_ORG_GROWTH, -1, g / 0.3);
      if (s) {
        s->v[0] = then;
        s->v[1] = a->employees;
        s->v[2] = g;
        s->d[0] = then_d;
      }
    }
  }
  static const char *const big[] = {"funding", "ipo", "acquisition", "merger",
                                    NULL};
  static const char *const mid[] = {"hiring_surge", "new_office", "expansion",
                                    NULL};
  static const char *const people[] = {"new_executive", "leadership_change",
                                       NULL};
  const m_trigger *tr = MODEL_SLICE(m, a, MK_TRIGGER, m_trigger, &nt);
  for (size_t i = 0; i < nt; i++) {
    if (tr[i].date < recent) continue;
    double st = trig_is(tr[i].type, big)   ? 0.8
                : trig_is(tr[i].type, mid) ? 0.6
                                           : 0;
    int kind = SIG_ORG_GROWTH;
    if (st == 0 && trig_is(tr[i].type, people)) {
      st = 0.6;
      kind = SIG_NEW_STAKEHOLDER;
    }
    exsig *s = add_sig(e, kind, -1, st);
    if (!s) continue;
    s->s[0] = tr[i].type;
    s->s[1] = tr[i].detail;
    s->d[1] = tr[i].date;
  }
}

static void detect_people(const model *m, const score_params *sp,
                          const m_account *a, acct_eval *e) {
  int32_t T = m->as_of, recent = T - sp->recent_days;
  size_t nc;
  const m_contact *cs = MODEL_SLICE(m, a, MK_CONTACT, m_contact, &nc);
  int champions = 0;
  const m_contact *left = NULL;
  for (size_t i = 0; i < nc; i++) {
    const m_contact *c = &cs[i];
    if ((c->roles & EXD_ROLE_CHAMPION) && c->left == EXD_DATE_NONE) champions++;
    if ((c->roles & EXD_ROLE_CHAMPION) && c->left != EXD_DATE_NONE &&
        c->left >= T - sp->horizon_days && (!left || c->left > left->left))
      left = c;
    if (c->since == EXD_DATE_NONE || c->since < recent ||
        c->left != EXD_DATE_NONE)
      continue;
    double st = c->roles & (EXD_ROLE_EXECUTIVE | EXD_ROLE_ECONOMIC_BUYER) ? 1.0
                : c->roles & EXD_ROLE_CHAMPION                            ? 0.7
                                                                          : 0;
    exsig *s = add_sig(e, SIG_NEW_STAKEHOLDER, -1, st);
    if (!s) continue;
    s->s[0] = c->name;
    s->s[1] = c->title;
    s->d[0] = c->since;
    s->v[0] = c->roles;
  }
  if (left && champions == 0) {
    exsig *s = add_sig(e, SIG_CHAMPION_LEFT, -1, 1.0);
    if (s) {
      s->s[0] = left->name;
      s->s[1] = left->title;
      s->d[0] = left->left;
    }
  }
}

/* ---- intent ---- */

static double stage_factor(int st) {
  switch (st) {
  case ST_PURCHASE:
  case ST_DECISION: return 1.0;
  case ST_CONSIDERATION: return 0.8;
  case ST_AWARENESS: return 0.5;
  case ST_TARGET: return 0.3;
  default: return 0.7;
  }
}

static double fit_factor(int f) {
  return f == FIT_STRONG     ? 1.0
         : f == FIT_MODERATE ? 0.9
         : f == FIT_WEAK     ? 0.7
                             : 1.0;
}

static int topic_matches(const model *m, const m_intent *in, int cat) {
  int n = 0;
  const cat_product *c = &m->cat.v[cat];
  for (uint32_t i = 0; i < in->n_topics; i++)
    for (size_t j = 0; j < c->n_topics; j++)
      if (in->topics[i] && !strcmp(in->topics[i], c->topics[j])) n++;
  return n;
}

static void detect_intent(const model *m, const score_params *sp,
                          const m_account *a, acct_eval *e) {
  int32_t recent = m->as_of - sp->recent_days;
  size_t ni;
  const m_intent *in = MODEL_SLICE(m, a, MK_INTENT, m_intent, &ni);
  for (size_t i = 0; i < ni; i++) {
    const m_intent *x = &in[i];
    if (x->date < recent) continue;
    int best = x->cat, matches = best >= 0 ? topic_matches(m, x, best) : 0;
    double st;
    if (best >= 0 && !isnan(x->score)) {
      st = x->score / 100.0 * stage_factor(x->stage) * fit_factor(x->fit);
    } else {
      /* No product (or no score): match the researched topics. */
      if (best < 0)
        for (size_t c = 0; c < m->cat.n; c++) {
          int k = topic_matches(m, x, (int)c);
          if (k > matches) {
            matches = k;
            best = (int)c;
          }
        }
      if (best < 0 || matches == 0) continue;
      st =
          fmin(1.0, matches / 2.0) * (isnan(x->score) ? 0.6 : x->score / 100.0);
    }
    /* Keep the strongest signal per product. */
    exsig *s = NULL;
    for (size_t k = 0; k < e->n_sig; k++)
      if (e->sig[k].kind == SIG_INTENT && e->sig[k].cat == best) s = &e->sig[k];
    if (s && s->strength >= st) continue;
    if (!s)
      s = add_sig(e, SIG_INTENT, best, st);
    else
      s->strength = clamp01(st);
    if (!s) continue;
    s->v[0] = x->score;
    s->v[1] = x->stage;
    s->v[2] = matches;
    s->v[3] = x->fit;
    s->d[0] = x->date;
    s->s[0] = NULL;
    /* First matching topic as evidence. */
    const cat_product *c = &m->cat.v[best];
    for (uint32_t t = 0; t < x->n_topics && !s->s[0]; t++)
      for (size_t j = 0; j < c->n_topics; j++)
        if (x->topics[t] && !strcmp(x->topics[t], c->topics[j]))
          s->s[0] = x->topics[t];
  }
}

/* ---- health, escalations, lost deals ---- */

static void detect_health(const model *m, const m_account *a, acct_eval *e) {
  int32_t T = m->as_of;
  size_t nh;
  const m_health *h = MODEL_SLICE(m, a, MK_HEALTH, m_health, &nh);
  series s = {0};
  for (size_t i = 0; i < nh; i++)
    if (h[i].date >= T - 180) series_add(&s, h[i].date, h[i].score);
  if (s.n < 3 || s.last_date - s.first_date < 60) return;
  double d90 = slope(s.x, s.y, s.n) * 90.0;
  exsig *g = NULL;
  if (d90 >= 5)
    g = add_sig(e, SIG_HEALTH_UP, -1, d90 / 15.0);
  else if (d90 <= -5)
    g = add_sig(e, SIG_HEALTH_DOWN, -1, -d90 / 15.0);
  if (!g) return;
  g->v[0] = s.first;
  g->v[1] = s.last;
  g->v[2] = d90;
  g->d[0] = s.first_date;
  g->d[1] = s.last_date;
}

static int severe(const char *sev) {
  static const char *const hi[] = {"p1",   "p0",     "sev1",    "critical",
                                   "high", "urgent", "blocker", NULL};
  for (size_t i = 0; sev && hi[i]; i++)
    if (str_ieq(sev, hi[i])) return 1;
  return 0;
}

static void detect_escalations(const model *m, const m_account *a,
                               acct_eval *e) {
  size_t n;
  const m_escalation *x = MODEL_SLICE(m, a, MK_ESCALATION, m_escalation, &n);
  int open = 0, sev = 0;
  const m_escalation *worst = NULL;
  for (size_t i = 0; i < n; i++) {
    if (x[i].closed != EXD_DATE_NONE) continue;
    open++;
    int s = severe(x[i].severity);
    if (!worst || s > sev || (s == sev && x[i].opened < worst->opened)) {
      worst = &x[i];
      sev = s;
    }
  }
  if (!open) return;
  exsig *g = add_sig(e, SIG_ESCALATION, -1, sev ? 1.0 : 0.5 * open);
  if (!g) return;
  g->v[0] = open;
  g->s[0] = worst->severity;
  g->s[1] = worst->subject ? worst->subject : worst->id;
  g->d[0] = worst->opened;
}

static void detect_lost(const model *m, const score_params *sp,
                        const m_account *a, acct_eval *e) {
  int32_t T = m->as_of;
  size_t n;
  const m_opp *o = MODEL_SLICE(m, a, MK_OPP, m_opp, &n);
  for (size_t i = 0; i < n; i++) {
    if (o[i].status != EXD_OPP_LOST || o[i].cat < 0 ||
        o[i].closed == EXD_DATE_NONE || o[i].closed < T - sp->horizon_days)
      continue;
    exsig *s = NULL;
    for (size_t k = 0; k < e->n_sig; k++)
      if (e->sig[k].kind == SIG_LOST_DEAL && e->sig[k].cat == o[i].cat)
        s = &e->sig[k];
    if (s && s->d[0] >= o[i].closed) continue;
    double st = o[i].closed >= T - sp->recent_days ? 1.0 : 0.5;
    if (!s)
      s = add_sig(e, SIG_LOST_DEAL, o[i].cat, st);
    else
      s->strength = st;
    if (!s) continue;
    s->d[0] = o[i].closed;
    s->v[0] = o[i].amount;
    s->s[0] = o[i].id;
  }
}

void signals_detect(const model *m, const score_params *sp, uint32_t ai,
                    acct_eval *e) {
  const m_account *a = &m->acct[ai];
  e->n_sig = 0;
  detect_ceilings(m, sp, a, e);
  detect_use_cases(m, sp, a, e);
  detect_growth(m, sp, a, e);
  detect_people(m, sp, a, e);
  detect_intent(m, sp, a, e);
  detect_health(m, a, e);
  detect_escalations(m, a, e);
  detect_lost(m, sp, a, e);
}

/* Products the parent, a sibling or a subsidiary owns and this account does
   not (one signal per product; parent/subsidiary 1.0, sibling 0.7). */
void signals_related(const model *m, const peers *p, uint32_t ai,
                     acct_eval *e) {
  if (!p || !p->child_off) return;
  const m_account *a = &m->acct[ai];
  uint32_t rel[64];
  double st[64];
  size_t n = 0;
  if (a->parent >= 0) {
    uint32_t par = (uint32_t)a->parent;
    rel[n] = par;
    st[n++] = 1.0;
    for (uint32_t k = p->child_off[par]; k < p->child_off[par + 1] && n < 48;
         k++)
      if (p->child_idx[k] != ai) {
        rel[n] = p->child_idx[k];
        st[n++] = 0.7;
      }
  }
  for (uint32_t k = p->child_off[ai]; k < p->child_off[ai + 1] && n < 64; k++) {
    rel[n] = p->child_idx[k];
    st[n++] = 1.0;
  }
  for (size_t q = 0; q < m->cat.n; q++) {
    if ((a->owned >> q) & 1) continue;
    int best = -1;
    for (size_t i = 0; i < n; i++)
      if (((m->acct[rel[i]].owned >> q) & 1) && (best < 0 || st[i] > st[best]))
        best = (int)i;
    if (best < 0) continue;
    exsig *s = add_sig(e, SIG_RELATED_OWNS, (int)q, st[best]);
    if (!s) return;
    s->s[0] = m->acct[rel[best]].name;
    s->v[0] = (uint32_t)a->parent == rel[best] ? 1 : st[best] < 1 ? 2 : 3;
  }
}
