import { describe, expect, it } from 'vitest';
import { readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import { decodeLink, IFLA_IFNAME, IFLA_LINKINFO, type Link } from '../../lib/route/link-decode.js';
import { IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND } from '../../lib/route/link-info.js';
import {
  IFLA_MACVLAN_BC_QUEUE_LEN, IFLA_MACVLAN_FLAGS, IFLA_MACVLAN_MACADDR_COUNT, IFLA_MACVLAN_MACADDR_DATA, IFLA_MACVLAN_MODE,
  IFLA_VRF_PORT_TABLE, IFLA_VRF_TABLE, MACVLAN_FLAG_NOPROMISC, MACVLAN_MODE_SOURCE,
} from '../../lib/route/link-kinds.js';
import { kindDetails, slaveKindDetails } from '../../lib/cli/link-kind-format.js';
import { linkJson, linkText, type LinkView } from '../../lib/cli/link-format.js';

// Kinds this kernel cannot create (vrf, dummy, wireguard, bond, gre), and macvlan's source mode,
// from crafted RTM_NEWLINK bytes laid out as <linux/if_link.h> says.

/** struct nlattr { __u16 nla_len; __u16 nla_type; } + payload, padded to 4. */
function attribute(type: number, ...payload: Buffer[]): Buffer {
  const data = Buffer.concat(payload);
  const out = Buffer.alloc((4 + data.length + 3) & ~3);
  out.writeUInt16LE(4 + data.length, 0);
  out.writeUInt16LE(type, 2);
  data.copy(out, 4);
  return out;
}
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u8 = (v: number) => Buffer.from([v]);
const text = (v: string) => Buffer.from(`${v}\0`);

/** An RTM_NEWLINK (nlmsghdr + struct ifinfomsg of an ARPHRD_ETHER link 7 named `x0`) with IFLA_LINKINFO holding `info`. */
function link(...info: Buffer[]): Link {
  const ifinfo = Buffer.alloc(16);
  ifinfo.writeUInt16LE(1, 2);
  ifinfo.writeInt32LE(7, 4);
  const body = Buffer.concat([ifinfo, attribute(IFLA_IFNAME, text('x0')), attribute(IFLA_LINKINFO, ...info)]);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + body.length, 0);
  header.writeUInt16LE(16, 4);
  const msg: NetlinkMessage = readHeader(Buffer.concat([header, body]), 0);
  return decodeLink(msg);
}

const view: LinkView = { byIndex: new Map(), doLink: true, details: true, stats: false };
const name = (i: number) => `if${i}`;

describe('link kinds ip prints with -d (crafted bytes)', () => {
  it('vrf: its table, in text and as info_data', () => {
    const vrf = link(attribute(IFLA_INFO_KIND, text('vrf')), attribute(IFLA_INFO_DATA, attribute(IFLA_VRF_TABLE, u32(10))));
    expect(vrf.linkinfo?.vrf).toEqual({ table: 10 });
    expect(linkText(vrf, view)).toContain('\n    vrf table 10 ');
    expect(linkJson(vrf, view).linkinfo).toEqual({ info_kind: 'vrf', info_data: { table: 10 } });
  });

  it('a port of a vrf: vrf_slave and the table', () => {
    const port = link(attribute(IFLA_INFO_KIND, text('veth')), attribute(IFLA_INFO_SLAVE_KIND, text('vrf')),
      attribute(IFLA_INFO_SLAVE_DATA, attribute(IFLA_VRF_PORT_TABLE, u32(10))));
    expect(port.linkinfo?.vrfPort).toEqual({ table: 10 });
    expect(linkText(port, view)).toContain('\n    veth \n    vrf_slave table 10 ');
    expect(linkJson(port, view).linkinfo).toEqual({ info_kind: 'veth', info_slave_kind: 'vrf', info_slave_data: { table: 10 } });
  });

  it.each(['dummy', 'wireguard'])('%s: the kind alone, no info_data (ip has no printer for it)', (kind) => {
    const l = link(attribute(IFLA_INFO_KIND, text(kind)));
    expect(kindDetails(l, name)).toBeUndefined();
    expect(linkText(l, view)).toContain(`\n    ${kind} `);
    expect(linkJson(l, view).linkinfo).toEqual({ info_kind: kind });
  });

  it('bond and gre: their data decoded raw, nothing lost (their printers are not written yet)', () => {
    // IFLA_BOND_MODE (1) = BOND_MODE_ACTIVEBACKUP (1); IFLA_BOND_MIIMON (3) = 100.
    const bond = link(attribute(IFLA_INFO_KIND, text('bond')), attribute(IFLA_INFO_DATA, attribute(1, u8(1)), attribute(3, u32(100))));
    expect(bond.linkinfo?.kind).toBe('bond');
    expect(bond.linkinfo?.data).toEqual([{ type: 1, data: Uint8Array.from([1]) }, { type: 3, data: Uint8Array.from([100, 0, 0, 0]) }]);
    expect(bond.problems).toBeUndefined();
    // IFLA_GRE_LINK (1) = 2; IFLA_GRE_LOCAL (6) = 192.0.2.1; IFLA_GRE_REMOTE (7) = 192.0.2.2; IFLA_GRE_TTL (8) = 64.
    const gre = link(attribute(IFLA_INFO_KIND, text('gre')), attribute(IFLA_INFO_DATA, attribute(1, u32(2)),
      attribute(6, Buffer.from([192, 0, 2, 1])), attribute(7, Buffer.from([192, 0, 2, 2])), attribute(8, u8(64))));
    expect(gre.linkinfo?.data?.map((a) => a.type)).toEqual([1, 6, 7, 8]);
    expect(gre.problems).toBeUndefined();
  });

  it('macvlan in source mode: flags, queue length, the allowed sources', () => {
    const mac = (last: number) => attribute(4, Buffer.from([2, 0, 0, 0, 0, last]));
    const l = link(attribute(IFLA_INFO_KIND, text('macvlan')), attribute(IFLA_INFO_DATA,
      attribute(IFLA_MACVLAN_MODE, u32(MACVLAN_MODE_SOURCE)), attribute(IFLA_MACVLAN_FLAGS, u16(MACVLAN_FLAG_NOPROMISC)),
      attribute(IFLA_MACVLAN_MACADDR_COUNT, u32(2)), attribute(IFLA_MACVLAN_MACADDR_DATA, mac(1), mac(2)),
      attribute(IFLA_MACVLAN_BC_QUEUE_LEN, u32(1000))));
    expect(l.linkinfo?.macvlan).toEqual({
      mode: MACVLAN_MODE_SOURCE, flags: MACVLAN_FLAG_NOPROMISC, macaddrCount: 2,
      macaddrData: ['02:00:00:00:00:01', '02:00:00:00:00:02'], bcQueueLen: 1000,
    });
    expect(kindDetails(l, name)?.text).toBe('mode source nopromisc bcqueuelen 1000 remotes (2) 02:00:00:00:00:01 02:00:00:00:00:02 ');
  });

  it('a bridge port without data still opens info_slave_data, as ip does', () => {
    const port = link(attribute(IFLA_INFO_KIND, text('veth')), attribute(IFLA_INFO_SLAVE_KIND, text('bridge')));
    expect(slaveKindDetails(port, name)?.json).toEqual({});
    expect(linkJson(port, view).linkinfo).toEqual({ info_kind: 'veth', info_slave_kind: 'bridge', info_slave_data: {} });
  });
});
