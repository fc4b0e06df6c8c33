/**
 * table: a kernel table as a stream of whole-table snapshots.
 */
import { Observable } from 'rxjs';
import type { LiveTableOptions } from './live-table.js';
import { liveTable } from './live-registry.js';
import type { LiveFilter, LiveKind, LiveObject } from './live-kind.js';

/**
 * Watches a kernel table as whole snapshots.
 *
 * <span class="informal">`watch()` folded: one `ReadonlyMap` (identity → object) after
 * the initial sync, and a new one after each batch of changes.</span>
 *
 * Emits first when the table is synced, then once per batch of changes that
 * changed something (one read of notifications, or one resync). Each emission
 * is a new Map, so it can be kept or compared by reference (a UI re-renders
 * when it changes); maps are only copied when something changed. Sharing,
 * resyncs and errors are those of `watch()`.
 *
 * ## Example
 *
 * ```ts
 * import { table } from 'netlink-rx';
 *
 * table('links', {}, { netns: 'blue' }).subscribe((links) => {
 *   console.log([...links.values()].map((l) => l.ifname).join(' '));
 * });
 * ```
 *
 * @see {@link watch}
 * @param kind The kind of object.
 * @param filter The kind's filter.
 * @param options Namespace, receive buffer, storm tuning.
 * @return A cold Observable of table snapshots keyed by identity.
 */
export function table<K extends LiveKind>(
  kind: K,
  filter: LiveFilter<K> = {},
  options: LiveTableOptions = {},
): Observable<ReadonlyMap<string, LiveObject<K>>> {
  return new Observable<ReadonlyMap<string, LiveObject<K>>>((subscriber) => {
    let rows = new Map<string, LiveObject<K>>();
    let synced = false;
    return liveTable(kind, filter, options).attach({
      next(events) {
        let next = rows;
        let changed = false;
        for (const event of events) {
          if (event.type === 'synced') {
            synced = true;
            changed = true;
            continue;
          }
          if (event.type === 'resync') continue;
          if (synced && next === rows) next = new Map(rows);
          if (event.type === 'remove') next.delete(event.key);
          else next.set(event.key, event.value);
          changed = true;
        }
        rows = next;
        if (synced && changed) subscriber.next(rows);
      },
      error: (error: unknown) => subscriber.error(error),
    });
  });
}
