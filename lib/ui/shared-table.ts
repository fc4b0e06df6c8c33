/**
 * SharedTable: one subscription to a live table, fanned out to every client
 * of that (namespace, kind, filter). It keeps the current rows as JSON text,
 * so a snapshot for a new or lagging client is a copy of references, and
 * each change is serialized once for all clients.
 */
import type { Subscription } from 'rxjs';
import type { ClientStream, SnapshotSource, TableRow } from './client-stream.js';
import { Frame } from './frame.js';
import type { LiveEvent, LiveSource, LiveTableSpec } from './live-source.js';
import { toJson } from './to-json.js';

/**
 * SharedTableStats describes one shared table for `LiveStreams.stats()`.
 *
 * @example
 * streams.stats().tables.find((t) => t.kind === 'routes')?.clients; // 200
 */
export interface SharedTableStats {
  readonly kind: string;
  readonly netns: string | undefined;
  readonly filter: string;
  readonly clients: number;
  readonly rows: number;
  readonly synced: boolean;
  /** Events received from the live table. */
  readonly events: number;
  readonly resyncs: number;
}

/**
 * SharedTable subscribes to `source(spec)` on its first client and
 * unsubscribes when its last client leaves (`onIdle` is then called).
 * Clients that join before the table is synced get their snapshot at
 * `synced`; later ones at once.
 *
 * @example
 * const table = new SharedTable(spec, source, () => tables.delete(id));
 * table.add(client);
 */
export class SharedTable implements SnapshotSource {
  readonly table: string;
  private readonly current = new Map<string, TableRow>();
  /** The next row's insertion order. */
  private nextOrder = 0;
  /** Each client, with the reason its first snapshot will give until the table has synced. */
  private readonly clients = new Map<ClientStream, string>();
  private subscription?: Subscription;
  private synced = false;
  private sequence = 0;
  private events = 0;
  private resyncs = 0;
  private failed = false;

  constructor(
    readonly spec: LiveTableSpec,
    private readonly source: LiveSource,
    private readonly onIdle: () => void,
  ) {
    this.table = spec.kind;
  }

  seq(): number {
    return this.sequence;
  }

  rows(): ReadonlyMap<string, TableRow> {
    return this.current;
  }

  /** Adds a client; the first one opens the watch. `reason` tags its snapshot ('initial', 'reconnect'). */
  add(client: ClientStream, reason: string): void {
    this.clients.set(client, reason);
    if (this.synced) client.startSnapshot(reason);
    if (this.subscription === undefined) {
      this.subscription = this.source(this.spec).subscribe({
        next: (event) => this.apply(event),
        error: (error: unknown) => this.fail(error),
        complete: () => this.fail(new Error('live table completed')),
      });
    }
  }

  /** Removes a client; the last one closes the watch. */
  remove(client: ClientStream): void {
    if (!this.clients.delete(client)) return;
    client.close();
    if (this.clients.size === 0) this.dispose();
  }

  /** Ends every client and the watch (`LiveStreams.close()`: the server is going away). */
  dispose(): void {
    const subscription = this.subscription;
    this.subscription = undefined;
    const clients = [...this.clients.keys()];
    this.clients.clear();
    // Ends the streams still open (LiveStreams.close()); a client that left is already closed.
    for (const client of clients) client.end('shutdown');
    subscription?.unsubscribe();
    this.onIdle();
  }

  /** Calls `visit` with each client (for heartbeats and stats). */
  forEachClient(visit: (client: ClientStream) => void): void {
    for (const client of this.clients.keys()) visit(client);
  }

  stats(): SharedTableStats {
    return {
      kind: this.spec.kind, netns: this.spec.netns, filter: JSON.stringify(this.spec.filter ?? {}),
      clients: this.clients.size, rows: this.current.size, synced: this.synced,
      events: this.events, resyncs: this.resyncs,
    };
  }

  private apply(event: LiveEvent): void {
    this.events++;
    switch (event.type) {
      case 'add':
      case 'change': {
        const json = toJson(event.value);
        const row = this.current.get(event.key);
        const order = row?.order ?? this.nextOrder++;
        this.current.set(event.key, { json, order });
        if (!this.synced) return;
        const key = JSON.stringify(event.key);
        // An add over a present key is a change the source did not name as one.
        const old = row?.json ?? (event.type === 'change' ? toJson(event.old) : undefined);
        this.broadcast(old === undefined
          ? new Frame('add', ++this.sequence, `{"key":${key},"value":${json}}`, order)
          : new Frame('change', ++this.sequence, `{"key":${key},"old":${old},"value":${json}}`, order));
        return;
      }
      case 'remove': {
        const row = this.current.get(event.key);
        if (row === undefined) return;
        this.current.delete(event.key);
        if (!this.synced) return;
        this.broadcast(new Frame('remove', ++this.sequence, `{"key":${JSON.stringify(event.key)},"old":${row.json}}`, row.order));
        return;
      }
      case 'synced': {
        if (this.synced) {
          // A second `synced` is not in the contract; treat it as a resync by snapshot.
          for (const client of this.clients.keys()) client.startSnapshot('resync');
          return;
        }
        this.synced = true;
        for (const [client, reason] of this.clients) client.startSnapshot(reason);
        return;
      }
      case 'resync': {
        this.resyncs++;
        if (!this.synced) return;
        this.broadcast(new Frame('resync', ++this.sequence, `{"table":${JSON.stringify(this.table)},"reason":${JSON.stringify(event.reason)}}`));
        return;
      }
    }
  }

  private broadcast(frame: Frame): void {
    for (const client of this.clients.keys()) client.push(frame);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const { code, message } = error as { code?: unknown; message?: unknown };
    const frame = new Frame('error', undefined, toJson({ table: this.table, code, message: String(message ?? error) }));
    const clients = [...this.clients.keys()];
    this.subscription = undefined;
    for (const client of clients) {
      client.push(frame);
      client.end('failed');
    }
    this.clients.clear();
    this.onIdle();
  }
}
