import { mergeMap, of } from 'rxjs';
import { describe, it } from 'vitest';
import { DumpInterruptedError, NetlinkKernelError } from '../../../lib/errors.js';
import { retryInterrupted } from '../../../lib/rx/operators/retry-interrupted.js';
import { testScheduler } from '../marbles.js';

const intr = new DumpInterruptedError(1);
const einval = new NetlinkKernelError({ errno: 22 });

describe('retryInterrupted', () => {
  it('resubscribes the whole dump after DumpInterruptedError, up to maxRetries times, then fails', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a-#', { a: 'a' }, intr);
      expectObservable(source.pipe(retryInterrupted(2))).toBe('-a--a--a-#', { a: 'a' }, intr);
      expectSubscriptions(source.subscriptions).toBe(['^--!', '---^--!', '------^--!']);
    });
  });

  it('passes any other error on at once', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a-#', { a: 'a' }, einval);
      expectObservable(source.pipe(retryInterrupted(3))).toBe('-a-#', { a: 'a' }, einval);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('waits delayMs before each retry', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<string>('-#', undefined, intr);
      expectObservable(source.pipe(retryInterrupted(1, 3))).toBe('-----#', undefined, intr);
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<string>('-a-a-a-|', { a: 'a' });
      const result = source.pipe(mergeMap((x) => of(x)), retryInterrupted(3), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: 'a' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
