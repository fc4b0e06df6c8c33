import type { MonoTypeOperatorFunction } from 'rxjs';
import { isTerminal } from '../../codec/control.js';
import type { MessageBatch } from '../../codec/message.js';
import { stepOf } from '../dump-step.js';
import { applySteps } from './apply-steps.js';

/**
 * Completes at the end of the dump.
 *
 * <span class="informal">Emits the messages before the first NLMSG_DONE (or acknowledgement), then completes.</span>
 *
 * The first terminal message — NLMSG_DONE, or NLMSG_ERROR (with errno 0 by
 * the time it gets here: `throwKernelErrors` has turned the others into
 * errors) — ends the stream: the messages before it in its batch are emitted,
 * then the stream completes and unsubscribes from its source, so no further
 * read happens (DESIGN.md rule 8). The terminal message itself, and anything
 * after it, is not emitted.
 *
 * ## Example
 *
 * ```ts
 * import { takeUntilDone, throwKernelErrors } from 'netlink-rx';
 *
 * replies.pipe(throwKernelErrors(), takeUntilDone()).subscribe({ complete: () => console.log('done') });
 * ```
 *
 * @see {@link throwKernelErrors}
 * @return A function that returns an Observable of the batches up to NLMSG_DONE.
 */
export function takeUntilDone(): MonoTypeOperatorFunction<MessageBatch> {
  return applySteps(() => (batch: MessageBatch) => {
    const end = batch.findIndex(isTerminal);
    return end < 0 ? stepOf(batch) : stepOf(batch.slice(0, end), true);
  });
}
