/*
 * The `sample` source plugin: a deterministic synthetic customer base (the
 * data behind `make demo` and `make bench`). The generation itself is in
 * sample_gen.c; this file reads the config and feeds the host in chunks so
 * the loop stays responsive: collect emits the catalogue and the first
 * `chunk` accounts, then re-schedules itself with host->defer until every
 * account is out, then calls collect_done.
 */
#include <errno.h>
#include <stdlib.h>

#include "expansiond/plugin.h"
#include "sample_gen.h"

static const exd_config_key sample_keys[] = {
    {"seed", EXD_CFG_INT, 0, "42",
     "random seed; the same seed always gives the same customer base", NULL, 0,
     0, 0, NULL},
    {"accounts", EXD_CFG_INT, 0, "500", "number of accounts to generate", NULL,
     0, 1, 10000000, NULL},
    {"history_months", EXD_CFG_INT, 0, "12",
     "months of monthly health history per account", NULL, 0, 3, 36, NULL},
    {"chunk", EXD_CFG_INT, 0, "5000",
     "accounts generated per loop turn (the loop runs other work between "
     "chunks)",
     NULL, 0, 1, 10000000, NULL},
    {"emit_catalogue", EXD_CFG_BOOL, 0, "true",
     "also emit the synthetic vendor's product catalogue (11 products)", NULL,
     0, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

typedef struct sample {
  const exd_host_api *host;
  exd_instance *inst;
  int64_t seed, accounts, history_months, chunk;
  int emit_catalogue;
  /* While collecting. */
  exd_collect *c;
  sample_gen *gen;
  int64_t next;
  uint64_t records;
} sample;

/* Read an INT key (defaults are filled in by the core). */
static int get_int(const exd_host_api *h, exd_instance *inst,
                   const exd_node *cfg, const char *key, int64_t *out) {
  const exd_node *n = h->node_get(cfg, key);
  if (!n) return 0;
  if (h->node_int(n, out) < 0) {
    h->config_error(inst, n, "%s: expected an integer", key);
    return EXD_ECONFIG;
  }
  return 0;
}

static int sample_init(const exd_host_api *host, exd_instance *inst,
                       void **state) {
  const exd_node *cfg = host->config(inst);
  sample s = {host, inst, 42, 500, 12, 5000, 1, NULL, NULL, 0, 0};
  int rc = 0;
  if (get_int(host, inst, cfg, "seed", &s.seed) < 0 ||
      get_int(host, inst, cfg, "accounts", &s.accounts) < 0 ||
      get_int(host, inst, cfg, "history_months", &s.history_months) < 0 ||
      get_int(host, inst, cfg, "chunk", &s.chunk) < 0)
    rc = EXD_ECONFIG;
  const exd_node *n = host->node_get(cfg, "emit_catalogue");
  if (n && host->node_bool(n, &s.emit_catalogue) < 0) {
    host->config_error(inst, n, "emit_catalogue: expected true or false");
    rc = EXD_ECONFIG;
  }
  if (rc < 0) return rc;
  sample *p = malloc(sizeof(*p));
  if (!p) return -ENOMEM;
  *p = s;
  *state = p;
  return 0;
}

static int emit_cb(void *ctx, const exd_record *rec) {
  sample *s = ctx;
  return s->host->emit(s->c, rec);
}

static void finish(sample *s, int status) {
  const exd_host_api *h = s->host;
  uint64_t rejected = sample_gen_rejected(s->gen);
  exd_collect *c = s->c;
  if (rejected)
    h->log(s->inst, EXD_LOG_ERROR,
           "%llu of %llu generated records were rejected",
           (unsigned long long)rejected, (unsigned long long)s->records);
  if (status == 0)
    h->log(s->inst, EXD_LOG_INFO, "generated %lld accounts, %llu records",
           (long long)s->next, (unsigned long long)s->records);
  sample_gen_free(s->gen);
  s->gen = NULL;
  s->c = NULL;
  h->collect_done(c, status);
}

/* Generate one chunk; re-schedule or finish. */
static void run_chunk(void *arg) {
  sample *s = arg;
  int64_t end = s->next + s->chunk;
  if (end > s->accounts) end = s->accounts;
  for (; s->next < end; s->next++)
    s->records += sample_gen_account(s->gen, s->next, emit_cb, s);
  if (s->next >= s->accounts) {
    finish(s, 0);
    return;
  }
  int rc = s->host->defer(s->inst, run_chunk, s);
  if (rc < 0) {
    s->host->log(s->inst, EXD_LOG_ERROR, "cannot schedule the next chunk: %s",
                 s->host->strerror(rc));
    finish(s, rc);
  }
}

static int sample_collect(void *state, exd_collect *c) {
  sample *s = state;
  if (s->c) return -EBUSY;
  sample_params p = {(uint64_t)s->seed, (int)s->history_months,
                     s->host->as_of(s->inst)};
  s->gen = sample_gen_new(&p, s->host->record_init);
  if (!s->gen) return -ENOMEM;
  s->c = c;
  s->next = 0;
  s->records = 0;
  if (s->emit_catalogue) s->records += sample_gen_catalogue(s->gen, emit_cb, s);
  run_chunk(s);
  return 0;
}

static void sample_destroy(void *state) {
  sample *s = state;
  if (!s) return;
  sample_gen_free(s->gen);
  free(s);
}

EXD_PLUGIN_DEFINE("sample", "1.0.0",
                  "deterministic synthetic customer base (demo and benchmark)",
                  EXD_CAP_SOURCE, sample_keys, sample_init, sample_collect,
                  NULL, sample_destroy);
