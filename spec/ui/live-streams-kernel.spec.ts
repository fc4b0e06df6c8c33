/**
 * The UI backend over real live tables (watchSource) in a throw-away
 * namespace: many clients, one watch, one set of kernel sockets; reconnects.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningLiveTables } from '../../lib/live/live-registry.js';
import { liveStreams, type LiveStreams } from '../../lib/ui/live-streams.js';
import { watchSource } from '../../lib/ui/watch-source.js';
import { addRoutes, createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { sseClient, waitFor, wsClient, type StreamClient } from './stream-client.js';

/**
 * Netlink sockets this process holds in `ns`: the namespace's socket inodes
 * (its /proc/net/netlink, read from inside it) that are among our fds.
 */
function netlinkSockets(ns: Netns): number {
  const inodes = new Set(ns.exec('cat', '/proc/net/netlink').trim().split('\n').slice(1)
    .map((line) => line.trim().split(/\s+/)[9]));
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m !== null && inodes.has(m[1])) count++;
    } catch {
      // The fd closed while we looked.
    }
  }
  return count;
}

describe.skipIf(!isRoot)('live streams over the kernel', () => {
  let ns: Netns;
  let streams: LiveStreams;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    ns = createNetns('uik');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    for (const dev of ['v0', 'v1']) {
      ns.exec('sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`);
      ns.ip('link', 'set', dev, 'up');
    }
    addRoutes(ns, 'v0', 500);
    streams = liveStreams({ source: watchSource, netns: ns.name, heartbeatMs: 0 });
    server = createServer(streams.handler);
    server.on('upgrade', (req, socket, head) => {
      if (!streams.upgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    streams?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    ns?.remove();
  });

  const routeCount = (): number => ns.ipJson<unknown[]>('-4', 'route', 'show', 'table', 'all').length +
    ns.ipJson<unknown[]>('-6', 'route', 'show', 'table', 'all').length;

  it('200 concurrent SSE and WebSocket clients of one table cause exactly one watch and one watch\'s sockets', async () => {
    const idle = netlinkSockets(ns);
    const one = sseClient(`http://${base}/live/routes`);
    await waitFor(() => one.mirror.synced === 1, 'first client synced');
    const perWatch = netlinkSockets(ns) - idle;
    expect(perWatch).toBeGreaterThan(0);
    expect(one.mirror.rows.size).toBe(routeCount());

    const many: StreamClient[] = [];
    for (let i = 0; i < 199; i++) many.push(i % 2 === 0 ? wsClient(`ws://${base}/live/routes`) : sseClient(`http://${base}/live/routes`));
    await waitFor(() => many.every((c) => c.mirror.synced === 1), '199 more clients synced');
    expect(streams.stats().watches).toBe(1);
    expect(streams.stats().tables[0].clients).toBe(200);
    expect(runningLiveTables()).toBe(1);
    // No more sockets than one client's watch had (its dump socket may since have gone back and closed).
    const now = netlinkSockets(ns) - idle;
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThanOrEqual(perWatch);
    console.log(`200 clients: ${perWatch} netlink socket(s) for the one watch, ${idle} before it`);

    // Every client sees a change through the one watch.
    ns.ip('route', 'add', '198.51.100.0/24', 'dev', 'v1');
    await waitFor(() => [one, ...many].every((c) => [...c.mirror.rows.values()]
      .some((r) => (r as { dst?: string }).dst === '198.51.100.0')), 'all 200 saw the new route');

    for (const c of [one, ...many]) c.close();
    await waitFor(() => streams.stats().watches === 0 && runningLiveTables() === 0, 'watch closed');
    await waitFor(() => netlinkSockets(ns) === idle, 'sockets closed');
  });

  it('a reconnect with Last-Event-ID gets a snapshot with what changed meanwhile', async () => {
    const first = sseClient(`http://${base}/live/routes`);
    await waitFor(() => first.mirror.synced === 1, 'synced');
    ns.ip('route', 'add', '203.0.113.0/24', 'dev', 'v1');
    await waitFor(() => first.mirror.count('add') >= 1, 'add');
    const lastId = first.mirror.lastId!;
    first.close();
    ns.ip('route', 'del', '203.0.113.0/24', 'dev', 'v1');
    addRoutes(ns, 'v1', 300, '100');
    const again = sseClient(`http://${base}/live/routes`, { 'last-event-id': lastId });
    try {
      await waitFor(() => again.mirror.synced === 1, 'synced again');
      expect(again.mirror.snapshots).toEqual(['reconnect']);
      await waitFor(() => again.mirror.rows.size === routeCount(), 'the table as ip shows it');
      const dsts = [...again.mirror.rows.values()].map((r) => (r as { dst?: string }).dst);
      expect(dsts).not.toContain('203.0.113.0');
    } finally {
      again.close();
    }
  });
});
