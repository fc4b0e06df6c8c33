import { lastValueFrom, count, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { dump } from '../../lib/rx/dump.js';
import { routeDump, routeIndex } from '../helpers/fake-kernel.js';
import { fakePool, record, routeRequest, values } from './fake-dump.js';

describe('dump(…, { shared: true })', () => {
  it('serves identical concurrent dumps from one kernel dump, each seeing every message', async () => {
    const { pool, kernels } = fakePool(routeDump(300, 10, 2));
    const shared = () => dump(routeRequest, { pool, shared: true });
    const first = record(shared());
    await new Promise((r) => setTimeout(r, 3)); // the second comes while the first is reading
    const results = await Promise.all([first, record(shared()), record(shared())]);
    for (const events of results) expect(values(events).map(routeIndex)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(kernels.flatMap((k) => k.sent)).toHaveLength(1);
  });

  it('keeps different requests, and requests after the end, apart', async () => {
    const { pool, kernels } = fakePool(routeDump(20));
    const other = { ...routeRequest, payload: Uint8Array.of(10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) };
    await Promise.all([
      lastValueFrom(dump(routeRequest, { pool, shared: true })),
      lastValueFrom(dump(other, { pool, shared: true })),
    ]);
    await lastValueFrom(dump(routeRequest, { pool, shared: true }));
    expect(kernels.flatMap((k) => k.sent)).toHaveLength(3);
  });

  it('does not share without the option', async () => {
    const { pool, kernels } = fakePool(routeDump(20));
    await Promise.all([lastValueFrom(dump(routeRequest, { pool })), lastValueFrom(dump(routeRequest, { pool }))]);
    expect(kernels.flatMap((k) => k.sent)).toHaveLength(2);
  });

  it('cancels the shared dump (closing its socket) only when the last subscriber leaves', async () => {
    const { pool, kernels } = fakePool(routeDump(500, 10, 1));
    const quitter = record(dump(routeRequest, { pool, shared: true }).pipe(take(5)));
    const stayer = lastValueFrom(dump(routeRequest, { pool, shared: true }).pipe(count()));
    expect(values(await quitter)).toHaveLength(5);
    expect(await stayer).toBe(500);
    expect(kernels[0].closed).toBe(false);
    await record(dump(routeRequest, { pool, shared: true }).pipe(take(1)));
    expect(kernels[0].closed).toBe(true);
  });
});
