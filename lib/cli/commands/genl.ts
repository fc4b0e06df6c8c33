/**
 * `nlrx genl ctrl list` and `nlrx genl ctrl get name NAME | id ID`: the
 * generic netlink families, as iproute2's `genl ctrl list` prints them;
 * `-j` prints `familyJson` objects. The dump runs without RxJS.
 */
import { UsageError, type CliContext } from '../cli-context.js';
import { familyFormat } from '../genl-format.js';
import { objectOutput } from '../object-output.js';
import { familiesRequest, familySelector, type GenlFamily } from '../../genl/nlctrl.js';
import { forEachDumpBatch } from '../../rx/for-each-dump-batch.js';

const USAGE = `Usage: nlrx genl ctrl list
       nlrx genl ctrl get name NAME | id ID`;

/** The families of the namespace, in the kernel's order. */
async function familyList(ctx: CliContext): Promise<GenlFamily[]> {
  const list: GenlFamily[] = [];
  const select = familySelector();
  await forEachDumpBatch(familiesRequest(), (batch) => {
    for (const msg of batch) {
      const family = select(msg);
      if (family) list.push(family);
    }
  }, { netns: ctx.netns });
  return list;
}

/**
 * run executes `nlrx genl <object> <verb> <args>` (only the controller, `ctrl`, is an object today).
 *
 * @example
 * await run(ctx, 'show', ['ctrl', 'list']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  const [object, command = 'list', key, value] = args;
  if (verb === 'help' || object === undefined || object === 'help') {
    ctx.write(`${USAGE}\n`);
    return;
  }
  if (object !== 'ctrl') throw new UsageError(`Unknown generic netlink object "${object}".\n${USAGE}`);
  let families: GenlFamily[];
  if (command === 'list' || command === 'ls' || command === 'show') {
    families = await familyList(ctx);
  } else if (command === 'get') {
    if ((key !== 'name' && key !== 'id') || value === undefined) throw new UsageError(USAGE);
    const id = key === 'id' ? Number(value) : undefined;
    if (id !== undefined && !Number.isInteger(id)) throw new UsageError(`"${value}" is not a family id.`);
    families = (await familyList(ctx)).filter((f) => (id === undefined ? f.name === value : f.id === id));
    if (families.length === 0) throw new UsageError(`Family "${value}" does not exist.`);
  } else {
    throw new UsageError(`Unknown ctrl command "${command}".\n${USAGE}`);
  }
  const out = objectOutput(ctx, familyFormat);
  for (const family of families) out.push(family);
  out.end();
}
