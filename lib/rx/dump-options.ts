import type { SocketOptions } from '../transport/netlink-socket.js';
import type { ReadPace } from './read-batches.js';
import type { SocketPool, TransportFactory } from './socket-pool.js';

/**
 * DumpOptions say where a dump runs and how. Without `pool`, the dump leases
 * its socket from the default registry's pool for (protocol, `netns`,
 * `strictCheck`, `rcvbuf`, `transport`) — see `socketPool`.
 *
 * @example
 * dump(request, { netns: 'blue', strictCheck: true });
 */
export interface DumpOptions extends Pick<SocketOptions, 'netns' | 'strictCheck' | 'rcvbuf'> {
  /** Lease sockets from this pool; `netns`, `strictCheck`, `rcvbuf` and `transport` are then the pool's business. */
  pool?: SocketPool;
  /** Open sockets with this factory (tests: a fake kernel). Part of the default pool's identity. */
  transport?: TransportFactory;
  /**
   * Share one kernel dump among identical dumps running at the same time
   * (same request, same pool). Off by default; ignored with `pace`.
   */
  shared?: boolean;
  /** Pace the reads (pull): each read waits for the returned Observable to emit. */
  pace?: ReadPace;
}
