/* Ranked results → exd_opportunity; see results.h. */
#include "results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "format.h"

void results_init(results *rs, const model *m, const peers *p,
                  const score_params *sp, const ranking *r) {
  memset(rs, 0, sizeof(*rs));
  rs->m = m;
  rs->p = p;
  rs->sp = sp;
  rs->r = r;
  rs->eval = xcalloc(1, sizeof(*rs->eval));
}

void results_free(results *rs) {
  free(rs->eval);
  pool_free(rs->pool);
  sb_free(&rs->text);
  memset(rs, 0, sizeof(*rs));
}

const acct_eval *results_eval(results *rs, uint32_t a) {
  if (!rs->have_eval || rs->eval_acct != a) {
    score_account(rs->m, rs->p, rs->sp, a, rs->eval);
    rs->eval_acct = a;
    rs->have_eval = 1;
  }
  return rs->eval;
}

static const char *keep(results *rs, sb *b) {
  const char *s = pool_copy(rs->pool, sb_str(b));
  sb_reset(b);
  return s;
}

static int has_component(const opp *o) {
  for (int c = 0; c < COMP__COUNT; c++)
    if (o->weight_used[c] > 0) return 1;
  return 0;
}

/* What a window hangs on, so the key survives daily runs: the renewal date,
   the fiscal-year start or the trigger date; the quarter for the default
   window (which starts "today"). */
static void window_anchor(const window *w, sb *b) {
  char d[11];
  int y, mo, dd;
  switch (w->kind) {
  case WIN_RENEWAL:
    sb_printf(b, "renewal:%s", date_format(w->anchor, d));
    break;
  case WIN_BUDGET: sb_printf(b, "budget:%s", date_format(w->anchor, d)); break;
  case WIN_TRIGGER:
    sb_printf(b, "trigger:%s", date_format(w->anchor, d));
    break;
  default:
    date_to_ymd(w->start, &y, &mo, &dd);
    sb_printf(b, "%04d-Q%d", y, (mo - 1) / 3 + 1);
  }
}

static int cmp_reason(const void *x, const void *y) {
  const exd_reason *a = x, *b = y;
  double fa = fabs(a->weight), fb = fabs(b->weight);
  if (fa != fb) return fa > fb ? -1 : 1;
  int c = strcmp(a->code, b->code);
  return c ? c : strcmp(a->text, b->text);
}

const exd_opportunity *results_build(results *rs, const acct_eval *e,
                                     const opp *o, uint32_t rank) {
  const model *m = rs->m;
  const m_account *a = &m->acct[e->acct];
  pool_free(rs->pool);
  rs->pool = pool_new();
  sb b = {0};
  exd_opportunity *x = &rs->cur;
  memset(x, 0, sizeof(*x));
  x->struct_size = sizeof(*x);
  x->rank = rank;
  x->account_id = a->crm_id ? a->crm_id : a->domain ? a->domain : a->name_key;
  x->account_name = a->name ? a->name : x->account_id;
  x->type = o->type;
  x->type_name = opp_type_name(o->type);
  x->product = o->cat >= 0 ? m->cat.v[o->cat].name : NULL;
  x->propensity = o->propensity;
  x->expected_uplift = o->uplift;
  x->expected_value = o->ev;
  x->window_start = o->win.start;
  x->window_end = o->win.end;
  sb_printf(&b, "%s|%s|%s|", x->account_id ? x->account_id : "", x->type_name,
            x->product ? x->product : "");
  window_anchor(&o->win, &b);
  x->key = keep(rs, &b);

  /* Reasons: components (points they put into the base), signals (points
     they add or take), and a note when weights were redistributed. */
  size_t nr = 0;
  static const char *const comp_codes[COMP__COUNT] = {
      "health", "usage", "engagement", "timing", "similar_customers"};
  int missing = 0;
  double missing_w = 0;
  for (int c = 0; c < COMP__COUNT; c++) {
    if (o->weight_used[c] <= 0) {
      if (rs->sp->weight[c] > 0) {
        missing |= 1 << c;
        missing_w += rs->sp->weight[c];
      }
      continue;
    }
    double v = c == COMP_SIMILAR ? o->similar : e->comp.value[c];
    explain_component(m, e, o, c, &b);
    sb_printf(&b, " [%s %.0f/100 x weight %.2f x share %.2f]", comp_name(c), v,
              o->weight_used[c], rs->sp->component_share);
    rs->reasons[nr++] =
        (exd_reason){comp_codes[c], keep(rs, &b), o->comp_points[c]};
  }
  for (size_t i = 0; i < e->n_sig; i++) {
    if (o->sig_points[i] == 0) continue;
    explain_signal(m, &e->sig[i], &b);
    rs->reasons[nr++] =
        (exd_reason){sig_name(e->sig[i].kind), keep(rs, &b), o->sig_points[i]};
  }
  qsort(rs->reasons, nr, sizeof(*rs->reasons), cmp_reason);
  if (missing && !has_component(o)) {
    sb_printf(&b,
              "no health, usage, engagement, timing or similar-customer data: "
              "readiness is taken as neutral (50 x share %.2f)",
              rs->sp->component_share);
    if (nr < REASON_MAX)
      rs->reasons[nr++] =
          (exd_reason){"no_component_data", keep(rs, &b), o->base};
  } else if (missing) {
    int first = 1;
    sb_put(&b, "no ");
    for (int c = 0; c < COMP__COUNT; c++)
      if (missing & (1 << c)) {
        sb_printf(&b, "%s%s", first ? "" : " or ", comp_name(c));
        first = 0;
      }
    sb_printf(&b, " data: their weight %.2f was shared by the other components",
              missing_w);
    if (nr < REASON_MAX)
      rs->reasons[nr++] =
          (exd_reason){"weights_redistributed", keep(rs, &b), 0};
  }
  x->reasons = rs->reasons;
  x->n_reasons = nr;

  size_t nh = 0;
  for (uint32_t bit = 1; bit && bit <= HOLD_OPEN_OPP; bit <<= 1) {
    if (!(o->holds & bit) || nh >= 8) continue;
    explain_hold(m, e, o, bit, &b);
    rs->holds[nh++] = keep(rs, &b);
  }
  x->holds = rs->holds;
  x->n_holds = nh;

  bizcase bc;
  bizcase_build(m, rs->sp, e, o, &bc);
  x->current_arr = bc.current_arr;
  x->roi = keep(rs, &bc.roi);
  for (size_t i = 0; i < bc.n_objections; i++) {
    rs->objections[i].objection = keep(rs, &bc.objection[i]);
    rs->objections[i].response = keep(rs, &bc.response[i]);
  }
  x->objections = rs->objections;
  x->n_objections = bc.n_objections;
  x->entry_point = keep(rs, &bc.entry_point);
  x->next_action = keep(rs, &bc.next_action);
  bizcase_free(&bc);
  sb_free(&b);
  return x;
}

const exd_opportunity *results_get(results *rs, size_t i) {
  if (!rs->r || i >= rs->r->n) return NULL;
  const rank_entry *re = &rs->r->v[i];
  const acct_eval *e = results_eval(rs, re->acct);
  const opp *o = eval_find(e, re->type, re->cat);
  if (!o) return NULL; /* cannot happen: scoring is deterministic */
  return results_build(rs, e, o, (uint32_t)(i + 1));
}

const char *results_format(results *rs, size_t i, int fmt) {
  sb_reset(&rs->text);
  if (fmt == EXD_FMT_CSV_HEADER) {
    exd_opportunity empty = {.struct_size = sizeof(empty)};
    format_opportunity(&empty, fmt, &rs->text);
    return sb_str(&rs->text);
  }
  const exd_opportunity *o = results_get(rs, i);
  if (!o || format_opportunity(o, fmt, &rs->text) < 0) return NULL;
  return sb_str(&rs->text);
}
