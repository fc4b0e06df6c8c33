/**
 * `nlrx neigh show [dev NAME] [nud STATE|all] [proxy]`: the link names (one
 * links dump reduced to ifindex ⇄ name) joined to the kernel-filtered
 * neighbours dump, both with `forEachDumpBatch`, without loading RxJS (see
 * commands/route.ts).
 */
import {
  NTF_EXT_LEARNED, NTF_PROXY, NUD_NOARP, NUD_NONE, neighborRequest, neighborSelector, type NeighborFilter,
} from '../../route/neighbor-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { UsageError, inetFamily, type CliContext } from '../cli-context.js';
import { linkNames } from '../link-names.js';
import { NUD_NAMES } from '../names.js';
import { neighborFormat, type NeighborView } from '../neighbor-format.js';
import { objectOutput } from '../object-output.js';
import { dumpOptions } from './link.js';

const USAGE = 'Usage: nlrx neigh show [ dev NAME ] [ nud STATE|all ] [ proxy ]';

/**
 * What `nud none` selects: NUD_NONE is 0, so ip marks it with a bit above
 * every NUD_* state (ipneigh.c: `if (state == 0) state = 0x100;`).
 */
const NUD_NONE_SELECTED = 0x100;

/** nud_state_a2n() plus `none` and `all`. */
function nudState(word: string): number {
  if (word === 'all') return ~0;
  if (word === 'none') return NUD_NONE_SELECTED;
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
  const options = dumpOptions(ctx);
  const names = await linkNames(options);
  let ifindex: number | undefined;
  if (dev !== undefined) {
    ifindex = names.index(dev);
    if (ifindex === undefined) throw new UsageError(`Device "${dev}" does not exist.`);
  }
  const view: NeighborView = { devName: names.name, showDev: ifindex === undefined, stats: ctx.stats };
  const filter: NeighborFilter = { family: inetFamily(ctx.family), ifindex, proxy: proxy || undefined };
  const select = neighborSelector(filter);
  // Formatted and written in large chunks as the batches arrive (the kernel
  // fills the next one meanwhile); nothing is held but the current chunk.
  const out = objectOutput(ctx, neighborFormat(view));
  await forEachDumpBatch(neighborRequest(filter), (batch) => {
    for (const msg of batch) {
      const n = select(msg);
      if (n === undefined) continue;
      if ((wanted & n.state) === 0 && (n.flags & (NTF_PROXY | NTF_EXT_LEARNED)) === 0 &&
        !(n.state === NUD_NONE && (wanted & NUD_NONE_SELECTED) !== 0)) continue;
      out.push(n);
    }
  }, options);
  out.end();
}
