import { constants } from 'node:os';
import { NetlinkError } from '../errors.js';
import type { SocketQuery } from './socket-query.js';
import {
  AF_NETLINK, IPPROTO_MPTCP, IPPROTO_RAW, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, TCPF_ALL,
} from './sockdiag-constants.js';

// Route's constants; families do not import one another.
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_PACKET = 17;

/** Socket families by the names `ss -f` uses. */
export type SocketFamilyName = 'inet' | 'inet6' | 'unix' | 'netlink' | 'packet';
/** Inet protocols by name (ss -t, -u, -w, -S, -M). */
export type SocketProtocolName = 'tcp' | 'udp' | 'udplite' | 'raw' | 'sctp' | 'mptcp';

/**
 * SocketScope is what a dump's requests select: families, inet protocols,
 * kernel states (bit n of the request's mask for state n). A protocol
 * restricts inet sockets; other families come with a protocol only when
 * `family` names them.
 */
export interface SocketScope {
  readonly family?: SocketFamilyName | readonly SocketFamilyName[];
  readonly protocol?: SocketProtocolName | readonly SocketProtocolName[];
  readonly states?: readonly number[];
}

const FAMILIES: Readonly<Record<SocketFamilyName, number>> = {
  inet: AF_INET, inet6: AF_INET6, unix: AF_UNIX, netlink: AF_NETLINK, packet: AF_PACKET,
};
const PROTOCOLS: Readonly<Record<SocketProtocolName, number>> = {
  tcp: IPPROTO_TCP, udp: IPPROTO_UDP, udplite: IPPROTO_UDPLITE, raw: IPPROTO_RAW, sctp: IPPROTO_SCTP, mptcp: IPPROTO_MPTCP,
};

function list<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value as readonly T[] : [value as T];
}

function invalid(message: string): NetlinkError {
  return new NetlinkError(`invalid socket filter: ${message}`, constants.errno.EINVAL);
}

/**
 * socketQueries plans the dumps of a scope, in `sockets()`'s order: each
 * query, and whether it is `required` — an inet dump whose protocol was
 * named, another family's dump whose family was named: a kernel without its
 * module is then an error — or a default one (left out when the module is
 * missing: `{ family: 'inet' }` does not fail for want of sctp_diag).
 * Throws a NetlinkError (EINVAL) for an unknown name or state.
 *
 * @example
 * socketQueries({ family: 'inet6', protocol: 'udp' }, 0);
 * // [{ query: { family: 10, protocol: 17, states: 0xffffffff, ext: 0 }, required: true }]
 */
export function socketQueries(scope: SocketScope, ext: number): { query: SocketQuery; required: boolean }[] {
  const families = list(scope.family);
  const protocols = list(scope.protocol);
  for (const name of families ?? []) if (!Object.hasOwn(FAMILIES, name)) throw invalid(`unknown family '${String(name)}'`);
  for (const name of protocols ?? []) if (!Object.hasOwn(PROTOCOLS, name)) throw invalid(`unknown protocol '${String(name)}'`);
  let states = scope.states === undefined ? TCPF_ALL : 0;
  for (const state of scope.states ?? []) {
    if (!Number.isInteger(state) || state < 0 || state > 31) throw invalid(`state ${String(state)}`);
    states |= 1 << state;
  }
  states >>>= 0;
  if (states === 0) return [];
  const wanted = new Set((families ?? Object.keys(FAMILIES) as SocketFamilyName[]).map((name) => FAMILIES[name]));
  const queries: { query: SocketQuery; required: boolean }[] = [];
  for (const protocol of Object.values(PROTOCOLS)) {
    if (protocols !== undefined && !protocols.some((name) => PROTOCOLS[name] === protocol)) continue;
    for (const family of [AF_INET, AF_INET6]) {
      if (wanted.has(family)) queries.push({ query: { family, protocol, states, ext }, required: protocols !== undefined });
    }
  }
  for (const family of [AF_UNIX, AF_NETLINK, AF_PACKET]) {
    if (wanted.has(family) && (protocols === undefined || families !== undefined)) {
      queries.push({ query: { family, protocol: 0, states }, required: families !== undefined });
    }
  }
  return queries;
}
