import { describe, expect, it } from 'vitest';
import { NLM_F_DUMP_INTR, NLM_F_MULTI } from '../../lib/codec/header.js';
import type { MessageBatch } from '../../lib/codec/message.js';
import { DumpInterruptedError, NetlinkDecodeError, NetlinkKernelError } from '../../lib/errors.js';
import { dumpBatches } from '../../lib/rx/dump-batches.js';
import { forEachDumpBatch } from '../../lib/rx/for-each-dump-batch.js';
import { done, nlmsgerr, route, routeDump, routeIndex, routes, type Script } from '../helpers/fake-kernel.js';
import { ending, fakePool, record, routeRequest, values } from './fake-dump.js';

const indexes = (batches: MessageBatch[]) => batches.map((batch) => batch.map(routeIndex));

/** Scripts covering every way a dump ends; forEachDumpBatch must end each one as dumpBatches does. */
const SCRIPTS: Record<string, Script> = {
  'a plain dump': routeDump(45, 10, 2),
  'stale replies before, inside and after the dump': (req, k) => [
    [Buffer.concat([route(req.seq - 1, k.portId, 900), done(req.seq - 1, k.portId)])],
    [route(0, 0, 901)],
    [Buffer.concat([route(req.seq, k.portId, 0), route(req.seq + 1, k.portId, 902), route(req.seq, 0, 903)])],
    [Buffer.concat([route(req.seq, k.portId, 1), nlmsgerr(req.seq - 1, k.portId, 22, Buffer.alloc(16)), done(req.seq, k.portId)])],
  ],
  'a fragment mid-read': (req, k) => [
    [Buffer.concat(routes(req.seq, k.portId, 0, 3))],
    [Buffer.concat([route(req.seq, k.portId, 3), route(req.seq, k.portId, 4).subarray(0, 30)]), done(req.seq, k.portId)],
  ],
  'a fragment after DONE in the same read': (req, k) => [
    [Buffer.concat([route(req.seq, k.portId, 0), done(req.seq, k.portId)]), route(req.seq, k.portId, 9).subarray(0, 10)],
  ],
  'a datagram truncated by recvmsg': (req, k) => [
    [Buffer.concat(routes(req.seq, k.portId, 0, 2))],
    { datagrams: [route(req.seq, k.portId, 2), route(req.seq, k.portId, 3)], truncated: true },
  ],
  'a kernel error after some routes': (req, k) => [
    [Buffer.concat(routes(req.seq, k.portId, 0, 4))],
    [Buffer.concat([route(req.seq, k.portId, 4), done(req.seq, k.portId, 12, { message: 'no memory' })])],
  ],
  'NLMSG_ERROR refusing the request': (req, k) => [[nlmsgerr(req.seq, k.portId, 22, Buffer.alloc(16), { message: 'bad filter' })]],
  'an interrupted dump (the flag on a route)': (req, k) => [
    [Buffer.concat([route(req.seq, k.portId, 0), route(req.seq, k.portId, 1, NLM_F_MULTI | NLM_F_DUMP_INTR)])],
    [Buffer.concat([route(req.seq, k.portId, 2), done(req.seq, k.portId)])],
  ],
  'an interrupted dump (the flag on DONE only)': (req, k) => [
    [Buffer.concat([route(req.seq, k.portId, 0), done(req.seq, k.portId, 0, { flags: NLM_F_DUMP_INTR })])],
  ],
  'an interrupted dump that also fails': (req, k) => [
    [Buffer.concat([route(req.seq, k.portId, 0, NLM_F_MULTI | NLM_F_DUMP_INTR), done(req.seq, k.portId, 16)])],
  ],
  'a socket error': (req, k) => [[route(req.seq, k.portId, 0)], Object.assign(new Error('recvmsg: ENOBUFS'), { code: 'ENOBUFS' })],
};

async function viaCallback(script: Script) {
  const { pool, kernels } = fakePool(script);
  const batches: MessageBatch[] = [];
  let end: unknown = 'complete';
  await forEachDumpBatch(routeRequest, (batch) => { batches.push(batch); }, { pool }).catch((error: unknown) => { end = error; });
  return { batches, end, kernels };
}

describe('forEachDumpBatch over the fake kernel', () => {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(`ends ${name} as dumpBatches does: same batches, same ending, same fate of the socket`, async () => {
      const observed = fakePool(script);
      const events = await record(dumpBatches(routeRequest, { pool: observed.pool }));
      const called = await viaCallback(script);
      expect(indexes(called.batches)).toEqual(indexes(values(events)));
      const expected = ending(events);
      if (expected === 'complete') expect(called.end).toBe('complete');
      else {
        expect(called.end).toBeInstanceOf((expected as Error).constructor);
        expect(called.end).toMatchObject({ code: (expected as { code: string }).code, message: (expected as Error).message });
      }
      expect(called.kernels.map((k) => k.closed)).toEqual(observed.kernels.map((k) => k.closed));
      expect(called.kernels[0].maxPending).toBe(1);
    });
  }

  it('covers each kind of ending among its scripts', async () => {
    const ends = await Promise.all(Object.values(SCRIPTS).map(async (script) => (await viaCallback(script)).end));
    expect(ends).toContain('complete');
    expect(ends.some((e) => e instanceof NetlinkDecodeError)).toBe(true);
    expect(ends.some((e) => e instanceof NetlinkKernelError)).toBe(true);
    expect(ends.some((e) => e instanceof DumpInterruptedError)).toBe(true);
  });

  it('reads the next batch only after onBatch returned, and gives the socket back for the next dump', async () => {
    const { pool, kernels } = fakePool(routeDump(100, 10, 2));
    let pendingDuringCallback = 0;
    let count = 0;
    await forEachDumpBatch(routeRequest, (batch) => {
      if (kernels[0].pendingRead) pendingDuringCallback++;
      count += batch.length;
    }, { pool });
    await forEachDumpBatch(routeRequest, (batch) => { count += batch.length; }, { pool });
    expect(count).toBe(200);
    expect(pendingDuringCallback).toBe(0);
    expect(kernels).toHaveLength(1);
    expect(kernels[0].closed).toBe(false);
    expect(kernels[0].busyRefusals).toBe(0);
  });

  it('stops when onBatch throws: rejects with that error and closes the socket mid-dump', async () => {
    const { pool, kernels } = fakePool(routeDump(100, 10, 1));
    const stop = new Error('enough');
    let calls = 0;
    await expect(forEachDumpBatch(routeRequest, () => {
      if (++calls === 2) throw stop;
    }, { pool })).rejects.toBe(stop);
    expect(calls).toBe(2);
    expect(kernels[0].closed).toBe(true);
  });

  it('cancels on abort: a pending read is settled by closing the socket, the promise rejects with the reason', async () => {
    const { pool, kernels } = fakePool((req, k) => [[route(req.seq, k.portId, 0)]]); // then nothing: the next read waits
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const result = forEachDumpBatch(routeRequest, () => { setTimeout(() => controller.abort(reason), 5); }, { pool, signal: controller.signal });
    await expect(result).rejects.toBe(reason);
    expect(kernels[0].closed).toBe(true);
    await expect(forEachDumpBatch(routeRequest, () => {}, { pool, signal: controller.signal })).rejects.toBe(reason);
    expect(kernels).toHaveLength(1); // an aborted signal opens nothing
  });
});
