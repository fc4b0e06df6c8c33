/**
 * fleetSource over a scripted bucket (no server): which hosts' rows are
 * shown — alive ones only — and what a reconnection emits (a resync and the
 * difference only).
 */
import { describe, expect, it } from 'vitest';
import { FleetConnection, type FleetBucket, type FleetEntry, type FleetWatcher } from '../../lib/fleet/fleet-connection.js';
import { fleetHeartbeatKey, fleetRowKey } from '../../lib/fleet/fleet-key.js';
import { fleetSource } from '../../lib/fleet/fleet-source.js';
import { encodeFleetValue } from '../../lib/fleet/fleet-value.js';
import type { LiveEvent } from '../../lib/ui/live-source.js';
import { eventually } from '../live/live-fixtures.js';

const encoder = new TextEncoder();

/** A key-value bucket in memory: watches get the current entries, `initialized`, then every write. */
class ScriptedBucket implements FleetBucket {
  readonly store = new Map<string, FleetEntry>();
  private readonly watchers = new Set<{ pattern: RegExp; watcher: FleetWatcher }>();
  private revision = 0;

  /** Writes without telling any watcher: a change made while a consumer was disconnected. */
  silently(key: string, value: Uint8Array | undefined, created = new Date()): FleetEntry {
    const entry: FleetEntry = { key, value: value ?? new Uint8Array(), operation: value ? 'PUT' : 'DEL', created, revision: ++this.revision };
    this.store.set(key, entry);
    return entry;
  }

  write(key: string, value: Uint8Array | undefined, created = new Date()): void {
    const entry = this.silently(key, value, created);
    for (const w of this.watchers) if (w.pattern.test(key)) w.watcher.entry(entry);
  }

  async put(key: string, value: Uint8Array): Promise<void> {
    this.write(key, value);
  }

  async delete(key: string): Promise<void> {
    this.write(key, undefined);
  }

  async watch(filter: string, watcher: FleetWatcher): Promise<() => void> {
    const pattern = new RegExp(`^${filter.split('.').map((t) => (t === '*' ? '[^.]+' : t === '>' ? '.+' : t.replace(/[-/=]/g, '\\$&'))).join('\\.')}$`);
    const w = { pattern, watcher };
    queueMicrotask(() => {
      for (const e of this.store.values()) if (pattern.test(e.key) && e.operation === 'PUT') watcher.entry(e);
      watcher.initialized();
      this.watchers.add(w);
    });
    return () => this.watchers.delete(w);
  }

  async read(): Promise<Map<string, FleetEntry>> {
    return new Map();
  }
}

/** A connection over the bucket whose status stream the spec drives. */
function scripted(bucket: FleetBucket): { fleet: FleetConnection; reconnect(): void } {
  let push: ((status: { type: string }) => void) | undefined;
  const statuses: AsyncIterable<{ type: string }> = {
    [Symbol.asyncIterator]: () => ({
      next: () => new Promise((resolve) => (push = (value) => resolve({ value, done: false }))),
    }),
  };
  return { fleet: new FleetConnection(bucket, { statuses, close: async () => undefined }), reconnect: () => push?.({ type: 'reconnect' }) };
}

const beat = (host: string, extra: object = {}) => encoder.encode(JSON.stringify({ host, time: Date.now(), intervalMs: 5000, tables: ['routes'], ...extra }));
const route = (dst: string, gateway?: string) => encoder.encode(encodeFleetValue({ family: 2, dst, dstLen: 32, table: 254, gateway }));

describe('fleetSource', () => {
  it('shows the rows of live hosts with their host; a silent, stopped or unknown host\'s rows are not served', async () => {
    const bucket = new ScriptedBucket();
    bucket.write(fleetHeartbeatKey('a.example'), beat('a.example'));
    bucket.write(fleetHeartbeatKey('old'), beat('old'), new Date(Date.now() - 60_000));
    bucket.write(fleetHeartbeatKey('quit'), beat('quit', { stopped: true }));
    for (const host of ['a.example', 'old', 'quit', 'nobeat']) bucket.write(fleetRowKey(host, 'routes', `${host}|1`), route('10.0.0.1'));
    bucket.write(fleetRowKey('a.example', 'links', '1'), encoder.encode(encodeFleetValue({ ifindex: 1 })));
    const { fleet } = scripted(bucket);
    const events: LiveEvent[] = [];
    const subscription = fleetSource(fleet)({ kind: 'routes' }).subscribe((e) => events.push(e));
    await eventually(() => events.length, (n) => n >= 2);
    expect(events).toEqual([
      { type: 'add', key: fleetRowKey('a.example', 'routes', 'a.example|1'), value: { family: 2, dst: '10.0.0.1', dstLen: 32, table: 254, host: 'a.example' } },
      { type: 'synced' },
    ]);

    // A host that beats again is back, with its rows; one that stops leaves with them.
    events.length = 0;
    bucket.write(fleetHeartbeatKey('old'), beat('old'));
    bucket.write(fleetHeartbeatKey('a.example'), beat('a.example', { stopped: true }));
    expect(events.map((e) => [e.type, 'key' in e ? e.key : ''])).toEqual([
      ['add', fleetRowKey('old', 'routes', 'old|1')],
      ['remove', fleetRowKey('a.example', 'routes', 'a.example|1')],
    ]);
    subscription.unsubscribe();
  });

  it('after a reconnection: a resync, then only what changed meanwhile', async () => {
    const bucket = new ScriptedBucket();
    bucket.write(fleetHeartbeatKey('h'), beat('h'));
    for (const dst of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) bucket.write(fleetRowKey('h', 'routes', dst), route(dst));
    const { fleet, reconnect } = scripted(bucket);
    const events: LiveEvent[] = [];
    const subscription = fleetSource(fleet)({ kind: 'routes' }).subscribe((e) => events.push(e));
    await eventually(() => events.some((e) => e.type === 'synced'), (synced) => synced);

    // While the connection was down: one route changed, one removed, one added.
    events.length = 0;
    bucket.silently(fleetRowKey('h', 'routes', '10.0.0.1'), route('10.0.0.1', '10.9.9.9'));
    bucket.silently(fleetRowKey('h', 'routes', '10.0.0.2'), undefined);
    bucket.silently(fleetRowKey('h', 'routes', '10.0.0.4'), route('10.0.0.4'));
    reconnect();
    await eventually(() => events.length, (n) => n >= 4);
    expect(events.map((e) => [e.type, 'key' in e ? e.key : ''])).toEqual([
      ['resync', ''],
      ['remove', fleetRowKey('h', 'routes', '10.0.0.2')],
      ['change', fleetRowKey('h', 'routes', '10.0.0.1')],
      ['add', fleetRowKey('h', 'routes', '10.0.0.4')],
    ]);
    expect(events[2]).toMatchObject({ value: { gateway: '10.9.9.9', host: 'h' } });
    subscription.unsubscribe();
  });

  it('filter.host keeps one host', async () => {
    const bucket = new ScriptedBucket();
    for (const host of ['x', 'y']) {
      bucket.write(fleetHeartbeatKey(host), beat(host));
      bucket.write(fleetRowKey(host, 'routes', '1'), route('10.0.0.1'));
    }
    const { fleet } = scripted(bucket);
    const events: LiveEvent[] = [];
    const subscription = fleetSource(fleet)({ kind: 'routes', filter: { host: 'y' } }).subscribe((e) => events.push(e));
    await eventually(() => events.length, (n) => n >= 2);
    expect(events.map((e) => e.type === 'add' && (e.value as { host: string }).host)).toEqual(['y', false]);
    subscription.unsubscribe();
  });
});
