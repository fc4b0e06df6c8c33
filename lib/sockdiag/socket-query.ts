/**
 * One sock_diag dump, whatever the socket family: its request, the
 * description of its replies, and the kernel module that answers it. What
 * `sockets()` runs once per (family, protocol).
 */
import type { MessageDescription } from '../codec/message-description.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { inetDiagRequest, inetSocketMessage } from './inet-diag-decode.js';
import { netlinkDiagRequest, netlinkSocketMessage } from './netlink-diag-decode.js';
import { packetDiagRequest, packetSocketMessage } from './packet-diag-decode.js';
import type { Socket } from './socket.js';
import {
  AF_NETLINK, IPPROTO_MPTCP, IPPROTO_RAW, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, TCPF_ALL,
} from './sockdiag-constants.js';
import { unixDiagRequest, unixSocketMessage } from './unix-diag-decode.js';

// Route's constants; families do not import one another.
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_PACKET = 17;

/**
 * SocketQuery is one sock_diag dump: a family (AF_INET, AF_INET6, AF_UNIX,
 * AF_NETLINK, AF_PACKET), for inet an IPPROTO_* protocol, a state mask
 * (inet, UNIX), and for inet the extensions (idiag_ext) and a bytecode filter.
 */
export interface SocketQuery {
  readonly family: number;
  readonly protocol: number;
  /** Bit n: state n. Default every state. */
  readonly states?: number;
  /** idiag_ext bits (INET_DIAG_x - 1) of the attributes to ask for. Default none. */
  readonly ext?: number;
  readonly bytecode?: Uint8Array;
}

/** The modules that answer inet_diag dumps, by protocol (net/ipv4/*_diag.c, net/sctp, net/mptcp). */
const INET_MODULES: Readonly<Record<number, string>> = {
  [IPPROTO_TCP]: 'tcp_diag', [IPPROTO_UDP]: 'udp_diag', [IPPROTO_UDPLITE]: 'udp_diag', [IPPROTO_RAW]: 'raw_diag',
  [IPPROTO_SCTP]: 'sctp_diag', [IPPROTO_MPTCP]: 'mptcp_diag',
};

const isInet = (family: number) => family === AF_INET || family === AF_INET6;

/**
 * socketQueryRequest builds a query's dump request.
 *
 * @example
 * dump(socketQueryRequest({ family: AF_INET, protocol: IPPROTO_TCP }));
 */
export function socketQueryRequest(query: SocketQuery): DumpRequest {
  const states = query.states ?? TCPF_ALL;
  if (isInet(query.family)) {
    return inetDiagRequest({ family: query.family, protocol: query.protocol, states, ext: query.ext, bytecode: query.bytecode });
  }
  if (query.family === AF_UNIX) return unixDiagRequest(states);
  if (query.family === AF_NETLINK) return netlinkDiagRequest();
  if (query.family === AF_PACKET) return packetDiagRequest();
  throw new RangeError(`sock_diag has no dump for address family ${query.family}`);
}

/**
 * socketQueryMessage is the description of a query's replies.
 *
 * @example
 * const socket = socketQueryMessage({ family: AF_UNIX, protocol: 0 }).decode(msg);
 */
export function socketQueryMessage(query: SocketQuery): MessageDescription<Socket> {
  if (isInet(query.family)) return inetSocketMessage(query.protocol);
  if (query.family === AF_UNIX) return unixSocketMessage;
  if (query.family === AF_NETLINK) return netlinkSocketMessage;
  if (query.family === AF_PACKET) return packetSocketMessage;
  throw new RangeError(`sock_diag has no dump for address family ${query.family}`);
}

/**
 * socketQueryModule names the kernel module that answers a query ('tcp_diag',
 * 'sctp_diag', 'unix_diag' …): what a SockDiagUnavailableError reports.
 *
 * @example
 * socketQueryModule({ family: AF_INET6, protocol: IPPROTO_SCTP }); // 'sctp_diag'
 */
export function socketQueryModule(query: SocketQuery): string {
  if (isInet(query.family)) return INET_MODULES[query.protocol] ?? `inet_diag protocol ${query.protocol}`;
  if (query.family === AF_UNIX) return 'unix_diag';
  if (query.family === AF_NETLINK) return 'netlink_diag';
  if (query.family === AF_PACKET) return 'af_packet_diag';
  return `sock_diag family ${query.family}`;
}
