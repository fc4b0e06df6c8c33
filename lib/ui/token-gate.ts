/**
 * The token check of `nlrx serve --token`: who may read the page and the
 * streams. A browser cannot put a header on an EventSource or a WebSocket,
 * so the token travels as a cookie there: the page is opened once as
 * `/?token=T`, answered with a redirect to `/` that sets an HttpOnly,
 * SameSite=Strict cookie, and every later request (the page's streams
 * included) carries that cookie, never the token in a URL that ends up in
 * logs, history or a Referer. Programs send `Authorization: Bearer T`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse } from './http-refusal.js';
import { requestTarget } from './request-target.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * TokenGate checks requests against a token.
 *
 * @example
 * const gate = tokenGate('correct-horse', { cookieName: 'nlrx-8080' });
 * if (gate.exchange(req, res)) return;           // answered /?token=… with a redirect or 401
 * if (!gate.authorized(req)) return refuse(res, 401);
 */
export interface TokenGate {
  /** The request presents the token: `Authorization: Bearer T`, or the cookie the gate set. */
  authorized(req: IncomingMessage): boolean;
  /**
   * Answers a page request (`/` or `/index.html`) carrying `?token=`: a
   * right token gets a 303 to the same path without it, setting the cookie;
   * a wrong one gets 401. True when it answered; false for any other request.
   */
  exchange(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * tokenGate builds the check for `token`. The cookie holds an HMAC of the
 * token, not the token itself, so it cannot be replayed as a bearer header
 * elsewhere; its name carries `cookieName` (cookies are per host, not per
 * port: two servers on one host need two names).
 *
 * @example
 * const gate = tokenGate(process.env.NLRX_TOKEN!, { cookieName: 'nlrx-8080' });
 */
export function tokenGate(token: string, options: { cookieName?: string } = {}): TokenGate {
  const name = options.cookieName ?? 'nlrx-session';
  const wanted = Buffer.from(token);
  const session = Buffer.from(createHmac('sha256', token).update('nlrx serve session').digest('base64url'));
  const same = (given: string | undefined, expected: Buffer): boolean => {
    if (given === undefined) return false;
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  };
  return {
    authorized(req) {
      const auth = req.headers.authorization;
      if (auth !== undefined && /^bearer /i.test(auth) && same(auth.slice(7).trim(), wanted)) return true;
      return same(cookie(req.headers.cookie, name), session);
    },
    exchange(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const target = requestTarget(req.url);
      const given = target?.query.get('token') ?? undefined;
      if (target === undefined || given === undefined || (target.path !== '/' && target.path !== '/index.html')) return false;
      if (!same(given, wanted)) {
        refuse(res, 401, 'unauthorized', { 'www-authenticate': 'Bearer' });
        return true;
      }
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        location: target.path,
        'set-cookie': `${name}=${session.toString()}; Path=/; HttpOnly; SameSite=Strict`,
        'cache-control': 'no-store',
        'content-length': '0',
      }).end();
      return true;
    },
  };
}

/** The value of cookie `name` in a Cookie header, if present. */
function cookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
