/**
 * The requests behind `ip route get` and the route filters `ip route show`
 * needs, on bytes: routeGetRequest writes what iproute2 6.1 sends (captured
 * with strace from `ip route get 10.9.1.1`), a bad address is an error in
 * the Observable, never a throw; routeSelector keeps the cache or the tables
 * as `cloned` asks, and applies scope, tos and priority — which the kernel
 * cannot filter on — even to replies it flagged NLM_F_DUMP_FILTERED.
 */
import { firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NLM_F_DUMP_FILTERED, NLM_F_MULTI, readHeader, writeHeader } from '../../lib/codec/header.js';
import { NetlinkError } from '../../lib/errors.js';
import { AF_INET, AF_INET6, RTM_GETROUTE, RTM_NEWROUTE } from '../../lib/route/constants.js';
import {
  RTM_F_CLONED, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE,
} from '../../lib/route/route-constants.js';
import {
  decodeRouteRequest, routeGet, routeGetRequest, routeGetSelector, routeMessage, routeRequest, routeSelector,
  type RouteFilter,
} from '../../lib/route/route.js';

/** An RTM_NEWROUTE message as a dump reply: rtmsg fields, RTA_DST (IPv4), and encodable attributes. */
function reply(header: Record<string, number>, dst: string, attributes: Record<string, unknown> = {}, flags = NLM_F_MULTI) {
  const payload = routeMessage.encode({ family: AF_INET, dstLen: 32, table: 254, protocol: 4, scope: 0, type: 1, ...header },
    attributes);
  // RTA_DST by hand: the address attribute type decodes only.
  const rtaDst = Buffer.from([8, 0, 1, 0, ...dst.split('.').map(Number)]);
  const bytes = Buffer.alloc(16 + payload.length + 8);
  writeHeader(bytes, 0, bytes.length, { type: RTM_NEWROUTE, flags, seq: 1 });
  bytes.set(payload, 16);
  bytes.set(rtaDst, 16 + payload.length);
  return readHeader(bytes, 0);
}

describe('routeGetRequest', () => {
  it('writes the request ip route get 10.9.1.1 sends: a do request, /32, RTM_F_LOOKUP_TABLE, RTA_DST', () => {
    const request = routeGetRequest({ dst: '10.9.1.1' });
    expect(request).toMatchObject({ type: RTM_GETROUTE, dump: false });
    // rtmsg: AF_INET, dst_len 32, src_len 0, tos 0, table/protocol/scope/type 0, flags 0x1000; RTA_DST 10.9.1.1.
    expect(Buffer.from(request.payload).toString('hex')).toBe('02200000' + '00000000' + '00100000' + '08000100' + '0a090101');
  });

  it('asks for an IPv6 route without RTM_F_LOOKUP_TABLE, and carries every selector of the query', () => {
    const request = routeGetRequest({
      dst: '2001:db8::1', src: '2001:db8::2', iif: 2, oif: 3, mark: 7, uid: 5, ipProto: 17, sport: 5, dport: 53, tos: 0x10,
      fibMatch: true,
    });
    const payload = Buffer.from(request.payload);
    expect([...payload.subarray(0, 4)]).toEqual([AF_INET6, 128, 128, 0x10]);
    expect(payload.readUInt32LE(8)).toBe(0x2000);
    const hex = payload.toString('hex');
    // RTA_SPORT and RTA_DPORT are big endian (be16), as the kernel reads them.
    expect(hex).toContain('06001c000005');
    expect(hex).toContain('06001d000035');
    expect(hex).toContain('05001b0011');
    expect(hex).toContain('080010000700' + '0000');
  });

  it('leaves a zero mark out, as ip does', () => {
    expect(Buffer.from(routeGetRequest({ dst: '10.0.0.1', mark: 0 }).payload).length).toBe(12 + 8);
  });

  it('refuses an address that is not one, and mixed families, with EINVAL', () => {
    expect(() => routeGetRequest({ dst: '10.0.0' })).toThrow(NetlinkError);
    try {
      routeGetRequest({ dst: '10.0.0.1', src: '2001:db8::1' });
      expect.unreachable();
    } catch (error) {
      expect((error as NetlinkError).code).toBe('EINVAL');
    }
  });

  it('routeGet reports a bad address as the Observable\'s error, not a throw', async () => {
    const answer = routeGet({ dst: 'nowhere' });
    await expect(firstValueFrom(answer)).rejects.toMatchObject({ code: 'EINVAL' });
  });

  it('routeGetSelector takes the route, cache flags and all, and nothing else', () => {
    const select = routeGetSelector();
    // RTCF_LOCAL (0x80000000): the answer for a local address.
    const msg = reply({ flags: (RTM_F_CLONED | 0x80000000) >>> 0 }, '127.0.0.1', {}, 0);
    expect(select(msg)?.flags).toBe((RTM_F_CLONED | 0x80000000) >>> 0);
    expect(select({ ...msg, type: 3 })).toBeUndefined();
  });
});

describe('RouteFilter: cloned, scope, tos, priority', () => {
  const table = reply({ scope: RT_SCOPE_UNIVERSE }, '10.1.0.0', { priority: 5 });
  const cached = reply({ flags: RTM_F_CLONED }, '10.2.0.1');
  const link = reply({ scope: RT_SCOPE_LINK, tos: 0x10 }, '10.3.0.0', {}, NLM_F_MULTI | NLM_F_DUMP_FILTERED);

  it('routeRequest asks for the cache with RTM_F_CLONED, and reads it back', () => {
    const payload = Buffer.from(routeRequest({ family: 'inet', cloned: true }).payload);
    expect(payload.readUInt32LE(8)).toBe(RTM_F_CLONED);
    expect(decodeRouteRequest(payload)).toStrictEqual({ family: 'inet', cloned: true });
    // The filters the kernel has no field for are not sent.
    expect(decodeRouteRequest(routeRequest({ scope: 253, tos: 16, priority: 5 }).payload)).toStrictEqual({});
  });

  it('keeps the tables without cloned, the cache with it', () => {
    expect([table, cached].map(routeSelector({})).map((r) => r?.dst)).toEqual(['10.1.0.0', undefined]);
    expect([table, cached].map(routeSelector({ cloned: true })).map((r) => r?.dst)).toEqual([undefined, '10.2.0.1']);
  });

  it.each<[string, RouteFilter, (string | undefined)[]]>([
    ['scope link', { scope: RT_SCOPE_LINK }, [undefined, '10.3.0.0']],
    ['tos 0x10', { tos: 0x10 }, [undefined, '10.3.0.0']],
    ['tos 0', { tos: 0 }, ['10.1.0.0', undefined]],
    ['priority 5', { priority: 5 }, ['10.1.0.0', undefined]],
    ['priority 0 (no RTA_PRIORITY)', { priority: 0 }, [undefined, '10.3.0.0']],
  ])('%s is applied in JavaScript, even to replies the kernel filtered', (_name, filter, expected) => {
    expect([table, link].map(routeSelector(filter)).map((r) => r?.dst)).toEqual(expected);
  });
});
