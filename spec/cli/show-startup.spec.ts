/**
 * `nlrx link show`, `nlrx addr show`, `nlrx neigh show`, `nlrx rule show` and
 * `nlrx nexthop show` start fast for the reason `nlrx route show` does: they
 * run their dumps with forEachDumpBatch over the RxJS-free decoders
 * (link-decode, address-decode, neighbor-decode, rule-decode, nexthop-decode).
 * This spec checks what each process loaded, on every path a command takes
 * (a second, kernel-filtered dump; IPv6's link dump; a device filter) — a
 * fact, not a timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { probe, rxjsModules } from './startup-probe.js';

/** The Observable modules and the layers above them, none of which a show command needs. */
const HEAVY = /\/dist\/(index|live|ui)\b|\/dist\/route\/(link|address|neighbor|rule|nexthop|rtnetlink|index)\.js$|\/dist\/rx\/(dump|dump-batches|index)\.js$/;

describe.skipIf(!isRoot)('nlrx link / addr / neigh / rule / nexthop show: start-up', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('showstart');
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'set', 'v0', 'up');
    ns.ip('addr', 'add', '10.9.0.1/24', 'dev', 'v0');
    ns.ip('addr', 'add', 'fd00:9::1/64', 'dev', 'v0', 'nodad');
    ns.ip('neigh', 'add', '10.9.0.2', 'lladdr', '02:00:00:00:09:02', 'dev', 'v0', 'nud', 'permanent');
    ns.ip('rule', 'add', 'from', '10.9.0.0/24', 'table', '100', 'priority', '100');
    ns.ip('link', 'set', 'v1', 'up'); // a nexthop needs its device's carrier
    ns.ip('nexthop', 'add', 'id', '7', 'via', '10.9.0.2', 'dev', 'v0');
    ns.ip('nexthop', 'add', 'id', '8', 'group', '7');
  });
  afterAll(() => ns?.remove());

  it.each([
    [['link', 'show'], 'v0@v1: <'],
    [['-j', 'link', 'show', 'type', 'veth'], '"ifname":"v1"'],
    [['link', 'show', 'dev', 'v0', 'up'], 'v0@v1: <'],
    [['addr', 'show'], 'inet 10.9.0.1/24 scope global v0'],
    [['-6', 'addr', 'show'], 'inet6 fd00:9::1/64 scope global'],
    [['-j', 'addr', 'show', 'dev', 'v0'], '"local":"10.9.0.1"'],
    [['neigh', 'show'], '10.9.0.2 dev v0 lladdr 02:00:00:00:09:02 PERMANENT'],
    [['-j', 'neigh', 'show', 'dev', 'v0'], '"dst":"10.9.0.2"'],
    [['rule', 'show'], '100:\tfrom 10.9.0.0/24 lookup 100'],
    [['-j', 'rule', 'show', 'table', 'main'], '"table":"main"'],
    [['nexthop', 'show'], 'id 7 via 10.9.0.2 dev v0 scope link'],
    [['-j', 'nexthop', 'show', 'groups'], '"group":[{"id":7}]'],
    [['nexthop', 'show', 'id', '8'], 'id 8 group 7'],
  ])('nlrx %j loads no RxJS and no Observable module', (args, expected) => {
    const run = probe(['-n', ns.name, ...args]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(expected);
    const objects = { link: 'link', addr: 'address', neigh: 'neighbor', rule: 'rule', nexthop: 'nexthop' } as const;
    const command = objects[args.find((a) => a in objects) as keyof typeof objects];
    expect(run.modules.some((m) => m.endsWith(`/dist/cli/commands/${command}.js`))).toBe(true); // the probe sees ES modules
    expect(rxjsModules(run.modules)).toEqual([]);
    expect(run.modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it('fails the device filter cleanly, still without RxJS', () => {
    const run = probe(['-n', ns.name, 'neigh', 'show', 'dev', 'nosuchdev']);
    expect(run.status).toBe(1);
    expect(rxjsModules(run.modules)).toEqual([]);
  });
});
