import { mergeMap, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../../lib/codec/message.js';
import { filterSequence } from '../../../lib/rx/operators/filter-sequence.js';
import { done, route } from '../../helpers/fake-kernel.js';
import { testScheduler, view } from '../marbles.js';

const SEQ = 7;
const PORT = 4242;
const ours = [view(route(SEQ, PORT, 0)), view(route(SEQ, PORT, 1))];
const staleSeq = view(route(SEQ - 1, PORT, 9));
const otherPort = view(route(SEQ, 0, 9)); // a reply must carry our port id, not 0
const notification = view(route(0, 0, 9));

describe('filterSequence', () => {
  it('drops replies of another seq or port, before and inside the dump, and batches left empty', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<MessageBatch>('-s-m-d|', {
        s: [staleSeq, notification],
        m: [ours[0], staleSeq, otherPort, ours[1]],
        d: [view(done(SEQ, PORT)), view(done(SEQ + 1, PORT))],
      });
      expectObservable(source.pipe(filterSequence(SEQ, PORT))).toBe('---m-d|', {
        m: ours,
        d: [view(done(SEQ, PORT))],
      });
    });
  });

  it('passes a batch with nothing to drop as it is (no copy)', () => {
    let out: MessageBatch | undefined;
    of(ours as MessageBatch).pipe(filterSequence(SEQ, PORT)).subscribe((batch) => (out = batch));
    expect(out).toBe(ours);
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<MessageBatch>('-a-a-a-|', { a: ours });
      const result = source.pipe(mergeMap((x) => of(x)), filterSequence(SEQ, PORT), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: ours });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
