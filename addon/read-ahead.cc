#include "read-ahead.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace nlrx {

ReadAhead::ReadAhead(uv_loop_t* loop, int fd, size_t depth, size_t max_bytes, size_t max_datagrams,
                     std::function<void()> ready)
    : fd_(fd), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)), depth_(depth), max_bytes_(max_bytes),
      max_datagrams_(max_datagrams), ready_(std::move(ready)) {
  if (wake_fd_ < 0) {
    init_error_ = errno;
    return;
  }
  async_ = new uv_async_t;
  async_->data = this;
  uv_async_init(loop, async_, [](uv_async_t* handle) {
    if (handle->data != nullptr) static_cast<ReadAhead*>(handle->data)->ready_();
  });
  SetRef(false);
  thread_ = std::thread(&ReadAhead::Run, this);
}

ReadAhead::~ReadAhead() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    room_.notify_all();
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));  // wakes poll()
    thread_.join();
  }
  if (wake_fd_ >= 0) close(wake_fd_);
  if (async_ == nullptr) return;
  async_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
}

bool ReadAhead::Pop(RecvBatch* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) {
    *out = RecvBatch();
    out->err = failed_;
    return failed_ != 0;
  }
  *out = std::move(queue_.front());
  queue_.pop_front();
  room_.notify_one();
  return true;
}

void ReadAhead::SetRef(bool ref) {
  if (async_ != nullptr) (ref ? uv_ref : uv_unref)(reinterpret_cast<uv_handle_t*>(async_));
}

void ReadAhead::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [this] { return stop_ || queue_.size() < depth_; });
      if (stop_) return;
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    RecvBatch batch;
    recv_calls_ += RecvDatagrams(fd_, max_bytes_, max_datagrams_, &batch);
    if (batch.ends.empty() && batch.err == 0) continue;
    bool fatal = batch.ends.empty() && batch.err != ENOBUFS;  // a broken socket: report, stop
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (fatal) failed_ = batch.err;
      else queue_.push_back(std::move(batch));
    }
    uv_async_send(async_);
    if (fatal) return;
  }
}

}  // namespace nlrx
