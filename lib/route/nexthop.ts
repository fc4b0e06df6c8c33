/**
 * Nexthop objects (RTM_GETNEXTHOP / RTM_NEWNEXTHOP): `nexthops()`, the dump
 * as an Observable of typed nexthops; the type, decoder and request are in
 * nexthop-decode.ts and re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { nexthopRequest, nexthopSelector, type Nexthop, type NexthopFilter } from './nexthop-decode.js';

export * from './nexthop-decode.js';

/**
 * nexthops dumps the nexthop objects as a cold Observable.
 *
 * @example
 * nexthops({ ifindex: 2 }, { netns: 'blue' }).subscribe((nh) => console.log(nh.id, nh.gateway));
 */
export function nexthops(filter: NexthopFilter = {}, options: DumpOptions = {}): Observable<Nexthop> {
  return dumpObjects(nexthopRequest(filter), nexthopSelector(filter), { strictCheck: true, ...options });
}
