/**
 * A routing fixture for oracle specs: a throw-away namespace with two veth
 * pairs, IPv4 and IPv6 addresses, routes of every common shape (gateways,
 * metrics, src, onlink, blackhole / unreachable / prohibit, tables main,
 * 100 and 1000, multipath, IPv6 with pref), nexthop objects and groups (one
 * used by a route through nhid) and policy rules of several kinds.
 */
import { createNetns, type Netns } from './netns.js';

/**
 * createRouteFixture builds the namespace; remove it with `ns.remove()`.
 *
 * @example
 * const ns = createRouteFixture();
 * afterAll(() => ns.remove());
 */
export function createRouteFixture(tag = 'route'): Netns {
  const ns = createNetns(tag);
  try {
    ns.batch([
      'link add v0 type veth peer name v1',
      'link add w0 type veth peer name w1',
      'link set v0 up', 'link set v1 up', 'link set w0 up', 'link set w1 up',
      'addr add 10.1.0.1/24 dev v0',
      'addr add 10.2.0.1/24 dev w0',
      'addr add 10.2.0.9/24 dev w0',
      'addr add 2001:db8:1::1/64 dev v0 nodad',
      'addr add 2001:db8:2::1/64 dev w0 nodad',
      'route add default via 10.1.0.254',
      'route add 10.9.0.0/16 via 10.1.0.2 mtu 1400 advmss 1300 metric 5 proto static',
      'route add 10.10.0.0/16 via 10.2.0.2 src 10.2.0.9 hoplimit 32 initcwnd 10 proto 99',
      'route add 10.11.0.0/16 via 192.0.2.1 dev v0 onlink',
      'route add 10.12.0.0/16 dev w0 mtu lock 1280 scope link',
      'route add blackhole 10.8.0.0/16',
      'route add unreachable 10.13.0.0/16 metric 7',
      'route add prohibit 10.14.0.0/16',
      'route add 10.5.0.0/16 nexthop via 10.1.0.2 weight 2 nexthop via 10.2.0.2 dev w0 onlink',
      'route add 10.7.0.0/16 table 1000 dev v0 src 10.1.0.1',
      'route add 10.7.1.0/24 table 1000 via 10.2.0.3',
      'route add default table 100 via 10.2.0.254 proto static',
      'route add blackhole 10.15.0.0/16 table 100',
      'route add 192.0.2.0/24 via inet6 2001:db8:1::99 dev v0',
      'route add 2001:db8:5::/64 via 2001:db8:1::2 pref high',
      'route add 2001:db8:6::/64 via 2001:db8:2::2 pref low metric 300 mtu 1300',
      'route add 2001:db8:7::/64 dev w0 table 100',
      'route add unreachable 2001:db8:8::/64',
      'route add 2001:db8:9::/64 nexthop via 2001:db8:1::2 dev v0 nexthop via 2001:db8:2::2 dev w0',
      'nexthop add id 1 via 10.1.0.2 dev v0',
      'nexthop add id 2 blackhole',
      'nexthop add id 3 via 10.2.0.3 dev w0',
      'nexthop add id 4 via 2001:db8:1::3 dev v0',
      'nexthop add id 5 dev w0 proto static',
      'nexthop add id 10 group 1,3/3',
      'nexthop add id 11 group 1/3 proto 99',
      'route add 10.6.0.0/16 nhid 10',
      'route add 10.6.1.0/24 nhid 1',
      'rule add from 10.0.0.0/8 table 1000 pref 100',
      'rule add to 172.16.0.0/12 iif v0 table 100 pref 110',
      'rule add fwmark 0x10/0xff ipproto udp dport 53-60 uidrange 100-200 prohibit pref 200',
      'rule add not from 192.0.2.0/24 sport 1000 blackhole pref 210',
      'rule add oif w0 lookup main suppress_prefixlength 0 pref 220',
      'rule add from all goto 32766 pref 230',
      'rule add tos 0x10 table 100 pref 240 proto static',
      'rule add fwmark 0x20 unreachable pref 250',
    ]);
    ns.ip('-6', 'rule', 'add', 'from', '2001:db8::/32', 'table', '100', 'pref', '300');
    ns.ip('-6', 'rule', 'add', 'to', '2001:db8:5::/48', 'prohibit', 'pref', '310');
    // Link-local addresses (and their local routes) appear when DAD ends: wait,
    // so that ip and the code under test see the same tables.
    const deadline = Date.now() + 10_000;
    while (ns.ip('-6', 'addr', 'show', 'tentative').trim() !== '' && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  } catch (error) {
    ns.remove();
    throw error;
  }
  return ns;
}
