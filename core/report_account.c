/* `expansiond account`: one account in full; see report.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "format.h"
#include "report.h"

#define NEIGHBOURS 5

static const char *D(int32_t d, char buf[11]) {
  return date_format(d, buf);
}

static void money(FILE *out, double v, const char *cur) {
  sb b = {0};
  fmt_money(&b, v, cur);
  fputs(sb_str(&b), out);
  sb_free(&b);
}

static const char *month_name(int m) {
  static const char *const n[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return m >= 1 && m <= 12 ? n[m - 1] : "?";
}

static const char *pname(const model *m, int cat, const char *raw) {
  return cat >= 0 ? m->cat.v[cat].name : raw ? raw : "?";
}

static void roles_text(unsigned r, sb *b) {
  static const char *const n[] = {"champion", "power user", "economic buyer",
                                  "executive", "admin"};
  int first = 1;
  for (int i = 0; i < 5; i++)
    if (r & (1u << i)) {
      sb_printf(b, "%s%s", first ? "" : ", ", n[i]);
      first = 0;
    }
}

static void print_data(FILE *out, const model *m, const m_account *a) {
  char d1[11], d2[11];
  size_t n;
  fprintf(out, "ACCOUNT  %s\n", a->name ? a->name : "(no name)");
  fprintf(out, "  id %s  domain %s", a->crm_id ? a->crm_id : "-",
          a->domain ? a->domain : "-");
  if (a->parent >= 0)
    fprintf(out, "  parent %s", m->acct[a->parent].name);
  else if (a->parent_label)
    fprintf(out, "  parent %s (not among the accounts)", a->parent_label);
  fputc('\n', out);
  fprintf(out, "  first seen at %s\n", a->origin ? a->origin : "?");
  fprintf(out, "FIRMOGRAPHICS  %s",
          a->industry ? a->industry : "industry unknown");
  if (!EXD_IS_NONE(a->employees))
    fprintf(out, ", %.0f employees", a->employees);
  if (!EXD_IS_NONE(a->revenue)) {
    fputs(", revenue ", out);
    money(out, a->revenue, a->currency);
  }
  if (a->country) fprintf(out, ", %s", a->country);
  if (a->fy_start_month)
    fprintf(out, ", fiscal year starts in %s", month_name(a->fy_start_month));
  fputc('\n', out);
  fputs("COMMERCIAL  ARR ", out);
  money(out, a->arr, a->currency);
  if (a->arr_derived) fputs(" (sum of owned products)", out);
  if (a->contract_start != EXD_DATE_NONE || a->contract_end != EXD_DATE_NONE)
    fprintf(out, ", contract %s to %s", D(a->contract_start, d1),
            D(a->contract_end, d2));
  if (a->renewal != EXD_DATE_NONE)
    fprintf(out, ", renewal %s", D(a->renewal, d1));
  if (a->owner) fprintf(out, ", owner %s", a->owner);
  if (!EXD_IS_NONE(a->nps)) fprintf(out, ", NPS %.0f", a->nps);
  fputc('\n', out);

  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &n);
  fprintf(out, "PRODUCTS OWNED (%zu)\n", n);
  for (size_t i = 0; i < n; i++) {
    const cat_product *c = pr[i].cat >= 0 ? &m->cat.v[pr[i].cat] : NULL;
    fprintf(out, "  %s", pname(m, pr[i].cat, pr[i].prod_raw));
    if (c)
      fprintf(out, " (%s tier %d)", c->family, c->tier);
    else
      fputs(" (not in the catalogue)", out);
    if (!EXD_IS_NONE(pr[i].seats_purchased))
      fprintf(out, ", %.0f %s%s", pr[i].seats_purchased,
              c && c->pricing == EXD_PRICE_FLAT ? "unit" : "seat",
              pr[i].seats_purchased == 1 ? "" : "s");
    if (!EXD_IS_NONE(pr[i].seats_active))
      fprintf(out, ", %.0f active", pr[i].seats_active);
    if (!EXD_IS_NONE(pr[i].unit_price)) {
      fputs(", ", out);
      money(out, pr[i].unit_price, a->currency);
      fputs(c && c->pricing == EXD_PRICE_FLAT ? " each" : "/seat", out);
    }
    if (pr[i].start != EXD_DATE_NONE)
      fprintf(out, ", since %s", D(pr[i].start, d1));
    if (pr[i].end != EXD_DATE_NONE)
      fprintf(out, ", until %s", D(pr[i].end, d1));
    if (pr[i].lines > 1) fprintf(out, " (%u lines)", pr[i].lines);
    fputc('\n', out);
  }
  const m_health *h = MODEL_SLICE(m, a, MK_HEALTH, m_health, &n);
  if (n) {
    fprintf(out, "HEALTH  %zu scores:", n);
    for (size_t i = n > 12 ? n - 12 : 0; i < n; i++)
      fprintf(out, " %.0f (%s)", h[i].score, D(h[i].date, d1));
    fputc('\n', out);
  }
  const m_usage *u = MODEL_SLICE(m, a, MK_USAGE, m_usage, &n);
  if (n) {
    fprintf(out, "USAGE  %zu measurements; latest:", n);
    for (size_t i = 0; i < n; i++) {
      int latest = 1;
      for (size_t j = 0; j < n; j++)
        if (j != i && u[j].dept == u[i].dept && u[j].cat == u[i].cat &&
            u[j].date > u[i].date)
          latest = 0;
      if (!latest) continue;
      fprintf(out, "\n  %s%s%s", u[i].dept ? m->depts.v[u[i].dept] : "account",
              u[i].cat >= 0 ? " / " : "",
              u[i].cat >= 0 ? m->cat.v[u[i].cat].name : "");
      if (!isnan(u[i].active)) fprintf(out, ": %.0f active users", u[i].active);
      if (!isnan(u[i].cap_used))
        fprintf(out, ", capacity %.0f of %.0f", u[i].cap_used, u[i].cap_limit);
      fprintf(out, " (%s)", D(u[i].date, d1));
    }
    fputc('\n', out);
  }
  const m_feature *f = MODEL_SLICE(m, a, MK_FEATURE, m_feature, &n);
  if (n) {
    fputs("FEATURES ", out);
    for (size_t i = 0; i < n; i++)
      fprintf(out, " %s %.0f%% (%s)%s",
              m->fnames.v[f[i].feature] ? m->fnames.v[f[i].feature] : "?",
              100.0 * f[i].adoption, D(f[i].date, d1), i + 1 < n ? "," : "");
    fputc('\n', out);
  }
  const m_contact *c = MODEL_SLICE(m, a, MK_CONTACT, m_contact, &n);
  if (n) {
    fputs("PEOPLE\n", out);
    for (size_t i = 0; i < n; i++) {
      sb r = {0};
      roles_text(c[i].roles, &r);
      fprintf(out, "  %s", c[i].name ? c[i].name : "(unnamed)");
      if (c[i].title) fprintf(out, ", %s", c[i].title);
      if (c[i].department) fprintf(out, " (%s)", c[i].department);
      if (r.len) fprintf(out, " - %s", sb_str(&r));
      if (c[i].since != EXD_DATE_NONE)
        fprintf(out, ", since %s", D(c[i].since, d1));
      if (c[i].left != EXD_DATE_NONE)
        fprintf(out, ", LEFT %s", D(c[i].left, d1));
      fputc('\n', out);
      sb_free(&r);
    }
  }
  const m_escalation *e = MODEL_SLICE(m, a, MK_ESCALATION, m_escalation, &n);
  for (size_t i = 0; i < n; i++)
    fprintf(out, "ESCALATION  %s %s '%s' opened %s%s%s\n",
            e[i].id ? e[i].id : "", e[i].severity ? e[i].severity : "",
            e[i].subject ? e[i].subject : "", D(e[i].opened, d1),
            e[i].closed == EXD_DATE_NONE ? ", OPEN" : ", closed ",
            e[i].closed == EXD_DATE_NONE ? "" : D(e[i].closed, d2));
  const m_intent *in = MODEL_SLICE(m, a, MK_INTENT, m_intent, &n);
  for (size_t i = 0; i < n; i++) {
    fprintf(out, "INTENT  %s",
            pname(m, in[i].cat, in[i].prod_raw ? in[i].prod_raw : "(topics)"));
    if (!isnan(in[i].score)) fprintf(out, " score %.0f", in[i].score);
    for (uint32_t t = 0; t < in[i].n_topics; t++)
      fprintf(out, "%s%s", t ? ", " : " topics: ", in[i].topics[t]);
    fprintf(out, " (%s)\n", D(in[i].date, d1));
  }
  const m_trigger *t = MODEL_SLICE(m, a, MK_TRIGGER, m_trigger, &n);
  for (size_t i = 0; i < n; i++)
    fprintf(out, "TRIGGER  %s on %s%s%s\n", t[i].type, D(t[i].date, d1),
            t[i].detail ? ": " : "", t[i].detail ? t[i].detail : "");
  const m_opp *o = MODEL_SLICE(m, a, MK_OPP, m_opp, &n);
  if (n) {
    size_t won = 0, lost = 0, open = 0;
    for (size_t i = 0; i < n; i++) {
      won += o[i].status == EXD_OPP_WON;
      lost += o[i].status == EXD_OPP_LOST;
      open += o[i].status == EXD_OPP_OPEN;
    }
    fprintf(out, "PIPELINE  %zu opportunities: %zu won, %zu lost, %zu open\n",
            n, won, lost, open);
    for (size_t i = 0; i < n; i++)
      if (o[i].status == EXD_OPP_OPEN)
        fprintf(out, "  open %s %s (%s) since %s\n", o[i].id ? o[i].id : "",
                pname(m, o[i].cat, o[i].prod_raw),
                o[i].stage ? o[i].stage : "open", D(o[i].created, d1));
  }
}

/* Opportunities of e in ranking order (actionable first, then by expected
   value), as indices into e->opps. */
static void eval_order(const acct_eval *e, size_t *order) {
  for (size_t i = 0; i < e->n_opps; i++)
    order[i] = i;
  for (size_t i = 1; i < e->n_opps; i++)
    for (size_t j = i; j > 0; j--) {
      const opp *x = &e->opps[order[j]], *y = &e->opps[order[j - 1]];
      int xh = x->holds != 0, yh = y->holds != 0;
      if (!(xh < yh || (xh == yh && x->ev > y->ev))) break;
      size_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
}

static void print_eval(FILE *out, results *rs, const acct_eval *e) {
  const model *m = rs->m;
  char d1[11], d2[11];
  sb b = {0};
  fprintf(out, "\nSIGNALS (%zu)\n", e->n_sig);
  for (size_t i = 0; i < e->n_sig; i++) {
    explain_signal(m, &e->sig[i], &b);
    fprintf(out, "  %-21s strength %.2f  %s\n", sig_name(e->sig[i].kind),
            e->sig[i].strength, sb_str(&b));
    sb_reset(&b);
  }
  fputs("\nCOMPONENTS (0-100; similar_customers is per opportunity)\n", out);
  for (int c = 0; c < COMP_SIMILAR; c++) {
    double v = e->comp.value[c];
    if (EXD_IS_NONE(v)) {
      fprintf(out,
              "  %-11s absent (no data; its weight is shared by the others)\n",
              comp_name(c));
      continue;
    }
    explain_component(m, e, NULL, c, &b);
    fprintf(out, "  %-11s %5.1f  %s\n", comp_name(c), v, sb_str(&b));
    sb_reset(&b);
  }
  fprintf(out, "\nWINDOW  %s to %s\n", D(e->win.start, d1), D(e->win.end, d2));
  fprintf(out, "\nOPPORTUNITIES (%zu, by expected value)\n", e->n_opps);
  size_t order[OPP_MAX];
  eval_order(e, order);
  for (size_t k = 0; k < e->n_opps; k++) {
    const opp *o = &e->opps[order[k]];
    const exd_opportunity *x = results_build(rs, e, o, (uint32_t)(k + 1));
    fprintf(out, "\n%zu. %s  %s\n", k + 1, x->type_name,
            x->product ? x->product : "");
    fprintf(out, "   propensity %.1f (base %.1f %+.1f signal points), uplift ",
            o->propensity, o->base, o->points);
    money(out, o->uplift, m->currency);
    fputs("/yr, expected value ", out);
    money(out, o->ev, m->currency);
    fprintf(out, ", window %s to %s\n", D(x->window_start, d1),
            D(x->window_end, d2));
    for (size_t i = 0; i < x->n_holds; i++)
      fprintf(out, "   HOLD: %s\n", x->holds[i]);
    fputs("   reasons:\n", out);
    for (size_t i = 0; i < x->n_reasons; i++)
      fprintf(out, "     %+6.1f  %-21s %s\n", x->reasons[i].weight,
              x->reasons[i].code, x->reasons[i].text);
    fprintf(out, "   business case: %s\n", x->roi);
    for (size_t i = 0; i < x->n_objections; i++)
      fprintf(out, "   objection: \"%s\"\n     response: %s\n",
              x->objections[i].objection, x->objections[i].response);
    fprintf(out, "   entry point: %s\n   next action: %s\n", x->entry_point,
            x->next_action);
  }
  sb_free(&b);
}

static void print_neighbours(FILE *out, results *rs, uint32_t a) {
  const model *m = rs->m;
  uint32_t idx[NEIGHBOURS];
  double sim[NEIGHBOURS];
  size_t k = peers_neighbours(m, rs->p, a, NEIGHBOURS, idx, sim);
  fputs("\nSIMILAR CUSTOMERS (industry, size and products owned)\n", out);
  uint64_t mine = m->acct[a].owned;
  for (size_t i = 0; i < k; i++) {
    const m_account *y = &m->acct[idx[i]];
    fprintf(out, "  %s (similarity %.2f; %s, %s)", y->name ? y->name : "?",
            sim[i], y->industry ? y->industry : "industry unknown",
            peers_band_name(peers_band(y->employees)));
    uint64_t extra = y->owned & ~mine;
    /* Not a lower (or equal) tier of a family this account already has. */
    for (uint64_t o = extra; o; o &= o - 1) {
      int q = __builtin_ctzll(o);
      for (uint64_t h = mine; h; h &= h - 1) {
        const cat_product *mq = &m->cat.v[q],
                          *mh = &m->cat.v[__builtin_ctzll(h)];
        if (mh->family_idx == mq->family_idx && mh->tier >= mq->tier)
          extra &= ~((uint64_t)1 << q);
      }
    }
    if (extra) {
      fputs(" also owns:", out);
      int first = 1;
      for (uint64_t o = extra; o; o &= o - 1) {
        fprintf(out, "%s %s", first ? "" : ",",
                m->cat.v[__builtin_ctzll(o)].name);
        first = 0;
      }
    } else {
      fputs(" owns nothing this account could add", out);
    }
    fputc('\n', out);
  }
}

static json_t *jnum(double v) {
  return format_json_num(v, 2);
}

static void print_json(FILE *out, results *rs, const acct_eval *e) {
  const model *m = rs->m;
  const m_account *a = &m->acct[e->acct];
  json_t *j = json_object(), *acc = json_object();
  /* The same id `run` prints as account_id. */
  json_object_set_new(acc, "id",
                      format_json_str(a->crm_id   ? a->crm_id
                                      : a->domain ? a->domain
                                                  : a->name_key));
  json_object_set_new(acc, "name", format_json_str(a->name));
  json_object_set_new(acc, "domain", format_json_str(a->domain));
  json_object_set_new(acc, "parent",
                      format_json_str(a->parent >= 0 ? m->acct[a->parent].name
                                                     : a->parent_label));
  json_object_set_new(acc, "industry", format_json_str(a->industry));
  json_object_set_new(acc, "employees", jnum(a->employees));
  json_object_set_new(acc, "revenue", jnum(a->revenue));
  json_object_set_new(acc, "country", format_json_str(a->country));
  json_object_set_new(acc, "arr", jnum(a->arr));
  json_object_set_new(acc, "currency", format_json_str(a->currency));
  json_object_set_new(acc, "renewal_date", format_json_date(a->renewal));
  json_object_set_new(acc, "owner", format_json_str(a->owner));
  json_t *owned = json_array();
  size_t n;
  const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &n);
  for (size_t i = 0; i < n; i++) {
    json_t *p = json_object();
    json_object_set_new(p, "product",
                        format_json_str(pname(m, pr[i].cat, pr[i].prod_raw)));
    json_object_set_new(p, "seats_purchased", jnum(pr[i].seats_purchased));
    json_object_set_new(p, "seats_active", jnum(pr[i].seats_active));
    json_object_set_new(p, "unit_price", jnum(pr[i].unit_price));
    json_object_set_new(p, "start", format_json_date(pr[i].start));
    json_array_append_new(owned, p);
  }
  json_object_set_new(acc, "products", owned);
  json_object_set_new(j, "account", acc);
  json_t *sigs = json_array();
  sb b = {0};
  for (size_t i = 0; i < e->n_sig; i++) {
    json_t *s = json_object();
    explain_signal(m, &e->sig[i], &b);
    json_object_set_new(s, "code", format_json_str(sig_name(e->sig[i].kind)));
    json_object_set_new(s, "strength", jnum(e->sig[i].strength));
    json_object_set_new(s, "product",
                        format_json_str(e->sig[i].cat >= 0
                                            ? m->cat.v[e->sig[i].cat].name
                                            : NULL));
    json_object_set_new(s, "evidence", format_json_str(sb_str(&b)));
    sb_reset(&b);
    json_array_append_new(sigs, s);
  }
  json_object_set_new(j, "signals", sigs);
  json_t *comps = json_object();
  for (int c = 0; c < COMP_SIMILAR; c++) {
    json_t *x = json_object();
    json_object_set_new(x, "value", jnum(e->comp.value[c]));
    if (!EXD_IS_NONE(e->comp.value[c])) explain_component(m, e, NULL, c, &b);
    json_object_set_new(x, "evidence",
                        b.len ? format_json_str(sb_str(&b)) : json_null());
    sb_reset(&b);
    json_object_set_new(comps, comp_name(c), x);
  }
  sb_free(&b);
  json_object_set_new(j, "components", comps);
  json_t *opps = json_array();
  size_t order[OPP_MAX];
  eval_order(e, order);
  for (size_t i = 0; i < e->n_opps; i++)
    json_array_append_new(
        opps, format_opportunity_json(
                  results_build(rs, e, &e->opps[order[i]], (uint32_t)(i + 1))));
  json_object_set_new(j, "opportunities", opps);
  uint32_t idx[NEIGHBOURS];
  double sim[NEIGHBOURS];
  size_t k = peers_neighbours(m, rs->p, e->acct, NEIGHBOURS, idx, sim);
  json_t *nb = json_array();
  for (size_t i = 0; i < k; i++) {
    json_t *x = json_object();
    json_object_set_new(x, "account", format_json_str(m->acct[idx[i]].name));
    json_object_set_new(x, "similarity", jnum(sim[i]));
    json_t *own = json_array();
    for (uint64_t o = m->acct[idx[i]].owned; o; o &= o - 1)
      json_array_append_new(own,
                            json_string(m->cat.v[__builtin_ctzll(o)].name));
    json_object_set_new(x, "owns", own);
    json_array_append_new(nb, x);
  }
  json_object_set_new(j, "similar_customers", nb);
  char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                              JSON_REAL_PRECISION(15));
  fprintf(out, "%s\n", s);
  free(s);
  json_decref(j);
}

void report_account(FILE *out, results *rs, uint32_t a, int json) {
  acct_eval *e = xcalloc(1, sizeof(*e));
  score_account(rs->m, rs->p, rs->sp, a, e);
  if (json) {
    print_json(out, rs, e);
  } else {
    print_data(out, rs->m, &rs->m->acct[a]);
    print_eval(out, rs, e);
    print_neighbours(out, rs, a);
  }
  free(e);
}
