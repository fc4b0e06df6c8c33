/**
 * `nlrx serve [-n NETNS] [--host 127.0.0.1] [--port 8080] [--token T]
 * [--allow-host NAME]… [--allow-origin ORIGIN]…`: the live dashboard and its
 * streams over HTTP. Read-only: every endpoint is a GET (or a WebSocket
 * upgrade) that reads kernel tables; none changes them. Whatever a client
 * sends, the server answers 4xx and goes on; it fails only at start, with
 * one line on stderr.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { NETLINK_ROUTE } from '../../codec/header.js';
import { NetlinkSocket } from '../../transport/netlink-socket.js';
import { dashboard } from '../../ui/dashboard-handler.js';
import { refuse, refuseSocket } from '../../ui/http-refusal.js';
import { liveStreams } from '../../ui/live-streams.js';
import { requestGuard } from '../../ui/request-guard.js';
import { requestTarget } from '../../ui/request-target.js';
import { SECURITY_HEADERS } from '../../ui/security-headers.js';
import { tokenGate, type TokenGate } from '../../ui/token-gate.js';
import { watchSource } from '../../ui/watch-source.js';
import { connectFleet, type FleetConnection } from '../../fleet/fleet-connection.js';
import { fleetSource } from '../../fleet/fleet-source.js';
import { UsageError, type CliContext } from '../cli-context.js';
import { connectOptions, eachFleetArg, NATS_USAGE, type NatsArgs } from '../fleet-options.js';

const USAGE = 'Usage: nlrx [-n NETNS] serve [--host ADDR] [--port PORT] [--token TOKEN] ' +
  '[--allow-host NAME]... [--allow-origin ORIGIN]...\n' +
  `       nlrx serve ${NATS_USAGE} [same options]   (the fleet's dashboard, from NATS)`;

interface ServeOptions {
  netns?: string;
  /** The address to bind, IPv6 without brackets. */
  host: string;
  port: number;
  token?: string;
  allowedHosts: string[];
  allowedOrigins: string[];
  /** `--nats URL …`: serve the fleet (fleetSource) instead of a namespace. */
  nats?: NatsArgs;
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

/** `[::1]` → `::1`; a name or address otherwise as given; undefined when it cannot be one. */
function bindAddress(text: string): string | undefined {
  const bracketed = /^\[(.*)\]$/.exec(text);
  if (bracketed !== null) return isIP(bracketed[1]) === 6 ? bracketed[1] : undefined;
  if (isIP(text) !== 0) return text;
  return /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(text) ? text : undefined;
}

/**
 * parseServeArgs reads serve's own options (and a `-n` given after the word).
 *
 * @example
 * parseServeArgs(['--port', '0'], undefined); // { host: '127.0.0.1', port: 0, allowedHosts: [], allowedOrigins: [] }
 */
export function parseServeArgs(args: readonly string[], netns: string | undefined): ServeOptions {
  const options: ServeOptions = { netns, host: '127.0.0.1', port: 8080, allowedHosts: [], allowedOrigins: [] };
  eachFleetArg(args, (options.nats ??= {}), USAGE, (arg, value) => {
    if (arg === '-n' || arg === '--netns' || arg === '-netns') options.netns = value();
    else if (arg === '--host' || arg === 'host') {
      const text = value();
      const host = bindAddress(text);
      if (host === undefined) throw new UsageError(`Host "${text}" is not an address or a host name.`);
      options.host = host;
    } else if (arg === '--port' || arg === 'port') {
      const text = value();
      const port = Number(text);
      if (!/^\d{1,5}$/.test(text) || port > 65535) throw new UsageError(`Port "${text}" is not a port number.`);
      options.port = port;
    } else if (arg === '--token' || arg === 'token') options.token = value();
    else if (arg === '--allow-host') options.allowedHosts.push(value());
    else if (arg === '--allow-origin') {
      const text = value();
      if (!/^https?:\/\/[^/?#\s]+$/.test(text)) throw new UsageError(`Origin "${text}" is not an origin (scheme://host[:port]).`);
      options.allowedOrigins.push(text);
    } else if (arg === '-h' || arg === '--help' || arg === 'help') throw new UsageError(USAGE);
    else throw new UsageError(`Option "${arg}" is unknown.\n${USAGE}`);
  });
  if (options.nats !== undefined && Object.keys(options.nats).length === 0) delete options.nats;
  if (options.nats !== undefined && options.netns !== undefined) throw new UsageError('--nats serves the fleet: it takes no namespace (-n).');
  if (options.token === '') throw new UsageError('An empty --token protects nothing.');
  if (!isLoopback(options.host) && options.token === undefined) {
    throw new UsageError(`Refusing to serve on ${options.host} without --token: ` +
      'anyone who can reach it would see this host\'s network state. Give --token TOKEN, or bind 127.0.0.1.');
  }
  return options;
}

/** One line for a failed listen: the address and the reason, no stack. */
function listenError(error: unknown, host: string, port: number): UsageError {
  const { code } = error as { code?: unknown };
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const why = code === 'EADDRINUSE' ? 'the port is in use'
    : code === 'EADDRNOTAVAIL' ? 'the address is not on this machine'
      : code === 'EACCES' ? 'permission denied'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve'
          : String((error as { message?: unknown }).message ?? error);
  return new UsageError(`nlrx serve: cannot listen on ${where}: ${why}${typeof code === 'string' ? ` (${code})` : ''}.`);
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
  // A namespace that is not there fails now (a NetlinkSyscallError main prints in one line),
  // not as a server whose tables retry for ever.
  if (options.netns !== undefined) new NetlinkSocket(NETLINK_ROUTE, { netns: options.netns }).close();
  // The fleet's dashboard reads NATS only: no netlink socket, no root.
  const fleet: FleetConnection | undefined = options.nats === undefined ? undefined
    : await connectFleet(connectOptions(options.nats, 'nlrx serve', USAGE));

  const { allowedHosts, allowedOrigins } = options;
  const source = fleet === undefined ? watchSource : fleetSource(fleet);
  const streams = liveStreams({ source, netns: options.netns, allowedHosts, allowedOrigins });
  const page = dashboard({ netns: options.netns, fleet: fleet !== undefined, allowedHosts, allowedOrigins });
  const guard = requestGuard({ allowedHosts, allowedOrigins });
  // Set once listening: the cookie's name carries the port (cookies are per host, not per port).
  let gate: TokenGate | undefined;

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const refusal = guard.check(req);
    if (refusal !== undefined) return refuse(res, refusal.status, refusal.reason);
    const target = requestTarget(req.url);
    if (target === undefined) return refuse(res, 400);
    if (options.token !== undefined && (gate === undefined || (!gate.exchange(req, res) && !gate.authorized(req)))) {
      return refuse(res, 401, 'unauthorized: open /?token=TOKEN, or send Authorization: Bearer TOKEN', { 'www-authenticate': 'Bearer' });
    }
    if (res.headersSent) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'read-only', { allow: 'GET, HEAD' });
    if (target.path === '/stats') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(streams.stats()));
      return;
    }
    page(req, res, () => streams.handler(req, res, () => refuse(res, 404)));
  };
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // node:http took its own error listener off the socket before emitting `upgrade`.
    socket.on('error', () => socket.destroy());
    const refusal = guard.check(req);
    if (refusal !== undefined) return refuseSocket(socket, refusal.status);
    if (requestTarget(req.url) === undefined) return refuseSocket(socket, 400);
    if (options.token !== undefined && gate?.authorized(req) !== true) return refuseSocket(socket, 401, { 'www-authenticate': 'Bearer' });
    if (!streams.upgrade(req, socket, head)) refuseSocket(socket, 404);
  };
  const server = createServer((req, res) => {
    // The handlers above are total; this is the last line of defence, never a crash.
    try {
      onRequest(req, res);
    } catch {
      refuse(res, 500);
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      onUpgrade(req, socket, head);
    } catch {
      socket.destroy();
    }
  });
  // Malformed requests (bad request line, headers too large, …): node:http's own
  // 400 / 431, without the error's text; a socket already gone is just dropped.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    if (socket.writable && error.code !== 'ECONNRESET') refuseSocket(socket, status);
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await streams.close();
    await fleet?.close();
    throw listenError(error, options.host, options.port);
  }
  // Errors of the listening socket after start (EMFILE on accept …) must not end the process.
  server.on('error', () => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  if (options.token !== undefined) gate = tokenGate(options.token, { cookieName: `nlrx-${port}` });
  const what = fleet !== undefined ? `the fleet at ${String(options.nats?.servers)}`
    : options.netns === undefined ? 'this host\'s namespace' : `namespace ${options.netns}`;
  ctx.write(`Serving ${what} read-only` +
    `${options.token === undefined ? '' : ', token required (open /?token=TOKEN once, or send Authorization: Bearer)'}\n`);
  ctx.write(`Listening on http://${host}:${port}/\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
      // WebSocket clients get 1001 and a moment to answer; SSE responses end.
      void streams.close().then(() => server.closeAllConnections()).then(() => fleet?.close());
      server.closeIdleConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
