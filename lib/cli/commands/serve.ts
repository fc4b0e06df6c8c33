/**
 * `nlrx serve [-n NETNS] [--host 127.0.0.1] [--port 8080] [--token T]`: the
 * live dashboard and its streams over HTTP. Read-only: every endpoint is a
 * GET (or a WebSocket upgrade) that reads kernel tables; none changes them.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { dashboardPage } from '../../ui/dashboard-page.js';
import { liveStreams } from '../../ui/live-streams.js';
import { watchSource } from '../../ui/watch-source.js';
import { UsageError, type CliContext } from '../cli-context.js';

const USAGE = 'Usage: nlrx [-n NETNS] serve [--host ADDR] [--port PORT] [--token TOKEN]';

interface ServeOptions {
  netns?: string;
  host: string;
  port: number;
  token?: string;
}

/**
 * isLoopback says whether binding `host` keeps the server on this machine.
 *
 * @example
 * isLoopback('127.0.0.1'); // true
 * isLoopback('0.0.0.0');   // false
 */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * parseServeArgs reads serve's own options (and a `-n` given after the word).
 *
 * @example
 * parseServeArgs(['--port', '0'], undefined); // { host: '127.0.0.1', port: 0 }
 */
export function parseServeArgs(args: readonly string[], netns: string | undefined): ServeOptions {
  const options: ServeOptions = { netns, host: '127.0.0.1', port: 8080 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`Option "${arg}" needs a value.\n${USAGE}`);
      return v;
    };
    if (arg === '-n' || arg === '--netns' || arg === '-netns') options.netns = value();
    else if (arg === '--host' || arg === 'host') options.host = value();
    else if (arg === '--port' || arg === 'port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`Port "${text}" is not a port number.`);
      options.port = port;
    } else if (arg === '--token' || arg === 'token') options.token = value();
    else if (arg === '-h' || arg === '--help' || arg === 'help') throw new UsageError(USAGE);
    else throw new UsageError(`Option "${arg}" is unknown.\n${USAGE}`);
  }
  if (options.token === '') throw new UsageError('An empty --token protects nothing.');
  if (!isLoopback(options.host) && options.token === undefined) {
    throw new UsageError(`Refusing to serve on ${options.host} without --token: ` +
      'anyone who can reach it would see this host\'s network state. Give --token TOKEN, or bind 127.0.0.1.');
  }
  return options;
}

function presented(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined && /^bearer /i.test(auth)) return auth.slice(7).trim();
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = Buffer.from(presented(req) ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function refuse(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

/**
 * run serves until SIGINT or SIGTERM.
 *
 * @example
 * // nlrx -n blue serve --port 8080
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  // main.ts reads a leading "show"/"help" as the verb; serve has no verbs.
  if (verb === 'help') throw new UsageError(USAGE);
  const options = parseServeArgs(args, ctx.netns);
  const streams = liveStreams({ source: watchSource, netns: options.netns });
  const page = dashboardPage({ netns: options.netns });
  const server = createServer((req, res) => {
    if (!authorized(req, options.token)) return refuse(res, 401, 'unauthorized', { 'www-authenticate': 'Bearer' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'read-only', { allow: 'GET, HEAD' });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    } else if (path === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(streams.stats()));
    } else {
      streams.handler(req, res, () => refuse(res, 404, 'not found'));
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    if (!authorized(req, options.token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (!streams.upgrade(req, socket, head)) socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  ctx.write(`Serving ${options.netns === undefined ? 'this host\'s namespace' : `namespace ${options.netns}`} read-only` +
    `${options.token === undefined ? '' : ', token required (Authorization: Bearer, or ?token=)'}\n`);
  ctx.write(`Listening on http://${host}:${port}/\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      streams.close();
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
