/**
 * The headers every response of the UI backend carries, and the dashboard's
 * Content-Security-Policy. No CORS header is ever sent: the streams are for
 * the page's own origin, and a browser lets no other origin read them.
 */

/**
 * SECURITY_HEADERS go on every response (streams, refusals, the page):
 * no MIME sniffing, no Referer (a URL never leaves the page), no framing,
 * and no reading of these responses by other origins' documents.
 *
 * @example
 * res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // frame-ancestors (below) is the standard; X-Frame-Options covers older browsers.
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * DASHBOARD_CSP: the page may load its own script, style and icon and open
 * connections to its own origin, nothing else — no inline script or style,
 * no eval, no plugins, no forms, no `<base>`, and no framing by anyone.
 *
 * @example
 * res.setHeader('content-security-policy', DASHBOARD_CSP);
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
