/**
 * The library's new filters against the real kernel: `nexthops({ id })` is a
 * lookup that gives the one nexthop or fails with the kernel's ENOENT,
 * `nexthopBuckets({ id, index })` gives one bucket, `neighbors({ dst,
 * noMaster })` and `rules({ src, … })` select what `ip` selects.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetlinkKernelError } from '../../lib/errors.js';
import { neighbors } from '../../lib/route/neighbor.js';
import { nexthopBuckets } from '../../lib/route/nexthop-bucket.js';
import { nexthops } from '../../lib/route/nexthop.js';
import { rules } from '../../lib/route/rule.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

describe.skipIf(!isRoot)('show filters against the real kernel', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('showfilters');
    ns.batch([
      'link add v0 type veth peer name v1', 'link add br0 type bridge', 'link set v1 master br0',
      'link set v0 up', 'link set v1 up', 'link set br0 up',
      'addr add 10.1.0.1/24 dev v0', 'addr add 10.2.0.1/24 dev v1',
      'nexthop add id 1 via 10.1.0.2 dev v0', 'nexthop add id 2 via 10.1.0.3 dev v0',
      'nexthop add id 10 group 1/2 type resilient buckets 4 idle_timer 60',
      'neigh add 10.1.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent',
      'neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent',
      'neigh add 10.2.0.2 lladdr 02:00:00:00:00:12 dev v1 nud permanent',
      'rule add from 10.0.0.0/8 table 100 pref 100', 'rule add from 10.1.0.0/16 fwmark 7 table 101 pref 101',
    ]);
  });
  afterAll(() => ns?.remove());
  const all = <T>(o: import('rxjs').Observable<T>) => lastValueFrom(o.pipe(toArray()));

  it('nexthops({ id }) looks one nexthop up, and fails with ENOENT for a missing one', async () => {
    const found = await all(nexthops({ id: 10 }, { netns: ns.name }));
    expect(found.map((nh) => nh.id)).toEqual([10]);
    expect(found[0].resilient?.buckets).toBe(4);
    const error = await all(nexthops({ id: 99 }, { netns: ns.name })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkKernelError);
    expect((error as NetlinkKernelError).code).toBe('ENOENT');
  });

  it('nexthopBuckets({ id, index }) gives that bucket alone', async () => {
    const buckets = await all(nexthopBuckets({ id: 10, index: 2 }, { netns: ns.name }));
    expect(buckets.map((b) => [b.id, b.bucket?.index])).toEqual([[10, 2]]);
  });

  it('neighbors({ dst }) selects by prefix, neighbors({ noMaster }) leaves out bridge ports\' entries', async () => {
    const inPrefix = await all(neighbors({ family: 'inet', dst: '10.1.0.0/29' }, { netns: ns.name }));
    expect(inPrefix.map((n) => n.dst)).toEqual(['10.1.0.2']);
    // The kernel's own NOARP entries (multicast) come too: the library has no state filter.
    const noMaster = (await all(neighbors({ family: 'inet', noMaster: true }, { netns: ns.name }))).map((n) => n.dst);
    expect(noMaster).toEqual(expect.arrayContaining(['10.1.0.2', '10.1.0.9']));
    expect(noMaster).not.toContain('10.2.0.2');
    const all4 = (await all(neighbors({ family: 'inet' }, { netns: ns.name }))).map((n) => n.dst);
    expect(all4).toContain('10.2.0.2');
  });

  it('rules({ src, fwmark }) selects as ip rule show does', async () => {
    const within = await all(rules({ family: 'inet', src: '10.0.0.0/8' }, { netns: ns.name }));
    expect(within.map((r) => r.priority)).toEqual([100, 101]);
    const marked = await all(rules({ family: 'inet', src: '10.0.0.0/8', fwmark: 7 }, { netns: ns.name }));
    expect(marked.map((r) => r.priority)).toEqual([101]);
  });
});
