/* Error codes: 0 or a negative errno / EXD_E* code (plugin.h). */
#ifndef EXD_ERR_H
#define EXD_ERR_H

#include "expansiond/plugin.h"

/* Text for a code; never NULL; static storage. */
const char *exd_strerror(int code);

/* sysexits.h codes used by the CLI. */
enum {
  EXIT_USAGE_ = 64,
  EXIT_DATAERR_ = 65,
  EXIT_NOINPUT_ = 66,
  EXIT_SOFTWARE_ = 70,
  EXIT_CONFIG_ = 78
};

#endif
