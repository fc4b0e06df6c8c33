/**
 * The fuzzer: seeded cases of mutated and random datagrams, each driven
 * through one public entry point over the fake kernel, each checked against
 * the dump contract's promises about ending:
 *
 * - the stream ends exactly once, with completion or a `NetlinkError`;
 * - no other exception class, nothing thrown asynchronously
 *   (`uncaughtException` / `unhandledRejection` are counted);
 * - no hang (a case that has not ended after `hangMs` is one);
 * - no read after the end;
 * - a dump delivers only data messages of its own request (seq and port id).
 *
 * Every scripted reply ends with a read error (`ECONNRESET`), as a closed
 * socket would: a dump whose DONE was mutated away ends there instead of
 * waiting for a kernel that will never answer.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import type { Observable } from 'rxjs';
import { parseControl } from '../../lib/codec/control.js';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_DUMP_INTR, type NetlinkMessage } from '../../lib/codec/header.js';
import { splitMessages } from '../../lib/codec/message.js';
import { NetlinkError, NetlinkSyscallError } from '../../lib/errors.js';
import { monitor } from '../../lib/live/monitor.js';
import {
  addresses, decodeAddress, decodeLink, decodeNeighbor, decodeNexthop, decodeRoute, decodeRule, links, neighbors,
  nexthops, routes, rules, linkRequest, addressRequest, routeRequest, neighborRequest, ruleRequest, nexthopRequest,
} from '../../lib/route/index.js';
import { dump } from '../../lib/rx/dump.js';
import { dumpBatches } from '../../lib/rx/dump-batches.js';
import type { DumpRequest } from '../../lib/rx/dump-request.js';
import { forEachDumpBatch } from '../../lib/rx/for-each-dump-batch.js';
import { iterateDump } from '../../lib/rx/iterate-dump.js';
import { snapshot } from '../../lib/rx/operators/snapshot.js';
import type { TransportFactory } from '../../lib/rx/socket-pool.js';
import { closeSocketPools } from '../../lib/rx/socket-pools.js';
import { FakeKernel, type ScriptedRead, type SentRequest } from '../helpers/fake-kernel.js';

/** A corpus entry: one real reply, as scripts/fuzz-capture.mjs stored it. */
interface Reply {
  family: string;
  seq: number;
  portId: number;
  datagrams: Buffer[];
}

const corpusDir = new URL('./corpus/', import.meta.url);

/** loadCorpus reads spec/fuzz/corpus/*.json. */
export function loadCorpus(): Reply[] {
  return readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const raw = JSON.parse(readFileSync(new URL(file, corpusDir), 'utf8')) as { family: string; seq: number; portId: number; datagrams: string[] };
    return { ...raw, datagrams: raw.datagrams.map((hex) => Buffer.from(hex, 'hex')) };
  });
}

/** mulberry32: a small seeded PRNG, so a seed replays a run exactly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, list: readonly T[]): T => list[int(r, list.length)];

/** Offsets of the message headers in a datagram, as far as its lengths can be followed. */
function headerOffsets(d: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = 0; at + 16 <= d.length && offsets.length < 64;) {
    offsets.push(at);
    const length = d.readUInt32LE(at);
    if (length < 16) break;
    at += length + (-length & 3);
  }
  return offsets;
}

/** Rewrites the corpus's seq and port id to this request's, wherever a header carries them. */
function readdress(d: Buffer, reply: Reply, seq: number, pid: number): Buffer {
  const out = Buffer.from(d);
  for (const at of headerOffsets(out)) {
    if (out.readUInt32LE(at + 8) === reply.seq) out.writeUInt32LE(seq, at + 8);
    if (out.readUInt32LE(at + 12) === reply.portId) out.writeUInt32LE(pid, at + 12);
  }
  return out;
}

const LENGTHS = [0, 1, 3, 4, 15, 16, 17, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0xffff_fffc, 0xffff_ffff];

function tlv(r: Random): Buffer {
  const size = int(r, 12);
  const t = Buffer.alloc(4 + size + 3 & ~3);
  t.writeUInt16LE(r() < 0.8 ? 4 + size : int(r, 0x10000), 0);
  t.writeUInt16LE(int(r, 8) | (r() < 0.1 ? 0x8000 : 0), 2);
  for (let i = 4; i < 4 + size; i++) t[i] = r() < 0.5 ? 0x41 + int(r, 26) : int(r, 256);
  return t;
}

/** A control message: NLMSG_ERROR or NLMSG_DONE with a random errno and perhaps ext-ack TLVs. */
function control(r: Random, seq: number, pid: number): Buffer {
  const type = r() < 0.5 ? NLMSG_ERROR : NLMSG_DONE;
  const errno = pick(r, [0, 0, -22, -16, -1, -4095, 5, -(2 ** 31), int(r, 2 ** 31)]);
  const tlvs = r() < 0.5 ? Buffer.concat(Array.from({ length: 1 + int(r, 3) }, () => tlv(r))) : Buffer.alloc(0);
  const head = Buffer.alloc(type === NLMSG_ERROR ? 4 + 16 : 4);
  head.writeInt32LE(errno | 0, 0);
  if (type === NLMSG_ERROR) head.writeUInt32LE(r() < 0.7 ? 16 : pick(r, LENGTHS), 4);
  const body = Buffer.concat([head, tlvs]);
  const msg = Buffer.alloc(16 + body.length);
  msg.writeUInt32LE(msg.length, 0);
  msg.writeUInt16LE(type, 4);
  msg.writeUInt16LE((tlvs.length > 0 ? NLM_F_ACK_TLVS : 0) | (r() < 0.3 ? 0x100 : 0) | (r() < 0.1 ? NLM_F_DUMP_INTR : 0), 6);
  msg.writeUInt32LE(r() < 0.9 ? seq : int(r, 2 ** 32), 8);
  msg.writeUInt32LE(r() < 0.9 ? pid : int(r, 2 ** 32), 12);
  body.copy(msg, 16);
  return msg;
}

/** One mutation of the datagram list, in place. */
function mutate(r: Random, ds: Buffer[], seq: number, pid: number): void {
  const at = int(r, ds.length);
  const d = ds[at];
  const headers = d ? headerOffsets(d) : [];
  const header = headers.length > 0 ? pick(r, headers) : -1;
  switch (int(r, 13)) {
    case 0: // bit flips
      for (let i = 1 + int(r, 4); i > 0 && d?.length; i--) d[int(r, d.length)] ^= 1 << int(r, 8);
      break;
    case 1: // nlmsg_len changed, often to a length near 2^32
      if (header >= 0) d.writeUInt32LE(r() < 0.5 ? pick(r, LENGTHS) : Math.max(0, d.readUInt32LE(header) + int(r, 17) - 8) % 2 ** 32, header);
      break;
    case 2: // truncated at any offset
      if (d) ds[at] = d.subarray(0, int(r, d.length + 1));
      break;
    case 3: // a duplicated datagram
      if (d) ds.splice(at, 0, Buffer.from(d));
      break;
    case 4: // two datagrams swapped
      if (ds.length > 1) {
        const other = int(r, ds.length);
        [ds[at], ds[other]] = [ds[other], ds[at]];
      }
      break;
    case 5: // a wrong seq or port id
      if (header >= 0) d.writeUInt32LE(r() < 0.5 ? (seq + 1) >>> 0 : int(r, 2 ** 32), header + (r() < 0.5 ? 8 : 12));
      break;
    case 6: // an NLMSG_ERROR / NLMSG_DONE with a random errno and ext-ack, anywhere
      ds.splice(int(r, ds.length + 1), 0, r() < 0.5 && d ? Buffer.concat([d, control(r, seq, pid)]) : control(r, seq, pid));
      break;
    case 7: // NLM_F_DUMP_INTR
      if (header >= 0) d.writeUInt16LE(d.readUInt16LE(header + 6) | NLM_F_DUMP_INTR, header + 6);
      break;
    case 8: // an attribute (or nested attribute) length: small, large, past its container
      if (header >= 0 && d.length > header + 24) {
        const off = header + 16 + 4 * int(r, Math.max(1, (d.length - header - 18) >> 2));
        if (off + 2 <= d.length) d.writeUInt16LE(pick(r, [0, 1, 3, 4, 5, 8, 0x7fff, 0xffff, int(r, 0x10000)]), off);
      }
      break;
    case 9: // pure random bytes
      ds.splice(at, 0, Buffer.from(Array.from({ length: int(r, 80) }, () => int(r, 256))));
      break;
    case 10: // a message duplicated inside its datagram
      if (header >= 0) {
        const length = Math.max(16, Math.min(d.readUInt32LE(header), d.length - header));
        ds[at] = Buffer.concat([d.subarray(0, header + length + (-length & 3)), d.subarray(header)]);
      }
      break;
    case 11: // a header shorter than 16 bytes at the end
      if (d) ds[at] = Buffer.concat([d, Buffer.alloc(1 + int(r, 15), int(r, 256))]);
      break;
    default: // a datagram dropped
      if (ds.length > 0) ds.splice(at, 1);
  }
}

/** The reads of one case: the reply's datagrams, mutated, grouped into batches, ending with a read error. */
function reads(r: Random, reply: Reply | undefined, seq: number, pid: number): ScriptedRead[] {
  const ds = reply ? reply.datagrams.map((d) => readdress(d, reply, seq, pid)) : [control(r, seq, pid)];
  for (let n = int(r, 4); n > 0; n--) mutate(r, ds, seq, pid);
  const out: ScriptedRead[] = [];
  for (let i = 0; i < ds.length;) {
    const take = 1 + int(r, 3);
    out.push(r() < 0.03 ? { datagrams: ds.slice(i, i + take), truncated: true } : ds.slice(i, i + take));
    i += take;
    if (r() < 0.02) out.push(new NetlinkSyscallError('recvmsg: fuzz (ENOBUFS)', constants.errno.ENOBUFS, 'recvmsg', 'ENOBUFS'));
  }
  out.push(new NetlinkSyscallError('recvmsg: the fuzz case has no more replies (ECONNRESET)', constants.errno.ECONNRESET, 'recvmsg', 'ECONNRESET'));
  return out;
}

type Ending = { kind: 'complete' } | { kind: 'error'; error: unknown };

interface Runner {
  name: string;
  family?: string;
  /** Runs one case; `violation` reports a broken promise other than how it ended. */
  run(factory: TransportFactory, violation: (what: string) => void): Promise<Ending>;
}

const REQUESTS: Record<string, DumpRequest> = {
  links: linkRequest(), addresses: addressRequest(), routes: routeRequest(),
  neighbours: neighborRequest(), rules: ruleRequest(), nexthops: nexthopRequest(),
};

/** Subscribes and resolves with how the Observable ended; a second ending is a violation. */
function ending<T>(source: Observable<T>, violation: (what: string) => void, onNext?: (value: T) => void): Promise<Ending> {
  return new Promise((resolve) => {
    let ended = false;
    const end = (how: Ending) => {
      if (ended) violation(`ended twice (${how.kind} after the end)`);
      ended = true;
      resolve(how);
    };
    source.subscribe({
      next: (value) => {
        if (ended) violation('next after the end');
        onNext?.(value);
      },
      error: (error: unknown) => end({ kind: 'error', error }),
      complete: () => end({ kind: 'complete' }),
    });
  });
}

/** Only the request's own data messages may be delivered (DESIGN.md rules 4, 6, 8). */
function ownMessage(request: () => SentRequest | undefined, pid: () => number, violation: (what: string) => void) {
  return (msg: NetlinkMessage) => {
    const sent = request();
    if (msg.type === NLMSG_DONE || msg.type === NLMSG_ERROR) violation(`a control message (type ${msg.type}) was delivered`);
    if (sent && (msg.seq !== sent.seq || msg.pid !== pid())) violation(`a message of seq ${msg.seq} pid ${msg.pid} was delivered`);
  };
}

function runners(state: { kernel?: FakeKernel }): Runner[] {
  const last = () => state.kernel?.sent.at(-1);
  const pid = () => state.kernel?.portId ?? -1;
  const request = REQUESTS.routes;
  const list: Runner[] = [
    { name: 'dump', run: (transport, v) => ending(dump(request, { transport }), v, ownMessage(last, pid, v)) },
    {
      name: 'dumpBatches',
      run: (transport, v) => ending(dumpBatches(request, { transport }), v, (batch) => batch.forEach(ownMessage(last, pid, v))),
    },
    { name: 'snapshot', run: (transport, v) => ending(dump(request, { transport }).pipe(snapshot(2)), v) },
    {
      name: 'forEachDumpBatch',
      run: async (transport, v) => {
        const check = ownMessage(last, pid, v);
        try {
          await forEachDumpBatch(request, (batch) => batch.forEach(check), { transport });
          return { kind: 'complete' };
        } catch (error) {
          return { kind: 'error', error };
        }
      },
    },
    {
      name: 'iterateDump',
      run: async (transport, v) => {
        const check = ownMessage(last, pid, v);
        try {
          for await (const msg of iterateDump(request, { transport })) check(msg);
          return { kind: 'complete' };
        } catch (error) {
          return { kind: 'error', error };
        }
      },
    },
    {
      name: 'monitor',
      run: (transport, v) => ending(monitor({ groups: [], transport }), v),
    },
  ];
  const typed: Array<[string, (options: { transport: TransportFactory }) => Observable<unknown>]> = [
    ['links', (o) => links({}, o)], ['addresses', (o) => addresses({}, o)], ['routes', (o) => routes({}, o)],
    ['neighbours', (o) => neighbors({}, o)], ['rules', (o) => rules({}, o)], ['nexthops', (o) => nexthops({}, o)],
  ];
  for (const [family, open] of typed) list.push({ name: family, family, run: (transport, v) => ending(open({ transport }), v) });
  return list;
}

const DECODERS: Array<[string, (msg: NetlinkMessage) => unknown]> = [
  ['decodeLink', decodeLink], ['decodeAddress', decodeAddress], ['decodeRoute', decodeRoute],
  ['decodeNeighbor', decodeNeighbor], ['decodeRule', decodeRule], ['decodeNexthop', decodeNexthop],
  ['parseControl', parseControl],
];

/** A broken promise, with what replays it. */
export interface FuzzFailure {
  seed: number;
  caseIndex: number;
  entry: string;
  what: string;
  /** The datagrams of the case's first reply, in hex. */
  datagrams: string[];
}

/**
 * KNOWN_BUGS are broken promises already reported, outside the files this
 * harness's owner may change; they are counted in `known` (and printed), and
 * each has a regression spec (spec/fuzz/regressions.spec.ts) that flips when
 * it is fixed. Anything else is a failure.
 */
export const KNOWN_BUGS: ReadonlyArray<{ pattern: RegExp; issue: string }> = [];

export interface FuzzStats {
  cases: number;
  /** Broken promises matching KNOWN_BUGS (also counted in asyncErrors / otherErrors). */
  known: number;
  datagrams: number;
  completions: number;
  netlinkErrors: number;
  decoderCalls: number;
  /** Exceptions of any class other than NetlinkError (an ending or a decoder's throw). */
  otherErrors: number;
  asyncErrors: number;
  hangs: number;
  readsAfterEnd: number;
  /** Cases that held more than CASE_MEMORY_BOUND of new buffers at their end (a length taken from the wire as a size). */
  memoryBlowups: number;
  /** The largest resident set seen (sampled every 1,000 cases), in MiB. */
  peakRssMiB: number;
  failures: FuzzFailure[];
  ms: number;
}

export interface FuzzOptions {
  /** Stop after this many datagrams have been fed. */
  datagrams: number;
  seed: number;
  /** A case that has not ended after this many ms is a hang. Default 5000. */
  hangMs?: number;
  /** Stop once this many ms have passed, even before `datagrams` (bounds the run in `npm test`). */
  maxMs?: number;
  /** Called every 10,000 cases with the stats so far. */
  progress?: (stats: FuzzStats) => void;
}

/**
 * A case is fed a few KiB: one that holds 64 MiB more of buffers at its end
 * than at its start has sized something from the wire.
 */
export const CASE_MEMORY_BOUND = 64 * 2 ** 20;

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * runFuzz feeds `options.datagrams` mutated datagrams through the entry points
 * and the exported decoders, and returns what it saw.
 *
 * @example
 * const stats = await runFuzz({ datagrams: 20_000, seed: 1 });
 * expect(stats.failures).toEqual([]);
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzStats> {
  const corpus = loadCorpus();
  const started = performance.now();
  const stats: FuzzStats = {
    cases: 0, known: 0, datagrams: 0, completions: 0, netlinkErrors: 0, decoderCalls: 0, otherErrors: 0, asyncErrors: 0,
    hangs: 0, readsAfterEnd: 0, memoryBlowups: 0, peakRssMiB: 0, failures: [], ms: 0,
  };
  let current: { seed: number; index: number; entry: string; first?: string[] } = { seed: 0, index: 0, entry: '' };
  const fail = (what: string) => {
    if (KNOWN_BUGS.some((bug) => bug.pattern.test(what))) {
      stats.known++;
      return;
    }
    if (stats.failures.length < 50) {
      stats.failures.push({ seed: options.seed, caseIndex: current.index, entry: current.entry, what, datagrams: current.first ?? [] });
    }
  };
  const onAsync = (error: unknown) => {
    stats.asyncErrors++;
    fail(`asynchronous: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  };
  process.on('uncaughtException', onAsync);
  process.on('unhandledRejection', onAsync);
  const state: { kernel?: FakeKernel } = {};
  const entries = runners(state);
  const top = rng(options.seed);
  try {
    while (stats.datagrams < options.datagrams && !(performance.now() - started > (options.maxMs ?? Infinity))) {
      const caseSeed = int(top, 2 ** 32);
      const r = rng(caseSeed);
      const runner = pick(r, entries);
      const reply = runner.family ? corpus.find((c) => c.family === runner.family) : r() < 0.9 ? pick(r, corpus) : undefined;
      current = { seed: caseSeed, index: stats.cases, entry: runner.name };
      const kernels: FakeKernel[] = [];
      const script = (sent: SentRequest, kernel: FakeKernel) => {
        // The same reply to every request of the case (a retry sees it again), from the case's own seed.
        const batches = reads(rng(caseSeed ^ sent.seq), reply, sent.seq, kernel.portId);
        if (!current.first) current.first = batches.flatMap((b) => (b instanceof Error ? [] : Array.isArray(b) ? b : b.datagrams)).map((d) => Buffer.from(d).toString('hex'));
        stats.datagrams += batches.reduce((n, b) => n + (b instanceof Error ? 0 : Array.isArray(b) ? b.length : b.datagrams.length), 0);
        decodeAll(batches, stats, fail);
        return batches;
      };
      const factory: TransportFactory = () => {
        const kernel = new FakeKernel(script);
        kernels.push(kernel);
        state.kernel = kernel;
        // A monitor sends nothing: its notifications are there as soon as it listens (the first socket only).
        if (runner.name === 'monitor') {
          const batches = kernels.length === 1 ? script({ bytes: Buffer.alloc(16), type: 0, flags: 0, seq: 0 }, kernel) : [];
          for (const b of batches) kernel.push(b);
          if (kernels.length > 1) kernel.push(new NetlinkSyscallError('recvmsg: fuzz end (ECONNRESET)', constants.errno.ECONNRESET, 'recvmsg', 'ECONNRESET'));
        }
        return kernel;
      };
      const buffersAtStart = process.memoryUsage().arrayBuffers;
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), options.hangMs ?? 5000)));
      const how = await Promise.race([runner.run(factory, fail), hang]);
      clearTimeout(timer);
      stats.cases++;
      if (how === 'hang') {
        stats.hangs++;
        fail('no ending (hang)');
      } else if (how.kind === 'complete') {
        stats.completions++;
      } else if (how.error instanceof NetlinkError) {
        stats.netlinkErrors++;
      } else {
        stats.otherErrors++;
        const e = how.error;
        fail(`ended with ${e instanceof Error ? `${e.constructor.name}: ${e.message}${process.env.FUZZ_STACK ? e.stack : ""}` : String(e)}`);
      }
      const grown = process.memoryUsage().arrayBuffers - buffersAtStart;
      if (grown > CASE_MEMORY_BOUND) {
        stats.memoryBlowups++;
        fail(`memory: ${Math.round(grown / 2 ** 20)} MiB of new buffers held at the end of one case`);
      }
      if (stats.cases % 1000 === 0) stats.peakRssMiB = Math.max(stats.peakRssMiB, Math.round(process.memoryUsage.rss() / 2 ** 20));
      const readsAtEnd = kernels.reduce((n, k) => n + k.reads, 0);
      await immediate();
      await immediate();
      if (kernels.reduce((n, k) => n + k.reads, 0) !== readsAtEnd) {
        stats.readsAfterEnd++;
        fail('a read after the end');
      }
      closeSocketPools();
      for (const k of kernels) k.close();
      if (stats.cases % 10_000 === 0) options.progress?.({ ...stats, ms: performance.now() - started });
    }
  } finally {
    process.off('uncaughtException', onAsync);
    process.off('unhandledRejection', onAsync);
    closeSocketPools();
  }
  stats.ms = performance.now() - started;
  return stats;
}

/** Every exported decoder on every message of every read: a result or a NetlinkError, nothing else. */
function decodeAll(batches: ScriptedRead[], stats: FuzzStats, fail: (what: string) => void): void {
  for (const b of batches) {
    if (b instanceof Error) continue;
    const datagrams = Array.isArray(b) ? b : b.datagrams;
    const ends = new Uint32Array(datagrams.length);
    let end = 0;
    datagrams.forEach((d, i) => (ends[i] = end += d.length));
    const { messages } = splitMessages({ data: Buffer.concat(datagrams), ends, truncated: false });
    for (const msg of messages) {
      for (const [name, decode] of DECODERS) {
        stats.decoderCalls++;
        try {
          decode(msg);
        } catch (error) {
          if (error instanceof NetlinkError) continue;
          stats.otherErrors++;
          fail(`${name} threw ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)} on ${msg.data.subarray(msg.offset, msg.offset + msg.length).toString('hex')}`);
        }
      }
    }
  }
}

