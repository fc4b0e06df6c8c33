/**
 * The family mechanism on crafted bytes: a description's compiled decoder
 * reads headers and every attribute type, records faults on the object
 * (never throws for them), keeps unknown attributes, decodes sub-messages by
 * their selector in any order, and throws only for a short fixed header.
 * Encoding a payload and decoding it back gives the same fields.
 */
import { describe, expect, it } from 'vitest';
import { attr, attributeSet, subMessages } from '../../lib/codec/attribute-set.js';
import {
  be16, binary, bool8, custom, flag, hex, inet, nested, s32, string, u16, u32, u64, u64n, u8, uint,
} from '../../lib/codec/attribute-type.js';
import { compileWalker, struct } from '../../lib/codec/compile-decoder.js';
import { readHeader } from '../../lib/codec/header.js';
import { describeMessage } from '../../lib/codec/message-description.js';
import { NetlinkDecodeError } from '../../lib/errors.js';

/** One attribute: nla_len, nla_type, payload, padding. */
function nla(type: number, payload: Uint8Array | number[]): Buffer {
  const body = Buffer.from(payload);
  const head = Buffer.alloc(4);
  head.writeUInt16LE(4 + body.length, 0);
  head.writeUInt16LE(type, 2);
  return Buffer.concat([head, body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
}

/** A message: nlmsghdr (type 100), the fixed header, the attributes. */
function message(fixed: number[], ...attributes: Buffer[]): ReturnType<typeof readHeader> {
  const body = Buffer.concat([Buffer.from(fixed), ...attributes]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(16 + body.length, 0);
  head.writeUInt16LE(100, 4);
  return readHeader(Buffer.concat([head, body]), 0);
}

const le32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };

const inner = attributeSet('INNER', { a: attr(1, u32), names: attr(2, string, { multi: true }) });
const bridge = attributeSet('BRIDGE', { prio: attr(1, u16) });
const info = attributeSet('INFO', {
  kind: attr(1, string),
  data: subMessages(2, 'kind', { bridge: ['bridge', bridge] }),
});
const header = struct('struct test', 8, { family: [0, u8], port: [2, be16], index: [4, s32] });
const attributes = attributeSet('TEST', {
  u8v: attr(1, u8),
  u16v: attr(2, u16),
  u32v: attr(3, u32),
  s32v: attr(4, s32),
  u64v: attr(5, u64),
  u64nv: attr(6, u64n),
  uintv: attr(7, uint),
  str: attr(8, string),
  on: attr(9, flag),
  bin: attr(10, binary),
  hexv: attr(11, hex),
  ip: attr(12, inet),
  yes: attr(13, bool8),
  inner: attr(14, nested(inner)),
  names: attr(15, nested(inner, 'names')),
  info: attr(16, nested(info)),
  pair: attr(17, custom('struct pair', (d, off) => [d[off], d[off + 1]] as const, { size: 2 })),
}, { ignore: [99] });
interface Test {
  family: number; port: number; index: number;
  [key: string]: unknown;
  unknown?: { type: number; data: Uint8Array }[];
  problems?: NetlinkDecodeError[];
}
const test = describeMessage<Test>('TEST_NEW', header, attributes);
const FIXED = [2, 0, 0x1f, 0x90, 0xff, 0xff, 0xff, 0xff];

describe('a compiled description', () => {
  it('reads the fixed header and every attribute type', () => {
    const big = Buffer.alloc(8);
    big.writeBigUInt64LE(2n ** 63n + 5n);
    const obj = test.decode(message(FIXED,
      nla(1, [7]), nla(2, [1, 2]), nla(3, le32(0xfffffffe)), nla(4, le32(0xfffffffe)), nla(5, big),
      nla(6, [1, 0, 0, 0, 1, 0, 0, 0]), nla(7, le32(9)), nla(8, Buffer.from('veth\0')), nla(9, []),
      nla(10, [1, 2, 3]), nla(11, [0xab, 0xcd]), nla(12, [10, 0, 0, 1]), nla(13, [1]),
      nla(14, Buffer.concat([nla(1, le32(5)), nla(2, Buffer.from('a\0')), nla(2, Buffer.from('b\0'))])),
      nla(15, Buffer.concat([nla(2, Buffer.from('x\0'))])),
      nla(17, [3, 4]), nla(99, [0, 0, 0, 0])));
    expect(obj).toEqual({
      family: 2, port: 8080, index: -1,
      u8v: 7, u16v: 0x201, u32v: 0xfffffffe, s32v: -2, u64v: 2n ** 63n + 5n, u64nv: 2 ** 32 + 1, uintv: 9,
      str: 'veth', on: true, bin: Uint8Array.of(1, 2, 3), hexv: 'abcd', ip: '10.0.0.1', yes: true,
      inner: { a: 5, names: ['a', 'b'] }, names: ['x'], pair: [3, 4],
    });
    expect(obj.problems).toBeUndefined();
    expect(obj.unknown).toBeUndefined();
  });

  it('keeps unknown attributes raw, flags stripped', () => {
    const obj = test.decode(message(FIXED, nla(0x8000 | 50, nla(1, [1, 2, 3, 4])), nla(3, le32(1))));
    expect(obj.u32v).toBe(1);
    expect(obj.unknown).toEqual([{ type: 50, data: Uint8Array.from(nla(1, [1, 2, 3, 4])) }]);
  });

  it('records a payload of the wrong size on the object and decodes the rest', () => {
    const obj = test.decode(message(FIXED, nla(3, [1, 2]), nla(7, [1, 2, 3]), nla(12, [1, 2, 3]), nla(1, [9])));
    expect(obj.u8v).toBe(9);
    expect(obj.u32v).toBeUndefined();
    expect(obj.problems?.map((p) => p.code)).toEqual(['EPROTO', 'EPROTO', 'EPROTO']);
    expect(obj.problems?.[0]).toBeInstanceOf(NetlinkDecodeError);
    expect(obj.problems?.[0].context).toEqual(['TEST']);
  });

  it('stops the walk at a length that runs past the message, keeping what came before', () => {
    const bad = nla(3, le32(1));
    bad.writeUInt16LE(200, 0);
    const obj = test.decode(message(FIXED, nla(1, [4]), bad));
    expect(obj.u8v).toBe(4);
    expect(obj.problems).toHaveLength(1);
    expect(obj.problems?.[0].message).toMatch(/runs past/);
  });

  it('records a fault inside a nest on the message, with the nest as context', () => {
    const obj = test.decode(message(FIXED, nla(14, Buffer.concat([nla(1, [1]), nla(2, Buffer.from('z\0'))]))));
    expect(obj.inner).toEqual({ names: ['z'] });
    expect(obj.problems?.[0].context).toEqual(['INNER']);
  });

  it('decodes a sub-message by its selector, whichever comes first, and keeps others raw', () => {
    const data = nla(2, nla(1, [0x80, 0]));
    const kind = nla(1, Buffer.from('bridge\0'));
    expect(test.decode(message(FIXED, nla(16, Buffer.concat([data, kind])))).info).toEqual({ kind: 'bridge', bridge: { prio: 0x80 } });
    expect(test.decode(message(FIXED, nla(16, Buffer.concat([kind, data])))).info).toEqual({ kind: 'bridge', bridge: { prio: 0x80 } });
    const other = test.decode(message(FIXED, nla(16, Buffer.concat([nla(1, Buffer.from('veth\0')), data])))).info;
    expect(other).toEqual({ kind: 'veth', data: [{ type: 1, data: Uint8Array.of(0x80, 0) }] });
  });

  it('throws a NetlinkDecodeError for a message shorter than its fixed header, and only then', () => {
    expect(() => test.decode(message([2, 0, 0]))).toThrow(NetlinkDecodeError);
    try {
      test.decode(message([2, 0, 0]));
    } catch (error) {
      expect((error as NetlinkDecodeError).code).toBe('EPROTO');
      expect((error as NetlinkDecodeError).context).toEqual(['TEST_NEW']);
    }
    expect(test.decode(message(FIXED)).family).toBe(2);
  });

  it('lets every shorter cut of a message decode or throw a NetlinkDecodeError, nothing else', () => {
    const whole = message(FIXED, nla(8, Buffer.from('veth0\0')), nla(14, nla(1, le32(3))), nla(16, nla(1, Buffer.from('x\0'))));
    for (let cut = 16; cut <= whole.length; cut++) {
      const msg = { ...whole, length: cut };
      try {
        test.decode(msg);
      } catch (error) {
        expect(error).toBeInstanceOf(NetlinkDecodeError);
      }
    }
  });

  it('encodes a payload that decodes back to the same fields', () => {
    const payload = test.encode({ family: 10, port: 53, index: 7 }, { u32v: 4, str: 'lo', on: true, inner: { a: 1 } });
    const obj = test.decodePayload(payload);
    expect(obj).toEqual({ family: 10, port: 53, index: 7, u32v: 4, str: 'lo', on: true, inner: { a: 1 } });
  });

  it('compiles a walker on its own, for attributes inside custom structs', () => {
    const walk = compileWalker(inner);
    const target: Record<string, unknown> = {};
    const data = Buffer.concat([nla(1, le32(8)), nla(7, [1])]);
    expect(walk(data, 0, data.length, target, target, undefined)).toBeUndefined();
    expect(target).toEqual({ a: 8, unknown: [{ type: 7, data: Uint8Array.of(1) }] });
  });

  it('refuses a description it cannot compile', () => {
    expect(() => struct('struct x', 2, { a: [0, u32] })).toThrow(/fixed-size/);
    expect(() => attributeSet('X', { a: attr(1, u8), b: attr(1, u16) })).toThrow(/twice/);
    expect(() => describeMessage('X', header, attributeSet('X', { 'not-a-name': attr(1, u8) }))).toThrow(/identifier/);
  });
});
