/**
 * Addresses as `ip address show` prints them: the `addr_info` objects of
 * `ip -j` and the readable `inet …` lines, from typed Addresses.
 */
import {
  IFA_F_DEPRECATED, IFA_F_PERMANENT, IFA_F_SECONDARY, INFINITY_LIFE_TIME, type Address,
} from '../route/address-decode.js';
import { AF_INET, AF_INET6 } from '../route/constants.js';
import {
  indexName, linkBriefJson, linkBriefText, linkJson, linkStatsJson, linkStatsText, linkText, oneline, type Json, type JsonObject, type LinkView,
} from './link-format.js';
import type { Link } from '../route/link-decode.js';
import type { ObjectFormat } from './object-output.js';
import { ADDRESS_FLAG_NAMES, scopeName } from './names.js';
import { familyColor, paint } from './ip-color.js';

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
 * ctx.write(addrs.map((a) => addressText(a)).join(''));
 */
export function addressText(addr: Address, color = false): string {
  const tint = (text: string) => paint(color, familyColor(addr.family), text);
  const family = addr.family === AF_INET ? 'inet' : addr.family === AF_INET6 ? 'inet6' : `family ${addr.family}`;
  let line = `    ${family} `;
  const local = addr.local ?? addr.address;
  const peer = addr.address ?? addr.local;
  if (local !== undefined) {
    line += tint(local);
    if (peer !== undefined && peer !== local) line += ` peer ${tint(peer)}`;
    line += `/${addr.prefixlen} `;
  }
  if (addr.metric !== undefined) line += `metric ${addr.metric} `;
  if (addr.broadcast !== undefined) line += `brd ${tint(`${addr.broadcast} `)}`;
  if (addr.anycast !== undefined) line += `any ${tint(`${addr.anycast} `)}`;
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
 * addressBriefJson is one `addr_info` entry of `ip -br -j address show`:
 * the local address, the peer when it differs, the prefix length.
 *
 * @example
 * addressBriefJson(addr); // { local: '10.0.0.1', prefixlen: 24 }
 */
export function addressBriefJson(addr: Address): JsonObject {
  const out: JsonObject = {};
  const local = addr.local ?? addr.address;
  const peer = addr.address ?? addr.local;
  if (local !== undefined) out.local = local;
  if (peer !== undefined && peer !== local) out.address = peer;
  out.prefixlen = addr.prefixlen;
  return out;
}

/**
 * addressBriefText is one address of an `ip -br address show` line:
 * `local[ peer PEER]/len `.
 *
 * @example
 * addressBriefText(addr); // '10.0.0.1/24 '
 */
export function addressBriefText(addr: Address, color = false): string {
  const tint = (text: string) => paint(color, familyColor(addr.family), text);
  const local = addr.local ?? addr.address;
  const peer = addr.address ?? addr.local;
  return `${tint(local ?? '')}${peer !== undefined && peer !== local ? ` peer ${tint(peer)}` : ''}/${addr.prefixlen} `;
}

/**
 * AddressListing is what printing `ip address show` needs beyond each link:
 * the link view, which addresses of a link are selected, which links ip's
 * link tests pass (the others print as `{}` in JSON), whether `-0` asked for
 * links alone, and whether `label` hides the links' own lines.
 *
 * @example
 * const listing: AddressListing = { view, packet: false, labels: false, addresses: (l) => groups.get(l.ifindex) ?? [], selected: () => true, shown: () => true };
 */
export interface AddressListing {
  view: LinkView;
  /** `-0` / `-f link`: links only, printed as `ip link` would but without `mode`. */
  packet: boolean;
  /** `label PATTERN`: ip prints no link line, only the addresses. */
  labels: boolean;
  /** The link's addresses of the family asked for. */
  addresses(link: Link): readonly Address[];
  /** Whether ip's address tests pass (an address they reject is `{}` in JSON: ip opened its object first). */
  selected(addr: Address): boolean;
  shown(link: Link): boolean;
}

/**
 * linkAddressesFormat is how `nlrx addr show` prints a link: the link, then
 * its selected addresses — in JSON as the link's `addr_info`; with `-br` on
 * one line; with `-o` one line an address, each led by `N: name`. A link
 * `shown` rejects prints as `{}` in JSON and not at all in text, as ip 6.1
 * does.
 *
 * @example
 * linkAddressesFormat(listing).text(link); // the link's lines, then its addresses'
 */
export function linkAddressesFormat(listing: AddressListing): ObjectFormat<Link> {
  const { view, packet, labels } = listing;
  const jsonOf = (toJson: (a: Address) => JsonObject) => (a: Address): JsonObject => (listing.selected(a) ? toJson(a) : {});
  const onelineAddress = (link: Link, addr: Address) =>
    oneline(`${addr.ifindex}: ${indexName(view.byIndex, addr.ifindex)}${addressText(addr, view.color)}`);
  return {
    json: (link) => {
      if (!listing.shown(link)) return '{}';
      if (packet) return JSON.stringify(view.brief ? linkBriefJson(link, view, true) : linkJson(link, view));
      const addrs = listing.addresses(link);
      if (view.brief) {
        const head = labels ? {} : linkBriefJson(link, view, false);
        return JSON.stringify({ ...head, addr_info: addrs.map(jsonOf(addressBriefJson)) });
      }
      if (view.oneline) {
        const entries = addrs.map(jsonOf((a) => ({ index: a.ifindex, dev: indexName(view.byIndex, a.ifindex), ...addressJson(a) })));
        return JSON.stringify({ addr_info: entries });
      }
      const head = labels ? {} : linkJson(link, view);
      const out: JsonObject = { ...head, addr_info: addrs.map(jsonOf(addressJson)) };
      const stats64 = labels ? undefined : linkStatsJson(link, view);
      if (stats64) out.stats64 = stats64;
      return JSON.stringify(out);
    },
    text: (link) => {
      if (!listing.shown(link)) return '';
      if (packet) {
        if (view.brief) return linkBriefText(link, view, true);
        return view.oneline ? oneline(linkText(link, view)) : linkText(link, view);
      }
      const addrs = listing.addresses(link).filter((a) => listing.selected(a));
      if (view.brief) return `${labels ? '' : linkBriefText(link, view, false)}${addrs.map((a) => addressBriefText(a, view.color)).join('')}\n`;
      if (view.oneline) return addrs.map((a) => onelineAddress(link, a)).join('');
      const head = labels ? '' : linkText(link, view);
      // ip address -s prints the link's counters after its addresses.
      return head + addrs.map((a) => addressText(a, view.color)).join('') + (labels ? '' : linkStatsText(link, view));
    },
  };
}
