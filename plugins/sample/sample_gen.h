/*
 * The sample generator: a deterministic synthetic customer base of the
 * vendor in sample_data.h. Pure: no I/O, no host calls, no globals written.
 *
 * Account i (0-based) is generated from (seed, i) alone through splitmix64
 * streams, so any account can be generated alone, in any order, and the
 * output is identical across runs and machines. Every date is relative to
 * params.as_of; facts are never dated after it (the only future dates are
 * contract_end and product end, the next renewal, and the expected close
 * date of open opportunities).
 *
 * A hidden "destiny" in [0,1] per account (most middling, some high, some
 * low) drives the signals so that they correlate: high destiny means seats
 * near or over purchased, growing usage and health, a new department and a
 * new executive or buyer, intent for a product not owned, growth triggers,
 * headcount growth; low destiny means declining health, an open P1/P2
 * escalation, a champion who left, layoffs or a budget freeze.
 *
 * Records handed to emit point into buffers owned by the generator, valid
 * only during that emit call.
 */
#ifndef SAMPLE_GEN_H
#define SAMPLE_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "expansiond/plugin.h"

typedef struct sample_params {
  uint64_t seed;
  int history_months; /* 3..36: monthly health history */
  int32_t as_of;      /* days since 1970-01-01 */
} sample_params;

/* Called for every record; the return value is counted as rejected when
   negative (see sample_gen_rejected). */
typedef int (*sample_emit_fn)(void *ctx, const exd_record *rec);
/* Sets every field absent and sets struct_size and type (host->record_init
   or the core's record_init). */
typedef void (*sample_init_fn)(exd_record *rec, uint32_t size, int type);

typedef struct sample_gen sample_gen;

/* NULL when out of memory. init is called once per record type here and
   never again. */
sample_gen *sample_gen_new(const sample_params *p, sample_init_fn init);
void sample_gen_free(sample_gen *g);

/* Emit the catalogue (one EXD_REC_CATALOGUE record per product, origin
   "sample:catalogue"). Returns the number of records emitted. */
size_t sample_gen_catalogue(sample_gen *g, sample_emit_fn emit, void *ctx);

/* Emit every record of account index (0-based; origin "sample#<index+1>").
   Returns the number of records emitted. */
size_t sample_gen_account(sample_gen *g, int64_t index, sample_emit_fn emit,
                          void *ctx);

/* Number of emit calls that returned a negative code so far. */
uint64_t sample_gen_rejected(const sample_gen *g);

/* The hidden destiny of account index, in [0,1]. For tests. */
double sample_gen_destiny(const sample_gen *g, int64_t index);

#define SAMPLE_NAME_MAX 96
/* Identity of account index without generating the rest: the 18-character
   Salesforce id, company name and domain. Names and domains are unique
   across all indices. */
void sample_gen_identity(const sample_gen *g, int64_t index, char id[19],
                         char name[SAMPLE_NAME_MAX],
                         char domain[SAMPLE_NAME_MAX]);

/* The 3-character case checksum of a 15-character Salesforce id. */
void sample_sfid_suffix(const char body[15], char out[3]);

#endif
