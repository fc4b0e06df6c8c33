import { Observable, ReplaySubject, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';

interface Flight<T> {
  readonly replay: ReplaySubject<T>;
  connection?: Subscription;
  /** Subscribers attached now. */
  refs: number;
  /** The source has completed or failed. */
  settled: boolean;
}

const flights = new Map<string, Flight<unknown>>();

/**
 * Lets identical concurrent dumps share one kernel dump.
 *
 * <span class="informal">The first subscriber starts the dump; the ones who come while it runs join it and are replayed what they missed.</span>
 *
 * Subscribers that use the same `key` while a dump of that key is running
 * share it: each still sees the whole dump, from its first value (what was
 * read before it came is replayed — kept in memory until the dump ends) to
 * its end or error. The dump is cancelled when its last subscriber leaves. A
 * subscriber that comes after the end starts a new dump. Build the key from
 * everything that shapes the reply (protocol, namespace, request bytes …):
 * `dump(request, { shared: true })` does.
 *
 * ## Example
 *
 * ```ts
 * import { dumpBatches, shareDump } from 'netlink-rx';
 *
 * const routes$ = dumpBatches(request).pipe(shareDump('routes:blue'));
 * routes$.subscribe(a); routes$.subscribe(b); // one kernel dump
 * ```
 *
 * @see {@link dumpBatches}
 * @param key What makes two dumps identical.
 * @return A function that returns an Observable sharing the running dump of `key`.
 */
export function shareDump<T>(key: string): MonoTypeOperatorFunction<T> {
  return (source) => new Observable<T>((subscriber) => {
    let flight = flights.get(key) as Flight<T> | undefined;
    if (!flight) {
      flight = { replay: new ReplaySubject<T>(), refs: 0, settled: false };
      flights.set(key, flight as unknown as Flight<unknown>);
    }
    const current = flight;
    const forget = () => {
      current.settled = true;
      if (flights.get(key) === current) flights.delete(key);
    };
    current.refs++;
    const attached = current.replay.subscribe(subscriber);
    if (!current.connection && !current.settled) {
      current.connection = source.subscribe({
        next: (value) => current.replay.next(value),
        error: (error) => { forget(); current.replay.error(error); },
        complete: () => { forget(); current.replay.complete(); },
      });
    }
    return () => {
      attached.unsubscribe();
      if (--current.refs === 0 && !current.settled) {
        forget();
        current.connection?.unsubscribe();
      }
    };
  });
}
