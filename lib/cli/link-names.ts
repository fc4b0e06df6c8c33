/**
 * Interface names for the route, rule and nexthop commands: one RTM_GETLINK
 * dump reduced to ifindex ⇄ name, which is all they need to print `dev`.
 */
import { forEachDumpBatch, type ForEachDumpOptions } from '../rx/for-each-dump-batch.js';
import { RTM_NEWLINK } from '../route/constants.js';
import { linkNameMessage, linkRequest, RTEXT_FILTER_SKIP_STATS } from '../route/link-decode.js';

/**
 * LinkNames maps interface indexes to names and back for one namespace.
 *
 * @example
 * const names = await linkNames({ netns: 'blue' });
 * names.name(1); // 'lo'
 */
export interface LinkNames {
  /** The name of `ifindex`, or `if<N>` as `ip` prints an unknown index. */
  name(ifindex: number): string;
  /** The ifindex of `name`, or undefined. */
  index(name: string): number | undefined;
}

/**
 * linkNames dumps the links of a namespace and returns their names.
 *
 * @example
 * const { index } = await linkNames({ netns: ctx.netns });
 */
export async function linkNames(options: ForEachDumpOptions = {}): Promise<LinkNames> {
  // Names only: the kernel may leave the statistics out of its replies.
  const request = linkRequest({ extMask: RTEXT_FILTER_SKIP_STATS });
  const byIndex = new Map<number, string>();
  // Without RxJS: `nlrx route show` must not pay for loading it.
  await forEachDumpBatch(request, (batch) => {
    for (const msg of batch) {
      if (msg.type !== RTM_NEWLINK) continue;
      // A reply too short for its ifinfomsg throws here and fails the dump, as every link dump does.
      const { ifindex, ifname } = linkNameMessage.decode(msg);
      if (ifname !== undefined) byIndex.set(ifindex, ifname);
    }
  }, options);
  const byName = new Map<string, number>();
  for (const [ifindex, name] of byIndex) byName.set(name, ifindex);
  return {
    name: (ifindex) => byIndex.get(ifindex) ?? `if${ifindex}`,
    index: (name) => byName.get(name),
  };
}
