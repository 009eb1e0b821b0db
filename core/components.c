/*
 * Account-level components, each 0..100 or absent (NaN). Facts older than
 * stale_days are ignored.
 *
 * health      the latest health score.
 * usage       mean of the parts that are present:
 *               seats     100 x min(1, sum active / sum purchased) over
 *                         owned per-seat products with both known;
 *               capacity  100 x min(1, used / limit), latest measurement;
 *               adoption  100 x mean latest adoption per feature;
 *               growth    clamp(50 + 250 x g), g = relative change of the
 *                         account's active users over the last ~quarter
 *                         (latest vs the latest value >= 80 days before it).
 * engagement  mean of the parts that are present:
 *               people    60 if a champion is active + 40 x min(1, active
 *                         power users / 3) (when any contact is known);
 *               nps       (nps + 100) / 2;
 *               support   max(0, 100 - 40 x open escalations) (when any
 *                         escalation is open or closed within
 *                         stale_days);
 *               deals     100 x won / (won + lost) over the last 365 days
 *                         (when >= 3 deals closed).
 * timing      see timing.c (timing_value).
 */
#include <math.h>
#include <string.h>

#include "score.h"

static double mean_parts(const double *v, size_t n) {
  double s = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!EXD_IS_NONE(v[i])) {
      s += v[i];
      k++;
    }
  return k ? s / (double)k : EXD_NONE;
}

static void usage_component(const model *m, const score_params *sp,
                            const m_account *a, comp_ev *c) {
  int32_t T = m->as_of, stale = T - sp->stale_days;
  size_t np, nu, nf;
  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &np);
  const m_usage *us = MODEL_SLICE(m, a, MK_USAGE, m_usage, &nu);
  const m_feature *fs = MODEL_SLICE(m, a, MK_FEATURE, m_feature, &nf);

  int per_seat = 0, main = -1;
  for (size_t i = 0; i < np; i++)
    if (score_seat_product(m, &pr[i])) {
      per_seat++;
      if (main < 0 || pr[i].seats_purchased > pr[main].seats_purchased)
        main = (int)i;
    }
  double act = 0, pur = 0;
  for (size_t i = 0; i < np; i++) {
    if (!score_seat_product(m, &pr[i])) continue;
    double x = score_product_active(m, sp, a, &pr[i], per_seat);
    if (EXD_IS_NONE(x)) continue;
    act += x;
    pur += pr[i].seats_purchased;
  }
  double parts[4] = {EXD_NONE, EXD_NONE, EXD_NONE, EXD_NONE};
  c->seat_active = c->seat_purchased = c->seat_util = EXD_NONE;
  if (pur > 0) {
    c->seat_active = act;
    c->seat_purchased = pur;
    c->seat_util = act / pur;
    parts[0] = 100.0 * fmin(1.0, c->seat_util);
  }
  /* Capacity: latest measurement with both values. */
  int32_t cd = EXD_DATE_NONE;
  c->cap_util = EXD_NONE;
  for (size_t i = 0; i < nu; i++)
    if (!us[i].dept && us[i].date >= stale && !isnan(us[i].cap_used) &&
        us[i].cap_limit > 0 && (cd == EXD_DATE_NONE || us[i].date >= cd)) {
      cd = us[i].date;
      c->cap_util = (double)us[i].cap_used / us[i].cap_limit;
    }
  if (!EXD_IS_NONE(c->cap_util)) parts[1] = 100.0 * fmin(1.0, c->cap_util);
  /* Adoption: latest value per feature. */
  double sum = 0;
  size_t nfeat = 0;
  for (size_t i = 0; i < nf; i++) {
    if (fs[i].date < stale || isnan(fs[i].adoption)) continue;
    int newer = 0;
    for (size_t j = 0; j < nf; j++) {
      if (j == i || fs[j].feature != fs[i].feature || fs[j].cat != fs[i].cat ||
          fs[j].date < stale)
        continue;
      if (fs[j].date > fs[i].date || (fs[j].date == fs[i].date && j > i))
        newer = 1;
    }
    if (newer) continue;
    sum += fs[i].adoption;
    nfeat++;
  }
  c->adoption = nfeat ? sum / (double)nfeat : EXD_NONE;
  if (nfeat) parts[2] = 100.0 * c->adoption;
  /* Growth of the account's active users (account level, else the main
     per-seat product). */
  int16_t gcat = -1;
  int have_acct = 0;
  for (size_t i = 0; i < nu; i++)
    if (!us[i].dept && us[i].cat < 0 && !isnan(us[i].active)) have_acct = 1;
  if (!have_acct && main >= 0) gcat = pr[main].cat;
  int32_t ld = EXD_DATE_NONE;
  double lv = EXD_NONE;
  for (size_t i = 0; i < nu; i++)
    if (!us[i].dept && us[i].cat == gcat && !isnan(us[i].active) &&
        us[i].date >= stale && (ld == EXD_DATE_NONE || us[i].date >= ld)) {
      ld = us[i].date;
      lv = us[i].active;
    }
  c->user_growth = EXD_NONE;
  if (ld != EXD_DATE_NONE) {
    int32_t pd = EXD_DATE_NONE;
    double pv = EXD_NONE;
    for (size_t i = 0; i < nu; i++)
      if (!us[i].dept && us[i].cat == gcat && !isnan(us[i].active) &&
          us[i].date >= stale && us[i].date <= ld - 80 &&
          (pd == EXD_DATE_NONE || us[i].date >= pd)) {
        pd = us[i].date;
        pv = us[i].active;
      }
    if (pd != EXD_DATE_NONE && pv > 0) {
      c->user_growth = (lv - pv) / pv;
      double g = 50.0 + 250.0 * c->user_growth;
      parts[3] = g < 0 ? 0 : g > 100 ? 100 : g;
    }
  }
  c->value[COMP_USAGE] = mean_parts(parts, 4);
}

static void engagement_component(const model *m, const score_params *sp,
                                 const m_account *a, comp_ev *c) {
  int32_t T = m->as_of;
  size_t nc, ne, no;
  const m_contact *cs = MODEL_SLICE(m, a, MK_CONTACT, m_contact, &nc);
  const m_escalation *es = MODEL_SLICE(m, a, MK_ESCALATION, m_escalation, &ne);
  const m_opp *os = MODEL_SLICE(m, a, MK_OPP, m_opp, &no);
  double parts[4] = {EXD_NONE, EXD_NONE, EXD_NONE, EXD_NONE};
  c->champions = c->power_users = c->open_escalations = 0;
  for (size_t i = 0; i < nc; i++) {
    if (cs[i].left != EXD_DATE_NONE) continue;
    if (cs[i].roles & EXD_ROLE_CHAMPION) c->champions++;
    if (cs[i].roles & EXD_ROLE_POWER_USER) c->power_users++;
  }
  c->people = EXD_NONE;
  if (nc) {
    c->people =
        (c->champions ? 60.0 : 0.0) + 40.0 * fmin(1.0, c->power_users / 3.0);
    parts[0] = c->people;
  }
  c->nps_part = EXD_IS_NONE(a->nps) ? EXD_NONE : (a->nps + 100.0) / 2.0;
  parts[1] = c->nps_part;
  size_t known = 0; /* open, or closed within stale_days */
  for (size_t i = 0; i < ne; i++) {
    if (es[i].closed == EXD_DATE_NONE) c->open_escalations++;
    if (es[i].closed == EXD_DATE_NONE || es[i].closed >= T - sp->stale_days)
      known++;
  }
  c->support_part = EXD_NONE;
  if (known) {
    c->support_part = fmax(0.0, 100.0 - 40.0 * c->open_escalations);
    parts[2] = c->support_part;
  }
  uint32_t won = 0, lost = 0;
  for (size_t i = 0; i < no; i++) {
    if (os[i].closed == EXD_DATE_NONE || os[i].closed < T - 365) continue;
    if (os[i].status == EXD_OPP_WON) won++;
    if (os[i].status == EXD_OPP_LOST) lost++;
  }
  c->deals_closed = won + lost;
  c->win_rate = EXD_NONE;
  if (won + lost >= 3) {
    c->win_rate = (double)won / (won + lost);
    parts[3] = 100.0 * c->win_rate;
  }
  c->value[COMP_ENGAGEMENT] = mean_parts(parts, 4);
}

void components_compute(const model *m, const score_params *sp, uint32_t ai,
                        acct_eval *e) {
  const m_account *a = &m->acct[ai];
  comp_ev *c = &e->comp;
  for (int i = 0; i < COMP__COUNT; i++)
    c->value[i] = EXD_NONE;
  size_t nh;
  const m_health *h = MODEL_SLICE(m, a, MK_HEALTH, m_health, &nh);
  c->health = EXD_NONE;
  c->health_date = EXD_DATE_NONE;
  for (size_t i = 0; i < nh; i++)
    if (h[i].date >= m->as_of - sp->stale_days &&
        (c->health_date == EXD_DATE_NONE || h[i].date >= c->health_date)) {
      c->health_date = h[i].date;
      c->health = h[i].score;
    }
  c->value[COMP_HEALTH] = c->health;
  usage_component(m, sp, a, c);
  engagement_component(m, sp, a, c);
}
