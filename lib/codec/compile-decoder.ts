/**
 * The one attribute walker, compiled: a family's description (fixed header
 * layout + attribute sets) becomes one JavaScript function per set, with a
 * `switch` over attribute numbers and named property stores — what a
 * hand-written decoder would be, so a described family decodes as fast as
 * one. Generated once per description, at load time.
 *
 * The walk (every set, every family): an attribute header cut short or a
 * length that runs past its container ends the walk with a problem; a payload
 * of the wrong size, or one a custom reader refuses, is a problem for that
 * attribute alone; unknown attributes are kept raw in `unknown`; problems go
 * to the message's `problems`. Only a message shorter than its fixed header
 * throws: it cannot be an object at all.
 */
import type { AttributeSet, AttributeSpec, AttributeType, StructLayout } from './family-description.js';

export type { StructField, StructLayout } from './family-description.js';
import { decodeRuntime } from './decode-runtime.js';
import type { NetlinkDecodeError } from '../errors.js';

/**
 * struct describes a fixed header: `fields` maps names to [offset, type].
 *
 * @example
 * const rtmsg = struct('struct rtmsg', 12, { family: [0, u8], dstLen: [1, u8], flags: [8, u32] });
 */
export function struct(name: string, size: number,
  fields: Readonly<Record<string, readonly [number, AttributeType]>>): StructLayout {
  const list = Object.entries(fields).map(([key, [at, as]]) => {
    if (as.expr === undefined || as.size === undefined || at + as.size > size) {
      throw new Error(`${name}.${key}: a header field needs a fixed-size type inside the struct`);
    }
    return { key, at, as };
  });
  return { name, size, fields: list };
}

/** Decodes a body: the fixed header at `base`, attributes up to `end`. `at` is where the message starts (for errors). */
export type BodyDecoder<T> = (data: Buffer, base: number, end: number, at: number) => T;

/** Walks a set's attributes in `[start, end)` into `target`; returns `problems` (allocated when first needed). */
export type AttributeWalker = (data: Buffer, start: number, end: number, target: object, root: object,
  problems: NetlinkDecodeError[] | undefined) => NetlinkDecodeError[] | undefined;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function checkKey(key: string, where: string): string {
  if (!IDENTIFIER.test(key)) throw new Error(`${where}: field name ${JSON.stringify(key)} is not an identifier`);
  return key;
}

/** Collects what generated code refers to: contexts, functions, and one walker per set. */
class Generator {
  readonly contexts: (readonly string[])[] = [];
  readonly functions: unknown[] = [];
  readonly #walkers = new Map<AttributeSet, number>();
  readonly #code: string[] = [];

  context(context: readonly string[]): string {
    this.contexts.push(context);
    return `C${this.contexts.length - 1}`;
  }

  fn(f: unknown): string {
    this.functions.push(f);
    return `F${this.functions.length - 1}`;
  }

  /** The name of `set`'s walker, generating it (and the walkers it calls) on first use. */
  walker(set: AttributeSet): string {
    let index = this.#walkers.get(set);
    if (index === undefined) {
      index = this.#walkers.size;
      this.#walkers.set(set, index);
      this.#code.push(this.#walk(set, `W${index}`));
    }
    return `W${index}`;
  }

  get code(): string {
    return this.#code.join('\n');
  }

  /** The code that reads a value of `type` from `d[off, off + n)`, checks first. */
  value(type: AttributeType, t: number, C: string): { check: string; read: string } {
    const checks: string[] = [];
    const what = JSON.stringify(type.name);
    if (type.size !== undefined) checks.push(`if (n !== ${type.size}) throw R.size(${t}, ${what}, '${type.size}', n, off, ${C});`);
    if (type.sizes !== undefined) {
      checks.push(`if (${type.sizes.map((s) => `n !== ${s}`).join(' && ')}) throw R.size(${t}, ${what}, '${type.sizes.join(' or ')}', n, off, ${C});`);
    }
    if (type.minSize !== undefined) checks.push(`if (n < ${type.minSize}) throw R.size(${t}, ${what}, 'at least ${type.minSize}', n, off, ${C});`);
    let read: string;
    if (type.expr !== undefined) {
      read = type.fn ? type.expr.replace(/\$F/g, this.fn(type.fn)) : type.expr;
      read = read.replace(/\bC\b/g, C);
    } else if (type.decode !== undefined) {
      read = `${this.fn(type.decode)}(d, off, n, X, P ??= [])`;
    } else if (type.items !== undefined) {
      const index = type.indexKey === undefined ? '' : `, ${JSON.stringify(checkKey(type.indexKey, type.name))}`;
      read = `R.items(d, off, off + n, ${this.walker(type.items)}, X, P ??= [], ${C}${index})`;
    } else if (type.set !== undefined) {
      read = `(P = ${this.walker(type.set)}(d, off, off + n, V = {}, X, P), V)`;
      if (type.pick !== undefined) {
        const path = type.pick.split('.').map((k) => checkKey(k, type.name));
        const picked = type.set.field(path[0]);
        read = `(${read}${path.map((k) => `?.${k}`).join('')}${path.length === 1 && picked?.multi ? ' ?? []' : ''})`;
      }
    } else {
      throw new Error(`type ${type.name} has no way to be read`);
    }
    return { check: checks.join(' '), read };
  }

  #case(spec: AttributeSpec, set: AttributeSet, C: string, subs: string[]): string {
    const key = checkKey(spec.key, set.name);
    const t = spec.type;
    if (spec.sub) {
      const s = subs.length;
      subs.push(this.#sub(spec, s, set, C));
      return `case ${t}: S${s} = off; N${s} = n; break;`;
    }
    if (spec.as!.inline && spec.as!.set) {
      return `case ${t}: P = ${this.walker(spec.as!.set)}(d, off, off + n, o, X, P); break;`;
    }
    const { check, read } = this.value(spec.as!, t, C);
    const raw = spec.alsoRaw ? ` (U ??= []).push(R.raw(${t}, d, off, n));` : '';
    if (spec.multi) return `case ${t}: { ${check} (o.${key} ??= []).push(${read});${raw} break; }`;
    if (spec.as!.pick !== undefined) {
      return `case ${t}: { ${check} const v = ${read}; if (v !== undefined) o.${key} = v;${raw} break; }`;
    }
    return `case ${t}: { ${check} o.${key} = ${read};${raw} break; }`;
  }

  /** After the walk: the nest of a sub-message attribute, decoded by the set its selector names. */
  #sub(spec: AttributeSpec, s: number, set: AttributeSet, C: string): string {
    const sub = spec.sub!;
    const cases = Object.entries(sub.cases).map(([value, [key, nestedSet]]) =>
      `case ${JSON.stringify(value)}: P = ${this.walker(nestedSet)}(d, S${s}, S${s} + N${s}, V = {}, X, P); o.${checkKey(key, set.name)} = V; break;`);
    return `if (S${s} >= 0) switch (o.${checkKey(sub.by, set.name)}) { ${cases.join(' ')} ` +
      `default: o.${checkKey(sub.otherwise, set.name)} = R.rawList(d, S${s}, S${s} + N${s}, ${C}, P ??= []); }`;
  }

  #walk(set: AttributeSet, name: string): string {
    const C = this.context(set.context);
    const subs: string[] = [];
    const cases = set.attributes.map((spec) => this.#case(spec, set, C, subs));
    const ignored = set.ignore.map((t) => `case ${t}:`).join(' ');
    const unknown = set.keepUnknown ? '(U ??= []).push(R.raw(t, d, off, n));' : '';
    const subVars = subs.map((_, s) => `let S${s} = -1, N${s} = 0;`).join(' ');
    return `function ${name}(d, at, end, o, X, P) {
  let U, V; ${subVars}
  while (at < end) {
    if (end - at < 4) { (P ??= []).push(R.cut(at, ${C})); break; }
    const len = d[at] | (d[at + 1] << 8);
    if (len < 4 || len > end - at) { (P ??= []).push(R.past(len, at, ${C})); break; }
    const t = (d[at + 2] | (d[at + 3] << 8)) & 0x3fff;
    const off = at + 4, n = len - 4;
    try {
      switch (t) {
        ${cases.join('\n        ')}
        ${ignored ? `${ignored} break;` : ''}
        default: ${unknown}
      }
    } catch (e) { (P ??= []).push(R.problem(e)); }
    at += (len + 3) & ~3;
  }
  if (U !== undefined) o.unknown = U;
  ${subs.join('\n  ')}
  return P;
}`;
  }

  /** Compiles `body` (which may call walkers) into a function of the generated scope. */
  link<T>(body: string): T {
    const contexts = this.contexts.map((_, i) => `const C${i} = CX[${i}];`).join('\n');
    const functions = this.functions.map((_, i) => `const F${i} = FX[${i}];`).join('\n');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once per description, from descriptions only
    return new Function('R', 'CX', 'FX', `'use strict';\n${contexts}\n${functions}\n${this.code}\n${body}`)(
      decodeRuntime, this.contexts, this.functions) as T;
  }
}

/**
 * compileBodyDecoder compiles a message kind's decoder: the fixed header read
 * into one object literal (one shape for every object of the kind), then the
 * attributes after NLMSG_ALIGN(header size). A body shorter than the header
 * throws a `NetlinkDecodeError`; everything else is recorded on the object.
 *
 * @example
 * const decode = compileBodyDecoder('RTM_NEWROUTE', rtmsg, routeAttributes);
 * const route = decode(msg.data, msg.offset + 16, msg.offset + msg.length, msg.offset);
 */
export function compileBodyDecoder<T>(name: string, header: StructLayout, set: AttributeSet): BodyDecoder<T> {
  const g = new Generator();
  const C = g.context([name]);
  const fields = header.fields.map((f) => {
    const { read } = g.value(f.as, 0, C);
    return `${checkKey(f.key, header.name)}: ${read.replace(/\boff\b/g, `(base + ${f.at})`)}`;
  });
  const start = (header.size + 3) & ~3;
  const walk = set.attributes.length > 0 || set.keepUnknown ? `const P = ${g.walker(set)}(d, base + ${start}, end, o, o, undefined);
  if (P !== undefined && P.length > 0) o.problems = P;` : '';
  return g.link<BodyDecoder<T>>(`return function decode(d, base, end, at) {
  if (end - base < ${header.size}) throw R.header(${JSON.stringify(header.name)}, ${header.size}, end - base, at, ${C});
  const o = { ${fields.join(', ')} };
  ${walk}
  return o;
};`);
}

/**
 * compileWalker compiles one attribute set's walker on its own, for a custom
 * reader that finds attributes inside its own structs (the next hops of
 * RTA_MULTIPATH each carry RTA_* attributes). `root` is what `address`-like
 * types read their family from.
 *
 * @example
 * const walk = compileWalker(nexthopAttributes);
 * problems = walk(data, at + 8, at + length, hop, route, problems);
 */
export function compileWalker(set: AttributeSet): AttributeWalker {
  const g = new Generator();
  const name = g.walker(set);
  return g.link<AttributeWalker>(`return ${name};`);
}
