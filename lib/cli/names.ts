/**
 * iproute2's names: device groups, scopes and protocols by name from the
 * tables route-names.ts reads (the one reader of /etc/iproute2), and the
 * fixed tables compiled into `ip` (ARPHRD types, operational states, flag
 * names).
 */
import { deviceGroups, routeProtocols, routeScopes } from './route-names.js';

/**
 * groupName is rtnl_group_n2a(): the name of a device group, or its number.
 *
 * @example
 * groupName(0); // 'default'
 */
export function groupName(group: number): string {
  return deviceGroups().name(group);
}

/**
 * scopeName is rtnl_rtscope_n2a(): the name of a route/address scope, or its number.
 *
 * @example
 * scopeName(253); // 'link'
 */
export function scopeName(scope: number): string {
  return routeScopes().name(scope);
}

/**
 * protocolName is rtnl_rtprot_n2a(): the name of a routing protocol number
 * (RTPROT_*), as neighbours' NDA_PROTOCOL uses it, or the number.
 *
 * @example
 * protocolName(4); // 'static'
 */
export function protocolName(protocol: number): string {
  return routeProtocols().name(protocol);
}

/** ll_type_n2a()'s table: ARPHRD_* → the word after `link/`. */
const ARPHRD_NAMES = new Map<number, string>([
  [0, 'netrom'], [1, 'ether'], [2, 'eether'], [3, 'ax25'], [4, 'pronet'], [5, 'chaos'], [6, 'ieee802'],
  [7, 'arcnet'], [8, 'atalk'], [15, 'dlci'], [19, 'atm'], [23, 'metricom'], [24, 'ieee1394'],
  [32, 'infiniband'], [256, 'slip'], [257, 'cslip'], [258, 'slip6'], [259, 'cslip6'], [260, 'rsrvd'],
  [264, 'adapt'], [270, 'rose'], [271, 'x25'], [272, 'hwx25'], [280, 'can'], [512, 'ppp'], [513, 'hdlc'],
  [516, 'lapb'], [517, 'ddcmp'], [518, 'rawhdlc'], [519, 'rawip'], [768, 'ipip'], [769, 'tunnel6'],
  [770, 'frad'], [771, 'skip'], [772, 'loopback'], [773, 'ltalk'], [774, 'fddi'], [775, 'bif'],
  [776, 'sit'], [777, 'ip/ddp'], [778, 'gre'], [779, 'pimreg'], [780, 'hippi'], [781, 'ash'],
  [782, 'econet'], [783, 'irda'], [784, 'fcpp'], [785, 'fcal'], [786, 'fcpl'], [787, 'fcfb0'],
  [800, 'tr'], [801, 'ieee802.11'], [802, 'ieee802.11/prism'], [803, 'ieee802.11/radiotap'],
  [804, 'ieee802.15.4'], [805, 'ieee802.15.4/monitor'], [820, 'phonet'], [821, 'phonet_pipe'],
  [822, 'caif'], [823, 'gre6'], [824, 'netlink'], [825, '6lowpan'], [0xfffe, 'none'], [0xffff, 'void'],
]);

/**
 * linkTypeName is ll_type_n2a(): `ether`, `loopback` …, or `[N]`.
 *
 * @example
 * linkTypeName(772); // 'loopback'
 */
export function linkTypeName(arphrd: number): string {
  return ARPHRD_NAMES.get(arphrd) ?? `[${arphrd}]`;
}

/** IF_OPER_* names, by value. */
export const OPER_STATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;

/** IF_LINK_MODE_* names, by value. */
export const LINK_MODES = ['DEFAULT', 'DORMANT', 'TESTING'] as const;

/** IFF_* names in the order `ip` prints them (print_link_flags()). */
export const LINK_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [1 << 3, 'LOOPBACK'], [1 << 1, 'BROADCAST'], [1 << 4, 'POINTOPOINT'], [1 << 12, 'MULTICAST'],
  [1 << 7, 'NOARP'], [1 << 9, 'ALLMULTI'], [1 << 8, 'PROMISC'], [1 << 10, 'MASTER'], [1 << 11, 'SLAVE'],
  [1 << 2, 'DEBUG'], [1 << 15, 'DYNAMIC'], [1 << 14, 'AUTOMEDIA'], [1 << 13, 'PORTSEL'],
  [1 << 5, 'NOTRAILERS'], [1 << 0, 'UP'], [1 << 16, 'LOWER_UP'], [1 << 17, 'DORMANT'], [1 << 18, 'ECHO'],
];

/** IFA_F_* names in the order `ip` prints them (ifa_flag_names[] in ipaddress.c). */
export const ADDRESS_FLAG_NAMES: readonly (readonly [number, string])[] = [
  [0x01, 'secondary'], [0x01, 'temporary'], [0x02, 'nodad'], [0x04, 'optimistic'], [0x08, 'dadfailed'],
  [0x10, 'home'], [0x20, 'deprecated'], [0x40, 'tentative'], [0x80, 'permanent'], [0x100, 'mngtmpaddr'],
  [0x200, 'noprefixroute'], [0x400, 'autojoin'], [0x800, 'stable-privacy'],
];

/** NUD_* names in the order `ip` prints them (print_neigh_state()). */
export const NUD_NAMES: readonly (readonly [number, string])[] = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'], [0x10, 'PROBE'],
  [0x20, 'FAILED'], [0x40, 'NOARP'], [0x80, 'PERMANENT'],
];

/** IN6_ADDR_GEN_MODE_* names as `ip -d link` prints them. */
export const ADDR_GEN_MODES = ['eui64', 'none', 'stable_secret', 'random'] as const;
