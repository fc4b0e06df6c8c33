/**
 * watch: a kernel table and every change to it, as one Observable.
 */
import { Observable } from 'rxjs';
import type { LiveTable, LiveTableOptions } from './live-table.js';
import { liveTable } from './live-registry.js';
import type { LiveFilter, LiveKind, LiveObject } from './live-kind.js';
import type { TableEvent } from './table-event.js';

/**
 * Watches a kernel table: its rows, then every change.
 *
 * <span class="informal">List-then-watch done right: rows, `synced`, then add /
 * change (old and new) / remove — and a `resync` with only the difference
 * when notifications were lost.</span>
 *
 * Cold: the first subscriber of a (kind, namespace, filter, options) joins
 * the notification groups, then dumps the table, applies the notifications
 * that arrived during the dump, and emits one `add` per row and one `synced`.
 * Later subscribers share that socket and table: they get the current rows
 * and `synced` at once. After `synced`: `add`, `change` (with `old`),
 * `remove`. When notifications are lost (overrun), a dump is interrupted, or
 * the kernel removes objects without notifying each (a link down drops its
 * IPv4 routes), the table is re-read and a `resync` event is followed by the
 * difference only. Kinds whose objects change unannounced (sockets; conntrack
 * entries made before anyone listened) are also re-read every `poll` ms. In
 * a storm the table is re-read and compared instead of applying each
 * notification. Unsubscribing the last subscriber closes the
 * sockets. Errors (a missing namespace: `ENOENT`) fail every subscriber.
 *
 * ## Example
 *
 * ```ts
 * import { watch } from 'netlink-rx';
 *
 * watch('routes', { table: 'main' }, { netns: 'blue' }).subscribe((e) => {
 *   if (e.type === 'synced') console.log(`${e.size} routes`);
 *   else if (e.type === 'add') console.log('+', e.value.dst, e.value.dstLen);
 *   else if (e.type === 'remove') console.log('-', e.old.dst, e.old.dstLen);
 * });
 * ```
 *
 * @see {@link table}
 * @param kind `'links' | 'addresses' | 'routes' | 'neighbors' | 'rules' | 'nexthops' | 'conntrack' | 'sockets'`.
 * @param filter The kind's filter, as its dump function takes it.
 * @param options Namespace, receive buffer, storm tuning, poll period.
 * @return A cold Observable of table events.
 */
export function watch<K extends LiveKind>(
  kind: K,
  filter: LiveFilter<K> = {},
  options: LiveTableOptions = {},
): Observable<TableEvent<LiveObject<K>>> {
  return watchLiveTable(() => liveTable(kind, filter, options));
}

/**
 * watchLiveTable is `watch()` over any engine: on each subscribe it takes
 * the engine `open` returns (a shared one, from the registry) and attaches
 * to it; unsubscribing detaches. The generic netlink client's `watch()`
 * builds on it.
 *
 * @example
 * watchLiveTable(() => liveTable('links')).subscribe((e) => console.log(e.type));
 */
export function watchLiveTable<T, F>(open: () => LiveTable<T, F>): Observable<TableEvent<T>> {
  return new Observable<TableEvent<T>>((subscriber) =>
    open().attach({
      next(events) {
        for (const event of events) {
          if (subscriber.closed) return;
          subscriber.next(event);
        }
      },
      error: (error: unknown) => subscriber.error(error),
    }));
}
