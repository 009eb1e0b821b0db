/* Tests for core/cfg_yaml.c: libyaml → node tree with positions, and the
   parser's limits (duplicate keys, aliases, depth, documents, tabs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_yaml.h"
#include "config.h"

typedef struct parsed {
  cfg_arena *a;
  exd_node *root;
  sb errs;
  int rc;
} parsed;

static parsed parse_n(const char *text, size_t len) {
  parsed p = {cfg_arena_new(), NULL, {0}, 0};
  p.rc = yaml_parse(p.a, "t.yaml", text, len, &p.root, &p.errs);
  return p;
}

static parsed parse(const char *text) {
  return parse_n(text, strlen(text));
}

static void done(parsed *p) {
  sb_free(&p->errs);
  cfg_arena_free(p->a);
}

/* Expect a parse failure with exactly msg as the whole error text. */
static void expect_error(const char *text, size_t len, const char *msg) {
  parsed p = parse_n(text, len);
  assert_int_equal(p.rc, EXD_ECONFIG);
  assert_null(p.root);
  assert_string_equal(sb_str(&p.errs), msg);
  done(&p);
}

static void assert_pos(const exd_node *n, int line, int col) {
  assert_non_null(n);
  assert_int_equal(n->line, line);
  assert_int_equal(n->col, col);
}

static void test_positions(void **state) {
  (void)state;
  parsed p = parse("# header\n"
                   "name: alpha\n"
                   "nested:\n"
                   "  inner:   \"quoted\"\n"
                   "list:\n"
                   "  - one\n"
                   "  - key: v\n"
                   "    other: w\n"
                   "flow: [x, {y: z}]\n");
  assert_int_equal(p.rc, 0);
  assert_string_equal(sb_str(&p.errs), "");
  exd_node *r = p.root;
  assert_int_equal(r->type, EXD_NODE_MAP);
  assert_int_equal(r->n, 4);
  assert_pos(r, 2, 1);
  assert_string_equal(r->keys[0]->value, "name");
  assert_pos(r->keys[0], 2, 1);
  assert_pos(r->items[0], 2, 7);
  assert_string_equal(r->items[0]->value, "alpha");
  assert_int_equal(r->items[0]->plain, 1);
  const exd_node *inner = cfg_get(r, "nested");
  assert_pos(inner, 4, 3);
  assert_pos(inner->keys[0], 4, 3);
  assert_pos(inner->items[0], 4, 12);
  assert_int_equal(inner->items[0]->plain, 0);
  assert_string_equal(inner->items[0]->where, "t.yaml:4:12");
  const exd_node *list = cfg_get(r, "list");
  assert_int_equal(list->type, EXD_NODE_LIST);
  assert_int_equal(list->n, 2);
  assert_pos(list, 6, 3);
  assert_pos(list->items[0], 6, 5);
  assert_pos(list->items[1], 7, 5);
  assert_pos(cfg_get(list->items[1], "other"), 8, 12);
  const exd_node *flow = cfg_get(r, "flow");
  assert_pos(flow, 9, 7);
  assert_pos(flow->items[0], 9, 8);
  assert_pos(flow->items[1], 9, 11);
  assert_pos(cfg_get(flow->items[1], "y"), 9, 15);
  assert_string_equal(r->items[0]->file, "t.yaml");
  done(&p);
}

static void test_duplicate_key(void **state) {
  (void)state;
  const char *t = "a: 1\nb:\n  c: 1\n  c: 2\n";
  expect_error(t, strlen(t),
               "t.yaml:4:3: duplicate key 'c' (first at line 3)\n");
  /* Equal keys in different mappings are fine. */
  parsed p = parse("a: {c: 1}\nb: {c: 1}\n");
  assert_int_equal(p.rc, 0);
  done(&p);
}

static void test_alias_works(void **state) {
  (void)state;
  parsed p = parse("base: &b\n  top: 5\n  format: json\nout: *b\n"
                   "name: &n hello\ncopy: *n\n");
  assert_int_equal(p.rc, 0);
  const exd_node *base = cfg_get(p.root, "base");
  const exd_node *out = cfg_get(p.root, "out");
  assert_int_equal(out->type, EXD_NODE_MAP);
  assert_int_equal(out->n, 2);
  assert_ptr_not_equal(out, base); /* a deep copy, not shared */
  assert_string_equal(cfg_get_str(out, "format", NULL), "json");
  assert_pos(cfg_get(out, "top"), 2, 8); /* positions of the anchor's text */
  assert_string_equal(cfg_get_str(p.root, "copy", NULL), "hello");
  done(&p);
}

static void test_alias_unknown_and_recursive(void **state) {
  (void)state;
  const char *t1 = "a: *nope\n";
  expect_error(t1, strlen(t1), "t.yaml:1:4: unknown alias '*nope'\n");
  /* A collection's anchor is registered only once it is complete, so a
     self-reference cannot build a cycle. */
  const char *t2 = "a: &x [1, *x]\n";
  expect_error(t2, strlen(t2), "t.yaml:1:11: unknown alias '*x'\n");
}

static char *laughs(void) {
  sb b = {0};
  sb_put(&b, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
  for (char c = 'b'; c <= 'j'; c++) {
    sb_printf(&b, "%c: &%c [", c, c);
    for (int i = 0; i < 9; i++)
      sb_printf(&b, "%s*%c", i ? ", " : "", c - 1);
    sb_put(&b, "]\n");
  }
  return sb_steal(&b);
}

static void test_billion_laughs(void **state) {
  (void)state;
  /* Fully expanded this is 10^9 scalars; the cap stops it at the first
     alias of d that crosses 10000 nodes (line 5, first *d). */
  char *t = laughs();
  expect_error(t, strlen(t),
               "t.yaml:5:8: aliases expand to more than 10000 nodes; refusing "
               "(billion-laughs guard)\n");
  free(t);
}

static char *nested_lists(int depth) {
  sb b = {0};
  sb_put(&b, "a: ");
  for (int i = 0; i < depth; i++)
    sb_putc(&b, '[');
  for (int i = 0; i < depth; i++)
    sb_putc(&b, ']');
  sb_putc(&b, '\n');
  return sb_steal(&b);
}

static void test_depth_cap(void **state) {
  (void)state;
  /* The top mapping is level 1, so 63 lists reach the cap exactly. */
  char *ok = nested_lists(YAML_MAX_DEPTH - 1);
  parsed p = parse(ok);
  assert_int_equal(p.rc, 0);
  done(&p);
  free(ok);
  char *deep = nested_lists(YAML_MAX_DEPTH);
  expect_error(deep, strlen(deep),
               "t.yaml:1:67: nesting deeper than 64 levels\n");
  free(deep);
}

static void test_multi_document(void **state) {
  (void)state;
  const char *t = "a: 1\n---\nb: 2\n";
  expect_error(t, strlen(t),
               "t.yaml:2:1: more than one YAML document in a file is not "
               "supported\n");
  /* One explicit document is fine. */
  parsed p = parse("---\na: 1\n...\n");
  assert_int_equal(p.rc, 0);
  assert_string_equal(cfg_get_str(p.root, "a", NULL), "1");
  done(&p);
}

static void test_tab_hint(void **state) {
  (void)state;
  const char *t = "sources:\n\t- plugin: x\n";
  expect_error(t, strlen(t),
               "t.yaml:2:1: found character that cannot start any token "
               "while scanning for the next token\n"
               "t.yaml:2:1: hint: YAML does not allow tabs for indentation; "
               "use spaces\n");
  /* A tab inside a value is not indentation: no error at all. */
  parsed p = parse("a: \"x\ty\"\n");
  assert_int_equal(p.rc, 0);
  assert_string_equal(cfg_get_str(p.root, "a", NULL), "x\ty");
  done(&p);
}

static void test_non_scalar_keys(void **state) {
  (void)state;
  const char *t1 = "? [a, b]\n: 1\n";
  expect_error(t1, strlen(t1),
               "t.yaml:1:3: mapping keys must be scalars, found a list\n");
  const char *t2 = "{{a: 1}: 2}\n";
  expect_error(t2, strlen(t2),
               "t.yaml:1:2: mapping keys must be scalars, found a mapping\n");
}

static void test_nul(void **state) {
  (void)state;
  /* A raw NUL byte is a reader error, reported with its offset. */
  const char t1[] = "a: x\0y\n";
  expect_error(t1, sizeof(t1) - 1,
               "t.yaml:1:5: control characters are not allowed (byte 0x00 "
               "at offset 4)\n");
  /* An escaped NUL would truncate the C string: refused. */
  const char *t2 = "a: 1\nb: \"x\\0y\"\n";
  expect_error(t2, strlen(t2), "t.yaml:2:4: NUL character in scalar\n");
}

static void test_invalid_utf8(void **state) {
  (void)state;
  const char *t = "a: ok\nb: caf\xc3\x28\n";
  expect_error(t, strlen(t),
               "t.yaml:2:8: invalid trailing UTF-8 octet (byte 0x28 at "
               "offset 13)\n");
}

static void test_empty_documents(void **state) {
  (void)state;
  const char *texts[] = {"", "# only a comment\n", "\n\n   \n"};
  for (size_t i = 0; i < 3; i++) {
    parsed p = parse(texts[i]);
    assert_int_equal(p.rc, 0);
    assert_null(p.root);
    assert_string_equal(sb_str(&p.errs), "");
    done(&p);
  }
}

static void test_syntax_error_context(void **state) {
  (void)state;
  const char *t1 = "a:\n  - b\n c: 1\n";
  expect_error(t1, strlen(t1),
               "t.yaml:3:2: did not find expected key (while parsing a block "
               "mapping that starts at line 1, column 1)\n");
  const char *t2 = "a: \"open\nb: 1\n";
  expect_error(t2, strlen(t2),
               "t.yaml:3:1: found unexpected end of stream (while scanning a "
               "quoted scalar that starts at line 1, column 4)\n");
  const char *t3 = "a: b: c\n";
  expect_error(t3, strlen(t3),
               "t.yaml:1:5: mapping values are not allowed in this context\n"
               "t.yaml:1:5: hint: check the indentation of this line, or "
               "quote a value that contains ': '\n");
}

static void test_plain_flag(void **state) {
  (void)state;
  parsed p = parse("a: true\nb: \"true\"\nc: 'true'\nd: |\n  block\n");
  assert_int_equal(p.rc, 0);
  int v = -1;
  assert_int_equal(cfg_bool(cfg_get(p.root, "a"), &v), 0);
  assert_int_equal(v, 1);
  assert_int_equal(cfg_get(p.root, "b")->plain, 0);
  assert_int_equal(cfg_bool(cfg_get(p.root, "b"), &v), -22);
  assert_int_equal(cfg_get(p.root, "c")->plain, 0);
  assert_string_equal(cfg_get_str(p.root, "d", NULL), "block\n");
  done(&p);
}

static void test_length_bounded(void **state) {
  (void)state;
  /* Only len bytes are read; the text need not be NUL-terminated there. */
  const char *t = "a: 1\nb: [oops";
  parsed p = parse_n(t, 5);
  assert_int_equal(p.rc, 0);
  assert_int_equal(p.root->n, 1);
  assert_string_equal(cfg_get_str(p.root, "a", NULL), "1");
  done(&p);
}

static void test_node_copy(void **state) {
  (void)state;
  parsed p = parse("a:\n  - {k: v}\n  - s\n");
  cfg_arena *b = cfg_arena_new();
  exd_node *c = node_copy(b, p.root);
  done(&p); /* the copy must not point into the freed arena */
  const exd_node *list = cfg_get(c, "a");
  assert_int_equal(list->n, 2);
  assert_string_equal(cfg_get_str(list->items[0], "k", NULL), "v");
  assert_string_equal(list->items[0]->keys[0]->where, "t.yaml:2:6");
  assert_string_equal(list->items[1]->value, "s");
  cfg_arena_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_positions),
      cmocka_unit_test(test_duplicate_key),
      cmocka_unit_test(test_alias_works),
      cmocka_unit_test(test_alias_unknown_and_recursive),
      cmocka_unit_test(test_billion_laughs),
      cmocka_unit_test(test_depth_cap),
      cmocka_unit_test(test_multi_document),
      cmocka_unit_test(test_tab_hint),
      cmocka_unit_test(test_non_scalar_keys),
      cmocka_unit_test(test_nul),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_empty_documents),
      cmocka_unit_test(test_syntax_error_context),
      cmocka_unit_test(test_plain_flag),
      cmocka_unit_test(test_length_bounded),
      cmocka_unit_test(test_node_copy),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
