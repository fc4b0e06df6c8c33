/**
 * Conntrack expectations: the description on crafted bytes (this kernel will
 * not create one without a helper module: a userspace `conntrack -I expect`
 * answers EOPNOTSUPP, and loading a helper module is a host-wide change),
 * the request, and the dump on the real kernel — an empty table in a
 * throw-away namespace, read without error.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import {
  decodeExpectation, EXPECTATION_NEW_TYPE, expectationSelector, expectationsRequest,
} from '../../lib/netfilter/expectation-decode.js';
import { conntrackExpectations } from '../../lib/netfilter/expectations.js';
import {
  CTA_EXPECT_CLASS, CTA_EXPECT_FLAGS, CTA_EXPECT_HELP_NAME, CTA_EXPECT_ID, CTA_EXPECT_MASK, CTA_EXPECT_MASTER,
  CTA_EXPECT_TIMEOUT, CTA_EXPECT_TUPLE, CTA_EXPECT_ZONE, CTA_IP_V4_DST, CTA_IP_V4_SRC, CTA_PROTO_DST_PORT, CTA_PROTO_NUM,
  CTA_PROTO_SRC_PORT, CTA_TUPLE_IP, CTA_TUPLE_PROTO, NETLINK_NETFILTER, NF_CT_EXPECT_USERSPACE,
} from '../../lib/netfilter/netfilter-constants.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const be16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const be32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
const nest = (type: number, ...parts: Buffer[]) => tlv(type | 0x8000, Buffer.concat(parts));
const tuple = (type: number, src: number[], dst: number[], sport: number, dport: number) => nest(type,
  nest(CTA_TUPLE_IP, tlv(CTA_IP_V4_SRC, Buffer.from(src)), tlv(CTA_IP_V4_DST, Buffer.from(dst))),
  nest(CTA_TUPLE_PROTO, tlv(CTA_PROTO_NUM, Buffer.from([6])), tlv(CTA_PROTO_SRC_PORT, be16(sport)),
    tlv(CTA_PROTO_DST_PORT, be16(dport))));

/** An FTP data expectation 10.0.0.2:* -> 10.0.0.1:2000 of the control connection 10.0.0.1:1000 -> 10.0.0.2:21. */
function expectation(family = 2): Buffer {
  const payload = Buffer.concat([
    Buffer.from([family, 0, 0, 0]),
    tuple(CTA_EXPECT_MASTER, [10, 0, 0, 1], [10, 0, 0, 2], 1000, 21),
    tuple(CTA_EXPECT_TUPLE, [10, 0, 0, 2], [10, 0, 0, 1], 0, 2000),
    tuple(CTA_EXPECT_MASK, [255, 255, 255, 255], [255, 255, 255, 255], 0, 0xffff),
    tlv(CTA_EXPECT_TIMEOUT, be32(297)),
    tlv(CTA_EXPECT_ID, be32(0xabcdef01)),
    tlv(CTA_EXPECT_HELP_NAME, Buffer.from('ftp\0')),
    tlv(CTA_EXPECT_ZONE, be16(0)),
    tlv(CTA_EXPECT_FLAGS, be32(NF_CT_EXPECT_USERSPACE)),
    tlv(CTA_EXPECT_CLASS, be32(0)),
  ]);
  return nlmsg({ type: EXPECTATION_NEW_TYPE, flags: NLM_F_MULTI, seq: 1, pid: 0, payload });
}

describe('expectations on crafted bytes', () => {
  it('decodes master, expected tuple, mask, timeout, id, helper, zone, flags and class, big endian', () => {
    expect(decodeExpectation(readHeader(expectation(), 0))).toEqual({
      family: 2, version: 0, resId: 0,
      master: { src: '10.0.0.1', dst: '10.0.0.2', proto: 6, sport: 1000, dport: 21 },
      tuple: { src: '10.0.0.2', dst: '10.0.0.1', proto: 6, sport: 0, dport: 2000 },
      mask: { src: '255.255.255.255', dst: '255.255.255.255', proto: 6, sport: 0, dport: 0xffff },
      timeout: 297, id: 0xabcdef01, helpName: 'ftp', zone: 0, flags: NF_CT_EXPECT_USERSPACE, class: 0,
    });
  });

  it('selects one family, and throws a NetlinkDecodeError for a message shorter than struct nfgenmsg', () => {
    expect(expectationSelector('inet')(readHeader(expectation(2), 0))?.id).toBe(0xabcdef01);
    expect(expectationSelector('inet6')(readHeader(expectation(2), 0))).toBeUndefined();
    const short = nlmsg({ type: EXPECTATION_NEW_TYPE, seq: 0, pid: 0, payload: Buffer.from([2]) });
    expect(() => decodeExpectation(readHeader(short, 0))).toThrow(NetlinkDecodeError);
  });

  it('asks ctnetlink_exp for a dump of one family', () => {
    const request = expectationsRequest('inet6');
    expect(request).toMatchObject({ protocol: NETLINK_NETFILTER, type: (2 << 8) | 1 });
    expect([...request.payload!]).toEqual([10, 0, 0, 0]);
  });
});

describe.skipIf(!isRoot)('conntrackExpectations() on the real kernel', () => {
  let ns: Netns;
  beforeAll(() => {
    ns = createNetns('ct-expect');
    ns.exec('conntrack', '-I', '-p', 'tcp', '-s', '10.0.0.1', '-d', '10.0.0.2', '--sport', '1000', '--dport', '21',
      '--state', 'ESTABLISHED', '-t', '300');
  });
  afterAll(() => ns?.remove());

  it('reads the namespace\'s expectation table as conntrack -L expect does (none here)', async () => {
    const ours = await lastValueFrom(conntrackExpectations({}, { netns: ns.name }).pipe(toArray()));
    const theirs = ns.exec('conntrack', '-L', 'expect');
    expect(ours).toHaveLength(theirs.split('\n').filter((l) => l.trim() !== '').length);
  });
});
