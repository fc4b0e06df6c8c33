/**
 * Every read-only form of `ip rule` (iproute2 6.1: `show` and every selector
 * its show reads) against ip itself: stdout, stderr and exit code, one row
 * per command line, on a fixture with a rule for each selector and action.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { againstIp, expectOutcome, type FormOutcome } from '../helpers/ip-oracle.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const FORMS: readonly (readonly [string, FormOutcome])[] = [
  // show and its abbreviations, in every output form
  ['rule', 'lines'], ['rule show', 'lines'], ['rule list', 'lines'], ['rule lst', 'lines'], ['rule s', 'lines'],
  ['rule l', 'lines'], ['rule li', 'lines'], ['rule ls', 'lines'], ['ru s', 'lines'], ['-j rule show', 'lines'],
  ['-j -p rule show', 'lines'], ['-d rule show', 'lines'], ['-d -j rule show', 'lines'], ['-o rule show', 'lines'],
  ['-s rule show', 'lines'], ['-4 rule show', 'lines'], ['-6 rule show', 'lines'], ['-6 -j rule show', 'lines'], ['-c rule show', 'lines'], ['-c -6 rule show', 'lines'],
  ['-family inet6 rule show', 'lines'], ['-0 rule show', 'error'], ['-B rule show', 'error'], ['-M rule show', 'error'],
  // selectors, abbreviated where ip allows it
  ['rule show from 10.0.0.0/8', 'lines'], ['rule show from 10.0.0.0/16', 'empty'], ['rule show from 10.0.0.0/4', 'lines'],
  ['rule show from 10.2.0.1', 'lines'], ['rule show from all', 'lines'], ['rule show src 10.0.0.0/8', 'lines'],
  ['rule show f 10.0.0.0/8', 'lines'], ['rule show to 192.168.0.0/16', 'lines'], ['rule show 192.168.0.0/16', 'lines'],
  ['rule show dst 192.168.0.0/16', 'lines'], ['rule show to 192.168.1.0/24', 'empty'], ['rule show not', 'lines'],
  ['rule show not from 10.1.0.0/16', 'lines'], ['rule show fwmark 0x10', 'lines'], ['rule show fwmark 0x10/0xff', 'lines'],
  ['rule show fwmark 7', 'lines'], ['rule show fwmark 0/0xff', 'lines'], ['rule show iif v0', 'lines'],
  ['rule show dev v0', 'lines'], ['rule show oif v1', 'lines'], ['rule show iif nosuch', 'empty'],
  ['rule show tos 0x10', 'lines'], ['rule show tos 10', 'lines'], ['rule show dsfield 0x10', 'lines'],
  ['rule show uidrange 100-200', 'lines'], ['rule show uidrange 100-201', 'empty'], ['rule show ipproto tcp', 'lines'],
  ['rule show ipproto 6', 'lines'], ['rule show ipproto udp', 'empty'], ['rule show sport 1000-2000', 'lines'],
  ['rule show dport 80', 'lines'], ['rule show dport 80-80', 'lines'], ['rule show sport 1000', 'empty'],
  ['rule show pref 104', 'lines'], ['rule show priority 0', 'lines'], ['rule show order 101', 'lines'],
  ['rule show p 105', 'lines'], ['rule show table 105', 'lines'], ['rule show lookup 100', 'lines'],
  ['rule show table main', 'lines'], ['rule show table local', 'lines'], ['rule show t 42', 'lines'],
  ['rule show tun_id 42', 'lines'], ['rule show l3mdev', 'lines'], ['rule show protocol static', 'lines'],
  ['rule show protocol all', 'lines'], ['rule show iif v0 oif v1 tos 0x10', 'lines'],
  ['-6 rule show from 2001:db8::/32', 'lines'], ['-6 rule show to ::/0', 'lines'],
  // errors
  ['rule show from', 'error'], ['rule show table', 'error'], ['rule show table all', 'error'],
  ['rule show table nosuch', 'error'], ['rule show pref x', 'error'], ['rule show fwmark x', 'error'],
  ['rule show fwmark 1/x', 'error'], ['rule show tos zz', 'error'], ['rule show ipproto foo', 'error'],
  ['rule show sport x', 'error'], ['rule show dport x', 'error'], ['rule show uidrange 3', 'error'],
  ['rule show tun_id x', 'error'], ['rule show protocol bad', 'error'], ['rule show iif v0/x', 'error'],
  ['rule show oif', 'error'], ['rule show bogus', 'error'], ['rule show goto', 'error'],
  ['rule show suppress_prefixlength 0', 'error'], ['rule show realms 3/4', 'error'],
  ['rule show from 2001:db8::/32', 'error'], ['-6 rule show from 10.0.0.0/8', 'error'], ['rule frob', 'error'],
];

describe.skipIf(!isRoot)('nlrx rule: every read-only form of ip rule, against ip (real kernel)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ruleforms');
    ns.batch([
      'link add v0 type veth peer name v1',
      'rule add from 10.0.0.0/8 to 192.168.0.0/16 table 100 pref 100',
      'rule add not from 10.1.0.0/16 lookup 101 pref 101',
      'rule add fwmark 0x10/0xff table 102 pref 102',
      'rule add iif v0 oif v1 table 103 pref 103 tos 0x10',
      'rule add uidrange 100-200 ipproto tcp sport 1000-2000 dport 80 table 104 pref 104 proto static',
      'rule add pref 105 goto 200',
      'rule add pref 200 table 105 suppress_prefixlength 0',
      'rule add pref 106 tun_id 42 table 106',
      'rule add pref 107 from 10.2.0.1 prohibit',
      'rule add pref 109 fwmark 7 realms 3/4 table 109',
      'rule add pref 110 l3mdev',
      'rule add pref 111 nop',
      'rule add pref 112 blackhole',
    ]);
    ns.ip('-6', 'rule', 'add', 'from', '2001:db8::/32', 'table', '108', 'pref', '108');
  });
  afterAll(() => ns?.remove());

  it.each(FORMS)('nlrx %s: stdout, stderr and exit code as ip', (form, outcome) => {
    const { ip, nlrx } = againstIp(ns, form.split(' '));
    expect(nlrx).toEqual(ip);
    expectOutcome(ip, outcome);
  });

  it('selects with the library filter as ip does: prefix containment, not prefix equality', () => {
    const { nlrx } = againstIp(ns, ['rule', 'show', 'from', '10.0.0.0/4']);
    expect(nlrx.stdout).toBe('100:\tfrom 10.0.0.0/8 to 192.168.0.0/16 lookup 100\n101:\tnot from 10.1.0.0/16 lookup 101\n107:\tfrom 10.2.0.1 prohibit\n');
  });
});
