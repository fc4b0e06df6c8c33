/**
 * The netdev generic netlink family (include/uapi/linux/netdev.h, generated
 * from the kernel's Documentation/netlink/specs/netdev.yaml; newer than the
 * uapi headers installed here, so its numbers are written out below),
 * described: devices' XDP and AF_XDP features, queues, NAPI instances and
 * queue statistics.
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { flag, nested, u32, uint } from '../codec/attribute-type.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import { describeGenlFamily } from './genl-family.js';
import { genlmsghdr } from './genl-header.js';

export const NETDEV_FAMILY_NAME = 'netdev';
export const NETDEV_MCGRP_MGMT = 'mgmt';
export const NETDEV_MCGRP_PAGE_POOL = 'page-pool';
// enum { NETDEV_CMD_DEV_GET = 1, … }
export const NETDEV_CMD_DEV_GET = 1;
export const NETDEV_CMD_DEV_ADD_NTF = 2;
export const NETDEV_CMD_DEV_DEL_NTF = 3;
export const NETDEV_CMD_DEV_CHANGE_NTF = 4;
export const NETDEV_CMD_PAGE_POOL_GET = 5;
export const NETDEV_CMD_PAGE_POOL_ADD_NTF = 6;
export const NETDEV_CMD_PAGE_POOL_DEL_NTF = 7;
export const NETDEV_CMD_PAGE_POOL_CHANGE_NTF = 8;
export const NETDEV_CMD_PAGE_POOL_STATS_GET = 9;
export const NETDEV_CMD_QUEUE_GET = 10;
export const NETDEV_CMD_NAPI_GET = 11;
export const NETDEV_CMD_QSTATS_GET = 12;
// enum netdev_xdp_act
export const NETDEV_XDP_ACT_BASIC = 1;
export const NETDEV_XDP_ACT_REDIRECT = 2;
export const NETDEV_XDP_ACT_NDO_XMIT = 4;
export const NETDEV_XDP_ACT_XSK_ZEROCOPY = 8;
export const NETDEV_XDP_ACT_HW_OFFLOAD = 16;
export const NETDEV_XDP_ACT_RX_SG = 32;
export const NETDEV_XDP_ACT_NDO_XMIT_SG = 64;
// enum netdev_queue_type
export const NETDEV_QUEUE_TYPE_RX = 0;
export const NETDEV_QUEUE_TYPE_TX = 1;

/** What every netdev reply carries. */
interface NetdevReply {
  cmd: number;
  genlVersion: number;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** NETDEV_CMD_DEV_GET: a device's XDP features (NETDEV_XDP_ACT_* bits) and AF_XDP capabilities. */
export interface NetdevDevice extends NetdevReply {
  ifindex?: number; xdpFeatures?: number; xdpZcMaxSegs?: number; xdpRxMetadataFeatures?: number; xskFeatures?: number;
}
/**
 * NETDEV_CMD_PAGE_POOL_GET: a page pool a driver made for a device's NAPI
 * instance — pages lent out (`inflight`, `inflightMem` bytes) and, once its
 * device is gone but pages are still out, when it was detached (seconds of
 * CLOCK_BOOTTIME). Only pools a driver links to its device are listed.
 */
export interface NetdevPagePool extends NetdevReply {
  id?: number; ifindex?: number; napiId?: number; inflight?: number; inflightMem?: number; detachTime?: number;
  dmabuf?: number; ioUring?: true;
}
/** NETDEV_CMD_PAGE_POOL_STATS_GET (CONFIG_PAGE_POOL_STATS): a pool's allocation and recycling counters. */
export interface NetdevPagePoolStats extends NetdevReply {
  info?: { id?: number; ifindex?: number; unknown?: RawAttribute[] };
  allocFast?: number; allocSlow?: number; allocSlowHighOrder?: number; allocEmpty?: number; allocRefill?: number;
  allocWaive?: number; recycleCached?: number; recycleCacheFull?: number; recycleRing?: number; recycleRingFull?: number;
  recycleReleasedRefcnt?: number;
}
/** NETDEV_CMD_QUEUE_GET: one queue (NETDEV_QUEUE_TYPE_RX or _TX) of a device, and its NAPI instance. */
export interface NetdevQueue extends NetdevReply {
  id?: number; ifindex?: number; type?: number; napiId?: number; dmabuf?: number;
}
/** NETDEV_CMD_NAPI_GET: one NAPI instance: its device, id, IRQ and polling thread. */
export interface NetdevNapi extends NetdevReply {
  ifindex?: number; id?: number; irq?: number; pid?: number; deferHardIrqs?: number; groFlushTimeout?: number;
}
/** NETDEV_CMD_QSTATS_GET: queue statistics, per device (or per queue with the queue scope). */
export interface NetdevQstats extends NetdevReply {
  ifindex?: number; queueType?: number; queueId?: number; scope?: number;
  rxPackets?: number; rxBytes?: number; txPackets?: number; txBytes?: number;
  rxAllocFail?: number; rxHwDrops?: number; rxHwDropOverruns?: number; rxCsumComplete?: number;
  rxCsumUnnecessary?: number; rxCsumNone?: number; rxCsumBad?: number; rxHwGroPackets?: number; rxHwGroBytes?: number;
  rxHwGroWirePackets?: number; rxHwGroWireBytes?: number; rxHwDropRatelimits?: number; txHwDrops?: number;
  txHwDropErrors?: number; txCsumNone?: number; txNeedsCsum?: number; txHwGsoPackets?: number; txHwGsoBytes?: number;
  txHwGsoWirePackets?: number; txHwGsoWireBytes?: number; txHwDropRatelimits?: number; txStop?: number; txWake?: number;
}

function reply<T>(name: string, set: AttributeSet): MessageDescription<T> {
  return describeMessage<T>(name, genlmsghdr, set);
}

/** uint attributes numbered from `first`, in the uapi enum's order. */
function numbered(first: number, names: readonly string[]): Record<string, ReturnType<typeof attr>> {
  return Object.fromEntries(names.map((name, i) => [name, attr(first + i, uint)]));
}

export const deviceMessage = reply<NetdevDevice>('NETDEV_CMD_DEV_GET', attributeSet('NETDEV_A_DEV', {
  ifindex: attr(1, u32),
  xdpFeatures: attr(3, uint),
  xdpZcMaxSegs: attr(4, u32),
  xdpRxMetadataFeatures: attr(5, uint),
  xskFeatures: attr(6, uint),
}, { ignore: [2] }));

export const pagePoolMessage = reply<NetdevPagePool>('NETDEV_CMD_PAGE_POOL_GET', attributeSet('NETDEV_A_PAGE_POOL', {
  id: attr(1, uint), ifindex: attr(2, u32), napiId: attr(3, uint), inflight: attr(4, uint), inflightMem: attr(5, uint),
  detachTime: attr(6, uint), dmabuf: attr(7, u32), ioUring: attr(8, flag),
}));

export const pagePoolStatsMessage = reply<NetdevPagePoolStats>('NETDEV_CMD_PAGE_POOL_STATS_GET', attributeSet('NETDEV_A_PAGE_POOL_STATS', {
  info: attr(1, nested(attributeSet('NETDEV_A_PAGE_POOL', { id: attr(1, uint), ifindex: attr(2, u32) }))),
  ...numbered(8, ['allocFast', 'allocSlow', 'allocSlowHighOrder', 'allocEmpty', 'allocRefill', 'allocWaive',
    'recycleCached', 'recycleCacheFull', 'recycleRing', 'recycleRingFull', 'recycleReleasedRefcnt']),
}));

export const queueMessage = reply<NetdevQueue>('NETDEV_CMD_QUEUE_GET', attributeSet('NETDEV_A_QUEUE', {
  id: attr(1, u32), ifindex: attr(2, u32), type: attr(3, u32), napiId: attr(4, u32), dmabuf: attr(5, u32),
}));

export const napiMessage = reply<NetdevNapi>('NETDEV_CMD_NAPI_GET', attributeSet('NETDEV_A_NAPI', {
  ifindex: attr(1, u32), id: attr(2, u32), irq: attr(3, u32), pid: attr(4, u32), deferHardIrqs: attr(5, u32),
  groFlushTimeout: attr(6, uint),
}));

export const qstatsMessage = reply<NetdevQstats>('NETDEV_CMD_QSTATS_GET', attributeSet('NETDEV_A_QSTATS', {
  ifindex: attr(1, u32), queueType: attr(2, u32), queueId: attr(3, u32), scope: attr(4, uint),
  ...numbered(8, ['rxPackets', 'rxBytes', 'txPackets', 'txBytes', 'rxAllocFail', 'rxHwDrops', 'rxHwDropOverruns',
    'rxCsumComplete', 'rxCsumUnnecessary', 'rxCsumNone', 'rxCsumBad', 'rxHwGroPackets', 'rxHwGroBytes',
    'rxHwGroWirePackets', 'rxHwGroWireBytes', 'rxHwDropRatelimits', 'txHwDrops', 'txHwDropErrors', 'txCsumNone',
    'txNeedsCsum', 'txHwGsoPackets', 'txHwGsoBytes', 'txHwGsoWirePackets', 'txHwGsoWireBytes', 'txHwDropRatelimits',
    'txStop', 'txWake']),
}));

/** A device filter: `ifindex` names one device (queues and NAPI of it); JS applies it again to every reply. */
export interface NetdevFilter {
  ifindex?: number;
}

const sameDevice = (reply: { ifindex?: number }, filter: NetdevFilter = {}) =>
  filter.ifindex === undefined || reply.ifindex === filter.ifindex;

/**
 * netdevFamily: `genl().use(netdevFamily)` gives `devices`, `pagePools`,
 * `pagePoolStats` (kernels with CONFIG_PAGE_POOL_STATS; EOPNOTSUPP without),
 * `queues`, `napis` and `qstats` (per device), each a cold Observable; the `mgmt`
 * group's device notifications (`devAdd`, `devDel`, `devChange`; and on the
 * `page-pool` group `pagePoolAdd`, `pagePoolDel`, `pagePoolChange`) come typed
 * from `genl().notifications(netdevFamily)` (the pool ones with `groups`
 * `['page-pool']`), and keep the tables of `genl().watch(netdevFamily, …)`:
 * `devices` (keyed by ifindex) and `pagePools` (by pool id).
 *
 * @example
 * genl({ netns: 'blue' }).use(netdevFamily).queues({ ifindex: 2 }).subscribe((q) => console.log(q.type, q.id));
 */
export const netdevFamily = describeGenlFamily(NETDEV_FAMILY_NAME, {
  devices: { cmd: NETDEV_CMD_DEV_GET, message: deviceMessage, match: sameDevice },
  pagePools: {
    cmd: NETDEV_CMD_PAGE_POOL_GET, message: pagePoolMessage, match: sameDevice,
  },
  pagePoolStats: {
    cmd: NETDEV_CMD_PAGE_POOL_STATS_GET, message: pagePoolStatsMessage,
    match: (reply: NetdevPagePoolStats, filter: NetdevFilter = {}) => sameDevice(reply.info ?? {}, filter),
  },
  queues: {
    cmd: NETDEV_CMD_QUEUE_GET, message: queueMessage, match: sameDevice,
    request: (filter: NetdevFilter = {}) => ({ ifindex: filter.ifindex }),
  },
  napis: {
    cmd: NETDEV_CMD_NAPI_GET, message: napiMessage, match: sameDevice,
    request: (filter: NetdevFilter = {}) => ({ ifindex: filter.ifindex }),
  },
  qstats: {
    cmd: NETDEV_CMD_QSTATS_GET, message: qstatsMessage, match: sameDevice,
    request: (filter: NetdevFilter = {}) => ({ ifindex: filter.ifindex }),
  },
}, {
  groups: [NETDEV_MCGRP_MGMT],
  notifications: {
    devAdd: { cmd: NETDEV_CMD_DEV_ADD_NTF, message: deviceMessage },
    devDel: { cmd: NETDEV_CMD_DEV_DEL_NTF, message: deviceMessage },
    devChange: { cmd: NETDEV_CMD_DEV_CHANGE_NTF, message: deviceMessage },
    pagePoolAdd: { cmd: NETDEV_CMD_PAGE_POOL_ADD_NTF, message: pagePoolMessage },
    pagePoolDel: { cmd: NETDEV_CMD_PAGE_POOL_DEL_NTF, message: pagePoolMessage },
    pagePoolChange: { cmd: NETDEV_CMD_PAGE_POOL_CHANGE_NTF, message: pagePoolMessage },
  },
  tables: {
    // Every device is announced as it registers and unregisters (netdev_genl_dev_notify).
    devices: { list: 'devices', key: 'ifindex', upsert: ['devAdd', 'devChange'], remove: ['devDel'] },
    // Pools linked to a device, on their own group; a detached pool (pages still out) changes, then goes.
    pagePools: {
      list: 'pagePools', key: 'id', groups: [NETDEV_MCGRP_PAGE_POOL], upsert: ['pagePoolAdd', 'pagePoolChange'],
      remove: ['pagePoolDel'], volatile: ['inflight', 'inflightMem'],
    },
  },
});
