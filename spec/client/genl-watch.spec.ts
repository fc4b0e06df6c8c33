/**
 * List-then-watch of generic netlink tables on the real kernel: netdev's
 * `devices` beside `ip -j link` while veths come and go, ethtool's `features`
 * and `debug` while `ethtool -K` / `ethtool -s msglvl` change them (a
 * `change` with old and new, the table equal to a fresh dump at the end),
 * and a removed device leaving an ethtool table with the next re-read.
 */
import { filter, firstValueFrom, lastValueFrom, type Observable, ReplaySubject, type Subscription, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { ETHTOOL_FLAG_COMPACT_BITSETS, ethtoolFamily, setBits, type EthtoolReply } from '../../lib/genl/ethtool.js';
import { netdevFamily } from '../../lib/genl/netdev.js';
import { runningLiveTables } from '../../lib/live/live-registry.js';
import type { TableEvent } from '../../lib/live/table-event.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

/** Subscribes and records every event; resolves once the table is synced. */
async function recording<T>(source: Observable<TableEvent<T>>): Promise<{ seen: ReplaySubject<TableEvent<T>>; rows: Map<string, T>; subscription: Subscription }> {
  const seen = new ReplaySubject<TableEvent<T>>();
  const rows = new Map<string, T>();
  const subscription = source.subscribe({
    next(event) {
      if (event.type === 'add' || event.type === 'change') rows.set(event.key, event.value);
      else if (event.type === 'remove') rows.delete(event.key);
      seen.next(event);
    },
    error: (error: unknown) => seen.error(error),
  });
  await firstValueFrom(seen.pipe(filter((e) => e.type === 'synced')));
  return { seen, rows, subscription };
}

const next = <T>(seen: Observable<TableEvent<T>>, test: (e: TableEvent<T>) => boolean) => firstValueFrom(seen.pipe(filter(test)));

/** A row without the genlmsghdr command (a GET reply's or a notification's, whichever it came from). */
const content = ({ cmd: _cmd, ...rest }: EthtoolReply) => rest;

describe.skipIf(!isRoot)('genl().watch(family, table) on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  const ifindex = (dev: string) => ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', dev)[0].ifindex;
  beforeAll(async () => {
    ns = createNetns('genl-watch');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('tuntap', 'add', 'mode', 'tap', 'name', 'tp0');
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('keeps netdev devices equal to ip -j link while veths are added and removed', async () => {
    const links = () => ns.ipJson<{ ifindex: number }[]>('link', 'show').map((l) => `${l.ifindex}`).sort();
    const { seen, rows, subscription } = await recording(client.watch(netdevFamily, 'devices'));
    try {
      expect([...rows.keys()].sort()).toEqual(links());
      ns.ip('link', 'add', 'n0', 'type', 'veth', 'peer', 'name', 'n1');
      const [n0, n1] = [ifindex('n0'), ifindex('n1')];
      for (const index of [n0, n1]) {
        const added = await next(seen, (e) => e.type === 'add' && e.key === `${index}`);
        expect(added).toMatchObject({ type: 'add', value: { ifindex: index } });
      }
      expect([...rows.keys()].sort()).toEqual(links());
      ns.ip('link', 'del', 'n0');
      for (const index of [n0, n1]) {
        const removed = await next(seen, (e) => e.type === 'remove' && e.key === `${index}`);
        expect(removed).toMatchObject({ type: 'remove', old: { ifindex: index } });
      }
      expect([...rows.keys()].sort()).toEqual(links());
    } finally {
      subscription.unsubscribe();
    }
    expect(runningLiveTables()).toBe(0);
  });

  it('shares one engine among subscribers of the same table and hands a late one the rows at once', async () => {
    const first = await recording(client.watch(netdevFamily, 'devices'));
    const second = await recording(client.watch(netdevFamily, 'devices'));
    try {
      expect(runningLiveTables()).toBe(1);
      expect([...second.rows.keys()].sort()).toEqual([...first.rows.keys()].sort());
    } finally {
      first.subscription.unsubscribe();
      second.subscription.unsubscribe();
    }
    expect(runningLiveTables()).toBe(0);
  });

  it('turns ethtool -K into a change of the features row (old and new), the table equal to a fresh dump', async () => {
    const v0 = `${ifindex('v0')}`;
    const { seen, rows, subscription } = await recording(client.watch(ethtoolFamily, 'features', {}, { poll: false }));
    try {
      const [verbose] = await lastValueFrom(client.use(ethtoolFamily).features({ ifname: 'v0' }).pipe(toArray()));
      const names = (verbose.hw?.bits ?? []).map((b) => ({ index: b.index, value: b.name }));
      const wasOn = setBits(rows.get(v0)!.active!, names).includes('rx-gro');
      ns.exec('ethtool', '-K', 'v0', 'gro', wasOn ? 'off' : 'on');
      const changed = await next(seen, (e) => e.type === 'change' && e.key === v0);
      if (changed.type !== 'change') throw new Error('not a change');
      expect(setBits(changed.old.active!, names).includes('rx-gro')).toBe(wasOn);
      expect(setBits(changed.value.active!, names).includes('rx-gro')).toBe(!wasOn);
      const fresh = await lastValueFrom(client.use(ethtoolFamily).features({ flags: ETHTOOL_FLAG_COMPACT_BITSETS }).pipe(toArray()));
      expect(new Map([...rows].map(([key, row]) => [key, content(row)])))
        .toEqual(new Map(fresh.map((row) => [`${row.header?.ifindex}`, content(row)])));
    } finally {
      subscription.unsubscribe();
    }
  });

  it('turns ethtool -s msglvl on a tap into a change of its debug row, for a watcher filtering that device', async () => {
    const tp0 = `${ifindex('tp0')}`;
    const { seen, rows, subscription } = await recording(client.watch(ethtoolFamily, 'debug', { ifname: 'tp0' }, { poll: false }));
    try {
      expect([...rows.keys()]).toEqual([tp0]);
      ns.exec('ethtool', '-s', 'tp0', 'msglvl', '0x5');
      const changed = await next(seen, (e) => e.type === 'change' && e.key === tp0);
      if (changed.type !== 'change') throw new Error('not a change');
      expect(setBits(changed.value.msgmask!)).toEqual(['0', '2']); // NETIF_MSG_DRV | NETIF_MSG_LINK
      expect(setBits(changed.old.msgmask!)).not.toEqual(['0', '2']);
      const fresh = await lastValueFrom(client.use(ethtoolFamily).debug({ ifname: 'tp0', flags: ETHTOOL_FLAG_COMPACT_BITSETS }).pipe(toArray()));
      expect(fresh.map(content)).toEqual([content(rows.get(tp0)!)]);
    } finally {
      subscription.unsubscribe();
    }
  });

  it('syncs every ethtool table equal to a fresh compact dump of its command', async () => {
    type Tables = NonNullable<NonNullable<typeof ethtoolFamily.events>['tables']>;
    const tables = Object.keys(ethtoolFamily.events?.tables ?? {}) as (keyof Tables)[];
    expect(tables).toHaveLength(10);
    const ethtool = client.use(ethtoolFamily);
    for (const table of tables) {
      const { rows, subscription } = await recording<EthtoolReply>(client.watch(ethtoolFamily, table, {}, { poll: false }));
      subscription.unsubscribe();
      const fresh = await lastValueFrom((ethtool[table] as (f: object) => Observable<EthtoolReply>)({ flags: ETHTOOL_FLAG_COMPACT_BITSETS }).pipe(toArray()));
      expect(new Map([...rows].map(([key, row]) => [key, content(row)])), table)
        .toEqual(new Map(fresh.map((row) => [`${row.header?.ifindex}`, content(row)])));
    }
  });

  it('drops the rows of a removed device from an ethtool table with the next re-read', async () => {
    ns.ip('link', 'add', 'g0', 'type', 'veth', 'peer', 'name', 'g1');
    const [g0, g1] = [`${ifindex('g0')}`, `${ifindex('g1')}`];
    const { seen, rows, subscription } = await recording(client.watch(ethtoolFamily, 'channels', {}, { poll: 200 }));
    try {
      expect(rows.has(g0) && rows.has(g1)).toBe(true);
      ns.ip('link', 'del', 'g0');
      const removed: string[] = [];
      for (const key of [g0, g1]) {
        const event = await next(seen, (e) => e.type === 'remove' && e.key === key);
        if (event.type === 'remove') removed.push(event.key);
      }
      expect(removed).toEqual([g0, g1]);
      const events: TableEvent<unknown>[] = [];
      seen.subscribe((e) => events.push(e));
      // The removals came with a re-read, announced as such.
      expect(events.some((e) => e.type === 'resync' && e.reason === 'poll')).toBe(true);
      expect(rows.has(g0) || rows.has(g1)).toBe(false);
    } finally {
      subscription.unsubscribe();
    }
  });
});
