/**
 * Splitting a batch (one read: datagrams back to back) into message views,
 * with the fragment checks of DESIGN.md rule 5.
 */
import { NetlinkDecodeError } from '../errors.js';
import type { Batch } from '../transport/transport.js';
import { align } from './align.js';
import { NLMSG_HDRLEN, type NetlinkMessage } from './header.js';

/**
 * MessageBatch is the unit of the dump pipeline: the messages of one read, in
 * order, as views into the read's buffer. RxJS work is paid per batch, not per
 * message.
 *
 * @example
 * dumpBatches(request).subscribe((batch: MessageBatch) => console.log(batch.length));
 */
export type MessageBatch = readonly NetlinkMessage[];

/**
 * SplitResult is what `splitMessages` found: every whole message up to the
 * first malformed byte, and the error there, if any.
 *
 * @example
 * const { messages, error } = splitMessages(batch);
 */
export interface SplitResult {
  /** The whole messages before the first fragment (all of them when `error` is undefined). */
  readonly messages: NetlinkMessage[];
  /** Set when the batch holds a fragment or a datagram cut by recvmsg. */
  readonly error?: NetlinkDecodeError;
}

/**
 * splitMessages cuts a batch into message views, datagram by datagram
 * (`batch.ends`), so a length that runs past its own datagram is caught even
 * when more bytes follow in the batch. A header shorter than 16 bytes, an
 * `nlmsg_len` below 16 or past the datagram's end, and a datagram truncated by
 * recvmsg (`batch.truncated`, always the last one) are `EPROTO` fragments: the
 * messages before the fragment are returned with the error, so a reader can
 * hand them on first (DESIGN.md rule 7). The truncated datagram gives no
 * messages at all: its tail, and perhaps its NLMSG_DONE, is lost.
 *
 * @example
 * const { messages, error } = splitMessages(await socket.read());
 * for (const msg of messages) handle(msg);
 * if (error) throw error;
 */
export function splitMessages(batch: Batch): SplitResult {
  const { data, ends } = batch;
  const messages: NetlinkMessage[] = [];
  const whole = batch.truncated ? ends.length - 1 : ends.length;
  let start = 0;
  for (let d = 0; d < whole; d++) {
    const end = ends[d];
    // A transport's own framing is checked too: datagram ends must rise within the buffer.
    if (!(end >= start && end <= data.length)) {
      return { messages, error: new NetlinkDecodeError(`datagram end ${end} outside the batch of ${data.length} bytes`, start, ['batch']) };
    }
    let at = start;
    while (at < end) {
      if (end - at < NLMSG_HDRLEN) {
        return { messages, error: new NetlinkDecodeError(`header cut short: ${end - at} of 16 bytes`, at, ['batch']) };
      }
      // Plain byte arithmetic: the 16 bytes are known to be there (Buffer's readers would check again).
      const length = (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16)) + data[at + 3] * 0x100_0000;
      if (length < NLMSG_HDRLEN || length > end - at) {
        return { messages, error: new NetlinkDecodeError(`nlmsg_len ${length} runs outside its datagram`, at, ['batch']) };
      }
      messages.push({
        data,
        offset: at,
        length,
        type: data[at + 4] | (data[at + 5] << 8),
        flags: data[at + 6] | (data[at + 7] << 8),
        seq: (data[at + 8] | (data[at + 9] << 8) | (data[at + 10] << 16)) + data[at + 11] * 0x100_0000,
        pid: (data[at + 12] | (data[at + 13] << 8) | (data[at + 14] << 16)) + data[at + 15] * 0x100_0000,
      });
      // NLMSG_NEXT: the last message of a datagram may omit its padding.
      at = Math.min(at + align(length), end);
    }
    start = end;
  }
  if (batch.truncated) {
    return { messages, error: new NetlinkDecodeError('datagram truncated by recvmsg (MSG_TRUNC)', start, ['batch']) };
  }
  return { messages };
}

/**
 * payloadOffset is where a message's payload starts in `msg.data`.
 * `#define NLMSG_DATA(nlh) ((void *)(((char *)nlh) + NLMSG_HDRLEN))`
 *
 * @example
 * const family = msg.data.readUInt8(payloadOffset(msg)); // rtm_family
 */
export function payloadOffset(msg: NetlinkMessage): number {
  return msg.offset + NLMSG_HDRLEN;
}

/**
 * messageEnd is the offset just past a message's last byte in `msg.data`.
 *
 * @example
 * const cursor = new AttributeCursor(msg.data, payloadOffset(msg) + 12, messageEnd(msg));
 */
export function messageEnd(msg: NetlinkMessage): number {
  return msg.offset + msg.length;
}
