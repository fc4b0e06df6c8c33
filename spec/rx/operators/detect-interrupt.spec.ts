import { mergeMap, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NLM_F_DUMP_INTR, NLM_F_MULTI } from '../../../lib/codec/header.js';
import type { MessageBatch } from '../../../lib/codec/message.js';
import { DumpInterruptedError } from '../../../lib/errors.js';
import { detectInterrupt } from '../../../lib/rx/operators/detect-interrupt.js';
import { done, route } from '../../helpers/fake-kernel.js';
import { testScheduler, view } from '../marbles.js';

const r = (i: number, flags = NLM_F_MULTI) => view(route(1, 1, i, flags));
const flagged = r(1, NLM_F_MULTI | NLM_F_DUMP_INTR);
const doneOk = view(done(1, 1));
const doneIntr = view(done(1, 1, 0, { flags: NLM_F_DUMP_INTR }));
const interrupted = (messages: number) => expect.objectContaining({ code: 'EINTR', messages });

describe('detectInterrupt', () => {
  it('reads on after NLM_F_DUMP_INTR on a middle message and fails at the end, after every message', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MessageBatch>('-a-b-c-|', { a: [r(0), flagged], b: [r(2)], c: [r(3), doneOk] });
      expectObservable(source.pipe(detectInterrupt())).toBe('-a-b-(c#)', {
        a: [r(0), flagged], b: [r(2)], c: [r(3)],
      }, interrupted(4));
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('fails when only the NLMSG_DONE carries the flag', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<MessageBatch>('-a-d|', { a: [r(0)], d: [doneIntr] });
      expectObservable(source.pipe(detectInterrupt())).toBe('-a-#', { a: [r(0)] }, interrupted(1));
    });
    const errors: unknown[] = [];
    of([doneIntr] as MessageBatch).pipe(detectInterrupt()).subscribe({ error: (e) => errors.push(e) });
    expect(errors[0]).toBeInstanceOf(DumpInterruptedError);
  });

  it('passes an unflagged dump through untouched, DONE included', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { a: [r(0)], d: [r(1), doneOk] };
      expectObservable(cold<MessageBatch>('-a-d|', values).pipe(detectInterrupt())).toBe('-a-d|', values);
    });
  });

  it('ignores a flag that comes after the terminal message', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const values = { d: [doneOk, flagged] };
      expectObservable(cold<MessageBatch>('-d|', values).pipe(detectInterrupt())).toBe('-d|', values);
    });
  });

  it('starts clean for every subscription', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      let attempt = 0;
      const source = cold<MessageBatch>('-a-d|', { a: [flagged], d: [doneOk] });
      const clean = cold<MessageBatch>('-a-d|', { a: [r(0)], d: [doneOk] });
      const piped = of(0).pipe(mergeMap(() => (attempt++ === 0 ? source : clean)), detectInterrupt());
      expectObservable(piped).toBe('-a-#', { a: [flagged] }, interrupted(1));
      expectObservable(piped).toBe('-a-d|', { a: [r(0)], d: [doneOk] });
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<MessageBatch>('-a-a-a-|', { a: [flagged] });
      const result = source.pipe(mergeMap((x) => of(x)), detectInterrupt(), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: [flagged] });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
