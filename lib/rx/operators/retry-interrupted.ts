import { retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import { DumpInterruptedError } from '../../errors.js';

/**
 * Runs an interrupted dump again, a bounded number of times.
 *
 * <span class="informal">Resubscribes to the whole dump on `DumpInterruptedError`; any other error passes through.</span>
 *
 * A cold dump sends a new request on every subscription, so resubscribing
 * reads the table again from the start. After `maxRetries` interrupted retries
 * the last `DumpInterruptedError` is passed on. Messages of the interrupted
 * attempts were already emitted: to get only one consistent attempt, collect
 * first and retry the collection — that is `snapshot`.
 *
 * ## Example
 *
 * ```ts
 * import { dump, retryInterrupted } from 'netlink-rx';
 *
 * dump(request).pipe(toArray(), retryInterrupted(5)).subscribe((routes) => console.log(routes.length));
 * ```
 *
 * @see {@link snapshot}
 * @param maxRetries How many times to resubscribe after an interruption (default 3).
 * @param delayMs Wait before each retry, in ms (default 0: at once).
 * @return A function that returns an Observable that retries interrupted dumps.
 */
export function retryInterrupted<T>(maxRetries = 3, delayMs = 0): MonoTypeOperatorFunction<T> {
  return retry({
    count: maxRetries,
    delay: (error) => (error instanceof DumpInterruptedError ? timer(delayMs) : throwError(() => error)),
  });
}
