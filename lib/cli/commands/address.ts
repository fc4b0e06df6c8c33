/**
 * `nlrx address show [dev NAME] [up]`: the showcase of composing dumps. The
 * links dump comes first (it names the device the filter needs), then the
 * kernel-filtered addresses dump; each link is printed with its addresses
 * nested, as `ip address show` does.
 */
import { concatMap, forkJoin, lastValueFrom, map, of, toArray } from 'rxjs';
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
    const group = groups.get(addr.ifindex);
    if (group) group.push(addr);
    else groups.set(addr.ifindex, [addr]);
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
  // ip -6 reads the links from IPv6's own link dump, whose attributes differ;
  // it lacks IFLA_TXQLEN, which ip then asks with an ioctl: the ordinary
  // links dump, joined beside it, stands in for that ioctl.
  // (With `dev`, ip gets the one link with an ordinary RTM_GETLINK instead.)
  const links$ = ctx.family === 'inet6' && dev === undefined
    ? forkJoin([links({ family: 'inet6' }, options).pipe(toArray()), links({}, options).pipe(toArray())]).pipe(
      map(([inet6, plain]) => {
        const txqlen = new Map(plain.map((l) => [l.ifindex, l.txqlen]));
        return inet6.map((l) => (l.txqlen === undefined ? { ...l, txqlen: txqlen.get(l.ifindex) } : l));
      }))
    : links({}, options).pipe(toArray());
  const [all, addrs] = await lastValueFrom(links$.pipe(
    concatMap((list: Link[]) => {
      if (dev !== undefined) ifindex = deviceIndex(list, dev);
      return forkJoin([of(list), addresses({ family: ctx.family, ifindex }, options).pipe(toArray())]);
    }),
  ));
  const groups = byInterface(addrs);
  const view: LinkView = { byIndex: byIndexOf(all), doLink: false, family: ctx.family, details: ctx.details, stats: ctx.stats };
  const shown = all.filter((link) => (ifindex === undefined || link.ifindex === ifindex) &&
    // With -4 / -6, ip leaves out links that have no address of the family.
    (ctx.family === undefined || groups.has(link.ifindex)));
  const isUp = (link: Link) => !up || (link.flags & 1) !== 0;
  if (ctx.json) {
    // ip 6.1 opens each link's JSON object before its `up` check: a down link prints as {}.
    printJson(ctx, shown.map((link) => (isUp(link) ? {
      ...linkJson(link, view),
      addr_info: (groups.get(link.ifindex) ?? []).map(addressJson),
    } : {})));
  } else {
    ctx.write(shown.filter(isUp).map((link) => linkText(link, view) + (groups.get(link.ifindex) ?? []).map(addressText).join('')).join(''));
  }
}
