/* One collect → merge → score → output → push cycle; see cycle.h. */
#include "cycle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "log.h"

struct scoring_job {
  uv_work_t req;
  cycle *c;
  int rc;
};

struct part {
  uv_thread_t tid;
  cycle *c;
  uint32_t from, to;
  ranking r;
};

static void part_run(void *arg) {
  struct part *p = arg;
  rank_range(p->c->m, &p->c->p, &p->c->sp, p->from, p->to, p->c->keep, &p->r);
}

/* Score all accounts on up to `threads` threads and merge the parts. */
static void score_parallel(cycle *c) {
  size_t n = c->m->n_acct;
  unsigned threads = uv_available_parallelism();
  if (threads > 8) threads = 8;
  if (threads < 1 || n < 20000) threads = 1;
  struct part parts[8];
  for (unsigned i = 0; i < threads; i++) {
    parts[i].c = c;
    parts[i].from = (uint32_t)(n * i / threads);
    parts[i].to = (uint32_t)(n * (i + 1) / threads);
  }
  for (unsigned i = 1; i < threads; i++)
    if (uv_thread_create(&parts[i].tid, part_run, &parts[i]) != 0) {
      part_run(&parts[i]); /* no thread: do it here */
      parts[i].tid = 0;
    }
  part_run(&parts[0]);
  size_t total = 0;
  for (unsigned i = 1; i < threads; i++)
    if (parts[i].tid) uv_thread_join(&parts[i].tid);
  for (unsigned i = 0; i < threads; i++)
    total += parts[i].r.n;
  memset(&c->r, 0, sizeof(c->r));
  c->r.v = xmalloc((total ? total : 1) * sizeof(*c->r.v));
  for (unsigned i = 0; i < threads; i++) {
    if (parts[i].r.n)
      memcpy(c->r.v + c->r.n, parts[i].r.v, parts[i].r.n * sizeof(*c->r.v));
    c->r.n += parts[i].r.n;
    c->r.accounts_scored += parts[i].r.accounts_scored;
    c->r.total += parts[i].r.total;
    c->r.total_held += parts[i].r.total_held;
    ranking_free(&parts[i].r);
  }
  rank_sort(c->m, &c->r, c->keep);
}

static int cfg_has_sinks(const exd_config *cfg) {
  for (size_t i = 0; i < cfg->n_sinks; i++)
    if (cfg->sinks[i].enabled) return 1;
  return 0;
}

static void scoring_work(uv_work_t *req) {
  struct scoring_job *j = req->data;
  cycle *c = j->c;
  uint64_t t = uv_hrtime();
  j->rc = model_finalize(c->m, &c->notes);
  c->t_merge = (double)(uv_hrtime() - t) / 1e6;
  if (j->rc < 0) return;
  t = uv_hrtime();
  peers_build(c->m, &c->p);
  if (c->flags & CYCLE_RANK) score_parallel(c);
  c->t_score = (double)(uv_hrtime() - t) / 1e6;
}

/* The reporting currency and exchange rates from the config. */
static void set_currency(model *m, const exd_config *cfg) {
  const exd_node *fx = cfg_get(cfg->root, "exchange_rates");
  size_t n = fx && fx->type == EXD_NODE_MAP ? fx->n : 0;
  m_rate *r = xcalloc(n ? n : 1, sizeof(*r));
  for (size_t i = 0; i < n; i++) {
    r[i].currency = fx->keys[i]->value;
    r[i].rate = cfg_get_double(fx, fx->keys[i]->value, EXD_NONE);
  }
  model_set_currency(m, cfg_get_str(cfg->root, "currency", "USD"), r, n);
  free(r);
}

static void finish(cycle *c) {
  c->finished = 1;
  host_close(c->h);
}

static void push_done(void *arg, int status) {
  cycle *c = arg;
  if (status < 0 && !c->exit_code) c->exit_code = 74;
  finish(c);
}

static void log_notes(cycle *c) {
  const char *s = sb_str(&c->notes);
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    log_msg(EXD_LOG_WARN, NULL, "%.*s", (int)len, s);
    s += len + (nl ? 1 : 0);
  }
}

static void scoring_after(uv_work_t *req, int status) {
  struct scoring_job *j = req->data;
  cycle *c = j->c;
  int rc = status < 0 ? status : j->rc;
  free(j);
  log_notes(c);
  if (rc == EXD_ENOACCT) {
    log_msg(EXD_LOG_ERROR, NULL,
            "no accounts: the sources produced no account records (check the "
            "source configuration and input files)");
    if (!c->exit_code) c->exit_code = 65; /* a missing input (66) says more */
    finish(c);
    return;
  }
  if (rc < 0) {
    log_msg(EXD_LOG_ERROR, NULL, "merge failed: %s", exd_strerror(rc));
    if (!c->exit_code) c->exit_code = 65;
    finish(c);
    return;
  }
  if (c->on_scored) c->on_scored(c, c->arg);
  if ((c->flags & CYCLE_PUSH) && (c->flags & CYCLE_RANK) &&
      host_sink_count(c->h)) {
    if (c->sources_failed) {
      /* Results from partial data must not overwrite what the sinks hold
         (a CRM would get opportunities for products an account owns). */
      log_msg(EXD_LOG_ERROR, NULL,
              "a source failed: the sinks were not updated (fix the input and "
              "run again)");
      finish(c);
      return;
    }
    host_push(c->h, c->m, &c->p, &c->sp, &c->r, push_done, c);
    return;
  }
  finish(c);
}

static void collected(void *arg) {
  cycle *c = arg;
  c->t_collect = (double)(uv_hrtime() - c->t0) / 1e6;
  unsigned long rejected = 0;
  for (size_t i = 0; i < c->m->n_src; i++)
    rejected += c->m->src[i].rejected;
  for (size_t i = 0; i < host_source_count(c->h); i++) {
    int st = host_source_status_at(c->h, i)->status;
    if (st < 0) c->sources_failed++;
    if (st < 0 && !c->exit_code)
      c->exit_code =
          (st == -ENOENT || st == -EACCES || st == -ENOTDIR) ? 66 : 65;
  }
  if (rejected && (c->flags & CYCLE_STRICT) && !c->exit_code) c->exit_code = 65;
  if (rejected)
    log_msg(EXD_LOG_WARN, NULL, "%lu input error%s (see above)", rejected,
            rejected == 1 ? "" : "s");
  struct scoring_job *j = xcalloc(1, sizeof(*j));
  j->c = c;
  j->req.data = j;
  int rc = uv_queue_work(&c->loop, &j->req, scoring_work, scoring_after);
  if (rc < 0) {
    free(j);
    log_msg(EXD_LOG_ERROR, NULL, "cannot queue the scoring pass: %s",
            uv_strerror(rc));
    c->exit_code = 70;
    finish(c);
  }
}

int cycle_run(exd_config *cfg, int32_t as_of, int flags, size_t keep,
              void (*on_scored)(cycle *c, void *arg), void *arg) {
  cycle *c = xcalloc(1, sizeof(*c));
  int code;
  c->cfg = cfg;
  c->keep = keep;
  c->as_of = as_of;
  c->flags = flags;
  c->on_scored = on_scored;
  c->arg = arg;
  score_params_from_config(&c->sp, cfg->scoring);
  if (uv_loop_init(&c->loop) < 0) {
    free(c);
    return 70;
  }
  c->h = host_new(&c->loop, cfg, as_of);
  /* Sinks receive every opportunity: keep the whole ranking then. */
  if ((flags & CYCLE_PUSH) && cfg_has_sinks(cfg)) c->keep = 0;
  c->m = model_new(as_of);
  set_currency(c->m, cfg);
  sb errs = {0};
  if (model_add_config_catalogue(c->m, cfg->catalogue, &errs) < 0 ||
      host_start(c->h, &errs, 1) < 0) {
    fputs(sb_str(&errs), stderr);
    c->exit_code = 78;
    host_close(c->h);
  } else {
    c->t0 = uv_hrtime();
    host_collect(c->h, c->m, collected, c);
  }
  sb_free(&errs);
  uv_run(&c->loop, UV_RUN_DEFAULT);
  if (!c->finished && !c->exit_code) {
    /* Nothing left on the loop, yet a plugin never finished. */
    for (size_t i = 0; i < host_source_count(c->h); i++)
      if (!host_source_status_at(c->h, i)->done)
        log_msg(EXD_LOG_ERROR, host_source_status_at(c->h, i)->label,
                "never called collect_done");
    log_msg(EXD_LOG_ERROR, NULL,
            "a plugin never finished its collect or push and left nothing "
            "pending on the loop (plugin bug)");
    c->exit_code = 70;
    finish(c);
  }
  if (uv_loop_close(&c->loop) != 0) {
    uv_run(&c->loop, UV_RUN_DEFAULT);
    uv_loop_close(&c->loop);
  }
  code = c->exit_code;
  host_free(c->h);
  ranking_free(&c->r);
  peers_free(&c->p);
  model_free(c->m);
  sb_free(&c->notes);
  free(c);
  return code;
}
