/**
 * Frames: the messages of a live stream, serialized once and shared by every
 * client. A frame renders itself for Server-Sent Events or for a WebSocket on
 * first use, so fanning one change out to many clients costs a reference per
 * client, not a serialization.
 */

/**
 * FrameType lists the stream's messages, the same over SSE and WebSocket:
 * `snapshot` starts a full copy of the table (the client clears its rows),
 * `rows` carries a chunk of it, `synced` ends it; then `add` / `change` /
 * `remove` keyed by identity; `resync` when the server-side table re-dumped;
 * `heartbeat` while idle; `error` when the table failed (the stream ends).
 *
 * @example
 * const t: FrameType = 'change';
 */
export type FrameType =
  | 'snapshot' | 'rows' | 'synced' | 'add' | 'change' | 'remove' | 'resync' | 'heartbeat' | 'error';

/**
 * Frame is one message: its type, its id (the SSE `id`) and its payload as
 * JSON text. Every frame that changes the client's table (`add`, `change`,
 * `remove`, `resync`) has its own id, the table's sequence number, and
 * `synced` carries the sequence the client is now at. Frames without an id
 * (`heartbeat`, the chunks of a snapshot, `error`) send no `id:` line, so
 * they leave a browser's Last-Event-ID as it was.
 *
 * @example
 * const f = new Frame('add', 7, '{"key":"3","value":{"index":3}}');
 * f.sse(); // 'id: 7\nevent: add\ndata: {...}\n\n'
 * new Frame('heartbeat', undefined, '{}').sse(); // 'event: heartbeat\ndata: {}\n\n'
 */
export class Frame {
  private sseText?: string;
  private wsText?: string;

  constructor(
    readonly type: FrameType,
    readonly id: number | undefined,
    /** JSON text without newlines (JSON.stringify never emits any). */
    readonly data: string,
    /**
     * For add / change / remove: the insertion order of the row concerned
     * (see `TableRow.order`), which tells a client streaming a snapshot
     * whether it already sent that row.
     */
    readonly order = -1,
  ) {}

  /** Bytes this frame pins while queued (UTF-16 length, close enough for a limit). */
  get size(): number {
    return this.data.length + 32;
  }

  /** The frame as a Server-Sent Event. */
  sse(): string {
    const id = this.id === undefined ? '' : `id: ${this.id}\n`;
    return (this.sseText ??= `${id}event: ${this.type}\ndata: ${this.data}\n\n`);
  }

  /** The frame as a WebSocket text message: `{"type":…,"id":…,"data":…}` (no `id` when it has none). */
  ws(): string {
    const id = this.id === undefined ? '' : `"id":${this.id},`;
    return (this.wsText ??= `{"type":"${this.type}",${id}"data":${this.data}}`);
  }
}
