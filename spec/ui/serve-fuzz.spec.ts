/**
 * `nlrx serve` under attack: malformed request lines, paths, headers and
 * upgrade requests sent over raw loopback sockets, with and without
 * --token. Every one gets a 4xx (or a closed connection), none a stack or a
 * 5xx, and the server still answers afterwards. Bounded: a fixed list plus a
 * fixed number of generated requests, each with its own timeout.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { rawGet, rawRequest, WS_HANDSHAKE, type RawResponse } from './raw-http.js';
import { ensureBuilt, startServe, type ServeProcess } from './serve-process.js';

const TOKEN = 'fuzz-token';

/** Each attack: what is sent, and the answers that are right for it. */
function attacks(port: number): [string, string | Buffer, number[]][] {
  const host = `host: 127.0.0.1:${port}\r\n`;
  const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\n${host}${headers}\r\n`;
  const ws = Object.entries(WS_HANDSHAKE).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const bad = [400];
  return [
    ['garbage request line', 'GARBAGE\r\n\r\n', bad],
    ['method only', 'GET\r\n\r\n', bad],
    ['binary noise', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256)), bad],
    ['TLS ClientHello on the HTTP port', Buffer.from('160301020001000200', 'hex'), bad],
    ['HTTP/9.9', `GET / HTTP/9.9\r\n${host}\r\n`, [400, 505]],
    ['unknown method', `BREW / HTTP/1.1\r\n${host}\r\n`, [400, 405]],
    ['lower-case method', `get / HTTP/1.1\r\n${host}\r\n`, bad],
    ['POST with a body', `POST /live/routes HTTP/1.1\r\n${host}content-length: 5\r\n\r\nhello`, [401, 405]],
    ['DELETE', `DELETE / HTTP/1.1\r\n${host}\r\n`, [401, 405]],
    ['OPTIONS *', `OPTIONS * HTTP/1.1\r\n${host}\r\n`, [400, 401, 405]],
    ['CONNECT', `CONNECT 127.0.0.1:22 HTTP/1.1\r\n${host}\r\n`, [0, 400, 405]],
    ['TRACE', `TRACE / HTTP/1.1\r\n${host}\r\n`, [401, 405]],
    ['URL the WHATWG parser rejects', get('//['), bad],
    ['absolute-form target', get('http://evil.example/'), bad],
    ['asterisk target', get('*'), bad],
    ['bad percent escapes', get('/%ZZ%'), [401, 404]],
    ['bad escape in the token', get('/?token=%ZZ'), [401]],
    ['NUL in the query', get('/?token=%00&x=%E0%A4%A'), [401]],
    ['bad escape in lastEventId', get('/live/routes?lastEventId=%ZZ'), [200, 401]],
    ['dot segments', get('/live/../../../etc/passwd'), [401, 404]],
    ['backslash path', get('/\\evil.example/'), [401, 404]],
    ['encoded stream path', get('/live/%72outes'), [401, 404]],
    ['stream prefix alone', get('/live/'), [401, 404]],
    ['unknown kind', get('/live/constructor'), [401, 404]],
    ['prototype key as path', get('/__proto__'), [401, 404]],
    ['100 KB URL', get(`/${'a'.repeat(100_000)}`), [431, 414, 400]],
    ['20 KB header', get('/', `x-big: ${'b'.repeat(20_000)}\r\n`), [431]],
    // node:http keeps the first 2,000 headers and ignores the rest.
    ['3,000 headers', get('/', 'x-h: 1\r\n'.repeat(3000)), [431, 400, 401]],
    ['NUL in a header value', get('/', 'x-nul: a\0b\r\n'), bad],
    ['bare LF in a header', `GET / HTTP/1.1\r\n${host}x-a: 1\nx-b: 2\r\n\r\n`, [400, 401, 200]],
    ['header without a colon', get('/', 'no-colon-here\r\n'), bad],
    ['two Host headers', get('/', 'host: evil.example\r\n'), bad],
    ['Host with a space', 'GET / HTTP/1.1\r\nhost: 127.0.0.1 evil\r\n\r\n', bad],
    ['Host of another site (DNS rebinding)', 'GET / HTTP/1.1\r\nhost: rebind.evil.example\r\n\r\n', bad],
    ['no Host, HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', bad],
    ['no Host, HTTP/1.0', 'GET / HTTP/1.0\r\n\r\n', bad],
    ['Content-Length with Transfer-Encoding (smuggling)', get('/', 'content-length: 4\r\ntransfer-encoding: chunked\r\n') + '0\r\n\r\n', bad],
    ['bad chunked body', `POST / HTTP/1.1\r\n${host}transfer-encoding: chunked\r\n\r\nzz\r\n`, [400, 401, 405]],
    ['negative Content-Length', get('/', 'content-length: -1\r\n'), bad],
    ['Expect: 100-continue', get('/', 'expect: 100-continue\r\n'), [100, 401, 417]],
    ['empty bearer', get('/', 'authorization: Bearer\r\n'), [401]],
    ['bearer of 8 KB', get('/', `authorization: Bearer ${'t'.repeat(8000)}\r\n`), [401]],
    ['Basic auth', get('/', 'authorization: Basic Zm9vOmJhcg==\r\n'), [401]],
    ['cookie noise', get('/', `cookie: ;;=;nlrx-${port}=;nlrx-${port}==x; a\r\n`), [401]],
    ['stats without the token', get('/stats'), [401]],
    ['foreign Origin on a page', get('/', 'origin: http://evil.example\r\n'), [403]],
    ['Origin null', get('/live/routes', 'origin: null\r\n'), [403]],
    ['upgrade to an unknown path', get('/nothing', ws), [401, 404]],
    ['upgrade to the page', get('/', ws), [401, 404]],
    ['upgrade without a key', get('/live/routes', 'connection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\n'), [400, 401]],
    ['upgrade, version 99', get('/live/routes', ws.replace('version: 13', 'version: 99')), [400, 401, 426]],
    ['upgrade to h2c', get('/live/routes', 'connection: Upgrade\r\nupgrade: h2c\r\n'), [400, 401]],
    ['upgrade with POST', `POST /live/routes HTTP/1.1\r\n${host}${ws}\r\n`, [400, 401, 405]],
    ['upgrade from a foreign Origin', get('/live/routes', `${ws}origin: http://evil.example\r\n`), [403]],
    ['upgrade with a wrong token', get('/live/routes', `${ws}authorization: Bearer wrong\r\n`), [401, 101]],
    ['upgrade, bad extension offer', get('/live/routes', `${ws}sec-websocket-extensions: permessage-deflate; client_max_window_bits=99\r\n`), [101, 400, 401]],
    ['upgrade with a URL the parser rejects', get('//[', ws), bad],
    ['upgrade of another Host', `GET /live/routes HTTP/1.1\r\nhost: evil.example\r\n${ws}\r\n`, bad],
  ];
}

/** What no answer may contain: a stack, an internal error, a 5xx. */
function leaks(r: RawResponse): boolean {
  return /\n\s+at |node:internal|Error:|TypeError|\/dist\/|\/lib\//.test(r.text) || (r.status >= 500 && r.status !== 505);
}

/** Socket-level abuse: resets and half requests, where the only answer is none. */
async function socketAbuse(port: number): Promise<void> {
  const ws = Object.entries(WS_HANDSHAKE).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const sends = [
    `GET /live/routes HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${ws}\r\n`, // upgrade, then reset at once
    `GET / HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nx-partial: `, // a request cut mid-header
    `GET /live/links HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${TOKEN}\r\n\r\n`, // a stream, then reset
  ];
  for (const bytes of sends) {
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect({ port, host: '127.0.0.1' });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.on('connect', () => socket.write(bytes, () => socket.resetAndDestroy()));
      });
    }
  }
}

describe.skipIf(!isRoot)('nlrx serve under malformed and hostile requests', () => {
  let ns: Netns;
  const servers: Record<string, ServeProcess> = {};

  beforeAll(async () => {
    ensureBuilt();
    ns = createNetns('fuzz');
    servers.open = await startServe(['-n', ns.name, '--port', '0']);
    servers.token = await startServe(['-n', ns.name, '--port', '0', '--token', TOKEN]);
  });
  afterAll(async () => {
    for (const s of Object.values(servers)) await s.stop();
    ns?.remove();
  });

  describe.each(['open', 'token'] as const)('serve %s', (which) => {
    const port = () => Number(new URL(servers[which].url).port);
    const auth = () => (which === 'token' ? { authorization: `Bearer ${TOKEN}` } : {});

    it('answers each listed attack with a 4xx or a closed connection, never a stack, and stays up', async () => {
      const results: string[] = [];
      for (const [name, bytes, expected] of attacks(port())) {
        const r = await rawRequest(port(), bytes);
        results.push(`${name}: ${r.status}`);
        // Lists with a 401 are for the server with a token; without one, what it guards is served.
        // Answers that come before the token check (400, 403, 431) are the same for both.
        const allowed = which === 'token' || !expected.includes(401) ? expected : [...expected, 200, 404, 405, 101];
        expect(allowed, `${name} → ${r.text.slice(0, 200)}`).toContain(r.status);
        expect(leaks(r), `${name} leaked: ${r.text.slice(0, 300)}`).toBe(false);
        expect(servers[which].child.exitCode, `exited after ${name}`).toBe(null);
      }
      await socketAbuse(port());
      console.log(`serve ${which}: ${results.join('; ')}`);
      const page = await rawGet(port(), '/', auth());
      expect(page.status).toBe(200);
      expect(servers[which].child.exitCode).toBe(null);
    });

    it('closes a WebSocket client that sends a large message (1009) or a broken frame (1002), and stays up', async () => {
      const url = `${servers[which].url.replace('http', 'ws')}live/links`;
      const headers = auth();
      for (const [send, code] of [[(ws: WebSocket) => ws.send('x'.repeat(1 << 20)), 1009],
        // An unmasked client frame is a protocol error.
        [(ws: WebSocket) => (ws as unknown as { _socket: import('node:net').Socket })._socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69])), 1002]] as const) {
        const ws = new WebSocket(url, { headers });
        const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
        ws.on('error', () => undefined);
        await new Promise((resolve) => ws.once('open', resolve));
        send(ws);
        expect(await closed).toBe(code);
      }
      expect((await rawGet(port(), '/', auth())).status).toBe(200);
      expect(servers[which].child.exitCode).toBe(null);
    });

    it('answers 300 generated requests (mutated request lines, paths, headers) with no 5xx and no stack, and stays up', async () => {
      const token = fc.constantFrom('', `authorization: Bearer ${TOKEN}\r\n`, 'authorization: Bearer x\r\n', `cookie: nlrx-${port()}=x\r\n`);
      const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'PATCH', 'G\0T', 'GET GET', '');
      const path = fc.oneof(
        fc.constantFrom('/', '/live/routes', '/live/links', '/stats', '/dashboard.js', '/favicon.ico', '//', '/%', '/?', '*'),
        fc.string({ maxLength: 60 }).map((s) => `/${s}`),
        fc.tuple(fc.constantFrom('/live/routes?', '/?token=', '/?'), fc.string({ maxLength: 40 })).map(([a, b]) => a + encodeURI(b).replace(/%2/g, '%')),
      );
      const header = fc.oneof(
        fc.constantFrom(...Object.entries(WS_HANDSHAKE).map(([k, v]) => `${k}: ${v}\r\n`)),
        fc.constantFrom('origin: http://evil.example\r\n', 'origin: null\r\n', 'last-event-id: %\r\n', 'host: x\r\n', 'content-length: 3\r\n'),
        fc.tuple(fc.stringMatching(/^[a-z-]{1,12}$/), fc.string({ maxLength: 40 })).map(([k, v]) => `${k}: ${v}\r\n`),
      );
      const request = fc.tuple(method, path, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2', ''), token, fc.array(header, { maxLength: 6 }))
        .map(([m, p, v, t, hs]) => `${m} ${p} ${v}\r\nhost: 127.0.0.1:${port()}\r\n${t}${hs.join('')}\r\n`);
      const statuses = new Map<number, number>();
      await fc.assert(fc.asyncProperty(request, async (bytes) => {
        const r = await rawRequest(port(), bytes, { ms: 1000 });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        return !leaks(r) && (r.status === 0 || (r.status >= 100 && r.status < 500));
      }), { numRuns: 300, seed: 13, endOnFailure: true });
      console.log(`serve ${which}, generated: status → count ${JSON.stringify(Object.fromEntries(statuses))}`);
      expect((await rawGet(port(), '/', auth())).status).toBe(200);
      expect(servers[which].child.exitCode).toBe(null);
    });
  });
});
