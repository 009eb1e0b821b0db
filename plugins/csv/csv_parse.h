/*
 * An RFC 4180 CSV reader over a buffer in memory. Pure: no I/O, no host
 * calls; self-contained (the fuzz harness links this file alone).
 *
 * Accepted input: fields separated by a one-byte delimiter; fields quoted
 * with '"' may hold the delimiter, doubled quotes and line ends; rows end
 * with LF, CRLF or a lone CR; a UTF-8 byte order mark at the very start is
 * skipped; lines with no characters at all are skipped. Every byte must be
 * valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) and
 * no byte may be NUL.
 *
 * A row that breaks a rule is rejected as a whole with one error naming its
 * position; the reader then continues with the next row, so one bad row
 * never hides the good ones:
 *   "unterminated quoted field"         at the opening quote; reading
 *                                       resumes on the line after it
 *   "stray quote in unquoted field"     at the quote
 *   "text after closing quote"          at the first byte after it
 *   "invalid UTF-8 at byte offset N"    at the byte (N: 0-based file offset)
 *   "NUL byte at byte offset N"         at the byte
 *   "row has N fields, the header has M"  at the first extra field, or at
 *                                       the end of a short row
 * Only the first problem of a row is reported.
 *
 * Positions: line = physical line (1-based; a quoted line end starts a new
 * line), col = 1-based character (code point) column on that line.
 */
#ifndef EXD_CSV_PARSE_H
#define EXD_CSV_PARSE_H

#include <stddef.h>

#include "expansiond/plugin.h"

#define CSV_ROW 1         /* csv_next: a row was read */
#define CSV_END 0         /* csv_next: no more rows */
#define CSV_BAD EXD_EDATA /* csv_next: a row was rejected, see the error */

typedef struct csv_field {
  char *s;            /* unquoted, unescaped, NUL-terminated text; owned by
                         the reader, valid (and writable in place) until the
                         next csv_next */
  size_t len;         /* bytes in s */
  unsigned long line; /* where the field starts (its opening quote if any) */
  unsigned long col;
} csv_field;

typedef struct csv_row {
  csv_field *fields; /* n fields; owned by the reader, valid until the next
                        csv_next */
  size_t n;
  unsigned long line; /* physical line the row starts on */
} csv_row;

typedef struct csv_error {
  unsigned long line, col; /* position of the problem */
  char msg[96];            /* text without the position, see above */
} csv_error;

/* Reader state; fields are private. Zero-initialise or use csv_reader_init
   before use, csv_reader_free after. */
typedef struct csv_reader {
  const unsigned char *data; /* borrowed: must outlive the reader */
  size_t len, pos;
  unsigned long line, col;
  char delim;
  size_t n_cols; /* fields per row, 0 until the header is read */
  char *buf;     /* field text of the current row */
  size_t buf_len, buf_cap;
  csv_field *fields;
  size_t n_fields, fields_cap;
  /* first error of the current row */
  int bad;
  size_t bad_pos;
  csv_error err;
} csv_reader;

/* Start reading data[0..len) (borrowed) with delimiter delim (any byte but
   '"', CR, LF and NUL). Skips a leading UTF-8 BOM. */
void csv_reader_init(csv_reader *r, const char *data, size_t len, char delim);
/* Release what the reader allocated; data is not touched. */
void csv_reader_free(csv_reader *r);

/*
 * Read the next row into *row. Returns CSV_ROW, CSV_END, CSV_BAD (the row was
 * rejected: *err is set and the reader is positioned after the row), or
 * -ENOMEM. The first row returned with CSV_ROW is the header: it fixes the
 * number of fields every later row must have (csv_set_columns overrides).
 */
int csv_next(csv_reader *r, csv_row *row, csv_error *err);

/* Number of fields rows must have (0: the next good row decides). */
void csv_set_columns(csv_reader *r, size_t n);

#endif
