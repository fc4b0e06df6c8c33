import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRoot } from '../helpers/netns.js';
import { buildFormsFixture, itFormTables, type FormsFixture } from '../helpers/ip-forms.js';
import { runNlrx } from '../helpers/rich-fixture.js';

/** `ip link` forms that print links: every global option and selector ip 6.1 reads for links. */
const PRINTING: readonly (readonly string[])[] = [
  // Objects and verbs, abbreviated as ip allows.
  ['link'], ['l'], ['li'], ['link', 'show'], ['link', 'sh'], ['link', 'list'], ['link', 'lst'], ['link', 'ls'], ['l', 'l'],
  // Devices and selectors.
  ['link', 'show', 'va'], ['link', 'show', 'dev', 'va'], ['link', 'show', 'dev', 'vo'], ['link', 'show', 'up'],
  ['link', 'show', 'group', '5'], ['link', 'show', 'group', 'default'], ['link', 'show', 'master', 'br0'],
  ['link', 'show', 'nomaster'], ['link', 'show', 'type', 'veth'], ['link', 'show', 'type', 'vxlan'],
  ['link', 'show', 'type', 'bridge_slave'], ['link', 'show', 'up', 'type', 'veth'], ['link', 'show', 'master', 'br0', 'up'],
  // Global options, each spelling ip takes.
  ['-br', 'link'], ['-brief', 'link'], ['-br', 'link', 'show', 'up'], ['-br', '-o', 'link'], ['-o', 'link'], ['-oneline', 'link'],
  ['-s', 'link'], ['-stats', 'link'], ['-statistics', 'link'], ['-s', '-s', 'link'], ['-s', '-s', 'link', 'show', 'dev', 'vb'],
  ['-o', '-s', '-s', 'link'], ['-d', 'link'], ['-details', 'link'], ['-d', 'link', 'show', 'dev', 'br0'],
  ['-d', 'link', 'show', 'dev', 'vc'], ['-d', 'link', 'show', 'vx0'], ['-d', 'link', 'show', 'vx1'], ['-d', 'link', 'show', 'vx6'],
  ['-d', 'link', 'show', 'mv0'], ['-d', 'link', 'show', 'mv1'], ['-d', '-s', '-s', 'link'], ['-o', '-d', 'link'],
  ['-0', 'link'], ['-4', 'link'], ['-6', 'link'], ['-f', 'link', 'link'], ['-family', 'inet6', 'link'],
  ['-c=never', 'link'], ['-color=never', '-br', 'link'], ['-color=auto', 'link'], ['--brief', 'link'],
  // -c alone is always: ip colours even into a pipe.
  ['-c', 'link'], ['-br', '-c', 'link'], ['-c', '-br', 'link'], ['-color', '-s', '-s', 'link'], ['-c=always', 'link', 'show', 'xb'],
  // JSON of all of those.
  ['-j', 'link'], ['-json', 'link'], ['-j', '-p', 'link'], ['-j', 'link', 'show', 'group', '5'], ['-j', 'link', 'show', 'up'],
  ['-j', 'link', 'show', 'nomaster'], ['-j', 'link', 'show', 'type', 'bridge_slave'], ['-j', '-br', 'link'],
  ['-j', '-p', '-br', 'link'], ['-j', '-o', 'link'], ['-j', '-s', 'link'], ['-j', '-s', '-s', 'link'], ['-j', '-p', '-s', '-s', 'link'],
  ['-j', '-d', 'link'], ['-j', '-p', '-d', 'link'], ['-j', '-d', 'link', 'show', 'dev', 'vc'], ['-j', '-d', 'link', 'show', 'vx6'],
  ['-j', '-d', 'link', 'show', 'vx1'], ['-j', '-d', 'link', 'show', 'mv1'], ['-j', '-c', 'link'],
];

/** Forms that print nothing, as ip prints nothing. */
const SILENT: readonly (readonly string[])[] = [
  ['link', 'show', 'group', '7'], ['link', 'show', 'type', 'vrf'], ['link', 'show', 'label', 'va'], ['-br', 'link', 'show', 'type', 'gre'],
];

/** Forms ip refuses: the same message on stderr and the same exit code. */
const FAILING: readonly (readonly string[])[] = [
  ['link', 'show', 'nosuch'], ['link', 'show', 'dev', 'nosuch'], ['link', 'show', 'dev'], ['link', 'show', 'group'],
  ['link', 'show', 'group', 'nosuchgroup'], ['link', 'show', 'master', 'nosuch'], ['link', 'show', 'vrf', 'va'],
  ['link', 'show', 'vf', '0'], ['link', 'show', 'va', 'vb'], ['link', 'show', 'type'], ['link', 'dev', 'va'], ['link', 'foo'],
  ['-x', 'link'], ['-f', 'foo', 'link'], ['-c=sometimes', 'link'], ['-jp', 'link'], ['nosuchobject'],
];

// Runs the built CLI: `npm run build:ts` first.
describe.skipIf(!isRoot)('ip link forms: nlrx prints what ip 6.1 prints (stdout, stderr, exit code)', () => {
  let fx: FormsFixture;
  beforeAll(() => {
    fx = buildFormsFixture('lforms');
  });
  afterAll(() => fx?.remove());

  itFormTables(() => fx, { printing: PRINTING, silent: SILENT, failing: FAILING });

  it('prints the details ip prints for each kind: vxlan, bridge, bridge_slave, macvlan', () => {
    const text = runNlrx(['-n', fx.ns.name, '-d', 'link', 'show']).stdout;
    for (const fragment of [
      'vxlan id 42 remote 10.0.0.2 local 192.0.2.1 dev va srcport 0 0 dstport 4789 ttl auto ageing 300 udpcsum ',
      'vxlan id 43 group 239.1.1.1 dev va srcport 0 0 dstport 4790 nolearning ttl 10 ageing 120 ',
      'vxlan id 44 remote 2001:db8::2 local 2001:db8::1 srcport 0 0 dstport 4791 ttl auto ageing 300 noudpcsum ',
      'bridge forward_delay 1500 hello_time 200 ', 'bridge_slave state ', 'macvlan mode bridge ', 'macvlan mode private ',
    ]) expect(text).toContain(fragment);
    // The error counters ip prints with -s -s.
    expect(runNlrx(['-n', fx.ns.name, '-s', '-s', 'link', 'show', 'va']).stdout).toMatch(/RX errors: +length +crc +frame +fifo +overrun\n[\s\S]*TX errors: +aborted +fifo +window +heartbt +transns\n/);
  });

  it('refuses the verbs that change links, without touching them', () => {
    for (const verb of ['set', 's', 'add', 'delete', 'del', 'change', 'replace']) {
      const run = runNlrx(['-n', fx.ns.name, 'link', verb, 'dev', 'va', 'down']);
      expect(run.status).toBe(255);
      expect(run.stderr).toMatch(/^nlrx only reads: "ip link \w+" is not supported\.\n$/);
    }
    expect(fx.ns.ip('-br', 'link', 'show', 'va')).toMatch(/^va@vb +UP /);
  });
});
