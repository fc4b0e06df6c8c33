/**
 * Neighbours (ARP and NDP caches): `neighbors()`, the dump as an Observable
 * of typed neighbours; the types, decoder, request and constants are in
 * neighbour-decode.ts and re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
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
  return dumpObjects(neighbourRequest(filter), neighbourSelector(filter), { strictCheck: true, ...options });
}
