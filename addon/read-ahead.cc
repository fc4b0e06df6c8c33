#include "read-ahead.h"
#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <system_error>

namespace nlrx {
int ReadAhead::Start(uv_loop_t* loop, const char** syscall, Fault fault) {
  wake_.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (wake_.get() < 0) return *syscall = "eventfd", errno;
  int err = async_.init([&](uv_async_t* handle) -> int {
    handle->data = this;
    return fault == kFaultAsync ? UV_ENOMEM : uv_async_init(loop, handle, [](uv_async_t* h) {
      if (h->data != nullptr) static_cast<ReadAhead*>(h->data)->ready_();
    });
  });
  if (err != 0) return *syscall = "uv_async_init", -err;
  SetRef(false);
  fault_poll_ = fault == kFaultPoll;
  try {
    if (fault == kFaultThread) throw std::system_error(EAGAIN, std::generic_category());
    thread_ = std::thread(&ReadAhead::Run, this);
  } catch (const std::system_error& e) {
    return *syscall = "pthread_create", e.code().value();
  }
  return 0;
}
ReadAhead::~ReadAhead() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  room_.notify_all();
  uint64_t one = 1;
  (void)!write(wake_.get(), &one, sizeof(one));  // wakes poll()
  thread_.join();
}
void ReadAhead::Resume() {
  std::lock_guard<std::mutex> lock(mutex_);
  active_ = true;
  room_.notify_one();
}
std::unique_lock<std::mutex> ReadAhead::PauseForSend() {
  std::unique_lock<std::mutex> io(io_);
  std::lock_guard<std::mutex> lock(mutex_);
  active_ = false;
  return io;
}
bool ReadAhead::Pop(RecvBatch* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  *out = RecvBatch();
  if (queue_.empty()) return (out->err = failed_) != 0;
  *out = std::move(queue_.front());
  queue_.pop_front();
  room_.notify_one();
  return true;
}
void ReadAhead::Push(RecvBatch&& batch, int failure) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (failure != 0) failed_ = failure;
    else queue_.push_back(std::move(batch));
  }
  uv_async_send(async_.get());
}
void ReadAhead::Run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [this] { return stop_ || (active_ && queue_.size() < depth_); });
      if (stop_) return;
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    int ready = fault_poll_ ? (errno = ENOMEM, -1) : poll(fds, 2, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return Push({}, errno);  // the pending read fails: never silence
    if (fds[1].revents != 0) return;        // only the destructor writes the eventfd
    if (fds[0].revents == 0) continue;
    std::lock_guard<std::mutex> io(io_);  // queued under io_ too: a send finds everything read queued
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!active_ || stop_) continue;  // paused while polling: the loop thread reads now
    }
    RecvBatch batch;
    recv_calls_ += RecvDatagrams(fd_, max_bytes_, max_datagrams_, &batch);
    if (batch.ends.empty() && batch.err == 0) continue;
    int broken = batch.ends.empty() && batch.err != ENOBUFS ? batch.err : 0;  // report, stop
    Push(std::move(batch), broken);
    if (broken != 0) return;
  }
}
}  // namespace nlrx
