import type { NetlinkMessage } from '../codec/header.js';
import type { MessageBatch } from '../codec/message.js';
import { NetlinkDecodeError } from '../errors.js';

/**
 * DumpSelector turns one reply message of a dump into the object it stands
 * for, or undefined to leave the message out (another type, filtered away).
 * It may throw when the message cannot be an object at all: the dump then
 * fails with a `NetlinkDecodeError`.
 *
 * @example
 * const select: DumpSelector<Route> = (msg) => (msg.type === RTM_NEWROUTE ? decodeRoute(msg) : undefined);
 */
export type DumpSelector<T> = (msg: NetlinkMessage) => T | undefined;

/**
 * ObjectSink receives selected objects: an RxJS `Subscriber` is one (it stops
 * the loop once `closed`), and so is `{ next: callback }`.
 *
 * @example
 * selectBatch(batch, select, { next: (route) => table.push(route) });
 */
export interface ObjectSink<T> {
  /** Once true, the rest of the batch is not selected. */
  readonly closed?: boolean;
  next(object: T): void;
}

/**
 * selectBatch runs `select` over one read's messages, in order, and hands
 * each object to `sink` — the one loop of every typed dump (`dumpObjects`,
 * `forEachDumpObject`): a plain loop per read, no RxJS per message. It stops
 * at the first message the selector throws on and returns the error for the
 * caller to fail the dump with — a `NetlinkDecodeError` as thrown, anything
 * else wrapped in one (`cause`, the message's offset, its type as context) —
 * so no later object is delivered and nothing escapes a subscriber callback.
 * A throw from `sink.next` is the consumer's and is not caught.
 *
 * @example
 * const error = selectBatch(batch, routeSelector({}), subscriber);
 * if (error) subscriber.error(error);
 */
export function selectBatch<T>(batch: MessageBatch, select: DumpSelector<T>, sink: ObjectSink<T>): NetlinkDecodeError | undefined {
  for (let i = 0; i < batch.length && !sink.closed; i++) {
    let object: T | undefined;
    try {
      object = select(batch[i]);
    } catch (error) {
      return selectorError(error, batch[i]);
    }
    if (object !== undefined) sink.next(object);
  }
  return undefined;
}

function selectorError(error: unknown, msg: NetlinkMessage): NetlinkDecodeError {
  if (error instanceof NetlinkDecodeError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new NetlinkDecodeError(`cannot decode the message: ${reason}`, msg.offset, [`nlmsg_type ${msg.type}`], { cause: error });
}
