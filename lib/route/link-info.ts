/**
 * The nested parts of a link message: IFLA_LINKINFO (kind and kind data),
 * IFLA_STATS64 (struct rtnl_link_stats64) and IFLA_AF_SPEC's IPv6 part.
 */
import { AttributeCursor } from '../codec/attributes.js';
import type { NetlinkDecodeError } from '../errors.js';
import { hexColonText } from '../codec/address-text.js';
import { asDecodeError, rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';

// enum { IFLA_INFO_UNSPEC, IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_XSTATS, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA } (<linux/if_link.h>)
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_XSTATS = 3;
export const IFLA_INFO_SLAVE_KIND = 4;
export const IFLA_INFO_SLAVE_DATA = 5;

// enum { IFLA_BR_UNSPEC, IFLA_BR_FORWARD_DELAY, … } — the bridge attributes decoded here.
export const IFLA_BR_FORWARD_DELAY = 1;
export const IFLA_BR_HELLO_TIME = 2;
export const IFLA_BR_MAX_AGE = 3;
export const IFLA_BR_AGEING_TIME = 4;
export const IFLA_BR_STP_STATE = 5;
export const IFLA_BR_PRIORITY = 6;
export const IFLA_BR_VLAN_FILTERING = 7;
export const IFLA_BR_VLAN_PROTOCOL = 8;
export const IFLA_BR_ROOT_ID = 10;
export const IFLA_BR_BRIDGE_ID = 11;
export const IFLA_BR_ROOT_PORT = 12;
export const IFLA_BR_ROOT_PATH_COST = 13;

// enum { IFLA_BRPORT_UNSPEC, IFLA_BRPORT_STATE, IFLA_BRPORT_PRIORITY, IFLA_BRPORT_COST, … }
export const IFLA_BRPORT_STATE = 1;
export const IFLA_BRPORT_PRIORITY = 2;
export const IFLA_BRPORT_COST = 3;
export const IFLA_BRPORT_LEARNING = 8;
export const IFLA_BRPORT_UNICAST_FLOOD = 9;
export const IFLA_BRPORT_ID = 15;
export const IFLA_BRPORT_NO = 16;

// IFLA_AF_SPEC > AF_INET6 > enum { IFLA_INET6_UNSPEC, IFLA_INET6_FLAGS, … IFLA_INET6_ADDR_GEN_MODE = 8 }
export const IFLA_INET6_FLAGS = 1;
export const IFLA_INET6_ADDR_GEN_MODE = 8;

/** Bridge attributes (IFLA_INFO_DATA of kind "bridge") decoded cheaply; times in centiseconds as the kernel sends them. */
export interface BridgeInfo {
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  stpState?: number;
  priority?: number;
  vlanFiltering?: number;
  /** Network byte order ethertype, e.g. 0x8100. */
  vlanProtocol?: number;
  /** struct ifla_bridge_id as iproute2 prints it: `8000.ee:e3:11:79:9a:59`. */
  bridgeId?: string;
  rootId?: string;
  rootPort?: number;
  rootPathCost?: number;
}

/** Bridge port attributes (IFLA_INFO_SLAVE_DATA of slave kind "bridge"). */
export interface BridgePortInfo {
  /** BR_STATE_*: 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking. */
  state?: number;
  priority?: number;
  cost?: number;
  learning?: boolean;
  flood?: boolean;
  id?: number;
  no?: number;
}

/**
 * LinkInfo is IFLA_LINKINFO: the device kind ("veth", "bridge" …), the kind's
 * attributes where decoded (`bridge`), the port's master kind and its data
 * (`bridgePort`), and every other nested attribute raw.
 *
 * @example
 * if (link.linkinfo?.kind === 'bridge') console.log(link.linkinfo.bridge?.stpState);
 */
export interface LinkInfo {
  kind?: string;
  slaveKind?: string;
  bridge?: BridgeInfo;
  bridgePort?: BridgePortInfo;
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

/** struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; } as iproute2's br_dump_bridge_id(). */
function bridgeIdText(data: Buffer, offset: number): string {
  const prio = data.readUInt16BE(offset).toString(16).padStart(4, '0');
  return `${prio}.${hexColonText(data, offset + 2, 6)}`;
}

function decodeBridge(cursor: AttributeCursor, problems: NetlinkDecodeError[]): BridgeInfo {
  const info: BridgeInfo = {};
  while (cursor.next()) {
    try {
      switch (cursor.type) {
        case IFLA_BR_FORWARD_DELAY: info.forwardDelay = cursor.u32(); break;
        case IFLA_BR_HELLO_TIME: info.helloTime = cursor.u32(); break;
        case IFLA_BR_MAX_AGE: info.maxAge = cursor.u32(); break;
        case IFLA_BR_AGEING_TIME: info.ageingTime = cursor.u32(); break;
        case IFLA_BR_STP_STATE: info.stpState = cursor.u32(); break;
        case IFLA_BR_PRIORITY: info.priority = cursor.u16(); break;
        case IFLA_BR_VLAN_FILTERING: info.vlanFiltering = cursor.u8(); break;
        case IFLA_BR_VLAN_PROTOCOL: info.vlanProtocol = cursor.be16(); break;
        case IFLA_BR_ROOT_PORT: info.rootPort = cursor.u16(); break;
        case IFLA_BR_ROOT_PATH_COST: info.rootPathCost = cursor.u32(); break;
        case IFLA_BR_ROOT_ID:
        case IFLA_BR_BRIDGE_ID:
          if (cursor.length !== 8) cursor.u64(); // throws the size error
          if (cursor.type === IFLA_BR_ROOT_ID) info.rootId = bridgeIdText(cursor.data, cursor.offset);
          else info.bridgeId = bridgeIdText(cursor.data, cursor.offset);
          break;
        default: break;
      }
    } catch (error) {
      problems.push(asDecodeError(error));
    }
  }
  if (cursor.error) problems.push(cursor.error);
  return info;
}

function decodeBridgePort(cursor: AttributeCursor, problems: NetlinkDecodeError[]): BridgePortInfo {
  const port: BridgePortInfo = {};
  while (cursor.next()) {
    try {
      switch (cursor.type) {
        case IFLA_BRPORT_STATE: port.state = cursor.u8(); break;
        case IFLA_BRPORT_PRIORITY: port.priority = cursor.u16(); break;
        case IFLA_BRPORT_COST: port.cost = cursor.u32(); break;
        case IFLA_BRPORT_LEARNING: port.learning = cursor.u8() !== 0; break;
        case IFLA_BRPORT_UNICAST_FLOOD: port.flood = cursor.u8() !== 0; break;
        case IFLA_BRPORT_ID: port.id = cursor.u16(); break;
        case IFLA_BRPORT_NO: port.no = cursor.u16(); break;
        default: break;
      }
    } catch (error) {
      problems.push(asDecodeError(error));
    }
  }
  if (cursor.error) problems.push(cursor.error);
  return port;
}

function rawList(cursor: AttributeCursor, problems: NetlinkDecodeError[]): RawAttribute[] {
  const list: RawAttribute[] = [];
  while (cursor.next()) list.push(rawAttribute(cursor));
  if (cursor.error) problems.push(cursor.error);
  return list;
}

/**
 * decodeLinkInfo reads the attributes nested in IFLA_LINKINFO. The kind comes
 * before its data in every kernel, but the data is decoded after the walk so
 * that order does not matter.
 *
 * @example
 * link.linkinfo = decodeLinkInfo(cursor.nested('IFLA_LINKINFO'), link.problems);
 */
export function decodeLinkInfo(cursor: AttributeCursor, problems: NetlinkDecodeError[]): LinkInfo {
  const info: LinkInfo = {};
  let data: AttributeCursor | undefined;
  let slaveData: AttributeCursor | undefined;
  while (cursor.next()) {
    switch (cursor.type) {
      case IFLA_INFO_KIND: info.kind = cursor.string(); break;
      case IFLA_INFO_SLAVE_KIND: info.slaveKind = cursor.string(); break;
      case IFLA_INFO_DATA: data = cursor.nested('IFLA_INFO_DATA'); break;
      case IFLA_INFO_SLAVE_DATA: slaveData = cursor.nested('IFLA_INFO_SLAVE_DATA'); break;
      default: (info.unknown ??= []).push(rawAttribute(cursor));
    }
  }
  if (cursor.error) problems.push(cursor.error);
  if (data) {
    if (info.kind === 'bridge') info.bridge = decodeBridge(data, problems);
    else info.data = rawList(data, problems);
  }
  if (slaveData) {
    if (info.slaveKind === 'bridge') info.bridgePort = decodeBridgePort(slaveData, problems);
    else info.slaveData = rawList(slaveData, problems);
  }
  return info;
}

/**
 * decodeInet6AddrGenMode finds IFLA_INET6_ADDR_GEN_MODE in IFLA_AF_SPEC
 * (nested by address family: AF_INET6 = 10).
 *
 * @example
 * link.inet6AddrGenMode = decodeInet6AddrGenMode(cursor.nested('IFLA_AF_SPEC'), link.problems);
 */
export function decodeInet6AddrGenMode(cursor: AttributeCursor, problems: NetlinkDecodeError[]): number | undefined {
  let mode: number | undefined;
  while (cursor.next()) {
    if (cursor.type !== 10) continue;
    const inet6 = cursor.nested('AF_INET6');
    while (inet6.next()) {
      if (inet6.type !== IFLA_INET6_ADDR_GEN_MODE) continue;
      try {
        mode = inet6.u8();
      } catch (error) {
        problems.push(asDecodeError(error));
      }
    }
    if (inet6.error) problems.push(inet6.error);
  }
  if (cursor.error) problems.push(cursor.error);
  return mode;
}
