/**
 * The live-table engine: one multicast socket, one dump socket and one table
 * for every subscriber of the same (kind, namespace, filter); list-then-watch
 * with buffering, mark-and-sweep resyncs, flush detection, storm mode, and
 * periodic re-reads for what changes unannounced — for any Netlink protocol
 * the kind's spec names.
 */
import type { Subscription } from 'rxjs';
import type { NetlinkMessage } from '../codec/header.js';
import { DumpInterruptedError } from '../errors.js';
import { SocketPool, type TransportFactory } from '../rx/socket-pool.js';
import { FlushDetector } from './flush-detector.js';
import type { LiveKindSpec } from './live-kind.js';
import { monitor, type MonitorSignal } from './monitor.js';
import { sameObject } from './same-object.js';
import { StormMeter, type StormOptions } from './storm-meter.js';
import type { ResyncReason, TableEvent } from './table-event.js';

/**
 * LiveTableOptions say where to watch and tune the engine.
 *
 * @example
 * watch('routes', { table: 'main' }, { netns: 'blue', rcvbuf: 1 << 20 });
 */
export interface LiveTableOptions {
  /** Network namespace (a name under /run/netns, or a path). Default: the process's own. */
  netns?: string;
  /** Receive buffer of the notification socket in bytes. Default 8 MiB (see MonitorOptions). */
  rcvbuf?: number;
  /** Storm handling, or `false` to apply every notification one by one whatever the rate. */
  storm?: StormOptions | false;
  /** Delay in ms before re-reading after a flush trigger, so that a burst of them costs one dump. Default 20. */
  flushDelay?: number;
  /**
   * Re-read and compare the table every this many ms (at least ten times the
   * last dump's duration apart), or `false` never to. Default: the kind's
   * (`LiveKindSpec.poll`; none for the rtnetlink kinds, 10 s for conntrack).
   */
  poll?: number | false;
  /** Whether the watch keeps the process alive. Default true. */
  keepAlive?: boolean;
  /** Opens the sockets (tests: a fake kernel). */
  transport?: TransportFactory;
}

/** A subscriber of the engine: batches of events, or the error that ended the table. */
export interface TableListener<T> {
  next(events: readonly TableEvent<T>[]): void;
  error(error: unknown): void;
}

interface Note<T> {
  readonly del: boolean;
  readonly flags: number;
  readonly object: T;
}

// Interrupted dumps are retried this many times before one is taken as it is.
const MAX_INTERRUPTED = 6;
const PRIORITY: Record<ResyncReason, number> = { overrun: 5, malformed: 4, interrupted: 3, 'kernel-flush': 2, storm: 1, poll: 0 };

/**
 * LiveTable keeps one kernel table in memory and tells its listeners every
 * change. Use `watch()` / `table()`; this class is their shared engine.
 *
 * It joins the notification groups before the first dump, buffers the
 * notifications that arrive while a dump runs and applies them to the dump's
 * result (each notification carries the whole object, so applying them in
 * order after any snapshot taken after joining yields the current state).
 * Re-reads (overrun, interrupted dump, flush trigger, storm) compare the new
 * dump with the table and report only differences.
 *
 * @example
 * const engine = new LiveTable(liveKinds.routes, {}, {}, () => {});
 * const detach = engine.attach({ next: (events) => console.log(events.length), error: console.error });
 */
export class LiveTable<T, F> {
  /** The current rows, by identity. */
  readonly rows = new Map<string, T>();
  readonly #spec: LiveKindSpec<T, F>;
  readonly #filter: F;
  readonly #options: LiveTableOptions;
  readonly #onIdle: () => void;
  readonly #listeners = new Set<TableListener<T>>();
  readonly #waiting = new Set<TableListener<T>>();
  readonly #detector: FlushDetector;
  readonly #meter: StormMeter | undefined;
  #pool: SocketPool | undefined;
  #monitor: Subscription | undefined;
  #dump: Subscription | undefined;
  #started = false;
  #closed = false;
  #synced = false;
  /** A dump is running or waiting to be retried: notifications go to `#buffer`. */
  #dumping = false;
  #buffer: Note<T>[] = [];
  #reason: ResyncReason | undefined;
  /** A re-read asked for while a dump runs: it starts when that dump ends. */
  #pending: ResyncReason | undefined;
  #interrupted = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #stormTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  /** When the running dump started (performance.now()), to space the polls by its cost. */
  #dumpStartedAt = 0;
  /** In a storm: notifications were dropped since the last re-read started. */
  #stormDirty = false;
  #stormDumpAt = 0;

  constructor(spec: LiveKindSpec<T, F>, filter: F, options: LiveTableOptions, onIdle: () => void) {
    this.#spec = spec;
    this.#filter = filter;
    this.#options = options;
    this.#onIdle = onIdle;
    this.#detector = new FlushDetector(spec.flushTriggers);
    this.#meter = options.storm === false ? undefined : new StormMeter(options.storm?.window ?? 100);
  }

  /** Whether the first dump has been applied. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Whether a storm is in progress (notifications counted, not applied). */
  get storming(): boolean {
    return this.#stormTimer !== undefined;
  }

  /**
   * Adds a listener. A listener added after the first sync gets the current
   * rows and `synced` at once; an earlier one gets them with the first sync.
   * Returns the detach function; the last detach closes the sockets.
   */
  attach(listener: TableListener<T>): () => void {
    if (this.#closed) {
      listener.error(new Error('live table closed'));
      return () => undefined;
    }
    if (this.#synced) {
      this.#listeners.add(listener);
      listener.next(this.#initialEvents());
    } else this.#waiting.add(listener);
    if (!this.#started) this.#start();
    return () => {
      this.#listeners.delete(listener);
      this.#waiting.delete(listener);
      if (this.#listeners.size === 0 && this.#waiting.size === 0) this.close();
    };
  }

  /** Closes the sockets and timers; listeners get nothing more. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#monitor?.unsubscribe();
    this.#dump?.unsubscribe();
    this.#pool?.close();
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#pollTimer);
    clearInterval(this.#stormTimer);
    this.#stormTimer = undefined;
    this.#listeners.clear();
    this.#waiting.clear();
    this.#onIdle();
  }

  #start(): void {
    this.#started = true;
    const { netns, rcvbuf, keepAlive, transport } = this.#options;
    this.#pool = new SocketPool(this.#spec.protocol, { netns, strictCheck: true }, { size: 1, idleTimeout: 2000, transport });
    // Join first: the groups are joined when subscribe() returns, before the dump is sent.
    const groups = [...new Set([...this.#spec.groups(this.#filter), ...this.#detector.groups])];
    this.#monitor = monitor({ protocol: this.#spec.protocol, groups, netns, rcvbuf, keepAlive, transport }).subscribe({
      next: (signal) => this.#onSignal(signal),
      error: (error: unknown) => this.#fail(error),
    });
    if (!this.#closed) this.#startDump(undefined);
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    const listeners = [...this.#listeners, ...this.#waiting];
    this.close();
    for (const listener of listeners) listener.error(error);
  }

  #onSignal(signal: MonitorSignal): void {
    if (signal.type === 'overrun') {
      // In a storm the next re-read is coming anyway.
      if (this.storming) this.#stormDirty = true;
      else this.#requestResync('overrun');
      return;
    }
    const { messages } = signal;
    if (this.#meter) {
      const count = this.#meter.add(messages.length, performance.now());
      if (!this.storming && count >= ((this.#options.storm || {}).enter ?? Math.max(5000, this.rows.size / 10))) {
        this.#enterStorm();
      }
    }
    if (this.storming) {
      this.#stormDirty = true;
      return;
    }
    const notes: Note<T>[] = [];
    let malformed = false;
    for (const msg of messages) {
      const change = this.#classify(msg);
      if (change !== undefined) {
        const note = this.#decode(msg, change === 'del');
        if (note) notes.push(note);
        else malformed = true;
      } else if (this.#spec.flushTriggers.length > 0 && this.#detector.triggered(msg)) this.#scheduleFlush();
    }
    if (malformed) this.#requestResync('malformed');
    if (notes.length === 0) return;
    const { ambiguous, accept } = this.#spec;
    if (this.#dumping) {
      for (const note of notes) {
        this.#buffer.push(note);
        // Whether the row is known is for the dump to tell.
        if (ambiguous?.(note.object, note.flags, note.del, true) && accept(note.object, this.#filter)) this.#scheduleFlush();
      }
      return;
    }
    const events: TableEvent<T>[] = [];
    for (const note of notes) {
      const known = this.#apply(this.rows, note, events);
      if (ambiguous?.(note.object, note.flags, note.del, known) && accept(note.object, this.#filter)) this.#scheduleFlush();
    }
    if (events.length > 0) this.#emit(events);
  }

  #classify(msg: NetlinkMessage): 'new' | 'del' | undefined {
    const { classify, newType, delType } = this.#spec;
    if (classify) return classify(msg);
    return msg.type === delType ? 'del' : msg.type === newType ? 'new' : undefined;
  }

  #decode(msg: NetlinkMessage, del: boolean): Note<T> | undefined {
    try {
      return { del, flags: msg.flags, object: this.#spec.decode(msg) };
    } catch {
      return undefined;
    }
  }

  /**
   * Applies one notification to `rows`; records the event when `events` is
   * given. Returns whether the row was there before.
   */
  #apply(rows: Map<string, T>, note: Note<T>, events?: TableEvent<T>[]): boolean {
    const { key: keyOf, merge, accept, volatile } = this.#spec;
    const key = keyOf(note.object);
    const old = rows.get(key);
    const value = old !== undefined && merge ? merge(old, note.object) : note.object;
    if (!note.del && accept(value, this.#filter)) {
      if (old === undefined) {
        rows.set(key, value);
        events?.push({ type: 'add', key, value });
      } else if (!sameObject(old, value, volatile)) {
        rows.set(key, value);
        events?.push({ type: 'change', key, old, value });
      }
    } else if (old !== undefined) {
      // Removed, or changed so that it no longer matches the filter.
      rows.delete(key);
      events?.push({ type: 'remove', key, old });
    }
    return old !== undefined;
  }

  #emit(events: readonly TableEvent<T>[]): void {
    for (const listener of [...this.#listeners]) {
      if (this.#closed) return;
      if (this.#listeners.has(listener)) listener.next(events);
    }
  }

  #initialEvents(): TableEvent<T>[] {
    const events: TableEvent<T>[] = [];
    for (const [key, value] of this.rows) events.push({ type: 'add', key, value });
    events.push({ type: 'synced', size: this.rows.size });
    return events;
  }

  #requestResync(reason: ResyncReason): void {
    if (this.#closed) return;
    if (this.#dumping) {
      if (this.#pending === undefined || PRIORITY[reason] > PRIORITY[this.#pending]) this.#pending = reason;
    } else this.#startDump(reason);
  }

  #scheduleFlush(): void {
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#requestResync('kernel-flush');
    }, this.#options.flushDelay ?? 20);
  }

  /** Starts a dump; `reason` undefined is the first sync. */
  #startDump(reason: ResyncReason | undefined): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    this.#dumping = true;
    this.#reason = reason;
    this.#dumpStartedAt = performance.now();
    if (this.storming) {
      this.#stormDirty = false;
      this.#stormDumpAt = performance.now();
    }
    this.#runDump();
  }

  #runDump(): void {
    const fresh = new Map<string, T>();
    const { key, accept } = this.#spec;
    this.#dump = this.#spec.dump(this.#filter, { pool: this.#pool }).subscribe({
      next: (object) => {
        if (accept(object, this.#filter)) fresh.set(key(object), object);
      },
      error: (error: unknown) => {
        this.#dump = undefined;
        if (!(error instanceof DumpInterruptedError)) this.#fail(error);
        else if (++this.#interrupted > MAX_INTERRUPTED) {
          // The table keeps changing under the dump: take this one, and read again soon.
          this.#pending ??= 'interrupted';
          this.#finishDump(fresh);
        } else {
          this.#retryTimer = setTimeout(() => {
            this.#retryTimer = undefined;
            if (!this.#closed) this.#runDump();
          }, 5 << this.#interrupted);
        }
      },
      complete: () => {
        this.#dump = undefined;
        this.#interrupted = 0;
        this.#finishDump(fresh);
      },
    });
  }

  #finishDump(fresh: Map<string, T>): void {
    this.#interrupted = 0;
    for (const note of this.#buffer) this.#apply(fresh, note);
    this.#buffer = [];
    this.#dumping = false;
    if (!this.#synced) {
      for (const [key, value] of fresh) this.rows.set(key, value);
      this.#synced = true;
      const initial = this.#initialEvents();
      for (const listener of [...this.#waiting]) {
        if (this.#closed) return;
        if (!this.#waiting.delete(listener)) continue;
        this.#listeners.add(listener);
        listener.next(initial);
      }
    } else {
      const events: TableEvent<T>[] = [{ type: 'resync', reason: this.#reason ?? 'overrun' }];
      this.#sweep(fresh, events);
      // A poll is routine: it is news only when it found a difference.
      if (this.#reason !== 'poll' || events.length > 1) this.#emit(events);
    }
    if (this.#closed) return;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) this.#startDump(pending);
    else this.#schedulePoll();
  }

  /** Arms the next periodic re-read, if the kind or the options ask for them. */
  #schedulePoll(): void {
    const every = this.#options.poll === false ? undefined : this.#options.poll ?? this.#spec.poll;
    if (every === undefined || every <= 0) return;
    // A big table costs more to re-read: keep the polls to a tenth of the time at most.
    const delay = Math.max(every, 10 * (performance.now() - this.#dumpStartedAt));
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      this.#requestResync('poll');
    }, delay);
    if (this.#options.keepAlive === false) this.#pollTimer.unref();
  }

  /** Mark and sweep: makes `rows` equal `fresh`, recording each difference. */
  #sweep(fresh: Map<string, T>, events: TableEvent<T>[]): void {
    for (const [key, old] of this.rows) {
      if (!fresh.has(key)) {
        this.rows.delete(key);
        events.push({ type: 'remove', key, old });
      }
    }
    for (const [key, value] of fresh) {
      const old = this.rows.get(key);
      if (old === undefined) {
        this.rows.set(key, value);
        events.push({ type: 'add', key, value });
      } else if (!sameObject(old, value, this.#spec.volatile)) {
        this.rows.set(key, value);
        events.push({ type: 'change', key, old, value });
      }
    }
  }

  #enterStorm(): void {
    const storm = this.#options.storm || {};
    const window = storm.window ?? 100;
    const maxStale = storm.maxStale ?? 1000;
    this.#stormDirty = true;
    this.#stormDumpAt = performance.now();
    this.#meter?.take(performance.now());
    this.#stormTimer = setInterval(() => {
      const now = performance.now();
      const count = this.#meter?.take(now) ?? 0;
      const enter = storm.enter ?? Math.max(5000, this.rows.size / 10);
      if (count < (storm.exit ?? enter / 4)) {
        // Calm again: one last re-read covers everything dropped during the storm.
        clearInterval(this.#stormTimer);
        this.#stormTimer = undefined;
        this.#requestResync('storm');
      } else if (this.#stormDirty && !this.#dumping && now - this.#stormDumpAt >= maxStale) {
        this.#requestResync('storm');
      }
    }, window);
    if (this.#options.keepAlive === false) this.#stormTimer.unref();
  }
}
