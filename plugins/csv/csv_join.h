/*
 * The lookup table behind `join:`: the rows of a lookup file indexed by one
 * key column, holding only the columns a join takes. Pure: no I/O.
 * Memory is proportional to the text kept.
 */
#ifndef EXD_CSV_JOIN_H
#define EXD_CSV_JOIN_H

#include <stddef.h>

typedef struct csv_lookup {
  /* all private */
  size_t n_cols; /* values kept per row */
  char *text;    /* keys and values, NUL-terminated, back to back */
  size_t text_len, text_cap;
  size_t *offs;         /* per row: key offset then n_cols value offsets */
  unsigned long *lines; /* per row: its line in the lookup file */
  size_t n_rows, rows_cap;
  size_t *slots; /* open addressing: row index + 1, 0 = empty */
  size_t n_slots;
  char **view; /* n_cols pointers handed out by csv_lookup_get */
} csv_lookup;

/* Start an empty table keeping n_cols values per row. 0 or -ENOMEM. */
int csv_lookup_init(csv_lookup *lk, size_t n_cols);
void csv_lookup_free(csv_lookup *lk);

/*
 * Add a row: key (compared exactly; an empty key is not indexed) and
 * vals[0..n_cols) (copied). Returns 0, 1 when the key is already present
 * (the first row is kept; *first_line gets its line), or -ENOMEM.
 */
int csv_lookup_add(csv_lookup *lk, const char *key, const char *const *vals,
                   unsigned long line, unsigned long *first_line);

/* The values of the row with this key, or NULL (*line gets its line). The
   array and the strings are owned by the table and valid until the next
   call on lk; the strings may be trimmed in place. */
char *const *csv_lookup_get(csv_lookup *lk, const char *key,
                            unsigned long *line);

size_t csv_lookup_rows(const csv_lookup *lk);

#endif
