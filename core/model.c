/* Account model: collection, key normalisation, lookup; see model.h.
   Merging lives in model_merge.c. */
#include "model.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"
#include "record.h"

/* ---- hash map ---- */

void hmap_free(hmap *h) {
  free(h->keys);
  free(h->vals);
  memset(h, 0, sizeof(*h));
}

static uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint32_t hmap_get(const hmap *h, uint64_t key) {
  if (!h->cap) return UINT32_MAX;
  size_t i = mix64(key) & (h->cap - 1);
  while (h->keys[i]) {
    if (h->keys[i] == key) return h->vals[i];
    i = (i + 1) & (h->cap - 1);
  }
  return UINT32_MAX;
}

static void hmap_grow(hmap *h) {
  size_t nc = h->cap ? h->cap * 2 : 1024;
  uint64_t *nk = xcalloc(nc, sizeof(*nk));
  uint32_t *nv = xcalloc(nc, sizeof(*nv));
  for (size_t i = 0; i < h->cap; i++) {
    if (!h->keys[i]) continue;
    size_t j = mix64(h->keys[i]) & (nc - 1);
    while (nk[j])
      j = (j + 1) & (nc - 1);
    nk[j] = h->keys[i];
    nv[j] = h->vals[i];
  }
  free(h->keys);
  free(h->vals);
  h->keys = nk;
  h->vals = nv;
  h->cap = nc;
}

void hmap_put(hmap *h, uint64_t key, uint32_t val) {
  if ((h->n + 1) * 2 > h->cap) hmap_grow(h);
  size_t i = mix64(key) & (h->cap - 1);
  while (h->keys[i]) {
    if (h->keys[i] == key) {
      h->vals[i] = val;
      return;
    }
    i = (i + 1) & (h->cap - 1);
  }
  h->keys[i] = key;
  h->vals[i] = val;
  h->n++;
}

/* ---- lifecycle ---- */

model *model_new(int32_t as_of) {
  model *m = xcalloc(1, sizeof(*m));
  m->as_of = as_of;
  m->pool = pool_new();
  catalog_init(&m->cat, m->pool);
  m->priv = xcalloc(1, sizeof(*m->priv));
  m->currency = pool_intern(m->pool, "USD");
  VEC_PUSH(&m->depts, (const char *)NULL); /* index 0 = none */
  VEC_PUSH(&m->pnames, (const char *)NULL);
  VEC_PUSH(&m->fnames, (const char *)NULL);
  return m;
}

static void free_priv(struct model_priv *p) {
  if (!p) return;
  free(p->keys.v);
  hmap_free(&p->key_index);
  hmap_free(&p->dept_index);
  hmap_free(&p->pname_index);
  hmap_free(&p->fname_index);
  free(p->acct_recs.v);
  free(p);
}

void free_priv_state(model *m) {
  free_priv(m->priv);
  m->priv = NULL;
}

void model_free(model *m) {
  if (!m) return;
  free_priv(m->priv);
  free(m->acct);
  free(m->products.v);
  free(m->health.v);
  free(m->usage.v);
  free(m->features.v);
  free(m->contacts.v);
  free(m->escalations.v);
  free(m->intents.v);
  free(m->triggers.v);
  free(m->opps.v);
  free(m->employees.v);
  free(m->rates);
  free(m->depts.v);
  free(m->pnames.v);
  free(m->fnames.v);
  catalog_free(&m->cat);
  pool_free(m->pool);
  free(m);
}

void model_set_currency(model *m, const char *currency, const m_rate *rates,
                        size_t n) {
  m->currency = pool_intern(m->pool, currency && *currency ? currency : "USD");
  free(m->rates);
  m->rates = xcalloc(n ? n : 1, sizeof(*m->rates));
  m->n_rates = n;
  for (size_t i = 0; i < n; i++) {
    m->rates[i].currency = pool_intern(m->pool, rates[i].currency);
    m->rates[i].rate = rates[i].rate;
  }
}

double model_fx(const model *m, const char *cur) {
  if (!cur || !*cur || str_ieq(cur, m->currency)) return 1.0;
  for (size_t i = 0; i < m->n_rates; i++)
    if (str_ieq(cur, m->rates[i].currency)) return m->rates[i].rate;
  return EXD_NONE;
}

int model_add_source(model *m, const char *name) {
  if (m->n_src >= MODEL_MAX_SOURCES) return -E2BIG;
  m_source_stats *s = &m->src[m->n_src];
  memset(s, 0, sizeof(*s));
  s->name = pool_intern(m->pool, name);
  return (int)m->n_src++;
}

int model_add_config_catalogue(model *m, const exd_node *list, sb *errs) {
  return catalog_add_config(&m->cat, list, errs);
}

void model_note_rejected(model *m, int src) {
  if (src >= 0 && (size_t)src < m->n_src) m->src[src].rejected++;
}

/* Index of an interned name in a name table (index 0 = none), adding it;
   limit-1 names at most (later ones map to 0). */
static uint32_t name_index(hmap *idx, strvec *vec, const char *s,
                           uint32_t limit, unsigned long *overflow) {
  if (!s) return 0;
  uint32_t i = hmap_get(idx, (uint64_t)(uintptr_t)s);
  if (i != UINT32_MAX) return i;
  if (vec->n >= limit) {
    (*overflow)++; /* reported by model_finalize */
    return 0;
  }
  VEC_PUSH(vec, s);
  hmap_put(idx, (uint64_t)(uintptr_t)s, (uint32_t)(vec->n - 1));
  return (uint32_t)(vec->n - 1);
}

uint16_t model_dept(model *m, const char *name) {
  if (!name || !*name) return 0;
  return (uint16_t)name_index(&m->priv->dept_index, &m->depts,
                              pool_intern(m->pool, name), UINT16_MAX,
                              &m->name_overflow);
}

/* Raw product name → index into m->pnames, stored in `cat` fields until
   model_finalize resolves it against the catalogue. */
static int16_t pname(model *m, const char *name) {
  if (!name || !*name) return 0;
  return (int16_t)name_index(&m->priv->pname_index, &m->pnames,
                             pool_intern(m->pool, name), INT16_MAX,
                             &m->name_overflow);
}

/* Copy of an origin; consecutive records usually share one (a plugin emits
   an account's records together), so they share the copy. */
static const char *origin_copy(model *m, const char *o) {
  struct model_priv *p = m->priv;
  if (!o) return NULL;
  if (p->last_origin && strcmp(p->last_origin_raw, o) == 0)
    return p->last_origin;
  p->last_origin = pool_copy(m->pool, o);
  size_t n = strlen(o);
  if (n >= sizeof(p->last_origin_raw)) {
    p->last_origin = NULL; /* too long to cache */
    return pool_copy(m->pool, o);
  }
  memcpy(p->last_origin_raw, o, n + 1);
  return p->last_origin;
}

/* ---- keys ---- */

static int key_empty(const exd_key *k) {
  return !(k->crm_id && *k->crm_id) && !(k->domain && *k->domain) &&
         !(k->name && *k->name);
}

static void raw_copy(char dst[256], const char *s) {
  if (!s) {
    dst[0] = '\1'; /* distinguishes NULL from "" */
    dst[1] = '\0';
    return;
  }
  size_t n = strlen(s);
  if (n > 254) n = 254;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

static int raw_same(const char dst[256], const char *s) {
  if (!s) return dst[0] == '\1';
  return strlen(s) < 255 && strcmp(dst, s) == 0;
}

/* Key id for (src, key); creates it. KEY_NONE for an all-empty key. */
static uint32_t key_id(model *m, int src, const exd_key *k,
                       const char *origin) {
  struct model_priv *p = m->priv;
  if (key_empty(k)) return KEY_NONE;
  if (p->have_last && p->last_src == src &&
      raw_same(p->last_raw[0], k->crm_id) &&
      raw_same(p->last_raw[1], k->domain) && raw_same(p->last_raw[2], k->name))
    return p->last_key;

  char id[256] = "", dom[256] = "", nk[256] = "";
  if (k->crm_id && *k->crm_id) model_norm_id(k->crm_id, id, sizeof(id));
  if (k->domain && *k->domain) model_norm_domain(k->domain, dom, sizeof(dom));
  if (k->name && *k->name) model_norm_name(k->name, nk, sizeof(nk));
  m_key e = {0};
  e.id = pool_intern(m->pool, id);
  e.domain = pool_intern(m->pool, dom);
  e.name_key = pool_intern(m->pool, nk);
  e.src = (uint8_t)src;
  e.acct = KEY_NONE;
  uint64_t h = (uint64_t)(uintptr_t)e.id * 31 + (uint64_t)(uintptr_t)e.domain;
  h = h * 31 + (uint64_t)(uintptr_t)e.name_key;
  h = h * 31 + (uint64_t)src + 1;
  if (!h) h = 1;
  /* Probe successive hash values until an exact match or a free slot. */
  uint32_t kid;
  for (;;) {
    kid = hmap_get(&p->key_index, h);
    if (kid == UINT32_MAX) break;
    const m_key *o = &p->keys.v[kid];
    /* The raw name is part of a key: "Acme GmbH" and "Acme Inc" are two
       keys even though they normalize alike (the merge decides). */
    if (o->id == e.id && o->domain == e.domain && o->name_key == e.name_key &&
        o->src == e.src &&
        (o->name == k->name ||
         (o->name && k->name && !strcmp(o->name, k->name)) ||
         (!o->name && (!k->name || !*k->name))))
      goto found;
    h = h * 0x9E3779B97F4A7C15ULL + 1;
    if (!h) h = 1;
  }
  e.name = pool_copy(m->pool, k->name);
  e.rec = KEY_NONE;
  e.first_origin = origin_copy(m, origin);
  kid = (uint32_t)p->keys.n;
  VEC_PUSH(&p->keys, e);
  hmap_put(&p->key_index, h, kid);
found:
  raw_copy(p->last_raw[0], k->crm_id);
  raw_copy(p->last_raw[1], k->domain);
  raw_copy(p->last_raw[2], k->name);
  p->last_src = src;
  p->last_key = kid;
  p->have_last = 1;
  return kid;
}

/* ---- add ---- */

static int8_t parse_stage(const char *s) {
  static const char *const names[] = {"target", "awareness", "consideration",
                                      "decision", "purchase"};
  for (int i = 0; s && i < 5; i++)
    if (str_ieq(s, names[i])) return (int8_t)(i + 1);
  return ST_NONE;
}

static int8_t parse_fit(const char *s) {
  if (str_ieq(s, "strong")) return FIT_STRONG;
  if (str_ieq(s, "moderate")) return FIT_MODERATE;
  if (str_ieq(s, "weak")) return FIT_WEAK;
  return FIT_NONE;
}

static const char *lower_intern(model *m, const char *s) {
  if (!s || !*s) return NULL;
  char buf[512];
  size_t k = 0;
  for (; s[k] && k + 1 < sizeof(buf); k++)
    buf[k] = (char)tolower((unsigned char)s[k]);
  buf[k] = '\0';
  return pool_intern(m->pool, buf);
}

static float fnum(double v) {
  return (float)v;
}

/* The date that decides whether a record is in the future. */
static int32_t record_date(const exd_record *r) {
  switch (r->type) {
  case EXD_REC_ACCOUNT: return r->u.account.as_of;
  case EXD_REC_PRODUCT: return r->u.product.start;
  case EXD_REC_HEALTH: return r->u.health.date;
  case EXD_REC_USAGE: return r->u.usage.date;
  case EXD_REC_FEATURE: return r->u.feature.date;
  case EXD_REC_CONTACT: return r->u.contact.since;
  case EXD_REC_ESCALATION: return r->u.escalation.opened;
  case EXD_REC_INTENT: return r->u.intent.date;
  case EXD_REC_TRIGGER: return r->u.trigger.date;
  case EXD_REC_OPPORTUNITY:
    if (r->u.opportunity.created != EXD_DATE_NONE)
      return r->u.opportunity.created;
    /* An open deal's close date is the expected one, not a fact. */
    return r->u.opportunity.status == EXD_OPP_WON ||
                   r->u.opportunity.status == EXD_OPP_LOST
               ? r->u.opportunity.closed
               : EXD_DATE_NONE;
  default: return EXD_DATE_NONE;
  }
}

/* Merge a later ACCOUNT record of the same key and source into the pending
   one: absent fields are filled; employees follow the dated-record rule of
   merge_account_rec (model_merge.c). */
static void acct_rec_merge(m_acct_rec *a, const m_acct_rec *r) {
#define FILL(f)                                                                \
  if (!a->f) a->f = r->f
#define FILLN(f)                                                               \
  if (EXD_IS_NONE(a->f)) a->f = r->f
#define FILLD(f)                                                               \
  if (a->f == EXD_DATE_NONE) a->f = r->f
  FILL(industry);
  FILL(country);
  FILL(currency);
  FILL(owner);
  FILL(origin);
  FILLN(revenue);
  FILLN(arr);
  FILLN(nps);
  FILL(fy_start_month);
  FILLD(contract_start);
  FILLD(contract_end);
  FILLD(renewal);
  if (a->parent_key == KEY_NONE) a->parent_key = r->parent_key;
#undef FILL
#undef FILLN
#undef FILLD
  if (!EXD_IS_NONE(r->employees) &&
      (EXD_IS_NONE(a->employees) ||
       (r->as_of != EXD_DATE_NONE &&
        (a->as_of == EXD_DATE_NONE || r->as_of > a->as_of)))) {
    a->employees = r->employees;
    a->as_of = r->as_of;
  }
}

static void note_unmatched(model *m, int src, const exd_record *r) {
  m_source_stats *s = &m->src[src];
  s->unmatched[r->type]++;
  if (!s->unmatched_example) {
    s->unmatched_example = pool_intern(m->pool, r->origin ? r->origin : "?");
    s->unmatched_key = pool_intern(m->pool, "it names no account");
  }
}

int model_add(model *m, int src, const exd_record *rec, sb *why) {
  if (m->finalized) return -EINVAL;
  if (src < 0 || (size_t)src >= m->n_src) return -EINVAL;
  exd_record r;
  if (record_check(rec, &r, why) < 0) {
    m->src[src].rejected++;
    return EXD_EDATA;
  }
  int32_t d = record_date(&r);
  if (d != EXD_DATE_NONE && d > m->as_of) {
    m->src[src].future++;
    return 0;
  }
  if (r.type == EXD_REC_CATALOGUE) {
    const exd_rec_catalogue *k = &r.u.catalogue;
    cat_product p = {0};
    p.name = k->product;
    p.family = k->family;
    p.tier = k->tier;
    p.tier_name = k->tier_name;
    p.list_price = k->list_price;
    p.pricing = k->pricing;
    p.aliases = (const char **)k->aliases;
    p.n_aliases = k->n_aliases;
    p.topics = (const char **)k->topics;
    p.n_topics = k->n_topics;
    p.origin = r.origin;
    catalog_add(&m->cat, &p);
    m->src[src].accepted[r.type]++;
    return 0;
  }
  uint32_t key = key_id(m, src, &r.account, r.origin);
  if (key == KEY_NONE) {
    note_unmatched(m, src, &r);
    return 0;
  }
  m->src[src].accepted[r.type]++;
  strpool *P = m->pool;
  switch (r.type) {
  case EXD_REC_ACCOUNT: {
    const exd_rec_account *a = &r.u.account;
    m_acct_rec x = {0};
    x.key = key;
    x.src = (uint8_t)src;
    x.parent_key =
        key_empty(&a->parent) ? KEY_NONE : key_id(m, src, &a->parent, r.origin);
    /* key_id for the parent replaced the last-key cache: restore it. */
    if (x.parent_key != KEY_NONE) key_id(m, src, &r.account, r.origin);
    x.industry = pool_intern(P, a->industry);
    x.country = pool_intern(P, a->country);
    x.currency = pool_intern(P, a->currency);
    x.owner = pool_intern(P, a->owner);
    x.origin = origin_copy(m, r.origin);
    x.employees = a->employees;
    x.revenue = a->revenue;
    x.arr = a->arr;
    x.nps = a->nps;
    x.fy_start_month = a->fy_start_month;
    x.contract_start = a->contract_start;
    x.contract_end = a->contract_end;
    x.renewal = a->renewal_date;
    x.as_of = a->as_of;
    if (!EXD_IS_NONE(a->employees) && a->as_of != EXD_DATE_NONE) {
      m_employees h = {key, a->as_of, (float)a->employees};
      VEC_PUSH(&m->employees, h);
    }
    m_key *k = &m->priv->keys.v[key];
    if (k->rec == KEY_NONE) {
      /* The account's display name is its first ACCOUNT record's spelling,
         not that of a record (or parent reference) seen before it. */
      if (r.account.name && *r.account.name)
        k->name = pool_copy(P, r.account.name);
      k->rec = (uint32_t)m->priv->acct_recs.n;
      VEC_PUSH(&m->priv->acct_recs, x);
    } else {
      acct_rec_merge(&m->priv->acct_recs.v[k->rec], &x);
    }
    break;
  }
  case EXD_REC_PRODUCT: {
    const exd_rec_product *p = &r.u.product;
    m_product x = {key,
                   pname(m, p->product),
                   (uint8_t)src,
                   pool_intern(P, p->product),
                   pool_intern(P, p->tier),
                   p->seats_purchased,
                   p->seats_active,
                   p->unit_price,
                   p->start,
                   p->end,
                   1};
    VEC_PUSH(&m->products, x);
    break;
  }
  case EXD_REC_HEALTH: {
    m_health x = {key, r.u.health.date, fnum(r.u.health.score)};
    VEC_PUSH(&m->health, x);
    break;
  }
  case EXD_REC_USAGE: {
    const exd_rec_usage *u = &r.u.usage;
    m_usage x = {key,
                 u->date,
                 pname(m, u->product),
                 model_dept(m, u->department),
                 fnum(u->active_users),
                 fnum(u->capacity_used),
                 fnum(u->capacity_limit)};
    VEC_PUSH(&m->usage, x);
    break;
  }
  case EXD_REC_FEATURE: {
    const exd_rec_feature *f = &r.u.feature;
    m_feature x = {key, f->date, pname(m, f->product),
                   (uint16_t)name_index(&m->priv->fname_index, &m->fnames,
                                        lower_intern(m, f->feature), UINT16_MAX,
                                        &m->name_overflow),
                   fnum(f->adoption)};
    VEC_PUSH(&m->features, x);
    break;
  }
  case EXD_REC_CONTACT: {
    const exd_rec_contact *c = &r.u.contact;
    int32_t left = c->left != EXD_DATE_NONE && c->left > m->as_of
                       ? EXD_DATE_NONE
                       : c->left;
    m_contact x = {key,
                   c->roles,
                   c->since,
                   left,
                   pool_intern(P, c->name),
                   pool_intern(P, c->title),
                   pool_intern(P, c->department)};
    VEC_PUSH(&m->contacts, x);
    break;
  }
  case EXD_REC_ESCALATION: {
    const exd_rec_escalation *e = &r.u.escalation;
    int32_t closed = e->closed != EXD_DATE_NONE && e->closed > m->as_of
                         ? EXD_DATE_NONE
                         : e->closed;
    m_escalation x = {key,
                      e->opened,
                      closed,
                      pool_copy(P, e->id),
                      pool_intern(P, e->severity),
                      pool_copy(P, e->subject)};
    VEC_PUSH(&m->escalations, x);
    break;
  }
  case EXD_REC_INTENT: {
    const exd_rec_intent *i = &r.u.intent;
    m_intent x = {key,
                  i->date,
                  pname(m, i->product),
                  parse_stage(i->stage),
                  parse_fit(i->profile_fit),
                  fnum(i->score),
                  fnum(i->profile_score),
                  pool_intern(P, i->product),
                  NULL,
                  0};
    if (i->n_topics) {
      x.topics = pool_alloc(P, i->n_topics * sizeof(*x.topics));
      for (size_t t = 0; t < i->n_topics; t++)
        x.topics[t] = lower_intern(m, i->topics[t]);
      x.n_topics = (uint32_t)i->n_topics;
    }
    VEC_PUSH(&m->intents, x);
    break;
  }
  case EXD_REC_TRIGGER: {
    m_trigger x = {key, r.u.trigger.date, lower_intern(m, r.u.trigger.type),
                   pool_copy(P, r.u.trigger.detail)};
    VEC_PUSH(&m->triggers, x);
    break;
  }
  case EXD_REC_OPPORTUNITY: {
    const exd_rec_opportunity *o = &r.u.opportunity;
    int8_t status = (int8_t)o->status;
    /* Closed after as_of: as of that date it was still open. */
    if ((status == EXD_OPP_WON || status == EXD_OPP_LOST) &&
        o->closed != EXD_DATE_NONE && o->closed > m->as_of)
      status = EXD_OPP_OPEN;
    m_opp x = {key,
               pname(m, o->product),
               status,
               o->created,
               o->closed,
               o->amount,
               pool_copy(P, o->id),
               pool_intern(P, o->stage),
               pool_intern(P, o->owner),
               pool_intern(P, o->product)};
    VEC_PUSH(&m->opps, x);
    break;
  }
  default: break;
  }
  return 0;
}

/* ---- access ---- */

const void *model_slice(const model *m, const m_account *a, int kind,
                        size_t *n) {
  if (kind < 0 || kind >= MK__COUNT) {
    *n = 0;
    return NULL;
  }
  *n = a->cnt[kind];
  switch (kind) {
  case MK_PRODUCT: return m->products.v + a->off[kind];
  case MK_HEALTH: return m->health.v + a->off[kind];
  case MK_USAGE: return m->usage.v + a->off[kind];
  case MK_FEATURE: return m->features.v + a->off[kind];
  case MK_CONTACT: return m->contacts.v + a->off[kind];
  case MK_ESCALATION: return m->escalations.v + a->off[kind];
  case MK_INTENT: return m->intents.v + a->off[kind];
  case MK_TRIGGER: return m->triggers.v + a->off[kind];
  case MK_OPP: return m->opps.v + a->off[kind];
  case MK_EMPLOYEES: return m->employees.v + a->off[kind];
  default: *n = 0; return NULL;
  }
}

long model_find(const model *m, const char *what) {
  if (!what || !*what) return -1;
  char id[256], dom[256], nk[256];
  model_norm_id(what, id, sizeof(id));
  model_norm_domain(what, dom, sizeof(dom));
  model_norm_name(what, nk, sizeof(nk));
  for (size_t i = 0; i < m->n_acct; i++)
    if (m->acct[i].crm_id && !strcmp(m->acct[i].crm_id, id)) return (long)i;
  for (size_t i = 0; i < m->n_acct; i++)
    if (m->acct[i].name && !strcmp(m->acct[i].name, what)) return (long)i;
  if (strchr(what, '.'))
    for (size_t i = 0; i < m->n_acct; i++)
      if (m->acct[i].domain && !strcmp(m->acct[i].domain, dom)) return (long)i;
  long hit = -1;
  for (size_t i = 0; i < m->n_acct; i++)
    if (m->acct[i].name_key && nk[0] && !strcmp(m->acct[i].name_key, nk)) {
      if (hit >= 0) return -2;
      hit = (long)i;
    }
  if (hit >= 0) return hit;
  size_t wl = strlen(what);
  for (size_t i = 0; i < m->n_acct; i++)
    if (m->acct[i].name && !strncasecmp(m->acct[i].name, what, wl)) {
      if (hit >= 0) return -2;
      hit = (long)i;
    }
  return hit;
}

size_t model_describe(const model *m, sb *out) {
  struct {
    const char *name;
    size_t n, size;
  } a[] = {
      {"accounts", m->n_acct, sizeof(m_account)},
      {"products", m->products.n, sizeof(m_product)},
      {"health", m->health.n, sizeof(m_health)},
      {"usage", m->usage.n, sizeof(m_usage)},
      {"features", m->features.n, sizeof(m_feature)},
      {"contacts", m->contacts.n, sizeof(m_contact)},
      {"escalations", m->escalations.n, sizeof(m_escalation)},
      {"intents", m->intents.n, sizeof(m_intent)},
      {"triggers", m->triggers.n, sizeof(m_trigger)},
      {"opportunities", m->opps.n, sizeof(m_opp)},
      {"employees", m->employees.n, sizeof(m_employees)},
  };
  size_t total = 0;
  for (size_t i = 0; i < EXD_ARRAY_LEN(a); i++) {
    total += a[i].n * a[i].size;
    if (out)
      sb_printf(out, "%s%s %zu (%zu MB)", i ? ", " : "", a[i].name, a[i].n,
                a[i].n * a[i].size >> 20);
  }
  total += pool_bytes(m->pool);
  if (out) sb_printf(out, ", strings %zu MB", pool_bytes(m->pool) >> 20);
  return total;
}
