/**
 * `nlrx neigh show [dev NAME] [nud STATE|all] [proxy]`: the links dump (for
 * device names) joined to the kernel-filtered neighbours dump.
 */
import { concatMap, forkJoin, lastValueFrom, of, toArray } from 'rxjs';
import { links, type Link } from '../../route/link.js';
import { NTF_EXT_LEARNED, NTF_PROXY, NUD_NOARP, neighbors } from '../../route/neighbour.js';
import { UsageError, printJson, type CliContext } from '../cli-context.js';
import { indexName } from '../link-format.js';
import { NUD_NAMES } from '../names.js';
import { neighbourJson, neighbourText, type NeighbourView } from '../neighbour-format.js';
import { byIndexOf, deviceIndex } from './link.js';

const USAGE = 'Usage: nlrx neigh show [ dev NAME ] [ nud STATE|all ] [ proxy ]';

/** nud_state_a2n() plus `none` and `all`. */
function nudState(word: string): number {
  if (word === 'all') return ~0;
  if (word === 'none') return 0x100;
  const entry = NUD_NAMES.find(([, name]) => name.toLowerCase() === word.toLowerCase());
  if (!entry) throw new UsageError(`Error: argument "${word}" is wrong: nud state is bad`);
  return entry[0];
}

/**
 * run prints the neighbour entries of `ctx.netns` as `ip neigh show` does:
 * NOARP entries only when asked for with `nud`.
 *
 * @example
 * await run(ctx, 'show', ['nud', 'all']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  let dev: string | undefined;
  let proxy = false;
  let states: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new UsageError('Command line is not complete. Try option "help"');
      return next;
    };
    if (word === 'dev') dev = value();
    else if (word === 'nud') states = (states ?? 0) | nudState(value());
    else if (word === 'proxy') proxy = true;
    else if (word === 'help') {
      ctx.write(`${USAGE}\n`);
      return;
    } else throw new UsageError(`Command "${word}" is unknown, try "nlrx neigh help".`);
  }
  const wanted = states ?? (0xff & ~NUD_NOARP);
  const options = { netns: ctx.netns };
  let ifindex: number | undefined;
  const [all, list] = await lastValueFrom(links({}, options).pipe(
    toArray(),
    concatMap((found: Link[]) => {
      if (dev !== undefined) ifindex = deviceIndex(found, dev);
      return forkJoin([of(found), neighbors({ family: ctx.family, ifindex, proxy: proxy || undefined }, options).pipe(toArray())]);
    }),
  ));
  const byIndex = byIndexOf(all);
  const shown = list.filter((n) => (wanted & n.state) !== 0 || (n.flags & (NTF_PROXY | NTF_EXT_LEARNED)) !== 0 ||
    (n.state === 0 && (wanted & 0x100) !== 0));
  const view: NeighbourView = { devName: (i) => indexName(byIndex, i), showDev: ifindex === undefined, stats: ctx.stats };
  if (ctx.json) printJson(ctx, shown.map((n) => neighbourJson(n, view)));
  else ctx.write(shown.map((n) => neighbourText(n, view)).join(''));
}
