/**
 * Sockets as a cold Observable: `sockets()`, one sock_diag dump per (family,
 * protocol) the filter asks for, through the same dump engine as every table.
 */
import { catchError, concat, defer, EMPTY, throwError, type Observable } from 'rxjs';
import { NetlinkKernelError } from '../errors.js';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { SockDiagUnavailableError } from './sock-diag-unavailable-error.js';
import type { Socket } from './socket.js';
import { socketQueryModule, socketQueryRequest, type SocketQuery } from './socket-query.js';
import { socketPredicate, type SocketFilter } from './socket-filter.js';
import { socketQueries } from './socket-queries.js';
import { socketSelector } from './socket-selector.js';

/**
 * SocketsOptions: where and how the dumps run (`DumpOptions`), and which
 * extensions inet sockets carry.
 */
export interface SocketsOptions extends DumpOptions {
  /**
   * idiag_ext: bit (INET_DIAG_x - 1) asks the kernel for attribute x of
   * every inet socket — meminfo, tcp_info (with vegas/DCTCP/BBR), the
   * congestion algorithm, tos/tclass (and class id), skmeminfo, shutdown.
   * Default INET_DIAG_EXT_ALL (0xff): every field `ss -tieom` prints. 0 is
   * the lean dump (struct inet_diag_msg and the attributes the kernel always
   * sends: mark, cgroup id, sockopt …), about a third of the bytes for TCP.
   */
  extensions?: number;
}

/** Every idiag_ext bit: the first eight INET_DIAG_* attributes. */
export const INET_DIAG_EXT_ALL = 0xff;

function missingModule(error: unknown): error is NetlinkKernelError {
  return error instanceof NetlinkKernelError && error.code === 'ENOENT';
}

/**
 * sockets dumps a namespace's sockets as a cold Observable of typed sockets
 * (`Socket`: narrow by `kind`), streamed batch by batch. Each subscription
 * runs one dump per (family, protocol) the filter selects, one after the
 * other, in this order: IPv4 TCP, UDP, UDP-lite, raw, SCTP, MPTCP, the same
 * for IPv6, then UNIX, netlink, packet. The filter (`SocketFilter`) goes to
 * the kernel — states, family and protocol in each request's header, the
 * address, port, device, mark and cgroup conditions as an
 * INET_DIAG_REQ_BYTECODE program — and `matchSocket` applies all of it again
 * to every socket, so the result is the same whatever the kernel ran.
 *
 * Without a family or protocol it dumps everything `ss -a -A all` shows
 * (and, with no `states`, TCP sockets bound but not listening, which the
 * kernel reports as closed since 6.8 and `ss -a` leaves out);
 * a dump whose diag module the kernel lacks (SCTP, raw, MPTCP, packet,
 * netlink are modules) is then left out, as `ss` does. A family or protocol
 * named in the filter is required: when the kernel cannot dump it, the
 * Observable fails with a `SockDiagUnavailableError` (`.code` 'ENOENT',
 * `.module` 'sctp_diag' …).
 *
 * What a socket dump promises (DESIGN.md, "Beyond the ten rules"): sock_diag
 * walks hash tables and resumes each read from a saved position; it never
 * flags a dump interrupted (no NLM_F_DUMP_INTR). Under churn a socket created
 * or destroyed meanwhile can be missed, and one that moved can be read twice:
 * the second copy is dropped by cookie, so no socket is delivered twice in
 * one subscription. Every socket delivered existed during the dump.
 *
 * @example
 * import { sockets } from 'netlink-rx';
 *
 * sockets({ family: 'inet', protocol: 'tcp', states: [10] }, { netns: 'blue' })
 *   .subscribe((s) => { if (s.kind === 'inet') console.log(`listening on ${s.src}:${s.srcPort}`); });
 */
export function sockets(filter: SocketFilter = {}, options: SocketsOptions = {}): Observable<Socket> {
  const { extensions = INET_DIAG_EXT_ALL, ...dumpOptions } = options;
  // Inside defer, a malformed filter (EINVAL) is the Observable's error, not a throw.
  return defer(() => {
    const match = socketPredicate(filter);
    // One cookie set per subscription, shared by its dumps.
    const seen = new Set<bigint>();
    return concat(...socketQueries(filter, extensions).map(({ query, required }) => dumpOf(query, required, match, seen, dumpOptions)));
  });
}

function dumpOf(query: SocketQuery, required: boolean, match: (socket: Socket) => boolean, seen: Set<bigint>,
  options: DumpOptions): Observable<Socket> {
  return dumpObjects(socketQueryRequest(query), socketSelector(query, match, seen), options).pipe(
    catchError((error: unknown) => {
      if (!missingModule(error)) return throwError(() => error);
      if (!required) return EMPTY;
      return throwError(() => new SockDiagUnavailableError(socketQueryModule(query), query.family, query.protocol, { cause: error }));
    }));
}
