import type { MonoTypeOperatorFunction } from 'rxjs';
import type { NetlinkMessage } from '../../codec/header.js';
import type { MessageBatch } from '../../codec/message.js';
import { stepOf } from '../dump-step.js';
import { isReply } from '../rules/is-reply.js';
import { applySteps } from './apply-steps.js';

/**
 * Drops every message that is not a reply to one request.
 *
 * <span class="informal">Keeps the messages whose `nlmsg_seq` and `nlmsg_pid` are the request's; drops the rest silently.</span>
 *
 * A reply carries the request's `nlmsg_seq`, and the kernel addresses it to
 * the requesting socket: it sets the reply's `nlmsg_pid` to the requester's
 * port id (`NETLINK_CB(skb).portid`), not to 0. That replies come *from* the
 * kernel (source port 0) is enforced below us: the socket is `connect()`ed to
 * port 0, so the kernel refuses unicasts to it from any other socket. Anything
 * else — the tail of an abandoned request, a notification — is stale: it is
 * dropped, never delivered and never an error (DESIGN.md rule 4). A batch left
 * empty is not emitted; a batch with nothing to drop is passed on as is.
 *
 * ## Example
 *
 * ```ts
 * import { filterSequence, readBatches, splitBatch } from 'netlink-rx';
 *
 * socket.send(request); // written with nlmsg_seq 42
 * readBatches(socket).pipe(splitBatch(), filterSequence(42, socket.portId));
 * ```
 *
 * @see {@link splitBatch}
 * @see {@link isReply}
 * @param seq The request's `nlmsg_seq`.
 * @param portId The requesting socket's port id (`Transport.portId`).
 * @return A function that returns an Observable of the batches with only the request's replies.
 */
export function filterSequence(seq: number, portId: number): MonoTypeOperatorFunction<MessageBatch> {
  const ours = (msg: NetlinkMessage) => isReply(msg, seq, portId);
  return applySteps(() => (batch: MessageBatch) => stepOf(batch.every(ours) ? batch : batch.filter(ours)));
}
