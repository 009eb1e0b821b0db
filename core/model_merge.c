/* Account model: the merge pass (model_finalize); see model.h. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "model.h"
#include "model_priv.h"

#define NONE32 UINT32_MAX

struct merge {
  model *m;
  hmap by_id, by_dom, by_name;
  VEC(m_account) acct;
};

static uint64_t pkey(const char *s) {
  return (uint64_t)(uintptr_t)s;
}

/* Can the key (id, domain) belong to account a? Different ids, or different
   domains, mean different accounts even when a weaker part matches. */
static int compatible(const m_account *a, const m_key *k) {
  if (a->crm_id && k->id && a->crm_id != k->id) return 0;
  if (a->domain && k->domain && a->domain != k->domain) return 0;
  return 1;
}

/* Same words, ignoring case, punctuation and spacing, but not legal
   suffixes: "Acme, Inc." = "ACME Inc", "Acme GmbH" != "Acme Inc". */
static int same_words(const char *a, const char *b) {
  if (!a || !b) return 1;
  for (;;) {
    while (*a && !isalnum((unsigned char)*a) && (unsigned char)*a < 0x80)
      a++;
    while (*b && !isalnum((unsigned char)*b) && (unsigned char)*b < 0x80)
      b++;
    if (!*a || !*b) return !*a && !*b;
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    a++;
    b++;
  }
}

/* The account a key belongs to (by CRM id, then domain, then normalized
   name), or NONE32. *by_name is set when only the name matched. */
static uint32_t find_account_how(struct merge *g, const m_key *k,
                                 int *by_name) {
  uint32_t a;
  *by_name = 0;
  if (k->id && (a = hmap_get(&g->by_id, pkey(k->id))) != NONE32) return a;
  if (k->domain && (a = hmap_get(&g->by_dom, pkey(k->domain))) != NONE32 &&
      compatible(&g->acct.v[a], k))
    return a;
  if (k->name_key && (a = hmap_get(&g->by_name, pkey(k->name_key))) != NONE32 &&
      compatible(&g->acct.v[a], k)) {
    *by_name = 1;
    return a;
  }
  return NONE32;
}

static uint32_t find_account(struct merge *g, const m_key *k) {
  int by_name;
  return find_account_how(g, k, &by_name);
}

static void register_ids(struct merge *g, uint32_t ai, const m_key *k) {
  m_account *a = &g->acct.v[ai];
  if (k->id && !a->crm_id) a->crm_id = k->id;
  if (k->domain && !a->domain) a->domain = k->domain;
  if (k->name_key && !a->name_key) a->name_key = k->name_key;
  if (k->name && !a->name) a->name = k->name;
  if (a->crm_id && hmap_get(&g->by_id, pkey(a->crm_id)) == NONE32)
    hmap_put(&g->by_id, pkey(a->crm_id), ai);
  if (a->domain && hmap_get(&g->by_dom, pkey(a->domain)) == NONE32)
    hmap_put(&g->by_dom, pkey(a->domain), ai);
  if (a->name_key && hmap_get(&g->by_name, pkey(a->name_key)) == NONE32)
    hmap_put(&g->by_name, pkey(a->name_key), ai);
}

#define FILL_STR(f)                                                            \
  if (!a->f && r->f) a->f = r->f
#define FILL_NUM(f)                                                            \
  if (EXD_IS_NONE(a->f) && !EXD_IS_NONE(r->f)) a->f = r->f
#define FILL_DATE(f, g)                                                        \
  if (a->f == EXD_DATE_NONE && r->g != EXD_DATE_NONE) a->f = r->g

static void merge_account_rec(model *m, m_account *a, const m_acct_rec *r) {
  FILL_STR(industry);
  FILL_STR(country);
  FILL_STR(currency);
  FILL_STR(owner);
  FILL_STR(origin);
  FILL_NUM(revenue);
  FILL_NUM(arr);
  FILL_NUM(nps);
  if (!a->fy_start_month && r->fy_start_month)
    a->fy_start_month = r->fy_start_month;
  FILL_DATE(contract_start, contract_start);
  FILL_DATE(contract_end, contract_end);
  FILL_DATE(renewal, renewal);
  /* Employees: a dated observation beats an undated one, a later date beats
     an earlier one; otherwise the first source wins. */
  if (!EXD_IS_NONE(r->employees)) {
    int take = EXD_IS_NONE(a->employees) ||
               (r->as_of != EXD_DATE_NONE &&
                (a->firmo_as_of == EXD_DATE_NONE || r->as_of > a->firmo_as_of));
    if (take) {
      a->employees = r->employees;
      a->firmo_as_of = r->as_of;
    }
  }
  a->sources |= 1u << r->src;
  (void)m;
}

static void new_account(struct merge *g) {
  m_account a;
  memset(&a, 0, sizeof(a));
  a.parent = -1;
  a.employees = a.revenue = a.arr = a.nps = EXD_NONE;
  a.contract_start = a.contract_end = a.renewal = a.firmo_as_of = EXD_DATE_NONE;
  VEC_PUSH(&g->acct, a);
}

/* Stable counting sort of an array whose elements start with uint32 acct;
   entries whose acct is NONE32 are dropped. Fills off/cnt of kind. */
static size_t sort_by_account(model *m, void **base, size_t n, size_t elem,
                              int kind) {
  char *b = *base;
  size_t na = m->n_acct, kept = 0, sorted = 1;
  uint32_t prev = 0;
  for (size_t i = 0; i < na; i++)
    m->acct[i].cnt[kind] = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t a = *(uint32_t *)(b + i * elem);
    if (a == NONE32) {
      sorted = 0;
      continue;
    }
    if (a < prev) sorted = 0;
    prev = a;
    m->acct[a].cnt[kind]++;
    kept++;
  }
  uint32_t off = 0;
  for (size_t i = 0; i < na; i++) {
    m->acct[i].off[kind] = off;
    off += m->acct[i].cnt[kind];
  }
  if (sorted) return n;
  char *out = xmalloc((kept ? kept : 1) * elem);
  uint32_t *pos = xcalloc(na ? na : 1, sizeof(*pos));
  for (size_t i = 0; i < n; i++) {
    uint32_t a = *(uint32_t *)(b + i * elem);
    if (a == NONE32) continue;
    memcpy(out + (size_t)(m->acct[a].off[kind] + pos[a]++) * elem, b + i * elem,
           elem);
  }
  free(pos);
  free(*base);
  *base = out;
  return kept;
}

/* Remap key ids to account indices (NONE32 when unmatched, counted). */
static void remap(model *m, void *base, size_t n, size_t elem, int rec_type) {
  struct model_priv *p = m->priv;
  char *b = base;
  for (size_t i = 0; i < n; i++) {
    uint32_t *acct = (uint32_t *)(b + i * elem);
    const m_key *k = &p->keys.v[*acct];
    *acct = k->acct;
    if (k->acct == NONE32) {
      m_source_stats *s = &m->src[k->src];
      s->unmatched[rec_type]++;
      if (!s->unmatched_example) {
        s->unmatched_example = k->first_origin;
        sb t = {0};
        if (k->id)
          sb_printf(&t, "id %s", k->id);
        else if (k->domain)
          sb_printf(&t, "domain %s", k->domain);
        else
          sb_printf(&t, "name '%s'", k->name ? k->name : k->name_key);
        s->unmatched_key = pool_intern(m->pool, sb_str(&t));
        sb_free(&t);
      }
    }
  }
}

#define SORT(vec, kind)                                                        \
  (vec).n =                                                                    \
      sort_by_account(m, (void **)&(vec).v, (vec).n, sizeof(*(vec).v), kind)

static double nan_add(double a, double b) {
  if (EXD_IS_NONE(a)) return b;
  if (EXD_IS_NONE(b)) return a;
  return a + b;
}

/* Merge owned-product lines per account: same product from one source adds
   seats (unit price becomes the seat-weighted mean); across sources the
   first source that gives a field wins. Compacts the array. */
static void merge_products(model *m) {
  m_product *v = m->products.v;
  size_t w = 0;
  for (size_t ai = 0; ai < m->n_acct; ai++) {
    m_account *a = &m->acct[ai];
    size_t start = w, off = a->off[MK_PRODUCT], n = a->cnt[MK_PRODUCT];
    for (size_t i = off; i < off + n; i++) {
      m_product x = v[i];
      size_t j;
      for (j = start; j < w; j++)
        if ((x.cat >= 0 && v[j].cat == x.cat) ||
            (x.cat < 0 && v[j].cat < 0 && v[j].prod_raw == x.prod_raw))
          break;
      if (j == w) {
        v[w++] = x;
        continue;
      }
      m_product *e = &v[j];
      if (e->src == x.src) {
        double s1 = EXD_IS_NONE(e->seats_purchased) ? 1 : e->seats_purchased;
        double s2 = EXD_IS_NONE(x.seats_purchased) ? 1 : x.seats_purchased;
        if (!EXD_IS_NONE(e->unit_price) && !EXD_IS_NONE(x.unit_price))
          e->unit_price = (e->unit_price * s1 + x.unit_price * s2) / (s1 + s2);
        else if (EXD_IS_NONE(e->unit_price))
          e->unit_price = x.unit_price;
        e->seats_purchased = nan_add(e->seats_purchased, x.seats_purchased);
        e->seats_active = nan_add(e->seats_active, x.seats_active);
        if (x.start != EXD_DATE_NONE &&
            (e->start == EXD_DATE_NONE || x.start < e->start))
          e->start = x.start;
        if (x.end != EXD_DATE_NONE &&
            (e->end == EXD_DATE_NONE || x.end > e->end))
          e->end = x.end;
        e->lines += x.lines;
      } else {
        if (EXD_IS_NONE(e->seats_purchased))
          e->seats_purchased = x.seats_purchased;
        if (EXD_IS_NONE(e->seats_active)) e->seats_active = x.seats_active;
        if (EXD_IS_NONE(e->unit_price)) e->unit_price = x.unit_price;
        if (e->start == EXD_DATE_NONE) e->start = x.start;
        if (e->end == EXD_DATE_NONE) e->end = x.end;
        if (!e->tier_raw) e->tier_raw = x.tier_raw;
      }
    }
    a->off[MK_PRODUCT] = (uint32_t)start;
    a->cnt[MK_PRODUCT] = (uint32_t)(w - start);
  }
  m->products.n = w;
}

/* Resolve raw product names to catalogue indices; count unknown ones. */
static int16_t *resolve_pnames(model *m) {
  int16_t *pc = xmalloc((m->pnames.n ? m->pnames.n : 1) * sizeof(*pc));
  pc[0] = -1;
  for (size_t i = 1; i < m->pnames.n; i++)
    pc[i] = (int16_t)catalog_find(&m->cat, m->pnames.v[i]);
  return pc;
}

static void note_unknown_products(model *m, const int16_t *pc, sb *notes) {
  size_t *cnt = xcalloc(m->pnames.n ? m->pnames.n : 1, sizeof(*cnt));
  for (size_t i = 0; i < m->products.n; i++)
    cnt[(uint16_t)m->products.v[i].cat]++;
  for (size_t i = 0; i < m->opps.n; i++)
    cnt[(uint16_t)m->opps.v[i].cat]++;
  for (size_t i = 0; i < m->intents.n; i++)
    cnt[(uint16_t)m->intents.v[i].cat]++;
  for (size_t i = 0; i < m->usage.n; i++)
    cnt[(uint16_t)m->usage.v[i].cat]++;
  for (size_t i = 0; i < m->features.n; i++)
    cnt[(uint16_t)m->features.v[i].cat]++;
  size_t shown = 0, unknown = 0;
  for (size_t i = 1; i < m->pnames.n; i++) {
    if (pc[i] >= 0 || !cnt[i]) continue;
    unknown++;
    if (shown++ < 10)
      sb_printf(notes,
                "product '%s' (%zu records) is not in the catalogue; add it "
                "or an alias under catalogue:\n",
                m->pnames.v[i], cnt[i]);
  }
  if (unknown > shown)
    sb_printf(notes, "... and %zu more products not in the catalogue\n",
              unknown - shown);
  free(cnt);
}

#define RESOLVE(vec)                                                           \
  for (size_t i = 0; i < (vec).n; i++)                                         \
  (vec).v[i].cat = pc[(uint16_t)(vec).v[i].cat]

static void derive(model *m) {
  for (size_t ai = 0; ai < m->n_acct; ai++) {
    m_account *a = &m->acct[ai];
    if (a->renewal == EXD_DATE_NONE) a->renewal = a->contract_end;
    size_t n;
    const m_product *pr = MODEL_SLICE(m, a, MK_PRODUCT, m_product, &n);
    double arr = EXD_NONE;
    for (size_t i = 0; i < n; i++) {
      if (pr[i].end != EXD_DATE_NONE && pr[i].end < m->as_of) continue;
      if (pr[i].cat >= 0) a->owned |= (uint64_t)1 << pr[i].cat;
      double price = pr[i].unit_price;
      const cat_product *c = pr[i].cat >= 0 ? &m->cat.v[pr[i].cat] : NULL;
      /* List prices are in the reporting currency; ARR is in the
         account's. Without a rate the line is left out. */
      if (EXD_IS_NONE(price) && c)
        price = c->list_price / model_fx(m, a->currency);
      double seats = pr[i].seats_purchased;
      if (c && c->pricing == EXD_PRICE_FLAT && !EXD_IS_NONE(pr[i].unit_price))
        seats = EXD_IS_NONE(seats) ? 1 : seats; /* units of a flat product */
      else if (c && c->pricing == EXD_PRICE_FLAT)
        seats = 1;
      if (!EXD_IS_NONE(price) && !EXD_IS_NONE(seats))
        arr = nan_add(arr, price * seats);
    }
    if (EXD_IS_NONE(a->arr) && !EXD_IS_NONE(arr)) {
      a->arr = arr;
      a->arr_derived = 1;
    }
    if (!a->owner) {
      const m_opp *o = MODEL_SLICE(m, a, MK_OPP, m_opp, &n);
      int32_t best = EXD_DATE_NONE;
      int best_won = 0;
      for (size_t i = 0; i < n; i++) {
        if (!o[i].owner) continue;
        int won = o[i].status == EXD_OPP_WON;
        int32_t d = o[i].closed != EXD_DATE_NONE ? o[i].closed : o[i].created;
        if (!a->owner || won > best_won || (won == best_won && d > best)) {
          best = d;
          best_won = won;
          a->owner = o[i].owner;
        }
      }
    }
    if (EXD_IS_NONE(a->employees)) {
      const m_employees *e = MODEL_SLICE(m, a, MK_EMPLOYEES, m_employees, &n);
      for (size_t i = 0; i < n; i++)
        if (a->firmo_as_of == EXD_DATE_NONE || e[i].date > a->firmo_as_of) {
          a->employees = e[i].employees;
          a->firmo_as_of = e[i].date;
        }
    }
  }
}

/* Accounts in a currency with no exchange rate, once per currency. */
static void currency_notes(model *m, sb *notes) {
  const char *seen[16];
  size_t n_seen = 0;
  for (size_t i = 0; i < m->n_acct; i++) {
    const m_account *a = &m->acct[i];
    if (!EXD_IS_NONE(model_fx(m, a->currency))) continue;
    size_t k;
    for (k = 0; k < n_seen; k++)
      if (str_ieq(seen[k], a->currency)) break;
    if (k < n_seen || n_seen == 16) continue;
    seen[n_seen++] = a->currency;
    size_t count = 0;
    for (size_t j = i; j < m->n_acct; j++)
      if (m->acct[j].currency && str_ieq(m->acct[j].currency, a->currency))
        count++;
    sb_printf(notes,
              "%zu account%s in %s (e.g. %s) but exchange_rates has no %s rate "
              "into %s: their own prices and ARR are not used (add "
              "exchange_rates: {%s: ...})\n",
              count, count == 1 ? " is" : "s are", a->currency,
              a->name ? a->name : "?", a->currency, m->currency, a->currency);
  }
}

static void source_notes(model *m, sb *notes) {
  for (size_t s = 0; s < m->n_src; s++) {
    m_source_stats *st = &m->src[s];
    unsigned long total = 0;
    sb kinds = {0};
    for (int t = 1; t < EXD_REC_TYPE_COUNT_; t++) {
      if (!st->unmatched[t]) continue;
      total += st->unmatched[t];
      static const char *const names[] = {
          NULL,     "account", "product",     "health",
          "usage",  "feature", "contact",     "escalation",
          "intent", "trigger", "opportunity", "catalogue"};
      sb_printf(&kinds, "%s%lu %s", kinds.len ? ", " : "", st->unmatched[t],
                names[t]);
    }
    if (total)
      sb_printf(notes,
                "%s: %lu records reference no known account (%s); first at "
                "%s (%s)\n",
                st->name, total, sb_str(&kinds),
                st->unmatched_example ? st->unmatched_example : "?",
                st->unmatched_key ? st->unmatched_key : "?");
    sb_free(&kinds);
    if (st->future) {
      char d[11];
      sb_printf(notes, "%s: %lu records dated after %s ignored\n", st->name,
                st->future, date_format(m->as_of, d));
    }
  }
}

int model_finalize(model *m, sb *notes) {
  struct model_priv *p = m->priv;
  if (m->finalized) return -EINVAL;
  m->finalized = 1;
  struct merge g = {.m = m};

  if (catalog_finalize(&m->cat, notes) < 0) goto fail_cat;
  int16_t *pc = resolve_pnames(m);

  /* Accounts, in source order (config order), then emit order. */
  size_t name_clashes = 0;
  const char *clash_a = NULL, *clash_b = NULL, *clash_at = NULL;
  size_t nr = p->acct_recs.n;
  const m_acct_rec *recs = p->acct_recs.v;
  for (size_t s = 0; s < m->n_src; s++)
    for (size_t i = 0; i < nr; i++) {
      if (recs[i].src != s) continue;
      m_key *key = &p->keys.v[recs[i].key];
      int by_name;
      uint32_t ai = find_account_how(&g, key, &by_name);
      /* Two account rows of one source that differ in name but normalize
         alike ("Acme GmbH", "Acme Inc") are two accounts: keep them apart. */
      /* (Only for accounts this source created: sources are merged in
         order, so then this source's bit is the only one set.) */
      if (ai != NONE32 && by_name && g.acct.v[ai].sources == (1u << s) &&
          !same_words(key->name, g.acct.v[ai].name)) {
        if (!name_clashes++) {
          clash_a = g.acct.v[ai].name;
          clash_b = key->name;
          clash_at = recs[i].origin;
        }
        ai = NONE32;
      }
      if (ai == NONE32) {
        new_account(&g);
        ai = (uint32_t)(g.acct.n - 1);
      }
      key->acct = ai;
      register_ids(&g, ai, key);
      merge_account_rec(m, &g.acct.v[ai], &recs[i]);
    }
  m->acct = g.acct.v;
  m->n_acct = g.acct.n;
  if (name_clashes)
    sb_printf(notes,
              "%zu account%s a normalized name with another account of "
              "the same source (e.g. '%s' and '%s' at %s); they are kept apart "
              "and records that name them only by name go to the first; give "
              "ids or domains to tell them apart\n",
              name_clashes, name_clashes == 1 ? " shares" : "s share", clash_a,
              clash_b, clash_at ? clash_at : "?");

  /* Every other key: match without creating. */
  for (size_t i = 0; i < p->keys.n; i++)
    if (p->keys.v[i].acct == NONE32)
      p->keys.v[i].acct = find_account(&g, &p->keys.v[i]);
  hmap_free(&g.by_id);
  hmap_free(&g.by_dom);
  hmap_free(&g.by_name);

  /* Parents (the first source that names one wins). */
  size_t orphans = 0;
  const char *orphan_example = NULL;
  for (size_t s = 0; s < m->n_src; s++)
    for (size_t i = 0; i < nr; i++) {
      if (recs[i].src != s || recs[i].parent_key == KEY_NONE) continue;
      m_account *a = &m->acct[p->keys.v[recs[i].key].acct];
      const m_key *pk = &p->keys.v[recs[i].parent_key];
      if (a->parent >= 0 || a->parent_label) continue;
      uint32_t pa = pk->acct;
      if (pa != NONE32 && &m->acct[pa] != a) {
        a->parent = (int32_t)pa;
      } else {
        a->parent_label = pk->name ? pk->name : pk->id ? pk->id : pk->domain;
        if (!orphan_example) orphan_example = a->parent_label;
        orphans++;
      }
    }
  free(p->acct_recs.v);
  memset(&p->acct_recs, 0, sizeof(p->acct_recs));
  if (orphans)
    sb_printf(notes,
              "%zu accounts name a parent that is not among the accounts "
              "(e.g. '%s'); kept as a label\n",
              orphans, orphan_example);

  remap(m, m->products.v, m->products.n, sizeof(m_product), EXD_REC_PRODUCT);
  remap(m, m->health.v, m->health.n, sizeof(m_health), EXD_REC_HEALTH);
  remap(m, m->usage.v, m->usage.n, sizeof(m_usage), EXD_REC_USAGE);
  remap(m, m->features.v, m->features.n, sizeof(m_feature), EXD_REC_FEATURE);
  remap(m, m->contacts.v, m->contacts.n, sizeof(m_contact), EXD_REC_CONTACT);
  remap(m, m->escalations.v, m->escalations.n, sizeof(m_escalation),
        EXD_REC_ESCALATION);
  remap(m, m->intents.v, m->intents.n, sizeof(m_intent), EXD_REC_INTENT);
  remap(m, m->triggers.v, m->triggers.n, sizeof(m_trigger), EXD_REC_TRIGGER);
  remap(m, m->opps.v, m->opps.n, sizeof(m_opp), EXD_REC_OPPORTUNITY);
  remap(m, m->employees.v, m->employees.n, sizeof(m_employees),
        EXD_REC_ACCOUNT);
  free_priv_state(m); /* keys and indexes are no longer needed */

  SORT(m->products, MK_PRODUCT);
  SORT(m->health, MK_HEALTH);
  SORT(m->usage, MK_USAGE);
  SORT(m->features, MK_FEATURE);
  SORT(m->contacts, MK_CONTACT);
  SORT(m->escalations, MK_ESCALATION);
  SORT(m->intents, MK_INTENT);
  SORT(m->triggers, MK_TRIGGER);
  SORT(m->opps, MK_OPP);
  SORT(m->employees, MK_EMPLOYEES);

  note_unknown_products(m, pc, notes);
  RESOLVE(m->products);
  RESOLVE(m->usage);
  RESOLVE(m->features);
  RESOLVE(m->intents);
  RESOLVE(m->opps);
  free(pc);

  merge_products(m);
  derive(m);
  currency_notes(m, notes);
  if (m->name_overflow)
    sb_printf(notes,
              "%lu records name a product, department or feature beyond the "
              "%d distinct product or %d distinct department/feature names "
              "the model holds; those names were ignored\n",
              m->name_overflow, INT16_MAX, UINT16_MAX);
  source_notes(m, notes);
  return m->n_acct ? 0 : EXD_ENOACCT;

fail_cat:
  free_priv_state(m);
  return EXD_EDATA;
}
