/**
 * Uint32PairSet: the (id, tuple hash) memory of a streamed conntrack dump.
 */
import { describe, expect, it } from 'vitest';
import { Uint32PairSet } from '../../lib/netfilter/uint32-pair-set.js';

describe('Uint32PairSet', () => {
  it('adds a pair once, tells pairs sharing either number apart, and holds the whole u32 range', () => {
    const set = new Uint32PairSet();
    expect(set.add(7, 1)).toBe(true);
    expect(set.add(7, 1)).toBe(false);
    expect(set.add(7, 2)).toBe(true);
    expect(set.add(1, 7)).toBe(true);
    expect(set.add(0xffffffff, 0)).toBe(true);
    expect(set.add(0xffffffff, 0)).toBe(false);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    expect(set.size).toBe(5);
  });

  it('keeps every pair across growth (300,000 pairs, each repeated)', () => {
    const set = new Uint32PairSet();
    let added = 0;
    for (let i = 0; i < 300_000; i++) if (set.add((i * 2654435761) >>> 0, i & 7)) added++;
    for (let i = 0; i < 300_000; i++) if (set.add((i * 2654435761) >>> 0, i & 7)) added++;
    expect(added).toBe(300_000);
    expect(set.size).toBe(300_000);
  });
});
