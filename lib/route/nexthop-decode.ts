/**
 * Nexthop objects (RTM_GETNEXTHOP / RTM_NEWNEXTHOP, struct nhmsg + NHA_*
 * attributes, <linux/nexthop.h>): the type, its description (from which the
 * decoder and the dump request follow) and the selector, without RxJS —
 * `nlrx nexthop show` loads this module alone; nexthop.ts re-exports it with
 * `nexthops()`.
 */
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { address, binary, custom, flag, nested, preset, u16, u32, u64n, u8 } from '../codec/attribute-type.js';
import { struct, type StructLayout } from '../codec/compile-decoder.js';
import { NETLINK_ROUTE, type NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { familyName, familyNumber, type InetFamily } from './address-decode.js';
import { AF_UNSPEC, RTM_GETNEXTHOP, RTM_NEWNEXTHOP } from './constants.js';
import { formatAddress } from './route-address.js';

/** sizeof(struct nhmsg): family, scope, protocol, resvd (u8), flags (u32). */
export const NHMSG_SIZE = 8;
/** sizeof(struct nexthop_grp): id u32, weight u8, resvd1 u8, resvd2 u16. */
export const NEXTHOP_GRP_SIZE = 8;

export const NEXTHOP_GRP_TYPE_MPATH = 0;
export const NEXTHOP_GRP_TYPE_RES = 1;

export const NHA_UNSPEC = 0;
export const NHA_ID = 1;
export const NHA_GROUP = 2;
export const NHA_GROUP_TYPE = 3;
export const NHA_BLACKHOLE = 4;
export const NHA_OIF = 5;
export const NHA_GATEWAY = 6;
export const NHA_ENCAP_TYPE = 7;
export const NHA_ENCAP = 8;
export const NHA_GROUPS = 9;
export const NHA_MASTER = 10;
export const NHA_FDB = 11;
export const NHA_RES_GROUP = 12;
export const NHA_RES_BUCKET = 13;

export const NHA_RES_GROUP_PAD = 0;
export const NHA_RES_GROUP_BUCKETS = 1;
export const NHA_RES_GROUP_IDLE_TIMER = 2;
export const NHA_RES_GROUP_UNBALANCED_TIMER = 3;
export const NHA_RES_GROUP_UNBALANCED_TIME = 4;

/**
 * NexthopGroupMember is one struct nexthop_grp entry: a member id and its
 * weight (`weight` byte + 1, as `ip nexthop add … group 1,3` sets it).
 *
 * @example
 * nh.group?.map((m) => `${m.id},${m.weight}`).join('/');
 */
export interface NexthopGroupMember {
  id: number;
  weight: number;
}

/**
 * NexthopResilientGroup is NHA_RES_GROUP, the parameters of a resilient group
 * (timers in clock ticks, USER_HZ).
 *
 * @example
 * if (nh.resilient) console.log(nh.resilient.buckets);
 */
export interface NexthopResilientGroup {
  /** NHA_RES_GROUP_BUCKETS: the number of buckets. */
  buckets?: number;
  /** NHA_RES_GROUP_IDLE_TIMER: how long a bucket may be idle before it migrates. */
  idleTimer?: number;
  /** NHA_RES_GROUP_UNBALANCED_TIMER: how long the group may stay unbalanced (0: for ever). */
  unbalancedTimer?: number;
  /** NHA_RES_GROUP_UNBALANCED_TIME: how long the group has been unbalanced. */
  unbalancedTime?: number;
  /** NHA_RES_GROUP_* attributes this decoder does not know, copied. */
  unknown?: RawAttribute[];
}

/**
 * Nexthop is one nexthop object: struct nhmsg, then one field per NHA_*
 * attribute present. A group has `group` (and `groupType`); a single next
 * hop has `oif` / `gateway`, or `blackhole`.
 *
 * @example
 * nexthops().subscribe((nh) => console.log(nh.id, nh.group ?? nh.gateway));
 */
export interface Nexthop {
  /** nh_family: AF_INET, AF_INET6, or AF_UNSPEC for groups. */
  family: number;
  scope: number;
  protocol: number;
  /** nh_flags: RTNH_F_* bits. */
  flags: number;
  id?: number;
  group?: NexthopGroupMember[];
  groupType?: number;
  blackhole: boolean;
  oif?: number;
  gateway?: string;
  encapType?: number;
  /** NHA_ENCAP, raw. */
  encap?: Uint8Array;
  fdb: boolean;
  resilient?: NexthopResilientGroup;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/**
 * NexthopFilter selects nexthops. `id` asks the kernel for that one object
 * (an RTM_GETNEXTHOP "do" request with NHA_ID: a missing id fails with
 * ENOENT); otherwise the device, master, groups, fdb and family filters are
 * the kernel's (NHA_OIF, NHA_MASTER, NHA_GROUPS, NHA_FDB, nh_family). All of
 * it is applied again in JavaScript, with the kernel's rules: a family,
 * device or master filter leaves groups out. `protocol` is JavaScript's
 * alone (`ip nexthop show protocol` filters in user space too).
 *
 * @example
 * nexthops({ groups: true });
 * nexthops({ id: 10 }); // the one nexthop, or an ENOENT error
 */
export interface NexthopFilter {
  /** One nexthop by id (NHA_ID). */
  id?: number;
  family?: InetFamily;
  ifindex?: number;
  /** Nexthops whose device is enslaved to this one (NHA_MASTER, e.g. a VRF); the kernel's alone. */
  master?: number;
  groups?: boolean;
  fdb?: boolean;
  /** nh_protocol: who installed the nexthop (RTPROT_*). */
  protocol?: number;
}

const CONTEXT = ['nexthop'];

/** NHA_GROUP: an array of struct nexthop_grp. */
const group = custom<NexthopGroupMember[]>('struct nexthop_grp[]', (d, offset, length) => {
  if (length === 0 || length % NEXTHOP_GRP_SIZE !== 0) {
    throw new NetlinkDecodeError(`NHA_GROUP of ${length} bytes is not a whole number of entries`, offset, CONTEXT);
  }
  const members: NexthopGroupMember[] = [];
  for (let at = offset; at < offset + length; at += NEXTHOP_GRP_SIZE) {
    // resvd1 is the high byte of the weight on kernels that ask for it (weight_high).
    members.push({ id: d.readUInt32LE(at), weight: ((d[at + 5] << 8) | d[at + 4]) + 1 });
  }
  return members;
});

/** The fields of struct nhmsg (<linux/nexthop.h>); resvd carries nothing. */
const nhmsgFields = {
  family: [0, u8],
  scope: [1, u8],
  protocol: [2, u8],
  flags: [4, u32],
} as const;

/**
 * nhmsg is struct nhmsg, the fixed header of nexthop messages, their dump
 * requests and nexthop bucket messages.
 *
 * @example
 * describeMessage('RTM_NEWNEXTHOPBUCKET', nhmsg, bucketAttributes);
 */
export const nhmsg: StructLayout = struct('struct nhmsg', NHMSG_SIZE, nhmsgFields);

/** A nexthop's header: struct nhmsg, and the two flags every Nexthop has, false until their attribute comes. */
const nexthopHeader = struct('struct nhmsg', NHMSG_SIZE, {
  ...nhmsgFields,
  blackhole: [0, preset(false)],
  fdb: [0, preset(false)],
});

/** NHA_RES_GROUP: a resilient group's parameters (timers in clock ticks). */
const resilientAttributes: AttributeSet = attributeSet('NHA_RES_GROUP', {
  buckets: attr(NHA_RES_GROUP_BUCKETS, u16),
  idleTimer: attr(NHA_RES_GROUP_IDLE_TIMER, u32),
  unbalancedTimer: attr(NHA_RES_GROUP_UNBALANCED_TIMER, u32),
  unbalancedTime: attr(NHA_RES_GROUP_UNBALANCED_TIME, u64n),
}, { ignore: [NHA_RES_GROUP_PAD], context: ['nexthop', 'NHA_RES_GROUP'] });

/** The NHA_* attributes of a nexthop; NHA_GATEWAY is of the header's family. */
const nexthopAttributes = attributeSet('nexthop', {
  id: attr(NHA_ID, u32),
  group: attr(NHA_GROUP, group),
  groupType: attr(NHA_GROUP_TYPE, u16),
  blackhole: attr(NHA_BLACKHOLE, flag),
  oif: attr(NHA_OIF, u32),
  gateway: attr(NHA_GATEWAY, address('family', formatAddress)),
  encapType: attr(NHA_ENCAP_TYPE, u16),
  encap: attr(NHA_ENCAP, binary),
  fdb: attr(NHA_FDB, flag),
  resilient: attr(NHA_RES_GROUP, nested<NexthopResilientGroup>(resilientAttributes)),
});

/**
 * nexthopMessage is RTM_NEWNEXTHOP described: struct nhmsg and the NHA_*
 * attributes. Its `decode` is `decodeNexthop`.
 *
 * @example
 * const nh = nexthopMessage.decode(msg);
 */
export const nexthopMessage: MessageDescription<Nexthop> = describeMessage<Nexthop>('RTM_NEWNEXTHOP', nexthopHeader,
  nexthopAttributes);

/** What a strictly checked RTM_GETNEXTHOP dump request may carry (rtm_nh_policy_dump). */
interface NexthopDumpRequest {
  family: number; scope: number; protocol: number; flags: number;
  id?: number; oif?: number; groups?: true; master?: number; fdb?: true; problems?: NetlinkDecodeError[];
}

/** The RTM_GETNEXTHOP request: a dump's filters (rtm_nh_policy_dump), or the NHA_ID of a get (rtm_nh_policy_get). */
const nexthopDumpMessage = describeMessage<NexthopDumpRequest>('RTM_GETNEXTHOP', nhmsg, attributeSet('nexthop request', {
  id: attr(NHA_ID, u32),
  oif: attr(NHA_OIF, u32),
  groups: attr(NHA_GROUPS, flag),
  master: attr(NHA_MASTER, u32),
  fdb: attr(NHA_FDB, flag),
}));

/**
 * nexthopRequest builds the RTM_GETNEXTHOP request for `filter`: with `id`,
 * a "do" request for that nexthop (NHA_ID); otherwise the dump request with
 * the family in struct nhmsg, the device in NHA_OIF, NHA_MASTER, NHA_GROUPS
 * and NHA_FDB.
 *
 * @example
 * dump(nexthopRequest({ ifindex: 2 }));
 */
export function nexthopRequest(filter: NexthopFilter = {}): DumpRequest {
  if (filter.id !== undefined) {
    const payload = nexthopDumpMessage.encode({ family: familyNumber(filter.family) }, { id: filter.id });
    return { protocol: NETLINK_ROUTE, type: RTM_GETNEXTHOP, payload, dump: false };
  }
  const payload = nexthopDumpMessage.encode({
    family: familyNumber(filter.family),
  }, {
    oif: filter.ifindex,
    master: filter.master,
    groups: filter.groups || undefined,
    fdb: filter.fdb || undefined,
  });
  return { protocol: NETLINK_ROUTE, type: RTM_GETNEXTHOP, payload };
}

/**
 * decodeNexthopRequest reads a nexthop dump request back into its filter:
 * `decodeNexthopRequest(nexthopRequest(f).payload)` equals `f` (flags that
 * are false are simply absent).
 *
 * @example
 * decodeNexthopRequest(nexthopRequest({ groups: true }).payload); // { groups: true }
 */
export function decodeNexthopRequest(payload: Uint8Array): NexthopFilter {
  const request = nexthopDumpMessage.decodePayload(payload);
  if (request.problems) throw request.problems[0];
  const filter: NexthopFilter = {};
  const family = familyName(request.family);
  if (family) filter.family = family;
  if (request.id !== undefined) filter.id = request.id;
  if (request.oif !== undefined) filter.ifindex = request.oif;
  if (request.master !== undefined) filter.master = request.master;
  if (request.groups) filter.groups = true;
  if (request.fdb) filter.fdb = true;
  return filter;
}

/**
 * decodeNexthop decodes an RTM_NEWNEXTHOP (or RTM_DELNEXTHOP) message. A
 * malformed attribute is recorded in `problems` and skipped; unknown ones
 * are kept in `unknown`. Only a message shorter than struct nhmsg throws
 * (`NetlinkDecodeError`): it cannot be a nexthop.
 *
 * @example
 * dump(nexthopRequest()).pipe(map(decodeNexthop));
 */
export function decodeNexthop(msg: NetlinkMessage): Nexthop {
  return nexthopMessage.decode(msg);
}

/**
 * matchNexthop applies `filter` as the kernel's nh_dump_filtered() does
 * (and the id and protocol, which a dump does not filter). The master is
 * the kernel's alone: a nexthop does not carry its device's master.
 *
 * @example
 * matchNexthop(nh, { groups: true });
 */
export function matchNexthop(nh: Nexthop, filter: NexthopFilter): boolean {
  if (filter.id !== undefined && nh.id !== filter.id) return false;
  if (filter.protocol !== undefined && nh.protocol !== filter.protocol) return false;
  const isGroup = nh.group !== undefined;
  if (filter.groups && !isGroup) return false;
  if (filter.fdb && !nh.fdb) return false;
  const family = familyNumber(filter.family);
  if (filter.ifindex === undefined && filter.master === undefined && family === AF_UNSPEC) return true;
  if (isGroup) return false;
  if (family !== AF_UNSPEC && nh.family !== family) return false;
  if (filter.ifindex !== undefined && nh.oif !== filter.ifindex) return false;
  return true;
}

/**
 * nexthopSelector returns what `nexthops(filter)` does with each reply
 * message of its dump: the decoded nexthop, or undefined for a message that
 * is not an RTM_NEWNEXTHOP or a nexthop `filter` does not match.
 *
 * @example
 * const select = nexthopSelector({ groups: true });
 * for (const msg of batch) {
 *   const nh = select(msg);
 *   if (nh) console.log(nh.id);
 * }
 */
export function nexthopSelector(filter: NexthopFilter = {}): (msg: NetlinkMessage) => Nexthop | undefined {
  return (msg) => {
    if (msg.type !== RTM_NEWNEXTHOP) return undefined;
    const nh = decodeNexthop(msg);
    return matchNexthop(nh, filter) ? nh : undefined;
  };
}
