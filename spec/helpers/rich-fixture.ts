/**
 * A rich rtnetlink fixture for oracle specs: two throw-away namespaces, veth
 * pairs (one with its peer in the other namespace, so `link_netnsid` shows),
 * a bridge with a port, IPv4 and IPv6 addresses (secondary, label, peer,
 * broadcast, metric, nodad, noprefixroute) and neighbours in several stable
 * states of both families. IPv6 DAD is off, so nothing stays tentative.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createNetns, type Netns } from './netns.js';

export interface RichFixture {
  /** The namespace every object lives in. */
  readonly ns: Netns;
  /** The namespace holding the far end of veth `vx`. */
  readonly peer: Netns;
  remove(): void;
}

/**
 * buildRichFixture creates the namespaces and everything in them; call
 * `remove()` in afterAll.
 *
 * @example
 * const fx = buildRichFixture('link');
 * afterAll(() => fx.remove());
 */
export function buildRichFixture(tag = 'rich'): RichFixture {
  const ns = createNetns(tag);
  const peer = createNetns(`${tag}p`);
  try {
    // Before any device exists, so link-local addresses never go tentative.
    ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0');
    ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.default.accept_dad=0');
    ns.batch([
      'link add va type veth peer name vb',
      'link add vc type veth peer name vd',
      `link add vx type veth peer name vy netns ${peer.name}`,
      'link add br0 type bridge',
      'link set vc master br0',
      'link set va up',
      'link set vb up',
      'link set vc up',
      'link set br0 up',
      'link set vx up',
      'link set vb mtu 1400',
      'addr add 192.0.2.1/24 brd + dev va',
      'addr add 192.0.2.2/24 dev va label va:sec',
      'addr add 2001:db8::1/64 dev va nodad',
      'addr add 198.51.100.1 peer 198.51.100.2/32 dev vb',
      'addr add 10.9.0.1/16 dev br0 metric 100',
      'addr add 2001:db8:1::1/64 dev br0 nodad noprefixroute',
      'neigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev va nud permanent',
      'neigh add 192.0.2.11 lladdr 02:00:00:00:00:0b dev va nud stale',
      'neigh add 192.0.2.12 lladdr 02:00:00:00:00:0c dev va nud noarp',
      'neigh add 192.0.2.13 lladdr 02:00:00:00:00:0d dev va nud stale router',
      'neigh add 2001:db8::10 lladdr 02:00:00:00:01:10 dev va nud permanent',
      'neigh add 2001:db8::11 lladdr 02:00:00:00:01:11 dev va nud stale router',
      'neigh add 10.9.0.5 lladdr 02:00:00:00:00:05 dev br0 nud permanent',
    ]);
  } catch (error) {
    ns.remove();
    peer.remove();
    throw error;
  }
  return {
    ns,
    peer,
    remove() {
      ns.remove();
      peer.remove();
    },
  };
}

/** What a `node dist/cli/main.js …` run printed and returned. */
export interface CliRun {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * runNlrx runs the built CLI (`npm run build:ts` first) with `args`.
 *
 * @example
 * runNlrx(['-n', ns.name, '-j', 'link', 'show']).stdout;
 */
export function runNlrx(args: readonly string[]): CliRun {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)), ...args], {
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/**
 * sameAsIp runs `nlrx -n NS ARGS` and `ip -n NS ARGS` until both print the
 * same (counters and IPv6 multicast entries move while links settle), at
 * most `attempts` times, and returns the last pair for the caller to assert.
 *
 * @example
 * const { nlrx, ip } = sameAsIp(ns, ['-j', 'link', 'show']);
 * expect(JSON.parse(nlrx)).toEqual(JSON.parse(ip));
 */
export function sameAsIp(ns: Netns, args: readonly string[], attempts = 10): { nlrx: string; ip: string } {
  let nlrx = '';
  let ip = '';
  for (let i = 0; i < attempts; i++) {
    nlrx = runNlrx(['-n', ns.name, ...args]).stdout;
    ip = spawnSync('ip', ['-n', ns.name, ...args], { encoding: 'utf8' }).stdout;
    if (nlrx === ip) break;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  }
  return { nlrx, ip };
}
