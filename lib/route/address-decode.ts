/**
 * Interface addresses without RxJS: the RTM_GETADDR dump request, the
 * RTM_NEWADDR decoder, the match function and `addressSelector`, the per-message
 * step of `addresses()`. Attribute numbers and flags as in <linux/if_addr.h>.
 * address.ts re-exports all of it; importing this module alone does not load
 * RxJS (a CLI start-up pays ~60 ms for that).
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { address, string, structOf, u32, u8 } from '../codec/attribute-type.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { RTM_GETADDR, RTM_NEWADDR } from './constants.js';
import { familyName, familyNumber, type InetFamily } from './inet-family.js';
import { formatAddress } from './route-address.js';

export { familyName, familyNumber, type InetFamily } from './inet-family.js';

/** sizeof(struct ifaddrmsg): family u8, prefixlen u8, flags u8, scope u8, index u32. */
export const IFADDRMSG_SIZE = 8;
/** sizeof(struct ifa_cacheinfo). */
export const IFA_CACHEINFO_SIZE = 16;

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
 * addressRequest builds the RTM_GETADDR dump request: an ifaddrmsg carrying
 * the family and the interface index; no attributes.
 *
 * @example
 * dump(addressRequest({ family: 'inet' }), { strictCheck: true });
 */
export function addressRequest(filter: AddressFilter = {}): DumpRequest {
  const payload = addressMessage.encode({ family: familyNumber(filter.family), ifindex: filter.ifindex });
  return { protocol: NETLINK_ROUTE, type: RTM_GETADDR, payload };
}

/**
 * decodeAddressRequest reads an address dump request back into its filter.
 *
 * @example
 * decodeAddressRequest(addressRequest({ ifindex: 2 }).payload); // { ifindex: 2 }
 */
export function decodeAddressRequest(payload: Uint8Array): AddressFilter {
  const request = addressMessage.decodePayload(payload);
  const result: AddressFilter = {};
  const family = familyName(request.family);
  if (family) result.family = family;
  if (request.ifindex !== 0) result.ifindex = request.ifindex;
  return result;
}

/** struct ifaddrmsg (<linux/if_addr.h>). */
const ifaddrmsg = struct('struct ifaddrmsg', IFADDRMSG_SIZE, {
  family: [0, u8],
  prefixlen: [1, u8],
  flags: [2, u8],
  scope: [3, u8],
  ifindex: [4, u32],
});

/** struct ifa_cacheinfo. */
const cacheinfo = structOf<AddressCacheInfo>(struct('struct ifa_cacheinfo', IFA_CACHEINFO_SIZE, {
  preferred: [0, u32],
  valid: [4, u32],
  cstamp: [8, u32],
  tstamp: [12, u32],
}));

/** An address of the message's family: IPv4 and IPv6 of exactly their size. */
const ifaAddress = address('family', formatAddress);

/**
 * The IFA_* attributes (<linux/if_addr.h>). IFA_FLAGS, 32 bits, overrides
 * the 8 of ifa_flags; IFA_RT_PRIORITY is the metric `ip` prints.
 */
const addressAttributes = attributeSet('address', {
  address: attr(IFA_ADDRESS, ifaAddress),
  local: attr(IFA_LOCAL, ifaAddress),
  label: attr(IFA_LABEL, string),
  broadcast: attr(IFA_BROADCAST, ifaAddress),
  anycast: attr(IFA_ANYCAST, ifaAddress),
  cacheinfo: attr(IFA_CACHEINFO, cacheinfo),
  multicast: attr(IFA_MULTICAST, ifaAddress),
  flags: attr(IFA_FLAGS, u32),
  metric: attr(IFA_RT_PRIORITY, u32),
  proto: attr(IFA_PROTO, u8),
}, { context: ['RTM_NEWADDR'] });

/**
 * addressMessage is RTM_NEWADDR described: struct ifaddrmsg and the IFA_*
 * attributes. Its `decode` is `decodeAddress`; its `encode` writes dump requests.
 *
 * @example
 * const addr = addressMessage.decode(msg);
 */
export const addressMessage: MessageDescription<Address> = describeMessage<Address>('RTM_NEWADDR', ifaddrmsg, addressAttributes);

/**
 * decodeAddress decodes one RTM_NEWADDR (or RTM_DELADDR) message. A malformed
 * attribute is recorded in `problems` and skipped; unknown ones are kept in
 * `unknown`. Only a message shorter than struct ifaddrmsg throws
 * (`NetlinkDecodeError`): it cannot be an address.
 *
 * @example
 * dump(addressRequest()).pipe(map(decodeAddress));
 */
export function decodeAddress(msg: NetlinkMessage): Address {
  return addressMessage.decode(msg);
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
