/**
 * The live-table engine's periodic re-read (LiveKindSpec.poll), on a fake
 * kind whose dump is a scripted list and whose notification socket never
 * says anything: polls diff through the same sweep as an overrun's resync,
 * say nothing when nothing changed, and stop with the table.
 */
import { defer, of } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveKindSpec } from '../../lib/live/live-kind.js';
import { LiveTable, type LiveTableOptions } from '../../lib/live/live-table.js';
import type { TableEvent } from '../../lib/live/table-event.js';
import type { TransportFactory } from '../../lib/rx/socket-pool.js';

interface Thing { id: number; name: string; counter: number }

/** A socket that opens and never receives anything. */
const silent: TransportFactory = () => ({
  portId: 1, closed: false, send: () => undefined, read: () => new Promise(() => undefined), close: () => undefined,
  addMembership: () => undefined, dropMembership: () => undefined, ref: () => undefined, unref: () => undefined,
});

function fakeKind(current: () => Thing[], dumps: { count: number }, poll?: number): LiveKindSpec<Thing, object> {
  return {
    kind: 'links', protocol: 99, newType: undefined, delType: 999,
    groups: () => [],
    decode: () => { throw new Error('no notifications here'); },
    accept: () => true,
    dump: () => defer(() => {
      dumps.count++;
      return of(...current().map((t) => ({ ...t })));
    }),
    key: (t) => String(t.id),
    volatile: new Set(['counter']),
    flushTriggers: [],
    poll,
  };
}

describe('periodic re-reads (poll)', () => {
  let events: TableEvent<Thing>[];
  let table: LiveTable<Thing, object> | undefined;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    events = [];
  });
  afterEach(() => {
    table?.close();
    vi.useRealTimers();
  });

  const start = (spec: LiveKindSpec<Thing, object>, options: LiveTableOptions = {}) => {
    table = new LiveTable(spec, {}, { transport: silent, storm: false, ...options }, () => undefined);
    table.attach({ next: (batch) => events.push(...batch), error: (e: unknown) => { throw e; } });
  };

  it('re-reads every `poll` ms and reports only differences, after a resync marked poll', () => {
    let things: Thing[] = [{ id: 1, name: 'a', counter: 0 }, { id: 2, name: 'b', counter: 0 }];
    const dumps = { count: 0 };
    start(fakeKind(() => things, dumps, 1000));
    expect(events.map((e) => e.type)).toEqual(['add', 'add', 'synced']);
    // Volatile fields moving is no difference: five polls, not one event.
    things = things.map((t) => ({ ...t, counter: t.counter + 5 }));
    vi.advanceTimersByTime(5000);
    expect(dumps.count).toBe(6);
    expect(events).toHaveLength(3);
    things = [{ id: 2, name: 'B', counter: 9 }, { id: 3, name: 'c', counter: 0 }];
    vi.advanceTimersByTime(1000);
    expect(events.slice(3)).toEqual([
      { type: 'resync', reason: 'poll' },
      { type: 'remove', key: '1', old: { id: 1, name: 'a', counter: 0 } },
      { type: 'change', key: '2', old: { id: 2, name: 'b', counter: 0 }, value: { id: 2, name: 'B', counter: 9 } },
      { type: 'add', key: '3', value: { id: 3, name: 'c', counter: 0 } },
    ]);
    expect([...table!.rows.keys()].sort()).toEqual(['2', '3']);
  });

  it('options.poll overrides the kind: false never polls, a number sets the period', () => {
    const dumps = { count: 0 };
    start(fakeKind(() => [], dumps, 1000), { poll: false });
    vi.advanceTimersByTime(60_000);
    expect(dumps.count).toBe(1);
    table!.close();
    const other = { count: 0 };
    start(fakeKind(() => [], other), { poll: 250 });
    vi.advanceTimersByTime(1000);
    expect(other.count).toBe(5);
  });

  it('stops polling when the table closes', () => {
    const dumps = { count: 0 };
    start(fakeKind(() => [], dumps, 100));
    vi.advanceTimersByTime(300);
    expect(dumps.count).toBe(4);
    table!.close();
    vi.advanceTimersByTime(10_000);
    expect(dumps.count).toBe(4);
    expect(vi.getTimerCount()).toBe(0);
  });
});
