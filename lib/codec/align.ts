/** Netlink's alignment: messages and attributes start on 4-byte boundaries. */

/** NLMSG_ALIGNTO / NLA_ALIGNTO in <linux/netlink.h>. */
export const NLMSG_ALIGNTO = 4;

/**
 * align rounds `length` up to the next multiple of 4.
 * `#define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )`
 *
 * Exact for every non-negative safe integer: the macro's `& ~3` would cut a
 * JavaScript number to 32 bits, so a length near 2^32 read from the wire
 * wrapped to a small or negative offset. Only the two low bits of `-length`
 * are used, and those survive the 32-bit conversion.
 *
 * @example
 * align(5); // 8
 * align(0xffff_fffd); // 0x1_0000_0000, not 0
 */
export function align(length: number): number {
  return length + (-length & (NLMSG_ALIGNTO - 1));
}
