/* The RFC 4180 reader (plugins/csv/csv_parse.c): exact fields and exact
   error positions. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_parse.h"

/* Read all of data and describe it, one line per row:
   "L: [f1][f2]" for rows (CR and LF in fields shown as \r and \n),
   "L:C: message" for rejected rows. Caller frees. */
static char *dump_delim(const char *data, size_t len, char delim) {
  csv_reader r;
  csv_row row;
  csv_error err;
  size_t cap = 4096, n = 0;
  char *out = malloc(cap);
  out[0] = '\0';
  csv_reader_init(&r, data, len, delim);
  for (;;) {
    int rc = csv_next(&r, &row, &err);
    if (rc == CSV_END) break;
    char line[1024];
    size_t k = 0;
    if (rc == CSV_BAD) {
      k = (size_t)snprintf(line, sizeof(line), "%lu:%lu: %s\n", err.line,
                           err.col, err.msg);
    } else {
      assert_int_equal(rc, CSV_ROW);
      k = (size_t)snprintf(line, sizeof(line), "%lu: ", row.line);
      for (size_t i = 0; i < row.n; i++) {
        line[k++] = '[';
        for (const char *p = row.fields[i].s; *p; p++) {
          if (*p == '\n' || *p == '\r') {
            line[k++] = '\\';
            line[k++] = *p == '\n' ? 'n' : 'r';
          } else {
            line[k++] = *p;
          }
        }
        assert_int_equal(strlen(row.fields[i].s), row.fields[i].len);
        line[k++] = ']';
      }
      line[k++] = '\n';
      line[k] = '\0';
    }
    while (n + k + 1 > cap)
      out = realloc(out, cap *= 2);
    memcpy(out + n, line, k + 1);
    n += k;
  }
  csv_reader_free(&r);
  return out;
}

static char *dump(const char *data, size_t len) {
  return dump_delim(data, len, ',');
}

#define CHECK(input, expected)                                                 \
  do {                                                                         \
    char *got_ = dump(input, sizeof(input) - 1);                               \
    assert_string_equal(got_, expected);                                       \
    free(got_);                                                                \
  } while (0)

static void test_simple(void **state) {
  (void)state;
  CHECK("a,b,c\n1,2,3\n", "1: [a][b][c]\n2: [1][2][3]\n");
}

static void test_quoted(void **state) {
  (void)state;
  CHECK("a,b\n\"x,y\",\"he said \"\"hi\"\"\"\n",
        "1: [a][b]\n2: [x,y][he said \"hi\"]\n");
  CHECK("a,b\n\"\",\"\"\"\"\n", "1: [a][b]\n2: [][\"]\n");
}

static void test_embedded_newline(void **state) {
  (void)state;
  CHECK("a,b\n\"line1\nline2\",z\nnext,row\n",
        "1: [a][b]\n2: [line1\\nline2][z]\n4: [next][row]\n");
  /* A quoted CRLF is kept as is. */
  CHECK("a,b\r\n\"x\r\ny\",z\r\n", "1: [a][b]\n2: [x\\r\\ny][z]\n");
}

static void test_crlf_and_cr(void **state) {
  (void)state;
  CHECK("a,b\r\n1,2\r\n3,4", "1: [a][b]\n2: [1][2]\n3: [3][4]\n");
  CHECK("a,b\r1,2\r3,4\r", "1: [a][b]\n2: [1][2]\n3: [3][4]\n");
  CHECK("a,b\r\n1,2\n3,4\r\n", "1: [a][b]\n2: [1][2]\n3: [3][4]\n");
}

static void test_bom(void **state) {
  (void)state;
  CHECK("\xEF\xBB\xBF"
        "a,b\n1,2\n",
        "1: [a][b]\n2: [1][2]\n");
  /* Columns do not count the BOM. */
  CHECK("\xEF\xBB\xBF"
        "a,\"b\"x\n",
        "1:6: text after closing quote\n");
  /* Only the first three bytes: a BOM later is data. */
  CHECK("a\n\xEF\xBB\xBFx\n", "1: [a]\n2: [\xEF\xBB\xBFx]\n");
  CHECK("\xEF\xBB\xBF", "");
}

static void test_empty_fields(void **state) {
  (void)state;
  CHECK("a,b,c\n,,\n\"\",x,\n", "1: [a][b][c]\n2: [][][]\n3: [][x][]\n");
}

static void test_trailing_newline(void **state) {
  (void)state;
  CHECK("a\n1", "1: [a]\n2: [1]\n");
  CHECK("a\n1\n", "1: [a]\n2: [1]\n");
  CHECK("a,b\n1,\"2\"", "1: [a][b]\n2: [1][2]\n");
  CHECK("", "");
}

static void test_empty_lines_skipped(void **state) {
  (void)state;
  CHECK("\na,b\n\n1,2\n\r\n3,4\n\n\n", "2: [a][b]\n4: [1][2]\n6: [3][4]\n");
}

static void test_tab_delimiter(void **state) {
  (void)state;
  const char *in = "a\tb\n1,5\t\"x\ty\"\n";
  char *got = dump_delim(in, strlen(in), '\t');
  assert_string_equal(got, "1: [a][b]\n2: [1,5][x\ty]\n");
  free(got);
}

static void test_field_positions(void **state) {
  (void)state;
  const char *in = "a,b,c\n\"x\ny\",\xC3\xA9\xE2\x82\xAC,z\n";
  csv_reader r;
  csv_row row;
  csv_error err;
  csv_reader_init(&r, in, strlen(in), ',');
  assert_int_equal(csv_next(&r, &row, &err), CSV_ROW);
  assert_int_equal(csv_next(&r, &row, &err), CSV_ROW);
  assert_int_equal(row.line, 2);
  assert_int_equal(row.n, 3);
  assert_int_equal(row.fields[0].line, 2);
  assert_int_equal(row.fields[0].col, 1);
  assert_int_equal(row.fields[1].line, 3);
  assert_int_equal(row.fields[1].col, 4);
  assert_int_equal(row.fields[2].line, 3);
  assert_int_equal(row.fields[2].col, 7);
  assert_string_equal(row.fields[1].s, "\xC3\xA9\xE2\x82\xAC");
  assert_int_equal(csv_next(&r, &row, &err), CSV_END);
  csv_reader_free(&r);
}

static void test_unterminated_quote(void **state) {
  (void)state;
  /* Reading resumes on the line after the quote. */
  CHECK("a,b\n1,\"2\n3,4\n", "1: [a][b]\n2:3: unterminated quoted field\n"
                             "3: [3][4]\n");
  CHECK("a,b\n\"x", "1: [a][b]\n2:1: unterminated quoted field\n");
  /* An earlier problem in the row is the one reported. */
  CHECK("a,b\n1\"x,\"2\n3,4\n",
        "1: [a][b]\n2:2: stray quote in unquoted field\n"
        "3: [3][4]\n");
}

static void test_stray_quote(void **state) {
  (void)state;
  CHECK("a,b\n1,2\"x\n5,6\n",
        "1: [a][b]\n2:4: stray quote in unquoted field\n3: [5][6]\n");
  CHECK("a,b\n1, \"x\"\n", "1: [a][b]\n2:4: stray quote in unquoted field\n");
}

static void test_text_after_quote(void **state) {
  (void)state;
  CHECK("a,b\n\"x\"y,2\n3,4\n",
        "1: [a][b]\n2:4: text after closing quote\n3: [3][4]\n");
  /* Position on the line the closing quote is on; col counts characters. */
  CHECK("a,b\n\"x\ny\"z,1\n", "1: [a][b]\n3:3: text after closing quote\n");
  CHECK("a,b\n\xC3\xA9\xE2\x82\xAC,\"x\"y\n",
        "1: [a][b]\n2:7: text after closing quote\n");
}

static void test_field_count(void **state) {
  (void)state;
  CHECK("a,b,c\n1,2\n4,5,6\n",
        "1: [a][b][c]\n2:4: row has 2 fields, the header has 3\n"
        "3: [4][5][6]\n");
  CHECK("a,b\n1,2,3,4\n",
        "1: [a][b]\n2:5: row has 4 fields, the header has 2\n");
  CHECK("a,b\n1\r\n", "1: [a][b]\n2:2: row has 1 field, the header has 2\n");
}

static void test_invalid_utf8(void **state) {
  (void)state;
  /* overlong '/' */
  CHECK("a,b\nx\xC0\xAF,y\n",
        "1: [a][b]\n2:2: invalid UTF-8 at byte offset 5\n");
  /* overlong 3-byte */
  CHECK("a,b\n\xE0\x80\xAF,y\n",
        "1: [a][b]\n2:1: invalid UTF-8 at byte offset 4\n");
  /* truncated sequence before the delimiter */
  CHECK("a,b\nok,\xE2\x82\n",
        "1: [a][b]\n2:4: invalid UTF-8 at byte offset 7\n");
  /* truncated at the end of the file */
  CHECK("a,b\nok,\xF0\x9F\x98",
        "1: [a][b]\n2:4: invalid UTF-8 at byte offset 7\n");
  /* lone continuation byte */
  CHECK("a,b\n\x80,y\nz,w\n",
        "1: [a][b]\n2:1: invalid UTF-8 at byte offset 4\n3: [z][w]\n");
  /* UTF-16 surrogate U+D800 */
  CHECK("a,b\n1,\"\xED\xA0\x80\"\n",
        "1: [a][b]\n2:4: invalid UTF-8 at byte offset 7\n");
  /* above U+10FFFF; F5..FF never valid */
  CHECK("a,b\n\xF4\x90\x80\x80,\xFF\n",
        "1: [a][b]\n2:1: invalid UTF-8 at byte offset 4\n");
  /* valid 4-byte sequence and U+10FFFF pass */
  CHECK("a,b\n\xF0\x9F\x98\x80,\xF4\x8F\xBF\xBF\n",
        "1: [a][b]\n2: [\xF0\x9F\x98\x80][\xF4\x8F\xBF\xBF]\n");
  /* the header is checked too */
  CHECK("a,\xC3(\n", "1:3: invalid UTF-8 at byte offset 2\n");
}

static void test_nul_byte(void **state) {
  (void)state;
  CHECK("a,b\n1,x\0y\n3,4\n",
        "1: [a][b]\n2:4: NUL byte at byte offset 7\n3: [3][4]\n");
}

static void test_first_error_wins(void **state) {
  (void)state;
  /* a stray quote before bad UTF-8: only the quote is reported */
  CHECK("a,b\nx\"y,\xFF\n", "1: [a][b]\n2:2: stray quote in unquoted field\n");
  /* a bad row does not fix the column count */
  CHECK("a\"b,c\nx,y\n", "1:2: stray quote in unquoted field\n2: [x][y]\n");
}

static void test_set_columns(void **state) {
  (void)state;
  csv_reader r;
  csv_row row;
  csv_error err;
  csv_reader_init(&r, "1,2\n3\n", 6, ',');
  csv_set_columns(&r, 1);
  assert_int_equal(csv_next(&r, &row, &err), CSV_BAD);
  assert_int_equal(err.line, 1);
  assert_int_equal(err.col, 3);
  assert_string_equal(err.msg, "row has 2 fields, the header has 1");
  assert_int_equal(csv_next(&r, &row, &err), CSV_ROW);
  assert_string_equal(row.fields[0].s, "3");
  assert_int_equal(csv_next(&r, &row, &err), CSV_END);
  assert_int_equal(csv_next(&r, &row, &err), CSV_END);
  csv_reader_free(&r);
}

static void test_large_file(void **state) {
  (void)state;
  /* 100k rows with quoting: every one read, last line number exact. */
  size_t rows = 100000, cap = rows * 48 + 64, n = 0;
  char *in = malloc(cap);
  n += (size_t)sprintf(in + n, "id,name,amount\n");
  for (size_t i = 0; i < rows; i++)
    n +=
        (size_t)sprintf(in + n, "%zu,\"Acme, \"\"%zu\"\"\",%zu.5\r\n", i, i, i);
  csv_reader r;
  csv_row row;
  csv_error err;
  csv_reader_init(&r, in, n, ',');
  size_t got = 0;
  unsigned long last = 0;
  int rc;
  while ((rc = csv_next(&r, &row, &err)) == CSV_ROW) {
    got++;
    last = row.line;
  }
  assert_int_equal(rc, CSV_END);
  assert_int_equal(got, rows + 1);
  assert_int_equal(last, rows + 1);
  assert_string_equal(row.fields[1].s, "Acme, \"99999\"");
  csv_reader_free(&r);
  free(in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_simple),
      cmocka_unit_test(test_quoted),
      cmocka_unit_test(test_embedded_newline),
      cmocka_unit_test(test_crlf_and_cr),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_empty_fields),
      cmocka_unit_test(test_trailing_newline),
      cmocka_unit_test(test_empty_lines_skipped),
      cmocka_unit_test(test_tab_delimiter),
      cmocka_unit_test(test_field_positions),
      cmocka_unit_test(test_unterminated_quote),
      cmocka_unit_test(test_stray_quote),
      cmocka_unit_test(test_text_after_quote),
      cmocka_unit_test(test_field_count),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_first_error_wins),
      cmocka_unit_test(test_set_columns),
      cmocka_unit_test(test_large_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
