/**
 * Per-CPU connection tracking statistics (IPCTNL_MSG_CT_GET_STATS_CPU,
 * CTA_STATS_*), described, as `conntrack -S` shows them: one object per CPU,
 * its number in nfgenmsg's res_id.
 */
import type { Observable } from 'rxjs';
import { attr, attributeSet } from '../codec/attribute-set.js';
import { be32 } from '../codec/attribute-type.js';
import type { NetlinkMessage } from '../codec/header.js';
import { describeMessage, type MessageDescription } from '../codec/message-description.js';
import type { RawAttribute } from '../codec/raw-attribute.js';
import type { NetlinkDecodeError } from '../errors.js';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import type { DumpRequest } from '../rx/dump-request.js';
import { IPCTNL_MSG_CT_GET_STATS_CPU, NETLINK_NETFILTER, NFNETLINK_V0, NFNL_SUBSYS_CTNETLINK } from './netfilter-constants.js';
import { nfgenmsg } from './nfgenmsg.js';

/**
 * The CTA_STATS_* counters by number (enum ctattr_stats_cpu), named as
 * conntrack-tools prints them; `searched`, `new`, `ignore`, `delete` and
 * `delete_list` are no longer sent by current kernels.
 */
export const CONNTRACK_STATS_NAMES: readonly (string | undefined)[] = [
  undefined, 'searched', 'found', 'new', 'invalid', 'ignore', 'delete', 'delete_list', 'insert', 'insert_failed',
  'drop', 'early_drop', 'error', 'search_restart', 'clash_resolve', 'chaintoolong',
];

/**
 * ConntrackCpuStats is one CPU's counters: `cpu` (res_id), and each counter
 * the kernel sent under its conntrack-tools name.
 *
 * @example
 * conntrackStats().subscribe((s) => console.log(s.resId, s.counters.insert_failed));
 */
export interface ConntrackCpuStats {
  family: number;
  version: number;
  /** nfgenmsg.res_id: the CPU number. */
  resId: number;
  counters: Record<string, number>;
  unknown?: RawAttribute[];
  problems?: NetlinkDecodeError[];
}

/** The counters' attribute set: each CTA_STATS_* a be32 under its name, inline into `counters`. */
const counters = attributeSet('CTA_STATS', Object.fromEntries(CONNTRACK_STATS_NAMES.flatMap((name, type) =>
  (name === undefined ? [] : [[name, attr(type, be32)]]))), { context: ['conntrack stats'] });

/**
 * conntrackStatsMessage is an IPCTNL_MSG_CT_GET_STATS_CPU reply, described.
 *
 * @example
 * const { resId, counters } = conntrackStatsMessage.decode(msg);
 */
export const conntrackStatsMessage: MessageDescription<Omit<ConntrackCpuStats, 'counters'> & Record<string, unknown>> =
  describeMessage('IPCTNL_MSG_CT_GET_STATS_CPU', nfgenmsg, counters);

const STATS_TYPE = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_STATS_CPU;

/**
 * conntrackStatsRequest is the per-CPU statistics dump.
 *
 * @example
 * dump(conntrackStatsRequest());
 */
export function conntrackStatsRequest(): DumpRequest {
  return { protocol: NETLINK_NETFILTER, type: STATS_TYPE, payload: Uint8Array.of(0, NFNETLINK_V0, 0, 0) };
}

/**
 * decodeConntrackStats decodes one CPU's statistics message.
 *
 * @example
 * const stats = decodeConntrackStats(msg);
 */
export function decodeConntrackStats(msg: NetlinkMessage): ConntrackCpuStats {
  const { family, version, resId, unknown, problems, ...rest } = conntrackStatsMessage.decode(msg);
  const stats: ConntrackCpuStats = { family, version, resId, counters: rest as Record<string, number> };
  if (unknown) stats.unknown = unknown;
  if (problems) stats.problems = problems;
  return stats;
}

/**
 * conntrackStats dumps the per-CPU connection tracking statistics of a
 * namespace (what `conntrack -S` prints) as a cold Observable.
 *
 * @example
 * conntrackStats({ netns: 'blue' }).subscribe((s) => console.log(`cpu ${s.resId}: ${s.counters.found} found`));
 */
export function conntrackStats(options: DumpOptions = {}): Observable<ConntrackCpuStats> {
  return dumpObjects(conntrackStatsRequest(), (msg) => (msg.type === STATS_TYPE ? decodeConntrackStats(msg) : undefined), options);
}

/** `nlmsg_type` of the statistics replies, for selectors of your own. */
export const CONNTRACK_STATS_TYPE = STATS_TYPE;
