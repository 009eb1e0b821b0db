/*
 * core/util.c: allocation helpers, the string buffer, the string pool,
 * hashing, UTF-8 validation, string helpers and read_file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* ---- allocation and sb ---- */

static void test_xgrow_doubles_from_eight(void **state) {
  (void)state;
  int *v = NULL;
  size_t cap = 0;
  xgrow((void **)&v, &cap, 1, sizeof(*v));
  assert_int_equal(cap, 8);
  xgrow((void **)&v, &cap, 8, sizeof(*v)); /* enough room: unchanged */
  assert_int_equal(cap, 8);
  xgrow((void **)&v, &cap, 9, sizeof(*v));
  assert_int_equal(cap, 16);
  xgrow((void **)&v, &cap, 100, sizeof(*v));
  assert_int_equal(cap, 128);
  v[127] = 7; /* the memory is really there (ASan/valgrind) */
  assert_int_equal(v[127], 7);
  free(v);
}

static void test_vec_push(void **state) {
  (void)state;
  VEC(int) v = {0};
  for (int i = 0; i < 1000; i++)
    VEC_PUSH(&v, i * 3);
  assert_int_equal(v.n, 1000);
  assert_int_equal(v.cap, 1024);
  assert_int_equal(v.v[0], 0);
  assert_int_equal(v.v[999], 2997);
  free(v.v);
}

static void test_xstrndup_and_asprintf(void **state) {
  (void)state;
  char *s = xstrndup("abcdef", 3);
  assert_string_equal(s, "abc");
  free(s);
  s = xstrdup("");
  assert_string_equal(s, "");
  free(s);
  s = xasprintf("%s=%d;%05.1f", "k", -42, 3.14159);
  assert_string_equal(s, "k=-42;003.1");
  free(s);
}

static void test_sb_empty_and_put(void **state) {
  (void)state;
  sb b = {0};
  assert_string_equal(sb_str(&b), ""); /* never NULL, even unallocated */
  sb_put(&b, "ab");
  sb_putc(&b, 'c');
  sb_putn(&b, "defgh", 2);
  assert_string_equal(sb_str(&b), "abcde");
  assert_int_equal(b.len, 5);
  sb_reset(&b);
  assert_string_equal(sb_str(&b), "");
  assert_int_equal(b.len, 0);
  assert_true(b.cap >= 6); /* reset keeps the capacity */
  sb_put(&b, "x");
  assert_string_equal(sb_str(&b), "x");
  sb_free(&b);
  assert_null(b.buf);
  assert_int_equal(b.cap, 0);
}

static void test_sb_printf_grows(void **state) {
  (void)state;
  sb b = {0};
  char big[1000];
  memset(big, 'z', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  sb_printf(&b, "[%d]", 1);
  /* Longer than the 64 bytes reserved up front: the second vsnprintf. */
  sb_printf(&b, "%s|%s", big, "end");
  assert_int_equal(b.len, 3 + 999 + 4);
  assert_int_equal(strlen(sb_str(&b)), b.len);
  assert_memory_equal(sb_str(&b), "[1]zzz", 6);
  assert_string_equal(sb_str(&b) + b.len - 4, "|end");
  sb_free(&b);
}

static void test_sb_steal(void **state) {
  (void)state;
  sb b = {0};
  char *s = sb_steal(&b); /* empty buffer: a fresh "" */
  assert_non_null(s);
  assert_string_equal(s, "");
  free(s);
  sb_put(&b, "hello");
  s = sb_steal(&b);
  assert_string_equal(s, "hello");
  assert_null(b.buf);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.cap, 0);
  free(s);
}

/* ---- hashing ---- */

static void test_hash_fnv1a_vectors(void **state) {
  (void)state;
  assert_true(hash_bytes("", 0) == 0xcbf29ce484222325ULL);
  assert_true(hash_str("a") == 0xaf63dc4c8601ec8cULL);
  assert_true(hash_str("foobar") == 0x85944171f73967e8ULL);
  assert_true(hash_bytes("foobar", 3) == hash_str("foo"));
}

/* ---- string pool ---- */

static void test_pool_intern_shares(void **state) {
  (void)state;
  strpool *p = pool_new();
  char a[] = "Acme", b[] = "Acme";
  const char *x = pool_intern(p, a);
  const char *y = pool_intern(p, b);
  assert_ptr_equal(x, y);
  assert_ptr_not_equal(x, a);
  assert_string_equal(x, "Acme");
  assert_ptr_not_equal(pool_intern(p, "acme"), x);
  assert_null(pool_intern(p, NULL));
  assert_null(pool_intern(p, ""));
  assert_null(pool_intern_n(p, "abc", 0));
  /* A prefix interned by length equals the whole short string. */
  assert_ptr_equal(pool_intern_n(p, "Acme Corp", 4), x);
  /* pool_copy does not intern. */
  const char *c = pool_copy(p, "Acme");
  assert_string_equal(c, "Acme");
  assert_ptr_not_equal(c, x);
  assert_null(pool_copy(p, NULL));
  pool_free(p);
  pool_free(NULL);
}

static void test_pool_rehash_keeps_pointers(void **state) {
  (void)state;
  strpool *p = pool_new();
  enum { N = 5000 };
  const char **ptr = xcalloc(N, sizeof(*ptr));
  char buf[32];
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof(buf), "name-%d", i);
    ptr[i] = pool_intern(p, buf);
  }
  /* Several rehashes later every string is still found at its pointer. */
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof(buf), "name-%d", i);
    assert_ptr_equal(pool_intern(p, buf), ptr[i]);
    assert_string_equal(ptr[i], buf);
  }
  free(ptr);
  pool_free(p);
}

static void test_pool_alloc_alignment_and_big(void **state) {
  (void)state;
  strpool *p = pool_new();
  size_t before = pool_bytes(p);
  char *a = pool_alloc(p, 3);
  char *b = pool_alloc(p, 5);
  assert_int_equal((uintptr_t)a % 8, 0);
  assert_int_equal(b - a, 8); /* 3 rounded up to 8 */
  size_t after_small = pool_bytes(p);
  assert_true(after_small > before);
  /* A big block that fits in the current chunk is taken from it. */
  char *mid = pool_alloc(p, 100 * 1024);
  assert_int_equal(mid - a, 16);
  assert_int_equal(pool_bytes(p), after_small);
  /* A bigger one than the chunk has left gets a chunk of its own, and the
     small-allocation chunk stays in front. */
  char *big = pool_alloc(p, 200 * 1024);
  memset(big, 1, 200 * 1024);
  char *c = pool_alloc(p, 8);
  assert_int_equal(c - a, 16 + 100 * 1024);
  /* Exactly one block of that size (plus a chunk header) was added. */
  assert_true(pool_bytes(p) - after_small >= 200 * 1024);
  assert_true(pool_bytes(p) - after_small < 200 * 1024 + 64);
  /* A big block in an empty pool. */
  strpool *q = pool_new();
  char *qb = pool_alloc(q, 100 * 1024);
  memset(qb, 2, 100 * 1024);
  const char *s = pool_intern(q, "after big");
  assert_string_equal(s, "after big");
  pool_free(q);
  pool_free(p);
}

/* ---- UTF-8 ---- */

static long inv(const char *s) {
  return utf8_invalid_at(s, strlen(s));
}

static void test_utf8_invalid_at_valid(void **state) {
  (void)state;
  assert_int_equal(inv(""), -1);
  assert_int_equal(inv("plain ASCII text longer than eight bytes"), -1);
  assert_int_equal(inv("caf\xc3\xa9"), -1);         /* é */
  assert_int_equal(inv("\xe2\x82\xac 10"), -1);     /* € */
  assert_int_equal(inv("\xf0\x9f\x98\x80"), -1);    /* emoji */
  assert_int_equal(inv("\xf4\x8f\xbf\xbf"), -1);    /* U+10FFFF */
  assert_int_equal(inv("\xed\x9f\xbf"), -1);        /* U+D7FF */
  assert_int_equal(utf8_invalid_at("a\0b", 3), -1); /* NUL is valid */
}

static void test_utf8_invalid_at_offsets(void **state) {
  (void)state;
  assert_int_equal(inv("\x80"), 0);               /* lone continuation */
  assert_int_equal(inv("abc\xc0\x80"), 3);        /* overlong NUL */
  assert_int_equal(inv("ab\xc1\xbf"), 2);         /* overlong */
  assert_int_equal(inv("\xe0\x80\x80"), 0);       /* overlong 3-byte */
  assert_int_equal(inv("x\xed\xa0\x80"), 1);      /* surrogate D800 */
  assert_int_equal(inv("\xf0\x8f\xbf\xbf"), 0);   /* overlong 4-byte */
  assert_int_equal(inv("ok\xf4\x90\x80\x80"), 2); /* > U+10FFFF */
  assert_int_equal(inv("\xf5\x80\x80\x80"), 0);   /* F5 never valid */
  assert_int_equal(inv("\xff"), 0);
  assert_int_equal(inv("abcdefgh\xc3"), 8);       /* truncated at end */
  assert_int_equal(inv("abcdefghijk\xc3(x"), 11); /* bad continuation */
  assert_int_equal(inv("\xc3\xa9\xc3"), 2);       /* after a good one */
  /* The length bounds the check: a sequence cut by n is invalid. */
  assert_int_equal(utf8_invalid_at("\xc3\xa9", 1), 0);
  assert_int_equal(utf8_invalid_at("ab\xff", 2), -1);
}

static void test_utf8_check_cstr(void **state) {
  (void)state;
  size_t len = 99;
  assert_int_equal(utf8_check_cstr("hello", 10, &len), -1);
  assert_int_equal(len, 5);
  assert_int_equal(utf8_check_cstr("hello", 5, &len), -1); /* exactly max */
  assert_int_equal(len, 5);
  assert_int_equal(utf8_check_cstr("hello!", 5, &len), -2); /* one over */
  assert_int_equal(utf8_check_cstr("ab\xc3\xa9z", 10, &len), -1);
  assert_int_equal(len, 5);
  assert_int_equal(utf8_check_cstr("ab\xc3\xa9", 3, &len), -2);
  assert_int_equal(utf8_check_cstr("ab\xff\xfe", 10, &len), 2);
  assert_int_equal(len, 4);
  assert_int_equal(utf8_check_cstr("Bad \xff\xfe Name", 100, &len), 4);
  assert_int_equal(utf8_check_cstr("\xe2\x82", 10, &len), 0); /* cut by NUL */
  assert_int_equal(utf8_check_cstr("x\xed\xa0\x80", 10, &len), 1);
  assert_int_equal(utf8_check_cstr("", 0, &len), -1);
  assert_int_equal(len, 0);
  /* Too long wins over invalid. */
  assert_int_equal(utf8_check_cstr("\xff"
                                   "abcdef",
                                   3, &len),
                   -2);
}

/* ---- strings ---- */

static void test_str_trim(void **state) {
  (void)state;
  char a[] = "  a b \t\r\n";
  assert_string_equal(str_trim(a), "a b");
  assert_ptr_equal(str_trim(a), a);
  char b[] = "   ";
  assert_string_equal(str_trim(b), "");
  char c[] = "";
  assert_string_equal(str_trim(c), "");
  char d[] = "x";
  assert_string_equal(str_trim(d), "x");
}

static void test_str_ieq_and_suffix(void **state) {
  (void)state;
  assert_true(str_ieq("GmbH", "gmbh"));
  assert_false(str_ieq("GmbH", "gmb"));
  assert_false(str_ieq("gmb", "GmbH"));
  assert_true(str_ieq("", ""));
  assert_true(str_ieq(NULL, NULL));
  assert_false(str_ieq(NULL, ""));
  assert_false(str_ieq("a", NULL));
  assert_true(str_has_suffix("plugin.so", ".so"));
  assert_true(str_has_suffix(".so", ".so"));
  assert_false(str_has_suffix("so", ".so"));
  assert_false(str_has_suffix("plugin.SO", ".so"));
  assert_true(str_has_suffix("x", ""));
}

/* ---- read_file ---- */

static char *write_temp(const void *data, size_t n) {
  char *path = xstrdup("/tmp/exd-util-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, n), (ssize_t)n);
  close(fd);
  return path;
}

static void test_read_file_content(void **state) {
  (void)state;
  char *path = write_temp("a\0b\nc", 5);
  char *out = NULL;
  size_t len = 0;
  assert_int_equal(read_file(path, &out, &len), 0);
  assert_int_equal(len, 5);
  assert_memory_equal(out, "a\0b\nc", 6); /* NUL-terminated too */
  free(out);
  unlink(path);
  free(path);
}

static void test_read_file_large_and_empty(void **state) {
  (void)state;
  size_t n = 200000; /* several 64 KiB reads */
  char *data = xmalloc(n);
  for (size_t i = 0; i < n; i++)
    data[i] = (char)('a' + i % 26);
  char *path = write_temp(data, n);
  char *out = NULL;
  size_t len = 0;
  assert_int_equal(read_file(path, &out, &len), 0);
  assert_int_equal(len, n);
  assert_memory_equal(out, data, n);
  assert_int_equal(out[n], '\0');
  free(out);
  unlink(path);
  free(path);
  free(data);

  path = write_temp("", 0);
  assert_int_equal(read_file(path, &out, NULL), 0); /* len may be NULL */
  assert_string_equal(out, "");
  free(out);
  unlink(path);
  free(path);
}

static void test_read_file_errors(void **state) {
  (void)state;
  char *out = (char *)1;
  assert_int_equal(read_file("/nonexistent/exd/file", &out, NULL), -ENOENT);
  assert_ptr_equal(out, (char *)1); /* untouched on error */
  assert_int_equal(read_file("/tmp", &out, NULL), -EISDIR);
  assert_ptr_equal(out, (char *)1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xgrow_doubles_from_eight),
      cmocka_unit_test(test_vec_push),
      cmocka_unit_test(test_xstrndup_and_asprintf),
      cmocka_unit_test(test_sb_empty_and_put),
      cmocka_unit_test(test_sb_printf_grows),
      cmocka_unit_test(test_sb_steal),
      cmocka_unit_test(test_hash_fnv1a_vectors),
      cmocka_unit_test(test_pool_intern_shares),
      cmocka_unit_test(test_pool_rehash_keeps_pointers),
      cmocka_unit_test(test_pool_alloc_alignment_and_big),
      cmocka_unit_test(test_utf8_invalid_at_valid),
      cmocka_unit_test(test_utf8_invalid_at_offsets),
      cmocka_unit_test(test_utf8_check_cstr),
      cmocka_unit_test(test_str_trim),
      cmocka_unit_test(test_str_ieq_and_suffix),
      cmocka_unit_test(test_read_file_content),
      cmocka_unit_test(test_read_file_large_and_empty),
      cmocka_unit_test(test_read_file_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
