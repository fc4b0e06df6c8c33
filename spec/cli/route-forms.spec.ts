/**
 * Every read-only form of `ip route` (iproute2 6.1) against `ip` itself, one
 * row per argv: `nlrx -n NS …` must print the same stdout and stderr and exit
 * with the same status as `ip -n NS …`. Two throw-away namespaces: the
 * routing fixture (spec/helpers/route-fixture.ts — tables, multipath, nexthop
 * objects, policy rules, one of which blackholes every IPv4 lookup, so its
 * `route get` rows test the error path), and a small one without rules for
 * `route get` answers, realms and TOS routes.
 *
 * Not covered, and why: `-s route get` prints the cache entry's age and use
 * count, which change between two runs; `route show cache` with entries (this
 * kernel makes no IPv4 PMTU/redirect exception without real traffic — the
 * selection of cached routes is specced on bytes in spec/route/route-get-request);
 * `vrf NAME` and `-M` with MPLS routes (no vrf or mpls here: only their errors
 * are compared); `flush`, `save`, `restore`, `showdump` and the write verbs (not read-only).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';
import { createRouteFixture } from '../helpers/route-fixture.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function run(command: string, args: readonly string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `ip route show` forms on the routing fixture. */
const SHOW: readonly string[][] = [
  // Verbs and abbreviations.
  ['route'], ['route', 'show'], ['route', 'list'], ['route', 'lst'], ['r', 's'], ['ro', 'li'], ['r', 'l', 'table', 'main'],
  ['r', 's', 't', 'all'], ['r', 'sh'], ['r', 'ls'], ['r', 'li', 'tab', 'all'], ['route', 'help'], ['route', 'bogus'],
  // Tables.
  ['route', 'show', 'table', 'all'], ['route', 'show', 'table', '100'], ['route', 'show', 'table', '1000'],
  ['route', 'show', 'table', 'local'], ['route', 'show', 'table', 'default'], ['-6', 'route', 'show', 'table', '100'],
  ['-6', 'route', 'show', 'table', '12345'], ['route', 'show', 'table', 'cache'], ['route', 'show', 'table', 'help'],
  // Families.
  ['-4', 'route', 'show', 'table', 'all'], ['-6', 'route', 'show'], ['-6', 'route', 'show', 'table', 'all'],
  ['-f', 'inet6', 'route', 'show'], ['-0', 'route', 'show'], ['-0', '-j', 'route', 'show'], ['-M', 'route', 'show'],
  ['-B', 'route', 'show'], ['-0', 'route', 'show', 'match', '10.0.0.0/8'], ['-M', 'route', 'show', '10/8'],
  ['-B', 'route', 'show', '10/8'],
  // Prefixes: root, match, exact, to, from, default, all.
  ['route', 'show', 'match', '10.5.1.1'], ['route', 'show', 'to', 'match', '10.6.1.7'], ['route', 'show', 'match', '10.6/16'],
  ['route', 'show', 'root', '10.0.0.0/8'], ['route', 'show', 'root', '10.0.0.0/255.0.0.0'],
  ['route', 'show', 'exact', '10.5.0.0/16'], ['route', 'show', '10.5.0.0/16'], ['route', 'show', '10.1'],
  ['route', 'show', 'exact', 'default'], ['route', 'show', 'root', 'default'], ['route', 'show', 'match', 'default'],
  ['route', 'show', 'match', 'all'], ['route', 'show', 'root', '2001:db8::/32'],
  ['route', 'show', 'table', 'all', 'root', '2001:db8::/32'], ['-6', 'route', 'show', 'match', '2001:db8:5::1'],
  ['route', 'show', 'from', '0/0'], ['route', 'show', 'from', 'root', '0/0'], ['route', 'show', 'from', 'match', '10.0.0.0/8'],
  // Gateways, sources, devices.
  ['route', 'show', 'via', '10.1.0.2'], ['route', 'show', 'via', '10.1.0.0/16'], ['route', 'show', 'via', 'inet6', '2001:db8:1::99'],
  ['-j', 'route', 'show', 'via', '10.1.0.2'], ['route', 'show', 'src', '10.2.0.9'], ['route', 'show', 'src', '10.1.0.1'],
  ['route', 'show', 'table', 'all', 'src', '10.1.0.0/16'], ['route', 'show', 'table', 'all', 'src', '10.1.0.1'],
  ['route', 'show', 'dev', 'v0'], ['route', 'show', 'oif', 'w0'], ['route', 'show', 'table', 'all', 'dev', 'w0'],
  ['-j', 'route', 'show', 'dev', 'v0'], ['route', 'show', 'iif', 'v0'],
  // Protocol, scope, type, tos, metric, mark, realms, cache.
  ['route', 'show', 'proto', 'kernel'], ['route', 'show', 'protocol', 'static'], ['route', 'show', 'proto', 'all'],
  ['route', 'show', 'proto', 'unspec'], ['route', 'show', 'table', 'all', 'proto', 'kernel'],
  ['route', 'show', 'scope', 'link'], ['route', 'show', 'scope', 'all'], ['route', 'show', 's', 'host', 'table', 'local'],
  ['route', 'show', 'type', 'unreachable'], ['route', 'show', 'table', 'all', 'type', 'local'],
  ['-6', 'route', 'show', 'table', 'all', 'type', 'unreachable'], ['route', 'show', 'type', 'blackhole'],
  ['route', 'show', 'tos', '0'], ['route', 'show', 'tos', '0x10'], ['route', 'show', 'dsfield', '0x10'],
  ['route', 'show', 'metric', '5'], ['route', 'show', 'm', '5'], ['route', 'show', 'priority', '0'],
  ['route', 'show', 'preference', '7'], ['route', 'show', 'mark', '0'], ['route', 'show', 'realms', '0'],
  ['route', 'show', 'realms', '0/'], ['route', 'show', 'realms', '1/2'], ['route', 'show', 'cache'],
  ['route', 'show', 'cloned'], ['route', 'show', 'c'], ['-6', 'route', 'show', 'cache'],
  // Output forms.
  ['-d', 'route', 'show'], ['-d', '-j', 'route', 'show'], ['-d', 'route', 'show', 'table', 'all'],
  ['-d', '-j', '-p', 'route', 'show', 'table', 'all'], ['-s', 'route', 'show'], ['-s', '-s', 'route', 'show'],
  ['-statistics', 'route'], ['-o', 'route', 'show'], ['-o', '-d', 'route', 'show'], ['-o', 'route', 'show', 'table', 'all'],
  ['-o', '-j', 'route', 'show'], ['-br', 'route', 'show'], ['-j', 'route', 'show', 'table', 'all'],
  ['-j', '-p', 'route', 'show', 'table', 'all'], ['-details', '-json', 'route', 'show', 'table', 'all'],
  ['-6', '-d', 'route', 'show'], ['-6', '-j', '-p', 'route', 'show'],
  // Colours: -c alone is always, as in ip (which colours into a pipe too).
  ['-c', 'route', 'show'], ['-c', 'route', 'show', 'table', 'all'], ['-c', '-6', 'route', 'show', 'table', 'all'],
  ['-c', '-d', 'route', 'show'], ['-c', '-o', 'route', 'show'], ['-c', '-j', 'route', 'show'], ['-c=never', 'route', 'show'],
  ['-c', 'route', 'show', 'via', '10.1.0.2'],
  // Errors: ip's text and exit status.
  ['route', 'show', 'dev', 'nope'], ['route', 'show', 'iif', 'nope'], ['route', 'show', 'table', 'bogus'],
  ['route', 'show', 'proto', 'bogus'], ['route', 'show', 'scope', 'bogus'], ['route', 'show', 'type', 'bogus'],
  ['route', 'show', 'tos', 'bogus'], ['route', 'show', 'metric', 'x'], ['route', 'show', 'mark', 'x'],
  ['route', 'show', 'realms', 'x'], ['route', 'show', 'via', 'x'], ['route', 'show', 'src', 'x'],
  ['route', 'show', 'match', 'x'], ['route', 'show', '10.0.0.0/99'], ['route', 'show', 'default/8'],
  ['-6', 'route', 'show', '10.0.0.0/8'], ['-4', 'route', 'show', 'via', '2001:db8::1'], ['route', 'show', 'vrf', 'v0'],
  ['route', 'show', 'table'], ['route', 'show', 'frobnicate'], ['route', 'show', 'pref', '5'], ['route', 'show', 'exact'],
  ['route', 'show', 'help'],
  // A lookup every IPv4 packet meets a blackhole rule for here: ip's error and exit status 2.
  ['route', 'get', '10.9.1.1'], ['-6', 'route', 'get', '2001:db8:5::1'], ['route', 'get', '10.9.1.1', 'from', '192.0.2.5', 'iif', 'v0'],
];

/** `ip route get` forms, and the routes only the second fixture has. */
const GET: readonly string[][] = [
  ['route', 'get', '10.9.1.1'], ['r', 'g', '10.9.1.1'], ['route', 'get', 'to', '10.9.1.1'], ['route', 'get', '127.0.0.1'],
  ['route', 'get', '10.1.0.1'], ['route', 'get', '10.1.0.7', 'from', '10.1.0.1'], ['route', 'get', '10.9.1.1', 'oif', 'v0'],
  ['route', 'get', '10.9.1.1', 'dev', 'v0'], ['route', 'get', '10.1.0.1', 'iif', 'lo'],
  ['route', 'get', '10.9.1.1', 'from', '10.1.0.1', 'iif', 'v0'], ['route', 'get', '10.20.0.1', 'mark', '7'],
  ['route', 'get', '10.9.1.1', 'ipproto', 'udp', 'sport', '5', 'dport', '53', 'uid', '5', 'tos', '0x10'],
  ['route', 'get', 'fibmatch', '10.9.1.1'], ['route', 'get', 'to', '10.9.1.1', 'from', '10.1.0.1', 'fibmatch'],
  ['route', 'get', '10.9.1.1', 'connected'], ['route', 'get', '10.1.0.7', 'connected'], 
  // RTM_F_NOTIFY marks the nexthop's cached route (per CPU) for good: a route no other row looks up.
  ['route', 'get', '10.32.1.1', 'notify'],
  ['route', 'get', '10.0.0.0/8'], ['route', 'get', '10.30.1.1'], ['route', 'get', '10.31.1.1', 'tos', '0x10'],
  ['-6', 'route', 'get', '2001:db8:5::1'], ['-6', 'route', 'get', '::1'], ['route', 'get', '2001:db8:5::1'],
  ['-d', 'route', 'get', '10.9.1.1'], ['-o', 'route', 'get', '10.9.1.1'], ['-o', 'route', 'get', '127.0.0.1'],
  ['-j', 'route', 'get', '10.9.1.1'], ['-j', 'route', 'get', '127.0.0.1'], ['-j', '-p', 'route', 'get', '10.1.0.1'],
  ['-j', 'route', 'get', 'fibmatch', '10.9.1.1'], ['-j', 'route', 'get', '10.9.1.1', 'connected'],
  ['-j', '-p', 'route', 'get', '10.9.1.1', 'connected'], ['-6', '-j', 'route', 'get', '::1'],
  ['-c', 'route', 'get', '10.9.1.1'], ['-c', 'route', 'get', '127.0.0.1'], ['-c', '-6', 'route', 'get', '::1'],
  // Unreachable destinations and bad arguments.
  ['route', 'get', '10.8.0.1'], ['route', 'get', '10.13.0.1'], ['route', 'get', '10.14.0.1'],
  ['route', 'get', '2001:db8:8::1'], ['route', 'get', '10.9.1.1', 'iif', 'v0', 'from', '10.1.0.9'],
  ['route', 'get'], ['route', 'get', 'x'], ['route', 'get', '10.9.1.1', '2001:db8::1'],
  ['-4', 'route', 'get', '2001:db8::1'], ['-0', 'route', 'get', '10.1.1.1'], ['-M', 'route', 'get', '10.1.1.1'],
  ['route', 'get', '10.1.0.5', 'oif', 'nope'], ['route', 'get', '10.1.0.5', 'iif', 'nope'],
  ['route', 'get', '10.9.1.1', 'vrf', 'v0'], ['route', 'get', '10.9.1.1', 'sport', 'x'],
  ['route', 'get', '10.9.1.1', 'ipproto', 'bogus'], ['route', 'get', '10.9.1.1', 'uid', 'x'],
  ['route', 'get', '10.9.1.1', 'mark', 'x'], ['route', 'get', '10.9.1.1', 'tos', 'x'], ['route', 'get', '10.9.1.1', 'from'],
  ['route', 'get', 'help'], ['route', 'get', '10.9.1.1', 'as', '10.1.1.1'], ['-6', 'route', 'get', '2001:db8:5::1', 'as', '2001:db8::9'],
  ['route', 'get', '10.9.1.1', 'as', 'to', 'x'], ['route', 'get', '10.9.1.1', 'as'], ['route', 'get', '10.9.1.1', 'dev'],
  // Realms and TOS routes, which the routing fixture lacks.
  ['route', 'show', 'realms', '1/2'], ['route', 'show', 'realms', '2'], ['route', 'show', 'realms', '1/'],
  ['-j', 'route', 'show', 'realms', '1/2'], ['route', 'show', 'tos', '0x10'], ['-j', 'route', 'show'], ['route', 'show'],
  ['-d', 'route', 'show', 'table', 'all'],
];

/** Rows whose ip output must not be empty, so that the comparison means something. */
const ANSWERED = [['route', 'get', '10.9.1.1'], ['route', 'get', '10.30.1.1'], ['route', 'show', 'realms', '1/2'],
  ['route', 'show', 'tos', '0x10'], ['route', 'get', 'fibmatch', '10.9.1.1']];

describe.skipIf(!isRoot)('nlrx route: every read-only form prints and fails as ip does (real kernel)', () => {
  let routes: Netns;
  let lookups: Netns;

  beforeAll(() => {
    routes = createRouteFixture('rforms');
    lookups = createNetns('rget');
    try {
      lookups.batch([
        'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up',
        'addr add 10.1.0.1/24 dev v0', 'addr add 2001:db8:1::1/64 dev v0 nodad',
        'route add default via 10.1.0.254',
        'route add 10.9.0.0/16 via 10.1.0.2 mtu 1400 metric 5 proto static',
        'route add blackhole 10.8.0.0/16', 'route add unreachable 10.13.0.0/16', 'route add prohibit 10.14.0.0/16',
        'route add 10.20.0.0/16 via 10.1.0.3 table 100',
        'route add 10.30.0.0/16 via 10.1.0.2 realms 1/2', 'route add 10.32.0.0/16 via 10.1.0.2 realm 2',
        'route add 10.31.0.0/16 tos 0x10 via 10.1.0.3',
        'route add 2001:db8:5::/64 via 2001:db8:1::2', 'route add unreachable 2001:db8:8::/64',
        'rule add fwmark 7 table 100 pref 100',
      ]);
    } catch (error) {
      lookups.remove();
      throw error;
    }
  });
  afterAll(() => {
    routes?.remove();
    lookups?.remove();
  });

  const compare = (ns: Netns, argv: readonly string[]) => {
    const theirs = run('ip', ['-n', ns.name, ...argv]);
    const ours = run(process.execPath, [MAIN, '-n', ns.name, ...argv]);
    expect({ stdout: ours.stdout, stderr: ours.stderr, status: ours.status })
      .toEqual({ stdout: theirs.stdout, stderr: theirs.stderr, status: theirs.status });
  };

  it.each(SHOW.map((argv) => [argv.join(' '), argv]))('routing fixture: %s', (_name, argv) => compare(routes, argv));

  it.each(GET.map((argv) => [argv.join(' '), argv]))('lookup fixture: %s', (_name, argv) => compare(lookups, argv));

  it('the fixtures answer: the compared forms print routes, not only nothing', () => {
    for (const argv of ANSWERED) {
      const theirs = run('ip', ['-n', lookups.name, ...argv]);
      expect(theirs.status, argv.join(' ')).toBe(0);
      expect(theirs.stdout.length, argv.join(' ')).toBeGreaterThan(0);
    }
    const details = run('ip', ['-n', routes.name, '-d', 'route', 'show']).stdout;
    expect(details).toContain('nh_info id 10 group');
  });
});
