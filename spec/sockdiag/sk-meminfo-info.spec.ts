/** The SK_MEMINFO_* array at the lengths kernels have sent (8 entries before `drops`, 9 since 4.4, more later). */
import { describe, expect, it } from 'vitest';
import { skMeminfo } from '../../lib/sockdiag/sk-meminfo-info.js';

const array = (...values: number[]) => { const b = Buffer.alloc(4 * values.length); values.forEach((v, i) => b.writeUInt32LE(v, 4 * i)); return b; };
const decode = (b: Buffer) => skMeminfo.decode!(b, 0, b.length, {}, []);

describe('skMeminfo', () => {
  it('reads the nine fields by their SK_MEMINFO_* index', () => {
    expect(decode(array(1, 2, 3, 4, 5, 6, 7, 8, 9))).toEqual({
      rmemAlloc: 1, rcvbuf: 2, wmemAlloc: 3, sndbuf: 4, fwdAlloc: 5, wmemQueued: 6, optmem: 7, backlog: 8, drops: 9,
    });
  });

  it('leaves out what a shorter array lacks, and indexes a newer kernel added', () => {
    expect(decode(array(1, 2, 3, 4, 5, 6, 7, 8))).not.toHaveProperty('drops');
    expect(Object.keys(decode(array(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)))).toHaveLength(9);
  });
});
