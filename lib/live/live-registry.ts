/**
 * The registry of running live tables: subscribers of the same kind,
 * namespace, filter and options share one engine (one notification socket,
 * one table); the last one to leave closes it.
 */
import { LiveTable, type LiveTableOptions } from './live-table.js';
import { liveKinds, type LiveFilter, type LiveKind, type LiveKindSpec, type LiveObject } from './live-kind.js';

const tables = new Map<string, LiveTable<unknown, unknown>>();
const factoryIds = new WeakMap<object, number>();
let lastFactoryId = 0;

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : typeof v === 'bigint' ? `${v}n` : v);
}

function tableKey(kind: string, filter: unknown, options: LiveTableOptions): string {
  const { transport, ...rest } = options;
  let factory = 0;
  if (transport) {
    factory = factoryIds.get(transport) ?? ++lastFactoryId;
    factoryIds.set(transport, factory);
  }
  return stable([kind, filter, rest, factory]);
}

/**
 * liveTable returns the running engine for (kind, filter, options), creating
 * it when none runs. It starts on its first `attach()` and leaves the
 * registry when its last listener detaches.
 *
 * @example
 * const engine = liveTable('routes', { table: 'main' }, { netns: 'blue' });
 * const detach = engine.attach({ next: console.log, error: console.error });
 */
export function liveTable<K extends LiveKind>(
  kind: K,
  filter: LiveFilter<K> = {},
  options: LiveTableOptions = {},
): LiveTable<LiveObject<K>, LiveFilter<K>> {
  return sharedLiveTable(kind, liveKinds[kind] as never, filter, options);
}

/**
 * sharedLiveTable is `liveTable` for a spec made elsewhere (a generic netlink
 * family's table, resolved at run time): the engine running under `name`
 * for (filter, options), or a new one of `spec`. `name` must tell apart
 * every spec that could differ (the generic netlink client puts the family's
 * id in it): a running engine is shared as it is.
 *
 * @example
 * const engine = sharedLiveTable('netdev/devices#1@29', spec, {}, { netns: 'blue' });
 * const detach = engine.attach({ next: console.log, error: console.error });
 */
export function sharedLiveTable<T, F>(
  name: string,
  spec: LiveKindSpec<T, F>,
  filter: F,
  options: LiveTableOptions = {},
): LiveTable<T, F> {
  const key = tableKey(name, filter, options);
  let table = tables.get(key) as LiveTable<T, F> | undefined;
  if (!table) {
    const created: LiveTable<T, F> = new LiveTable(spec, filter, options, () => {
      if (tables.get(key) === (created as unknown)) tables.delete(key);
    });
    tables.set(key, created as LiveTable<unknown, unknown>);
    table = created;
  }
  return table;
}

/**
 * runningLiveTables counts the engines running now (tests, diagnostics).
 *
 * @example
 * runningLiveTables(); // 0 once every watch is unsubscribed
 */
export function runningLiveTables(): number {
  return tables.size;
}
