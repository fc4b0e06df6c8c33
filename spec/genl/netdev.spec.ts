/**
 * netdev described: devices and queues of a throw-away namespace through
 * `genl().use(netdevFamily)`, beside `ip -j link show` (the devices) and the
 * namespace's /sys/class/net/DEV/queues (rx-N and tx-N of each device that is up).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { NETDEV_QUEUE_TYPE_RX, NETDEV_XDP_ACT_BASIC, netdevFamily } from '../../lib/genl/netdev.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

describe.skipIf(!isRoot)('netdevFamily on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  let index: Map<string, number>;
  beforeAll(() => {
    ns = createNetns('netdev');
    ns.ip('link', 'add', 'v0', 'numrxqueues', '2', 'numtxqueues', '3', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    index = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => [l.ifname, l.ifindex]));
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });
  const all = <T>(o: import('rxjs').Observable<T>) => lastValueFrom(o.pipe(toArray()));

  it('lists every device of the namespace, with XDP features for the veth', async () => {
    const devices = await all(client.use(netdevFamily).devices());
    expect(devices.map((d) => d.ifindex).sort()).toEqual([...index.values()].sort());
    const v0 = devices.find((d) => d.ifindex === index.get('v0'))!;
    expect(v0.xdpFeatures! & NETDEV_XDP_ACT_BASIC).toBe(NETDEV_XDP_ACT_BASIC);
    expect(devices.every((d) => d.problems === undefined)).toBe(true);
  });

  it('lists the queues /sys shows, per device and for one device', async () => {
    for (const dev of ['v0', 'v1']) {
      const shown = ns.exec('ls', `/sys/class/net/${dev}/queues`).trim().split(/\s+/).sort();
      const queues = await all(client.use(netdevFamily).queues({ ifindex: index.get(dev) }));
      expect(queues.map((q) => `${q.type === NETDEV_QUEUE_TYPE_RX ? 'rx' : 'tx'}-${q.id}`).sort()).toEqual(shown);
      expect(queues.every((q) => q.ifindex === index.get(dev))).toBe(true);
    }
    const every = await all(client.use(netdevFamily).queues());
    // Every device here is up (lo too): each has its queues in the dump.
    expect(new Set(every.map((q) => q.ifindex))).toEqual(new Set(index.values()));
  });
});
