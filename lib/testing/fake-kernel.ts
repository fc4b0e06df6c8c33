/**
 * A scripted kernel behind the Transport seam: the dump engine's real
 * sequence, multipart and error logic runs over replies written byte by byte
 * (see the builders in `messages.ts`), without root and without a socket.
 * Shipped as `netlink-rx/testing` so applications can test their own
 * pipelines the way netlink-rx tests its dumps.
 */
import { constants } from 'node:os';
import { readHeader } from '../codec/header.js';
import { NetlinkSyscallError } from '../errors.js';
import type { TransportFactory } from '../rx/socket-pool.js';
import type { Batch, Transport } from '../transport/transport.js';
import { nlmsgerr } from './messages.js';

/** A request as the fake kernel received it. */
export interface SentRequest {
  readonly bytes: Buffer;
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
}

/** One scripted read: its datagrams, and whether recvmsg cut the last one. */
export interface ScriptedBatch {
  datagrams: Uint8Array[];
  truncated?: boolean;
}

/** One scripted read result: a batch, or an error the read rejects with. */
export type ScriptedRead = ScriptedBatch | Uint8Array[] | Error;

/** What the kernel answers to a request: the results of the later reads, in order. */
export type Script = (request: SentRequest, kernel: FakeKernel) => ScriptedRead[];

let lastPort = 1000;

/**
 * FakeKernel is one socket of the scripted kernel. It records what was sent,
 * counts reads and refuses a second pending read (EALREADY), as the native
 * socket does; a read with nothing scripted waits until `push()` or `close()`.
 * Like netlink_dump_start(), it answers a request sent while replies of an
 * earlier one are still unread with NLMSG_ERROR `EBUSY` (and counts it).
 *
 * @example
 * import { FakeKernel, done, route } from 'netlink-rx/testing';
 *
 * const kernel = new FakeKernel((req, k) => [[route(req.seq, k.portId, 0), done(req.seq, k.portId)]]);
 */
export class FakeKernel implements Transport {
  readonly portId = ++lastPort;
  readonly sent: SentRequest[] = [];
  /** read() calls made. */
  reads = 0;
  /** Most reads pending at once (must stay 1). */
  maxPending = 0;
  closed = false;
  /** Requests refused with EBUSY because the socket still had a dump queued. */
  busyRefusals = 0;
  readonly #queue: Array<Batch | Error> = [];
  #pending: { resolve(batch: Batch): void; reject(error: unknown): void } | undefined;

  constructor(readonly script: Script = () => []) {}

  send(data: Uint8Array): void {
    if (this.closed) throw new NetlinkSyscallError('socket is closed', constants.errno.EBADF, 'send');
    const bytes = Buffer.from(data);
    const header = readHeader(bytes, 0);
    const request = { bytes, type: header.type, flags: header.flags, seq: header.seq };
    this.sent.push(request);
    if (this.#queue.length > 0) {
      this.busyRefusals++;
      this.push([nlmsgerr(request.seq, this.portId, constants.errno.EBUSY, bytes, { capped: true })]);
      return;
    }
    for (const batch of this.script(request, this)) this.push(batch);
  }

  /** Queues a read result (replies that arrive on their own, or a read error). */
  push(batch: ScriptedRead): void {
    if (batch instanceof Error) {
      this.#queue.push(batch);
      this.#deliver();
      return;
    }
    const { datagrams, truncated = false } = Array.isArray(batch) ? { datagrams: batch } : batch;
    const data = Buffer.concat(datagrams);
    const ends = new Uint32Array(datagrams.length);
    let end = 0;
    datagrams.forEach((d, i) => (ends[i] = end += d.length));
    this.#queue.push({ data, ends, truncated });
    this.#deliver();
  }

  read(): Promise<Batch> {
    if (this.closed) return Promise.reject(new NetlinkSyscallError('socket is closed', constants.errno.EBADF, 'recvmsg'));
    if (this.#pending) {
      return Promise.reject(new NetlinkSyscallError('a read is already pending', constants.errno.EALREADY, 'recvmsg'));
    }
    this.reads++;
    return new Promise<Batch>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.maxPending = Math.max(this.maxPending, 1);
      // Like the event loop's poll: the batch arrives in a later macrotask.
      setImmediate(() => this.#deliver());
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(new NetlinkSyscallError('socket is closed', constants.errno.EBADF, 'recvmsg'));
  }

  /** Whether a read is pending now. */
  get pendingRead(): boolean {
    return this.#pending !== undefined;
  }

  /** Batches scripted and not read yet. */
  get queued(): number {
    return this.#queue.length;
  }

  addMembership(): void {}
  dropMembership(): void {}
  ref(): void {}
  unref(): void {}

  #deliver(): void {
    if (!this.#pending || this.#queue.length === 0) return;
    const pending = this.#pending;
    this.#pending = undefined;
    const next = this.#queue.shift()!;
    if (next instanceof Error) pending.reject(next);
    else pending.resolve(next);
  }
}

/**
 * fakeKernels is a transport factory whose sockets all follow `script`; it
 * keeps every socket it opened.
 *
 * @example
 * import { routes } from 'netlink-rx';
 * import { fakeKernels, routeDump } from 'netlink-rx/testing';
 *
 * const { factory, kernels } = fakeKernels(routeDump(3));
 * routes({}, { transport: factory }).subscribe((route) => console.log(route.dst));
 * kernels.length; // 1 once subscribed
 */
export function fakeKernels(script: Script): { factory: TransportFactory; kernels: FakeKernel[] } {
  const kernels: FakeKernel[] = [];
  const factory: TransportFactory = () => {
    const kernel = new FakeKernel(script);
    kernels.push(kernel);
    return kernel;
  };
  return { factory, kernels };
}
