/*
 * Formatting of ranked opportunities (exd_opportunity, plugin.h) as JSON
 * objects and CSV rows — the single definition of the output schema, used by
 * `run --format json|csv`, by host->format_result for sinks, and documented
 * in the README.
 */
#ifndef EXD_FORMAT_H
#define EXD_FORMAT_H

#include <jansson.h>

#include "expansiond/plugin.h"
#include "util.h"

/* New JSON object for o (caller owns the reference). */
json_t *format_opportunity_json(const exd_opportunity *o);
/* Append o to out in the given EXD_FMT_* format (JSON: one compact line
   without newline; CSV: one row without line end; CSV_HEADER: the header).
   Returns 0 or -EINVAL for an unknown format. */
int format_opportunity(const exd_opportunity *o, int fmt, sb *out);
/* Append s as a CSV field (quoted when needed, RFC 4180); text that starts
   with = + - @ TAB or CR gets a leading apostrophe so that spreadsheets do
   not run it as a formula. */
void format_csv_field(sb *out, const char *s);
/* JSON values for the output: null when absent; numbers rounded to
   `decimals`; dates as "YYYY-MM-DD". New references. */
json_t *format_json_num(double v, int decimals);
json_t *format_json_str(const char *s);
json_t *format_json_date(int32_t days);
/* Round to n decimals (for stable output). */
double format_round(double v, int decimals);

#endif
