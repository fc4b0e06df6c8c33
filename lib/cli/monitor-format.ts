/**
 * How `nlrx monitor` prints a notification: the line `ip monitor` prints
 * (with `Deleted ` for removals and `[KIND]` banners for `monitor all`), or
 * with `-j` one JSON object per line.
 */
import type { RtnetlinkNotification } from '../live/rtnetlink-monitor.js';
import type { MonitorOverrun } from '../live/monitor.js';
import type { Link } from '../route/link.js';
import { addressJson, addressText } from './address-format.js';
import { indexName, linkJson, linkText, type LinkView } from './link-format.js';
import type { LinkNames } from './link-names.js';
import { neighborJson, neighborText } from './neighbor-format.js';
import { nexthopJson, nexthopText } from './nexthop-format.js';
import { routeJson, routeText } from './route-format.js';
import { ruleJson, ruleText } from './rule-format.js';

/**
 * MonitorView is what printing needs besides the notification: the links
 * known so far (names of devices) and the output mode.
 *
 * @example
 * const view: MonitorView = { links: new Map(), banners: true, json: false };
 */
export interface MonitorView {
  /** The namespace's links by ifindex, kept current from link notifications. */
  links: Map<number, Link>;
  /** `monitor all`: prefix each line with `[LINK]`, `[ROUTE]` … as ip does. */
  banners: boolean;
  json: boolean;
  /** Peer namespaces' names by nsid, as ip prints them (`link-netns NAME`). */
  nsidNames?: ReadonlyMap<number, string>;
}

const BANNERS: Record<RtnetlinkNotification['kind'], string> = {
  links: '[LINK]', addresses: '[ADDR]', routes: '[ROUTE]', neighbors: '[NEIGH]', rules: '[RULE]', nexthops: '[NEXTHOP]',
};
const OBJECTS: Record<RtnetlinkNotification['kind'], string> = {
  links: 'link', addresses: 'address', routes: 'route', neighbors: 'neigh', rules: 'rule', nexthops: 'nexthop',
};

function names(view: MonitorView): LinkNames {
  return {
    name: (ifindex) => indexName(view.links, ifindex),
    index: (name) => [...view.links.values()].find((l) => l.ifname === name)?.ifindex,
  };
}

function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * trackLinks keeps `view.links` current: call it with every notification
 * before formatting it (a deleted link's name is still needed to print its
 * deletion, so removal happens after).
 *
 * @example
 * trackLinks(view, n); ctx.write(formatNotification(n, view)); forgetLinks(view, n);
 */
export function trackLinks(view: MonitorView, n: RtnetlinkNotification): void {
  if (n.kind === 'links' && n.action === 'new') view.links.set(n.object.ifindex, n.object);
}

/**
 * forgetLinks drops a deleted link from `view.links` once its deletion is printed.
 *
 * @example
 * forgetLinks(view, n);
 */
export function forgetLinks(view: MonitorView, n: RtnetlinkNotification): void {
  if (n.kind === 'links' && n.action === 'del') view.links.delete(n.object.ifindex);
}

/**
 * formatNotification renders one notification as `ip monitor` prints it:
 * `Deleted ` before removals, the object as `ip OBJECT show` prints it, and a
 * `[KIND]` banner with `monitor all`. With `json`, one line
 * `{"event":"new"|"del","object":"route",…,"value":{ip -j fields}}`.
 *
 * @example
 * ctx.write(formatNotification(n, view));
 */
export function formatNotification(n: RtnetlinkNotification, view: MonitorView): string {
  const links = names(view);
  if (view.json) {
    let value: string;
    switch (n.kind) {
      case 'links': value = JSON.stringify(linkJson(n.object, linkView(view))); break;
      case 'addresses': value = JSON.stringify({ ifindex: n.object.ifindex, ifname: links.name(n.object.ifindex), addr_info: [addressJson(n.object)] }); break;
      case 'routes': value = routeJson(n.object, routeFormat(links)); break;
      case 'neighbors': value = JSON.stringify(neighborJson(n.object, { devName: links.name, showDev: true, stats: false })); break;
      case 'rules': value = ruleJson(n.object, false); break;
      case 'nexthops': value = nexthopJson(n.object, links, false); break;
    }
    return `{"event":"${n.action}","object":"${OBJECTS[n.kind]}","value":${value.trim()}}\n`;
  }
  let text: string;
  switch (n.kind) {
    case 'links': text = linkText(n.object, linkView(view)); break;
    case 'addresses': text = `${n.object.ifindex}: ${links.name(n.object.ifindex)}${addressText(n.object)}`; break;
    case 'routes': text = routeText(n.object, routeFormat(links)); break;
    case 'neighbors': text = neighborText(n.object, { devName: links.name, showDev: true, stats: false }); break;
    case 'rules': text = ruleText(n.object, false); break;
    case 'nexthops': text = nexthopText(n.object, links, false); break;
  }
  return line(`${view.banners ? BANNERS[n.kind] : ''}${n.action === 'del' ? 'Deleted ' : ''}${text}`);
}

/**
 * formatOverrun says that notifications were lost, so a reader of the output
 * knows it is no longer complete.
 *
 * @example
 * ctx.write(formatOverrun(signal, view));
 */
export function formatOverrun(signal: MonitorOverrun, view: Pick<MonitorView, 'json'>): string {
  return view.json
    ? `{"event":"overrun","code":"${signal.error.code}"}\n`
    : `Overrun: the kernel dropped notifications (${signal.error.code})\n`;
}

function linkView(view: MonitorView): LinkView {
  // ip monitor prints links as `ip address` heads them (no link mode), and without qlen.
  return { byIndex: view.links, doLink: false, showQueue: false, details: false, stats: false, nsidNames: view.nsidNames };
}

function routeFormat(links: LinkNames) {
  return { links, details: false, stats: false, table: false, oif: false, protocol: false };
}
