/**
 * Links (network devices): `links()`, the dump as a cold Observable of typed
 * links; the types, decoder, request and constants are in link-decode.ts and
 * re-exported here.
 */
import { Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import { dumpBatches } from '../rx/dump-batches.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { linkRequest, linkSelector, type Link, type LinkFilter } from './link-decode.js';

export * from './link-decode.js';

/**
 * links dumps the links of a namespace as a cold Observable of typed links:
 * the request goes out with strict checking on subscribe; replies the kernel
 * flagged NLM_F_DUMP_FILTERED are filtered only on the JS-side fields, others
 * on the whole filter, so the result is the same either way.
 *
 * @example
 * links({ kind: 'veth' }, { netns: 'blue' }).pipe(toArray()).subscribe(console.log);
 */
export function links(filter: LinkFilter = {}, options: DumpOptions = {}): Observable<Link> {
  const request = linkRequest(filter);
  const select = linkSelector(filter);
  return new Observable<Link>((subscriber) =>
    // One loop per read, not RxJS operators per message.
    dumpBatches(request, { strictCheck: true, ...options }).subscribe({
      next(batch: MessageBatch) {
        for (let i = 0; i < batch.length && !subscriber.closed; i++) {
          const link = select(batch[i]);
          if (link) subscriber.next(link);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
