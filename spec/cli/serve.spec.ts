/**
 * `nlrx serve`: where it binds, who it lets in, and that it only reads.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, parseServeArgs } from '../../lib/cli/commands/serve.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { ensureBuilt, runNlrx, startServe, type ServeProcess } from '../ui/serve-process.js';
import { sseClient, waitFor, wsClient } from '../ui/stream-client.js';

describe('nlrx serve options', () => {
  it('binds loopback by default and refuses other addresses without a token', () => {
    expect(parseServeArgs([], undefined)).toEqual({ host: '127.0.0.1', port: 8080, netns: undefined });
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

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!isRoot)('nlrx serve with a token', () => {
  let ns: Netns;
  let serve: ServeProcess;
  let base: string;
  const token = 'correct-horse';

  beforeAll(async () => {
    ensureBuilt();
    ns = createNetns('serve');
    serve = await startServe(['-n', ns.name, '--host', '0.0.0.0', '--port', '0', '--token', token]);
    base = serve.url.replace('0.0.0.0', '127.0.0.1').replace(/\/$/, '');
  });

  afterAll(async () => {
    await serve?.stop();
    ns?.remove();
  });

  it('says at start that a token is required', () => {
    expect(serve.stdout()).toMatch(/token required/);
    expect(serve.stdout()).toMatch(new RegExp(`namespace ${ns.name}`));
  });

  it('answers 401 without the token or with a wrong one, as header or query', async () => {
    for (const path of ['/', '/live/routes', '/stats']) {
      expect((await get(`${base}${path}`)).status).toBe(401);
      expect((await get(`${base}${path}`, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await get(`${base}${path}?token=wrong`)).status).toBe(401);
      expect((await get(`${base}${path}?token=${token}x`)).status).toBe(401);
    }
    const ws = wsClient(`${base.replace('http', 'ws')}/live/routes?token=wrong`);
    try {
      expect(await ws.ready).toBe(401);
    } finally {
      ws.close();
    }
  });

  it('serves the page and the streams with the right token, as header or query', async () => {
    const page = await get(`${base}/`, { authorization: `Bearer ${token}` });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<table|EventSource/);
    expect((await get(`${base}/?token=${token}`)).status).toBe(200);

    const sse = sseClient(`${base}/live/links`, { authorization: `Bearer ${token}` });
    const ws = wsClient(`${base.replace('http', 'ws')}/live/links?token=${token}`);
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
