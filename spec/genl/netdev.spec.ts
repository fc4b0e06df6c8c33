/**
 * netdev described: devices and queues of a throw-away namespace through
 * `genl().use(netdevFamily)`, beside `ip -j link show` (the devices) and the
 * namespace's /sys/class/net/DEV/queues (rx-N and tx-N of each device that is up).
 * Page pools: on crafted bytes (veth does not link its pools to its device,
 * so none is listed here), and their statistics answered as the kernel's own
 * operation list says (EOPNOTSUPP without CONFIG_PAGE_POOL_STATS).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import {
  NETDEV_CMD_PAGE_POOL_GET, NETDEV_CMD_PAGE_POOL_STATS_GET, NETDEV_QUEUE_TYPE_RX, NETDEV_XDP_ACT_BASIC, netdevFamily,
  pagePoolMessage, pagePoolStatsMessage,
} from '../../lib/genl/netdev.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';
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

describe('netdev page pools (crafted bytes)', () => {
  const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; };
  const decode = <T>(message: { decode(msg: import('../../lib/codec/header.js').NetlinkMessage): T }, cmd: number,
    ...attributes: Buffer[]) => {
    const data = nlmsg({ type: 20, seq: 1, pid: 0, payload: Buffer.concat([Buffer.from([cmd, 1, 0, 0]), ...attributes]) });
    return message.decode({ data, offset: 0, length: data.length, type: 20, flags: 0, seq: 1, pid: 0 });
  };

  it('decodes a pool: uint ids and counters as 4 or 8 bytes, the io_uring nest as a flag', () => {
    const pool = decode(pagePoolMessage, NETDEV_CMD_PAGE_POOL_GET, tlv(1, u32(7)), tlv(2, u32(3)), tlv(3, u32(8193)),
      tlv(4, u64(2n ** 33n)), tlv(5, u64(4096n * 2n ** 33n)), tlv(6, u32(1234)), tlv(8 | 0x8000, Buffer.alloc(0)));
    expect(pool).toMatchObject({
      id: 7, ifindex: 3, napiId: 8193, inflight: 2 ** 33, inflightMem: 4096 * 2 ** 33, detachTime: 1234, ioUring: true,
    });
    expect(pool.problems).toBeUndefined();
  });

  it('decodes a pool\'s statistics with the pool they are of', () => {
    const stats = decode(pagePoolStatsMessage, NETDEV_CMD_PAGE_POOL_STATS_GET,
      tlv(1 | 0x8000, Buffer.concat([tlv(1, u32(7)), tlv(2, u32(3))])), tlv(8, u64(100n)), tlv(14, u32(5)), tlv(18, u64(1n)));
    expect(stats).toMatchObject({ info: { id: 7, ifindex: 3 }, allocFast: 100, recycleCached: 5, recycleReleasedRefcnt: 1 });
  });
});

describe.skipIf(!isRoot)('netdev page pools on the real kernel', () => {
  let ns: Netns;
  let client: GenlClient;
  beforeAll(() => {
    ns = createNetns('netdev-pp');
    ns.ip('link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1');
    ns.ip('link', 'set', 'p0', 'up');
    client = genl({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('lists the pools linked to the namespace\'s devices, and their statistics as the kernel\'s operations allow', async () => {
    const index = new Set(ns.ipJson<{ ifindex: number }[]>('link', 'show').map((l) => l.ifindex));
    const pools = await lastValueFrom(client.use(netdevFamily).pagePools().pipe(toArray()));
    expect(pools.every((p) => p.ifindex === undefined || index.has(p.ifindex))).toBe(true);
    const family = await client.family('netdev');
    const stats = lastValueFrom(client.use(netdevFamily).pagePoolStats().pipe(toArray()));
    if (family.ops?.some((op) => op.id === NETDEV_CMD_PAGE_POOL_STATS_GET)) await expect(stats).resolves.toBeInstanceOf(Array);
    else await expect(stats).rejects.toMatchObject({ code: 'EOPNOTSUPP' });
  });
});
