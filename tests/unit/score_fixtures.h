/* Shared fixtures for the scoring tests (test_signals.c, test_components.c,
   test_peers.c, test_timing.c, test_opportunity.c, test_rank.c,
   test_bizcase.c, test_results.c): small hand-built models whose expected
   values can be worked out by hand.

   A test builds a model with fx_init(&f, T), adds catalogue products and
   records through the helpers below (each one asserts the record was
   accepted), calls fx_finalize (model_finalize + peers_build + default
   params), then scores with fx_eval or the scoring functions directly, and
   ends with fx_free. Accounts are keyed by a short CRM id ("A1") that is
   also their name unless fx_account_named gives another. */
#ifndef EXD_TEST_SCORE_FIXTURES_H
#define EXD_TEST_SCORE_FIXTURES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "record.h"
#include "score.h"

#define FX __attribute__((unused)) static

#define NA EXD_NONE
#define ND EXD_DATE_NONE
#define EPS 1e-9

/* |a - b| <= 1e-9, with both values in the failure message. */
#define assert_near(a, b)                                                      \
  do {                                                                         \
    double a_ = (a), b_ = (b);                                                 \
    if (!(fabs(a_ - b_) <= EPS))                                               \
      fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                      \
  } while (0)
#define assert_none(a)                                                         \
  do {                                                                         \
    double a_ = (a);                                                           \
    if (!EXD_IS_NONE(a_)) fail_msg("%s = %.17g, expected absent", #a, a_);     \
  } while (0)

/* Days since 1970-01-01. */
#define D(y, m, d) date_from_ymd((y), (m), (d))

typedef struct fx {
  model *m;
  int src;
  peers p;
  score_params sp;
  acct_eval *e;
  int built;
} fx;

FX void fx_init(fx *f, int32_t as_of) {
  memset(f, 0, sizeof(*f));
  f->m = model_new(as_of);
  f->src = model_add_source(f->m, "test/one");
  assert_int_equal(f->src, 0);
  f->e = calloc(1, sizeof(*f->e));
  assert_non_null(f->e);
  score_params_default(&f->sp);
}

FX void fx_free(fx *f) {
  if (f->built) peers_free(&f->p);
  model_free(f->m);
  free(f->e);
  memset(f, 0, sizeof(*f));
}

/* A record of type for account id (NULL for catalogue records). */
FX exd_record fx_rec(int type, const char *id) {
  exd_record r;
  record_init(&r, sizeof(r), type);
  r.origin = "test";
  r.account.crm_id = id;
  return r;
}

FX void fx_add(fx *f, const exd_record *r) {
  sb why = {0};
  int rc = model_add(f->m, f->src, r, &why);
  if (rc != 0) fail_msg("model_add: %d %s", rc, sb_str(&why));
  sb_free(&why);
}

/* Catalogue product (topics: NULL-terminated list or NULL). */
FX void fx_cat_topics(fx *f, const char *name, const char *family, int tier,
                      double price, int pricing, const char *const *topics) {
  exd_record r = fx_rec(EXD_REC_CATALOGUE, NULL);
  r.u.catalogue.product = name;
  r.u.catalogue.family = family;
  r.u.catalogue.tier = tier;
  r.u.catalogue.list_price = price;
  r.u.catalogue.pricing = pricing;
  size_t n = 0;
  while (topics && topics[n])
    n++;
  r.u.catalogue.topics = topics;
  r.u.catalogue.n_topics = n;
  fx_add(f, &r);
}

FX void fx_cat(fx *f, const char *name, const char *family, int tier,
               double price, int pricing) {
  fx_cat_topics(f, name, family, tier, price, pricing, NULL);
}

FX void fx_account_named(fx *f, const char *id, const char *name,
                         const char *industry, double employees) {
  exd_record r = fx_rec(EXD_REC_ACCOUNT, id);
  r.account.name = name;
  r.u.account.industry = industry;
  r.u.account.employees = employees;
  fx_add(f, &r);
}

FX void fx_account(fx *f, const char *id, const char *industry,
                   double employees) {
  fx_account_named(f, id, id, industry, employees);
}

FX void fx_product(fx *f, const char *id, const char *product, double seats,
                   double active, double unit_price) {
  exd_record r = fx_rec(EXD_REC_PRODUCT, id);
  r.u.product.product = product;
  r.u.product.seats_purchased = seats;
  r.u.product.seats_active = active;
  r.u.product.unit_price = unit_price;
  fx_add(f, &r);
}

FX void fx_health(fx *f, const char *id, int32_t date, double score) {
  exd_record r = fx_rec(EXD_REC_HEALTH, id);
  r.u.health.date = date;
  r.u.health.score = score;
  fx_add(f, &r);
}

FX void fx_usage(fx *f, const char *id, int32_t date, const char *product,
                 const char *dept, double active) {
  exd_record r = fx_rec(EXD_REC_USAGE, id);
  r.u.usage.date = date;
  r.u.usage.product = product;
  r.u.usage.department = dept;
  r.u.usage.active_users = active;
  fx_add(f, &r);
}

FX void fx_capacity(fx *f, const char *id, int32_t date, const char *product,
                    double used, double limit) {
  exd_record r = fx_rec(EXD_REC_USAGE, id);
  r.u.usage.date = date;
  r.u.usage.product = product;
  r.u.usage.capacity_used = used;
  r.u.usage.capacity_limit = limit;
  fx_add(f, &r);
}

FX void fx_feature(fx *f, const char *id, int32_t date, const char *feature,
                   double adoption) {
  exd_record r = fx_rec(EXD_REC_FEATURE, id);
  r.u.feature.date = date;
  r.u.feature.feature = feature;
  r.u.feature.adoption = adoption;
  fx_add(f, &r);
}

FX void fx_contact(fx *f, const char *id, const char *name, const char *title,
                   const char *dept, unsigned roles, int32_t since,
                   int32_t left) {
  exd_record r = fx_rec(EXD_REC_CONTACT, id);
  r.u.contact.name = name;
  r.u.contact.title = title;
  r.u.contact.department = dept;
  r.u.contact.roles = roles;
  r.u.contact.since = since;
  r.u.contact.left = left;
  fx_add(f, &r);
}

FX void fx_escalation(fx *f, const char *id, const char *eid,
                      const char *severity, const char *subject, int32_t opened,
                      int32_t closed) {
  exd_record r = fx_rec(EXD_REC_ESCALATION, id);
  r.u.escalation.id = eid;
  r.u.escalation.severity = severity;
  r.u.escalation.subject = subject;
  r.u.escalation.opened = opened;
  r.u.escalation.closed = closed;
  fx_add(f, &r);
}

FX void fx_intent(fx *f, const char *id, int32_t date, const char *product,
                  double score, const char *stage, const char *fit,
                  const char *const *topics) {
  exd_record r = fx_rec(EXD_REC_INTENT, id);
  r.u.intent.date = date;
  r.u.intent.product = product;
  r.u.intent.score = score;
  r.u.intent.stage = stage;
  r.u.intent.profile_fit = fit;
  size_t n = 0;
  while (topics && topics[n])
    n++;
  r.u.intent.topics = topics;
  r.u.intent.n_topics = n;
  fx_add(f, &r);
}

FX void fx_trigger(fx *f, const char *id, int32_t date, const char *type,
                   const char *detail) {
  exd_record r = fx_rec(EXD_REC_TRIGGER, id);
  r.u.trigger.date = date;
  r.u.trigger.type = type;
  r.u.trigger.detail = detail;
  fx_add(f, &r);
}

FX void fx_opp(fx *f, const char *id, const char *oid, const char *product,
               int status, const char *stage, int32_t created, int32_t closed,
               double amount) {
  exd_record r = fx_rec(EXD_REC_OPPORTUNITY, id);
  r.u.opportunity.id = oid;
  r.u.opportunity.product = product;
  r.u.opportunity.status = status;
  r.u.opportunity.stage = stage;
  r.u.opportunity.created = created;
  r.u.opportunity.closed = closed;
  r.u.opportunity.amount = amount;
  fx_add(f, &r);
}

/* model_finalize (must succeed), peers_build, default params. */
FX void fx_finalize(fx *f) {
  sb notes = {0};
  int rc = model_finalize(f->m, &notes);
  if (rc != 0) fail_msg("model_finalize: %d %s", rc, sb_str(&notes));
  sb_free(&notes);
  peers_build(f->m, &f->p);
  f->built = 1;
}

FX uint32_t fx_idx(const fx *f, const char *id) {
  long i = model_find(f->m, id);
  if (i < 0) fail_msg("no account %s", id);
  return (uint32_t)i;
}

FX int fx_catidx(const fx *f, const char *product) {
  int c = catalog_find(&f->m->cat, product);
  if (c < 0) fail_msg("no catalogue product %s", product);
  return c;
}

/* Signals only (signals_detect). */
FX acct_eval *fx_signals(fx *f, const char *id) {
  memset(f->e, 0, sizeof(*f->e));
  f->e->acct = fx_idx(f, id);
  signals_detect(f->m, &f->sp, f->e->acct, f->e);
  return f->e;
}

/* Full evaluation (score_account). */
FX acct_eval *fx_eval(fx *f, const char *id) {
  memset(f->e, 0, sizeof(*f->e));
  score_account(f->m, &f->p, &f->sp, fx_idx(f, id), f->e);
  return f->e;
}

/* The only signal of kind (and cat, or any cat when cat < -1); fails when
   there is none or more than one. */
FX const exsig *fx_sig(const acct_eval *e, int kind, int cat) {
  const exsig *s = NULL;
  for (size_t i = 0; i < e->n_sig; i++)
    if (e->sig[i].kind == kind && (cat < -1 || e->sig[i].cat == cat)) {
      if (s) fail_msg("two %s signals", sig_name(kind));
      s = &e->sig[i];
    }
  if (!s) fail_msg("no %s signal", sig_name(kind));
  return s;
}

FX size_t fx_nsig(const acct_eval *e, int kind) {
  size_t n = 0;
  for (size_t i = 0; i < e->n_sig; i++)
    n += e->sig[i].kind == kind;
  return n;
}

/* Index of the signal in e->sig (for opp->sig_points). */
FX size_t fx_sigpos(const acct_eval *e, const exsig *s) {
  return (size_t)(s - e->sig);
}

FX const opp *fx_opp_of(const acct_eval *e, int type, int cat) {
  const opp *o = eval_find(e, type, cat);
  if (!o) fail_msg("no %s opportunity on product %d", opp_type_name(type), cat);
  return o;
}

FX size_t fx_nopp(const acct_eval *e, int type) {
  size_t n = 0;
  for (size_t i = 0; i < e->n_opps; i++)
    n += e->opps[i].type == type;
  return n;
}

/* Evidence text of a signal, into buf. */
FX const char *fx_explain(const fx *f, const exsig *s, char *buf, size_t n) {
  sb b = {0};
  explain_signal(f->m, s, &b);
  snprintf(buf, n, "%s", sb_str(&b));
  sb_free(&b);
  return buf;
}

/* The usual test catalogue: family Core (Core Basic 100, Core Pro 150, Core
   Enterprise 220 per seat), family Sync (Sync Lite 20, Sync Plus 35 per
   seat), family Analytics (Analytics 5000 flat; topics dashboards,
   reporting, bi). */
FX void fx_std_catalogue(fx *f) {
  static const char *const topics[] = {"Dashboards", "reporting", "bi", NULL};
  fx_cat(f, "Core Basic", "Core", 1, 100, EXD_PRICE_PER_SEAT);
  fx_cat(f, "Core Pro", "Core", 2, 150, EXD_PRICE_PER_SEAT);
  fx_cat(f, "Core Enterprise", "Core", 3, 220, EXD_PRICE_PER_SEAT);
  fx_cat(f, "Sync Lite", "Sync", 1, 20, EXD_PRICE_PER_SEAT);
  fx_cat(f, "Sync Plus", "Sync", 2, 35, EXD_PRICE_PER_SEAT);
  fx_cat_topics(f, "Analytics", "Analytics", 1, 5000, EXD_PRICE_FLAT, topics);
}

#endif
