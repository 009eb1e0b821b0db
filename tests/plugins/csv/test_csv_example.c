/*
 * The worked example of plugins/csv/README.md (tests/csv/example/): the
 * README shows every file of it exactly, and its csv config loads through
 * the mock host with the exact records and summary lines the README
 * describes.
 */
#include <math.h>

#include "csv_test_util.h"
#include "date.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static const char *const example_files[] = {
    "accounts.csv",      "catalogue.csv",   "products.csv",
    "usage.csv",         "health.csv",      "contacts.csv",
    "opportunities.csv", "expansiond.yaml", NULL};

static char src[4096];

static char *slurp_src(const char *rel) {
  char path[4200];
  char *text = NULL;
  snprintf(path, sizeof(path), "%s/%s", src, rel);
  assert_int_equal(read_file(path, &text, NULL), 0);
  return text;
}

/* Every fenced block "```LANG NAME" of the README is tests/csv/example/NAME,
   byte for byte, and every example file is shown once. */
static void test_readme_shows_the_files(void **state) {
  (void)state;
  char *readme = slurp_src("plugins/csv/README.md");
  size_t shown[16] = {0};
  const char *p = readme;
  while ((p = strstr(p, "\n```")) != NULL) {
    p += 4;
    const char *eol = strchr(p, '\n');
    assert_non_null(eol);
    const char *sp = memchr(p, ' ', (size_t)(eol - p));
    if (!sp) { /* no file name: skip to the closing fence */
      p = strstr(eol, "\n```");
      assert_non_null(p);
      p += 4;
      continue;
    }
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)(eol - sp - 1), sp + 1);
    const char *end = strstr(eol + 1, "\n```");
    assert_non_null(end);
    size_t i = 0;
    while (example_files[i] && strcmp(example_files[i], name) != 0)
      i++;
    if (!example_files[i]) fail_msg("README block names unknown file %s", name);
    shown[i]++;
    char rel[128];
    snprintf(rel, sizeof(rel), "tests/csv/example/%s", name);
    char *file = slurp_src(rel);
    sb block = {0};
    sb_printf(&block, "%.*s\n", (int)(end - eol - 1), eol + 1);
    if (strcmp(sb_str(&block), file) != 0)
      fail_msg("README block %s differs from %s", name, rel);
    sb_free(&block);
    free(file);
    p = end + 4;
  }
  for (size_t i = 0; example_files[i]; i++)
    if (shown[i] != 1)
      fail_msg("%s is shown %zu times in the README", example_files[i],
               shown[i]);
  free(readme);
}

/* The `config:` block of the example's only source, dedented, with the
   ${EXPORT_DIR:-.} default the loader would use (the mock host does not
   expand variables). */
static char *example_config(void) {
  char *text = slurp_src("tests/csv/example/expansiond.yaml");
  const char *start = strstr(text, "\n    config:\n");
  assert_non_null(start);
  start += strlen("\n    config:\n");
  sb b = {0};
  sb_put(&b, "");
  for (const char *line = start; *line;) {
    const char *eol = strchr(line, '\n');
    size_t len = eol ? (size_t)(eol - line) : strlen(line);
    if (len && strncmp(line, "      ", 6) != 0) break; /* config ended */
    if (len > 6) sb_printf(&b, "%.*s", (int)(len - 6), line + 6);
    sb_putc(&b, '\n');
    line += len + (eol ? 1 : 0);
  }
  free(text);
  char *cfg = sb_steal(&b);
  static const char var[] = "${EXPORT_DIR:-.}";
  char *v = strstr(cfg, var);
  assert_non_null(v);
  memset(v, ' ', strlen(var)); /* "." then spaces: the same length */
  v[0] = '.';
  return cfg;
}

static size_t count_type(const mock_host *m, int type, size_t *first) {
  size_t n = 0;
  for (size_t i = 0; i < mock_n_records(m); i++)
    if (rec(m, i)->type == type && !n++) *first = i;
  return n;
}

static void test_example_loads(void **state) {
  (void)state;
  char *cfg = example_config();
  char file[4200];
  snprintf(file, sizeof(file), "%s/tests/csv/example/expansiond.yaml", src);
  mock_host *m = mock_host_new(cfg, file, expansiond_plugin.config_keys);
  free(cfg);
  assert_string_equal(mock_config_errors(m), "");
  void *st = NULL;
  assert_int_equal(expansiond_plugin.init(mock_api(m), mock_instance(m), &st),
                   0);
  assert_int_equal(expansiond_plugin.collect(st, mock_collect(m)), 0);
  mock_run_deferred(m);
  assert_int_equal(mock_collect_done_calls(m), 1);
  assert_int_equal(mock_collect_status(m), 0);
  ASSERT_DATA_ERRORS(m, "");
  assert_string_equal(mock_log(m),
                      "6: accounts.csv: 4 rows, 4 records, 0 rejected\n"
                      "6: catalogue.csv: 4 rows, 4 records, 0 rejected\n"
                      "6: products.csv: 5 rows, 5 records, 0 rejected\n"
                      "6: usage.csv: 11 rows, 11 records, 0 rejected\n"
                      "6: health.csv: 7 rows, 7 records, 0 rejected\n"
                      "6: contacts.csv: 6 rows, 6 records, 0 rejected\n"
                      "6: opportunities.csv: 4 rows, 4 records, 0 rejected\n");
  assert_int_equal(mock_n_records(m), 41);

  size_t i = 0;
  assert_int_equal(count_type(m, EXD_REC_ACCOUNT, &i), 4);
  const exd_record *r = rec(m, i);
  const exd_rec_account *a = &r->u.account;
  assert_string_equal(r->origin, "accounts.csv:2");
  assert_string_equal(r->account.crm_id, "001A000001");
  assert_string_equal(r->account.name, "Northwind Traders");
  assert_string_equal(r->account.domain, "https://www.northwind.example");
  assert_string_equal(a->industry, "Retail");
  assert_true(a->employees == 1200);
  assert_true(a->revenue == 250e6);
  assert_int_equal(a->fy_start_month, 2);
  assert_true(a->arr == 36000);
  assert_int_equal(a->contract_end, D(2026, 11, 30));
  assert_string_equal(a->currency, "USD");
  assert_string_equal(a->owner, "Dana Lee");
  assert_null(a->parent.crm_id);
  a = &rec(m, i + 1)->u.account;
  assert_true(a->revenue == 85.5e6);
  assert_int_equal(a->fy_start_month, 1);
  a = &rec(m, i + 3)->u.account;
  assert_string_equal(a->parent.crm_id, "001A000003");
  assert_true(EXD_IS_NONE(a->revenue)); /* empty cell: absent */
  assert_int_equal(a->fy_start_month, 10);

  assert_int_equal(count_type(m, EXD_REC_CATALOGUE, &i), 4);
  const exd_rec_catalogue *k = &rec(m, i + 1)->u.catalogue;
  assert_string_equal(k->product, "Workspace Business");
  assert_int_equal(k->tier, 2);
  assert_true(k->list_price == 240);
  assert_int_equal(k->pricing, EXD_PRICE_PER_SEAT);
  assert_int_equal(k->n_aliases, 2);
  assert_string_equal(k->aliases[0], "WS Business");
  assert_string_equal(k->aliases[1], "Business");
  assert_int_equal(k->n_topics, 2);
  assert_string_equal(k->topics[1], "workflow automation");
  k = &rec(m, i + 3)->u.catalogue;
  assert_int_equal(k->tier, 0);
  assert_true(k->list_price == 30000);
  assert_int_equal(k->pricing, EXD_PRICE_FLAT);

  assert_int_equal(count_type(m, EXD_REC_PRODUCT, &i), 5);
  const exd_rec_product *p = &rec(m, i)->u.product;
  assert_string_equal(p->product, "WS Business");
  assert_true(p->seats_purchased == 150 && p->seats_active == 141);
  assert_true(p->unit_price == 240);
  assert_int_equal(p->start, D(2025, 12, 1));
  assert_true(EXD_IS_NONE(rec(m, i + 3)->u.product.seats_active));

  assert_int_equal(count_type(m, EXD_REC_USAGE, &i), 11);
  const exd_rec_usage *u = &rec(m, i)->u.usage;
  assert_int_equal(u->date, D(2026, 4, 1));
  assert_string_equal(u->department, "Sales");
  assert_true(u->active_users == 118);
  assert_true(u->capacity_used == 410 && u->capacity_limit == 500);
  u = &rec(m, i + 3)->u.usage;
  assert_string_equal(u->department, "Marketing");
  assert_true(EXD_IS_NONE(u->capacity_used) && EXD_IS_NONE(u->capacity_limit));
  assert_null(rec(m, i + 7)->u.usage.department);

  assert_int_equal(count_type(m, EXD_REC_HEALTH, &i), 7);
  r = rec(m, i + 3);
  assert_null(r->account.crm_id);
  assert_string_equal(r->account.name, "Blue Yonder");
  assert_int_equal(r->u.health.date, D(2026, 4, 6));
  assert_true(r->u.health.score == 61);

  assert_int_equal(count_type(m, EXD_REC_CONTACT, &i), 6);
  assert_int_equal(rec(m, i)->u.contact.roles,
                   EXD_ROLE_CHAMPION | EXD_ROLE_POWER_USER);
  assert_int_equal(rec(m, i + 1)->u.contact.roles, EXD_ROLE_ECONOMIC_BUYER);
  assert_int_equal(rec(m, i + 2)->u.contact.roles, EXD_ROLE_ADMIN);
  assert_int_equal(rec(m, i + 3)->u.contact.left, D(2026, 5, 31));
  assert_int_equal(rec(m, i)->u.contact.left, EXD_DATE_NONE);

  assert_int_equal(count_type(m, EXD_REC_OPPORTUNITY, &i), 4);
  static const int status[] = {EXD_OPP_WON, EXD_OPP_WON, EXD_OPP_LOST,
                               EXD_OPP_OPEN};
  for (size_t j = 0; j < 4; j++)
    assert_int_equal(rec(m, i + j)->u.opportunity.status, status[j]);
  const exd_rec_opportunity *o = &rec(m, i + 3)->u.opportunity;
  assert_string_equal(o->id, "006A04");
  assert_string_equal(o->stage, "Negotiation");
  assert_true(o->amount == 21600);
  assert_int_equal(o->closed, D(2026, 7, 31));

  expansiond_plugin.destroy(st);
  mock_host_free(m);
}

int main(void) {
  const char *s = getenv("EXD_SRC");
  snprintf(src, sizeof(src), "%s", s ? s : ".");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_readme_shows_the_files),
      cmocka_unit_test(test_example_loads),
  };
  return cmocka_run_group_tests(tests, tdir_setup, tdir_teardown);
}
