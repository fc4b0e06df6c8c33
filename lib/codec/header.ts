/** The Netlink message header (struct nlmsghdr) and its constants, from <linux/netlink.h>. */

/** sizeof(struct nlmsghdr): len u32, type u16, flags u16, seq u32, pid u32. */
export const NLMSG_HDRLEN = 16;

// Control message types below NLMSG_MIN_TYPE.
export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;
export const NLMSG_MIN_TYPE = 0x10;

// Flags.
export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP_FILTERED = 0x20;
// Modifiers to GET requests.
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_ATOMIC = 0x400;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
// Modifiers to NEW requests.
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
// Flags of ACK messages.
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

// Protocols (the `protocol` argument of socket(AF_NETLINK, …)).
export const NETLINK_ROUTE = 0;
export const NETLINK_SOCK_DIAG = 4;
export const NETLINK_GENERIC = 16;

/**
 * NetlinkMessage is one message, as a view into the batch it arrived in: the
 * header's fields, and where its bytes are. The payload (after the 16-byte
 * header) is `data[offset + 16, offset + length)`. Nothing is copied.
 */
export interface NetlinkMessage {
  /** The batch buffer the message lives in. */
  readonly data: Buffer;
  /** Offset of the message's header in `data`. */
  readonly offset: number;
  /** nlmsg_len: header plus payload, unaligned. */
  readonly length: number;
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
}

/** The header fields a request is written with. */
export interface HeaderFields {
  type: number;
  flags: number;
  seq?: number;
  pid?: number;
}

/**
 * writeHeader writes an nlmsghdr of total length `length` at `offset`.
 *
 * @example
 * const msg = Buffer.alloc(NLMSG_HDRLEN + 16);
 * writeHeader(msg, 0, msg.length, { type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP });
 */
export function writeHeader(data: Buffer, offset: number, length: number, header: HeaderFields): void {
  data.writeUInt32LE(length, offset);
  data.writeUInt16LE(header.type, offset + 4);
  data.writeUInt16LE(header.flags, offset + 6);
  data.writeUInt32LE(header.seq ?? 0, offset + 8);
  data.writeUInt32LE(header.pid ?? 0, offset + 12);
}

/**
 * readHeader reads the nlmsghdr at `offset` as a message view. It does not
 * check lengths: splitting a batch (which does) is the caller's job.
 *
 * @example
 * const msg = readHeader(batch.data, 0);
 */
export function readHeader(data: Buffer, offset: number): NetlinkMessage {
  return {
    data,
    offset,
    length: data.readUInt32LE(offset),
    type: data.readUInt16LE(offset + 4),
    flags: data.readUInt16LE(offset + 6),
    seq: data.readUInt32LE(offset + 8),
    pid: data.readUInt32LE(offset + 12),
  };
}
