/** The netlink_diag descriptions on crafted bytes (<linux/netlink_diag.h>). */
import { describe, expect, it } from 'vitest';
import { NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import { netlinkDiagRequest, netlinkSocketMessage } from '../../lib/sockdiag/netlink-diag-decode.js';
import {
  AF_NETLINK, NDIAG_FLAG_CB_RUNNING, NDIAG_PROTO_ALL, NDIAG_SHOW_FLAGS, NDIAG_SHOW_GROUPS, NDIAG_SHOW_MEMINFO,
  NETLINK_DIAG_FLAGS, NETLINK_DIAG_GROUPS, SOCK_DIAG_BY_FAMILY, SOCK_RAW,
} from '../../lib/sockdiag/sockdiag-constants.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';

const u32s = (...values: number[]) => { const b = Buffer.alloc(4 * values.length); values.forEach((v, i) => b.writeUInt32LE(v >>> 0, 4 * i)); return b; };

describe('struct netlink_diag_msg and NETLINK_DIAG_*', () => {
  it('decodes protocol, ports, inode, cookie, the joined groups (bit n - 1 of the bitmap) and flags', () => {
    const head = Buffer.alloc(28);
    head.set([AF_NETLINK, SOCK_RAW, 0, 1]);
    head.writeUInt32LE(1234, 4);
    head.writeUInt32LE(0, 8);
    head.writeUInt32LE(0, 12);
    head.writeUInt32LE(555, 16);
    head.writeBigUInt64LE(0xabcn, 20);
    const payload = Buffer.concat([head, tlv(NETLINK_DIAG_GROUPS, u32s(0b101, 1 << 31)), tlv(NETLINK_DIAG_FLAGS, u32s(NDIAG_FLAG_CB_RUNNING))]);
    expect(netlinkSocketMessage.decode(readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1, payload }), 0))).toEqual({
      kind: 'netlink', type: SOCK_RAW, protocol: 0, state: 1, portid: 1234, dstPortid: 0, dstGroup: 0, inode: 555,
      cookie: 0xabcn, groups: [1, 3, 64], flags: NDIAG_FLAG_CB_RUNNING,
    });
  });

  it('asks for every netlink protocol with memory, groups and flags', () => {
    const bytes = Buffer.from(netlinkDiagRequest().payload);
    expect(bytes).toHaveLength(20);
    expect([bytes[0], bytes[1]]).toEqual([AF_NETLINK, NDIAG_PROTO_ALL]);
    expect(bytes.readUInt32LE(8)).toBe(NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS | NDIAG_SHOW_FLAGS);
  });
});
