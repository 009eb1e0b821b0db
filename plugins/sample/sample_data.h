/*
 * Static tables behind the sample generator: the synthetic vendor's
 * catalogue, and the word lists names, titles and events are drawn from.
 * All strings are static; nothing here allocates.
 */
#ifndef SAMPLE_DATA_H
#define SAMPLE_DATA_H

#include <stddef.h>

/* Products of the catalogue, in catalogue order. */
enum sample_product_id {
  SP_WS_STARTER,
  SP_WS_BUSINESS,
  SP_WS_ENTERPRISE,
  SP_AN_STANDARD,
  SP_AN_ADVANCED,
  SP_AUTO_CORE,
  SP_AUTO_SCALE,
  SP_SEC_ESSENTIALS,
  SP_SEC_PREMIUM,
  SP_INT_HUB,
  SP_SUPPORT,
  SP_COUNT
};

/* Product families. */
enum sample_family_id {
  SF_WORKSPACE,
  SF_ANALYTICS,
  SF_AUTOMATION,
  SF_SECURITY,
  SF_INTEGRATIONS,
  SF_SUPPORT,
  SF_COUNT
};

typedef struct sample_product {
  const char *name;
  int family; /* enum sample_family_id */
  int tier;   /* 1 = entry */
  const char *tier_name;
  double list_price; /* per seat per year, or flat per year */
  int per_seat;      /* 1: EXD_PRICE_PER_SEAT, 0: EXD_PRICE_FLAT */
  const char *const *aliases;
  size_t n_aliases;
} sample_product;

typedef struct sample_family {
  const char *name;
  int first; /* enum sample_product_id of tier 1 */
  int n_tiers;
  double base_own; /* share of accounts owning it (size-adjusted) */
  const char *const *topics;
  size_t n_topics;
} sample_family;

extern const sample_product sample_products[SP_COUNT];
extern const sample_family sample_families[SF_COUNT];

/* A table of strings with its length. */
typedef struct sample_words {
  const char *const *v;
  size_t n;
} sample_words;

/* Company names: NAME_A NAME_B NAME_C; every combination differs. */
extern const sample_words sample_name_a, sample_name_b, sample_name_c;

typedef struct sample_industry {
  const char *name;
  double revenue_per_employee; /* USD per year */
} sample_industry;
#define SAMPLE_N_INDUSTRIES 10
/* In Zipf order: the first is the most common. */
extern const sample_industry sample_industries[SAMPLE_N_INDUSTRIES];

typedef struct sample_country {
  const char *name;
  const char *legal_suffix; /* most common legal form there */
  const char *tld;          /* domain suffix, with the dot */
  double share;             /* of accounts; the table sums to 1 */
} sample_country;
#define SAMPLE_N_COUNTRIES 13
extern const sample_country sample_countries[SAMPLE_N_COUNTRIES];

extern const sample_words sample_first_names, sample_last_names;
extern const sample_words sample_departments; /* usage departments */
extern const sample_words sample_features;
extern const sample_words sample_escalation_subjects;

/* Contact titles and the department they sit in, by role. */
typedef struct sample_title {
  const char *title;
  const char *department;
} sample_title;
typedef struct sample_titles {
  const sample_title *v;
  size_t n;
} sample_titles;
extern const sample_titles sample_champion_titles, sample_power_user_titles,
    sample_buyer_titles, sample_executive_titles, sample_admin_titles;

/* Trigger events: type and a detail line. */
typedef struct sample_event {
  const char *type;
  const char *detail;
} sample_event;
typedef struct sample_events {
  const sample_event *v;
  size_t n;
} sample_events;
extern const sample_events sample_growth_events, sample_decline_events,
    sample_neutral_events;

/* Open-pipeline stage labels. */
extern const sample_words sample_open_stages;

#endif
