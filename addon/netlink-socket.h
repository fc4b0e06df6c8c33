// NetlinkSocket: one AF_NETLINK socket, driven by the event loop. It knows sockets
// and errno, not Netlink messages: all protocol logic lives in TypeScript.
#pragma once
#include <errno.h>
#include <napi.h>
#include <uv.h>
#include <memory>
#include "errno-error.h"
#include "owned.h"
#include "read-ahead.h"
#include "recv-batch.h"

namespace nlrx {
class NetlinkSocket : public Napi::ObjectWrap<NetlinkSocket> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  // new NetlinkSocket(protocol, { netnsPath?, rcvbuf?, strictCheck?, extAck?, groups?,
  //                               listenAllNsid?, batchBytes?, batchDatagrams?, readAhead? })
  explicit NetlinkSocket(const Napi::CallbackInfo& info);
 private:
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Membership(const Napi::CallbackInfo& info);  // (group, join)
  Napi::Value SetRef(const Napi::CallbackInfo& info);      // (ref)
  Napi::Value Stats(const Napi::CallbackInfo& info);       // { portId, closed, recvCalls, readAhead }
  Napi::Value Ethtool(const Napi::CallbackInfo& info);     // (ifname, data): SIOCETHTOOL, data in place
  static void OnPoll(uv_poll_t* handle, int status, int events);
  void OnReadAhead();
  bool ReadAheadNow();
  void Deliver(RecvBatch&& batch);
  void SettleError(int err, const char* detail = nullptr, const char* syscall = "recvmsg");
  void Settle(Napi::Value error, Napi::Value data = {}, Napi::Value ends = {},
              Napi::Value nsids = {}, bool truncated = false);
  void ReleaseFd();
  void ThrowIfClosed(Napi::Env env, const char* syscall) {
    if (fd_.get() < 0) throw ErrnoError(env, EBADF, syscall, "socket is closed");
  }
  // Destroyed bottom-up: the reader is joined and the poll handle closed before their fd.
  UniqueFd fd_;
  UvHandle<uv_poll_t> poll_;
  std::unique_ptr<ReadAhead> reader_;
  uint32_t port_id_ = 0;
  bool referenced_ = true;           // whether a pending read keeps the loop alive
  bool listen_all_nsid_ = false;
  size_t batch_bytes_ = 256 * 1024;  // bound per wakeup, so a dump cannot starve the loop
  size_t batch_datagrams_ = 64;
  size_t read_ahead_ = 0;            // batches a reader thread may read ahead (0: none)
  size_t reads_since_send_ = 0;      // the reader starts on a request's second read
  ReadAhead::Fault fault_ = ReadAhead::kNoFault;
  int deferred_errno_ = 0;           // an error met after a batch already had data
  double recv_calls_ = 0;            // recvmsg calls that returned a datagram
  Napi::FunctionReference pending_;  // the read callback, while a read is pending
  std::unique_ptr<Napi::AsyncContext> context_;  // libuv callbacks call JS through it
};
}  // namespace nlrx
