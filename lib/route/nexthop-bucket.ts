/**
 * Resilient nexthop group buckets (RTM_GETNEXTHOPBUCKET / RTM_NEWNEXTHOPBUCKET):
 * `nexthopBuckets()`, the dump as an Observable of typed buckets; the type,
 * decoder and request are in nexthop-bucket-decode.ts and re-exported here.
 */
import type { Observable } from 'rxjs';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import {
  nexthopBucketRequest, nexthopBucketSelector, type NexthopBucket, type NexthopBucketFilter,
} from './nexthop-bucket-decode.js';

export * from './nexthop-bucket-decode.js';

/**
 * nexthopBuckets dumps the buckets of resilient nexthop groups (what `ip
 * nexthop bucket show` lists) as a cold Observable, filtered in the kernel by
 * group id, device, master or member nexthop, and again in JavaScript.
 *
 * @example
 * nexthopBuckets({ id: 10 }, { netns: 'blue' }).subscribe((b) => console.log(b.bucket?.index, b.bucket?.nhid));
 */
export function nexthopBuckets(filter: NexthopBucketFilter = {}, options: DumpOptions = {}): Observable<NexthopBucket> {
  return dumpObjects(nexthopBucketRequest(filter), nexthopBucketSelector(filter), { strictCheck: true, ...options });
}
