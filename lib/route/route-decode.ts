/**
 * Routes (RTM_GETROUTE / RTM_NEWROUTE, struct rtmsg + RTA_* attributes): the
 * typed object, its decoder and the dump request with its kernel-side
 * filters. No RxJS here (`routes()`, the Observable, is in route.ts), so a
 * program that only decodes — such as `nlrx route show` — starts without
 * loading it.
 */
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NETLINK_ROUTE, NLMSG_HDRLEN, NLM_F_DUMP_FILTERED, type NetlinkMessage } from '../codec/header.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { AF_INET, AF_INET6, AF_UNSPEC, RTM_GETROUTE, RTM_NEWROUTE } from './constants.js';
import { decodeMultipath, decodeVia, type RouteNexthop, type RouteVia } from './multipath.js';
import { rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';
import { formatAddress } from './route-address.js';
import {
  RTA_CACHEINFO, RTA_CACHEINFO_SIZE, RTA_DST, RTA_ENCAP, RTA_ENCAP_TYPE, RTA_EXPIRES, RTA_FLOW, RTA_GATEWAY,
  RTA_IIF, RTA_MARK, RTA_METRICS, RTA_MULTIPATH, RTA_NEWDST, RTA_NH_ID, RTA_OIF, RTA_PAD, RTA_PREF, RTA_PREFSRC,
  RTA_PRIORITY, RTA_SRC, RTA_TABLE, RTA_TTL_PROPAGATE, RTA_UID, RTA_VIA, RTM_F_CLONED, RTMSG_SIZE, RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
} from './route-constants.js';
import { decodeMetrics, type RouteMetrics } from './route-metrics.js';

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
 * RouteFilter selects routes. Each field is sent to the kernel (strict dump
 * checking) and applied again in JavaScript when a reply shows the kernel did
 * not filter (no NLM_F_DUMP_FILTERED), so results are the same either way.
 * `table: 'all'` (or 0, RT_TABLE_UNSPEC) means every table. `protocol` and
 * `type` 0 mean any, as they do in the kernel. `ifindex` matches routes whose
 * output interface, or one of whose next hops, is that interface; the kernel
 * refuses an ifindex that does not exist (ENODEV).
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
}

const CONTEXT = ['route'];

/**
 * routeRequest builds the RTM_GETROUTE dump request for `filter`: family,
 * protocol and type in struct rtmsg, 'main'/'local' in rtm_table, other
 * tables in RTA_TABLE (0 for 'all'), the interface in RTA_OIF.
 *
 * @example
 * dump(routeRequest({ table: 'main' }), { strictCheck: true });
 */
export function routeRequest(filter: RouteFilter = {}): DumpRequest {
  const w = new MessageWriter(64);
  const rtm = w.struct(RTMSG_SIZE);
  rtm[0] = filter.family === 'inet' ? AF_INET : filter.family === 'inet6' ? AF_INET6 : AF_UNSPEC;
  rtm[4] = filter.table === 'main' ? RT_TABLE_MAIN : filter.table === 'local' ? RT_TABLE_LOCAL : 0;
  rtm[5] = filter.protocol ?? 0;
  rtm[7] = filter.type ?? 0;
  if (filter.table === 'all') w.u32(RTA_TABLE, 0);
  else if (typeof filter.table === 'number') w.u32(RTA_TABLE, filter.table);
  if (filter.ifindex !== undefined) w.u32(RTA_OIF, filter.ifindex);
  return { protocol: NETLINK_ROUTE, type: RTM_GETROUTE, payload: Uint8Array.from(w.bytes()) };
}

/**
 * decodeRouteRequest reads a route dump request's payload back into the
 * filter it encodes: `decodeRouteRequest(routeRequest(f).payload)` equals `f`.
 *
 * @example
 * decodeRouteRequest(routeRequest({ table: 100 }).payload); // { table: 100 }
 */
export function decodeRouteRequest(payload: Uint8Array): RouteFilter {
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (data.length < RTMSG_SIZE) throw new NetlinkDecodeError('struct rtmsg cut short', 0, ['route request']);
  const filter: RouteFilter = {};
  if (data[0] === AF_INET) filter.family = 'inet';
  else if (data[0] === AF_INET6) filter.family = 'inet6';
  if (data[4] === RT_TABLE_MAIN) filter.table = 'main';
  else if (data[4] === RT_TABLE_LOCAL) filter.table = 'local';
  else if (data[4] !== 0) filter.table = data[4];
  if (data[5] !== 0) filter.protocol = data[5];
  if (data[7] !== 0) filter.type = data[7];
  const c = new AttributeCursor(data, RTMSG_SIZE, data.length, ['route request']);
  while (c.next()) {
    if (c.type === RTA_TABLE) {
      const table = c.u32();
      filter.table = table === 0 ? 'all' : table;
    } else if (c.type === RTA_OIF) filter.ifindex = c.u32();
  }
  if (c.error) throw c.error;
  return filter;
}

function cacheInfo(c: AttributeCursor): RouteCacheInfo {
  // The struct may grow in a newer kernel: read the fields we know.
  if (c.length < RTA_CACHEINFO_SIZE) {
    throw new NetlinkDecodeError(`RTA_CACHEINFO needs ${RTA_CACHEINFO_SIZE} bytes, has ${c.length}`, c.offset, CONTEXT);
  }
  const d = c.data;
  const at = c.offset;
  return {
    clntref: d.readUInt32LE(at),
    lastuse: d.readUInt32LE(at + 4),
    expires: d.readInt32LE(at + 8),
    error: d.readUInt32LE(at + 12),
    used: d.readUInt32LE(at + 16),
    id: d.readUInt32LE(at + 20),
    ts: d.readUInt32LE(at + 24),
    tsage: d.readUInt32LE(at + 28),
  };
}

/**
 * decodeRoute decodes an RTM_NEWROUTE (or RTM_DELROUTE) message. It never
 * throws on bad attributes: a malformed one is recorded in `problems` and
 * skipped; unknown ones are kept in `unknown`.
 *
 * @example
 * dump(routeRequest()).pipe(map(decodeRoute));
 */
export function decodeRoute(msg: NetlinkMessage): Route {
  const d = msg.data;
  const base = msg.offset + NLMSG_HDRLEN;
  const end = msg.offset + msg.length;
  const whole = end - base >= RTMSG_SIZE;
  const family = whole ? d[base] : 0;
  const route: Route = {
    family,
    dstLen: whole ? d[base + 1] : 0,
    srcLen: whole ? d[base + 2] : 0,
    tos: whole ? d[base + 3] : 0,
    table: whole ? d[base + 4] : 0,
    protocol: whole ? d[base + 5] : 0,
    scope: whole ? d[base + 6] : 0,
    type: whole ? d[base + 7] : 0,
    flags: whole ? (d[base + 8] | (d[base + 9] << 8) | (d[base + 10] << 16)) + d[base + 11] * 0x100_0000 : 0,
  };
  if (!whole) {
    route.problems = [new NetlinkDecodeError('struct rtmsg cut short', base, CONTEXT)];
    return route;
  }
  let problems: NetlinkDecodeError[] | undefined;
  const c = new AttributeCursor(d, base + RTMSG_SIZE, end, CONTEXT);
  for (;;) {
    try {
      while (c.next()) {
        switch (c.type) {
          case RTA_DST: route.dst = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case RTA_SRC: route.src = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case RTA_IIF: route.iif = c.u32(); break;
          case RTA_OIF: route.oif = c.u32(); break;
          case RTA_GATEWAY: route.gateway = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case RTA_PRIORITY: route.priority = c.u32(); break;
          case RTA_PREFSRC: route.prefsrc = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case RTA_METRICS:
            route.metrics = decodeMetrics(d, c.offset, c.offset + c.length, (problems ??= []));
            break;
          case RTA_MULTIPATH:
            route.multipath = decodeMultipath(family, d, c.offset, c.offset + c.length, (problems ??= []));
            break;
          case RTA_FLOW: route.flow = c.u32(); break;
          case RTA_CACHEINFO: route.cacheinfo = cacheInfo(c); break;
          case RTA_TABLE: route.table = c.u32(); break;
          case RTA_MARK: route.mark = c.u32(); break;
          case RTA_VIA: route.via = decodeVia(d, c.offset, c.length, CONTEXT); break;
          case RTA_NEWDST: route.newdst = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case RTA_PREF: route.pref = c.u8(); break;
          case RTA_ENCAP_TYPE: route.encapType = c.u16(); break;
          case RTA_ENCAP: route.encap = new Uint8Array(d.subarray(c.offset, c.offset + c.length)); break;
          case RTA_EXPIRES: route.expires = c.length === 8 ? c.u64n() : c.u32(); break;
          case RTA_UID: route.uid = c.u32(); break;
          case RTA_TTL_PROPAGATE: route.ttlPropagate = c.u8(); break;
          case RTA_NH_ID: route.nhid = c.u32(); break;
          case RTA_PAD: break;
          default: (route.unknown ??= []).push(rawAttribute(c));
        }
      }
      break;
    } catch (error) {
      if (!(error instanceof NetlinkDecodeError)) throw error;
      (problems ??= []).push(error);
    }
  }
  if (c.error) (problems ??= []).push(c.error);
  // Set only when there is one: metrics and multipath get the array up front and may add nothing.
  if (problems !== undefined && problems.length > 0) route.problems = problems;
  return route;
}

/**
 * matchRoute applies `filter` to a decoded route, as the kernel does for a
 * strictly checked dump request.
 *
 * @example
 * matchRoute(route, { table: 'main', ifindex: 2 });
 */
export function matchRoute(route: Route, filter: RouteFilter): boolean {
  if (filter.family === 'inet' && route.family !== AF_INET) return false;
  if (filter.family === 'inet6' && route.family !== AF_INET6) return false;
  const table = filter.table === 'main' ? RT_TABLE_MAIN : filter.table === 'local' ? RT_TABLE_LOCAL
    : filter.table === 'all' ? 0 : filter.table ?? 0;
  if (table !== 0 && route.table !== table) return false;
  if (filter.protocol && route.protocol !== filter.protocol) return false;
  if (filter.type && route.type !== filter.type) return false;
  if (filter.ifindex !== undefined && route.oif !== filter.ifindex &&
    !route.multipath?.some((hop) => hop.ifindex === filter.ifindex)) return false;
  return true;
}

function filters(filter: RouteFilter): boolean {
  return filter.family !== undefined || (filter.table !== undefined && filter.table !== 'all' && filter.table !== 0) ||
    !!filter.protocol || !!filter.type || filter.ifindex !== undefined;
}

/**
 * routeSelector returns what `routes(filter)` does with each reply message of
 * its dump: the decoded route, or undefined for a message it leaves out — not
 * an RTM_NEWROUTE, a route cache entry (RTM_F_CLONED), or a route `filter`
 * does not match in a reply the kernel did not filter (no
 * NLM_F_DUMP_FILTERED). The family is never checked again: rtnetlink hands a
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
  const selective = filters(rest);
  return (msg) => {
    if (msg.type !== RTM_NEWROUTE) return undefined;
    const route = decodeRoute(msg);
    if (route.flags & RTM_F_CLONED) return undefined;
    if (selective && !(msg.flags & NLM_F_DUMP_FILTERED) && !matchRoute(route, rest)) return undefined;
    return route;
  };
}
