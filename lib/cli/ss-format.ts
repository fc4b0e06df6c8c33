/**
 * One socket as one line of iproute2's `ss` (6.1): the fields of each column
 * (`SsRow`, laid out by `renderSsTable`) — netid, state, queues, addresses
 * and ports, and in the last column the owners (`-p`), timers (`-o`, `-e`),
 * details (`-e`), memory (`-m`) and TCP information (`-i`), with ss's words,
 * number formats and conditions for leaving a field out.
 */
import type { SocketOwner } from '../sockdiag/socket-owners.js';
import type { SsRow } from './ss-columns.js';
import { SS_STATE_NAMES, type SsOptions } from './ss-options.js';
import { ipProtocolName } from './route-names.js';
import { printfG } from './ss-printf-g.js';
import type { SsServices } from './ss-services.js';
import type { InetSocket, UnixSocket, TcpInfo, SkMeminfo } from '../sockdiag/socket.js';

/** What a line needs besides the socket and the options. */
export interface SsLineContext {
  services: SsServices;
  /** Interface names in the socket's namespace. */
  interfaceName(ifindex: number): string;
  /** Socket owners by inode (with `-p`). */
  owners?: ReadonlyMap<number, readonly SocketOwner[]>;
  /** A cgroup id as ss prints it after `cgroup:`. */
  cgroupPath(id: bigint): string;
  /** The protocol ss resolves service names for (its `dg_proto`: the table it dumped last). */
  serviceProtocol: string | undefined;
}

type Options = Pick<SsOptions, 'numeric' | 'timers' | 'details' | 'memory' | 'info' | 'processes' | 'oneline'>;

const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 0: 'raw', 255: 'raw', 17: 'udp', 6: 'tcp', 262: 'mptcp', 132: 'sctp', 33: 'dccp', 58: 'icmp6' };
const UNIX_NETIDS: Readonly<Record<number, string>> = { 1: 'u_str', 5: 'u_seq' };
const TIMER_NAMES = ['off', 'on', 'keepalive', 'timewait', 'persist', 'unknown'];
const AF_INET6 = 10;
const IPPROTO_UDP = 17;
const TCP_LISTEN = 10;

/** `%-6d`; the small values most sockets have are made once. */
const QUEUES = Array.from({ length: 1024 }, (_, n) => String(n).padEnd(6, ' '));

/**
 * ssQueue is a Recv-Q or Send-Q field as ss prints it (`%-6d`).
 *
 * @example
 * ssQueue(0); // '0     '
 */
export const ssQueue = (n: number | undefined): string => QUEUES[n ?? 0] ?? String(n).padEnd(6, ' ');
const queue = ssQueue;

/** ss's print_ms_timer: `1min`, `54sec`, `1.500ms`, `200ms`. */
function msTimer(timeout: number): string {
  let secs = Math.trunc(timeout / 1000);
  const minutes = Math.trunc(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let text = '';
  if (minutes) {
    msecs = 0;
    text = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    text += `${secs}${msecs ? '.' : 'sec'}`;
  }
  if (msecs) text += `${String(msecs).padStart(3, '0')}ms`;
  return text;
}

/** ss's sprint_bw: bits per second, in k/M/G/T with 3 digits unless numeric. */
function bandwidth(bps: number, numeric: boolean): string {
  if (numeric) return bps.toFixed(0);
  if (bps >= 1e12) return `${printfG(bps / 1e12, 3)}T`;
  if (bps >= 1e9) return `${printfG(bps / 1e9, 3)}G`;
  if (bps >= 1e6) return `${printfG(bps / 1e6, 3)}M`;
  if (bps >= 1e3) return `${printfG(bps / 1e3, 3)}k`;
  return printfG(bps);
}

/**
 * ssUsers is ` users:(("node",pid=1,fd=3),…)` with `-p` (the owner found
 * last first, as ss prints them), or nothing.
 *
 * @example
 * ssUsers(socket.inode, context, options); // ' users:(("python3",pid=25427,fd=3))'
 */
export function ssUsers(inode: number, context: Pick<SsLineContext, 'owners'>, options: Pick<SsOptions, 'processes'>): string {
  if (!options.processes || inode === 0) return '';
  const owners = context.owners?.get(inode);
  if (!owners || owners.length === 0) return '';
  return ` users:(${[...owners].reverse().map((o) => `("${o.command}",pid=${o.pid},fd=${o.fd})`).join(',')})`;
}

/**
 * ssSkmem is ` skmem:(r…,rb…,t…,tb…,f…,w…,o…[,bl…][,d…])`, ss's print_skmeminfo.
 *
 * @example
 * ssSkmem(socket.skmeminfo); // ' skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)'
 */
export function ssSkmem(m: SkMeminfo): string {
  const n = (value: number | undefined) => value ?? 0;
  let text = ` skmem:(r${n(m.rmemAlloc)},rb${n(m.rcvbuf)},t${n(m.wmemAlloc)},tb${n(m.sndbuf)},f${n(m.fwdAlloc)},w${n(m.wmemQueued)},o${n(m.optmem)}`;
  if (m.backlog !== undefined) text += `,bl${m.backlog}`;
  if (m.drops !== undefined) text += `,d${m.drops}`;
  return `${text})`;
}

const shutdownText = (mask: number) => ` ${mask & 1 ? '-' : '<'}-${mask & 2 ? '-' : '>'}`;

/** The address column: `*` for an unspecified dual-stack IPv6 address, IPv6 in brackets, `%dev` for a bound device. */
function addressField(text: string, family: number, v6only: boolean, ifindex: number, context: SsLineContext): string {
  let shown = text;
  if (family === AF_INET6) shown = !v6only && text === '::' ? '*' : `[${text}]`;
  return `${shown}${ifindex ? `%${context.interfaceName(ifindex)}` : ''}:`;
}

/** tcp_info as ss -i prints it (its tcp_stats_print). */
function tcpInfoText(socket: InetSocket, info: TcpInfo, options: Options): string {
  const n = (value: number | bigint | undefined) => Number(value ?? 0);
  let out = '';
  const flags = n(info.options);
  if (options.timers) {
    if (flags & 1) out += ' ts';
    if (flags & 2) out += ' sack';
    if (flags & 8) out += ' ecn';
    if (flags & 16) out += ' ecnseen';
    if (flags & 32) out += ' fastopen';
  }
  if (socket.cong) out += ` ${socket.cong}`;
  if (flags & 4) out += ` wscale:${n(info.sndWscale)},${n(info.rcvWscale)}`;
  const rto = n(info.rto);
  if (rto && rto !== 3000000) out += ` rto:${printfG(rto / 1000)}`;
  if (n(info.backoff)) out += ` backoff:${n(info.backoff)}`;
  if (n(info.rtt)) out += ` rtt:${printfG(n(info.rtt) / 1000)}/${printfG(n(info.rttvar) / 1000)}`;
  if (n(info.ato)) out += ` ato:${printfG(n(info.ato) / 1000)}`;
  if (n(info.sndMss)) out += ` mss:${n(info.sndMss)}`;
  if (n(info.pmtu)) out += ` pmtu:${n(info.pmtu)}`;
  if (n(info.rcvMss)) out += ` rcvmss:${n(info.rcvMss)}`;
  if (n(info.advmss)) out += ` advmss:${n(info.advmss)}`;
  if (n(info.sndCwnd)) out += ` cwnd:${n(info.sndCwnd)}`;
  const ssthresh = n(info.sndSsthresh);
  if (ssthresh && ssthresh < 0xffff) out += ` ssthresh:${ssthresh}`;
  const counters: ReadonlyArray<readonly [string, number | bigint | undefined]> = [
    ['bytes_sent', info.bytesSent], ['bytes_retrans', info.bytesRetrans], ['bytes_acked', info.bytesAcked],
    ['bytes_received', info.bytesReceived], ['segs_out', info.segsOut], ['segs_in', info.segsIn],
    ['data_segs_out', info.dataSegsOut], ['data_segs_in', info.dataSegsIn],
  ];
  for (const [name, value] of counters) if (value !== undefined && value !== 0 && value !== 0n) out += ` ${name}:${value}`;
  if (socket.dctcp) {
    const d = socket.dctcp;
    out += d.enabled ? ` dctcp:(ce_state:${d.ceState},alpha:${d.alpha},ab_ecn:${d.abEcn},ab_tot:${d.abTot})` : ' dctcp:fallback_mode';
  }
  if (socket.bbr) {
    const b = socket.bbr;
    out += ` bbr:(bw:${bandwidth(Number(b.bw) * 8, options.numeric)}bps,mrtt:${printfG(b.minRtt / 1000)}`;
    if (b.pacingGain) out += `,pacing_gain:${printfG(b.pacingGain / 256)}`;
    if (b.cwndGain) out += `,cwnd_gain:${printfG(b.cwndGain / 256)}`;
    out += ')';
  }
  let rtt = n(info.rtt);
  const vegas = socket.vegas;
  if (vegas && vegas.enabled && vegas.rtt && vegas.rtt !== 0x7fffffff) rtt = vegas.rtt;
  if (rtt > 0 && n(info.sndMss) && n(info.sndCwnd)) {
    out += ` send ${bandwidth((n(info.sndCwnd) * n(info.sndMss) * 8000000) / rtt, options.numeric)}bps`;
  }
  if (n(info.lastDataSent)) out += ` lastsnd:${n(info.lastDataSent)}`;
  if (n(info.lastDataRecv)) out += ` lastrcv:${n(info.lastDataRecv)}`;
  if (n(info.lastAckRecv)) out += ` lastack:${n(info.lastAckRecv)}`;
  // ~0ULL is "unlimited" (as a number it would read 2 ** 64); ss multiplies the rest as doubles.
  const limited = (rate: number | bigint | undefined) =>
    rate !== undefined && BigInt(rate) !== 0n && BigInt(rate) < 0xffff_ffff_ffff_ffffn;
  if (limited(info.pacingRate)) {
    out += ` pacing_rate ${bandwidth(Number(info.pacingRate) * 8, options.numeric)}bps`;
    if (limited(info.maxPacingRate)) out += `/${bandwidth(Number(info.maxPacingRate) * 8, options.numeric)}bps`;
  }
  if (n(info.deliveryRate)) out += ` delivery_rate ${bandwidth(n(info.deliveryRate) * 8, options.numeric)}bps`;
  if (n(info.delivered)) out += ` delivered:${n(info.delivered)}`;
  if (n(info.deliveredCe)) out += ` delivered_ce:${n(info.deliveredCe)}`;
  if (info.deliveryRateAppLimited) out += ' app_limited';
  const busy = n(info.busyTime);
  if (busy) {
    out += ` busy:${Math.trunc(busy / 1000)}ms`;
    const limited = (name: string, value: number) => {
      if (value) out += ` ${name}:${Math.trunc(value / 1000)}ms(${((100 * value) / busy).toFixed(1)}%)`;
    };
    limited('rwnd_limited', n(info.rwndLimited));
    limited('sndbuf_limited', n(info.sndbufLimited));
  }
  if (n(info.unacked)) out += ` unacked:${n(info.unacked)}`;
  if (n(info.retrans) || n(info.totalRetrans)) out += ` retrans:${n(info.retrans)}/${n(info.totalRetrans)}`;
  if (n(info.lost)) out += ` lost:${n(info.lost)}`;
  if (n(info.sacked) && socket.state !== TCP_LISTEN) out += ` sacked:${n(info.sacked)}`;
  if (n(info.dsackDups)) out += ` dsack_dups:${n(info.dsackDups)}`;
  if (n(info.fackets)) out += ` fackets:${n(info.fackets)}`;
  if (n(info.reordering) !== 3) out += ` reordering:${n(info.reordering)}`;
  if (n(info.reordSeen)) out += ` reord_seen:${n(info.reordSeen)}`;
  if (n(info.rcvRtt)) out += ` rcv_rtt:${printfG(n(info.rcvRtt) / 1000)}`;
  if (n(info.rcvSpace)) out += ` rcv_space:${n(info.rcvSpace)}`;
  if (n(info.rcvSsthresh)) out += ` rcv_ssthresh:${n(info.rcvSsthresh)}`;
  if (n(info.notsentBytes)) out += ` notsent:${n(info.notsentBytes)}`;
  const minRtt = n(info.minRtt);
  if (minRtt && minRtt !== 0xffffffff) out += ` minrtt:${printfG(minRtt / 1000)}`;
  if (n(info.rcvOoopack)) out += ` rcv_ooopack:${n(info.rcvOoopack)}`;
  if (n(info.sndWnd)) out += ` snd_wnd:${n(info.sndWnd)}`;
  return out;
}

/**
 * ssInetRow is an inet socket's line as ss prints it.
 *
 * @example
 * const row = ssInetRow(socket, options, context); // { netid: 'tcp', state: 'LISTEN', recvq: '0     ', … }
 */
export function ssInetRow(socket: InetSocket, options: Options, context: SsLineContext): SsRow {
  const v6only = Boolean(socket.v6only);
  // ss's resolve_service: a raw socket's "port" is its IP protocol, named by /etc/protocols.
  const service = (port: number) => (port === 0 ? '*' : options.numeric ? String(port)
    : context.serviceProtocol === 'raw' ? ipProtocolName(port) : context.services.name(port, context.serviceProtocol));
  let process = ssUsers(socket.inode, context, options);
  if (options.timers && socket.timer) {
    process += ` timer:(${TIMER_NAMES[Math.min(socket.timer, 5)]},${msTimer(socket.expires)},${socket.retrans})`;
  }
  if (options.details) {
    if (socket.uid) process += ` uid:${socket.uid}`;
    process += ` ino:${socket.inode} sk:${socket.cookie.toString(16)}`;
    if (socket.mark) process += ` fwmark:0x${socket.mark.toString(16)}`;
    if (socket.cgroupId) process += ` cgroup:${context.cgroupPath(socket.cgroupId)}`;
    if (socket.family === AF_INET6 && socket.v6only !== undefined) process += ` v6only:${Number(socket.v6only)}`;
    if (socket.shutdown !== undefined) process += shutdownText(socket.shutdown);
  }
  if (options.memory || (options.info && socket.protocol !== IPPROTO_UDP)) {
    if (!options.oneline) process += '\n\t';
    // What the dump carries is printed: the request asked for memory with -m, tcp_info with -i (as ss asks).
    if (socket.skmeminfo) process += ssSkmem(socket.skmeminfo);
    else if (socket.meminfo) {
      const { rmem, wmem, fmem, tmem } = socket.meminfo;
      process += ` mem:(r${rmem},w${wmem},f${fmem},t${tmem})`;
    }
    if (socket.tcpInfo) process += tcpInfoText(socket, socket.tcpInfo, options);
  }
  return {
    netid: PROTOCOL_NAMES[socket.protocol] ?? '???',
    state: SS_STATE_NAMES[socket.state] ?? 'UNKNOWN',
    recvq: queue(socket.rqueue),
    sendq: queue(socket.wqueue),
    addr: addressField(socket.src, socket.family, v6only, socket.ifindex, context),
    port: service(socket.srcPort),
    peer: addressField(socket.dst, socket.family, v6only, 0, context),
    peerPort: service(socket.dstPort),
    process,
  };
}

/** glibc's major() and minor() of a 32-bit device number as the kernel reports it. */
const major = (dev: number) => (dev >>> 8) & 0xfff;
const minor = (dev: number) => (dev & 0xff) | ((dev >>> 12) & ~0xff);

/**
 * ssUnixRow is a UNIX socket's line as ss prints it: its name (or `*`) and
 * inode, `*` and the peer's inode.
 *
 * @example
 * const row = ssUnixRow(socket, options, context); // { netid: 'u_str', state: 'ESTAB', addr: '* ', port: '1531', … }
 */
export function ssUnixRow(socket: UnixSocket, options: Options, context: SsLineContext): SsRow {
  let process = ssUsers(socket.inode, context, options);
  if (options.memory && socket.skmeminfo) process += ssSkmem(socket.skmeminfo);
  if (options.details) {
    if (socket.shutdown !== undefined) process += shutdownText(socket.shutdown);
    if (socket.vfs) process += ` ino:${socket.vfs.ino} dev:${major(socket.vfs.dev)}/${minor(socket.vfs.dev)}`;
    if (socket.icons) process += ` peers:${socket.icons.map((inode) => ` ${inode}`).join('')}`;
  }
  return {
    netid: UNIX_NETIDS[socket.type] ?? 'u_dgr',
    state: SS_STATE_NAMES[socket.state] ?? 'UNKNOWN',
    recvq: queue(socket.rqueue),
    sendq: queue(socket.wqueue),
    addr: `${socket.name ?? '*'} `,
    port: String(socket.inode),
    peer: '* ',
    peerPort: String(socket.peer ?? 0),
    process,
  };
}
