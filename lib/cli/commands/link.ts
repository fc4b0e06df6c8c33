/**
 * `nlrx link show [dev NAME] [up] [group G] [type KIND] [master NAME | nomaster]`: one links dump
 * for names, and — when the filter has parts the kernel applies — the
 * kernel-filtered dump after it. Both run with `forEachDumpBatch` and
 * `linkSelector`, without loading RxJS (see commands/route.ts).
 */
import {
  RTEXT_FILTER_SKIP_STATS, linkRequest, linkSelector, type Link, type LinkFilter,
} from '../../route/link-decode.js';
import { forEachDumpBatch, type ForEachDumpOptions } from '../../rx/for-each-dump-batch.js';
import { UsageError, type CliContext } from '../cli-context.js';
import { linkSelected, parseIpListFilter, type IpListFilter } from '../ip-list-filter.js';
import { linkFormat, type LinkView } from '../link-format.js';
import { netnsNames } from '../netns-names.js';
import { objectOutput } from '../object-output.js';

const USAGE = `Usage: nlrx link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]
		[nomaster]`;

/**
 * dumpOptions are the dump options of every nlrx show command: strict
 * checking, and a readAhead socket so the kernel fills the next batch while
 * this one is decoded; the dumps of one command take turns on that socket.
 *
 * @example
 * const links = await linkList({}, dumpOptions(ctx));
 */
export function dumpOptions(ctx: CliContext): ForEachDumpOptions {
  return { netns: ctx.netns, strictCheck: true, readAhead: 2 };
}

/**
 * linkList dumps the links `filter` selects, as `links(filter)` emits them, into an array.
 *
 * @example
 * const all = await linkList({}, { netns: 'blue', strictCheck: true });
 */
export async function linkList(filter: LinkFilter, options: ForEachDumpOptions): Promise<Link[]> {
  const list: Link[] = [];
  const select = linkSelector(filter);
  await forEachDumpBatch(linkRequest(filter), (batch) => {
    for (const msg of batch) {
      const link = select(msg);
      if (link) list.push(link);
    }
  }, options);
  return list;
}

/** The links dump of the command's namespace, by index (for names and M-DOWN). */
export function byIndexOf(all: readonly Link[]): Map<number, Link> {
  return new Map(all.map((link) => [link.ifindex, link]));
}

/**
 * deviceIndex resolves `dev NAME` as ip does, or fails with `Device "NAME" does not exist.`
 *
 * @example
 * const ifindex = deviceIndex(all, 'va');
 */
export function deviceIndex(all: readonly Link[], name: string): number {
  const link = all.find((l) => l.ifname === name);
  if (!link) throw new UsageError(`Device "${name}" does not exist.`);
  return link.ifindex;
}

/**
 * run prints the links of `ctx.netns` as `ip link show` does: the selectors
 * of ip-list-filter.ts; `master`, `nomaster` and `type` are kernel filters,
 * the rest ip's own tests (a link they reject prints as `{}` in JSON).
 *
 * @example
 * await run({ json: true, pretty: false, details: false, stats: false, statsLevel: 0, brief: false, oneline: false, color: false, write: console.log }, 'show', ['up']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw new UsageError(USAGE, 255);
  const options = dumpOptions(ctx);
  // Without -s nothing prints the counters: the kernel need not gather them.
  const extMask = ctx.stats ? undefined : RTEXT_FILTER_SKIP_STATS;
  const all = await linkList({ extMask }, options);
  let filter: IpListFilter;
  try {
    // ip link show reads the same words as ip address show, with the link family.
    filter = parseIpListFilter(args, 'link', all);
  } catch (error) {
    if (error instanceof UsageError && error.message === 'help') throw new UsageError(USAGE, 255);
    throw error;
  }
  const kernel: LinkFilter = { extMask, master: filter.master, kind: filter.kind };
  if (filter.dev !== undefined) kernel.ifindex = deviceIndex(all, filter.dev);
  const candidates = filter.kind !== undefined || filter.master !== undefined
    ? await linkList(kernel, options)
    : all.filter((l) => kernel.ifindex === undefined || l.ifindex === kernel.ifindex);
  // ip prints nothing of a link when asked for address labels.
  const isShown = (link: Link) => linkSelected(filter, link) && filter.label === undefined;
  const view: LinkView = {
    byIndex: byIndexOf(all), doLink: true, details: ctx.details, stats: ctx.stats, statsLevel: ctx.statsLevel,
    brief: ctx.brief, oneline: ctx.oneline, color: ctx.color,
  };
  // Only plain text names peer namespaces, and only when a shown link has one.
  if (!ctx.json && !ctx.brief && candidates.some((l) => isShown(l) && (l.linkNetnsid ?? -1) >= 0)) {
    view.nsidNames = await netnsNames(ctx.netns);
  }
  // ip 6.1 opens each link's JSON object before its tests, so a link they reject prints as {} (see linkFormat).
  const out = objectOutput(ctx, linkFormat(view, isShown));
  for (const link of candidates) out.push(link);
  out.end();
}
