/**
 * The registry of running live tables: subscribers of the same kind,
 * namespace, filter and options share one engine (one notification socket,
 * one table); the last one to leave closes it.
 */
import { LiveTable, type LiveTableOptions } from './live-table.js';
import { liveKinds, type LiveFilter, type LiveKind, type LiveObject } from './live-kind.js';

const tables = new Map<string, LiveTable<unknown, unknown>>();
const factoryIds = new WeakMap<object, number>();
let lastFactoryId = 0;

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : typeof v === 'bigint' ? `${v}n` : v);
}

function tableKey(kind: LiveKind, filter: unknown, options: LiveTableOptions): string {
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
  const key = tableKey(kind, filter, options);
  let table = tables.get(key) as LiveTable<LiveObject<K>, LiveFilter<K>> | undefined;
  if (!table) {
    const created: LiveTable<LiveObject<K>, LiveFilter<K>> = new LiveTable(
      liveKinds[kind] as never, filter, options, () => {
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
