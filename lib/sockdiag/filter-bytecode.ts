/**
 * Socket filters compiled for the kernel: the INET_DIAG_REQ_BYTECODE program
 * inet_diag runs on every socket before it is dumped
 * (net/ipv4/inet_diag.c: inet_diag_bc_audit checks it, inet_diag_bc_run
 * runs it). A program is a list of `struct inet_diag_bc_op { u8 code;
 * u8 yes; u16 no; }`, each followed by its operand; the kernel moves `yes`
 * bytes on when the test holds, `no` bytes when it fails, and accepts the
 * socket when it lands exactly on the end.
 *
 * Each compiled piece keeps one convention (iproute2's ss keeps it too):
 * true falls off the piece's end, false jumps 4 bytes past it. So `a and b`
 * is a then b, with a's failures moved on past b; `a or b` is a, a JMP over
 * b, then b (a's failures land on b); `not a` is a then `JMP 4 8`. Every
 * `yes` is the instruction's own length, so every jump target lies on the
 * chain of `yes` steps that inet_diag_bc_audit's valid_cc walks.
 */
import { endianness } from 'node:os';
import { filterTerm, type FilterTerm, type SocketFilter } from './socket-filter.js';

/** enum of <linux/inet_diag.h>: the bytecode's operations. */
export const INET_DIAG_BC_NOP = 0;
export const INET_DIAG_BC_JMP = 1;
export const INET_DIAG_BC_S_GE = 2;
export const INET_DIAG_BC_S_LE = 3;
export const INET_DIAG_BC_D_GE = 4;
export const INET_DIAG_BC_D_LE = 5;
export const INET_DIAG_BC_AUTO = 6;
export const INET_DIAG_BC_S_COND = 7;
export const INET_DIAG_BC_D_COND = 8;
export const INET_DIAG_BC_DEV_COND = 9;
export const INET_DIAG_BC_MARK_COND = 10;
export const INET_DIAG_BC_S_EQ = 11;
export const INET_DIAG_BC_D_EQ = 12;
export const INET_DIAG_BC_CGROUP_COND = 13;

const AF_INET = 2;
const AF_INET6 = 10;
/** sizeof(struct inet_diag_bc_op). */
const OP_SIZE = 4;
/** nla_len is a u16 that counts the 4-byte attribute header too. */
const MAX_PROGRAM = 0xffff - 4;
// The kernel reads yes/no, ports, ifindex, mark and cgroup id in host byte order.
const LE = endianness() === 'LE';

/** A compiled piece: bytes, or a constant the enclosing piece folds away. */
type Piece = Buffer | boolean;

/** One instruction whose failure leaves the piece: yes = its length, no = its length + 4. */
function instruction(code: number, operandSize: number, fill: (operand: DataView) => void): Buffer {
  const length = OP_SIZE + operandSize;
  const bytes = Buffer.alloc(length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  view.setUint8(0, code);
  view.setUint8(1, length);
  view.setUint16(2, length + 4, LE);
  fill(new DataView(bytes.buffer, bytes.byteOffset + OP_SIZE, operandSize));
  return bytes;
}

function jump(no: number): Buffer {
  const bytes = Buffer.alloc(OP_SIZE);
  bytes[0] = INET_DIAG_BC_JMP;
  bytes[1] = OP_SIZE;
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(2, no, LE);
  return bytes;
}

/**
 * Moves the failures of `piece` (jumps to 4 past its end) `by` bytes
 * further, as iproute2's ssfilter_patch does: walking the `yes` chain, an
 * instruction whose `no` equals what is left of the piece plus 4 fails out of
 * it. Returns false when a jump would no longer fit in the u16.
 */
function moveFailures(piece: Buffer, by: number): boolean {
  const view = new DataView(piece.buffer, piece.byteOffset, piece.length);
  for (let at = 0; at < piece.length; at += piece[at + 1]) {
    const no = view.getUint16(at + 2, LE);
    if (no !== piece.length - at + 4) continue;
    if (no + by > 0xffff) return false;
    view.setUint16(at + 2, no + by, LE);
  }
  return true;
}

/** The host condition's operand: struct inet_diag_hostcond and the address bytes. */
function hostcond(term: Extract<FilterTerm, { op: 'host' }>): Buffer {
  return instruction(term.side === 'src' ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND, 8 + term.addr.length, (operand) => {
    operand.setUint8(0, term.family);
    operand.setUint8(1, term.prefixLen);
    operand.setInt32(4, term.port, LE);
    for (let i = 0; i < term.addr.length; i++) operand.setUint8(8 + i, term.addr[i]);
  });
}

function compile(term: FilterTerm, family: number | undefined): Piece | undefined {
  switch (term.op) {
    case 'true': return true;
    case 'false': return false;
    case 'host':
      // An IPv4 request dumps no IPv6 socket: an IPv6 rule cannot match there.
      if (family === AF_INET && term.family === AF_INET6) return false;
      return hostcond(term);
    case 'port': {
      const code = term.side === 'src'
        ? (term.cmp === 'ge' ? INET_DIAG_BC_S_GE : INET_DIAG_BC_S_LE)
        : (term.cmp === 'ge' ? INET_DIAG_BC_D_GE : INET_DIAG_BC_D_LE);
      // The port sits in the `no` field of a second bc_op.
      return instruction(code, OP_SIZE, (operand) => operand.setUint16(2, term.port, LE));
    }
    case 'dev': return instruction(INET_DIAG_BC_DEV_COND, 4, (operand) => operand.setUint32(0, term.ifindex, LE));
    case 'mark':
      return instruction(INET_DIAG_BC_MARK_COND, 8, (operand) => {
        operand.setUint32(0, term.value, LE);
        operand.setUint32(4, term.mask, LE);
      });
    case 'cgroup': return instruction(INET_DIAG_BC_CGROUP_COND, 8, (operand) => operand.setBigUint64(0, term.id, LE));
    case 'not': {
      const inner = compile(term.term, family);
      if (typeof inner !== 'object') return inner === undefined ? undefined : !inner;
      // Inner true reaches the JMP, which fails out (8 = past itself + 4); inner false lands on the end: true.
      return Buffer.concat([inner, jump(OP_SIZE + 4)]);
    }
    case 'and': {
      const pieces: Buffer[] = [];
      for (const t of term.terms) {
        const piece = compile(t, family);
        if (piece === undefined || piece === false) return piece;
        if (piece !== true) pieces.push(piece);
      }
      if (pieces.length === 0) return true;
      // Each piece's failures move past everything after it.
      let after = 0;
      for (let i = pieces.length - 1; i >= 0; i--) {
        if (!moveFailures(pieces[i], after)) return undefined;
        after += pieces[i].length;
      }
      return Buffer.concat(pieces);
    }
    case 'or': {
      const pieces: Buffer[] = [];
      for (const t of term.terms) {
        const piece = compile(t, family);
        if (piece === undefined || piece === true) return piece;
        if (piece !== false) pieces.push(piece);
      }
      if (pieces.length === 0) return false;
      // After each alternative but the last, a JMP to the end of the whole `or`: that alternative held.
      const parts: Buffer[] = [pieces[pieces.length - 1]];
      let after = pieces[pieces.length - 1].length;
      for (let i = pieces.length - 2; i >= 0; i--) {
        if (after + OP_SIZE > 0xffff) return undefined;
        parts.push(jump(after + OP_SIZE), pieces[i]);
        after += OP_SIZE + pieces[i].length;
      }
      return Buffer.concat(parts.reverse());
    }
  }
}

/**
 * compileSocketFilter compiles a filter's socket conditions (its match
 * fields and `where`; family, protocol and states go into the request
 * header) into an INET_DIAG_REQ_BYTECODE program for inet_diag. `family`
 * (AF_INET or AF_INET6), when given, is the request's: conditions that
 * cannot hold for it are folded away. Returns undefined when no program is
 * needed (the conditions always hold) or when it would not fit in a netlink
 * attribute — the dump's `matchSocket` still applies every condition, so
 * the result is the same; a program that always fails is `JMP 4 8`.
 * Throws a NetlinkError (EINVAL) for a malformed filter.
 *
 * @example
 * compileSocketFilter({ dstPort: 443, src: '10.0.0.0/8' }); // 28 bytes: S_COND 10.0.0.0/8, then D_COND any address port 443
 * compileSocketFilter({ states: ['listening'] }); // undefined: the header takes the states
 */
export function compileSocketFilter(filter: SocketFilter, family?: number): Uint8Array | undefined {
  const program = compile(filterTerm(filter), family);
  if (program === undefined || program === true) return undefined;
  if (program === false) return jump(OP_SIZE + 4);
  return program.length > MAX_PROGRAM ? undefined : program;
}
