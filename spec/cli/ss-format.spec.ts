/**
 * ss's line format on crafted sockets, with ss itself as the oracle: ss reads
 * a file of inet_diag replies instead of asking the kernel when
 * TCPDIAG_FILE is set, so the same crafted bytes go to `ss` and, decoded by
 * netlink-rx, to `ssInetRow` and `SsTableWriter`, and the text must be the
 * same byte for byte. The bytes cover what a fixture cannot pin down:
 * tcp_info with every field ss prints (window-scale nibbles, app_limited,
 * busy/limited times, unlimited pacing, unset min_rtt), BBR, DCTCP and
 * Vegas, every timer and timer length, marks, shutdown masks, v6only — and
 * enough sockets (100 000) for ss to print in several blocks.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NetlinkMessage } from '../../lib/codec/header.js';
import { SsTableWriter, type SsColumn } from '../../lib/cli/ss-columns.js';
import { ssInetRow, type SsLineContext } from '../../lib/cli/ss-format.js';
import { parseSsArguments } from '../../lib/cli/ss-options.js';
import { ssServices } from '../../lib/cli/ss-services.js';
import { inetSocketMessage } from '../../lib/sockdiag/inet-diag-decode.js';
import type { InetSocket } from '../../lib/sockdiag/socket.js';

const SOCK_DIAG_BY_FAMILY = 20;
const NLMSG_DONE = 3;

/** A deterministic stream of numbers (xorshift32), so a failure can be replayed. */
function random(seed: number): (max: number) => number {
  let x = seed;
  return (max) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % max;
  };
}

interface Crafted {
  family: 2 | 10;
  state: number;
  timer: number;
  retrans: number;
  sport: number;
  dport: number;
  src: number[];
  dst: number[];
  ifindex: number;
  cookie: [number, number];
  expires: number;
  rqueue: number;
  wqueue: number;
  uid: number;
  inode: number;
  /** Attributes: [type, payload]. */
  attrs: Array<[number, Buffer]>;
}

function attribute(type: number, payload: Buffer): Buffer {
  const length = 4 + payload.length;
  const out = Buffer.alloc((length + 3) & ~3);
  out.writeUInt16LE(length, 0);
  out.writeUInt16LE(type, 2);
  payload.copy(out, 4);
  return out;
}

/** One SOCK_DIAG_BY_FAMILY reply: nlmsghdr, struct inet_diag_msg, attributes. */
function reply(s: Crafted): Buffer {
  const msg = Buffer.alloc(72);
  msg.writeUInt8(s.family, 0);
  msg.writeUInt8(s.state, 1);
  msg.writeUInt8(s.timer, 2);
  msg.writeUInt8(s.retrans, 3);
  msg.writeUInt16BE(s.sport, 4);
  msg.writeUInt16BE(s.dport, 6);
  Buffer.from(s.src).copy(msg, 8);
  Buffer.from(s.dst).copy(msg, 24);
  msg.writeUInt32LE(s.ifindex, 40);
  msg.writeUInt32LE(s.cookie[0], 44);
  msg.writeUInt32LE(s.cookie[1], 48);
  msg.writeUInt32LE(s.expires, 52);
  msg.writeUInt32LE(s.rqueue, 56);
  msg.writeUInt32LE(s.wqueue, 60);
  msg.writeUInt32LE(s.uid, 64);
  msg.writeUInt32LE(s.inode, 68);
  const body = Buffer.concat([msg, ...s.attrs.map(([type, payload]) => attribute(type, payload))]);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + body.length, 0);
  header.writeUInt16LE(SOCK_DIAG_BY_FAMILY, 4);
  header.writeUInt16LE(2, 6);
  return Buffer.concat([header, body]);
}

function done(): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt32LE(20, 0);
  header.writeUInt16LE(NLMSG_DONE, 4);
  return header;
}

/** struct tcp_info as 6.1's uapi header lays it out (232 bytes), from a generator. */
function tcpInfo(r: (max: number) => number, state: number): Buffer {
  const b = Buffer.alloc(232);
  const pick = <T>(list: readonly T[]) => list[r(list.length)];
  b.writeUInt8(state, 0);
  b.writeUInt8(r(64), 5); // options: ts, sack, wscale, ecn, ecn seen, syn data
  b.writeUInt8(r(15) | (r(15) << 4), 6); // snd_wscale:4 (low nibble), rcv_wscale:4
  b.writeUInt8(r(2) | (r(4) << 1), 7); // delivery_rate_app_limited:1, fastopen_client_fail:2
  b.writeUInt8(pick([0, 0, 2]), 4); // backoff
  const u32 = (offset: number, value: number) => b.writeUInt32LE(value >>> 0, offset);
  const u64 = (offset: number, value: bigint) => b.writeBigUInt64LE(value, offset);
  u32(8, pick([0, 3000000, 204000, 201000, 1234567])); // rto
  u32(12, pick([0, 40000, 4000])); // ato
  u32(16, pick([0, 32768, 1448, 536])); // snd_mss
  u32(20, pick([0, 536, 1448]));
  u32(24, r(5)); u32(28, r(3)); u32(32, r(3)); u32(36, r(2)); u32(40, r(2));
  u32(44, r(100000)); u32(48, r(100000)); u32(52, r(100000)); u32(56, r(100000));
  u32(60, pick([0, 65535, 1500])); u32(64, pick([0, 65483, 64076]));
  u32(68, pick([0, 21, 40, 1234, 123456789])); u32(72, pick([0, 10, 20, 617]));
  u32(76, pick([0x7fffffff, 10, 65535, 0xfffe])); u32(80, pick([0, 10, 1, 77]));
  u32(84, pick([0, 65483])); u32(88, pick([3, 3, 0, 127]));
  u32(92, pick([0, 21, 1000])); u32(96, pick([0, 65483, 14480])); u32(100, r(4));
  u64(104, pick([0n, 0xffffffffffffffffn, 15000000000n, 1234n, 999999n, 44591296020n]));
  u64(112, pick([0n, 0xffffffffffffffffn, 125000000n]));
  u64(120, pick([0n, 1n, 123456789012n])); u64(128, pick([0n, 5n]));
  u32(136, r(3)); u32(140, r(3)); u32(144, pick([0, 100])); u32(148, pick([0, 0xffffffff, 21, 40000]));
  u32(152, r(2)); u32(156, r(2));
  u64(160, pick([0n, 1000n, 123456789n, 50000000000n]));
  const busy = pick([0n, 1000000n, 123456n]);
  u64(168, busy); u64(176, busy ? pick([0n, 500000n, 1n]) : 0n); u64(184, busy ? pick([0n, 33333n]) : 0n);
  u32(192, r(3)); u32(196, r(2)); u64(200, pick([0n, 7n, 1234567n])); u64(208, pick([0n, 3n]));
  u32(216, r(2)); u32(220, r(2)); u32(224, r(2)); u32(228, pick([0, 65536, 65483]));
  return b;
}

const skmem = (values: readonly number[]) => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32LE(v, 4 * i));
  return b;
};

/** A socket with everything ss prints, chosen by `r`. */
function rich(r: (max: number) => number, i: number): Crafted {
  const family = r(2) ? 2 : 10;
  const state = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11][r(11)];
  const v4 = () => [10, r(3), r(256), 1 + r(254), ...Array<number>(12).fill(0)];
  const v6 = () => (r(3) === 0 ? Array<number>(16).fill(0) : r(2)
    ? [...Array<number>(10).fill(0), 0xff, 0xff, 127, 0, 0, 1 + r(3)]
    : [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 1 + r(200)]);
  const attrs: Array<[number, Buffer]> = [];
  if (r(2)) attrs.push([7, skmem(r(2) ? [0, 131072, 0, 16384, 0, 0, 0, 0, 0] : [r(9000), 87380, r(100), 16384, 4096, 0, 0])]);
  else if (r(2)) attrs.push([1, skmem([1, 2, 3, 4])]); // INET_DIAG_MEMINFO, what older kernels sent
  if (r(4)) attrs.push([2, tcpInfo(r, state)]);
  if (r(2)) attrs.push([4, Buffer.from(`${['cubic', 'bbr', 'dctcp', 'vegas'][r(4)]}\0`)]);
  if (r(4) === 0) attrs.push([16, skmem([r(2) ? 1250000 : 0, r(3) === 0 ? 1 : 0, 21 + r(5000), r(2) ? 256 : 739, r(2) ? 0 : 512])]);
  if (r(5) === 0) attrs.push([9, skmem([r(2) | (r(2) << 16), r(1024), r(10), r(100)]).subarray(0, 16)]);
  if (r(5) === 0) attrs.push([3, skmem([r(2), r(9), r(3) === 0 ? 0x7fffffff : 10 + r(100000), 5])]);
  if (r(2)) attrs.push([8, Buffer.of(r(4))]);
  if (family === 10 && r(2)) attrs.push([11, Buffer.of(r(2))]);
  if (r(4) === 0) attrs.push([15, skmem([r(3) === 0 ? 0x1234abcd : r(3)])]);
  return {
    family, state, timer: r(7), retrans: r(5), sport: [0, 22, 80, 5000, 40000, 65535][r(6)], dport: [0, 53, 443, 33000][r(4)],
    src: family === 2 ? v4() : v6(), dst: family === 2 ? v4() : v6(), ifindex: r(6) === 0 ? 1 : 0,
    cookie: [i + 1, r(3) === 0 ? 1 + r(5) : 0],
    expires: [0, 1, 200, 999, 1500, 9999, 10001, 54000, 60000, 61500, 600000, 1234567][r(12)],
    rqueue: r(3) === 0 ? r(100000) : 0, wqueue: r(3) === 0 ? r(1000) : 0, uid: r(3) === 0 ? 1000 + r(5) : 0, inode: r(2) ? 100000 + i : 0,
    attrs,
  };
}

/** A plain established socket, many of which fill ss's buffer. */
function plain(i: number): Crafted {
  return {
    family: 2, state: 1, timer: 0, retrans: 0, sport: 1024 + (i % 60000), dport: 5000 + (i % 7), src: [10, (i >> 16) & 255, (i >> 8) & 255, i & 255, ...Array<number>(12).fill(0)],
    dst: [192, 0, 2, i % 250, ...Array<number>(12).fill(0)], ifindex: 0, cookie: [i, 0], expires: 0, rqueue: i >= 90_000 ? i * 100 : 0, wqueue: 0,
    uid: 0, inode: 200000 + i, attrs: [],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'nlrx-ss-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What ss prints for the crafted replies, and what nlrx's formatter prints for them decoded. */
function both(sockets: readonly Crafted[], args: string[]): [ours: string, theirs: string] {
  const replies = sockets.map(reply);
  const file = join(dir, `dump-${args.join('')}`);
  writeFileSync(file, Buffer.concat([...replies, done()]));
  const theirs = spawnSync('ss', args, { encoding: 'utf8', env: { ...process.env, TCPDIAG_FILE: file }, maxBuffer: 1 << 30 });
  expect(theirs.status).toBe(0);
  const options = parseSsArguments(args);
  const services = ssServices();
  const context: SsLineContext = {
    services, serviceProtocol: 'tcp', interfaceName: (ifindex) => (ifindex === 1 ? 'lo' : `if${ifindex}`), cgroupPath: (id) => `unreachable:${id.toString(16)}`,
  };
  const hidden = new Set<SsColumn>();
  hidden.add('netid');
  if ((options.states & (options.states - 1)) === 0) hidden.add('state');
  let ours = '';
  const table = new SsTableWriter((text) => { ours += text; }, { header: options.header, hidden });
  const decode = inetSocketMessage(6);
  for (const data of replies) {
    const msg: NetlinkMessage = { data, offset: 0, length: data.length, type: SOCK_DIAG_BY_FAMILY, flags: 2, seq: 0, pid: 0 };
    table.push(ssInetRow(decode.decode(msg) as InetSocket, options, context));
  }
  table.end();
  return [ours, theirs.stdout];
}

describe('ss lines on crafted sockets, beside ss reading the same replies', () => {
  const r = random(0x5eed);
  const sockets = Array.from({ length: 400 }, (_, i) => rich(r, i));

  /** What each form's output must show, so the crafted bytes are known to reach each branch. */
  const SHOWN: Readonly<Record<string, readonly string[]>> = {
    '-ta': [':ssh ', ':http '],
    '-tano': ['timer:(on,', 'timer:(keepalive,', 'timer:(timewait,', 'timer:(persist,', 'timer:(unknown,', 'min,', 'sec,', 'ms,'],
    '-tane': [' uid:100', ' fwmark:0x1234abcd', ' v6only:1', ' v6only:0', ' <->', ' -->', ' <--', ' ---', '%lo:'],
    '-tanm': [' skmem:(r0,rb131072,', ',bl0,d0)', ' mem:(r1,w2,f3,t4)'],
    '-taniem': [' ts', ' sack', ' ecn', ' fastopen', ' skmem:('],
    '-tani': [' wscale:', ' rto:', ' rtt:', ' ato:', ' backoff:2', ' ssthresh:', ' bytes_acked:', ' bbr:(bw:',
      ',pacing_gain:', ' dctcp:(ce_state:', ' dctcp:fallback_mode', ' send ', ' pacing_rate ', 'bps/', ' delivery_rate ', ' app_limited',
      ' busy:', ' rwnd_limited:', ' sndbuf_limited:', ' retrans:', ' reordering:', ' minrtt:', ' snd_wnd:', ' cubic', ' vegas'],
    '-tai': ['Mbps', 'Gbps', 'kbps'],
  };

  it.each([['-tan'], ['-ta'], ['-tano'], ['-tane'], ['-tanm'], ['-tani'], ['-tai'], ['-taniem'], ['-tanimO'], ['-tanoeH']])(
    'ss %s', (form) => {
      const [ours, theirs] = both(sockets, [form]);
      for (const text of SHOWN[form] ?? []) expect(theirs).toContain(text);
      expect(ours.split('\n').length).toBe(theirs.split('\n').length);
      expect(ours).toBe(theirs);
    });

  it('prints 100 000 sockets in ss\'s blocks, each padded as ss pads it', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => plain(i));
    const [ours, theirs] = both(many, ['-tan']);
    // Somewhere the widths change: the first block is narrower than the rest.
    const widths = new Set(theirs.split('\n').slice(1, -1).map((line) => line.length));
    expect(widths.size).toBeGreaterThan(1);
    expect(ours).toBe(theirs);
  });
});
