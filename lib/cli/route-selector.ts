/**
 * The SELECTOR of `ip route show` (iproute2 6.1's iproute_list_flush_or_save
 * and filter_nlmsg): the words it takes, in ip's order of `matches()` checks
 * (so `r` is `realms`, `m` `metric`, `c` `cached`), the errors it exits
 * with, what it asks the kernel to filter (RouteFilter) and what ip then
 * checks itself on each route — prefixes (`root`, `match`, `exact`, `from`),
 * `via`, `src`, `realms`, `iif`, `mark` and the rest.
 */
import { AF_INET, AF_INET6, AF_UNSPEC } from '../route/constants.js';
import { RT_TABLE_MAIN } from '../route/route-constants.js';
import type { Route, RouteFilter } from '../route/route-decode.js';
import { UsageError } from './cli-context.js';
import { ipMatches as matches } from './ip-matches.js';
import { prefixMatches, type InetPrefix } from '../route/inet-prefix.js';
import { addressBytes, inetPrefix } from './inet-prefix.js';
import {
  dsfieldId, parseUnsigned, realmsId, routeProtocols, routeScopes, routeTables, routeTypeId,
} from './route-names.js';

/**
 * RouteSelector is a parsed `ip route show` SELECTOR: the kernel's part
 * (`filter`), the devices still to be resolved, and the checks ip makes
 * itself, each of which also stops the field it selects on from being printed.
 *
 * @example
 * const selector = parseRouteSelector(['table', 'all', 'match', '10.1.2.3'], AF_UNSPEC);
 */
export interface RouteSelector {
  /** Sent to the kernel (and re-applied by routeSelector). */
  filter: RouteFilter;
  /** rtm_table to select, 0 for every table (`table all`); main unless given. */
  table: number;
  /** The dump's family: -4/-6, or IPv4 when a table is selected and no family given. */
  family: number;
  protocol?: number;
  scope?: number;
  /** RTN_* bits: `type` sets one, `vrf` all but local and broadcast. */
  typeMask: number;
  tos?: number;
  metric?: number;
  mark?: number;
  realms?: { value: number; mask: number };
  /** `dev NAME` / `oif NAME` and `iif NAME`: resolved to indexes by the caller. */
  oifName?: string;
  iifName?: string;
  oif?: number;
  iif?: number;
  /** `root P` (rdst), `match P` (mdst), `exact P` (both); `from …` the same for the source. */
  rootDst?: InetPrefix;
  matchDst?: InetPrefix;
  rootSrc?: InetPrefix;
  matchSrc?: InetPrefix;
  via?: InetPrefix;
  prefsrc?: InetPrefix;
  /** `help` given where ip prints its usage. */
  help: boolean;
}

/** invarg(): ip's wording for a bad value, exit status 255. */
function invalid(what: string, arg: string): UsageError {
  return new UsageError(`Error: argument "${arg}" is wrong: ${what}`, 255);
}

/** read_family(): a family word before an address, or AF_UNSPEC. */
function familyWord(word: string): number {
  return word === 'inet' ? AF_INET : word === 'inet6' ? AF_INET6 : AF_UNSPEC;
}

/**
 * parseRouteSelector reads the words after `ip route show` as ip does,
 * throwing the UsageError ip would exit with.
 *
 * @example
 * parseRouteSelector(['proto', 'static'], AF_INET).filter; // { protocol: 4, table: 'main', family: 'inet' }
 */
export function parseRouteSelector(args: readonly string[], preferredFamily: number): RouteSelector {
  const s: RouteSelector = { filter: {}, table: RT_TABLE_MAIN, family: preferredFamily, typeMask: 0, help: false };
  const family = preferredFamily;
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    const next = (): string => {
      const value = args[++i];
      if (value === undefined) throw new UsageError('Command line is not complete. Try option "help"', 255);
      return value;
    };
    if (matches(arg, 'table')) {
      const text = next();
      const id = routeTables().id(text);
      if (id !== undefined) s.table = id;
      else if (text === 'all') s.table = 0;
      else if (text === 'cache') s.filter.cloned = true;
      else if (text === 'help') s.help = true;
      else throw invalid('table id value is invalid\n', text);
    } else if (matches(arg, 'vrf')) {
      // No VRF device can be named here: ip's check (ipvrf_get_table) fails the same way for any other device.
      throw invalid('Invalid VRF\n', next());
    } else if (matches(arg, 'cached') || matches(arg, 'cloned')) {
      s.filter.cloned = true;
    } else if (arg === 'tos' || matches(arg, 'dsfield')) {
      const text = next();
      const tos = dsfieldId(text);
      if (tos === undefined) throw invalid('TOS value is invalid\n', text);
      s.tos = tos;
    } else if (matches(arg, 'protocol')) {
      const text = next();
      const id = routeProtocols().id(text);
      if (id !== undefined) s.protocol = id;
      else if (text === 'all') s.protocol = undefined;
      else throw invalid('invalid "protocol"\n', text);
    } else if (matches(arg, 'scope')) {
      const text = next();
      const id = routeScopes().id(text);
      if (id !== undefined) s.scope = id;
      else if (text === 'all') s.scope = undefined;
      else throw invalid('invalid "scope"\n', text);
    } else if (matches(arg, 'type')) {
      const text = next();
      const type = routeTypeId(text);
      if (type === undefined || type > 31) throw invalid('node type value is invalid\n', text);
      s.typeMask = 2 ** type;
    } else if (arg === 'dev' || arg === 'oif') {
      s.oifName = next();
    } else if (arg === 'iif') {
      s.iifName = next();
    } else if (arg === 'mark') {
      const text = next();
      const mark = parseUnsigned(text);
      if (mark === undefined) throw invalid('invalid mark value', text);
      s.mark = mark;
    } else if (matches(arg, 'metric') || matches(arg, 'priority') || arg === 'preference') {
      const text = next();
      const metric = parseUnsigned(text);
      if (metric === undefined) throw invalid('"metric" value is invalid\n', text);
      s.metric = metric;
    } else if (arg === 'via') {
      let text = next();
      const viaFamily = familyWord(text);
      if (viaFamily !== AF_UNSPEC) text = next();
      s.via = inetPrefix(text, viaFamily === AF_UNSPEC ? family : viaFamily);
    } else if (arg === 'src') {
      s.prefsrc = inetPrefix(next(), family);
    } else if (matches(arg, 'realms')) {
      const text = next();
      const value = realmsId(text);
      if (value === undefined) throw invalid('invalid realms\n', text);
      let mask = 0xffffffff;
      if ((value & 0xffff) === 0 && text.endsWith('/')) mask &= ~0xffff;
      if ((value & 0xffff0000) === 0 && (!text.includes('/') || text.startsWith('/'))) mask &= 0xffff;
      s.realms = { value, mask: mask >>> 0 };
    } else if (matches(arg, 'from')) {
      arg = next();
      if (matches(arg, 'root')) s.rootSrc = inetPrefix(next(), family);
      else if (matches(arg, 'match')) s.matchSrc = inetPrefix(next(), family);
      else {
        if (matches(arg, 'exact')) arg = next();
        s.matchSrc = inetPrefix(arg, family);
        s.rootSrc = s.matchSrc;
      }
    } else {
      if (matches(arg, 'to')) arg = next();
      if (matches(arg, 'root')) s.rootDst = inetPrefix(next(), family);
      else if (matches(arg, 'match')) s.matchDst = inetPrefix(next(), family);
      else {
        if (matches(arg, 'exact')) arg = next();
        s.matchDst = inetPrefix(arg, family);
        s.rootDst = s.matchDst;
      }
    }
  }
  if (s.family === AF_UNSPEC && s.table !== 0) s.family = AF_INET;
  const filter = s.filter;
  if (s.family === AF_INET) filter.family = 'inet';
  else if (s.family === AF_INET6) filter.family = 'inet6';
  if (s.table !== 0) filter.table = s.table === RT_TABLE_MAIN ? 'main' : s.table;
  if (s.protocol) filter.protocol = s.protocol;
  return s;
}

/** One `root` / `match` pair against a route's address and prefix length, as filter_nlmsg does. */
function prefixSelects(family: number, address: string | undefined, length: number,
  root: InetPrefix | undefined, match: InetPrefix | undefined): boolean {
  if (root && (root.family || root.lengthGiven)) {
    if ((root.family && family !== root.family) || root.bitlen > length) return false;
  }
  if (match && (match.family || match.lengthGiven)) {
    if ((match.family && family !== match.family) || match.bitlen < length) return false;
  }
  if (!(root && (root.family || root.lengthGiven)) && !(match && (match.family || match.lengthGiven))) return true;
  const bytes = addressBytes(address);
  if (root && (root.family || root.lengthGiven) && !prefixMatches(bytes, root.bytes, root.bitlen)) return false;
  if (match && (match.family || match.lengthGiven) && !prefixMatches(bytes, match.bytes, length)) return false;
  return true;
}

/**
 * routeSelected is filter_nlmsg for a route the kernel returned: every check
 * of `s` ip makes itself (the kernel's part, table excepted, already held).
 *
 * @example
 * routeSelected(route, parseRouteSelector(['match', '10.1.2.3'], AF_UNSPEC)); // true for 10.1.0.0/16 and default
 */
export function routeSelected(route: Route, s: RouteSelector): boolean {
  if (s.family !== AF_UNSPEC && route.family !== s.family) return false;
  if (s.table !== 0 && route.table !== s.table) return false;
  if (s.protocol !== undefined && route.protocol !== s.protocol) return false;
  if (s.scope !== undefined && route.scope !== s.scope) return false;
  if (s.typeMask && !(s.typeMask & (2 ** route.type))) return false;
  if (s.tos !== undefined && route.tos !== s.tos) return false;
  if (!prefixSelects(route.family, route.dst, route.dstLen, s.rootDst, s.matchDst)) return false;
  if (!prefixSelects(route.family, route.src, route.srcLen, s.rootSrc, s.matchSrc)) return false;
  if (s.via?.family) {
    if ((route.via?.family ?? route.family) !== s.via.family) return false;
    const via = route.via ? addressBytes(route.via.address) : addressBytes(route.gateway);
    if (s.via.bitlen > 0 && !prefixMatches(via, s.via.bytes, s.via.bitlen)) return false;
  }
  if (s.prefsrc?.family) {
    if (route.family !== s.prefsrc.family) return false;
    if (s.prefsrc.bitlen > 0 && !prefixMatches(addressBytes(route.prefsrc), s.prefsrc.bytes, s.prefsrc.bitlen)) {
      return false;
    }
  }
  if (s.realms && ((((route.flow ?? 0) ^ s.realms.value) & s.realms.mask) >>> 0) !== 0) return false;
  if (s.iif !== undefined && (route.iif ?? 0) !== s.iif) return false;
  if (s.oif !== undefined && (route.oif ?? 0) !== s.oif) return false;
  if (s.mark !== undefined && (route.mark ?? 0) !== s.mark) return false;
  if (s.metric !== undefined && (route.priority ?? 0) !== s.metric) return false;
  return true;
}

/**
 * hiddenFields is what print_route leaves out because the selector fixed it:
 * the gateway and source of a host `via` / `src`, the table, protocol, scope,
 * TOS, metric, realms and devices that were selected.
 *
 * @example
 * hiddenFields(selector).table; // true unless `table all`
 */
export function hiddenFields(s: RouteSelector): {
  table: boolean; protocol: boolean; scope: boolean; tos: boolean; metric: boolean; realms: boolean;
  oif: boolean; iif: boolean; gatewayLength: number; prefsrcLength: number;
} {
  return {
    table: s.table !== 0, protocol: s.protocol !== undefined, scope: s.scope !== undefined,
    tos: s.tos !== undefined, metric: s.metric !== undefined, realms: s.realms?.mask === 0xffffffff,
    oif: s.oif !== undefined, iif: s.iif !== undefined,
    gatewayLength: s.via?.bitlen ?? -1, prefsrcLength: s.prefsrc?.bitlen ?? -1,
  };
}
