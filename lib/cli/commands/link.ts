/**
 * `nlrx link show [dev NAME] [up] [type KIND] [master NAME]`: one links dump
 * for names, and — when the filter has parts the kernel applies — the
 * kernel-filtered dump after it. Both run with `forEachDumpBatch` and
 * `linkSelector`, without loading RxJS (see commands/route.ts).
 */
import {
  IFF_UP, RTEXT_FILTER_SKIP_STATS, linkRequest, linkSelector, type Link, type LinkFilter,
} from '../../route/link-decode.js';
import { forEachDumpBatch, type ForEachDumpOptions } from '../../rx/for-each-dump-batch.js';
import { UsageError, type CliContext } from '../cli-context.js';
import { linkFormat, type LinkView } from '../link-format.js';
import { netnsNames } from '../netns-names.js';
import { objectOutput } from '../object-output.js';

const USAGE = 'Usage: nlrx link show [ dev NAME ] [ up ] [ type KIND ] [ master NAME ]';

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
 * run prints the links of `ctx.netns` as `ip link show` does.
 *
 * @example
 * await run({ json: true, pretty: false, details: false, stats: false, statsLevel: 0, brief: false, oneline: false, color: false, write: console.log }, 'show', ['up']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  let dev: string | undefined;
  let master: string | undefined;
  const kernel: LinkFilter = {};
  let up = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`Command line is not complete. Try option "help"`);
      return next;
    };
    if (word === 'dev') dev = value();
    else if (word === 'up') up = true;
    else if (word === 'type') kernel.kind = value();
    else if (word === 'master') master = value();
    else if (word === 'help') {
      ctx.write(`${USAGE}\n`);
      return;
    } else if (dev === undefined && !word.startsWith('-')) dev = word;
    else throw new UsageError(`Command "${word}" is unknown, try "nlrx link help".`);
  }
  const options = dumpOptions(ctx);
  // Without -s nothing prints the counters: the kernel need not gather them.
  if (!ctx.stats) kernel.extMask = RTEXT_FILTER_SKIP_STATS;
  const all = await linkList({ extMask: kernel.extMask }, options);
  const filter: LinkFilter = { ...kernel };
  if (dev !== undefined) filter.ifindex = deviceIndex(all, dev);
  if (master !== undefined) filter.master = deviceIndex(all, master);
  const candidates = filter.kind !== undefined || filter.master !== undefined
    ? await linkList(filter, options)
    : all.filter((l) => filter.ifindex === undefined || l.ifindex === filter.ifindex);
  const isShown = (link: Link) => !up || (link.flags & IFF_UP) !== 0;
  const view: LinkView = { byIndex: byIndexOf(all), doLink: true, details: ctx.details, stats: ctx.stats };
  // Only plain text names peer namespaces, and only when a shown link has one.
  if (!ctx.json && candidates.some((l) => isShown(l) && (l.linkNetnsid ?? -1) >= 0)) view.nsidNames = await netnsNames(ctx.netns);
  // ip 6.1 opens each link's JSON object before its `up` check, so a down link prints as {} (see linkFormat).
  const out = objectOutput(ctx, linkFormat(view, isShown));
  for (const link of candidates) out.push(link);
  out.end();
}
