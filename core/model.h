/*
 * The normalized account model, built from the records every source emits
 * (plugin.h documents the record fields). Collection appends validated
 * records to compact per-type arrays keyed by an interned account key;
 * model_finalize() then merges accounts (by CRM id, then domain, then
 * normalized name), attaches every record to its account, merges owned
 * products, resolves parents and product names, and sorts each array by
 * account so every account sees contiguous slices.
 *
 * Every fact keeps its date; facts dated after the model's as_of date are
 * dropped at add time (and counted), so scoring never sees the future.
 *
 * Ownership: the model owns every string it holds (one string pool) and all
 * arrays; pointers into the model stay valid until model_free.
 */
#ifndef EXD_MODEL_H
#define EXD_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "expansiond/plugin.h"
#include "util.h"

#define MODEL_MAX_SOURCES 32

/* Record kinds stored per account (slices). */
enum m_kind {
  MK_PRODUCT,
  MK_HEALTH,
  MK_USAGE,
  MK_FEATURE,
  MK_CONTACT,
  MK_ESCALATION,
  MK_INTENT,
  MK_TRIGGER,
  MK_OPP,
  MK_EMPLOYEES, /* dated employee counts from ACCOUNT records */
  MK__COUNT
};

typedef VEC(const char *) strvec;

typedef struct m_account {
  const char *crm_id;       /* normalized (18-char for Salesforce ids) */
  const char *domain;       /* normalized */
  const char *name;         /* display name as given */
  const char *name_key;     /* normalized for matching */
  int32_t parent;           /* account index, or -1 */
  const char *parent_label; /* the parent as given, when not resolved */
  const char *industry, *country, *currency, *owner;
  double employees, revenue, arr, nps;
  int fy_start_month; /* 0 = absent */
  int32_t contract_start, contract_end, renewal;
  int32_t firmo_as_of; /* date of the firmographics used (or NONE) */
  const char *origin;  /* first ACCOUNT record's origin */
  uint32_t sources;    /* bit per source that contributed */
  uint32_t off[MK__COUNT], cnt[MK__COUNT];
  uint64_t owned;  /* catalogue products owned (bit per product) */
  int arr_derived; /* arr computed from owned products */
} m_account;

/* In the arrays below `acct` is the account index after finalize (the key
   id before). `cat` is the catalogue index after finalize (-1: none or not
   in the catalogue) and an index into model.pnames before; prod_raw keeps
   the name as given. */

typedef struct m_product {
  uint32_t acct;
  int16_t cat;
  uint8_t src;
  const char *prod_raw, *tier_raw;
  double seats_purchased, seats_active, unit_price;
  int32_t start, end;
  uint32_t lines; /* records merged into this one */
} m_product;

typedef struct m_health {
  uint32_t acct;
  int32_t date;
  float score;
} m_health;

typedef struct m_usage {
  uint32_t acct;
  int32_t date;
  int16_t cat;                       /* -1: account-level */
  uint16_t dept;                     /* index into model.depts; 0 = none */
  float active, cap_used, cap_limit; /* NaN = absent */
} m_usage;

typedef struct m_feature {
  uint32_t acct;
  int32_t date;
  int16_t cat;
  uint16_t feature; /* index into model.fnames (lower-cased names) */
  float adoption;
} m_feature;

typedef struct m_contact {
  uint32_t acct;
  uint32_t roles;
  int32_t since, left;
  const char *name, *title, *department;
} m_contact;

typedef struct m_escalation {
  uint32_t acct;
  int32_t opened, closed;
  const char *id, *severity, *subject;
} m_escalation;

enum m_stage {
  ST_NONE,
  ST_TARGET,
  ST_AWARENESS,
  ST_CONSIDERATION,
  ST_DECISION,
  ST_PURCHASE
};
enum m_fit { FIT_NONE, FIT_WEAK, FIT_MODERATE, FIT_STRONG };

typedef struct m_intent {
  uint32_t acct;
  int32_t date;
  int16_t cat;
  int8_t stage; /* enum m_stage */
  int8_t fit;   /* enum m_fit */
  float score, profile_score;
  const char *prod_raw;
  const char **topics; /* pool; lower-cased */
  uint32_t n_topics;
} m_intent;

typedef struct m_trigger {
  uint32_t acct;
  int32_t date;
  const char *type; /* lower-cased */
  const char *detail;
} m_trigger;

typedef struct m_opp {
  uint32_t acct;
  int16_t cat;
  int8_t status; /* EXD_OPP_* */
  int32_t created, closed;
  double amount;
  const char *id, *stage, *owner, *prod_raw;
} m_opp;

typedef struct m_employees {
  uint32_t acct;
  int32_t date;
  float employees;
} m_employees;

/* Per-source counters, reported after finalize. */
typedef struct m_source_stats {
  const char *name; /* "plugin/instance" */
  unsigned long accepted[EXD_REC_TYPE_COUNT_];
  unsigned long rejected;                       /* failed validation */
  unsigned long future;                         /* dated after as_of, dropped */
  unsigned long unmatched[EXD_REC_TYPE_COUNT_]; /* no such account */
  const char *unmatched_example;  /* origin of the first unmatched */
  const char *unmatched_key;      /* its key, as text */
  unsigned long unknown_products; /* product names not in the catalogue */
} m_source_stats;

typedef struct m_rate {
  const char *currency; /* pool */
  double rate;          /* value of one unit in model.currency */
} m_rate;

typedef struct model {
  int32_t as_of;
  const char *currency; /* reporting currency (catalogue prices); pool */
  m_rate *rates;
  size_t n_rates;
  strpool *pool;
  catalog cat;

  m_account *acct;
  size_t n_acct;

  VEC(m_product) products;
  VEC(m_health) health;
  VEC(m_usage) usage;
  VEC(m_feature) features;
  VEC(m_contact) contacts;
  VEC(m_escalation) escalations;
  VEC(m_intent) intents;
  VEC(m_trigger) triggers;
  VEC(m_opp) opps;
  VEC(m_employees) employees;

  strvec depts;                /* dept names; index 0 unused */
  strvec pnames;               /* raw product names; index 0 unused */
  strvec fnames;               /* feature names (lower-cased); index 0 unused */
  unsigned long name_overflow; /* records whose product, department or
                                  feature name did not fit those tables */

  m_source_stats src[MODEL_MAX_SOURCES];
  size_t n_src;

  struct model_priv *priv; /* collection state, freed by finalize */
  int finalized;
} model;

model *model_new(int32_t as_of);
void model_free(model *m);

/* Set the reporting currency (the catalogue's; default USD) and exchange
   rates (value of one unit of each other currency in it). Strings copied. */
void model_set_currency(model *m, const char *currency, const m_rate *rates,
                        size_t n);
/* Factor converting an amount in currency cur (NULL: the account gave none,
   so it is the reporting currency) into the reporting currency: 1 for the
   same currency, the rate when known, NaN when unknown. */
double model_fx(const model *m, const char *cur);

/* Register a source; returns its index (0-based) or -E2BIG. name is
   copied. */
int model_add_source(model *m, const char *name);

/* Add the config's catalogue (see catalog_add_config). */
int model_add_config_catalogue(model *m, const exd_node *list, sb *errs);

/*
 * Validate rec (record_check) and add it. Returns 0 when stored or dropped
 * as future-dated, EXD_EDATA when rejected (why says why, prefixed with
 * nothing: the caller adds the origin), or -EINVAL after finalize.
 */
int model_add(model *m, int src, const exd_record *rec, sb *why);

/* Per-source note of a bad input item the plugin rejected itself. */
void model_note_rejected(model *m, int src);

/*
 * Merge and index (see the top of this file). Messages about what could not
 * be matched or resolved are appended to notes, one line each, prefixed with
 * the source name. Returns 0, EXD_ENOACCT when there are no accounts, or
 * EXD_EDATA when the catalogue is unusable (why in notes).
 */
int model_finalize(model *m, sb *notes);

/* Slice of kind k of account a: pointer to the first element, *n elements. */
const void *model_slice(const model *m, const m_account *a, int kind,
                        size_t *n);
#define MODEL_SLICE(m, a, kind, type, np)                                      \
  ((const type *)model_slice((m), (a), (kind), (np)))

/* Account by CRM id, domain or name (exact, then normalized; also a unique
   case-insensitive prefix of the name). Returns the index, -1 when none,
   -2 when the name is ambiguous. */
long model_find(const model *m, const char *what);

/* Key normalisation (exposed for tests). Results are written to out. */
/* Salesforce: a 15-char id gets its 3-char suffix; an 18-char id with a
   correct suffix is kept; anything else is kept trimmed. */
void model_norm_id(const char *id, char *out, size_t outsz);
/* Lower-case, strip scheme, "www.", port, path, trailing dot. */
void model_norm_domain(const char *d, char *out, size_t outsz);
/* Case-fold, punctuation and "&" / "and" → space, drop legal suffixes
   (Inc, LLC, GmbH, Co, KG, ...) and a leading "the", collapse spaces. */
void model_norm_name(const char *n, char *out, size_t outsz);
/* Counts and memory of the model ("accounts 500 (0 MB), ..."); returns
   the bytes. out may be NULL. */
size_t model_describe(const model *m, sb *out);

/* Index of the department name (interned; 0 for NULL). */
uint16_t model_dept(model *m, const char *name);

#endif
