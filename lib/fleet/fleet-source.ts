/**
 * fleetSource: the fleet bucket as the UI backend's LiveSource — every
 * host's rows of a table, with a `host` field, from NATS alone.
 */
import { Observable } from 'rxjs';
import { sameObject } from '../live/same-object.js';
import type { LiveEvent, LiveSource, LiveTableSpec } from '../ui/live-source.js';
import type { FleetConnection, FleetEntry } from './fleet-connection.js';
import { fleetTableFilter, parseFleetKey } from './fleet-key.js';
import { decodeFleetValue } from './fleet-value.js';
import type { FleetHeartbeat } from './publish-fleet.js';

/**
 * FleetSourceOptions: when a silent host counts as gone.
 *
 * @example
 * fleetSource(fleet, { goneAfterMs: 30_000 });
 */
export interface FleetSourceOptions {
  /** Milliseconds after a host's last heartbeat that it is gone; default three of its heartbeat periods. */
  readonly goneAfterMs?: number;
  /** Milliseconds before a failed watch is opened again; default 1 000. */
  readonly retryMs?: number;
}

/**
 * FleetRow is a row as fleetSource gives it: the host's object with the
 * host's name added.
 *
 * @example
 * const row = event.value as FleetRow; row.host; // 'edge-7'
 */
export type FleetRow = Readonly<Record<string, unknown>> & { readonly host: string };

interface HostState {
  /** When the last heartbeat was written (its server time) or, once live, received (our time). */
  seen: number;
  intervalMs: number;
  stopped: boolean;
}

interface State {
  readonly hosts: Map<string, HostState>;
  /** Every row the bucket holds for the table, shown or not, by bucket key. */
  readonly rows: Map<string, FleetRow>;
}

const decoder = new TextDecoder();
/** How long a (re)opened watch may go without delivering its next initial value. */
const LOAD_TIMEOUT_MS = 20_000;

/**
 * fleetSource opens a table of the whole fleet.
 *
 * Each subscription watches the bucket's heartbeats and the table's keys:
 * the current rows come as `add` (keyed by their bucket key, valued as the
 * host's object plus `host`), then `synced`, then `add` / `change` /
 * `remove` as publishers write. A host whose heartbeat is older than the
 * timeout, or who stopped, is **gone**: its rows are removed from the view
 * (never served as current) and come back, as `add`s, when it beats again;
 * rows of a host that never wrote a heartbeat are not shown. After NATS
 * reconnects, or a watch fails, the bucket is read again and a `resync`
 * is followed by the difference only. The spec's `filter.host` keeps one
 * host; `netns` means nothing here (each host published its own).
 * Heartbeat ages compare the server's write time with this machine's
 * clock at the start: keep the clocks in step (NTP).
 *
 * @example
 * import { connectFleet, fleetSource } from 'netlink-rx/fleet';
 * import { liveStreams } from 'netlink-rx/ui';
 *
 * const fleet = await connectFleet({ servers: 'nats://10.0.0.5:4222' });
 * const streams = liveStreams({ source: fleetSource(fleet) });
 */
export function fleetSource(fleet: FleetConnection, options: FleetSourceOptions = {}): LiveSource {
  return (spec: LiveTableSpec) => fleetTable(fleet, spec, options);
}

function alive(host: HostState | undefined, now: number, goneAfterMs: number | undefined): boolean {
  return host !== undefined && !host.stopped && now - host.seen <= (goneAfterMs ?? 3 * host.intervalMs);
}

function fleetTable(fleet: FleetConnection, spec: LiveTableSpec, options: FleetSourceOptions): Observable<LiveEvent> {
  return new Observable<LiveEvent>((subscriber) => {
    const onlyHost = typeof spec.filter?.host === 'string' ? spec.filter.host : undefined;
    const retryMs = options.retryMs ?? 1000;
    /** What subscribers were given: bucket key → row. */
    const shown = new Map<string, FleetRow>();
    let state: State = { hosts: new Map(), rows: new Map() };
    let committed = false;
    let stops: (() => void)[] = [];
    let generation = 0;
    let closed = false;
    let retryTimer: NodeJS.Timeout | undefined;

    const visible = (row: FleetRow): boolean => aliveHosts.has(row.host);
    /** The hosts whose rows are shown; recomputed from the heartbeats as they come and as time passes. */
    let aliveHosts = new Set<string>();
    const hostsNow = (): Set<string> => {
      const now = Date.now();
      return new Set([...state.hosts].filter(([, h]) => alive(h, now, options.goneAfterMs)).map(([name]) => name));
    };
    /** Shows or hides whole hosts when one came or went. */
    const checkHosts = (): void => {
      const now = hostsNow();
      if (now.size === aliveHosts.size && [...now].every((h) => aliveHosts.has(h))) return;
      aliveHosts = now;
      reconcile();
    };

    /** Brings `shown` to what `state` says, one event per difference. */
    const reconcile = (): void => {
      for (const [key, old] of shown) {
        const row = state.rows.get(key);
        if (row === undefined || !visible(row)) {
          shown.delete(key);
          subscriber.next({ type: 'remove', key, old });
        }
      }
      for (const [key, row] of state.rows) {
        if (!visible(row)) continue;
        const old = shown.get(key);
        if (old === row || (old !== undefined && sameObject(old, row))) continue;
        shown.set(key, row);
        subscriber.next(old === undefined ? { type: 'add', key, value: row } : { type: 'change', key, old, value: row });
      }
    };

    const heartbeat = (entry: FleetEntry, live: boolean, into: State): void => {
      const key = parseFleetKey(entry.key);
      if (key === undefined || !('heartbeat' in key)) return;
      if (entry.operation !== 'PUT') return void into.hosts.delete(key.host);
      try {
        const beat = JSON.parse(decoder.decode(entry.value)) as FleetHeartbeat;
        into.hosts.set(key.host, {
          seen: live ? Math.max(Date.now(), entry.created.getTime()) : entry.created.getTime(),
          intervalMs: typeof beat.intervalMs === 'number' && beat.intervalMs > 0 ? beat.intervalMs : 5000,
          stopped: beat.stopped === true,
        });
      } catch {
        into.hosts.delete(key.host);
      }
    };

    const row = (entry: FleetEntry, into: State): void => {
      const key = parseFleetKey(entry.key);
      if (key === undefined || 'heartbeat' in key || key.table !== spec.kind) return;
      if (entry.operation !== 'PUT') return void into.rows.delete(entry.key);
      try {
        const value = decodeFleetValue(decoder.decode(entry.value));
        if (value === null || typeof value !== 'object') return;
        into.rows.set(entry.key, { ...(value as Record<string, unknown>), host: key.host });
      } catch {
        // A value that is not ours (another writer of the bucket): not a row.
        into.rows.delete(entry.key);
      }
    };

    const restart = (): void => {
      for (const stop of stops) stop();
      stops = [];
      if (closed) return;
      const mine = ++generation;
      const next: State = { hosts: new Map(), rows: new Map() };
      let hostsReady = false;
      let rowsReady = false;
      const current = (): boolean => !closed && mine === generation;
      // A watch opened while a restarted server recovers may never deliver its
      // initial values: open them again. Timed from the watch's creation (which
      // the API timeout bounds: a large bucket takes the server a while) and
      // refreshed by each value, so a stall fails, not a long load.
      let loading: NodeJS.Timeout | undefined;
      const keep = (stop: () => void): void => {
        if (current()) stops.push(stop);
        else stop();
      };
      const failed = (): void => {
        clearTimeout(loading);
        if (!current()) return;
        generation++;
        for (const stop of stops) stop();
        stops = [];
        retryTimer = setTimeout(restart, retryMs);
      };
      const rowWatcher = {
        entry: (e: FleetEntry): void => {
          if (!current()) return;
          if (!rowsReady) loading?.refresh();
          row(e, next);
          if (!rowsReady) return;
          const r = next.rows.get(e.key);
          const old = shown.get(e.key);
          if (r !== undefined && visible(r)) {
            shown.set(e.key, r);
            subscriber.next(old === undefined ? { type: 'add', key: e.key, value: r } : { type: 'change', key: e.key, old, value: r });
          } else if (old !== undefined) {
            shown.delete(e.key);
            subscriber.next({ type: 'remove', key: e.key, old });
          }
        },
        initialized: (): void => {
          if (!current()) return;
          clearTimeout(loading);
          rowsReady = true;
          state = next;
          aliveHosts = hostsNow();
          if (committed) subscriber.next({ type: 'resync', reason: 'reconnect' });
          reconcile();
          if (!committed) {
            committed = true;
            subscriber.next({ type: 'synced' });
          }
        },
        error: failed,
      };
      // Heartbeats first: rows are shown only for hosts known to be alive.
      fleet.bucket.watch('*.heartbeat', {
        entry: (e) => {
          if (!current()) return;
          heartbeat(e, hostsReady, next);
          if (rowsReady) checkHosts();
        },
        initialized: () => {
          if (!current()) return;
          hostsReady = true;
          fleet.bucket.watch(fleetTableFilter(spec.kind, onlyHost), rowWatcher).then((stop) => {
            if (!rowsReady && current()) loading = setTimeout(() => failed(), LOAD_TIMEOUT_MS).unref();
            keep(stop);
          }, failed);
        },
        error: failed,
      }).then(keep, failed);
    };

    restart();
    const offReconnect = fleet.onReconnect(() => {
      clearTimeout(retryTimer);
      restart();
    });
    // Hosts fall silent without any write: look at their ages.
    const ageing = setInterval(() => {
      if (committed) checkHosts();
    }, Math.max(200, Math.min(1000, (options.goneAfterMs ?? 15_000) / 3)));
    return () => {
      closed = true;
      generation++;
      clearInterval(ageing);
      clearTimeout(retryTimer);
      offReconnect();
      for (const stop of stops) stop();
    };
  });
}
