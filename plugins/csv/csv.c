/*
 * csv: a source plugin reading a user's CSV exports (CRM, CS platform, ...)
 * into the account model. Each configured file maps its columns onto the
 * fields of one record type; joins take more fields from lookup files.
 *
 * Collect reads one file after another in slices of CSV_SLICE rows, each
 * slice on its own loop iteration (host->defer), so a big export does not
 * hold up the other plugins on the loop. Bad rows are reported with
 * host->data_error at FILE:LINE:COL and skipped; a file that cannot be read
 * or whose header lacks a mapped column is reported and skipped; the other
 * files still load. collect_done gets 0, or the first failed file's code.
 *
 * Header names are matched exactly, else case-insensitively after trimming;
 * when a name appears twice the first column is used. Records are emitted in
 * file order, each with origin "PATH:LINE" (PATH as configured, LINE the
 * physical line the row starts on); a won opportunity with owned_from_won
 * is followed by its product record, same origin. Rows whose key fields are
 * all empty are emitted too: the core counts and reports them.
 *
 * Each file ends with the info line "PATH: N rows, M records, K rejected":
 * N rows read after the header, M records the core accepted, K rows the
 * plugin rejected (data_error) plus records the core rejected (emit < 0).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_plugin.h"

#define CSV_SLICE 20000 /* rows per loop iteration */

static const char *const record_names[] = {
    "account",    "product", "health",  "usage",       "feature",   "contact",
    "escalation", "intent",  "trigger", "opportunity", "catalogue", NULL};

static const exd_config_key join_keys[] = {
    {"file", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "lookup CSV file, relative to dir", NULL, 0, 0, 0, NULL},
    {"on", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "column of this file holding the lookup key", NULL, 0, 0, 0, NULL},
    {"key", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "column of the lookup file matched (exactly) against `on`", NULL, 0, 0, 0,
     NULL},
    {"columns", EXD_CFG_MAP, EXD_CFG_REQUIRED, NULL,
     "model field: column of the lookup file to take it from", NULL,
     EXD_CFG_STRING, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

static const exd_config_key file_keys[] = {
    {"path", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "CSV file, relative to dir; also the FILE of every message about it", NULL,
     0, 0, 0, NULL},
    {"record", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "what each row is: account, product, health, usage, feature, contact, "
     "escalation, intent, trigger, opportunity or catalogue",
     NULL, 0, 0, 0, record_names},
    {"columns", EXD_CFG_MAP, EXD_CFG_REQUIRED, NULL,
     "model field: CSV header name", NULL, EXD_CFG_STRING, 0, 0, NULL},
    {"values", EXD_CFG_MAP, 0, NULL,
     "value aliases per model field, {field: {as found: as meant}}; "
     "case-insensitive",
     NULL, EXD_CFG_MAP, 0, 0, NULL},
    {"scale", EXD_CFG_MAP, 0, NULL,
     "multiply a number field, {field: factor} (e.g. revenue in millions)",
     NULL, EXD_CFG_DOUBLE, 0, 0, NULL},
    {"constants", EXD_CFG_MAP, 0, NULL,
     "fixed values, {field: value}, used where no column gives one", NULL,
     EXD_CFG_STRING, 0, 0, NULL},
    {"date_format", EXD_CFG_STRING, 0, "%Y-%m-%d",
     "how dates are written: %Y %y %m %b %d and literal characters; a time "
     "part after the date is ignored",
     NULL, 0, 0, 0, NULL},
    {"owned_from_won", EXD_CFG_BOOL, 0, "false",
     "opportunity files: a won deal also adds the product to those the "
     "account owns",
     NULL, 0, 0, 0, NULL},
    {"join", EXD_CFG_LIST, 0, NULL,
     "take more fields from another CSV file by a key column", join_keys,
     EXD_CFG_MAP, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

static const exd_config_key csv_keys[] = {
    {"dir", EXD_CFG_PATH, 0, ".",
     "directory the file paths are relative to (default: the config file's)",
     NULL, 0, 0, 0, NULL},
    {"delimiter", EXD_CFG_STRING, 0, ",",
     "field delimiter: one character, or \"tab\"", NULL, 0, 0, 0, NULL},
    {"list_separator", EXD_CFG_STRING, 0, ";",
     "separator inside multi-valued fields (roles, topics, aliases)", NULL, 0,
     0, 0, NULL},
    {"files", EXD_CFG_LIST, EXD_CFG_REQUIRED, NULL,
     "the CSV files to read, each mapped onto one record type", file_keys,
     EXD_CFG_MAP, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

/* ---- reading files ------------------------------------------------------ */

/* Whole file into *out (NUL-terminated, malloc'd). 0 or -errno. */
static int slurp(const char *path, char **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  size_t cap = 0, n = 0;
  char *buf = NULL;
  int rc = 0;
  size_t want = 65536;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    want = (size_t)st.st_size + 2; /* room to see EOF without growing */
  for (;;) {
    if (n + 1 >= cap) {
      cap = cap ? cap * 2 : want;
      char *b = realloc(buf, cap);
      if (!b) {
        rc = -ENOMEM;
        break;
      }
      buf = b;
    }
    ssize_t k = read(fd, buf + n, cap - n - 1);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      rc = -errno;
      break;
    }
    if (k == 0) break;
    n += (size_t)k;
  }
  close(fd);
  if (rc) {
    free(buf);
    return rc;
  }
  if (!buf && !(buf = malloc(1))) return -ENOMEM;
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return 0;
}

/* Report a file that cannot be read, at the config node naming it. */
static int open_failed(csv_state *s, const exd_node *node, const char *full,
                       int rc) {
  const char *what = rc == -EISDIR ? "read" : "open";
  s->host->data_error(s->c, s->host->node_where(node), "cannot %s '%s': %s",
                      what, full, strerror(-rc));
  return rc;
}

/* Index of a header column: exact, else case-insensitive and trimmed. */
static int header_find(const csv_row *hdr, const char *name) {
  for (size_t i = 0; i < hdr->n; i++)
    if (strcmp(hdr->fields[i].s, name) == 0) return (int)i;
  size_t nl = strlen(name);
  for (size_t i = 0; i < hdr->n; i++) {
    const char *h = hdr->fields[i].s;
    size_t hl = hdr->fields[i].len;
    while (hl && (*h == ' ' || *h == '\t'))
      h++, hl--;
    while (hl && (h[hl - 1] == ' ' || h[hl - 1] == '\t'))
      hl--;
    if (hl == nl && strncasecmp(h, name, nl) == 0) return (int)i;
  }
  return -1;
}

/* Append "'col' (what)" to the missing list in msg. */
static void add_missing(char *msg, size_t size, size_t *n, const char *col,
                        const char *what) {
  size_t len = strlen(msg);
  snprintf(msg + len, size - len, "%s'%s' (%s)", *n ? ", " : "", col, what);
  (*n)++;
}

/* "missing column 'a' (field x)[, ...]; the header has: h1, h2" → data_error
   at FILE:LINE:1. Returns EXD_EDATA, or 0 when nothing is missing. */
static int report_missing(csv_state *s, const char *file, unsigned long line,
                          const csv_row *hdr, const char *list, size_t n) {
  if (!n) return 0;
  size_t size = 256 + strlen(list);
  for (size_t i = 0; i < hdr->n; i++)
    size += hdr->fields[i].len + 2;
  char *found = malloc(size);
  if (!found) return -ENOMEM;
  size_t len = 0;
  found[0] = '\0';
  for (size_t i = 0; i < hdr->n; i++)
    len += (size_t)snprintf(found + len, size - len, "%s%s", i ? ", " : "",
                            hdr->fields[i].s);
  char where[64 + 4096];
  snprintf(where, sizeof(where), "%s:%lu:1", file, line);
  s->host->data_error(s->c, where, "missing column%s %s; the header has: %s",
                      n > 1 ? "s" : "", list, found);
  free(found);
  return EXD_EDATA;
}

/* Read the header of an open reader. 0, or a failure already reported. */
static int read_header(csv_state *s, csv_reader *rd, const char *file,
                       csv_row *hdr) {
  csv_error err;
  char where[4200];
  int rc = csv_next(rd, hdr, &err);
  if (rc == CSV_ROW) return 0;
  if (rc == CSV_END) {
    snprintf(where, sizeof(where), "%s:1:1", file);
    s->host->data_error(s->c, where, "empty file: a header row is required");
    return EXD_EDATA;
  }
  if (rc == CSV_BAD) {
    snprintf(where, sizeof(where), "%s:%lu:%lu", file, err.line, err.col);
    s->host->data_error(s->c, where, "%s (in the header row)", err.msg);
    return EXD_EDATA;
  }
  return rc;
}

/* Load join j's lookup file into its table. */
static int load_join(csv_state *s, csv_join_cfg *jc) {
  const exd_host_api *h = s->host;
  char *data = NULL;
  size_t len = 0;
  csv_reader rd;
  csv_row row;
  csv_error err;
  char where[4200], missing[2048] = "";
  size_t n_missing = 0, dups = 0;
  int *idx = NULL;
  const char **vals = NULL;
  int rc = slurp(jc->full, &data, &len);
  if (rc) return open_failed(s, jc->file_node, jc->full, rc);
  csv_lookup_free(&jc->lk);
  jc->unmatched = 0;
  csv_reader_init(&rd, data, len, s->delim);
  if ((rc = read_header(s, &rd, jc->file, &row))) goto out;
  unsigned long hline = row.line;
  int key = header_find(&row, jc->key);
  if (key < 0)
    add_missing(missing, sizeof(missing), &n_missing, jc->key, "join key");
  idx = calloc(jc->n_cols + 1, sizeof(*idx));
  vals = calloc(jc->n_cols + 1, sizeof(*vals));
  if (!idx || !vals || (rc = csv_lookup_init(&jc->lk, jc->n_cols))) {
    rc = -ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < jc->n_cols; i++)
    if ((idx[i] = header_find(&row, jc->cols[i])) < 0)
      add_missing(missing, sizeof(missing), &n_missing, jc->cols[i],
                  "join column");
  if ((rc = report_missing(s, jc->file, hline, &row, missing, n_missing)))
    goto out;
  while ((rc = csv_next(&rd, &row, &err)) != CSV_END) {
    if (rc == CSV_BAD) {
      snprintf(where, sizeof(where), "%s:%lu:%lu", jc->file, err.line, err.col);
      h->data_error(s->c, where, "%s", err.msg);
      continue;
    }
    if (rc < 0) goto out;
    for (size_t i = 0; i < jc->n_cols; i++)
      vals[i] = csv_trim(row.fields[idx[i]].s);
    unsigned long first = 0;
    rc = csv_lookup_add(&jc->lk, csv_trim(row.fields[key].s), vals, row.line,
                        &first);
    if (rc < 0) goto out;
    if (rc == 1 && ++dups <= 3)
      h->log(s->inst, EXD_LOG_WARN,
             "%s:%lu: duplicate key '%s' (first at line %lu); the first row "
             "is used",
             jc->file, row.line, row.fields[key].s, first);
  }
  if (dups > 3)
    h->log(s->inst, EXD_LOG_WARN, "%s: %zu more duplicate key%s", jc->file,
           dups - 3, dups == 4 ? "" : "s");
  rc = 0;
out:
  csv_reader_free(&rd);
  free(data);
  free(idx);
  free(vals);
  return rc;
}

/* Open files[s->cur]: joins, data, header, column binding. 0 or a code
   (already reported). */
static int open_file(csv_state *s) {
  csv_file_cfg *f = &s->files[s->cur];
  csv_row hdr;
  char missing[4096] = "", what[96];
  size_t n_missing = 0;
  int rc;
  for (size_t j = 0; j < f->n_joins; j++)
    if ((rc = load_join(s, &f->joins[j]))) return rc;
  if ((rc = slurp(f->full, &s->data, &s->len)))
    return open_failed(s, f->path_node, f->full, rc);
  s->open = 1;
  s->n_rows = s->n_records = s->n_rejected = 0;
  csv_reader_init(&s->rd, s->data, s->len, s->delim);
  if ((rc = read_header(s, &s->rd, f->path, &hdr))) return rc;
  for (size_t k = 0; k < f->map.n; k++) {
    csv_binding *b = &f->map.bindings[k];
    if (!b->column) continue;
    if ((b->col = header_find(&hdr, b->column)) < 0) {
      snprintf(what, sizeof(what), "field %s", b->def->name);
      add_missing(missing, sizeof(missing), &n_missing, b->column, what);
    }
  }
  for (size_t j = 0; j < f->n_joins; j++) {
    if ((f->join_on[j] = header_find(&hdr, f->joins[j].on)) < 0) {
      snprintf(what, sizeof(what), "join on %s", f->joins[j].file);
      add_missing(missing, sizeof(missing), &n_missing, f->joins[j].on, what);
    }
  }
  if ((rc = report_missing(s, f->path, hdr.line, &hdr, missing, n_missing)))
    return rc;
  csv_set_columns(&s->rd, hdr.n);
  free(s->cells);
  free((void *)s->join_rows);
  s->cells = calloc(hdr.n, sizeof(*s->cells));
  s->join_rows = calloc(f->n_joins + 1, sizeof(*s->join_rows));
  if (!s->cells || !s->join_rows) return -ENOMEM;
  return 0;
}

/* Release files[s->cur]'s data and join tables (also after a failed open). */
static void close_file(csv_state *s) {
  if (s->cur >= s->n_files) return;
  csv_file_cfg *f = &s->files[s->cur];
  const exd_host_api *h = s->host;
  for (size_t j = 0; j < f->n_joins; j++) {
    csv_join_cfg *jc = &f->joins[j];
    if (jc->unmatched)
      h->log(s->inst, EXD_LOG_WARN,
             "%s: %zu row%s found no match in %s (first at line %lu)", f->path,
             jc->unmatched, jc->unmatched == 1 ? "" : "s", jc->file,
             jc->first_unmatched);
    jc->unmatched = 0;
    csv_lookup_free(&jc->lk);
  }
  if (!s->open) return;
  csv_reader_free(&s->rd);
  free(s->data);
  s->data = NULL;
  s->open = 0;
}

/* Count one emitted record: the core took it, or rejected it (it has logged
   why); both show in the file's summary. */
static void count_emit(csv_state *s, int rc) {
  if (rc < 0)
    s->n_rejected++;
  else
    s->n_records++;
}

/* Map and emit one good row. */
static void do_row(csv_state *s, csv_file_cfg *f, const csv_row *row) {
  const exd_host_api *h = s->host;
  char origin[4200];
  exd_record rec;
  csv_map_error err;
  for (size_t i = 0; i < row->n; i++)
    s->cells[i] = row->fields[i].s;
  for (size_t j = 0; j < f->n_joins; j++) {
    csv_join_cfg *jc = &f->joins[j];
    const char *key = csv_trim(s->cells[f->join_on[j]]);
    s->join_rows[j] = csv_lookup_get(&jc->lk, key, NULL);
    if (!s->join_rows[j] && *key && !jc->unmatched++)
      jc->first_unmatched = row->line;
  }
  EXD_RECORD_INIT(h, &rec, f->map.type);
  int rc = csv_map_row(&f->map, s->cells, s->join_rows, &rec, &s->rowbuf, &err);
  if (rc) {
    const csv_field *at = err.cell >= 0 ? &row->fields[err.cell] : NULL;
    snprintf(origin, sizeof(origin), "%s:%lu:%lu", f->path,
             at ? at->line : row->line, at ? at->col : 1ul);
    h->data_error(s->c, origin, "%s",
                  rc == -ENOMEM ? "out of memory" : err.msg);
    s->n_rejected++;
    return;
  }
  snprintf(origin, sizeof(origin), "%s:%lu", f->path, row->line);
  rec.origin = origin;
  count_emit(s, h->emit(s->c, &rec));
  if (f->owned_from_won && rec.u.opportunity.status == EXD_OPP_WON) {
    exd_record p;
    EXD_RECORD_INIT(h, &p, EXD_REC_PRODUCT);
    p.origin = origin;
    p.account = rec.account;
    p.u.product.product = rec.u.opportunity.product;
    p.u.product.seats_purchased = 1;
    p.u.product.unit_price = rec.u.opportunity.amount;
    p.u.product.start = rec.u.opportunity.closed;
    count_emit(s, h->emit(s->c, &p));
  }
}

/* Read up to CSV_SLICE rows of the current file. 1 when the file is done. */
static int read_slice(csv_state *s) {
  csv_file_cfg *f = &s->files[s->cur];
  csv_row row;
  csv_error err;
  char where[4200];
  for (int n = 0;; n++) {
    if (n == CSV_SLICE) return 0;
    int rc = csv_next(&s->rd, &row, &err);
    if (rc == CSV_END) break;
    if (rc == CSV_BAD) {
      snprintf(where, sizeof(where), "%s:%lu:%lu", f->path, err.line, err.col);
      s->host->data_error(s->c, where, "%s", err.msg);
      s->n_rows++;
      s->n_rejected++;
      continue;
    }
    if (rc < 0) {
      s->host->log(s->inst, EXD_LOG_ERROR, "%s: %s", f->path, strerror(-rc));
      if (!s->status) s->status = rc;
      return 1;
    }
    s->n_rows++;
    do_row(s, f, &row);
  }
  if (s->n_rows == 0)
    s->host->log(s->inst, EXD_LOG_WARN, "%s: no rows after the header",
                 f->path);
  s->host->log(s->inst, EXD_LOG_INFO, "%s: %zu rows, %zu records, %zu rejected",
               f->path, s->n_rows, s->n_records, s->n_rejected);
  return 1;
}

/* Do one slice of work. Returns 1 when the collect call is finished. */
static int step(csv_state *s) {
  while (s->cur < s->n_files) {
    if (!s->open) {
      int rc = open_file(s);
      if (rc) {
        if (!s->status) s->status = rc;
        close_file(s);
        s->cur++;
        continue;
      }
    }
    if (!read_slice(s)) return 0;
    close_file(s);
    s->cur++;
  }
  exd_collect *c = s->c;
  s->c = NULL;
  s->host->collect_done(c, s->status);
  return 1;
}

static void step_cb(void *arg) {
  csv_state *s = arg;
  while (!step(s))
    if (s->host->defer(s->inst, step_cb, s) == 0) return;
}

/* ---- lifecycle ---------------------------------------------------------- */

static void csv_destroy(void *state) {
  csv_state *s = state;
  if (!s) return;
  close_file(s);
  csv_conf_free(s);
  csv_rowbuf_free(&s->rowbuf);
  free(s->cells);
  free((void *)s->join_rows);
  free(s);
}

static int csv_init(const exd_host_api *host, exd_instance *inst,
                    void **state) {
  if (!EXD_HOST_HAS(host, collect_done)) return EXD_EABI;
  csv_state *s = calloc(1, sizeof(*s));
  if (!s) return -ENOMEM;
  s->host = host;
  s->inst = inst;
  int rc = csv_conf_load(s);
  if (rc) {
    csv_destroy(s);
    return rc;
  }
  *state = s;
  return 0;
}

static int csv_collect(void *state, exd_collect *c) {
  csv_state *s = state;
  if (s->c) return -EBUSY;
  s->c = c;
  s->cur = 0;
  s->status = 0;
  if (s->host->defer(s->inst, step_cb, s) != 0) step_cb(s);
  return 0;
}

EXD_PLUGIN_DEFINE("csv", "1.0.0",
                  "reads CSV exports (CRM, customer success, product usage) "
                  "mapped column by column onto the account model",
                  EXD_CAP_SOURCE, csv_keys, csv_init, csv_collect, NULL,
                  csv_destroy);
