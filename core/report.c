/* Human and machine output of `run` and `account`; see report.h. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "format.h"

/* Display width of UTF-8 text (code points; good enough for names). */
static size_t text_width(const char *s) {
  size_t w = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) w++;
  return w;
}

/* A copy of s fit for a terminal: control characters become spaces and
   bidirectional-override / isolate marks are dropped, so a hostile name
   cannot rearrange or spoof the table. Caller frees. */
static char *clean(const char *s) {
  sb b = {0};
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p < 0x20 || *p == 0x7f) {
      sb_putc(&b, ' ');
    } else if (p[0] == 0xE2 && p[1] == 0x80 &&
               (p[2] == 0x8E || p[2] == 0x8F ||
                (p[2] >= 0xAA && p[2] <= 0xAE))) {
      p += 2; /* U+200E/F, U+202A..E */
    } else if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) {
      p += 2; /* U+2066..9 */
    } else {
      sb_putc(&b, (char)*p);
    }
  }
  return sb_steal(&b);
}

static void put_clean(FILE *out, const char *s) {
  char *c = clean(s);
  fputs(c, out);
  free(c);
}

static void pad(FILE *out, const char *s, size_t width) {
  fputs(s ? s : "", out);
  for (size_t w = text_width(s); w < width; w++)
    fputc(' ', out);
}

/* Cut s to at most width code points, with "..." when cut. */
static const char *cut(const char *s, size_t width, char *buf, size_t bufsz) {
  if (!s) return "";
  if (text_width(s) <= width) return s;
  size_t w = 0, i = 0;
  while (s[i] && w < width - 3 && i + 4 < bufsz) {
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
    w++;
  }
  memcpy(buf, s, i);
  memcpy(buf + i, "...", 4);
  return buf;
}

static void money(sb *b, double v, const char *cur) {
  fmt_money(b, v, cur);
}

void report_table(FILE *out, results *rs, size_t top, const char *title) {
  size_t n = rs->r->n < top ? rs->r->n : top;
  char b1[128];
  if (title) fprintf(out, "%s\n\n", title);
  if (n == 0) {
    fputs("No expansion opportunities found.\n", out);
    return;
  }
  /* Column widths from the rows shown. */
  size_t wa = 7, wt = 4, wp = 7, wu = 9;
  for (size_t i = 0; i < n; i++) {
    const exd_opportunity *o = results_get(rs, i);
    const char *cur = rs->m->currency;
    sb u = {0};
    money(&u, o->expected_uplift, cur);
    wa = EXD_MAX(wa, EXD_MIN(text_width(o->account_name), 28));
    wt = EXD_MAX(wt, text_width(o->type_name));
    wp = EXD_MAX(wp, EXD_MIN(text_width(o->product), 24));
    wu = EXD_MAX(wu, text_width(sb_str(&u)));
    sb_free(&u);
  }
  size_t wr = n >= 100 ? 4 : 3;
  fputs("RANK", out);
  for (size_t k = 4; k < wr + 1; k++)
    fputc(' ', out);
  fputs(" ", out);
  pad(out, "ACCOUNT", wa);
  fputs("  ", out);
  pad(out, "TYPE", wt);
  fputs("  ", out);
  pad(out, "PRODUCT", wp);
  fputs("  PROPENSITY  ", out);
  pad(out, "UPLIFT/YR", wu);
  fputs("  WINDOW\n", out);
  fputs("      TOP REASONS / NEXT ACTION\n", out);
  for (size_t i = 0; i < n; i++) {
    const exd_opportunity *o = results_get(rs, i);
    const char *cur = rs->m->currency;
    char d1[11], d2[11];
    sb u = {0};
    money(&u, o->expected_uplift, cur);
    fprintf(out, "%*u  ", (int)wr + 2, o->rank);
    char *name = clean(o->account_name), *product = clean(o->product);
    pad(out, cut(name, 28, b1, sizeof(b1)), wa);
    fputs("  ", out);
    pad(out, o->type_name, wt);
    fputs("  ", out);
    pad(out, cut(product, 24, b1, sizeof(b1)), wp);
    free(name);
    free(product);
    fprintf(out, "  %10.0f  ", o->propensity);
    for (size_t w = text_width(sb_str(&u)); w < wu; w++)
      fputc(' ', out);
    fputs(sb_str(&u), out);
    fprintf(out, "  %s..%s\n", date_format(o->window_start, d1),
            date_format(o->window_end, d2));
    /* Top reasons: the two strongest signals, else the strongest
       components. */
    int shown = 0;
    for (int pass = 0; pass < 2 && shown < 2; pass++)
      for (size_t k = 0; k < o->n_reasons && shown < 2; k++) {
        const exd_reason *r = &o->reasons[k];
        int is_comp = strcmp(r->code, "health") == 0 ||
                      strcmp(r->code, "usage") == 0 ||
                      strcmp(r->code, "engagement") == 0 ||
                      strcmp(r->code, "timing") == 0 ||
                      strcmp(r->code, "similar_customers") == 0 ||
                      strcmp(r->code, "weights_redistributed") == 0;
        if (is_comp != pass || fabs(r->weight) < 0.5) continue;
        fprintf(out, "      %s %+.0f: ", r->code, r->weight);
        put_clean(out, r->text);
        fputc('\n', out);
        shown++;
      }
    for (size_t k = 0; k < o->n_holds; k++) {
      fputs("      HOLD: ", out);
      put_clean(out, o->holds[k]);
      fputc('\n', out);
    }
    fputs("      -> ", out);
    put_clean(out, o->next_action);
    fputc('\n', out);
    sb_free(&u);
  }
}

void report_json(FILE *out, results *rs, size_t top) {
  size_t n = rs->r->n < top ? rs->r->n : top;
  fputs("[", out);
  for (size_t i = 0; i < n; i++) {
    json_t *j = format_opportunity_json(results_get(rs, i));
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(15));
    fprintf(out, "%s\n%s", i ? "," : "", s);
    free(s);
    json_decref(j);
  }
  fputs(n ? "\n]\n" : "]\n", out);
}

void report_csv(FILE *out, results *rs, size_t top) {
  size_t n = rs->r->n < top ? rs->r->n : top;
  fprintf(out, "%s\r\n", results_format(rs, 0, EXD_FMT_CSV_HEADER));
  for (size_t i = 0; i < n; i++)
    fprintf(out, "%s\r\n", results_format(rs, i, EXD_FMT_CSV));
}
