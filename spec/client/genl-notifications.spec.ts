/**
 * Typed notifications of described generic netlink families on the real
 * kernel: ethtool's `monitor` group while `ethtool -K/-s/-C` change a veth and
 * a tap, and netdev's `mgmt` group while a veth pair comes and goes — each
 * change arrives as `{ kind, object }` decoded by the family's description.
 */
import { filter, firstValueFrom, lastValueFrom, type Observable, ReplaySubject, type Subscription, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { ethtoolFamily, setBits } from '../../lib/genl/ethtool.js';
import { netdevFamily } from '../../lib/genl/netdev.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

/** Subscribes now (joined once the family is cached and a turn of the loop has passed) and records everything. */
async function recording<T>(source: Observable<T>): Promise<{ seen: ReplaySubject<T>; subscription: Subscription }> {
  const seen = new ReplaySubject<T>();
  const subscription = source.subscribe(seen);
  await new Promise((resolve) => setImmediate(resolve));
  return { seen, subscription };
}

describe.skipIf(!isRoot)('genl().notifications(family) on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  beforeAll(async () => {
    ns = createNetns('genl-ntf');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('tuntap', 'add', 'mode', 'tap', 'name', 'tp0');
    client = genl({ netns: ns.name });
    await client.family('ethtool');
    await client.family('netdev');
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('decodes ethtool monitor notifications: features, message level and coalescing as they change', async () => {
    const { seen, subscription } = await recording(client.notifications(ethtoolFamily));
    try {
      ns.exec('ethtool', '-K', 'v0', 'gro', 'on');
      const features = await firstValueFrom(seen.pipe(filter((n) => n.type === 'notification' && n.kind === 'features')));
      expect(features.type === 'notification' && features.kind === 'features' && features.object.header?.ifname).toBe('v0');
      if (features.type !== 'notification' || features.kind !== 'features') throw new Error('not a features notification');
      // Notifications carry compact bitsets: names come from the feature string set, as a verbose dump lists them.
      const [verbose] = await lastValueFrom(client.use(ethtoolFamily).features({ ifname: 'v0' }).pipe(toArray()));
      const names = (verbose.hw?.bits ?? []).map((b) => ({ index: b.index, value: b.name }));
      expect(setBits(features.object.active!, names)).toContain('rx-gro');

      ns.exec('ethtool', '-s', 'tp0', 'msglvl', '0x3');
      const debug = await firstValueFrom(seen.pipe(filter((n) => n.type === 'notification' && n.kind === 'debug')));
      if (debug.type !== 'notification' || debug.kind !== 'debug') throw new Error('not a debug notification');
      expect(debug.object.header?.ifname).toBe('tp0');
      expect(setBits(debug.object.msgmask!)).toEqual(['0', '1']); // compact: NETIF_MSG_DRV | NETIF_MSG_PROBE

      ns.exec('ethtool', '-C', 'tp0', 'rx-frames', '5');
      const coalesce = await firstValueFrom(seen.pipe(filter((n) => n.type === 'notification' && n.kind === 'coalesce')));
      if (coalesce.type !== 'notification' || coalesce.kind !== 'coalesce') throw new Error('not a coalesce notification');
      expect(coalesce.object).toMatchObject({ header: { ifname: 'tp0' }, rxMaxFrames: 5 });
    } finally {
      subscription.unsubscribe();
    }
  });

  it('decodes netdev mgmt notifications: a device added and removed', async () => {
    const { seen, subscription } = await recording(client.notifications(netdevFamily));
    try {
      ns.ip('link', 'add', 'n0', 'type', 'veth', 'peer', 'name', 'n1');
      const ifindex = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'dev', 'n0')[0].ifindex;
      const added = await firstValueFrom(seen.pipe(filter((n) => n.type === 'notification' && n.kind === 'devAdd' && n.object.ifindex === ifindex)));
      expect(added).toMatchObject({ cmd: 2, object: { ifindex } });
      ns.ip('link', 'del', 'n0');
      const removed = await firstValueFrom(seen.pipe(filter((n) => n.type === 'notification' && n.kind === 'devDel' && n.object.ifindex === ifindex)));
      expect(removed).toMatchObject({ cmd: 3, object: { ifindex } });
    } finally {
      subscription.unsubscribe();
    }
  });
});
