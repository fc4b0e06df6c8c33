// Reading one batch of datagrams from a non-blocking Netlink socket.
#pragma once
#include <cstdint>
#include <vector>

namespace nlrx {
// One wakeup's datagrams back to back in `data`, each one's end offset in `ends`, source nsid in `nsids` (-1: none).
struct RecvBatch {
  std::vector<uint8_t> data;
  std::vector<uint32_t> ends;
  std::vector<int32_t> nsids;
  bool truncated = false;  // the last datagram was cut (MSG_TRUNC)
  int err = 0;             // an errno met after (or instead of) the datagrams
};
// Reads what is queued now, up to max_bytes / max_datagrams (at least one datagram,
// whatever its size), never blocking. Returns the recvmsg calls made. `cut` (specs
// only) receives into that few bytes, so the kernel truncates what is longer.
std::size_t RecvDatagrams(int fd, std::size_t max_bytes, std::size_t max_datagrams, RecvBatch* out,
                          std::size_t cut = 0);
}  // namespace nlrx
