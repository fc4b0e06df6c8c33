/**
 * The conntrack description on crafted bytes (an IPCTNL_MSG_CT_NEW built
 * field by field from <linux/netfilter/nfnetlink_conntrack.h>: numbers in
 * network byte order), the selector's filter and duplicate dropping, and the
 * dump over a scripted kernel: a duplicate id is delivered once, a message
 * shorter than struct nfgenmsg fails the dump with a NetlinkDecodeError.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NLA_F_NESTED } from '../../lib/codec/attributes.js';
import { NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import {
  CONNTRACK_NEW_TYPE, conntrack, conntrackRequest, conntrackSelector, decodeConntrack,
} from '../../lib/netfilter/conntrack.js';
import {
  CTA_COUNTERS_BYTES, CTA_COUNTERS_ORIG, CTA_COUNTERS_PACKETS, CTA_ID, CTA_IP_V4_DST, CTA_IP_V4_SRC, CTA_MARK,
  CTA_MARK_MASK, CTA_PROTOINFO, CTA_PROTOINFO_TCP, CTA_PROTOINFO_TCP_STATE, CTA_PROTO_DST_PORT, CTA_PROTO_NUM,
  CTA_PROTO_SRC_PORT, CTA_STATUS, CTA_TIMEOUT, CTA_TUPLE_IP, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_USE, CTA_ZONE,
  IPS_ASSURED, IPS_SEEN_REPLY, NETLINK_NETFILTER, CTA_FILTER, CTA_FILTER_F_CTA_IP_SRC, CTA_FILTER_F_CTA_PROTO_DST_PORT,
  CTA_FILTER_F_CTA_PROTO_NUM, CTA_FILTER_ORIG_FLAGS,
} from '../../lib/netfilter/netfilter-constants.js';
import { done, fakeKernels, nlmsg, tlv } from '../helpers/fake-kernel.js';

const be16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const be32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
const be64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(v); return b; };
const nest = (type: number, ...parts: Buffer[]) => tlv(type | 0x8000, Buffer.concat(parts));

/** A TCP entry 10.0.0.1:SPORT -> 10.0.0.2:80, ESTABLISHED, with counters; `id` its conntrack id. */
function entry(id: number, seq = 0, pid = 0, sport = 1234): Buffer {
  const payload = Buffer.concat([
    Buffer.from([2, 0, 0, 0]), // struct nfgenmsg: AF_INET, NFNETLINK_V0, res_id 0
    nest(CTA_TUPLE_ORIG,
      nest(CTA_TUPLE_IP, tlv(CTA_IP_V4_SRC, Buffer.from([10, 0, 0, 1])), tlv(CTA_IP_V4_DST, Buffer.from([10, 0, 0, 2]))),
      nest(CTA_TUPLE_PROTO, tlv(CTA_PROTO_NUM, Buffer.from([6])), tlv(CTA_PROTO_SRC_PORT, be16(sport)),
        tlv(CTA_PROTO_DST_PORT, be16(80)))),
    tlv(CTA_STATUS, be32(IPS_SEEN_REPLY | IPS_ASSURED)),
    tlv(CTA_TIMEOUT, be32(431999)),
    tlv(CTA_MARK, be32(0x10)),
    nest(CTA_PROTOINFO, nest(CTA_PROTOINFO_TCP, tlv(CTA_PROTOINFO_TCP_STATE, Buffer.from([3])))),
    nest(CTA_COUNTERS_ORIG, tlv(CTA_COUNTERS_PACKETS, be64(5n)), tlv(CTA_COUNTERS_BYTES, be64(2n ** 40n))),
    tlv(CTA_USE, be32(1)),
    tlv(CTA_ID, be32(id)),
    tlv(CTA_ZONE, be16(3)),
  ]);
  return nlmsg({ type: CONNTRACK_NEW_TYPE, flags: NLM_F_MULTI, seq, pid, payload });
}

describe('the conntrack description on crafted bytes', () => {
  it('decodes tuples, status, state, counters, mark, zone and id, big endian', () => {
    expect(decodeConntrack(readHeader(entry(0xdeadbeef), 0))).toEqual({
      family: 2, version: 0, resId: 0,
      orig: { src: '10.0.0.1', dst: '10.0.0.2', proto: 6, sport: 1234, dport: 80 },
      status: IPS_SEEN_REPLY | IPS_ASSURED, timeout: 431999, mark: 0x10,
      protoinfo: { tcp: { state: 3 } },
      countersOrig: { packets: 5, bytes: 2 ** 40 },
      use: 1, id: 0xdeadbeef, zone: 3,
    });
  });

  it('throws a NetlinkDecodeError for a message shorter than struct nfgenmsg', () => {
    const short = nlmsg({ type: CONNTRACK_NEW_TYPE, seq: 0, pid: 0, payload: Buffer.from([2, 0]) });
    expect(() => decodeConntrack(readHeader(short, 0))).toThrow(NetlinkDecodeError);
  });

  it('selects by the JS-side fields and drops an id seen before', () => {
    const select = conntrackSelector({ dport: 80 });
    expect(select(readHeader(entry(1), 0))?.id).toBe(1);
    expect(select(readHeader(entry(1), 0))).toBeUndefined();
    expect(select(readHeader(entry(2), 0))?.id).toBe(2);
    expect(conntrackSelector({ dport: 443 })(readHeader(entry(3), 0))).toBeUndefined();
    expect(conntrackSelector({ mark: 0x10, markMask: 0xf0 })(readHeader(entry(4), 0))?.id).toBe(4);
  });

  it('delivers two entries that share an id (a 32-bit hash) but not their tuple, each once', () => {
    const select = conntrackSelector();
    expect(select(readHeader(entry(7, 0, 0, 1000), 0))?.orig?.sport).toBe(1000);
    expect(select(readHeader(entry(7, 0, 0, 1001), 0))?.orig?.sport).toBe(1001);
    expect(select(readHeader(entry(7, 0, 0, 1002), 0))?.orig?.sport).toBe(1002);
    expect(select(readHeader(entry(7, 0, 0, 1001), 0))).toBeUndefined();
    expect(select(readHeader(entry(7, 0, 0, 1000), 0))).toBeUndefined();
  });

  it('sends the mark and zone filters to the kernel', () => {
    const { payload, protocol } = conntrackRequest({ family: 'inet', mark: 7, zone: 3 });
    expect(protocol).toBe(NETLINK_NETFILTER);
    const bytes = Buffer.from(payload);
    expect(bytes[0]).toBe(2);
    expect(bytes.subarray(4)).toEqual(Buffer.concat([tlv(CTA_MARK, be32(7)), tlv(CTA_ZONE, be16(3)), tlv(CTA_MARK_MASK, be32(0xffffffff))]));
  });

  it('sends an IPv4 original tuple with CTA_FILTER flags, and no address of an IPv6 filter', () => {
    const v4 = Buffer.from(conntrackRequest({ family: 'inet', src: '10.0.0.1', proto: 6, dport: 80 }).payload);
    const ip = tlv(CTA_TUPLE_IP | NLA_F_NESTED, tlv(CTA_IP_V4_SRC, Buffer.from([10, 0, 0, 1])));
    const proto = tlv(CTA_TUPLE_PROTO | NLA_F_NESTED, Buffer.concat([tlv(CTA_PROTO_NUM, Buffer.from([6])), tlv(CTA_PROTO_DST_PORT, be16(80))]));
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(CTA_FILTER_F_CTA_IP_SRC | CTA_FILTER_F_CTA_PROTO_NUM | CTA_FILTER_F_CTA_PROTO_DST_PORT);
    expect(v4.subarray(4)).toEqual(Buffer.concat([
      tlv(CTA_TUPLE_ORIG | NLA_F_NESTED, Buffer.concat([ip, proto])),
      tlv(CTA_FILTER | NLA_F_NESTED, tlv(CTA_FILTER_ORIG_FLAGS, flags)),
    ]));
    const v6 = Buffer.from(conntrackRequest({ family: 'inet6', src: '2001:db8::1' }).payload);
    expect(v6.subarray(4)).toEqual(Buffer.alloc(0));
  });
});

describe('conntrack() over a scripted kernel', () => {
  it('delivers an entry the resumed dump repeats once', async () => {
    const { factory } = fakeKernels((req, k) => [[entry(1, req.seq, k.portId), entry(2, req.seq, k.portId)],
      [entry(2, req.seq, k.portId), entry(3, req.seq, k.portId), done(req.seq, k.portId)]]);
    const ids = (await lastValueFrom(conntrack({}, { transport: factory }).pipe(toArray()))).map((e) => e.id);
    expect(ids).toEqual([1, 2, 3]);
  });

  it('fails with a NetlinkDecodeError, as the Observable\'s error, for a message that cannot be an entry', async () => {
    const short = (seq: number, pid: number) => nlmsg({ type: CONNTRACK_NEW_TYPE, flags: NLM_F_MULTI, seq, pid, payload: Buffer.from([2]) });
    const { factory } = fakeKernels((req, k) => [[entry(1, req.seq, k.portId), short(req.seq, k.portId), entry(2, req.seq, k.portId), done(req.seq, k.portId)]]);
    const seen: number[] = [];
    const error = await new Promise((resolve) => conntrack({}, { transport: factory }).subscribe({
      next: (e) => seen.push(e.id!), error: resolve, complete: () => resolve(undefined),
    }));
    expect(error).toBeInstanceOf(NetlinkDecodeError);
    expect(seen).toEqual([1]);
  });
});
