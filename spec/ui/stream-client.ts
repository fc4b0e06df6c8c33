/**
 * Node clients of the UI backend's streams, for specs: an SSE client over
 * node:http (with the raw socket, so a spec can stop reading) and a
 * WebSocket client, both mirroring the table they receive.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';

export interface StreamMessage {
  type: string;
  id: string | undefined;
  data: Record<string, unknown>;
}

/** A table rebuilt from the stream's messages, as a browser would. */
export class TableMirror {
  readonly rows = new Map<string, unknown>();
  readonly messages: StreamMessage[] = [];
  /** The `reason` of every snapshot received, in order. */
  readonly snapshots: string[] = [];
  synced = 0;
  lastId: string | undefined;

  apply(message: StreamMessage): void {
    this.messages.push(message);
    if (message.id !== undefined) this.lastId = message.id;
    const d = message.data;
    switch (message.type) {
      case 'snapshot':
        this.rows.clear();
        this.snapshots.push(String(d.reason));
        break;
      case 'rows':
        for (const row of d.rows as { key: string; value: unknown }[]) this.rows.set(row.key, row.value);
        break;
      case 'synced':
        this.synced++;
        break;
      case 'add':
      case 'change':
        this.rows.set(d.key as string, d.value);
        break;
      case 'remove':
        this.rows.delete(d.key as string);
        break;
    }
  }

  count(type: string): number {
    return this.messages.filter((m) => m.type === type).length;
  }
}

export interface StreamClient {
  readonly mirror: TableMirror;
  /** Resolves when the server answered (SSE: headers; WebSocket: open), with the HTTP status. */
  readonly ready: Promise<number>;
  /** Resolves with the WebSocket close code (SSE: 0 when the response ends). */
  readonly closed: Promise<number>;
  pause(): void;
  resume(): void;
  close(): void;
}

/**
 * waitFor polls `predicate` until it holds, or fails after `ms` with `what`.
 * A bound on waiting, not a timing assertion.
 */
export async function waitFor(predicate: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** An EventSource-like client: parses `id:`, `event:`, `data:` lines. */
export function sseClient(url: string, headers: Record<string, string> = {}): StreamClient {
  const mirror = new TableMirror();
  let response: IncomingMessage | undefined;
  let req: ClientRequest;
  let ended: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (ended = resolve));
  const ready = new Promise<number>((resolve, reject) => {
    req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      response = res;
      res.setEncoding('utf8');
      let buffer = '';
      let event: Partial<StreamMessage> & { raw?: string } = {};
      res.on('data', (chunk: string) => {
        const lines = (buffer + chunk).split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line === '') {
            if (event.raw !== undefined) {
              mirror.apply({ type: event.type ?? 'message', id: event.id, data: JSON.parse(event.raw) as Record<string, unknown> });
            }
            event = {};
          } else if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('event: ')) event.type = line.slice(7);
          else if (line.startsWith('data: ')) event.raw = line.slice(6);
        }
      });
      res.on('error', () => undefined);
      res.on('close', () => ended(0));
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
  return {
    mirror,
    ready,
    closed,
    pause: () => response?.socket.pause(),
    resume: () => response?.socket.resume(),
    close: () => req.destroy(),
  };
}

/** A WebSocket client of the same stream (`headers`: Origin, Host, Cookie … as a spec wants them). */
export function wsClient(url: string, headers: Record<string, string> = {}): StreamClient {
  const mirror = new TableMirror();
  const ws = new WebSocket(url, { perMessageDeflate: false, headers });
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as { type: string; id?: number; data: Record<string, unknown> };
    mirror.apply({ type: m.type, id: m.id === undefined ? undefined : String(m.id), data: m.data });
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    ws.once('open', () => resolve(101));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
  return {
    mirror,
    ready,
    closed,
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: () => ws.terminate(),
  };
}
