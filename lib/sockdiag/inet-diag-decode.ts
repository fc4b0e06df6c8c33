/**
 * Inet sockets (TCP, UDP, UDP-lite, raw, SCTP, MPTCP) over sock_diag: struct
 * inet_diag_req_v2 + INET_DIAG_REQ_* (the dump request) and struct
 * inet_diag_msg + INET_DIAG_* (each reply), described; the typed object
 * `InetSocket`. No RxJS here (`sockets()` is in sockets.ts).
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import {
  be16, binary, bool8, custom, flag, nested, nestedArray, preset, string, structOf, u16, u32, u64, u8,
  type AttributeType,
} from '../codec/attribute-type.js';
import { inetText } from '../codec/address-text.js';
import { struct, type StructLayout } from '../codec/compile-decoder.js';
import { NETLINK_SOCK_DIAG } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { skMeminfo, type SkMeminfo } from './sk-meminfo-info.js';
import {
  INET_DIAG_BBRINFO, INET_DIAG_CGROUP_ID, INET_DIAG_CLASS_ID, INET_DIAG_CONG, INET_DIAG_DCTCPINFO, INET_DIAG_INFO,
  INET_DIAG_LOCALS, INET_DIAG_MARK, INET_DIAG_MD5SIG, INET_DIAG_MEMINFO, INET_DIAG_MSG_SIZE, INET_DIAG_PAD,
  INET_DIAG_PEERS, INET_DIAG_PROTOCOL, INET_DIAG_REQ_BYTECODE, INET_DIAG_REQ_PROTOCOL, INET_DIAG_REQ_V2_SIZE,
  INET_DIAG_SHUTDOWN, INET_DIAG_SKMEMINFO, INET_DIAG_SKV6ONLY, INET_DIAG_SK_BPF_STORAGES, INET_DIAG_SOCKOPT,
  INET_DIAG_TCLASS, INET_DIAG_TOS, INET_DIAG_ULP_INFO, INET_DIAG_VEGASINFO, INET_ULP_INFO_MPTCP, INET_ULP_INFO_NAME,
  INET_ULP_INFO_TLS, IPPROTO_MPTCP, IPPROTO_RAW, IPPROTO_TCP, SK_DIAG_BPF_STORAGE_MAP_ID,
  SK_DIAG_BPF_STORAGE_MAP_VALUE, SK_DIAG_BPF_STORAGE_PAD, SOCK_DIAG_BY_FAMILY, TCPF_ALL, TLS_INFO_CIPHER,
  TLS_INFO_RXCONF, TLS_INFO_RX_NO_PAD, TLS_INFO_TXCONF, TLS_INFO_VERSION, TLS_INFO_ZC_RO_TX,
} from './sockdiag-constants.js';
import { tcpInfo, type TcpInfo } from './tcp-info.js';

// AF_INET / AF_INET6 are route's constants; families do not import one another.
const AF_INET = 2;
const AF_INET6 = 10;

/** INET_DIAG_MEMINFO (struct inet_diag_meminfo): what `ss -m` printed before skmeminfo. */
export interface InetDiagMeminfo { rmem: number; wmem: number; fmem: number; tmem: number }
/** INET_DIAG_VEGASINFO (struct tcpvegas_info). */
export interface TcpVegasInfo { enabled: number; rttcnt: number; rtt: number; minrtt: number }
/** INET_DIAG_DCTCPINFO (struct tcp_dctcp_info). */
export interface TcpDctcpInfo { enabled: number; ceState: number; alpha: number; abEcn: number; abTot: number }
/** INET_DIAG_BBRINFO (struct tcp_bbr_info); `bw` in bytes per second, `minRtt` in µs, gains << 8. */
export interface TcpBbrInfo { bw: number; minRtt: number; pacingGain: number; cwndGain: number }
/** INET_DIAG_ULP_INFO: the upper-layer protocol's name and, for kTLS, its configuration. */
export interface InetUlpInfo {
  name?: string;
  tls?: { version?: number; cipher?: number; txconf?: number; rxconf?: number; zcRoTx?: true; rxNoPad?: true; unknown?: RawAttribute[] };
  /** INET_ULP_INFO_MPTCP (the subflow's attributes), raw. */
  mptcp?: Uint8Array;
  unknown?: RawAttribute[];
}
/** One INET_DIAG_MD5SIG key (struct tcp_diag_md5sig). */
export interface TcpMd5Sig { family: number; prefixLen: number; keyLen: number; address: string; key: Uint8Array }
/** One INET_DIAG_SK_BPF_STORAGES entry. */
export interface SkBpfStorage { mapId?: number; value?: Uint8Array; unknown?: RawAttribute[] }
/** INET_DIAG_SOCKOPT (struct inet_diag_sockopt): the socket options' bits, by the kernel's names. */
export interface InetSockOpt {
  recverr: boolean; isIcsk: boolean; freebind: boolean; hdrincl: boolean; mcLoop: boolean; transparent: boolean;
  mcAll: boolean; nodefrag: boolean; bindAddressNoPort: boolean; recverrRfc4884: boolean; deferConnect: boolean;
}

/**
 * InetSocket is one inet socket as sock_diag reports it: the fields of
 * struct inet_diag_msg (addresses as text — an IPv6 socket's IPv4-mapped
 * address stays '::ffff:a.b.c.d'; ports as numbers; `cookie` the kernel's
 * unique socket id), then one field per attribute the kernel sent. `protocol`
 * is the one the dump asked for (IPPROTO_TCP, _UDP, _UDPLITE, _RAW, _SCTP,
 * _MPTCP); a raw socket's own protocol is `rawProtocol`. `state` is the
 * kernel's TCP_* state (UDP: TCP_ESTABLISHED when connected, else TCP_CLOSE).
 *
 * @example
 * sockets({ protocol: 'tcp' }).subscribe((s) => {
 *   if (s.kind === 'inet') console.log(`${s.src}:${s.srcPort} -> ${s.dst}:${s.dstPort}`, s.state, s.tcpInfo?.rtt);
 * });
 */
export interface InetSocket {
  kind: 'inet';
  /** AF_INET (2) or AF_INET6 (10). */
  family: number;
  protocol: number;
  state: number;
  /** idiag_timer: INET_DIAG_TIMER_* (what `ss -o` prints). */
  timer: number;
  retrans: number;
  srcPort: number;
  dstPort: number;
  src: string;
  dst: string;
  /** The bound device's ifindex, 0 if none. */
  ifindex: number;
  cookie: bigint;
  /** Milliseconds until the timer fires. */
  expires: number;
  rqueue: number;
  wqueue: number;
  uid: number;
  inode: number;
  meminfo?: InetDiagMeminfo;
  /** INET_DIAG_INFO of a TCP socket. */
  tcpInfo?: TcpInfo;
  /** INET_DIAG_INFO of another protocol (struct mptcp_info, struct sctp_info), raw. */
  info?: Uint8Array;
  vegas?: TcpVegasInfo;
  cong?: string;
  tos?: number;
  tclass?: number;
  skmeminfo?: SkMeminfo;
  /** SHUT_RD (1), SHUT_WR (2) bits as the socket was shut down. */
  shutdown?: number;
  dctcp?: TcpDctcpInfo;
  rawProtocol?: number;
  v6only?: boolean;
  /** SCTP's local and peer addresses. */
  locals?: string[];
  peers?: string[];
  mark?: number;
  bbr?: TcpBbrInfo;
  classId?: number;
  md5sig?: TcpMd5Sig[];
  ulp?: InetUlpInfo;
  bpfStorages?: SkBpfStorage[];
  cgroupId?: bigint;
  sockOpt?: InetSockOpt;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** idiag_src / idiag_dst: 4 or 16 of the 16 bytes, by idiag_family `familyBack` bytes before. */
function sockAddress(familyBack: number): AttributeType<string> {
  return { name: 'address', size: 16, expr: `R.inet(d, off, d[off - ${familyBack}] === ${AF_INET6} ? 16 : 4)` };
}

/** struct inet_diag_msg with `kind` and `protocol` (which the message does not carry) preset. */
function inetDiagMsg(protocol: number): StructLayout {
  return struct('struct inet_diag_msg', INET_DIAG_MSG_SIZE, {
    kind: [0, preset('inet')], family: [0, u8], protocol: [0, preset(protocol)],
    state: [1, u8], timer: [2, u8], retrans: [3, u8], srcPort: [4, be16], dstPort: [6, be16],
    src: [8, sockAddress(8)], dst: [24, sockAddress(24)], ifindex: [40, u32], cookie: [44, u64],
    expires: [52, u32], rqueue: [56, u32], wqueue: [60, u32], uid: [64, u32], inode: [68, u32],
  });
}

const u32At = (at: number): readonly [number, AttributeType] => [at, u32];

/** A list of struct sockaddr_storage (128 bytes each: family, port, then the address) as address text. */
const SOCKADDR_STORAGE_SIZE = 128;
const sockaddrList = custom<string[]>('struct sockaddr_storage[]', (d, off, n) => {
  const list: string[] = [];
  for (let at = off; at + SOCKADDR_STORAGE_SIZE <= off + n; at += SOCKADDR_STORAGE_SIZE) {
    const family = d.readUInt16LE(at);
    if (family === AF_INET) list.push(inetText(d, at + 4, 4));
    else if (family === AF_INET6) list.push(inetText(d, at + 8, 16));
  }
  return list;
});

/** struct tcp_diag_md5sig: family, prefix length, key length, address (16), key (80). */
const TCP_DIAG_MD5SIG_SIZE = 100;
const md5sigList = custom<TcpMd5Sig[]>('struct tcp_diag_md5sig[]', (d, off, n) => {
  const list: TcpMd5Sig[] = [];
  for (let at = off; at + TCP_DIAG_MD5SIG_SIZE <= off + n; at += TCP_DIAG_MD5SIG_SIZE) {
    const family = d[at];
    const keyLen = Math.min(d.readUInt16LE(at + 2), 80);
    list.push({
      family, prefixLen: d[at + 1], keyLen,
      address: inetText(d, at + 4, family === AF_INET6 ? 16 : 4),
      key: new Uint8Array(d.subarray(at + 20, at + 20 + keyLen)),
    });
  }
  return list;
});

/** struct tcp_bbr_info: the 64-bit bandwidth as two u32 halves, low first. */
const bbrInfo = custom<TcpBbrInfo>('struct tcp_bbr_info', (d, off) => ({
  bw: d.readUInt32LE(off) + d.readUInt32LE(off + 4) * 0x1_0000_0000,
  minRtt: d.readUInt32LE(off + 8), pacingGain: d.readUInt32LE(off + 12), cwndGain: d.readUInt32LE(off + 16),
}), { minSize: 20 });

/** struct inet_diag_sockopt: two bytes of one-bit fields, the first declared in the low bit. */
const sockOpt = custom<InetSockOpt>('struct inet_diag_sockopt', (d, off) => {
  const a = d[off];
  const b = d[off + 1];
  return {
    recverr: (a & 1) !== 0, isIcsk: (a & 2) !== 0, freebind: (a & 4) !== 0, hdrincl: (a & 8) !== 0,
    mcLoop: (a & 16) !== 0, transparent: (a & 32) !== 0, mcAll: (a & 64) !== 0, nodefrag: (a & 128) !== 0,
    bindAddressNoPort: (b & 1) !== 0, recverrRfc4884: (b & 2) !== 0, deferConnect: (b & 4) !== 0,
  };
}, { minSize: 2 });

const ulpAttributes = attributeSet('INET_ULP_INFO', {
  name: attr(INET_ULP_INFO_NAME, string),
  tls: attr(INET_ULP_INFO_TLS, nested(attributeSet('TLS_INFO', {
    version: attr(TLS_INFO_VERSION, u16),
    cipher: attr(TLS_INFO_CIPHER, u16),
    txconf: attr(TLS_INFO_TXCONF, u16),
    rxconf: attr(TLS_INFO_RXCONF, u16),
    zcRoTx: attr(TLS_INFO_ZC_RO_TX, flag),
    rxNoPad: attr(TLS_INFO_RX_NO_PAD, flag),
  }, { context: ['inet socket', 'INET_DIAG_ULP_INFO', 'TLS_INFO'] }))),
  mptcp: attr(INET_ULP_INFO_MPTCP, binary),
}, { context: ['inet socket', 'INET_DIAG_ULP_INFO'] });

const bpfStorageAttributes = attributeSet('SK_DIAG_BPF_STORAGE', {
  mapId: attr(SK_DIAG_BPF_STORAGE_MAP_ID, u32),
  value: attr(SK_DIAG_BPF_STORAGE_MAP_VALUE, binary),
}, { ignore: [SK_DIAG_BPF_STORAGE_PAD], context: ['inet socket', 'INET_DIAG_SK_BPF_STORAGES'] });

/** The INET_DIAG_* attributes; INET_DIAG_INFO's struct depends on the protocol (tcp_info for TCP only). */
function inetDiagAttributes(protocol: number): AttributeSet {
  return attributeSet('INET_DIAG', {
    meminfo: attr(INET_DIAG_MEMINFO, structOf(struct('struct inet_diag_meminfo', 16, {
      rmem: u32At(0), wmem: u32At(4), fmem: u32At(8), tmem: u32At(12),
    }))),
    info: protocol === IPPROTO_TCP ? attr(INET_DIAG_INFO, tcpInfo, { into: 'tcpInfo' }) : attr(INET_DIAG_INFO, binary),
    vegas: attr(INET_DIAG_VEGASINFO, structOf(struct('struct tcpvegas_info', 16, {
      enabled: u32At(0), rttcnt: u32At(4), rtt: u32At(8), minrtt: u32At(12),
    }))),
    cong: attr(INET_DIAG_CONG, string),
    tos: attr(INET_DIAG_TOS, u8),
    tclass: attr(INET_DIAG_TCLASS, u8),
    skmeminfo: attr(INET_DIAG_SKMEMINFO, skMeminfo),
    shutdown: attr(INET_DIAG_SHUTDOWN, u8),
    dctcp: attr(INET_DIAG_DCTCPINFO, structOf(struct('struct tcp_dctcp_info', 16, {
      enabled: [0, u16], ceState: [2, u16], alpha: u32At(4), abEcn: u32At(8), abTot: u32At(12),
    }))),
    rawProtocol: attr(INET_DIAG_PROTOCOL, u8),
    v6only: attr(INET_DIAG_SKV6ONLY, bool8),
    locals: attr(INET_DIAG_LOCALS, sockaddrList),
    peers: attr(INET_DIAG_PEERS, sockaddrList),
    mark: attr(INET_DIAG_MARK, u32),
    bbr: attr(INET_DIAG_BBRINFO, bbrInfo),
    classId: attr(INET_DIAG_CLASS_ID, u32),
    md5sig: attr(INET_DIAG_MD5SIG, md5sigList),
    ulp: attr(INET_DIAG_ULP_INFO, nested(ulpAttributes)),
    bpfStorages: attr(INET_DIAG_SK_BPF_STORAGES, nestedArray(bpfStorageAttributes)),
    cgroupId: attr(INET_DIAG_CGROUP_ID, u64),
    sockOpt: attr(INET_DIAG_SOCKOPT, sockOpt),
  }, { ignore: [INET_DIAG_PAD], context: ['inet socket'] });
}

const descriptions = new Map<number, MessageDescription<InetSocket>>();

/**
 * inetSocketMessage is the reply of an inet_diag dump of `protocol`
 * described (SOCK_DIAG_BY_FAMILY + struct inet_diag_msg + INET_DIAG_*),
 * compiled on first use; the object's `protocol` is `protocol`.
 *
 * @example
 * const socket = inetSocketMessage(IPPROTO_TCP).decode(msg);
 */
export function inetSocketMessage(protocol: number): MessageDescription<InetSocket> {
  let description = descriptions.get(protocol);
  if (description === undefined) {
    description = describeMessage<InetSocket>('SOCK_DIAG_BY_FAMILY (inet)', inetDiagMsg(protocol), inetDiagAttributes(protocol));
    descriptions.set(protocol, description);
  }
  return description;
}

/**
 * inetDiagRequestMessage is struct inet_diag_req_v2 + INET_DIAG_REQ_*
 * described (`rawProtocol` is the header's pad byte, which raw_diag reads
 * as sdiag_raw_protocol).
 *
 * @example
 * inetDiagRequestMessage.decodePayload(request.payload).states;
 */
export const inetDiagRequestMessage: MessageDescription<Record<string, unknown>> = describeMessage('inet_diag_req_v2',
  struct('struct inet_diag_req_v2', INET_DIAG_REQ_V2_SIZE, {
    family: [0, u8], protocol: [1, u8], ext: [2, u8], rawProtocol: [3, u8], states: [4, u32],
  }),
  attributeSet('INET_DIAG_REQ', {
    bytecode: attr(INET_DIAG_REQ_BYTECODE, binary),
    requestProtocol: attr(INET_DIAG_REQ_PROTOCOL, u32),
  }));

/** What one inet_diag dump asks for. */
export interface InetDiagQuery {
  /** AF_INET or AF_INET6 (inet_diag dumps one family at a time). */
  family: number;
  /** IPPROTO_*: TCP, UDP, UDPLITE, RAW, SCTP, MPTCP. */
  protocol: number;
  /** Bit n set: sockets in TCP state n. Default every state. */
  states?: number;
  /** idiag_ext: bit (INET_DIAG_x - 1) asks for attribute x (the first eight). Default 0. */
  ext?: number;
  /** An INET_DIAG_REQ_BYTECODE program (see `compileSocketFilter`). */
  bytecode?: Uint8Array;
}

/**
 * inetDiagRequest builds the dump request of one (family, protocol). MPTCP
 * does not fit the header's u8 protocol: the kernel takes it from
 * INET_DIAG_REQ_PROTOCOL when present (inet_diag_get_protocol), so it goes
 * there with IPPROTO_TCP in the header, as `ss -M` sends it. Raw sockets of
 * every protocol are asked with sdiag_raw_protocol IPPROTO_RAW.
 *
 * @example
 * dump(inetDiagRequest({ family: AF_INET, protocol: IPPROTO_TCP, states: 1 << TCP_LISTEN }));
 */
export function inetDiagRequest(query: InetDiagQuery): DumpRequest {
  const wide = query.protocol > 0xff;
  const payload = inetDiagRequestMessage.encode({
    family: query.family,
    protocol: wide ? (query.protocol === IPPROTO_MPTCP ? IPPROTO_TCP : 0) : query.protocol,
    ext: query.ext ?? 0,
    rawProtocol: query.protocol === IPPROTO_RAW ? IPPROTO_RAW : 0,
    states: query.states ?? TCPF_ALL,
  }, {
    bytecode: query.bytecode,
    requestProtocol: wide ? query.protocol : undefined,
  });
  return { protocol: NETLINK_SOCK_DIAG, type: SOCK_DIAG_BY_FAMILY, payload };
}
