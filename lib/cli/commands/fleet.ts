/**
 * `nlrx fleet --nats URL [-j] TABLE [--host NAME]`: the fleet's current
 * table, once, from NATS alone (no netlink, no root): every live host's
 * rows as `ip` prints them on that host, with the host's name — one JSON
 * object a line with a `host` field for `-j`, text lines after the host's
 * name otherwise. Hosts that are gone (no heartbeat within the timeout, or
 * stopped) are named on stderr; their rows are not shown.
 */
import { connectFleet, type FleetConnection } from '../../fleet/fleet-connection.js';
import { checkHostName, fleetHeartbeatKey } from '../../fleet/fleet-key.js';
import { fleetSource, type FleetRow } from '../../fleet/fleet-source.js';
import type { FleetHeartbeat } from '../../fleet/publish-fleet.js';
import type { LiveKind } from '../../live/live-kind.js';
import type { Address } from '../../route/address.js';
import type { Link } from '../../route/link.js';
import { NTF_EXT_LEARNED, NTF_PROXY, NUD_NOARP, type Neighbor } from '../../route/neighbor-decode.js';
import type { Nexthop } from '../../route/nexthop.js';
import type { Rule } from '../../route/rule.js';
import { linkAddressesFormat } from '../address-format.js';
import { UsageError, type CliContext } from '../cli-context.js';
import { connectOptions, eachFleetArg, NATS_USAGE, tableWord, type NatsArgs } from '../fleet-options.js';
import { indexName, linkFormat, type LinkView } from '../link-format.js';
import type { LinkNames } from '../link-names.js';
import { neighborFormat } from '../neighbor-format.js';
import { nexthopFormat } from '../nexthop-format.js';
import type { ObjectFormat } from '../object-output.js';
import { routeFormat } from '../route-format.js';
import { ruleFormat } from '../rule-format.js';

const USAGE = `Usage: nlrx [-j] [-d] [-s] fleet ${NATS_USAGE} [--host NAME] [--gone-after MS] TABLE
TABLE := link | addr | route | neigh | rule | nexthop`;

interface FleetArgs {
  nats: NatsArgs;
  table?: LiveKind;
  host?: string;
  goneAfterMs?: number;
}

function parse(ctx: CliContext, args: readonly string[]): FleetArgs {
  const out: FleetArgs = { nats: {} };
  eachFleetArg(args, out.nats, USAGE, (arg, value) => {
    if (arg === '-j' || arg === '--json') ctx.json = true;
    else if (arg === '--host') out.host = value();
    else if (arg === '--gone-after') {
      const text = value();
      out.goneAfterMs = Number(text);
      if (!/^\d+$/.test(text)) throw new UsageError(`"${text}" is not a time in ms.`);
    } else if (arg === '-h' || arg === '--help' || arg === 'help') throw new UsageError(USAGE);
    else {
      const table = tableWord(arg);
      if (table === undefined || out.table !== undefined) throw new UsageError(`"${arg}" is not a table or an option of nlrx fleet.\n${USAGE}`);
      out.table = table;
    }
  });
  if (out.table === undefined) throw new UsageError(`nlrx fleet needs a TABLE.\n${USAGE}`);
  return out;
}

/** The rows of one table of the fleet, once synced; rejects after `timeoutMs`. */
function current(fleet: FleetConnection, kind: LiveKind, host: string | undefined, goneAfterMs: number | undefined): Promise<FleetRow[]> {
  return new Promise((resolve, reject) => {
    const rows = new Map<string, FleetRow>();
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new UsageError(`nlrx fleet: the ${kind} table did not load within 15 s.`));
    }, 15_000);
    const subscription = fleetSource(fleet, { goneAfterMs })({ kind: kind as never, filter: host === undefined ? undefined : { host } })
      .subscribe({
        next: (e) => {
          if (e.type === 'add' || e.type === 'change') rows.set(e.key, e.value as FleetRow);
          else if (e.type === 'remove') rows.delete(e.key);
          else if (e.type === 'synced') {
            clearTimeout(timer);
            queueMicrotask(() => subscription.unsubscribe());
            resolve([...rows.values()]);
          }
        },
        error: (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      });
  });
}

function byHost<T>(rows: readonly FleetRow[]): Map<string, T[]> {
  const hosts = new Map<string, T[]>();
  for (const row of rows) {
    let list = hosts.get(row.host);
    if (list === undefined) hosts.set(row.host, (list = []));
    list.push(row as unknown as T);
  }
  return hosts;
}

/** The format `ip` uses for `kind` on a host whose links are `links`. */
function formatFor(ctx: CliContext, kind: LiveKind, links: readonly Link[], addresses: readonly Address[]): ObjectFormat<unknown> {
  const byIndex = new Map(links.map((l) => [l.ifindex, l]));
  const names: LinkNames = {
    name: (ifindex) => indexName(byIndex, ifindex),
    index: (name) => links.find((l) => l.ifname === name)?.ifindex,
  };
  const view: LinkView = { byIndex, doLink: kind === 'links', details: ctx.details, stats: ctx.stats };
  let format: ObjectFormat<never>;
  if (kind === 'routes') format = routeFormat({ links: names, details: ctx.details, stats: ctx.stats, table: false, oif: false, protocol: false });
  else if (kind === 'links') format = linkFormat(view);
  else if (kind === 'addresses') {
    const groups = new Map<number, Address[]>();
    for (const a of addresses) groups.set(a.ifindex, [...(groups.get(a.ifindex) ?? []), a]);
    format = linkAddressesFormat({
      view, packet: false, labels: false, addresses: (link) => groups.get(link.ifindex) ?? [], selected: () => true, shown: () => true,
    });
  } else if (kind === 'neighbors') format = neighborFormat({ devName: names.name, showDev: true, stats: ctx.stats });
  else if (kind === 'rules') format = ruleFormat(ctx.details);
  else format = nexthopFormat(names, ctx.details);
  return format as ObjectFormat<unknown>;
}

/** What `ip KIND show` (table all for routes) lists of a host's rows, in its order. */
function shownRows(kind: LiveKind, rows: unknown[], ctx: CliContext): unknown[] {
  const family = ctx.family === 'inet' ? 2 : ctx.family === 'inet6' ? 10 : undefined;
  let list = rows;
  if (family !== undefined) list = list.filter((r) => (r as { family?: number }).family === family);
  if (kind === 'neighbors') {
    list = list.filter((r) => {
      const n = r as Neighbor;
      return (n.state & 0xff & ~NUD_NOARP) !== 0 || (n.flags & (NTF_PROXY | NTF_EXT_LEARNED)) !== 0;
    });
  }
  if (kind === 'links') list = [...list].sort((a, b) => (a as Link).ifindex - (b as Link).ifindex);
  if (kind === 'rules') list = [...list].sort((a, b) => ((a as Rule).priority ?? 0) - ((b as Rule).priority ?? 0));
  if (kind === 'nexthops') list = [...list].sort((a, b) => ((a as Nexthop).id ?? 0) - ((b as Nexthop).id ?? 0));
  return list;
}

/** Names on stderr the hosts whose heartbeat says they are gone. */
async function reportGone(fleet: FleetConnection, shown: ReadonlySet<string>, host: string | undefined): Promise<void> {
  const beats = await fleet.bucket.read(host === undefined ? '*.heartbeat' : fleetHeartbeatKey(host));
  const decoder = new TextDecoder();
  for (const entry of beats.values()) {
    let beat: FleetHeartbeat;
    try {
      beat = JSON.parse(decoder.decode(entry.value)) as FleetHeartbeat;
    } catch {
      continue;
    }
    if (shown.has(beat.host)) continue;
    const age = Math.round((Date.now() - entry.created.getTime()) / 1000);
    process.stderr.write(`nlrx fleet: host ${beat.host} is gone (${beat.stopped === true ? 'stopped' : 'silent'}, last heartbeat ${age} s ago): its rows are not shown\n`);
  }
}

/**
 * run prints the fleet's table once.
 *
 * @example
 * // nlrx fleet --nats nats://10.0.0.5:4222 -j route
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb === 'help') throw new UsageError(USAGE);
  const options = parse(ctx, args);
  const kind = options.table!;
  if (options.host !== undefined) {
    try {
      checkHostName(options.host);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const fleet = await connectFleet(connectOptions(options.nats, 'nlrx fleet', USAGE));
  try {
    const [rows, links, addresses] = await Promise.all([
      current(fleet, kind, options.host, options.goneAfterMs),
      kind === 'rules' ? Promise.resolve([]) : current(fleet, 'links', options.host, options.goneAfterMs),
      kind === 'addresses' ? current(fleet, 'addresses', options.host, options.goneAfterMs) : Promise.resolve([]),
    ]);
    const linksOf = byHost<Link>(links);
    const addressesOf = byHost<Address>(addresses);
    const hosts = kind === 'addresses' ? linksOf : byHost<unknown>(rows);
    const names = [...hosts.keys()].sort();
    const width = Math.max(4, ...names.map((h) => h.length));
    let out = '';
    for (const host of names) {
      const format = formatFor(ctx, kind, linksOf.get(host) ?? [], addressesOf.get(host) ?? []);
      const list = shownRows(kind, kind === 'addresses' ? linksOf.get(host) ?? [] : hosts.get(host) ?? [], ctx);
      for (const row of list) {
        if (ctx.json) {
          const json = format.json(row);
          out += `{"host":${JSON.stringify(host)}${json === '{}' ? '' : `,${json.slice(1, -1)}`}}\n`;
        } else {
          out += format.text(row).replace(/^(?=.)/gm, `${host.padEnd(width)}  `);
        }
        if (out.length > 1 << 16) {
          ctx.write(out);
          out = '';
        }
      }
    }
    ctx.write(out);
    await reportGone(fleet, new Set(names), options.host);
  } finally {
    await fleet.close();
  }
}
