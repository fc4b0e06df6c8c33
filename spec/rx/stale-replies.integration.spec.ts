/**
 * Rule 4 on the real kernel: replies of an earlier request that nobody read
 * are still queued on a socket when its next dump starts; the dump drops
 * them (another nlmsg_seq) and delivers exactly its own messages. The stale
 * replies here are real: the RTM_NEWLINK and the ack of an RTM_GETLINK
 * request for `lo`, left unread on the socket the next dump runs on. (A dump
 * abandoned mid-way cannot leave stale replies for the next one: its socket
 * is closed — rule 9, spec/rx/dump.integration.spec.ts.)
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETLINK_ROUTE, NLM_F_ACK, NLM_F_REQUEST, writeHeader } from '../../lib/codec/header.js';
import { splitMessages } from '../../lib/codec/message.js';
import type { Transport } from '../../lib/transport/transport.js';
import { RTM_GETLINK, RTM_NEWLINK } from '../../lib/route/constants.js';
import { linkRequest } from '../../lib/route/link-decode.js';
import { dumpWith } from '../../lib/rx/dump-with.js';
import { NetlinkSocket } from '../../lib/transport/netlink-socket.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const STALE_SEQ = 0x7fff_0001;

/** The socket, with every nlmsg_seq it read recorded: proof the stale replies reached the reader. */
function tapped(socket: NetlinkSocket): { transport: Transport; seen: Set<number> } {
  const seen = new Set<number>();
  const transport: Transport = {
    get portId() { return socket.portId; },
    get closed() { return socket.closed; },
    send: (data) => socket.send(data),
    read: async () => {
      const batch = await socket.read();
      for (const msg of splitMessages(batch).messages) seen.add(msg.seq);
      return batch;
    },
    close: () => socket.close(),
    addMembership: (group) => socket.addMembership(group),
    dropMembership: (group) => socket.dropMembership(group),
    ref: () => socket.ref(),
    unref: () => socket.unref(),
  };
  return { transport, seen };
}

describe.skipIf(!isRoot)('stale replies on the real kernel (rule 4)', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('stale');
    for (let i = 0; i < 20; i++) ns.ip('link', 'add', `s${i}`, 'type', 'veth', 'peer', 'name', `t${i}`);
  });
  afterAll(() => ns?.remove());

  it('drops the queued reply of an unread request and delivers only the dump\'s own messages', async () => {
    const socket = new NetlinkSocket(NETLINK_ROUTE, { netns: ns.name });
    try {
      // RTM_GETLINK for ifindex 1 (lo), not a dump: its RTM_NEWLINK and its ack are queued, unread.
      const request = Buffer.alloc(32);
      writeHeader(request, 0, 32, { type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_ACK, seq: STALE_SEQ });
      request.writeInt32LE(1, 16 + 4);
      socket.send(request);
      const { transport, seen } = tapped(socket);
      const batches = await lastValueFrom(dumpWith(transport, linkRequest()).pipe(toArray()));
      const messages = batches.flat();
      expect(seen.has(STALE_SEQ)).toBe(true);
      const seqs = new Set(messages.map((m) => m.seq));
      expect(seqs.has(STALE_SEQ)).toBe(false);
      expect(seqs.size).toBe(1);
      const links = messages.filter((m) => m.type === RTM_NEWLINK);
      expect(links).toHaveLength(ns.ipJson<unknown[]>('link', 'show').length);
    } finally {
      socket.close();
    }
  });
});
