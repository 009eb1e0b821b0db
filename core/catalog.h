/*
 * The product catalogue: products with family, tier order, list price and
 * pricing, from the config (`catalogue:`) and from sources (EXD_REC_CATALOGUE).
 * Config entries win over source entries field by field; among sources the
 * first that gives a field wins. Names match case-insensitively ignoring
 * spaces, hyphens and underscores ("GTX Pro" = "gtx-pro" = "GTXPro"; other
 * punctuation counts: "Plan 1.5" is not "Plan 15"), aliases likewise.
 */
#ifndef EXD_CATALOG_H
#define EXD_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "util.h"

#define CATALOG_MAX 64 /* products; ownership is a 64-bit set */

typedef struct cat_product {
  const char *name;      /* display name (pool) */
  const char *family;    /* pool */
  int family_idx;        /* after catalog_finalize */
  int tier;              /* 1 = entry; after finalize, 1..n within family */
  int tier_given;        /* tier came from the data (not derived) */
  const char *tier_name; /* may be NULL */
  double list_price;     /* per year; per seat or flat */
  int pricing;           /* EXD_PRICE_*; UNKNOWN → per seat */
  const char **aliases;  /* pool; n_aliases */
  size_t n_aliases;
  const char **topics; /* pool, lower-cased; n_topics */
  size_t n_topics;
  const char *origin; /* where it was defined first */
  int from_config;
} cat_product;

typedef struct catalog {
  cat_product *v;
  size_t n, cap;
  const char **families; /* pool; n_families */
  size_t n_families;
  size_t overflow; /* products beyond CATALOG_MAX, not added */
  strpool *pool;   /* borrowed */
} catalog;

void catalog_init(catalog *c, strpool *pool);
void catalog_free(catalog *c);
/* Add or merge one product (strings are copied into the pool). */
void catalog_add(catalog *c, const cat_product *p);
/* Add the config's `catalogue:` list (already validated against
   cfg_catalogue_keys). Duplicate product names → errors in errs with
   positions; returns 0 or EXD_ECONFIG. */
int catalog_add_config(catalog *c, const exd_node *list, sb *errs);
/* Assign family indices, derive missing tier orders by list price, and
   check the size limit. Returns 0 or EXD_EDATA (why appended to errs). */
int catalog_finalize(catalog *c, sb *errs);
/* Index of the product named s (name or alias), or -1. */
int catalog_find(const catalog *c, const char *s);
/* Index of the product of family f at tier t, or -1. */
int catalog_at_tier(const catalog *c, int family_idx, int tier);
/* Highest tier of a family. */
int catalog_max_tier(const catalog *c, int family_idx);
/* Name key used for matching: lower-cased, without spaces, tabs, hyphens
   and underscores ("GTX Pro" = "gtx-pro" = "GTXPro", but "Plan 1.5" !=
   "Plan 15" and "Suite+" != "Suite"). catalog_name_eq compares two names
   that way, with no length limit. */
void catalog_name_key(const char *s, char *out, size_t outsz);
int catalog_name_eq(const char *a, const char *b);

#endif
