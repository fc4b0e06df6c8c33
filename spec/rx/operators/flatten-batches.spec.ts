import { mergeMap, of, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { flattenBatches } from '../../../lib/rx/operators/flatten-batches.js';
import { testScheduler } from '../marbles.js';

describe('flattenBatches', () => {
  it('emits each array’s items in order, in the frame the array came', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<number[]>('-a-e-b-|', { a: [1, 2], e: [], b: [3] });
      expectObservable(source.pipe(flattenBatches())).toBe('-(xy)z-|', { x: 1, y: 2, z: 3 });
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<number[]>('-a-a-a-|', { a: [1] });
      const result = source.pipe(mergeMap((x) => of(x)), flattenBatches(), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: 1 });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('stops walking an array once the subscriber is closed', () => {
    let read = 0;
    const batch = new Proxy([1, 2, 3, 4, 5, 6], {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) read++;
        return Reflect.get(target, key, receiver);
      },
    });
    const out: number[] = [];
    of(batch, [7]).pipe(flattenBatches(), take(2)).subscribe((x) => out.push(x));
    expect(out).toEqual([1, 2]);
    expect(read).toBe(2);
  });
});
