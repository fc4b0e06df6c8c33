/**
 * The fleet bucket's values: a decoded kernel object survives the trip
 * through JSON — byte arrays, bigints and errors included.
 */
import { describe, expect, it } from 'vitest';
import { decodeFleetValue, encodeFleetValue } from '../../lib/fleet/fleet-value.js';
import { sameObject } from '../../lib/live/same-object.js';

describe('encodeFleetValue / decodeFleetValue', () => {
  it('round-trip byte arrays, bigints, errors and nested objects; undefined fields vanish', () => {
    const problem = Object.assign(new Error('attribute 3 truncated'), { code: 'EPROTO' });
    const value = {
      ifindex: 3, ifname: 'va', gone: undefined, address: new Uint8Array([0xde, 0xad]),
      stats64: { rxBytes: 18446744073709551615n }, unknown: [{ type: 26, data: Buffer.from('0102', 'hex') }],
      multipath: [{ gateway: '10.0.0.1', ifindex: 2 }], problems: [problem],
    };
    const text = encodeFleetValue(value);
    expect(text).not.toContain('gone');
    const back = decodeFleetValue(text) as typeof value;
    expect(sameObject(back, value)).toBe(true);
    expect(back.address).toBeInstanceOf(Uint8Array);
    expect(back.stats64.rxBytes).toBe(18446744073709551615n);
    expect(back.problems[0]).toBeInstanceOf(Error);
    expect((back.problems[0] as Error & { code?: string }).code).toBe('EPROTO');
  });

  it('a changed byte is a different object after the trip', () => {
    const a = decodeFleetValue(encodeFleetValue({ data: new Uint8Array([1, 2]) }));
    expect(sameObject(a, { data: new Uint8Array([1, 3]) })).toBe(false);
  });

  it('throws on text that is not JSON (the consumer skips such a value)', () => {
    expect(() => decodeFleetValue('{')).toThrow(SyntaxError);
  });
});
