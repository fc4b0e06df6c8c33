/**
 * Addresses as iproute2 prints them: dotted quads for IPv4, RFC 5952 text for
 * IPv6 (glibc's inet_ntop: the longest run of zero groups compressed, IPv4
 * mapped/compatible tails dotted), MPLS label stacks, and hex for the rest.
 * IPv4 is on the hot path of every route dump, so it is built from a
 * 256-entry table instead of per-octet number formatting.
 */
import { NetlinkDecodeError } from '../errors.js';
import { AF_INET, AF_INET6, AF_MPLS, RTNL_FAMILY_IP6MR, RTNL_FAMILY_IPMR } from './constants.js';

const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const DOTTED: readonly string[] = Array.from({ length: 256 }, (_, i) => `${i}.`);
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * formatIPv4 formats the 4 bytes at `offset` as a dotted quad.
 *
 * @example
 * formatIPv4(Buffer.from([10, 0, 0, 1]), 0); // '10.0.0.1'
 */
export function formatIPv4(data: Uint8Array, offset: number): string {
  return DOTTED[data[offset]] + DOTTED[data[offset + 1]] + DOTTED[data[offset + 2]] + DECIMAL[data[offset + 3]];
}

/**
 * formatIPv6 formats the 16 bytes at `offset` as inet_ntop(AF_INET6) does.
 *
 * @example
 * formatIPv6(Buffer.from('20010db8000000000000000000000001', 'hex'), 0); // '2001:db8::1'
 */
export function formatIPv6(data: Uint8Array, offset: number): string {
  // glibc inet_ntop6: find the longest run (first on a tie) of at least two zero words.
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (data[offset + 2 * i] === 0 && data[offset + 2 * i + 1] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    const word = (data[offset + 2 * i] << 8) | data[offset + 2 * i + 1];
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 &&
      ((data[offset + 10] << 8) | data[offset + 11]) === 0xffff))) {
      return text + formatIPv4(data, offset + 12);
    }
    text += word.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) text += ':';
  return text;
}

/**
 * formatMplsLabels formats a label stack (struct mpls_label, big endian) as
 * iproute2 does: the 20-bit labels joined by '/'.
 *
 * @example
 * formatMplsLabels(Buffer.from([0, 0x06, 0x41, 0x00]), 0, 4); // '100'
 */
export function formatMplsLabels(data: Uint8Array, offset: number, length: number): string {
  const labels: string[] = [];
  for (let at = offset; at + 4 <= offset + length; at += 4) {
    labels.push(String(((data[at] << 12) | (data[at + 1] << 4) | (data[at + 2] >> 4)) >>> 0));
  }
  return labels.join('/');
}

/**
 * formatHex formats bytes as lower-case hex pairs joined by ':' (link-layer style).
 *
 * @example
 * formatHex(Buffer.from([0xde, 0xad]), 0, 2); // 'de:ad'
 */
export function formatHex(data: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += (i === 0 ? '' : ':') + HEX2[data[offset + i]];
  return text;
}

/**
 * addressLength is the size of an address of `family` in bytes (4 for IPv4
 * and IPMR, 16 for IPv6 and IP6MR), or -1 when it varies (MPLS, others).
 *
 * @example
 * addressLength(AF_INET6); // 16
 */
export function addressLength(family: number): number {
  if (family === AF_INET || family === RTNL_FAMILY_IPMR) return 4;
  if (family === AF_INET6 || family === RTNL_FAMILY_IP6MR) return 16;
  return -1;
}

/**
 * formatAddress formats an address attribute's payload for its family, and
 * throws a NetlinkDecodeError when an IPv4/IPv6 address has the wrong size.
 *
 * @example
 * formatAddress(AF_INET, msg.data, cursor.offset, cursor.length, ['route']); // '192.0.2.1'
 */
export function formatAddress(family: number, data: Uint8Array, offset: number, length: number,
  context: readonly string[] = []): string {
  const expected = addressLength(family);
  if (expected === 4 && length === 4) return formatIPv4(data, offset);
  if (expected === 16 && length === 16) return formatIPv6(data, offset);
  if (expected !== -1) {
    throw new NetlinkDecodeError(`address of family ${family} needs ${expected} bytes, has ${length}`, offset, context);
  }
  if (family === AF_MPLS) return formatMplsLabels(data, offset, length);
  // Families iproute2 has no text form for; hex keeps the bytes readable.
  if (length === 4) return formatIPv4(data, offset);
  if (length === 16) return formatIPv6(data, offset);
  return formatHex(data, offset, length);
}
