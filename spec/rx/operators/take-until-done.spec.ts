import { mergeMap, Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../../lib/codec/message.js';
import { encodeDumpRequest } from '../../../lib/rx/dump-request.js';
import { takeUntilDone } from '../../../lib/rx/operators/take-until-done.js';
import { done, nlmsgerr, route } from '../../helpers/fake-kernel.js';
import { testScheduler, view } from '../marbles.js';

const r = (i: number) => view(route(1, 1, i));
const doneOk = view(done(1, 1));
const ack = view(nlmsgerr(1, 1, 0, encodeDumpRequest({ protocol: 0, type: 26, payload: new Uint8Array(12) }, 1)));

describe('takeUntilDone', () => {
  it('emits the messages before NLMSG_DONE, completes, and unsubscribes from the reads', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MessageBatch>('-a-b-c-|', { a: [r(0), r(1)], b: [r(2), doneOk, r(9)], c: [r(3)] });
      expectObservable(source.pipe(takeUntilDone())).toBe('-a-(b|)', { a: [r(0), r(1)], b: [r(2)] });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('completes without an emission when DONE opens its batch, and on an acknowledgement', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<MessageBatch>('-a-d-|', { a: [r(0)], d: [doneOk, r(5)] }).pipe(takeUntilDone()))
        .toBe('-a-|', { a: [r(0)] });
      expectObservable(cold<MessageBatch>('-k-|', { k: [ack] }).pipe(takeUntilDone())).toBe('-|');
    });
  });

  it('passes an error of the reads on', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<MessageBatch>('-a-#', { a: [r(0)] }).pipe(takeUntilDone())).toBe('-a-#', { a: [r(0)] });
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<MessageBatch>('-a-a-a-|', { a: [r(0)] });
      const result = source.pipe(mergeMap((x) => of(x)), takeUntilDone(), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: [r(0)] });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('stops a synchronous source once closed', () => {
    let sent = 0;
    const source = new Observable<MessageBatch>((subscriber) => {
      for (let i = 0; i < 10 && !subscriber.closed; i++) {
        sent++;
        subscriber.next(i === 2 ? [doneOk] : [r(i)]);
      }
    });
    source.pipe(takeUntilDone()).subscribe();
    expect(sent).toBe(3);
  });
});
