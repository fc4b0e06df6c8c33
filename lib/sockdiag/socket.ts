/**
 * The socket objects of sock_diag dumps, one union: inet (TCP, UDP, UDP-lite,
 * raw, SCTP, MPTCP), UNIX, netlink and packet sockets, told apart by `kind`.
 * Each kind is declared beside its description.
 */
import type { InetSocket } from './inet-diag-decode.js';
import type { NetlinkSocket } from './netlink-diag-decode.js';
import type { PacketSocket } from './packet-diag-decode.js';
import type { UnixSocket } from './unix-diag-decode.js';

export type { InetSocket } from './inet-diag-decode.js';
export type { NetlinkSocket } from './netlink-diag-decode.js';
export type { PacketSocket } from './packet-diag-decode.js';
export type { UnixSocket } from './unix-diag-decode.js';
export type { SkMeminfo } from './sk-meminfo-info.js';
export type { TcpInfo } from './tcp-info.js';

/**
 * Socket is any socket a sock_diag dump delivers; narrow it by `kind`.
 *
 * @example
 * function describe(s: Socket): string {
 *   return s.kind === 'inet' ? `${s.src}:${s.srcPort}` : s.kind === 'unix' ? s.name ?? '*' : String(s.inode);
 * }
 */
export type Socket = InetSocket | UnixSocket | NetlinkSocket | PacketSocket;
