/**
 * The selectors `ip link show` and `ip address show` share (iproute2 6.1,
 * ip/ipaddress.c ipaddr_list_flush_or_save(): one parser for both objects),
 * and the tests ip applies with them to links (print_linkinfo()) and to
 * addresses (ipaddr_filter(), print_addrinfo()).
 */
import { inetBytes } from '../codec/address-text.js';
import {
  IFA_F_DADFAILED, IFA_F_DEPRECATED, IFA_F_HOMEADDRESS, IFA_F_MANAGETEMPADDR, IFA_F_MCAUTOJOIN, IFA_F_NODAD,
  IFA_F_NOPREFIXROUTE, IFA_F_OPTIMISTIC, IFA_F_PERMANENT, IFA_F_SECONDARY, IFA_F_STABLE_PRIVACY, IFA_F_TENTATIVE,
  type Address,
} from '../route/address-decode.js';
import { AF_INET, AF_INET6 } from '../route/constants.js';
import { IFF_UP, type Link } from '../route/link-decode.js';
import { UsageError, type CliFamily } from './cli-context.js';
import { deviceGroups, routeScopes } from './route-names.js';

/** ifa_flag_names[] of ipaddress.c: the flag words `ip address show` selects by. */
const FLAG_WORDS: Record<string, number> = {
  secondary: IFA_F_SECONDARY, temporary: IFA_F_SECONDARY, nodad: IFA_F_NODAD, optimistic: IFA_F_OPTIMISTIC,
  dadfailed: IFA_F_DADFAILED, home: IFA_F_HOMEADDRESS, deprecated: IFA_F_DEPRECATED, tentative: IFA_F_TENTATIVE,
  permanent: IFA_F_PERMANENT, mngtmpaddr: IFA_F_MANAGETEMPADDR, noprefixroute: IFA_F_NOPREFIXROUTE,
  autojoin: IFA_F_MCAUTOJOIN, 'stable-privacy': IFA_F_STABLE_PRIVACY,
};

/** `to PREFIX` as ip's get_prefix() reads it; `family` undefined for `default`/`all`/`any` (matches every address). */
export interface IpPrefix {
  family?: 'inet' | 'inet6';
  bytes: Uint8Array;
  bits: number;
}

/**
 * IpListFilter is what the words after `ip link show` / `ip address show`
 * select, before device names are resolved.
 *
 * @example
 * const filter = parseIpListFilter(['up', 'scope', 'link'], undefined, all);
 */
export interface IpListFilter {
  /** The effective family: `-f`, or the family of `to PREFIX` when `-f` gave none. */
  family?: CliFamily;
  dev?: string;
  up: boolean;
  /** `group G`; undefined selects every group. */
  group?: number;
  /** `master DEV` (an ifindex) or `nomaster` (-1). */
  master?: number;
  kind?: string;
  slaveKind?: string;
  scope: number;
  scopeMask: number;
  flags: number;
  flagMask: number;
  label?: string;
  to?: IpPrefix;
}

/** `Error: argument "X" is wrong: WHY` and a blank line, exit 255: ip's invarg() with its message's own newline. */
function invarg(why: string, arg: string): UsageError {
  return new UsageError(`Error: argument "${arg}" is wrong: ${why}\n`, 255);
}

/** ip's get_addr_ipv4(): one to four dot-separated parts, each a C number ≤ 255 (`10` is 10.0.0.0). */
function ipv4Parts(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const n = /^0[xX][0-9a-fA-F]+$/.test(p) ? parseInt(p, 16) : /^0[0-7]*$/.test(p) ? parseInt(p, 8) : /^[1-9][0-9]*$/.test(p) ? Number(p) : NaN;
    if (!(n <= 255)) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

/**
 * parsePrefix reads `to PREFIX` as ip's get_prefix() does, or fails with
 * its message (`Error: inet prefix is expected rather than "x".`, `any valid` without
 * a family; exit 1).
 *
 * @example
 * parsePrefix('10.0.0.0/8', undefined); // { family: 'inet', bytes: …, bits: 8 }
 */
export function parsePrefix(text: string, family: CliFamily | undefined): IpPrefix {
  const fail = () => new UsageError(`Error: ${family ?? 'any valid'} prefix is expected rather than "${text}".`);
  if (text === 'default' || text === 'all' || text === 'any') {
    if (family === 'mpls') throw fail();
    const fam = family === 'inet' || family === 'inet6' ? family : undefined;
    return { family: fam, bytes: new Uint8Array(fam === 'inet6' ? 16 : 4), bits: 0 };
  }
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  let bytes: Uint8Array | undefined;
  let fam: 'inet' | 'inet6' | undefined;
  if (addr.includes(':')) {
    bytes = inetBytes(addr);
    fam = 'inet6';
  } else {
    bytes = ipv4Parts(addr);
    fam = 'inet';
  }
  if (bytes === undefined || (family !== undefined && family !== fam)) throw fail();
  const max = bytes.length * 8;
  let bits = max;
  if (slash >= 0) {
    const len = text.slice(slash + 1);
    if (!/^[0-9]+$/.test(len) || Number(len) > max) throw fail();
    bits = Number(len);
  }
  return { family: fam, bytes, bits };
}

/** fnmatch(pattern, text, 0): `*`, `?` and `[…]` classes, as `label PATTERN` matches. */
function fnmatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(text);
}

/**
 * parseIpListFilter reads the selectors of `ip link show` / `ip address
 * show` in ip's order, with ip's messages and exit codes for bad ones.
 * `links` resolves `master DEV` and `vrf NAME` (ip resolves them as it reads).
 *
 * @example
 * parseIpListFilter(['dev', 'va', 'permanent'], 'inet', links).flagMask; // IFA_F_PERMANENT
 */
export function parseIpListFilter(args: readonly string[], family: CliFamily | undefined,
  links: readonly Link[]): IpListFilter {
  const filter: IpListFilter = { family, up: false, scope: 0, scopeMask: 0, flags: 0, flagMask: 0 };
  const byName = (name: string) => links.find((l) => l.ifname === name);
  for (let i = 0; i < args.length; i++) {
    let word = args[i];
    const next = () => {
      const value = args[++i];
      if (value === undefined) throw new UsageError('Command line is not complete. Try option "help"', 255);
      return value;
    };
    if (word === 'to') {
      const text = next();
      filter.to = parsePrefix(text, filter.family);
      filter.family ??= filter.to.family;
    } else if (word === 'scope') {
      const text = next();
      filter.scopeMask = 0xff;
      const scope = routeScopes().id(text);
      if (scope === undefined || scope > 255) {
        if (text !== 'all') throw invarg('invalid "scope"', text);
        filter.scope = 255;
        filter.scopeMask = 0;
      } else filter.scope = scope;
    } else if (word === 'up') filter.up = true;
    else if (flagWord(filter, word)) continue;
    else if (word === 'label') filter.label = next();
    else if (word === 'group') {
      const text = next();
      const group = deviceGroups().id(text);
      if (group === undefined) throw invarg('Invalid "group" value', text);
      filter.group = group;
    } else if (word === 'master') {
      const text = next();
      const master = byName(text);
      if (master === undefined) throw invarg('Device does not exist', text);
      filter.master = master.ifindex;
    } else if (word === 'vrf') {
      const text = next();
      const vrf = byName(text);
      if (vrf === undefined || vrf.linkinfo?.kind !== 'vrf') throw invarg('Not a valid VRF name', text);
      filter.master = vrf.ifindex;
    } else if (word === 'nomaster') filter.master = -1;
    else if (word === 'type') {
      const kind = next();
      if (kind.endsWith('_slave')) filter.slaveKind = kind.slice(0, -'_slave'.length);
      else filter.kind = kind;
    } else {
      if (word === 'dev') word = next();
      else if ('help'.startsWith(word) && word !== '') throw new UsageError('help', 255);
      if (filter.dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${word}" is a garbage.`, 255);
      filter.dev = word;
    }
  }
  return filter;
}

/** ip's get_filter(): a flag word, `-` before it to invert; `dynamic` is -permanent, `primary` -secondary. */
function flagWord(filter: IpListFilter, word: string): boolean {
  let invert = word.startsWith('-');
  let name = invert ? word.slice(1) : word;
  if (name === 'dynamic') {
    invert = !invert;
    name = 'permanent';
  } else if (name === 'primary') {
    invert = !invert;
    name = 'secondary';
  }
  const bit = FLAG_WORDS[name];
  if (bit === undefined) return false;
  if (invert) filter.flags &= ~bit;
  else filter.flags |= bit;
  filter.flagMask |= bit;
  return true;
}

/**
 * linkSelected is print_linkinfo()'s test: whether ip prints the link (a
 * link it rejects is still `{}` in JSON: ip opened its object first).
 *
 * @example
 * links.filter((l) => linkSelected(filter, l));
 */
export function linkSelected(filter: IpListFilter, link: Link): boolean {
  if (filter.up && (link.flags & IFF_UP) === 0) return false;
  if (filter.group !== undefined && link.group !== undefined && link.group !== filter.group) return false;
  if (filter.master !== undefined && filter.master > 0 && link.master !== filter.master) return false;
  if (filter.master === -1 && link.master !== undefined) return false;
  if (filter.kind !== undefined && link.linkinfo?.kind !== filter.kind) return false;
  if (filter.slaveKind !== undefined && link.linkinfo?.slaveKind !== filter.slaveKind) return false;
  return true;
}

function familyNumber(family: CliFamily | undefined): number {
  return family === 'inet' ? AF_INET : family === 'inet6' ? AF_INET6 : 0;
}

/**
 * addressSelected is print_addrinfo()'s test (also ipaddr_filter()'s):
 * family, scope, flags, label (`fnmatch`, the device's name for an address
 * without IFA_LABEL) and `to PREFIX`.
 *
 * @example
 * addrs.filter((a) => addressSelected(filter, a, names));
 */
export function addressSelected(filter: IpListFilter, addr: Address, deviceName: (ifindex: number) => string): boolean {
  const family = familyNumber(filter.family);
  if (family && addr.family !== family) return false;
  if ((filter.scope ^ addr.scope) & filter.scopeMask) return false;
  if ((filter.flags ^ addr.flags) & filter.flagMask) return false;
  if (filter.label !== undefined && !fnmatch(filter.label, addr.label ?? deviceName(addr.ifindex))) return false;
  if (filter.to?.family !== undefined) {
    const local = addr.local ?? addr.address;
    const bytes = local === undefined ? undefined : inetBytes(local);
    if (bytes === undefined || !prefixMatches(filter.to, bytes)) return false;
  }
  return true;
}

/** inet_addr_match(): the first `bits` bits are equal (an address of the other family never matches). */
function prefixMatches(prefix: IpPrefix, bytes: Uint8Array): boolean {
  if (bytes.length !== prefix.bytes.length) return false;
  let bits = prefix.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (prefix.bytes[i] & mask)) return false;
  }
  return true;
}

/**
 * linkKept is ipaddr_filter(): `ip address show` keeps a link that has an
 * address the filter selects, or has no address at all while no family
 * (or `link`) was asked for.
 *
 * @example
 * const shown = all.filter((l) => linkKept(filter, groups.get(l.ifindex) ?? [], names));
 */
export function linkKept(filter: IpListFilter, addrs: readonly Address[], deviceName: (ifindex: number) => string): boolean {
  if (addrs.length === 0) return filter.family === undefined || filter.family === 'link';
  return addrs.some((a) => addressSelected(filter, a, deviceName));
}
