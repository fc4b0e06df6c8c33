/**
 * `nlrx nexthop show [id N] [dev NAME] [groups] [fdb]`: `ip nexthop show`,
 * same output, `-j` included. The dump runs with `forEachDumpBatch` and
 * `nexthopSelector`, what `nexthops()` does, without loading RxJS (see
 * commands/route.ts).
 */
import { UsageError, inetFamily, type CliContext } from '../cli-context.js';
import { linkNames } from '../link-names.js';
import { nexthopFormat } from '../nexthop-format.js';
import { objectOutput } from '../object-output.js';
import { parseUnsigned } from '../route-names.js';
import { nexthopRequest, nexthopSelector, type NexthopFilter } from '../../route/nexthop-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { dumpOptions } from './link.js';

const USAGE = `Usage: nlrx nexthop [ show ] [ id ID ] [ dev DEV ] [ groups ] [ fdb ]`;

/**
 * run executes `nlrx nexthop <verb> <args>`.
 *
 * @example
 * await run(ctx, 'show', ['groups']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  const options = dumpOptions(ctx);
  const links = await linkNames(options);
  const filter: NexthopFilter = {};
  if (inetFamily(ctx.family)) filter.family = inetFamily(ctx.family);
  let id: number | undefined;
  const value = (i: number): string => {
    const next = args[i];
    if (next === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    return next;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === 'id') {
      const text = value(++i);
      id = parseUnsigned(text);
      if (id === undefined) throw new UsageError(`Error: argument "${text}" is wrong: invalid id value`);
    } else if (arg.length > 0 && 'dev'.startsWith(arg)) {
      const name = value(++i);
      const ifindex = links.index(name);
      if (ifindex === undefined) throw new UsageError(`Error: argument "${name}" is wrong: Device does not exist`);
      filter.ifindex = ifindex;
    } else if (arg.length > 0 && 'groups'.startsWith(arg)) filter.groups = true;
    else if (arg.length > 0 && 'fdb'.startsWith(arg)) filter.fdb = true;
    else if (arg === 'help') {
      ctx.write(`${USAGE}\n`);
      return;
    } else throw new UsageError(`Error: argument "${arg}" is wrong: \n${USAGE}`);
  }
  const out = objectOutput(ctx, nexthopFormat(links, ctx.details));
  let found = false;
  // `id N` is a lookup in ip (RTM_GETNEXTHOP of one id); the dump filtered here shows the same object.
  const dumped: NexthopFilter = id === undefined ? filter : {};
  const select = nexthopSelector(dumped);
  await forEachDumpBatch(nexthopRequest(dumped), (batch) => {
    for (const msg of batch) {
      const nh = select(msg);
      if (nh === undefined || (id !== undefined && nh.id !== id)) continue;
      found = true;
      out.push(nh);
    }
  }, options);
  if (id !== undefined && !found) throw new UsageError('Error: Nexthop id does not exist.');
  out.end();
}
