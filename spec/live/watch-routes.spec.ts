/**
 * watch('routes') against the real kernel: convergence after bursts, forced
 * overruns, silent kernel removals, the sync marker, change events, sharing
 * and socket cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { runningLiveTables } from '../../lib/live/live-registry.js';
import { table } from '../../lib/live/table.js';
import { watch } from '../../lib/live/watch.js';
import type { Route } from '../../lib/route/route.js';
import { createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';
import { batchAsync, diffLines, eventually, Folded, ipRouteLines, tableRouteLines } from './live-fixtures.js';

function v4(i: number): string {
  return `10.${100 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}`;
}
function v6(i: number): string {
  return `fd10::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`;
}

async function converged(ns: Netns, folded: Folded<Route>): Promise<{ ok: boolean; why: string; size: number }> {
  const result = await eventually(() => {
    const expected = ipRouteLines(ns);
    const actual = tableRouteLines(ns, folded.rows.values());
    return { expected, actual };
  }, ({ expected, actual }) => expected.length === actual.length && expected.every((x, i) => x === actual[i]));
  const ok = result.expected.length === result.actual.length && result.expected.every((x, i) => x === result.actual[i]);
  return { ok, why: diffLines(result.expected, result.actual), size: result.expected.length };
}

describe.skipIf(!isRoot)('watch routes (real kernel)', () => {
  let ns: Netns;
  const subscriptions: Subscription[] = [];

  beforeAll(() => {
    ns = createNetns('live');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.v1.disable_ipv6=1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('link', 'set', 'v1', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'v0');
    ns.ip('-6', 'addr', 'add', 'fd00::1/64', 'dev', 'v0', 'nodad');
  });

  afterAll(() => {
    for (const s of subscriptions) s.unsubscribe();
    ns?.remove();
  });

  it('equals ip -j route show table all after tens of thousands of adds and deletes in bursts (both families)', async () => {
    const folded = new Folded<Route>();
    subscriptions.push(watch('routes', {}, { netns: ns.name }).subscribe(folded.push));
    await eventually(() => folded.synced, (n) => n === 1);
    expect(folded.synced).toBe(1);
    let adds = 0;
    let dels = 0;
    for (let burst = 0; burst < 6; burst++) {
      const lines: string[] = [];
      const base = burst * 4000;
      for (let i = 0; i < 4000; i++) lines.push(`route add ${v4(base + i)}/32 dev v0 metric ${i % 3}`);
      for (let i = 0; i < 1500; i++) lines.push(`route add ${v6(base + i)}/128 via fd00::2 dev v0`);
      for (let i = 0; i < 2000; i++) lines.push(`route del ${v4(base + 2 * i)}/32 dev v0 metric ${(2 * i) % 3}`);
      for (let i = 0; i < 500; i++) lines.push(`route del ${v6(base + 3 * i)}/128`);
      adds += 5500;
      dels += 2500;
      await batchAsync(ns, lines);
    }
    const result = await converged(ns, folded);
    console.log(`routes: ${adds} adds and ${dels} deletes in 6 bursts; table ${folded.rows.size}, ip ${result.size}; ` +
      `resyncs: ${folded.events.filter((e) => e.type === 'resync').map((e) => e.type === 'resync' && e.reason).join(',') || 'none'}`);
    expect(result.ok, result.why).toBe(true);
    expect(result.size).toBeGreaterThan(adds - dels);
    expect(folded.synced).toBe(1);
  });
});
