/**
 * The shapes of a family description — attribute types, attribute specs and
 * sets, fixed-header layouts — as types only. Every module of the mechanism
 * (attribute-type.ts, attribute-set.ts, compile-decoder.ts) builds or reads
 * these; keeping them here lets those modules depend on one another one way.
 */
import type { NetlinkDecodeError } from '../errors.js';

/**
 * Custom decodes a payload no built-in type covers (a struct, a list of
 * structs, text whose form depends on another field). It throws a
 * `NetlinkDecodeError` for bytes it cannot read; the walker records that on
 * the object and goes on. `target` is the object being built (its fixed
 * header fields are already set), `problems` collects what nested parts
 * found wrong without failing the whole value.
 *
 * @example
 * const via: Custom<RouteVia> = (data, offset, length, target) => decodeVia(data, offset, length, ['route']);
 */
export type Custom<V> = (data: Buffer, offset: number, length: number, target: Record<string, unknown>,
  problems: NetlinkDecodeError[]) => V;

/**
 * AttributeType says how a payload is read (and, for request attributes,
 * written). `expr` is a JavaScript expression over the payload — `d` the
 * buffer, `off` its offset, `n` its length, `o` the object being built — that
 * the compiler inlines (`X` is the message's object, whose fixed-header
 * fields are set; `C` the context for errors); `decode` is a function it calls instead; `set` is a
 * nested attribute set. `size` is the exact payload size, checked first;
 * `sizes` lists the sizes accepted when there are several.
 *
 * @example
 * attr(IFLA_MTU, u32); // mtu: the payload must be 4 bytes
 */
export interface AttributeType<V = unknown> {
  /** The type's name in error messages and docs: 'u32', 'string', 'struct rta_cacheinfo' … */
  readonly name: string;
  /** The payload's exact size in bytes, when it has one. */
  readonly size?: number;
  /** The payload sizes accepted, when there are several (a u32 or a u64). */
  readonly sizes?: readonly number[];
  /** The smallest payload accepted (structs that grow at their end). */
  readonly minSize?: number;
  /** An inlined expression reading the value (see above). */
  readonly expr?: string;
  /** A function `expr` calls as `$F` (a formatter it is parameterised with). */
  readonly fn?: (...args: never[]) => unknown;
  /** A function reading the value, for what an expression cannot say. */
  readonly decode?: Custom<V>;
  /** The attributes nested in this one. */
  readonly set?: AttributeSet;
  /** The items of a nested array (NLA_NESTED_ARRAY): each nested attribute, whatever its number, one object of this set. */
  readonly items?: AttributeSet;
  /** With `items`: the field of each item that records its attribute number (an index, a command …). */
  readonly indexKey?: string;
  /** With `set`: the nested attributes are fields of the enclosing object itself (no object of their own). */
  readonly inline?: boolean;
  /** With `set`: the value is this field of the nested object instead of the object. */
  readonly pick?: string;
  /** Writes a value as a payload (request attributes). */
  encode?(value: V): Uint8Array;
  /** The phantom value type, so descriptions can be checked against object types. */
  readonly __value?: V;
}

/**
 * SubMessages describe a nest whose layout depends on another attribute's
 * value — IFLA_INFO_DATA is a bridge's attributes when IFLA_INFO_KIND is
 * "bridge". The nest is decoded after the walk, so attribute order does not
 * matter; a value without a case keeps the nest as raw attributes in
 * `otherwise`.
 *
 * @example
 * subMessages('kind', { bridge: ['bridge', bridgeAttributes] }, 'data');
 */
export interface SubMessages {
  /** The field (of the same object) whose value selects the layout. */
  readonly by: string;
  /** Per selector value: the field the decoded nest goes to, and its attribute set. */
  readonly cases: Readonly<Record<string, readonly [key: string, set: AttributeSet]>>;
  /** The field that keeps the raw attributes of a value without a case. */
  readonly otherwise: string;
}

/**
 * AttributeSpec is one attribute of a set: its number, the object field it
 * fills, its type; `multi` collects repeated attributes into an array;
 * `alsoRaw` keeps a copy in `unknown` as well (a nest read only in part).
 *
 * @example
 * const spec: AttributeSpec = { type: IFLA_MTU, key: 'mtu', as: u32 };
 */
export interface AttributeSpec {
  readonly type: number;
  readonly key: string;
  readonly as?: AttributeType;
  readonly multi?: boolean;
  readonly alsoRaw?: boolean;
  readonly sub?: SubMessages;
  /** The field the value goes to when it is not the spec's own name (two attributes, one field: IPv4 or IPv6 source). */
  readonly into?: string;
}


/**
 * AttributeSet is a described set of attributes (an nla_policy, in the
 * kernel's terms), with what is needed to compile its walker.
 */
export interface AttributeSet {
  readonly name: string;
  readonly context: readonly string[];
  readonly attributes: readonly AttributeSpec[];
  readonly ignore: readonly number[];
  readonly keepUnknown: boolean;
  /** The spec of an attribute number, if the set has one. */
  spec(type: number): AttributeSpec | undefined;
  /** The spec of a field name, if the set has one. */
  field(key: string): AttributeSpec | undefined;
}

/** One field of a fixed header: its offset and type (a fixed-size type with an `expr`). */
export interface StructField {
  readonly key: string;
  readonly at: number;
  readonly as: AttributeType;
}

/**
 * StructLayout is a fixed family header (struct rtmsg, ifinfomsg …): its
 * size and its fields; padding is simply not described.
 */
export interface StructLayout {
  readonly name: string;
  readonly size: number;
  readonly fields: readonly StructField[];
}

