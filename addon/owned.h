// Owning wrappers: every path out of a constructor or a close releases the fd
// and the libuv handles exactly once (no manual open/close pairs).
#pragma once
#include <unistd.h>
#include <uv.h>
namespace nlrx {
// UniqueFd closes its file descriptor when destroyed or reset.
class UniqueFd {
 public:
  UniqueFd() = default;
  UniqueFd(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }
 private:
  int fd_ = -1;
};
// UvHandle owns a heap-allocated libuv handle. libuv frees a handle only in
// uv_close's callback, so that is the deleter; a handle whose init failed is
// unknown to libuv and is deleted at once.
template <typename T>
class UvHandle {
 public:
  UvHandle() = default;
  UvHandle(const UvHandle&) = delete;
  ~UvHandle() { reset(); }
  template <typename Init>
  int init(Init&& init) {  // init(handle) → 0 or a libuv error
    reset();
    T* handle = new T;
    int err = init(handle);
    (err != 0 ? delete handle : void(handle_ = handle));
    return err;
  }
  T* get() const { return handle_; }
  uv_handle_t* base() const { return reinterpret_cast<uv_handle_t*>(handle_); }
  explicit operator bool() const { return handle_ != nullptr; }
  void reset() {
    if (handle_ == nullptr) return;
    handle_->data = nullptr;  // a callback already queued finds no owner
    uv_close(base(), [](uv_handle_t* handle) { delete reinterpret_cast<T*>(handle); });
    handle_ = nullptr;
  }
 private:
  T* handle_ = nullptr;
};
}  // namespace nlrx
