/**
 * The README's examples (examples/*.mjs) run as a user runs them: `node
 * examples/X.mjs NETNS`, importing the built package by its name.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from './helpers/netns.js';
import { sseClient, waitFor, wsClient } from './ui/stream-client.js';

const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
const run = (name: string, ...args: string[]) =>
  execFileSync(process.execPath, [example(name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('README examples (no kernel)', () => {
  it('testing-own-pipeline tests a pipeline against netlink-rx/testing\'s scripted kernel, without root', () => {
    expect(run('testing-own-pipeline.mjs').trim()).toBe('ok: 25 routes, then EPERM');
  });
});

describe.skipIf(!isRoot)('README examples (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('examples');
    ns.ip('link', 'add', 'ex0', 'type', 'veth', 'peer', 'name', 'ex1');
    // No IPv6 DAD here: a link-local address leaving 'tentative' would add a route between the
    // example's dump and ip's, and the counts compared below would differ by it.
    for (const dev of ['ex0', 'ex1']) ns.exec('sysctl', '-qw', `net.ipv6.conf.${dev}.accept_dad=0`);
    ns.ip('link', 'set', 'ex0', 'up');
    ns.ip('link', 'set', 'ex1', 'up');
    ns.ip('address', 'add', '192.0.2.1/24', 'dev', 'ex0');
    ns.ip('route', 'add', 'default', 'via', '192.0.2.254');
    ns.ip('route', 'add', '198.51.100.0/24', 'dev', 'ex1');
    ns.ip('-6', 'route', 'add', '2001:db8::/64', 'dev', 'ex1');
  });
  afterAll(() => ns?.remove());

  it('routes-with-devices prints the main table with device names, as ip does', () => {
    const lines = run('routes-with-devices.mjs', ns.name).trim().split('\n').sort();
    const oracle = ns.ipJson<{ dst: string; dev: string }[]>('-4', 'route', 'show')
      .map((r) => `${r.dst === 'default' ? 'default' : r.dst} dev ${r.dev}`).sort();
    expect(lines).toEqual(oracle);
  });

  it('routes-with-devices says what is wrong with a missing namespace, and exits 1', () => {
    expect(() => run('routes-with-devices.mjs', 'nlrx-test-no-such-namespace')).toThrow(/ENOENT/);
  });

  it('ipv6-snapshot counts the IPv6 routes of every table', () => {
    const count = ns.ipJson<unknown[]>('-6', 'route', 'show', 'table', 'all').length;
    expect(run('ipv6-snapshot.mjs', ns.name).trim()).toBe(`${count} IPv6 routes`);
  });

  it('qdiscs describes a family the library does not ship and lists what tc qdisc show lists', () => {
    const index = new Map(ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show').map((l) => [l.ifname, l.ifindex]));
    const oracle = ns.exec('tc', 'qdisc', 'show').trim().split('\n').map((line) => {
      const [, kind, handle, dev] = /^qdisc (\S+) ([0-9a-f]+):.* dev (\S+)/.exec(line)!;
      return `${index.get(dev)} ${kind} ${parseInt(handle, 16) * 0x10000 === 0 ? '0' : (parseInt(handle, 16) * 0x10000).toString(16)}`;
    }).sort();
    expect(oracle.length).toBeGreaterThan(0);
    expect(run('qdiscs.mjs', ns.name).trim().split('\n').sort()).toEqual(oracle);
  });

  it('live-routes prints the rows count, then each change', async () => {
    const child = spawn(process.execPath, [example('live-routes.mjs'), ns.name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const seen = (text: string) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never printed ${text}; got:\n${out}`)), 20_000);
      const check = () => {
        if (!out.includes(text)) return;
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      check();
    });
    child.stdout.on('data', (d) => (out += d));
    try {
      const rows = ns.ipJson<unknown[]>('-4', 'route', 'show', 'table', 'all').length;
      await seen(`${rows} routes, now live`);
      ns.ip('route', 'add', '203.0.113.0/24', 'dev', 'ex1');
      await seen('+ 203.0.113.0/24 table 254');
      ns.ip('route', 'del', '203.0.113.0/24', 'dev', 'ex1');
      await seen('- 203.0.113.0/24 table 254');
    } finally {
      child.kill();
    }
  });

  // The README's UI backend examples: the dashboard and the streams inside Express and Fastify.
  it.each(['express-dashboard.mjs', 'fastify-dashboard.mjs'])('%s serves the dashboard, SSE and WebSocket streams, safely, and shuts down with 1001', async (name) => {
    const child = spawn(process.execPath, [example(name), ns.name, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /Listening on (http:\/\/\S+)\//.test(out), `${name} listening; got:\n${out}`, 20_000);
      const base = /Listening on (http:\/\/\S+)\//.exec(out)![1];
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(page.headers.get('x-powered-by')).toBe(null);
      expect((await fetch(`${base}/dashboard.js`)).status).toBe(200);

      const links = ns.ipJson<{ ifname: string }[]>('link', 'show').map((l) => l.ifname).sort();
      const sse = sseClient(`${base}/live/links`);
      const ws = wsClient(`${base.replace('http', 'ws')}/live/links`);
      const foreign = wsClient(`${base.replace('http', 'ws')}/live/links`, { origin: 'http://evil.example' });
      try {
        expect([await sse.ready, await ws.ready, await foreign.ready]).toEqual([200, 101, 403]);
        await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'synced');
        for (const c of [sse, ws]) expect([...c.mirror.rows.values()].map((l) => (l as { ifname: string }).ifname).sort()).toEqual(links);
        // A rebinding page's Host is refused.
        expect((await sseClient(`${base}/live/links`, { host: 'rebind.evil.example' }).ready)).toBe(400);
        child.kill('SIGTERM');
        expect(await ws.closed).toBe(1001);
        expect(await exited).toBe(0);
      } finally {
        sse.close();
        ws.close();
        foreign.close();
      }
    } finally {
      child.kill();
    }
  });
});
