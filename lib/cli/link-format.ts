/**
 * Links as `ip link show` / `ip address show` print them: the JSON object of
 * `ip -j` (same keys, same order) and the readable lines, from a typed Link.
 */
import type { ObjectFormat } from './object-output.js';
import { IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, type Link } from '../route/link-decode.js';
import type { LinkStats64 } from '../route/link-info.js';
import { operstateColor, paint } from './ip-color.js';
import { kindDetails, slaveKindDetails } from './link-kind-format.js';
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
  /** `-br`: one line a link (`print_linkinfo_brief()`); `-o`: each link's lines joined by `\\`. */
  brief?: boolean;
  oneline?: boolean;
  /** `-c`: ip's colours in text (see ip-color.ts). */
  color?: boolean;
  details: boolean;
  stats: boolean;
  /** How many `-s` were given (default 1 when `stats`): 2 adds the error counters. */
  statsLevel?: number;
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

/**
 * M-DOWN: the link's lower device (same namespace) is down. ip's
 * ll_index_to_flags() answers -1 (every flag, so up) for an index its link
 * cache lacks: IPv6's link dump (`ip -6 addr`) sends no IFLA_LINK_NETNSID,
 * so a veth whose peer is in another namespace names an index that is not
 * here, and ip prints no M-DOWN for it.
 */
function isMDown(link: Link, view: LinkView): boolean {
  if (!link.link || link.linkNetnsid !== undefined) return false;
  const lower = view.byIndex.get(link.link);
  return lower !== undefined && (lower.flags & IFF_UP) === 0;
}

function stats64Json(s: LinkStats64, link: Link, level: number): JsonObject {
  const rx: JsonObject = {
    bytes: s.rxBytes, packets: s.rxPackets, errors: s.rxErrors, dropped: s.rxDropped,
    over_errors: s.rxOverErrors, multicast: s.multicast,
  };
  if (s.rxCompressed) rx.compressed = s.rxCompressed;
  if (level > 1) {
    Object.assign(rx, {
      length_errors: s.rxLengthErrors, crc_errors: s.rxCrcErrors, frame_errors: s.rxFrameErrors,
      fifo_errors: s.rxFifoErrors, missed_errors: s.rxMissedErrors,
    });
    if (s.rxNohandler) rx.nohandler = s.rxNohandler;
    if (s.rxOtherhostDropped) rx.otherhost = s.rxOtherhostDropped;
  }
  const tx: JsonObject = {
    bytes: s.txBytes, packets: s.txPackets, errors: s.txErrors, dropped: s.txDropped,
    carrier_errors: s.txCarrierErrors, collisions: s.collisions,
  };
  if (s.txCompressed) tx.compressed = s.txCompressed;
  if (level > 1) {
    Object.assign(tx, {
      aborted_errors: s.txAbortedErrors, fifo_errors: s.txFifoErrors, window_errors: s.txWindowErrors,
      heartbeat_errors: s.txHeartbeatErrors,
    });
    if (link.carrierChanges !== undefined) tx.carrier_changes = link.carrierChanges;
  }
  return { rx, tx };
}

function linkinfoJson(link: Link, view: LinkView): JsonObject {
  const info = link.linkinfo!;
  const name = (i: number) => indexName(view.byIndex, i);
  const out: JsonObject = {};
  if (info.kind !== undefined) {
    out.info_kind = info.kind;
    const data = kindDetails(link, name);
    if (data) out.info_data = data.json;
  }
  if (info.slaveKind !== undefined) {
    out.info_slave_kind = info.slaveKind;
    const data = slaveKindDetails(link, name);
    if (data) out.info_slave_data = data.json;
  }
  return out;
}

/** print_linktype() in text: each kind on its own line, then what its link_util prints. */
function linkinfoText(link: Link, view: LinkView): string {
  const info = link.linkinfo;
  const name = (i: number) => indexName(view.byIndex, i);
  let text = '';
  if (info?.kind) text += `\n    ${info.kind} ${kindDetails(link, name)?.text ?? ''}`;
  if (info?.slaveKind) text += `\n    ${info.slaveKind}_slave ${slaveKindDetails(link, name)?.text ?? ''}`;
  return text;
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
    if (link.linkinfo) out.linkinfo = linkinfoJson(link, view);
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
  if (view.doLink && view.stats && link.stats64) out.stats64 = stats64Json(link.stats64, link, view.statsLevel ?? 1);
  if ((view.doLink || view.details) && link.altnames?.length) out.altnames = link.altnames;
  return out;
}

/**
 * ip 6.1's print_link_stats64(): size_columns() makes each column as wide as
 * its header or its widest number, over every row printed (`-s -s` adds the
 * error rows, whose columns are shifted by one: column 0 holds no number).
 */
function statsLines(s: LinkStats64, link: Link, level: number, eol: string): string {
  const cols = [10, 7, 6, 7, 7, 7, 10];
  const rx = [s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast, s.rxCompressed];
  const tx = [s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions, s.txCompressed];
  const rxErrors = [0, s.rxLengthErrors, s.rxCrcErrors, s.rxFrameErrors, s.rxFifoErrors, s.rxOverErrors, s.rxNohandler];
  const transns = link.carrierChanges;
  const txErrors = [0, s.txAbortedErrors, s.txFifoErrors, s.txWindowErrors, s.txHeartbeatErrors, transns ?? 0];
  const rows = level > 1 ? [rx, rxErrors, tx, txErrors] : [rx, tx];
  for (const row of rows) row.forEach((v, i) => { cols[i] = Math.max(cols[i], String(v).length); });
  const head = (label: string, names: string[], compressed: number) =>
    `    ${label}: ${names.map((n, i) => n.padStart(i === 0 ? cols[0] - 4 : cols[i])).join(' ')} ` +
    `${(compressed ? 'compressed' : '').padStart(cols[6])}${eol}`;
  const nums = (row: number[]) =>
    `    ${row.slice(0, row[6] ? 7 : 6).map((v, i) => `${String(v).padStart(cols[i])} `).join('')}`;
  // The error rows: a label as wide as column 0, then columns 1… (the last only when it has something).
  const errorHead = (label: string, names: string[]) =>
    `    ${label}:${''.padStart(cols[0] - 10)}${names.map((n, i) => ` ${n.padStart(cols[i + 1])}`).join('')}${eol}`;
  const errorNums = (row: number[], count: number) =>
    `               ${row.slice(1, count + 1).map((v, i) => `${String(v).padStart(cols[i + 1])} `).join('')}`;
  let out = head('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'], s.rxCompressed) + nums(rx);
  if (level > 1) {
    const names = ['length', 'crc', 'frame', 'fifo', 'overrun'];
    if (s.rxNohandler) names.push('nohandler');
    out += eol + errorHead('RX errors', names) + errorNums(rxErrors, names.length);
  }
  out += eol + head('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'], s.txCompressed) + nums(tx);
  if (level > 1) {
    const names = ['aborted', 'fifo', 'window', 'heartbt'];
    if (transns !== undefined) names.push('transns');
    out += eol + errorHead('TX errors', names) + errorNums(txErrors, names.length);
  }
  return out + eol;
}

/**
 * linkStatsText is the counters `ip -s address show` prints after a link's
 * addresses (ip link prints them inside the link: see linkText); empty
 * without -s.
 *
 * @example
 * ctx.write(linkText(link, view) + addresses + linkStatsText(link, view));
 */
export function linkStatsText(link: Link, view: LinkView): string {
  return view.stats && link.stats64 ? statsLines(link.stats64, link, view.statsLevel ?? 1, '\n') : '';
}

/**
 * linkStatsJson is the `stats64` object `ip -s -j address show` puts after
 * a link's `addr_info`, or undefined without -s.
 *
 * @example
 * const stats64 = linkStatsJson(link, view);
 */
export function linkStatsJson(link: Link, view: LinkView): JsonObject | undefined {
  return view.stats && link.stats64 ? stats64Json(link.stats64, link, view.statsLevel ?? 1) : undefined;
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
  let line = `${link.ifindex}: ${paint(view.color, 'ifname', `${name}: `)}<${flagNames(link.flags, isMDown(link, view)).join(',')}> `;
  if (link.mtu !== undefined) line += `mtu ${link.mtu} `;
  if (link.qdisc !== undefined) line += `qdisc ${link.qdisc} `;
  if (link.master !== undefined) line += `master ${indexName(view.byIndex, link.master)} `;
  if (link.operstate !== undefined) {
    line += link.operstate < OPER_STATES.length
      ? `state ${paint(view.color, operstateColor(link.operstate), `${OPER_STATES[link.operstate]} `)}`
      : `state 0x${link.operstate.toString(16)} `;
  }
  if (view.doLink && link.linkmode !== undefined) line += `mode ${LINK_MODES[link.linkmode] ?? link.linkmode} `;
  if (link.group !== undefined) line += `group ${groupName(link.group)} `;
  if (link.txqlen && view.showQueue !== false) line += `qlen ${link.txqlen}`;
  if (view.family === undefined || view.details) {
    line += `\n    link/${linkTypeName(link.type)} `;
    if (link.address !== undefined) line += paint(view.color, 'mac', link.address);
    if (link.broadcast !== undefined) line += `${link.flags & IFF_POINTOPOINT ? ' peer ' : ' brd '}${paint(view.color, 'mac', link.broadcast)}`;
    if (link.permAddress !== undefined && link.permAddress !== link.address) line += ` permaddr ${link.permAddress}`;
  }
  if (link.linkNetnsid !== undefined) line += linkNetnsText(link.linkNetnsid, view);
  if (link.protoDown) line += ' protodown on ';
  if (view.details) {
    if (link.promiscuity !== undefined) line += ` promiscuity ${link.promiscuity} `;
    if (link.allmulti !== undefined) line += ` allmulti ${link.allmulti} `;
    if (link.minMtu !== undefined) line += `minmtu ${link.minMtu} `;
    if (link.maxMtu !== undefined) line += `maxmtu ${link.maxMtu} `;
    line += linkinfoText(link, view);
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
  if (view.doLink && view.stats && link.stats64) line += statsLines(link.stats64, link, view.statsLevel ?? 1, '\n');
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
 * oneline is ip's `-o`: every line break of an object but the last printed
 * as `\\` (ip's `_SL_`), so each object is one line.
 *
 * @example
 * oneline('1: lo: …\n    link/loopback …\n'); // '1: lo: …\\    link/loopback …\n'
 */
export function oneline(text: string): string {
  return text === '' ? '' : `${text.slice(0, -1).replaceAll('\n', '\\')}\n`;
}

/** print_name_and_link(): `name@lower`, `name@ifN` (other namespace), `name@NONE`. */
function briefName(link: Link, view: LinkView): string {
  const name = link.ifname ?? '<nil>';
  if (!link.link) return link.link === 0 ? `${name}@NONE` : name;
  if (link.linkNetnsid !== undefined) return `${name}@if${link.link}`;
  return `${name}@${indexName(view.byIndex, link.link)}`;
}

/**
 * linkBriefJson is the start of a link's `ip -br -j` object: its lower link,
 * name and state — with `withAddress` (`ip -br link`, `ip -br -0 addr`) its
 * address and flags too.
 *
 * @example
 * linkBriefJson(link, view, true); // { ifname: 'lo', operstate: 'UNKNOWN', address: '00:00:00:00:00:00', flags: [ … ] }
 */
export function linkBriefJson(link: Link, view: LinkView, withAddress: boolean): JsonObject {
  const out: JsonObject = {};
  if (link.link !== undefined) {
    if (link.link === 0) out.link = null;
    else if (link.linkNetnsid !== undefined) out.link_index = link.link;
    else out.link = indexName(view.byIndex, link.link);
  }
  out.ifname = link.ifname ?? null;
  if (link.operstate !== undefined) {
    if (link.operstate < OPER_STATES.length) out.operstate = OPER_STATES[link.operstate];
    else out.operstate_index = link.operstate;
  }
  if (withAddress) {
    if (link.address !== undefined) out.address = link.address;
    out.flags = flagNames(link.flags, isMDown(link, view));
  }
  return out;
}

/**
 * linkBriefText is a link's `ip -br` line: the name padded to 16, the state
 * to 14 — with `withAddress`, the address, the flags and the line's end
 * (`ip -br address` ends the line after the addresses).
 *
 * @example
 * linkBriefText(link, view, true); // 'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n'
 */
export function linkBriefText(link: Link, view: LinkView, withAddress: boolean): string {
  let line = paint(view.color, 'ifname', `${briefName(link, view).padEnd(16)} `);
  if (link.operstate !== undefined) {
    line += link.operstate < OPER_STATES.length
      ? paint(view.color, operstateColor(link.operstate), `${OPER_STATES[link.operstate].padEnd(14)} `)
      : `state 0x${link.operstate.toString(16)} `;
  }
  if (withAddress) {
    if (link.address !== undefined) line += paint(view.color, 'mac', `${link.address} `);
    line += `<${flagNames(link.flags, isMDown(link, view)).join(',')}> \n`;
  }
  return line;
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
    json: (link) => {
      if (!shown(link)) return '{}';
      return JSON.stringify(view.brief ? linkBriefJson(link, view, true) : linkJson(link, view));
    },
    text: (link) => {
      if (!shown(link)) return '';
      if (view.brief) return linkBriefText(link, view, true);
      return view.oneline ? oneline(linkText(link, view)) : linkText(link, view);
    },
  };
}
