/* Generator set-up, identities (ids, names, domains), destiny, dates and
   text helpers; see sample_gen.h and sample_priv.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample_priv.h"

double sample__normal(uint64_t *s) {
  double a = u01(s), b = u01(s);
  if (a < 1e-300) a = 1e-300;
  return sqrt(-2.0 * log(a)) * cos(TWO_PI * b);
}

/* Independent stream `which` of account index. */
uint64_t sample__stream(const sample_gen *g, int64_t index, uint64_t which) {
  return mix64(g->seed_mix ^ ((uint64_t)index * 0xD1B54A32D192ED03ULL) ^
               (which * 0xA24BAED4963EE407ULL));
}

/* ---- dates (H. Hinnant's civil algorithms) ---- */

int32_t sample__ymd_days(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy =
      (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + (int)doe - 719468);
}

void sample__days_ymd(int32_t z0, int *y, int *m, int *d) {
  long z = (long)z0 + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)mm;
  *y = (int)((long)yoe + era * 400 + (mm <= 2));
}

/* ---- text ---- */

char *sample__put(char *p, const char *s) {
  while (*s)
    *p++ = *s++;
  *p = '\0';
  return p;
}

char *sample__put_u64(char *p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    *p++ = tmp[--n];
  *p = '\0';
  return p;
}

static char *put_lower(char *p, const char *s) {
  for (; *s; s++)
    if (*s != ' ' && *s != '\'') *p++ = (char)(*s | 0x20);
  *p = '\0';
  return p;
}

static const char base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void sample_sfid_suffix(const char body[15], char out[3]) {
  static const char map[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  for (int j = 0; j < 3; j++) {
    unsigned flags = 0;
    for (int k = 0; k < 5; k++) {
      char c = body[j * 5 + k];
      if (c >= 'A' && c <= 'Z') flags |= 1u << k;
    }
    out[j] = map[flags];
  }
}

void sample__make_id(const sample_gen *g, int64_t index, char id[19]) {
  uint64_t v = ((uint64_t)index * ID_MUL + g->id_off) % ID_SPACE;
  memcpy(id, "001", 3);
  id[3] = g->pod[0];
  id[4] = g->pod[1];
  id[5] = id[6] = '0';
  for (int k = 14; k >= 7; k--) {
    id[k] = base62[v % 62];
    v /= 62;
  }
  sample_sfid_suffix(id, id + 15);
  id[18] = '\0';
}

static int pick_cdf(const double *cdf, int n, double u) {
  for (int i = 0; i < n - 1; i++)
    if (u < cdf[i]) return i;
  return n - 1;
}

/* Industry and country of an account: the first draws of its ident stream,
   so a subsidiary can look up its parent's industry cheaply. */
void sample__ident_draws(const sample_gen *g, int64_t index, int *industry,
                         int *country) {
  uint64_t s = sample__stream(g, index, ST_IDENT);
  *industry = pick_cdf(g->industry_cdf, SAMPLE_N_INDUSTRIES, u01(&s));
  *country = pick_cdf(g->country_cdf, SAMPLE_N_COUNTRIES, u01(&s));
}

void sample__make_name(const sample_gen *g, int64_t index, int country,
                       char *name, char *domain) {
  uint64_t round = (uint64_t)index / NAME_COMBOS;
  uint64_t x =
      ((uint64_t)index % NAME_COMBOS * NAME_MUL + g->name_off) % NAME_COMBOS;
  const char *a = sample_name_a.v[x % sample_name_a.n];
  x /= sample_name_a.n;
  const char *b = sample_name_b.v[x % sample_name_b.n];
  x /= sample_name_b.n;
  const char *c = sample_name_c.v[x];
  const sample_country *k = &sample_countries[country];

  char *p = sample__put(name, a);
  *p++ = ' ';
  p = sample__put(p, b);
  *p++ = ' ';
  p = sample__put(p, c);
  if (round) {
    *p++ = ' ';
    p = sample__put_u64(p, round + 1);
  }
  *p++ = ' ';
  sample__put(p, k->legal_suffix);

  p = put_lower(domain, a);
  p = put_lower(p, b);
  p = put_lower(p, c);
  if (round) p = sample__put_u64(p, round + 1);
  sample__put(p, k->tld);
}

void sample_gen_identity(const sample_gen *g, int64_t index, char id[19],
                         char name[SAMPLE_NAME_MAX],
                         char domain[SAMPLE_NAME_MAX]) {
  int industry, country;
  sample__ident_draws(g, index, &industry, &country);
  sample__make_id(g, index, id);
  sample__make_name(g, index, country, name, domain);
}

double sample_gen_destiny(const sample_gen *g, int64_t index) {
  uint64_t s = sample__stream(g, index, ST_DESTINY);
  double u = u01(&s);
  if (u < 0.12) return 0.02 + 0.25 * u01(&s); /* at risk */
  if (u < 0.27) return 0.72 + 0.27 * u01(&s); /* expanding */
  return 0.25 + (u01(&s) + u01(&s) + u01(&s)) / 6.0;
}

/* ---- construction ---- */

sample_gen *sample_gen_new(const sample_params *p, sample_init_fn init) {
  sample_gen *g = calloc(1, sizeof(*g));
  if (!g) return NULL;
  g->p = *p;
  if (g->p.history_months < 1) g->p.history_months = 1;
  if (g->p.history_months > MONTHS_MAX) g->p.history_months = MONTHS_MAX;
  g->seed_mix = mix64(p->seed ^ 0x5851F42D4C957F2DULL);
  g->name_off = mix64(g->seed_mix + 1) % NAME_COMBOS;
  g->id_off = mix64(g->seed_mix + 2) % ID_SPACE;
  uint64_t pod = mix64(g->seed_mix + 3);
  g->pod[0] = base62[1 + pod % 9]; /* a digit 1-9, like real pods */
  g->pod[1] = base62[(pod >> 8) % 62];
  for (int t = 1; t < EXD_REC_TYPE_COUNT_; t++)
    init(&g->tmpl[t], (uint32_t)sizeof(exd_record), t);

  int y, m, d;
  sample__days_ymd(p->as_of, &y, &m, &d);
  for (int k = 0; k <= MONTHS_MAX; k++) {
    int mm = m - k, yy = y;
    while (mm < 1) {
      mm += 12;
      yy--;
    }
    g->month_start[k] = sample__ymd_days(yy, mm, 1);
  }

  double sum = 0, acc = 0;
  for (int i = 0; i < SAMPLE_N_INDUSTRIES; i++)
    sum += 1.0 / (i + 1);
  for (int i = 0; i < SAMPLE_N_INDUSTRIES; i++) {
    acc += 1.0 / (i + 1) / sum;
    g->industry_cdf[i] = acc;
  }
  acc = 0;
  for (int i = 0; i < SAMPLE_N_COUNTRIES; i++) {
    acc += sample_countries[i].share;
    g->country_cdf[i] = acc;
  }
  for (int i = 0; i < N_OWNERS; i++) {
    memcpy(g->owners[i], "Rep 00", 7);
    g->owners[i][4] = (char)('0' + (i + 1) / 10);
    g->owners[i][5] = (char)('0' + (i + 1) % 10);
  }
  return g;
}

void sample_gen_free(sample_gen *g) {
  free(g);
}

uint64_t sample_gen_rejected(const sample_gen *g) {
  return g->rejected;
}
