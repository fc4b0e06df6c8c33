/**
 * A generic netlink family's table (a `GenlTable` of its description) as a
 * spec of the live-table engine, once the family is resolved: the groups by
 * their ids, notifications told apart by the genlmsghdr command, the list
 * command's dump on the family's id.
 */
import type { Observable } from 'rxjs';
import { NETLINK_GENERIC, type NetlinkMessage } from '../codec/header.js';
import type { MessageDescription } from '../codec/message-description.js';
import { GenlFamilyNotFoundError } from '../genl/family-not-found-error.js';
import { GENL_HDRLEN } from '../genl/genl-constants.js';
import type { GenlCommand, GenlFamilyDescription, GenlNotificationKind, GenlTable } from '../genl/genl-family.js';
import { genlDumpRequest } from '../genl/genl-header.js';
import type { GenlFamily } from '../genl/nlctrl.js';
import { dumpObjects } from '../rx/dump-objects.js';
import type { DumpOptions } from '../rx/dump-options.js';
import type { LiveKindSpec } from './live-kind.js';

// The genlmsghdr follows the 16-byte nlmsghdr; its command is its first byte.
const GENL_CMD_OFFSET = 16;

/** A row's identity: the value at the table's key path. */
function keyOf(path: string | readonly string[]): (row: unknown) => string {
  const steps = typeof path === 'string' ? [path] : path;
  return (row) => {
    let value: unknown = row;
    for (const step of steps) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[step];
    return String(value ?? '');
  };
}

/**
 * genlLiveKind makes the engine's spec of table `name` of a described family,
 * resolved as `family` (its id, version and multicast groups now). A group
 * or table the family lacks is a `GenlFamilyNotFoundError` naming it.
 *
 * @example
 * const spec = genlLiveKind(netdevFamily, 'devices', await genl().family('netdev'));
 * spec.groups({}); // [the id of netdev's 'mgmt' group]
 */
export function genlLiveKind<T, F>(
  description: GenlFamilyDescription<unknown, unknown, unknown>,
  name: string,
  family: GenlFamily,
): LiveKindSpec<T, F> {
  const events = description.events;
  const tables = (events?.tables ?? {}) as Record<string, GenlTable | undefined>;
  const table = Object.prototype.hasOwnProperty.call(tables, name) ? tables[name] : undefined;
  const command = table && (description.commands as Record<string, GenlCommand<T, F> | undefined>)[table.list];
  if (!events || !table || !command) throw new GenlFamilyNotFoundError(`${description.name}/${name}`);
  const groups = (table.groups ?? events.groups).map((group) => {
    const id = family.mcastGroups?.find((g) => g.name === group)?.id;
    if (id === undefined) throw new GenlFamilyNotFoundError(`${description.name}/${group}`);
    return id;
  });
  const id = family.id!;
  const version = family.version ?? 1;
  const notifications = events.notifications as Record<string, GenlNotificationKind<T>>;
  const byCmd = new Map<number, { del: boolean; message: MessageDescription<T> }>();
  for (const [names, del] of [[table.upsert, false], [table.remove ?? [], true]] as const) {
    for (const kind of names) {
      const notification = notifications[kind];
      if (notification === undefined) throw new GenlFamilyNotFoundError(`${description.name}/${kind}`);
      byCmd.set(notification.cmd, { del, message: notification.message });
    }
  }
  const { message, match } = command;
  const values = command.request?.((table.listFilter ?? {}) as F);
  const payload = values === undefined ? undefined : message.encode({ cmd: command.cmd, genlVersion: version }, values).subarray(GENL_HDRLEN);
  return {
    kind: `${description.name}/${name}`,
    protocol: NETLINK_GENERIC,
    newType: undefined,
    delType: undefined,
    classify(msg: NetlinkMessage) {
      const known = msg.type === id && msg.length > GENL_CMD_OFFSET ? byCmd.get(msg.data[msg.offset + GENL_CMD_OFFSET]) : undefined;
      return known === undefined ? undefined : known.del ? 'del' : 'new';
    },
    groups: () => groups,
    decode: (msg) => (byCmd.get(msg.data[msg.offset + GENL_CMD_OFFSET])?.message ?? message).decode(msg),
    accept: (row, filter) => match === undefined || match(row, filter),
    // Always a dump of the whole table: a watcher's filter naming a device that goes away must not fail the re-read.
    dump: (_filter: F, options: DumpOptions): Observable<T> =>
      dumpObjects(genlDumpRequest(id, command.cmd, version, payload), (msg) => (msg.type === id ? message.decode(msg) : undefined), options),
    key: keyOf(table.key),
    // Rows carry the command of the message they came from: a GET reply's, or a notification's.
    volatile: new Set(['cmd', 'genlVersion', ...(table.volatile ?? [])]),
    flushTriggers: [],
    poll: table.poll,
  };
}
