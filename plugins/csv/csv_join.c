/* Lookup table for joins; see csv_join.h. */
#include "csv_join.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int csv_lookup_init(csv_lookup *lk, size_t n_cols) {
  memset(lk, 0, sizeof(*lk));
  lk->n_cols = n_cols;
  lk->view = calloc(n_cols ? n_cols : 1, sizeof(*lk->view));
  return lk->view ? 0 : -ENOMEM;
}

void csv_lookup_free(csv_lookup *lk) {
  free(lk->text);
  free(lk->offs);
  free(lk->lines);
  free(lk->slots);
  free(lk->view);
  memset(lk, 0, sizeof(*lk));
}

size_t csv_lookup_rows(const csv_lookup *lk) {
  return lk->n_rows;
}

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static const char *row_key(const csv_lookup *lk, size_t row) {
  return lk->text + lk->offs[row * (lk->n_cols + 1)];
}

/* Slot holding key, or the empty slot where it would go. */
static size_t find_slot(const csv_lookup *lk, const char *key) {
  size_t mask = lk->n_slots - 1, i = (size_t)hash(key) & mask;
  while (lk->slots[i] && strcmp(row_key(lk, lk->slots[i] - 1), key) != 0)
    i = (i + 1) & mask;
  return i;
}

static int grow_slots(csv_lookup *lk) {
  size_t n = lk->n_slots ? lk->n_slots * 2 : 64;
  size_t *old = lk->slots, old_n = lk->n_slots;
  lk->slots = calloc(n, sizeof(*lk->slots));
  if (!lk->slots) {
    lk->slots = old;
    return -ENOMEM;
  }
  lk->n_slots = n;
  for (size_t i = 0; i < old_n; i++)
    if (old[i]) lk->slots[find_slot(lk, row_key(lk, old[i] - 1))] = old[i];
  free(old);
  return 0;
}

static int put_text(csv_lookup *lk, const char *s, size_t *off) {
  size_t n = strlen(s) + 1;
  if (lk->text_len + n > lk->text_cap) {
    size_t cap = lk->text_cap ? lk->text_cap : 1024;
    while (cap < lk->text_len + n) {
      if (cap > SIZE_MAX / 2) return -ENOMEM;
      cap *= 2;
    }
    char *t = realloc(lk->text, cap);
    if (!t) return -ENOMEM;
    lk->text = t;
    lk->text_cap = cap;
  }
  memcpy(lk->text + lk->text_len, s, n);
  *off = lk->text_len;
  lk->text_len += n;
  return 0;
}

int csv_lookup_add(csv_lookup *lk, const char *key, const char *const *vals,
                   unsigned long line, unsigned long *first_line) {
  int rc;
  if (!*key) return 0;
  if ((lk->n_rows + 1) * 2 > lk->n_slots && (rc = grow_slots(lk))) return rc;
  size_t slot = find_slot(lk, key);
  if (lk->slots[slot]) {
    if (first_line) *first_line = lk->lines[lk->slots[slot] - 1];
    return 1;
  }
  size_t w = lk->n_cols + 1;
  if (lk->n_rows == lk->rows_cap) {
    size_t cap = lk->rows_cap ? lk->rows_cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof(size_t) / w) return -ENOMEM;
    size_t *o = realloc(lk->offs, cap * w * sizeof(*o));
    if (!o) return -ENOMEM;
    lk->offs = o;
    unsigned long *l = realloc(lk->lines, cap * sizeof(*l));
    if (!l) return -ENOMEM;
    lk->lines = l;
    lk->rows_cap = cap;
  }
  size_t *o = lk->offs + lk->n_rows * w;
  if ((rc = put_text(lk, key, &o[0]))) return rc;
  for (size_t i = 0; i < lk->n_cols; i++)
    if ((rc = put_text(lk, vals[i], &o[i + 1]))) return rc;
  lk->lines[lk->n_rows] = line;
  lk->slots[slot] = ++lk->n_rows;
  return 0;
}

char *const *csv_lookup_get(csv_lookup *lk, const char *key,
                            unsigned long *line) {
  if (!lk->n_slots || !*key) return NULL;
  size_t slot = find_slot(lk, key);
  if (!lk->slots[slot]) return NULL;
  size_t row = lk->slots[slot] - 1;
  const size_t *o = lk->offs + row * (lk->n_cols + 1);
  for (size_t i = 0; i < lk->n_cols; i++)
    lk->view[i] = lk->text + o[i + 1];
  if (line) *line = lk->lines[row];
  return lk->view;
}
