/**
 * The path and query of a request, parsed without ever throwing: a request
 * target the WHATWG URL parser rejects is bad input (400), not an exception
 * in a request handler.
 */

/**
 * RequestTarget is a request's path (still percent-encoded, as routes match
 * it) and its query.
 *
 * @example
 * const { path, query } = requestTarget('/live/routes?lastEventId=3')!;
 */
export interface RequestTarget {
  readonly path: string;
  readonly query: URLSearchParams;
}

/**
 * requestTarget parses an origin-form request target (`/path?query`);
 * undefined for anything else (absolute-form, `*`, `//host`, a target the
 * URL parser rejects).
 *
 * @example
 * requestTarget('/?token=a%20b')?.query.get('token'); // 'a b'
 * requestTarget('//[');                               // undefined
 */
export function requestTarget(url: string | undefined): RequestTarget | undefined {
  if (url === undefined || !url.startsWith('/') || url.startsWith('//')) return undefined;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  let query: URLSearchParams;
  try {
    // URLSearchParams is lenient (bad escapes stay as they are), but keep the bound explicit.
    query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  } catch {
    return undefined;
  }
  return { path, query };
}
