import type { NetlinkMessage } from '../../codec/header.js';

/**
 * isReply is DESIGN.md rule 4 for one message: whether `msg` answers the
 * request sent with `seq` on the socket whose port id is `portId`.
 *
 * A reply carries the request's `nlmsg_seq`, and the kernel addresses it to
 * the requesting socket: `nlmsg_pid` is the requester's port id
 * (`NETLINK_CB(skb).portid`), not 0. Anything else — the tail of an abandoned
 * request, a notification — is stale and must be dropped, never delivered,
 * never an error. `DumpReader` and `filterSequence` both decide with this.
 *
 * @example
 * const ours = batch.filter((msg) => isReply(msg, seq, socket.portId));
 */
export function isReply(msg: NetlinkMessage, seq: number, portId: number): boolean {
  return msg.seq === seq && msg.pid === portId;
}
