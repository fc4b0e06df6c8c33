import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import {
  IFF_LOOPBACK, IFF_UP, decodeLink, decodeLinkRequest, linkNameMessage, linkRequest, links, matchLink, type Link,
  type LinkFilter,
} from '../../lib/route/link.js';
import { RTM_GETLINK } from '../../lib/route/constants.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { isRoot } from '../helpers/netns.js';
import { buildRichFixture, type RichFixture } from '../helpers/rich-fixture.js';

/**
 * RTM_NEWLINK for `lo`, captured once from kernel 6.18 in a fresh namespace
 * (`ip netns add`, `ip link set lo up`) by sending linkRequest() through
 * NetlinkSocket with strict checking and hex-dumping the first reply:
 * nlmsghdr (len 0x5bc, type 16, flags NLM_F_MULTI), ifinfomsg (family 0,
 * type 772 ARPHRD_LOOPBACK, index 1, flags 0x10049 UP|LOOPBACK|RUNNING|LOWER_UP),
 * then IFLA_IFNAME "lo", IFLA_TXQLEN 1000, IFLA_OPERSTATE 0, IFLA_LINKMODE 0,
 * IFLA_MTU 65536 … and attributes newer than our table (63, 64, 66–69).
 */
const LO = [
  'bc0500001000020001000000bc6c000000000403010000004900010000000000',
  '070003006c6f000008000d00e803000005001000000000000500110000000000',
  '0500430001000000080004000000010008003200000000000800330000000000',
  '08001b000000000008001e000000000008003d000000000008001f0001000000',
  '08002800ffff0000080029000000010008003a000000010008003f0000000100',
  '080040000000010008003b00f8ff070008003c00ffff00000800420000000000',
  '08002000010000000500210001000000080023000000000008002f0000000000',
  '0800300000000000060044000000000006004500000000000500270000000000',
  '0a00010000000000000000000a0002000000000000000000cc00170000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000064000700000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '00000000000000000c002b0005000200000000000c0006006e6f717565756500',
  '30031a008c000200880001000000000000000000000000000100000001000000',
  '0100000001000000000000000100000000000000000000000000000000000000',
  '0000000001000000010000000000000000000000000000000000000000000000',
  '000000000000000000000000000000000000000010270000e803000000000000',
  '00000000000000000000000001000000a0020a00080001000000008014000500',
  'ffff0000ecc20000c0a20000e8030000f4000200000000004000000000000100',
  '01000000010000000100000001000000ffffffffa00f0000e8030000ffffffff',
  '803a090080510100030000005802000010000000000000000100000001000000',
  '0100000060ea0000000000000000000000000000000000000000000000000000',
  'ffffffff000000000000000010270000e8030000010000000000000000000000',
  '0100000000000000000000000100000000000000000000000000000000000000',
  '80ee360000000000000000000100000000000000000000000000000000000000',
  '000000000004000000000000ffff0000ffffffff010000000000000000000000',
  '0000000034010300260000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000003c00060007000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000140007000000000000000000',
  '0000000000000000050008000000000024000e00000000000000000000000000',
  '000000000000000000000000000000000000000004003e8004004180'
].join('');

function message(hex: string): NetlinkMessage {
  return readHeader(Buffer.from(hex, 'hex'), 0);
}

/** The message with `extra` (whole attributes) appended and nlmsg_len fixed. */
function withAttributes(hex: string, extra: Buffer): NetlinkMessage {
  const base = Buffer.from(hex, 'hex');
  const padded = Buffer.alloc((base.length + 3) & ~3);
  base.copy(padded);
  const data = Buffer.concat([padded, extra]);
  data.writeUInt32LE(data.length, 0);
  return readHeader(data, 0);
}

function attribute(type: number, payload: Buffer): Buffer {
  const out = Buffer.alloc((4 + payload.length + 3) & ~3);
  out.writeUInt16LE(4 + payload.length, 0);
  out.writeUInt16LE(type, 2);
  payload.copy(out, 4);
  return out;
}

describe('decodeLink (captured bytes)', () => {
  it('decodes lo as the kernel sent it', () => {
    const link = decodeLink(message(LO));
    expect(link).toMatchObject({
      family: 0, type: 772, ifindex: 1, ifname: 'lo', mtu: 65536, qdisc: 'noqueue', txqlen: 1000,
      operstate: 0, linkmode: 0, group: 0, address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00',
      numTxQueues: 1, numRxQueues: 1, minMtu: 0, maxMtu: 0, inet6AddrGenMode: 0,
    });
    expect(link.flags & (IFF_UP | IFF_LOOPBACK)).toBe(IFF_UP | IFF_LOOPBACK);
    expect(link.stats64?.rxPackets).toBe(0);
    expect(link.problems).toBeUndefined();
    // IFLA_GSO_IPV4_MAX_SIZE (63) is newer than the uapi table: kept raw, not lost.
    expect(link.unknown?.find((a) => a.type === 63)?.data).toEqual(Uint8Array.from([0, 0, 1, 0]));
  });

  it('keeps an unknown attribute raw, with its bytes copied out of the batch', () => {
    const msg = withAttributes(LO, attribute(999, Buffer.from([1, 2, 3, 4, 5])));
    const link = decodeLink(msg);
    const raw = link.unknown?.find((a) => a.type === 999);
    expect(raw?.data).toEqual(Uint8Array.from([1, 2, 3, 4, 5]));
    msg.data.fill(0);
    expect(raw?.data).toEqual(Uint8Array.from([1, 2, 3, 4, 5]));
    expect(link.ifname).toBe('lo');
    expect(link.problems).toBeUndefined();
  });

  it('records a wrong-size attribute as a problem and decodes the rest', () => {
    // A second IFLA_MTU (4) of 2 bytes: the getter refuses it, the link survives.
    const link = decodeLink(withAttributes(LO, attribute(4, Buffer.from([1, 2]))));
    expect(link.ifname).toBe('lo');
    expect(link.mtu).toBe(65536);
    expect(link.problems).toHaveLength(1);
    expect(link.problems?.[0].code).toBe('EPROTO');
  });

  it('records an attribute that runs past the message and keeps what came before', () => {
    const cut = Buffer.alloc(8);
    cut.writeUInt16LE(40, 0); // claims 40 bytes, 8 remain
    cut.writeUInt16LE(3, 2);
    const link = decodeLink(withAttributes(LO, cut));
    expect(link.ifname).toBe('lo');
    expect(link.problems).toHaveLength(1);
  });

  it('tolerates a longer struct rtnl_link_stats64 (a newer kernel)', () => {
    const stats = Buffer.alloc(8 * 30);
    stats.writeUInt32LE(7, 0); // rx_packets
    const link = decodeLink(withAttributes(LO, attribute(23, stats)));
    expect(link.stats64?.rxPackets).toBe(7);
    expect(link.problems).toBeUndefined();
  });

  it('refuses a message too short for its ifinfomsg', () => {
    const data = Buffer.alloc(24);
    data.writeUInt32LE(24, 0);
    expect(() => decodeLink(readHeader(data, 0))).toThrow(/ifinfomsg/);
  });

  it('reads the name and header alone with linkNameMessage, and refuses a short message the same way', () => {
    expect(linkNameMessage.decode(message(LO))).toEqual({ family: 0, type: 772, ifindex: 1, flags: decodeLink(message(LO)).flags, ifname: 'lo' });
    const data = Buffer.alloc(24);
    data.writeUInt32LE(24, 0);
    expect(() => linkNameMessage.decode(readHeader(data, 0))).toThrow(NetlinkDecodeError);
  });
});

describe('linkRequest', () => {
  it('is an RTM_GETLINK with a zeroed ifinfomsg when unfiltered', () => {
    const request = linkRequest();
    expect(request.type).toBe(RTM_GETLINK);
    expect(Buffer.from(request.payload)).toEqual(Buffer.alloc(16));
  });

  it('round-trips its kernel-side fields (decode ∘ encode = identity)', () => {
    const filter = fc.record({
      family: fc.constantFrom('inet' as const, 'inet6' as const),
      extMask: fc.nat({ max: 0xffffffff }),
      master: fc.nat({ max: 0x7fffffff }),
      kind: fc.stringMatching(/^[a-z0-9_]{1,15}$/),
    }, { requiredKeys: [] });
    fc.assert(fc.property(filter, (f: LinkFilter) => {
      expect(decodeLinkRequest(linkRequest(f).payload)).toEqual(f);
    }));
  });

  it('writes IFLA_EXT_MASK, IFLA_MASTER, IFLA_LINKINFO > IFLA_INFO_KIND after the ifinfomsg, in that order', () => {
    const payload = Buffer.from(linkRequest({ family: 'inet6', extMask: 8, master: 4, kind: 'br' }).payload);
    expect(payload.toString('hex')).toBe(
      '0a000000000000000000000000000000' + '08001d0008000000' + '08000a0004000000' + '0c0012800700010062720000');
  });

  it('refuses an RTM_GETLINK payload too short for its ifinfomsg', () => {
    expect(() => decodeLinkRequest(new Uint8Array(8))).toThrow(NetlinkDecodeError);
  });
});

describe('matchLink', () => {
  const link = decodeLink(message(LO));
  it.each([
    [{}, true], [{ ifindex: 1 }, true], [{ ifindex: 2 }, false], [{ up: true }, true],
    [{ ifname: 'lo' }, true], [{ kind: 'veth' }, false], [{ master: 4 }, false],
  ] as [LinkFilter, boolean][])('%j → %s', (filter, expected) => {
    expect(matchLink(link, filter)).toBe(expected);
  });
});

interface IpLink {
  ifindex: number; ifname: string; mtu: number; address: string; operstate: string; master?: string;
  txqlen: number; link_netnsid?: number; link?: string; link_index?: number;
}

describe.skipIf(!isRoot)('links() against ip -j link (real kernel)', () => {
  let fx: RichFixture;
  let all: Link[];
  beforeAll(async () => {
    fx = buildRichFixture('link');
    all = await lastValueFrom(links({}, { netns: fx.ns.name }).pipe(toArray()));
  });
  afterAll(() => fx?.remove());

  it('carries the same values as ip for every link', () => {
    const ip = fx.ns.ipJson<IpLink[]>('-d', 'link', 'show');
    expect(all.map((l) => l.ifindex)).toEqual(ip.map((l) => l.ifindex));
    const byIndex = new Map(all.map((l) => [l.ifindex, l]));
    for (const expected of ip) {
      const link = byIndex.get(expected.ifindex)!;
      expect(link.ifname).toBe(expected.ifname);
      expect(link.mtu).toBe(expected.mtu);
      expect(link.address).toBe(expected.address);
      expect(link.txqlen).toBe(expected.txqlen);
      expect(link.linkNetnsid).toBe(expected.link_netnsid);
      if (expected.master) expect(byIndex.get(link.master!)?.ifname).toBe(expected.master);
      if (expected.link) expect(byIndex.get(link.link!)?.ifname).toBe(expected.link);
      if (expected.link_index) expect(link.link).toBe(expected.link_index);
      expect(link.problems).toBeUndefined();
    }
    expect(byIndex.get(all.find((l) => l.ifname === 'vb')!.ifindex)?.mtu).toBe(1400);
  });

  it('decodes link kinds and the bridge port', () => {
    const byName = new Map(all.map((l) => [l.ifname, l]));
    expect(byName.get('va')?.linkinfo?.kind).toBe('veth');
    expect(byName.get('br0')?.linkinfo?.kind).toBe('bridge');
    expect(byName.get('br0')?.linkinfo?.bridge?.forwardDelay).toBe(1500);
    expect(byName.get('vc')?.linkinfo?.slaveKind).toBe('bridge');
    expect(byName.get('vc')?.linkinfo?.bridgePort?.cost).toBe(2);
  });

  it('gives the same links whether the kernel or JS filters (kind, master)', async () => {
    const options = { netns: fx.ns.name };
    const br0 = all.find((l) => l.ifname === 'br0')!.ifindex;
    for (const filter of [{ kind: 'veth' }, { master: br0 }, { kind: 'bridge', up: true }] as LinkFilter[]) {
      const kernel = await lastValueFrom(links(filter, options).pipe(toArray()));
      const js = all.filter((l) => matchLink(l, filter));
      expect(kernel.map((l) => l.ifindex)).toEqual(js.map((l) => l.ifindex));
      expect(kernel.length).toBeGreaterThan(0);
    }
  });

  it('applies ifindex in JS (link dumps cannot filter on it)', async () => {
    const va = all.find((l) => l.ifname === 'va')!;
    const one = await lastValueFrom(links({ ifindex: va.ifindex }, { netns: fx.ns.name }).pipe(toArray()));
    expect(one.map((l) => l.ifname)).toEqual(['va']);
  });
});
