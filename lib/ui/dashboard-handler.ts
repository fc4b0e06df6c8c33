/**
 * dashboard(): the dashboard page and its files as one request handler, for
 * node:http, Express or Connect, with the headers that make it safe to open
 * in a browser that also visits other sites.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';
import { dashboardPage, type DashboardPageOptions } from './dashboard-page.js';
import { FAVICON_SVG } from './favicon.js';
import { refuse } from './http-refusal.js';
import type { RequestHandler } from './live-streams.js';
import { requestGuard, type RequestGuardOptions } from './request-guard.js';
import { requestTarget } from './request-target.js';
import { DASHBOARD_CSP, SECURITY_HEADERS } from './security-headers.js';

/**
 * DashboardOptions: the page's (namespace, stream prefix) and the same
 * cross-origin allow-lists as `liveStreams` (safe by default).
 *
 * @example
 * const options: DashboardOptions = { netns: 'blue', allowedHosts: ['router.example'] };
 */
export interface DashboardOptions extends DashboardPageOptions, RequestGuardOptions {}

interface Asset {
  readonly type: string;
  readonly body: string;
}

/**
 * dashboard serves `/` (and `/index.html`), `/dashboard.js`,
 * `/dashboard.css`, `/favicon.svg` and `/favicon.ico` — relative to where it
 * is mounted — with a strict Content-Security-Policy, `nosniff`,
 * `frame-ancestors 'none'` and `Referrer-Policy: no-referrer`. Other paths
 * go to `next` (404 without one); methods other than GET and HEAD get 405.
 *
 * @example
 * import express from 'express';
 * import { dashboard, liveStreams, watchSource } from 'netlink-rx/ui';
 *
 * const app = express();
 * app.use(dashboard({ netns: 'blue' }));
 * app.use(liveStreams({ source: watchSource, netns: 'blue' }).handler);
 */
export function dashboard(options: DashboardOptions = {}): RequestHandler {
  const page = Buffer.from(dashboardPage(options));
  const assets = new Map<string, Asset>([
    ['/dashboard.js', { type: 'text/javascript; charset=utf-8', body: DASHBOARD_SCRIPT }],
    ['/dashboard.css', { type: 'text/css; charset=utf-8', body: DASHBOARD_STYLE }],
    ['/favicon.svg', { type: 'image/svg+xml', body: FAVICON_SVG }],
    ['/favicon.ico', { type: 'image/svg+xml', body: FAVICON_SVG }],
  ]);
  const guard = requestGuard(options);
  return (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    const path = requestTarget(req.url)?.path;
    const asset = path === '/' || path === '/index.html'
      ? { type: 'text/html; charset=utf-8', body: page }
      : path === undefined ? undefined : assets.get(path);
    if (asset === undefined) {
      if (next !== undefined) return next();
      return refuse(res, 404);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'read-only', { allow: 'GET, HEAD' });
    const refusal = guard.check(req);
    if (refusal !== undefined) return refuse(res, refusal.status, refusal.reason);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-security-policy': DASHBOARD_CSP,
      'content-type': asset.type,
      'content-length': String(Buffer.byteLength(asset.body)),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };
}
