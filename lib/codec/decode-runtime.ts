/**
 * The few functions compiled decoders call (as `R.…`): reads that are too
 * long to inline, copies, and the errors a walk records. Kept in one object
 * so generated code reaches them through a single constant.
 */
import { NetlinkDecodeError } from '../errors.js';
import { hexColonText, inetText, llAddrText } from './address-text.js';
import type { RawAttribute } from './raw-attribute.js';
import { asDecodeError } from './raw-attribute.js';

/** A compiled walker (see compile-decoder.ts), as the runtime calls it. */
type Walker = (d: Buffer, at: number, end: number, o: object, root: object, problems: NetlinkDecodeError[]) => unknown;

/** Reads a u32 (little-endian) by byte arithmetic: the walker already bounds-checked it. */
function u32(d: Buffer, at: number): number {
  return (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16)) + d[at + 3] * 0x100_0000;
}

/** Reads a u64 as a number (exact below 2^53). */
function u64n(d: Buffer, at: number): number {
  return u32(d, at) + u32(d, at + 4) * 0x1_0000_0000;
}

/** NLA_STRING: up to the first NUL, or the whole payload. */
function string(d: Buffer, off: number, n: number): string {
  let end = off + n;
  const nul = d.indexOf(0, off);
  if (nul >= 0 && nul < end) end = nul;
  return d.toString('utf8', off, end);
}

function copy(d: Buffer, off: number, n: number): Uint8Array {
  return new Uint8Array(d.subarray(off, off + n));
}

function raw(type: number, d: Buffer, off: number, n: number): RawAttribute {
  return { type, data: copy(d, off, n) };
}

/**
 * eachAttribute visits the attributes of `[at, end)` in order — type
 * (without flag bits), payload offset and length — and records a header cut
 * short or a length past the container in `problems`, where the walk stops.
 * The one loop of the runtime (the compiled walkers inline their own).
 *
 * @example
 * eachAttribute(d, off, off + n, ['CTA_POLICY'], problems, (type, at, length) => list.push(type));
 */
export function eachAttribute(d: Buffer, at: number, end: number, context: readonly string[], problems: NetlinkDecodeError[],
  visit: (type: number, offset: number, length: number) => void): void {
  while (at < end) {
    if (end - at < 4) {
      problems.push(cut(at, context));
      return;
    }
    const len = d[at] | (d[at + 1] << 8);
    if (len < 4 || len > end - at) {
      problems.push(past(len, at, context));
      return;
    }
    visit((d[at + 2] | (d[at + 3] << 8)) & 0x3fff, at + 4, len - 4);
    at += (len + 3) & ~3;
  }
}

/** The attributes of a nest no description covers, raw; framing errors go to `problems`. */
function rawList(d: Buffer, at: number, end: number, context: readonly string[], problems: NetlinkDecodeError[]): RawAttribute[] {
  const list: RawAttribute[] = [];
  eachAttribute(d, at, end, context, problems, (type, off, n) => list.push(raw(type, d, off, n)));
  return list;
}

/** The items of a nested array, each walked into an object of its own; framing errors go to `problems`. */
function items(d: Buffer, at: number, end: number, walk: Walker, root: object, problems: NetlinkDecodeError[],
  context: readonly string[], indexKey?: string): object[] {
  const list: Record<string, unknown>[] = [];
  eachAttribute(d, at, end, context, problems, (type, off, n) => {
    const item: Record<string, unknown> = {};
    if (indexKey !== undefined) item[indexKey] = type;
    walk(d, off, off + n, item, root, problems);
    list.push(item);
  });
  return list;
}

function cut(at: number, context: readonly string[]): NetlinkDecodeError {
  return new NetlinkDecodeError('attribute header cut short', at, context);
}

function past(len: number, at: number, context: readonly string[]): NetlinkDecodeError {
  return new NetlinkDecodeError(`attribute length ${len} runs past its container`, at, context);
}

function size(type: number, what: string, sizes: string, n: number, off: number, context: readonly string[]): NetlinkDecodeError {
  return new NetlinkDecodeError(`attribute ${type}: ${what} needs ${sizes} bytes, has ${n}`, off, context);
}

function header(name: string, need: number, has: number, at: number, context: readonly string[]): NetlinkDecodeError {
  return new NetlinkDecodeError(`${name} needs ${need} bytes, message has ${has}`, at, context);
}

/**
 * decodeRuntime is what generated decoders call; see compile-decoder.ts.
 *
 * @example
 * new Function('R', body)(decodeRuntime);
 */
export const decodeRuntime = {
  u32, u64n, string, copy, raw, rawList, items, cut, past, size, header,
  inet: (d: Buffer, off: number, n: number) => inetText(d, off, n),
  hexColon: (d: Buffer, off: number, n: number) => hexColonText(d, off, n),
  llAddr: (d: Buffer, off: number, n: number, arphrd: number) => llAddrText(d, off, n, arphrd),
  problem: asDecodeError,
};

export type DecodeRuntime = typeof decodeRuntime;
