import { firstValueFrom, forkJoin, lastValueFrom, map, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rtnetlink, type RtnetlinkClient } from '../../lib/client/rtnetlink.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

interface IpRoute { dst: string; dev?: string; gateway?: string }

describe.skipIf(!isRoot)('rtnetlink client (real kernel)', () => {
  let ns: Netns;
  let client: RtnetlinkClient;

  beforeAll(() => {
    ns = createNetns('client');
    ns.ip('link', 'add', 'cl0', 'type', 'veth', 'peer', 'name', 'cl1');
    ns.ip('link', 'set', 'cl0', 'up');
    ns.ip('link', 'set', 'cl1', 'up');
    ns.ip('address', 'add', '192.0.2.1/24', 'dev', 'cl0');
    ns.ip('route', 'add', '198.51.100.0/24', 'via', '192.0.2.254');
    ns.ip('route', 'add', '203.0.113.0/24', 'dev', 'cl1');
    client = rtnetlink({ netns: ns.name });
  });
  afterAll(() => {
    client?.close();
    ns?.remove();
  });

  it('composes two dumps: routes of the main table with their device names', async () => {
    const named = await lastValueFrom(
      forkJoin([client.links().pipe(toArray()), client.routes({ family: 'inet', table: 'main' }).pipe(toArray())]).pipe(
        map(([links, routes]) => {
          const names = new Map(links.map((l) => [l.ifindex, l.ifname]));
          return routes.map((r) => ({
            dst: r.dst === undefined ? 'default' : r.dstLen === 32 ? r.dst : `${r.dst}/${r.dstLen}`,
            dev: r.oif === undefined ? undefined : names.get(r.oif),
          }));
        }),
      ),
    );
    const oracle = ns.ipJson<IpRoute[]>('-4', 'route', 'show').map((r) => ({ dst: r.dst, dev: r.dev }));
    const key = (r: { dst: string; dev?: string }) => `${r.dst} ${r.dev}`;
    expect(named.map(key).sort()).toEqual(oracle.map(key).sort());
    expect(named).toHaveLength(3);
  });

  it('fails a dump in a missing namespace with ENOENT', async () => {
    const missing = rtnetlink({ netns: 'nlrx-test-no-such-namespace' });
    await expect(firstValueFrom(missing.links())).rejects.toMatchObject({ code: 'ENOENT' });
    missing.close();
  });

  it('fails dumps after close with EBADF', async () => {
    const closing = rtnetlink({ netns: ns.name });
    expect((await lastValueFrom(closing.links().pipe(toArray()))).length).toBe(3);
    closing.close();
    closing.close();
    await expect(firstValueFrom(closing.links())).rejects.toMatchObject({ code: 'EBADF' });
  });
});
