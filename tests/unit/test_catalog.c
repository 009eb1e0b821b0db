/*
 * core/catalog.c: the product catalogue. Merge rules (config beats sources
 * field by field; among sources the first that gives a field wins), name
 * matching that ignores case and punctuation, aliases, tier derivation by
 * list price, and the config loader's duplicate check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"

typedef struct fx {
  strpool *pool;
  catalog c;
} fx;

static int setup(void **state) {
  fx *f = xcalloc(1, sizeof(*f));
  f->pool = pool_new();
  catalog_init(&f->c, f->pool);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fx *f = *state;
  catalog_free(&f->c);
  pool_free(f->pool);
  free(f);
  return 0;
}

static cat_product prod(const char *name, const char *family, int tier,
                        double price, int pricing) {
  cat_product p;
  memset(&p, 0, sizeof(p));
  p.name = name;
  p.family = family;
  p.tier = tier;
  p.list_price = price;
  p.pricing = pricing;
  p.origin = "src";
  return p;
}

static void test_name_key(void **state) {
  (void)state;
  char k[64];
  catalog_name_key("GTX Pro", k, sizeof(k));
  assert_string_equal(k, "gtxpro");
  catalog_name_key("gtx-pro", k, sizeof(k));
  assert_string_equal(k, "gtxpro");
  catalog_name_key("  G.T.X_Pro 2! ", k, sizeof(k));
  assert_string_equal(k, "g.t.xpro2!"); /* only spaces, - and _ are ignored */
  /* Punctuation that distinguishes products counts. */
  assert_true(catalog_name_eq("GTX Pro", "gtx_PRO"));
  assert_false(catalog_name_eq("Plan 1.5", "Plan 15"));
  assert_false(catalog_name_eq("Suite+", "Suite"));
  assert_false(catalog_name_eq("", ""));
  assert_false(catalog_name_eq("- _", " "));
  /* No length limit: two long names differing at the end. */
  char a[600], b[600];
  memset(a, 'x', 599);
  a[599] = 0;
  memcpy(b, a, 600);
  b[598] = 'y';
  assert_false(catalog_name_eq(a, b));
  assert_true(catalog_name_eq(a, a));
  catalog_name_key("Caf\xc3\xa9 Plus", k, sizeof(k)); /* bytes kept */
  assert_string_equal(k, "caf\xc3\xa9plus");
  catalog_name_key(NULL, k, sizeof(k));
  assert_string_equal(k, "");
  catalog_name_key("abcdef", k, 4); /* truncated to fit, NUL-terminated */
  assert_string_equal(k, "abc");
}

static void test_find_ignores_case_and_punctuation(void **state) {
  fx *f = *state;
  cat_product p = prod("GTX Pro", "GTX", 2, 4800, EXD_PRICE_PER_SEAT);
  const char *aliases[] = {"GTX Professional", "gtxp"};
  p.aliases = aliases;
  p.n_aliases = 2;
  catalog_add(&f->c, &p);
  cat_product q = prod("GTX Basic", "GTX", 1, 550, EXD_PRICE_PER_SEAT);
  catalog_add(&f->c, &q);
  assert_int_equal(f->c.n, 2);
  assert_int_equal(catalog_find(&f->c, "GTX Pro"), 0);
  assert_int_equal(catalog_find(&f->c, "gtx-pro"), 0);
  assert_int_equal(catalog_find(&f->c, "GTXPro"), 0);
  assert_int_equal(catalog_find(&f->c, "gtx professional"), 0); /* alias */
  assert_int_equal(catalog_find(&f->c, "GTX_P"), 0);            /* alias */
  assert_int_equal(catalog_find(&f->c, "G.T.X.P."), -1);        /* dots count */
  assert_int_equal(catalog_find(&f->c, "gtx_basic"), 1);
  assert_int_equal(catalog_find(&f->c, "GTX"), -1);
  assert_int_equal(catalog_find(&f->c, "GTX Pro Max"), -1);
  assert_int_equal(catalog_find(&f->c, ""), -1);
  assert_int_equal(catalog_find(&f->c, NULL), -1);
  assert_int_equal(catalog_find(&f->c, "--- !"), -1); /* empty key */
}

static void test_find_name_beats_alias(void **state) {
  fx *f = *state;
  cat_product a = prod("Suite-Plus", "Suite", 0, 200, EXD_PRICE_FLAT);
  catalog_add(&f->c, &a);
  cat_product b = prod("Suite", "Suite", 0, 100, EXD_PRICE_FLAT);
  const char *al[] = {"Suite Plus"};
  b.aliases = al;
  b.n_aliases = 1;
  catalog_add(&f->c, &b);
  assert_int_equal(f->c.n, 2);
  /* "Suite Plus" is product 1's alias and product 0's name: the name wins. */
  assert_int_equal(catalog_find(&f->c, "suite plus"), 0);
  assert_int_equal(catalog_find(&f->c, "SUITE"), 1);
}

static void test_add_under_alias_merges(void **state) {
  fx *f = *state;
  cat_product a = prod("Suite", "Suite", 0, 100, EXD_PRICE_FLAT);
  const char *al[] = {"Suite Plus"};
  a.aliases = al;
  a.n_aliases = 1;
  catalog_add(&f->c, &a);
  /* A product named with another's alias is that product (another
     spelling): it merges, the first name stays. */
  cat_product b = prod("suite_plus", NULL, 2, EXD_NONE, EXD_PRICE_UNKNOWN);
  catalog_add(&f->c, &b);
  assert_int_equal(f->c.n, 1);
  assert_string_equal(f->c.v[0].name, "Suite");
  assert_int_equal(f->c.v[0].tier, 2);
}

static void test_sources_first_given_wins(void **state) {
  fx *f = *state;
  cat_product a = prod("Analytics", NULL, 0, EXD_NONE, EXD_PRICE_UNKNOWN);
  a.origin = "crm.csv:2";
  catalog_add(&f->c, &a);
  cat_product b = prod("analytics", "Data", 3, 900, EXD_PRICE_FLAT);
  b.tier_name = "Gold";
  b.origin = "erp.csv:9";
  catalog_add(&f->c, &b);
  cat_product c = prod("ANALYTICS", "Other", 1, 100, EXD_PRICE_PER_SEAT);
  c.tier_name = "Bronze";
  catalog_add(&f->c, &c);
  assert_int_equal(f->c.n, 1);
  const cat_product *e = &f->c.v[0];
  assert_string_equal(e->name, "Analytics"); /* first spelling kept */
  assert_string_equal(e->family, "Data");    /* first given */
  assert_int_equal(e->tier, 3);
  assert_int_equal(e->tier_given, 1);
  assert_string_equal(e->tier_name, "Gold");
  assert_true(e->list_price == 900);
  assert_int_equal(e->pricing, EXD_PRICE_FLAT);
  assert_string_equal(e->origin, "crm.csv:2");
  assert_int_equal(e->from_config, 0);
}

static void test_config_beats_sources(void **state) {
  fx *f = *state;
  /* A source defines it first... */
  cat_product s = prod("Analytics", "Data", 3, 900, EXD_PRICE_FLAT);
  s.tier_name = "Gold";
  catalog_add(&f->c, &s);
  /* ...then the config: every field it gives wins. */
  cat_product k = prod("analytics", "Insights", 2, 1200, EXD_PRICE_PER_SEAT);
  k.from_config = 1;
  k.origin = "cfg.yaml:4:5";
  catalog_add(&f->c, &k);
  /* A later source cannot change what the config gave. */
  cat_product s2 = prod("Analytics", "Late", 1, 5, EXD_PRICE_FLAT);
  s2.tier_name = "Tin";
  catalog_add(&f->c, &s2);
  assert_int_equal(f->c.n, 1);
  const cat_product *e = &f->c.v[0];
  assert_string_equal(e->family, "Insights");
  assert_int_equal(e->tier, 2);
  assert_true(e->list_price == 1200);
  assert_int_equal(e->pricing, EXD_PRICE_PER_SEAT);
  /* Not given by the config: the source's stays. */
  assert_string_equal(e->tier_name, "Gold");
  assert_int_equal(e->from_config, 1);
  assert_string_equal(e->origin, "cfg.yaml:4:5");
}

static void test_config_first_sources_fill_absent(void **state) {
  fx *f = *state;
  cat_product k = prod("Sync", "Sync", 0, 300, EXD_PRICE_PER_SEAT);
  k.from_config = 1;
  catalog_add(&f->c, &k);
  cat_product s = prod("sync", "Other", 2, 999, EXD_PRICE_FLAT);
  s.tier_name = "Team";
  catalog_add(&f->c, &s);
  const cat_product *e = &f->c.v[0];
  assert_string_equal(e->family, "Sync");
  assert_true(e->list_price == 300);
  assert_int_equal(e->pricing, EXD_PRICE_PER_SEAT);
  assert_int_equal(e->tier, 2); /* absent in the config: filled */
  assert_string_equal(e->tier_name, "Team");
}

static void test_aliases_and_topics_merge(void **state) {
  fx *f = *state;
  cat_product a = prod("Security", "Security", 0, 10, EXD_PRICE_PER_SEAT);
  const char *al1[] = {"SecOps", "", NULL, "Sec Ops Suite"};
  const char *tp1[] = {"Zero Trust", "SIEM"};
  a.aliases = al1;
  a.n_aliases = 4;
  a.topics = tp1;
  a.n_topics = 2;
  catalog_add(&f->c, &a);
  cat_product b = prod("SECURITY", NULL, 0, EXD_NONE, EXD_PRICE_UNKNOWN);
  const char *al2[] = {"sec-ops", "Shield"};
  const char *tp2[] = {"zero-trust", "Endpoint Protection"};
  b.aliases = al2;
  b.n_aliases = 2;
  b.topics = tp2;
  b.n_topics = 2;
  catalog_add(&f->c, &b);
  const cat_product *e = &f->c.v[0];
  /* Empty and NULL entries skipped; duplicates (ignoring case and
     punctuation) kept once, first spelling. */
  assert_int_equal(e->n_aliases, 3);
  assert_string_equal(e->aliases[0], "SecOps");
  assert_string_equal(e->aliases[1], "Sec Ops Suite");
  assert_string_equal(e->aliases[2], "Shield");
  /* Topics are lower-cased. */
  assert_int_equal(e->n_topics, 3);
  assert_string_equal(e->topics[0], "zero trust");
  assert_string_equal(e->topics[1], "siem");
  assert_string_equal(e->topics[2], "endpoint protection");
  assert_int_equal(catalog_find(&f->c, "shield"), 0);
}

static void test_finalize_families_and_defaults(void **state) {
  fx *f = *state;
  cat_product a = prod("Workspace Team", "Workspace", 0, 10, EXD_PRICE_UNKNOWN);
  cat_product b = prod("Support", NULL, 0, 5000, EXD_PRICE_FLAT);
  cat_product c =
      prod("Workspace Business", "workspace", 0, 20, EXD_PRICE_PER_SEAT);
  catalog_add(&f->c, &a);
  catalog_add(&f->c, &b);
  catalog_add(&f->c, &c);
  sb errs = {0};
  assert_int_equal(catalog_finalize(&f->c, &errs), 0);
  assert_string_equal(sb_str(&errs), "");
  assert_int_equal(f->c.n_families, 2);
  assert_string_equal(f->c.families[0], "Workspace");
  assert_string_equal(f->c.families[1], "Support"); /* family = its name */
  assert_int_equal(f->c.v[0].family_idx, 0);
  assert_int_equal(f->c.v[1].family_idx, 1);
  assert_int_equal(f->c.v[2].family_idx, 0); /* "workspace" = "Workspace" */
  assert_string_equal(f->c.v[1].family, "Support");
  assert_int_equal(f->c.v[0].pricing, EXD_PRICE_PER_SEAT); /* unknown → */
  assert_int_equal(f->c.v[1].pricing, EXD_PRICE_FLAT);
  assert_int_equal(f->c.v[0].tier, 1);
  assert_int_equal(f->c.v[2].tier, 2);
  assert_int_equal(f->c.v[1].tier, 1);
  assert_int_equal(catalog_max_tier(&f->c, 0), 2);
  assert_int_equal(catalog_max_tier(&f->c, 1), 1);
  assert_int_equal(catalog_max_tier(&f->c, 7), 0);
  assert_int_equal(catalog_at_tier(&f->c, 0, 2), 2);
  assert_int_equal(catalog_at_tier(&f->c, 0, 1), 0);
  assert_int_equal(catalog_at_tier(&f->c, 0, 3), -1);
  sb_free(&errs);
}

static void test_finalize_tiers_by_price(void **state) {
  fx *f = *state;
  /* Family A: one tier missing → the whole family is ordered by price
     (absent price counts as 0; equal prices by name). Family B: every tier
     given → kept as given, even against price order. */
  cat_product p[] = {
      prod("A Max", "A", 3, 300, EXD_PRICE_PER_SEAT),
      prod("A Mid", "A", 0, 200, EXD_PRICE_PER_SEAT),
      prod("A Free", "A", 1, EXD_NONE, EXD_PRICE_PER_SEAT),
      prod("A Big", "A", 2, 300, EXD_PRICE_PER_SEAT),
      prod("B One", "B", 2, 10, EXD_PRICE_PER_SEAT),
      prod("B Two", "B", 1, 20, EXD_PRICE_PER_SEAT),
  };
  for (size_t i = 0; i < 6; i++)
    catalog_add(&f->c, &p[i]);
  sb errs = {0};
  assert_int_equal(catalog_finalize(&f->c, &errs), 0);
  assert_int_equal(f->c.v[2].tier, 1); /* A Free: price absent */
  assert_int_equal(f->c.v[1].tier, 2); /* A Mid: 200 */
  assert_int_equal(f->c.v[3].tier, 3); /* A Big: 300, "A Big" < "A Max" */
  assert_int_equal(f->c.v[0].tier, 4); /* A Max: 300 */
  assert_int_equal(f->c.v[4].tier, 2); /* B One: given */
  assert_int_equal(f->c.v[5].tier, 1); /* B Two: given */
  /* Finalize again (idempotent). */
  assert_int_equal(catalog_finalize(&f->c, &errs), 0);
  assert_int_equal(f->c.n_families, 2);
  assert_int_equal(f->c.v[0].tier, 4);
  assert_int_equal(f->c.v[4].tier, 2);
  sb_free(&errs);
}

static void test_finalize_too_many(void **state) {
  fx *f = *state;
  char name[32];
  for (int i = 0; i < CATALOG_MAX + 1; i++) {
    snprintf(name, sizeof(name), "Product %d", i);
    cat_product p = prod(name, NULL, 0, i, EXD_PRICE_FLAT);
    catalog_add(&f->c, &p);
  }
  assert_int_equal(f->c.n, 64); /* the 65th is counted, not kept */
  assert_int_equal(f->c.overflow, 1);
  sb errs = {0};
  assert_int_equal(catalog_finalize(&f->c, &errs), EXD_EDATA);
  assert_string_equal(
      sb_str(&errs),
      "the catalogue has 65 products; at most 64 are supported\n");
  sb_free(&errs);
}

static exd_config *load(const char *yaml) {
  exd_config *cfg = NULL;
  char *err = NULL;
  int rc = cfg_load_string("cat.yaml", yaml, strlen(yaml), &cfg, &err);
  if (rc != 0) fail_msg("config: %s", err ? err : "?");
  free(err);
  return cfg;
}

static void test_add_config(void **state) {
  fx *f = *state;
  exd_config *cfg = load("catalogue:\n"
                         "  - product: Analytics Pro\n"
                         "    family: Analytics\n"
                         "    tier: 2\n"
                         "    tier_name: Pro\n"
                         "    list_price: 1200\n"
                         "    aliases: [AP, Analytics Professional]\n"
                         "    topics: [Data Warehouse]\n"
                         "  - product: Support\n"
                         "    family: Support\n"
                         "    list_price: 5000\n"
                         "    pricing: flat\n");
  sb errs = {0};
  assert_int_equal(catalog_add_config(&f->c, cfg->catalogue, &errs), 0);
  assert_string_equal(sb_str(&errs), "");
  assert_int_equal(f->c.n, 2);
  const cat_product *a = &f->c.v[0], *s = &f->c.v[1];
  assert_string_equal(a->name, "Analytics Pro");
  assert_string_equal(a->family, "Analytics");
  assert_int_equal(a->tier, 2);
  assert_int_equal(a->tier_given, 1);
  assert_string_equal(a->tier_name, "Pro");
  assert_true(a->list_price == 1200);
  assert_int_equal(a->pricing, EXD_PRICE_PER_SEAT); /* the default */
  assert_int_equal(a->n_aliases, 2);
  assert_string_equal(a->aliases[1], "Analytics Professional");
  assert_int_equal(a->n_topics, 1);
  assert_string_equal(a->topics[0], "data warehouse");
  assert_int_equal(a->from_config, 1);
  assert_string_equal(a->origin, "cat.yaml:2:5");
  assert_int_equal(s->pricing, EXD_PRICE_FLAT);
  assert_int_equal(s->tier, 0);
  assert_int_equal(s->tier_given, 0);
  assert_int_equal(catalog_add_config(&f->c, NULL, &errs), 0);
  sb_free(&errs);
  cfg_free(cfg);
}

static void test_add_config_duplicates(void **state) {
  fx *f = *state;
  exd_config *cfg = load("catalogue:\n"
                         "  - product: GTX Pro\n"
                         "    family: GTX\n"
                         "    list_price: 1\n"
                         "  - product: Basic\n"
                         "    family: GTX\n"
                         "    list_price: 2\n"
                         "  - product: gtx-pro\n"
                         "    family: GTX\n"
                         "    list_price: 3\n");
  sb errs = {0};
  assert_int_equal(catalog_add_config(&f->c, cfg->catalogue, &errs),
                   EXD_ECONFIG);
  assert_string_equal(sb_str(&errs),
                      "cat.yaml:8:14: duplicate catalogue product 'gtx-pro' "
                      "(also at cat.yaml:2:14)\n");
  sb_free(&errs);
  cfg_free(cfg);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_name_key),
      T(test_find_ignores_case_and_punctuation),
      T(test_find_name_beats_alias),
      T(test_add_under_alias_merges),
      T(test_sources_first_given_wins),
      T(test_config_beats_sources),
      T(test_config_first_sources_fill_absent),
      T(test_aliases_and_topics_merge),
      T(test_finalize_families_and_defaults),
      T(test_finalize_tiers_by_price),
      T(test_finalize_too_many),
      T(test_add_config),
      T(test_add_config_duplicates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
