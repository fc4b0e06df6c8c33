/**
 * One packet socket as one line of iproute2's `ss` (6.1, its
 * packet_show_sock): `p_raw` or `p_dgr`, always `UNCONN`, the receive queue
 * from the socket's memory, `ethertype:interface` as the local address (`*`
 * for ETH_P_ALL and for no interface), `*` as the peer; with `-e` the inode,
 * cookie and a second line of TPACKET version, flags, rings and fanout.
 */
import type { PacketSocket } from '../sockdiag/socket.js';
import type { PacketDiagRing } from '../sockdiag/packet-diag-decode.js';
import type { SsRow } from './ss-columns.js';
import { ssQueue, ssSkmem, ssUsers, type SsLineContext } from './ss-format.js';
import type { SsOptions } from './ss-options.js';

/** ll_proto_n2a()'s table (iproute2's lib/ll_proto.c): ethertype → name. */
const ETHERTYPES: ReadonlyMap<number, string> = new Map([
  [0x0060, 'loop'], [0x0200, 'pup'], [0x0201, 'pupat'], [0x0800, 'ip'], [0x0805, 'x25'], [0x0806, 'arp'],
  [0x08ff, 'bpq'], [0x0a00, 'ieeepup'], [0x0a01, 'ieeepupat'], [0x6000, 'dec'], [0x6001, 'dna_dl'],
  [0x6002, 'dna_rc'], [0x6003, 'dna_rt'], [0x6004, 'lat'], [0x6005, 'diag'], [0x6006, 'cust'], [0x6007, 'sca'],
  [0x8035, 'rarp'], [0x809b, 'atalk'], [0x80f3, 'aarp'], [0x8137, 'ipx'], [0x86dd, 'ipv6'], [0x8863, 'ppp_disc'],
  [0x8864, 'ppp_ses'], [0x884c, 'atmmpoa'], [0x8884, 'atmfate'], [0x0001, '802_3'], [0x0002, 'ax25'],
  [0x0003, 'all'], [0x0004, '802_2'], [0x0005, 'snap'], [0x0006, 'ddcmp'], [0x0007, 'wan_ppp'], [0x0008, 'ppp_mp'],
  [0x0009, 'localtalk'], [0x000c, 'can'], [0x0010, 'ppptalk'], [0x0011, 'tr_802_2'], [0x0015, 'mobitex'],
  [0x0016, 'control'], [0x0017, 'irda'], [0x0018, 'econet'], [0x88ca, 'tipc'], [0x88a2, 'aoe'], [0x8100, '802.1Q'],
  [0x88a8, '802.1ad'], [0x8847, 'mpls_uc'], [0x8848, 'mpls_mc'], [0x6558, 'teb'], [0x88cc, 'LLDP'],
]);
const ETH_P_ALL = 3;
const SOCK_RAW = 3;
const PDI_FLAGS: ReadonlyArray<readonly [bit: number, name: string]> = [
  [1, 'running'], [2, ' auxdata'], [4, ' origdev'], [8, ' vnethdr'], [16, ' loss'],
];
const FANOUT_TYPES = ['hash', 'lb', 'cpu', 'roll', 'random', 'qm'];

/**
 * ethertypeName is ll_proto_n2a(): an ethertype's name, `[n]` when it has
 * none or with `-n`.
 *
 * @example
 * ethertypeName(0x0800, false); // 'ip'
 */
export function ethertypeName(protocol: number, numeric: boolean): string {
  return (numeric ? undefined : ETHERTYPES.get(protocol)) ?? `[${protocol}]`;
}

/**
 * ethertypeId is ll_proto_a2n(): an ethertype by name (any case), or a
 * number up to 0xffff in C syntax; undefined when it is neither.
 *
 * @example
 * ethertypeId('arp'); // 0x0806
 */
export function ethertypeId(text: string): number | undefined {
  const lower = text.toLowerCase();
  for (const [id, name] of ETHERTYPES) if (name.toLowerCase() === lower) return id;
  const match = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!match) return undefined;
  const value = /^0[xX]/.test(match[1]) ? parseInt(match[1].slice(2), 16) : match[1].length > 1 && match[1][0] === '0'
    ? parseInt(match[1], 8) : parseInt(match[1], 10);
  return value <= 0xffff ? value : undefined;
}

const ring = (r: PacketDiagRing) =>
  `blk_size:${r.blockSize},blk_nr:${r.blockNr},frm_size:${r.frameSize},frm_nr:${r.frameNr},tmo:${r.retireTmo},features:0x${r.features.toString(16)}`;

/** `-e`'s further lines (with `-O`, on the same line): TPACKET version, copy threshold, PDI_* flags, rings, fanout. */
function packetDetails(socket: PacketSocket, oneline: boolean): string {
  const next = oneline ? ' ' : '\n\t';
  let out = '';
  const info = socket.info;
  if (info) {
    out += `${next}ver:${info.version} cpy_thresh:${info.copyThresh} flags( `;
    for (const [bit, name] of PDI_FLAGS) if (info.flags & bit) out += name;
    if (!info.flags) out += '0';
    out += ' )';
  }
  if (socket.rxRing) out += `${next}ring_rx(${ring(socket.rxRing)})`;
  if (socket.txRing) out += `${next}ring_tx(${ring(socket.txRing)})`;
  if (socket.fanout !== undefined) {
    const type = (socket.fanout >>> 16) & 0xffff;
    out += `${next}fanout(id:${socket.fanout & 0xffff},type:${FANOUT_TYPES[type] ?? `0x${type.toString(16)}`})`;
  }
  return out;
}

/**
 * ssPacketRow is a packet socket's line as ss prints it.
 *
 * @example
 * const row = ssPacketRow(socket, options, context); // { netid: 'p_dgr', addr: 'ip:', port: 'eth0', … }
 */
export function ssPacketRow(socket: PacketSocket,
  options: Pick<SsOptions, 'numeric' | 'details' | 'memory' | 'processes' | 'oneline'>,
  context: Pick<SsLineContext, 'owners' | 'interfaceName'>): SsRow {
  const ifindex = socket.info?.index ?? 0;
  let process = ssUsers(socket.inode, context, options);
  if (options.details) {
    if (socket.uid) process += ` uid:${socket.uid}`;
    process += ` ino:${socket.inode} sk:${socket.cookie.toString(16)}`;
    process += packetDetails(socket, options.oneline);
  }
  if (options.memory && socket.skmeminfo) process += ssSkmem(socket.skmeminfo);
  return {
    netid: socket.type === SOCK_RAW ? 'p_raw' : 'p_dgr',
    state: 'UNCONN',
    recvq: ssQueue(socket.skmeminfo?.rmemAlloc),
    sendq: ssQueue(0),
    addr: `${socket.protocol === ETH_P_ALL ? '*' : ethertypeName(socket.protocol, options.numeric)}:`,
    port: ifindex === 0 ? '*' : context.interfaceName(ifindex),
    peer: '*',
    peerPort: '',
    process,
  };
}
