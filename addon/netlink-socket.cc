#include "netlink-socket.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <system_error>
#include <thread>

#include "errno-error.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace nlrx {

namespace {

// The kernel sizes dump chunks after the largest buffer recvmsg was given, up to
// 32 KiB; smaller buffers mean many more recv calls for the same dump.
constexpr size_t kMinScratch = 32 * 1024;

struct OpenError {
  int err = 0;
  const char* syscall = nullptr;
};

int OpenSocket(int protocol, OpenError* error) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (fd < 0) *error = {errno, "socket"};
  return fd;
}

// Creates the socket inside another network namespace. A socket keeps the
// namespace it was created in, so a short-lived thread enters the namespace,
// creates it and exits: the event-loop thread never changes namespace.
int OpenSocketIn(const std::string& path, int protocol, OpenError* error) {
  int fd = -1;
  try {
    std::thread worker([&] {
      int ns = open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0) {
        *error = {errno, "open"};
        return;
      }
      if (setns(ns, CLONE_NEWNET) < 0) {
        *error = {errno, "setns"};
      } else {
        fd = OpenSocket(protocol, error);
      }
      close(ns);
    });
    worker.join();
  } catch (const std::system_error& e) {
    *error = {e.code().value(), "pthread_create"};
  }
  return fd;
}

// "name" means /run/netns/name (as `ip netns` names them); an absolute path is
// taken as it is. A name that could climb out of /run/netns is refused.
bool NamespacePath(const std::string& netns, std::string* path) {
  if (!netns.empty() && netns[0] == '/') {
    *path = netns;
    return true;
  }
  if (netns.empty() || netns.find('/') != std::string::npos ||
      netns.find("..") != std::string::npos) {
    return false;
  }
  *path = "/run/netns/" + netns;
  return true;
}

template <typename T>
int SetOption(int fd, int level, int name, T value) {
  return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? errno : 0;
}

}  // namespace

void NetlinkSocket::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(
      env, "NetlinkSocket",
      {InstanceMethod("send", &NetlinkSocket::Send),
       InstanceMethod("read", &NetlinkSocket::Read),
       InstanceMethod("close", &NetlinkSocket::Close),
       InstanceMethod("addMembership", &NetlinkSocket::AddMembership),
       InstanceMethod("dropMembership", &NetlinkSocket::DropMembership),
       InstanceMethod("ref", &NetlinkSocket::Ref),
       InstanceMethod("unref", &NetlinkSocket::Unref),
       InstanceAccessor("portId", &NetlinkSocket::GetPortId, nullptr),
       InstanceAccessor("closed", &NetlinkSocket::GetClosed, nullptr),
       InstanceAccessor("recvCalls", &NetlinkSocket::GetRecvCalls, nullptr)});
  exports.Set("NetlinkSocket", ctor);
}

NetlinkSocket::NetlinkSocket(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<NetlinkSocket>(info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "NetlinkSocket(protocol, options?): protocol must be a number");
  }
  int protocol = info[0].As<Napi::Number>().Int32Value();
  Napi::Object options = info.Length() > 1 && info[1].IsObject()
                             ? info[1].As<Napi::Object>()
                             : Napi::Object::New(env);
  auto number = [&](const char* key, double fallback) {
    Napi::Value v = options.Get(key);
    return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
  };
  auto flag = [&](const char* key) {
    Napi::Value v = options.Get(key);
    return v.IsBoolean() && v.As<Napi::Boolean>().Value();
  };
  batch_bytes_ = static_cast<size_t>(number("batchBytes", batch_bytes_));
  if (batch_bytes_ < kMinScratch) batch_bytes_ = kMinScratch;
  batch_datagrams_ = static_cast<size_t>(number("batchDatagrams", batch_datagrams_));
  if (batch_datagrams_ < 1) batch_datagrams_ = 1;
  listen_all_nsid_ = flag("listenAllNsid");

  OpenError error;
  Napi::Value netns = options.Get("netns");
  if (netns.IsString()) {
    std::string path;
    if (!NamespacePath(netns.As<Napi::String>().Utf8Value(), &path)) {
      throw ErrnoError(env, EINVAL, "setns", "invalid network namespace name");
    }
    fd_ = OpenSocketIn(path, protocol, &error);
  } else {
    fd_ = OpenSocket(protocol, &error);
  }
  if (fd_ < 0) throw ErrnoError(env, error.err, error.syscall);

  auto fail = [&](int err, const char* syscall) {
    ReleaseFd();
    throw ErrnoError(env, err, syscall);
  };
  int err = 0;
  double rcvbuf = number("rcvbuf", 0);
  if (rcvbuf > 0) {
    // SO_RCVBUFFORCE passes the rmem_max cap, but only with CAP_NET_ADMIN.
    int size = static_cast<int>(rcvbuf);
    if (SetOption(fd_, SOL_SOCKET, SO_RCVBUFFORCE, size) != 0 &&
        (err = SetOption(fd_, SOL_SOCKET, SO_RCVBUF, size)) != 0) {
      fail(err, "setsockopt");
    }
  }
  if (flag("strictCheck") && (err = SetOption(fd_, SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1))) {
    fail(err, "setsockopt");
  }
  if (flag("extAck") && (err = SetOption(fd_, SOL_NETLINK, NETLINK_EXT_ACK, 1))) {
    fail(err, "setsockopt");
  }
  if (listen_all_nsid_ && (err = SetOption(fd_, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1))) {
    fail(err, "setsockopt");
  }

  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;  // nl_pid 0: the kernel picks a unique port id
  if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) < 0) fail(errno, "bind");
  socklen_t len = sizeof(local);
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) < 0) fail(errno, "getsockname");
  port_id_ = local.nl_pid;
  // Connected to the kernel (port 0): unicasts from other processes are refused.
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  if (connect(fd_, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0) fail(errno, "connect");

  Napi::Value groups = options.Get("groups");
  if (groups.IsArray()) {
    Napi::Array list = groups.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      int group = list.Get(i).As<Napi::Number>().Int32Value();
      if ((err = SetOption(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group))) {
        fail(err, "setsockopt");
      }
    }
  }

  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  poll_ = new uv_poll_t;
  if ((err = uv_poll_init(loop, poll_, fd_)) != 0) {
    delete poll_;
    poll_ = nullptr;
    fail(-err, "uv_poll_init");
  }
  poll_->data = this;
}

NetlinkSocket::~NetlinkSocket() { ReleaseFd(); }

bool NetlinkSocket::ThrowIfClosed(Napi::Env env, const char* syscall) {
  if (fd_ >= 0) return false;
  throw ErrnoError(env, EBADF, syscall, "socket is closed");
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

// read(callback): demand-driven. The fd is polled only while a read is pending;
// the callback gets (error) or (null, data, ends, nsids, truncated) once.
Napi::Value NetlinkSocket::Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "recvmsg");
  if (info.Length() < 1 || !info[0].IsFunction()) {
    throw Napi::TypeError::New(env, "read(callback): callback must be a function");
  }
  if (!pending_.IsEmpty()) throw ErrnoError(env, EALREADY, "recvmsg", "a read is already pending");
  pending_ = Napi::Persistent(info[0].As<Napi::Function>());
  Napi::ObjectWrap<NetlinkSocket>::Ref();  // keep this object alive while a read is pending
  if (deferred_errno_ != 0) {
    int err = deferred_errno_;
    deferred_errno_ = 0;
    Settle(ErrnoError(env, err, "recvmsg").Value(), env.Undefined(), env.Undefined(),
           env.Undefined(), false);
    return env.Undefined();
  }
  int err = uv_poll_start(poll_, UV_READABLE, &NetlinkSocket::OnPoll);
  if (err != 0) {
    Settle(ErrnoError(env, -err, "uv_poll_start").Value(), env.Undefined(), env.Undefined(),
           env.Undefined(), false);
  }
  return env.Undefined();
}

void NetlinkSocket::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  auto* self = static_cast<NetlinkSocket*>(handle->data);
  if (self == nullptr || self->pending_.IsEmpty()) return;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  try {
    if (status < 0) {
      uv_poll_stop(handle);
      self->Settle(ErrnoError(env, -status, "uv_poll").Value(), env.Undefined(),
                   env.Undefined(), env.Undefined(), false);
    } else {
      self->ReadBatch();
    }
  } catch (const Napi::Error& e) {
    // An exception thrown by the JS callback: report it as uncaught, as Node does.
    napi_fatal_exception(env, e.Value());
  }
}

// Reads up to batch_datagrams_ datagrams / batch_bytes_ bytes, whatever is
// queued now, and settles the pending read with them as one batch.
void NetlinkSocket::ReadBatch() {
  Napi::Env env = Env();
  if (scratch_.size() < batch_bytes_) scratch_.resize(batch_bytes_);
  std::vector<uint32_t> ends;
  std::vector<int32_t> nsids;
  size_t used = 0;
  int err = 0;
  bool truncated = false;
  while (ends.size() < batch_datagrams_) {
    // The datagram's size first, so it is never cut by a too small buffer.
    ssize_t size = recv(fd_, nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    if (size < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) err = errno;
      break;
    }
    size_t need = static_cast<size_t>(size);
    if (used > 0 && used + need > batch_bytes_) break;
    if (used + need > scratch_.size()) scratch_.resize(used + need);
    iovec iov = {scratch_.data() + used, scratch_.size() - used};
    union {
      char buf[CMSG_SPACE(sizeof(int32_t))];
      cmsghdr align;
    } control;
    msghdr msg = {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) err = errno;
      break;
    }
    recv_calls_++;
    int32_t nsid = -1;  // NETNSA_NSID_NOT_ASSIGNED
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_LISTEN_ALL_NSID) {
        memcpy(&nsid, CMSG_DATA(c), sizeof(nsid));
      }
    }
    used += static_cast<size_t>(n);
    ends.push_back(static_cast<uint32_t>(used));
    nsids.push_back(nsid);
    if (msg.msg_flags & MSG_TRUNC) {
      truncated = true;  // never silent: the batch says so and the reader fails
      break;
    }
  }
  if (ends.empty()) {
    if (err == 0) return;  // spurious wakeup: keep polling
    uv_poll_stop(poll_);
    Settle(ErrnoError(env, err, "recvmsg").Value(), env.Undefined(), env.Undefined(),
           env.Undefined(), false);
    return;
  }
  deferred_errno_ = err;  // e.g. ENOBUFS after some datagrams: delivered on the next read
  uv_poll_stop(poll_);
  Napi::Buffer<uint8_t> data = Napi::Buffer<uint8_t>::Copy(env, scratch_.data(), used);
  Napi::Uint32Array endsArray = Napi::Uint32Array::New(env, ends.size());
  memcpy(endsArray.Data(), ends.data(), ends.size() * sizeof(uint32_t));
  Napi::Value nsidsValue = env.Undefined();
  if (listen_all_nsid_) {
    Napi::Int32Array nsidsArray = Napi::Int32Array::New(env, nsids.size());
    memcpy(nsidsArray.Data(), nsids.data(), nsids.size() * sizeof(int32_t));
    nsidsValue = nsidsArray;
  }
  Settle(env.Null(), data, endsArray, nsidsValue, truncated);
}

void NetlinkSocket::Settle(Napi::Value error, Napi::Value data, Napi::Value ends,
                           Napi::Value nsids, bool truncated) {
  Napi::Env env = Env();
  Napi::FunctionReference callback = std::move(pending_);
  Napi::ObjectWrap<NetlinkSocket>::Unref();
  callback.Call(Value(), {error, data, ends, nsids, Napi::Boolean::New(env, truncated)});
}

Napi::Value NetlinkSocket::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (fd_ < 0) return env.Undefined();  // idempotent
  ReleaseFd();
  if (!pending_.IsEmpty()) {
    Settle(ErrnoError(env, EBADF, "recvmsg", "socket is closed").Value(), env.Undefined(),
           env.Undefined(), env.Undefined(), false);
  }
  return env.Undefined();
}

void NetlinkSocket::ReleaseFd() {
  if (poll_ != nullptr) {
    uv_poll_stop(poll_);  // libuv: stop polling before the fd is closed
    poll_->data = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
    poll_ = nullptr;
  }
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  scratch_.clear();
  scratch_.shrink_to_fit();
}

void NetlinkSocket::Membership(const Napi::CallbackInfo& info, int option) {
  Napi::Env env = info.Env();
  ThrowIfClosed(env, "setsockopt");
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "group must be a number");
  }
  int group = info[0].As<Napi::Number>().Int32Value();
  int err = SetOption(fd_, SOL_NETLINK, option, group);
  if (err != 0) throw ErrnoError(env, err, "setsockopt");
}

Napi::Value NetlinkSocket::AddMembership(const Napi::CallbackInfo& info) {
  Membership(info, NETLINK_ADD_MEMBERSHIP);
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::DropMembership(const Napi::CallbackInfo& info) {
  Membership(info, NETLINK_DROP_MEMBERSHIP);
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::Ref(const Napi::CallbackInfo& info) {
  referenced_ = true;
  if (poll_ != nullptr) uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::Unref(const Napi::CallbackInfo& info) {
  referenced_ = false;
  if (poll_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  return info.Env().Undefined();
}

Napi::Value NetlinkSocket::GetPortId(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), port_id_);
}

Napi::Value NetlinkSocket::GetClosed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), fd_ < 0);
}

Napi::Value NetlinkSocket::GetRecvCalls(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), recv_calls_);
}

}  // namespace nlrx
