import { take } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NetlinkMessage } from '../../lib/codec/header.js';
import { NetlinkDecodeError, NetlinkKernelError } from '../../lib/errors.js';
import { dumpObjects } from '../../lib/rx/dump-objects.js';
import { forEachDumpObject } from '../../lib/rx/for-each-dump-object.js';
import type { DumpSelector } from '../../lib/rx/select-batch.js';
import { watchAsyncErrors, type AsyncErrors } from './async-errors.js';
import { done, route, routeDump, routeIndex, routes, type Script } from '../helpers/fake-kernel.js';
import { ending, fakePool, record, routeRequest, values } from './fake-dump.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Even route indexes as objects, odd ones left out. */
const evens: DumpSelector<{ index: number }> = (msg) => {
  const index = routeIndex(msg);
  return index % 2 === 0 ? { index } : undefined;
};
/** A selector that throws `failure` on the route numbered `at`, and counts its calls. */
function throwingAt(at: number, failure: unknown) {
  const seen: number[] = [];
  const select: DumpSelector<number> = (msg: NetlinkMessage) => {
    const index = routeIndex(msg);
    seen.push(index);
    if (index === at) throw failure;
    return index;
  };
  return { select, seen };
}
/** Reads 0–9 (one datagram), then 10–19, then DONE. */
const twoReads: Script = (req, k) => [
  [Buffer.concat(routes(req.seq, k.portId, 0, 10))],
  [Buffer.concat(routes(req.seq, k.portId, 10, 10))],
  [done(req.seq, k.portId)],
];

let asyncErrors: AsyncErrors;
beforeEach(() => { asyncErrors = watchAsyncErrors(); });
afterEach(async () => { expect(await asyncErrors.stop()).toEqual([]); });

describe('dumpObjects over the fake kernel', () => {
  it('emits what the selector returns, in order, leaves out undefined, and completes', async () => {
    const { pool, kernels } = fakePool(routeDump(45, 10, 2));
    const events = await record(dumpObjects(routeRequest, evens, { pool }));
    expect(values(events).map((o) => o.index)).toEqual(range(45).filter((i) => i % 2 === 0));
    expect(ending(events)).toBe('complete');
    expect(pool.idleSockets).toBe(1);
    expect(kernels[0].closed).toBe(false);
  });

  it('is cold: nothing is opened before subscribe', async () => {
    const { pool, kernels } = fakePool(routeDump(3));
    const objects$ = dumpObjects(routeRequest, evens, { pool });
    expect(kernels).toHaveLength(0);
    expect(values(await record(objects$))).toHaveLength(2);
    expect(kernels[0].sent).toHaveLength(1);
  });

  it('fails with a NetlinkDecodeError wrapping a selector’s throw, delivers nothing after it, reads no further, closes the socket', async () => {
    const { pool, kernels } = fakePool(twoReads);
    const cause = new TypeError('cannot read the frobnicator');
    const { select, seen } = throwingAt(4, cause);
    const events = await record(dumpObjects(routeRequest, select, { pool }));
    expect(values(events)).toEqual([0, 1, 2, 3]);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    const error = ending(events) as NetlinkDecodeError;
    expect(error).toBeInstanceOf(NetlinkDecodeError);
    expect(error).toMatchObject({ code: 'EPROTO', cause, offset: 4 * route(0, 0, 0).length, context: ['nlmsg_type 24'] });
    expect(events.filter((e) => e === 'complete' || (typeof e === 'object' && 'error' in e))).toHaveLength(1);
    expect(kernels[0].reads).toBe(1);
    expect(kernels[0].closed).toBe(true);
    expect(pool.openSockets).toBe(0);
  });

  it('wraps a throw that is not an Error, and passes a NetlinkDecodeError on as it is', async () => {
    const thrown = new NetlinkDecodeError('struct rtmsg cut short', 99, ['RTM_NEWROUTE']);
    for (const [failure, check] of [
      ['a string', (e: unknown) => expect(e).toMatchObject({ code: 'EPROTO', cause: 'a string' })],
      [thrown, (e: unknown) => expect(e).toBe(thrown)],
    ] as const) {
      const { pool } = fakePool(twoReads);
      const events = await record(dumpObjects(routeRequest, throwingAt(12, failure).select, { pool }));
      expect(values(events)).toEqual(range(12));
      expect(ending(events)).toBeInstanceOf(NetlinkDecodeError);
      check(ending(events));
    }
  });

  it('fails on the last read, whose DONE is already in hand, with the selector’s error and not with completion', async () => {
    const { pool } = fakePool((req, k) => [[Buffer.concat([...routes(req.seq, k.portId, 0, 3), done(req.seq, k.portId)])]]);
    const events = await record(dumpObjects(routeRequest, throwingAt(2, new Error('bad')).select, { pool }));
    expect(values(events)).toEqual([0, 1]);
    expect(ending(events)).toBeInstanceOf(NetlinkDecodeError);
    expect(events).toHaveLength(3);
  });

  it('passes the dump’s own errors on after the objects before them', async () => {
    const { pool } = fakePool((req, k) => [[Buffer.concat([...routes(req.seq, k.portId, 0, 3), done(req.seq, k.portId, 12)])]]);
    const events = await record(dumpObjects(routeRequest, (msg) => routeIndex(msg), { pool }));
    expect(values(events)).toEqual([0, 1, 2]);
    expect(ending(events)).toBeInstanceOf(NetlinkKernelError);
  });

  it('stops selecting in the middle of a read once the subscriber is closed', async () => {
    const { pool } = fakePool(twoReads);
    const { select, seen } = throwingAt(-1, undefined);
    const events = await record(dumpObjects(routeRequest, select, { pool }).pipe(take(3)));
    expect(values(events)).toEqual([0, 1, 2]);
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe('forEachDumpObject over the fake kernel', () => {
  it('hands on the same objects as dumpObjects and resolves at DONE', async () => {
    const { pool } = fakePool(routeDump(45, 10, 2));
    const objects: number[] = [];
    await forEachDumpObject(routeRequest, evens, (o) => { objects.push(o.index); }, { pool });
    expect(objects).toEqual(range(45).filter((i) => i % 2 === 0));
    expect(pool.idleSockets).toBe(1);
  });

  it('rejects with the NetlinkDecodeError of a throwing selector, after the objects before it only, and closes the socket', async () => {
    const { pool, kernels } = fakePool(twoReads);
    const cause = new RangeError('offset out of range');
    const objects: number[] = [];
    const result = forEachDumpObject(routeRequest, throwingAt(4, cause).select, (o) => { objects.push(o); }, { pool });
    await expect(result).rejects.toBeInstanceOf(NetlinkDecodeError);
    await expect(result).rejects.toMatchObject({ code: 'EPROTO', cause });
    expect(objects).toEqual([0, 1, 2, 3]);
    expect(kernels[0].reads).toBe(1);
    expect(kernels[0].closed).toBe(true);
  });

  it('rejects with what onObject throws, unwrapped', async () => {
    const { pool } = fakePool(twoReads);
    const stop = new Error('enough');
    await expect(forEachDumpObject(routeRequest, (msg) => routeIndex(msg), (o) => { if (o === 5) throw stop; }, { pool }))
      .rejects.toBe(stop);
  });
});
