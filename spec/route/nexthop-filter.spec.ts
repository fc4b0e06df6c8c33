/**
 * NexthopFilter's id (a do-request with NHA_ID), master and protocol; the
 * bucket filter's family and index (a do-request for one bucket).
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_UNSPEC } from '../../lib/route/constants.js';
import {
  decodeNexthopBucketRequest, matchNexthopBucket, nexthopBucketRequest, type NexthopBucket,
} from '../../lib/route/nexthop-bucket-decode.js';
import { decodeNexthopRequest, matchNexthop, nexthopRequest, type Nexthop } from '../../lib/route/nexthop-decode.js';

const single: Nexthop = { family: AF_INET, scope: 253, protocol: 4, flags: 0, id: 1, blackhole: false, fdb: false, oif: 2, gateway: '10.1.0.2' };
const group: Nexthop = { family: AF_UNSPEC, scope: 0, protocol: 0, flags: 0, id: 10, blackhole: false, fdb: false, group: [{ id: 1, weight: 1 }] };

describe('nexthopRequest with an id', () => {
  it('is a do-request carrying NHA_ID alone, and reads back', () => {
    const request = nexthopRequest({ id: 10, ifindex: 2 });
    expect(request.dump).toBe(false);
    // nhmsg (zero), NHA_ID 10: the device is not a get's business.
    expect(Buffer.from(request.payload).toString('hex')).toBe('0000000000000000' + '080001000a000000');
    expect(decodeNexthopRequest(request.payload)).toStrictEqual({ id: 10 });
  });

  it('without an id stays a dump and carries the master in NHA_MASTER', () => {
    const request = nexthopRequest({ master: 5 });
    expect(request.dump).toBeUndefined();
    expect(decodeNexthopRequest(request.payload)).toStrictEqual({ master: 5 });
  });
});

describe('matchNexthop', () => {
  it('re-applies the id and the protocol', () => {
    expect(matchNexthop(single, { id: 1 })).toBe(true);
    expect(matchNexthop(single, { id: 2 })).toBe(false);
    expect(matchNexthop(single, { protocol: 4 })).toBe(true);
    expect(matchNexthop(single, { protocol: 3 })).toBe(false);
  });

  it('leaves groups out of a master filter, as the kernel does, and leaves the master itself to the kernel', () => {
    expect(matchNexthop(group, { master: 5 })).toBe(false);
    expect(matchNexthop(single, { master: 5 })).toBe(true);
  });
});

describe('nexthopBucketRequest with an index', () => {
  it('is a do-request for that bucket of the group, NHA_RES_BUCKET_INDEX nested', () => {
    const request = nexthopBucketRequest({ id: 10, index: 3 });
    expect(request.dump).toBe(false);
    // nhmsg (zero), NHA_ID 10, NHA_RES_BUCKET (NLA_F_NESTED) { NHA_RES_BUCKET_INDEX 3 (u16) }.
    expect(Buffer.from(request.payload).toString('hex')).toBe('0000000000000000' + '080001000a000000' + '0c000d80' + '0600010003000000');
    expect(decodeNexthopBucketRequest(request.payload)).toStrictEqual({ id: 10, index: 3 });
  });

  it('puts the family in struct nhmsg, and selects by index', () => {
    expect(decodeNexthopBucketRequest(nexthopBucketRequest({ family: 'inet6' }).payload)).toStrictEqual({ family: 'inet6' });
    const bucket: NexthopBucket = { family: AF_UNSPEC, scope: 0, protocol: 0, flags: 0, id: 10, bucket: { index: 3, nhid: 1 } };
    expect(matchNexthopBucket(bucket, { index: 3 })).toBe(true);
    expect(matchNexthopBucket(bucket, { index: 4 })).toBe(false);
  });
});
