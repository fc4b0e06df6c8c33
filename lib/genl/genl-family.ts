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
 * GenlFamilyEvents are the multicast side of a family: the groups to join by
 * default and the notifications, by name.
 *
 * @example
 * const events: GenlFamilyEvents<{ features: GenlNotificationKind<EthtoolFeatures> }> = {
 *   groups: ['monitor'], notifications: { features: { cmd: 13, message: featuresMessage } },
 * };
 */
export interface GenlFamilyEvents<N> {
  readonly groups: readonly string[];
  readonly notifications: N;
}

/**
 * GenlFamilyDescription is a family described: the name nlctrl knows it by,
 * its commands and, when it multicasts, its notifications.
 *
 * @example
 * genl({ netns: 'blue' }).use(ethtoolFamily).channels({ ifname: 'v0' }).subscribe(console.log);
 */
export interface GenlFamilyDescription<C, N = Record<never, never>> {
  readonly name: string;
  readonly commands: C;
  readonly events?: GenlFamilyEvents<N>;
}

/**
 * describeGenlFamily makes a family description from its name, commands and
 * (optionally) the notifications its multicast groups carry.
 *
 * @example
 * export const wireguardFamily = describeGenlFamily('wireguard', {
 *   devices: { cmd: WG_CMD_GET_DEVICE, message: deviceMessage, request: (f: { ifname: string }) => ({ ifname: f.ifname }) },
 * });
 */
export function describeGenlFamily<C, N = Record<never, never>>(
  name: string, commands: C, events?: GenlFamilyEvents<N>,
): GenlFamilyDescription<C, N> {
  return { name, commands, events };
}
