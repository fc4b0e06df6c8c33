/**
 * `ip route` output: a route as one JSON object of `ip -j route show` (same
 * keys, order and values as iproute2 6.1's print_route) or as its text line.
 * Both are built as strings by hand: at a million routes, a generic
 * serializer per object costs more than the decoding does.
 */
import type { ObjectFormat } from './object-output.js';
import type { Route } from '../route/route.js';
import type { RouteNexthop } from '../route/multipath.js';
import type { RouteMetrics } from '../route/route-metrics.js';
import {
  AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, RTNL_FAMILY_IP6MR, RTNL_FAMILY_IPMR,
} from '../route/constants.js';
import {
  ICMPV6_ROUTER_PREF_HIGH, ICMPV6_ROUTER_PREF_LOW, ICMPV6_ROUTER_PREF_MEDIUM, RTAX_CC_ALGO, RTAX_FEATURE_ECN,
  RTAX_FEATURES, RTAX_HOPLIMIT, RTAX_RTO_MIN, RTAX_RTT, RTAX_RTTVAR, RTM_F_CLONED, RTM_F_NOTIFY, RTM_F_OFFLOAD,
  RTM_F_OFFLOAD_FAILED, RTM_F_TRAP, RTNH_F_DEAD, RTNH_F_LINKDOWN, RTNH_F_OFFLOAD, RTNH_F_ONLINK, RTNH_F_PERVASIVE,
  RTNH_F_TRAP, RTNH_F_UNRESOLVED, RTN_MULTICAST, RTN_UNICAST, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN,
} from '../route/route-constants.js';
import { metricKey } from '../route/route-metrics.js';
import { familyColor, paint } from './ip-color.js';
import type { LinkNames } from './link-names.js';
import { dsfieldName, routeProtocols, routeRealms, routeScopes, routeTables, routeTypeName } from './route-names.js';

/**
 * RouteFormat says what `ip route show` leaves out for the filters it was
 * given (a filtered field is not printed) and how names are resolved.
 *
 * @example
 * const format: RouteFormat = { links, details: false, stats: false, table: true, oif: false, protocol: false };
 */
export interface RouteFormat {
  links: LinkNames;
  /** `-d`: print default values too (type unicast, table main, proto boot, scope global). */
  details: boolean;
  /** `-s`: cache statistics. */
  stats: boolean;
  /** A table was selected (not `table all`): the table is not printed. */
  table: boolean;
  /** `dev` was given: the device is not printed. */
  oif: boolean;
  /** `proto` was given: the protocol is not printed. */
  protocol: boolean;
  /** `scope` was given: the scope is not printed. */
  scope?: boolean;
  /** `tos` was given: the TOS is not printed. */
  tos?: boolean;
  /** `metric` was given: the metric is not printed. */
  metric?: boolean;
  /** `realms` was given for both ends: the realms are not printed. */
  realms?: boolean;
  /** `iif` was given: the input interface is not printed. */
  iif?: boolean;
  /** The prefix length of `via`: a host address (32 / 128) leaves the gateway out. */
  gatewayLength?: number;
  /** The prefix length of `src`: a host address leaves the preferred source out. */
  prefsrcLength?: number;
  /** `-o`: the lines of one route joined by a backslash (ip's _SL_). */
  oneline?: boolean;
  /** `-c`: addresses and device names in ip's colours (text only). */
  color?: boolean;
  /** `-d`: the nexthop object of a route's `nhid`, printed as `nh_info` (JSON text and text), if known. */
  nexthop?: (id: number) => { json: string; text: string } | undefined;
}

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [RTNH_F_DEAD, 'dead'], [RTNH_F_ONLINK, 'onlink'], [RTNH_F_PERVASIVE, 'pervasive'], [RTNH_F_OFFLOAD, 'offload'],
  [RTNH_F_TRAP, 'trap'], [RTM_F_NOTIFY, 'notify'], [RTNH_F_LINKDOWN, 'linkdown'], [RTNH_F_UNRESOLVED, 'unresolved'],
  [RTM_F_OFFLOAD, 'rt_offload'], [RTM_F_TRAP, 'rt_trap'], [RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
];

/** Every bit FLAG_NAMES prints: without one of them, there is nothing to print. */
const PRINTED_FLAGS = FLAG_NAMES.reduce((mask, [bit]) => mask | bit, 0);

/**
 * routeFlagNames lists the flag words `ip` prints for rtm_flags / rtnh_flags (print_rt_flags).
 *
 * @example
 * routeFlagNames(RTNH_F_ONLINK); // ['onlink']
 */
export function routeFlagNames(flags: number): string[] {
  const names: string[] = [];
  if ((flags & PRINTED_FLAGS) === 0) return names;
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) names.push(name);
  return names;
}

/** JSON text of `flags`: "[]" in the common case, without allocating. */
function flagsJson(flags: number): string {
  if ((flags & PRINTED_FLAGS) === 0) return '[]';
  return `[${routeFlagNames(flags).map((n) => `"${n}"`).join(',')}]`;
}

function flagsText(flags: number): string {
  if ((flags & PRINTED_FLAGS) === 0) return '';
  return routeFlagNames(flags).map((n) => `${n} `).join('');
}

/**
 * familyName is iproute2's family_name().
 *
 * @example
 * familyName(AF_INET6); // 'inet6'
 */
export function familyName(family: number): string {
  switch (family) {
    case AF_INET: return 'inet';
    case AF_INET6: return 'inet6';
    case 12: return 'dnet';
    case AF_PACKET: return 'link';
    case 4: return 'ipx';
    case AF_MPLS: return 'mpls';
    case AF_BRIDGE: return 'bridge';
    default: return '???';
  }
}

/** af_bit_len(): the prefix length of a host route in `family`. */
function hostLength(family: number): number {
  switch (family) {
    case AF_INET: return 32;
    case AF_INET6: return 128;
    case 12: return 16;
    case 4: return 80;
    case AF_MPLS: return 20;
    default: return 0;
  }
}

const quoted = new Map<string, string>();
/** A JSON string literal, cached: names repeat on every route. */
function q(text: string): string {
  let literal = quoted.get(text);
  if (literal === undefined) {
    literal = JSON.stringify(text);
    if (quoted.size < 4096) quoted.set(text, literal);
  }
  return literal;
}

function destination(route: Route): string {
  if (route.dst !== undefined) return route.dstLen !== hostLength(route.family) ? `${route.dst}/${route.dstLen}` : route.dst;
  // iproute2 keeps a trailing space here.
  return route.dstLen ? `0/${route.dstLen} ` : 'default';
}

function prefName(pref: number): string | number {
  switch (pref) {
    case ICMPV6_ROUTER_PREF_LOW: return 'low';
    case ICMPV6_ROUTER_PREF_MEDIUM: return 'medium';
    case ICMPV6_ROUTER_PREF_HIGH: return 'high';
    default: return pref;
  }
}

/** The `%g` of C for the small positive values metrics print. */
function g(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function hex0x(value: number): string {
  return value === 0 ? '0' : `0x${value.toString(16)}`;
}

interface MetricEntry { rtax: number; value: number; locked: boolean; name: string | undefined }

const METRIC_NAMES: readonly (string | undefined)[] = [undefined, undefined, 'mtu', 'window', 'rtt', 'rttvar',
  'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack',
  'congctl', 'fastopen_no_cookie'];

function metricEntries(metrics: RouteMetrics): MetricEntry[] {
  const lock = metrics.lock ?? 0;
  const entries: MetricEntry[] = [];
  for (let i = 2; i < 32; i++) {
    const key = metricKey(i);
    const present = key !== undefined && metrics[key] !== undefined;
    if (!present && !(lock & (1 << i))) continue;
    const value = present && i !== RTAX_CC_ALGO ? (metrics[key!] as number) : 0;
    if (i === RTAX_HOPLIMIT && (value | 0) === -1) continue;
    entries.push({ rtax: i, value, locked: (lock & (1 << i)) !== 0, name: METRIC_NAMES[i] });
  }
  return entries;
}

function metricsJson(metrics: RouteMetrics): string {
  const parts: string[] = [];
  for (const { rtax, value, name } of metricEntries(metrics)) {
    if (rtax === RTAX_FEATURES) {
      if (value & RTAX_FEATURE_ECN) parts.push('"ecn":null');
      if (value & ~RTAX_FEATURE_ECN) parts.push(`"features":"${hex0x(value)}"`);
    } else if (rtax === RTAX_CC_ALGO) {
      parts.push(`"congestion":${q(metrics.congctl ?? '')}`);
    } else {
      const shown = rtax === RTAX_RTT ? Math.trunc(value / 8) : rtax === RTAX_RTTVAR ? Math.trunc(value / 4) : value;
      parts.push(`${q(name ?? '(null)')}:${shown}`);
    }
  }
  return `[{${parts.join(',')}}]`;
}

function metricsText(metrics: RouteMetrics): string {
  let text = '';
  for (const { rtax, value, locked, name } of metricEntries(metrics)) {
    text += name !== undefined ? `${name} ` : `metric ${rtax} `;
    if (locked) text += 'lock ';
    if (rtax === RTAX_FEATURES) {
      if (value & RTAX_FEATURE_ECN) text += 'ecn ';
      if (value & ~RTAX_FEATURE_ECN) text += `${hex0x(value)} `;
    } else if (rtax === RTAX_CC_ALGO) {
      text += `${metrics.congctl ?? ''} `;
    } else if (rtax === RTAX_RTT || rtax === RTAX_RTTVAR || rtax === RTAX_RTO_MIN) {
      const shown = rtax === RTAX_RTT ? Math.trunc(value / 8) : rtax === RTAX_RTTVAR ? Math.trunc(value / 4) : value;
      text += shown >= 1000 ? `${g(shown / 1e3)}s ` : `${shown}ms `;
    } else text += `${value} `;
  }
  return text;
}

function flowJson(flow: number): string {
  const from = flow >>> 16;
  const to = flow & 0xffff;
  const realms = routeRealms();
  return `{${from ? `"from":${q(realms.name(from))},` : ''}"to":${q(realms.name(to))}}`;
}

function flowText(flow: number): string {
  const from = flow >>> 16;
  const realms = routeRealms();
  return `realm${from ? 's' : ''} ${from ? `${realms.name(from)}/` : ''}${realms.name(flow & 0xffff)} `;
}

/** RTCF_* (<linux/in_route.h>): the cache flags of an IPv4 route get answer, in print_cache_flags' order. */
const CACHE_FLAGS: readonly (readonly [number, string])[] = [
  [0x80000000, 'local'], [0x40000000, 'reject'], [0x20000000, 'mc'], [0x10000000, 'brd'], [0x08000000, 'dst-nat'],
  [0x00800000, 'src-nat'], [0x00400000, 'masq'], [0x00020000, 'dst-direct'], [0x04000000, 'src-direct'],
  [0x00040000, 'redirected'], [0x01000000, 'redirect'], [0x00200000, 'fastroute'], [0x00010000, 'notify'],
  [0x00080000, 'proxy'],
];

/** The names of the cache flags set in `flags`, and the bits no name covers. */
function cacheFlags(flags: number): { names: string[]; rest: number } {
  let rest = (flags & ~0xffff) >>> 0;
  const names: string[] = [];
  for (const [bit, name] of CACHE_FLAGS) {
    if (rest & bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  return { names, rest };
}

function cacheFlagsJson(flags: number): string {
  const { names, rest } = cacheFlags(flags);
  const items = names.map((n) => `"${n}"`);
  // print_hex inside the array: a bare hex string, as ip's json_writer writes it.
  if (rest) items.push(`"${rest.toString(16)}"`);
  return `[${items.join(',')}]`;
}

function cacheFlagsText(flags: number, newline: string): string {
  const { names, rest } = cacheFlags(flags);
  let text = `${newline}    cache `;
  if (names.length === 0 && rest === 0) return text;
  text += '<';
  names.forEach((name, i) => { text += i < names.length - 1 || rest ? `${name},` : `${name}> `; });
  if (rest) text += `${rest.toString(16)}>`;
  return text;
}

function nexthopsJson(route: Route, hops: RouteNexthop[], f: RouteFormat): string {
  const parts: string[] = [];
  for (const hop of hops) {
    let o = '{';
    if (hop.newdst !== undefined) o += `"to":"${hop.newdst}",`;
    if (hop.gateway !== undefined) o += `"gateway":"${hop.gateway}",`;
    if (hop.via) o += `"via":{"family":"${familyName(hop.via.family)}","host":"${hop.via.address}"},`;
    if (hop.flow !== undefined) o += `"flow":${flowJson(hop.flow)},`;
    o += `"dev":${q(f.links.name(hop.ifindex))},`;
    if (route.family !== AF_MPLS) o += `"weight":${hop.weight},`;
    o += `"flags":${flagsJson(hop.flags)}}`;
    parts.push(o);
  }
  return `[${parts.join(',')}]`;
}

function nexthopsText(route: Route, hops: RouteNexthop[], f: RouteFormat): string {
  let text = '';
  const newline = f.oneline ? '\\' : '\n';
  for (const hop of hops) {
    text += `${newline}\tnexthop `;
    if (hop.newdst !== undefined) text += `as to ${paint(f.color, familyColor(route.family), `${hop.newdst} `)}`;
    if (hop.gateway !== undefined) text += `via ${paint(f.color, familyColor(route.family), `${hop.gateway} `)}`;
    if (hop.via) {
      text += `via ${familyName(hop.via.family)} ${paint(f.color, familyColor(hop.via.family), `${hop.via.address} `)}`;
    }
    if (hop.flow !== undefined) text += flowText(hop.flow);
    text += `dev ${f.links.name(hop.ifindex)} `;
    if (route.family !== AF_MPLS) text += `weight ${hop.weight} `;
    text += flagsText(hop.flags);
  }
  return text;
}

/**
 * routeJson is the JSON object `ip -j route show` prints for `route`.
 *
 * @example
 * routeJson(route, format); // '{"dst":"10.0.0.0/24","dev":"v0","protocol":"kernel","scope":"link",…}'
 */
export function routeJson(route: Route, f: RouteFormat): string {
  let o = '{';
  if (route.type !== RTN_UNICAST || f.details) o += `"type":"${routeTypeName(route.type)}",`;
  o += `"dst":"${destination(route)}"`;
  if (route.src !== undefined) {
    o += `,"from":"${route.srcLen !== hostLength(route.family) ? `${route.src}/${route.srcLen}` : route.src}"`;
  } else if (route.srcLen) o += `,"src":"0/${route.srcLen}"`;
  if (route.nhid !== undefined) o += `,"nhid":${route.nhid}`;
  if (route.newdst !== undefined) o += `,"to":"${route.newdst}"`;
  if (route.tos && !f.tos) o += `,"tos":${q(dsfieldName(route.tos))}`;
  if (route.gateway !== undefined && f.gatewayLength !== hostLength(route.family)) o += `,"gateway":"${route.gateway}"`;
  if (route.via) o += `,"via":{"family":"${familyName(route.via.family)}","host":"${route.via.address}"}`;
  if (route.oif !== undefined && !f.oif) o += `,"dev":${q(f.links.name(route.oif))}`;
  if (route.table && (route.table !== RT_TABLE_MAIN || f.details) && !f.table) {
    o += `,"table":${q(routeTables().name(route.table))}`;
  }
  if (!(route.flags & RTM_F_CLONED)) {
    if ((route.protocol !== RTPROT_BOOT || f.details) && !f.protocol) {
      o += `,"protocol":${q(routeProtocols().name(route.protocol))}`;
    }
    if ((route.scope !== RT_SCOPE_UNIVERSE || f.details) && !f.scope) o += `,"scope":${q(routeScopes().name(route.scope))}`;
  }
  if (route.prefsrc !== undefined && f.prefsrcLength !== hostLength(route.family)) o += `,"prefsrc":"${route.prefsrc}"`;
  if (route.priority !== undefined && !f.metric) o += `,"metric":${route.priority}`;
  o += `,"flags":${flagsJson(route.flags)}`;
  if (route.mark) o += `,"mark":${route.mark}`;
  if (route.flow !== undefined && !f.realms) o += `,"flow":${flowJson(route.flow)}`;
  if (route.uid !== undefined) o += `,"uid":${route.uid}`;
  if (route.family === AF_INET && route.flags & RTM_F_CLONED) o += `,"cache":${cacheFlagsJson(route.flags)}`;
  const ci = route.cacheinfo;
  if (ci && (route.family === AF_INET || route.family === AF_INET6)) {
    if (ci.expires !== 0) o += `,"expires":${Math.trunc(ci.expires / 100)}`;
    if (ci.error !== 0) o += `,"error":${ci.error}`;
    if (f.stats) {
      if (ci.clntref) o += `,"users":${ci.clntref}`;
      if (ci.used !== 0) o += `,"used":${ci.used}`;
      if (ci.lastuse !== 0) o += `,"age":${Math.trunc(ci.lastuse / 100)}`;
    }
    if (ci.id) o += `,"ipid":"${hex0x(ci.id)}"`;
    if (ci.ts || ci.tsage) o += `,"ts":"${hex0x(ci.ts)}","tsage":${ci.tsage}`;
  }
  if (route.metrics) o += `,"metrics":${metricsJson(route.metrics)}`;
  if (route.iif !== undefined && !f.iif) o += `,"iif":${q(f.links.name(route.iif))}`;
  if (route.pref !== undefined) {
    const pref = prefName(route.pref);
    o += `,"pref":${typeof pref === 'string' ? `"${pref}"` : pref}`;
  }
  if (route.ttlPropagate !== undefined) o += `,"ttl-propogate":${route.ttlPropagate ? 'true' : 'false'}`;
  const nh = route.nhid !== undefined && f.details ? f.nexthop?.(route.nhid) : undefined;
  if (nh) o += `,"nh_info":${nh.json}`;
  if (route.multipath) o += `,"nexthops":${nexthopsJson(route, route.multipath, f)}`;
  return `${o}}`;
}

/**
 * routeText is the line (or lines, for multipath) `ip route show` prints for `route`.
 *
 * @example
 * routeText(route, format); // '10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 \n'
 */
export function routeText(route: Route, f: RouteFormat): string {
  let t = '';
  if (route.type !== RTN_UNICAST || f.details) t += `${routeTypeName(route.type)} `;
  // get_real_family(): a multicast route of IPMR / IP6MR has IPv4 / IPv6 addresses.
  const addressColor = familyColor(route.type !== RTN_MULTICAST ? route.family
    : route.family === RTNL_FAMILY_IPMR ? AF_INET : route.family === RTNL_FAMILY_IP6MR ? AF_INET6 : route.family);
  t += paint(route.dst !== undefined && f.color, addressColor, `${destination(route)} `);
  if (route.src !== undefined) {
    const src = route.srcLen !== hostLength(route.family) ? `${route.src}/${route.srcLen}` : route.src;
    t += paint(f.color, addressColor, `from ${src} `);
  } else if (route.srcLen) t += `from 0/${route.srcLen} `;
  if (route.nhid !== undefined) t += `nhid ${route.nhid} `;
  if (route.newdst !== undefined) t += `as to ${paint(f.color, familyColor(route.family), `${route.newdst} `)}`;
  if (route.tos && !f.tos) t += `tos ${dsfieldName(route.tos)} `;
  if (route.gateway !== undefined && f.gatewayLength !== hostLength(route.family)) {
    t += `via ${paint(f.color, familyColor(route.family), `${route.gateway} `)}`;
  }
  if (route.via) t += `via ${familyName(route.via.family)} ${paint(f.color, familyColor(route.via.family), `${route.via.address} `)}`;
  if (route.oif !== undefined && !f.oif) t += `dev ${paint(f.color, 'ifname', `${f.links.name(route.oif)} `)}`;
  if (route.table && (route.table !== RT_TABLE_MAIN || f.details) && !f.table) {
    t += `table ${routeTables().name(route.table)} `;
  }
  if (!(route.flags & RTM_F_CLONED)) {
    if ((route.protocol !== RTPROT_BOOT || f.details) && !f.protocol) {
      t += `proto ${routeProtocols().name(route.protocol)} `;
    }
    if ((route.scope !== RT_SCOPE_UNIVERSE || f.details) && !f.scope) t += `scope ${routeScopes().name(route.scope)} `;
  }
  if (route.prefsrc !== undefined && f.prefsrcLength !== hostLength(route.family)) {
    t += `src ${paint(f.color, familyColor(route.family), `${route.prefsrc} `)}`;
  }
  if (route.priority !== undefined && !f.metric) t += `metric ${route.priority} `;
  t += flagsText(route.flags);
  if (route.mark) t += route.mark >= 16 ? `mark 0x${route.mark.toString(16)} ` : `mark ${route.mark} `;
  if (route.flow !== undefined && !f.realms) t += flowText(route.flow);
  if (route.uid !== undefined) t += `uid ${route.uid} `;
  if (route.family === AF_INET && route.flags & RTM_F_CLONED) t += cacheFlagsText(route.flags, f.oneline ? '\\' : '\n');
  const ci = route.cacheinfo;
  if (ci && (route.family === AF_INET || route.family === AF_INET6)) {
    if (ci.expires !== 0) t += `expires ${Math.trunc(ci.expires / 100)}sec `;
    if (ci.error !== 0) t += `error ${ci.error} `;
    if (f.stats) {
      if (ci.clntref) t += `users ${ci.clntref} `;
      if (ci.used !== 0) t += `used ${ci.used} `;
      if (ci.lastuse !== 0) t += `age ${Math.trunc(ci.lastuse / 100)}sec `;
    }
    if (ci.id) t += `ipid 0x${ci.id.toString(16).padStart(4, '0')} `;
    if (ci.ts || ci.tsage) t += `ts ${hex0x(ci.ts)}tsage ${ci.tsage}sec `;
  }
  if (route.metrics) t += metricsText(route.metrics);
  if (route.iif !== undefined && !f.iif) t += `iif ${paint(f.color, 'ifname', `${f.links.name(route.iif)} `)}`;
  if (route.pref !== undefined) {
    const pref = prefName(route.pref);
    t += typeof pref === 'string' ? `pref ${pref}` : String(pref);
  }
  if (route.ttlPropagate !== undefined) t += `ttl-propogate ${route.ttlPropagate ? 'enabled' : 'disabled'}`;
  const nh = route.nhid !== undefined && f.details ? f.nexthop?.(route.nhid) : undefined;
  // A literal line break, even with -o: print_cache_nexthop_id's prefix is "\n\tnh_info ", not _SL_.
  if (nh) t += `\n\tnh_info ${nh.text}`;
  if (route.multipath) t += nexthopsText(route, route.multipath, f);
  return `${t}\n`;
}

/**
 * routeFormat is how `nlrx route show` prints a route, for one view.
 *
 * @example
 * routeFormat(f).text(route); // 'default via 10.0.0.1 dev v0 \n'
 */
export function routeFormat(f: RouteFormat): ObjectFormat<Route> {
  return { json: (route) => routeJson(route, f), text: (route) => routeText(route, f) };
}
