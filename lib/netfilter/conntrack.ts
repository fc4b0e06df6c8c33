/**
 * The connection tracking table as a cold Observable: `conntrack()`. The
 * types, description, request and selector are in conntrack-decode.ts and
 * re-exported here.
 */
import { Observable } from 'rxjs';
import type { MessageBatch } from '../codec/message.js';
import { dumpBatches } from '../rx/dump-batches.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { conntrackRequest, conntrackSelector, type Conntrack, type ConntrackFilter } from './conntrack-decode.js';

export * from './conntrack-decode.js';

/**
 * conntrack dumps the connection tracking table of a namespace as a cold
 * Observable of typed entries, streamed batch by batch (never buffered
 * whole). What a conntrack dump promises (DESIGN.md, "Beyond the ten rules"):
 * ctnetlink resumes a dump from a saved position and never flags it
 * interrupted, so under churn an entry may be missed; no entry is delivered
 * twice (duplicates are dropped by conntrack id). Entries of the filter's
 * family, mark and zone are chosen by the kernel; the rest is filtered here.
 *
 * @example
 * conntrack({ proto: 6, dport: 443 }, { netns: 'blue' }).subscribe((ct) => console.log(ct.orig?.src));
 */
export function conntrack(filter: ConntrackFilter = {}, options: DumpOptions = {}): Observable<Conntrack> {
  return new Observable<Conntrack>((subscriber) => {
    const select = conntrackSelector(filter);
    return dumpBatches(conntrackRequest(filter), options).subscribe({
      next(batch: MessageBatch) {
        try {
          for (let i = 0; i < batch.length && !subscriber.closed; i++) {
            const entry = select(batch[i]);
            if (entry) subscriber.next(entry);
          }
        } catch (error) {
          subscriber.error(error);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
  });
}
