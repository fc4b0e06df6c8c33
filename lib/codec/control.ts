/**
 * Netlink's control messages: NLMSG_ERROR (an error or an acknowledgement,
 * struct nlmsgerr) and NLMSG_DONE (the end of a dump, with the dump's errno),
 * both optionally followed by extended-ack TLVs (enum nlmsgerr_attrs), from
 * <linux/netlink.h>.
 */
import { NetlinkDecodeError, NetlinkKernelError, type KernelErrorDetails } from '../errors.js';
import { align } from './align.js';
import { AttributeCursor } from './attributes.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP_INTR, type NetlinkMessage,
} from './header.js';

// enum nlmsgerr_attrs.
export const NLMSGERR_ATTR_UNUSED = 0;
/** Error message string. */
export const NLMSGERR_ATTR_MSG = 1;
/** Offset of the invalid attribute in the original message, counting from the beginning of its header (u32). */
export const NLMSGERR_ATTR_OFFS = 2;
/** Arbitrary subsystem-specific cookie (binary). */
export const NLMSGERR_ATTR_COOKIE = 3;
/** Policy for a rejected attribute (nested). */
export const NLMSGERR_ATTR_POLICY = 4;
/** Type of a missing required attribute (u32). */
export const NLMSGERR_ATTR_MISS_TYPE = 5;
/** Offset of the nest where an attribute was missing (u32). */
export const NLMSGERR_ATTR_MISS_NEST = 6;

/** sizeof(int): the errno at the start of NLMSG_ERROR's and NLMSG_DONE's payload. */
const ERRNO_SIZE = 4;

/**
 * AckDetails is what an NLMSG_ERROR or NLMSG_DONE says: `errno` 0 for success
 * (an acknowledgement, a dump that ended well), else the positive errno, and
 * whatever extended-ack TLVs the kernel added.
 *
 * @example
 * const ack = parseError(msg);
 * if (ack.errno !== 0) throw kernelError(ack);
 */
export interface AckDetails extends KernelErrorDetails {
  /** NLMSGERR_ATTR_COOKIE, as a view into the batch. */
  cookie?: Buffer;
  /** NLMSGERR_ATTR_MISS_TYPE: the attribute type the kernel missed. */
  missingType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest it was missed in. */
  missingNest?: number;
}

/**
 * Throws unless the message lies within its buffer: the parsers are exported,
 * so a hand-made `NetlinkMessage` may claim any offset and length.
 */
function checkBounds(msg: NetlinkMessage, name: string): void {
  const { offset, length, data } = msg;
  if (!(Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= NLMSG_HDRLEN &&
    length <= data.length - offset)) {
    throw new NetlinkDecodeError(`${name} of ${length} bytes at ${offset} lies outside its batch of ${data.length}`,
      offset, [name]);
  }
}

/**
 * parseError reads an NLMSG_ERROR message:
 *
 * ```c
 * struct nlmsgerr {
 *         int             error;  // negative errno or 0 for an acknowledgement
 *         struct nlmsghdr msg;    // the request's header, and its payload unless NLM_F_CAPPED
 *         // followed by TLVs of enum nlmsgerr_attrs when NLM_F_ACK_TLVS is set
 * };
 * ```
 *
 * `requestType` is the echoed request's `nlmsg_type`. Throws a
 * `NetlinkDecodeError` (`EPROTO`) when the message is too short to hold the
 * errno and the echoed header, or `error` is positive. Malformed ack TLVs are
 * skipped: the errno is what counts. So are all TLVs when the echoed request's
 * `nlmsg_len` (read from the wire) says it does not fit in this message:
 * where they would start is then unknown, and nothing outside the message is
 * ever read as ext-ack text.
 *
 * @example
 * const { errno, extAckMessage } = parseError(msg);
 */
export function parseError(msg: NetlinkMessage): AckDetails {
  checkBounds(msg, 'NLMSG_ERROR');
  const payload = msg.offset + NLMSG_HDRLEN;
  const end = msg.offset + msg.length;
  if (end - payload < ERRNO_SIZE + NLMSG_HDRLEN) {
    throw new NetlinkDecodeError(`NLMSG_ERROR of ${msg.length} bytes cannot hold struct nlmsgerr`, msg.offset, ['NLMSG_ERROR']);
  }
  const error = msg.data.readInt32LE(payload);
  if (error > 0) {
    throw new NetlinkDecodeError(`NLMSG_ERROR with a positive error ${error}`, payload, ['NLMSG_ERROR']);
  }
  const echoed = payload + ERRNO_SIZE;
  const details: AckDetails = { errno: 0 - error, requestType: msg.data.readUInt16LE(echoed + 4) };
  if (msg.flags & NLM_F_ACK_TLVS) {
    // The kernel reserves NLMSG_ALIGN(sizeof(nlmsgerr) + echoed payload) before the TLVs.
    const echoedLength = msg.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : msg.data.readUInt32LE(echoed);
    // Compared before any arithmetic on it: a length near 2^32 must not wrap into the message.
    if (echoedLength <= end - echoed) {
      readAckAttributes(msg.data, payload + align(ERRNO_SIZE + Math.max(echoedLength, NLMSG_HDRLEN)), end, details);
    }
  }
  return details;
}

/**
 * parseDone reads an NLMSG_DONE message. Its payload is `int` — the dump's
 * result, 0 or a negative errno (`nlk->dump_done_errno`) — followed by ack
 * TLVs when NLM_F_ACK_TLVS is set. A DONE without payload (some families send
 * one) is a success. Throws a `NetlinkDecodeError` for a payload of 1 to 3
 * bytes or a positive result.
 *
 * @example
 * const { errno } = parseDone(msg); // 0: the dump ended well
 */
export function parseDone(msg: NetlinkMessage): AckDetails {
  checkBounds(msg, 'NLMSG_DONE');
  const payload = msg.offset + NLMSG_HDRLEN;
  const end = msg.offset + msg.length;
  if (end === payload) return { errno: 0 };
  if (end - payload < ERRNO_SIZE) {
    throw new NetlinkDecodeError(`NLMSG_DONE payload of ${end - payload} bytes`, msg.offset, ['NLMSG_DONE']);
  }
  const result = msg.data.readInt32LE(payload);
  if (result > 0) {
    throw new NetlinkDecodeError(`NLMSG_DONE with a positive result ${result}`, payload, ['NLMSG_DONE']);
  }
  const details: AckDetails = { errno: 0 - result };
  if (msg.flags & NLM_F_ACK_TLVS) readAckAttributes(msg.data, payload + ERRNO_SIZE, end, details);
  return details;
}

/**
 * parseControl reads the result of a terminal message — NLMSG_ERROR or
 * NLMSG_DONE — and returns undefined for any other message type.
 *
 * @example
 * const ack = parseControl(msg);
 * if (ack && ack.errno !== 0) throw kernelError(ack);
 */
export function parseControl(msg: NetlinkMessage): AckDetails | undefined {
  if (msg.type === NLMSG_ERROR) return parseError(msg);
  if (msg.type === NLMSG_DONE) return parseDone(msg);
  return undefined;
}

/**
 * isTerminal says whether a message ends a request: NLMSG_DONE, or
 * NLMSG_ERROR (an error, or an acknowledgement with errno 0).
 *
 * @example
 * const last = batch.findIndex(isTerminal);
 */
export function isTerminal(msg: NetlinkMessage): boolean {
  return msg.type === NLMSG_DONE || msg.type === NLMSG_ERROR;
}

/**
 * isInterrupted says whether the kernel flagged a message NLM_F_DUMP_INTR:
 * the table changed while the dump was being produced.
 *
 * @example
 * if (isInterrupted(msg)) inconsistent = true;
 */
export function isInterrupted(msg: NetlinkMessage): boolean {
  return (msg.flags & NLM_F_DUMP_INTR) !== 0;
}

/**
 * kernelError turns a failed ack into a `NetlinkKernelError`. `requestType`
 * fills in the request's type when the ack does not echo it (NLMSG_DONE).
 *
 * @example
 * const ack = parseDone(msg);
 * if (ack.errno !== 0) subscriber.error(kernelError(ack, RTM_GETROUTE));
 */
export function kernelError(details: AckDetails, requestType?: number): NetlinkKernelError {
  return new NetlinkKernelError({
    errno: details.errno,
    extAckMessage: details.extAckMessage,
    extAckOffset: details.extAckOffset,
    requestType: details.requestType ?? requestType,
  });
}

function readAckAttributes(data: Buffer, start: number, end: number, details: AckDetails): void {
  const cursor = new AttributeCursor(data, start, end, ['extended ack']);
  while (cursor.next()) {
    try {
      switch (cursor.type) {
        case NLMSGERR_ATTR_MSG:
          details.extAckMessage = cursor.string();
          break;
        case NLMSGERR_ATTR_OFFS:
          details.extAckOffset = cursor.u32();
          break;
        case NLMSGERR_ATTR_COOKIE:
          details.cookie = cursor.bytes();
          break;
        case NLMSGERR_ATTR_MISS_TYPE:
          details.missingType = cursor.u32();
          break;
        case NLMSGERR_ATTR_MISS_NEST:
          details.missingNest = cursor.u32();
          break;
        default:
          break;
      }
    } catch {
      // A TLV of the wrong size says nothing reliable; the errno still stands.
    }
  }
}
