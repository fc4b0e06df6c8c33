/**
 * Routes (RTM_GETROUTE / RTM_NEWROUTE, struct rtmsg + RTA_* attributes): the
 * typed object, its decoder and the dump request with its kernel-side
 * filters. No RxJS here (`routes()`, the Observable, is in route.ts), so a
 * program that only decodes — such as `nlrx route show` — starts without
 * loading it.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { address, be16, binary, custom, nested, u16, u32, u8, uint } from '../codec/attribute-type.js';
import { inetBytes } from '../codec/address-text.js';
import { struct } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import { constants } from 'node:os';
import { NetlinkError, type NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { AF_INET, AF_INET6, RTM_GETROUTE, RTM_NEWROUTE } from './constants.js';
import { familyName, familyNumber } from './inet-family.js';
import { multipath, via, type RouteNexthop, type RouteVia } from './multipath.js';
import { formatAddress } from './route-address.js';
import {
  RTA_CACHEINFO, RTA_CACHEINFO_SIZE, RTA_DPORT, RTA_DST, RTA_ENCAP, RTA_ENCAP_TYPE, RTA_EXPIRES, RTA_FLOW,
  RTA_GATEWAY, RTA_IIF, RTA_IP_PROTO, RTA_MARK, RTA_METRICS, RTA_MULTIPATH, RTA_NEWDST, RTA_NH_ID, RTA_OIF, RTA_PAD,
  RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_SPORT, RTA_SRC, RTA_TABLE, RTA_TTL_PROPAGATE, RTA_UID, RTA_VIA,
  RTM_F_CLONED, RTM_F_FIB_MATCH, RTM_F_LOOKUP_TABLE, RTM_F_NOTIFY, RTMSG_SIZE, RT_TABLE_LOCAL, RT_TABLE_MAIN,
} from './route-constants.js';
import { metricAttributes, type RouteMetrics } from './route-metrics.js';

export type { RouteNexthop, RouteVia } from './multipath.js';
export type { RouteMetrics } from './route-metrics.js';

/**
 * RouteCacheInfo is RTA_CACHEINFO (struct rta_cacheinfo). `expires` is in
 * clock ticks (USER_HZ, 100 per second); 0 means the route does not expire.
 *
 * @example
 * const seconds = Math.trunc((route.cacheinfo?.expires ?? 0) / 100);
 */
export interface RouteCacheInfo {
  clntref: number;
  lastuse: number;
  expires: number;
  error: number;
  used: number;
  id: number;
  ts: number;
  tsage: number;
}

/**
 * Route is one route as the kernel dumps it: the struct rtmsg fields, then one
 * field per attribute present. Absent attributes are absent properties (read
 * as `undefined`): a route object holds only what the kernel sent, which
 * makes a million of them a third smaller and faster to build. Addresses
 * are text as `ip` prints them (`dst` without its prefix length: see
 * `dstLen`). Numbers are the kernel's (`type` is an RTN_*, `protocol` an
 * RTPROT_*, `scope` an RT_SCOPE_*); `table` is RTA_TABLE when present, so
 * tables above 255 are exact.
 *
 * @example
 * routes({ family: 'inet', table: 'main' }).subscribe((r) => console.log(`${r.dst ?? 'default'}/${r.dstLen}`, r.gateway));
 */
export interface Route {
  /** rtm_family: AF_INET, AF_INET6, RTNL_FAMILY_IPMR, … */
  family: number;
  dstLen: number;
  srcLen: number;
  tos: number;
  table: number;
  protocol: number;
  scope: number;
  type: number;
  /** rtm_flags: RTM_F_* and RTNH_F_* bits. */
  flags: number;
  dst?: string | undefined;
  src?: string | undefined;
  iif?: number | undefined;
  /** RTA_OIF: the output interface's ifindex. */
  oif?: number | undefined;
  gateway?: string | undefined;
  /** RTA_PRIORITY: the metric `ip` prints. */
  priority?: number | undefined;
  prefsrc?: string | undefined;
  metrics?: RouteMetrics | undefined;
  multipath?: RouteNexthop[] | undefined;
  flow?: number | undefined;
  cacheinfo?: RouteCacheInfo | undefined;
  mark?: number | undefined;
  via?: RouteVia | undefined;
  newdst?: string | undefined;
  /** RTA_PREF: ICMPV6_ROUTER_PREF_* of an IPv6 route. */
  pref?: number | undefined;
  encapType?: number | undefined;
  /** RTA_ENCAP, raw (its layout depends on encapType). */
  encap?: Uint8Array | undefined;
  expires?: number | undefined;
  uid?: number | undefined;
  ttlPropagate?: number | undefined;
  /** RTA_NH_ID: the nexthop object the route uses. */
  nhid?: number | undefined;
  /** Attributes this decoder does not type, copied. */
  unknown?: RawAttribute[] | undefined;
  /** Malformed parts met while decoding; the rest of the route is still decoded. */
  problems?: NetlinkDecodeError[] | undefined;
}

/**
 * RouteFilter selects routes. The fields the kernel can filter on — family,
 * table, protocol, type, ifindex and cloned — are sent to it (strict dump
 * checking) and applied again in JavaScript when a reply shows the kernel did
 * not filter (no NLM_F_DUMP_FILTERED), so results are the same either way;
 * scope, tos and priority, which it cannot filter on, are always applied in
 * JavaScript. `table: 'all'` (or 0, RT_TABLE_UNSPEC) means every table.
 * `protocol` and `type` 0 mean any, as they do in the kernel. `ifindex`
 * matches routes whose output interface, or one of whose next hops, is that
 * interface; the kernel refuses an ifindex that does not exist (ENODEV).
 * `cloned: true` dumps the route cache (RTM_F_CLONED exceptions: learned path
 * MTUs, redirects) instead of the tables.
 *
 * @example
 * routes({ family: 'inet6', table: 100, protocol: RTPROT_STATIC });
 */
export interface RouteFilter {
  family?: 'inet' | 'inet6';
  table?: number | 'main' | 'local' | 'all';
  protocol?: number;
  type?: number;
  ifindex?: number;
  /** The route cache instead of the tables (RTM_F_CLONED in the request). */
  cloned?: boolean;
  /** RT_SCOPE_* of the route. */
  scope?: number;
  /** rtm_tos: the TOS (DS field) the route selects on; 0 is the routes without one. */
  tos?: number;
  /** RTA_PRIORITY, the metric; a route without the attribute has metric 0. */
  priority?: number;
}

/**
 * routeRequest builds the RTM_GETROUTE dump request for `filter`: family,
 * protocol, type and RTM_F_CLONED in struct rtmsg, 'main'/'local' in
 * rtm_table, other tables in RTA_TABLE (0 for 'all'), the interface in
 * RTA_OIF. The filters the kernel cannot apply are not in the request.
 *
 * @example
 * dump(routeRequest({ table: 'main' }), { strictCheck: true });
 */
export function routeRequest(filter: RouteFilter = {}): DumpRequest {
  const { table } = filter;
  const payload = routeDumpMessage.encode({
    family: familyNumber(filter.family),
    table: table === 'main' ? RT_TABLE_MAIN : table === 'local' ? RT_TABLE_LOCAL : 0,
    protocol: filter.protocol,
    type: filter.type,
    flags: filter.cloned ? RTM_F_CLONED : 0,
  }, {
    tableId: table === 'all' ? 0 : typeof table === 'number' ? table : undefined,
    oif: filter.ifindex,
  });
  return { protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload };
}

/**
 * decodeRouteRequest reads a route dump request's payload back into the
 * filter it encodes: `decodeRouteRequest(routeRequest(f).payload)` equals `f`.
 *
 * @example
 * decodeRouteRequest(routeRequest({ table: 100 }).payload); // { table: 100 }
 */
export function decodeRouteRequest(payload: Uint8Array): RouteFilter {
  const request = routeDumpMessage.decodePayload(payload);
  if (request.problems) throw request.problems[0];
  const filter: RouteFilter = {};
  const family = familyName(request.family);
  if (family) filter.family = family;
  if (request.tableId !== undefined) filter.table = request.tableId === 0 ? 'all' : request.tableId;
  else if (request.table === RT_TABLE_MAIN) filter.table = 'main';
  else if (request.table === RT_TABLE_LOCAL) filter.table = 'local';
  else if (request.table !== 0) filter.table = request.table;
  if (request.protocol !== 0) filter.protocol = request.protocol;
  if (request.type !== 0) filter.type = request.type;
  if (request.oif !== undefined) filter.ifindex = request.oif;
  if (request.flags & RTM_F_CLONED) filter.cloned = true;
  return filter;
}

/** struct rta_cacheinfo; it may grow in a newer kernel: the fields known here are read. */
const cacheinfo = custom<RouteCacheInfo>('struct rta_cacheinfo', (d, at) => ({
  clntref: d.readUInt32LE(at),
  lastuse: d.readUInt32LE(at + 4),
  expires: d.readInt32LE(at + 8),
  error: d.readUInt32LE(at + 12),
  used: d.readUInt32LE(at + 16),
  id: d.readUInt32LE(at + 20),
  ts: d.readUInt32LE(at + 24),
  tsage: d.readUInt32LE(at + 28),
}), { minSize: RTA_CACHEINFO_SIZE });

/** struct rtmsg (<linux/rtnetlink.h>). */
const rtmsg = struct('struct rtmsg', RTMSG_SIZE, {
  family: [0, u8],
  dstLen: [1, u8],
  srcLen: [2, u8],
  tos: [3, u8],
  table: [4, u8],
  protocol: [5, u8],
  scope: [6, u8],
  type: [7, u8],
  flags: [8, u32],
});

const routeAddress = address('family', formatAddress);

/** The RTA_* attributes of a route (enum rtattr_type_t). RTA_TABLE overrides rtm_table, so tables above 255 are exact. */
const routeAttributes = attributeSet('route', {
  dst: attr(RTA_DST, routeAddress),
  src: attr(RTA_SRC, routeAddress),
  iif: attr(RTA_IIF, u32),
  oif: attr(RTA_OIF, u32),
  gateway: attr(RTA_GATEWAY, routeAddress),
  priority: attr(RTA_PRIORITY, u32),
  prefsrc: attr(RTA_PREFSRC, routeAddress),
  metrics: attr(RTA_METRICS, nested(metricAttributes)),
  multipath: attr(RTA_MULTIPATH, multipath),
  flow: attr(RTA_FLOW, u32),
  cacheinfo: attr(RTA_CACHEINFO, cacheinfo),
  table: attr(RTA_TABLE, u32),
  mark: attr(RTA_MARK, u32),
  via: attr(RTA_VIA, via),
  newdst: attr(RTA_NEWDST, routeAddress),
  pref: attr(RTA_PREF, u8),
  encapType: attr(RTA_ENCAP_TYPE, u16),
  encap: attr(RTA_ENCAP, binary),
  expires: attr(RTA_EXPIRES, uint),
  uid: attr(RTA_UID, u32),
  ttlPropagate: attr(RTA_TTL_PROPAGATE, u8),
  nhid: attr(RTA_NH_ID, u32),
}, { ignore: [RTA_PAD] });

/**
 * routeMessage is RTM_NEWROUTE described: struct rtmsg and the RTA_*
 * attributes. Its `decode` is `decodeRoute`; its `encode` writes requests.
 *
 * @example
 * const route = routeMessage.decode(msg);
 */
export const routeMessage: MessageDescription<Route> = describeMessage<Route>('RTM_NEWROUTE', rtmsg, routeAttributes);

/** What a strictly checked RTM_GETROUTE dump request may carry: struct rtmsg, RTA_TABLE and RTA_OIF. */
interface RouteDumpRequest {
  family: number; table: number; protocol: number; type: number; flags: number;
  tableId?: number; oif?: number; problems?: NetlinkDecodeError[];
}

const routeDumpMessage = describeMessage<RouteDumpRequest>('RTM_GETROUTE', rtmsg, attributeSet('route request', {
  tableId: attr(RTA_TABLE, u32),
  oif: attr(RTA_OIF, u32),
}));

/**
 * decodeRoute decodes an RTM_NEWROUTE (or RTM_DELROUTE) message. A malformed
 * attribute is recorded in `problems` and skipped; unknown ones are kept in
 * `unknown`. Only a message shorter than struct rtmsg throws
 * (`NetlinkDecodeError`): it cannot be a route.
 *
 * @example
 * dump(routeRequest()).pipe(map(decodeRoute));
 */
export function decodeRoute(msg: NetlinkMessage): Route {
  return routeMessage.decode(msg);
}

/**
 * matchRoute applies `filter` to a decoded route, as the kernel does for a
 * strictly checked dump request.
 *
 * @example
 * matchRoute(route, { table: 'main', ifindex: 2 });
 */
export function matchRoute(route: Route, filter: RouteFilter): boolean {
  if (filter.family !== undefined && route.family !== familyNumber(filter.family)) return false;
  const table = filter.table === 'main' ? RT_TABLE_MAIN : filter.table === 'local' ? RT_TABLE_LOCAL
    : filter.table === 'all' ? 0 : filter.table ?? 0;
  if (table !== 0 && route.table !== table) return false;
  if (filter.protocol && route.protocol !== filter.protocol) return false;
  if (filter.type && route.type !== filter.type) return false;
  if (filter.ifindex !== undefined && route.oif !== filter.ifindex &&
    !route.multipath?.some((hop) => hop.ifindex === filter.ifindex)) return false;
  if (!!filter.cloned !== ((route.flags & RTM_F_CLONED) !== 0)) return false;
  return matchRouteInJs(route, filter);
}

/** The filters the kernel has no field for: applied to every reply. */
function matchRouteInJs(route: Route, filter: RouteFilter): boolean {
  if (filter.scope !== undefined && route.scope !== filter.scope) return false;
  if (filter.tos !== undefined && route.tos !== filter.tos) return false;
  if (filter.priority !== undefined && (route.priority ?? 0) !== filter.priority) return false;
  return true;
}

function kernelFilters(filter: RouteFilter): boolean {
  return filter.family !== undefined || (filter.table !== undefined && filter.table !== 'all' && filter.table !== 0) ||
    !!filter.protocol || !!filter.type || filter.ifindex !== undefined;
}

function jsFilters(filter: RouteFilter): boolean {
  return filter.scope !== undefined || filter.tos !== undefined || filter.priority !== undefined;
}

/**
 * routeSelector returns what `routes(filter)` does with each reply message of
 * its dump: the decoded route, or undefined for a message it leaves out — not
 * an RTM_NEWROUTE, a route cache entry (RTM_F_CLONED) unless `filter.cloned`
 * asks for the cache (then anything else), a route `filter` does not match in
 * a reply the kernel did not filter (no NLM_F_DUMP_FILTERED), or one the
 * filters the kernel cannot apply (scope, tos, priority) leave out. The family is never checked again: rtnetlink hands a
 * dump request for one family to that family's dump handler alone (whose
 * replies, on kernel 6.18, also carry NLM_F_DUMP_FILTERED).
 *
 * @example
 * const select = routeSelector({ family: 'inet', table: 'main' });
 * for (const msg of batch) {
 *   const route = select(msg);
 *   if (route) console.log(route.dst);
 * }
 */
export function routeSelector(filter: RouteFilter = {}): (msg: NetlinkMessage) => Route | undefined {
  const rest: RouteFilter = { ...filter, family: undefined };
  const selective = kernelFilters(rest);
  const inJs = jsFilters(rest);
  const cloned = filter.cloned ? RTM_F_CLONED : 0;
  return (msg) => {
    if (msg.type !== RTM_NEWROUTE) return undefined;
    const route = decodeRoute(msg);
    if ((route.flags & RTM_F_CLONED) !== cloned) return undefined;
    if (selective && !(msg.flags & NLM_F_DUMP_FILTERED) && !matchRoute(route, rest)) return undefined;
    if (inJs && !matchRouteInJs(route, rest)) return undefined;
    return route;
  };
}

/**
 * RouteQuery is what `ip route get` asks: the route the kernel would use for
 * a packet to `dst` (an IPv4 or IPv6 address), as if it came from `src`, in
 * on `iif` or out of `oif`, with that mark, uid, IP protocol, ports and TOS.
 * `fibMatch` returns the FIB entry that matched instead of the resolved route.
 *
 * @example
 * const query: RouteQuery = { dst: '192.0.2.1', oif: 2, ipProto: 17, dport: 53 };
 */
export interface RouteQuery {
  /** The destination address. */
  dst: string;
  /** The source address the packet would carry. */
  src?: string;
  /** The interface the packet would arrive on (ifindex): an input route lookup. */
  iif?: number;
  /** The interface the packet must leave through (ifindex). */
  oif?: number;
  mark?: number;
  uid?: number;
  /** IPPROTO_* of the packet, for policy rules that select on it. */
  ipProto?: number;
  sport?: number;
  dport?: number;
  tos?: number;
  /** RTM_F_FIB_MATCH: the matching FIB entry rather than the resolved route. */
  fibMatch?: boolean;
  /** RTM_F_NOTIFY (`ip route get … notify`): the kernel marks the route it resolves (RTCF_NOTIFY) and keeps the mark. */
  notify?: boolean;
  /**
   * RTA_NEWDST, which `ip route get … as ADDRESS` sends: an MPLS label swap,
   * which IPv4 and IPv6 lookups refuse (EINVAL, with the kernel's reason).
   */
  newdst?: string;
}

/** What RTM_GETROUTE for one route may carry (inet_rtm_valid_getroute_req / inet6_rtm_valid_getroute_req). */
const routeGetMessage = describeMessage<Record<string, unknown>>('RTM_GETROUTE', rtmsg, attributeSet('route get', {
  dst: attr(RTA_DST, binary),
  src: attr(RTA_SRC, binary),
  iif: attr(RTA_IIF, u32),
  oif: attr(RTA_OIF, u32),
  mark: attr(RTA_MARK, u32),
  uid: attr(RTA_UID, u32),
  ipProto: attr(RTA_IP_PROTO, u8),
  sport: attr(RTA_SPORT, be16),
  dport: attr(RTA_DPORT, be16),
  newdst: attr(RTA_NEWDST, binary),
}));

function queryAddress(text: string, what: string): Uint8Array {
  const bytes = inetBytes(text);
  if (!bytes) throw new NetlinkError(`${what} ${JSON.stringify(text)} is not an IPv4 or IPv6 address`, constants.errno.EINVAL);
  return bytes;
}

/**
 * routeGetRequest builds the RTM_GETROUTE "do" request of `query` (no
 * NLM_F_DUMP): the family and host prefix lengths of its addresses in struct
 * rtmsg, RTM_F_LOOKUP_TABLE for IPv4 (so the reply names the table) and
 * RTM_F_FIB_MATCH when asked, the rest as attributes. The kernel answers with
 * one route or an error: EHOSTUNREACH, ENETUNREACH, EACCES (prohibit), EINVAL
 * (blackhole) and so on. An address that is neither IPv4 nor IPv6, or two of
 * different families, throw a NetlinkError (EINVAL).
 *
 * @example
 * forEachDumpBatch(routeGetRequest({ dst: '10.0.0.1' }), (batch) => { … }, { strictCheck: true });
 */
export function routeGetRequest(query: RouteQuery): DumpRequest {
  const dst = queryAddress(query.dst, 'destination');
  const src = query.src === undefined ? undefined : queryAddress(query.src, 'source');
  if (src && src.length !== dst.length) throw new NetlinkError('source and destination are of different families', constants.errno.EINVAL);
  const family = dst.length === 4 ? AF_INET : AF_INET6;
  const flags = (family === AF_INET ? RTM_F_LOOKUP_TABLE : 0) | (query.fibMatch ? RTM_F_FIB_MATCH : 0) |
    (query.notify ? RTM_F_NOTIFY : 0);
  const payload = routeGetMessage.encode({
    family, dstLen: dst.length * 8, srcLen: src ? src.length * 8 : 0, tos: query.tos ?? 0, flags,
  }, {
    dst, src, iif: query.iif, oif: query.oif, mark: query.mark || undefined, uid: query.uid,
    ipProto: query.ipProto, sport: query.sport, dport: query.dport,
    newdst: query.newdst === undefined ? undefined : queryAddress(query.newdst, 'new destination'),
  });
  return { protocol: NETLINK_ROUTE, type: RTM_GETROUTE, dump: false, payload };
}

/**
 * routeGetSelector picks the answer to a route get out of its replies: the
 * RTM_NEWROUTE, cache flags and all, or undefined for anything else.
 *
 * @example
 * const select = routeGetSelector();
 */
export function routeGetSelector(): (msg: NetlinkMessage) => Route | undefined {
  return (msg) => (msg.type === RTM_NEWROUTE ? decodeRoute(msg) : undefined);
}
