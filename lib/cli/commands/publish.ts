/**
 * `nlrx [-n NETNS] publish --nats URL --host NAME [TABLE…]`: this host's
 * live tables mirrored into the fleet's JetStream bucket until SIGINT or
 * SIGTERM (the host is then marked stopped). One line per table synced;
 * failed writes are retried and reported on stderr.
 */
import { connectFleet } from '../../fleet/fleet-connection.js';
import { checkHostName } from '../../fleet/fleet-key.js';
import { publishFleet } from '../../fleet/publish-fleet.js';
import type { LiveKind } from '../../live/live-kind.js';
import { UsageError, type CliContext } from '../cli-context.js';
import { connectOptions, eachFleetArg, NATS_USAGE, tableWord, type NatsArgs } from '../fleet-options.js';
import { untilInterrupted } from '../until-interrupted.js';

const USAGE = `Usage: nlrx [-n NETNS] publish ${NATS_USAGE} --host NAME [--heartbeat MS] [TABLE…]
TABLE := link | addr | route | neigh | rule | nexthop   (default: link addr route neigh)`;

/**
 * run publishes until interrupted.
 *
 * @example
 * // nlrx -n blue publish --nats nats://10.0.0.5:4222 --host edge-7 route link
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw new UsageError(USAGE);
  const nats: NatsArgs = {};
  let host: string | undefined;
  let heartbeatMs: number | undefined;
  const tables: LiveKind[] = [];
  eachFleetArg(args, nats, USAGE, (arg, value) => {
    if (arg === '--host') host = value();
    else if (arg === '--heartbeat') {
      const text = value();
      heartbeatMs = Number(text);
      if (!/^\d+$/.test(text) || heartbeatMs < 100) throw new UsageError(`Heartbeat "${text}" is not a period in ms (100 or more).`);
    } else if (arg === '-h' || arg === '--help' || arg === 'help') throw new UsageError(USAGE);
    else {
      const table = tableWord(arg);
      if (table === undefined) throw new UsageError(`"${arg}" is not a table or an option of nlrx publish.\n${USAGE}`);
      if (!tables.includes(table)) tables.push(table);
    }
  });
  // Nothing is published without a name: the fleet would not know whose rows they are.
  if (host === undefined) throw new UsageError(`nlrx publish needs --host NAME: the name this host has in the fleet.\n${USAGE}`);
  try {
    checkHostName(host);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const fleet = await connectFleet(connectOptions(nats, 'nlrx publish', USAGE));
  try {
    await untilInterrupted(publishFleet(fleet, {
      host, netns: ctx.netns, heartbeatMs, tables: tables.length > 0 ? tables : undefined,
    }), (event) => {
      if (event.type === 'synced') {
        ctx.write(`${event.table}: ${event.rows} rows in sync (${event.puts} written, ${event.deletes} deleted)\n`);
      } else if (event.type === 'retry') {
        process.stderr.write(`nlrx publish: ${event.error.message}; retrying\n`);
      }
    });
  } finally {
    await fleet.close();
  }
}
