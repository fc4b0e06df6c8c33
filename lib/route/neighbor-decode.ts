/**
 * Neighbors (ARP and NDP caches) without RxJS: the RTM_GETNEIGH dump
 * request, the RTM_NEWNEIGH decoder, the match function and
 * `neighborSelector`, the per-message step of `neighbors()`. Numbers as in
 * <linux/neighbour.h>. neighbor.ts re-exports all of it; importing this
 * module alone does not load RxJS.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { inetBytes } from '../codec/address-text.js';
import { binary, hexColon, inet, s32, structOf, u16, u32, u8 } from '../codec/attribute-type.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import { NetlinkError, type NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { AF_INET, AF_INET6, RTM_GETNEIGH, RTM_NEWNEIGH } from './constants.js';
import { familyName, familyNumber, type InetFamily } from './inet-family.js';
import { parseInetPrefix, prefixMatchesText } from './inet-prefix.js';

/** sizeof(struct ndmsg): family u8, pad1 u8, pad2 u16, ifindex s32, state u16, flags u8, type u8. */
export const NDMSG_SIZE = 12;
/** sizeof(struct nda_cacheinfo). */
export const NDA_CACHEINFO_SIZE = 16;

// enum { NDA_UNSPEC, NDA_DST, … } (<linux/neighbour.h>)
export const NDA_DST = 1;
export const NDA_LLADDR = 2;
export const NDA_CACHEINFO = 3;
export const NDA_PROBES = 4;
export const NDA_VLAN = 5;
export const NDA_PORT = 6;
export const NDA_VNI = 7;
export const NDA_IFINDEX = 8;
export const NDA_MASTER = 9;
export const NDA_LINK_NETNSID = 10;
export const NDA_SRC_VNI = 11;
export const NDA_PROTOCOL = 12;
export const NDA_NH_ID = 13;
export const NDA_FLAGS_EXT = 15;
/** NDA_MASTER's "no master" value in a dump request (neigh_master_filtered: -1 as u32). */
const NDA_MASTER_NONE = 0xffffffff;

/** NDA_FLAGS_EXT bits. */
export const NTF_EXT_MANAGED = 0x1;

// Neighbor Cache Entry States.
export const NUD_NONE = 0x00;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;

// Neighbor Cache Entry Flags (ndm_flags).
export const NTF_USE = 0x01;
export const NTF_SELF = 0x02;
export const NTF_MASTER = 0x04;
export const NTF_PROXY = 0x08;
export const NTF_EXT_LEARNED = 0x10;
export const NTF_OFFLOADED = 0x20;
export const NTF_STICKY = 0x40;
export const NTF_ROUTER = 0x80;

/**
 * NeighborCacheInfo is struct nda_cacheinfo: ages in clock ticks
 * (USER_HZ, 100 a second) and the reference count.
 *
 * @example
 * Math.floor(n.cacheinfo!.used / 100); // seconds since last use, as `ip -s neigh` prints
 */
export interface NeighborCacheInfo {
  confirmed: number;
  used: number;
  updated: number;
  refcnt: number;
}

/**
 * Neighbor is one neighbor table entry (RTM_NEWNEIGH). `dst` is the
 * protocol address (inet_ntop text), `lladdr` the hardware address.
 *
 * @example
 * neighbors({ family: 'inet' }).subscribe((n) => console.log(n.dst, n.lladdr, n.state));
 */
export interface Neighbor {
  /** AF_INET, AF_INET6, AF_BRIDGE (fdb) … */
  family: number;
  ifindex: number;
  /** NUD_* bits. */
  state: number;
  /** NTF_* bits. */
  flags: number;
  /** ndm_type: RTN_* of the address (unicast, multicast …). */
  type: number;
  dst?: string;
  lladdr?: string;
  cacheinfo?: NeighborCacheInfo;
  probes?: number;
  vlan?: number;
  master?: number;
  linkNetnsid?: number;
  protocol?: number;
  nhId?: number;
  flagsExt?: number;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/**
 * NeighborFilter selects neighbors. The family and NTF_PROXY travel in the
 * ndmsg, `ifindex` and `master` (or `noMaster`) as NDA_IFINDEX /
 * NDA_MASTER (replies then carry NLM_F_DUMP_FILTERED). `proxy` asks for the
 * proxy table instead of the cache. `dst` and `protocol`, which the kernel
 * does not filter in a dump, are applied in JavaScript, as `ip neigh show`
 * applies them.
 *
 * @example
 * neighbors({ family: 'inet6', ifindex: 3 });
 * neighbors({ dst: '10.1.0.0/24' });
 */
export interface NeighborFilter {
  family?: InetFamily;
  ifindex?: number;
  master?: number;
  /** Entries of devices without a master (NDA_MASTER -1); the kernel's alone. */
  noMaster?: boolean;
  proxy?: boolean;
  /** `to PREFIX`: entries whose NDA_DST lies within this prefix ("10.1.0.0/24", "2001:db8::/64", "all"). */
  dst?: string;
  /** NDA_PROTOCOL, who installed the entry (RTPROT_*; 0 when absent). */
  protocol?: number;
}

/**
 * neighborRequest builds the RTM_GETNEIGH dump request. Strict checking
 * wants ndm_ifindex zero: the interface goes in NDA_IFINDEX.
 *
 * @example
 * dump(neighborRequest({ ifindex: 2 }), { strictCheck: true });
 */
export function neighborRequest(filter: NeighborFilter = {}): DumpRequest {
  const payload = neighborDumpMessage.encode(
    { family: familyNumber(filter.family), flags: filter.proxy ? NTF_PROXY : undefined },
    { device: filter.ifindex, master: filter.noMaster ? NDA_MASTER_NONE : filter.master });
  return { protocol: NETLINK_ROUTE, type: RTM_GETNEIGH, payload };
}

/**
 * decodeNeighborRequest reads a neighbor dump request back into its filter.
 *
 * @example
 * decodeNeighborRequest(neighborRequest({ proxy: true }).payload); // { proxy: true }
 */
export function decodeNeighborRequest(payload: Uint8Array): NeighborFilter {
  const request = neighborDumpMessage.decodePayload(payload);
  if (request.problems) throw request.problems[0];
  const result: NeighborFilter = {};
  const family = familyName(request.family);
  if (family) result.family = family;
  if (request.device !== undefined) result.ifindex = request.device;
  if (request.master === NDA_MASTER_NONE) result.noMaster = true;
  else if (request.master !== undefined) result.master = request.master;
  if (request.flags & NTF_PROXY) result.proxy = true;
  return result;
}

/** struct ndmsg (<linux/neighbour.h>); ndm_pad1 and ndm_pad2 are padding. */
const ndmsg = struct('struct ndmsg', NDMSG_SIZE, {
  family: [0, u8],
  ifindex: [4, s32],
  state: [8, u16],
  flags: [10, u8],
  type: [11, u8],
});

/** struct nda_cacheinfo. */
const cacheinfo = structOf<NeighborCacheInfo>(struct('struct nda_cacheinfo', NDA_CACHEINFO_SIZE, {
  confirmed: [0, u32],
  used: [4, u32],
  updated: [8, u32],
  refcnt: [12, u32],
}));

/**
 * The NDA_* attributes of a neighbor table entry. NDA_DST is an IPv4 or IPv6
 * address (4 or 16 bytes); NDA_PORT, NDA_VNI, NDA_IFINDEX and NDA_SRC_VNI
 * (VXLAN fdb entries) are kept raw in `unknown`.
 */
const neighborAttributes = attributeSet('neighbor', {
  dst: attr(NDA_DST, inet),
  lladdr: attr(NDA_LLADDR, hexColon),
  cacheinfo: attr(NDA_CACHEINFO, cacheinfo),
  probes: attr(NDA_PROBES, u32),
  vlan: attr(NDA_VLAN, u16),
  master: attr(NDA_MASTER, u32),
  linkNetnsid: attr(NDA_LINK_NETNSID, s32),
  protocol: attr(NDA_PROTOCOL, u8),
  nhId: attr(NDA_NH_ID, u32),
  flagsExt: attr(NDA_FLAGS_EXT, u32),
}, { context: ['RTM_NEWNEIGH'] });

/**
 * neighborMessage is RTM_NEWNEIGH described: struct ndmsg and the NDA_*
 * attributes. Its `decode` is `decodeNeighbor`.
 *
 * @example
 * const n = neighborMessage.decode(msg);
 */
export const neighborMessage: MessageDescription<Neighbor> = describeMessage<Neighbor>('RTM_NEWNEIGH', ndmsg, neighborAttributes);

/** What a strictly checked RTM_GETNEIGH dump request may carry: struct ndmsg, NDA_IFINDEX and NDA_MASTER. */
interface NeighborDumpRequest {
  family: number; flags: number; device?: number; master?: number; problems?: NetlinkDecodeError[];
}

const neighborDumpMessage = describeMessage<NeighborDumpRequest>('RTM_GETNEIGH', ndmsg, attributeSet('neighbor request', {
  device: attr(NDA_IFINDEX, u32),
  master: attr(NDA_MASTER, u32),
}, { context: ['RTM_GETNEIGH'] }));

/**
 * NeighborKey names one neighbour entry: its address on a device (or a
 * proxy entry), what `ip neigh get` looks up.
 *
 * @example
 * const key: NeighborKey = { dst: '10.1.0.2', ifindex: 2 };
 */
export interface NeighborKey {
  /** The entry's IPv4 or IPv6 address (NDA_DST). */
  dst: string;
  /** The device, in ndm_ifindex. */
  ifindex: number;
  /** The proxy entry of that address rather than the cache's (NTF_PROXY). */
  proxy?: boolean;
}

/** What a strictly checked RTM_GETNEIGH "do" request may carry: struct ndmsg and NDA_DST. */
interface NeighborGetRequest {
  family: number; ifindex: number; flags: number; dst?: Uint8Array; problems?: NetlinkDecodeError[];
}

const neighborGetMessage = describeMessage<NeighborGetRequest>('RTM_GETNEIGH', ndmsg, attributeSet('neighbor get', {
  dst: attr(NDA_DST, binary),
}, { context: ['RTM_GETNEIGH'] }));

/**
 * neighborGetRequest builds the RTM_GETNEIGH "do" request for one entry:
 * the family of its address, the device and NTF_PROXY in struct ndmsg, the
 * address in NDA_DST. The kernel answers with the entry, or ENOENT ("Neighbour
 * entry not found"). An address that is neither IPv4 nor IPv6 throws a
 * NetlinkError (EINVAL) here, before anything is sent.
 *
 * @example
 * dump(neighborGetRequest({ dst: '10.1.0.2', ifindex: 2 }), { strictCheck: true });
 */
export function neighborGetRequest(key: NeighborKey): DumpRequest {
  const dst = inetBytes(key.dst);
  if (dst === undefined) throw new NetlinkError(`"${key.dst}" is not an IPv4 or IPv6 address`, 22, 'EINVAL');
  const payload = neighborGetMessage.encode(
    { family: dst.length === 4 ? AF_INET : AF_INET6, ifindex: key.ifindex, flags: key.proxy ? NTF_PROXY : 0 },
    { dst });
  return { protocol: NETLINK_ROUTE, type: RTM_GETNEIGH, payload, dump: false };
}

/**
 * decodeNeighbor decodes one RTM_NEWNEIGH (or RTM_DELNEIGH) message. A
 * malformed attribute is recorded in `problems` and skipped; unknown ones are
 * kept in `unknown`. Only a message shorter than struct ndmsg throws
 * (`NetlinkDecodeError`): it cannot be a neighbor.
 *
 * @example
 * dump(neighborRequest()).pipe(map(decodeNeighbor));
 */
export function decodeNeighbor(msg: NetlinkMessage): Neighbor {
  return neighborMessage.decode(msg);
}

/** The JavaScript-only part of a filter, its prefix parsed once (an unreadable one selects nothing). */
function ownMatch(filter: NeighborFilter): (n: Neighbor) => boolean {
  const dst = filter.dst === undefined ? undefined : parseInetPrefix(filter.dst, familyNumber(filter.family)) ?? null;
  const protocol = filter.protocol;
  return (n) => dst !== null && (dst === undefined || prefixMatchesText(dst, n.dst)) &&
    (protocol === undefined || (n.protocol ?? 0) === protocol);
}

/** The kernel's part of a filter, as the kernel applies it (a master the entry does not carry is the kernel's alone). */
function kernelMatch(n: Neighbor, filter: NeighborFilter): boolean {
  if (filter.family !== undefined && n.family !== familyNumber(filter.family)) return false;
  if (filter.ifindex !== undefined && filter.ifindex !== 0 && n.ifindex !== filter.ifindex) return false;
  if (filter.master !== undefined && filter.master !== 0 && n.master !== filter.master) return false;
  return true;
}

/**
 * matchNeighbor applies `filter` to a decoded neighbor, as the kernel and
 * `ip neigh show` do.
 *
 * @example
 * matchNeighbor(n, { ifindex: 3 });
 */
export function matchNeighbor(n: Neighbor, filter: NeighborFilter): boolean {
  return kernelMatch(n, filter) && ownMatch(filter)(n);
}

/**
 * neighborSelector returns what `neighbors(filter)` does with each reply
 * message of its dump: the decoded neighbor, or undefined for a message it
 * leaves out — not an RTM_NEWNEIGH, or an entry `filter` does not match. In a
 * reply the kernel flagged NLM_F_DUMP_FILTERED only the family (and the
 * JavaScript-only `dst` and `protocol`) are checked again: the kernel
 * applied the device and master.
 *
 * @example
 * const select = neighborSelector({ family: 'inet' });
 * for (const msg of batch) {
 *   const n = select(msg);
 *   if (n) console.log(n.dst, n.lladdr);
 * }
 */
export function neighborSelector(filter: NeighborFilter = {}): (msg: NetlinkMessage) => Neighbor | undefined {
  const familyOnly: NeighborFilter = { family: filter.family };
  const own = ownMatch(filter);
  return (msg) => {
    if (msg.type !== RTM_NEWNEIGH) return undefined;
    const n = decodeNeighbor(msg);
    return kernelMatch(n, (msg.flags & NLM_F_DUMP_FILTERED) !== 0 ? familyOnly : filter) && own(n) ? n : undefined;
  };
}
