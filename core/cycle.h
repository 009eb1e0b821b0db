/*
 * One cycle on the libuv loop (the same loop `serve` will use): every
 * source collects asynchronously; once all have finished, the merge and
 * scoring pass runs on the libuv work queue (off the loop thread, split
 * across cores); then the command sees the results, sinks receive them, and
 * the cycle ends when the loop drains.
 */
#ifndef EXD_CYCLE_H
#define EXD_CYCLE_H

#include <uv.h>

#include "config.h"
#include "host.h"
#include "model.h"
#include "score.h"

enum cycle_flags {
  CYCLE_RANK = 1 << 0,  /* score and rank every account */
  CYCLE_PUSH = 1 << 1,  /* hand the ranking to the sinks */
  CYCLE_STRICT = 1 << 2 /* any rejected input record fails the run (65) */
};

typedef struct cycle {
  uv_loop_t loop;
  exd_config *cfg; /* borrowed */
  int32_t as_of;
  int flags;
  size_t keep; /* rank only the best `keep` (0: all) */
  host *h;
  model *m;
  peers p;
  score_params sp;
  ranking r;
  int exit_code;      /* sysexits code of the cycle so far */
  int sources_failed; /* sources whose collect failed: sinks are skipped */
  int finished;       /* the cycle reached its end */
  sb notes;           /* merge notes */
  /* timings (ms) for --stats */
  double t_collect, t_merge, t_score;
  uint64_t t0;
  /* called on the loop thread after scoring, before sinks; may set
     exit_code */
  void (*on_scored)(struct cycle *c, void *arg);
  void *arg;
} cycle;

/*
 * Run one cycle for cfg. Returns the exit code: 0; 78 when a plugin cannot
 * be loaded, validated or initialised; 65 when no accounts were collected
 * (or, with CYCLE_STRICT, any record was rejected); 66 when a source
 * failed because an input was missing, 65 when it failed otherwise (the
 * results of the other sources are still shown, but the sinks are NOT
 * updated from partial data); 74 when a sink failed;
 * or what on_scored set. keep: how many ranked opportunities the command
 * needs (0: all); ignored (all kept) when sinks will receive the ranking.
 */
int cycle_run(exd_config *cfg, int32_t as_of, int flags, size_t keep,
              void (*on_scored)(cycle *c, void *arg), void *arg);

#endif
