/* The csv plugin through the mock host: every record type with exact
   values, aliases, scale, constants, dates, lists, status, owned_from_won,
   joins, keys, delimiters, slicing (errors: test_csv_errors.c). */
#include <errno.h>
#include <math.h>

#include "csv_test_util.h"
#include "date.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static void test_account_fields(void **state) {
  (void)state;
  write_file("accounts.csv",
             "Id,Domain,Name,Parent,ParentDom,ParentName,Industry,Employees,"
             "Revenue,Country,FY,ARR,Cur,Start,End,Renewal,NPS,Owner,AsOf\n"
             "001A,acme.com,Acme Inc,000P,parent.com,Parent Co,Software,"
             "\"1,200\",$2.5,DE,April,\"\xE2\x82\xAC"
             "120,000.50\",EUR,"
             "2024-01-15,2025-01-14,2025-01-01,-20,Ann,2025-06-30\n"
             "002B,,Beta,,,,, 0 ,,,,,,,,,,,\n");
  crun r = crun_collect(
      "files:\n"
      "  - path: accounts.csv\n"
      "    record: account\n"
      "    columns: {id: Id, domain: Domain, name: Name, parent_id: Parent,\n"
      "      parent_domain: ParentDom, parent_name: ParentName,\n"
      "      industry: Industry, employees: Employees, revenue: Revenue,\n"
      "      country: Country, fy_start_month: FY, arr: ARR, currency: Cur,\n"
      "      contract_start: Start, contract_end: End, renewal_date: Renewal,\n"
      "      nps: NPS, owner: Owner, as_of: AsOf}\n"
      "    scale: {revenue: 1000000}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_collect_status(r.m), 0);
  assert_int_equal(mock_n_records(r.m), 2);
  const exd_record *a = rec(r.m, 0);
  const exd_rec_account *u = &a->u.account;
  assert_int_equal(a->type, EXD_REC_ACCOUNT);
  assert_string_equal(a->origin, "accounts.csv:2");
  assert_string_equal(a->account.crm_id, "001A");
  assert_string_equal(a->account.domain, "acme.com");
  assert_string_equal(a->account.name, "Acme Inc");
  assert_string_equal(u->parent.crm_id, "000P");
  assert_string_equal(u->parent.domain, "parent.com");
  assert_string_equal(u->parent.name, "Parent Co");
  assert_string_equal(u->industry, "Software");
  assert_true(u->employees == 1200);
  assert_true(u->revenue == 2500000);
  assert_string_equal(u->country, "DE");
  assert_int_equal(u->fy_start_month, 4);
  assert_true(u->arr == 120000.5);
  assert_string_equal(u->currency, "EUR");
  assert_int_equal(u->contract_start, D(2024, 1, 15));
  assert_int_equal(u->contract_end, D(2025, 1, 14));
  assert_int_equal(u->renewal_date, D(2025, 1, 1));
  assert_true(u->nps == -20);
  assert_string_equal(u->owner, "Ann");
  assert_int_equal(u->as_of, D(2025, 6, 30));

  /* Empty cells are absent, a zero is a zero. */
  const exd_record *b = rec(r.m, 1);
  u = &b->u.account;
  assert_string_equal(b->origin, "accounts.csv:3");
  assert_string_equal(b->account.crm_id, "002B");
  assert_null(b->account.domain);
  assert_string_equal(b->account.name, "Beta");
  assert_null(u->parent.crm_id);
  assert_null(u->parent.name);
  assert_null(u->industry);
  assert_true(u->employees == 0);
  assert_true(EXD_IS_NONE(u->revenue));
  assert_true(EXD_IS_NONE(u->arr));
  assert_true(EXD_IS_NONE(u->nps));
  assert_int_equal(u->fy_start_month, 0);
  assert_null(u->currency);
  assert_int_equal(u->contract_start, EXD_DATE_NONE);
  assert_int_equal(u->renewal_date, EXD_DATE_NONE);
  assert_int_equal(u->as_of, EXD_DATE_NONE);
  crun_free(&r);
}

static void test_activity_records(void **state) {
  (void)state;
  write_file("products.csv", "acct,product,tier,seats,active,price,start,end\n"
                             "001A,Widget,Pro,100,87,\"$1,000\",2024-01-01,"
                             "2024-12-31\n");
  write_file("health.csv", "acct,date,score\n001A,2024-05-01,72.5\n");
  write_file("usage.csv", "acct,date,product,dept,users,used,limit\n"
                          "001A,2024-05-01,Widget,Sales,80,950.5,1000\n");
  write_file("feature.csv", "acct,date,product,feature,adoption\n"
                            "001A,2024-05-01,Widget,Reports,45%\n"
                            "001A,2024-05-02,,Export,0.3\n");
  write_file("trigger.csv", "acct,date,type,detail\n"
                            "001A,2024-04-01,funding,\"Series B, $40M\"\n");
  write_file("escalation.csv",
             "acct,id,opened,closed,sev,subject\n"
             "001A,E-1,2024-03-01,,P1,\"Outage \"\"EU\"\"\"\n");
  crun r = crun_collect(
      "files:\n"
      "  - path: products.csv\n"
      "    record: product\n"
      "    columns: {account_id: acct, product: product, tier: tier,\n"
      "      seats_purchased: seats, seats_active: active, unit_price: price,\n"
      "      start: start, end: end}\n"
      "  - path: health.csv\n"
      "    record: health\n"
      "    columns: {account_id: acct, date: date, score: score}\n"
      "  - path: usage.csv\n"
      "    record: usage\n"
      "    columns: {account_id: acct, date: date, product: product,\n"
      "      department: dept, active_users: users, capacity_used: used,\n"
      "      capacity_limit: limit}\n"
      "  - path: feature.csv\n"
      "    record: feature\n"
      "    columns: {account_id: acct, date: date, product: product,\n"
      "      feature: feature, adoption: adoption}\n"
      "  - path: trigger.csv\n"
      "    record: trigger\n"
      "    columns: {account_id: acct, date: date, type: type, detail: "
      "detail}\n"
      "  - path: escalation.csv\n"
      "    record: escalation\n"
      "    columns: {account_id: acct, id: id, opened: opened, closed: "
      "closed,\n"
      "      severity: sev, subject: subject}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_n_records(r.m), 7);

  const exd_record *x = rec(r.m, 0);
  assert_int_equal(x->type, EXD_REC_PRODUCT);
  assert_string_equal(x->origin, "products.csv:2");
  assert_string_equal(x->account.crm_id, "001A");
  assert_string_equal(x->u.product.product, "Widget");
  assert_string_equal(x->u.product.tier, "Pro");
  assert_true(x->u.product.seats_purchased == 100);
  assert_true(x->u.product.seats_active == 87);
  assert_true(x->u.product.unit_price == 1000);
  assert_int_equal(x->u.product.start, D(2024, 1, 1));
  assert_int_equal(x->u.product.end, D(2024, 12, 31));

  x = rec(r.m, 1);
  assert_int_equal(x->type, EXD_REC_HEALTH);
  assert_string_equal(x->origin, "health.csv:2");
  assert_int_equal(x->u.health.date, D(2024, 5, 1));
  assert_true(x->u.health.score == 72.5);

  x = rec(r.m, 2);
  assert_int_equal(x->type, EXD_REC_USAGE);
  assert_int_equal(x->u.usage.date, D(2024, 5, 1));
  assert_string_equal(x->u.usage.product, "Widget");
  assert_string_equal(x->u.usage.department, "Sales");
  assert_true(x->u.usage.active_users == 80);
  assert_true(x->u.usage.capacity_used == 950.5);
  assert_true(x->u.usage.capacity_limit == 1000);

  x = rec(r.m, 3);
  assert_int_equal(x->type, EXD_REC_FEATURE);
  assert_string_equal(x->u.feature.feature, "Reports");
  assert_true(x->u.feature.adoption == 0.45);
  x = rec(r.m, 4);
  assert_string_equal(x->origin, "feature.csv:3");
  assert_null(x->u.feature.product);
  assert_true(x->u.feature.adoption == 0.3);

  x = rec(r.m, 5);
  assert_int_equal(x->type, EXD_REC_TRIGGER);
  assert_int_equal(x->u.trigger.date, D(2024, 4, 1));
  assert_string_equal(x->u.trigger.type, "funding");
  assert_string_equal(x->u.trigger.detail, "Series B, $40M");

  x = rec(r.m, 6);
  assert_int_equal(x->type, EXD_REC_ESCALATION);
  assert_string_equal(x->u.escalation.id, "E-1");
  assert_int_equal(x->u.escalation.opened, D(2024, 3, 1));
  assert_int_equal(x->u.escalation.closed, EXD_DATE_NONE);
  assert_string_equal(x->u.escalation.severity, "P1");
  assert_string_equal(x->u.escalation.subject, "Outage \"EU\"");
  crun_free(&r);
}

static void test_lists(void **state) {
  (void)state;
  write_file("contacts.csv", "acct,name,title,dept,roles,since,left\n"
                             "001A,Jo Park,VP Sales,Sales,"
                             "\"Champion; power user;Econ\",2023-02-01,\n"
                             "001A,Al Ma,CTO,,executive,,2024-01-31\n"
                             "001A,Bo,,,\"admin;boss\",,\n");
  write_file("intent.csv", "acct,date,product,score,stage,pscore,fit,topics\n"
                           "001A,2024-05-01,Widget,81,Decision,64,Strong,"
                           "\"crm; analytics ;;\"\n"
                           "001A,2024-05-02,,,,,,\n");
  crun r = crun_collect(
      "files:\n"
      "  - path: contacts.csv\n"
      "    record: contact\n"
      "    columns: {account_id: acct, name: name, title: title,\n"
      "      department: dept, roles: roles, since: since, left: left}\n"
      "    values: {roles: {econ: economic_buyer}}\n"
      "  - path: intent.csv\n"
      "    record: intent\n"
      "    columns: {account_id: acct, date: date, product: product,\n"
      "      score: score, stage: stage, profile_score: pscore,\n"
      "      profile_fit: fit, topics: topics}\n");
  ASSERT_DATA_ERRORS(r.m, "contacts.csv:4:11: column 'roles' (field roles): "
                          "'boss' is not a role (champion, power_user, "
                          "economic_buyer, executive or admin)\n");
  assert_int_equal(mock_collect_status(r.m), 0);
  assert_int_equal(mock_n_records(r.m), 4);
  const exd_record *x = rec(r.m, 0);
  assert_string_equal(x->u.contact.name, "Jo Park");
  assert_string_equal(x->u.contact.title, "VP Sales");
  assert_string_equal(x->u.contact.department, "Sales");
  assert_int_equal(x->u.contact.roles, EXD_ROLE_CHAMPION | EXD_ROLE_POWER_USER |
                                           EXD_ROLE_ECONOMIC_BUYER);
  assert_int_equal(x->u.contact.since, D(2023, 2, 1));
  assert_int_equal(x->u.contact.left, EXD_DATE_NONE);
  x = rec(r.m, 1);
  assert_int_equal(x->u.contact.roles, EXD_ROLE_EXECUTIVE);
  assert_null(x->u.contact.department);
  assert_int_equal(x->u.contact.left, D(2024, 1, 31));

  x = rec(r.m, 2);
  assert_int_equal(x->type, EXD_REC_INTENT);
  assert_string_equal(x->origin, "intent.csv:2");
  assert_int_equal(x->u.intent.date, D(2024, 5, 1));
  assert_string_equal(x->u.intent.product, "Widget");
  assert_true(x->u.intent.score == 81);
  assert_string_equal(x->u.intent.stage, "Decision");
  assert_true(x->u.intent.profile_score == 64);
  assert_string_equal(x->u.intent.profile_fit, "Strong");
  assert_int_equal(x->u.intent.n_topics, 2);
  assert_string_equal(x->u.intent.topics[0], "crm");
  assert_string_equal(x->u.intent.topics[1], "analytics");
  x = rec(r.m, 3);
  assert_int_equal(x->u.intent.n_topics, 0);
  assert_null(x->u.intent.topics);
  assert_true(EXD_IS_NONE(x->u.intent.score));
  crun_free(&r);
}

static void test_catalogue(void **state) {
  (void)state;
  write_file("cat.csv", "name,fam,tier,tname,price,pricing,aka,topics\n"
                        "Widget Pro,Widget,2,Pro,\"1,200\",per seat,WP|W-Pro,"
                        "crm|sales\n"
                        "Widget Basic,Widget,,Basic,600,,,\n"
                        "Widget Max,Widget,2.5,,,,,\n");
  crun r =
      crun_collect("list_separator: \"|\"\n"
                   "files:\n"
                   "  - path: cat.csv\n"
                   "    record: catalogue\n"
                   "    columns: {product: name, family: fam, tier: tier,\n"
                   "      tier_name: tname, list_price: price,\n"
                   "      pricing: pricing, aliases: aka, topics: topics}\n"
                   "    constants: {pricing: flat}\n");
  ASSERT_DATA_ERRORS(r.m, "cat.csv:4:19: column 'tier' (field tier): '2.5' is "
                          "not a whole number\n");
  assert_int_equal(mock_n_records(r.m), 2);
  const exd_record *x = rec(r.m, 0);
  const exd_rec_catalogue *k = &x->u.catalogue;
  assert_int_equal(x->type, EXD_REC_CATALOGUE);
  assert_string_equal(k->product, "Widget Pro");
  assert_string_equal(k->family, "Widget");
  assert_int_equal(k->tier, 2);
  assert_string_equal(k->tier_name, "Pro");
  assert_true(k->list_price == 1200);
  assert_int_equal(k->pricing, EXD_PRICE_PER_SEAT); /* the column wins */
  assert_int_equal(k->n_aliases, 2);
  assert_string_equal(k->aliases[0], "WP");
  assert_string_equal(k->aliases[1], "W-Pro");
  assert_int_equal(k->n_topics, 2);
  assert_string_equal(k->topics[1], "sales");
  k = &rec(r.m, 1)->u.catalogue;
  assert_int_equal(k->tier, 0);
  assert_int_equal(k->pricing, EXD_PRICE_FLAT); /* empty cell: the constant */
  assert_int_equal(k->n_aliases, 0);
  assert_null(k->aliases);
  crun_free(&r);
}

static void test_opportunity_status(void **state) {
  (void)state;
  write_file("opps.csv", "id,acct,product,stage,amount,created,closed,owner\n"
                         "O1,001A,Widget,Closed Won,\"1,000\",2024-01-01,"
                         "2024-02-01,Ann\n"
                         "O2,001A,Widget,closed lost,500,2024-01-01,2024-02-01,"
                         "Ann\n"
                         "O3,001A,Widget,Won,,2024-01-01,,Ann\n"
                         "O4,001A,Widget,Negotiation,0,2024-01-01,2024-06-01,\n"
                         "O5,001A,Widget,,,,,\n");
  crun r = crun_collect(
      "files:\n"
      "  - path: opps.csv\n"
      "    record: opportunity\n"
      "    columns: {id: id, account_id: acct, product: product, stage: "
      "stage,\n"
      "      amount: amount, created: created, closed: closed, owner: owner}\n"
      "    owned_from_won: true\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_n_records(r.m), 7);
  static const int types[] = {EXD_REC_OPPORTUNITY, EXD_REC_PRODUCT,
                              EXD_REC_OPPORTUNITY, EXD_REC_OPPORTUNITY,
                              EXD_REC_PRODUCT,     EXD_REC_OPPORTUNITY,
                              EXD_REC_OPPORTUNITY};
  for (size_t i = 0; i < 7; i++)
    assert_int_equal(rec(r.m, i)->type, types[i]);
  const exd_rec_opportunity *o = &rec(r.m, 0)->u.opportunity;
  assert_string_equal(o->id, "O1");
  assert_string_equal(o->stage, "Closed Won");
  assert_int_equal(o->status, EXD_OPP_WON);
  assert_true(o->amount == 1000);
  assert_int_equal(o->created, D(2024, 1, 1));
  assert_int_equal(o->closed, D(2024, 2, 1));
  assert_string_equal(o->owner, "Ann");
  assert_int_equal(rec(r.m, 2)->u.opportunity.status, EXD_OPP_LOST);
  assert_int_equal(rec(r.m, 3)->u.opportunity.status, EXD_OPP_WON);
  assert_true(EXD_IS_NONE(rec(r.m, 3)->u.opportunity.amount));
  assert_int_equal(rec(r.m, 5)->u.opportunity.status, EXD_OPP_OPEN);
  assert_true(rec(r.m, 5)->u.opportunity.amount == 0);
  assert_null(rec(r.m, 5)->u.opportunity.owner);
  assert_int_equal(rec(r.m, 6)->u.opportunity.status, EXD_OPP_UNKNOWN);

  /* A won deal is also an owned product, from the same row. */
  const exd_record *p = rec(r.m, 1);
  assert_string_equal(p->origin, "opps.csv:2");
  assert_string_equal(p->account.crm_id, "001A");
  assert_string_equal(p->u.product.product, "Widget");
  assert_true(p->u.product.seats_purchased == 1);
  assert_true(p->u.product.unit_price == 1000);
  assert_int_equal(p->u.product.start, D(2024, 2, 1));
  assert_int_equal(p->u.product.end, EXD_DATE_NONE);
  p = rec(r.m, 4);
  assert_string_equal(p->origin, "opps.csv:4");
  assert_true(EXD_IS_NONE(p->u.product.unit_price));
  assert_int_equal(p->u.product.start, EXD_DATE_NONE);
  crun_free(&r);
}

static void test_status_mapped(void **state) {
  (void)state;
  write_file("st.csv", "id,acct,state,stage\n"
                       "A,001A,Booked,x\n"
                       "B,001A,maybe,x\n"
                       "C,001A,OPEN,Closed Won\n"
                       "D,001A,,Closed Won\n");
  crun r =
      crun_collect("files:\n"
                   "  - path: st.csv\n"
                   "    record: opportunity\n"
                   "    columns: {id: id, account_id: acct, status: state,\n"
                   "      stage: stage}\n"
                   "    values: {status: {booked: won}}\n");
  ASSERT_DATA_ERRORS(r.m, "st.csv:3:8: column 'state' (field status): 'maybe' "
                          "is not a status (open, won or lost)\n");
  assert_int_equal(mock_collect_status(r.m), 0);
  assert_int_equal(mock_n_records(r.m), 3);
  assert_int_equal(rec(r.m, 0)->u.opportunity.status, EXD_OPP_WON);
  assert_int_equal(rec(r.m, 1)->u.opportunity.status, EXD_OPP_OPEN);
  /* empty status: derived from the stage */
  assert_int_equal(rec(r.m, 2)->u.opportunity.status, EXD_OPP_WON);
  crun_free(&r);
}

static void test_aliases_scale_constants(void **state) {
  (void)state;
  write_file("acc.csv", "name,sector,rev,cur\n"
                        "A,TECHNOLGY,1.5,\n"
                        "B,n/a,,GBP\n"
                        "C,retail,0,\n");
  crun r = crun_collect("files:\n"
                        "  - path: acc.csv\n"
                        "    record: account\n"
                        "    columns: {name: name, industry: sector,\n"
                        "      revenue: rev, currency: cur}\n"
                        "    values: {industry: {technolgy: technology,\n"
                        "      n/a: \"\"}}\n"
                        "    scale: {revenue: 1000}\n"
                        "    constants: {currency: USD, country: US}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_n_records(r.m), 3);
  const exd_rec_account *a = &rec(r.m, 0)->u.account;
  assert_string_equal(a->industry, "technology");
  assert_true(a->revenue == 1500);
  assert_string_equal(a->currency, "USD");
  assert_string_equal(a->country, "US");
  a = &rec(r.m, 1)->u.account;
  assert_null(a->industry); /* aliased to "": absent */
  assert_true(EXD_IS_NONE(a->revenue));
  assert_string_equal(a->currency, "GBP");
  a = &rec(r.m, 2)->u.account;
  assert_string_equal(a->industry, "retail");
  assert_true(a->revenue == 0);
  crun_free(&r);
}

static void test_numbers(void **state) {
  (void)state;
  write_file("num.csv", "id,amount\n"
                        "1,\"$1,234.50\"\n"
                        "2,-\xE2\x82\xAC"
                        "5\n"
                        "3,\xC2\xA3"
                        "7\n"
                        "4,1e3\n"
                        "5, 0 \n"
                        "6,\n"
                        "7,\"1,2\"\n"
                        "8,abc\n"
                        "9,\"12,345,678.9\"\n"
                        "10,+.5\n"
                        "11,\"1,2345\"\n"
                        "12,$-3\n"
                        "13,1e999\n");
  crun r = crun_collect("files:\n"
                        "  - path: num.csv\n"
                        "    record: opportunity\n"
                        "    columns: {id: id, amount: amount}\n");
  ASSERT_DATA_ERRORS(
      r.m,
      "num.csv:8:3: column 'amount' (field amount): '1,2' is not a number\n"
      "num.csv:9:3: column 'amount' (field amount): 'abc' is not a number\n"
      "num.csv:12:4: column 'amount' (field amount): '1,2345' is not a "
      "number\n"
      "num.csv:14:4: column 'amount' (field amount): '1e999' is not a "
      "number\n");
  static const double want[] = {1234.5, -5,         7,   1000, 0,
                                NAN,    12345678.9, 0.5, -3};
  assert_int_equal(mock_n_records(r.m), 9);
  for (size_t i = 0; i < 9; i++) {
    double got = rec(r.m, i)->u.opportunity.amount;
    if (isnan(want[i]))
      assert_true(EXD_IS_NONE(got));
    else
      assert_true(got == want[i]);
  }
  crun_free(&r);
}

static void test_date_formats(void **state) {
  (void)state;
  write_file("t1.csv", "acct,date\nA,05/03/2024\nA,5/3/2024\nA,31/04/2024\n"
                       "A,2024-03-05\n");
  write_file("t2.csv",
             "acct,date\nA,\"Mar 5, 2024\"\nA,\"september 30, 2024\"\n"
             "A,\"Sept 1, 2024\"\nA,\"Foo 1, 2024\"\n");
  write_file("t3.csv", "acct,date\nA,240305\nA,991231\n");
  write_file("t4.csv", "acct,date\nA,2024-03-05T10:00:00Z\nA,2024-03-05 10:00\n"
                       "A,2017-02-30\nA,2024-03-05x\nA,2016-02-29\n");
  crun r = crun_collect("files:\n"
                        "  - path: t1.csv\n"
                        "    record: trigger\n"
                        "    columns: &c {account_id: acct, date: date}\n"
                        "    constants: &k {type: funding}\n"
                        "    date_format: \"%d/%m/%Y\"\n"
                        "  - path: t2.csv\n"
                        "    record: trigger\n"
                        "    columns: *c\n"
                        "    constants: *k\n"
                        "    date_format: \"%b %d, %Y\"\n"
                        "  - path: t3.csv\n"
                        "    record: trigger\n"
                        "    columns: *c\n"
                        "    constants: *k\n"
                        "    date_format: \"%y%m%d\"\n"
                        "  - path: t4.csv\n"
                        "    record: trigger\n"
                        "    columns: *c\n"
                        "    constants: *k\n");
  ASSERT_DATA_ERRORS(
      r.m,
      "t1.csv:4:3: column 'date' (field date): '31/04/2024' is not a valid "
      "date\n"
      "t1.csv:5:3: column 'date' (field date): '2024-03-05' does not match the "
      "date format '%d/%m/%Y'\n"
      "t2.csv:5:3: column 'date' (field date): 'Foo 1, 2024' does not match "
      "the date format '%b %d, %Y'\n"
      "t4.csv:4:3: column 'date' (field date): '2017-02-30' is not a valid "
      "date\n"
      "t4.csv:5:3: column 'date' (field date): '2024-03-05x' does not match "
      "the date format '%Y-%m-%d'\n");
  static const int want[][3] = {
      {2024, 3, 5}, {2024, 3, 5},   {2024, 3, 5}, {2024, 9, 30}, {2024, 9, 1},
      {2024, 3, 5}, {1999, 12, 31}, {2024, 3, 5}, {2024, 3, 5},  {2016, 2, 29}};
  assert_int_equal(mock_n_records(r.m), 10);
  for (size_t i = 0; i < 10; i++) {
    assert_int_equal(rec(r.m, i)->u.trigger.date,
                     D(want[i][0], want[i][1], want[i][2]));
    assert_string_equal(rec(r.m, i)->u.trigger.type, "funding");
  }
  crun_free(&r);
}

static void test_join(void **state) {
  (void)state;
  write_file("tenants.csv", "tenant_id,sfdc_id,region\n"
                            "T1,001A,EU\n"
                            "T2,002B,US\n"
                            "T1,999,XX\n");
  write_file("usage_j.csv", "tenant,date,users,acct\n"
                            "T1,2024-01-01,5,\n"
                            "T3,2024-01-02,6,\n"
                            "T2,2024-01-03,7,003C\n"
                            ",2024-01-04,8,\n");
  crun r = crun_collect("files:\n"
                        "  - path: usage_j.csv\n"
                        "    record: usage\n"
                        "    columns: {date: date, active_users: users,\n"
                        "      account_id: acct}\n"
                        "    join:\n"
                        "      - file: tenants.csv\n"
                        "        on: tenant\n"
                        "        key: tenant_id\n"
                        "        columns: {account_id: sfdc_id,\n"
                        "          department: region}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_collect_status(r.m), 0);
  assert_int_equal(mock_n_records(r.m), 4);
  assert_string_equal(rec(r.m, 0)->account.crm_id, "001A");
  assert_string_equal(rec(r.m, 0)->u.usage.department, "EU");
  /* no match, no key: still emitted (the core reports unmatched records) */
  assert_null(rec(r.m, 1)->account.crm_id);
  assert_null(rec(r.m, 1)->u.usage.department);
  assert_true(rec(r.m, 1)->u.usage.active_users == 6);
  /* the file's own column wins over the join */
  assert_string_equal(rec(r.m, 2)->account.crm_id, "003C");
  assert_string_equal(rec(r.m, 2)->u.usage.department, "US");
  assert_null(rec(r.m, 3)->account.crm_id);
  assert_null(rec(r.m, 3)->account.name);
  assert_non_null(strstr(mock_log(r.m),
                         "4: tenants.csv:4: duplicate key 'T1' (first at line "
                         "2); the first row is used\n"));
  assert_non_null(strstr(mock_log(r.m), "4: usage_j.csv: 1 row found no match "
                                        "in tenants.csv (first at line 3)\n"));
  crun_free(&r);
}

static void test_empty_keys_emitted(void **state) {
  (void)state;
  write_file("nokey.csv", "acct,product\n,Widget\n");
  crun r = crun_collect("files:\n"
                        "  - path: nokey.csv\n"
                        "    record: product\n"
                        "    columns: {account_id: acct, product: product}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_n_records(r.m), 1);
  assert_null(rec(r.m, 0)->account.crm_id);
  assert_null(rec(r.m, 0)->account.domain);
  assert_null(rec(r.m, 0)->account.name);
  assert_string_equal(rec(r.m, 0)->u.product.product, "Widget");
  crun_free(&r);
}

static void test_delimiters(void **state) {
  (void)state;
  write_file("tab.tsv", "name\tindustry\nAcme\tSoftware, Inc\n");
  write_file("semi.csv", "name;industry\n\"Be;ta\";Retail\n");
  crun r = crun_collect("delimiter: tab\n"
                        "files:\n"
                        "  - path: tab.tsv\n"
                        "    record: account\n"
                        "    columns: {name: name, industry: industry}\n");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_int_equal(mock_n_records(r.m), 1);
  assert_string_equal(rec(r.m, 0)->u.account.industry, "Software, Inc");
  crun_free(&r);
  r = crun_collect("delimiter: \";\"\n"
                   "files:\n"
                   "  - path: semi.csv\n"
                   "    record: account\n"
                   "    columns: {name: name, industry: industry}\n");
  assert_int_equal(mock_n_records(r.m), 1);
  assert_string_equal(rec(r.m, 0)->account.name, "Be;ta");
  crun_free(&r);
}

static void test_async_slices_and_recollect(void **state) {
  (void)state;
  size_t rows = 45000;
  sb b = {0};
  sb_put(&b, "acct,date,score\n");
  for (size_t i = 0; i < rows; i++)
    sb_printf(&b, "A%zu,2024-01-%02zu,%zu\n", i, i % 28 + 1, i % 101);
  write_file("big.csv", sb_str(&b));
  sb_free(&b);
  crun r = crun_init_as(
      "files:\n"
      "  - path: big.csv\n"
      "    record: health\n"
      "    columns: {account_id: acct, date: date, score: score}\n",
      NULL);
  assert_int_equal(r.init_rc, 0);
  for (int round = 1; round <= 2; round++) {
    assert_int_equal(expansiond_plugin.collect(r.st, mock_collect(r.m)), 0);
    /* nothing happens until the loop runs */
    assert_int_equal(mock_collect_done_calls(r.m), round - 1);
    /* a second collect while one runs is refused */
    assert_int_equal(expansiond_plugin.collect(r.st, mock_collect(r.m)),
                     -EBUSY);
    mock_run_deferred(r.m);
    assert_int_equal(mock_collect_done_calls(r.m), round);
    assert_int_equal(mock_collect_status(r.m), 0);
    assert_int_equal(mock_n_records(r.m), rows * (size_t)round);
  }
  const exd_record *last = rec(r.m, rows - 1);
  assert_string_equal(last->origin, "big.csv:45001");
  assert_string_equal(last->account.crm_id, "A44999");
  assert_true(last->u.health.score == 44999 % 101);
  assert_string_equal(rec(r.m, 2 * rows - 1)->origin, "big.csv:45001");
  ASSERT_DATA_ERRORS(r.m, "");
  assert_non_null(strstr(
      mock_log(r.m), "6: big.csv: 45000 rows, 45000 records, 0 rejected\n"));
  crun_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_account_fields),
      cmocka_unit_test(test_activity_records),
      cmocka_unit_test(test_lists),
      cmocka_unit_test(test_catalogue),
      cmocka_unit_test(test_opportunity_status),
      cmocka_unit_test(test_status_mapped),
      cmocka_unit_test(test_aliases_scale_constants),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_date_formats),
      cmocka_unit_test(test_join),
      cmocka_unit_test(test_empty_keys_emitted),
      cmocka_unit_test(test_delimiters),
      cmocka_unit_test(test_async_slices_and_recollect),
  };
  return cmocka_run_group_tests(tests, tdir_setup, tdir_teardown);
}
