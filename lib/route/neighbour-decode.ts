/**
 * Neighbours (ARP and NDP caches) without RxJS: the RTM_GETNEIGH dump
 * request, the RTM_NEWNEIGH decoder, the match function and
 * `neighbourSelector`, the per-message step of `neighbors()`. Numbers as in
 * <linux/neighbour.h>. neighbour.ts re-exports all of it; importing this
 * module alone does not load RxJS.
 */
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NETLINK_ROUTE, NLMSG_HDRLEN, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { familyName, familyNumber, type InetFamily } from './address-decode.js';
import { hexColonText, inetText } from '../codec/address-text.js';
import { RTM_GETNEIGH, RTM_NEWNEIGH } from './constants.js';
import { asDecodeError, rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';

/** sizeof(struct ndmsg): family u8, pad1 u8, pad2 u16, ifindex s32, state u16, flags u8, type u8. */
export const NDMSG_SIZE = 12;

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
 * NeighbourCacheInfo is struct nda_cacheinfo: ages in clock ticks
 * (USER_HZ, 100 a second) and the reference count.
 *
 * @example
 * Math.floor(n.cacheinfo!.used / 100); // seconds since last use, as `ip -s neigh` prints
 */
export interface NeighbourCacheInfo {
  confirmed: number;
  used: number;
  updated: number;
  refcnt: number;
}

/**
 * Neighbour is one neighbour-table entry (RTM_NEWNEIGH). `dst` is the
 * protocol address (inet_ntop text), `lladdr` the hardware address.
 *
 * @example
 * neighbors({ family: 'inet' }).subscribe((n) => console.log(n.dst, n.lladdr, n.state));
 */
export interface Neighbour {
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
  cacheinfo?: NeighbourCacheInfo;
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
 * NeighbourFilter selects neighbours. Every field travels to the kernel:
 * the family and NTF_PROXY in the ndmsg, `ifindex` and `master` as
 * NDA_IFINDEX / NDA_MASTER (replies then carry NLM_F_DUMP_FILTERED).
 * `proxy` asks for the proxy table instead of the cache.
 *
 * @example
 * neighbors({ family: 'inet6', ifindex: 3 });
 */
export interface NeighbourFilter {
  family?: InetFamily;
  ifindex?: number;
  master?: number;
  proxy?: boolean;
}

/**
 * neighbourRequest builds the RTM_GETNEIGH dump request. Strict checking
 * wants ndm_ifindex zero: the interface goes in NDA_IFINDEX.
 *
 * @example
 * dump(neighbourRequest({ ifindex: 2 }), { strictCheck: true });
 */
export function neighbourRequest(filter: NeighbourFilter = {}): DumpRequest {
  const w = new MessageWriter(32);
  const ndm = w.struct(NDMSG_SIZE);
  ndm[0] = familyNumber(filter.family);
  if (filter.proxy) ndm[10] = NTF_PROXY;
  if (filter.ifindex !== undefined) w.u32(NDA_IFINDEX, filter.ifindex);
  if (filter.master !== undefined) w.u32(NDA_MASTER, filter.master);
  return { protocol: NETLINK_ROUTE, type: RTM_GETNEIGH, payload: Uint8Array.prototype.slice.call(w.bytes()) };
}

/**
 * decodeNeighbourRequest reads a neighbour dump request back into its filter.
 *
 * @example
 * decodeNeighbourRequest(neighbourRequest({ proxy: true }).payload); // { proxy: true }
 */
export function decodeNeighbourRequest(payload: Uint8Array): NeighbourFilter {
  if (payload.length < NDMSG_SIZE) {
    throw new NetlinkDecodeError(`ndmsg needs ${NDMSG_SIZE} bytes, has ${payload.length}`, 0, ['RTM_GETNEIGH']);
  }
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const result: NeighbourFilter = {};
  const family = familyName(data[0]);
  if (family) result.family = family;
  const cursor = new AttributeCursor(data, NDMSG_SIZE, data.length, ['RTM_GETNEIGH']);
  while (cursor.next()) {
    if (cursor.type === NDA_IFINDEX) result.ifindex = cursor.u32();
    else if (cursor.type === NDA_MASTER) result.master = cursor.u32();
  }
  if (cursor.error) throw cursor.error;
  if (data[10] & NTF_PROXY) result.proxy = true;
  return result;
}

/**
 * decodeNeighbour decodes one RTM_NEWNEIGH message; a malformed attribute is
 * recorded in `problems`, never fatal.
 *
 * @example
 * dump(neighbourRequest()).pipe(map(decodeNeighbour));
 */
export function decodeNeighbour(msg: NetlinkMessage): Neighbour {
  const { data, offset } = msg;
  const start = offset + NLMSG_HDRLEN;
  const end = offset + msg.length;
  if (end - start < NDMSG_SIZE) {
    throw new NetlinkDecodeError(`ndmsg needs ${NDMSG_SIZE} bytes, message has ${end - start}`, offset, ['RTM_NEWNEIGH']);
  }
  const n: Neighbour = {
    family: data[start],
    ifindex: data.readInt32LE(start + 4),
    state: data.readUInt16LE(start + 8),
    flags: data[start + 10],
    type: data[start + 11],
  };
  const cursor = new AttributeCursor(data, start + NDMSG_SIZE, end, ['RTM_NEWNEIGH']);
  while (cursor.next()) {
    try {
      switch (cursor.type) {
        case NDA_DST:
          if (cursor.length !== 4 && cursor.length !== 16) {
            throw new NetlinkDecodeError(`attribute ${NDA_DST}: address needs 4 or 16 bytes, has ${cursor.length}`,
              cursor.offset, cursor.context);
          }
          n.dst = inetText(data, cursor.offset, cursor.length);
          break;
        case NDA_LLADDR: n.lladdr = hexColonText(data, cursor.offset, cursor.length); break;
        case NDA_PROBES: n.probes = cursor.u32(); break;
        case NDA_VLAN: n.vlan = cursor.u16(); break;
        case NDA_MASTER: n.master = cursor.u32(); break;
        case NDA_LINK_NETNSID: n.linkNetnsid = cursor.s32(); break;
        case NDA_PROTOCOL: n.protocol = cursor.u8(); break;
        case NDA_NH_ID: n.nhId = cursor.u32(); break;
        case NDA_FLAGS_EXT: n.flagsExt = cursor.u32(); break;
        case NDA_CACHEINFO:
          if (cursor.length < 16) {
            throw new NetlinkDecodeError(`attribute ${NDA_CACHEINFO}: struct nda_cacheinfo needs 16 bytes, has ${cursor.length}`,
              cursor.offset, cursor.context);
          }
          n.cacheinfo = {
            confirmed: data.readUInt32LE(cursor.offset),
            used: data.readUInt32LE(cursor.offset + 4),
            updated: data.readUInt32LE(cursor.offset + 8),
            refcnt: data.readUInt32LE(cursor.offset + 12),
          };
          break;
        default: (n.unknown ??= []).push(rawAttribute(cursor));
      }
    } catch (error) {
      (n.problems ??= []).push(asDecodeError(error));
    }
  }
  if (cursor.error) (n.problems ??= []).push(cursor.error);
  return n;
}

/**
 * matchNeighbour applies `filter` to a decoded neighbour, as the kernel does.
 *
 * @example
 * matchNeighbour(n, { ifindex: 3 });
 */
export function matchNeighbour(n: Neighbour, filter: NeighbourFilter): boolean {
  if (filter.family !== undefined && n.family !== familyNumber(filter.family)) return false;
  if (filter.ifindex !== undefined && filter.ifindex !== 0 && n.ifindex !== filter.ifindex) return false;
  if (filter.master !== undefined && filter.master !== 0 && n.master !== filter.master) return false;
  return true;
}

/**
 * neighbourSelector returns what `neighbors(filter)` does with each reply
 * message of its dump: the decoded neighbour, or undefined for a message it
 * leaves out — not an RTM_NEWNEIGH, or an entry `filter` does not match. In a
 * reply the kernel flagged NLM_F_DUMP_FILTERED only the family is checked
 * again (the kernel applied the device and master).
 *
 * @example
 * const select = neighbourSelector({ family: 'inet' });
 * for (const msg of batch) {
 *   const n = select(msg);
 *   if (n) console.log(n.dst, n.lladdr);
 * }
 */
export function neighbourSelector(filter: NeighbourFilter = {}): (msg: NetlinkMessage) => Neighbour | undefined {
  const familyOnly: NeighbourFilter = { family: filter.family };
  return (msg) => {
    if (msg.type !== RTM_NEWNEIGH) return undefined;
    const n = decodeNeighbour(msg);
    return matchNeighbour(n, (msg.flags & NLM_F_DUMP_FILTERED) !== 0 ? familyOnly : filter) ? n : undefined;
  };
}
