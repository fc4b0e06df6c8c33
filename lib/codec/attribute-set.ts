/**
 * Attribute sets: which attributes a message (or a nest) carries, under which
 * field names, of which types — the declarative half of a family. Numbers
 * come from the kernel's uapi headers; nothing here reads bytes.
 */
import type { AttributeSet, AttributeSpec, AttributeType } from './family-description.js';

export type { AttributeSet, AttributeSpec, SubMessages } from './family-description.js';

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
