/**
 * `nlrx address show [dev NAME] [up]`: the showcase of composing dumps. The
 * links dump comes first (it names the device the filter needs), then the
 * kernel-filtered addresses dump; each link is printed with its addresses
 * nested, as `ip address show` does.
 */
import { concatMap, forkJoin, lastValueFrom, of, toArray } from 'rxjs';
import { addresses, type Address } from '../../route/address.js';
import { links, type Link } from '../../route/link.js';
import { UsageError, printJson, type CliContext } from '../cli-context.js';
import { addressJson, addressText } from '../address-format.js';
import { linkJson, linkText, type LinkView } from '../link-format.js';
import { byIndexOf, deviceIndex } from './link.js';

const USAGE = 'Usage: nlrx address show [ dev NAME ] [ up ]';

/** Groups addresses by interface, keeping the kernel's order within each. */
function byInterface(list: readonly Address[]): Map<number, Address[]> {
  const groups = new Map<number, Address[]>();
  for (const addr of list) {
    const group = groups.get(addr.index);
    if (group) group.push(addr);
    else groups.set(addr.index, [addr]);
  }
  return groups;
}

/**
 * run prints the addresses of `ctx.netns` per link, as `ip address show` does.
 *
 * @example
 * await run(ctx, 'show', ['dev', 'va']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  let dev: string | undefined;
  let up = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === 'dev') {
      dev = args[++i];
      if (dev === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    } else if (word === 'up') up = true;
    else if (word === 'help') {
      ctx.write(`${USAGE}\n`);
      return;
    } else if (dev === undefined && !word.startsWith('-')) dev = word;
    else throw new UsageError(`Command "${word}" is unknown, try "nlrx address help".`);
  }
  const options = { netns: ctx.netns };
  let ifindex: number | undefined;
  const [all, addrs] = await lastValueFrom(links({}, options).pipe(
    toArray(),
    concatMap((list: Link[]) => {
      if (dev !== undefined) ifindex = deviceIndex(list, dev);
      return forkJoin([of(list), addresses({ family: ctx.family, ifindex }, options).pipe(toArray())]);
    }),
  ));
  const groups = byInterface(addrs);
  const view: LinkView = { byIndex: byIndexOf(all), doLink: false, family: ctx.family, details: ctx.details, stats: ctx.stats };
  const shown = all.filter((link) => (ifindex === undefined || link.index === ifindex) &&
    (!up || (link.flags & 1) !== 0) &&
    // With -4 / -6, ip leaves out links that have no address of the family.
    (ctx.family === undefined || groups.has(link.index)));
  if (ctx.json) {
    printJson(ctx, shown.map((link) => ({
      ...linkJson(link, view),
      addr_info: (groups.get(link.index) ?? []).map(addressJson),
    })));
  } else {
    ctx.write(shown.map((link) => linkText(link, view) + (groups.get(link.index) ?? []).map(addressText).join('')).join(''));
  }
}
