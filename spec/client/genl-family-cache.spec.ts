/**
 * The family cache over a scripted kernel: families are dumped once and
 * served from the cache; nlctrl's notifications (joined before the dump)
 * remove a family, bring it back with a new id, add multicast groups; an
 * overrun drops the cache and the next lookup dumps again.
 */
import { constants } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { NLM_F_MULTI, NETLINK_GENERIC } from '../../lib/codec/header.js';
import { GenlFamilyCache, GENL_CTRL_NOTIFY } from '../../lib/client/genl-family-cache.js';
import { GenlFamilyNotFoundError } from '../../lib/genl/family-not-found-error.js';
import {
  CTRL_CMD_DELFAMILY, CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, CTRL_CMD_NEWMCAST_GRP, GENL_ID_CTRL,
} from '../../lib/genl/genl-constants.js';
import { familyMessage, type GenlFamily } from '../../lib/genl/nlctrl.js';
import { NetlinkSyscallError } from '../../lib/errors.js';
import { SocketPool, type TransportFactory } from '../../lib/rx/socket-pool.js';
import { done, FakeKernel, nlmsg } from '../helpers/fake-kernel.js';

type FamilyFields = Omit<GenlFamily, 'cmd' | 'genlVersion'>;

/** An nlctrl message: genlmsghdr with `cmd`, the family's attributes. */
function family(cmd: number, fields: FamilyFields, seq = 0, pid = 0, flags = 0): Buffer {
  return nlmsg({ type: GENL_ID_CTRL, flags, seq, pid, payload: familyMessage.encode({ cmd, genlVersion: 2 }, fields) });
}

/** A scripted kernel: `table` answers every CTRL_CMD_GETFAMILY dump; `notify` is the socket joined to nlctrl's group. */
function kernel(table: () => FamilyFields[]) {
  const state = { dumps: 0, notify: undefined as FakeKernel | undefined };
  const factory: TransportFactory = (protocol, options) => {
    expect(protocol).toBe(NETLINK_GENERIC);
    if (options.groups?.length) {
      expect(options.groups).toEqual([GENL_CTRL_NOTIFY]);
      state.notify = new FakeKernel();
      return state.notify;
    }
    const k: FakeKernel = new FakeKernel((req) => {
      expect(req.bytes[16]).toBe(CTRL_CMD_GETFAMILY);
      state.dumps++;
      return [[...table().map((f) => family(CTRL_CMD_NEWFAMILY, f, req.seq, k.portId, NLM_F_MULTI)), done(req.seq, k.portId)]];
    });
    return k;
  };
  return { factory, state };
}

/** Lets the scripted sockets deliver (each read settles in a later macrotask). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

const pools: SocketPool[] = [];
const caches: GenlFamilyCache[] = [];
afterEach(() => {
  caches.splice(0).forEach((c) => c.close());
  pools.splice(0).forEach((p) => p.close());
});

function cacheOver(factory: TransportFactory): GenlFamilyCache {
  const pool = new SocketPool(NETLINK_GENERIC, {}, { transport: factory });
  const cache = new GenlFamilyCache({ pool, transport: factory });
  pools.push(pool);
  caches.push(cache);
  return cache;
}

describe('GenlFamilyCache', () => {
  const TABLE: FamilyFields[] = [
    { name: 'nlctrl', id: GENL_ID_CTRL, version: 2, mcastGroups: [{ name: 'notify', id: GENL_CTRL_NOTIFY }] },
    { name: 'ethtool', id: 21, version: 1, mcastGroups: [{ name: 'monitor', id: 6 }] },
  ];

  it('dumps once and answers later lookups from the cache', async () => {
    const { factory, state } = kernel(() => TABLE);
    const cache = cacheOver(factory);
    expect((await cache.resolve('ethtool')).id).toBe(21);
    expect((await cache.resolve('nlctrl')).version).toBe(2);
    expect(state.dumps).toBe(1);
    expect(state.notify).toBeDefined();
  });

  it('fails a family that is not registered with GenlFamilyNotFoundError (ENOENT) naming it', async () => {
    const { factory } = kernel(() => TABLE);
    const error = await cacheOver(factory).resolve('wireguard').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenlFamilyNotFoundError);
    expect(error).toMatchObject({ code: 'ENOENT', family: 'wireguard' });
  });

  it('follows a family that goes away and comes back with a new id', async () => {
    const { factory, state } = kernel(() => TABLE);
    const cache = cacheOver(factory);
    await cache.resolve('ethtool');
    state.notify!.push([family(CTRL_CMD_DELFAMILY, { name: 'ethtool', id: 21 })]);
    await settle();
    await expect(cache.resolve('ethtool')).rejects.toBeInstanceOf(GenlFamilyNotFoundError);
    state.notify!.push([family(CTRL_CMD_NEWFAMILY, { name: 'ethtool', id: 33, version: 1 })]);
    await settle();
    expect((await cache.resolve('ethtool')).id).toBe(33);
    state.notify!.push([family(CTRL_CMD_NEWMCAST_GRP, { name: 'ethtool', id: 33, mcastGroups: [{ name: 'extra', id: 40 }] })]);
    await settle();
    expect((await cache.resolve('ethtool')).mcastGroups).toEqual([{ name: 'extra', id: 40 }]);
    expect(state.dumps).toBe(1);
  });

  it('drops everything on an overrun and dumps again on the next lookup', async () => {
    let table = TABLE;
    const { factory, state } = kernel(() => table);
    const cache = cacheOver(factory);
    expect((await cache.resolve('ethtool')).id).toBe(21);
    const first = state.notify!;
    table = [{ name: 'ethtool', id: 44, version: 1 }];
    first.push(new NetlinkSyscallError('lost', constants.errno.ENOBUFS, 'recvmsg'));
    await settle();
    expect((await cache.resolve('ethtool')).id).toBe(44);
    expect(state.dumps).toBe(2);
    expect(first.closed).toBe(true);
  });
});
