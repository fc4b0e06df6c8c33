/**
 * The buckets of resilient nexthop groups (RTM_GETNEXTHOPBUCKET /
 * RTM_NEWNEXTHOPBUCKET, struct nhmsg + NHA_ID + NHA_RES_BUCKET,
 * <linux/nexthop.h>): the type, its description, the dump request with its
 * kernel-side filters and the selector — what `ip nexthop bucket show`
 * prints. No RxJS here.
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { nested, u16, u32, u64n } from '../codec/attribute-type.js';
import { NETLINK_ROUTE, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { familyName, familyNumber, type InetFamily } from './inet-family.js';
import { NHA_ID, NHA_MASTER, NHA_OIF, NHA_RES_BUCKET, nhmsg } from './nexthop-decode.js';

export const RTM_NEWNEXTHOPBUCKET = 116;
export const RTM_DELNEXTHOPBUCKET = 117;
export const RTM_GETNEXTHOPBUCKET = 118;

// NHA_RES_BUCKET's nested attributes.
export const NHA_RES_BUCKET_PAD = 0;
export const NHA_RES_BUCKET_INDEX = 1;
export const NHA_RES_BUCKET_IDLE_TIME = 2;
export const NHA_RES_BUCKET_NH_ID = 3;

/**
 * NexthopBucketEntry is NHA_RES_BUCKET: which member a bucket points at.
 *
 * @example
 * console.log(b.bucket?.index, b.bucket?.nhid);
 */
export interface NexthopBucketEntry {
  /** NHA_RES_BUCKET_INDEX: the bucket's place in the group's table. */
  index?: number;
  /** NHA_RES_BUCKET_IDLE_TIME: clock ticks since the bucket last carried traffic. */
  idleTime?: number;
  /** NHA_RES_BUCKET_NH_ID: the id of the member nexthop the bucket sends to. */
  nhid?: number;
  /** NHA_RES_BUCKET_* attributes this decoder does not know, copied. */
  unknown?: RawAttribute[];
}

/**
 * NexthopBucket is one bucket of a resilient group, as the kernel dumps it:
 * struct nhmsg (family AF_UNSPEC, the group's protocol, the bucket's
 * RTNH_F_* flags), the group's `id`, and the bucket.
 *
 * @example
 * buckets.filter((b) => b.bucket?.nhid === 3).length; // how many buckets send to nexthop 3
 */
export interface NexthopBucket {
  family: number;
  scope: number;
  protocol: number;
  /** nh_flags: RTNH_F_* bits of the bucket's member. */
  flags: number;
  /** NHA_ID: the resilient group. */
  id?: number;
  bucket?: NexthopBucketEntry;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/**
 * NexthopBucketFilter selects buckets; all of it is filtered by the kernel
 * (NHA_ID, NHA_OIF, NHA_MASTER, NHA_RES_BUCKET_NH_ID); `id` and `nhid` are
 * checked again in JavaScript (a bucket does not carry its device).
 *
 * @example
 * nexthopBucketRequest({ id: 20, nhid: 3 });
 */
export interface NexthopBucketFilter {
  /** Buckets whose member nexthop is of this family (nh_family of the request); the kernel's alone. */
  family?: InetFamily;
  /** The resilient group's id. */
  id?: number;
  /** Buckets whose member nexthop uses this device. */
  ifindex?: number;
  /** Buckets whose member's device is enslaved to this one (a VRF). */
  master?: number;
  /** Buckets that send to this member nexthop. */
  nhid?: number;
  /**
   * One bucket of group `id` by its index: an RTM_GETNEXTHOPBUCKET "do"
   * request (what `ip nexthop bucket get` sends); the kernel refuses an
   * index beyond the group's buckets.
   */
  index?: number;
}

const bucketAttributes: AttributeSet = attributeSet('NHA_RES_BUCKET', {
  index: attr(NHA_RES_BUCKET_INDEX, u16),
  idleTime: attr(NHA_RES_BUCKET_IDLE_TIME, u64n),
  nhid: attr(NHA_RES_BUCKET_NH_ID, u32),
}, { ignore: [NHA_RES_BUCKET_PAD], context: ['nexthop bucket', 'NHA_RES_BUCKET'] });

/**
 * nexthopBucketMessage is RTM_NEWNEXTHOPBUCKET described: struct nhmsg,
 * NHA_ID and the nested NHA_RES_BUCKET.
 *
 * @example
 * const bucket = nexthopBucketMessage.decode(msg);
 */
export const nexthopBucketMessage: MessageDescription<NexthopBucket> = describeMessage<NexthopBucket>(
  'RTM_NEWNEXTHOPBUCKET', nhmsg, attributeSet('nexthop bucket', {
    id: attr(NHA_ID, u32),
    bucket: attr(NHA_RES_BUCKET, nested<NexthopBucketEntry>(bucketAttributes)),
  }));

/** What a strictly checked RTM_GETNEXTHOPBUCKET dump request may carry (rtm_nh_policy_dump_bucket). */
interface NexthopBucketDumpRequest {
  family: number; scope: number; protocol: number; flags: number;
  id?: number; oif?: number; master?: number; bucket?: { index?: number; nhid?: number };
  problems?: NetlinkDecodeError[];
}

const nexthopBucketDumpMessage = describeMessage<NexthopBucketDumpRequest>('RTM_GETNEXTHOPBUCKET', nhmsg,
  attributeSet('nexthop bucket request', {
    id: attr(NHA_ID, u32),
    oif: attr(NHA_OIF, u32),
    master: attr(NHA_MASTER, u32),
    bucket: attr(NHA_RES_BUCKET, nested(attributeSet('NHA_RES_BUCKET', {
      index: attr(NHA_RES_BUCKET_INDEX, u16),
      nhid: attr(NHA_RES_BUCKET_NH_ID, u32),
    },
      { context: ['nexthop bucket request', 'NHA_RES_BUCKET'] }))),
  }));

/**
 * nexthopBucketRequest builds the RTM_GETNEXTHOPBUCKET dump request for
 * `filter`: the group in NHA_ID, the device in NHA_OIF, the master in
 * NHA_MASTER, the member in NHA_RES_BUCKET's NHA_RES_BUCKET_NH_ID. With an
 * `index`, the "do" request for that one bucket of group `id`.
 *
 * @example
 * dump(nexthopBucketRequest({ id: 20 }), { strictCheck: true });
 */
export function nexthopBucketRequest(filter: NexthopBucketFilter = {}): DumpRequest {
  if (filter.index !== undefined) {
    const payload = nexthopBucketDumpMessage.encode({ family: familyNumber(filter.family) },
      { id: filter.id, bucket: { index: filter.index } });
    return { protocol: NETLINK_ROUTE, type: RTM_GETNEXTHOPBUCKET, payload, dump: false };
  }
  const payload = nexthopBucketDumpMessage.encode({ family: familyNumber(filter.family) }, {
    id: filter.id,
    oif: filter.ifindex,
    master: filter.master,
    bucket: filter.nhid === undefined ? undefined : { nhid: filter.nhid },
  });
  return { protocol: NETLINK_ROUTE, type: RTM_GETNEXTHOPBUCKET, payload };
}

/**
 * decodeNexthopBucketRequest reads a bucket dump request back into its
 * filter: `decodeNexthopBucketRequest(nexthopBucketRequest(f).payload)`
 * equals `f`. A payload shorter than struct nhmsg, or with malformed
 * attributes, throws a `NetlinkDecodeError`.
 *
 * @example
 * decodeNexthopBucketRequest(nexthopBucketRequest({ nhid: 3 }).payload); // { nhid: 3 }
 */
export function decodeNexthopBucketRequest(payload: Uint8Array): NexthopBucketFilter {
  const request = nexthopBucketDumpMessage.decodePayload(payload);
  if (request.problems) throw request.problems[0];
  const filter: NexthopBucketFilter = {};
  const family = familyName(request.family);
  if (family) filter.family = family;
  if (request.id !== undefined) filter.id = request.id;
  if (request.oif !== undefined) filter.ifindex = request.oif;
  if (request.master !== undefined) filter.master = request.master;
  if (request.bucket?.nhid !== undefined) filter.nhid = request.bucket.nhid;
  if (request.bucket?.index !== undefined) filter.index = request.bucket.index;
  return filter;
}

/**
 * decodeNexthopBucket decodes an RTM_NEWNEXTHOPBUCKET message; malformed
 * attributes are in `problems`, unknown ones in `unknown`. Only a message
 * shorter than struct nhmsg throws (`NetlinkDecodeError`).
 *
 * @example
 * const bucket = decodeNexthopBucket(msg);
 */
export function decodeNexthopBucket(msg: NetlinkMessage): NexthopBucket {
  return nexthopBucketMessage.decode(msg);
}

/**
 * matchNexthopBucket applies the parts of `filter` a bucket carries (the
 * group's id, the member's id); the device filters are the kernel's alone.
 *
 * @example
 * matchNexthopBucket(bucket, { id: 20, nhid: 3 });
 */
export function matchNexthopBucket(bucket: NexthopBucket, filter: NexthopBucketFilter): boolean {
  if (filter.id !== undefined && bucket.id !== filter.id) return false;
  if (filter.nhid !== undefined && bucket.bucket?.nhid !== filter.nhid) return false;
  if (filter.index !== undefined && bucket.bucket?.index !== filter.index) return false;
  return true;
}

/**
 * nexthopBucketSelector returns what a bucket dump does with each reply
 * message: the decoded bucket, or undefined for a message that is not an
 * RTM_NEWNEXTHOPBUCKET or a bucket `filter` does not match.
 *
 * @example
 * const select = nexthopBucketSelector({ id: 20 });
 * for (const msg of batch) {
 *   const bucket = select(msg);
 *   if (bucket) console.log(bucket.bucket?.index);
 * }
 */
export function nexthopBucketSelector(filter: NexthopBucketFilter = {}): (msg: NetlinkMessage) => NexthopBucket | undefined {
  return (msg) => {
    if (msg.type !== RTM_NEWNEXTHOPBUCKET) return undefined;
    const bucket = decodeNexthopBucket(msg);
    return matchNexthopBucket(bucket, filter) ? bucket : undefined;
  };
}
