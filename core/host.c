/* Host services for plugins; see host.h. */
#include "host.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "err.h"
#include "log.h"
#include "record.h"

#define LOG_CAP 50 /* per instance: rejected records / data errors logged */

struct exd_instance {
  host *h;
  const cfg_instance *def;
  loaded_plugin *lp;
  const exd_plugin *desc;
  void *state;
  int role; /* EXD_CAP_SOURCE or EXD_CAP_SINK */
  char *label;
  int src; /* model source index */
  int inited;
  unsigned config_errors;
  sb *errs; /* config_error target during validation/init */
  unsigned long rejected, data_errors;
};

struct exd_collect {
  exd_instance *inst;
  int done, status, warned;
};

struct exd_push {
  exd_instance *inst;
  results rs;
  int done, status;
};

struct deferred {
  void (*cb)(void *);
  void *arg;
};

struct host {
  uv_loop_t *loop;
  exd_config *cfg;
  int32_t as_of;
  VEC(exd_instance *) inst;
  uv_idle_t idle;
  int idle_init;
  VEC(struct deferred) queue;
  /* collect */
  model *m;
  struct exd_collect *collects;
  size_t n_collects;
  host_source_status *src_status;
  void (*collect_done)(void *);
  void *collect_arg;
  int collect_finished;
  /* push */
  struct exd_push *pushes;
  size_t n_pushes;
  void (*push_done)(void *, int);
  void *push_arg;
  int push_finished;
};

/* ---- deferred queue ---- */

static void idle_cb(uv_idle_t *idle) {
  host *h = idle->data;
  size_t n = h->queue.n;
  struct deferred *batch = xmalloc((n ? n : 1) * sizeof(*batch));
  memcpy(batch, h->queue.v, n * sizeof(*batch));
  memmove(h->queue.v, h->queue.v + n, (h->queue.n - n) * sizeof(*batch));
  h->queue.n -= n;
  for (size_t i = 0; i < n; i++)
    batch[i].cb(batch[i].arg);
  free(batch);
  if (!h->queue.n) uv_idle_stop(&h->idle);
}

static int host_defer(host *h, void (*cb)(void *), void *arg) {
  if (!cb) return -EINVAL;
  if (!h->idle_init) return -ESHUTDOWN;
  struct deferred d = {cb, arg};
  VEC_PUSH(&h->queue, d);
  return uv_idle_start(&h->idle, idle_cb);
}

/* ---- host API functions ---- */

static void h_log(const exd_instance *inst, int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_vmsg(level, inst ? inst->label : NULL, fmt, ap);
  va_end(ap);
}

static const char *h_instance_name(const exd_instance *inst) {
  return inst && inst->def ? inst->def->name : NULL;
}

static const exd_node *h_config(const exd_instance *inst) {
  return inst && inst->def ? inst->def->config : NULL;
}

static void h_config_error(const exd_instance *cinst, const exd_node *node,
                           const char *fmt, ...) {
  exd_instance *inst = (exd_instance *)cinst;
  va_list ap;
  va_start(ap, fmt);
  if (!node && inst && inst->def) node = inst->def->item;
  if (inst && inst->errs) {
    sb_printf(inst->errs, "%s: ", node ? node->where : "?");
    sb_vprintf(inst->errs, fmt, ap);
    sb_putc(inst->errs, '\n');
  } else {
    sb b = {0};
    sb_printf(&b, "%s: ", node ? node->where : "?");
    sb_vprintf(&b, fmt, ap);
    log_msg(EXD_LOG_ERROR, inst ? inst->label : NULL, "%s", sb_str(&b));
    sb_free(&b);
  }
  va_end(ap);
  if (inst) inst->config_errors++;
}

static int32_t h_as_of(const exd_instance *inst) {
  return inst ? inst->h->as_of : EXD_DATE_NONE;
}

static int h_date_parse(const char *text, int32_t *days) {
  return date_parse(text, days);
}

static int h_defer(const exd_instance *inst, void (*cb)(void *), void *arg) {
  return inst ? host_defer(inst->h, cb, arg) : -EINVAL;
}

static int h_emit(exd_collect *c, const exd_record *rec) {
  if (!c || !c->inst) return -EINVAL;
  exd_instance *inst = c->inst;
  if (c->done) {
    if (!c->warned++)
      log_msg(EXD_LOG_ERROR, inst->label,
              "emitted a record after collect_done; ignored (plugin bug)");
    return EXD_EPLUGIN;
  }
  sb why = {0};
  int rc = model_add(inst->h->m, inst->src, rec, &why);
  if (rc == EXD_EDATA) {
    if (inst->rejected++ < LOG_CAP)
      log_msg(EXD_LOG_ERROR, inst->label, "%s: %s; record rejected",
              rec && rec->struct_size >= offsetof(exd_record, account) &&
                      rec->origin
                  ? rec->origin
                  : "(no origin)",
              sb_str(&why));
  }
  sb_free(&why);
  return rc;
}

static void h_data_error(exd_collect *c, const char *origin, const char *fmt,
                         ...) {
  if (!c || !c->inst) return;
  exd_instance *inst = c->inst;
  model_note_rejected(inst->h->m, inst->src);
  if (inst->data_errors++ >= LOG_CAP) return;
  sb b = {0};
  va_list ap;
  va_start(ap, fmt);
  sb_printf(&b, "%s: ", origin ? origin : "(no origin)");
  sb_vprintf(&b, fmt, ap);
  va_end(ap);
  log_msg(EXD_LOG_ERROR, inst->label, "%s", sb_str(&b));
  sb_free(&b);
}

static void check_collect(void *arg);

static void h_collect_done(exd_collect *c, int status) {
  if (!c || !c->inst) return;
  if (c->done) {
    log_msg(EXD_LOG_ERROR, c->inst->label,
            "collect_done called more than once; ignored (plugin bug)");
    return;
  }
  c->done = 1;
  c->status = status > 0 ? 0 : status;
  host_defer(c->inst->h, check_collect, c->inst->h);
}

static size_t h_result_count(const exd_push *p) {
  return p && p->rs.r ? p->rs.r->n : 0;
}

static const exd_opportunity *h_result(exd_push *p, size_t i) {
  return p ? results_get(&p->rs, i) : NULL;
}

static const char *h_format_result(exd_push *p, size_t i, int fmt) {
  return p ? results_format(&p->rs, i, fmt) : NULL;
}

static void check_push(void *arg);

static void h_push_done(exd_push *p, int status) {
  if (!p || !p->inst) return;
  if (p->done) {
    log_msg(EXD_LOG_ERROR, p->inst->label,
            "push_done called more than once; ignored (plugin bug)");
    return;
  }
  p->done = 1;
  p->status = status > 0 ? 0 : status;
  host_defer(p->inst->h, check_push, p->inst->h);
}

const exd_host_api host_api = {
    .struct_size = sizeof(exd_host_api),
    .abi_major = EXD_ABI_MAJOR,
    .abi_minor = EXD_ABI_MINOR,
    .log = h_log,
    .instance_name = h_instance_name,
    .strerror = exd_strerror,
    .config = h_config,
    .node_get = cfg_get,
    .node_type = cfg_node_type,
    .node_len = cfg_node_len,
    .node_at = cfg_node_at,
    .node_key_at = cfg_node_key_at,
    .node_str = cfg_str,
    .node_int = cfg_int,
    .node_double = cfg_double,
    .node_bool = cfg_bool,
    .node_where = cfg_node_where,
    .config_error = h_config_error,
    .as_of = h_as_of,
    .date_parse = h_date_parse,
    .defer = h_defer,
    .record_init = record_init,
    .emit = h_emit,
    .data_error = h_data_error,
    .collect_done = h_collect_done,
    .result_count = h_result_count,
    .result = h_result,
    .format_result = h_format_result,
    .push_done = h_push_done,
};

/* ---- instances ---- */

host *host_new(uv_loop_t *loop, exd_config *cfg, int32_t as_of) {
  host *h = xcalloc(1, sizeof(*h));
  h->loop = loop;
  h->cfg = cfg;
  h->as_of = as_of;
  if (uv_idle_init(loop, &h->idle) == 0) {
    h->idle.data = h;
    h->idle_init = 1;
  }
  return h;
}

static void instance_unload(exd_instance *inst) {
  if (inst->inited && inst->desc->destroy) inst->desc->destroy(inst->state);
  inst->inited = 0;
  loader_close(inst->lp);
  inst->lp = NULL;
}

static int start_one(host *h, const cfg_instance *def, int role, sb *errs,
                     int with_init) {
  const exd_node *pnode = cfg_get(def->item, "plugin");
  const char *where = pnode ? pnode->where : def->item->where;
  char *dir = loader_default_dir(h->cfg->plugin_dir);
  char *path = loader_plugin_path(dir, def->plugin);
  char *msg = NULL;
  loaded_plugin *lp = NULL;
  int rc = loader_open(path, &lp, &msg);
  free(dir);
  free(path);
  if (rc < 0) {
    sb_printf(errs, "%s: plugin '%s': %s\n", where, def->plugin,
              msg ? msg : exd_strerror(rc));
    free(msg);
    return EXD_ECONFIG;
  }
  free(msg);
  if (!(lp->desc->capabilities & (unsigned)role)) {
    sb_printf(errs, "%s: plugin '%s' cannot be a %s (it is a %s)\n", where,
              def->plugin, role == EXD_CAP_SOURCE ? "source" : "sink",
              role == EXD_CAP_SOURCE ? "sink" : "source");
    loader_close(lp);
    return EXD_ECONFIG;
  }
  exd_instance *inst = xcalloc(1, sizeof(*inst));
  inst->h = h;
  inst->def = def;
  inst->lp = lp;
  inst->desc = lp->desc;
  inst->role = role;
  inst->src = -1;
  inst->label = xasprintf("%s/%s", def->plugin, def->name);
  static const exd_config_key none[] = {
      {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
  rc = cfg_validate(h->cfg, def->config,
                    inst->desc->config_keys ? inst->desc->config_keys : none,
                    errs);
  if (rc == 0 && with_init) {
    inst->errs = errs;
    rc = inst->desc->init(&host_api, inst, &inst->state);
    inst->errs = NULL;
    if (rc == 0) inst->inited = 1;
    if (rc < 0 && !inst->config_errors)
      sb_printf(errs, "%s: [%s] initialisation failed: %s\n", def->item->where,
                inst->label, exd_strerror(rc));
    if (inst->config_errors) rc = EXD_ECONFIG;
  }
  if (rc < 0) {
    instance_unload(inst);
    free(inst->label);
    free(inst);
    return EXD_ECONFIG;
  }
  VEC_PUSH(&h->inst, inst);
  return 0;
}

int host_start(host *h, sb *errs, int with_init) {
  int rc = 0;
  size_t enabled = 0;
  for (size_t i = 0; i < h->cfg->n_sources; i++) {
    if (!h->cfg->sources[i].enabled) continue;
    if (++enabled > MODEL_MAX_SOURCES) {
      sb_printf(errs, "%s: too many sources: at most %d can be enabled\n",
                h->cfg->sources[i].item->where, MODEL_MAX_SOURCES);
      rc = EXD_ECONFIG;
      continue;
    }
    if (start_one(h, &h->cfg->sources[i], EXD_CAP_SOURCE, errs, with_init) < 0)
      rc = EXD_ECONFIG;
  }
  for (size_t i = 0; i < h->cfg->n_sinks; i++)
    if (h->cfg->sinks[i].enabled &&
        start_one(h, &h->cfg->sinks[i], EXD_CAP_SINK, errs, with_init) < 0)
      rc = EXD_ECONFIG;
  return rc;
}

size_t host_source_count(const host *h) {
  return h->n_collects;
}

const host_source_status *host_source_status_at(const host *h, size_t i) {
  if (i >= h->n_collects) return NULL;
  h->src_status[i].done = h->collects[i].done;
  h->src_status[i].status = h->collects[i].status;
  return &h->src_status[i];
}

size_t host_sink_count(const host *h) {
  size_t n = 0;
  for (size_t i = 0; i < h->inst.n; i++)
    n += h->inst.v[i]->role == EXD_CAP_SINK;
  return n;
}

/* ---- collect ---- */

static void check_collect(void *arg) {
  host *h = arg;
  if (h->collect_finished) return;
  for (size_t i = 0; i < h->n_collects; i++)
    if (!h->collects[i].done) return;
  h->collect_finished = 1;
  for (size_t i = 0; i < h->n_collects; i++) {
    exd_instance *inst = h->collects[i].inst;
    h->src_status[i].label = inst->label;
    h->src_status[i].status = h->collects[i].status;
    if (inst->rejected > LOG_CAP)
      log_msg(EXD_LOG_ERROR, inst->label, "... %lu more records rejected",
              inst->rejected - LOG_CAP);
    if (inst->data_errors > LOG_CAP)
      log_msg(EXD_LOG_ERROR, inst->label, "... %lu more input errors",
              inst->data_errors - LOG_CAP);
    if (h->collects[i].status < 0)
      log_msg(EXD_LOG_ERROR, inst->label, "collection failed: %s",
              exd_strerror(h->collects[i].status));
  }
  h->collect_done(h->collect_arg);
}

void host_collect(host *h, model *m, void (*done)(void *), void *arg) {
  h->m = m;
  h->collect_done = done;
  h->collect_arg = arg;
  size_t n = 0;
  for (size_t i = 0; i < h->inst.n; i++)
    n += h->inst.v[i]->role == EXD_CAP_SOURCE;
  h->collects = xcalloc(n ? n : 1, sizeof(*h->collects));
  h->src_status = xcalloc(n ? n : 1, sizeof(*h->src_status));
  h->n_collects = n;
  size_t k = 0;
  for (size_t i = 0; i < h->inst.n; i++) {
    exd_instance *inst = h->inst.v[i];
    if (inst->role != EXD_CAP_SOURCE) continue;
    h->src_status[k].label = inst->label;
    struct exd_collect *c = &h->collects[k++];
    c->inst = inst;
    inst->src = model_add_source(m, inst->label);
    if (inst->src < 0) {
      log_msg(EXD_LOG_ERROR, inst->label, "too many sources (at most %d)",
              MODEL_MAX_SOURCES);
      c->done = 1;
      c->status = inst->src;
      continue;
    }
  }
  /* Start them only after every context exists (a plugin may finish
     synchronously). */
  for (size_t i = 0; i < n; i++) {
    struct exd_collect *c = &h->collects[i];
    if (c->done) continue;
    int rc = c->inst->desc->collect(c->inst->state, c);
    if (rc < 0 && !c->done) {
      c->done = 1;
      c->status = rc;
    }
  }
  host_defer(h, check_collect, h);
}

/* ---- push ---- */

static void check_push(void *arg) {
  host *h = arg;
  if (h->push_finished) return;
  for (size_t i = 0; i < h->n_pushes; i++)
    if (!h->pushes[i].done) return;
  h->push_finished = 1;
  int worst = 0;
  for (size_t i = 0; i < h->n_pushes; i++) {
    if (h->pushes[i].status < 0) {
      log_msg(EXD_LOG_ERROR, h->pushes[i].inst->label, "push failed: %s",
              exd_strerror(h->pushes[i].status));
      worst = h->pushes[i].status;
    }
    results_free(&h->pushes[i].rs);
  }
  h->push_done(h->push_arg, worst);
}

void host_push(host *h, const model *m, const peers *p, const score_params *sp,
               const ranking *r, void (*done)(void *, int), void *arg) {
  h->push_done = done;
  h->push_arg = arg;
  size_t n = host_sink_count(h), k = 0;
  h->pushes = xcalloc(n ? n : 1, sizeof(*h->pushes));
  h->n_pushes = n;
  for (size_t i = 0; i < h->inst.n; i++) {
    exd_instance *inst = h->inst.v[i];
    if (inst->role != EXD_CAP_SINK) continue;
    struct exd_push *x = &h->pushes[k++];
    x->inst = inst;
    results_init(&x->rs, m, p, sp, r);
  }
  for (size_t i = 0; i < n; i++) {
    struct exd_push *x = &h->pushes[i];
    int rc = x->inst->desc->push(x->inst->state, x);
    if (rc < 0 && !x->done) {
      x->done = 1;
      x->status = rc;
    }
  }
  host_defer(h, check_push, h);
}

/* ---- teardown ---- */

void host_close(host *h) {
  for (size_t i = h->inst.n; i-- > 0;)
    instance_unload(h->inst.v[i]);
  if (h->idle_init) {
    uv_idle_stop(&h->idle);
    uv_close((uv_handle_t *)&h->idle, NULL);
    h->idle_init = 0;
  }
  h->queue.n = 0;
}

void host_free(host *h) {
  if (!h) return;
  for (size_t i = 0; i < h->inst.n; i++) {
    free(h->inst.v[i]->label);
    free(h->inst.v[i]);
  }
  free(h->inst.v);
  free(h->queue.v);
  free(h->collects);
  free(h->src_status);
  free(h->pushes);
  free(h);
}
