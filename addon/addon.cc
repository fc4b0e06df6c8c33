// Module initialisation only; the socket lives in netlink-socket.cc.
#include <napi.h>
#include "netlink-socket.h"

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  nlrx::NetlinkSocket::Init(env, exports);
  return exports;
}
NODE_API_MODULE(netlink_rx, Init)
