/*
 * expansiond plugin contract.
 *
 * This header is the whole interface between the expansiond daemon and its
 * plugins. A plugin includes this file and nothing else from expansiond, links
 * against nothing in the daemon, and exports exactly one symbol: the const
 * descriptor named by EXD_PLUGIN_SYMBOL (use EXD_PLUGIN_DEFINE).
 *
 * Conventions used throughout:
 *   - Functions return 0 on success or a negative errno-style code (EXD_E*,
 *     or -EINVAL, -ENOMEM, ...). host->strerror() turns a code into text.
 *   - Numbers are doubles; "absent" is NaN (EXD_NONE), never zero.
 *   - Dates are whole days since 1970-01-01 (UTC) in int32_t; "absent" is
 *     EXD_DATE_NONE.
 *   - Strings are UTF-8, NUL-terminated; NULL or "" means absent.
 *   - Every pointer a plugin passes to the host is borrowed for the duration
 *     of the call only: the host copies what it keeps. Every pointer the host
 *     returns stays valid as stated next to the function.
 *   - All host functions must be called from the loop thread (the thread that
 *     called init/collect/push), never from a thread the plugin started.
 *
 * ABI: EXD_ABI_MAJOR changes when anything existing changes meaning or layout;
 * EXD_ABI_MINOR grows when something is appended. The host refuses a plugin
 * built for another major or a newer minor. Structs passed across the
 * boundary start with their struct_size so either side can tell which
 * appended members the other knows.
 */
#ifndef EXPANSIOND_PLUGIN_H
#define EXPANSIOND_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXD_ABI_MAJOR 1
#define EXD_ABI_MINOR 0

/* Name of the exported descriptor symbol. */
#define EXD_PLUGIN_SYMBOL "expansiond_plugin"

#if defined(__GNUC__)
#define EXD_EXPORT __attribute__((visibility("default")))
#define EXD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define EXD_EXPORT
#define EXD_PRINTF(fmt, args)
#endif

/* ------------------------------------------------------------------------ */
/* Values                                                                    */

#define EXD_NONE (__builtin_nan(""))
#define EXD_IS_NONE(x) ((x) != (x))
#define EXD_DATE_NONE INT32_MIN

/* Error codes beyond errno (all negative). */
#define EXD_EABI (-4001)     /* plugin ABI version not supported */
#define EXD_ENOENTRY (-4002) /* plugin has no descriptor symbol */
#define EXD_ECONFIG (-4003)  /* invalid configuration */
#define EXD_EDATA (-4004)    /* invalid input data */
#define EXD_EPLUGIN (-4005)  /* plugin misbehaved */
#define EXD_ENOACCT (-4006)  /* no accounts */
#define EXD_EHTTP (-4007)    /* HTTP transfer failed */

/* Log levels (syslog numbers). */
enum exd_log_level {
  EXD_LOG_ERROR = 3,
  EXD_LOG_WARN = 4,
  EXD_LOG_INFO = 6,
  EXD_LOG_DEBUG = 7
};

/* ------------------------------------------------------------------------ */
/* Opaque handles owned by the host.                                         */

typedef struct exd_instance exd_instance; /* one configured plugin instance */
typedef struct exd_node exd_node;       /* a config node, with file:line:col */
typedef struct exd_collect exd_collect; /* one running collect call */
typedef struct exd_push exd_push;       /* one running push call */

/* ------------------------------------------------------------------------ */
/* Config key tables (declared by each plugin, checked by the core).         */

enum exd_cfg_type {
  EXD_CFG_STRING = 1,
  EXD_CFG_INT,    /* signed 64-bit integer */
  EXD_CFG_DOUBLE, /* finite number */
  EXD_CFG_BOOL,   /* only the plain scalars true and false */
  EXD_CFG_PATH,   /* string; a relative path is resolved against the
                     directory of the file that names it */
  EXD_CFG_DATE,   /* YYYY-MM-DD */
  EXD_CFG_MAP,    /* mapping; see children / item_type */
  EXD_CFG_LIST    /* sequence; see item_type / children */
};

enum exd_cfg_flags {
  EXD_CFG_REQUIRED = 1u << 0,
  EXD_CFG_SECRET = 1u << 1 /* masked when printed; may be given as
                              KEY_file: PATH, read from that file */
};

/*
 * One key of a config mapping. Tables end with an entry whose name is NULL.
 *
 * EXD_CFG_MAP with children != NULL: a mapping whose keys are exactly those
 *   children (unknown keys are errors).
 * EXD_CFG_MAP with children == NULL: an open mapping (any key); each value
 *   must be of item_type (a scalar type, or EXD_CFG_MAP for an open mapping
 *   of open mappings of strings).
 * EXD_CFG_LIST: each item is of item_type; when item_type is EXD_CFG_MAP the
 *   item's keys are checked against children.
 *
 * After validation the core fills in defaults, so host->node_get() finds
 * every key that has a default_value.
 */
typedef struct exd_config_key {
  const char *name;
  int type;                  /* enum exd_cfg_type */
  unsigned flags;            /* enum exd_cfg_flags */
  const char *default_value; /* scalar default in YAML text, or NULL */
  const char *description;   /* one line, used for --help and the README */
  const struct exd_config_key *children;
  int item_type;   /* for MAP without children and for LIST */
  double min, max; /* range for INT/DOUBLE; ignored when min == max */
  const char *const *choices; /* for STRING: allowed values, NULL-ended */
} exd_config_key;

enum exd_node_type { EXD_NODE_SCALAR = 1, EXD_NODE_MAP, EXD_NODE_LIST };

/* ------------------------------------------------------------------------ */
/* The normalized account model: records a source plugin emits.              */

/*
 * Which account a record belongs to. The core matches a record to an account
 * by CRM id, then domain, then normalized name (the first one given that
 * matches). 15-character Salesforce ids are normalized to 18 characters;
 * domains are lower-cased and stripped of scheme, "www.", port and path; names
 * are compared case-folded, with punctuation and legal suffixes (Inc, LLC,
 * Ltd, GmbH, Corp, ...) removed.
 */
typedef struct exd_key {
  const char *crm_id;
  const char *domain;
  const char *name;
} exd_key;

enum exd_record_type {
  EXD_REC_ACCOUNT = 1, /* identity, firmographics, commercial, engagement */
  EXD_REC_PRODUCT,     /* a product the account owns */
  EXD_REC_HEALTH,      /* a dated health score */
  EXD_REC_USAGE,       /* a dated usage measurement */
  EXD_REC_FEATURE,     /* dated adoption of one feature */
  EXD_REC_CONTACT,     /* a person: champion, power user, buyer, ... */
  EXD_REC_ESCALATION,  /* a support escalation, open or closed */
  EXD_REC_INTENT,      /* dated buying intent for one product */
  EXD_REC_TRIGGER,     /* a dated trigger event */
  EXD_REC_OPPORTUNITY, /* a pipeline opportunity, open or closed */
  EXD_REC_CATALOGUE,   /* a product of the vendor's catalogue (no account) */
  EXD_REC_TYPE_COUNT_  /* not a type */
};

enum exd_pricing {
  EXD_PRICE_UNKNOWN = 0,
  EXD_PRICE_PER_SEAT, /* list_price is per seat per year */
  EXD_PRICE_FLAT      /* list_price is per account per year */
};

enum exd_opp_status {
  EXD_OPP_UNKNOWN = 0,
  EXD_OPP_OPEN,
  EXD_OPP_WON,
  EXD_OPP_LOST
};

enum exd_contact_role {
  EXD_ROLE_CHAMPION = 1u << 0,
  EXD_ROLE_POWER_USER = 1u << 1,
  EXD_ROLE_ECONOMIC_BUYER = 1u << 2,
  EXD_ROLE_EXECUTIVE = 1u << 3,
  EXD_ROLE_ADMIN = 1u << 4
};

/* Account firmographics and commercial terms. Several ACCOUNT records for
   one account merge: the first source in config order that gives a field
   wins; a dated record (as_of) also adds to the employee-count history. */
typedef struct exd_rec_account {
  exd_key parent; /* parent account (hierarchy); any part */
  const char *industry;
  double employees;
  double revenue; /* annual revenue in `currency` */
  const char *country;
  int fy_start_month;   /* fiscal year start 1..12; 0 = absent */
  double arr;           /* current annual recurring revenue */
  const char *currency; /* ISO 4217, default USD */
  int32_t contract_start;
  int32_t contract_end;
  int32_t renewal_date; /* absent: contract_end is used */
  double nps;           /* -100..100 */
  const char *owner;    /* account owner / rep */
  int32_t as_of;        /* date the firmographics were observed */
} exd_rec_account;

/* A product the account owns. Records for the same product from the same
   source add their seats (deal lines); across sources the first source in
   config order that gives a field wins. */
typedef struct exd_rec_product {
  const char *product;    /* catalogue name or alias */
  const char *tier;       /* optional tier name when product is a family */
  double seats_purchased; /* seats or units under contract */
  double seats_active;    /* seats in use */
  double unit_price;      /* per seat (or per unit) per year */
  int32_t start;
  int32_t end;
} exd_rec_product;

typedef struct exd_rec_health {
  int32_t date;
  double score; /* 0..100 */
} exd_rec_health;

typedef struct exd_rec_usage {
  int32_t date;
  const char *product;    /* optional: usage of one product */
  const char *department; /* optional: the team/department using it */
  double active_users;
  double capacity_used;  /* any unit (GB, API calls, ...) */
  double capacity_limit; /* same unit as capacity_used */
} exd_rec_usage;

typedef struct exd_rec_feature {
  int32_t date;
  const char *product; /* optional */
  const char *feature;
  double adoption; /* 0..1: share of active users using the feature */
} exd_rec_feature;

typedef struct exd_rec_contact {
  const char *name;
  const char *title;
  const char *department;
  unsigned roles; /* enum exd_contact_role bits */
  int32_t since;  /* first engaged / joined */
  int32_t left;   /* left the account or the role */
} exd_rec_contact;

typedef struct exd_rec_escalation {
  const char *id;
  int32_t opened;
  int32_t closed;       /* absent: still open */
  const char *severity; /* free text, e.g. P1 */
  const char *subject;
} exd_rec_escalation;

typedef struct exd_rec_intent {
  int32_t date;
  const char *product;  /* catalogue name or alias */
  double score;         /* 0..100 */
  const char *stage;    /* Target|Awareness|Consideration|Decision|Purchase */
  double profile_score; /* 0..100 */
  const char *profile_fit;   /* Strong|Moderate|Weak */
  const char *const *topics; /* n_topics researched topics */
  size_t n_topics;
} exd_rec_intent;

/* Trigger types the scoring core knows: funding, ipo, acquisition, merger,
   hiring_surge, new_office, expansion (growth), new_executive,
   leadership_change (people) -- these score and open an action window --
   and layoffs, budget_freeze, hiring_freeze, bankruptcy, which put
   opportunities on hold. Others are kept and shown but do not score. */
typedef struct exd_rec_trigger {
  int32_t date;
  const char *type;
  const char *detail;
} exd_rec_trigger;

typedef struct exd_rec_opportunity {
  const char *id;
  const char *product; /* catalogue name or alias */
  const char *stage;   /* the CRM's own stage label */
  int status;          /* enum exd_opp_status */
  double amount;
  int32_t created;
  int32_t closed; /* close date (expected close date when open) */
  const char *owner;
} exd_rec_opportunity;

typedef struct exd_rec_catalogue {
  const char *product; /* unique name */
  const char *family;  /* product family (tiers of one product) */
  int tier;            /* 1 = entry tier; 0 = derive from list price order */
  const char *tier_name;
  double list_price;          /* per year; see pricing */
  int pricing;                /* enum exd_pricing */
  const char *const *aliases; /* other spellings, n_aliases of them */
  size_t n_aliases;
  const char *const *topics; /* intent topics this product answers */
  size_t n_topics;
} exd_rec_catalogue;

typedef struct exd_record {
  uint32_t struct_size; /* sizeof(exd_record) as the plugin compiled it */
  int type;             /* enum exd_record_type */
  const char *origin;   /* where it came from, e.g. "accounts.csv:12" or a
                           URL; used in every message about the record */
  exd_key account;      /* unused for EXD_REC_CATALOGUE */
  union {
    exd_rec_account account;
    exd_rec_product product;
    exd_rec_health health;
    exd_rec_usage usage;
    exd_rec_feature feature;
    exd_rec_contact contact;
    exd_rec_escalation escalation;
    exd_rec_intent intent;
    exd_rec_trigger trigger;
    exd_rec_opportunity opportunity;
    exd_rec_catalogue catalogue;
  } u;
} exd_record;

/* ------------------------------------------------------------------------ */
/* Ranked results, as a sink receives them.                                  */

enum exd_opp_type {
  EXD_OPP_UPSELL = 1,
  EXD_OPP_CROSS_SELL,
  EXD_OPP_SEAT_EXPANSION,
  EXD_OPP_USE_CASE
};

typedef struct exd_reason {
  const char *code; /* stable identifier, e.g. "usage_ceiling" */
  const char *text; /* human evidence */
  double weight;    /* points this reason added to (or took from) the
                       propensity */
} exd_reason;

typedef struct exd_objection {
  const char *objection;
  const char *response;
} exd_objection;

typedef struct exd_opportunity {
  uint32_t struct_size;
  uint32_t rank;   /* 1-based */
  const char *key; /* stable across daily runs:
                      account_id|type|product|ANCHOR where ANCHOR is
                      renewal:DATE, budget:DATE (fiscal-year start),
                      trigger:DATE or YYYY-Qn (default window) */
  const char *account_id;
  const char *account_name;
  int type;              /* enum exd_opp_type */
  const char *type_name; /* upsell, cross_sell, seat_expansion,
                            use_case_expansion */
  const char *product;
  double propensity;      /* 0..100 */
  double expected_uplift; /* ARR */
  double expected_value;  /* propensity / 100 * expected_uplift */
  int32_t window_start;
  int32_t window_end;
  const char *const *holds; /* reasons to hold, n_holds of them */
  size_t n_holds;
  const exd_reason *reasons;
  size_t n_reasons;
  double current_arr; /* business case */
  const char *roi;
  const exd_objection *objections;
  size_t n_objections;
  const char *entry_point;
  const char *next_action;
} exd_opportunity;

enum exd_result_format {
  EXD_FMT_JSON = 1,  /* one JSON object, the schema of `run --format json` */
  EXD_FMT_CSV,       /* one CSV row, no line end */
  EXD_FMT_CSV_HEADER /* the CSV header row (index ignored) */
};

/* ------------------------------------------------------------------------ */
/* Host services: a const table passed to init. It only grows by appending;
   test EXD_HOST_HAS(host, member) before using a member newer than the
   plugin's minor version. */

typedef struct exd_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;

  /* Logging; the host prefixes "[plugin/instance]". */
  void (*log)(const exd_instance *inst, int level, const char *fmt, ...)
      EXD_PRINTF(3, 4);
  /* Instance name; valid as long as the instance. */
  const char *(*instance_name)(const exd_instance *inst);
  const char *(*strerror)(int code);

  /* Config: the instance's validated `config:` mapping, defaults filled in.
     Nodes live as long as the instance. node_get returns NULL when the key is
     absent; node_str returns NULL for a non-scalar. */
  const exd_node *(*config)(const exd_instance *inst);
  const exd_node *(*node_get)(const exd_node *map, const char *key);
  int (*node_type)(const exd_node *node);   /* enum exd_node_type */
  size_t (*node_len)(const exd_node *node); /* items or pairs */
  const exd_node *(*node_at)(const exd_node *node, size_t i);
  const char *(*node_key_at)(const exd_node *map, size_t i);
  const char *(*node_str)(const exd_node *node);
  int (*node_int)(const exd_node *node, int64_t *out);
  int (*node_double)(const exd_node *node, double *out);
  int (*node_bool)(const exd_node *node, int *out);
  /* "FILE:LINE:COL" of a node; valid as long as the node. */
  const char *(*node_where)(const exd_node *node);
  /* Report a config error at a node (NULL: the instance). Makes init fail
     with EXD_ECONFIG even if init returns 0. */
  void (*config_error)(const exd_instance *inst, const exd_node *node,
                       const char *fmt, ...) EXD_PRINTF(3, 4);

  /* Dates. as_of: the date the run is "as of"; a source must not emit facts
     dated after it (the core drops them and counts them). */
  int32_t (*as_of)(const exd_instance *inst);
  int (*date_parse)(const char *text, int32_t *days); /* YYYY-MM-DD */

  /* Loop: run cb(arg) on a later loop iteration. */
  int (*defer)(const exd_instance *inst, void (*cb)(void *arg), void *arg);

  /* Collecting (sources). record_init sets every field of rec to absent and
     sets struct_size/type; emit copies the record into the model (or rejects
     it with a logged error naming rec->origin and the field, returning
     EXD_EDATA); data_error reports a bad input item the plugin itself
     rejected. collect_done ends the collect call; call it exactly once. */
  void (*record_init)(exd_record *rec, uint32_t struct_size, int type);
  int (*emit)(exd_collect *c, const exd_record *rec);
  void (*data_error)(exd_collect *c, const char *origin, const char *fmt, ...)
      EXD_PRINTF(3, 4);
  void (*collect_done)(exd_collect *c, int status);

  /* Pushing (sinks). result returns the i-th ranked opportunity (0-based);
     the pointer and everything it points to stay valid until the next call
     of result or format_result on the same push. format_result returns the
     same in a text format (valid under the same rule). push_done ends the
     push call; call it exactly once. */
  size_t (*result_count)(const exd_push *p);
  const exd_opportunity *(*result)(exd_push *p, size_t i);
  const char *(*format_result)(exd_push *p, size_t i, int format);
  void (*push_done)(exd_push *p, int status);
} exd_host_api;

#define EXD_HOST_HAS(host, member)                                             \
  (offsetof(exd_host_api, member) + sizeof(((exd_host_api *)0)->member) <=     \
   (host)->struct_size)

#define EXD_RECORD_INIT(host, rec, type)                                       \
  ((host)->record_init((rec), (uint32_t)sizeof(*(rec)), (type)))

/* ------------------------------------------------------------------------ */
/* The descriptor a plugin exports.                                          */

enum exd_capability {
  EXD_CAP_SOURCE = 1u << 0, /* collect() fills the account model */
  EXD_CAP_SINK = 1u << 1    /* push() receives ranked opportunities */
};

typedef struct exd_plugin {
  /* Checked by the loader before anything else is read. */
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t struct_size;

  const char *name; /* must match the file name (NAME.so) */
  const char *version;
  const char *description;
  unsigned capabilities;             /* enum exd_capability bits */
  const exd_config_key *config_keys; /* NULL-name-terminated, may be NULL */

  /* Create the instance state. host stays valid until destroy returns.
     Return 0 and set *state, or a negative code (the host then unloads the
     plugin without calling destroy). */
  int (*init)(const exd_host_api *host, exd_instance *inst, void **state);
  /* Start collecting; return 0 and later call host->collect_done(c, rc)
     once (possibly before returning), or return a negative code and do not
     call collect_done. */
  int (*collect)(void *state, exd_collect *c);
  /* Start pushing results; same completion rule with push_done. */
  int (*push)(void *state, exd_push *p);
  /* Free the state. Not called when init failed. */
  void (*destroy)(void *state);
} exd_plugin;

#define EXD_PLUGIN_DEFINE(...)                                                 \
  EXD_EXPORT extern const exd_plugin expansiond_plugin;                        \
  const exd_plugin expansiond_plugin = {                                       \
      EXD_ABI_MAJOR, EXD_ABI_MINOR, (uint32_t)sizeof(exd_plugin), __VA_ARGS__}

#ifdef __cplusplus
}
#endif
#endif /* EXPANSIOND_PLUGIN_H */
