/**
 * Generic netlink constants, named as in <linux/genetlink.h>: the controller
 * (nlctrl) family's id, commands and attributes, and command capabilities.
 */

/** `#define GENL_HDRLEN NLMSG_ALIGN(sizeof(struct genlmsghdr))`: cmd u8, version u8, reserved u16. */
export const GENL_HDRLEN = 4;
/** `#define GENL_NAMSIZ 16`: the longest family name, NUL included. */
export const GENL_NAMSIZ = 16;
/** The controller's own family id (NLMSG_MIN_TYPE). */
export const GENL_ID_CTRL = 0x10;

// Command capabilities (CTRL_ATTR_OP_FLAGS).
export const GENL_ADMIN_PERM = 0x01;
export const GENL_CMD_CAP_DO = 0x02;
export const GENL_CMD_CAP_DUMP = 0x04;
export const GENL_CMD_CAP_HASPOL = 0x08;
export const GENL_UNS_ADMIN_PERM = 0x10;

// enum { CTRL_CMD_UNSPEC, CTRL_CMD_NEWFAMILY, … }
export const CTRL_CMD_NEWFAMILY = 1;
export const CTRL_CMD_DELFAMILY = 2;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_CMD_NEWOPS = 4;
export const CTRL_CMD_DELOPS = 5;
export const CTRL_CMD_GETOPS = 6;
export const CTRL_CMD_NEWMCAST_GRP = 7;
export const CTRL_CMD_DELMCAST_GRP = 8;
export const CTRL_CMD_GETMCAST_GRP = 9;
export const CTRL_CMD_GETPOLICY = 10;

// enum { CTRL_ATTR_UNSPEC, CTRL_ATTR_FAMILY_ID, … }
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
export const CTRL_ATTR_VERSION = 3;
export const CTRL_ATTR_HDRSIZE = 4;
export const CTRL_ATTR_MAXATTR = 5;
export const CTRL_ATTR_OPS = 6;
export const CTRL_ATTR_MCAST_GROUPS = 7;
export const CTRL_ATTR_POLICY = 8;
export const CTRL_ATTR_OP_POLICY = 9;
export const CTRL_ATTR_OP = 10;

// enum { CTRL_ATTR_OP_UNSPEC, CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS }
export const CTRL_ATTR_OP_ID = 1;
export const CTRL_ATTR_OP_FLAGS = 2;

// enum { CTRL_ATTR_MCAST_GRP_UNSPEC, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID }
export const CTRL_ATTR_MCAST_GRP_NAME = 1;
export const CTRL_ATTR_MCAST_GRP_ID = 2;

// enum { CTRL_ATTR_POLICY_UNSPEC, CTRL_ATTR_POLICY_DO, CTRL_ATTR_POLICY_DUMP }
export const CTRL_ATTR_POLICY_DO = 1;
export const CTRL_ATTR_POLICY_DUMP = 2;

/** The controller's multicast group of family changes. */
export const GENL_CTRL_NOTIFY_GROUP = 'notify';
