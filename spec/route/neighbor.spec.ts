import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import {
  NUD_PERMANENT, decodeNeighbor, decodeNeighborRequest, matchNeighbor, neighbors, neighborRequest,
  type Neighbor, type NeighborFilter,
} from '../../lib/route/neighbor.js';
import { isRoot } from '../helpers/netns.js';
import { buildRichFixture, type RichFixture } from '../helpers/rich-fixture.js';

/*
 * RTM_NEWNEIGH captured once from kernel 6.18: neighborRequest({ family: 'inet',
 * ifindex: 3 }) with strict checking, after `ip neigh add 192.0.2.10 lladdr
 * 02:00:00:00:00:0a dev va nud permanent` (va = ifindex 3). ndmsg: AF_INET,
 * ifindex 3, state 0x80 PERMANENT, flags 0, type 1 (RTN_UNICAST); then NDA_DST,
 * NDA_LLADDR, NDA_PROBES 0, NDA_CACHEINFO.
 */
const PERMANENT = '4c0000001c00220003000000206f000002000000030000008000000108000100'
  + 'c000020a0a00020002000000000a000008000400000000001400030059b40000'
  + '59b4000059b4000000000000';

function message(hex: string, mutate?: (b: Buffer) => void): NetlinkMessage {
  const data = Buffer.from(hex, 'hex');
  mutate?.(data);
  return readHeader(data, 0);
}

describe('decodeNeighbor (captured bytes)', () => {
  it('decodes a permanent IPv4 entry', () => {
    const n = decodeNeighbor(message(PERMANENT));
    expect(n).toMatchObject({
      family: 2, ifindex: 3, state: NUD_PERMANENT, flags: 0, type: 1,
      dst: '192.0.2.10', lladdr: '02:00:00:00:00:0a', probes: 0,
    });
    expect(n.cacheinfo?.refcnt).toBe(0);
    expect(n.problems).toBeUndefined();
  });

  it('keeps an unknown attribute raw and reports a wrong-size one, decoding the rest', () => {
    const n = decodeNeighbor(message(PERMANENT, (b) => {
      b.writeUInt16LE(99, 38); // NDA_LLADDR (nla_type at byte 38) → type 99
      b.writeUInt16LE(6, 48); // NDA_PROBES length 8 → 6: u32 refused
    }));
    expect(n.unknown).toEqual([{ type: 99, data: Uint8Array.from([2, 0, 0, 0, 0, 10]) }]);
    expect(n.dst).toBe('192.0.2.10');
    expect(n.probes).toBeUndefined();
    expect(n.problems).toHaveLength(1);
  });
});

describe('decodeNeighbor: what cannot be a neighbor', () => {
  it('throws a NetlinkDecodeError (EPROTO) for a message shorter than struct ndmsg', () => {
    // nlmsg_len 16 + 11: one byte short of the 12-byte ndmsg.
    const short = message(PERMANENT, (b) => b.writeUInt32LE(27, 0));
    expect(() => decodeNeighbor(short)).toThrow(NetlinkDecodeError);
    expect(() => decodeNeighbor(short)).toThrow(expect.objectContaining({ code: 'EPROTO' }));
  });

  it('decodes a bare ndmsg (no attributes) as a neighbor with no problems', () => {
    const bare = decodeNeighbor(message(PERMANENT, (b) => b.writeUInt32LE(28, 0)));
    expect(bare).toEqual({ family: 2, ifindex: 3, state: NUD_PERMANENT, flags: 0, type: 1 });
  });

  it('refuses an NDA_DST that is neither 4 nor 16 bytes and a short nda_cacheinfo, keeping the rest', () => {
    const n = decodeNeighbor(message(PERMANENT, (b) => {
      b.writeUInt16LE(7, 28); // NDA_DST: 3 bytes of payload
      b.writeUInt16LE(16, 56); // NDA_CACHEINFO: 12 bytes of payload, struct nda_cacheinfo needs 16 …
      b.writeUInt32LE(72, 0); // … and the message ends with it
    }));
    expect(n.dst).toBeUndefined();
    expect(n.cacheinfo).toBeUndefined();
    expect(n.lladdr).toBe('02:00:00:00:00:0a');
    expect(n.problems?.map((p) => p.code)).toEqual(['EPROTO', 'EPROTO']);
  });

  it('throws on a request payload shorter than struct ndmsg', () => {
    expect(() => decodeNeighborRequest(new Uint8Array(11))).toThrow(NetlinkDecodeError);
  });
});

describe('neighborRequest', () => {
  it('round-trips (decode ∘ encode = identity)', () => {
    const filter = fc.record({
      family: fc.constantFrom('inet' as const, 'inet6' as const),
      ifindex: fc.integer({ min: 1, max: 0x7fffffff }),
      master: fc.integer({ min: 1, max: 0x7fffffff }),
      proxy: fc.constant(true),
    }, { requiredKeys: [] });
    fc.assert(fc.property(filter, (f: NeighborFilter) => {
      expect(decodeNeighborRequest(neighborRequest(f).payload)).toEqual(f);
    }));
  });

  it('leaves ndm_ifindex zero, as strict checking demands', () => {
    const payload = Buffer.from(neighborRequest({ ifindex: 5 }).payload);
    expect(payload.readInt32LE(4)).toBe(0);
  });
});

interface IpNeigh { dst: string; dev: string; lladdr?: string; state?: string[]; router?: null }

describe.skipIf(!isRoot)('neighbors() against ip -j neigh (real kernel)', () => {
  let fx: RichFixture;
  let all: Neighbor[];
  beforeAll(async () => {
    fx = buildRichFixture('neigh');
    all = await lastValueFrom(neighbors({}, { netns: fx.ns.name }).pipe(toArray()));
  });
  afterAll(() => fx?.remove());

  it('carries the same values as ip (nud all)', async () => {
    const names = new Map(fx.ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => [l.ifname, l.ifindex]));
    // Multicast entries come and go as IPv6 settles: retry until one ip dump and ours agree on the set.
    let ip: IpNeigh[] = [];
    let mine: Neighbor[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      ip = fx.ns.ipJson<IpNeigh[]>('neigh', 'show', 'nud', 'all');
      mine = await lastValueFrom(neighbors({}, { netns: fx.ns.name }).pipe(toArray()));
      if (ip.length === mine.length) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(mine.length).toBe(ip.length);
    for (const want of ip) {
      const got = mine.find((n) => n.dst === want.dst && n.ifindex === names.get(want.dev));
      expect(got, want.dst).toBeDefined();
      expect(got!.lladdr).toBe(want.lladdr);
      expect((got!.flags & 0x80) !== 0).toBe('router' in want);
      expect(got!.problems).toBeUndefined();
    }
    expect(mine.some((n) => n.dst === '2001:db8::11' && (n.flags & 0x80) !== 0)).toBe(true);
  });

  it('gives the same entries whether the kernel or JS filters', async () => {
    const va = all.find((n) => n.dst === '192.0.2.10')!.ifindex;
    const options = { netns: fx.ns.name };
    for (const filter of [{ family: 'inet' }, { family: 'inet6' }, { ifindex: va }, { family: 'inet6', ifindex: va }] as NeighborFilter[]) {
      // IPv6 multicast entries appear as the links settle: compare two dumps
      // taken back to back, retrying while the table is still moving.
      let kernel: string[] = [];
      let js: string[] = [];
      for (let attempt = 0; attempt < 10; attempt++) {
        kernel = (await lastValueFrom(neighbors(filter, options).pipe(toArray()))).map((n) => `${n.ifindex} ${n.dst}`).sort();
        const fresh = await lastValueFrom(neighbors({}, options).pipe(toArray()));
        js = fresh.filter((n) => matchNeighbor(n, filter)).map((n) => `${n.ifindex} ${n.dst}`).sort();
        if (kernel.join() === js.join()) break;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(kernel).toEqual(js);
      expect(kernel.length).toBeGreaterThan(0);
    }
  });
});
