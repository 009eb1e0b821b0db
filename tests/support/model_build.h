/*
 * Helpers to build account models from records in unit tests: every record
 * starts from record_init (all fields absent) and goes through model_add,
 * exactly as a plugin's emit would.
 *
 * Strings passed in are borrowed for the call only (the model copies what it
 * keeps). The text of the last rejection is kept in a static buffer
 * (mb_why), valid until the next mb_add.
 */
#ifndef EXD_MODEL_BUILD_H
#define EXD_MODEL_BUILD_H

#include <stdint.h>

#include "model.h"

#define MB_KEY(id, domain, name) ((exd_key){(id), (domain), (name)})

/* A record of type with every field absent, the given account key and
   origin (may be NULL). */
exd_record mb_rec(int type, exd_key key, const char *origin);

/* model_add(m, src, r); the rejection reason (or "") is kept for mb_why. */
int mb_add(model *m, int src, const exd_record *r);
const char *mb_why(void);

/* Shorthands; each returns what model_add returned. */
int mb_account(model *m, int src, exd_key key);
int mb_catalogue(model *m, int src, const char *product, const char *family,
                 int tier, double list_price, int pricing);
int mb_product(model *m, int src, exd_key key, const char *product,
               double seats_purchased, double seats_active, double unit_price);
int mb_health(model *m, int src, exd_key key, int32_t date, double score);
int mb_opportunity(model *m, int src, exd_key key, const char *product,
                   int status, int32_t created, int32_t closed, double amount,
                   const char *owner);

/* model_finalize; *notes gets a malloc'd copy of the notes (caller frees;
   may be NULL to drop them). */
int mb_finalize(model *m, char **notes);

/* Index of the account whose display name is exactly name, or -1. */
long mb_find_name(const model *m, const char *name);
/* The account whose display name is exactly name; aborts the test (cmocka
   fail) when there is none. */
const m_account *mb_acct(const model *m, const char *name);

/* YYYY-MM-DD → days; aborts on a bad date (a bug in the test). */
int32_t mb_date(const char *ymd);

#endif
