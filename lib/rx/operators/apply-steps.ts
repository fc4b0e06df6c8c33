import { concat, defer, EMPTY, map, mergeMap, of, takeWhile, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { MessageBatch } from '../../codec/message.js';
import type { DumpStep } from '../dump-step.js';

/**
 * Runs a contract rule's step over a stream, one step per value.
 *
 * <span class="informal">The one place where a `DumpStep` becomes emissions: the messages, then the end it says.</span>
 *
 * On each subscription, `start()` makes the step function (so a rule's state,
 * such as `InterruptWatch`, is per subscription). For each source value the
 * step's messages are emitted (a step without messages emits nothing); a step
 * with an `error` then fails the stream, a `done` step completes it — and
 * either unsubscribes from the source at once, so no read starts after the end
 * and a synchronous source stops. `dumpWith` runs `DumpReader` this way; each
 * rule operator (`splitBatch`, `filterSequence`, `throwKernelErrors`,
 * `detectInterrupt`, `takeUntilDone`) is its rule's step run this way.
 *
 * ## Example
 *
 * ```ts
 * const reader = DumpReader.start(socket, request);
 * readBatches(socket).pipe(applySteps(() => (batch) => reader.read(batch)));
 * ```
 *
 * @see {@link DumpReader}
 * @param start Makes the step function of one subscription.
 * @return A function that returns an Observable of the steps' messages, ending where a step ends.
 */
export function applySteps<T>(start: () => (value: T) => DumpStep): OperatorFunction<T, MessageBatch> {
  return (source) => defer(() => {
    const step = start();
    // Public operators only (STYLE.md): a few allocations per read, nothing per message. takeWhile
    // (inclusive) stops the source — a synchronous one too — at the step that ends the stream.
    return source.pipe(map(step), takeWhile(goesOn, true), mergeMap(emissions));
  });
}

function goesOn(step: DumpStep): boolean {
  return step.error === undefined && !step.done;
}

function emissions(step: DumpStep): Observable<MessageBatch> {
  const { messages, error } = step;
  const data = messages.length > 0 ? of(messages) : EMPTY;
  return error ? concat(data, throwError(() => error)) : data;
}
