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

char *xstrdup(const char *s) {
  return xstrndup(s, strlen(s));
}

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

void sb_put(sb *b, const char *s) {
  sb_putn(b, s, strlen(s));
}

void sb_putc(sb *b, char c) {
  sb_putn(b, &c, 1);
}

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

const char *sb_str(sb *b) {
  return b->buf ? b->buf : "";
}

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
  uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 offset basis */
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t hash_str(const char *s) {
  return hash_bytes(s, strlen(s));
}

/* ---- string pool ---- */

#define POOL_CHUNK (256 * 1024)

struct pool_chunk {
  struct pool_chunk *next;
  size_t used, size;
  char data[];
};

struct pool_slot {
  const char *s;
  uint32_t len, hash; /* hash: high 32 bits of the 64-bit hash */
};

struct strpool {
  struct pool_chunk *chunks;
  struct pool_slot *slots; /* open addressing table of interned strings */
  size_t nslots, count;
  size_t bytes;
};

/* Fast 64-bit string hash (8 bytes a step, multiply-xorshift mixing). */
static uint64_t pool_hash(const char *s, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    s += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, s, n);
  h = (h ^ w) * 0x94d049bb133111ebULL;
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 32);
}

strpool *pool_new(void) {
  strpool *p = xcalloc(1, sizeof(*p));
  p->nslots = 1024;
  p->slots = xcalloc(p->nslots, sizeof(*p->slots));
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
  struct pool_slot *ns = xcalloc(nn, sizeof(*ns));
  for (size_t i = 0; i < p->nslots; i++) {
    if (!p->slots[i].s) continue;
    size_t j = pool_hash(p->slots[i].s, p->slots[i].len) & (nn - 1);
    while (ns[j].s)
      j = (j + 1) & (nn - 1);
    ns[j] = p->slots[i];
  }
  free(p->slots);
  p->slots = ns;
  p->nslots = nn;
}

const char *pool_intern_n(strpool *p, const char *s, size_t n) {
  if (!s || n == 0) return NULL;
  if (n > UINT32_MAX) n = UINT32_MAX;
  if ((p->count + 1) * 4 > p->nslots * 3) pool_rehash(p);
  uint64_t h = pool_hash(s, n);
  uint32_t tag = (uint32_t)(h >> 32);
  size_t j = h & (p->nslots - 1);
  while (p->slots[j].s) {
    const struct pool_slot *e = &p->slots[j];
    if (e->hash == tag && e->len == n && memcmp(e->s, s, n) == 0) return e->s;
    j = (j + 1) & (p->nslots - 1);
  }
  char *d = pool_alloc(p, n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  p->slots[j] = (struct pool_slot){d, (uint32_t)n, tag};
  p->count++;
  return d;
}

const char *pool_intern(strpool *p, const char *s) {
  return s ? pool_intern_n(p, s, strlen(s)) : NULL;
}

size_t pool_bytes(const strpool *p) {
  return p->bytes + p->nslots * sizeof(*p->slots);
}

/* ---- text ---- */

/* Length of a valid multi-byte sequence starting at s[0] (< 0x80 not
   allowed here) within avail bytes, or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t avail) {
  unsigned char c = s[0];
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
    return 0;
  }
  if (len > avail) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
    return 0;
  return len;
}

long utf8_check_cstr(const char *str, size_t max, size_t *len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  long bad = -1;
  for (;;) {
    while (s[i] && s[i] < 0x80 && i <= max)
      i++;
    if (!s[i] || i > max) break;
    size_t avail = 0;
    while (avail < 4 && s[i + avail])
      avail++;
    size_t k = utf8_seq(s + i, avail);
    if (!k) {
      if (bad < 0) bad = (long)i;
      k = 1;
    }
    i += k;
  }
  *len = i;
  if (i > max) return -2;
  return bad;
}

long utf8_invalid_at(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t len = utf8_seq(s + i, n - i < 4 ? n - i : 4);
    if (!len) return (long)i;
    i += len;
  }
  return -1;
}

char *str_trim(char *s) {
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  size_t k = 0;
  while (s[k] && isspace((unsigned char)s[k]))
    k++;
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
