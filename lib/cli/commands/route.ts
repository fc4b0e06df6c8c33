/**
 * `nlrx route [show|list|lst SELECTOR | get ADDRESS …]`: `ip route` 6.1's
 * read-only commands. `show` dumps with the kernel filtering what it can
 * (family, table, protocol, type, device, cache) and checks the rest of the
 * SELECTOR as ip does (route-selector.ts); `get` is one RTM_GETROUTE do
 * request. Both print what ip prints — text, `-o`, `-d` (with `nh_info` for a
 * route through a nexthop object), `-s`, `-j`, `-j -p` — and fail with ip's
 * message and exit status. They run on `forEachDumpBatch`, without loading
 * RxJS (60 ms of a 110 ms start), on a readAhead socket, so the kernel fills
 * the next batch while this one is printed.
 */
import { UsageError, type CliContext } from '../cli-context.js';
import { inetAddress, inetPrefix } from '../inet-prefix.js';
import { linkNames, type LinkNames } from '../link-names.js';
import { familyColor, paint } from '../ip-color.js';
import { nexthopFields, nexthopJson, nexthopText } from '../nexthop-format.js';
import { objectOutput } from '../object-output.js';
import { routeFormat, type RouteFormat } from '../route-format.js';
import { dsfieldId, ipProtocolId, parseUnsigned } from '../route-names.js';
import { ipMatches as matches } from '../ip-matches.js';
import { hiddenFields, parseRouteSelector, routeSelected } from '../route-selector.js';
import { dumpError, talkError } from '../rtnetlink-answers.js';
import { NetlinkKernelError } from '../../errors.js';
import { AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC } from '../../route/constants.js';
import { nexthopRequest, nexthopSelector, type Nexthop } from '../../route/nexthop-decode.js';
import {
  routeGetRequest, routeGetSelector, routeRequest, routeSelector, type Route, type RouteQuery,
} from '../../route/route-decode.js';
import { forEachDumpBatch, type ForEachDumpOptions } from '../../rx/for-each-dump-batch.js';

/** ip route's usage (iproute2 6.1), printed on stderr with exit status 255 as ip does. */
const USAGE = `Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]`;

/** ip's preferred_family: -4, -6, -0 (link), -M (mpls), -B (bridge), or none. */
function preferredFamily(ctx: CliContext): number {
  switch (ctx.family) {
    case 'inet': return AF_INET;
    case 'inet6': return AF_INET6;
    case 'link': return AF_PACKET;
    case 'mpls': return AF_MPLS;
    case 'bridge': return AF_BRIDGE;
    default: return AF_UNSPEC;
  }
}

/** ll_name_to_index: a device name, or `ifN`, or the UsageError of nodev() (exit 1). */
function deviceIndex(links: LinkNames, name: string): number {
  const index = links.index(name) ?? (/^if\d+$/.test(name) ? Number(name.slice(2)) : undefined);
  if (index === undefined) throw new UsageError(`Cannot find device "${name}"`, 1);
  return index;
}

/**
 * run executes `nlrx route <verb> <args>`.
 *
 * @example
 * await run(ctx, 'show', ['table', 'all']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  // main has read the verb as ip's do_iproute does (abbreviations, write verbs refused).
  if (verb === 'get') return get(ctx, args);
  if (verb === 'help') throw new UsageError(USAGE, 255);
  return show(ctx, args);
}

/** The nexthop objects of the namespace by id, as `nh_info` prints them (only with -d). */
async function nexthopInfo(links: LinkNames, options: ForEachDumpOptions, color: boolean): Promise<RouteFormat['nexthop']> {
  const byId = new Map<number, Nexthop>();
  const select = nexthopSelector({});
  try {
    await forEachDumpBatch(nexthopRequest({}), (batch) => {
      for (const msg of batch) {
        const nh = select(msg);
        if (nh?.id !== undefined) byId.set(nh.id, nh);
      }
    }, options);
  } catch (error) {
    // A kernel without nexthop objects (before 5.3) has no nh_info to print: ip prints the routes without it.
    if (!(error instanceof NetlinkKernelError)) throw error;
  }
  return (id) => {
    const nh = byId.get(id);
    if (!nh) return undefined;
    if (!color) return { json: nexthopJson(nh, links, true), text: nexthopText(nh, links, true).slice(0, -1) };
    // __print_nexthop_entry colours the gateway (by family) and the device, as print_route does.
    const text = nexthopFields(nh, links, true).map(([key, value, words]) => {
      if (key === 'gateway') return `via ${paint(true, familyColor(nh.family), `${String(value)} `)}`;
      if (key === 'dev') return `dev ${paint(true, 'ifname', `${String(value)} `)}`;
      return words;
    }).join('');
    return { json: nexthopJson(nh, links, true), text };
  };
}

async function show(ctx: CliContext, args: readonly string[]): Promise<void> {
  const selector = parseRouteSelector(args, preferredFamily(ctx));
  if (selector.help) throw new UsageError(USAGE, 255);
  // One socket serves every dump: the link names, the nexthops (-d), then the routes.
  const options: ForEachDumpOptions = { netns: ctx.netns, strictCheck: true, readAhead: 2 };
  const links = await linkNames(options);
  if (selector.iifName !== undefined) selector.iif = deviceIndex(links, selector.iifName);
  if (selector.oifName !== undefined) {
    selector.oif = deviceIndex(links, selector.oifName);
    selector.filter.ifindex = selector.oif;
  }
  const format: RouteFormat = {
    links, details: ctx.details, stats: ctx.stats, oneline: ctx.oneline, color: ctx.color, ...hiddenFields(selector),
  };
  if (ctx.details) format.nexthop = await nexthopInfo(links, options, ctx.color);
  const out = objectOutput(ctx, routeFormat(format));
  if (selector.family !== AF_UNSPEC && selector.family !== AF_INET && selector.family !== AF_INET6) {
    // -0 and -B name families without routes; MPLS routes nlrx does not read (this kernel has no MPLS to compare with).
    out.end();
    return;
  }
  const select = routeSelector(selector.filter);
  try {
    await forEachDumpBatch(routeRequest(selector.filter), (batch) => {
      for (const msg of batch) {
        const route = select(msg);
        if (route !== undefined && routeSelected(route, selector)) out.push(route);
      }
    }, options);
  } catch (error) {
    throw dumpError(error, 2);
  }
  out.end();
}

/** ip route get's words, read as iproute_get does. */
interface GetArgs {
  query: RouteQuery;
  family: number;
  iifName?: string;
  oifName?: string;
  connected: boolean;
  fromGiven: boolean;
  warnings: string[];
}

function invalid(what: string, arg: string): UsageError {
  return new UsageError(`Error: argument "${arg}" is wrong: ${what}`, 255);
}

function parseGet(args: readonly string[], preferred: number): GetArgs {
  const parsed: GetArgs = { query: { dst: '' }, family: preferred, connected: false, fromGiven: false, warnings: [] };
  const q = parsed.query;
  let found = false;
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    const next = (): string => {
      const value = args[++i];
      if (value === undefined) throw new UsageError('Command line is not complete. Try option "help"', 255);
      return value;
    };
    if (arg === 'tos' || matches(arg, 'dsfield')) {
      const text = next();
      const tos = dsfieldId(text);
      if (tos === undefined) throw invalid('TOS value is invalid\n', text);
      q.tos = tos;
    } else if (matches(arg, 'from')) {
      const text = next();
      if (matches(text, 'help')) throw new UsageError(USAGE, 255);
      parsed.fromGiven = true;
      const prefix = inetPrefix(text, parsed.family);
      if (parsed.family === AF_UNSPEC) parsed.family = prefix.family;
      if (prefix.family !== AF_UNSPEC) q.src = addressText(prefix.family, prefix.bytes);
    } else if (matches(arg, 'iif')) {
      parsed.iifName = next();
    } else if (matches(arg, 'mark')) {
      const text = next();
      const mark = parseUnsigned(text);
      if (mark === undefined) throw invalid('invalid mark value', text);
      q.mark = mark;
    } else if (matches(arg, 'oif') || arg === 'dev') {
      parsed.oifName = next();
    } else if (matches(arg, 'notify')) {
      q.notify = true;
    } else if (matches(arg, 'connected')) {
      parsed.connected = true;
    } else if (matches(arg, 'vrf')) {
      throw invalid('Invalid VRF\n', next());
    } else if (matches(arg, 'uid')) {
      const text = next();
      const uid = parseUnsigned(text);
      if (uid === undefined) throw invalid('invalid UID\n', text);
      q.uid = uid;
    } else if (matches(arg, 'fibmatch')) {
      q.fibMatch = true;
    } else if (arg === 'as') {
      let text = next();
      if (text === 'to') text = next();
      const address = inetAddress(text, parsed.family);
      if (parsed.family === AF_UNSPEC) parsed.family = address.family;
      q.newdst = addressText(address.family, address.bytes);
    } else if (matches(arg, 'sport') || matches(arg, 'dport')) {
      const which = matches(arg, 'sport') ? 'sport' : 'dport';
      const text = next();
      const port = parseUnsigned(text, 0xffff);
      if (port === undefined) throw invalid(`invalid ${which}\n`, text);
      q[which] = port;
    } else if (matches(arg, 'ipproto')) {
      const text = next();
      const proto = ipProtocolId(text);
      if (proto === undefined) throw invalid('Invalid "ipproto" value\n', text);
      q.ipProto = proto;
    } else {
      if (arg === 'to') arg = next();
      if (matches(arg, 'help')) throw new UsageError(USAGE, 255);
      const prefix = inetPrefix(arg, parsed.family);
      if (parsed.family === AF_UNSPEC) parsed.family = prefix.family;
      const host = parsed.family === AF_INET ? 32 : parsed.family === AF_INET6 ? 128 : prefix.bitlen;
      if (prefix.bitlen !== host) {
        parsed.warnings.push(`Warning: /${prefix.bitlen} as prefix is invalid, only /${host} (or none) is supported.\n`);
      }
      q.dst = addressText(parsed.family === AF_UNSPEC ? AF_INET : parsed.family, prefix.bytes);
      found = true;
    }
  }
  if (!found) throw new UsageError('need at least a destination address', 1);
  return parsed;
}

/** The text of an address given as bytes (what RouteQuery takes). */
function addressText(family: number, bytes: Uint8Array): string {
  if (family === AF_INET) return Array.from(bytes.subarray(0, 4)).join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return words.join(':');
}

async function get(ctx: CliContext, args: readonly string[]): Promise<void> {
  const parsed = parseGet(args, preferredFamily(ctx));
  // ip warns while it reads its arguments, before it looks up a device.
  for (const warning of parsed.warnings) process.stderr.write(warning);
  const options: ForEachDumpOptions = { netns: ctx.netns, strictCheck: true };
  const links = await linkNames(options);
  if (parsed.iifName !== undefined) parsed.query.iif = deviceIndex(links, parsed.iifName);
  if (parsed.oifName !== undefined) parsed.query.oif = deviceIndex(links, parsed.oifName);
  const ask = async (): Promise<Route | undefined> => {
    let answer: Route | undefined;
    const select = routeGetSelector();
    try {
      await forEachDumpBatch(routeGetRequest(parsed.query), (batch) => {
        for (const msg of batch) answer ??= select(msg);
      }, options);
    } catch (error) {
      throw talkError(error, 2);
    }
    return answer;
  };
  const format: RouteFormat = {
    links, details: ctx.details, stats: ctx.stats, table: false, oif: false, protocol: false, oneline: ctx.oneline,
    color: ctx.color,
  };
  const print = (route: Route | undefined, json: boolean): void => {
    const out = objectOutput({ ...ctx, json }, routeFormat(format));
    if (route) out.push(route);
    out.end();
  };
  const answer = await ask();
  if (parsed.connected && !parsed.fromGiven) {
    print(answer, ctx.json);
    if (answer?.prefsrc === undefined && answer?.src === undefined) throw new UsageError('Failed to connect the route', 1);
    // ip asks again with the same request and prints the answer once more — as text, its JSON writer already closed.
    print(await ask(), false);
    return;
  }
  print(answer, ctx.json);
}
