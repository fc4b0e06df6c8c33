/**
 * The dump reader's edge cases (issue 12, item 2), each checked twice: on
 * `DumpReader` (what every dump runs) and on the exported operators piped in
 * contract order — both are made of the same rule functions, so they must
 * agree message for message and on the ending.
 */
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_DUMP_INTR, NLM_F_MULTI } from '../../lib/codec/header.js';
import { DumpInterruptedError, NetlinkDecodeError, NetlinkError, NetlinkKernelError } from '../../lib/errors.js';
import { DumpReader } from '../../lib/rx/dump-reader.js';
import { encodeDumpRequest } from '../../lib/rx/dump-request.js';
import { detectInterrupt } from '../../lib/rx/operators/detect-interrupt.js';
import { filterSequence } from '../../lib/rx/operators/filter-sequence.js';
import { splitBatch } from '../../lib/rx/operators/split-batch.js';
import { takeUntilDone } from '../../lib/rx/operators/take-until-done.js';
import { throwKernelErrors } from '../../lib/rx/operators/throw-kernel-errors.js';
import type { Batch } from '../../lib/transport/transport.js';
import { done, nlmsg, nlmsgerr, route, routeIndex, tlv } from '../helpers/fake-kernel.js';
import { rawBatch } from './marbles.js';

const SEQ = 7;
const PORT = 4242;
const TYPE = 26; // RTM_GETROUTE
const request = encodeDumpRequest({ protocol: 0, type: TYPE, payload: new Uint8Array(12) }, SEQ);
const r = (i: number, flags = NLM_F_MULTI) => route(SEQ, PORT, i, flags);
const INTR = NLM_F_MULTI | NLM_F_DUMP_INTR;

interface Outcome {
  /** Route indexes delivered, per read that delivered any. */
  reads: number[][];
  /** 'done', 'reading' (no end yet) or the error. */
  end: 'done' | 'reading' | Error;
}

/** Feeds the reads to a fresh DumpReader until a step ends the dump. */
function viaReader(reads: Batch[]): Outcome {
  const reader = new DumpReader(SEQ, PORT, TYPE);
  const delivered: number[][] = [];
  for (const batch of reads) {
    const step = reader.read(batch);
    if (step.messages.length > 0) delivered.push(step.messages.map(routeIndex));
    if (step.error) return { reads: delivered, end: step.error };
    if (step.done) return { reads: delivered, end: 'done' };
  }
  return { reads: delivered, end: 'reading' };
}

/** The same reads through the exported operators, in contract order; `from` completes after the last read. */
async function viaOperators(reads: Batch[]): Promise<Outcome> {
  const delivered: number[][] = [];
  const end = await new Promise<Outcome['end']>((resolve) => {
    from(reads).pipe(splitBatch(), filterSequence(SEQ, PORT), throwKernelErrors(TYPE), detectInterrupt(), takeUntilDone())
      .subscribe({ next: (batch) => delivered.push(batch.map(routeIndex)), error: resolve, complete: () => resolve('done') });
  });
  return { reads: delivered, end };
}

/** Runs both and checks they agree; returns the reader's outcome. */
async function outcome(reads: Batch[]): Promise<Outcome> {
  const reader = viaReader(reads);
  const operators = await viaOperators(reads);
  expect(operators.reads).toEqual(reader.reads);
  if (reader.end === 'done' || reader.end === 'reading') expect(operators.end).toBe('done');
  else {
    expect(operators.end).toBeInstanceOf(reader.end.constructor);
    expect(operators.end).toMatchObject({ code: (reader.end as NetlinkError).code, message: reader.end.message });
  }
  return reader;
}

const read = (...datagrams: Buffer[]) => rawBatch(datagrams);

describe('DumpReader and the operators: edge cases', () => {
  describe('a fragment after DONE', () => {
    it('is ignored in the same datagram: the dump is done', async () => {
      const result = await outcome([read(Buffer.concat([r(0), done(SEQ, PORT), r(1).subarray(0, 10)]))]);
      expect(result).toEqual({ reads: [[0]], end: 'done' });
    });

    it('is ignored in a later datagram of the same read, a bad nlmsg_len too', async () => {
      const badLength = nlmsg({ type: 24, seq: SEQ, pid: PORT, length: 4096 });
      expect(await outcome([read(Buffer.concat([r(0), done(SEQ, PORT)]), r(1).subarray(0, 7))])).toEqual({ reads: [[0]], end: 'done' });
      expect(await outcome([read(r(0), done(SEQ, PORT), badLength)])).toEqual({ reads: [[0]], end: 'done' });
    });

    it('is ignored when the datagram after DONE was truncated by recvmsg', async () => {
      const result = await outcome([rawBatch([Buffer.concat([r(0), done(SEQ, PORT)]), Buffer.concat([r(1), r(2)])], true)]);
      expect(result).toEqual({ reads: [[0]], end: 'done' });
    });

    it('is still EPROTO when it comes before DONE, after the whole messages before it', async () => {
      const result = await outcome([read(r(0)), read(Buffer.concat([r(1), r(2).subarray(0, 20)]), done(SEQ, PORT))]);
      expect(result.reads).toEqual([[0], [1]]);
      expect(result.end).toBeInstanceOf(NetlinkDecodeError);
      expect(result.end).toMatchObject({ code: 'EPROTO' });
    });
  });

  describe('NLM_F_DUMP_INTR together with an errno', () => {
    it('fails with the kernel error, not DumpInterruptedError: the flag on a data message, errno on DONE', async () => {
      const result = await outcome([read(r(0), r(1, INTR)), read(done(SEQ, PORT, 16, { message: 'dump refused' }))]);
      expect(result.reads).toEqual([[0, 1]]);
      expect(result.end).toBeInstanceOf(NetlinkKernelError);
      expect(result.end).toMatchObject({ code: 'EBUSY', extAckMessage: 'dump refused', requestType: TYPE });
    });

    it('fails with the kernel error when DONE carries both the flag and the errno', async () => {
      const result = await outcome([read(r(0), done(SEQ, PORT, 4, { flags: NLM_F_DUMP_INTR }))]);
      expect(result.end).toBeInstanceOf(NetlinkKernelError);
      expect(result.end).toMatchObject({ code: 'EINTR' });
    });

    it('fails with the kernel error when an NLMSG_ERROR with an errno carries the flag', async () => {
      const result = await outcome([read(r(0, INTR), nlmsgerr(SEQ, PORT, 12, request, { flags: NLM_F_DUMP_INTR }))]);
      expect(result.reads).toEqual([[0]]);
      expect(result.end).toBeInstanceOf(NetlinkKernelError);
      expect(result.end).toMatchObject({ code: 'ENOMEM' });
    });

    it('without an errno, fails with DumpInterruptedError counting every message delivered, across reads', async () => {
      const result = await outcome([read(r(0), r(1, INTR)), read(r(2)), read(r(3), done(SEQ, PORT))]);
      expect(result.reads).toEqual([[0, 1], [2], [3]]);
      expect(result.end).toBeInstanceOf(DumpInterruptedError);
      expect(result.end).toMatchObject({ code: 'EINTR', messages: 4 });
    });

    it('ignores the flag on a stale reply and after the terminal message', async () => {
      expect(await outcome([read(route(SEQ - 1, PORT, 9, INTR), r(0), done(SEQ, PORT), r(1, INTR))])).toEqual({ reads: [[0]], end: 'done' });
    });
  });

  describe('a malformed NLMSG_ERROR with our seq', () => {
    it('fails with EPROTO when it cannot hold struct nlmsgerr, after the messages before it', async () => {
      const errnoOnly = nlmsg({ type: NLMSG_ERROR, seq: SEQ, pid: PORT, payload: Buffer.from([0xea, 0xff, 0xff, 0xff]) });
      const result = await outcome([read(r(0)), read(r(1), errnoOnly, r(2))]);
      expect(result.reads).toEqual([[0], [1]]);
      expect(result.end).toBeInstanceOf(NetlinkDecodeError);
      expect(result.end).toMatchObject({ code: 'EPROTO' });
    });

    it('fails with EPROTO on a positive error', async () => {
      const positive = nlmsgerr(SEQ, PORT, 0, request);
      positive.writeInt32LE(5, 16);
      const result = await outcome([read(positive)]);
      expect(result).toMatchObject({ reads: [], end: { code: 'EPROTO' } });
      expect(result.end).toBeInstanceOf(NetlinkDecodeError);
    });

    it('fails with the errno, and no ext-ack text from outside the message, when the echoed nlmsg_len is near 2^32', async () => {
      // A message before it whose bytes look like an NLMSGERR_ATTR_MSG TLV: a wrapped offset would land there.
      const bait = nlmsg({ type: 24, flags: NLM_F_MULTI, seq: SEQ, pid: PORT, payload: tlv(1, Buffer.from('outside\0')) });
      const wrapped = nlmsgerr(SEQ, PORT, 22, request, { capped: true });
      wrapped.writeUInt16LE(wrapped.readUInt16LE(6) & ~0x100 | NLM_F_ACK_TLVS, 6); // not capped: the echoed length counts
      // The echoed nlmsg_len for which a 32-bit NLMSG_ALIGN(4 + len) wraps to -bait.length: the TLV walk
      // would start at the bait's attribute, 16 bytes into the batch.
      wrapped.writeUInt32LE(2 ** 32 - bait.length - 4, 20);
      const reader = new DumpReader(SEQ, PORT, TYPE);
      const step = reader.read(read(bait, wrapped));
      expect(step.error).toBeInstanceOf(NetlinkError);
      expect((step.error as NetlinkKernelError).extAckMessage).toBeUndefined();
    });

    it('is dropped like any stale reply when its seq is not ours', async () => {
      const stale = nlmsg({ type: NLMSG_ERROR, seq: SEQ + 1, pid: PORT, payload: Buffer.alloc(2) });
      expect(await outcome([read(r(0), stale, r(1), done(SEQ, PORT))])).toEqual({ reads: [[0, 1]], end: 'done' });
    });

    it('fails with EPROTO on a DONE whose payload is cut inside its errno', async () => {
      const cut = nlmsg({ type: NLMSG_DONE, flags: NLM_F_MULTI, seq: SEQ, pid: PORT, payload: Buffer.alloc(2) });
      const result = await outcome([read(r(0), cut)]);
      expect(result.reads).toEqual([[0]]);
      expect(result.end).toBeInstanceOf(NetlinkDecodeError);
    });
  });

  describe('DONE with and without payload', () => {
    it('is done on a DONE without payload', async () => {
      expect(await outcome([read(r(0)), read(done(SEQ, PORT, 0, { bare: true }))])).toEqual({ reads: [[0]], end: 'done' });
    });

    it('is done on a DONE with a zero result, with or without ext-ack attributes', async () => {
      expect(await outcome([read(r(0), done(SEQ, PORT))])).toEqual({ reads: [[0]], end: 'done' });
      expect(await outcome([read(r(0), done(SEQ, PORT, 0, { message: 'a warning' }))])).toEqual({ reads: [[0]], end: 'done' });
    });

    it('is done on a DONE that opens its read, delivering nothing from it', async () => {
      expect(await outcome([read(r(0)), read(done(SEQ, PORT), r(1))])).toEqual({ reads: [[0]], end: 'done' });
    });
  });

  describe('an acknowledgement (errno 0) inside a dump', () => {
    it('ends the dump as DONE does: the messages before it, nothing after it', async () => {
      const ack = nlmsgerr(SEQ, PORT, 0, request, { capped: true });
      expect(await outcome([read(r(0)), read(r(1), ack, r(2)), read(done(SEQ, PORT))])).toEqual({ reads: [[0], [1]], end: 'done' });
    });

    it('is dropped when it answers another request', async () => {
      const stale = nlmsgerr(SEQ + 3, PORT, 0, request, { capped: true });
      expect(await outcome([read(r(0), stale, r(1)), read(done(SEQ, PORT))])).toEqual({ reads: [[0, 1]], end: 'done' });
    });

    it('passes an ack after DONE by', async () => {
      const ack = nlmsgerr(SEQ, PORT, 0, request, { capped: true });
      expect(await outcome([read(r(0), done(SEQ, PORT), ack)])).toEqual({ reads: [[0]], end: 'done' });
    });
  });

  it('keeps reading while no terminal message came', async () => {
    expect(viaReader([read(r(0)), read(r(1))])).toEqual({ reads: [[0], [1]], end: 'reading' });
  });
});
