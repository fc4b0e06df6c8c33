/**
 * Neighbors (ARP and NDP caches): `neighbors()`, the dump as an Observable
 * of typed neighbors; the types, decoder, request and constants are in
 * neighbor-decode.ts and re-exported here.
 */
import { Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import { dumpBatches } from '../rx/dump-batches.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { neighborRequest, neighborSelector, type Neighbor, type NeighborFilter } from './neighbor-decode.js';

export * from './neighbor-decode.js';

/**
 * neighbors dumps neighbour entries as a cold Observable of typed neighbours,
 * kernel-filtered with strict checking; replies not flagged
 * NLM_F_DUMP_FILTERED are filtered in JS, so the result is the same either way.
 *
 * @example
 * neighbors({ family: 'inet' }, { netns: 'blue' }).pipe(toArray()).subscribe(console.log);
 */
export function neighbors(filter: NeighborFilter = {}, options: DumpOptions = {}): Observable<Neighbor> {
  const request = neighborRequest(filter);
  const select = neighborSelector(filter);
  return new Observable<Neighbor>((subscriber) =>
    // One loop per read, not RxJS operators per message.
    dumpBatches(request, { strictCheck: true, ...options }).subscribe({
      next(batch: MessageBatch) {
        for (let i = 0; i < batch.length && !subscriber.closed; i++) {
          const n = select(batch[i]);
          if (n) subscriber.next(n);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
