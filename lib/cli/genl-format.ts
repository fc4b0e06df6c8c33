/**
 * Generic netlink families as iproute2's `genl ctrl list` prints them
 * (genl/ctrl.c), byte for byte, and as `nlrx -j` JSON.
 */
import type { ObjectFormat } from './object-output.js';
import {
  GENL_ADMIN_PERM, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL,
} from '../genl/genl-constants.js';
import type { GenlFamily } from '../genl/nlctrl.js';

const hex = (n: number) => n.toString(16);

/** print_ctrl_cmd_flags(): the capabilities line of one command. */
function capabilities(flags: number): string {
  let text = `\n\t\tCapabilities (0x${hex(flags)}):\n `;
  if (flags === 0) return `${text}\n`;
  text += '\t\t ';
  if (flags & GENL_ADMIN_PERM) text += ' requires admin permission;';
  if (flags & GENL_CMD_CAP_DO) text += ' can doit;';
  if (flags & GENL_CMD_CAP_DUMP) text += ' can dumpit;';
  if (flags & GENL_CMD_CAP_HASPOL) text += ' has policy';
  return `${text}\n`;
}

/**
 * familyText formats one family as `genl ctrl list` does: name, id, version,
 * header size and attribute count, then the commands (with capabilities for
 * families of version 2 or later) and multicast groups.
 *
 * @example
 * ctx.write(familyText(family));
 */
export function familyText(family: GenlFamily): string {
  let text = family.name === undefined ? '' : `\nName: ${family.name}\n`;
  if (family.id !== undefined) text += `\tID: 0x${hex(family.id)} `;
  // iproute2 takes the version the capabilities depend on from the family, 1 when absent.
  const version = family.version ?? 1;
  if (family.version !== undefined) text += ` Version: 0x${hex(family.version)} `;
  if (family.hdrsize !== undefined) text += ` header size: ${family.hdrsize} `;
  if (family.maxattr !== undefined) text += ` max attribs: ${family.maxattr} `;
  text += '\n';
  if (family.ops !== undefined) {
    text += '\tcommands supported: \n';
    family.ops.forEach((op, i) => {
      text += `\t\t#${i + 1}: `;
      if (op.id !== undefined) text += ` ID-0x${hex(op.id)} `;
      if (op.flags !== undefined && version >= 2) text += capabilities(op.flags);
      text += '\n';
    });
    text += '\n';
  }
  if (family.mcastGroups !== undefined) {
    text += '\tmulticast groups:\n';
    family.mcastGroups.forEach((group, i) => {
      text += `\t\t#${i + 1}: `;
      if (group.id !== undefined) text += ` ID-0x${hex(group.id)} `;
      if (group.name !== undefined) text += ` name: ${group.name} `;
      text += '\n';
    });
    text += '\n';
  }
  return text;
}

/** FamilyJson is `nlrx -j genl ctrl list`'s object of one family (documented in the README). */
export interface FamilyJson {
  name?: string;
  id?: number;
  version?: number;
  hdrsize?: number;
  maxattr?: number;
  ops: { id?: number; flags?: number; capabilities: string[] }[];
  mcast_groups: { name?: string; id?: number }[];
}

/**
 * familyJson is one family as `nlrx -j genl ctrl list` prints it: numbers as
 * numbers, capabilities by name.
 *
 * @example
 * console.log(JSON.stringify(families.map(familyJson)));
 */
export function familyJson(family: GenlFamily): FamilyJson {
  const names: [number, string][] = [[GENL_ADMIN_PERM, 'admin'], [GENL_CMD_CAP_DO, 'do'], [GENL_CMD_CAP_DUMP, 'dump'],
    [GENL_CMD_CAP_HASPOL, 'policy']];
  return {
    name: family.name,
    id: family.id,
    version: family.version,
    hdrsize: family.hdrsize,
    maxattr: family.maxattr,
    ops: (family.ops ?? []).map((op) => ({
      id: op.id, flags: op.flags, capabilities: names.filter(([bit]) => (op.flags ?? 0) & bit).map(([, name]) => name),
    })),
    mcast_groups: (family.mcastGroups ?? []).map((g) => ({ name: g.name, id: g.id })),
  };
}

/**
 * familyFormat is how `nlrx genl ctrl list` prints a family.
 *
 * @example
 * familyFormat.text(family); // '\nName: nlctrl\n\tID: 0x10 …'
 */
export const familyFormat: ObjectFormat<GenlFamily> = { json: (f) => JSON.stringify(familyJson(f)), text: familyText };
