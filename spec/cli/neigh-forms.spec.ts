/**
 * Every read-only `ip neigh show` and `get` form (iproute2 6.1) against ip itself:
 * stdout, stderr and exit code, one row per command line, on a fixture of
 * entries whose state does not move while the spec runs (permanent, stale,
 * noarp, none, proxy; router, extern_learn and a protocol) on a device with a
 * master and on one without.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { againstIp, expectOutcome, type FormOutcome } from '../helpers/ip-oracle.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const FORMS: readonly (readonly [string, FormOutcome])[] = [
  // show and its abbreviations, in every output form
  ['neigh', 'lines'], ['neigh show', 'lines'], ['neigh list', 'lines'], ['neigh lst', 'lines'], ['neigh s', 'lines'],
  ['neigh sh', 'lines'], ['neigh l', 'lines'], ['neigh ls', 'lines'], ['n s', 'lines'], ['nei show', 'lines'],
  ['neighbour show', 'lines'], ['neighbor show', 'lines'], ['-j neigh show', 'lines'], ['-j -p neigh show', 'lines'],
  ['-s neigh show', 'lines'], ['-s -s neigh show', 'lines'], ['-s -j neigh show', 'lines'], ['-br neigh show', 'lines'],
  ['-br -j neigh show', 'lines'], ['-o neigh show', 'lines'], ['-d neigh show', 'lines'], ['-4 neigh show', 'lines'],
  ['-6 neigh show', 'lines'], ['-4 -j neigh show', 'lines'], ['-c neigh show', 'lines'], ['-c -br neigh show', 'lines'],
  ['-color=never neigh show', 'lines'], ['-c -j neigh show', 'lines'], ['-f inet6 neigh show', 'lines'],
  // other families: ip sends them, the kernel answers (a bridge's fdb entries, or nothing)
  ['-B neigh show', 'lines'], ['-B -j neigh show', 'lines'], ['-0 neigh show', 'empty'], ['-M neigh show', 'empty'],
  // selectors
  ['neigh show dev v0', 'lines'], ['-j neigh show dev v0', 'lines'], ['-br neigh show dev v0', 'lines'],
  ['neigh show 10.1.0.2', 'lines'], ['neigh show to 10.1.0.2', 'lines'], ['neigh show to 10.1.0.0/24', 'lines'],
  ['neigh show to 10.1.0.2/31', 'lines'], ['neigh show 2001:db8:1::/64', 'lines'], ['neigh show to all', 'lines'],
  ['neigh show default', 'lines'], ['neigh show to 10.9.0.0/16', 'empty'], ['-6 neigh show to ::/0', 'lines'],
  ['neigh show proxy', 'lines'], ['-j neigh show proxy', 'lines'], ['neigh show nud stale', 'lines'],
  ['neigh show nud permanent', 'lines'], ['neigh show nud perm', 'lines'], ['neigh show nud noarp', 'lines'],
  ['neigh show nud none', 'lines'], ['neigh show nud all', 'lines'], ['neigh show nud 0x4', 'lines'],
  ['neigh show nud failed', 'lines'], ['neigh show nud stale nud permanent', 'lines'], ['neigh show nud reachable', 'lines'],
  ['neigh show master br0', 'lines'], ['neigh show nomaster', 'lines'], ['neigh show master br0 nomaster', 'lines'],
  ['neigh show nomaster master br0', 'lines'], ['neigh show unused', 'lines'], ['neigh show protocol static', 'lines'],
  ['neigh show proto boot', 'empty'], ['neigh show protocol all', 'lines'], ['neigh show dev v0 nud all to 10.1.0.0/24', 'lines'],
  // get: one entry, looked up (ip 6.1 prints its text line even with -j)
  ['neigh get 10.1.0.2 dev v0', 'lines'], ['neigh get to 10.1.0.2 dev v0', 'lines'], ['neigh g 10.1.0.2 dev v0', 'lines'],
  ['-j neigh get 10.1.0.2 dev v0', 'lines'], ['-s neigh get 10.1.0.2 dev v0', 'lines'], ['-br neigh get 10.1.0.3 dev v0', 'lines'],
  ['neigh get 2001:db8:1::3 dev v0', 'lines'], ['neigh get proxy 10.1.0.9 dev v0', 'lines'],
  // errors
  ['neigh get 10.1.0.99 dev v0', 'error'], ['neigh get 10.1.0.2', 'error'], ['neigh get 10.1.0.2 dev nosuch', 'error'],
  ['neigh get 10.1.0.2 10.1.0.3 dev v0', 'error'], ['neigh get 10.1.0.0/24 dev v0', 'error'],
  ['-6 neigh get 10.1.0.2 dev v0', 'error'], ['neigh get all dev v0', 'error'], ['neigh get', 'error'],
  ['neigh show dev nosuch', 'error'], ['neigh show dev', 'error'], ['neigh show dev v0 dev v0', 'error'],
  ['neigh show nud bad', 'error'], ['neigh show nud 3', 'error'], ['neigh show nud', 'error'],
  ['neigh show master nosuch', 'error'], ['neigh show vrf v0', 'error'], ['neigh show proto bad', 'error'],
  ['neigh show router', 'error'], ['neigh show extern_learn', 'error'], ['neigh show to', 'error'],
  ['-4 neigh show 2001:db8:1::/64', 'error'], ['-6 neigh show 10.1.0.0/24', 'error'], ['neigh show 10.1.0.0/33', 'error'],
  ['neigh frob', 'error'],
];

describe.skipIf(!isRoot)('nlrx neigh: every read-only form of ip neigh show, against ip (real kernel)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('neighforms');
    ns.batch([
      'link add v0 type veth peer name v1',
      'link add v2 type veth peer name v3',
      'link add br0 type bridge',
      'link set v2 master br0',
      'link set v0 up', 'link set v1 up', 'link set v2 up', 'link set v3 up', 'link set br0 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.3.0.1/24 dev v2',
      'addr add 2001:db8:1::1/64 dev v0 nodad',
      'neigh add 10.1.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent',
      'neigh add 10.1.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale router',
      'neigh add 10.1.0.4 lladdr 02:00:00:00:00:04 dev v0 nud permanent proto static',
      'neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev v0 nud noarp',
      'neigh add 10.1.0.6 lladdr 02:00:00:00:00:06 dev v0 extern_learn',
      'neigh add 10.1.0.8 dev v0 nud none',
      'neigh add proxy 10.1.0.9 dev v0',
      'neigh add 10.3.0.2 lladdr 02:00:00:00:03:02 dev v2 nud permanent',
      'neigh add 2001:db8:1::2 lladdr 02:00:00:00:00:22 dev v0 nud permanent',
      'neigh add 2001:db8:1::3 lladdr 02:00:00:00:00:23 dev v0 nud stale router',
    ]);
  });
  afterAll(() => ns?.remove());

  it.each(FORMS)('nlrx %s: stdout, stderr and exit code as ip', (form, outcome) => {
    const { ip, nlrx } = againstIp(ns, form.split(' '));
    expect(nlrx).toEqual(ip);
    expectOutcome(ip, outcome);
  });

  it('prints -br columns and -s times as ip does', () => {
    const brief = againstIp(ns, ['-br', 'neigh', 'show', 'to', '10.1.0.2']).nlrx.stdout;
    expect(brief).toBe(`${'10.1.0.2'.padEnd(39)} ${'v0'.padEnd(16)} 02:00:00:00:00:02\n`);
    const stats = againstIp(ns, ['-s', 'neigh', 'show', 'to', '10.1.0.2']).nlrx.stdout;
    expect(stats).toMatch(/^10\.1\.0\.2 dev v0 lladdr 02:00:00:00:00:02 {2}used \d+\/\d+\/\d+probes 0 PERMANENT \n$/);
  });
});
