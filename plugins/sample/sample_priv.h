/*
 * Private to the sample generator (sample_gen.c, sample_ident.c): the
 * generator state, the splitmix64 streams, date and text helpers.
 */
#ifndef SAMPLE_PRIV_H
#define SAMPLE_PRIV_H

#include <stdint.h>

#include "sample_data.h"
#include "sample_gen.h"

#define MONTHS_MAX 36
#define N_OWNERS 40
#define NAME_COMBOS 48000 /* sample_name_a.n * sample_name_b.n * ..._c.n */
#define ID_SPACE 218340105584896ULL /* 62^8 */
#define ID_MUL 111190449047ULL      /* odd, coprime with 31: a bijection */
#define NAME_MUL 7919u              /* coprime with 48,000 */
#define TWO_PI 6.283185307179586

struct sample_gen {
  sample_params p;
  uint64_t seed_mix;
  uint64_t name_off, id_off;
  char pod[2];
  exd_record tmpl[EXD_REC_TYPE_COUNT_];
  int32_t month_start[MONTHS_MAX + 1]; /* [k]: 1st of the month k before */
  double industry_cdf[SAMPLE_N_INDUSTRIES];
  double country_cdf[SAMPLE_N_COUNTRIES];
  char owners[N_OWNERS][8];
  uint64_t rejected;

  /* Per-call state and scratch buffers (records point into these). */
  sample_emit_fn emit;
  void *ctx;
  size_t count;
  char origin[32], id[19], parent_id[19];
  char name[SAMPLE_NAME_MAX], domain[SAMPLE_NAME_MAX];
  char person[64], ref[48];
  const char *topics[4];
};

/* ---- random numbers: splitmix64 ---- */

static inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

static inline uint64_t next(uint64_t *s) {
  return mix64(*s += 0x9E3779B97F4A7C15ULL);
}

static inline double u01(uint64_t *s) {
  return (double)(next(s) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n). */
static inline uint32_t below(uint64_t *s, uint32_t n) {
  return (uint32_t)(((next(s) >> 32) * (uint64_t)n) >> 32);
}

enum { ST_MAIN, ST_DESTINY, ST_IDENT };

/* Independent stream `which` of account index. */
uint64_t sample__stream(const sample_gen *g, int64_t index, uint64_t which);
double sample__normal(uint64_t *s);

/* Civil dates as days since 1970-01-01. */
int32_t sample__ymd_days(int y, int m, int d);
void sample__days_ymd(int32_t days, int *y, int *m, int *d);

/* Append s (or v in decimal) at p, NUL-terminate, return the new end. */
char *sample__put(char *p, const char *s);
char *sample__put_u64(char *p, uint64_t v);

/* Identity draws of account index: industry and country (the first draws
   of its ident stream), the Salesforce id, the name and domain. */
void sample__ident_draws(const sample_gen *g, int64_t index, int *industry,
                         int *country);
void sample__make_id(const sample_gen *g, int64_t index, char id[19]);
void sample__make_name(const sample_gen *g, int64_t index, int country,
                       char *name, char *domain);

#endif
