/**
 * Netlink attributes (struct nlattr, <linux/netlink.h>): a cursor that reads
 * them at offsets into the batch buffer, and a writer for requests.
 */
import { NetlinkDecodeError } from '../errors.js';
import { align } from './align.js';
import { NLMSG_HDRLEN, writeHeader, type HeaderFields } from './header.js';

/** sizeof(struct nlattr): len u16, type u16. */
export const NLA_HDRLEN = 4;
export const NLA_F_NESTED = 1 << 15;
export const NLA_F_NET_BYTEORDER = 1 << 14;
/** `#define NLA_TYPE_MASK ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER)` */
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/**
 * AttributeCursor walks the attributes in `data[start, end)`. After `next()`
 * returns true, `type`, `offset` (of the payload) and `length` (of the payload)
 * describe the current attribute, and the typed getters read it, checking its
 * exact length. A header that runs past `end` stops the walk and leaves a
 * sticky `error`; a getter on an attribute of the wrong size throws a
 * `NetlinkDecodeError` for that attribute alone.
 *
 * @example
 * const cursor = new AttributeCursor(msg.data, msg.offset + NLMSG_HDRLEN + 16, msg.offset + msg.length);
 * while (cursor.next()) if (cursor.type === IFLA_IFNAME) name = cursor.string();
 */
export class AttributeCursor {
  /** Attribute type, without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits. */
  type = 0;
  /** The raw nla_type, flags included. */
  rawType = 0;
  /** Offset of the current attribute's payload in `data`. */
  offset = 0;
  /** Length of the current attribute's payload (nla_len minus the header). */
  length = 0;
  /** The first framing error met; the walk stops there. */
  error: NetlinkDecodeError | undefined;
  #next: number;

  constructor(
    readonly data: Buffer,
    start: number,
    readonly end: number,
    readonly context: readonly string[] = [],
  ) {
    this.#next = start;
  }

  /** Advances to the next attribute; false at the end or after a framing error. */
  next(): boolean {
    const at = this.#next;
    if (this.error || at + NLA_HDRLEN > this.end) {
      if (!this.error && at < this.end) this.error = new NetlinkDecodeError('attribute header cut short', at, this.context);
      return false;
    }
    // Plain byte arithmetic: the 4 header bytes are within `end` (Buffer's readers would check again).
    const d = this.data;
    const nlaLen = d[at] | (d[at + 1] << 8);
    if (nlaLen < NLA_HDRLEN || at + nlaLen > this.end) {
      this.error = new NetlinkDecodeError(`attribute length ${nlaLen} runs past its container`, at, this.context);
      return false;
    }
    this.rawType = d[at + 2] | (d[at + 3] << 8);
    this.type = this.rawType & NLA_TYPE_MASK;
    this.offset = at + NLA_HDRLEN;
    this.length = nlaLen - NLA_HDRLEN;
    this.#next = at + align(nlaLen);
    return true;
  }

  #expect(size: number, what: string): void {
    if (this.length !== size) {
      throw new NetlinkDecodeError(`attribute ${this.type}: ${what} needs ${size} bytes, has ${this.length}`,
        this.offset, this.context);
    }
  }

  u8(): number {
    this.#expect(1, 'u8');
    return this.data[this.offset];
  }

  u16(): number {
    this.#expect(2, 'u16');
    return this.data.readUInt16LE(this.offset);
  }

  /** A u16 in network byte order (ports). */
  be16(): number {
    this.#expect(2, 'be16');
    return this.data.readUInt16BE(this.offset);
  }

  u32(): number {
    this.#expect(4, 'u32');
    const d = this.data;
    const at = this.offset;
    return (d[at] | (d[at + 1] << 8) | (d[at + 2] << 16)) + d[at + 3] * 0x100_0000;
  }

  be32(): number {
    this.#expect(4, 'be32');
    return this.data.readUInt32BE(this.offset);
  }

  s32(): number {
    this.#expect(4, 's32');
    return this.data.readInt32LE(this.offset);
  }

  u64(): bigint {
    this.#expect(8, 'u64');
    return this.data.readBigUInt64LE(this.offset);
  }

  /** A u64 as a number (exact below 2^53; counters and lifetimes fit). */
  u64n(): number {
    this.#expect(8, 'u64');
    return this.data.readUInt32LE(this.offset) + this.data.readUInt32LE(this.offset + 4) * 0x1_0000_0000;
  }

  /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING); the NUL is dropped. */
  string(): string {
    let end = this.offset + this.length;
    const nul = this.data.indexOf(0, this.offset);
    if (nul >= 0 && nul < end) end = nul;
    return this.data.toString('utf8', this.offset, end);
  }

  /** The payload as a view (no copy): valid as long as the batch buffer is. */
  bytes(): Buffer {
    return this.data.subarray(this.offset, this.offset + this.length);
  }

  /** A cursor over the attributes nested in this one. */
  nested(name?: string): AttributeCursor {
    return new AttributeCursor(this.data, this.offset, this.offset + this.length,
      name === undefined ? this.context : [...this.context, name]);
  }
}

/**
 * MessageWriter builds request messages: a header, a fixed family struct,
 * attributes (nested ones too). Lengths are filled in when a part ends.
 *
 * @example
 * const w = new MessageWriter();
 * w.begin({ type: RTM_GETROUTE, flags: NLM_F_REQUEST | NLM_F_DUMP });
 * w.struct(12).writeUInt8(AF_INET, 0);  // struct rtmsg
 * w.u32(RTA_TABLE, 254);
 * const request = w.end();
 */
export class MessageWriter {
  #data: Buffer;
  #length = 0;
  #message = 0;
  readonly #nests: number[] = [];

  constructor(capacity = 256) {
    this.#data = Buffer.alloc(capacity);
  }

  #reserve(size: number): number {
    const at = this.#length;
    if (at + size > this.#data.length) {
      const grown = Buffer.alloc(Math.max(this.#data.length * 2, at + size));
      this.#data.copy(grown, 0, 0, at);
      this.#data = grown;
    }
    this.#length = at + align(size);
    return at;
  }

  /** Starts a message; its length is written by `end()`. */
  begin(header: HeaderFields): this {
    this.#message = this.#reserve(NLMSG_HDRLEN);
    writeHeader(this.#data, this.#message, 0, header);
    return this;
  }

  /** Appends `size` zeroed bytes (a family header such as struct ifinfomsg) and returns them to fill. */
  struct(size: number): Buffer {
    const at = this.#reserve(size);
    return this.#data.subarray(at, at + size);
  }

  /** Appends an attribute with the given payload. */
  attr(type: number, payload: Uint8Array): this {
    const at = this.#reserve(NLA_HDRLEN + payload.length);
    this.#data.writeUInt16LE(NLA_HDRLEN + payload.length, at);
    this.#data.writeUInt16LE(type, at + 2);
    this.#data.set(payload, at + NLA_HDRLEN);
    return this;
  }

  u8(type: number, value: number): this {
    return this.attr(type, Uint8Array.of(value));
  }

  u16(type: number, value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value);
    return this.attr(type, b);
  }

  u32(type: number, value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    return this.attr(type, b);
  }

  s32(type: number, value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    return this.attr(type, b);
  }

  u64(type: number, value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    return this.attr(type, b);
  }

  /** A NUL-terminated string attribute. */
  string(type: number, value: string): this {
    return this.attr(type, Buffer.from(`${value}\0`, 'utf8'));
  }

  /** An attribute with no payload (NLA_FLAG). */
  flag(type: number): this {
    return this.attr(type, new Uint8Array(0));
  }

  /** Starts a nested attribute (NLA_F_NESTED is set); close it with `endNested()`. */
  beginNested(type: number): this {
    const at = this.#reserve(NLA_HDRLEN);
    this.#data.writeUInt16LE(type | NLA_F_NESTED, at + 2);
    this.#nests.push(at);
    return this;
  }

  endNested(): this {
    const at = this.#nests.pop();
    if (at === undefined) throw new Error('endNested() without beginNested()');
    this.#data.writeUInt16LE(this.#length - at, at);
    return this;
  }

  /**
   * The bytes written so far, as they are: for a payload (family struct and
   * attributes) written without `begin()`, which a dump request carries.
   */
  bytes(): Buffer {
    return this.#data.subarray(0, this.#length);
  }

  /** Ends the current message (writing its length) and returns every message written so far. */
  end(): Buffer {
    this.#data.writeUInt32LE(this.#length - this.#message, this.#message);
    return this.#data.subarray(0, this.#length);
  }
}
