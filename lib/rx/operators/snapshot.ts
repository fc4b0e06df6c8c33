import { pipe, toArray, type OperatorFunction } from 'rxjs';
import { retryInterrupted } from './retry-interrupted.js';

/**
 * Collects a whole, consistent dump into one array.
 *
 * <span class="informal">`toArray` per attempt, and the attempt is thrown away and rerun when the kernel flags it interrupted.</span>
 *
 * Each attempt's values are collected on their own; an attempt that ends in a
 * `DumpInterruptedError` is discarded and the dump is subscribed again, up to
 * `maxRetries` times, so the array emitted comes from one dump that the
 * kernel did not flag. Other errors pass through.
 *
 * ## Example
 *
 * ```ts
 * import { dump, snapshot } from 'netlink-rx';
 *
 * dump(request).pipe(snapshot(5)).subscribe((messages) => console.log(messages.length));
 * ```
 *
 * @see {@link retryInterrupted}
 * @param maxRetries How many times to rerun an interrupted dump (default 3).
 * @return A function that returns an Observable of one array: the messages of one uninterrupted dump.
 */
export function snapshot<T>(maxRetries = 3): OperatorFunction<T, T[]> {
  return pipe(toArray(), retryInterrupted<T[]>(maxRetries));
}
