import { mergeMap, Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { splitMessages } from '../../../lib/codec/message.js';
import { splitBatch } from '../../../lib/rx/operators/split-batch.js';
import type { Batch } from '../../../lib/transport/transport.js';
import { route } from '../../helpers/fake-kernel.js';
import { rawBatch, testScheduler } from '../marbles.js';

const a = rawBatch([Buffer.concat([route(1, 1, 0), route(1, 1, 1)])]);
const b = rawBatch([route(1, 1, 2), route(1, 1, 3)]);
const fragment = rawBatch([Buffer.concat([route(1, 1, 4), route(1, 1, 5).subarray(0, 12)])]);
const truncated = rawBatch([route(1, 1, 6), route(1, 1, 7)], true);
const empty = rawBatch([]);

describe('splitBatch', () => {
  it('emits one array of message views per read', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Batch>('-a-e-b-|', { a, b, e: empty });
      expectObservable(source.pipe(splitBatch())).toBe('-a---b-|', {
        a: splitMessages(a).messages,
        b: splitMessages(b).messages,
      });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  it('emits the whole messages before a fragment, then fails with EPROTO and unsubscribes', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Batch>('-a-f-b-|', { a, b, f: fragment });
      expectObservable(source.pipe(splitBatch())).toBe('-a-(f#)', {
        a: splitMessages(a).messages,
        f: splitMessages(fragment).messages,
      }, expect.objectContaining({ code: 'EPROTO' }));
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('fails with EPROTO on a truncated datagram, after the datagrams before it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<Batch>('-t-b-|', { b, t: truncated });
      expectObservable(source.pipe(splitBatch())).toBe('-(t#)', {
        t: [expect.objectContaining({ offset: 0, type: 24 })],
      }, expect.objectContaining({ code: 'EPROTO', offset: route(1, 1, 6).length }));
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<Batch>('-a-b-a-|', { a, b });
      const result = source.pipe(mergeMap((x) => of(x)), splitBatch(), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: splitMessages(a).messages });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('stops a synchronous source once closed', () => {
    let sent = 0;
    const source = new Observable<Batch>((subscriber) => {
      for (let i = 0; i < 10 && !subscriber.closed; i++) {
        sent++;
        subscriber.next(i === 1 ? fragment : a);
      }
    });
    source.pipe(splitBatch()).subscribe({ error: () => {} });
    expect(sent).toBe(2);
  });
});
