/*
 * The core's config schema, in the same exd_config_key form the plugins use.
 * The README's config reference is generated from these tables
 * (`expansiond check --keys`), so the descriptions are user-facing.
 */
#include "config.h"

static const char *const log_levels[] = {"error", "warn", "info", "debug",
                                         NULL};
static const char *const formats[] = {"table", "json", "csv", NULL};
static const char *const pricings[] = {"per_seat", "flat", NULL};

static const exd_config_key instance_keys[] = {
    {"name", EXD_CFG_STRING, 0, NULL,
     "instance name, unique among sources and sinks (default: the plugin name)",
     NULL, 0, 0, 0, NULL},
    {"plugin", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "plugin to load: PLUGIN_DIR/<plugin>.so", NULL, 0, 0, 0, NULL},
    {"enabled", EXD_CFG_BOOL, 0, "true",
     "set false to keep the block but skip it", NULL, 0, 0, 0, NULL},
    {"config", EXD_CFG_MAP, 0, NULL,
     "the plugin's own keys (see `expansiond plugins`)", NULL, 0, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

const exd_config_key cfg_catalogue_keys[] = {
    {"product", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL, "unique product name",
     NULL, 0, 0, 0, NULL},
    {"family", EXD_CFG_STRING, EXD_CFG_REQUIRED, NULL,
     "product family; the tiers of one product share a family", NULL, 0, 0, 0,
     NULL},
    {"tier", EXD_CFG_INT, 0, NULL,
     "tier order in the family, 1 = entry (default: order of list price)", NULL,
     0, 1, 100, NULL},
    {"tier_name", EXD_CFG_STRING, 0, NULL, "display name of the tier", NULL, 0,
     0, 0, NULL},
    {"list_price", EXD_CFG_DOUBLE, EXD_CFG_REQUIRED, NULL,
     "list price per year (per seat or flat, see pricing)", NULL, 0, 0, 1e12,
     NULL},
    {"pricing", EXD_CFG_STRING, 0, "per_seat", "per_seat or flat", NULL, 0, 0,
     0, pricings},
    {"aliases", EXD_CFG_LIST, 0, NULL,
     "other spellings of the product name found in source data", NULL,
     EXD_CFG_STRING, 0, 0, NULL},
    {"topics", EXD_CFG_LIST, 0, NULL,
     "buying-intent topics this product answers", NULL, EXD_CFG_STRING, 0, 0,
     NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

static const exd_config_key weight_keys[] = {
    {"health", EXD_CFG_DOUBLE, 0, "0.25", "weight of the health component",
     NULL, 0, 0, 100, NULL},
    {"usage", EXD_CFG_DOUBLE, 0, "0.25", "weight of the usage component", NULL,
     0, 0, 100, NULL},
    {"engagement", EXD_CFG_DOUBLE, 0, "0.20",
     "weight of the engagement component", NULL, 0, 0, 100, NULL},
    {"timing", EXD_CFG_DOUBLE, 0, "0.10", "weight of the timing component",
     NULL, 0, 0, 100, NULL},
    {"similar", EXD_CFG_DOUBLE, 0, "0.20",
     "weight of the similar-customer success component", NULL, 0, 0, 100, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

static const exd_config_key signal_keys[] = {
    {"usage_ceiling", EXD_CFG_DOUBLE, 0, "15",
     "points at full strength: seats or capacity running out", NULL, 0, -100,
     100, NULL},
    {"new_use_case", EXD_CFG_DOUBLE, 0, "10",
     "points: a new department or team started using the product", NULL, 0,
     -100, 100, NULL},
    {"org_growth", EXD_CFG_DOUBLE, 0, "8",
     "points: headcount growth, funding, acquisition, new office", NULL, 0,
     -100, 100, NULL},
    {"intent_alignment", EXD_CFG_DOUBLE, 0, "12",
     "points: buying intent or researched topics matching the product", NULL, 0,
     -100, 100, NULL},
    {"new_stakeholder", EXD_CFG_DOUBLE, 0, "5",
     "points: a new executive, buyer or champion engaged", NULL, 0, -100, 100,
     NULL},
    {"health_improving", EXD_CFG_DOUBLE, 0, "6",
     "points: health score trending up", NULL, 0, -100, 100, NULL},
    {"related_account_owns", EXD_CFG_DOUBLE, 0, "6",
     "points: the parent or a sibling account owns the product", NULL, 0, -100,
     100, NULL},
    {"health_declining", EXD_CFG_DOUBLE, 0, "-15",
     "points: health score trending down", NULL, 0, -100, 100, NULL},
    {"champion_left", EXD_CFG_DOUBLE, 0, "-12",
     "points: a champion left without a replacement", NULL, 0, -100, 100, NULL},
    {"open_escalation", EXD_CFG_DOUBLE, 0, "-10",
     "points: an open support escalation", NULL, 0, -100, 100, NULL},
    {"lost_deal", EXD_CFG_DOUBLE, 0, "-8",
     "points: a deal for the same product was lost recently", NULL, 0, -100,
     100, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

const exd_config_key cfg_scoring_keys[] = {
    {"weights", EXD_CFG_MAP, 0, NULL,
     "component weights; an absent component's weight is shared by the others",
     weight_keys, 0, 0, 0, NULL},
    {"signals", EXD_CFG_MAP, 0, NULL,
     "propensity points each signal adds at full strength (negative: takes)",
     signal_keys, 0, 0, 0, NULL},
    {"seat_threshold", EXD_CFG_DOUBLE, 0, "0.85",
     "seat utilization at which seat expansion is proposed", NULL, 0, 0.1, 2,
     NULL},
    {"seat_headroom", EXD_CFG_DOUBLE, 0, "0.10",
     "spare share a seat true-up adds on top of the seats needed", NULL, 0, 0,
     1, NULL},
    {"horizon_days", EXD_CFG_INT, 0, "180",
     "how far ahead ceilings are forecast and windows are looked for", NULL, 0,
     7, 730, NULL},
    {"window_days", EXD_CFG_INT, 0, "90", "length of the default action window",
     NULL, 0, 7, 365, NULL},
    {"recent_days", EXD_CFG_INT, 0, "90",
     "how recent an event must be to count as new (triggers, intent, teams)",
     NULL, 0, 7, 365, NULL},
    {"stale_days", EXD_CFG_INT, 0, "365",
     "facts older than this are ignored (health, usage, intent)", NULL, 0, 30,
     3650, NULL},
    {"min_peers", EXD_CFG_INT, 0, "5",
     "look-alike groups smaller than this borrow from the wider group", NULL, 0,
     1, 1000, NULL},
    {"component_share", EXD_CFG_DOUBLE, 0, "0.6",
     "share of the propensity the components (readiness) can give; the rest "
     "must come from signals (need)",
     NULL, 0, 0, 1, NULL},
    {"hold_health_below", EXD_CFG_DOUBLE, 0, "40",
     "hold every opportunity of an account whose health is below this", NULL, 0,
     0, 100, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

static const exd_config_key output_keys[] = {
    {"top", EXD_CFG_INT, 0, "10", "how many opportunities `run` prints", NULL,
     0, 1, 1000000, NULL},
    {"format", EXD_CFG_STRING, 0, "table", "table, json or csv", NULL, 0, 0, 0,
     formats},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};

const exd_config_key cfg_core_keys[] = {
    {"plugin_dir", EXD_CFG_PATH, 0, NULL,
     "directory of plugin .so files (default: $EXPANSIOND_PLUGIN_DIR, else "
     "plugins/ beside the executable, else the install directory)",
     NULL, 0, 0, 0, NULL},
    {"conf_d", EXD_CFG_PATH, 0, "conf.d",
     "directory of *.yaml drop-ins read after this file in lexical order", NULL,
     0, 0, 0, NULL},
    {"currency", EXD_CFG_STRING, 0, "USD",
     "currency of catalogue prices and of every amount in the output "
     "(ISO 4217)",
     NULL, 0, 0, 0, NULL},
    {"exchange_rates", EXD_CFG_MAP, 0, NULL,
     "value of one unit of another currency in `currency` (e.g. EUR: 1.08); "
     "accounts in a currency without a rate are priced from the catalogue "
     "only",
     NULL, EXD_CFG_DOUBLE, 1e-9, 1e9, NULL},
    {"as_of", EXD_CFG_DATE, 0, NULL,
     "the date the run is as of (default: today); later facts are ignored",
     NULL, 0, 0, 0, NULL},
    {"log_level", EXD_CFG_STRING, 0, "info", "error, warn, info or debug", NULL,
     0, 0, 0, log_levels},
    {"sources", EXD_CFG_LIST, 0, NULL, "plugin instances that collect accounts",
     instance_keys, EXD_CFG_MAP, 0, 0, NULL},
    {"sinks", EXD_CFG_LIST, 0, NULL,
     "plugin instances that receive the ranked opportunities", instance_keys,
     EXD_CFG_MAP, 0, 0, NULL},
    {"catalogue", EXD_CFG_LIST, 0, NULL,
     "the products you sell (sources may add more)", cfg_catalogue_keys,
     EXD_CFG_MAP, 0, 0, NULL},
    {"scoring", EXD_CFG_MAP, 0, NULL, "scoring weights and thresholds",
     cfg_scoring_keys, 0, 0, 0, NULL},
    {"output", EXD_CFG_MAP, 0, NULL, "defaults for `run` output", output_keys,
     0, 0, 0, NULL},
    {NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0, NULL}};
