/* Private collection state of the model (model.c, model_merge.c only). */
#ifndef EXD_MODEL_PRIV_H
#define EXD_MODEL_PRIV_H

#include "model.h"

/* Open-addressing map from a non-zero 64-bit key to a 32-bit value. */
typedef struct hmap {
  uint64_t *keys;
  uint32_t *vals;
  size_t cap, n;
} hmap;
void hmap_free(hmap *h);
/* Value for key or UINT32_MAX. */
uint32_t hmap_get(const hmap *h, uint64_t key);
void hmap_put(hmap *h, uint64_t key, uint32_t val);

/* One distinct account key as emitted by one source. Strings interned. */
typedef struct m_key {
  const char *id, *domain, *name_key, *name;
  const char *first_origin;
  uint8_t src;
  uint32_t acct; /* resolved account index, UINT32_MAX when none */
  uint32_t rec;  /* its pending ACCOUNT record (one per key: records of one
                    key from one source merge at add time), or KEY_NONE */
} m_key;

/* A pending ACCOUNT record. */
typedef struct m_acct_rec {
  uint32_t key;
  uint8_t src;
  uint32_t parent_key; /* UINT32_MAX when none */
  const char *industry, *country, *currency, *owner, *origin;
  double employees, revenue, arr, nps;
  int fy_start_month;
  int32_t contract_start, contract_end, renewal, as_of;
} m_acct_rec;

struct model_priv {
  VEC(m_key) keys;
  hmap key_index; /* hash(src,id,domain,name_key) → key id (chained by
                     probing on the hash; entries compared exactly) */
  VEC(m_acct_rec) acct_recs;
  hmap dept_index;  /* interned dept name → index in model.depts */
  hmap pname_index; /* interned product name → index in model.pnames */
  hmap fname_index; /* interned feature name → index in model.fnames */
  char last_origin_raw[256]; /* the last origin copied, to share copies */
  const char *last_origin;
  /* last key seen, to skip normalisation for runs of one account */
  char last_raw[3][256];
  int last_src;
  uint32_t last_key;
  int have_last;
};

#define KEY_NONE UINT32_MAX

/* Free the collection state (after finalize). */
void free_priv_state(model *m);

#endif
