/* Output schema of ranked opportunities; see format.h. */
#include "format.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "date.h"

double format_round(double v, int decimals) {
  double f = pow(10.0, decimals);
  return round(v * f) / f;
}

json_t *format_json_date(int32_t d) {
  char buf[11];
  return d == EXD_DATE_NONE ? json_null() : json_string(date_format(d, buf));
}

json_t *format_json_num(double v, int decimals) {
  return EXD_IS_NONE(v) ? json_null() : json_real(format_round(v, decimals));
}

json_t *format_json_str(const char *s) {
  return s ? json_string(s) : json_null();
}

json_t *format_opportunity_json(const exd_opportunity *o) {
  json_t *j = json_object();
  json_object_set_new(j, "rank", json_integer(o->rank));
  json_object_set_new(j, "key", format_json_str(o->key));
  json_object_set_new(j, "account", format_json_str(o->account_name));
  json_object_set_new(j, "account_id", format_json_str(o->account_id));
  json_object_set_new(j, "type", format_json_str(o->type_name));
  json_object_set_new(j, "product", format_json_str(o->product));
  json_object_set_new(j, "propensity", format_json_num(o->propensity, 1));
  json_object_set_new(j, "expected_uplift",
                      format_json_num(o->expected_uplift, 2));
  json_object_set_new(j, "expected_value",
                      format_json_num(o->expected_value, 2));
  json_t *w = json_object();
  json_object_set_new(w, "start", format_json_date(o->window_start));
  json_object_set_new(w, "end", format_json_date(o->window_end));
  json_object_set_new(j, "window", w);
  json_t *holds = json_array();
  for (size_t i = 0; i < o->n_holds; i++)
    json_array_append_new(holds, format_json_str(o->holds[i]));
  json_object_set_new(j, "hold", holds);
  json_t *rs = json_array();
  for (size_t i = 0; i < o->n_reasons; i++) {
    json_t *r = json_object();
    json_object_set_new(r, "code", format_json_str(o->reasons[i].code));
    json_object_set_new(r, "text", format_json_str(o->reasons[i].text));
    json_object_set_new(r, "weight", format_json_num(o->reasons[i].weight, 1));
    json_array_append_new(rs, r);
  }
  json_object_set_new(j, "reasons", rs);
  json_t *bc = json_object();
  json_object_set_new(bc, "current_arr", format_json_num(o->current_arr, 2));
  json_object_set_new(bc, "uplift", format_json_num(o->expected_uplift, 2));
  json_object_set_new(bc, "roi", format_json_str(o->roi));
  json_t *obs = json_array();
  for (size_t i = 0; i < o->n_objections; i++) {
    json_t *ob = json_object();
    json_object_set_new(ob, "objection",
                        format_json_str(o->objections[i].objection));
    json_object_set_new(ob, "response",
                        format_json_str(o->objections[i].response));
    json_array_append_new(obs, ob);
  }
  json_object_set_new(bc, "objections", obs);
  json_object_set_new(bc, "entry_point", format_json_str(o->entry_point));
  json_object_set_new(j, "business_case", bc);
  json_object_set_new(j, "next_action", format_json_str(o->next_action));
  return j;
}

void format_csv_field(sb *out, const char *s) {
  if (!s) return;
  /* A text starting like a formula would run as one in a spreadsheet
     (CSV injection): prefix it with an apostrophe. */
  int formula = *s == '=' || *s == '+' || *s == '-' || *s == '@' ||
                *s == '\t' || *s == '\r';
  if (!formula && !strpbrk(s, ",\"\r\n")) {
    sb_put(out, s);
    return;
  }
  sb_putc(out, '"');
  if (formula) sb_putc(out, '\'');
  for (const char *p = s; *p; p++) {
    if (*p == '"') sb_putc(out, '"');
    sb_putc(out, *p);
  }
  sb_putc(out, '"');
}

static void csv_num(sb *out, double v, int decimals) {
  if (!EXD_IS_NONE(v))
    sb_printf(out, "%.*f", decimals, format_round(v, decimals));
}

static const char csv_header[] =
    "rank,account,account_id,type,product,propensity,expected_uplift,"
    "expected_value,window_start,window_end,hold,reasons,current_arr,roi,"
    "objections,entry_point,next_action,key";

int format_opportunity(const exd_opportunity *o, int fmt, sb *out) {
  char d1[11], d2[11];
  switch (fmt) {
  case EXD_FMT_JSON: {
    json_t *j = format_opportunity_json(o);
    char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                JSON_REAL_PRECISION(15));
    sb_put(out, s);
    free(s);
    json_decref(j);
    return 0;
  }
  case EXD_FMT_CSV_HEADER: sb_put(out, csv_header); return 0;
  case EXD_FMT_CSV: {
    sb tmp = {0};
    sb_printf(out, "%u,", o->rank);
    format_csv_field(out, o->account_name);
    sb_putc(out, ',');
    format_csv_field(out, o->account_id);
    sb_putc(out, ',');
    format_csv_field(out, o->type_name);
    sb_putc(out, ',');
    format_csv_field(out, o->product);
    sb_putc(out, ',');
    csv_num(out, o->propensity, 1);
    sb_putc(out, ',');
    csv_num(out, o->expected_uplift, 2);
    sb_putc(out, ',');
    csv_num(out, o->expected_value, 2);
    sb_putc(out, ',');
    if (o->window_start != EXD_DATE_NONE)
      sb_put(out, date_format(o->window_start, d1));
    sb_putc(out, ',');
    if (o->window_end != EXD_DATE_NONE)
      sb_put(out, date_format(o->window_end, d2));
    sb_putc(out, ',');
    for (size_t i = 0; i < o->n_holds; i++) {
      if (i) sb_put(&tmp, " | ");
      sb_put(&tmp, o->holds[i]);
    }
    format_csv_field(out, sb_str(&tmp));
    sb_putc(out, ',');
    sb_reset(&tmp);
    for (size_t i = 0; i < o->n_reasons; i++) {
      if (i) sb_put(&tmp, " | ");
      sb_printf(&tmp, "%s (%+.1f): %s", o->reasons[i].code,
                format_round(o->reasons[i].weight, 1), o->reasons[i].text);
    }
    format_csv_field(out, sb_str(&tmp));
    sb_putc(out, ',');
    csv_num(out, o->current_arr, 2);
    sb_putc(out, ',');
    format_csv_field(out, o->roi);
    sb_putc(out, ',');
    sb_reset(&tmp);
    for (size_t i = 0; i < o->n_objections; i++) {
      if (i) sb_put(&tmp, " | ");
      sb_printf(&tmp, "%s -> %s", o->objections[i].objection,
                o->objections[i].response);
    }
    format_csv_field(out, sb_str(&tmp));
    sb_putc(out, ',');
    format_csv_field(out, o->entry_point);
    sb_putc(out, ',');
    format_csv_field(out, o->next_action);
    sb_putc(out, ',');
    format_csv_field(out, o->key);
    sb_free(&tmp);
    return 0;
  }
  default: return -EINVAL;
  }
}
