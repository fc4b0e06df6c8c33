/**
 * Addresses as `ip address show` prints them: the `addr_info` objects of
 * `ip -j` and the readable `inet …` lines, from typed Addresses.
 */
import {
  IFA_F_DEPRECATED, IFA_F_PERMANENT, IFA_F_SECONDARY, INFINITY_LIFE_TIME, type Address,
} from '../route/address-decode.js';
import { AF_INET, AF_INET6 } from '../route/constants.js';
import { linkJson, linkText, type Json, type JsonObject, type LinkView } from './link-format.js';
import type { Link } from '../route/link-decode.js';
import type { ObjectFormat } from './object-output.js';
import { ADDRESS_FLAG_NAMES, scopeName } from './names.js';

/** print_ifa_flags(): each flag by name, `dynamic` for a missing permanent, `temporary` for IPv6 secondary. */
function flagEntries(addr: Address): [string, true][] {
  const out: [string, true][] = [];
  let flags = addr.flags;
  for (const [mask, name] of ADDRESS_FLAG_NAMES) {
    if (mask === IFA_F_PERMANENT) {
      if (!(flags & mask)) out.push(['dynamic', true]);
    } else if (flags & mask) {
      if (mask === IFA_F_SECONDARY && addr.family === AF_INET6) out.push(['temporary', true]);
      else out.push([name, true]);
    }
    flags &= ~mask;
  }
  return out;
}

function leftoverFlags(addr: Address): number {
  let flags = addr.flags;
  for (const [mask] of ADDRESS_FLAG_NAMES) flags &= ~mask;
  return flags;
}

function familyKey(addr: Address): [string, Json] {
  if (addr.family === AF_INET) return ['family', 'inet'];
  if (addr.family === AF_INET6) return ['family', 'inet6'];
  return ['family_index', addr.family];
}

/**
 * addressJson is one `addr_info` entry of `ip -j address show`.
 *
 * @example
 * out.addr_info = addrs.map(addressJson);
 */
export function addressJson(addr: Address): JsonObject {
  const out: JsonObject = {};
  const [key, family] = familyKey(addr);
  out[key] = family;
  const local = addr.local ?? addr.address;
  const peer = addr.address ?? addr.local;
  if (local !== undefined) {
    out.local = local;
    if (peer !== undefined && peer !== local) out.address = peer;
    out.prefixlen = addr.prefixlen;
  }
  if (addr.metric !== undefined) out.metric = addr.metric;
  if (addr.broadcast !== undefined) out.broadcast = addr.broadcast;
  if (addr.anycast !== undefined) out.anycast = addr.anycast;
  out.scope = scopeName(addr.scope);
  for (const [name, value] of flagEntries(addr)) out[name] = value;
  const rest = leftoverFlags(addr);
  if (rest) out.ifa_flags = rest.toString(16).padStart(2, '0');
  if (addr.label !== undefined) out.label = addr.label;
  if (addr.cacheinfo) {
    const { valid, preferred } = addr.cacheinfo;
    out.valid_life_time = valid;
    // ip prints a deprecated address's preferred lifetime signed.
    out.preferred_life_time = preferred !== INFINITY_LIFE_TIME && addr.flags & IFA_F_DEPRECATED ? preferred | 0 : preferred;
  }
  return out;
}

/**
 * addressText is the readable form of one address: `    inet …` and its
 * `valid_lft` line, as `ip address show` prints them.
 *
 * @example
 * ctx.write(addrs.map(addressText).join(''));
 */
export function addressText(addr: Address): string {
  const family = addr.family === AF_INET ? 'inet' : addr.family === AF_INET6 ? 'inet6' : `family ${addr.family}`;
  let line = `    ${family} `;
  const local = addr.local ?? addr.address;
  const peer = addr.address ?? addr.local;
  if (local !== undefined) {
    line += local;
    if (peer !== undefined && peer !== local) line += ` peer ${peer}`;
    line += `/${addr.prefixlen} `;
  }
  if (addr.metric !== undefined) line += `metric ${addr.metric} `;
  if (addr.broadcast !== undefined) line += `brd ${addr.broadcast} `;
  if (addr.anycast !== undefined) line += `any ${addr.anycast} `;
  line += `scope ${scopeName(addr.scope)} `;
  for (const [name] of flagEntries(addr)) line += `${name} `;
  const rest = leftoverFlags(addr);
  if (rest) line += `flags ${rest.toString(16).padStart(2, '0')} `;
  if (addr.label !== undefined) line += addr.label;
  if (addr.cacheinfo) {
    const { valid, preferred } = addr.cacheinfo;
    const text = (v: number, signed: boolean) => (v === INFINITY_LIFE_TIME ? 'forever' : `${signed ? v | 0 : v}sec`);
    line += `\n       valid_lft ${text(valid, false)} preferred_lft ${text(preferred, (addr.flags & IFA_F_DEPRECATED) !== 0)}`;
  }
  return `${line}\n`;
}

/**
 * linkAddressesFormat is how `nlrx addr show` prints a link: the link, then
 * its addresses (`groups`, by ifindex) — in JSON as the link's `addr_info`.
 * A link `shown` rejects prints as `{}` in JSON and not at all in text, as
 * ip 6.1 does.
 *
 * @example
 * linkAddressesFormat(view, groups, (link) => (link.flags & IFF_UP) !== 0).text(link); // the link's lines, then its addresses'
 */
export function linkAddressesFormat(view: LinkView, groups: ReadonlyMap<number, readonly Address[]>,
  shown: (link: Link) => boolean): ObjectFormat<Link> {
  return {
    json: (link) => (shown(link)
      ? JSON.stringify({ ...linkJson(link, view), addr_info: (groups.get(link.ifindex) ?? []).map(addressJson) })
      : '{}'),
    text: (link) => (shown(link)
      ? linkText(link, view) + (groups.get(link.ifindex) ?? []).map(addressText).join('')
      : ''),
  };
}
