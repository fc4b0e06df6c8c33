/**
 * `nlrx nexthop show|get|bucket …`: `ip nexthop`'s read-only forms (iproute2
 * 6.1's ipnexthop.c), same output, `-j` and `-d` included, same errors and
 * exit codes. A dump runs with `forEachDumpBatch` and the selectors, what
 * `nexthops()` / `nexthopBuckets()` do, without loading RxJS (see
 * commands/route.ts); `id N` is a lookup of that one nexthop, as in ip.
 */
import { inetFamily, UsageError, type CliContext } from '../cli-context.js';
import { IP_EXIT_USAGE, familyNumberOf, invalidArgument, nextArgument, withFamily } from '../ip-args.js';
import { ipMatches } from '../ip-matches.js';
import { linkNames, type LinkNames } from '../link-names.js';
import { nexthopBucketFormat } from '../nexthop-bucket-format.js';
import { nexthopFormat } from '../nexthop-format.js';
import { objectOutput, type ObjectFormat } from '../object-output.js';
import { parseUnsigned } from '../route-names.js';
import { dumpError, talkError } from '../rtnetlink-answers.js';
import type { DumpRequest } from '../../rx/dump-request.js';
import type { NetlinkMessage } from '../../codec/header.js';
import {
  nexthopBucketRequest, nexthopBucketSelector, type NexthopBucketFilter,
} from '../../route/nexthop-bucket-decode.js';
import { nexthopRequest, nexthopSelector, type NexthopFilter } from '../../route/nexthop-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { dumpOptions } from './link.js';

const USAGE = `Usage: nlrx nexthop { list | show } [ protocol ID ] SELECTOR
       nlrx nexthop get id ID
       nlrx nexthop bucket { list | show } BUCKET_SELECTOR
       nlrx nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ] [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]`;

/** ip's usage(): on stderr, exit 255. */
function usage(): UsageError {
  return new UsageError(USAGE, IP_EXIT_USAGE);
}

/** ipnh_parse_id(): get_unsigned, or invarg. */
function nexthopId(text: string): number {
  const id = parseUnsigned(text);
  if (id === undefined) throw invalidArgument('invalid id value', text);
  return id;
}

/** A device word of a selector: ll_name_to_index, or invarg "Device does not exist". */
function device(links: LinkNames, name: string): number {
  const ifindex = links.index(name);
  if (ifindex === undefined) throw invalidArgument('Device does not exist\n', name);
  return ifindex;
}

/**
 * `vrf NAME`: ip takes only a device of kind vrf. The kernel here cannot
 * create one (no vrf module), so every name is refused as ip refuses a
 * device that is not a VRF.
 */
function vrf(name: string): never {
  throw invalidArgument('Invalid VRF\n', name);
}

/**
 * Runs one request and prints every object `select` keeps; a kernel error
 * is printed as ip prints it for a dump or for a lookup, exit 2.
 */
async function print<T>(ctx: CliContext, request: DumpRequest, select: (msg: NetlinkMessage) => T | undefined,
  format: ObjectFormat<T>): Promise<void> {
  const out = objectOutput(ctx, format);
  try {
    // ip sends its -f family in every request, an IP one or not.
    await forEachDumpBatch(withFamily(request, familyNumberOf(ctx.family)), (batch) => {
      for (const msg of batch) {
        const object = select(msg);
        if (object !== undefined) out.push(object);
      }
    }, dumpOptions(ctx));
  } catch (error) {
    throw request.dump === false ? talkError(error, 2) : dumpError(error, 2);
  }
  out.end();
}

/** ipnh_list_flush(): the selectors in ip's order; `id` ends the list and looks that nexthop up. */
async function show(ctx: CliContext, args: readonly string[]): Promise<void> {
  const links = await linkNames(dumpOptions(ctx));
  const family = inetFamily(ctx.family);
  const filter: NexthopFilter = family ? { family } : {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (ipMatches(arg, 'dev')) filter.ifindex = device(links, nextArgument(args, ++i));
    else if (ipMatches(arg, 'groups')) filter.groups = true;
    else if (ipMatches(arg, 'master')) filter.master = device(links, nextArgument(args, ++i));
    else if (ipMatches(arg, 'vrf')) vrf(nextArgument(args, ++i));
    else if (arg === 'id') {
      // ip looks the id up and ignores every other selector, before and after.
      const id = nexthopId(nextArgument(args, ++i));
      return print(ctx, nexthopRequest({ id }), nexthopSelector({ id }), nexthopFormat(links, ctx.details, ctx.color));
    } else if (ipMatches(arg, 'protocol')) {
      const text = nextArgument(args, ++i);
      const protocol = parseUnsigned(text);
      if (protocol === undefined) throw invalidArgument('invalid protocol value', text);
      // ip filters in user space, and protocol 0 is no filter.
      if (protocol !== 0) filter.protocol = protocol;
    } else if (ipMatches(arg, 'fdb')) filter.fdb = true;
    else if (ipMatches(arg, 'help')) throw usage();
    else throw invalidArgument('', arg);
  }
  // The kernel here sends every nexthop for NHA_FDB (ip shows them all): only the request carries it.
  return print(ctx, nexthopRequest(filter), nexthopSelector({ ...filter, fdb: undefined }),
    nexthopFormat(links, ctx.details, ctx.color));
}

/** ipnh_get(): `id ID`, and nothing else. */
async function get(ctx: CliContext, args: readonly string[]): Promise<void> {
  let id = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== 'id') throw usage();
    id = nexthopId(nextArgument(args, ++i));
  }
  if (!id) throw usage();
  const links = await linkNames(dumpOptions(ctx));
  return print(ctx, nexthopRequest({ id }), nexthopSelector({ id }), nexthopFormat(links, ctx.details, ctx.color));
}

/** ipnh_bucket_list(): the bucket selectors in ip's order. */
async function bucketList(ctx: CliContext, args: readonly string[]): Promise<void> {
  const family = inetFamily(ctx.family);
  const filter: NexthopBucketFilter = family ? { family } : {};
  let links: LinkNames | undefined;
  const deviceIndex = async (name: string) => device(links ??= await linkNames(dumpOptions(ctx)), name);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (ipMatches(arg, 'dev')) filter.ifindex = await deviceIndex(nextArgument(args, ++i));
    else if (ipMatches(arg, 'master')) filter.master = await deviceIndex(nextArgument(args, ++i));
    else if (ipMatches(arg, 'vrf')) vrf(nextArgument(args, ++i));
    else if (arg === 'id') filter.id = nexthopId(nextArgument(args, ++i));
    else if (arg === 'nhid') filter.nhid = nexthopId(nextArgument(args, ++i));
    else if (ipMatches(arg, 'help')) throw usage();
    else throw invalidArgument('', arg);
  }
  // ip sends an id of 0 as no id at all.
  if (filter.id === 0) delete filter.id;
  if (filter.nhid === 0) delete filter.nhid;
  return print(ctx, nexthopBucketRequest(filter), nexthopBucketSelector(filter), nexthopBucketFormat);
}

/** ipnh_bucket_get(): `id ID index INDEX`, both needed. */
async function bucketGet(ctx: CliContext, args: readonly string[]): Promise<void> {
  let id = 0;
  let index: number | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'id') id = nexthopId(nextArgument(args, ++i));
    else if (args[i] === 'index') {
      const text = nextArgument(args, ++i);
      index = parseUnsigned(text, 0xffff);
      if (index === undefined) throw invalidArgument('invalid bucket index value', text);
    } else throw usage();
  }
  if (!id || index === undefined) throw usage();
  const family = inetFamily(ctx.family);
  const filter: NexthopBucketFilter = family ? { family, id, index } : { id, index };
  return print(ctx, nexthopBucketRequest(filter), nexthopBucketSelector(filter), nexthopBucketFormat);
}

/** do_ipnh_bucket(): its own verbs, in ip's order. */
function bucket(ctx: CliContext, args: readonly string[]): Promise<void> {
  const [verb, ...rest] = args;
  if (verb === undefined) return bucketList(ctx, []);
  if (ipMatches(verb, 'list') || ipMatches(verb, 'show') || ipMatches(verb, 'lst')) return bucketList(ctx, rest);
  if (ipMatches(verb, 'get')) return bucketGet(ctx, rest);
  if (ipMatches(verb, 'help')) throw usage();
  throw new UsageError(`Command "${verb}" is unknown, try "ip nexthop help".`, IP_EXIT_USAGE);
}

/**
 * run executes `nlrx nexthop <verb> <args>`: `show` (and its abbreviations),
 * `get`, `bucket` and `help`, the verbs main.ts passes for ip's.
 *
 * @example
 * await run(ctx, 'show', ['groups']);
 * await run(ctx, 'bucket', ['show', 'id', '10']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw usage();
  if (verb === 'get') return get(ctx, args);
  if (verb === 'bucket') return bucket(ctx, args);
  return show(ctx, args);
}
