/**
 * ethtool replies as the `ethtool` command prints them (netlink/*.c of
 * ethtool 6.1), byte for byte: `-l` (channels), `-g` (rings), `-c`
 * (coalescing), `-a` (pause) and `-k` (features), and from the ioctl `-i`
 * (driver information) and `-S` (driver statistics).
 */
import type {
  EthtoolBitset, EthtoolChannels, EthtoolCoalesce, EthtoolFeatures, EthtoolHistogramBucket, EthtoolPause, EthtoolRings,
  EthtoolStats, EthtoolStringSet, EthtoolTsinfo,
} from '../genl/ethtool.js';
import type { EthtoolDriverInfo, EthtoolStatistics } from '../ethtool/ethtool-ioctl-decode.js';
import type { ObjectFormat } from './object-output.js';

/** show_u32(): the value, or n/a when the driver does not report it. */
const u32 = (label: string, value: number | undefined) => `${label}${value === undefined ? 'n/a' : value}\n`;

/**
 * channelsFormat is how `ethtool -l DEV` prints a device's channels; JSON is
 * the decoded reply.
 *
 * @example
 * channelsFormat.text(channels); // 'Channel parameters for v0:\nPre-set maximums:\nRX:\t\t2\n…'
 */
export const channelsFormat: ObjectFormat<EthtoolChannels> = {
  json: (c) => JSON.stringify(c),
  text: (c) => `Channel parameters for ${c.header?.ifname ?? '?'}:\nPre-set maximums:\n` +
    u32('RX:\t\t', c.rxMax) + u32('TX:\t\t', c.txMax) + u32('Other:\t\t', c.otherMax) + u32('Combined:\t', c.combinedMax) +
    'Current hardware settings:\n' +
    u32('RX:\t\t', c.rxCount) + u32('TX:\t\t', c.txCount) + u32('Other:\t\t', c.otherCount) + u32('Combined:\t', c.combinedCount),
};

/** show_bool(): on, off, or n/a when the driver does not report it. */
const bool = (value: number | undefined) => (value === undefined ? 'n/a' : value ? 'on' : 'off');

/**
 * ringsFormat is how `ethtool -g DEV` prints a device's ring sizes.
 *
 * @example
 * ringsFormat.text(rings); // 'Ring parameters for v0:\nPre-set maximums:\nRX:\t\t4096\n…'
 */
export const ringsFormat: ObjectFormat<EthtoolRings> = {
  json: (r) => JSON.stringify(r),
  text: (r) => {
    let text = `Ring parameters for ${r.header?.ifname ?? '?'}:\nPre-set maximums:\n` +
      u32('RX:\t\t', r.rxMax) + u32('RX Mini:\t', r.rxMiniMax) + u32('RX Jumbo:\t', r.rxJumboMax) + u32('TX:\t\t', r.txMax) +
      'Current hardware settings:\n' +
      u32('RX:\t\t', r.rx) + u32('RX Mini:\t', r.rxMini) + u32('RX Jumbo:\t', r.rxJumbo) + u32('TX:\t\t', r.tx) +
      u32('RX Buf Len:\t\t', r.rxBufLen) + u32('CQE Size:\t\t', r.cqeSize) + `TX Push:\t${bool(r.txPush)}\n`;
    // ETHTOOL_TCP_DATA_SPLIT_UNKNOWN (or absent) is n/a; 1 disabled, 2 enabled.
    const split = r.tcpDataSplit ?? 0;
    text += `TCP data split:\t${split === 0 ? 'n/a' : split === 1 ? 'off' : split === 2 ? 'on' : `unknown(${split})\n`}\n`;
    return text;
  },
};

/**
 * coalesceFormat is how `ethtool -c DEV` prints a device's interrupt
 * coalescing, in ethtool's groups separated by blank lines.
 *
 * @example
 * coalesceFormat.text(coalesce); // 'Coalesce parameters for tp0:\nAdaptive RX: n/a  TX: n/a\n…'
 */
export const coalesceFormat: ObjectFormat<EthtoolCoalesce> = {
  json: (c) => JSON.stringify(c),
  text: (c) => `Coalesce parameters for ${c.header?.ifname ?? '?'}:\n` +
    `Adaptive RX: ${bool(c.useAdaptiveRx)}  TX: ${bool(c.useAdaptiveTx)}\n` +
    u32('stats-block-usecs: ', c.statsBlockUsecs) + u32('sample-interval: ', c.rateSampleInterval) +
    u32('pkt-rate-low: ', c.pktRateLow) + u32('pkt-rate-high: ', c.pktRateHigh) + '\n' +
    u32('rx-usecs: ', c.rxUsecs) + u32('rx-frames: ', c.rxMaxFrames) +
    u32('rx-usecs-irq: ', c.rxUsecsIrq) + u32('rx-frames-irq: ', c.rxMaxFramesIrq) + '\n' +
    u32('tx-usecs: ', c.txUsecs) + u32('tx-frames: ', c.txMaxFrames) +
    u32('tx-usecs-irq: ', c.txUsecsIrq) + u32('tx-frames-irq: ', c.txMaxFramesIrq) + '\n' +
    u32('rx-usecs-low: ', c.rxUsecsLow) + u32('rx-frame-low: ', c.rxMaxFramesLow) +
    u32('tx-usecs-low: ', c.txUsecsLow) + u32('tx-frame-low: ', c.txMaxFramesLow) + '\n' +
    u32('rx-usecs-high: ', c.rxUsecsHigh) + u32('rx-frame-high: ', c.rxMaxFramesHigh) +
    u32('tx-usecs-high: ', c.txUsecsHigh) + u32('tx-frame-high: ', c.txMaxFramesHigh) + '\n' +
    `CQE mode RX: ${bool(c.useCqeModeRx)}  TX: ${bool(c.useCqeModeTx)}\n\n`,
};

/**
 * pauseFormat is how `ethtool -a DEV` prints a device's pause frame settings.
 *
 * @example
 * pauseFormat.text(pause); // 'Pause parameters for v0:\nAutonegotiate:\ton\nRX:\t\ton\nTX:\t\ton\n\n'
 */
export const pauseFormat: ObjectFormat<EthtoolPause> = {
  json: (p) => JSON.stringify(p),
  text: (p) => `Pause parameters for ${p.header?.ifname ?? '?'}:\n` +
    `Autonegotiate:\t${bool(p.autoneg)}\nRX:\t\t${bool(p.rx)}\nTX:\t\t${bool(p.tx)}\n\n`,
};

/**
 * The legacy feature groups `ethtool -k` prints first (ethtool's
 * off_flag_def): a long name and the kernel feature names it covers.
 */
const FEATURE_GROUPS: readonly (readonly [string, RegExp])[] = [
  ['rx-checksumming', /^rx-checksum$/],
  ['tx-checksumming', /^tx-checksum-.*$/],
  ['scatter-gather', /^tx-scatter-gather.*$/],
  ['tcp-segmentation-offload', /^tx-tcp.*-segmentation$/],
  ['udp-fragmentation-offload', /^tx-udp-fragmentation$/],
  ['generic-segmentation-offload', /^tx-generic-segmentation$/],
  ['generic-receive-offload', /^rx-gro$/],
  ['large-receive-offload', /^rx-lro$/],
  ['rx-vlan-offload', /^rx-vlan-hw-parse$/],
  ['tx-vlan-offload', /^tx-vlan-hw-insert$/],
  ['ntuple-filters', /^rx-ntuple-filter$/],
  ['receive-hashing', /^rx-hashing$/],
];

/**
 * featuresText formats a device's features as `ethtool -k DEV` does: the
 * legacy groups (one line, then their features indented, or the one feature
 * under the group's name), then every other feature in bit order; `[fixed]`
 * for what cannot change, `[requested on|off]` where wanted and active differ.
 * Names come from the verbose `hw` bitset (every bit, named).
 *
 * @example
 * featuresText('v0', features); // 'Features for v0:\nrx-checksumming: on\n…'
 */
export function featuresText(device: string, features: EthtoolFeatures): string {
  const named = (features.hw?.bits ?? []).filter((b) => b.index !== undefined && b.name);
  const on = (bitset: EthtoolBitset | undefined, index: number) =>
    bitset?.bits?.some((b) => b.index === index && (bitset.nomask || b.value)) ?? false;
  const line = (index: number, name: string, prefix: string) => {
    let suffix = '';
    if (!on(features.hw, index) || on(features.nochange, index)) suffix = ' [fixed]';
    else if (on(features.active, index) !== on(features.wanted, index)) {
      suffix = on(features.wanted, index) ? ' [requested on]' : ' [requested off]';
    }
    return `${prefix}${name}: ${on(features.active, index) ? 'on' : 'off'}${suffix}\n`;
  };
  let text = `Features for ${device}:\n`;
  const grouped = new Set<number>();
  for (const [group, pattern] of FEATURE_GROUPS) {
    const members = named.filter((b) => pattern.test(b.name!));
    if (members.length === 1) text += line(members[0].index!, group, '');
    else if (members.length > 1) {
      text += `${group}: ${members.some((b) => on(features.active, b.index!)) ? 'on' : 'off'}\n`;
      for (const b of members) text += line(b.index!, b.name!, '\t');
    }
    for (const b of members) grouped.add(b.index!);
  }
  for (const b of named) if (!grouped.has(b.index!)) text += line(b.index!, b.name!, '');
  return text;
}

/**
 * driverInfoFormat is how `ethtool -i DEV` prints a driver's identity
 * (dump_drvinfo()); JSON is the decoded struct.
 *
 * @example
 * driverInfoFormat.text(info); // 'driver: veth\nversion: 1.0\n…'
 */
export const driverInfoFormat: ObjectFormat<EthtoolDriverInfo> = {
  json: (i) => JSON.stringify(i),
  text: (i) => `driver: ${i.driver}\nversion: ${i.version}\nfirmware-version: ${i.firmwareVersion}\n` +
    `expansion-rom-version: ${i.expansionRomVersion}\nbus-info: ${i.busInfo}\n` +
    `supports-statistics: ${yes(i.stats)}\nsupports-test: ${yes(i.testInfoLength)}\n` +
    `supports-eeprom-access: ${yes(i.eepromLength)}\nsupports-register-dump: ${yes(i.registerDumpLength)}\n` +
    `supports-priv-flags: ${yes(i.privFlags)}\n`,
};

const yes = (count: number) => (count ? 'yes' : 'no');

/**
 * statisticsFormat is how `ethtool -S DEV` prints a driver's statistics
 * (do_gnicstats()); in JSON every counter is an exact number, even past 2^53.
 *
 * @example
 * statisticsFormat.text(stats); // 'NIC statistics:\n     peer_ifindex: 2\n…'
 */
export const statisticsFormat: ObjectFormat<EthtoolStatistics> = {
  json: (s) => `{"ifname":${JSON.stringify(s.ifname)},"statistics":[${s.statistics
    .map(({ name, value }) => `{"name":${JSON.stringify(name)},"value":${value}}`).join(',')}]}`,
  text: (s) => `NIC statistics:\n${s.statistics.map(({ name, value }) => `     ${name}: ${value}\n`).join('')}`,
};

/** A standard statistics reply with its groups and counters named (what `-S --groups` prints). */
export interface NamedStandardStats {
  ifname: string;
  groups: {
    name: string;
    stats: { name: string; value: bigint }[];
    histogramRx: EthtoolHistogramBucket[];
    histogramTx: EthtoolHistogramBucket[];
  }[];
}

type Strings = NonNullable<EthtoolStringSet['strings']>;

/**
 * namedStandardStats names a STATS_GET reply's groups (from
 * ETH_SS_STATS_STD) and counters (from each group's string set); a counter
 * without a name is left out, as ethtool leaves it.
 *
 * @example
 * namedStandardStats(reply, std, new Map([[18, macNames]])).groups[0].name; // 'eth-mac'
 */
export function namedStandardStats(reply: EthtoolStats | undefined, std: Strings,
  sets: ReadonlyMap<number | undefined, Strings>): NamedStandardStats {
  const nameIn = (strings: Strings | undefined, index: number | undefined) =>
    strings?.find((s) => s.index === index)?.value ?? '';
  return {
    ifname: reply?.header?.ifname ?? '',
    groups: (reply?.groups ?? []).filter((g) => g.ssId !== undefined).map((g) => ({
      name: nameIn(std, g.id),
      stats: (g.stats ?? []).map((s) => ({ name: nameIn(sets.get(g.ssId), s.id), value: s.value })).filter((s) => s.name !== ''),
      histogramRx: g.histogramRx ?? [],
      histogramTx: g.histogramTx ?? [],
    })),
  };
}

/** One RMON histogram bucket as parse_rmon_hist_one() prints it. */
function bucketText(direction: string, group: string, b: EthtoolHistogramBucket): string {
  const { low = 0, high = 0, value = 0n } = b;
  const range = low && high ? `${low}to${high}` : high ? `${high}` : `${low}toMax`;
  return `${direction}-${group}-etherStatsPkts${range}Octets: ${value}\n`;
}

/**
 * standardStatsFormat is how `ethtool -S DEV --all-groups` prints the
 * standard statistics: `group-counter: value`, then the RMON histograms; in
 * JSON every counter is an exact number.
 *
 * @example
 * standardStatsFormat.text(stats); // 'Standard stats for eth0:\neth-mac-FramesTransmittedOK: 12\n…'
 */
export const standardStatsFormat: ObjectFormat<NamedStandardStats> = {
  // A bigint goes through as a marked string and comes out as its digits: a kernel string has no NUL to clash.
  json: (s) => JSON.stringify(s, (_key, value: unknown) => (typeof value === 'bigint' ? `\0${value}` : value))
    .replace(/"\\u0000(\d+)"/g, '$1'),
  text: (s) => `Standard stats for ${s.ifname}:\n${s.groups.map((g) => g.stats.map((c) => `${g.name}-${c.name}: ${c.value}\n`).join('') +
    g.histogramRx.map((b) => bucketText('rx', g.name, b)).join('') +
    g.histogramTx.map((b) => bucketText('tx', g.name, b)).join('')).join('')}`,
};

/**
 * tsinfo_dump_list(): a label, then each set bit's name on its own line, or
 * `ifEmpty` on the label's line (a verbose bitset names its bits).
 */
function bitList(label: string, bitset: EthtoolBitset | undefined, ifEmpty: string): string {
  const set = (bitset?.bits ?? []).filter((b) => bitset?.nomask || b.value);
  if (set.length === 0) return `${label}:${ifEmpty}\n`;
  return `${label}:\n${set.map((b) => `\t${b.name ?? `bit${b.index}`}\n`).join('')}`;
}

/**
 * tsinfoFormat is how `ethtool -T DEV` prints time stamping capabilities.
 *
 * @example
 * tsinfoFormat.text(tsinfo); // 'Time stamping parameters for v0:\nCapabilities:\n\tsoftware-transmit\n…'
 */
export const tsinfoFormat: ObjectFormat<EthtoolTsinfo> = {
  json: (t) => JSON.stringify(t),
  text: (t) => `Time stamping parameters for ${t.header?.ifname ?? '?'}:\n${bitList('Capabilities', t.timestamping, '')}` +
    `PTP Hardware Clock: ${t.phcIndex ?? 'none'}\n` +
    bitList('Hardware Transmit Timestamp Modes', t.txTypes, ' none') +
    bitList('Hardware Receive Filter Modes', t.rxFilters, ' none'),
};
