#include "err.h"

#include <string.h>

const char *exd_strerror(int code) {
  switch (code) {
  case 0: return "success";
  case EXD_EABI: return "unsupported plugin ABI version";
  case EXD_ENOENTRY: return "plugin descriptor symbol not found";
  case EXD_ECONFIG: return "invalid configuration";
  case EXD_EDATA: return "invalid input data";
  case EXD_EPLUGIN: return "plugin misbehaved";
  case EXD_ENOACCT: return "no accounts";
  case EXD_EHTTP: return "HTTP transfer failed";
  default: break;
  }
  if (code < 0 && code > -4000) return strerror(-code);
  return "unknown error";
}
