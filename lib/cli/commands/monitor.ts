/**
 * `nlrx [-n NETNS] [-4|-6] [-j] monitor [all | OBJECT…]`: rtnetlink changes as
 * `ip monitor` prints them, until interrupted.
 */
import { lastValueFrom, toArray } from 'rxjs';
import type { RtnetlinkKind } from '../../live/live-kind.js';
import type { MonitorOverrun } from '../../live/monitor.js';
import { rtnetlinkMonitor, type RtnetlinkNotification } from '../../live/rtnetlink-monitor.js';
import { AF_INET, AF_INET6 } from '../../route/constants.js';
import { links } from '../../route/link.js';
import { UsageError, type CliContext } from '../cli-context.js';
import { netnsNames } from '../netns-names.js';
import { untilInterrupted } from '../until-interrupted.js';
import { forgetLinks, formatNotification, formatOverrun, trackLinks, type MonitorView } from '../monitor-format.js';

const USAGE = `Usage: nlrx [-n NETNS] [-4|-6] [-j] monitor [ all | OBJECTS ]
  OBJECTS := { link | address | route | neigh | rule | nexthop }...`;

const KINDS: Record<string, RtnetlinkKind> = {
  link: 'links', l: 'links',
  address: 'addresses', addr: 'addresses', a: 'addresses',
  route: 'routes', r: 'routes', ro: 'routes',
  neigh: 'neighbors', neighbor: 'neighbors', neighbour: 'neighbors', n: 'neighbors',
  rule: 'rules', ru: 'rules',
  nexthop: 'nexthops', nh: 'nexthops',
};

/**
 * parseMonitorArgs turns `monitor`'s arguments into the kinds to listen to,
 * and whether `[KIND]` banners are printed (`all`, as ip does).
 *
 * @example
 * parseMonitorArgs(['route', 'link']); // { kinds: ['routes', 'links'], banners: false }
 */
export function parseMonitorArgs(args: readonly string[]): { kinds: RtnetlinkKind[]; banners: boolean } {
  const words = args.filter((a) => a !== 'show');
  if (words.length === 0) return { kinds: Object.values(KINDS).filter((k, i, all) => all.indexOf(k) === i), banners: false };
  if (words.length === 1 && words[0] === 'all') return { kinds: parseMonitorArgs([]).kinds, banners: true };
  const kinds: RtnetlinkKind[] = [];
  for (const word of words) {
    const kind = KINDS[word];
    if (kind === undefined) throw new UsageError(`Argument "${word}" is unknown, try "nlrx monitor help".`);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return { kinds, banners: false };
}

function familyOf(n: RtnetlinkNotification): number | undefined {
  return n.kind === 'links' ? undefined : n.object.family;
}

/**
 * run executes `nlrx monitor …`: prints every change until SIGINT or SIGTERM.
 *
 * @example
 * await run(ctx, 'show', ['route']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help' || args.includes('help')) {
    ctx.write(`${USAGE}\n`);
    return;
  }
  const { kinds, banners } = parseMonitorArgs(args);
  const family = ctx.family === 'inet' ? AF_INET : ctx.family === 'inet6' ? AF_INET6 : undefined;
  const options = ctx.netns === undefined ? {} : { netns: ctx.netns };
  const view: MonitorView = { links: new Map(), banners, json: ctx.json };
  // Listen first, then learn the link names: nothing happens unseen in between.
  const early: (RtnetlinkNotification | MonitorOverrun)[] = [];
  let ready = false;
  const print = (n: RtnetlinkNotification | MonitorOverrun): void => {
    if (n.type === 'overrun') {
      ctx.write(formatOverrun(n, view));
      return;
    }
    trackLinks(view, n);
    const f = familyOf(n);
    if (kinds.includes(n.kind) && (family === undefined || f === undefined || f === family)) {
      ctx.write(formatNotification(n, view));
    }
    forgetLinks(view, n);
  };
  // Link notifications are always heard: device names must follow renames and new devices.
  const heard: RtnetlinkKind[] = kinds.includes('links') ? kinds : [...kinds, 'links'];
  await untilInterrupted(rtnetlinkMonitor(heard, options), (n) => (ready ? print(n) : early.push(n)), (fail) => {
    Promise.all([lastValueFrom(links({}, options).pipe(toArray())), netnsNames(ctx.netns)]).then(([all, names]) => {
      view.nsidNames = names;
      for (const link of all) if (!view.links.has(link.ifindex)) view.links.set(link.ifindex, link);
      ready = true;
      for (const n of early.splice(0)) print(n);
    }, fail);
  });
}
