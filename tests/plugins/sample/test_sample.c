/*
 * The sample plugin through the mock host: config, chunked collection,
 * determinism, validity of every record, and the shape of the synthetic
 * customer base (distributions and correlations, with tolerances).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mock_host.h"
#include "record.h"
#include "sample_gen.h"
#include "util.h"

#include "record_text.h"

extern const exd_plugin expansiond_plugin;

/* A collected run. */
typedef struct run {
  mock_host *m;
  void *state;
  int32_t as_of;
} run;

static void run_start(run *r, const char *yaml) {
  r->m = mock_host_new(yaml, "sample.yaml", expansiond_plugin.config_keys);
  assert_string_equal(mock_config_errors(r->m), "");
  r->as_of = date_from_ymd(2026, 6, 30);
  assert_int_equal(
      expansiond_plugin.init(mock_api(r->m), mock_instance(r->m), &r->state),
      0);
  assert_int_equal(expansiond_plugin.collect(r->state, mock_collect(r->m)), 0);
}

static void run_collect(run *r, const char *yaml) {
  run_start(r, yaml);
  mock_run_deferred(r->m);
  assert_int_equal(mock_collect_done_calls(r->m), 1);
  assert_int_equal(mock_collect_status(r->m), 0);
  assert_int_equal(mock_n_data_errors(r->m), 0);
}

static void run_end(run *r) {
  expansiond_plugin.destroy(r->state);
  mock_host_free(r->m);
}

static char *stream_text(const mock_host *m) {
  sb b = {0};
  for (size_t i = 0; i < mock_n_records(m); i++)
    record_text(&b, mock_record(m, i));
  return sb_steal(&b);
}

/* ---- tests ---- */

static void test_same_seed_same_stream(void **state) {
  (void)state;
  run a, b, c;
  run_collect(&a, "seed: 7\naccounts: 300\nchunk: 64\n");
  run_collect(&b, "seed: 7\naccounts: 300\n");
  run_collect(&c, "seed: 8\naccounts: 300\n");
  char *ta = stream_text(a.m), *tb = stream_text(b.m), *tc = stream_text(c.m);
  assert_true(strlen(ta) > 100000);
  assert_int_equal(mock_n_records(a.m), mock_n_records(b.m));
  assert_string_equal(ta, tb); /* chunking does not change the stream */
  assert_true(strcmp(ta, tc) != 0);
  /* Another seed changes accounts, not the catalogue. */
  assert_int_equal(memcmp(ta, tc, 1000), 0);
  free(ta);
  free(tb);
  free(tc);
  run_end(&a);
  run_end(&b);
  run_end(&c);
}

static void test_defaults_and_every_type(void **state) {
  (void)state;
  run r;
  run_collect(&r, "");
  size_t n = mock_n_records(r.m);
  size_t per_type[EXD_REC_TYPE_COUNT_] = {0};
  size_t origins = 0;
  const char *last_origin = "";
  for (size_t i = 0; i < n; i++) {
    const exd_record *x = mock_record(r.m, i);
    assert_true(x->type > 0 && x->type < EXD_REC_TYPE_COUNT_);
    per_type[x->type]++;
    if (strcmp(x->origin, last_origin) != 0) {
      origins++;
      last_origin = x->origin;
    }
  }
  for (int t = 1; t < EXD_REC_TYPE_COUNT_; t++)
    if (!per_type[t]) fail_msg("no %s record", record_type_name(t));
  assert_int_equal(per_type[EXD_REC_CATALOGUE], 11);
  /* Two ACCOUNT records (now and a year ago) per account. */
  assert_int_equal(per_type[EXD_REC_ACCOUNT], 2 * 500);
  assert_int_equal(per_type[EXD_REC_HEALTH], 12 * 500);
  assert_int_equal(origins, 1 + 500); /* catalogue + one per account */
  assert_string_equal(mock_record(r.m, 0)->origin, "sample:catalogue");
  assert_string_equal(mock_record(r.m, 11)->origin, "sample#1");
  assert_string_equal(mock_record(r.m, n - 1)->origin, "sample#500");
  /* The budget: at most 40 records per account on average. */
  double per_account = (double)(n - 11) / 500;
  print_message("sample: %.2f records per account at the defaults\n",
                per_account);
  assert_true(per_account <= 40.0);
  assert_true(per_account >= 30.0);
  assert_non_null(strstr(mock_log(r.m), "generated 500 accounts"));
  run_end(&r);
}

static int cat_has(const mock_host *m, const char *name) {
  for (size_t i = 0; i < 11; i++)
    if (strcmp(mock_record(m, i)->u.catalogue.product, name) == 0) return 1;
  return 0;
}

static void check_id(const char *id) {
  static const char map[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  assert_non_null(id);
  assert_int_equal(strlen(id), 18);
  assert_memory_equal(id, "001", 3);
  for (int i = 0; i < 18; i++)
    assert_true((id[i] >= '0' && id[i] <= '9') ||
                (id[i] >= 'A' && id[i] <= 'Z') ||
                (id[i] >= 'a' && id[i] <= 'z'));
  for (int j = 0; j < 3; j++) {
    int bits = 0;
    for (int k = 0; k < 5; k++)
      if (id[j * 5 + k] >= 'A' && id[j * 5 + k] <= 'Z') bits |= 1 << k;
    assert_int_equal(id[15 + j], map[bits]);
  }
}

static void test_records_valid(void **state) {
  (void)state;
  run r;
  run_collect(&r, "accounts: 2000\n");
  int32_t A = r.as_of;
  size_t n = mock_n_records(r.m);
  sb why = {0};
  for (size_t i = 0; i < n; i++) {
    const exd_record *x = mock_record(r.m, i);
    exd_record out;
    sb_reset(&why);
    if (record_check(x, &out, &why) != 0)
      fail_msg("%s: %s", x->origin, sb_str(&why));
    if (x->type != EXD_REC_CATALOGUE) check_id(x->account.crm_id);
    switch (x->type) {
    case EXD_REC_ACCOUNT: {
      const exd_rec_account *a = &x->u.account;
      assert_true(a->as_of == A || a->as_of == A - 365);
      if (a->as_of == A) {
        assert_non_null(x->account.name);
        assert_non_null(x->account.domain);
        assert_true(a->contract_start <= A);
        assert_true(a->contract_end > A && a->contract_end <= A + 366);
        assert_true(a->nps >= -100 && a->nps <= 100);
        assert_true(a->employees >= 5 && a->employees <= 100000);
        if (a->parent.crm_id) check_id(a->parent.crm_id);
      }
      break;
    }
    case EXD_REC_PRODUCT: {
      const exd_rec_product *p = &x->u.product;
      assert_true(cat_has(r.m, p->product));
      assert_true(p->seats_purchased >= 1);
      assert_true(EXD_IS_NONE(p->seats_active) || p->seats_active >= 0);
      assert_true(p->unit_price > 0);
      assert_true(p->start <= A);
      assert_true(p->end > A);
      break;
    }
    case EXD_REC_HEALTH:
      assert_true(x->u.health.date <= A);
      assert_true(x->u.health.score >= 0 && x->u.health.score <= 100);
      break;
    case EXD_REC_USAGE:
      assert_true(x->u.usage.date <= A);
      assert_true(cat_has(r.m, x->u.usage.product));
      assert_true(x->u.usage.active_users >= 0);
      if (!EXD_IS_NONE(x->u.usage.capacity_used))
        assert_true(x->u.usage.capacity_used <= x->u.usage.capacity_limit);
      break;
    case EXD_REC_FEATURE:
      assert_true(x->u.feature.date <= A);
      assert_true(cat_has(r.m, x->u.feature.product));
      assert_true(x->u.feature.adoption >= 0 && x->u.feature.adoption <= 1);
      break;
    case EXD_REC_CONTACT:
      assert_true(x->u.contact.since <= A);
      if (x->u.contact.left != EXD_DATE_NONE) {
        assert_true(x->u.contact.left <= A);
        assert_true(x->u.contact.since < x->u.contact.left);
      }
      break;
    case EXD_REC_ESCALATION:
      assert_true(x->u.escalation.opened <= A);
      if (x->u.escalation.closed != EXD_DATE_NONE)
        assert_true(x->u.escalation.closed <= A);
      break;
    case EXD_REC_INTENT: {
      const exd_rec_intent *t = &x->u.intent;
      assert_true(t->date <= A);
      assert_true(cat_has(r.m, t->product));
      assert_true(t->score >= 0 && t->score <= 100);
      assert_true(t->profile_score >= 0 && t->profile_score <= 100);
      assert_true(t->n_topics >= 2 && t->n_topics <= 3);
      break;
    }
    case EXD_REC_TRIGGER: assert_true(x->u.trigger.date <= A); break;
    case EXD_REC_OPPORTUNITY: {
      const exd_rec_opportunity *o = &x->u.opportunity;
      assert_true(cat_has(r.m, o->product));
      assert_true(o->created <= A);
      assert_true(o->amount > 0);
      if (o->status == EXD_OPP_OPEN)
        assert_true(o->closed > A); /* expected close */
      else
        assert_true(o->closed <= A && o->closed >= o->created);
      break;
    }
    case EXD_REC_CATALOGUE: break;
    default: fail();
    }
  }
  sb_free(&why);
  run_end(&r);
}

/* Per-account facts gathered from a run, for distribution checks. */
typedef struct facts {
  char id[19];
  const char *industry, *country;
  double employees, employees_before, arr, product_arr;
  int subsidiary, parent_seen;
  int products, workspace_tier, owns[11];
  double health_last, health_first;
  int open_escalation, growth_trigger, decline_trigger;
  int intent_not_owned, intents;
  int new_department;
} facts;

static int product_index(const mock_host *m, const char *name) {
  for (int i = 0; i < 11; i++)
    if (strcmp(mock_record(m, (size_t)i)->u.catalogue.product, name) == 0)
      return i;
  return -1;
}

static facts *gather(const mock_host *m, size_t n_acct, int32_t as_of) {
  facts *f = xcalloc(n_acct, sizeof(*f));
  size_t k = (size_t)-1;
  const char *dept_seen[8];
  int n_dept = 0;
  for (size_t i = 11; i < mock_n_records(m); i++) {
    const exd_record *x = mock_record(m, i);
    if (x->type == EXD_REC_ACCOUNT && x->u.account.as_of == as_of) {
      k++;
      assert_true(k < n_acct);
      n_dept = 0;
      const exd_rec_account *a = &x->u.account;
      memcpy(f[k].id, x->account.crm_id, 19);
      f[k].industry = a->industry;
      f[k].country = a->country;
      f[k].employees = a->employees;
      f[k].arr = a->arr;
      f[k].health_first = NAN;
      if (a->parent.crm_id) {
        f[k].subsidiary = 1;
        for (size_t j = 0; j < k; j++)
          if (strcmp(f[j].id, a->parent.crm_id) == 0) f[k].parent_seen = 1;
      }
      continue;
    }
    facts *a = &f[k];
    assert_string_equal(x->account.crm_id, a->id);
    switch (x->type) {
    case EXD_REC_ACCOUNT: a->employees_before = x->u.account.employees; break;
    case EXD_REC_PRODUCT: {
      int p = product_index(m, x->u.product.product);
      a->products++;
      a->owns[p] = 1;
      if (p <= 2) a->workspace_tier = p + 1;
      a->product_arr += x->u.product.seats_purchased * x->u.product.unit_price;
      break;
    }
    case EXD_REC_HEALTH:
      if (isnan(a->health_first)) a->health_first = x->u.health.score;
      a->health_last = x->u.health.score;
      break;
    case EXD_REC_USAGE:
      if (x->u.usage.department) {
        int seen = 0;
        for (int j = 0; j < n_dept; j++)
          if (strcmp(dept_seen[j], x->u.usage.department) == 0) seen = 1;
        if (!seen) {
          if (n_dept < 8) dept_seen[n_dept++] = x->u.usage.department;
          if (x->u.usage.date > as_of - 60) a->new_department = 1;
        }
      }
      break;
    case EXD_REC_ESCALATION:
      if (x->u.escalation.closed == EXD_DATE_NONE) a->open_escalation = 1;
      break;
    case EXD_REC_TRIGGER: {
      const char *t = x->u.trigger.type;
      if (!strcmp(t, "layoffs") || !strcmp(t, "budget_freeze"))
        a->decline_trigger = 1;
      if (!strcmp(t, "funding") || !strcmp(t, "hiring_surge") ||
          !strcmp(t, "new_office") || !strcmp(t, "acquisition"))
        a->growth_trigger = 1;
      break;
    }
    case EXD_REC_INTENT: {
      int p = product_index(m, x->u.intent.product);
      a->intents++;
      if (!a->owns[p]) a->intent_not_owned++;
      break;
    }
    default: break;
    }
  }
  assert_int_equal(k + 1, n_acct);
  return f;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void test_distributions(void **state) {
  (void)state;
  const size_t N = 5000;
  run r;
  run_collect(&r, "accounts: 5000\nseed: 42\n");
  facts *f = gather(r.m, N, r.as_of);

  size_t top = 0, us = 0, subs = 0, parent_ok = 0, tiers[4] = {0};
  size_t owns_family[6] = {0};
  double *emp = xmalloc(N * sizeof(*emp));
  double h_esc = 0, h_rest = 0;
  size_t n_esc = 0, n_rest = 0, grew = 0, grew_hi = 0, n_hi = 0;
  double h_growth = 0, h_decline = 0;
  size_t n_growth = 0, n_decline = 0, new_dep = 0, intents = 0, not_owned = 0;
  for (size_t i = 0; i < N; i++) {
    facts *a = &f[i];
    emp[i] = a->employees;
    if (!strcmp(a->industry, "Software")) top++;
    if (!strcmp(a->country, "United States")) us++;
    subs += a->subsidiary;
    parent_ok += a->parent_seen;
    assert_true(a->workspace_tier >= 1);
    tiers[a->workspace_tier]++;
    owns_family[0]++;
    owns_family[1] += a->owns[3] || a->owns[4];
    owns_family[2] += a->owns[5] || a->owns[6];
    owns_family[3] += a->owns[7] || a->owns[8];
    owns_family[4] += a->owns[9];
    owns_family[5] += a->owns[10];
    /* ARR is the sum of the products' seats x unit price. */
    assert_true(fabs(a->arr - a->product_arr) < 0.01);
    if (a->open_escalation) {
      h_esc += a->health_last;
      n_esc++;
    } else {
      h_rest += a->health_last;
      n_rest++;
    }
    if (a->growth_trigger) {
      h_growth += a->health_last;
      n_growth++;
    }
    if (a->decline_trigger) {
      h_decline += a->health_last;
      n_decline++;
    }
    grew += a->employees > a->employees_before;
    if (a->health_last >= 70) {
      n_hi++;
      grew_hi += a->employees > a->employees_before;
    }
    new_dep += a->new_department;
    intents += (size_t)a->intents;
    not_owned += (size_t)a->intent_not_owned;
  }
  qsort(emp, N, sizeof(*emp), cmp_double);
  double median = emp[N / 2];
  print_message("sample (5000 accounts): top industry %.3f, median employees "
                "%.0f, max %.0f, US %.3f, subsidiaries %.3f, tiers %.2f/%.2f/"
                "%.2f\n",
                (double)top / N, median, emp[N - 1], (double)us / N,
                (double)subs / N, (double)tiers[1] / N, (double)tiers[2] / N,
                (double)tiers[3] / N);
  print_message("sample: own analytics %.2f security %.2f automation %.2f "
                "integrations %.2f support %.2f; health with open escalation "
                "%.1f vs %.1f; growth %.1f vs decline %.1f\n",
                (double)owns_family[1] / N, (double)owns_family[3] / N,
                (double)owns_family[2] / N, (double)owns_family[4] / N,
                (double)owns_family[5] / N, h_esc / (double)n_esc,
                h_rest / (double)n_rest, h_growth / (double)n_growth,
                h_decline / (double)n_decline);

  /* Zipf-like industries: Software is 1/H(10) = 34% in expectation. */
  assert_in_range(top * 1000 / N, 300, 390);
  assert_in_range((size_t)median, 330, 480);
  assert_true(emp[N - 1] > 20000);
  assert_in_range(us * 1000 / N, 470, 530);
  assert_in_range(subs * 1000 / N, 65, 95);
  assert_int_equal(parent_ok, subs); /* parents are earlier accounts */
  assert_in_range(tiers[1] * 100 / N, 44, 56);
  assert_in_range(tiers[2] * 100 / N, 29, 41);
  assert_in_range(tiers[3] * 100 / N, 10, 20);
  assert_in_range(owns_family[1] * 100 / N, 38, 52);
  assert_in_range(owns_family[3] * 100 / N, 24, 36);
  assert_in_range(owns_family[2] * 100 / N, 19, 31);
  assert_in_range(owns_family[4] * 100 / N, 14, 26);
  assert_in_range(owns_family[5] * 100 / N, 10, 20);
  /* Signals correlate through the hidden destiny. */
  assert_true(n_esc > 200 && n_rest > 200);
  assert_true(h_esc / (double)n_esc + 10 < h_rest / (double)n_rest);
  assert_true(h_decline / (double)n_decline + 15 < h_growth / (double)n_growth);
  assert_true((double)grew_hi / (double)n_hi > (double)grew / N);
  assert_in_range(new_dep * 1000 / N, 50, 200);
  assert_true(intents > N / 10);
  assert_int_equal(not_owned, intents); /* intent is for products not owned */
  free(emp);
  free(f);
  run_end(&r);
}

static int count_cb(void *ctx, const exd_record *rec) {
  (void)rec;
  ++*(size_t *)ctx;
  return 0;
}

static void test_chunking(void **state) {
  (void)state;
  run r;
  run_start(&r, "accounts: 250\nchunk: 100\nemit_catalogue: false\n");
  /* First chunk inside collect, the rest on later loop turns. */
  assert_int_equal(mock_collect_done_calls(r.m), 0);
  size_t first = mock_n_records(r.m);
  assert_string_equal(mock_record(r.m, first - 1)->origin, "sample#100");
  mock_run_deferred(r.m);
  assert_int_equal(mock_collect_done_calls(r.m), 1);
  assert_int_equal(mock_collect_status(r.m), 0);
  size_t n = mock_n_records(r.m);
  assert_string_equal(mock_record(r.m, n - 1)->origin, "sample#250");
  assert_string_equal(mock_record(r.m, 0)->origin, "sample#1");

  /* The count equals what the generator produces for the same accounts. */
  sample_params p = {42, 12, r.as_of};
  sample_gen *g = sample_gen_new(&p, record_init);
  size_t want = 0, want_first = 0, calls = 0;
  for (int64_t i = 0; i < 250; i++) {
    want += sample_gen_account(g, i, count_cb, &calls);
    if (i == 99) want_first = want;
  }
  sample_gen_free(g);
  assert_int_equal(calls, want);
  assert_int_equal(n, want);
  assert_int_equal(first, want_first);
  run_end(&r);
}

static void test_single_chunk_finishes_inside_collect(void **state) {
  (void)state;
  run r;
  run_start(&r, "accounts: 20\nchunk: 20\n");
  assert_int_equal(mock_collect_done_calls(r.m), 1);
  mock_run_deferred(r.m);
  assert_int_equal(mock_collect_done_calls(r.m), 1);
  assert_string_equal(mock_record(r.m, mock_n_records(r.m) - 1)->origin,
                      "sample#20");
  /* A second collect starts over and yields the same records. */
  char *first = stream_text(r.m);
  assert_int_equal(expansiond_plugin.collect(r.state, mock_collect(r.m)), 0);
  assert_int_equal(mock_collect_done_calls(r.m), 2);
  char *both = stream_text(r.m);
  size_t n = strlen(first);
  assert_int_equal(strlen(both), 2 * n);
  assert_memory_equal(both + n, first, n);
  free(first);
  free(both);
  run_end(&r);
}

static void test_history_months(void **state) {
  (void)state;
  run r;
  run_collect(&r, "accounts: 10\nhistory_months: 3\nemit_catalogue: false\n");
  size_t health = 0, monthly_usage = 0;
  for (size_t i = 0; i < mock_n_records(r.m); i++) {
    const exd_record *x = mock_record(r.m, i);
    assert_int_not_equal(x->type, EXD_REC_CATALOGUE);
    health += x->type == EXD_REC_HEALTH;
    monthly_usage += x->type == EXD_REC_USAGE && !x->u.usage.department;
  }
  assert_int_equal(health, 3 * 10);
  assert_int_equal(monthly_usage, 3 * 10);
  run_end(&r);

  run_collect(&r, "accounts: 10\nhistory_months: 36\n");
  health = monthly_usage = 0;
  int32_t oldest = INT32_MAX;
  for (size_t i = 0; i < mock_n_records(r.m); i++) {
    const exd_record *x = mock_record(r.m, i);
    if (x->type == EXD_REC_HEALTH) {
      health++;
      if (x->u.health.date < oldest) oldest = x->u.health.date;
    }
    monthly_usage += x->type == EXD_REC_USAGE && !x->u.usage.department;
  }
  assert_int_equal(health, 36 * 10);
  assert_int_equal(monthly_usage, 6 * 10);
  assert_int_equal(oldest, date_from_ymd(2023, 7, 1));
  run_end(&r);
}

static void expect_config_error(const char *yaml, const char *want) {
  mock_host *m =
      mock_host_new(yaml, "sample.yaml", expansiond_plugin.config_keys);
  assert_string_equal(mock_config_errors(m), want);
  mock_host_free(m);
}

static void test_config_errors(void **state) {
  (void)state;
  expect_config_error("accounts: 0\n",
                      "sample.yaml:1:11: accounts: 0 is out of range "
                      "(1..10000000)\n");
  expect_config_error("accounts: 10000001\n",
                      "sample.yaml:1:11: accounts: 10000001 is out of range "
                      "(1..10000000)\n");
  expect_config_error("history_months: 2\n",
                      "sample.yaml:1:17: history_months: 2 is out of range "
                      "(3..36)\n");
  expect_config_error("chunk: 0\n", "sample.yaml:1:8: chunk: 0 is out of range "
                                    "(1..10000000)\n");
  expect_config_error("seed: many\n",
                      "sample.yaml:1:7: seed: 'many' is not an integer\n");
  expect_config_error("emit_catalogue: yes\n",
                      "sample.yaml:1:17: emit_catalogue: 'yes' is not a "
                      "boolean; use true or false\n");
}

static void test_descriptor(void **state) {
  (void)state;
  assert_string_equal(expansiond_plugin.name, "sample");
  assert_int_equal(expansiond_plugin.capabilities, EXD_CAP_SOURCE);
  assert_null(expansiond_plugin.push);
  const exd_config_key *k = expansiond_plugin.config_keys;
  const char *names[] = {"seed", "accounts", "history_months", "chunk",
                         "emit_catalogue"};
  const char *defaults[] = {"42", "500", "12", "5000", "true"};
  for (size_t i = 0; i < 5; i++) {
    assert_string_equal(k[i].name, names[i]);
    assert_string_equal(k[i].default_value, defaults[i]);
    assert_non_null(k[i].description);
  }
  assert_null(k[5].name);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_same_seed_same_stream),
      cmocka_unit_test(test_defaults_and_every_type),
      cmocka_unit_test(test_records_valid),
      cmocka_unit_test(test_distributions),
      cmocka_unit_test(test_chunking),
      cmocka_unit_test(test_single_chunk_finishes_inside_collect),
      cmocka_unit_test(test_history_months),
      cmocka_unit_test(test_config_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
