/**
 * Typed objects against iproute2 on the routing fixture: routes(), rules()
 * and nexthops() carry the values `ip -j` shows, kernel-filtered and
 * JavaScript-filtered dumps agree, and replies say when the kernel filtered.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETLINK_ROUTE, NLM_F_DUMP_FILTERED } from '../../lib/codec/header.js';
import { dump } from '../../lib/rx/dump.js';
import { AF_INET, AF_INET6 } from '../../lib/route/constants.js';
import { nexthops } from '../../lib/route/nexthop.js';
import { RTPROT_STATIC, RTN_BLACKHOLE, RT_TABLE_MAIN } from '../../lib/route/route-constants.js';
import { routeRequest, routes, type Route, type RouteFilter } from '../../lib/route/route.js';
import { rules } from '../../lib/route/rule.js';
import { createRouteFixture } from '../helpers/route-fixture.js';
import { isRoot, type Netns } from '../helpers/netns.js';

type IpRoute = Record<string, unknown> & { dst: string; dev?: string; table?: string };

describe.skipIf(!isRoot)('routes(), rules(), nexthops() against ip -j (real kernel)', () => {
  let ns: Netns;
  let index: Map<string, number>;

  beforeAll(() => {
    ns = createRouteFixture('oracle');
    const links = ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show');
    index = new Map(links.map((l) => [l.ifname, l.ifindex]));
  });
  afterAll(() => ns?.remove());

  const list = (filter?: RouteFilter, strictCheck = true) =>
    lastValueFrom(routes(filter, { netns: ns.name, strictCheck }).pipe(toArray()));

  const dstText = (r: Route) => (r.dst === undefined ? 'default'
    : r.dstLen === (r.family === AF_INET ? 32 : 128) ? r.dst : `${r.dst}/${r.dstLen}`);

  it('with no filter dumps every table of both families, as ip route show table all does', async () => {
    const ours = await list();
    const theirs = ns.ipJson<IpRoute[]>('route', 'show', 'table', 'all');
    expect(ours.filter((r) => r.family === AF_INET || r.family === AF_INET6).map(dstText))
      .toEqual(theirs.map((r) => r.dst));
    expect(new Set(ours.map((r) => r.table))).toEqual(new Set([RT_TABLE_MAIN, 255, 100, 1000]));
  });

  it('carries the values ip shows: gateway, device, metric, prefsrc, metrics, next hops, pref', async () => {
    const ours = await list({ table: 'all' });
    const theirs = ns.ipJson<IpRoute[]>('route', 'show', 'table', 'all');
    expect(ours).toHaveLength(theirs.length);
    ours.forEach((route, i) => {
      const ip = theirs[i];
      expect(dstText(route)).toBe(ip.dst);
      expect(route.gateway).toBe(ip.gateway);
      expect(route.prefsrc).toBe(ip.prefsrc);
      expect(route.priority).toBe(ip.metric);
      expect(route.nhid).toBe(ip.nhid);
      expect(route.oif === undefined ? undefined : [...index].find(([, i2]) => i2 === route.oif)?.[0]).toBe(ip.dev);
      const metrics = (ip.metrics as Record<string, number>[] | undefined)?.[0];
      expect(route.metrics?.mtu).toBe(metrics?.mtu);
      expect(route.metrics?.advmss).toBe(metrics?.advmss);
      const hops = ip.nexthops as { gateway?: string; weight: number; flags: string[] }[] | undefined;
      expect(route.multipath?.map((h) => [h.gateway, h.weight])).toEqual(hops?.map((h) => [h.gateway, h.weight]));
      if (ip.pref !== undefined) expect({ 0: 'medium', 1: 'high', 3: 'low' }[route.pref!]).toBe(ip.pref);
      if (ip.via) expect(route.via?.address).toBe((ip.via as { host: string }).host);
      expect(route.problems).toBeUndefined();
    });
  });

  it.each<[string, RouteFilter]>([
    ['table main', { table: 'main' }],
    ['table 100, IPv6', { table: 100, family: 'inet6' }],
    ['table 1000', { table: 1000 }],
    ['table local', { table: 'local', family: 'inet' }],
    ['proto static', { protocol: RTPROT_STATIC }],
    ['type blackhole', { type: RTN_BLACKHOLE }],
    ['dev w0, all tables', { table: 'all' }],
  ])('%s: kernel-filtered and JavaScript-filtered dumps are identical', async (_name, filter) => {
    if (_name.startsWith('dev')) filter = { ...filter, ifindex: index.get('w0') };
    const strict = await list(filter, true);
    const loose = await list(filter, false);
    expect(strict.length).toBeGreaterThan(0);
    expect(loose).toEqual(strict);
  });

  it('a strictly checked filtered dump is flagged NLM_F_DUMP_FILTERED, an unchecked one is not', async () => {
    const flags = async (strictCheck: boolean) => lastValueFrom(
      dump(routeRequest({ table: 100 }), { netns: ns.name, strictCheck }).pipe(toArray()));
    const strict = await flags(true);
    const loose = await flags(false);
    expect(strict.every((m) => (m.flags & NLM_F_DUMP_FILTERED) !== 0)).toBe(true);
    expect(loose.some((m) => (m.flags & NLM_F_DUMP_FILTERED) !== 0)).toBe(false);
    expect(loose.length).toBeGreaterThan(strict.length);
    expect(routeRequest().protocol).toBe(NETLINK_ROUTE);
  });

  it('rules carry what ip rule show shows', async () => {
    const ours = await lastValueFrom(rules({ family: 'inet' }, { netns: ns.name }).pipe(toArray()));
    const theirs = ns.ipJson<Record<string, unknown>[]>('rule', 'show');
    expect(ours.map((r) => r.priority ?? 0)).toEqual(theirs.map((r) => r.priority));
    ours.forEach((rule, i) => {
      if (theirs[i].fwmark !== undefined) expect(`0x${rule.fwmark!.toString(16)}`).toBe(theirs[i].fwmark);
      if (theirs[i].iif !== undefined) expect(rule.iifname).toBe(theirs[i].iif);
      if (theirs[i].srclen !== undefined) expect(rule.srcLen).toBe(theirs[i].srclen);
      if (theirs[i].suppress_prefixlen !== undefined) expect(rule.suppressPrefixlen).toBe(theirs[i].suppress_prefixlen);
    });
    const six = await lastValueFrom(rules({ family: 'inet6' }, { netns: ns.name }).pipe(toArray()));
    expect(six.map((r) => r.priority ?? 0)).toEqual(ns.ipJson<{ priority: number }[]>('-6', 'rule', 'show').map((r) => r.priority));
    const main = await lastValueFrom(rules({ family: 'inet', table: 'main' }, { netns: ns.name }).pipe(toArray()));
    expect(main.map((r) => r.priority)).toEqual([220, 32766]);
  });

  it('nexthops carry what ip nexthop show shows, and filters match the kernel\'s', async () => {
    const ours = await lastValueFrom(nexthops({}, { netns: ns.name }).pipe(toArray()));
    const theirs = ns.ipJson<{ id: number; gateway?: string; group?: { id: number; weight?: number }[] }[]>('nexthop', 'show');
    expect(ours.map((n) => [n.id, n.gateway])).toEqual(theirs.map((n) => [n.id, n.gateway]));
    expect(ours.find((n) => n.id === 10)?.group).toEqual([{ id: 1, weight: 3 }, { id: 3, weight: 1 }]);
    expect(ours.find((n) => n.id === 2)?.blackhole).toBe(true);
    const groups = await lastValueFrom(nexthops({ groups: true }, { netns: ns.name }).pipe(toArray()));
    expect(groups.map((n) => n.id)).toEqual([10, 11]);
    const dev = await lastValueFrom(nexthops({ ifindex: index.get('v0') }, { netns: ns.name }).pipe(toArray()));
    expect(dev.map((n) => n.id)).toEqual(ns.ipJson<{ id: number }[]>('nexthop', 'show', 'dev', 'v0').map((n) => n.id));
  });
});
