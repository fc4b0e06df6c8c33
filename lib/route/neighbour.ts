/**
 * Neighbours (ARP and NDP caches): `neighbors()`, the dump as an Observable
 * of typed neighbours; the types, decoder, request and constants are in
 * neighbour-decode.ts and re-exported here.
 */
import { Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import { dumpBatches } from '../rx/dump-batches.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { neighbourRequest, neighbourSelector, type Neighbour, type NeighbourFilter } from './neighbour-decode.js';

export * from './neighbour-decode.js';

/**
 * neighbors dumps neighbour entries as a cold Observable of typed neighbours,
 * kernel-filtered with strict checking; replies not flagged
 * NLM_F_DUMP_FILTERED are filtered in JS, so the result is the same either way.
 *
 * @example
 * neighbors({ family: 'inet' }, { netns: 'blue' }).pipe(toArray()).subscribe(console.log);
 */
export function neighbors(filter: NeighbourFilter = {}, options: DumpOptions = {}): Observable<Neighbour> {
  const request = neighbourRequest(filter);
  const select = neighbourSelector(filter);
  return new Observable<Neighbour>((subscriber) =>
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
