import { defer, mergeMap, of } from 'rxjs';
import { describe, it } from 'vitest';
import { DumpInterruptedError, NetlinkKernelError } from '../../../lib/errors.js';
import { snapshot } from '../../../lib/rx/operators/snapshot.js';
import { testScheduler } from '../marbles.js';

describe('snapshot', () => {
  it('throws away an interrupted attempt and emits the next whole one, once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let attempt = 0;
      const attempts = [
        cold<string>('-a-b-#', { a: 'a', b: 'b' }, new DumpInterruptedError(2)),
        cold<string>('-a-c-d|', { a: 'a', c: 'c', d: 'd' }),
      ];
      const source = defer(() => attempts[attempt++]);
      expectObservable(source.pipe(snapshot(3))).toBe('-----------(x|)', { x: ['a', 'c', 'd'] });
    });
  });

  it('fails when every attempt is interrupted, and on any other error at once', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const intr = new DumpInterruptedError(1);
      const interrupted = cold<string>('-a-#', { a: 'a' }, intr);
      expectObservable(interrupted.pipe(snapshot(1))).toBe('------#', undefined, intr);
      const einval = new NetlinkKernelError({ errno: 22 });
      const refused = cold<string>('-a-#', { a: 'a' }, einval);
      expectObservable(refused.pipe(snapshot(5))).toBe('---#', undefined, einval);
      expectSubscriptions(refused.subscriptions).toBe('^--!');
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<string>('-a-a-a-|', { a: 'a' });
      const result = source.pipe(mergeMap((x) => of(x)), snapshot(), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
