/**
 * The seam between the UI backend and the live tables: what a stream needs
 * from a table, whatever produces it (lib/live's `watch()`, or a scripted
 * fake in specs).
 */
import type { Observable } from 'rxjs';

/** StreamKind names a table the UI backend streams. The spelling is lib/live's `watch(kind)`. */
export type StreamKind = 'links' | 'addresses' | 'routes' | 'neighbors' | 'conntrack' | 'sockets';

/**
 * STREAM_KINDS lists every StreamKind, in the order the dashboard shows them.
 *
 * @example
 * STREAM_KINDS.includes('routes'); // true
 */
export const STREAM_KINDS: readonly StreamKind[] = ['links', 'addresses', 'routes', 'neighbors', 'conntrack', 'sockets'];

/**
 * LiveEvent is one event of a live table as the UI backend consumes it:
 * the initial rows as `add`, exactly one `synced`, then `add` / `change` /
 * `remove` keyed by the object's identity, and `resync` when the table
 * re-dumped (after an overrun or an interrupted dump) and is about to
 * converge through ordinary `add` / `change` / `remove` events.
 *
 * @example
 * const e: LiveEvent = { type: 'change', key: '3', old: before, value: after };
 */
export type LiveEvent =
  | { readonly type: 'add'; readonly key: string; readonly value: unknown }
  | { readonly type: 'change'; readonly key: string; readonly old: unknown; readonly value: unknown }
  | { readonly type: 'remove'; readonly key: string; readonly old: unknown }
  | { readonly type: 'synced' }
  | { readonly type: 'resync'; readonly reason: string };

/**
 * LiveTableSpec says which table: the kind, the namespace (absent: the
 * process's own) and an optional filter of that kind (lib/route's
 * `LinkFilter`, `RouteFilter` …, plain JSON data).
 *
 * @example
 * const spec: LiveTableSpec = { kind: 'routes', netns: 'blue', filter: { table: 'main' } };
 */
export interface LiveTableSpec {
  readonly kind: StreamKind;
  readonly netns?: string;
  readonly filter?: Readonly<Record<string, unknown>>;
}

/**
 * LiveSource opens a live table: a cold Observable of its events, one kernel
 * watch per subscription as far as the UI backend is concerned (the backend
 * subscribes once per distinct LiveTableSpec and fans out itself).
 *
 * @example
 * const source: LiveSource = (spec) => watchSource(spec);
 */
export type LiveSource = (spec: LiveTableSpec) => Observable<LiveEvent>;
