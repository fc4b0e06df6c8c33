/**
 * The nexthop description on bytes captured from kernel 6.18
 * (`dump(nexthopRequest({ groups: true }))` after `ip nexthop add id 20 group
 * 1/3 type resilient buckets 2 idle_timer 60 unbalanced_timer 30`), and the
 * one input that is not a nexthop at all.
 */
import { describe, expect, it } from 'vitest';
import { readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { AF_INET6, AF_UNSPEC } from '../../lib/route/constants.js';
import {
  NEXTHOP_GRP_TYPE_RES, NHMSG_SIZE, decodeNexthop, decodeNexthopRequest, nexthopRequest,
} from '../../lib/route/nexthop-decode.js';

const bytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

// nlmsghdr (len 108, RTM_NEWNEXTHOP), nhmsg (AF_UNSPEC), NHA_ID 20, NHA_GROUP_TYPE resilient,
// NHA_GROUP [1 weight 1, 3 weight 1], NHA_RES_GROUP (NLA_F_NESTED) { BUCKETS 2, IDLE_TIMER 6000,
// UNBALANCED_TIMER 3000, UNBALANCED_TIME 0 (u64) }, NHA_OP_FLAGS (14, newer than our header).
const RESILIENT = '6c000000 68000200 01000000 fd7a0000 00000000 00000000 08000100 14000000 06000300 01000000' +
  '14000200 01000000 00000000 03000000 00000000 28000c80 06000100 02000000 08000200 70170000' +
  '08000300 b80b0000 0c000400 00000000 00000000 08000e00 00000080';

describe('nexthopMessage (RTM_NEWNEXTHOP described)', () => {
  it('reads a resilient group: members, type and every NHA_RES_GROUP field', () => {
    const nh = decodeNexthop(readHeader(bytes(RESILIENT), 0));
    expect(nh).toStrictEqual({
      family: AF_UNSPEC, scope: 0, protocol: 0, flags: 0, blackhole: false, fdb: false,
      id: 20, groupType: NEXTHOP_GRP_TYPE_RES, group: [{ id: 1, weight: 1 }, { id: 3, weight: 1 }],
      resilient: { buckets: 2, idleTimer: 6000, unbalancedTimer: 3000, unbalancedTime: 0 },
      unknown: [{ type: 14, data: Uint8Array.of(0, 0, 0, 0x80) }],
    });
  });

  it('keeps an unknown NHA_RES_GROUP attribute raw and records a wrong-size one', () => {
    const b = bytes(RESILIENT);
    b.writeUInt16LE(0x7f, 90); // NHA_RES_GROUP_UNBALANCED_TIME becomes attribute 127
    b.writeUInt16LE(0x06, 80); // NHA_RES_GROUP_UNBALANCED_TIMER claims 2 bytes (padded to 8 as before)
    const nh = decodeNexthop(readHeader(b, 0));
    expect(nh.resilient).toStrictEqual({ buckets: 2, idleTimer: 6000, unknown: [{ type: 127, data: new Uint8Array(8) }] });
    expect(nh.problems?.map((p) => p.code)).toEqual(['EPROTO']);
    expect(nh.id).toBe(20);
  });

  it('starts blackhole and fdb false, in the header\'s place, and lets their flag attributes set them', () => {
    // nhmsg (AF_INET6), NHA_ID 7, NHA_BLACKHOLE; then the same with NHA_FDB.
    const b = bytes('24000000 68000200 01000000 fd7a0000 0a000000 00000000 08000100 07000000 04000400');
    const blackhole = decodeNexthop(readHeader(b, 0));
    expect(Object.keys(blackhole)).toEqual(['family', 'scope', 'protocol', 'flags', 'blackhole', 'fdb', 'id']);
    expect(blackhole).toMatchObject({ family: AF_INET6, id: 7, blackhole: true, fdb: false });
    b.writeUInt16LE(11, 34);
    expect(decodeNexthop(readHeader(b, 0))).toMatchObject({ blackhole: false, fdb: true });
  });

  it('throws a NetlinkDecodeError for a message shorter than struct nhmsg', () => {
    const short = bytes(RESILIENT).subarray(0, 16 + NHMSG_SIZE - 1);
    short.writeUInt32LE(short.length, 0);
    expect(() => decodeNexthop(readHeader(short, 0))).toThrow(NetlinkDecodeError);
    const header = bytes(RESILIENT).subarray(0, 16 + NHMSG_SIZE);
    header.writeUInt32LE(header.length, 0);
    expect(decodeNexthop(readHeader(header, 0))).toStrictEqual({
      family: AF_UNSPEC, scope: 0, protocol: 0, flags: 0, blackhole: false, fdb: false,
    });
  });

  it('writes the dump request from the description, byte for byte as before', () => {
    const payload = nexthopRequest({ family: 'inet6', ifindex: 2, groups: true, fdb: true }).payload;
    // nhmsg (AF_INET6), NHA_OIF 2, NHA_GROUPS, NHA_FDB.
    expect(Buffer.from(payload).toString('hex')).toBe(`0${AF_INET6.toString(16)}00000000000000` +
      '0800050002000000' + '04000900' + '04000b00');
    expect(decodeNexthopRequest(payload)).toStrictEqual({ family: 'inet6', ifindex: 2, groups: true, fdb: true });
    expect(() => decodeNexthopRequest(payload.subarray(0, 7))).toThrow(NetlinkDecodeError);
  });
});
