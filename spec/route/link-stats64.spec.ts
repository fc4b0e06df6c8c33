/**
 * decodeStats64 against Buffer's own 64-bit reader: every field at its
 * struct rtnl_link_stats64 offset, shorter (older) structs zero-filled,
 * longer (newer) ones read up to what we know.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStats64, type LinkStats64 } from '../../lib/route/link-info.js';

/** struct rtnl_link_stats64 (<linux/if_link.h>), in the kernel's order. */
const FIELDS: (keyof LinkStats64)[] = [
  'rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped',
  'multicast', 'collisions', 'rxLengthErrors', 'rxOverErrors', 'rxCrcErrors', 'rxFrameErrors',
  'rxFifoErrors', 'rxMissedErrors', 'txAbortedErrors', 'txCarrierErrors', 'txFifoErrors',
  'txHeartbeatErrors', 'txWindowErrors', 'rxCompressed', 'txCompressed', 'rxNohandler', 'rxOtherhostDropped',
];

describe('decodeStats64', () => {
  it('reads each __u64 at its offset, as readBigUInt64LE does, and 0 past a shorter struct', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 16 }), fc.uint8Array({ minLength: 30 * 8 + 16, maxLength: 30 * 8 + 16 }),
      (fields, offset, bytes) => {
        const data = Buffer.from(bytes);
        const stats = decodeStats64(data, offset, fields * 8);
        expect(Object.keys(stats)).toEqual(FIELDS);
        FIELDS.forEach((name, i) => {
          expect(stats[name]).toBe(i < fields ? Number(data.readBigUInt64LE(offset + 8 * i)) : 0);
        });
      }));
  });

  it('keeps counters exact up to 2^53', () => {
    const data = Buffer.alloc(FIELDS.length * 8);
    data.writeBigUInt64LE(2n ** 53n - 1n, 16); // rx_bytes
    data.writeBigUInt64LE(0xffff_ffffn, 24); // tx_bytes: the low word alone
    expect(decodeStats64(data, 0, data.length)).toMatchObject({ rxBytes: 2 ** 53 - 1, txBytes: 0xffff_ffff });
  });

  it('refuses a range outside the buffer', () => {
    expect(() => decodeStats64(Buffer.alloc(16), 8, 16)).toThrow(RangeError);
  });
});
