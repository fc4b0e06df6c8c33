import { concatMap, type OperatorFunction } from 'rxjs';

/**
 * Emits the items of each array, one by one.
 *
 * <span class="informal">The last step of a dump: from one array per read to one value per message.</span>
 *
 * The dump pipeline works on whole reads so its RxJS cost is per read;
 * `flattenBatches` is where it turns into a stream of single messages. It
 * stops in the middle of an array as soon as the subscriber is closed (a
 * `take(10)` downstream does not walk the rest of the read).
 *
 * ## Example
 *
 * ```ts
 * import { dumpBatches, flattenBatches } from 'netlink-rx';
 *
 * dumpBatches(request).pipe(flattenBatches()).subscribe((msg) => console.log(msg.type));
 * ```
 *
 * @see {@link dumpBatches}
 * @return A function that returns an Observable of the arrays' items.
 */
export function flattenBatches<T>(): OperatorFunction<readonly T[], T> {
  return concatMap((batch) => batch);
}
