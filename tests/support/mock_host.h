/*
 * A mock host for plugin unit tests (after collectd's plugin_mock.c): a real
 * exd_host_api table whose config comes from a YAML string validated by the
 * core's cfg_validate against the plugin's own key table, and which records
 * everything the plugin emits instead of building a model.
 */
#ifndef EXD_MOCK_HOST_H
#define EXD_MOCK_HOST_H

#include <stddef.h>

#include "expansiond/plugin.h"

typedef struct mock_host mock_host;

/*
 * config_yaml: the text of the instance's `config:` mapping (e.g.
 * "path: x.csv\nformat: jsonl\n"), positions reported as file_name:L:C.
 * Relative PATH keys resolve against the directory of file_name.
 */
mock_host *mock_host_new(const char *config_yaml, const char *file_name,
                         const exd_config_key *keys);
void mock_host_free(mock_host *m);

/* Errors from validating the config (cfg_validate) or from
   host->config_error, one per line, "" when none. */
const char *mock_config_errors(const mock_host *m);

const exd_host_api *mock_api(mock_host *m);
exd_instance *mock_instance(mock_host *m);
exd_collect *mock_collect(mock_host *m);
exd_push *mock_push(mock_host *m);
void mock_set_as_of(mock_host *m, int32_t days); /* default 2026-06-30 */

/* Run deferred callbacks until none is left. */
void mock_run_deferred(mock_host *m);

/* Collect results. Records are deep copies owned by the mock. */
size_t mock_n_records(const mock_host *m);
const exd_record *mock_record(const mock_host *m, size_t i);
size_t mock_n_data_errors(const mock_host *m);
const char *mock_data_error(const mock_host *m, size_t i); /* "origin: msg" */
int mock_collect_done_calls(const mock_host *m);
int mock_collect_status(const mock_host *m);

/* Sink side: the results host->result / format_result hand out. opps are
   copied shallowly (the caller keeps them alive). format_result uses the
   core's report formatter, so JSON/CSV are exactly what `run` prints. */
void mock_set_results(mock_host *m, const exd_opportunity *opps, size_t n);
int mock_push_done_calls(const mock_host *m);
int mock_push_status(const mock_host *m);

/* Log lines the plugin wrote, "LEVEL: text", one per line. */
const char *mock_log(const mock_host *m);

#endif
