import type { SocketOptions } from '../transport/netlink-socket.js';
import type { ReadPace } from './read-batches.js';
import type { SocketPool, TransportFactory } from './socket-pool.js';

/**
 * DumpOptions say where a dump runs and how. Without `pool`, the dump leases
 * its socket from the default registry's pool for (protocol, `netns`,
 * `strictCheck`, `rcvbuf`, `readAhead`, `batchBytes`, `transport`) — see
 * `socketPool`.
 *
 * `readAhead` (default 0) gives the dump's sockets a native reader thread that
 * may receive up to that many batches before they are asked for, so the
 * kernel produces the next chunk of the dump on another core while JavaScript
 * decodes this one: 1M routes in about the raw recv time instead of 1.4× it
 * (two cores), for `readAhead × batchBytes` more memory. The batches are
 * still handed on one at a time and in order, but a paused consumer no longer
 * pauses the kernel — so the default stays 0 (pure demand), and the pull
 * iterators (`iterateDump`, `iterateDumpBatches`) ignore it.
 *
 * @example
 * dump(request, { netns: 'blue', strictCheck: true });
 * dumpBatches(request, { readAhead: 2 }); // overlap recv with decoding
 */
export interface DumpOptions extends Pick<SocketOptions, 'netns' | 'strictCheck' | 'rcvbuf' | 'readAhead' | 'batchBytes'> {
  /**
   * Lease sockets from this pool; `netns`, `strictCheck`, `rcvbuf`, `readAhead`,
   * `batchBytes` and `transport` are then the pool's business.
   */
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
