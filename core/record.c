/* Record initialisation and validation; see record.h. */
#include "record.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "date.h"

static void build_template(exd_record *rec, int type) {
  exd_record full;
  memset(&full, 0, sizeof(full));
  full.struct_size = sizeof(full);
  full.type = type;
  int32_t N = EXD_DATE_NONE;
  double X = EXD_NONE;
  switch (type) {
  case EXD_REC_ACCOUNT: {
    exd_rec_account *a = &full.u.account;
    a->employees = a->revenue = a->arr = a->nps = X;
    a->contract_start = a->contract_end = a->renewal_date = a->as_of = N;
    break;
  }
  case EXD_REC_PRODUCT: {
    exd_rec_product *p = &full.u.product;
    p->seats_purchased = p->seats_active = p->unit_price = X;
    p->start = p->end = N;
    break;
  }
  case EXD_REC_HEALTH:
    full.u.health.date = N;
    full.u.health.score = X;
    break;
  case EXD_REC_USAGE:
    full.u.usage.date = N;
    full.u.usage.active_users = full.u.usage.capacity_used = X;
    full.u.usage.capacity_limit = X;
    break;
  case EXD_REC_FEATURE:
    full.u.feature.date = N;
    full.u.feature.adoption = X;
    break;
  case EXD_REC_CONTACT: full.u.contact.since = full.u.contact.left = N; break;
  case EXD_REC_ESCALATION:
    full.u.escalation.opened = full.u.escalation.closed = N;
    break;
  case EXD_REC_INTENT:
    full.u.intent.date = N;
    full.u.intent.score = full.u.intent.profile_score = X;
    break;
  case EXD_REC_TRIGGER: full.u.trigger.date = N; break;
  case EXD_REC_OPPORTUNITY:
    full.u.opportunity.amount = X;
    full.u.opportunity.created = full.u.opportunity.closed = N;
    break;
  case EXD_REC_CATALOGUE: full.u.catalogue.list_price = X; break;
  default: break;
  }
  *rec = full;
}

/* One fully "absent" record per type, built once. */
static exd_record templates[EXD_REC_TYPE_COUNT_ + 1];
static pthread_once_t templates_once = PTHREAD_ONCE_INIT;

static void build_templates(void) {
  for (int t = 0; t <= EXD_REC_TYPE_COUNT_; t++)
    build_template(&templates[t], t);
}

void record_init(exd_record *rec, uint32_t size, int type) {
  pthread_once(&templates_once, build_templates);
  exd_record tmp;
  const exd_record *src;
  if (type > 0 && type < EXD_REC_TYPE_COUNT_) {
    src = &templates[type];
  } else {
    memset(&tmp, 0, sizeof(tmp));
    tmp.type = type;
    src = &tmp;
  }
  size_t n = size < sizeof(*rec) ? size : sizeof(*rec);
  memcpy(rec, src, n);
  if (n >= sizeof(rec->struct_size)) rec->struct_size = size;
  if (n >= offsetof(exd_record, type) + sizeof(rec->type)) rec->type = type;
}

const char *record_type_name(int type) {
  static const char *const names[] = {NULL,      "account",     "product",
                                      "health",  "usage",       "feature",
                                      "contact", "escalation",  "intent",
                                      "trigger", "opportunity", "catalogue"};
  if (type <= 0 || type >= EXD_REC_TYPE_COUNT_) return NULL;
  return names[type];
}

#define MAX_STRING 4096
#define MAX_LIST 256

struct chk {
  const char *type;
  sb *why;
  int bad;
};

static void fail(struct chk *c, const char *field, const char *fmt, ...)
    EXD_FMT(3, 4);
static void fail(struct chk *c, const char *field, const char *fmt, ...) {
  if (c->bad++) return; /* first problem only */
  va_list ap;
  va_start(ap, fmt);
  sb_printf(c->why, "%s.%s: ", c->type, field);
  sb_vprintf(c->why, fmt, ap);
  va_end(ap);
}

static void chk_str(struct chk *c, const char *field, const char *s) {
  if (!s) return;
  size_t n;
  long at = utf8_check_cstr(s, MAX_STRING, &n);
  if (at == -2)
    fail(c, field, "longer than %d bytes", MAX_STRING);
  else if (at >= 0)
    fail(c, field, "invalid UTF-8 at byte offset %ld", at);
}

static void chk_list(struct chk *c, const char *field, const char *const *v,
                     size_t n) {
  if (n > MAX_LIST) {
    fail(c, field, "%zu items; at most %d", n, MAX_LIST);
    return;
  }
  if (n && !v) {
    fail(c, field, "%zu items but no array", n);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (!v[i]) {
      fail(c, field, "item %zu is NULL", i);
      return;
    }
    chk_str(c, field, v[i]);
  }
}

/* Range check; NaN (absent) passes unless required. */
static void chk_num(struct chk *c, const char *field, double v, double lo,
                    double hi, int required) {
  if (EXD_IS_NONE(v)) {
    if (required) fail(c, field, "is required");
    return;
  }
  if (!isfinite(v)) {
    fail(c, field, "is not a finite number");
    return;
  }
  if (v < lo || v > hi) {
    if (lo == 0 && v < 0)
      fail(c, field, "%g is negative", v);
    else
      fail(c, field, "%g is outside %g..%g", v, lo, hi);
  }
}

static void chk_date(struct chk *c, const char *field, int32_t d,
                     int required) {
  static int32_t lo, hi;
  if (!lo) {
    lo = date_from_ymd(1900, 1, 1);
    hi = date_from_ymd(2199, 12, 31);
  }
  if (d == EXD_DATE_NONE) {
    if (required) fail(c, field, "is required");
    return;
  }
  if (d < lo || d > hi) {
    char buf[11];
    int y, mo, dd;
    date_to_ymd(d, &y, &mo, &dd);
    if (y >= 1 && y <= 9999)
      fail(c, field, "%s is outside 1900-01-01..2199-12-31",
           date_format(d, buf));
    else
      fail(c, field,
           "a date around the year %d is outside 1900-01-01..2199-12-31", y);
  }
}

static void chk_required(struct chk *c, const char *field, const char *s) {
  if (!s || !*s)
    fail(c, field, "is required");
  else
    chk_str(c, field, s);
}

static const char *const intent_stages[] = {
    "target", "awareness", "consideration", "decision", "purchase", NULL};
static const char *const profile_fits[] = {"strong", "moderate", "weak", NULL};

static void chk_choice(struct chk *c, const char *field, const char *s,
                       const char *const *choices) {
  if (!s || !*s) return;
  for (size_t i = 0; choices[i]; i++)
    if (str_ieq(s, choices[i])) return;
  sb b = {0};
  for (size_t i = 0; choices[i]; i++)
    sb_printf(&b, "%s%s", i ? ", " : "", choices[i]);
  fail(c, field, "'%s' is not one of %s", s, sb_str(&b));
  sb_free(&b);
}

/* Names the key part: "account.name", "parent.domain", ... */
/* field is "account" or "parent"; names are built only on failure (this
   runs for every record). */
static void chk_key(struct chk *c, const char *field, const exd_key *k) {
  const char *parts[3] = {k->crm_id, k->domain, k->name};
  static const char *const suffix[3] = {"crm_id", "domain", "name"};
  for (int i = 0; i < 3; i++) {
    if (!parts[i]) continue;
    size_t n;
    long at = utf8_check_cstr(parts[i], MAX_STRING, &n);
    if (at == -1) continue;
    char f[32];
    snprintf(f, sizeof(f), "%s.%s", field, suffix[i]);
    chk_str(c, f, parts[i]);
  }
}

/* NULL and "" are both absent (plugin.h). */
static int given(const char *s) {
  return s && *s;
}

int record_check(const exd_record *rec, exd_record *out, sb *why) {
  struct chk c = {"record", why, 0};
  if (!rec) {
    sb_put(why, "record: NULL record");
    return EXD_EDATA;
  }
  if (rec->struct_size < offsetof(exd_record, u) ||
      rec->struct_size > sizeof(exd_record)) {
    sb_printf(why,
              "record: struct_size %u is not between %zu and %zu "
              "(was it initialised with EXD_RECORD_INIT?)",
              rec->struct_size, offsetof(exd_record, u), sizeof(exd_record));
    return EXD_EDATA;
  }
  /* A size from sizeof(exd_record) of any ABI version is a multiple of its
     alignment; any other size would copy part of a pointer. */
  if (rec->struct_size % _Alignof(exd_record) != 0) {
    sb_printf(why,
              "record: struct_size %u is not a multiple of %zu (was it "
              "initialised with EXD_RECORD_INIT?)",
              rec->struct_size, _Alignof(exd_record));
    return EXD_EDATA;
  }
  c.type = record_type_name(rec->type);
  if (!c.type) {
    sb_printf(why, "record: unknown record type %d", rec->type);
    return EXD_EDATA;
  }
  if (rec->struct_size == sizeof(*out)) {
    *out = *rec;
  } else {
    record_init(out, sizeof(*out), rec->type);
    memcpy(out, rec, rec->struct_size);
  }
  out->struct_size = sizeof(*out);
  const exd_record *r = out;
  if (r->origin) {
    size_t n = strnlen(r->origin, MAX_STRING + 1);
    if (n > MAX_STRING || utf8_invalid_at(r->origin, n) >= 0) {
      sb_put(why, "record: origin is not valid UTF-8 text");
      return EXD_EDATA;
    }
  }
  if (r->type != EXD_REC_CATALOGUE) chk_key(&c, "key", &r->account);

  switch (r->type) {
  case EXD_REC_ACCOUNT: {
    const exd_rec_account *a = &r->u.account;
    if (!(r->account.crm_id && *r->account.crm_id) &&
        !(r->account.domain && *r->account.domain) &&
        !(r->account.name && *r->account.name))
      fail(&c, "account", "has no id, domain or name");
    chk_key(&c, "parent", &a->parent);
    chk_str(&c, "industry", a->industry);
    chk_str(&c, "country", a->country);
    chk_str(&c, "currency", a->currency);
    chk_str(&c, "owner", a->owner);
    chk_num(&c, "employees", a->employees, 0, 1e8, 0);
    chk_num(&c, "revenue", a->revenue, 0, 1e15, 0);
    chk_num(&c, "arr", a->arr, 0, 1e13, 0);
    chk_num(&c, "nps", a->nps, -100, 100, 0);
    if (a->fy_start_month < 0 || a->fy_start_month > 12)
      fail(&c, "fy_start_month", "%d is outside 1..12", a->fy_start_month);
    chk_date(&c, "contract_start", a->contract_start, 0);
    chk_date(&c, "contract_end", a->contract_end, 0);
    chk_date(&c, "renewal_date", a->renewal_date, 0);
    chk_date(&c, "as_of", a->as_of, 0);
    if (a->contract_start != EXD_DATE_NONE &&
        a->contract_end != EXD_DATE_NONE && a->contract_end < a->contract_start)
      fail(&c, "contract_end", "is before contract_start");
    break;
  }
  case EXD_REC_PRODUCT: {
    const exd_rec_product *p = &r->u.product;
    chk_required(&c, "product", p->product);
    chk_str(&c, "tier", p->tier);
    chk_num(&c, "seats_purchased", p->seats_purchased, 0, 1e9, 0);
    chk_num(&c, "seats_active", p->seats_active, 0, 1e9, 0);
    chk_num(&c, "unit_price", p->unit_price, 0, 1e12, 0);
    chk_date(&c, "start", p->start, 0);
    chk_date(&c, "end", p->end, 0);
    break;
  }
  case EXD_REC_HEALTH:
    chk_date(&c, "date", r->u.health.date, 1);
    chk_num(&c, "score", r->u.health.score, 0, 100, 1);
    break;
  case EXD_REC_USAGE: {
    const exd_rec_usage *u = &r->u.usage;
    chk_date(&c, "date", u->date, 1);
    chk_str(&c, "product", u->product);
    chk_str(&c, "department", u->department);
    chk_num(&c, "active_users", u->active_users, 0, 1e9, 0);
    chk_num(&c, "capacity_used", u->capacity_used, 0, 1e18, 0);
    chk_num(&c, "capacity_limit", u->capacity_limit, 0, 1e18, 0);
    if (EXD_IS_NONE(u->active_users) && EXD_IS_NONE(u->capacity_used))
      fail(&c, "active_users", "is required (or capacity_used)");
    break;
  }
  case EXD_REC_FEATURE:
    chk_date(&c, "date", r->u.feature.date, 1);
    chk_str(&c, "product", r->u.feature.product);
    chk_required(&c, "feature", r->u.feature.feature);
    chk_num(&c, "adoption", r->u.feature.adoption, 0, 1, 1);
    break;
  case EXD_REC_CONTACT: {
    const exd_rec_contact *k = &r->u.contact;
    chk_str(&c, "name", k->name);
    chk_str(&c, "title", k->title);
    chk_str(&c, "department", k->department);
    if (k->roles >= (1u << 5))
      fail(&c, "roles", "unknown role bits 0x%x", k->roles);
    if (!given(k->name) && !given(k->title) && !k->roles)
      fail(&c, "name", "is required (or title or roles)");
    chk_date(&c, "since", k->since, 0);
    chk_date(&c, "left", k->left, 0);
    break;
  }
  case EXD_REC_ESCALATION: {
    const exd_rec_escalation *e = &r->u.escalation;
    chk_str(&c, "id", e->id);
    chk_str(&c, "severity", e->severity);
    chk_str(&c, "subject", e->subject);
    chk_date(&c, "opened", e->opened, 1);
    chk_date(&c, "closed", e->closed, 0);
    if (e->opened != EXD_DATE_NONE && e->closed != EXD_DATE_NONE &&
        e->closed < e->opened)
      fail(&c, "closed", "is before opened");
    break;
  }
  case EXD_REC_INTENT: {
    const exd_rec_intent *i = &r->u.intent;
    chk_date(&c, "date", i->date, 1);
    chk_str(&c, "product", i->product);
    chk_num(&c, "score", i->score, 0, 100, 0);
    chk_num(&c, "profile_score", i->profile_score, 0, 100, 0);
    chk_choice(&c, "stage", i->stage, intent_stages);
    chk_choice(&c, "profile_fit", i->profile_fit, profile_fits);
    chk_list(&c, "topics", i->topics, i->n_topics);
    if (!given(i->product) && !i->n_topics)
      fail(&c, "product", "is required (or topics)");
    break;
  }
  case EXD_REC_TRIGGER:
    chk_date(&c, "date", r->u.trigger.date, 1);
    chk_required(&c, "type", r->u.trigger.type);
    chk_str(&c, "detail", r->u.trigger.detail);
    break;
  case EXD_REC_OPPORTUNITY: {
    const exd_rec_opportunity *o = &r->u.opportunity;
    chk_str(&c, "id", o->id);
    chk_str(&c, "product", o->product);
    chk_str(&c, "stage", o->stage);
    chk_str(&c, "owner", o->owner);
    if (o->status < EXD_OPP_UNKNOWN || o->status > EXD_OPP_LOST)
      fail(&c, "status", "unknown status %d", o->status);
    chk_num(&c, "amount", o->amount, 0, 1e13, 0);
    chk_date(&c, "created", o->created, 0);
    chk_date(&c, "closed", o->closed, 0);
    break;
  }
  case EXD_REC_CATALOGUE: {
    const exd_rec_catalogue *k = &r->u.catalogue;
    chk_required(&c, "product", k->product);
    chk_required(&c, "family", k->family);
    chk_str(&c, "tier_name", k->tier_name);
    if (k->tier < 0 || k->tier > 100)
      fail(&c, "tier", "%d is outside 0..100", k->tier);
    chk_num(&c, "list_price", k->list_price, 0, 1e12, 1);
    if (k->pricing < EXD_PRICE_UNKNOWN || k->pricing > EXD_PRICE_FLAT)
      fail(&c, "pricing", "unknown pricing %d", k->pricing);
    chk_list(&c, "aliases", k->aliases, k->n_aliases);
    chk_list(&c, "topics", k->topics, k->n_topics);
    break;
  }
  default: break;
  }
  return c.bad ? EXD_EDATA : 0;
}
