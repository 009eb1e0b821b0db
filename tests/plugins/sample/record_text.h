/*
 * A canonical text form of an exd_record (every field, numbers with 17
 * significant digits), for byte-for-byte comparisons in the sample tests.
 * Header-only; include after cmocka.h and util.h.
 */
#ifndef SAMPLE_RECORD_TEXT_H
#define SAMPLE_RECORD_TEXT_H

static void s_str(sb *b, const char *s) {
  sb_printf(b, "|%s", s ? s : "~");
}
static void s_num(sb *b, double v) {
  sb_printf(b, "|%.17g", v);
}
static void s_int(sb *b, long v) {
  sb_printf(b, "|%ld", v);
}
static void s_key(sb *b, const exd_key *k) {
  s_str(b, k->crm_id);
  s_str(b, k->domain);
  s_str(b, k->name);
}
static void s_list(sb *b, const char *const *v, size_t n) {
  s_int(b, (long)n);
  for (size_t i = 0; i < n; i++)
    s_str(b, v[i]);
}

static void record_text(sb *b, const exd_record *r) {
  s_int(b, r->type);
  s_str(b, r->origin);
  s_key(b, &r->account);
  switch (r->type) {
  case EXD_REC_ACCOUNT: {
    const exd_rec_account *a = &r->u.account;
    s_key(b, &a->parent);
    s_str(b, a->industry);
    s_num(b, a->employees);
    s_num(b, a->revenue);
    s_str(b, a->country);
    s_int(b, a->fy_start_month);
    s_num(b, a->arr);
    s_str(b, a->currency);
    s_int(b, a->contract_start);
    s_int(b, a->contract_end);
    s_int(b, a->renewal_date);
    s_num(b, a->nps);
    s_str(b, a->owner);
    s_int(b, a->as_of);
    break;
  }
  case EXD_REC_PRODUCT: {
    const exd_rec_product *p = &r->u.product;
    s_str(b, p->product);
    s_str(b, p->tier);
    s_num(b, p->seats_purchased);
    s_num(b, p->seats_active);
    s_num(b, p->unit_price);
    s_int(b, p->start);
    s_int(b, p->end);
    break;
  }
  case EXD_REC_HEALTH:
    s_int(b, r->u.health.date);
    s_num(b, r->u.health.score);
    break;
  case EXD_REC_USAGE: {
    const exd_rec_usage *u = &r->u.usage;
    s_int(b, u->date);
    s_str(b, u->product);
    s_str(b, u->department);
    s_num(b, u->active_users);
    s_num(b, u->capacity_used);
    s_num(b, u->capacity_limit);
    break;
  }
  case EXD_REC_FEATURE:
    s_int(b, r->u.feature.date);
    s_str(b, r->u.feature.product);
    s_str(b, r->u.feature.feature);
    s_num(b, r->u.feature.adoption);
    break;
  case EXD_REC_CONTACT: {
    const exd_rec_contact *c = &r->u.contact;
    s_str(b, c->name);
    s_str(b, c->title);
    s_str(b, c->department);
    s_int(b, (long)c->roles);
    s_int(b, c->since);
    s_int(b, c->left);
    break;
  }
  case EXD_REC_ESCALATION: {
    const exd_rec_escalation *e = &r->u.escalation;
    s_str(b, e->id);
    s_int(b, e->opened);
    s_int(b, e->closed);
    s_str(b, e->severity);
    s_str(b, e->subject);
    break;
  }
  case EXD_REC_INTENT: {
    const exd_rec_intent *i = &r->u.intent;
    s_int(b, i->date);
    s_str(b, i->product);
    s_num(b, i->score);
    s_str(b, i->stage);
    s_num(b, i->profile_score);
    s_str(b, i->profile_fit);
    s_list(b, i->topics, i->n_topics);
    break;
  }
  case EXD_REC_TRIGGER:
    s_int(b, r->u.trigger.date);
    s_str(b, r->u.trigger.type);
    s_str(b, r->u.trigger.detail);
    break;
  case EXD_REC_OPPORTUNITY: {
    const exd_rec_opportunity *o = &r->u.opportunity;
    s_str(b, o->id);
    s_str(b, o->product);
    s_str(b, o->stage);
    s_int(b, o->status);
    s_num(b, o->amount);
    s_int(b, o->created);
    s_int(b, o->closed);
    s_str(b, o->owner);
    break;
  }
  case EXD_REC_CATALOGUE: {
    const exd_rec_catalogue *k = &r->u.catalogue;
    s_str(b, k->product);
    s_str(b, k->family);
    s_int(b, k->tier);
    s_str(b, k->tier_name);
    s_num(b, k->list_price);
    s_int(b, k->pricing);
    s_list(b, k->aliases, k->n_aliases);
    s_list(b, k->topics, k->n_topics);
    break;
  }
  default: fail_msg("unexpected record type %d", r->type);
  }
  sb_putc(b, '\n');
}

#endif
