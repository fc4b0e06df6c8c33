/** Attributes a decoder does not type, kept so that nothing a newer kernel sends is lost. */
import { NetlinkDecodeError } from '../errors.js';
import type { AttributeCursor } from './attributes.js';

/**
 * RawAttribute is an attribute kept as bytes: its type (without the
 * NLA_F_NESTED / NLA_F_NET_BYTEORDER bits) and a copy of its payload, so it
 * outlives the batch buffer it arrived in.
 *
 * @example
 * route.unknown?.forEach((a) => console.log(a.type, Buffer.from(a.data).toString('hex')));
 */
export interface RawAttribute {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * rawAttribute copies the cursor's current attribute.
 *
 * @example
 * default: (unknown ??= []).push(rawAttribute(cursor));
 */
export function rawAttribute(cursor: AttributeCursor): RawAttribute {
  return { type: cursor.type, data: new Uint8Array(cursor.data.subarray(cursor.offset, cursor.offset + cursor.length)) };
}

/**
 * asDecodeError turns what a typed getter threw into the problem recorded on
 * the object; anything that is not a decode error is a bug and is rethrown.
 *
 * @example
 * try { link.mtu = cursor.u32(); } catch (e) { (link.problems ??= []).push(asDecodeError(e)); }
 */
export function asDecodeError(error: unknown): NetlinkDecodeError {
  if (error instanceof NetlinkDecodeError) return error;
  throw error;
}
