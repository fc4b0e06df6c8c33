import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../helpers/netns.js';
import { buildRichFixture, runNlrx, sameAsIp, type RichFixture } from '../helpers/rich-fixture.js';

// Runs the built CLI: `npm test` builds dist first; while developing, `npm run build:ts`.
describe.skipIf(!isRoot)('nlrx link against iproute2 (real kernel)', () => {
  let fx: RichFixture;
  beforeAll(() => {
    fx = buildRichFixture('clilink');
  });
  afterAll(() => fx?.remove());

  it.each([
    ['-j', 'link', 'show'], ['-j', 'link', 'show', 'dev', 'va'], ['-j', 'link', 'show', 'up'], ['-j', 'link', 'show', 'type', 'veth'], ['-j', 'link', 'show', 'type', 'bridge'], ['-j', 'link', 'show', 'master', 'br0'], ['-4', '-j', 'link', 'show'], ['-j', '-s', 'link', 'show'], ['-j', '-d', 'link', 'show', 'dev', 'lo'], ['-j', '-d', 'link', 'show', 'dev', 'va'], ['-j', '-d', 'link', 'show', 'dev', 'vx'],
  ])('nlrx %j prints what ip prints', (...args: string[]) => {
    const { nlrx, ip } = sameAsIp(fx.ns, args);
    expect(JSON.parse(nlrx)).toEqual(JSON.parse(ip));
    // Key order too, not only deep equality: the JSON text is the same.
    expect(nlrx).toBe(ip);
  });

  it.each([
    ['link', 'show', 'dev', 'va'], ['link', 'show', 'dev', 'vc'], ['-s', 'link', 'show', 'dev', 'va'], ['-j', '-p', 'link', 'show'],
    ['link', 'show'], ['link', 'show', 'dev', 'vx'], ['-d', 'link', 'show', 'dev', 'vx'],
  ])('plain nlrx %j prints what ip prints', (...args: string[]) => {
    const { nlrx, ip } = sameAsIp(fx.ns, args);
    expect(nlrx).toBe(ip);
    expect(nlrx.length).toBeGreaterThan(0);
  });

  it('names a peer in a named namespace as ip does: link-netns NAME in text, the nsid in JSON', () => {
    const { nlrx, ip } = sameAsIp(fx.ns, ['link', 'show', 'dev', 'vx']);
    expect(nlrx).toBe(ip);
    expect(nlrx).toContain('vx@if');
    expect(nlrx).toContain(` link-netns ${fx.peer.name}\n`);
    expect(nlrx).not.toContain('link-netnsid');
    const json = JSON.parse(runNlrx(['-n', fx.ns.name, '-j', 'link', 'show', 'dev', 'vx']).stdout) as { link_netnsid?: number }[];
    expect(json[0].link_netnsid).toBeGreaterThanOrEqual(0);
  });

  it('names the peer namespace back from the other side', () => {
    const { nlrx, ip } = sameAsIp(fx.peer, ['link', 'show']);
    expect(nlrx).toBe(ip);
    expect(nlrx).toContain(` link-netns ${fx.ns.name}\n`);
  });

  it('prints the readable form users know from ip', () => {
    const out = runNlrx(['-n', fx.ns.name, 'link', 'show']).stdout;
    for (const fragment of ['va@vb: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500', 'master br0 state', `link-netns ${fx.peer.name}`, 'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00']) expect(out).toContain(fragment);
  });

  it('fails cleanly on an unknown device, a bad argument and a missing namespace', () => {
    const missing = runNlrx(['-n', fx.ns.name, 'link', 'show', 'dev', 'nosuchdev']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('Device "nosuchdev" does not exist.\n');
    expect(missing.stdout).toBe('');
    const bad = runNlrx(['-n', fx.ns.name, 'link', 'show', 'dev']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const gone = runNlrx(['-n', `${fx.ns.name}-gone`, 'link', 'show']);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toMatch(/namespace/i);
    expect(gone.stderr).not.toMatch(/\n\s+at /);
  });
});
