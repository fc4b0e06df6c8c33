/**
 * Address prefixes as filters name them ("10.0.0.0/8", "2001:db8::/32",
 * "all"), read and matched the way iproute2 reads and matches them
 * (lib/utils.c get_prefix_1, inet_addr_match): the rule, neighbour and
 * nexthop filters that the kernel does not apply in a dump are applied in
 * JavaScript with these.
 */
import { inetBytes } from '../codec/address-text.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from './constants.js';

/**
 * InetPrefix is a parsed prefix: its family (AF_UNSPEC only for `all` / `any`
 * read without a family), its address bytes (empty for `all`) and its
 * length in bits (0 for `all`, `any` and `default`).
 *
 * @example
 * const p: InetPrefix = { family: 2, bytes: Uint8Array.of(10, 0, 0, 0), bitlen: 8 };
 */
export interface InetPrefix {
  family: number;
  bytes: Uint8Array;
  bitlen: number;
}

/** An IPv4 address as get_addr_ipv4() reads it: 1 to 4 parts, each strtoul(…, 0) ≤ 255 ("10" is 10.0.0.0). */
function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const value = /^0x[0-9a-f]+$/i.test(part) ? parseInt(part.slice(2), 16)
      : /^0[0-7]*$/.test(part) ? parseInt(part, 8)
        : /^[1-9]\d*$/.test(part) ? Number(part) : NaN;
    if (!(value <= 255)) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/**
 * parseInetPrefix reads `text` as an address prefix of `family` (AF_INET,
 * AF_INET6, or AF_UNSPEC for either), as iproute2's get_prefix_1 does: an
 * address alone is a host prefix, `default` is the zero-length prefix of the
 * family, `all` and `any` match everything. Returns undefined for text that
 * is not a prefix of that family.
 *
 * @example
 * parseInetPrefix('10.0.0.0/8', AF_UNSPEC); // { family: 2, bytes: [10, 0, 0, 0], bitlen: 8 }
 */
export function parseInetPrefix(text: string, family: number = AF_UNSPEC): InetPrefix | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const length = slash < 0 ? undefined : text.slice(slash + 1);
  if (address === 'default' || address === 'all' || address === 'any') {
    // "default/8" makes no sense to ip either.
    if (length !== undefined) return undefined;
    return { family, bytes: new Uint8Array(0), bitlen: 0 };
  }
  let bytes: Uint8Array | undefined;
  let addressFamily: number;
  if (address.includes(':')) {
    addressFamily = AF_INET6;
    bytes = inetBytes(address);
  } else {
    addressFamily = AF_INET;
    bytes = ipv4Bytes(address);
  }
  if (bytes === undefined || (family !== AF_UNSPEC && family !== addressFamily)) return undefined;
  const max = addressFamily === AF_INET ? 32 : 128;
  let bitlen = max;
  if (length !== undefined) {
    if (!/^\d+$/.test(length) || Number(length) > max) return undefined;
    bitlen = Number(length);
  }
  return { family: addressFamily, bytes, bitlen };
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
  const whole = prefix.bitlen >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== prefix.bytes[i]) return false;
  const rest = prefix.bitlen & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] ^ prefix.bytes[whole]) & mask) === 0;
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
