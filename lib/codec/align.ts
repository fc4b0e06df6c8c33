/** Netlink's alignment: messages and attributes start on 4-byte boundaries. */

/** NLMSG_ALIGNTO / NLA_ALIGNTO in <linux/netlink.h>. */
export const NLMSG_ALIGNTO = 4;

/**
 * align rounds `length` up to the next multiple of 4.
 * `#define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )`
 *
 * @example
 * align(5); // 8
 */
export function align(length: number): number {
  return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}
