/**
 * `ip nexthop bucket` output: a bucket of a resilient group as the JSON
 * object of `ip -j nexthop bucket show` (iproute2 6.1's
 * print_nexthop_bucket) or as its text line.
 */
import type { NexthopBucket } from '../route/nexthop-bucket-decode.js';
import { seconds } from './nexthop-format.js';
import type { ObjectFormat } from './object-output.js';
import { routeFlagNames } from './route-format.js';

/**
 * nexthopBucketJson is the JSON object `ip -j nexthop bucket show` prints
 * for `b` (idle_time as ip's `%g`).
 *
 * @example
 * nexthopBucketJson(b); // '{"id":10,"bucket":{"index":0,"idle_time":0.59,"nhid":2},"flags":[]}'
 */
export function nexthopBucketJson(b: NexthopBucket): string {
  const parts: string[] = [];
  if (b.id !== undefined) parts.push(`"id":${b.id}`);
  if (b.bucket) {
    const inner: string[] = [];
    if (b.bucket.index !== undefined) inner.push(`"index":${b.bucket.index}`);
    if (b.bucket.idleTime !== undefined) inner.push(`"idle_time":${seconds(b.bucket.idleTime)}`);
    if (b.bucket.nhid !== undefined) inner.push(`"nhid":${b.bucket.nhid}`);
    parts.push(`"bucket":{${inner.join(',')}}`);
  }
  parts.push(`"flags":${JSON.stringify(routeFlagNames(b.flags))}`);
  return `{${parts.join(',')}}`;
}

/**
 * nexthopBucketText is the line `ip nexthop bucket show` prints for `b`.
 *
 * @example
 * nexthopBucketText(b); // 'id 10 index 0 idle_time 0.59 nhid 2 \n'
 */
export function nexthopBucketText(b: NexthopBucket): string {
  let line = '';
  if (b.id !== undefined) line += `id ${b.id} `;
  if (b.bucket) {
    if (b.bucket.index !== undefined) line += `index ${b.bucket.index} `;
    if (b.bucket.idleTime !== undefined) line += `idle_time ${seconds(b.bucket.idleTime)} `;
    if (b.bucket.nhid !== undefined) line += `nhid ${b.bucket.nhid} `;
  }
  for (const flag of routeFlagNames(b.flags)) line += `${flag} `;
  return `${line}\n`;
}

/**
 * nexthopBucketFormat is how `nlrx nexthop bucket show` prints a bucket.
 *
 * @example
 * nexthopBucketFormat.text(b); // 'id 10 index 0 idle_time 0.59 nhid 2 \n'
 */
export const nexthopBucketFormat: ObjectFormat<NexthopBucket> = { json: nexthopBucketJson, text: nexthopBucketText };
