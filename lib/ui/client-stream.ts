/**
 * One client of a live table: its queue of pending frames, its place in a
 * snapshot being sent, and the back-pressure rule that keeps a slow client
 * from slowing the others or growing the server's memory.
 */
import { Frame } from './frame.js';

/**
 * FrameSink is where a client's frames go: an SSE response or a WebSocket.
 * `write` returns false when the transport's buffer is full; the sink then
 * calls the `drain` callback it was given once it can take more.
 *
 * @example
 * const sink: FrameSink = { write: (f) => res.write(f.sse()), buffered: () => res.writableLength,
 *   cork: () => res.cork(), uncork: () => res.uncork(), end: () => res.end() };
 */
export interface FrameSink {
  write(frame: Frame): boolean;
  /** Bytes written but not yet handed to the kernel. */
  buffered(): number;
  cork(): void;
  uncork(): void;
  /** Ends the transport: the table failed, or the server is shutting down. */
  end(reason: EndReason): void;
}

/**
 * EndReason says why a stream ends: its table `failed` (WebSocket close code
 * 1011), or the server is `shutdown` (1001, "going away").
 *
 * @example
 * const reason: EndReason = 'shutdown';
 */
export type EndReason = 'failed' | 'shutdown';

/**
 * TableRow is one row of a shared table: its value as JSON text, and its
 * insertion order — increasing in the Map's iteration order, kept by a
 * change, new for a row added again after its removal.
 *
 * @example
 * const row: TableRow = { json: '{"index":1}', order: 0 };
 */
export interface TableRow {
  readonly json: string;
  readonly order: number;
}

/**
 * SnapshotSource is the shared table a client streams snapshots from: its
 * live rows (iterated while they change: Map iterators visit rows added
 * later and skip rows removed before being reached), name and sequence.
 *
 * @example
 * const src: SnapshotSource = { table: 'routes', seq: () => 0, rows: () => new Map() };
 */
export interface SnapshotSource {
  readonly table: string;
  seq(): number;
  rows(): ReadonlyMap<string, TableRow>;
}

/**
 * ClientStats describes one client for `LiveStreams.stats()`.
 *
 * @example
 * streams.stats().clients.every((c) => c.peakQueuedBytes <= limit);
 */
export interface ClientStats {
  readonly id: number;
  readonly transport: 'sse' | 'ws';
  readonly table: string;
  /** Bytes of frames waiting in this client's queue. */
  readonly queuedBytes: number;
  /** The most `queuedBytes` ever reached. */
  readonly peakQueuedBytes: number;
  /** Bytes in the transport's own buffer. */
  readonly bufferedBytes: number;
  /** Snapshots started (the first one included). */
  readonly snapshots: number;
  /** Times the backlog passed the limit and was dropped for a fresh snapshot. */
  readonly drops: number;
  readonly framesSent: number;
}

/** Rows per `rows` frame of a snapshot: big enough to be cheap, small enough to interleave. */
const ROWS_PER_FRAME = 256;
/** …and at most about this many bytes, so one frame never dwarfs the backlog limit. */
const BYTES_PER_FRAME = 64 * 1024;

let nextClientId = 1;

/**
 * ClientStream feeds one client. Deltas are queued and written while the sink
 * accepts them; when the queue passes `backlogLimit` bytes, it is dropped
 * whole and the client is sent a fresh snapshot instead.
 *
 * A snapshot is streamed from the live table, a chunk at a time as the
 * client takes it, never copied: a delta for a row the snapshot has already
 * sent is queued (and written between chunks), a delta for a row not yet
 * reached is dropped (the row will be sent as it is then). `synced` goes out
 * when every row was sent and the queue is empty, so the client's rows at
 * `synced` are the table as it is at that moment.
 *
 * @example
 * const client = new ClientStream('sse', sink, table, 1 << 20);
 * client.startSnapshot('initial');
 * client.push(new Frame('add', 8, '{"key":"9","value":{}}', 41));
 */
export class ClientStream {
  readonly id = nextClientId++;
  private readonly queue: Frame[] = [];
  /** Index of the queue's first unsent frame (shift() would be O(n) per frame). */
  private head = 0;
  private queuedBytes = 0;
  private peakQueuedBytes = 0;
  /** The snapshot being sent: where it is in the table, the order of the last row sent; undefined when none. */
  private snapshot?: { rows?: Iterator<[string, TableRow]>; lastOrder: number; sent: number; reason: string };
  /** The sink refused more: wait for `drain()`. */
  private blocked = false;
  private scheduled = false;
  private closed = false;
  private snapshots = 0;
  private drops = 0;
  private framesSent = 0;

  constructor(
    readonly transport: 'sse' | 'ws',
    private readonly sink: FrameSink,
    private readonly table: SnapshotSource,
    private readonly backlogLimit: number,
  ) {}

  /**
   * Queues a frame; past the backlog limit, replaces the whole backlog by a
   * fresh snapshot. A delta for a row the snapshot in progress has not sent
   * yet is dropped: the snapshot will send that row as it is.
   */
  push(frame: Frame): void {
    if (this.closed) return;
    if (isDelta(frame) && this.snapshot !== undefined && frame.order > this.snapshot.lastOrder) return;
    this.queue.push(frame);
    this.queuedBytes += frame.size;
    if (this.queuedBytes > this.backlogLimit) {
      this.drops++;
      this.startSnapshot('backlog');
      return;
    }
    if (this.queuedBytes > this.peakQueuedBytes) this.peakQueuedBytes = this.queuedBytes;
    this.schedule();
  }

  /** Drops the queue and sends the whole table instead. */
  startSnapshot(reason: string): void {
    if (this.closed) return;
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
    this.snapshots++;
    this.snapshot = { lastOrder: -1, sent: 0, reason };
    this.schedule();
  }

  /** Sends a heartbeat if the client is idle (a busy stream needs none). */
  heartbeat(frame: Frame): void {
    if (this.closed || this.blocked || this.snapshot !== undefined || this.head < this.queue.length) return;
    this.push(frame);
  }

  /** The sink can take more. */
  drain(): void {
    this.blocked = false;
    this.schedule();
  }

  /** Stops sending; the sink is ended by whoever closed it. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    this.queuedBytes = 0;
    this.snapshot = undefined;
  }

  /** Ends the stream after what is queued (on a table error, or at shutdown). */
  end(reason: EndReason): void {
    if (this.closed) return;
    this.pump();
    this.close();
    this.sink.end(reason);
  }

  stats(): ClientStats {
    return {
      id: this.id, transport: this.transport, table: this.table.table,
      queuedBytes: this.queuedBytes, peakQueuedBytes: this.peakQueuedBytes,
      bufferedBytes: this.sink.buffered(), snapshots: this.snapshots, drops: this.drops,
      framesSent: this.framesSent,
    };
  }

  /** Writes once per turn of the event loop, so a burst of deltas goes out in one corked write. */
  private schedule(): void {
    if (this.scheduled || this.blocked || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.blocked || this.closed) return;
    this.sink.cork();
    try {
      for (;;) {
        const frame = this.nextFrame();
        if (frame === undefined) break;
        this.framesSent++;
        if (!this.sink.write(frame)) {
          this.blocked = true;
          break;
        }
      }
    } finally {
      this.sink.uncork();
    }
  }

  private nextFrame(): Frame | undefined {
    // Queued deltas first: during a snapshot they only concern rows already sent.
    if (this.head < this.queue.length) {
      const frame = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as Frame;
      this.queuedBytes -= frame.size;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
        this.queuedBytes = 0;
      }
      return frame;
    }
    const snap = this.snapshot;
    if (snap === undefined) return undefined;
    const table = JSON.stringify(this.table.table);
    if (snap.rows === undefined) {
      const rows = this.table.rows();
      snap.rows = rows.entries();
      return new Frame('snapshot', undefined, `{"table":${table},"count":${rows.size},"reason":${JSON.stringify(snap.reason)}}`);
    }
    const parts: string[] = [];
    let bytes = 0;
    while (parts.length < ROWS_PER_FRAME && bytes < BYTES_PER_FRAME) {
      const next = snap.rows.next();
      if (next.done === true) {
        // Every row was reached: from now on every delta must be queued.
        snap.lastOrder = Infinity;
        break;
      }
      const [key, row] = next.value;
      const part = `{"key":${JSON.stringify(key)},"value":${row.json}}`;
      bytes += part.length;
      parts.push(part);
      snap.lastOrder = row.order;
    }
    if (parts.length > 0) {
      snap.sent += parts.length;
      return new Frame('rows', undefined, `{"rows":[${parts.join(',')}]}`);
    }
    this.snapshot = undefined;
    return new Frame('synced', this.table.seq(), `{"table":${table},"count":${this.table.rows().size}}`);
  }
}

function isDelta(frame: Frame): boolean {
  return frame.type === 'add' || frame.type === 'change' || frame.type === 'remove';
}
