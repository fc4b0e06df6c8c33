/**
 * `nlrx neigh show [SELECTOR]` and `nlrx neigh get ADDR dev DEV`: `ip neigh
 * show` and `get` of iproute2 6.1 (ipneigh.c do_show_or_flush, ipneigh_get,
 * print_neigh) — same output in text, `-j`, `-s`, `-br`,
 * the same selectors in ip's order, the same errors and exit codes. The link
 * names (one links dump reduced to ifindex ⇄ name) are joined to the
 * kernel-filtered neighbours dump, both with `forEachDumpBatch`, without
 * loading RxJS (see commands/route.ts).
 */
import {
  NTF_EXT_LEARNED, NTF_PROXY, NUD_NOARP, neighborGetRequest, neighborRequest, neighborSelector, type Neighbor,
  type NeighborFilter,
} from '../../route/neighbor-decode.js';
import { parseInetPrefix } from '../../route/inet-prefix.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../route/constants.js';
import { familyName } from '../../route/inet-family.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { UsageError, type CliContext } from '../cli-context.js';
import {
  IP_EXIT_USAGE, duplicateArgument, familyNumberOf, invalidArgument, ipPrefix, nextArgument, withFamily,
} from '../ip-args.js';
import { ipMatches } from '../ip-matches.js';
import { linkNames } from '../link-names.js';
import { NUD_NAMES } from '../names.js';
import { neighborFormat, type NeighborView } from '../neighbor-format.js';
import { objectOutput } from '../object-output.js';
import { parseUnsigned, routeProtocols } from '../route-names.js';
import { dumpError, talkError } from '../rtnetlink-answers.js';
import { dumpOptions } from './link.js';

const USAGE = `Usage: nlrx neigh { show | list } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
                                 [ master DEV ] [ vrf NAME ] [ nomaster ] [ unused ] [ protocol PROTO ]
       nlrx neigh get { ADDR | proxy ADDR } dev DEV
STATE := { delay | failed | incomplete | noarp | none | permanent | probe | reachable | stale | all }`;

/**
 * What `nud none` selects: NUD_NONE is 0, so ip marks it with a bit above
 * every NUD_* state (ipneigh.c: `if (state == 0) state = 0x100;`).
 */
const NUD_NONE_SELECTED = 0x100;

/** nud_state_a2n(): permanent, reachable and failed may be abbreviated; a single state bit as a number. */
function nudState(word: string): number | undefined {
  const bit = (name: string) => NUD_NAMES.find(([, n]) => n === name)?.[0];
  if (ipMatches(word, 'permanent')) return bit('PERMANENT');
  if (ipMatches(word, 'reachable')) return bit('REACHABLE');
  for (const name of ['noarp', 'none', 'stale', 'incomplete', 'delay', 'probe']) {
    if (word === name) return name === 'none' ? 0 : bit(name.toUpperCase());
  }
  if (ipMatches(word, 'failed')) return bit('FAILED');
  const state = parseUnsigned(word);
  if (state === undefined || state >= 0x100 || (state & (state - 1)) !== 0) return undefined;
  return state;
}

/** What do_show_or_flush() reads from its arguments. */
interface Selection {
  family: number;
  dev?: string;
  /** `master DEV`, or -1 for `nomaster`: the last one given. */
  master?: string | -1;
  unused: boolean;
  states: number;
  proxy: boolean;
  protocol: number;
  dst?: string;
}

/** Reads ip neigh show's selectors in ipneigh.c's order. */
function parseSelectors(args: readonly string[], family: number): Selection {
  const sel: Selection = { family, unused: false, states: 0xff & ~NUD_NOARP, proxy: false, protocol: 0 };
  let stateGiven = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === 'dev') {
      const name = nextArgument(args, ++i);
      if (sel.dev !== undefined) throw duplicateArgument('dev', name);
      sel.dev = name;
    } else if (arg === 'master') sel.master = nextArgument(args, ++i);
    else if (arg === 'vrf') {
      // A VRF is a device of kind vrf, which the kernel here cannot create: ip refuses every other name.
      throw invalidArgument('Not a valid VRF name\n', nextArgument(args, ++i));
    } else if (arg === 'nomaster') sel.master = -1;
    else if (arg === 'unused') sel.unused = true;
    else if (arg === 'nud') {
      const word = nextArgument(args, ++i);
      if (!stateGiven) {
        stateGiven = true;
        sel.states = 0;
      }
      let state = nudState(word);
      if (state === undefined) {
        if (word !== 'all') throw invalidArgument('nud state is bad', word);
        state = ~0;
      }
      sel.states |= state === 0 ? NUD_NONE_SELECTED : state;
    } else if (arg === 'proxy') sel.proxy = true;
    else if (ipMatches(arg, 'protocol')) {
      const text = nextArgument(args, ++i);
      const protocol = routeProtocols().id(text);
      if (protocol === undefined && text !== 'all') throw invalidArgument('invalid "protocol"\n', text);
      sel.protocol = protocol ?? 0;
    } else {
      const text = arg === 'to' ? nextArgument(args, ++i) : arg;
      if (ipMatches(text, 'help')) throw new UsageError(USAGE, IP_EXIT_USAGE);
      const prefix = ipPrefix(text, sel.family);
      // A prefix narrows the family ip asks the kernel for.
      if (sel.family === AF_UNSPEC) sel.family = prefix.family;
      sel.dst = prefix.bytes.length === 0 ? undefined : text;
    }
  }
  return sel;
}

/** print_neigh()'s state test: the states asked for, proxies and externally learned entries always. */
function wantedState(n: Neighbor, states: number): boolean {
  if ((states & n.state) !== 0 || (n.flags & (NTF_PROXY | NTF_EXT_LEARNED)) !== 0) return true;
  return n.state === 0 && (states & NUD_NONE_SELECTED) !== 0;
}

/** get_addr(): an address of `family` (no prefix length), or ip's error, exit 1. */
function address(text: string, family: number): { text: string; family: number } {
  const prefix = text.includes('/') ? undefined : parseInetPrefix(text, family);
  if (prefix === undefined) {
    const name = family === AF_INET ? 'inet' : family === AF_INET6 ? 'inet6' : 'any valid';
    throw new UsageError(`Error: ${name} address is expected rather than "${text}".`);
  }
  return { text, family: prefix.family };
}

/** ipneigh_get(): `[to] ADDR dev DEV` or `proxy ADDR dev DEV`, looked up with one RTM_GETNEIGH. */
async function get(ctx: CliContext, args: readonly string[], family: number): Promise<void> {
  let dev: string | undefined;
  let dst: { text: string; family: number } | undefined;
  let proxy = false;
  let devOk = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === 'dev') {
      dev = nextArgument(args, ++i);
      devOk = true;
    } else if (ipMatches(arg, 'proxy')) {
      const text = nextArgument(args, ++i);
      if (ipMatches(text, 'help')) throw new UsageError(USAGE, IP_EXIT_USAGE);
      if (dst !== undefined) throw duplicateArgument('address', text);
      dst = address(text, family);
      // As ip: a proxy lookup counts as having its device.
      devOk = true;
      proxy = true;
    } else {
      const text = arg === 'to' ? nextArgument(args, ++i) : arg;
      if (ipMatches(text, 'help')) throw new UsageError(USAGE, IP_EXIT_USAGE);
      if (dst !== undefined) throw new UsageError(`Error: either "to" is duplicate, or "${text}" is a garbage.`, IP_EXIT_USAGE);
      dst = address(text, family);
    }
  }
  if (!devOk || dst === undefined || dst.family === AF_UNSPEC) throw new UsageError('Device and address are required arguments.');
  const options = dumpOptions(ctx);
  const names = await linkNames(options);
  let ifindex = 0;
  if (dev !== undefined) {
    const found = names.index(dev);
    if (found === undefined) throw new UsageError(`Cannot find device "${dev}"`);
    ifindex = found;
  }
  const view: NeighborView = { devName: names.name, showDev: true, stats: ctx.stats, brief: ctx.brief, color: ctx.color };
  // ip 6.1's neigh get opens no JSON context: with -j it still prints the text line.
  const out = objectOutput({ ...ctx, json: false }, neighborFormat(view));
  const select = neighborSelector({});
  try {
    await forEachDumpBatch(neighborGetRequest({ dst: dst.text, ifindex, proxy }), (batch) => {
      for (const msg of batch) {
        const n = select(msg);
        if (n !== undefined) out.push(n);
      }
    }, options);
  } catch (error) {
    throw talkError(error, 2);
  }
  out.end();
}

/**
 * run prints the neighbour entries of `ctx.netns` as `ip neigh show` does:
 * NOARP entries only when asked for with `nud`.
 *
 * @example
 * await run(ctx, 'show', ['nud', 'all']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw new UsageError(USAGE, IP_EXIT_USAGE);
  const family = familyNumberOf(ctx.family);
  if (verb === 'get') return get(ctx, args, family);
  const sel = parseSelectors(args, family);
  const options = dumpOptions(ctx);
  const names = await linkNames(options);
  let master: number | undefined;
  if (typeof sel.master === 'string') {
    master = names.index(sel.master);
    if (master === undefined) throw invalidArgument('Device does not exist\n', sel.master);
  }
  let ifindex: number | undefined;
  if (sel.dev !== undefined) {
    ifindex = names.index(sel.dev);
    if (ifindex === undefined) throw new UsageError(`Cannot find device "${sel.dev}"`);
  }
  const view: NeighborView = {
    devName: names.name, showDev: ifindex === undefined, stats: ctx.stats, brief: ctx.brief, color: ctx.color,
  };
  const filter: NeighborFilter = {
    family: familyName(sel.family), ifindex, proxy: sel.proxy || undefined, dst: sel.dst,
    protocol: sel.protocol || undefined,
  };
  if (sel.master === -1) filter.noMaster = true;
  else if (master !== undefined) filter.master = master;
  const select = neighborSelector(filter);
  // Formatted and written in large chunks as the batches arrive (the kernel
  // fills the next one meanwhile); nothing is held but the current chunk.
  const out = objectOutput(ctx, neighborFormat(view));
  try {
    await forEachDumpBatch(withFamily(neighborRequest(filter), sel.family), (batch) => {
      for (const msg of batch) {
        const n = select(msg);
        if (n === undefined || !wantedState(n, sel.states)) continue;
        if (sel.unused && n.cacheinfo && n.cacheinfo.refcnt) continue;
        out.push(n);
      }
    }, options);
  } catch (error) {
    throw dumpError(error, 1);
  }
  out.end();
}
