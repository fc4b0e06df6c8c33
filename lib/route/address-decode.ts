/**
 * Interface addresses without RxJS: the RTM_GETADDR dump request, the
 * RTM_NEWADDR decoder, the match function and `addressSelector`, the per-message
 * step of `addresses()`. Attribute numbers and flags as in <linux/if_addr.h>.
 * address.ts re-exports all of it; importing this module alone does not load
 * RxJS (a CLI start-up pays ~60 ms for that).
 */
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NETLINK_ROUTE, NLMSG_HDRLEN, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { inetText } from '../codec/address-text.js';
import { AF_INET, AF_INET6, AF_UNSPEC, RTM_GETADDR, RTM_NEWADDR } from './constants.js';
import { asDecodeError, rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';

/** sizeof(struct ifaddrmsg): family u8, prefixlen u8, flags u8, scope u8, index u32. */
export const IFADDRMSG_SIZE = 8;

// enum { IFA_UNSPEC, IFA_ADDRESS, … } (<linux/if_addr.h>)
export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFA_ANYCAST = 5;
export const IFA_CACHEINFO = 6;
export const IFA_MULTICAST = 7;
export const IFA_FLAGS = 8;
export const IFA_RT_PRIORITY = 9;
export const IFA_TARGET_NETNSID = 10;
export const IFA_PROTO = 11;

// ifa_flags
export const IFA_F_SECONDARY = 0x01;
export const IFA_F_TEMPORARY = IFA_F_SECONDARY;
export const IFA_F_NODAD = 0x02;
export const IFA_F_OPTIMISTIC = 0x04;
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_HOMEADDRESS = 0x10;
export const IFA_F_DEPRECATED = 0x20;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_PERMANENT = 0x80;
export const IFA_F_MANAGETEMPADDR = 0x100;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const IFA_F_MCAUTOJOIN = 0x400;
export const IFA_F_STABLE_PRIVACY = 0x800;

/** `#define INFINITY_LIFE_TIME 0xFFFFFFFFU`: a lifetime that never runs out. */
export const INFINITY_LIFE_TIME = 0xffffffff;

/** The address families an address filter names, as iproute2 spells them. */
export type InetFamily = 'inet' | 'inet6';

/**
 * AddressCacheInfo is struct ifa_cacheinfo: lifetimes in seconds (INFINITY_LIFE_TIME
 * for forever) and creation/update stamps in hundredths of a second since boot.
 *
 * @example
 * addr.cacheinfo?.valid === INFINITY_LIFE_TIME; // "forever"
 */
export interface AddressCacheInfo {
  preferred: number;
  valid: number;
  cstamp: number;
  tstamp: number;
}

/**
 * Address is one interface address as RTM_NEWADDR describes it. `local` is
 * the interface's own address; `address` differs from it only on
 * point-to-point links (the peer). Addresses are in inet_ntop text form.
 *
 * @example
 * addresses({ family: 'inet6' }).subscribe((a) => console.log(a.ifindex, a.local, a.prefixlen));
 */
export interface Address {
  /** AF_INET (2) or AF_INET6 (10). */
  family: number;
  prefixlen: number;
  /** IFA_FLAGS when present (32 bits), else ifa_flags: IFA_F_* bits. */
  flags: number;
  /** RT_SCOPE_*: 0 global, 200 site, 253 link, 254 host, 255 nowhere. */
  scope: number;
  /** ifa_index: the interface. */
  ifindex: number;
  address?: string;
  local?: string;
  label?: string;
  broadcast?: string;
  anycast?: string;
  multicast?: string;
  cacheinfo?: AddressCacheInfo;
  /** IFA_RT_PRIORITY: metric of the prefix route. */
  metric?: number;
  /** IFA_PROTO: who added the address (IFAPROT_*). */
  proto?: number;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/**
 * AddressFilter selects addresses; both fields travel to the kernel in the
 * ifaddrmsg (the kernel flags filtered replies NLM_F_DUMP_FILTERED).
 *
 * @example
 * addresses({ family: 'inet', ifindex: 3 });
 */
export interface AddressFilter {
  family?: InetFamily;
  ifindex?: number;
}

/**
 * familyNumber maps 'inet' / 'inet6' to AF_INET / AF_INET6, and no family to AF_UNSPEC.
 *
 * @example
 * familyNumber('inet6'); // 10
 */
export function familyNumber(family: InetFamily | undefined): number {
  return family === 'inet' ? AF_INET : family === 'inet6' ? AF_INET6 : AF_UNSPEC;
}

/**
 * familyName maps AF_INET / AF_INET6 to 'inet' / 'inet6'.
 *
 * @example
 * familyName(2); // 'inet'
 */
export function familyName(family: number): InetFamily | undefined {
  return family === AF_INET ? 'inet' : family === AF_INET6 ? 'inet6' : undefined;
}

/**
 * addressRequest builds the RTM_GETADDR dump request: an ifaddrmsg carrying
 * the family and the interface index; no attributes.
 *
 * @example
 * dump(addressRequest({ family: 'inet' }), { strictCheck: true });
 */
export function addressRequest(filter: AddressFilter = {}): DumpRequest {
  const w = new MessageWriter(16);
  const ifa = w.struct(IFADDRMSG_SIZE);
  ifa[0] = familyNumber(filter.family);
  ifa.writeUInt32LE(filter.ifindex ?? 0, 4);
  return { protocol: NETLINK_ROUTE, type: RTM_GETADDR, payload: Uint8Array.prototype.slice.call(w.bytes()) };
}

/**
 * decodeAddressRequest reads an address dump request back into its filter.
 *
 * @example
 * decodeAddressRequest(addressRequest({ ifindex: 2 }).payload); // { ifindex: 2 }
 */
export function decodeAddressRequest(payload: Uint8Array): AddressFilter {
  if (payload.length < IFADDRMSG_SIZE) {
    throw new NetlinkDecodeError(`ifaddrmsg needs ${IFADDRMSG_SIZE} bytes, has ${payload.length}`, 0, ['RTM_GETADDR']);
  }
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const result: AddressFilter = {};
  const family = familyName(data[0]);
  if (family) result.family = family;
  const ifindex = data.readUInt32LE(4);
  if (ifindex !== 0) result.ifindex = ifindex;
  return result;
}

/**
 * decodeAddress decodes one RTM_NEWADDR message; a malformed attribute is
 * recorded in `problems`, never fatal.
 *
 * @example
 * dump(addressRequest()).pipe(map(decodeAddress));
 */
export function decodeAddress(msg: NetlinkMessage): Address {
  const { data, offset } = msg;
  const start = offset + NLMSG_HDRLEN;
  const end = offset + msg.length;
  if (end - start < IFADDRMSG_SIZE) {
    throw new NetlinkDecodeError(`ifaddrmsg needs ${IFADDRMSG_SIZE} bytes, message has ${end - start}`, offset, ['RTM_NEWADDR']);
  }
  const family = data[start];
  const addr: Address = {
    family,
    prefixlen: data[start + 1],
    flags: data[start + 2],
    scope: data[start + 3],
    ifindex: data.readUInt32LE(start + 4),
  };
  const size = family === AF_INET ? 4 : family === AF_INET6 ? 16 : -1;
  const cursor = new AttributeCursor(data, start + IFADDRMSG_SIZE, end, ['RTM_NEWADDR']);
  while (cursor.next()) {
    try {
      switch (cursor.type) {
        case IFA_ADDRESS: addr.address = inetAttr(cursor, size); break;
        case IFA_LOCAL: addr.local = inetAttr(cursor, size); break;
        case IFA_BROADCAST: addr.broadcast = inetAttr(cursor, size); break;
        case IFA_ANYCAST: addr.anycast = inetAttr(cursor, size); break;
        case IFA_MULTICAST: addr.multicast = inetAttr(cursor, size); break;
        case IFA_LABEL: addr.label = cursor.string(); break;
        case IFA_FLAGS: addr.flags = cursor.u32(); break;
        case IFA_RT_PRIORITY: addr.metric = cursor.u32(); break;
        case IFA_PROTO: addr.proto = cursor.u8(); break;
        case IFA_CACHEINFO:
          if (cursor.length < 16) throw sizeError(cursor, 'struct ifa_cacheinfo', 16);
          addr.cacheinfo = {
            preferred: data.readUInt32LE(cursor.offset),
            valid: data.readUInt32LE(cursor.offset + 4),
            cstamp: data.readUInt32LE(cursor.offset + 8),
            tstamp: data.readUInt32LE(cursor.offset + 12),
          };
          break;
        default: (addr.unknown ??= []).push(rawAttribute(cursor));
      }
    } catch (error) {
      (addr.problems ??= []).push(asDecodeError(error));
    }
  }
  if (cursor.error) (addr.problems ??= []).push(cursor.error);
  return addr;
}

function sizeError(cursor: AttributeCursor, what: string, size: number): NetlinkDecodeError {
  return new NetlinkDecodeError(`attribute ${cursor.type}: ${what} needs ${size} bytes, has ${cursor.length}`,
    cursor.offset, cursor.context);
}

/** An address attribute of the family's exact size (4 or 16 bytes); other families any size. */
function inetAttr(cursor: AttributeCursor, size: number): string {
  if (size > 0 && cursor.length !== size) throw sizeError(cursor, 'address', size);
  return inetText(cursor.data, cursor.offset, cursor.length);
}

/**
 * matchAddress applies `filter` to a decoded address, as the kernel does.
 *
 * @example
 * matchAddress(addr, { family: 'inet6' });
 */
export function matchAddress(addr: Address, filter: AddressFilter): boolean {
  if (filter.family !== undefined && addr.family !== familyNumber(filter.family)) return false;
  if (filter.ifindex !== undefined && filter.ifindex !== 0 && addr.ifindex !== filter.ifindex) return false;
  return true;
}

/**
 * addressSelector returns what `addresses(filter)` does with each reply
 * message of its dump: the decoded address, or undefined for a message it
 * leaves out — not an RTM_NEWADDR, or an address `filter` does not match. In
 * a reply the kernel flagged NLM_F_DUMP_FILTERED only the family is checked
 * again (the kernel applied the interface).
 *
 * @example
 * const select = addressSelector({ family: 'inet' });
 * for (const msg of batch) {
 *   const addr = select(msg);
 *   if (addr) console.log(addr.local);
 * }
 */
export function addressSelector(filter: AddressFilter = {}): (msg: NetlinkMessage) => Address | undefined {
  const familyOnly: AddressFilter = { family: filter.family };
  return (msg) => {
    if (msg.type !== RTM_NEWADDR) return undefined;
    const addr = decodeAddress(msg);
    return matchAddress(addr, (msg.flags & NLM_F_DUMP_FILTERED) !== 0 ? familyOnly : filter) ? addr : undefined;
  };
}
