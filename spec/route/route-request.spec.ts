/** Request encoders: decode ∘ encode is the identity on filters (property-based). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NETLINK_ROUTE } from '../../lib/codec/header.js';
import { RTM_GETNEXTHOP, RTM_GETROUTE, RTM_GETRULE } from '../../lib/route/constants.js';
import { decodeNexthopRequest, nexthopRequest, type NexthopFilter } from '../../lib/route/nexthop.js';
import { decodeRouteRequest, routeRequest, type RouteFilter } from '../../lib/route/route.js';
import { decodeRuleRequest, ruleRequest, type RuleFilter } from '../../lib/route/rule.js';

const family = fc.constantFrom<'inet' | 'inet6'>('inet', 'inet6');
const u32 = fc.integer({ min: 1, max: 0xffffffff });

describe('routeRequest', () => {
  it('round-trips every filter', () => {
    const filter = fc.record<RouteFilter>({
      family,
      table: fc.oneof(fc.constantFrom<'main' | 'local' | 'all'>('main', 'local', 'all'), u32),
      protocol: fc.integer({ min: 1, max: 255 }),
      type: fc.integer({ min: 1, max: 255 }),
      ifindex: fc.integer({ min: 0, max: 0xffffffff }),
      cloned: fc.constant(true),
    }, { requiredKeys: [] });
    fc.assert(fc.property(filter, (f) => {
      const request = routeRequest(f);
      expect(request.protocol).toBe(NETLINK_ROUTE);
      expect(request.type).toBe(RTM_GETROUTE);
      expect(decodeRouteRequest(request.payload)).toStrictEqual({ ...f });
    }));
  });

  it('puts tables above 255 in RTA_TABLE and leaves the header fields the kernel rejects at zero', () => {
    const payload = Buffer.from(routeRequest({ table: 1000, ifindex: 2 }).payload);
    expect(payload.subarray(0, 12)).toEqual(Buffer.alloc(12));
    expect(payload.subarray(12).toString('hex')).toBe('08000f00e8030000' + '0800040002000000');
  });
});

describe('ruleRequest', () => {
  it('round-trips the family, the only thing a rule dump request carries', () => {
    fc.assert(fc.property(fc.record<RuleFilter>({ family }, { requiredKeys: [] }), (f) => {
      const request = ruleRequest(f);
      expect(request.type).toBe(RTM_GETRULE);
      expect(decodeRuleRequest(request.payload)).toStrictEqual({ ...f });
    }));
  });
});

describe('nexthopRequest', () => {
  it('round-trips every filter', () => {
    const filter = fc.record<NexthopFilter>({
      family, ifindex: fc.integer({ min: 0, max: 0xffffffff }), groups: fc.constant(true), fdb: fc.constant(true),
    }, { requiredKeys: [] });
    fc.assert(fc.property(filter, (f) => {
      const request = nexthopRequest(f);
      expect(request.type).toBe(RTM_GETNEXTHOP);
      expect(decodeNexthopRequest(request.payload)).toStrictEqual({ ...f });
    }));
  });
});
