/**
 * The sock_diag client: one namespace, one socket pool, its sockets as cold
 * Observables.
 */
import type { Observable } from 'rxjs';
import { NETLINK_SOCK_DIAG } from '../codec/header.js';
import { SocketPool } from '../rx/socket-pool.js';
import { DUMP_BATCH_BYTES } from '../rx/socket-pools.js';
import type { Socket } from '../sockdiag/socket.js';
import type { SocketFilter } from '../sockdiag/socket-filter.js';
import { sockets } from '../sockdiag/sockets.js';

/** Options of a sock_diag client. */
export interface SockdiagOptions {
  /** Network namespace: a name under /run/netns, or a path such as /proc/<pid>/ns/net. */
  netns?: string;
  /** Concurrent dumps at most (sockets of the client's pool). Default 4. */
  poolSize?: number;
  /** Receive buffer of the dump sockets, in bytes. */
  rcvbuf?: number;
  /** Batches each dump socket's reader thread may receive before they are asked for (see `DumpOptions.readAhead`). Default 2. */
  readAhead?: number;
}

/**
 * SockdiagClient dumps one namespace's sockets. Every method returns a cold
 * Observable: nothing is sent before `subscribe()`, and each subscription
 * runs its own dumps.
 */
export interface SockdiagClient {
  /** Sockets (SOCK_DIAG_BY_FAMILY), see `sockets`; `extensions` as `SocketsOptions.extensions`. */
  sockets(filter?: SocketFilter, options?: { extensions?: number }): Observable<Socket>;
  /** Closes the client's sockets; dumps started later fail with `EBADF`. Idempotent. */
  close(): void;
}

/**
 * sockdiag opens a sock_diag client for one network namespace.
 *
 * @example
 * import { sockdiag } from 'netlink-rx';
 * import { toArray } from 'rxjs';
 *
 * const client = sockdiag({ netns: 'blue' });
 * client.sockets({ protocol: 'tcp', states: [10] }).pipe(toArray()).subscribe((listening) => {
 *   console.log(`${listening.length} TCP listeners`);
 *   client.close();
 * });
 */
export function sockdiag(options: SockdiagOptions = {}): SockdiagClient {
  const { netns, poolSize, rcvbuf, readAhead = 2 } = options;
  const pool = new SocketPool(NETLINK_SOCK_DIAG, { netns, rcvbuf, readAhead, batchBytes: DUMP_BATCH_BYTES }, { size: poolSize });
  return {
    sockets: (filter, socketsOptions) => sockets(filter, { ...socketsOptions, pool }),
    close: () => pool.close(),
  };
}
