/**
 * Cross-origin protection over real loopback HTTP: which Host and Origin the
 * streams and the dashboard accept, by default and with allow-lists, and
 * that no response ever carries a CORS header.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboard } from '../../lib/ui/dashboard-handler.js';
import { liveStreams, type LiveStreams } from '../../lib/ui/live-streams.js';
import type { RequestGuardOptions } from '../../lib/ui/request-guard.js';
import { FakeLiveTable } from './fake-live-table.js';
import { rawGet, WS_HANDSHAKE, type RawResponse } from './raw-http.js';

interface Fixture {
  port: number;
  streams: LiveStreams;
  server: Server;
}

const fixtures: Fixture[] = [];

async function serve(options: RequestGuardOptions = {}, host = '127.0.0.1'): Promise<Fixture> {
  const table = new FakeLiveTable();
  table.rows.set('1', { ifname: 'lo' });
  const streams = liveStreams({ source: table.source, heartbeatMs: 0, ...options });
  const page = dashboard(options);
  const server = createServer((req, res) => page(req, res, () => streams.handler(req, res)));
  server.on('upgrade', (req, socket, head) => {
    if (!streams.upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const fixture = { port: (server.address() as AddressInfo).port, streams, server };
  fixtures.push(fixture);
  return fixture;
}

afterEach(async () => {
  for (const f of fixtures.splice(0)) {
    await f.streams.close();
    f.server.closeAllConnections();
    await new Promise((r) => f.server.close(r));
  }
});

const corsHeaders = (r: RawResponse) => [...r.headers.keys()].filter((h) => h.startsWith('access-control-'));

describe('Host checks (DNS rebinding)', () => {
  it('accepts the bound address and localhost, refuses any other name with 400, on the page, SSE and WebSocket', async () => {
    const f = await serve();
    const { port } = f;
    for (const path of ['/', '/live/links']) {
      expect((await rawGet(port, path)).status).toBe(200);
      expect((await rawGet(port, path, { host: `localhost:${port}` })).status).toBe(200);
      for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.2:${port}`, `[::1]:${port}`, `user@127.0.0.1:${port}`, '']) {
        expect((await rawGet(port, path, { host })).status, `${path} Host ${host}`).toBe(400);
      }
      // HTTP/1.0 lets a client leave Host out; we do not serve it.
      expect((await rawGet(port, path, { host: undefined })).status).toBe(400);
    }
    expect((await rawGet(port, '/live/links', WS_HANDSHAKE)).status).toBe(101);
    expect((await rawGet(port, '/live/links', { ...WS_HANDSHAKE, host: `rebind.evil.example:${port}` })).status).toBe(400);
  });

  it('accepts the names of allowedHosts, with or without a port, and any Host with "*"', async () => {
    const f = await serve({ allowedHosts: ['router.example', 'noc.example:8443'] });
    expect((await rawGet(f.port, '/live/links', { host: 'router.example' })).status).toBe(200);
    expect((await rawGet(f.port, '/live/links', { host: 'ROUTER.example:9' })).status).toBe(200);
    expect((await rawGet(f.port, '/live/links', { host: 'noc.example:8443' })).status).toBe(200);
    expect((await rawGet(f.port, '/live/links', { host: 'noc.example:8444' })).status).toBe(400);
    expect((await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, host: 'router.example' })).status).toBe(101);
    const any = await serve({ allowedHosts: ['*'] });
    expect((await rawGet(any.port, '/', { host: 'whatever.example' })).status).toBe(200);
  });

  it('on an IPv6 loopback server, accepts [::1] and refuses 127.0.0.1 as Host', async () => {
    const f = await serve({}, '::1');
    expect((await rawGet(f.port, '/live/links', {}, '::1')).status).toBe(200);
    expect((await rawGet(f.port, '/live/links', { host: `[0:0::1]:${f.port}` }, '::1')).status).toBe(200);
    expect((await rawGet(f.port, '/live/links', { host: `127.0.0.1:${f.port}` }, '::1')).status).toBe(400);
  });
});

describe('Origin checks (other sites\' pages)', () => {
  it('a WebSocket or SSE request from another origin gets 403; the page\'s own origin and non-browsers get in', async () => {
    const f = await serve();
    const self = `http://127.0.0.1:${f.port}`;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${f.port + 1}`, `http://localhost:${f.port}`, 'null', 'not a url', `${self}/path`]) {
      const ws = await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, origin });
      expect(ws.status, `WebSocket from ${origin}`).toBe(origin === `${self}/path` ? 101 : 403);
      expect(corsHeaders(ws)).toEqual([]);
      expect((await rawGet(f.port, '/live/links', { origin })).status, `SSE from ${origin}`).toBe(origin === `${self}/path` ? 200 : 403);
    }
    expect((await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, origin: self })).status).toBe(101);
    expect((await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, origin: `https://127.0.0.1:${f.port}` })).status).toBe(101);
    expect((await rawGet(f.port, '/live/links', WS_HANDSHAKE)).status).toBe(101);
    // The same origin under localhost when the page was loaded as localhost.
    expect((await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, host: `localhost:${f.port}`, origin: `http://localhost:${f.port}` })).status).toBe(101);
  });

  it('accepts the origins of allowedOrigins, and any with "*"', async () => {
    const f = await serve({ allowedOrigins: ['https://noc.example:8443/'] });
    expect((await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, origin: 'https://noc.example:8443' })).status).toBe(101);
    expect((await rawGet(f.port, '/live/links', { ...WS_HANDSHAKE, origin: 'http://noc.example:8443' })).status).toBe(403);
    const any = await serve({ allowedOrigins: ['*'] });
    expect((await rawGet(any.port, '/live/links', { ...WS_HANDSHAKE, origin: 'http://evil.example' })).status).toBe(101);
  });

  it('never sends a CORS header, not even to a preflight', async () => {
    const f = await serve();
    const preflight = await rawGet(f.port, '/live/links', { origin: 'http://evil.example', 'access-control-request-method': 'GET' });
    expect(corsHeaders(preflight)).toEqual([]);
    for (const path of ['/', '/dashboard.js', '/live/links', '/nothing']) {
      expect(corsHeaders(await rawGet(f.port, path, { origin: `http://127.0.0.1:${f.port}` }))).toEqual([]);
    }
  });
});
