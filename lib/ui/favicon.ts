/**
 * The dashboard's icon: a small SVG (a live-table grid), so a browser's
 * `/favicon.ico` request is answered rather than logged as a 404.
 */

/**
 * FAVICON_SVG is the icon, served as `image/svg+xml`.
 *
 * @example
 * res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(FAVICON_SVG);
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">
<rect width="16" height="16" rx="3" fill="#1d2330"/>
<path d="M3 5h10M3 8h10M3 11h10" stroke="#f5b700" stroke-width="1.5"/>
<circle cx="12" cy="11" r="1.6" fill="#067647"/>
</svg>
`;
