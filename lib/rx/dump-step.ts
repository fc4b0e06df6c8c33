import type { MessageBatch } from '../codec/message.js';

/**
 * DumpStep is what one read contributed to a dump: the dump's data messages
 * in it, then whether the dump ended well (`done`) or failed (`error`, after
 * `messages`). Neither means: read on. Every contract rule speaks in steps —
 * `DumpReader` composes them into one pass per read, and each operator
 * (`splitBatch`, `filterSequence` …) is its rule's step run by `applySteps`.
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
 * stepOf builds a step: `error` wins over `done`.
 *
 * @example
 * return stepOf(messages.slice(0, end), true);
 */
export function stepOf(messages: MessageBatch, done = false, error?: Error): DumpStep {
  return error ? { messages, done: false, error } : { messages, done };
}
