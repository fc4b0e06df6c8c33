import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import {
  IFA_F_PERMANENT, IFA_F_SECONDARY, addressRequest, addresses, decodeAddress, decodeAddressRequest, matchAddress,
  type Address, type AddressFilter,
} from '../../lib/route/address.js';
import { inetBytes, ipv6Text } from '../../lib/codec/address-text.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { isRoot } from '../helpers/netns.js';
import { buildRichFixture, type RichFixture } from '../helpers/rich-fixture.js';

/*
 * RTM_NEWADDR replies captured once from kernel 6.18 (addressRequest({ ifindex: 3 })
 * with strict checking, in a namespace where `va` is ifindex 3); flags 0x22 =
 * NLM_F_MULTI | NLM_F_DUMP_FILTERED. First: 192.0.2.2/24 secondary, label
 * "va:sec" (ifaddrmsg 02 18 81 00 03000000: AF_INET, /24, SECONDARY|PERMANENT,
 * scope 0). Second: 2001:db8::1/64 nodad (AF_INET6, IFA_FLAGS 0x82).
 */
const V4 = '500000001400220002000000bc6c0000021881000300000008000100c0000202'
  + '08000200c00002020b00030076613a7365630000080008008100000014000600'
  + 'ffffffffffffffffeec20000eec20000';
const V6 = '480000001400220002000000bc6c00000a408200030000001400010020010db8'
  + '00000000000000000000000114000600ffffffffffffffffeec20000eec20000'
  + '0800080082000000';

function message(hex: string, mutate?: (b: Buffer) => void): NetlinkMessage {
  const data = Buffer.from(hex, 'hex');
  mutate?.(data);
  return readHeader(data, 0);
}

describe('decodeAddress (captured bytes)', () => {
  it('decodes an IPv4 secondary address with its label', () => {
    const addr = decodeAddress(message(V4));
    expect(addr).toMatchObject({
      family: 2, prefixlen: 24, scope: 0, ifindex: 3, local: '192.0.2.2', address: '192.0.2.2', label: 'va:sec',
      cacheinfo: { valid: 0xffffffff, preferred: 0xffffffff },
    });
    expect(addr.flags).toBe(IFA_F_SECONDARY | IFA_F_PERMANENT);
    expect(addr.problems).toBeUndefined();
  });

  it('decodes an IPv6 address and takes IFA_FLAGS over ifa_flags', () => {
    const addr = decodeAddress(message(V6));
    expect(addr).toMatchObject({ family: 10, prefixlen: 64, address: '2001:db8::1', flags: 0x82 });
  });

  it('keeps an unknown attribute raw and reports a wrong-size one, decoding the rest', () => {
    // Retype IFA_LOCAL (its nla_type at byte 34) as 77, and cut IFA_FLAGS' nla_len (byte 52) to 6: u32 needs 8.
    const addr = decodeAddress(message(V4, (b) => {
      b.writeUInt16LE(77, 34);
      b.writeUInt16LE(6, 52);
    }));
    expect(addr.unknown).toEqual([{ type: 77, data: Uint8Array.from([192, 0, 2, 2]) }]);
    expect(addr.local).toBeUndefined();
    expect(addr.label).toBe('va:sec');
    expect(addr.problems).toHaveLength(1);
    expect(addr.cacheinfo?.valid).toBe(0xffffffff);
  });
});

describe('decodeAddress: what cannot be an address', () => {
  it('throws a NetlinkDecodeError (EPROTO) for a message shorter than struct ifaddrmsg', () => {
    // nlmsg_len 16 + 7: one byte short of the 8-byte ifaddrmsg.
    const short = message(V4, (b) => b.writeUInt32LE(23, 0));
    expect(() => decodeAddress(short)).toThrow(NetlinkDecodeError);
    expect(() => decodeAddress(short)).toThrow(expect.objectContaining({ code: 'EPROTO' }));
  });

  it('decodes a bare ifaddrmsg (no attributes) as an address with no problems', () => {
    const bare = decodeAddress(message(V4, (b) => b.writeUInt32LE(24, 0)));
    expect(bare).toEqual({ family: 2, prefixlen: 24, flags: IFA_F_SECONDARY | IFA_F_PERMANENT, scope: 0, ifindex: 3 });
  });

  it('refuses an address of the wrong size for its family, keeping the rest', () => {
    // IFA_ADDRESS (nla_len at byte 24) cut to 3 bytes of payload; IFA_LOCAL follows at its aligned place.
    const addr = decodeAddress(message(V4, (b) => b.writeUInt16LE(7, 24)));
    expect(addr.address).toBeUndefined();
    expect(addr.local).toBe('192.0.2.2');
    expect(addr.problems?.map((p) => p.code)).toEqual(['EPROTO']);
  });

  it('throws on a request payload shorter than struct ifaddrmsg', () => {
    expect(() => decodeAddressRequest(new Uint8Array(7))).toThrow(NetlinkDecodeError);
  });
});

describe('address text', () => {
  it.each([
    ['::', '::'], ['::1', '::1'], ['2001:db8::1', '2001:db8::1'], ['fe80::50a9:81ff:fe2f:bc31', 'fe80::50a9:81ff:fe2f:bc31'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], ['::1.2.3.4', '::1.2.3.4'], ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['1:0:0:1:0:0:0:1', '1:0:0:1::1'], ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
  ])('%s prints as %s (glibc inet_ntop)', (text, expected) => {
    expect(ipv6Text(inetBytes(text)!, 0)).toBe(expected);
  });
});

describe('addressRequest', () => {
  it('round-trips (decode ∘ encode = identity)', () => {
    const filter = fc.record({
      family: fc.constantFrom('inet' as const, 'inet6' as const),
      ifindex: fc.integer({ min: 1, max: 0x7fffffff }),
    }, { requiredKeys: [] });
    fc.assert(fc.property(filter, (f: AddressFilter) => {
      expect(decodeAddressRequest(addressRequest(f).payload)).toEqual(f);
    }));
  });
});

interface IpAddrInfo { family: string; local: string; address?: string; prefixlen: number; label?: string; metric?: number; broadcast?: string }
interface IpAddrLink { ifindex: number; addr_info: IpAddrInfo[] }

describe.skipIf(!isRoot)('addresses() against ip -j addr (real kernel)', () => {
  let fx: RichFixture;
  let all: Address[];
  beforeAll(async () => {
    fx = buildRichFixture('addr');
    all = await lastValueFrom(addresses({}, { netns: fx.ns.name }).pipe(toArray()));
  });
  afterAll(() => fx?.remove());

  it('carries the same values as ip', () => {
    const ip = fx.ns.ipJson<IpAddrLink[]>('addr', 'show');
    const expected = ip.flatMap((l) => l.addr_info.map((a) => ({ index: l.ifindex, ...a })));
    const mine = [...all].sort((a, b) => a.ifindex - b.ifindex);
    expect(mine.length).toBe(expected.length);
    for (const want of expected) {
      const got = mine.find((a) => a.ifindex === want.index && (a.local ?? a.address) === want.local);
      expect(got, want.local).toBeDefined();
      expect(got!.prefixlen).toBe(want.prefixlen);
      expect(got!.label).toBe(want.label);
      expect(got!.metric).toBe(want.metric);
      expect(got!.broadcast).toBe(want.broadcast);
      if (want.address) expect(got!.address).toBe(want.address);
      expect(got!.problems).toBeUndefined();
    }
  });

  it('gives the same addresses whether the kernel or JS filters', async () => {
    const va = all.find((a) => a.label === 'va')!.ifindex;
    for (const filter of [{ family: 'inet' }, { family: 'inet6' }, { ifindex: va }, { family: 'inet6', ifindex: va }] as AddressFilter[]) {
      const kernel = await lastValueFrom(addresses(filter, { netns: fx.ns.name }).pipe(toArray()));
      const js = all.filter((a) => matchAddress(a, filter));
      expect(kernel.map((a) => a.local)).toEqual(js.map((a) => a.local));
      expect(kernel.length).toBeGreaterThan(0);
    }
  });
});
