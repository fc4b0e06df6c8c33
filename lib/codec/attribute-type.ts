/**
 * The vocabulary of family descriptions: how one attribute's payload (or one
 * field of a fixed header) becomes a value, and back. A type is data, not a
 * decoding loop: `compileDecoder` turns a description made of these into
 * straight-line code, so a family costs what hand-written code costs.
 */
import type { AttributeSet, AttributeType, Custom, StructLayout } from './family-description.js';

export type { AttributeType, Custom } from './family-description.js';

function le(size: number, write: (b: Buffer, value: number) => void): (value: number) => Uint8Array {
  return (value) => {
    const b = Buffer.alloc(size);
    write(b, value);
    return b;
  };
}

/** NLA_U8. */
export const u8: AttributeType<number> = { name: 'u8', size: 1, expr: 'd[off]', encode: (v) => Uint8Array.of(v) };
/** NLA_U8 read as a boolean (bridge port switches …). */
export const bool8: AttributeType<boolean> = { name: 'u8', size: 1, expr: 'd[off] !== 0', encode: (v) => Uint8Array.of(v ? 1 : 0) };
/** NLA_U16, host (little-endian) order. */
export const u16: AttributeType<number> = { name: 'u16', size: 2, expr: '(d[off] | (d[off + 1] << 8))', encode: le(2, (b, v) => b.writeUInt16LE(v)) };
/** A u16 in network byte order (ports, ethertypes). */
export const be16: AttributeType<number> = { name: 'be16', size: 2, expr: '((d[off] << 8) | d[off + 1])', encode: le(2, (b, v) => b.writeUInt16BE(v)) };
/** NLA_U32. */
export const u32: AttributeType<number> = { name: 'u32', size: 4, expr: 'R.u32(d, off)', encode: le(4, (b, v) => b.writeUInt32LE(v)) };
/** NLA_S32. */
export const s32: AttributeType<number> = { name: 's32', size: 4, expr: '(d[off] | (d[off + 1] << 8) | (d[off + 2] << 16) | (d[off + 3] << 24))', encode: le(4, (b, v) => b.writeInt32LE(v)) };
/** A u32 in network byte order. */
export const be32: AttributeType<number> = { name: 'be32', size: 4, expr: 'd.readUInt32BE(off)', encode: le(4, (b, v) => b.writeUInt32BE(v)) };
/** NLA_U64 as a bigint (exact). */
export const u64: AttributeType<bigint> = {
  name: 'u64', size: 8, expr: 'd.readBigUInt64LE(off)',
  encode: (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v); return b; },
};
/** A u64 in network byte order, as a bigint (tunnel ids). */
export const be64: AttributeType<bigint> = {
  name: 'be64', size: 8, expr: 'd.readBigUInt64BE(off)',
  encode: (v) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(v); return b; },
};
/** NLA_U64 as a number: counters and lifetimes (exact below 2^53). */
export const u64n: AttributeType<number> = { name: 'u64', size: 8, expr: 'R.u64n(d, off)' };
/** A u64 in network byte order as a number (conntrack counters; exact below 2^53). */
export const be64n: AttributeType<number> = { name: 'be64', size: 8, expr: '(d.readUInt32BE(off) * 0x1_0000_0000 + d.readUInt32BE(off + 4))' };
/** NLA_UINT: a u32 or a u64 by its length, as a number. */
export const uint: AttributeType<number> = { name: 'uint', sizes: [4, 8], expr: '(n === 8 ? R.u64n(d, off) : R.u32(d, off))' };
/** NLA_STRING / NLA_NUL_STRING: UTF-8 up to the first NUL. */
export const string: AttributeType<string> = { name: 'string', expr: 'R.string(d, off, n)', encode: (v) => Buffer.from(`${v}\0`, 'utf8') };
/** NLA_FLAG: present means true. */
export const flag: AttributeType<true> = { name: 'flag', expr: 'true', encode: () => new Uint8Array(0) };
/** NLA_BINARY, copied so it outlives the batch buffer. */
export const binary: AttributeType<Uint8Array> = { name: 'binary', expr: 'R.copy(d, off, n)', encode: (v) => v };
/** Bytes as base64 text (keys, as `wg` prints them). */
export const base64: AttributeType<string> = {
  name: 'base64', expr: "d.toString('base64', off, off + n)", encode: (v) => Buffer.from(v, 'base64'),
};
/** Bytes as a hex string, as iproute2's hexstring_n2a() prints them. */
export const hex: AttributeType<string> = { name: 'hex', expr: "d.toString('hex', off, off + n)" };
/** An IPv4 or IPv6 address (4 or 16 bytes) as inet_ntop text. */
export const inet: AttributeType<string> = { name: 'address', sizes: [4, 16], expr: 'R.inet(d, off, n)' };
/** A hardware address as colon-separated hex. */
export const hexColon: AttributeType<string> = { name: 'lladdr', expr: 'R.hexColon(d, off, n)' };

/**
 * preset is a field that no bytes carry, for a fixed header's layout: the
 * value every object of the kind starts with, which an attribute of the same
 * name may then replace (`blackhole: false` until NHA_BLACKHOLE says true).
 * Keeping it in the header's object literal gives every object the key, in
 * the same place, at no cost.
 *
 * @example
 * struct('struct nhmsg', 8, { family: [0, u8], blackhole: [0, preset(false)] });
 */
export function preset<V extends boolean | number | string | null>(value: V): AttributeType<V> {
  return { name: 'preset', size: 0, expr: JSON.stringify(value) };
}

/**
 * Formatter turns an address payload into text for an address family (see
 * rtnetlink's `formatAddress`); it throws a `NetlinkDecodeError` for a
 * payload of the wrong size.
 */
export type AddressFormatter = (family: number, data: Uint8Array, offset: number, length: number,
  context: readonly string[]) => string;

/**
 * address reads an address whose form depends on the family in field
 * `familyKey` of the message's object (rtm_family, nh_family), formatted by
 * `format` (IPv4/IPv6 of exactly their size, MPLS labels, hex …).
 *
 * @example
 * attr(RTA_GATEWAY, address('family', formatAddress));
 */
export function address(familyKey: string, format: AddressFormatter): AttributeType<string> {
  return { name: 'address', expr: `$F(X.${familyKey}, d, off, n, C)`, fn: format };
}

/**
 * linkAddress reads a hardware address as iproute2 prints it for the
 * ARPHRD_* type in field `typeKey` of the message's object.
 *
 * @example
 * attr(IFLA_ADDRESS, linkAddress('type'));
 */
export function linkAddress(typeKey: string): AttributeType<string> {
  return { name: 'lladdr', expr: `R.llAddr(d, off, n, X.${typeKey})` };
}

/**
 * structOf reads a payload laid out as a fixed struct (`struct(…)`) into an
 * object with its fields, inlined like a fixed header; the payload must be
 * at least the struct's size (a newer kernel may append fields).
 *
 * @example
 * attr(IFA_CACHEINFO, structOf(struct('struct ifa_cacheinfo', 16, { preferred: [0, u32], valid: [4, u32] })));
 */
export function structOf<V>(layout: StructLayout): AttributeType<V> {
  const fields = layout.fields.map((f) => `${f.key}: ${f.as.expr!.replace(/\boff\b/g, `(off + ${f.at})`)}`);
  return { name: layout.name, minSize: layout.size, expr: `({ ${fields.join(', ')} })` };
}

/**
 * custom makes a type from a decoding function; `minSize` is checked before
 * it runs.
 *
 * @example
 * const cacheinfo = custom('struct rta_cacheinfo', decodeRouteCacheInfo, { minSize: 32 });
 */
export function custom<V>(name: string, decode: Custom<V>, sizes: { size?: number; minSize?: number } = {}): AttributeType<V> {
  return { name, decode, ...sizes };
}

/**
 * nested reads the attributes nested in this one as an object described by
 * `set`; with `pick`, the value is that one field of it.
 *
 * @example
 * attr(RTA_METRICS, nested(metricAttributes));
 */
export function nested<V = Record<string, unknown>>(set: AttributeSet, pick?: string): AttributeType<V> {
  return { name: set.name, set, pick };
}

/**
 * nestedArray reads a nest whose attributes are the items of an array
 * (NLA_NESTED_ARRAY: numbered 1, 2 … or all 0), each an object described by
 * `set`, in the order received; with `indexKey`, each item also records its
 * attribute number in that field (arrays indexed by command, policy …).
 *
 * @example
 * attr(CTRL_ATTR_OPS, nestedArray(opAttributes)); // [{ id: 3, flags: 14 }, …]
 * attr(CTRL_ATTR_OP_POLICY, nestedArray(opPolicyAttributes, 'cmd')); // [{ cmd: 3, do: 0, dump: 1 }, …]
 */
export function nestedArray<V = Record<string, unknown>>(set: AttributeSet, indexKey?: string): AttributeType<V[]> {
  return { name: set.name, items: set, indexKey };
}

/**
 * inline reads the attributes nested in this one as fields of the enclosing
 * object, as if they were its own (a conntrack tuple's addresses and ports).
 *
 * @example
 * attributeSet('CTA_TUPLE', { ip: attr(CTA_TUPLE_IP, inline(ipAttributes)), proto: attr(CTA_TUPLE_PROTO, inline(protoAttributes)) });
 */
export function inline(set: AttributeSet): AttributeType<never> {
  return { name: set.name, set, inline: true };
}
