/*
 * Scoring core: pure functions over a finalized model (no I/O, no clock).
 * Everything is computed "as of" model->as_of and reads no fact dated later.
 *
 *   signals      (signals.c)     evidence-carrying facts, strength 0..1
 *   components   (components.c)  health, usage, engagement, timing: 0..100
 *                                or absent (NaN); similar is per opportunity
 *   peers        (peers.c)       look-alike statistics for similar-customer
 *                                success and cross-sell
 *   timing       (timing.c)      action window and hold flags
 *   opportunities (opportunity.c) candidates, propensity, uplift, EV
 *   business case (bizcase.c)    ROI text, objections, entry point, action
 *   explanations (explain.c)     reason texts
 *
 * The formulas are documented next to the code and in the README
 * ("How scores are computed"); unit tests pin them with exact values.
 */
#ifndef EXD_SCORE_H
#define EXD_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "model.h"

enum comp_kind {
  COMP_HEALTH,
  COMP_USAGE,
  COMP_ENGAGEMENT,
  COMP_TIMING,
  COMP_SIMILAR,
  COMP__COUNT
};

enum sig_kind {
  SIG_USAGE_CEILING,
  SIG_NEW_USE_CASE,
  SIG_ORG_GROWTH,
  SIG_INTENT,
  SIG_NEW_STAKEHOLDER,
  SIG_HEALTH_UP,
  SIG_RELATED_OWNS,
  SIG_HEALTH_DOWN,
  SIG_CHAMPION_LEFT,
  SIG_ESCALATION,
  SIG_LOST_DEAL,
  SIG__COUNT
};

enum hold_kind {
  HOLD_HEALTH = 1u << 0,        /* low or declining health */
  HOLD_ESCALATION = 1u << 1,    /* open escalation */
  HOLD_CHAMPION_LEFT = 1u << 2, /* champion left, no replacement */
  HOLD_NEG_TRIGGER = 1u << 3,   /* layoffs / budget freeze recently */
  HOLD_OPEN_OPP = 1u << 4       /* open opportunity on the same product */
};

enum win_kind { WIN_DEFAULT, WIN_TRIGGER, WIN_RENEWAL, WIN_BUDGET };

typedef struct score_params {
  double weight[COMP__COUNT];
  double points[SIG__COUNT];
  double seat_threshold;
  int horizon_days, window_days, recent_days, stale_days, min_peers;
  double hold_health_below;
  double component_share; /* max share of propensity from components */
  double seat_headroom;   /* spare seats a true-up adds on top of need */
} score_params;

/* Defaults = the defaults of cfg_scoring_keys. */
void score_params_default(score_params *p);
/* From a validated `scoring:` map (defaults filled). */
void score_params_from_config(score_params *p, const exd_node *scoring);

const char *comp_name(int comp);     /* "health", ... */
const char *sig_name(int sig);       /* "usage_ceiling", ... (config keys) */
const char *opp_type_name(int type); /* "upsell", "cross_sell", ... */

/* ---- signals ---- */

#define SIG_MAX 32

typedef struct exsig {
  uint8_t kind;
  int16_t cat;      /* product concerned, -1: the whole account */
  double strength;  /* 0..1 */
  double v[4];      /* evidence values, see explain.c */
  int32_t d[2];     /* evidence dates */
  const char *s[2]; /* evidence strings (model-owned) */
} exsig;

/* ---- look-alike peers ---- */

#define PEER_BANDS 6

typedef struct peers {
  size_t n_acct, n_prod, n_ind;
  uint16_t *acct_ind;      /* industry index per account (0 = unknown) */
  uint8_t *acct_band;      /* employee band per account (0 = unknown) */
  const char **industries; /* index → name (index 0: NULL) */
  uint32_t glob_n;
  uint32_t glob_own[CATALOG_MAX];
  uint32_t *ind_n, *ind_own; /* [ind], [ind * n_prod + p] */
  uint32_t *seg_n,
      *seg_own; /* [seg], [seg * n_prod + p]; seg = ind*BANDS+band */
  uint32_t *co; /* [p * n_prod + q] owners of both */
  double seat_ratio[CATALOG_MAX]; /* median seats(q) / the owner's largest
                                     per-seat deployment, NaN when unknown */
  uint32_t seat_ratio_n[CATALOG_MAX];
  uint32_t *child_off, *child_idx; /* subsidiaries of account i:
                                      child_idx[child_off[i]..child_off[i+1]) */
} peers;

/* Evidence of a similar-customer rate. */
typedef struct peer_ev {
  double rate;             /* blended rate 0..1 */
  double seg_rate;         /* shrunk segment rate */
  uint32_t seg_n, seg_own; /* raw segment counts (leave-one-out) */
  const char *industry;    /* segment industry (may be NULL) */
  int band;                /* segment employee band */
  double basket_rate;      /* NaN when the account owns nothing */
  int basket_from;         /* product whose owners were used, -1 */
  uint32_t basket_n, basket_own;
} peer_ev;

void peers_build(const model *m, peers *p);
void peers_free(peers *p);
/* Share of look-alikes of account a that own product q (leave-one-out,
   shrunk towards the industry, then the global rate with strength
   min_peers). Fills ev when non-NULL. Returns rate 0..1, or NaN when the
   base has fewer than 2 accounts. */
double peers_rate(const model *m, const peers *p, uint32_t a, int q,
                  int min_peers, peer_ev *ev);
/* Text of an employee band ("1,000-4,999 employees"). */
const char *peers_band_name(int band);
int peers_band(double employees);

/* k most similar accounts to a (firmographics and owned products), best
   first; writes indices and similarities 0..1. Returns how many. */
size_t peers_neighbours(const model *m, const peers *p, uint32_t a, size_t k,
                        uint32_t *idx, double *sim);

/* ---- per-account evaluation ---- */

typedef struct comp_ev {
  double value[COMP__COUNT]; /* account-level; COMP_SIMILAR unused here */
  /* evidence */
  double health;
  int32_t health_date;
  double seat_util, seat_active, seat_purchased; /* NaN when absent */
  double cap_util, adoption, user_growth;
  double people, nps_part, support_part, win_rate;
  int champions, power_users, open_escalations;
  uint32_t deals_closed;
} comp_ev;

typedef struct window {
  int32_t start, end;
  uint8_t kind;     /* enum win_kind */
  int32_t anchor;   /* renewal date / fiscal-year start / trigger date */
  const char *what; /* trigger type for WIN_TRIGGER */
} window;

#define OPP_MAX 16
#define REASON_MAX (COMP__COUNT + SIG_MAX + 1)

typedef struct opp {
  uint8_t type;     /* EXD_OPP_* */
  int16_t cat;      /* product proposed */
  int16_t from_cat; /* upsell: current tier; seat/use case: the product */
  double seats;     /* seats (or units) the uplift is for; NaN for flat */
  double unit_price;
  int seats_estimated;
  const char *dept; /* use case: the department */
  double similar;   /* COMP_SIMILAR for this opportunity (NaN absent) */
  peer_ev peer;
  double weight_used[COMP__COUNT]; /* normalised weights; 0 when absent */
  double comp_points[COMP__COUNT]; /* points each component contributed */
  double sig_points[SIG_MAX];      /* points per account signal (0: n/a) */
  double base, points, propensity, uplift, ev;
  uint32_t holds;
  int open_opp; /* index of the open opportunity (HOLD_OPEN_OPP) */
  window win;
  int32_t ceiling_date; /* seat expansion: forecast date seats run out */
  int32_t size_date;    /* seat expansion: seats are sized for this date */
  double size_active;   /* seat expansion: active seats expected then */
} opp;

typedef struct acct_eval {
  uint32_t acct;
  exsig sig[SIG_MAX];
  size_t n_sig;
  comp_ev comp;
  window win;
  uint32_t holds; /* account-level holds */
  opp opps[OPP_MAX];
  size_t n_opps;
} acct_eval;

/* Is p an owned per-seat product with seats purchased? A product whose
   contract ended before as_of is not owned (model.h: m_account.owned), so
   it has no usage ceiling, seat share, seat expansion or deployment size. */
int score_seat_product(const model *m, const m_product *p);
/* Active seats of owned product p of account a (latest usage of the
   product, or of the account when it owns per_seat_products == 1 per-seat
   products, else p->seats_active); NaN when unknown. */
double score_product_active(const model *m, const score_params *sp,
                            const m_account *a, const m_product *p,
                            int per_seat_products);

/* Signals of account a (fills e->sig). */
void signals_detect(const model *m, const score_params *sp, uint32_t a,
                    acct_eval *e);
/* related_account_owns signals (needs the peers' hierarchy index). */
void signals_related(const model *m, const peers *p, uint32_t a, acct_eval *e);
/* Account-level components (fills e->comp; needs signals for trends). */
void components_compute(const model *m, const score_params *sp, uint32_t a,
                        acct_eval *e);
/* Window and account-level holds (needs signals). */
void timing_compute(const model *m, const score_params *sp, uint32_t a,
                    acct_eval *e);
/* The first renewal on or after T (a past renewal date rolls forward by
   whole years), or EXD_DATE_NONE. */
int32_t timing_next_renewal(const m_account *a, int32_t T);
/* Timing component value for a window (also used by components). */
double timing_value(const score_params *sp, int32_t as_of, const window *w,
                    int have_data);
/* Full evaluation: signals, components, window, opportunities with
   propensity, uplift, EV and holds. */
void score_account(const model *m, const peers *p, const score_params *sp,
                   uint32_t a, acct_eval *e);

/* ---- ranking ---- */

typedef struct rank_entry {
  uint32_t acct;
  uint8_t type;
  uint8_t held;
  int16_t cat;
  float ev, propensity;
} rank_entry;

typedef struct ranking {
  rank_entry *v; /* the ranked (or kept) opportunities */
  size_t n;
  size_t total, total_held; /* every opportunity found, and those held */
  size_t accounts_scored;
} ranking;

/* Score every account and rank the opportunities: actionable ones first by
   expected value (then propensity, account name, type, product), held ones
   after them in the same order. Deterministic. keep = 0 keeps all of them;
   keep = N keeps only the best N (a bounded heap: O(n log N), N entries of
   memory), while total/total_held still count everything. */
void rank_all(const model *m, const peers *p, const score_params *sp,
              size_t keep, ranking *out);
/* Same over accounts [from, to) only, unsorted (for parallel scoring). */
void rank_range(const model *m, const peers *p, const score_params *sp,
                uint32_t from, uint32_t to, size_t keep, ranking *out);
/* Sort r; with keep > 0 also cut it to the best keep entries. */
void rank_sort(const model *m, ranking *r, size_t keep);
/* Ranking order: < 0 when x ranks before y. */
int rank_cmp(const model *m, const rank_entry *x, const rank_entry *y);
void ranking_free(ranking *r);
/* First signal of kind in an evaluation about product cat (-1: the
   account; < -1: any), or NULL. */
const exsig *eval_signal(const acct_eval *e, int kind, int cat);
/* Display name of catalogue product cat, or "the product". */
const char *score_product_name(const model *m, int cat);
/* Find opportunity (type, cat) in an evaluation; NULL when absent. */
const opp *eval_find(const acct_eval *e, int type, int cat);

/* ---- explanations and business case (text; model-owned or sb) ---- */

/* Evidence text of a signal. */
void explain_signal(const model *m, const exsig *s, sb *out);
/* Evidence text of an account-level component. */
void explain_component(const model *m, const acct_eval *e, const opp *o,
                       int comp, sb *out);
/* Text of one hold flag of o (bit). */
void explain_hold(const model *m, const acct_eval *e, const opp *o,
                  uint32_t bit, sb *out);

typedef struct bizcase {
  double current_arr;
  sb roi;
  sb objection[3], response[3];
  size_t n_objections;
  sb entry_point;
  sb next_action;
} bizcase;

void bizcase_build(const model *m, const score_params *sp, const acct_eval *e,
                   const opp *o, bizcase *bc);
void bizcase_free(bizcase *bc);

/* Money as "$12,345" (currency symbol for USD/EUR/GBP, else code prefix). */
void fmt_money(sb *out, double v, const char *currency);

#endif
