import { Observable, type Subscription } from 'rxjs';
import type { NetlinkMessage } from '../codec/header.js';
import type { MessageBatch } from '../codec/message.js';
import { dumpBatches } from './dump-batches.js';
import type { DumpOptions } from './dump-options.js';
import type { DumpRequest } from './dump-request.js';

/**
 * iterateDumpBatches reads a dump on demand, as an async iterator of arrays
 * (one per read). Back-pressure is real: a read (recvmsg, where the kernel
 * produces the next chunk of the dump) starts only when the consumer asks for
 * a batch and none is waiting — nothing is read ahead, so memory follows the
 * consumer's pace. Nothing is opened or sent before the first `next()`.
 * Leaving early (`break`, `return()`, a throw in the loop) cancels the dump as
 * unsubscribing does: the socket is closed, or given back to its pool if the
 * dump had already ended. `shared` and `readAhead` do not apply: the
 * default pool's sockets of a pull iterator never read ahead (a `pool` you
 * pass is used as it is).
 *
 * @example
 * for await (const batch of iterateDumpBatches(request, { netns: 'blue' })) {
 *   await store(batch); // no recv happens meanwhile
 * }
 */
export function iterateDumpBatches(request: DumpRequest, options: DumpOptions = {}): AsyncIterableIterator<MessageBatch> {
  /** Batches emitted and not yet taken: at most one, since a read only starts when this is empty. */
  const queue: MessageBatch[] = [];
  /** The consumer's `next()` waiting for a batch. */
  let waiting: { resolve(result: IteratorResult<MessageBatch>): void; reject(error: unknown): void } | undefined;
  /** The read loop waiting for permission to read. */
  let grant: (() => void) | undefined;
  let subscription: Subscription | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;

  const pace = () => new Observable<void>((permit) => {
    // A read whose batch had nothing for us (stale replies only) leaves the consumer waiting: read again.
    if (waiting && queue.length === 0) permit.next();
    else grant = () => permit.next();
    return () => { grant = undefined; };
  });

  const settle = () => {
    const consumer = waiting;
    if (!consumer) return;
    if (queue.length > 0) {
      waiting = undefined;
      consumer.resolve({ value: queue.shift()!, done: false });
    } else if (failure) {
      waiting = undefined;
      const { error } = failure;
      failure = undefined;
      finished = true;
      consumer.reject(error);
    } else if (finished) {
      waiting = undefined;
      consumer.resolve({ value: undefined, done: true });
    }
  };

  const stop = (): Promise<IteratorResult<MessageBatch>> => {
    finished = true;
    queue.length = 0;
    failure = undefined;
    subscription?.unsubscribe();
    settle();
    return Promise.resolve({ value: undefined, done: true });
  };

  return {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (failure || finished) {
        return new Promise((resolve, reject) => {
          waiting = { resolve, reject };
          settle();
        });
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        if (!subscription) {
          subscription = dumpBatches(request, { ...options, shared: false, readAhead: undefined, pace }).subscribe({
            next: (batch) => { queue.push(batch); settle(); },
            error: (error) => { failure = { error }; settle(); },
            complete: () => { finished = true; settle(); },
          });
        } else {
          grant?.();
        }
      });
    },
    return: stop,
    throw: stop,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * iterateDump reads a dump on demand, message by message: `for await` over
 * the messages of `iterateDumpBatches`, with the same back-pressure (no read
 * while the loop body is busy) and the same cancellation on `break`.
 *
 * @example
 * for await (const msg of iterateDump(request)) {
 *   if (msg.type === RTM_NEWROUTE) count++;
 *   if (count === 10) break; // closes the socket: nothing is drained
 * }
 */
export async function* iterateDump(request: DumpRequest, options: DumpOptions = {}): AsyncGenerator<NetlinkMessage, void, undefined> {
  for await (const batch of iterateDumpBatches(request, options)) yield* batch;
}
