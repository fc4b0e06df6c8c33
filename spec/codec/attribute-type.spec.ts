/**
 * Attribute types that build on the mechanism: structOf reads a fixed struct
 * inside an attribute (the *_cacheinfo structs) inline, accepts a struct a
 * newer kernel grew, and refuses a short one as a problem on the object.
 */
import { describe, expect, it } from 'vitest';
import { attr, attributeSet } from '../../lib/codec/attribute-set.js';
import { s32, structOf, u16, u32, u8 } from '../../lib/codec/attribute-type.js';
import { struct } from '../../lib/codec/compile-decoder.js';
import { readHeader } from '../../lib/codec/header.js';
import { describeMessage } from '../../lib/codec/message-description.js';

const pair = struct('struct pair', 12, { a: [0, u32], b: [4, s32], c: [8, u16], d: [11, u8] });
const test = describeMessage<{ kind: number; pair?: { a: number; b: number; c: number; d: number }; problems?: unknown[] }>(
  'TEST', struct('struct test', 4, { kind: [0, u8] }), attributeSet('TEST', { pair: attr(1, structOf(pair)) }));

/** nlmsghdr, a 4-byte fixed header, then one attribute of type 1 with `payload`. */
function message(payload: number[]): ReturnType<typeof readHeader> {
  const pad = (4 - (payload.length % 4)) % 4;
  const b = Buffer.alloc(16 + 4 + 4 + payload.length + pad);
  b.writeUInt32LE(b.length, 0);
  b[16] = 7;
  b.writeUInt16LE(4 + payload.length, 20);
  b.writeUInt16LE(1, 22);
  Buffer.from(payload).copy(b, 24);
  return readHeader(b, 0);
}

const bytes = [0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0x34, 0x12, 0, 0x99];

describe('structOf', () => {
  it('reads every field at its offset, in the layout order', () => {
    const obj = test.decode(message(bytes));
    expect(obj).toEqual({ kind: 7, pair: { a: 0xffffffff, b: -2, c: 0x1234, d: 0x99 } });
    expect(Object.keys(obj.pair!)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('accepts a longer struct (fields a newer kernel appended) and reads the known ones', () => {
    expect(test.decode(message([...bytes, 1, 2, 3, 4])).pair).toEqual({ a: 0xffffffff, b: -2, c: 0x1234, d: 0x99 });
  });

  it('records a short struct as a problem (EPROTO) and leaves the field out', () => {
    const obj = test.decode(message(bytes.slice(0, 8)));
    expect(obj.pair).toBeUndefined();
    expect(obj.problems).toEqual([expect.objectContaining({ code: 'EPROTO' })]);
  });
});
