import type { MonoTypeOperatorFunction } from 'rxjs';
import { isTerminal } from '../../codec/control.js';
import type { MessageBatch } from '../../codec/message.js';
import { stepOf } from '../dump-step.js';
import { terminalError } from '../rules/terminal-error.js';
import { applySteps } from './apply-steps.js';

/**
 * Fails the stream when the kernel refuses the request.
 *
 * <span class="informal">NLMSG_ERROR with an errno, or NLMSG_DONE carrying one, becomes a `NetlinkKernelError`.</span>
 *
 * Looks at the first terminal message (NLMSG_ERROR or NLMSG_DONE) of each
 * batch. An NLMSG_ERROR with a non-zero errno, or an NLMSG_DONE whose payload
 * is a negative errno (a dump refused after it started), fails the stream with
 * a `NetlinkKernelError` carrying `errno`, `code`, the extended-ack message
 * and offset when the kernel sent them, and the request's type. The messages
 * before it are emitted first; the ones after it never are (DESIGN.md rules 6
 * and 7). A successful terminal — and whatever follows it — is passed on
 * untouched for `takeUntilDone`: only the first terminal counts, so an error
 * after DONE cannot fail a finished dump. A malformed control message fails
 * with a `NetlinkDecodeError` (`EPROTO`).
 *
 * ## Example
 *
 * ```ts
 * import { throwKernelErrors, takeUntilDone } from 'netlink-rx';
 *
 * replies.pipe(throwKernelErrors(RTM_GETROUTE), takeUntilDone())
 *   .subscribe({ error: (e) => console.log(e.code, e.extAckMessage) });
 * ```
 *
 * @see {@link takeUntilDone}
 * @see {@link terminalError}
 * @param requestType The request's `nlmsg_type`, reported when the kernel's reply does not echo it (NLMSG_DONE).
 * @return A function that returns an Observable of the batches up to the kernel's error.
 */
export function throwKernelErrors(requestType?: number): MonoTypeOperatorFunction<MessageBatch> {
  return applySteps(() => (batch: MessageBatch) => {
    const end = batch.findIndex(isTerminal);
    const error = end < 0 ? undefined : terminalError(batch[end], requestType);
    return error ? stepOf(batch.slice(0, end), false, error) : stepOf(batch);
  });
}
