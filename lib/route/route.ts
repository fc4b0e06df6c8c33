/**
 * Routes (RTM_GETROUTE / RTM_NEWROUTE): `routes()`, the dump as an Observable
 * of typed routes; the type, decoder and request are in route-decode.ts and
 * re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import { routeRequest, routeSelector, type Route, type RouteFilter } from './route-decode.js';

export * from './route-decode.js';

/**
 * routes dumps the routing tables as a cold Observable of typed routes. With
 * no filter it is what the kernel dumps: every table, both families. Route
 * cache entries (RTM_F_CLONED exceptions) are not routes of a table and are
 * left out. `options.readAhead` overlaps the kernel's work with decoding
 * (the `rtnetlink()` client uses 2).
 *
 * @example
 * routes({ family: 'inet', table: 'all' }, { netns: 'blue' }).subscribe((r) => console.log(r.dst, r.dstLen));
 */
export function routes(filter: RouteFilter = {}, options: DumpOptions = {}): Observable<Route> {
  return dumpObjects(routeRequest(filter), routeSelector(filter), { strictCheck: true, ...options });
}
