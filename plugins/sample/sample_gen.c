/* The sample generator: one account's records; see sample_gen.h. */
#include "sample_gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample_priv.h"

static double clamp(double v, double lo, double hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* ---- emitting ---- */

static void out(sample_gen *g, const exd_record *r) {
  g->count++;
  if (g->emit(g->ctx, r) < 0) g->rejected++;
}

/* A fresh record of type for the current account. */
static exd_record *rec(sample_gen *g, exd_record *r, int type) {
  *r = g->tmpl[type];
  r->origin = g->origin;
  r->account.crm_id = g->id;
  return r;
}

size_t sample_gen_catalogue(sample_gen *g, sample_emit_fn emit, void *ctx) {
  exd_record r;
  g->emit = emit;
  g->ctx = ctx;
  g->count = 0;
  for (int i = 0; i < SP_COUNT; i++) {
    const sample_product *sp = &sample_products[i];
    const sample_family *f = &sample_families[sp->family];
    r = g->tmpl[EXD_REC_CATALOGUE];
    r.origin = "sample:catalogue";
    exd_rec_catalogue *k = &r.u.catalogue;
    k->product = sp->name;
    k->family = f->name;
    k->tier = sp->tier;
    k->tier_name = sp->tier_name;
    k->list_price = sp->list_price;
    k->pricing = sp->per_seat ? EXD_PRICE_PER_SEAT : EXD_PRICE_FLAT;
    k->aliases = sp->aliases;
    k->n_aliases = sp->n_aliases;
    k->topics = f->topics;
    k->n_topics = f->n_topics;
    out(g, &r);
  }
  return g->count;
}

/* What the generator decided about one account before emitting. */
typedef struct acct {
  int64_t index;
  uint64_t s;  /* main stream */
  double d;    /* destiny */
  double size; /* 0 (10 employees) .. 1 (100k) */
  double employees;
  int32_t since, term_start, term_end;
  int prod[SF_COUNT]; /* owned product per family, or -1 */
  double seats[SF_COUNT], active[SF_COUNT], price[SF_COUNT];
  int32_t start[SF_COUNT];
  double arr;
  double usage_growth; /* per month, relative */
  const char *owner;
} acct;

static void plan_products(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  for (int f = 0; f < SF_COUNT; f++)
    a->prod[f] = -1;

  double r = u01(s) + 0.3 * (a->size - 0.4);
  int tier = r < 0.5 ? 0 : r < 0.85 ? 1 : 2;
  double coverage =
      clamp(1.1 - 0.2 * log10(a->employees) + 0.2 * (u01(s) - 0.5), 0.05, 1.0);
  double util = clamp(0.42 + 0.62 * a->d + 0.1 * (u01(s) - 0.5), 0.2, 1.25);
  double discount =
      clamp(0.04 + 0.16 * a->size + 0.1 * (u01(s) - 0.5), 0.0, 0.25);

  a->prod[SF_WORKSPACE] = SP_WS_STARTER + tier;
  a->seats[SF_WORKSPACE] = fmax(5, round(a->employees * coverage));
  a->active[SF_WORKSPACE] = round(a->seats[SF_WORKSPACE] * util);
  a->start[SF_WORKSPACE] = a->since;

  double own_scale = (0.5 + a->size) / 0.9;
  for (int f = 1; f < SF_COUNT; f++) {
    const sample_family *fam = &sample_families[f];
    double u = u01(s), u2 = u01(s), u3 = u01(s);
    if (u >= clamp(fam->base_own * own_scale, 0, 0.95)) continue;
    int t = fam->n_tiers > 1 && u2 < 0.3 + 0.2 * a->size ? 1 : 0;
    a->prod[f] = fam->first + t;
    if (sample_products[fam->first].per_seat) {
      a->seats[f] = fmax(3, round(a->seats[SF_WORKSPACE] * (0.1 + 0.25 * u3)));
      a->active[f] =
          round(a->seats[f] * clamp(util + 0.1 * (u01(s) - 0.5), 0.2, 1.25));
    } else {
      a->seats[f] = 1;
      a->active[f] = EXD_NONE;
    }
    /* Bought with the first contract, or cross-sold since. */
    uint32_t tenure = (uint32_t)(g->p.as_of - a->since);
    a->start[f] =
        u01(s) < 0.5 ? a->since : a->since + (int32_t)below(s, tenure + 1);
  }
  a->arr = 0;
  for (int f = 0; f < SF_COUNT; f++) {
    if (a->prod[f] < 0) continue;
    a->price[f] =
        round(sample_products[a->prod[f]].list_price * (1.0 - discount));
    a->arr += a->seats[f] * a->price[f];
  }
}

static void emit_account(sample_gen *g, acct *a, int industry, int country,
                         int64_t parent) {
  uint64_t *s = &a->s;
  const sample_industry *ind = &sample_industries[industry];
  exd_record r;

  rec(g, &r, EXD_REC_ACCOUNT);
  r.account.domain = g->domain;
  r.account.name = g->name;
  exd_rec_account *x = &r.u.account;
  if (parent >= 0) {
    sample__make_id(g, parent, g->parent_id);
    x->parent.crm_id = g->parent_id;
  }
  x->industry = ind->name;
  x->employees = a->employees;
  x->revenue = round(a->employees * ind->revenue_per_employee *
                     exp(0.35 * sample__normal(s)) / 1000.0) *
               1000.0;
  x->country = sample_countries[country].name;
  double u = u01(s);
  x->fy_start_month = u < 0.7 ? 1 : u < 0.8 ? 4 : u < 0.9 ? 7 : 10;
  x->arr = a->arr;
  x->currency = "USD";
  x->contract_start = a->term_start;
  x->contract_end = a->term_end;
  x->nps = clamp(round(-30 + 110 * a->d + 25 * (u01(s) - 0.5)), -100, 100);
  x->owner = a->owner;
  x->as_of = g->p.as_of;
  out(g, &r);

  /* A year earlier: the employee count then (history for growth). */
  double growth = a->d > 0.6   ? 1.0 + 0.5 * (a->d - 0.6) + 0.1 * u01(s)
                  : a->d < 0.3 ? 0.88 + 0.12 * u01(s)
                               : 0.97 + 0.09 * u01(s);
  rec(g, &r, EXD_REC_ACCOUNT);
  r.u.account.employees = fmax(1, round(a->employees / growth));
  r.u.account.as_of = g->p.as_of - 365;
  out(g, &r);
}

static void emit_products(sample_gen *g, const acct *a) {
  exd_record r;
  for (int f = 0; f < SF_COUNT; f++) {
    if (a->prod[f] < 0) continue;
    const sample_product *sp = &sample_products[a->prod[f]];
    rec(g, &r, EXD_REC_PRODUCT);
    exd_rec_product *x = &r.u.product;
    x->product = sp->name;
    x->tier = sp->tier_name;
    x->seats_purchased = a->seats[f];
    x->seats_active = a->active[f];
    x->unit_price = a->price[f];
    x->start = a->start[f];
    x->end = a->term_end;
    out(g, &r);
  }
}

static void emit_health(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  exd_record r;
  double base = 32 + 48 * a->d + 10 * (u01(s) - 0.5);
  double slope = (a->d - 0.5) * 2.6 + 0.4 * (u01(s) - 0.5);
  for (int k = g->p.history_months - 1; k >= 0; k--) {
    rec(g, &r, EXD_REC_HEALTH);
    r.u.health.date = g->month_start[k];
    r.u.health.score =
        clamp(round(base - slope * k + 6 * (u01(s) - 0.5)), 0, 100);
    out(g, &r);
  }
}

static void shuffle_pick(uint64_t *s, int *idx, int n, int k) {
  for (int i = 0; i < n; i++)
    idx[i] = i;
  for (int i = 0; i < k && i < n - 1; i++) {
    int j = i + (int)below(s, (uint32_t)(n - i));
    int t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
}

static void emit_usage(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  exd_record r;
  const char *ws = sample_products[a->prod[SF_WORKSPACE]].name;
  int tier = sample_products[a->prod[SF_WORKSPACE]].tier;
  double active = a->active[SF_WORKSPACE];
  double gr = a->usage_growth;

  /* Account level, monthly, with storage capacity. */
  double limit = a->seats[SF_WORKSPACE] * (tier == 1   ? 10
                                           : tier == 2 ? 25
                                                       : 60);
  double used =
      limit * clamp(0.3 + 0.65 * a->d + 0.1 * (u01(s) - 0.5), 0.05, 0.99);
  double cap_growth = 0.01 + 0.05 * a->d;
  int months = g->p.history_months < 6 ? g->p.history_months : 6;
  for (int k = months - 1; k >= 0; k--) {
    rec(g, &r, EXD_REC_USAGE);
    exd_rec_usage *x = &r.u.usage;
    x->date = g->month_start[k];
    x->product = ws;
    x->active_users =
        fmax(0, round(active * (1 - gr * k) * (1 + 0.03 * (u01(s) - 0.5))));
    x->capacity_used = round(used * fmax(0.05, 1 - cap_growth * k) * 10) / 10;
    x->capacity_limit = limit;
    out(g, &r);
  }

  /* Departments, quarterly for the last three quarters. */
  int idx[8];
  int n_dep = (int)sample_departments.n;
  double u = u01(s);
  int nd = u < 0.4 ? 1 : u < 0.7 ? 2 : u < 0.9 ? 3 : 4;
  shuffle_pick(s, idx, n_dep, nd + 1);
  double w[4], sum = 0;
  for (int j = 0; j < nd; j++)
    sum += w[j] = 0.5 + u01(s);
  for (int j = 0; j < nd; j++) {
    double share = w[j] / sum * 0.9;
    for (int q = 6; q >= 0; q -= 3) {
      rec(g, &r, EXD_REC_USAGE);
      r.u.usage.date = g->month_start[q];
      r.u.usage.product = ws;
      r.u.usage.department = sample_departments.v[idx[j]];
      r.u.usage.active_users = fmax(1, round(share * active * (1 - gr * q)));
      out(g, &r);
    }
  }
  /* A department that started in the last ~60 days. */
  if (a->d > 0.7 && u01(s) < 0.75) {
    rec(g, &r, EXD_REC_USAGE);
    r.u.usage.date = g->p.as_of - 5 - (int32_t)below(s, 50);
    r.u.usage.product = ws;
    r.u.usage.department = sample_departments.v[idx[nd]];
    r.u.usage.active_users = 3 + below(s, 2 + (uint32_t)(active * 0.05));
    out(g, &r);
  }
}

static void emit_features(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  exd_record r;
  int idx[8];
  int n = 3 + (u01(s) < 0.5) + (u01(s) < 0.3) + (u01(s) < 0.15);
  shuffle_pick(s, idx, (int)sample_features.n, n);
  const char *ws = sample_products[a->prod[SF_WORKSPACE]].name;
  for (int j = 0; j < n; j++) {
    rec(g, &r, EXD_REC_FEATURE);
    r.u.feature.date = g->month_start[0];
    r.u.feature.product = ws;
    r.u.feature.feature = sample_features.v[idx[j]];
    r.u.feature.adoption =
        round(clamp(0.1 + 0.6 * a->d + 0.3 * (u01(s) - 0.5) - 0.05 * j, 0, 1) *
              100) /
        100;
    out(g, &r);
  }
}

static const sample_title *pick_title(uint64_t *s, const sample_titles *t) {
  return &t->v[below(s, (uint32_t)t->n)];
}

static void emit_contacts(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  exd_record r;
  int32_t as_of = g->p.as_of;
  uint32_t tenure = (uint32_t)(as_of - a->since);
  int n = 2 + (u01(s) < 0.55) + (u01(s) < 0.3) + (u01(s) < 0.15);
  int champion_left = a->d < 0.3 && u01(s) < 0.65;
  int new_stakeholder = a->d > 0.68 && u01(s) < 0.7;
  for (int j = 0; j < n; j++) {
    unsigned roles;
    const sample_title *t;
    int32_t since = a->since + (int32_t)below(s, tenure + 1);
    int32_t left = EXD_DATE_NONE;
    switch (j) {
    case 0:
      if (u01(s) < 0.88) {
        roles = EXD_ROLE_CHAMPION;
        t = pick_title(s, &sample_champion_titles);
        if (champion_left) {
          left = as_of - 5 - (int32_t)below(s, 80);
          if (since >= left) since = left - 30 - (int32_t)below(s, 300);
        }
      } else {
        roles = EXD_ROLE_POWER_USER;
        t = pick_title(s, &sample_power_user_titles);
      }
      break;
    case 1:
      if (u01(s) < 0.3) {
        roles = EXD_ROLE_ADMIN | EXD_ROLE_POWER_USER;
        t = pick_title(s, &sample_admin_titles);
      } else {
        roles = EXD_ROLE_POWER_USER;
        t = pick_title(s, &sample_power_user_titles);
      }
      break;
    case 2:
      roles = EXD_ROLE_ECONOMIC_BUYER;
      t = pick_title(s, &sample_buyer_titles);
      break;
    case 3:
      roles = EXD_ROLE_POWER_USER;
      t = pick_title(s, &sample_power_user_titles);
      break;
    default:
      roles = EXD_ROLE_EXECUTIVE;
      t = pick_title(s, &sample_executive_titles);
      break;
    }
    if (new_stakeholder && j == n - 1) {
      /* A new executive or buyer engaged in the last ~80 days. */
      if (j == 2) {
        roles = EXD_ROLE_ECONOMIC_BUYER;
        t = pick_title(s, &sample_buyer_titles);
      } else {
        roles = EXD_ROLE_EXECUTIVE;
        t = pick_title(s, &sample_executive_titles);
      }
      since = as_of - 7 - (int32_t)below(s, 75);
    }
    char *p = sample__put(
        g->person,
        sample_first_names.v[below(s, (uint32_t)sample_first_names.n)]);
    *p++ = ' ';
    sample__put(p,
                sample_last_names.v[below(s, (uint32_t)sample_last_names.n)]);
    rec(g, &r, EXD_REC_CONTACT);
    exd_rec_contact *x = &r.u.contact;
    x->name = g->person;
    x->title = t->title;
    x->department = t->department;
    x->roles = roles;
    x->since = since;
    x->left = left;
    out(g, &r);
  }
}

static char *ref(sample_gen *g, const char *prefix, int64_t index, int n) {
  char *p = sample__put(g->ref, prefix);
  p = sample__put_u64(p, (uint64_t)index + 1);
  *p++ = '-';
  sample__put_u64(p, (uint64_t)n);
  return g->ref;
}

static void emit_escalations(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  exd_record r;
  int32_t as_of = g->p.as_of;
  int n = 0;
  const sample_words *subj = &sample_escalation_subjects;
  int open = (a->d < 0.3 && u01(s) < 0.75) || (a->d < 0.5 && u01(s) < 0.05);
  if (open) {
    rec(g, &r, EXD_REC_ESCALATION);
    exd_rec_escalation *x = &r.u.escalation;
    x->id = ref(g, "ESC-", a->index, ++n);
    x->opened = as_of - 2 - (int32_t)below(s, 45);
    x->severity = a->d >= 0.3 ? "P3" : u01(s) < 0.35 ? "P1" : "P2";
    x->subject = subj->v[below(s, (uint32_t)subj->n)];
    out(g, &r);
  }
  if (u01(s) < (a->d < 0.3 ? 0.5 : 0.3)) {
    rec(g, &r, EXD_REC_ESCALATION);
    exd_rec_escalation *x = &r.u.escalation;
    x->id = ref(g, "ESC-", a->index, ++n);
    x->opened = as_of - 30 - (int32_t)below(s, 330);
    x->closed = x->opened + 1 + (int32_t)below(s, 25);
    x->severity = u01(s) < 0.5 ? "P2" : "P3";
    x->subject = subj->v[below(s, (uint32_t)subj->n)];
    out(g, &r);
  }
}

/* Products the account does not own that it could buy next: the entry
   tier of each family not owned, and the next Workspace tier. */
static int candidates(const acct *a, int *out_ids) {
  int n = 0;
  const sample_product *ws = &sample_products[a->prod[SF_WORKSPACE]];
  if (ws->tier < sample_families[SF_WORKSPACE].n_tiers)
    out_ids[n++] = a->prod[SF_WORKSPACE] + 1;
  for (int f = 1; f < SF_COUNT; f++)
    if (a->prod[f] < 0) out_ids[n++] = sample_families[f].first;
  return n;
}

static void emit_intent(sample_gen *g, acct *a, const int *cand, int nc) {
  uint64_t *s = &a->s;
  exd_record r;
  if (!nc) return;
  int n = 0, strong = 0;
  if (a->d > 0.65) {
    strong = u01(s) < 0.85;
    n = strong + (u01(s) < 0.3);
  } else {
    n = u01(s) < (a->d < 0.3 ? 0.1 : 0.3);
  }
  int first = (int)below(s, (uint32_t)nc);
  for (int j = 0; j < n; j++) {
    int pid = cand[(first + j) % nc];
    const sample_family *f = &sample_families[sample_products[pid].family];
    rec(g, &r, EXD_REC_INTENT);
    exd_rec_intent *x = &r.u.intent;
    x->date = g->p.as_of - (int32_t)below(s, 30);
    x->product = sample_products[pid].name;
    if (j == 0 && strong) {
      x->score = round(60 + 35 * u01(s));
      x->stage = u01(s) < 0.5 ? "Consideration" : "Decision";
      x->profile_score = round(70 + 25 * u01(s));
      x->profile_fit = "Strong";
    } else {
      x->score = round(15 + 40 * u01(s));
      x->stage = u01(s) < 0.5 ? "Target" : "Awareness";
      x->profile_score = round(30 + 35 * u01(s));
      x->profile_fit = u01(s) < 0.5 ? "Moderate" : "Weak";
    }
    int nt = 2 + (f->n_topics > 2 && u01(s) < 0.5);
    if (nt > (int)f->n_topics) nt = (int)f->n_topics;
    uint32_t off = below(s, (uint32_t)f->n_topics);
    for (int t = 0; t < nt; t++)
      g->topics[t] = f->topics[(off + (uint32_t)t) % f->n_topics];
    x->topics = g->topics;
    x->n_topics = (size_t)nt;
    out(g, &r);
  }
}

static void emit_triggers(sample_gen *g, acct *a) {
  uint64_t *s = &a->s;
  exd_record r;
  const sample_events *ev[2] = {NULL, NULL};
  if (a->d > 0.65) {
    if (u01(s) < 0.85) ev[0] = &sample_growth_events;
    if (u01(s) < 0.35) ev[1] = &sample_growth_events;
  } else if (a->d < 0.3) {
    if (u01(s) < 0.6) ev[0] = &sample_decline_events;
  } else {
    if (u01(s) < 0.15) ev[0] = &sample_neutral_events;
    if (u01(s) < 0.08) ev[1] = &sample_growth_events;
  }
  for (int j = 0; j < 2; j++) {
    if (!ev[j]) continue;
    const sample_event *e = &ev[j]->v[below(s, (uint32_t)ev[j]->n)];
    rec(g, &r, EXD_REC_TRIGGER);
    r.u.trigger.date = g->p.as_of - 3 - (int32_t)below(s, 120);
    r.u.trigger.type = e->type;
    r.u.trigger.detail = e->detail;
    out(g, &r);
  }
}

/* Rough deal size of a product the account does not own. */
static double deal_amount(const acct *a, int pid) {
  const sample_product *sp = &sample_products[pid];
  if (!sp->per_seat) return sp->list_price;
  double seats = sp->family == SF_WORKSPACE
                     ? a->seats[SF_WORKSPACE]
                     : fmax(3, round(a->seats[SF_WORKSPACE] * 0.2));
  return sp->list_price * seats;
}

static void emit_opportunities(sample_gen *g, acct *a, const int *cand,
                               int nc) {
  uint64_t *s = &a->s;
  exd_record r;
  int32_t as_of = g->p.as_of;
  int n = 0;
  for (int f = 0; f < SF_COUNT; f++) {
    if (a->prod[f] < 0) continue;
    rec(g, &r, EXD_REC_OPPORTUNITY);
    exd_rec_opportunity *x = &r.u.opportunity;
    x->id = ref(g, "OPP-", a->index, ++n);
    x->product = sample_products[a->prod[f]].name;
    x->stage = "Closed Won";
    x->status = EXD_OPP_WON;
    x->amount = a->seats[f] * a->price[f];
    x->created = a->start[f] - 14 - (int32_t)below(s, 90);
    x->closed = a->start[f];
    x->owner = a->owner;
    out(g, &r);
  }
  if (!nc) return;
  if (u01(s) < 0.18) {
    int pid = cand[below(s, (uint32_t)nc)];
    rec(g, &r, EXD_REC_OPPORTUNITY);
    exd_rec_opportunity *x = &r.u.opportunity;
    x->id = ref(g, "OPP-", a->index, ++n);
    x->product = sample_products[pid].name;
    x->stage = "Closed Lost";
    x->status = EXD_OPP_LOST;
    x->amount = deal_amount(a, pid);
    x->created = as_of - 90 - (int32_t)below(s, 600);
    x->closed = x->created + 20 + (int32_t)below(s, 60);
    x->owner = a->owner;
    out(g, &r);
  }
  if (u01(s) < 0.10) {
    int pid = cand[below(s, (uint32_t)nc)];
    rec(g, &r, EXD_REC_OPPORTUNITY);
    exd_rec_opportunity *x = &r.u.opportunity;
    x->id = ref(g, "OPP-", a->index, ++n);
    x->product = sample_products[pid].name;
    x->stage = sample_open_stages.v[below(s, (uint32_t)sample_open_stages.n)];
    x->status = EXD_OPP_OPEN;
    x->amount = deal_amount(a, pid);
    x->created = as_of - 5 - (int32_t)below(s, 90);
    x->closed = as_of + 14 + (int32_t)below(s, 90); /* expected close */
    x->owner = a->owner;
    out(g, &r);
  }
}

size_t sample_gen_account(sample_gen *g, int64_t index, sample_emit_fn emit,
                          void *ctx) {
  g->emit = emit;
  g->ctx = ctx;
  g->count = 0;

  acct a;
  a.index = index;
  a.s = sample__stream(g, index, ST_MAIN);
  a.d = sample_gen_destiny(g, index);
  uint64_t *s = &a.s;

  int industry, country;
  sample__ident_draws(g, index, &industry, &country);
  sample__make_id(g, index, g->id);
  sample__make_name(g, index, country, g->name, g->domain);
  char *p = sample__put(g->origin, "sample#");
  sample__put_u64(p, (uint64_t)index + 1);

  int64_t parent = -1;
  if (index > 0 && u01(s) < 0.08) {
    parent = (int64_t)(next(s) % (uint64_t)index);
    int parent_country;
    sample__ident_draws(g, parent, &industry, &parent_country);
  }

  a.employees = clamp(round(exp(5.991464547107982 + 1.45 * sample__normal(s))),
                      5, 100000);
  a.size = clamp((log10(a.employees) - 1) / 4, 0, 1);
  a.usage_growth = (a.d - 0.5) * 0.05;
  a.owner = g->owners[below(s, N_OWNERS)];

  /* Customer since: 60 days to ~6 years ago; rolling annual terms. */
  int32_t as_of = g->p.as_of;
  int y, m, d, ay, am, ad;
  sample__days_ymd(as_of - 60 - (int32_t)below(s, 2130), &y, &m, &d);
  if (d > 28) d = 28;
  a.since = sample__ymd_days(y, m, d);
  sample__days_ymd(as_of, &ay, &am, &ad);
  int ty = sample__ymd_days(ay, m, d) > as_of ? ay - 1 : ay;
  a.term_start = sample__ymd_days(ty, m, d);
  a.term_end = sample__ymd_days(ty + 1, m, d);

  plan_products(g, &a);
  int cand[SF_COUNT + 1];
  int nc = candidates(&a, cand);

  emit_account(g, &a, industry, country, parent);
  emit_products(g, &a);
  emit_health(g, &a);
  emit_usage(g, &a);
  emit_features(g, &a);
  emit_contacts(g, &a);
  emit_escalations(g, &a);
  emit_intent(g, &a, cand, nc);
  emit_triggers(g, &a);
  emit_opportunities(g, &a, cand, nc);
  return g->count;
}
