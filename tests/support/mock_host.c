/* Mock host for plugin unit tests; see mock_host.h. */
#include "mock_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_yaml.h"
#include "config.h"
#include "date.h"
#include "err.h"
#include "format.h"
#include "record.h"
#include "util.h"

struct exd_instance {
  mock_host *m;
};
struct exd_collect {
  mock_host *m;
};
struct exd_push {
  mock_host *m;
};

struct deferred {
  void (*cb)(void *);
  void *arg;
};

struct mock_host {
  exd_host_api api;
  struct exd_instance inst;
  struct exd_collect collect;
  struct exd_push push;
  exd_config cfg; /* only the arena is used */
  exd_node *config;
  sb config_errors;
  sb log;
  int32_t as_of;
  VEC(struct deferred) deferred;
  VEC(exd_record) records;
  strpool *strings;
  VEC(char *) data_errors;
  int collect_done_calls, collect_status;
  const exd_opportunity *results;
  size_t n_results;
  sb result_buf;
  int push_done_calls, push_status;
};

/* ---- host functions ---- */

static void m_log(const exd_instance *inst, int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_printf(&inst->m->log, "%d: ", level);
  sb_vprintf(&inst->m->log, fmt, ap);
  sb_putc(&inst->m->log, '\n');
  va_end(ap);
}

static const char *m_instance_name(const exd_instance *inst) {
  (void)inst;
  return "mock";
}

static const exd_node *m_config(const exd_instance *inst) {
  return inst->m->config;
}

static void m_config_error(const exd_instance *inst, const exd_node *node,
                           const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (node) sb_printf(&inst->m->config_errors, "%s: ", node->where);
  sb_vprintf(&inst->m->config_errors, fmt, ap);
  sb_putc(&inst->m->config_errors, '\n');
  va_end(ap);
}

static int32_t m_as_of(const exd_instance *inst) {
  return inst->m->as_of;
}

static int m_defer(const exd_instance *inst, void (*cb)(void *), void *arg) {
  struct deferred d = {cb, arg};
  VEC_PUSH(&inst->m->deferred, d);
  return 0;
}

static const char *dup_str(mock_host *m, const char *s) {
  return s ? pool_copy(m->strings, s) : NULL;
}

static const char *const *dup_list(mock_host *m, const char *const *v,
                                   size_t n) {
  if (!v || !n) return NULL;
  const char **c = pool_alloc(m->strings, n * sizeof(*c));
  for (size_t i = 0; i < n; i++)
    c[i] = dup_str(m, v[i]);
  return c;
}

static int m_emit(exd_collect *c, const exd_record *rec) {
  mock_host *m = c->m;
  exd_record r;
  memset(&r, 0, sizeof(r));
  if (!rec || rec->struct_size < offsetof(exd_record, u) ||
      rec->struct_size > sizeof(r))
    return EXD_EDATA;
  memcpy(&r, rec, rec->struct_size);
  r.origin = dup_str(m, r.origin);
  r.account.crm_id = dup_str(m, r.account.crm_id);
  r.account.domain = dup_str(m, r.account.domain);
  r.account.name = dup_str(m, r.account.name);
  switch (r.type) {
  case EXD_REC_ACCOUNT: {
    exd_rec_account *a = &r.u.account;
    a->parent.crm_id = dup_str(m, a->parent.crm_id);
    a->parent.domain = dup_str(m, a->parent.domain);
    a->parent.name = dup_str(m, a->parent.name);
    a->industry = dup_str(m, a->industry);
    a->country = dup_str(m, a->country);
    a->currency = dup_str(m, a->currency);
    a->owner = dup_str(m, a->owner);
    break;
  }
  case EXD_REC_PRODUCT:
    r.u.product.product = dup_str(m, r.u.product.product);
    r.u.product.tier = dup_str(m, r.u.product.tier);
    break;
  case EXD_REC_USAGE:
    r.u.usage.product = dup_str(m, r.u.usage.product);
    r.u.usage.department = dup_str(m, r.u.usage.department);
    break;
  case EXD_REC_FEATURE:
    r.u.feature.product = dup_str(m, r.u.feature.product);
    r.u.feature.feature = dup_str(m, r.u.feature.feature);
    break;
  case EXD_REC_CONTACT:
    r.u.contact.name = dup_str(m, r.u.contact.name);
    r.u.contact.title = dup_str(m, r.u.contact.title);
    r.u.contact.department = dup_str(m, r.u.contact.department);
    break;
  case EXD_REC_ESCALATION:
    r.u.escalation.id = dup_str(m, r.u.escalation.id);
    r.u.escalation.severity = dup_str(m, r.u.escalation.severity);
    r.u.escalation.subject = dup_str(m, r.u.escalation.subject);
    break;
  case EXD_REC_INTENT:
    r.u.intent.product = dup_str(m, r.u.intent.product);
    r.u.intent.stage = dup_str(m, r.u.intent.stage);
    r.u.intent.profile_fit = dup_str(m, r.u.intent.profile_fit);
    r.u.intent.topics = dup_list(m, r.u.intent.topics, r.u.intent.n_topics);
    break;
  case EXD_REC_TRIGGER:
    r.u.trigger.type = dup_str(m, r.u.trigger.type);
    r.u.trigger.detail = dup_str(m, r.u.trigger.detail);
    break;
  case EXD_REC_OPPORTUNITY:
    r.u.opportunity.id = dup_str(m, r.u.opportunity.id);
    r.u.opportunity.product = dup_str(m, r.u.opportunity.product);
    r.u.opportunity.stage = dup_str(m, r.u.opportunity.stage);
    r.u.opportunity.owner = dup_str(m, r.u.opportunity.owner);
    break;
  case EXD_REC_CATALOGUE: {
    exd_rec_catalogue *k = &r.u.catalogue;
    k->product = dup_str(m, k->product);
    k->family = dup_str(m, k->family);
    k->tier_name = dup_str(m, k->tier_name);
    k->aliases = dup_list(m, k->aliases, k->n_aliases);
    k->topics = dup_list(m, k->topics, k->n_topics);
    break;
  }
  default: break;
  }
  VEC_PUSH(&m->records, r);
  return 0;
}

static void m_data_error(exd_collect *c, const char *origin, const char *fmt,
                         ...) {
  sb b = {0};
  va_list ap;
  va_start(ap, fmt);
  sb_printf(&b, "%s: ", origin ? origin : "?");
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  VEC_PUSH(&c->m->data_errors, sb_steal(&b));
}

static void m_collect_done(exd_collect *c, int status) {
  c->m->collect_done_calls++;
  c->m->collect_status = status;
}

static size_t m_result_count(const exd_push *p) {
  return p->m->n_results;
}

static const exd_opportunity *m_result(exd_push *p, size_t i) {
  return i < p->m->n_results ? &p->m->results[i] : NULL;
}

static const char *m_format_result(exd_push *p, size_t i, int fmt) {
  mock_host *m = p->m;
  sb_reset(&m->result_buf);
  if (fmt != EXD_FMT_CSV_HEADER && i >= m->n_results) return NULL;
  const exd_opportunity *o = fmt == EXD_FMT_CSV_HEADER ? NULL : &m->results[i];
  exd_opportunity empty = {.struct_size = sizeof(empty)};
  if (format_opportunity(o ? o : &empty, fmt, &m->result_buf) < 0) return NULL;
  return sb_str(&m->result_buf);
}

static void m_push_done(exd_push *p, int status) {
  p->m->push_done_calls++;
  p->m->push_status = status;
}

static int m_date_parse(const char *text, int32_t *days) {
  return date_parse(text, days);
}

/* ---- construction ---- */

mock_host *mock_host_new(const char *config_yaml, const char *file_name,
                         const exd_config_key *keys) {
  mock_host *m = xcalloc(1, sizeof(*m));
  m->inst.m = m;
  m->collect.m = m;
  m->push.m = m;
  m->collect_status = 1; /* not called */
  m->push_status = 1;
  m->as_of = date_from_ymd(2026, 6, 30);
  m->strings = pool_new();
  m->cfg.arena = cfg_arena_new();
  const char *file =
      arena_strdup(m->cfg.arena, file_name ? file_name : "mock.yaml");
  exd_node *root = NULL;
  const char *text = config_yaml ? config_yaml : "";
  if (yaml_parse(m->cfg.arena, file, text, strlen(text), &root,
                 &m->config_errors) == 0) {
    if (!root) root = node_new(m->cfg.arena, EXD_NODE_MAP, file, 1, 1);
    m->config = root;
    if (keys) cfg_validate(&m->cfg, root, keys, &m->config_errors);
  }
  exd_host_api *a = &m->api;
  a->struct_size = sizeof(*a);
  a->abi_major = EXD_ABI_MAJOR;
  a->abi_minor = EXD_ABI_MINOR;
  a->log = m_log;
  a->instance_name = m_instance_name;
  a->strerror = exd_strerror;
  a->config = m_config;
  a->node_get = cfg_get;
  a->node_type = cfg_node_type;
  a->node_len = cfg_node_len;
  a->node_at = cfg_node_at;
  a->node_key_at = cfg_node_key_at;
  a->node_str = cfg_str;
  a->node_int = cfg_int;
  a->node_double = cfg_double;
  a->node_bool = cfg_bool;
  a->node_where = cfg_node_where;
  a->config_error = m_config_error;
  a->as_of = m_as_of;
  a->date_parse = m_date_parse;
  a->defer = m_defer;
  a->record_init = record_init;
  a->emit = m_emit;
  a->data_error = m_data_error;
  a->collect_done = m_collect_done;
  a->result_count = m_result_count;
  a->result = m_result;
  a->format_result = m_format_result;
  a->push_done = m_push_done;
  return m;
}

void mock_host_free(mock_host *m) {
  if (!m) return;
  for (size_t i = 0; i < m->data_errors.n; i++)
    free(m->data_errors.v[i]);
  free(m->data_errors.v);
  free(m->records.v);
  free(m->deferred.v);
  pool_free(m->strings);
  cfg_arena_free(m->cfg.arena);
  sb_free(&m->config_errors);
  sb_free(&m->log);
  sb_free(&m->result_buf);
  free(m);
}

const char *mock_config_errors(const mock_host *m) {
  return m->config_errors.buf ? m->config_errors.buf : "";
}
const exd_host_api *mock_api(mock_host *m) {
  return &m->api;
}
exd_instance *mock_instance(mock_host *m) {
  return &m->inst;
}
exd_collect *mock_collect(mock_host *m) {
  return &m->collect;
}
exd_push *mock_push(mock_host *m) {
  return &m->push;
}
void mock_set_as_of(mock_host *m, int32_t days) {
  m->as_of = days;
}

void mock_run_deferred(mock_host *m) {
  while (m->deferred.n) {
    struct deferred d = m->deferred.v[0];
    memmove(m->deferred.v, m->deferred.v + 1,
            (m->deferred.n - 1) * sizeof(*m->deferred.v));
    m->deferred.n--;
    d.cb(d.arg);
  }
}

size_t mock_n_records(const mock_host *m) {
  return m->records.n;
}
const exd_record *mock_record(const mock_host *m, size_t i) {
  return i < m->records.n ? &m->records.v[i] : NULL;
}
size_t mock_n_data_errors(const mock_host *m) {
  return m->data_errors.n;
}
const char *mock_data_error(const mock_host *m, size_t i) {
  return i < m->data_errors.n ? m->data_errors.v[i] : NULL;
}
int mock_collect_done_calls(const mock_host *m) {
  return m->collect_done_calls;
}
int mock_collect_status(const mock_host *m) {
  return m->collect_status;
}
void mock_set_results(mock_host *m, const exd_opportunity *opps, size_t n) {
  m->results = opps;
  m->n_results = n;
}
int mock_push_done_calls(const mock_host *m) {
  return m->push_done_calls;
}
int mock_push_status(const mock_host *m) {
  return m->push_status;
}
const char *mock_log(const mock_host *m) {
  return m->log.buf ? m->log.buf : "";
}
