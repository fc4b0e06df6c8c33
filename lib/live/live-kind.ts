/**
 * What the live-table engine needs to know about each kind of object: its
 * Netlink protocol, notification groups and message types, how to decode,
 * filter, dump and identify it, which fields age on their own, which other
 * notifications mean the kernel may have removed some silently, and how often
 * to re-read what changes without any notification.
 */
import type { Observable } from 'rxjs';
import { NETLINK_ROUTE, NETLINK_SOCK_DIAG, NLM_F_APPEND, NLM_F_REPLACE, type NetlinkMessage } from '../codec/header.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { addresses, decodeAddress, matchAddress, type Address, type AddressFilter } from '../route/address.js';
import {
  AF_INET, AF_INET6, RTM_DELADDR, RTM_DELLINK, RTM_DELNEIGH, RTM_DELROUTE, RTM_DELRULE, RTM_NEWADDR, RTM_NEWLINK,
  RTM_DELNEXTHOP, RTM_NEWNEIGH, RTM_NEWNEXTHOP, RTM_NEWROUTE, RTM_NEWRULE, RTNLGRP_NEXTHOP, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE,
  RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV6_RULE, RTNLGRP_LINK, RTNLGRP_NEIGH,
} from '../route/constants.js';
import { decodeLink, links, matchLink, type Link, type LinkFilter } from '../route/link.js';
import { decodeNeighbor, matchNeighbor, neighbors, type Neighbor, type NeighborFilter } from '../route/neighbor.js';
import { RTM_F_CLONED } from '../route/route-constants.js';
import { decodeRoute, matchRoute, routes, type Route, type RouteFilter } from '../route/route.js';
import { decodeNexthop, matchNexthop, nexthops, type Nexthop, type NexthopFilter } from '../route/nexthop.js';
import { decodeRule, matchRule, rules, type Rule, type RuleFilter } from '../route/rule.js';
import {
  conntrack, decodeConntrack, matchConntrack, CONNTRACK_NEW_TYPE, type Conntrack, type ConntrackFilter,
} from '../netfilter/conntrack.js';
import {
  IPCTNL_MSG_CT_DELETE, NETLINK_NETFILTER, NFNLGRP_CONNTRACK_DESTROY, NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE,
  NFNL_SUBSYS_CTNETLINK,
} from '../netfilter/netfilter-constants.js';
import { inetSocketMessage } from '../sockdiag/inet-diag-decode.js';
import {
  IPPROTO_TCP, SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY, SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY,
  SOCK_DIAG_BY_FAMILY,
} from '../sockdiag/sockdiag-constants.js';
import type { Socket } from '../sockdiag/socket.js';
import { matchSocket, type SocketFilter } from '../sockdiag/socket-filter.js';
import { sockets } from '../sockdiag/sockets.js';
import { addressKey, conntrackKey, socketKey, linkKey, neighborKey, nexthopKey, routeKey, ruleKey } from './identity.js';

/**
 * LiveKinds maps each kind a live table can watch to its object and filter types.
 *
 * @example
 * type R = LiveKinds['routes']['object']; // Route
 */
export interface LiveKinds {
  links: { object: Link; filter: LinkFilter };
  addresses: { object: Address; filter: AddressFilter };
  routes: { object: Route; filter: RouteFilter };
  neighbors: { object: Neighbor; filter: NeighborFilter };
  rules: { object: Rule; filter: RuleFilter };
  nexthops: { object: Nexthop; filter: NexthopFilter };
  conntrack: { object: Conntrack; filter: ConntrackFilter };
  sockets: { object: Socket; filter: SocketFilter };
}

/**
 * LiveKind names a kind of object: `'links' | 'addresses' | 'routes' | …`.
 *
 * @example
 * const kind: LiveKind = 'routes';
 */
export type LiveKind = keyof LiveKinds;

/**
 * RtnetlinkKind names the kinds whose notifications come over NETLINK_ROUTE
 * (what `rtnetlinkMonitor()` decodes).
 *
 * @example
 * const kind: RtnetlinkKind = 'links';
 */
export type RtnetlinkKind = Exclude<LiveKind, 'conntrack' | 'sockets'>;

/** LiveObject is the object type of kind K. @example let r: LiveObject<'routes'>; */
export type LiveObject<K extends LiveKind> = LiveKinds[K]['object'];
/** LiveFilter is the filter type of kind K. @example const f: LiveFilter<'routes'> = { table: 'main' }; */
export type LiveFilter<K extends LiveKind> = LiveKinds[K]['filter'];

/**
 * FlushTrigger names a change after which the kernel removes or alters
 * objects of another kind without one notification per object: a link going
 * down or away (its IPv4 routes, neighbours, nexthops), an address removed
 * (the routes of its subnet and those using it as source), a nexthop removed
 * or replaced (the routes using it).
 *
 * @example
 * const t: FlushTrigger = 'link-down';
 */
export type FlushTrigger = 'link-down' | 'link-del' | 'address-del' | 'nexthop';

/**
 * LiveKindSpec describes one kind to the live-table engine.
 *
 * @example
 * const spec = liveKinds.routes; spec.key(route);
 */
export interface LiveKindSpec<T, F> {
  /** A LiveKind, or for other tables a name of their own (`'netdev/devices'`). */
  readonly kind: LiveKind | (string & Record<never, never>);
  /** The Netlink protocol of the dumps and notifications (NETLINK_ROUTE, NETLINK_NETFILTER …). */
  readonly protocol: number;
  /**
   * The notification message types: object created or changed (undefined
   * when the kernel announces no creations), object removed (undefined when
   * `classify` tells them apart instead).
   */
  readonly newType: number | undefined;
  readonly delType: number | undefined;
  /**
   * For families whose notifications share one message type (generic
   * netlink: the family's id, told apart by the genlmsghdr command): whether
   * a message announces an object created or changed (`'new'`), removed
   * (`'del'`), or is none of this table's business. Without it `newType` and
   * `delType` decide.
   */
  classify?(msg: NetlinkMessage): 'new' | 'del' | undefined;
  /** The multicast groups carrying this kind's notifications for `filter`. */
  groups(filter: F): number[];
  decode(msg: NetlinkMessage): T;
  /** Whether an object belongs in a table watched with `filter`. */
  accept(object: T, filter: F): boolean;
  dump(filter: F, options: DumpOptions): Observable<T>;
  /** The object's identity (see identity.ts). */
  key(object: T): string;
  /** Top-level fields that change without notification (counters, ageing), ignored when comparing. */
  readonly volatile: ReadonlySet<string>;
  /**
   * Changes of other kinds after which this kind's table must be re-read
   * (rtnetlink kinds only: the triggers are rtnetlink notifications, heard on
   * the kind's own socket).
   */
  readonly flushTriggers: readonly FlushTrigger[];
  /**
   * Whether a notification may have changed rows other than the one it names
   * (a replace that took the place of a route of another identity, a removal
   * of a row the table does not know): the table is then re-read.
   */
  ambiguous?(object: T, flags: number, del: boolean, known: boolean): boolean;
  /**
   * For kinds whose notifications carry only part of an object (ctnetlink
   * sends no counters and only the parts that changed): the row after a
   * notification about `old`. Without it a notification replaces the row.
   */
  merge?(old: T, notified: T): T;
  /**
   * For kinds where objects appear or change without a notification: the
   * table is re-read every `poll` ms (at least ten times the last dump's
   * duration apart) and compared, as after an overrun. `LiveTableOptions.poll`
   * overrides it.
   */
  readonly poll?: number;
}

const names = <T extends string>(one: T | readonly T[] | undefined): readonly T[] | undefined =>
  one === undefined ? undefined : typeof one === 'string' ? [one as T] : one as readonly T[];

/**
 * The destroy groups a socket filter needs: the kernel announces the end of
 * TCP and UDP sockets of both inet families (sock_diag_destroy_group), and
 * nothing else.
 */
function destroyGroups(filter: SocketFilter): number[] {
  const families = names(filter.family);
  const protocols = names(filter.protocol);
  const groups: number[] = [];
  for (const [family, tcp, udp] of [['inet', SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET_UDP_DESTROY],
    ['inet6', SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY]] as const) {
    if (families !== undefined && !families.includes(family)) continue;
    if (protocols === undefined || protocols.includes('tcp')) groups.push(tcp);
    if (protocols === undefined || protocols.includes('udp')) groups.push(udp);
  }
  return groups;
}

/**
 * A destroy notification: struct inet_diag_msg (family, state, addresses,
 * ports, cookie) and INET_DIAG_PROTOCOL. Only its cookie is used.
 */
function decodeDestroyed(msg: NetlinkMessage): Socket {
  const socket = inetSocketMessage(IPPROTO_TCP).decode(msg);
  return socket.rawProtocol === undefined ? socket : { ...socket, protocol: socket.rawProtocol };
}

const inetGroups = (family: string | undefined, v4: number, v6: number): number[] =>
  family === 'inet' ? [v4] : family === 'inet6' ? [v6] : [v4, v6];
const inet = (family: number): boolean => family === AF_INET || family === AF_INET6;

/**
 * liveKinds: the engine's description of every watchable kind. Routes and
 * rules are IPv4 and IPv6 only (the groups watched carry nothing else); route
 * cache exceptions (RTM_F_CLONED) are not table rows. Conntrack entries are
 * identified by id and original tuple, and re-read every 10 s besides their
 * events (see `poll`). Sockets are their cookie; the kernel announces only
 * the end of TCP and UDP sockets, so socket tables are re-read every 2 s.
 *
 * @example
 * liveKinds.links.groups({}); // [RTNLGRP_LINK]
 */
export const liveKinds: { readonly [K in LiveKind]: LiveKindSpec<LiveObject<K>, LiveFilter<K>> } = {
  links: {
    kind: 'links', protocol: NETLINK_ROUTE, newType: RTM_NEWLINK, delType: RTM_DELLINK,
    groups: () => [RTNLGRP_LINK],
    decode: decodeLink,
    accept: (link, filter) => matchLink(link, filter),
    dump: links,
    key: linkKey,
    volatile: new Set(['stats64']),
    flushTriggers: [],
  },
  addresses: {
    kind: 'addresses', protocol: NETLINK_ROUTE, newType: RTM_NEWADDR, delType: RTM_DELADDR,
    groups: (filter) => inetGroups(filter.family, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR),
    decode: decodeAddress,
    accept: (addr, filter) => inet(addr.family) && matchAddress(addr, filter),
    dump: addresses,
    key: addressKey,
    volatile: new Set(['cacheinfo']),
    flushTriggers: ['link-del'],
  },
  routes: {
    kind: 'routes', protocol: NETLINK_ROUTE, newType: RTM_NEWROUTE, delType: RTM_DELROUTE,
    groups: (filter) => inetGroups(filter.family, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE),
    decode: decodeRoute,
    accept: (route, filter) => inet(route.family) && (route.flags & RTM_F_CLONED) === 0 && matchRoute(route, filter),
    dump: routes,
    key: routeKey,
    volatile: new Set(['cacheinfo', 'expires']),
    flushTriggers: ['link-down', 'link-del', 'address-del', 'nexthop'],
    // IPv6 single-path routes are identified per device: a replace or append may
    // have turned another row into this one; a sibling's removal names a
    // single path of a multipath row.
    ambiguous: (route, flags, del, known) =>
      del ? !known : route.family === AF_INET6 && (flags & (NLM_F_REPLACE | NLM_F_APPEND)) !== 0,
  },
  neighbors: {
    kind: 'neighbors', protocol: NETLINK_ROUTE, newType: RTM_NEWNEIGH, delType: RTM_DELNEIGH,
    groups: () => [RTNLGRP_NEIGH],
    decode: decodeNeighbor,
    accept: (n, filter) => matchNeighbor(n, filter),
    dump: neighbors,
    key: neighborKey,
    volatile: new Set(['cacheinfo', 'probes']),
    flushTriggers: ['link-down', 'link-del'],
  },
  rules: {
    kind: 'rules', protocol: NETLINK_ROUTE, newType: RTM_NEWRULE, delType: RTM_DELRULE,
    groups: (filter) => inetGroups(filter.family, RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE),
    decode: decodeRule,
    accept: (rule, filter) => inet(rule.family) && matchRule(rule, filter),
    dump: rules,
    key: ruleKey,
    volatile: new Set(),
    flushTriggers: [],
  },
  nexthops: {
    kind: 'nexthops', protocol: NETLINK_ROUTE, newType: RTM_NEWNEXTHOP, delType: RTM_DELNEXTHOP,
    groups: () => [RTNLGRP_NEXTHOP],
    decode: decodeNexthop,
    accept: (nh, filter) => matchNexthop(nh, filter),
    dump: nexthops,
    key: nexthopKey,
    volatile: new Set(),
    // A link going away takes its nexthops with it, unannounced.
    flushTriggers: ['link-down', 'link-del'],
    // Removing a nexthop also rewrites the groups that held it.
    ambiguous: (_nh, _flags, del) => del,
  },
  conntrack: {
    kind: 'conntrack', protocol: NETLINK_NETFILTER,
    // NEW and UPDATE events are both IPCTNL_MSG_CT_NEW (told apart by NLM_F_CREATE), DESTROY is IPCTNL_MSG_CT_DELETE.
    newType: CONNTRACK_NEW_TYPE, delType: (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE,
    groups: () => [NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY],
    decode: decodeConntrack,
    accept: (ct, filter) => matchConntrack(ct, filter),
    dump: conntrack,
    key: conntrackKey,
    // Seconds left, packet and byte counts, references and timestamps move with every packet, unannounced;
    // events carry attributes dumps do not (CTA_SYNPROXY), left in `unknown`.
    volatile: new Set(['timeout', 'countersOrig', 'countersReply', 'use', 'timestamp', 'unknown']),
    flushTriggers: [],
    // An update event carries the tuples, id, status, timeout and mark, and the
    // rest (protocol state, helper, labels …) only when that part changed.
    merge: (old, notified) => ({ ...old, ...notified }),
    // With net.netfilter.nf_conntrack_events = 2 (the default) entries made
    // while nobody listened carry no event cache: their updates and removal
    // are never announced. Only a re-read sees them.
    poll: 10_000,
  },
  sockets: {
    kind: 'sockets', protocol: NETLINK_SOCK_DIAG,
    // No notification of new sockets or changes: those come with the re-reads.
    newType: undefined, delType: SOCK_DIAG_BY_FAMILY,
    groups: destroyGroups,
    decode: decodeDestroyed,
    accept: (socket, filter) => matchSocket(socket, filter),
    dump: (filter, options) => sockets(filter, options),
    key: socketKey,
    // Queues, timers, retransmits, memory and TCP statistics move with every packet.
    volatile: new Set(['rqueue', 'wqueue', 'timer', 'retrans', 'expires', 'meminfo', 'tcpInfo', 'info', 'vegas', 'dctcp', 'bbr',
      'skmeminfo']),
    flushTriggers: [],
    poll: 2000,
  },
};

/**
 * isLiveKind tells a kind name from any other string (CLI input, JSON).
 *
 * @example
 * isLiveKind('routes'); // true
 */
export function isLiveKind(name: string): name is LiveKind {
  return Object.prototype.hasOwnProperty.call(liveKinds, name);
}
