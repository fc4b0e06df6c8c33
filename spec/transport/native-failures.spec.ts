/**
 * The native reader's failure paths: each ends as a JS error on the pending
 * read (or the constructor), never as a hang, a leaked fd or a leaked thread.
 * The addon's `testFault` option makes one native step fail on purpose.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageWriter } from '../../lib/codec/attributes.js';
import { NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST } from '../../lib/codec/header.js';
import { loadNative, type NativeError, type NativeSocket, type NativeSocketOptions } from '../../lib/transport/native.js';
import { addRoutes, createNetns, isRoot, openFds, type Netns } from '../helpers/netns.js';

const RTM_GETROUTE = 26;
const threads = () => readdirSync('/proc/self/task').length;

function routeDump(seq: number): Buffer {
  const w = new MessageWriter();
  w.begin({ type: RTM_GETROUTE, flags: NLM_F_REQUEST | NLM_F_DUMP, seq });
  w.struct(12);
  return w.end();
}

/** One native read as a promise of its error (undefined when it delivered a batch). */
function read(socket: NativeSocket): Promise<NativeError | undefined> {
  return new Promise((resolve) => socket.read((error) => resolve(error ?? undefined)));
}

describe.skipIf(!isRoot)('native failure paths (real kernel)', () => {
  let ns: Netns;

  beforeAll(() => {
    ns = createNetns('fault');
    ns.ip('link', 'add', 'f0', 'type', 'veth', 'peer', 'name', 'f1');
    ns.ip('link', 'set', 'f0', 'up');
    addRoutes(ns, 'f0', 3000); // a dump of several 32 KiB batches
  });
  afterAll(() => ns?.remove());

  const open = (options: NativeSocketOptions) =>
    new (loadNative().NetlinkSocket)(NETLINK_ROUTE, { netnsPath: `/run/netns/${ns.name}`, batchBytes: 32768, ...options });

  it('closes the fd when the constructor throws after opening it', () => {
    const before = openFds();
    for (let i = 0; i < 200; i++) {
      expect(() => open({ testFault: 'open' })).toThrow(expect.objectContaining({ code: 'EIO', syscall: 'open' }));
    }
    expect(openFds()).toBe(before);
  });

  it.each([
    ['uv_async_init fails', 'async', { code: 'ENOMEM', syscall: 'uv_async_init' }],
    ['the thread cannot be created', 'thread', { code: 'EAGAIN', syscall: 'pthread_create' }],
    ['poll() fails in the reader thread', 'poll', { code: 'ENOMEM' }],
  ] as const)('fails the pending read when %s, and leaks nothing', async (_name, fault, expected) => {
    const fds = openFds();
    const before = threads();
    for (let i = 0; i < 20; i++) {
      const socket = open({ readAhead: 2, testFault: fault });
      socket.send(routeDump(1));
      expect(await read(socket)).toBeUndefined(); // the first read runs on the event loop
      expect(await read(socket)).toMatchObject(expected); // the second one would start the reader
      socket.close();
    }
    expect(openFds()).toBe(fds);
    expect(threads()).toBe(before);
  });

  it('reports a reader that failed on every later read, until closed', async () => {
    const socket = open({ readAhead: 2, testFault: 'poll' });
    try {
      socket.send(routeDump(1));
      await read(socket);
      for (let i = 0; i < 3; i++) expect(await read(socket)).toMatchObject({ code: 'ENOMEM' });
    } finally {
      socket.close();
    }
    expect(socket.stats().closed).toBe(true);
  });
});
