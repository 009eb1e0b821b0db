/* Civil date arithmetic; see date.h. Algorithms after H. Hinnant's
   days_from_civil / civil_from_days. */
#include "date.h"

#include <errno.h>
#include <time.h>

int32_t date_from_ymd(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy =
      (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t z0, int *y, int *m, int *d) {
  long z = (long)z0 + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long yy = (long)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
  const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(yy + (mm <= 2));
  *m = (int)mm;
  *d = (int)dd;
}

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

int date_valid_ymd(int y, int m, int d) {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= days_in_month(y, m);
}

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

int date_parse(const char *s, int32_t *out) {
  int y, m, d;
  if (!s || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
      s[7] != '-' || digits(s + 8, 2, &d))
    return -EINVAL;
  if (s[10] != '\0' && s[10] != 'T' && s[10] != ' ') return -EINVAL;
  if (!date_valid_ymd(y, m, d)) return -EINVAL;
  *out = date_from_ymd(y, m, d);
  return 0;
}

char *date_format(int32_t days, char buf[11]) {
  if (days == EXD_DATE_NONE) {
    buf[0] = '-';
    buf[1] = '\0';
    return buf;
  }
  int y, m, d;
  date_to_ymd(days, &y, &m, &d);
  unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 100u,
           dd = (unsigned)d % 100u;
  buf[0] = (char)('0' + yy / 1000);
  buf[1] = (char)('0' + yy / 100 % 10);
  buf[2] = (char)('0' + yy / 10 % 10);
  buf[3] = (char)('0' + yy % 10);
  buf[4] = '-';
  buf[5] = (char)('0' + mm / 10);
  buf[6] = (char)('0' + mm % 10);
  buf[7] = '-';
  buf[8] = (char)('0' + dd / 10);
  buf[9] = (char)('0' + dd % 10);
  buf[10] = '\0';
  return buf;
}

int32_t date_today(void) {
  return (int32_t)(time(NULL) / 86400);
}

int32_t date_add_months(int32_t days, int n) {
  int y, m, d;
  date_to_ymd(days, &y, &m, &d);
  int total = y * 12 + (m - 1) + n;
  y = total / 12;
  m = total % 12 + 1;
  int dim = days_in_month(y, m);
  if (d > dim) d = dim;
  return date_from_ymd(y, m, d);
}

int32_t date_month_start(int32_t days) {
  int y, m, d;
  date_to_ymd(days, &y, &m, &d);
  return date_from_ymd(y, m, 1);
}

int date_month(int32_t days) {
  int y, m, d;
  date_to_ymd(days, &y, &m, &d);
  return m;
}
