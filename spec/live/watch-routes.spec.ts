/**
 * watch('routes') against the real kernel: convergence after bursts, forced
 * overruns, silent kernel removals, the sync marker, change events, sharing
 * and socket cleanup.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { runningLiveTables } from '../../lib/live/live-registry.js';
import { table } from '../../lib/live/table.js';
import { watch } from '../../lib/live/watch.js';
import type { Route } from '../../lib/route/route.js';
import { createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';
import { batchAsync, diffLines, eventually, Folded, ipRouteLines, tableRouteLines } from './live-fixtures.js';

function v4(i: number): string {
  return `10.${100 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}`;
}
function v6(i: number): string {
  return `fd10::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`;
}

async function converged(ns: Netns, folded: Folded<Route>, families?: number[]): Promise<{ ok: boolean; why: string; size: number }> {
  const lines = () => ({ expected: ipRouteLines(ns, families), actual: tableRouteLines(ns, folded.rows.values()) });
  const same = ({ expected, actual }: { expected: string[]; actual: string[] }) =>
    expected.length === actual.length && expected.every((x, i) => x === actual[i]);
  // Not converged in time: the caller's assertion shows the difference as it is then.
  const result = await eventually(lines, same).catch(() => lines());
  const ok = same(result);
  return { ok, why: diffLines(result.expected, result.actual), size: result.expected.length };
}

describe.skipIf(!isRoot)('watch routes (real kernel)', () => {
  let ns: Netns;
  const subscriptions: Subscription[] = [];

  beforeAll(() => {
    ns = createNetns('live');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.v1.disable_ipv6=1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'v0');
    ns.ip('-6', 'addr', 'add', 'fd00::1/64', 'dev', 'v0', 'nodad');
  });

  // A failed test must not leave its table running into the next one.
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
  });

  afterAll(() => ns?.remove());

  it.each([
    ['in storm mode (re-dump and compare)', { storm: { enter: 1000 } }, 0],
    ['applying every notification (storm handling off)', { storm: false as const, rcvbuf: 64 << 20 }, 1],
  ])('equals ip -j route show table all after tens of thousands of adds and deletes in bursts, both families, %s', async (_name, options, round) => {
    const folded = new Folded<Route>();
    const subscription = watch('routes', {}, { netns: ns.name, ...options }).subscribe(folded.push);
    subscriptions.push(subscription);
    await eventually(() => folded.synced, (n) => n === 1);
    expect(folded.synced).toBe(1);
    let adds = 0;
    let dels = 0;
    for (let burst = 0; burst < 6; burst++) {
      const lines: string[] = [];
      const base = round * 40_000 + burst * 4000;
      for (let i = 0; i < 4000; i++) lines.push(`route add ${v4(base + i)}/32 dev v0 metric ${i % 3}`);
      for (let i = 0; i < 1500; i++) lines.push(`route add ${v6(base + i)}/128 via fd00::2 dev v0`);
      for (let i = 0; i < 2000; i++) lines.push(`route del ${v4(base + 2 * i)}/32 dev v0 metric ${(2 * i) % 3}`);
      for (let i = 0; i < 500; i++) lines.push(`route del ${v6(base + 3 * i)}/128`);
      adds += 5500;
      dels += 2500;
      await batchAsync(ns, lines);
    }
    const result = await converged(ns, folded);
    console.log(`routes: ${adds} adds and ${dels} deletes in 6 bursts; table ${folded.rows.size}, ip ${result.size}; ` +
      `resyncs: ${folded.events.filter((e) => e.type === 'resync').map((e) => e.type === 'resync' && e.reason).join(',') || 'none'}`);
    expect(result.ok, result.why).toBe(true);
    expect(result.size).toBeGreaterThan(adds - dels);
    expect(folded.synced).toBe(1);
    expect(folded.events.filter((e) => e.type === 'remove').length).toBeGreaterThan(0);
    // Each mode was the one exercised.
    const storms = folded.events.filter((e) => e.type === 'resync' && e.reason === 'storm').length;
    if ('storm' in options && options.storm === false) expect(storms).toBe(0);
    else expect(storms).toBeGreaterThan(0);
    subscription.unsubscribe();
  });

  it('a forced overrun (4 KiB receive buffer, a burst) produces a resync and still converges', async () => {
    const folded = new Folded<Route>();
    const subscription = watch('routes', {}, { netns: ns.name, rcvbuf: 4096, storm: false }).subscribe(folded.push);
    subscriptions.push(subscription);
    await eventually(() => folded.synced, (n) => n === 1);
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`route add ${v4(90_000 + i)}/32 dev v0`);
    for (let i = 0; i < 2500; i++) lines.push(`route del ${v4(90_000 + 2 * i)}/32 dev v0`);
    // The whole burst while the application is busy (a synchronous ip -batch): nobody reads, the
    // 4 KiB receive buffer overflows whatever the machine's speed.
    ns.batch(lines);
    const result = await converged(ns, folded);
    const reasons = folded.events.flatMap((e) => (e.type === 'resync' ? [e.reason] : []));
    console.log(`overrun: resyncs ${reasons.join(',')}`);
    expect(reasons).toContain('overrun');
    expect(result.ok, result.why).toBe(true);
    expect(folded.synced).toBe(1);
    subscription.unsubscribe();
  });

  it('drops the IPv4 routes the kernel removes silently when their link goes down, and gets them back', async () => {
    ns.ip('link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.w0.disable_ipv6=1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.w1.disable_ipv6=1');
    ns.ip('link', 'set', 'w0', 'up');
    ns.ip('link', 'set', 'w1', 'up');
    ns.ip('addr', 'add', '10.77.0.1/24', 'dev', 'w0');
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`route add 10.78.${i >> 8}.${i & 255}/32 via 10.77.0.2 dev w0 table ${100 + (i % 3)}`);
    await batchAsync(ns, lines);
    const folded = new Folded<Route>();
    const subscription = watch('routes', { family: 'inet' }, { netns: ns.name }).subscribe(folded.push);
    subscriptions.push(subscription);
    await eventually(() => folded.synced, (n) => n === 1);
    const w0 = Number(ns.ipJson<{ ifindex: number }[]>('link', 'show', 'w0')[0].ifindex);
    const through = () => [...folded.rows.values()].filter((r) => r.oif === w0).length;
    expect(through()).toBeGreaterThanOrEqual(2000);
    const statics = () => [...folded.rows.values()].filter((r) => r.oif === w0 && r.table >= 100 && r.table <= 102).length;
    ns.ip('link', 'set', 'w0', 'down');
    const left = await eventually(statics, (n) => n === 0);
    expect(left).toBe(0);
    // What is left through w0 (its local and broadcast routes) is what ip shows.
    const result = await converged(ns, folded, [2]);
    expect(result.ok, result.why).toBe(true);
    expect(folded.events.some((e) => e.type === 'resync' && e.reason === 'kernel-flush')).toBe(true);
    expect(folded.events.some((e) => e.type === 'remove' && e.old.oif === w0 && e.old.table === 101)).toBe(true);
    // The address's own routes come back with the link (not the static ones: the kernel flushed them).
    ns.ip('link', 'set', 'w0', 'up');
    await eventually(through, (n) => n > 0);
    expect(statics()).toBe(0);
    ns.ip('link', 'del', 'w0');
    const gone = await eventually(through, (n) => n === 0);
    expect(gone).toBe(0);
    const after = await converged(ns, folded, [2]);
    expect(after.ok, after.why).toBe(true);
    subscription.unsubscribe();
  });

  it('emits rows, then synced exactly once per subscription; change carries the old value; late subscribers get the current rows', async () => {
    ns.ip('route', 'add', '10.50.0.0/24', 'via', '10.9.0.2', 'table', '200');
    const first = new Folded<Route>();
    const a = watch('routes', { table: 200 }, { netns: ns.name }).subscribe(first.push);
    subscriptions.push(a);
    await eventually(() => first.synced, (n) => n === 1);
    const syncedAt = first.events.findIndex((e) => e.type === 'synced');
    expect(first.events.slice(0, syncedAt).every((e) => e.type === 'add')).toBe(true);
    expect(first.events[syncedAt]).toEqual({ type: 'synced', size: 1 });
    ns.ip('route', 'replace', '10.50.0.0/24', 'via', '10.9.0.3', 'table', '200');
    const change = await eventually(() => first.events.find((e) => e.type === 'change'), (e) => e !== undefined);
    expect(change?.type === 'change' && change.old.gateway).toBe('10.9.0.2');
    expect(change?.type === 'change' && change.value.gateway).toBe('10.9.0.3');
    const late = new Folded<Route>();
    const b = watch('routes', { table: 200 }, { netns: ns.name }).subscribe(late.push);
    subscriptions.push(b);
    // Shared table: the late subscriber's rows and synced arrive at once, with the current value.
    expect(late.synced).toBe(1);
    expect(late.events.map((e) => e.type)).toEqual(['add', 'synced']);
    expect(late.events[0].type === 'add' && late.events[0].value.gateway).toBe('10.9.0.3');
    ns.ip('route', 'del', '10.50.0.0/24', 'table', '200');
    await eventually(() => late.rows.size + first.rows.size, (n) => n === 0);
    expect(first.rows.size).toBe(0);
    expect(late.rows.size).toBe(0);
    expect(first.synced).toBe(1);
    expect(late.synced).toBe(1);
    a.unsubscribe();
    b.unsubscribe();
  });

  it('table() emits the whole table after sync and after each batch of changes', async () => {
    const maps: ReadonlyMap<string, Route>[] = [];
    const subscription = table('routes', { table: 201 }, { netns: ns.name }).subscribe((m) => maps.push(m));
    subscriptions.push(subscription);
    await eventually(() => maps.length, (n) => n >= 1);
    expect(maps[0].size).toBe(0);
    ns.ip('route', 'add', '10.51.0.0/24', 'via', '10.9.0.2', 'table', '201');
    await eventually(() => maps.at(-1)?.size, (n) => n === 1);
    const [route] = maps.at(-1)!.values();
    expect(route.dst).toBe('10.51.0.0');
    expect(maps[0].size).toBe(0); // an emitted map is never mutated afterwards
    subscription.unsubscribe();
  });

  it('shares one socket among subscribers; the last unsubscribe closes it (fd count back)', async () => {
    // Warm up: the addon and anything loaded lazily.
    const warm = watch('links', {}, { netns: ns.name }).subscribe();
    await eventually(() => runningLiveTables(), (n) => n === 1);
    warm.unsubscribe();
    const before = openFds();
    const syncs: number[] = [0, 0, 0];
    const subs = [0, 1, 2].map((i) => watch('routes', { family: 'inet6' }, { netns: ns.name })
      .subscribe((e) => { if (e.type === 'synced') syncs[i]++; }));
    await eventually(() => syncs.every((n) => n === 1), (ok) => ok);
    expect(runningLiveTables()).toBe(1);
    const during = openFds();
    for (const s of subs) s.unsubscribe();
    expect(runningLiveTables()).toBe(0);
    const after = await eventually(openFds, (n) => n === before, 5000);
    console.log(`fds: before ${before}, while watching ${during}, after ${after}`);
    expect(during).toBeGreaterThan(before);
    expect(after).toBe(before);
  });
});
