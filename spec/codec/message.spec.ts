import { describe, expect, it } from 'vitest';
import { messageEnd, payloadOffset, splitMessages } from '../../lib/codec/message.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import type { Batch } from '../../lib/transport/transport.js';
import { done, nlmsg, route, routeIndex } from '../helpers/fake-kernel.js';

function batch(datagrams: Buffer[], truncated = false): Batch {
  const ends = new Uint32Array(datagrams.length);
  let end = 0;
  datagrams.forEach((d, i) => (ends[i] = end += d.length));
  return { data: Buffer.concat(datagrams), ends, truncated };
}

describe('splitMessages', () => {
  it('returns every message of every datagram, in order, as views into the batch', () => {
    const b = batch([Buffer.concat([route(7, 9, 0), route(7, 9, 1)]), Buffer.concat([route(7, 9, 2), done(7, 9)])]);
    const { messages, error } = splitMessages(b);
    expect(error).toBeUndefined();
    expect(messages.map((m) => m.type)).toEqual([24, 24, 24, 3]);
    expect(messages.slice(0, 3).map(routeIndex)).toEqual([0, 1, 2]);
    expect(messages.every((m) => m.data === b.data)).toBe(true);
    expect(messages[1].offset).toBe(route(7, 9, 0).length);
    expect(messages[0]).toMatchObject({ seq: 7, pid: 9, flags: 2 });
    expect(payloadOffset(messages[0])).toBe(16);
    expect(messageEnd(messages[0])).toBe(messages[0].length);
  });

  it('accepts a last message whose padding was left out', () => {
    // nlmsg_len 17: one payload byte, and the datagram ends right there.
    const odd = nlmsg({ type: 0x20, seq: 1, pid: 1, payload: Uint8Array.of(5) }).subarray(0, 17);
    const { messages, error } = splitMessages(batch([odd, done(1, 1)]));
    expect(error).toBeUndefined();
    expect(messages.map((m) => m.length)).toEqual([17, 20]);
  });

  it('fails with EPROTO on a header shorter than 16 bytes, after the whole messages before it', () => {
    const cut = route(1, 1, 1).subarray(0, 10);
    const { messages, error } = splitMessages(batch([Buffer.concat([route(1, 1, 0), cut])]));
    expect(messages.map(routeIndex)).toEqual([0]);
    expect(error).toBeInstanceOf(NetlinkDecodeError);
    expect(error).toMatchObject({ code: 'EPROTO', offset: route(1, 1, 0).length });
  });

  it('fails with EPROTO on nlmsg_len below 16', () => {
    const { messages, error } = splitMessages(batch([nlmsg({ type: 0x20, seq: 1, pid: 1, length: 8 })]));
    expect(messages).toEqual([]);
    expect(error).toMatchObject({ code: 'EPROTO', offset: 0 });
  });

  it('fails with EPROTO on a length that runs past its datagram, even when the batch goes on', () => {
    const long = nlmsg({ type: 0x20, seq: 1, pid: 1, payload: new Uint8Array(8), length: 40 });
    // The next datagram has 40+ bytes: only the datagram boundary catches the lie.
    const { messages, error } = splitMessages(batch([Buffer.concat([route(1, 1, 0), long]), Buffer.concat([route(1, 1, 1), route(1, 1, 2)])]));
    expect(messages.map(routeIndex)).toEqual([0]);
    expect(error).toMatchObject({ code: 'EPROTO', offset: route(1, 1, 0).length });
  });

  it('fails with EPROTO on a datagram truncated by recvmsg, keeping the datagrams before it', () => {
    const first = Buffer.concat([route(1, 1, 0), route(1, 1, 1)]);
    const { messages, error } = splitMessages(batch([first, Buffer.concat([route(1, 1, 2), route(1, 1, 3)])], true));
    expect(messages.map(routeIndex)).toEqual([0, 1]);
    expect(error).toMatchObject({ code: 'EPROTO', offset: first.length });
  });

  it.each([
    ['past the buffer', [20], 16],
    ['falling', [16, 8], 32],
    ['near 2^32', [0xffff_fff0], 16],
  ])('fails with EPROTO on datagram ends %s (a transport’s framing is checked too)', (_name, ends, size) => {
    const data = Buffer.concat([done(1, 1, 0, { bare: true }), Buffer.alloc(size - 16)]);
    const { error } = splitMessages({ data, ends: Uint32Array.from(ends), truncated: false });
    expect(error).toBeInstanceOf(NetlinkDecodeError);
    expect(error?.code).toBe('EPROTO');
  });

  it('returns nothing for an empty batch', () => {
    expect(splitMessages(batch([]))).toEqual({ messages: [] });
  });
});
