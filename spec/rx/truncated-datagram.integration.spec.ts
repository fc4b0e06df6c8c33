/**
 * Rule 5 on the real kernel: a datagram that recvmsg cuts (a receive buffer
 * smaller than the kernel's dump chunk) fails the dump with `EPROTO` — the
 * messages of the whole datagrams before it are delivered, nothing after it,
 * and nothing is silently shortened. The addon never cuts on its own (it
 * peeks each datagram's size), so its `truncate` test fault receives into
 * 256 bytes to make the kernel do it.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETLINK_ROUTE } from '../../lib/codec/header.js';
import { NetlinkError } from '../../lib/errors.js';
import { linkRequest } from '../../lib/route/link-decode.js';
import { dumpWith } from '../../lib/rx/dump-with.js';
import { NetlinkSocket, type SocketOptions } from '../../lib/transport/netlink-socket.js';
import type { NativeSocketOptions } from '../../lib/transport/native.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

describe.skipIf(!isRoot)('a truncated datagram on the real kernel (rule 5)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('trunc');
    for (let i = 0; i < 10; i++) ns.ip('link', 'add', `c${i}`, 'type', 'veth', 'peer', 'name', `d${i}`);
  });
  afterAll(() => ns?.remove());

  const open = (testFault?: NativeSocketOptions['testFault']) =>
    new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name, testFault } as SocketOptions);

  it('fails the dump with EPROTO, after the kernel cut a datagram the reader could not hold', async () => {
    const socket = open('truncate');
    let cut = 0;
    const read = socket.read.bind(socket);
    socket.read = async () => {
      const batch = await read();
      if (batch.truncated) cut++;
      return batch;
    };
    try {
      const error = await lastValueFrom(dumpWith(socket, linkRequest()).pipe(toArray())).then(
        () => undefined, (e: unknown) => e);
      expect(cut).toBe(1); // the kernel really cut one: a link message alone is longer than 256 bytes
      expect(error).toBeInstanceOf(NetlinkError);
      expect((error as NetlinkError).code).toBe('EPROTO');
      expect((error as NetlinkError).message).toMatch(/truncat/i);
    } finally {
      socket.close();
    }
  });

  it('the same dump on a socket that receives whole datagrams delivers every link', async () => {
    const socket = open();
    try {
      const batches = await lastValueFrom(dumpWith(socket, linkRequest()).pipe(toArray()));
      const links = batches.flat().filter((m) => m.type === 16 /* RTM_NEWLINK */);
      expect(links).toHaveLength(ns.ipJson<unknown[]>('link', 'show').length);
    } finally {
      socket.close();
    }
  });
});
