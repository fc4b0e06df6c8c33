/**
 * The IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA sub-messages of the link kinds
 * described here — bridge, bridge port, vxlan, veth — with their attribute
 * numbers from <linux/if_link.h> and <linux/veth.h>. IFLA_LINKINFO's kind
 * (slave kind) selects which of these its data is (link-info.ts); the data
 * of other kinds stays raw.
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { be16, be32, bool8, custom, flag, inet, u16, u32, u8, type AttributeType } from '../codec/attribute-type.js';
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
export const IFLA_BR_ROOT_ID = 10;
export const IFLA_BR_BRIDGE_ID = 11;
export const IFLA_BR_ROOT_PORT = 12;
export const IFLA_BR_ROOT_PATH_COST = 13;
export const IFLA_BR_PAD = 40;

// enum { IFLA_BRPORT_UNSPEC, IFLA_BRPORT_STATE, IFLA_BRPORT_PRIORITY, IFLA_BRPORT_COST, … }
export const IFLA_BRPORT_STATE = 1;
export const IFLA_BRPORT_PRIORITY = 2;
export const IFLA_BRPORT_COST = 3;
export const IFLA_BRPORT_LEARNING = 8;
export const IFLA_BRPORT_UNICAST_FLOOD = 9;
export const IFLA_BRPORT_ID = 15;
export const IFLA_BRPORT_NO = 16;
export const IFLA_BRPORT_PAD = 26;

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
  /** struct ifla_bridge_id as iproute2 prints it: `8000.ee:e3:11:79:9a:59`. */
  bridgeId?: string;
  rootId?: string;
  rootPort?: number;
  rootPathCost?: number;
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
  learning?: boolean;
  flood?: boolean;
  id?: number;
  no?: number;
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

/** struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; } as iproute2's br_dump_bridge_id(). */
const bridgeId = custom<string>('struct ifla_bridge_id', (d, off) =>
  `${((d[off] << 8) | d[off + 1]).toString(16).padStart(4, '0')}.${hexColonText(d, off + 2, 6)}`, { size: 8 });

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
}, { ignore: [IFLA_BR_PAD], context: ['RTM_NEWLINK', 'IFLA_LINKINFO', 'bridge'] });

/** The bridge port attributes (IFLA_BRPORT_*) typed here. */
export const bridgePortAttributes: AttributeSet = attributeSet('bridge port', {
  state: attr(IFLA_BRPORT_STATE, u8),
  priority: attr(IFLA_BRPORT_PRIORITY, u16),
  cost: attr(IFLA_BRPORT_COST, u32),
  learning: attr(IFLA_BRPORT_LEARNING, bool8),
  flood: attr(IFLA_BRPORT_UNICAST_FLOOD, bool8),
  id: attr(IFLA_BRPORT_ID, u16),
  no: attr(IFLA_BRPORT_NO, u16),
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
