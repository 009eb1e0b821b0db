/* RFC 4180 reader; see csv_parse.h. */
#include "csv_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_reader_init(csv_reader *r, const char *data, size_t len, char delim) {
  memset(r, 0, sizeof(*r));
  r->data = (const unsigned char *)data;
  r->len = data ? len : 0;
  r->delim = delim;
  r->line = 1;
  r->col = 1;
  if (r->len >= 3 && r->data[0] == 0xEF && r->data[1] == 0xBB &&
      r->data[2] == 0xBF)
    r->pos = 3;
}

void csv_reader_free(csv_reader *r) {
  free(r->buf);
  free(r->fields);
  r->buf = NULL;
  r->fields = NULL;
  r->buf_cap = r->fields_cap = 0;
}

void csv_set_columns(csv_reader *r, size_t n) {
  r->n_cols = n;
}

/* Length (1..4) of the valid UTF-8 sequence at p, or 0 when the byte at p
   does not start one (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
static size_t utf8_seq(const unsigned char *p, size_t avail) {
  unsigned c = p[0];
  size_t n;
  unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    n = 2;
  } else if (c < 0xF0) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c < 0xF5) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (avail < n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (size_t i = 2; i < n; i++)
    if ((p[i] & 0xC0) != 0x80) return 0;
  return n;
}

/* Record the row's first problem. An error at an earlier byte offset wins,
   except that `force` replaces one found at a later offset. */
static void row_error(csv_reader *r, size_t at, unsigned long line,
                      unsigned long col, const char *fmt, ...) EXD_PRINTF(5, 6);
static void row_error(csv_reader *r, size_t at, unsigned long line,
                      unsigned long col, const char *fmt, ...) {
  va_list ap;
  if (r->bad && r->bad_pos <= at) return;
  r->bad = 1;
  r->bad_pos = at;
  r->err.line = line;
  r->err.col = col;
  va_start(ap, fmt);
  vsnprintf(r->err.msg, sizeof(r->err.msg), fmt, ap);
  va_end(ap);
}

static int put(csv_reader *r, const unsigned char *s, size_t n) {
  if (r->buf_len + n + 1 > r->buf_cap) {
    size_t cap = r->buf_cap ? r->buf_cap : 256;
    while (cap < r->buf_len + n + 1) {
      if (cap > SIZE_MAX / 2) return -ENOMEM;
      cap *= 2;
    }
    char *b = realloc(r->buf, cap);
    if (!b) return -ENOMEM;
    r->buf = b;
    r->buf_cap = cap;
  }
  memcpy(r->buf + r->buf_len, s, n);
  r->buf_len += n;
  return 0;
}

/* Copy one character (a valid UTF-8 sequence, or one bad byte) at r->pos
   into the field buffer and advance. */
static int take_char(csv_reader *r) {
  const unsigned char *p = r->data + r->pos;
  size_t n = 1;
  if (*p == 0) {
    row_error(r, r->pos, r->line, r->col, "NUL byte at byte offset %zu",
              r->pos);
  } else if (*p >= 0x80) {
    n = utf8_seq(p, r->len - r->pos);
    if (n == 0) {
      row_error(r, r->pos, r->line, r->col, "invalid UTF-8 at byte offset %zu",
                r->pos);
      n = 1;
    }
  }
  int rc = put(r, p, n);
  r->pos += n;
  r->col++;
  return rc;
}

/* At a CR or LF: consume one line end (CRLF, LF or CR); optionally keep it
   in the field text. */
static int take_eol(csv_reader *r, int keep) {
  size_t n = r->data[r->pos] == '\r' && r->pos + 1 < r->len &&
                     r->data[r->pos + 1] == '\n'
                 ? 2
                 : 1;
  int rc = keep ? put(r, r->data + r->pos, n) : 0;
  r->pos += n;
  r->line++;
  r->col = 1;
  return rc;
}

static int is_end(const csv_reader *r, unsigned char c) {
  return c == (unsigned char)r->delim || c == '\n' || c == '\r';
}

/* Unquoted text up to the next delimiter or line end; quotes in it are
   errors unless `tail` (text after a closing quote, already an error). */
static int take_unquoted(csv_reader *r, int tail) {
  while (r->pos < r->len) {
    unsigned char c = r->data[r->pos];
    if (is_end(r, c)) break;
    if (c == '"' && !tail)
      row_error(r, r->pos, r->line, r->col, "stray quote in unquoted field");
    int rc = take_char(r);
    if (rc) return rc;
  }
  return 0;
}

/* Quoted field from its opening quote. Returns 1 when the file ended inside
   the quotes (the reader is then repositioned after the quote's line). */
static int take_quoted(csv_reader *r) {
  size_t qpos = r->pos;
  unsigned long qline = r->line, qcol = r->col;
  int rc;
  r->pos++;
  r->col++;
  for (;;) {
    if (r->pos >= r->len) {
      /* Resume on the line after the quote: the rest is likely good rows. */
      r->bad = r->bad && r->bad_pos < qpos;
      row_error(r, qpos, qline, qcol, "unterminated quoted field");
      r->pos = qpos;
      while (r->pos < r->len && r->data[r->pos] != '\n' &&
             r->data[r->pos] != '\r')
        r->pos++;
      r->line = qline;
      if (r->pos < r->len) take_eol(r, 0);
      return 1;
    }
    unsigned char c = r->data[r->pos];
    if (c == '"') {
      if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
        if ((rc = put(r, r->data + r->pos, 1))) return rc;
        r->pos += 2;
        r->col += 2;
        continue;
      }
      r->pos++;
      r->col++;
      break;
    }
    rc = c == '\n' || c == '\r' ? take_eol(r, 1) : take_char(r);
    if (rc) return rc;
  }
  if (r->pos < r->len && !is_end(r, r->data[r->pos])) {
    row_error(r, r->pos, r->line, r->col, "text after closing quote");
    return take_unquoted(r, 1);
  }
  return 0;
}

static int push_field(csv_reader *r, size_t off, unsigned long line,
                      unsigned long col) {
  if (r->n_fields == r->fields_cap) {
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
    if (cap > SIZE_MAX / sizeof(csv_field)) return -ENOMEM;
    csv_field *f = realloc(r->fields, cap * sizeof(*f));
    if (!f) return -ENOMEM;
    r->fields = f;
    r->fields_cap = cap;
  }
  csv_field *f = &r->fields[r->n_fields++];
  /* s is an offset until the row is complete (buf may move). */
  f->s = NULL;
  f->len = r->buf_len - off;
  f->line = line;
  f->col = col;
  return put(r, (const unsigned char *)"", 1);
}

int csv_next(csv_reader *r, csv_row *row, csv_error *err) {
  int rc;
  /* Skip lines with no characters. */
  for (;;) {
    if (r->pos >= r->len) return CSV_END;
    unsigned char c = r->data[r->pos];
    if (c != '\n' && c != '\r') break;
    take_eol(r, 0);
  }
  unsigned long row_line = r->line;
  r->buf_len = 0;
  r->n_fields = 0;
  r->bad = 0;
  unsigned long end_line, end_col;
  for (;;) {
    size_t off = r->buf_len;
    unsigned long line = r->line, col = r->col;
    if (r->pos < r->len && r->data[r->pos] == '"') {
      rc = take_quoted(r);
      if (rc == 1) {
        *err = r->err;
        return CSV_BAD;
      }
    } else {
      rc = take_unquoted(r, 0);
    }
    if (rc) return rc;
    if ((rc = push_field(r, off, line, col))) return rc;
    if (r->pos < r->len && r->data[r->pos] == (unsigned char)r->delim) {
      r->pos++;
      r->col++;
      continue;
    }
    end_line = r->line;
    end_col = r->col;
    if (r->pos < r->len) take_eol(r, 0);
    break;
  }
  if (!r->bad && r->n_cols && r->n_fields != r->n_cols) {
    if (r->n_fields > r->n_cols) {
      end_line = r->fields[r->n_cols].line;
      end_col = r->fields[r->n_cols].col;
    }
    row_error(r, 0, end_line, end_col,
              "row has %zu field%s, the header has %zu", r->n_fields,
              r->n_fields == 1 ? "" : "s", r->n_cols);
  }
  if (r->bad) {
    *err = r->err;
    return CSV_BAD;
  }
  /* Turn offsets into pointers now that buf no longer moves. */
  size_t off = 0;
  for (size_t i = 0; i < r->n_fields; i++) {
    r->fields[i].s = r->buf + off;
    off += r->fields[i].len + 1;
  }
  if (!r->n_cols) r->n_cols = r->n_fields;
  row->fields = r->fields;
  row->n = r->n_fields;
  row->line = row_line;
  return CSV_ROW;
}
