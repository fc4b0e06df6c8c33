/**
 * `nlrx address show [dev NAME] [up]`: dumps composed in order. The links
 * dump comes first (it names the device the filter needs), then the
 * kernel-filtered addresses dump; each link is printed with its addresses
 * nested, as `ip address show` does. The dumps run with `forEachDumpBatch`,
 * without loading RxJS (see commands/route.ts).
 */
import { addressRequest, addressSelector, type Address, type AddressFilter } from '../../route/address-decode.js';
import { IFF_UP, RTEXT_FILTER_SKIP_STATS, type Link } from '../../route/link-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { UsageError, inetFamily, type CliContext } from '../cli-context.js';
import { linkAddressesFormat } from '../address-format.js';
import type { LinkView } from '../link-format.js';
import { netnsNames } from '../netns-names.js';
import { objectOutput } from '../object-output.js';
import { byIndexOf, deviceIndex, dumpOptions, linkList } from './link.js';

const USAGE = 'Usage: nlrx address show [ dev NAME ] [ up ]';

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
  const options = dumpOptions(ctx);
  // ip -6 reads the links from IPv6's own link dump, whose attributes differ;
  // it lacks IFLA_TXQLEN, which ip then asks with an ioctl: the ordinary
  // links dump stands in for that ioctl.
  // (With `dev`, ip gets the one link with an ordinary RTM_GETLINK instead.)
  // ip address never prints link counters: the kernel need not gather them.
  // (IPv6's link dump takes no attributes in its request.)
  const plain = { extMask: RTEXT_FILTER_SKIP_STATS };
  let all: Link[];
  if (ctx.family === 'inet6' && dev === undefined) {
    const inet6 = await linkList({ family: 'inet6' }, options);
    const txqlen = new Map((await linkList(plain, options)).map((l) => [l.ifindex, l.txqlen]));
    all = inet6.map((l) => (l.txqlen === undefined ? { ...l, txqlen: txqlen.get(l.ifindex) } : l));
  } else {
    all = await linkList(plain, options);
  }
  const ifindex = dev === undefined ? undefined : deviceIndex(all, dev);
  const filter: AddressFilter = { family: inetFamily(ctx.family), ifindex };
  const select = addressSelector(filter);
  // The addresses grouped by interface as they arrive, in the kernel's order within each.
  const groups = new Map<number, Address[]>();
  await forEachDumpBatch(addressRequest(filter), (batch) => {
    for (const msg of batch) {
      const addr = select(msg);
      if (addr === undefined) continue;
      const group = groups.get(addr.ifindex);
      if (group) group.push(addr);
      else groups.set(addr.ifindex, [addr]);
    }
  }, options);
  const view: LinkView = { byIndex: byIndexOf(all), doLink: false, family: inetFamily(ctx.family), details: ctx.details, stats: ctx.stats };
  const shown = all.filter((link) => (ifindex === undefined || link.ifindex === ifindex) &&
    // With -4 / -6, ip leaves out links that have no address of the family.
    (ctx.family === undefined || groups.has(link.ifindex)));
  const isUp = (link: Link) => !up || (link.flags & IFF_UP) !== 0;
  // As ip does in plain text, peer namespaces by name where they have one.
  if (!ctx.json && shown.some((l) => isUp(l) && (l.linkNetnsid ?? -1) >= 0)) view.nsidNames = await netnsNames(ctx.netns);
  // ip 6.1 opens each link's JSON object before its `up` check: a down link prints as {} (see linkAddressesFormat).
  const out = objectOutput(ctx, linkAddressesFormat(view, groups, isUp));
  for (const link of shown) out.push(link);
  out.end();
}
