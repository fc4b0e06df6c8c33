/**
 * The transport seam: the real socket and the fake kernel of the tests both
 * implement it, so sequence, multipart and error logic runs unchanged in both.
 */

/**
 * Batch is what one read returns: one or more datagrams, concatenated.
 * Offsets, not copies: consumers read messages at offsets into `data`.
 */
export interface Batch {
  /** The datagrams, back to back. */
  readonly data: Buffer;
  /** `ends[i]` is the end offset of datagram i in `data`. */
  readonly ends: Uint32Array;
  /** `nsids[i]`: the namespace id datagram i came from (only with `listenAllNsid`). */
  readonly nsids?: Int32Array;
  /** The last datagram was cut by recvmsg (MSG_TRUNC): its reader must fail. */
  readonly truncated: boolean;
}

/**
 * Transport is one Netlink socket as the dump engine sees it: send a request,
 * read one batch at a time, close.
 */
export interface Transport {
  /** The socket's port id; replies addressed elsewhere are not ours. */
  readonly portId: number;
  readonly closed: boolean;
  /** Sends one request (one or more messages). Throws a `NetlinkSyscallError`. */
  send(data: Uint8Array): void;
  /**
   * Reads the next batch, waiting until there is one. At most one read is
   * pending at a time. Rejects with a `NetlinkSyscallError` (`EBADF` once closed).
   */
  read(): Promise<Batch>;
  /** Idempotent; a pending read settles with `EBADF`. */
  close(): void;
  /** Joins multicast group `group` (a number, so groups above 32 work). */
  addMembership(group: number): void;
  dropMembership(group: number): void;
  /**
   * One SIOCETHTOOL ioctl for device `ifname`, `data` updated in place (see
   * `NetlinkSocket.ethtool`); a transport without it cannot serve ethtool's
   * ioctl-only queries.
   */
  ethtool?(ifname: string, data: Uint8Array): void;
  /** Whether a pending read keeps the process alive (default: it does). */
  ref(): void;
  unref(): void;
}
