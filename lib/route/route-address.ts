/**
 * Route addresses by family, as iproute2 prints them: IPv4/IPv6 text (see
 * codec/address-text), MPLS label stacks, and hex for the rest.
 */
import { hexColonText, ipv4Text, ipv6Text } from '../codec/address-text.js';
import { NetlinkDecodeError } from '../errors.js';
import { AF_INET, AF_INET6, AF_MPLS, RTNL_FAMILY_IP6MR, RTNL_FAMILY_IPMR } from './constants.js';

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
  if (expected === 4 && length === 4) return ipv4Text(data, offset);
  if (expected === 16 && length === 16) return ipv6Text(data, offset);
  if (expected !== -1) {
    throw new NetlinkDecodeError(`address of family ${family} needs ${expected} bytes, has ${length}`, offset, context);
  }
  if (family === AF_MPLS) return formatMplsLabels(data, offset, length);
  // Families iproute2 has no text form for; hex keeps the bytes readable.
  if (length === 4) return ipv4Text(data, offset);
  if (length === 16) return ipv6Text(data, offset);
  return hexColonText(data, offset, length);
}
