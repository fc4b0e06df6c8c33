/**
 * NeighborFilter's JavaScript-only selectors (dst prefix, protocol) and its
 * `noMaster`, which travels as NDA_MASTER -1.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET } from '../../lib/route/constants.js';
import { decodeNeighborRequest, matchNeighbor, neighborRequest, type Neighbor } from '../../lib/route/neighbor-decode.js';

const entry = (fields: Partial<Neighbor>): Neighbor => ({ family: AF_INET, ifindex: 2, state: 0x80, flags: 0, type: 1, ...fields });

describe('NeighborFilter', () => {
  it('selects by destination prefix and by protocol (absent is 0)', () => {
    expect(matchNeighbor(entry({ dst: '10.1.0.3' }), { dst: '10.1.0.2/31' })).toBe(true);
    expect(matchNeighbor(entry({ dst: '10.1.0.4' }), { dst: '10.1.0.2/31' })).toBe(false);
    expect(matchNeighbor(entry({ dst: '10.1.0.4' }), { dst: 'all' })).toBe(true);
    expect(matchNeighbor(entry({ protocol: 4 }), { protocol: 4 })).toBe(true);
    expect(matchNeighbor(entry({}), { protocol: 4 })).toBe(false);
  });

  it('sends nomaster as NDA_MASTER 0xffffffff and reads it back', () => {
    const payload = Buffer.from(neighborRequest({ noMaster: true }).payload);
    // struct ndmsg (12 bytes, zero), NDA_MASTER (9) = 0xffffffff.
    expect(payload.toString('hex')).toBe('000000000000000000000000' + '08000900ffffffff');
    expect(decodeNeighborRequest(payload)).toStrictEqual({ noMaster: true });
  });
});
