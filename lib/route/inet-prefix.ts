/**
 * Address prefixes as iproute2 6.1 reads them (lib/utils.c get_prefix_1,
 * get_addr_ipv4, get_netmask: `10.8` is 10.8.0.0, `default`, `all` and
 * `any` are the zero prefix, a length may be a dotted mask) and matches them
 * (inet_addr_match): the command line's selectors and the rule, neighbour and
 * nexthop filters that the kernel does not apply in a dump, applied in
 * JavaScript with these.
 */
import { inetBytes } from '../codec/address-text.js';
import { AF_INET, AF_INET6, AF_MPLS, AF_UNSPEC } from './constants.js';

/**
 * InetPrefix is iproute2's inet_prefix: a family (AF_UNSPEC for a family-less
 * `default`, `all` or `any`), the address bytes, the prefix length, and
 * whether a length was written (`/N`, or `default`, which means /0).
 *
 * @example
 * const p: InetPrefix = { family: AF_INET, bytes: Uint8Array.of(10, 0, 0, 0), bitlen: 8, lengthGiven: true };
 */
export interface InetPrefix {
  family: number;
  bytes: Uint8Array;
  bitlen: number;
  lengthGiven: boolean;
}

/** get_addr_ipv4: up to four parts, each strtoul(…, 0) ≤ 255, the missing ones 0. */
function ipv4Parts(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    let value: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) value = parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = parseInt(part, 10);
    else return undefined;
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** A prefix length or a dotted mask of contiguous ones (get_netmask), or undefined. */
function prefixLength(text: string): number | undefined {
  if (/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(text)) {
    return text.startsWith('0x') || text.startsWith('0X') ? parseInt(text.slice(2), 16)
      : text.startsWith('0') ? parseInt(text, 8) : parseInt(text, 10);
  }
  const mask = ipv4Parts(text);
  if (!mask || text.split('.').length !== 4) return undefined;
  const bits = ((mask[0] << 24) | (mask[1] << 16) | (mask[2] << 8) | mask[3]) >>> 0;
  // A mask is contiguous ones: its complement plus one is a power of two.
  const inverse = (~bits >>> 0) + 1;
  if ((inverse & (inverse - 1)) !== 0 && inverse !== 0x1_0000_0000) return undefined;
  return 32 - Math.log2(inverse);
}

/**
 * parseInetPrefix is get_prefix_1: `text` as a prefix of `family`
 * (AF_UNSPEC: either), or undefined when it is not one.
 *
 * @example
 * parseInetPrefix('10.8/16', AF_UNSPEC); // { family: AF_INET, bytes: [10, 8, 0, 0], bitlen: 16, lengthGiven: true }
 */
export function parseInetPrefix(text: string, family: number = AF_UNSPEC): InetPrefix | undefined {
  const slash = text.indexOf('/');
  const word = slash < 0 ? text : text.slice(0, slash);
  let prefix: InetPrefix;
  if (word === 'default' || word === 'all' || word === 'any') {
    if (slash >= 0) return undefined;
    // default means /0 (a length was given); all and any match everything.
    prefix = { family, bytes: new Uint8Array(16), bitlen: 0, lengthGiven: word === 'default' };
    return prefix;
  }
  if (family === AF_MPLS) {
    // An MPLS label (20 bits): parsed so that ip's errors match; nlrx reads no MPLS routes.
    if (!/^[0-9]+$/.test(word) || Number(word) > 0xfffff) return undefined;
    prefix = { family: AF_MPLS, bytes: new Uint8Array(4), bitlen: 20, lengthGiven: false };
  } else if (word.includes(':')) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return undefined;
    const bytes = inetBytes(word);
    if (!bytes || bytes.length !== 16) return undefined;
    prefix = { family: AF_INET6, bytes, bitlen: 128, lengthGiven: false };
  } else {
    if (family !== AF_UNSPEC && family !== AF_INET) return undefined;
    const bytes = ipv4Parts(word);
    if (!bytes) return undefined;
    prefix = { family: AF_INET, bytes, bitlen: 32, lengthGiven: false };
  }
  if (slash >= 0) {
    const length = prefixLength(text.slice(slash + 1));
    if (length === undefined || length > prefix.bitlen) return undefined;
    prefix.bitlen = length;
    prefix.lengthGiven = true;
  }
  return prefix;
}

/**
 * prefixMatches is inet_addr_match() == 0: the first `bits` bits of `a` and
 * `b` are equal (bytes past either array count as zero).
 *
 * @example
 * prefixMatches(Uint8Array.of(10, 1, 0, 0), Uint8Array.of(10, 1, 2, 3), 16); // true
 */
export function prefixMatches(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (((a[whole] ?? 0) ^ (b[whole] ?? 0)) & mask) === 0;
}

/**
 * prefixContains tells whether `address` (the bytes of an address of the
 * prefix's family) has the prefix's first `bitlen` bits: inet_addr_match().
 * A zero-length prefix contains every address.
 *
 * @example
 * prefixContains(parseInetPrefix('10.0.0.0/8')!, Uint8Array.of(10, 1, 2, 3)); // true
 */
export function prefixContains(prefix: InetPrefix, address: Uint8Array): boolean {
  return prefixMatches(prefix.bytes, address, prefix.bitlen);
}

/**
 * prefixMatchesText is inet_addr_match_rta(): true when the prefix matches
 * everything (no family or no length), when there is no address to test,
 * or when `address` (text, as the decoders give it) lies within the prefix.
 *
 * @example
 * prefixMatchesText(parseInetPrefix('10.1.0.2/31')!, '10.1.0.3'); // true
 */
export function prefixMatchesText(prefix: InetPrefix, address: string | undefined): boolean {
  if (address === undefined || prefix.family === AF_UNSPEC || prefix.bitlen <= 0) return true;
  const bytes = inetBytes(address);
  const expected = prefix.family === AF_INET ? 4 : 16;
  if (bytes === undefined || bytes.length !== expected) return false;
  return prefixContains(prefix, bytes);
}
