/**
 * The mptcp_pm generic netlink family (<linux/mptcp.h>), described: the
 * in-kernel path manager's endpoints (what `ip mptcp endpoint show` lists).
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { inet, inline, s32, u16, u32, u8 } from '../codec/attribute-type.js';
import { describeMessage } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import { describeGenlFamily } from './genl-family.js';
import { genlmsghdr } from './genl-header.js';

export const MPTCP_PM_NAME = 'mptcp_pm';
export const MPTCP_PM_CMD_GET_ADDR = 3;
export const MPTCP_PM_ATTR_ADDR = 1;
export const MPTCP_PM_ADDR_ATTR_FAMILY = 1;
export const MPTCP_PM_ADDR_ATTR_ID = 2;
export const MPTCP_PM_ADDR_ATTR_ADDR4 = 3;
export const MPTCP_PM_ADDR_ATTR_ADDR6 = 4;
export const MPTCP_PM_ADDR_ATTR_PORT = 5;
export const MPTCP_PM_ADDR_ATTR_FLAGS = 6;
export const MPTCP_PM_ADDR_ATTR_IF_IDX = 7;
export const MPTCP_PM_ADDR_FLAG_SIGNAL = 1 << 0;
export const MPTCP_PM_ADDR_FLAG_SUBFLOW = 1 << 1;
export const MPTCP_PM_ADDR_FLAG_BACKUP = 1 << 2;
export const MPTCP_PM_ADDR_FLAG_FULLMESH = 1 << 3;
export const MPTCP_PM_ADDR_FLAG_IMPLICIT = 1 << 4;

/**
 * MptcpEndpoint is one endpoint of the in-kernel path manager: its id, its
 * address (IPv4 or IPv6, one field), port, MPTCP_PM_ADDR_FLAG_* bits and
 * interface.
 *
 * @example
 * genl().use(mptcpPmFamily).endpoints().subscribe((e) => console.log(e.id, e.addr, e.flags));
 */
export interface MptcpEndpoint {
  cmd: number;
  genlVersion: number;
  family?: number;
  id?: number;
  addr?: string;
  port?: number;
  flags?: number;
  ifindex?: number;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

const addressAttributes = attributeSet('MPTCP_PM_ATTR_ADDR', {
  family: attr(MPTCP_PM_ADDR_ATTR_FAMILY, u16),
  id: attr(MPTCP_PM_ADDR_ATTR_ID, u8),
  addr4: attr(MPTCP_PM_ADDR_ATTR_ADDR4, inet, { into: 'addr' }),
  addr6: attr(MPTCP_PM_ADDR_ATTR_ADDR6, inet, { into: 'addr' }),
  port: attr(MPTCP_PM_ADDR_ATTR_PORT, u16),
  flags: attr(MPTCP_PM_ADDR_ATTR_FLAGS, u32),
  ifindex: attr(MPTCP_PM_ADDR_ATTR_IF_IDX, s32),
});

/**
 * endpointMessage is MPTCP_PM_CMD_GET_ADDR's reply: genlmsghdr and one
 * endpoint's address nest, read into the message's own fields.
 *
 * @example
 * const endpoint = endpointMessage.decode(msg);
 */
export const endpointMessage = describeMessage<MptcpEndpoint>('MPTCP_PM_CMD_GET_ADDR', genlmsghdr, attributeSet('mptcp_pm', {
  address: attr(MPTCP_PM_ATTR_ADDR, inline(addressAttributes)),
}));

/**
 * mptcpPmFamily: `genl().use(mptcpPmFamily).endpoints()` dumps the path
 * manager's endpoints of a namespace.
 *
 * @example
 * genl({ netns: 'blue' }).use(mptcpPmFamily).endpoints().subscribe((e) => console.log(e.addr));
 */
export const mptcpPmFamily = describeGenlFamily(MPTCP_PM_NAME, {
  endpoints: { cmd: MPTCP_PM_CMD_GET_ADDR, message: endpointMessage },
});
