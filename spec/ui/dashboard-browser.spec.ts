/**
 * The dashboard in a real browser: Debian's Chromium, driven by
 * playwright-core, against `nlrx serve` on a throw-away namespace.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRoutes, createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { ensureBuilt, root, startServe, type ServeProcess } from './serve-process.js';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = join(root, 'spec', 'artifacts');

/**
 * waitInPage polls `expression` in the page until it is true, or fails after
 * `timeout` ms. page.waitForFunction would evaluate the expression with the
 * page's own eval, which the dashboard's CSP forbids (no 'unsafe-eval');
 * page.evaluate runs through the DevTools protocol, outside the page's CSP.
 */
async function waitInPage(page: Page, expression: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (await page.evaluate(expression) !== true) {
    if (Date.now() > deadline) throw new Error(`timed out waiting in the page for: ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Routes the live table holds: IPv4 and IPv6, every table, as `ip` lists them. */
function ipRouteCount(ns: Netns): number {
  return ns.ipJson<unknown[]>('-4', 'route', 'show', 'table', 'all').length +
    ns.ipJson<unknown[]>('-6', 'route', 'show', 'table', 'all').length;
}

/** Waits until the page's route counter shows `count`; on timeout says what it showed and what ip shows. */
async function routeCounter(page: Page, ns: Netns, count: number): Promise<void> {
  try {
    await waitInPage(page, `document.querySelector('#count-routes')?.textContent === '${count}'`, 60_000);
  } catch (error) {
    const shown = await page.evaluate(`document.querySelector('#count-routes')?.textContent`);
    throw new Error(`route counter shows ${String(shown)}, expected ${count}; ip shows ${ipRouteCount(ns)} now`, { cause: error });
  }
}

describe.skipIf(!isRoot)('nlrx serve dashboard in Chromium', () => {
  let ns: Netns;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  /** Console errors, uncaught exceptions and failed requests of the page, from its first load on. */
  const problems: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    ns = createNetns('ui');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    for (const dev of ['v0', 'v1']) {
      ns.exec('sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`);
      ns.ip('link', 'set', dev, 'up');
    }
    ns.ip('addr', 'add', '10.1.0.1/24', 'dev', 'v0');
    ns.ip('addr', 'add', '10.2.0.1/24', 'dev', 'v1');
    ns.ip('route', 'add', '192.0.2.0/24', 'via', '10.1.0.2');
    ns.ip('neigh', 'add', '10.1.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'v0', 'nud', 'permanent');
    serve = await startServe(['-n', ns.name, '--port', '0']);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: this spec drives Debian's Chromium — apt-get install chromium`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Without the networking switches Chromium's own connections are refused here.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // A navigation cancels the old page's EventSources (net::ERR_ABORTED): that is not a failure.
    page.on('requestfailed', (r) => {
      if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    ns?.remove();
  });

  it('shows the namespace\'s routes, follows 1,000 added routes and a link set down; saves a screenshot', async () => {
    await page.goto(serve.url);
    const before = ipRouteCount(ns);
    await routeCounter(page, ns, before);
    // The rows themselves, not only the counter: the gateway route as ip shows it.
    await waitInPage(page, `[...document.querySelectorAll('#table-routes tbody tr')]
      .some((tr) => tr.cells[0].textContent === '192.0.2.0/24' && tr.cells[1].textContent === '10.1.0.2' && tr.cells[2].textContent === 'v0')`);

    await waitInPage(page, `[...document.querySelectorAll('#table-neighbors tbody tr')]
      .some((tr) => tr.cells[0].textContent === '10.1.0.2' && tr.cells[1].textContent === '02:00:00:00:00:02' && tr.cells[3].textContent === 'PERMANENT')`);

    addRoutes(ns, 'v1', 1000);
    const after = ipRouteCount(ns);
    expect(after).toBe(before + 1000);
    await routeCounter(page, ns, after);
    // The header's event counter (refreshed each second) counts them too.
    await waitInPage(page, `Number(document.querySelector('#events')?.textContent) >= 1000`);

    // Filtering narrows the rendered rows to the matching route.
    await page.fill('#filter-routes', '10.0.3.231/32');
    await waitInPage(page, `document.querySelectorAll('#table-routes tbody tr').length === 1 &&
      document.querySelector('#table-routes tbody tr').cells[2].textContent === 'v1'`);
    await page.fill('#filter-routes', '');

    ns.ip('link', 'set', 'v1', 'down');
    const linkState = (name: string, state: string) => `[...document.querySelectorAll('#table-links tbody tr')]
      .some((tr) => tr.cells[1].textContent === '${name}' && tr.cells[2].textContent === '${state}')`;
    await waitInPage(page, linkState('v1', 'DOWN'));
    // The routes through v1 went with it (the kernel's silent flush, seen by the live table).
    const down = ipRouteCount(ns);
    expect(down).toBeLessThan(after);
    await routeCounter(page, ns, down);

    // Sorting: a click on "dst" orders the rendered routes by it.
    await page.click('#table-routes th[data-col="0"]');
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, 'dashboard.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}; routes ${before} → ${after} → ${down}`);
  });

  it('runs under its Content-Security-Policy with no console error: inline script is refused, the icon is served', async () => {
    // Everything the first test did (load, 1,000 routes, filter, sort) left no error, warning or failed request.
    expect(problems).toEqual([]);
    const response = await page.goto(serve.url);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await waitInPage(page, `document.querySelector('#conn')?.textContent === 'live'`);
    expect(problems).toEqual([]);
    // The CSP is in force: an inline script the page did not ship does not run, and the browser reports it.
    const violation = await page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective + ' ' + e.blockedURI), { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.head.appendChild(s);
    })`);
    expect(violation).toMatch(/^script-src(-elem)? inline$/);
    expect(await page.evaluate('window.inlineRan === undefined')).toBe(true);
    const icon = await page.evaluate(`fetch('favicon.ico').then((r) => r.status + ' ' + r.headers.get('content-type'))`);
    expect(icon).toBe('200 image/svg+xml');
  });

  it('with --token: /?token= becomes a cookie, the address bar and every URL the page builds carry no token', async () => {
    const token = 'browser-token-1234';
    const guarded = await startServe(['-n', ns.name, '--port', '0', '--token', token]);
    const context = await browser.newContext();
    const tab = await context.newPage();
    const urls: string[] = [];
    const errors: string[] = [];
    tab.on('request', (r) => urls.push(r.url()));
    // The tables' streams are WebSockets: Playwright reports those apart from requests.
    tab.on('websocket', (ws) => urls.push(ws.url()));
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await tab.goto(`${guarded.url}?token=${token}`);
      await waitInPage(tab, `document.querySelector('#conn')?.textContent === 'live'`);
      await waitInPage(tab, `Number(document.querySelector('#count-links')?.textContent) === 3`);
      expect(tab.url()).toBe(guarded.url);
      // The first request is the one the user typed; everything after it is the page's own.
      expect(urls[0]).toContain(`token=${token}`);
      expect(urls.slice(1).filter((u) => u.includes('token'))).toEqual([]);
      expect(urls.some((u) => u.endsWith('/live/routes'))).toBe(true);
      const cookies = await context.cookies();
      expect(cookies.map((c) => [c.httpOnly, c.sameSite, c.value.includes(token)])).toEqual([[true, 'Strict', false]]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await guarded.stop();
    }
  });
});
