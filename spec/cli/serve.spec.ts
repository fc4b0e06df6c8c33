/**
 * `nlrx serve`: where it binds, who it lets in, and that it only reads.
 */
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, parseServeArgs } from '../../lib/cli/commands/serve.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { ensureBuilt, runNlrx, startServe, type ServeProcess } from '../ui/serve-process.js';
import { sseClient, waitFor, wsClient } from '../ui/stream-client.js';

describe('nlrx serve options', () => {
  it('binds loopback by default and refuses other addresses without a token', () => {
    expect(parseServeArgs([], undefined)).toEqual({ host: '127.0.0.1', port: 8080, netns: undefined, allowedHosts: [], allowedOrigins: [] });
    expect(parseServeArgs(['--host', '[::1]'], undefined).host).toBe('::1');
    expect(parseServeArgs(['--allow-host', 'r.example', '--allow-origin', 'https://noc.example'], undefined))
      .toMatchObject({ allowedHosts: ['r.example'], allowedOrigins: ['https://noc.example'] });
    expect(() => parseServeArgs(['--allow-origin', 'noc.example'], undefined)).toThrow(/origin/);
    for (const host of ['[127.0.0.1]', 'not a host', 'a/b', '[::1', '']) expect(() => parseServeArgs(['--host', host], undefined)).toThrow(/Host/);
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('[::1]') && isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0') || isLoopback('::') || isLoopback('192.0.2.1')).toBe(false);
    expect(() => parseServeArgs(['--host', '0.0.0.0'], undefined)).toThrow(/--token/);
    expect(() => parseServeArgs(['--host', '::'], undefined)).toThrow(/--token/);
    expect(parseServeArgs(['--host', '0.0.0.0', '--token', 't'], 'blue')).toMatchObject({ host: '0.0.0.0', token: 't', netns: 'blue' });
    expect(parseServeArgs(['-n', 'red', '--port', '0'], 'blue')).toMatchObject({ netns: 'red', port: 0 });
    expect(() => parseServeArgs(['--port', '99999'], undefined)).toThrow(/port/i);
    expect(() => parseServeArgs(['--token', ''], undefined)).toThrow(/token/);
    expect(() => parseServeArgs(['--write'], undefined)).toThrow(/unknown/);
  });

  it('the command exits non-zero, saying why, when asked to bind a non-loopback address without a token', async () => {
    ensureBuilt();
    const { code, stdout, stderr } = await runNlrx(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/without --token/);
    expect(stdout).not.toMatch(/Listening/);
  });
});

/** One line, no stack: what every start failure must print. */
function oneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at |node:/);
}

describe('nlrx serve fails cleanly at start: one line on stderr, exit 1', () => {
  let busy: Server;
  beforeAll(async () => {
    ensureBuilt();
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it('a port in use', async () => {
    const port = (busy.address() as { port: number }).port;
    const { code, stderr } = await runNlrx(['serve', '--port', String(port)]);
    expect(code).toBe(1);
    oneLine(stderr);
    expect(stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}: the port is in use \\(EADDRINUSE\\)`));
  });

  it('a host that is not an address or a name, one that does not resolve, one not on this machine', async () => {
    for (const [host, why] of [['not a host', /is not an address/], ['[127.0.0.1]', /is not an address/],
      ['nlrx-test.invalid', /does not resolve/], ['192.0.2.1', /not on this machine/]] as const) {
      const { code, stdout, stderr } = await runNlrx(['serve', '--host', host, '--port', '0', '--token', 't']);
      expect([code, stdout], host).toEqual([1, '']);
      oneLine(stderr);
      expect(stderr).toMatch(why);
    }
  });

  it('a namespace that does not exist', async () => {
    const { code, stdout, stderr } = await runNlrx(['-n', 'nlrx-test-no-such-namespace', 'serve', '--port', '0']);
    expect([code, stdout]).toEqual([1, '']);
    oneLine(stderr);
    expect(stderr).toMatch(/nlrx-test-no-such-namespace.*(ENOENT|No such file)/);
  });
});

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!isRoot)('nlrx serve with a token', () => {
  let ns: Netns;
  let serve: ServeProcess;
  let base: string;
  let port: number;
  const token = 'correct-horse';

  beforeAll(async () => {
    ensureBuilt();
    ns = createNetns('serve');
    serve = await startServe(['-n', ns.name, '--host', '0.0.0.0', '--port', '0', '--token', token]);
    base = serve.url.replace('0.0.0.0', '127.0.0.1').replace(/\/$/, '');
    port = Number(new URL(base).port);
  });

  afterAll(async () => {
    await serve?.stop();
    ns?.remove();
  });

  it('says at start that a token is required', () => {
    expect(serve.stdout()).toMatch(/token required/);
    expect(serve.stdout()).toMatch(new RegExp(`namespace ${ns.name}`));
  });

  it('answers 401 without the token, with a wrong one, with a forged cookie, and to a token in a stream URL', async () => {
    for (const path of ['/', '/live/routes', '/stats', '/dashboard.js']) {
      expect((await get(`${base}${path}`)).status).toBe(401);
      expect((await get(`${base}${path}`, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await get(`${base}${path}?token=wrong`)).status).toBe(401);
      expect((await get(`${base}${path}?token=${token}x`)).status).toBe(401);
      expect((await get(`${base}${path}`, { cookie: `nlrx-${port}=${token}` })).status).toBe(401);
    }
    // A token in a stream URL is not taken: it would end up in logs.
    expect((await get(`${base}/live/routes?token=${token}`)).status).toBe(401);
    for (const url of ['/live/routes?token=wrong', `/live/routes?token=${token}`]) {
      const ws = wsClient(`${base.replace('http', 'ws')}${url}`);
      try {
        expect(await ws.ready).toBe(401);
      } finally {
        ws.close();
      }
    }
  });

  it('/?token= redirects to / and sets an HttpOnly SameSite=Strict cookie that opens the page and both streams', async () => {
    const exchange = await get(`${base}/?token=${token}`);
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/');
    const [setCookie] = exchange.headers['set-cookie'] as string[];
    expect(setCookie).toMatch(new RegExp(`^nlrx-${port}=[\\w-]+; Path=/; HttpOnly; SameSite=Strict$`));
    // The cookie is not the token.
    expect(setCookie).not.toContain(token);
    const cookie = setCookie.split(';')[0];
    const page = await get(`${base}/`, { cookie });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(token);
    const sse = sseClient(`${base}/live/links`, { cookie });
    const ws = wsClient(`${base.replace('http', 'ws')}/live/links`, { cookie });
    try {
      expect([await sse.ready, await ws.ready]).toEqual([200, 101]);
      await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'synced');
    } finally {
      sse.close();
      ws.close();
    }
  });

  it('serves the page and the streams with the token as a bearer header', async () => {
    const page = await get(`${base}/`, { authorization: `Bearer ${token}` });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/dashboard\.js/);

    const sse = sseClient(`${base}/live/links`, { authorization: `Bearer ${token}` });
    const ws = wsClient(`${base.replace('http', 'ws')}/live/links`, { authorization: `Bearer ${token}` });
    try {
      expect(await sse.ready).toBe(200);
      expect(await ws.ready).toBe(101);
      await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'synced');
      // The namespace's one link, lo.
      expect([...sse.mirror.rows.values()].map((l) => (l as { ifname?: string }).ifname)).toEqual(['lo']);
      expect(ws.mirror.rows.size).toBe(1);
    } finally {
      sse.close();
      ws.close();
    }
  });

  it('is read-only: no method but GET and HEAD is accepted, even with the token', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/', '/live/links', '/live/routes']) {
        expect((await get(`${base}${path}`, { authorization: `Bearer ${token}` }, method)).status).toBe(405);
      }
    }
    expect((await get(`${base}/nothing`, { authorization: `Bearer ${token}` })).status).toBe(404);
  });
});

describe.skipIf(!isRoot)('nlrx serve on [::1], and its shutdown', () => {
  let ns: Netns;
  beforeAll(() => {
    ensureBuilt();
    ns = createNetns('serve6');
  });
  afterAll(() => ns?.remove());

  it('binds --host [::1] and answers there', async () => {
    const serve = await startServe(['-n', ns.name, '--host', '[::1]', '--port', '0']);
    try {
      expect(serve.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
      const page = await get(serve.url);
      expect(page.status).toBe(200);
    } finally {
      await serve.stop();
    }
  });

  it('on SIGTERM closes WebSocket clients with 1001 and ends SSE streams, then exits 0', async () => {
    const serve = await startServe(['-n', ns.name, '--port', '0']);
    const sse = sseClient(`${serve.url}live/links`);
    const ws = wsClient(`${serve.url.replace('http', 'ws')}live/links`);
    try {
      await waitFor(() => sse.mirror.synced === 1 && ws.mirror.synced === 1, 'synced');
      const exited = new Promise<number | null>((resolve) => serve.child.once('exit', (code) => resolve(code)));
      serve.child.kill('SIGTERM');
      expect(await ws.closed).toBe(1001);
      expect(await sse.closed).toBe(0);
      expect(await exited).toBe(0);
    } finally {
      sse.close();
      ws.close();
      await serve.stop();
    }
  });
});
