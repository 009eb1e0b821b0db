/* Mapping CSV rows onto exd_record; see csv_map.h. */
#include "csv_map.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- field tables ------------------------------------------------------- */

#define REC(member) offsetof(exd_record, member)
#define F(name, kind, member)                                                  \
  { name, kind, REC(member), 0, 0, 0 }
#define FR(name, kind, member, lo, hi)                                         \
  { name, kind, REC(member), 0, lo, hi }
#define FL(name, member, count)                                                \
  { name, CSV_K_LIST, REC(member), REC(count), 0, 0 }
#define KEYS                                                                   \
  F("account_id", CSV_K_STR, account.crm_id),                                  \
      F("account_domain", CSV_K_STR, account.domain),                          \
      F("account_name", CSV_K_STR, account.name)
#define POS INFINITY

static const csv_field_def account_fields[] = {
    KEYS,
    F("parent_id", CSV_K_STR, u.account.parent.crm_id),
    F("parent_domain", CSV_K_STR, u.account.parent.domain),
    F("parent_name", CSV_K_STR, u.account.parent.name),
    F("industry", CSV_K_STR, u.account.industry),
    FR("employees", CSV_K_NUM, u.account.employees, 0, POS),
    FR("revenue", CSV_K_NUM, u.account.revenue, 0, POS),
    F("country", CSV_K_STR, u.account.country),
    F("fy_start_month", CSV_K_MONTH, u.account.fy_start_month),
    FR("arr", CSV_K_NUM, u.account.arr, 0, POS),
    F("currency", CSV_K_STR, u.account.currency),
    F("contract_start", CSV_K_DATE, u.account.contract_start),
    F("contract_end", CSV_K_DATE, u.account.contract_end),
    F("renewal_date", CSV_K_DATE, u.account.renewal_date),
    FR("nps", CSV_K_NUM, u.account.nps, -100, 100),
    F("owner", CSV_K_STR, u.account.owner),
    F("as_of", CSV_K_DATE, u.account.as_of),
};

static const csv_field_def product_fields[] = {
    KEYS,
    F("product", CSV_K_STR, u.product.product),
    F("tier", CSV_K_STR, u.product.tier),
    FR("seats_purchased", CSV_K_NUM, u.product.seats_purchased, 0, POS),
    FR("seats_active", CSV_K_NUM, u.product.seats_active, 0, POS),
    FR("unit_price", CSV_K_NUM, u.product.unit_price, 0, POS),
    F("start", CSV_K_DATE, u.product.start),
    F("end", CSV_K_DATE, u.product.end),
};

static const csv_field_def health_fields[] = {
    KEYS,
    F("date", CSV_K_DATE, u.health.date),
    FR("score", CSV_K_NUM, u.health.score, 0, 100),
};

static const csv_field_def usage_fields[] = {
    KEYS,
    F("date", CSV_K_DATE, u.usage.date),
    F("product", CSV_K_STR, u.usage.product),
    F("department", CSV_K_STR, u.usage.department),
    FR("active_users", CSV_K_NUM, u.usage.active_users, 0, POS),
    FR("capacity_used", CSV_K_NUM, u.usage.capacity_used, 0, POS),
    FR("capacity_limit", CSV_K_NUM, u.usage.capacity_limit, 0, POS),
};

static const csv_field_def feature_fields[] = {
    KEYS,
    F("date", CSV_K_DATE, u.feature.date),
    F("product", CSV_K_STR, u.feature.product),
    F("feature", CSV_K_STR, u.feature.feature),
    F("adoption", CSV_K_FRACTION, u.feature.adoption),
};

static const csv_field_def contact_fields[] = {
    KEYS,
    F("name", CSV_K_STR, u.contact.name),
    F("title", CSV_K_STR, u.contact.title),
    F("department", CSV_K_STR, u.contact.department),
    F("roles", CSV_K_ROLES, u.contact.roles),
    F("since", CSV_K_DATE, u.contact.since),
    F("left", CSV_K_DATE, u.contact.left),
};

static const csv_field_def escalation_fields[] = {
    KEYS,
    F("id", CSV_K_STR, u.escalation.id),
    F("opened", CSV_K_DATE, u.escalation.opened),
    F("closed", CSV_K_DATE, u.escalation.closed),
    F("severity", CSV_K_STR, u.escalation.severity),
    F("subject", CSV_K_STR, u.escalation.subject),
};

static const csv_field_def intent_fields[] = {
    KEYS,
    F("date", CSV_K_DATE, u.intent.date),
    F("product", CSV_K_STR, u.intent.product),
    FR("score", CSV_K_NUM, u.intent.score, 0, 100),
    F("stage", CSV_K_STR, u.intent.stage),
    FR("profile_score", CSV_K_NUM, u.intent.profile_score, 0, 100),
    F("profile_fit", CSV_K_STR, u.intent.profile_fit),
    FL("topics", u.intent.topics, u.intent.n_topics),
};

static const csv_field_def trigger_fields[] = {
    KEYS,
    F("date", CSV_K_DATE, u.trigger.date),
    F("type", CSV_K_STR, u.trigger.type),
    F("detail", CSV_K_STR, u.trigger.detail),
};

static const csv_field_def opportunity_fields[] = {
    KEYS,
    F("id", CSV_K_STR, u.opportunity.id),
    F("product", CSV_K_STR, u.opportunity.product),
    F("stage", CSV_K_STR, u.opportunity.stage),
    F("status", CSV_K_STATUS, u.opportunity.status),
    F("amount", CSV_K_NUM, u.opportunity.amount),
    F("created", CSV_K_DATE, u.opportunity.created),
    F("closed", CSV_K_DATE, u.opportunity.closed),
    F("owner", CSV_K_STR, u.opportunity.owner),
};

static const csv_field_def catalogue_fields[] = {
    F("product", CSV_K_STR, u.catalogue.product),
    F("family", CSV_K_STR, u.catalogue.family),
    FR("tier", CSV_K_INT, u.catalogue.tier, 1, 100),
    F("tier_name", CSV_K_STR, u.catalogue.tier_name),
    FR("list_price", CSV_K_NUM, u.catalogue.list_price, 0, POS),
    F("pricing", CSV_K_PRICING, u.catalogue.pricing),
    FL("aliases", u.catalogue.aliases, u.catalogue.n_aliases),
    FL("topics", u.catalogue.topics, u.catalogue.n_topics),
};

#define TYPE(t, name, fields) [t] = {name, fields, EXD_ARRAY_N(fields)}
#define EXD_ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
  const char *name;
  const csv_field_def *fields;
  size_t n;
} types[EXD_REC_TYPE_COUNT_] = {
    TYPE(EXD_REC_ACCOUNT, "account", account_fields),
    TYPE(EXD_REC_PRODUCT, "product", product_fields),
    TYPE(EXD_REC_HEALTH, "health", health_fields),
    TYPE(EXD_REC_USAGE, "usage", usage_fields),
    TYPE(EXD_REC_FEATURE, "feature", feature_fields),
    TYPE(EXD_REC_CONTACT, "contact", contact_fields),
    TYPE(EXD_REC_ESCALATION, "escalation", escalation_fields),
    TYPE(EXD_REC_INTENT, "intent", intent_fields),
    TYPE(EXD_REC_TRIGGER, "trigger", trigger_fields),
    TYPE(EXD_REC_OPPORTUNITY, "opportunity", opportunity_fields),
    TYPE(EXD_REC_CATALOGUE, "catalogue", catalogue_fields),
};

/* Synonyms accepted in account files. */
static const struct {
  const char *name, *canonical;
} account_synonyms[] = {{"id", "account_id"},
                        {"domain", "account_domain"},
                        {"name", "account_name"}};

int csv_record_type(const char *name) {
  for (int t = 1; t < EXD_REC_TYPE_COUNT_; t++)
    if (name && strcmp(types[t].name, name) == 0) return t;
  return 0;
}

const char *csv_record_name(int type) {
  return type > 0 && type < EXD_REC_TYPE_COUNT_ ? types[type].name : "?";
}

const csv_field_def *csv_fields(int type, size_t *n) {
  if (type <= 0 || type >= EXD_REC_TYPE_COUNT_) {
    *n = 0;
    return NULL;
  }
  *n = types[type].n;
  return types[type].fields;
}

const csv_field_def *csv_field_find(int type, const char *name) {
  size_t n;
  const csv_field_def *f = csv_fields(type, &n);
  if (!name) return NULL;
  if (type == EXD_REC_ACCOUNT)
    for (size_t i = 0; i < EXD_ARRAY_N(account_synonyms); i++)
      if (strcmp(name, account_synonyms[i].name) == 0)
        name = account_synonyms[i].canonical;
  for (size_t i = 0; i < n; i++)
    if (strcmp(f[i].name, name) == 0) return &f[i];
  return NULL;
}

void csv_field_names(int type, char *buf, size_t size) {
  size_t n, len = 0;
  const csv_field_def *f = csv_fields(type, &n);
  if (size) buf[0] = '\0';
  for (size_t i = 0; i < n && len < size; i++) {
    int k = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", f[i].name);
    if (k < 0) break;
    len += (size_t)k;
  }
}

/* ---- required fields ---------------------------------------------------- */

/* Per type: the groups the core requires, alternatives separated by '|'
   (kept in step with record_check in core/record.c). */
static const char *const required[EXD_REC_TYPE_COUNT_][4] = {
    [EXD_REC_ACCOUNT] = {"account_id|account_domain|account_name"},
    [EXD_REC_PRODUCT] = {"product"},
    [EXD_REC_HEALTH] = {"date", "score"},
    [EXD_REC_USAGE] = {"date", "active_users|capacity_used"},
    [EXD_REC_FEATURE] = {"date", "feature", "adoption"},
    [EXD_REC_CONTACT] = {"name|title|roles"},
    [EXD_REC_ESCALATION] = {"opened"},
    [EXD_REC_INTENT] = {"date", "product|topics"},
    [EXD_REC_TRIGGER] = {"date", "type"},
    [EXD_REC_CATALOGUE] = {"product", "family", "list_price"},
};

/* Whether the field named name[0..len) of type is given. */
static int field_given(int type, const unsigned char *given, const char *name,
                       size_t len) {
  size_t n;
  const csv_field_def *f = csv_fields(type, &n);
  for (size_t i = 0; i < n; i++)
    if (strlen(f[i].name) == len && strncmp(f[i].name, name, len) == 0)
      return given[i] != 0;
  return 0;
}

/* Append text[0..len) to buf at *at, cut to fit; buf stays terminated. */
static void put(char *buf, size_t size, size_t *at, const char *text,
                size_t len) {
  if (*at >= size) return;
  size_t room = size - *at - 1;
  if (len > room) len = room;
  memcpy(buf + *at, text, len);
  *at += len;
  buf[*at] = '\0';
}

size_t csv_missing_required(int type, const unsigned char *given, char *buf,
                            size_t size) {
  size_t missing = 0, at = 0;
  if (size) buf[0] = '\0';
  if (type <= 0 || type >= EXD_REC_TYPE_COUNT_) return 0;
  for (size_t g = 0; g < 4 && required[type][g]; g++) {
    const char *grp = required[type][g], *p;
    int met = 0;
    size_t alts = 1;
    for (p = grp; *p; p++)
      alts += *p == '|';
    for (p = grp; !met;) {
      size_t len = strcspn(p, "|");
      met = field_given(type, given, p, len);
      if (!p[len]) break;
      p += len + 1;
    }
    if (met) continue;
    if (missing++) put(buf, size, &at, ", ", 2);
    p = grp;
    for (size_t k = 0; k < alts; k++) {
      size_t len = strcspn(p, "|");
      if (k) {
        const char *sep = k + 1 == alts ? " or " : ", ";
        put(buf, size, &at, sep, strlen(sep));
      }
      put(buf, size, &at, p, len);
      p += len + (p[len] != '\0');
    }
  }
  return missing;
}

static const char *alias_of(const csv_binding *b, const char *s, size_t len) {
  for (size_t i = 0; i < b->n_aliases; i++)
    if (strlen(b->aliases[i].from) == len &&
        strncasecmp(b->aliases[i].from, s, len) == 0)
      return b->aliases[i].to;
  return NULL;
}

/* ---- rows --------------------------------------------------------------- */

void csv_rowbuf_free(csv_rowbuf *b) {
  for (size_t i = 0; i < CSV_MAX_LIST_SLOTS; i++) {
    free(b->slot[i].text);
    free(b->slot[i].items);
    b->slot[i].text = NULL;
    b->slot[i].items = NULL;
    b->slot[i].cap = b->slot[i].icap = 0;
  }
}

/* Split text at sep into trimmed, non-empty, alias-replaced items in the
   binding's slot. Roles are or-ed into *roles instead (first bad item →
   -EINVAL with why). */
static int list_value(const csv_binding *b, const char *text, char sep,
                      csv_rowbuf *buf, exd_record *rec, char *why,
                      size_t size) {
  size_t len = strlen(text), max_items = 1;
  if (b->slot < 0 || b->slot >= CSV_MAX_LIST_SLOTS) return -EINVAL;
  csv_slot *s = &buf->slot[b->slot];
  for (size_t i = 0; sep && i < len; i++)
    max_items += text[i] == sep;
  if (len + 1 > s->cap) {
    char *t = realloc(s->text, len + 1);
    if (!t) return -ENOMEM;
    s->text = t;
    s->cap = len + 1;
  }
  if (max_items > s->icap) {
    const char **it = realloc(s->items, max_items * sizeof(*it));
    if (!it) return -ENOMEM;
    s->items = it;
    s->icap = max_items;
  }
  memcpy(s->text, text, len + 1);
  size_t n = 0;
  unsigned roles = 0;
  char *p = s->text;
  for (;;) {
    char *e = sep ? strchr(p, sep) : NULL;
    if (e) *e = '\0';
    char *item = csv_trim(p);
    if (*item) {
      const char *a = alias_of(b, item, strlen(item));
      if (a) item = (char *)a;
    }
    if (*item) {
      if (b->def->kind == CSV_K_ROLES) {
        unsigned bit = csv_parse_role(item, strlen(item));
        if (!bit) {
          csv_role_why(why, size, item, strlen(item));
          return -EINVAL;
        }
        roles |= bit;
      } else {
        s->items[n++] = item;
      }
    }
    if (!e) break;
    p = e + 1;
  }
  if (b->def->kind == CSV_K_ROLES) {
    if (roles) memcpy((char *)rec + b->def->off, &roles, sizeof(roles));
  } else if (n) {
    const char *const *items = s->items;
    memcpy((char *)rec + b->def->off, &items, sizeof(items));
    memcpy((char *)rec + b->def->off2, &n, sizeof(n));
  }
  return 0;
}

int csv_map_row(const csv_mapping *m, char *const *cells,
                char *const *const *join_rows, exd_record *rec, csv_rowbuf *buf,
                csv_map_error *err) {
  char why[256];
  for (size_t i = 0; i < m->n; i++) {
    const csv_binding *b = &m->bindings[i];
    const char *text = NULL;
    int cell = -1, from_join = 0;
    if (b->col >= 0) {
      text = csv_trim(cells[b->col]);
      cell = b->col;
    }
    if ((!text || !*text) && b->join >= 0 && join_rows && join_rows[b->join]) {
      text = csv_trim(join_rows[b->join][b->join_col]);
      cell = m->join_on[b->join];
      from_join = 1;
    }
    if ((!text || !*text) && b->constant) {
      text = b->constant;
      cell = -1;
      from_join = 0;
    }
    if (!text || !*text) continue;
    int rc;
    if (b->def->kind == CSV_K_LIST || b->def->kind == CSV_K_ROLES) {
      rc = list_value(b, text, m->list_sep, buf, rec, why, sizeof(why));
    } else {
      const char *a = alias_of(b, text, strlen(text));
      if (a && !*a) continue; /* aliased to "": absent */
      rc = csv_scalar_value(b->def, a ? a : text, b->scale, m->date_format, rec,
                            why, sizeof(why));
    }
    if (rc == -ENOMEM) return rc;
    if (rc) {
      err->cell = cell;
      if (from_join)
        snprintf(err->msg, sizeof(err->msg), "column '%s' of %s (field %s): %s",
                 b->join_column, m->join_files[b->join], b->def->name, why);
      else if (cell >= 0)
        snprintf(err->msg, sizeof(err->msg), "column '%s' (field %s): %s",
                 b->column, b->def->name, why);
      else
        snprintf(err->msg, sizeof(err->msg), "constant (field %s): %s",
                 b->def->name, why);
      return -EINVAL;
    }
  }
  if (m->type == EXD_REC_OPPORTUNITY &&
      rec->u.opportunity.status == EXD_OPP_UNKNOWN)
    rec->u.opportunity.status = csv_status_from_stage(rec->u.opportunity.stage);
  return 0;
}
