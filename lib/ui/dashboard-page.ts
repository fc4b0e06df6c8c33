/**
 * The dashboard `nlrx serve` sends at `/`: one small HTML page, no
 * framework, whose script (`dashboard.js`) opens one EventSource per table
 * and renders live tables of links, addresses, routes and neighbours. Kept
 * as strings in modules so the TypeScript build ships them (tsc copies no
 * other files); `dashboard()` serves the page and its files.
 */

/**
 * DashboardPageOptions: the namespace shown in the title, and where the
 * streams are (`${prefix}/<kind>`, default '/live').
 *
 * @example
 * const options: DashboardPageOptions = { netns: 'blue', prefix: '/live' };
 */
export interface DashboardPageOptions {
  readonly netns?: string;
  readonly prefix?: string;
  /** The rows are a fleet's (netlink-rx/fleet's `fleetSource`): a host column and a host filter. */
  readonly fleet?: boolean;
}

/**
 * dashboardPage renders the page for a namespace. It has no inline script or
 * style: its settings travel as a `data-config` attribute, its script, style
 * and icon are the files `dashboard()` serves beside it (relative URLs, so the
 * page can be mounted under any path).
 *
 * @example
 * res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(dashboardPage({ netns: 'blue' }));
 */
export function dashboardPage(options: DashboardPageOptions = {}): string {
  const title = `nlrx · ${options.fleet === true ? 'fleet' : options.netns ?? 'host namespace'}`;
  const config = JSON.stringify({ prefix: options.prefix ?? '/live', netns: options.netns ?? null, ...(options.fleet === true ? { fleet: true } : {}) });
  return PAGE.split('%TITLE%').join(escapeHtml(title)).replace('%CONFIG%', () => escapeHtml(config));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%TITLE%</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="dashboard.css">
<script src="dashboard.js" defer></script>
</head><body data-config="%CONFIG%">
<header><h1>%TITLE%</h1>
<span class="stat">events/s <b id="rate">0</b></span>
<span class="stat">events <b id="events">0</b></span>
<span class="state" id="conn">connecting…</span>
<input type="search" id="hostfilter" placeholder="filter hosts" hidden>
<span id="notice" hidden></span></header>
<main id="main"></main>
</body></html>
`;
