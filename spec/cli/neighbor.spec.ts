import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../helpers/netns.js';
import { buildRichFixture, runNlrx, sameAsIp, type RichFixture } from '../helpers/rich-fixture.js';

// Runs the built CLI: `npm test` builds dist first; while developing, `npm run build:ts`.
describe.skipIf(!isRoot)('nlrx neighbor against iproute2 (real kernel)', () => {
  let fx: RichFixture;
  beforeAll(() => {
    fx = buildRichFixture('clineighbor');
  });
  afterAll(() => fx?.remove());

  it.each([
    ['-j', 'neigh', 'show'], ['-4', '-j', 'neigh', 'show'], ['-6', '-j', 'neigh', 'show'], ['-j', 'neigh', 'show', 'dev', 'va'], ['-j', 'neigh', 'show', 'nud', 'all'], ['-j', 'neigh', 'show', 'nud', 'noarp'], ['-j', 'neigh', 'show', 'nud', 'stale'], ['-j', 'neigh', 'show', 'dev', 'br0', 'nud', 'permanent'],
  ])('nlrx %j prints what ip prints', (...args: string[]) => {
    const { nlrx, ip } = sameAsIp(fx.ns, args);
    expect(JSON.parse(nlrx)).toEqual(JSON.parse(ip));
    // Key order too, not only deep equality: the JSON text is the same.
    expect(nlrx).toBe(ip);
  });

  it.each([
    ['neigh', 'show'], ['neigh', 'show', 'dev', 'va'], ['-j', '-p', 'neigh', 'show'],
  ])('plain nlrx %j prints what ip prints', (...args: string[]) => {
    const { nlrx, ip } = sameAsIp(fx.ns, args);
    expect(nlrx).toBe(ip);
    expect(nlrx.length).toBeGreaterThan(0);
  });

  it('prints the readable form users know from ip', () => {
    const out = runNlrx(['-n', fx.ns.name, 'neigh', 'show']).stdout;
    for (const fragment of ['192.0.2.10 dev va lladdr 02:00:00:00:00:0a PERMANENT', '2001:db8::11 dev va lladdr 02:00:00:00:01:11 router STALE']) expect(out).toContain(fragment);
  });

  it('fails cleanly on an unknown device, a bad argument and a missing namespace', () => {
    const missing = runNlrx(['-n', fx.ns.name, 'neigh', 'show', 'dev', 'nosuchdev']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('Cannot find device "nosuchdev"\n');
    expect(missing.stdout).toBe('');
    const bad = runNlrx(['-n', fx.ns.name, 'neigh', 'show', 'dev']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const gone = runNlrx(['-n', `${fx.ns.name}-gone`, 'neigh', 'show']);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toMatch(/namespace/i);
    expect(gone.stderr).not.toMatch(/\n\s+at /);
  });
});
