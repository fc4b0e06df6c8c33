/**
 * `nlrx [-n NETNS] [-j] ethtool [-i|-S|-l|-g|-c|-a|-k] DEV`: a device's link
 * settings, driver, statistics, channels, rings, coalescing, pause or
 * features as the `ethtool` command prints them. The settings and `-l -g -c
 * -a -k` go over the ethtool generic netlink family (a request for that
 * device alone, so a driver without channels fails as ethtool does: "netlink
 * error: Operation not supported", exit 1); `-i` and `-S` over the ethtool
 * ioctl, as ethtool does, with its messages and exit codes (71; 94, 96, 97).
 */
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { UsageError, type CliContext } from '../cli-context.js';
import {
  channelsFormat, coalesceFormat, driverInfoFormat, featuresText, namedStandardStats, pauseFormat, ringsFormat,
  standardStatsFormat, statisticsFormat, tsinfoFormat,
} from '../ethtool-format.js';
import { ethtoolStrerror, netlinkErrorText } from '../ethtool-errors.js';
import { runEthtoolMonitor } from '../ethtool-monitor.js';
import { globalStringSets } from '../ethtool-string-sets.js';
import { settingsText, type EthtoolSettings } from '../ethtool-settings-format.js';
import { objectOutput, type ObjectFormat } from '../object-output.js';
import { genl } from '../../client/genl.js';
import { links } from '../../route/link.js';
import type { Link } from '../../route/link-decode.js';
import { NetlinkError, NetlinkKernelError } from '../../errors.js';
import { ETHTOOL_GSTATS, type EthtoolIoctl } from '../../ethtool/ethtool-ioctl-decode.js';
import { NETLINK_GENERIC } from '../../codec/header.js';
import { NetlinkSocket } from '../../transport/netlink-socket.js';
import { driverInfo, statistics } from '../../ethtool/ethtool-ioctl.js';
import {
  ETH_SS_STATS_STD, ethtoolFamily,
} from '../../genl/ethtool.js';

const USAGE = 'Usage: nlrx [-n NETNS] [-j] ethtool [-i|-S|-P|-l|-g|-c|-a|-k|-T] DEV | -S DEV --all-groups | -S DEV --groups NAME… | --monitor [OPTION] [DEV]';


/**
 * run executes `nlrx ethtool <args>`.
 *
 * @example
 * await run(ctx, 'show', ['-l', 'v0']);
 */
export async function run(ctx: CliContext, verb: string, args: readonly string[]): Promise<void> {
  if (verb !== 'help' && args.length === 1 && !args[0].startsWith('-')) return settings(ctx, args[0]);
  const [option, device] = args;
  if (verb !== 'help' && option === '--monitor') return runEthtoolMonitor(ctx, args.slice(1));
  if (verb !== 'help' && option === '-S' && device !== undefined && args.length > 2) {
    return standardStats(ctx, device, statsGroupsOption(args.slice(2)));
  }
  if (verb === 'help' || !['-i', '-S', '-P', '-l', '-g', '-c', '-a', '-k', '-T'].includes(option) || device === undefined || args.length !== 2) {
    throw new UsageError(USAGE);
  }
  if (option === '-i' || option === '-S') return ioctlQuery(ctx, option, device);
  if (option === '-P') return permanentAddress(ctx, device);
  const client = genl({ netns: ctx.netns });
  const ethtool = client.use(ethtoolFamily);
  try {
    const filter = { ifname: device };
    if (option === '-l') await print(ctx, ethtool.channels(filter), channelsFormat);
    else if (option === '-g') await print(ctx, ethtool.rings(filter), ringsFormat);
    else if (option === '-c') await print(ctx, ethtool.coalesce(filter), coalesceFormat);
    else if (option === '-a') await print(ctx, ethtool.pause(filter), pauseFormat);
    else if (option === '-T') await print(ctx, ethtool.tsinfo(filter), tsinfoFormat);
    else {
      const [features] = await lastValueFrom(ethtool.features({ ifname: device }).pipe(toArray()));
      if (ctx.json) ctx.write(`${JSON.stringify([features])}\n`);
      else if (features) ctx.write(featuresText(device, features));
    }
  } catch (error) {
    if (!(error instanceof NetlinkKernelError)) throw error;
    throw new UsageError(netlinkErrorText(error).trimEnd());
  } finally {
    client.close();
  }
}

/** The longest name the ioctl's struct ifreq holds (IFNAMSIZ - 1). */
const IFNAMSIZ_MAX = 15;

/**
 * `-i` and `-S`: the ethtool ioctl, as do_gdrv() and do_gnicstats() call it
 * and word their failures (perror of the step that failed; exit 71, or 96
 * for the names, 97 for the counters, 94 for a driver without statistics).
 */
async function ioctlQuery(ctx: CliContext, option: '-i' | '-S', device: string): Promise<void> {
  if (device.length > IFNAMSIZ_MAX) {
    // As ethtool words it: -S has a netlink handler, which declined (no statistics groups asked for).
    const why = option === '-S' ? 'ioctl-only request' : 'ethtool netlink support for subcommand missing';
    throw new UsageError(`${why}, device name longer than ${IFNAMSIZ_MAX} not supported`, 1);
  }
  // The step that failed decides the message: the ioctl's command is its struct's first u32.
  let step = 0;
  const socket = new NetlinkSocket(NETLINK_GENERIC, { netns: ctx.netns });
  const io: EthtoolIoctl = (name, data) => {
    step = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
    socket.ethtool(name, data);
  };
  try {
    if (option === '-i') return await print(ctx, [driverInfo(io, device)], driverInfoFormat);
    const stats = statistics(io, device);
    if (stats.statistics.length === 0) throw new UsageError('no stats available', 94);
    return await print(ctx, [stats], statisticsFormat);
  } catch (error) {
    if (!(error instanceof NetlinkError)) throw error;
    const [what, status] = option === '-i' ? ['driver information', 71]
      : step === ETHTOOL_GSTATS ? ['stats information', 97] : ['stats strings information', 96];
    throw new UsageError(`Cannot get ${what}: ${ethtoolStrerror(error.code) ?? error.message}`, status);
  } finally {
    socket.close();
  }
}

/**
 * `-P DEV`: the permanent hardware address, which ethtool reads from
 * rtnetlink (IFLA_PERM_ADDRESS; the kernel leaves it out when it is all
 * zeros: "not set"). A missing device: "netlink error: No such device".
 */
async function permanentAddress(ctx: CliContext, device: string): Promise<void> {
  let found: Link[];
  try {
    found = await lastValueFrom(links({ ifname: device }, { netns: ctx.netns }).pipe(toArray()));
  } catch (error) {
    if (!(error instanceof NetlinkKernelError)) throw error;
    throw new UsageError(netlinkErrorText(error).trimEnd());
  }
  const link = found.find((l) => l.ifname === device);
  if (link === undefined) throw new UsageError(`netlink error: ${ethtoolStrerror('ENODEV')}`);
  if (ctx.json) ctx.write(`${JSON.stringify([{ ifname: link.ifname, permAddress: link.permAddress ?? null }])}\n`);
  else ctx.write(`Permanent address: ${link.permAddress ?? 'not set'}\n`);
}

/**
 * The parameters after `-S DEV`, as ethtool's nl_parser reads them:
 * `--all-groups`, or `--groups` and the names up to the next parameter
 * (both fill the same attribute: a second is a duplicate). `'all'` or the
 * names.
 */
function statsGroupsOption(args: readonly string[]): 'all' | string[] {
  const fail = (message: string) => new UsageError(`ethtool (-S): ${message}`, 1);
  let groups: 'all' | string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const parameter = args[i];
    if (parameter !== '--all-groups' && parameter !== '--groups') throw fail(`unknown parameter '${parameter}'`);
    if (groups !== undefined) throw fail(`duplicate parameter '${parameter}'`);
    if (parameter === '--all-groups') {
      groups = 'all';
      continue;
    }
    const names: string[] = [];
    while (i + 1 < args.length && args[i + 1] !== '--all-groups' && args[i + 1] !== '--groups') names.push(args[++i]);
    if (names.length === 0) throw fail(`no value for parameter '${parameter}'`);
    groups = names;
  }
  return groups!;
}

/**
 * `-S DEV --all-groups | --groups NAME…`: the standard statistics over
 * netlink (ETHTOOL_MSG_STATS_GET), each group and counter named from the
 * kernel's global string sets, as nl_gstats() prints them.
 */
async function standardStats(ctx: CliContext, device: string, asked: 'all' | string[]): Promise<void> {
  const client = genl({ netns: ctx.netns });
  try {
    const std = (await globalStringSets(client, [ETH_SS_STATS_STD])).get(ETH_SS_STATS_STD) ?? [];
    const groups = asked === 'all' ? std.map((s) => s.value ?? '') : asked;
    const [reply] = await lastValueFrom(client.use(ethtoolFamily).stats({ ifname: device, groups }).pipe(toArray()));
    const names = await globalStringSets(client, [...new Set((reply?.groups ?? []).map((g) => g.ssId ?? -1))].filter((id) => id >= 0));
    await print(ctx, [namedStandardStats(reply, std, names)], standardStatsFormat);
  } catch (error) {
    if (!(error instanceof NetlinkKernelError)) throw error;
    throw new UsageError(netlinkErrorText(error).trimEnd());
  } finally {
    client.close();
  }
}

/** One device's reply in ethtool's text, or as JSON. */
async function print<T>(ctx: CliContext, replies: Observable<T> | readonly T[], format: ObjectFormat<T>): Promise<void> {
  const out = objectOutput(ctx, format);
  for (const reply of Array.isArray(replies) ? replies : await lastValueFrom((replies as Observable<T>).pipe(toArray()))) out.push(reply);
  out.end();
}


/**
 * `ethtool DEV`: five requests in ethtool's order, each failing on its own —
 * EOPNOTSUPP silently (the device lacks that part), any other error printed
 * as ethtool prints it; when nothing was printed, "No data available" and
 * exit status 75 as ethtool's nl_gset().
 */
async function settings(ctx: CliContext, device: string): Promise<void> {
  const client = genl({ netns: ctx.netns });
  const ethtool = client.use(ethtoolFamily);
  const filter = { ifname: device };
  let errors = '';
  const one = async <T>(replies: Observable<T>): Promise<T | undefined> => {
    try {
      return (await lastValueFrom(replies.pipe(toArray())))[0];
    } catch (error) {
      if (!(error instanceof NetlinkKernelError)) throw error;
      if (error.code !== 'EOPNOTSUPP') errors += netlinkErrorText(error);
      return undefined;
    }
  };
  try {
    const replies: EthtoolSettings = {
      linkModes: await one(ethtool.linkModes(filter)),
      linkInfo: await one(ethtool.linkInfo(filter)),
      wol: await one(ethtool.wol(filter)),
      debug: await one(ethtool.debug(filter)),
      linkState: await one(ethtool.linkState(filter)),
    };
    const text = ctx.json ? `${JSON.stringify([replies])}\n` : settingsText(device, replies);
    if (text !== undefined) {
      ctx.write(text);
      if (errors !== '') process.stderr.write(errors);
      return;
    }
    ctx.write('No data available\n');
    throw new UsageError(errors.trimEnd(), 75);
  } finally {
    client.close();
  }
}
