/**
 * Links (network devices) without RxJS: RTM_GETLINK dump requests, the
 * RTM_NEWLINK decoder, the match function and `linkSelector`, the per-message
 * step of `links()`. Attribute numbers and flags as in <linux/if_link.h>,
 * <linux/if.h> and <linux/rtnetlink.h>. link.ts re-exports all of it;
 * importing this module alone does not load RxJS.
 */
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NETLINK_ROUTE, NLMSG_HDRLEN, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { familyName, familyNumber, type InetFamily } from './address-decode.js';
import { llAddrText } from '../codec/address-text.js';
import { RTM_GETLINK, RTM_NEWLINK } from './constants.js';
import { decodeInet6AddrGenMode, decodeLinkInfo, decodeStats64, type LinkInfo, type LinkStats64 } from './link-info.js';
import { asDecodeError, rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';

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
  linkinfo?: LinkInfo;
  /** IFLA_AF_SPEC > AF_INET6 > IFLA_INET6_ADDR_GEN_MODE (IN6_ADDR_GEN_MODE_*). */
  inet6AddrGenMode?: number;
  /** Attributes not decoded here (IFLA_XDP, newer kernels' additions …), copied. */
  unknown?: RawAttribute[];
  /** Malformed attributes met while decoding; the rest of the link is still decoded. */
  problems?: NetlinkDecodeError[];
}

/**
 * LinkFilter selects links. `master` and `kind` travel to the kernel (it
 * filters and flags its replies NLM_F_DUMP_FILTERED); `ifindex`, `ifname` and
 * `up` are applied in JS, since link dumps cannot filter on them. `extMask`
 * is IFLA_EXT_MASK (RTEXT_FILTER_*), e.g. to skip statistics.
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
  master?: number;
  kind?: string;
  extMask?: number;
}

/**
 * linkRequest builds the RTM_GETLINK dump request for `filter`: an ifinfomsg
 * with every field zero (strict checking wants it so) and the attributes
 * IFLA_EXT_MASK, IFLA_MASTER, IFLA_LINKINFO > IFLA_INFO_KIND as given.
 *
 * @example
 * dump(linkRequest({ kind: 'bridge' }), { strictCheck: true });
 */
export function linkRequest(filter: LinkFilter = {}): DumpRequest {
  const w = new MessageWriter(64);
  w.struct(IFINFOMSG_SIZE)[0] = familyNumber(filter.family);
  if (filter.extMask !== undefined) w.u32(IFLA_EXT_MASK, filter.extMask);
  if (filter.master !== undefined) w.u32(IFLA_MASTER, filter.master);
  if (filter.kind !== undefined) w.beginNested(IFLA_LINKINFO).string(1, filter.kind).endNested();
  // JS-side filters ride in the payload nowhere: keep them out of the kernel's way.
  return { protocol: NETLINK_ROUTE, type: RTM_GETLINK, payload: Uint8Array.prototype.slice.call(w.bytes()) };
}

/**
 * decodeLinkRequest reads back the kernel-side part of a link dump request
 * (the inverse of `linkRequest` for `family`, `extMask`, `master` and `kind`).
 *
 * @example
 * decodeLinkRequest(linkRequest({ master: 4 }).payload); // { master: 4 }
 */
export function decodeLinkRequest(payload: Uint8Array): LinkFilter {
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const result: LinkFilter = {};
  const family = familyName(data[0]);
  if (family) result.family = family;
  const cursor = new AttributeCursor(data, IFINFOMSG_SIZE, data.length, ['RTM_GETLINK']);
  while (cursor.next()) {
    if (cursor.type === IFLA_EXT_MASK) result.extMask = cursor.u32();
    else if (cursor.type === IFLA_MASTER) result.master = cursor.u32();
    else if (cursor.type === IFLA_LINKINFO) {
      const info = cursor.nested('IFLA_LINKINFO');
      while (info.next()) if (info.type === 1) result.kind = info.string();
    }
  }
  if (cursor.error) throw cursor.error;
  return result;
}

function hexString(data: Buffer, offset: number, length: number): string {
  return data.toString('hex', offset, offset + length);
}

/**
 * decodeLink decodes one RTM_NEWLINK message. A malformed attribute is
 * recorded in `problems` and skipped; only a message too short for its
 * ifinfomsg throws (NetlinkDecodeError).
 *
 * @example
 * dump(linkRequest()).pipe(map(decodeLink));
 */
export function decodeLink(msg: NetlinkMessage): Link {
  const { data, offset } = msg;
  const start = offset + NLMSG_HDRLEN;
  const end = offset + msg.length;
  if (end - start < IFINFOMSG_SIZE) {
    throw new NetlinkDecodeError(`ifinfomsg needs ${IFINFOMSG_SIZE} bytes, message has ${end - start}`, offset, ['RTM_NEWLINK']);
  }
  const type = data.readUInt16LE(start + 2);
  const link: Link = {
    family: data[start],
    type,
    ifindex: data.readInt32LE(start + 4),
    flags: data.readUInt32LE(start + 8),
  };
  // Filled on the way, attached only when not empty.
  const unknown: RawAttribute[] = [];
  const problems: NetlinkDecodeError[] = [];
  // Attributes start after the struct as this kernel defines it; NLMSG_ALIGN(16) is 16.
  const cursor = new AttributeCursor(data, start + IFINFOMSG_SIZE, end, ['RTM_NEWLINK']);
  while (cursor.next()) {
    try {
      switch (cursor.type) {
        case IFLA_IFNAME: link.ifname = cursor.string(); break;
        case IFLA_ADDRESS: link.address = llAddrText(data, cursor.offset, cursor.length, type); break;
        case IFLA_BROADCAST: link.broadcast = llAddrText(data, cursor.offset, cursor.length, type); break;
        case IFLA_PERM_ADDRESS: link.permAddress = llAddrText(data, cursor.offset, cursor.length, type); break;
        case IFLA_MTU: link.mtu = cursor.u32(); break;
        case IFLA_MIN_MTU: link.minMtu = cursor.u32(); break;
        case IFLA_MAX_MTU: link.maxMtu = cursor.u32(); break;
        case IFLA_LINK: link.link = cursor.u32(); break;
        case IFLA_LINK_NETNSID: link.linkNetnsid = cursor.s32(); break;
        case IFLA_QDISC: link.qdisc = cursor.string(); break;
        case IFLA_MASTER: link.master = cursor.u32(); break;
        case IFLA_TXQLEN: link.txqlen = cursor.u32(); break;
        case IFLA_OPERSTATE: link.operstate = cursor.u8(); break;
        case IFLA_LINKMODE: link.linkmode = cursor.u8(); break;
        case IFLA_GROUP: link.group = cursor.u32(); break;
        case IFLA_PROMISCUITY: link.promiscuity = cursor.u32(); break;
        case IFLA_ALLMULTI: link.allmulti = cursor.u32(); break;
        case IFLA_NUM_TX_QUEUES: link.numTxQueues = cursor.u32(); break;
        case IFLA_NUM_RX_QUEUES: link.numRxQueues = cursor.u32(); break;
        case IFLA_CARRIER: link.carrier = cursor.u8(); break;
        case IFLA_CARRIER_CHANGES: link.carrierChanges = cursor.u32(); break;
        case IFLA_CARRIER_UP_COUNT: link.carrierUpCount = cursor.u32(); break;
        case IFLA_CARRIER_DOWN_COUNT: link.carrierDownCount = cursor.u32(); break;
        case IFLA_PROTO_DOWN: link.protoDown = cursor.u8(); break;
        case IFLA_GSO_MAX_SEGS: link.gsoMaxSegs = cursor.u32(); break;
        case IFLA_GSO_MAX_SIZE: link.gsoMaxSize = cursor.u32(); break;
        case IFLA_GRO_MAX_SIZE: link.groMaxSize = cursor.u32(); break;
        case IFLA_TSO_MAX_SIZE: link.tsoMaxSize = cursor.u32(); break;
        case IFLA_TSO_MAX_SEGS: link.tsoMaxSegs = cursor.u32(); break;
        case IFLA_IFALIAS: link.ifalias = cursor.string(); break;
        case IFLA_PHYS_PORT_NAME: link.physPortName = cursor.string(); break;
        case IFLA_PHYS_PORT_ID: link.physPortId = hexString(data, cursor.offset, cursor.length); break;
        case IFLA_PHYS_SWITCH_ID: link.physSwitchId = hexString(data, cursor.offset, cursor.length); break;
        case IFLA_PARENT_DEV_NAME: link.parentDevName = cursor.string(); break;
        case IFLA_PARENT_DEV_BUS_NAME: link.parentDevBusName = cursor.string(); break;
        case IFLA_EVENT: link.event = cursor.u32(); break;
        case IFLA_NUM_VF: link.numVf = cursor.u32(); break;
        case IFLA_STATS64:
          if (cursor.length % 8 !== 0 || cursor.length === 0) cursor.u64(); // throws the size error
          link.stats64 = decodeStats64(data, cursor.offset, cursor.length);
          break;
        case IFLA_LINKINFO: link.linkinfo = decodeLinkInfo(cursor.nested('IFLA_LINKINFO'), problems); break;
        case IFLA_AF_SPEC: {
          const mode = decodeInet6AddrGenMode(cursor.nested('IFLA_AF_SPEC'), problems);
          if (mode !== undefined) link.inet6AddrGenMode = mode;
          // The rest of IFLA_AF_SPEC (per-family conf arrays) is large and kept raw.
          unknown.push(rawAttribute(cursor));
          break;
        }
        case IFLA_PROP_LIST: {
          const names = cursor.nested('IFLA_PROP_LIST');
          link.altnames = [];
          while (names.next()) if (names.type === IFLA_ALT_IFNAME) link.altnames.push(names.string());
          if (names.error) problems.push(names.error);
          break;
        }
        // 32-bit stats duplicate IFLA_STATS64; padding carries nothing.
        case IFLA_STATS: case IFLA_PAD: break;
        default: unknown.push(rawAttribute(cursor));
      }
    } catch (error) {
      problems.push(asDecodeError(error));
    }
  }
  if (cursor.error) problems.push(cursor.error);
  if (unknown.length > 0) link.unknown = unknown;
  if (problems.length > 0) link.problems = problems;
  return link;
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
  if (filter.master !== undefined && (link.master ?? 0) !== filter.master) return false;
  if (filter.kind !== undefined && link.linkinfo?.kind !== filter.kind) return false;
  return true;
}

/** The JS-only part of a filter, for replies the kernel already filtered. */
function jsOnly(filter: LinkFilter): LinkFilter {
  return { ifindex: filter.ifindex, ifname: filter.ifname, up: filter.up };
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
