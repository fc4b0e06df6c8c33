import { take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST, readHeader, type NetlinkMessage } from '../../lib/codec/header.js';
import { DumpInterruptedError, NetlinkDecodeError, NetlinkKernelError, NetlinkSyscallError } from '../../lib/errors.js';
import { dump } from '../../lib/rx/dump.js';
import { dumpBatches } from '../../lib/rx/dump-batches.js';
import { done, nlmsgerr, route, routeDump, routeIndex, routes, type Script } from '../helpers/fake-kernel.js';
import { ending, fakePool, record, routeRequest, values } from './fake-dump.js';

const indexes = (messages: NetlinkMessage[]) => messages.map(routeIndex);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('dump() over the fake kernel', () => {
  describe('rule 1: cold', () => {
    it('opens and sends nothing before subscribe; each subscription sends its own request with its own seq', async () => {
      const { pool, kernels } = fakePool(routeDump(25));
      const routes$ = dump({ ...routeRequest, flags: NLM_F_DUMP_FILTERED }, { pool });
      expect(kernels).toHaveLength(0);
      const [a, b] = await Promise.all([record(routes$), record(routes$)]);
      expect(indexes(values(a))).toEqual(range(25));
      expect(indexes(values(b))).toEqual(range(25));
      const sent = kernels.flatMap((k) => k.sent);
      expect(sent).toHaveLength(2);
      expect(sent[0].seq).not.toBe(sent[1].seq);
      for (const request of sent) {
        expect(request.type).toBe(26);
        expect(request.flags).toBe(NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK | NLM_F_DUMP_FILTERED);
        expect([...request.bytes.subarray(16, 28)]).toEqual([...routeRequest.payload]);
        expect(request.bytes.readUInt32LE(0)).toBe(28);
      }
    });
  });

  describe('rule 2: one read at a time', () => {
    it('starts the next read only after the batch was handed on, and none after DONE', async () => {
      const { pool, kernels } = fakePool(routeDump(100, 10, 2)); // 10 datagrams + DONE in 6 reads
      let readPendingDuringDelivery = 0;
      const events = await record(dumpBatches(routeRequest, { pool }).pipe());
      // Observe delivery: a second run whose next() checks the socket.
      await new Promise<void>((resolve) => {
        dumpBatches(routeRequest, { pool }).subscribe({
          next: () => { if (kernels[0].pendingRead) readPendingDuringDelivery++; },
          complete: resolve,
        });
      });
      expect(values(events)).toHaveLength(5);
      expect(readPendingDuringDelivery).toBe(0);
      expect(kernels).toHaveLength(1); // the same socket served both, one after the other
      expect(kernels[0].reads).toBe(12);
      expect(kernels[0].busyRefusals).toBe(0);
    });
  });

  describe('rule 4: sequence filtering', () => {
    it('drops stale replies before and inside the dump, never failing on them', async () => {
      const script: Script = (req, k) => [
        [Buffer.concat([route(req.seq - 1, k.portId, 900), done(req.seq - 1, k.portId, 16)])], // an abandoned request's tail
        [route(0, 0, 901)], // a notification: a batch with nothing for us
        [Buffer.concat([route(req.seq, k.portId, 0), route(req.seq + 1, k.portId, 902), route(req.seq, 0, 903)])],
        [Buffer.concat([route(req.seq, k.portId, 1), nlmsgerr(req.seq - 1, k.portId, 22, Buffer.alloc(16)), done(req.seq, k.portId)])],
      ];
      const { pool } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0, 1]);
      expect(ending(events)).toBe('complete');
    });
  });

  describe('rule 5: fragments are errors', () => {
    it('fails with EPROTO on a fragment mid-batch, after the messages before it, and closes the socket', async () => {
      const script: Script = (req, k) => [
        [Buffer.concat(routes(req.seq, k.portId, 0, 3))],
        [Buffer.concat([route(req.seq, k.portId, 3), route(req.seq, k.portId, 4).subarray(0, 30)]), done(req.seq, k.portId)],
      ];
      const { pool, kernels } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0, 1, 2, 3]);
      expect(ending(events)).toBeInstanceOf(NetlinkDecodeError);
      expect(ending(events)).toMatchObject({ code: 'EPROTO' });
      expect(kernels[0].closed).toBe(true);
      expect(pool.openSockets).toBe(0);
    });

    it('fails with EPROTO on a datagram truncated by recvmsg', async () => {
      const script: Script = (req, k) => [
        { datagrams: [route(req.seq, k.portId, 0), Buffer.concat(routes(req.seq, k.portId, 1, 3))], truncated: true },
        [done(req.seq, k.portId)],
      ];
      const { pool } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0]);
      expect(ending(events)).toMatchObject({ code: 'EPROTO' });
    });
  });

  describe('rule 6: errors win', () => {
    it('fails on NLMSG_ERROR as the first reply with errno, code, ext-ack and request type, and frees the socket', async () => {
      const script: Script = (req, k) => [[nlmsgerr(req.seq, k.portId, 22, req.bytes, { message: 'Invalid data after header', offset: 16 })]];
      const { pool, kernels } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(values(events)).toEqual([]);
      const error = ending(events);
      expect(error).toBeInstanceOf(NetlinkKernelError);
      expect(error).toMatchObject({ errno: 22, code: 'EINVAL', extAckMessage: 'Invalid data after header', extAckOffset: 16, requestType: 26 });
      // The kernel has ended the request: the socket goes back to the pool.
      expect(kernels[0].closed).toBe(false);
      expect(pool.idleSockets).toBe(1);
    });

    it('delivers the messages before a mid-dump NLMSG_ERROR and nothing after it, and reads no further', async () => {
      const script: Script = (req, k) => [
        [Buffer.concat(routes(req.seq, k.portId, 0, 2))],
        [Buffer.concat([route(req.seq, k.portId, 2), nlmsgerr(req.seq, k.portId, 12, req.bytes), route(req.seq, k.portId, 3)])],
        [Buffer.concat([route(req.seq, k.portId, 4), done(req.seq, k.portId)])],
      ];
      const { pool, kernels } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0, 1, 2]);
      expect(ending(events)).toMatchObject({ code: 'ENOMEM' });
      expect(kernels[0].reads).toBe(2);
    });

    it('fails on NLMSG_DONE with a negative errno, with the ext-ack text', async () => {
      const script: Script = (req, k) => [
        [Buffer.concat(routes(req.seq, k.portId, 0, 2))],
        [done(req.seq, k.portId, 90, { message: 'Message too long for the dump' })],
      ];
      const { pool } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0, 1]);
      expect(ending(events)).toMatchObject({ code: 'EMSGSIZE', extAckMessage: 'Message too long for the dump', requestType: 26 });
      expect(events.filter((e) => e === 'complete')).toHaveLength(0);
    });

    it('lets an error followed by DONE fail the dump, in one batch and across two', async () => {
      for (const split of [false, true]) {
        const script: Script = (req, k) => {
          const error = nlmsgerr(req.seq, k.portId, 1, req.bytes);
          const end = done(req.seq, k.portId);
          return split ? [[error], [end]] : [[Buffer.concat([error, end])]];
        };
        const { pool } = fakePool(script);
        const events = await record(dump(routeRequest, { pool }));
        expect(events).toHaveLength(1);
        expect(ending(events)).toMatchObject({ code: 'EPERM' });
      }
    });

    it('fails with the read’s error and closes the socket', async () => {
      const script: Script = (req, k) => [[route(req.seq, k.portId, 0)], new NetlinkSyscallError('no buffer space', 105, 'recvmsg')];
      const { pool, kernels } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0]);
      expect(ending(events)).toMatchObject({ code: 'ENOBUFS', syscall: 'recvmsg' });
      expect(kernels[0].closed).toBe(true);
    });
  });

  describe('rules 7 and 8: nothing received is skipped; done means done', () => {
    it('delivers every message of the last batch before completing, and frees the socket', async () => {
      const script: Script = (req, k) => [[Buffer.concat([...routes(req.seq, k.portId, 0, 10), done(req.seq, k.portId)])]];
      const { pool, kernels } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(events.slice(0, 10).map((e) => routeIndex((e as { next: NetlinkMessage }).next))).toEqual(range(10));
      expect(events[10]).toBe('complete');
      expect(events).toHaveLength(11);
      expect(kernels[0].closed).toBe(false);
      expect(pool.idleSockets).toBe(1);
    });

    it('completes on a DONE without payload', async () => {
      const script: Script = (req, k) => [[route(req.seq, k.portId, 0), done(req.seq, k.portId, 0, { bare: true })]];
      const { pool } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0]);
      expect(ending(events)).toBe('complete');
    });
  });

  describe('rule 9: cancellation frees the kernel', () => {
    it('closes the socket on unsubscribe mid-dump without reading the rest', async () => {
      const { pool, kernels } = fakePool(routeDump(1000, 10, 2));
      const events = await record(dump(routeRequest, { pool }).pipe(take(15)));
      expect(indexes(values(events))).toEqual(range(15));
      expect(kernels[0].reads).toBe(1);
      expect(kernels[0].closed).toBe(true);
      expect(pool.openSockets).toBe(0);
      // The next dump gets a fresh socket and sees the whole table, with no EBUSY.
      const next = await record(dump(routeRequest, { pool }));
      expect(values(next)).toHaveLength(1000);
      expect(kernels).toHaveLength(2);
      expect(kernels[1].busyRefusals).toBe(0);
    });

    it('closes the socket when unsubscribed while a read is pending', async () => {
      const script: Script = (req, k) => [[route(req.seq, k.portId, 0)]]; // and then nothing
      const { pool, kernels } = fakePool(script);
      const subscription = dump(routeRequest, { pool }).subscribe();
      await new Promise((r) => setTimeout(r, 10));
      expect(kernels[0].pendingRead).toBe(true);
      subscription.unsubscribe();
      expect(kernels[0].closed).toBe(true);
      expect(pool.openSockets).toBe(0);
    });
  });

  describe('rule 10: interrupted dumps are visible', () => {
    it('reads on after NLM_F_DUMP_INTR on a middle message, delivers everything, then fails', async () => {
      const script: Script = (req, k) => [
        [Buffer.concat([route(req.seq, k.portId, 0), route(req.seq, k.portId, 1, NLM_F_MULTI | NLM_F_DUMP_INTR)])],
        [Buffer.concat([route(req.seq, k.portId, 2), done(req.seq, k.portId)])],
      ];
      const { pool, kernels } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0, 1, 2]);
      expect(ending(events)).toBeInstanceOf(DumpInterruptedError);
      expect(ending(events)).toMatchObject({ code: 'EINTR', messages: 3 });
      expect(pool.idleSockets).toBe(1); // read to its end: the socket is reusable
      expect(kernels[0].closed).toBe(false);
    });

    it('fails when only NLMSG_DONE carries NLM_F_DUMP_INTR', async () => {
      const script: Script = (req, k) => [[route(req.seq, k.portId, 0), done(req.seq, k.portId, 0, { flags: NLM_F_DUMP_INTR })]];
      const { pool } = fakePool(script);
      const events = await record(dump(routeRequest, { pool }));
      expect(indexes(values(events))).toEqual([0]);
      expect(ending(events)).toBeInstanceOf(DumpInterruptedError);
    });
  });

  it('emits one array per read from dumpBatches', async () => {
    const { pool } = fakePool(routeDump(45, 10, 2));
    const events = await record(dumpBatches(routeRequest, { pool }));
    expect(values(events).map((b) => b.length)).toEqual([20, 20, 5]);
    expect(values(events).every((b) => b.every((m) => m.data === b[0].data))).toBe(true);
    expect(readHeader(values(events)[2][4].data, values(events)[2][4].offset).seq).toBe(values(events)[0][0].seq);
  });
});
