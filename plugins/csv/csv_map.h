/*
 * Mapping CSV cells onto the account model (exd_record of plugin.h). Pure:
 * no I/O and no host calls; the plugin (csv.c) builds a csv_mapping from the
 * config and feeds it rows. csv_map.c holds the field tables and the row
 * mapping, csv_value.c the parsing of single values.
 *
 * Value rules (every field kind):
 *   - cells are trimmed of ASCII white space; an empty value is absent
 *     (the record keeps what record_init put there: NaN, EXD_DATE_NONE,
 *     NULL, 0), never zero;
 *   - a value comes from the field's column, else its join column, else its
 *     constant (the first that is not empty);
 *   - value aliases (case-insensitive) replace the whole value, or each item
 *     of a list, before it is parsed; an alias to "" makes the value absent;
 *   - numbers: optional sign, optional leading $, EUR or GBP sign, digits
 *     with optional thousands commas (groups of three), optional decimals
 *     and exponent; `scale` multiplies them; ranges are checked after that;
 *   - dates: the file's date_format (%Y %m %d %b %y %% and literal
 *     characters); a trailing time part ("T10:00:00", " 10:00") is ignored.
 */
#ifndef EXD_CSV_MAP_H
#define EXD_CSV_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "expansiond/plugin.h"

enum csv_kind {
  CSV_K_STR = 1,  /* const char * */
  CSV_K_NUM,      /* double; range when min < max */
  CSV_K_DATE,     /* int32_t days */
  CSV_K_MONTH,    /* int 1..12: a number or a month name */
  CSV_K_INT,      /* int in min..max */
  CSV_K_FRACTION, /* double 0..1; "45%" is 0.45 */
  CSV_K_STATUS,   /* int enum exd_opp_status: open, won, lost */
  CSV_K_PRICING,  /* int enum exd_pricing: per_seat, flat */
  CSV_K_ROLES,    /* unsigned enum exd_contact_role bits; a list */
  CSV_K_LIST      /* const char *const * at off, size_t count at off2 */
};

/* One model field a column can map onto. Static, never freed. */
typedef struct csv_field_def {
  const char *name;
  int kind;        /* enum csv_kind */
  size_t off;      /* offset of the value in exd_record */
  size_t off2;     /* CSV_K_LIST: offset of the item count */
  double min, max; /* CSV_K_NUM, CSV_K_INT: allowed range when min < max */
} csv_field_def;

/* Record type by config name ("account", ...); 0 when unknown. */
int csv_record_type(const char *name);
const char *csv_record_name(int type);
/* The field of a record type named name (synonyms such as `name` for
   account_name in account files resolve to the canonical field), or NULL. */
const csv_field_def *csv_field_find(int type, const char *name);
/* All fields of a type, canonical names only; *n gets the count. */
const csv_field_def *csv_fields(int type, size_t *n);
/* Writes "a, b, c" (the canonical field names of type) into buf. */
void csv_field_names(int type, char *buf, size_t size);

/*
 * The fields the core requires of a record type (record_check in
 * core/record.c), as groups of alternatives: a group is met when any one of
 * its fields has a value. given[i] tells whether field i of csv_fields(type)
 * has a source (a column, a join column or a constant). Writes the groups
 * not met into buf, joined by ", ", a group of alternatives as "a or b" /
 * "a, b or c" (e.g. "date, active_users or capacity_used"), and returns
 * their number (0: all met; buf then holds "").
 */
size_t csv_missing_required(int type, const unsigned char *given, char *buf,
                            size_t size);

/* ---- values ------------------------------------------------------------- */

/* Parse a number (rules above). 0, or -EINVAL (also for blank text). */
int csv_parse_number(const char *s, double *out);
/* Check a date format: 0, or -EINVAL with a reason in why. */
int csv_check_date_format(const char *fmt, char *why, size_t size);
/* Parse a date: 0, -EINVAL (does not match fmt), -ERANGE (no such day). */
int csv_parse_date(const char *s, const char *fmt, int32_t *days);
/* Month 1..12 from "3", "03", "mar", "March"; 0 when none. */
int csv_parse_month(const char *s);
/* Role bit from "champion", "Power User", "economic-buyer", ...; 0 when
   none. */
unsigned csv_parse_role(const char *s, size_t len);

/* ---- mappings ----------------------------------------------------------- */

typedef struct csv_alias {
  const char *from, *to; /* borrowed (config strings) */
} csv_alias;

/* Where one field's value comes from. Strings are borrowed from the config
   and must outlive the mapping. */
typedef struct csv_binding {
  const csv_field_def *def;
  const char *column;       /* header name, or NULL */
  int col;                  /* its index in the row, -1 until bound */
  int join;                 /* index of the join giving it, or -1 */
  const char *join_column;  /* column of the join's file */
  int join_col;             /* its index in the join row */
  const char *constant;     /* fallback value, or NULL */
  const csv_alias *aliases; /* borrowed array */
  size_t n_aliases;
  double scale; /* CSV_K_NUM: multiplier (1 = none) */
  int slot;     /* list fields: scratch slot, else -1 */
} csv_binding;

#define CSV_MAX_LIST_SLOTS 4

/* Per-row scratch for list fields; zero-initialise; csv_rowbuf_free. */
typedef struct csv_slot {
  char *text; /* copy of the cell, split in place */
  size_t cap;
  const char **items;
  size_t icap;
} csv_slot;
typedef struct csv_rowbuf {
  csv_slot slot[CSV_MAX_LIST_SLOTS];
} csv_rowbuf;
void csv_rowbuf_free(csv_rowbuf *b);

/* A file's mapping; the caller owns bindings (an array of n). */
typedef struct csv_mapping {
  int type; /* enum exd_record_type */
  csv_binding *bindings;
  size_t n;
  const char *date_format; /* borrowed */
  char list_sep;
  size_t n_joins;
  const int *join_on;            /* per join: the cell holding its key */
  const char *const *join_files; /* per join: file name, for messages */
} csv_mapping;

/* Why a row could not be mapped. */
typedef struct csv_map_error {
  int cell;      /* index of the row cell to point at, or -1 */
  char msg[320]; /* "column 'C' (field F): 'V' is not a number" */
} csv_map_error;

/*
 * Check that text (trimmed, not empty, aliases already applied) is a valid
 * value of def (list fields: every item). Returns 0, or -EINVAL and writes
 * "'TEXT' REASON" ("'x' is not a number", "'140%' is out of range (0..1,
 * or 0%..100%)", ...) into why. Used for constants and alias targets.
 */
int csv_value_check(const csv_field_def *def, const char *text, double scale,
                    const char *date_format, char list_sep, char *why,
                    size_t size);

/*
 * Fill rec (already set up by host->record_init with m->type) from one row.
 * cells: the row's fields (trimmed in place); join_rows[j]: the matched row
 * of join j or NULL. Strings in rec point into cells, join rows, the config
 * or buf, valid until the next call. Returns 0, or -EINVAL with *err set,
 * or -ENOMEM.
 */
int csv_map_row(const csv_mapping *m, char *const *cells,
                char *const *const *join_rows, exd_record *rec, csv_rowbuf *buf,
                csv_map_error *err);

/* Opportunity status from a stage label: "won"/"closed won" → won,
   "lost"/"closed lost" → lost, anything else → open, "" → unknown. */
int csv_status_from_stage(const char *stage);

/* Trim ASCII white space in place; returns the start. */
char *csv_trim(char *s);

/* ---- shared by csv_map.c and csv_value.c -------------------------------- */

/* Parse a scalar (not list) value of def and store it in rec when rec is
   not NULL. 0, or -EINVAL with "'TEXT' REASON" in why. */
int csv_scalar_value(const csv_field_def *def, const char *text, double scale,
                     const char *date_format, exd_record *rec, char *why,
                     size_t size);
/* "'ITEM' is not a role (...)" into why. */
void csv_role_why(char *why, size_t size, const char *s, size_t len);

#endif
