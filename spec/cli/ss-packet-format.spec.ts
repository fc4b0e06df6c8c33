/**
 * Packet lines from crafted sockets, for what the oracle spec's namespace
 * (spec/cli/ss-netlink-packet.spec.ts) cannot easily hold: a tx ring, a
 * fanout mode ss does not name, a uid, names of ethertypes.
 */
import { describe, expect, it } from 'vitest';
import { ethertypeId, ethertypeName, ssPacketRow } from '../../lib/cli/ss-packet-format.js';
import type { PacketSocket } from '../../lib/sockdiag/socket.js';

const options = { numeric: false, details: false, memory: false, processes: false, oneline: false };
const packet = (over: Partial<PacketSocket>): PacketSocket => ({
  kind: 'packet', type: 2, protocol: 0x0800, inode: 9, cookie: 0x1fn, ...over,
});
const context = { owners: undefined, interfaceName: (index: number) => (index === 1 ? 'lo' : `if${index}`) };

describe('ssPacketRow', () => {
  it('prints protocol and interface, * for ETH_P_ALL and no interface', () => {
    expect(ssPacketRow(packet({ protocol: 3 }), options, context)).toMatchObject({ netid: 'p_dgr', addr: '*:', port: '*', peer: '*' });
    expect(ssPacketRow(packet({ type: 3, info: { index: 1, version: 0, reserve: 0, copyThresh: 0, tstamp: 0, flags: 0 } }),
      options, context)).toMatchObject({ netid: 'p_raw', addr: 'ip:', port: 'lo' });
    expect([ethertypeName(0x88cc, false), ethertypeName(0x88cc, true), ethertypeName(0x4242, false)]).toEqual(['LLDP', '[35020]', '[16962]']);
  });

  it('prints -e details: uid, inode, cookie, rings, a fanout mode by number when ss has no name', () => {
    const ring = { blockSize: 4096, blockNr: 2, frameSize: 2048, frameNr: 4, retireTmo: 60, sizeofPriv: 0, features: 1 };
    const row = ssPacketRow(packet({ uid: 1000, txRing: ring, fanout: (9 << 16) | 5 }), { ...options, details: true }, context);
    expect(row.process).toBe(' uid:1000 ino:9 sk:1f\n\tring_tx(blk_size:4096,blk_nr:2,frm_size:2048,frm_nr:4,tmo:60,features:0x1)'
      + '\n\tfanout(id:5,type:0x9)');
  });

  it('reads an ethertype in a filter as ll_proto_a2n: a name in any case, or a number up to 0xffff', () => {
    expect(['ARP', 'ip', '802.1q', 'lldp', '0x88cc', '2048', '65536', 'nope'].map(ethertypeId))
      .toEqual([0x0806, 0x0800, 0x8100, 0x88cc, 0x88cc, 2048, undefined, undefined]);
  });
});
