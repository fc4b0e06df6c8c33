/**
 * Decoder specs on real kernel bytes. The hex below was captured once
 * (kernel 6.18, iproute2 6.1) with dump() + routeRequest/ruleRequest/
 * nexthopRequest from a namespace built with:
 *   ip link add v0 type veth peer name v1; ip addr add 10.1.0.1/24 dev v0
 *   ip route add 10.9.0.0/16 via 10.1.0.2 mtu 1400 advmss 1300 metric 5 proto static
 *   ip route add 10.5.0.0/16 nexthop via 10.1.0.2 weight 2 nexthop via 10.1.0.3 dev v0 onlink
 *   ip nexthop add id 1 via 10.1.0.2 dev v0; … id 3 via 10.1.0.3 dev v0; id 10 group 1,3/3
 *   ip route add 10.6.0.0/16 nhid 10; ip -6 route add 2001:db8:5::/64 via 2001:db8::2 pref high
 *   ip rule add fwmark 0x10/0xff ipproto udp dport 53-60 uidrange 100-200 prohibit pref 200
 */
import { describe, expect, it } from 'vitest';
import { readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { AF_INET, AF_INET6 } from '../../lib/route/constants.js';
import { decodeNexthop } from '../../lib/route/nexthop.js';
import { ipv4Text, ipv6Text } from '../../lib/codec/address-text.js';
import {
  ICMPV6_ROUTER_PREF_HIGH, RTN_BLACKHOLE, RTN_UNICAST, RTNH_F_ONLINK, RTPROT_BOOT, RTPROT_KERNEL, RTPROT_STATIC,
  RT_SCOPE_LINK, RT_TABLE_MAIN,
} from '../../lib/route/route-constants.js';
import { decodeRoute } from '../../lib/route/route.js';
import { FR_ACT_PROHIBIT, decodeRule } from '../../lib/route/rule.js';

const msg = (hex: string) => readHeader(Buffer.from(hex.replace(/\s+/g, ''), 'hex'), 0);

// 10.1.0.0/24 dev v0 proto kernel scope link src 10.1.0.1 — nlmsghdr (len 60, RTM_NEWROUTE, MULTI|DUMP_FILTERED),
// rtmsg (AF_INET, dst_len 24, table 254, kernel, link, unicast), RTA_TABLE 254, RTA_DST, RTA_PREFSRC, RTA_OIF 3.
const CONNECTED = '3c000000 18002200 01000000 97040000 02180000 fe02fd01 00000000' +
  '08000f00 fe000000 08000100 0a010000 08000700 0a010001 08000400 03000000';
// 10.9.0.0/16 via 10.1.0.2 dev v0 proto static metric 5 mtu 1400 advmss 1300: RTA_PRIORITY 5,
// RTA_METRICS { RTAX_MTU 1400, RTAX_ADVMSS 1300 }, RTA_GATEWAY, RTA_OIF.
const STATIC = '58000000 18002200 01000000 97040000 02100000 fe040001 00000000 08000f00 fe000000' +
  '08000100 0a090000 08000600 05000000 14000800 08000200 78050000 08000800 14050000' +
  '08000500 0a010002 08000400 03000000';
// 10.5.0.0/16 multipath: RTA_MULTIPATH { rtnexthop(len 16, flags 0, hops 1, ifindex 3) RTA_GATEWAY 10.1.0.2,
// rtnexthop(len 16, flags onlink, hops 0, ifindex 3) RTA_GATEWAY 10.1.0.3 }.
const MULTIPATH = '50000000 18002200 01000000 97040000 02100000 fe030001 00000000 08000f00 fe000000' +
  '08000100 0a050000 24000900 10000001 03000000 08000500 0a010002 10000400 03000000 08000500 0a010003';
// 10.6.0.0/16 nhid 10: RTA_NH_ID 10 and the group expanded in RTA_MULTIPATH.
const NHID = '58000000 18002200 01000000 97040000 02100000 fe030001 00000000 08000f00 fe000000' +
  '08000100 0a060000 08001e00 0a000000 24000900 10000002 03000000 08000500 0a010002' +
  '10000000 03000000 08000500 0a010003';
// blackhole 10.8.0.0/16.
const BLACKHOLE = '2c000000 18002200 01000000 97040000 02100000 fe030006 00000000 08000f00 fe000000 08000100 0a080000';
// 2001:db8:5::/64 via 2001:db8::2 dev v0 metric 1024 pref high: RTA_CACHEINFO (32 bytes) and RTA_PREF 1.
const IPV6 = '88000000 18002200 02000000 97040000 0a400000 fe030001 00000000 08000f00 fe000000' +
  '14000100 20010db8 00050000 00000000 00000000 08000600 00040000 14000500 20010db8 00000000 00000000 00000002' +
  '08000400 03000000 24000c00 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000' +
  '05001400 01000000';
// rule 200: from all fwmark 0x10/0xff uidrange 100-200 ipproto udp dport 53-60 prohibit.
const RULE = '68000000 20000200 03000000 97040000 02000000 00000008 00000000 08000f00 00000000 08000e00 ffffffff' +
  '05001500 00000000 08000600 c8000000 08000a00 10000000 08001000 ff000000 0c001400 64000000 c8000000' +
  '08001800 35003c00 05001600 11000000';
// nexthop id 10 group 1,3/3 (AF_UNSPEC), with NHA_OP_FLAGS (14), an attribute newer than our header.
const GROUP = '44000000 68000200 04000000 97040000 00000000 00000000 08000100 0a000000 06000300 00000000' +
  '14000200 01000000 02000000 03000000 00000000 08000e00 00000080';

describe('decodeRoute on captured kernel bytes', () => {
  it('decodes a connected route', () => {
    const r = decodeRoute(msg(CONNECTED));
    expect(r).toMatchObject({ family: AF_INET, dstLen: 24, table: RT_TABLE_MAIN, protocol: RTPROT_KERNEL,
      scope: RT_SCOPE_LINK, type: RTN_UNICAST, dst: '10.1.0.0', prefsrc: '10.1.0.1', oif: 3 });
    expect(r.problems).toBeUndefined();
    expect(r.unknown).toBeUndefined();
  });

  it('decodes metrics, gateway and priority', () => {
    const r = decodeRoute(msg(STATIC));
    expect(r).toMatchObject({ dst: '10.9.0.0', dstLen: 16, gateway: '10.1.0.2', priority: 5, protocol: RTPROT_STATIC,
      metrics: { mtu: 1400, advmss: 1300 } });
  });

  it('decodes multipath next hops with weights and flags', () => {
    const r = decodeRoute(msg(MULTIPATH));
    expect(r.protocol).toBe(RTPROT_BOOT);
    expect(r.multipath).toEqual([
      { ifindex: 3, hops: 1, weight: 2, flags: 0, gateway: '10.1.0.2' },
      { ifindex: 3, hops: 0, weight: 1, flags: RTNH_F_ONLINK, gateway: '10.1.0.3' },
    ]);
  });

  it('decodes a route through a nexthop object', () => {
    const r = decodeRoute(msg(NHID));
    expect(r.nhid).toBe(10);
    expect(r.multipath?.map((h) => h.weight)).toEqual([3, 1]);
  });

  it('decodes a blackhole route, without properties for the attributes it lacks', () => {
    const route = decodeRoute(msg(BLACKHOLE));
    expect(route).toMatchObject({ type: RTN_BLACKHOLE, dst: '10.8.0.0' });
    expect(route.oif).toBeUndefined();
    expect(Object.keys(route)).not.toContain('oif');
    expect(Object.keys(route)).not.toContain('problems');
  });

  it('decodes an IPv6 route with pref and cacheinfo', () => {
    const r = decodeRoute(msg(IPV6));
    expect(r).toMatchObject({ family: AF_INET6, dst: '2001:db8:5::', dstLen: 64, gateway: '2001:db8::2',
      priority: 1024, pref: ICMPV6_ROUTER_PREF_HIGH, oif: 3 });
    expect(r.cacheinfo?.expires).toBe(0);
  });

  it('keeps an unknown attribute raw (copied) and still decodes the rest', () => {
    const bytes = Buffer.from(CONNECTED.replace(/\s+/g, '') + '0800ff00deadbeef', 'hex');
    bytes.writeUInt32LE(bytes.length, 0);
    const r = decodeRoute(readHeader(bytes, 0));
    expect(r.unknown?.map((a) => a.type)).toEqual([0xff]);
    bytes.fill(0, 60);
    expect(Array.from(r.unknown![0].data)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(r.oif).toBe(3);
  });

  it('records an attribute of the wrong size and decodes the ones after it', () => {
    // RTA_TABLE with 3 bytes of payload instead of 4 (len 7, padded to 8).
    const bytes = Buffer.from(CONNECTED.replace(/\s+/g, ''), 'hex');
    bytes.writeUInt16LE(7, 28);
    const r = decodeRoute(readHeader(bytes, 0));
    expect(r.problems).toHaveLength(1);
    expect(r.problems![0]).toBeInstanceOf(NetlinkDecodeError);
    expect(r.problems![0].code).toBe('EPROTO');
    expect(r).toMatchObject({ dst: '10.1.0.0', prefsrc: '10.1.0.1', oif: 3, table: RT_TABLE_MAIN });
  });

  it('records a wrong-size address and a truncated last attribute', () => {
    const bytes = Buffer.from(CONNECTED.replace(/\s+/g, ''), 'hex');
    bytes.writeUInt16LE(6, 36); // RTA_DST of 2 bytes
    const truncated = bytes.subarray(0, 58);
    truncated.writeUInt32LE(58, 0); // RTA_OIF header says 8 bytes, 6 remain
    const r = decodeRoute(readHeader(truncated, 0));
    expect(r.dst).toBeUndefined();
    expect(r.prefsrc).toBe('10.1.0.1');
    expect(r.problems?.map((p) => p.code)).toEqual(['EPROTO', 'EPROTO']);
  });

  it('throws a NetlinkDecodeError for a message shorter than struct rtmsg: it cannot be a route', () => {
    const bytes = Buffer.from(CONNECTED.replace(/\s+/g, ''), 'hex').subarray(0, 16 + 11);
    bytes.writeUInt32LE(bytes.length, 0);
    expect(() => decodeRoute(readHeader(bytes, 0))).toThrow(NetlinkDecodeError);
  });

  it('records a multipath next hop that runs past its attribute', () => {
    const bytes = Buffer.from(MULTIPATH.replace(/\s+/g, ''), 'hex');
    bytes.writeUInt16LE(0x40, 64); // second rtnexthop claims 64 bytes
    const r = decodeRoute(readHeader(bytes, 0));
    expect(r.multipath).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
  });
});

describe('decodeRule and decodeNexthop on captured kernel bytes', () => {
  it('decodes a rule with mark, mask, uid and port ranges', () => {
    expect(decodeRule(msg(RULE))).toMatchObject({ family: AF_INET, priority: 200, action: FR_ACT_PROHIBIT, table: 0,
      fwmark: 0x10, fwmask: 0xff, uidRange: { start: 100, end: 200 }, ipProto: 17, dportRange: { start: 53, end: 60 },
      suppressPrefixlen: -1, protocol: 0 });
  });

  it('decodes a nexthop group and keeps the newer attribute raw', () => {
    const nh = decodeNexthop(msg(GROUP));
    expect(nh).toMatchObject({ id: 10, groupType: 0, group: [{ id: 1, weight: 3 }, { id: 3, weight: 1 }],
      blackhole: false });
    expect(nh.unknown?.map((a) => a.type)).toEqual([14]);
  });

  it('records a group of a size that is not a whole number of entries', () => {
    const bytes = Buffer.from(GROUP.replace(/\s+/g, ''), 'hex');
    bytes.writeUInt16LE(0x10, 40);
    bytes.writeUInt16LE(4, 56); // the old tail becomes an empty attribute of type 15
    bytes.writeUInt16LE(15, 58);
    const nh = decodeNexthop(readHeader(bytes, 0));
    expect(nh.group).toBeUndefined();
    expect(nh.id).toBe(10);
    expect(nh.problems).toHaveLength(1);
    expect(nh.unknown?.map((a) => a.type)).toEqual([15, 14]);
  });
});

describe('address text', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000000', '2001:db8:0:1::'],
    ['20010db8000000000001000000000000', '2001:db8:0:0:1::'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
    ['000000000000000000000000c0000201', '::192.0.2.1'],
    ['fe800000000000000000000000000001', 'fe80::1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
  ])('IPv6 %s is %s, as inet_ntop prints it', (hex, text) => {
    expect(ipv6Text(Buffer.from(hex, 'hex'), 0)).toBe(text);
  });

  it('IPv4 uses every octet value', () => {
    for (let i = 0; i < 256; i++) expect(ipv4Text(Uint8Array.of(i, 255 - i, 0, i), 0)).toBe(`${i}.${255 - i}.0.${i}`);
  });
});
