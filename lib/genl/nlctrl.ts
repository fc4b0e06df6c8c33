/**
 * nlctrl, the generic netlink controller, described: CTRL_CMD_NEWFAMILY
 * messages (a family's id, name, version, header size, operations and
 * multicast groups) — what every generic netlink family is resolved from.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { nestedArray, string, u16, u32 } from '../codec/attribute-type.js';
import type { NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import {
  CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_HDRSIZE, CTRL_ATTR_MAXATTR, CTRL_ATTR_MCAST_GROUPS,
  CTRL_ATTR_MCAST_GRP_ID, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_OPS, CTRL_ATTR_OP_FLAGS, CTRL_ATTR_OP_ID,
  CTRL_ATTR_VERSION, CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, GENL_ID_CTRL,
} from './genl-constants.js';
import { genlDumpRequest, genlmsghdr } from './genl-header.js';

/**
 * GenlOperation is one command a family supports (CTRL_ATTR_OPS): its number
 * and capabilities (GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL,
 * GENL_ADMIN_PERM …).
 *
 * @example
 * family.ops?.some((op) => op.id === ETHTOOL_MSG_LINKINFO_GET && op.flags! & GENL_CMD_CAP_DUMP);
 */
export interface GenlOperation {
  id?: number;
  flags?: number;
  unknown?: RawAttribute[];
}

/**
 * GenlMulticastGroup is one multicast group of a family: the name users
 * subscribe by, and the group number the kernel gave it.
 *
 * @example
 * const monitor = family.mcastGroups?.find((g) => g.name === 'monitor')?.id;
 */
export interface GenlMulticastGroup {
  name?: string;
  id?: number;
  unknown?: RawAttribute[];
}

/**
 * GenlFamily is a generic netlink family as nlctrl describes it. `id` is the
 * `nlmsg_type` of its messages in this namespace (it changes when the family's
 * module is reloaded); `version` the interface version its requests carry.
 *
 * @example
 * families().subscribe((f) => console.log(f.name, f.id, f.version));
 */
export interface GenlFamily {
  /** genlmsghdr.cmd: CTRL_CMD_NEWFAMILY (or CTRL_CMD_DELFAMILY in a notification). */
  cmd: number;
  genlVersion: number;
  id?: number;
  name?: string;
  version?: number;
  /** The size of the family's own fixed header after genlmsghdr. */
  hdrsize?: number;
  maxattr?: number;
  ops?: GenlOperation[];
  mcastGroups?: GenlMulticastGroup[];
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

const opAttributes = attributeSet('CTRL_ATTR_OPS', {
  id: attr(CTRL_ATTR_OP_ID, u32),
  flags: attr(CTRL_ATTR_OP_FLAGS, u32),
}, { context: ['nlctrl', 'CTRL_ATTR_OPS'] });

const groupAttributes = attributeSet('CTRL_ATTR_MCAST_GROUPS', {
  name: attr(CTRL_ATTR_MCAST_GRP_NAME, string),
  id: attr(CTRL_ATTR_MCAST_GRP_ID, u32),
}, { context: ['nlctrl', 'CTRL_ATTR_MCAST_GROUPS'] });

const familyAttributes = attributeSet('nlctrl', {
  id: attr(CTRL_ATTR_FAMILY_ID, u16),
  name: attr(CTRL_ATTR_FAMILY_NAME, string),
  version: attr(CTRL_ATTR_VERSION, u32),
  hdrsize: attr(CTRL_ATTR_HDRSIZE, u32),
  maxattr: attr(CTRL_ATTR_MAXATTR, u32),
  ops: attr(CTRL_ATTR_OPS, nestedArray(opAttributes)),
  mcastGroups: attr(CTRL_ATTR_MCAST_GROUPS, nestedArray(groupAttributes)),
});

/**
 * familyMessage is CTRL_CMD_NEWFAMILY described (struct genlmsghdr +
 * CTRL_ATTR_*), with its decoder and request encoder.
 *
 * @example
 * const family = familyMessage.decode(msg);
 */
export const familyMessage: MessageDescription<GenlFamily> = describeMessage<GenlFamily>('CTRL_CMD_NEWFAMILY', genlmsghdr, familyAttributes);

/** The nlctrl interface version requests are sent with (the kernel's is 2). */
const CTRL_VERSION = 2;

/**
 * familiesRequest is the CTRL_CMD_GETFAMILY dump: every family registered in
 * the namespace.
 *
 * @example
 * dump(familiesRequest()).pipe(map(decodeFamily));
 */
export function familiesRequest(): DumpRequest {
  return genlDumpRequest(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION);
}

/**
 * decodeFamily decodes one nlctrl family message (a dump reply or a
 * CTRL_CMD_NEWFAMILY / CTRL_CMD_DELFAMILY notification).
 *
 * @example
 * const { name, id } = decodeFamily(msg);
 */
export function decodeFamily(msg: NetlinkMessage): GenlFamily {
  return familyMessage.decode(msg);
}

/**
 * familySelector returns what `families()` does with each reply message:
 * the decoded family, or undefined for a message that is not nlctrl's
 * CTRL_CMD_NEWFAMILY (or a family not named `name`, when given).
 *
 * @example
 * const select = familySelector();
 * for (const msg of batch) console.log(select(msg)?.name);
 */
export function familySelector(name?: string): (msg: NetlinkMessage) => GenlFamily | undefined {
  return (msg) => {
    if (msg.type !== GENL_ID_CTRL) return undefined;
    const family = decodeFamily(msg);
    if (family.cmd !== CTRL_CMD_NEWFAMILY) return undefined;
    return name === undefined || family.name === name ? family : undefined;
  };
}
