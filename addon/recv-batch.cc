#include "recv-batch.h"
#include <errno.h>
#include <linux/netlink.h>
#include <string.h>
#include <algorithm>
#include <cstdint>
#include <sys/socket.h>

namespace nlrx {
size_t RecvDatagrams(int fd, size_t max_bytes, size_t max_datagrams, RecvBatch* out, size_t cut) {
  out->data.resize(max_bytes);
  size_t used = 0, calls = 0;
  while (out->ends.size() < max_datagrams) {
    // The datagram's size first, so it is never cut by a too small buffer.
    ssize_t size = recv(fd, nullptr, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
    if (size >= 0 && used > 0 && used + size > max_bytes) break;
    if (size >= 0 && used + size > out->data.size()) out->data.resize(used + size);
    iovec iov = {out->data.data() + used, std::min(cut ? cut : SIZE_MAX, out->data.size() - used)};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int32_t))];
    msghdr msg = {nullptr, 0, &iov, 1, control, sizeof(control), 0};
    ssize_t n = size < 0 ? size : recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) out->err = errno;
      break;
    }
    calls++;
    int32_t nsid = -1;  // NETNSA_NSID_NOT_ASSIGNED
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_LISTEN_ALL_NSID) {
        memcpy(&nsid, CMSG_DATA(c), sizeof(nsid));
      }
    }
    used += static_cast<size_t>(n);
    out->ends.push_back(static_cast<uint32_t>(used));
    out->nsids.push_back(nsid);
    // Never silent: the batch says so and its reader fails.
    if ((out->truncated = (msg.msg_flags & MSG_TRUNC) != 0)) break;
  }
  out->data.resize(used);
  if (used < out->data.capacity() / 2) out->data.shrink_to_fit();  // do not pin an empty buffer
  return calls;
}
}  // namespace nlrx
