/**
 * `nlrx route show [table ID|main|local|all] [dev NAME] [proto P] [type T] [scope S]`:
 * `ip route show` over the route dump, with the same defaults (the main table,
 * IPv4 unless -6 or `table all`) and the same output, `-j` included. It runs
 * the dump with `forEachDumpBatch` and `routeSelector` — what `routes()` does,
 * without loading RxJS (60 ms of a 110 ms start) — on a readAhead socket, so
 * the kernel fills the next batch while this one is printed.
 */
import { UsageError, inetFamily, type CliContext } from '../cli-context.js';
import { linkNames } from '../link-names.js';
import { objectOutput } from '../object-output.js';
import { routeFormat, type RouteFormat } from '../route-format.js';
import { routeProtocols, routeScopes, routeTables, routeTypeId } from '../route-names.js';
import { RTPROT_UNSPEC } from '../../route/route-constants.js';
import { routeRequest, routeSelector, type Route, type RouteFilter } from '../../route/route-decode.js';
import { forEachDumpBatch, type ForEachDumpOptions } from '../../rx/for-each-dump-batch.js';

const USAGE = `Usage: nlrx route [ show ] [ table TABLE_ID ] [ dev NAME ] [ proto RTPROTO ]
                       [ type TYPE ] [ scope SCOPE ]
TABLE_ID := [ local | main | default | all | NUMBER ]`;

/** `matches()` of iproute2: `arg` is a non-empty prefix of `word`. */
function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

/**
 * run executes `nlrx route <verb> <args>`.
 *
 * @example
 * await run(ctx, 'show', ['table', 'all']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  let table: number | 'all' = 254;
  let device: string | undefined;
  let protocol: number | undefined;
  let type: number | undefined;
  let scope: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new UsageError(`Command line is not complete. Try option "help"`);
      return next;
    };
    if (matches(arg, 'table')) {
      const text = value();
      const id = routeTables().id(text);
      if (id !== undefined) table = id;
      else if (text === 'all') table = 'all';
      else throw new UsageError(`Error: argument "${text}" is wrong: table id value is invalid`);
    } else if (arg === 'dev' || arg === 'oif') {
      device = value();
    } else if (matches(arg, 'protocol')) {
      const text = value();
      const id = routeProtocols().id(text);
      if (id !== undefined) protocol = id;
      else if (text !== 'all') throw new UsageError(`Error: argument "${text}" is wrong: invalid "protocol"`);
    } else if (matches(arg, 'type')) {
      const text = value();
      const id = routeTypeId(text);
      if (id === undefined) throw new UsageError(`Error: argument "${text}" is wrong: node type value is invalid`);
      type = id;
    } else if (matches(arg, 'scope')) {
      const text = value();
      const id = routeScopes().id(text);
      if (id !== undefined) scope = id;
      else if (text !== 'all') throw new UsageError(`Error: argument "${text}" is wrong: invalid "scope"`);
    } else if (matches(arg, 'help')) {
      ctx.write(`${USAGE}\n`);
      return;
    } else {
      throw new UsageError(`Error: "${arg}" is not a filter nlrx route show knows.\n${USAGE}`);
    }
  }
  // As ip: with a table selected and no -4/-6, only IPv4 is shown.
  const tableSelected = table !== 'all' && table !== 0;
  const family = inetFamily(ctx.family) ?? (tableSelected ? 'inet' : undefined);
  // One socket serves both dumps: the link names, then the routes.
  const options: ForEachDumpOptions = { netns: ctx.netns, strictCheck: true, readAhead: 2 };
  const links = await linkNames(options);
  let ifindex: number | undefined;
  if (device !== undefined) {
    ifindex = links.index(device) ?? (/^if\d+$/.test(device) ? Number(device.slice(2)) : undefined);
    if (ifindex === undefined) throw new UsageError(`Cannot find device "${device}"`);
  }
  const filter: RouteFilter = {};
  if (family) filter.family = family;
  if (tableSelected) filter.table = table;
  if (protocol) filter.protocol = protocol;
  if (type) filter.type = type;
  if (ifindex !== undefined) filter.ifindex = ifindex;
  const format: RouteFormat = {
    links, details: ctx.details, stats: ctx.stats, table: tableSelected, oif: ifindex !== undefined,
    protocol: protocol !== undefined, scope: scope !== undefined,
  };
  // ip keeps only routes whose own RTA_OIF is the device (the kernel also returns
  // multipath routes through it), and filters scope itself.
  const keep = (route: Route): boolean =>
    (ifindex === undefined || route.oif === ifindex) && (scope === undefined || route.scope === scope) &&
    (protocol !== RTPROT_UNSPEC || route.protocol === RTPROT_UNSPEC);
  const out = objectOutput(ctx, routeFormat(format));
  const select = routeSelector(filter);
  await forEachDumpBatch(routeRequest(filter), (batch) => {
    for (const msg of batch) {
      const route = select(msg);
      if (route === undefined || !keep(route)) continue;
      out.push(route);
    }
  }, options);
  out.end();
}
