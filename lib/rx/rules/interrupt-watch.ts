import type { NetlinkMessage } from '../../codec/header.js';
import { isInterrupted } from '../../codec/control.js';
import { DumpInterruptedError } from '../../errors.js';

/**
 * InterruptWatch is DESIGN.md rule 10 for one dump: it remembers whether any
 * message of the dump — its NLMSG_DONE included — carried `NLM_F_DUMP_INTR`,
 * and counts the data messages delivered, so that the end of an interrupted
 * dump becomes a `DumpInterruptedError` (`code` `'EINTR'`, `.messages`) that
 * `retryInterrupted` can act on. One watch per subscription; `DumpReader` and
 * `detectInterrupt` both keep one.
 *
 * @example
 * const watch = new InterruptWatch();
 * for (const msg of messages) watch.see(msg);
 * watch.delivered(messages.length);
 * const error = watch.end(); // at NLMSG_DONE
 */
export class InterruptWatch {
  /** A message of this dump carried NLM_F_DUMP_INTR. */
  #interrupted = false;
  /** Data messages delivered so far, for `DumpInterruptedError.messages`. */
  #delivered = 0;

  /** Notes the flag of one message of the dump (data or terminal). */
  see(msg: NetlinkMessage): void {
    if (isInterrupted(msg)) this.#interrupted = true;
  }

  /** Counts `count` more data messages handed on. */
  delivered(count: number): void {
    this.#delivered += count;
  }

  /** At the dump's successful end: the error to fail with if it was interrupted, else undefined. */
  end(): DumpInterruptedError | undefined {
    return this.#interrupted ? new DumpInterruptedError(this.#delivered) : undefined;
  }
}
