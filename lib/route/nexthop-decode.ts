/**
 * Nexthop objects (RTM_GETNEXTHOP / RTM_NEWNEXTHOP, struct nhmsg + NHA_*
 * attributes, <linux/nexthop.h>): type, decoder, dump request and selector,
 * without RxJS — `nlrx nexthop show` loads this module alone; nexthop.ts
 * re-exports it with `nexthops()`.
 */
import { AttributeCursor, MessageWriter } from '../codec/attributes.js';
import { NETLINK_ROUTE, NLMSG_HDRLEN, type NetlinkMessage } from '../codec/header.js';
import { NetlinkDecodeError } from '../errors.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { AF_INET, AF_INET6, AF_UNSPEC, RTM_GETNEXTHOP, RTM_NEWNEXTHOP } from './constants.js';
import { rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';
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
  buckets?: number;
  idleTimer?: number;
  unbalancedTimer?: number;
  unbalancedTime?: number;
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
 * NexthopFilter selects nexthops; all of it is filtered by the kernel
 * (NHA_OIF, NHA_GROUPS, NHA_FDB, nh_family), and again in JavaScript, with
 * the kernel's rules: a family or device filter leaves groups out.
 *
 * @example
 * nexthops({ groups: true });
 */
export interface NexthopFilter {
  family?: 'inet' | 'inet6';
  ifindex?: number;
  groups?: boolean;
  fdb?: boolean;
}

const CONTEXT = ['nexthop'];

/**
 * nexthopRequest builds the RTM_GETNEXTHOP dump request for `filter`.
 *
 * @example
 * dump(nexthopRequest({ ifindex: 2 }));
 */
export function nexthopRequest(filter: NexthopFilter = {}): DumpRequest {
  const w = new MessageWriter(32);
  const nhm = w.struct(NHMSG_SIZE);
  nhm[0] = filter.family === 'inet' ? AF_INET : filter.family === 'inet6' ? AF_INET6 : AF_UNSPEC;
  if (filter.ifindex !== undefined) w.u32(NHA_OIF, filter.ifindex);
  if (filter.groups) w.flag(NHA_GROUPS);
  if (filter.fdb) w.flag(NHA_FDB);
  return { protocol: NETLINK_ROUTE, type: RTM_GETNEXTHOP, payload: Uint8Array.from(w.bytes()) };
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
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (data.length < NHMSG_SIZE) throw new NetlinkDecodeError('struct nhmsg cut short', 0, ['nexthop request']);
  const filter: NexthopFilter = {};
  if (data[0] === AF_INET) filter.family = 'inet';
  else if (data[0] === AF_INET6) filter.family = 'inet6';
  const c = new AttributeCursor(data, NHMSG_SIZE, data.length, ['nexthop request']);
  while (c.next()) {
    if (c.type === NHA_OIF) filter.ifindex = c.u32();
    else if (c.type === NHA_GROUPS) filter.groups = true;
    else if (c.type === NHA_FDB) filter.fdb = true;
  }
  if (c.error) throw c.error;
  return filter;
}

function decodeGroup(c: AttributeCursor): NexthopGroupMember[] {
  if (c.length === 0 || c.length % NEXTHOP_GRP_SIZE !== 0) {
    throw new NetlinkDecodeError(`NHA_GROUP of ${c.length} bytes is not a whole number of entries`, c.offset, CONTEXT);
  }
  const members: NexthopGroupMember[] = [];
  for (let at = c.offset; at < c.offset + c.length; at += NEXTHOP_GRP_SIZE) {
    // resvd1 is the high byte of the weight on kernels that ask for it (weight_high).
    members.push({ id: c.data.readUInt32LE(at), weight: ((c.data[at + 5] << 8) | c.data[at + 4]) + 1 });
  }
  return members;
}

function decodeResilient(c: AttributeCursor, problems: NetlinkDecodeError[]): NexthopResilientGroup {
  const group: NexthopResilientGroup = {};
  const n = c.nested('NHA_RES_GROUP');
  for (;;) {
    try {
      while (n.next()) {
        if (n.type === NHA_RES_GROUP_BUCKETS) group.buckets = n.u16();
        else if (n.type === NHA_RES_GROUP_IDLE_TIMER) group.idleTimer = n.u32();
        else if (n.type === NHA_RES_GROUP_UNBALANCED_TIMER) group.unbalancedTimer = n.u32();
        else if (n.type === NHA_RES_GROUP_UNBALANCED_TIME) group.unbalancedTime = n.u64n();
      }
      break;
    } catch (error) {
      if (!(error instanceof NetlinkDecodeError)) throw error;
      problems.push(error);
    }
  }
  if (n.error) problems.push(n.error);
  return group;
}

/**
 * decodeNexthop decodes an RTM_NEWNEXTHOP message; a malformed attribute is
 * recorded in `problems` and skipped, unknown ones kept in `unknown`.
 *
 * @example
 * dump(nexthopRequest()).pipe(map(decodeNexthop));
 */
export function decodeNexthop(msg: NetlinkMessage): Nexthop {
  const d = msg.data;
  const base = msg.offset + NLMSG_HDRLEN;
  const end = msg.offset + msg.length;
  if (end - base < NHMSG_SIZE) {
    return { family: 0, scope: 0, protocol: 0, flags: 0, blackhole: false, fdb: false,
      problems: [new NetlinkDecodeError('struct nhmsg cut short', base, CONTEXT)] };
  }
  const family = d[base];
  const nh: Nexthop = {
    family, scope: d[base + 1], protocol: d[base + 2], flags: d.readUInt32LE(base + 4), blackhole: false, fdb: false,
  };
  const c = new AttributeCursor(d, base + NHMSG_SIZE, end, CONTEXT);
  for (;;) {
    try {
      while (c.next()) {
        switch (c.type) {
          case NHA_ID: nh.id = c.u32(); break;
          case NHA_GROUP: nh.group = decodeGroup(c); break;
          case NHA_GROUP_TYPE: nh.groupType = c.u16(); break;
          case NHA_BLACKHOLE: nh.blackhole = true; break;
          case NHA_OIF: nh.oif = c.u32(); break;
          case NHA_GATEWAY: nh.gateway = formatAddress(family, d, c.offset, c.length, CONTEXT); break;
          case NHA_ENCAP_TYPE: nh.encapType = c.u16(); break;
          case NHA_ENCAP: nh.encap = new Uint8Array(d.subarray(c.offset, c.offset + c.length)); break;
          case NHA_FDB: nh.fdb = true; break;
          case NHA_RES_GROUP: nh.resilient = decodeResilient(c, (nh.problems ??= [])); break;
          default: (nh.unknown ??= []).push(rawAttribute(c));
        }
      }
      break;
    } catch (error) {
      if (!(error instanceof NetlinkDecodeError)) throw error;
      (nh.problems ??= []).push(error);
    }
  }
  if (c.error) (nh.problems ??= []).push(c.error);
  if (nh.problems?.length === 0) delete nh.problems;
  return nh;
}

/**
 * matchNexthop applies `filter` as the kernel's nh_dump_filtered() does.
 *
 * @example
 * matchNexthop(nh, { groups: true });
 */
export function matchNexthop(nh: Nexthop, filter: NexthopFilter): boolean {
  const isGroup = nh.group !== undefined;
  if (filter.groups && !isGroup) return false;
  if (filter.fdb && !nh.fdb) return false;
  const family = filter.family === 'inet' ? AF_INET : filter.family === 'inet6' ? AF_INET6 : AF_UNSPEC;
  if (filter.ifindex === undefined && family === AF_UNSPEC) return true;
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
