import { concat, concatMap, defer, of, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { isInterrupted, isTerminal } from '../../codec/control.js';
import type { MessageBatch } from '../../codec/message.js';
import { DumpInterruptedError } from '../../errors.js';

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
 * @return A function that returns an Observable of the batches, failing at the end if the dump was interrupted.
 */
export function detectInterrupt(): MonoTypeOperatorFunction<MessageBatch> {
  return (source) => defer(() => {
    /** Whether a message of this dump carried NLM_F_DUMP_INTR. */
    let interrupted = false;
    /** Messages emitted so far, for the error's report. */
    let delivered = 0;
    return source.pipe(concatMap((batch) => {
      const end = batch.findIndex(isTerminal);
      const last = end < 0 ? batch.length : end + 1;
      for (let i = 0; !interrupted && i < last; i++) interrupted = isInterrupted(batch[i]);
      if (end < 0 || !interrupted) {
        delivered += end < 0 ? batch.length : end;
        return of(batch);
      }
      delivered += end;
      const error = new DumpInterruptedError(delivered);
      return end > 0 ? concat(of(batch.slice(0, end)), throwError(() => error)) : throwError(() => error);
    }));
  });
}
