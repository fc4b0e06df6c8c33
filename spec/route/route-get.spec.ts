/**
 * routeGet() against the kernel, with `ip -j route get` as the oracle: the
 * answer's gateway, device, source and table are ip's; RTM_F_FIB_MATCH
 * returns the matching table entry; an unreachable, prohibited or blackholed
 * destination fails the Observable with the kernel's errno; and the
 * Observable is cold (each subscription asks again).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetlinkKernelError } from '../../lib/errors.js';
import { RTM_F_CLONED } from '../../lib/route/route-constants.js';
import { routeGet, type RouteQuery } from '../../lib/route/route.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

interface IpRoute { dst: string; gateway?: string; dev?: string; prefsrc?: string; table?: string; metric?: number }

describe.skipIf(!isRoot)('routeGet (real kernel)', () => {
  let ns: Netns;
  let v0: number;

  beforeAll(() => {
    ns = createNetns('routeget');
    try {
      ns.batch([
        'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up',
        'addr add 10.1.0.1/24 dev v0', 'addr add 2001:db8:1::1/64 dev v0 nodad',
        'route add 10.9.0.0/16 via 10.1.0.2 metric 5', 'route add 10.20.0.0/16 via 10.1.0.3 table 100',
        'route add blackhole 10.8.0.0/16', 'route add unreachable 10.13.0.0/16', 'route add prohibit 10.14.0.0/16',
        'route add 2001:db8:5::/64 via 2001:db8:1::2', 'rule add fwmark 7 table 100 pref 100',
      ]);
      v0 = ns.ipJson<{ ifindex: number }[]>('link', 'show', 'v0')[0].ifindex;
    } catch (error) {
      ns.remove();
      throw error;
    }
  });
  afterAll(() => ns?.remove());

  const get = (query: RouteQuery) => lastValueFrom(routeGet(query, { netns: ns.name }).pipe(toArray()));

  it.each<[string, RouteQuery, string[]]>([
    ['a routed IPv4 destination', { dst: '10.9.1.1' }, ['10.9.1.1']],
    ['a marked packet, through the rule to table 100', { dst: '10.20.0.1', mark: 7 }, ['10.20.0.1', 'mark', '7']],
    ['from a source, out of a device', { dst: '10.9.1.1', src: '10.1.0.1', oif: -1 }, ['10.9.1.1', 'from', '10.1.0.1', 'oif', 'v0']],
    ['an IPv6 destination', { dst: '2001:db8:5::1' }, ['2001:db8:5::1']],
  ])('answers %s as ip route get does', async (_name, query, ipArgs) => {
    if (query.oif === -1) query.oif = v0;
    const [route, ...more] = await get(query);
    const [theirs] = ns.ipJson<IpRoute[]>('route', 'get', ...ipArgs);
    expect(more).toEqual([]);
    expect(route.dst).toBe(theirs.dst);
    expect(route.gateway).toBe(theirs.gateway);
    expect(route.oif).toBe(v0);
    expect(route.prefsrc).toBe(theirs.prefsrc);
    if (theirs.table === '100') expect(route.table).toBe(100);
    if (query.dst.includes('.')) expect(route.flags & RTM_F_CLONED).toBe(RTM_F_CLONED);
  });

  it('with fibMatch returns the table entry that matched', async () => {
    const [route] = await get({ dst: '10.9.1.1', fibMatch: true });
    expect({ dst: route.dst, dstLen: route.dstLen, priority: route.priority, gateway: route.gateway })
      .toEqual({ dst: '10.9.0.0', dstLen: 16, priority: 5, gateway: '10.1.0.2' });
  });

  it.each([['10.8.0.1', 'EINVAL'], ['10.13.0.1', 'EHOSTUNREACH'], ['10.14.0.1', 'EACCES']])(
    '%s fails with %s, as ip route get does', async (dst, code) => {
      const failure = await get({ dst }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NetlinkKernelError);
      expect((failure as NetlinkKernelError).code).toBe(code);
    });

  it('is cold: each subscription asks the kernel again', async () => {
    const answer = routeGet({ dst: '10.9.1.1' }, { netns: ns.name });
    const [first] = await lastValueFrom(answer.pipe(toArray()));
    ns.ip('route', 'replace', '10.9.0.0/16', 'via', '10.1.0.4', 'metric', '5');
    const [second] = await lastValueFrom(answer.pipe(toArray()));
    expect([first.gateway, second.gateway]).toEqual(['10.1.0.2', '10.1.0.4']);
  });
});
