/**
 * LiveStreams: the UI backend. Serves live tables as Server-Sent Events (a
 * request handler for node:http, Express or any `(req, res, next)` stack)
 * and as WebSocket messages (an `upgrade` handler), with one watch per
 * (namespace, kind, filter) shared by every client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientStream, type ClientStats, type FrameSink } from './client-stream.js';
import { Frame } from './frame.js';
import { refuse, refuseSocket } from './http-refusal.js';
import { STREAM_KINDS, type StreamKind, type LiveSource, type LiveTableSpec } from './live-source.js';
import { requestGuard, type RequestGuard, type RequestGuardOptions } from './request-guard.js';
import { requestTarget } from './request-target.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { SharedTable, type SharedTableStats } from './shared-table.js';

/**
 * LiveStreamsOptions configures `liveStreams()`. The cross-origin options
 * (`allowedHosts`, `allowedOrigins`, from RequestGuardOptions) default to
 * safe: a stream request must name the address it arrived on (or
 * `localhost`) as its `Host`, and a browser's `Origin` must be the page's own.
 *
 * @example
 * liveStreams({ source: watchSource, netns: 'blue', filters: { routes: { table: 'main' } } });
 * liveStreams({ source: watchSource, allowedHosts: ['router.example'], allowedOrigins: ['https://noc.example'] });
 */
export interface LiveStreamsOptions extends RequestGuardOptions {
  /** Opens a live table; `watchSource` (lib/live's `watch()`) in production. */
  readonly source: LiveSource;
  /** The namespace served (absent: the process's own). */
  readonly netns?: string;
  /** The tables served; default all of STREAM_KINDS. */
  readonly kinds?: readonly StreamKind[];
  /** A filter per kind (lib/route's LinkFilter, RouteFilter …). */
  readonly filters?: Partial<Record<StreamKind, Readonly<Record<string, unknown>>>>;
  /** URL prefix of the streams: `${prefix}/routes`; default '/live'. */
  readonly prefix?: string;
  /** Bytes of pending frames a client may have before they are dropped for a snapshot; default 1 MiB. */
  readonly backlogLimit?: number;
  /** Idle heartbeat period in ms; default 15 000, 0 for none. */
  readonly heartbeatMs?: number;
  /** How long `close()` waits for WebSocket clients to answer its close frame; default 1 000 ms. */
  readonly closeGraceMs?: number;
}

/**
 * LiveStreamsStats is what `stats()` reports: the shared tables (one watch
 * each), the clients and the number of watches ever opened.
 *
 * @example
 * const { watches, tables } = streams.stats();
 */
export interface LiveStreamsStats {
  /** Watches open now (one per shared table). */
  readonly watches: number;
  /** Watches opened since start. */
  readonly watchesOpened: number;
  readonly tables: readonly SharedTableStats[];
  readonly clients: readonly ClientStats[];
}

/** A request handler in the shape node:http, Express and Connect share. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** An `upgrade` listener: true when the request was one of ours (and was taken over). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** Bytes a transport may hold in its own buffer before we stop writing and wait. */
const HIGH_WATER = 128 * 1024;

/**
 * WritePacer stops a client's writes while its transport holds HIGH_WATER
 * bytes or more, and resumes them from the completion callbacks of earlier
 * writes (every write's callback comes, once its data reached the kernel or
 * the connection died).
 */
class WritePacer {
  private pending = 0;
  private waiting = false;

  constructor(private readonly buffered: () => number, private readonly resume: () => void) {}

  /** Called after each write; false when the client must wait. */
  wrote(accepted: boolean): boolean {
    this.pending++;
    if (accepted && this.buffered() < HIGH_WATER) return true;
    this.waiting = true;
    return false;
  }

  readonly done = (): void => {
    this.pending--;
    if (this.waiting && (this.pending === 0 || this.buffered() < HIGH_WATER)) {
      this.waiting = false;
      this.resume();
    }
  };
}

/**
 * LiveStreams holds the shared tables and their clients. `handler` answers
 * `GET ${prefix}/${kind}` with an SSE stream (other methods on those paths
 * get 405; other paths go to `next`, or get 404 without one); `upgrade`
 * accepts WebSocket upgrades on the same paths. Both check `Host` and
 * `Origin` first (400 / 403) and never throw, whatever the request. Both send: `snapshot`, `rows`…, `synced`, then `add` / `change` /
 * `remove` / `resync`, and `heartbeat` while idle. A request carrying
 * `Last-Event-ID` (an SSE reconnect) gets a fresh snapshot, never a replay
 * with a gap.
 *
 * @example
 * const streams = liveStreams({ source: watchSource, netns: 'blue' });
 * const server = http.createServer(streams.handler);
 * server.on('upgrade', (req, socket, head) => streams.upgrade(req, socket, head) || socket.destroy());
 */
export class LiveStreams {
  readonly handler: RequestHandler;
  readonly upgrade: UpgradeHandler;
  private readonly tables = new Map<string, SharedTable>();
  private readonly prefix: string;
  private readonly kinds: ReadonlySet<StreamKind>;
  private readonly backlogLimit: number;
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // Clients send nothing that is read; a large message is only a way to make us buffer it.
    maxPayload: 4096,
  });
  private readonly timer?: NodeJS.Timeout;
  private readonly guard: RequestGuard;
  private watchesOpened = 0;
  private closing?: Promise<void>;

  constructor(private readonly options: LiveStreamsOptions) {
    this.prefix = (options.prefix ?? '/live').replace(/\/+$/, '');
    this.kinds = new Set(options.kinds ?? STREAM_KINDS);
    this.backlogLimit = options.backlogLimit ?? 1 << 20;
    this.guard = requestGuard(options);
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    if (heartbeatMs > 0) {
      this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
      this.timer.unref();
    }
    this.handler = (req, res, next) => this.handle(req, res, next);
    this.upgrade = (req, socket, head) => this.handleUpgrade(req, socket, head);
  }

  /** The kind a URL asks for, if it is one of our stream paths. */
  kindOf(url: string | undefined): StreamKind | undefined {
    const path = requestTarget(url)?.path;
    if (path === undefined || !path.startsWith(`${this.prefix}/`)) return undefined;
    const kind = path.slice(this.prefix.length + 1) as StreamKind;
    return this.kinds.has(kind) ? kind : undefined;
  }

  stats(): LiveStreamsStats {
    const tables = [...this.tables.values()];
    const clients: ClientStats[] = [];
    for (const table of tables) table.forEachClient((c) => clients.push(c.stats()));
    return { watches: tables.length, watchesOpened: this.watchesOpened, tables: tables.map((t) => t.stats()), clients };
  }

  /**
   * Ends every stream and watch: SSE responses end, WebSocket clients get
   * close code 1001 ("going away") and are cut after `closeGraceMs` if they
   * do not answer. Resolves when every WebSocket is closed. Requests that
   * come later are refused with 503.
   */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const table of [...this.tables.values()]) table.dispose();
    const open = [...this.wss.clients];
    this.closing = new Promise<void>((resolve) => {
      let left = open.length;
      const closed = (): void => {
        if (--left === 0) resolve();
      };
      if (left === 0) resolve();
      const cut = setTimeout(() => open.forEach((ws) => ws.terminate()), this.options.closeGraceMs ?? 1000);
      cut.unref();
      for (const ws of open) {
        if (ws.readyState === ws.CLOSED) closed();
        else ws.once('close', closed);
        // A client not yet given to a table (mid-handshake) is told the same.
        if (ws.readyState === ws.OPEN) ws.close(1001, 'server shutting down');
      }
    }).then(() => this.wss.close());
    return this.closing;
  }

  private handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void {
    const kind = this.kindOf(req.url);
    if (kind === undefined) {
      if (next !== undefined) return next();
      return refuse(res, 404);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'read-only', { allow: 'GET, HEAD' });
    const refusal = this.guard.check(req);
    if (refusal !== undefined) return refuse(res, refusal.status, refusal.reason);
    if (this.closing !== undefined) return refuse(res, 503, 'shutting down');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    if (req.method === 'HEAD') return void res.end();
    req.socket.setNoDelay(true);
    res.write('retry: 2000\n\n');
    // Paced by write callbacks (the data reached the kernel), which always come,
    // rather than by 'drain', which a corked response does not always emit.
    const pacer = new WritePacer(() => res.writableLength, () => stream.drain());
    const sink: FrameSink = {
      write: (frame) => pacer.wrote(res.write(frame.sse(), pacer.done)),
      buffered: () => res.writableLength,
      cork: () => res.cork(),
      uncork: () => res.uncork(),
      end: () => void res.end(),
    };
    const table = this.tableFor(kind);
    const stream = new ClientStream('sse', sink, table, this.backlogLimit);
    res.on('close', () => table.remove(stream));
    table.add(stream, req.headers['last-event-id'] !== undefined ? 'reconnect' : 'initial');
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const kind = this.kindOf(req.url);
    if (kind === undefined) return false;
    // node:http took its error listener off the socket when it emitted `upgrade`:
    // a reset before ws adds its own would otherwise be an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    const refusal = this.guard.check(req);
    if (refusal !== undefined) refuseSocket(socket, refusal.status);
    else if (this.closing !== undefined) refuseSocket(socket, 503);
    // ws answers a bad handshake (method, version, key) with 400 / 405 itself.
    else this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, kind, req));
    return true;
  }

  private accept(ws: WebSocket, kind: StreamKind, req: IncomingMessage): void {
    if (this.closing !== undefined) return ws.close(1001, 'server shutting down');
    let stream: ClientStream | undefined;
    const pacer = new WritePacer(() => ws.bufferedAmount, () => stream?.drain());
    const sink: FrameSink = {
      write: (frame) => {
        if (ws.readyState !== ws.OPEN) return true;
        ws.send(frame.ws(), pacer.done);
        return pacer.wrote(true);
      },
      buffered: () => ws.bufferedAmount,
      cork: () => undefined,
      uncork: () => undefined,
      end: (reason) => (reason === 'shutdown' ? ws.close(1001, 'server shutting down') : ws.close(1011, 'live table failed')),
    };
    const table = this.tableFor(kind);
    stream = new ClientStream('ws', sink, table, this.backlogLimit);
    const client = stream;
    ws.on('close', () => table.remove(client));
    ws.on('error', () => table.remove(client));
    // A WebSocket has no Last-Event-ID header; a client may send it as ?lastEventId=.
    const reconnect = requestTarget(req.url)?.query.has('lastEventId') ?? false;
    table.add(client, reconnect ? 'reconnect' : 'initial');
  }

  private tableFor(kind: StreamKind): SharedTable {
    const filter = this.options.filters?.[kind];
    const spec: LiveTableSpec = { kind, netns: this.options.netns, filter };
    const id = JSON.stringify([spec.netns ?? null, kind, filter ?? null]);
    let table = this.tables.get(id);
    if (table === undefined) {
      this.watchesOpened++;
      const created: SharedTable = new SharedTable(spec, this.options.source, () => {
        if (this.tables.get(id) === created) this.tables.delete(id);
      });
      table = created;
      this.tables.set(id, table);
    }
    return table;
  }

  private heartbeat(): void {
    // No id: a heartbeat changes nothing, so it must not move the client's Last-Event-ID.
    const frame = new Frame('heartbeat', undefined, `{"time":${Date.now()}}`);
    for (const table of this.tables.values()) table.forEachClient((c) => c.heartbeat(frame));
  }
}

/**
 * liveStreams creates the UI backend's stream handlers.
 *
 * @example
 * import http from 'node:http';
 * import { liveStreams, watchSource } from 'netlink-rx/ui';
 *
 * const streams = liveStreams({ source: watchSource });
 * const server = http.createServer(streams.handler).listen(8080, '127.0.0.1');
 * server.on('upgrade', (req, socket, head) => streams.upgrade(req, socket, head) || socket.destroy());
 */
export function liveStreams(options: LiveStreamsOptions): LiveStreams {
  return new LiveStreams(options);
}
