/**
 * watch() of links, addresses and neighbours, and monitor()'s overrun
 * signal, against the real kernel.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { monitor, type MonitorSignal } from '../../lib/live/monitor.js';
import { watch } from '../../lib/live/watch.js';
import type { Address } from '../../lib/route/address.js';
import { RTNLGRP_IPV4_ROUTE } from '../../lib/route/constants.js';
import type { Link } from '../../lib/route/link.js';
import type { Neighbor } from '../../lib/route/neighbor.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { batchAsync, eventually, Folded } from './live-fixtures.js';

describe.skipIf(!isRoot)('watch links, addresses, neighbours; monitor overruns (real kernel)', () => {
  let ns: Netns;
  const subscriptions: Subscription[] = [];

  beforeAll(() => {
    ns = createNetns('kinds');
  });
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
  });
  afterAll(() => ns?.remove());

  it('links: add, change with the old value, remove', async () => {
    const folded = new Folded<Link>();
    subscriptions.push(watch('links', {}, { netns: ns.name }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    ns.ip('link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1');
    const k0 = () => [...folded.rows.values()].find((l) => l.ifname === 'k0');
    await eventually(k0, (l) => l !== undefined);
    ns.ip('link', 'set', 'k0', 'mtu', '1400');
    const change = await eventually(() => folded.events.find((e) => e.type === 'change' && e.value.mtu === 1400),
      (e) => e !== undefined);
    expect(change?.type === 'change' && change.old.mtu).toBe(1500);
    ns.ip('link', 'del', 'k0');
    await eventually(k0, (l) => l === undefined);
    expect(k0()).toBeUndefined();
    expect([...folded.rows.values()].map((l) => l.ifname).sort()).toEqual(['lo']);
    expect(folded.synced).toBe(1);
  });

  it('addresses: add and remove; neighbours of a deleted link leave the table', async () => {
    ns.ip('link', 'add', 'n0', 'type', 'veth', 'peer', 'name', 'n1');
    ns.ip('link', 'set', 'n0', 'up');
    const addrs = new Folded<Address>();
    const neigh = new Folded<Neighbor>();
    subscriptions.push(watch('addresses', { family: 'inet' }, { netns: ns.name }).subscribe(addrs.push));
    subscriptions.push(watch('neighbors', { family: 'inet' }, { netns: ns.name }).subscribe(neigh.push));
    await eventually(() => addrs.synced + neigh.synced, (n) => n === 2);
    ns.ip('addr', 'add', '10.30.0.1/16', 'dev', 'n0');
    const lines: string[] = [];
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    for (let i = 0; i < 500; i++) {
      lines.push(`neigh add 10.30.${1 + (i >> 7)}.${2 + (i & 127)} lladdr 02:00:00:00:${hex(i >> 8)}:${hex(i & 255)} dev n0 nud permanent`);
    }
    await batchAsync(ns, lines);
    const expected = ns.ipJson<unknown[]>('-4', 'neigh', 'show', 'dev', 'n0').length;
    await eventually(() => neigh.rows.size, (n) => n === expected);
    expect(neigh.rows.size).toBe(expected);
    expect([...addrs.rows.values()].some((a) => a.local === '10.30.0.1')).toBe(true);
    ns.ip('link', 'del', 'n0');
    await eventually(() => neigh.rows.size + addrs.rows.size, (n) => n === 1); // 127.0.0.1 stays
    expect(neigh.rows.size).toBe(0);
    expect([...addrs.rows.values()].map((a) => a.local)).toEqual(['127.0.0.1']);
  });

  it('monitor() surfaces an overrun as a typed signal and keeps delivering', async () => {
    ns.ip('link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1');
    ns.ip('link', 'set', 'm0', 'up');
    const signals: MonitorSignal[] = [];
    let failed: unknown;
    subscriptions.push(monitor({ groups: [RTNLGRP_IPV4_ROUTE], netns: ns.name, rcvbuf: 4096 })
      .subscribe({ next: (s) => signals.push(s), error: (e: unknown) => { failed = e; } }));
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`route add 10.40.${i >> 8}.${i & 255}/32 dev m0`);
    // The whole burst while nobody reads (a synchronous ip -batch): the 4 KiB buffer overflows, deterministically.
    ns.batch(lines);
    await eventually(() => signals.some((s) => s.type === 'overrun'), (ok) => ok);
    const overrun = signals.find((s) => s.type === 'overrun');
    expect(overrun?.type === 'overrun' && ['ENOBUFS', 'EBADF'].includes(overrun.error.code)).toBe(true);
    const before = signals.length;
    ns.ip('route', 'add', '10.41.0.0/16', 'dev', 'm0');
    await eventually(() => signals.length, (n) => n > before);
    expect(signals.length).toBeGreaterThan(before);
    expect(failed).toBeUndefined();
  });
});
