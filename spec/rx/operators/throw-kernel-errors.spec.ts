import { mergeMap, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { MessageBatch } from '../../../lib/codec/message.js';
import { NetlinkKernelError } from '../../../lib/errors.js';
import { encodeDumpRequest } from '../../../lib/rx/dump-request.js';
import { throwKernelErrors } from '../../../lib/rx/operators/throw-kernel-errors.js';
import { done, nlmsgerr, route } from '../../helpers/fake-kernel.js';
import { testScheduler, view } from '../marbles.js';

const request = encodeDumpRequest({ protocol: 0, type: 26, payload: new Uint8Array(12) }, 1);
const r0 = view(route(1, 1, 0));
const r1 = view(route(1, 1, 1));
const einval = view(nlmsgerr(1, 1, 22, request, { message: 'bad filter', offset: 16 }));
const ack = view(nlmsgerr(1, 1, 0, request, { capped: true }));
const doneOk = view(done(1, 1));
const doneEbusy = view(done(1, 1, 16, { message: 'dump refused' }));
const kernelError = (code: string, extra: object = {}) => expect.objectContaining({ code, ...extra });

describe('throwKernelErrors', () => {
  it('fails on NLMSG_ERROR as the first reply, with errno, code, ext-ack and request type', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<MessageBatch>('-e-a|', { e: [einval], a: [r0] });
      expectObservable(source.pipe(throwKernelErrors(26))).toBe('-#', undefined,
        kernelError('EINVAL', { errno: 22, extAckMessage: 'bad filter', extAckOffset: 16, requestType: 26 }));
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('emits the messages before a mid-dump NLMSG_ERROR, and none after it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<MessageBatch>('-a-b-c|', { a: [r0], b: [r1, einval, r0], c: [doneOk] });
      expectObservable(source.pipe(throwKernelErrors())).toBe('-a-(b#)', { a: [r0], b: [r1] }, kernelError('EINVAL'));
    });
  });

  it('fails on NLMSG_DONE carrying a negative errno, with the ext-ack text and the request type', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold<MessageBatch>('-a-d|', { a: [r0], d: [r1, doneEbusy] });
      const result = source.pipe(throwKernelErrors(26));
      expectObservable(result).toBe('-a-(d#)', { a: [r0], d: [r1] },
        kernelError('EBUSY', { extAckMessage: 'dump refused', requestType: 26 }));
    });
    const errors: unknown[] = [];
    of([doneEbusy] as MessageBatch).pipe(throwKernelErrors()).subscribe({ error: (e) => errors.push(e) });
    expect(errors[0]).toBeInstanceOf(NetlinkKernelError);
  });

  it('lets an error win over a DONE behind it, and a DONE win over an error behind it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<MessageBatch>('-x|', { x: [einval, doneOk] }).pipe(throwKernelErrors()))
        .toBe('-#', undefined, kernelError('EINVAL'));
      expectObservable(cold<MessageBatch>('-x|', { x: [doneOk, einval] }).pipe(throwKernelErrors()))
        .toBe('-x|', { x: [doneOk, einval] });
    });
  });

  it('passes successful terminals (DONE, acknowledgement, DONE without payload) on', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const bare = view(done(1, 1, 0, { bare: true }));
      const values = { a: [r0, ack], b: [doneOk], c: [bare] };
      expectObservable(cold<MessageBatch>('-a-b-c|', values).pipe(throwKernelErrors())).toBe('-a-b-c|', values);
    });
  });

  it('fails with EPROTO on a malformed control message', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const cut = Buffer.from(route(1, 1, 0).subarray(0, 20));
      cut.writeUInt32LE(20, 0);
      cut.writeUInt16LE(2, 4); // NLMSG_ERROR, 4 bytes of payload
      expectObservable(cold<MessageBatch>('-x|', { x: [view(cut)] }).pipe(throwKernelErrors())).toBe('-#', undefined,
        expect.objectContaining({ code: 'EPROTO' }));
    });
  });

  it('does not break the unsubscription chain', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot<MessageBatch>('-a-a-a-|', { a: [r0] });
      const result = source.pipe(mergeMap((x) => of(x)), throwKernelErrors(), mergeMap((x) => of(x)));
      expectObservable(result, '^--!').toBe('-a-', { a: [r0] });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
