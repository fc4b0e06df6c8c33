/**
 * The cross-origin checks of the UI backend: which `Host` a request may name
 * (against DNS rebinding) and which `Origin` a browser request may come from
 * (against other sites' pages reading the live tables).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * RequestGuardOptions: the allow-lists. Both defaults are safe: the `Host`
 * must name the address the request arrived on (or `localhost`), and a
 * browser `Origin` must be the page's own.
 *
 * @example
 * const options: RequestGuardOptions = { allowedHosts: ['router.example'], allowedOrigins: ['https://noc.example'] };
 */
export interface RequestGuardOptions {
  /**
   * Host names (or `name:port`) accepted besides the address the request
   * arrived on and `localhost`: the names a reverse proxy or DNS gives this
   * server. `['*']` accepts any `Host` — only behind a proxy that checks it.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Origins (`https://noc.example:8443`) whose pages may open the streams,
   * besides the server's own. `['*']` accepts any origin: any site a user
   * visits could then read the tables.
   */
  readonly allowedOrigins?: readonly string[];
}

/**
 * GuardRefusal is why a request was refused: 400 for a `Host` this server
 * does not answer to, 403 for an `Origin` it does not trust.
 *
 * @example
 * const refusal: GuardRefusal = { status: 403, reason: 'origin not allowed' };
 */
export interface GuardRefusal {
  readonly status: 400 | 403;
  readonly reason: string;
}

/**
 * RequestGuard checks a request's `Host` and `Origin`; `check` returns the
 * refusal, or undefined when the request may go on.
 *
 * @example
 * const guard = requestGuard({ allowedHosts: ['router.example'] });
 * const refusal = guard.check(req);
 * if (refusal) return refuse(res, refusal.status, refusal.reason);
 */
export interface RequestGuard {
  check(req: IncomingMessage): GuardRefusal | undefined;
}

/**
 * requestGuard builds the checks from the allow-lists (see
 * RequestGuardOptions for the defaults).
 *
 * @example
 * requestGuard({}).check(req); // undefined for Host 127.0.0.1:8080 on a loopback server
 */
export function requestGuard(options: RequestGuardOptions = {}): RequestGuard {
  const anyHost = options.allowedHosts?.includes('*') ?? false;
  const hosts = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const anyOrigin = options.allowedOrigins?.includes('*') ?? false;
  const origins = new Set((options.allowedOrigins ?? []).map((o) => parseOrigin(o)).filter((o) => o !== undefined));
  return {
    check(req) {
      const host = parseHost(req.headers.host);
      // node:http keeps the first of two Host headers; a proxy in front may have used the other (RFC 9112: 400).
      if (host === undefined || hostHeaders(req) > 1) return { status: 400, reason: 'bad Host header' };
      if (!anyHost && !hostAllowed(host, req, hosts)) return { status: 400, reason: 'Host not allowed' };
      const origin = req.headers.origin;
      // Browsers send Origin on every WebSocket handshake and cross-origin request;
      // a client without one is not a browser and is not bound by the same-origin policy anyway.
      if (origin === undefined || anyOrigin) return undefined;
      const parsed = parseOrigin(origin);
      if (parsed !== undefined && (parsed.slice(parsed.indexOf('//') + 2) === host.host || origins.has(parsed))) return undefined;
      return { status: 403, reason: 'Origin not allowed' };
    },
  };
}

function hostHeaders(req: IncomingMessage): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'host') count++;
  return count;
}

interface Host {
  /** `name:port` as the URL parser normalizes it (lower case, IPv6 in brackets, default port dropped). */
  readonly host: string;
  /** The name alone, IPv6 without brackets. */
  readonly name: string;
}

function parseHost(header: string | undefined): Host | undefined {
  // Only what a Host can hold: no userinfo, path, spaces or a second value.
  if (header === undefined || header.length > 255 || !/^[a-z0-9.\-_:[\]]+$/i.test(header)) return undefined;
  try {
    const url = new URL(`http://${header}`);
    return { host: url.host, name: url.hostname.replace(/^\[|\]$/g, '') };
  } catch {
    return undefined;
  }
}

function parseOrigin(origin: string): string | undefined {
  if (origin === 'null' || origin.length > 512) return undefined;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

function hostAllowed(host: Host, req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  if (host.name === 'localhost' || allowed.has(host.name) || allowed.has(host.host)) return true;
  // An address literal cannot be rebound; it must be the one the request came in on.
  if (isIP(host.name) === 0) return false;
  return host.name === canonicalAddress(req.socket.localAddress);
}

/** The socket's local address as the URL parser would write it (`::ffff:127.0.0.1` is 127.0.0.1). */
function canonicalAddress(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4 !== null) return v4[1];
  try {
    return new URL(`http://${isIP(address) === 6 ? `[${address}]` : address}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}
