/*
 * Records plugins emit (exd_record, plugin.h): initialisation to "all
 * absent" and validation. Pure functions.
 */
#ifndef EXD_RECORD_H
#define EXD_RECORD_H

#include "expansiond/plugin.h"
#include "util.h"

/* Set every field of rec to absent (NaN, EXD_DATE_NONE, NULL) and set
   struct_size and type. Only the first size bytes of rec are written. */
void record_init(exd_record *rec, uint32_t size, int type);

/* Name of a record type ("account", "opportunity", ...), or NULL. */
const char *record_type_name(int type);

/*
 * Copy rec into *out, normalising the struct size: a smaller struct from an
 * older plugin gets the remaining fields set absent. Then check it: type,
 * required fields, ranges, UTF-8, dates. Returns 0, or EXD_EDATA with a
 * reason ("opportunity.amount: -5 is negative") appended to why. Strings in
 * *out still point into rec.
 */
int record_check(const exd_record *rec, exd_record *out, sb *why);

#endif
