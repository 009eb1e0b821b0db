/*
 * Civil dates as days since 1970-01-01 (the exd date type of plugin.h).
 * Pure functions; proleptic Gregorian calendar.
 */
#ifndef EXD_DATE_H
#define EXD_DATE_H

#include <stdint.h>

#include "expansiond/plugin.h"

int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* Strict YYYY-MM-DD (also accepts a trailing "T..." time part, ignored).
   Returns 0 or -EINVAL. */
int date_parse(const char *s, int32_t *out);
/* Writes "YYYY-MM-DD" (or "-" for EXD_DATE_NONE) into buf[11]. */
char *date_format(int32_t days, char buf[11]);
/* Today in UTC. */
int32_t date_today(void);
/* Add n months, clamping the day to the month's length. */
int32_t date_add_months(int32_t days, int n);
/* First day of the month containing days. */
int32_t date_month_start(int32_t days);
int date_month(int32_t days);
int date_valid_ymd(int y, int m, int d);

#endif
