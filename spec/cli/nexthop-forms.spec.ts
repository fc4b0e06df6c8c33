/**
 * Every read-only form of `ip nexthop` (iproute2 6.1) against ip itself:
 * stdout, stderr and exit code, one row per command line, on a fixture with
 * gateways, a blackhole, an IPv6 nexthop, fdb nexthops, a nexthop on a
 * bridge port, a weighted group, an fdb group and a resilient group (whose buckets
 * `nexthop bucket` lists).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { againstIp, expectOutcome, type FormOutcome } from '../helpers/ip-oracle.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

// Buckets' idle_time counts from their last use: it ticks between the two runs.
const idle = (text: string) => text.replace(/("?idle_time"?:? ?)[0-9.e+-]+/g, '$1T');

const FORMS: readonly (readonly [string, FormOutcome])[] = [
  // show and its abbreviations, in every output form
  ['nexthop', 'lines'], ['nexthop show', 'lines'], ['nexthop list', 'lines'], ['nexthop lst', 'lines'],
  ['nexthop s', 'lines'], ['nexthop sh', 'lines'], ['nexthop l', 'lines'], ['nexthop ls', 'lines'],
  ['-j nexthop show', 'lines'], ['-j -p nexthop show', 'lines'], ['-d nexthop show', 'lines'],
  ['-d -j nexthop show', 'lines'], ['-s nexthop show', 'lines'], ['-o nexthop show', 'lines'],
  ['-4 nexthop show', 'lines'], ['-6 nexthop show', 'lines'], ['-6 -j nexthop show', 'lines'], ['-c nexthop show', 'lines'], ['-c nexthop bucket show', 'lines'],
  ['-f inet nexthop show', 'lines'], ['-0 nexthop show', 'empty'], ['-B nexthop show', 'empty'], ['-0 nexthop show id 1', 'lines'],
  ['-0 nexthop bucket show', 'empty'],
  // selectors
  ['nexthop show dev v0', 'lines'], ['nexthop show d v0', 'lines'], ['-j nexthop show dev v0', 'lines'],
  ['nexthop show groups', 'lines'], ['nexthop show g', 'lines'], ['-j nexthop show groups', 'lines'],
  ['nexthop show fdb', 'lines'], ['nexthop show groups fdb', 'lines'], ['nexthop show master br0', 'lines'],
  ['nexthop show m br0', 'lines'], ['nexthop show master v0', 'empty'], ['nexthop show proto 4', 'lines'],
  ['nexthop show protocol 0', 'lines'], ['nexthop show p 4', 'lines'], ['nexthop show proto 99', 'empty'],
  ['nexthop show dev v0 proto 4', 'lines'],
  // id: a lookup that ignores the other selectors
  ['nexthop show id 1', 'lines'], ['nexthop show id 10', 'lines'], ['-j nexthop show id 10', 'lines'],
  ['-j -p nexthop show id 10', 'lines'], ['-d nexthop show id 10', 'lines'], ['nexthop show id 11', 'lines'], ['-j nexthop show id 9', 'lines'],
  ['nexthop show id 1 dev nosuch', 'lines'], ['nexthop show dev v0 id 3', 'lines'], ['nexthop show id 0x1', 'lines'],
  ['nexthop get id 2', 'lines'], ['-j nexthop get id 10', 'lines'], ['nexthop g id 1', 'lines'],
  // buckets of the resilient group
  ['nexthop bucket', 'lines'], ['nexthop bucket show', 'lines'], ['nexthop bucket list', 'lines'],
  ['nexthop bucket s', 'lines'], ['nexthop bucket lst', 'lines'], ['-j nexthop bucket show', 'lines'],
  ['-j -p nexthop bucket show id 10', 'lines'], ['nexthop bucket show id 10', 'lines'],
  ['nexthop bucket show nhid 1', 'lines'], ['nexthop bucket show id 10 nhid 2', 'lines'],
  ['nexthop bucket show dev v0', 'lines'], ['nexthop bucket show master br0', 'empty'],
  ['nexthop bucket show nhid 99', 'empty'], ['-4 nexthop bucket show', 'lines'], ['-6 nexthop bucket show', 'empty'],
  ['nexthop bucket get id 10 index 3', 'lines'], ['-j nexthop bucket get id 10 index 0', 'lines'],
  // errors: the kernel's, and ip's own
  ['nexthop show id 99', 'error'], ['nexthop get id 99', 'error'], ['nexthop show id 0', 'error'],
  ['nexthop show dev v0 id 99', 'error'], ['nexthop show id abc', 'error'], ['nexthop show id', 'error'],
  ['nexthop show dev nosuch', 'error'], ['nexthop show dev', 'error'], ['nexthop show master nosuch', 'error'],
  ['nexthop show vrf v0', 'error'], ['nexthop show proto static', 'error'], ['nexthop show bogus', 'error'],
  ['nexthop get id', 'error'], ['nexthop bucket show id 99', 'error'], ['nexthop bucket show id 11', 'error'],
  ['nexthop bucket show dev nosuch', 'error'], ['nexthop bucket show bogus', 'error'],
  ['nexthop bucket get id 10 index 99', 'error'], ['nexthop bucket get id 99 index 0', 'error'],
  ['nexthop bucket get id 10 index x', 'error'], ['nexthop bucket frob', 'error'],
];

describe.skipIf(!isRoot)('nlrx nexthop: every read-only form of ip nexthop, against ip (real kernel)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('nhforms');
    ns.batch([
      'link add v0 type veth peer name v1',
      'link add br0 type bridge',
      'link set v1 master br0',
      'link set v0 up', 'link set v1 up', 'link set br0 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.2.0.1/24 dev br0',
      'addr add 2001:db8:1::1/64 dev v0 nodad',
      'nexthop add id 1 via 10.1.0.2 dev v0',
      'nexthop add id 2 via 10.1.0.3 dev v0 proto 4',
      'nexthop add id 3 blackhole',
      'nexthop add id 4 via 2001:db8:1::2 dev v0',
      'nexthop add id 5 via 10.2.0.2 dev br0',
      // A device-only nexthop on a bridge port: what `master br0` selects.
      'nexthop add id 8 dev v1',
      'nexthop add id 9 via 10.9.0.9 dev v0 onlink',
      'nexthop add id 6 via 10.1.0.6 fdb',
      'nexthop add id 7 via 10.1.0.7 fdb',
      'nexthop add id 10 group 1/2 type resilient buckets 8 idle_timer 120 unbalanced_timer 30',
      'nexthop add id 11 group 1,3/2',
      'nexthop add id 12 group 6/7 fdb',
    ]);
  });
  afterAll(() => ns?.remove());

  it.each(FORMS)('nlrx %s: stdout, stderr and exit code as ip', (form, outcome) => {
    const { ip, nlrx } = againstIp(ns, form.split(' '), idle);
    expect(nlrx).toEqual(ip);
    expectOutcome(ip, outcome);
  });

  it('prints a resilient group as ip does, buckets and timers included', () => {
    const { nlrx } = againstIp(ns, ['nexthop', 'show', 'id', '10']);
    expect(nlrx.stdout).toBe('id 10 group 1/2 type resilient buckets 8 idle_timer 120 unbalanced_timer 30 unbalanced_time 0 \n');
    const json = JSON.parse(againstIp(ns, ['-j', 'nexthop', 'show', 'id', '10']).nlrx.stdout) as { resilient_args: unknown }[];
    expect(json[0].resilient_args).toEqual({ buckets: 8, idle_timer: 120, unbalanced_timer: 30, unbalanced_time: 0 });
  });

  it('a missing id is the kernel\'s ENOENT, printed and exited as ip does', () => {
    const { nlrx } = againstIp(ns, ['nexthop', 'show', 'id', '99']);
    expect(nlrx).toEqual({ stdout: '', stderr: 'RTNETLINK answers: No such file or directory\n', status: 2 });
  });
});
