/*
 * The csv plugin on the real Maven CRM export ($EXD_SHARED/data/maven-crm)
 * with the csv config of conf/examples/maven-crm.yaml, through the mock
 * host. Skips (visibly) when the export is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "date.h"
#include "expansiond/plugin.h"
#include "mock_host.h"
#include "util.h"

extern const exd_plugin expansiond_plugin;

static char shared_dir[4096];
static char example[4096];

/* The `config:` block of the csv source in the example file, dedented, with
   the dir replaced by the shared export's path. Caller frees. */
static char *example_csv_config(const char *dir) {
  char *text = NULL;
  size_t len = 0;
  if (read_file(example, &text, &len) != 0) return NULL;
  sb out = {0};
  const char *p = strstr(text, "plugin: csv");
  p = p ? strstr(p, "config:") : NULL;
  assert_non_null(p);
  const char *line_start = p;
  while (line_start > text && line_start[-1] != '\n')
    line_start--;
  size_t indent = (size_t)(p - line_start);
  p = strchr(p, '\n') + 1;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    size_t sp = 0;
    while (sp < n && p[sp] == ' ')
      sp++;
    int blank = sp == n || p[sp] == '#';
    if (!blank && sp <= indent) break;
    if (!blank) {
      char *l = xstrndup(p + indent + 2, n - indent - 2);
      const char *var = strstr(l, "${MAVEN_CRM_DIR");
      if (var) {
        sb_putn(&out, l, (size_t)(var - l));
        sb_put(&out, dir);
      } else {
        sb_put(&out, l);
      }
      sb_putc(&out, '\n');
      free(l);
    }
    if (!e) break;
    p = e + 1;
  }
  free(text);
  return sb_steal(&out);
}

static int setup(void **state) {
  (void)state;
  const char *shared = getenv("EXD_SHARED");
  const char *src = getenv("EXD_SRC");
  snprintf(shared_dir, sizeof(shared_dir), "%s/data/maven-crm",
           shared ? shared : "../shared");
  snprintf(example, sizeof(example), "%s/conf/examples/maven-crm.yaml",
           src ? src : ".");
  return 0;
}

static void test_maven_export(void **state) {
  (void)state;
  char probe[4200];
  snprintf(probe, sizeof(probe), "%s/sales_pipeline.csv", shared_dir);
  FILE *f = fopen(probe, "r");
  if (!f) {
    print_message("SKIP: %s not found (set EXD_SHARED)\n", probe);
    skip();
  }
  fclose(f);
  char *yaml = example_csv_config(shared_dir);
  assert_non_null(yaml);
  mock_host *m = mock_host_new(yaml, example, expansiond_plugin.config_keys);
  assert_string_equal(mock_config_errors(m), "");
  void *st = NULL;
  assert_int_equal(expansiond_plugin.init(mock_api(m), mock_instance(m), &st),
                   0);

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(expansiond_plugin.collect(st, mock_collect(m)), 0);
  mock_run_deferred(m);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
              (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  print_message("collect took %.1f ms\n", ms);
  assert_true(ms < 2000); /* milliseconds normally; generous for ASan */

  assert_int_equal(mock_collect_done_calls(m), 1);
  assert_int_equal(mock_collect_status(m), 0);
  for (size_t i = 0; i < mock_n_data_errors(m); i++)
    print_message("unexpected: %s\n", mock_data_error(m, i));
  assert_int_equal(mock_n_data_errors(m), 0);

  size_t n[EXD_REC_TYPE_COUNT_] = {0};
  size_t technology = 0, technolgy = 0, gtx_pro = 0, gtxpro = 0;
  size_t won = 0, lost = 0, open = 0, no_account = 0, with_parent = 0;
  const exd_record *acme = NULL, *first_opp = NULL, *first_prod = NULL;
  for (size_t i = 0; i < mock_n_records(m); i++) {
    const exd_record *r = mock_record(m, i);
    n[r->type]++;
    if (r->type == EXD_REC_ACCOUNT) {
      if (r->u.account.industry && !strcmp(r->u.account.industry, "technology"))
        technology++;
      if (r->u.account.industry && !strcmp(r->u.account.industry, "technolgy"))
        technolgy++;
      if (r->u.account.parent.name) with_parent++;
      if (!strcmp(r->account.name, "Acme Corporation")) acme = r;
    } else if (r->type == EXD_REC_OPPORTUNITY) {
      const exd_rec_opportunity *o = &r->u.opportunity;
      if (!first_opp) first_opp = r;
      if (o->product && !strcmp(o->product, "GTX Pro")) gtx_pro++;
      if (o->product && !strcmp(o->product, "GTXPro")) gtxpro++;
      won += o->status == EXD_OPP_WON;
      lost += o->status == EXD_OPP_LOST;
      open += o->status == EXD_OPP_OPEN;
      no_account += r->account.name == NULL;
    } else if (r->type == EXD_REC_PRODUCT && !first_prod) {
      first_prod = r;
    }
  }
  assert_int_equal(n[EXD_REC_ACCOUNT], 85);
  assert_int_equal(n[EXD_REC_CATALOGUE], 7);
  assert_int_equal(n[EXD_REC_OPPORTUNITY], 8800);
  assert_int_equal(n[EXD_REC_PRODUCT], 4238);
  assert_int_equal(mock_n_records(m), 85 + 7 + 8800 + 4238);
  assert_int_equal(won, 4238);
  assert_int_equal(lost, 2473);
  assert_int_equal(open, 1589 + 500);
  assert_int_equal(no_account, 1425); /* emitted; the core reports them */
  assert_int_equal(gtx_pro, 1480);
  assert_int_equal(gtxpro, 0);
  assert_int_equal(technology, 12);
  assert_int_equal(technolgy, 0);
  assert_int_equal(with_parent, 15);

  /* Acme Corporation,technolgy,1996,1100.04,2822,United States, */
  assert_non_null(acme);
  assert_string_equal(acme->origin, "accounts.csv:2");
  assert_string_equal(acme->u.account.industry, "technology");
  assert_true(acme->u.account.revenue == 1100.04 * 1000000.0);
  assert_true(acme->u.account.employees == 2822);
  assert_string_equal(acme->u.account.country, "United States");
  assert_string_equal(acme->u.account.currency, "USD");
  assert_null(acme->u.account.parent.name);

  /* 1C1I7A6R,Rep 05,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054 */
  assert_non_null(first_opp);
  const exd_rec_opportunity *o = &first_opp->u.opportunity;
  assert_string_equal(first_opp->origin, "sales_pipeline.csv:2");
  assert_string_equal(o->id, "1C1I7A6R");
  assert_string_equal(first_opp->account.name, "Cancity");
  assert_string_equal(o->product, "GTX Plus Basic");
  assert_string_equal(o->stage, "Won");
  assert_int_equal(o->status, EXD_OPP_WON);
  assert_int_equal(o->created, date_from_ymd(2016, 10, 20));
  assert_int_equal(o->closed, date_from_ymd(2017, 3, 1));
  assert_true(o->amount == 1054);
  assert_string_equal(o->owner, "Rep 05");

  assert_non_null(first_prod);
  assert_string_equal(first_prod->origin, "sales_pipeline.csv:2");
  assert_string_equal(first_prod->account.name, "Cancity");
  assert_string_equal(first_prod->u.product.product, "GTX Plus Basic");
  assert_true(first_prod->u.product.seats_purchased == 1);
  assert_true(first_prod->u.product.unit_price == 1054);
  assert_int_equal(first_prod->u.product.start, date_from_ymd(2017, 3, 1));

  /* The catalogue: GTX Pro,GTX,4821 */
  int found = 0;
  for (size_t i = 0; i < mock_n_records(m); i++) {
    const exd_record *r = mock_record(m, i);
    if (r->type != EXD_REC_CATALOGUE ||
        strcmp(r->u.catalogue.product, "GTX Pro"))
      continue;
    found = 1;
    assert_string_equal(r->origin, "products.csv:3");
    assert_string_equal(r->u.catalogue.family, "GTX");
    assert_true(r->u.catalogue.list_price == 4821);
    assert_int_equal(r->u.catalogue.pricing, EXD_PRICE_FLAT);
    assert_int_equal(r->u.catalogue.tier, 0);
  }
  assert_true(found);

  expansiond_plugin.destroy(st);
  mock_host_free(m);
  free(yaml);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_maven_export),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
