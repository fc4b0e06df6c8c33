import { describe, expect, it } from 'vitest';
import { NetlinkKernelError } from '../../lib/errors.js';
import { iterateDump, iterateDumpBatches } from '../../lib/rx/iterate-dump.js';
import { done, route, routeDump, routeIndex, routes, type Script } from '../helpers/fake-kernel.js';
import { fakePool, routeRequest } from './fake-dump.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('iterateDump (pull)', () => {
  it('opens nothing before the first next(), and reads only when the consumer asks', async () => {
    const { pool, kernels } = fakePool(routeDump(100, 10, 1)); // 10 datagrams + DONE: 11 reads
    const iterator = iterateDumpBatches(routeRequest, { pool });
    await pause(5);
    expect(kernels).toHaveLength(0);
    const first = await iterator.next();
    expect(first.value).toHaveLength(10);
    await pause(30); // the consumer is busy: no recv meanwhile
    expect(kernels[0].reads).toBe(1);
    let batches = 1;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      batches++;
      expect(kernels[0].reads).toBe(batches); // never a batch read ahead
    }
    expect(batches).toBe(10);
    expect(kernels[0].reads).toBe(11);
    expect(pool.idleSockets).toBe(1);
  });

  it('iterates every message in order, and a paused for-await loop causes no reads', async () => {
    const { pool, kernels } = fakePool(routeDump(60, 10, 1));
    const seen: number[] = [];
    for await (const msg of iterateDump(routeRequest, { pool })) {
      seen.push(routeIndex(msg));
      if (seen.length === 15) {
        const before = kernels[0].reads;
        await pause(30);
        expect(kernels[0].reads).toBe(before);
        expect(before).toBe(2);
      }
    }
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('break closes the socket mid-dump, and nothing more is read', async () => {
    const { pool, kernels } = fakePool(routeDump(1000, 10, 1));
    let n = 0;
    for await (const _ of iterateDump(routeRequest, { pool })) if (++n === 25) break;
    expect(kernels[0].closed).toBe(true);
    expect(kernels[0].reads).toBe(3);
    expect(pool.openSockets).toBe(0);
  });

  it('break after the dump ended gives the socket back instead', async () => {
    const script: Script = (req, k) => [[Buffer.concat([...routes(req.seq, k.portId, 0, 3), done(req.seq, k.portId)])]];
    const { pool, kernels } = fakePool(script);
    for await (const msg of iterateDump(routeRequest, { pool })) if (routeIndex(msg) === 2) break;
    expect(kernels[0].closed).toBe(false);
    expect(pool.idleSockets).toBe(1);
  });

  it('keeps reading past batches with nothing for us', async () => {
    const script: Script = (req, k) => [[route(req.seq + 5, k.portId, 9)], [route(0, 0, 9)], [route(req.seq, k.portId, 0), done(req.seq, k.portId)]];
    const { pool } = fakePool(script);
    const seen: number[] = [];
    for await (const msg of iterateDump(routeRequest, { pool })) seen.push(routeIndex(msg));
    expect(seen).toEqual([0]);
  });

  it('throws the dump’s error after the messages before it', async () => {
    const script: Script = (req, k) => [[route(req.seq, k.portId, 0)], [route(req.seq, k.portId, 1), done(req.seq, k.portId, 22, { message: 'nope' })]];
    const { pool } = fakePool(script);
    const seen: number[] = [];
    let failure: unknown;
    try {
      for await (const msg of iterateDump(routeRequest, { pool })) seen.push(routeIndex(msg));
    } catch (error) {
      failure = error;
    }
    expect(seen).toEqual([0, 1]);
    expect(failure).toBeInstanceOf(NetlinkKernelError);
    expect(failure).toMatchObject({ code: 'EINVAL', extAckMessage: 'nope' });
  });
});
