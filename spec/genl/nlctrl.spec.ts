/**
 * nlctrl's family message on captured kernel bytes, and the dump over the
 * real kernel. The hex is the first reply of a CTRL_CMD_GETFAMILY dump
 * (`familiesRequest()`), captured once on kernel 6.18: the nlctrl family itself.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import {
  CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_CMD_CAP_HASPOL, GENL_ID_CTRL,
} from '../../lib/genl/genl-constants.js';
import { decodeFamily, familiesRequest, familySelector } from '../../lib/genl/nlctrl.js';
import { dumpBatches } from '../../lib/rx/dump-batches.js';
import { isRoot } from '../helpers/netns.js';

// nlmsghdr (136 bytes, type 0x10, NLM_F_MULTI), genlmsghdr (CTRL_CMD_NEWFAMILY, version 2),
// CTRL_ATTR_FAMILY_NAME "nlctrl", FAMILY_ID 0x10, VERSION 2, HDRSIZE 0, MAXATTR 0,
// OPS { 1: { ID 3, FLAGS 0xe }, 2: { ID 10, FLAGS 0xc } }, MCAST_GROUPS { 1: { ID 0x10, NAME "notify" } }.
const NLCTRL = '880000001000020001000000a56f0000010200000b0002006e6c6374726c000006000100100000000800030002000000' +
  '080004000000000008000500000000002c000600140001000800010003000000080002000e00000014000200080001000a000000' +
  '080002000c0000001c0007001800010008000200100000000b0001006e6f746966790000';

describe('decodeFamily on captured kernel bytes', () => {
  it('decodes the family, its operations and its multicast groups', () => {
    const family = decodeFamily(readHeader(Buffer.from(NLCTRL, 'hex'), 0));
    expect(family).toEqual({
      cmd: CTRL_CMD_NEWFAMILY, genlVersion: 2, name: 'nlctrl', id: GENL_ID_CTRL, version: 2, hdrsize: 0, maxattr: 0,
      ops: [
        { id: CTRL_CMD_GETFAMILY, flags: GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL },
        { id: 10, flags: GENL_CMD_CAP_DUMP | GENL_CMD_CAP_HASPOL },
      ],
      mcastGroups: [{ id: 0x10, name: 'notify' }],
    });
  });

  it('records a broken operation nest on the family and keeps the rest', () => {
    const bytes = Buffer.from(NLCTRL, 'hex');
    // The second operation's nest claims 0x40 bytes, past CTRL_ATTR_OPS.
    const at = bytes.indexOf(Buffer.from('14000200080001000a000000', 'hex'));
    bytes.writeUInt16LE(0x40, at);
    const family = decodeFamily(readHeader(bytes, 0));
    expect(family.ops).toHaveLength(1);
    expect(family.mcastGroups).toEqual([{ id: 0x10, name: 'notify' }]);
    expect(family.problems?.[0]).toBeInstanceOf(NetlinkDecodeError);
  });

  it('throws a NetlinkDecodeError for a message shorter than struct genlmsghdr', () => {
    const bytes = Buffer.from(NLCTRL, 'hex').subarray(0, 18);
    bytes.writeUInt32LE(18, 0);
    expect(() => decodeFamily(readHeader(bytes, 0))).toThrow(NetlinkDecodeError);
  });

  it('selects families, by name when asked', () => {
    const msg = readHeader(Buffer.from(NLCTRL, 'hex'), 0);
    expect(familySelector()(msg)?.name).toBe('nlctrl');
    expect(familySelector('nlctrl')(msg)?.id).toBe(GENL_ID_CTRL);
    expect(familySelector('ethtool')(msg)).toBeUndefined();
  });
});

describe.skipIf(!isRoot)('the CTRL_CMD_GETFAMILY dump on the real kernel', () => {
  it('lists nlctrl itself with its notify group', async () => {
    const select = familySelector();
    const batches = await lastValueFrom(dumpBatches(familiesRequest()).pipe(toArray()));
    const families = batches.flat().map(select).filter((f) => f !== undefined);
    expect(families.length).toBeGreaterThan(3);
    expect(families.every((f) => f.problems === undefined)).toBe(true);
    expect(families.find((f) => f.name === 'nlctrl')?.mcastGroups).toEqual([{ id: GENL_ID_CTRL, name: 'notify' }]);
  });
});
