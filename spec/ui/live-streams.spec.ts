/**
 * The UI backend over a scripted live table, served by plain node:http:
 * message order, one watch for many clients, reconnects, slow clients.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { liveStreams, type LiveStreams, type LiveStreamsOptions } from '../../lib/ui/live-streams.js';
import { FakeLiveTable } from './fake-live-table.js';
import { sseClient, waitFor, wsClient, type StreamClient } from './stream-client.js';

interface Fixture {
  table: FakeLiveTable;
  streams: LiveStreams;
  server: Server;
  http: string;
  ws: string;
}

const fixtures: Fixture[] = [];
const clients: StreamClient[] = [];

async function serve(options: Partial<LiveStreamsOptions> = {}): Promise<Fixture> {
  const table = new FakeLiveTable();
  const streams = liveStreams({ source: table.source, heartbeatMs: 0, ...options });
  const server = createServer(streams.handler);
  server.on('upgrade', (req, socket, head) => {
    if (!streams.upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fixture = { table, streams, server, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
  fixtures.push(fixture);
  return fixture;
}

function track<T extends StreamClient>(client: T): T {
  clients.push(client);
  return client;
}

function open(f: Fixture, transport: 'sse' | 'ws', kind = 'routes', headers: Record<string, string> = {}): StreamClient {
  return track(transport === 'sse' ? sseClient(`${f.http}/live/${kind}`, headers) : wsClient(`${f.ws}/live/${kind}`));
}

const sorted = (rows: ReadonlyMap<string, unknown>): string => JSON.stringify([...rows].sort(([a], [b]) => a.localeCompare(b)));

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const f of fixtures.splice(0)) {
    f.streams.close();
    f.server.closeAllConnections();
    await new Promise((r) => f.server.close(r));
  }
});

describe.each(['sse', 'ws'] as const)('live streams over %s', (transport) => {
  it('sends a snapshot, synced, then add / change / remove keyed by identity', async () => {
    const f = await serve();
    f.table.rows.set('a', { dst: '10.0.0.1', data: new Uint8Array([0xde, 0xad]) });
    f.table.rows.set('b', { dst: '10.0.0.2' });
    const c = open(f, transport);
    await waitFor(() => c.mirror.synced === 1, 'synced');
    expect(c.mirror.messages.map((m) => m.type)).toEqual(['snapshot', 'rows', 'synced']);
    expect(c.mirror.messages[0].data).toMatchObject({ table: 'routes', count: 2, reason: 'initial' });
    // Bytes travel as hex, not as a Buffer's array of numbers.
    expect(c.mirror.rows.get('a')).toEqual({ dst: '10.0.0.1', data: 'dead' });

    f.table.set('c', { dst: '10.0.0.3' });
    f.table.set('b', { dst: '10.0.0.2', metric: 5 });
    f.table.delete('a');
    f.table.resync('overrun');
    await waitFor(() => c.mirror.count('resync') === 1, 'resync');
    expect(c.mirror.messages.slice(3).map((m) => [m.type, m.data.key])).toEqual([
      ['add', 'c'], ['change', 'b'], ['remove', 'a'], ['resync', undefined],
    ]);
    expect(c.mirror.messages[4].data).toEqual({ key: 'b', old: { dst: '10.0.0.2' }, value: { dst: '10.0.0.2', metric: 5 } });
    expect(c.mirror.messages[5].data).toEqual({ key: 'a', old: { dst: '10.0.0.1', data: 'dead' } });
    expect(c.mirror.messages[6].data).toEqual({ table: 'routes', reason: 'overrun' });
    expect(sorted(c.mirror.rows)).toBe(sorted(new Map([['b', { dst: '10.0.0.2', metric: 5 }], ['c', { dst: '10.0.0.3' }]])));
    // SSE ids (and the WebSocket's id field) follow the table's sequence: every
    // change has its own, resync too; the snapshot's chunks have none, synced the sequence it ends at.
    expect(c.mirror.messages.map((m) => m.id)).toEqual([undefined, undefined, '0', '1', '2', '3', '4']);
  });

  it('a client that never reads stays under the backlog limit, slows no one, and later gets a snapshot', async () => {
    const limit = 1 << 20;
    const f = await serve({ backlogLimit: limit });
    const pad = 'x'.repeat(1000);
    for (let i = 0; i < 500; i++) f.table.rows.set(`k${i}`, { i, v: 0, pad });
    const fast = open(f, transport);
    const slow = open(f, transport);
    await waitFor(() => fast.mirror.synced === 1 && slow.mirror.synced === 1, 'both synced');
    slow.pause();

    let changes = 0;
    let peakHeld = 0;
    // Paced by the fast client (as a real producer is paced by nothing, but a fast
    // client keeps up): 32 MB of changes, far more than the kernel's socket buffers.
    for (let round = 0; round < 3200; round++) {
      for (let j = 0; j < 10; j++, changes++) f.table.set(`k${changes % 500}`, { i: changes % 500, v: changes, pad });
      await tick();
      const s = f.streams.stats().clients.find((c) => c.drops > 0 || c.queuedBytes > 0);
      if (s !== undefined) peakHeld = Math.max(peakHeld, s.queuedBytes);
      if (round % 10 === 0) await waitFor(() => fast.mirror.count('change') >= changes - 100 || fast.mirror.snapshots.length > 1, 'fast client keeping up');
    }
    await waitFor(() => fast.mirror.count('change') === changes || fast.mirror.snapshots.length > 1,
      `fast client got all ${changes} changes`);
    expect(fast.mirror.snapshots).toEqual(['initial']);
    expect(fast.mirror.count('change')).toBe(changes);
    expect(sorted(fast.mirror.rows)).toBe(sorted(f.table.rows));

    const stats = f.streams.stats().clients;
    const slowStats = stats.find((c) => c.drops > 0);
    expect(slowStats, 'the slow client had its backlog dropped').toBeDefined();
    expect(slowStats!.peakQueuedBytes).toBeLessThanOrEqual(limit);
    expect(peakHeld).toBeLessThanOrEqual(limit);
    console.log(`${transport}: ${changes} changes of ~1 KB; slow client: drops ${slowStats!.drops}, ` +
      `peak queue ${slowStats!.peakQueuedBytes} B (limit ${limit}), transport buffer ${slowStats!.bufferedBytes} B; ` +
      `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

    slow.resume();
    // Converged means the fresh snapshot ended with its own synced marker too: its rows alone can be
    // complete a frame before that marker arrives (a race under load, when the check came first).
    await waitFor(() => slow.mirror.snapshots.includes('backlog') && slow.mirror.synced >= 2 &&
      sorted(slow.mirror.rows) === sorted(f.table.rows), 'the slow client converged through a fresh snapshot');
    // It missed deltas, never a gap: every change it did get came after a complete snapshot.
    expect(slow.mirror.synced).toBeGreaterThanOrEqual(2);
  });

  it('200 concurrent clients of one table share exactly one watch; the last to leave closes it', async () => {
    const f = await serve();
    f.table.rows.set('x', { n: 1 });
    const many = Array.from({ length: 200 }, () => open(f, transport));
    await waitFor(() => many.every((c) => c.mirror.synced === 1), 'all 200 synced');
    expect(f.table.opened).toBe(1);
    expect(f.streams.stats().watches).toBe(1);
    expect(f.streams.stats().tables[0].clients).toBe(200);
    f.table.set('y', { n: 2 });
    await waitFor(() => many.every((c) => c.mirror.rows.has('y')), 'all 200 got the add');
    for (const c of many) c.close();
    await waitFor(() => f.table.active === 0, 'watch closed');
    expect(f.streams.stats().watches).toBe(0);
  });
});

describe('live streams', () => {
  it('a reconnect with Last-Event-ID gets a fresh snapshot of the current table, not a replay', async () => {
    const f = await serve();
    f.table.rows.set('a', { v: 1 });
    const first = open(f, 'sse');
    await waitFor(() => first.mirror.synced === 1, 'synced');
    f.table.set('b', { v: 2 });
    await waitFor(() => first.mirror.rows.has('b'), 'add');
    const lastId = first.mirror.lastId!;
    first.close();
    // Changes while disconnected: a replay from lastId would need history; a snapshot has them all.
    f.table.delete('a');
    f.table.set('c', { v: 3 });
    const again = open(f, 'sse', 'routes', { 'last-event-id': lastId });
    await waitFor(() => again.mirror.synced === 1, 'synced again');
    expect(again.mirror.snapshots).toEqual(['reconnect']);
    expect(sorted(again.mirror.rows)).toBe(sorted(f.table.rows));

    const ws = track(wsClient(`${f.ws}/live/routes?lastEventId=${lastId}`));
    await waitFor(() => ws.mirror.synced === 1, 'ws synced');
    expect(ws.mirror.snapshots).toEqual(['reconnect']);
  });

  it('sends heartbeats while idle, without an id (they leave Last-Event-ID alone)', async () => {
    const f = await serve({ heartbeatMs: 20 });
    const sse = open(f, 'sse');
    const ws = open(f, 'ws');
    await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'synced');
    f.table.set('a', { v: 1 });
    await waitFor(() => sse.mirror.count('heartbeat') > 1 && ws.mirror.count('heartbeat') > 1, 'heartbeats');
    for (const c of [sse, ws]) {
      expect(c.mirror.messages.filter((m) => m.type === 'heartbeat').every((m) => m.id === undefined)).toBe(true);
      expect(c.mirror.lastId).toBe('1');
    }
  });

  it('close() ends SSE streams and closes WebSocket clients with 1001, then refuses new ones with 503', async () => {
    const f = await serve();
    const sse = open(f, 'sse');
    const ws = open(f, 'ws');
    await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'synced');
    await f.streams.close();
    expect(await ws.closed).toBe(1001);
    expect(await sse.closed).toBe(0);
    expect((await fetch(`${f.http}/live/routes`)).status).toBe(503);
    expect(await open(f, 'ws').ready).toBe(503);
  });

  it('a failed table closes WebSocket clients with 1011', async () => {
    const f = await serve();
    const ws = open(f, 'ws');
    await waitFor(() => ws.mirror.synced === 1, 'synced');
    f.table.fail(Object.assign(new Error('gone'), { code: 'ENOENT' }));
    expect(await ws.closed).toBe(1011);
    expect(ws.mirror.messages.at(-1)).toMatchObject({ type: 'error', id: undefined });
  });

  it('ends the streams with an error message when the table fails', async () => {
    const f = await serve();
    const c = open(f, 'sse');
    await waitFor(() => c.mirror.synced === 1, 'synced');
    f.table.fail(Object.assign(new Error('gone'), { code: 'ENOENT' }));
    await waitFor(() => c.mirror.count('error') === 1, 'error message');
    expect(c.mirror.messages.at(-1)!.data).toMatchObject({ table: 'routes', code: 'ENOENT', message: 'gone' });
    expect(f.streams.stats().watches).toBe(0);
  });

  it('is middleware: other paths go to next(), or get 404 without one', async () => {
    const table = new FakeLiveTable();
    const streams = liveStreams({ source: table.source, heartbeatMs: 0, kinds: ['links'] });
    const server = createServer((req, res) => streams.handler(req, res, () => res.writeHead(299).end('next')));
    const bare = createServer(streams.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    try {
      const url = (s: Server, path: string) => `http://127.0.0.1:${(s.address() as AddressInfo).port}${path}`;
      expect((await fetch(url(server, '/other'))).status).toBe(299);
      expect((await fetch(url(server, '/live/routes'))).status).toBe(299); // not a served kind
      expect((await fetch(url(bare, '/other'))).status).toBe(404);
      // A stream path is ours whatever the method: read-only, 405, not next().
      const post = await fetch(url(server, '/live/links'), { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      const live = await fetch(url(bare, '/live/links'));
      expect(live.status).toBe(200);
      expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await live.body?.cancel();
    } finally {
      streams.close();
      server.closeAllConnections();
      bare.closeAllConnections();
      await new Promise((r) => server.close(r));
      await new Promise((r) => bare.close(r));
    }
  });
});
