/** struct nfgenmsg, the fixed header of every nfnetlink message (<linux/netfilter/nfnetlink.h>). */
import { be16, u8 } from '../codec/attribute-type.js';
import { struct, type StructLayout } from '../codec/compile-decoder.js';

/**
 * nfgenmsg: the address family (AF_INET, AF_INET6, AF_UNSPEC for all),
 * the nfnetlink version (NFNETLINK_V0) and the resource id (big endian).
 *
 * @example
 * describeMessage<Conntrack>('IPCTNL_MSG_CT_NEW', nfgenmsg, conntrackAttributes);
 */
export const nfgenmsg: StructLayout = struct('struct nfgenmsg', 4, { family: [0, u8], version: [1, u8], resId: [2, be16] });
