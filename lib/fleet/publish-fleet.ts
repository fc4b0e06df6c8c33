/**
 * publishFleet: a host's live tables mirrored into the fleet bucket.
 */
import { Observable } from 'rxjs';
import { liveKinds, type LiveKind } from '../live/live-kind.js';
import { sameObject } from '../live/same-object.js';
import { watch } from '../live/watch.js';
import type { FleetConnection, FleetEntry } from './fleet-connection.js';
import { fleetError, type FleetError } from './fleet-error.js';
import { checkHostName, fleetHeartbeatKey, fleetRowKey, fleetTableFilter } from './fleet-key.js';
import { decodeFleetValue, encodeFleetValue } from './fleet-value.js';

/**
 * FleetPublishOptions: the host's name in the fleet, its tables and namespace.
 *
 * @example
 * const options: FleetPublishOptions = { host: 'edge-7', tables: ['routes', 'links'], netns: 'blue' };
 */
export interface FleetPublishOptions {
  /** The name the fleet knows this host by (any text, 1 to 253 bytes). */
  readonly host: string;
  /** The tables published; default links, addresses, routes and neighbors. */
  readonly tables?: readonly LiveKind[];
  /** The namespace whose tables are published (absent: the process's own). */
  readonly netns?: string;
  /** Milliseconds between heartbeats; default 5 000. Consumers take a host as gone after a few missed. */
  readonly heartbeatMs?: number;
  /** Writes awaiting JetStream's acknowledgement at once; default 256. */
  readonly maxInFlight?: number;
  /** Milliseconds before a failed write is tried again; default 1 000. */
  readonly retryMs?: number;
}

/**
 * FleetPublishEvent is what `publishFleet` reports:
 * - `synced`: a table's rows and the bucket agree — after the start and
 *   after each reconnection, which re-read the bucket; `puts` / `deletes`
 *   are the writes that took (the difference only);
 * - `flushed`: every write so far is acknowledged; running totals, and
 *   `changes`, the row events the live tables gave after their sync;
 * - `retry`: writes failed (the server away, a permission refused) and are
 *   tried again.
 *
 * @example
 * publishFleet(fleet, { host: 'r1' }).subscribe((e) => { if (e.type === 'synced') console.log(e.table, e.puts, e.deletes); });
 */
export type FleetPublishEvent =
  | { readonly type: 'synced'; readonly table: LiveKind; readonly rows: number; readonly puts: number; readonly deletes: number }
  | { readonly type: 'flushed'; readonly puts: number; readonly deletes: number; readonly changes: number }
  | { readonly type: 'retry'; readonly error: FleetError };

/** The heartbeat's value: JSON of this shape. */
export interface FleetHeartbeat {
  readonly host: string;
  /** The publisher's clock, ms since the epoch. */
  readonly time: number;
  readonly intervalMs: number;
  readonly tables: readonly LiveKind[];
  /** Present (true) when the publisher stopped on purpose: the host is gone at once. */
  readonly stopped?: boolean;
}

/** One table's mirror: what the kernel has (desired) and what the bucket holds (stored), by bucket key. */
interface Mirror {
  readonly kind: LiveKind;
  readonly desired: Map<string, unknown>;
  /** Known bucket content; `undefined` value: a key the bucket holds but that does not decode. */
  stored: Map<string, unknown>;
  watchSynced: boolean;
  /** Increments with each bucket read; a read older than the latest is ignored. */
  loads: number;
  loaded: boolean;
  /** Writes of the current reconcile, and whether it is still settling. */
  settling: boolean;
  /** Keys of this table in `dirty`, and writes of it awaiting acknowledgement. */
  pending: number;
  inFlight: number;
  puts: number;
  deletes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DEFAULT_TABLES: readonly LiveKind[] = ['links', 'addresses', 'routes', 'neighbors'];

/**
 * The fields not compared with the bucket's copy: the live table's own
 * volatile ones, and the raw attributes no decoder types — a link's
 * IFLA_AF_SPEC carries IPv6 counters that move without notification, so a
 * restarted publisher would otherwise rewrite every link.
 */
const ignored = Object.fromEntries(Object.entries(liveKinds).map(([kind, spec]) =>
  [kind, new Set([...spec.volatile, 'unknown'])])) as unknown as Record<LiveKind, ReadonlySet<string>>;

/**
 * Publishes a host's live tables into the fleet bucket.
 *
 * <span class="informal">List-then-watch each table, and write the bucket
 * only where it differs from the kernel.</span>
 *
 * Cold: on subscribe, it writes the host's heartbeat, watches each table
 * with `watch()` and reads what the bucket holds for this host; once both
 * are complete it writes the difference only (a restarted publisher whose
 * rows are still in the bucket writes nothing for them) and reports
 * `synced`. Then each add / change / remove is one put or delete; a storm or
 * a resync of the live table is its difference, and writes to one key are
 * coalesced while an earlier one awaits its acknowledgement. After NATS
 * reconnects (a server restarted, another one of a cluster) the bucket is
 * read again and the difference written. Failed writes are retried
 * (`retry` events), never dropped. A heartbeat key is written every
 * `heartbeatMs`; unsubscribing marks it stopped. A live table's error (a
 * missing namespace: `ENOENT`) fails the Observable.
 *
 * ## Example
 *
 * ```ts
 * import { connectFleet, publishFleet } from 'netlink-rx/fleet';
 *
 * const fleet = await connectFleet({ servers: 'nats://10.0.0.5:4222' });
 * publishFleet(fleet, { host: 'edge-7', tables: ['routes', 'links'] }).subscribe((e) => {
 *   if (e.type === 'synced') console.log(`${e.table}: ${e.rows} rows, ${e.puts} written`);
 * });
 * ```
 *
 * @param fleet An open connection (`connectFleet`).
 * @param options The host's name, tables, namespace, heartbeat period.
 * @return A cold Observable of progress events; it never completes.
 */
export function publishFleet(fleet: FleetConnection, options: FleetPublishOptions): Observable<FleetPublishEvent> {
  return new Observable<FleetPublishEvent>((subscriber) => {
    const host = checkHostName(options.host);
    const tables = options.tables ?? DEFAULT_TABLES;
    const heartbeatMs = options.heartbeatMs ?? 5000;
    const maxInFlight = options.maxInFlight ?? 256;
    const retryMs = options.retryMs ?? 1000;
    const bucket = fleet.bucket;
    const mirrors = new Map<LiveKind, Mirror>();
    /** Bucket keys to compare and write, with their mirror. */
    const dirty = new Map<string, Mirror>();
    const inFlight = new Set<string>();
    const totals = { puts: 0, deletes: 0, changes: 0 };
    let wroteSinceFlush = false;
    let retryTimer: NodeJS.Timeout | undefined;
    let failing = false;
    let closed = false;

    const heartbeat = (stopped?: boolean): Promise<void> => {
      const beat: FleetHeartbeat = { host, time: Date.now(), intervalMs: heartbeatMs, tables, ...(stopped ? { stopped } : {}) };
      return bucket.put(fleetHeartbeatKey(host), encoder.encode(JSON.stringify(beat))).catch(() => undefined);
    };

    const settle = (mirror: Mirror): void => {
      if (!mirror.settling || !mirror.loaded || !mirror.watchSynced || mirror.pending > 0 || mirror.inFlight > 0) return;
      mirror.settling = false;
      subscriber.next({ type: 'synced', table: mirror.kind, rows: mirror.desired.size, puts: mirror.puts, deletes: mirror.deletes });
    };

    const pump = (): void => {
      if (closed) return;
      for (const [key, mirror] of dirty) {
        if (inFlight.size >= maxInFlight || failing) break;
        if (inFlight.has(key)) continue;
        dirty.delete(key);
        mirror.pending--;
        // Until both sides are known, a key's difference cannot be told.
        if (!mirror.loaded || !mirror.watchSynced) continue;
        const want = mirror.desired.get(key);
        const has = mirror.stored.has(key);
        const volatile = ignored[mirror.kind];
        if (want === undefined ? !has : has && mirror.stored.get(key) !== undefined && sameObject(mirror.stored.get(key), want, volatile)) continue;
        inFlight.add(key);
        mirror.inFlight++;
        const write = want === undefined ? bucket.delete(key) : bucket.put(key, encoder.encode(encodeFleetValue(want)));
        write.then(() => {
          inFlight.delete(key);
          mirror.inFlight--;
          if (want === undefined) {
            mirror.stored.delete(key);
            mirror.deletes++;
            totals.deletes++;
          } else {
            mirror.stored.set(key, want);
            mirror.puts++;
            totals.puts++;
          }
          wroteSinceFlush = true;
          after(mirror);
        }, (error: unknown) => {
          inFlight.delete(key);
          mirror.inFlight--;
          // Retry the key (another change of it may have queued it already).
          mark(key, mirror);
          if (!failing && !closed) {
            failing = true;
            subscriber.next({ type: 'retry', error: fleetError(error, `write ${key}`) });
            retryTimer = setTimeout(() => {
              failing = false;
              pump();
            }, retryMs);
          }
        });
      }
    };

    const after = (mirror: Mirror): void => {
      pump();
      settle(mirror);
      if (dirty.size === 0 && inFlight.size === 0 && wroteSinceFlush && !closed) {
        wroteSinceFlush = false;
        subscriber.next({ type: 'flushed', ...totals });
      }
    };

    const mark = (key: string, mirror: Mirror): void => {
      if (dirty.has(key)) return;
      dirty.set(key, mirror);
      mirror.pending++;
    };
    const markAll = (mirror: Mirror): void => {
      for (const key of mirror.desired.keys()) mark(key, mirror);
      for (const key of mirror.stored.keys()) mark(key, mirror);
    };

    const load = (mirror: Mirror): void => {
      const generation = ++mirror.loads;
      mirror.loaded = false;
      mirror.settling = true;
      mirror.puts = 0;
      mirror.deletes = 0;
      bucket.read(fleetTableFilter(mirror.kind, host)).then((entries: Map<string, FleetEntry>) => {
        if (closed || generation !== mirror.loads) return;
        mirror.stored = new Map();
        for (const [key, entry] of entries) {
          let value: unknown;
          try {
            value = decodeFleetValue(decoder.decode(entry.value));
          } catch {
            value = undefined;
          }
          mirror.stored.set(key, value);
        }
        mirror.loaded = true;
        markAll(mirror);
        after(mirror);
      }, (error: unknown) => {
        if (closed || generation !== mirror.loads) return;
        subscriber.next({ type: 'retry', error: fleetError(error, `read ${mirror.kind} of ${host}`) });
        setTimeout(() => {
          if (!closed && generation === mirror.loads) load(mirror);
        }, retryMs).unref();
      });
    };

    void heartbeat();
    const beating = setInterval(() => void heartbeat(), heartbeatMs);
    const subscriptions = tables.map((kind) => {
      const mirror: Mirror = {
        kind, desired: new Map(), stored: new Map(), watchSynced: false, loads: 0, loaded: false, settling: true,
        pending: 0, inFlight: 0, puts: 0, deletes: 0,
      };
      mirrors.set(kind, mirror);
      load(mirror);
      return watch(kind, {}, { netns: options.netns }).subscribe({
        next: (event) => {
          if (event.type === 'resync') return;
          if (event.type === 'synced') {
            mirror.watchSynced = true;
            markAll(mirror);
            return after(mirror);
          }
          const key = fleetRowKey(host, kind, event.key);
          if (event.type === 'remove') mirror.desired.delete(key);
          else mirror.desired.set(key, event.value);
          if (!mirror.watchSynced) return;
          totals.changes++;
          mark(key, mirror);
          pump();
        },
        error: (error: unknown) => subscriber.error(error),
      });
    });
    const offReconnect = fleet.onReconnect(() => {
      void heartbeat();
      for (const mirror of mirrors.values()) load(mirror);
    });

    return () => {
      closed = true;
      clearInterval(beating);
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      offReconnect();
      for (const s of subscriptions) s.unsubscribe();
      void heartbeat(true);
    };
  });
}
