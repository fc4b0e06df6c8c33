import { NLMSG_HDRLEN, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, writeHeader } from '../codec/header.js';
import { align } from '../codec/align.js';

/**
 * DumpRequest is what a dump asks the kernel: the Netlink protocol of the
 * socket, the request's `nlmsg_type`, extra header flags, and the payload
 * (the family's fixed struct and any attributes, without the nlmsghdr).
 *
 * @example
 * const routes: DumpRequest = { protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload: Uint8Array.of(AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) };
 */
export interface DumpRequest {
  /** The socket's protocol, e.g. NETLINK_ROUTE (0). */
  protocol: number;
  /** The request's `nlmsg_type`, e.g. RTM_GETROUTE (26). */
  type: number;
  /** Flags OR'd into NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK. */
  flags?: number;
  /**
   * `false` sends a "do" request for one object (no NLM_F_DUMP): the kernel
   * answers with the object, or an error such as ENODEV / EOPNOTSUPP, then an
   * ack — read through the same contract as a dump. Default true.
   */
  dump?: boolean;
  /** The request's payload: family struct plus attributes. */
  payload: Uint8Array;
}

let lastSequence = 0;

/**
 * nextSequence returns a fresh `nlmsg_seq` for a request: unique within the
 * process (until it wraps at 2^32), never 0 — notifications use 0.
 *
 * @example
 * const seq = nextSequence();
 */
export function nextSequence(): number {
  lastSequence = lastSequence >= 0xffff_ffff ? 1 : lastSequence + 1;
  return lastSequence;
}

/**
 * encodeDumpRequest writes the request message: a 16-byte nlmsghdr with
 * `NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK | request.flags` and `seq`,
 * followed by the payload. `nlmsg_pid` is 0: the kernel knows our port.
 *
 * @example
 * socket.send(encodeDumpRequest(request, nextSequence()));
 */
export function encodeDumpRequest(request: DumpRequest, seq: number): Buffer {
  const length = NLMSG_HDRLEN + request.payload.length;
  const message = Buffer.alloc(align(length));
  writeHeader(message, 0, length, {
    type: request.type,
    flags: NLM_F_REQUEST | (request.dump === false ? 0 : NLM_F_DUMP) | NLM_F_ACK | (request.flags ?? 0),
    seq,
  });
  message.set(request.payload, NLMSG_HDRLEN);
  return message;
}
