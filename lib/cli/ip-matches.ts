/**
 * iproute2's `matches()` (lib/utils.c): how every `ip` word may be abbreviated.
 */

/**
 * ipMatches tells whether `word` is what ip's `matches(word, full)` accepts
 * for `full`: a non-empty prefix of it. ip tries the candidates of a position
 * in a fixed order and takes the first that matches, so `s` after `link` is
 * `set` while after `route` it is `show`: callers keep ip's order.
 *
 * @example
 * ipMatches('li', 'link'); // true
 * ipMatches('', 'link');   // false
 */
export function ipMatches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}
