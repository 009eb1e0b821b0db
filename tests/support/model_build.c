/* Model-building helpers for unit tests; see model_build.h. */
#include "model_build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "record.h"

static sb last_why;

exd_record mb_rec(int type, exd_key key, const char *origin) {
  exd_record r;
  record_init(&r, (uint32_t)sizeof(r), type);
  r.account = key;
  r.origin = origin;
  return r;
}

int mb_add(model *m, int src, const exd_record *r) {
  sb_reset(&last_why);
  return model_add(m, src, r, &last_why);
}

const char *mb_why(void) {
  return sb_str(&last_why);
}

int mb_account(model *m, int src, exd_key key) {
  exd_record r = mb_rec(EXD_REC_ACCOUNT, key, "mb:account");
  return mb_add(m, src, &r);
}

int mb_catalogue(model *m, int src, const char *product, const char *family,
                 int tier, double list_price, int pricing) {
  exd_record r =
      mb_rec(EXD_REC_CATALOGUE, MB_KEY(NULL, NULL, NULL), "mb:catalogue");
  r.u.catalogue.product = product;
  r.u.catalogue.family = family;
  r.u.catalogue.tier = tier;
  r.u.catalogue.list_price = list_price;
  r.u.catalogue.pricing = pricing;
  return mb_add(m, src, &r);
}

int mb_product(model *m, int src, exd_key key, const char *product,
               double seats_purchased, double seats_active, double unit_price) {
  exd_record r = mb_rec(EXD_REC_PRODUCT, key, "mb:product");
  r.u.product.product = product;
  r.u.product.seats_purchased = seats_purchased;
  r.u.product.seats_active = seats_active;
  r.u.product.unit_price = unit_price;
  return mb_add(m, src, &r);
}

int mb_health(model *m, int src, exd_key key, int32_t date, double score) {
  exd_record r = mb_rec(EXD_REC_HEALTH, key, "mb:health");
  r.u.health.date = date;
  r.u.health.score = score;
  return mb_add(m, src, &r);
}

int mb_opportunity(model *m, int src, exd_key key, const char *product,
                   int status, int32_t created, int32_t closed, double amount,
                   const char *owner) {
  exd_record r = mb_rec(EXD_REC_OPPORTUNITY, key, "mb:opportunity");
  r.u.opportunity.product = product;
  r.u.opportunity.status = status;
  r.u.opportunity.created = created;
  r.u.opportunity.closed = closed;
  r.u.opportunity.amount = amount;
  r.u.opportunity.owner = owner;
  return mb_add(m, src, &r);
}

int mb_finalize(model *m, char **notes) {
  sb n = {0};
  int rc = model_finalize(m, &n);
  if (notes)
    *notes = sb_steal(&n);
  else
    sb_free(&n);
  return rc;
}

long mb_find_name(const model *m, const char *name) {
  for (size_t i = 0; i < m->n_acct; i++)
    if (m->acct[i].name && strcmp(m->acct[i].name, name) == 0) return (long)i;
  return -1;
}

const m_account *mb_acct(const model *m, const char *name) {
  long i = mb_find_name(m, name);
  if (i < 0) fail_msg("no account named '%s'", name);
  return &m->acct[i];
}

int32_t mb_date(const char *ymd) {
  int32_t d;
  if (date_parse(ymd, &d) != 0) {
    fprintf(stderr, "mb_date: bad date '%s'\n", ymd);
    abort();
  }
  return d;
}
