import { Observable } from 'rxjs';
import { dumpBatches } from './dump-batches.js';
import type { DumpOptions } from './dump-options.js';
import type { DumpRequest } from './dump-request.js';
import { selectBatch, type DumpSelector } from './select-batch.js';

/**
 * Dumps a kernel table as a cold Observable of typed objects.
 *
 * <span class="informal">`dumpBatches` with a selector run over each read in a plain loop: the typed dump of every family.</span>
 *
 * The dump contract is `dumpBatches`'s (cold, one read at a time, stale
 * replies dropped, errors win, done means done, cancellation closes the
 * socket, interrupted dumps fail with `DumpInterruptedError`). Each read's
 * messages go through `select` in order; what it returns, other than
 * undefined, is emitted — a loop per read, so RxJS costs per read, not per
 * object. A selector that throws fails the Observable with a
 * `NetlinkDecodeError` (`code` `'EPROTO'`; anything but a decode error is
 * wrapped, with `cause`), as its error and at once: no later object is
 * delivered, nothing is thrown asynchronously, and the socket is closed.
 *
 * ## Example
 *
 * ```ts
 * import { dumpObjects, routeRequest, routeSelector } from 'netlink-rx';
 *
 * dumpObjects(routeRequest({ family: 'inet' }), routeSelector({ family: 'inet' }), { netns: 'blue' })
 *   .subscribe((route) => console.log(route.dst, route.dstLen));
 * ```
 *
 * @see {@link dumpBatches}
 * @see {@link forEachDumpObject}
 * @param request The dump request.
 * @param select Turns a reply message into its object, or undefined to leave it out.
 * @param options Namespace, socket options, pool, sharing, pacing.
 * @return A cold Observable of the selected objects.
 */
export function dumpObjects<T>(request: DumpRequest, select: DumpSelector<T>, options: DumpOptions = {}): Observable<T> {
  return new Observable<T>((subscriber) =>
    dumpBatches(request, options).subscribe({
      next(batch) {
        const error = selectBatch(batch, select, subscriber);
        if (error) subscriber.error(error);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
