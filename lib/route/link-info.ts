/**
 * The nested parts of a link message, described: IFLA_LINKINFO (kind and the
 * kind's data, see link-kinds.ts), IFLA_STATS64 (struct rtnl_link_stats64),
 * IFLA_AF_SPEC's IPv6 part and IFLA_PROP_LIST.
 */
import { attr, attributeSet, subMessages, type AttributeSet } from '../codec/attribute-set.js';
import { custom, nested, string, u8, type AttributeType } from '../codec/attribute-type.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import { NetlinkDecodeError } from '../errors.js';
import { AF_INET6 } from './constants.js';
import {
  bridgeAttributes, bridgePortAttributes, macvlanAttributes, vethAttributes, vrfAttributes, vrfPortAttributes,
  vxlanAttributes, type BridgeInfo, type BridgePortInfo, type MacvlanInfo, type VethInfo, type VrfInfo, type VrfPortInfo,
  type VxlanInfo,
} from './link-kinds.js';

export * from './link-kinds.js';

// enum { IFLA_INFO_UNSPEC, IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_XSTATS, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA } (<linux/if_link.h>)
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_XSTATS = 3;
export const IFLA_INFO_SLAVE_KIND = 4;
export const IFLA_INFO_SLAVE_DATA = 5;

// IFLA_AF_SPEC > AF_INET6 > enum { IFLA_INET6_UNSPEC, IFLA_INET6_FLAGS, … IFLA_INET6_ADDR_GEN_MODE = 8 }
export const IFLA_INET6_FLAGS = 1;
export const IFLA_INET6_ADDR_GEN_MODE = 8;

/**
 * LinkInfo is IFLA_LINKINFO: the device kind ("veth", "bridge" …), the kind's
 * attributes where described (`bridge`, `vxlan`, `veth`, `macvlan`, `vrf`), the port's master
 * kind and its data (`bridgePort`), and every other nested attribute raw.
 * `Peer` is what a veth peer decodes to (a `Link`).
 *
 * @example
 * if (link.linkinfo?.kind === 'bridge') console.log(link.linkinfo.bridge?.stpState);
 */
export interface LinkInfo<Peer = unknown> {
  kind?: string;
  slaveKind?: string;
  bridge?: BridgeInfo;
  vxlan?: VxlanInfo;
  veth?: VethInfo<Peer>;
  macvlan?: MacvlanInfo;
  vrf?: VrfInfo;
  bridgePort?: BridgePortInfo;
  vrfPort?: VrfPortInfo;
  /** IFLA_INFO_DATA of kinds not decoded here, raw attributes. */
  data?: RawAttribute[];
  /** IFLA_INFO_SLAVE_DATA of slave kinds not decoded here. */
  slaveData?: RawAttribute[];
  unknown?: RawAttribute[];
}

/**
 * LinkStats64 is struct rtnl_link_stats64 (<linux/if_link.h>), as numbers
 * (counters are exact below 2^53). Fields a shorter, older struct lacks are 0.
 *
 * @example
 * link.stats64?.rxBytes;
 */
export interface LinkStats64 {
  rxPackets: number; txPackets: number; rxBytes: number; txBytes: number;
  rxErrors: number; txErrors: number; rxDropped: number; txDropped: number;
  multicast: number; collisions: number;
  rxLengthErrors: number; rxOverErrors: number; rxCrcErrors: number; rxFrameErrors: number;
  rxFifoErrors: number; rxMissedErrors: number;
  txAbortedErrors: number; txCarrierErrors: number; txFifoErrors: number; txHeartbeatErrors: number;
  txWindowErrors: number;
  rxCompressed: number; txCompressed: number; rxNohandler: number; rxOtherhostDropped: number;
}

/** One __u64 counter of struct rtnl_link_stats64, or 0 past the end of a shorter struct. */
function counter(data: Buffer, at: number, end: number): number {
  if (at + 8 > end) return 0;
  // Byte arithmetic: the attribute cursor already checked `end` against the buffer.
  return data[at] + data[at + 1] * 0x100 + data[at + 2] * 0x1_0000 + data[at + 3] * 0x100_0000 +
    (data[at + 4] + data[at + 5] * 0x100 + data[at + 6] * 0x1_0000 + data[at + 7] * 0x100_0000) * 0x1_0000_0000;
}

/**
 * decodeStats64 reads struct rtnl_link_stats64 of any length that is a
 * multiple of 8: the struct grows at its end across kernels. The object is
 * one literal, so every link's stats share one shape (filled key by key from
 * a list of names it cost about 2 µs a link).
 *
 * @example
 * link.stats64 = decodeStats64(cursor.data, cursor.offset, cursor.length);
 */
export function decodeStats64(data: Buffer, offset: number, length: number): LinkStats64 {
  const end = offset + length;
  if (offset < 0 || end > data.length) {
    throw new RangeError(`struct rtnl_link_stats64 at ${offset}, ${length} bytes, is outside a ${data.length}-byte buffer`);
  }
  // struct rtnl_link_stats64 (<linux/if_link.h>): __u64 fields in this order.
  return {
    rxPackets: counter(data, offset, end),
    txPackets: counter(data, offset + 8, end),
    rxBytes: counter(data, offset + 16, end),
    txBytes: counter(data, offset + 24, end),
    rxErrors: counter(data, offset + 32, end),
    txErrors: counter(data, offset + 40, end),
    rxDropped: counter(data, offset + 48, end),
    txDropped: counter(data, offset + 56, end),
    multicast: counter(data, offset + 64, end),
    collisions: counter(data, offset + 72, end),
    rxLengthErrors: counter(data, offset + 80, end),
    rxOverErrors: counter(data, offset + 88, end),
    rxCrcErrors: counter(data, offset + 96, end),
    rxFrameErrors: counter(data, offset + 104, end),
    rxFifoErrors: counter(data, offset + 112, end),
    rxMissedErrors: counter(data, offset + 120, end),
    txAbortedErrors: counter(data, offset + 128, end),
    txCarrierErrors: counter(data, offset + 136, end),
    txFifoErrors: counter(data, offset + 144, end),
    txHeartbeatErrors: counter(data, offset + 152, end),
    txWindowErrors: counter(data, offset + 160, end),
    rxCompressed: counter(data, offset + 168, end),
    txCompressed: counter(data, offset + 176, end),
    rxNohandler: counter(data, offset + 184, end),
    rxOtherhostDropped: counter(data, offset + 192, end),
  };
}


/** IFLA_STATS64: any length that is a multiple of 8 (the struct grows at its end). */
export const rtnlLinkStats64 = custom<LinkStats64>('struct rtnl_link_stats64', (d, off, n) => {
  if (n % 8 !== 0) {
    throw new NetlinkDecodeError(`struct rtnl_link_stats64 needs a multiple of 8 bytes, has ${n}`, off, ['RTM_NEWLINK', 'IFLA_STATS64']);
  }
  return decodeStats64(d, off, n);
}, { minSize: 8 });

/**
 * linkInfoAttributes describes IFLA_LINKINFO, given how a veth peer (a whole
 * link message) is read — the link description passes its own decoder.
 *
 * @example
 * const linkinfo = nested(linkInfoAttributes(vethPeer));
 */
export function linkInfoAttributes<Peer>(vethPeer: AttributeType<Peer>): AttributeSet {
  return attributeSet('IFLA_LINKINFO', {
    kind: attr(IFLA_INFO_KIND, string),
    slaveKind: attr(IFLA_INFO_SLAVE_KIND, string),
    data: subMessages(IFLA_INFO_DATA, 'kind', {
      bridge: ['bridge', bridgeAttributes],
      vxlan: ['vxlan', vxlanAttributes],
      veth: ['veth', vethAttributes(vethPeer)],
      macvlan: ['macvlan', macvlanAttributes],
      macvtap: ['macvlan', macvlanAttributes],
      vrf: ['vrf', vrfAttributes],
    }),
    slaveData: subMessages(IFLA_INFO_SLAVE_DATA, 'slaveKind', {
      bridge: ['bridgePort', bridgePortAttributes],
      vrf: ['vrfPort', vrfPortAttributes],
    }),
  }, { context: ['RTM_NEWLINK', 'IFLA_LINKINFO'] });
}

/**
 * IFLA_AF_SPEC read for IFLA_INET6_ADDR_GEN_MODE alone (nested by address
 * family); the link keeps the whole nest raw as well.
 */
export const afSpecAttributes: AttributeSet = attributeSet('IFLA_AF_SPEC', {
  inet6: attr(AF_INET6, nested(attributeSet('AF_INET6', {
    addrGenMode: attr(IFLA_INET6_ADDR_GEN_MODE, u8),
  }, { unknown: 'drop', context: ['RTM_NEWLINK', 'IFLA_AF_SPEC', 'AF_INET6'] }))),
}, { unknown: 'drop', context: ['RTM_NEWLINK', 'IFLA_AF_SPEC'] });

