/*
 * Business case per opportunity: current value, ROI statement, 1-3 likely
 * objections with responses chosen from the account's own signals (in this
 * order of priority: declining/low health, open escalation, champion left,
 * a lost deal for the product, budget (uplift > 30% of ARR), low usage of
 * what they own; "why now?" when nothing else applies), the entry point
 * (active champion > economic buyer > executive > power user > account
 * owner) and the next action.
 */
#include <math.h>
#include <string.h>

#include "date.h"
#include "score.h"

static void objection(bizcase *bc, const char *obj, const char *fmt, ...)
    EXD_FMT(3, 4);
static void objection(bizcase *bc, const char *obj, const char *fmt, ...) {
  if (bc->n_objections >= 3) return;
  size_t i = bc->n_objections++;
  sb_put(&bc->objection[i], obj);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(&bc->response[i], fmt, ap);
  va_end(ap);
}

/* The strongest positive signal that applies, as "why now" evidence. */
static const exsig *best_positive(const acct_eval *e, const opp *o) {
  const exsig *best = NULL;
  double bp = 0;
  for (size_t i = 0; i < e->n_sig; i++)
    if (o->sig_points[i] > bp) {
      bp = o->sig_points[i];
      best = &e->sig[i];
    }
  return best;
}

/* Writes the entry point; returns 1 when it is a customer contact, 0 when
   it is the account owner / team (no contact on record). */
static int entry_point(const model *m, const acct_eval *e, sb *out) {
  const m_account *a = &m->acct[e->acct];
  size_t n;
  const m_contact *c = MODEL_SLICE(m, a, MK_CONTACT, m_contact, &n);
  static const unsigned order[] = {EXD_ROLE_CHAMPION, EXD_ROLE_ECONOMIC_BUYER,
                                   EXD_ROLE_EXECUTIVE, EXD_ROLE_POWER_USER};
  static const char *const label[] = {"champion", "economic buyer", "executive",
                                      "power user"};
  for (size_t r = 0; r < 4; r++) {
    const m_contact *best = NULL;
    for (size_t i = 0; i < n; i++)
      if ((c[i].roles & order[r]) && c[i].left == EXD_DATE_NONE && c[i].name &&
          (!best ||
           (c[i].since != EXD_DATE_NONE &&
            (best->since == EXD_DATE_NONE || c[i].since < best->since))))
        best = &c[i];
    if (best) {
      sb_printf(out, "%s", best->name);
      if (best->title)
        sb_printf(out, " (%s, %s)", best->title, label[r]);
      else
        sb_printf(out, " (%s)", label[r]);
      return 1;
    }
  }
  if (a->owner)
    sb_printf(out, "account owner %s (no customer contact on record)",
              a->owner);
  else
    sb_put(out, "the account team (no customer contact on record)");
  return 0;
}

static void roi(const model *m, const score_params *sp, const acct_eval *e,
                const opp *o, bizcase *bc, const char *cur) {
  sb *r = &bc->roi;
  char d1[11];
  switch (o->type) {
  case EXD_OPP_SEAT_EXPANSION: {
    const exsig *s = eval_signal(e, SIG_USAGE_CEILING, o->cat);
    if (s && s->s[0] && !strcmp(s->s[0], "seats")) {
      sb_printf(r, "%.0f of %.0f %s seats in use (%.0f%%)", s->v[0], s->v[1],
                score_product_name(m, o->cat), 100.0 * s->v[3]);
      if (o->ceiling_date != EXD_DATE_NONE && s->v[0] < s->v[1])
        sb_printf(r, ", full by %s", date_format(o->ceiling_date, d1));
      sb_put(r, "; ");
    }
    sb_printf(
        r, "%.0f more seats (for %.0f active by %s, plus %.0f%% headroom) at ",
        o->seats, o->size_active, date_format(o->size_date, d1),
        100.0 * sp->seat_headroom);
    fmt_money(r, o->unit_price, cur);
    sb_put(r, " add ");
    break;
  }
  case EXD_OPP_UPSELL:
    if (o->seats_estimated)
      sb_printf(r, "Moving from %s to %s adds ",
                score_product_name(m, o->from_cat),
                score_product_name(m, o->cat));
    else
      sb_printf(r, "Moving %.0f %s%s from %s to %s adds ", o->seats,
                m->cat.v[o->from_cat].pricing == EXD_PRICE_FLAT ? "unit"
                                                                : "seat",
                o->seats == 1 ? "" : "s", score_product_name(m, o->from_cat),
                score_product_name(m, o->cat));
    break;
  case EXD_OPP_CROSS_SELL:
    sb_printf(r, "%s", score_product_name(m, o->cat));
    if (!EXD_IS_NONE(o->seats))
      sb_printf(r, " for %s%.0f seats", o->seats_estimated ? "~" : "",
                o->seats);
    sb_put(r, " adds ");
    break;
  case EXD_OPP_USE_CASE:
    sb_printf(r, "Formalising %s for the %s team (%s%.0f users) adds ",
              score_product_name(m, o->cat), o->dept ? o->dept : "new",
              o->seats_estimated ? "~" : "", o->seats);
    break;
  }
  fmt_money(r, o->uplift, cur);
  sb_put(r, " a year");
  if (bc->current_arr > 0)
    sb_printf(r, " (+%.0f%% on ", 100.0 * o->uplift / bc->current_arr);
  if (bc->current_arr > 0) {
    fmt_money(r, bc->current_arr, cur);
    sb_put(r, " current)");
  }
  if ((o->type == EXD_OPP_CROSS_SELL || o->type == EXD_OPP_UPSELL) &&
      !EXD_IS_NONE(o->peer.rate))
    sb_printf(r, "; %.0f%% of similar customers own it", 100.0 * o->peer.rate);
  sb_printf(r, ". Expected value ");
  fmt_money(r, o->ev, cur);
  sb_printf(r, " at %.0f%% propensity.", o->propensity);
}

void bizcase_build(const model *m, const score_params *sp, const acct_eval *e,
                   const opp *o, bizcase *bc) {
  memset(bc, 0, sizeof(*bc));
  const m_account *a = &m->acct[e->acct];
  /* Every amount is in the reporting currency. */
  const char *cur = m->currency;
  char d1[11], d2[11];
  bc->current_arr = a->arr * model_fx(m, a->currency); /* NaN: no rate */
  roi(m, sp, e, o, bc, cur);
  int contact = entry_point(m, e, &bc->entry_point);

  const exsig *s;
  if ((s = eval_signal(e, SIG_HEALTH_DOWN, -2)) ||
      (!EXD_IS_NONE(e->comp.health) &&
       e->comp.health < sp->hold_health_below)) {
    if (s)
      objection(
          bc, "Your product is not delivering for us right now.",
          "Acknowledge the health drop (%.0f -> %.0f); agree a recovery plan "
          "first and tie the expansion to its milestones.",
          s->v[0], s->v[1]);
    else
      objection(bc, "Your product is not delivering for us right now.",
                "Lead with a success review (health %.0f) and a recovery plan; "
                "propose the expansion once it is on track.",
                e->comp.health);
  }
  if ((s = eval_signal(e, SIG_ESCALATION, -2)))
    objection(bc, "We have an open escalation with you.",
              "Close %s%s%s first; reopen the conversation once the customer "
              "confirms the fix.",
              s->s[1] ? "'" : "the escalation", s->s[1] ? s->s[1] : "",
              s->s[1] ? "'" : "");
  if ((s = eval_signal(e, SIG_CHAMPION_LEFT, -2)))
    objection(bc, "Nobody here owns this any more.",
              "Rebuild sponsorship after %s's departure: start with %s before "
              "any pricing.",
              s->s[0] ? s->s[0] : "the champion", sb_str(&bc->entry_point));
  if ((o->type == EXD_OPP_CROSS_SELL || o->type == EXD_OPP_UPSELL) &&
      (s = eval_signal(e, SIG_LOST_DEAL, o->cat)))
    objection(bc, "We looked at this before and passed.",
              "Ask what has changed since the %s evaluation (%s) and bring "
              "evidence from similar customers.",
              score_product_name(m, o->cat), date_format(s->d[0], d1));
  if (bc->current_arr > 0 && o->uplift > 0.3 * bc->current_arr) {
    if (o->win.kind == WIN_RENEWAL)
      objection(bc, "There is no budget for this now.",
                "Co-term it with the renewal on %s and phase the ramp.",
                date_format(o->win.anchor, d1));
    else if (o->win.kind == WIN_BUDGET)
      objection(
          bc, "There is no budget for this now.",
          "Get it into the budget planned before the fiscal year starts on %s.",
          date_format(o->win.anchor, d1));
    else
      objection(
          bc, "There is no budget for this now.",
          "Offer a phased start or a pilot; the full case is %.0f%% on top of "
          "today's spend.",
          100.0 * o->uplift / bc->current_arr);
  }
  if ((o->type == EXD_OPP_CROSS_SELL || o->type == EXD_OPP_UPSELL) &&
      !EXD_IS_NONE(e->comp.seat_util) && e->comp.seat_util < 0.6)
    objection(
        bc, "We don't fully use what we already have.",
        "Open with an adoption review: %.0f%% of purchased seats are active; "
        "show how %s raises the value of the existing seats.",
        100.0 * e->comp.seat_util, score_product_name(m, o->cat));
  if (bc->n_objections == 0) {
    const exsig *b = best_positive(e, o);
    sb why = {0};
    if (b) {
      explain_signal(m, b, &why);
      objection(bc, "Why now?", "Point to %s.", sb_str(&why));
    } else if ((o->type == EXD_OPP_CROSS_SELL || o->type == EXD_OPP_UPSELL) &&
               !EXD_IS_NONE(o->peer.rate)) { /* NaN: no other account */
      sb_printf(&why, "%.0f%% of similar customers already own %s",
                100.0 * o->peer.rate, score_product_name(m, o->cat));
      objection(bc, "Why now?", "Point to %s.", sb_str(&why));
    } else {
      objection(bc, "Why now?",
                "Nothing in the data says now: open with discovery questions "
                "about their plans before proposing %s.",
                score_product_name(m, o->cat));
    }
    sb_free(&why);
  }

  /* Next action. */
  sb *na = &bc->next_action;
  const char *who = sb_str(&bc->entry_point);
  date_format(o->win.start, d1);
  date_format(o->win.end, d2);
  if (o->holds) {
    sb_put(na, "Hold: ");
    uint32_t first = o->holds & (~o->holds + 1);
    explain_hold(m, e, o, first, na);
    sb_put(na, ". Revisit when it clears");
    if (o->holds & HOLD_OPEN_OPP)
      sb_put(na, " or work the open opportunity instead");
    sb_putc(na, '.');
    return;
  }
  switch (o->type) {
  case EXD_OPP_SEAT_EXPANSION:
    sb_printf(na, "Propose a %.0f-seat %s true-up to %s before %s", o->seats,
              score_product_name(m, o->cat), who, d2);
    /* The same product may also have an upsell: one conversation. */
    for (size_t i = 0; i < e->n_opps; i++)
      if (e->opps[i].type == EXD_OPP_UPSELL && e->opps[i].from_cat == o->cat) {
        sb_printf(na, "; offer the seats at the %s tier too (its upsell)",
                  score_product_name(m, e->opps[i].cat));
        break;
      }
    sb_putc(na, '.');
    break;
  case EXD_OPP_UPSELL:
    if (contact)
      sb_printf(na, "Book a value review of %s with %s between %s and %s.",
                score_product_name(m, o->cat), who, d1, d2);
    else
      sb_printf(
          na,
          "%s: find the buyer and book a value review of %s between %s and %s.",
          a->owner ? a->owner : "Account team", score_product_name(m, o->cat),
          d1, d2);
    break;
  case EXD_OPP_CROSS_SELL:
    if (contact)
      sb_printf(na,
                "Introduce %s to %s with a reference from a similar customer, "
                "%s to %s.",
                score_product_name(m, o->cat), who, d1, d2);
    else
      sb_printf(na,
                "%s: find the buyer and introduce %s with a reference from a "
                "similar customer, %s to %s.",
                a->owner ? a->owner : "Account team",
                score_product_name(m, o->cat), d1, d2);
    break;
  case EXD_OPP_USE_CASE:
    sb_printf(na, "Meet the %s lead with %s to scope a %s rollout by %s.",
              o->dept ? o->dept : "new team", who,
              score_product_name(m, o->cat), d2);
    break;
  }
}

void bizcase_free(bizcase *bc) {
  sb_free(&bc->roi);
  for (int i = 0; i < 3; i++) {
    sb_free(&bc->objection[i]);
    sb_free(&bc->response[i]);
  }
  sb_free(&bc->entry_point);
  sb_free(&bc->next_action);
}
