/**
 * Unit specs of the live-table pieces that need no kernel: identities,
 * structural comparison, the storm meter and the flush detector.
 */
import { describe, expect, it } from 'vitest';
import { NLMSG_HDRLEN, writeHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import { FlushDetector } from '../../lib/live/flush-detector.js';
import { addressKey, conntrackKey, linkKey, nexthopKey, routeKey } from '../../lib/live/identity.js';
import { sameObject } from '../../lib/live/same-object.js';
import { StormMeter } from '../../lib/live/storm-meter.js';
import { RTM_DELADDR, RTM_DELLINK, RTM_NEWLINK, RTM_NEWNEXTHOP, RTNLGRP_LINK, RTNLGRP_NEXTHOP } from '../../lib/route/constants.js';

function linkMessage(type: number, index: number, flags: number): NetlinkMessage {
  const data = Buffer.alloc(NLMSG_HDRLEN + 16);
  writeHeader(data, 0, data.length, { type, flags: 0 });
  data.writeInt32LE(index, NLMSG_HDRLEN + 4);
  data.writeUInt32LE(flags, NLMSG_HDRLEN + 8);
  return { data, offset: 0, length: data.length, type, flags: 0, seq: 0, pid: 0 };
}

const route = {
  family: 2, table: 254, dst: '10.0.0.0', dstLen: 24, src: undefined, srcLen: 0, tos: 0, priority: 5,
  type: 1, oif: 3, protocol: 4, multipath: undefined,
};

describe('identity', () => {
  it('keeps a route its identity when its next hop or type changes (ip route replace)', () => {
    expect(routeKey({ ...route, oif: 4, type: 6 })).toBe(routeKey(route));
    expect(routeKey({ ...route, priority: 6 })).not.toBe(routeKey(route));
    expect(routeKey({ ...route, table: 100 })).not.toBe(routeKey(route));
    expect(routeKey({ ...route, tos: 4 })).not.toBe(routeKey(route));
  });

  it('tells apart per-device routes the kernel keeps side by side', () => {
    // IPv4 prefix routes of addresses (proto kernel) and local/broadcast routes, once per device.
    expect(routeKey({ ...route, protocol: 2, oif: 4 })).not.toBe(routeKey({ ...route, protocol: 2 }));
    expect(routeKey({ ...route, type: 3, oif: 4 })).not.toBe(routeKey({ ...route, type: 3 }));
    // IPv6 fe80::/64 on each device; an ECMP route is one row.
    const v6 = { ...route, family: 10, dst: 'fe80::', dstLen: 64, priority: 256 };
    expect(routeKey({ ...v6, oif: 4 })).not.toBe(routeKey(v6));
    expect(routeKey({ ...v6, oif: undefined, multipath: [] })).toBe(routeKey({ ...v6, oif: undefined, multipath: [] }));
  });

  it('identifies links by index, addresses by device, family, prefix and peer, nexthops by id', () => {
    expect(linkKey({ ifindex: 7 })).toBe('7');
    const a = { family: 2, ifindex: 3, local: '10.0.0.1', address: '10.0.0.1', prefixlen: 24 };
    expect(addressKey({ ...a, ifindex: 4 })).not.toBe(addressKey(a));
    expect(addressKey({ ...a, prefixlen: 16 })).not.toBe(addressKey(a));
    expect(addressKey({ ...a, address: '10.0.0.2' })).not.toBe(addressKey(a));
    expect(nexthopKey({ id: 9 })).toBe('9');
  });

  it('identifies conntrack entries by id and original tuple: 32-bit ids collide in big tables', () => {
    const udp = { id: 77, orig: { proto: 17, src: '10.0.0.1', sport: 1000, dst: '10.0.0.2', dport: 53 } };
    expect(conntrackKey(udp)).toBe(conntrackKey({ ...udp, orig: { ...udp.orig } }));
    // The same id on another connection (a hash collision) is another row.
    expect(conntrackKey({ ...udp, orig: { ...udp.orig, src: '10.0.0.3' } })).not.toBe(conntrackKey(udp));
    // The same tuple with another id is a later connection; the zone is part of the table's key.
    expect(conntrackKey({ ...udp, id: 78 })).not.toBe(conntrackKey(udp));
    expect(conntrackKey({ ...udp, zone: 2 })).not.toBe(conntrackKey(udp));
    const ping = { id: 5, orig: { proto: 1, src: '10.0.0.1', dst: '10.0.0.2', icmpId: 9, icmpType: 8, icmpCode: 0 } };
    expect(conntrackKey({ ...ping, orig: { ...ping.orig, icmpId: 10 } })).not.toBe(conntrackKey(ping));
  });
});

describe('sameObject', () => {
  it('compares structurally, byte arrays by content, and ignores volatile top-level fields', () => {
    expect(sameObject({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toBe(true);
    expect(sameObject({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] })).toBe(false);
    expect(sameObject({ e: Uint8Array.of(1, 2) }, { e: Buffer.from([1, 2]) })).toBe(true);
    expect(sameObject({ e: Uint8Array.of(1, 2) }, { e: Uint8Array.of(1, 3) })).toBe(false);
    expect(sameObject({ a: 1, u: undefined }, { a: 1 })).toBe(true);
    expect(sameObject({ a: 1, stats64: { rx: 1 } }, { a: 1, stats64: { rx: 2 } }, new Set(['stats64']))).toBe(true);
    expect(sameObject({ a: 1, stats64: { rx: 1 } }, { a: 1, stats64: { rx: 2 } })).toBe(false);
  });
});

describe('StormMeter', () => {
  it('counts per window and starts a new window when one has passed', () => {
    const meter = new StormMeter(100);
    expect(meter.add(10, 1000)).toBe(10);
    expect(meter.add(5, 1050)).toBe(15);
    expect(meter.add(3, 1100)).toBe(3);
    expect(meter.take(1120)).toBe(3);
    expect(meter.add(1, 1130)).toBe(1);
  });
});

describe('FlushDetector', () => {
  const UP = 1 | (1 << 16) | (1 << 6); // IFF_UP | IFF_LOWER_UP | IFF_RUNNING

  it('joins the groups of its triggers', () => {
    expect(new FlushDetector(['link-down', 'nexthop']).groups).toEqual([RTNLGRP_LINK, RTNLGRP_NEXTHOP]);
    expect(new FlushDetector([]).groups).toEqual([]);
  });

  it('fires when a link goes down or away, not when an up link changes something else', () => {
    const d = new FlushDetector(['link-down', 'link-del', 'address-del', 'nexthop']);
    expect(d.triggered(linkMessage(RTM_NEWLINK, 3, UP))).toBeUndefined();
    expect(d.triggered(linkMessage(RTM_NEWLINK, 3, UP))).toBeUndefined();
    expect(d.triggered(linkMessage(RTM_NEWLINK, 3, 0))).toBe('link-down');
    expect(d.triggered(linkMessage(RTM_NEWLINK, 3, 0))).toBeUndefined();
    expect(d.triggered(linkMessage(RTM_DELLINK, 3, 0))).toBe('link-del');
    expect(d.triggered({ ...linkMessage(RTM_DELADDR, 0, 0), type: RTM_DELADDR })).toBe('address-del');
    expect(d.triggered({ ...linkMessage(RTM_NEWNEXTHOP, 0, 0), type: RTM_NEWNEXTHOP })).toBe('nexthop');
  });

  it('ignores what its kind does not care about', () => {
    const d = new FlushDetector(['link-del']);
    expect(d.triggered(linkMessage(RTM_NEWLINK, 3, 0))).toBeUndefined();
    expect(d.triggered(linkMessage(RTM_DELLINK, 3, 0))).toBe('link-del');
  });
});
