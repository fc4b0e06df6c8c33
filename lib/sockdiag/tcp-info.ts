/**
 * struct tcp_info (<linux/tcp.h>) as INET_DIAG_INFO carries it, at every
 * length kernels have sent: the struct only ever grew at its end, and the
 * kernel copies its own sizeof, so a field is present exactly when the
 * payload reaches past it.
 */
import { custom, type AttributeType } from '../codec/attribute-type.js';
import { NetlinkDecodeError } from '../errors.js';

/**
 * TcpInfo is what `ss -i` prints from: the kernel's tcp_info with its field
 * names in camelCase (`tcpi_snd_wscale` → `sndWscale`). Times are in
 * microseconds (`rto`, `rtt` …) or milliseconds (`lastDataSent` …) as the
 * kernel keeps them; 64-bit counters and rates are bigints (exact: an
 * unlimited `maxPacingRate` is 2^64 - 1, as the kernel sends it). Fields
 * after the first 104 bytes are absent when an older kernel's struct ended
 * before them.
 *
 * @example
 * sockets({ protocol: 'tcp' }).subscribe((s) => {
 *   if (s.kind === 'inet' && s.tcpInfo) console.log(s.tcpInfo.rtt / 1000, 'ms', s.tcpInfo.sndWscale);
 * });
 */
export interface TcpInfo {
  state: number;
  caState: number;
  retransmits: number;
  probes: number;
  backoff: number;
  /** TCPI_OPT_* bits. */
  options: number;
  /** The low nibble of byte 6 (`tcpi_snd_wscale:4`, first in the bit-field). */
  sndWscale: number;
  /** The high nibble of byte 6 (`tcpi_rcv_wscale:4`). */
  rcvWscale: number;
  /** Bit 0 of byte 7 (4.9+; false before). */
  deliveryRateAppLimited: boolean;
  /** Bits 1–2 of byte 7 (5.5+; 0 before): enum tfo_client_fail. */
  fastopenClientFail: number;
  rto: number;
  ato: number;
  sndMss: number;
  rcvMss: number;
  unacked: number;
  sacked: number;
  lost: number;
  retrans: number;
  fackets: number;
  lastDataSent: number;
  lastAckSent: number;
  lastDataRecv: number;
  lastAckRecv: number;
  pmtu: number;
  rcvSsthresh: number;
  rtt: number;
  rttvar: number;
  sndSsthresh: number;
  sndCwnd: number;
  advmss: number;
  reordering: number;
  rcvRtt: number;
  rcvSpace: number;
  totalRetrans: number;
  // 3.15
  pacingRate?: bigint;
  maxPacingRate?: bigint;
  // 4.1 – 4.2
  bytesAcked?: bigint;
  bytesReceived?: bigint;
  segsOut?: number;
  segsIn?: number;
  // 4.6
  notsentBytes?: number;
  minRtt?: number;
  dataSegsIn?: number;
  dataSegsOut?: number;
  // 4.9 – 4.10
  deliveryRate?: bigint;
  busyTime?: bigint;
  rwndLimited?: bigint;
  sndbufLimited?: bigint;
  // 4.18 – 4.19
  delivered?: number;
  deliveredCe?: number;
  bytesSent?: bigint;
  bytesRetrans?: bigint;
  dsackDups?: number;
  reordSeen?: number;
  // 5.4
  rcvOoopack?: number;
  sndWnd?: number;
  // 6.2
  rcvWnd?: number;
  rehash?: number;
  // 6.7
  totalRto?: number;
  totalRtoRecoveries?: number;
  totalRtoTime?: number;
  // Accurate ECN (6.18+)
  receivedCe?: number;
  deliveredE1Bytes?: number;
  deliveredE0Bytes?: number;
  deliveredCeBytes?: number;
  receivedE1Bytes?: number;
  receivedE0Bytes?: number;
  receivedCeBytes?: number;
  accecnFailMode?: number;
  accecnOptSeen?: number;
}

type Width = 8 | 16 | 32 | 64;

/**
 * The layout after the 8 bytes of u8s and bit-fields: [field, offset, bits],
 * in struct order. The sizes kernels have sent are where a group ends: 104
 * (2.6), 120 (3.15), 136 (4.1), 144 (4.2), 160 (4.6), 168 (4.9), 192
 * (4.10), 200 (4.18), 224 (4.19), 232 (5.4), 240 (6.2), 248 (6.7), 280.
 */
const TCP_INFO_LAYOUT: readonly (readonly [keyof TcpInfo, number, Width])[] = [
  ['rto', 8, 32], ['ato', 12, 32], ['sndMss', 16, 32], ['rcvMss', 20, 32],
  ['unacked', 24, 32], ['sacked', 28, 32], ['lost', 32, 32], ['retrans', 36, 32], ['fackets', 40, 32],
  ['lastDataSent', 44, 32], ['lastAckSent', 48, 32], ['lastDataRecv', 52, 32], ['lastAckRecv', 56, 32],
  ['pmtu', 60, 32], ['rcvSsthresh', 64, 32], ['rtt', 68, 32], ['rttvar', 72, 32], ['sndSsthresh', 76, 32],
  ['sndCwnd', 80, 32], ['advmss', 84, 32], ['reordering', 88, 32], ['rcvRtt', 92, 32], ['rcvSpace', 96, 32],
  ['totalRetrans', 100, 32],
  ['pacingRate', 104, 64], ['maxPacingRate', 112, 64],
  ['bytesAcked', 120, 64], ['bytesReceived', 128, 64],
  ['segsOut', 136, 32], ['segsIn', 140, 32],
  ['notsentBytes', 144, 32], ['minRtt', 148, 32], ['dataSegsIn', 152, 32], ['dataSegsOut', 156, 32],
  ['deliveryRate', 160, 64],
  ['busyTime', 168, 64], ['rwndLimited', 176, 64], ['sndbufLimited', 184, 64],
  ['delivered', 192, 32], ['deliveredCe', 196, 32],
  ['bytesSent', 200, 64], ['bytesRetrans', 208, 64], ['dsackDups', 216, 32], ['reordSeen', 220, 32],
  ['rcvOoopack', 224, 32], ['sndWnd', 228, 32],
  ['rcvWnd', 232, 32], ['rehash', 236, 32],
  ['totalRto', 240, 16], ['totalRtoRecoveries', 242, 16], ['totalRtoTime', 244, 32],
  ['receivedCe', 248, 32], ['deliveredE1Bytes', 252, 32], ['deliveredE0Bytes', 256, 32],
  ['deliveredCeBytes', 260, 32], ['receivedE1Bytes', 264, 32], ['receivedE0Bytes', 268, 32],
  ['receivedCeBytes', 272, 32], ['accecnFailMode', 276, 16], ['accecnOptSeen', 278, 16],
];

/** The smallest tcp_info any kernel sent (2.6's, up to tcpi_total_retrans). */
export const TCP_INFO_MIN_SIZE = 104;

/** A little-endian read of `width` bits at `d[p]`, as an expression (bounds are checked by the length tests). */
function read(width: Width, p: string): string {
  if (width === 64) return `d.readBigUInt64LE(${p})`;
  if (width === 32) return `(d[${p}] | (d[${p} + 1] << 8) | (d[${p} + 2] << 16)) + d[${p} + 3] * 0x100_0000`;
  if (width === 16) return `(d[${p}] | (d[${p} + 1] << 8))`;
  return `d[${p}]`;
}

/**
 * The decoder compiled from TCP_INFO_LAYOUT, once: one object literal for
 * the 104 bytes every kernel sends, then each later field behind a test of
 * the length — straight-line code with the same property order for every
 * object, which a loop storing by key name is not (15 µs a struct against
 * about 1).
 */
function compileTcpInfo(): (d: Buffer, o: number, n: number) => TcpInfo {
  const base = TCP_INFO_LAYOUT.filter(([, at, width]) => at + width / 8 <= TCP_INFO_MIN_SIZE);
  const later = TCP_INFO_LAYOUT.filter(([, at, width]) => at + width / 8 > TCP_INFO_MIN_SIZE);
  const body = [
    'const w = d[o + 6], b = d[o + 7];',
    'const info = { state: d[o], caState: d[o + 1], retransmits: d[o + 2], probes: d[o + 3], backoff: d[o + 4], options: d[o + 5],',
    '  sndWscale: w & 0x0f, rcvWscale: w >> 4, deliveryRateAppLimited: (b & 1) !== 0, fastopenClientFail: (b >> 1) & 3,',
    `  ${base.map(([key, at, width]) => `${key}: ${read(width, `o + ${at}`)}`).join(',\n  ')} };`,
    ...later.map(([key, at, width]) => `if (n < ${at + width / 8}) return info; info.${key} = ${read(width, `o + ${at}`)};`),
    'return info;',
  ];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once, from the layout above only
  return new Function('d', 'o', 'n', body.join('\n')) as (d: Buffer, o: number, n: number) => TcpInfo;
}

const decodeCompiled = compileTcpInfo();

/**
 * decodeTcpInfo reads a tcp_info of `length` bytes at `offset`: every field
 * the length covers. Throws a NetlinkDecodeError for fewer than 104 bytes or
 * a length past the buffer. The bit-fields are read as GCC
 * lays them out on the little-endian machines Linux runs sock_diag on (and
 * as `ss` reads them through the same struct): the first declared field in
 * the low bits.
 *
 * @example
 * const info = decodeTcpInfo(payload, 0, payload.length);
 * console.log(info.sndWscale, info.rcvWscale, info.deliveryRate);
 */
export function decodeTcpInfo(d: Buffer, offset: number, length: number): TcpInfo {
  if (length < TCP_INFO_MIN_SIZE || offset + length > d.length) {
    throw new NetlinkDecodeError(`needs ${TCP_INFO_MIN_SIZE} bytes inside the buffer, has ${length}`, offset, ['struct tcp_info']);
  }
  return decodeCompiled(d, offset, length);
}

/**
 * tcpInfo is INET_DIAG_INFO of a TCP (or MPTCP subflow) socket: at least
 * the 104 bytes of the oldest struct, any longer length accepted.
 *
 * @example
 * attr(INET_DIAG_INFO, tcpInfo);
 */
export const tcpInfo: AttributeType<TcpInfo> = custom<TcpInfo>('struct tcp_info', (d, off, n) => decodeTcpInfo(d, off, n),
  { minSize: TCP_INFO_MIN_SIZE });
