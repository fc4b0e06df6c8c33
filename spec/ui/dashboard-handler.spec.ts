/**
 * dashboard(): the page and its files over real loopback HTTP, with the
 * headers that keep it from being framed, sniffed, or made to run script it
 * did not ship.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboard } from '../../lib/ui/dashboard-handler.js';
import { DASHBOARD_SCRIPT } from '../../lib/ui/dashboard-script.js';

describe('dashboard handler', () => {
  let server: Server;
  let base: string;
  const netns = 'blue"><script>alert(1)</script>';

  beforeAll(async () => {
    const page = dashboard({ netns });
    server = createServer((req, res) => page(req, res, () => res.writeHead(299).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends a strict CSP, nosniff, no framing and no Referer with the page', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('has no inline script, style or event handler, and escapes kernel strings (the namespace name)', async () => {
    const html = await (await fetch(`${base}/`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => [m[1].trim(), m[2]])).toEqual([['src="dashboard.js" defer', '']]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('blue&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    // The page's settings, as data the script parses, with the name intact.
    const config = /data-config="([^"]*)"/.exec(html)![1]
      .replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    expect(JSON.parse(config)).toEqual({ prefix: '/live', netns });
  });

  it('serves its script, style sheet and icon with their types; HEAD without a body; 405 for other methods', async () => {
    for (const [path, type] of [['/dashboard.js', 'text/javascript'], ['/dashboard.css', 'text/css'],
      ['/favicon.svg', 'image/svg+xml'], ['/favicon.ico', 'image/svg+xml'], ['/index.html', 'text/html']]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(new RegExp(`^${type.replace('+', '\\+')}`));
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await res.text()).length).toBeGreaterThan(100);
    }
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${base}/other`)).status).toBe(299);
  });

  it('builds stream URLs without a token: the script never reads one from the page URL', () => {
    expect(DASHBOARD_SCRIPT).not.toMatch(/token|location\.(search|href)/i);
    // The streams are WebSockets to the page's own host, on the stream path alone.
    expect(DASHBOARD_SCRIPT).toMatch(/new WebSocket\(\(location\.protocol === "https:" \? "wss:\/\/" : "ws:\/\/"\) \+ location\.host \+ path/);
    expect(DASHBOARD_SCRIPT).toMatch(/stream\(url\)/);
  });
});
