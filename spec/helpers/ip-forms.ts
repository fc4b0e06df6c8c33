/**
 * Table-driven comparison of `nlrx` with `ip` for the link and address
 * forms: a fixture with every link kind this kernel can make (veth, bridge
 * and port, vxlan over IPv4 and IPv6 and multicast, macvlan), a veth whose
 * peer moved to another namespace (its IFLA_LINK names an index that is not
 * here), links down, a device group, and addresses of each kind the address
 * selectors tell apart (secondary, labelled, peer, deprecated, dynamic,
 * nodad, noprefixroute, scopes host/link/global).
 */
import { expect, it } from 'vitest';
import { againstIp, type CommandResult } from './ip-oracle.js';
import { createNetns, type Netns } from './netns.js';

export interface FormsFixture {
  readonly ns: Netns;
  readonly peer: Netns;
  remove(): void;
}

/**
 * buildFormsFixture creates the namespaces and what the forms need.
 *
 * @example
 * const fx = buildFormsFixture('lforms');
 * afterAll(() => fx.remove());
 */
export function buildFormsFixture(tag: string): FormsFixture {
  const ns = createNetns(tag);
  const peer = createNetns(`${tag}p`);
  try {
    // Before any device exists, so no address stays tentative.
    ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0');
    ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.default.accept_dad=0');
    ns.batch([
      'link add va type veth peer name vb',
      'link add vc type veth peer name vd',
      'link add br0 type bridge',
      'link set vc master br0',
      'link add xa type veth peer name xb',
      'link add vo type veth peer name vp',
      // vp leaves with its ifindex: vo's IFLA_LINK then names an index no link here has.
      `link set vp netns ${peer.name}`,
      'link add vx0 type vxlan id 42 remote 10.0.0.2 local 192.0.2.1 dev va dstport 4789',
      'link add vx1 type vxlan id 43 group 239.1.1.1 dev va dstport 4790 ttl 10 nolearning ageing 120',
      'link add vx6 type vxlan id 44 remote 2001:db8::2 local 2001:db8::1 dstport 4791 noudpcsum',
      'link add mv0 link vb type macvlan mode bridge',
      'link add mv1 link vb type macvlan mode private',
      'link set vb group 5',
      'link set vb mtu 1400',
      ...['va', 'vb', 'vc', 'br0', 'vo', 'vx0', 'vx1', 'mv0'].map((d) => `link set ${d} up`),
      'addr add 192.0.2.1/24 brd + dev va',
      'addr add 192.0.2.2/24 dev va label va:sec',
      'addr add 192.0.2.60/24 dev va label va:old valid_lft 4000 preferred_lft 0',
      'addr add 2001:db8::1/64 dev va nodad',
      'addr add 198.51.100.1 peer 198.51.100.2/32 dev vb',
      'addr add 10.9.0.1/16 dev br0',
      'addr add 2001:db8:1::1/64 dev br0 nodad noprefixroute',
      'addr add 2001:db8:9::1/64 dev vo nodad',
      'addr add 10.1.1.1/8 dev xa scope host',
    ]);
    peer.ip('link', 'set', 'dev', 'vp', 'up');
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

/**
 * The bridge's timers run (gc_timer counts down, a port's forward delay
 * timer while it starts): two runs a moment apart differ there only.
 */
function stillTimers(text: string): string {
  return text.replace(/(_timer\s+)\d+\.\d\d/g, '$1T').replace(/("\w+_timer": ?)\d+\.\d\d/g, '$1T');
}

/**
 * sameFormAsIp is `againstIp` with the bridge timers masked and more
 * attempts (counters and lifetimes move in this fixture).
 *
 * @example
 * const { nlrx, ip } = sameFormAsIp(fx.ns, ['-br', 'link']);
 * expect(nlrx).toEqual(ip);
 */
export function sameFormAsIp(ns: Netns, args: readonly string[], attempts = 10): { nlrx: CommandResult; ip: CommandResult } {
  return againstIp(ns, args, stillTimers, attempts);
}

/** A forms spec's rows, by what ip does with them: prints lines, prints nothing, refuses. */
export interface FormTables {
  readonly printing: readonly (readonly string[])[];
  readonly silent: readonly (readonly string[])[];
  readonly failing: readonly (readonly string[])[];
}

/**
 * itFormTables adds one test a row, each comparing nlrx with ip in the
 * fixture `fixture()` returns (made in `beforeAll`) and checking what the
 * row's table promises of ip: exit 0 and some output; no output; a non-zero
 * exit and a message.
 *
 * @example
 * itFormTables(() => fx, { printing: [['link']], silent: [['-f', 'mpls', 'link']], failing: [['link', 'foo']] });
 */
export function itFormTables(fixture: () => FormsFixture, tables: FormTables): void {
  const rows = (table: readonly (readonly string[])[]) => table.map((args) => [args.join(' '), args] as const);
  it.each(rows(tables.printing))('ip %s', (_: string, args: readonly string[]) => {
    const { nlrx, ip } = sameFormAsIp(fixture().ns, args);
    expect(nlrx).toEqual(ip);
    expect(nlrx.status).toBe(0);
    expect(nlrx.stdout).not.toBe('');
  });
  it.each(rows(tables.silent))('ip %s (prints nothing)', (_: string, args: readonly string[]) => {
    const { nlrx, ip } = sameFormAsIp(fixture().ns, args);
    expect(nlrx).toEqual(ip);
    expect(nlrx.stdout).toBe('');
  });
  it.each(rows(tables.failing))('ip %s (fails)', (_: string, args: readonly string[]) => {
    const { nlrx, ip } = sameFormAsIp(fixture().ns, args);
    expect(nlrx).toEqual(ip);
    expect(nlrx.status).not.toBe(0);
    expect(nlrx.stderr).not.toBe('');
  });
}
