/**
 * Links (network devices) without RxJS: RTM_NEWLINK described (struct
 * ifinfomsg + IFLA_*; the nested parts in link-info.ts and link-kinds.ts),
 * from which the decoder and the RTM_GETLINK dump request follow, the match
 * function and `linkSelector`, the per-message step of `links()`. Attribute
 * numbers and flags as in <linux/if_link.h>, <linux/if.h> and
 * <linux/rtnetlink.h>. link.ts re-exports all of it; importing this module
 * alone does not load RxJS.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { custom, hex, linkAddress, nested, s32, string, u16, u32, u8 } from '../codec/attribute-type.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { familyName, familyNumber, type InetFamily } from './address-decode.js';
import { RTM_GETLINK, RTM_NEWLINK } from './constants.js';
import {
  afSpecAttributes, IFLA_INFO_KIND, linkInfoAttributes, rtnlLinkStats64, type LinkInfo, type LinkStats64,
} from './link-info.js';

/** sizeof(struct ifinfomsg): family u8, pad u8, type u16, index s32, flags u32, change u32. */
export const IFINFOMSG_SIZE = 16;

// enum { IFLA_UNSPEC, IFLA_ADDRESS, … } (<linux/if_link.h>)
export const IFLA_ADDRESS = 1;
export const IFLA_BROADCAST = 2;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_QDISC = 6;
export const IFLA_STATS = 7;
export const IFLA_MASTER = 10;
export const IFLA_TXQLEN = 13;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKMODE = 17;
export const IFLA_LINKINFO = 18;
export const IFLA_IFALIAS = 20;
export const IFLA_NUM_VF = 21;
export const IFLA_STATS64 = 23;
export const IFLA_AF_SPEC = 26;
export const IFLA_GROUP = 27;
export const IFLA_EXT_MASK = 29;
export const IFLA_PROMISCUITY = 30;
export const IFLA_NUM_TX_QUEUES = 31;
export const IFLA_NUM_RX_QUEUES = 32;
export const IFLA_CARRIER = 33;
export const IFLA_PHYS_PORT_ID = 34;
export const IFLA_CARRIER_CHANGES = 35;
export const IFLA_PHYS_SWITCH_ID = 36;
export const IFLA_LINK_NETNSID = 37;
export const IFLA_PHYS_PORT_NAME = 38;
export const IFLA_PROTO_DOWN = 39;
export const IFLA_GSO_MAX_SEGS = 40;
export const IFLA_GSO_MAX_SIZE = 41;
export const IFLA_PAD = 42;
export const IFLA_XDP = 43;
export const IFLA_EVENT = 44;
export const IFLA_CARRIER_UP_COUNT = 47;
export const IFLA_CARRIER_DOWN_COUNT = 48;
export const IFLA_MIN_MTU = 50;
export const IFLA_MAX_MTU = 51;
export const IFLA_PROP_LIST = 52;
export const IFLA_ALT_IFNAME = 53;
export const IFLA_PERM_ADDRESS = 54;
export const IFLA_PARENT_DEV_NAME = 56;
export const IFLA_PARENT_DEV_BUS_NAME = 57;
export const IFLA_GRO_MAX_SIZE = 58;
export const IFLA_TSO_MAX_SIZE = 59;
export const IFLA_TSO_MAX_SEGS = 60;
export const IFLA_ALLMULTI = 61;

/** IFLA_EXT_MASK bits (<linux/rtnetlink.h>): RTEXT_FILTER_VF, RTEXT_FILTER_SKIP_STATS … */
export const RTEXT_FILTER_VF = 1 << 0;
export const RTEXT_FILTER_BRVLAN = 1 << 1;
export const RTEXT_FILTER_SKIP_STATS = 1 << 3;

// enum net_device_flags (<linux/if.h>)
export const IFF_UP = 1 << 0;
export const IFF_BROADCAST = 1 << 1;
export const IFF_DEBUG = 1 << 2;
export const IFF_LOOPBACK = 1 << 3;
export const IFF_POINTOPOINT = 1 << 4;
export const IFF_NOTRAILERS = 1 << 5;
export const IFF_RUNNING = 1 << 6;
export const IFF_NOARP = 1 << 7;
export const IFF_PROMISC = 1 << 8;
export const IFF_ALLMULTI = 1 << 9;
export const IFF_MASTER = 1 << 10;
export const IFF_SLAVE = 1 << 11;
export const IFF_MULTICAST = 1 << 12;
export const IFF_PORTSEL = 1 << 13;
export const IFF_AUTOMEDIA = 1 << 14;
export const IFF_DYNAMIC = 1 << 15;
export const IFF_LOWER_UP = 1 << 16;
export const IFF_DORMANT = 1 << 17;
export const IFF_ECHO = 1 << 18;

// ARPHRD_* (<linux/if_arp.h>) most often met.
export const ARPHRD_ETHER = 1;
export const ARPHRD_LOOPBACK = 772;
export const ARPHRD_NONE = 0xfffe;

/** IF_OPER_* (RFC 2863 operational states, <linux/if.h>). */
export const IF_OPER_UNKNOWN = 0;
export const IF_OPER_DOWN = 2;
export const IF_OPER_UP = 6;

/**
 * Link is one network device as RTM_NEWLINK describes it. Optional fields are
 * absent when the kernel did not send the attribute. Hardware addresses are
 * in iproute2's text form.
 *
 * @example
 * links({}, { netns: 'blue' }).subscribe((link) => console.log(link.ifindex, link.ifname, link.operstate));
 */
export interface Link {
  /** ifi_family: AF_UNSPEC for ordinary dumps. */
  family: number;
  /** ifi_type: ARPHRD_* (1 ether, 772 loopback …). */
  type: number;
  /** ifi_index. */
  ifindex: number;
  /** ifi_flags: IFF_* bits. */
  flags: number;
  ifname?: string;
  address?: string;
  broadcast?: string;
  permAddress?: string;
  mtu?: number;
  minMtu?: number;
  maxMtu?: number;
  /** IFLA_LINK: ifindex of the lower/peer device (in `linkNetnsid`'s namespace when that is set). */
  link?: number;
  linkNetnsid?: number;
  qdisc?: string;
  master?: number;
  txqlen?: number;
  /** IF_OPER_*: 0 UNKNOWN … 6 UP. */
  operstate?: number;
  /** IF_LINK_MODE_*: 0 DEFAULT, 1 DORMANT. */
  linkmode?: number;
  group?: number;
  promiscuity?: number;
  allmulti?: number;
  numTxQueues?: number;
  numRxQueues?: number;
  carrier?: number;
  carrierChanges?: number;
  carrierUpCount?: number;
  carrierDownCount?: number;
  protoDown?: number;
  gsoMaxSegs?: number;
  gsoMaxSize?: number;
  groMaxSize?: number;
  tsoMaxSize?: number;
  tsoMaxSegs?: number;
  ifalias?: string;
  physPortName?: string;
  /** Hex string, as iproute2's hexstring_n2a(). */
  physPortId?: string;
  physSwitchId?: string;
  parentDevName?: string;
  parentDevBusName?: string;
  event?: number;
  numVf?: number;
  /** IFLA_PROP_LIST > IFLA_ALT_IFNAME, in order. */
  altnames?: string[];
  stats64?: LinkStats64;
  linkinfo?: LinkInfo<Link>;
  /** IFLA_AF_SPEC > AF_INET6 > IFLA_INET6_ADDR_GEN_MODE (IN6_ADDR_GEN_MODE_*). */
  inet6AddrGenMode?: number;
  /** Attributes not decoded here (IFLA_XDP, newer kernels' additions …), copied. */
  unknown?: RawAttribute[];
  /** Malformed attributes met while decoding; the rest of the link is still decoded. */
  problems?: NetlinkDecodeError[];
}

/**
 * LinkFilter selects links. `master` (-1: links without a master) and `kind`
 * travel to the kernel (it filters and flags its replies
 * NLM_F_DUMP_FILTERED); `ifindex`, `ifname`, `up` and `group` are applied in
 * JS, since link dumps cannot filter on them. `extMask` is IFLA_EXT_MASK
 * (RTEXT_FILTER_*), e.g. to skip statistics.
 *
 * @example
 * links({ kind: 'veth', up: true });
 */
export interface LinkFilter {
  /**
   * ifi_family of the request: 'inet6' asks IPv6's own link dump (the
   * kernel then sends IPv6-specific link attributes: no qdisc, no group),
   * as `ip -6 address` does.
   */
  family?: InetFamily;
  ifindex?: number;
  ifname?: string;
  up?: boolean;
  /** The master's ifindex, or -1 for links that have none (`ip link show nomaster`). */
  master?: number;
  kind?: string;
  /** IFLA_GROUP, the device group (`ip link show group G`). */
  group?: number;
  extMask?: number;
}

/** struct ifinfomsg (<linux/rtnetlink.h>): family u8, pad u8, type u16, index s32, flags u32, change u32. */
export const ifinfomsg = struct('struct ifinfomsg', IFINFOMSG_SIZE, {
  family: [0, u8],
  type: [2, u16],
  ifindex: [4, s32],
  flags: [8, u32],
});

/** VETH_INFO_PEER: the peer as a whole link message (struct ifinfomsg + IFLA_*), read by this very description. */
const vethPeer = custom<Link>('VETH_INFO_PEER', (d, off, n) => linkMessage.decodePayload(d.subarray(off, off + n)));

const lladdr = linkAddress('type');

/** The IFLA_* attributes of a link. IFLA_STATS duplicates IFLA_STATS64; padding carries nothing. */
const linkAttributes = attributeSet('IFLA', {
  ifname: attr(IFLA_IFNAME, string),
  address: attr(IFLA_ADDRESS, lladdr),
  broadcast: attr(IFLA_BROADCAST, lladdr),
  permAddress: attr(IFLA_PERM_ADDRESS, lladdr),
  mtu: attr(IFLA_MTU, u32),
  minMtu: attr(IFLA_MIN_MTU, u32),
  maxMtu: attr(IFLA_MAX_MTU, u32),
  link: attr(IFLA_LINK, u32),
  linkNetnsid: attr(IFLA_LINK_NETNSID, s32),
  qdisc: attr(IFLA_QDISC, string),
  master: attr(IFLA_MASTER, u32),
  txqlen: attr(IFLA_TXQLEN, u32),
  operstate: attr(IFLA_OPERSTATE, u8),
  linkmode: attr(IFLA_LINKMODE, u8),
  group: attr(IFLA_GROUP, u32),
  promiscuity: attr(IFLA_PROMISCUITY, u32),
  allmulti: attr(IFLA_ALLMULTI, u32),
  numTxQueues: attr(IFLA_NUM_TX_QUEUES, u32),
  numRxQueues: attr(IFLA_NUM_RX_QUEUES, u32),
  carrier: attr(IFLA_CARRIER, u8),
  carrierChanges: attr(IFLA_CARRIER_CHANGES, u32),
  carrierUpCount: attr(IFLA_CARRIER_UP_COUNT, u32),
  carrierDownCount: attr(IFLA_CARRIER_DOWN_COUNT, u32),
  protoDown: attr(IFLA_PROTO_DOWN, u8),
  gsoMaxSegs: attr(IFLA_GSO_MAX_SEGS, u32),
  gsoMaxSize: attr(IFLA_GSO_MAX_SIZE, u32),
  groMaxSize: attr(IFLA_GRO_MAX_SIZE, u32),
  tsoMaxSize: attr(IFLA_TSO_MAX_SIZE, u32),
  tsoMaxSegs: attr(IFLA_TSO_MAX_SEGS, u32),
  ifalias: attr(IFLA_IFALIAS, string),
  physPortName: attr(IFLA_PHYS_PORT_NAME, string),
  physPortId: attr(IFLA_PHYS_PORT_ID, hex),
  physSwitchId: attr(IFLA_PHYS_SWITCH_ID, hex),
  parentDevName: attr(IFLA_PARENT_DEV_NAME, string),
  parentDevBusName: attr(IFLA_PARENT_DEV_BUS_NAME, string),
  event: attr(IFLA_EVENT, u32),
  numVf: attr(IFLA_NUM_VF, u32),
  stats64: attr(IFLA_STATS64, rtnlLinkStats64),
  linkinfo: attr(IFLA_LINKINFO, nested(linkInfoAttributes(vethPeer))),
  // The rest of IFLA_AF_SPEC (per-family conf arrays) is large: kept raw, not typed.
  inet6AddrGenMode: attr(IFLA_AF_SPEC, nested(afSpecAttributes, 'inet6.addrGenMode'), { alsoRaw: true }),
  altnames: attr(IFLA_PROP_LIST, nested(attributeSet('IFLA_PROP_LIST', {
    altnames: attr(IFLA_ALT_IFNAME, string, { multi: true }),
  }, { unknown: 'drop', context: ['RTM_NEWLINK', 'IFLA_PROP_LIST'] }), 'altnames')),
}, { ignore: [IFLA_STATS, IFLA_PAD], context: ['RTM_NEWLINK'] });

/**
 * linkMessage is RTM_NEWLINK described: struct ifinfomsg and the IFLA_*
 * attributes. Its `decode` is `decodeLink`.
 *
 * @example
 * const link = linkMessage.decode(msg);
 */
export const linkMessage: MessageDescription<Link> = describeMessage<Link>('RTM_NEWLINK', ifinfomsg, linkAttributes);

/** A link's index, flags and name alone: what name tables and the flush detector read, without the rest. */
export interface LinkName {
  family: number;
  type: number;
  ifindex: number;
  flags: number;
  ifname?: string;
}

/**
 * linkNameMessage is RTM_NEWLINK read for struct ifinfomsg and IFLA_IFNAME
 * only (every other attribute is skipped, not copied): for callers that need
 * names, not links.
 *
 * @example
 * const { ifindex, ifname } = linkNameMessage.decode(msg);
 */
export const linkNameMessage: MessageDescription<LinkName> = describeMessage<LinkName>('RTM_NEWLINK', ifinfomsg,
  attributeSet('IFLA names', { ifname: attr(IFLA_IFNAME, string) }, { unknown: 'drop', context: ['RTM_NEWLINK'] }));

/** What a strictly checked RTM_GETLINK dump request may carry. */
interface LinkDumpRequest {
  family: number;
  extMask?: number;
  master?: number;
  linkinfo?: { kind?: string };
  problems?: NetlinkDecodeError[];
}

const linkDumpMessage = describeMessage<LinkDumpRequest>('RTM_GETLINK', ifinfomsg, attributeSet('link request', {
  extMask: attr(IFLA_EXT_MASK, u32),
  master: attr(IFLA_MASTER, u32),
  linkinfo: attr(IFLA_LINKINFO, nested(attributeSet('IFLA_LINKINFO', { kind: attr(IFLA_INFO_KIND, string) }))),
}));

/**
 * linkRequest builds the RTM_GETLINK dump request for `filter`: an ifinfomsg
 * with every field zero (strict checking wants it so) but the family, and the
 * attributes IFLA_EXT_MASK, IFLA_MASTER, IFLA_LINKINFO > IFLA_INFO_KIND as
 * given. JS-side filters (`ifindex`, `ifname`, `up`) stay out of the request.
 *
 * @example
 * dump(linkRequest({ kind: 'bridge' }), { strictCheck: true });
 */
export function linkRequest(filter: LinkFilter = {}): DumpRequest {
  const payload = linkDumpMessage.encode({ family: familyNumber(filter.family) }, {
    extMask: filter.extMask,
    // The kernel reads IFLA_MASTER -1 (as u32) as "no master" (link_master_filtered()).
    master: filter.master === -1 ? 0xffffffff : filter.master,
    linkinfo: filter.kind === undefined ? undefined : { kind: filter.kind },
  });
  return { protocol: NETLINK_ROUTE, type: RTM_GETLINK, payload };
}

/**
 * decodeLinkRequest reads back the kernel-side part of a link dump request
 * (the inverse of `linkRequest` for `family`, `extMask`, `master` and `kind`).
 *
 * @example
 * decodeLinkRequest(linkRequest({ master: 4 }).payload); // { master: 4 }
 */
export function decodeLinkRequest(payload: Uint8Array): LinkFilter {
  const request = linkDumpMessage.decodePayload(payload);
  if (request.problems) throw request.problems[0];
  const result: LinkFilter = {};
  const family = familyName(request.family);
  if (family) result.family = family;
  if (request.extMask !== undefined) result.extMask = request.extMask;
  if (request.master !== undefined) result.master = request.master === 0xffffffff ? -1 : request.master;
  if (request.linkinfo?.kind !== undefined) result.kind = request.linkinfo.kind;
  return result;
}

/**
 * decodeLink decodes one RTM_NEWLINK (or RTM_DELLINK) message. A malformed
 * attribute is recorded in `problems` and skipped; unknown ones are kept in
 * `unknown`. Only a message too short for its ifinfomsg throws
 * (NetlinkDecodeError): it cannot be a link.
 *
 * @example
 * dump(linkRequest()).pipe(map(decodeLink));
 */
export function decodeLink(msg: NetlinkMessage): Link {
  return linkMessage.decode(msg);
}

/**
 * matchLink applies every field of `filter` to a decoded link, the way the
 * kernel applies `master` and `kind` when it filters.
 *
 * @example
 * matchLink(link, { up: true }); // true when IFF_UP is set
 */
export function matchLink(link: Link, filter: LinkFilter): boolean {
  if (filter.ifindex !== undefined && link.ifindex !== filter.ifindex) return false;
  if (filter.ifname !== undefined && link.ifname !== filter.ifname) return false;
  if (filter.up && (link.flags & IFF_UP) === 0) return false;
  if (filter.master !== undefined && (link.master ?? 0) !== (filter.master === -1 ? 0 : filter.master)) return false;
  if (filter.kind !== undefined && link.linkinfo?.kind !== filter.kind) return false;
  if (filter.group !== undefined && link.group !== undefined && link.group !== filter.group) return false;
  return true;
}

/** The JS-only part of a filter, for replies the kernel already filtered. */
function jsOnly(filter: LinkFilter): LinkFilter {
  return { ifindex: filter.ifindex, ifname: filter.ifname, up: filter.up, group: filter.group };
}

/**
 * linkSelector returns what `links(filter)` does with each reply message of
 * its dump: the decoded link, or undefined for a message it leaves out — not
 * an RTM_NEWLINK, or a link `filter` does not match. Replies the kernel
 * flagged NLM_F_DUMP_FILTERED are checked only on the JS-side fields
 * (`ifindex`, `ifname`, `up`), others on the whole filter.
 *
 * @example
 * const select = linkSelector({ kind: 'veth' });
 * for (const msg of batch) {
 *   const link = select(msg);
 *   if (link) console.log(link.ifname);
 * }
 */
export function linkSelector(filter: LinkFilter = {}): (msg: NetlinkMessage) => Link | undefined {
  const rest = jsOnly(filter);
  return (msg) => {
    if (msg.type !== RTM_NEWLINK) return undefined;
    const link = decodeLink(msg);
    return matchLink(link, (msg.flags & NLM_F_DUMP_FILTERED) !== 0 ? rest : filter) ? link : undefined;
  };
}
