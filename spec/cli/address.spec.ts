import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../helpers/netns.js';
import { buildRichFixture, runNlrx, sameAsIp, type RichFixture } from '../helpers/rich-fixture.js';

// Runs the built CLI: `npm test` builds dist first; while developing, `npm run build:ts`.
describe.skipIf(!isRoot)('nlrx address against iproute2 (real kernel)', () => {
  let fx: RichFixture;
  beforeAll(() => {
    fx = buildRichFixture('cliaddress');
  });
  afterAll(() => fx?.remove());

  it.each([
    ['-j', 'addr', 'show'], ['-4', '-j', 'addr', 'show'], ['-6', '-j', 'addr', 'show'], ['-j', 'addr', 'show', 'dev', 'va'], ['-j', 'addr', 'show', 'dev', 'vd'], ['-4', '-j', 'addr', 'show', 'dev', 'vd'], ['-6', '-j', 'addr', 'show', 'dev', 'br0'], ['-j', 'addr', 'show', 'up'],
  ])('nlrx %j prints what ip prints', (...args: string[]) => {
    const { nlrx, ip } = sameAsIp(fx.ns, args);
    expect(JSON.parse(nlrx)).toEqual(JSON.parse(ip));
    // Key order too, not only deep equality: the JSON text is the same.
    expect(nlrx).toBe(ip);
  });

  it.each([
    ['addr', 'show', 'dev', 'va'], ['addr', 'show', 'dev', 'br0'], ['-4', 'addr', 'show'], ['-6', 'addr', 'show', 'dev', 'va'], ['-j', '-p', 'addr', 'show'],
  ])('plain nlrx %j prints what ip prints', (...args: string[]) => {
    const { nlrx, ip } = sameAsIp(fx.ns, args);
    expect(nlrx).toBe(ip);
    expect(nlrx.length).toBeGreaterThan(0);
  });

  it('addr show names a peer in a named namespace as ip does (link-netns NAME)', () => {
    const { nlrx, ip } = sameAsIp(fx.ns, ['addr', 'show', 'dev', 'vx']);
    expect(nlrx).toBe(ip);
    expect(nlrx).toContain(` link-netns ${fx.peer.name}\n`);
  });

  it('prints the readable form users know from ip', () => {
    const out = runNlrx(['-n', fx.ns.name, 'addr', 'show']).stdout;
    for (const fragment of ['inet 192.0.2.2/24 scope global secondary va:sec', 'inet 198.51.100.1 peer 198.51.100.2/32 scope global vb', 'inet 10.9.0.1/16 metric 100 scope global br0', 'inet6 2001:db8::1/64 scope global nodad', 'valid_lft forever preferred_lft forever']) expect(out).toContain(fragment);
  });

  it('fails cleanly on an unknown device, a bad argument and a missing namespace', () => {
    const missing = runNlrx(['-n', fx.ns.name, 'addr', 'show', 'dev', 'nosuchdev']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('Device "nosuchdev" does not exist.\n');
    expect(missing.stdout).toBe('');
    const bad = runNlrx(['-n', fx.ns.name, 'addr', 'show', 'dev']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const gone = runNlrx(['-n', `${fx.ns.name}-gone`, 'addr', 'show']);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toMatch(/namespace/i);
    expect(gone.stderr).not.toMatch(/\n\s+at /);
  });
});
