/**
 * A generic netlink family as a description: its name, and per command the
 * message its replies are (a `MessageDescription`) and how a filter becomes
 * the request's attributes. `genl().use(family)` turns it into typed dumps —
 * adding a family is writing one of these, not a module of code.
 */
import type { FieldValues, MessageDescription } from '../codec/message-description.js';

/**
 * GenlCommand describes one dumpable command of a family: its number, the
 * description of its replies (type `T`) and the request attributes of a
 * filter (type `F`).
 *
 * @example
 * const channels: GenlCommand<EthtoolChannels, EthtoolFilter> = { cmd: 17, message: channelsMessage, request: headerRequest };
 */
export interface GenlCommand<T, F> {
  readonly cmd: number;
  readonly message: MessageDescription<T>;
  /** The request's attribute values (field names of `message`'s attribute set) for a filter. */
  readonly request?: (filter: F) => FieldValues;
  /**
   * Whether a reply answers the filter. A dump may not filter in the kernel
   * (ethtool dumps every device whatever the request header names): the
   * client applies this to every reply, so the result is the same either way.
   */
  readonly match?: (reply: T, filter: F) => boolean;
  /** Whether a filter names one object: the request is then a "do" request (no NLM_F_DUMP) for it. */
  readonly single?: (filter: F) => boolean;
}


/**
 * GenlNotificationKind describes one notification a family multicasts: the
 * genlmsghdr command it carries and the description of its message (most
 * often the same as the GET reply's).
 *
 * @example
 * const features: GenlNotificationKind<EthtoolFeatures> = { cmd: ETHTOOL_MSG_FEATURES_NTF, message: featuresMessage };
 */
export interface GenlNotificationKind<T> {
  readonly cmd: number;
  readonly message: MessageDescription<T>;
}

/**
 * GenlNotification is one decoded notification of a described family: the
 * notification's name in the description (`kind`), its genlmsghdr command
 * and the object.
 *
 * @example
 * if (n.type === 'notification' && n.kind === 'features') console.log(n.object.header?.ifname);
 */
export type GenlNotification<N> = {
  [K in keyof N]: {
    readonly type: 'notification';
    readonly kind: K;
    readonly cmd: number;
    readonly object: N[K] extends GenlNotificationKind<infer T> ? T : never;
  }
}[keyof N];

/**
 * GenlTable describes a family's table for `genl().watch()`: which command's
 * dump lists it, what identifies a row, and which notifications keep it
 * true — those that carry a row whole (`upsert`: added, or replacing the row
 * of its key) and those that remove one. Rows that come or go without a
 * notification (ethtool announces no device's arrival or departure) are
 * found by re-reading the table every `poll` ms and comparing.
 *
 * @example
 * const devices: GenlTable<'devices', 'devAdd' | 'devDel' | 'devChange'> = {
 *   list: 'devices', key: 'ifindex', upsert: ['devAdd', 'devChange'], remove: ['devDel'],
 * };
 */
export interface GenlTable<L extends string = string, N extends string = string> {
  /** The command (its name in the family's commands) whose dump lists the rows. */
  readonly list: L;
  /**
   * The filter the list request is always made with (not the watcher's: the
   * table is dumped whole and the watcher's filter applied to each row, so a
   * device that goes away cannot fail the re-read). ethtool: compact
   * bitsets, as its notifications carry them.
   */
  readonly listFilter?: Readonly<Record<string, unknown>>;
  /** The row's identity: a field of the row, or the path to one (`['header', 'ifindex']`). */
  readonly key: string | readonly string[];
  /**
   * The multicast groups this table's notifications come on, when not the
   * family's default groups (netdev's page pools: 'page-pool', not 'mgmt').
   */
  readonly groups?: readonly string[];
  /** Notifications (names in `notifications`) that carry a whole row: added, or replacing the row of its key. */
  readonly upsert: readonly N[];
  /** Notifications that remove the row of their key. */
  readonly remove?: readonly N[];
  /**
   * Re-read and compare every this many ms (at least ten times the last
   * dump's duration apart): the only way rows that nothing announces appear
   * and vanish. Without it the notifications alone keep the table.
   */
  readonly poll?: number;
  /** Top-level fields that change unannounced, ignored when comparing (the genlmsghdr's `cmd` and `genlVersion` always are). */
  readonly volatile?: readonly string[];
}

/**
 * GenlFamilyEvents are the multicast side of a family: the groups to join by
 * default, the notifications by name, and the tables `genl().watch()` keeps
 * with them.
 *
 * @example
 * const events: GenlFamilyEvents<{ features: GenlNotificationKind<EthtoolFeatures> }> = {
 *   groups: ['monitor'], notifications: { features: { cmd: 13, message: featuresMessage } },
 * };
 */
export interface GenlFamilyEvents<N, W = Record<never, never>> {
  readonly groups: readonly string[];
  readonly notifications: N;
  readonly tables?: W;
}

/**
 * GenlFamilyDescription is a family described: the name nlctrl knows it by,
 * its commands and, when it multicasts, its notifications and tables.
 *
 * @example
 * genl({ netns: 'blue' }).use(ethtoolFamily).channels({ ifname: 'v0' }).subscribe(console.log);
 */
export interface GenlFamilyDescription<C, N = Record<never, never>, W = Record<never, never>> {
  readonly name: string;
  readonly commands: C;
  readonly events?: GenlFamilyEvents<N, W>;
}

/**
 * GenlTableRow is the row type of table `K` of a description: the reply type
 * of the command that lists it.
 *
 * @example
 * let device: GenlTableRow<typeof netdevFamily, 'devices'>; // NetdevDevice
 */
export type GenlTableRow<D, K> = D extends GenlFamilyDescription<infer C, unknown, infer W>
  ? K extends keyof W ? W[K] extends { list: infer L } ? L extends keyof C
    ? C[L] extends GenlCommand<infer T, never> ? T : never : never : never : never
  : never;

/**
 * GenlTableFilter is the filter of table `K` of a description: that of the
 * command that lists it, applied to each row.
 *
 * @example
 * const only: GenlTableFilter<typeof ethtoolFamily, 'features'> = { ifname: 'v0' };
 */
export type GenlTableFilter<D, K> = D extends GenlFamilyDescription<infer C, unknown, infer W>
  ? K extends keyof W ? W[K] extends { list: infer L } ? L extends keyof C
    ? C[L] extends { match?: (reply: never, filter: infer F) => boolean } ? NonNullable<F> : never : never : never : never
  : never;

/**
 * describeGenlFamily makes a family description from its name, commands and
 * (optionally) the notifications its multicast groups carry and the tables
 * they keep.
 *
 * @example
 * export const wireguardFamily = describeGenlFamily('wireguard', {
 *   devices: { cmd: WG_CMD_GET_DEVICE, message: deviceMessage, request: (f: { ifname: string }) => ({ ifname: f.ifname }) },
 * });
 */
export function describeGenlFamily<
  C, N = Record<never, never>,
  W extends { readonly [K in keyof W]: GenlTable<keyof C & string, keyof N & string> } = Record<never, never>,
>(name: string, commands: C, events?: GenlFamilyEvents<N, W>): GenlFamilyDescription<C, N, W> {
  return { name, commands, events };
}
