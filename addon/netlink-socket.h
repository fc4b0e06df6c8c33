// NetlinkSocket: one AF_NETLINK socket, driven by the event loop. It knows sockets
// and errno, not Netlink messages: all protocol logic lives in TypeScript.
#pragma once
#include <napi.h>
#include <uv.h>

#include <cstdint>
#include <vector>

namespace nlrx {

class NetlinkSocket : public Napi::ObjectWrap<NetlinkSocket> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);

  // new NetlinkSocket(protocol, { netns?, rcvbuf?, strictCheck?, extAck?,
  //                               groups?, listenAllNsid?, batchBytes?, batchDatagrams? })
  explicit NetlinkSocket(const Napi::CallbackInfo& info);
  ~NetlinkSocket() override;

 private:
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value AddMembership(const Napi::CallbackInfo& info);
  Napi::Value DropMembership(const Napi::CallbackInfo& info);
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value Unref(const Napi::CallbackInfo& info);
  Napi::Value GetPortId(const Napi::CallbackInfo& info);
  Napi::Value GetClosed(const Napi::CallbackInfo& info);
  Napi::Value GetRecvCalls(const Napi::CallbackInfo& info);

  static void OnPoll(uv_poll_t* handle, int status, int events);
  void ReadBatch();
  void Settle(Napi::Value error, Napi::Value data, Napi::Value ends,
              Napi::Value nsids, bool truncated);
  void Membership(const Napi::CallbackInfo& info, int option);
  void ReleaseFd();
  bool ThrowIfClosed(Napi::Env env, const char* syscall);

  int fd_ = -1;
  uint32_t port_id_ = 0;
  uv_poll_t* poll_ = nullptr;   // heap-owned: freed by uv_close's callback
  bool referenced_ = true;      // whether a pending read keeps the loop alive
  bool listen_all_nsid_ = false;
  size_t batch_bytes_ = 256 * 1024;  // bound per wakeup, so a dump cannot starve the loop
  size_t batch_datagrams_ = 64;
  int deferred_errno_ = 0;      // an error met after a batch already had data
  double recv_calls_ = 0;       // recvmsg calls that returned a datagram (for tests/benchmarks)
  std::vector<uint8_t> scratch_;
  Napi::FunctionReference pending_;  // the read callback, while a read is pending
};

}  // namespace nlrx
