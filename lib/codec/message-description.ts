/**
 * A message kind, described: its nlmsg types, fixed header and attribute set
 * — from which its decoder and its request encoder follow. Every family
 * (rtnetlink, sock_diag, generic netlink, ctnetlink) is made of these.
 */
import { NLMSG_HDRLEN, type NetlinkMessage } from './header.js';
import type { AttributeSet, AttributeSpec } from './attribute-set.js';
import { MessageWriter } from './attributes.js';
import { compileBodyDecoder, type StructLayout } from './compile-decoder.js';

/** Field values to encode: by field name, as the decoded object has them. */
export type FieldValues = Readonly<Record<string, unknown>>;

/**
 * MessageDescription is a described message kind with its compiled decoder.
 *
 * @example
 * const route = routeMessage.decode(msg); // a Route, problems recorded on it
 * const payload = routeMessage.encode({ family: AF_INET }, { table: 100 });
 */
export interface MessageDescription<T> {
  /** The kernel's name of the kind, e.g. 'RTM_NEWROUTE': the context of its errors. */
  readonly name: string;
  readonly header: StructLayout;
  readonly attributes: AttributeSet;
  /**
   * Decodes one message. Throws a `NetlinkDecodeError` only when the message
   * is shorter than its fixed header; every other fault is in `problems`.
   */
  decode(msg: NetlinkMessage): T;
  /** Decodes a payload without its nlmsghdr (a request's, for instance). */
  decodePayload(payload: Uint8Array): T;
  /**
   * Encodes a payload (fixed header, then attributes in the set's order) from
   * header field values and attribute field values; absent values are zero
   * in the header and left out of the attributes.
   */
  encode(header: FieldValues, attributes?: FieldValues): Uint8Array;
}

function encodeAttributes(w: MessageWriter, set: AttributeSet, values: FieldValues): void {
  for (const spec of set.attributes) {
    // An inline nest takes its fields from the same object.
    const value = spec.as?.inline ? values : values[spec.key];
    if (value === undefined) continue;
    if (spec.multi && Array.isArray(value)) {
      for (const one of value) encodeAttribute(w, set, spec, one);
    } else {
      encodeAttribute(w, set, spec, value);
    }
  }
}

/** One attribute of `spec`'s type: a nest (picked or whole), a nested array, or an encoded payload. */
function encodeAttribute(w: MessageWriter, set: AttributeSet, spec: AttributeSpec, value: unknown): void {
  const type = spec.as;
  if (type?.inline && type.set) {
    // The enclosing object's own fields, nested on the wire.
    const fields = value as FieldValues;
    if (!type.set.attributes.some((inner) => fields[inner.key] !== undefined)) return;
    w.beginNested(spec.type);
    encodeAttributes(w, type.set, fields);
    w.endNested();
  } else if (type?.set) {
    // A picked nest carries its one field.
    w.beginNested(spec.type);
    encodeAttributes(w, type.set, type.pick === undefined ? value as FieldValues : { [type.pick]: value });
    w.endNested();
  } else if (type?.items) {
    // NLA_NESTED_ARRAY: items numbered from 1, or by their index field.
    const items = type.items;
    w.beginNested(spec.type);
    (value as FieldValues[]).forEach((item, i) => {
      w.beginNested(type.indexKey === undefined ? i + 1 : Number(item[type.indexKey]));
      encodeAttributes(w, items, item);
      w.endNested();
    });
    w.endNested();
  } else if (type?.encode) {
    w.attr(spec.type, (type.encode as (v: unknown) => Uint8Array)(value));
  } else {
    throw new Error(`${set.name}.${spec.key}: its type cannot be encoded`);
  }
}

/**
 * describeMessage makes a message kind from its fixed header and attribute
 * set and compiles its decoder.
 *
 * @example
 * export const routeMessage = describeMessage<Route>('RTM_NEWROUTE', rtmsg, routeAttributes);
 */
export function describeMessage<T>(name: string, header: StructLayout, attributes: AttributeSet): MessageDescription<T> {
  const body = compileBodyDecoder<T>(name, header, attributes);
  return {
    name,
    header,
    attributes,
    decode: (msg) => body(msg.data, msg.offset + NLMSG_HDRLEN, msg.offset + msg.length, msg.offset),
    decodePayload(payload) {
      const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      return body(data, 0, data.length, 0);
    },
    encode(headerValues, attributeValues = {}) {
      const w = new MessageWriter(64);
      const fixed = w.struct(header.size);
      for (const field of header.fields) {
        const value = headerValues[field.key];
        if (value === undefined) continue;
        if (!field.as.encode) throw new Error(`${header.name}.${field.key}: its type cannot be encoded`);
        fixed.set((field.as.encode as (v: unknown) => Uint8Array)(value), field.at);
      }
      encodeAttributes(w, attributes, attributeValues);
      return Uint8Array.prototype.slice.call(w.bytes());
    },
  };
}
