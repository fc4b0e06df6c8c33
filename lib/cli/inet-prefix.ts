/**
 * Addresses and prefixes on the command line: the error text and exit
 * status ip gives when a word is not one (lib/utils.c get_prefix /
 * get_addr). The reading itself is lib/route/inet-prefix.ts.
 */
import { inetBytes } from '../codec/address-text.js';
import { AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC } from '../route/constants.js';
import { parseInetPrefix, type InetPrefix } from '../route/inet-prefix.js';
import { UsageError } from './cli-context.js';

/** family_name_verbose(): what ip calls the family it expected. */
function familyWords(family: number): string {
  switch (family) {
    case AF_INET: return 'inet';
    case AF_INET6: return 'inet6';
    case AF_MPLS: return 'mpls';
    case AF_BRIDGE: return 'bridge';
    case AF_UNSPEC: return 'any valid';
    default: return '???';
  }
}

/**
 * inetPrefix is get_prefix: the prefix, or the UsageError ip exits with
 * (status 1) when `text` is not one.
 *
 * @example
 * inetPrefix('2001:db8::/32', AF_INET); // throws 'Error: inet prefix is expected rather than "2001:db8::/32".'
 */
export function inetPrefix(text: string, family: number): InetPrefix {
  if (family === AF_PACKET) {
    throw new UsageError(`Error: "${text}" may be inet prefix, but it is not allowed in this context.`, 1);
  }
  const prefix = parseInetPrefix(text, family);
  if (!prefix) throw new UsageError(`Error: ${familyWords(family)} prefix is expected rather than "${text}".`, 1);
  return prefix;
}

/**
 * addressBytes is the bytes of an address as a route object holds it (text),
 * or 16 zero bytes for none — what iproute2 compares when the attribute is absent.
 *
 * @example
 * addressBytes('10.1.0.0'); // Uint8Array [10, 1, 0, 0]
 */
export function addressBytes(text: string | undefined): Uint8Array {
  return (text === undefined ? undefined : inetBytes(text)) ?? new Uint8Array(16);
}

/**
 * inetAddress is get_addr: one address (no prefix length), or the UsageError
 * ip exits with (status 1) when `text` is not one.
 *
 * @example
 * inetAddress('x', AF_INET); // throws 'Error: inet address is expected rather than "x".'
 */
export function inetAddress(text: string, family: number): InetPrefix {
  if (family === AF_PACKET) {
    throw new UsageError(`Error: "${text}" may be inet address, but it is not allowed in this context.`, 1);
  }
  const address = text.includes('/') ? undefined : parseInetPrefix(text, family);
  if (!address) throw new UsageError(`Error: ${familyWords(family)} address is expected rather than "${text}".`, 1);
  return address;
}
