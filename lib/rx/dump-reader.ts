import { kernelError, parseControl } from '../codec/control.js';
import { NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR, type NetlinkMessage } from '../codec/header.js';
import { splitMessages, type MessageBatch } from '../codec/message.js';
import { DumpInterruptedError } from '../errors.js';
import type { Batch } from '../transport/transport.js';

/**
 * DumpStep is what one read contributed to a dump: the dump's data messages
 * in it, then whether the dump ended well (`done`) or failed (`error`, after
 * `messages`). Neither means: read on.
 *
 * @example
 * const { messages, done, error } = reader.read(await socket.read());
 */
export interface DumpStep {
  /** The dump's data messages of this read, in order; may be empty. */
  readonly messages: MessageBatch;
  /** NLMSG_DONE (or an acknowledgement) ended the dump in this read. */
  readonly done: boolean;
  /** The dump failed in this read, after `messages`: never set together with `done`. */
  readonly error?: Error;
}

/**
 * DumpReader is the dump contract's per-read logic with no I/O and no RxJS:
 * `splitBatch`, `filterSequence`, `throwKernelErrors`, `detectInterrupt` and
 * `takeUntilDone` fused into one pass over each read's messages. Feed it the
 * reads of one request, in order, until a step is `done` or has an `error`.
 *
 * Per read: stale replies (another `nlmsg_seq` or port id) are dropped (DESIGN.md
 * rule 4); a fragment fails with `EPROTO` after the whole messages before it (5);
 * the first terminal message ends the dump — an errno fails it with a
 * `NetlinkKernelError` (6), else a dump any of whose messages carried
 * `NLM_F_DUMP_INTR` fails with a `DumpInterruptedError` (10), else it is done
 * (8); every data message before the end is returned (7), nothing after it.
 *
 * @example
 * socket.send(requestBytes); // encodeDumpRequest(request, seq), dump-request.ts
 * const reader = new DumpReader(seq, socket.portId, request.type);
 * for (;;) {
 *   const step = reader.read(await socket.read());
 *   for (const msg of step.messages) handle(msg);
 *   if (step.error) throw step.error;
 *   if (step.done) break;
 * }
 */
export class DumpReader {
  /** A message of this dump carried NLM_F_DUMP_INTR. */
  #interrupted = false;
  /** Data messages returned so far, for `DumpInterruptedError.messages`. */
  #delivered = 0;

  /**
   * @param seq The request's `nlmsg_seq`.
   * @param portId The requesting socket's port id.
   * @param requestType The request's `nlmsg_type`, for kernel errors that do not echo it.
   */
  constructor(readonly seq: number, readonly portId: number, readonly requestType?: number) {}

  /** The step of one raw read: split into messages, then `check`ed. */
  read(batch: Batch): DumpStep {
    const { messages, error } = splitMessages(batch);
    return this.check(messages, error);
  }

  /**
   * The step of one read already split into `messages`; `fragment` is the
   * split's error, which counts only if the dump did not end before it.
   */
  check(messages: readonly NetlinkMessage[], fragment?: Error): DumpStep {
    const { seq, portId } = this;
    // Copied only once something is dropped or the dump ends mid-read: the common read is passed on as is.
    let kept: NetlinkMessage[] | undefined;
    for (let i = 0; i < messages.length; i++) {
      const msg = messages[i];
      if (msg.seq !== seq || msg.pid !== portId) {
        kept ??= messages.slice(0, i);
        continue;
      }
      if (msg.flags & NLM_F_DUMP_INTR) this.#interrupted = true;
      if (msg.type === NLMSG_DONE || msg.type === NLMSG_ERROR) return this.#end(kept ?? messages.slice(0, i), msg);
      kept?.push(msg);
    }
    const result = kept ?? messages;
    this.#delivered += result.length;
    return fragment ? { messages: result, done: false, error: fragment } : { messages: result, done: false };
  }

  #end(messages: MessageBatch, terminal: NetlinkMessage): DumpStep {
    this.#delivered += messages.length;
    let error: Error | undefined;
    try {
      const ack = parseControl(terminal)!;
      if (ack.errno !== 0) error = kernelError(ack, this.requestType);
    } catch (failure) {
      error = failure as Error;
    }
    if (!error && this.#interrupted) error = new DumpInterruptedError(this.#delivered);
    return error ? { messages, done: false, error } : { messages, done: true };
  }
}
