/*
 * Small shared utilities: checked allocation, a growable string buffer,
 * growable arrays and a string interning pool.
 *
 * Allocation: x*alloc() never return NULL; on exhaustion they print one line
 * and exit(71) (EX_OSERR). The daemon cannot do anything useful without
 * memory, and this keeps every other error path about real errors.
 */
#ifndef EXD_UTIL_H
#define EXD_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define EXD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define EXD_MAX(a, b) ((a) > (b) ? (a) : (b))

#if defined(__GNUC__)
#define EXD_FMT(a, b) __attribute__((format(printf, a, b)))
#else
#define EXD_FMT(a, b)
#endif

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *p (an array of *cap elements of size elem) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* malloc'd formatted string. */
char *xasprintf(const char *fmt, ...) EXD_FMT(1, 2);
char *xvasprintf(const char *fmt, va_list ap);

/* A growable NUL-terminated string buffer. Zero-initialise to start; the
   buffer owns buf; sb_free releases it, sb_steal hands it to the caller. */
typedef struct sb {
  char *buf;
  size_t len, cap;
} sb;
void sb_putc(sb *b, char c);
void sb_put(sb *b, const char *s);
void sb_putn(sb *b, const char *s, size_t n);
void sb_printf(sb *b, const char *fmt, ...) EXD_FMT(2, 3);
void sb_vprintf(sb *b, const char *fmt, va_list ap);
const char *sb_str(sb *b); /* never NULL */
char *sb_steal(sb *b);     /* caller frees; b is reset */
void sb_reset(sb *b);      /* keep capacity, empty contents */
void sb_free(sb *b);

/* Typed growable array: VEC(T) v = {0}; VEC_PUSH(&v, x); free(v.v). */
#define VEC(T)                                                                 \
  struct {                                                                     \
    T *v;                                                                      \
    size_t n, cap;                                                             \
  }
#define VEC_PUSH(vec, x)                                                       \
  do {                                                                         \
    if ((vec)->n == (vec)->cap)                                                \
      xgrow((void **)&(vec)->v, &(vec)->cap, (vec)->n + 1, sizeof(*(vec)->v)); \
    (vec)->v[(vec)->n++] = (x);                                                \
  } while (0)

/*
 * String pool: interns strings so equal strings share one pointer, which
 * lives until pool_free. Pointers returned are stable (chunked arena).
 */
typedef struct strpool strpool;
strpool *pool_new(void);
void pool_free(strpool *p);
/* Intern s (NULL or "" → NULL). */
const char *pool_intern(strpool *p, const char *s);
const char *pool_intern_n(strpool *p, const char *s, size_t n);
/* Copy into the arena without interning. */
const char *pool_copy(strpool *p, const char *s);
/* Allocate n bytes (aligned to 8) in the arena. */
void *pool_alloc(strpool *p, size_t n);
size_t pool_bytes(const strpool *p);

/* FNV-1a 64-bit. */
uint64_t hash_bytes(const void *data, size_t n);
uint64_t hash_str(const char *s);

/* UTF-8 validation: returns -1 when valid, else the byte offset of the
   first invalid byte. */
long utf8_invalid_at(const char *s, size_t n);

/* One pass over a NUL-terminated string: *len gets its length (up to
   max + 1 bytes are read). Returns -1 when valid UTF-8 of at most max
   bytes, -2 when longer than max, else the offset of the first invalid
   byte. */
long utf8_check_cstr(const char *s, size_t max, size_t *len);

/* Trim ASCII white space in place; returns s. */
char *str_trim(char *s);
int str_ieq(const char *a, const char *b);
int str_has_suffix(const char *s, const char *suffix);

/* Whole-file read; returns 0 or -errno. *out is NUL-terminated, caller
   frees. */
int read_file(const char *path, char **out, size_t *len);

#endif
