/*
 * Ranked results: turns a ranking entry into a full exd_opportunity (the
 * sink-facing struct of plugin.h) by re-scoring its account — scoring is
 * deterministic, so the ranking stays compact (16 bytes an opportunity) and
 * texts are only built for what is shown or pushed.
 */
#ifndef EXD_RESULTS_H
#define EXD_RESULTS_H

#include "score.h"

typedef struct results {
  const model *m;         /* borrowed */
  const peers *p;         /* borrowed */
  const score_params *sp; /* borrowed */
  const ranking *r;       /* borrowed */
  /* cache of the last scored account */
  acct_eval *eval; /* owned */
  uint32_t eval_acct;
  int have_eval;
  /* storage behind the last returned exd_opportunity */
  strpool *pool; /* owned; reset per result */
  exd_opportunity cur;
  exd_reason reasons[REASON_MAX];
  exd_objection objections[3];
  const char *holds[8];
  sb text; /* format_result output */
} results;

void results_init(results *rs, const model *m, const peers *p,
                  const score_params *sp, const ranking *r);
void results_free(results *rs);
/* i-th ranked opportunity (0-based); valid until the next call. NULL when
   i is out of range. */
const exd_opportunity *results_get(results *rs, size_t i);
/* The same for an evaluation already at hand (rank as given). */
const exd_opportunity *results_build(results *rs, const acct_eval *e,
                                     const opp *o, uint32_t rank);
/* i-th result formatted (EXD_FMT_*); valid until the next call. */
const char *results_format(results *rs, size_t i, int fmt);
/* Evaluation of account a (cached). */
const acct_eval *results_eval(results *rs, uint32_t a);

#endif
