import { isTerminal } from '../codec/control.js';
import type { NetlinkMessage } from '../codec/header.js';
import { splitMessages } from '../codec/message.js';
import type { Batch, Transport } from '../transport/transport.js';
import { encodeDumpRequest, nextSequence, type DumpRequest } from './dump-request.js';
import { stepOf, type DumpStep } from './dump-step.js';
import { InterruptWatch } from './rules/interrupt-watch.js';
import { isReply } from './rules/is-reply.js';
import { terminalError } from './rules/terminal-error.js';

export type { DumpStep } from './dump-step.js';

/**
 * DumpReader is the dump contract's per-read logic with no I/O and no RxJS:
 * the rules of `splitBatch` (`splitMessages`), `filterSequence` (`isReply`),
 * `throwKernelErrors` (`terminalError`), `detectInterrupt` (`InterruptWatch`)
 * and `takeUntilDone` (`isTerminal`) composed into one pass over each read's
 * messages — the same functions the operators are made of. Feed it the reads
 * of one request, in order, until a step is `done` or has an `error`.
 *
 * Per read: stale replies (another `nlmsg_seq` or port id) are dropped (DESIGN.md
 * rule 4); a fragment fails with `EPROTO` after the whole messages before it (5);
 * the first terminal message ends the dump — an errno fails it with a
 * `NetlinkKernelError` (6), else a dump any of whose messages carried
 * `NLM_F_DUMP_INTR` fails with a `DumpInterruptedError` (10), else it is done
 * (8); every data message before the end is returned (7), nothing after it.
 *
 * @example
 * const reader = DumpReader.start(socket, request); // sends the request
 * for (;;) {
 *   const step = reader.read(await socket.read());
 *   for (const msg of step.messages) handle(msg);
 *   if (step.error) throw step.error;
 *   if (step.done) break;
 * }
 */
export class DumpReader {
  readonly #interrupt = new InterruptWatch();

  /**
   * Sends `request` on `transport` with `seq` (default: a fresh one) and
   * returns the reader of its replies — the start every dump shares.
   *
   * @example
   * const reader = DumpReader.start(lease.transport, request);
   */
  static start(transport: Transport, request: DumpRequest, seq = nextSequence()): DumpReader {
    transport.send(encodeDumpRequest(request, seq));
    return new DumpReader(seq, transport.portId, request.type);
  }

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
    const interrupt = this.#interrupt;
    // Copied only once something is dropped or the dump ends mid-read: the common read is passed on as is.
    let kept: NetlinkMessage[] | undefined;
    for (let i = 0; i < messages.length; i++) {
      const msg = messages[i];
      if (!isReply(msg, seq, portId)) {
        kept ??= messages.slice(0, i);
        continue;
      }
      interrupt.see(msg);
      if (isTerminal(msg)) return this.#end(kept ?? messages.slice(0, i), msg);
      kept?.push(msg);
    }
    const result = kept ?? messages;
    this.#interrupt.delivered(result.length);
    return stepOf(result, false, fragment);
  }

  #end(messages: readonly NetlinkMessage[], terminal: NetlinkMessage): DumpStep {
    this.#interrupt.delivered(messages.length);
    const error = terminalError(terminal, this.requestType) ?? this.#interrupt.end();
    return stepOf(messages, true, error);
  }
}
