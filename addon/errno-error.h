// Errors thrown or delivered by the addon: a JS Error with errno, code and syscall.
#pragma once
#include <napi.h>
#include <string.h>
#include <uv.h>
#include <string>

namespace nlrx {
// ErrnoError builds `Error("<syscall>: <strerror> (<CODE>)")` with .errno (positive,
// as in <errno.h>), .code ('ENOENT' …) and .syscall, so callers branch on .code.
inline Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const char* detail = nullptr) {
  const char* code = uv_err_name(-err);  // libuv's error codes are negated errnos
  Napi::Error error = Napi::Error::New(
      env, std::string(syscall) + ": " + (detail ? detail : strerror(err)) + " (" + code + ")");
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("code", Napi::String::New(env, code));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}
}  // namespace nlrx
