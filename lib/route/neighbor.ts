/**
 * Neighbors (ARP and NDP caches): `neighbors()`, the dump as an Observable
 * of typed neighbors; the types, decoder, request and constants are in
 * neighbor-decode.ts and re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { neighborRequest, neighborSelector, type Neighbor, type NeighborFilter } from './neighbor-decode.js';

export * from './neighbor-decode.js';

/**
 * neighbors dumps neighbor entries as a cold Observable of typed neighbors,
 * kernel-filtered with strict checking; replies not flagged
 * NLM_F_DUMP_FILTERED are filtered in JS, so the result is the same either way.
 *
 * @example
 * neighbors({ family: 'inet' }, { netns: 'blue' }).pipe(toArray()).subscribe(console.log);
 */
export function neighbors(filter: NeighborFilter = {}, options: DumpOptions = {}): Observable<Neighbor> {
  return dumpObjects(neighborRequest(filter), neighborSelector(filter), { strictCheck: true, ...options });
}
