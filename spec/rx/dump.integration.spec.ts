import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, defer, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeCursor } from '../../lib/codec/attributes.js';
import { NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, type NetlinkMessage } from '../../lib/codec/header.js';
import { splitMessages } from '../../lib/codec/message.js';
import { DumpInterruptedError } from '../../lib/errors.js';
import { dump } from '../../lib/rx/dump.js';
import { dumpBatches } from '../../lib/rx/dump-batches.js';
import { encodeDumpRequest, type DumpRequest } from '../../lib/rx/dump-request.js';
import { iterateDump } from '../../lib/rx/iterate-dump.js';
import { snapshot } from '../../lib/rx/operators/snapshot.js';
import { SocketPool, type TransportFactory } from '../../lib/rx/socket-pool.js';
import { socketPool } from '../../lib/rx/socket-pools.js';
import { NetlinkSocket } from '../../lib/transport/netlink-socket.js';
import { addRoutes, createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';

// <linux/rtnetlink.h>, <linux/if_addr.h>
const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;
const RTM_GETADDR = 22;
const AF_INET = 2;
const IFA_LOCAL = 2;
const ROUTES = 100_000;

/** RTM_GETROUTE for AF_INET: a 12-byte struct rtmsg with rtm_family set. */
const routeRequest: DumpRequest = { protocol: 0, type: RTM_GETROUTE, payload: Uint8Array.of(AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) };
/** RTM_GETADDR for AF_INET: an 8-byte struct ifaddrmsg. */
const addressRequest: DumpRequest = { protocol: 0, type: RTM_GETADDR, payload: Uint8Array.of(AF_INET, 0, 0, 0, 0, 0, 0, 0) };

const countRoutes = (messages: number, msg: NetlinkMessage) => (msg.type === RTM_NEWROUTE ? messages + 1 : messages);

/** A factory that keeps the real sockets it opened, to read their recv counters. */
function keptSockets(): { factory: TransportFactory; sockets: NetlinkSocket[] } {
  const sockets: NetlinkSocket[] = [];
  return { sockets, factory: (protocol, options) => { const s = new NetlinkSocket(protocol, options); sockets.push(s); return s; } };
}

describe.skipIf(!isRoot)('dump() against the kernel, 100k routes in a namespace', () => {
  let ns: Netns;
  /** What `ip` shows: IPv4 routes of every table. */
  let expected: number;

  beforeAll(() => {
    ns = createNetns('dump');
    ns.ip('link', 'add', 'nlrx-a', 'type', 'veth', 'peer', 'name', 'nlrx-b');
    for (const dev of ['nlrx-a', 'nlrx-b']) ns.exec('sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`);
    ns.ip('link', 'set', 'nlrx-a', 'up');
    addRoutes(ns, 'nlrx-a', ROUTES);
    expected = ns.ip('-4', 'route', 'show', 'table', 'all').split('\n').filter((line) => line.trim() !== '').length;
  });
  afterAll(() => ns?.remove());

  it('opens and sends nothing before subscribe, then dumps every route', async () => {
    const pool = socketPool(0, { netns: ns.name });
    const before = openFds();
    const routes$ = dump(routeRequest, { netns: ns.name });
    expect(openFds()).toBe(before);
    expect(pool.openedTotal).toBe(0);
    const started = performance.now();
    const routes = await lastValueFrom(routes$.pipe(count((msg) => msg.type === RTM_NEWROUTE)));
    const took = performance.now() - started;
    expect(expected).toBeGreaterThan(ROUTES);
    expect(routes).toBe(expected);
    expect(pool.openedTotal).toBe(1);
    expect(pool.idleSockets).toBe(1); // DONE read: the socket is back for the next dump
    pool.close();
    expect(openFds()).toBe(before);
    console.log(`dump(): ${routes} routes in ${took.toFixed(0)} ms`);
  });

  it('gives two concurrent subscriptions every route each', async () => {
    const routes$ = dump(routeRequest, { netns: ns.name }).pipe(count((msg) => msg.type === RTM_NEWROUTE));
    expect(await Promise.all([lastValueFrom(routes$), lastValueFrom(routes$)])).toEqual([expected, expected]);
    socketPool(0, { netns: ns.name }).close();
  });

  it('runs 32 concurrent dumps on a pool of 4: all complete with equal counts, no EBUSY', async () => {
    const pool = new SocketPool(0, { netns: ns.name }, { size: 4 });
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, pool.openSockets)), 1);
    const started = performance.now();
    const counts = await Promise.all(Array.from({ length: 32 }, () =>
      lastValueFrom(dump(routeRequest, { pool }).pipe(count((msg) => msg.type === RTM_NEWROUTE)))));
    clearInterval(watch);
    console.log(`32 dumps on a pool of 4: ${(performance.now() - started).toFixed(0)} ms`);
    expect(counts).toEqual(Array(32).fill(expected));
    expect(pool.openedTotal).toBe(4);
    expect(most).toBeLessThanOrEqual(4);
    pool.close();
  });

  it('survives 1,000 subscribe → take(10) → unsubscribe cycles: a full dump is then correct, no fd leaks', async () => {
    const pool = new SocketPool(0, { netns: ns.name }, { size: 4 });
    const before = openFds();
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      expect(await lastValueFrom(dump(routeRequest, { pool }).pipe(take(10), count()))).toBe(10);
    }
    const took = performance.now() - started;
    // Every cancelled dump closed its socket (none was drained, none is left open).
    expect(pool.openSockets).toBe(0);
    expect(pool.openedTotal).toBe(1000);
    expect(openFds()).toBe(before);
    const routes = await lastValueFrom(dump(routeRequest, { pool }).pipe(count((msg) => msg.type === RTM_NEWROUTE)));
    expect(routes).toBe(expected);
    pool.close();
    expect(openFds()).toBe(before);
    console.log(`1,000 take(10) cycles: ${took.toFixed(0)} ms`);
  });

  it('reads nothing while a for-await consumer pauses', async () => {
    const { factory, sockets } = keptSockets();
    const pool = new SocketPool(0, { netns: ns.name }, { transport: factory });
    let routes = 0;
    let duringPause = -1;
    let atPause = 0;
    for await (const msg of iterateDump(routeRequest, { pool })) {
      routes = countRoutes(routes, msg);
      if (routes === 5000) {
        atPause = sockets[0].recvCalls;
        await new Promise((r) => setTimeout(r, 300));
        duringPause = sockets[0].recvCalls - atPause;
      }
    }
    const total = sockets[0].recvCalls;
    pool.close();
    console.log(`paused for-await: ${atPause} recv calls before the pause, ${duringPause} during it, ${total} in all`);
    expect(duringPause).toBe(0);
    // One read (at most batchDatagrams = 64 datagrams) ahead of the consumer at most: 5000 routes fit in a few.
    expect(atPause).toBeLessThanOrEqual(64);
    expect(routes).toBe(expected);
  });

  it('does not keep the process alive with an idle pooled socket', async () => {
    // The compiled package (npm test builds it first), as a user's program would load it.
    const rx = fileURLToPath(new URL('../../dist/rx/index.js', import.meta.url));
    const script = `
      const { dump, SocketPool } = await import(${JSON.stringify(rx)});
      const pool = new SocketPool(0, { netns: ${JSON.stringify(ns.name)} }, { idleTimeout: 3_600_000 });
      const payload = Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      let n = 0;
      dump({ protocol: 0, type: 26, payload }, { pool }).subscribe({
        next: () => n++,
        complete: () => console.log('done', n > 0, pool.idleSockets),
      });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 30_000);
      child.on('exit', (code) => { clearTimeout(timer); resolve(code); });
    });
    expect(out).toContain('done true 1');
    expect(exited).toBe(0);
  });

  it('compares dump() with a raw read loop over the same kind of socket (figures only)', async () => {
    const raw = async () => {
      const socket = new NetlinkSocket(0, { netns: ns.name });
      const started = performance.now();
      socket.send(encodeDumpRequest(routeRequest, 1));
      let routes = 0;
      for (let end = false; !end;) {
        for (const msg of splitMessages(await socket.read()).messages) {
          if (msg.type === NLMSG_DONE || msg.type === NLMSG_ERROR) { end = true; break; }
          routes = countRoutes(routes, msg);
        }
      }
      socket.close();
      return { routes, ms: performance.now() - started };
    };
    const viaDump = async () => {
      const started = performance.now();
      const routes = await lastValueFrom(dump(routeRequest, { netns: ns.name }).pipe(count((m) => m.type === RTM_NEWROUTE)));
      return { routes, ms: performance.now() - started };
    };
    const viaBatches = async () => {
      const started = performance.now();
      let routes = 0;
      await lastValueFrom(dumpBatches(routeRequest, { netns: ns.name }).pipe(count((batch) => { routes += batch.reduce(countRoutes, 0); return true; })));
      return { routes, ms: performance.now() - started };
    };
    const runs: Record<string, number[]> = { raw: [], dump: [], dumpBatches: [] };
    for (let i = 0; i < 5; i++) {
      for (const [name, run] of [['raw', raw], ['dump', viaDump], ['dumpBatches', viaBatches]] as const) {
        const { routes, ms } = await run();
        expect(routes).toBe(expected);
        runs[name].push(ms);
      }
    }
    // Memory, in a run of its own: sampling disturbs timing. Streaming must not hold the table.
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    await lastValueFrom(dump(routeRequest, { netns: ns.name }).pipe(count(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
      return true;
    })));
    const peakRss = peak - rssBefore;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`counting ${expected} routes, median of 5: raw read loop ${median(runs.raw).toFixed(1)} ms, ` +
      `dump() ${median(runs.dump).toFixed(1)} ms, dumpBatches() ${median(runs.dumpBatches).toFixed(1)} ms; ` +
      `peak RSS growth during dump() ${(peakRss / 2 ** 20).toFixed(1)} MiB`);
    socketPool(0, { netns: ns.name }).close();
  });
});

describe.skipIf(!isRoot)('dump() against the kernel, while another process changes the table', () => {
  // IPv4 and IPv6 route dumps are resumed by key and never flagged NLM_F_DUMP_INTR (kernel 6.18);
  // address dumps check inet_base_seq, so address churn is what makes the kernel flag a dump.
  let ns: Netns;
  let dir: string;
  const STATIC = 4000;

  beforeAll(() => {
    ns = createNetns('churn');
    ns.ip('link', 'add', 'nlrx-a', 'type', 'veth', 'peer', 'name', 'nlrx-b');
    for (const dev of ['nlrx-a', 'nlrx-b']) ns.exec('sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`);
    const lines: string[] = [];
    for (let i = 0; i < STATIC; i++) lines.push(`addr add 10.100.${i >> 8}.${i & 255}/32 dev nlrx-a`);
    ns.batch(lines);
    dir = mkdtempSync(join(tmpdir(), 'nlrx-churn-'));
    const churn: string[] = [];
    for (let round = 0; round < 30; round++) {
      for (let i = 0; i < 500; i++) churn.push(`addr ${round % 2 ? 'del' : 'add'} 10.101.${i >> 8}.${i & 255}/32 dev nlrx-b`);
    }
    writeFileSync(join(dir, 'churn'), `${churn.join('\n')}\n`);
  });
  afterAll(() => {
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the churn in another process; resolves when it has run through. */
  async function churn(): Promise<{ running: Promise<void> }> {
    const child = spawn('ip', ['-n', ns.name, '-force', '-batch', join(dir, 'churn')], { stdio: 'ignore' });
    const running = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise((r) => setTimeout(r, 20)); // a head start: the child must be changing the table
    return { running };
  }

  const localAddress = (msg: NetlinkMessage): string | undefined => {
    const cursor = new AttributeCursor(msg.data, msg.offset + NLMSG_HDRLEN + 8, msg.offset + msg.length);
    while (cursor.next()) if (cursor.type === IFA_LOCAL) return [...cursor.bytes()].join('.');
    return undefined;
  };

  it('reports an interrupted dump as DumpInterruptedError, after delivering every message', async () => {
    let interrupted: DumpInterruptedError | undefined;
    let delivered = 0;
    for (let attempt = 0; attempt < 10 && !interrupted; attempt++) {
      const { running } = await churn();
      let finished = false;
      void running.then(() => (finished = true));
      while (!finished && !interrupted) {
        delivered = 0;
        try {
          await lastValueFrom(dump(addressRequest, { netns: ns.name }).pipe(count(() => ++delivered > 0)));
        } catch (error) {
          if (!(error instanceof DumpInterruptedError)) throw error;
          interrupted = error;
        }
      }
      await running;
    }
    expect(interrupted).toBeInstanceOf(DumpInterruptedError);
    expect(interrupted!.code).toBe('EINTR');
    expect(interrupted!.messages).toBe(delivered);
    expect(delivered).toBeGreaterThanOrEqual(STATIC);
    socketPool(0, { netns: ns.name }).close();
  });

  it('ends in a consistent snapshot with retries, the first attempt having been interrupted', async () => {
    let proved = false;
    for (let experiment = 0; experiment < 10 && !proved; experiment++) {
      const { running } = await churn();
      let attempts = 0;
      const addresses = await firstValueFrom(
        defer(() => { attempts++; return dump(addressRequest, { netns: ns.name }); }).pipe(snapshot(1000)),
      );
      await running;
      const locals = addresses.map(localAddress).filter((a): a is string => a !== undefined);
      // One uninterrupted dump: every static address exactly once, nothing twice.
      expect(new Set(locals).size).toBe(locals.length);
      for (let i = 0; i < STATIC; i += 97) expect(locals).toContain(`10.100.${i >> 8}.${i & 255}`);
      expect(locals.filter((a) => a.startsWith('10.100.'))).toHaveLength(STATIC);
      proved = attempts > 1;
      console.log(`snapshot experiment ${experiment}: ${attempts} attempts, ${locals.length} addresses`);
    }
    expect(proved).toBe(true);
    socketPool(0, { netns: ns.name }).close();
  });

  it('gives the same snapshot as ip once the table is still', async () => {
    const addresses = await firstValueFrom(dump(addressRequest, { netns: ns.name }).pipe(toArray()));
    const shown = ns.ipJson<Array<{ addr_info: Array<{ family: string; local: string }> }>>('addr', 'show');
    const expected = shown.flatMap((link) => link.addr_info.filter((a) => a.family === 'inet').map((a) => a.local)).sort();
    expect(addresses.map(localAddress).sort()).toEqual(expected);
    socketPool(0, { netns: ns.name }).close();
  });
});
