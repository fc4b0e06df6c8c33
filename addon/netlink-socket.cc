#include "netlink-socket.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>
#include "errno-error.h"

namespace nlrx {
namespace {
struct OpenError { int err = 0; const char* syscall = nullptr; };
int OpenSocket(int protocol, OpenError* error) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (fd < 0) *error = {errno, "socket"};
  return fd;
}
// A socket keeps the namespace it was created in, so a short-lived thread
// enters the namespace, creates it and exits: the loop thread never moves.
int OpenSocketIn(const std::string& path, int protocol, OpenError* error) {
  int fd = -1;
  try {
    std::thread([&] {
      UniqueFd ns;  // closed on every path out
      ns.reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
      if (ns.get() < 0) *error = {errno, "open"};
      else if (setns(ns.get(), CLONE_NEWNET) < 0) *error = {errno, "setns"};
      else fd = OpenSocket(protocol, error);
    }).join();
  } catch (const std::system_error& e) {
    *error = {e.code().value(), "pthread_create"};
  }
  return fd;
}
int SetOption(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? errno : 0;
}
}  // namespace
void NetlinkSocket::Init(Napi::Env env, Napi::Object exports) {
  exports.Set("NetlinkSocket", DefineClass(env, "NetlinkSocket",
      {InstanceMethod("send", &NetlinkSocket::Send), InstanceMethod("read", &NetlinkSocket::Read),
       InstanceMethod("close", &NetlinkSocket::Close), InstanceMethod("membership", &NetlinkSocket::Membership),
       InstanceMethod("setRef", &NetlinkSocket::SetRef), InstanceMethod("stats", &NetlinkSocket::Stats),
       InstanceMethod("ethtool", &NetlinkSocket::Ethtool)}));
}
NetlinkSocket::NetlinkSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NetlinkSocket>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "NetlinkSocket(protocol, options?): protocol must be a number");
  int protocol = info[0].As<Napi::Number>().Int32Value();
  Napi::Object options = info.Length() > 1 && info[1].IsObject() ? info[1].As<Napi::Object>()
                                                                  : Napi::Object::New(env);
  auto number = [&](const char* key, double fallback) {
    Napi::Value v = options.Get(key);
    return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
  };
  auto flag = [&](const char* key) { return options.Get(key).StrictEquals(Napi::Boolean::New(env, true)); };
  auto text = [&](const char* key) { return options.Get(key).IsString() ? options.Get(key).ToString().Utf8Value() : ""; };
  // Never below 32 KiB: the kernel sizes dump chunks after the reader's buffer.
  batch_bytes_ = std::max<size_t>(32768, static_cast<size_t>(number("batchBytes", batch_bytes_)));
  batch_datagrams_ = std::max<size_t>(1, static_cast<size_t>(number("batchDatagrams", batch_datagrams_)));
  read_ahead_ = static_cast<size_t>(number("readAhead", 0));
  listen_all_nsid_ = flag("listenAllNsid");
  std::string fault = text("testFault");  // specs make one native step fail
  fault_ = fault == "async" ? ReadAhead::kFaultAsync : fault == "thread" ? ReadAhead::kFaultThread
         : fault == "poll" ? ReadAhead::kFaultPoll : fault == "truncate" ? ReadAhead::kFaultTruncate
         : ReadAhead::kNoFault;
  OpenError error;  // netnsPath: a namespace file; the TypeScript side turns names into paths
  fd_.reset(options.Get("netnsPath").IsString() ? OpenSocketIn(text("netnsPath"), protocol, &error)
                                                : OpenSocket(protocol, &error));
  if (fd_.get() < 0) throw ErrnoError(env, error.err, error.syscall);
  // From here on, a throw leaves the fd to fd_, which closes it.
  int fd = fd_.get();
  auto check = [&](int err, const char* syscall) {
    if (err != 0) throw ErrnoError(env, err, syscall);
  };
  if (fault == "open") check(EIO, "open");
  // SO_RCVBUFFORCE passes the rmem_max cap, but only with CAP_NET_ADMIN.
  if (int size = static_cast<int>(number("rcvbuf", 0)); size > 0 && SetOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, size)) {
    check(SetOption(fd, SOL_SOCKET, SO_RCVBUF, size), "setsockopt");
  }
  const std::pair<const char*, int> flags[] = {
      {"strictCheck", NETLINK_GET_STRICT_CHK}, {"extAck", NETLINK_EXT_ACK}, {"listenAllNsid", NETLINK_LISTEN_ALL_NSID}};
  for (const auto& [key, option] : flags) {
    if (flag(key)) check(SetOption(fd, SOL_NETLINK, option, 1), "setsockopt");
  }
  sockaddr_nl local = {AF_NETLINK, 0, 0, 0};  // nl_pid 0: the kernel picks a unique port id
  socklen_t len = sizeof(local);
  check(bind(fd, reinterpret_cast<sockaddr*>(&local), len) < 0 ? errno : 0, "bind");
  check(getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) < 0 ? errno : 0, "getsockname");
  port_id_ = local.nl_pid;
  // Connected to the kernel (port 0): unicasts from other processes are refused.
  sockaddr_nl kernel = {AF_NETLINK, 0, 0, 0};
  check(connect(fd, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0 ? errno : 0, "connect");
  if (Napi::Value groups = options.Get("groups"); groups.IsArray()) {
    Napi::Array list = groups.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      check(SetOption(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, list.Get(i).ToNumber().Int32Value()), "setsockopt");
    }
  }
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  check(-poll_.init([&](uv_poll_t* handle) {
    handle->data = this;
    return uv_poll_init(loop, handle, fd);
  }), "uv_poll_init");
  context_ = std::make_unique<Napi::AsyncContext>(env, "NetlinkSocket", Value());
}
// send(data): never while the reader thread is in recvmsg (see read-ahead.h);
// the reader then rests until this request's second read.
Napi::Value NetlinkSocket::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "send");
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "send(data): data must be a Uint8Array");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  std::unique_lock<std::mutex> exclusive;
  if (reader_) exclusive = reader_->PauseForSend();
  reads_since_send_ = 0;
  ssize_t n;
  while ((n = send(fd_.get(), data.Data(), data.ByteLength(), 0)) < 0 && errno == EINTR) {}
  if (n < 0) throw ErrnoError(env, errno, "send");
  return Napi::Number::New(env, static_cast<double>(n));
}
// read(callback): demand-driven, on the loop thread, while a read is pending.
// With readAhead, from a request's second read on (its reply spans several
// batches) a reader thread keeps up to readAhead batches ahead. The callback
// gets (error) or (null, data, ends, nsids, truncated) once.
Napi::Value NetlinkSocket::Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "recvmsg");
  if (info.Length() < 1 || !info[0].IsFunction()) throw Napi::TypeError::New(env, "read(callback): callback must be a function");
  if (!pending_.IsEmpty()) throw ErrnoError(env, EALREADY, "recvmsg", "a read is already pending");
  pending_ = Napi::Persistent(info[0].As<Napi::Function>());
  Ref();  // this object stays alive while a read is pending
  RecvBatch batch;
  if (deferred_errno_ != 0) {
    SettleError(std::exchange(deferred_errno_, 0));
  } else if (reader_ && reader_->Pop(&batch)) {
    Deliver(std::move(batch));  // read ahead earlier, or the reader's failure
  } else if (read_ahead_ > 0 && ++reads_since_send_ > 1) {
    if (ReadAheadNow()) reader_->SetRef(referenced_);
  } else if (int err = uv_poll_start(poll_.get(), UV_READABLE, &NetlinkSocket::OnPoll)) {
    SettleError(-err, nullptr, "uv_poll_start");
  }
  return env.Undefined();
}
// Resumes the reader thread, starting it on first use; false (the pending read
// failed with the step's errno) when it cannot run.
bool NetlinkSocket::ReadAheadNow() {
  if (!reader_) {
    auto reader = std::make_unique<ReadAhead>(fd_.get(), read_ahead_, batch_bytes_, batch_datagrams_,
                                              [this] { OnReadAhead(); });
    uv_loop_t* loop = nullptr;  // the loop of this environment (a worker's own)
    napi_get_uv_event_loop(Env(), &loop);
    const char* syscall = nullptr;
    if (int err = reader->Start(loop, &syscall, fault_)) return SettleError(err, nullptr, syscall), false;
    reader_ = std::move(reader);
  }
  reader_->Resume();
  return true;
}
void NetlinkSocket::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  auto* self = static_cast<NetlinkSocket*>(handle->data);
  if (self == nullptr || self->pending_.IsEmpty()) return;
  // libuv reports EPOLLERR (ENOBUFS pending) as UV_EBADF; recvmsg gets the real errno.
  RecvBatch batch;
  self->recv_calls_ += RecvDatagrams(self->fd_.get(), self->batch_bytes_, self->batch_datagrams_, &batch,
                                     self->fault_ == ReadAhead::kFaultTruncate ? 256 : 0);
  if (batch.ends.empty() && batch.err == 0 && status == 0) return;  // spurious wakeup: keep polling
  if (batch.ends.empty() && batch.err == 0) batch.err = -status;
  uv_poll_stop(handle);
  Napi::HandleScope scope(self->Env());
  self->Deliver(std::move(batch));
}
void NetlinkSocket::OnReadAhead() {
  RecvBatch batch;
  if (pending_.IsEmpty() || !reader_ || !reader_->Pop(&batch)) return;
  reader_->SetRef(false);
  Napi::HandleScope scope(Env());
  Deliver(std::move(batch));
}
// Settles the pending read with a batch: its datagrams, or its error when it
// has none. An error met after some datagrams waits for the next read.
void NetlinkSocket::Deliver(RecvBatch&& batch) {
  Napi::Env env = Env();
  if (batch.ends.empty()) return SettleError(batch.err);
  deferred_errno_ = batch.err;  // e.g. ENOBUFS after some datagrams
  auto* bytes = new std::vector<uint8_t>(std::move(batch.data));
  auto data = Napi::Buffer<uint8_t>::NewOrCopy(env, bytes->data(), bytes->size(),
      [](Napi::Env, uint8_t*, std::vector<uint8_t>* owner) { delete owner; }, bytes);
  auto ends = Napi::Uint32Array::New(env, batch.ends.size());
  memcpy(ends.Data(), batch.ends.data(), batch.ends.size() * sizeof(uint32_t));
  auto nsids = Napi::Int32Array::New(env, listen_all_nsid_ ? batch.nsids.size() : 0);
  memcpy(nsids.Data(), batch.nsids.data(), nsids.ByteLength());
  Settle(env.Null(), data, ends, listen_all_nsid_ ? nsids : env.Undefined(), batch.truncated);
}
void NetlinkSocket::SettleError(int err, const char* detail, const char* syscall) {
  Settle(ErrnoError(Env(), err, syscall, detail).Value());
}
// Calls the read's callback through MakeCallback (async hooks, microtasks);
// what it throws is reported as uncaught, as Node does for its own callbacks.
void NetlinkSocket::Settle(Napi::Value error, Napi::Value data, Napi::Value ends, Napi::Value nsids,
                           bool truncated) {
  Napi::Env env = Env();
  Napi::Value u = env.Undefined();
  Napi::FunctionReference callback = std::move(pending_);
  Unref();
  try {
    callback.MakeCallback(Value(), {error, data.IsEmpty() ? u : data, ends.IsEmpty() ? u : ends,
                                    nsids.IsEmpty() ? u : nsids, Napi::Boolean::New(env, truncated)}, *context_);
  } catch (const Napi::Error& e) {
    napi_fatal_exception(env, e.Value());
  }
}
Napi::Value NetlinkSocket::Close(const Napi::CallbackInfo& info) {
  if (fd_.get() < 0) return info.Env().Undefined();  // idempotent
  ReleaseFd();
  if (!pending_.IsEmpty()) SettleError(EBADF, "socket is closed");
  return info.Env().Undefined();
}
void NetlinkSocket::ReleaseFd() {
  reader_.reset();  // joins the reader thread before its fd is closed
  poll_.reset();    // libuv: stop polling before the fd is closed
  fd_.reset();
}
Napi::Value NetlinkSocket::Membership(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "setsockopt");
  if (info.Length() < 2 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "membership(group, join)");
  int option = info[1].ToBoolean() ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;
  if (int err = SetOption(fd_.get(), SOL_NETLINK, option, info[0].As<Napi::Number>().Int32Value())) {
    throw ErrnoError(env, err, "setsockopt");
  }
  return env.Undefined();
}
Napi::Value NetlinkSocket::SetRef(const Napi::CallbackInfo& info) {
  referenced_ = info.Length() > 0 && info[0].ToBoolean();
  if (poll_) referenced_ ? uv_ref(poll_.base()) : uv_unref(poll_.base());
  if (reader_) reader_->SetRef(referenced_ && !pending_.IsEmpty());
  return info.Env().Undefined();
}
Napi::Value NetlinkSocket::Stats(const Napi::CallbackInfo& info) {
  Napi::Object stats = Napi::Object::New(info.Env());
  stats.Set("portId", port_id_);
  stats.Set("closed", fd_.get() < 0);
  stats.Set("recvCalls", recv_calls_ + (reader_ ? reader_->recv_calls() : 0));
  stats.Set("readAhead", reader_ ? reader_->queued() : -1);  // batches queued; -1: no reader thread
  return stats;
}
// SIOCETHTOOL on this socket, so in its namespace (a netlink socket hands device ioctls
// to dev_ioctl). The kernel writes as many strings or counters as the device has now, not
// as many as were asked for: the copy ends at a PROT_NONE page, so a count that grew in
// between fails with EFAULT instead of overrunning the caller's buffer.
Napi::Value NetlinkSocket::Ethtool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "ioctl");
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsTypedArray()) throw Napi::TypeError::New(env, "ethtool(ifname, data)");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  if (name.size() >= IFNAMSIZ || name.find('\0') != std::string::npos) throw ErrnoError(env, ENODEV, "ioctl");
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE)), size = (data.ByteLength() + page - 1) / page * page;
  void* map = mmap(nullptr, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) throw ErrnoError(env, errno, "mmap");
  uint8_t* copy = static_cast<uint8_t*>(map) + size - data.ByteLength();
  memcpy(copy, data.Data(), data.ByteLength());
  ifreq request = {};
  memcpy(request.ifr_name, name.data(), name.size());
  request.ifr_data = reinterpret_cast<char*>(copy);
  int err = mprotect(static_cast<uint8_t*>(map) + size, page, PROT_NONE) < 0 ? errno
          : ioctl(fd_.get(), SIOCETHTOOL, &request) < 0 ? errno : 0;
  memcpy(data.Data(), copy, data.ByteLength());
  munmap(map, size + page);
  if (err != 0) throw ErrnoError(env, err, "ioctl");
  return env.Undefined();
}
}  // namespace nlrx
