/**
 * Figures, not assertions on time: decoding speed of 100k routes against a
 * raw recv-only dump of the same table, and `nlrx -j` against `ip -j`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, count } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dump } from '../../lib/rx/dump.js';
import { decodeRoute, routeRequest, routes } from '../../lib/route/route.js';
import { addRoutes, createNetns, isRoot, type Netns } from '../helpers/netns.js';

const ROUTES = 100_000;
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe.skipIf(!isRoot)(`decoding ${ROUTES} routes (figures)`, () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('speed');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.exec('sysctl', '-qw', 'net.ipv6.conf.v0.disable_ipv6=1');
    ns.ip('link', 'set', 'v0', 'up');
    addRoutes(ns, 'v0', ROUTES);
  });
  afterAll(() => ns?.remove());

  it('measures raw dump, decode-only and routes()', async () => {
    const request = routeRequest({ family: 'inet', table: 'main' });
    const time = async (what: () => Promise<number>) => {
      const start = process.hrtime.bigint();
      const n = await what();
      return { n, ms: Number(process.hrtime.bigint() - start) / 1e6 };
    };
    const options = { netns: ns.name, strictCheck: true, rcvbuf: 1 << 22 };
    // Warm up JIT on both paths once.
    await lastValueFrom(routes({ family: 'inet', table: 'main' }, options).pipe(count()));
    const raw = await time(() => lastValueFrom(dump(request, options).pipe(count())));
    let sink = 0;
    const decoded = await time(async () => {
      let n = 0;
      await new Promise<void>((resolve, reject) => dump(request, options).subscribe({
        next: (m) => { sink += decodeRoute(m).dstLen; n++; }, error: reject, complete: resolve,
      }));
      return n;
    });
    const typed = await time(() => lastValueFrom(routes({ family: 'inet', table: 'main' }, options).pipe(count())));
    expect(raw.n).toBeGreaterThanOrEqual(ROUTES);
    expect(typed.n).toBe(raw.n);
    expect(sink).toBeGreaterThan(0);
    const rate = (t: { n: number; ms: number }) => `${Math.round(t.n / (t.ms / 1000)).toLocaleString('en')} msg/s`;
    console.log(`[route speed] ${raw.n} routes: raw dump ${raw.ms.toFixed(0)} ms (${rate(raw)}), ` +
      `dump+decodeRoute ${decoded.ms.toFixed(0)} ms (${rate(decoded)}), routes() ${typed.ms.toFixed(0)} ms ` +
      `(${rate(typed)}), typed/raw = ${(typed.ms / raw.ms).toFixed(2)}x`);

    const clock = (cmd: string, args: string[]) => {
      const start = process.hrtime.bigint();
      const run = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, out: run.stdout };
    };
    const ip = clock('ip', ['-n', ns.name, '-j', '-4', 'route', 'show', 'table', 'all']);
    const ours = clock(process.execPath, [MAIN, '-n', ns.name, '-j', '-4', 'route', 'show', 'table', 'all']);
    expect(ours.out).toBe(ip.out);
    console.log(`[route speed] -j -4 route show table all: ip ${ip.ms.toFixed(0)} ms, nlrx ${ours.ms.toFixed(0)} ms`);
  });
});
