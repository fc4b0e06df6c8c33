/**
 * Links as `ip link show` / `ip address show` print them: the JSON object of
 * `ip -j` (same keys, same order) and the readable lines, from a typed Link.
 */
import type { ObjectFormat } from './object-output.js';
import { IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, type Link } from '../route/link-decode.js';
import type { LinkStats64 } from '../route/link-info.js';
import {
  ADDR_GEN_MODES, LINK_FLAG_NAMES, LINK_MODES, OPER_STATES, groupName, linkTypeName,
} from './names.js';

/** A JSON value as `ip -j` prints it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object whose key order is the print order. */
export type JsonObject = { [key: string]: Json };


/**
 * LinkView is what printing a link needs beyond the link: the other links
 * (names for `link`/`master`, flags for M-DOWN) and which of `ip`'s modes
 * is on.
 *
 * @example
 * const view: LinkView = { byIndex: new Map(all.map((l) => [l.ifindex, l])), doLink: true, details: false, stats: false };
 */
export interface LinkView {
  byIndex: ReadonlyMap<number, Link>;
  /** `ip link` (true) or `ip address` (false): linkmode, stats and alias only show in the former. */
  doLink: boolean;
  /** -4 / -6 on `ip address`: hides the link/ether line. */
  family?: 'inet' | 'inet6';
  details: boolean;
  stats: boolean;
  /** `qlen N`: ip link/address show print it (filter.showqueue), ip monitor does not. Default true. */
  showQueue?: boolean;
  /**
   * Names of peer namespaces by nsid (`netnsNames`): plain text then prints
   * `link-netns NAME` for a named one, as ip does. JSON always prints the nsid.
   */
  nsidNames?: ReadonlyMap<number, string>;
}

/**
 * indexName is ll_index_to_name(): the device's name, or `if<N>` for an index
 * not (or no longer) in the table.
 *
 * @example
 * indexName(view.byIndex, 3); // 'va'
 */
export function indexName(byIndex: ReadonlyMap<number, Link>, index: number): string {
  return byIndex.get(index)?.ifname ?? `if${index}`;
}

/** print_link_flags(): the names, NO-CARRIER first, M-DOWN last. */
function flagNames(flags: number, mDown: boolean): string[] {
  const names: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) names.push('NO-CARRIER');
  let rest = flags & ~IFF_RUNNING;
  for (const [bit, name] of LINK_FLAG_NAMES) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push(rest.toString(16));
  if (mDown) names.push('M-DOWN');
  return names;
}

/** M-DOWN: the link's lower device (same namespace) is down; an unknown index counts as down. */
function isMDown(link: Link, view: LinkView): boolean {
  if (!link.link || link.linkNetnsid !== undefined) return false;
  const lower = view.byIndex.get(link.link);
  return ((lower?.flags ?? 0) & IFF_UP) === 0;
}

function stats64Json(s: LinkStats64): JsonObject {
  const rx: JsonObject = {
    bytes: s.rxBytes, packets: s.rxPackets, errors: s.rxErrors, dropped: s.rxDropped,
    over_errors: s.rxOverErrors, multicast: s.multicast,
  };
  if (s.rxCompressed) rx.compressed = s.rxCompressed;
  const tx: JsonObject = {
    bytes: s.txBytes, packets: s.txPackets, errors: s.txErrors, dropped: s.txDropped,
    carrier_errors: s.txCarrierErrors, collisions: s.collisions,
  };
  if (s.txCompressed) tx.compressed = s.txCompressed;
  return { rx, tx };
}

function linkinfoJson(link: Link): JsonObject {
  const info = link.linkinfo!;
  const out: JsonObject = {};
  if (info.kind !== undefined) out.info_kind = info.kind;
  if (info.slaveKind !== undefined) out.info_slave_kind = info.slaveKind;
  return out;
}

/**
 * linkJson is the object `ip -j link show` (or, with `doLink` false, the
 * link part of `ip -j address show`) prints for one link.
 *
 * @example
 * console.log(JSON.stringify(all.map((l) => linkJson(l, view))));
 */
export function linkJson(link: Link, view: LinkView): JsonObject {
  const out: JsonObject = { ifindex: link.ifindex };
  if (link.link !== undefined) {
    if (link.link === 0) out.link = null;
    else if (link.linkNetnsid !== undefined) out.link_index = link.link;
    else out.link = indexName(view.byIndex, link.link);
  }
  out.ifname = link.ifname ?? null;
  out.flags = flagNames(link.flags, isMDown(link, view));
  if (link.mtu !== undefined) out.mtu = link.mtu;
  if (link.qdisc !== undefined) out.qdisc = link.qdisc;
  if (link.master !== undefined) out.master = indexName(view.byIndex, link.master);
  if (link.operstate !== undefined) {
    if (link.operstate < OPER_STATES.length) out.operstate = OPER_STATES[link.operstate];
    else out.operstate_index = link.operstate;
  }
  if (view.doLink && link.linkmode !== undefined) {
    if (link.linkmode < 2) out.linkmode = LINK_MODES[link.linkmode];
    else out.linkmode_index = link.linkmode;
  }
  if (link.group !== undefined) out.group = groupName(link.group);
  if (link.txqlen) out.txqlen = link.txqlen;
  if (view.family === undefined || view.details) {
    out.link_type = linkTypeName(link.type);
    if (link.address !== undefined) out.address = link.address;
    if (link.broadcast !== undefined) {
      if (link.flags & IFF_POINTOPOINT) out.link_pointtopoint = true;
      out.broadcast = link.broadcast;
    }
    if (link.permAddress !== undefined && link.permAddress !== link.address) out.permaddr = link.permAddress;
  }
  if (link.linkNetnsid !== undefined) out.link_netnsid = link.linkNetnsid;
  if (link.protoDown) out.proto_down = true;
  if (view.details) {
    if (link.promiscuity !== undefined) out.promiscuity = link.promiscuity;
    if (link.allmulti !== undefined) out.allmulti = link.allmulti;
    if (link.minMtu !== undefined) out.min_mtu = link.minMtu;
    if (link.maxMtu !== undefined) out.max_mtu = link.maxMtu;
    if (link.linkinfo) out.linkinfo = linkinfoJson(link);
    if (view.doLink && link.inet6AddrGenMode !== undefined) {
      out.inet6_addr_gen_mode = ADDR_GEN_MODES[link.inet6AddrGenMode] ?? `0x${link.inet6AddrGenMode.toString(16).padStart(2, '0')}`;
    }
    if (link.numTxQueues !== undefined) out.num_tx_queues = link.numTxQueues;
    if (link.numRxQueues !== undefined) out.num_rx_queues = link.numRxQueues;
    if (link.gsoMaxSize !== undefined) out.gso_max_size = link.gsoMaxSize;
    if (link.gsoMaxSegs !== undefined) out.gso_max_segs = link.gsoMaxSegs;
    if (link.tsoMaxSize !== undefined) out.tso_max_size = link.tsoMaxSize;
    if (link.tsoMaxSegs !== undefined) out.tso_max_segs = link.tsoMaxSegs;
    if (link.groMaxSize !== undefined) out.gro_max_size = link.groMaxSize;
    if (link.physPortName !== undefined) out.phys_port_name = link.physPortName;
    if (link.physPortId !== undefined) out.phys_port_id = link.physPortId;
    if (link.physSwitchId !== undefined) out.phys_switch_id = link.physSwitchId;
    if (link.parentDevBusName !== undefined) out.parentbus = link.parentDevBusName;
    if (link.parentDevName !== undefined) out.parentdev = link.parentDevName;
  }
  if ((view.doLink || view.details) && link.ifalias !== undefined) out.ifalias = link.ifalias;
  if (view.doLink && view.stats && link.stats64) out.stats64 = stats64Json(link.stats64);
  if ((view.doLink || view.details) && link.altnames?.length) out.altnames = link.altnames;
  return out;
}

/** ip 6.1's size_columns(): each column as wide as its header or its widest number. */
function statsLines(s: LinkStats64): string {
  const cols = [10, 7, 6, 7, 7, 7, 10];
  const rx = [s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast, s.rxCompressed];
  const tx = [s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions, s.txCompressed];
  for (const row of [rx, tx]) row.forEach((v, i) => { cols[i] = Math.max(cols[i], String(v).length); });
  const head = (label: string, names: string[], compressed: number) =>
    `    ${label}: ${names.map((n, i) => n.padStart(i === 0 ? cols[0] - 4 : cols[i])).join(' ')} ` +
    `${(compressed ? 'compressed' : '').padStart(cols[6])}\n`;
  const nums = (row: number[]) =>
    `    ${row.slice(0, row[6] ? 7 : 6).map((v, i) => `${String(v).padStart(cols[i])} `).join('')}\n`;
  return head('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'], s.rxCompressed) + nums(rx) +
    head('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'], s.txCompressed) + nums(tx);
}

/**
 * linkText is the readable form of one link, as `ip link show` prints it
 * (two lines, more with -d / -s); with `doLink` false, the head of an
 * `ip address show` entry.
 *
 * @example
 * ctx.write(linkText(link, view));
 */
export function linkText(link: Link, view: LinkView): string {
  let name = link.ifname ?? '<nil>';
  if (link.link !== undefined) {
    if (link.link === 0) name += '@NONE';
    else if (link.linkNetnsid !== undefined) name += `@if${link.link}`;
    else name += `@${indexName(view.byIndex, link.link)}`;
  }
  let line = `${link.ifindex}: ${name}: <${flagNames(link.flags, isMDown(link, view)).join(',')}> `;
  if (link.mtu !== undefined) line += `mtu ${link.mtu} `;
  if (link.qdisc !== undefined) line += `qdisc ${link.qdisc} `;
  if (link.master !== undefined) line += `master ${indexName(view.byIndex, link.master)} `;
  if (link.operstate !== undefined) {
    line += link.operstate < OPER_STATES.length ? `state ${OPER_STATES[link.operstate]} ` : `state 0x${link.operstate.toString(16)} `;
  }
  if (view.doLink && link.linkmode !== undefined) line += `mode ${LINK_MODES[link.linkmode] ?? link.linkmode} `;
  if (link.group !== undefined) line += `group ${groupName(link.group)} `;
  if (link.txqlen && view.showQueue !== false) line += `qlen ${link.txqlen}`;
  if (view.family === undefined || view.details) {
    line += `\n    link/${linkTypeName(link.type)} `;
    if (link.address !== undefined) line += link.address;
    if (link.broadcast !== undefined) line += `${link.flags & IFF_POINTOPOINT ? ' peer ' : ' brd '}${link.broadcast}`;
    if (link.permAddress !== undefined && link.permAddress !== link.address) line += ` permaddr ${link.permAddress}`;
  }
  if (link.linkNetnsid !== undefined) line += linkNetnsText(link.linkNetnsid, view);
  if (link.protoDown) line += ' protodown on ';
  if (view.details) {
    if (link.promiscuity !== undefined) line += ` promiscuity ${link.promiscuity} `;
    if (link.allmulti !== undefined) line += ` allmulti ${link.allmulti} `;
    if (link.minMtu !== undefined) line += `minmtu ${link.minMtu} `;
    if (link.maxMtu !== undefined) line += `maxmtu ${link.maxMtu} `;
    if (link.linkinfo?.kind) line += `\n    ${link.linkinfo.kind} `;
    if (link.linkinfo?.slaveKind) line += `\n    ${link.linkinfo.slaveKind}_slave `;
    if (view.doLink && link.inet6AddrGenMode !== undefined) line += `addrgenmode ${ADDR_GEN_MODES[link.inet6AddrGenMode] ?? link.inet6AddrGenMode} `;
    if (link.numTxQueues !== undefined) line += `numtxqueues ${link.numTxQueues} `;
    if (link.numRxQueues !== undefined) line += `numrxqueues ${link.numRxQueues} `;
    if (link.gsoMaxSize !== undefined) line += `gso_max_size ${link.gsoMaxSize} `;
    if (link.gsoMaxSegs !== undefined) line += `gso_max_segs ${link.gsoMaxSegs} `;
    if (link.tsoMaxSize !== undefined) line += `tso_max_size ${link.tsoMaxSize} `;
    if (link.tsoMaxSegs !== undefined) line += `tso_max_segs ${link.tsoMaxSegs} `;
    if (link.groMaxSize !== undefined) line += `gro_max_size ${link.groMaxSize} `;
  }
  if ((view.doLink || view.details) && link.ifalias !== undefined) line += `\n    alias ${link.ifalias}`;
  line += '\n';
  if (view.doLink && view.stats && link.stats64) line += statsLines(link.stats64);
  if ((view.doLink || view.details) && link.altnames?.length) line += link.altnames.map((n) => `    altname ${n}\n`).join('');
  return line;
}

/** ` link-netns NAME`, ` link-netnsid N`, or ` link-netnsid unknown` for NETNSA_NSID_NOT_ASSIGNED, as ip prints them. */
function linkNetnsText(nsid: number, view: LinkView): string {
  if (nsid < 0) return ' link-netnsid unknown';
  const name = view.nsidNames?.get(nsid);
  return name === undefined ? ` link-netnsid ${nsid}` : ` link-netns ${name}`;
}

/**
 * linkFormat is how `nlrx link show` prints a link, for one view. A link
 * `shown` rejects prints as `{}` in JSON and not at all in text: ip 6.1 opens
 * each link's JSON object before its `up` check.
 *
 * @example
 * linkFormat(view, (link) => (link.flags & IFF_UP) !== 0).json(link); // '{}' for a link that is down
 */
export function linkFormat(view: LinkView, shown: (link: Link) => boolean = () => true): ObjectFormat<Link> {
  return {
    json: (link) => (shown(link) ? JSON.stringify(linkJson(link, view)) : '{}'),
    text: (link) => (shown(link) ? linkText(link, view) : ''),
  };
}
