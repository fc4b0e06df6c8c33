/**
 * Links (network devices): `links()`, the dump as a cold Observable of typed
 * links; the types, decoder, request and constants are in link-decode.ts and
 * re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
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
  return dumpObjects(linkRequest(filter), linkSelector(filter), { strictCheck: true, ...options });
}
