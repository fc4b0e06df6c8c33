/** The packet_diag descriptions on crafted bytes (<linux/packet_diag.h>). */
import { describe, expect, it } from 'vitest';
import { NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import { packetDiagRequest, packetSocketMessage } from '../../lib/sockdiag/packet-diag-decode.js';
import {
  PACKET_DIAG_INFO, PACKET_DIAG_MCLIST, PACKET_DIAG_UID, PDI_RUNNING, SOCK_DIAG_BY_FAMILY, SOCK_RAW,
} from '../../lib/sockdiag/sockdiag-constants.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';

const u32s = (...values: number[]) => { const b = Buffer.alloc(4 * values.length); values.forEach((v, i) => b.writeUInt32LE(v, 4 * i)); return b; };

describe('struct packet_diag_msg and PACKET_DIAG_*', () => {
  it('decodes type, protocol (host order), inode, cookie, info, multicast list and uid', () => {
    const head = Buffer.alloc(16);
    head.set([17, SOCK_RAW]);
    head.writeUInt16LE(3, 2); // ETH_P_ALL
    head.writeUInt32LE(900, 4);
    head.writeBigUInt64LE(5n, 8);
    const mc = Buffer.alloc(44);
    mc.writeUInt32LE(2, 0);
    mc.writeUInt32LE(1, 4);
    mc.writeUInt16LE(0, 8);
    mc.writeUInt16LE(6, 10);
    mc.set([0x01, 0x00, 0x5e, 0, 0, 1], 12);
    const payload = Buffer.concat([head, tlv(PACKET_DIAG_INFO, u32s(2, 2, 0, 0, 0, PDI_RUNNING)), tlv(PACKET_DIAG_MCLIST, mc), tlv(PACKET_DIAG_UID, u32s(0))]);
    expect(packetSocketMessage.decode(readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1, payload }), 0))).toEqual({
      kind: 'packet', type: SOCK_RAW, protocol: 3, inode: 900, cookie: 5n,
      info: { index: 2, version: 2, reserve: 0, copyThresh: 0, tstamp: 0, flags: PDI_RUNNING },
      mclist: [{ index: 2, count: 1, type: 0, address: '01:00:5e:00:00:01' }], uid: 0,
    });
  });

  it('asks for AF_PACKET sockets with protocol 0 and every show flag', () => {
    const bytes = Buffer.from(packetDiagRequest().payload);
    expect([bytes[0], bytes[1]]).toEqual([17, 0]);
    expect(bytes.readUInt32LE(8)).toBe(0x3f);
  });
});
