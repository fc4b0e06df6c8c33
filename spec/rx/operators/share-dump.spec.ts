import { mergeMap, of } from 'rxjs';
import { describe, it } from 'vitest';
import { shareDump } from '../../../lib/rx/operators/share-dump.js';
import { testScheduler } from '../marbles.js';

let keys = 0;
const key = () => `spec-${++keys}`;

describe('shareDump', () => {
  it('runs one source for subscribers that meet, replaying what a late one missed', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a-b-----c|');
      const shared = source.pipe(shareDump(key()));
      expectObservable(shared).toBe('-a-b-----c|');
      expectObservable(shared, '---^').toBe('---(ab)--c|');
      expectSubscriptions(source.subscriptions).toBe('^---------!');
    });
  });

  it('starts a new source for a subscriber that comes after the end', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a|');
      const shared = source.pipe(shareDump(key()));
      expectObservable(shared).toBe('-a|');
      expectObservable(shared, '----^').toBe('-----a|');
      expectSubscriptions(source.subscriptions).toBe(['^-!', '----^-!']);
    });
  });

  it('shares errors, and keeps different keys apart', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a-#');
      const k = key();
      expectObservable(source.pipe(shareDump(k))).toBe('-a-#');
      expectObservable(source.pipe(shareDump(k)), '-^').toBe('-a-#');
      expectObservable(source.pipe(shareDump(key())), '-^').toBe('--a-#');
      expectSubscriptions(source.subscriptions).toBe(['^--!', '-^--!']);
    });
  });

  it('cancels the source when its last subscriber leaves, not before', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a-b-c-d|');
      const shared = source.pipe(shareDump(key()));
      expectObservable(shared, '^--!').toBe('-a-');
      expectObservable(shared, '-^---!').toBe('-a-b');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<string>('-a-a-a-|', { a: 'a' });
      const result = source.pipe(mergeMap((x) => of(x)), shareDump(key()), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: 'a' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
