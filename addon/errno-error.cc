#include "errno-error.h"

#include <string.h>
#include <uv.h>

#include <string>

namespace nlrx {

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall,
                       const char* detail) {
  // libuv knows every errno's symbolic name; its error codes are negated errnos.
  const char* code = uv_err_name(-err);
  std::string message = std::string(syscall) + ": " +
                        (detail ? detail : strerror(err)) + " (" + code + ")";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("code", Napi::String::New(env, code));
  error.Set("syscall", Napi::String::New(env, syscall));
  return error;
}

}  // namespace nlrx
