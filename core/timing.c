/*
 * Timing: the recommended action window and the account-level hold flags.
 *
 * Candidate windows (T = as_of):
 *   trigger  a growth or people trigger in the last recent_days: [T, T+45].
 *   renewal  the next renewal R >= T (a past renewal date rolls forward by
 *            whole years), clipped to start at T; when R-30
 *            is already past: [T, R] (co-term at renewal).
 *   budget   the next fiscal-year start S > T: the planning window
 *            [S-90, S-30], clipped to start at T; when S-30 is past, the
 *            following year's.
 * The window is the trigger one when present, else the earliest-starting
 * renewal/budget window that starts within horizon_days, else the default
 * [T, T+window_days].
 *
 * Timing component: absent when the account has no renewal date, no fiscal
 * year and no recent trigger; 30 for the default window; else 100 when the
 * window is open now, falling 0.5 point per day until it opens (floor 10).
 *
 * Holds (account level): health below hold_health_below or a declining
 * health signal of strength >= 0.5; an open escalation; a champion who left
 * without replacement; a layoffs / budget_freeze / hiring_freeze trigger in
 * the last recent_days. (An open opportunity on the same product is an
 * opportunity-level hold; see opportunity.c.)
 */
#include <string.h>

#include "date.h"
#include "score.h"

/* The triggers signals.c scores (org_growth, new_stakeholder). */
static const char *const good_triggers[] = {
    "funding",           "ipo",        "acquisition", "merger",
    "hiring_surge",      "new_office", "expansion",   "new_executive",
    "leadership_change", NULL};
static const char *const bad_triggers[] = {"layoffs", "budget_freeze",
                                           "hiring_freeze", "bankruptcy", NULL};

static int in_set(const char *t, const char *const *set) {
  for (size_t i = 0; t && set[i]; i++)
    if (!strcmp(t, set[i])) return 1;
  return 0;
}

double timing_value(const score_params *sp, int32_t as_of, const window *w,
                    int have_data) {
  (void)sp;
  if (!have_data) return EXD_NONE;
  if (w->kind == WIN_DEFAULT) return 30.0;
  if (w->start <= as_of) return 100.0;
  double v = 100.0 - 0.5 * (double)(w->start - as_of);
  return v < 10.0 ? 10.0 : v;
}

static int32_t next_renewal(int32_t r, int32_t T) {
  int years = 0;
  while (r < T && years < 200) {
    r = date_add_months(r, 12);
    years++;
  }
  return r;
}

int32_t timing_next_renewal(const m_account *a, int32_t T) {
  return a->renewal == EXD_DATE_NONE ? EXD_DATE_NONE
                                     : next_renewal(a->renewal, T);
}

void timing_compute(const model *m, const score_params *sp, uint32_t ai,
                    acct_eval *e) {
  const m_account *a = &m->acct[ai];
  int32_t T = m->as_of;
  window best = {T, T + sp->window_days, WIN_DEFAULT, EXD_DATE_NONE, NULL};
  int have = 0, chosen = 0;
  e->holds = 0;

  size_t nt;
  const m_trigger *tr = MODEL_SLICE(m, a, MK_TRIGGER, m_trigger, &nt);
  const m_trigger *recent = NULL;
  for (size_t i = 0; i < nt; i++) {
    if (tr[i].date < T - sp->recent_days) continue;
    if (in_set(tr[i].type, good_triggers) &&
        (!recent || tr[i].date > recent->date))
      recent = &tr[i];
    if (in_set(tr[i].type, bad_triggers)) e->holds |= HOLD_NEG_TRIGGER;
  }
  if (recent) {
    have = chosen = 1;
    best = (window){T, T + 45, WIN_TRIGGER, recent->date, recent->type};
  }

  window cand[2];
  int nc = 0;
  if (a->renewal != EXD_DATE_NONE) {
    have = 1;
    int32_t R = next_renewal(a->renewal, T);
    window w = {R - 120, R - 30, WIN_RENEWAL, R, NULL};
    if (w.end <= T) w = (window){T, R, WIN_RENEWAL, R, NULL};
    if (w.start < T) w.start = T;
    cand[nc++] = w;
  }
  if (a->fy_start_month >= 1 && a->fy_start_month <= 12) {
    have = 1;
    int y, mo, d;
    date_to_ymd(T, &y, &mo, &d);
    int32_t S = date_from_ymd(y, a->fy_start_month, 1);
    if (S <= T) S = date_from_ymd(y + 1, a->fy_start_month, 1);
    if (S - 30 < T) S = date_add_months(S, 12);
    window w = {S - 90, S - 30, WIN_BUDGET, S, NULL};
    if (w.start < T) w.start = T;
    cand[nc++] = w;
  }
  if (!chosen)
    for (int i = 0; i < nc; i++)
      if (cand[i].start <= T + sp->horizon_days &&
          (!chosen || cand[i].start < best.start)) {
        best = cand[i];
        chosen = 1;
      }
  e->win = best;
  e->comp.value[COMP_TIMING] = timing_value(sp, T, &best, have);

  /* Account-level holds. */
  if (!EXD_IS_NONE(e->comp.health) && e->comp.health < sp->hold_health_below)
    e->holds |= HOLD_HEALTH;
  for (size_t i = 0; i < e->n_sig; i++) {
    const exsig *s = &e->sig[i];
    if (s->kind == SIG_HEALTH_DOWN && s->strength >= 0.5)
      e->holds |= HOLD_HEALTH;
    if (s->kind == SIG_ESCALATION) e->holds |= HOLD_ESCALATION;
    if (s->kind == SIG_CHAMPION_LEFT) e->holds |= HOLD_CHAMPION_LEFT;
  }
}
