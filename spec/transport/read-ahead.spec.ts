/**
 * The read-ahead reader on the real kernel (DESIGN.md rule 2): it must never
 * produce an error, a reply or a delay that a demand-driven read would not.
 *
 * The bug these specs pin down: the reader thread polled the socket between
 * dumps, so when the next request was sent its recvmsg could take the DONE
 * that sendmsg (netlink_dump_start) had just queued while that dump was still
 * being finished. netlink_recvmsg reads cb_running without cb_mutex, so it
 * went on to step a dump that was over: netlink_dump returned -EINVAL into
 * sk_err, and the next read of an unrelated dump failed with EINVAL
 * (~1 in 1,000–10,000 small dumps, depending on load).
 */
import { lastValueFrom, toArray } from 'rxjs';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETLINK_ROUTE, NLMSG_DONE, NLMSG_ERROR, readHeader } from '../../lib/codec/header.js';
import { rtnetlink } from '../../lib/client/rtnetlink.js';
import { NetlinkSocket } from '../../lib/transport/netlink-socket.js';
import { rawDumpRequest } from '../helpers/raw-dump-request.js';
import { addRoutes, createNetns, isRoot, type Netns } from '../helpers/netns.js';

// From <linux/rtnetlink.h>.
const RTM_GETLINK = 18;
const RTM_GETROUTE = 26;
const IFINFOMSG_SIZE = 16;
const RTMSG_SIZE = 12;

/** Reads one dump to its NLMSG_DONE; returns its reads and data messages. */
async function readDump(socket: NetlinkSocket): Promise<{ reads: number; messages: number }> {
  let reads = 0;
  let messages = 0;
  for (;;) {
    const batch = await socket.read();
    reads++;
    for (let at = 0; at < batch.data.length;) {
      const msg = readHeader(batch.data, at);
      if (msg.type === NLMSG_DONE) return { reads, messages };
      if (msg.type === NLMSG_ERROR) throw new Error(`dump failed: errno ${-batch.data.readInt32LE(at + 16)}`);
      messages++;
      at += (msg.length + 3) & ~3;
    }
  }
}

/** Waits until `condition` holds; throws when it does not within 10 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 1) {
    if (waited > 10_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const threads = () => readdirSync('/proc/self/task').length;

describe.skipIf(!isRoot)('read-ahead (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('ahead');
    ns.ip('link', 'add', 'ra0', 'type', 'veth', 'peer', 'name', 'ra1');
    ns.ip('link', 'set', 'ra0', 'up');
    ns.ip('link', 'set', 'ra1', 'up');
    ns.ip('nexthop', 'add', 'id', '7', 'dev', 'ra0');
    // A routes dump of several batches (~100 bytes a route, 128 KiB a batch).
    addRoutes(ns, 'ra0', 5000);
  });
  afterAll(() => ns?.remove());

  it('runs 20,000 small dumps on the default client without an error', async () => {
    const client = rtnetlink({ netns: ns.name });
    const failures = new Map<string, number>();
    let largeDumps = 0;
    try {
      for (let i = 0; i < 20_000; i++) {
        try {
          // Every 2,500 dumps a large one wakes the socket's reader thread, which the small ones must then leave alone.
          if (i % 2500 === 0) {
            const routes = await lastValueFrom(client.routes({ family: 'inet', table: 'main' }).pipe(toArray()));
            expect(routes.length).toBeGreaterThanOrEqual(5000);
            largeDumps++;
          }
          // Both dumps fit in one datagram: the namespace has one nexthop (id 7) and three links.
          const rows = i % 2 === 0
            ? await lastValueFrom(client.nexthops().pipe(toArray()))
            : await lastValueFrom(client.links().pipe(toArray()));
          expect(rows.length).toBe(i % 2 === 0 ? 1 : 3);
        } catch (error) {
          const code = (error as { code?: string }).code ?? String(error);
          failures.set(code, (failures.get(code) ?? 0) + 1);
        }
      }
    } finally {
      client.close();
    }
    expect(largeDumps).toBe(8);
    expect(Object.fromEntries(failures)).toEqual({});
  }, 120_000);

  it('reads a one-batch reply on the event loop: no reader thread is started', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, readAhead: 2 });
    const before = threads();
    try {
      for (let seq = 1; seq <= 200; seq++) {
        socket.send(rawDumpRequest(RTM_GETLINK, IFINFOMSG_SIZE, seq));
        expect(await readDump(socket)).toEqual({ reads: 1, messages: 3 });
      }
      expect(threads()).toBe(before);
      expect(socket.readAheadQueued).toBe(-1);
    } finally {
      socket.close();
    }
  });

  it('starts the reader on a reply’s second read, and reads no more than readAhead batches ahead', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, readAhead: 2, batchDatagrams: 1 });
    try {
      socket.send(rawDumpRequest(RTM_GETROUTE, RTMSG_SIZE, 1));
      await socket.read();
      expect(socket.readAheadQueued).toBe(-1);
      await socket.read(); // the reply turned out long: the thread takes over
      await until(() => socket.readAheadQueued === 2, 'the reader has filled its queue');
      // Two batches delivered and two queued, of one datagram each (the dump has ~10): the thread waits for room.
      expect(socket.recvCalls).toBe(4);
    } finally {
      socket.close();
    }
  });

  it('leaves a request sent after a long dump to the event loop, whatever the reader thread was doing', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, readAhead: 2, batchBytes: 32768 });
    try {
      for (let seq = 1; seq <= 2000; seq++) {
        if (seq % 100 === 1) {
          socket.send(rawDumpRequest(RTM_GETROUTE, RTMSG_SIZE, seq));
          expect((await readDump(socket)).messages).toBeGreaterThanOrEqual(5000);
          continue;
        }
        socket.send(rawDumpRequest(RTM_GETLINK, IFINFOMSG_SIZE, seq));
        expect(await readDump(socket)).toEqual({ reads: 1, messages: 3 });
        expect(socket.readAheadQueued).toBe(0); // nothing was read ahead of this dump
      }
    } finally {
      socket.close();
    }
  });
});
