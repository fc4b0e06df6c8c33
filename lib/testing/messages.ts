/**
 * Message builders for the scripted kernel: each writes the bytes the kernel
 * function it is named after would (nlmsghdr, nlattr, NLMSG_DONE, NLMSG_ERROR,
 * RTM_NEWROUTE), so a test reads as the exchange it scripts.
 */
import { align } from '../codec/align.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI,
} from '../codec/header.js';
import { NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS } from '../codec/control.js';
import { RTM_NEWROUTE } from '../route/constants.js';
import { RTA_DST } from '../route/route-constants.js';

/** The fields of one message `nlmsg` writes. */
export interface MessageFields {
  type: number;
  flags?: number;
  seq: number;
  pid: number;
  payload?: Uint8Array;
  /** nlmsg_len to write instead of the real one (for fragments). */
  length?: number;
}

/**
 * nlmsg builds one message: nlmsghdr, then the payload, padded to 4 bytes.
 *
 * @example
 * nlmsg({ type: NLMSG_NOOP, seq: 1, pid: 0 }).length; // 16
 */
export function nlmsg(fields: MessageFields): Buffer {
  const payload = fields.payload ?? new Uint8Array(0);
  const length = NLMSG_HDRLEN + payload.length;
  const out = Buffer.alloc(align(length));
  out.writeUInt32LE(fields.length ?? length, 0); // nlmsg_len
  out.writeUInt16LE(fields.type, 4); //             nlmsg_type
  out.writeUInt16LE(fields.flags ?? 0, 6); //       nlmsg_flags
  out.writeUInt32LE(fields.seq, 8); //              nlmsg_seq
  out.writeUInt32LE(fields.pid, 12); //             nlmsg_pid
  out.set(payload, NLMSG_HDRLEN);
  return out;
}

/**
 * tlv builds one attribute (struct nlattr + payload, padded).
 *
 * @example
 * tlv(IFLA_IFNAME, Buffer.from('eth0\0')).length; // 12
 */
export function tlv(type: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(align(4 + payload.length));
  out.writeUInt16LE(4 + payload.length, 0);
  out.writeUInt16LE(type, 2);
  out.set(payload, 4);
  return out;
}

/**
 * route builds an RTM_NEWROUTE reply whose RTA_DST encodes `index` (read back
 * with `routeIndex`): an IPv4 /32 route to 0.0.0.`index`.
 *
 * @example
 * const reply = route(req.seq, kernel.portId, 7); // 0.0.0.7/32
 */
export function route(seq: number, pid: number, index: number, flags = NLM_F_MULTI): Buffer {
  const rtmsg = Buffer.alloc(12);
  rtmsg[0] = 2; // rtm_family AF_INET
  rtmsg[1] = 32; // rtm_dst_len
  const dst = Buffer.alloc(4);
  dst.writeUInt32BE(index);
  return nlmsg({ type: RTM_NEWROUTE, flags, seq, pid, payload: Buffer.concat([rtmsg, tlv(RTA_DST, dst)]) });
}

/**
 * routeIndex reads back the index `route` encoded.
 *
 * @example
 * routeIndex({ data: route(1, 1000, 7), offset: 0 }); // 7
 */
export function routeIndex(msg: { data: Buffer; offset: number }): number {
  return msg.data.readUInt32BE(msg.offset + NLMSG_HDRLEN + 12 + 4);
}

/** What NLMSG_DONE and NLMSG_ERROR carry besides the errno. */
export interface AckOptions {
  /** Extra header flags (NLM_F_DUMP_INTR …). */
  flags?: number;
  /** NLMSGERR_ATTR_MSG. */
  message?: string;
  /** NLMSGERR_ATTR_OFFS. */
  offset?: number;
}

function ackTlvs(options: AckOptions): Buffer {
  const parts: Buffer[] = [];
  if (options.message !== undefined) parts.push(tlv(NLMSGERR_ATTR_MSG, Buffer.from(`${options.message}\0`)));
  if (options.offset !== undefined) {
    const offs = Buffer.alloc(4);
    offs.writeUInt32LE(options.offset);
    parts.push(tlv(NLMSGERR_ATTR_OFFS, offs));
  }
  return Buffer.concat(parts);
}

/**
 * done builds NLMSG_DONE as netlink_dump_done() does: `int` result (0 or a
 * negative errno), then ack TLVs with NLM_F_ACK_TLVS. `bare` leaves the
 * payload out entirely.
 *
 * @example
 * done(req.seq, kernel.portId); // the dump completes
 * done(req.seq, kernel.portId, 4, { flags: NLM_F_DUMP_INTR }); // fails with EINTR, marked interrupted
 */
export function done(seq: number, pid: number, errno = 0, options: AckOptions & { bare?: boolean } = {}): Buffer {
  let flags = NLM_F_MULTI | (options.flags ?? 0);
  if (options.bare) return nlmsg({ type: NLMSG_DONE, flags, seq, pid });
  const result = Buffer.alloc(4);
  result.writeInt32LE(-errno);
  const tlvs = ackTlvs(options);
  if (tlvs.length > 0) flags |= NLM_F_ACK_TLVS;
  return nlmsg({ type: NLMSG_DONE, flags, seq, pid, payload: Buffer.concat([result, tlvs]) });
}

/**
 * nlmsgerr builds NLMSG_ERROR as netlink_ack() does: `int error`, the echoed
 * request (its header only with `capped`, else header and payload), padded,
 * then ack TLVs with NLM_F_ACK_TLVS.
 *
 * @example
 * nlmsgerr(req.seq, kernel.portId, 22, req.bytes, { message: 'bad table' }); // EINVAL with ext-ack text
 */
export function nlmsgerr(
  seq: number, pid: number, errno: number, request: Buffer, options: AckOptions & { capped?: boolean } = {},
): Buffer {
  let flags = options.flags ?? 0;
  const echoed = options.capped ? request.subarray(0, NLMSG_HDRLEN) : request.subarray(0, request.readUInt32LE(0));
  if (options.capped) flags |= NLM_F_CAPPED;
  const head = Buffer.alloc(align(4 + echoed.length));
  head.writeInt32LE(-errno, 0);
  head.set(echoed, 4);
  const tlvs = ackTlvs(options);
  if (tlvs.length > 0) flags |= NLM_F_ACK_TLVS;
  return nlmsg({ type: NLMSG_ERROR, flags, seq, pid, payload: Buffer.concat([head, tlvs]) });
}

/**
 * routes builds `count` RTM_NEWROUTE replies numbered from `first`.
 *
 * @example
 * Buffer.concat(routes(req.seq, kernel.portId, 0, 10)); // one datagram of 10 routes
 */
export function routes(seq: number, pid: number, first: number, count: number, flags = NLM_F_MULTI): Buffer[] {
  return Array.from({ length: count }, (_, i) => route(seq, pid, first + i, flags));
}
