/** RTA_MULTIPATH: a route's next hops (struct rtnexthop, each followed by its own RTA_* attributes). */
import { align } from '../codec/align.js';
import { attr, attributeSet, type AttributeSet } from '../codec/attribute-set.js';
import { address, binary, custom, u16, u32 } from '../codec/attribute-type.js';
import { compileWalker } from '../codec/compile-decoder.js';
import { NetlinkDecodeError } from '../errors.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
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

/** A route's `via` (struct rtvia), as a described type. */
export const via = custom<RouteVia>('struct rtvia', (data, offset, length) => decodeVia(data, offset, length, CONTEXT), { minSize: 2 });

/**
 * hopAttributes describes the RTA_* attributes of one next hop; addresses
 * are of the route's family.
 *
 * @example
 * const walk = compileWalker(hopAttributes);
 */
export const hopAttributes: AttributeSet = attributeSet('RTA_MULTIPATH', {
  gateway: attr(RTA_GATEWAY, address('family', formatAddress)),
  via: attr(RTA_VIA, via),
  newdst: attr(RTA_NEWDST, address('family', formatAddress)),
  flow: attr(RTA_FLOW, u32),
  encapType: attr(RTA_ENCAP_TYPE, u16),
  encap: attr(RTA_ENCAP, binary),
}, { context: CONTEXT });

const walkHop = compileWalker(hopAttributes);

/**
 * decodeMultipath reads the next hops in an RTA_MULTIPATH payload
 * `data[start, end)` of a route (`route.family` is the family of their
 * addresses). A next hop whose length runs past the attribute ends the list
 * (reported in `problems`); a malformed attribute of one next hop is reported
 * and skipped.
 *
 * @example
 * const hops = decodeMultipath({ family: AF_INET }, c.data, c.offset, c.offset + c.length, problems);
 */
export function decodeMultipath(route: { readonly family: number }, data: Buffer, start: number, end: number,
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
    walkHop(data, at + RTNEXTHOP_SIZE, at + length, hop, route, problems);
    hops.push(hop);
    at += align(length);
  }
  if (at < end) problems.push(new NetlinkDecodeError('rtnexthop cut short', at, CONTEXT));
  return hops;
}

/**
 * multipath is RTA_MULTIPATH as a described type: the route's next hops.
 *
 * @example
 * attr(RTA_MULTIPATH, multipath);
 */
export const multipath = custom<RouteNexthop[]>('RTA_MULTIPATH',
  (data, offset, length, route, problems) => decodeMultipath(route as { family: number }, data, offset, offset + length, problems));
