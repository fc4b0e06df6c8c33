/** Options of a Netlink socket. */
export interface SocketOptions {
  /**
   * Network namespace: a name as `ip netns` uses it (`/run/netns/<name>`), or
   * an absolute path to a namespace file (`/proc/<pid>/ns/net`). Default: the
   * process's own namespace.
   */
  netns?: string;
  /** Receive buffer size in bytes (SO_RCVBUFFORCE when permitted, else SO_RCVBUF). */
  rcvbuf?: number;
  /** NETLINK_GET_STRICT_CHK: the kernel validates dump requests and honours their filters. */
  strictCheck?: boolean;
  /** NETLINK_EXT_ACK: errors carry the kernel's explanation. Default true. */
  extAck?: boolean;
  /** Multicast groups to join at open, by number. */
  groups?: readonly number[];
  /** NETLINK_LISTEN_ALL_NSID: receive notifications of every peer namespace, tagged with its nsid. */
  listenAllNsid?: boolean;
  /** Upper bound of one batch in bytes (default 256 KiB, at least 32 KiB). */
  batchBytes?: number;
  /** Upper bound of one batch in datagrams (default 64). */
  batchDatagrams?: number;
  /**
   * Batches a native reader thread may read ahead of demand (default 0: none,
   * every recv waits for a `read()`). With 1–4, the kernel produces the next
   * dump chunk on another core while JavaScript decodes this one; memory stays
   * bounded by `readAhead × batchBytes`. The thread starts only on a request's
   * second read (a reply of one batch is read on the event loop, as without
   * read-ahead), and it never reads while a request is sent.
   */
  readAhead?: number;
}
