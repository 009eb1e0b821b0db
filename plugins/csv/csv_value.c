/* Parsing cell text into typed values; see csv_map.h. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_map.h"

#define EXD_ARRAY_N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- small text helpers ------------------------------------------------- */

static int is_space(int c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
         c == '\f';
}

static int is_digit(int c) {
  return c >= '0' && c <= '9';
}

static int is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char *csv_trim(char *s) {
  while (is_space((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && is_space((unsigned char)s[n - 1]))
    n--;
  if (s[n]) s[n] = '\0';
  return s;
}

/* "'VALUE'" for messages: at most ~60 bytes (cut on a character boundary,
   then "..."), control characters escaped. */
static void quote_value(char *out, size_t size, const char *s, size_t len) {
  size_t o = 0, max = 60;
  if (size < 8) {
    if (size) out[0] = '\0';
    return;
  }
  out[o++] = '\'';
  size_t i;
  for (i = 0; i < len && o + 6 < size; i++) {
    unsigned char c = (unsigned char)s[i];
    if (i >= max && (c & 0xC0) != 0x80) break;
    if (c < 0x20 || c == 0x7F)
      o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    else
      out[o++] = (char)c;
  }
  if (i < len && o + 5 < size) {
    memcpy(out + o, "...", 3);
    o += 3;
  }
  out[o++] = '\'';
  out[o] = '\0';
}

static void whyf(char *why, size_t size, const char *v, size_t len,
                 const char *fmt, ...) EXD_PRINTF(5, 6);
static void whyf(char *why, size_t size, const char *v, size_t len,
                 const char *fmt, ...) {
  char q[96];
  va_list ap;
  quote_value(q, sizeof(q), v, len);
  int k = snprintf(why, size, "%s ", q);
  if (k < 0 || (size_t)k >= size) return;
  va_start(ap, fmt);
  vsnprintf(why + k, size - (size_t)k, fmt, ap);
  va_end(ap);
}

/* ---- numbers ------------------------------------------------------------ */

int csv_parse_number(const char *s, double *out) {
  const unsigned char *p = (const unsigned char *)s;
  char tmp[72];
  size_t n = 0, digits = 0, group = 0, frac = 0;
  int sign = 0, commas = 0;
#define EMIT(c)                                                                \
  do {                                                                         \
    if (n + 2 >= sizeof(tmp)) return -EINVAL;                                  \
    tmp[n++] = (char)(c);                                                      \
  } while (0)
  while (is_space(*p))
    p++;
  if (*p == '+' || *p == '-') {
    EMIT(*p++);
    sign = 1;
  }
  if (*p == '$')
    p++;
  else if (p[0] == 0xE2 && p[1] == 0x82 && p[2] == 0xAC) /* EUR */
    p += 3;
  else if (p[0] == 0xC2 && p[1] == 0xA3) /* GBP */
    p += 2;
  if (!sign && (*p == '+' || *p == '-')) EMIT(*p++);
  for (; is_digit(*p) || *p == ','; p++) {
    if (*p == ',') {
      /* First group 1..3 digits, every later group exactly 3. */
      if (group == 0 || group > 3 || (commas && group != 3)) return -EINVAL;
      commas = 1;
      group = 0;
      continue;
    }
    EMIT(*p);
    digits++;
    group++;
  }
  if (commas && group != 3) return -EINVAL;
  if (*p == '.') {
    EMIT('.');
    for (p++; is_digit(*p); p++, frac++)
      EMIT(*p);
  }
  if (digits + frac == 0) return -EINVAL;
  if (*p == 'e' || *p == 'E') {
    EMIT('e');
    p++;
    if (*p == '+' || *p == '-') EMIT(*p++);
    if (!is_digit(*p)) return -EINVAL;
    for (; is_digit(*p); p++)
      EMIT(*p);
  }
#undef EMIT
  while (is_space(*p))
    p++;
  if (*p) return -EINVAL;
  tmp[n] = '\0';
  double v = strtod(tmp, NULL);
  if (!isfinite(v)) return -EINVAL;
  *out = v;
  return 0;
}

/* ---- dates -------------------------------------------------------------- */

static const char *const month_names[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/* Month 1..12 from a name (full, 3 letters, or "sept"), 0 when none. */
static int month_from_name(const char *s, size_t n) {
  for (int m = 0; m < 12; m++) {
    size_t full = strlen(month_names[m]);
    if ((n == full || n == 3 || (m == 8 && n == 4)) &&
        strncasecmp(s, month_names[m], n) == 0)
      return m + 1;
  }
  return 0;
}

int csv_parse_month(const char *s) {
  size_t n = strlen(s);
  if (n >= 1 && n <= 2 && is_digit((unsigned char)s[0]) &&
      (n == 1 || is_digit((unsigned char)s[1]))) {
    int m = atoi(s);
    return m >= 1 && m <= 12 ? m : 0;
  }
  return month_from_name(s, n);
}

static int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy =
      (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

static int valid_ymd(int y, int m, int d) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= dm[m - 1] + (m == 2 && leap);
}

int csv_check_date_format(const char *fmt, char *why, size_t size) {
  int y = 0, m = 0, d = 0;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') continue;
    switch (*++f) {
    case 'Y':
    case 'y': y++; break;
    case 'm':
    case 'b':
    case 'B': m++; break;
    case 'd': d++; break;
    case '%': break;
    case '\0':
      snprintf(why, size, "the format ends with a lone '%%'");
      return -EINVAL;
    default:
      snprintf(why, size,
               "unknown conversion '%%%c' (use %%Y %%y %%m %%b %%d %%%%)", *f);
      return -EINVAL;
    }
  }
  if (y != 1 || m != 1 || d != 1) {
    snprintf(why, size,
             "the format needs one year (%%Y or %%y), one month (%%m or %%b) "
             "and one day (%%d)");
    return -EINVAL;
  }
  return 0;
}

/* 1..max digits at *p; advances. -1 when there are none. */
static int read_digits(const char **p, int min, int max) {
  int v = 0, n = 0;
  while (n < max && is_digit((unsigned char)**p)) {
    v = v * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  return n >= min ? v : -1;
}

int csv_parse_date(const char *s, const char *fmt, int32_t *days) {
  int y = -1, m = -1, d = -1;
  const char *p = s;
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      if (*p != *f) return -EINVAL;
      p++;
      continue;
    }
    switch (*++f) {
    case 'Y': y = read_digits(&p, 4, 4); break;
    case 'y':
      y = read_digits(&p, 2, 2);
      if (y >= 0) y += y < 69 ? 2000 : 1900;
      break;
    case 'm': m = read_digits(&p, 1, 2); break;
    case 'd': d = read_digits(&p, 1, 2); break;
    case 'b':
    case 'B': {
      const char *start = p;
      while (is_alpha((unsigned char)*p))
        p++;
      m = month_from_name(start, (size_t)(p - start));
      if (m == 0) return -EINVAL;
      break;
    }
    case '%':
      if (*p++ != '%') return -EINVAL;
      break;
    default: return -EINVAL;
    }
    if (y == -1 && (f[0] == 'Y' || f[0] == 'y')) return -EINVAL;
    if (m == -1 && f[0] == 'm') return -EINVAL;
    if (d == -1 && f[0] == 'd') return -EINVAL;
  }
  /* A time part after the date is ignored. */
  if (*p && !((*p == 'T' || *p == ' ') && is_digit((unsigned char)p[1])))
    return -EINVAL;
  if (y < 0 || m < 0 || d < 0) return -EINVAL;
  if (!valid_ymd(y, m, d)) return -ERANGE;
  *days = days_from_civil(y, m, d);
  return 0;
}

/* ---- enumerations ------------------------------------------------------- */

/* Lower-case s[0..n) into buf with ' ' and '-' as '_'; 0 if too long. */
static int norm_word(const char *s, size_t n, char *buf, size_t size) {
  if (n >= size) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c == ' ' || c == '-') c = '_';
    buf[i] = c;
  }
  buf[n] = '\0';
  return 1;
}

unsigned csv_parse_role(const char *s, size_t len) {
  static const struct {
    const char *name;
    unsigned bit;
  } roles[] = {{"champion", EXD_ROLE_CHAMPION},
               {"power_user", EXD_ROLE_POWER_USER},
               {"economic_buyer", EXD_ROLE_ECONOMIC_BUYER},
               {"executive", EXD_ROLE_EXECUTIVE},
               {"admin", EXD_ROLE_ADMIN}};
  char w[32];
  if (!norm_word(s, len, w, sizeof(w))) return 0;
  for (size_t i = 0; i < EXD_ARRAY_N(roles); i++)
    if (strcmp(w, roles[i].name) == 0) return roles[i].bit;
  return 0;
}

static int parse_status(const char *s) {
  if (strcasecmp(s, "open") == 0) return EXD_OPP_OPEN;
  if (strcasecmp(s, "won") == 0) return EXD_OPP_WON;
  if (strcasecmp(s, "lost") == 0) return EXD_OPP_LOST;
  return EXD_OPP_UNKNOWN;
}

static int parse_pricing(const char *s) {
  char w[16];
  if (!norm_word(s, strlen(s), w, sizeof(w))) return EXD_PRICE_UNKNOWN;
  if (strcmp(w, "per_seat") == 0) return EXD_PRICE_PER_SEAT;
  if (strcmp(w, "flat") == 0) return EXD_PRICE_FLAT;
  return EXD_PRICE_UNKNOWN;
}

int csv_status_from_stage(const char *stage) {
  char w[32];
  if (!stage || !*stage) return EXD_OPP_UNKNOWN;
  if (norm_word(stage, strlen(stage), w, sizeof(w))) {
    if (strcmp(w, "won") == 0 || strcmp(w, "closed_won") == 0)
      return EXD_OPP_WON;
    if (strcmp(w, "lost") == 0 || strcmp(w, "closed_lost") == 0)
      return EXD_OPP_LOST;
  }
  return EXD_OPP_OPEN;
}

/* ---- values ------------------------------------------------------------- */

static void set_double(exd_record *rec, size_t off, double v) {
  memcpy((char *)rec + off, &v, sizeof(v));
}
static void set_int(exd_record *rec, size_t off, int v) {
  memcpy((char *)rec + off, &v, sizeof(v));
}
static void set_date(exd_record *rec, size_t off, int32_t v) {
  memcpy((char *)rec + off, &v, sizeof(v));
}
static void set_str(exd_record *rec, size_t off, const char *v) {
  memcpy((char *)rec + off, &v, sizeof(v));
}

static int range_ok(const csv_field_def *def, double v) {
  return !(def->min < def->max) || (v >= def->min && v <= def->max);
}

static void range_why(const csv_field_def *def, const char *text, char *why,
                      size_t size) {
  if (isinf(def->max))
    whyf(why, size, text, strlen(text), "is negative");
  else
    whyf(why, size, text, strlen(text), "is out of range (%g..%g)", def->min,
         def->max);
}

/* Parse a scalar (non-list) value and store it in rec when rec != NULL. */
int csv_scalar_value(const csv_field_def *def, const char *text, double scale,
                     const char *date_format, exd_record *rec, char *why,
                     size_t size) {
  size_t len = strlen(text);
  double v;
  int32_t day;
  int i, rc;
  switch (def->kind) {
  case CSV_K_STR:
    if (rec) set_str(rec, def->off, text);
    return 0;
  case CSV_K_NUM:
    if (csv_parse_number(text, &v)) {
      whyf(why, size, text, len, "is not a number");
      return -EINVAL;
    }
    v *= scale;
    if (!range_ok(def, v)) {
      range_why(def, text, why, size);
      return -EINVAL;
    }
    if (rec) set_double(rec, def->off, v);
    return 0;
  case CSV_K_FRACTION: {
    char tmp[72];
    int pct = len > 0 && text[len - 1] == '%';
    if (pct && len < sizeof(tmp)) {
      memcpy(tmp, text, len - 1);
      tmp[len - 1] = '\0';
    }
    if ((pct && len >= sizeof(tmp)) || csv_parse_number(pct ? tmp : text, &v)) {
      whyf(why, size, text, len, "is not a number or percentage");
      return -EINVAL;
    }
    if (pct) v /= 100;
    if (!(v >= 0 && v <= 1)) {
      whyf(why, size, text, len, "is out of range (0..1, or 0%%..100%%)");
      return -EINVAL;
    }
    if (rec) set_double(rec, def->off, v);
    return 0;
  }
  case CSV_K_DATE:
    rc = csv_parse_date(text, date_format, &day);
    if (rc == -ERANGE) {
      whyf(why, size, text, len, "is not a valid date");
      return -EINVAL;
    }
    if (rc) {
      whyf(why, size, text, len, "does not match the date format '%s'",
           date_format);
      return -EINVAL;
    }
    if (rec) set_date(rec, def->off, day);
    return 0;
  case CSV_K_MONTH:
    i = csv_parse_month(text);
    if (!i) {
      whyf(why, size, text, len, "is not a month (1-12 or a month name)");
      return -EINVAL;
    }
    if (rec) set_int(rec, def->off, i);
    return 0;
  case CSV_K_INT: {
    char *end;
    long l = strtol(text, &end, 10);
    if (end == text || *end || !is_digit((unsigned char)text[len - 1])) {
      whyf(why, size, text, len, "is not a whole number");
      return -EINVAL;
    }
    if (!range_ok(def, (double)l)) {
      range_why(def, text, why, size);
      return -EINVAL;
    }
    if (rec) set_int(rec, def->off, (int)l);
    return 0;
  }
  case CSV_K_STATUS:
    i = parse_status(text);
    if (!i) {
      whyf(why, size, text, len, "is not a status (open, won or lost)");
      return -EINVAL;
    }
    if (rec) set_int(rec, def->off, i);
    return 0;
  case CSV_K_PRICING:
    i = parse_pricing(text);
    if (!i) {
      whyf(why, size, text, len, "is not a pricing (per_seat or flat)");
      return -EINVAL;
    }
    if (rec) set_int(rec, def->off, i);
    return 0;
  default: break;
  }
  whyf(why, size, text, len, "cannot be parsed");
  return -EINVAL;
}

void csv_role_why(char *why, size_t size, const char *s, size_t len) {
  whyf(why, size, s, len,
       "is not a role (champion, power_user, economic_buyer, executive or "
       "admin)");
}

int csv_value_check(const csv_field_def *def, const char *text, double scale,
                    const char *date_format, char list_sep, char *why,
                    size_t size) {
  if (def->kind == CSV_K_LIST) return 0;
  if (def->kind != CSV_K_ROLES)
    return csv_scalar_value(def, text, scale, date_format, NULL, why, size);
  /* Roles: every non-empty item. */
  const char *p = text;
  for (;;) {
    const char *e = list_sep ? strchr(p, list_sep) : NULL;
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const char *a = p;
    while (n && is_space((unsigned char)*a))
      a++, n--;
    while (n && is_space((unsigned char)a[n - 1]))
      n--;
    if (n && !csv_parse_role(a, n)) {
      csv_role_why(why, size, a, n);
      return -EINVAL;
    }
    if (!e) return 0;
    p = e + 1;
  }
}
