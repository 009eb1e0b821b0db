/*
 * libFuzzer harness for the CSV reader (plugins/csv/csv_parse.c), linked with
 * that file only (see the Makefile's `fuzz` target). The first input byte
 * picks the delimiter; the rest is the file. Besides crashes and sanitizer
 * reports it checks the reader's promises: every row has the header's field
 * count, field text is NUL-free valid UTF-8 of the stated length, positions
 * move forward, and every call makes progress.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent strict UTF-8 check (not the reader's). */
static int valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    unsigned cp;
    size_t k;
    if (c < 0x80) {
      i++;
      continue;
    }
    if ((c & 0xE0) == 0xC0)
      k = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
      k = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
      k = 4, cp = c & 0x07;
    else
      return 0;
    if (i + k > n) return 0;
    for (size_t j = 1; j < k; j++) {
      if ((s[i + j] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
        (k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += k;
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char delims[] = {',', ';', '\t', '|'};
  if (size < 1) return 0;
  char delim = delims[data[0] % sizeof(delims)];
  /* Copy so reads past the end are caught by ASan. */
  char *buf = malloc(size - 1 ? size - 1 : 1);
  if (!buf) return 0;
  memcpy(buf, data + 1, size - 1);
  csv_reader r;
  csv_row row;
  csv_error err;
  csv_reader_init(&r, buf, size - 1, delim);
  size_t n_cols = 0, last_pos = r.pos;
  unsigned long last_line = 0;
  for (;;) {
    int rc = csv_next(&r, &row, &err);
    if (rc == CSV_END) break;
    if (rc == -12 /* ENOMEM */) break;
    if (r.pos <= last_pos) abort(); /* no progress */
    last_pos = r.pos;
    if (rc == CSV_BAD) {
      if (err.line == 0 || err.col == 0 || !memchr(err.msg, '\0', 96)) abort();
      continue;
    }
    if (rc != CSV_ROW) abort();
    if (row.line <= last_line && last_line) abort();
    last_line = row.line;
    if (!n_cols)
      n_cols = row.n;
    else if (row.n != n_cols)
      abort();
    for (size_t i = 0; i < row.n; i++) {
      const csv_field *f = &row.fields[i];
      if (strlen(f->s) != f->len) abort();
      if (!valid_utf8((const unsigned char *)f->s, f->len)) abort();
      if (f->line < row.line || f->col == 0) abort();
    }
  }
  if (csv_next(&r, &row, &err) != CSV_END) abort();
  csv_reader_free(&r);
  free(buf);
  return 0;
}
