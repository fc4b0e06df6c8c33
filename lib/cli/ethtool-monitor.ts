/**
 * `nlrx [-n NETNS] ethtool --monitor [OPTION] [DEV | *]`: the ethtool
 * family's notifications as `ethtool --monitor` prints them — each in the
 * text of the command that shows that setting, names of compact bitsets
 * from the kernel's global string sets — until SIGINT or SIGTERM.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { UsageError, type CliContext } from './cli-context.js';
import { channelsFormat, coalesceFormat, featuresText, pauseFormat, ringsFormat } from './ethtool-format.js';
import { settingsText, type EthtoolSettings } from './ethtool-settings-format.js';
import { netlinkErrorText } from './ethtool-errors.js';
import { globalStringSets, type EthtoolStrings } from './ethtool-string-sets.js';
import { untilInterrupted } from './until-interrupted.js';
import { genl } from '../client/genl.js';
import { NetlinkKernelError } from '../errors.js';
import type { GenlNotification } from '../genl/genl-family.js';
import {
  ETH_SS_FEATURES, ETH_SS_LINK_MODES, ETH_SS_MSG_CLASSES, ETH_SS_WOL_MODES, ethtoolFamily, namedBitset,
  type EthtoolBitset,
} from '../genl/ethtool.js';

type Kind = keyof NonNullable<typeof ethtoolFamily.events>['notifications'];
type Notification = GenlNotification<NonNullable<typeof ethtoolFamily.events>['notifications']>;

/** ethtool's monitor options (monitor_opts[]): each names the notifications it shows. */
const OPTIONS: readonly (readonly [readonly string[], readonly Kind[]])[] = [
  [['-s', '--change'], ['linkInfo', 'linkModes', 'wol', 'debug']],
  [['-k', '--show-features', '--show-offload', '-K', '--features', '--offload'], ['features']],
  [['-g', '--show-ring', '-G', '--set-ring'], ['rings']],
  [['-l', '--show-channels', '-L', '--set-channels'], ['channels']],
  [['-c', '--show-coalesce', '-C', '--coalesce'], ['coalesce']],
  [['-a', '--show-pause', '-A', '--pause'], ['pause']],
  [['--show-eee', '--set-eee'], ['eee']],
];
const ALL: readonly Kind[] = OPTIONS.flatMap(([, kinds]) => kinds);

/**
 * parse_monitor(): an option (its kinds; none or `--all`: every kind), then
 * a device (`*`: every device). An option ethtool does not know is refused
 * with its message, which names the argument after it (`(null)` if none).
 */
function parseMonitorArgs(args: readonly string[]): { kinds: ReadonlySet<Kind>; device?: string } {
  let rest = args;
  let option = '';
  if (rest[0]?.startsWith('-')) [option, ...rest] = rest;
  const kinds = option === '' || option === '--all' ? ALL : OPTIONS.find(([names]) => names.includes(option))?.[1];
  if (kinds === undefined) throw new UsageError(`monitoring for option '${rest[0] ?? '(null)'}' not supported`, 1);
  return { kinds: new Set(kinds), device: rest[0] === undefined || rest[0] === '*' ? undefined : rest[0] };
}

/** The global string sets that name the bits of notifications' compact bitsets. */
const NAMED_SETS = [ETH_SS_FEATURES, ETH_SS_LINK_MODES, ETH_SS_MSG_CLASSES, ETH_SS_WOL_MODES];

/**
 * One notification in ethtool's monitor text: the settings kinds under their
 * own `Settings for DEV:` banner, the others after a blank line (show_cr()
 * in monitor mode), as the matching show command prints them. Kinds nlrx
 * has no printer for (EEE) print nothing.
 */
function notificationText(n: Notification, names: ReadonlyMap<number | undefined, EthtoolStrings>): string {
  const device = n.object.header?.ifname ?? '';
  const named = (bitset: EthtoolBitset | undefined, set: number) => bitset && namedBitset(bitset, names.get(set) ?? []);
  const settings = (part: EthtoolSettings) => settingsText(device, part) ?? '';
  switch (n.kind) {
    case 'features': {
      const f = n.object;
      return `\n${featuresText(device, {
        ...f, hw: named(f.hw, ETH_SS_FEATURES), wanted: named(f.wanted, ETH_SS_FEATURES),
        active: named(f.active, ETH_SS_FEATURES), nochange: named(f.nochange, ETH_SS_FEATURES),
      })}`;
    }
    case 'linkModes':
      return settings({ linkModes: { ...n.object, ours: named(n.object.ours, ETH_SS_LINK_MODES), peer: named(n.object.peer, ETH_SS_LINK_MODES) } });
    case 'linkInfo':
      return settings({ linkInfo: n.object });
    case 'wol':
      return settings({ wol: { ...n.object, modes: named(n.object.modes, ETH_SS_WOL_MODES) } });
    case 'debug':
      return settings({ debug: { ...n.object, msgmask: named(n.object.msgmask, ETH_SS_MSG_CLASSES) } });
    case 'rings':
      return `\n${ringsFormat.text(n.object)}`;
    case 'channels':
      return `\n${channelsFormat.text(n.object)}`;
    case 'coalesce':
      return `\n${coalesceFormat.text(n.object)}`;
    case 'pause':
      return `\n${pauseFormat.text(n.object)}`;
    default:
      return '';
  }
}

/**
 * runEthtoolMonitor executes `nlrx ethtool --monitor …`: "listening..." once
 * the monitor group is joined, then every notification of the kinds and
 * device asked for, until SIGINT or SIGTERM. A lost notification (overrun)
 * is said on stderr; monitoring goes on.
 *
 * @example
 * await runEthtoolMonitor(ctx, ['-k', 'v0']);
 */
export async function runEthtoolMonitor(ctx: CliContext, args: readonly string[]): Promise<void> {
  const { kinds, device } = parseMonitorArgs(args);
  const client = genl({ netns: ctx.netns });
  try {
    const names = await globalStringSets(client, NAMED_SETS);
    // preload_perdev_strings(): a device that is not there is said, and monitoring goes on (its name may come).
    if (device !== undefined) {
      await lastValueFrom(client.use(ethtoolFamily).strings({ ifname: device }).pipe(toArray())).catch((error: unknown) => {
        if (!(error instanceof NetlinkKernelError)) throw error;
        process.stderr.write(netlinkErrorText(error));
      });
    }
    await untilInterrupted(client.notifications(ethtoolFamily), (n) => {
      if (n.type === 'overrun') {
        process.stderr.write(`ethtool --monitor: notifications lost (${n.error.message})\n`);
        return;
      }
      if (!kinds.has(n.kind) || (device !== undefined && n.object.header?.ifname !== device)) return;
      const text = notificationText(n, names);
      if (text !== '') ctx.write(text);
    }, () => {
      // The family is cached: the group is joined within this turn's microtasks, so this comes after.
      setImmediate(() => ctx.write('listening...\n'));
    });
  } finally {
    client.close();
  }
}
