/**
 * A scripted kernel behind the Transport seam: the dump engine's real
 * sequence, multipart and error logic runs over replies written here byte by
 * byte. Builders below make the messages, named after the kernel's.
 */
import { constants } from 'node:os';
import { align } from '../../lib/codec/align.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI, readHeader,
} from '../../lib/codec/header.js';
import { NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS } from '../../lib/codec/control.js';
import { NetlinkSyscallError } from '../../lib/errors.js';
import type { TransportFactory } from '../../lib/rx/socket-pool.js';
import type { Batch, Transport } from '../../lib/transport/transport.js';

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
 * const kernel = new FakeKernel((req) => [[route(req.seq, kernel.portId, 0), done(req.seq, kernel.portId)]]);
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
 * const { factory, kernels } = fakeKernels((req, k) => [[done(req.seq, k.portId)]]);
 * dump(request, { transport: factory });
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

// ---- Message builders -------------------------------------------------------

export interface MessageFields {
  type: number;
  flags?: number;
  seq: number;
  pid: number;
  payload?: Uint8Array;
  /** nlmsg_len to write instead of the real one (for fragments). */
  length?: number;
}

/** nlmsg builds one message: nlmsghdr, then the payload, padded to 4 bytes. */
export function nlmsg(fields: MessageFields): Buffer {
  const payload = fields.payload ?? new Uint8Array(0);
  const length = NLMSG_HDRLEN + payload.length;
  const out = Buffer.alloc(align(length));
  out.writeUInt32LE(fields.length ?? length, 0); // nlmsg_len
  out.writeUInt16LE(fields.type, 4); //             nlmsg_type
  out.writeUInt16LE(fields.flags ?? 0, 6); //       nlmsg_flags
  out.writeUInt32LE(fields.seq, 8); //              nlmsg_seq
  out.writeUInt32LE(fields.pid, 12); //             nlmsg_pid
  out.set(payload, NLMSG_HDRLEN);
  return out;
}

/** tlv builds one attribute (struct nlattr + payload, padded). */
export function tlv(type: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(align(4 + payload.length));
  out.writeUInt16LE(4 + payload.length, 0);
  out.writeUInt16LE(type, 2);
  out.set(payload, 4);
  return out;
}

export const RTM_NEWROUTE = 24;
const RTA_DST = 1;

/** route builds an RTM_NEWROUTE reply whose RTA_DST encodes `index` (read back with `routeIndex`). */
export function route(seq: number, pid: number, index: number, flags = NLM_F_MULTI): Buffer {
  const rtmsg = Buffer.alloc(12);
  rtmsg[0] = 2; // rtm_family AF_INET
  rtmsg[1] = 32; // rtm_dst_len
  const dst = Buffer.alloc(4);
  dst.writeUInt32BE(index);
  return nlmsg({ type: RTM_NEWROUTE, flags, seq, pid, payload: Buffer.concat([rtmsg, tlv(RTA_DST, dst)]) });
}

/** routeIndex reads back the index `route` encoded. */
export function routeIndex(msg: { data: Buffer; offset: number }): number {
  return msg.data.readUInt32BE(msg.offset + NLMSG_HDRLEN + 12 + 4);
}

export interface AckOptions {
  /** Extra header flags (NLM_F_DUMP_INTR …). */
  flags?: number;
  /** NLMSGERR_ATTR_MSG. */
  message?: string;
  /** NLMSGERR_ATTR_OFFS. */
  offset?: number;
}

function ackTlvs(options: AckOptions): Buffer {
  const parts: Buffer[] = [];
  if (options.message !== undefined) parts.push(tlv(NLMSGERR_ATTR_MSG, Buffer.from(`${options.message}\0`)));
  if (options.offset !== undefined) {
    const offs = Buffer.alloc(4);
    offs.writeUInt32LE(options.offset);
    parts.push(tlv(NLMSGERR_ATTR_OFFS, offs));
  }
  return Buffer.concat(parts);
}

/**
 * done builds NLMSG_DONE as netlink_dump_done() does: `int` result (0 or a
 * negative errno), then ack TLVs with NLM_F_ACK_TLVS. `bare` leaves the
 * payload out entirely.
 */
export function done(seq: number, pid: number, errno = 0, options: AckOptions & { bare?: boolean } = {}): Buffer {
  let flags = NLM_F_MULTI | (options.flags ?? 0);
  if (options.bare) return nlmsg({ type: NLMSG_DONE, flags, seq, pid });
  const result = Buffer.alloc(4);
  result.writeInt32LE(-errno);
  const tlvs = ackTlvs(options);
  if (tlvs.length > 0) flags |= NLM_F_ACK_TLVS;
  return nlmsg({ type: NLMSG_DONE, flags, seq, pid, payload: Buffer.concat([result, tlvs]) });
}

/**
 * nlmsgerr builds NLMSG_ERROR as netlink_ack() does: `int error`, the echoed
 * request (its header only with `capped`, else header and payload), padded,
 * then ack TLVs with NLM_F_ACK_TLVS.
 */
export function nlmsgerr(
  seq: number, pid: number, errno: number, request: Buffer, options: AckOptions & { capped?: boolean } = {},
): Buffer {
  let flags = options.flags ?? 0;
  const echoed = options.capped ? request.subarray(0, NLMSG_HDRLEN) : request.subarray(0, request.readUInt32LE(0));
  if (options.capped) flags |= NLM_F_CAPPED;
  const head = Buffer.alloc(align(4 + echoed.length));
  head.writeInt32LE(-errno, 0);
  head.set(echoed, 4);
  const tlvs = ackTlvs(options);
  if (tlvs.length > 0) flags |= NLM_F_ACK_TLVS;
  return nlmsg({ type: NLMSG_ERROR, flags, seq, pid, payload: Buffer.concat([head, tlvs]) });
}

/** routes builds `count` RTM_NEWROUTE replies numbered from `first`. */
export function routes(seq: number, pid: number, first: number, count: number, flags = NLM_F_MULTI): Buffer[] {
  return Array.from({ length: count }, (_, i) => route(seq, pid, first + i, flags));
}

/** A dump script: `total` routes, `perDatagram` in each datagram, `perBatch` datagrams in each read, then DONE. */
export function routeDump(total: number, perDatagram = 10, perBatch = 2): Script {
  return (req, kernel) => {
    const datagrams: Buffer[] = [];
    for (let first = 0; first < total; first += perDatagram) {
      datagrams.push(Buffer.concat(routes(req.seq, kernel.portId, first, Math.min(perDatagram, total - first))));
    }
    datagrams.push(done(req.seq, kernel.portId));
    const batches: Uint8Array[][] = [];
    for (let i = 0; i < datagrams.length; i += perBatch) batches.push(datagrams.slice(i, i + perBatch));
    return batches;
  };
}
