/*
 * Output of `run` (ranked table / JSON array / CSV) and `account` (one
 * account in full). I/O only: everything shown comes from results.h and
 * score.h.
 */
#ifndef EXD_REPORT_H
#define EXD_REPORT_H

#include <stdio.h>

#include "results.h"

/* The first `top` ranked opportunities as a table: one row per
   opportunity (RANK, ACCOUNT, TYPE, PRODUCT, PROPENSITY, UPLIFT/YR, WINDOW)
   followed by its top reasons, holds and next action on indented lines. */
void report_table(FILE *out, results *rs, size_t top, const char *title);
/* A JSON array of the first `top` opportunities (schema: format.h). */
void report_json(FILE *out, results *rs, size_t top);
/* CSV with a header row, CRLF line ends (RFC 4180). */
void report_csv(FILE *out, results *rs, size_t top);

/* One account in full: data, signals with evidence, components,
   opportunities with reasons, timing and business case, and its most
   similar customers. json: one JSON object instead of text. */
void report_account(FILE *out, results *rs, uint32_t a, int json);

#endif
