// ReadAhead: an opt-in reader thread that keeps up to `depth` batches read
// ahead of demand, so the kernel fills the next dump chunk (inside recvmsg)
// on another core while JavaScript decodes the current one.
#pragma once
#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "recv-batch.h"

namespace nlrx {

class ReadAhead {
 public:
  // `ready` runs on the loop thread (through uv_async) after a batch was queued.
  ReadAhead(uv_loop_t* loop, int fd, size_t depth, size_t max_bytes, size_t max_datagrams,
            std::function<void()> ready);
  ~ReadAhead();  // stops and joins the thread; the fd stays open
  bool Pop(RecvBatch* out);
  void SetRef(bool ref);  // the async handle keeps the loop alive only while a read waits
  double recv_calls() const { return static_cast<double>(recv_calls_.load()); }
  int init_error() const { return init_error_; }

 private:
  void Run();

  int fd_, wake_fd_, init_error_ = 0, failed_ = 0;  // failed_: a fatal errno, reported by every Pop
  size_t depth_, max_bytes_, max_datagrams_;
  std::function<void()> ready_;
  uv_async_t* async_ = nullptr;  // heap-owned: freed by uv_close's callback
  std::mutex mutex_;
  std::condition_variable room_;
  std::deque<RecvBatch> queue_;
  bool stop_ = false;
  std::atomic<uint64_t> recv_calls_{0};
  std::thread thread_;
};

}  // namespace nlrx
