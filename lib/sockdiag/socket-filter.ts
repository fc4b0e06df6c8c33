/**
 * Which sockets a dump selects: the `SocketFilter` type, how a sock_diag
 * request header takes its states, family and protocol
 * (`socketRequestHeaders`), and `matchSocket`, the JavaScript predicate the
 * dumps re-apply to every result. The rest of a filter — addresses, ports,
 * device, mark, cgroup, and their and/or/not — is what
 * `compileSocketFilter` (filter-bytecode.ts) hands the kernel as an
 * INET_DIAG_REQ_BYTECODE program. Both sides read the same normalized form
 * (`FilterTerm`) and follow the kernel's rules (net/ipv4/inet_diag.c,
 * inet_diag_bc_run), so a result is the same whether the kernel or this
 * predicate did the choosing.
 */
import { constants } from 'node:os';
import { inetBytes } from '../codec/address-text.js';
import { NetlinkError } from '../errors.js';

// Address families and protocols by their uapi numbers (<linux/socket.h>, <linux/in.h>);
// kept here because a family folder imports no other family's constants.
const AF_UNSPEC = 0;
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_PACKET = 17;
const TCP_SYN_RECV = 3;
const TCP_CLOSE = 7;
const TCP_NEW_SYN_RECV = 12;
const TCP_BOUND_INACTIVE = 13;
const IPPROTO_TCP = 6;

/** Address families a filter can name, as `ss -f` does. */
export type SocketFamilyName = 'inet' | 'inet6' | 'unix' | 'netlink' | 'packet';

/** Inet protocols a filter can name (ss -t, -u, … and `-A`). */
export type SocketProtocolName = 'tcp' | 'udp' | 'udplite' | 'raw' | 'sctp' | 'mptcp';

/** One kernel socket state by ss's name (`ss state NAME`). */
export type SocketStateName =
  | 'established' | 'syn-sent' | 'syn-recv' | 'fin-wait-1' | 'fin-wait-2' | 'time-wait' | 'closed'
  | 'close-wait' | 'last-ack' | 'listening' | 'closing';

/** ss's groups of states: `all`, `connected`, `synchronized`, `bucket`, `big`. */
export type SocketStateGroupName = 'all' | 'connected' | 'synchronized' | 'bucket' | 'big';

/** An inclusive port range; `from` defaults to 0, `to` to 65535. `from > to` selects nothing. */
export interface PortRange {
  readonly from?: number;
  readonly to?: number;
}

/** A port condition: one port (0 included: an unbound socket's port), or a range. */
export type PortMatch = number | PortRange;

/** A mark condition, the kernel's: `(socket.mark & mask) === value`; `mask` defaults to 0xffffffff. */
export interface MarkMatch {
  readonly value: number;
  readonly mask?: number;
}

/**
 * SocketMatch tests an inet socket's own fields; every field given must hold
 * (AND). Addresses are 'a.b.c.d', 'a.b.c.d/len', an IPv6 address or
 * 'prefix/len' (brackets allowed): an IPv4 prefix also matches IPv6 sockets
 * whose address is IPv4-mapped (::ffff:a.b.c.d), as the kernel's S_COND does;
 * an IPv6 prefix never matches an IPv4 socket. UNIX, netlink and packet
 * sockets have none of these fields: every condition is false for them.
 */
export interface SocketMatch {
  /** The local address (socket.src) lies in this prefix. */
  readonly src?: string;
  /** The remote address (socket.dst) lies in this prefix. */
  readonly dst?: string;
  /** The local port (socket.srcPort). */
  readonly srcPort?: PortMatch;
  /** The remote port (socket.dstPort). */
  readonly dstPort?: PortMatch;
  /** The device the socket is bound to (SO_BINDTODEVICE; 0 for none). */
  readonly ifindex?: number;
  /** SO_MARK under a mask. Sockets whose dump carries no mark count as mark 0. */
  readonly mark?: MarkMatch;
  /** The cgroup v2 id. Sockets whose dump carries no cgroup id count as 0. */
  readonly cgroupId?: bigint;
}

/**
 * SocketCondition is a boolean expression of matches: what `ss`'s filter
 * expression (`src …`, `dport …`, `and`, `or`, `not`, parentheses) parses to.
 */
export type SocketCondition =
  | SocketMatch
  | { readonly and: readonly SocketCondition[] }
  | { readonly or: readonly SocketCondition[] }
  | { readonly not: SocketCondition };

/**
 * SocketFilter selects sockets. `family`, `protocol` and `states` go into the
 * request headers (`socketRequestHeaders`): which tables are dumped and which
 * states the kernel returns. The match fields and `where` are ANDed together:
 * for inet sockets the kernel runs them as bytecode (`compileSocketFilter`),
 * and `matchSocket` re-applies all of it to every result.
 *
 * - `family`: one name or several; default every family. A `protocol`
 *   restricts inet sockets; UNIX, netlink and packet sockets then come only
 *   when `family` names them (ss -t -x).
 * - `states`: kernel state numbers (TCP_ESTABLISHED = 1 … TCP_CLOSING = 11)
 *   or ss's names and groups; default every state. Netlink and packet
 *   sockets have no states: like ss, they count as `closed`. A TCP socket
 *   that is bound but neither listening nor connected is reported as
 *   `closed` (7) but selected by TCP_BOUND_INACTIVE (13) only, as the
 *   kernel does (Linux ≥ 6.8).
 */
export interface SocketFilter extends SocketMatch {
  readonly family?: SocketFamilyName | readonly SocketFamilyName[];
  readonly protocol?: SocketProtocolName | readonly SocketProtocolName[];
  readonly states?: readonly (SocketStateName | SocketStateGroupName | number)[];
  /** A further condition, ANDed with the match fields. */
  readonly where?: SocketCondition;
}

/**
 * The fields of a socket the filter reads — a structural part of every
 * `Socket` (`InetSocket`, `UnixSocket`, `NetlinkSocket`, `PacketSocket`).
 */
export interface FilterableSocket {
  readonly kind: string;
  readonly family?: number;
  readonly protocol?: number;
  readonly state?: number;
  readonly src?: string;
  readonly srcPort?: number;
  readonly dst?: string;
  readonly dstPort?: number;
  readonly ifindex?: number;
  readonly mark?: number;
  readonly cgroupId?: bigint;
}

/**
 * FilterTerm is a filter's condition normalized: prefixes parsed, ranges
 * split into the kernel's comparisons, constants folded. `host` is the
 * kernel's hostcond (`family` AF_UNSPEC for "any address"; `port` -1 for any).
 */
export type FilterTerm =
  | { readonly op: 'true' }
  | { readonly op: 'false' }
  | {
    readonly op: 'host'; readonly side: 'src' | 'dst'; readonly family: number;
    readonly prefixLen: number; readonly addr: Uint8Array; readonly port: number;
  }
  | { readonly op: 'port'; readonly side: 'src' | 'dst'; readonly cmp: 'ge' | 'le'; readonly port: number }
  | { readonly op: 'dev'; readonly ifindex: number }
  | { readonly op: 'mark'; readonly value: number; readonly mask: number }
  | { readonly op: 'cgroup'; readonly id: bigint }
  | { readonly op: 'and'; readonly terms: readonly FilterTerm[] }
  | { readonly op: 'or'; readonly terms: readonly FilterTerm[] }
  | { readonly op: 'not'; readonly term: FilterTerm };

/** The header part of one sock_diag request a filter needs. */
export interface SocketRequestHeader {
  /** sdiag_family: AF_INET, AF_INET6, AF_UNIX, AF_NETLINK or AF_PACKET. */
  readonly family: number;
  /** The inet protocol (IPPROTO_*; MPTCP's 262 goes in INET_DIAG_REQ_PROTOCOL); 0 for other families. */
  readonly protocol: number;
  /** idiag_states / udiag_states: bit n set selects state n. Unused for netlink and packet. */
  readonly states: number;
}

const FAMILIES: Readonly<Record<SocketFamilyName, number>> = {
  inet: AF_INET, inet6: AF_INET6, unix: AF_UNIX, netlink: AF_NETLINK, packet: AF_PACKET,
};
const PROTOCOLS: Readonly<Record<SocketProtocolName, number>> = {
  tcp: 6, udp: 17, udplite: 136, raw: 255, sctp: 132, mptcp: 262,
};
const STATES: Readonly<Record<SocketStateName, number>> = {
  established: 1, 'syn-sent': 2, 'syn-recv': 3, 'fin-wait-1': 4, 'fin-wait-2': 5, 'time-wait': 6,
  closed: 7, 'close-wait': 8, 'last-ack': 9, listening: 10, closing: 11,
};
// ss's SS_ALL is states 0..11 (SS_UNKNOWN included); the groups are ss's scan_state().
const SS_ALL = (1 << 12) - 1;
const bit = (state: number) => 1 << state;
const STATE_GROUPS: Readonly<Record<SocketStateGroupName, number>> = {
  all: SS_ALL,
  connected: SS_ALL & ~(bit(TCP_CLOSE) | bit(10)),
  synchronized: SS_ALL & ~(bit(TCP_CLOSE) | bit(10) | bit(2)),
  bucket: bit(TCP_SYN_RECV) | bit(6),
  big: SS_ALL & ~(bit(TCP_SYN_RECV) | bit(6)),
};
const ALL_STATES = 0xffff_ffff;

function invalid(message: string): NetlinkError {
  return new NetlinkError(`invalid socket filter: ${message}`, constants.errno.EINVAL);
}

function list<T>(value: T | readonly T[] | undefined): readonly T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/**
 * stateMask turns a filter's `states` into the kernel's bit mask (bit n for
 * state n); every state when none are given. Throws a NetlinkError (EINVAL)
 * for an unknown name or a number outside 0…31.
 *
 * @example
 * stateMask(['listening', 'established']); // (1 << 10) | (1 << 1)
 */
export function stateMask(states: SocketFilter['states']): number {
  if (states === undefined) return ALL_STATES;
  let mask = 0;
  for (const state of states) {
    if (typeof state === 'number') {
      if (!Number.isInteger(state) || state < 0 || state > 31) throw invalid(`state ${state}`);
      mask |= 1 << state;
    } else if (Object.hasOwn(STATES, state)) {
      mask |= bit(STATES[state as SocketStateName]);
    } else if (Object.hasOwn(STATE_GROUPS, state)) {
      mask |= STATE_GROUPS[state as SocketStateGroupName];
    } else {
      throw invalid(`unknown state '${String(state)}'`);
    }
  }
  return mask >>> 0;
}

/** The filter's families and protocols as numbers, checked. */
function scope(filter: SocketFilter): { families: readonly SocketFamilyName[]; explicit: boolean; protocols?: readonly number[] } {
  const named = list(filter.family);
  for (const name of named ?? []) if (!Object.hasOwn(FAMILIES, name)) throw invalid(`unknown family '${String(name)}'`);
  const protocols = list(filter.protocol)?.map((name) => {
    if (!Object.hasOwn(PROTOCOLS, name)) throw invalid(`unknown protocol '${String(name)}'`);
    return PROTOCOLS[name];
  });
  return { families: named ?? (Object.keys(FAMILIES) as SocketFamilyName[]), explicit: named !== undefined, protocols };
}

/**
 * socketRequestHeaders lists the sock_diag requests a filter needs: one per
 * inet family and protocol (the filter's protocols, else all six), one per
 * other family, each with the filter's state mask. Empty when the filter
 * can select nothing by its header fields (`states: []`). Throws a
 * NetlinkError (EINVAL) for unknown names.
 *
 * @example
 * socketRequestHeaders({ family: 'inet6', protocol: 'tcp', states: ['listening'] });
 * // [{ family: 10, protocol: 6, states: 1024 }]
 */
export function socketRequestHeaders(filter: SocketFilter = {}): SocketRequestHeader[] {
  const states = stateMask(filter.states);
  if (states === 0) return [];
  const { families, explicit, protocols } = scope(filter);
  const headers: SocketRequestHeader[] = [];
  for (const name of new Set(families)) {
    const family = FAMILIES[name];
    if (family === AF_INET || family === AF_INET6) {
      for (const protocol of new Set(protocols ?? Object.values(PROTOCOLS))) headers.push({ family, protocol, states });
    } else if (protocols === undefined || explicit) {
      headers.push({ family, protocol: 0, states });
    }
  }
  return headers;
}

const TRUE: FilterTerm = { op: 'true' };
const FALSE: FilterTerm = { op: 'false' };

function u32(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw invalid(`${what} ${String(value)}`);
  return value;
}

function portEnd(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(`${what} ${String(value)}`);
  return value;
}

/** A prefix text as the kernel's hostcond: family, prefix length, address bytes. */
function hostTerm(side: 'src' | 'dst', text: unknown): FilterTerm {
  if (typeof text !== 'string') throw invalid(`${side} ${String(text)}`);
  const slash = text.lastIndexOf('/');
  let address = slash === -1 ? text : text.slice(0, slash);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const addr = inetBytes(address);
  if (!addr) throw invalid(`${side} '${text}' is not an address or prefix`);
  const bits = addr.length * 8;
  const lengthText = slash === -1 ? String(bits) : text.slice(slash + 1);
  const prefixLen = /^\d{1,3}$/.test(lengthText) ? Number(lengthText) : NaN;
  if (!(prefixLen <= bits)) throw invalid(`${side} '${text}' has a bad prefix length`);
  return { op: 'host', side, family: addr.length === 4 ? AF_INET : AF_INET6, prefixLen, addr, port: -1 };
}

/** A port condition as the kernel's comparisons; one port is a hostcond with any address (old kernels know it). */
function portTerm(side: 'src' | 'dst', match: PortMatch): FilterTerm {
  if (typeof match === 'number') {
    if (!Number.isInteger(match) || match < 0 || match > 0xffff) throw invalid(`${side} port ${match}`);
    return { op: 'host', side, family: AF_UNSPEC, prefixLen: 0, addr: new Uint8Array(0), port: match };
  }
  if (typeof match !== 'object' || match === null) throw invalid(`${side} port ${String(match)}`);
  const from = Math.max(0, portEnd(match.from ?? 0, `${side} port from`));
  const to = Math.min(0xffff, portEnd(match.to ?? 0xffff, `${side} port to`));
  if (from > to) return FALSE;
  const terms: FilterTerm[] = [];
  if (from > 0) terms.push({ op: 'port', side, cmp: 'ge', port: from });
  if (to < 0xffff) terms.push({ op: 'port', side, cmp: 'le', port: to });
  return and(terms);
}

function and(terms: readonly FilterTerm[]): FilterTerm {
  const kept: FilterTerm[] = [];
  for (const term of terms) {
    if (term.op === 'false') return FALSE;
    if (term.op === 'and') kept.push(...term.terms);
    else if (term.op !== 'true') kept.push(term);
  }
  return kept.length === 0 ? TRUE : kept.length === 1 ? kept[0] : { op: 'and', terms: kept };
}

function or(terms: readonly FilterTerm[]): FilterTerm {
  const kept: FilterTerm[] = [];
  for (const term of terms) {
    if (term.op === 'true') return TRUE;
    if (term.op === 'or') kept.push(...term.terms);
    else if (term.op !== 'false') kept.push(term);
  }
  return kept.length === 0 ? FALSE : kept.length === 1 ? kept[0] : { op: 'or', terms: kept };
}

function not(term: FilterTerm): FilterTerm {
  if (term.op === 'true') return FALSE;
  if (term.op === 'false') return TRUE;
  if (term.op === 'not') return term.term;
  return { op: 'not', term };
}

function matchTerm(match: SocketMatch): FilterTerm {
  const terms: FilterTerm[] = [];
  if (match.src !== undefined) terms.push(hostTerm('src', match.src));
  if (match.dst !== undefined) terms.push(hostTerm('dst', match.dst));
  if (match.srcPort !== undefined) terms.push(portTerm('src', match.srcPort));
  if (match.dstPort !== undefined) terms.push(portTerm('dst', match.dstPort));
  if (match.ifindex !== undefined) terms.push({ op: 'dev', ifindex: u32(match.ifindex, 'ifindex') });
  if (match.mark !== undefined) {
    const mark = match.mark as MarkMatch | null;
    if (typeof mark !== 'object' || mark === null) throw invalid(`mark ${String(mark)}`);
    terms.push({ op: 'mark', value: u32(mark.value, 'mark'), mask: u32(mark.mask ?? 0xffff_ffff, 'mark mask') });
  }
  if (match.cgroupId !== undefined) {
    const id = match.cgroupId;
    if (typeof id !== 'bigint' || id < 0n || id > 0xffff_ffff_ffff_ffffn) throw invalid(`cgroupId ${String(id)}`);
    terms.push({ op: 'cgroup', id });
  }
  return and(terms);
}

function conditionTerm(condition: SocketCondition, depth: number): FilterTerm {
  if (typeof condition !== 'object' || condition === null) throw invalid(`condition ${String(condition)}`);
  // Far deeper than any filter a person writes; it keeps a hostile one from exhausting the stack.
  if (depth > 256) throw invalid('conditions nested more than 256 deep');
  if ('and' in condition) return and(condition.and.map((c) => conditionTerm(c, depth + 1)));
  if ('or' in condition) return or(condition.or.map((c) => conditionTerm(c, depth + 1)));
  if ('not' in condition) return not(conditionTerm(condition.not, depth + 1));
  return matchTerm(condition);
}

/**
 * filterTerm normalizes the socket conditions of a filter (its match fields
 * and `where`, ANDed; not its family, protocol or states) into a
 * `FilterTerm`: what `compileSocketFilter` compiles and `matchSocket`
 * evaluates. Throws a NetlinkError (EINVAL) for a malformed address, port,
 * mark, ifindex or cgroup id.
 *
 * @example
 * filterTerm({ dstPort: { from: 1024 } }); // { op: 'port', side: 'dst', cmp: 'ge', port: 1024 }
 */
export function filterTerm(filter: SocketFilter): FilterTerm {
  const own = matchTerm(filter);
  return filter.where === undefined ? own : and([own, conditionTerm(filter.where, 0)]);
}

/** The kernel's bitstring_match: the first `bits` bits of a (from aOffset) and b agree. */
function prefixMatches(a: Uint8Array, aOffset: number, b: Uint8Array, bits: number): boolean {
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (a[aOffset + i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[aOffset + whole] ^ b[whole]) & mask) === 0;
}

function isV4Mapped(addr: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (addr[i] !== 0) return false;
  return addr[10] === 0xff && addr[11] === 0xff;
}

// Address text parsed for a prefix test, without the general parser for the common forms
// (dotted IPv4, IPv4-mapped IPv6): parsing is most of the test's cost. Each side keeps its
// last text and bytes, so the tests of one socket parse its address once; its scratch
// arrays change only when that side parses another text.
interface ParsedSide {
  text?: string;
  bytes?: Uint8Array;
  readonly v4: Uint8Array;
  readonly v6: Uint8Array;
}
const sides: Readonly<Record<'src' | 'dst', ParsedSide>> = {
  src: { v4: new Uint8Array(4), v6: new Uint8Array(16) },
  dst: { v4: new Uint8Array(4), v6: new Uint8Array(16) },
};
const MAPPED = '::ffff:';

/** Dotted decimal from `start` into `out` at `at`; false if it is not exactly that. */
function parseDotted(text: string, start: number, out: Uint8Array, at: number): boolean {
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) { // '.'
      if (digits === 0 || index === 3) return false;
      out[at + index++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + c - 48;
      if (octet > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  if (digits === 0 || index !== 3) return false;
  out[at + 3] = octet;
  return true;
}

function addressBytes(side: ParsedSide, text: string): Uint8Array | undefined {
  if (side.text === text) return side.bytes;
  let bytes: Uint8Array | undefined;
  if (parseDotted(text, 0, side.v4, 0)) {
    bytes = side.v4;
  } else if (text.startsWith(MAPPED) && parseDotted(text, MAPPED.length, side.v6, 12)) {
    side.v6.fill(0, 0, 10);
    side.v6[10] = 0xff;
    side.v6[11] = 0xff;
    bytes = side.v6;
  } else {
    bytes = inetBytes(text);
  }
  side.text = text;
  side.bytes = bytes;
  return bytes;
}

/**
 * Evaluates a term on an inet socket as inet_diag_bc_run would; on any other
 * socket (`undefined`: no address, port, device, mark or cgroup to test)
 * every condition is false.
 */
function evaluate(term: FilterTerm, socket: FilterableSocket | undefined): boolean {
  switch (term.op) {
    case 'true': return true;
    case 'false': return false;
    case 'and': return term.terms.every((t) => evaluate(t, socket));
    case 'or': return term.terms.some((t) => evaluate(t, socket));
    case 'not': return !evaluate(term.term, socket);
  }
  if (socket === undefined) return false;
  switch (term.op) {
    case 'dev': return (socket.ifindex ?? 0) === term.ifindex;
    case 'mark': return (((socket.mark ?? 0) & term.mask) >>> 0) === term.value;
    case 'cgroup': return (socket.cgroupId ?? 0n) === term.id;
    case 'port': {
      const port = (term.side === 'src' ? socket.srcPort : socket.dstPort) ?? 0;
      return term.cmp === 'ge' ? port >= term.port : port <= term.port;
    }
    case 'host': {
      if (term.port !== -1 && term.port !== ((term.side === 'src' ? socket.srcPort : socket.dstPort) ?? 0)) return false;
      if (term.family === AF_UNSPEC) return true;
      const text = term.side === 'src' ? socket.src : socket.dst;
      const addr = text === undefined ? undefined : addressBytes(sides[term.side], text);
      if (!addr || addr.length !== (socket.family === AF_INET ? 4 : 16)) return false;
      if (term.family !== socket.family) {
        // An IPv4 rule on an IPv6 socket looks at an IPv4-mapped address's last four bytes.
        return socket.family === AF_INET6 && term.family === AF_INET && isV4Mapped(addr) && prefixMatches(addr, 12, term.addr, term.prefixLen);
      }
      return prefixMatches(addr, 0, term.addr, term.prefixLen);
    }
  }
}

/** The state bits under which the kernel dumps an inet socket it reports in `socket.state`. */
function inetStateBits(socket: FilterableSocket): number {
  const state = socket.state ?? 0;
  // Request sockets (TCP_NEW_SYN_RECV) are reported as SYN_RECV and dumped for either bit.
  if (state === TCP_SYN_RECV) return bit(TCP_SYN_RECV) | bit(TCP_NEW_SYN_RECV);
  // A TCP socket in CLOSE is in no lookup table but the bind table: the kernel dumps it
  // for the TCP_BOUND_INACTIVE pseudo-state (Linux 6.8) alone, and reports it as CLOSE.
  if (state === TCP_CLOSE && socket.protocol === IPPROTO_TCP) return bit(TCP_BOUND_INACTIVE);
  return state <= 31 ? (1 << state) >>> 0 : 0;
}

const KINDS: Readonly<Record<string, SocketFamilyName>> = { unix: 'unix', netlink: 'netlink', packet: 'packet' };

/**
 * socketPredicate prepares a filter once (names resolved, prefixes parsed)
 * and returns the predicate `matchSocket` applies. Throws a NetlinkError
 * (EINVAL) for a malformed filter — call it where such a throw reaches the
 * caller (inside `defer`, for an Observable).
 *
 * @example
 * const listening = socketPredicate({ states: ['listening'], protocol: 'tcp' });
 * listening({ kind: 'inet', family: 2, protocol: 6, state: 10 }); // true
 */
export function socketPredicate(filter: SocketFilter = {}): (socket: FilterableSocket) => boolean {
  const states = stateMask(filter.states);
  const { families, explicit, protocols } = scope(filter);
  const kinds = new Set(families);
  const protocolSet = protocols && new Set(protocols);
  const term = filterTerm(filter);
  return (socket) => {
    if (socket.kind === 'inet') {
      const family = socket.family === AF_INET ? 'inet' : socket.family === AF_INET6 ? 'inet6' : undefined;
      if (family === undefined || !kinds.has(family)) return false;
      if (protocolSet && !protocolSet.has(socket.protocol ?? -1)) return false;
      if ((states & inetStateBits(socket)) === 0) return false;
      return evaluate(term, socket);
    }
    const kind = KINDS[socket.kind];
    if (kind === undefined || !kinds.has(kind) || (protocolSet && !explicit)) return false;
    // ss shows stateless netlink and packet sockets as closed (UNCONN).
    const state = kind === 'unix' ? (socket.state ?? 0) : TCP_CLOSE;
    if (state > 31 || (states & ((1 << state) >>> 0)) === 0) return false;
    return evaluate(term, undefined);
  };
}

const prepared = new WeakMap<SocketFilter, (socket: FilterableSocket) => boolean>();

/**
 * matchSocket tells whether a socket satisfies a filter: family, protocol,
 * states, and the conditions with the kernel's semantics (IPv4 prefixes match
 * IPv4-mapped IPv6 addresses; a missing mark or cgroup id counts as 0). The
 * dumps apply it to every result, so the result is the same with or without
 * kernel bytecode. A filter object is prepared once and remembered.
 *
 * @example
 * matchSocket({ kind: 'inet', family: 10, protocol: 6, state: 1, src: '::ffff:10.0.0.1', srcPort: 80 },
 *   { src: '10.0.0.0/8', srcPort: 80 }); // true
 */
export function matchSocket(socket: FilterableSocket, filter: SocketFilter): boolean {
  let predicate = prepared.get(filter);
  if (!predicate) {
    predicate = socketPredicate(filter);
    prepared.set(filter, predicate);
  }
  return predicate(socket);
}
