/**
 * `nlrx rule show [table ID]`: `ip rule show` — IPv4 unless -6, same output,
 * `-j` included. The dump runs with `forEachDumpBatch` and `ruleSelector`,
 * what `rules()` does, without loading RxJS (see commands/route.ts).
 */
import { UsageError, inetFamily, type CliContext } from '../cli-context.js';
import { objectOutput } from '../object-output.js';
import { routeTables } from '../route-names.js';
import { ruleFormat } from '../rule-format.js';
import { ruleRequest, ruleSelector, type RuleFilter } from '../../route/rule-decode.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';
import { dumpOptions } from './link.js';

const USAGE = 'Usage: nlrx rule [ show ] [ table TABLE_ID ]';

/**
 * run executes `nlrx rule <verb> <args>`.
 *
 * @example
 * await run(ctx, 'show', []);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  const filter: RuleFilter = { family: inetFamily(ctx.family) ?? 'inet' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.length > 0 && ('lookup'.startsWith(arg) || 'table'.startsWith(arg))) {
      const text = args[++i];
      if (text === undefined) throw new UsageError('Command line is not complete. Try option "help"');
      const id = routeTables().id(text);
      if (id === undefined) throw new UsageError(`Error: argument "${text}" is wrong: table id value is invalid`);
      filter.table = id;
    } else if (arg === 'help') {
      ctx.write(`${USAGE}\n`);
      return;
    } else {
      throw new UsageError(`Error: "${arg}" is not a filter nlrx rule show knows.\n${USAGE}`);
    }
  }
  const out = objectOutput(ctx, ruleFormat(ctx.details));
  const select = ruleSelector(filter);
  await forEachDumpBatch(ruleRequest(filter), (batch) => {
    for (const msg of batch) {
      const rule = select(msg);
      if (rule !== undefined) out.push(rule);
    }
  }, dumpOptions(ctx));
  out.end();
}
