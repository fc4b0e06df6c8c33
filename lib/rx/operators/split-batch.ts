import type { OperatorFunction } from 'rxjs';
import { splitMessages, type MessageBatch } from '../../codec/message.js';
import type { Batch } from '../../transport/transport.js';
import { stepOf } from '../dump-step.js';
import { applySteps } from './apply-steps.js';

/**
 * Cuts each raw read into its messages.
 *
 * <span class="informal">Bytes in, message views out — one array per read, nothing copied.</span>
 *
 * `splitBatch` turns every `Batch` (the datagrams of one read, back to back)
 * into a `MessageBatch`: the views of its messages, in order. A fragment — a
 * header shorter than 16 bytes, an `nlmsg_len` that runs past its datagram, or
 * a datagram truncated by recvmsg — fails the stream with a
 * `NetlinkDecodeError` (`code` `'EPROTO'`), after the whole messages before
 * it were emitted (DESIGN.md rules 5 and 7). A read without messages emits
 * nothing.
 *
 * ## Example
 *
 * ```ts
 * import { splitBatch, readBatches } from 'netlink-rx';
 *
 * readBatches(socket).pipe(splitBatch()).subscribe((messages) => console.log(messages.length));
 * ```
 *
 * @see {@link splitMessages}
 * @see {@link filterSequence}
 * @return A function that returns an Observable of the reads' messages, one array per read.
 */
export function splitBatch(): OperatorFunction<Batch, MessageBatch> {
  return applySteps(() => (batch: Batch) => {
    const { messages, error } = splitMessages(batch);
    return stepOf(messages, false, error);
  });
}
