/**
 * routes() does not check the family again in JavaScript: the kernel hands a
 * one-family dump to that family's handler alone, whether or not that handler
 * flags its replies NLM_F_DUMP_FILTERED. These specs prove the premise (one
 * family only) and that the results
 * equal a JavaScript filter of the unfiltered dump, over the rtnetlink
 * client's readAhead sockets and the default demand-driven ones.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NLM_F_DUMP_FILTERED } from '../../lib/codec/header.js';
import { AF_INET, AF_INET6, RTM_NEWROUTE } from '../../lib/route/constants.js';
import { routeRequest, routes, type Route } from '../../lib/route/route.js';
import { rtnetlink } from '../../lib/client/rtnetlink.js';
import { forEachDumpBatch } from '../../lib/rx/for-each-dump-batch.js';
import { addRoutes, createNetns, isRoot, type Netns } from '../helpers/netns.js';

const key = (r: Route) => `${r.family} ${r.table} ${r.dst}/${r.dstLen} ${r.type} ${r.oif} ${r.gateway} ${r.priority}`;

describe.skipIf(!isRoot)('routes() with a family filter', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('family');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    // No DAD in this namespace: a link-local address leaving 'tentative' adds its local route
    // between two dumps, which would make them differ for a reason that is not the one tested.
    for (const dev of ['v0', 'v1']) ns.exec('sysctl', '-qw', `net.ipv6.conf.${dev}.accept_dad=0`);
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'v0');
    ns.ip('addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
    ns.ip('route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2', 'table', '100');
    ns.ip('route', 'add', '198.51.100.0/24', 'via', '192.0.2.2', 'table', '100');
    addRoutes(ns, 'v0', 3000);
  });
  afterAll(() => ns?.remove());

  it('gets only that family from the kernel, flagged filtered or not', async () => {
    for (const [family, number] of [['inet', AF_INET], ['inet6', AF_INET6]] as const) {
      const families = new Set<number>();
      let filtered = 0;
      let count = 0;
      await forEachDumpBatch(routeRequest({ family }), (batch) => {
        for (const msg of batch) {
          if (msg.type !== RTM_NEWROUTE) continue;
          count++;
          families.add(msg.data[msg.offset + 16]);
          if (msg.flags & NLM_F_DUMP_FILTERED) filtered++;
        }
      }, { netns: ns.name, strictCheck: true });
      expect(count).toBeGreaterThan(family === 'inet' ? 3000 : 2);
      expect([...families]).toEqual([number]);
      console.log(`${family}: ${count} routes, ${filtered} flagged NLM_F_DUMP_FILTERED`);
    }
  });

  it('equals the unfiltered dump filtered in JavaScript, with demand-driven and readAhead sockets', async () => {
    const client = rtnetlink({ netns: ns.name });
    try {
      const all = await lastValueFrom(routes({}, { netns: ns.name }).pipe(toArray()));
      for (const [family, number] of [['inet', AF_INET], ['inet6', AF_INET6]] as const) {
        const expected = all.filter((r) => r.family === number).map(key);
        expect(expected.length).toBeGreaterThan(2);
        const plain = await lastValueFrom(routes({ family }, { netns: ns.name }).pipe(toArray()));
        const ahead = await lastValueFrom(client.routes({ family }).pipe(toArray()));
        const table = await lastValueFrom(client.routes({ family, table: 100 }).pipe(toArray()));
        expect(plain.map(key)).toEqual(expected);
        expect(ahead.map(key)).toEqual(expected);
        expect(table.map(key)).toEqual(all.filter((r) => r.family === number && r.table === 100).map(key));
        expect(table).toHaveLength(1);
      }
    } finally {
      client.close();
    }
  });
});
