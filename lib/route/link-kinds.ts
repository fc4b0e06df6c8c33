/**
 * The IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA sub-messages of the link kinds
 * described here — bridge, bridge port, vxlan, veth, macvlan, vrf, vrf port — with their attribute
 * numbers from <linux/if_link.h> and <linux/veth.h>. IFLA_LINKINFO's kind
 * (slave kind) selects which of these its data is (link-info.ts); the data
 * of other kinds stays raw.
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { be16, be32, bool8, custom, flag, hexColon, inet, u16, u32, u64n, u8, type AttributeType } from '../codec/attribute-type.js';
import { hexColonText } from '../codec/address-text.js';
import type { RawAttribute } from '../codec/raw-attribute.js';

// enum { IFLA_BR_UNSPEC, IFLA_BR_FORWARD_DELAY, … } — the bridge attributes typed here.
export const IFLA_BR_FORWARD_DELAY = 1;
export const IFLA_BR_HELLO_TIME = 2;
export const IFLA_BR_MAX_AGE = 3;
export const IFLA_BR_AGEING_TIME = 4;
export const IFLA_BR_STP_STATE = 5;
export const IFLA_BR_PRIORITY = 6;
export const IFLA_BR_VLAN_FILTERING = 7;
export const IFLA_BR_VLAN_PROTOCOL = 8;
export const IFLA_BR_GROUP_FWD_MASK = 9;
export const IFLA_BR_ROOT_ID = 10;
export const IFLA_BR_BRIDGE_ID = 11;
export const IFLA_BR_ROOT_PORT = 12;
export const IFLA_BR_ROOT_PATH_COST = 13;
export const IFLA_BR_TOPOLOGY_CHANGE = 14;
export const IFLA_BR_TOPOLOGY_CHANGE_DETECTED = 15;
export const IFLA_BR_HELLO_TIMER = 16;
export const IFLA_BR_TCN_TIMER = 17;
export const IFLA_BR_TOPOLOGY_CHANGE_TIMER = 18;
export const IFLA_BR_GC_TIMER = 19;
export const IFLA_BR_GROUP_ADDR = 20;
export const IFLA_BR_MCAST_ROUTER = 22;
export const IFLA_BR_MCAST_SNOOPING = 23;
export const IFLA_BR_MCAST_QUERY_USE_IFADDR = 24;
export const IFLA_BR_MCAST_QUERIER = 25;
export const IFLA_BR_MCAST_HASH_ELASTICITY = 26;
export const IFLA_BR_MCAST_HASH_MAX = 27;
export const IFLA_BR_MCAST_LAST_MEMBER_CNT = 28;
export const IFLA_BR_MCAST_STARTUP_QUERY_CNT = 29;
export const IFLA_BR_MCAST_LAST_MEMBER_INTVL = 30;
export const IFLA_BR_MCAST_MEMBERSHIP_INTVL = 31;
export const IFLA_BR_MCAST_QUERIER_INTVL = 32;
export const IFLA_BR_MCAST_QUERY_INTVL = 33;
export const IFLA_BR_MCAST_QUERY_RESPONSE_INTVL = 34;
export const IFLA_BR_MCAST_STARTUP_QUERY_INTVL = 35;
export const IFLA_BR_NF_CALL_IPTABLES = 36;
export const IFLA_BR_NF_CALL_IP6TABLES = 37;
export const IFLA_BR_NF_CALL_ARPTABLES = 38;
export const IFLA_BR_VLAN_DEFAULT_PVID = 39;
export const IFLA_BR_PAD = 40;
export const IFLA_BR_VLAN_STATS_ENABLED = 41;
export const IFLA_BR_MCAST_STATS_ENABLED = 42;
export const IFLA_BR_MCAST_IGMP_VERSION = 43;
export const IFLA_BR_MCAST_MLD_VERSION = 44;
export const IFLA_BR_VLAN_STATS_PER_PORT = 45;
export const IFLA_BR_MULTI_BOOLOPT = 46;

// enum { IFLA_BRPORT_UNSPEC, IFLA_BRPORT_STATE, IFLA_BRPORT_PRIORITY, IFLA_BRPORT_COST, … }
export const IFLA_BRPORT_STATE = 1;
export const IFLA_BRPORT_PRIORITY = 2;
export const IFLA_BRPORT_COST = 3;
export const IFLA_BRPORT_MODE = 4;
export const IFLA_BRPORT_GUARD = 5;
export const IFLA_BRPORT_PROTECT = 6;
export const IFLA_BRPORT_FAST_LEAVE = 7;
export const IFLA_BRPORT_LEARNING = 8;
export const IFLA_BRPORT_UNICAST_FLOOD = 9;
export const IFLA_BRPORT_PROXYARP = 10;
export const IFLA_BRPORT_PROXYARP_WIFI = 12;
export const IFLA_BRPORT_ROOT_ID = 13;
export const IFLA_BRPORT_BRIDGE_ID = 14;
export const IFLA_BRPORT_DESIGNATED_PORT = 15;
export const IFLA_BRPORT_DESIGNATED_COST = 16;
export const IFLA_BRPORT_ID = 17;
export const IFLA_BRPORT_NO = 18;
export const IFLA_BRPORT_TOPOLOGY_CHANGE_ACK = 19;
export const IFLA_BRPORT_CONFIG_PENDING = 20;
export const IFLA_BRPORT_MESSAGE_AGE_TIMER = 21;
export const IFLA_BRPORT_FORWARD_DELAY_TIMER = 22;
export const IFLA_BRPORT_HOLD_TIMER = 23;
export const IFLA_BRPORT_MULTICAST_ROUTER = 25;
export const IFLA_BRPORT_PAD = 26;
export const IFLA_BRPORT_MCAST_FLOOD = 27;
export const IFLA_BRPORT_MCAST_TO_UCAST = 28;
export const IFLA_BRPORT_VLAN_TUNNEL = 29;
export const IFLA_BRPORT_BCAST_FLOOD = 30;
export const IFLA_BRPORT_GROUP_FWD_MASK = 31;
export const IFLA_BRPORT_NEIGH_SUPPRESS = 32;
export const IFLA_BRPORT_ISOLATED = 33;
export const IFLA_BRPORT_BACKUP_PORT = 34;
export const IFLA_BRPORT_LOCKED = 39;

// enum { IFLA_MACVLAN_UNSPEC, IFLA_MACVLAN_MODE, … } (<linux/if_link.h>)
export const IFLA_MACVLAN_MODE = 1;
export const IFLA_MACVLAN_FLAGS = 2;
export const IFLA_MACVLAN_MACADDR_DATA = 5;
export const IFLA_MACVLAN_MACADDR_COUNT = 6;
export const IFLA_MACVLAN_BC_QUEUE_LEN = 7;
export const IFLA_MACVLAN_BC_QUEUE_LEN_USED = 8;
// enum macvlan_mode and MACVLAN_FLAG_*
export const MACVLAN_MODE_PRIVATE = 1;
export const MACVLAN_MODE_VEPA = 2;
export const MACVLAN_MODE_BRIDGE = 4;
export const MACVLAN_MODE_PASSTHRU = 8;
export const MACVLAN_MODE_SOURCE = 16;
export const MACVLAN_FLAG_NOPROMISC = 1;
export const MACVLAN_FLAG_NODST = 2;

// enum { IFLA_VRF_UNSPEC, IFLA_VRF_TABLE } and { IFLA_VRF_PORT_UNSPEC, IFLA_VRF_PORT_TABLE }
export const IFLA_VRF_TABLE = 1;
export const IFLA_VRF_PORT_TABLE = 1;

// enum { IFLA_VXLAN_UNSPEC, IFLA_VXLAN_ID, … IFLA_VXLAN_VNIFILTER } (<linux/if_link.h>)
export const IFLA_VXLAN_ID = 1;
export const IFLA_VXLAN_GROUP = 2;
export const IFLA_VXLAN_LINK = 3;
export const IFLA_VXLAN_LOCAL = 4;
export const IFLA_VXLAN_TTL = 5;
export const IFLA_VXLAN_TOS = 6;
export const IFLA_VXLAN_LEARNING = 7;
export const IFLA_VXLAN_AGEING = 8;
export const IFLA_VXLAN_LIMIT = 9;
export const IFLA_VXLAN_PORT_RANGE = 10;
export const IFLA_VXLAN_PROXY = 11;
export const IFLA_VXLAN_RSC = 12;
export const IFLA_VXLAN_L2MISS = 13;
export const IFLA_VXLAN_L3MISS = 14;
export const IFLA_VXLAN_PORT = 15;
export const IFLA_VXLAN_GROUP6 = 16;
export const IFLA_VXLAN_LOCAL6 = 17;
export const IFLA_VXLAN_UDP_CSUM = 18;
export const IFLA_VXLAN_UDP_ZERO_CSUM6_TX = 19;
export const IFLA_VXLAN_UDP_ZERO_CSUM6_RX = 20;
export const IFLA_VXLAN_REMCSUM_TX = 21;
export const IFLA_VXLAN_REMCSUM_RX = 22;
export const IFLA_VXLAN_GBP = 23;
export const IFLA_VXLAN_REMCSUM_NOPARTIAL = 24;
export const IFLA_VXLAN_COLLECT_METADATA = 25;
export const IFLA_VXLAN_LABEL = 26;
export const IFLA_VXLAN_GPE = 27;
export const IFLA_VXLAN_TTL_INHERIT = 28;
export const IFLA_VXLAN_DF = 29;
export const IFLA_VXLAN_VNIFILTER = 30;

// enum { VETH_INFO_UNSPEC, VETH_INFO_PEER } (<linux/veth.h>)
export const VETH_INFO_PEER = 1;

/**
 * Bridge attributes (IFLA_INFO_DATA of kind "bridge"); times in centiseconds
 * as the kernel sends them; attributes not typed here are in `unknown`.
 *
 * @example
 * if (link.linkinfo?.bridge) console.log(link.linkinfo.bridge.stpState, link.linkinfo.bridge.unknown?.length);
 */
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
  /** struct ifla_bridge_id as iproute2 prints it: `8000.ee:e3:11:79:9a:59` (ether_ntoa: `8000.0:0:0:0:0:0`). */
  bridgeId?: string;
  rootId?: string;
  rootPort?: number;
  rootPathCost?: number;
  groupFwdMask?: number;
  topologyChange?: number;
  topologyChangeDetected?: number;
  /** The timers in centiseconds (the kernel's clock_t). */
  helloTimer?: number;
  tcnTimer?: number;
  topologyChangeTimer?: number;
  gcTimer?: number;
  /** The group address, hex-colon text. */
  groupAddr?: string;
  mcastRouter?: number;
  mcastSnooping?: number;
  mcastQueryUseIfaddr?: number;
  mcastQuerier?: number;
  mcastHashElasticity?: number;
  mcastHashMax?: number;
  mcastLastMemberCnt?: number;
  mcastStartupQueryCnt?: number;
  /** The multicast intervals in centiseconds. */
  mcastLastMemberIntvl?: number;
  mcastMembershipIntvl?: number;
  mcastQuerierIntvl?: number;
  mcastQueryIntvl?: number;
  mcastQueryResponseIntvl?: number;
  mcastStartupQueryIntvl?: number;
  nfCallIptables?: number;
  nfCallIp6tables?: number;
  nfCallArptables?: number;
  vlanDefaultPvid?: number;
  vlanStatsEnabled?: number;
  mcastStatsEnabled?: number;
  mcastIgmpVersion?: number;
  mcastMldVersion?: number;
  vlanStatsPerPort?: number;
  /** struct br_boolopt_multi: BR_BOOLOPT_* bits set, and the bits the kernel reported. */
  multiBoolopt?: { optval: number; optmask: number };
  /** IFLA_BR_* attributes not typed here, raw. */
  unknown?: RawAttribute[];
}

/**
 * Bridge port attributes (IFLA_INFO_SLAVE_DATA of slave kind "bridge");
 * attributes not typed here are in `unknown`.
 *
 * @example
 * link.linkinfo?.bridgePort?.state; // BR_STATE_FORWARDING = 3
 */
export interface BridgePortInfo {
  /** BR_STATE_*: 0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking. */
  state?: number;
  priority?: number;
  cost?: number;
  /** IFLA_BRPORT_MODE: hairpin. */
  mode?: boolean;
  guard?: boolean;
  /** IFLA_BRPORT_PROTECT: root_block. */
  protect?: boolean;
  fastLeave?: boolean;
  learning?: boolean;
  flood?: boolean;
  proxyarp?: boolean;
  proxyarpWifi?: boolean;
  rootId?: string;
  bridgeId?: string;
  designatedPort?: number;
  designatedCost?: number;
  id?: number;
  no?: number;
  topologyChangeAck?: number;
  configPending?: number;
  /** The timers in centiseconds (the kernel's clock_t). */
  messageAgeTimer?: number;
  forwardDelayTimer?: number;
  holdTimer?: number;
  multicastRouter?: number;
  mcastFlood?: boolean;
  mcastToUcast?: boolean;
  vlanTunnel?: boolean;
  bcastFlood?: boolean;
  groupFwdMask?: number;
  neighSuppress?: boolean;
  isolated?: boolean;
  backupPort?: number;
  locked?: boolean;
  /** IFLA_BRPORT_* attributes not typed here, raw. */
  unknown?: RawAttribute[];
}

/** struct ifla_vxlan_port_range: the UDP source port range, host order. */
export interface VxlanPortRange {
  low: number;
  high: number;
}

/**
 * VxlanInfo is IFLA_INFO_DATA of kind "vxlan" (what `ip -d link show`
 * prints after `vxlan`). Addresses are text; `port` and `label` in host
 * order; switches are the kernel's u8 (0/1) or, for NLA_FLAG ones, `true`.
 *
 * @example
 * const { id, port, group, group6 } = link.linkinfo?.vxlan ?? {};
 */
export interface VxlanInfo {
  /** The VNI. */
  id?: number;
  /** IFLA_VXLAN_GROUP: the IPv4 multicast group or remote. */
  group?: string;
  /** The lower device's ifindex. */
  link?: number;
  local?: string;
  ttl?: number;
  tos?: number;
  learning?: number;
  /** FDB entry ageing, seconds. */
  ageing?: number;
  /** FDB entry limit, 0 for none. */
  limit?: number;
  portRange?: VxlanPortRange;
  proxy?: number;
  rsc?: number;
  l2miss?: number;
  l3miss?: number;
  /** The UDP destination port. */
  port?: number;
  group6?: string;
  local6?: string;
  udpCsum?: number;
  udpZeroCsum6Tx?: number;
  udpZeroCsum6Rx?: number;
  remcsumTx?: number;
  remcsumRx?: number;
  gbp?: true;
  remcsumNopartial?: true;
  /** `external` (metadata-based) mode. */
  collectMetadata?: number;
  /** The IPv6 flow label. */
  label?: number;
  gpe?: true;
  ttlInherit?: number;
  /** VXLAN_DF_*: 0 unset, 1 set, 2 inherit. */
  df?: number;
  vnifilter?: number;
  /** IFLA_VXLAN_* attributes newer than this table, raw. */
  unknown?: RawAttribute[];
}

/**
 * VethInfo is IFLA_INFO_DATA of kind "veth": VETH_INFO_PEER, the peer as a
 * whole link message (struct ifinfomsg + IFLA_*). The kernel sends it in
 * creation requests and notifications of some kernels, not in dumps.
 *
 * @example
 * link.linkinfo?.veth?.peer?.ifname;
 */
export interface VethInfo<Peer> {
  peer?: Peer;
  unknown?: RawAttribute[];
}

/**
 * struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; } as iproute2's
 * br_dump_bridge_id(): the address by ether_ntoa_r(), whose bytes have no
 * leading zero (`8000.0:0:0:0:0:0`).
 */
const bridgeId = custom<string>('struct ifla_bridge_id', (d, off) => {
  const addr = Array.from(d.subarray(off + 2, off + 8), (b) => b.toString(16)).join(':');
  return `${((d[off] << 8) | d[off + 1]).toString(16).padStart(4, '0')}.${addr}`;
}, { size: 8 });

/** struct br_boolopt_multi { __u32 optval; __u32 optmask; } (<linux/if_bridge.h>). */
const boolopts = custom<{ optval: number; optmask: number }>('struct br_boolopt_multi', (d, off) =>
  ({ optval: d.readUInt32LE(off), optmask: d.readUInt32LE(off + 4) }), { size: 8 });

/** The bridge attributes (IFLA_BR_*) typed here. */
export const bridgeAttributes: AttributeSet = attributeSet('bridge', {
  forwardDelay: attr(IFLA_BR_FORWARD_DELAY, u32),
  helloTime: attr(IFLA_BR_HELLO_TIME, u32),
  maxAge: attr(IFLA_BR_MAX_AGE, u32),
  ageingTime: attr(IFLA_BR_AGEING_TIME, u32),
  stpState: attr(IFLA_BR_STP_STATE, u32),
  priority: attr(IFLA_BR_PRIORITY, u16),
  vlanFiltering: attr(IFLA_BR_VLAN_FILTERING, u8),
  vlanProtocol: attr(IFLA_BR_VLAN_PROTOCOL, be16),
  rootId: attr(IFLA_BR_ROOT_ID, bridgeId),
  bridgeId: attr(IFLA_BR_BRIDGE_ID, bridgeId),
  rootPort: attr(IFLA_BR_ROOT_PORT, u16),
  rootPathCost: attr(IFLA_BR_ROOT_PATH_COST, u32),
  groupFwdMask: attr(IFLA_BR_GROUP_FWD_MASK, u16),
  topologyChange: attr(IFLA_BR_TOPOLOGY_CHANGE, u8),
  topologyChangeDetected: attr(IFLA_BR_TOPOLOGY_CHANGE_DETECTED, u8),
  helloTimer: attr(IFLA_BR_HELLO_TIMER, u64n),
  tcnTimer: attr(IFLA_BR_TCN_TIMER, u64n),
  topologyChangeTimer: attr(IFLA_BR_TOPOLOGY_CHANGE_TIMER, u64n),
  gcTimer: attr(IFLA_BR_GC_TIMER, u64n),
  groupAddr: attr(IFLA_BR_GROUP_ADDR, hexColon),
  mcastRouter: attr(IFLA_BR_MCAST_ROUTER, u8),
  mcastSnooping: attr(IFLA_BR_MCAST_SNOOPING, u8),
  mcastQueryUseIfaddr: attr(IFLA_BR_MCAST_QUERY_USE_IFADDR, u8),
  mcastQuerier: attr(IFLA_BR_MCAST_QUERIER, u8),
  mcastHashElasticity: attr(IFLA_BR_MCAST_HASH_ELASTICITY, u32),
  mcastHashMax: attr(IFLA_BR_MCAST_HASH_MAX, u32),
  mcastLastMemberCnt: attr(IFLA_BR_MCAST_LAST_MEMBER_CNT, u32),
  mcastStartupQueryCnt: attr(IFLA_BR_MCAST_STARTUP_QUERY_CNT, u32),
  mcastLastMemberIntvl: attr(IFLA_BR_MCAST_LAST_MEMBER_INTVL, u64n),
  mcastMembershipIntvl: attr(IFLA_BR_MCAST_MEMBERSHIP_INTVL, u64n),
  mcastQuerierIntvl: attr(IFLA_BR_MCAST_QUERIER_INTVL, u64n),
  mcastQueryIntvl: attr(IFLA_BR_MCAST_QUERY_INTVL, u64n),
  mcastQueryResponseIntvl: attr(IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, u64n),
  mcastStartupQueryIntvl: attr(IFLA_BR_MCAST_STARTUP_QUERY_INTVL, u64n),
  nfCallIptables: attr(IFLA_BR_NF_CALL_IPTABLES, u8),
  nfCallIp6tables: attr(IFLA_BR_NF_CALL_IP6TABLES, u8),
  nfCallArptables: attr(IFLA_BR_NF_CALL_ARPTABLES, u8),
  vlanDefaultPvid: attr(IFLA_BR_VLAN_DEFAULT_PVID, u16),
  vlanStatsEnabled: attr(IFLA_BR_VLAN_STATS_ENABLED, u8),
  mcastStatsEnabled: attr(IFLA_BR_MCAST_STATS_ENABLED, u8),
  mcastIgmpVersion: attr(IFLA_BR_MCAST_IGMP_VERSION, u8),
  mcastMldVersion: attr(IFLA_BR_MCAST_MLD_VERSION, u8),
  vlanStatsPerPort: attr(IFLA_BR_VLAN_STATS_PER_PORT, u8),
  multiBoolopt: attr(IFLA_BR_MULTI_BOOLOPT, boolopts),
}, { ignore: [IFLA_BR_PAD], context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'bridge'] });

/** The bridge port attributes (IFLA_BRPORT_*) typed here. */
export const bridgePortAttributes: AttributeSet = attributeSet('bridge port', {
  state: attr(IFLA_BRPORT_STATE, u8),
  priority: attr(IFLA_BRPORT_PRIORITY, u16),
  cost: attr(IFLA_BRPORT_COST, u32),
  mode: attr(IFLA_BRPORT_MODE, bool8),
  guard: attr(IFLA_BRPORT_GUARD, bool8),
  protect: attr(IFLA_BRPORT_PROTECT, bool8),
  fastLeave: attr(IFLA_BRPORT_FAST_LEAVE, bool8),
  learning: attr(IFLA_BRPORT_LEARNING, bool8),
  flood: attr(IFLA_BRPORT_UNICAST_FLOOD, bool8),
  proxyarp: attr(IFLA_BRPORT_PROXYARP, bool8),
  proxyarpWifi: attr(IFLA_BRPORT_PROXYARP_WIFI, bool8),
  rootId: attr(IFLA_BRPORT_ROOT_ID, bridgeId),
  bridgeId: attr(IFLA_BRPORT_BRIDGE_ID, bridgeId),
  designatedPort: attr(IFLA_BRPORT_DESIGNATED_PORT, u16),
  designatedCost: attr(IFLA_BRPORT_DESIGNATED_COST, u16),
  id: attr(IFLA_BRPORT_ID, u16),
  no: attr(IFLA_BRPORT_NO, u16),
  topologyChangeAck: attr(IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, u8),
  configPending: attr(IFLA_BRPORT_CONFIG_PENDING, u8),
  messageAgeTimer: attr(IFLA_BRPORT_MESSAGE_AGE_TIMER, u64n),
  forwardDelayTimer: attr(IFLA_BRPORT_FORWARD_DELAY_TIMER, u64n),
  holdTimer: attr(IFLA_BRPORT_HOLD_TIMER, u64n),
  multicastRouter: attr(IFLA_BRPORT_MULTICAST_ROUTER, u8),
  mcastFlood: attr(IFLA_BRPORT_MCAST_FLOOD, bool8),
  mcastToUcast: attr(IFLA_BRPORT_MCAST_TO_UCAST, bool8),
  vlanTunnel: attr(IFLA_BRPORT_VLAN_TUNNEL, bool8),
  bcastFlood: attr(IFLA_BRPORT_BCAST_FLOOD, bool8),
  groupFwdMask: attr(IFLA_BRPORT_GROUP_FWD_MASK, u16),
  neighSuppress: attr(IFLA_BRPORT_NEIGH_SUPPRESS, bool8),
  isolated: attr(IFLA_BRPORT_ISOLATED, bool8),
  backupPort: attr(IFLA_BRPORT_BACKUP_PORT, u32),
  locked: attr(IFLA_BRPORT_LOCKED, bool8),
}, { ignore: [IFLA_BRPORT_PAD], context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'bridge_slave'] });

const portRange = custom<VxlanPortRange>('struct ifla_vxlan_port_range', (d, off) =>
  ({ low: (d[off] << 8) | d[off + 1], high: (d[off + 2] << 8) | d[off + 3] }), { size: 4 });

/** The vxlan attributes (IFLA_VXLAN_*). */
export const vxlanAttributes: AttributeSet = attributeSet('vxlan', {
  id: attr(IFLA_VXLAN_ID, u32),
  group: attr(IFLA_VXLAN_GROUP, inet),
  link: attr(IFLA_VXLAN_LINK, u32),
  local: attr(IFLA_VXLAN_LOCAL, inet),
  ttl: attr(IFLA_VXLAN_TTL, u8),
  tos: attr(IFLA_VXLAN_TOS, u8),
  learning: attr(IFLA_VXLAN_LEARNING, u8),
  ageing: attr(IFLA_VXLAN_AGEING, u32),
  limit: attr(IFLA_VXLAN_LIMIT, u32),
  portRange: attr(IFLA_VXLAN_PORT_RANGE, portRange),
  proxy: attr(IFLA_VXLAN_PROXY, u8),
  rsc: attr(IFLA_VXLAN_RSC, u8),
  l2miss: attr(IFLA_VXLAN_L2MISS, u8),
  l3miss: attr(IFLA_VXLAN_L3MISS, u8),
  port: attr(IFLA_VXLAN_PORT, be16),
  group6: attr(IFLA_VXLAN_GROUP6, inet),
  local6: attr(IFLA_VXLAN_LOCAL6, inet),
  udpCsum: attr(IFLA_VXLAN_UDP_CSUM, u8),
  udpZeroCsum6Tx: attr(IFLA_VXLAN_UDP_ZERO_CSUM6_TX, u8),
  udpZeroCsum6Rx: attr(IFLA_VXLAN_UDP_ZERO_CSUM6_RX, u8),
  remcsumTx: attr(IFLA_VXLAN_REMCSUM_TX, u8),
  remcsumRx: attr(IFLA_VXLAN_REMCSUM_RX, u8),
  gbp: attr(IFLA_VXLAN_GBP, flag),
  remcsumNopartial: attr(IFLA_VXLAN_REMCSUM_NOPARTIAL, flag),
  collectMetadata: attr(IFLA_VXLAN_COLLECT_METADATA, u8),
  label: attr(IFLA_VXLAN_LABEL, be32),
  gpe: attr(IFLA_VXLAN_GPE, flag),
  ttlInherit: attr(IFLA_VXLAN_TTL_INHERIT, u8),
  df: attr(IFLA_VXLAN_DF, u8),
  vnifilter: attr(IFLA_VXLAN_VNIFILTER, u8),
}, { context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'vxlan'] });

/**
 * vethAttributes describes veth's data, given how its peer (a whole link
 * message) is read: the link description passes its own decoder, which this
 * module cannot import without a cycle.
 *
 * @example
 * const veth = vethAttributes(custom('VETH_INFO_PEER', (d, off, n) => decodePeer(d, off, n)));
 */
export function vethAttributes<Peer>(peer: AttributeType<Peer>): AttributeSet {
  return attributeSet('veth', { peer: attr(VETH_INFO_PEER, peer) }, { context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'veth'] });
}

/**
 * MacvlanInfo is IFLA_INFO_DATA of kind "macvlan" (and "macvtap"): the mode
 * (MACVLAN_MODE_*), the flags (MACVLAN_FLAG_*), the broadcast queue lengths
 * and, in source mode, the allowed source addresses.
 *
 * @example
 * link.linkinfo?.macvlan?.mode === MACVLAN_MODE_BRIDGE;
 */
export interface MacvlanInfo {
  mode?: number;
  flags?: number;
  macaddrCount?: number;
  /** IFLA_MACVLAN_MACADDR_DATA: the source addresses, hex-colon text. */
  macaddrData?: string[];
  bcQueueLen?: number;
  bcQueueLenUsed?: number;
  unknown?: RawAttribute[];
}

/** The macvlan attributes (IFLA_MACVLAN_*). */
export const macvlanAttributes: AttributeSet = attributeSet('macvlan', {
  mode: attr(IFLA_MACVLAN_MODE, u32),
  flags: attr(IFLA_MACVLAN_FLAGS, u16),
  macaddrCount: attr(IFLA_MACVLAN_MACADDR_COUNT, u32),
  // A nest of IFLA_MACVLAN_MACADDR (4) addresses, in order.
  macaddrData: attr(IFLA_MACVLAN_MACADDR_DATA, custom<string[]>('IFLA_MACVLAN_MACADDR_DATA', (d, off, n) => {
    const out: string[] = [];
    for (let at = off; at + 4 <= off + n;) {
      const len = d.readUInt16LE(at);
      if (len < 4 || at + len > off + n) break;
      out.push(hexColonText(d, at + 4, len - 4));
      at += (len + 3) & ~3;
    }
    return out;
  })),
  bcQueueLen: attr(IFLA_MACVLAN_BC_QUEUE_LEN, u32),
  bcQueueLenUsed: attr(IFLA_MACVLAN_BC_QUEUE_LEN_USED, u32),
}, { context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'macvlan'] });

/**
 * VrfInfo is IFLA_INFO_DATA of kind "vrf" (the routing table), and
 * VrfPortInfo IFLA_INFO_SLAVE_DATA of a port of a vrf (the same table).
 *
 * @example
 * link.linkinfo?.vrf?.table; // 10
 */
export interface VrfInfo {
  table?: number;
  unknown?: RawAttribute[];
}

/** VrfPortInfo is IFLA_INFO_SLAVE_DATA of slave kind "vrf". */
export type VrfPortInfo = VrfInfo;

/** The vrf attributes (IFLA_VRF_*). */
export const vrfAttributes: AttributeSet = attributeSet('vrf', {
  table: attr(IFLA_VRF_TABLE, u32),
}, { context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'vrf'] });

/** The vrf port attributes (IFLA_VRF_PORT_*). */
export const vrfPortAttributes: AttributeSet = attributeSet('vrf port', {
  table: attr(IFLA_VRF_PORT_TABLE, u32),
}, { context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'vrf_slave'] });
