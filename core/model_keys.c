/* Account key normalisation (Salesforce ids, domains, names); see model.h.
   Pure functions. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "model.h"

static const char sf_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

static int all_alnum(const char *s, size_t n, int *has_alpha) {
  *has_alpha = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isalnum((unsigned char)s[i])) return 0;
    if (isalpha((unsigned char)s[i])) *has_alpha = 1;
  }
  return 1;
}

void model_norm_id(const char *id, char *out, size_t outsz) {
  while (*id && isspace((unsigned char)*id))
    id++;
  size_t n = strlen(id);
  while (n && isspace((unsigned char)id[n - 1]))
    n--;
  int alpha;
  if ((n == 15 || n == 18) && outsz > 18 && all_alnum(id, n, &alpha) && alpha) {
    char body[16];
    memcpy(body, id, 15);
    body[15] = '\0';
    int ok = 1;
    if (n == 18) {
      /* The suffix encodes the case of the body: restore it. */
      for (int chunk = 0; chunk < 3 && ok; chunk++) {
        const char *pos =
            strchr(sf_alphabet, toupper((unsigned char)id[15 + chunk]));
        if (!pos) {
          ok = 0;
          break;
        }
        int bits = (int)(pos - sf_alphabet);
        for (int i = 0; i < 5; i++) {
          char *c = &body[chunk * 5 + i];
          if (isalpha((unsigned char)*c))
            *c = (char)((bits >> i) & 1 ? toupper((unsigned char)*c)
                                        : tolower((unsigned char)*c));
          else if ((bits >> i) & 1)
            ok = 0; /* a digit cannot be upper-case: not a Salesforce id */
        }
      }
    }
    if (ok) {
      memcpy(out, body, 15);
      for (int chunk = 0; chunk < 3; chunk++) {
        int bits = 0;
        for (int i = 0; i < 5; i++)
          if (isupper((unsigned char)body[chunk * 5 + i])) bits |= 1 << i;
        out[15 + chunk] = sf_alphabet[bits];
      }
      out[18] = '\0';
      return;
    }
  }
  if (n >= outsz) n = outsz - 1;
  memcpy(out, id, n);
  out[n] = '\0';
}

void model_norm_domain(const char *d, char *out, size_t outsz) {
  while (*d && isspace((unsigned char)*d))
    d++;
  const char *p = strstr(d, "://");
  if (p) d = p + 3;
  const char *at = strchr(d, '@'); /* an e-mail address: take its domain */
  if (at && (!strchr(d, '/') || at < strchr(d, '/'))) d = at + 1;
  if (!strncasecmp(d, "www.", 4)) d += 4;
  size_t k = 0;
  for (; *d && k + 1 < outsz; d++) {
    if (*d == '/' || *d == '?' || *d == '#' || *d == ':' ||
        isspace((unsigned char)*d))
      break;
    out[k++] = (char)tolower((unsigned char)*d);
  }
  while (k && out[k - 1] == '.')
    k--;
  out[k] = '\0';
}

static const char *const legal_suffixes[] = {
    "inc",  "incorporated", "llc", "ltd",     "limited", "gmbh",
    "corp", "corporation",  "co",  "company", "plc",     "sa",
    "ag",   "bv",           "nv",  "pty",     "llp",     "lp",
    "srl",  "spa",          "ab",  "oy",      "kk",      "sarl",
    "sas",  "kg",           "ohg", "se",      "oyj",     "asa",
    "ltda", "pvt",          "bhd", "sdn",     "sl",      NULL};

void model_norm_name(const char *s, char *out, size_t outsz) {
  char tmp[512];
  size_t k = 0;
  for (; *s && k + 1 < sizeof(tmp); s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || c >= 0x80)
      tmp[k++] = (char)tolower(c);
    else if (c == '\'' || c == '.')
      continue; /* "Macy's" = "Macys", "A.C.M.E." = "ACME" */
    else
      tmp[k++] = ' ';
  }
  tmp[k] = '\0';
  /* Tokenise, drop a leading "the" and trailing legal suffixes. */
  char *tok[64];
  int nt = 0;
  for (char *t = strtok(tmp, " "); t && nt < 64; t = strtok(NULL, " "))
    if (strcmp(t, "and") != 0) /* "A & B" = "A and B" = "A B" */
      tok[nt++] = t;
  int first = 0;
  if (nt > 1 && !strcmp(tok[0], "the")) first = 1;
  while (nt - first > 1) {
    int drop = 0;
    for (int i = 0; legal_suffixes[i]; i++)
      if (!strcmp(tok[nt - 1], legal_suffixes[i])) drop = 1;
    if (!drop) break;
    nt--;
  }
  size_t o = 0;
  for (int i = first; i < nt; i++) {
    size_t l = strlen(tok[i]);
    if (o + l + 2 > outsz) break;
    if (o) out[o++] = ' ';
    memcpy(out + o, tok[i], l);
    o += l;
  }
  out[o] = '\0';
}
