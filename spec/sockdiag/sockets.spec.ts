/**
 * sockets(): over a scripted kernel (one dump per family and protocol, a
 * socket the resumed dump repeats delivered once, a missing diag module
 * left out by default and a typed error when asked for, errors carried in
 * NLMSG_DONE), and against the real kernel in a throw-away namespace: the
 * fixture's sockets (listening, established, IPv4-mapped, TIME-WAIT, UDP,
 * raw, UNIX stream and datagram, packet, MPTCP) field by field beside
 * `ss -tuwxaenH` run in the same namespace.
 */
import { readFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NLM_F_MULTI } from '../../lib/codec/header.js';
import { NetlinkDecodeError, NetlinkKernelError } from '../../lib/errors.js';
import type { InetSocket } from '../../lib/sockdiag/inet-diag-decode.js';
import { SockDiagUnavailableError } from '../../lib/sockdiag/sock-diag-unavailable-error.js';
import type { Socket } from '../../lib/sockdiag/socket.js';
import { sockets } from '../../lib/sockdiag/sockets.js';
import {
  IPPROTO_MPTCP, IPPROTO_RAW, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, SOCK_DIAG_BY_FAMILY, SOCK_RAW,
} from '../../lib/sockdiag/sockdiag-constants.js';
import type { UnixSocket } from '../../lib/sockdiag/unix-diag-decode.js';
import { done, fakeKernels, nlmsg, nlmsgerr, type SentRequest } from '../helpers/fake-kernel.js';
import { createNetns, isRoot, skipReason, type Netns } from '../helpers/netns.js';
import { NOBODY, startSocketFixture, type SocketFixture } from './socket-fixture.js';

const ENOENT = 2;

/** A struct unix_diag_msg (stream, established) with this cookie. */
function unixReply(cookie: bigint, seq: number, pid: number): Buffer {
  const b = Buffer.alloc(16);
  b.set([1, 1, 1, 0]);
  b.writeUInt32LE(Number(cookie), 4);
  b.writeBigUInt64LE(cookie, 8);
  return nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq, pid, payload: b });
}

/** A struct inet_diag_msg of the request's family with this cookie, and this local port (default: the cookie). */
function inetReply(family: number, cookie: bigint, seq: number, pid: number, port = Number(cookie)): Buffer {
  const b = Buffer.alloc(72);
  b.set([family, 1]);
  b.writeUInt16BE(port, 4);
  b.writeBigUInt64LE(cookie, 44);
  return nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq, pid, payload: b });
}

/** (family, protocol) of a sock_diag request: the first two bytes after its nlmsghdr. */
const asked = (req: SentRequest) => `${req.bytes[16]}/${req.bytes[17]}${req.bytes.length > 16 + 56 ? `/${req.bytes.readUInt32LE(16 + 56 + 4)}` : ''}`;

describe('sockets() over a scripted kernel', () => {
  it('runs one dump per family and protocol, in order, and delivers a socket the resumed dump repeats once', async () => {
    const requests: string[] = [];
    const { factory } = fakeKernels((req, k) => {
      requests.push(asked(req));
      if (req.bytes[16] === 1) {
        return [[unixReply(1n, req.seq, k.portId), unixReply(2n, req.seq, k.portId)],
          [unixReply(2n, req.seq, k.portId), unixReply(3n, req.seq, k.portId), done(req.seq, k.portId)]];
      }
      if (req.bytes[16] === 2 && req.bytes[17] === IPPROTO_TCP) {
        return [[inetReply(2, 10n, req.seq, k.portId), inetReply(2, 10n, req.seq, k.portId), done(req.seq, k.portId)]];
      }
      return [[done(req.seq, k.portId)]];
    });
    const found = await lastValueFrom(sockets({}, { transport: factory }).pipe(toArray()));
    expect(found.map((s) => [s.kind, s.cookie])).toEqual([['inet', 10n], ['unix', 1n], ['unix', 2n], ['unix', 3n]]);
    expect(requests).toEqual([
      '2/6', '2/17', '2/136', '2/255', '2/132', `2/6/${IPPROTO_MPTCP}`,
      '10/6', '10/17', '10/136', '10/255', '10/132', `10/6/${IPPROTO_MPTCP}`, '1/0', '16/255', '17/0',
    ]);
  });

  it('asks only for what the filter names', async () => {
    const requests: string[] = [];
    const { factory } = fakeKernels((req, k) => { requests.push(asked(req)); return [[done(req.seq, k.portId)]]; });
    await lastValueFrom(sockets({ family: ['inet6', 'unix'], protocol: 'udp' }, { transport: factory }).pipe(toArray()));
    await lastValueFrom(sockets({ protocol: ['tcp', 'raw'], family: 'inet' }, { transport: factory }).pipe(toArray()));
    await lastValueFrom(sockets({ states: [] }, { transport: factory }).pipe(toArray()));
    expect(requests).toEqual(['10/17', '1/0', '2/6', '2/255']);
  });

  it('leaves out a default dump whose module is missing, and fails with SockDiagUnavailableError for a named one', async () => {
    const script = (req: SentRequest, k: { portId: number }) => req.bytes[17] === IPPROTO_SCTP
      ? [[done(req.seq, k.portId, ENOENT)]]
      : req.bytes[16] === 17 ? [[nlmsgerr(req.seq, k.portId, ENOENT, req.bytes)]]
        : [[done(req.seq, k.portId)]];
    const all = await lastValueFrom(sockets({}, { transport: fakeKernels(script).factory }).pipe(toArray()));
    expect(all).toEqual([]);
    const sctp = await lastValueFrom(sockets({ protocol: 'sctp' }, { transport: fakeKernels(script).factory }).pipe(toArray())).catch((e: unknown) => e);
    expect(sctp).toBeInstanceOf(SockDiagUnavailableError);
    expect(sctp).toMatchObject({ code: 'ENOENT', module: 'sctp_diag', family: 2, protocol: IPPROTO_SCTP });
    expect((sctp as Error).cause).toBeInstanceOf(NetlinkKernelError);
    const packet = await lastValueFrom(sockets({ family: 'packet' }, { transport: fakeKernels(script).factory }).pipe(toArray())).catch((e: unknown) => e);
    expect(packet).toMatchObject({ code: 'ENOENT', module: 'af_packet_diag', family: 17, protocol: 0 });
  });

  it('fails with the kernel\'s other errors, and with a NetlinkDecodeError for a message too short to be a socket', async () => {
    const eperm = fakeKernels((req, k) => [[done(req.seq, k.portId, 1)]]).factory;
    await expect(lastValueFrom(sockets({ protocol: 'tcp' }, { transport: eperm }))).rejects.toMatchObject({ code: 'EPERM' });
    const short = fakeKernels((req, k) => [[nlmsg({ type: SOCK_DIAG_BY_FAMILY, flags: NLM_F_MULTI, seq: req.seq, pid: k.portId, payload: Buffer.alloc(40) }), done(req.seq, k.portId)]]).factory;
    await expect(lastValueFrom(sockets({ protocol: 'udp' }, { transport: short }))).rejects.toBeInstanceOf(NetlinkDecodeError);
  });

  it('sends the conditions as bytecode and applies them again to what the kernel returns', async () => {
    const programs: number[] = [];
    const { factory } = fakeKernels((req, k) => {
      programs.push(req.bytes.length - 16 - 56);
      // A kernel that ignored the program: every socket, whatever its port.
      const f = req.bytes[16];
      return [[inetReply(f, BigInt(f * 1000 + 80), req.seq, k.portId, 80), inetReply(f, BigInt(f * 1000 + 443), req.seq, k.portId, 443),
        done(req.seq, k.portId)]];
    });
    const found = await lastValueFrom(sockets({ protocol: 'tcp', srcPort: 443 }, { transport: factory }).pipe(toArray()));
    expect(found.map((s) => s.kind === 'inet' && [s.family, s.srcPort])).toEqual([[2, 443], [10, 443]]);
    expect(programs.every((length) => length > 0)).toBe(true);
    expect(programs).toHaveLength(2);
  });

  it('fails, as the Observable\'s error, for a filter it cannot read', async () => {
    const { factory } = fakeKernels((req, k) => [[done(req.seq, k.portId)]]);
    const bad = { protocol: 'quic' } as unknown as Parameters<typeof sockets>[0];
    await expect(lastValueFrom(sockets(bad, { transport: factory }).pipe(toArray()))).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

// ss's names (ss.c sstate_name) and netids.
const SS_STATE = ['UNKNOWN', 'ESTAB', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'UNCONN', 'CLOSE-WAIT', 'LAST-ACK', 'LISTEN', 'CLOSING'];
const SS_NETID: Record<number, string> = { [IPPROTO_TCP]: 'tcp', [IPPROTO_UDP]: 'udp', [IPPROTO_RAW]: 'raw' };
const UNIX_NETID: Record<number, string> = { 1: 'u_str', 2: 'u_dgr', 5: 'u_seq' };

/** An address and port as ss -n prints them: IPv6 bracketed, :: as * unless v6only, port 0 of a peer as *. */
function ssAddress(s: InetSocket, address: string, port: number, peer: boolean): string {
  const host = s.family === 2 ? address : address === '::' && !s.v6only ? '*' : `[${address}]`;
  return `${host}:${peer && port === 0 ? '*' : port}`;
}

/** The fields compared, as one line: what `ss -tuwxaenH` prints of a socket (its columns, ino, sk). */
function asSs(s: Socket): string | undefined {
  if (s.kind === 'inet') {
    const netid = SS_NETID[s.protocol];
    if (netid === undefined) return undefined;
    return [netid, SS_STATE[s.state], s.rqueue, s.wqueue, ssAddress(s, s.src, s.srcPort, false), ssAddress(s, s.dst, s.dstPort, true),
      s.uid ? `uid:${s.uid}` : '', `ino:${s.inode}`, `sk:${s.cookie.toString(16)}`].filter((f) => f !== '').join(' ');
  }
  if (s.kind === 'unix') {
    return [UNIX_NETID[s.type], SS_STATE[s.state], s.rqueue ?? 0, s.wqueue ?? 0, s.name ?? '*', s.inode, '*', s.peer ?? 0].join(' ');
  }
  return undefined;
}

/** ss's line reduced to the same fields. */
function fromSs(line: string): string {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0].startsWith('u_')) return tokens.slice(0, 8).join(' ');
  const extras = tokens.slice(6).filter((t) => /^(uid|ino|sk):/.test(t));
  return [...tokens.slice(0, 6), ...extras].join(' ');
}

describe.skipIf(!isRoot)(`sockets() on the real kernel (${isRoot ? 'root' : skipReason})`, () => {
  let ns: Netns;
  let fixture: SocketFixture;
  let all: Socket[];

  beforeAll(async () => {
    ns = createNetns('sockdiag');
    fixture = await startSocketFixture(ns);
    all = await lastValueFrom(sockets({}, { netns: ns.name }).pipe(toArray()));
  });
  afterAll(() => {
    fixture?.close();
    ns?.remove();
  });

  it('shows every TCP, UDP, raw and UNIX socket ss shows, with the same states, addresses, ports, queues, uid, inode and cookie', () => {
    const ours = all.map(asSs).filter((line): line is string => line !== undefined).sort();
    // Without raw_diag (this kernel has none) ss reads raw sockets from /proc/net/raw; sock_diag cannot.
    const raw = all.some((s) => s.kind === 'inet' && s.protocol === IPPROTO_RAW);
    const theirs = ns.exec('ss', '-tuwxaenH').split('\n').filter((line) => line.trim() !== '' && (raw || !line.startsWith('raw')))
      .map(fromSs).sort();
    expect(ours).toEqual(theirs);
    expect(ours.length).toBeGreaterThanOrEqual(16);
    expect(ours).toContain(`udp UNCONN 0 0 127.0.0.1:${fixture.nobodyUdp} 0.0.0.0:* uid:${NOBODY} ino:${
      all.find((s) => s.kind === 'inet' && s.srcPort === fixture.nobodyUdp)?.inode} sk:${
      all.find((s) => s.kind === 'inet' && s.srcPort === fixture.nobodyUdp)?.cookie.toString(16)}`);
  });

  it('has the fixture\'s listeners, IPv4-mapped peers, TIME-WAIT and connected UDP socket', () => {
    const inet = all.filter((s): s is InetSocket => s.kind === 'inet');
    expect(inet.filter((s) => s.protocol === IPPROTO_TCP && s.state === 10).map((s) => `${s.src}:${s.srcPort}`).sort())
      // An MPTCP listener has a TCP subflow listener beside it.
      .toEqual([`127.0.0.1:${fixture.tcp4}`, `:::${fixture.tcp6}`, ...fixture.mptcp ? [`127.0.0.1:${fixture.mptcp}`] : []].sort());
    expect(inet.some((s) => s.family === 10 && s.srcPort === fixture.tcp6 && s.dst === '::ffff:127.0.0.1')).toBe(true);
    const timeWait = inet.find((s) => s.state === 6);
    expect(timeWait).toMatchObject({ protocol: IPPROTO_TCP, dstPort: fixture.tcp4, timer: 3, inode: 0 });
    expect(timeWait!.tcpInfo).toBeUndefined();
    expect(inet.some((s) => s.protocol === IPPROTO_UDP && s.state === 1 && s.dstPort === fixture.udp4)).toBe(true);
    const established = inet.find((s) => s.protocol === IPPROTO_TCP && s.state === 1)!;
    expect(established.tcpInfo?.state).toBe(1);
    expect(established.tcpInfo?.rcvWscale).toBeGreaterThan(0);
    expect(typeof established.cong).toBe('string');
    expect(established.skmeminfo?.rcvbuf).toBeGreaterThan(0);
  });

  it('shows tcp_info\'s window scales, cwnd and mss as ss -ti prints them', () => {
    const lines = ns.exec('ss', '-tinH', 'state', 'established').split('\n');
    const byPorts = new Map<string, string>();
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const t = lines[i].trim().split(/\s+/);
      byPorts.set(`${t[2]} ${t[3]}`, lines[i + 1]);
    }
    const established = all.filter((s): s is InetSocket => s.kind === 'inet' && s.protocol === IPPROTO_TCP && s.state === 1);
    expect(established).toHaveLength(6);
    for (const s of established) {
      const info = byPorts.get(`${ssAddress(s, s.src, s.srcPort, false)} ${ssAddress(s, s.dst, s.dstPort, true)}`);
      expect(info).toContain(` wscale:${s.tcpInfo!.sndWscale},${s.tcpInfo!.rcvWscale} `);
      expect(info).toContain(` mss:${s.tcpInfo!.sndMss} `);
      expect(info).toContain(` cwnd:${s.tcpInfo!.sndCwnd} `);
      expect(info).toContain(` ${s.cong} `);
    }
  });

  it('names UNIX sockets as ss does: paths, and abstract names with @', () => {
    const names = all.filter((s): s is UnixSocket => s.kind === 'unix').map((s) => s.name);
    expect(names).toContain(fixture.unixPath);
    expect(names).toContain(fixture.dgramPath);
    expect(names).toContain(fixture.dgramAbstract);
    expect(names.some((name) => name?.startsWith(fixture.unixAbstract))).toBe(true);
  });

  it('has the raw ICMP socket (protocol IPPROTO_RAW, its own protocol 1), or names raw_diag missing', async () => {
    expect(fixture.raw).toBe(true);
    const raw = await lastValueFrom(sockets({ protocol: 'raw' }, { netns: ns.name }).pipe(toArray())).catch((e: unknown) => e);
    if (raw instanceof SockDiagUnavailableError) expect(raw).toMatchObject({ code: 'ENOENT', module: 'raw_diag', protocol: IPPROTO_RAW });
    else expect(raw).toMatchObject([{ kind: 'inet', protocol: IPPROTO_RAW, rawProtocol: 1, srcPort: 1 }]);
  });

  it('has the packet socket (ETH_P_ALL) and this process\'s own sock_diag socket', () => {
    expect(fixture.packet).toBe(true);
    expect(all.find((s) => s.kind === 'packet')).toMatchObject({ type: SOCK_RAW, protocol: 3 });
    expect(all.some((s) => s.kind === 'netlink' && s.protocol === 4)).toBe(true);
  });

  it('dumps MPTCP sockets through INET_DIAG_REQ_PROTOCOL, and only them', async () => {
    const mptcp = await lastValueFrom(sockets({ protocol: 'mptcp' }, { netns: ns.name }).pipe(toArray()));
    expect(fixture.mptcp).toBeGreaterThan(0);
    expect(mptcp).toHaveLength(1);
    expect(mptcp[0]).toMatchObject({ kind: 'inet', protocol: IPPROTO_MPTCP, state: 10, src: '127.0.0.1', srcPort: fixture.mptcp });
  });

  it('names the missing module when a protocol the kernel cannot dump is asked for (SCTP here), or dumps it', async () => {
    const hasSctp = /^SCTP\b/m.test(readFileSync('/proc/net/protocols', 'utf8'));
    const result = await lastValueFrom(sockets({ protocol: 'sctp' }, { netns: ns.name }).pipe(toArray())).catch((e: unknown) => e);
    if (hasSctp) expect(result).toEqual([]);
    else expect(result).toMatchObject({ name: 'SockDiagUnavailableError', code: 'ENOENT', module: 'sctp_diag' });
  });

  it('selects by port and address as ss does (sport = :PORT, dst 127.0.0.1)', async () => {
    const bySport = await lastValueFrom(sockets({ srcPort: fixture.tcp4 }, { netns: ns.name }).pipe(toArray()));
    // ss shows nothing when -x meets a port condition: it is asked without -x (no UNIX socket has a port).
    const ssSport = ns.exec('ss', '-tuwaenH', 'sport', '=', `:${fixture.tcp4}`).trim().split('\n').map(fromSs).sort();
    expect(bySport.map(asSs).sort()).toEqual(ssSport);
    expect(bySport.length).toBeGreaterThanOrEqual(2);
    const toLoopback = await lastValueFrom(sockets({ family: ['inet', 'inet6'], dst: '127.0.0.1' }, { netns: ns.name }).pipe(toArray()));
    const ssDst = ns.exec('ss', '-tuwaenH', 'dst', '127.0.0.1').trim().split('\n').map(fromSs).sort();
    expect(toLoopback.map(asSs).sort()).toEqual(ssDst);
    expect(toLoopback.some((s) => s.kind === 'inet' && s.family === 10)).toBe(true);
  });

  it('selects by state in the request', async () => {
    const listening = await lastValueFrom(sockets({ family: ['inet', 'inet6', 'unix'], states: [10] }, { netns: ns.name }).pipe(toArray()));
    expect(listening.length).toBeGreaterThanOrEqual(5);
    expect(listening.every((s) => s.kind === 'inet' || s.kind === 'unix' ? s.state === 10 : false)).toBe(true);
  });
});
