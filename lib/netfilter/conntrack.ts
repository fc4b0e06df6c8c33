/**
 * The connection tracking table as a cold Observable: `conntrack()`. The
 * types, description, request and selector are in conntrack-decode.ts and
 * re-exported here.
 */
import { defer, type Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
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
  // A selector per subscription: it remembers the ids its dump delivered.
  return defer(() => dumpObjects(conntrackRequest(filter), conntrackSelector(filter), options));
}
