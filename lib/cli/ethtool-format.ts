/**
 * ethtool replies as the `ethtool` command prints them (netlink/*.c of
 * ethtool 6.1), byte for byte: `-l` (channels) today.
 */
import type { EthtoolChannels } from '../genl/ethtool.js';
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
