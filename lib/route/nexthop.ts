/**
 * Nexthop objects (RTM_GETNEXTHOP / RTM_NEWNEXTHOP): `nexthops()`, the dump
 * as an Observable of typed nexthops; the type, decoder and request are in
 * nexthop-decode.ts and re-exported here.
 */
import { Observable } from 'rxjs';
import { dump } from '../rx/dump.js';
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
  const request = nexthopRequest(filter);
  const select = nexthopSelector(filter);
  return new Observable<Nexthop>((subscriber) =>
    dump(request, { strictCheck: true, ...options }).subscribe({
      next(msg) {
        const nh = select(msg);
        if (nh) subscriber.next(nh);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }));
}
