/* Shared utilities; see util.h. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(size_t n) {
  fprintf(stderr, "expansiond: out of memory (allocating %zu bytes)\n", n);
  exit(71);
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom(n * size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

void xgrow(void **p, size_t *cap, size_t need, size_t elem) {
  size_t c = *cap;
  if (need <= c) return;
  if (c < 8) c = 8;
  while (c < need) {
    if (c > SIZE_MAX / 2 / elem) oom(SIZE_MAX);
    c *= 2;
  }
  *p = xrealloc(*p, c * elem);
  *cap = c;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *d = xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *xvasprintf(const char *fmt, va_list ap) {
  sb b = {0};
  sb_vprintf(&b, fmt, ap);
  return sb_steal(&b);
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  return s;
}

/* ---- string buffer ---- */

static void sb_reserve(sb *b, size_t extra) {
  xgrow((void **)&b->buf, &b->cap, b->len + extra + 1, 1);
}

void sb_putn(sb *b, const char *s, size_t n) {
  sb_reserve(b, n);
  memcpy(b->buf + b->len, s, n);
  b->len += n;
  b->buf[b->len] = '\0';
}

void sb_put(sb *b, const char *s) { sb_putn(b, s, strlen(s)); }

void sb_putc(sb *b, char c) { sb_putn(b, &c, 1); }

void sb_vprintf(sb *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  sb_reserve(b, 64);
  int n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
  if (n < 0) {
    va_end(ap2);
    return;
  }
  if ((size_t)n >= b->cap - b->len) {
    sb_reserve(b, (size_t)n);
    vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap2);
  }
  va_end(ap2);
  b->len += (size_t)n;
}

void sb_printf(sb *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(b, fmt, ap);
  va_end(ap);
}

const char *sb_str(sb *b) { return b->buf ? b->buf : ""; }

char *sb_steal(sb *b) {
  char *s = b->buf ? b->buf : xstrdup("");
  b->buf = NULL;
  b->len = b->cap = 0;
  return s;
}

void sb_reset(sb *b) {
  b->len = 0;
  if (b->buf) b->buf[0] = '\0';
}

void sb_free(sb *b) {
  free(b->buf);
  b->buf = NULL;
  b->len = b->cap = 0;
}

/* ---- hashing ---- */

uint64_t hash_bytes(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t hash_str(const char *s) { return hash_bytes(s, strlen(s)); }

/* ---- string pool ---- */

#define POOL_CHUNK (256 * 1024)

struct pool_chunk {
  struct pool_chunk *next;
  size_t used, size;
  char data[];
};

struct strpool {
  struct pool_chunk *chunks;
  const char **slots; /* open addressing table of interned strings */
  uint32_t *lens;
  size_t nslots, count;
  size_t bytes;
};

strpool *pool_new(void) {
  strpool *p = xcalloc(1, sizeof(*p));
  p->nslots = 1024;
  p->slots = xcalloc(p->nslots, sizeof(*p->slots));
  p->lens = xcalloc(p->nslots, sizeof(*p->lens));
  return p;
}

void pool_free(strpool *p) {
  if (!p) return;
  struct pool_chunk *c = p->chunks;
  while (c) {
    struct pool_chunk *n = c->next;
    free(c);
    c = n;
  }
  free(p->slots);
  free(p->lens);
  free(p);
}

void *pool_alloc(strpool *p, size_t n) {
  n = (n + 7) & ~(size_t)7;
  struct pool_chunk *c = p->chunks;
  if (!c || c->size - c->used < n) {
    size_t size = n > POOL_CHUNK / 4 ? n : POOL_CHUNK;
    c = xmalloc(sizeof(*c) + size);
    c->size = size;
    c->used = 0;
    if (n > POOL_CHUNK / 4 && p->chunks) {
      /* Big allocation: keep the current chunk in front for small ones. */
      c->next = p->chunks->next;
      p->chunks->next = c;
    } else {
      c->next = p->chunks;
      p->chunks = c;
    }
    p->bytes += sizeof(*c) + size;
  }
  void *r = c->data + c->used;
  c->used += n;
  return r;
}

const char *pool_copy(strpool *p, const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *d = pool_alloc(p, n + 1);
  memcpy(d, s, n + 1);
  return d;
}

static void pool_rehash(strpool *p) {
  size_t nn = p->nslots * 2;
  const char **ns = xcalloc(nn, sizeof(*ns));
  uint32_t *nl = xcalloc(nn, sizeof(*nl));
  for (size_t i = 0; i < p->nslots; i++) {
    if (!p->slots[i]) continue;
    size_t j = hash_bytes(p->slots[i], p->lens[i]) & (nn - 1);
    while (ns[j]) j = (j + 1) & (nn - 1);
    ns[j] = p->slots[i];
    nl[j] = p->lens[i];
  }
  free(p->slots);
  free(p->lens);
  p->slots = ns;
  p->lens = nl;
  p->nslots = nn;
}

const char *pool_intern_n(strpool *p, const char *s, size_t n) {
  if (!s || n == 0) return NULL;
  if (n > UINT32_MAX) n = UINT32_MAX;
  if ((p->count + 1) * 2 > p->nslots) pool_rehash(p);
  size_t j = hash_bytes(s, n) & (p->nslots - 1);
  while (p->slots[j]) {
    if (p->lens[j] == n && memcmp(p->slots[j], s, n) == 0) return p->slots[j];
    j = (j + 1) & (p->nslots - 1);
  }
  char *d = pool_alloc(p, n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  p->slots[j] = d;
  p->lens[j] = (uint32_t)n;
  p->count++;
  return d;
}

const char *pool_intern(strpool *p, const char *s) {
  return s ? pool_intern_n(p, s, strlen(s)) : NULL;
}

size_t pool_bytes(const strpool *p) {
  return p->bytes + p->nslots * (sizeof(*p->slots) + sizeof(*p->lens));
}

/* ---- text ---- */

long utf8_invalid_at(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return (long)i;
    }
    if (i + len > n) return (long)i;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return (long)i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      return (long)i;
    i += len;
  }
  return -1;
}

char *str_trim(char *s) {
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
  size_t k = 0;
  while (s[k] && isspace((unsigned char)s[k])) k++;
  if (k) memmove(s, s + k, n - k + 1);
  return s;
}

int str_ieq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  while (*a && *b) {
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
    a++;
    b++;
  }
  return *a == *b;
}

int str_has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

int read_file(const char *path, char **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  struct stat st;
  if (fstat(fd, &st) < 0) {
    int e = -errno;
    close(fd);
    return e;
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return -EISDIR;
  }
  sb b = {0};
  char buf[65536];
  for (;;) {
    ssize_t r = read(fd, buf, sizeof(buf));
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = -errno;
      close(fd);
      sb_free(&b);
      return e;
    }
    if (r == 0) break;
    sb_putn(&b, buf, (size_t)r);
  }
  close(fd);
  if (len) *len = b.len;
  *out = sb_steal(&b);
  return 0;
}
