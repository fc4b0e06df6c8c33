/**
 * NeighborFilter's JavaScript-only selectors (dst prefix, protocol) and its
 * `noMaster`, which travels as NDA_MASTER -1; the get request of one entry.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET } from '../../lib/route/constants.js';
import { NetlinkError } from '../../lib/errors.js';
import {
  decodeNeighborRequest, matchNeighbor, neighborGetRequest, neighborRequest, type Neighbor,
} from '../../lib/route/neighbor-decode.js';

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

describe('neighborGetRequest', () => {
  it('is a do-request: family, device and NTF_PROXY in struct ndmsg, the address in NDA_DST', () => {
    const request = neighborGetRequest({ dst: '10.1.0.2', ifindex: 3, proxy: true });
    expect(request.dump).toBe(false);
    // ndmsg: AF_INET, pads, ifindex 3, state 0, flags NTF_PROXY, type 0; NDA_DST 10.1.0.2.
    expect(Buffer.from(request.payload).toString('hex')).toBe('02000000' + '03000000' + '0000' + '08' + '00' + '080001000a010002');
    expect(Buffer.from(neighborGetRequest({ dst: '2001:db8::1', ifindex: 1 }).payload).subarray(0, 1)[0]).toBe(10);
  });

  it('refuses what is not an address with a NetlinkError (EINVAL), before sending anything', () => {
    expect(() => neighborGetRequest({ dst: 'router', ifindex: 1 })).toThrow(NetlinkError);
  });
});
