import type { DumpRequest } from './dump-request.js';
import { forEachDumpBatch, type ForEachDumpOptions } from './for-each-dump-batch.js';
import { selectBatch, type DumpSelector } from './select-batch.js';

/**
 * forEachDumpObject is `dumpObjects` without RxJS: it runs one dump with
 * `forEachDumpBatch`, passes each read's messages through `select` with the
 * same loop (`selectBatch`), calls `onObject` with every object, in order,
 * and resolves when the dump is done. A selector that throws rejects it with
 * a `NetlinkDecodeError` before any later object is handed on, and closes the
 * socket; so does a throw from `onObject`, with that error.
 *
 * @example
 * let count = 0;
 * await forEachDumpObject(routeRequest({}), routeSelector({}), () => { count++; }, { strictCheck: true });
 */
export function forEachDumpObject<T>(
  request: DumpRequest,
  select: DumpSelector<T>,
  onObject: (object: T) => void,
  options: ForEachDumpOptions = {},
): Promise<void> {
  const sink = { next: onObject };
  return forEachDumpBatch(request, (batch) => {
    const error = selectBatch(batch, select, sink);
    if (error) throw error;
  }, options);
}
