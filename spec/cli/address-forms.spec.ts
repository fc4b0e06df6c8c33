import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../helpers/netns.js';
import { buildFormsFixture, itFormTables, type FormsFixture } from '../helpers/ip-forms.js';
import { runNlrx } from '../helpers/rich-fixture.js';

/** `ip address` forms that print: every global option and selector ip 6.1 reads for addresses. */
const PRINTING: readonly (readonly string[])[] = [
  // Objects and verbs, abbreviated as ip allows.
  ['address'], ['addr'], ['a'], ['ad'], ['a', 's'], ['a', 'sh'], ['a', 'l'], ['ad', 'lst'], ['addr', 'list'], ['addr', 'show'],
  // Devices and selectors.
  ['addr', 'show', 'va'], ['addr', 'show', 'dev', 'va'], ['addr', 'show', 'dev', 'vb'], ['addr', 'show', 'up'],
  ['addr', 'show', 'scope', 'global'], ['addr', 'show', 'scope', 'link'], ['addr', 'show', 'scope', 'host'], ['addr', 'show', 'scope', 'all'],
  ['addr', 'show', 'scope', '253'], ['addr', 'show', 'to', '192.0.2.0/24'], ['addr', 'show', 'to', '192.0.2.2'],
  ['addr', 'show', 'to', '2001:db8::/32'], ['addr', 'show', 'to', '10/8'], ['addr', 'show', 'to', 'default'],
  ['addr', 'show', 'label', 'va:*'], ['addr', 'show', 'label', 'v?'], ['addr', 'show', 'label', 'va:[so]*'],
  ['addr', 'show', 'dynamic'], ['addr', 'show', 'permanent'], ['addr', 'show', '-dynamic'], ['addr', 'show', '-permanent'],
  ['addr', 'show', 'tentative'], ['addr', 'show', '-tentative'], ['addr', 'show', 'deprecated'], ['addr', 'show', '-deprecated'],
  ['addr', 'show', 'dadfailed'], ['addr', 'show', '-dadfailed'], ['addr', 'show', 'secondary'], ['addr', 'show', 'primary'],
  ['addr', 'show', 'temporary'], ['addr', 'show', 'nodad'], ['addr', 'show', 'noprefixroute'], ['addr', 'show', 'master', 'br0'],
  ['addr', 'show', 'nomaster'], ['addr', 'show', 'type', 'veth'], ['addr', 'show', 'type', 'bridge_slave'], ['addr', 'show', 'group', '5'],
  ['addr', 'show', 'dev', 'va', 'scope', 'global', 'primary'],
  // Global options, each spelling ip takes.
  ['-4', 'addr'], ['-6', 'addr'], ['-0', 'addr'], ['-f', 'inet', 'addr'], ['-f', 'inet6', 'addr'], ['-family', 'link', 'addr'],
  ['-br', 'addr'], ['-br', '-4', 'addr'], ['-br', '-6', 'addr'], ['-br', '-0', 'addr'], ['-br', 'addr', 'show', 'label', 'va:*'],
  ['-br', 'addr', 'show', 'up'], ['-o', 'addr'], ['-o', '-6', 'addr'], ['-o', '-0', 'addr'], ['-o', 'addr', 'show', 'secondary'],
  ['-s', 'addr'], ['-s', '-s', 'addr', 'show', 'dev', 'va'], ['-d', 'addr'], ['-d', '-6', 'addr'], ['-color=never', '-br', 'addr'],
  // -c alone is always: ip colours even into a pipe.
  ['-c', 'addr'], ['-c', '-br', 'addr'], ['-br', '-c', 'addr'], ['-c', '-o', 'addr'], ['-c', '-0', 'addr'], ['-c=always', '-6', 'addr'],
  // The -6 M-DOWN case: vo's peer moved away, IPv6's link dump names its index without a namespace.
  ['-6', 'addr', 'show'], ['-6', 'addr', 'show', 'dev', 'vo'],
  // JSON of all of those.
  ['-j', 'addr'], ['-j', '-p', 'addr'], ['-j', '-4', 'addr'], ['-j', '-6', 'addr'], ['-j', '-0', 'addr'], ['-j', '-br', 'addr'],
  ['-j', '-p', '-br', 'addr'], ['-j', '-o', 'addr'], ['-j', '-s', 'addr'], ['-j', '-d', 'addr'], ['-j', 'addr', 'show', 'up'],
  ['-j', 'addr', 'show', 'secondary'], ['-j', 'addr', 'show', 'label', 'va:*'], ['-j', 'addr', 'show', 'scope', 'link'],
  ['-j', 'addr', 'show', 'to', '192.0.2.0/24'], ['-j', '-br', 'addr', 'show', 'deprecated'], ['-j', '-o', 'addr', 'show', 'permanent'],
  ['-j', 'addr', 'show', 'group', '5'], ['-j', '-f', 'mpls', 'addr'],
];

/** Forms that print nothing, as ip prints nothing. */
const SILENT: readonly (readonly string[])[] = [
  ['-f', 'mpls', 'addr'], ['-f', 'bridge', 'addr'], ['-4', 'addr', 'show', 'to', '203.0.113.0/24'], ['addr', 'show', 'type', 'vrf'],
  ['-o', 'addr', 'show', 'dev', 'xb'], ['addr', 'show', 'to', '10'],
];

/** Forms ip refuses: the same message on stderr and the same exit code. */
const FAILING: readonly (readonly string[])[] = [
  ['addr', 'show', 'nosuch'], ['addr', 'show', 'dev', 'nosuch'], ['addr', 'show', 'dev'], ['addr', 'show', 'scope'],
  ['addr', 'show', 'scope', 'nowhere-at-all'], ['addr', 'show', 'to', 'foo'], ['-4', 'addr', 'show', 'to', '2001:db8::1'],
  ['-6', 'addr', 'show', 'to', '10.0.0.0/8'], ['addr', 'show', 'to', '10.0.0.0/33'], ['addr', 'show', 'label'],
  ['addr', 'show', 'va', 'vb'], ['addr', 'show', 'master', 'nosuch'], ['addr', 'show', 'vrf', 'va'], ['addr', 'show', 'group', 'x'],
  ['addr', 'dev', 'va'], ['addr', 'bogus'],
];

// Runs the built CLI: `npm run build:ts` first.
describe.skipIf(!isRoot)('ip address forms: nlrx prints what ip 6.1 prints (stdout, stderr, exit code)', () => {
  let fx: FormsFixture;
  beforeAll(() => {
    fx = buildFormsFixture('aforms');
  });
  afterAll(() => fx?.remove());

  itFormTables(() => fx, { printing: PRINTING, silent: SILENT, failing: FAILING });

  it('prints no M-DOWN for a veth whose peer left, with -6 and without dev (issue 15)', () => {
    const text = runNlrx(['-n', fx.ns.name, '-6', 'addr', 'show']).stdout;
    const vo = text.split('\n').find((line) => / vo@if\d+: /.test(line));
    expect(vo).toBeDefined();
    expect(vo).not.toContain('M-DOWN');
    // A lower link that is here and down still gives M-DOWN.
    expect(runNlrx(['-n', fx.ns.name, 'link', 'show', 'xb']).stdout).toContain(',M-DOWN>');
  });

  it('selects by address flags and scope the way ip does', () => {
    const brief = (...args: string[]) => runNlrx(['-n', fx.ns.name, '-br', 'addr', 'show', 'dev', 'va', ...args]).stdout;
    expect(brief('deprecated')).toContain('192.0.2.60/24 ');
    expect(brief('deprecated')).not.toContain('192.0.2.1/24');
    expect(brief('secondary')).toMatch(/192\.0\.2\.2\/24 192\.0\.2\.60\/24 \n$/);
    expect(brief('scope', 'link')).toMatch(/fe80::[0-9a-f:]+\/64 \n$/);
  });
});
