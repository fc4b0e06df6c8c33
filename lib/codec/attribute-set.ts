/**
 * Attribute sets: which attributes a message (or a nest) carries, under which
 * field names, of which types — the declarative half of a family. Numbers
 * come from the kernel's uapi headers; nothing here reads bytes.
 */
import type { AttributeType } from './attribute-type.js';

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

/** An attribute in a set's field map: everything of `AttributeSpec` but its key. */
export type AttributeField = Omit<AttributeSpec, 'key'>;

/**
 * AttributeSetOptions: `ignore` lists attribute numbers that carry nothing
 * (padding, duplicates of a typed attribute); `unknown: 'drop'` is for a nest
 * decoded only in part whose whole bytes are kept elsewhere.
 */
export interface AttributeSetOptions {
  readonly ignore?: readonly number[];
  readonly unknown?: 'keep' | 'drop';
  /** Context for error messages, outermost first; default: `[name]`. */
  readonly context?: readonly string[];
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

/**
 * attr describes one attribute: its number and type.
 *
 * @example
 * attributeSet('IFLA', { mtu: attr(IFLA_MTU, u32) });
 */
export function attr(type: number, as: AttributeType,
  options: { multi?: boolean; alsoRaw?: boolean; into?: string } = {}): AttributeField {
  return { type, as, ...options };
}

/**
 * subMessages describes an attribute whose nest is laid out by another
 * field's value (see `SubMessages`).
 *
 * @example
 * attributeSet('IFLA_LINKINFO', {
 *   kind: attr(IFLA_INFO_KIND, string),
 *   data: subMessages(IFLA_INFO_DATA, 'kind', { bridge: ['bridge', bridgeAttributes] }),
 * });
 */
export function subMessages(type: number, by: string,
  cases: Readonly<Record<string, readonly [string, AttributeSet]>>): AttributeField {
  return { type, sub: { by, cases, otherwise: '' } };
}

/**
 * attributeSet describes a set of attributes under field names. Attributes
 * not in the set are kept raw in `unknown` (unless `unknown: 'drop'`), so a
 * newer kernel never loses data.
 *
 * @example
 * const metrics = attributeSet('RTA_METRICS', { mtu: attr(RTAX_MTU, u32), congctl: attr(RTAX_CC_ALGO, string) });
 */
export function attributeSet(name: string, fields: Readonly<Record<string, AttributeField>>,
  options: AttributeSetOptions = {}): AttributeSet {
  const attributes: AttributeSpec[] = [];
  const byType = new Map<number, AttributeSpec>();
  const byKey = new Map<string, AttributeSpec>();
  for (const [key, field] of Object.entries(fields)) {
    const target = field.into ?? key;
    const spec: AttributeSpec = field.sub ? { ...field, key: target, sub: { ...field.sub, otherwise: target } } : { ...field, key: target };
    if (byType.has(spec.type)) throw new Error(`${name}: attribute ${spec.type} described twice`);
    byType.set(spec.type, spec);
    byKey.set(target, spec);
    attributes.push(spec);
  }
  return {
    name,
    context: options.context ?? [name],
    attributes,
    ignore: options.ignore ?? [],
    keepUnknown: options.unknown !== 'drop',
    spec: (type) => byType.get(type),
    field: (key) => byKey.get(key),
  };
}
