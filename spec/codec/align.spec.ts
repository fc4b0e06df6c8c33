import { describe, expect, it } from 'vitest';
import { align } from '../../lib/codec/align.js';

describe('align (NLMSG_ALIGN)', () => {
  it('rounds up to a multiple of 4', () => {
    expect([0, 1, 2, 3, 4, 5, 16, 17].map(align)).toEqual([0, 4, 4, 4, 4, 8, 16, 20]);
  });

  it('stays exact for lengths read from the wire near and past 2^32 (no 32-bit wrap)', () => {
    expect(align(0x7fff_ffff)).toBe(0x8000_0000);
    expect(align(0xffff_fffd)).toBe(0x1_0000_0000);
    expect(align(0xffff_ffff + 4)).toBe(0x1_0000_0004);
    expect(align(2 ** 40 + 1)).toBe(2 ** 40 + 4);
  });
});
