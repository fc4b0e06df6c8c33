/**
 * What every rtnetlink decoder keeps besides its typed fields: attributes it
 * does not know (a newer kernel's), copied out of the batch, and the problems
 * met while decoding (one malformed attribute never drops its object).
 */
import type { AttributeCursor } from '../codec/attributes.js';
import { NetlinkDecodeError } from '../errors.js';

/**
 * RawAttribute is an attribute a decoder does not know, kept as it came: its
 * type (flags masked off) and a copy of its payload.
 *
 * @example
 * link.unknown.find((a) => a.type === 63)?.data; // IFLA_GSO_IPV4_MAX_SIZE on a 6.x kernel
 */
export interface RawAttribute {
  type: number;
  data: Uint8Array;
}

/**
 * rawAttribute copies the cursor's current attribute, so the object does not
 * pin the batch buffer.
 *
 * @example
 * while (cursor.next()) if (!known(cursor.type)) unknown.push(rawAttribute(cursor));
 */
export function rawAttribute(cursor: AttributeCursor): RawAttribute {
  return { type: cursor.type, data: new Uint8Array(cursor.bytes()) };
}

/**
 * asDecodeError turns what a typed getter threw into the problem recorded on
 * the object; anything that is not a decode error is a bug and is rethrown.
 *
 * @example
 * try { link.mtu = cursor.u32(); } catch (e) { link.problems.push(asDecodeError(e)); }
 */
export function asDecodeError(error: unknown): NetlinkDecodeError {
  if (error instanceof NetlinkDecodeError) return error;
  throw error;
}
