/*
 * The host side of the plugin contract: the const exd_host_api table,
 * plugin instances (load, config validation, init, destroy) and the
 * asynchronous collect / push calls on the libuv loop.
 */
#ifndef EXD_HOST_H
#define EXD_HOST_H

#include <uv.h>

#include "config.h"
#include "loader.h"
#include "model.h"
#include "results.h"

typedef struct host host;

/* Per-source outcome of a collect. */
typedef struct host_source_status {
  const char *label; /* "plugin/instance" */
  int status;        /* collect_done status (0 or negative) */
  int done;          /* collect_done was called */
} host_source_status;

/* New host for cfg on loop (both borrowed; they must outlive the host). */
host *host_new(uv_loop_t *loop, exd_config *cfg, int32_t as_of);
/*
 * Load, validate and init every enabled instance (sources, then sinks).
 * Errors ("FILE:LINE:COL: ...", one per line) are appended to errs; returns
 * 0 or EXD_ECONFIG. Instances that initialised stay up until host_close.
 * with_init = 0 only loads and validates (no init).
 */
int host_start(host *h, sb *errs, int with_init);
/* Collect from every source into m (borrowed until done runs). done runs
   on the loop once every source has called collect_done (or failed). */
void host_collect(host *h, model *m, void (*done)(void *arg), void *arg);
size_t host_source_count(const host *h);
const host_source_status *host_source_status_at(const host *h, size_t i);
/* Push the ranking to every sink; done(arg, worst status) runs when all
   have called push_done. The results' borrowed parts must outlive it. */
void host_push(host *h, const model *m, const peers *p, const score_params *sp,
               const ranking *r, void (*done)(void *arg, int status),
               void *arg);
size_t host_sink_count(const host *h);
/* Destroy instances, unload plugins and close the host's loop handles; the
   caller then runs the loop until it drains and calls host_free. */
void host_close(host *h);
void host_free(host *h);

/* The table handed to plugins (exposed for tests). */
extern const exd_host_api host_api;

#endif
