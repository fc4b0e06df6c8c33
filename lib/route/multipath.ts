/** RTA_MULTIPATH: a route's next hops (struct rtnexthop, each followed by its own RTA_* attributes). */
import { AttributeCursor } from '../codec/attributes.js';
import { align } from '../codec/align.js';
import { NetlinkDecodeError } from '../errors.js';
import { rawAttribute, type RawAttribute } from '../codec/raw-attribute.js';
import { formatAddress } from './route-address.js';
import {
  RTA_ENCAP, RTA_ENCAP_TYPE, RTA_FLOW, RTA_GATEWAY, RTA_NEWDST, RTA_VIA, RTNEXTHOP_SIZE,
} from './route-constants.js';

/**
 * RouteVia is RTA_VIA (struct rtvia): a gateway of another family than the
 * route's, e.g. an IPv4 route via an IPv6 next hop.
 *
 * @example
 * if (route.via) console.log(route.via.family === AF_INET6, route.via.address);
 */
export interface RouteVia {
  family: number;
  address: string;
}

/**
 * RouteNexthop is one next hop of a multipath route (struct rtnexthop plus
 * its attributes). `weight` is `hops + 1`, as `ip route … weight N` sets it.
 *
 * @example
 * route.multipath?.map((nh) => `${nh.gateway} dev ${nh.ifindex} weight ${nh.weight}`);
 */
export interface RouteNexthop {
  /** rtnh_ifindex. */
  ifindex: number;
  /** rtnh_hops: weight - 1 (for multicast routes, the TTL threshold). */
  hops: number;
  weight: number;
  /** rtnh_flags: RTNH_F_* bits. */
  flags: number;
  gateway?: string;
  via?: RouteVia;
  newdst?: string;
  /** RTA_FLOW: realms, `from << 16 | to`. */
  flow?: number;
  encapType?: number;
  /** RTA_ENCAP, raw (its layout depends on encapType). */
  encap?: Uint8Array;
  unknown?: RawAttribute[];
}

/**
 * decodeVia reads a struct rtvia payload: a u16 family and the address.
 *
 * @example
 * const via = decodeVia(cursor.data, cursor.offset, cursor.length, ['route']);
 */
export function decodeVia(data: Buffer, offset: number, length: number, context: readonly string[]): RouteVia {
  if (length < 2) throw new NetlinkDecodeError(`RTA_VIA needs at least 2 bytes, has ${length}`, offset, context);
  const family = data.readUInt16LE(offset);
  return { family, address: formatAddress(family, data, offset + 2, length - 2, context) };
}

const CONTEXT = ['route', 'RTA_MULTIPATH'];

/**
 * decodeMultipath reads the next hops in an RTA_MULTIPATH payload
 * `data[start, end)` of a route of `family`. A next hop whose length runs
 * past the attribute ends the list (reported in `problems`); a malformed
 * attribute of one next hop is reported and skipped.
 *
 * @example
 * const hops = decodeMultipath(AF_INET, c.data, c.offset, c.offset + c.length, problems);
 */
export function decodeMultipath(family: number, data: Buffer, start: number, end: number,
  problems: NetlinkDecodeError[]): RouteNexthop[] {
  const hops: RouteNexthop[] = [];
  let at = start;
  while (at + RTNEXTHOP_SIZE <= end) {
    const length = data.readUInt16LE(at);
    if (length < RTNEXTHOP_SIZE || at + length > end) {
      problems.push(new NetlinkDecodeError(`rtnexthop length ${length} runs past its container`, at, CONTEXT));
      return hops;
    }
    const rawHops = data[at + 3];
    const hop: RouteNexthop = {
      ifindex: data.readInt32LE(at + 4),
      hops: rawHops,
      weight: rawHops + 1,
      flags: data[at + 2],
    };
    const c = new AttributeCursor(data, at + RTNEXTHOP_SIZE, at + length, CONTEXT);
    for (;;) {
      try {
        while (c.next()) {
          switch (c.type) {
            case RTA_GATEWAY: hop.gateway = formatAddress(family, data, c.offset, c.length, CONTEXT); break;
            case RTA_VIA: hop.via = decodeVia(data, c.offset, c.length, CONTEXT); break;
            case RTA_NEWDST: hop.newdst = formatAddress(family, data, c.offset, c.length, CONTEXT); break;
            case RTA_FLOW: hop.flow = c.u32(); break;
            case RTA_ENCAP_TYPE: hop.encapType = c.u16(); break;
            case RTA_ENCAP: hop.encap = new Uint8Array(c.data.subarray(c.offset, c.offset + c.length)); break;
            default: (hop.unknown ??= []).push(rawAttribute(c));
          }
        }
        break;
      } catch (error) {
        if (!(error instanceof NetlinkDecodeError)) throw error;
        problems.push(error);
      }
    }
    if (c.error) problems.push(c.error);
    hops.push(hop);
    at += align(length);
  }
  if (at < end) problems.push(new NetlinkDecodeError('rtnexthop cut short', at, CONTEXT));
  return hops;
}
