/* Product catalogue; see catalog.h. */
#include "catalog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void catalog_init(catalog *c, strpool *pool) {
  memset(c, 0, sizeof(*c));
  c->pool = pool;
}

void catalog_free(catalog *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].aliases);
    free(c->v[i].topics);
  }
  free(c->v);
  free(c->families);
  memset(c, 0, sizeof(*c));
}

static int ignorable(unsigned char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '_';
}

void catalog_name_key(const char *s, char *out, size_t outsz) {
  size_t k = 0;
  for (; s && *s && k + 1 < outsz; s++)
    if (!ignorable((unsigned char)*s))
      out[k++] = (char)tolower((unsigned char)*s);
  out[k] = '\0';
}

int catalog_name_eq(const char *a, const char *b) {
  if (!a || !b) return 0;
  int seen = 0;
  for (;;) {
    while (*a && ignorable((unsigned char)*a))
      a++;
    while (*b && ignorable((unsigned char)*b))
      b++;
    if (!*a || !*b) return seen && !*a && !*b;
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    a++;
    b++;
    seen = 1;
  }
}

static int same_name(const char *a, const char *b) {
  return catalog_name_eq(a, b);
}

int catalog_find(const catalog *c, const char *s) {
  if (!s || !*s) return -1;
  for (size_t i = 0; i < c->n; i++)
    if (catalog_name_eq(s, c->v[i].name)) return (int)i;
  for (size_t i = 0; i < c->n; i++)
    for (size_t j = 0; j < c->v[i].n_aliases; j++)
      if (catalog_name_eq(s, c->v[i].aliases[j])) return (int)i;
  return -1;
}

static void add_strings(catalog *c, const char ***dst, size_t *n,
                        const char *const *src, size_t m, int lower) {
  for (size_t i = 0; i < m; i++) {
    if (!src[i] || !*src[i]) continue;
    char *tmp = xstrdup(src[i]);
    if (lower)
      for (char *p = tmp; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    int dup = 0;
    for (size_t j = 0; j < *n; j++)
      if (same_name((*dst)[j], tmp)) dup = 1;
    if (!dup) {
      *dst = xrealloc(*dst, (*n + 1) * sizeof(**dst));
      (*dst)[(*n)++] = pool_intern(c->pool, tmp);
    }
    free(tmp);
  }
}

void catalog_add(catalog *c, const cat_product *p) {
  int i = catalog_find(c, p->name);
  cat_product *e;
  if (i < 0) {
    if (c->n >= CATALOG_MAX) {
      c->overflow++; /* reported by catalog_finalize; keeps lookups cheap */
      return;
    }
    if (c->n == c->cap) xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
    e = &c->v[c->n++];
    memset(e, 0, sizeof(*e));
    e->name = pool_intern(c->pool, p->name);
    e->family = pool_intern(c->pool, p->family);
    e->tier = p->tier;
    e->tier_given = p->tier > 0;
    e->tier_name = pool_intern(c->pool, p->tier_name);
    e->list_price = p->list_price;
    e->pricing = p->pricing;
    e->origin = pool_intern(c->pool, p->origin);
    e->from_config = p->from_config;
  } else {
    e = &c->v[i];
    /* Config beats sources; otherwise first given wins. */
    int override = p->from_config && !e->from_config;
    if (p->family && (override || !e->family))
      e->family = pool_intern(c->pool, p->family);
    if (p->tier > 0 && (override || !e->tier_given)) {
      e->tier = p->tier;
      e->tier_given = 1;
    }
    if (p->tier_name && (override || !e->tier_name))
      e->tier_name = pool_intern(c->pool, p->tier_name);
    if (!EXD_IS_NONE(p->list_price) && (override || EXD_IS_NONE(e->list_price)))
      e->list_price = p->list_price;
    if (p->pricing != EXD_PRICE_UNKNOWN &&
        (override || e->pricing == EXD_PRICE_UNKNOWN))
      e->pricing = p->pricing;
    if (override) {
      e->from_config = 1;
      e->origin = pool_intern(c->pool, p->origin);
    }
  }
  add_strings(c, &e->aliases, &e->n_aliases, p->aliases, p->n_aliases, 0);
  add_strings(c, &e->topics, &e->n_topics, p->topics, p->n_topics, 1);
}

static const char **node_strings(const exd_node *list, size_t *n) {
  *n = 0;
  if (!list || list->type != EXD_NODE_LIST) return NULL;
  const char **v = xcalloc(list->n ? list->n : 1, sizeof(*v));
  for (size_t i = 0; i < list->n; i++)
    if (cfg_str(list->items[i])) v[(*n)++] = cfg_str(list->items[i]);
  return v;
}

int catalog_add_config(catalog *c, const exd_node *list, sb *errs) {
  int rc = 0;
  if (!list) return 0;
  for (size_t i = 0; i < list->n; i++) {
    const exd_node *it = list->items[i];
    const exd_node *name = cfg_get(it, "product");
    for (size_t j = 0; j < i; j++) {
      const exd_node *other = cfg_get(list->items[j], "product");
      if (name && other && same_name(cfg_str(name), cfg_str(other))) {
        cfg_errorf(errs, name, "duplicate catalogue product '%s' (also at %s)",
                   cfg_str(name), other->where);
        rc = EXD_ECONFIG;
      }
    }
    cat_product p = {0};
    p.name = cfg_get_str(it, "product", NULL);
    p.family = cfg_get_str(it, "family", NULL);
    p.tier = (int)cfg_get_int(it, "tier", 0);
    p.tier_name = cfg_get_str(it, "tier_name", NULL);
    p.list_price = cfg_get_double(it, "list_price", EXD_NONE);
    const char *pr = cfg_get_str(it, "pricing", "per_seat");
    p.pricing = strcmp(pr, "flat") == 0 ? EXD_PRICE_FLAT : EXD_PRICE_PER_SEAT;
    const char **al = node_strings(cfg_get(it, "aliases"), &p.n_aliases);
    const char **tp = node_strings(cfg_get(it, "topics"), &p.n_topics);
    p.aliases = al;
    p.topics = tp;
    p.origin = it->where;
    p.from_config = 1;
    if (rc == 0) catalog_add(c, &p);
    free(al);
    free(tp);
  }
  return rc;
}

static int cmp_price(const void *a, const void *b, void *ctx) {
  const catalog *c = ctx;
  const cat_product *x = &c->v[*(const int *)a], *y = &c->v[*(const int *)b];
  double px = EXD_IS_NONE(x->list_price) ? 0 : x->list_price;
  double py = EXD_IS_NONE(y->list_price) ? 0 : y->list_price;
  if (px != py) return px < py ? -1 : 1;
  return strcmp(x->name, y->name);
}

int catalog_finalize(catalog *c, sb *errs) {
  free(c->families);
  c->families = NULL;
  c->n_families = 0;
  if (c->overflow) {
    sb_printf(errs,
              "the catalogue has %zu products; at most %d are supported\n",
              c->n + c->overflow, CATALOG_MAX);
    return EXD_EDATA;
  }
  for (size_t i = 0; i < c->n; i++) {
    cat_product *p = &c->v[i];
    if (!p->family) p->family = p->name;
    if (p->pricing == EXD_PRICE_UNKNOWN) p->pricing = EXD_PRICE_PER_SEAT;
    size_t f;
    for (f = 0; f < c->n_families; f++)
      if (same_name(c->families[f], p->family)) break;
    if (f == c->n_families) {
      c->families = xrealloc(c->families, (f + 1) * sizeof(*c->families));
      c->families[c->n_families++] = p->family;
    }
    p->family_idx = (int)f;
  }
  /* A family where any tier is missing is ordered by list price. */
  for (size_t f = 0; f < c->n_families; f++) {
    int idx[CATALOG_MAX], n = 0, derive = 0;
    for (size_t i = 0; i < c->n; i++)
      if (c->v[i].family_idx == (int)f) {
        idx[n++] = (int)i;
        if (!c->v[i].tier_given) derive = 1;
      }
    if (!derive) continue;
    qsort_r(idx, (size_t)n, sizeof(int), cmp_price, c);
    for (int k = 0; k < n; k++)
      c->v[idx[k]].tier = k + 1;
  }
  return 0;
}

int catalog_at_tier(const catalog *c, int family_idx, int tier) {
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].family_idx == family_idx && c->v[i].tier == tier) return (int)i;
  return -1;
}

int catalog_max_tier(const catalog *c, int family_idx) {
  int t = 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].family_idx == family_idx && c->v[i].tier > t) t = c->v[i].tier;
  return t;
}
