/**
 * compileSocketFilter against the kernel's rules. Three tiers:
 *
 * - crafted programs, byte for byte (empty filter, port 0, /0 and /128
 *   prefixes, ranges, and/or/not, constant false);
 * - a model of net/ipv4/inet_diag.c (inet_diag_bc_audit with valid_cc and
 *   the operand checks, inet_diag_bc_run), written from the kernel source:
 *   every compiled program passes the audit and selects exactly what
 *   matchSocket selects, for random filters on random sockets;
 * - the real kernel: a namespace full of TCP and UDP sockets (listeners on
 *   several addresses and ports, IPv6 and dual-stack with IPv4-mapped peers,
 *   established pairs, SO_MARK, SO_BINDTODEVICE, a bound-but-inactive TCP
 *   socket, sockets in SYN_SENT, SYN_RECV and TIME_WAIT), random filters sent as INET_DIAG_REQ_BYTECODE in bare inet_diag
 *   dumps: the kernel accepts every program, and returns exactly the sockets
 *   matchSocket picks from an unfiltered dump.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { endianness } from 'node:os';
import fc from 'fast-check';
import { lastValueFrom, map, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inetBytes, inetText } from '../../lib/codec/address-text.js';
import { NETLINK_SOCK_DIAG } from '../../lib/codec/header.js';
import { NetlinkKernelError } from '../../lib/errors.js';
import { dump } from '../../lib/rx/dump.js';
import {
  compileSocketFilter, INET_DIAG_BC_CGROUP_COND, INET_DIAG_BC_D_COND, INET_DIAG_BC_D_GE, INET_DIAG_BC_D_LE,
  INET_DIAG_BC_DEV_COND, INET_DIAG_BC_JMP, INET_DIAG_BC_MARK_COND, INET_DIAG_BC_S_COND, INET_DIAG_BC_S_GE,
} from '../../lib/sockdiag/filter-bytecode.js';
import {
  matchSocket, socketRequestHeaders, type FilterableSocket, type MarkMatch, type PortMatch, type SocketCondition,
  type SocketFilter, type SocketMatch,
} from '../../lib/sockdiag/socket-filter.js';
import { createNetns, isRoot, type Netns } from '../helpers/netns.js';

const LE = endianness() === 'LE';
const AF_INET = 2;
const AF_INET6 = 10;

// ---- the kernel's side, modelled (net/ipv4/inet_diag.c) ------------------------------------------------------------

/** What inet_diag_bc_run sees of a socket (struct inet_diag_entry). */
interface Entry {
  family: number;
  saddr: Uint8Array;
  daddr: Uint8Array;
  sport: number;
  dport: number;
  ifindex: number;
  mark: number;
  cgroupId: bigint;
}

const view = (bc: Uint8Array) => new DataView(bc.buffer, bc.byteOffset, bc.length);

/** valid_cc: is `cc` bytes before the end a point on the chain of `yes` steps from the start? */
function validCc(bc: Uint8Array, cc: number): boolean {
  let len = bc.length;
  let at = 0;
  while (len >= 0) {
    if (cc > len) return false;
    if (cc === len) return true;
    const yes = bc[at + 1];
    if (yes < 4 || yes & 3) return false;
    len -= yes;
    at += yes;
  }
  return false;
}

/** inet_diag_bc_audit (the checks of one op's operand: valid_hostcond, valid_port_comparison, …). */
function audit(bc: Uint8Array): boolean {
  if (bc.length < 4) return false;
  const v = view(bc);
  let len = bc.length;
  let at = 0;
  while (len > 0) {
    let minLen = 4;
    const code = bc[at];
    switch (code) {
      case 7: case 8: { // S_COND, D_COND
        minLen += 8;
        if (len < minLen) return false;
        const addrLen = ({ 0: 0, 2: 4, 10: 16 } as Record<number, number>)[bc[at + 4]];
        if (addrLen === undefined) return false;
        minLen += addrLen;
        if (len < minLen || bc[at + 5] > 8 * addrLen) return false;
        break;
      }
      case 9: minLen += 4; if (len < minLen) return false; break; // DEV_COND
      case 2: case 3: case 4: case 5: case 11: case 12: minLen += 4; if (len < minLen) return false; break;
      case 10: case 13: minLen += 8; if (len < minLen) return false; break; // MARK_COND, CGROUP_COND
      case 0: case 1: case 6: break; // NOP, JMP, AUTO
      default: return false;
    }
    const yes = bc[at + 1];
    const no = v.getUint16(at + 2, LE);
    if (code !== 0) {
      if (no < minLen || no > len + 4 || no & 3) return false;
      if (no < len && !validCc(bc, len - no)) return false;
    }
    if (yes < minLen || yes > len + 4 || yes & 3) return false;
    at += yes;
    len -= yes;
  }
  return len === 0;
}

function bitstringMatch(a: Uint8Array, aOffset: number, b: Uint8Array, bOffset: number, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i & 7);
    if ((a[aOffset + (i >> 3)] & mask) !== (b[bOffset + (i >> 3)] & mask)) return false;
  }
  return true;
}

/** inet_diag_bc_run. */
function run(bc: Uint8Array, e: Entry): boolean {
  const v = view(bc);
  let len = bc.length;
  let at = 0;
  while (len > 0) {
    let yes = true;
    const code = bc[at];
    const operandPort = () => v.getUint16(at + 6, LE);
    switch (code) {
      case 1: yes = false; break;
      case 11: yes = e.sport === operandPort(); break;
      case 2: yes = e.sport >= operandPort(); break;
      case 3: yes = e.sport <= operandPort(); break;
      case 12: yes = e.dport === operandPort(); break;
      case 4: yes = e.dport >= operandPort(); break;
      case 5: yes = e.dport <= operandPort(); break;
      case 7: case 8: {
        const family = bc[at + 4];
        const prefixLen = bc[at + 5];
        const port = v.getInt32(at + 8, LE);
        if (port !== -1 && port !== (code === 7 ? e.sport : e.dport)) { yes = false; break; }
        const addr = code === 7 ? e.saddr : e.daddr;
        if (family !== 0 && family !== e.family) {
          const mapped = e.family === AF_INET6 && family === AF_INET && addr.subarray(0, 10).every((b) => b === 0) &&
            addr[10] === 0xff && addr[11] === 0xff;
          if (!(mapped && bitstringMatch(addr, 12, bc, at + 12, prefixLen))) yes = false;
          break;
        }
        if (prefixLen === 0) break;
        if (!bitstringMatch(addr, 0, bc, at + 12, prefixLen)) yes = false;
        break;
      }
      case 9: yes = v.getUint32(at + 4, LE) === e.ifindex; break;
      case 10: yes = ((e.mark & v.getUint32(at + 8, LE)) >>> 0) === v.getUint32(at + 4, LE); break;
      case 13: yes = v.getBigUint64(at + 4, LE) === e.cgroupId; break;
    }
    const step = yes ? bc[at + 1] : v.getUint16(at + 2, LE);
    len -= step;
    at += step;
  }
  return len === 0;
}

function entryOf(s: FilterableSocket): Entry {
  return {
    family: s.family ?? 0, saddr: inetBytes(s.src ?? '') ?? new Uint8Array(16), daddr: inetBytes(s.dst ?? '') ?? new Uint8Array(16),
    sport: s.srcPort ?? 0, dport: s.dstPort ?? 0, ifindex: s.ifindex ?? 0, mark: s.mark ?? 0, cgroupId: s.cgroupId ?? 0n,
  };
}

// ---- random filters over a pool of values ---------------------------------------------------------------------------

interface Pools {
  v4: readonly string[];
  v6: readonly string[];
  ports: readonly number[];
  marks: readonly number[];
  ifindexes: readonly number[];
  cgroups: readonly bigint[];
}

function matchArb(p: Pools): fc.Arbitrary<SocketMatch> {
  // Mostly values the sockets have, so that filters select something; some anywhere in the range.
  const prefix = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...p.v4) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...p.v4), fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`) },
    { weight: 2, arbitrary: fc.constantFrom(...p.v6) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...p.v6), fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`) },
    { weight: 1, arbitrary: fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`) },
  );
  const port = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...p.ports) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 65535 }) });
  const portMatch: fc.Arbitrary<PortMatch> = fc.oneof(
    port,
    fc.record({ from: port, to: port }, { requiredKeys: [] }),
    fc.record({ from: fc.integer({ min: -3, max: 70000 }), to: fc.integer({ min: -3, max: 70000 }) }),
  );
  const mark: fc.Arbitrary<MarkMatch> = fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...p.marks) }, { weight: 1, arbitrary: fc.nat() }),
    fc.constantFrom(0xffff_ffff, 0xff, 0xffff_0000, 0, 1),
    fc.boolean(),
  ).map(([m, mask, masked]) => (masked ? { value: (m & mask) >>> 0, mask } : { value: m >>> 0 }));
  const single: fc.Arbitrary<SocketMatch> = fc.oneof(
    prefix.map((src) => ({ src })),
    prefix.map((dst) => ({ dst })),
    portMatch.map((srcPort) => ({ srcPort })),
    portMatch.map((dstPort) => ({ dstPort })),
    fc.constantFrom(...p.ifindexes).map((ifindex) => ({ ifindex })),
    mark.map((m) => ({ mark: m })),
    fc.constantFrom(...p.cgroups).map((cgroupId) => ({ cgroupId })),
  );
  return fc.oneof({ weight: 3, arbitrary: single }, { weight: 1, arbitrary: fc.tuple(single, single).map(([a, b]) => ({ ...a, ...b })) });
}

function conditionArb(p: Pools): fc.Arbitrary<SocketCondition> {
  const leaf = matchArb(p);
  return fc.letrec<{ node: SocketCondition }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { maxLength: 3 }).map((and) => ({ and })),
      fc.array(tie('node'), { maxLength: 4 }).map((or) => ({ or })),
      tie('node').map((not) => ({ not })),
    ),
  })).node;
}

function socketArb(p: Pools): fc.Arbitrary<FilterableSocket> {
  const v4 = fc.oneof(fc.constantFrom(...p.v4), fc.ipV4());
  const v6 = fc.oneof(fc.constantFrom(...p.v6), v4.map((a) => `::ffff:${a}`));
  const port = fc.oneof(fc.constantFrom(...p.ports), fc.integer({ min: 0, max: 65535 }));
  return fc.record({
    family: fc.constantFrom(AF_INET, AF_INET6),
    a: fc.tuple(v4, v4, v6, v6),
    srcPort: port,
    dstPort: port,
    ifindex: fc.constantFrom(...p.ifindexes),
    mark: fc.option(fc.constantFrom(...p.marks), { nil: undefined }),
    cgroupId: fc.option(fc.constantFrom(...p.cgroups), { nil: undefined }),
  }).map(({ family, a, ...rest }) => ({
    kind: 'inet', family, protocol: 6, state: 1, src: family === AF_INET ? a[0] : a[2], dst: family === AF_INET ? a[1] : a[3], ...rest,
  }));
}

const bigintSafe = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

// ---- crafted programs -------------------------------------------------------------------------------------------------

/** One op header, as the kernel reads it: code, yes, no (host order). */
function op(code: number, yes: number, no: number): number[] {
  const b = Buffer.alloc(4);
  b[0] = code;
  b[1] = yes;
  if (LE) b.writeUInt16LE(no, 2); else b.writeUInt16BE(no, 2);
  return [...b];
}
const u16 = (n: number) => [...(LE ? Buffer.from([n & 0xff, n >> 8]) : Buffer.from([n >> 8, n & 0xff]))];
const u32 = (n: number) => { const b = Buffer.alloc(4); if (LE) b.writeUInt32LE(n); else b.writeUInt32BE(n); return [...b]; };
const i32 = (n: number) => { const b = Buffer.alloc(4); if (LE) b.writeInt32LE(n); else b.writeInt32BE(n); return [...b]; };
const bytes = (program: Uint8Array | undefined) => (program ? [...program] : program);

describe('compileSocketFilter: crafted programs', () => {
  it('needs no program when nothing is left for bytecode', () => {
    expect(compileSocketFilter({})).toBeUndefined();
    expect(compileSocketFilter({ family: 'inet', protocol: 'tcp', states: ['listening'] })).toBeUndefined();
    expect(compileSocketFilter({ srcPort: { from: 0, to: 65535 } })).toBeUndefined();
    expect(compileSocketFilter({ where: { or: [{ dstPort: 1 }, { not: { dstPort: 1 } }] } })).toBeDefined(); // not folded: the kernel decides
    expect(compileSocketFilter({ where: { not: { srcPort: { from: 3, to: 2 } } } })).toBeUndefined();
  });

  it('compiles a filter that can select nothing to JMP 4 8', () => {
    expect(bytes(compileSocketFilter({ srcPort: { from: 3, to: 2 } }))).toEqual(op(INET_DIAG_BC_JMP, 4, 8));
    expect(bytes(compileSocketFilter({ where: { or: [] } }))).toEqual(op(INET_DIAG_BC_JMP, 4, 8));
  });

  it('compiles one port (port 0 too) as a hostcond with any address', () => {
    expect(bytes(compileSocketFilter({ srcPort: 0 }))).toEqual([...op(INET_DIAG_BC_S_COND, 12, 16), 0, 0, 0, 0, ...i32(0)]);
    expect(bytes(compileSocketFilter({ dstPort: 443 }))).toEqual([...op(INET_DIAG_BC_D_COND, 12, 16), 0, 0, 0, 0, ...i32(443)]);
  });

  it('compiles ranges as GE/LE pairs, leaving out the open ends', () => {
    expect(bytes(compileSocketFilter({ srcPort: { from: 1024 } }))).toEqual([...op(INET_DIAG_BC_S_GE, 8, 12), 0, 0, ...u16(1024)]);
    expect(bytes(compileSocketFilter({ dstPort: { to: 0 } }))).toEqual([...op(INET_DIAG_BC_D_LE, 8, 12), 0, 0, ...u16(0)]);
    expect(bytes(compileSocketFilter({ dstPort: { from: 10, to: 20 } }))).toEqual([
      ...op(INET_DIAG_BC_D_GE, 8, 20), 0, 0, ...u16(10), // its failure moved past the LE
      ...op(INET_DIAG_BC_D_LE, 8, 12), 0, 0, ...u16(20),
    ]);
  });

  it('compiles /0, /32 and /128 prefixes as hostconds with the address bytes', () => {
    expect(bytes(compileSocketFilter({ src: '0.0.0.0/0' }))).toEqual([...op(INET_DIAG_BC_S_COND, 16, 20), 2, 0, 0, 0, ...i32(-1), 0, 0, 0, 0]);
    expect(bytes(compileSocketFilter({ dst: '10.1.2.3' }))).toEqual([...op(INET_DIAG_BC_D_COND, 16, 20), 2, 32, 0, 0, ...i32(-1), 10, 1, 2, 3]);
    expect(bytes(compileSocketFilter({ src: '2001:db8::1/128' }))).toEqual([
      ...op(INET_DIAG_BC_S_COND, 28, 32), 10, 128, 0, 0, ...i32(-1), ...inetBytes('2001:db8::1')!,
    ]);
    expect(bytes(compileSocketFilter({ src: '::/0' }))).toEqual([...op(INET_DIAG_BC_S_COND, 28, 32), 10, 0, 0, 0, ...i32(-1), ...new Uint8Array(16)]);
  });

  it('compiles device, mark and cgroup conditions', () => {
    expect(bytes(compileSocketFilter({ ifindex: 7 }))).toEqual([...op(INET_DIAG_BC_DEV_COND, 8, 12), ...u32(7)]);
    expect(bytes(compileSocketFilter({ mark: { value: 0x10, mask: 0xf0 } })))
      .toEqual([...op(INET_DIAG_BC_MARK_COND, 12, 16), ...u32(0x10), ...u32(0xf0)]);
    expect(bytes(compileSocketFilter({ mark: { value: 5 } }))).toEqual([...op(INET_DIAG_BC_MARK_COND, 12, 16), ...u32(5), ...u32(0xffff_ffff)]);
    const id = Buffer.alloc(8);
    if (LE) id.writeBigUInt64LE(0x1_0000_0002n); else id.writeBigUInt64BE(0x1_0000_0002n);
    expect(bytes(compileSocketFilter({ cgroupId: 0x1_0000_0002n }))).toEqual([...op(INET_DIAG_BC_CGROUP_COND, 12, 16), ...id]);
  });

  it('compiles or as a JMP over the rest, not as a JMP 4 8 after its operand', () => {
    const dev = (n: number) => [...op(INET_DIAG_BC_DEV_COND, 8, 12), ...u32(n)];
    expect(bytes(compileSocketFilter({ where: { or: [{ ifindex: 1 }, { ifindex: 2 }] } })))
      .toEqual([...dev(1), ...op(INET_DIAG_BC_JMP, 4, 12), ...dev(2)]);
    expect(bytes(compileSocketFilter({ where: { not: { ifindex: 1 } } }))).toEqual([...dev(1), ...op(INET_DIAG_BC_JMP, 4, 8)]);
    // and(not a, b): the JMP's failure moves past b; a's failure (the not's success) lands on b.
    expect(bytes(compileSocketFilter({ where: { and: [{ not: { ifindex: 1 } }, { ifindex: 2 }] } })))
      .toEqual([...dev(1), ...op(INET_DIAG_BC_JMP, 4, 16), ...dev(2)]);
  });

  it('folds rules the request family cannot meet: IPv6 prefixes on an AF_INET request', () => {
    expect(bytes(compileSocketFilter({ src: '::1' }, AF_INET))).toEqual(op(INET_DIAG_BC_JMP, 4, 8));
    expect(compileSocketFilter({ where: { or: [{ src: '::1' }, { not: { dst: '2001:db8::/32' } }] } }, AF_INET)).toBeUndefined();
    expect(compileSocketFilter({ src: '10.0.0.0/8' }, AF_INET6)).toHaveLength(16); // it can match IPv4-mapped sockets
  });

  it('gives up (undefined) on a program longer than an attribute holds; matchSocket still filters', () => {
    const or = Array.from({ length: 3000 }, (_, i) => ({ src: `2001:db8::${i.toString(16)}` }));
    expect(compileSocketFilter({ where: { or } })).toBeUndefined();
    const fits = compileSocketFilter({ where: { or: or.slice(0, 1000) } });
    expect(fits!.length).toBe(1000 * 28 + 999 * 4);
    expect(audit(fits!)).toBe(true);
  });
});

// ---- the model ---------------------------------------------------------------------------------------------------------

describe('compileSocketFilter on a model of inet_diag_bc_audit / inet_diag_bc_run', () => {
  it('the model audit refuses what the kernel refuses', () => {
    expect(audit(Uint8Array.from(op(INET_DIAG_BC_JMP, 4, 8)))).toBe(true);
    expect(audit(new Uint8Array(0))).toBe(false);
    expect(audit(Uint8Array.from(op(INET_DIAG_BC_JMP, 4, 12)))).toBe(false); // jumps past end + 4
    expect(audit(Uint8Array.from(op(INET_DIAG_BC_JMP, 4, 6)))).toBe(false); // not a multiple of 4
    expect(audit(Uint8Array.from([...op(INET_DIAG_BC_DEV_COND, 8, 12), ...u32(1), ...op(INET_DIAG_BC_JMP, 4, 8)]))).toBe(true);
    // A jump into the middle of an instruction: not on the yes chain.
    expect(audit(Uint8Array.from([...op(INET_DIAG_BC_JMP, 4, 8), ...op(INET_DIAG_BC_DEV_COND, 8, 12), ...u32(1)]))).toBe(false);
    expect(audit(Uint8Array.from([...op(INET_DIAG_BC_JMP, 4, 12), ...op(INET_DIAG_BC_DEV_COND, 8, 12), ...u32(1)]))).toBe(true);
    expect(audit(Uint8Array.from([...op(INET_DIAG_BC_DEV_COND, 8, 4), ...u32(1)]))).toBe(false);
    expect(audit(Uint8Array.from([...op(INET_DIAG_BC_S_COND, 16, 20), 2, 33, 0, 0, ...i32(-1), 1, 2, 3, 4]))).toBe(false);
    expect(audit(Uint8Array.from([...op(99, 4, 8)]))).toBe(false);
  });

  const pools: Pools = {
    v4: ['10.1.0.1', '10.1.0.2', '10.2.0.1', '0.0.0.0', '127.0.0.1', '192.168.255.255'],
    v6: ['::', '::1', '2001:db8:1::1', '2001:db8:2::1', '::ffff:10.1.0.1', '::ffff:10.2.0.1', 'fe80::1'],
    ports: [0, 1, 80, 1000, 1024, 5000, 65534, 65535],
    marks: [0, 1, 2, 0x10001, 0xffff_ffff],
    ifindexes: [0, 1, 2, 3],
    cgroups: [0n, 1n, 77n, 0xffff_ffff_ffff_ffffn],
  };

  it('every program passes the audit and selects what matchSocket selects (random filters and sockets)', () => {
    fc.assert(fc.property(conditionArb(pools), fc.array(socketArb(pools), { minLength: 1, maxLength: 12 }), (where, sockets) => {
      const filter: SocketFilter = { where };
      for (const family of [undefined, AF_INET, AF_INET6]) {
        const program = compileSocketFilter(filter, family);
        if (program === undefined) {
          for (const s of sockets) if (family === undefined || s.family === family) expect(matchSocket(s, filter)).toBe(true);
          continue;
        }
        expect(audit(program), bigintSafe(filter)).toBe(true);
        for (const s of sockets) {
          if (family !== undefined && s.family !== family) continue;
          expect(run(program, entryOf(s)), `${bigintSafe(filter)} on ${bigintSafe(s)}`).toBe(matchSocket(s, filter));
        }
      }
    }), { numRuns: 1500 });
  });
});

// ---- the real kernel ---------------------------------------------------------------------------------------------------

/** The fixture: sockets made by a Python process inside the namespace, kept open until it is killed. */
const FIXTURE = String.raw`
import socket, sys, time
S = []
T, U, A4, A6 = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.AF_INET, socket.AF_INET6
def mk(fam, typ, addr, mark=None, dev=None, v6only=None, listen=False, defer=None):
    s = socket.socket(fam, typ)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if mark is not None: s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, mark)
    if defer: s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, defer)
    if dev: s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    if v6only is not None: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    if addr is not None: s.bind(addr)
    if listen: s.listen(64)
    S.append(s)
    return s
L = [
    mk(A4, T, ('10.1.0.1', 1000), listen=True),
    mk(A4, T, ('10.1.0.1', 2000), mark=1, listen=True),
    mk(A4, T, ('10.1.0.2', 2000), mark=2, listen=True),
    mk(A4, T, ('0.0.0.0', 4000), mark=0x10001, listen=True),
    mk(A6, T, ('::', 5000), v6only=0, listen=True),
    mk(A6, T, ('::', 5001), v6only=1, listen=True),
    mk(A6, T, ('2001:db8:1::1', 6000), listen=True),
    mk(A6, T, ('::1', 6001), mark=3, listen=True),
    mk(A4, T, ('10.3.0.1', 7000), dev='v0', listen=True),
    mk(A4, T, ('10.2.0.1', 65535), listen=True),
    mk(A6, T, ('::ffff:10.2.0.1', 8000), listen=True),
]
for i in range(12):
    addr = [('10.1.0.1', A4), ('10.2.0.1', A4), ('::', A6), ('2001:db8:2::1', A6)][i % 4]
    L.append(mk(addr[1], T, (addr[0], 20000 + i * 131), mark=i % 3 or None, listen=True))
mk(A4, T, ('10.1.0.1', 3000))  # bound, never listening: TCP_BOUND_INACTIVE on kernels that have it
def conn(fam, src, dst, mark=None, dev=None):
    c = mk(fam, T, src, mark=mark, dev=dev)
    c.connect(dst)
conn(A4, ('10.2.0.1', 0), ('10.1.0.1', 1000))
conn(A4, ('10.2.0.1', 0), ('10.1.0.1', 1000), mark=5)
conn(A4, ('10.1.0.2', 0), ('10.1.0.1', 2000))
conn(A4, ('10.1.0.1', 0), ('10.1.0.2', 2000), mark=0x10002)
conn(A4, ('127.0.0.1', 0), ('127.0.0.1', 4000), dev='lo')
conn(A4, ('10.2.0.1', 0), ('10.1.0.1', 5000))
conn(A6, ('::', 0), ('::ffff:10.1.0.2', 5000))
conn(A6, ('2001:db8:2::1', 0), ('2001:db8:1::1', 6000))
conn(A6, ('::1', 0), ('::1', 6001), mark=4)
conn(A6, ('::1', 40001), ('::1', 5001))
conn(A4, ('10.1.0.2', 0), ('10.2.0.1', 8000))
conn(A6, ('2001:db8:1::1', 0), ('2001:db8:2::1', 20000 + 3 * 131))
# SYN_RECV: TCP_DEFER_ACCEPT keeps the request socket until data comes (for a minute), the client is ESTABLISHED.
mk(A4, T, ('10.1.0.1', 9100), mark=9, defer=60, listen=True)
mk(A6, T, ('::', 9101), defer=60, listen=True)
conn(A4, ('10.2.0.1', 0), ('10.1.0.1', 9100))
conn(A4, ('10.1.0.2', 0), ('10.1.0.1', 9101))
conn(A6, ('2001:db8:2::1', 0), ('2001:db8:1::1', 9101), mark=10)
# SYN_SENT: a peer whose frames go nowhere (a permanent neighbour no one answers for), for two minutes.
for mark in (None, 8):
    c = mk(A4, T, None, mark=mark)
    c.setblocking(False)
    c.connect_ex(('10.3.0.99', 80))
# TIME_WAIT: the client closes first, then the server; the client's side waits a minute.
tl4 = mk(A4, T, ('10.1.0.1', 9200), listen=True)
tl6 = mk(A6, T, ('::', 9201), listen=True)
for fam, src, dst, mark, l in [(A4, '10.2.0.1', ('10.1.0.1', 9200), 6, tl4), (A6, '2001:db8:2::1', ('2001:db8:1::1', 9201), None, tl6),
                               (A4, '10.1.0.2', ('10.1.0.1', 9201), 11, tl6)]:
    c = socket.socket(fam, T)
    if mark: c.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, mark)
    c.bind((src, 0))
    c.connect(dst)
    a = l.accept()[0]
    c.close()
    time.sleep(0.05)
    a.close()
time.sleep(0.2)
for l in L:
    l.setblocking(False)
    while True:
        try: S.append(l.accept()[0])
        except BlockingIOError: break
mk(A4, U, ('10.1.0.1', 1000))
mk(A4, U, ('0.0.0.0', 4000), mark=1)
mk(A6, U, ('::', 5000), v6only=0)
mk(A6, U, ('2001:db8:1::1', 6000), mark=2)
mk(A4, U, ('10.3.0.1', 7000), dev='v0')
mk(A4, U, ('10.2.0.1', 0)).connect(('10.1.0.1', 1000))
mk(A6, U, ('::', 0)).connect(('::ffff:10.1.0.1', 1000))
mk(A6, U, ('::1', 0), mark=7).connect(('::1', 5000))
mk(A6, U, ('2001:db8:2::1', 53)).connect(('2001:db8:1::1', 6000))
print('ready', len(S), flush=True)
sys.stdin.read()
`;

type Observed = { -readonly [K in keyof FilterableSocket]: FilterableSocket[K] } & { cookie: bigint };

/** A bare inet_diag dump: inet_diag_req_v2 with `states`, plus INET_DIAG_REQ_BYTECODE when given. */
async function inetDump(netns: string, family: number, protocol: number, states: number, program?: Uint8Array): Promise<Observed[]> {
  const attr = program ? 4 + program.length : 0;
  const payload = Buffer.alloc(56 + ((attr + 3) & ~3));
  payload[0] = family;
  payload[1] = protocol;
  const p = new DataView(payload.buffer, payload.byteOffset, payload.length);
  p.setUint32(4, states >>> 0, LE);
  if (program) {
    p.setUint16(56, attr, LE);
    p.setUint16(58, 1, LE); // INET_DIAG_REQ_BYTECODE
    payload.set(program, 60);
  }
  const decode = map(({ data, offset, length }: { data: Buffer; offset: number; length: number }): Observed => {
    const at = offset + 16; // struct inet_diag_msg
    const fam = data[at];
    const size = fam === AF_INET ? 4 : 16;
    const socket: Observed = {
      kind: 'inet', family: fam, protocol, state: data[at + 1],
      srcPort: data.readUInt16BE(at + 4), dstPort: data.readUInt16BE(at + 6),
      src: inetText(data, at + 8, size), dst: inetText(data, at + 24, size),
      ifindex: LE ? data.readUInt32LE(at + 40) : data.readUInt32BE(at + 40),
      cookie: LE ? data.readBigUInt64LE(at + 44) : data.readBigUInt64BE(at + 44),
    };
    for (let a = at + 72; a + 4 <= offset + length;) {
      const len = LE ? data.readUInt16LE(a) : data.readUInt16BE(a);
      const type = (LE ? data.readUInt16LE(a + 2) : data.readUInt16BE(a + 2)) & 0x3fff;
      if (len < 4) break;
      if (type === 15) socket.mark = LE ? data.readUInt32LE(a + 4) : data.readUInt32BE(a + 4); // INET_DIAG_MARK
      if (type === 21) socket.cgroupId = LE ? data.readBigUInt64LE(a + 4) : data.readBigUInt64BE(a + 4); // INET_DIAG_CGROUP_ID
      a += (len + 3) & ~3;
    }
    return socket;
  });
  return lastValueFrom(dump({ protocol: NETLINK_SOCK_DIAG, type: 20, payload }, { netns }).pipe(decode, toArray()));
}

const cookies = (sockets: readonly Observed[]) => sockets.map((s) => s.cookie).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe.skipIf(!isRoot)('compileSocketFilter on the real kernel', () => {
  let ns: Netns;
  let child: ChildProcess | undefined;
  let all: Observed[] = [];
  const requests = [[AF_INET, 6], [AF_INET, 17], [AF_INET6, 6], [AF_INET6, 17]] as const;

  beforeAll(async () => {
    ns = createNetns('sockfilter');
    ns.batch([
      'address add 10.1.0.1/24 dev lo', 'address add 10.1.0.2/24 dev lo', 'address add 10.2.0.1/24 dev lo',
      'address add 2001:db8:1::1/64 dev lo nodad', 'address add 2001:db8:2::1/64 dev lo nodad',
      'link add v0 type veth peer name v1', 'address add 10.3.0.1/24 dev v0', 'link set v0 up', 'link set v1 up',
      'neighbor add 10.3.0.99 lladdr 02:00:00:00:00:99 dev v0 nud permanent',
    ]);
    const started = spawn('ip', ['netns', 'exec', ns.name, '/usr/bin/python3', '-c', FIXTURE], { stdio: ['pipe', 'pipe', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      started.stdout!.on('data', (chunk: Buffer) => { out += chunk; if (out.includes('ready')) resolve(); });
      started.stderr!.on('data', (chunk: Buffer) => { err += chunk; });
      started.on('exit', (code) => reject(new Error(`socket fixture exited (${code}): ${err}`)));
    });
    for (const [family, protocol] of requests) all.push(...await inetDump(ns.name, family, protocol, 0xffff_ffff));
  });

  afterAll(() => {
    child?.kill('SIGKILL');
    ns?.remove();
  });

  it('has the fixture it needs: both families, both protocols, mapped addresses, marks, a bound device', () => {
    expect(all.length).toBeGreaterThan(50);
    expect(new Set(cookies(all)).size).toBe(all.length);
    expect(all.some((s) => s.family === AF_INET6 && s.src?.startsWith('::ffff:10.') && s.protocol === 6 && s.state === 1)).toBe(true);
    expect(all.some((s) => s.family === AF_INET6 && s.src?.startsWith('::ffff:') && s.protocol === 17)).toBe(true);
    expect(all.some((s) => s.protocol === 6 && s.state === 10 && s.family === AF_INET6 && s.src === '::')).toBe(true);
    expect(new Set(all.map((s) => s.mark)).size).toBeGreaterThan(5);
    expect(all.some((s) => (s.ifindex ?? 0) > 1)).toBe(true);
    expect(all.some((s) => s.ifindex === 1)).toBe(true);
    const states = new Set(all.map((s) => `${s.protocol}:${s.state}`));
    for (const state of ['6:1', '6:2', '6:3', '6:6', '6:7', '6:10', '17:1', '17:7']) expect(states).toContain(state);
    expect(all.some((s) => s.state === 3 && s.family === AF_INET6 && s.dst?.startsWith('::ffff:'))).toBe(true);
    expect(all.some((s) => s.state === 3 && (s.mark ?? 0) !== 0)).toBe(true);
    expect(all.some((s) => s.state === 6 && (s.mark ?? 0) !== 0)).toBe(true);
  });

  it('accepts every compiled program and returns exactly what matchSocket picks from the unfiltered dump', async () => {
    const texts = (family: number) => [...new Set(all.filter((s) => s.family === family).flatMap((s) => [s.src!, s.dst!]))];
    const pools: Pools = {
      v4: [...texts(AF_INET), '10.0.0.0', '10.1.0.0', '10.3.0.0'],
      v6: [...texts(AF_INET6), '2001:db8::', '::ffff:10.1.0.0'],
      ports: [...new Set(all.flatMap((s) => [s.srcPort!, s.dstPort!]))],
      marks: [...new Set(all.map((s) => s.mark ?? 0))],
      ifindexes: [...new Set(all.map((s) => s.ifindex ?? 0)), 999],
      cgroups: [...new Set(all.map((s) => s.cgroupId ?? 0n)), 12345n],
    };
    const header = fc.record({
      family: fc.constantFrom<SocketFilter['family']>('inet', 'inet6', ['inet', 'inet6'], undefined),
      protocol: fc.constantFrom<SocketFilter['protocol']>('tcp', 'udp', ['tcp', 'udp']),
      states: fc.option(fc.subarray(['established', 'listening', 'closed', 'connected', 'syn-sent', 13] as const), { nil: undefined, freq: 2 }),
    });
    let selective = 0;
    await fc.assert(fc.asyncProperty(header, fc.option(matchArb(pools), { nil: undefined, freq: 2 }),
      fc.option(conditionArb(pools), { nil: undefined, freq: 4 }),
      async (head, own, where) => {
        const filter: SocketFilter = { ...head, ...own, where };
        const got: Observed[] = [];
        for (const h of socketRequestHeaders(filter)) {
          got.push(...await inetDump(ns.name, h.family, h.protocol, h.states, compileSocketFilter(filter, h.family)));
        }
        const want = all.filter((s) => matchSocket(s, filter));
        if (want.length > 0 && want.length < all.length) selective++;
        expect(cookies(got), bigintSafe(filter)).toEqual(cookies(want));
      }), { numRuns: 250 });
    // The filters were not all trivial: many (about 40%) selected some but not all sockets.
    expect(selective).toBeGreaterThan(50);
  });

  it('the kernel refuses what the model audit refuses (EINVAL), so the model is the kernel', async () => {
    const bad = [
      Uint8Array.from(op(INET_DIAG_BC_JMP, 4, 12)),
      Uint8Array.from([...op(INET_DIAG_BC_DEV_COND, 8, 4), ...u32(1)]),
      Uint8Array.from([...op(INET_DIAG_BC_S_COND, 16, 20), 2, 33, 0, 0, ...i32(-1), 1, 2, 3, 4]),
      Uint8Array.from([...op(INET_DIAG_BC_JMP, 4, 6)]),
    ];
    for (const program of bad) {
      expect(audit(program)).toBe(false);
      await expect(inetDump(ns.name, AF_INET, 6, 0xffff_ffff, program)).rejects.toSatisfy(
        (e: unknown) => e instanceof NetlinkKernelError && e.code === 'EINVAL',
      );
    }
    const never = Uint8Array.from(op(INET_DIAG_BC_JMP, 4, 8));
    expect(audit(never)).toBe(true);
    expect(await inetDump(ns.name, AF_INET, 6, 0xffff_ffff, never)).toEqual([]);
  });
});
