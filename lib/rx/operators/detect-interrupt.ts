import type { MonoTypeOperatorFunction } from 'rxjs';
import { isTerminal } from '../../codec/control.js';
import type { MessageBatch } from '../../codec/message.js';
import { stepOf } from '../dump-step.js';
import { InterruptWatch } from '../rules/interrupt-watch.js';
import { applySteps } from './apply-steps.js';

/**
 * Reports a dump the kernel flagged as inconsistent.
 *
 * <span class="informal">Any message with NLM_F_DUMP_INTR — DONE included — turns the end of the dump into a `DumpInterruptedError`.</span>
 *
 * The kernel sets `NLM_F_DUMP_INTR` on a dump's messages (and on its
 * NLMSG_DONE) when the table changed while it was being dumped. The flag is
 * remembered; the dump is still read to its end and every message before the
 * terminal one is emitted; then, instead of the terminal message, the stream
 * fails with a `DumpInterruptedError` (`code` `'EINTR'`, `.messages` = how
 * many messages were emitted) that `retryInterrupted` can act on (DESIGN.md
 * rule 10). Place it after `throwKernelErrors` (a kernel error wins) and
 * before `takeUntilDone` (which would drop the DONE it must inspect).
 *
 * ## Example
 *
 * ```ts
 * import { detectInterrupt, takeUntilDone } from 'netlink-rx';
 *
 * replies.pipe(detectInterrupt(), takeUntilDone())
 *   .subscribe({ error: (e) => e instanceof DumpInterruptedError && console.log('retry') });
 * ```
 *
 * @see {@link retryInterrupted}
 * @see {@link InterruptWatch}
 * @return A function that returns an Observable of the batches, failing at the end if the dump was interrupted.
 */
export function detectInterrupt(): MonoTypeOperatorFunction<MessageBatch> {
  return applySteps(() => {
    const watch = new InterruptWatch();
    return (batch: MessageBatch) => {
      const end = batch.findIndex(isTerminal);
      const last = end < 0 ? batch.length : end + 1;
      for (let i = 0; i < last; i++) watch.see(batch[i]);
      watch.delivered(end < 0 ? batch.length : end);
      const error = end < 0 ? undefined : watch.end();
      return error ? stepOf(batch.slice(0, end), false, error) : stepOf(batch);
    };
  });
}
