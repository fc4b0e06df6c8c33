import { firstValueFrom, lastValueFrom, count } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkSyscallError } from '../../lib/errors.js';
import { dump } from '../../lib/rx/dump.js';
import { SocketPool, type TransportFactory } from '../../lib/rx/socket-pool.js';
import { closeSocketPools, DUMP_BATCH_BYTES, socketPool } from '../../lib/rx/socket-pools.js';
import type { SocketOptions } from '../../lib/transport/netlink-socket.js';
import { done, FakeKernel, fakeKernels, route, routeDump, type Script } from '../helpers/fake-kernel.js';
import { fakePool, record, routeRequest, values } from './fake-dump.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A dump that sends one route, then waits for `finish(kernel)` to send DONE. */
const held: Script = (req, k) => [[route(req.seq, k.portId, 0)]];
function finish(kernel: FakeKernel): void {
  const { seq } = kernel.sent[kernel.sent.length - 1];
  kernel.push([done(seq, kernel.portId)]);
}

describe('SocketPool', () => {
  it('runs more dumps than sockets one per socket at a time: all complete, none sees EBUSY', async () => {
    const { pool, kernels } = fakePool(routeDump(200, 10, 3), 2);
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, pool.openSockets)), 0);
    const counts = await Promise.all(Array.from({ length: 9 }, () => lastValueFrom(dump(routeRequest, { pool }).pipe(count()))));
    clearInterval(watch);
    expect(counts).toEqual(Array(9).fill(200));
    expect(kernels).toHaveLength(2);
    expect(kernels.reduce((n, k) => n + k.busyRefusals, 0)).toBe(0);
    expect(kernels.reduce((n, k) => n + k.sent.length, 0)).toBe(9);
    expect(most).toBeLessThanOrEqual(2);
    expect(pool.idleSockets).toBe(2);
  });

  it('holds a socket until DONE: a waiting dump starts only when the running one has ended', async () => {
    const { pool, kernels } = fakePool(held, 1);
    const order: string[] = [];
    const first = record(dump(routeRequest, { pool })).then(() => order.push('first'));
    const second = record(dump(routeRequest, { pool })).then(() => order.push('second'));
    await tick();
    expect(pool.waiting).toBe(1);
    expect(kernels[0].sent).toHaveLength(1);
    expect(pool.idleSockets).toBe(0);
    finish(kernels[0]);
    await first;
    await tick();
    expect(kernels[0].sent).toHaveLength(2); // the same socket, once free
    finish(kernels[0]);
    await second;
    expect(order).toEqual(['first', 'second']);
    expect(kernels).toHaveLength(1);
    expect(kernels[0].busyRefusals).toBe(0);
  });

  it('forgets a waiting dump that is unsubscribed: nothing opened or sent for it', async () => {
    const { pool, kernels } = fakePool(held, 1);
    const running = dump(routeRequest, { pool }).subscribe();
    const waiting = dump(routeRequest, { pool }).subscribe();
    await tick();
    expect(pool.waiting).toBe(1);
    waiting.unsubscribe();
    expect(pool.waiting).toBe(0);
    running.unsubscribe();
    await tick();
    expect(kernels).toHaveLength(1);
    expect(kernels[0].sent).toHaveLength(1);
  });

  it('opens a new socket for a waiter when a cancelled dump’s socket is closed', async () => {
    const { pool, kernels } = fakePool(held, 1);
    const running = dump(routeRequest, { pool }).subscribe();
    const next = record(dump(routeRequest, { pool }));
    await tick();
    running.unsubscribe();
    await tick();
    finish(kernels[1]);
    expect(values(await next)).toHaveLength(1);
    expect(kernels).toHaveLength(2);
    expect(kernels[0].closed).toBe(true);
  });

  it('closes idle sockets after idleTimeout', async () => {
    const { pool, kernels } = fakePool(routeDump(5), 4, 20);
    await lastValueFrom(dump(routeRequest, { pool }));
    expect(pool.idleSockets).toBe(1);
    await tick(60);
    expect(pool.idleSockets).toBe(0);
    expect(pool.openSockets).toBe(0);
    expect(kernels[0].closed).toBe(true);
  });

  it('reuses an idle socket rather than opening another', async () => {
    const { pool, kernels } = fakePool(routeDump(5));
    for (let i = 0; i < 5; i++) await lastValueFrom(dump(routeRequest, { pool }));
    expect(kernels).toHaveLength(1);
    expect(pool.openedTotal).toBe(1);
  });

  it('passes an opening error to the dump and keeps no place for it', async () => {
    let attempts = 0;
    const pool = new SocketPool(0, { netns: 'missing' }, {
      transport: () => {
        attempts++;
        throw new NetlinkSyscallError('no such namespace', 2, 'open');
      },
    });
    const events = await record(dump(routeRequest, { pool }));
    expect(events).toEqual([{ error: expect.objectContaining({ code: 'ENOENT' }) }]);
    expect(pool.openSockets).toBe(0);
    await record(dump(routeRequest, { pool }));
    expect(attempts).toBe(2);
  });

  it('close() closes idle sockets, fails waiters and new dumps with EBADF, and closes leased sockets on return', async () => {
    const { pool, kernels } = fakePool(held, 2);
    const first = record(dump(routeRequest, { pool }));
    await tick();
    finish(kernels[0]);
    await first;
    const idle = kernels[0];
    const running = [record(dump(routeRequest, { pool })), record(dump(routeRequest, { pool }))];
    const waiting = record(dump(routeRequest, { pool }));
    await tick();
    expect(pool.waiting).toBe(1);
    pool.close();
    expect(await waiting).toEqual([{ error: expect.objectContaining({ code: 'EBADF' }) }]);
    expect(pool.openSockets).toBe(2);
    finish(kernels[0]);
    finish(kernels[1]);
    for (const events of await Promise.all(running)) expect(values(events)).toHaveLength(1);
    expect(idle.closed).toBe(true);
    expect(kernels[1].closed).toBe(true);
    expect(pool.openSockets).toBe(0);
    expect(await record(dump(routeRequest, { pool }))).toEqual([{ error: expect.objectContaining({ code: 'EBADF' }) }]);
  });

  it('rejects an acquire aborted while waiting', async () => {
    const pool = new SocketPool(0, {}, { size: 1, transport: () => new FakeKernel() });
    const lease = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(pool.waiting).toBe(0);
    lease.release();
    lease.destroy(); // a second give-back is ignored
    expect(pool.openSockets).toBe(1);
    pool.close();
  });
});

describe('socketPool (default registry)', () => {
  it('gives one pool per protocol, namespace, options and factory; a closed pool is replaced', async () => {
    const { factory, kernels } = fakeKernels(routeDump(3));
    const a = socketPool(0, { netns: 'x' }, { transport: factory });
    expect(socketPool(0, { netns: 'x' }, { transport: factory })).toBe(a);
    expect(socketPool(0, { netns: 'y' }, { transport: factory })).not.toBe(a);
    expect(socketPool(0, { netns: 'x', strictCheck: true }, { transport: factory })).not.toBe(a);
    expect(socketPool(4, { netns: 'x' }, { transport: factory })).not.toBe(a);
    expect(socketPool(0, { netns: 'x' })).not.toBe(a);
    // dump() without a pool leases from the registry's pool.
    expect(values(await record(dump(routeRequest, { netns: 'x', transport: factory })))).toHaveLength(3);
    expect(a.openedTotal).toBe(1);
    expect(kernels).toHaveLength(1);
    a.close();
    expect(socketPool(0, { netns: 'x' }, { transport: factory })).not.toBe(a);
    closeSocketPools();
    expect(await firstValueFrom(dump(routeRequest, { netns: 'x', transport: factory }).pipe(count()))).toBe(3);
    closeSocketPools();
  });

  it('opens dump sockets with DUMP_BATCH_BYTES batches and the dump\'s readAhead, one pool per readAhead', async () => {
    const { factory } = fakeKernels(routeDump(3));
    const opened: SocketOptions[] = [];
    const recording: TransportFactory = (protocol, options) => {
      opened.push(options);
      return factory(protocol, options);
    };
    expect(values(await record(dump(routeRequest, { netns: 'z', transport: recording })))).toHaveLength(3);
    expect(values(await record(dump(routeRequest, { netns: 'z', transport: recording, readAhead: 2 })))).toHaveLength(3);
    expect(values(await record(dump(routeRequest, { netns: 'z', transport: recording, batchBytes: 1 << 20 })))).toHaveLength(3);
    expect(opened.map((o) => [o.batchBytes, o.readAhead ?? 0])).toEqual([[DUMP_BATCH_BYTES, 0], [DUMP_BATCH_BYTES, 2], [1 << 20, 0]]);
    expect(socketPool(0, { netns: 'z', readAhead: 2 }, { transport: recording }).openedTotal).toBe(1);
    closeSocketPools();
  });
});
