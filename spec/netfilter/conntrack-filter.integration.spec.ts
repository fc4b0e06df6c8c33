/**
 * Kernel-side conntrack filters on the real kernel: for each filter, the
 * entries the kernel returns for the filtered request (nothing applied in
 * JavaScript) are exactly those `matchConntrack` picks from the whole table —
 * so the kernel did the filtering (CTA_FILTER of the original tuple, status
 * with its mask, mark, zone), and `conntrack(filter)`, which applies the
 * filter again, gives the same entries. IPv6 addresses are the exception:
 * the kernel's IPv6 address comparison is inverted (see conntrack-decode.ts),
 * so they are not sent; the kernel then narrows by family only.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conntrack, conntrackRequest, CONNTRACK_NEW_TYPE, decodeConntrack, matchConntrack, type Conntrack, type ConntrackFilter,
} from '../../lib/netfilter/conntrack.js';
import { IPS_ASSURED, IPS_SEEN_REPLY } from '../../lib/netfilter/netfilter-constants.js';
import { dumpObjects } from '../../lib/rx/dump-objects.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const FILTERS: readonly ConntrackFilter[] = [
  { family: 'inet', src: '10.0.1.2' },
  { family: 'inet', dst: '10.0.0.3' },
  { family: 'inet', proto: 6 },
  { family: 'inet', proto: 6, dport: 22 },
  { family: 'inet', proto: 6, sport: 93 },
  { family: 'inet', proto: 17, src: '10.0.0.1', dport: 5353 },
  { status: IPS_ASSURED },
  { status: IPS_SEEN_REPLY, statusMask: IPS_SEEN_REPLY | IPS_ASSURED },
  { mark: 3 },
  { zone: 3 },
];

describe.skipIf(!isRoot)('conntrack filters in the kernel', () => {
  let ns: Netns;
  let all: Conntrack[];
  const ids = (entries: readonly Conntrack[]) => entries.map((e) => e.id).sort((a, b) => (a ?? 0) - (b ?? 0));

  beforeAll(async () => {
    ns = createNetns('ct-filter');
    const insert = (...args: string[]) => ns.exec('conntrack', '-I', ...args);
    for (let i = 1; i <= 5; i++) {
      insert('-p', 'tcp', '-s', `10.0.1.${i}`, '-d', '10.0.0.2', '--sport', `9${i}`, '--dport', '80', '--state', 'ESTABLISHED',
        '-t', '3000', '-u', i % 2 ? 'SEEN_REPLY,ASSURED' : 'SEEN_REPLY', '-m', String(i));
    }
    insert('-p', 'tcp', '-s', '10.0.2.1', '-d', '10.0.0.2', '--sport', '1000', '--dport', '22', '--state', 'TIME_WAIT',
      '-t', '3000', '-w', '3');
    insert('-p', 'udp', '-s', '10.0.0.1', '-d', '10.0.0.3', '--sport', '53', '--dport', '5353', '-t', '3000');
    insert('-p', 'udp', '-s', '10.0.0.1', '-d', '10.0.0.3', '--sport', '53', '--dport', '53', '-t', '3000');
    insert('-p', 'tcp', '-s', '2001:db8::1', '-d', '2001:db8::2', '--sport', '1', '--dport', '2', '--state', 'SYN_SENT', '-t', '3000');
    insert('-p', 'tcp', '-s', '2001:db8::7', '-d', '2001:db8::2', '--sport', '1', '--dport', '2', '--state', 'SYN_SENT', '-t', '3000');
    all = await lastValueFrom(conntrack({}, { netns: ns.name }).pipe(toArray()));
  });
  afterAll(() => ns?.remove());

  it('has the table the spec made', () => {
    expect(all).toHaveLength(10);
  });

  it.each(FILTERS.map((f) => [JSON.stringify(f), f]))('%s: the kernel returns exactly the matching entries', async (_, filter) => {
    const expected = all.filter((e) => matchConntrack(e, filter));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    const raw = await lastValueFrom(dumpObjects(conntrackRequest(filter),
      (msg) => (msg.type === CONNTRACK_NEW_TYPE ? decodeConntrack(msg) : undefined), { netns: ns.name }).pipe(toArray()));
    expect(ids(raw)).toEqual(ids(expected));
    const typed = await lastValueFrom(conntrack(filter, { netns: ns.name }).pipe(toArray()));
    expect(ids(typed)).toEqual(ids(expected));
  });

  it('an IPv6 address is matched in JavaScript: the request carries the family only, the result the one entry', async () => {
    const filter: ConntrackFilter = { family: 'inet6', src: '2001:db8:0::1' };
    const raw = await lastValueFrom(dumpObjects(conntrackRequest(filter),
      (msg) => (msg.type === CONNTRACK_NEW_TYPE ? decodeConntrack(msg) : undefined), { netns: ns.name }).pipe(toArray()));
    expect(ids(raw)).toEqual(ids(all.filter((e) => e.family === 10)));
    const typed = await lastValueFrom(conntrack(filter, { netns: ns.name }).pipe(toArray()));
    expect(typed.map((e) => e.orig?.src)).toEqual(['2001:db8::1']);
  });
});
