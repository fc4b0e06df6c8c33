/**
 * ethtool replies as the `ethtool` command prints them (netlink/*.c of
 * ethtool 6.1), byte for byte: `-l` (channels) and `-k` (features).
 */
import type { EthtoolBitset, EthtoolChannels, EthtoolFeatures } from '../genl/ethtool.js';
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
