/* Reason and hold texts (evidence) for signals and components. */
#include <math.h>
#include <string.h>

#include "date.h"
#include "score.h"

void fmt_money(sb *out, double v, const char *cur) {
  if (EXD_IS_NONE(v)) {
    sb_put(out, "n/a");
    return;
  }
  const char *sym = !cur || !strcmp(cur, "USD") ? "$"
                    : !strcmp(cur, "EUR")       ? "\u20ac"
                    : !strcmp(cur, "GBP")       ? "\u00a3"
                                                : NULL;
  if (v < 0) {
    sb_putc(out, '-');
    v = -v;
  }
  if (sym)
    sb_put(out, sym);
  else
    sb_printf(out, "%s ", cur);
  if (v < 100 && v != floor(v)) {
    sb_printf(out, "%.2f", v);
    return;
  }
  char digits[32];
  snprintf(digits, sizeof(digits), "%.0f", round(v));
  size_t n = strlen(digits);
  for (size_t i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0) sb_putc(out, ',');
    sb_putc(out, digits[i]);
  }
}

static void num(sb *out, double v) {
  if (EXD_IS_NONE(v))
    sb_put(out, "?");
  else if (fabs(v - round(v)) < 1e-9 || fabs(v) >= 100)
    sb_printf(out, "%.0f", v);
  else
    sb_printf(out, "%.1f", v);
}

static const char *dstr(int32_t d, char buf[11]) {
  return date_format(d, buf);
}

static const char *stage_name(int st) {
  static const char *const n[] = {
      NULL, "Target", "Awareness", "Consideration", "Decision", "Purchase"};
  return st >= 1 && st <= 5 ? n[st] : NULL;
}

/* " Name (Title)", " Name", " (Title)" or nothing. */
static void person(sb *out, const char *name, const char *title) {
  if (name) sb_printf(out, " %s", name);
  if (title) sb_printf(out, " (%s)", title);
}

void explain_signal(const model *m, const exsig *s, sb *out) {
  char d1[11], d2[11];
  switch (s->kind) {
  case SIG_USAGE_CEILING:
    if (s->s[0] && !strcmp(s->s[0], "seats")) {
      sb_printf(out, "%s: ", score_product_name(m, s->cat));
      num(out, s->v[0]);
      sb_put(out, " of ");
      num(out, s->v[1]);
      sb_printf(out, " seats active (%.0f%%)", 100.0 * s->v[3]);
    } else {
      if (s->cat >= 0) sb_printf(out, "%s: ", score_product_name(m, s->cat));
      sb_put(out, "capacity ");
      num(out, s->v[0]);
      sb_put(out, " of ");
      num(out, s->v[1]);
      sb_printf(out, " used (%.0f%%)", 100.0 * s->v[3]);
    }
    if (!EXD_IS_NONE(s->v[2]) && s->v[2] > 0)
      sb_printf(out, ", +%.1f a month", s->v[2]);
    if (s->v[0] >= s->v[1])
      sb_put(out, "; at or over the limit");
    else if (s->d[0] != EXD_DATE_NONE && s->strength > 0 &&
             s->d[0] - m->as_of <= 365)
      sb_printf(out, "; full by %s at this trend", dstr(s->d[0], d1));
    break;
  case SIG_NEW_USE_CASE:
    if (s->s[1])
      sb_printf(out, "new %s contact %s since %s", s->s[0], s->s[1],
                dstr(s->d[0], d1));
    else {
      sb_printf(out, "%s team started using %s on %s", s->s[0],
                s->cat >= 0 ? score_product_name(m, s->cat) : "the product",
                dstr(s->d[0], d1));
      if (!EXD_IS_NONE(s->v[0])) {
        sb_put(out, " (");
        num(out, s->v[0]);
        sb_put(out, " active users)");
      }
    }
    break;
  case SIG_ORG_GROWTH:
  case SIG_NEW_STAKEHOLDER:
    if (s->s[0] && s->d[1] != EXD_DATE_NONE) { /* a trigger */
      sb_printf(out, "%s on %s", s->s[0], dstr(s->d[1], d1));
      if (s->s[1]) sb_printf(out, ": %s", s->s[1]);
    } else if (s->kind == SIG_ORG_GROWTH) {
      sb_put(out, "headcount ");
      num(out, s->v[0]);
      sb_put(out, " -> ");
      num(out, s->v[1]);
      sb_printf(out, " (+%.0f%%) since %s", 100.0 * s->v[2], dstr(s->d[0], d1));
    } else {
      uint32_t roles = (uint32_t)s->v[0];
      const char *role = roles & EXD_ROLE_EXECUTIVE        ? "executive"
                         : roles & EXD_ROLE_ECONOMIC_BUYER ? "economic buyer"
                                                           : "champion";
      sb_printf(out, "new %s", role);
      person(out, s->s[0], s->s[1]);
      sb_printf(out, " engaged since %s", dstr(s->d[0], d1));
    }
    break;
  case SIG_INTENT:
    if (!EXD_IS_NONE(s->v[0]))
      sb_printf(out, "buying intent %.0f for %s", s->v[0],
                score_product_name(m, s->cat));
    else
      sb_printf(out, "researching topics %s answers",
                score_product_name(m, s->cat));
    if (stage_name((int)s->v[1]))
      sb_printf(out, " (%s stage)", stage_name((int)s->v[1]));
    if (s->s[0]) sb_printf(out, ", topic '%s'", s->s[0]);
    sb_printf(out, " on %s", dstr(s->d[0], d1));
    break;
  case SIG_HEALTH_UP:
  case SIG_HEALTH_DOWN:
    sb_put(out, "health ");
    num(out, s->v[0]);
    sb_put(out, " -> ");
    num(out, s->v[1]);
    sb_printf(out, " between %s and %s (%+.1f points a quarter)",
              dstr(s->d[0], d1), dstr(s->d[1], d2), s->v[2]);
    break;
  case SIG_RELATED_OWNS:
    sb_printf(out, "%s %s owns %s",
              s->v[0] == 1   ? "parent company"
              : s->v[0] == 2 ? "sister company"
                             : "subsidiary",
              s->s[0] ? s->s[0] : "?", score_product_name(m, s->cat));
    break;
  case SIG_CHAMPION_LEFT:
    sb_put(out, "champion");
    person(out, s->s[0], s->s[1]);
    sb_printf(out, " left on %s; no champion since", dstr(s->d[0], d1));
    break;
  case SIG_ESCALATION:
    sb_printf(out, "%.0f open escalation%s; ", s->v[0],
              s->v[0] == 1 ? "" : "s");
    if (s->s[0]) sb_printf(out, "%s ", s->s[0]);
    if (s->s[1]) sb_printf(out, "'%s' ", s->s[1]);
    sb_printf(out, "open since %s", dstr(s->d[0], d1));
    break;
  case SIG_LOST_DEAL:
    sb_printf(out, "lost deal %s%sfor %s on %s", s->s[0] ? s->s[0] : "",
              s->s[0] ? " " : "", score_product_name(m, s->cat),
              dstr(s->d[0], d1));
    break;
  default: sb_put(out, "?");
  }
}

static void sep(sb *out, int *first) {
  if (!*first) sb_put(out, ", ");
  *first = 0;
}

void explain_component(const model *m, const acct_eval *e, const opp *o,
                       int comp, sb *out) {
  const comp_ev *c = &e->comp;
  char d1[11], d2[11];
  int first = 1;
  switch (comp) {
  case COMP_HEALTH:
    sb_put(out, "health score ");
    num(out, c->health);
    sb_printf(out, " on %s", dstr(c->health_date, d1));
    break;
  case COMP_USAGE:
    if (!EXD_IS_NONE(c->seat_util)) {
      sep(out, &first);
      sb_printf(out, "seat use %.0f%% (", 100.0 * c->seat_util);
      num(out, c->seat_active);
      sb_put(out, " of ");
      num(out, c->seat_purchased);
      sb_putc(out, ')');
    }
    if (!EXD_IS_NONE(c->cap_util)) {
      sep(out, &first);
      sb_printf(out, "capacity %.0f%% used", 100.0 * c->cap_util);
    }
    if (!EXD_IS_NONE(c->adoption)) {
      sep(out, &first);
      sb_printf(out, "feature adoption %.0f%%", 100.0 * c->adoption);
    }
    if (!EXD_IS_NONE(c->user_growth)) {
      sep(out, &first);
      if (fabs(c->user_growth) < 0.005)
        sb_put(out, "active users flat over the quarter");
      else
        sb_printf(out, "active users %+.0f%% over the quarter",
                  100.0 * c->user_growth);
    }
    break;
  case COMP_ENGAGEMENT:
    if (!EXD_IS_NONE(c->people)) {
      sep(out, &first);
      sb_printf(out, "%s, %d power user%s",
                c->champions ? "champion active" : "no active champion",
                c->power_users, c->power_users == 1 ? "" : "s");
    }
    if (!EXD_IS_NONE(c->nps_part)) {
      sep(out, &first);
      sb_printf(out, "NPS %.0f", m->acct[e->acct].nps);
    }
    if (!EXD_IS_NONE(c->support_part)) {
      sep(out, &first);
      sb_printf(out, "%d open escalation%s", c->open_escalations,
                c->open_escalations == 1 ? "" : "s");
    }
    if (!EXD_IS_NONE(c->win_rate)) {
      sep(out, &first);
      sb_printf(out, "won %.0f of %u deals in the last 12 months",
                round(c->win_rate * c->deals_closed), c->deals_closed);
    }
    break;
  case COMP_TIMING: {
    const window *w = o ? &o->win : &e->win;
    switch (w->kind) {
    case WIN_RENEWAL:
      sb_printf(out, "renewal on %s", dstr(w->anchor, d1));
      break;
    case WIN_BUDGET:
      sb_printf(out, "fiscal year starts %s: budget planning",
                dstr(w->anchor, d1));
      break;
    case WIN_TRIGGER:
      sb_printf(out, "%s on %s: act while it is fresh",
                w->what ? w->what : "trigger", dstr(w->anchor, d1));
      break;
    default:
      sb_put(out, "no renewal, budget or trigger moment within the horizon");
    }
    if (w->kind != WIN_DEFAULT)
      sb_printf(out, " (window %s to %s)", dstr(w->start, d1),
                dstr(w->end, d2));
    break;
  }
  case COMP_SIMILAR: {
    if (!o) break;
    const peer_ev *p = &o->peer;
    if (p->seg_n)
      sb_printf(out, "%u of %u look-alikes", p->seg_own, p->seg_n);
    else
      sb_put(out, "no other account in the same segment");
    if (p->industry || p->band) {
      sb_put(out, " (");
      if (p->industry) sb_printf(out, "%s", p->industry);
      if (p->industry && p->band) sb_put(out, ", ");
      if (p->band) sb_put(out, peers_band_name(p->band));
      sb_putc(out, ')');
    }
    if (p->seg_n) sb_printf(out, " own %s", score_product_name(m, o->cat));
    if (p->basket_from >= 0)
      sb_printf(out, "; %u of %u owners of %s do", p->basket_own, p->basket_n,
                score_product_name(m, p->basket_from));
    sb_printf(out, " (rate smoothed toward the wider base: %.0f%%)",
              100.0 * p->rate);
    break;
  }
  default: break;
  }
}

void explain_hold(const model *m, const acct_eval *e, const opp *o,
                  uint32_t bit, sb *out) {
  char d1[11];
  const m_account *a = &m->acct[e->acct];
  const exsig *s;
  switch (bit) {
  case HOLD_HEALTH:
    s = eval_signal(e, SIG_HEALTH_DOWN, -2);
    if (s && s->strength >= 0.5) {
      sb_put(out, "health declining: ");
      explain_signal(m, s, out);
    } else {
      sb_put(out, "health ");
      num(out, e->comp.health);
      sb_put(out, " is low");
    }
    break;
  case HOLD_ESCALATION:
    s = eval_signal(e, SIG_ESCALATION, -2);
    if (s) explain_signal(m, s, out);
    break;
  case HOLD_CHAMPION_LEFT:
    s = eval_signal(e, SIG_CHAMPION_LEFT, -2);
    if (s) explain_signal(m, s, out);
    break;
  case HOLD_NEG_TRIGGER: {
    size_t n;
    const m_trigger *t = MODEL_SLICE(m, a, MK_TRIGGER, m_trigger, &n);
    const m_trigger *latest = NULL; /* the most recent one caused the hold */
    for (size_t i = 0; i < n; i++)
      if (t[i].date >= m->as_of - 365 && t[i].type &&
          (!strcmp(t[i].type, "layoffs") ||
           !strcmp(t[i].type, "budget_freeze") ||
           !strcmp(t[i].type, "hiring_freeze") ||
           !strcmp(t[i].type, "bankruptcy")) &&
          (!latest || t[i].date >= latest->date))
        latest = &t[i];
    if (latest) {
      sb_printf(out, "%s on %s", latest->type, dstr(latest->date, d1));
      if (latest->detail) sb_printf(out, ": %s", latest->detail);
    }
    break;
  }
  case HOLD_OPEN_OPP: {
    size_t n;
    const m_opp *op = MODEL_SLICE(m, a, MK_OPP, m_opp, &n);
    if (o && o->open_opp >= 0 && (size_t)o->open_opp < n) {
      const m_opp *x = &op[o->open_opp];
      sb_printf(out, "already in the pipeline: open opportunity %s for %s",
                x->id ? x->id : "(no id)", score_product_name(m, x->cat));
      if (x->stage) sb_printf(out, " (%s", x->stage);
      if (x->created != EXD_DATE_NONE)
        sb_printf(out, "%ssince %s", x->stage ? ", " : " (",
                  dstr(x->created, d1));
      if (x->stage || x->created != EXD_DATE_NONE) sb_putc(out, ')');
    }
    break;
  }
  default: break;
  }
}
