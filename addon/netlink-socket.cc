#include "netlink-socket.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
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
      int ns = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0) {
        *error = {errno, "open"};
        return;
      }
      if (setns(ns, CLONE_NEWNET) < 0) *error = {errno, "setns"};
      else fd = OpenSocket(protocol, error);
      close(ns);
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
  exports.Set("NetlinkSocket",
              DefineClass(env, "NetlinkSocket",
                          {InstanceMethod("send", &NetlinkSocket::Send),
                           InstanceMethod("read", &NetlinkSocket::Read),
                           InstanceMethod("close", &NetlinkSocket::Close),
                           InstanceMethod("membership", &NetlinkSocket::Membership),
                           InstanceMethod("setRef", &NetlinkSocket::SetRef),
                           InstanceMethod("stats", &NetlinkSocket::Stats)}));
}

NetlinkSocket::NetlinkSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NetlinkSocket>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "NetlinkSocket(protocol, options?): protocol must be a number");
  }
  int protocol = info[0].As<Napi::Number>().Int32Value();
  Napi::Object options = info.Length() > 1 && info[1].IsObject() ? info[1].As<Napi::Object>()
                                                                  : Napi::Object::New(env);
  auto number = [&](const char* key, double fallback) {
    Napi::Value v = options.Get(key);
    return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
  };
  auto flag = [&](const char* key) {
    Napi::Value v = options.Get(key);
    return v.IsBoolean() && v.As<Napi::Boolean>().Value();
  };
  // Never below 32 KiB: the kernel sizes dump chunks after the reader's buffer.
  batch_bytes_ = std::max<size_t>(32768, static_cast<size_t>(number("batchBytes", batch_bytes_)));
  batch_datagrams_ = std::max<size_t>(1, static_cast<size_t>(number("batchDatagrams", batch_datagrams_)));
  read_ahead_ = static_cast<size_t>(number("readAhead", 0));
  listen_all_nsid_ = flag("listenAllNsid");

  OpenError error;
  // netnsPath: a namespace file; the TypeScript side turns names into paths.
  Napi::Value netns = options.Get("netnsPath");
  fd_ = netns.IsString() ? OpenSocketIn(netns.As<Napi::String>().Utf8Value(), protocol, &error)
                         : OpenSocket(protocol, &error);
  if (fd_ < 0) throw ErrnoError(env, error.err, error.syscall);
  auto check = [&](int err, const char* syscall) {
    if (err == 0) return;
    ReleaseFd();
    throw ErrnoError(env, err, syscall);
  };
  if (int size = static_cast<int>(number("rcvbuf", 0)); size > 0) {
    // SO_RCVBUFFORCE passes the rmem_max cap, but only with CAP_NET_ADMIN.
    if (SetOption(fd_, SOL_SOCKET, SO_RCVBUFFORCE, size) != 0) {
      check(SetOption(fd_, SOL_SOCKET, SO_RCVBUF, size), "setsockopt");
    }
  }
  const std::pair<const char*, int> flags[] = {{"strictCheck", NETLINK_GET_STRICT_CHK},
                                               {"extAck", NETLINK_EXT_ACK},
                                               {"listenAllNsid", NETLINK_LISTEN_ALL_NSID}};
  for (const auto& [key, option] : flags) {
    if (flag(key)) check(SetOption(fd_, SOL_NETLINK, option, 1), "setsockopt");
  }
  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;  // nl_pid 0: the kernel picks a unique port id
  socklen_t len = sizeof(local);
  check(bind(fd_, reinterpret_cast<sockaddr*>(&local), len) < 0 ? errno : 0, "bind");
  check(getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) < 0 ? errno : 0, "getsockname");
  port_id_ = local.nl_pid;
  // Connected to the kernel (port 0): unicasts from other processes are refused.
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  check(connect(fd_, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0 ? errno : 0, "connect");
  if (Napi::Value groups = options.Get("groups"); groups.IsArray()) {
    Napi::Array list = groups.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      int group = list.Get(i).As<Napi::Number>().Int32Value();
      check(SetOption(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group), "setsockopt");
    }
  }
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  poll_ = new uv_poll_t;
  if (int err = uv_poll_init(loop, poll_, fd_); err != 0) {
    delete poll_;
    poll_ = nullptr;
    check(-err, "uv_poll_init");
  }
  poll_->data = this;
}

void NetlinkSocket::ThrowIfClosed(Napi::Env env, const char* syscall) {
  if (fd_ < 0) throw ErrnoError(env, EBADF, syscall, "socket is closed");
}

Napi::Value NetlinkSocket::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "send");
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    throw Napi::TypeError::New(env, "send(data): data must be a Uint8Array");
  }
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  ssize_t n;
  do {
    n = send(fd_, data.Data(), data.ByteLength(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw ErrnoError(env, errno, "send");
  return Napi::Number::New(env, static_cast<double>(n));
}

// read(callback): demand-driven. The fd is polled only while a read is pending
// (or, with readAhead, by a reader thread at most readAhead batches ahead);
// the callback gets (error) or (null, data, ends, nsids, truncated) once.
Napi::Value NetlinkSocket::Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "recvmsg");
  if (info.Length() < 1 || !info[0].IsFunction()) {
    throw Napi::TypeError::New(env, "read(callback): callback must be a function");
  }
  if (!pending_.IsEmpty()) throw ErrnoError(env, EALREADY, "recvmsg", "a read is already pending");
  pending_ = Napi::Persistent(info[0].As<Napi::Function>());
  Ref();  // this object stays alive while a read is pending
  if (deferred_errno_ != 0) {
    SettleError(std::exchange(deferred_errno_, 0));
  } else if (read_ahead_ > 0) {
    if (!reader_) {
      uv_loop_t* loop = nullptr;
      napi_get_uv_event_loop(env, &loop);
      reader_ = std::make_unique<ReadAhead>(loop, fd_, read_ahead_, batch_bytes_, batch_datagrams_,
                                            [this] { OnReadAhead(); });
      if (int err = reader_->init_error()) {
        reader_.reset();
        SettleError(err);
        return env.Undefined();
      }
    }
    RecvBatch batch;
    if (reader_->Pop(&batch)) Deliver(std::move(batch));
    else reader_->SetRef(referenced_);
  } else if (int err = uv_poll_start(poll_, UV_READABLE, &NetlinkSocket::OnPoll)) {
    SettleError(-err);
  }
  return env.Undefined();
}

// Runs a step that calls into JS from a libuv callback: an exception the JS
// callback threw is reported as uncaught, as Node does for its own callbacks.
void NetlinkSocket::Guard(const std::function<void()>& step) {
  Napi::HandleScope scope(Env());
  try {
    step();
  } catch (const Napi::Error& e) {
    napi_fatal_exception(Env(), e.Value());
  }
}

void NetlinkSocket::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  auto* self = static_cast<NetlinkSocket*>(handle->data);
  if (self == nullptr || self->pending_.IsEmpty()) return;
  // libuv reports EPOLLERR (ENOBUFS pending) as UV_EBADF; recvmsg gets the real errno.
  RecvBatch batch;
  self->recv_calls_ += RecvDatagrams(self->fd_, self->batch_bytes_, self->batch_datagrams_, &batch);
  if (batch.ends.empty() && batch.err == 0) {
    if (status == 0) return;  // spurious wakeup: keep polling
    batch.err = -status;
  }
  uv_poll_stop(handle);
  self->Guard([&] { self->Deliver(std::move(batch)); });
}

void NetlinkSocket::OnReadAhead() {
  RecvBatch batch;
  if (pending_.IsEmpty() || !reader_ || !reader_->Pop(&batch)) return;
  reader_->SetRef(false);
  Guard([&] { Deliver(std::move(batch)); });
}

// Settles the pending read with a batch: its datagrams, or its error when it
// has none. An error met after some datagrams waits for the next read.
void NetlinkSocket::Deliver(RecvBatch&& batch) {
  Napi::Env env = Env();
  if (batch.ends.empty()) return SettleError(batch.err);
  deferred_errno_ = batch.err;  // e.g. ENOBUFS after some datagrams
  auto* bytes = new std::vector<uint8_t>(std::move(batch.data));
  auto data = Napi::Buffer<uint8_t>::NewOrCopy(
      env, bytes->data(), bytes->size(),
      [](Napi::Env, uint8_t*, std::vector<uint8_t>* owner) { delete owner; }, bytes);
  auto ends = Napi::Uint32Array::New(env, batch.ends.size());
  memcpy(ends.Data(), batch.ends.data(), batch.ends.size() * sizeof(uint32_t));
  Napi::Value nsids = env.Undefined();
  if (listen_all_nsid_) {
    auto array = Napi::Int32Array::New(env, batch.nsids.size());
    memcpy(array.Data(), batch.nsids.data(), batch.nsids.size() * sizeof(int32_t));
    nsids = array;
  }
  Settle(env.Null(), data, ends, nsids, batch.truncated);
}

void NetlinkSocket::SettleError(int err, const char* detail) {
  Settle(ErrnoError(Env(), err, "recvmsg", detail).Value());
}

void NetlinkSocket::Settle(Napi::Value error, Napi::Value data, Napi::Value ends, Napi::Value nsids,
                           bool truncated) {
  Napi::Env env = Env();
  Napi::Value u = env.Undefined();
  Napi::FunctionReference callback = std::move(pending_);
  Unref();
  callback.Call(Value(), {error, data.IsEmpty() ? u : data, ends.IsEmpty() ? u : ends,
                          nsids.IsEmpty() ? u : nsids, Napi::Boolean::New(env, truncated)});
}

Napi::Value NetlinkSocket::Close(const Napi::CallbackInfo& info) {
  if (fd_ < 0) return info.Env().Undefined();  // idempotent
  ReleaseFd();
  if (!pending_.IsEmpty()) SettleError(EBADF, "socket is closed");
  return info.Env().Undefined();
}

void NetlinkSocket::ReleaseFd() {
  reader_.reset();  // joins the reader thread before its fd is closed
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);  // libuv: stop polling before the fd is closed
    poll_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
    poll_ = nullptr;
  }
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

Napi::Value NetlinkSocket::Membership(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "setsockopt");
  if (info.Length() < 2 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "membership(group, join)");
  int option = info[1].ToBoolean() ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP;
  int err = SetOption(fd_, SOL_NETLINK, option, info[0].As<Napi::Number>().Int32Value());
  if (err != 0) throw ErrnoError(env, err, "setsockopt");
  return env.Undefined();
}

Napi::Value NetlinkSocket::SetRef(const Napi::CallbackInfo& info) {
  referenced_ = info.Length() > 0 && info[0].ToBoolean();
  if (poll_ != nullptr) {
    auto* handle = reinterpret_cast<uv_handle_t*>(poll_);
    referenced_ ? uv_ref(handle) : uv_unref(handle);
  }
  if (reader_) reader_->SetRef(referenced_ && !pending_.IsEmpty());
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::Stats(const Napi::CallbackInfo& info) {
  Napi::Object stats = Napi::Object::New(info.Env());
  stats.Set("portId", port_id_);
  stats.Set("closed", fd_ < 0);
  stats.Set("recvCalls", recv_calls_ + (reader_ ? reader_->recv_calls() : 0));
  return stats;
}

}  // namespace nlrx
