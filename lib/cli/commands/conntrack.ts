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
import { conntrackRequest, conntrackSelector, type ConntrackFilter } from '../../netfilter/conntrack-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';

const USAGE = `Usage: nlrx [-n NETNS] [-j] conntrack -L | -C | -S [-o extended] [-p PROTO] [-f ipv4|ipv6]
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
  let command: 'list' | 'count' | 'stats' | undefined;
  let extended = false;
  const filter: ConntrackFilter = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => args[++i];
    if (arg === '-L' || arg === '--dump') command = 'list';
    else if (arg === '-C' || arg === '--count') command = 'count';
    else if (arg === '-S' || arg === '--stats') command = 'stats';
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
