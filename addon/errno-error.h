// Errors thrown or delivered by the addon: a JS Error with errno, code and syscall.
#pragma once
#include <napi.h>

namespace nlrx {

// ErrnoError builds `Error("<syscall>: <strerror> (<CODE>)")` with .errno (positive,
// as in <errno.h>), .code ('ENOENT' …) and .syscall, so callers branch on .code.
Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall,
                       const char* detail = nullptr);

}  // namespace nlrx
