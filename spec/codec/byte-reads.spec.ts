/**
 * The hot paths read integers with plain byte arithmetic instead of Buffer's
 * checked readers: splitMessages (the header fields), AttributeCursor.next
 * (nla_len, nla_type) and AttributeCursor.u32. These properties pin them to
 * Buffer's readers over any bytes, high bits included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeCursor } from '../../lib/codec/attributes.js';
import { readHeader } from '../../lib/codec/header.js';
import { splitMessages } from '../../lib/codec/message.js';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const u16 = fc.integer({ min: 0, max: 0xffff });

describe('integer reads by byte arithmetic', () => {
  it('splitMessages reads every header field as readHeader does', () => {
    fc.assert(fc.property(fc.array(fc.record({ type: u16, flags: u16, seq: u32, pid: u32, extra: fc.integer({ min: 0, max: 9 }) }), { minLength: 1, maxLength: 6 }), (headers) => {
      const parts = headers.map((h) => {
        const msg = Buffer.alloc(16 + ((h.extra + 3) & ~3));
        msg.writeUInt32LE(16 + h.extra, 0);
        msg.writeUInt16LE(h.type, 4);
        msg.writeUInt16LE(h.flags, 6);
        msg.writeUInt32LE(h.seq, 8);
        msg.writeUInt32LE(h.pid, 12);
        return msg;
      });
      const data = Buffer.concat(parts);
      const { messages, error } = splitMessages({ data, ends: Uint32Array.of(data.length), truncated: false });
      expect(error).toBeUndefined();
      expect(messages).toHaveLength(headers.length);
      for (const msg of messages) expect(msg).toEqual(readHeader(data, msg.offset));
      expect(messages.map((m) => [m.type, m.flags, m.seq, m.pid])).toEqual(headers.map((h) => [h.type, h.flags, h.seq, h.pid]));
    }));
  });

  it('AttributeCursor reads nla_type and a u32 payload as Buffer does', () => {
    fc.assert(fc.property(u16, u32, (rawType, value) => {
      const attr = Buffer.alloc(8);
      attr.writeUInt16LE(8, 0);
      attr.writeUInt16LE(rawType, 2);
      attr.writeUInt32LE(value, 4);
      const c = new AttributeCursor(attr, 0, 8);
      expect(c.next()).toBe(true);
      expect(c.rawType).toBe(rawType);
      expect(c.type).toBe(rawType & 0x3fff);
      expect(c.length).toBe(4);
      expect(c.u32()).toBe(value);
      expect(c.next()).toBe(false);
      expect(c.error).toBeUndefined();
    }));
  });

  it('AttributeCursor still stops on an nla_len past its container, even with the high byte set', () => {
    const attr = Buffer.from([0x08, 0x80, 0x01, 0x00, 0, 0, 0, 0]); // nla_len 0x8008
    const c = new AttributeCursor(attr, 0, 8);
    expect(c.next()).toBe(false);
    expect(c.error?.code).toBe('EPROTO');
  });
});
