/**
 * Routes (RTM_GETROUTE / RTM_NEWROUTE): `routes()`, the dump as an Observable
 * of typed routes, and `routeGet()`, the kernel's answer to `ip route get`;
 * the types, decoder and requests are in route-decode.ts and re-exported here.
 */
import { defer, type Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import {
  routeGetRequest, routeGetSelector, routeRequest, routeSelector, type Route, type RouteFilter, type RouteQuery,
} from './route-decode.js';

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

/**
 * routeGet asks the kernel which route a packet would take — `ip route get`
 * — as a cold Observable of that one route: nothing is sent before
 * `subscribe()`, and each subscription asks again. An IPv4 answer carries
 * RTM_F_CLONED and the RTCF_* cache flags in `flags`. A destination without
 * a route fails with the kernel's error as a NetlinkKernelError
 * (EHOSTUNREACH, ENETUNREACH; EACCES for prohibit, EINVAL for blackhole).
 *
 * @example
 * routeGet({ dst: '192.0.2.1' }, { netns: 'blue' }).subscribe((r) => console.log(r.gateway, r.oif, r.prefsrc));
 */
export function routeGet(query: RouteQuery, options: DumpOptions = {}): Observable<Route> {
  return defer(() => dumpObjects(routeGetRequest(query), routeGetSelector(), { strictCheck: true, ...options }));
}
