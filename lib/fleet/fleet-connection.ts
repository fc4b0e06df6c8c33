/**
 * FleetConnection: one NATS connection and the fleet's JetStream key-value
 * bucket, behind a small seam (FleetBucket) that the publisher and the
 * consumer use — so nothing else of the fleet module knows the NATS client,
 * which is loaded only when a connection is made.
 */
import { readFileSync } from 'node:fs';
import type { KV, NatsConnection } from 'nats';
import { FleetError, fleetError } from './fleet-error.js';

/**
 * FleetConnectOptions: where the NATS servers are and how to log in, as the
 * NATS client takes it (user and password, a token, a `.creds` file, TLS).
 *
 * @example
 * const options: FleetConnectOptions = { servers: 'nats://10.0.0.5:4222', credsFile: '/etc/nlrx/fleet.creds', tls: { caFile: '/etc/nlrx/ca.pem' } };
 */
export interface FleetConnectOptions {
  /** One or more `nats://host:port` (or `tls://`) URLs. */
  readonly servers: string | readonly string[];
  /** The key-value bucket; default `nlrx-fleet`. */
  readonly bucket?: string;
  /** JetStream replicas of a bucket this connection creates (a cluster: 3); default 1. */
  readonly replicas?: number;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** A NATS `.creds` file (JWT and NKey seed). */
  readonly credsFile?: string;
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
  /** The connection's name, as the server's monitoring shows it. */
  readonly name?: string;
  /** Milliseconds opening a watch may take (the server scans a large bucket for it); default 30 000. */
  readonly apiTimeoutMs?: number;
  /** Milliseconds to wait for the first connection; default 5 000. */
  readonly timeoutMs?: number;
}

/**
 * FleetEntry is one stored key as a watch delivers it: its value, whether
 * it was put or deleted, and when the server stored it.
 *
 * @example
 * const e: FleetEntry = { key: 'r1.heartbeat', value, operation: 'PUT', created: new Date(), revision: 7 };
 */
export interface FleetEntry {
  readonly key: string;
  readonly value: Uint8Array;
  readonly operation: 'PUT' | 'DEL' | 'PURGE';
  /** The server's time of the write. */
  readonly created: Date;
  readonly revision: number;
}

/**
 * FleetWatcher receives a watch's entries: the current ones, then
 * `initialized()` once, then every later write, in order; `error()` when
 * the watch ended (the connection closed, the server lost its consumer).
 *
 * @example
 * const watcher: FleetWatcher = { entry: (e) => rows.set(e.key, e), initialized: () => console.log('synced'), error: console.error };
 */
export interface FleetWatcher {
  entry(entry: FleetEntry): void;
  initialized(): void;
  error(error: FleetError): void;
}

/**
 * FleetBucket is what the publisher and the consumer need from the
 * key-value bucket.
 *
 * @example
 * const stop = await fleet.bucket.watch('*.routes.*', watcher);
 */
export interface FleetBucket {
  /** Stores a value; resolves once JetStream acknowledged it. */
  put(key: string, value: Uint8Array): Promise<void>;
  /** Deletes a key (a delete marker that watchers see). */
  delete(key: string): Promise<void>;
  /** Watches the keys matching `filter` (`*` one token, `>` the rest); resolves to a stop function. */
  watch(filter: string, watcher: FleetWatcher): Promise<() => void>;
  /** The current entries matching `filter` (deleted keys left out). */
  read(filter: string): Promise<Map<string, FleetEntry>>;
}

/**
 * FleetLink is what a FleetConnection needs of its NATS connection besides
 * the bucket: its status changes and a way to close it.
 *
 * @example
 * const link: FleetLink = { statuses: nc.status(), close: () => nc.drain() };
 */
export interface FleetLink {
  /** The connection's status changes (`{ type: 'reconnect' }` …), ending when it closes. */
  readonly statuses: AsyncIterable<{ readonly type: string }>;
  close(): Promise<void>;
}

/**
 * FleetConnection is an open connection to the fleet's bucket. It
 * reconnects by itself (for ever, every half second); `onReconnect`
 * listeners then re-read what they mirror.
 *
 * @example
 * const fleet = await connectFleet({ servers: 'nats://127.0.0.1:4222' });
 * try { await fleet.bucket.read('*.heartbeat'); } finally { await fleet.close(); }
 */
export class FleetConnection {
  private readonly listeners = new Set<() => void>();
  private closing?: Promise<void>;

  /** Use `connectFleet()`; specs may give a fake bucket. */
  constructor(readonly bucket: FleetBucket, private readonly link: FleetLink) {
    void (async () => {
      for await (const status of link.statuses) {
        if (status.type === 'reconnect') for (const listener of [...this.listeners]) listener();
      }
    })().catch(() => undefined);
  }

  /**
   * Calls `listener` after each reconnection to a server (the same one
   * restarted, or another of the cluster). Returns the unsubscribe function.
   */
  onReconnect(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Flushes what is pending and closes; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.link.close().catch(() => undefined);
    return this.closing;
  }
}

/** How long a read may wait for the next of a watch's initial values. */
const READ_TIMEOUT_MS = 20_000;

/** The bucket seam over a NATS KV: `kv` writes, `watching` opens watches. */
function kvBucket(kv: KV, watching: KV): FleetBucket {
  const watch = async (filter: string, watcher: FleetWatcher): Promise<() => void> => {
    let iterator;
    try {
      iterator = await watching.watch({ key: filter, initializedFn: () => watcher.initialized() });
    } catch (error) {
      throw fleetError(error, `watch ${filter}`);
    }
    let stopped = false;
    void (async () => {
      for await (const e of iterator) {
        if (stopped) break;
        watcher.entry({ key: e.key, value: e.value, operation: e.operation, created: e.created, revision: e.revision });
      }
    })().then(
      () => stopped || watcher.error(new FleetError(`the watch of ${filter} ended`, 'EIO')),
      (error: unknown) => stopped || watcher.error(fleetError(error, `watch ${filter}`)),
    );
    return () => {
      stopped = true;
      iterator.stop();
    };
  };
  const read = (filter: string): Promise<Map<string, FleetEntry>> => new Promise((resolve, reject) => {
    const entries = new Map<string, FleetEntry>();
    let stop: (() => void) | undefined;
    let done = false;
    // A watch opened while a restarted server recovers its streams may never
    // report its initial values: give up and let the caller try again.
    // Timed from the watch's creation (bounded by the API timeout) and refreshed by each value.
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: FleetError): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      stop?.();
      if (error) reject(error);
      else resolve(entries);
    };
    watch(filter, {
      entry: (e) => {
        // A stall, not a long read, is the failure: each entry gives the watch more time.
        timer?.refresh();
        if (e.operation === 'PUT') entries.set(e.key, e);
        else entries.delete(e.key);
      },
      initialized: () => queueMicrotask(() => finish()),
      error: finish,
    }).then((s) => {
      stop = s;
      if (done) s();
      else timer ??= setTimeout(() => finish(new FleetError(`reading ${filter} stalled`, 'EIO')), READ_TIMEOUT_MS).unref();
    }, finish);
  });
  return {
    put: async (key, value) => {
      await kv.put(key, value);
    },
    delete: (key) => kv.delete(key),
    watch,
    read,
  };
}

/**
 * connectFleet connects to NATS and opens (creating it when absent) the
 * fleet's key-value bucket, which keeps one value per key. It loads the
 * optional `nats` package: without it, it rejects with a FleetError
 * `'ENOPKG'` saying to install it.
 *
 * @example
 * import { connectFleet } from 'netlink-rx/fleet';
 *
 * const fleet = await connectFleet({ servers: 'nats://127.0.0.1:4222', user: 'nlrx', pass: 'secret' });
 * await fleet.close();
 */
export async function connectFleet(options: FleetConnectOptions): Promise<FleetConnection> {
  let nats: typeof import('nats');
  try {
    nats = await import('nats');
  } catch (error) {
    throw new FleetError('netlink-rx/fleet needs the NATS client: npm install nats@2 (an optional peer dependency)',
      'ENOPKG', { cause: error });
  }
  let creds: Uint8Array | undefined;
  if (options.credsFile !== undefined) {
    try {
      creds = readFileSync(options.credsFile);
    } catch (error) {
      throw new FleetError(`cannot read the credentials file ${options.credsFile}: ${(error as Error).message}`, 'EINVAL', { cause: error });
    }
  }
  const servers = typeof options.servers === 'string' ? options.servers : [...options.servers];
  let nc: NatsConnection;
  try {
    nc = await nats.connect({
      servers,
      name: options.name,
      user: options.user,
      pass: options.pass,
      token: options.token,
      authenticator: creds === undefined ? undefined : nats.credsAuthenticator(creds),
      tls: options.tls === undefined ? undefined : { ...options.tls },
      timeout: options.timeoutMs ?? 5000,
      // An agent outlives server restarts: it keeps trying, and its writes wait in the client's buffer.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
  } catch (error) {
    throw fleetError(error, `cannot connect to NATS at ${String(servers)}`);
  }
  try {
    const bucket = options.bucket ?? 'nlrx-fleet';
    // Writes time out soon (one lost in a server restart is retried, not waited for);
    // creating a filtered consumer on a large bucket makes the server scan it: watches get longer.
    const kv = await nc.jetstream({ timeout: 10_000 }).views.kv(bucket, { history: 1, replicas: options.replicas ?? 1 });
    const watching = await nc.jetstream({ timeout: options.apiTimeoutMs ?? 30_000 }).views.kv(bucket, { bindOnly: true });
    return new FleetConnection(kvBucket(kv, watching), { statuses: nc.status(), close: () => nc.drain().catch(() => nc.close()) });
  } catch (error) {
    await nc.close().catch(() => undefined);
    throw fleetError(error, 'cannot open the fleet bucket (is JetStream enabled on the server: nats-server -js?)');
  }
}
