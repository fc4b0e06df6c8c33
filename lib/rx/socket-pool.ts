import { constants } from 'node:os';
import { NetlinkError } from '../errors.js';
import { NetlinkSocket, type SocketOptions } from '../transport/netlink-socket.js';
import type { Transport } from '../transport/transport.js';

/**
 * TransportFactory opens one socket: the real `NetlinkSocket` by default, a
 * scripted fake kernel in tests.
 *
 * @example
 * const factory: TransportFactory = (protocol, options) => new NetlinkSocket(protocol, options);
 */
export type TransportFactory = (protocol: number, options: SocketOptions) => Transport;

/** The default factory: a real Netlink socket. */
const openNetlinkSocket: TransportFactory = (protocol, options) => new NetlinkSocket(protocol, options);

/**
 * SocketPoolOptions shape a pool.
 *
 * @example
 * const pool = new SocketPool(NETLINK_ROUTE, { netns: 'blue' }, { size: 8, idleTimeout: 1000 });
 */
export interface SocketPoolOptions {
  /** Most sockets open at once (leased and idle). Default 4. */
  size?: number;
  /** An idle socket is closed after this many ms. Default 5000. */
  idleTimeout?: number;
  /** How sockets are opened. Default: `new NetlinkSocket(protocol, options)`. */
  transport?: TransportFactory;
}

/**
 * SocketLease is one socket held exclusively by one dump. Give it back exactly
 * once: `release()` when the kernel has finished the request (DONE or ERROR
 * read), `destroy()` otherwise — the socket is then closed, so no reply of an
 * abandoned dump can reach the next user. Later calls do nothing.
 *
 * @example
 * const lease = await pool.acquire();
 * try { await dumpOn(lease.transport); lease.release(); } catch { lease.destroy(); }
 */
export interface SocketLease {
  readonly transport: Transport;
  /** Back to the pool for the next dump; only when nothing of this request is left to read. */
  release(): void;
  /** Closes the socket (O(1): nothing is drained) and frees its place in the pool. */
  destroy(): void;
}

interface Waiter {
  resolve(lease: SocketLease): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Idle {
  transport: Transport;
  timer: NodeJS.Timeout;
}

/**
 * SocketPool lends sockets of one protocol, namespace and option set to dumps,
 * one dump per socket at a time (DESIGN.md rule 3). At most `size` sockets are
 * open; a dump that finds them all busy waits in line (first come, first
 * served) — it never shares a busy socket and never sees `EBUSY`. Idle sockets
 * are reused newest first and closed after `idleTimeout`; their timers are
 * unref'd and an idle socket polls nothing, so a pool never keeps the process
 * alive.
 *
 * @example
 * const pool = new SocketPool(NETLINK_ROUTE, { netns: 'blue' }, { size: 2 });
 * dump(request, { pool }).subscribe();
 * pool.close();
 */
export class SocketPool {
  readonly size: number;
  readonly idleTimeout: number;
  readonly #open: TransportFactory;
  readonly #idle: Idle[] = [];
  readonly #waiters: Waiter[] = [];
  /** Sockets open now: leased plus idle. */
  #count = 0;
  /** Sockets ever opened, for tests and diagnostics. */
  #opened = 0;
  #closed = false;
  readonly #onClose?: () => void;

  /**
   * @param protocol The Netlink protocol, e.g. NETLINK_ROUTE (0).
   * @param socketOptions Options every socket of the pool is opened with.
   * @param options Pool size, idle timeout, transport factory.
   * @param onClose Called once by `close()` (the default registry forgets the pool).
   */
  constructor(
    readonly protocol: number,
    readonly socketOptions: Readonly<SocketOptions> = {},
    options: SocketPoolOptions = {},
    onClose?: () => void,
  ) {
    this.size = Math.max(1, options.size ?? 4);
    this.idleTimeout = options.idleTimeout ?? 5000;
    this.#open = options.transport ?? openNetlinkSocket;
    this.#onClose = onClose;
  }

  /** Sockets open now, leased and idle. */
  get openSockets(): number {
    return this.#count;
  }

  /** Sockets open and waiting for a dump. */
  get idleSockets(): number {
    return this.#idle.length;
  }

  /** Dumps waiting for a socket. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Sockets opened over the pool's life. */
  get openedTotal(): number {
    return this.#opened;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Leases a socket: an idle one, a new one while fewer than `size` are open,
   * or the next one given back. Rejects with the opening error (a
   * `NetlinkSyscallError`, e.g. `ENOENT` for a missing namespace), with
   * `EBADF` once the pool is closed, or with the signal's reason when aborted
   * while waiting.
   *
   * @example
   * const lease = await pool.acquire(AbortSignal.timeout(1000));
   */
  acquire(signal?: AbortSignal): Promise<SocketLease> {
    return new Promise<SocketLease>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (this.#closed) return reject(poolClosed());
      const idle = this.#idle.pop();
      if (idle) {
        clearTimeout(idle.timer);
        return resolve(this.#lease(idle.transport));
      }
      if (this.#count < this.size) {
        try {
          return resolve(this.#lease(this.#openSocket()));
        } catch (error) {
          return reject(error);
        }
      }
      const waiter: Waiter = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) this.#waiters.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }

  /**
   * Closes the idle sockets and refuses new leases; waiting dumps fail with
   * `EBADF`, leased sockets are closed when they come back. Idempotent.
   *
   * @example
   * afterAll(() => pool.close());
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const idle of this.#idle.splice(0)) {
      clearTimeout(idle.timer);
      idle.transport.close();
      this.#count--;
    }
    for (const waiter of this.#waiters.splice(0)) {
      this.#unlisten(waiter);
      waiter.reject(poolClosed());
    }
    this.#onClose?.();
  }

  #openSocket(): Transport {
    const transport = this.#open(this.protocol, this.socketOptions);
    this.#count++;
    this.#opened++;
    return transport;
  }

  #lease(transport: Transport): SocketLease {
    let returned = false;
    return {
      transport,
      release: () => {
        if (returned) return;
        returned = true;
        this.#giveBack(transport);
      },
      destroy: () => {
        if (returned) return;
        returned = true;
        transport.close();
        this.#count--;
        this.#serveWaiters();
      },
    };
  }

  #giveBack(transport: Transport): void {
    if (this.#closed || transport.closed) {
      transport.close();
      this.#count--;
      this.#serveWaiters();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#unlisten(waiter);
      waiter.resolve(this.#lease(transport));
      return;
    }
    const timer = setTimeout(() => this.#expire(transport), this.idleTimeout);
    timer.unref();
    this.#idle.push({ transport, timer });
  }

  #expire(transport: Transport): void {
    const at = this.#idle.findIndex((idle) => idle.transport === transport);
    if (at < 0) return;
    this.#idle.splice(at, 1);
    transport.close();
    this.#count--;
  }

  /** A place became free: open a socket for the first waiter (another, if opening fails). */
  #serveWaiters(): void {
    while (this.#waiters.length > 0 && this.#count < this.size && !this.#closed) {
      const waiter = this.#waiters.shift()!;
      this.#unlisten(waiter);
      try {
        waiter.resolve(this.#lease(this.#openSocket()));
      } catch (error) {
        waiter.reject(error);
      }
    }
  }

  #unlisten(waiter: Waiter): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }
}

function poolClosed(): NetlinkError {
  return new NetlinkError('the socket pool is closed', constants.errno.EBADF, 'EBADF');
}
