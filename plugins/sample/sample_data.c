/* Static tables of the sample generator; see sample_data.h. */
#include "sample_data.h"

#define WORDS(name, ...)                                                       \
  static const char *const name##_v[] = {__VA_ARGS__};                         \
  const sample_words name = {name##_v, sizeof(name##_v) / sizeof(*name##_v)}
#define LIST(v) (v), (sizeof(v) / sizeof(*(v)))

/* ---- catalogue ---- */

static const char *const al_ws_starter[] = {"WS Starter", "Workspace Basic"};
static const char *const al_ws_business[] = {"WS Business"};
static const char *const al_ws_enterprise[] = {"WS Enterprise",
                                               "Workspace Ent"};
static const char *const al_an_standard[] = {"Analytics Std"};
static const char *const al_an_advanced[] = {"Analytics Adv",
                                             "Advanced Analytics"};
static const char *const al_auto_core[] = {"Automation"};
static const char *const al_auto_scale[] = {"Automation Scale Edition"};
static const char *const al_sec_ess[] = {"Security Basic"};
static const char *const al_sec_prem[] = {"Security Plus"};
static const char *const al_int_hub[] = {"iHub", "Integrations"};
static const char *const al_support[] = {"Premier", "Premium Support"};

const sample_product sample_products[SP_COUNT] = {
    {"Workspace Starter", SF_WORKSPACE, 1, "Starter", 120, 1,
     LIST(al_ws_starter)},
    {"Workspace Business", SF_WORKSPACE, 2, "Business", 240, 1,
     LIST(al_ws_business)},
    {"Workspace Enterprise", SF_WORKSPACE, 3, "Enterprise", 420, 1,
     LIST(al_ws_enterprise)},
    {"Analytics Standard", SF_ANALYTICS, 1, "Standard", 300, 1,
     LIST(al_an_standard)},
    {"Analytics Advanced", SF_ANALYTICS, 2, "Advanced", 660, 1,
     LIST(al_an_advanced)},
    {"Automation Core", SF_AUTOMATION, 1, "Core", 18000, 0, LIST(al_auto_core)},
    {"Automation Scale", SF_AUTOMATION, 2, "Scale", 42000, 0,
     LIST(al_auto_scale)},
    {"Security Essentials", SF_SECURITY, 1, "Essentials", 12000, 0,
     LIST(al_sec_ess)},
    {"Security Premium", SF_SECURITY, 2, "Premium", 30000, 0,
     LIST(al_sec_prem)},
    {"Integration Hub", SF_INTEGRATIONS, 1, "Hub", 9600, 0, LIST(al_int_hub)},
    {"Premier Support", SF_SUPPORT, 1, "Premier", 15000, 0, LIST(al_support)},
};

static const char *const tp_workspace[] = {"collaboration", "remote work",
                                           "knowledge management"};
static const char *const tp_analytics[] = {
    "business intelligence", "dashboards", "data warehouse", "reporting"};
static const char *const tp_automation[] = {"workflow automation", "RPA",
                                            "process automation"};
static const char *const tp_security[] = {"zero trust", "SOC 2", "SSO",
                                          "compliance"};
static const char *const tp_integrations[] = {"API management", "iPaaS",
                                              "data integration"};
static const char *const tp_support[] = {"support SLA", "24x7"};

const sample_family sample_families[SF_COUNT] = {
    {"Workspace", SP_WS_STARTER, 3, 1.00, LIST(tp_workspace)},
    {"Analytics", SP_AN_STANDARD, 2, 0.45, LIST(tp_analytics)},
    {"Automation", SP_AUTO_CORE, 2, 0.25, LIST(tp_automation)},
    {"Security", SP_SEC_ESSENTIALS, 2, 0.30, LIST(tp_security)},
    {"Integrations", SP_INT_HUB, 1, 0.20, LIST(tp_integrations)},
    {"Support", SP_SUPPORT, 1, 0.15, LIST(tp_support)},
};

/* ---- company names: 48 x 40 x 25 = 48,000 distinct combinations ---- */

WORDS(sample_name_a, "Blue", "Red", "Green", "Silver", "Golden", "North",
      "South", "East", "West", "Bright", "Clear", "Swift", "Bold", "Prime",
      "True", "Grand", "Summit", "Crystal", "Iron", "Stone", "Cedar", "Maple",
      "Oak", "Pine", "River", "Lake", "Ocean", "Harbor", "Alpine", "Coastal",
      "Urban", "Metro", "Pacific", "Atlantic", "Polar", "Solar", "Lunar",
      "Stellar", "Quantum", "Vector", "Nova", "Apex", "Zenith", "Vertex",
      "Echo", "Falcon", "Eagle", "Hawk");
WORDS(sample_name_b, "Bridge", "Path", "Point", "Field", "Forge", "Gate",
      "Peak", "Ridge", "Wave", "Stream", "Light", "Spark", "Flow", "Line",
      "Sphere", "Wing", "Crest", "Rock", "Port", "Haven", "Vale", "Grove",
      "Brook", "Shore", "Sky", "Star", "Leaf", "Root", "Arc", "Link", "Mark",
      "Mill", "Yard", "Tower", "Compass", "Anchor", "Beacon", "Canyon",
      "Meadow", "Signal");
WORDS(sample_name_c, "Analytics", "Systems", "Solutions", "Technologies",
      "Partners", "Dynamics", "Networks", "Labs", "Works", "Industries",
      "Ventures", "Digital", "Interactive", "Innovations", "Services", "Brands",
      "Collective", "Resources", "Logic", "Data", "Cloud", "Media", "Robotics",
      "Devices", "Engineering");

const sample_industry sample_industries[SAMPLE_N_INDUSTRIES] = {
    {"Software", 260000},
    {"Financial Services", 420000},
    {"Healthcare", 180000},
    {"Manufacturing", 310000},
    {"Retail", 240000},
    {"Professional Services", 200000},
    {"Education", 120000},
    {"Media", 280000},
    {"Telecommunications", 450000},
    {"Logistics", 220000},
};

const sample_country sample_countries[SAMPLE_N_COUNTRIES] = {
    {"United States", "Inc", ".com", 0.50},
    {"United Kingdom", "Ltd", ".co.uk", 0.10},
    {"Germany", "GmbH", ".de", 0.08},
    {"Canada", "Inc", ".ca", 0.06},
    {"France", "SA", ".fr", 0.05},
    {"Australia", "Pty Ltd", ".com.au", 0.04},
    {"Netherlands", "BV", ".nl", 0.03},
    {"Japan", "KK", ".co.jp", 0.03},
    {"India", "Pvt Ltd", ".in", 0.03},
    {"Sweden", "AB", ".se", 0.02},
    {"Brazil", "Ltda", ".com.br", 0.02},
    {"Singapore", "Pte Ltd", ".sg", 0.02},
    {"Spain", "SL", ".es", 0.02},
};

/* ---- people ---- */

WORDS(sample_first_names, "Ava", "Liam", "Noah", "Emma", "Olivia", "Mateo",
      "Sofia", "Lucas", "Mia", "Ethan", "Amara", "Kenji", "Priya", "Arjun",
      "Chloe", "Jonas", "Lena", "Hugo", "Ines", "Omar", "Fatima", "Diego",
      "Hannah", "Samuel", "Grace", "Leo", "Yuki", "Chen", "Maya", "Elias",
      "Nora", "Isaac", "Zara", "Felix", "Ruth", "Tomas", "Anika", "Malik",
      "Clara", "Victor");
WORDS(sample_last_names, "Smith", "Garcia", "Chen", "Patel", "Müller",
      "Johnson", "Nguyen", "Kowalski", "Silva", "Okafor", "Tanaka", "Rossi",
      "Dubois", "Andersson", "Kim", "Martin", "Lopez", "Brown", "Novak",
      "Haddad", "Schmidt", "Ivanova", "O'Brien", "Yamamoto", "Fischer", "Costa",
      "Walker", "Singh", "Moreau", "Larsen", "Cohen", "Bauer", "Reyes",
      "Murphy", "Sato", "Weber", "Khan", "Hughes", "Lindqvist", "Adeyemi");

WORDS(sample_departments, "Sales", "Marketing", "Engineering", "Finance", "HR",
      "Operations", "Support");
WORDS(sample_features, "sso", "api", "advanced_reports", "workflows",
      "audit_log", "sandbox", "mobile_app", "guest_access");
WORDS(sample_escalation_subjects, "Sync failures after upgrade",
      "Login outage for EU users", "Slow dashboards", "Data export errors",
      "Billing discrepancy", "SSO misconfiguration", "API rate limiting",
      "Missing audit records");

static const sample_title t_champion[] = {
    {"Director of Operations", "Operations"},
    {"Head of IT", "IT"},
    {"Director of Sales Operations", "Sales"},
    {"Head of Marketing Operations", "Marketing"},
    {"Engineering Manager", "Engineering"},
};
static const sample_title t_power[] = {
    {"Operations Analyst", "Operations"},
    {"Senior Software Engineer", "Engineering"},
    {"Marketing Manager", "Marketing"},
    {"Sales Manager", "Sales"},
    {"Financial Analyst", "Finance"},
    {"Support Team Lead", "Support"},
};
static const sample_title t_buyer[] = {
    {"VP Finance", "Finance"},
    {"Chief Financial Officer", "Finance"},
    {"Chief Information Officer", "IT"},
    {"VP Operations", "Operations"},
};
static const sample_title t_exec[] = {
    {"Chief Operating Officer", "Executive"},
    {"Chief Technology Officer", "Engineering"},
    {"Chief Revenue Officer", "Sales"},
    {"Chief Executive Officer", "Executive"},
};
static const sample_title t_admin[] = {
    {"IT Administrator", "IT"},
    {"Systems Administrator", "IT"},
};
const sample_titles sample_champion_titles = {LIST(t_champion)};
const sample_titles sample_power_user_titles = {LIST(t_power)};
const sample_titles sample_buyer_titles = {LIST(t_buyer)};
const sample_titles sample_executive_titles = {LIST(t_exec)};
const sample_titles sample_admin_titles = {LIST(t_admin)};

/* ---- events ---- */

static const sample_event e_growth[] = {
    {"funding", "raised a Series C round"},
    {"funding", "closed a growth equity round"},
    {"hiring_surge", "open roles up 40% in a quarter"},
    {"hiring_surge", "hiring 200 engineers this year"},
    {"new_office", "opened a new regional office"},
    {"acquisition", "acquired a smaller competitor"},
    {"expansion", "entered two new markets"},
};
static const sample_event e_decline[] = {
    {"layoffs", "cut 10% of staff"},
    {"layoffs", "closed a regional office and reduced headcount"},
    {"budget_freeze", "froze discretionary software spend"},
};
static const sample_event e_neutral[] = {
    {"leadership_change", "appointed a new CEO"},
    {"product_launch", "launched a new product line"},
    {"reorganization", "reorganised into business units"},
};
const sample_events sample_growth_events = {LIST(e_growth)};
const sample_events sample_decline_events = {LIST(e_decline)};
const sample_events sample_neutral_events = {LIST(e_neutral)};

WORDS(sample_open_stages, "Discovery", "Proposal", "Negotiation");
