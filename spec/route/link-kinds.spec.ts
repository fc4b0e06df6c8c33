import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import { decodeLink, IFLA_IFNAME, IFLA_LINKINFO, type Link } from '../../lib/route/link-decode.js';
import {
  IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND,
} from '../../lib/route/link-info.js';
import {
  IFLA_BR_FORWARD_DELAY, IFLA_BR_PAD, IFLA_BRPORT_COST, IFLA_VXLAN_ID, IFLA_VXLAN_PORT, IFLA_VXLAN_PORT_RANGE,
  VETH_INFO_PEER,
} from '../../lib/route/link-kinds.js';
import { links } from '../../lib/route/link.js';
import { lastValueFrom, toArray } from 'rxjs';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

/** One attribute: struct nlattr { __u16 nla_len; __u16 nla_type; } + payload, padded to 4. */
function attribute(type: number, ...payload: Buffer[]): Buffer {
  const data = Buffer.concat(payload);
  const out = Buffer.alloc((4 + data.length + 3) & ~3);
  out.writeUInt16LE(4 + data.length, 0);
  out.writeUInt16LE(type, 2);
  data.copy(out, 4);
  return out;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

function text(value: string): Buffer {
  return Buffer.from(`${value}\0`);
}

/** struct ifinfomsg for an ARPHRD_ETHER link with index `ifindex`, then `attributes`. */
function ifinfomsg(ifindex: number, ...attributes: Buffer[]): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt16LE(1, 2); // ifi_type ARPHRD_ETHER
  header.writeInt32LE(ifindex, 4);
  return Buffer.concat([header, ...attributes]);
}

/** An RTM_NEWLINK message (nlmsghdr + body). */
function newlink(body: Buffer): NetlinkMessage {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + body.length, 0);
  header.writeUInt16LE(16, 4);
  return readHeader(Buffer.concat([header, body]), 0);
}

function linkinfo(...nested: Buffer[]): Buffer {
  return attribute(IFLA_LINKINFO, ...nested);
}

describe('IFLA_LINKINFO sub-messages (crafted bytes)', () => {
  it('keeps bridge attributes it does not type in bridge.unknown, padding left out', () => {
    const link = decodeLink(newlink(ifinfomsg(3, linkinfo(
      attribute(IFLA_INFO_KIND, text('bridge')),
      attribute(IFLA_INFO_DATA, attribute(IFLA_BR_FORWARD_DELAY, u32(1500)), attribute(IFLA_BR_PAD, Buffer.alloc(8)),
        attribute(47, Buffer.from([0, 0])), attribute(200, u32(7))),
    ))));
    expect(link.linkinfo?.bridge).toEqual({
      forwardDelay: 1500,
      unknown: [{ type: 47, data: Uint8Array.from([0, 0]) }, { type: 200, data: Uint8Array.from([7, 0, 0, 0]) }],
    });
    expect(link.problems).toBeUndefined();
  });

  it('keeps bridge port attributes it does not type in bridgePort.unknown', () => {
    const link = decodeLink(newlink(ifinfomsg(4, linkinfo(
      attribute(IFLA_INFO_KIND, text('veth')),
      attribute(IFLA_INFO_SLAVE_KIND, text('bridge')),
      attribute(IFLA_INFO_SLAVE_DATA, attribute(IFLA_BRPORT_COST, u32(5)), attribute(35, Buffer.from([1]))),
    ))));
    expect(link.linkinfo?.bridgePort).toEqual({ cost: 5, unknown: [{ type: 35, data: Uint8Array.from([1]) }] });
  });

  it('decodes the data of its kind whatever the order of kind and data', () => {
    const port = Buffer.from([0x12, 0xb5]); // 4789, network order
    const link = decodeLink(newlink(ifinfomsg(5, linkinfo(
      attribute(IFLA_INFO_DATA, attribute(IFLA_VXLAN_ID, u32(42)), attribute(IFLA_VXLAN_PORT, port)),
      attribute(IFLA_INFO_KIND, text('vxlan')),
    ))));
    expect(link.linkinfo).toEqual({ kind: 'vxlan', vxlan: { id: 42, port: 4789 } });
  });

  it('records a vxlan port range of the wrong size as a problem and keeps the rest', () => {
    const link = decodeLink(newlink(ifinfomsg(5, attribute(IFLA_IFNAME, text('vx0')), linkinfo(
      attribute(IFLA_INFO_KIND, text('vxlan')),
      attribute(IFLA_INFO_DATA, attribute(IFLA_VXLAN_PORT_RANGE, Buffer.from([0, 1])), attribute(IFLA_VXLAN_ID, u32(9))),
    ))));
    expect(link.ifname).toBe('vx0');
    expect(link.linkinfo?.vxlan).toEqual({ id: 9 });
    expect(link.problems).toHaveLength(1);
    expect(link.problems?.[0].code).toBe('EPROTO');
  });

  it('reads a veth peer as a whole link message (VETH_INFO_PEER)', () => {
    const peer = ifinfomsg(7, attribute(IFLA_IFNAME, text('vb')));
    const link = decodeLink(newlink(ifinfomsg(6, attribute(IFLA_IFNAME, text('va')), linkinfo(
      attribute(IFLA_INFO_KIND, text('veth')),
      attribute(IFLA_INFO_DATA, attribute(VETH_INFO_PEER, peer)),
    ))));
    expect(link.linkinfo?.veth?.peer).toEqual({ family: 0, type: 1, ifindex: 7, flags: 0, ifname: 'vb' });
  });

  it('records a veth peer too short for its ifinfomsg as a problem', () => {
    const link = decodeLink(newlink(ifinfomsg(6, linkinfo(
      attribute(IFLA_INFO_KIND, text('veth')),
      attribute(IFLA_INFO_DATA, attribute(VETH_INFO_PEER, Buffer.alloc(8))),
    ))));
    expect(link.linkinfo?.veth).toEqual({});
    expect(link.problems?.[0].message).toMatch(/ifinfomsg/);
  });

  it('keeps the data of a kind not described raw', () => {
    const link = decodeLink(newlink(ifinfomsg(8, linkinfo(
      attribute(IFLA_INFO_KIND, text('ipvlan')),
      attribute(IFLA_INFO_DATA, attribute(1, u32(4))),
    ))));
    expect(link.linkinfo).toEqual({ kind: 'ipvlan', data: [{ type: 1, data: Uint8Array.from([4, 0, 0, 0]) }] });
  });
});

interface IpVxlan {
  ifname: string;
  linkinfo: {
    info_kind: string;
    info_data: {
      id: number; remote?: string; group?: string; local?: string; remote6?: string; group6?: string; local6?: string; port: number; ttl?: number; df?: string;
      port_range?: { low: number; high: number }; learning: boolean; ageing: number; gbp?: boolean; proxy?: boolean;
      l2miss?: boolean; l3miss?: boolean; udp_csum?: boolean; udp_zero_csum6_tx?: boolean; external?: boolean;
      label?: string; link?: string;
    };
  };
}

describe.skipIf(!isRoot)('vxlan links against ip -d -j link show (real kernel)', () => {
  let ns: Netns;
  let all: Link[];
  beforeAll(async () => {
    ns = createNetns('lkind');
    ns.batch([
      'link add va type veth peer name vb',
      'link add vxl4 type vxlan id 42 remote 192.0.2.1 local 192.0.2.2 dstport 4789 ttl 10 srcport 1000 2000 df set gbp',
      'link add vxl6 type vxlan id 7 group ff05::1 dev vb dstport 8472 flowlabel 5 udp6zerocsumtx noudpcsum nolearning proxy l2miss l3miss',
      'link add vxm type vxlan external dstport 4790',
    ]);
    all = await lastValueFrom(links({ kind: 'vxlan' }, { netns: ns.name }).pipe(toArray()));
  });
  afterAll(() => ns?.remove());

  it('decodes IFLA_VXLAN_* to the values ip prints', () => {
    const ip = ns.ipJson<IpVxlan[]>('-d', 'link', 'show', 'type', 'vxlan');
    expect(ip).toHaveLength(3);
    expect(all.map((l) => l.ifname)).toEqual(ip.map((l) => l.ifname));
    const byIndex = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => [l.ifname, l.ifindex]));
    for (const { ifname, linkinfo: { info_data: want } } of ip) {
      const link = all.find((l) => l.ifname === ifname)!;
      const vx = link.linkinfo!.vxlan!;
      expect(link.problems).toBeUndefined();
      expect(vx.id).toBe(want.id);
      expect(vx.port).toBe(want.port);
      expect(vx.ageing).toBe(want.ageing);
      expect(vx.learning === 1).toBe(want.learning);
      expect(vx.group).toBe(want.remote ?? want.group);
      expect(vx.group6).toBe(want.remote6 ?? want.group6);
      expect(vx.local).toBe(want.local);
      expect(vx.local6).toBe(want.local6);
      expect(vx.gbp ?? false).toBe(want.gbp ?? false);
      expect(vx.proxy === 1).toBe(want.proxy ?? false);
      expect(vx.l2miss === 1).toBe(want.l2miss ?? false);
      expect(vx.collectMetadata === 1).toBe(want.external ?? false);
      expect(vx.udpZeroCsum6Tx === 1).toBe(want.udp_zero_csum6_tx ?? false);
      if (want.ttl !== undefined) expect(vx.ttl).toBe(want.ttl);
      if (want.port_range) expect(vx.portRange).toEqual(want.port_range);
      if (want.df) expect(vx.df).toBe(['unset', 'set', 'inherit'].indexOf(want.df));
      if (want.label) expect(vx.label).toBe(Number(want.label));
      if (want.link) expect(vx.link).toBe(byIndex.get(want.link));
    }
  });
});
