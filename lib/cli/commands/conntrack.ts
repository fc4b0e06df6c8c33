/**
 * `nlrx conntrack -L | -C [-o extended] [-p PROTO] [-f ipv4|ipv6] [-s|-d ADDR]
 * [--sport|--dport PORT] [-m MARK[/MASK]] [-w ZONE]`: the connection tracking
 * table as conntrack-tools' `conntrack` prints it (`-j`: one JSON object a
 * line). The dump runs without RxJS; mark and zone are kernel-side filters.
 */
import { UsageError, type CliContext } from '../cli-context.js';
import { conntrackFormat, statsFormat } from '../conntrack-format.js';
import { conntrackStatsRequest, decodeConntrackStats, CONNTRACK_STATS_TYPE } from '../../netfilter/conntrack-stats.js';
import { objectOutput } from '../object-output.js';
import { untilInterrupted } from '../until-interrupted.js';
import {
  conntrackRequest, conntrackSelector, decodeConntrack, matchConntrack, type ConntrackFilter,
} from '../../netfilter/conntrack-decode.js';
import {
  IPCTNL_MSG_CT_DELETE, IPCTNL_MSG_CT_NEW, NETLINK_NETFILTER, NFNLGRP_CONNTRACK_DESTROY, NFNLGRP_CONNTRACK_NEW,
  NFNLGRP_CONNTRACK_UPDATE, NFNL_SUBSYS_CTNETLINK,
} from '../../netfilter/netfilter-constants.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../codec/header.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';

const USAGE = `Usage: nlrx [-n NETNS] [-j] conntrack -L | -C | -S | -E [-o extended] [-p PROTO] [-f ipv4|ipv6]
       [-s|-d ADDR] [--sport|--dport PORT] [-m MARK[/MASK]] [-w ZONE]`;

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1, tcp: 6, udp: 17, dccp: 33, gre: 47, icmpv6: 58, sctp: 132, udplite: 136,
};

/** conntrack-tools exits 2 on a bad command line; so does `nlrx conntrack`. */
const BAD_USAGE = 2;

function number(text: string | undefined, what: string): number {
  const value = text === undefined ? NaN : Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`Bad ${what} "${text}".\n${USAGE}`, BAD_USAGE);
  return value;
}

/**
 * run executes `nlrx conntrack <args>`.
 *
 * @example
 * await run(ctx, 'show', ['-L', '-p', 'tcp']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  let command: 'list' | 'count' | 'stats' | 'events' | undefined;
  let extended = false;
  const filter: ConntrackFilter = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => args[++i];
    if (arg === '-L' || arg === '--dump') command = 'list';
    else if (arg === '-C' || arg === '--count') command = 'count';
    else if (arg === '-S' || arg === '--stats') command = 'stats';
    else if (arg === '-E' || arg === '--event') command = 'events';
    else if (arg === '-o' || arg === '--output') {
      const formats = (value() ?? '').split(',');
      if (formats.some((f) => f !== 'extended')) throw new UsageError(`Only "-o extended" is supported.\n${USAGE}`, BAD_USAGE);
      extended = true;
    } else if (arg === '-p' || arg === '--proto' || arg === '--protonum') {
      const name = value();
      filter.proto = name !== undefined && name in PROTOCOL_NUMBERS ? PROTOCOL_NUMBERS[name] : number(name, 'protocol');
    } else if (arg === '-f' || arg === '--family') {
      const family = value();
      if (family !== 'ipv4' && family !== 'ipv6') throw new UsageError(`Bad family "${family}".\n${USAGE}`, BAD_USAGE);
      filter.family = family === 'ipv4' ? 'inet' : 'inet6';
    } else if (arg === '-s' || arg === '--src' || arg === '--orig-src') filter.src = value();
    else if (arg === '-d' || arg === '--dst' || arg === '--orig-dst') filter.dst = value();
    else if ((arg === '--sport' || arg === '--orig-port-src' || arg === '--dport' || arg === '--orig-port-dst') &&
      filter.proto === undefined) {
      // As conntrack-tools: port options exist only once a protocol with ports is given.
      throw new UsageError(`unknown option \`${arg}'.\n${USAGE}`, BAD_USAGE);
    } else if (arg === '--sport' || arg === '--orig-port-src') filter.sport = number(value(), 'port');
    else if (arg === '--dport' || arg === '--orig-port-dst') filter.dport = number(value(), 'port');
    else if (arg === '-m' || arg === '--mark') {
      const [mark, mask] = (value() ?? '').split('/');
      filter.mark = number(mark, 'mark');
      if (mask !== undefined) filter.markMask = number(mask, 'mark mask');
    } else if (arg === '-w' || arg === '--zone') filter.zone = number(value(), 'zone');
    else throw new UsageError(`Unknown argument "${arg}".\n${USAGE}`, BAD_USAGE);
  }
  if (command === undefined) throw new UsageError(USAGE, BAD_USAGE);
  if (command === 'events') {
    await printEvents(ctx, filter, extended);
    return;
  }
  if (command === 'stats') {
    const out = objectOutput(ctx, statsFormat, { jsonLines: true });
    await forEachDumpBatch(conntrackStatsRequest(), (batch) => {
      for (const msg of batch) if (msg.type === CONNTRACK_STATS_TYPE) out.push(decodeConntrackStats(msg));
    }, { netns: ctx.netns });
    out.end();
    return;
  }
  const select = conntrackSelector(filter);
  let shown = 0;
  const out = objectOutput(ctx, conntrackFormat(extended), { jsonLines: true });
  await forEachDumpBatch(conntrackRequest(filter), (batch) => {
    for (const msg of batch) {
      const entry = select(msg);
      if (entry === undefined) continue;
      shown++;
      if (command === 'list') out.push(entry);
    }
  }, { netns: ctx.netns });
  if (command === 'count') {
    ctx.write(`${shown}\n`);
    return;
  }
  out.end();
  process.stderr.write(`nlrx conntrack: ${shown} flow entries have been shown.\n`);
}

/**
 * `conntrack -E`: NEW / UPDATE / DESTROY events as conntrack-tools prints
 * them (`    [NEW] tcp      6 …`), until SIGINT or SIGTERM. An overrun (the
 * kernel dropped events) is said on stderr, as conntrack does.
 */
async function printEvents(ctx: CliContext, filter: ConntrackFilter, extended: boolean): Promise<void> {
  // Loaded here: only this form needs RxJS.
  const { monitor } = await import('../../live/monitor.js');
  const format = conntrackFormat(extended);
  const events = monitor({
    protocol: NETLINK_NETFILTER, netns: ctx.netns,
    groups: [NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY],
  });
  await untilInterrupted(events, (signal) => {
    if (signal.type === 'overrun') {
      process.stderr.write(`nlrx conntrack: events lost (${signal.error.code}): the table changed faster than it was read\n`);
      return;
    }
    let text = '';
    for (const msg of signal.messages) {
      const kind = msg.type & 0xff;
      if (msg.type >> 8 !== NFNL_SUBSYS_CTNETLINK || (kind !== IPCTNL_MSG_CT_NEW && kind !== IPCTNL_MSG_CT_DELETE)) continue;
      const entry = decodeConntrack(msg);
      if (!matchConntrack(entry, filter)) continue;
      // As libnetfilter_conntrack: a new entry is created exclusively, an update is not.
      const event = kind === IPCTNL_MSG_CT_DELETE ? 'DESTROY' : msg.flags & (NLM_F_CREATE | NLM_F_EXCL) ? 'NEW' : 'UPDATE';
      // A change a process made carries its port id (0: the kernel's own), as conntrack-tools shows it;
      // it also names the process when it finds it, which this leaves out.
      const by = msg.pid !== 0 ? ` [USERSPACE] portid=${msg.pid}` : '';
      text += ctx.json
        ? `${JSON.stringify({ event: event.toLowerCase(), ...JSON.parse(format.json(entry)), portid: msg.pid || undefined })}\n`
        : `${`[${event}]`.padStart(9, ' ')} ${format.text(entry).slice(0, -1)}${by}\n`;
    }
    if (text) ctx.write(text);
  });
}
