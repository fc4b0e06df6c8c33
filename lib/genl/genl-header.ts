/**
 * struct genlmsghdr, the fixed header of every generic netlink message, and
 * the dump requests made of it.
 */
import { struct, type StructLayout } from '../codec/compile-decoder.js';
import { u8 } from '../codec/attribute-type.js';
import { NETLINK_GENERIC } from '../codec/header.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { GENL_HDRLEN } from './genl-constants.js';

/**
 * genlmsghdr is struct genlmsghdr (<linux/genetlink.h>): the command and the
 * family's interface version. Decoded objects carry them as `cmd` and
 * `genlVersion` (a family's own `version` is an attribute of nlctrl).
 *
 * @example
 * describeMessage<GenlFamily>('CTRL_CMD_NEWFAMILY', genlmsghdr, familyAttributes);
 */
export const genlmsghdr: StructLayout = struct('struct genlmsghdr', GENL_HDRLEN, { cmd: [0, u8], genlVersion: [1, u8] });

/**
 * genlDumpRequest builds a dump request for a generic netlink family:
 * `nlmsg_type` is the family's id, the payload its genlmsghdr (command and
 * version) followed by `attributes` (already encoded).
 *
 * @example
 * dump(genlDumpRequest(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2), { protocol: NETLINK_GENERIC });
 */
export function genlDumpRequest(familyId: number, cmd: number, version: number,
  attributes: Uint8Array = new Uint8Array(0)): DumpRequest {
  const payload = new Uint8Array(GENL_HDRLEN + attributes.length);
  payload[0] = cmd;
  payload[1] = version;
  payload.set(attributes, GENL_HDRLEN);
  return { protocol: NETLINK_GENERIC, type: familyId, payload };
}
