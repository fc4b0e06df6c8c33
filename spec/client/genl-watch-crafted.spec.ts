/**
 * genl().watch() over a scripted kernel: netdev's `devices` table resolved
 * through nlctrl, its notifications told apart by the genlmsghdr command on
 * the family's id, an overrun answered by a resync with only the
 * difference, one engine for two subscribers, sockets closed with the last
 * unsubscribe, and a family or group the kernel lacks as a typed error.
 * netdev's `pagePools` table on its own group.
 */
import { constants } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { NLM_F_MULTI, NETLINK_GENERIC } from '../../lib/codec/header.js';
import { genl, type GenlClient } from '../../lib/client/genl.js';
import { GENL_CTRL_NOTIFY } from '../../lib/client/genl-family-cache.js';
import { NetlinkSyscallError } from '../../lib/errors.js';
import { GenlFamilyNotFoundError } from '../../lib/genl/family-not-found-error.js';
import { CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, GENL_ID_CTRL } from '../../lib/genl/genl-constants.js';
import {
  NETDEV_CMD_DEV_ADD_NTF, NETDEV_CMD_DEV_CHANGE_NTF, NETDEV_CMD_DEV_DEL_NTF, NETDEV_CMD_DEV_GET,
  NETDEV_CMD_PAGE_POOL_ADD_NTF, NETDEV_CMD_PAGE_POOL_CHANGE_NTF, NETDEV_CMD_PAGE_POOL_DEL_NTF, NETDEV_CMD_PAGE_POOL_GET,
  NETDEV_CMD_QUEUE_GET, netdevFamily, type NetdevDevice, type NetdevPagePool,
} from '../../lib/genl/netdev.js';
import { familyMessage, type GenlFamily } from '../../lib/genl/nlctrl.js';
import { runningLiveTables } from '../../lib/live/live-registry.js';
import type { TableEvent } from '../../lib/live/table-event.js';
import type { TransportFactory } from '../../lib/rx/socket-pool.js';
import { done, FakeKernel, nlmsg, tlv } from '../helpers/fake-kernel.js';

const NETDEV_ID = 30;
const MGMT_ID = 12;
const NETDEV: Omit<GenlFamily, 'cmd' | 'genlVersion'> = {
  name: 'netdev', id: NETDEV_ID, version: 1, mcastGroups: [{ name: 'mgmt', id: MGMT_ID }],
};

type Device = Pick<NetdevDevice, 'ifindex' | 'xdpFeatures'>;

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};

/** A netdev message: genlmsghdr (`cmd`, version 1), NETDEV_A_DEV_IFINDEX, NETDEV_A_DEV_XDP_FEATURES (a 4-byte uint). */
function device(cmd: number, fields: Device, seq = 0, pid = 0, flags = 0): Buffer {
  const attributes = [tlv(1, u32(fields.ifindex!))];
  if (fields.xdpFeatures !== undefined) attributes.push(tlv(3, u32(fields.xdpFeatures)));
  return nlmsg({ type: NETDEV_ID, flags, seq, pid, payload: Buffer.concat([Buffer.from([cmd, 1, 0, 0]), ...attributes]) });
}

/**
 * A scripted kernel: nlctrl lists `families`; netdev's DEV_GET dump lists
 * `devices` as they are when asked. The sockets joined to the mgmt group are
 * kept in `monitors` (a fresh one after an overrun).
 */
function kernel(families: Omit<GenlFamily, 'cmd' | 'genlVersion'>[], devices: () => Device[]) {
  const state = { dumps: 0, monitors: [] as FakeKernel[] };
  const factory: TransportFactory = (protocol, options) => {
    expect(protocol).toBe(NETLINK_GENERIC);
    if (options.groups?.length) {
      const monitor = new FakeKernel();
      if (options.groups[0] !== GENL_CTRL_NOTIFY) {
        expect(options.groups).toEqual([MGMT_ID]);
        state.monitors.push(monitor);
      }
      return monitor;
    }
    const k: FakeKernel = new FakeKernel((req) => {
      if (req.type === GENL_ID_CTRL) {
        expect(req.bytes[16]).toBe(CTRL_CMD_GETFAMILY);
        const listed = families.map((f) =>
          nlmsg({ type: GENL_ID_CTRL, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: familyMessage.encode({ cmd: CTRL_CMD_NEWFAMILY, genlVersion: 2 }, f) }));
        return [[...listed, done(req.seq, k.portId)]];
      }
      expect(req.type).toBe(NETDEV_ID);
      expect(req.bytes[16]).toBe(NETDEV_CMD_DEV_GET);
      state.dumps++;
      return [[...devices().map((d) => device(NETDEV_CMD_DEV_GET, d, req.seq, k.portId, NLM_F_MULTI)), done(req.seq, k.portId)]];
    });
    return k;
  };
  return { factory, state };
}

/** Lets the scripted sockets deliver (each read settles in a later macrotask). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

const clients: GenlClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.close()));
function client(factory: TransportFactory): GenlClient {
  const opened = genl({ transport: factory });
  clients.push(opened);
  return opened;
}

const NTF = NETDEV_CMD_DEV_CHANGE_NTF;

describe('genl().watch(netdevFamily, "devices") on a scripted kernel', () => {
  it('lists, then applies add / change / remove told apart by the genlmsghdr command', async () => {
    const { factory, state } = kernel([NETDEV], () => [{ ifindex: 1, xdpFeatures: 0 }, { ifindex: 2, xdpFeatures: 1 }]);
    const events: TableEvent<NetdevDevice>[] = [];
    const subscription = client(factory).watch(netdevFamily, 'devices').subscribe((e) => events.push(e));
    await settle();
    expect(events.map((e) => e.type === 'add' ? `add ${e.key}` : e.type)).toEqual(['add 1', 'add 2', 'synced']);
    const [monitor] = state.monitors;
    monitor.push([
      device(NETDEV_CMD_DEV_ADD_NTF, { ifindex: 3, xdpFeatures: 0 }),
      device(NTF, { ifindex: 2, xdpFeatures: 7 }),
      device(NETDEV_CMD_DEV_DEL_NTF, { ifindex: 1 }),
      // Not a notification of this table (another command of the family): ignored.
      device(NETDEV_CMD_QUEUE_GET, { ifindex: 9 }),
      // A device notified again unchanged: no event.
      device(NTF, { ifindex: 3, xdpFeatures: 0 }),
    ]);
    await settle();
    expect(events.slice(3)).toMatchObject([
      { type: 'add', key: '3', value: { cmd: NETDEV_CMD_DEV_ADD_NTF, ifindex: 3, xdpFeatures: 0 } },
      { type: 'change', key: '2', old: { xdpFeatures: 1 }, value: { cmd: NTF, xdpFeatures: 7 } },
      { type: 'remove', key: '1', old: { ifindex: 1, xdpFeatures: 0 } },
    ]);
    expect(events).toHaveLength(6);
    expect(state.dumps).toBe(1);
    subscription.unsubscribe();
    expect(monitor.closed).toBe(true);
    expect(runningLiveTables()).toBe(0);
  });

  it('answers an overrun with a resync and only the difference', async () => {
    let devices: Device[] = [{ ifindex: 1, xdpFeatures: 0 }, { ifindex: 2, xdpFeatures: 1 }, { ifindex: 3, xdpFeatures: 0 }];
    const { factory, state } = kernel([NETDEV], () => devices);
    const events: TableEvent<NetdevDevice>[] = [];
    const subscription = client(factory).watch(netdevFamily, 'devices').subscribe((e) => events.push(e));
    await settle();
    expect(events).toHaveLength(4);
    // While nobody could hear it: 2 went away, 3 changed, 4 came.
    devices = [{ ifindex: 1, xdpFeatures: 0 }, { ifindex: 3, xdpFeatures: 5 }, { ifindex: 4, xdpFeatures: 0 }];
    state.monitors[0].push(new NetlinkSyscallError('lost', constants.errno.ENOBUFS, 'recvmsg'));
    await settle();
    expect(state.dumps).toBe(2);
    expect(state.monitors).toHaveLength(2); // joined again on a fresh socket before the re-read
    expect(events.slice(4)).toEqual([
      { type: 'resync', reason: 'overrun' },
      { type: 'remove', key: '2', old: expect.objectContaining({ ifindex: 2 }) },
      { type: 'change', key: '3', old: expect.objectContaining({ xdpFeatures: 0 }), value: expect.objectContaining({ xdpFeatures: 5 }) },
      { type: 'add', key: '4', value: expect.objectContaining({ ifindex: 4 }) },
    ]);
    // The fresh socket is the one listened to now.
    state.monitors[1].push([device(NETDEV_CMD_DEV_DEL_NTF, { ifindex: 4 })]);
    await settle();
    expect(events.at(-1)).toMatchObject({ type: 'remove', key: '4' });
    subscription.unsubscribe();
    expect(state.monitors.every((m) => m.closed)).toBe(true);
  });

  it('shares one engine between subscribers; a late one gets the rows and synced at once', async () => {
    const { factory, state } = kernel([NETDEV], () => [{ ifindex: 1 }, { ifindex: 2 }]);
    const watcher = client(factory);
    const first: TableEvent<NetdevDevice>[] = [];
    const second: TableEvent<NetdevDevice>[] = [];
    const a = watcher.watch(netdevFamily, 'devices').subscribe((e) => first.push(e));
    await settle();
    const b = watcher.watch(netdevFamily, 'devices').subscribe((e) => second.push(e));
    await settle();
    expect(second.map((e) => e.type)).toEqual(['add', 'add', 'synced']);
    expect(state.monitors).toHaveLength(1);
    expect(state.dumps).toBe(1);
    expect(runningLiveTables()).toBe(1);
    // A filtered watcher is another table.
    const c = watcher.watch(netdevFamily, 'devices', { ifindex: 2 }).subscribe();
    await settle();
    expect(runningLiveTables()).toBe(2);
    c.unsubscribe();
    a.unsubscribe();
    expect(state.monitors[0].closed).toBe(false);
    b.unsubscribe();
    expect(state.monitors[0].closed).toBe(true);
    expect(runningLiveTables()).toBe(0);
  });

  it('applies the filter to every row and notification', async () => {
    const { factory, state } = kernel([NETDEV], () => [{ ifindex: 1 }, { ifindex: 2 }]);
    const events: TableEvent<NetdevDevice>[] = [];
    const subscription = client(factory).watch(netdevFamily, 'devices', { ifindex: 2 }).subscribe((e) => events.push(e));
    await settle();
    state.monitors[0].push([device(NETDEV_CMD_DEV_ADD_NTF, { ifindex: 3 }), device(NETDEV_CMD_DEV_DEL_NTF, { ifindex: 2 })]);
    await settle();
    expect(events.map((e) => e.type === 'synced' ? 'synced' : `${e.type} ${'key' in e ? e.key : ''}`))
      .toEqual(['add 2', 'synced', 'remove 2']);
    subscription.unsubscribe();
  });

  it('re-reads when a notification cannot be decoded, and ignores one too short to name a command', async () => {
    let devices: Device[] = [{ ifindex: 1 }];
    const { factory, state } = kernel([NETDEV], () => devices);
    const events: TableEvent<NetdevDevice>[] = [];
    const subscription = client(factory).watch(netdevFamily, 'devices').subscribe({ next: (e) => events.push(e), error: (e: unknown) => events.push(e as never) });
    await settle();
    devices = [{ ifindex: 1 }, { ifindex: 2 }];
    state.monitors[0].push([
      nlmsg({ type: NETDEV_ID, seq: 0, pid: 0, payload: Buffer.alloc(0) }),
      // A devAdd whose genlmsghdr is cut short: not an object at all.
      nlmsg({ type: NETDEV_ID, seq: 0, pid: 0, payload: Buffer.from([NETDEV_CMD_DEV_ADD_NTF, 1]) }),
    ]);
    await settle();
    expect(state.dumps).toBe(2);
    expect(events.slice(2)).toEqual([{ type: 'resync', reason: 'malformed' }, { type: 'add', key: '2', value: expect.objectContaining({ ifindex: 2 }) }]);
    subscription.unsubscribe();
  });

  it('opens nothing when unsubscribed before the family is resolved', async () => {
    const { factory, state } = kernel([NETDEV], () => [{ ifindex: 1 }]);
    client(factory).watch(netdevFamily, 'devices').subscribe().unsubscribe();
    await settle();
    expect(state.monitors).toHaveLength(0);
    expect(state.dumps).toBe(0);
    expect(runningLiveTables()).toBe(0);
  });

  it('fails with GenlFamilyNotFoundError (ENOENT) when the kernel lacks the family or its group', async () => {
    const cases: [Omit<GenlFamily, 'cmd' | 'genlVersion'>[], string][] = [
      [[], 'netdev'],
      [[{ ...NETDEV, mcastGroups: [] }], 'netdev/mgmt'],
    ];
    for (const [families, missing] of cases) {
      const { factory, state } = kernel(families, () => []);
      const error = await new Promise((resolve) => {
        client(factory).watch(netdevFamily, 'devices').subscribe({ error: resolve });
      });
      expect(error).toBeInstanceOf(GenlFamilyNotFoundError);
      expect(error).toMatchObject({ code: 'ENOENT', family: missing });
      expect(state.monitors).toHaveLength(0);
    }
    expect(runningLiveTables()).toBe(0);
  });
});

describe('genl().watch(netdevFamily, "pagePools") on a scripted kernel', () => {
  const PAGE_POOL_GROUP = 13;
  const pool = (cmd: number, id: number, ifindex: number, inflight: number, seq = 0, pid = 0, flags = 0, detach?: number) =>
    nlmsg({
      type: NETDEV_ID, flags, seq, pid,
      payload: Buffer.concat([Buffer.from([cmd, 1, 0, 0]), tlv(1, u32(id)), tlv(2, u32(ifindex)), tlv(4, u32(inflight)),
        ...(detach === undefined ? [] : [tlv(6, u32(detach))])]),
    });

  it('joins the page-pool group only, and keeps pools by id (pages in flight are not a change)', async () => {
    const monitors: { groups: number[]; kernel: FakeKernel }[] = [];
    const factory: TransportFactory = (_protocol, options) => {
      if (options.groups?.length) {
        const monitor = new FakeKernel();
        if (options.groups[0] !== GENL_CTRL_NOTIFY) monitors.push({ groups: [...options.groups], kernel: monitor });
        return monitor;
      }
      const k: FakeKernel = new FakeKernel((req) => {
        if (req.type === GENL_ID_CTRL) {
          const family = { ...NETDEV, mcastGroups: [{ name: 'mgmt', id: MGMT_ID }, { name: 'page-pool', id: PAGE_POOL_GROUP }] };
          return [[nlmsg({ type: GENL_ID_CTRL, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId,
            payload: familyMessage.encode({ cmd: CTRL_CMD_NEWFAMILY, genlVersion: 2 }, family) }), done(req.seq, k.portId)]];
        }
        expect(req.bytes[16]).toBe(NETDEV_CMD_PAGE_POOL_GET);
        return [[pool(NETDEV_CMD_PAGE_POOL_GET, 5, 2, 64, req.seq, k.portId, NLM_F_MULTI), done(req.seq, k.portId)]];
      });
      return k;
    };
    const events: TableEvent<NetdevPagePool>[] = [];
    const subscription = client(factory).watch(netdevFamily, 'pagePools').subscribe((e) => events.push(e));
    await settle();
    expect(monitors.map((m) => m.groups)).toEqual([[PAGE_POOL_GROUP]]);
    monitors[0].kernel.push([
      pool(NETDEV_CMD_PAGE_POOL_ADD_NTF, 6, 2, 0),
      pool(NETDEV_CMD_PAGE_POOL_CHANGE_NTF, 5, 2, 12),
      pool(NETDEV_CMD_PAGE_POOL_CHANGE_NTF, 6, 2, 3, 0, 0, 0, 4242),
      pool(NETDEV_CMD_PAGE_POOL_DEL_NTF, 5, 2, 0),
    ]);
    await settle();
    expect(events.map((e) => ('key' in e ? `${e.type} ${e.key}` : e.type)))
      .toEqual(['add 5', 'synced', 'add 6', 'change 6', 'remove 5']);
    expect(events[3]).toMatchObject({ type: 'change', value: { id: 6, detachTime: 4242 } });
    subscription.unsubscribe();
  });
});
