/**
 * sameObject decides whether a freshly dumped or notified object differs from
 * the one a table holds, so that a re-dump emits only real differences.
 */

/**
 * sameObject compares two decoded objects structurally: plain objects and
 * arrays field by field, byte arrays by content, errors by message. Top-level
 * fields named in `volatile` (counters and ageing timers the kernel changes
 * without telling anyone: link statistics, cache ages …) are not compared,
 * else every re-dump would report every object changed.
 *
 * @example
 * sameObject(oldLink, newLink, new Set(['stats64'])); // true when only counters moved
 */
export function sameObject(a: unknown, b: unknown, volatile: ReadonlySet<string> = EMPTY): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a).filter((k) => !volatile.has(k) && (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => !volatile.has(k) && (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const EMPTY: ReadonlySet<string> = new Set();

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || typeof a !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  }
  if (a instanceof Error || b instanceof Error) {
    return a instanceof Error && b instanceof Error && a.message === b.message;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  return sameObject(a, b);
}
