/**
 * The identity of each kind of live object: the fields the kernel uses to
 * tell two objects apart, so that an RTM_NEW* (or ctnetlink NEW/UPDATE) for
 * an identity that exists is a change and an RTM_DEL* (DESTROY) names the
 * object it removes.
 */
import type { Conntrack } from '../netfilter/conntrack-decode.js';
import type { Socket } from '../sockdiag/socket.js';
import type { Address } from '../route/address.js';
import type { Link } from '../route/link.js';
import type { Neighbor } from '../route/neighbor.js';
import type { Route } from '../route/route.js';
import type { Rule } from '../route/rule.js';
import { AF_BRIDGE, AF_INET } from '../route/constants.js';
import { RTN_ANYCAST, RTN_BROADCAST, RTN_LOCAL, RTN_MULTICAST, RTPROT_KERNEL } from '../route/route-constants.js';

/**
 * linkKey: a link is its ifindex (names change, indexes do not).
 *
 * @example
 * linkKey(link); // '3'
 */
export function linkKey(link: Pick<Link, 'ifindex'>): string {
  return `${link.ifindex}`;
}

/**
 * addressKey: interface, family, local address, prefix length and peer — what
 * inet_del_ifa and inet6_addr_del match on. Two equal addresses on two links
 * are two objects.
 *
 * @example
 * addressKey(addr); // '2|3|10.0.0.1/24|10.0.0.1'
 */
export function addressKey(addr: Pick<Address, 'family' | 'ifindex' | 'local' | 'address' | 'prefixlen'>): string {
  return `${addr.family}|${addr.ifindex}|${addr.local ?? addr.address ?? ''}/${addr.prefixlen}|${addr.address ?? ''}`;
}

/**
 * routeKey: family, table, destination and source prefixes, TOS and metric —
 * fib_find_alias (IPv4) and fib6_add_rt2node (IPv6) identify a route by
 * these; the type and next hops are the route's value, so `ip route replace`
 * is a change of one object. Where the kernel keeps several routes of the
 * same prefix and metric side by side, the output device tells them apart:
 * IPv4 routes the kernel adds for addresses (fib_magic appends local,
 * broadcast and prefix routes, one per device), and IPv6 single-path routes
 * (fe80::/64 exists once per device; ECMP siblings are dumped and notified as
 * one multipath route).
 *
 * @example
 * routeKey(route); // '2|254|10.0.0.0/24|/0|0|0'
 */
export function routeKey(route: Pick<Route, 'family' | 'table' | 'dst' | 'dstLen' | 'src' | 'srcLen' | 'tos' | 'priority' | 'type' | 'oif' | 'protocol' | 'multipath'>): string {
  const base = `${route.family}|${route.table}|${route.dst ?? ''}/${route.dstLen}|${route.src ?? ''}/${route.srcLen}|${route.tos}|${route.priority ?? 0}`;
  const perDevice = route.family === AF_INET
    ? route.protocol === RTPROT_KERNEL || route.type === RTN_LOCAL || route.type === RTN_BROADCAST ||
      route.type === RTN_ANYCAST || route.type === RTN_MULTICAST
    : route.multipath === undefined;
  return perDevice ? `${base}|${route.oif ?? 0}` : base;
}

/**
 * neighborKey: family, interface and protocol address (neigh_lookup); bridge
 * FDB entries (AF_BRIDGE) have no protocol address and are their hardware
 * address and VLAN instead.
 *
 * @example
 * neighborKey(n); // '2|3|10.0.0.2'
 */
export function neighborKey(n: Pick<Neighbor, 'family' | 'ifindex' | 'dst' | 'lladdr' | 'vlan' | 'flags'>): string {
  if (n.family === AF_BRIDGE) return `${n.family}|${n.ifindex}|${n.lladdr ?? ''}|${n.vlan ?? 0}|${n.dst ?? ''}`;
  return `${n.family}|${n.ifindex}|${n.dst ?? ''}|${n.flags & 0x08 ? 'proxy' : ''}`;
}

/**
 * ruleKey: a rule is everything it selects on, its action and its priority —
 * fib_nl_delrule's rule_find compares them all; two rules that differ only in
 * priority are two rules.
 *
 * @example
 * ruleKey(rule); // '2|32766|1|254|…'
 */
export function ruleKey(rule: Rule): string {
  const range = (r: { start: number; end: number } | undefined) => (r ? `${r.start}-${r.end}` : '');
  return [
    rule.family, rule.priority ?? '', rule.action, rule.table, rule.goto ?? '', rule.flags,
    `${rule.src ?? ''}/${rule.srcLen}`, `${rule.dst ?? ''}/${rule.dstLen}`, rule.tos,
    rule.iifname ?? '', rule.oifname ?? '', rule.fwmark ?? '', rule.fwmask ?? '', rule.flow ?? '',
    rule.tunId ?? '', rule.suppressIfgroup ?? '', rule.suppressPrefixlen ?? '', rule.l3mdev ?? '',
    range(rule.uidRange), rule.ipProto ?? '', range(rule.sportRange), range(rule.dportRange),
  ].join('|');
}

/**
 * nexthopKey: a nexthop object is its id.
 *
 * @example
 * nexthopKey({ id: 7 }); // '7'
 */
export function nexthopKey(nh: { readonly id?: number }): string {
  return `${nh.id ?? 0}`;
}

/**
 * conntrackKey: an entry is its conntrack id and its original tuple and
 * zone. The tuple and zone are what the kernel's table is keyed by; the id
 * tells a connection from a later one of the same tuple. Neither alone will
 * do: the id is a 32-bit hash (nf_ct_get_id), so a table of 100k entries
 * holds about one pair of entries sharing one.
 *
 * @example
 * conntrackKey({ id: 3336767692, orig: { proto: 17, src: '10.0.0.1', sport: 1, dst: '10.0.0.2', dport: 53 } });
 * // '3336767692|17|10.0.0.1|1|10.0.0.2|53||0'
 */
export function conntrackKey(ct: Pick<Conntrack, 'id' | 'orig' | 'zone'>): string {
  const o = ct.orig;
  const ports = o?.sport !== undefined || o?.dport !== undefined
    ? `${o?.sport ?? ''}|${o?.dst ?? ''}|${o?.dport ?? ''}|`
    : `${o?.icmpId ?? ''}|${o?.dst ?? ''}|${o?.icmpType ?? ''}|${o?.icmpCode ?? ''}`;
  return `${ct.id ?? ''}|${o?.proto ?? ''}|${o?.src ?? ''}|${ports}|${ct.zone ?? o?.zone ?? 0}`;
}

/**
 * socketKey: a socket is its cookie, the kernel's socket id, unique in the
 * machine's uptime and never reused (a TIME-WAIT socket keeps the cookie of
 * the socket it was).
 *
 * @example
 * socketKey({ cookie: 4099n }); // '4099'
 */
export function socketKey(socket: Pick<Socket, 'cookie'>): string {
  return `${socket.cookie}`;
}
