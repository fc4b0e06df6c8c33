// ReadAhead: a reader thread up to `depth` batches ahead of demand, so the kernel
// fills the next dump chunk (inside recvmsg) on another core while JS decodes.
// It never reads while a request is sent: netlink_recvmsg reads cb_running
// without cb_mutex after taking a datagram, so taking the DONE that sendmsg has
// queued but not yet marked done steps a finished dump: -EINVAL in sk_err
// (spec/transport/read-ahead.spec.ts). A demand-driven reader cannot do that.
#pragma once
#include <uv.h>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include "owned.h"
#include "recv-batch.h"

namespace nlrx {
class ReadAhead {
 public:
  enum Fault { kNoFault, kFaultAsync, kFaultThread, kFaultPoll, kFaultTruncate };  // injected by specs
  // `ready` runs on the loop thread (through uv_async) after a batch was queued.
  ReadAhead(int fd, size_t depth, size_t max_bytes, size_t max_datagrams, std::function<void()> ready)
      : fd_(fd), depth_(depth), max_bytes_(max_bytes), max_datagrams_(max_datagrams), ready_(std::move(ready)) {}
  ~ReadAhead();  // stops and joins the thread; the fd stays open
  // Creates the async handle and the thread: 0, or an errno and the step that failed.
  int Start(uv_loop_t* loop, const char** syscall, Fault fault);
  void Resume();  // lets the thread read: a read waits and the reply spans several batches
  // Stops reading and returns a lock no recvmsg of the thread runs under: hold
  // it while sending. What was read stays queued, in order.
  std::unique_lock<std::mutex> PauseForSend();
  bool Pop(RecvBatch* out);  // a queued batch, or once the queue is empty the thread's failure
  void SetRef(bool ref) {  // the async handle keeps the loop alive only while a read waits
    if (async_) (ref ? uv_ref : uv_unref)(async_.base());
  }
  double recv_calls() const { return static_cast<double>(recv_calls_.load()); }
  double queued() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<double>(queue_.size());
  }
 private:
  void Run();
  void Push(RecvBatch&& batch, int failure);
  int fd_;
  size_t depth_, max_bytes_, max_datagrams_;
  std::function<void()> ready_;
  UniqueFd wake_;               // an eventfd: interrupts poll() to stop
  UvHandle<uv_async_t> async_;  // wakes the loop thread when a batch is queued
  std::mutex io_;               // held by each recvmsg of the thread and by every send
  std::mutex mutex_;            // guards the fields below
  std::condition_variable room_;
  std::deque<RecvBatch> queue_;
  bool active_ = false, stop_ = false, fault_poll_ = false;
  int failed_ = 0;  // a fatal errno of the thread, reported by every Pop
  std::atomic<uint64_t> recv_calls_{0};
  std::thread thread_;
};
}  // namespace nlrx
