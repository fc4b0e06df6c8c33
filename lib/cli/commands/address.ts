/**
 * `nlrx address show [dev NAME] [SELECTORS]`: dumps composed in order. The
 * links dump comes first (it names the devices the selectors need), then the
 * kernel-filtered addresses dump (family and device; the kernel has no other
 * address filter); each link is printed with its addresses nested, as
 * `ip address show` does, after ip's own tests (ip-list-filter.ts). The dumps
 * run with `forEachDumpBatch`, without loading RxJS (see commands/route.ts).
 */
import { addressRequest, addressSelector, type Address, type AddressFilter } from '../../route/address-decode.js';
import { RTEXT_FILTER_SKIP_STATS, type Link } from '../../route/link-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { UsageError, inetFamily, type CliContext } from '../cli-context.js';
import { linkAddressesFormat, type AddressListing } from '../address-format.js';
import {
  addressSelected, linkKept, linkSelected, parseIpListFilter, type IpListFilter,
} from '../ip-list-filter.js';
import { indexName, type LinkView } from '../link-format.js';
import { netnsNames } from '../netns-names.js';
import { objectOutput } from '../object-output.js';
import { byIndexOf, deviceIndex, dumpOptions, linkList } from './link.js';

const USAGE = `Usage: nlrx address show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ]`;

/**
 * run prints the addresses of `ctx.netns` per link, as `ip address show` does.
 *
 * @example
 * await run(ctx, 'show', ['dev', 'va']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw new UsageError(USAGE, 255);
  const options = dumpOptions(ctx);
  // ip address never prints link counters but with -s: the kernel need not gather them.
  const plain = { extMask: ctx.stats ? undefined : RTEXT_FILTER_SKIP_STATS };
  // The selectors name devices: the ordinary links dump resolves them.
  const ordinary = await linkList(plain, options);
  let filter: IpListFilter;
  try {
    filter = parseIpListFilter(args, ctx.family, ordinary);
  } catch (error) {
    if (error instanceof UsageError && error.message === 'help') throw new UsageError(USAGE, 255);
    throw error;
  }
  const ifindex = filter.dev === undefined ? undefined : deviceIndex(ordinary, filter.dev);
  const family = filter.family;
  let all = ordinary;
  // Which links dump ip reads follows -f alone (`to PREFIX` only narrows what it prints).
  if (ctx.family === 'inet6' && ifindex === undefined) {
    // ip -6 reads the links from IPv6's own link dump, whose attributes differ;
    // it lacks IFLA_TXQLEN, which ip then asks with an ioctl: the ordinary
    // links dump stands in for that ioctl. (With `dev`, ip gets the one link
    // with an ordinary RTM_GETLINK instead.) IPv6's link dump takes no attributes.
    const txqlen = new Map(ordinary.map((l) => [l.ifindex, l.txqlen]));
    all = (await linkList({ family: 'inet6' }, options))
      .map((l) => (l.txqlen === undefined ? { ...l, txqlen: txqlen.get(l.ifindex) } : l));
  }
  const byIndex = byIndexOf(all);
  if (filter.master !== undefined || filter.kind !== undefined) {
    // As for ip link show, these two are the kernel's filters on the links dump.
    const kept = new Set((await linkList({ ...plain, master: filter.master, kind: filter.kind }, options)).map((l) => l.ifindex));
    all = all.filter((l) => kept.has(l.ifindex));
  }
  // The addresses grouped by interface as they arrive, in the kernel's order within each.
  const groups = new Map<number, Address[]>();
  const packet = family === 'link';
  if (!packet && family !== 'mpls' && family !== 'bridge') {
    const kernel: AddressFilter = { family: inetFamily(family), ifindex };
    const select = addressSelector(kernel);
    await forEachDumpBatch(addressRequest(kernel), (batch) => {
      for (const msg of batch) {
        const addr = select(msg);
        if (addr === undefined) continue;
        const group = groups.get(addr.ifindex);
        if (group) group.push(addr);
        else groups.set(addr.ifindex, [addr]);
      }
    }, options);
  }
  const name = (i: number) => indexName(byIndex, i);
  // ipaddr_filter(): without -0, a link stays when an address of it passes the selectors,
  // or when it has none and no family was asked for.
  const shown = all.filter((link) => (ifindex === undefined || link.ifindex === ifindex) &&
    (packet || linkKept(filter, groups.get(link.ifindex) ?? [], name)));
  const view: LinkView = {
    byIndex, doLink: false, family: inetFamily(family), details: ctx.details, stats: ctx.stats,
    statsLevel: ctx.statsLevel, brief: ctx.brief, oneline: ctx.oneline, color: ctx.color,
  };
  const isShown = (link: Link) => linkSelected(filter, link);
  // As ip does in plain text, peer namespaces by name where they have one.
  if (!ctx.json && !ctx.brief && shown.some((l) => isShown(l) && (l.linkNetnsid ?? -1) >= 0)) {
    view.nsidNames = await netnsNames(ctx.netns);
  }
  const listing: AddressListing = {
    view, packet, labels: filter.label !== undefined,
    addresses: (link) => groups.get(link.ifindex) ?? [],
    selected: (addr) => addressSelected(filter, addr, name),
    // With `label`, ip checks only `up` before it prints the addresses (and no link).
    shown: (link) => (filter.label !== undefined ? linkSelected({ ...filter, group: undefined, master: undefined, kind: undefined, slaveKind: undefined }, link) : isShown(link)),
  };
  const out = objectOutput(ctx, linkAddressesFormat(listing));
  for (const link of shown) out.push(link);
  out.end();
}
