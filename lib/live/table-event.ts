/**
 * The events of a live table: rows, the sync marker, changes, resyncs.
 */

/**
 * ResyncReason says why a live table re-read the kernel's table:
 * - `'overrun'`: the kernel dropped notifications (ENOBUFS) or one arrived truncated;
 * - `'interrupted'`: dumps kept being interrupted (NLM_F_DUMP_INTR) and one was taken as it was;
 * - `'kernel-flush'`: a change after which the kernel removes objects without
 *   notifying each (a link down, an address or nexthop removed);
 * - `'storm'`: notifications came too fast to apply one by one, so the table is
 *   re-read and compared instead;
 * - `'malformed'`: a notification could not be decoded;
 * - `'poll'`: the periodic re-read of a kind whose objects change without
 *   notification (sockets; conntrack entries made before anyone listened) —
 *   emitted only when it found a difference.
 *
 * @example
 * if (event.type === 'resync' && event.reason === 'overrun') metrics.overruns++;
 */
export type ResyncReason = 'overrun' | 'interrupted' | 'kernel-flush' | 'storm' | 'malformed' | 'poll';

/**
 * TableEvent is what `watch()` emits. First one `add` per current row, then
 * exactly one `synced`; after it, `add` / `change` (with the `old` value) /
 * `remove` as the kernel's table changes. A `resync` event announces that the
 * table was re-read; the `add`/`change`/`remove` events right after it are the
 * difference found — never a flush and reload.
 *
 * @example
 * watch('routes').subscribe((e) => {
 *   if (e.type === 'change') console.log(e.key, e.old.gateway, '→', e.value.gateway);
 * });
 */
export type TableEvent<T> =
  | { readonly type: 'add'; readonly key: string; readonly value: T }
  | { readonly type: 'change'; readonly key: string; readonly old: T; readonly value: T }
  | { readonly type: 'remove'; readonly key: string; readonly old: T }
  | { readonly type: 'synced'; readonly size: number }
  | { readonly type: 'resync'; readonly reason: ResyncReason };
