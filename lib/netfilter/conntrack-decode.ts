/**
 * Connection tracking entries (ctnetlink), without RxJS: the description of
 * IPCTNL_MSG_CT_NEW (struct nfgenmsg + CTA_*; numbers in network byte order,
 * as ctnetlink sends them), the dump request with its kernel-side filters,
 * the match function and `conntrackSelector`, the per-message step of
 * `conntrack()`.
 */
import { attr, attributeSet } from '../codec/attribute-set.js';
import { be16, be32, be64n, binary, custom, inet, inline, nested, string, u32, u8 } from '../codec/attribute-type.js';
import { inetBytes, inetText } from '../codec/address-text.js';
import type { NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import {
  CTA_COUNTERS_BYTES, CTA_COUNTERS_ORIG, CTA_COUNTERS_PACKETS, CTA_COUNTERS_PAD, CTA_COUNTERS_REPLY, CTA_HELP,
  CTA_HELP_NAME, CTA_ID, CTA_IP_V4_DST, CTA_IP_V4_SRC, CTA_IP_V6_DST, CTA_IP_V6_SRC, CTA_LABELS, CTA_MARK,
  CTA_MARK_MASK, CTA_PROTOINFO, CTA_PROTOINFO_DCCP, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, CTA_PROTOINFO_DCCP_PAD,
  CTA_PROTOINFO_DCCP_ROLE, CTA_PROTOINFO_DCCP_STATE, CTA_PROTOINFO_SCTP, CTA_PROTOINFO_SCTP_STATE,
  CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, CTA_PROTOINFO_SCTP_VTAG_REPLY, CTA_PROTOINFO_TCP, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL,
  CTA_PROTOINFO_TCP_FLAGS_REPLY, CTA_PROTOINFO_TCP_STATE, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL,
  CTA_PROTOINFO_TCP_WSCALE_REPLY, CTA_PROTO_DST_PORT, CTA_PROTO_ICMPV6_CODE, CTA_PROTO_ICMPV6_ID,
  CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMP_ID, CTA_PROTO_ICMP_TYPE, CTA_PROTO_NUM,
  CTA_PROTO_SRC_PORT, CTA_SECCTX, CTA_SECMARK, CTA_SEQADJ_CORRECTION_POS, CTA_SEQADJ_OFFSET_AFTER,
  CTA_SEQADJ_OFFSET_BEFORE, CTA_SEQ_ADJ_ORIG, CTA_SEQ_ADJ_REPLY, CTA_STATUS, CTA_TIMEOUT, CTA_TIMESTAMP,
  CTA_TIMESTAMP_PAD, CTA_TIMESTAMP_START, CTA_FILTER, CTA_FILTER_F_CTA_IP_DST, CTA_FILTER_F_CTA_IP_SRC,
  CTA_FILTER_F_CTA_PROTO_DST_PORT, CTA_FILTER_F_CTA_PROTO_NUM, CTA_FILTER_F_CTA_PROTO_SRC_PORT, CTA_FILTER_ORIG_FLAGS,
  CTA_STATUS_MASK, CTA_SYNPROXY, CTA_SYNPROXY_ISN, CTA_SYNPROXY_ITS, CTA_SYNPROXY_TSOFF, CTA_TIMESTAMP_STOP, CTA_TUPLE_IP,
  CTA_TUPLE_MASTER, CTA_TUPLE_ORIG,
  CTA_TUPLE_PROTO, CTA_TUPLE_REPLY, CTA_TUPLE_ZONE, CTA_USE, CTA_ZONE, IPCTNL_MSG_CT_GET, IPCTNL_MSG_CT_NEW,
  NETLINK_NETFILTER, NFNETLINK_V0, NFNL_SUBSYS_CTNETLINK,
} from './netfilter-constants.js';
import { nfgenmsg } from './nfgenmsg.js';
import { Uint32PairSet } from './uint32-pair-set.js';

/**
 * ConntrackTuple is one direction of a connection: addresses, the layer-4
 * protocol, and its ports (TCP, UDP, UDP-lite, SCTP, DCCP), ICMP/ICMPv6 type,
 * code and id, or GRE keys (as ports); and the direction's zone.
 *
 * @example
 * `${ct.orig?.src}:${ct.orig?.sport} -> ${ct.orig?.dst}:${ct.orig?.dport}`;
 */
export interface ConntrackTuple {
  src?: string;
  dst?: string;
  /** IPPROTO_*. */
  proto?: number;
  sport?: number;
  dport?: number;
  icmpId?: number;
  icmpType?: number;
  icmpCode?: number;
  zone?: number;
  unknown?: RawAttribute[];
}

/** CTA_PROTOINFO_TCP: the TCP state (enum tcp_conntrack), window scales and struct nf_ct_tcp_flags. */
export interface ConntrackTcpInfo {
  state?: number;
  wscaleOriginal?: number;
  wscaleReply?: number;
  flagsOriginal?: Uint8Array;
  flagsReply?: Uint8Array;
  unknown?: RawAttribute[];
}

/** CTA_PROTOINFO: the protocol's state. */
export interface ConntrackProtoInfo {
  tcp?: ConntrackTcpInfo;
  sctp?: { state?: number; vtagOriginal?: number; vtagReply?: number; unknown?: RawAttribute[] };
  dccp?: { state?: number; role?: number; handshakeSeq?: number; unknown?: RawAttribute[] };
  unknown?: RawAttribute[];
}

/** CTA_COUNTERS_ORIG / CTA_COUNTERS_REPLY (with net.netfilter.nf_conntrack_acct on). */
export interface ConntrackCounters {
  packets?: number;
  bytes?: number;
  unknown?: RawAttribute[];
}

/** CTA_SEQ_ADJ_*: a NAT sequence adjustment. */
export interface ConntrackSeqAdj {
  correctionPos?: number;
  offsetBefore?: number;
  offsetAfter?: number;
  unknown?: RawAttribute[];
}

/**
 * Conntrack is one connection tracking entry. Numbers are as the kernel keeps
 * them (`status` is IPS_* bits, `timeout` seconds left, timestamps in ns).
 *
 * @example
 * conntrack({ family: 'inet' }).subscribe((ct) => console.log(ct.orig?.proto, ct.orig?.src, ct.timeout));
 */
export interface Conntrack {
  /** nfgen_family: AF_INET or AF_INET6. */
  family: number;
  version: number;
  resId: number;
  orig?: ConntrackTuple;
  reply?: ConntrackTuple;
  /** CTA_TUPLE_MASTER: the connection an expected one belongs to. */
  master?: ConntrackTuple;
  status?: number;
  protoinfo?: ConntrackProtoInfo;
  helper?: string;
  timeout?: number;
  mark?: number;
  countersOrig?: ConntrackCounters;
  countersReply?: ConntrackCounters;
  use?: number;
  id?: number;
  seqAdjOrig?: ConntrackSeqAdj;
  seqAdjReply?: ConntrackSeqAdj;
  secmark?: number;
  zone?: number;
  secctx?: string;
  timestamp?: { start?: bigint; stop?: bigint; unknown?: RawAttribute[] };
  labels?: Uint8Array;
  /** CTA_SYNPROXY: the SYN proxy's initial sequence number, timestamp and its offset (present on every entry of kernels that send it). */
  synproxy?: { isn?: number; its?: number; tsoff?: number; unknown?: RawAttribute[] };
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

const be64 = custom<bigint>('be64', (d, off) => d.readBigUInt64BE(off), { size: 8 });

/** A tuple (CTA_TUPLE_*): addresses, protocol, ports or ICMP fields, zone — as entries and expectations carry them. */
export const conntrackTuple = nested(attributeSet('CTA_TUPLE', {
  ip: attr(CTA_TUPLE_IP, inline(attributeSet('CTA_TUPLE_IP', {
    src: attr(CTA_IP_V4_SRC, inet),
    dst: attr(CTA_IP_V4_DST, inet),
    src6: attr(CTA_IP_V6_SRC, inet, { into: 'src' }),
    dst6: attr(CTA_IP_V6_DST, inet, { into: 'dst' }),
  }, { context: ['conntrack', 'CTA_TUPLE_IP'] }))),
  proto: attr(CTA_TUPLE_PROTO, inline(attributeSet('CTA_TUPLE_PROTO', {
    proto: attr(CTA_PROTO_NUM, u8),
    sport: attr(CTA_PROTO_SRC_PORT, be16),
    dport: attr(CTA_PROTO_DST_PORT, be16),
    icmpId: attr(CTA_PROTO_ICMP_ID, be16),
    icmpType: attr(CTA_PROTO_ICMP_TYPE, u8),
    icmpCode: attr(CTA_PROTO_ICMP_CODE, u8),
    icmp6Id: attr(CTA_PROTO_ICMPV6_ID, be16, { into: 'icmpId' }),
    icmp6Type: attr(CTA_PROTO_ICMPV6_TYPE, u8, { into: 'icmpType' }),
    icmp6Code: attr(CTA_PROTO_ICMPV6_CODE, u8, { into: 'icmpCode' }),
  }, { context: ['conntrack', 'CTA_TUPLE_PROTO'] }))),
  zone: attr(CTA_TUPLE_ZONE, be16),
}, { context: ['conntrack', 'CTA_TUPLE'] }));

const counters = nested(attributeSet('CTA_COUNTERS', {
  packets: attr(CTA_COUNTERS_PACKETS, be64n),
  bytes: attr(CTA_COUNTERS_BYTES, be64n),
}, { ignore: [CTA_COUNTERS_PAD], context: ['conntrack', 'CTA_COUNTERS'] }));

const seqAdj = nested(attributeSet('CTA_SEQADJ', {
  correctionPos: attr(CTA_SEQADJ_CORRECTION_POS, be32),
  offsetBefore: attr(CTA_SEQADJ_OFFSET_BEFORE, be32),
  offsetAfter: attr(CTA_SEQADJ_OFFSET_AFTER, be32),
}));

const protoinfo = nested(attributeSet('CTA_PROTOINFO', {
  tcp: attr(CTA_PROTOINFO_TCP, nested(attributeSet('CTA_PROTOINFO_TCP', {
    state: attr(CTA_PROTOINFO_TCP_STATE, u8),
    wscaleOriginal: attr(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, u8),
    wscaleReply: attr(CTA_PROTOINFO_TCP_WSCALE_REPLY, u8),
    flagsOriginal: attr(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, binary),
    flagsReply: attr(CTA_PROTOINFO_TCP_FLAGS_REPLY, binary),
  }))),
  sctp: attr(CTA_PROTOINFO_SCTP, nested(attributeSet('CTA_PROTOINFO_SCTP', {
    state: attr(CTA_PROTOINFO_SCTP_STATE, u8),
    vtagOriginal: attr(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, be32),
    vtagReply: attr(CTA_PROTOINFO_SCTP_VTAG_REPLY, be32),
  }))),
  dccp: attr(CTA_PROTOINFO_DCCP, nested(attributeSet('CTA_PROTOINFO_DCCP', {
    state: attr(CTA_PROTOINFO_DCCP_STATE, u8),
    role: attr(CTA_PROTOINFO_DCCP_ROLE, u8),
    handshakeSeq: attr(CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, be64n),
  }, { ignore: [CTA_PROTOINFO_DCCP_PAD] }))),
}));

const conntrackAttributes = attributeSet('conntrack', {
  orig: attr(CTA_TUPLE_ORIG, conntrackTuple),
  reply: attr(CTA_TUPLE_REPLY, conntrackTuple),
  status: attr(CTA_STATUS, be32),
  protoinfo: attr(CTA_PROTOINFO, protoinfo),
  helper: attr(CTA_HELP, nested(attributeSet('CTA_HELP', { name: attr(CTA_HELP_NAME, string) }), 'name')),
  timeout: attr(CTA_TIMEOUT, be32),
  mark: attr(CTA_MARK, be32),
  countersOrig: attr(CTA_COUNTERS_ORIG, counters),
  countersReply: attr(CTA_COUNTERS_REPLY, counters),
  use: attr(CTA_USE, be32),
  id: attr(CTA_ID, be32),
  master: attr(CTA_TUPLE_MASTER, conntrackTuple),
  seqAdjOrig: attr(CTA_SEQ_ADJ_ORIG, seqAdj),
  seqAdjReply: attr(CTA_SEQ_ADJ_REPLY, seqAdj),
  secmark: attr(CTA_SECMARK, be32),
  zone: attr(CTA_ZONE, be16),
  secctx: attr(CTA_SECCTX, nested(attributeSet('CTA_SECCTX', { name: attr(1, string) }), 'name')),
  timestamp: attr(CTA_TIMESTAMP, nested(attributeSet('CTA_TIMESTAMP', {
    start: attr(CTA_TIMESTAMP_START, be64),
    stop: attr(CTA_TIMESTAMP_STOP, be64),
  }, { ignore: [CTA_TIMESTAMP_PAD] }))),
  labels: attr(CTA_LABELS, binary),
  synproxy: attr(CTA_SYNPROXY, nested(attributeSet('CTA_SYNPROXY', {
    isn: attr(CTA_SYNPROXY_ISN, be32), its: attr(CTA_SYNPROXY_ITS, be32), tsoff: attr(CTA_SYNPROXY_TSOFF, be32),
  }))),
});

/**
 * conntrackMessage is IPCTNL_MSG_CT_NEW described (dump replies and
 * NEW/UPDATE/DESTROY notifications alike).
 *
 * @example
 * const entry = conntrackMessage.decode(msg);
 */
export const conntrackMessage: MessageDescription<Conntrack> = describeMessage<Conntrack>('IPCTNL_MSG_CT_NEW', nfgenmsg, conntrackAttributes);

/** A request's original tuple: the fields a CTA_FILTER compares, addresses as bytes of the request's family. */
const requestTuple = nested(attributeSet('CTA_TUPLE (request)', {
  ip: attr(CTA_TUPLE_IP, inline(attributeSet('CTA_TUPLE_IP (request)', {
    src4: attr(CTA_IP_V4_SRC, binary), dst4: attr(CTA_IP_V4_DST, binary),
  }))),
  proto: attr(CTA_TUPLE_PROTO, inline(attributeSet('CTA_TUPLE_PROTO (request)', {
    proto: attr(CTA_PROTO_NUM, u8), sport: attr(CTA_PROTO_SRC_PORT, be16), dport: attr(CTA_PROTO_DST_PORT, be16),
  }))),
}));

const conntrackDumpMessage = describeMessage<Record<string, unknown>>('IPCTNL_MSG_CT_GET', nfgenmsg, attributeSet('conntrack request', {
  orig: attr(CTA_TUPLE_ORIG, requestTuple),
  status: attr(CTA_STATUS, be32),
  mark: attr(CTA_MARK, be32),
  zone: attr(CTA_ZONE, be16),
  markMask: attr(CTA_MARK_MASK, be32),
  filter: attr(CTA_FILTER, nested(attributeSet('CTA_FILTER', { origFlags: attr(CTA_FILTER_ORIG_FLAGS, u32) }))),
  statusMask: attr(CTA_STATUS_MASK, be32),
}));

/** `nlmsg_type` of ctnetlink messages: the subsystem in the high byte, the message in the low one. */
export const CONNTRACK_NEW_TYPE = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
export const CONNTRACK_GET_TYPE = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;

/**
 * ConntrackFilter selects entries. All of it travels to the kernel where the
 * kernel can filter: `family`, `mark` (with `markMask`), `zone`, `status`
 * (with `statusMask`, CTA_STATUS / CTA_STATUS_MASK) and — with a `family` —
 * the original direction's `proto`, with a `proto` its `sport`, `dport`,
 * and IPv4 `src`, `dst` (a CTA_FILTER of the original tuple). Every field is
 * applied again in JavaScript, so a kernel that ignores a filter (older than
 * CTA_FILTER or status filtering) gives the same result.
 *
 * @example
 * conntrack({ family: 'inet', proto: 6, dport: 443 });
 */
export interface ConntrackFilter {
  family?: 'inet' | 'inet6';
  mark?: number;
  markMask?: number;
  zone?: number;
  /** IPS_* bits that must be set (those of `statusMask`, default: these bits). */
  status?: number;
  statusMask?: number;
  proto?: number;
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
}

const AF_INET = 2;
const AF_INET6 = 10;

/**
 * conntrackRequest builds the IPCTNL_MSG_CT_GET dump request of a filter.
 *
 * @example
 * dump(conntrackRequest({ family: 'inet' }));
 */
export function conntrackRequest(filter: ConntrackFilter = {}): DumpRequest {
  const family = filter.family === 'inet' ? AF_INET : filter.family === 'inet6' ? AF_INET6 : 0;
  const payload = conntrackDumpMessage.encode({ family, version: NFNETLINK_V0 }, {
    mark: filter.mark,
    markMask: filter.mark === undefined ? undefined : filter.markMask ?? 0xffffffff,
    zone: filter.zone,
    status: filter.status,
    statusMask: filter.status === undefined ? undefined : filter.statusMask ?? filter.status,
    ...tupleFilter(filter, family),
  });
  return { protocol: NETLINK_NETFILTER, type: CONNTRACK_GET_TYPE, payload };
}

/**
 * The CTA_FILTER of a filter's original-direction fields, where the kernel
 * can compare them: IPv4 addresses need an IPv4 request, ports need the
 * protocol (and a family). Nothing when no field qualifies.
 *
 * IPv6 addresses stay in JavaScript: the kernel's IPv6 comparison is
 * inverted (ctnetlink_filter_match_tuple tests `!ipv6_addr_cmp(…)`, which is
 * true when the addresses are equal), so a filtered dump returns every entry
 * *but* the matching ones — seen on 6.18, spec/netfilter/conntrack-filter.
 */
function tupleFilter(filter: ConntrackFilter, family: number): { orig?: Record<string, unknown>; filter?: { origFlags: number } } {
  const orig: Record<string, unknown> = {};
  let flags = 0;
  for (const [side, flag] of [['src', CTA_FILTER_F_CTA_IP_SRC], ['dst', CTA_FILTER_F_CTA_IP_DST]] as const) {
    const bytes = filter[side] === undefined || family !== AF_INET ? undefined : inetBytes(filter[side]!);
    if (bytes?.length !== 4) continue;
    orig[`${side}4`] = bytes;
    flags |= flag;
  }
  if (filter.proto !== undefined && family !== 0) {
    orig.proto = filter.proto;
    flags |= CTA_FILTER_F_CTA_PROTO_NUM;
    if (filter.sport !== undefined) (orig.sport = filter.sport, flags |= CTA_FILTER_F_CTA_PROTO_SRC_PORT);
    if (filter.dport !== undefined) (orig.dport = filter.dport, flags |= CTA_FILTER_F_CTA_PROTO_DST_PORT);
  }
  return flags === 0 ? {} : { orig, filter: { origFlags: flags } };
}

/**
 * decodeConntrack decodes one ctnetlink conntrack message.
 *
 * @example
 * const entry = decodeConntrack(msg);
 */
export function decodeConntrack(msg: NetlinkMessage): Conntrack {
  return conntrackMessage.decode(msg);
}

/**
 * matchConntrack applies every field of `filter` to an entry.
 *
 * @example
 * matchConntrack(entry, { proto: 17 });
 */
export function matchConntrack(ct: Conntrack, filter: ConntrackFilter): boolean {
  if (filter.family === 'inet' && ct.family !== AF_INET) return false;
  if (filter.family === 'inet6' && ct.family !== AF_INET6) return false;
  if (filter.mark !== undefined && (((ct.mark ?? 0) ^ filter.mark) & (filter.markMask ?? 0xffffffff)) !== 0) return false;
  if (filter.zone !== undefined && (ct.zone ?? 0) !== filter.zone) return false;
  if (filter.status !== undefined) {
    const mask = filter.statusMask ?? filter.status;
    if ((((ct.status ?? 0) ^ filter.status) & mask) !== 0) return false;
  }
  const o = ct.orig;
  if (filter.proto !== undefined && o?.proto !== filter.proto) return false;
  if (filter.src !== undefined && o?.src !== canonical(filter.src)) return false;
  if (filter.dst !== undefined && o?.dst !== canonical(filter.dst)) return false;
  if (filter.sport !== undefined && o?.sport !== filter.sport) return false;
  if (filter.dport !== undefined && o?.dport !== filter.dport) return false;
  return true;
}

/**
 * An address as entries spell it (`::1`, not `0:0::1`); text that is no
 * address stays as it is. The last few answers are kept: a table is matched
 * against the same filter entry after entry.
 */
const canonicalCache = new Map<string, string>();
function canonical(address: string): string {
  let text = canonicalCache.get(address);
  if (text === undefined) {
    const bytes = inetBytes(address);
    text = bytes === undefined ? address : inetText(bytes, 0, bytes.length);
    if (canonicalCache.size >= 16) canonicalCache.clear();
    canonicalCache.set(address, text);
  }
  return text;
}

/**
 * conntrackSelector returns what `conntrack(filter)` does with each reply of
 * its dump: the decoded entry, or undefined for a message that is not one, an
 * entry the filter does not match, or an entry already delivered — ctnetlink
 * resumes a dump from a saved position and never flags it interrupted, so
 * under churn an entry can come twice; the selector keeps the ids it saw
 * (one selector per dump).
 *
 * @example
 * const select = conntrackSelector({ proto: 6 });
 * for (const msg of batch) console.log(select(msg)?.orig?.dport);
 */
export function conntrackSelector(filter: ConntrackFilter = {}): (msg: NetlinkMessage) => Conntrack | undefined {
  // (id, tuple hash) of every entry delivered. The id is a 32-bit hash
  // (nf_ct_get_id): a table of 100k entries holds a few pairs sharing one, so
  // an entry is its id and its original tuple and zone. Numbers in typed
  // arrays, not entries, are kept, so a streamed dump stays small.
  const seen = new Uint32PairSet();
  return (msg) => {
    if (msg.type !== CONNTRACK_NEW_TYPE) return undefined;
    const ct = decodeConntrack(msg);
    if (!matchConntrack(ct, filter)) return undefined;
    if (ct.id !== undefined && !seen.add(ct.id, tupleHash(ct))) return undefined;
    return ct;
  };
}

/** FNV-1a over the original tuple and the zone: what, with the id, tells two entries apart. */
function tupleHash(ct: Conntrack): number {
  const o = ct.orig;
  let h = 0x811c9dc5;
  const mix = (n: number) => (h = Math.imul(h ^ n, 0x01000193));
  const text = (t: string | undefined) => {
    if (t !== undefined) for (let i = 0; i < t.length; i++) mix(t.charCodeAt(i));
    mix(0x7c);
  };
  text(o?.src);
  text(o?.dst);
  const num = (n: number | undefined) => mix((n ?? -1) >>> 0);
  num(o?.proto);
  num(o?.sport);
  num(o?.dport);
  num(o?.icmpId);
  num(o?.icmpType);
  num(o?.icmpCode);
  num(ct.zone ?? o?.zone);
  return h >>> 0;
}
