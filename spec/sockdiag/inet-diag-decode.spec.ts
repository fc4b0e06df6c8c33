/**
 * The inet_diag descriptions on crafted bytes: struct inet_diag_msg built
 * field by field from <linux/inet_diag.h> (ports and addresses in network
 * byte order, the rest host order), INET_DIAG_* attributes, and the request
 * (struct inet_diag_req_v2 + INET_DIAG_REQ_*) as the kernel reads it.
 */
import { describe, expect, it } from 'vitest';
import { NETLINK_SOCK_DIAG, NLM_F_MULTI, readHeader } from '../../lib/codec/header.js';
import { NetlinkDecodeError } from '../../lib/errors.js';
import { inetDiagRequest, inetDiagRequestMessage, inetSocketMessage } from '../../lib/sockdiag/inet-diag-decode.js';
import {
  INET_DIAG_BBRINFO, INET_DIAG_CGROUP_ID, INET_DIAG_CONG, INET_DIAG_DCTCPINFO, INET_DIAG_INFO, INET_DIAG_LOCALS,
  INET_DIAG_MARK, INET_DIAG_MD5SIG, INET_DIAG_MEMINFO, INET_DIAG_PROTOCOL, INET_DIAG_REQ_BYTECODE,
  INET_DIAG_REQ_PROTOCOL, INET_DIAG_SHUTDOWN, INET_DIAG_SKMEMINFO, INET_DIAG_SKV6ONLY, INET_DIAG_SOCKOPT,
  INET_DIAG_TCLASS, INET_DIAG_TOS, INET_DIAG_ULP_INFO, INET_DIAG_VEGASINFO, INET_ULP_INFO_NAME, INET_ULP_INFO_TLS,
  IPPROTO_MPTCP, IPPROTO_RAW, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, SOCK_DIAG_BY_FAMILY, TCP_LISTEN,
  TLS_INFO_CIPHER, TLS_INFO_VERSION,
} from '../../lib/sockdiag/sockdiag-constants.js';
import { nlmsg, tlv } from '../helpers/fake-kernel.js';

const u32s = (...values: number[]) => { const b = Buffer.alloc(4 * values.length); values.forEach((v, i) => b.writeUInt32LE(v >>> 0, 4 * i)); return b; };
const u64 = (v: bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; };
const nest = (type: number, ...parts: Buffer[]) => tlv(type | 0x8000, Buffer.concat(parts));

interface MsgFields { family: number; src: number[]; dst: number[]; sport: number; dport: number; cookie: bigint }

/** struct inet_diag_msg: state ESTABLISHED, timer 1, retrans 2, ifindex 3, expires 4, queues 5/6, uid 1000, inode 77. */
function inetDiagMsg(f: MsgFields): Buffer {
  const b = Buffer.alloc(72);
  b.set([f.family, 1, 1, 2]);
  b.writeUInt16BE(f.sport, 4);
  b.writeUInt16BE(f.dport, 6);
  b.set(f.src, 8);
  b.set(f.dst, 24);
  b.writeUInt32LE(3, 40);
  b.writeBigUInt64LE(f.cookie, 44);
  b.writeUInt32LE(4, 52);
  b.writeUInt32LE(5, 56);
  b.writeUInt32LE(6, 60);
  b.writeUInt32LE(1000, 64);
  b.writeUInt32LE(77, 68);
  return b;
}

const v4 = (family = 2) => inetDiagMsg({ family, src: [10, 0, 0, 1], dst: [192, 0, 2, 9], sport: 443, dport: 50_000, cookie: 0x1_0000_0002n });
const msg = (payload: Buffer) => readHeader(nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: 1, pid: 1, payload }), 0);

describe('struct inet_diag_msg', () => {
  it('decodes an IPv4 socket: ports and addresses in network order, the cookie as one u64 (low word first)', () => {
    expect(inetSocketMessage(IPPROTO_TCP).decode(msg(v4()))).toEqual({
      kind: 'inet', family: 2, protocol: IPPROTO_TCP, state: 1, timer: 1, retrans: 2, srcPort: 443, dstPort: 50_000,
      src: '10.0.0.1', dst: '192.0.2.9', ifindex: 3, cookie: 0x1_0000_0002n, expires: 4, rqueue: 5, wqueue: 6,
      uid: 1000, inode: 77,
    });
  });

  it('keeps an IPv6 socket\'s IPv4-mapped addresses as ::ffff:a.b.c.d, and formats IPv6 as inet_ntop does', () => {
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
    const six = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const socket = inetSocketMessage(IPPROTO_TCP).decode(msg(inetDiagMsg({ family: 10, src: mapped, dst: six, sport: 1, dport: 2, cookie: 9n })));
    expect(socket).toMatchObject({ family: 10, src: '::ffff:127.0.0.1', dst: '2001:db8::1' });
  });

  it('carries the protocol of the dump, which the message does not', () => {
    expect(inetSocketMessage(IPPROTO_UDP).decode(msg(v4())).protocol).toBe(IPPROTO_UDP);
    expect(inetSocketMessage(IPPROTO_MPTCP).decode(msg(v4())).protocol).toBe(IPPROTO_MPTCP);
  });

  it('throws a NetlinkDecodeError for a message shorter than the struct', () => {
    expect(() => inetSocketMessage(IPPROTO_TCP).decode(msg(v4().subarray(0, 71)))).toThrow(NetlinkDecodeError);
  });
});

describe('INET_DIAG_* attributes', () => {
  it('decodes every attribute a TCP socket carries', () => {
    const info = Buffer.alloc(104);
    info.set([1, 0, 0, 0, 0, 7, 0x7e, 0b011]);
    info.writeUInt32LE(21, 68);
    const sockaddr = Buffer.alloc(128);
    sockaddr.writeUInt16LE(2, 0);
    sockaddr.set([198, 51, 100, 7], 4);
    const md5 = Buffer.alloc(100);
    md5.set([2, 24]);
    md5.writeUInt16LE(3, 2);
    md5.set([10, 1, 2, 0], 4);
    md5.set([0xaa, 0xbb, 0xcc], 20);
    const payload = Buffer.concat([v4(),
      tlv(INET_DIAG_MEMINFO, u32s(1, 2, 3, 4)),
      tlv(INET_DIAG_INFO, info),
      tlv(INET_DIAG_VEGASINFO, u32s(1, 2, 3, 4)),
      tlv(INET_DIAG_CONG, Buffer.from('cubic\0')),
      tlv(INET_DIAG_TOS, Buffer.from([0x10])),
      tlv(INET_DIAG_TCLASS, Buffer.from([0x20])),
      tlv(INET_DIAG_SKMEMINFO, u32s(1, 2, 3, 4, 5, 6, 7, 8, 9)),
      tlv(INET_DIAG_SHUTDOWN, Buffer.from([3])),
      tlv(INET_DIAG_DCTCPINFO, Buffer.concat([Buffer.from([1, 0, 2, 0]), u32s(3, 4, 5)])),
      tlv(INET_DIAG_SKV6ONLY, Buffer.from([1])),
      tlv(INET_DIAG_LOCALS, sockaddr),
      tlv(INET_DIAG_MARK, u32s(0xabcd)),
      tlv(INET_DIAG_BBRINFO, u32s(5, 1, 100, 739, 512)),
      tlv(INET_DIAG_MD5SIG, md5),
      nest(INET_DIAG_ULP_INFO, tlv(INET_ULP_INFO_NAME, Buffer.from('tls\0')),
        nest(INET_ULP_INFO_TLS, tlv(TLS_INFO_VERSION, Buffer.from([0x04, 0x03])), tlv(TLS_INFO_CIPHER, Buffer.from([52, 0])))),
      tlv(INET_DIAG_CGROUP_ID, u64(0x1234_5678_9abcn)),
      tlv(INET_DIAG_SOCKOPT, Buffer.from([0b0001_0010, 0b100])),
      tlv(99, Buffer.from([1, 2, 3, 4])),
    ]);
    const s = inetSocketMessage(IPPROTO_TCP).decode(msg(payload));
    expect(s.problems).toBeUndefined();
    expect(s).toMatchObject({
      meminfo: { rmem: 1, wmem: 2, fmem: 3, tmem: 4 },
      tcpInfo: { state: 1, options: 7, sndWscale: 14, rcvWscale: 7, deliveryRateAppLimited: true, fastopenClientFail: 1, rtt: 21 },
      vegas: { enabled: 1, rttcnt: 2, rtt: 3, minrtt: 4 },
      cong: 'cubic', tos: 0x10, tclass: 0x20,
      skmeminfo: { rmemAlloc: 1, rcvbuf: 2, wmemAlloc: 3, sndbuf: 4, fwdAlloc: 5, wmemQueued: 6, optmem: 7, backlog: 8, drops: 9 },
      shutdown: 3,
      dctcp: { enabled: 1, ceState: 2, alpha: 3, abEcn: 4, abTot: 5 },
      v6only: true, locals: ['198.51.100.7'], mark: 0xabcd,
      bbr: { bw: 2 ** 32 + 5, minRtt: 100, pacingGain: 739, cwndGain: 512 },
      md5sig: [{ family: 2, prefixLen: 24, keyLen: 3, address: '10.1.2.0', key: Uint8Array.of(0xaa, 0xbb, 0xcc) }],
      ulp: { name: 'tls', tls: { version: 0x0304, cipher: 52 } },
      cgroupId: 0x1234_5678_9abcn,
      sockOpt: { recverr: false, isIcsk: true, mcLoop: true, deferConnect: true, bindAddressNoPort: false },
      unknown: [{ type: 99, data: Uint8Array.of(1, 2, 3, 4) }],
    });
    expect(s.tcpInfo).not.toHaveProperty('pacingRate');
  });

  it('keeps INET_DIAG_INFO of another protocol raw (struct sctp_info is not tcp_info), and a raw socket\'s protocol', () => {
    const s = inetSocketMessage(IPPROTO_SCTP).decode(msg(Buffer.concat([v4(), tlv(INET_DIAG_INFO, Buffer.alloc(12, 1))])));
    expect(s.info).toEqual(new Uint8Array(12).fill(1));
    expect(s.tcpInfo).toBeUndefined();
    expect(inetSocketMessage(IPPROTO_RAW).decode(msg(Buffer.concat([v4(), tlv(INET_DIAG_PROTOCOL, Buffer.from([1]))])))).toMatchObject({
      protocol: IPPROTO_RAW, rawProtocol: 1,
    });
  });

  it('records a tcp_info shorter than the oldest struct as a problem and delivers the socket', () => {
    const s = inetSocketMessage(IPPROTO_TCP).decode(msg(Buffer.concat([v4(), tlv(INET_DIAG_INFO, Buffer.alloc(100)), tlv(INET_DIAG_MARK, u32s(5))])));
    expect(s.tcpInfo).toBeUndefined();
    expect(s.mark).toBe(5);
    expect(s.problems).toHaveLength(1);
    expect(s.problems![0]).toBeInstanceOf(NetlinkDecodeError);
    expect(s.problems![0].code).toBe('EPROTO');
  });
});

describe('struct inet_diag_req_v2', () => {
  it('asks for one family and protocol, the states and extensions, on NETLINK_SOCK_DIAG', () => {
    const request = inetDiagRequest({ family: 10, protocol: IPPROTO_TCP, states: 1 << TCP_LISTEN, ext: 0xff });
    expect(request).toMatchObject({ protocol: NETLINK_SOCK_DIAG, type: SOCK_DIAG_BY_FAMILY });
    const bytes = Buffer.from(request.payload);
    expect(bytes).toHaveLength(56);
    expect([...bytes.subarray(0, 4)]).toEqual([10, IPPROTO_TCP, 0xff, 0]);
    expect(bytes.readUInt32LE(4)).toBe(1 << TCP_LISTEN);
    expect(bytes.subarray(8).every((b) => b === 0)).toBe(true);
  });

  it('puts MPTCP in INET_DIAG_REQ_PROTOCOL, with TCP in the u8 header field', () => {
    const bytes = Buffer.from(inetDiagRequest({ family: 2, protocol: IPPROTO_MPTCP }).payload);
    expect(bytes[1]).toBe(IPPROTO_TCP);
    expect(bytes.readUInt32LE(4)).toBe(0xffff_ffff);
    expect(bytes.subarray(56)).toEqual(tlv(INET_DIAG_REQ_PROTOCOL, u32s(IPPROTO_MPTCP)));
  });

  it('asks raw_diag for raw sockets of every protocol (sdiag_raw_protocol IPPROTO_RAW)', () => {
    expect([...inetDiagRequest({ family: 2, protocol: IPPROTO_RAW }).payload.subarray(0, 4)]).toEqual([2, IPPROTO_RAW, 0, IPPROTO_RAW]);
  });

  it('carries a bytecode program, and decodes back', () => {
    const program = Uint8Array.of(1, 4, 8, 0);
    const request = inetDiagRequest({ family: 2, protocol: IPPROTO_UDP, bytecode: program });
    expect(Buffer.from(request.payload).subarray(56)).toEqual(tlv(INET_DIAG_REQ_BYTECODE, Buffer.from(program)));
    expect(inetDiagRequestMessage.decodePayload(request.payload)).toMatchObject({ family: 2, protocol: IPPROTO_UDP, bytecode: program });
  });
});
